"""The announcement outbox: rows written idempotently in the caller's transaction, and
claimed safely by any number of announcers. Which rows a publication or a correction
writes is :mod:`storage.alerts`' business.

Exactly once: every row has a ``dedupe_key`` — (kind, channel, agency, year) — under a
unique constraint, and rows are inserted with ON CONFLICT DO NOTHING, so publishing twice,
or two processes publishing at once, inserts nothing more. Delivery claims rows (PostgreSQL:
``FOR UPDATE SKIP LOCKED``, re-checking at the lock that a row is still due; SQLite: a
conditional UPDATE, SQLite having one writer), records the Slack ``ts`` when posted, and
takes over a claim whose lease ran out (a slow batch renews its claim before each post once
half the lease is gone), or whose worker on this host died ``TAKEOVER_GRACE`` ago.

A worker is one announcer: ``host:pid:n``, claiming one batch at a time and finishing it
before it claims again. So its own rows still "sending" when it claims were abandoned by a
round that failed part-way, and nothing of it is in flight. A post a dead worker sent just
before it died may reach the channel's history a moment later; the takeover waits for that,
so the new owner's lookup sees it.
"""

from __future__ import annotations

import itertools
import os
import socket
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import Announcement, AnnouncementKind, AnnouncementStatus
from storage.payloads import AdminReportPayload

LEASE = timedelta(seconds=60)
# How long after a worker is first seen dead its claims stay untouched: a post it sent just
# before dying can still be on its way into the channel's history.
TAKEOVER_GRACE = timedelta(seconds=10)
CLAIM_LIMIT = 500
PER_CHANNEL = 3  # a channel's share of one claim: about three seconds of its pacing
INSERT_BATCH = 500


def _now() -> datetime:
    return datetime.now(UTC)


_numbers = itertools.count(1)


def new_worker() -> str:
    """A name no other announcer has: this host, this process, and a number within it."""
    return f"{socket.gethostname()}:{os.getpid()}:{next(_numbers)}"


def _alive(worker: str) -> bool:
    """Whether the process of worker 'host:pid[:n]' still runs (same host only)."""
    pid = (worker.split(":") + [""])[1]
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class OutboxEntry:
    """A row to queue; ``payload`` is a payload's JSON (:mod:`storage.payloads`)."""

    dedupe_key: str
    kind: AnnouncementKind
    channel_id: str
    agency_id: int | None
    year: int
    payload: dict[str, Any]
    corrects_id: int | None = None


