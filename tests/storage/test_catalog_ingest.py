"""Ingest resolves every row against the catalog of its year: a misspelt name is refused
with suggestions, a shared name without its region names the agencies, a name outside its
years is refused, a name of another period is read with a note, and only --new-agencies
adds an agency the catalog lacks (audited, listed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from storage_kit import dump, row, write_csv

from storage.db import Database
from storage.ingest import IngestRefused, ingest_file
from storage.models import AuditEntry


async def _refused(db: Database, tmp_path: Path, **cells: object) -> list[str]:
    path = write_csv(tmp_path / "r.csv", [row(), row(**cells)])
    before = await dump(db)
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, path, actor="test")
    assert await dump(db) == before
    return refused.value.errors


async def test_a_misspelt_name_is_refused_with_suggestions(
    loaded_db: Database, tmp_path: Path
) -> None:
    errors = await _refused(loaded_db, tmp_path, agency="김헤시")
    assert errors[0].startswith(
        "row 3, column agency: unknown agency '김헤시' — did you mean 김해시"
    )


async def test_a_shared_name_without_region_names_every_agency(
    loaded_db: Database, tmp_path: Path
) -> None:
    errors = await _refused(loaded_db, tmp_path, agency="고성군", region="", group="기초-군")
    assert errors == [
        "row 3, column agency: '고성군' fits several agencies: 강원 고성군, 경남 고성군; add the region"
    ]


async def test_a_name_outside_its_years_is_refused(loaded_db: Database, tmp_path: Path) -> None:
    errors = await _refused(
        loaded_db,
        tmp_path,
        year=2020,
        agency="우주항공청",
        region="",
        agency_type="중앙행정기관",
        group="중앙",
    )
    assert errors == [
        "row 3, column agency: '우주항공청' was not evaluated under that name in 2020 "
        "(우주항공청: from 2024)"
    ]


async def test_a_name_of_another_period_is_read_with_a_note(
    loaded_db: Database, tmp_path: Path
) -> None:
    rows = [
        row(
            year=2021,
            agency="강원특별자치도",
            region="강원",
            agency_type="광역자치단체",
            group="광역",
            grade="다",
        )
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    report = await ingest_file(loaded_db, path, actor="test", correct=True)  # 2021 is published
    assert report.new_agencies == 0
    assert report.notes == [
        "row 2: '강원특별자치도' is not a 2021 name; read as 강원도, the same agency"
    ]
    assert "notes: row 2" in report.summary()


async def test_new_agencies_only_with_the_flag_audited_and_listed(
    loaded_db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", [row(agency="새빛군", region="전남", group="기초-군")])
    with pytest.raises(IngestRefused):
        await ingest_file(loaded_db, path, actor="test")
    report = await ingest_file(loaded_db, path, actor="op", new_agencies=True)
    assert (report.new_agencies, report.added_agencies) == (1, ["전남 새빛군"])
    assert "1 new agencies (전남 새빛군)" in report.summary()
    async with loaded_db.unit_of_work() as session:
        audit = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "agency_added"))
        ).all()
    assert [(a.actor, a.new_value) for a in audit] == [("op", "전남 새빛군")]
    again = await ingest_file(loaded_db, path, actor="op")  # known now: no flag needed
    assert (again.new_agencies, again.unchanged) == (0, 1)


def _table(*cells: str) -> bytes:
    """An official table's 군 and 자치구 rows with ``cells`` under 가 (2025, a source)."""
    import official_kit as fx

    rows = [fx.header(), ["군", cells[0], "", "", "", ""], ["자치구", cells[1], "", "", "", ""]]
    return fx.csv_bytes(rows)


async def test_a_name_with_the_wrong_region_says_where_the_name_is(loaded_db: Database) -> None:
    from storage.ingest import ingest_bytes

    with pytest.raises(IngestRefused) as refused:
        await ingest_bytes(
            loaded_db,
            _table("고성군(전남)", "서구(울산)"),
            name="t.csv",
            actor="test",
            year=2025,
            source_url="https://example.org/t",
        )
    errors = refused.value.errors
    assert errors[0] == (
        "row 2, column 가, 고성군(전남), 지역: '전남' is wrong for 고성군 in 2025 "
        "(고성군 is in 강원 and 경남)"
    )
    assert errors[1].startswith("row 3, column 가, 서구(울산), 지역: '울산' is wrong for 서구")
    assert "부산" in errors[1] and "did you mean" not in errors[1]


async def test_a_misspelt_name_with_a_region_suggests_names_there_first(
    loaded_db: Database, tmp_path: Path
) -> None:
    errors = await _refused(loaded_db, tmp_path, agency="고성균", region="경남", group="기초-군")
    assert errors[0].startswith(
        "row 3, column agency: unknown agency '고성균' — did you mean 경남 고성군"
    )
    wrong = await _refused(loaded_db, tmp_path, agency="김헤시", region="전남")
    assert "did you mean 경남 김해시" in wrong[0]  # not in 전남: named with its region
