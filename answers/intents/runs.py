"""'식약처 몇 년 연속 가야?', '파주시 몇 년째 가등급?': how long the current run of one grade
is, counted on the record. A year with no record or on another grade scale ends what can be
counted (the run may be longer, and the answer says why it stops there)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from answers.answer import Answer, Message, Source, say, unique_sources
from answers.data import DataAccess
from answers.intents.results import results_by_agency
from answers.presentation.wording import agency_name, source_of
from answers.query import Intent, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, unknown_year_line
from answers.understanding.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from domain.grades import GradeScale, grade_label
from storage.views import ResultView

LIST_LIMIT = 30  # agencies named per run length

TITLE: Message = ("연속 {grade} 햇수", "Years in a row at {grade}")
TITLE_ANY: Message = ("연속 등급 햇수", "Years in a row at one grade")
RUN: Message = (
    "*{name}* — *{count}년 연속 {grade}* ({first}–{last}년, 기록으로 확인).",
    "*{name}* — *{grade} {count} years in a row* ({first}–{last}, on record).",
)
ONE_YEAR: Message = (
    "*{name}* — {last}년 *{grade}*: 연속은 아닙니다.",
    "*{name}* — *{grade}* in {last}, not a run of several years.",
)
ONE_COUNTED: Message = (
    "*{name}* — {last}년 *{grade}*: 기록으로 셀 수 있는 것은 1년입니다.",
    "*{name}* — *{grade}* in {last}: one year, as far as the record counts.",
)
BEFORE: dict[str, Message] = {
    "differs": (" 그 전 {year}년: {got}.", " The year before, {year}: {got}."),
    "missing": (
        " {year}년은 기록이 없어 그 앞은 셀 수 없습니다.",
        " There is no record for {year}, so it cannot be counted further back.",
    ),
    "scale": (
        " {year}년은 등급 체계가 달라 ({got}) 이어 셀 수 없습니다.",
        " {year} used another grade scale ({got}), which does not continue it.",
    ),
    "first": (
        " {year}년이 기록의 첫 평가 연도입니다.",
        " {year} is the first evaluation year on record.",
    ),
}
LATER_MISSING: Message = (" {years}년은 기록이 없습니다.", " No record for {years}.")
NOT_NOW: Message = (
    "*{name}* — {grade} 연속이 아닙니다: {year}년 등급은 {got}입니다.",
    "*{name}* — not on a run at {grade}: its {year} grade was {got}.",
)
LAST_RUN: Message = (
    " 마지막 {grade}: {span}년 ({count}년).",
    " Its last time at {grade}: {span} ({count} year(s) in a row).",
)
NEVER: Message = (
    " 기록된 해 가운데 {grade}인 해는 없습니다.",
    " No recorded year at {grade}.",
)
NO_RECORD: Message = ("*{name}* — 공개된 기록이 없습니다.", "*{name}* — no published record.")
EVERYONE_HEAD: Message = (
    "{year}년 {grade} 기관의 연속 햇수 (기록으로 셀 수 있는 만큼):",
    "Agencies at {grade} in {year}, by years in a row (as far as the record counts):",
)
EVERYONE_LINE: Message = (
    "{count}년{more} ({span}): {names}",
    "{count}{more} ({span}): {names}",
)
AT_LEAST: Message = (" 이상", "+")
AT_LEAST_NOTE: Message = (
    "'이상': 그 앞 해의 기록이 없어 더 셀 수 없는 경우입니다.",
    "'+': the year before has no record, so the run may be longer.",
)
NOBODY: Message = (
    "{year}년 {grade} 기관은 기록에 없습니다.",
    "No agency at {grade} in {year} is on record.",
)
NAME_A_GRADE: Message = (
    "어느 등급의 연속인지 적어 주세요 (예: `식약처 몇 년 연속 가등급?`).",
    "Please name the grade (e.g. `how many years in a row has seongdong been 가`).",
)


@dataclass(frozen=True)
class Run:
    """Consecutive evaluation years at one grade, newest first, and why the count stops:
    ``stop`` is 'differs', 'missing', 'scale' or 'first', at ``stop_year``."""

    years: tuple[int, ...]
    stop: str
    stop_year: int
    got: str = ""

    @property
    def first(self) -> int:
        return self.years[-1]

    @property
    def last(self) -> int:
        return self.years[0]


async def answer_run(query: Query, ctx: Context, data: DataAccess) -> Answer:
    lang = query.lang
    end = max(query.years) if query.years else ctx.latest
    if end is None or ctx.year(end) is None:
        line = unknown_year_line(end, ctx, lang) if end else ""
        return _answer(query, "", [line], [])
    known = sorted((y.year for y in ctx.years if y.year <= end), reverse=True)
    if query.agencies:
        return await _for_agencies(query, ctx, data, known)
    if not query.grades:
        return _answer(query, "", [say(lang, NAME_A_GRADE)], [])
    return await _for_everyone(query, ctx, data, known)


def _scales(ctx: Context) -> dict[int, str]:
    return {info.year: info.scale for info in ctx.years}


def _span(first: int, last: int) -> str:
    return f"{first}–{last}" if first != last else str(first)


def count_run(
    results: dict[int, ResultView], years: list[int], grade: str, scales: dict[int, str]
) -> Run | None:
    """The run at ``grade`` that ends at the first of ``years`` (newest first); None when
    that year is not at the grade. A missing year on another scale (``scales``: each year's)
    could not have continued it either."""
    run: list[int] = []
    for year in years:
        result = results.get(year)
        if result is None and run and scales.get(year) != results[run[0]].scale:
            return Run(tuple(run), "scale", year, scales.get(year, ""))
        if result is None:
            return Run(tuple(run), "missing", year) if run else None
        if run and result.scale != results[run[0]].scale:
            return Run(tuple(run), "scale", year, result.scale)
        if not _at(result, grade):
            return Run(tuple(run), "differs", year, result.grade) if run else None
        run.append(year)
    return Run(tuple(run), "first", run[-1]) if run else None


def _at(result: ResultView, grade: str) -> bool:
    return grade in (result.grade, grade_label(GradeScale(result.scale), result.grade))


async def _for_agencies(query: Query, ctx: Context, data: DataAccess, known: list[int]) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    lines: list[str] = []
    sources: list[Source] = []
    grades: set[str] = set()
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        line, shown, grade = _agency_line(agency, results, known, query, _scales(ctx))
        lines.append(line)
        grades.add(grade)
        sources += [source_of(results[y], agency, query.lang) for y in shown]
    answer = _answer(query, grades.pop() if len(grades) == 1 else "", lines + asks, sources)
    return replace(answer, notes=tuple(ambiguity_note(query, ctx)))


def _agency_line(
    agency: AgencyRef,
    results: dict[int, ResultView],
    known: list[int],
    query: Query,
    scales: dict[int, str],
) -> tuple[str, tuple[int, ...], str]:
    """The agency's run, the years it rests on, and the grade counted."""
    lang = query.lang
    name = agency_name(agency, lang)
    recorded = [y for y in known if y in results]
    if not recorded:
        return say(lang, NO_RECORD, name=name), (), ""
    latest = results[recorded[0]]
    grade = query.grades[0] if query.grades else latest.grade
    later = [y for y in known if y > latest.year]
    tail = say(lang, LATER_MISSING, years=", ".join(map(str, sorted(later)))) if later else ""
    run = count_run(results, known[known.index(latest.year) :], grade, scales)
    if run is None:
        line = say(lang, NOT_NOW, name=name, grade=grade, year=latest.year, got=latest.grade)
        return line + _last_run(results, known, grade, scales, lang) + tail, (latest.year,), grade
    if len(run.years) == 1:
        one = ONE_COUNTED if run.stop == "missing" else ONE_YEAR
        line = say(lang, one, name=name, grade=grade, last=run.last)
    else:
        count = len(run.years)
        line = say(lang, RUN, name=name, grade=grade, count=count, first=run.first, last=run.last)
    before = say(lang, BEFORE[run.stop], year=run.stop_year, got=run.got)
    return line + before + tail, run.years, grade


def _last_run(
    results: dict[int, ResultView], known: list[int], grade: str, scales: dict[int, str], lang: Lang
) -> str:
    """The latest earlier run at ``grade`` ('마지막 가: 2019–2022년'), or that there was none."""
    for index, year in enumerate(known):
        if year in results and _at(results[year], grade):
            run = count_run(results, known[index:], grade, scales)
            if run:
                span = _span(run.first, run.last)
                return say(lang, LAST_RUN, grade=grade, span=span, count=len(run.years))
    return say(lang, NEVER, grade=grade)


async def _for_everyone(query: Query, ctx: Context, data: DataAccess, known: list[int]) -> Answer:
    """Every agency at the grade in the end year (within the question's regions and groups),
    grouped by how many years in a row the record counts."""
    lang = query.lang
    grade, end = query.grades[0], known[0]
    by_agency = results_by_agency(await data.results_in(known, ctx.viewer))
    runs: dict[tuple[int, bool, int], list[str]] = {}
    scales = _scales(ctx)
    for agency_id, results in by_agency.items():
        agency = ctx.catalog.agencies[agency_id]
        if not _in_scope(agency, results.get(end), query):
            continue
        run = count_run(results, known, grade, scales)
        if run:
            key = (len(run.years), run.stop == "missing", run.first)
            runs.setdefault(key, []).append(agency.label())
    if not runs:
        return _answer(query, grade, [say(lang, NOBODY, year=end, grade=grade)], [])
    lines = [say(lang, EVERYONE_HEAD, year=end, grade=grade)]
    for (count, more, first), names in sorted(runs.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
        shown = ", ".join(sorted(names)[:LIST_LIMIT])
        shown += f" … (+{len(names) - LIST_LIMIT})" if len(names) > LIST_LIMIT else ""
        extra = say(lang, AT_LEAST) if more else ""
        lines.append(
            say(lang, EVERYONE_LINE, count=count, more=extra, span=_span(first, end), names=shown)
        )
    if any(more for _, more, _ in runs):
        lines.append(say(lang, AT_LEAST_NOTE))
    return _answer(query, grade, lines, [])


def _in_scope(agency: AgencyRef, result: ResultView | None, query: Query) -> bool:
    if result is None:
        return False
    group = result.grading_group or agency.group
    return (not query.regions or agency.region in query.regions) and (
        not query.groups or group in query.groups
    )


def _answer(query: Query, grade: str, lines: list[str], sources: list[Source]) -> Answer:
    title = say(query.lang, TITLE, grade=grade) if grade else say(query.lang, TITLE_ANY)
    return Answer(
        intent=Intent.STREAK,
        lang=query.lang,
        title=title,
        lines=tuple(line for line in lines if line),
        sources=unique_sources(sources),
        has_data=bool(sources) or len(lines) > 1,
        understood=bool(lines),
    )
