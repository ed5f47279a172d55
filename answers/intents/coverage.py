"""'데이터 현황' / 'coverage [YEAR]': the span on record and the results it holds, then per
year how many results the bot knows against how many agencies were evaluated, and per
grading group against how many were graded, with whether the top-grade list is complete.
The top grade is counted against the count the sources published where there is one (발표)
and against the year's band rule only where there is none (구간 계산), and says which, so
an operator sees which file is missing and nobody reads a computation as a fact."""

from __future__ import annotations

from dataclasses import replace

from answers.answer import Answer, Message, Table, say, tr
from answers.data import DataAccess
from answers.intents.completeness import (
    basis_text,
    completeness_line,
    expected_count,
    grade_counts,
    list_completeness,
)
from answers.intents.release import answer_release
from answers.query import Asks, Intent, Lang, Query
from answers.understanding.context import Context
from domain.groups import ALL_GROUPS, LOCAL_ALL, LOCAL_GROUPS, group_en
from domain.years import YearConfig
from storage.coverage import YearCounts, coverage_counts, coverage_span
from storage.db import Database

UNKNOWN = "?"

SPAN: Message = (
    "기록: {first}–{last}년 ({years}개 평가 연도), 결과 {rows:,}건.",
    "On record: {first}–{last} ({years} evaluation years), {rows:,} results.",
)
YEAR: Message = (
    "*{year}년*{draft}: 평가 {evaluated}곳 중 {known}곳 알려짐{share}{graded}{top}",
    "*{year}*{draft}: {known} of {evaluated} evaluated agencies known{share}{graded}{top}",
)
GRADED: Message = (
    " · 등급 {graded}곳 (시범 {pilots}곳은 등급 없음)",
    " · {graded} graded ({pilots} ungraded pilot agencies)",
)
GRADED_ONLY: Message = (" · 등급 {graded}곳", " · {graded} graded")
TOP: Message = (
    " · {grade} {known}/{expected} ({basis})",
    " · {grade} {known} of {expected} ({basis})",
)
SCOPE: Message = (
    "*{year}년 {scope}*: {size}곳 중 {known}곳 알려짐{share} ({parts}){top}",
    "*{year} {scope}*: {known} of {size} known{share} ({parts}){top}",
)
NOTE: Message = (
    "알려짐/평가는 평가군별로 등급을 받은 기관 수(없으면 발표된 평가 대상 수) 대비, ?는 모름. 가 목록은 "
    "발표된 수와 비교하고(발표), 발표된 수가 없는 평가군만 그해 구간 규칙으로 계산한 수와 비교합니다(구간 계산).",
    "Known/graded is against each group's graded count (or the published number evaluated), ? "
    "where unknown. The top-grade list is checked against the published count (published), and "
    "against the year's band rule only where none was published (band rule).",
)
NO_RESULTS: Message = ("{year}년 결과가 없습니다.", "No results for {year}.")


async def answer_coverage(query: Query, ctx: Context, data: DataAccess) -> Answer:
    if query.asks is Asks.RELEASE:  # '2026 나왔어?'
        return await answer_release(query, ctx, data)
    year = query.years[0] if query.years else None

    async def table() -> Answer:
        return await coverage_answer(
            data.db,
            year=year,
            lang=query.lang,
            include_drafts=ctx.viewer.is_admin,
            groups=query.groups,
        )

    # counted once per data version: every coverage question of a version reads the same
    key = ("coverage", year, query.lang, ctx.viewer.is_admin, query.groups)
    answer = await data.once(key, table)
    if query.asks is Asks.COMPLETE and year is not None and ctx.year(year) is not None:
        # '2021년 명단 완전해?': the whole year's list first, then the table
        counts = await grade_counts(data, year, ctx.viewer)
        found = list_completeness(
            year, counts, ctx.catalog, groups=query.groups, grades=query.grades, regions=()
        )
        line = completeness_line(found, query.grades, query.lang, query.groups)
        return replace(answer, lines=(line, *answer.lines))
    return answer


