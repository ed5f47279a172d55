"""Exactly-once answering of Slack deliveries.

A delivery is claimed before it is answered and marked done after. A retry of a delivery
that is done, or still being answered, is skipped; a retry of one whose claim went stale
(the instance that took it died before answering) is answered — so a retry is never
dropped blindly: the first delivery may have been lost.

Unless the caller says a stale claim must not be retaken (``retake_stale=False``, slash
commands): their answer goes to a response_url, which cannot be looked at, so a claim
without "done" means "maybe answered", and the claim itself is the command's record —
one write per command, and a repeated delivery, however late, is not answered again.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import ModuleType

from sqlalchemy import Insert, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.db import Database
from storage.models import DeliveryStatus, ProcessedDelivery

STALE_AFTER = timedelta(seconds=60)
KEEP_FOR = timedelta(days=2)


async def claim_delivery(
    db: Database, key: str, *, now: datetime | None = None, retake_stale: bool = True
) -> bool:
    """True when this caller should answer ``key``; False when another has it or did it
    (or, with ``retake_stale=False``, ever took it)."""
    now = now or datetime.now(UTC)
    if key in await _insert_new(db, [key], now):
        return True
    return retake_stale and await _retake_stale(db, key, now)


class DeliveryClaims:
    """:func:`claim_delivery` for a busy server: the claims that arrive while one write is
    in flight go together in the next (one INSERT, one COMMIT for all of them), so each
    command costs a share of a write, and an idle server writes at once."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._waiting: dict[str, list[asyncio.Future[bool]]] = {}
        self._writer: asyncio.Task[None] | None = None

    async def claim(self, key: str, *, retake_stale: bool = True) -> bool:
        now = datetime.now(UTC)
        if await self.claim_new(key):
            return True
        return retake_stale and await self.retake(key, now=now)

    async def claim_new(self, key: str) -> bool:
        """True when ``key`` was claimed by nobody before (written with the others waiting)."""
        taken = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append(taken)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await taken

    async def retake(self, key: str, *, now: datetime | None = None) -> bool:
        """True when ``key``'s claim had gone stale and is now this caller's."""
        return await _retake_stale(self.db, key, now or datetime.now(UTC))

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            try:
                new = await _insert_new(self.db, list(batch), datetime.now(UTC))
            except Exception as exc:  # the callers decide (an outage: answer anyway)
                for waiting in batch.values():
                    for future in waiting:
                        future.set_exception(exc)
                continue
            for key, (first, *repeats) in batch.items():
                first.set_result(key in new)
                for future in repeats:  # the same delivery twice at once: answered once
                    future.set_result(False)


async def _insert_new(db: Database, keys: list[str], now: datetime) -> set[str]:
    """Insert claims for ``keys``; returns the keys that were new."""
    rows = [{"key": k, "status": DeliveryStatus.PROCESSING, "claimed_at": now} for k in keys]
    statement = _CLAIM_POSTGRES if db.is_postgres else _CLAIM_SQLITE
    async with db.writing() as session:
        # one statement for any number of keys (executemany): compiled once, then cached
        return set((await session.execute(statement, rows)).scalars().all())


def _claim(dialect: ModuleType) -> Insert:
    """INSERT a claim unless its key is taken, returning the key when it was new."""
    table = ProcessedDelivery.__table__
    return (
        dialect.insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)
    )


_CLAIM_SQLITE, _CLAIM_POSTGRES = _claim(sqlite), _claim(postgresql)


async def _retake_stale(db: Database, key: str, now: datetime) -> bool:
    """Take over a claim left unfinished for STALE_AFTER (its instance died)."""
    async with db.writing() as session:
        taken = await session.execute(
            update(ProcessedDelivery)
            .where(
                ProcessedDelivery.key == key,
                ProcessedDelivery.status == DeliveryStatus.PROCESSING,
                ProcessedDelivery.claimed_at < now - STALE_AFTER,
            )
            .values(claimed_at=now)
        )
        return bool(getattr(taken, "rowcount", 0))


async def finish_delivery(db: Database, key: str) -> None:
    async with db.writing() as session:
        await session.execute(
            update(ProcessedDelivery)
            .where(ProcessedDelivery.key == key)
            .values(status=DeliveryStatus.DONE)
        )


async def forget_old_deliveries(db: Database, *, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    async with db.writing() as session:
        await session.execute(
            delete(ProcessedDelivery).where(ProcessedDelivery.claimed_at < now - KEEP_FOR)
        )
