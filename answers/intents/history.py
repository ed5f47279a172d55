"""'김해시 등급 추이': every year's grade, gaps shown as gaps, and the trend."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, Table, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import grade_chart, results_by_agency, trend_line
from answers.presentation.wording import agency_name, source_of, title_for
from answers.query import Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, previous_year, span_years
from answers.understanding.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from domain.grades import grade_label
from storage.views import ResultView

YEARS_AT: Message = ("{grade} 등급을 받은 해: {years}", "Years at {grade}: {years}")
NEVER_AT: Message = (
    "기록된 해 가운데 {grade} 등급을 받은 해는 없습니다.",
    "No recorded year at {grade}.",
)


async def answer_history(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    years = _years(query, ctx)
    lines: list[str] = []
    sources: list[Source] = []
    rows = []
    for agency in agencies:
        results = {y: r for y, r in by_agency.get(agency.id, {}).items() if y in years}
        lines.append(_history_line(agency, results, years, query.lang))
        lines += [_years_at(results, grade, query.lang) for grade in query.grades if results]
        sources += [source_of(r, agency, query.lang) for r in results.values()]
        rows.append((agency.label(), *(results[y].grade if y in results else "-" for y in years)))
    subject = agency_name(agencies[0], query.lang) if len(agencies) == 1 else ""
    return Answer(
        intent=query.intent,
        lang=query.lang,
        title=title_for(query.intent, query.lang, subject),
        lines=tuple(lines + asks),
        notes=tuple(ambiguity_note(query, ctx)),
        table=Table(header=(tr(query.lang, "기관", "agency"), *map(str, years)), rows=tuple(rows)),
        sources=unique_sources(sources),
        has_data=bool(sources),
        chart=grade_chart(agencies, by_agency, years, title_for(query.intent, query.lang, subject)),
    )


def _years(query: Query, ctx: Context) -> list[int]:
    """A span or range as asked; one year ('의성군 2024 등급 변화') is the change from the
    previous evaluation year; otherwise every year on record."""
    years = [y.year for y in ctx.years]
    span = span_years(query, ctx)
    if span is not None:
        return span
    if query.year_range:
        start, end = query.year_range
        return [y for y in years if start <= y <= end]
    asked = [y for y in years if y in query.years]
    if len(asked) == 1:
        before = previous_year(asked[0], ctx)
        return [before, asked[0]] if before else asked
    return asked or years


def _years_at(results: dict[int, ResultView], grade: str, lang: Lang) -> str:
    """'의성군은 가등급 받은 적 있어?': the years at that grade (its name counts too)."""
    years = [
        y for y, r in sorted(results.items()) if grade in (r.grade, grade_label(r.scale, r.grade))
    ]
    if not years:
        return say(lang, NEVER_AT, grade=grade)
    return say(lang, YEARS_AT, grade=grade, years=", ".join(map(str, years)))


def _history_line(
    agency: AgencyRef, results: dict[int, ResultView], years: list[int], lang: Lang
) -> str:
    name = agency_name(agency, lang)
    if not results:
        return tr(lang, f"*{name}* — 공개된 기록이 없습니다.", f"*{name}* — no published record.")
    cells = [
        f"{y} *{results[y].grade}*" if y in results else f"{y} {tr(lang, '기록 없음', 'no record')}"
        for y in years
    ]
    return f"*{name}*\n" + " · ".join(cells) + "\n" + trend_line(results, years, lang)
