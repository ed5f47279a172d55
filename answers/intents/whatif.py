"""'고성군 2023 만족도 +5점이면?': the engine's recomputed total, rank and grade of one agency
with everyone else in its group fixed — from stored score data only, labelled as computed
(and as simulated when the data is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from answers.answer import Answer, Message, Source, say, tr
from answers.data import DataAccess
from answers.intents.results import results_by_agency
from answers.intents.scored import (
    LOAD_HINT,
    NO_AGENCY_SCORES,
    answer,
    ask_for_agency,
    group_label,
    item_name,
    no_data_line,
    partial_note,
    points,
    rules_for,
    score_sources,
    year_scores,
    years_to_compute,
    years_with_scores,
)
from answers.presentation.wording import agency_name, grade_text, source_of
from answers.query import Lang, Query, ScoreChange
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context
from answers.understanding.mentions import ambiguity_note, resolve_mentions
from domain.items import ITEMS, TOTAL
from storage.scores import YearScores
from storage.views import ResultView

if TYPE_CHECKING:
    from scoring import Limit

EXAMPLE_KO = "`고성군 2023 만족도 +5점이면?` · `경남 고성군 2023 만족도 5점 오르면`"
EXAMPLE_EN = "`what if goseong satisfaction +5 2023`"
WHICH_CHANGE: Message = ("몇 점을 바꿀까요?", "Which change?")
SAY_CHANGE: Message = (
    "어느 항목을 몇 점 바꿀지 적어 주세요 (항목: {items}). 예: " + EXAMPLE_KO,
    "Say which item changes by how many points (items: {items}). E.g. " + EXAMPLE_EN,
)
HEAD: Message = ("*{name}* — {year}년 {group}", "*{name}* — {year}, {group}")
CANNOT_COMPUTE: Message = (
    " · {changes}: 이 기관의 점수표로는 계산할 수 없습니다 (항목 점수가 빠졌거나 그해에 없는 항목).",
    " · {changes}: cannot be computed from this agency's scores (an item is missing or not graded that year).",
)
LIMITS: dict[str, Message] = {
    "floor": (
        "↳ {item}: 0점 아래로 내려갈 수 없어 {asked}점 대신 {applied}점만 반영했습니다 (→ 0점).",
        "↳ {item}: an item cannot fall below 0, so {applied} points were applied instead of {asked} (→ 0).",
    ),
    "item_max": (
        "↳ {item}: 이 항목은 최대 {bound}점이라 {asked}점 대신 {applied}점만 반영했습니다.",
        "↳ {item}: the item holds at most {bound} points, so {applied} were applied instead of {asked}.",
    ),
    "total_max": (
        "↳ {item}: 합계가 {bound}점을 넘을 수 없어 {asked}점 대신 {applied}점만 반영했습니다.",
        "↳ {item}: the total cannot pass {bound} points, so {applied} were applied instead of {asked}.",
    ),
}
CHANGES: Message = (" (점수표 {n}곳) · {changes}", " ({n} agencies in the score data) · {changes}")
OUTCOME: Message = (
    "합계 {old_total} → *{new_total}* · 순위 {old_rank}위 → *{new_rank}위* ({n}곳 중) · 등급 {old_grade} → *{new_grade}* (계산값)",
    "total {old_total} → *{new_total}* · rank {old_rank} → *{new_rank}* of {n} · grade {old_grade} → *{new_grade}* (computed)",
)
OFFICIAL: Message = (
    "참고: {year}년 공식 발표 등급은 {grade}입니다.",
    "For reference: the official {year} grade is {grade}.",
)
OFFICIAL_TOTAL: Message = (
    "참고: {year}년 공식 합계는 {score}점이라 {change}점이면 {total}점이 되지만, 순위와 등급은 같은 평가군 다른 기관의 점수가 있어야 계산할 수 있습니다.",
    "For reference: the official {year} total is {score}, so {change} makes {total}; the rank and grade need the scores of the rest of its group.",
)
ITEM_GRADE: Message = (
    "*{name}* — {items} {grade} 등급을 받았다고 해도 종합 등급은 다시 계산할 수 없습니다: 종합 등급은 항목 점수를 더한 합계로 평가군 안 순위를 매겨 정하므로, 항목 등급이 아니라 항목별 점수가 든 점수표가 있어야 합니다 ({hint}).",
    "*{name}* — a {grade} in {items} does not say what the overall grade would be: grades come from the total of the item scores, ranked within the group, so it takes a score sheet with item scores, not item grades ({hint}).",
)
LATEST_OFFICIAL: Message = (
    "참고: 기록된 최근 공식 등급은 {year}년 {grade}입니다.",
    "For reference: its latest official grade on record is {grade} ({year}).",
)


async def answer_whatif(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return ask_for_agency(query, asks)
    lang = query.lang
    if not query.changes and query.grades and query.items:
        # '광양시 고충민원 가 받았다 치면': an item grade is no score to recompute from
        return await _item_grade_answer(query, agencies, ctx, data)
    if not query.changes:
        return Answer(
            intent=query.intent,
            lang=lang,
            title=say(lang, WHICH_CHANGE),
            lines=(say(lang, SAY_CHANGE, items=", ".join(ITEMS)),),
            notes=tuple(ambiguity_note(query, ctx)),
        )
    years, year_note = await years_to_compute(query, ctx, data)
    official = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    scored = await years_with_scores(data, ctx.viewer)
    lines: list[str] = []
    used: list[YearScores] = []
    partial: list[str] = []
    sources: list[Source] = []
    computed = False
    for year in years:
        scores = await year_scores(data, year, ctx.viewer)
        for agency in agencies:
            result = official.get(agency.id, {}).get(year)
            line, ok = _one(agency, year, scores, query.changes, result, lang, scored)
            lines.append(line)
            totals = any(change.item == TOTAL for change in query.changes)
            if not ok and totals and result is not None and result.score is not None:
                sources.append(source_of(result, agency, lang))  # the published total cited
            if ok and scores is not None:
                computed = True
                used.append(scores)
                group = _group_of(scores, agency)
                note = partial_note(scores, group, lang) if group else None
                partial += [note] if note else []
                if result is not None:
                    sources.append(source_of(result, agency, lang))
    subject = agency_name(agencies[0], lang) if len(agencies) == 1 else ""
    return answer(
        query,
        subject=subject,
        ko="가정 계산",
        en="what-if",
        lines=lines + asks,
        used=list({s.year: s for s in used}.values()),
        partial=partial,
        extra_notes=ambiguity_note(query, ctx) + ([year_note] if year_note else []),
        sources=score_sources(used, lang) + sources,
        has_data=computed,
    )


async def _item_grade_answer(
    query: Query, agencies: list[AgencyRef], ctx: Context, data: DataAccess
) -> Answer:
    """A what-if with an item grade instead of points: why it cannot be recomputed, how to
    load what it would take, and the latest official grade for reference."""
    lang = query.lang
    official = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    items = ", ".join(item_name(item, lang) for item in query.items)
    lines: list[str] = []
    sources: list[Source] = []
    for agency in agencies:
        name = agency_name(agency, lang)
        grade = "·".join(query.grades)
        lines.append(say(lang, ITEM_GRADE, name=name, items=items, grade=grade, hint=LOAD_HINT))
        results = official.get(agency.id, {})
        if results:
            year = max(results)
            lines.append(
                say(lang, LATEST_OFFICIAL, year=year, grade=grade_text(results[year], lang))
            )
            sources.append(source_of(results[year], agency, lang))
    subject = agency_name(agencies[0], lang) if len(agencies) == 1 else ""
    return answer(
        query,
        subject=subject,
        ko="가정 계산",
        en="what-if",
        lines=lines,
        used=[],
        partial=[],
        extra_notes=ambiguity_note(query, ctx),
        sources=sources,
        has_data=False,
    )


def _limit_line(limit: Limit, lang: Lang) -> str:
    """Say how a change was cut to what the item can hold."""
    return say(
        lang,
        LIMITS[limit.reason],
        item=item_name(limit.item, lang),
        asked=f"{round(limit.asked, 2):+g}",
        applied=f"{round(limit.applied, 2):+g}",
        bound=points(limit.bound),
    )


def _official_total(result: ResultView, change: float, lang: Lang) -> str:
    """The published total plus the change: plain arithmetic on a published figure, never a
    rank or a grade."""
    score = result.score or 0.0
    total = min(max(score + change, 0.0), 100.0)
    return say(
        lang,
        OFFICIAL_TOTAL,
        year=result.year,
        score=points(score),
        change=f"{change:+g}",
        total=points(total),
    )


def _group_of(scores: YearScores, agency: AgencyRef) -> str | None:
    rows = scores.frame[scores.frame["agency_id"] == agency.id]
    return str(rows["group"].iloc[0]) if len(rows) else None


def _one(
    agency: AgencyRef,
    year: int,
    scores: YearScores | None,
    changes: tuple[ScoreChange, ...],
    result: ResultView | None,
    lang: Lang,
    scored: list[int],
) -> tuple[str, bool]:
    """One agency in one year: the before/after line, or why there is none."""
    from scoring import ScoringError, limit_changes, limit_total, what_if

    name = agency_name(agency, lang)
    group = _group_of(scores, agency) if scores is not None else None
    total_change = sum(c.amount for c in changes if c.item == TOTAL)
    if scores is None or group is None:
        if scores is not None:  # the year has scores, but not this agency's
            line = say(lang, NO_AGENCY_SCORES, name=name, year=year, hint=LOAD_HINT)
        else:
            line = f"*{name}* — " + no_data_line(year, agency.group, lang, scored)
        if total_change and result is not None and result.score is not None:
            line += "\n" + _official_total(result, total_change, lang)
        return line, False
    rules = rules_for(year)
    row = scores.frame[scores.frame["agency_id"] == agency.id].iloc[0]
    deltas: dict[str, float] = {}
    described: list[str] = []
    for change in changes:
        if change.item == TOTAL:  # the total itself: no item holds it
            described.append(f"{item_name(TOTAL, lang)} {change.amount:+g}{tr(lang, '점', ' pts')}")
            continue
        current = float(row[change.item]) if change.item in row.index else float("nan")
        delta = change.amount - current if change.absolute else change.amount
        deltas[change.item] = deltas.get(change.item, 0.0) + delta
        label = item_name(change.item, lang)
        if change.absolute:
            described.append(
                f"{label} {points(current)} → {points(change.amount)}{tr(lang, '점', '')}"
            )
        else:
            described.append(f"{label} {change.amount:+g}{tr(lang, '점', ' pts')}")
    head = say(lang, HEAD, name=name, year=year, group=group_label(group, lang))
    try:
        limited = limit_changes(scores.frame, agency.id, deltas, rules)
        total, total_limit = limit_total(scores.frame, agency.id, total_change, rules, name=TOTAL)
        outcome = what_if(scores.frame, agency.id, limited.changes, rules, total_change=total)
    except ScoringError:  # an item the year does not have, an agency the engine cannot grade
        return head + say(lang, CANNOT_COMPUTE, changes=", ".join(described)), False
    n = outcome.group_size
    limits = [*limited.limits, *([total_limit] if total_limit else [])]
    lines = [
        head + say(lang, CHANGES, n=n, changes=", ".join(described)),
        *(_limit_line(limit, lang) for limit in limits),
        say(
            lang,
            OUTCOME,
            old_total=points(outcome.old_total),
            new_total=points(outcome.new_total),
            old_rank=outcome.old_rank,
            new_rank=outcome.new_rank,
            n=n,
            old_grade=outcome.old_grade,
            new_grade=outcome.new_grade,
        ),
    ]
    if result is not None:
        lines.append(say(lang, OFFICIAL, year=year, grade=grade_text(result, lang)))
    return "\n".join(lines), True
