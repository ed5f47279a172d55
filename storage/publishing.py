"""Publishing a draft year: it becomes visible to everyone, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.ingest import INGEST_LOCK_ID
from storage.models import YearStatus
from storage.repositories import (
    AuditRepository,
    MetaRepository,
    ResultRepository,
    YearRepository,
    lock_for_writing,
)


class PublishError(Exception):
    """The year cannot be published (unknown year)."""


@dataclass(frozen=True)
class PublishReport:
    year: int
    results: int
    already_published: bool

    def summary(self) -> str:
        if self.already_published:
            return f"{self.year} was already published ({self.results} results); nothing changed"
        return f"{self.year} published: {self.results} results are now visible to everyone"


async def publish_year(db: Database, year: int, *, actor: str) -> PublishReport:
    async with db.unit_of_work() as session:
        # Serialized with ingests and other publishes: two publishes of one year at once
        # publish it (and audit it) once.
        await lock_for_writing(session, INGEST_LOCK_ID)
        years = YearRepository(session)
        row = await years.get_by_year(year)
        if row is None:
            raise PublishError(f"{year} is not in the database; ingest its results first")
        count = await ResultRepository(session).count_for_year(year)
        if row.status == YearStatus.PUBLISHED:
            return PublishReport(year, count, already_published=True)
        await years.mark_published(row)
        await AuditRepository(session).add(actor=actor, action="year_published", year=year,
                                           old_value=YearStatus.DRAFT, new_value=YearStatus.PUBLISHED)  # fmt: skip
        await MetaRepository(session).bump_data_version()
        return PublishReport(year, count, already_published=False)
