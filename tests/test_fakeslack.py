"""Tests of the fake Slack itself, driven by the real slack_sdk client (Web API) and the
real slack_bolt AsyncSocketModeHandler (Socket Mode)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import urllib.parse
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from fakeslack import FakeSlack
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncAssistant, AsyncBoltRequest, AsyncSay
from slack_bolt.request import payload_utils
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slackreq import (
    SIGNING_SECRET,
    action_payload,
    assistant_message_payload,
    assistant_payload,
    command_payload,
    event_payload,
    make_action,
    make_assistant_event,
    make_assistant_message,
    make_block_suggestion,
    make_command,
    make_shortcut,
    make_view_submission,
    parse_body,
    payload,
    shortcut_payload,
    sign,
    submission_payload,
    suggestion_payload,
)

TOKEN = "xoxb-test"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=fake.base_url)


async def test_post_message_is_recorded(fake: FakeSlack, client: AsyncWebClient) -> None:
    first = await client.chat_postMessage(channel="C1", text="hello")
    second = await client.chat_postMessage(channel="C1", text="again", thread_ts=first["ts"])

    [call, _] = fake.calls_to("chat.postMessage")
    assert call.params["channel"] == "C1"
    assert call.params["text"] == "hello"
    assert call.header("authorization") == f"Bearer {TOKEN}"
    assert call.token == TOKEN
    assert re.fullmatch(r"\d{10}\.\d{6}", first["ts"])
    assert abs(float(first["ts"]) - time.time()) < 60  # epoch seconds, like Slack's
    assert float(second["ts"]) > float(first["ts"])
    assert second["message"]["thread_ts"] == first["ts"]
    assert [c.params["text"] for c in fake.accepted_posts()] == ["hello", "again"]


async def test_form_encoded_and_json_bodies_are_parsed(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    await client.api_call(
        "chat.postMessage", data={"channel": "C1", "blocks": '[{"type": "divider"}]'}
    )
    await client.chat_delete(channel="C1", ts="1.2")  # sent as a query string

    post, delete = fake.calls
    assert post.params["blocks"] == [{"type": "divider"}]
    assert post.ok
    assert delete.params == {"channel": "C1", "ts": "1.2"}


async def test_fail_next_error_surfaces_as_slack_api_error(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.fail_next("chat.postMessage", error="not_in_channel")

    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response["error"] == "not_in_channel"
    await client.chat_postMessage(channel="C1", text="hi")  # only the next call fails
    assert [c.ok for c in fake.calls_to("chat.postMessage")] == [False, True]


async def test_server_error_status(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.fail_next("users.info", status=500, times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            await client.users_info(user="U1")
        assert caught.value.response.status_code == 500
    assert (await client.users_info(user="U1"))["user"]["is_admin"] is False


async def test_retry_after_is_honoured_by_rate_limit_handler(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    fake.fail_next("chat.postMessage", status=429, retry_after=1)

    response = await client.chat_postMessage(channel="C1", text="hi")

    assert response["ok"]
    rejected, accepted = fake.calls_to("chat.postMessage")
    assert (rejected.status, accepted.status) == (429, 200)
    assert accepted.at - rejected.at >= 1.0


async def test_files_upload_v2_lands_in_channel_and_thread(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    response = await client.files_upload_v2(
        channel="C1",
        thread_ts="1700000000.000100",
        initial_comment="grades",
        filename="grades.csv",
        content=b"org,grade\nA,S\n",
    )

    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "upload_url",
        "files.completeUploadExternal",
    ]
    file_id = response["file"]["id"]
    assert fake.files[file_id] == b"org,grade\nA,S\n"
    [complete] = fake.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C1"
    assert complete.params["thread_ts"] == "1700000000.000100"
    assert complete.params["initial_comment"] == "grades"
    assert complete.params["files"] == [{"id": file_id, "title": "grades.csv"}]
    assert (await client.files_info(file=file_id))["file"]["name"] == "grades.csv"


async def test_shared_file_download_needs_bot_token(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.add_shared_file(b"xlsx-bytes", file_id="F1", name="scores.xlsx")
    url = (await client.files_info(file="F1"))["file"]["url_private"]

    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            assert await resp.read() == b"xlsx-bytes"
        async with session.get(url) as resp:  # Slack answers a login page, not the file
            assert resp.content_type == "text/html"
    assert [c.ok for c in fake.calls_to("files.download")] == [True, False]


async def test_users_conversations_and_views(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.add_user("UADMIN", is_admin=True)

    assert (await client.users_info(user="UADMIN"))["user"]["is_admin"] is True
    assert (await client.users_info(user="U2"))["user"]["is_owner"] is False
    assert (await client.conversations_open(users="U2"))["channel"]["id"] == "DU2"
    await client.views_publish(user_id="U2", view={"type": "home", "blocks": []})
    assert fake.home_views["U2"]["type"] == "home"
    assert (await client.auth_test())["bot_id"] == "BBOT"


async def test_unknown_method_and_malformed_body(fake: FakeSlack, client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.api_call("nope.nothing")
    assert caught.value.response["error"] == "unknown_method"

    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession() as session:
        url = fake.base_url + "chat.postMessage"
        async with session.post(url, data=b"{not json", headers=headers) as resp:
            assert await resp.json() == {"ok": False, "error": "invalid_form_data"}
    assert [c.method for c in fake.calls] == ["nope.nothing", "chat.postMessage"]
    assert fake.server_errors == []


async def test_response_url_is_recorded(fake: FakeSlack) -> None:
    async with aiohttp.ClientSession() as session:
        await session.post(fake.response_url("cmd-1"), json={"text": "done"})

    [call] = await fake.wait_for("response_url")
    assert call.params == {"text": "done", "key": "cmd-1"}


async def test_wait_for_wakes_on_a_late_call(fake: FakeSlack, client: AsyncWebClient) -> None:
    fake.set_delay("chat.postMessage", 0.2)
    task = asyncio.create_task(client.chat_postMessage(channel="C1", text="slow"))

    [call] = await fake.wait_for("chat.postMessage", where=lambda c: c.params["text"] == "slow")
    assert not task.done()  # recorded on arrival, answered after the delay
    started = time.monotonic()
    await task
    assert time.monotonic() - started > 0.1


async def test_wait_for_times_out_with_the_calls_seen(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C1", text="hi")

    with pytest.raises(AssertionError, match=r"'chat\.update'(.|\n)*chat\.postMessage"):
        await fake.wait_for("chat.update", timeout=0.1)


async def test_rate_limit_answers_429_beyond_the_burst() -> None:
    async with FakeSlack(rate_limit_per_channel=1.0, burst=3) as fake:
        client = AsyncWebClient(token=TOKEN, base_url=fake.base_url)
        for i in range(3):
            await client.chat_postMessage(channel="C1", text=f"m{i}")
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel="C1", text="m3")
        await client.chat_postMessage(channel="C2", text="other channel")

    assert caught.value.response.status_code == 429
    assert int(caught.value.response.headers["Retry-After"]) >= 1
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [200, 200, 200, 429, 200]
    assert len(fake.accepted_posts()) == 4
    assert len(fake.post_times["C1"]) == 3


async def test_a_sentinel_waits_for_its_answer_and_hides_only_its_own_calls(
    fake: FakeSlack,
) -> None:
    fake.set_delay("response_url", 0.3)
    answering: list[asyncio.Task[None]] = []
    async with aiohttp.ClientSession() as http:

        async def answer(url: str) -> None:
            async with http.post(url, json={"text": "an answer"}) as response:
                await response.read()

        async def bot(body: str, headers: dict[str, str]) -> None:
            """A stand-in bot: acks, then answers each command at its response_url."""
            [url] = urllib.parse.parse_qs(body)["response_url"]
            answering.append(asyncio.create_task(answer(url)))

        await bot(*make_command("경남 고성군 2023", response_url=fake.response_url("real")))
        [real] = await fake.wait_for("response_url")
        started = time.monotonic()
        sentinel = await fake.sentinel(bot)
        assert time.monotonic() - started >= 0.3, "the sentinel's answer went out, delay included"
        assert sentinel.sentinel and sentinel.params["key"].startswith("sentinel-")
        assert fake.calls_to("response_url") == [real]
        assert sentinel in fake.calls
        await asyncio.gather(*answering)


async def test_a_late_duplicate_is_counted_after_a_sentinel(fake: FakeSlack) -> None:
    """What the sentinel is for: a bot that repeats an earlier answer late (here, just
    before answering the sentinel) is caught by the count taken afterwards."""
    async with aiohttp.ClientSession() as http:
        sent: list[str] = []

        async def bot(body: str, headers: dict[str, str]) -> None:
            [url] = urllib.parse.parse_qs(body)["response_url"]
            for target in [*sent[:1], url]:  # repeats the first answer, then answers
                async with http.post(target, json={"text": "an answer"}) as response:
                    await response.read()
            sent.append(url)

        await bot(*make_command("경남 고성군 2023", response_url=fake.response_url("real")))
        await fake.sentinel(bot)
        assert len(fake.calls_to("response_url")) == 2, "the duplicate is seen, not hidden"


async def test_drop_after_store_keeps_the_message_and_drops_the_answer() -> None:
    async with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.base_url)
        client.retry_handlers = []  # see the drop itself, not the SDK's retry
        fake.drop_after_store("chat.postMessage")
        with pytest.raises(aiohttp.ClientError):
            await client.chat_postMessage(channel="C1", text="stored")
        await client.chat_postMessage(channel="C1", text="answered")
        assert [m["text"] for m in fake.messages.values()] == ["stored", "answered"]
        assert [c.dropped for c in fake.calls_to("chat.postMessage")] == [True, False]


# --------------------------------------------------------------------------- Block Kit limits


def _modal(**fields: Any) -> dict[str, Any]:
    """A small valid modal; ``fields`` replace its parts (``None`` removes one)."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "browse_results",
        "title": {"type": "plain_text", "text": "민원 평가 결과"},
        "submit": {"type": "plain_text", "text": "보기"},
        "close": {"type": "plain_text", "text": "닫기"},
        "private_metadata": '{"channel": "C0GRADES"}',
        "blocks": [
            {
                "type": "input",
                "block_id": "agency",
                "label": {"type": "plain_text", "text": "기관"},
                "element": {"type": "external_select", "action_id": "agency_pick"},
            }
        ],
    }
    return {k: v for k, v in (view | fields).items() if v is not None}


