"""One question in, one Answer out: the single path every medium uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from answers.admin import publish_prompt
from answers.answer import Answer
from answers.catalog import Catalog
from answers.compare import answer_compare
from answers.context import Context
from answers.coverage import answer_coverage
from answers.cutoff import answer_cutoff
from answers.data import DataAccess, Viewer
from answers.grade import answer_grade
from answers.help import (
    answer_cut,
    answer_greeting,
    answer_help,
    answer_home,
    answer_out_of_scope,
    answer_unavailable,
    answer_unknown,
    cut_note,
)
from answers.history import answer_history
from answers.items import answer_items
from answers.listing import answer_list
from answers.parse import MAX_CHARS, parse
from answers.query import Intent, Query
from answers.streak import answer_streak
from answers.subscribe import answer_subscribe, describe
from answers.whatif import answer_whatif
from answers.why import answer_why
from storage.db import Database, DatabaseUnavailable

IntentAnswer = Callable[[Query, Context, DataAccess], Awaitable[Answer]]

ANSWER_FOR_INTENT: dict[Intent, IntentAnswer] = {
    Intent.GRADE: answer_grade,
    Intent.HISTORY: answer_history,
    Intent.COMPARE: answer_compare,
    Intent.LIST: answer_list,
    Intent.ITEMS: answer_items,
    Intent.WHATIF: answer_whatif,
    Intent.CUTOFF: answer_cutoff,
    Intent.STREAK: answer_streak,
    Intent.WHY: answer_why,
    Intent.COVERAGE: answer_coverage,
}
SIMPLE_ANSWERS: dict[Intent, Callable[[Query], Answer]] = {
    Intent.GREETING: answer_greeting,
    Intent.OUT_OF_SCOPE: answer_out_of_scope,
}


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
