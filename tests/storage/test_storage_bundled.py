"""Migrations and the bundled real results: a fresh database migrates to head, the bundled
file loads once with its provenance, and renamed or moved agencies keep one identity."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text
from storage_kit import audit_entries, bundled_rows, counts, dump

from storage.bundled_data import BUNDLED_ACTOR, CHECKSUM_KEY, ensure_ready
from storage.db import Database, alembic_config
from storage.models import Agency, Base, EvaluationYear, GradeScale, Result, YearStatus
from storage.repositories import MetaRepository

BUNDLED_ROWS = bundled_rows()


def bundled_csv() -> list[dict[str, str]]:
    text_ = resources.files("storage.bundled").joinpath("grades.csv").read_text("utf-8")
    return list(csv.DictReader(text_.splitlines()))


async def results_by_agency(db: Database, name: str) -> dict[tuple[str, str], list[Result]]:
    async with db.unit_of_work() as session:
        agencies = (await session.scalars(select(Agency).where(Agency.name == name))).all()
        found: dict[tuple[str, str], list[Result]] = {}
        for agency in agencies:
            rows = await session.scalars(
                select(Result).where(Result.agency_id == agency.id).order_by(Result.year)
            )
            found[(agency.region, str(agency.agency_type))] = list(rows.all())
        return found


async def test_fresh_database_migrates_to_head(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        await db.migrate()
        await db.migrate()  # a second start migrates nothing and breaks nothing
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        async with db.engine.connect() as conn:
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
            tables = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
            levels = (await conn.execute(text("SELECT scale, grade FROM grade_levels"))).all()
        assert [v[0] for v in version] == [head]
        assert set(Base.metadata.tables) <= tables
        assert Counter(scale for scale, _ in levels) == {
            GradeScale.GA_MA.value: 5,
            GradeScale.THREE_LEVEL.value: 3,
            GradeScale.SABCD.value: 5,
        }
        assert (await counts(db))["results"] == 0
    finally:
        await db.dispose()


async def test_ensure_ready_loads_the_bundled_results_once(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        report = await ensure_ready(db)
        assert report is not None
        assert (report.rows, report.inserted, report.updated) == (BUNDLED_ROWS, BUNDLED_ROWS, 0)
        assert report.new_years == list(range(2016, 2026))
        first = await counts(db)
        assert first["results"] == BUNDLED_ROWS
        assert first["years"] == 10
        before = await dump(db)

        assert await ensure_ready(db) is None  # same bundled file: nothing to do
        assert await counts(db) == first
        assert await dump(db) == before

        async with db.unit_of_work() as session:
            assert await MetaRepository(session).get_by_key(CHECKSUM_KEY)
        added = await audit_entries(db, "year_added")
        assert sorted(e.year for e in added if e.year) == list(range(2016, 2026))
        assert {e.actor for e in added} == {BUNDLED_ACTOR}
    finally:
        await db.dispose()


async def test_a_second_database_object_loads_nothing_either(loaded_db: Database) -> None:
    """What a second start of the bot (a new process, a new engine) sees."""
    before = await dump(loaded_db)
    other = Database(loaded_db.url)
    try:
        assert await ensure_ready(other) is None
    finally:
        await other.dispose()
    assert await dump(loaded_db) == before


async def test_every_source_url_and_note_is_kept(loaded_db: Database) -> None:
    expected = Counter(
        (int(r["year"]), r["agency"], r["grade"], r["source_url"], r["note"], r["more_sources"])
        for r in bundled_csv()
    )
    async with loaded_db.unit_of_work() as session:
        stored = Counter(
            (r.year, r.published_name, r.grade, r.source_url, r.note, r.more_sources or "")
            for r in (await session.scalars(select(Result))).all()
        )
    assert sum(expected.values()) == BUNDLED_ROWS
    assert sum(1 for row in expected if row[-1]) > 0  # the file does carry more sources
    assert stored == expected


async def test_bundled_years_are_published_on_their_own_scales(loaded_db: Database) -> None:
    async with loaded_db.unit_of_work() as session:
        years = {y.year: y for y in (await session.scalars(select(EvaluationYear))).all()}
    assert sorted(years) == list(range(2016, 2026))
    assert all(y.status == YearStatus.PUBLISHED for y in years.values())
    assert years[2016].scale == GradeScale.SABCD
    assert years[2017].scale == GradeScale.THREE_LEVEL
    assert {years[y].scale for y in range(2018, 2026)} == {GradeScale.GA_MA}


async def test_the_two_goseong_are_two_agencies(loaded_db: Database) -> None:
    found = await results_by_agency(loaded_db, "고성군")
    assert set(found) == {("강원", "기초자치단체"), ("경남", "기초자치단체")}
    gyeongnam = {r.year: r.grade for r in found[("경남", "기초자치단체")]}
    gangwon = {r.year: r.grade for r in found[("강원", "기초자치단체")]}
    assert gyeongnam[2023] == "가"
    assert gangwon[2022] == "마"
    expected = Counter(r["region"] for r in bundled_csv() if r["agency"] == "고성군")
    assert {region: len(rows) for (region, _), rows in found.items()} == expected


async def test_gangwon_before_and_after_its_rename_is_one_agency(loaded_db: Database) -> None:
    assert await results_by_agency(loaded_db, "강원도") == {}
    found = await results_by_agency(loaded_db, "강원특별자치도")
    assert list(found) == [("강원", "광역자치단체")]
    published = {r.year: r.published_name for r in found[("강원", "광역자치단체")]}
    source = {
        int(r["year"]): r["agency"]
        for r in bundled_csv()
        if r["agency"] in ("강원도", "강원특별자치도")
    }
    assert published == source
    assert {name for year, name in published.items() if year <= 2022} == {"강원도"}
    assert {name for year, name in published.items() if year >= 2023} == {"강원특별자치도"}
    assert min(published) <= 2022 < 2023 <= max(published)


async def test_gunwi_in_gyeongbuk_then_daegu_is_one_agency(loaded_db: Database) -> None:
    found = await results_by_agency(loaded_db, "군위군")
    assert list(found) == [("대구", "기초자치단체")]  # where it is now
    years = [r.year for r in found[("대구", "기초자치단체")]]
    source = {int(r["year"]): r["region"] for r in bundled_csv() if r["agency"] == "군위군"}
    assert years == sorted(source)
    assert {region for year, region in source.items() if year <= 2022} == {"경북"}
    assert {region for year, region in source.items() if year >= 2023} == {"대구"}
