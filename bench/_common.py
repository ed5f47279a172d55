"""Helpers shared by the benchmarks in bench/ (not a benchmark itself).

Every benchmark is a plain script, run from any directory as ``python bench/bench_X.py``;
importing this module puts the repository root and ``tests/`` (for the fake Slack Web API
and the signed-request builders) on ``sys.path``.
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

README = ROOT / "README.md"
BOT_TOKEN = "xoxb-1-minwon-bench"


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def machine() -> str:
    """One line: cores, CPU model, memory, Python."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        meminfo = Path("/proc/meminfo").read_text()
        found = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
        mem_gib = int(found.group(1)) / 1024 / 1024 if found else 0.0
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {model}, {mem_gib:.1f} GiB RAM, "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    """The 1/5/15-minute load average: this machine may be shared while benchmarks run."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), linear between the closest ranks; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def documented_examples() -> list[str]:
    """The example questions of README's "What you can ask" table, in order ('empty' is
    the empty question)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## What you can ask", 1)[-1].split("\n## ", 1)[0]
    examples: list[str] = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("intent", "") or set(cells[0]) <= {"-"}:
            continue
        examples += re.findall(r"`([^`]*)`", cells[1])
        if re.search(r"(^|,\s*)empty\s*$", cells[1]):
            examples.append("")
    if len(examples) < 10:
        raise SystemExit(f"README's 'What you can ask' table gave only {examples!r}")
    return examples


async def make_bundled(path: Path) -> Path:
    """A SQLite file at ``path`` holding the bundled results, migrated and loaded as on a
    first start."""
    from storage.bundled_data import ensure_ready
    from storage.db import Database

    db = Database(sqlite_url(path))
    try:
        await ensure_ready(db)
    finally:
        await db.dispose()
    return path


def bundled_template(directory: Path) -> Path:
    """``make_bundled`` for code outside an event loop."""
    return asyncio.run(make_bundled(directory / "bundled-template.db"))


def copy_db(template: Path, target: Path) -> Path:
    """A private copy of a SQLite database (the WAL is checkpointed on dispose)."""
    shutil.copy(template, target)
    for suffix in ("-wal", "-shm"):
        extra = template.with_name(template.name + suffix)
        if extra.exists():
            shutil.copy(extra, target.with_name(target.name + suffix))
    return target


def rss_mib(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MiB, from /proc/PID/status."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = {k: int(v) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}
    return found.get("VmRSS", 0) / 1024, found.get("VmHWM", 0) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
