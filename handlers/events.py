"""@-mentions (answered in the mention's thread) and direct messages (answered in the DM).
A retried delivery (same event_id) is answered once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncSay
from slack_sdk.web.async_client import AsyncWebClient

from answers.operations.admin import is_pasted_table
from handlers.admin import preview_pasted_table, preview_shared_file
from handlers.delivery import (
    DIRECT_MESSAGE,
    MENTION,
    claim,
    deliver,
    delivery_key,
    event_question,
    finish,
    in_conversation,
    message_key,
)
from handlers.deps import HandlerDeps, bind
from slack_adapter.requests import dig

IGNORED_SUBTYPES = {
    "message_changed",
    "message_deleted",
    "bot_message",
    "channel_join",
    "message_replied",
}


async def on_mention(
    deps: HandlerDeps, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
) -> None:
    thread = dig(event, "thread_ts") or dig(event, "ts") or None
    question = event_question(MENTION, body, event, thread_ts=thread)
    await deliver(deps, question, client=client, post=in_conversation(client, question))


async def on_message(
    deps: HandlerDeps,
    body: dict[str, Any],
    event: dict[str, Any],
    say: AsyncSay,
    client: AsyncWebClient,
) -> None:
    if not _is_direct_message(event):
        return
    if event.get("files"):
        await on_shared_file(deps, body, event, say, client)
        return
    if is_pasted_table(dig(event, "text")):
        await on_pasted_table(deps, body, event, say, client)
        return
    thread = dig(event, "thread_ts") or None
    question = event_question(DIRECT_MESSAGE, body, event, thread_ts=thread)
    await deliver(deps, question, client=client, post=in_conversation(client, question))


async def on_shared_file(
    deps: HandlerDeps,
    body: dict[str, Any],
    event: dict[str, Any],
    say: AsyncSay,
    client: AsyncWebClient,
) -> None:
    """A file sent in a DM: previewed once for an admin (see handlers/admin.py)."""
    await _preview_once(deps, body, event, partial(preview_shared_file, deps, event, say, client))


async def on_pasted_table(
    deps: HandlerDeps,
    body: dict[str, Any],
    event: dict[str, Any],
    say: AsyncSay,
    client: AsyncWebClient,
) -> None:
    """An official results table pasted in a DM: previewed once, like a shared file."""
    await _preview_once(deps, body, event, partial(preview_pasted_table, deps, event, say, client))


async def _preview_once(
    deps: HandlerDeps,
    body: dict[str, Any],
    event: dict[str, Any],
    preview: Callable[[], Awaitable[None]],
) -> None:
    """An admin upload's preview, once per delivery (Slack retries events)."""
    key = delivery_key("event", dig(body, "event_id"), fallback=message_key(event))
    if await claim(deps, key):
        await preview()
        await finish(deps, key)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.event("app_mention")(bind(on_mention, deps))
    app.event("message")(bind(on_message, deps))


def _is_direct_message(event: dict[str, Any]) -> bool:
    """A person's message in a DM with the bot (not an edit, a bot, a join...)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("bot_id")
        and event.get("subtype") not in IGNORED_SUBTYPES
    )
