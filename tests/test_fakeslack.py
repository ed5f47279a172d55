"""Tests of the fake Slack Web API itself, driven by the real slack_sdk client."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import urllib.parse
from collections.abc import AsyncIterator

import aiohttp
import pytest
from fakeslack import FakeSlack
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slackreq import make_command

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
