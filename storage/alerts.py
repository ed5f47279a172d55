"""Which announcements a publication or a correction creates, written to the outbox in the
caller's transaction.

A published year gives one alert per (channel, agency, year, kind) for each followed agency
whose grade differs from the previous evaluation year or has no previous-year grade, and the
year's summary for the announce channel. A grade changed after publication rewrites alerts
not yet delivered and queues a correction of those delivered. The outbox's unique
``dedupe_key`` makes all of it idempotent (:func:`storage.outbox.insert_announcements`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.grades import grade_move
from intake.records import GradeChange
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
from storage.outbox import OutboxEntry, insert_announcements
from storage.payloads import AlertPayload, CorrectionPayload, SummaryPayload

RISERS = 5
OTHER_GROUP = "기타"  # the summary's heading for results without a grading group


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
        year=year,
        previous_year=earlier,
        agencies=agencies,
        results={r.agency_id: r for r in rows if r.year == year},
        previous={r.agency_id: r for r in rows if r.year == earlier},
        evaluated=info.agencies_evaluated if info else None,
    )


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
) -> AlertPayload:
    move = (
        grade_move(previous.scale, previous.grade, result.scale, result.grade) if previous else None
    )
    return AlertPayload(
        agency=agency.name,
        region=agency.region,
        agency_type=str(agency.agency_type),
        group=result.grading_group or agency.grading_group,
        year=result.year,
        grade=result.grade,
        scale=str(result.scale),
        previous_year=previous_year,
        previous_grade=previous.grade if previous else None,
        previous_scale=str(previous.scale) if previous else None,
        steps=move.steps if move else 0,
        source_url=result.source_url,
        published_name=result.published_name,
    )


def alert_entries(subscriptions: Sequence[Subscription], data: YearData) -> list[OutboxEntry]:
    """One alert per (channel, agency, year, kind) for each followed agency whose grade
    differs from the previous evaluation year, or that has no previous-year grade."""
    entries: dict[str, OutboxEntry] = {}
    for subscription in subscriptions:
        for agency_id in covered(subscription, data):
            result, previous = data.results[agency_id], data.previous.get(agency_id)
            comparable = previous is not None and previous.scale == result.scale
            if comparable and previous is not None and previous.grade == result.grade:
                continue
            kind = AnnouncementKind.CHANGE if comparable else AnnouncementKind.FIRST_RECORD
            key = f"{kind}:{subscription.channel_id}:{agency_id}:{data.year}"
            payload = alert_payload(data.agencies[agency_id], result, previous, data.previous_year)
            entries[key] = OutboxEntry(
                dedupe_key=key,
                kind=kind,
                channel_id=subscription.channel_id,
                agency_id=agency_id,
                year=data.year,
                payload=payload.to_json(),
            )
    return list(entries.values())


def summary_payload(data: YearData) -> SummaryPayload:
    """Counts per grade per group, biggest risers and fallers among known pairs, coverage."""
    counts: dict[str, Counter[str]] = {}
    for agency_id, result in data.results.items():
        group = result.grading_group or data.agencies[agency_id].grading_group or OTHER_GROUP
        counts.setdefault(group, Counter())[result.grade] += 1
    moves = []
    for agency_id, result in data.results.items():
        before = data.previous.get(agency_id)
        if before is not None and before.scale == result.scale:
            payload = alert_payload(data.agencies[agency_id], result, before, data.previous_year)
            if payload.steps:
                moves.append(payload)
    moves.sort(key=lambda p: (-abs(p.steps), p.agency))
    return SummaryPayload(
        year=data.year,
        previous_year=data.previous_year,
        counts={group: dict(counter) for group, counter in sorted(counts.items())},
        risers=tuple(m for m in moves if m.steps > 0)[:RISERS],
        fallers=tuple(m for m in moves if m.steps < 0)[:RISERS],
        known=len(data.results),
        evaluated=data.evaluated,
        pairs=sum(1 for a in data.results if a in data.previous),
    )


async def queue_year(session: AsyncSession, year: int, *, announce_channel: str | None) -> int:
    """Write the outbox rows a published year implies (idempotent)."""
    subscriptions = (await session.scalars(select(Subscription))).all()
    if not subscriptions and not announce_channel:
        return 0
    data = await load_year(session, year)
    entries = alert_entries(subscriptions, data)
    if announce_channel and data.results:
        entries.append(
            OutboxEntry(
                dedupe_key=f"{AnnouncementKind.SUMMARY}:{announce_channel}:-:{year}",
                kind=AnnouncementKind.SUMMARY,
                channel_id=announce_channel,
                agency_id=None,
                year=year,
                payload=summary_payload(data).to_json(),
            )
        )
    return await insert_announcements(session, entries)


async def queue_corrections(session: AsyncSession, changes: Sequence[GradeChange]) -> int:
    """Published grades changed: alerts not yet delivered are rewritten in place; delivered
    ones get a correction that edits the message."""
    entries: list[OutboxEntry] = []
    for change in changes:
        data = await load_year(session, change.year)
        alert = alert_payload(
            data.agencies[change.agency_id],
            data.results[change.agency_id],
            data.previous.get(change.agency_id),
            data.previous_year,
        )
        for original in await _alerts_sent_for(session, change):
            if original.status in (AnnouncementStatus.PENDING, AnnouncementStatus.FAILED):
                original.payload = alert.to_json()
                continue
            entries.append(
                OutboxEntry(
                    dedupe_key=f"{AnnouncementKind.CORRECTION}:{original.id}:{change.old}>{change.new}",
                    kind=AnnouncementKind.CORRECTION,
                    channel_id=original.channel_id,
                    agency_id=change.agency_id,
                    year=change.year,
                    corrects_id=original.id,
                    payload=CorrectionPayload(alert, corrected_from=change.old).to_json(),
                )
            )
    return await insert_announcements(session, entries)


async def _alerts_sent_for(session: AsyncSession, change: GradeChange) -> Sequence[Announcement]:
    """The alerts queued (whatever their status) for the changed result."""
    query = select(Announcement).where(
        Announcement.agency_id == change.agency_id,
        Announcement.year == change.year,
        Announcement.kind.in_([AnnouncementKind.CHANGE, AnnouncementKind.FIRST_RECORD]),
    )
    return (await session.scalars(query)).all()
