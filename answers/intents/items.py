"""'경남 고성군 2023 항목별': the five item grades and the score, where published."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import results_by_agency
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
from domain.items import ITEM_EN, ITEM_FULL_NAMES, ITEMS
from storage.views import ResultView

NO_RECORD_AT_ALL: Message = (
    "*{name}* — 공개된 기록이 없습니다.",
    "*{name}* — no published record.",
)
NEVER_ITEMIZED: Message = (
    "*{name}* — 항목별 등급은 공개된 적이 없습니다. 최근 기록된 종합 등급: {year}년 *{grade}*.",
    "*{name}* — item grades were never published for it. Its latest overall grade on record: *{grade}* ({year}).",
)
LATER_WITHOUT_ITEMS: Message = (
    "\n(항목별 등급이 공개된 가장 최근 해입니다. {years}년은 종합 등급만 있습니다.)",
    "\n(The latest year with item grades; {years} has only the overall grade.)",
)
ITEM_SCORES: Message = (
    "항목별 점수는 공개되지 않습니다: 공개 자료에 있는 것은 항목별 등급(일부 기관·연도)과 종합 점수(일부)뿐입니다.",
    "Item scores are not published: the public record holds item grades (for some agencies and years) and some overall scores only.",
)
ITEM_ROWS = tuple((item, ITEM_FULL_NAMES[item], ITEM_EN[item]) for item in ITEMS)


async def answer_items(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    lang = query.lang
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    sources: list[Source] = []
    if not _named_years(query, ctx):  # '김해시 만족도': the latest year whose items are known
        latest = [_latest_items(a, by_agency.get(a.id, {}), lang, sources) for a in agencies]
        return _answer(query, agencies, latest + asks, sources, ctx)
    years = wanted_years(query, ctx)
    used = year_used_line(query, ctx)
    lines: list[str] = [used] if used else [] if years else [no_year_line(ctx, lang)]
    for year in years:
        if ctx.year(year) is None:
            lines.append(unknown_year_line(year, ctx, lang))
            continue
        for agency in agencies:
            result = by_agency.get(agency.id, {}).get(year)
            name = agency_name(agency, lang)
            if result is None:
                lines.append(
                    tr(
                        lang,
                        f"*{name}* — {year}년 공개된 기록이 없습니다.",
                        f"*{name}* — no published record for {year}.",
                    )
                )
                continue
            sources.append(source_of(result, agency, lang))
            lines.append(
                _items_line(
                    name,
                    year,
                    result.grade,
                    result.item_grades or {},
                    lang,
                    score_text(result, lang),
                )
            )
    return _answer(query, agencies, lines + asks, sources, ctx)


def _answer(
    query: Query, agencies: list[AgencyRef], lines: list[str], sources: list[Source], ctx: Context
) -> Answer:
    lang = query.lang
    if query.asks is Asks.SCORE:  # '항목별 점수': say first that none are published
        lines = [say(lang, ITEM_SCORES), *lines]
    return Answer(
        intent=query.intent,
        lang=lang,
        title=title_for(
            query.intent, lang, agency_name(agencies[0], lang) if len(agencies) == 1 else ""
        ),
        lines=tuple(lines),
        notes=tuple(ambiguity_note(query, ctx)),
        sources=unique_sources(sources),
        has_data=bool(sources),
    )


def _named_years(query: Query, ctx: Context) -> bool:
    spans = span_years(query, ctx) is not None
    return query.dated or bool(spans)


def _latest_items(
    agency: AgencyRef, results: dict[int, ResultView], lang: Lang, sources: list[Source]
) -> str:
    """The latest year with item grades; where none were ever published, say so and give
    the latest grade instead (never 'no record' for a year that was not asked)."""
    name = agency_name(agency, lang)
    itemized = [year for year, result in sorted(results.items()) if result.item_grades]
    if not results:
        return say(lang, NO_RECORD_AT_ALL, name=name)
    year = itemized[-1] if itemized else max(results)
    result = results[year]
    sources.append(source_of(result, agency, lang))
    if not itemized:
        return say(lang, NEVER_ITEMIZED, name=name, year=year, grade=result.grade)
    line = _items_line(
        name, year, result.grade, result.item_grades or {}, lang, score_text(result, lang)
    )
    later = [y for y in results if y > year]
    return line + (
        say(lang, LATER_WITHOUT_ITEMS, years=", ".join(map(str, later))) if later else ""
    )


def _items_line(
    name: str, year: int, grade: str, items: dict[str, str], lang: Lang, score: str
) -> str:
    head = (
        f"*{name}* — {year}"
        + ("년" if lang == "ko" else "")
        + f" {tr_total(lang)} *{grade}*"
        + (f" · {score}" if score else "")
    )
    if not items:
        return (
            head
            + "\n"
            + tr(lang, "항목별 등급은 공개되지 않았습니다.", "Item grades were not published.")
        )
    cells = [
        f"{ko if lang == 'ko' else en}: *{items[key]}*"
        if key in items
        else f"{ko if lang == 'ko' else en}: -"
        for key, ko, en in ITEM_ROWS
    ]
    missing = [ko for key, ko, _ in ITEM_ROWS if key not in items]
    tail = ""
    if missing:
        tail = "\n" + tr(lang, "(- 표시는 공개되지 않은 항목)", "(- marks items not published)")
    return head + "\n" + "\n".join(f"• {c}" for c in cells) + tail


def tr_total(lang: Lang) -> str:
    return tr(lang, "종합", "overall")
