"""Charts: the PNG of an answer's chart uploaded after its text (files_upload_v2)."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer

log = logging.getLogger(__name__)


async def upload_chart(
    client: AsyncWebClient, answer: Answer, *, channel: str, thread_ts: str | None
) -> None:
    """After the text answer: its chart as a PNG in the same thread (best effort)."""
    if answer.chart is None or not channel:
        return
    from answers.presentation.charts import render  # matplotlib loads on the first chart

    try:
        png = await asyncio.to_thread(render, answer.chart, lang=answer.lang)
        title = answer.chart.title
        await client.files_upload_v2(
            channel=channel, thread_ts=thread_ts, file=png, filename="chart.png", title=title
        )
    except (SlackApiError, ValueError, OSError) as exc:
        log.warning("chart upload to %s failed: %s", channel, exc)
