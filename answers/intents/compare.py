"""'고성군 vs 통영시 2023': agencies side by side, year by year."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, Table, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import grade_chart, results_by_agency
from answers.presentation.wording import agency_name, score_text, source_of, title_for
from answers.query import Asks, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import (
    Context,
    no_year_line,
    span_years,
    unknown_year_line,
    wanted_years,
    year_used_line,
)
from answers.understanding.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from storage.views import ResultView

RECENT_YEARS = 3
NO_SCORE: Message = ("점수 미공개", "no score published")
COMMON_YEARS: Message = (
    "최근 {latest}년에는 {names}의 기록이 빠져 있어, 모두 기록이 있는 최근 해({span})를 비교합니다.",
    "Records of {names} are missing in {latest}, so this compares the latest years all have one ({span}).",
)
ANY_YEARS: Message = (
    "최근 {latest}년에는 {names}의 기록이 빠져 있고 모두 기록이 있는 해도 없어, 기록이 있는 최근 해({span})를 보여 줍니다.",
    "Records of {names} are missing in {latest} and no year holds a record for all, so this shows the latest years with one ({span}).",
)


async def answer_compare(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    lang = query.lang
    wanted = _years(query, ctx)
    used = year_used_line(query, ctx) if query.relative_year is not None else None
    lines = [used] if used else []
    if _unasked(query, ctx) and len(agencies) > 1:
        # '김해시 양산시 비교': the latest years both have a record, not three empty rows
        wanted, common_line = _common_years(agencies, by_agency, wanted, ctx, lang)
        lines += [common_line] if common_line else []
    lines += [unknown_year_line(y, ctx, lang) for y in wanted if ctx.year(y) is None]
    lines += [] if wanted else [no_year_line(ctx, lang)]
    years = [y for y in wanted if ctx.year(y)]
    sources: list[Source] = []
    for year in years:
        cells = []
        for agency in agencies:
            result = by_agency.get(agency.id, {}).get(year)
            grade = f"*{result.grade}*" if result else tr(lang, "기록 없음", "no record")
            if result and query.asks is Asks.SCORE:  # '광양시랑 시흥시 2025 점수 비교'
                grade += f" · {score_text(result, lang) or say(lang, NO_SCORE)}"
            cells.append(f"{agency_name(agency, lang)} {grade}")
            sources += [source_of(result, agency, lang)] if result else []
        lines.append(f"{year}: " + " | ".join(cells))
    rows = tuple(
        (
            str(year),
            *(r.grade if (r := by_agency.get(a.id, {}).get(year)) else "-" for a in agencies),
        )
        for year in years
    )
    if len(agencies) < 2 and len(years) < 2:  # one agency over several years compares too
        asks.append(
            tr(
                lang,
                "비교하려면 기관을 둘 이상 적어 주세요.",
                "Name two or more agencies to compare.",
            )
        )
    return Answer(
        intent=query.intent,
        lang=lang,
        title=title_for(query.intent, lang, ""),
        lines=tuple(lines + asks),
        notes=tuple(ambiguity_note(query, ctx)),
        table=Table(header=(tr(lang, "연도", "year"), *(a.label() for a in agencies)), rows=rows),
        sources=unique_sources(sources),
        has_data=bool(sources),
        chart=grade_chart(
            agencies, by_agency, [y.year for y in ctx.years], title_for(query.intent, lang, "")
        )
        if len(agencies) > 1
        else None,
    )


def _unasked(query: Query, ctx: Context) -> bool:
    """No year, span or range was asked: the comparison chooses its years."""
    return not query.dated and span_years(query, ctx) is None


def _common_years(
    agencies: list[AgencyRef],
    by_agency: dict[int, dict[int, ResultView]],
    latest: list[int],
    ctx: Context,
    lang: Lang,
) -> tuple[list[int], str | None]:
    """The latest years every agency has a record in (else the latest years any has one),
    and a line saying why they are not the latest evaluation years."""
    known = [y.year for y in ctx.years]
    both = [y for y in known if all(y in by_agency.get(a.id, {}) for a in agencies)]
    chosen = (
        both[-RECENT_YEARS:]
        or [y for y in known if any(y in by_agency.get(a.id, {}) for a in agencies)][-RECENT_YEARS:]
    )
    if not chosen or chosen == latest:
        return latest, None
    missing = [a for a in agencies if not set(latest) <= set(by_agency.get(a.id, {}))]
    names = ", ".join(agency_name(a, lang) for a in missing)
    span = f"{chosen[0]}–{chosen[-1]}" if len(chosen) > 1 else str(chosen[0])
    message = COMMON_YEARS if both else ANY_YEARS
    return chosen, say(lang, message, latest=f"{latest[0]}–{latest[-1]}", names=names, span=span)


def _years(query: Query, ctx: Context) -> list[int]:
    known = [y.year for y in ctx.years]
    span = span_years(query, ctx)  # '최근 3년', '2020년 이후'
    if span is not None:
        return span
    if query.year_range:
        start, end = query.year_range
        return [y for y in known if start <= y <= end]
    if query.years:
        return list(query.years)
    if query.relative_year is not None:
        return wanted_years(query, ctx)
    return known[-RECENT_YEARS:]
