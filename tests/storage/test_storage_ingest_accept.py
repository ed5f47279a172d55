"""Good files load, whatever the spreadsheet program did to them; loading twice changes
nothing; a changed grade is an audited update; a new year is a draft until published."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select
from storage_kit import (
    MORE_SOURCES,
    NEW_YEAR,
    URL,
    audit_entries,
    bundled_rows,
    counts,
    csv_text,
    dump,
    good_rows,
    result_of,
    row,
    write_csv,
    write_xlsx,
)

from answers.presentation.plain import to_text
from answers.service import Answerer
from answers.understanding.context import Viewer
from intake.sheets import COLUMNS
from storage.db import Database
from storage.ingest import CorrectionRefused, IngestRefused, ingest_bytes, ingest_file
from storage.models import EvaluationYear, YearStatus
from storage.publishing import PublishError, publish_year
from storage.repositories import ResultRepository, YearRepository

KOREAN = (
    "연도",
    "기관명",
    "시도",
    "기관유형",
    "평가군",
    "등급",
    "점수",
    "평균",
    "항목등급",
    "출처",
    "비고",
    "추가출처",
)


async def assert_good_rows_loaded(db: Database) -> None:
    gimhae = await result_of(db, "김해시", "경남", NEW_YEAR)
    yangsan = await result_of(db, "양산시", "경남", NEW_YEAR)
    uiryeong = await result_of(db, "의령군", "경남", NEW_YEAR)
    assert gimhae is not None and yangsan is not None and uiryeong is not None
    assert (gimhae.grade, gimhae.grading_group, gimhae.source_url) == ("가", "기초-시", URL)
    assert (yangsan.grade, yangsan.score, yangsan.group_avg) == ("나", 88.5, 84.1)
    assert yangsan.more_sources == MORE_SOURCES and gimhae.more_sources is None
    assert uiryeong.item_grades == {
        "전략체계": "다",
        "제도운영": "라",
        "국민신문고": "다",
        "고충민원": "다",
        "만족도": "가",
    }


def messy(cells: dict[str, object]) -> dict[str, object]:
    """What hand-edited spreadsheets look like: full-width digits, stray and odd spaces,
    full province names and short types."""
    out: dict[str, object] = {
        k: f"  {v}\u3000" if v not in ("", None) else v for k, v in cells.items()
    }
    out["year"] = str(cells["year"]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    out["region"] = " 경상남도 "
    out["agency_type"] = "기초" if cells["agency_type"] == "기초자치단체" else cells["agency_type"]
    return out


def to_korean(cells: dict[str, object]) -> dict[str, object]:
    return {korean: cells[english] for korean, english in zip(KOREAN, COLUMNS, strict=True)}


@pytest.mark.parametrize(
    "kind", ["utf-8", "utf-8 with BOM", "cp949", "korean headers", "messy cells", "crlf"]
)
async def test_csv_variants_load(db: Database, tmp_path: Path, kind: str) -> None:
    rows = good_rows()
    path = tmp_path / "results.csv"
    if kind == "utf-8":
        write_csv(path, rows)
    elif kind == "utf-8 with BOM":
        write_csv(path, rows, encoding="utf-8-sig")
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    elif kind == "cp949":
        write_csv(path, [to_korean(r) for r in rows], header=KOREAN, encoding="cp949")
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    elif kind == "korean headers":
        write_csv(path, [to_korean(r) for r in rows], header=KOREAN)
    elif kind == "messy cells":
        header = [f" {c.upper()} " for c in COLUMNS]
        lines = csv_text([messy(r) for r in rows]).splitlines()
        path.write_text("\n".join([",".join(header), *lines[1:]]) + "\n\n\n", encoding="utf-8")
        assert "２０２６" in path.read_text(encoding="utf-8")
    elif kind == "crlf":
        path.write_bytes(csv_text(rows).replace("\n", "\r\n").encode("utf-8-sig"))
    report = await ingest_file(db, path, actor="test")
    assert (report.rows, report.inserted, report.updated) == (3, 3, 0)
    assert report.new_years == [NEW_YEAR]
    await assert_good_rows_loaded(db)


async def test_xlsx_written_by_pandas_loads(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "results.xlsx"
    pd.DataFrame(good_rows(), columns=list(COLUMNS)).to_excel(path, index=False)
    report = await ingest_file(db, path, actor="test")
    assert (report.rows, report.inserted) == (3, 3)
    await assert_good_rows_loaded(db)


async def test_xlsx_with_numeric_cells_and_korean_headers_loads(
    db: Database, tmp_path: Path
) -> None:
    typed = []
    for cells in good_rows():
        values: list[object] = [cells[c] if cells[c] != "" else None for c in COLUMNS]
        values[0] = NEW_YEAR  # an int cell
        values[6] = float(str(cells["score"])) if cells["score"] else None
        values[7] = float(str(cells["group_avg"])) if cells["group_avg"] else None
        typed.append(values)
    path = write_xlsx(tmp_path / "결과.xlsx", typed, KOREAN)
    report = await ingest_file(db, path, actor="test")
    assert (report.rows, report.inserted) == (3, 3)
    await assert_good_rows_loaded(db)


async def test_the_same_file_twice_changes_nothing(loaded_db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "results.csv", good_rows())
    first = await ingest_file(loaded_db, path, actor="test")
    assert (first.inserted, first.updated, first.new_agencies) == (3, 0, 0)
    before = await dump(loaded_db)

    second = await ingest_file(loaded_db, path, actor="test")
    assert (second.rows, second.inserted, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert second.new_years == [] and second.new_agencies == 0
    assert not second.changed
    assert "0 new, 0 updated, 3 unchanged" in second.summary()
    assert await dump(loaded_db) == before  # no audit rows, no data version bump


async def test_the_same_data_in_another_format_changes_nothing(
    loaded_db: Database, tmp_path: Path
) -> None:
    await ingest_file(loaded_db, write_csv(tmp_path / "a.csv", good_rows()), actor="test")
    before = await dump(loaded_db)
    xlsx = tmp_path / "b.xlsx"
    pd.DataFrame([to_korean(r) for r in good_rows()], columns=list(KOREAN)).to_excel(
        xlsx, index=False
    )
    cp949 = write_csv(tmp_path / "c.csv", [messy(r) for r in good_rows()], encoding="cp949")
    for path in (xlsx, cp949):
        report = await ingest_file(loaded_db, path, actor="test")
        assert (report.inserted, report.updated, report.unchanged) == (0, 0, 3)
    assert await dump(loaded_db) == before


async def test_the_bundled_file_loaded_again_by_hand_changes_nothing(
    loaded_db: Database,
) -> None:
    from storage.bundled_data import bundled_bytes

    before = await dump(loaded_db)
    report = await ingest_bytes(loaded_db, bundled_bytes(), name="grades.csv", actor="test")
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (
        bundled_rows(),
        0,
        0,
        bundled_rows(),
    )
    assert await dump(loaded_db) == before


async def test_a_changed_grade_is_an_audited_update(loaded_db: Database, tmp_path: Path) -> None:
    old = await result_of(loaded_db, "고성군", "경남", 2023)
    assert old is not None and old.grade == "가"
    correction = row(
        year=2023,
        agency="고성군",
        group="기초-군",
        grade="나",
        source_url="https://example.org/correction",
        note="정정 보도",
    )
    path = write_csv(tmp_path / "정정.csv", [correction])
    before = await counts(loaded_db)
    unchanged = await dump(loaded_db)
    with pytest.raises(CorrectionRefused) as refused:  # 2023 is published: on purpose only
        await ingest_file(loaded_db, path, actor="cli:analyst")
    assert "• 2023 경남 고성군: 가 → 나" in refused.value.errors
    assert await dump(loaded_db) == unchanged

    report = await ingest_file(loaded_db, path, actor="cli:analyst", correct=True)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 0)
    assert report.grade_changes == [(2023, "고성군", "가", "나")]
    new = await result_of(loaded_db, "고성군", "경남", 2023)
    assert new is not None and new.id == old.id
    assert (new.grade, new.source_url, new.note) == (
        "나",
        "https://example.org/correction",
        "정정 보도",
    )
    assert new.updated_at > old.updated_at
    other = await result_of(loaded_db, "고성군", "강원", 2023)
    assert other is not None and other.grade == "다"  # the other 고성군 is untouched

    after = await counts(loaded_db)
    assert after == {**before, "audit": before["audit"] + 1}
    [entry] = await audit_entries(loaded_db, "grade_changed")
    assert (entry.old_value, entry.new_value) == ("가", "나")
    assert (entry.actor, entry.source_file, entry.year) == ("cli:analyst", "정정.csv", 2023)
    assert entry.agency_id == old.agency_id
    assert entry.detail is not None and "grade" in entry.detail["fields"]

    again = await ingest_file(loaded_db, path, actor="cli:analyst")  # no change: no --correct
    assert (again.updated, again.unchanged) == (0, 1)
    assert len(await audit_entries(loaded_db, "grade_changed")) == 1


async def test_a_changed_note_is_an_update_that_keeps_the_grade(
    loaded_db: Database, tmp_path: Path
) -> None:
    old = await result_of(loaded_db, "고성군", "경남", 2023)
    assert old is not None
    note = "  출처 두 곳:  news1 · 경남도민일보 (2024.2.)  "
    corrected = row(
        year=2023,
        agency="고성군",
        group="기초-군",
        grade=old.grade,
        source_url=old.source_url,
        note=note,
    )
    report = await ingest_file(
        loaded_db, write_csv(tmp_path / "note.csv", [corrected]), actor="test"
    )
    assert (report.updated, report.grade_changes) == (1, [])
    new = await result_of(loaded_db, "고성군", "경남", 2023)
    assert new is not None and new.note == note.strip()  # kept as written, ends trimmed
    [entry] = await audit_entries(loaded_db, "result_updated")
    assert entry.detail is not None and entry.detail["fields"] == ["note"]


async def test_a_new_year_is_a_draft_until_published(loaded_db: Database, tmp_path: Path) -> None:
    answerer = Answerer(loaded_db)
    report = await ingest_file(
        loaded_db, write_csv(tmp_path / "2026.csv", good_rows()), actor="test"
    )
    assert report.new_years == [NEW_YEAR]
    assert "draft" in report.summary()
    async with loaded_db.unit_of_work() as session:
        year = await YearRepository(session).get_by_year(NEW_YEAR)
        assert year is not None and year.status == YearStatus.DRAFT
        assert await ResultRepository(session).list_for_years([NEW_YEAR]) == []
        assert (
            len(await ResultRepository(session).list_for_years([NEW_YEAR], include_drafts=True))
            == 3
        )
    public = to_text(await answerer.answer("김해시 2026 등급"))
    admin = to_text(await answerer.answer("김해시 2026 등급", Viewer(is_admin=True)))
    assert "2026년 가" not in public
    assert "2026년 가" in admin
    [added] = [e for e in await audit_entries(loaded_db, "year_added") if e.year == NEW_YEAR]
    assert added.new_value == YearStatus.DRAFT and added.source_file == "2026.csv"

    published = await publish_year(loaded_db, NEW_YEAR, actor="cli:admin")
    assert (published.results, published.already_published) == (3, False)
    async with loaded_db.unit_of_work() as session:
        year = await session.get(EvaluationYear, NEW_YEAR)
        assert year is not None and year.status == YearStatus.PUBLISHED
        assert year.published_at is not None
    [entry] = await audit_entries(loaded_db, "year_published")
    assert (entry.year, entry.actor) == (NEW_YEAR, "cli:admin")
    assert (entry.old_value, entry.new_value) == (YearStatus.DRAFT, YearStatus.PUBLISHED)
    assert "2026년 가" in to_text(await answerer.answer("김해시 2026 등급"))

    before = await dump(loaded_db)
    twice = await publish_year(loaded_db, NEW_YEAR, actor="cli:admin")
    assert twice.already_published and "nothing changed" in twice.summary()
    assert await dump(loaded_db) == before


async def test_publishing_an_unknown_year_raises_and_writes_nothing(
    shared_loaded_db: Database,
) -> None:
    before = await dump(shared_loaded_db)
    for year in (2099, 2026, 2015):
        with pytest.raises(PublishError, match=f"{year} is not in the database"):
            await publish_year(shared_loaded_db, year, actor="test")
    assert await dump(shared_loaded_db) == before


async def test_dry_run_writes_nothing_but_reports_what_would_change(
    shared_loaded_db: Database, tmp_path: Path
) -> None:
    db = shared_loaded_db
    rows = [
        *good_rows(),
        row(year=2023, agency="고성군", group="기초-군", grade="나"),  # an update
        row(
            year=2023,
            agency="고성군",
            region="강원",
            group="기초-군",
            grade="다",
            source_url="https://www.srtoday.co.kr/%ec%86%8d%ec%b4%88%ec%8b%9c-%eb%af%bc%ec%9b%90%ec%84%9c%eb%b9%84%ec%8a%a4-%ed%8f%89%ea%b0%80-%ea%b0%95%ec%9b%90%eb%8f%84%ec%84%9c-%ec%b5%9c%ed%95%98%ec%9c%84-%eb%a7%88%eb%93%b1/",
            note="",
        ),  # unchanged (the bundled row has no note)
        row(agency="새빛군", group="기초-군"),  # a new agency
    ]
    path = write_csv(tmp_path / "preview.csv", rows)
    before = await dump(db)
    report = await ingest_file(db, path, actor="test", dry_run=True, new_agencies=True)
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (6, 4, 1, 1)
    assert (report.new_agencies, report.new_years) == (1, [NEW_YEAR])
    assert report.grade_changes == [(2023, "고성군", "가", "나")]
    assert report.summary().startswith("preview.csv: would load 6 rows — 4 new, 1 updated")
    assert await dump(db) == before


async def test_an_ingest_that_fails_midway_writes_nothing(
    shared_loaded_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing: an error after some rows were written rolls all of them back."""
    import storage.ingest as ingest_module

    real = ingest_module._in_batches  # the bulk writes: fail after the first one ran
    calls = 0

    async def fail_on_second(*args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "_in_batches", fail_on_second)
    before = await dump(shared_loaded_db)
    with pytest.raises(RuntimeError, match="disk full"):
        await ingest_file(
            shared_loaded_db, write_csv(tmp_path / "r.csv", good_rows()), actor="test"
        )
    assert calls == 2
    assert await dump(shared_loaded_db) == before


