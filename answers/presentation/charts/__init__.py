"""Charts of published grades as PNG bytes: an agency's grade history (several agencies make
a comparison), an agencies × years grid, and one year's grade distribution per group.
Pure: no Slack, no database, no pyplot state. ``fonts`` finds and checks the font;
``figures`` draws."""

from __future__ import annotations

from answers.answer import Chart
from answers.presentation.charts.figures import (
    GRADE_COLOURS,
    MAX_LINES,
    MAX_ROWS,
    OTHER_SCALE_COLOUR,
    distribution_chart,
    heat_grid,
    history_chart,
)
from answers.presentation.charts.fonts import font_path, missing_glyphs

__all__ = [
    "GRADE_COLOURS",
    "MAX_LINES",
    "MAX_ROWS",
    "OTHER_SCALE_COLOUR",
    "distribution_chart",
    "font_path",
    "heat_grid",
    "history_chart",
    "missing_glyphs",
    "render",
]


def render(chart: Chart, *, lang: str) -> bytes:
    """Draw an answer's :class:`Chart` as PNG bytes."""
    if chart.kind == "history":
        return history_chart(chart.series, years=chart.years, title=chart.title, lang=lang)
    if chart.kind == "heat":
        return heat_grid(chart.series, years=chart.years, title=chart.title, lang=lang)
    if chart.kind == "distribution" and chart.year is not None:
        return distribution_chart(chart.counts, year=chart.year, title=chart.title, lang=lang)
    raise ValueError(f"unknown chart kind {chart.kind!r}")
