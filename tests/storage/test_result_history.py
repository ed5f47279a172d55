"""Issue 18: the ministry's official table loaded over results the bot already knows (its
bundled 2025 results, which came from news reports) loses nothing. A result the table
confirms keeps its earlier source, score and note, with the table's source beside them;
a former or short name in a cell never becomes the name of record; a table that would
change grades of a published year is refused, naming each change (and the year its grades
really fit), unless the operator says it is a correction; a correction keeps the earlier
version, listed with the new one. On SQLite and PostgreSQL."""

from __future__ import annotations

import official_kit as fx
import pytest
from sqlalchemy import select
from storage_kit import dump, result_of

from answers.presentation.plain import to_text
from answers.service import Answerer
from storage.db import Database
from storage.history import result_records
from storage.ingest import CorrectionRefused, ingest_bytes
from storage.models import HistoryKind, ResultHistory

YEAR = 2025
WRITTEN = {"전북특별자치도": "전라북도", "기획재정부": "기재부"}  # as some documents still write


def table(title_year: int = YEAR) -> bytes:
    return fx.csv_bytes(fx.year_table(YEAR, title_year=title_year, written=WRITTEN))


def changes_against(year: int) -> list[str]:
    """The grade changes loading the 2025 table as ``year`` makes, from the bundled rows
    (each named as that year's result is, a 시·군·구 with its region)."""
    then = {(r["agency"], r["region"]): r["grade"] for r in fx.bundled_rows(year)}
    local = {"기초-시", "기초-군", "기초-구"}
    return sorted(
        f"• {year} {r['region'] + ' ' if r['group'] in local else ''}{r['agency']}: "
        f"{then[(r['agency'], r['region'])]} → {r['grade']}"
        for r in fx.bundled_rows(YEAR)
        if (r["agency"], r["region"]) in then and then[(r["agency"], r["region"])] != r["grade"]
    )


async def history(db: Database, name: str, region: str, year: int) -> list[ResultHistory]:
    result = await result_of(db, name, region, year)
    assert result is not None
    async with db.unit_of_work() as session:
        rows = await session.scalars(
            select(ResultHistory)
            .where(ResultHistory.result_id == result.id)
            .order_by(ResultHistory.id)
        )
        return list(rows)


async def test_a_table_that_confirms_results_keeps_their_sources_beside_its_own(
    loaded_db: Database,
) -> None:
    police = await result_of(loaded_db, "경찰청", "", YEAR)
    assert police is not None and police.score == 91.8
    report = await ingest_bytes(loaded_db, table(), name="2025 결과.csv", actor="cli:ops")
    rows = len(fx.bundled_rows(YEAR))
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 0)
    assert len(report.confirmed) == rows and report.corrections == []
    assert f"{rows} confirmed by another source" in report.summary()

    after = await result_of(loaded_db, "경찰청", "", YEAR)
    assert after is not None
    assert after.source_url == police.source_url  # the article stays the figure's source
    assert (after.more_sources or "").split() == [fx.TABLE_SOURCE]
    assert (after.score, after.note, after.grade) == (police.score, police.note, police.grade)
    [confirmed] = await history(loaded_db, "경찰청", "", YEAR)
    assert confirmed.kind == HistoryKind.CONFIRMED
    assert (confirmed.source_url, confirmed.source_file, confirmed.loaded_by) == (
        fx.TABLE_SOURCE,
        "2025 결과.csv",
        "cli:ops",
    )

    again = await ingest_bytes(loaded_db, table(), name="2025 결과.csv", actor="cli:ops")
    assert (again.unchanged, len(again.confirmed), again.updated) == (rows, 0, 0)


async def test_a_former_or_short_name_in_a_cell_never_becomes_the_name_of_record(
    loaded_db: Database,
) -> None:
    await ingest_bytes(loaded_db, table(), name="2025 결과.csv", actor="cli:ops")
    jeonbuk = await result_of(loaded_db, "전북특별자치도", "전북", YEAR)
    finance = await result_of(loaded_db, "재정경제부", "", YEAR)
    assert jeonbuk is not None and jeonbuk.published_name == "전북특별자치도"
    assert finance is not None and finance.published_name == "기획재정부"
    [kept] = await history(loaded_db, "전북특별자치도", "전북", YEAR)
    assert kept.written_name == "전라북도"  # what the cell said, kept, not promoted
    [short] = await history(loaded_db, "재정경제부", "", YEAR)
    assert short.written_name == "기재부"
    answer = to_text(await Answerer(loaded_db).answer("전북특별자치도 2025"))
    assert "전라북도" not in answer and "라" in answer


async def test_a_wrong_year_is_refused_naming_each_change_and_the_year_it_fits(
    loaded_db: Database,
) -> None:
    before = await dump(loaded_db)
    with pytest.raises(CorrectionRefused) as refused:
        await ingest_bytes(loaded_db, table(2024), name="2024 결과.csv", actor="cli:ops")
    errors = refused.value.errors
    assert "--correct" in errors[0]
    assert sorted(e for e in errors if e.startswith("• ")) == changes_against(2024)
    assert "• 2024 대구광역시: 다 → 가" in errors
    assert any("2025년 기록과 78/78곳이 같고" in e and "2024년과는" in e for e in errors), errors
    assert await dump(loaded_db) == before


