"""Talking to Slack, shared by the listeners and the announcer: reading payload fields,
Retry-After, posting exactly once ("maybe posted" outcomes looked up before posting again),
response_url posts on one shared HTTP session, and the chart upload.

"Maybe posted": any outcome that is not a clear "no" from Slack (the connection dropped
after the request went out, the client timed out, a 5xx) may have left the message in
Slack. Every message the bot posts carries its key as message metadata, so before posting
such a message again we look for the key in the channel (``conversations.history``) or the
thread (``conversations.replies``), and only take the ``ts`` when it is there.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.render import fallback_text, to_blocks

log = logging.getLogger(__name__)
RESPOND_TRIES = 4
POST_TRIES = 4
RESPONSE_URL_TIMEOUT = 10.0
LOOKUP_LIMIT = 200
POSTING_METHODS = ("chat.postMessage", "chat.update")
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def dig(data: Any, *path: str | int) -> str:
    """A text field deep in a Slack payload, or "" when any step has another shape: a
    malformed payload must never raise after the ack (Bolt would withdraw the ack)."""
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and len(data) > key else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
    return str(data) if isinstance(data, str | int | float) and not isinstance(data, bool) else ""


def question_text(text: str | None) -> str:
    """The question without the bot's @-mention."""
    return MENTION.sub(" ", text if isinstance(text, str) else "").strip()


def message(answer: Answer, *, page: int = 0) -> dict[str, Any]:
    """The keyword arguments of a Slack message carrying ``answer``."""
    return {"text": fallback_text(answer), "blocks": to_blocks(answer, page=page)}


def retry_after(headers: Any) -> float | None:
    """Seconds Slack asked us to wait (the Retry-After header), or None when it did not say."""
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return float(value[0] if isinstance(value, list) else value) if value else None
    except (TypeError, ValueError):
        return None


async def upload_chart(
    client: AsyncWebClient, answer: Answer, *, channel: str, thread_ts: str | None
) -> None:
    """After the text answer: its chart as a PNG in the same thread (best effort)."""
    if answer.chart is None or not channel:
        return
    from answers.charts import render  # matplotlib loads on the first chart

    try:
        png = await asyncio.to_thread(render, answer.chart, lang=answer.lang)
        title = answer.chart.title
        await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=png, filename="chart.png", title=title
        )
    except (SlackApiError, ValueError, OSError) as exc:
        log.warning("chart upload to %s failed: %s", channel, exc)


def clearly_not_sent(exc: BaseException) -> bool:
    """True when the request never reached Slack (the connection could not be opened), so
    sending it again cannot make a second message."""
    return isinstance(exc, aiohttp.ClientConnectorError | ConnectionRefusedError)


def maybe_posted(exc: BaseException) -> bool:
    """True when Slack may have stored the message although we got no "ok": a dropped
    connection, a timeout, or a 5xx after the request went out."""
    if isinstance(exc, SlackApiError):
        return exc.response.status_code >= 500
    return isinstance(exc, aiohttp.ClientError | TimeoutError | OSError) and not clearly_not_sent(
        exc
    )


def metadata(event_type: str, key: str | None) -> dict[str, Any] | None:
    """The message metadata carrying ``key`` (what :func:`find_posted` looks for)."""
    return {"event_type": event_type, "event_payload": {"key": key}} if key else None


async def find_posted(
    client: AsyncWebClient,
    *,
    channel: str,
    key: str,
    thread_ts: str | None = None,
    oldest: float = 0.0,
) -> str | None:
    """The ``ts`` of the bot's message carrying ``key`` in ``channel`` (in the thread of
    ``thread_ts`` when given), or None when it is not there."""
    if thread_ts:
        response = await client.conversations_replies(
            channel=channel, ts=thread_ts, limit=LOOKUP_LIMIT, include_all_metadata=True
        )
    else:
        response = await client.conversations_history(
            channel=channel,
            oldest=f"{max(oldest, 0.0):.6f}",
            limit=LOOKUP_LIMIT,
            include_all_metadata=True,
        )
    for found in response.get("messages") or []:
        payload = (found.get("metadata") or {}).get("event_payload") or {}
        if payload.get("key") == key:
            return str(found.get("ts") or "") or None
    return None


