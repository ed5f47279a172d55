"""Slack stores the message and the answer never arrives (the connection drops after the
request went out): every outcome that is not a clear "no" is "maybe posted", looked up by
its key before posting again, so each alert is visible exactly once. The announcer runs on
the Web API client `serve` and `announce` build (bot/app.py), whose own retry handlers must
not re-send a post."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from announce_kit import agency_id, make_draft, outbox, subscribe
from fakeslack import FakeSlack
from slack_sdk.web.async_client import AsyncWebClient

from bot.announcer import Announcer
from bot.app import make_client
from bot.config import Settings
from storage.db import Database
from storage.ingest import ingest_file
from storage.models import AnnouncementStatus, TargetKind
from storage.publishing import publish_year

HEADER = "year,agency,region,agency_type,group,grade,score,group_avg,item_grades,source_url,note\n"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


def announcer_client(fake: FakeSlack) -> AsyncWebClient:
    """The Web API client `announce` builds (bot/app.py), on the fake."""
    settings = Settings(
        _env_file=None, slack_bot_token="xoxb-1-lost-responses", slack_api_url=fake.base_url
    )  # type: ignore[call-arg]
    return make_client(settings, wait_on_rate_limit=False)


def announcer(db: Database, fake: FakeSlack) -> Announcer:
    return Announcer(db, announcer_client(fake), interval=0.0)


def visible(fake: FakeSlack) -> Counter[str]:
    """How many messages Slack holds for each announcement key (what channels show)."""
    return Counter(
        message["metadata"]["event_payload"]["key"]
        for message in fake.messages.values()
        if isinstance(message.get("metadata"), dict)
    )


async def test_a_publish_fan_out_with_two_dropped_posts_shows_each_alert_once(
    loaded_db: Database, fake: FakeSlack
) -> None:
    await subscribe(loaded_db, "CGN", TargetKind.REGION, "경남")
    for channel, name in (("CGC", "거창군"), ("CYS", "양산시")):
        agency = await agency_id(loaded_db, name, "경남")
        await subscribe(loaded_db, channel, TargetKind.AGENCY, str(agency))
    await make_draft(loaded_db, 2024)
    report = await publish_year(loaded_db, 2024, actor="test", announce_channel="CANN")
    fake.drop_after_store("chat.postMessage", times=2)
    await announcer(loaded_db, fake).drain()
    rows = await outbox(loaded_db)
    assert len(rows) == report.announcements and len({r.channel_id for r in rows}) == 4
    assert len([c for c in fake.calls_to("chat.postMessage") if c.dropped]) == 2
    assert visible(fake) == Counter({row.dedupe_key: 1 for row in rows})
    assert all(r.status == AnnouncementStatus.SENT for r in rows)
    # The ts recorded for each row is the one message Slack holds for it, dropped or not.
    held = {m["metadata"]["event_payload"]["key"]: ts for (_, ts), m in fake.messages.items()}
    assert {r.dedupe_key: r.slack_ts for r in rows} == held
    assert len(fake.calls_to("conversations.history")) == 2  # looked up only where unsure


async def test_a_post_timing_out_after_slack_stored_it_is_not_posted_again(
    loaded_db: Database, fake: FakeSlack
) -> None:
    goseong = await agency_id(loaded_db, "고성군", "강원")
    await subscribe(loaded_db, "CGS", TargetKind.AGENCY, str(goseong))
    await make_draft(loaded_db, 2023)
    await publish_year(loaded_db, 2023, actor="test")
    fake.set_delay("chat.postMessage", 3.0)
    slow = announcer(loaded_db, fake)
    slow.client.timeout = 1  # the client gives up; Slack has the message
    await slow.deliver_due()
    fake.set_delay("chat.postMessage", 0)
    [row] = await outbox(loaded_db)
    assert row.status == AnnouncementStatus.PENDING and (row.error or "").startswith("maybe posted")
    await announcer(loaded_db, fake).drain()
    [row] = await outbox(loaded_db)
    assert row.status == AnnouncementStatus.SENT and row.slack_ts
    assert visible(fake) == Counter({row.dedupe_key: 1})
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_a_correction_whose_edit_and_explanation_drop_shows_once(
    loaded_db: Database, fake: FakeSlack, tmp_path: Path
) -> None:
    goseong = await agency_id(loaded_db, "고성군", "강원")
    await subscribe(loaded_db, "CGS", TargetKind.AGENCY, str(goseong))
    await make_draft(loaded_db, 2023)
    await publish_year(loaded_db, 2023, actor="test")
    await announcer(loaded_db, fake).drain()
    [original] = fake.accepted_posts()
    fixed = tmp_path / "correction.csv"
    fixed.write_text(
        HEADER + "2023,고성군,강원,기초자치단체,기초-군,나,,,,https://example.org/fix,정정 공고\n",
        encoding="utf-8",
    )
    assert (await ingest_file(loaded_db, fixed, actor="test", correct=True)).announcements == 1
    fake.drop_after_store("chat.update")
    fake.drop_after_store("chat.postMessage")  # the explanation in the original's thread
    await announcer(loaded_db, fake).drain()
    ts = original.response["ts"]
    thread = [m for (c, _), m in fake.messages.items() if c == "CGS" and m.get("thread_ts") == ts]
    assert len(thread) == 1 and "다 → 나" in thread[0]["text"]
    top = [m for m in fake.messages.values() if "thread_ts" not in m]
    assert len(top) == 1 and "나" in json.dumps(top[0]["blocks"], ensure_ascii=False)
    assert all(r.status == AnnouncementStatus.SENT for r in await outbox(loaded_db))


async def test_the_client_retries_a_dropped_read_but_never_a_post(fake: FakeSlack) -> None:
    """The SDK's connection-error retry stays on for reads; for posts the caller decides."""
    client = announcer_client(fake)
    fake.drop_after_store("users.info")
    assert (await client.users_info(user="U1"))["ok"]
    assert [c.dropped for c in fake.calls_to("users.info")] == [True, False]
    fake.drop_after_store("chat.postMessage")
    with pytest.raises(aiohttp.ClientError):
        await client.chat_postMessage(channel="C1", text="once")
    assert len(fake.calls_to("chat.postMessage")) == 1 and len(fake.messages) == 1


