"""'성동구 8년 연속 가등급?', '3년 연속 가등급 기관': a streak checked against the record.

A year with no record is a gap: it neither breaks the streak nor confirms it, so a streak
over a gap is "not confirmed", never "yes". A year on another grade scale (2016's S–D,
2017's three levels) cannot continue a 가–마 streak and is said to be so, with its grade
there. Asked for the top grade ('최고 등급', '최우수'), each year's own top counts: 2016's S,
2017's 최우수, 가 from 2018. A streak not met now is followed by the record's latest run of
that length, if there was one.
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
from answers.understanding.lexicon import TOP_NAME
from answers.understanding.mentions import ambiguity_note, resolve_mentions
from domain.grades import (
    FIRST_GA_MA_YEAR,
    SCALE_LEVELS,
    GradeScale,
    grade_label,
    grade_rank,
    scale_grades,
)
from domain.text import josa
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
NOTHING_RECORDED: Message = (
    "*{name}* — 확인할 수 없습니다: {missing}년 기록이 하나도 없습니다.",
    "*{name}* — cannot be confirmed: there is no record for any of {missing}.",
)
OTHER_SCALE: Message = (
    "*{name}* — 확인할 수 없습니다: {years}년은 등급 체계가 달라 ({scales}) {grade}와 이어 볼 수 없습니다. 같은 체계로 연속 {grade}: {run}년.",
    "*{name}* — cannot be confirmed: {years} used another grade scale ({scales}), not comparable with {grade}. At {grade} on the same scale: {run} year(s) in a row.",
)
CONFIRMED_TOP: Message = (
    "*{name}* — 예: {first}–{last}년 {count}년 연속 *최고 등급* (그해 등급 체계의 최고: {parts}, 기록으로 확인).",
    "*{name}* — yes: *the top grade* in each of the {count} years {first}–{last} (the top of each year's own scale: {parts}, on record).",
)
TOP_GRADE: Message = ("최고 등급", "the top grade")
SCALE_NAMES: dict[str, Message] = {
    GradeScale.SABCD: ("S–D 5단계", "S–D scale"),
    GradeScale.THREE_LEVEL: ("3단계", "3-level scale"),
    GradeScale.GA_MA: ("가–마 5단계", "가–마 scale"),
}
ON_SCALE_TOP: Message = ("{grade}({scale} 최고)", "{grade} (top of the {scale})")
ON_SCALE_RANK: Message = (
    "{grade}({scale} 중 {rank}번째)",
    "{grade} (level {rank} of the {scale})",
)
PART: Message = ("{span}년 {grade}", "{span} {grade}")
OTHER_SCALE_GRADES: Message = (" 그해 등급: {grades}.", " Its grade on that scale: {grades}.")
TOP_ALL_ALONG: Message = (
    " 그해 등급 체계의 최고 등급으로 보면 {first}–{last}년 {count}년 연속입니다.",
    " Counting the top of each year's own scale, it is {count} years in a row, {first}–{last}.",
)
EARLIER: Message = (
    " 다만 {first}–{last}년 {count}년 연속 {grade}습니다.",
    " It did have {count} straight years of {grade} in {first}–{last}.",
)
EARLIER_GAP: Message = (
    " ({years}년은 기록이 없어 그 연속은 더 길었을 수 있습니다.)",
    " (No record for {years}, so that run may have been longer.)",
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
    other_scale: tuple[ResultView, ...]
    seen: tuple[ResultView, ...]  # the window's results, oldest first
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


def _asks_top(query: Query) -> bool:
    """'최고 등급', 'highest' or 최우수 (the top's name on 2017's scale and on 가–마)."""
    return query.top_grade or query.grades[:1] == (TOP_NAME,)


def _shown(grade: str, top: bool, lang: Lang) -> str:
    return say(lang, TOP_GRADE) if top else grade


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
    lang, top = query.lang, _asks_top(query)
    lines: list[str] = []
    sources: list[Source] = []
    grade = query.grades[0] if query.grades else ""
    record = [y.year for y in ctx.years if y.year <= window[-1]]
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        wanted = grade or (results[window[-1]].grade if window[-1] in results else "")
        if not wanted:
            lines.append(say(lang, NAME_A_GRADE))
            continue
        check = _check(results, window, wanted, top)
        line = _verdict(agency_name(agency, lang), check, window, wanted, lang, top)
        shown = [y for y in window if y in results]
        if len(check.matched) < len(window):
            earlier = _earlier_run(results, record, window, wanted, top)
            line += _earlier_line(earlier, results, record, wanted, top, _scales(ctx), lang)
            shown += earlier
        lines.append(line)
        sources += [source_of(results[y], agency, lang) for y in sorted(set(shown))]
        grade = grade or wanted
    rows = tuple((a.label(), *_grades(by_agency.get(a.id, {}), window)) for a in agencies)
    return replace(
        _answer(query, _shown(grade, top, lang) if grade else "", lines + asks, sources),
        table=Table(header=(tr(lang, "기관", "agency"), *map(str, window)), rows=rows),
        notes=tuple(ambiguity_note(query, ctx)),
    )


def _scales(ctx: Context) -> dict[int, str]:
    return {info.year: info.scale for info in ctx.years}


def _grades(results: dict[int, ResultView], window: list[int]) -> list[str]:
    return [results[y].grade if y in results else "-" for y in window]


async def _for_everyone(query: Query, ctx: Context, data: DataAccess, window: list[int]) -> Answer:
    """Every agency in the question's regions and groups, sorted by verdict."""
    lang, top = query.lang, _asks_top(query)
    grade = query.grades[0]
    results = await data.results_in(window, ctx.viewer)
    by_agency = results_by_agency(results)
    confirmed: list[str] = []
    uncertain: list[str] = []
    for agency_id, found in by_agency.items():
        agency = ctx.catalog.agencies[agency_id]
        if not _in_scope(agency, found, query):
            continue
        check = _check(found, window, grade, top)
        if len(check.matched) == len(window):
            confirmed.append(agency.label())
        elif check.matched and not check.differs and not check.other_scale:
            uncertain.append(agency.label())
    first, last = window[0], window[-1]
    fields = {"first": first, "last": last, "count": len(window), "grade": _shown(grade, top, lang)}
    lines = []
    if confirmed:
        lines.append(say(lang, LIST_CONFIRMED, total=len(confirmed), **fields))
        lines.append(_names(sorted(confirmed)))
    else:
        lines.append(say(lang, LIST_NONE, **fields))
    if uncertain:
        lines.append(say(lang, LIST_GAPS, total=len(uncertain), **fields))
        lines.append(_names(sorted(uncertain)))
    if first < FIRST_GA_MA_YEAR and grade in GA_MA_WORDS and not top:
        lines.append(say(lang, SCALE_STARTS, first=FIRST_GA_MA_YEAR))
    return _answer(query, str(fields["grade"]), lines, [])


