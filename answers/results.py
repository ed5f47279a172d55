"""Results arranged for answers: by agency and year, and as a grade-history chart."""

from __future__ import annotations

from collections.abc import Sequence

from answers.answer import Chart
from answers.catalog import AgencyRef
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
