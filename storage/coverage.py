"""How much of each evaluation year the database knows: stored results counted per year,
grading group and grade, in one query, beside what the year's own facts say was graded
(domain/years.py). Answers turn this into 'what file is missing'."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from domain.groups import ALL_GROUPS
from domain.years import YearConfig, year_config
from storage.db import Database
from storage.models import Agency, EvaluationYear, Result, YearStatus

UNGROUPED = ALL_GROUPS  # the years before grading groups: one count for the whole year


@dataclass(frozen=True)
class YearCounts:
    """One year's stored results: group -> grade -> count, and the year's own facts."""

    year: int
    published: bool
    config: YearConfig
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def known(self, group: str | None = None) -> int:
        groups = [group] if group is not None else list(self.counts)
        return sum(sum(self.counts.get(g, {}).values()) for g in groups)

    def groups(self) -> list[str]:
        """The year's grading groups in their order, then any other group results name."""
        named = list(self.config.group_sizes) or list(self.config.groups)
        return named + sorted(set(self.counts) - set(named))


@dataclass(frozen=True)
class Span:
    """What the database holds in all: the years on record and how many results."""

    years: tuple[int, ...]
    rows: int


async def coverage_span(db: Database, *, include_drafts: bool = True) -> Span:
    """The stored years (published only unless ``include_drafts``) and their results, in
    two small queries: a count, not a count per group."""
    years_query = select(EvaluationYear.year).order_by(EvaluationYear.year)
    rows_query = select(func.count()).select_from(Result)
    if not include_drafts:
        years_query = years_query.where(EvaluationYear.status == YearStatus.PUBLISHED)
        rows_query = rows_query.join(EvaluationYear, EvaluationYear.year == Result.year).where(
            EvaluationYear.status == YearStatus.PUBLISHED
        )
    async with db.unit_of_work() as session:
        years = tuple((await session.execute(years_query)).scalars())
        rows = int((await session.execute(rows_query)).scalar_one())
    return Span(years, rows)


async def coverage_counts(
    db: Database, *, year: int | None = None, include_drafts: bool = True
) -> list[YearCounts]:
    """Every stored year (or ``year``), oldest first, with its results counted."""
    group = func.coalesce(Result.grading_group, Agency.grading_group, UNGROUPED)
    query = (
        select(Result.year, group, Result.grade, func.count())
        .join(Agency, Agency.id == Result.agency_id)
        .group_by(Result.year, group, Result.grade)
    )
    years_query = select(EvaluationYear.year, EvaluationYear.status).order_by(EvaluationYear.year)
    if year is not None:
        query = query.where(Result.year == year)
        years_query = years_query.where(EvaluationYear.year == year)
    if not include_drafts:
        years_query = years_query.where(EvaluationYear.status == YearStatus.PUBLISHED)
    async with db.unit_of_work() as session:
        years = (await session.execute(years_query)).all()
        rows = (await session.execute(query)).all()
    found: dict[int, dict[str, dict[str, int]]] = {}
    for stored_year, stored_group, grade, count in rows:
        found.setdefault(stored_year, {}).setdefault(stored_group, {})[grade] = int(count)
    return [
        YearCounts(y, status == YearStatus.PUBLISHED, year_config(y), found.get(y, {}))
        for y, status in years
    ]
