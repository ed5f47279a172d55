"""Exactly-once claims of Slack deliveries, as the running app takes them: claims that
arrive together are written together, and each delivery is still taken once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.db import Database
from storage.deliveries import DeliveryClaims, claim_delivery
from storage.models import ProcessedDelivery


async def test_claims_arriving_together_take_each_delivery_once(loaded_db: Database) -> None:
    claims = DeliveryClaims(loaded_db)
    keys = [f"command:together-{i}" for i in range(12)]
    results = await asyncio.gather(*(claims.claim(key) for key in keys + keys))
    assert sum(results) == 12 and all(results[:12]) and not any(results[12:])
    async with loaded_db.unit_of_work() as session:
        stored = await session.scalar(
            select(func.count()).where(ProcessedDelivery.key.like("command:together-%"))
        )
    assert stored == 12
    assert not any(await asyncio.gather(*(claims.claim(key) for key in keys)))  # repeats


async def test_a_stale_claim_is_retaken_only_when_the_caller_allows_it(
    loaded_db: Database,
) -> None:
    claims, an_hour_ago = DeliveryClaims(loaded_db), datetime.now(UTC) - timedelta(hours=1)
    for key in ("event:stale", "command:stale"):
        assert await claim_delivery(loaded_db, key, now=an_hour_ago)
    assert await claims.claim("event:stale") is True  # the instance that took it died
    assert await claims.claim("command:stale", retake_stale=False) is False  # maybe answered
