"""A slow or failing Slack: the fake Web API answers response_url and chat.postMessage after
more than 3 s, or with 5xx, or with 429 and Retry-After. Acks stay fast (each measured),
and nothing is lost: every question is answered once, and the announcer delivers every
alert once."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from announce_kit import all_sent
from fakeslack import Call, FakeSlack
from minwon_live import (
    ANNOUNCE_CHANNEL,
    LiveBot,
    agency_id,
    alert_keys,
    keys_posted,
    leaks,
    live_bot,
    make_draft,
    outbox,
    subscribe,
    wait_until,
)
from slackreq import make_action, make_command, payload

from storage.models import AnnouncementStatus, TargetKind
from storage.publishing import publish_year

SLOW = 3.5  # seconds: longer than Slack's 3 s ack deadline
ACK_LIMIT = 1.0
GRADE = "2023년 *가*"


@pytest.fixture
async def bot(bundled_sqlite: Path, tmp_path: Path) -> AsyncIterator[LiveBot]:
    path = tmp_path / "bot.db"
    shutil.copy(bundled_sqlite, path)
    async with FakeSlack() as fake, live_bot(f"sqlite+aiosqlite:///{path}", fake) as live:
        yield live


async def _command(bot: LiveBot, key: str) -> float:
    """Send ``/grade 경남 고성군 2023`` answered at response_url ``key``; the ack's seconds."""
    body, headers = make_command(
        "경남 고성군 2023", response_url=bot.fake.response_url(key), trigger_id=f"t-{key}"
    )
    started = time.monotonic()
    status, _ = await bot.post(body, headers)
    assert status == 200
    return time.monotonic() - started


async def _mention(bot: LiveBot, number: int) -> float:
    """Mention the bot with the same question (event ``Ev{number}``); the ack's seconds."""
    data = payload("app_mention")
    data["event_id"] = f"EvFAULT{number:05d}"
    data["event"].update(text="<@UBOT> 경남 고성군 2023", ts=f"1700000001.{number:06d}")
    body, headers = json.dumps(data, ensure_ascii=False), {"Content-Type": "application/json"}
    started = time.monotonic()
    status, _ = await bot.post(body, headers)
    assert status == 200
    return time.monotonic() - started


def _answers(fake: FakeSlack, method: str) -> list[Call]:
    return [c for c in fake.calls_to(method) if c.ok]


def _keyed(fake: FakeSlack, key: str) -> list[Call]:
    return [c for c in fake.calls_to("response_url") if c.params.get("key") == key]


async def test_acks_stay_fast_and_every_answer_arrives_once_while_slack_is_slow(
    bot: LiveBot,
) -> None:
    fake = bot.fake
    fake.set_delay("response_url", SLOW)
    fake.set_delay("chat.postMessage", SLOW)
    acks = [await _command(bot, f"slow{i}") for i in range(5)]
    acks += [await _mention(bot, i) for i in range(3)]
    assert max(acks) < ACK_LIMIT, [round(a, 2) for a in acks]
    await fake.wait_for("response_url", count=5, timeout=10)
    await fake.wait_for("chat.postMessage", count=3, timeout=10)
    await fake.sentinel(bot.post)  # the slow answers complete; a retried one would show
    await fake.sentinel(bot.post, via="mention")
    for i in range(5):
        [reply] = _keyed(fake, f"slow{i}")
        assert GRADE in json.dumps(reply.params, ensure_ascii=False)
    posts = fake.calls_to("chat.postMessage")
    assert len(posts) == 3 and all(p.ok for p in posts)
    assert {p.params["thread_ts"] for p in posts} == {f"1700000001.{i:06d}" for i in range(3)}
    assert not [leaks(c) for c in fake.calls if leaks(c)]


async def test_a_mention_is_answered_once_after_429s(bot: LiveBot) -> None:
    bot.fake.fail_next("chat.postMessage", status=429, retry_after=1, times=2)
    ack = await _mention(bot, 429)
    assert ack < ACK_LIMIT
    calls = await bot.fake.wait_for("chat.postMessage", count=3, timeout=15)
    await bot.fake.sentinel(bot.post, via="mention")
    assert [c.status for c in bot.fake.calls_to("chat.postMessage")] == [429, 429, 200]
    assert GRADE in json.dumps(calls[-1].params, ensure_ascii=False)


async def test_a_mention_is_answered_once_after_a_5xx(bot: LiveBot) -> None:
    bot.fake.fail_next("chat.postMessage", status=503)
    ack = await _mention(bot, 503)
    assert ack < ACK_LIMIT

    async def answered() -> bool:
        return bool(_answers(bot.fake, "chat.postMessage"))

    ok = await wait_until(answered, timeout=4)
    statuses = [c.status for c in bot.fake.calls_to("chat.postMessage")]
    assert ok, f"never answered; chat.postMessage got: {statuses}"
    await bot.fake.sentinel(bot.post, via="mention")  # a duplicate would be in by now
    assert [c.status for c in bot.fake.calls_to("chat.postMessage")] == [503, 200]