async def insert_announcements(session: AsyncSession, entries: Sequence[OutboxEntry]) -> int:
    """Insert entries whose dedupe_key is new; the rest are silently already there."""
    if not entries:
        return 0
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    inserted = 0
    for start in range(0, len(entries), INSERT_BATCH):
        rows = [asdict(entry) for entry in entries[start : start + INSERT_BATCH]]
        statement = dialect.insert(Announcement).values(rows)
        result = await session.execute(
            statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        inserted += max(getattr(result, "rowcount", 0) or 0, 0)
    return inserted


async def queue_admin_reports(
    session: AsyncSession, failed: Announcement, admins: Iterable[str]
) -> int:
    """Tell each admin once that a channel cannot be posted to."""
    payload = AdminReportPayload(channel=failed.channel_id, year=failed.year, error=failed.error)
    entries = [
        OutboxEntry(
            dedupe_key=f"{AnnouncementKind.ADMIN_REPORT}:{failed.channel_id}:{admin}",
            kind=AnnouncementKind.ADMIN_REPORT,
            channel_id=admin,
            agency_id=None,
            year=failed.year,
            payload=payload.to_json(),
        )
        for admin in admins
    ]
    return await insert_announcements(session, entries)


# --- delivery bookkeeping ---


@dataclass(frozen=True)
class Claimed:
    """A row this worker now owns; ``interrupted`` when an earlier worker claimed it and
    stopped (it may have been posted already, so the announcer checks before posting)."""

    row: Announcement
    interrupted: bool


class Outbox:
    """Claims and records deliveries; each call is its own short transaction."""

    def __init__(
        self,
        db: Database,
        *,
        worker: str,
        lease: timedelta = LEASE,
        takeover_grace: timedelta = TAKEOVER_GRACE,
    ) -> None:
        self.db = db
        self.worker = worker
        self.lease = lease
        self.takeover_grace = takeover_grace.total_seconds()
        self._dead_since: dict[str, float] = {}  # worker -> when this one first saw it dead

    def _due(self, now: datetime, dead: Sequence[str] = ()) -> Any:
        sending = Announcement.status == AnnouncementStatus.SENDING
        return or_(
            and_(
                Announcement.status == AnnouncementStatus.PENDING,
                Announcement.next_attempt_at <= now,
            ),
            and_(sending, Announcement.claimed_at < now - self.lease),
            and_(sending, Announcement.claimed_by.in_(list(dead))),
            # Our own rows still 'sending' when we claim again were abandoned by a round that
            # failed part-way (the database went away): this worker finishes a batch before
            # it claims again, so none of them is in flight.
            and_(sending, Announcement.claimed_by == self.worker),
        )

    async def _dead_workers(self) -> list[str]:
        """Workers on this host whose process is gone, and was already gone
        ``takeover_grace`` ago: their claims need no lease to expire."""
        host = self.worker.split(":", 1)[0]
        async with self.db.unit_of_work() as session:
            owners = (
                await session.scalars(
                    select(Announcement.claimed_by)
                    .distinct()
                    .where(
                        Announcement.status == AnnouncementStatus.SENDING,
                        Announcement.claimed_by.like(f"{host}:%"),
                    )
                )
            ).all()
        dead = [owner for owner in owners if owner and owner != self.worker and not _alive(owner)]
        now = time.monotonic()
        self._dead_since = {owner: self._dead_since.get(owner, now) for owner in dead}
        return [
            owner for owner, since in self._dead_since.items() if now - since >= self.takeover_grace
        ]

    async def claim(
        self, *, limit: int = CLAIM_LIMIT, per_channel: int = PER_CHANNEL
    ) -> list[Claimed]:
        """Claim due rows, at most ``per_channel`` of each channel, oldest first, so every
        channel moves in parallel and none hogs a batch."""
        now, dead = _now(), await self._dead_workers()
        ranked = (
            select(
                Announcement.id,
                func.row_number()
                .over(partition_by=Announcement.channel_id, order_by=Announcement.id)
                .label("n"),
            )
            .where(self._due(now, dead))
            .subquery()
        )
        fair = (
            select(ranked.c.id).where(ranked.c.n <= per_channel).order_by(ranked.c.id).limit(limit)
        )
        if self.db.is_postgres:
            async with self.db.writing() as session:
                # The due test again on the locked rows: PostgreSQL re-checks only this query's
                # own conditions on a row another claimer changed after the statement began.
                query = (
                    select(Announcement)
                    .where(Announcement.id.in_(fair), self._due(now, dead))
                    .order_by(Announcement.id)
                )
                rows = list((await session.scalars(query.with_for_update(skip_locked=True))).all())
                claimed = [Claimed(row, row.status == AnnouncementStatus.SENDING) for row in rows]
                for row in rows:
                    row.status, row.claimed_by, row.claimed_at = (
                        AnnouncementStatus.SENDING,
                        self.worker,
                        now,
                    )
                return claimed
        # SQLite has one writer: read the candidates, then take them with one conditional update.
        async with self.db.unit_of_work() as session:
            found = select(Announcement.id, Announcement.status).where(Announcement.id.in_(fair))
            candidates: dict[int, str] = {
                id_: status for id_, status in (await session.execute(found)).all()
            }
        if not candidates:
            return []
        async with self.db.writing() as session:
            await session.execute(
                update(Announcement)
                .where(Announcement.id.in_(list(candidates)), self._due(now, dead))
                .values(status=AnnouncementStatus.SENDING, claimed_by=self.worker, claimed_at=now)
            )
            mine = (
                select(Announcement)
                .where(
                    Announcement.id.in_(list(candidates)),
                    Announcement.claimed_by == self.worker,
                    Announcement.claimed_at == now,
                    Announcement.status == AnnouncementStatus.SENDING,
                )
                .order_by(Announcement.id)
            )
            rows = list((await session.scalars(mine)).all())
        return [Claimed(row, candidates[row.id] == AnnouncementStatus.SENDING) for row in rows]

    async def keep(self, row: Announcement) -> bool:
        """Before posting ``row``: renew this worker's claim once half its lease is gone, so
        no one takes over a row a slow batch is about to post. False when the claim is lost
        (the lease ran out and another worker has the row now)."""
        now = _now()
        claimed = row.claimed_at
        if claimed is not None and claimed.tzinfo is None:
            claimed = claimed.replace(tzinfo=UTC)
        if claimed is not None and now - claimed < self.lease / 2:
            return True
        async with self.db.writing() as session:
            renewed = await session.execute(
                update(Announcement)
                .where(
                    Announcement.id == row.id,
                    Announcement.claimed_by == self.worker,
                    Announcement.status == AnnouncementStatus.SENDING,
                )
                .values(claimed_at=now)
            )
        row.claimed_at = now
        return bool(getattr(renewed, "rowcount", 0))

    async def get(self, announcement_id: int) -> Announcement | None:
        async with self.db.unit_of_work() as session:
            return await session.get(Announcement, announcement_id)

    async def mark_sent(self, row: Announcement, *, ts: str | None) -> None:
        await self._set(
            row, status=AnnouncementStatus.SENT, slack_ts=ts, sent_at=_now(), error=None
        )

    async def mark_retry(self, row: Announcement, *, after: float, error: str) -> None:
        await self._set(
            row,
            status=AnnouncementStatus.PENDING,
            attempts=row.attempts + 1,
            next_attempt_at=_now() + timedelta(seconds=after),
            error=error,
            claimed_by=None,
        )

    async def mark_failed(
        self, row: Announcement, *, error: str, admins: Iterable[str] = ()
    ) -> None:
        async with self.db.writing() as session:
            await session.execute(
                update(Announcement)
                .where(Announcement.id == row.id)
                .values(status=AnnouncementStatus.FAILED, error=error, attempts=row.attempts + 1)
            )
            row.error = error
            if row.kind != AnnouncementKind.ADMIN_REPORT:
                await queue_admin_reports(session, row, admins)

    async def _set(self, row: Announcement, **values: Any) -> None:
        async with self.db.writing() as session:
            await session.execute(
                update(Announcement).where(Announcement.id == row.id).values(**values)
            )

    async def pending_count(self) -> int:
        async with self.db.unit_of_work() as session:
            query = (
                select(func.count())
                .select_from(Announcement)
                .where(
                    Announcement.status.in_(
                        [AnnouncementStatus.PENDING, AnnouncementStatus.SENDING]
                    )
                )
            )
            return int(await session.scalar(query) or 0)

    async def next_due_in(self) -> float | None:
        """Seconds until the next pending row is due (0 if one is due now), None if none."""
        async with self.db.unit_of_work() as session:
            soonest = await session.scalar(
                select(func.min(Announcement.next_attempt_at)).where(
                    Announcement.status.in_(
                        [AnnouncementStatus.PENDING, AnnouncementStatus.SENDING]
                    )
                )
            )
        if soonest is None:
            return None
        if soonest.tzinfo is None:
            soonest = soonest.replace(tzinfo=UTC)
        return max(0.0, (soonest - _now()).total_seconds())
