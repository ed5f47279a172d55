"""Ingest benchmark: ``storage.ingest.ingest_file`` of synthetic CSV files into a fresh
SQLite database, 300 rows and 100,000 rows, with time and peak memory.

The files (columns of ``grades.csv``; 기초자치단체 named ``모의0001시``, ``모의0002군``, ...
across the 17 regions, each with a result per year) are written to a temp dir; each ingest
runs against its own freshly migrated temp database. The baseline, measured in the same
run, is the floor of the same work without validation or the domain model: ``csv`` reads
the file and SQLAlchemy Core inserts its rows (as text) into a scratch table of a fresh
database through the same engine settings, in one transaction.

Peak memory: the process's peak RSS (``resource.getrusage``) around the timed run and, with
``--tracemalloc``, the peak of Python allocations in a second, separate run (tracing slows
it down about 2x, so that run is not timed against the target).

Agencies: the files' agencies are inserted before each timed load, as the agency catalog
holds them (ingest resolves names to known agencies and creates none silently). Each large
load is timed twice: into the empty database (every row new) and the same file again
(every row read back, compared and unchanged). With ``MINWON_BENCH_POSTGRES_URL`` set, the
large load also runs on a fresh PostgreSQL database on that server.

    python bench/bench_ingest.py [--quick] [--tracemalloc]   # --quick: single runs
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import _common
from _common import sqlite_url, verdict


def header() -> tuple[str, ...]:
    """The columns of grades.csv up to ``note`` (storage's own column table)."""
    from intake.sheets import COLUMNS

    return COLUMNS[: COLUMNS.index("note") + 1]


TARGET_SMALL_SECONDS = 1.0
TARGET_LARGE_SECONDS = 10.0  # issue 13: 100,000 rows in under 10 s, SQLite and PostgreSQL
PG_ENV = "MINWON_BENCH_POSTGRES_URL"
CPU_SECONDS: list[float] = []  # this process's CPU time of each timed load, in order


def write_sheet(path: Path, rows: int, years: tuple[int, ...]) -> Path:
    """A valid CSV of ``rows`` results: ``rows / len(years)`` agencies x ``years``."""
    from domain.groups import FIRST_GROUPED_YEAR, LOCAL_SUFFIXES, AgencyType, local_group
    from domain.items import ITEMS
    from domain.regions import REGIONS
    from domain.years import year_config

    agencies = -(-rows // len(years))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header())
        for i in range(agencies):
            suffix = LOCAL_SUFFIXES[i % 3]
            name, region = f"모의{i + 1:04d}{suffix}", REGIONS[i % len(REGIONS)]
            group = local_group(name)
            for year in years:
                if written == rows:
                    break
                grades = year_config(year).grades
                grade = grades[(i * 7 + year) % len(grades)]
                items = ";".join(
                    f"{item}={grades[(i + k) % len(grades)]}" for k, item in enumerate(ITEMS)
                )
                score = 60 + (i * 37 + year) % 3500 / 100
                out.writerow(
                    (
                        year,
                        name,
                        region,
                        AgencyType.LOCAL,
                        group if year >= FIRST_GROUPED_YEAR else "",
                        grade,
                        f"{score:.2f}",
                        "78.50",
                        items if i % 2 == 0 else "",
                        f"https://example.org/synthetic/{year}/{i + 1}",
                        "synthetic",
                    )
                )
                written += 1
    return path


async def _fresh(path: Path, url: str | None = None):  # type: ignore[no-untyped-def]
    from storage.db import Database

    db = Database(url or sqlite_url(path))
    await db.migrate()
    return db


async def seed_agencies(db, sheet: Path) -> None:  # type: ignore[no-untyped-def]
    """The file's agencies, inserted before the timed load as the agency catalog holds
    them: ingest resolves names to known agencies and creates none silently."""
    from sqlalchemy import insert

    from domain.groups import local_group
    from storage.models import Agency

    with sheet.open(encoding="utf-8", newline="") as handle:
        rows = {(r["agency"], r["region"]): r for r in csv.DictReader(handle)}
    agencies = [
        {
            "name": name,
            "region": region,
            "agency_type": row["agency_type"],
            "grading_group": local_group(name),
        }
        for (name, region), row in rows.items()
    ]
    async with db.unit_of_work() as session:
        await session.execute(insert(Agency), agencies)


async def ingest_once(
    sheet: Path, db_path: Path, *, url: str | None = None, again: bool = False
) -> tuple[float, object] | tuple[float, object, float, object]:
    """Time one load into a fresh database (its agencies known); with ``again``, also a
    second load of the same file (every row read back and found unchanged)."""
    from storage.ingest import ingest_file

    db = await _fresh(db_path, url)
    try:
        await seed_agencies(db, sheet)
        start, cpu = time.perf_counter(), time.process_time()
        report = await ingest_file(db, sheet, actor="bench")
        first = time.perf_counter() - start
        CPU_SECONDS.append(time.process_time() - cpu)
        if not again:
            return first, report
        start, cpu = time.perf_counter(), time.process_time()
        second = await ingest_file(db, sheet, actor="bench")
        CPU_SECONDS.append(time.process_time() - cpu)
        return first, report, time.perf_counter() - start, second
    finally:
        await db.dispose()


async def baseline_once(sheet: Path, db_path: Path) -> float:
    """csv.reader + one Core executemany of the same rows (as text) into a scratch table."""
    from sqlalchemy import Column, Integer, MetaData, Table, Text, insert

    metadata = MetaData()
    table = Table(
        "scratch",
        metadata,
        Column("id", Integer, primary_key=True),
        *(Column(name, Text) for name in header()),
    )
    db = await _fresh(db_path)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        start = time.perf_counter()
        with sheet.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            columns = header()
            rows = [dict(zip(columns, row, strict=True)) for row in reader]
        async with db.unit_of_work() as session:
            await session.execute(insert(table), rows)
        return time.perf_counter() - start
    finally:
        await db.dispose()


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _main(quick: bool, trace: bool) -> None:
    large = 100_000  # the target's size, in --quick too (it takes seconds)
    print(f"machine: {_common.machine()}; load average {_common.load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        workdir = Path(tmp)
        small_sheet = write_sheet(workdir / "small.csv", 300, (2022, 2023, 2024))
        large_sheet = write_sheet(workdir / "large.csv", large, tuple(range(2016, 2026)))
        print(
            f"files: 300 rows ({small_sheet.stat().st_size / 1024:.0f} KiB), "
            f"{large:,} rows ({large_sheet.stat().st_size / 1024 / 1024:.1f} MiB)"
        )
        # warm-up: imports, migrations, statement caches
        await ingest_once(small_sheet, workdir / "warm.db")
        await baseline_once(small_sheet, workdir / "warm-base.db")

        runs = 1 if quick else 3
        small = min(
            [(await ingest_once(small_sheet, workdir / f"small{i}.db"))[0] for i in range(runs)]
        )
        small_base = min(
            [await baseline_once(small_sheet, workdir / f"small-base{i}.db") for i in range(runs)]
        )

        rss_before = _peak_rss_mib()
        CPU_SECONDS.clear()
        large_time, report, again_time, _ = await ingest_once(  # type: ignore[misc]
            large_sheet, workdir / "large.db", again=True
        )
        rss_after = _peak_rss_mib()
        cpu_first, cpu_again = CPU_SECONDS[:2]
        large_base = await baseline_once(large_sheet, workdir / "large-base.db")
        postgres = await _postgres_times(large_sheet)
        traced = None
        if trace:
            tracemalloc.start()
            traced_time, _ = await ingest_once(large_sheet, workdir / "large-traced.db")  # type: ignore[misc]
            traced = (traced_time, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    print(f"report of the large ingest: {report.summary()}")  # type: ignore[attr-defined]
    print()
    print(f"{'rows':>8}{'ingest s':>10}{'rows/s':>9}{'baseline s':>11}{'x baseline':>11}")
    print(
        f"{300:>8}{small:>10.3f}{300 / small:>9.0f}{small_base:>11.4f}{small / small_base:>11.1f}"
    )
    print(
        f"{large:>8,}{large_time:>10.2f}{large / large_time:>9.0f}{large_base:>11.3f}"
        f"{large_time / large_base:>11.1f}"
    )
    print()
    print(
        f"300 rows: {small:.3f} s (best of {runs}; target < {TARGET_SMALL_SECONDS:.0f} s): "
        f"{verdict(small < TARGET_SMALL_SECONDS)}"
    )
    for backend, first, again in (("SQLite", large_time, again_time), *postgres):
        print(
            f"{large:,} rows, {backend}: {first:.2f} s new, {again:.2f} s loaded again "
            f"(unchanged); {max(first, again) / TARGET_LARGE_SECONDS:.2f}x the "
            f"{TARGET_LARGE_SECONDS:.0f} s target: "
            f"{verdict(max(first, again) < TARGET_LARGE_SECONDS)}"
        )
    print(
        f"{large:,} rows, SQLite, this process's CPU time: {cpu_first:.2f} s new, "
        f"{cpu_again:.2f} s again (the wall time on a machine with a free core)"
    )
    if not postgres:
        print(f"PostgreSQL: not measured (set {PG_ENV}=postgresql+asyncpg://USER@HOST:PORT/DB)")
    print(
        f"{large:,} rows peak memory: process peak RSS {rss_after:.0f} MiB "
        f"(+{rss_after - rss_before:.0f} MiB over the peak before it)"
    )
    if traced is not None:
        print(
            f"{large:,} rows, Python allocations (tracemalloc): peak "
            f"{traced[1] / 1024 / 1024:.0f} MiB (traced run: {traced[0]:.1f} s)"
        )
    print(f"load average at the end: {_common.load_average()}")


async def _postgres_times(sheet: Path) -> list[tuple[str, float, float]]:
    """The large load on a fresh PostgreSQL database, when PG_ENV names a server."""
    url = os.environ.get(PG_ENV, "")
    if not url:
        return []
    import uuid

    import asyncpg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bench_ingest_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        fresh = base.set(database=name).render_as_string(hide_password=False)
        first, _, again, _ = await ingest_once(sheet, Path(name), url=fresh, again=True)  # type: ignore[misc]
        return [("PostgreSQL", first, again)]
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="single runs (still 100,000 rows)")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also a traced run: peak Python allocations"
    )
    args = parser.parse_args(argv)
    asyncio.run(_main(args.quick, args.tracemalloc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
