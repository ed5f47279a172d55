"""'김해시 등급이 떨어진 이유는?', 'why did goseong drop': the last recorded change.

The bot knows results, not reasons: it shows the last change between two consecutive
evaluation years on one scale, the item grades of both years where they were published,
and says plainly when they were not.
"""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import results_by_agency
from answers.presentation.wording import agency_name, source_of
from answers.query import Intent, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, previous_year
from answers.understanding.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from domain.grades import GradeMove, grade_move
from domain.items import ITEM_EN, ITEM_FULL_NAMES, ITEMS
from storage.views import ResultView

TITLE: Message = ("등급 변화와 그 내역", "What changed, and what is on record")
CHANGE: Message = (
    "*{name}* — {before_year}년 *{before}* → {year}년 *{after}* {arrow} (기록된 마지막 변화)",
    "*{name}* — {before_year} *{before}* → {year} *{after}* {arrow} (the last recorded change)",
)
NO_CHANGE: Message = (
    "*{name}* — 기록된 연속 두 평가 연도 사이에 {what} 적이 없습니다 (기록: {known}).",
    "*{name}* — no {what} between two consecutive evaluation years on record (records: {known}).",
)
NO_RECORD: Message = (
    "*{name}* — 공개된 기록이 없습니다.",
    "*{name}* — no published record.",
)
ITEMS_BOTH: Message = (
    "항목별 등급 ({before_year} → {year}):",
    "Item grades ({before_year} → {year}):",
)
ITEMS_MISSING: Message = (
    "{years}년 항목별 등급은 공개되지 않아, 어느 항목이 움직였는지는 자료로 말할 수 없습니다.",
    "Item grades were not published for {years}, so which items moved cannot be told from the record.",
)
NO_REASON: Message = (
    "등급이 바뀐 이유는 공개된 결과에 적혀 있지 않습니다. 평가는 같은 평가군 안의 상대평가라 다른 기관의 점수에도 좌우됩니다.",
    "The published results give no reason for a change. Grades are relative within the grading group, so other agencies' scores matter too.",
)
MOVES: dict[str | None, Message] = {
    "down": ("떨어진", "drop"),
    "up": ("오른", "rise"),
    None: ("바뀐", "change"),
}


async def answer_why(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    lang = query.lang
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    end = max(query.years) if query.years else ctx.latest
    lines: list[str] = []
    sources: list[Source] = []
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        pair = last_change(results, ctx, end, query.direction)
        lines.append(_change_lines(agency, results, pair, query, lang))
        if pair:
            sources += [source_of(results[y], agency, lang) for y in pair]
    if sources:
        lines.append(say(lang, NO_REASON))
    return Answer(
        intent=Intent.WHY,
        lang=lang,
        title=say(lang, TITLE),
        lines=tuple(lines + asks),
        notes=tuple(ambiguity_note(query, ctx)),
        sources=unique_sources(sources),
        has_data=bool(sources),
    )


def last_change(
    results: dict[int, ResultView], ctx: Context, end: int | None, direction: str | None
) -> tuple[int, int] | None:
    """The latest (previous year, year) pair, both on record and on one scale, where the
    grade moved the asked way (any way when none was asked)."""
    for year in sorted((y for y in results if end is None or y <= end), reverse=True):
        before = previous_year(year, ctx)
        if before is None or before not in results:
            continue
        move = _move(results[before], results[year])
        if move is None or move.steps == 0:
            continue
        if direction is None or (move.steps < 0) == (direction == "down"):
            return before, year
    return None


def _move(before: ResultView, after: ResultView) -> GradeMove | None:
    return grade_move(before.scale, before.grade, after.scale, after.grade)


def _change_lines(
    agency: AgencyRef,
    results: dict[int, ResultView],
    pair: tuple[int, int] | None,
    query: Query,
    lang: Lang,
) -> str:
    name = agency_name(agency, lang)
    if not results:
        return say(lang, NO_RECORD, name=name)
    if pair is None:
        known = ", ".join(map(str, sorted(results)))
        what = tr(lang, *MOVES.get(query.direction, MOVES[None]))
        return say(lang, NO_CHANGE, name=name, what=what, known=known)
    before_year, year = pair
    before, after = results[before_year], results[year]
    move = _move(before, after)
    head = say(
        lang,
        CHANGE,
        name=name,
        before_year=before_year,
        before=before.grade,
        year=year,
        after=after.grade,
        arrow=move.arrow if move else "",
    )
    return head + "\n" + _items(before, after, lang)


def _items(before: ResultView, after: ResultView, lang: Lang) -> str:
    """Item grades of both years side by side ('-' where a year's were not published)."""
    old, new = before.item_grades or {}, after.item_grades or {}
    missing = [r.year for r in (before, after) if not r.item_grades]
    unpublished = say(lang, ITEMS_MISSING, years=", ".join(map(str, missing)))
    if len(missing) == 2:
        return unpublished
    cells = []
    for item in ITEMS:
        if item in old or item in new:
            label = ITEM_FULL_NAMES[item] if lang is Lang.KO else ITEM_EN[item]
            cells.append(f"• {label}: {old.get(item, '-')} → {new.get(item, '-')}")
    head = say(lang, ITEMS_BOTH, before_year=before.year, year=after.year)
    return "\n".join([head, *cells, *([unpublished] if missing else [])])
