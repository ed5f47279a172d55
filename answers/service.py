"""One question in, one Answer out: the single path every medium uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from answers.admin import publish_prompt
from answers.answer import Answer
from answers.compare import answer_compare
from answers.context import Context
from answers.cutoff import answer_cutoff
from answers.data import DataAccess, Viewer
from answers.grade import answer_grade
from answers.help import answer_help, answer_home, answer_unavailable, answer_unknown
from answers.history import answer_history
from answers.items import answer_items
from answers.listing import answer_list
from answers.parse import parse
from answers.query import Intent, Query
from answers.subscribe import answer_subscribe, describe
from answers.whatif import answer_whatif
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
