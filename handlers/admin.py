"""Admin work from Slack: a results file shared in a DM is previewed (every error by row
and column) with a confirm button; confirm loads it as the CLI would and offers to publish
a new year. Non-admins get a polite refusal. Every change is audited by storage."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_sdk.web.async_client import AsyncWebClient

from answers.operations.admin import (
    CONFIRM_CORRECTION,
    CONFIRM_INGEST,
    PUBLISH_YEAR,
    is_pasted_value,
    not_admin,
)
from handlers.deps import HandlerDeps, bind, opened
from slack_adapter.blocks import message
from slack_adapter.files import DownloadError, download
from slack_adapter.requests import clicked_value, dig, number
from slack_adapter.responses import send

Refuse = Callable[..., Awaitable[Any]]


async def on_confirm(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    """*Load* under a preview: a load that would change published grades is refused."""
    await _confirmed(deps, ack, body, respond, client, correct=False)


async def on_confirm_correction(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    """*Load as a correction* under a preview that said it changes published grades."""
    await _confirmed(deps, ack, body, respond, client, correct=True)


async def _confirmed(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    *,
    correct: bool,
) -> None:
    reply = await opened(deps, ack, body, respond)
    user = dig(body, "user", "id")
    if not await is_admin_or_refuse(deps, client, user, functools.partial(_beside, reply)):
        return
    value = clicked_value(body)
    if is_pasted_value(value):  # a pasted table: its text is kept by storage
        answer = await deps.admin_ops.load_pasted(value, actor=f"slack:{user}", correct=correct)
        await send(reply, **message(answer), replace_original=True)
        return
    try:
        name, data = await download(client, value)
    except DownloadError as exc:
        await send(reply, text=str(exc), replace_original=False)
        return
    answer = await deps.admin_ops.load(data, name=name, actor=f"slack:{user}", correct=correct)
    await send(reply, **message(answer), replace_original=True)


async def on_publish(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    reply = await opened(deps, ack, body, respond)
    user = dig(body, "user", "id")
    if not await is_admin_or_refuse(deps, client, user, functools.partial(_beside, reply)):
        return
    value = clicked_value(body)
    year = number(value) or 0  # a forged value ('²') is no year
    answer = await deps.admin_ops.publish(year, actor=f"slack:{user}")
    await send(reply, **message(answer), replace_original=True)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.action(CONFIRM_INGEST)(bind(on_confirm, deps))
    app.action(CONFIRM_CORRECTION)(bind(on_confirm_correction, deps))
    app.action(PUBLISH_YEAR)(bind(on_publish, deps))


async def is_admin_or_refuse(
    deps: HandlerDeps, client: AsyncWebClient, user: str, refuse: Refuse
) -> bool:
    """True for an admin; anyone else gets a polite refusal through ``refuse``."""
    if await deps.admins.is_admin(client, user):
        return True
    await refuse(**message(not_admin()))
    return False


async def _beside(reply: Refuse, **content: Any) -> None:
    """A refusal under the clicked message, which stays as it was."""
    await send(reply, **content, replace_original=False)


async def preview_shared_file(
    deps: HandlerDeps, event: dict[str, Any], say: AsyncSay, client: AsyncWebClient
) -> None:
    """A file sent to the bot in a DM: admins get a preview, others a refusal."""
    user = dig(event, "user")
    if not await is_admin_or_refuse(deps, client, user, say):
        return
    file_id = dig(event, "files", 0, "id")
    try:
        name, data = await download(client, file_id)
    except DownloadError as exc:
        await say(text=str(exc))
        return
    answer = await deps.admin_ops.preview(data, name=name, file_id=file_id, actor=f"slack:{user}")
    await say(**message(answer))


async def preview_pasted_table(
    deps: HandlerDeps, event: dict[str, Any], say: AsyncSay, client: AsyncWebClient
) -> None:
    """An official table pasted into a DM: admins get the file's preview, others a refusal."""
    user = dig(event, "user")
    if not await is_admin_or_refuse(deps, client, user, say):
        return
    answer = await deps.admin_ops.preview_text(dig(event, "text"), actor=f"slack:{user}")
    await say(**message(answer))
