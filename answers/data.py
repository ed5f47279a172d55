"""What answers read from storage: the catalog and results, visible to one viewer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from answers.understanding.catalog import AgencyRef, Catalog
from answers.understanding.context import Viewer, YearInfo
from storage.agency_catalog import agency_catalog
from storage.db import Database
from storage.models import EvaluationYear, Subscription, YearStatus
from storage.repositories import AgencyRepository, MetaRepository, YearRepository
from storage.subscriptions import SubscriptionRepository
from storage.views import ResultView, list_result_views


@dataclass
class Snapshot:
    """Everything answers read, for one data version: the catalog, the years, the results
    indexed by agency and by year. Rebuilt only when an ingest or publish bumps the
    version, so a question costs one tiny query plus pure computation."""

    version: str | None
    catalog: Catalog
    years: list[YearInfo]
    by_agency: dict[int, list[ResultView]]
    by_year: dict[int, list[ResultView]]
    # Other reads of this version, loaded once (score sheets): see DataAccess.once.
    loaded: dict[Hashable, Any] = field(default_factory=dict)

    def visible(self, viewer: Viewer) -> set[int]:
        return {y.year for y in self.years if viewer.is_admin or y.status == YearStatus.PUBLISHED}


T = TypeVar("T")
VERSION_TTL = 1.0  # seconds a data-version check stands for another instance's writes


class DataAccess:
    """Reads for answers from an in-memory snapshot, refreshed when the data version changes."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._snapshot: Snapshot | None = None
        self._lock = asyncio.Lock()
        self._checked: tuple[float, int] = (-VERSION_TTL, -1)  # (when, db.data_generation)

    async def refresh(self) -> Snapshot:
        """Check the data version (one tiny query) and reload when it moved. Called once per
        question; the reads below then use that snapshot without asking again. A check
        stands for VERSION_TTL: this process's own writes are seen at once (the database
        object counts them), another instance's within a second."""
        current = self._snapshot
        checked_at, generation = self._checked
        fresh = time.monotonic() - checked_at < VERSION_TTL
        if current is not None and fresh and generation == self.db.data_generation:
            return current
        generation = self.db.data_generation
        async with self.db.unit_of_work() as session:
            version = await MetaRepository(session).get_by_key("data_version")
        self._checked = (time.monotonic(), generation)
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        async with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = await self._load(version)
            return self._snapshot

    async def _load(self, version: str | None) -> Snapshot:
        async with self.db.unit_of_work() as session:
            repo = AgencyRepository(session)
            stored = [
                (AgencyRef(a.id, a.name, a.region, a.agency_type, a.grading_group), a.catalog_key)
                for a in await repo.list_all()
            ]
            aliases = [(alias.agency_id, alias.alias) for alias in await repo.list_aliases()]
            years = [
                _year_info(row)
                for row in await YearRepository(session).list_years(include_drafts=True)
            ]
            results = await list_result_views(session)
        by_agency: dict[int, list[ResultView]] = {}
        by_year: dict[int, list[ResultView]] = {}
        for result in results:
            by_agency.setdefault(result.agency_id, []).append(result)
            by_year.setdefault(result.year, []).append(result)
        catalog = Catalog.from_catalog(agency_catalog(), stored, aliases)
        return Snapshot(version, catalog, years, by_agency, by_year)

    def loaded(self) -> Snapshot | None:
        """The snapshot in memory, without asking the database (None before the first)."""
        return self._snapshot

    async def snapshot(self) -> Snapshot:
        """The snapshot of this question (loaded on first use)."""
        return self._snapshot if self._snapshot is not None else await self.refresh()

    async def once(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """``load()``'s result, read once per data version (every write that changes what
        answers read bumps the version, and a new snapshot starts empty)."""
        snap = await self.snapshot()
        if key not in snap.loaded:
            snap.loaded[key] = await load()
        return cast(T, snap.loaded[key])

    async def catalog(self) -> Catalog:
        return (await self.snapshot()).catalog

    async def years(self, viewer: Viewer) -> list[YearInfo]:
        snap = await self.snapshot()
        visible = snap.visible(viewer)
        return [y for y in snap.years if y.year in visible]

    async def results_for(self, agency_ids: Sequence[int], viewer: Viewer) -> list[ResultView]:
        snap = await self.snapshot()
        visible = snap.visible(viewer)
        return [r for i in agency_ids for r in snap.by_agency.get(i, ()) if r.year in visible]

    async def results_in(self, years: Sequence[int], viewer: Viewer) -> list[ResultView]:
        snap = await self.snapshot()
        visible = snap.visible(viewer)
        return [r for y in years if y in visible for r in snap.by_year.get(y, ())]

    async def subscriptions(
        self, *, channels: Sequence[str] | None, user_id: str | None
    ) -> list[Subscription]:
        return await _subscriptions(self.db, channels, user_id)


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
        year=row.year,
        scale=row.scale,
        status=row.status,
        evaluated=row.agencies_evaluated,
        graded=row.agencies_graded,
        period=row.period,
        announced=row.announced,
        source=row.source,
    )
