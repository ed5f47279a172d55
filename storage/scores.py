"""Score sheets: item scores per agency per year, and the grades the engine computes from them.

A score sheet is a results sheet (the identity columns of ``grades.csv``) with the numeric
item columns ``전략체계, 제도운영, 국민신문고, 고충민원, 만족도`` (optional ``total``) and an
optional ``simulated`` column. Its ``grade`` is optional; its ``source_url`` is required
unless the row is simulated. Validation here is per cell and pure; :mod:`storage.ingest`
calls it row by row, so a bad file is refused whole with every ``row N, column X`` problem.

Writing (in the ingest's transaction): scores go to ``item_scores``, one row per item; then
every (year, group) touched is graded by :mod:`scoring` with that year's rules from
``years.toml`` and the result goes to ``computed_grades`` — never to ``results``. A year's
scores are all simulated or all real: a real sheet replaces simulated scores of its year, a
simulated sheet is refused where real scores exist. Loading the same sheet twice changes
nothing.

pandas and the engine are imported when scores are written or read, so ``minwon-bot ask``
starts as fast as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from storage.models import (
    AuditEntry,
    ComputedGrade,
    EvaluationYear,
    GradeScale,
    ItemScore,
    Result,
    YearStatus,
    utcnow,
)
from storage.repositories import MetaRepository
from storage.sheets import HEADER_ROW, Sheet
from storage.yearconfig import year_config

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.ingest import Record

TOTAL = "total"  # the ``item`` of an explicit total in ``item_scores``
SIMULATED = "simulated"
ITEM_HEADERS = {
    "전략체계": "전략체계", "민원행정전략및체계": "전략체계", "민원행정전략체계": "전략체계",
    "strategy": "전략체계",
    "제도운영": "제도운영", "민원제도운영": "제도운영", "operation": "제도운영",
    "국민신문고": "국민신문고", "국민신문고민원처리": "국민신문고", "epeople": "국민신문고",
    "고충민원": "고충민원", "고충민원처리": "고충민원", "grievance": "고충민원",
    "만족도": "만족도", "민원만족도": "만족도", "satisfaction": "만족도",
}  # fmt: skip
TOTAL_HEADERS = {"total": TOTAL, "합계": TOTAL, "총계": TOTAL}
SIMULATED_HEADERS = {"simulated": SIMULATED, "모의": SIMULATED, "모의데이터": SIMULATED}
# What storage.sheets accepts besides the results columns (and what makes a score sheet).
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

Problems = list[tuple[str, str]]


# --- validation (pure) ---


@dataclass(frozen=True)
class ScoreCells:
    """One row's scores, validated: item -> points, the explicit total if any."""

    items: dict[str, float]
    total: float | None
    simulated: bool


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
        problems.append((column, f"'{text[:20]}' is not true/false (true, 1, 예, 모의 or false, 0, 아니오)"))  # fmt: skip
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
            problems.append(("year", f"{record.year} was not graded 가–마 within groups, so its "
                                     "scores cannot be graded (score sheets: 2018 on)"))  # fmt: skip
        if simulated and record.grade:
            problems.append(("grade", "a simulated row cannot carry an official grade; leave it empty"))  # fmt: skip
        kind, first = self._kind.setdefault(record.year, (simulated, number))
        if kind != simulated:
            what = "simulated" if kind else "real (not simulated)"
            problems.append((self.columns.get(SIMULATED, SIMULATED),
                             f"row {first} gives {record.year} {what} scores; one year's scores "
                             "are all simulated or all real"))  # fmt: skip


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


def _items_of(cells: ScoreCells) -> dict[str, float]:
    stored = dict(cells.items)
    if cells.total is not None:
        stored[TOTAL] = cells.total
    return stored


# --- writing ---


@dataclass
class ScoreReport:
    """What a score sheet did (counts are agencies × years, not item rows)."""

    simulated: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced_simulated: int = 0  # agencies whose simulated scores a real sheet replaced
    computed: dict[int, dict[str, int]] = field(default_factory=dict)  # year -> group -> n
    computed_changed: int = 0
    differ: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (differ, of)

    @property
    def changed(self) -> bool:
        return bool(
            self.inserted or self.updated or self.replaced_simulated or self.computed_changed
        )

    def summary(self) -> str:
        kind = "모의 데이터/simulated" if self.simulated else "real"
        parts = [f"scores ({kind}): {self.inserted} new, {self.updated} updated, "
                 f"{self.unchanged} unchanged"]  # fmt: skip
        if self.replaced_simulated:
            parts.append(f"{self.replaced_simulated} simulated score rows replaced by real ones")
        for year, groups in sorted(self.computed.items()):
            sizes = ", ".join(f"{group} {n}" for group, n in groups.items())
            line = (f"computed grades (계산값/computed{', 모의 데이터/simulated' if self.simulated else ''}; "
                    f"kept apart from official results) {year}: {sizes}")  # fmt: skip
            if year in self.differ:
                differ, of = self.differ[year]
                line += f"; {differ} of {of} differ from the official grade"
            parts.append(line)
        return "; ".join(parts)


