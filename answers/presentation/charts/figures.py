"""The figures: charts of published grades as PNG bytes: an agency's grade history (several agencies make
a comparison), an agencies × years grid, and one year's grade distribution per group.

Pure: no Slack, no database, no pyplot state. Text is drawn in NanumGothic, found inside the
installed koreanize-matplotlib package *without importing it* (importing it rewrites
matplotlib's global rcParams); the font is registered once and used through FontProperties
and a local ``rc_context``. Every string is checked against the font's cmap first, so no
character comes out as a box. Grade scales are never mapped onto one another: only 가–마
grades sit on the 가–마 axis or take the 가–마 colours; 2016 (S–D) and 2017 (최우수/우수/보통)
results are written as published, on a band marked as a different scale."""

from __future__ import annotations

import math
import textwrap
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from io import BytesIO

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from answers.presentation.charts.fonts import clean, family, fp
from domain.grades import (
    FIRST_GA_MA_YEAR,
    GA_MA_GRADES,
    GRADE_EN,
    GradeScale,
    band_shares,
    grade_label,
    scale_grades,
)
from domain.groups import GROUP_EN, GROUP_ORDER

DPI = 100
WIDTH_IN, HEIGHT_IN = 12.0, 7.0  # 1200 × 700 px
MAX_LINES = 8  # agencies on one history chart; more is unreadable (use heat_grid)
MAX_ROWS = 120  # agencies on one heat grid
GROUP_LABEL_WIDTH = 16  # characters of an English group name per line under its bars

GA_MA = GA_MA_GRADES
OTHER_SCALES = (scale_grades(GradeScale.THREE_LEVEL), scale_grades(GradeScale.SABCD))  # 2017, 2016
NO_RECORD = {"", "-", "–", "—"}

# Okabe–Ito (colour-blind safe), yellow left out: too faint for a line on white.
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">", "p", "8")
LINE_STYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0, (6, 2, 1, 2, 1, 2)),
    (0, (1, 1)),
)
# 가–마 on viridis (colour-blind safe, ordered dark = best); other scales only in greys.
GRADE_COLOURS = dict(
    zip(GA_MA, ("#440154", "#3b528b", "#21918c", "#4ec36b", "#d2e21b"), strict=True)
)
OTHER_SCALE_COLOUR = "#d9d9d9"
BAND_COLOUR = "#ededed"
MUTED = "#6b6b6b"
GRID_COLOUR = "#e3e3e3"
MISSING_EDGE = "#c4c4c4"

_LOCK = threading.Lock()  # rc_context and the font cache are process-global


def _render(build: Callable[[], Figure]) -> bytes:
    """Build and save a figure under the chart font, without touching global rcParams
    (rc_context is process-global while it lasts, hence the lock)."""
    with _LOCK:
        name = family()
        with matplotlib.rc_context(
            {
                "font.family": [name],
                "axes.unicode_minus": False,
                "text.parse_math": False,  # a '$' in a name stays a '$'
                "figure.facecolor": "white",
                "axes.facecolor": "white",
                "savefig.facecolor": "white",
                "hatch.linewidth": 0.8,
            }
        ):
            figure = build()
            FigureCanvasAgg(figure)
            buffer = BytesIO()
            figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


# --- shared helpers ---------------------------------------------------------------------


def _is_en(lang: str) -> bool:
    code = str(lang).lower()
    if code not in ("ko", "en"):
        raise ValueError(f"lang must be 'ko' or 'en', not {lang!r}")
    return code == "en"


def _tr(en: bool, ko: str, english: str) -> str:
    return english if en else ko


def _years(years: Sequence[int]) -> list[int]:
    if not years:
        raise ValueError("no years to chart")
    if not all(isinstance(y, int) for y in years):
        raise ValueError(f"years must be integers: {list(years)!r}")
    return sorted(set(years))


def _grade(value: object) -> str | None:
    """The published grade, or None for 'no record'."""
    text = "" if value is None else str(value).strip()
    return None if text in NO_RECORD else text


