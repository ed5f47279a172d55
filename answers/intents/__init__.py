"""One module per intent, and the one dispatch from an intent to the function answering it
(the question path reads only: subscriptions and admin work are answers/operations/)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from answers.answer import Answer
from answers.data import DataAccess
from answers.intents.compare import answer_compare
from answers.intents.coverage import answer_coverage
from answers.intents.cutoff import answer_cutoff
from answers.intents.grade import answer_grade
from answers.intents.help import answer_greeting, answer_out_of_scope
from answers.intents.history import answer_history
from answers.intents.items import answer_items
from answers.intents.listing import answer_list
from answers.intents.sources import answer_sources
from answers.intents.streak import answer_streak
from answers.intents.whatif import answer_whatif
from answers.intents.why import answer_why
from answers.query import Intent, Query
from answers.understanding.catalog import Catalog
from answers.understanding.context import Context

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
    Intent.SOURCES: answer_sources,
}
SIMPLE_ANSWERS: dict[Intent, Callable[[Query, Catalog], Answer]] = {
    Intent.GREETING: answer_greeting,
    Intent.OUT_OF_SCOPE: answer_out_of_scope,
}
