"""Reading a spreadsheet into clean cells (no database): headers, cleaning, row numbers."""

from __future__ import annotations

import pytest
from storage_kit import URL, csv_text, row

from intake import sheets
from intake.sheets import COLUMNS, SheetError, clean_cell, read_sheet_bytes


def read(text: str, name: str = "r.csv") -> sheets.Sheet:
    return read_sheet_bytes(text.encode("utf-8"), name=name)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("２０２３", "2023"),
        ("  고성군\u00a0", "고성군"),
        ("경남\u3000고성군", "경남 고성군"),
        ("김해\u200b시\ufeff", "김해시"),
        ("a\t\tb\r\n", "a b"),
        (None, ""),
        (float("nan"), ""),
        (2023, "2023"),
    ],
)
def test_clean_cell(raw: object, clean: str) -> None:
    assert clean_cell(raw) == clean


def test_english_and_korean_headers_in_any_case_and_spacing() -> None:
    header = [
        " Year",
        "기관 명",
        "시도",
        "Agency Type",
        "평가군",
        "종합등급",
        "총점",
        "평가군 평균",
        "항목등급",
        "Source URL",
        "비고",
    ]
    sheet = read(",".join(header) + "\n" + csv_text([row()]).splitlines()[1] + "\n")
    assert list(sheet.frame.columns) == list(COLUMNS)


def test_optional_columns_may_be_left_out() -> None:
    required = ("year", "agency", "region", "agency_type", "grade", "source_url")
    sheet = read(csv_text([row()], header=required))
    assert set(COLUMNS) <= set(sheet.frame.columns)
    assert sheet.rows()[0][1]["note"] == ""


def test_provenance_is_kept_as_written_and_other_cells_are_normalized() -> None:
    note = "「2023 기사」 내 ‘가’ …  (２곳)"
    sheet = read(csv_text([row(note=f"  {note} ", agency=" 김해시 ", year="２０２５")]))
    [(number, cells)] = sheet.rows()
    assert number == 2
    assert cells["note"] == note
    assert cells["source_url"] == URL
    assert (cells["agency"], cells["year"]) == ("김해시", "2025")


def test_blank_and_padding_rows_and_columns() -> None:
    """Trailing commas from a spreadsheet export and blank lines are no problem; rows keep
    the numbers a spreadsheet shows."""
    lines = csv_text([row(), row(agency="양산시")]).splitlines()
    text = "\n".join([lines[0] + ",,", lines[1] + ",,", "", ",,,,", lines[2]]) + "\n"
    sheet = read(text)
    assert [number for number, _ in sheet.rows()] == [2, 5]
    assert sheet.blank_rows == 2
    assert list(sheet.frame.columns) == list(COLUMNS)


def test_short_rows_are_padded() -> None:
    sheet = read(",".join(COLUMNS) + "\n2025,김해시\n")
    [(_, cells)] = sheet.rows()
    assert (cells["agency"], cells["grade"], cells["note"]) == ("김해시", "", "")


def test_a_quoted_cell_over_several_lines_is_one_row() -> None:
    text = csv_text([row(note="첫 줄\n둘째 줄"), row(agency="양산시")])
    sheet = read(text)
    assert [number for number, _ in sheet.rows()] == [2, 3]
    assert sheet.rows()[0][1]["note"] == "첫 줄\n둘째 줄"


def test_a_value_past_the_header_is_refused_with_its_row_and_column() -> None:
    lines = csv_text([row(), row()]).splitlines()
    with pytest.raises(SheetError) as error:
        read("\n".join([lines[0], lines[1], lines[2] + ",,surprise"]) + "\n")
    assert error.value.errors == [
        "row 3, column 14: a value past the header's last column (row 1 has 12 columns)"
    ]


def test_a_blank_first_row_is_refused() -> None:
    with pytest.raises(SheetError, match="row 1 must be the header"):
        read(",,,\n" + csv_text([row()]))


def test_header_problems_are_listed_one_per_column() -> None:
    with pytest.raises(SheetError) as error:
        read("year,기관명,colour,,grade\n2025,김해시,red,x,가\n")
    assert error.value.errors == [
        "row 1, column colour: unknown column (expected: year, agency, region, agency_type, "
        "group, grade, score, group_avg, item_grades, source_url, note, more_sources, or the "
        "Korean headers)",
        "row 1, column 4 (blank header): unknown column (expected: year, agency, region, "
        "agency_type, group, grade, score, group_avg, item_grades, source_url, note, "
        "more_sources, or the Korean headers)",
        "row 1, column agency_type: missing (required)",
        "row 1, column source_url: missing (required)",
    ]


def test_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 2)
    with pytest.raises(SheetError, match="more than 2 rows"):
        read(csv_text([row(), row(), row()]))
    monkeypatch.setattr(sheets, "MAX_BYTES", 100)
    with pytest.raises(SheetError, match="larger than"):
        read(csv_text([row(), row(), row()]))
