"""Buttons: "share to channel" reposts an ephemeral answer for everyone; "more" pages a
long list. Both answer the question again, so what is shown is current."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import tr
from answers.understanding.context import Viewer
from answers.understanding.parse import guess_lang
from handlers.delivery import answer_for, delivery_key
from handlers.deps import HandlerDeps, bind, opened
from slack_adapter.blocks import (
    MORE_ACTION,
    SHARE_ACTION,
    message,
    read_action_value,
    shared_message,
    to_blocks,
    with_share_button,
)
from slack_adapter.posting import post_once
from slack_adapter.requests import clicked_value, dig, is_ephemeral
from slack_adapter.responses import send
from slack_adapter.uploads import upload_chart

log = logging.getLogger(__name__)
SHARED_EVENT = "minwon_shared_answer"  # message metadata of a shared answer, with its key
BESIDE = {"response_type": "ephemeral", "replace_original": False}


async def on_share(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    reply = await opened(deps, ack, body, respond)
    question, page = read_action_value(clicked_value(body))
    channel, user = dig(body, "channel", "id"), dig(body, "user", "id")
    # Shared answers are for everyone in the channel: never with draft years.
    answer = await answer_for(deps, question, Viewer(user_id=user))
    key = delivery_key("share", dig(body, "trigger_id"))
    try:
        ts = await post_once(
            client,
            channel=channel,
            key=key,
            event_type=SHARED_EVENT,
            **shared_message(answer, user=user, page=page),
        )
    except SlackApiError as exc:  # a clear "no": the bot may not post there
        log.warning("share to %s failed: %s", channel, exc.response.get("error"))
        await send(reply, text=_cannot_post(question), **BESIDE)
        return
    if ts is None:  # Slack never said: it may be there; asking again is better than two
        await send(reply, text=_not_confirmed(question), **BESIDE)
        return
    await send(reply, delete_original=True)
    await upload_chart(client, answer, channel=channel, thread_ts=ts)


async def on_more(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    reply = await opened(deps, ack, body, respond)
    question, page = read_action_value(clicked_value(body))
    user, channel = dig(body, "user", "id"), dig(body, "channel", "id")
    answer = await answer_for(deps, question, await deps.admins.viewer(client, user, channel))
    blocks = to_blocks(answer, page=page)
    if is_ephemeral(body) and answer.has_data:
        blocks = with_share_button(blocks, answer, page=page)
    await send(reply, text=message(answer)["text"], blocks=blocks, replace_original=True)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.action(SHARE_ACTION)(bind(on_share, deps))
    app.action(MORE_ACTION)(bind(on_more, deps))


def _cannot_post(question: str) -> str:
    return tr(
        guess_lang(question),
        "이 채널에 글을 올릴 수 없습니다. `/invite @minwon-bot`으로 초대해 주세요.",
        "I can't post in this channel. Invite me with `/invite @minwon-bot`.",
    )


def _not_confirmed(question: str) -> str:
    return tr(
        guess_lang(question),
        "Slack이 공유를 확인해 주지 않았습니다. 채널에 올라갔는지 확인한 뒤, 없으면 다시 눌러 주세요.",
        "Slack did not confirm the share. Check the channel, and share again if it is not there.",
    )
