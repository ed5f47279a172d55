"""One question in, one Answer out: the single path every medium uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from answers.answer import Answer, Choice
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
from answers.intents.card import answer_card
from answers.intents.help import (
    answer_cut,
    answer_help,
    answer_unavailable,
    answer_unknown,
    cut_note,
)
from answers.intents.home import Follow, answer_home
from answers.operations.admin import publish_prompt
from answers.operations.subscribe import Membership, answer_subscribe, describe, follow_agency
from answers.presentation.wording import choice_text
from answers.query import Intent, Query
from answers.understanding.catalog import Catalog
from answers.understanding.context import Context, Viewer
from answers.understanding.lexicon import MAX_CHARS
from answers.understanding.parse import parse
from storage.db import Database, DatabaseUnavailable
from storage.models import TargetKind, YearStatus


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
            return SIMPLE_ANSWERS[query.intent](query, catalog)
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
        """The App Home dashboard: what the user's channels follow (or, when Slack would not
        say which channels they are in, what the user set up), read in one query."""
        ctx = await self._context(viewer or Viewer())
        rows = await self.data.subscriptions(channels=channels, user_id=ctx.viewer.user_id)
        follows = [
            Follow(
                row.channel_id,
                int(row.target) if row.target_kind == TargetKind.AGENCY else None,
                describe(row.target_kind, row.target, ctx),
            )
            for row in rows
            if row.target_kind != TargetKind.AGENCY or row.target.isdigit()
        ]
        return await answer_home(follows, ctx, self.data)

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
        ctx = await self._context(Viewer())
        rows = (
            await self.data.subscriptions(channels=[channel_id], user_id=None) if channel_id else []
        )
        focus = followed_focus(rows, ctx.catalog)
        if not focus.labels and channel_name:
            focus = named_focus(channel_name, ctx.catalog)
        prompts = await self._answered(candidate_prompts(focus, ctx.latest))
        return opening(channel_id, focus, prompts)

    async def opening_safely(self, channel_id: str | None, channel_name: str = "") -> Opening:
        try:
            return await self.opening(channel_id, channel_name)
        except DatabaseUnavailable:
            return Opening(answer_unavailable(""), (), "")

    async def _answered(self, prompts: Sequence[Prompt]) -> list[Prompt]:
        """The prompts whose answers are understood and hold data, no two answered alike
        ('김해시 등급 추이' and '경남 김해시 등급 추이' are one)."""
        kept: dict[tuple[str, tuple[str, ...]], Prompt] = {}
        for prompt in prompts:
            answer = await self.answer(prompt.message)
            if answer.understood and answer.has_data:
                kept.setdefault((answer.title, answer.lines), prompt)
            if len(kept) == MAX_PROMPTS:
                break
        return list(kept.values())

    async def suggest(self, text: str) -> list[Choice]:
        """The agencies a picker offers for ``text`` typed so far, labelled so that no two
        read alike. A database that cannot be reached answers from the last catalog read,
        or with nothing: a picker never shows an error."""
        try:
            catalog = (await self.data.refresh()).catalog
        except DatabaseUnavailable:
            loaded = self.data.loaded()
            if loaded is None:
                return []
            catalog = loaded.catalog
        return [Choice(str(found.agency.id), choice_text(found)) for found in catalog.suggest(text)]

    async def year_choices(self, viewer: Viewer) -> list[Choice]:
        """The evaluation years a viewer may pick, latest first (drafts for admins, marked)."""
        try:
            years = await self.data.years(viewer)
        except DatabaseUnavailable:  # the form still opens; the latest year is the default
            return []
        return [
            Choice(str(y.year), f"{y.year}년" + (" (초안)" if y.status == YearStatus.DRAFT else ""))
            for y in sorted(years, key=lambda y: y.year, reverse=True)
        ]

    async def card(self, agency_id: int, year: int | None, viewer: Viewer) -> Answer:
        """The agency card: every year's grade, the year's detail, the chart, the sources."""
        ctx = await self._context(viewer)
        return await answer_card(agency_id, year, ctx, self.data)

    async def card_safely(self, agency_id: int, year: int | None, viewer: Viewer) -> Answer:
        try:
            return await self.card(agency_id, year, viewer)
        except DatabaseUnavailable:
            return answer_unavailable("")

    async def follow(
        self, agency_id: int, channel: str, members: Membership, viewer: Viewer
    ) -> Answer:
        """The card's follow button: ``channel`` follows the agency (members and admins)."""
        try:
            ctx = await self._context(viewer)
            return await follow_agency(agency_id, channel, members, ctx, self.data.db)
        except DatabaseUnavailable:
            return answer_unavailable("")

    async def _context(self, viewer: Viewer) -> Context:
        catalog = (await self.data.refresh()).catalog
        return Context(catalog=catalog, years=tuple(await self.data.years(viewer)), viewer=viewer)
