"""What the listeners need, handed down by bot/app.py (handlers never import bot/)."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.operations.admin import AdminOps
from answers.service import Answerer
from answers.understanding.context import Viewer
from slack_adapter.requests import dig
from slack_adapter.responses import Respond, ResponseUrls

log = logging.getLogger(__name__)
ADMIN_CACHE_SECONDS = 600
ANSWER_SLOTS = 8


@dataclass
class AdminDirectory:
    """ADMIN_USER_IDS plus workspace admins and owners (users.info, cached)."""

    admin_ids: frozenset[str]
    _cache: dict[str, tuple[float, bool]] = field(default_factory=dict)

    async def is_admin(self, client: AsyncWebClient, user_id: str | None) -> bool:
        if not user_id:
            return False
        if user_id in self.admin_ids:
            return True
        cached = self._cache.get(user_id)
        if cached and time.monotonic() - cached[0] < ADMIN_CACHE_SECONDS:
            return cached[1]
        try:
            user = (await client.users_info(user=user_id)).get("user") or {}
            admin = bool(user.get("is_admin") or user.get("is_owner"))
        except SlackApiError as exc:  # fail closed: no drafts for a user we cannot look up
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            return False
        self._cache[user_id] = (time.monotonic(), admin)
        return admin

    async def viewer(
        self, client: AsyncWebClient, user_id: str | None, channel_id: str | None = None
    ) -> Viewer:
        return Viewer(
            user_id=user_id, is_admin=await self.is_admin(client, user_id), channel_id=channel_id
        )


class Claim(Enum):
    """What a claim on a delivery says: answer it (``NEW``), answer it but look first
    (``RETAKEN``: the instance that took it died, maybe after posting), or leave it
    (``TAKEN``: another instance has it or did it). Only ``TAKEN`` is false."""

    NEW = "new"
    RETAKEN = "retaken"
    TAKEN = "taken"

    def __bool__(self) -> bool:
        return self is not Claim.TAKEN


class Deliveries(Protocol):
    """Exactly-once bookkeeping of Slack's deliveries, shared by every instance. An
    implementation absorbs database outages itself (a claim that cannot be checked says
    "answer"; a finish that cannot be recorded is logged), so no listener needs to know
    what storage raises."""

    async def claim(self, key: str, *, retake_stale: bool = True) -> Claim:
        """May this instance answer the delivery ``key``? ``retake_stale``: a claim left
        unfinished past its lease may be taken over."""
        ...

    async def finish(self, key: str) -> None:
        """The delivery ``key`` was answered."""
        ...


@dataclass
class HandlerDeps:
    """What bot/app.py hands down."""

    answerer: Answerer
    admins: AdminDirectory
    slash_command: str
    deliveries: Deliveries
    admin_ops: AdminOps
    # One HTTP session for every response_url answer; None: Bolt's own respond (tests).
    response_urls: ResponseUrls | None = None
    # Answers computed at once: under overload the rest wait parked, so the event loop
    # keeps acknowledging new requests within Slack's 3 s instead of queueing acks behind them.
    answer_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(ANSWER_SLOTS))


Listener = Callable[..., Awaitable[None]]


def bind(listener: Listener, deps: HandlerDeps) -> Listener:
    """``listener(deps, ...)`` as Bolt calls it: Bolt passes arguments by the names it reads
    from the signature (``inspect.unwrap`` then ``getfullargspec``), which the partial keeps
    without ``deps``; the result never raises into Bolt (see :func:`guarded`)."""
    return guarded(functools.partial(listener, deps))


def guarded(listener: Listener) -> Listener:
    """A listener that never raises into Bolt: Bolt would withdraw an ack already sent and
    answer Slack 404. What went wrong is logged, with the listener's name."""
    name = getattr(getattr(listener, "func", listener), "__name__", repr(listener))

    @functools.wraps(listener)
    async def run(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except Exception:
            log.exception("listener %s failed", name)

    return run


async def opened(
    deps: HandlerDeps, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond
) -> Respond:
    """Every interactive listener's opening: ack at once (Slack's 3 s), then where the
    request's answers go."""
    await ack()
    return responder(deps, body, respond)


def responder(deps: HandlerDeps, body: dict[str, Any], respond: AsyncRespond) -> Respond:
    """Where a request's answers go: its response_url on the one shared session, whose
    answers are never re-sent after a maybe (see slack_adapter.responses.send); Bolt's ``respond`` only
    where bot/app.py handed down no session."""
    url = dig(body, "response_url")
    return deps.response_urls.poster(url) if deps.response_urls else respond
