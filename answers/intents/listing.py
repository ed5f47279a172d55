"""'2023 경남 가 등급', '경남 2024': matching agencies with grades, and what the
published record covers (it is partial: a missing agency is unknown, not ungraded)."""

from __future__ import annotations

from collections import Counter

from answers.answer import Answer, Chart, Message, Source, Table, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.completeness import (
    GradeCounts,
    completeness_line,
    grade_counts,
    list_completeness,
)
from answers.intents.grade import grade_line
from answers.intents.movers import moved
from answers.intents.results import results_by_agency
from answers.intents.scored import computed_listing, computed_notes, labelled_title
from answers.presentation.wording import agency_name, source_of, title_for
from answers.query import Asks, Lang, Query
from answers.understanding.context import (
    Context,
    no_year_line,
    unknown_year_line,
    wanted_years,
    year_used_line,
)
from answers.understanding.lexicon import GOOD_AGENCIES, GOOD_READINGS
from domain.grades import SCALE_LEVELS, GradeScale, grade_label, grade_rank
from domain.groups import SCOPE_NAMES
from domain.text import particle
from domain.years import year_config, years_on_scale
from storage.views import ResultView

GRID_ROWS = 120  # the heat grid's readable height (answers/charts.py caps there too)

HEADER: tuple[Message, ...] = (
    ("연도", "year"),
    ("등급", "grade"),
    ("기관", "agency"),
    ("평가군", "group"),
)
COVERAGE: Message = (
    "{year}년: 공개 자료에서 확인된 기록만 보여줍니다{total}. 목록에 없는 기관은 등급이 알려지지 않은 것입니다.",
    "{year}: only results found in published sources are listed{total}; an agency not listed is unknown, not ungraded.",
)

NAMESAKE: Message = (
    "'{word}'{eun} {names}의 이름이기도 합니다:",
    "'{word}' also names {names}:",
)
OTHER_SCALE: Message = (
    "{year}년: 그해 등급 체계({scale})에는 '{grades}' 등급이 없습니다{where}.",
    "{year}: that year's grade scale ({scale}) has no '{grades}' grade{where}.",
)
ON_SCALE_OF: Message = (" ({grades}: {years}년 체계)", " ({grades}: the scale of {years})")
GOOD_AGENCIES_LINE: Message = (
    "‘우수기관’은 쓰는 곳마다 다릅니다: 2024년부터 정부 보도자료는 가(최우수) 기관을 우수기관이라 하고, 기관들은 나 등급을 ‘우수’라 부릅니다. 둘 다 보여 드립니다 (하나만 보려면 ‘{example} 가 등급’처럼 물어보세요).",
    "‘Excellent agencies’ depends on who says it: since 2024 the government's releases call the 가 (최우수) agencies so, while agencies call 나 ‘우수’. Both are shown (ask ‘{example} grade 가’ for one).",
)
SCALE_NOTE: Message = (" · {year}년 등급 체계: {scale}", " · {year}'s grade scale: {scale}")


