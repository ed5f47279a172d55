"""A result's record: what it says now, every source that supports it, and every earlier
version a load replaced (written by :mod:`storage.ingest`, kept in ``result_history``).

Read only when someone asks for it (`minwon-bot record`, '경찰청 2025 출처'): the question
path of other answers never touches the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import HistoryKind, Result, ResultHistory


@dataclass(frozen=True)
class Load:
    """Who loaded which file when, and how the file wrote the agency (None: not kept)."""

    source_file: str | None
    by: str | None
    at: datetime | None
    written_name: str | None


@dataclass(frozen=True)
class Version:
    """One version of a result: its values, its name of record, its sources, its load."""

    grade: str
    grading_group: str | None
    score: float | None
    group_avg: float | None
    item_grades: dict[str, str] | None
    note: str
    published_name: str
    sources: tuple[str, ...]
    load: Load
    replaced_at: datetime | None = None  # when a later load replaced it (None: current)


@dataclass(frozen=True)
class SourceEntry:
    """One source of the current version, and the load that brought it: the version's own
    load, a later load that confirmed it, or an earlier version whose fields it still backs."""

    url: str
    how: str  # "loaded", "confirmed" or "earlier"
    load: Load


@dataclass(frozen=True)
class ResultRecord:
    agency_id: int
    year: int
    current: Version
    sources: tuple[SourceEntry, ...]
    earlier: tuple[Version, ...]  # oldest first
    confirmations: tuple[Version, ...]  # every load that confirmed a version, oldest first


async def result_records(
    db: Database, agency_ids: Sequence[int], year: int
) -> dict[int, ResultRecord]:
    """agency id -> the record of its ``year`` result (agencies with none are left out)."""
    async with db.unit_of_work() as session:
        results = (
            await session.scalars(
                select(Result).where(Result.agency_id.in_(list(agency_ids)), Result.year == year)
            )
        ).all()
        history = await _history(session, [result.id for result in results])
    return {result.agency_id: _record(result, history.get(result.id, [])) for result in results}


async def _history(session: AsyncSession, ids: list[int]) -> dict[int, list[ResultHistory]]:
    if not ids:
        return {}
    rows = await session.scalars(
        select(ResultHistory)
        .where(ResultHistory.result_id.in_(ids))
        .order_by(ResultHistory.recorded_at, ResultHistory.id)
    )
    found: dict[int, list[ResultHistory]] = {}
    for row in rows:
        found.setdefault(row.result_id, []).append(row)
    return found


def source_list(main: str, more: str | None) -> list[str]:
    """A result's source URLs, its main one first, each once (``more_sources`` holds the
    others, separated by spaces)."""
    return list(dict.fromkeys([main, *(more or "").split()]))


def more_sources(sources: Sequence[str]) -> str | None:
    """The ``more_sources`` column for ``sources``: every one but the main."""
    return " ".join(sources[1:]) or None


def _record(result: Result, history: list[ResultHistory]) -> ResultRecord:
    current = _version(result)
    earlier = tuple(_version(r, r.recorded_at) for r in history if r.kind == HistoryKind.REPLACED)
    confirmations = tuple(_version(r) for r in history if r.kind == HistoryKind.CONFIRMED)
    return ResultRecord(
        agency_id=result.agency_id,
        year=result.year,
        current=current,
        sources=_sources(result, current, earlier, confirmations),
        earlier=earlier,
        confirmations=confirmations,
    )


def _version(row: Result | ResultHistory, replaced_at: datetime | None = None) -> Version:
    sources = tuple(source_list(row.source_url, row.more_sources))
    return Version(
        grade=row.grade,
        grading_group=row.grading_group,
        score=row.score,
        group_avg=row.group_avg,
        item_grades=row.item_grades,
        note=row.note,
        published_name=row.published_name,
        sources=sources,
        load=Load(row.source_file, row.loaded_by, row.loaded_at, row.written_name),
        replaced_at=replaced_at,
    )


def _sources(
    result: Result,
    current: Version,
    earlier: tuple[Version, ...],
    confirmations: tuple[Version, ...],
) -> tuple[SourceEntry, ...]:
    """Each source of the current version with the load it came from: its main source is
    its own load's; another came from the latest confirmation that named it since the
    version was loaded, else from an earlier version (a field carried over), else from the
    version's own file."""
    since = current.load.at
    entries: list[SourceEntry] = []
    for url in current.sources:
        confirmed = [
            c
            for c in confirmations
            if url in c.sources and (since is None or c.load.at is None or c.load.at >= since)
        ]
        before = [v for v in earlier if url in v.sources]
        if url == result.source_url or not (confirmed or before):
            entries.append(SourceEntry(url, "loaded", current.load))
        elif confirmed:
            entries.append(SourceEntry(url, "confirmed", confirmed[-1].load))
        else:
            entries.append(SourceEntry(url, "earlier", before[-1].load))
    return tuple(entries)
