"""'성동구 8년 연속 가등급?', '3년 연속 가등급 기관': a streak checked against the record.

A year with no record is a gap: it neither breaks the streak nor confirms it, so a streak
over a gap is "not confirmed", never "yes". A year on another grade scale (2016's S–D,
2017's three levels) cannot continue a 가–마 streak and is said to be so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from answers.answer import Answer, Message, Source, Table, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import results_by_agency
from answers.intents.runs import answer_run
from answers.presentation.wording import agency_name, source_of
from answers.query import Asks, Intent, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, unknown_year_line
from answers.understanding.mentions import ambiguity_note, resolve_mentions
from domain.grades import FIRST_GA_MA_YEAR, SCALE_LEVELS, GradeScale, grade_label
from storage.views import ResultView

LIST_LIMIT = 30  # names shown per verdict in a streak list
GA_MA_WORDS = {word for level in SCALE_LEVELS[GradeScale.GA_MA] for word in level}

TITLE: Message = ("{count}년 연속 {grade} 확인", "{count} years in a row at {grade}")
CONFIRMED: Message = (
    "*{name}* — 예: {first}–{last}년 {count}년 연속 *{grade}* (기록으로 확인).",
    "*{name}* — yes: *{grade}* in each of the {count} years {first}–{last} (on record).",
)
BROKEN: Message = (
    "*{name}* — 아니요: {year}년 등급은 {got}입니다.",
    "*{name}* — no: its {year} grade was {got}.",
)
AFTER_BREAK: Message = (" 그 뒤 {grade}: {years}년.", " At {grade} after that: {years}.")
MISSING_AFTER: Message = (" {years}년은 기록이 없습니다.", " No record for {years}.")
GAPS: Message = (
    "*{name}* — 확인할 수 없습니다: {missing}년 기록이 없습니다. 기록 공백은 연속이 끊긴 것도, 이어진 것도 아닙니다 (기록된 {seen}개 연도는 모두 {grade}).",
    "*{name}* — cannot be confirmed: no record for {missing}. A gap in the record neither breaks nor confirms a streak (all {seen} recorded years are {grade}).",
)
OTHER_SCALE: Message = (
    "*{name}* — 확인할 수 없습니다: {years}년은 등급 체계가 달라 ({scales}) {grade}와 이어 볼 수 없습니다. 같은 체계로 연속 {grade}: {run}년.",
    "*{name}* — cannot be confirmed: {years} used another grade scale ({scales}), not comparable with {grade}. At {grade} on the same scale: {run} year(s) in a row.",
)
TOO_FEW_YEARS: Message = (
    "기록된 평가 연도는 {first}–{last}년 {known}개뿐이라 {count}년 연속은 확인할 수 없습니다.",
    "The record holds only {known} evaluation years ({first}–{last}), so {count} years in a row cannot be checked.",
)
NAME_A_GRADE: Message = (
    "어느 등급의 연속인지 적어 주세요 (예: `성동구 8년 연속 가등급`).",
    "Please name the grade (e.g. `Seongdong 8 years in a row 가`).",
)
LIST_CONFIRMED: Message = (
    "{first}–{last}년 {count}년 연속 {grade} (기록으로 확인): {total}곳",
    "{grade} in each year {first}–{last} (on record): {total}",
)
LIST_GAPS: Message = (
    "기록 공백 때문에 확인할 수 없는 곳 (기록된 해는 모두 {grade}): {total}곳",
    "Not confirmable because of gaps in the record (every recorded year {grade}): {total}",
)
LIST_NONE: Message = (
    "{first}–{last}년 {count}년 연속 {grade}인 기관은 기록에 없습니다.",
    "No agency on record was at {grade} in each year {first}–{last}.",
)
SCALE_STARTS: Message = (
    "가–마 등급은 {first}년부터 쓰였습니다. 그 전 해는 등급 체계가 달라 같은 등급으로 이어 볼 수 없습니다.",
    "The 가–마 grades are used from {first}; earlier years used other scales, which do not continue a 가–마 streak.",
)


@dataclass(frozen=True)
class _Check:
    """One agency's window: the years that match, differ, are missing or on another scale."""

    matched: tuple[int, ...]
    differs: tuple[tuple[int, str], ...]
    missing: tuple[int, ...]
    other_scale: tuple[tuple[int, str], ...]
    run: int  # consecutive matching years ending at the window's last year


