"""The Web API client: a configurable base URL (SLACK_API_URL; GovSlack and tests point it
elsewhere), retries that never re-send a post, and 429s waited out where the caller wants."""

from __future__ import annotations

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

from slack_adapter.posting import POSTING_METHODS


class NeverResendPosts(AsyncRetryHandler):
    """A retry handler that leaves chat.postMessage and chat.update alone: after a dropped
    connection or a 5xx the message may be in Slack already, and re-sending it blindly is
    how duplicates happen. Those outcomes go back to the caller, which looks for the
    message's key first (slack_adapter.posting.post_once, the announcer)."""

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


def web_client(
    token: str | None, *, base_url: str, timeout: int, wait_on_rate_limit: bool = True
) -> AsyncWebClient:
    """A Web API client on ``base_url`` that retries dropped connections and 5xx for
    everything but posting (see :class:`NeverResendPosts`) and, unless the caller paces
    itself (the announcer), waits out 429s (Retry-After: a 429 posted nothing, so this one
    is safe for posts too); Slack's SDK does not retry 429 by default."""
    client = AsyncWebClient(token=token, base_url=base_url, timeout=timeout)
    handlers: list[AsyncRetryHandler] = [
        NeverResendPosts(AsyncConnectionErrorRetryHandler(max_retry_count=2)),
        NeverResendPosts(AsyncServerErrorRetryHandler(max_retry_count=2)),
    ]
    if wait_on_rate_limit:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=5))
    client.retry_handlers = handlers
    return client
