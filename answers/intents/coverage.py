"""'데이터 현황' / 'coverage [YEAR]': per year and grading group, how many results the bot
knows against how many were graded, and whether the 가 list is complete (as many 가 as the
year's bands give for the group's size), so an operator sees which file is missing."""

from __future__ import annotations

from dataclasses import replace

from answers.answer import Answer, Table, tr
from answers.data import DataAccess
from answers.intents.completeness import completeness_line, list_completeness
from answers.intents.release import answer_release
from answers.query import Asks, Intent, Lang, Query
from answers.understanding.context import Context
from scoring import rules_from_mapping
from scoring.engine import band_counts
from storage.coverage import YearCounts, coverage_counts
from storage.db import Database

UNKNOWN = "?"


async def answer_coverage(query: Query, ctx: Context, data: DataAccess) -> Answer:
    if query.asks is Asks.RELEASE:  # '2026 나왔어?'
        return await answer_release(query, ctx, data)
    year = query.years[0] if query.years else None
    answer = await coverage_answer(
        data.db, year=year, lang=query.lang, include_drafts=ctx.viewer.is_admin
    )
    if query.asks is Asks.COMPLETE and year is not None and ctx.year(year) is not None:
        # '2021년 명단 완전해?': the whole year's list first, then the table
        results = await data.results_in([year], ctx.viewer)
        found = list_completeness(year, results, ctx.catalog, groups=(), grades=(), regions=())
        line = completeness_line(found, (), query.lang)
        return replace(answer, lines=(line, *answer.lines))
    return answer


async def coverage_answer(
    db: Database, *, year: int | None = None, lang: Lang = Lang.KO, include_drafts: bool = True
) -> Answer:
    """The coverage table (also what `minwon-bot coverage [YEAR]` prints)."""
    years = await coverage_counts(db, year=year, include_drafts=include_drafts)
    title = tr(lang, "데이터 현황", "Data coverage") + (f" {year}" if year else "")
    if not years:
        line = tr(lang, f"{year}년 결과가 없습니다.", f"No results for {year}.")
        return Answer(Intent.COVERAGE, lang, title, lines=(line if year else "",), has_data=False)
    header = (
        tr(lang, "연도", "year"),
        tr(lang, "평가군", "group"),
        tr(lang, "알려짐/평가", "known/graded"),
        tr(lang, "가 목록", "top-grade list"),
    )
    rows: list[tuple[str, ...]] = []
    lines: list[str] = []
    for counts in years:
        lines.append(_year_line(counts, lang))
        rows += [_group_row(counts, group, lang) for group in counts.groups()]
    notes = (
        tr(
            lang,
            "평가 수는 그 해 발표된 평가군별 기관 수, ?는 모름. 가 목록은 그 해 구간 규칙이 "
            "정하는 가 수와 알려진 가 수가 같을 때 완전합니다.",
            "Graded counts as each year's announcement gave them, ? where unknown. The top-grade "
            "list is complete when its count equals what the year's bands give for the group.",
        ),
    )
    table = Table(header, tuple(rows))
    return Answer(Intent.COVERAGE, lang, title, tuple(lines), table, notes, has_data=True)


def expected_top(counts: YearCounts, group: str) -> int | None:
    """How many agencies of ``group`` the year's bands put in the top grade; None unknown."""
    size = counts.config.group_sizes.get(group)
    if size is None:
        return None
    rules = rules_from_mapping(counts.config.scoring_rules())
    return band_counts(size, rules)[counts.config.grades[0]]


def _group_row(counts: YearCounts, group: str, lang: Lang) -> tuple[str, ...]:
    size = counts.config.group_sizes.get(group)
    known = counts.known(group)
    top_grade = counts.config.grades[0]
    top = counts.counts.get(group, {}).get(top_grade, 0)
    expected = expected_top(counts, group)
    if expected is None:
        status = f"{top_grade} {top}/{UNKNOWN}"
    elif top == expected:
        status = f"{top_grade} {top}/{expected} " + tr(lang, "완전", "complete")
    elif top < expected:
        status = f"{top_grade} {top}/{expected} " + tr(lang, "빠짐", "missing")
    else:  # ties at the cut-off, or a band rule the year did not follow
        status = f"{top_grade} {top}/{expected} " + tr(lang, "구간보다 많음", "more than the bands")
    graded = str(size) if size is not None else UNKNOWN
    return (str(counts.year), group, f"{known}/{graded}", status)


def _year_line(counts: YearCounts, lang: Lang) -> str:
    graded = counts.config.graded
    known = counts.known()
    share = f" ({known * 100 // graded}%)" if graded else ""
    draft = "" if counts.published else tr(lang, " (초안)", " (draft)")
    of = str(graded) if graded else UNKNOWN
    return tr(
        lang,
        f"*{counts.year}년*{draft}: 평가 {of}곳 중 {known}곳 알려짐{share}",
        f"*{counts.year}*{draft}: {known} of {of} graded agencies known{share}",
    )
