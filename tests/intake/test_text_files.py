"""Text an operator saved from a paste (a .txt file, stdin, a file without an extension):
its kind, its delimiter guessed (a tabbed table keeps commas inside its cells), and the
flat layout read with the guessed delimiter."""

from __future__ import annotations

import official_kit as fx
import pytest

from intake.documents import kind_of, read_delimited, sniff_delimiter
from intake.sheets import read_sheet_bytes


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("표.txt", b"a\tb", "text"),
        ("<stdin>", b"a,b", "text"),
        ("results", b"a,b", "text"),
        ("results", b"PK\x03\x04rest", "XLSX"),
        ("grades.csv", b"a,b", "CSV"),
        ("grades.tsv", b"a\tb", "TSV"),
        ("dir.v2/표", b"a,b", "text"),
    ],
)
def test_the_kind_of_a_file(name: str, data: bytes, kind: str) -> None:
    assert kind_of(data, name) == kind


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("구분\t가\t나\n군\t거창군, 창녕군\t고성군(경남), 의령군\n", "\t"),
        ("연도,기관명,등급\n2025,김해시,가\n2025,양산시,나\n", ","),
        ("| 구분 | 가 | 나 |\n| 군 | 거창군, 창녕군 | 의령군 |\n", "|"),
        ("연도;기관명;등급\n2025;김해시;가\n", ";"),
        ("한 줄뿐인 글", ","),
        ("", ","),
    ],
)
def test_the_delimiter_is_guessed(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_a_pasted_tabbed_table_is_one_grid_of_its_columns() -> None:
    document = read_delimited(fx.pasted_tabs(), tab=None)
    assert {len(row) for row in document.grids[0].rows if any(row)} == {6}


def test_a_flat_file_saved_as_text_is_read_with_its_delimiter() -> None:
    text = "연도\t기관명\t시도\t기관유형\t등급\t출처\n2025\t김해시\t경남\t기초자치단체\t가\thttps://e.org/1\n"
    sheet = read_sheet_bytes(text.encode("utf-8"), name="<stdin>")
    [(number, row)] = sheet.rows()
    assert (number, row["agency"], row["grade"]) == (2, "김해시", "가")
