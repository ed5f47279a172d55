"""'고성군 2023 만족도 +5점이면?': the engine's recomputed total, rank and grade of one agency
with everyone else in its group fixed — from stored score data only, labelled as computed
(and as simulated when the data is)."""

from __future__ import annotations

from answers.answer import Answer, Source, tr
from answers.catalog import AgencyRef
from answers.context import Context
from answers.data import DataAccess
from answers.mentions import ambiguity_note, resolve_mentions
from answers.query import Lang, Query, ScoreChange
from answers.results import results_by_agency
from answers.scored import (
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
from answers.wording import agency_name, grade_text, source_of
from domain.items import ITEMS
from storage.scores import YearScores
from storage.views import ResultView

EXAMPLE_KO = "`고성군 2023 만족도 +5점이면?` · `경남 고성군 2023 만족도 5점 오르면`"
EXAMPLE_EN = "`what if goseong satisfaction +5 2023`"


async def answer_whatif(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return ask_for_agency(query, asks)
    lang = query.lang
    if not query.changes:
        items = ", ".join(ITEMS)
        return Answer(intent=query.intent, lang=lang,
                      title=tr(lang, "몇 점을 바꿀까요?", "Which change?"),
                      lines=(tr(lang, f"어느 항목을 몇 점 바꿀지 적어 주세요 (항목: {items}). 예: {EXAMPLE_KO}",
                                f"Say which item changes by how many points (items: {items}). E.g. {EXAMPLE_EN}"),),
                      notes=tuple(ambiguity_note(query, ctx)))  # fmt: skip
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
        query, subject=subject, ko="가정 계산", en="what-if", lines=lines + asks,
        used=list({s.year: s for s in used}.values()), partial=partial,
        extra_notes=ambiguity_note(query, ctx) + ([year_note] if year_note else []),
        sources=score_sources(used, lang) + sources, has_data=computed,
    )  # fmt: skip


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
    from scoring import ScoringError, what_if

    name = agency_name(agency, lang)
    group = _group_of(scores, agency) if scores is not None else None
    if scores is None or group is None:
        if scores is not None:  # the year has scores, but not this agency's
            return tr(lang, f"*{name}* — {year}년 점수표에 이 기관의 점수가 없어 계산할 수 없습니다. {_load()}",
                      f"*{name}* — the {year} score data has no scores for this agency, so there is nothing to compute. {_load()}"), False  # fmt: skip
        return f"*{name}* — " + no_data_line(year, agency.group, lang, scored), False
    rules = rules_for(year)
    row = scores.frame[scores.frame["agency_id"] == agency.id].iloc[0]
    deltas: dict[str, float] = {}
    described: list[str] = []
    for change in changes:
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
    head = tr(lang, f"*{name}* — {year}년 {group_label(group, lang)}",
              f"*{name}* — {year}, {group_label(group, lang)}")  # fmt: skip
    try:
        outcome = what_if(scores.frame, agency.id, deltas, rules)
    except ScoringError as exc:  # an item below 0, an item the year does not have
        return head + tr(lang, f" · {', '.join(described)}: 계산할 수 없습니다 ({exc}).",
                         f" · {', '.join(described)}: cannot be computed ({exc})."), False  # fmt: skip
    n = outcome.group_size
    lines = [
        head + tr(lang, f" (점수표 {n}곳) · {', '.join(described)}", f" ({n} agencies in the score data) · {', '.join(described)}"),
        tr(lang,
           f"합계 {points(outcome.old_total)} → *{points(outcome.new_total)}* · 순위 {outcome.old_rank}위 → *{outcome.new_rank}위* ({n}곳 중) · 등급 {outcome.old_grade} → *{outcome.new_grade}* (계산값)",
           f"total {points(outcome.old_total)} → *{points(outcome.new_total)}* · rank {outcome.old_rank} → *{outcome.new_rank}* of {n} · grade {outcome.old_grade} → *{outcome.new_grade}* (computed)"),
    ]  # fmt: skip
    if result is not None:
        lines.append(tr(lang, f"참고: {year}년 공식 발표 등급은 {grade_text(result, lang)}입니다.",
                        f"For reference: the official {year} grade is {grade_text(result, lang)}."))  # fmt: skip
    return "\n".join(lines), True


def _load() -> str:
    return "`minwon-bot ingest 점수표.csv`"