def _more(en: bool, shown: int, hidden: int) -> str:
    """The title's note when only the first ``shown`` agencies are drawn."""
    if hidden <= 0:
        return ""
    return _tr(en, f" ({shown}곳 표시, 외 {hidden}곳)", f" ({shown} shown, and {hidden} more)")


def _wrapped(name: str) -> str:
    """A long English group name on two lines, so neighbouring labels never overlap."""
    return "\n".join(textwrap.wrap(name, GROUP_LABEL_WIDTH))


def _grade_tick(grade: str, en: bool) -> str:
    return (
        f"{grade} ({GRADE_EN[grade]})" if en else f"{grade} {grade_label(GradeScale.GA_MA, grade)}"
    )


def _text_colour(background: str) -> str:
    r, g, b = to_rgb(background)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=DPI, facecolor="white", layout="constrained")


def _title(figure: Figure, text: str) -> None:
    figure.suptitle(clean(text), fontproperties=fp(16, bold=True))


def _tick_fonts(ax: Axes, size: float) -> None:
    for label in (*ax.get_xticklabels(), *ax.get_yticklabels()):
        label.set_fontproperties(fp(size))


def _runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs of positions, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for pos in sorted(positions):
        if runs and runs[-1][1] == pos - 1:
            runs[-1] = (runs[-1][0], pos)
        else:
            runs.append((pos, pos))
    return runs


# --- history / comparison -----------------------------------------------------------------


def history_chart(
    series: Mapping[str, Mapping[int, str]], *, years: Sequence[int], title: str, lang: str
) -> bytes:
    """One line per agency over ``years``: 가 at the top, a missing year a gap in the line,
    2016/2017 (other scales) a shaded band with the published grade written in it.

    Raises ValueError when there is no agency, no year, or no record in those years."""
    if not series:
        raise ValueError("no agency to chart")
    axis = _years(years)
    if not any(_grade(g) for grades in series.values() for y, g in grades.items() if y in axis):
        raise ValueError(f"no published grade for these agencies in {axis[0]}–{axis[-1]}")
    return _render(lambda: _history_figure(series, axis, title, _is_en(lang)))


def _history_figure(
    series: Mapping[str, Mapping[int, str]], years: list[int], title: str, en: bool
) -> Figure:
    shown = list(series.items())[:MAX_LINES]
    hidden = len(series) - len(shown)
    # per agency: column (index into years) -> published grade
    grades = [
        {years.index(y): g for y, value in record.items() if y in years and (g := _grade(value))}
        for _, record in shown
    ]
    other = {p for p, y in enumerate(years) if y < FIRST_GA_MA_YEAR}
    other |= {p for row in grades for p, g in row.items() if g not in GA_MA}

    figure = _figure(WIDTH_IN, HEIGHT_IN)
    _title(figure, title + _more(en, len(shown), hidden))
    ax = figure.add_subplot()
    ax.set_axisbelow(True)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_ylim(len(GA_MA) + 0.6, 0.4)  # 가 (1) at the top
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)

    n = len(shown)
    dodge = min(0.1, 0.45 / n) if n > 1 else 0.0
    offsets = [(i - (n - 1) / 2) * dodge for i in range(n)]  # side by side, not on top
    handles: list[Line2D] = []
    for i, row in enumerate(grades):
        xs = [p + offsets[i] for p in range(len(years))]
        # NaN breaks the line: a missing year is a gap, never a zero or an interpolation
        ys = [_rank(row.get(p)) if p not in other else math.nan for p in range(len(years))]
        (line,) = ax.plot(
            xs,
            ys,
            color=LINE_COLOURS[i % len(LINE_COLOURS)],
            marker=MARKERS[i % len(MARKERS)],
            linestyle=LINE_STYLES[i % len(LINE_STYLES)],
            linewidth=2.2,
            markersize=9,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=3,
        )
        handles.append(line)

    for p in range(len(years)):
        if p in other:
            continue
        for g in {row[p] for row in grades if row.get(p) in GA_MA}:
            # one label per (year, grade), above the markers that share it
            at = [offsets[i] for i, row in enumerate(grades) if row.get(p) == g]
            ax.annotate(
                g,
                (p + sum(at) / len(at), GA_MA.index(g) + 1),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontproperties=fp(11, bold=True),
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                zorder=4,
            )
        if not any(p in row for row in grades):
            _no_record_column(ax, p, en)

    _other_scale_bands(ax, other, grades, handles, en)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(1, len(GA_MA) + 1), [_grade_tick(g, en) for g in GA_MA])
    _tick_fonts(ax, 11)
    xlabel = _tr(
        en,
        "평가 연도 (선이 끊긴 곳 = 기록 없음, 0점 아님)",
        "evaluation year (a break in a line = no record, not zero)",
    )
    ax.set_xlabel(xlabel, fontproperties=fp(10), color=MUTED)
    ylabel = _tr(en, "등급 (평가군 안 상대평가)", "grade (relative, within the group)")
    ax.set_ylabel(ylabel, fontproperties=fp(11))
    names = [clean(name) or "?" for name, _ in shown]
    figure.legend(
        handles,
        names,
        loc="outside lower center",
        ncol=min(n, 4),
        frameon=False,
        prop=fp(12),
        handlelength=3.2,
    )
    return figure