async def test_announce_finishes_the_queue_after_slack_timeouts(
    loaded_url: str, loaded_db: Database, fake: FakeSlack
) -> None:
    """`minwon-bot announce` while Slack stores every post but answers too late for the
    client: each post times out, is looked up by its key, and the queue still empties —
    with each alert shown once and no database error anywhere."""
    from bot import operations

    for channel, name in (("CYS", "양산시"), ("CNT", "국세청")):  # both changed in 2024
        agency = await agency_id(loaded_db, name)
        await subscribe(loaded_db, channel, TargetKind.AGENCY, str(agency))
    await make_draft(loaded_db, 2024)
    report = await publish_year(loaded_db, 2024, actor="test")
    fake.set_delay("chat.postMessage", 2.0)  # past the client's 1 s: every post times out
    settings = Settings(
        _env_file=None,
        database_url=loaded_url,
        slack_bot_token="xoxb-1-slow-slack",
        slack_api_url=fake.base_url,
        slack_timeout=1,
    )  # type: ignore[call-arg]
    pending = await operations.announce(settings)
    rows = await outbox(loaded_db)
    assert pending == 0 and len(rows) == report.announcements >= 2
    assert all(r.status == AnnouncementStatus.SENT and r.slack_ts for r in rows)
    assert visible(fake) == Counter({row.dedupe_key: 1 for row in rows})
    assert len(fake.calls_to("chat.postMessage")) == len(rows)  # never posted twice


async def test_an_admin_report_dropped_after_slack_stored_it_is_found_in_the_dm(
    loaded_db: Database, fake: FakeSlack
) -> None:
    """An admin's report is posted to the admin's user id; after a lost response the
    announcer opens that DM to read its history, finds the report and does not post it
    again."""
    await subscribe(loaded_db, "CBAD", TargetKind.REGION, "경남")
    await make_draft(loaded_db, 2024)
    await publish_year(loaded_db, 2024, actor="test")
    bad = len(await outbox(loaded_db))
    fake.fail_next("chat.postMessage", error="not_in_channel", times=bad)
    fake.drop_after_store("chat.postMessage")  # the admin's report: stored, answer lost
    await Announcer(loaded_db, announcer_client(fake), admins=("UADMIN",), interval=0.0).drain()
    reports = [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == "UADMIN"]
    assert len(reports) == 1 and reports[0].dropped
    assert fake.calls_to("conversations.open")  # the DM found, to look in
    [report] = [r for r in await outbox(loaded_db) if r.channel_id == "UADMIN"]
    assert report.status == AnnouncementStatus.SENT and report.slack_ts
