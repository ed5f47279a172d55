"""Reading a results spreadsheet (CSV or XLSX) into clean text cells with pandas.

Everything here is about the file, not the evaluation: encodings (UTF-8 with or without a
BOM, CP949), English or Korean headers, full-width digits, stray whitespace.

Rows keep the numbers a spreadsheet shows (the header is row 1), blank lines included, so
an error names the row the operator sees.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from intake.documents import sniff_delimiter

if TYPE_CHECKING:  # pandas is imported when a file is read: `minwon-bot ask` starts faster
    import pandas as pd

COLUMNS = (
    "year", "agency", "region", "agency_type", "group", "grade",
    "score", "group_avg", "item_grades", "source_url", "note", "more_sources",
)  # fmt: skip
REQUIRED_COLUMNS = ("year", "agency", "agency_type", "grade", "source_url")
# Provenance is kept as written: only the ends are trimmed, nothing inside is normalized.
VERBATIM_COLUMNS = ("source_url", "note", "more_sources")
KOREAN_HEADERS = {
    "연도": "year", "평가연도": "year", "기관명": "agency", "기관": "agency", "시도": "region",
    "지역": "region", "기관유형": "agency_type", "평가군": "group", "등급": "grade",
    "종합등급": "grade", "점수": "score", "총점": "score", "평균": "group_avg",
    "평가군평균": "group_avg", "항목등급": "item_grades", "출처": "source_url", "비고": "note",
    "추가출처": "more_sources",
}  # fmt: skip
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 50
ENCODINGS = ("utf-8-sig", "cp949")
HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: the header is row 1


class SheetError(Exception):
    """The file as a whole cannot be read; nothing was written. ``errors`` lists each
    problem on its own line."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or [message]


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet's cells as clean strings, with canonical column names.

    The frame's index is the row's position under the header, blank rows counted, so
    :meth:`row_number` gives the row a spreadsheet shows."""

    frame: pd.DataFrame
    extra_columns: tuple[str, ...]
    name: str
    blank_rows: int = field(default=0)
    present: frozenset[str] = field(default=frozenset(COLUMNS))  # the columns the file has
    headers: dict[str, str] = field(default_factory=dict)  # column -> header as written
    places: tuple[str, ...] = ()  # an official table's cell of each row, in row order

    def row_number(self, index: int) -> int:
        return index + HEADER_ROW + 1

    def where(self, number: int, column: str) -> str:
        """Where row ``number``'s ``column`` is, in the file's own words: ``row 5, column
        등급`` (the header the file used), or an official table's cell (``page 1, cell
        (3, 2), column 나``), which already names its grade column."""
        if self.places:
            place = self.place_of(number)
            return place if column == "agency" else f"{place}, {self.headers.get(column, column)}"
        return f"row {number}, column {self.headers.get(column, column)}"

    def place_of(self, number: int) -> str:
        """Row ``number`` as the operator finds it: ``row 5`` or an official table's cell."""
        index = number - HEADER_ROW - 1
        if 0 <= index < len(self.places):
            return self.places[index]
        return f"row {number}"

    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """(spreadsheet row number, cells by column) for every non-blank row."""
        columns = [str(column) for column in self.frame.columns]
        values = self.frame.to_numpy().tolist()  # cells are already clean strings
        return [
            (self.row_number(int(index)), dict(zip(columns, map(str, row), strict=True)))
            for index, row in zip(self.frame.index, values, strict=True)
        ]


def read_sheet(
    path: Path | str,
    *,
    extra_columns: tuple[str, ...] = (),
    optional_with_extras: tuple[str, ...] = (),
) -> Sheet:
    """Read ``path`` into a :class:`Sheet`; raise :class:`SheetError` when it cannot be read.

    ``extra_columns`` are accepted besides :data:`COLUMNS` (matched as written, without
    spaces, or case-insensitively); ``optional_with_extras`` are required columns a header
    may leave out when it has any of them (a score sheet needs no ``grade``)."""
    path = Path(path)
    return read_sheet_bytes(
        file_bytes(path),
        name=path.name,
        extra_columns=extra_columns,
        optional_with_extras=optional_with_extras,
    )


