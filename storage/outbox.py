"""The announcement outbox: which alerts a published year implies, written idempotently
in the caller's transaction, and claimed safely by any number of announcers.

Exactly once: every row has a ``dedupe_key`` — (kind, channel, agency, year) — under a
unique constraint, and rows are inserted with ON CONFLICT DO NOTHING, so publishing twice,
or two processes publishing at once, inserts nothing more. Delivery claims rows (PostgreSQL:
``FOR UPDATE SKIP LOCKED``; SQLite: a conditional UPDATE per row, SQLite having one writer),
records the Slack ``ts`` when posted, and takes over a claim whose lease ran out.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import (
    Agency,
    Announcement,
    AnnouncementKind,
    AnnouncementStatus,
    EvaluationYear,
    Result,
    Subscription,
    TargetKind,
)
from storage.yearconfig import grade_rank

LEASE = timedelta(seconds=60)
CLAIM_LIMIT = 500
PER_CHANNEL = 3  # a channel's share of one claim: about three seconds of its pacing
RISERS = 5


def _now() -> datetime:
    return datetime.now(UTC)


def _alive(worker: str) -> bool:
    """Whether the process named 'host:pid' still runs (same host only)."""
    pid = worker.rsplit(":", 1)[-1]
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def insert_announcements(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows whose dedupe_key is new; the rest are silently already there."""
    if not rows:
        return 0
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    inserted = 0
    for start in range(0, len(rows), 500):
        statement = dialect.insert(Announcement).values(list(rows[start : start + 500]))
        result = await session.execute(
            statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        inserted += max(getattr(result, "rowcount", 0) or 0, 0)
    return inserted


# --- what a year's publication announces ---


@dataclass(frozen=True)
class YearData:
    year: int
    previous_year: int | None
    agencies: dict[int, Agency]
    results: dict[int, Result]
    previous: dict[int, Result]
    evaluated: int | None


async def load_year(session: AsyncSession, year: int) -> YearData:
    earlier = await session.scalar(
        select(func.max(EvaluationYear.year)).where(EvaluationYear.year < year)
    )
    info = await session.get(EvaluationYear, year)
    years = [year] + ([earlier] if earlier else [])
    rows = (await session.scalars(select(Result).where(Result.year.in_(years)))).all()
    agencies = {a.id: a for a in (await session.scalars(select(Agency))).all()}
    return YearData(
        year=year, previous_year=earlier, agencies=agencies,
        results={r.agency_id: r for r in rows if r.year == year},
        previous={r.agency_id: r for r in rows if r.year == earlier},
        evaluated=info.agencies_evaluated if info else None,
    )  # fmt: skip


def covered(subscription: Subscription, data: YearData) -> Iterable[int]:
    """The agencies with a result this year that a subscription follows."""
    kind, target = subscription.target_kind, subscription.target
    for agency_id, result in data.results.items():
        agency = data.agencies[agency_id]
        if (
            kind == TargetKind.ALL
            or (kind == TargetKind.AGENCY and target == str(agency_id))
            or (kind == TargetKind.REGION and agency.region == target)
            or (
                kind == TargetKind.GROUP
                and (result.grading_group or agency.grading_group) == target
            )
        ):
            yield agency_id


def alert_payload(
    agency: Agency, result: Result, previous: Result | None, previous_year: int | None
) -> dict[str, Any]:
    comparable = previous is not None and previous.scale == result.scale
    steps = 0
    if comparable and previous is not None:
        steps = (grade_rank(previous.scale, previous.grade) or 0) - (
            grade_rank(result.scale, result.grade) or 0
        )
    return {
        "agency": agency.name, "region": agency.region, "agency_type": agency.agency_type,
        "group": result.grading_group or agency.grading_group, "year": result.year, "grade": result.grade,
        "scale": result.scale, "previous_year": previous_year,
        "previous_grade": previous.grade if previous else None,
        "previous_scale": previous.scale if previous else None, "steps": steps,
        "source_url": result.source_url, "published_name": result.published_name,
    }  # fmt: skip


def alert_rows(subscriptions: Sequence[Subscription], data: YearData) -> list[dict[str, Any]]:
    """One alert per (channel, agency, year, kind) for each followed agency whose grade
    differs from the previous evaluation year, or that has no previous-year grade."""
    rows: dict[str, dict[str, Any]] = {}
    for subscription in subscriptions:
        for agency_id in covered(subscription, data):
            result, previous = data.results[agency_id], data.previous.get(agency_id)
            if (
                previous is not None
                and previous.scale == result.scale
                and previous.grade == result.grade
            ):
                continue
            kind = (
                AnnouncementKind.CHANGE
                if previous is not None and previous.scale == result.scale
                else AnnouncementKind.FIRST_RECORD
            )
            key = f"{kind}:{subscription.channel_id}:{agency_id}:{data.year}"
            rows[key] = {
                "dedupe_key": key, "kind": kind, "channel_id": subscription.channel_id, "agency_id": agency_id,
                "year": data.year, "payload": alert_payload(data.agencies[agency_id], result, previous, data.previous_year),
            }  # fmt: skip
    return list(rows.values())


def summary_payload(data: YearData) -> dict[str, Any]:
    """Counts per grade per group, biggest risers and fallers among known pairs, coverage."""
    counts: dict[str, Counter[str]] = {}
    for agency_id, result in data.results.items():
        group = result.grading_group or data.agencies[agency_id].grading_group or "기타"
        counts.setdefault(group, Counter())[result.grade] += 1
    moves = []
    for agency_id, result in data.results.items():
        before = data.previous.get(agency_id)
        if before is not None and before.scale == result.scale:
            payload = alert_payload(data.agencies[agency_id], result, before, data.previous_year)
            if payload["steps"]:
                moves.append(payload)
    moves.sort(key=lambda p: (-abs(p["steps"]), p["agency"]))
    return {
        "year": data.year, "previous_year": data.previous_year,
        "counts": {group: dict(counter) for group, counter in sorted(counts.items())},
        "risers": [m for m in moves if m["steps"] > 0][:RISERS],
        "fallers": [m for m in moves if m["steps"] < 0][:RISERS],
        "known": len(data.results), "evaluated": data.evaluated,
        "pairs": sum(1 for a in data.results if a in data.previous),
    }  # fmt: skip


async def queue_year(session: AsyncSession, year: int, *, announce_channel: str | None) -> int:
    """Write the outbox rows a published year implies (idempotent)."""
    subscriptions = (await session.scalars(select(Subscription))).all()
    if not subscriptions and not announce_channel:
        return 0
    data = await load_year(session, year)
    rows = alert_rows(subscriptions, data)
    if announce_channel and data.results:
        key = f"{AnnouncementKind.SUMMARY}:{announce_channel}:-:{year}"
        rows.append({"dedupe_key": key, "kind": AnnouncementKind.SUMMARY, "channel_id": announce_channel,
                     "agency_id": None, "year": year, "payload": summary_payload(data)})  # fmt: skip
    return await insert_announcements(session, rows)


async def queue_corrections(
    session: AsyncSession, changes: Sequence[tuple[int, int, str, str]]
) -> int:
    """A published grade changed (agency_id, year, old, new): alerts not yet delivered are
    rewritten in place; delivered ones get a correction that edits the message."""
    rows: list[dict[str, Any]] = []
    for agency_id, year, old, new in changes:
        data = await load_year(session, year)
        originals = (await session.scalars(select(Announcement).where(
            Announcement.agency_id == agency_id, Announcement.year == year,
            Announcement.kind.in_([AnnouncementKind.CHANGE, AnnouncementKind.FIRST_RECORD]),
        ))).all()  # fmt: skip
        payload = alert_payload(
            data.agencies[agency_id],
            data.results[agency_id],
            data.previous.get(agency_id),
            data.previous_year,
        )
        for original in originals:
            if original.status in (AnnouncementStatus.PENDING, AnnouncementStatus.FAILED):
                original.payload = payload
                continue
            key = f"{AnnouncementKind.CORRECTION}:{original.id}:{old}>{new}"
            rows.append({"dedupe_key": key, "kind": AnnouncementKind.CORRECTION, "channel_id": original.channel_id,
                         "agency_id": agency_id, "year": year, "corrects_id": original.id,
                         "payload": payload | {"corrected_from": old}})  # fmt: skip
    return await insert_announcements(session, rows)


async def queue_admin_reports(
    session: AsyncSession, failed: Announcement, admins: Iterable[str]
) -> int:
    """Tell each admin once that a channel cannot be posted to."""
    rows = [{
        "dedupe_key": f"{AnnouncementKind.ADMIN_REPORT}:{failed.channel_id}:{admin}", "kind": AnnouncementKind.ADMIN_REPORT,
        "channel_id": admin, "agency_id": None, "year": failed.year,
        "payload": {"channel": failed.channel_id, "error": failed.error, "year": failed.year},
    } for admin in admins]  # fmt: skip
    return await insert_announcements(session, rows)


# --- delivery bookkeeping ---


@dataclass(frozen=True)
class Claimed:
    """A row this worker now owns; ``interrupted`` when an earlier worker claimed it and
    stopped (it may have been posted already, so the announcer checks before posting)."""

    row: Announcement
    interrupted: bool


class Outbox:
    """Claims and records deliveries; each call is its own short transaction."""

    def __init__(self, db: Database, *, worker: str, lease: timedelta = LEASE) -> None:
        self.db = db
        self.worker = worker
        self.lease = lease

    def _due(self, now: datetime, dead: Sequence[str] = ()) -> Any:
        sending = Announcement.status == AnnouncementStatus.SENDING
        return or_(
            and_(
                Announcement.status == AnnouncementStatus.PENDING,
                Announcement.next_attempt_at <= now,
            ),
            and_(sending, Announcement.claimed_at < now - self.lease),
            and_(sending, Announcement.claimed_by.in_(list(dead))),
            # Our own rows still 'sending' when we claim again were abandoned by a delivery
            # that failed part-way (the database went away): this worker claims one batch at
            # a time, so none of them is in flight.
            and_(sending, Announcement.claimed_by == self.worker),
        )

    async def _dead_workers(self) -> list[str]:
        """Workers on this host whose process is gone: their claims need no lease to expire."""
        host = self.worker.rsplit(":", 1)[0]
        async with self.db.unit_of_work() as session:
            owners = (await session.scalars(select(Announcement.claimed_by).distinct().where(
                Announcement.status == AnnouncementStatus.SENDING, Announcement.claimed_by.like(f"{host}:%")))).all()  # fmt: skip
        return [owner for owner in owners if owner and owner != self.worker and not _alive(owner)]

    async def claim(
        self, *, limit: int = CLAIM_LIMIT, per_channel: int = PER_CHANNEL
    ) -> list[Claimed]:
        """Claim due rows, at most ``per_channel`` of each channel, oldest first, so every
        channel moves in parallel and none hogs a batch."""
        now, dead = _now(), await self._dead_workers()
        ranked = (
            select(Announcement.id, func.row_number().over(
                partition_by=Announcement.channel_id, order_by=Announcement.id).label("n"))
            .where(self._due(now, dead)).subquery()
        )  # fmt: skip
        fair = (
            select(ranked.c.id).where(ranked.c.n <= per_channel).order_by(ranked.c.id).limit(limit)
        )
        if self.db.is_postgres:
            async with self.db.writing() as session:
                query = (
                    select(Announcement).where(Announcement.id.in_(fair)).order_by(Announcement.id)
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
            candidates: dict[int, str] = dict((await session.execute(
                select(Announcement.id, Announcement.status).where(Announcement.id.in_(fair)))).all())  # fmt: skip
        if not candidates:
            return []
        async with self.db.writing() as session:
            await session.execute(
                update(Announcement).where(Announcement.id.in_(list(candidates)), self._due(now, dead))
                .values(status=AnnouncementStatus.SENDING, claimed_by=self.worker, claimed_at=now)
            )  # fmt: skip
            mine = select(Announcement).where(
                Announcement.id.in_(list(candidates)), Announcement.claimed_by == self.worker,
                Announcement.claimed_at == now, Announcement.status == AnnouncementStatus.SENDING,
            ).order_by(Announcement.id)  # fmt: skip
            rows = list((await session.scalars(mine)).all())
        return [Claimed(row, candidates[row.id] == AnnouncementStatus.SENDING) for row in rows]

    async def get(self, announcement_id: int) -> Announcement | None:
        async with self.db.unit_of_work() as session:
            return await session.get(Announcement, announcement_id)

    async def mark_sent(self, row: Announcement, *, ts: str | None) -> None:
        await self._set(
            row, status=AnnouncementStatus.SENT, slack_ts=ts, sent_at=_now(), error=None
        )

    async def mark_retry(self, row: Announcement, *, after: float, error: str) -> None:
        await self._set(row, status=AnnouncementStatus.PENDING, attempts=row.attempts + 1,
                        next_attempt_at=_now() + timedelta(seconds=after), error=error, claimed_by=None)  # fmt: skip

    async def mark_failed(
        self, row: Announcement, *, error: str, admins: Iterable[str] = ()
    ) -> None:
        async with self.db.writing() as session:
            await session.execute(update(Announcement).where(Announcement.id == row.id)
                                  .values(status=AnnouncementStatus.FAILED, error=error, attempts=row.attempts + 1))  # fmt: skip
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
            soonest = await session.scalar(select(func.min(Announcement.next_attempt_at)).where(
                Announcement.status.in_([AnnouncementStatus.PENDING, AnnouncementStatus.SENDING])))  # fmt: skip
        if soonest is None:
            return None
        if soonest.tzinfo is None:
            soonest = soonest.replace(tzinfo=UTC)
        return max(0.0, (soonest - _now()).total_seconds())