def _rank(grade: str | None) -> float:
    """y of a 가–마 grade (가 = 1); NaN for anything else."""
    return GA_MA.index(grade) + 1.0 if grade in GA_MA else math.nan


def _no_record_column(ax: Axes, p: int, en: bool, background: str = "white") -> None:
    ax.text(
        p,
        3,
        _tr(en, "기록 없음", "no record"),
        rotation=90,
        ha="center",
        va="center",
        color=MUTED,
        fontproperties=fp(10),
        bbox={"facecolor": background, "edgecolor": "none"},  # hides the grid line
        zorder=2,
    )


def _other_scale_bands(
    ax: Axes, other: set[int], grades: list[dict[int, str]], handles: list[Line2D], en: bool
) -> None:
    """Shade the years on another scale and write each agency's published grade there, on
    a card whose rows are not grade lines: those grades are not on the 가–마 axis."""
    for first, last in _runs(other):
        ax.axvspan(first - 0.5, last + 0.5, color=BAND_COLOUR, linewidth=0, zorder=1)
        label = _tr(en, "다른 등급 체계", "different scale")
        ax.text(
            (first + last) / 2,
            0.985,
            label.replace(" ", "\n") if first == last else label,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            color=MUTED,
            fontproperties=fp(10, bold=True),
            zorder=2,
        )
    n = len(grades)
    step = min(0.45, 3.6 / n)
    ys = [3 + (i - (n - 1) / 2) * step for i in range(n)]
    for p in sorted(other):
        if not any(p in row for row in grades):
            _no_record_column(ax, p, en, BAND_COLOUR)
            continue
        card = FancyBboxPatch(
            (p - 0.36, ys[0] - step / 2),
            0.72,
            step * n,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            mutation_aspect=0.5,
            facecolor="white",
            edgecolor="#bdbdbd",
            linewidth=0.8,
            zorder=2,
        )
        ax.add_patch(card)
        for row, y, line in zip(grades, ys, handles, strict=True):
            ax.plot(
                [p - 0.2],
                [y],
                linestyle="none",
                marker=line.get_marker(),
                color=line.get_color(),
                markersize=8,
                markeredgecolor="white",
                zorder=3,
            )
            known = p in row
            ax.text(
                p - 0.1,
                y,
                clean(row[p]) if known else "–",
                ha="left",
                va="center",
                color="black" if known else MUTED,
                fontproperties=fp(11, bold=known),
                zorder=3,
            )


# --- agencies × years grid ----------------------------------------------------------------