def _names(labels: list[str]) -> str:
    shown = ", ".join(labels[:LIST_LIMIT])
    return shown + (f" … (+{len(labels) - LIST_LIMIT})" if len(labels) > LIST_LIMIT else "")


def _in_scope(agency: AgencyRef, found: dict[int, ResultView], query: Query) -> bool:
    groups = {r.grading_group or agency.group for r in found.values()}
    return (not query.regions or agency.region in query.regions) and (
        not query.groups or bool(groups & set(query.groups))
    )


def _at(result: ResultView, grade: str, top: bool) -> bool:
    """The result is at the asked grade: the top of its own scale, when the top was asked."""
    if top:
        return result.grade == scale_grades(GradeScale(result.scale))[0]
    return grade in (result.grade, grade_label(GradeScale(result.scale), result.grade))


def _check(results: dict[int, ResultView], window: list[int], grade: str, top: bool) -> _Check:
    scale = None if top else _scale_asked(grade, results)
    matched, differs, missing, other = [], [], [], []
    for year in window:
        result = results.get(year)
        if result is None:
            missing.append(year)
        elif scale is not None and result.scale != scale:
            other.append(result)
        elif _at(result, grade, top):
            matched.append(year)
        else:
            differs.append((year, result.grade))
    run = 0
    for year in reversed(window):
        if year not in matched:
            break
        run += 1
    seen = tuple(results[y] for y in window if y in results)
    return _Check(tuple(matched), tuple(differs), tuple(missing), tuple(other), seen, run)


def _scale_asked(grade: str, results: dict[int, ResultView]) -> str | None:
    """The scale the asked grade belongs to: the latest record's with that grade (최우수 is
    a 가–마 name from 2018 and a grade of its own in 2017)."""
    for year in sorted(results, reverse=True):
        result = results[year]
        if grade in (result.grade, grade_label(GradeScale(result.scale), result.grade)):
            return result.scale
    return None


