"""What answers read from storage: the catalog and results, visible to one viewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from answers.catalog import AgencyRef, Catalog
from storage.db import Database
from storage.models import EvaluationYear, Result, Subscription
from storage.repositories import AgencyRepository, MetaRepository, ResultRepository, YearRepository
from storage.subscriptions import SubscriptionRepository


@dataclass(frozen=True)
class Viewer:
    """Who is asking: admins also see draft years."""

    user_id: str | None = None
    is_admin: bool = False
    channel_id: str | None = None  # where the question was asked (subscriptions belong to it)


@dataclass(frozen=True)
class YearInfo:
    year: int
    scale: str
    status: str
    evaluated: int | None
    graded: int | None
    period: str | None
    announced: str | None
    source: str | None


class DataAccess:
    """Reads for answers, with the catalog cached until the data version changes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._catalog: Catalog | None = None
        self._version: str | None = None

    async def catalog(self) -> Catalog:
        async with self.db.unit_of_work() as session:
            version = await MetaRepository(session).get_by_key("data_version")
            if self._catalog is None or version != self._version:
                repo = AgencyRepository(session)
                agencies = [
                    AgencyRef(a.id, a.name, a.region, a.agency_type, a.grading_group)
                    for a in await repo.list_all()
                ]
                aliases = [(alias.agency_id, alias.alias) for alias in await repo.list_aliases()]
                self._catalog = Catalog.build(agencies, aliases)
                self._version = version
        return self._catalog

    async def years(self, viewer: Viewer) -> list[YearInfo]:
        async with self.db.unit_of_work() as session:
            rows = await YearRepository(session).list_years(include_drafts=viewer.is_admin)
        return [_year_info(row) for row in rows]

    async def results_for(self, agency_ids: Sequence[int], viewer: Viewer) -> list[Result]:
        async with self.db.unit_of_work() as session:
            repo = ResultRepository(session)
            return list(await repo.list_for_agencies(agency_ids, include_drafts=viewer.is_admin))

    async def subscriptions(
        self, *, channels: Sequence[str] | None, user_id: str | None
    ) -> list[Subscription]:
        return await _subscriptions(self.db, channels, user_id)

    async def results_in(self, years: Sequence[int], viewer: Viewer) -> list[Result]:
        async with self.db.unit_of_work() as session:
            repo = ResultRepository(session)
            return list(await repo.list_for_years(years, include_drafts=viewer.is_admin))


async def _subscriptions(
    db: Database, channels: Sequence[str] | None, user_id: str | None
) -> list[Subscription]:
    async with db.unit_of_work() as session:
        repo = SubscriptionRepository(session)
        if channels is not None:
            return list(await repo.list_for_channels(channels))
        return list(await repo.list_created_by(user_id)) if user_id else []


def _year_info(row: EvaluationYear) -> YearInfo:
    return YearInfo(
        year=row.year, scale=row.scale, status=row.status, evaluated=row.agencies_evaluated,
        graded=row.agencies_graded, period=row.period, announced=row.announced, source=row.source,
    )  # fmt: skip
