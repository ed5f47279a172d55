"""Understanding, round five (the fifth fresh check), answered on the bundled data through
Answerer.answer and the text renderer, phrased apart from the judge's questions where it can
be. Every grade, count and year is read off grades.csv (and the evaluated count off
domain/years.py); none is typed in here."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from answer_kit import ask, record

from answers.query import Intent
from answers.service import Answerer
from domain.grades import grade_move
from domain.years import year_config
from storage.ingest import ingest_file

GRADE_LINE = re.compile(r"— \d{4}(?:년|:) \*?[가나다라마]")  # an agency's grade was given


def moves(grades: pd.DataFrame, year: int, before: int, group: str = "", region: str = ""):
    """(agency, old, new, steps) of every agency on record both years, as the CSV says."""
    rows = grades[grades.year.isin([before, year])]
    if group:
        rows = rows[rows.group == group]
    if region:
        rows = rows[rows.region == region]
    found = []
    for (agency, reg), frame in rows.groupby(["agency", "region"]):
        by_year = dict(zip(frame.year, zip(frame.grade, strict=True), strict=True))
        if before in by_year and year in by_year:
            old, new = by_year[before][0], by_year[year][0]
            move = grade_move(year_config(before).scale, old, year_config(year).scale, new)
            if move is not None:
                found.append((agency, reg, old, new, move.steps))
    return found


# --- 1. an everyday word that is also a short name ---


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        ("예산이 모자라서 걱정이야 어떡하지", "충남 예산군", "예산군"),
        ("음성 통화 가능해? ㅎㅎ", "충북 음성군", "음성군"),
        ("진도 얼마나 나갔는지 알려줘?", "전남 진도군", "진도군"),
    ],
)
async def test_an_everyday_word_in_a_sentence_is_not_the_agency(
    answerer: Answerer, text: str, label: str, name: str
) -> None:
    answer, said = await ask(answerer, text)
    assert answer.intent is Intent.OUT_OF_SCOPE
    assert not GRADE_LINE.search(said), said
    assert f"{label}의 결과를 물으신 거라면 ‘{name} 등급’처럼" in said


async def test_the_short_name_asked_about_is_still_the_agency(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    latest = record(grades, "예산군", "충남")
    year = max(latest)
    answer, said = await ask(answerer, f"예산 {year} 등급")
    assert answer.intent is Intent.GRADE
    assert f"충남 예산군 — {year}년 {latest[year]}" in said


# --- 2. a comparison without a year: the latest years both have on record ---


async def test_a_comparison_without_a_year_uses_years_both_have(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    gimhae, yangsan = record(grades, "김해시", "경남"), record(grades, "양산시", "경남")
    both = sorted(set(gimhae) & set(yangsan))[-3:]
    assert both and both[-1] < years[-1], "the bundled data: 김해시 has no recent record"
    answer, said = await ask(answerer, "양산시랑 김해시 비교해줘")
    assert answer.intent is Intent.COMPARE
    for year in both:
        assert f"{year}: 경남 양산시 {yangsan[year]} | 경남 김해시 {gimhae[year]}" in said
    assert f"{years[-1]}: " not in said
    assert f"모두 기록이 있는 최근 해({both[0]}–{both[-1]})" in said


async def test_a_comparison_of_an_asked_year_keeps_that_year(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    yangsan = record(grades, "양산시", "경남")
    year = max(y for y in yangsan if y not in record(grades, "김해시", "경남"))
    _, said = await ask(answerer, f"김해시 vs 양산시 {year}")
    assert f"{year}: 경남 김해시 기록 없음 | 경남 양산시 {yangsan[year]}" in said


# --- 3. a region's item grades; a 시·도 written out with 'N년 연속' ---


async def test_a_regions_item_grades_are_its_provinces(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    row = grades[(grades.agency == "충청남도") & (grades.item_grades != "")].iloc[-1]
    answer, said = await ask(answerer, f"충남 {row.year}년 항목별 결과")
    assert answer.intent is Intent.ITEMS
    assert f"충청남도 — {row.year}년 종합 {row.grade}" in said
    items = [part.split("=")[1] for part in row.item_grades.split(";")]
    lines = [line for line in said.splitlines() if line.startswith("• ")]
    assert [line.rsplit(": ", 1)[1] for line in lines] == items


async def test_a_province_written_out_with_a_streak_is_the_province(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    answer, said = await ask(answerer, "경기도 4년 연속 가등급이었나?")
    assert answer.intent is Intent.STREAK
    assert "경기도 —" in said and "경기 " not in said.split("출처")[0]


# --- 4. how many were evaluated; 우수기관 ---


async def test_how_many_were_evaluated_is_the_published_count(answerer: Answerer) -> None:
    config = year_config(2021)
    assert config.evaluated
    answer, said = await ask(answerer, "2021년 평가 대상 기관 수는?")
    assert answer.intent is Intent.COVERAGE
    assert f"평가 {config.evaluated}곳" in said


async def test_good_agencies_shows_both_readings_and_says_why(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    year = max(grades.year[grades.grade == "가"])
    counts = grades[grades.year == year].grade.value_counts()
    _, said = await ask(answerer, f"{year} 우수 기관 명단")
    assert (
        f"{year}년: {counts['가'] + counts['나']}개 기관 (가 {counts['가']} · 나 {counts['나']})"
        in said
    )
    assert "‘우수기관’은 쓰는 곳마다 다릅니다" in said
    _, plain = await ask(answerer, f"{year} 우수 등급")
    assert f"{year}년: {counts['나']}개 기관 (나 {counts['나']})" in plain


# --- 5. what fell or rose: the moves from the previous evaluation year ---


@pytest.mark.parametrize(
    ("text", "group", "region", "way"),
    [
        ("2024년 광역 중에 등급 하락한 곳", "광역", "", "down"),
        ("2023 경남에서 등급 올라간 기관", "", "경남", "up"),
    ],
)
async def test_a_list_of_what_moved_shows_each_move(
    answerer: Answerer, grades: pd.DataFrame, text: str, group: str, region: str, way: str
) -> None:
    year = int(text[:4])
    before = max(y for y in set(grades.year) if y < year)
    pairs = moves(grades, year, before, group, region)
    moved = [m for m in pairs if (m[4] < 0 if way == "down" else m[4] > 0)]
    assert moved, "the bundled data holds such moves"
    answer, said = await ask(answerer, text)
    assert answer.intent is Intent.LIST
    assert f"{len(moved)}곳 (두 해 모두 기록이 있는 {len(pairs)}곳 중)" in said
    for agency, reg, old, new, steps in moved:
        arrow = f"▲{steps}" if steps > 0 else f"▼{-steps}"
        assert re.search(rf"{year}\s+{old} → {new} {arrow}\s+({reg} )?{agency}", said), agency
    table = [line for line in said.splitlines() if line.startswith(f"{year}  ")]
    assert len(table) == len(moved)


async def test_moves_across_two_scales_are_not_compared(answerer: Answerer) -> None:
    assert year_config(2017).scale != year_config(2018).scale
    _, said = await ask(answerer, "2018년 등급 오른 기관")
    assert "등급 체계가 달라 오르내림을 견줄 수 없습니다" in said
    assert not re.search(r"2018\s+\S+ → ", said)


# --- 6. a body the evaluation does not cover ---


@pytest.mark.parametrize("name", ["한국토지주택공사", "근로복지공단", "현대자동차그룹"])
async def test_a_body_outside_the_evaluation_is_said_to_be_outside(
    answerer: Answerer, grades: pd.DataFrame, name: str
) -> None:
    assert name not in set(grades.agency)
    answer, said = await ask(answerer, f"{name} 2024 종합평가 등급?")
    assert answer.intent is Intent.UNKNOWN and not GRADE_LINE.search(said)
    assert f"'{name}'" in said and "민원서비스 종합평가의 대상이 아닙니다" in said


# --- 7. the coverage, counted once per data version, follows a load ---


async def test_the_coverage_counts_again_after_a_load(
    answerer: Answerer, grades: pd.DataFrame, tmp_path: Path
) -> None:
    _, before = await ask(answerer, "데이터 현황")
    assert f"결과 {len(grades):,}건" in before
    missing = grades[(grades.agency == "김해시") & (grades.region == "경남")]
    year = max(y for y in set(grades.year) if y not in set(missing.year) and y >= 2018)
    sheet = tmp_path / "one.csv"
    row = missing.iloc[-1].copy()  # the agency's own columns, a year it has no record of
    row["year"], row["grade"], row["source_url"] = year, "나", f"https://example.org/t-{year}"
    row[["score", "group_avg", "item_grades", "note", "more_sources"]] = ""
    pd.DataFrame([row]).to_csv(sheet, index=False)
    await ingest_file(answerer.data.db, sheet, actor="test")
    _, after = await ask(answerer, "데이터 현황")
    assert f"결과 {len(grades) + 1:,}건" in after


# --- 8. round six: scores compared; a week is not a year; 보통 as 'usually' ---


async def test_scores_compared_are_each_agencys_published_total(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    scored = grades[(grades.score != "") & (grades.region != "")]
    year = max(scored.year)
    first, second = scored[scored.year == year].iloc[:2].itertuples()
    answer, said = await ask(answerer, f"{first.agency}랑 {second.agency} {year} 점수 비교")
    assert answer.intent is Intent.COMPARE
    for row in (first, second):
        assert f"{row.region} {row.agency} {row.grade} · 점수 {float(row.score):g}" in said


async def test_a_week_and_usually_are_not_the_evaluations_words(answerer: Answerer) -> None:
    for text in ("다음 주 연수 장소가 어디야?", "서류 발급은 보통 얼마나 걸려요?"):
        answer, said = await ask(answerer, text)
        assert answer.intent is Intent.OUT_OF_SCOPE, text
        assert not GRADE_LINE.search(said) and "개 기관" not in said, said


# --- 9. why there is no grade: a pilot, a group the year lacked, nothing on record ---


async def test_a_pilot_is_said_to_be_evaluated_but_not_graded(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    year = max(y for y in set(grades.year) if year_config(y).pilot_agencies)
    pilot = year_config(year).pilot_agencies[0]
    assert grades[(grades.agency == pilot) & (grades.year == year)].empty
    _, said = await ask(answerer, f"{pilot} {year}년 등급")
    assert f"{year}년에는 시범 평가 기관으로 평가는 받았지만 등급은 매겨지지 않았습니다" in said


async def test_a_city_in_a_year_without_its_group_is_said_so(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    first = min(grades.year)
    assert "기초-시" not in year_config(first).groups
    _, said = await ask(answerer, f"김해시 {first}년 등급")
    assert f"{first}년 평가에는 기초-시 평가군이 없었습니다" in said


async def test_a_streak_over_years_with_no_record_at_all_claims_nothing(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    bukgu = record(grades, "북구", "부산")
    assert not set(bukgu) & set(years[-6:])
    _, said = await ask(answerer, "부산 북구 6년 연속 가등급?")
    assert "기록이 하나도 없습니다" in said and "기록된 0개" not in said