async def answer_streak(query: Query, ctx: Context, data: DataAccess) -> Answer:
    if query.asks is Asks.COUNT:  # '몇 년 연속': a count, not a yes or no
        return await answer_run(query, ctx, data)
    lang = query.lang
    end = max(query.years) if query.years else ctx.latest
    known = sorted(y.year for y in ctx.years if end is not None and y.year <= end)
    if end is not None and ctx.year(end) is None:
        return _answer(query, "", [unknown_year_line(end, ctx, lang)], [])
    if query.streak is None:  # '매년 가등급이야?': every year of the grade's scale
        known = _same_scale(known, query, ctx)
    count = query.streak or len(known)
    if len(known) < count or not known:
        first, last = (known[0], known[-1]) if known else (end, end)
        line = say(lang, TOO_FEW_YEARS, first=first, last=last, known=len(known), count=count)
        return _answer(query, "", [line], [])
    window = known[-count:]
    agencies, asks = resolve_mentions(query, ctx)
    if agencies:
        by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
        return _for_agencies(query, ctx, agencies, by_agency, window, asks)
    if not query.grades:
        return _answer(query, "", [say(lang, NAME_A_GRADE)], [])
    return await _for_everyone(query, ctx, data, window)


def _same_scale(known: list[int], query: Query, ctx: Context) -> list[int]:
    """The years on the scale of the latest year that has the asked grade."""
    scales = {y: info.scale for y in known if (info := ctx.year(y))}
    grade = query.grades[0] if query.grades else ""
    holding = [y for y in known if grade in _words(scales[y])] if grade else known
    if not holding:
        return []
    scale = scales[holding[-1]]
    return [y for y in known if scales[y] == scale]


def _words(scale: str) -> set[str]:
    return {word for level in SCALE_LEVELS[GradeScale(scale)] for word in level}


def _for_agencies(
    query: Query,
    ctx: Context,
    agencies: list[AgencyRef],
    by_agency: dict[int, dict[int, ResultView]],
    window: list[int],
    asks: list[str],
) -> Answer:
    lang = query.lang
    lines: list[str] = []
    sources: list[Source] = []
    grade = query.grades[0] if query.grades else ""
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        wanted = grade or (results[window[-1]].grade if window[-1] in results else "")
        if not wanted:
            lines.append(say(lang, NAME_A_GRADE))
            continue
        check = _check(results, window, wanted)
        lines.append(_verdict(agency_name(agency, lang), check, window, wanted, lang))
        sources += [source_of(results[y], agency, lang) for y in window if y in results]
        grade = grade or wanted
    rows = tuple((a.label(), *_grades(by_agency.get(a.id, {}), window)) for a in agencies)
    return replace(
        _answer(query, grade, lines + asks, sources),
        table=Table(header=(tr(lang, "기관", "agency"), *map(str, window)), rows=rows),
        notes=tuple(ambiguity_note(query, ctx)),
    )


def _grades(results: dict[int, ResultView], window: list[int]) -> list[str]:
    return [results[y].grade if y in results else "-" for y in window]


async def _for_everyone(query: Query, ctx: Context, data: DataAccess, window: list[int]) -> Answer:
    """Every agency in the question's regions and groups, sorted by verdict."""
    lang = query.lang
    grade = query.grades[0]
    results = await data.results_in(window, ctx.viewer)
    by_agency = results_by_agency(results)
    confirmed: list[str] = []
    uncertain: list[str] = []
    for agency_id, found in by_agency.items():
        agency = ctx.catalog.agencies[agency_id]
        if not _in_scope(agency, found, query):
            continue
        check = _check(found, window, grade)
        if len(check.matched) == len(window):
            confirmed.append(agency.label())
        elif check.matched and not check.differs and not check.other_scale:
            uncertain.append(agency.label())
    first, last = window[0], window[-1]
    fields = {"first": first, "last": last, "count": len(window), "grade": grade}
    lines = []
    if confirmed:
        lines.append(say(lang, LIST_CONFIRMED, total=len(confirmed), **fields))
        lines.append(_names(sorted(confirmed)))
    else:
        lines.append(say(lang, LIST_NONE, **fields))
    if uncertain:
        lines.append(say(lang, LIST_GAPS, total=len(uncertain), **fields))
        lines.append(_names(sorted(uncertain)))
    if first < FIRST_GA_MA_YEAR and grade in GA_MA_WORDS:
        lines.append(say(lang, SCALE_STARTS, first=FIRST_GA_MA_YEAR))
    return _answer(query, grade, lines, [])


