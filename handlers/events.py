"""@-mentions (answered in the mention's thread) and direct messages (answered in the DM).
A retried delivery (same event_id) is answered once."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncSay
from slack_sdk.web.async_client import AsyncWebClient

from handlers import reply
from handlers.admin import preview_shared_file
from handlers.deps import HandlerDeps

IGNORED_SUBTYPES = {
    "message_changed",
    "message_deleted",
    "bot_message",
    "channel_join",
    "message_replied",
}


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    async def on_mention(
        body: dict[str, Any], event: dict[str, Any], say: AsyncSay, client: AsyncWebClient
    ) -> None:
        await _answer_event(
            deps,
            body,
            event,
            say,
            client,
            thread_ts=reply.dig(event, "thread_ts") or reply.dig(event, "ts") or None,
        )

    async def on_message(
        body: dict[str, Any], event: dict[str, Any], say: AsyncSay, client: AsyncWebClient
    ) -> None:
        if (
            event.get("channel_type") != "im"
            or event.get("bot_id")
            or event.get("subtype") in IGNORED_SUBTYPES
        ):
            return
        if event.get("files"):
            key = f"event:{reply.dig(body, 'event_id')}" if reply.dig(body, "event_id") else None
            if await reply.claim(deps, key):
                await preview_shared_file(deps, event, say, client)
                await reply.finish(deps, key)
            return
        await _answer_event(
            deps, body, event, say, client, thread_ts=reply.dig(event, "thread_ts") or None
        )

    app.event("app_mention")(reply.guarded(on_mention))
    app.event("message")(reply.guarded(on_message))


async def _answer_event(
    deps: HandlerDeps, body: dict[str, Any], event: dict[str, Any], say: AsyncSay,
    client: AsyncWebClient, *, thread_ts: str | None,
) -> None:  # fmt: skip
    key = f"event:{reply.dig(body, 'event_id')}" if reply.dig(body, "event_id") else None
    if not await reply.claim(deps, key):
        return
    viewer = await deps.admins.viewer(client, reply.dig(event, "user"), reply.dig(event, "channel"))
    answer = await reply.answer(deps, reply.question_text(reply.dig(event, "text")), viewer)
    await say(**reply.message(answer), thread_ts=thread_ts)
    await reply.finish(deps, key)
    await reply.upload_chart(
        client, answer, channel=reply.dig(event, "channel"), thread_ts=thread_ts
    )
