"""The few steps every listener shares: claim the delivery, answer, render."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.admin import publish_prompt
from answers.answer import Answer
from answers.data import Viewer
from answers.render import fallback_text, to_blocks
from handlers.deps import HandlerDeps
from storage.db import DatabaseUnavailable

log = logging.getLogger(__name__)
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def question_text(text: str | None) -> str:
    """The question without the bot's @-mention."""
    return MENTION.sub(" ", text or "").strip()


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
    """The answer to a question, or to an admin's 'publish 2025' (a confirm button)."""
    prompt = publish_prompt(text, is_admin=viewer.is_admin)
    return prompt if prompt is not None else await deps.answerer.answer_safely(text, viewer)


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
    except (SlackApiError, ValueError) as exc:
        log.warning("chart upload to %s failed: %s", channel, exc)
