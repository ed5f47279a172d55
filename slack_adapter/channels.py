"""Who is where, as Slack's Web API says: the channels a user is in (App Home), and
whether a user and the bot are members of a channel (the card's follow button)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.operations.subscribe import Membership

log = logging.getLogger(__name__)
MAX_PAGES = 20  # pages read at most (Slack pages by 1,000): a bound on one click's calls
CHANNEL_TYPES = "public_channel,private_channel"


async def dm_channel(client: AsyncWebClient, user: str) -> str:
    """The id of the bot's DM with ``user`` (``conversations.open``), "" when Slack names
    none; a refusal raises ``SlackApiError`` for the caller to weigh."""
    opened = await client.conversations_open(users=user)
    return str((opened.get("channel") or {}).get("id") or "")


async def channels_of(client: AsyncWebClient, user: str) -> list[str] | None:
    """Every channel ``user`` is in (all pages), or None when Slack will not say."""
    found: list[str] = []
    cursor = ""
    try:
        for _ in range(MAX_PAGES):
            response = await client.users_conversations(
                user=user, types=CHANNEL_TYPES, limit=999, cursor=cursor or None
            )
            found += [str(c["id"]) for c in response.get("channels") or [] if c.get("id")]
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                break
    except SlackApiError as exc:
        log.info("users.conversations for %s failed: %s", user, exc.response.get("error"))
        return None
    return found


async def membership(client: AsyncWebClient, channel: str, user: str, bot: str) -> Membership:
    """Whether ``user`` and the bot (``bot``, its user id) are in ``channel``; None for
    each when Slack will not list the channel's members (a private channel without the
    bot, a channel that is gone)."""
    wanted, found = {user, bot} - {""}, set()
    cursor = ""
    try:
        for _ in range(MAX_PAGES):
            response = await client.conversations_members(
                channel=channel, limit=1000, cursor=cursor or None
            )
            found |= wanted & set(response.get("members") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
            if found == wanted or not cursor:
                break
    except SlackApiError as exc:
        log.info("conversations.members of %s failed: %s", channel, exc.response.get("error"))
        return Membership(user=None, bot=None)
    return Membership(user=user in found, bot=(bot in found) if bot else None)