def _names(labels: list[str]) -> str:
    shown = ", ".join(labels[:LIST_LIMIT])
    return shown + (f" … (+{len(labels) - LIST_LIMIT})" if len(labels) > LIST_LIMIT else "")


def _in_scope(agency: AgencyRef, found: dict[int, ResultView], query: Query) -> bool:
    groups = {r.grading_group or agency.group for r in found.values()}
    return (not query.regions or agency.region in query.regions) and (
        not query.groups or bool(groups & set(query.groups))
    )


def _check(results: dict[int, ResultView], window: list[int], grade: str) -> _Check:
    scale = _scale_asked(grade, results)
    matched, differs, missing, other = [], [], [], []
    for year in window:
        result = results.get(year)
        if result is None:
            missing.append(year)
        elif scale is not None and result.scale != scale:
            other.append((year, result.scale))
        elif grade in (result.grade, grade_label(GradeScale(result.scale), result.grade)):
            matched.append(year)
        else:
            differs.append((year, result.grade))
    run = 0
    for year in reversed(window):
        result = results.get(year)
        if result is None or year not in matched:
            break
        run += 1
    return _Check(tuple(matched), tuple(differs), tuple(missing), tuple(other), run)


def _scale_asked(grade: str, results: dict[int, ResultView]) -> str | None:
    """The scale the asked grade belongs to: the latest record's with that grade (최우수 is
    a 가–마 name from 2018 and a grade of its own in 2017)."""
    for year in sorted(results, reverse=True):
        result = results[year]
        if grade in (result.grade, grade_label(GradeScale(result.scale), result.grade)):
            return result.scale
    return None


def _verdict(name: str, check: _Check, window: list[int], grade: str, lang: Lang) -> str:
    first, last = window[0], window[-1]
    if check.differs:
        year, got = check.differs[-1]
        line = say(lang, BROKEN, name=name, year=year, got=got)
        after = [y for y in check.matched if y > year]
        if after:
            line += say(lang, AFTER_BREAK, grade=grade, years=", ".join(map(str, after)))
        later = [y for y in check.missing if y > year]
        if later:
            line += say(lang, MISSING_AFTER, years=", ".join(map(str, later)))
        return line
    if check.other_scale:
        years = ", ".join(str(y) for y, _ in check.other_scale)
        scales = ", ".join(sorted({s for _, s in check.other_scale}))
        return say(
            lang, OTHER_SCALE, name=name, years=years, scales=scales, grade=grade, run=check.run
        )
    if check.missing:
        missing = ", ".join(map(str, check.missing))
        seen = len(check.matched)
        return say(lang, GAPS, name=name, missing=missing, seen=seen, grade=grade)
    return say(lang, CONFIRMED, name=name, first=first, last=last, count=len(window), grade=grade)


def _answer(query: Query, grade: str, lines: list[str], sources: list[Source]) -> Answer:
    if query.streak is None:
        title = tr(query.lang, f"매년 {grade} 확인", f"{grade} every year")
        return _answer_titled(query, title.strip(), lines, sources)
    title = say(query.lang, TITLE, count=query.streak, grade=grade).strip()
    return _answer_titled(query, title, lines, sources)


def _answer_titled(query: Query, title: str, lines: list[str], sources: list[Source]) -> Answer:
    return Answer(
        intent=Intent.STREAK,
        lang=query.lang,
        title=title,
        lines=tuple(lines),
        sources=unique_sources(sources),
        has_data=bool(sources) or len(lines) > 1,
    )
