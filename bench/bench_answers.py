"""In-process cost of one question: parse + answer + render, over README's examples.

For each example question of README's "What you can ask" table, times
``Answerer.answer`` (which parses) followed by ``to_blocks`` and ``fallback_text`` (what the
slash command renders), after one warm-up call, on:

1. a private copy of a SQLite database holding the bundled results;
2. a synthetic database built here in a temp file: the bundled results plus 10,000
   synthetic agencies (``모의0001시``, ``모의0002군``, ...) with a result in each of 20 years
   (2005-2024), written straight through SQLAlchemy - the bundled data is never touched.

The baseline, measured in the same run on the same database, is one database round trip
through the project's unit of work (``SELECT 1``): the floor of any answer that reads.

    python bench/bench_answers.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import _common
from _common import percentile, sqlite_url, verdict

SYNTHETIC_AGENCIES = 10_000
SYNTHETIC_YEARS = tuple(range(2005, 2025))
WARMUP_ROUNDS = 3
TARGET_BUNDLED_MS = 2.0
TARGET_SYNTHETIC_MS = 10.0


async def _time(fn: Callable[[], Awaitable[object]], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return samples


async def measure(url: str, questions: list[str], repeats: int) -> dict[str, object]:
    """Per-question samples (seconds), the cold first call and the SELECT 1 baseline."""
    from sqlalchemy import text

    from answers.service import Answerer
    from slack_adapter.blocks import fallback_text, to_blocks
    from storage.db import Database

    db = Database(url)
    try:
        answerer = Answerer(db)

        async def round_trip() -> None:
            async with db.unit_of_work() as session:
                await session.execute(text("SELECT 1"))

        start = time.perf_counter()
        await answerer.answer(questions[0])  # builds the catalog / snapshot
        cold = time.perf_counter() - start
        per_question: dict[str, list[float]] = {q: [] for q in questions}
        intents: dict[str, str] = {}
        baseline: list[float] = []

        async def once(question: str) -> None:
            answer = await answerer.answer(question)
            to_blocks(answer)
            fallback_text(answer)
            intents[question] = str(answer.intent)

        # Warm-up rounds (imports, statement caches), then the questions round-robin, each
        # round also timing the baseline, so drift spreads evenly over everything.
        for round_ in range(WARMUP_ROUNDS + repeats):
            for question in questions:
                sample = await _time(lambda q=question: once(q), 1)  # type: ignore[misc]
                if round_ >= WARMUP_ROUNDS:
                    per_question[question] += sample
            sample = await _time(round_trip, 4)
            if round_ >= WARMUP_ROUNDS:
                baseline += sample
        return {
            "per_question": per_question,
            "intents": intents,
            "cold": cold,
            "baseline": statistics.median(baseline),
        }
    finally:
        await db.dispose()


async def build_synthetic(path: Path, template: Path) -> tuple[int, int, float]:
    """Copy the bundled database to ``path`` and add the synthetic agencies and years;
    returns (agencies added, results added, seconds)."""
    from sqlalchemy import func, insert, select

    from domain.groups import LOCAL_SUFFIXES, AgencyType, local_group
    from domain.regions import REGIONS
    from domain.years import year_config
    from storage.agency_catalog import new_agency_aliases
    from storage.db import Database
    from storage.models import Agency, AgencyAlias, EvaluationYear, Result, YearStatus
    from storage.repositories import MetaRepository

    start = time.perf_counter()
    _common.copy_db(template, path)
    db = Database(sqlite_url(path))
    regions = tuple(region for region in REGIONS if region != "세종")  # 세종 has no 기초
    try:
        async with db.unit_of_work() as session:
            first_id = int(await session.scalar(select(func.max(Agency.id))) or 0) + 1
            known = set((await session.scalars(select(EvaluationYear.year))).all())
            agencies, aliases = [], []
            for i in range(SYNTHETIC_AGENCIES):
                suffix = LOCAL_SUFFIXES[i % 3]
                name, region = f"모의{i + 1:04d}{suffix}", regions[i % len(regions)]
                agencies.append(
                    {
                        "id": first_id + i,
                        "name": name,
                        "region": region,
                        "agency_type": AgencyType.LOCAL,
                        "grading_group": local_group(name),
                    }
                )
                for alias, kind in new_agency_aliases(name, region, AgencyType.LOCAL).items():
                    aliases.append({"agency_id": first_id + i, "alias": alias, "kind": kind})
            await session.execute(insert(Agency), agencies)
            await session.execute(insert(AgencyAlias), aliases)
            for year in SYNTHETIC_YEARS:
                if year in known:
                    continue
                config = year_config(year)
                session.add(
                    EvaluationYear(
                        year=year,
                        scale=config.scale,
                        status=YearStatus.PUBLISHED,
                        bands=list(config.cumulative),
                        rounding=config.rounding,
                    )
                )
            await session.flush()
            results = 0
            for year in SYNTHETIC_YEARS:
                config = year_config(year)
                grades = config.grades
                rows = []
                for i in range(SYNTHETIC_AGENCIES):
                    band = (i * 7919 + year * 31) % 10  # 10% / 20% / 40% / 20% / 10%
                    level = (0, 1, 1, 2, 2, 2, 2, 3, 3, 4)[band]
                    grade = grades[min(level, len(grades) - 1)]
                    rows.append(
                        {
                            "agency_id": first_id + i,
                            "year": year,
                            "scale": config.scale,
                            "grade": grade,
                            "published_name": agencies[i]["name"],
                            "grading_group": agencies[i]["grading_group"],
                            "source_url": "https://example.org/synthetic",
                            "note": "synthetic",
                        }
                    )
                await session.execute(insert(Result), rows)
                results += len(rows)
            await MetaRepository(session).bump_data_version()
    finally:
        await db.dispose()
    return SYNTHETIC_AGENCIES, results, time.perf_counter() - start


def _summary(run: dict[str, object]) -> tuple[float, float, list[float]]:
    samples = [s for values in run["per_question"].values() for s in values]  # type: ignore[attr-defined]
    return statistics.median(samples), percentile(samples, 90), samples


def _table(bundled: dict[str, object], synthetic: dict[str, object] | None) -> None:
    print(f"{'question':<40}{'intent':>9}{'bundled ms':>11}{'synthetic ms':>13}")
    for question, values in bundled["per_question"].items():  # type: ignore[attr-defined]
        other = ""
        if synthetic is not None:
            other = f"{statistics.median(synthetic['per_question'][question]) * 1000:>13.2f}"  # type: ignore[index]
        shown = repr(question) if len(question) <= 36 else repr(question[:33] + "...")
        intent = str(bundled["intents"][question]).rsplit(".", 1)[-1]  # type: ignore[index]
        print(f"{shown:<40}{intent:>9}{statistics.median(values) * 1000:>11.2f}{other}")


async def _main(quick: bool) -> None:
    questions = _common.documented_examples()
    repeats = 15 if quick else 50
    print(f"machine: {_common.machine()}; load average {_common.load_average()}")
    print(
        f"{len(questions)} documented questions, {repeats} timed runs each (round-robin, "
        f"after {WARMUP_ROUNDS} warm-up rounds)"
    )
    with tempfile.TemporaryDirectory(prefix="bench-answers-") as tmp:
        workdir = Path(tmp)
        template = await asyncio.to_thread(_common.bundled_template, workdir)
        # A discarded pass first: a young process collects garbage more often (measured:
        # its first pass is ~30% slower, and not with gc disabled); a server is not young.
        await measure(sqlite_url(_common.copy_db(template, workdir / "warm.db")), questions, 5)
        bundled_db = _common.copy_db(template, workdir / "bundled.db")
        bundled = await measure(sqlite_url(bundled_db), questions, repeats)
        synthetic_path = workdir / "synthetic.db"
        added, results, seconds = await build_synthetic(synthetic_path, template)
        print(
            f"synthetic database: +{added:,} agencies, +{results:,} results over "
            f"{len(SYNTHETIC_YEARS)} years, built in {seconds:.1f} s"
        )
        synthetic = await measure(sqlite_url(synthetic_path), questions, max(repeats // 3, 5))
    print()
    _table(bundled, synthetic)
    b_med, b_p90, _ = _summary(bundled)
    s_med, s_p90, _ = _summary(synthetic)
    b_base, s_base = float(bundled["baseline"]), float(synthetic["baseline"])  # type: ignore[arg-type]
    print()
    print(
        f"baseline (one unit of work, SELECT 1): bundled {b_base * 1000:.3f} ms, "
        f"synthetic {s_base * 1000:.3f} ms"
    )
    print(
        f"first question (builds the snapshot): bundled {float(bundled['cold']) * 1000:.0f} ms, "  # type: ignore[arg-type]
        f"synthetic {float(synthetic['cold']) * 1000:.0f} ms"
    )  # type: ignore[arg-type]
    print(
        f"bundled:   median {b_med * 1000:.2f} ms ({b_med / b_base:.1f}x baseline), "
        f"p90 {b_p90 * 1000:.2f} ms (target median < {TARGET_BUNDLED_MS:.0f} ms): "
        f"{verdict(b_med * 1000 < TARGET_BUNDLED_MS)}"
    )
    print(
        f"synthetic: median {s_med * 1000:.2f} ms ({s_med / s_base:.1f}x baseline), "
        f"p90 {s_p90 * 1000:.2f} ms (target median < {TARGET_SYNTHETIC_MS:.0f} ms): "
        f"{verdict(s_med * 1000 < TARGET_SYNTHETIC_MS)}"
    )
    print(
        f"growth (synthetic / bundled median): {s_med / b_med:.2f}x for "
        f"{SYNTHETIC_AGENCIES:,} more agencies and {len(SYNTHETIC_YEARS)} years"
    )
    print(f"load average at the end: {_common.load_average()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timed runs per question")
    args = parser.parse_args(argv)
    asyncio.run(_main(args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
