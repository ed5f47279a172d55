"""Issue 12's table, answered on the bundled data through Answerer.answer and the text
renderer: spans, streaks, one-year changes, scopes, 2016/2017 grade words, why-questions,
greetings, questions outside the evaluation, stray command words and cut questions.
Expected grades and counts come from grades.csv, never typed in here."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from answer_kit import ask, record

from answers.query import Intent, Lang
from answers.service import Answerer
from answers.understanding.lexicon import MAX_CHARS
from domain.groups import METROPOLITAN

GRADE_LINE = re.compile(r"— \d{4}(?:년|:) \*?[가나다라마]")  # an agency's grade was given


# --- time spans ---


async def test_latest_five_years_is_a_history_over_them(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    answer, text = await ask(answerer, "고성군 최근 5년")
    assert answer.intent is Intent.HISTORY and answer.table is not None
    assert answer.table.header[1:] == tuple(map(str, years[-5:]))
    for year, grade in record(grades, "고성군", "경남").items():
        if year in years[-5:]:
            assert f"{year} {grade}" in text
    assert f"{years[-6]} " not in text.split("출처")[0]


async def test_latest_three_years_of_a_ministry(answerer: Answerer, years: list[int]) -> None:
    answer, _ = await ask(answerer, "최근 3년 행안부")
    assert answer.intent is Intent.HISTORY and answer.table is not None
    assert answer.table.rows[0][0] == "행정안전부"
    assert answer.table.header[1:] == tuple(map(str, years[-3:]))


@pytest.mark.parametrize("text", ["2020년 이후 김해시", "since 2020 gimhae", "김해시 2020년부터"])
async def test_since_a_year_is_every_year_from_it(
    answerer: Answerer, years: list[int], text: str
) -> None:
    answer, _ = await ask(answerer, text)
    assert answer.intent is Intent.HISTORY and answer.table is not None
    assert answer.table.header[1:] == tuple(str(y) for y in years if y >= 2020)


async def test_last_three_years_in_english(answerer: Answerer, years: list[int]) -> None:
    answer, text = await ask(answerer, "last 3 years gimhae")
    assert answer.lang is Lang.EN and answer.table is not None
    assert answer.table.header[1:] == tuple(map(str, years[-3:]))
    assert "no published record" in text  # 김해시's record ends before the latest years


async def test_every_year_lists_every_year(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    answer, text = await ask(answerer, "경남 가등급 기관 전체 연도")
    assert answer.intent is Intent.LIST and answer.table is not None
    expected = grades[(grades.region == "경남") & (grades.grade == "가")]
    assert len(answer.table.rows) == len(expected)
    for year in years:
        assert f"{year}년" in text
    assert "2016년: 그해 등급 체계(S·A·B·C·D)에는 '가' 등급이 없습니다" in text  # S–D that year
    assert {row[0] for row in answer.table.rows} == {str(y) for y in expected.year}


async def test_a_comparison_over_a_span(answerer: Answerer, years: list[int]) -> None:
    answer, _ = await ask(answerer, "경남 고성군 vs 통영시 최근 3년")
    assert answer.intent is Intent.COMPARE and answer.table is not None
    assert [row[0] for row in answer.table.rows] == list(map(str, years[-3:]))


# --- streaks ---


async def test_a_streak_on_record_is_confirmed(answerer: Answerer, grades: pd.DataFrame) -> None:
    seongdong = record(grades, "성동구", "서울")
    assert all(seongdong[y] == "가" for y in range(2018, 2026))
    answer, text = await ask(answerer, "성동구 8년 연속 가등급?")
    assert answer.intent is Intent.STREAK
    assert "서울 성동구 — 예: 2018–2025년 8년 연속 가" in text


async def test_a_streak_over_another_scale_is_not_confirmed(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    assert record(grades, "성동구", "서울")[2017] == "최우수"
    _, text = await ask(answerer, "성동구 9년 연속 가등급")
    assert "확인할 수 없습니다" in text and "2017년은 등급 체계가 달라" in text
    assert "예:" not in text


async def test_a_streak_broken_on_record_says_the_year(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    uiseong = record(grades, "의성군", "경북")
    assert uiseong[2023] != "가" and uiseong[2024] == uiseong[2025] == "가"
    _, text = await ask(answerer, "의성군 3년 연속 가")
    assert f"아니요: 2023년 등급은 {uiseong[2023]}입니다" in text
    assert "그 뒤 가: 2024, 2025년" in text


async def test_a_gap_in_the_record_neither_breaks_nor_confirms(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    namyangju = record(grades, "남양주시", "경기")
    window = years[-3:]
    missing = [y for y in window if y not in namyangju]
    assert missing and all(namyangju[y] == "가" for y in window if y in namyangju)
    _, text = await ask(answerer, "남양주시 3년 연속 가등급")
    assert "확인할 수 없습니다" in text and f"{missing[0]}년 기록이 없습니다" in text
    assert "아니요" not in text and "예:" not in text


async def test_every_year_at_a_grade_is_checked_over_that_grades_scale(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    ga_ma_years = sorted(y for y in record(grades, "성동구", "서울") if y >= 2018)
    answer, text = await ask(answerer, "성동구는 매년 가등급이야?")
    assert answer.intent is Intent.STREAK
    first, last = ga_ma_years[0], ga_ma_years[-1]
    assert f"예: {first}–{last}년 {len(ga_ma_years)}년 연속 가" in text


async def test_ten_years_in_a_row_is_not_the_year_2010(answerer: Answerer) -> None:
    answer, text = await ask(answerer, "10년 연속 가등급")
    assert answer.intent is Intent.STREAK
    assert "2010" not in text
    assert "가–마 등급은 2018년부터" in text


async def test_a_streak_list_names_only_confirmed_agencies_as_confirmed(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    window = years[-3:]
    on_grade = grades[grades.year.isin(window) & (grades.grade == "가")]
    counts = on_grade.groupby(["agency", "region"]).size()
    confirmed = sorted(
        f"{region} {agency}".strip() if region and not agency.startswith(region[:2]) else agency
        for (agency, region), count in counts.items()
        if count == len(window)
    )
    answer, text = await ask(answerer, "3년 연속 가등급 기관")
    assert f"3년 연속 가 (기록으로 확인): {len(confirmed)}곳" in text
    assert "서울 성동구" in answer.lines[1]


# --- a change on one year ---


async def test_a_change_on_one_year_is_from_the_previous_year(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    uiseong = record(grades, "의성군", "경북")
    answer, text = await ask(answerer, "의성군 2024 등급 변화")
    assert answer.intent is Intent.HISTORY
    assert f"2023 {uiseong[2023]} · 2024 {uiseong[2024]}" in text
    assert f"2023년 {uiseong[2023]} → 2024년 {uiseong[2024]} ▲1" in text
    assert "부족" not in text


async def test_has_it_ever_had_a_grade(answerer: Answerer, grades: pd.DataFrame) -> None:
    uiseong = record(grades, "의성군", "경북")
    at_ga = ", ".join(str(y) for y in sorted(uiseong) if uiseong[y] == "가")
    answer, text = await ask(answerer, "의성군은 가등급 받은 적 있어?")
    assert answer.intent is Intent.HISTORY
    assert f"가 등급을 받은 해: {at_ga}" in text
    _, text = await ask(answerer, "김해시 가등급 받은 적 있어?")
    assert "가" not in record(grades, "김해시", "경남").values()
    assert "기록된 해 가운데 가 등급을 받은 해는 없습니다" in text


# --- scopes ---


async def test_local_governments_nationwide_are_metropolitan_and_local_only(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    answer, _ = await ask(answerer, "2024년 전국 가등급 지자체")
    assert answer.intent is Intent.LIST and answer.table is not None
    expected = grades[
        (grades.year == 2024)
        & (grades.grade == "가")
        & grades.agency_type.isin(["광역자치단체", "기초자치단체"])
    ]
    assert len(answer.table.rows) == len(expected) > 0
    assert {row[3] for row in answer.table.rows} <= {METROPOLITAN, "기초-시", "기초-군", "기초-구"}
    assert answer.title.startswith("지자체(광역·기초) 가 등급")


async def test_a_provinces_cities_and_counties_not_the_province(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    answer, text = await ask(answerer, "2024년 경기도 시군 등급")
    assert answer.intent is Intent.LIST and answer.table is not None
    expected = grades[
        (grades.year == 2024)
        & (grades.region == "경기")
        & grades.group.isin(["기초-시", "기초-군"])
    ]
    assert len(answer.table.rows) == len(expected) > 0
    assert all(row[2].startswith("경기 ") for row in answer.table.rows)
    assert "경기도 —" not in text


async def test_a_citys_districts(answerer: Answerer, grades: pd.DataFrame) -> None:
    answer, _ = await ask(answerer, "서울 자치구 2018 다등급")
    assert answer.intent is Intent.LIST and answer.table is not None
    expected = grades[
        (grades.year == 2018)
        & (grades.region == "서울")
        & (grades.group == "기초-구")
        & (grades.grade == "다")
    ]
    assert sorted(row[2] for row in answer.table.rows) == sorted(
        f"서울 {name}" for name in expected.agency
    )
    assert len(expected) > 0


@pytest.mark.parametrize(
    ("text", "year", "grade"), [("2016 S등급", 2016, "S"), ("2017 최우수", 2017, "최우수")]
)
async def test_the_2016_and_2017_scales_grade_words(
    answerer: Answerer, grades: pd.DataFrame, text: str, year: int, grade: str
) -> None:
    answer, _ = await ask(answerer, text)
    assert answer.intent is Intent.LIST and answer.table is not None
    expected = grades[(grades.year == year) & (grades.grade == grade)]
    assert len(answer.table.rows) == len(expected) > 0
    assert {row[1] for row in answer.table.rows} == {grade}


# --- why ---


async def test_why_a_grade_fell_shows_the_last_drop_and_what_is_not_published(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    gimhae = record(grades, "김해시", "경남")
    assert (gimhae[2020], gimhae[2021]) == ("나", "다") and max(gimhae) == 2021
    answer, text = await ask(answerer, "김해시 등급이 떨어진 이유는?")
    assert answer.intent is Intent.WHY and answer.has_data
    assert "경남 김해시 — 2020년 나 → 2021년 다 ▼1" in text
    assert "2020, 2021년 항목별 등급은 공개되지 않아" in text
    assert "기록이 없습니다" not in text


async def test_why_shows_the_item_grades_that_were_published(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    gyeongju = record(grades, "경주시", "경북")
    assert (gyeongju[2022], gyeongju[2023]) == ("라", "마")
    _, text = await ask(answerer, "경주시 2023년에 왜 떨어졌어")  # it rose in 2024 (issue 19)
    assert "2022년 라 → 2023년 마 ▼1" in text
    assert "국민신문고 민원 처리: - → 마" in text
    assert "2022년 항목별 등급은 공개되지 않아" in text


async def test_why_in_english(answerer: Answerer, grades: pd.DataFrame) -> None:
    goseong = record(grades, "고성군", "경남")
    answer, text = await ask(answerer, "why did goseong drop")
    assert answer.lang is Lang.EN and answer.intent is Intent.WHY
    assert f"2024 {goseong[2024]} → 2025 {goseong[2025]} ▼1" in text
    assert "no reason" in text


# --- greetings, questions outside the evaluation, the question's language ---


@pytest.mark.parametrize("text", ["행안부 장관 누구야", "오늘 날씨 어때", "김해시 인구"])
async def test_outside_the_evaluation_is_a_friendly_redirect(answerer: Answerer, text: str) -> None:
    answer, rendered = await ask(answerer, text)
    assert answer.intent is Intent.OUT_OF_SCOPE
    assert "범위 밖" in answer.title and "경남 고성군 2023 등급" in rendered  # examples
    assert not GRADE_LINE.search(rendered) and "기록 있는 연도" not in rendered


@pytest.mark.parametrize(("text", "lang"), [("안녕", Lang.KO), ("hi", Lang.EN)])
async def test_a_greeting_is_greeted(answerer: Answerer, text: str, lang: Lang) -> None:
    answer, rendered = await ask(answerer, text)
    assert answer.intent is Intent.GREETING and answer.lang is lang
    assert len(answer.lines) >= 3 and not GRADE_LINE.search(rendered)


async def test_a_pasted_command_word_does_not_make_the_answer_english(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    grade = record(grades, "고성군", "경남")[2023]
    answer, text = await ask(answerer, "/grade 경남 고성군 2023")
    assert answer.lang is Lang.KO
    assert f"경남 고성군 — 2023년 {grade} (" in text


# --- cut questions ---


async def test_a_cut_question_with_a_year_at_its_end_is_not_answered_for_another_year(
    answerer: Answerer,
) -> None:
    text = "경남 고성군 등급 알려주세요. " + "배경 설명입니다. " * 100 + "연도는 2021년"
    assert len(text) > MAX_CHARS
    answer, rendered = await ask(answerer, text)
    assert answer.title == "질문이 잘렸어요"
    assert "2021" in rendered and not GRADE_LINE.search(rendered)


async def test_a_cut_question_says_it_was_cut(answerer: Answerer) -> None:
    answer, _ = await ask(answerer, "경남 고성군 2023 " + "ㅋ" * 1_000)
    assert answer.intent is Intent.GRADE and answer.has_data
    assert any(f"앞의 {MAX_CHARS}자만" in note for note in answer.notes)
