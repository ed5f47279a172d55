"""Run every benchmark in bench/ one after another (what `make bench` does).

Each script runs in its own process with ``--quick`` (unless ``--full``) and a time limit;
this exits non-zero only when a script crashes or overruns its limit. A missed target is
a figure to read (PASS/FAIL lines), not a crash.

    python bench/run_all.py [--full] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (script, time limit in seconds for --quick, for --full)
SCRIPTS = (
    ("bench_scoring.py", 300, 900),
    ("bench_answers.py", 300, 900),
    ("bench_ingest.py", 300, 1800),
    ("bench_announce.py", 300, 900),
    ("bench_http.py", 400, 900),
    ("bench_picker.py", 200, 400),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="full sizes (tens of minutes)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="e.g. http answers")
    args = parser.parse_args(argv)
    failures = []
    started = time.monotonic()
    for script, quick_limit, full_limit in SCRIPTS:
        name = script.removeprefix("bench_").removesuffix(".py")
        if args.only and name not in args.only:
            continue
        command = [sys.executable, str(HERE / script)] + ([] if args.full else ["--quick"])
        print(f"\n=== {script} {'' if args.full else '--quick'}", flush=True)
        start = time.monotonic()
        try:
            code = subprocess.run(
                command, timeout=full_limit if args.full else quick_limit
            ).returncode
        except subprocess.TimeoutExpired:
            code = -1
            print(f"{script}: stopped after its time limit")
        print(f"=== {script}: {time.monotonic() - start:.0f} s, exit {code}", flush=True)
        if code != 0:
            failures.append(script)
    print(
        f"\nall benchmarks: {time.monotonic() - started:.0f} s"
        + (f"; crashed or overran: {', '.join(failures)}" if failures else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