async def post_once(
    client: AsyncWebClient,
    *,
    channel: str,
    key: str | None,
    event_type: str,
    thread_ts: str | None = None,
    tries: int = POST_TRIES,
    **content: Any,
) -> str | None:
    """chat.postMessage exactly once: after a "maybe posted" outcome, look for ``key``
    before posting again. Returns the message's ``ts``; raises Slack's clear "no"
    (SlackApiError below 500) and gives up (None, logged) after ``tries``."""
    since = time.time() - 60
    unsure = False
    for attempt in range(tries):
        if attempt:
            await asyncio.sleep(min(0.5 * 2 ** (attempt - 1), 4.0))
        try:
            if unsure and key and (found := await _look(client, channel, key, thread_ts, since)):
                return found
            response = await client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                metadata=metadata(event_type, key),
                **content,
            )
            return str(response.get("ts") or "") or None
        except SlackApiError as exc:
            if not maybe_posted(exc):
                raise
            unsure = True
            log.info("chat.postMessage to %s: maybe posted (%s)", channel, exc.response.status_code)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            unsure = unsure or maybe_posted(exc)
            log.info("chat.postMessage to %s: %s", channel, exc.__class__.__name__)
    log.warning("could not post to %s after %s tries", channel, tries)
    return None


async def _look(
    client: AsyncWebClient, channel: str, key: str, thread_ts: str | None, since: float
) -> str | None:
    """:func:`find_posted`, or None when Slack refuses to look (then the answer is posted
    again: a lookup Slack refuses is rare, and a lost answer worse)."""
    try:
        return await find_posted(
            client, channel=channel, key=key, thread_ts=thread_ts, oldest=since
        )
    except SlackApiError as exc:
        log.warning("could not look for %s in %s: %s", key, channel, exc.response.get("error"))
        return None


class ResponseUrls:
    """Posts to response_url on one shared HTTP session (Bolt's ``respond`` opens a new
    session per answer and lets the SDK re-send after a dropped connection)."""

    def __init__(self, *, timeout: float = RESPONSE_URL_TIMEOUT) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    def poster(self, url: str) -> Respond:
        async def post(**message: Any) -> Posted:
            if not url.startswith(("https://", "http://")):
                raise ValueError("no response_url in the payload")
            async with self.session().post(url, json=message) as response:
                await response.read()
                return Posted(response.status, dict(response.headers))

        return post

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


@dataclass(frozen=True)
class Posted:
    """What a response_url POST answered (the shape of the SDK's WebhookResponse)."""

    status_code: int
    headers: dict[str, str]


Respond = Callable[..., Awaitable[Any]]


async def send(respond: AsyncRespond | Respond, **message: Any) -> bool:
    """Post through response_url, retrying only a clear "no" that can be retried (429 after
    Retry-After, a connection that could not be opened). A 5xx, a timeout or a dropped
    connection may have delivered the answer, and a response_url cannot be looked at: it
    is not sent again (two visible answers are worse than asking again; logged)."""
    status = 0
    for attempt in range(RESPOND_TRIES):
        try:
            response = await respond(**message)
            status, wait = response.status_code, retry_after(response.headers)
        except (ValueError, TypeError) as exc:  # no usable response_url in the payload
            log.warning("cannot answer through response_url: %s", exc)
            return False
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            if not clearly_not_sent(exc):
                log.warning("response_url: maybe answered (%s); not sent again", exc)
                return False
            status, wait = 0, None
        if 200 <= status < 300:
            return True
        if status >= 500:
            log.warning("response_url: maybe answered (HTTP %s); not sent again", status)
            return False
        if status and status != 429:
            break
        await asyncio.sleep(min(wait if wait is not None else 0.5 * 2**attempt, 10.0))
    log.warning("could not answer through response_url (last status %s)", status)
    return False
