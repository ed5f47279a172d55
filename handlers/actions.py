"""Buttons: "share to channel" reposts an ephemeral answer for everyone; "more" pages a
long list. Both answer the question again, so what is shown is current."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import tr
from answers.data import Viewer
from answers.parse import guess_lang
from answers.render import (
    MORE_ACTION,
    SHARE_ACTION,
    read_action_value,
    to_blocks,
    with_share_button,
)
from handlers import reply
from handlers.deps import HandlerDeps

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    async def on_share(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        question, page = read_action_value(_value(body))
        channel = reply.dig(body, "channel", "id")
        user = reply.dig(body, "user", "id")
        # Shared answers are for everyone in the channel: never with draft years.
        answer = await reply.answer(deps, question, Viewer(user_id=user))
        shared = tr(answer.lang, f"<@{user}>님이 공유했습니다", f"Shared by <@{user}>")
        message = reply.message(answer, page=page)
        blocks = [
            *message["blocks"][:49],
            {"type": "context", "elements": [{"type": "mrkdwn", "text": shared}]},
        ]
        try:
            posted = await client.chat_postMessage(
                channel=channel, text=message["text"], blocks=blocks
            )
        except SlackApiError as exc:
            log.warning("share to %s failed: %s", channel, exc.response.get("error"))
            lang = guess_lang(question)
            await reply.send(respond, text=tr(lang, "이 채널에 글을 올릴 수 없습니다. `/invite @minwon-bot`으로 초대해 주세요.",
                                  "I can't post in this channel. Invite me with `/invite @minwon-bot`."),
                          response_type="ephemeral", replace_original=False)  # fmt: skip
            return
        await reply.send(respond, delete_original=True)
        await reply.upload_chart(client, answer, channel=channel, thread_ts=posted.get("ts"))

    async def on_more(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        question, page = read_action_value(_value(body))
        viewer = await deps.admins.viewer(
            client, reply.dig(body, "user", "id"), reply.dig(body, "channel", "id")
        )
        answer = await reply.answer(deps, question, viewer)
        container = body.get("container")
        ephemeral = isinstance(container, dict) and container.get("is_ephemeral") is True
        blocks = to_blocks(answer, page=page)
        if ephemeral and answer.has_data:
            blocks = with_share_button(blocks, answer, page=page)
        await reply.send(
            respond, text=reply.message(answer)["text"], blocks=blocks, replace_original=True
        )

    app.action(SHARE_ACTION)(reply.guarded(on_share))
    app.action(MORE_ACTION)(reply.guarded(on_more))


def _value(body: dict[str, Any]) -> str:
    return reply.dig(body, "actions", 0, "value")