async def coverage_answer(
    db: Database,
    *,
    year: int | None = None,
    lang: Lang = Lang.KO,
    include_drafts: bool = True,
    groups: tuple[str, ...] = (),
) -> Answer:
    """The coverage table (also what `minwon-bot coverage [YEAR]` prints); ``groups``
    narrows it to the groups a question named ('2019 기초 데이터 몇 곳')."""
    years = await coverage_counts(db, year=year, include_drafts=include_drafts)
    title = tr(lang, "데이터 현황", "Data coverage") + (f" {year}" if year else "")
    if not years:
        line = say(lang, NO_RESULTS, year=year) if year else ""
        return Answer(Intent.COVERAGE, lang, title, lines=(line,), has_data=False)
    header = (
        tr(lang, "연도", "year"),
        tr(lang, "평가군", "group"),
        tr(lang, "알려짐/평가", "known/graded"),
        tr(lang, "가 목록", "top-grade list"),
    )
    lines = [await _span_line(db, years, year, include_drafts, lang)]
    rows: list[tuple[str, ...]] = []
    for counts in years:
        lines.append(_year_line(counts, lang))
        if groups:
            lines.append(_scope_line(counts, groups, lang))
        rows += _rows(counts, groups, lang)
    table = Table(header, tuple(rows))
    return Answer(
        Intent.COVERAGE, lang, title, tuple(lines), table, (say(lang, NOTE),), has_data=True
    )


async def _span_line(
    db: Database, counted: list[YearCounts], year: int | None, include_drafts: bool, lang: Lang
) -> str:
    """'기록: 2016–2025년 (10개 평가 연도), 결과 1,157건': from the counts already read, or,
    for one year's table, from a plain count of everything."""
    if year is None:
        stored, rows = tuple(c.year for c in counted), sum(c.known() for c in counted)
    else:
        span = await coverage_span(db, include_drafts=include_drafts)
        stored, rows = span.years, span.rows
    return say(lang, SPAN, first=min(stored), last=max(stored), years=len(stored), rows=rows)


def _rows(counts: YearCounts, groups: tuple[str, ...], lang: Lang) -> list[tuple[str, ...]]:
    """One row per grading group (those asked, or all), and one for 기초 as a whole where
    the year has its groups: the sources often count 기초 only as a whole."""
    shown = [g for g in counts.groups() if not groups or g in groups]
    rows = [_group_row(counts, group, lang) for group in shown]
    locals_ = [g for g in counts.groups() if g in LOCAL_GROUPS]
    if locals_ and set(locals_) <= set(shown):
        rows.append(_scope_row(counts, LOCAL_ALL, locals_, lang))
    return rows


def _size(config: YearConfig, scope: str) -> int | None:
    return config.group_sizes.get(scope) or config.evaluated_by.get(scope)


def _local_size(config: YearConfig, groups: list[str]) -> int | None:
    if config.evaluated_by.get(LOCAL_ALL) is not None:
        return config.evaluated_by[LOCAL_ALL]
    sizes = [config.group_sizes.get(g) for g in groups]
    return sum(s for s in sizes if s is not None) if all(s is not None for s in sizes) else None


def _top_status(counts: YearCounts, scope: str, known_top: int, lang: Lang) -> str:
    top = counts.config.grades[0]
    expected = expected_count(counts.year, (top,), scope)
    if expected is None:
        return f"{top} {known_top}/{UNKNOWN}"
    if known_top == expected.count:
        status = tr(lang, "완전", "complete")
    elif known_top < expected.count:
        status = tr(lang, "빠짐", "missing")
    else:  # ties at the cut-off, or a band rule the year did not follow
        status = tr(lang, "계산보다 많음", "more than computed")
    basis = basis_text(expected.basis, lang)
    return f"{top} {known_top}/{expected.count} {status} ({basis})"


