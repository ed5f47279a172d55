"""Files as grids of text cells: CSV, TSV, XLSX, HWPX and PDF, with the text outside tables.

Nothing here knows the evaluation; it only turns bytes into :class:`Grid` values whose cells
keep their line breaks (names in a cell are often one per line) and remember which cells a
merge covered. Sizes are bounded and every failure is a :class:`DocumentError` with a short
message, never a library's exception.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 64 * 1024 * 1024  # all members of an XLSX/HWPX together
MAX_MEMBERS = 2_000
MAX_ROWS = 2_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 20_000
MAX_PAGES = 50
PROBE_ROWS = 30  # the rows of a sheet ``wanted`` looks at
ENCODINGS = ("utf-8-sig", "cp949")

Position = tuple[int, int]  # (row, column), 0-based within the grid


class DocumentError(Exception):
    """The file cannot be read at all; the message says why in a sentence."""


@dataclass(frozen=True)
class Grid:
    """One table: rows of cleaned text cells (line breaks kept).

    ``merged`` maps a cell a merge covers to the merge's top-left cell; ``origin`` is the
    spreadsheet row of ``rows[0]`` (1-based) so locations match what the reader sees."""

    rows: tuple[tuple[str, ...], ...]
    merged: dict[Position, Position] = field(default_factory=dict)
    page: int | None = None  # PDF page, 1-based
    table: int | None = None  # the table's number in its document or page, 1-based
    sheet: str | None = None
    origin: int = 1
    row_word: str = "row"  # "line" for pasted text

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def cell(self, row: int, column: int) -> str:
        cells = self.rows[row] if 0 <= row < len(self.rows) else ()
        return cells[column] if 0 <= column < len(cells) else ""

    def place(self) -> str:
        """'page 2, table 1' or 'sheet 결과' or '' — the prefix of a location."""
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Document:
    """A file's tables and its text outside tables (a title, a 출처 line)."""

    kind: str  # CSV, TSV, XLSX, HWPX, PDF or text
    grids: tuple[Grid, ...]
    lines: tuple[str, ...] = ()