async def test_a_dry_run_shows_every_change_and_that_it_needs_correct(
    loaded_db: Database,
) -> None:
    before = await dump(loaded_db)
    report = await ingest_bytes(
        loaded_db, table(2024), name="2024 결과.csv", actor="cli:ops", dry_run=True
    )
    lines = report.change_lines()
    for change in changes_against(2024):  # every one, none cut off
        assert any(line.startswith(change) for line in lines), change
    assert not any("외" in line and "건" in line for line in lines)
    assert any("--correct" in line for line in lines)
    assert report.year_hint is not None and report.year_hint.best == YEAR
    assert await dump(loaded_db) == before


async def test_a_correction_keeps_the_earlier_version_and_lists_both(
    loaded_db: Database,
) -> None:
    daegu = await result_of(loaded_db, "대구광역시", "대구", 2024)
    assert daegu is not None and daegu.grade == "다"
    report = await ingest_bytes(
        loaded_db, table(2024), name="2024 결과.csv", actor="cli:ops", correct=True
    )
    assert len(report.corrections) == len(changes_against(2024))
    after = await result_of(loaded_db, "대구광역시", "대구", 2024)
    assert after is not None and after.grade == "가"
    assert (after.source_url, after.source_file, after.loaded_by) == (
        fx.TABLE_SOURCE,
        "2024 결과.csv",
        "cli:ops",
    )
    [earlier] = await history(loaded_db, "대구광역시", "대구", 2024)
    assert earlier.kind == HistoryKind.REPLACED
    assert (earlier.grade, earlier.source_url) == ("다", daegu.source_url)
    assert (earlier.published_name, earlier.note) == (daegu.published_name, daegu.note)

    records = await result_records(loaded_db, [after.agency_id], 2024)
    record = records[after.agency_id]
    assert [v.grade for v in (*record.earlier, record.current)] == ["다", "가"]
    text = to_text(await Answerer(loaded_db).answer("대구광역시 2024 출처"))
    assert "이전 판 1개" in text and daegu.source_url in text and fx.TABLE_SOURCE in text
    assert "다" in text.split("이전 판 1개")[1] and "2024 결과.csv" in text


async def test_a_changed_grade_whose_fields_stay_keeps_their_sources(
    loaded_db: Database,
) -> None:
    """경찰청's score and note came from an article: a table that changes its grade (but has
    no score column) leaves them, so their source stays listed beside the table's."""
    police = await result_of(loaded_db, "경찰청", "", YEAR)
    assert police is not None and police.score is not None
    rows = [fx.header(), ["중앙행정기관", "경찰청", "", "", "", ""]]
    await ingest_bytes(
        loaded_db,
        fx.csv_bytes(rows),
        name="정정.csv",
        actor="cli:ops",
        year=YEAR,
        source_url=fx.TABLE_SOURCE,
        correct=True,
    )
    after = await result_of(loaded_db, "경찰청", "", YEAR)
    assert after is not None and (after.grade, after.score) == ("가", police.score)
    assert after.source_url == fx.TABLE_SOURCE
    assert police.source_url in (after.more_sources or "").split()


async def test_a_new_note_on_an_unchanged_grade_keeps_the_sources_of_the_grade(
    loaded_db: Database,
) -> None:
    """A later file that only adds a note (the grade as it was) is a new version, and the
    sources that published the grade still support it: they stay beside the file's."""
    [row] = [r for r in fx.bundled_rows(YEAR) if r["agency"] == "경찰청"]
    before = await result_of(loaded_db, "경찰청", "", YEAR)
    assert before is not None and before.grade == row["grade"]
    earlier = [before.source_url, *(before.more_sources or "").split()]
    sheet = (
        "year,agency,region,agency_type,group,grade,score,group_avg,item_grades,"
        "source_url,note,more_sources\n"
        f"{YEAR},경찰청,,{row['agency_type']},{row['group']},{row['grade']},{before.score or ''},"
        f"{before.group_avg or ''},{before.item_grades or ''},https://example.org/note,"
        "기관 게시판 공개 결과,\n"
    )
    await ingest_bytes(loaded_db, sheet.encode(), name="비고.csv", actor="cli:ops")
    after = await result_of(loaded_db, "경찰청", "", YEAR)
    assert after is not None and (after.grade, after.note) == (
        row["grade"],
        "기관 게시판 공개 결과",
    )
    assert after.source_url == "https://example.org/note"
    assert set(earlier) <= set((after.more_sources or "").split())
    [replaced] = await history(loaded_db, "경찰청", "", YEAR)
    assert replaced.kind == HistoryKind.REPLACED and replaced.note == before.note
