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

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

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
    try:
        async with db.writing() as session:
            session.add(
                ProcessedDelivery(key=key, status=DeliveryStatus.PROCESSING, claimed_at=now)
            )
        return True
    except IntegrityError:
        if not retake_stale:
            return False
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