def _section(text: str = "고성군", **fields: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}} | fields


def _select(options: int, text: str = "고성군") -> dict[str, Any]:
    choices = [
        {"text": {"type": "plain_text", "text": text}, "value": str(i)} for i in range(options)
    ]
    return {"type": "actions", "elements": [{"type": "static_select", "options": choices}]}


def _image(**fields: Any) -> dict[str, Any]:
    return {"type": "image", "alt_text": "등급 추이"} | fields


OVER_LIMIT_VIEWS = [
    (_modal(title={"type": "plain_text", "text": "가" * 25}), "/view/title/text"),
    (_modal(submit={"type": "plain_text", "text": "x" * 25}), "/view/submit/text"),
    (_modal(close={"type": "plain_text", "text": "x" * 25}), "/view/close/text"),
    (_modal(title={"type": "mrkdwn", "text": "*굵게*"}), "/view/title"),
    (_modal(blocks=[_section()] * 101), "/view/blocks"),
    (_modal(private_metadata="x" * 3001), "/view/private_metadata"),
    (_modal(callback_id="x" * 256), "/view/callback_id"),
    (_modal(blocks=[_section(block_id="b"), _section(block_id="b")]), "/view/blocks/1/block_id"),
    (_modal(blocks=[_section(block_id="b" * 256)]), "/view/blocks/0/block_id"),
    (_modal(blocks=[{"type": "carousel"}]), "/view/blocks/0/type"),
    (_modal(blocks=[{"type": "section"}]), "/view/blocks/0"),
    (
        _modal(blocks=[{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]),
        "/view/blocks/0/text/text",
    ),
    (_modal(blocks=[_select(101)]), "/view/blocks/0/elements/0/options"),
    (_modal(blocks=[_select(2, text="x" * 76)]), "/view/blocks/0/elements/0/options/0/text/text"),
    (
        _modal(
            blocks=[
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "a" * 256,
                            "text": {"type": "plain_text", "text": "더"},
                        }
                    ],
                }
            ]
        ),
        "/view/blocks/0/elements/0/action_id",
    ),
    (
        _modal(blocks=[{"type": "image", "image_url": "https://example.org/a.png"}]),
        "/view/blocks/0",
    ),
    (_modal(blocks=[_image()]), "/view/blocks/0"),
    (
        _modal(blocks=[_image(image_url="https://e.org/a.png", slack_file={"id": "F00000001"})]),
        "/view/blocks/0",
    ),
    (
        _modal(blocks=[_image(slack_file={"id": "F1", "url": "https://x"})]),
        "/view/blocks/0/slack_file",
    ),
    (_modal(blocks=[_image(slack_file={"id": "nope"})]), "/view/blocks/0/slack_file/id"),
    (_modal(submit=None), "/view"),  # an input block needs a submit button
]


