"""'고성군 grade 2023?': the grade, its group, the change from the previous year, the
score when known, and the source."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.catalog import AgencyRef
from answers.context import Context, no_year_line, previous_year, unknown_year_line, wanted_years
from answers.data import DataAccess
from answers.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from answers.query import Lang, Query
from answers.results import results_by_agency
from answers.wording import (
    agency_name,
    change_text,
    draft_mark,
    grade_text,
    group_text,
    score_text,
    source_of,
    title_for,
)
from storage.views import ResultView

NO_RECORD: Message = (
    "*{name}* — {year}년 공개된 기록이 없습니다 (기록 있는 연도: {known}).",
    "*{name}* — no published record for {year} (years on record: {known}).",
)


async def answer_grade(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    years = wanted_years(query, ctx)
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    lines: list[str] = [] if years else [no_year_line(ctx, query.lang)]
    sources: list[Source] = []
    for year in years:
        if ctx.year(year) is None:
            lines.append(unknown_year_line(year, ctx, query.lang))
            continue
        for agency in agencies:
            line, source = grade_line(agency, year, by_agency.get(agency.id, {}), ctx, query.lang)
            lines.append(line)
            sources += [source] if source else []
    subject = agency_name(agencies[0], query.lang) if len(agencies) == 1 else ""
    return Answer(
        intent=query.intent,
        lang=query.lang,
        title=title_for(query.intent, query.lang, subject),
        lines=tuple(lines + asks),
        notes=tuple(ambiguity_note(query, ctx)),
        sources=unique_sources(sources),
        has_data=bool(sources),
    )


def grade_line(
    agency: AgencyRef, year: int, results: dict[int, ResultView], ctx: Context, lang: Lang
) -> tuple[str, Source | None]:
    """One agency in one year, or a plain 'no published record' (never assumed)."""
    name = agency_name(agency, lang)
    result = results.get(year)
    if result is None:
        known = ", ".join(str(y) for y in sorted(results)) or tr(lang, "없음", "none")
        return say(lang, NO_RECORD, name=name, year=year, known=known), None
    before = previous_year(year, ctx)
    parts = [
        tr(
            lang,
            f"*{name}* — {year}년 {grade_text(result, lang)}",
            f"*{name}* — {year}: {grade_text(result, lang)}",
        )
        + draft_mark(result, ctx, lang),
        group_text(result.grading_group, lang),
        change_text(result, results.get(before) if before else None, lang, before),
        score_text(result, lang),
    ]
    if result.published_name != agency.name:
        parts.append(
            tr(lang, f"당시 명칭 {result.published_name}", f"then named {result.published_name}")
        )
    line = " · ".join(part for part in parts if part)
    if result.note:
        line += tr(lang, f"\n  비고: {result.note}", f"\n  note: {result.note}")
    return line, source_of(result, agency, lang)