async def score_conflicts(session: AsyncSession, records: Sequence[Record]) -> list[str]:
    """A simulated sheet for a year that holds real scores would mix the two: refused."""
    errors: list[str] = []
    first: dict[int, Record] = {}
    for record in records:
        if record.scores is not None and record.scores.simulated:
            first.setdefault(record.year, record)
    for year, record in sorted(first.items()):
        real = await session.scalar(
            select(ItemScore.id)
            .where(ItemScore.year == year, ItemScore.simulated.is_(False))
            .limit(1)
        )
        if real is not None:
            errors.append(f"row {record.row}, column simulated: {year} already holds real scores; "
                          "simulated scores would be mixed with them")  # fmt: skip
    return errors


async def write_scores(
    session: AsyncSession,
    records: Sequence[Record],
    agency_ids: dict[tuple[str, str, str], int],
    *,
    actor: str,
    source_file: str,
) -> ScoreReport:
    """Store ``records``' scores, then grade every year they touch; in the caller's
    transaction (the unit of work commits)."""
    report = ScoreReport(simulated=any(r.scores and r.scores.simulated for r in records))
    by_year: dict[int, list[Record]] = {}
    for record in records:
        by_year.setdefault(record.year, []).append(record)
    for year, rows in sorted(by_year.items()):
        await _write_year(session, year, rows, agency_ids, report, source_file)
        await _compute_year(session, year, report)
    if report.changed:
        for year in sorted(by_year):
            session.add(AuditEntry(
                actor=actor, action="scores_loaded", year=year, source_file=source_file,
                new_value="simulated" if report.simulated else "real",
                detail={"computed": report.computed.get(year, {}), "differ": report.differ.get(year)},
            ))  # fmt: skip
        await MetaRepository(session).bump_data_version()
    return report


async def _write_year(
    session: AsyncSession,
    year: int,
    records: list[Record],
    agency_ids: dict[tuple[str, str, str], int],
    report: ScoreReport,
    source_file: str,
) -> None:
    stored = list(await session.scalars(select(ItemScore).where(ItemScore.year == year)))
    simulated = bool(records[0].scores and records[0].scores.simulated)
    if not simulated and any(row.simulated for row in stored):
        stale = [row for row in stored if row.simulated]
        report.replaced_simulated += len({row.agency_id for row in stale})
        await session.execute(
            delete(ItemScore).where(ItemScore.year == year, ItemScore.simulated.is_(True))
        )
        stored = [row for row in stored if not row.simulated]
    existing: dict[int, dict[str, ItemScore]] = {}
    for row in stored:
        existing.setdefault(row.agency_id, {})[row.item] = row
    for record in records:
        assert record.scores is not None and record.group is not None
        agency_id = agency_ids[record.identity]
        values = {"grading_group": record.group, "simulated": record.scores.simulated,
                  "source_url": record.source_url, "source_file": source_file}  # fmt: skip
        had = existing.get(agency_id, {})
        changed = False
        for item, points in _items_of(record.scores).items():
            current = had.get(item)
            if current is None:
                session.add(
                    ItemScore(agency_id=agency_id, year=year, item=item, points=points, **values)
                )
                changed = True
                continue
            wanted = {**values, "points": points}
            if any(getattr(current, key) != value for key, value in wanted.items()):
                for key, value in wanted.items():
                    setattr(current, key, value)
                current.updated_at = utcnow()
                changed = True
        for item, old in had.items():
            if item not in _items_of(record.scores):  # e.g. a total the new sheet no longer gives
                await session.delete(old)
                changed = True
        if not had:
            report.inserted += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
    await session.flush()


