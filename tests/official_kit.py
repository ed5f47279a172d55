"""Builders of one small official result table in every format the reader takes.

The placements are real: up to two agencies per group and grade, taken from the 2023 rows of
the bundled grades.csv (a partial table; the real one lists all 306). Only the source URL is
a placeholder, and each format writes the same results with its own published spellings.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from domain.grades import GA_MA_GRADES
from domain.groups import GROUP_ORDER, LOCAL_GROUPS

YEAR = 2023
SOURCE = "https://example.org/minwon/2023-results"  # placeholder: the fixture's own source
TITLE = f"{YEAR}년 민원서비스 종합평가 결과"
PER_CELL = 2

# The row labels a ministry's table uses for the six groups.
PUBLISHED_LABELS = {
    "중앙": "중앙행정기관",
    "광역": "광역자치단체",
    "교육청": "시·도교육청",
    "기초-시": "기초자치단체(시)",
    "기초-군": "군",
    "기초-구": "자치구",
}


@dataclass(frozen=True)
class Placement:
    group: str
    grade: str
    name: str
    region: str | None  # as written in the table (None: written without one)


def bundled_rows(year: int = YEAR) -> list[dict[str, str]]:
    text = resources.files("storage.bundled").joinpath("grades.csv").read_text(encoding="utf-8")
    return [row for row in csv.DictReader(io.StringIO(text)) if row["year"] == str(year)]


def placements(year: int = YEAR) -> list[Placement]:
    """Up to PER_CELL real agencies for each group and grade; 기초 ones carry their region."""
    chosen: list[Placement] = []
    rows = bundled_rows(year)
    for group in GROUP_ORDER:
        for grade in GA_MA_GRADES:
            picked = [row for row in rows if row["group"] == group and row["grade"] == grade]
            for row in picked[:PER_CELL]:
                region = row["region"] if group in LOCAL_GROUPS else None
                chosen.append(Placement(group, grade, row["agency"], region))
    return chosen


def expected_cells(year: int = YEAR) -> set[tuple[str, str, str, str | None]]:
    return {(p.group, p.grade, p.name, p.region) for p in placements(year)}


def _written(place: Placement, index: int) -> str:
    """Regions in the three published forms, in turn."""
    if place.region is None:
        return place.name
    forms = (
        f"{place.name}({place.region})",
        f"{place.region} {place.name}",
        f"({place.region}){place.name}",
    )
    return forms[index % 3]


def cell_text(group: str, grade: str, *, separator: str | None = None) -> str:
    names = [p for p in placements() if p.group == group and p.grade == grade]
    written = [_written(p, i + GA_MA_GRADES.index(grade)) for i, p in enumerate(names)]
    if separator is None:  # each cell its own separator: comma, middle dot, line break
        separator = (", ", "·", "\n")[(GROUP_ORDER.index(group) + GA_MA_GRADES.index(grade)) % 3]
    return separator.join(written)


def header(first: str = "구분") -> list[str]:
    return [first, "가", "나", "다", "라", "마"]


def body(*, separator: str | None = None) -> list[list[str]]:
    return [
        [PUBLISHED_LABELS[group]]
        + [cell_text(group, grade, separator=separator) for grade in GA_MA_GRADES]
        for group in GROUP_ORDER
    ]


def table_rows(*, title: bool = True, separator: str | None = None) -> list[list[str]]:
    """Title, 출처 and a blank row above the header, then one row per group."""
    top = [[TITLE, "", "", "", "", ""], ["출처", SOURCE, "", "", "", ""], [""] * 6] if title else []
    return top + [header()] + body(separator=separator)


def csv_bytes(
    rows: list[list[str]] | None = None, *, encoding: str = "utf-8-sig", delimiter: str = ","
) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows or table_rows())
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[str]] | None = None) -> bytes:
    """The title merged across the table; the 기초 rows under one merged 기초자치단체 cell."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "결과"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    sheet.append([])
    sheet.append(["구분", "", "가등급", "나등급", "다등급", "라등급", "마등급"])
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
    for group, row in zip(GROUP_ORDER, body(), strict=True):
        if group in LOCAL_GROUPS:
            sheet.append(["기초자치단체", group[-1], *row[1:]])
        else:
            sheet.append([row[0], "", *row[1:]])
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=2)  # 중앙행정기관
    first_local = 4 + GROUP_ORDER.index(LOCAL_GROUPS[0])
    sheet.merge_cells(start_row=first_local, start_column=1, end_row=first_local + 2, end_column=1)
    sheet.append([])
    sheet.append([f"출처: {SOURCE}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pasted_tabs() -> str:
    return "\n".join("\t".join(cell.replace("\n", ", ") for cell in row) for row in table_rows())


def pasted_pipes() -> str:
    rows = table_rows(title=False, separator=", ")
    lines = [f"*{TITLE}*", f"출처: <{SOURCE}>", "| " + " | ".join(rows[0]) + " |", "|---" * 6 + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def pasted_lines() -> str:
    lines = [TITLE, f"출처: <{SOURCE}|보도자료>", ""]
    for group in GROUP_ORDER:
        lines.append(f"[{PUBLISHED_LABELS[group]}]")
        lines += [f"{grade}: {cell_text(group, grade, separator=', ')}" for grade in GA_MA_GRADES]
    return "\n".join(lines)


# --- HWPX: the zip a Korean word processor writes, with the table in Contents/section0.xml ---

HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HS = "http://www.hancom.co.kr/hwpml/2011/section"


def _hwpx_paragraphs(text: str) -> str:
    return "".join(
        f"<hp:p><hp:run><hp:t>{escape(line)}</hp:t></hp:run></hp:p>" for line in text.split("\n")
    )


def hwpx_section(
    rows: list[list[str]], *, before: str = TITLE, after: str = f"출처: {SOURCE}"
) -> str:
    trs = []
    for r, row in enumerate(rows):
        tcs = "".join(
            f"<hp:tc><hp:subList>{_hwpx_paragraphs(text)}</hp:subList>"
            f'<hp:cellAddr colAddr="{c}" rowAddr="{r}"/><hp:cellSpan colSpan="1" rowSpan="1"/></hp:tc>'
            for c, text in enumerate(row)
        )
        trs.append(f"<hp:tr>{tcs}</hp:tr>")
    table = f'<hp:tbl rowCnt="{len(rows)}" colCnt="{len(rows[0])}">{"".join(trs)}</hp:tbl>'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">{_hwpx_paragraphs(before)}'
        f"<hp:p><hp:run>{table}</hp:run></hp:p>{_hwpx_paragraphs(after)}</hs:sec>"
    )


def hwpx_bytes(section: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("Contents/section0.xml", section or hwpx_section(table_rows(title=False)))
    return out.getvalue()


# --- PDF: fpdf2 with the NanumGothic font koreanize-matplotlib ships ---


def korean_font() -> Path:
    from importlib.util import find_spec

    spec = find_spec("koreanize_matplotlib")  # located, not imported: it reconfigures matplotlib
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"


def pdf_bytes(
    rows: list[list[str]] | None = None, *, password: str | None = None, size: int = 8
) -> bytes:
    import logging

    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = FPDF(orientation="L")
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.add_page()
    pdf.add_font("NanumGothic", fname=str(korean_font()))
    pdf.set_font("NanumGothic", size=size)
    pdf.cell(text=TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(text=f"출처: {SOURCE}", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(first_row_as_headings=False) as table:
        for row in rows or table_rows(title=False):
            cells = table.row()
            for text in row:
                cells.cell(text)
    return bytes(pdf.output())


# --- a whole year's bundled results as the ministry's table (issue 18: loads over them) ---

TABLE_SOURCE = "https://example.org/minwon/official-table"  # placeholder: the table's 출처


def year_table(
    year: int, *, title_year: int | None = None, written: dict[str, str] | None = None
) -> list[list[str]]:
    """Every bundled result of ``year`` as an official table titled ``title_year`` (default
    ``year``), each 기초 name with its region, and the names in ``written`` spelt as some
    documents still do (전북특별자치도 -> 전라북도, 기획재정부 -> 기재부)."""
    written = written or {}
    cells: dict[tuple[str, str], list[str]] = {}
    for row in bundled_rows(year):
        name = written.get(row["agency"], row["agency"])
        if row["group"] in LOCAL_GROUPS:
            name = f"{name}({row['region']})"
        cells.setdefault((row["group"], row["grade"]), []).append(name)
    title = f"{title_year or year}년 민원서비스 종합평가 결과"
    top = [[title, "", "", "", "", ""], ["출처", TABLE_SOURCE, "", "", "", ""]]
    return (
        top
        + [header()]
        + [
            [PUBLISHED_LABELS[group]]
            + [", ".join(cells.get((group, grade), [])) for grade in GA_MA_GRADES]
            for group in GROUP_ORDER
        ]
    )
