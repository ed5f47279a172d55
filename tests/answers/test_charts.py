"""The chart renderer: real PNGs of the right size, every drawn string in the font (no tofu),
gaps as gaps, other grade scales kept off the 가–마 axis, big grids capped."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from answers.presentation import charts
from answers.presentation.charts import figures as chart_figures

YEARS = list(range(2016, 2025))
GOSEONG = {
    "경남 고성군": {
        2018: "나",
        2019: "다",
        2021: "가",
        2022: "가",
        2024: "다",
    },  # 2020, 2023 missing
    "강원특별자치도교육청": {2016: "S", 2017: "우수", 2018: "가", 2019: "나", 2020: "나"},
}
COUNTS = {
    "중앙": {"가": 5, "나": 9, "다": 18, "라": 9, "마": 5},
    "광역": {"가": 2, "나": 3, "다": 7, "라": 3, "마": 2},
    "교육청": {"가": 2, "나": 3, "다": 7, "라": 3, "마": 2},
    "기초-시": {"가": 8, "나": 15, "다": 30, "라": 15, "마": 7},
    "기초-군": {"가": 8, "나": 16, "다": 33, "라": 17, "마": 8},
    "기초-구": {"가": 7, "나": 14, "다": 27, "라": 14, "마": 7},
}


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Figure]]:
    """The figures the charts render, kept for inspection after drawing."""
    figures: list[Figure] = []
    render = chart_figures._render

    def spy(build: Callable[[], Figure]) -> bytes:
        def keep() -> Figure:
            figure = build()
            figures.append(figure)
            return figure

        return render(keep)

    monkeypatch.setattr(chart_figures, "_render", spy)
    yield figures


def png(data: bytes) -> np.ndarray:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"), dtype=float) / 255


def render(chart: Callable[..., bytes], *args: object, **kwargs: object) -> np.ndarray:
    """Render, failing on any missing-glyph warning, and check the result is a real image."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pixels = png(chart(*args, **kwargs))
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert pixels.std() > 0.05  # not blank
    assert (pixels.min(axis=2) < 0.9).mean() > 0.01  # something dark is drawn
    assert tuple(pixels[2, 2]) == (1.0, 1.0, 1.0)  # white background
    return pixels


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


def assert_drawable(figure: Figure) -> None:
    bad = {text: charts.missing_glyphs(text) for text in texts(figure)}
    assert not {text: chars for text, chars in bad.items() if chars}


def agency_line(figure: Figure, name: str) -> Line2D:
    legend = figure.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    handle = legend.legend_handles[labels.index(name)]
    assert isinstance(handle, Line2D)
    ax = figure.axes[0]
    return next(
        line
        for line in ax.get_lines()
        if line.get_marker() == handle.get_marker() and np.size(line.get_xdata()) == len(YEARS)
    )


# --- font ---------------------------------------------------------------------------------


def test_font_is_nanum_gothic_from_the_package() -> None:
    path = charts.font_path()
    assert path.name == "NanumGothic.ttf" and path.is_file()
    assert path.parent.name == "fonts" and path.parent.parent.name == "koreanize_matplotlib"


def test_font_lookup_and_rendering_leave_matplotlib_globals_alone() -> None:
    before = dict(matplotlib.rcParams)
    charts.history_chart({"김해시": {2023: "나"}}, years=[2023], title="김해시", lang="ko")
    assert dict(matplotlib.rcParams) == before
    # importing koreanize_matplotlib would rewrite rcParams: the module must not import it
    code = (
        "import sys; from answers.presentation import charts; charts.font_path(); charts.missing_glyphs('가');"
        "assert 'koreanize_matplotlib' not in sys.modules, 'imported'"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root, timeout=60)


def test_missing_glyphs() -> None:
    assert (
        charts.missing_glyphs("경남 고성군 강원특별자치도교육청 가나다라마 S–D 10% · ▲▼") == set()
    )
    assert charts.missing_glyphs("고성군😀𠀀") == {"😀", "𠀀"}
    assert charts.missing_glyphs("줄\n바꿈") == set()
    assert charts.missing_glyphs("\x00") == {"\x00"}


# --- history / comparison -------------------------------------------------------------------


