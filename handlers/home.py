"""The App Home tab: a dashboard (see answers/intents/home.py), republished whenever it
is opened, and after an admin's Publish click on it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.intents.home import PUBLISH_DRAFT
from answers.operations.admin import not_admin
from handlers.deps import HandlerDeps, bind
from slack_adapter.channels import channels_of
from slack_adapter.requests import clicked_value, dig, number
from slack_adapter.views import home_view

log = logging.getLogger(__name__)


async def on_home_opened(deps: HandlerDeps, event: dict[str, Any], client: AsyncWebClient) -> None:
    user = dig(event, "user")
    if event.get("tab", "home") != "home" or not user:
        return
    await publish_home(deps, client, user)


async def on_publish_draft(
    deps: HandlerDeps, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    """An admin's Publish button on the dashboard: publish, then show the dashboard again
    with what happened on top. Anyone else (a forged click) is refused the same way."""
    await ack()
    user = dig(body, "user", "id")
    if not await deps.admins.is_admin(client, user):
        await publish_home(deps, client, user, notice=not_admin())
        return
    year = number(clicked_value(body)) or 0
    published = await deps.admin_ops.publish(year, actor=f"slack:{user}")
    await publish_home(deps, client, user, notice=published)


async def publish_home(
    deps: HandlerDeps, client: AsyncWebClient, user: str, *, notice: Answer | None = None
) -> None:
    """The dashboard for ``user``: their channels (one call, all pages), then one query."""
    viewer = await deps.admins.viewer(client, user)
    answer = await deps.answerer.home_safely(viewer, await channels_of(client, user))
    try:
        await client.views_publish(user_id=user, view=home_view(answer, notice=notice))
    except SlackApiError as exc:
        log.warning("views.publish for %s failed: %s", user, exc.response.get("error"))


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.event("app_home_opened")(bind(on_home_opened, deps))
    app.action(PUBLISH_DRAFT)(bind(on_publish_draft, deps))