async def answer_list(query: Query, ctx: Context, data: DataAccess) -> Answer:
    lang = query.lang
    years = wanted_years(query, ctx)
    known_years = [y for y in years if ctx.year(y)]
    results = await data.results_in(known_years, ctx.viewer) if known_years else []
    matching = [r for r in results if _matches(r, query, ctx)]
    matching.sort(
        key=lambda r: (
            r.year,
            grade_rank(GradeScale(r.scale), r.grade) or 9,
            r.grading_group or "",
            ctx.catalog.label_in(r.agency_id, r.year),
        )
    )
    # a year without any official result (not out yet, or a draft with scores only)
    official = {r.year for r in results}
    computed = await computed_listing(query, ctx, data, [y for y in years if y not in official])
    known_years = [y for y in known_years if y not in computed.years]
    used = year_used_line(query, ctx)
    lines = [used] if used else []
    lines += [
        unknown_year_line(y, ctx, lang) for y in years if y not in (*known_years, *computed.years)
    ]
    lines += [] if years else [no_year_line(ctx, lang)]
    if GOOD_AGENCIES.search(query.text.lower()) and set(query.grades) == set(GOOD_READINGS):
        example = str(known_years[0]) if known_years else ""
        lines.append(say(lang, GOOD_AGENCIES_LINE, example=example).replace("‘ ", "‘"))
    arrows: dict[tuple[int, int], str] = {}
    if query.direction and not computed.computed:
        # '2024년에 등급 떨어진 광역': only those that moved that way, and by how much
        found = await moved(query, ctx, data, matching, known_years)
        matching, arrows = found.results, found.arrows
        lines += found.lines
    else:
        lines += [
            _summary(matching, year, lang, _off_scale(query, ctx, year)) for year in known_years
        ]
    lines += list(computed.lines)
    namesake_lines, namesake_sources = await _namesakes(query, ctx, data, known_years)
    lines += namesake_lines
    rows: tuple[tuple[str, ...], ...] = tuple(
        (
            str(r.year),
            arrows.get((r.agency_id, r.year), r.grade),
            _label(r, ctx, lang),
            r.grading_group or "",
        )
        for r in matching
    )
    rows += computed.rows
    notes: list[str] = []
    for year in known_years:  # '2021 가 명단 완전해?': said first; otherwise a note
        said = _completeness(query, ctx, year, await grade_counts(data, year, ctx.viewer))
        if query.asks is Asks.COMPLETE:
            lines.insert(len(lines) - len(computed.lines), said or "")
        else:
            notes.append(said or _coverage(query, ctx, year))
    title = labelled_title(
        title_for(query.intent, lang, _subject(query, lang)),
        lang,
        list(computed.computed),
        mixed=bool(matching),
    )
    return Answer(
        intent=query.intent,
        lang=lang,
        title=title,
        chart=await _region_grid(query, ctx, data, title, matching),
        lines=tuple(lines),
        table=Table(header=tuple(tr(lang, *column) for column in HEADER), rows=rows),
        notes=tuple(computed_notes(list(computed.computed), lang) + notes),
        has_data=bool(matching or computed.computed),
        sources=unique_sources(
            [source_of(r, ctx.catalog.agencies[r.agency_id], lang) for r in matching]
            + namesake_sources
        ),
    )


async def _namesakes(
    query: Query, ctx: Context, data: DataAccess, years: list[int]
) -> tuple[list[str], list[Source]]:
    """'광주 2024': the region's list, and the grade of 경기 광주시, which the same word
    names, so neither reading is picked silently."""
    lines: list[str] = []
    sources: list[Source] = []
    for mention in query.namesakes:
        agencies = [ctx.catalog.agencies[i] for i in mention.candidates]
        names = ", ".join(agency_name(a, query.lang) for a in agencies)
        eun = particle(mention.text, "은/는")
        lines.append(say(query.lang, NAMESAKE, word=mention.text, names=names, eun=eun))
        by_agency = results_by_agency(await data.results_for(list(mention.candidates), ctx.viewer))
        for agency in agencies:
            for year in years:
                line, found = grade_line(
                    agency, year, by_agency.get(agency.id, {}), ctx, query.lang
                )
                lines.append(line)
                sources += found
    return lines, sources


async def _region_grid(
    query: Query, ctx: Context, data: DataAccess, title: str, matching: list[ResultView]
) -> Chart | None:
    """For a region: the listed agencies x every year, so the list comes with the whole
    picture. Bounded: a grid taller than GRID_ROWS is unreadable, and costly to build."""
    if not query.regions or not matching:
        return None
    labels = {r.agency_id: ctx.catalog.agencies[r.agency_id].label() for r in matching}
    shown = sorted(labels, key=labels.__getitem__)[:GRID_ROWS]
    grid: dict[str, dict[int, str]] = {labels[i]: {} for i in shown}
    for result in await data.results_for(shown, ctx.viewer):
        grid[labels[result.agency_id]][result.year] = result.grade
    if len(labels) > len(shown):
        title += tr(
            query.lang, f" ({len(labels)}곳 중 {len(shown)}곳)", f" ({len(shown)} of {len(labels)})"
        )
    return Chart(kind="heat", title=title, series=grid, years=tuple(y.year for y in ctx.years))


