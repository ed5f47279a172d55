"""The one path from a question to its answer in Slack, for slash commands, mentions, DMs
and the assistant pane alike: claim the delivery (exactly once) -> answer -> render for the
medium -> post -> finish -> chart. What differs between the media is data
(:class:`Medium`); the pane adds a status while answering and the thread's title."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.intents.assistant import status_line, thread_title
from answers.understanding.context import Viewer
from handlers.deps import Claim, HandlerDeps
from slack_adapter.assistant import set_status, set_title
from slack_adapter.blocks import message, with_share_button
from slack_adapter.posting import post_once
from slack_adapter.requests import dig, question_text
from slack_adapter.uploads import upload_chart

Post = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Medium:
    """How one kind of question is answered."""

    name: str
    share_button: bool  # an ephemeral answer: only the asker sees it, unless shared
    finish: bool  # record the delivery done (Slack retries events, not slash commands)
    chart: bool  # the chart follows as a PNG in the same place (never for ephemeral answers)
    retake_stale: bool  # a claim left unfinished for 60 s may be answered again
    assistant: bool = False  # an assistant thread: a status while answering, a title


# The slash command keeps one write per command: the claim is its record. Its answer goes
# to a response_url, which cannot be looked at, so a claim left unfinished means "maybe
# answered": a repeated delivery, however late, is never answered again.
SLASH_COMMAND = Medium(
    "slash command", share_button=True, finish=False, chart=False, retake_stale=False
)
MENTION = Medium("mention", share_button=False, finish=True, chart=True, retake_stale=True)
DIRECT_MESSAGE = Medium(
    "direct message", share_button=False, finish=True, chart=True, retake_stale=True
)
ASSISTANT = Medium(
    "assistant", share_button=False, finish=True, chart=True, retake_stale=True, assistant=True
)
ANSWER_EVENT = "minwon_answer"  # message metadata of an answer, carrying its delivery key


@dataclass(frozen=True)
class Question:
    """One question as it arrived: who asked, where the answer goes, its delivery key."""

    medium: Medium
    key: str | None  # exactly-once key of the delivery; None: cannot tell repeats apart
    text: str
    user: str
    channel: str
    thread_ts: str | None = None


def delivery_key(kind: str, delivery_id: str, *, fallback: str = "") -> str | None:
    """'command:<trigger_id>' or 'event:<event_id>'; ``fallback`` (a message's own
    'message:<channel>:<ts>') when Slack sent no id; None when there is neither."""
    return f"{kind}:{delivery_id}" if delivery_id else (fallback or None)


def event_question(
    medium: Medium, body: dict[str, Any], event: dict[str, Any], *, thread_ts: str | None
) -> Question:
    """The question a message event carries (a mention, a DM, an assistant thread's)."""
    key = delivery_key("event", dig(body, "event_id"), fallback=message_key(event))
    text = question_text(dig(event, "text"))
    return Question(medium, key, text, dig(event, "user"), dig(event, "channel"), thread_ts)


def message_key(event: dict[str, Any]) -> str:
    """A message's own identity, 'message:<channel>:<ts>' (a retry without an event_id is
    still the same message); "" when the event carries neither."""
    channel, ts = dig(event, "channel"), dig(event, "ts")
    return f"message:{channel}:{ts}" if channel and ts else ""


async def deliver(
    deps: HandlerDeps, question: Question, *, client: AsyncWebClient, post: Post
) -> None:
    """Answer ``question`` once; ``post`` sends a message where the question came from.
    A claim taken over from a dead instance may have been answered already: its post
    looks for the answer first (``look_first``; only media that retake claims can look)."""
    claimed = await claim(deps, question.key, retake_stale=question.medium.retake_stale)
    if not claimed:
        return
    if question.medium.assistant:
        await show_status(client, question)
    viewer = await deps.admins.viewer(client, question.user, question.channel)
    answer = await answer_for(deps, question.text, viewer)
    rendered = render(answer, question.medium)
    if claimed is Claim.RETAKEN and question.medium.retake_stale:
        rendered["look_first"] = True
    await post(**rendered)
    if question.medium.finish:
        await finish(deps, question.key)
    if question.medium.assistant:
        await title_once(deps, client, question, answer)
    if question.medium.chart:
        await upload_chart(client, answer, channel=question.channel, thread_ts=question.thread_ts)


async def claim(deps: HandlerDeps, key: str | None, *, retake_stale: bool = True) -> Claim:
    """Whether this delivery is ours to answer; without a key, always."""
    return await deps.deliveries.claim(key, retake_stale=retake_stale) if key else Claim.NEW


async def show_status(client: AsyncWebClient, question: Question) -> None:
    """The assistant thread's line while the answer is looked up ('minwon-bot 답변을 찾는
    중…'); Slack clears it when the answer is posted."""
    if question.thread_ts:
        status = status_line(question.text)
        await set_status(
            client, channel=question.channel, thread_ts=question.thread_ts, status=status
        )


async def title_once(
    deps: HandlerDeps, client: AsyncWebClient, question: Question, answer: Answer
) -> None:
    """The assistant thread's title, from its first question answered with data: one
    claim per thread (never retaken), so a later question, a retry or another instance
    never renames it."""
    title = thread_title(answer)
    if not title or not question.thread_ts:
        return
    key = f"title:{question.channel}:{question.thread_ts}"
    if await claim(deps, key, retake_stale=False):
        await set_title(client, channel=question.channel, thread_ts=question.thread_ts, title=title)


def in_conversation(client: AsyncWebClient, question: Question) -> Post:
    """Post where a mention or DM came from, exactly once: the answer carries the delivery
    key as metadata, so a "maybe posted" outcome (or ``look_first``) is looked up before
    posting."""

    async def post(*, look_first: bool = False, **content: Any) -> None:
        await post_once(
            client,
            channel=question.channel,
            key=question.key,
            event_type=ANSWER_EVENT,
            thread_ts=question.thread_ts,
            look_first=look_first,
            **content,
        )

    return post


async def finish(deps: HandlerDeps, key: str | None) -> None:
    if key:
        await deps.deliveries.finish(key)


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
