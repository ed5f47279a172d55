"""Publishing a draft year: it becomes visible to everyone, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from storage.alerts import queue_year
from storage.db import Database
from storage.models import YearStatus
from storage.repositories import (
    RESULTS_LOCK_ID,
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
    announcements: int = 0

    def summary(self) -> str:
        queued = f"; {self.announcements} announcement(s) queued" if self.announcements else ""
        if self.already_published:
            done = f"was already published ({self.results} results); nothing changed"
        else:
            done = f"published: {self.results} results are now visible to everyone"
        return f"{self.year} {done}{queued}"


async def publish_year(
    db: Database, year: int, *, actor: str, announce_channel: str | None = None
) -> PublishReport:
    """Publish ``year`` and, in the same transaction, queue its announcements: one alert per
    (channel, agency, year, kind) and the summary for ``announce_channel``. Running it again
    (or from two instances at once) queues nothing more."""
    async with db.unit_of_work() as session:
        # Serialized with ingests and other publishes: two publishes of one year at once
        # publish it (and audit it) once.
        await lock_for_writing(session, RESULTS_LOCK_ID)
        years = YearRepository(session)
        row = await years.get_by_year(year)
        if row is None:
            raise PublishError(f"{year} is not in the database; ingest its results first")
        count = await ResultRepository(session).count_for_year(year)
        if row.status == YearStatus.PUBLISHED:
            queued = await queue_year(session, year, announce_channel=announce_channel)
            return PublishReport(year, count, already_published=True, announcements=queued)
        await years.mark_published(row)
        queued = await queue_year(session, year, announce_channel=announce_channel)
        await AuditRepository(session).add(
            actor=actor,
            action="year_published",
            year=year,
            old_value=YearStatus.DRAFT,
            new_value=YearStatus.PUBLISHED,
        )
        await MetaRepository(session).bump_data_version()
        return PublishReport(year, count, already_published=False, announcements=queued)
