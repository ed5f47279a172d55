"""'N년 연속' checked against the record, beyond the latest window: an earlier run of the
asked length is named when the latest does not reach it (never across a gap in the record),
and the top grade asked counts the top of each year's own scale (2017 최우수, 가 from 2018).
Every grade and year is read off grades.csv; none is typed in here."""

from __future__ import annotations

import pandas as pd
from answer_kit import ask, record

from answers.query import Intent
from answers.service import Answerer
from domain.grades import GradeScale, scale_grades
from domain.years import year_config

TOP = {scale: scale_grades(scale)[0] for scale in GradeScale}


def runs_at(grades: dict[int, str], years: list[int], grade: str) -> list[list[int]]:
    """Runs at ``grade`` over consecutive evaluation years, as the CSV states them: a year
    with no record ends a run."""
    runs: list[list[int]] = [[]]
    for year in years:
        if grades.get(year) == grade:
            runs[-1].append(year)
        else:
            runs.append([])
    return [run for run in runs if run]


def is_top(year: int, grade: str) -> bool:
    return TOP[GradeScale(year_config(year).scale)] == grade


# --- an earlier run of the asked length, when the latest window does not reach it ---


async def test_a_streak_not_met_now_names_the_earlier_run_of_that_length(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    yeongyang = record(grades, "영양군", "경북")
    window = years[-3:]
    broken = [y for y in window if y in yeongyang and yeongyang[y] != "가"]
    earlier = [run for run in runs_at(yeongyang, years, "가") if len(run) >= 3]
    assert broken and earlier and window[-1] not in earlier[-1]
    run = earlier[-1]
    answer, text = await ask(answerer, "영양군 3년 연속 가 받았어?")
    assert answer.intent is Intent.STREAK
    assert f"아니요: {broken[-1]}년 등급은 {yeongyang[broken[-1]]}입니다" in text
    assert f"다만 {run[0]}–{run[-1]}년 {len(run)}년 연속 가였습니다." in text
    assert "예:" not in text and "기록이 없어 그 연속은" not in text
    assert {s.label.split()[0] for s in answer.sources} >= {str(y) for y in run}


async def test_the_earlier_run_is_said_in_english_too(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    run = [r for r in runs_at(record(grades, "영양군", "경북"), years, "가") if len(r) >= 3][-1]
    _, text = await ask(answerer, "yeongyang grade ga 3 years in a row?")
    assert f"It did have {len(run)} straight years of 가 in {run[0]}–{run[-1]}." in text


async def test_a_gap_in_the_record_ends_an_earlier_run_and_is_said(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    office = record(grades, "부산광역시교육청", "부산")
    runs = runs_at(office, years, "가")
    run = [r for r in runs if len(r) >= 3][-1]
    before, after = years[years.index(run[0]) - 1], years[years.index(run[-1]) + 1]
    assert before not in office and after not in office  # bounded by gaps on both sides
    assert office.get(years[years.index(after) + 1]) == "가"  # 가 again past the gap
    _, text = await ask(answerer, "부산교육청 3년 연속 가?")
    assert f"다만 {run[0]}–{run[-1]}년 {len(run)}년 연속 가였습니다." in text
    assert f"({before}, {after}년은 기록이 없어 그 연속은 더 길었을 수 있습니다.)" in text


async def test_a_run_is_never_joined_across_a_gap(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    office = record(grades, "부산광역시교육청", "부산")
    longest = max(len(run) for run in runs_at(office, years, "가"))
    on_grade = sum(1 for grade in office.values() if grade == "가")
    assert on_grade > longest  # only a gap keeps the 가 years from being one run
    _, text = await ask(answerer, f"부산교육청 {longest + 1}년 연속 가?")
    assert "아니요" in text and "다만" not in text


async def test_a_window_over_a_gap_still_names_a_confirmed_earlier_run(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    namyangju = record(grades, "남양주시", "경기")
    assert years[-1] not in namyangju
    run = runs_at(namyangju, years, "가")[-1]
    assert len(run) >= 3 and run[-1] == years[-2]
    _, text = await ask(answerer, "남양주시 3년 연속 가등급")
    assert f"{years[-1]}년 기록이 없습니다" in text and "예:" not in text
    assert f"다만 {run[0]}–{run[-1]}년 {len(run)}년 연속 가였습니다." in text
    assert f"({years[-1]}년은 기록이 없어 그 연속은 더 길었을 수 있습니다.)" in text


# --- the top grade: each year's own top ---


def seongdong_top_run(grades: pd.DataFrame, years: list[int]) -> tuple[dict[int, str], list[int]]:
    seongdong = record(grades, "성동구", "서울")
    run: list[int] = []
    for year in reversed(years):
        if year not in seongdong or not is_top(year, seongdong[year]):
            break
        run.insert(0, year)
    assert year_config(run[0]).scale != year_config(run[-1]).scale  # spans two scales
    return seongdong, run


async def test_the_top_grade_asked_counts_each_years_own_top(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    seongdong, run = seongdong_top_run(grades, years)
    first_ga_ma = next(y for y in run if year_config(y).scale == GradeScale.GA_MA)
    answer, text = await ask(answerer, f"성동구 {len(run)}년 연속 최고등급 맞아?")
    assert answer.intent is Intent.STREAK
    assert f"예: {run[0]}–{run[-1]}년 {len(run)}년 연속 최고 등급" in text
    before = [y for y in run if y < first_ga_ma]
    assert before == [run[0]]
    assert (
        f"{run[0]}년 {seongdong[run[0]]}(3단계 최고) + "
        f"{first_ga_ma}–{run[-1]}년 {seongdong[first_ga_ma]}, 기록으로 확인" in text
    )
    assert "확인할 수 없습니다" not in text


async def test_choi_usu_and_highest_ask_the_top_grade_too(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    seongdong, run = seongdong_top_run(grades, years)
    _, korean = await ask(answerer, f"성동구 {len(run)}년 연속 최우수?")
    assert f"예: {run[0]}–{run[-1]}년 {len(run)}년 연속" in korean
    _, english = await ask(answerer, f"seongdong highest grade {len(run)} years in a row")
    assert f"yes: the top grade in each of the {len(run)} years {run[0]}–{run[-1]}" in english
    assert f"{run[0]} {seongdong[run[0]]} (top of the 3-level scale)" in english


async def test_ga_named_over_another_scale_states_that_years_grade(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    seongdong, run = seongdong_top_run(grades, years)
    _, text = await ask(answerer, f"성동구 {len(run)}년 연속 가등급")
    assert "확인할 수 없습니다" in text and f"{run[0]}년은 등급 체계가 달라" in text
    assert f"그해 등급: {run[0]}년 {seongdong[run[0]]}(3단계 최고)." in text
    assert f"최고 등급으로 보면 {run[0]}–{run[-1]}년 {len(run)}년 연속입니다" in text
    assert "예:" not in text


async def test_a_top_grade_streak_broken_names_the_earlier_top_run(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    yeongyang = record(grades, "영양군", "경북")
    run = [r for r in runs_at(yeongyang, years, TOP[GradeScale.GA_MA]) if len(r) >= 2][-1]
    _, text = await ask(answerer, "영양군 2년 연속 최고등급?")
    assert f"다만 {run[0]}–{run[-1]}년 {len(run)}년 연속 최고 등급이었습니다." in text
