"""A mention's answer whose chat.postMessage Slack stored before the connection dropped:
the bot looks for the answer's key in the thread before posting again, so the asker sees
one answer (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from minwon_e2e import RunningBot
from slackreq import make_action, make_event, payload
from sqlalchemy import update

from storage.models import DeliveryStatus, ProcessedDelivery


def _answers_in_thread(bot: RunningBot, thread_ts: str) -> list[dict]:
    return [m for m in bot.fake.messages.values() if m.get("thread_ts") == thread_ts]


async def test_a_mention_answer_dropped_after_slack_stored_it_shows_once(bot: RunningBot) -> None:
    bot.fake.drop_after_store("chat.postMessage")
    body, headers = make_event("app_mention", text="<@UBOT> 경남 고성군 2023")
    assert (await bot.post(body, headers)).status == 200
    [dropped] = await bot.fake.wait_for("chat.postMessage")
    await bot.fake.wait_for("conversations.replies")  # the bot looked before posting again
    await bot.fake.sentinel(bot.post, via="mention")  # a second answer would be in by now
    thread = payload("app_mention")["event"]["ts"]
    [answer] = _answers_in_thread(bot, thread)
    assert dropped.dropped and "고성군" in answer["text"]
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_a_mention_answer_lost_before_slack_stored_it_is_posted_again(
    bot: RunningBot,
) -> None:
    bot.fake.fail_next("chat.postMessage", status=503)
    body, headers = make_event("app_mention", text="<@UBOT> 경남 고성군 2023")
    assert (await bot.post(body, headers)).status == 200
    await bot.fake.wait_for("chat.postMessage", count=2, where=lambda c: c.status in (200, 503))
    await bot.fake.sentinel(bot.post, via="mention")
    thread = payload("app_mention")["event"]["ts"]
    assert len(_answers_in_thread(bot, thread)) == 1
    assert [c.status for c in bot.fake.calls_to("chat.postMessage")] == [503, 200]


async def test_a_retaken_claim_whose_answer_is_in_the_thread_is_not_posted_again(
    bot: RunningBot,
) -> None:
    """The instance that claimed the mention posted its answer and died before marking it
    done; Slack's retry, a minute later, finds the answer in the thread and posts nothing."""
    body, headers = make_event("app_mention", text="<@UBOT> 경남 고성군 2023")
    assert (await bot.post(body, headers)).status == 200
    await bot.fake.wait_for("chat.postMessage")
    await bot.fake.sentinel(bot.post, via="mention")
    await _left_unfinished_an_hour_ago(bot, "event:" + payload("app_mention")["event_id"])
    assert (await bot.post(body, headers)).status == 200  # Slack's retry of the same event
    await bot.fake.wait_for("conversations.replies")  # the retaken claim looked first
    await bot.fake.sentinel(bot.post, via="mention")
    thread = payload("app_mention")["event"]["ts"]
    assert len(_answers_in_thread(bot, thread)) == 1


async def test_an_event_without_an_event_id_is_answered_once_after_a_drop(
    bot: RunningBot,
) -> None:
    """No event_id: the message's own channel and ts make the key, so neither a dropped
    response nor a repeated delivery of the same message makes a second answer."""
    data = payload("app_mention")
    data.pop("event_id")
    data["event"]["text"] = "<@UBOT> 경남 고성군 2023"
    body = json.dumps(data, ensure_ascii=False)
    headers = {"Content-Type": "application/json"}
    bot.fake.drop_after_store("chat.postMessage")
    assert (await bot.post(body, headers)).status == 200
    await bot.fake.wait_for("conversations.replies")
    assert (await bot.post(body, headers)).status == 200  # the same message again
    await bot.fake.sentinel(bot.post, via="mention")
    [answer] = _answers_in_thread(bot, data["event"]["ts"])
    assert "고성군" in answer["text"]


async def test_a_shared_answer_dropped_after_slack_stored_it_shows_once(bot: RunningBot) -> None:
    bot.fake.drop_after_store("chat.postMessage")
    body, headers = make_action(
        "block_actions_share", response_url=bot.fake.response_url("share-drop")
    )
    assert (await bot.post(body, headers)).status == 200
    await bot.fake.wait_for("conversations.history")  # looked for it before posting again
    [deleted] = await bot.fake.wait_for("response_url")
    assert deleted.params.get("delete_original") is True  # the share went through
    await bot.fake.sentinel(bot.post, via="mention")
    shared = [
        message
        for (channel, _), message in bot.fake.messages.items()
        if channel == "C0GRADES" and "공유했습니다" in json.dumps(message, ensure_ascii=False)
    ]
    assert len(shared) == 1 and "고성군" in shared[0]["text"]


async def _left_unfinished_an_hour_ago(bot: RunningBot, key: str) -> None:
    """The claim as an instance that died after posting leaves it: processing, old."""
    async with bot.db.unit_of_work() as session:
        await session.execute(
            update(ProcessedDelivery)
            .where(ProcessedDelivery.key == key)
            .values(
                status=DeliveryStatus.PROCESSING,
                claimed_at=datetime.now(UTC) - timedelta(hours=1),
            )
        )


async def test_a_lookup_slack_does_not_answer_is_tried_again_never_posted_blind(
    bot: RunningBot,
) -> None:
    """The answer was stored but its response dropped, and the thread lookup then fails
    with 5xx past the client's own retries: the bot looks again later instead of posting
    a second answer."""
    bot.fake.drop_after_store("chat.postMessage")
    bot.fake.fail_next("conversations.replies", status=503, times=3)
    body, headers = make_event("app_mention", text="<@UBOT> 경남 고성군 2023")
    assert (await bot.post(body, headers)).status == 200
    await bot.fake.wait_for("conversations.replies", count=4, timeout=15)  # the fourth answered
    await bot.fake.sentinel(bot.post, via="mention")
    thread = payload("app_mention")["event"]["ts"]
    assert len(_answers_in_thread(bot, thread)) == 1
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
