"""The App Home tab: the latest published year and how to ask."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.deps import HandlerDeps, bind
from slack_adapter.requests import dig
from slack_adapter.views import home_view

log = logging.getLogger(__name__)


async def on_home_opened(deps: HandlerDeps, event: dict[str, Any], client: AsyncWebClient) -> None:
    user = dig(event, "user")
    if event.get("tab", "home") != "home" or not user:
        return
    viewer = await deps.admins.viewer(client, user)
    answer = await deps.answerer.home_safely(viewer, await _channels_of(client, user))
    try:
        await client.views_publish(user_id=user, view=home_view(answer))
    except SlackApiError as exc:
        log.warning("views.publish for %s failed: %s", user, exc.response.get("error"))


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.event("app_home_opened")(bind(on_home_opened, deps))


async def _channels_of(client: AsyncWebClient, user: str) -> list[str] | None:
    """The user's channels, or None when Slack will not say (then: what the user set up)."""
    try:
        response = await client.users_conversations(
            user=user, types="public_channel,private_channel", limit=500
        )
    except SlackApiError as exc:
        log.info("users.conversations for %s failed: %s", user, exc.response.get("error"))
        return None
    return [str(c["id"]) for c in response.get("channels") or [] if c.get("id")]
