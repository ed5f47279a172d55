"""Score sheet cells, checked before anything is written: pure, no session.

A score sheet is a results sheet (the identity columns of ``grades.csv``) with the numeric
item columns (the year's items, see :mod:`domain.items`; optional ``total``) and an
optional ``simulated`` column. Its ``grade`` is optional; its ``source_url`` is required
unless the row is simulated. :mod:`intake.validation` calls :class:`ScoreCheck` row by
row, so a bad file is refused whole with every ``row N, column X`` problem.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from domain.grades import GradeScale
from domain.items import ITEM_WORDS
from domain.years import year_config
from intake.records import Record, ScoreCells
from intake.sheets import HEADER_ROW, Sheet

TOTAL = "total"  # the ``item`` of an explicit total in ``item_scores``
SIMULATED = "simulated"
# How sheets name an item (item_grades cells and score sheet headers): domain's item words.
ITEM_HEADERS: dict[str, str] = ITEM_WORDS
TOTAL_HEADERS = {"total": TOTAL, "합계": TOTAL, "총계": TOTAL}
SIMULATED_HEADERS = {"simulated": SIMULATED, "모의": SIMULATED, "모의데이터": SIMULATED}
# What intake.sheets accepts besides the results columns (and what makes a score sheet).
SCORE_HEADERS = (*ITEM_HEADERS, *TOTAL_HEADERS, *SIMULATED_HEADERS)
# Results columns a score sheet may leave out (the grade is computed; simulated rows have
# no source). Rows still need a source_url unless simulated.
OPTIONAL_IN_SCORE_SHEETS = ("grade", "source_url")
TRUE_WORDS = {
    "true",
    "t",
    "1",
    "yes",
    "y",
    "예",
    "o",
    "모의",
    "모의데이터",
    "simulated",
    "synthetic",
}
FALSE_WORDS = {"", "false", "f", "0", "no", "n", "아니오", "아니요", "x", "실제", "real"}
MAX_POINTS = 100.0
MESSAGES = {
    "not_boolean": "'{text}' is not true/false (true, 1, 예, 모의 or false, 0, 아니오)",
    "not_gradable": (
        "{year} was not graded 가–마 within groups, so its scores cannot be graded "
        "(score sheets: 2018 on)"
    ),
    "simulated_grade": "a simulated row cannot carry an official grade; leave it empty",
    "mixed_kinds": (
        "row {first} gives {year} {what} scores; one year's scores are all simulated or all real"
    ),
}

Problems = list[tuple[str, str]]


@dataclass
class ScoreCheck:
    """Checks a score sheet row by row; problems of the header itself go to ``header_errors``."""

    columns: dict[str, str]  # canonical score column -> the sheet's column
    header_errors: list[str] = field(default_factory=list)
    _reported: set[str] = field(default_factory=set)
    _kind: dict[int, tuple[bool, int]] = field(default_factory=dict)  # year -> (simulated, row)

    @classmethod
    def for_sheet(cls, sheet: Sheet) -> ScoreCheck | None:
        """A check when ``sheet`` has any score column, else None (a plain results sheet)."""
        if not sheet.extra_columns:
            return None
        columns: dict[str, str] = {}
        errors: list[str] = []
        aliases = {**ITEM_HEADERS, **TOTAL_HEADERS, **SIMULATED_HEADERS}
        for column in sheet.extra_columns:
            canonical = aliases[column]
            if canonical in columns:
                errors.append(
                    f"row {HEADER_ROW}, column {column}: the same score column as "
                    f"'{columns[canonical]}'"
                )
            else:
                columns[canonical] = column
        return cls(columns=columns, header_errors=errors)

    def simulated(self, row: dict[str, str]) -> bool:
        """Whether the row says it is simulated (an unreadable cell counts as not)."""
        column = self.columns.get(SIMULATED)
        return column is not None and row.get(column, "").strip().lower() in TRUE_WORDS

    def check_row(
        self, number: int, row: dict[str, str], record: Record | None, problems: Problems
    ) -> Record | None:
        """The record with its scores, or None; every problem of the row's score cells is
        added to ``problems`` (the identity may have failed already: cells are still read)."""
        simulated = self._simulated(row, problems)
        items = (
            year_config(record.year).items
            if record
            else tuple(dict.fromkeys(ITEM_HEADERS.values()))
        )
        self._require_columns(items)
        values: dict[str, float] = {}
        for item in items:
            column = self.columns.get(item)
            if column is not None:
                value = _points(row.get(column, ""), column, problems, required=True)
                if value is not None:
                    values[item] = value
        total = self._total(row, problems)
        if record is None or simulated is None:
            return None
        self._check_year(number, record, simulated, problems)
        if problems or len(values) < len(items):
            return None
        return replace(record, scores=ScoreCells(values, total, simulated))

    def _simulated(self, row: dict[str, str], problems: Problems) -> bool | None:
        column = self.columns.get(SIMULATED)
        if column is None:
            return False
        text = row.get(column, "").strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        problems.append((column, MESSAGES["not_boolean"].format(text=text[:20])))
        return None

    def _require_columns(self, items: Sequence[str]) -> None:
        for item in items:
            if item not in self.columns and item not in self._reported:
                self._reported.add(item)
                self.header_errors.append(
                    f"row {HEADER_ROW}, column {item}: missing — a score sheet needs every "
                    f"item ({', '.join(items)})"
                )

    def _total(self, row: dict[str, str], problems: Problems) -> float | None:
        """``total`` (or, in a score sheet, the results column ``score``/총점): optional."""
        column = self.columns.get(TOTAL)
        total = _points(row.get(column, ""), column, problems) if column else None
        score = _points(row.get("score", ""), "score", problems)
        if total is not None and score is not None and abs(total - score) > 1e-9:
            problems.append(("score", f"{score:g} contradicts {column} {total:g} in the same row"))
        return total if total is not None else score

    def _check_year(self, number: int, record: Record, simulated: bool, problems: Problems) -> None:
        config = year_config(record.year)
        if config.scale is not GradeScale.GA_MA or not record.group:
            problems.append(("year", MESSAGES["not_gradable"].format(year=record.year)))
        if simulated and record.grade:
            problems.append(("grade", MESSAGES["simulated_grade"]))
        kind, first = self._kind.setdefault(record.year, (simulated, number))
        if kind != simulated:
            what = "simulated" if kind else "real (not simulated)"
            message = MESSAGES["mixed_kinds"].format(first=first, year=record.year, what=what)
            problems.append((self.columns.get(SIMULATED, SIMULATED), message))


def _points(text: str, column: str, problems: Problems, *, required: bool = False) -> float | None:
    text = text.replace(",", "").removesuffix("점").strip()
    if not text:
        if required:
            problems.append((column, "missing"))
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append((column, f"'{text[:20]}' is not a number"))
        return None
    if value < 0:
        problems.append((column, f"{value:g} is negative (points cannot be below 0)"))
        return None
    if value > MAX_POINTS:
        problems.append((column, f"{value:g} is over {MAX_POINTS:g} points"))
        return None
    return value