def heat_grid(
    grid: Mapping[str, Mapping[int, str]], *, years: Sequence[int], title: str, lang: str
) -> bytes:
    """Agencies (rows, in the given order) × years, each cell coloured by its grade with the
    grade written in it; a missing record is a hatched white cell with '–'. At most
    ``MAX_ROWS`` rows; the title then says how many were left out.

    Raises ValueError when there is no agency, no year, or no record in those years."""
    if not grid:
        raise ValueError("no agency to chart")
    axis = _years(years)
    if not any(_grade(g) for grades in grid.values() for y, g in grades.items() if y in axis):
        raise ValueError(f"no published grade for these agencies in {axis[0]}–{axis[-1]}")
    return _render(lambda: _heat_figure(grid, axis, title, _is_en(lang)))


def _heat_figure(
    grid: Mapping[str, Mapping[int, str]], years: list[int], title: str, en: bool
) -> Figure:
    shown = list(grid.items())[:MAX_ROWS]
    hidden = len(grid) - len(shown)
    rows, cols = len(shown), len(years)
    width = WIDTH_IN + max(0, cols - 12) * 0.8
    height = max(HEIGHT_IN, 2.6 + 0.3 * rows)
    figure = _figure(width, height)
    _title(figure, title + _more(en, len(shown), hidden))
    # the legend gets its own strip above the grid (an outside legend would sit on the title)
    key, ax = figure.subplots(2, 1, height_ratios=[0.75, height - 1.6])
    key.set_axis_off()
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    seen_other = False
    for r, (_, record) in enumerate(shown):
        for c, year in enumerate(years):
            grade = _grade(record.get(year))
            cell = Rectangle((c - 0.5, r - 0.5), 1, 1)
            if grade is None:
                cell.set(facecolor="white", edgecolor=MISSING_EDGE, hatch="///", linewidth=0.6)
                text, colour = "–", MUTED
            else:
                on_ga_ma = grade in GA_MA and year >= FIRST_GA_MA_YEAR
                fill = GRADE_COLOURS[grade] if on_ga_ma else OTHER_SCALE_COLOUR
                seen_other |= not on_ga_ma
                cell.set(facecolor=fill, edgecolor="white", linewidth=1.5)
                text, colour = clean(grade), _text_colour(fill)
            ax.add_patch(cell)
            bold = grade is not None
            ax.text(
                c,
                r,
                text,
                ha="center",
                va="center",
                color=colour,
                fontproperties=fp(11, bold=bold),
            )
    ax.set_xticks(range(cols), [str(y) for y in years])
    ax.set_yticks(range(rows), [clean(name) or "?" for name, _ in shown])
    ax.tick_params(length=0, labeltop=True, labelbottom=rows > 20)
    _tick_fonts(ax, 11)
    for spine in ax.spines.values():
        spine.set_visible(False)
    legend = [Patch(facecolor=GRADE_COLOURS[g], label=_grade_tick(g, en)) for g in GA_MA]
    if seen_other:
        other = _tr(en, "다른 등급 체계 (게시된 그대로)", "different scale (as published)")
        legend.append(Patch(facecolor=OTHER_SCALE_COLOUR, label=other))
    missing = _tr(en, "– 기록 없음", "– no record")
    legend.append(Patch(facecolor="white", edgecolor=MISSING_EDGE, hatch="///", label=missing))
    key.legend(handles=legend, loc="center", ncol=min(len(legend), 4), frameon=False, prop=fp(11))
    return figure


# --- one year's distribution per group ------------------------------------------------------


