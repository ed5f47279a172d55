"""Benchmark of scoring.grade_table (a script, not a test).

Grades 1k, 10k, 100k and 1M synthetic agencies x 5 items across 6 groups and prints, per
size, the best time of a few runs, the growth against the previous size next to the
n log n growth, and the ratio to a baseline measured in the same run (``np.argsort`` of
the same totals), so results compare across machines.

    python bench/bench_scoring.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a plain script from any directory, with or without the package installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.groups import GROUP_ORDER as GROUPS  # noqa: E402
from scoring import GradingRules, grade_table  # noqa: E402

SEED = 20240204
TARGET_1M_SECONDS = 2.0


def make_scores(n: int, rules: GradingRules, seed: int = SEED) -> pd.DataFrame:
    """n agencies with random two-decimal item scores, spread over the six groups."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "agency_id": np.arange(n),
            # Plain strings, as read from a CSV: the slower case for factorising groups.
            "group": np.asarray(GROUPS)[rng.integers(0, len(GROUPS), n)],
        }
    )
    for item in rules.items:
        frame[item] = np.round(rng.uniform(0.0, 20.0, n), 2)
    return frame


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` runs (the least disturbed one)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(sizes: list[int], repeats: int) -> list[tuple[int, float, float]]:
    """Time grade_table and the argsort baseline for each size."""
    rules = GradingRules()
    results = []
    for n in sizes:
        scores = make_scores(n, rules)
        totals = scores[list(rules.items)].to_numpy().sum(axis=1)
        grade_table(scores, rules)  # warm-up: imports, caches
        engine = best_time(partial(grade_table, scores, rules), repeats)
        baseline = best_time(partial(np.argsort, -totals, kind="stable"), repeats)
        results.append((n, engine, baseline))
    return results


def report(results: list[tuple[int, float, float]]) -> None:
    """Print times, growth ratios and ratios to the baseline."""
    print(
        f"{'n':>9} {'grade_table s':>14} {'argsort s':>10} {'x argsort':>10} "
        f"{'growth':>7} {'n log n growth':>15}"
    )
    previous: tuple[int, float] | None = None
    for n, engine, baseline in results:
        growth, expected = "", ""
        if previous is not None:
            prev_n, prev_t = previous
            growth = f"{engine / prev_t:.1f}"
            expected = f"{(n * math.log(n)) / (prev_n * math.log(prev_n)):.1f}"
        print(
            f"{n:>9,} {engine:>14.4f} {baseline:>10.4f} {engine / baseline:>10.1f} "
            f"{growth:>7} {expected:>15}"
        )
        previous = (n, engine)
    largest_n, largest_t, _ = results[-1]
    if largest_n == 1_000_000:
        verdict = "OK" if largest_t < TARGET_1M_SECONDS else "TOO SLOW"
        print(f"1M rows: {largest_t:.2f} s (target < {TARGET_1M_SECONDS:.0f} s): {verdict}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``--quick`` stops at 100k rows with fewer repeats."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 100k, 2 repeats")
    args = parser.parse_args(argv)
    sizes = [1_000, 10_000, 100_000] if args.quick else [1_000, 10_000, 100_000, 1_000_000]
    report(run(sizes, repeats=2 if args.quick else 5))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
