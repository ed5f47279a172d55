"""Score sheets: item scores per agency per year, and the grades the engine computes from them.

A score sheet's cells are checked by :mod:`intake.score_cells` (pure, before anything is
written); this module writes and reads what they hold.

Writing (in the ingest's transaction): scores go to ``item_scores``, one row per item; then
every (year, group) touched is graded by :mod:`scoring` with that year's rules from
``domain/years.py`` and the result goes to ``computed_grades`` — never to ``results``. A year's
scores are all simulated or all real: a real sheet replaces simulated scores of its year, a
simulated sheet is refused where real scores exist. Loading the same sheet twice changes
nothing.

pandas and the engine are imported when scores are written or read, so ``minwon-bot ask``
starts as fast as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from domain.years import year_config
from intake.records import Record, ScoreCells
from intake.reports import ScoreReport
from intake.score_cells import TOTAL
from storage.models import (
    AuditEntry,
    ComputedGrade,
    EvaluationYear,
    ItemScore,
    Result,
    YearStatus,
    utcnow,
)
from storage.repositories import MetaRepository

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.ext.asyncio import AsyncSession

MESSAGES = {
    "mixed_with_real": (
        "row {row}, column simulated: {year} already holds real scores; "
        "simulated scores would be mixed with them"
    ),
}


def _items_of(cells: ScoreCells) -> dict[str, float]:
    stored = dict(cells.items)
    if cells.total is not None:
        stored[TOTAL] = cells.total
    return stored


# --- writing ---


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
            errors.append(MESSAGES["mixed_with_real"].format(row=record.row, year=year))
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
            detail = {"computed": report.computed.get(year, {}), "differ": report.differ.get(year)}
            session.add(
                AuditEntry(
                    actor=actor,
                    action="scores_loaded",
                    year=year,
                    source_file=source_file,
                    new_value="simulated" if report.simulated else "real",
                    detail=detail,
                )
            )
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
        values = {
            "grading_group": record.group,
            "simulated": record.scores.simulated,
            "source_url": record.source_url,
            "source_file": source_file,
        }
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

    rows = (
        await session.execute(select(Result.agency_id, Result.grade).where(Result.year == year))
    ).all()
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

    rows = list(
        await session.scalars(
            select(ItemScore)
            .where(ItemScore.year == year)
            .order_by(ItemScore.agency_id, ItemScore.id)
        )
    )
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
    simulated = set(
        await session.scalars(
            select(ItemScore.year)
            .where(ItemScore.year.in_(years), ItemScore.simulated.is_(True))
            .distinct()
        )
    )
    published = set(
        await session.scalars(
            select(EvaluationYear.year).where(
                EvaluationYear.year.in_(years), EvaluationYear.status == YearStatus.PUBLISHED
            )
        )
    )
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
