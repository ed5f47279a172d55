"""The channels part of the fake Slack: who is in which conversation.

Serves ``conversations.info``, ``conversations.members`` and ``users.conversations`` from
one membership table, so the three always agree. As with a bot token on real Slack: a
private channel, DM or group DM the bot is not in is ``channel_not_found``, and
``users.conversations`` for another user lists a non-public conversation only when the
bot shares it. ``types`` defaults to ``public_channel``; ``limit`` (at most 999 for
``users.conversations``, 1000 for ``conversations.members``) and ``cursor`` paginate with
``response_metadata.next_cursor``.

A channel's kind follows its id unless given: ``C…`` public, ``G…`` private, ``D…`` a DM
(whose ``user`` is the member other than the bot). A ``D`` + user id the fake's
``conversations.open`` hands out (``DU2`` for ``U2``) is known without being added.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from blockkit import SlackRefusal

JsonDict = dict[str, Any]
CREATED = 1_700_000_000
TYPES = ("public_channel", "private_channel", "mpim", "im")


@dataclass
class Channel:
    id: str
    name: str
    kind: str  # one of TYPES
    members: list[str] = field(default_factory=list)
    is_archived: bool = False
    topic: str = ""
    purpose: str = ""


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _limit(value: Any, most: int) -> int:
    if value in (None, ""):
        return 100
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise SlackRefusal("invalid_limit") from None
    if not 0 < limit <= most:
        raise SlackRefusal("invalid_limit")
    return limit


def _page(items: list[Any], params: JsonDict, most: int) -> tuple[list[Any], str]:
    """One page of ``items`` and the next cursor ("" on the last page), like Slack's
    opaque base64 cursors."""
    limit, cursor = _limit(params.get("limit"), most), str(params.get("cursor") or "")
    start = 0
    if cursor:
        try:
            kind, _, offset = base64.b64decode(cursor, validate=True).decode().partition(":")
            start = int(offset) if kind == "next" else -1
        except (binascii.Error, UnicodeDecodeError, ValueError):
            start = -1
        if not 0 <= start <= len(items):
            raise SlackRefusal("invalid_cursor")
    end = start + limit
    next_cursor = base64.b64encode(f"next:{end}".encode()).decode() if end < len(items) else ""
    return items[start:end], next_cursor


class Directory:
    """Conversations and their members."""

    def __init__(self, *, bot_user: str, team_id: str) -> None:
        self.bot_user, self.team_id = bot_user, team_id
        self.channels: dict[str, Channel] = {}

    def add(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        members: list[str] | tuple[str, ...] = (),
        kind: str | None = None,
        is_archived: bool = False,
        **text: str,
    ) -> Channel:
        if kind is not None and kind not in TYPES:
            raise ValueError(f"kind must be one of {TYPES}, not {kind!r}")
        kind = kind or {"G": "private_channel", "D": "im"}.get(channel_id[:1], "public_channel")
        channel = Channel(channel_id, name or channel_id.lower(), kind, list(members), is_archived)
        channel.topic, channel.purpose = text.get("topic", ""), text.get("purpose", "")
        self.channels[channel_id] = channel
        return channel

    def set_members(self, channel_id: str, users: list[str] | tuple[str, ...]) -> Channel:
        channel = self.channels.get(channel_id) or self.add(channel_id)
        channel.members = list(dict.fromkeys(users))
        return channel

    # ------------------------------------------------------------- methods

    def info(self, params: JsonDict) -> JsonDict:
        channel = self._visible(params.get("channel"))
        obj = self._object(channel)
        if _flag(params.get("include_num_members")) and channel.kind != "im":
            obj["num_members"] = len(channel.members)
        if _flag(params.get("include_locale")):
            obj["locale"] = "ko-KR"
        return {"channel": obj}

    def members(self, params: JsonDict) -> JsonDict:
        channel = self._visible(params.get("channel"))
        page, cursor = _page(channel.members, params, 1000)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def user_conversations(self, params: JsonDict) -> JsonDict:
        user = str(params.get("user") or self.bot_user)
        types = self._types(params.get("types"))
        archived_too = not _flag(params.get("exclude_archived"))
        found = [
            self._object(c)
            for c in self.channels.values()
            if user in c.members
            and c.kind in types
            and (archived_too or not c.is_archived)
            and self._bot_may_see(c)
        ]
        page, cursor = _page(found, params, 999)
        return {"channels": page, "response_metadata": {"next_cursor": cursor}}

    # ------------------------------------------------------------- plumbing

    @staticmethod
    def _types(value: Any) -> set[str]:
        types = {t.strip() for t in str(value or "public_channel").split(",") if t.strip()}
        if not types or not types <= set(TYPES):
            raise SlackRefusal("invalid_types")
        return types

    def _bot_may_see(self, channel: Channel) -> bool:
        return channel.kind == "public_channel" or self.bot_user in channel.members

    def _visible(self, channel_id: Any) -> Channel:
        channel_id = str(channel_id or "")
        channel = self.channels.get(channel_id) or self._implicit_dm(channel_id)
        if channel is None or not self._bot_may_see(channel):
            raise SlackRefusal("channel_not_found")
        return channel

    def _implicit_dm(self, channel_id: str) -> Channel | None:
        user = channel_id[1:]
        if channel_id[:1] != "D" or user[:1] not in ("U", "W"):
            return None
        return Channel(channel_id, channel_id.lower(), "im", [user, self.bot_user])

    def _object(self, channel: Channel) -> JsonDict:
        """A conversation object, shaped like ``conversations.info``'s."""
        base: JsonDict = {
            "id": channel.id,
            "created": CREATED,
            "is_archived": channel.is_archived,
            "is_org_shared": False,
            "context_team_id": self.team_id,
            "updated": CREATED * 1000,
        }
        if channel.kind == "im":
            user = next((m for m in channel.members if m != self.bot_user), None)
            return base | {"is_im": True, "user": user, "is_user_deleted": False}
        return base | self._channel_fields(channel)

    def _channel_fields(self, channel: Channel) -> JsonDict:
        private = channel.kind != "public_channel"
        return {
            "name": channel.name,
            "name_normalized": channel.name,
            "is_channel": channel.kind == "public_channel",
            "is_group": channel.kind == "private_channel",
            "is_im": False,
            "is_mpim": channel.kind == "mpim",
            "is_private": private,
            "is_general": False,
            "unlinked": 0,
            "is_shared": False,
            "is_ext_shared": False,
            "is_pending_ext_shared": False,
            "pending_shared": [],
            "parent_conversation": None,
            "creator": next(iter(channel.members), "U0CREATOR"),
            "shared_team_ids": [self.team_id],
            "pending_connected_team_ids": [],
            "is_member": self.bot_user in channel.members,
            "topic": {"value": channel.topic, "creator": "", "last_set": 0},
            "purpose": {"value": channel.purpose, "creator": "", "last_set": 0},
            "previous_names": [],
        }