async def test_a_command_is_answered_after_response_url_is_rate_limited_once(
    bot: LiveBot,
) -> None:
    bot.fake.fail_next("response_url", status=429, retry_after=1)
    ack = await _command(bot, "flaky")
    assert ack < ACK_LIMIT

    async def answered() -> bool:
        return any(c.ok for c in _keyed(bot.fake, "flaky"))

    assert await wait_until(answered, timeout=4), (
        f"never answered; response_url: {[c.status for c in _keyed(bot.fake, 'flaky')]}"
    )
    await bot.fake.sentinel(bot.post)  # a duplicate would be in by now
    assert [c.status for c in _keyed(bot.fake, "flaky")] == [429, 200]


@pytest.mark.parametrize("outcome", ["dropped", "500"])
async def test_a_command_answer_that_may_have_arrived_is_never_sent_twice(
    bot: LiveBot, outcome: str
) -> None:
    """A response_url cannot be looked at: after a dropped connection or a 5xx the answer
    may be on the asker's screen, so it is not sent again (two answers are worse)."""
    if outcome == "dropped":
        bot.fake.drop_after_store("response_url")
    else:
        bot.fake.fail_next("response_url", status=500)
    assert await _command(bot, "unsure") < ACK_LIMIT
    await bot.fake.wait_for("response_url", where=lambda c: c.params.get("key") == "unsure")
    await bot.fake.sentinel(bot.post)  # a second answer would be in by now
    assert len(_keyed(bot.fake, "unsure")) == 1


async def test_a_button_answer_that_may_have_arrived_is_never_sent_twice(bot: LiveBot) -> None:
    """Buttons answer through response_url too, on the same shared session: a dropped
    connection after Slack took the answer is not followed by a second one."""
    bot.fake.drop_after_store("response_url")
    body, headers = make_action(
        "block_actions_share",
        response_url=bot.fake.response_url("button"),
        action_id="publish_year",
        value="2026",
        user="UNOTADMIN",
    )
    await bot.post(body, headers)
    [refusal] = await bot.fake.wait_for(
        "response_url", where=lambda c: c.params.get("key") == "button"
    )
    assert refusal.dropped and "관리자만" in json.dumps(refusal.params, ensure_ascii=False)
    await bot.fake.sentinel(bot.post)  # a second answer would be in by now
    assert len(_keyed(bot.fake, "button")) == 1


async def test_the_announcer_delivers_every_alert_once_through_a_slow_and_failing_slack(
    bot: LiveBot,
) -> None:
    """One alert per channel (so channels go in parallel), the summary too; chat.postMessage
    answers after 3.5 s, and the first calls get a 429 (Retry-After: 1) and two 500s."""
    db, fake = bot.db, bot.fake
    for channel, name in (("CGC", "거창군"), ("CYS", "양산시"), ("CJJ", "진주시")):
        await subscribe(db, channel, TargetKind.AGENCY, str(await agency_id(db, name, "경남")))
    await subscribe(db, "CDJ", TargetKind.REGION, "대전")
    await make_draft(db, 2024)
    fake.set_delay("chat.postMessage", SLOW)
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    fake.fail_next("chat.postMessage", status=500, times=2)
    report = await publish_year(db, 2024, actor="faults", announce_channel=ANNOUNCE_CHANNEL)
    queued = await alert_keys(db)
    assert report.announcements == len(queued) == 5
    bot.runtime.announcer.wake.set()
    acks = [await _command(bot, f"during{i}") for i in range(3)]  # Slack is slow for them too
    assert max(acks) < ACK_LIMIT, acks

    async def delivered() -> bool:
        return set(keys_posted(fake)) >= set(queued)

    assert await wait_until(delivered, timeout=25), keys_posted(fake)
    # Every row settled (a retry marks its row only after posting again), then one more
    # command through the same slow Slack: a duplicate would be in by now.
    await all_sent(db, queued, timeout=SLOW * 3)
    await fake.sentinel(bot.post)
    statuses = [c.status for c in fake.calls_to("chat.postMessage")]
    assert statuses.count(429) == 1 and statuses.count(500) == 2, statuses
    posted = keys_posted(fake)
    assert {key: posted[key] for key in queued} == dict.fromkeys(queued, 1)
    rows = [r for r in await outbox(db) if r.dedupe_key in queued]
    assert all(r.status == AnnouncementStatus.SENT and r.slack_ts for r in rows), [
        (r.dedupe_key, r.status, r.error) for r in rows
    ]
    assert bot.delivering is not None and not bot.delivering.done()