def _verdict(name: str, check: _Check, window: list[int], grade: str, lang: Lang, top: bool) -> str:
    first, last, shown = window[0], window[-1], _shown(grade, top, lang)
    if check.differs:
        year, got = check.differs[-1]
        line = say(lang, BROKEN, name=name, year=year, got=got)
        after = [y for y in check.matched if y > year]
        if after:
            line += say(lang, AFTER_BREAK, grade=shown, years=", ".join(map(str, after)))
        later = [y for y in check.missing if y > year]
        if later:
            line += say(lang, MISSING_AFTER, years=", ".join(map(str, later)))
        return line
    if check.other_scale:
        return _other_scale_line(name, check, window, grade, lang)
    if check.missing:
        missing = ", ".join(map(str, check.missing))
        seen = len(check.matched)
        message = GAPS if seen else NOTHING_RECORDED  # '기록된 0개 연도는 모두 가' says nothing
        return say(lang, message, name=name, missing=missing, seen=seen, grade=shown)
    if top:
        parts = _top_parts(check.seen, lang)
        return say(
            lang, CONFIRMED_TOP, name=name, first=first, last=last, count=len(window), parts=parts
        )
    return say(lang, CONFIRMED, name=name, first=first, last=last, count=len(window), grade=grade)


def _other_scale_line(name: str, check: _Check, window: list[int], grade: str, lang: Lang) -> str:
    """Not comparable, with each such year's grade on its own scale, and whether the top of
    every year's scale was held all along (가 asked, 2017 최우수)."""
    years = ", ".join(str(r.year) for r in check.other_scale)
    scales = ", ".join(sorted({r.scale for r in check.other_scale}))
    line = say(lang, OTHER_SCALE, name=name, years=years, scales=scales, grade=grade, run=check.run)
    grades = ", ".join(
        f"{say(lang, PART, span=r.year, grade=_on_scale(r, lang))}" for r in check.other_scale
    )
    line += say(lang, OTHER_SCALE_GRADES, grades=grades)
    tops = all(_at(r, grade, top=True) for r in check.seen)
    if tops and not check.missing and len(check.seen) == len(window):
        line += say(lang, TOP_ALL_ALONG, first=window[0], last=window[-1], count=len(window))
    return line


def _on_scale(result: ResultView, lang: Lang) -> str:
    """'최우수(3단계 최고)', '우수(3단계 중 2번째)': a grade with its place on its own scale."""
    scale = say(lang, SCALE_NAMES[result.scale])
    rank = grade_rank(result.scale, result.grade)
    if rank == 1:
        return say(lang, ON_SCALE_TOP, grade=result.grade, scale=scale)
    return say(lang, ON_SCALE_RANK, grade=result.grade, scale=scale, rank=rank or "?")


def _top_parts(seen: tuple[ResultView, ...], lang: Lang) -> str:
    """'2017년 최우수(3단계 최고) + 2018–2025년 가': the years on each scale and their top."""
    spans: list[list[ResultView]] = []
    for result in seen:
        if spans and spans[-1][-1].scale == result.scale:
            spans[-1].append(result)
        else:
            spans.append([result])
    return " + ".join(_part(span, lang) for span in spans)


def _part(span: list[ResultView], lang: Lang) -> str:
    first, last = span[0], span[-1]
    years = f"{first.year}–{last.year}" if first.year != last.year else str(first.year)
    grade = first.grade if first.scale == GradeScale.GA_MA else _on_scale(first, lang)
    return say(lang, PART, span=years, grade=grade)


def _earlier_run(
    results: dict[int, ResultView],
    record: list[int],
    window: list[int],
    grade: str,
    top: bool,
) -> list[int]:
    """The latest run at the grade, of at least the window's length, that is not the current
    one: consecutive evaluation years, each on record, on one scale unless the top was asked."""
    runs: list[list[int]] = [[]]
    for year in record:
        result = results.get(year)
        if result is None or not _at(result, grade, top):
            runs.append([])
        elif runs[-1] and not top and results[runs[-1][-1]].scale != result.scale:
            runs.append([year])
        else:
            runs[-1].append(year)
    long = [run for run in runs if len(run) >= len(window) and window[-1] not in run]
    return long[-1] if long else []


def _earlier_line(
    run: list[int],
    results: dict[int, ResultView],
    record: list[int],
    grade: str,
    top: bool,
    scales: dict[int, str],
    lang: Lang,
) -> str:
    if not run:
        return ""
    shown = _shown(grade, top, lang)
    said = josa(shown, "이었/였") if lang is Lang.KO else shown
    line = say(lang, EARLIER, first=run[0], last=run[-1], count=len(run), grade=said)
    start, end = record.index(run[0]), record.index(run[-1])
    around = [record[i] for i in (start - 1, end + 1) if 0 <= i < len(record)]
    scale = results[run[0]].scale
    gaps = [y for y in around if y not in results and (top or scales.get(y) == scale)]
    if gaps:
        line += say(lang, EARLIER_GAP, years=", ".join(map(str, gaps)))
    return line


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
