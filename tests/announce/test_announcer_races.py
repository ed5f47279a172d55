"""Exactly once when announcers overlap (issue 18): every way one row could be posted twice
while another delivery of it is still on its way, each driven here directly — a failing
channel's round, two announcers in one process, a slow batch whose lease runs out, a dead
worker's post still travelling to Slack, a maybe-posted row queued behind a 429, a history
lookup that fails, two claims at once on PostgreSQL. No test relies on the machine being busy."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from announce_kit import agency_id, all_sent, make_draft, outbox, subscribe
from fakeslack import FakeSlack
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import event, text, update

from bot.announcer import Announcer
from bot.app import make_client
from bot.config import Settings
from storage.db import Database
from storage.models import Announcement, AnnouncementStatus, TargetKind
from storage.outbox import Outbox
from storage.publishing import publish_year

DEAD_WORKER = f"{socket.gethostname()}:999999999"  # this host, a pid no process can have
GATE = 74_510_318  # PostgreSQL advisory lock key that holds one claim mid-statement


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


def client(fake: FakeSlack) -> AsyncWebClient:
    """The Web API client `serve` and `announce` build (bot/app.py), on the fake."""
    settings = Settings(_env_file=None, slack_bot_token="xoxb-1-races", slack_api_url=fake.base_url)  # type: ignore[call-arg]
    return make_client(settings, wait_on_rate_limit=False)


def visible(fake: FakeSlack) -> Counter[str]:
    """How many messages Slack holds for each announcement key (what a channel shows)."""
    return Counter(
        message["metadata"]["event_payload"]["key"]
        for message in fake.messages.values()
        if isinstance(message.get("metadata"), dict)
    )


async def queue(db: Database, channels: dict[str, list[str]]) -> list[Announcement]:
    """Publish 2023 to ``channels`` (channel -> agencies whose 2023 grade moved): one alert
    per agency, in the order given."""
    for channel, names in channels.items():
        for name in names:
            await subscribe(db, channel, TargetKind.AGENCY, str(await agency_id(db, name)))
    await make_draft(db, 2023)
    await publish_year(db, 2023, actor="test")
    rows = await outbox(db)
    assert Counter(r.channel_id for r in rows) == {c: len(n) for c, n in channels.items()}
    return rows


async def make_due(db: Database) -> None:
    """Every waiting row is due now: the announcer comes back to them late, all at once."""
    async with db.unit_of_work() as session:
        await session.execute(
            update(Announcement)
            .where(Announcement.status == AnnouncementStatus.PENDING)
            .values(next_attempt_at=Announcement.created_at)
        )


@contextlib.contextmanager
def database_locked_once(db: Database, when: Callable[[str, Any], bool]) -> Any:
    """The next statement matching ``when(sql, parameters)`` fails as a locked database
    would (the driver's OperationalError, an outage to storage.db)."""
    failed: list[str] = []

    def fail(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        if not failed and when(sql, params):
            failed.append(sql)
            raise db.engine.dialect.loaded_dbapi.OperationalError("database is locked")

    event.listen(db.engine.sync_engine, "before_cursor_execute", fail)
    try:
        yield failed
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", fail)


def marks_sent(row_id: int) -> Callable[[str, Any], bool]:
    def matches(sql: str, params: Any) -> bool:
        return (
            sql.startswith("UPDATE announcements SET status")
            and "slack_ts" in sql
            and (list(params)[-1] == row_id)
        )

    return matches


async def test_a_failing_channel_leaves_no_delivery_of_another_running(
    loaded_db: Database, fake: FakeSlack
) -> None:
    """`serve`'s loop: one channel's round fails (the database briefly locked) while another
    channel still has a paced post to make. The next round must not find that row still
    "sending" under this worker and post it beside the delivery that is about to."""
    rows = await queue(loaded_db, {"CFAIL": ["경찰청"], "CBUSY": ["관세청", "국세청"]})
    [failing] = [r for r in rows if r.channel_id == "CFAIL"]
    announcer = Announcer(loaded_db, client(fake), interval=1.0)
    stop = asyncio.Event()
    with database_locked_once(loaded_db, marks_sent(failing.id)) as failed:
        running = asyncio.create_task(announcer.run_forever(stop, poll=0.05))
        assert await all_sent(loaded_db, [r.dedupe_key for r in rows], timeout=30)
        stop.set()
        await asyncio.wait_for(running, timeout=30)
    assert failed, "the round failed part-way"
    assert visible(fake) == Counter({r.dedupe_key: 1 for r in rows})
    assert {r.dedupe_key: r.slack_ts for r in await outbox(loaded_db)} == {
        m["metadata"]["event_payload"]["key"]: ts for (_, ts), m in fake.messages.items()
    }


async def test_two_announcers_in_one_process_never_take_each_others_rows(
    loaded_db: Database, fake: FakeSlack
) -> None:
    rows = await queue(loaded_db, {"CBUSY": ["관세청", "국세청"]})
    first = Announcer(loaded_db, client(fake), interval=1.0)
    delivering = asyncio.create_task(first.deliver_due())
    await fake.wait_for("chat.postMessage")  # the first is posting; its second row is paced
    second = Announcer(loaded_db, client(fake), interval=0.0)
    assert await second.deliver_due() == 0  # a live announcer's fresh claim is its own
    assert await asyncio.wait_for(delivering, timeout=30) == 2
    assert visible(fake) == Counter({r.dedupe_key: 1 for r in rows})


async def test_an_announcer_whose_lease_ran_out_leaves_the_row_to_the_one_that_took_it(
    loaded_db: Database, fake: FakeSlack
) -> None:
    """A slow batch: the first announcer's second row waits (pacing) past the lease, and
    another announcer takes it over and posts it. The first must not post it as well."""
    rows = await queue(loaded_db, {"CSLOW": ["관세청", "국세청"]})
    first = Announcer(loaded_db, client(fake), interval=3.0, lease=1.0)
    delivering = asyncio.create_task(first.deliver_due())
    await fake.wait_for("chat.postMessage")
    second = Announcer(loaded_db, client(fake), interval=0.0, lease=1.0)
    deadline = time.monotonic() + 30
    while await second.deliver_due() == 0:  # until the first's claim on its second row expires
        assert time.monotonic() < deadline, "the lease never ran out"
        await asyncio.sleep(0.05)
    assert await asyncio.wait_for(delivering, timeout=30) == 2
    assert visible(fake) == Counter({r.dedupe_key: 1 for r in rows})
    assert {r.dedupe_key: r.slack_ts for r in await outbox(loaded_db)} == {
        m["metadata"]["event_payload"]["key"]: ts for (_, ts), m in fake.messages.items()
    }


async def test_a_dead_workers_post_still_on_its_way_to_slack_is_not_posted_again(
    loaded_db: Database, fake: FakeSlack
) -> None:
    """A worker of this host dies with its post sent but not yet in the channel's history
    (Slack has it; the fake acts on it 1.5 s later). Whoever takes the claim over waits
    for such a post to show before looking for it."""
    [row] = await queue(loaded_db, {"CGONE": ["경찰청"]})
    fake.set_store_lag("chat.postMessage", 1.5)
    dying = Announcer(loaded_db, client(fake), worker=DEAD_WORKER, interval=0.0)
    delivering = asyncio.create_task(dying.deliver_due())
    [on_its_way] = await fake.wait_for("chat.postMessage")
    delivering.cancel()  # the process dies with the request out
    with contextlib.suppress(asyncio.CancelledError):
        await delivering
    fake.set_store_lag("chat.postMessage", 0)
    heir = Announcer(loaded_db, client(fake), interval=0.0, takeover_grace=4.0)
    started = time.monotonic()
    await asyncio.wait_for(heir.drain(), timeout=60)
    waited = time.monotonic() - started
    await fake.wait_for("chat.postMessage", where=lambda c: c is on_its_way and c.response)
    assert visible(fake) == Counter({row.dedupe_key: 1})
    assert waited >= 4.0  # the dead worker's claim was left alone for the grace
    [done] = await outbox(loaded_db)
    assert done.status == AnnouncementStatus.SENT and done.slack_ts == on_its_way.response["ts"]


async def test_a_maybe_posted_row_waiting_behind_a_rate_limit_stays_maybe_posted(
    loaded_db: Database, fake: FakeSlack
) -> None:
    """One channel, two rows: the first's post is refused (a clear, retryable no), the
    second's answer is lost after Slack stored it. Both come due together; the first gets a
    429, so the second waits behind it — and must still be looked up before posting."""
    rows = await queue(loaded_db, {"CTWO": ["관세청", "국세청"]})
    fake.fail_next("chat.postMessage", error="fatal_error")
    fake.drop_after_store("chat.postMessage")
    announcer = Announcer(loaded_db, client(fake), interval=0.0)
    assert await announcer.deliver_due() == 2
    assert [r.status for r in await outbox(loaded_db)] == [AnnouncementStatus.PENDING] * 2
    await make_due(loaded_db)
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    await asyncio.wait_for(announcer.drain(), timeout=60)
    assert visible(fake) == Counter({r.dedupe_key: 1 for r in rows})
    assert all(r.status == AnnouncementStatus.SENT for r in await outbox(loaded_db))


@pytest.mark.parametrize("lookup_fails", ["rate limited", "timed out"])
async def test_a_history_lookup_that_fails_is_tried_again_not_taken_for_absent(
    loaded_db: Database, fake: FakeSlack, lookup_fails: str
) -> None:
    """A maybe-posted row's lookup is answered 429, or times out: the row is looked up
    again later, never posted blind, and the round goes on."""
    [row] = await queue(loaded_db, {"CLOOK": ["경찰청"]})
    fake.drop_after_store("chat.postMessage")
    announcer = Announcer(loaded_db, client(fake), interval=0.0)
    await announcer.deliver_due()
    await make_due(loaded_db)
    if lookup_fails == "rate limited":
        fake.fail_next("conversations.history", status=429, retry_after=1)
    else:
        fake.set_delay("conversations.history", 3.0)
        announcer.client.timeout = 1
    await announcer.deliver_due()
    fake.set_delay("conversations.history", 0)
    announcer.client.timeout = 30
    await asyncio.wait_for(announcer.drain(), timeout=60)
    assert visible(fake) == Counter({row.dedupe_key: 1})
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert len(fake.calls_to("conversations.history")) == 2
    [done] = await outbox(loaded_db)
    assert done.status == AnnouncementStatus.SENT and done.slack_ts


async def test_a_claim_skips_rows_another_announcer_took_while_it_ran(
    loaded_url: str, backend: str
) -> None:
    """PostgreSQL: one claim's statement has read the due rows when another announcer
    claims them and commits. Locking the rows then must re-check that they are still due,
    or the first takes over a live announcer's fresh claim."""
    if backend != "postgres":
        pytest.skip("FOR UPDATE SKIP LOCKED is the PostgreSQL claim")
    slow_db, quick_db, gate_db = Database(loaded_url), Database(loaded_url), Database(loaded_url)
    try:
        rows = await queue(quick_db, {"CPAIR": ["관세청", "국세청"]})
        slow = Outbox(slow_db, worker=f"{socket.gethostname()}:{os.getpid()}:slow")
        quick = Outbox(quick_db, worker=f"{socket.gethostname()}:{os.getpid()}:quick")
        async with gate_db.engine.connect() as gate:
            await gate.execute(text(f"SELECT pg_advisory_lock({GATE})"))
            with held_mid_claim(slow_db) as rewritten:
                claiming = asyncio.create_task(slow.claim())
                await waiting_at_gate(gate)
                assert len(await quick.claim()) == len(rows)
                await gate.execute(text(f"SELECT pg_advisory_unlock({GATE})"))
                stolen = await asyncio.wait_for(claiming, timeout=30)
            assert rewritten, "the claim was held between reading and locking its rows"
        assert stolen == []
        assert {r.claimed_by for r in await outbox(quick_db)} == {quick.worker}
    finally:
        for db in (slow_db, quick_db, gate_db):
            await db.dispose()


@contextlib.contextmanager
def held_mid_claim(db: Database) -> Any:
    """Make ``db``'s claim statement wait for the GATE advisory lock after it has taken its
    snapshot and before it locks a row (an uncorrelated sub-select runs at execution)."""
    rewritten: list[str] = []
    locking = re.compile(r"(\s+ORDER BY announcements\.id\s+FOR UPDATE SKIP LOCKED\s*)$")
    gate = f" AND (SELECT true FROM pg_advisory_xact_lock_shared({GATE}))"

    def hold(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> Any:
        if locking.search(sql):
            rewritten.append(sql)
            sql = locking.sub(lambda m: gate + m.group(1), sql)
        return sql, params

    event.listen(db.engine.sync_engine, "before_cursor_execute", hold, retval=True)
    try:
        yield rewritten
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", hold)


async def waiting_at_gate(gate: Any, *, timeout: float = 30.0) -> None:
    """Poll until some backend waits for the GATE advisory lock."""
    waiting = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        f" AND objid = {GATE}"
    )
    deadline = time.monotonic() + timeout
    while not (await gate.execute(waiting)).scalar():
        assert time.monotonic() < deadline, "the claim never reached the gate"
        await asyncio.sleep(0.02)