def test_compare_chart_with_gaps_and_mixed_scales(drawn: list[Figure]) -> None:
    pixels = render(
        charts.history_chart, GOSEONG, years=YEARS, title="고성군 비교: 등급 추이", lang="ko"
    )
    assert pixels.shape == (700, 1200, 3)
    (figure,) = drawn
    assert_drawable(figure)
    shown = texts(figure)
    assert "경남 고성군" in shown and "강원특별자치도교육청" in shown  # the legend
    assert "다른 등급 체계" in shown and "S" in shown and "우수" in shown  # published as is
    assert "가 최우수" in shown and "마 아주미흡" in shown

    gyeongnam = agency_line(figure, "경남 고성군").get_ydata()
    ys = dict(zip(YEARS, np.asarray(gyeongnam, dtype=float), strict=True))
    assert math.isnan(ys[2020]) and math.isnan(ys[2023])  # gaps, not zero, not interpolated
    assert (ys[2018], ys[2019], ys[2021], ys[2024]) == (2.0, 3.0, 1.0, 3.0)  # 가 = 1, at the top
    assert 0.0 not in ys.values()
    ax = figure.axes[0]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # inverted: 가 on top

    office = agency_line(figure, "강원특별자치도교육청").get_ydata()
    ys = dict(zip(YEARS, np.asarray(office, dtype=float), strict=True))
    assert math.isnan(ys[2016]) and math.isnan(ys[2017])  # S and 우수 are not on the 가–마 axis
    assert ys[2018] == 1.0


def test_agencies_differ_by_marker_and_line_style(drawn: list[Figure]) -> None:
    series = {f"기관 {i}": {2023: "가나다라마"[i % 5], 2024: "다"} for i in range(8)}
    render(charts.history_chart, series, years=[2023, 2024], title="여덟 기관", lang="ko")
    handles = drawn[0].legends[0].legend_handles
    styles = {(h.get_marker(), h.get_linestyle()) for h in handles if isinstance(h, Line2D)}
    assert len({marker for marker, _ in styles}) == len(series)


def test_single_point(drawn: list[Figure]) -> None:
    render(charts.history_chart, {"김해시": {2023: "나"}}, years=YEARS, title="김해시", lang="en")
    figure = drawn[0]
    assert_drawable(figure)
    ys = np.asarray(agency_line(figure, "김해시").get_ydata(), dtype=float)
    assert [y for y in ys if not math.isnan(y)] == [2.0]
    assert "different scale" in texts(figure) or "different\nscale" in texts(figure)


def test_emoji_and_rare_characters_do_not_become_boxes(drawn: list[Figure]) -> None:
    series = {"경남 고성군 🏛️": {2023: "가"}, "𠀀 시": {2023: "다", 2024: "라"}}
    render(charts.history_chart, series, years=[2023, 2024], title="등급 😀 추이 𠀀", lang="ko")
    assert_drawable(drawn[0])
    shown = texts(drawn[0])
    assert "경남 고성군" in shown  # the emoji is dropped
    assert "? 시" in shown  # a letter the font lacks is marked, not silently lost


def test_history_rejects_nothing_to_draw() -> None:
    with pytest.raises(ValueError, match="agency"):
        charts.history_chart({}, years=YEARS, title="빈 차트", lang="ko")
    with pytest.raises(ValueError, match="year"):
        charts.history_chart({"김해시": {2023: "나"}}, years=[], title="빈 차트", lang="ko")
    with pytest.raises(ValueError, match="no published grade"):
        charts.history_chart({"김해시": {2019: "나"}}, years=[2023, 2024], title="t", lang="ko")
    with pytest.raises(ValueError, match="lang"):
        charts.history_chart({"김해시": {2023: "나"}}, years=[2023], title="t", lang="jp")


def test_more_agencies_than_lines_are_named_in_the_title(drawn: list[Figure]) -> None:
    series = {f"기관 {i}": {2024: "다"} for i in range(charts.MAX_LINES + 3)}
    render(charts.history_chart, series, years=[2024], title="비교", lang="ko")
    assert f"비교 ({charts.MAX_LINES}곳 표시, 외 3곳)" in texts(drawn[0])


# --- heat grid --------------------------------------------------------------------------------


def test_heat_grid_cells_and_no_record(drawn: list[Figure]) -> None:
    pixels = render(charts.heat_grid, GOSEONG, years=YEARS, title="고성군 등급표", lang="ko")
    assert pixels.shape == (700, 1200, 3)
    figure = drawn[0]
    assert_drawable(figure)
    shown = texts(figure)
    assert shown.count("–") == 8  # the missing cells, written
    grid = figure.axes[1]
    cells = [p for p in grid.patches if isinstance(p, Rectangle)]
    assert len(cells) == len(GOSEONG) * len(YEARS)
    missing = [c for c in cells if c.get_hatch()]
    colours = {matplotlib.colors.to_hex(c.get_facecolor()) for c in cells if not c.get_hatch()}
    assert len(missing) == 8
    assert {matplotlib.colors.to_hex(c.get_facecolor()) for c in missing} == {"#ffffff"}
    assert "#ffffff" not in colours  # no grade looks like "no record"
    assert charts.OTHER_SCALE_COLOUR in colours  # S and 우수 in grey, not a 가–마 colour