def clean_text(value: object) -> str:
    """NFKC, format characters dropped, spaces collapsed within each line, blank lines gone."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def grid_from_rows(rows: Sequence[Sequence[object]], **where: Any) -> Grid:
    """A :class:`Grid` from plain rows, each cell cleaned and bounded."""
    if len(rows) > MAX_ROWS:
        raise DocumentError(f"more than {MAX_ROWS:,} rows: not a results table")
    cleaned = tuple(tuple(_bounded(cell) for cell in row[:MAX_COLUMNS]) for row in rows)
    return Grid(rows=cleaned, **where)


def _bounded(cell: object) -> str:
    text = "" if cell is None else str(cell)
    if len(text) > MAX_CELL_CHARS:
        raise DocumentError(
            f"a cell holds {len(text):,} characters (at most {MAX_CELL_CHARS:,}): not a results table"
        )
    return clean_text(text)


def kind_of(data: bytes, name: str) -> str:
    """The format a file is in, by its name and then its first bytes: "text" for a ``.txt``
    file or one without an extension (stdin), whose delimiter is guessed (a pasted table)."""
    lower = name.lower()
    for suffix, kind in ((".pdf", "PDF"), (".hwpx", "HWPX"), (".xlsx", "XLSX"), (".xlsm", "XLSX")):
        if lower.endswith(suffix):
            return kind
    if data[:5] == b"%PDF-":
        return "PDF"
    if data[:4] == b"PK\x03\x04":
        return "HWPX" if b"Contents/section" in data[:65536] else "XLSX"
    if lower.endswith((".tsv", ".tab")):
        return "TSV"
    return "text" if lower.endswith(".txt") or "." not in lower.rsplit("/", 1)[-1] else "CSV"


DELIMITERS = ("\t", "|", ",", ";")  # the order ties are broken in: a pasted table is tabbed
SNIFF_LINES = 50


def sniff_delimiter(text: str) -> str:
    """The delimiter of delimited text: the candidate found in most of the first lines with
    the same count each time (a tabbed table keeps commas inside its cells: '거창군, 창녕군')."""
    lines = [line for line in text.splitlines()[:SNIFF_LINES] if line.strip()]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        used = [count for count in counts if count]
        if len(used) * 2 < len(lines) or not used:
            continue
        steady = max(used.count(count) for count in set(used))
        if steady > best_score:
            best, best_score = delimiter, steady
    return best


def read_document(
    data: bytes, *, name: str, wanted: Callable[[Grid], bool] | None = None
) -> Document:
    """Read ``data`` (a file called ``name``) into a :class:`Document`.

    ``wanted`` looks at the top rows of each XLSX sheet first (streamed): a workbook with no
    wanted sheet is not loaded whole, so a large spreadsheet of another layout costs little."""
    if len(data) > MAX_BYTES:
        raise DocumentError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise DocumentError("the file is empty")
    kind = kind_of(data, name)
    if kind == "PDF":
        return _read_pdf(data)
    if kind == "HWPX":
        return _read_hwpx(data)
    if kind == "XLSX":
        return _read_xlsx(data, wanted)
    return read_delimited(decode(data), tab=None if kind == "text" else kind == "TSV")


# --- CSV, TSV and pasted text ---


def decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise DocumentError("the text is neither UTF-8 nor CP949 (EUC-KR): save it as UTF-8")


def read_delimited(text: str, *, tab: bool | None = None, kind: str | None = None) -> Document:
    """CSV or TSV text as one grid; ``tab=None`` guesses the delimiter from the text."""
    if tab is None:
        delimiter = sniff_delimiter(text)
    else:
        delimiter = "\t" if tab or ("\t" in text and "," not in text) else ","
    name = "TSV" if delimiter == "\t" else "CSV"
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DocumentError(f"not a readable {name} file ({exc})") from exc
    return Document(kind=kind or name, grids=(grid_from_rows(rows),))


# --- XLSX ---


def _check_zip(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"the archive holds more than {MAX_MEMBERS:,} parts")
    if sum(member.file_size for member in members) > MAX_UNZIPPED:
        raise DocumentError(f"the file unpacks to more than {MAX_UNZIPPED // (1024 * 1024)} MB")
    if any(member.flag_bits & 0x1 for member in members):
        raise DocumentError("the file is encrypted (password-protected)")


def _open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(f"not a readable {what} file (it is not a valid zip archive)") from exc
    _check_zip(archive)
    return archive


def _read_xlsx(data: bytes, wanted: Callable[[Grid], bool] | None = None) -> Document:
    _open_zip(data, "XLSX")
    import openpyxl

    if wanted is not None and not _any_sheet_wanted(data, wanted):
        return Document(kind="XLSX", grids=())
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise DocumentError(f"not a readable XLSX workbook ({exc.__class__.__name__})") from exc
    grids: list[Grid] = []
    for sheet in book.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            raise DocumentError(
                f"sheet {sheet.title} is larger than {MAX_ROWS:,} rows or {MAX_COLUMNS} columns"
            )
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        if not any(cell not in (None, "") for row in rows for cell in row):
            continue
        merged: dict[Position, Position] = {}
        for span in sheet.merged_cells.ranges:
            top, left = span.min_row - 1, span.min_col - 1
            for row in range(span.min_row - 1, span.max_row):
                for column in range(span.min_col - 1, span.max_col):
                    if (row, column) != (top, left):
                        merged[(row, column)] = (top, left)
        name = sheet.title if len(book.worksheets) > 1 else None
        grids.append(grid_from_rows(rows, merged=merged, sheet=name))
    return Document(kind="XLSX", grids=tuple(grids))


def _any_sheet_wanted(data: bytes, wanted: Callable[[Grid], bool]) -> bool:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise DocumentError(f"not a readable XLSX workbook ({exc.__class__.__name__})") from exc
    try:
        for sheet in book.worksheets:
            top = list(islice(sheet.iter_rows(values_only=True), PROBE_ROWS))
            if wanted(grid_from_rows([list(row) for row in top])):
                return True
        return False
    except DocumentError:
        return True  # let the full read say what is wrong
    except Exception as exc:
        raise DocumentError(f"not a readable XLSX workbook ({exc.__class__.__name__})") from exc
    finally:
        book.close()


# --- HWPX: Contents/section*.xml with hp:tbl / hp:tr / hp:tc / hp:p / hp:t ---


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_hwpx(data: bytes) -> Document:
    archive = _open_zip(data, "HWPX")
    sections = sorted(
        (name for name in archive.namelist() if re.fullmatch(r"Contents/section\d+\.xml", name)),
        key=lambda name: int(re.sub(r"\D", "", name)),
    )
    if not sections:
        raise DocumentError("not a readable HWPX file (no Contents/section0.xml)")
    grids: list[Grid] = []
    lines: list[str] = []
    for section in sections:
        root = _parse_xml(archive.read(section))
        for kind, value in _walk_hwpx(root):
            if kind == "table":
                grids.append(_hwpx_grid(value, table=len(grids) + 1))
            else:
                lines.extend(clean_text(value).split("\n"))
    lines = [line for line in lines if line]
    if len(grids) == 1:
        grids = [replace(grids[0], table=None)]
    return Document(kind="HWPX", grids=tuple(grids), lines=tuple(lines))


def _parse_xml(raw: bytes) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:  # no DTD, no entities: a billion-laughs file is refused, not expanded
        return fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise DocumentError("the HWPX file declares XML entities or a DTD (refused)") from exc
    except ParseError as exc:
        raise DocumentError("not a readable HWPX file (its XML is broken)") from exc


def _walk_hwpx(element: Any) -> Iterator[tuple[str, Any]]:
    """Tables and paragraph texts outside tables, in document order."""
    for child in element:
        tag = _local(child.tag)
        if tag == "tbl":
            yield "table", child
        elif tag == "p":
            yield "text", _paragraph_text(child)
            yield from ((kind, value) for kind, value in _walk_hwpx(child) if kind == "table")
        else:
            yield from _walk_hwpx(child)


def _paragraph_text(paragraph: Any) -> str:
    """The texts of a paragraph's runs, not descending into a table inside it."""
    parts: list[str] = []

    def visit(element: Any) -> None:
        for child in element:
            tag = _local(child.tag)
            if tag == "tbl":
                continue
            if tag == "t":
                parts.append("".join(child.itertext()))
            elif tag in ("lineBreak",):
                parts.append("\n")
            else:
                visit(child)

    visit(paragraph)
    return "".join(parts)