async def _compute_year(session: AsyncSession, year: int, report: ScoreReport) -> None:
    """Grade every agency scored in ``year`` within its group; store apart from results."""
    import pandas as pd

    from scoring import consistency, grade_table, rules_from_mapping

    scores = await _year_scores(session, year)
    if scores is None:
        return
    rules = rules_from_mapping(year_config(year).scoring_rules())
    table = grade_table(scores.frame, rules)
    stored = {
        row.agency_id: row
        for row in await session.scalars(select(ComputedGrade).where(ComputedGrade.year == year))
    }
    for entry in table.to_dict("records"):
        agency_id = int(entry["agency_id"])
        values = {
            "grading_group": str(entry["group"]),
            "total": None if pd.isna(entry["total"]) else float(entry["total"]),
            "rank": None if pd.isna(entry["rank"]) else int(entry["rank"]),
            "group_size": int(entry["group_size"]),
            "grade": entry["grade"] if isinstance(entry["grade"], str) else None,
            "simulated": scores.simulated,
        }
        row = stored.pop(agency_id, None)
        if row is None:
            session.add(ComputedGrade(agency_id=agency_id, year=year, **values))
            report.computed_changed += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.computed_at = utcnow()
            report.computed_changed += 1
    for row in stored.values():  # agencies no longer scored in this year
        await session.delete(row)
        report.computed_changed += 1
    await session.flush()
    report.computed[year] = {
        str(group): int(n) for group, n in table.groupby("group")["grade"].count().items()
    }
    official = await _official_grades(session, year)
    if len(official):
        differ = consistency(table, official)
        compared = int(official["agency_id"].isin(table["agency_id"]).sum())
        missing = int((~differ["agency_id"].isin(table["agency_id"])).sum())
        report.differ[year] = (len(differ) - missing, compared)


async def _official_grades(session: AsyncSession, year: int) -> pd.DataFrame:
    import pandas as pd

    rows = (await session.execute(
        select(Result.agency_id, Result.grade).where(Result.year == year)
    )).all()  # fmt: skip
    return pd.DataFrame(
        {"agency_id": [r[0] for r in rows], "grade": pd.Series([r[1] for r in rows], dtype=object)}
    )


# --- reading (for the answers) ---


@dataclass(frozen=True)
class YearScores:
    """One year's stored scores as the engine's input frame: ``agency_id``, ``group``, one
    column per item of the year and ``total`` (NaN where the sheet gave none)."""

    year: int
    frame: pd.DataFrame
    simulated: bool
    source_urls: tuple[str, ...]
    source_files: tuple[str, ...]

    def groups(self) -> dict[str, int]:
        """Agencies per group in the score data."""
        counts = self.frame.groupby("group")["agency_id"].count()
        return {str(group): int(n) for group, n in counts.items()}


async def _year_scores(session: AsyncSession, year: int) -> YearScores | None:
    import numpy as np
    import pandas as pd

    rows = list(await session.scalars(
        select(ItemScore).where(ItemScore.year == year).order_by(ItemScore.agency_id, ItemScore.id)
    ))  # fmt: skip
    if not rows:
        return None
    items = year_config(year).items
    by_agency: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_agency.setdefault(
            row.agency_id, {"agency_id": row.agency_id, "group": row.grading_group}
        )
        entry[row.item] = row.points
    frame = pd.DataFrame(list(by_agency.values()))
    for column in (*items, TOTAL):
        if column not in frame.columns:
            frame[column] = np.nan
    frame = frame[["agency_id", "group", *items, TOTAL]].astype({c: float for c in (*items, TOTAL)})
    return YearScores(
        year=year,
        frame=frame.reset_index(drop=True),
        simulated=any(row.simulated for row in rows),
        source_urls=tuple(sorted({row.source_url for row in rows if row.source_url})),
        source_files=tuple(sorted({row.source_file for row in rows if row.source_file})),
    )


async def _visible(session: AsyncSession, years: Iterable[int], include_drafts: bool) -> set[int]:
    """Years whose scores this viewer may see: simulated data always; real scores only once
    the year is published (or by an admin), like the results themselves."""
    years = set(years)
    if include_drafts or not years:
        return years
    simulated = set(await session.scalars(
        select(ItemScore.year).where(ItemScore.year.in_(years), ItemScore.simulated.is_(True)).distinct()
    ))  # fmt: skip
    published = set(await session.scalars(
        select(EvaluationYear.year).where(
            EvaluationYear.year.in_(years), EvaluationYear.status == YearStatus.PUBLISHED
        )
    ))  # fmt: skip
    return years & (simulated | published)


async def load_year_scores(
    session: AsyncSession, year: int, *, include_drafts: bool = False
) -> YearScores | None:
    """The year's scores for the engine, or None when there are none this viewer may see."""
    if year not in await _visible(session, [year], include_drafts):
        return None
    return await _year_scores(session, year)


async def scored_years(session: AsyncSession, *, include_drafts: bool = False) -> list[int]:
    """Every year with score data this viewer may see, oldest first."""
    years = set(await session.scalars(select(ItemScore.year).distinct()))
    return sorted(await _visible(session, years, include_drafts))
