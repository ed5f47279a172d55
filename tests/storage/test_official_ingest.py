"""Official result tables go through ingest like the one-row-per-agency sheet: the same
validation, the same stored rows, refused whole with each problem named by its cell,
idempotent, and a new year arrives as a draft.

The table is the real 2023 partial table of ``official_fixtures`` (all six groups)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import official_kit as fx
import pytest
from sqlalchemy import select
from storage_kit import counts, dump

from domain.groups import LOCAL_GROUPS
from intake.sheets import COLUMNS
from storage.agency_catalog import agency_catalog
from storage.db import Database
from storage.ingest import IngestRefused, ingest_bytes, ingest_file, ingest_text
from storage.models import Agency, EvaluationYear, Result, YearStatus

FORMATS = {
    "CSV": ("table.csv", fx.csv_bytes),
    "TSV": ("table.tsv", lambda: fx.csv_bytes(delimiter="\t")),
    "XLSX": ("table.xlsx", fx.xlsx_bytes),
    "HWPX": ("table.hwpx", fx.hwpx_bytes),
    "PDF": ("table.pdf", fx.pdf_bytes),
}


def flat_bytes() -> bytes:
    """The same results as the table, one row per agency (grades.csv's columns)."""
    bundled = {(r["agency"], r["grade"], r["group"]): r for r in fx.bundled_rows()}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for place in fx.placements():
        real = bundled[(place.name, place.grade, place.group)]
        writer.writerow(
            {
                "year": fx.YEAR,
                "agency": place.name,
                "region": real["region"],
                "agency_type": real["agency_type"],
                "group": place.group,
                "grade": place.grade,
                "source_url": fx.SOURCE,
            }
        )
    return out.getvalue().encode("utf-8")


async def stored(db: Database) -> set[tuple[object, ...]]:
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(
                Agency.name,
                Agency.region,
                Agency.agency_type,
                Result.year,
                Result.grade,
                Result.grading_group,
                Result.published_name,
                Result.source_url,
                Result.score,
                Result.note,
            ).join(Agency, Agency.id == Result.agency_id)
        )
        return {tuple(row) for row in rows}


@pytest.fixture(scope="module")
def flat_rows(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[object, ...]]:
    import asyncio

    async def load() -> set[tuple[object, ...]]:
        path = tmp_path_factory.mktemp("flat") / "flat.db"
        database = Database(f"sqlite+aiosqlite:///{path}")
        await database.migrate()
        await ingest_bytes(database, flat_bytes(), name="flat.csv", actor="test")
        try:
            return await stored(database)
        finally:
            await database.dispose()

    return asyncio.run(load())


@pytest.mark.parametrize("kind", [*FORMATS, "pasted"])
async def test_a_table_stores_the_same_rows_as_the_flat_file(
    db: Database, kind: str, flat_rows: set[tuple[object, ...]]
) -> None:
    if kind == "pasted":
        report = await ingest_text(db, fx.pasted_lines(), name="message", actor="test")
    else:
        name, build = FORMATS[kind]
        report = await ingest_bytes(db, build(), name=name, actor="test")
    assert (report.rows, report.inserted, report.updated) == (len(fx.placements()),) * 2 + (0,)
    assert report.new_years == [fx.YEAR]
    assert await stored(db) == flat_rows
    groups = {row[5] for row in flat_rows}
    assert len(groups) == 6 and set(LOCAL_GROUPS) <= groups


async def test_a_table_file_loads_from_the_cli_path_twice_without_change(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "2023 결과.xlsx"
    path.write_bytes(fx.xlsx_bytes())
    first = await ingest_file(db, path, actor="test")
    before = await dump(db)
    again = await ingest_file(db, path, actor="test")
    assert first.inserted == len(fx.placements())
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(fx.placements()))
    assert await dump(db) == before
    async with db.unit_of_work() as session:
        year = await session.scalar(select(EvaluationYear).where(EvaluationYear.year == fx.YEAR))
    assert year is not None and year.status == YearStatus.DRAFT


