"""A bad results file is refused whole, every problem listed as ``row N, column X: …``,
and the database is left exactly as it was (every table dumped before and after)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from storage_kit import NEW_YEAR, URL, csv_text, dump, good_rows, row, write_csv, write_xlsx

from intake.sheets import COLUMNS
from storage.db import Database
from storage.ingest import IngestRefused, ingest_file

ROW_ERROR = re.compile(r"^row \d+, column [^:]+: .+")


@dataclass(frozen=True)
class Bad:
    """A bad file: its bytes, the file name, and what the errors must say."""

    make: Callable[[], bytes]
    expected: tuple[str, ...]
    name: str = "results.csv"
    row_errors: bool = True  # every error is "row N, column X: …"


def rows_csv(*rows: dict[str, object], header: tuple[str, ...] = COLUMNS) -> Callable[[], bytes]:
    return lambda: csv_text(rows, header).encode("utf-8")


def with_good(*bad: dict[str, object]) -> Callable[[], bytes]:
    """Good rows first (they would insert), then the bad ones."""
    return rows_csv(*good_rows(), *bad)


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    sheet.append(
        [NEW_YEAR, "김해시", "경남", "기초자치단체", "기초-시", "가", None, None, None, URL]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


HEADER = ",".join(COLUMNS).encode()

CASES: dict[str, Bad] = {
    "grade 가 in 2017 (최우수/우수/보통)": Bad(
        with_good(row(year=2017, group="", grade="가")),
        ("row 5, column grade: '가' is not a grade of 2017", "최우수, 우수, 보통"),
    ),
    "grade S in 2020 (가–마)": Bad(
        with_good(row(year=2020, grade="S")), ("row 5, column grade: 'S' is not a grade of 2020",)
    ),
    "missing grade": Bad(with_good(row(grade="")), ("row 5, column grade: missing",)),
    "missing agency type": Bad(
        with_good(row(agency_type="")), ("row 5, column agency_type: missing",)
    ),
    "unknown agency type": Bad(
        with_good(row(agency_type="공기업")), ("row 5, column agency_type: unknown type '공기업'",)
    ),
    "year 2015": Bad(
        with_good(row(year=2015, grade="S")), ("row 5, column year: 2015 is out of range",)
    ),
    "year 2099": Bad(with_good(row(year=2099)), ("row 5, column year: 2099 is out of range",)),
    "year as text": Bad(with_good(row(year="올해")), ("row 5, column year: '올해' is not a year",)),
    "missing year": Bad(with_good(row(year="")), ("row 5, column year: missing",)),
    "duplicate rows": Bad(
        with_good(row(agency="양산시", grade="나")),
        ("row 5, column agency: duplicate of row 3 (양산시 2026)",),
    ),
    "duplicate under a former name": Bad(
        rows_csv(
            row(agency="강원도", region="강원", agency_type="광역자치단체", group="광역"),
            row(agency="강원특별자치도", region="강원", agency_type="광역자치단체", group="광역"),
        ),
        ("row 3, column agency: duplicate of row 2 (강원특별자치도 2026)",),
    ),
    "김해시 in 전남": Bad(
        with_good(row(agency="김해시", region="전남", year=2024)),
        ("row 5, column region: '전남' is wrong for 김해시 in 2024 (it is in 경남)",),
    ),
    "서울특별시 in 부산": Bad(
        with_good(
            row(agency="서울특별시", region="부산", agency_type="광역자치단체", group="광역")
        ),
        ("row 5, column region: '부산' is wrong for 서울특별시 in 2026 (it is in 서울)",),
    ),
    "김해시 in 전남 in 2016": Bad(
        with_good(row(agency="김해시", region="전남", year=2016, group="")),
        ("row 5, column region: '전남' is wrong for 김해시 in 2016 (it is in 경남)",),
    ),
    "central agency with a region": Bad(
        with_good(
            row(agency="행정안전부", region="서울", agency_type="중앙행정기관", group="중앙")
        ),
        ("row 5, column region: a central agency has no region",),
    ),
    "missing region of a shared name": Bad(
        with_good(row(agency="고성군", group="기초-군", region="")),
        ("row 5, column agency: '고성군' fits several agencies: 강원 고성군, 경남 고성군",),
    ),
    "unknown region": Bad(with_good(row(region="화성")), ("row 5, column region: unknown region",)),
    "group that does not fit": Bad(
        with_good(row(group="기초-군")), ("row 5, column group: '기초-군' does not fit 김해시",)
    ),
    "missing required column": Bad(
        rows_csv(row(), header=tuple(c for c in COLUMNS if c != "grade")),
        ("row 1, column grade: missing (required)",),
    ),
    "unknown column": Bad(
        rows_csv(row(color="red"), header=(*COLUMNS, "color")),
        ("row 1, column color: unknown column",),
    ),
    "column twice": Bad(
        rows_csv(row(), header=(*COLUMNS, "등급")), ("row 1, column 등급: appears twice",)
    ),
    "source that is not a URL": Bad(
        with_good(row(source_url="연합뉴스 2026-02-01")),
        ("row 5, column source_url: '연합뉴스 2026-02-01' is not an http(s) URL",),
    ),
    "a further source that is not a URL": Bad(
        with_good(row(more_sources="https://example.org/a 경남도민일보")),
        ("row 5, column more_sources: '경남도민일보' is not an http(s) URL",),
    ),
    "ftp source": Bad(
        with_good(row(source_url="ftp://example.org/x")),
        ("row 5, column source_url: 'ftp://example.org/x' is not an http(s) URL",),
    ),
    "missing source": Bad(with_good(row(source_url="")), ("row 5, column source_url: missing",)),
    "score above 100": Bad(
        with_good(row(score="101")), ("row 5, column score: 101.0 is outside 0–100",)
    ),
    "negative group average": Bad(
        with_good(row(group_avg="-3")), ("row 5, column group_avg: -3.0 is outside 0–100",)
    ),
    "score that is not a number": Bad(
        with_good(row(score="높음")), ("row 5, column score: '높음' is not a number",)
    ),
    "score nan": Bad(with_good(row(score="nan")), ("row 5, column score: 'nan' is not a number",)),
    "item grade off the scale": Bad(
        with_good(row(item_grades="만족도=A")), ("row 5, column item_grades: 'A' is not a grade",)
    ),
    "unknown item": Bad(
        with_good(row(item_grades="친절도=가")),
        ("row 5, column item_grades: '친절도=가' is not item=grade",),
    ),
    "item without a grade": Bad(
        with_good(row(item_grades="만족도")),
        ("row 5, column item_grades: '만족도' is not item=grade",),
    ),
    "item twice": Bad(
        with_good(row(item_grades="만족도=가;민원만족도=나")),
        ("row 5, column item_grades: 만족도 appears twice",),
    ),
    "a value past the header": Bad(
        lambda: HEADER + b"\n" + csv_text([row()]).splitlines()[1].encode() + b",extra\n",
        ("row 2, column 13: a value past the header's last column",),
    ),
    "an agency outside the catalog (no --new-agencies)": Bad(
        rows_csv(row(agency="새빛군", region="전남", group="기초-군")),
        ("row 2, column agency: unknown agency '새빛군'",),
    ),
    "a known agency under another type": Bad(
        with_good(
            row(agency="행정안전부", region="세종", agency_type="광역자치단체", group="광역")
        ),
        ("row 5, column agency_type: 행정안전부 is a 중앙행정기관",),
    ),
    "empty file": Bad(lambda: b"", ("results.csv: the file is empty",), row_errors=False),
    "only blank lines": Bad(
        lambda: b"\n \r\n\t\n", ("results.csv: the file is empty",), row_errors=False
    ),
    "header only": Bad(
        lambda: HEADER + b"\n", ("results.csv: no data rows under the header",), row_errors=False
    ),
    "header and blank rows": Bad(
        lambda: HEADER + b"\n,,,,,,,,,,\n\n",
        ("results.csv: no data rows under the header",),
        row_errors=False,
    ),
    "binary garbage": Bad(
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        ("results.csv:",),
        row_errors=False,
    ),
    "binary with NUL bytes that decodes": Bad(
        lambda: b"year,agency\x00\x00\x00\n2026,\x00\n",
        ("results.csv: binary data, not a CSV file",),
        row_errors=False,
    ),
    "truncated XLSX": Bad(
        lambda: xlsx_bytes()[:700],
        ("results.xlsx: not a readable XLSX workbook",),
        name="results.xlsx",
        row_errors=False,
    ),
    "a zip that is no workbook": Bad(
        zip_without_workbook,
        ("results.xlsx: not a readable XLSX workbook",),
        name="results.xlsx",
        row_errors=False,
    ),
    "CSV named .xlsx": Bad(
        with_good(),
        ("results.xlsx: not a readable XLSX workbook",),
        name="results.xlsx",
        row_errors=False,
    ),
    "neither UTF-8 nor CP949 (Windows-1252 €)": Bad(
        lambda: HEADER + "\n2026,김해시,경남,기초자치단체,,가,,,,".encode() + b"\x80\x80\n",
        ("results.csv: text is neither UTF-8 nor CP949",),
        row_errors=False,
    ),
    "UTF-16": Bad(
        lambda: csv_text([row()]).encode("utf-16"),
        ("results.csv: text is neither UTF-8 nor CP949",),
        row_errors=False,
    ),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
async def test_a_bad_file_is_refused_whole_and_writes_nothing(
    shared_loaded_db: Database, tmp_path: Path, case: Bad
) -> None:
    """Each case runs on the module's one database with the bundled data: had any case
    written anything, its own before/after dump would differ."""
    db = shared_loaded_db
    path = tmp_path / case.name
    path.write_bytes(case.make())
    before = await dump(db)
    for dry_run in (False, True):
        with pytest.raises(IngestRefused) as refused:
            await ingest_file(db, path, actor="test", dry_run=dry_run)
        errors = refused.value.errors
        text = "\n".join(errors)
        for expected in case.expected:
            assert expected in text, text
        if case.row_errors:
            assert all(ROW_ERROR.match(line) for line in errors), errors
    assert await dump(db) == before


async def test_every_problem_of_every_row_is_listed(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "many.csv",
        [
            row(year=2099, agency_type="공기업"),
            row(agency="양산시", grade="Z", score="200", source_url="기사"),
            row(agency="의령군", group="기초-군"),
        ],
    )
    before = await dump(db)
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, path, actor="test")
    errors = refused.value.errors
    assert [e.split(":")[0] for e in errors] == [
        "row 2, column year",
        "row 2, column agency_type",
        "row 3, column grade",
        "row 3, column score",
        "row 3, column source_url",
    ]
    assert await dump(db) == before


async def test_rows_are_numbered_as_a_spreadsheet_shows_them(db: Database, tmp_path: Path) -> None:
    """Blank lines count: the bad row below is row 6 in Excel, so the error says row 6."""
    lines = csv_text(
        [row(), row(agency="양산시"), row(agency="의령군", group="기초-군", grade="Q")]
    ).splitlines()
    text = "\n".join([lines[0], lines[1], "", ",,,,,,,,,,", lines[2], lines[3]]) + "\n"
    path = tmp_path / "gaps.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, path, actor="test")
    assert refused.value.errors == [
        "row 6, column grade: 'Q' is not a grade of 2026 (allowed: 가, 나, 다, 라, 마)"
    ]


async def test_rows_of_a_workbook_are_numbered_as_excel_shows_them(
    db: Database, tmp_path: Path
) -> None:
    good = [
        NEW_YEAR,
        "김해시",
        "경남",
        "기초자치단체",
        "기초-시",
        "가",
        None,
        None,
        None,
        URL,
        None,
    ]
    bad = [NEW_YEAR, "양산시", "경남", "기초자치단체", "기초-시", "Q", None, None, None, URL, None]
    path = write_xlsx(tmp_path / "gaps.xlsx", [good, [None] * 11, bad], COLUMNS)
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, path, actor="test")
    assert [e.split(":")[0] for e in refused.value.errors] == ["row 4, column grade"]


async def test_a_flood_of_errors_is_cut_short(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "flood.csv", [row(agency=f"가{i}시", grade="Q") for i in range(500)]
    )
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, path, actor="test")
    errors = refused.value.errors
    assert len(errors) <= 201
    assert errors[-1].startswith("… and 300 more problems")


async def test_a_missing_or_unreadable_file_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, tmp_path / "nowhere.csv", actor="test")
    assert "no such file" in refused.value.errors[0]
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, tmp_path, actor="test")
    assert "a folder, not a file" in refused.value.errors[0]
    unreadable = tmp_path / "locked.csv"
    unreadable.write_text("year\n", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(IngestRefused) as refused:  # not "the database is unavailable"
        await ingest_file(db, unreadable, actor="test")
    assert "locked.csv: cannot be read (Permission denied)" in refused.value.errors[0]
