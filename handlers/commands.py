"""The slash command (`/grade <question>`): ack at once, answer through response_url,
ephemeral, with a "share to channel" button. `/grade` alone opens the finder (`/grade help`
is the help)."""

from __future__ import annotations

import functools
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from handlers.delivery import SLASH_COMMAND, Question, deliver, delivery_key
from handlers.deps import HandlerDeps, bind, opened
from handlers.finder import open_finder
from slack_adapter.requests import dig
from slack_adapter.responses import send


async def on_command(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    reply = await opened(deps, ack, body, respond)
    user, channel = dig(body, "user_id"), dig(body, "channel_id")
    if not dig(body, "text").strip():
        trigger = dig(body, "trigger_id")
        await open_finder(deps, client, trigger_id=trigger, user=user, channel=channel)
        return
    key = delivery_key("command", dig(body, "trigger_id"))
    question = Question(SLASH_COMMAND, key, dig(body, "text"), user, channel)
    ephemeral = functools.partial(send, reply, response_type="ephemeral")
    await deliver(deps, question, client=client, post=ephemeral)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.command(deps.slash_command)(bind(on_command, deps))
