"""A file that leaves out an optional column keeps what is stored; a CSV cut off mid-row
is refused rather than loaded with a shortened value."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.ingest import IngestRefused, ingest_file
from storage.models import Agency, Result

URL = "https://news1.kr/amp/local/busan-gyeongnam/5322897"


async def _goseong_2023(db: Database) -> Result:
    async with db.unit_of_work() as session:
        query = (
            select(Result)
            .join(Agency, Agency.id == Result.agency_id)
            .where(Agency.name == "고성군", Agency.region == "경남", Result.year == 2023)
        )
        return (await session.scalars(query)).one()


async def test_a_file_without_the_note_column_keeps_the_stored_note(
    loaded_db: Database, tmp_path: Path
) -> None:
    before = await _goseong_2023(loaded_db)
    assert before.note
    sheet = tmp_path / "no-note.csv"
    sheet.write_text(
        f"year,agency,region,agency_type,grade,source_url\n2023,고성군,경남,기초자치단체,가,{URL}\n",
        encoding="utf-8",
    )
    report = await ingest_file(loaded_db, sheet, actor="test")
    after = await _goseong_2023(loaded_db)
    assert (report.updated, report.unchanged) == (0, 1)
    assert after.note == before.note


async def test_a_csv_cut_off_mid_row_is_refused(loaded_db: Database, tmp_path: Path) -> None:
    rows = [
        "year,agency,region,agency_type,group,grade,score,group_avg,item_grades,source_url,note",
        f"2023,김해시,경남,기초자치단체,기초-시,나,,,,{URL},",
        "2023,양산시,경남,기초자치단체,기초-시,다,,,,https://example.org/cut",
    ]
    sheet = tmp_path / "cut.csv"
    sheet.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(loaded_db, sheet, actor="test")
    assert any("row 3, column 11" in error and "cut off" in error for error in refused.value.errors)


async def test_a_row_with_a_bad_year_still_lists_its_other_problems(
    loaded_db: Database, tmp_path: Path
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "year,agency,region,agency_type,grade,score,source_url\n2099,양산시,경남,기초자치단체,A,200,nope\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(loaded_db, sheet, actor="test")
    columns = {error.split(":")[0].split(",")[1].strip() for error in refused.value.errors}
    assert {"column year", "column score", "column source_url"} <= columns
