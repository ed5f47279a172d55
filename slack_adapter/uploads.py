"""Charts: the PNG of an answer's chart uploaded after its text (files_upload_v2)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from slack_adapter.channels import dm_channel

log = logging.getLogger(__name__)


async def upload_chart(
    client: AsyncWebClient, answer: Answer, *, channel: str, thread_ts: str | None
) -> dict[str, Any] | None:
    """After the text answer: its chart as a PNG in the same thread (best effort). Returns
    the uploaded file (its ``id``, ``permalink``), or None when there was none or Slack
    would not take it."""
    if answer.chart is None or not channel:
        return None
    from answers.presentation.charts import render  # matplotlib loads on the first chart

    try:
        png = await asyncio.to_thread(render, answer.chart, lang=answer.lang)
        title = answer.chart.title
        uploaded = await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=png, filename="chart.png", title=title
        )
    except (SlackApiError, ValueError, OSError) as exc:
        log.warning("chart upload to %s failed: %s", channel, exc)
        return None
    files = uploaded.get("files") or [uploaded.get("file") or {}]
    return dict(files[0]) if files and files[0].get("id") else None


async def upload_chart_for(
    client: AsyncWebClient, answer: Answer, *, user: str
) -> dict[str, Any] | None:
    """The chart uploaded where ``user`` (and only they) can see it: their DM with the bot.
    A modal's image block can show only a file shared somewhere; this keeps a card's chart
    out of every channel."""
    if answer.chart is None or not user:
        return None
    try:
        dm = await dm_channel(client, user)
    except SlackApiError as exc:
        log.warning("conversations.open with %s failed: %s", user, exc.response.get("error"))
        return None
    return await upload_chart(client, answer, channel=dm, thread_ts=None)
