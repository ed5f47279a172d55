"""The assistant pane (Slack's "Agents & AI Apps" split view) through Bolt's AsyncAssistant:
a greeting and suggested prompts when a thread starts, shaped by the channel the user is
viewing; fresh prompts when the user moves to another channel; each question answered in
its thread through the one delivery path (a status while answering, the answer and its
chart, a title).

Bolt routes a person's message in any DM thread here and never to ``app.event("message")``
(handlers/events.py), so a question is answered once; top-level DMs, and a file or a
pasted table sent in a thread (:func:`is_question` is false), go on to the DM listener.
Nothing is kept in this process: the exactly-once claims are in the database, the rest in
Slack."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.assistant.async_assistant import AsyncAssistant
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from answers.intents.assistant import Opening
from answers.operations.admin import is_pasted_table
from handlers.delivery import (
    ASSISTANT,
    Question,
    claim,
    deliver,
    delivery_key,
    event_question,
    finish,
    in_conversation,
    render,
)
from handlers.deps import Claim, HandlerDeps, bind
from slack_adapter.assistant import (
    AssistantThread,
    assistant_thread,
    channel_name,
    suggest_prompts,
)
from slack_adapter.requests import dig

log = logging.getLogger(__name__)
THREAD_EVENTS = ("assistant_thread_started", "assistant_thread_context_changed")
NextStep = Callable[[], Awaitable[Any]]


async def on_thread_started(
    deps: HandlerDeps, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
) -> None:
    """The pane opened: a greeting in the thread (once, however often Slack retries) and
    prompts about the channel beside it."""
    thread = assistant_thread(event)
    if thread is None:
        return
    opening = _opening_question(body, thread)
    claimed = await claim(deps, opening.key)
    if not claimed:
        return
    shown = await _opening(deps, client, thread)
    post = in_conversation(client, opening)
    await post(look_first=claimed is Claim.RETAKEN, **render(shown.greeting, ASSISTANT))
    await suggest_prompts(client, thread, shown.prompts, title=shown.prompts_title)
    await finish(deps, opening.key)


async def on_context_changed(
    deps: HandlerDeps, event: dict[str, Any], client: AsyncWebClient
) -> None:
    """The user moved to another channel with the pane open: prompts about that one.
    (Setting prompts twice shows nothing twice, so a retry needs no claim. Bolt's default
    listener here would instead rewrite the greeting's metadata, which carries its key.)"""
    thread = assistant_thread(event)
    if thread is None:
        return
    shown = await _opening(deps, client, thread)
    await suggest_prompts(client, thread, shown.prompts, title=shown.prompts_title)


async def on_user_message(
    deps: HandlerDeps, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient
) -> None:
    """A question in the thread (typed, or a suggested prompt clicked)."""
    question = event_question(ASSISTANT, body, event, thread_ts=dig(event, "thread_ts") or None)
    await deliver(deps, question, client=client, post=in_conversation(client, question))


def is_question(body: dict[str, Any]) -> bool:
    """Bolt's matcher (called with the request body): a message the pane answers; an
    admin's file or pasted results table goes on to the DM listener, which previews it."""
    event = body.get("event")
    if not isinstance(event, dict):
        return False
    return not event.get("files") and not is_pasted_table(dig(event, "text"))


class PaneAssistant(AsyncAssistant):
    """Bolt's assistant middleware, reached by Events API requests only: slash commands,
    clicks and the picker's options (most of the traffic) skip its matchers. An assistant
    event that names no thread is acknowledged and left alone (Bolt's own helpers would raise
    on it, answering Slack 500, and Slack would only retry it)."""

    async def async_process(  # type: ignore[override]
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: NextStep
    ) -> BoltResponse | None:
        event = req.body.get("event")
        if req.body.get("type") != "event_callback" or not isinstance(event, dict):
            await next()
            return resp
        if event.get("type") in THREAD_EVENTS and assistant_thread(event) is None:
            log.warning("%s without its thread: ignored", event.get("type"))
            return BoltResponse(status=200, body="")
        return await super().async_process(req=req, resp=resp, next=next)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    assistant = PaneAssistant()
    assistant.thread_started(bind(on_thread_started, deps))
    assistant.thread_context_changed(bind(on_context_changed, deps))
    # Bolt takes a list of plain functions of the body (its annotation says one).
    questions: Any = [is_question]
    assistant.user_message(matchers=questions)(bind(on_user_message, deps))
    app.assistant(assistant)


async def _opening(deps: HandlerDeps, client: AsyncWebClient, thread: AssistantThread) -> Opening:
    """What the pane opens with beside the viewed channel (its prompts are answered to be
    chosen, so they wait for a slot like any answer)."""
    name = await channel_name(client, thread.viewing)
    async with deps.answer_slots:
        return await deps.answerer.opening_safely(thread.viewing, name)


def _opening_question(body: dict[str, Any], thread: AssistantThread) -> Question:
    """Where the greeting goes, keyed by the event (or, without an event_id, the thread)."""
    fallback = f"assistant:{thread.channel}:{thread.thread_ts}"
    key = delivery_key("event", dig(body, "event_id"), fallback=fallback)
    return Question(ASSISTANT, key, "", thread.user, thread.channel, thread.thread_ts)
