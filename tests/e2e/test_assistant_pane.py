"""The assistant pane end to end: signed events into the running app (and one run over
Socket Mode), assertions on what the fake Slack received — the greeting and the suggested
prompts about the channel the user is viewing, the status while answering, the answer and
its chart in the thread, the thread's title; each question answered once."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from fakeslack import Call, FakeSlack
from minwon_e2e import RunningBot
from slackreq import assistant_message_payload, assistant_payload, make_command
from socket_kit import SocketBot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
from minwon_live import LiveBot, live_bot  # noqa: E402

DM = "D0ANALYST"
THREAD = "1700000010.001000"
VIEWED = "C0GRADES"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
NOT_UNDERSTOOD = ("질문을 이해하지 못했어요", "다시 물어봐 주세요")
JSON = {"Content-Type": "application/json"}


def _texts(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _in_thread(fake: FakeSlack) -> list[Call]:
    return [
        c
        for c in fake.accepted_posts()
        if c.params.get("channel") == DM and c.params.get("thread_ts") == THREAD
    ]


def _question(text: str, number: int) -> dict[str, Any]:
    """The user's message in the pane's thread (typed, or a suggested prompt clicked)."""
    data = assistant_message_payload(text, ts=f"1700000020.{number:06d}")
    data["event_id"] = f"Ev0ASK{number:04d}"
    return data


async def _post(bot: RunningBot | LiveBot, data: dict[str, Any], **headers: str) -> None:
    body = json.dumps(data, ensure_ascii=False)
    sent = await bot.post(body, JSON | headers)
    assert (sent[0] if isinstance(sent, tuple) else sent.status) == 200


async def _follow(bot: RunningBot, what: str) -> None:
    """`/grade 구독 …` in the viewed channel (the bot is in it), as a person would make it
    follow something."""
    bot.fake.add_channel(VIEWED, name="민원-평가", members=["UBOT", "U0ANALYST"])
    body, headers = make_command(f"구독 {what}", response_url=bot.fake.response_url("sub"))
    assert (await bot.post(body, headers)).status == 200
    [said] = await bot.fake.wait_for("response_url")
    assert "구독했습니다" in _texts(said.params)


async def _pane_sentinel(bot: RunningBot | LiveBot, kind: str) -> None:
    """One more pane opened (``kind`` "started") or question asked ("question") in a
    thread of its own, waited for until its last step went out: it takes the path of the
    requests before it, so by then a late duplicate of theirs would be in (no sleep).
    Its calls are then left out of the counts. (Its question has no data: no chart or
    title follows its answer.)"""
    other = "1799999999.000001"
    if kind == "started":
        data = assistant_payload("started", context_channel=VIEWED, thread_ts=other)
        last = "assistant.threads.setSuggestedPrompts"
    else:
        data = _question("안녕", 9999)
        data["event"]["thread_ts"] = other
        last = "chat.postMessage"
    data["event_id"] = f"Ev0SENTINEL{kind}"
    await _post(bot, data)
    await bot.fake.wait_for(
        last, where=lambda c: c.params.get("thread_ts") == other and c.ok, timeout=15
    )
    for call in bot.fake.calls:
        params = call.params
        call.sentinel = call.sentinel or other in (params.get("thread_ts"), params.get("ts"))


async def _open_pane(bot: RunningBot, **overrides: Any) -> list[dict[str, str]]:
    await _post(bot, assistant_payload("started", context_channel=VIEWED, **overrides))
    [prompted] = await bot.fake.wait_for("assistant.threads.setSuggestedPrompts")
    assert prompted.ok, prompted.response
    return list(bot.fake.assistant_thread(DM, THREAD)["prompts"])


async def test_the_pane_greets_with_prompts_about_the_viewed_channels_agency(
    bot: RunningBot,
) -> None:
    await _follow(bot, "고성군(경남)")

    prompts = await _open_pane(bot)

    [greeting] = await bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert greeting.params["channel"] == DM and greeting.params["thread_ts"] == THREAD
    assert f"<#{VIEWED}>" in _texts(greeting.params) and "경남 고성군" in _texts(greeting.params)
    assert 3 <= len(prompts) <= 4
    assert ["고성군" in p["message"] for p in prompts[:2]] == [True, True]


async def test_a_suggested_prompt_gets_status_answer_chart_and_title(bot: RunningBot) -> None:
    await _follow(bot, "고성군(경남)")
    prompts = await _open_pane(bot)
    history = next(p for p in prompts if "추이" in p["message"])

    await _post(bot, _question(history["message"], 1))

    [_, answer] = await bot.fake.wait_for("chat.postMessage", count=2, where=lambda c: c.ok)
    [upload] = await bot.fake.wait_for("files.completeUploadExternal")
    [titled] = await bot.fake.wait_for("assistant.threads.setTitle")
    [status] = bot.fake.calls_to("assistant.threads.setStatus")
    assert answer.params["thread_ts"] == THREAD and "고성군" in answer.params["text"]
    assert status.params["status"] == "답변을 찾는 중…" and status.at < answer.at
    assert upload.params["channel_id"] == DM and upload.params["thread_ts"] == THREAD
    assert "고성군" in titled.params["title"] and titled.at > answer.at
    assert all(c.ok for c in bot.fake.calls), [c.response for c in bot.fake.calls if not c.ok]


async def test_every_suggested_prompt_is_answered_with_data(bot: RunningBot) -> None:
    await _follow(bot, "경남")
    prompts = await _open_pane(bot)
    assert "경남" in prompts[0]["message"]  # the viewed channel's region first

    for number, prompt in enumerate(prompts, start=1):
        await _post(bot, _question(prompt["message"], number))
        await bot.fake.wait_for("chat.postMessage", count=number + 1, where=lambda c: c.ok)

    answers = _in_thread(bot.fake)[1:]
    assert len(answers) == len(prompts) >= 3
    for prompt, answer in zip(prompts, answers, strict=True):
        text = _texts(answer.params)
        assert not any(hint in text for hint in NOT_UNDERSTOOD), (prompt, text)
        assert "년" in text, (prompt, text)  # every answer with data names its year
    assert len(bot.fake.calls_to("assistant.threads.setStatus")) == len(prompts)
    assert len(bot.fake.calls_to("assistant.threads.setTitle")) == 1  # the first one only


async def test_a_retried_assistant_question_is_answered_once(bot: RunningBot) -> None:
    question = _question("경남 고성군 2023", 1)
    await _post(bot, question)
    await bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    for _ in range(2):
        await _post(bot, question, **RETRY)
    await _pane_sentinel(bot, "question")  # a second answer would be in by now

    [answer] = _in_thread(bot.fake)
    assert "고성군" in answer.params["text"]
    assert len(bot.fake.calls_to("assistant.threads.setStatus")) == 1


async def test_a_retried_thread_start_greets_once(bot: RunningBot) -> None:
    await _open_pane(bot)
    await _post(bot, assistant_payload("started", context_channel=VIEWED), **RETRY)
    await _pane_sentinel(bot, "started")

    assert len(_in_thread(bot.fake)) == 1


async def test_an_answer_lost_after_slack_stored_it_shows_once(bot: RunningBot) -> None:
    bot.fake.drop_after_store("chat.postMessage")
    await _post(bot, _question("김해시 등급 추이", 1))
    await bot.fake.wait_for("conversations.replies")  # the bot looked before posting again
    await _pane_sentinel(bot, "question")

    [answer] = [m for m in bot.fake.messages.values() if m.get("thread_ts") == THREAD]
    assert "김해시" in answer["text"]


async def test_moving_to_another_channel_brings_prompts_about_it(bot: RunningBot) -> None:
    await _follow(bot, "고성군(경남)")
    await _open_pane(bot)
    bot.fake.add_channel("C0SEOUL", name="서울-민원", members=["UBOT", "U0ANALYST"])

    await _post(bot, assistant_payload("context_changed", context_channel="C0SEOUL"))

    await bot.fake.wait_for("assistant.threads.setSuggestedPrompts", count=2)
    prompts = bot.fake.assistant_thread(DM, THREAD)["prompts"]
    assert ["서울" in p["message"] for p in prompts[:2]] == [True, True]
    assert len(_in_thread(bot.fake)) == 1  # no second greeting


async def test_a_top_level_dm_is_still_answered_as_a_dm(bot: RunningBot) -> None:
    data = assistant_message_payload("경남 고성군 2023")
    del data["event"]["thread_ts"], data["event"]["parent_user_id"]
    await _post(bot, data)

    [answer] = await bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert answer.params["channel"] == DM and not answer.params.get("thread_ts")
    assert "고성군" in answer.params["text"]
    assert bot.fake.calls_to("assistant.threads.setStatus") == []


async def test_a_table_pasted_in_the_pane_goes_to_the_dm_path(bot: RunningBot) -> None:
    """Not a question: the DM listener takes it (a non-admin is told politely), and the
    pane neither answers it nor shows a status."""
    table = (
        "2026년 민원서비스 종합평가 결과\n[기초자치단체(시)]\n가: 김해시(경남)\n나: 수원시(경기)"
    )
    await _post(bot, _question(table, 1))

    [refusal] = await bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    await _pane_sentinel(bot, "question")
    assert bot.fake.calls_to("assistant.threads.setStatus") == []
    assert len(bot.fake.accepted_posts()) == 1 and refusal.params["channel"] == DM
    assert "관리자만" in _texts(refusal.params)


async def test_the_pane_over_socket_mode(socket_bot: SocketBot) -> None:
    fake = socket_bot.fake
    await socket_bot.send("events_api", assistant_payload("started", context_channel=VIEWED))
    [prompted] = await fake.wait_for("assistant.threads.setSuggestedPrompts")
    prompt = fake.assistant_thread(DM, THREAD)["prompts"][0]

    await socket_bot.send("events_api", _question(prompt["message"], 1))

    [greeting, answer] = await fake.wait_for("chat.postMessage", count=2, where=lambda c: c.ok)
    [titled] = await fake.wait_for("assistant.threads.setTitle")
    [status] = fake.calls_to("assistant.threads.setStatus")
    assert prompted.ok and len(prompted.params["prompts"]) >= 3
    assert greeting.params["thread_ts"] == answer.params["thread_ts"] == THREAD
    assert status.at < answer.at < titled.at
    assert not any(hint in _texts(answer.params) for hint in NOT_UNDERSTOOD)


async def test_assistant_events_that_name_no_thread_are_acknowledged_and_left(
    bot: RunningBot,
) -> None:
    """Signed but malformed: never a 5xx (Slack would retry), nothing posted or set."""
    for number, (kind, field) in enumerate(
        (k, f) for k in ("started", "context_changed") for f in ("thread_ts", "channel_id", "*")
    ):
        data = assistant_payload(kind, context_channel=VIEWED)
        data["event_id"] = f"Ev0BAD{number}"
        if field == "*":
            data["event"]["assistant_thread"] = "not a thread"
        else:
            del data["event"]["assistant_thread"][field]
        body = json.dumps(data, ensure_ascii=False)
        assert (await bot.post(body, JSON)).status == 200, (kind, field)

    await _pane_sentinel(bot, "started")
    assert bot.fake.calls_to("chat.postMessage") == []
    assert bot.fake.calls_to("assistant.threads.setSuggestedPrompts") == []


async def test_two_instances_greet_a_thread_and_answer_a_question_once(
    fake: FakeSlack, loaded_url: str
) -> None:
    """The same deliveries reach two instances on one database at once (Slack's retry
    landing on the other one): one greeting, one status, one answer."""
    started = assistant_payload("started", context_channel=VIEWED)
    asked = _question("경남 고성군 2023", 1)
    async with (
        live_bot(loaded_url, fake, announcer=False) as one,
        live_bot(loaded_url, fake, announcer=False) as two,
    ):
        await asyncio.gather(_post(one, started), _post(two, started, **RETRY))
        await fake.wait_for("assistant.threads.setSuggestedPrompts")
        await asyncio.gather(_post(one, asked), _post(two, asked, **RETRY))
        await fake.wait_for("assistant.threads.setTitle")
        await _pane_sentinel(two, "started")
        await _pane_sentinel(one, "question")

    [greeting, answer] = _in_thread(fake)
    assert "고성군" in answer.params["text"] and greeting.at < answer.at
    assert len(fake.calls_to("assistant.threads.setStatus")) == 1
    assert len(fake.calls_to("assistant.threads.setSuggestedPrompts")) == 1
