"""Posting exactly once, shared by the listeners and the announcer.

"Maybe posted": any outcome that is not a clear "no" from Slack (the connection dropped
after the request went out, the client timed out, a 5xx) may have left the message in
Slack. Every message the bot posts carries its key as message metadata, so before posting
such a message again we look for the key in the channel (``conversations.history``) or the
thread (``conversations.replies``), and only take the ``ts`` when it is there.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)
POST_TRIES = 4
LOOKUP_LIMIT = 200
POSTING_METHODS = ("chat.postMessage", "chat.update")


def retry_after(headers: Any) -> float | None:
    """Seconds Slack asked us to wait (the Retry-After header), or None when it did not say."""
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return float(value[0] if isinstance(value, list) else value) if value else None
    except (TypeError, ValueError):
        return None


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
    look_first: bool = False,
    **content: Any,
) -> str | None:
    """chat.postMessage exactly once: after a "maybe posted" outcome (or at once, with
    ``look_first``: an earlier attempt elsewhere may have posted it), look for ``key``
    before posting. Returns the message's ``ts``; raises Slack's clear "no" (SlackApiError
    below 500) and gives up (None, logged) after ``tries``."""
    since = time.time() - 60
    unsure = look_first
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
        except LookupUnanswered as exc:  # still unsure: look again next time, never blind
            log.info("looking for %s in %s: %s", key, channel, exc)
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


class LookupUnanswered(Exception):
    """Slack did not answer a lookup (rate limited, a 5xx): whether the message is there is
    still unknown, so it must not be posted yet."""


def unanswered(exc: SlackApiError) -> bool:
    """Slack did not answer the call (rate-limited, or a 5xx past the client's retries), as
    opposed to a clear refusal: what it asked is still unknown."""
    status = exc.response.status_code
    return status == 429 or status >= 500 or exc.response.get("error") == "ratelimited"


async def _look(
    client: AsyncWebClient, channel: str, key: str, thread_ts: str | None, since: float
) -> str | None:
    """:func:`find_posted`; None also when Slack clearly refuses to look (a missing scope:
    then the answer is posted again, as a lookup Slack refuses is rare and a lost answer
    worse). A lookup Slack did not answer raises :class:`LookupUnanswered`."""
    try:
        return await find_posted(
            client, channel=channel, key=key, thread_ts=thread_ts, oldest=since
        )
    except SlackApiError as exc:
        if unanswered(exc):
            raise LookupUnanswered(f"HTTP {exc.response.status_code}") from exc
        log.warning("could not look for %s in %s: %s", key, channel, exc.response.get("error"))
        return None