@pytest.mark.parametrize(("view", "pointer"), OVER_LIMIT_VIEWS)
async def test_views_open_refuses_a_view_over_slacks_limits(
    fake: FakeSlack, client: AsyncWebClient, view: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.views_open(trigger_id=fake.issue_trigger(user="U1"), view=view)

    response = caught.value.response
    assert response["error"] == "invalid_arguments"
    messages = response["response_metadata"]["messages"]
    assert messages and all(m.startswith("[ERROR] ") for m in messages)
    assert any(m.endswith(f"[json-pointer:{pointer}]") for m in messages), messages
    assert fake.views() == []


async def test_a_view_at_slacks_limits_is_taken(fake: FakeSlack, client: AsyncWebClient) -> None:
    view = _modal(
        title={"type": "plain_text", "text": "가" * 24},
        private_metadata="x" * 3000,
        callback_id="c" * 255,
        blocks=[_select(100, text="x" * 75), *[_section(block_id=f"b{i}") for i in range(99)]],
    )
    opened = await client.views_open(trigger_id=fake.issue_trigger(), view=view)

    assert opened["view"]["title"]["text"] == "가" * 24
    assert len(opened["view"]["blocks"]) == 100


async def test_messages_and_views_share_one_validator(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="C1", text="x", blocks=[_section("x" * 3001)])
    response = caught.value.response
    assert response["error"] == "invalid_blocks"
    line = "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    assert response["response_metadata"]["messages"] == [line]
    assert response["errors"] == [line.removeprefix("[ERROR] ")]

    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(channel="C1", text="x", blocks=[_section()] * 51)
    assert caught.value.response["error"] == "invalid_blocks"
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": [_section()] * 100})
    with pytest.raises(SlackApiError) as caught:
        await client.views_publish(user_id="U1", view={"type": "home", "blocks": [_select(101)]})
    assert caught.value.response["error"] == "invalid_arguments"
    assert fake.messages == {}


async def test_a_text_only_post_is_stored_with_the_rich_text_block_slack_renders(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="D1", text="안녕하세요", thread_ts="1.000100")
    await client.chat_update(
        channel="D1", ts=posted["ts"], text="고쳤어요", blocks=posted["message"]["blocks"]
    )

    [block] = posted["message"]["blocks"]
    assert block["type"] == "rich_text"
    replies = await client.conversations_replies(channel="D1", ts="1.000100")
    [edited] = replies["messages"]
    assert edited["text"] == "고쳤어요" and edited["thread_ts"] == "1.000100"


# --------------------------------------------------------------------------- modals


async def test_views_open_answers_the_view_and_remembers_the_trigger(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    trigger = fake.issue_trigger(user="U0ANALYST")
    opened = (await client.views_open(trigger_id=trigger, view=_modal()))["view"]

    assert re.fullmatch(r"V\w+", opened["id"])
    assert opened["root_view_id"] == opened["id"] and opened["previous_view_id"] is None
    assert opened["state"] == {"values": {}} and opened["hash"]
    assert opened["callback_id"] == "browse_results" and opened["team_id"] == "T1"
    assert fake.opened_by(trigger) == opened
    assert fake.last_view("U0ANALYST") == opened == fake.view(opened["id"])
    assert [r.method for r in fake.view_history] == ["views.open"]


async def test_a_trigger_opens_one_view_only_and_only_while_fresh(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    trigger = fake.issue_trigger()
    await client.views_open(trigger_id=trigger, view=_modal())
    stale = fake.issue_trigger(issued_ago=3.5)  # Slack's window is 3 s
    cases = {
        trigger: "exchanged_trigger_id",
        stale: "expired_trigger_id",
        "not-a-trigger": "invalid_trigger_id",
        "": "invalid_arguments",
    }
    for trigger_id, error in cases.items():
        with pytest.raises(SlackApiError) as caught:
            await client.views_open(trigger_id=trigger_id, view=_modal())
        assert caught.value.response["error"] == error
    assert len(fake.views()) == 1
    assert fake.opened_by(stale) is None


async def test_trigger_expiry_is_configurable() -> None:
    async with FakeSlack(trigger_ttl=10.0) as fake:
        client = AsyncWebClient(token=TOKEN, base_url=fake.base_url)
        await client.views_open(trigger_id=fake.issue_trigger(issued_ago=5), view=_modal())
        [view] = fake.views()
        assert view["type"] == "modal"


async def test_a_trigger_slack_never_issued_is_taken_once(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    recorded = payload("shortcut_global")["trigger_id"]
    await client.views_open(trigger_id=recorded, view=_modal())
    with pytest.raises(SlackApiError) as caught:
        await client.views_open(trigger_id=recorded, view=_modal())
    assert caught.value.response["error"] == "exchanged_trigger_id"


async def test_views_update_by_id_or_external_id_with_hash(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    opened = (
        await client.views_open(
            trigger_id=fake.issue_trigger(user="U1"), view=_modal(external_id="browse-U1")
        )
    )["view"]
    loading = _modal(blocks=[_section("불러오는 중…")], submit=None, external_id="browse-U1")

    updated = (await client.views_update(view_id=opened["id"], hash=opened["hash"], view=loading))[
        "view"
    ]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    again = (
        await client.views_update(external_id="browse-U1", view=_modal(external_id="browse-U1"))
    )["view"]
    assert again["id"] == opened["id"]
    assert [v["blocks"][0]["type"] for v in fake.views("U1")] == ["input", "section", "input"]

    for kwargs, error in [
        ({"view_id": opened["id"], "hash": opened["hash"]}, "hash_conflict"),
        ({"view_id": "V404"}, "not_found"),
        ({"external_id": "nobody"}, "not_found"),
    ]:
        with pytest.raises(SlackApiError) as caught:
            await client.views_update(view=_modal(external_id="browse-U1"), **kwargs)
        assert caught.value.response["error"] == error
    fake.close_view(opened["id"])
    with pytest.raises(SlackApiError) as caught:
        await client.views_update(view_id=opened["id"], view=_modal())
    assert caught.value.response["error"] == "not_found"


async def test_external_ids_are_unique(fake: FakeSlack, client: AsyncWebClient) -> None:
    await client.views_open(trigger_id=fake.issue_trigger(), view=_modal(external_id="x"))
    with pytest.raises(SlackApiError) as caught:
        await client.views_open(trigger_id=fake.issue_trigger(), view=_modal(external_id="x"))
    assert caught.value.response["error"] == "duplicate_external_id"


async def test_views_push_stacks_at_most_three(fake: FakeSlack, client: AsyncWebClient) -> None:
    root = (await client.views_open(trigger_id=fake.issue_trigger(user="U1"), view=_modal()))[
        "view"
    ]
    top = root
    for _ in range(2):
        trigger = fake.issue_trigger(user="U1", view_id=top["id"])
        pushed = (await client.views_push(trigger_id=trigger, view=_modal()))["view"]
        assert pushed["root_view_id"] == root["id"] and pushed["previous_view_id"] == top["id"]
        top = pushed
    with pytest.raises(SlackApiError) as caught:
        trigger = fake.issue_trigger(user="U1", view_id=top["id"])
        await client.views_push(trigger_id=trigger, view=_modal())
    assert caught.value.response["error"] == "push_limit_reached"
    assert [r.method for r in fake.view_history] == ["views.open", "views.push", "views.push"]


async def test_views_publish_keeps_one_home_view_per_user(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    first = (
        await client.views_publish(user_id="U1", view={"type": "home", "blocks": [_section()]})
    )["view"]
    second = (
        await client.views_publish(
            user_id="U1", hash=first["hash"], view={"type": "home", "blocks": [_section("둘")]}
        )
    )["view"]

    assert second["id"] == first["id"] and fake.home_views["U1"] == second
    assert fake.last_view("U1", type="home") == second
    for kwargs, error in [
        (
            {"user_id": "U1", "hash": first["hash"], "view": {"type": "home", "blocks": []}},
            "hash_conflict",
        ),
        ({"user_id": "U1", "view": _modal()}, "invalid_arguments"),
        (
            {
                "user_id": "U1",
                "view": {"type": "home", "blocks": [], "private_metadata": "x" * 3001},
            },
            "invalid_arguments",
        ),
    ]:
        with pytest.raises(SlackApiError) as caught:
            await client.views_publish(**kwargs)
        assert caught.value.response["error"] == error


async def test_image_blocks_show_only_shared_image_files(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    private = (await client.files_upload_v2(filename="chart.png", content=b"\x89PNG"))["file"]
    shared = (
        await client.files_upload_v2(channel="D0ANALYST", filename="chart.png", content=b"\x89PNG")
    )["file"]
    table = (await client.files_upload_v2(channel="D0ANALYST", filename="t.csv", content=b"a,b"))[
        "file"
    ]

    def home(slack_file: dict[str, str]) -> dict[str, Any]:
        return {"type": "home", "blocks": [_image(slack_file=slack_file)]}

    await client.views_publish(user_id="U1", view=home({"id": shared["id"]}))
    await client.views_publish(user_id="U1", view=home({"url": shared["url_private"]}))
    await client.views_publish(user_id="U1", view=home({"url": shared["permalink"]}))
    for ref in (
        {"id": private["id"]},
        {"id": table["id"]},
        {"id": "F99999999"},
        {"url": "https://x"},
    ):
        with pytest.raises(SlackApiError) as caught:
            await client.views_publish(user_id="U1", view=home(ref))
        [line] = caught.value.response["response_metadata"]["messages"]
        assert "invalid slack file" in line and "/view/blocks/0/slack_file" in line
    with pytest.raises(SlackApiError) as caught:
        await client.chat_postMessage(
            channel="C1", text="차트", blocks=[_image(slack_file={"id": private["id"]})]
        )
    assert caught.value.response["error"] == "invalid_blocks"


# --------------------------------------------------------------------------- assistant threads


async def test_assistant_thread_status_prompts_and_title_are_recorded(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    thread = {"channel_id": "D0ANALYST", "thread_ts": "1700000010.001000"}
    prompts = [{"title": "고성군 등급", "message": "경남 고성군 2023 등급"}] * 4

    await client.assistant_threads_setStatus(status="찾는 중…", **thread)
    await client.assistant_threads_setSuggestedPrompts(
        prompts=prompts, title="이렇게 물어보세요", **thread
    )
    await client.assistant_threads_setTitle(title="고성군", **thread)

    state = fake.assistant_thread("D0ANALYST", "1700000010.001000")
    assert state == {
        "status": "찾는 중…",
        "prompts": prompts,
        "prompts_title": "이렇게 물어보세요",
        "title": "고성군",
    }
    await client.assistant_threads_setStatus(status="", **thread)  # "" clears it
    assert fake.assistant_thread(**thread)["status"] == ""
    assert len(fake.calls_to("assistant.threads.setSuggestedPrompts")) == 1


async def test_assistant_thread_methods_are_checked(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    thread = {"channel_id": "D0ANALYST", "thread_ts": "1700000010.001000"}
    prompt = {"title": "등급", "message": "고성군 등급"}
    bad_calls = [
        ("assistant.threads.setStatus", {"channel_id": "D0ANALYST", "status": "…"}, "thread_ts"),
        ("assistant.threads.setStatus", {"thread_ts": "1.2", "status": "…"}, "channel_id"),
        ("assistant.threads.setStatus", thread, "status"),
        ("assistant.threads.setTitle", thread, "title"),
        ("assistant.threads.setSuggestedPrompts", thread | {"prompts": [prompt] * 5}, "/prompts"),
        (
            "assistant.threads.setSuggestedPrompts",
            thread | {"prompts": [{"title": "등급"}]},
            "message",
        ),
        ("assistant.threads.setSuggestedPrompts", thread | {"prompts": []}, "/prompts"),
    ]
    for method, params, named in bad_calls:
        with pytest.raises(SlackApiError) as caught:
            await client.api_call(method, json=params)
        assert caught.value.response["error"] == "invalid_arguments"
        assert named in " ".join(caught.value.response["response_metadata"]["messages"])
    assert fake.assistant_thread(**thread) == {}


# --------------------------------------------------------------------------- channels


async def test_members_info_and_user_conversations_agree(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.add_channel("C0GRADES", name="minwon", members=["U1", "U2", "UBOT"], topic="등급")
    fake.set_members("C0AUDIT", ["U1"])
    fake.add_channel("G0SECRET", name="secret", members=["U1"])  # private, bot not in it
    fake.add_channel("G0BOTH", name="both", members=["U1", "UBOT"])

    members = await client.conversations_members(channel="C0GRADES")
    assert members["members"] == ["U1", "U2", "UBOT"]
    info = (await client.conversations_info(channel="C0GRADES", include_num_members=True))[
        "channel"
    ]
    assert info["name"] == "minwon" and info["is_channel"] and not info["is_private"]
    assert info["is_member"] and info["num_members"] == 3 and info["topic"]["value"] == "등급"
    assert not (await client.conversations_info(channel="C0AUDIT"))["channel"]["is_member"]
    mine = await client.users_conversations(user="U1", types="public_channel,private_channel")
    assert [c["id"] for c in mine["channels"]] == ["C0GRADES", "C0AUDIT", "G0BOTH"]
    public = await client.users_conversations(user="U1")
    assert [c["id"] for c in public["channels"]] == ["C0GRADES", "C0AUDIT"]
    bots = await client.users_conversations(types="public_channel,private_channel")
    assert [c["id"] for c in bots["channels"]] == ["C0GRADES", "G0BOTH"]
    for channel in ("G0SECRET", "C404"):
        with pytest.raises(SlackApiError) as caught:
            await client.conversations_members(channel=channel)
        assert caught.value.response["error"] == "channel_not_found"


async def test_dms_are_known_and_members_paginate(fake: FakeSlack, client: AsyncWebClient) -> None:
    dm = (await client.conversations_info(channel="DU2"))["channel"]
    assert dm["is_im"] and dm["user"] == "U2"
    fake.set_members("C1", [f"U{i:03d}" for i in range(5)])

    seen, cursor = [], ""
    while True:
        page = await client.conversations_members(channel="C1", limit=2, cursor=cursor)
        seen += page["members"]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == [f"U{i:03d}" for i in range(5)]
    with pytest.raises(SlackApiError) as caught:
        await client.conversations_members(channel="C1", cursor="bm9wZQ==")
    assert caught.value.response["error"] == "invalid_cursor"


async def test_an_app_token_only_opens_connections(fake: FakeSlack, client: AsyncWebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        await client.apps_connections_open(app_token=TOKEN)
    assert caught.value.response["error"] == "not_allowed_token_type"
    app_client = AsyncWebClient(token="xapp-1-A0MINWON-1-x", base_url=fake.base_url)
    with pytest.raises(SlackApiError) as caught:
        await app_client.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response["error"] == "not_allowed_token_type"
    opened = await app_client.apps_connections_open(app_token="xapp-1-A0MINWON-1-x")
    assert re.fullmatch(
        r"ws://127\.0\.0\.1:\d+/link/\?ticket=[\w-]+&app_id=A0MINWON", opened["url"]
    )
    fake.app_token = "xapp-1-A0MINWON-1-other"
    with pytest.raises(SlackApiError) as caught:
        await app_client.apps_connections_open(app_token="xapp-1-A0MINWON-1-x")
    assert caught.value.response["error"] == "invalid_auth"


# --------------------------------------------------------------------------- Socket Mode

APP_TOKEN = "xapp-1-A0MINWON-1-tiny"
AGENCIES = ["경상남도 고성군", "강원특별자치도 고성군", "경상남도 김해시"]


def _tiny_app(fake: FakeSlack) -> AsyncApp:
    """A small Bolt app: a command, an external_select's options, a shortcut that opens a
    modal, the modal's submission, buttons in a modal and App Home, an event."""
    client = AsyncWebClient(token=TOKEN, base_url=fake.base_url)
    app = AsyncApp(client=client, signing_secret=SIGNING_SECRET)
    app.action("browse_year")(_ack_only)
    app.action("home_browse")(_ack_only)

    @app.command("/grade")
    async def grade(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack(f"받았어요: {command['text']}")

    @app.options("agency_pick")
    async def agencies(ack: AsyncAck, payload: dict[str, Any]) -> None:
        found = [a for a in AGENCIES if payload["value"] in a]
        await ack(options=[{"text": {"type": "plain_text", "text": a}, "value": a} for a in found])

    @app.options("too_long")
    async def too_long(ack: AsyncAck) -> None:
        await ack(options=[{"text": {"type": "plain_text", "text": "x" * 76}, "value": "x"}])

    @app.shortcut("browse_results")
    async def browse(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=_modal())

    @app.view("browse_results")
    async def submitted(ack: AsyncAck, view: dict[str, Any]) -> None:
        picked = view["state"]["values"].get("agency", {}).get("agency_pick", {})
        if not picked.get("selected_option"):
            await ack(response_action="errors", errors={"agency": "기관을 고르세요"})
            return
        name = picked["selected_option"]["value"]
        result = _modal(blocks=[_section(f"*{name}*")], submit=None)
        await ack(response_action="update", view=result)

    @app.event("app_mention")
    async def mention(say: AsyncSay) -> None:
        await say("네")

    return app


async def _ack_only(ack: AsyncAck) -> None:
    await ack()


@pytest.fixture
async def connected(fake: FakeSlack) -> AsyncIterator[AsyncSocketModeHandler]:
    """The tiny app connected to the fake through slack_bolt's AsyncSocketModeHandler."""
    fake.app_token = APP_TOKEN
    handler = AsyncSocketModeHandler(_tiny_app(fake), APP_TOKEN)
    await handler.connect_async()
    await fake.wait_socket()
    yield handler
    await handler.close_async()


async def test_socket_mode_connects_with_the_app_token(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    [opened] = fake.calls_to("apps.connections.open")
    assert opened.ok and opened.token == APP_TOKEN
    assert fake.socket.connections == 1 and len(fake.socket.sockets) == 1


async def test_a_slash_command_envelope_gets_its_ack_with_a_message(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    data = command_payload("고성군", response_url=fake.response_url("c1"))
    ack = await fake.socket_send("slash_commands", data)

    [envelope] = fake.socket_envelopes
    assert ack == {"envelope_id": envelope.envelope_id, "payload": {"text": "받았어요: 고성군"}}
    assert envelope.accepts_response_payload and envelope.problems == []


async def test_a_block_suggestion_is_answered_with_options(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    ack = await fake.socket_send("interactive", suggestion_payload("고성"))

    options = ack["payload"]["options"]
    assert [o["value"] for o in options] == AGENCIES[:2]
    assert fake.socket_envelopes[0].accepts_response_payload


async def test_options_slack_would_refuse_fail_the_send_unless_unchecked(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    with pytest.raises(AssertionError, match=r"must be less than 76 characters"):
        await fake.socket_send("interactive", suggestion_payload("x", action_id="too_long"))
    ack = await fake.socket_send(
        "interactive", suggestion_payload("x", action_id="too_long"), check=False
    )
    assert ack["payload"]["options"][0]["value"] == "x"
    assert "[json-pointer:/options/0/text/text]" in fake.socket_envelopes[-1].problems[0]


async def test_a_shortcut_opens_a_modal_with_its_fresh_trigger(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    shortcut = shortcut_payload("browse_results", user="U0ANALYST")
    ack = await fake.socket_send("interactive", shortcut)

    assert "payload" not in ack
    [call] = await fake.wait_for("views.open")
    assert call.ok and call.params["trigger_id"] == shortcut["trigger_id"]
    modal = fake.opened_by(shortcut["trigger_id"])
    assert modal is not None and modal == fake.last_view("U0ANALYST", type="modal")


async def test_a_view_submission_is_answered_with_a_response_action(
    fake: FakeSlack, connected: AsyncSocketModeHandler, client: AsyncWebClient
) -> None:
    trigger = fake.issue_trigger(user="U0ANALYST")
    modal = (await client.views_open(trigger_id=trigger, view=_modal()))["view"]

    empty = await fake.socket_send("interactive", submission_payload({}, view=modal))
    assert empty["payload"] == {
        "response_action": "errors",
        "errors": {"agency": "기관을 고르세요"},
    }
    picked = {
        "agency": {
            "agency_pick": {"type": "external_select", "selected_option": {"value": "김해시"}}
        }
    }
    update = await fake.socket_send("interactive", submission_payload(picked, view=modal))

    assert update["payload"]["response_action"] == "update"
    shown = fake.view(modal["id"])
    assert shown is not None and shown["blocks"][0]["text"]["text"] == "*김해시*"
    assert [r.method for r in fake.view_history] == ["views.open", "response_action.update"]


async def test_events_carry_retry_fields_and_are_acked_bare(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    ack = await fake.socket_send(
        "events_api", event_payload("app_mention"), retry_attempt=1, retry_reason="timeout"
    )

    [envelope] = fake.socket_envelopes
    assert ack == {"envelope_id": envelope.envelope_id} and not envelope.accepts_response_payload
    assert envelope.message(1, "timeout")["retry_reason"] == "timeout"
    [said] = await fake.wait_for("chat.postMessage")
    assert said.params["channel"] == "C0GRADES"


async def test_an_envelope_nobody_listens_for_gets_no_ack(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    data = command_payload("?", response_url=fake.response_url("x"), command="/unknown")
    with pytest.raises(AssertionError, match="no ack for the slash_commands envelope"):
        await fake.socket_send("slash_commands", data, timeout=0.5)
    assert fake.socket_envelopes[0].ack is None


async def test_the_app_reconnects_when_slack_asks(
    fake: FakeSlack, connected: AsyncSocketModeHandler
) -> None:
    await fake.socket_disconnect("refresh_requested")
    data = command_payload("김해시", response_url=fake.response_url("c2"))
    ack = await fake.socket_send("slash_commands", data, timeout=10)

    assert ack["payload"]["text"] == "받았어요: 김해시"
    assert len(fake.calls_to("apps.connections.open")) == 2 and fake.socket.connections == 2


async def test_bolts_assistant_pane_runs_against_the_fake(fake: FakeSlack) -> None:
    """Bolt's AsyncAssistant with its default thread-context store: the pane opens (a
    greeting and prompts), the user switches channel (the context saved on the bot's
    first reply), then asks (status, an answer that knows the channel)."""
    fake.app_token = APP_TOKEN
    app = AsyncApp(client=AsyncWebClient(token=TOKEN, base_url=fake.base_url))
    assistant = AsyncAssistant()

    @assistant.thread_started
    async def started(say: AsyncSay, set_suggested_prompts: Any) -> None:
        await say("무엇을 찾을까요?")
        await set_suggested_prompts(prompts=[{"title": "고성군", "message": "경남 고성군 2023"}])

    @assistant.user_message
    async def asked(say: AsyncSay, set_status: Any, get_thread_context: Any) -> None:
        await set_status("찾는 중…")
        context = await get_thread_context()
        await say(f"{context.channel_id} 기준으로 답할게요")

    app.assistant(assistant)
    handler = AsyncSocketModeHandler(app, APP_TOKEN)
    await handler.connect_async()
    try:
        await fake.socket_send("events_api", assistant_payload("started"))
        await fake.wait_for("assistant.threads.setSuggestedPrompts")
        await fake.socket_send(
            "events_api", assistant_payload("context_changed", context_channel="C0AUDIT")
        )
        await fake.wait_for("chat.update")
        await fake.socket_send("events_api", assistant_message_payload("고성군 등급은?"))
        [answer, _] = await fake.wait_for("chat.postMessage", count=2)
    finally:
        await handler.close_async()

    thread = fake.assistant_thread("D0ANALYST", "1700000010.001000")
    assert thread["status"] == "찾는 중…" and thread["prompts"][0]["title"] == "고성군"
    last = fake.calls_to("chat.postMessage")[-1]
    assert last.params["thread_ts"] == "1700000010.001000"
    assert last.params["text"] == "C0AUDIT 기준으로 답할게요"
    assert all(c.ok for c in fake.calls), [c.response for c in fake.calls if not c.ok]


# --------------------------------------------------------------------------- HTTP builders


async def test_the_http_builders_are_what_bolt_verifies_and_routes(fake: FakeSlack) -> None:
    """Each new builder, signed, through a real AsyncApp: Bolt takes the signature, finds
    the listener, and answers as Slack expects over HTTP."""
    app = _tiny_app(fake)

    async def post(body: str, headers: dict[str, str]) -> BoltResponse:
        signed = headers | sign(body)
        return await app.async_dispatch(AsyncBoltRequest(body=body, headers=signed))

    options = await post(*make_block_suggestion("김해"))
    assert json.loads(options.body)["options"][0]["value"] == "경상남도 김해시"
    errors = await post(*make_view_submission({}))
    assert json.loads(errors.body)["response_action"] == "errors"
    for name in ("block_actions_modal", "block_actions_home"):
        assert (await post(*make_action(name))).status == 200
    shortcut_body, headers = make_shortcut("browse_results")
    assert (await post(shortcut_body, headers)).status == 200
    [opened] = await fake.wait_for("views.open")
    assert (
        opened.ok
        and opened.params["trigger_id"] == parse_body(shortcut_body, headers)["trigger_id"]
    )


def test_the_assistant_builders_are_what_bolt_recognises() -> None:
    started = parse_body(*make_assistant_event("started", context_channel="C0AUDIT"))
    changed = assistant_payload("context_changed")
    asked = parse_body(*make_assistant_message("고성군 등급은?"))
    assert started and asked
    assert payload_utils.is_assistant_thread_started_event(started)
    assert started["event"]["assistant_thread"]["context"]["channel_id"] == "C0AUDIT"
    assert payload_utils.is_assistant_thread_context_changed_event(changed)
    assert payload_utils.is_user_message_event_in_assistant_thread(asked)
    assert asked["event"]["channel_type"] == "im" and asked["event"]["thread_ts"]


def test_new_interactions_get_fresh_trigger_ids() -> None:
    first, second = shortcut_payload(), shortcut_payload()
    assert first["trigger_id"] != second["trigger_id"]
    assert all(
        re.fullmatch(r"\d+\.\d+\.[0-9a-f]+", p["trigger_id"])
        for p in (first, second, submission_payload())
    )
    for name in ("block_actions_modal", "block_actions_home"):
        action = action_payload(name)
        assert action["container"] == {"type": "view", "view_id": action["view"]["id"]}
        assert "response_url" not in action
    view = {"id": "V9", "type": "modal", "blocks": []}
    assert suggestion_payload("고성", view=view)["container"]["view_id"] == "V9"


async def test_store_lag_keeps_a_post_out_of_history_until_it_runs_out() -> None:
    async with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.base_url)
        fake.set_store_lag("chat.postMessage", 1.5)
        posting = asyncio.create_task(client.chat_postMessage(channel="C1", text="on its way"))
        [call] = await fake.wait_for("chat.postMessage")
        assert (await client.conversations_history(channel="C1"))["messages"] == []
        assert call.response is None
        posting.cancel()  # the sender hangs up: Slack still has the request
        with contextlib.suppress(asyncio.CancelledError):
            await posting
        await fake.wait_for("chat.postMessage", where=lambda c: c.response is not None)
        assert [m["text"] for m in fake.messages.values()] == ["on its way"]
