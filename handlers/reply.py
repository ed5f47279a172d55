"""The few steps every listener shares: claim the delivery, answer, render."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.data import Viewer
from answers.render import fallback_text, to_blocks
from handlers.deps import HandlerDeps
from storage.db import DatabaseUnavailable

log = logging.getLogger(__name__)
RESPOND_TRIES = 4
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def dig(data: Any, *path: str | int) -> str:
    """A text field deep in a Slack payload, or "" when any step has another shape: a
    malformed payload must never raise after the ack (Bolt would withdraw the ack)."""
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and len(data) > key else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
    return str(data) if isinstance(data, str | int | float) and not isinstance(data, bool) else ""


def question_text(text: str | None) -> str:
    """The question without the bot's @-mention."""
    return MENTION.sub(" ", text if isinstance(text, str) else "").strip()


async def claim(deps: HandlerDeps, key: str | None) -> bool:
    """True when this delivery is ours to answer. Without a key, or with the database away,
    answer anyway: a lost answer is worse than a rare double one."""
    if not key:
        return True
    try:
        return await deps.claim(key)
    except DatabaseUnavailable:
        return True


async def finish(deps: HandlerDeps, key: str | None) -> None:
    if key:
        try:
            await deps.finish(key)
        except DatabaseUnavailable:
            log.warning("could not mark delivery %s done (database unavailable)", key)


async def answer(deps: HandlerDeps, text: str, viewer: Viewer) -> Answer:
    """The answer to a question (an admin's 'publish 2025' included: a confirm button)."""
    async with deps.answer_slots:
        return await deps.answerer.answer_safely(text, viewer)


def message(answer: Answer, *, page: int = 0) -> dict[str, Any]:
    """The keyword arguments of a Slack message carrying ``answer``."""
    return {"text": fallback_text(answer), "blocks": to_blocks(answer, page=page)}


async def upload_chart(
    client: AsyncWebClient, answer: Answer, *, channel: str, thread_ts: str | None
) -> None:
    """After the text answer: its chart as a PNG in the same thread (best effort)."""
    if answer.chart is None or not channel:
        return
    from answers.charts import render  # matplotlib loads on the first chart

    try:
        png = await asyncio.to_thread(render, answer.chart, lang=answer.lang)
        await client.files_upload_v2(channel=channel, thread_ts=thread_ts, file=png,
                                     filename="chart.png", title=answer.chart.title)  # fmt: skip
    except (SlackApiError, ValueError, OSError) as exc:
        log.warning("chart upload to %s failed: %s", channel, exc)


async def send(respond: AsyncRespond, **message: Any) -> bool:
    """Post through response_url, retrying a 429 (after Retry-After) or a 5xx: the answer
    to a slash command has no other way to reach the user."""
    for attempt in range(RESPOND_TRIES):
        try:
            response = await respond(**message)
            status, wait = response.status_code, _retry_after(response.headers)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            status, wait = 0, None
            log.info("response_url failed: %s", exc)
        except (ValueError, TypeError) as exc:  # no usable response_url in the payload
            log.warning("cannot answer through response_url: %s", exc)
            return False
        if 200 <= status < 300:
            return True
        if status and status < 500 and status != 429:
            break
        await asyncio.sleep(min(wait if wait is not None else 0.5 * 2**attempt, 10.0))
    log.warning("could not answer through response_url (last status %s)", status)
    return False


def _retry_after(headers: Any) -> float | None:
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return float(value[0] if isinstance(value, list) else value) if value else None
    except (TypeError, ValueError):
        return None


def guarded(listener: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """A listener that never raises into Bolt: Bolt would withdraw an ack already sent and
    answer Slack 404. What went wrong is logged, with the listener's name."""

    @functools.wraps(listener)
    async def run(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except Exception:
            log.exception("listener %s failed", listener.__name__)

    return run
