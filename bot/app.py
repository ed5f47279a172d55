"""Builds the Slack app: one AsyncApp, one Web API client (SLACK_API_URL, 429s honoured),
the listeners registered once, the global error handler, and the announcer."""

from __future__ import annotations

import contextlib
import gc
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from answers.operations.admin import AdminOps
from answers.service import Answerer
from bot.announcer import Announcer
from bot.config import Settings
from handlers import AdminDirectory, Claim, HandlerDeps, register_handlers
from slack_adapter.client import web_client
from slack_adapter.responses import ResponseUrls
from storage.db import Database, DatabaseUnavailable
from storage.deliveries import DeliveryClaims, finish_delivery

log = logging.getLogger(__name__)


class _DropTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.AsyncApp").addFilter(_DropTokenWarning())


def make_client(settings: Settings, *, wait_on_rate_limit: bool = True) -> AsyncWebClient:
    """The Web API client on SLACK_API_URL (see :func:`slack_adapter.client.web_client`)."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return web_client(
        token,
        base_url=settings.slack_api_url,
        timeout=settings.slack_timeout,
        wait_on_rate_limit=wait_on_rate_limit,
    )


@dataclass
class Runtime:
    """What `serve` runs: the Slack app and the announcer that delivers the outbox."""

    app: AsyncApp
    announcer: Announcer
    response_urls: ResponseUrls
    answerer: Answerer

    async def warm(self) -> None:
        """Before serving: load what answers read, then move everything alive now out of
        the garbage collector's sight (``gc.freeze``). The loaded data and the libraries are
        long-lived; without this a full collection walks them all, pausing the event loop
        (and every ack) for 100 ms and more under load."""
        with contextlib.suppress(DatabaseUnavailable):  # answered kindly until it is back
            await self.answerer.data.refresh()
        gc.collect()
        gc.freeze()

    async def close(self) -> None:
        """Close what the runtime opened itself (the response_url HTTP session)."""
        await self.response_urls.close()


def build_runtime(settings: Settings, db: Database, *, answerer: Answerer | None = None) -> Runtime:
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    app = AsyncApp(
        client=make_client(settings), signing_secret=secret, process_before_response=False
    )
    announcer = Announcer(
        db, make_client(settings, wait_on_rate_limit=False), admins=settings.admin_user_ids
    )
    response_urls = ResponseUrls()
    answerer = answerer or Answerer(db)
    deps = HandlerDeps(
        answerer=answerer,
        admins=AdminDirectory(frozenset(settings.admin_user_ids)),
        slash_command=settings.slash_command,
        deliveries=OutageTolerantDeliveries(db),
        admin_ops=AdminOps(
            db, announce_channel=settings.announce_channel, on_publish=announcer.wake.set
        ),
        response_urls=response_urls,
    )
    register_handlers(app, deps)
    app.error(_on_error)
    return Runtime(app, announcer, response_urls, answerer)


class OutageTolerantDeliveries:
    """The listeners' :class:`~handlers.Deliveries` on the database: claims and finishes
    that a database outage never turns into an error (see the two functions below)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = DeliveryClaims(db)

    async def claim(self, key: str, *, retake_stale: bool = True) -> Claim:
        return await claim_or_answer_anyway(self.claims, key, retake_stale=retake_stale)

    async def finish(self, key: str) -> None:
        await finish_if_reachable(self.db, key)


async def claim_or_answer_anyway(
    claims: DeliveryClaims, key: str, *, retake_stale: bool = True
) -> Claim:
    """The listeners' exactly-once claim. With the database away, answer anyway (looking
    first where the answer can be looked for): a lost answer is worse than a rare double."""
    now = datetime.now(UTC)
    try:
        if await claims.claim_new(key):
            return Claim.NEW
        if retake_stale and await claims.retake(key, now=now):
            return Claim.RETAKEN
        return Claim.TAKEN
    except DatabaseUnavailable:
        return Claim.RETAKEN


async def finish_if_reachable(db: Database, key: str) -> None:
    try:
        await finish_delivery(db, key)
    except DatabaseUnavailable:
        log.warning("could not mark delivery %s done (database unavailable)", key)


def build_app(settings: Settings, db: Database, *, answerer: Answerer | None = None) -> AsyncApp:
    return build_runtime(settings, db, answerer=answerer).app


async def _on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
    """One error path: log with the request's kind; the user never sees a traceback."""
    kind = body.get("type") or body.get("command") or "request"
    event = (body.get("event") or {}).get("type", "")
    logger.error("unhandled error in %s %s: %s", kind, event, error, exc_info=error)
