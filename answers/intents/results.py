"""Results arranged for answers: by agency and year, and as a grade-history chart."""

from __future__ import annotations

from collections.abc import Sequence

from answers.answer import Chart, Message, say, tr
from answers.query import Lang
from answers.understanding.catalog import AgencyRef
from domain.grades import grade_move
from storage.views import ResultView


def results_by_agency(results: Sequence[ResultView]) -> dict[int, dict[int, ResultView]]:
    found: dict[int, dict[int, ResultView]] = {}
    for result in results:
        found.setdefault(result.agency_id, {})[result.year] = result
    return found


def grade_chart(
    agencies: Sequence[AgencyRef],
    by_agency: dict[int, dict[int, ResultView]],
    years: Sequence[int],
    title: str,
) -> Chart | None:
    """Grades over the years, one line per agency; None when nothing is on record."""
    series = {
        a.label(): {y: r.grade for y, r in by_agency.get(a.id, {}).items() if y in years}
        for a in agencies
    }
    if not any(series.values()):
        return None
    return Chart(kind="history", title=title, series=series, years=tuple(years))


TREND: Message = (
    "추세: {span} (연속 {count}년)",
    "Trend: {span} ({count} consecutive years)",
)
SPAN: Message = (
    "{first}년 {before} → {last}년 {after} {move}",
    "{first} {before} → {last} {after} {move}",
)
NO_TREND: Message = (
    "추세: 연속된 두 평가 연도의 같은 체계 기록이 없어 말할 수 없습니다.",
    "Trend: no two consecutive evaluation years on the same scale are on record, so none is given.",
)
NO_RECENT_TREND: Message = (
    "추세: {gap}년 기록이 없어 최근 추세는 말할 수 없습니다. 그 전 연속 기록: {span}",
    "Trend: no record for {gap}, so there is no recent trend. The earlier consecutive record: {span}",
)
TREND_GAP: Message = (
    " · {year}년 기록 없음: 그 앞과는 잇지 않음",
    " · no record for {year}: not joined to the years before",
)


def runs(results: dict[int, ResultView], years: Sequence[int]) -> list[list[ResultView]]:
    """Records over consecutive evaluation ``years`` on one scale, oldest run first: a
    missing year or a change of scale starts a new run (a trend never bridges a gap)."""
    out: list[list[ResultView]] = []
    for year in sorted(years):
        result = results.get(year)
        if result is None:
            if out and out[-1]:
                out.append([])
            continue
        if not out or (out[-1] and out[-1][-1].scale != result.scale):
            out.append([])
        out[-1].append(result)
    return [run for run in out if run]


def _span(run: list[ResultView], lang: Lang) -> str:
    first, last = run[0], run[-1]
    moved = grade_move(first.scale, first.grade, last.scale, last.grade)
    move = moved.arrow if moved and moved.steps else tr(lang, "(변동 없음)", "(unchanged)")
    return say(
        lang,
        SPAN,
        first=first.year,
        before=first.grade,
        last=last.year,
        after=last.grade,
        move=move,
    )


def trend_line(results: dict[int, ResultView], years: Sequence[int], lang: Lang) -> str:
    """The trend over the latest consecutive, comparable years only, or why there is none."""
    found = runs(results, years)
    if not found:
        return say(lang, NO_TREND)
    latest = found[-1]
    if len(latest) >= 2:
        line = say(lang, TREND, span=_span(latest, lang), count=len(latest))
        before = [y for y in years if y < latest[0].year]
        if len(found) > 1 and before and before[-1] not in results:
            line += say(lang, TREND_GAP, year=before[-1])
        return line
    earlier = next((run for run in reversed(found[:-1]) if len(run) >= 2), None)
    gap = max((y for y in years if y < latest[0].year), default=None)
    if earlier is None or gap is None or gap in results:
        return say(lang, NO_TREND)
    return say(lang, NO_RECENT_TREND, gap=gap, span=_span(earlier, lang))
