"""Reading a results spreadsheet (CSV or XLSX) into clean text cells with pandas.

Everything here is about the file, not the evaluation: encodings (UTF-8 with or without a
BOM, CP949), English or Korean headers, full-width digits, stray whitespace.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

COLUMNS = (
    "year", "agency", "region", "agency_type", "group", "grade",
    "score", "group_avg", "item_grades", "source_url", "note",
)  # fmt: skip
REQUIRED_COLUMNS = ("year", "agency", "agency_type", "grade", "source_url")
KOREAN_HEADERS = {
    "연도": "year", "평가연도": "year", "기관명": "agency", "기관": "agency", "시도": "region",
    "지역": "region", "기관유형": "agency_type", "평가군": "group", "등급": "grade",
    "종합등급": "grade", "점수": "score", "총점": "score", "평균": "group_avg",
    "평가군평균": "group_avg", "항목등급": "item_grades", "출처": "source_url", "비고": "note",
}  # fmt: skip
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
ENCODINGS = ("utf-8-sig", "cp949")
HEADER_ROW = 1  # rows are numbered as a spreadsheet shows them: the header is row 1


class SheetError(Exception):
    """The file as a whole cannot be read; nothing was written."""


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet's cells as clean strings, with canonical column names."""

    frame: pd.DataFrame
    extra_columns: tuple[str, ...]
    name: str

    def row_number(self, index: int) -> int:
        return index + HEADER_ROW + 1


def read_sheet(path: Path | str, *, extra_columns: tuple[str, ...] = ()) -> Sheet:
    """Read ``path`` into a :class:`Sheet`; raise :class:`SheetError` when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise SheetError(f"{path}: no such file")
    data = path.read_bytes()
    return read_sheet_bytes(data, name=path.name, extra_columns=extra_columns)


def read_sheet_bytes(data: bytes, *, name: str, extra_columns: tuple[str, ...] = ()) -> Sheet:
    if len(data) > MAX_BYTES:
        raise SheetError(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise SheetError(f"{name}: the file is empty")
    frame = _read_xlsx(data, name) if _is_xlsx(data, name) else _read_csv(data, name)
    frame = _rename_columns(frame, name, extra_columns)
    if len(frame) > MAX_ROWS:
        raise SheetError(f"{name}: more than {MAX_ROWS:,} rows")
    frame = frame.map(clean_cell)
    frame = frame[~(frame == "").all(axis=1)]  # blank lines are not rows
    if frame.empty:
        raise SheetError(f"{name}: no data rows under the header")
    extras = tuple(column for column in extra_columns if column in frame.columns)
    return Sheet(frame=frame, extra_columns=extras, name=name)


def clean_cell(value: object) -> str:
    """Full-width digits and letters to ASCII, every kind of space trimmed."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(" " if unicodedata.category(ch) in ("Zs", "Cc", "Cf") else ch for ch in text)
    return " ".join(text.split())


def _is_xlsx(data: bytes, name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def _read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise SheetError(
            f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise SheetError(
            f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    text = _decode(data, name)
    if "\x00" in text:
        raise SheetError(f"{name}: binary data, not a CSV file")
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise SheetError(f"{name}: not a readable CSV file ({exc})") from exc


def _decode(data: bytes, name: str) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(f"{name}: text is neither UTF-8 nor CP949 (EUC-KR); save it as UTF-8")


def _rename_columns(frame: pd.DataFrame, name: str, extra_columns: tuple[str, ...]) -> pd.DataFrame:
    renamed: dict[str, str] = {}
    problems: list[str] = []
    for column in frame.columns:
        key = clean_cell(column)
        canonical = KOREAN_HEADERS.get(key.replace(" ", ""), key.lower().replace(" ", "_"))
        if canonical not in COLUMNS and key not in extra_columns:
            problems.append(f"column {key or '(blank)'}: unknown column")
        canonical = key if key in extra_columns else canonical
        if canonical in renamed.values():
            problems.append(f"column {key}: appears twice")
        renamed[column] = canonical
    frame = frame.rename(columns=renamed)
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    problems += [f"column {column}: missing (required)" for column in missing]
    if problems:
        raise SheetError(f"{name}: " + "; ".join(problems))
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return frame
