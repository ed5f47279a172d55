"""The year an answer used is always named; no change or trend is computed across a missing
year; history charts leave a missing year as a gap. On the bundled data (2016–2025)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from answers.presentation import charts
from answers.presentation.charts import figures as chart_figures
from answers.presentation.plain import to_text
from answers.query import Intent, Lang
from answers.service import Answerer


def own(grades: pd.DataFrame, agency: str, region: str) -> dict[int, str]:
    rows = grades[(grades.agency == agency) & (grades.region == region)]
    return dict(zip(rows.year, rows.grade, strict=True))


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("하남시 올해", "최근 공개: 2025년 평가"),
        ("하남시", "최근 공개: 2025년 평가"),
        ("하남시 최근 등급", "최근 공개: 2025년 평가"),
        ("하남시 작년", "2024년 평가 기준 (최근 공개: 2025년)"),
        ("hanam this year", "Latest published: the 2025 evaluation"),
        ("광역 가 등급", "최근 공개: 2025년 평가"),
    ],
)
async def test_the_year_used_is_named(answerer: Answerer, question: str, named: str) -> None:
    answer = await answerer.answer(question)
    assert named in to_text(answer)


async def test_hanam_this_year_is_2025(answerer: Answerer, grades: pd.DataFrame) -> None:
    answer = await answerer.answer("하남시 올해")
    hanam = own(grades, "하남시", "경기")
    assert answer.intent is Intent.GRADE and answer.lang is Lang.KO
    assert f"경기 하남시 — 2025년 {hanam[2025]}" in to_text(answer)


async def test_a_named_year_needs_no_naming(answerer: Answerer) -> None:
    assert "최근 공개" not in to_text(await answerer.answer("하남시 2024"))


async def test_previous_year_missing_is_unknown_not_older(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    goseong = own(grades, "고성군", "강원")
    assert 2025 in goseong and 2024 not in goseong and 2023 in goseong  # the fixture's point
    text = to_text(await answerer.answer("강원 고성군 2025"))
    assert "2024년 기록 없음 (이전 등급을 알 수 없어 변화도 알 수 없음)" in text
    assert "2023년" not in text  # never compared with an older year
    english = to_text(await answerer.answer("gangwon goseong 2025"))
    assert "no record for 2024, so the change is unknown" in english


async def test_history_shows_gaps_and_trends_only_consecutive_years(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    goseong = own(grades, "고성군", "강원")
    answer = await answerer.answer("강원 고성군 추이")
    text = to_text(answer)
    assert "2024 기록 없음" in text and f"2025 {goseong[2025]}" in text
    trend = next(line for line in text.splitlines() if line.startswith("추세"))
    assert trend.startswith("추세: 2024년 기록이 없어 최근 추세는 말할 수 없습니다.")
    assert f"그 전 연속 기록: 2022년 {goseong[2022]} → 2023년 {goseong[2023]}" in trend
    assert "2025년" not in trend


async def test_history_chart_leaves_a_missing_year_as_a_gap(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = await answerer.answer("강원 고성군 추이")
    assert answer.chart is not None and 2024 in answer.chart.years
    figures: list[Figure] = []
    render = chart_figures._render
    monkeypatch.setattr(
        chart_figures,
        "_render",
        lambda build: render(lambda: figures.append(build()) or figures[-1]),
    )
    charts.render(answer.chart, lang="ko")
    (line,) = [ln for ln in figures[0].axes[0].get_lines() if len(ln.get_xdata()) > 1]
    ys = dict(zip(answer.chart.years, np.asarray(line.get_ydata(), dtype=float), strict=True))
    assert math.isnan(ys[2024]) and not math.isnan(ys[2023]) and not math.isnan(ys[2025])
