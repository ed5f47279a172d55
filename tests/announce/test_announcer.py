"""Delivery against the fake Slack Web API: everything arrives once, 429s are waited out,
dead channels are reported once, corrections edit the original in place."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from announce_kit import agency_id, keys_posted, make_draft, outbox, subscribe
from fakeslack import FakeSlack
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import update

from bot.announcer import Announcer
from storage.db import Database
from storage.ingest import ingest_file
from storage.models import Announcement, AnnouncementStatus, TargetKind
from storage.publishing import publish_year

HEADER = "year,agency,region,agency_type,group,grade,score,group_avg,item_grades,source_url,note\n"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


def announcer(
    db: Database,
    fake: FakeSlack,
    *,
    interval: float = 0.0,
    admins: tuple[str, ...] = ("UADMIN",),
    **options: Any,
) -> Announcer:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.base_url)
    return Announcer(db, client, admins=admins, interval=interval, **options)


async def _publish_gyeongnam_2024(db: Database) -> int:
    await subscribe(db, "CGN", TargetKind.REGION, "경남")
    await make_draft(db, 2024)
    report = await publish_year(db, 2024, actor="test", announce_channel="CANN")
    return report.announcements


async def test_every_alert_is_delivered_once_with_its_ts_recorded(
    loaded_db: Database, fake: FakeSlack
) -> None:
    queued = await _publish_gyeongnam_2024(loaded_db)
    await announcer(loaded_db, fake).drain()
    rows = await outbox(loaded_db)
    assert len(rows) == queued
    assert all(r.status == AnnouncementStatus.SENT and r.slack_ts for r in rows)
    assert keys_posted(fake) == Counter({r.dedupe_key: 1 for r in rows})
    summary = [c for c in fake.accepted_posts() if c.params["channel"] == "CANN"]
    assert len(summary) == 1 and "2024년 민원서비스 종합평가 결과 공개" in json.dumps(
        summary[0].params, ensure_ascii=False
    )


async def test_alert_text_shows_the_change_and_source(loaded_db: Database, fake: FakeSlack) -> None:
    goseong = await agency_id(loaded_db, "고성군", "강원")
    await subscribe(loaded_db, "CGS", TargetKind.AGENCY, str(goseong))
    await make_draft(loaded_db, 2023)
    await publish_year(loaded_db, 2023, actor="test")
    await announcer(loaded_db, fake).drain()
    [post] = fake.accepted_posts()
    text = json.dumps(post.params, ensure_ascii=False)
    assert "강원 고성군" in text and "2022년 마 → 다 ▲2" in text and "srtoday.co.kr" in text


async def test_rate_limited_posts_are_delivered_later(loaded_db: Database, fake: FakeSlack) -> None:
    queued = await _publish_gyeongnam_2024(loaded_db)
    fake.fail_next("chat.postMessage", status=429, retry_after=1, times=2)
    await announcer(loaded_db, fake).drain()
    assert [c.status for c in fake.calls_to("chat.postMessage")].count(429) == 2
    assert sum(keys_posted(fake).values()) == queued == len(keys_posted(fake))
    assert all(r.status == AnnouncementStatus.SENT for r in await outbox(loaded_db))


async def test_a_channel_the_bot_is_not_in_fails_and_admins_hear_once(
    loaded_db: Database, fake: FakeSlack
) -> None:
    await subscribe(loaded_db, "CBAD", TargetKind.REGION, "경남")
    await make_draft(loaded_db, 2024)
    await publish_year(loaded_db, 2024, actor="test")
    bad = len(await outbox(loaded_db))
    fake.fail_next("chat.postMessage", error="not_in_channel", times=bad)
    await announcer(loaded_db, fake).drain()
    rows = await outbox(loaded_db)
    failed = [r for r in rows if r.channel_id == "CBAD"]
    assert all(
        r.status == AnnouncementStatus.FAILED and r.error == "not_in_channel" for r in failed
    )
    reports = [c for c in fake.accepted_posts() if c.params["channel"] in ("UADMIN", "DUADMIN")]
    assert len(reports) == 1 and "CBAD" in json.dumps(reports[0].params)


async def test_transient_errors_are_retried_with_backoff(
    loaded_db: Database, fake: FakeSlack
) -> None:
    goseong = await agency_id(loaded_db, "고성군", "강원")
    await subscribe(loaded_db, "CGS", TargetKind.AGENCY, str(goseong))
    await make_draft(loaded_db, 2023)
    await publish_year(loaded_db, 2023, actor="test")
    fake.fail_next("chat.postMessage", status=500)
    await announcer(loaded_db, fake).drain()
    [row] = await outbox(loaded_db)
    assert row.status == AnnouncementStatus.SENT and row.attempts == 1
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 200]


async def test_a_correction_edits_the_original_and_explains_in_its_thread(
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
        HEADER
        + "2023,고성군,강원,기초자치단체,기초-군,나,,,,https://example.org/correction,정정 공고\n",
        encoding="utf-8",
    )
    report = await ingest_file(loaded_db, fixed, actor="test", correct=True)
    assert report.announcements == 1
    await announcer(loaded_db, fake).drain()
    [edit] = fake.calls_to("chat.update")
    assert edit.params["ts"] == original.response["ts"] and edit.params["channel"] == "CGS"
    assert "나" in json.dumps(edit.params, ensure_ascii=False) and "정정" in json.dumps(
        edit.params, ensure_ascii=False
    )
    [thread] = [c for c in fake.accepted_posts() if c.params.get("thread_ts")]
    assert (
        thread.params["thread_ts"] == original.response["ts"] and "다 → 나" in thread.params["text"]
    )
    assert (
        len([c for c in fake.accepted_posts() if not c.params.get("thread_ts")]) == 1
    )  # no new top-level noise


async def test_an_interrupted_row_already_in_slack_is_not_posted_again(
    loaded_db: Database, fake: FakeSlack
) -> None:
    queued = await _publish_gyeongnam_2024(loaded_db)
    first = announcer(loaded_db, fake)
    await first.deliver_due()
    # The worker died after Slack accepted the messages but before recording them.
    async with loaded_db.unit_of_work() as session:
        await session.execute(
            update(Announcement).values(
                status=AnnouncementStatus.SENDING, slack_ts=None, claimed_by="thishost:999999999"
            )
        )
    restarted = announcer(loaded_db, fake, worker="thishost:1", takeover_grace=0.2)
    await restarted.drain()
    assert keys_posted(fake) == Counter({r.dedupe_key: 1 for r in await outbox(loaded_db)})
    assert len(keys_posted(fake)) == queued
    assert all(r.status == AnnouncementStatus.SENT and r.slack_ts for r in await outbox(loaded_db))


async def test_pacing_keeps_one_message_per_second_per_channel(
    loaded_db: Database, fake: FakeSlack
) -> None:
    await subscribe(loaded_db, "CGN", TargetKind.REGION, "경남")
    await make_draft(loaded_db, 2021)
    await publish_year(loaded_db, 2021, actor="test")
    await announcer(loaded_db, fake, interval=0.25).drain()
    times = fake.post_times["CGN"]
    assert len(times) >= 3
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.2
