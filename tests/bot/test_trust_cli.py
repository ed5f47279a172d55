"""Issue 18 as an operator runs it: the real console script in a subprocess, on a copy of
the bundled SQLite data. The 2025 table titled 2024 is refused with every change and the
year it fits; its dry run lists every change (none cut); --correct applies it; `record`
prints both versions. A pasted table saved as .txt and one piped to `ingest -` load."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import official_kit as fx
import pytest

SCRIPT = Path(sys.executable).parent / "minwon-bot"


def run(
    tmp_path: Path, db: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_", "ANNOUNCE_", "ADMIN_", "MINWON_"))
    }
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
    done = subprocess.run(
        [*command, *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=90,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


@pytest.fixture
def db_file(tmp_path: Path, bundled_sqlite: Path) -> Path:
    path = tmp_path / "minwon.db"
    shutil.copy(bundled_sqlite, path)
    return path


def _changes() -> list[str]:
    then = {(r["agency"], r["region"]): r["grade"] for r in fx.bundled_rows(2024)}
    return [
        f"{then[(r['agency'], r['region'])]} → {r['grade']}"
        for r in fx.bundled_rows(2025)
        if then.get((r["agency"], r["region"]), r["grade"]) != r["grade"]
    ]


def test_a_published_year_changes_only_with_correct(tmp_path: Path, db_file: Path) -> None:
    table = tmp_path / "2024 결과.csv"
    table.write_bytes(fx.csv_bytes(fx.year_table(2025, title_year=2024)))

    refused = run(tmp_path, db_file, "ingest", str(table))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "--correct" in refused.stderr and "• 2024 대구광역시: 다 → 가" in refused.stderr
    assert "2025년 기록과 78/78곳이 같고" in refused.stderr  # the year its grades fit

    dry = run(tmp_path, db_file, "ingest", str(table), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    listed = [line for line in dry.stdout.splitlines() if line.startswith("• 2024")]
    changed = [line for line in listed if "→" in line]
    assert len(changed) == len(_changes()) and len(listed) > 20  # every line: the old cut was 20
    assert all("출처 추가" in line for line in listed if "→" not in line)  # confirmations
    assert "외" not in dry.stdout and "--correct" in dry.stdout

    applied = run(tmp_path, db_file, "ingest", str(table), "--correct")
    assert applied.returncode == 0, applied.stderr
    assert f"{len(_changes())} updated" in applied.stdout

    record = run(tmp_path, db_file, "record", "대구광역시", "2024")
    assert record.returncode == 0, record.stderr
    assert "대구광역시 — 2024년 가" in record.stdout and "이전 판 1개" in record.stdout
    assert fx.TABLE_SOURCE in record.stdout and "2024 결과.csv" in record.stdout
    missing = run(tmp_path, db_file, "record", "우주항공청", "2023")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_a_pasted_table_saved_as_txt_loads(tmp_path: Path, db_file: Path) -> None:
    pasted = tmp_path / "붙여넣은 표.txt"
    pasted.write_text(fx.pasted_tabs(), encoding="utf-8")  # tabs, commas inside cells
    result = run(tmp_path, db_file, "ingest", str(pasted), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"would load {len(fx.placements())} rows" in result.stdout


def test_ingest_dash_reads_standard_input(tmp_path: Path, db_file: Path) -> None:
    result = run(
        tmp_path, db_file, "ingest", "-", "--dry-run", stdin=fx.pasted_lines().encode("utf-8")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"<stdin>: would load {len(fx.placements())} rows")
    empty = run(tmp_path, db_file, "ingest", "-", stdin=b"")
    assert empty.returncode == 1 and "<stdin>" in empty.stderr
    assert "Traceback" not in empty.stderr
