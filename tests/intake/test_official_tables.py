"""Official result tables: the same small 2023 table in every format reads to the same cells;
a broken or hostile table is refused with the place named, never with an exception."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from importlib import resources

import official_kit as fx
import pytest

from intake.official_tables import (
    OfficialTable,
    looks_official,
    read_official_table,
    read_official_text,
)

FORMATS: dict[str, Callable[[], OfficialTable | None]] = {
    "csv utf-8 with BOM": lambda: read_official_table(fx.csv_bytes(), name="결과.csv"),
    "csv utf-8": lambda: read_official_table(fx.csv_bytes(encoding="utf-8"), name="결과.csv"),
    "csv cp949": lambda: read_official_table(fx.csv_bytes(encoding="cp949"), name="결과.csv"),
    "tsv": lambda: read_official_table(fx.csv_bytes(delimiter="\t"), name="결과.tsv"),
    "xlsx": lambda: read_official_table(fx.xlsx_bytes(), name="결과.xlsx"),
    "pasted tabs": lambda: read_official_text(fx.pasted_tabs()),
    "pasted pipes": lambda: read_official_text(fx.pasted_pipes()),
    "pasted lines": lambda: read_official_text(fx.pasted_lines()),
    "hwpx": lambda: read_official_table(fx.hwpx_bytes(), name="결과.hwpx"),
    "pdf": lambda: read_official_table(fx.pdf_bytes(), name="결과.pdf"),
    # large type: names wrap inside narrow cells and the table runs onto a second page
    "pdf over two pages": lambda: read_official_table(fx.pdf_bytes(size=20), name="결과.pdf"),
}


def _cells(table: OfficialTable) -> set[tuple[str, str, str, str | None]]:
    return {(cell.group, cell.grade, cell.name, cell.region) for cell in table.cells}


def _problems(table: OfficialTable | None) -> list[str]:
    assert table is not None
    return [f"{where}: {message}" for where, message in table.problems]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_reads_to_the_same_cells(fmt: str) -> None:
    table = FORMATS[fmt]()
    assert table is not None
    assert table.problems == ()
    assert (table.year, table.source_url) == (fx.YEAR, fx.SOURCE)
    assert _cells(table) == fx.expected_cells()
    assert len(table.cells) == len(fx.placements())  # no name read twice
    groups = {cell.group for cell in table.cells}
    assert groups == {"중앙", "광역", "교육청", "기초-시", "기초-군", "기초-구"}


def test_a_pdf_table_continued_on_the_next_page_is_read_to_its_end() -> None:
    table = FORMATS["pdf over two pages"]()
    assert table is not None and table.ok
    pages = {cell.where.split(",")[0] for cell in table.cells}
    assert pages == {"page 1", "page 2"}


def test_the_cells_are_the_bundled_rows_they_came_from() -> None:
    table = read_official_table(fx.csv_bytes(), name="결과.csv")
    assert table is not None and table.ok
    keys = ("year", "agency", "agency_type", "group", "grade")
    bundled = {tuple(row[key] for key in keys) for row in fx.bundled_rows()}
    read = {tuple(row[key] for key in keys) for row in table.rows()}
    assert read <= bundled
    for row in table.rows():
        assert row["source_url"] == fx.SOURCE
        if row["group"].startswith("기초"):
            assert row["region"], row  # every 기초 cell was written with its region


@pytest.mark.parametrize(
    ("fmt", "where"),
    [
        ("csv utf-8", "row 5, column 가"),  # title, 출처 and a blank row above the header
        ("xlsx", "row 4, column 가등급"),  # the file's own header, as written
        ("pasted pipes", "line 5, column 가"),
        ("hwpx", "row 2, column 가"),
        ("pdf", "page 1, cell (2, 2), column 가"),
    ],
)
def test_cells_are_located_as_the_reader_sees_them(fmt: str, where: str) -> None:
    table = FORMATS[fmt]()
    assert table is not None
    first = next(p for p in fx.placements() if p.group == "중앙" and p.grade == "가")
    assert next(cell.where for cell in table.cells if cell.name == first.name) == where


@pytest.mark.parametrize(
    ("written", "name", "region"),
    [
        ("고성군(경남)", "고성군", "경남"),
        ("경남 고성군", "고성군", "경남"),
        ("(경남)고성군", "고성군", "경남"),
        ("고성군 (강원)", "고성군", "강원"),
        ("경상남도 고성군", "고성군", "경상남도"),
        ("고성군", "고성군", None),
    ],
)
def test_regions_are_kept_as_written(written: str, name: str, region: str | None) -> None:
    rows = [["구분", "가", "나"], ["기초-군", written, "양산시"], ["시", "", "김해시"]]
    table = read_official_table(_csv(rows), name="t.csv", year=2023, source_url=fx.SOURCE)
    assert table is not None
    assert ("기초-군", "가", name, region) in _cells(table)


def test_names_split_on_commas_dots_spaces_and_line_breaks() -> None:
    rows = [
        ["평가군", "가", "나"],
        ["중앙행정기관", "관세청, 특허청·인사혁신처\n병무청 조달청", "-"],
    ]
    table = read_official_table(_csv(rows), name="t.csv", year=2023, source_url=fx.SOURCE)
    assert table is not None and table.ok
    assert sorted(cell.name for cell in table.cells) == [
        "관세청",
        "병무청",
        "인사혁신처",
        "조달청",
        "특허청",
    ]


def test_a_row_for_the_whole_local_level_takes_each_group_from_the_suffix() -> None:
    rows = [["구분", "가", "나"], ["시·군·구", "김해시(경남), 고성군(경남)", "서울 중구"]]
    table = read_official_table(_csv(rows), name="t.csv", year=2023, source_url=fx.SOURCE)
    assert table is not None and table.ok
    assert _cells(table) == {
        ("기초-시", "가", "김해시", "경남"),
        ("기초-군", "가", "고성군", "경남"),
        ("기초-구", "나", "중구", "서울"),
    }


def test_the_command_line_gives_year_and_source_when_the_file_does_not() -> None:
    data = fx.csv_bytes(fx.table_rows(title=False))
    table = read_official_table(data, name="t.csv", year=2023, source_url=fx.SOURCE)
    assert table is not None and table.ok
    assert (table.year, table.source_url) == (2023, fx.SOURCE)


def test_the_one_row_per_agency_layout_is_not_an_official_table() -> None:
    data = resources.files("storage.bundled").joinpath("grades.csv").read_bytes()
    assert read_official_table(data, name="grades.csv") is None
    assert read_official_text("경남 고성군 2025 등급 알려줘") is None
    assert read_official_text("김해시 2023\n양산시 2023") is None


def test_looks_official() -> None:
    assert looks_official(fx.table_rows())
    assert looks_official([["", "최우수", "우수", "보통", "미흡", "매우미흡"]])
    assert not looks_official([["year", "agency", "grade"], ["2023", "김해시", "가"]])


def test_a_totals_row_and_column_are_not_read_as_names() -> None:
    rows = [["구분", "가", "나", "계"], ["중앙", "관세청", "병무청", "2"], ["계", "1", "1", "2"]]
    table = read_official_table(_csv(rows), name="t.csv", year=2023, source_url=fx.SOURCE)
    assert table is not None and table.ok, table.problems
    assert {c.name for c in table.cells} == {"관세청", "병무청"}


def test_every_published_group_spelling_names_its_group() -> None:
    from domain import groups

    example = {
        groups.CENTRAL: "관세청",
        groups.METROPOLITAN: "대구광역시",
        groups.EDUCATION: "경기도교육청",
        groups.LOCAL_CITY: "김해시",
        groups.LOCAL_COUNTY: "고성군",
        groups.LOCAL_DISTRICT: "중구",
    }
    assert set(groups.GROUP_SYNONYMS.values()) == set(groups.GROUP_ORDER)
    for spelling, group in groups.GROUP_SYNONYMS.items():
        rows = [["구분", "가", "나"], [f"{spelling} (12개)", example[group], ""]]
        table = read_official_table(_csv(rows), name="t.csv", year=2023, source_url=fx.SOURCE)
        assert table is not None and table.ok, (spelling, table.problems)
        assert [cell.group for cell in table.cells] == [group], spelling


def test_word_grade_headers_map_to_letters() -> None:
    rows = [
        ["구분", "최우수", "우수", "보통", "미흡", "매우미흡"],
        ["광역", "대구광역시", "", "", "", "부산광역시"],
    ]
    table = read_official_table(_csv(rows), name="t.csv", year=2023, source_url=fx.SOURCE)
    assert table is not None and table.ok
    assert {(c.grade, c.name) for c in table.cells} == {("가", "대구광역시"), ("마", "부산광역시")}


# --- refusals: every problem names its place ---


def _refused(rows: list[list[str]], **given: object) -> list[str]:
    given = {"year": 2023, "source_url": fx.SOURCE, **given}
    table = read_official_table(_csv(rows), name="t.csv", **given)  # type: ignore[arg-type]
    assert table is not None and not table.ok
    problems = _problems(table)
    assert all("None" not in p and "Error" not in p for p in problems), problems
    return problems


def test_a_misspelt_group_is_refused_with_its_cell_and_a_suggestion() -> None:
    rows = [["구분", "가", "나"], ["굉역자치단체", "대구광역시", "인천광역시"]]
    problems = _refused(rows)
    assert problems == [
        "row 2, column 구분: '굉역자치단체' is not a grading group (did you mean 광역자치단체?)"
    ]


def test_a_bad_grade_header_is_refused_with_its_column() -> None:
    rows = [["구분", "가", "나", "바"], ["중앙행정기관", "관세청", "병무청", "특허청"]]
    assert _refused(rows) == [
        "row 1, column 바: '바' is not a grade of 2023's scale (가, 나, 다, 라, 마)"
    ]


def test_a_group_row_without_names_is_refused() -> None:
    rows = [["구분", "가", "나"], ["중앙행정기관", "관세청", ""], ["광역자치단체", "", " - "]]
    assert _refused(rows) == ["row 3, column 구분: no agency names in the row of 광역자치단체"]


def test_an_empty_name_list_is_refused() -> None:
    rows = [["구분", "가", "나"], ["중앙행정기관", ",", "·"]]
    problems = _refused(rows)
    assert "row 2, column 구분: no agency names in the row of 중앙행정기관" in problems


def test_a_missing_year_is_refused() -> None:
    problems = _refused([["구분", "가", "나"], ["중앙", "관세청", "병무청"]], year=None)
    assert len(problems) == 1 and problems[0].startswith("t.csv: no year")


def test_a_year_given_twice_differently_is_refused() -> None:
    problems = _refused([[fx.TITLE], ["구분", "가", "나"], ["중앙", "관세청", "병무청"]], year=2024)
    assert problems == [
        "row 1, column 1: the year is given twice differently: 2023 here, 2024 at --year"
    ]


def test_a_missing_source_is_refused() -> None:
    problems = _refused([["구분", "가", "나"], ["중앙", "관세청", "병무청"]], source_url=None)
    assert len(problems) == 1 and problems[0].startswith("t.csv: no source")


def test_a_name_listed_twice_is_refused_with_both_places() -> None:
    rows = [["구분", "가", "나"], ["기초-시", "김해시(경남)", "경남 김해시"]]
    assert _refused(rows) == [
        "row 2, column 나: 김해시(경남) is listed twice (also at row 2, column 가)"
    ]


def test_a_name_in_the_wrong_local_row_is_refused() -> None:
    rows = [["구분", "가", "나"], ["기초-군", "김해시(경남)", "고성군(강원)"]]
    assert _refused(rows) == [
        "row 2, column 가: 김해시(경남) is a 시 but stands in the row of 기초-군"
    ]


def test_pasted_lines_name_the_line_of_a_problem() -> None:
    text = "2023년 민원서비스 종합평가 결과\n출처: https://example.org/x\n[중앙행정기관]\n가: 관세청\n[광녁]\n가: 대구광역시"
    table = read_official_text(text)
    assert _problems(table) == ["line 5: '광녁' is not a grading group (did you mean 광역?)"]


def test_pasted_lines_read_slack_links_headings_and_group_with_grade() -> None:
    text = (
        "2023년 평가 결과\n출처 <https://example.org/x>\n*중앙행정기관*\n가: 관세청, 병무청\n"
        "나 : 특허청\n\n기초자치단체(시)\n가등급: 김해시(경남)\n중앙 다: 조달청"
    )
    table = read_official_text(text)
    assert table is not None and table.ok, table
    assert (table.year, table.source_url) == (2023, "https://example.org/x")
    assert {(c.group, c.grade, c.name, c.region, c.where) for c in table.cells} == {
        ("중앙", "가", "관세청", None, "line 4"),
        ("중앙", "가", "병무청", None, "line 4"),
        ("중앙", "나", "특허청", None, "line 5"),
        ("기초-시", "가", "김해시", "경남", "line 8"),
        ("중앙", "다", "조달청", None, "line 9"),
    }


def test_pasted_lines_refuse_a_line_that_is_neither_group_nor_grade() -> None:
    text = "결과 공유드립니다\n2023년 평가 결과\n출처: https://example.org/x\n중앙\n가: 관세청\n안녕하세요 여러분, 반갑습니다"
    assert _problems(read_official_text(text)) == [
        "line 6: '안녕하세요 여러분, 반갑습니다' is neither a grading group nor a grade line such as "
        "'가: 김해시, 양산시'"
    ]


# --- malformed and hostile files: a clean problem, never an exception ---


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    f'<hs:sec xmlns:hs="{fx.HS}" xmlns:hp="{fx.HP}"><hp:p><hp:run><hp:t>&lol2;</hp:t></hp:run></hp:p></hs:sec>'
)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("t.pdf", b"%PDF-1.7\n\x00\xff garbage", "not a readable PDF"),
        ("t.pdf", b"\x89\x00\x13 not a pdf at all", "not a readable PDF"),
        ("t.hwpx", b"PK\x03\x04 broken zip", "not a readable HWPX file"),
        ("t.hwpx", _zip({"Contents/header.xml": b"<a/>"}), "no Contents/section0.xml"),
        ("t.hwpx", _zip({"Contents/section0.xml": BILLION_LAUGHS.encode()}), "DTD"),
        (
            "t.hwpx",
            _zip({"Contents/section0.xml": b"\x00" * (65 * 1024 * 1024)}),
            "unpacks to more than",
        ),
        ("t.hwpx", _zip({"Contents/section0.xml": b"<a><b>"}), "XML is broken"),
        ("t.pdf", b"", "empty"),
    ],
)
def test_hostile_files_get_a_clean_problem(name: str, data: bytes, says: str) -> None:
    table = read_official_table(data, name=name, year=2023, source_url=fx.SOURCE)
    assert table is not None and not table.ok
    assert any(says in message for _, message in table.problems), table.problems
    assert all("None" not in message for _, message in table.problems)


def test_an_encrypted_pdf_gets_a_clean_problem() -> None:
    table = read_official_table(fx.pdf_bytes(password="secret"), name="t.pdf")
    assert table is not None and not table.ok
    assert table.problems == (("t.pdf", "not a readable PDF (it is encrypted)"),)


def test_a_huge_cell_is_refused() -> None:
    rows = [["구분", "가", "나"], ["중앙", "관세청, " * 5000, "병무청"]]
    table = read_official_table(fx.hwpx_bytes(fx.hwpx_section(rows)), name="t.hwpx")
    assert table is not None
    assert table.problems and "characters" in table.problems[0][1]


def test_garbage_bytes_as_csv_leave_the_file_to_the_sheet_reader() -> None:
    assert read_official_table(b"\xff\xfe\x00\xd8garbage\x00\x00", name="t.csv") is None


def test_a_pdf_without_a_grade_table_says_so() -> None:
    data = fx.pdf_bytes([["연도", "기관", "등급"], ["2023", "김해시", "가"]])
    table = read_official_table(data, name="t.pdf")
    assert table is not None
    assert table.problems == (
        ("t.pdf", "no table with one column per grade (가, 나, 다, 라, 마) was found"),
    )


def _csv(rows: list[list[str]]) -> bytes:
    return fx.csv_bytes(rows, encoding="utf-8")


def test_a_per_agency_workbook_is_left_to_the_sheet_reader() -> None:
    rows = [["연도", "기관명", "시도", "기관유형", "평가군", "등급", "출처"]]
    rows += [
        [
            r["year"],
            r["agency"],
            r["region"],
            r["agency_type"],
            r["group"],
            r["grade"],
            r["source_url"],
        ]
        for r in fx.bundled_rows()
    ]
    assert read_official_table(_xlsx(rows), name="grades.xlsx") is None
    assert read_official_table(b"PK\x03\x04 not a workbook", name="t.xlsx") is None


def test_headers_with_counts_and_bands_and_a_code_fence() -> None:
    text = (
        "```\n2023년 민원서비스 종합평가 결과\t\t\n출처\thttps://example.org/x\t\n"
        "구분\t가 (상위 10%)\t나등급(20개)\t비고\n중앙행정기관(45개)\t관세청\t병무청\t-\n```"
    )
    table = read_official_text(text)
    assert table is not None and table.ok, table
    assert {(c.grade, c.name, c.where) for c in table.cells} == {
        ("가", "관세청", "line 5, column 가 (상위 10%)"),
        ("나", "병무청", "line 5, column 나등급(20개)"),
    }


def _xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
