"""A mention's answer whose chat.postMessage Slack stored before the connection dropped:
the bot looks for the answer's key in the thread before posting again, so the asker sees
one answer (SQLite and PostgreSQL)."""

from __future__ import annotations

from minwon_e2e import RunningBot
from slackreq import make_event, payload


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
