"""Repositories: typed reads and writes over one session. They add and flush; only the
unit of work commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import DATA_CHANGED
from storage.models import (
    Agency,
    AgencyAlias,
    AuditEntry,
    EvaluationYear,
    Meta,
    Result,
    YearStatus,
)

# Ingests and publishes take this one lock: one of them at a time across instances.
RESULTS_LOCK_ID = 74_510_302
MAX_ALIAS = 100  # agency_aliases.alias is VARCHAR(100); a long English name may outgrow it


async def lock_for_writing(session: AsyncSession, key: int) -> None:
    """Make this transaction the only writer of its kind, before it reads anything.

    PostgreSQL: a transaction-scoped advisory lock on ``key`` (another instance waits).
    SQLite: the database's single write lock, taken by a write that changes nothing, so a
    second writer waits at this point instead of reading rows that are about to change.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif dialect == "sqlite":
        await session.execute(text("UPDATE meta SET value = value WHERE 1 = 0"))


class AgencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_all(self) -> Sequence[Agency]:
        return (await self.session.scalars(select(Agency).order_by(Agency.id))).all()

    async def list_aliases(self) -> Sequence[AgencyAlias]:
        return (await self.session.scalars(select(AgencyAlias).order_by(AgencyAlias.id))).all()

    async def add(self, agency: Agency, *, aliases: dict[str, str]) -> Agency:
        self.session.add(agency)
        await self.session.flush()
        for alias, kind in aliases.items():
            self.session.add(AgencyAlias(agency_id=agency.id, alias=alias, kind=kind))
        await self.session.flush()
        return agency

    async def replace_aliases(self, aliases: dict[int, dict[str, str]]) -> None:
        """Each agency's aliases become exactly ``aliases[agency_id]`` (alias -> kind)."""
        ids = list(aliases)
        for start in range(0, len(ids), 500):  # stay under a database's bound-parameter limit
            chunk = ids[start : start + 500]
            await self.session.execute(delete(AgencyAlias).where(AgencyAlias.agency_id.in_(chunk)))
        rows = [
            {"agency_id": agency_id, "alias": alias, "kind": kind}
            for agency_id, found in aliases.items()
            for alias, kind in found.items()
            if len(alias) <= MAX_ALIAS
        ]
        if rows:
            await self.session.execute(insert(AgencyAlias), rows)
        await self.session.flush()


class ResultRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _visible(self, include_drafts: bool) -> Any:
        query = select(Result).join(EvaluationYear, EvaluationYear.year == Result.year)
        if not include_drafts:
            query = query.where(EvaluationYear.status == YearStatus.PUBLISHED)
        return query

    async def list_for_years(
        self, years: Iterable[int], *, include_drafts: bool = False
    ) -> Sequence[Result]:
        query = self._visible(include_drafts).where(Result.year.in_(list(years)))
        return (await self.session.scalars(query.order_by(Result.year, Result.id))).all()

    async def count_for_year(self, year: int) -> int:
        query = select(func.count()).select_from(Result).where(Result.year == year)
        return int(await self.session.scalar(query) or 0)

    def add_pending(self, result: Result) -> None:
        """Add without flushing: a bulk load flushes once at the end."""
        self.session.add(result)


class YearRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_years(self, *, include_drafts: bool = False) -> Sequence[EvaluationYear]:
        query = select(EvaluationYear).order_by(EvaluationYear.year)
        if not include_drafts:
            query = query.where(EvaluationYear.status == YearStatus.PUBLISHED)
        return (await self.session.scalars(query)).all()

    async def get_by_year(self, year: int) -> EvaluationYear | None:
        return await self.session.get(EvaluationYear, year)

    async def add(self, year: EvaluationYear) -> None:
        self.session.add(year)
        await self.session.flush()

    async def mark_published(self, year: EvaluationYear) -> None:
        year.status = YearStatus.PUBLISHED
        year.published_at = datetime.now(UTC)
        await self.session.flush()


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *, actor: str, action: str, **fields: Any) -> None:
        self.session.add(AuditEntry(actor=actor, action=action, **fields))
        await self.session.flush()


class MetaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_key(self, key: str) -> str | None:
        row = await self.session.get(Meta, key)
        return row.value if row else None

    async def put(self, key: str, value: str) -> None:
        row = await self.session.get(Meta, key)
        if row is None:
            self.session.add(Meta(key=key, value=value))
        else:
            row.value = value
        await self.session.flush()

    async def bump_data_version(self) -> None:
        current = int(await self.get_by_key("data_version") or 0)
        await self.put("data_version", str(current + 1))
        self.session.info[DATA_CHANGED] = True