async def test_a_refused_correction_leaves_the_old_grade(
    shared_loaded_db: Database, tmp_path: Path
) -> None:
    rows = [row(year=2023, agency="고성군", group="기초-군", grade="나"), row(grade="X")]
    with pytest.raises(IngestRefused):
        await ingest_file(shared_loaded_db, write_csv(tmp_path / "r.csv", rows), actor="test")
    kept = await result_of(shared_loaded_db, "고성군", "경남", 2023)
    assert kept is not None and kept.grade == "가"


async def test_agencies_new_to_the_database_get_their_aliases(db: Database, tmp_path: Path) -> None:
    rows = [
        row(agency="전라북도", region="전북", agency_type="광역자치단체", group="광역"),
        row(agency="행정안전부", region="", agency_type="중앙", group=""),
    ]
    report = await ingest_file(db, write_csv(tmp_path / "r.csv", rows), actor="test")
    assert report.new_agencies == 0  # catalog agencies, not new ones
    assert report.notes == []  # 전라북도 is 전북특별자치도's former name in the catalog
    jeonbuk = await result_of(db, "전북특별자치도", "전북", NEW_YEAR)
    mois = await result_of(db, "행정안전부", "", NEW_YEAR)
    # the name of record is the catalog's for 2026; the file's former name is only kept
    assert jeonbuk is not None and jeonbuk.published_name == "전북특별자치도"
    assert jeonbuk.written_name == "전라북도"
    assert mois is not None and mois.grading_group == "중앙"
    answerer = Answerer(db)
    await publish_year(db, NEW_YEAR, actor="test")
    assert "2026년 가" in to_text(await answerer.answer("행안부 2026"))
    async with db.unit_of_work() as session:
        years = await session.scalars(select(EvaluationYear.year))
        assert list(years) == [NEW_YEAR]