async def test_year_and_source_flags_fill_a_table_without_title(db: Database) -> None:
    data = fx.csv_bytes(fx.table_rows(title=False))
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, data, name="t.csv", actor="test")
    assert any("--year" in e for e in refused.value.errors)
    assert any("--source" in e for e in refused.value.errors)
    report = await ingest_bytes(
        db, data, name="t.csv", actor="test", year=fx.YEAR, source_url=fx.SOURCE
    )
    assert report.inserted == len(fx.placements())


async def test_flags_on_a_flat_file_are_refused_not_ignored(db: Database) -> None:
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, flat_bytes(), name="flat.csv", actor="test", year=2023)
    assert "official result tables" in refused.value.errors[0]
    assert await counts(db) == {k: 0 for k in await counts(db)}


def _misspelt(rows: list[list[str]], wrong: str, right: str) -> list[list[str]]:
    return [[cell.replace(right, wrong) for cell in row] for row in rows]


async def test_a_misspelt_name_is_refused_with_its_cell(db: Database) -> None:
    metro = next(p for p in fx.placements() if p.group == "광역")
    wrong = "겅" + metro.name[1:]  # 경상남도 -> 겅상남도: no region's name
    rows = _misspelt(fx.table_rows(), wrong, metro.name)
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, fx.csv_bytes(rows), name="t.csv", actor="test")
    errors = refused.value.errors
    assert all(n == 0 for n in (await counts(db)).values())
    hit = [e for e in errors if wrong in e]
    assert hit, errors
    # the table's own location: the group's row and the grade column as headed, then the name
    column = f"column {metro.grade}, {wrong}"
    assert hit[0].startswith("row ") and column in hit[0], hit
    assert "None" not in "\n".join(errors) and "{" not in "\n".join(errors)


async def test_a_wrong_region_in_a_cell_is_named_by_the_cell_and_field(
    loaded_db: Database,
) -> None:
    local = next(
        p
        for p in fx.placements()
        if p.region and p.group == "기초-군" and p.name not in agency_catalog().shared_names()
    )
    rows = fx.table_rows()
    for form in ("{n}({r})", "{r} {n}", "({r}){n}"):
        written = form.format(n=local.name, r=local.region)
        wrong = form.format(n=local.name, r="서울")
        rows = [[cell.replace(written, wrong) for cell in row] for row in rows]
    before = await dump(loaded_db)
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(loaded_db, fx.csv_bytes(rows), name="t.csv", actor="test")
    hit = [e for e in refused.value.errors if local.name in e and "서울" in e]
    assert hit and ", column " in hit[0] and ", 지역: " in hit[0], refused.value.errors
    assert await dump(loaded_db) == before


async def test_a_table_problem_of_the_reader_refuses_the_whole_table(db: Database) -> None:
    rows = fx.table_rows()
    rows[4][0] = "기초단체모음"  # not a grading group
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, fx.csv_bytes(rows), name="t.csv", actor="test")
    assert any(
        "is not a grading group" in e and e.startswith("row 5") for e in refused.value.errors
    )
    assert all(n == 0 for n in (await counts(db)).values())


async def test_an_ordinary_question_is_no_table(db: Database) -> None:
    from storage.ingest import pasted_table

    questions = ("경남 고성군 2025 등급", "김해시 가 나 다 비교", "coverage 2024", "가: 김해시")
    for text in (*questions, "2024 김해시\n2023 김해시"):
        assert pasted_table(text, name="message") is None


async def test_korean_headers_name_the_columns_in_flat_file_problems(db: Database) -> None:
    text = "연도,기관명,시도,기관유형,평가군,등급,출처\n2023,김해시,경남,기초자치단체,기초-시,우수,https://example.org/x\n"
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, text.encode(), name="k.csv", actor="test")
    assert refused.value.errors[0].startswith("row 2, column 등급: '우수' is not a grade of 2023")


