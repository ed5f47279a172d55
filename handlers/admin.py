"""Admin work from Slack: a results file shared in a DM is previewed (every error by row
and column) with a confirm button; confirm loads it as the CLI would and offers to publish
a new year. Non-admins get a polite refusal. Every change is audited by storage."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond, AsyncSay
from slack_sdk.web.async_client import AsyncWebClient

from answers.admin import CONFIRM_INGEST, PUBLISH_YEAR, is_pasted_value, not_admin
from handlers.deps import HandlerDeps, bind, responder
from handlers.files import DownloadError, download
from handlers.slack_io import Respond, dig, message, send


async def on_confirm(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    await ack()
    reply = responder(deps, body, respond)
    user = await _admin_or_refuse(deps, body, reply, client)
    if user is None:
        return
    if is_pasted_value(_value(body)):  # a pasted table: its text is kept by storage
        answer = await deps.admin_ops.load_pasted(_value(body), actor=f"slack:{user}")
        await send(reply, **message(answer), replace_original=True)
        return
    try:
        name, data = await download(client, _value(body))
    except DownloadError as exc:
        await send(reply, text=str(exc), replace_original=False)
        return
    answer = await deps.admin_ops.load(data, name=name, actor=f"slack:{user}")
    await send(reply, **message(answer), replace_original=True)


async def on_publish(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
) -> None:
    await ack()
    reply = responder(deps, body, respond)
    user = await _admin_or_refuse(deps, body, reply, client)
    if user is None:
        return
    year = int(_value(body)) if _value(body).isdigit() else 0
    answer = await deps.admin_ops.publish(year, actor=f"slack:{user}")
    await send(reply, **message(answer), replace_original=True)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.action(CONFIRM_INGEST)(bind(on_confirm, deps))
    app.action(PUBLISH_YEAR)(bind(on_publish, deps))


async def _admin_or_refuse(
    deps: HandlerDeps, body: dict[str, Any], reply: Respond, client: AsyncWebClient
) -> str | None:
    """The clicking user when an admin; otherwise a polite refusal and None."""
    user = dig(body, "user", "id")
    if await deps.admins.is_admin(client, user):
        return user
    await send(reply, **message(not_admin()), replace_original=False)
    return None


async def preview_shared_file(
    deps: HandlerDeps, event: dict[str, Any], say: AsyncSay, client: AsyncWebClient
) -> None:
    """A file sent to the bot in a DM: admins get a preview, others a refusal."""
    user = dig(event, "user")
    if not await deps.admins.is_admin(client, user):
        await say(**message(not_admin()))
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
    if not await deps.admins.is_admin(client, user):
        await say(**message(not_admin()))
        return
    answer = await deps.admin_ops.preview_text(dig(event, "text"), actor=f"slack:{user}")
    await say(**message(answer))


def _value(body: dict[str, Any]) -> str:
    return dig(body, "actions", 0, "value")
