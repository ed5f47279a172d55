"""The slash command (`/grade <question>`): ack at once, answer through response_url,
ephemeral, with a "share to channel" button."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from answers.render import fallback_text, to_blocks, with_share_button
from handlers import reply
from handlers.deps import HandlerDeps


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    async def on_command(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        trigger = reply.dig(body, "trigger_id")
        key = f"command:{trigger}" if trigger else None
        if not await reply.claim(deps, key):
            return
        viewer = await deps.admins.viewer(
            client, reply.dig(body, "user_id"), reply.dig(body, "channel_id")
        )
        answer = await reply.answer(deps, reply.dig(body, "text"), viewer)
        blocks = (
            with_share_button(to_blocks(answer), answer) if answer.has_data else to_blocks(answer)
        )
        await reply.send(
            respond, text=fallback_text(answer), blocks=blocks, response_type="ephemeral"
        )
        # No finish: Slack does not retry slash commands, so the claim alone (one write)
        # guards against a repeated delivery; a stale claim is answered again after 60 s.

    app.command(deps.slash_command)(reply.guarded(on_command))
