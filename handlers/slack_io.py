"""Talking to Slack, shared by the listeners and the announcer: reading payload fields,
Retry-After, posting through response_url with retries, and the chart upload."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.render import fallback_text, to_blocks

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


def message(answer: Answer, *, page: int = 0) -> dict[str, Any]:
    """The keyword arguments of a Slack message carrying ``answer``."""
    return {"text": fallback_text(answer), "blocks": to_blocks(answer, page=page)}


def retry_after(headers: Any) -> float | None:
    """Seconds Slack asked us to wait (the Retry-After header), or None when it did not say."""
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return float(value[0] if isinstance(value, list) else value) if value else None
    except (TypeError, ValueError):
        return None


async def upload_chart(
    client: AsyncWebClient, answer: Answer, *, channel: str, thread_ts: str | None
) -> None:
    """After the text answer: its chart as a PNG in the same thread (best effort)."""
    if answer.chart is None or not channel:
        return
    from answers.charts import render  # matplotlib loads on the first chart

    try:
        png = await asyncio.to_thread(render, answer.chart, lang=answer.lang)
        title = answer.chart.title
        await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=png, filename="chart.png", title=title
        )
    except (SlackApiError, ValueError, OSError) as exc:
        log.warning("chart upload to %s failed: %s", channel, exc)


async def send(respond: AsyncRespond, **message: Any) -> bool:
    """Post through response_url, retrying a 429 (after Retry-After) or a 5xx: the answer
    to a slash command has no other way to reach the user."""
    status = 0
    for attempt in range(RESPOND_TRIES):
        try:
            response = await respond(**message)
            status, wait = response.status_code, retry_after(response.headers)
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
