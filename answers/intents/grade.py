"""'고성군 grade 2023?': the grade, its group, the change from the previous year, the
score when known, and the source."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import results_by_agency
from answers.intents.scored import (
    Computed,
    computed_grades,
    computed_label,
    computed_notes,
    labelled_title,
)
from answers.presentation.wording import (
    agency_name,
    change_text,
    draft_mark,
    grade_text,
    group_text,
    score_text,
    source_of,
    title_for,
)
from answers.query import Asks, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import (
    Context,
    no_year_line,
    previous_year,
    unknown_year_line,
    wanted_years,
    year_used_line,
)
from answers.understanding.mentions import (
    ambiguity_note,
    no_agency_answer,
    no_grade_reason,
    outside_year_line,
    resolve_mentions,
)
from storage.views import ResultView

COMPUTED_GRADE: Message = (
    "*{name}* — {year}년 *{grade}* ({label})",
    "*{name}* — {year}: *{grade}* ({label})",
)
COMPUTED_UNGRADED: Message = (
    "*{name}* — {year}년 점수표로는 등급을 계산할 수 없습니다 ({label}).",
    "*{name}* — no grade can be computed from the {year} score sheet ({label}).",
)
COMPUTED_STANDING: Message = ("합계 {total} · {rank}위/{n}곳", "total {total} · rank {rank} of {n}")
NOT_OFFICIAL: Message = (
    "{year}년 공식 발표 기록 없음",
    "no official {year} result on record",
)
NOT_YET_OFFICIAL: Message = (
    "{year}년 공식 결과는 아직 없음",
    "no official {year} results yet",
)
NO_COMPUTED: Message = (
    "*{name}* — {year}년 공식 결과도, 점수표의 점수도 없습니다.",
    "*{name}* — no official {year} result and no score in the {year} score sheet.",
)
NO_RECORD: Message = (
    "*{name}* — {year}년 공개된 기록이 없습니다. 기록된 등급: {known}",
    "*{name}* — no published record for {year}. Grades on record: {known}",
)
NO_SCORE: Message = (
    "{year}년 점수(합계)는 공개된 자료에 없습니다: 확인된 것은 등급뿐입니다.",
    "No {year} total score is in the published record, only the grade.",
)
SCORED_YEARS: Message = (" 점수가 기록된 해: {years}.", " Years with a score on record: {years}.")


async def answer_grade(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    years = wanted_years(query, ctx)
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    used = year_used_line(query, ctx)
    lines: list[str] = [used] if used else [] if years else [no_year_line(ctx, query.lang)]
    sources: list[Source] = []
    computed: list[Computed] = []
    for year in years:
        year_lines, year_sources, year_computed = await _year_lines(
            agencies, year, by_agency, ctx, data, query.lang
        )
        lines += year_lines
        sources += year_sources
        computed += year_computed
    if query.asks is Asks.SCORE:  # '몇 점이야?': say so when no total was published
        lines += _missing_scores(agencies, years, by_agency, query.lang)
    subject = agency_name(agencies[0], query.lang) if len(agencies) == 1 else ""
    title = labelled_title(
        title_for(query.intent, query.lang, subject), query.lang, computed, mixed=bool(sources)
    )
    return Answer(
        intent=query.intent,
        lang=query.lang,
        title=title,
        lines=tuple(lines + asks),
        notes=tuple(
            computed_notes(computed, query.lang)
            + ambiguity_note(query, ctx, shown=any(ctx.year(y) for y in years) or bool(computed))
        ),
        sources=unique_sources(sources),
        has_data=bool(sources or computed),
    )


async def _year_lines(
    agencies: list[AgencyRef],
    year: int,
    by_agency: dict[int, dict[int, ResultView]],
    ctx: Context,
    data: DataAccess,
    lang: Lang,
) -> tuple[list[str], list[Source], list[Computed]]:
    """Each agency's official grade in ``year``; where there is none, the engine's computed
    grade when a score sheet holds one (labelled, never mixed with official ones)."""
    lines: list[str] = []
    sources: list[Source] = []
    shown: list[Computed] = []
    official_year = ctx.year(year) is not None
    missing = [a for a in agencies if year not in by_agency.get(a.id, {})]
    computed = await computed_grades(data, year, ctx.viewer) if missing else {}
    if not official_year and not any(a.id in computed for a in agencies):
        return [unknown_year_line(year, ctx, lang)], [], []
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        if year in results or (official_year and agency.id not in computed):
            line, found = grade_line(agency, year, results, ctx, lang)
            lines.append(line)
            sources += found
        elif agency.id in computed:
            shown.append(computed[agency.id])
            lines.append(computed_line(agency, computed[agency.id], official_year, lang))
        else:
            lines.append(say(lang, NO_COMPUTED, name=agency_name(agency, lang), year=year))
    return lines, sources, shown


def _missing_scores(
    agencies: list[AgencyRef],
    years: list[int],
    by_agency: dict[int, dict[int, ResultView]],
    lang: Lang,
) -> list[str]:
    """For a score question, each graded year whose total was not published, with the
    years that have one."""
    lines = []
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        scored = ", ".join(f"{y} ({r.score:g})" for y, r in sorted(results.items()) if r.score)
        for year in years:
            result = results.get(year)
            if result is None and scored:  # no record that year: where a score is known
                lines.append(say(lang, SCORED_YEARS, years=scored).strip())
            if result is None or result.score is not None:
                continue
            line = say(lang, NO_SCORE, year=year)
            if len(agencies) > 1:
                line = f"{agency_name(agency, lang)}: {line}"
            lines.append(line + (say(lang, SCORED_YEARS, years=scored) if scored else ""))
    return lines


def computed_line(agency: AgencyRef, computed: Computed, official_year: bool, lang: Lang) -> str:
    """'전북특별자치도 — 2026년 계산값 나 (계산값, 모의 데이터) · 광역 · 합계 82 · 5위/17곳'."""
    name = agency_name(agency, lang)
    label = computed_label(computed, lang)
    group = group_text(computed.group, lang)
    if computed.grade is None:
        return say(lang, COMPUTED_UNGRADED, name=name, year=computed.year, label=label)
    parts = [
        say(lang, COMPUTED_GRADE, name=name, year=computed.year, grade=computed.grade, label=label),
        group,
    ]
    if computed.total is not None and computed.rank is not None:
        total = f"{round(computed.total, 2):g}"
        parts.append(say(lang, COMPUTED_STANDING, total=total, rank=computed.rank, n=computed.size))
    parts.append(say(lang, NOT_OFFICIAL if official_year else NOT_YET_OFFICIAL, year=computed.year))
    return " · ".join(part for part in parts if part)


def grade_line(
    agency: AgencyRef, year: int, results: dict[int, ResultView], ctx: Context, lang: Lang
) -> tuple[str, list[Source]]:
    """One agency in one year, or a plain 'no published record' (never assumed) with the
    grades it does have on record, so a year without one never hides the others."""
    name = agency_name(agency, lang)
    result = results.get(year)
    if result is None:
        outside = outside_year_line(agency, name, year, lang)
        if outside:
            return outside, []
        known = record_text(results, lang) or tr(lang, "없음", "none")
        sources = [source_of(r, agency, lang) for _, r in sorted(results.items())]
        reason = no_grade_reason(agency, year, lang)  # a pilot; a group that year lacked
        line = say(lang, NO_RECORD, name=name, year=year, known=known)
        return (f"{line}\n{reason}" if reason else line), sources
    before = previous_year(year, ctx)
    parts = [
        tr(
            lang,
            f"*{name}* — {year}년 {grade_text(result, lang)}",
            f"*{name}* — {year}: {grade_text(result, lang)}",
        )
        + draft_mark(result, ctx, lang),
        group_text(result.grading_group, lang),
        change_text(result, results.get(before) if before else None, lang, before),
        score_text(result, lang),
    ]
    if result.published_name != agency.name:
        parts.append(
            tr(lang, f"당시 명칭 {result.published_name}", f"then named {result.published_name}")
        )
    line = " · ".join(part for part in parts if part)
    if result.note:
        line += tr(lang, f"\n  비고: {result.note}", f"\n  note: {result.note}")
    return line, [source_of(result, agency, lang)]


def record_text(results: dict[int, ResultView], lang: Lang) -> str:
    """'2017년 최우수 · 2018년 가 · 2023년 *나*': every grade on record, the latest bold."""
    years = sorted(results)
    return " · ".join(
        tr(lang, f"{y}년 ", f"{y} ")
        + (f"*{results[y].grade}*" if y == years[-1] else results[y].grade)
        for y in years
    )
