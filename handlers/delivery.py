"""The one path from a question to its answer in Slack, for slash commands, mentions and
DMs alike: claim the delivery (exactly once) -> answer -> render for the medium -> post ->
finish -> chart. What differs between the media is data (:class:`Medium`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.data import Viewer
from answers.render import with_share_button
from handlers.deps import HandlerDeps
from handlers.slack_io import message, upload_chart

Post = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Medium:
    """How one kind of question is answered."""

    name: str
    share_button: bool  # an ephemeral answer: only the asker sees it, unless shared
    finish: bool  # record the delivery done (Slack retries events, not slash commands)
    chart: bool  # the chart follows as a PNG in the same place (never for ephemeral answers)


# The slash command keeps one write per command: the claim alone guards a repeated
# delivery (Slack does not retry slash commands); a stale claim is answered again after 60 s.
SLASH_COMMAND = Medium("slash command", share_button=True, finish=False, chart=False)
MENTION = Medium("mention", share_button=False, finish=True, chart=True)
DIRECT_MESSAGE = Medium("direct message", share_button=False, finish=True, chart=True)


@dataclass(frozen=True)
class Question:
    """One question as it arrived: who asked, where the answer goes, its delivery key."""

    medium: Medium
    key: str | None  # exactly-once key of the delivery; None: cannot tell repeats apart
    text: str
    user: str
    channel: str
    thread_ts: str | None = None


def delivery_key(kind: str, delivery_id: str) -> str | None:
    """'command:<trigger_id>' or 'event:<event_id>'; None when Slack sent no id."""
    return f"{kind}:{delivery_id}" if delivery_id else None


async def deliver(
    deps: HandlerDeps, question: Question, *, client: AsyncWebClient, post: Post
) -> None:
    """Answer ``question`` once; ``post`` sends a message where the question came from."""
    if not await claim(deps, question.key):
        return
    viewer = await deps.admins.viewer(client, question.user, question.channel)
    answer = await answer_for(deps, question.text, viewer)
    await post(**render(answer, question.medium))
    if question.medium.finish:
        await finish(deps, question.key)
    if question.medium.chart:
        await upload_chart(client, answer, channel=question.channel, thread_ts=question.thread_ts)


async def claim(deps: HandlerDeps, key: str | None) -> bool:
    """True when this delivery is ours to answer; without a key, always."""
    return await deps.claim(key) if key else True


async def finish(deps: HandlerDeps, key: str | None) -> None:
    if key:
        await deps.finish(key)


async def answer_for(deps: HandlerDeps, text: str, viewer: Viewer) -> Answer:
    """The answer (a kind "try again" one when the database is away), within the slots."""
    async with deps.answer_slots:
        return await deps.answerer.answer_safely(text, viewer)


def render(answer: Answer, medium: Medium) -> dict[str, Any]:
    """The message's keyword arguments for ``medium``."""
    rendered = message(answer)
    if medium.share_button and answer.has_data:
        rendered["blocks"] = with_share_button(rendered["blocks"], answer)
    return rendered