def file_bytes(path: Path) -> bytes:
    """The file's bytes, or a :class:`SheetError` saying in a sentence why not."""
    if path.is_dir():
        raise SheetError(f"{path}: a folder, not a file")
    if not path.is_file():
        raise SheetError(f"{path}: no such file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SheetError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def read_sheet_bytes(
    data: bytes,
    *,
    name: str,
    extra_columns: tuple[str, ...] = (),
    optional_with_extras: tuple[str, ...] = (),
) -> Sheet:
    if len(data) > MAX_BYTES:
        raise SheetError(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise SheetError(f"{name}: the file is empty")
    table = _read_xlsx(data, name) if _is_xlsx(data, name) else _read_csv(data, name)
    if not table or not any(clean_cell(cell) for cell in table[0]):
        raise SheetError(f"{name}: row 1 must be the header (year, agency, …) but it is blank")
    header, body = table[0], table[1:]
    if len(body) > MAX_ROWS:
        raise SheetError(f"{name}: more than {MAX_ROWS:,} rows")
    header, body = _fit_rows(header, body, name, ragged_ok=_is_xlsx(data, name))
    columns = _canonical_columns(header, name, extra_columns, optional_with_extras)
    written = {column: clean_cell(cell) for column, cell in zip(columns, header, strict=True)}
    import pandas as pd

    frame = pd.DataFrame(body, columns=columns, dtype=object)
    for column in frame.columns:
        clean = verbatim_cell if column in VERBATIM_COLUMNS else clean_cell
        values = frame[column]
        # Each distinct value cleaned once: years, regions, types and grades repeat.
        frame[column] = values.map({value: clean(value) for value in values.unique()})
    present = frozenset(frame.columns)
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    blank = (frame == "").all(axis=1)
    frame = frame[~blank]  # blank lines are not rows (but keep their numbers)
    if frame.empty:
        raise SheetError(f"{name}: no data rows under the header")
    extras = tuple(column for column in extra_columns if column in frame.columns)
    return Sheet(
        frame=frame,
        extra_columns=extras,
        name=name,
        blank_rows=int(blank.sum()),
        present=present,
        headers=written,
    )


def sheet_of_rows(rows: list[dict[str, str]], *, name: str, places: tuple[str, ...]) -> Sheet:
    """A :class:`Sheet` of rows already in the one-row-per-agency columns (an official
    table's cells), each row's problems named by ``places`` (one per row, e.g. ``row 5,
    column 가등급, 김해시``); a problem with a field other than the name adds the field's
    Korean header (``…, 시도``)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object).fillna("")
    for column in frame.columns:
        clean = verbatim_cell if column in VERBATIM_COLUMNS else clean_cell
        frame[column] = frame[column].map(clean)
    present = frozenset(column for column in COLUMNS if any(column in row for row in rows))
    headers = {column: korean for korean, column in KOREAN_HEADERS.items()}
    return Sheet(
        frame=frame,
        extra_columns=(),
        name=name,
        present=present,
        headers=headers,
        places=places,
    )


def clean_cell(value: object) -> str:
    """Full-width digits and letters to ASCII, every kind of space trimmed or collapsed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if text.isprintable():  # no format, control or odd space characters: the fast path
        return " ".join(text.split())
    # Zero-width and other format characters (pasted from web pages) vanish; other spaces
    # and control characters become one plain space.
    text = "".join(
        "" if category == "Cf" else " " if category in ("Zs", "Cc") else ch
        for ch, category in ((ch, unicodedata.category(ch)) for ch in text)
    )
    return " ".join(text.split())


def verbatim_cell(value: object) -> str:
    """A provenance cell (URL, note) as written, only its ends trimmed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if not clean_cell(text) else text


def _is_xlsx(data: bytes, name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def _read_xlsx(data: bytes, name: str) -> list[list[object]]:
    import pandas as pd

    try:
        frame = pd.read_excel(
            io.BytesIO(data), header=None, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise SheetError(
            f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise SheetError(
            f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    return [list(row) for row in frame.itertuples(index=False, name=None)]


def _read_csv(data: bytes, name: str) -> list[list[object]]:
    text = _decode(data, name)
    if "\x00" in text:
        raise SheetError(f"{name}: binary data, not a CSV file")
    # a .csv is comma-separated; text pasted into a .txt (or stdin), a .tsv: guessed
    delimiter = "," if name.lower().endswith(".csv") else sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        return [list(row) for row in reader]
    except csv.Error as exc:
        raise SheetError(f"{name}: not a readable CSV file ({exc})") from exc


def _decode(data: bytes, name: str) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(f"{name}: text is neither UTF-8 nor CP949 (EUC-KR); save it as UTF-8")


def _fit_rows(
    header: list[object], body: list[list[object]], name: str, *, ragged_ok: bool = True
) -> tuple[list[object], list[list[object]]]:
    """Every row as wide as the header: short rows padded; a column with a blank header and
    no values (a spreadsheet's padding) dropped; a value past the header's end refused, as
    it would land in no column. In a CSV whose rows are otherwise full, a short non-blank
    row is refused: it is a line cut off (a truncated download), not trailing blanks."""
    width = len(header)
    keep = [i for i in range(width) if clean_cell(header[i]) or _column_used(body, i)]
    needed = max(keep) + 1 if keep else width  # trailing padding columns are not needed
    full = any(len(row) >= needed for row in body)
    problems: list[str] = []
    fitted: list[list[object]] = []
    every = keep == list(range(width))
    for index, row in enumerate(body):
        if every and len(row) == width:  # the common case: a full row, nothing to fit
            fitted.append(row)
            continue
        beyond = [i for i in range(width, len(row)) if clean_cell(row[i])]
        if beyond:
            problems.append(
                f"row {index + HEADER_ROW + 1}, column {beyond[0] + 1}: a value past the "
                f"header's last column (row {HEADER_ROW} has {width} columns)"
            )
        if not ragged_ok and full and 0 < len(row) < needed and any(clean_cell(c) for c in row):
            problems.append(
                f"row {index + HEADER_ROW + 1}, column {len(row) + 1}: the row stops after "
                f"{len(row)} of {needed} columns (cut off?)"
            )
        padded = list(row[:width]) + [""] * (width - len(row))
        fitted.append([padded[i] for i in keep])
    if problems:
        shown = problems[:MAX_ERRORS]
        if len(problems) > MAX_ERRORS:
            shown.append(f"… and {len(problems) - MAX_ERRORS} more rows like these")
        raise SheetError(f"{name}: {len(problems)} row(s) do not fit the header", shown)
    return [header[i] for i in keep], fitted


def _column_used(body: list[list[object]], position: int) -> bool:
    return any(len(row) > position and clean_cell(row[position]) for row in body)


def _canonical_columns(
    header: list[object],
    name: str,
    extra_columns: tuple[str, ...],
    optional_with_extras: tuple[str, ...] = (),
) -> list[str]:
    columns: list[str] = []
    problems: list[str] = []
    for position, cell in enumerate(header, start=1):
        key = clean_cell(cell)
        label = key or f"{position} (blank header)"
        canonical = KOREAN_HEADERS.get(key.replace(" ", ""), key.lower().replace(" ", "_"))
        if key.replace(" ", "") in extra_columns:
            canonical = key.replace(" ", "")
        elif canonical not in COLUMNS and canonical not in extra_columns:
            problems.append(
                f"row {HEADER_ROW}, column {label}: unknown column "
                f"(expected: {', '.join(COLUMNS)}, or the Korean headers)"
            )
        if canonical in columns:
            problems.append(f"row {HEADER_ROW}, column {label}: appears twice")
        columns.append(canonical)
    relaxed = optional_with_extras if set(columns) & set(extra_columns) else ()
    problems += [
        f"row {HEADER_ROW}, column {column}: missing (required)"
        for column in REQUIRED_COLUMNS
        if column not in columns and column not in relaxed
    ]
    if problems:
        raise SheetError(
            f"{name}: the header does not fit (see the columns of grades.csv)", problems
        )
    return columns
