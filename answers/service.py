"""One question in, one Answer out: the single path every medium uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from answers.answer import Answer
from answers.data import DataAccess
from answers.intents import ANSWER_FOR_INTENT, SIMPLE_ANSWERS
from answers.intents.assistant import (
    MAX_PROMPTS,
    Opening,
    Prompt,
    candidate_prompts,
    followed_focus,
    named_focus,
    opening,
)
from answers.intents.help import (
    answer_cut,
    answer_help,
    answer_home,
    answer_unavailable,
    answer_unknown,
    cut_note,
)
from answers.operations.admin import publish_prompt
from answers.operations.subscribe import answer_subscribe, describe
from answers.query import Intent, Query
from answers.understanding.catalog import Catalog
from answers.understanding.context import Context, Viewer
from answers.understanding.lexicon import MAX_CHARS
from answers.understanding.parse import parse
from storage.db import Database, DatabaseUnavailable


class Answerer:
    """Answers questions from one database; safe to share across requests."""

    def __init__(self, db: Database) -> None:
        self.data = DataAccess(db)

    async def answer(self, text: str, viewer: Viewer | None = None) -> Answer:
        answer = await self._answer(text, viewer or Viewer())
        return replace(answer, question=text)

    async def _answer(self, text: str, viewer: Viewer) -> Answer:
        catalog = (await self.data.refresh()).catalog
        query = parse(text, catalog)
        if query.cut_years:
            return answer_cut(query, MAX_CHARS)
        answer = await self._answer_query(query, viewer, catalog)
        if query.truncated:
            return replace(answer, notes=(*answer.notes, cut_note(query.lang, MAX_CHARS)))
        return answer

    async def _answer_query(self, query: Query, viewer: Viewer, catalog: Catalog) -> Answer:
        if query.intent in SIMPLE_ANSWERS:
            return SIMPLE_ANSWERS[query.intent](query)
        if query.intent is Intent.PUBLISH:
            return publish_prompt(query.years[0], is_admin=viewer.is_admin)
        ctx = Context(catalog=catalog, years=tuple(await self.data.years(viewer)), viewer=viewer)
        if query.intent is Intent.HELP:
            return answer_help(query, latest=ctx.latest)
        if query.intent is Intent.SUBSCRIBE:
            return await answer_subscribe(query, ctx, self.data.db)
        answer_for = ANSWER_FOR_INTENT.get(query.intent)
        if answer_for is None:
            return answer_unknown(query)
        return await answer_for(query, ctx, self.data)

    async def answer_safely(self, text: str, viewer: Viewer | None = None) -> Answer:
        """Like :meth:`answer`, but a database outage becomes a kind 'try again' answer."""
        try:
            return await self.answer(text, viewer)
        except DatabaseUnavailable:
            return answer_unavailable(text)

    async def home(
        self, viewer: Viewer | None = None, channels: Sequence[str] | None = None
    ) -> Answer:
        """What the App Home tab shows: the latest published year, the subscriptions of the
        user's channels (or, when those are unknown, the ones the user made), how to ask."""
        viewer = viewer or Viewer()
        catalog = (await self.data.refresh()).catalog
        years = await self.data.years(viewer)
        ctx = Context(catalog=catalog, years=tuple(years), viewer=viewer)
        rows = await self.data.subscriptions(channels=channels, user_id=viewer.user_id)
        labels = [(row.channel_id, describe(row.target_kind, row.target, ctx)) for row in rows]
        return answer_home(years, viewer, labels)

    async def home_safely(
        self, viewer: Viewer | None = None, channels: Sequence[str] | None = None
    ) -> Answer:
        try:
            return await self.home(viewer, channels)
        except DatabaseUnavailable:
            return answer_unavailable("")

    async def opening(self, channel_id: str | None, channel_name: str = "") -> Opening:
        """What the assistant pane shows when a thread starts next to ``channel_id``: a
        greeting and up to four prompts about what the channel follows (or, when it follows
        nothing, what its name names), then general ones. A prompt is kept only when its
        answer is understood and holds data, so every prompt shown is answered."""
        catalog = (await self.data.refresh()).catalog
        years = await self.data.years(Viewer())
        latest = Context(catalog=catalog, years=tuple(years), viewer=Viewer()).latest
        rows = (
            await self.data.subscriptions(channels=[channel_id], user_id=None) if channel_id else []
        )
        focus = followed_focus(rows, catalog)
        if not focus.labels and channel_name:
            focus = named_focus(channel_name, catalog)
        return opening(channel_id, focus, await self._answered(candidate_prompts(focus, latest)))

    async def opening_safely(self, channel_id: str | None, channel_name: str = "") -> Opening:
        try:
            return await self.opening(channel_id, channel_name)
        except DatabaseUnavailable:
            return Opening(answer_unavailable(""), (), "")

    async def _answered(self, prompts: Sequence[Prompt]) -> list[Prompt]:
        kept: list[Prompt] = []
        for prompt in prompts:
            answer = await self.answer(prompt.message)
            if answer.understood and answer.has_data:
                kept.append(prompt)
            if len(kept) == MAX_PROMPTS:
                break
        return kept