def _group_row(counts: YearCounts, group: str, lang: Lang) -> tuple[str, ...]:
    size = _size(counts.config, group)
    top = counts.counts.get(group, {}).get(counts.config.grades[0], 0)
    graded = str(size) if size is not None else UNKNOWN
    return (
        str(counts.year),
        _name(group, lang),
        f"{counts.known(group)}/{graded}",
        _top_status(counts, group, top, lang),
    )


def _scope_row(counts: YearCounts, scope: str, groups: list[str], lang: Lang) -> tuple[str, ...]:
    size = _local_size(counts.config, groups)
    known = sum(counts.known(g) for g in groups)
    top = sum(counts.counts.get(g, {}).get(counts.config.grades[0], 0) for g in groups)
    graded = str(size) if size is not None else UNKNOWN
    return (
        str(counts.year),
        _name(scope, lang),
        f"{known}/{graded}",
        _top_status(counts, scope, top, lang),
    )


def _name(scope: str, lang: Lang) -> str:
    """'기초-시', or in English '기초-시 (cities)': the group as the data writes it."""
    return f"{scope} ({group_en(scope)})" if lang is Lang.EN else scope


def _share(known: int, of: int | None) -> str:
    return f" ({known * 100 // of}%)" if of else ""


def _year_line(counts: YearCounts, lang: Lang) -> str:
    config = counts.config
    known = counts.known()
    draft = "" if counts.published else tr(lang, " (초안)", " (draft)")
    graded = ""
    if config.graded and config.evaluated and config.graded != config.evaluated:
        message = GRADED if config.pilots else GRADED_ONLY
        graded = say(lang, message, graded=config.graded, pilots=config.pilots)
    top_grade = config.grades[0]
    expected = expected_count(counts.year, (top_grade,), ALL_GROUPS)
    top = ""
    if expected is not None:
        have = sum(c.get(top_grade, 0) for c in counts.counts.values())
        basis = basis_text(expected.basis, lang)
        top = say(lang, TOP, grade=top_grade, known=have, expected=expected.count, basis=basis)
    return say(
        lang,
        YEAR,
        year=counts.year,
        draft=draft,
        evaluated=config.evaluated or UNKNOWN,
        known=known,
        share=_share(known, config.evaluated),
        graded=graded,
        top=top,
    )


def _scope_line(counts: YearCounts, groups: tuple[str, ...], lang: Lang) -> str:
    """'2019년 기초: 226곳 중 62곳 알려짐 (기초-시 29/75 · …) · 가 19/21 (발표)'."""
    config = counts.config
    local = set(groups) == set(LOCAL_GROUPS)
    scope = LOCAL_ALL if local else " · ".join(groups)
    size = _local_size(config, list(groups)) if local else _sum_sizes(config, groups)
    known = sum(counts.known(g) for g in groups)
    parts = " · ".join(
        f"{_name(g, lang)} {counts.known(g)}/{_size(config, g) or UNKNOWN}" for g in groups
    )
    top_grade = config.grades[0]
    have = sum(counts.counts.get(g, {}).get(top_grade, 0) for g in groups)
    expected = (
        expected_count(counts.year, (top_grade,), scope) if local or len(groups) == 1 else None
    )
    top = ""
    if expected is not None:
        basis = basis_text(expected.basis, lang)
        top = say(lang, TOP, grade=top_grade, known=have, expected=expected.count, basis=basis)
    name = _name(scope, lang) if local or len(groups) == 1 else scope
    return say(
        lang,
        SCOPE,
        year=counts.year,
        scope=name,
        size=size or UNKNOWN,
        known=known,
        share=_share(known, size),
        parts=parts,
        top=top,
    )


def _sum_sizes(config: YearConfig, groups: tuple[str, ...]) -> int | None:
    sizes = [_size(config, g) for g in groups]
    return sum(s for s in sizes if s is not None) if all(s is not None for s in sizes) else None