CORRECTION = """2023년 민원서비스 종합평가 결과
출처: https://example.org/2023/correction
[군]
나: 고성군(경남)
"""


async def test_a_dry_run_shows_each_change_and_warns_of_a_published_year(
    loaded_db: Database,
) -> None:
    before = await dump(loaded_db)
    report = await ingest_text(loaded_db, CORRECTION, name="message", actor="t", dry_run=True)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 0)
    lines = report.change_lines()
    assert any("공개된 2023년" in line for line in lines), lines
    assert "• 2023 경남 고성군: 가 → 나; 출처 바뀜" in lines, lines
    text = "\n".join(lines)
    assert "None" not in text and "source_url" not in text and "{" not in text
    assert await dump(loaded_db) == before  # a dry run writes nothing


async def test_a_flat_file_names_changed_columns_by_its_own_headers(
    loaded_db: Database,
) -> None:
    real = next(r for r in fx.bundled_rows() if r["group"] == "기초-시" and not r["note"])
    name = real["agency"]
    header = "연도,기관명,시도,기관유형,평가군,등급,출처,비고\n"
    line = (
        f"2023,{name},{real['region']},기초자치단체,기초-시,{real['grade']},{real['source_url']},"
        "다시 확인함\n"
    )
    report = await ingest_bytes(
        loaded_db, (header + line).encode(), name="k.csv", actor="t", dry_run=True
    )
    assert report.change_lines()[-1] == f"• 2023 {real['region']} {name}: 비고 바뀜", (
        report.change_lines()
    )
    english = "year,agency,region,agency_type,group,grade,source_url,note\n"
    report = await ingest_bytes(
        loaded_db, (english + line).encode(), name="e.csv", actor="t", dry_run=True
    )
    assert report.change_lines()[-1] == f"• 2023 {real['region']} {name}: note 바뀜"


async def test_a_pdf_table_problem_names_its_page_and_cell(loaded_db: Database) -> None:
    local = next(
        p
        for p in fx.placements()
        if p.region and p.group == "기초-시" and p.name not in agency_catalog().shared_names()
    )
    rows = fx.table_rows(title=False)
    for form in ("{n}({r})", "{r} {n}", "({r}){n}"):
        written = form.format(n=local.name, r=local.region)
        wrong = form.format(n=local.name, r="제주")
        rows = [[cell.replace(written, wrong) for cell in row] for row in rows]
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(loaded_db, fx.pdf_bytes(rows), name="t.pdf", actor="test")
    hit = [e for e in refused.value.errors if local.name in e]
    assert hit and hit[0].startswith("page 1") and "cell (" in hit[0], refused.value.errors


async def test_a_misspelt_local_name_in_a_cell_gets_a_suggestion(db: Database) -> None:
    rows = _misspelt(fx.table_rows(), "남양쥬시", "남양주시")
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, fx.csv_bytes(rows), name="t.csv", actor="test")
    [hit] = [e for e in refused.value.errors if "남양쥬시" in e]
    assert hit.startswith("row ") and ", column 가" in hit, hit
    assert "did you mean" in hit and "남양주시" in hit, hit
    assert all(n == 0 for n in (await counts(db)).values())


async def test_a_name_without_its_region_that_fits_two_agencies_is_refused(db: Database) -> None:
    rows = fx.table_rows()
    for written in ("고성군(경남)", "경남 고성군", "(경남)고성군"):
        rows = [[cell.replace(written, "고성군") for cell in row] for row in rows]
    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(db, fx.csv_bytes(rows), name="t.csv", actor="test")
    hit = [e for e in refused.value.errors if "강원 고성군" in e and "경남 고성군" in e]
    assert hit and hit[0].startswith("row "), refused.value.errors
    assert all(n == 0 for n in (await counts(db)).values())