def _matches(result: ResultView, query: Query, ctx: Context) -> bool:
    agency = ctx.catalog.agencies[result.agency_id]
    group = result.grading_group or agency.group
    return (
        (not query.regions or agency.region in query.regions)
        and (not query.groups or group in query.groups)
        and (not query.grades or not {result.grade, _grade_name(result)}.isdisjoint(query.grades))
    )


def _grade_name(result: ResultView) -> str:
    """'최우수' for 2023's 가 and for 2017's 최우수; never 2017's 최우수 for a '가'."""
    return grade_label(GradeScale(result.scale), result.grade)


def _label(result: ResultView, ctx: Context, lang: Lang) -> str:
    """The agency as named that year, with today's name beside it when it changed
    ('방송통신위원회 (현 방송미디어통신위원회)')."""
    today = ctx.catalog.agencies[result.agency_id].label()
    then = ctx.catalog.label_in(result.agency_id, result.year)
    return today if then == today else tr(lang, f"{then} (현 {today})", f"{then} (now {today})")


def _completeness(query: Query, ctx: Context, year: int, counts: GradeCounts) -> str | None:
    """Whether the year's list is complete, when the record can tell (or when asked). A
    region's list is complete when the national list of each group it draws from is; when
    that is not so and nobody asked, the plain caveat says enough."""
    found = list_completeness(
        year,
        counts,
        ctx.catalog,
        groups=query.groups,
        grades=query.grades,
        regions=query.regions,
    )
    asked = query.asks is Asks.COMPLETE
    if not asked and (not found.known or (query.regions and not found.complete)):
        return None
    return completeness_line(found, query.grades, query.lang, query.groups)


def _off_scale(query: Query, ctx: Context, year: int) -> list[str]:
    """The asked grades that year's scale does not have ('가' in 2016, 'S' in 2024)."""
    info = ctx.year(year)
    if info is None or not query.grades:
        return []
    words = {word for level in SCALE_LEVELS[GradeScale(info.scale)] for word in level}
    return [grade for grade in query.grades if grade not in words]


def _spans(years: list[int]) -> str:
    """[2016] -> '2016'; [2018, …, 2025] -> '2018–2025'; gaps make several spans."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _scale_text(year: int) -> str:
    """'S·A·B·C·D', '최우수·우수·보통', '가·나·다·라·마'."""
    return "·".join(year_config(year).grades)


def _summary(matching: list[ResultView], year: int, lang: Lang, off_scale: list[str]) -> str:
    of_year = [r for r in matching if r.year == year]
    if not of_year and off_scale:
        homes = sorted({y for g in off_scale for y in years_on_scale(g)})
        where = say(lang, ON_SCALE_OF, grades=", ".join(off_scale), years=_spans(homes))
        return say(
            lang,
            OTHER_SCALE,
            year=year,
            grades=", ".join(off_scale),
            scale=_scale_text(year),
            where=where if homes else "",
        )
    if not of_year:
        return tr(
            lang,
            f"{year}년: 조건에 맞는 공개 기록이 없습니다.",
            f"{year}: no published record matches.",
        )
    counts = Counter(r.grade for r in of_year)
    spread = " · ".join(f"{grade} {count}" for grade, count in counts.items())
    scale = year_config(year).scale
    note = (
        ""
        if scale is GradeScale.GA_MA
        else say(lang, SCALE_NOTE, year=year, scale=_scale_text(year))
    )
    return (
        tr(
            lang,
            f"{year}년: {len(of_year)}개 기관 ({spread})",
            f"{year}: {len(of_year)} agencies ({spread})",
        )
        + note
    )


def _coverage(query: Query, ctx: Context, year: int) -> str:
    info = ctx.year(year)
    evaluated = info.evaluated if info else None
    total = (
        tr(query.lang, f" (그해 평가 대상 {evaluated}개)", f" ({evaluated} evaluated that year)")
        if evaluated
        else ""
    )
    return say(query.lang, COVERAGE, year=year, total=total)


def _subject(query: Query, lang: Lang) -> str:
    scope = SCOPE_NAMES.get(frozenset(query.groups))
    groups = [tr(lang, *scope)] if scope else list(query.groups)
    parts = (
        list(query.regions) + groups + [f"{g} {tr(lang, '등급', 'grade')}" for g in query.grades]
    )
    return " ".join(parts)
