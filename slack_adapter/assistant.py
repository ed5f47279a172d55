"""The assistant pane's wire format: reading an ``assistant_thread`` event, and the
thread's status, title and suggested prompts (``assistant.threads.*``). Each of these is
what the pane shows around the answer, never the answer itself, so a failure is logged
and the answer goes on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.intents.assistant import Prompt
from slack_adapter.requests import dig

log = logging.getLogger(__name__)
PASSING = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


@dataclass(frozen=True)
class AssistantThread:
    """One assistant thread: the DM ``channel`` and ``thread_ts`` it lives in, the user,
    and the channel the user is viewing beside the pane (None: none, or not said)."""

    channel: str
    thread_ts: str
    user: str
    viewing: str | None


def assistant_thread(event: dict[str, Any]) -> AssistantThread | None:
    """The thread of an ``assistant_thread_started`` or ``_context_changed`` event; None
    for a malformed one."""
    channel, thread_ts = (dig(event, "assistant_thread", k) for k in ("channel_id", "thread_ts"))
    if not channel or not thread_ts:
        return None
    user = dig(event, "assistant_thread", "user_id")
    viewing = dig(event, "assistant_thread", "context", "channel_id") or None
    return AssistantThread(channel, thread_ts, user, viewing)


async def set_status(client: AsyncWebClient, *, channel: str, thread_ts: str, status: str) -> None:
    """The line under the thread while the answer is looked up ("" clears it; Slack also
    clears it when the bot replies, or after two minutes)."""
    await _quietly(
        "setStatus",
        client.assistant_threads_setStatus(channel_id=channel, thread_ts=thread_ts, status=status),
    )


async def set_title(client: AsyncWebClient, *, channel: str, thread_ts: str, title: str) -> None:
    """The thread's title in the pane's history."""
    await _quietly(
        "setTitle",
        client.assistant_threads_setTitle(channel_id=channel, thread_ts=thread_ts, title=title),
    )


async def suggest_prompts(
    client: AsyncWebClient, thread: AssistantThread, prompts: Sequence[Prompt], *, title: str
) -> None:
    """The suggested prompts under the thread (Slack takes one to four)."""
    if not prompts:
        return
    shaped = [{"title": p.title, "message": p.message} for p in prompts[:4]]
    call = client.assistant_threads_setSuggestedPrompts(
        channel_id=thread.channel, thread_ts=thread.thread_ts, prompts=shaped, title=title or None
    )
    await _quietly("setSuggestedPrompts", call)


async def channel_name(client: AsyncWebClient, channel: str | None) -> str:
    """The viewed channel's name (conversations.info), or "" when there is none or the
    bot may not see it: Slack's advice before using the pane's context."""
    if not channel:
        return ""
    try:
        response = await client.conversations_info(channel=channel)
    except PASSING as exc:
        log.info("conversations.info %s: %s", channel, _reason(exc))
        return ""
    return dig(response.data, "channel", "name")


async def _quietly(what: str, call: Any) -> None:
    try:
        await call
    except PASSING as exc:
        log.info("assistant.threads.%s failed: %s", what, _reason(exc))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error"))
    return exc.__class__.__name__
