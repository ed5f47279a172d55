"""Builds the Slack app: one AsyncApp, one Web API client (SLACK_API_URL, 429s honoured),
the listeners registered once, the global error handler, and the announcer."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from answers.admin import AdminOps
from answers.service import Answerer
from bot.announcer import Announcer
from bot.config import Settings
from handlers import AdminDirectory, HandlerDeps, register_handlers
from handlers.slack_io import POSTING_METHODS, ResponseUrls
from storage.db import Database, DatabaseUnavailable
from storage.deliveries import DeliveryClaims, finish_delivery

log = logging.getLogger(__name__)


class _DropTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's token wins; it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.AsyncApp").addFilter(_DropTokenWarning())


class NeverResendPosts(AsyncRetryHandler):
    """A retry handler that leaves chat.postMessage and chat.update alone: after a dropped
    connection or a 5xx the message may be in Slack already, and re-sending it blindly is
    how duplicates happen. Those outcomes go back to the caller, which looks for the
    message's key first (handlers/slack_io.post_once, the announcer)."""

    def __init__(self, inner: AsyncRetryHandler) -> None:
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner = inner

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.rstrip("/").rsplit("/", 1)[-1] in POSTING_METHODS:
            return False
        return await self.inner._can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        await self.inner.prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


def make_client(settings: Settings, *, wait_on_rate_limit: bool = True) -> AsyncWebClient:
    """A Web API client on SLACK_API_URL that retries dropped connections and 5xx for
    everything but posting (see :class:`NeverResendPosts`) and, unless the caller paces
    itself (the announcer), waits out 429s (Retry-After: a 429 posted nothing, so this one
    is safe for posts too); Slack's SDK does not retry 429 by default."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = AsyncWebClient(
        token=token, base_url=settings.slack_api_url, timeout=settings.slack_timeout
    )
    handlers: list[AsyncRetryHandler] = [
        NeverResendPosts(AsyncConnectionErrorRetryHandler(max_retry_count=2)),
        NeverResendPosts(AsyncServerErrorRetryHandler(max_retry_count=2)),
    ]
    if wait_on_rate_limit:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=5))
    client.retry_handlers = handlers
    return client


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
        claim=functools.partial(claim_or_answer_anyway, DeliveryClaims(db)),
        finish=functools.partial(finish_if_reachable, db),
        admin_ops=AdminOps(
            db, announce_channel=settings.announce_channel, on_publish=announcer.wake.set
        ),
        response_urls=response_urls,
    )
    register_handlers(app, deps)
    app.error(_on_error)
    return Runtime(app, announcer, response_urls, answerer)


async def claim_or_answer_anyway(
    claims: DeliveryClaims, key: str, *, retake_stale: bool = True
) -> bool:
    """The listeners' exactly-once claim. With the database away, answer anyway: a lost
    answer is worse than a rare double one."""
    try:
        return await claims.claim(key, retake_stale=retake_stale)
    except DatabaseUnavailable:
        return True


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
