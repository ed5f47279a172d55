"""End to end over loopback: signed requests into the running app, assertions on what the
fake Slack Web API received."""

from __future__ import annotations

import json
import time
from pathlib import Path

from minwon_e2e import RunningBot, cut_database, restore_database
from slackreq import make_action, make_command, make_event, payload
from tcpproxy import TcpProxy

SOURCE = "https://news1.kr/amp/local/busan-gyeongnam/5322897"


def _texts(params: dict) -> str:
    return json.dumps(params, ensure_ascii=False)


async def test_slash_command_answers_through_response_url_with_grade_and_source(
    bot: RunningBot,
) -> None:
    body, headers = make_command("경남 고성군 2023", response_url=bot.fake.response_url("cmd"))
    started = time.monotonic()
    response = await bot.post(body, headers)
    ack_seconds = time.monotonic() - started
    assert response.status == 200
    assert ack_seconds < 3.0
    [call] = await bot.fake.wait_for("response_url")
    assert call.params["response_type"] == "ephemeral"
    text = _texts(call.params)
    assert "2023년 *가*" in text and SOURCE in text
    assert any(
        b["type"] == "actions" and b["elements"][0]["action_id"] == "share_answer"
        for b in call.params["blocks"]
    )


async def test_mention_is_answered_in_its_thread(bot: RunningBot) -> None:
    body, headers = make_event("app_mention")
    assert (await bot.post(body, headers)).status == 200
    [call] = await bot.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "C0GRADES"
    assert call.params["thread_ts"] == payload("app_mention")["event"]["ts"]
    assert "김해시" in _texts(call.params)


async def test_retried_event_is_answered_once(bot: RunningBot) -> None:
    body, headers = make_event("app_mention", text="<@UBOT> 경남 고성군 2023")
    await bot.post(body, headers)
    await bot.fake.wait_for("chat.postMessage")
    for retry in ("1", "2"):
        response = await bot.post(
            body, headers | {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        )
        assert response.status == 200
    await bot.fake.sentinel(bot.post, via="mention")  # a repeated answer would be in by now
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


async def test_forged_and_stale_signatures_get_401_and_no_call(bot: RunningBot) -> None:
    body, headers = make_command("경남 고성군 2023", response_url=bot.fake.response_url("forged"))
    forged = await bot.post(body, headers, secret="not-the-secret")
    stale = await bot.post(body, headers, timestamp=time.time() - 6 * 60)
    unsigned = await bot.post(body, headers, signed=False)
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    await bot.fake.sentinel(bot.post)
    assert bot.fake.calls_to("response_url") == []
    assert bot.fake.calls_to("chat.postMessage") == []


async def test_share_button_reposts_in_the_channel(bot: RunningBot) -> None:
    body, headers = make_action("block_actions_share", response_url=bot.fake.response_url("share"))
    assert (await bot.post(body, headers)).status == 200
    [post] = await bot.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "C0GRADES"
    assert SOURCE in _texts(post.params) and "U0ANALYST" in _texts(post.params)
    [cleanup] = await bot.fake.wait_for("response_url")
    assert cleanup.params.get("delete_original") is True


async def test_share_in_a_channel_the_bot_is_not_in_explains_how_to_invite(bot: RunningBot) -> None:
    bot.fake.fail_next("chat.postMessage", error="not_in_channel")
    body, headers = make_action("block_actions_share", response_url=bot.fake.response_url("share"))
    await bot.post(body, headers)
    [reply] = await bot.fake.wait_for("response_url")
    assert "/invite" in reply.params["text"]


async def test_direct_message_is_answered_in_english_in_the_dm(bot: RunningBot) -> None:
    body, headers = make_event("message_im")
    await bot.post(body, headers)
    [call] = await bot.fake.wait_for("chat.postMessage")
    assert call.params["channel"] == "D0ANALYST"
    assert "Goseong County" in _texts(call.params)


async def test_bot_messages_and_edits_in_a_dm_are_ignored(bot: RunningBot) -> None:
    for overrides in ({"bot_id": "BBOT"}, {"subtype": "message_changed"}):
        body, headers = make_event("message_im", **overrides)
        assert (await bot.post(body, headers)).status == 200
    await bot.fake.sentinel(bot.post, via="dm")
    assert bot.fake.calls_to("chat.postMessage") == []


async def test_app_home_shows_the_latest_published_year(bot: RunningBot) -> None:
    body, headers = make_event("app_home_opened")
    await bot.post(body, headers)
    [call] = await bot.fake.wait_for("views.publish")
    assert call.params["user_id"] == "U0ANALYST"
    assert "2025년" in _texts(call.params["view"])


async def test_a_question_it_cannot_read_gets_a_hint_not_a_trace(bot: RunningBot) -> None:
    body, headers = make_command(
        "🙂 <script>'; DROP TABLE results;--", response_url=bot.fake.response_url("junk")
    )
    await bot.post(body, headers)
    [call] = await bot.fake.wait_for("response_url")
    text = _texts(call.params)
    assert "Traceback" not in text and "•" in text


async def test_long_list_pages_with_a_more_button(bot: RunningBot) -> None:
    body, headers = make_command("2022 기초", response_url=bot.fake.response_url("list"))
    await bot.post(body, headers)
    [call] = await bot.fake.wait_for("response_url")
    blocks = call.params["blocks"]
    assert len(blocks) <= 50
    more = [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "more_rows"
    ]
    assert more, "a long list offers the next page"
    body, headers = make_action(
        "block_actions_share",
        response_url=bot.fake.response_url("more"),
        action_id="more_rows",
        value=more[0]["value"],
    )
    await bot.post(body, headers)
    [page] = await bot.fake.wait_for("response_url", where=lambda c: c.params.get("key") == "more")
    assert page.params["replace_original"] is True
    assert page.params["blocks"] != blocks


async def test_rate_limited_web_api_is_waited_out(bot: RunningBot) -> None:
    bot.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    body, headers = make_event("app_mention")
    await bot.post(body, headers)
    delivered = await bot.fake.wait_for("chat.postMessage", count=2, timeout=10)
    assert [c.status for c in delivered] == [429, 200]


async def test_database_down_gives_a_friendly_reply_then_recovers(
    bot: RunningBot, proxied_url: tuple[str, TcpProxy | None], sqlite_path: Path | None
) -> None:
    _, proxy = proxied_url
    await cut_database(bot, proxy, sqlite_path)
    body, headers = make_command("경남 고성군 2023", response_url=bot.fake.response_url("down"))
    assert (await bot.post(body, headers)).status == 200
    [down] = await bot.fake.wait_for("response_url", timeout=15)
    assert "잠시 후 다시" in _texts(down.params)
    health = await bot.http.get(f"{bot.url}/healthz")
    assert health.status == 503
    await restore_database(proxy, sqlite_path)
    body, headers = make_command(
        "경남 고성군 2023", response_url=bot.fake.response_url("up"), trigger_id="t-2"
    )
    await bot.post(body, headers)
    [up] = await bot.fake.wait_for(
        "response_url", where=lambda c: c.params.get("key") == "up", timeout=15
    )
    assert "2023년 *가*" in _texts(up.params)
