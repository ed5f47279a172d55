"""Answers through a request's response_url: one shared HTTP session, and never sent twice
after an outcome that may have delivered it (a response_url cannot be looked at)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncRespond

from slack_adapter.posting import clearly_not_sent, retry_after

log = logging.getLogger(__name__)
RESPOND_TRIES = 4
RESPONSE_URL_TIMEOUT = 10.0


class ResponseUrls:
    """Posts to response_url on one shared HTTP session (Bolt's ``respond`` opens a new
    session per answer and lets the SDK re-send after a dropped connection)."""

    def __init__(self, *, timeout: float = RESPONSE_URL_TIMEOUT) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    def poster(self, url: str) -> Respond:
        async def post(**message: Any) -> Posted:
            if not url.startswith(("https://", "http://")):
                raise ValueError("no response_url in the payload")
            async with self.session().post(url, json=message) as response:
                await response.read()
                return Posted(response.status, dict(response.headers))

        return post

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


@dataclass(frozen=True)
class Posted:
    """What a response_url POST answered (the shape of the SDK's WebhookResponse)."""

    status_code: int
    headers: dict[str, str]


Respond = Callable[..., Awaitable[Any]]


async def send(respond: AsyncRespond | Respond, **message: Any) -> bool:
    """Post through response_url, retrying only a clear "no" that can be retried (429 after
    Retry-After, a connection that could not be opened). A 5xx, a timeout or a dropped
    connection may have delivered the answer, and a response_url cannot be looked at: it
    is not sent again (two visible answers are worse than asking again; logged)."""
    status = 0
    for attempt in range(RESPOND_TRIES):
        try:
            response = await respond(**message)
            status, wait = response.status_code, retry_after(response.headers)
        except (ValueError, TypeError) as exc:  # no usable response_url in the payload
            log.warning("cannot answer through response_url: %s", exc)
            return False
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            if not clearly_not_sent(exc):
                log.warning("response_url: maybe answered (%s); not sent again", exc)
                return False
            status, wait = 0, None
        if 200 <= status < 300:
            return True
        if status >= 500:
            log.warning("response_url: maybe answered (HTTP %s); not sent again", status)
            return False
        if status and status != 429:
            break
        await asyncio.sleep(min(wait if wait is not None else 0.5 * 2**attempt, 10.0))
    log.warning("could not answer through response_url (last status %s)", status)
    return False
