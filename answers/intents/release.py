"""'2026 나왔어?', 'is 2025 out?', '결과 발표됐어?': whether a year's results are published,
when they were announced, and the latest published year."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say
from answers.data import DataAccess
from answers.query import Intent, Query
from answers.understanding.context import Context, YearInfo, unknown_year_line
from storage.models import YearStatus

TITLE: Message = ("평가 결과 공개 여부", "Are the results out?")
OUT: Message = (
    "네, *{year}년 평가* 결과는 공개되었습니다{announced}. 기록된 결과 {known}건{evaluated}.",
    "Yes: the *{year} evaluation*'s results are out{announced}; {known} results on record{evaluated}.",
)
ANNOUNCED: Message = (" ({day} 발표)", " (announced {day})")
EVALUATED: Message = (" (그해 평가 대상 {count}곳)", " ({count} agencies evaluated)")
NOT_OUT: Message = (
    "아니요, *{year}년 평가* 결과는 아직 공개되지 않았습니다.",
    "No: the *{year} evaluation*'s results are not out yet.",
)
DRAFT: Message = (
    "*{year}년 평가* 결과는 들어와 있지만 아직 공개 전(초안)입니다: 관리자만 볼 수 있습니다.",
    "The *{year} evaluation*'s results are loaded but not published yet (a draft, seen by admins only).",
)
LATEST: Message = (
    "최근 공개: *{year}년 평가*{announced}.",
    "Latest published: the *{year} evaluation*{announced}.",
)
USUALLY: Message = (
    "결과는 보통 평가 다음 해 1–2월에 발표됩니다 ({year}년 평가라면 {after}년 초).",
    "Results are usually announced in January or February of the following year (for {year}, early {after}).",
)
NOTHING: Message = ("아직 공개된 평가 결과가 없습니다.", "No results have been published yet.")
SOURCE: Message = ("{year}년 평가 발표", "{year} evaluation announcement")


async def answer_release(query: Query, ctx: Context, data: DataAccess) -> Answer:
    lang = query.lang
    latest = ctx.latest
    asked = max(query.years) if query.years else None
    if asked is None:  # '결과 나왔어?', '올해 결과 나왔어?': the latest, and what comes next
        lines = _latest_lines(ctx, query)
        return _answer(query, lines, ctx.year(latest) if latest else None)
    info = ctx.year(asked)
    if info is not None and info.status == YearStatus.PUBLISHED:
        known = len(await data.results_in([asked], ctx.viewer))
        line = say(
            lang,
            OUT,
            year=asked,
            announced=_announced(info, query),
            known=known,
            evaluated=say(lang, EVALUATED, count=info.evaluated) if info.evaluated else "",
        )
        lines = [line] + ([_latest_line(ctx, query)] if latest and latest > asked else [])
        return _answer(query, lines, info)
    if info is not None:
        return _answer(query, [say(lang, DRAFT, year=asked), _latest_line(ctx, query)], None)
    if latest is not None and asked < latest:
        return _answer(query, [unknown_year_line(asked, ctx, lang)], None)
    lines = [say(lang, NOT_OUT, year=asked), _latest_line(ctx, query)]
    lines.append(say(lang, USUALLY, year=asked, after=asked + 1))
    return _answer(query, lines, ctx.year(latest) if latest else None)


def _latest_lines(ctx: Context, query: Query) -> list[str]:
    latest = ctx.latest
    if latest is None:
        return [say(query.lang, NOTHING)]
    upcoming = say(query.lang, USUALLY, year=latest + 1, after=latest + 2)
    return [_latest_line(ctx, query), upcoming]


def _latest_line(ctx: Context, query: Query) -> str:
    latest = ctx.latest
    if latest is None:
        return say(query.lang, NOTHING)
    info = ctx.year(latest)
    announced = _announced(info, query) if info else ""
    return say(query.lang, LATEST, year=latest, announced=announced)


def _announced(info: YearInfo, query: Query) -> str:
    return say(query.lang, ANNOUNCED, day=info.announced) if info.announced else ""


def _answer(query: Query, lines: list[str], cited: YearInfo | None) -> Answer:
    sources: tuple[Source, ...] = ()
    if cited is not None and cited.source:
        sources = (Source(cited.source, say(query.lang, SOURCE, year=cited.year)),)
    return Answer(
        intent=Intent.COVERAGE,
        lang=query.lang,
        title=say(query.lang, TITLE),
        lines=tuple(lines),
        sources=sources,
        has_data=bool(sources),
    )