def distribution_chart(
    counts: Mapping[str, Mapping[str, int]], *, year: int, title: str, lang: str
) -> bytes:
    """Grouped bars: for each group (중앙, 광역, 교육청, 기초-시, 기초-군, 기초-구, then any
    other), how many agencies got each grade in ``year``, count written on every bar and the
    grade under it. The grades must all come from one scale (가–마, 최우수/우수/보통 or S–D).

    Raises ValueError on empty input, negative counts, or grades of mixed/unknown scales."""
    if not counts or not any(counts.values()):
        raise ValueError("no counts to chart")
    if any(not isinstance(v, int) or v < 0 for row in counts.values() for v in row.values()):
        raise ValueError("counts must be non-negative integers")
    if sum(v for row in counts.values() for v in row.values()) == 0:
        raise ValueError("no agency counted")
    present = {str(g).strip() for row in counts.values() for g in row}
    scale = next((s for s in (GA_MA, *OTHER_SCALES) if present <= set(s)), None)
    if scale is None:
        raise ValueError(f"grades from more than one scale, or unknown: {sorted(present)}")
    return _render(lambda: _distribution_figure(counts, scale, year, title, _is_en(lang)))


def _distribution_figure(
    counts: Mapping[str, Mapping[str, int]],
    scale: tuple[str, ...],
    year: int,
    title: str,
    en: bool,
) -> Figure:
    groups = [g for g in GROUP_ORDER if g in counts] + [g for g in counts if g not in GROUP_ORDER]
    table = {g: {str(k).strip(): v for k, v in counts[g].items()} for g in groups}
    ga_ma = scale == GA_MA
    if ga_ma:
        colours = [GRADE_COLOURS[g] for g in scale]
    else:  # another scale: greys only, never the 가–마 colours
        greys = matplotlib.colormaps["Greys"]
        colours = [
            to_hex(greys(0.75 - 0.5 * k / max(1, len(scale) - 1))) for k in range(len(scale))
        ]
    figure = _figure(WIDTH_IN, HEIGHT_IN)
    _title(figure, title)
    ax = figure.add_subplot()
    width = 0.8 / len(scale)
    top = max(v for row in table.values() for v in row.values())
    ticks: list[float] = []
    tick_labels: list[str] = []
    for k, grade in enumerate(scale):
        xs = [gi + (k - (len(scale) - 1) / 2) * width for gi in range(len(groups))]
        values = [table[g].get(grade, 0) for g in groups]
        label = _grade_tick(grade, en) if ga_ma else grade
        bars = ax.bar(xs, values, width * 0.92, color=colours[k], label=clean(label), zorder=3)
        ax.bar_label(bars, labels=[str(v) for v in values], padding=2, fontproperties=fp(10))
        ticks += xs
        tick_labels += [clean(grade)] * len(groups)
    ax.set_xticks(ticks, tick_labels)
    ax.set_ylim(0, top * 1.15 + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_axisbelow(True)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _tick_fonts(ax, 10 if len(scale) * len(groups) <= 36 else 8)
    names = [
        (f"{g}\n({_wrapped(GROUP_EN[g])})" if en and g in GROUP_EN else g)
        + _tr(en, f"\n{sum(table[g].values())}곳", f"\nn={sum(table[g].values())}")
        for g in groups
    ]
    below = ax.secondary_xaxis(-0.06)
    below.set_xticks(range(len(groups)), [clean(name) for name in names])
    below.tick_params(length=0)
    below.spines["bottom"].set_visible(False)
    for tick in below.get_xticklabels():
        tick.set_fontproperties(fp(12, bold=True))
    if ga_ma:
        shares = " · ".join(f"{grade} {share}%" for grade, share in band_shares())
        note = _tr(en, f"평가군 안 상대평가: {shares}", f"relative within each group: {shares}")
    else:
        levels = " / ".join(scale)
        note = _tr(
            en,
            f"{year}년 등급 체계 ({levels}): 2018년 이후의 가–마와 비교할 수 없음",
            f"{year} scale ({levels}): not comparable with 가–마 (2018 on)",
        )
    head = _tr(en, f"{year}년 평가군별 등급 분포", f"{year}: grades per group")
    ax.set_title(clean(f"{head} — {note}"), fontproperties=fp(11), color=MUTED)
    ax.set_ylabel(_tr(en, "기관 수", "agencies"), fontproperties=fp(11))
    figure.legend(loc="outside lower center", ncol=len(scale), frameon=False, prop=fp(11))
    return figure
