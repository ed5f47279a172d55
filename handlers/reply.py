"""The few steps every listener shares: claim the delivery, answer, render."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from answers.answer import Answer
from answers.data import Viewer
from handlers.deps import HandlerDeps
from handlers.slack_io import dig, message, question_text, send, upload_chart
from storage.db import DatabaseUnavailable

__all__ = [
    "answer",
    "claim",
    "dig",
    "finish",
    "guarded",
    "message",
    "question_text",
    "send",
    "upload_chart",
]
log = logging.getLogger(__name__)


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
