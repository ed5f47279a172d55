"""Helpers for the announcement, end-to-end and fault tests: subscriptions, draft years,
outbox reads, and which announcement keys reached the fake Slack."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from fakeslack import FakeSlack
from sqlalchemy import select, update

from storage.db import Database
from storage.models import (
    Agency,
    Announcement,
    AnnouncementStatus,
    EvaluationYear,
    TargetKind,
    YearStatus,
)
from storage.subscriptions import SubscriptionRepository

GRADES_CSV = Path(__file__).resolve().parents[1] / "storage" / "bundled" / "grades.csv"
GA_MA = "가나다라마"


def bundled() -> pd.DataFrame:
    return pd.read_csv(GRADES_CSV, dtype=str, keep_default_na=False)


async def subscribe(db: Database, channel: str, kind: TargetKind, target: str) -> None:
    async with db.unit_of_work() as session:
        await SubscriptionRepository(session).add(
            channel, kind=kind, target=target, created_by="UTEST"
        )


async def make_draft(db: Database, year: int) -> None:
    """Turn a bundled (published) year back into a draft, as if just ingested."""
    async with db.unit_of_work() as session:
        await session.execute(
            update(EvaluationYear)
            .where(EvaluationYear.year == year)
            .values(status=YearStatus.DRAFT)
        )


async def agency_id(db: Database, name: str, region: str = "") -> int:
    async with db.unit_of_work() as session:
        query = select(Agency.id).where(Agency.name == name)
        if region:
            query = query.where(Agency.region == region)
        return int((await session.scalars(query)).one())


async def outbox(db: Database) -> list[Announcement]:
    async with db.unit_of_work() as session:
        return list((await session.scalars(select(Announcement).order_by(Announcement.id))).all())


def expected_alerts(
    frame: pd.DataFrame, year: int, rows: pd.DataFrame
) -> dict[str, tuple[str, int]]:
    """From the CSV alone: agency label -> (kind, steps) for the agencies in ``rows``."""
    previous_year = max(int(y) for y in frame["year"].unique() if int(y) < year)
    before = frame[frame["year"] == str(previous_year)]
    found: dict[str, tuple[str, int]] = {}
    for _, row in rows.iterrows():
        match = before[(before["agency"] == row["agency"]) & (before["region"] == row["region"])]
        if match.empty:
            found[_label(row)] = ("first_record", 0)
            continue
        steps = GA_MA.index(match.iloc[0]["grade"]) - GA_MA.index(row["grade"])
        if steps:
            found[_label(row)] = ("change", steps)
    return found


def _label(row: Any) -> str:
    return f"{row['region']} {row['agency']}"


def keys_posted(fake: FakeSlack) -> Counter[str]:
    """How many accepted chat.postMessage calls carried each announcement key."""
    return Counter(
        c.params["metadata"]["event_payload"]["key"]
        for c in fake.accepted_posts()
        if isinstance(c.params.get("metadata"), dict)
    )


async def all_sent(db: Database, keys: Iterable[str], *, timeout: float) -> bool:
    """Wait (polling, at most ``timeout`` s) until every announcement with one of ``keys``
    is marked sent: the announcer has nothing left to post, or to post again, for them."""
    wanted = set(keys)
    deadline = time.monotonic() + timeout
    while True:
        rows = [r for r in await outbox(db) if r.dedupe_key in wanted]
        done = len(rows) == len(wanted) and all(r.status == AnnouncementStatus.SENT for r in rows)
        if done or time.monotonic() >= deadline:
            return done
        await asyncio.sleep(0.1)
