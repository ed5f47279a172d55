"""The agency card (the finder's answer): one agency at a glance. Every evaluation year it
was in, its grade or a named gap ("기록 없음"); the chosen year's grade with its group, change
and score; the last recorded change; that year's item grades where published; the chart of
its grades; every source as a link."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.grade import grade_line
from answers.intents.results import grade_chart, results_by_agency, trend_line
from answers.intents.why import last_change
from answers.presentation.wording import agency_name, source_of
from answers.query import Intent, Lang
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, unknown_year_line
from domain.grades import grade_move
from domain.items import ITEM_EN, ITEMS
from storage.views import ResultView

TITLE: Message = ("{name} · 기관 카드", "{name} · agency card")
NOT_FOUND: Message = (
    "그 기관을 찾지 못했습니다. 다시 골라 주세요.",
    "That agency could not be found. Please pick it again.",
)
NO_RECORD_AT_ALL: Message = (
    "공개된 평가 기록이 없습니다 (평가 대상 연도: {years}).",
    "No published record (evaluation years: {years}).",
)
YEARS: Message = ("*연도별 등급*", "*Grades by year*")
LAST_CHANGE: Message = (
    "*최근 변화*: {before_year}년 {before} → {year}년 {after} {arrow}",
    "*Latest change*: {before_year} {before} → {year} {after} {arrow}",
)
NO_CHANGE: Message = (
    "*최근 변화*: 연속된 두 평가 연도 사이에 기록된 등급 변화가 없습니다.",
    "*Latest change*: no change recorded between two consecutive evaluation years.",
)
ITEMS_OF: Message = ("*{year}년 항목별 등급*: {cells}", "*{year} item grades*: {cells}")
ITEMS_UNPUBLISHED: Message = (
    "{year}년 항목별 등급은 공개되지 않았습니다.",
    "The {year} item grades were not published.",
)
NO_GRADE: Message = ("기록 없음", "no record")


async def answer_card(
    agency_id: int, year: int | None, ctx: Context, data: DataAccess, lang: Lang = Lang.KO
) -> Answer:
    """The card of the agency ``agency_id``, centred on ``year`` (the latest published
    year when None)."""
    agency = ctx.catalog.agencies.get(agency_id)
    if agency is None:
        return Answer(Intent.CARD, lang, say(lang, TITLE, name="?"), (say(lang, NOT_FOUND),))
    results = results_by_agency(await data.results_for([agency_id], ctx.viewer)).get(agency_id, {})
    years = [y.year for y in ctx.years if agency.evaluated_in(y.year)]
    focus = year or ctx.latest or (years[-1] if years else None)
    lines = [_focus_line(agency, focus, results, ctx, lang)] if focus else []
    lines += _record_lines(agency, results, years, ctx, focus, lang)
    title = say(lang, TITLE, name=agency_name(agency, lang))
    sources: list[Source] = [source_of(results[y], agency, lang) for y in sorted(results)]
    return Answer(
        intent=Intent.CARD,
        lang=lang,
        title=title,
        lines=tuple(line for line in lines if line),
        sources=unique_sources(sources[::-1]),  # the latest year's source first
        has_data=bool(results),
        chart=grade_chart([agency], {agency_id: results}, years, title),
    )


def _focus_line(
    agency: AgencyRef, year: int, results: dict[int, ResultView], ctx: Context, lang: Lang
) -> str:
    """The chosen year's grade, group, change and score; a year not on record says so."""
    if ctx.year(year) is None:
        return unknown_year_line(year, ctx, lang)
    return grade_line(agency, year, results, ctx, lang)[0]


def _record_lines(
    agency: AgencyRef,
    results: dict[int, ResultView],
    years: list[int],
    ctx: Context,
    focus: int | None,
    lang: Lang,
) -> list[str]:
    if not results:
        known = ", ".join(map(str, years)) or tr(lang, "없음", "none")
        return [say(lang, NO_RECORD_AT_ALL, years=known)]
    return [
        say(lang, YEARS) + "\n" + year_cells(results, years, lang),
        trend_line(results, years, lang),
        _last_change_line(results, ctx, lang),
        _items_line(results.get(focus) if focus else None, focus, lang),
    ]


def year_cells(results: dict[int, ResultView], years: list[int], lang: Lang) -> str:
    """'2016 *A* · 2017 기록 없음 · 2018 *다*': every year, a gap named as a gap."""
    return " · ".join(
        f"{y} *{results[y].grade}*" if y in results else f"{y} {say(lang, NO_GRADE)}" for y in years
    )


def _last_change_line(results: dict[int, ResultView], ctx: Context, lang: Lang) -> str:
    pair = last_change(results, ctx, None, None)
    if pair is None:
        return say(lang, NO_CHANGE)
    before, after = results[pair[0]], results[pair[1]]
    move = grade_move(before.scale, before.grade, after.scale, after.grade)
    return say(
        lang,
        LAST_CHANGE,
        before_year=before.year,
        before=before.grade,
        year=after.year,
        after=after.grade,
        arrow=move.arrow if move else "",
    )


def _items_line(result: ResultView | None, year: int | None, lang: Lang) -> str:
    """The chosen year's item grades, where published ('-' for an item left out)."""
    if result is None or year is None:
        return ""
    items = result.item_grades or {}
    if not items:
        return say(lang, ITEMS_UNPUBLISHED, year=year)
    names = {item: item if lang is Lang.KO else ITEM_EN[item] for item in ITEMS}
    cells = " · ".join(f"{names[item]} {items.get(item, '-')}" for item in ITEMS)
    return say(lang, ITEMS_OF, year=year, cells=cells)


SHARE_NOTICES: dict[str, Message] = {
    "shared": ("<#{channel}> 채널에 카드를 올렸습니다.", "The card is posted in <#{channel}>."),
    "already": (
        "이 카드는 이미 <#{channel}> 채널에 올렸습니다. 같은 채널에는 한 번만 올립니다.",
        "This card is already posted in <#{channel}>; it is posted once per channel.",
    ),
    "refused": (
        "<#{channel}> 채널에 글을 올릴 수 없습니다. `/invite @minwon-bot`으로 초대한 뒤 다시 눌러 주세요.",
        "I can't post in <#{channel}>. Invite me with `/invite @minwon-bot`, then try again.",
    ),
    "unsure": (
        "Slack이 답하지 않아 <#{channel}> 채널에 올라갔는지 확인하지 못했습니다. 채널을 확인해 주세요.",
        "Slack did not answer, so I could not confirm the card reached <#{channel}>: please check there.",
    ),
    "no_channel": ("먼저 채널을 골라 주세요.", "Pick a channel first."),
}
SHARE_TITLE: Message = ("채널에 공유", "Share to a channel")


def share_notice(outcome: str, channel: str, lang: Lang = Lang.KO) -> Answer:
    """What the card's share button did (``outcome`` a key of SHARE_NOTICES)."""
    line = say(lang, SHARE_NOTICES[outcome], channel=channel)
    return Answer(Intent.CARD, lang, say(lang, SHARE_TITLE), (line,))