def _cell_text(cell: Any) -> str:
    paragraphs: list[str] = []

    def visit(element: Any) -> None:
        for child in element:
            tag = _local(child.tag)
            if tag == "p":
                paragraphs.append(_paragraph_text(child))
            elif tag != "tbl":
                visit(child)

    visit(cell)
    return "\n".join(paragraphs)


def _hwpx_grid(element: Any, *, table: int | None = None) -> Grid:
    cells: dict[Position, str] = {}
    merged: dict[Position, Position] = {}
    for row_index, tr in enumerate(child for child in element if _local(child.tag) == "tr"):
        column_index = 0
        for tc in (child for child in tr if _local(child.tag) == "tc"):
            address = _attrs(tc, "cellAddr", ("rowAddr", "colAddr"))
            span = _attrs(tc, "cellSpan", ("rowSpan", "colSpan"))
            row, column = address if address else (row_index, column_index)
            while not address and (row, column) in merged:
                column += 1
            rows_spanned, columns_spanned = span if span else (1, 1)
            if row >= MAX_ROWS or column >= MAX_COLUMNS:
                raise DocumentError(
                    f"a table is larger than {MAX_ROWS:,} rows or {MAX_COLUMNS} columns"
                )
            cells[(row, column)] = _bounded(_cell_text(tc))
            for r in range(row, min(row + max(rows_spanned, 1), MAX_ROWS)):
                for c in range(column, min(column + max(columns_spanned, 1), MAX_COLUMNS)):
                    if (r, c) != (row, column):
                        merged[(r, c)] = (row, column)
            column_index = column + max(columns_spanned, 1)
    height = max((r for r, _ in [*cells, *merged]), default=-1) + 1
    width = max((c for _, c in [*cells, *merged]), default=-1) + 1
    rows = tuple(tuple(cells.get((r, c), "") for c in range(width)) for r in range(height))
    return Grid(rows=rows, merged=merged, table=table)


def _attrs(cell: Any, tag: str, names: tuple[str, str]) -> tuple[int, int] | None:
    for child in cell:
        if _local(child.tag) == tag:
            try:
                return int(child.get(names[0], "")), int(child.get(names[1], ""))
            except ValueError:
                return None
    return None


# --- PDF (pdfplumber) ---


def _read_pdf(data: bytes) -> Document:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError(f"the PDF has more than {MAX_PAGES} pages")
            grids: list[Grid] = []
            lines: list[str] = []
            for number, page in enumerate(pdf.pages, start=1):
                tables = page.extract_tables()
                for index, rows in enumerate(tables, start=1):
                    grids.append(
                        _pdf_grid(rows, page=number, table=index if len(tables) > 1 else None)
                    )
                lines.extend(clean_text(page.extract_text() or "").split("\n"))
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on an encrypted or broken PDF
        reason = (
            "it is encrypted"
            if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower()
            else exc.__class__.__name__
        )
        raise DocumentError(f"not a readable PDF ({reason})") from exc
    return Document(kind="PDF", grids=tuple(grids), lines=tuple(line for line in lines if line))


def _pdf_grid(rows: list[list[str | None]], *, page: int, table: int | None) -> Grid:
    """pdfplumber gives None for a cell a merge covers: it belongs to the cell above (or, on
    the first row, to its left)."""
    merged: dict[Position, Position] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None and (r or c):
                nearest = (r - 1, c) if r else (r, c - 1)
                merged[(r, c)] = merged.get(nearest, nearest)
    return grid_from_rows(rows, merged=merged, page=page, table=table)