def test_heat_grid_of_300_agencies_is_capped(drawn: list[Figure]) -> None:
    grid = {f"기관{i:03d} 경남 고성군": {2023: "가나다라마"[i % 5], 2024: "다"} for i in range(300)}
    pixels = render(charts.heat_grid, grid, years=[2022, 2023, 2024], title="전체", lang="ko")
    height, width, _ = pixels.shape
    assert width == 1200 and 700 < height <= 4000
    figure = drawn[0]
    title = f"전체 ({charts.MAX_ROWS}곳 표시, 외 {300 - charts.MAX_ROWS}곳)"
    assert title in texts(figure)
    assert len(figure.axes[1].get_yticklabels()) == charts.MAX_ROWS


def test_heat_grid_in_english_and_empty_input(drawn: list[Figure]) -> None:
    grid = {"Gimhae-si (김해시)": {2023: "나"}}
    render(charts.heat_grid, grid, years=[2023, 2024], title="Grid", lang="en")
    assert "– no record" in texts(drawn[0])
    with pytest.raises(ValueError):
        charts.heat_grid({}, years=YEARS, title="t", lang="ko")
    with pytest.raises(ValueError):
        charts.heat_grid({"김해시": {}}, years=YEARS, title="t", lang="ko")


# --- distribution --------------------------------------------------------------------------


def test_distribution_chart(drawn: list[Figure]) -> None:
    title = "2024년 등급 분포"
    pixels = render(charts.distribution_chart, COUNTS, year=2024, title=title, lang="ko")
    assert pixels.shape == (700, 1200, 3)
    figure = drawn[0]
    assert_drawable(figure)
    shown = texts(figure)
    assert {"33", "5"} <= set(shown)  # counts on the bars
    assert "중앙\n46곳" in shown and "기초-군\n82곳" in shown and "가 최우수" in shown
    assert shown.count("가") == len(COUNTS)  # the grade under each bar, not colour alone


def test_distribution_in_english_names_each_group_once_without_overlap(
    drawn: list[Figure],
) -> None:
    render(charts.distribution_chart, COUNTS, year=2024, title="2024 grades", lang="en")
    figure = drawn[0]
    labels = [t for t in figure.findobj(Text) if "n=" in t.get_text() and t.get_visible()]
    flat = [" ".join(t.get_text().split()) for t in labels]
    assert "광역 (provinces & metropolitan cities) n=17" in flat, flat
    assert "중앙 (central agencies) n=46" in flat and "기초-군 (counties) n=82" in flat, flat
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    assert len(boxes) == len(COUNTS)
    assert all(left.x1 < right.x0 for left, right in zip(boxes, boxes[1:], strict=False))


def test_distribution_of_another_scale_keeps_its_own_grades(drawn: list[Figure]) -> None:
    counts = {"중앙": {"최우수": 5, "우수": 10, "보통": 30}, "광역": {"최우수": 2, "보통": 10}}
    render(charts.distribution_chart, counts, year=2017, title="2017 distribution", lang="en")
    figure = drawn[0]
    assert_drawable(figure)
    shown = texts(figure)
    assert "최우수" in shown and "가" not in shown
    bars = [p for p in figure.axes[0].patches if isinstance(p, Rectangle)]
    colours = {matplotlib.colors.to_hex(b.get_facecolor()) for b in bars}
    assert not colours & set(charts.GRADE_COLOURS.values())  # never the 가–마 colours


def test_distribution_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        charts.distribution_chart({}, year=2024, title="t", lang="ko")
    with pytest.raises(ValueError):
        charts.distribution_chart({"중앙": {"가": 0}}, year=2024, title="t", lang="ko")
    with pytest.raises(ValueError, match="scale"):
        charts.distribution_chart({"중앙": {"가": 1, "우수": 2}}, year=2024, title="t", lang="ko")
    with pytest.raises(ValueError):
        charts.distribution_chart({"중앙": {"가": -1}}, year=2024, title="t", lang="ko")
