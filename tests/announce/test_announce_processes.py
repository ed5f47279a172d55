"""Real `minwon-bot announce` processes: two at once on one PostgreSQL post every alert
once; one killed with SIGKILL mid-fan-out and restarted leaves no duplicate and no gap."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from announce_kit import bundled, expected_alerts, make_draft, outbox, subscribe
from fakeslack import FakeSlack

from storage.db import Database
from storage.models import AnnouncementStatus, TargetKind
from storage.publishing import publish_year

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = 30


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


async def _queue_fan_out(db: Database) -> int:
    """CHANNELS channels, each following two agencies whose 2024 grade is news."""
    frame = bundled()
    rows = frame[frame["year"] == "2024"]
    changed = [label for label in expected_alerts(frame, 2024, rows)]
    async with db.unit_of_work() as session:
        from sqlalchemy import select

        from storage.models import Agency

        agencies = {
            f"{a.region} {a.name}": a.id for a in (await session.scalars(select(Agency))).all()
        }
    ids = [agencies[label] for label in changed if label in agencies][: CHANNELS * 2]
    for index, agency in enumerate(ids):
        await subscribe(db, f"CF{index % CHANNELS:02d}", TargetKind.AGENCY, str(agency))
    await make_draft(db, 2024)
    return (await publish_year(db, 2024, actor="test")).announcements


def _env(fake: FakeSlack, url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "ANNOUNCE"))
    }
    return env | {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-1-test",
        "SLACK_API_URL": fake.base_url,
        "ADMIN_USER_IDS": "UADMIN",
        "PYTHONPATH": str(ROOT),
    }


async def _announce(fake: FakeSlack, url: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "announce",
        env=_env(fake, url),
        cwd=str(ROOT),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def _posted(fake: FakeSlack) -> Counter[str]:
    return Counter(c.params["metadata"]["event_payload"]["key"] for c in fake.accepted_posts())


async def test_two_announcers_on_one_database_post_every_alert_once(
    fake: FakeSlack, loaded_url: str, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("several announcers at once is the PostgreSQL (multi-instance) setup")
    db = Database(loaded_url)
    try:
        queued = await _queue_fan_out(db)
        fake.set_delay("chat.postMessage", 0.05)
        one, two = await _announce(fake, loaded_url), await _announce(fake, loaded_url)
        results = await asyncio.wait_for(
            asyncio.gather(one.communicate(), two.communicate()), timeout=120
        )
        assert (one.returncode, two.returncode) == (0, 0), results
        rows = await outbox(db)
        assert _posted(fake) == Counter({r.dedupe_key: 1 for r in rows}) and len(rows) == queued
        assert all(r.status == AnnouncementStatus.SENT for r in rows)
    finally:
        await db.dispose()


async def test_sigkill_mid_fan_out_then_restart_leaves_no_duplicate_and_no_gap(
    fake: FakeSlack, loaded_url: str
) -> None:
    db = Database(loaded_url)
    try:
        queued = await _queue_fan_out(db)
        assert queued >= CHANNELS * 2 - 5
        fake.set_delay("chat.postMessage", 0.4)  # accepted at once, answered late: the crash window
        first = await _announce(fake, loaded_url)
        await fake.wait_for("chat.postMessage", count=5, timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        assert 0 < len(fake.accepted_posts()) < queued, "killed mid-fan-out"
        fake.set_delay("chat.postMessage", 0.0)
        second = await _announce(fake, loaded_url)
        out, err = await asyncio.wait_for(second.communicate(), timeout=120)
        assert second.returncode == 0, err.decode()
        rows = await outbox(db)
        assert _posted(fake) == Counter({r.dedupe_key: 1 for r in rows}), "every alert exactly once"
        assert all(r.status == AnnouncementStatus.SENT and r.slack_ts for r in rows)
    finally:
        await db.dispose()
