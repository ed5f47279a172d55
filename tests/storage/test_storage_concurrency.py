"""Two instances at once: two ingests of one new file, two publishes of one year, two first
starts on one empty database. Each ends with exactly one copy of everything."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select
from storage_kit import NEW_YEAR, audit_entries, bundled_rows, counts, good_rows, row, write_csv

from storage.bundled_data import ensure_ready
from storage.db import Database
from storage.ingest import IngestReport, ingest_file
from storage.models import Result
from storage.publishing import publish_year


async def test_two_ingests_of_one_new_file_at_once_load_it_once(
    loaded_url: str, tmp_path: Path
) -> None:
    new_agency = row(agency="새빛군", group="기초-군")  # a fictional 군, new to the database
    path = write_csv(tmp_path / "2026.csv", [*good_rows(), new_agency])
    first, second = Database(loaded_url), Database(loaded_url)
    try:
        before = await counts(first)
        reports = await asyncio.gather(
            ingest_file(first, path, actor="instance-a", new_agencies=True),
            ingest_file(second, path, actor="instance-b", new_agencies=True),
        )
        assert sorted((r.inserted, r.unchanged) for r in reports) == [(0, 4), (4, 0)]
        assert sorted(r.new_years for r in reports) == [[], [NEW_YEAR]]
        after = await counts(first)
        assert after["results"] == before["results"] + 4
        assert after["years"] == before["years"] + 1
        assert after["agencies"] == before["agencies"] + 1
        async with first.unit_of_work() as session:
            copies = await session.execute(
                select(Result.agency_id, func.count())
                .where(Result.year == NEW_YEAR)
                .group_by(Result.agency_id)
            )
            assert sorted(n for _, n in copies.all()) == [1, 1, 1, 1]
        assert len([e for e in await audit_entries(first, "year_added") if e.year == NEW_YEAR]) == 1
    finally:
        await first.dispose()
        await second.dispose()


async def test_many_ingests_at_once_still_load_one_copy(loaded_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "2026.csv", good_rows())
    dbs = [Database(loaded_url) for _ in range(4)]
    try:
        reports: list[IngestReport] = await asyncio.gather(
            *(ingest_file(db, path, actor=f"instance-{i}") for i, db in enumerate(dbs))
        )
        assert sum(r.inserted for r in reports) == 3
        async with dbs[0].unit_of_work() as session:
            total = await session.scalar(
                select(func.count()).select_from(Result).where(Result.year == NEW_YEAR)
            )
        assert total == 3
    finally:
        for db in dbs:
            await db.dispose()


async def test_two_publishes_of_one_year_at_once_publish_it_once(
    loaded_url: str, tmp_path: Path
) -> None:
    first, second = Database(loaded_url), Database(loaded_url)
    try:
        await ingest_file(first, write_csv(tmp_path / "2026.csv", good_rows()), actor="test")
        reports = await asyncio.gather(
            publish_year(first, NEW_YEAR, actor="a"), publish_year(second, NEW_YEAR, actor="b")
        )
        assert sorted(r.already_published for r in reports) == [False, True]
        assert len(await audit_entries(first, "year_published")) == 1
    finally:
        await first.dispose()
        await second.dispose()


@pytest.mark.postgres
async def test_two_first_starts_on_one_empty_postgres_load_the_bundled_data_once(
    empty_postgres_url: str,
) -> None:
    first, second = Database(empty_postgres_url), Database(empty_postgres_url)
    try:
        reports = await asyncio.gather(ensure_ready(first), ensure_ready(second))
        loaded = [r for r in reports if r is not None and r.inserted]
        assert len(loaded) == 1 and loaded[0].inserted == bundled_rows()
        assert (await counts(first))["results"] == bundled_rows()
        assert len(await audit_entries(first, "year_added")) == 10  # 2016–2025
    finally:
        await first.dispose()
        await second.dispose()
