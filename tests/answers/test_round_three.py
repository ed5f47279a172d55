"""Issue 19's classes answered on the bundled data, through Answerer.answer and the text
renderer, phrased differently from the issue's examples. Every expected grade, score, count
and name is read off grades.csv (or domain/years.py for announcement dates and group sizes);
none is typed in here."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest
from answer_kit import ask, record

from answers.query import Intent, Lang
from answers.service import Answerer
from domain.years import year_config
from scoring import rules_from_mapping
from scoring.engine import band_counts

GRADE_LINE = re.compile(r"— \d{4}(?:년|:) \*?[가나다라마]")


def run_back(years: dict[int, str], grade: str, all_years: list[int]) -> list[int]:
    """The years at ``grade`` counted back from the agency's latest record (as the CSV says)."""
    run: list[int] = []
    for year in sorted((y for y in all_years if y <= max(years)), reverse=True):
        if years.get(year) != grade:
            break
        run.append(year)
    return run


# --- 1. the evaluation's own words are never agency names ---


async def test_a_province_asked_with_the_evaluations_short_name_is_that_province(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    grade = record(grades, "경기도", "경기")[2024]
    answer, text = await ask(answerer, "경기도 2024년 종평 결과는?")
    assert answer.intent is Intent.GRADE
    assert f"경기도 — 2024년 {grade} (" in text
    assert "읽었습니다" not in text and "증평" not in text


async def test_all_the_agencies_of_a_grade_is_a_list_not_an_agency(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    expected = grades[(grades.year == 2024) & (grades.grade == "라")]
    answer, text = await ask(answerer, "2024년 라등급 기관 전부 보여줘")
    assert answer.intent is Intent.LIST and answer.table is not None
    assert len(answer.table.rows) == len(expected) > 0
    assert not answer.notes or all("읽었습니다" not in note for note in answer.notes)
    named = {row[2].split(" (현 ")[0].split()[-1] for row in answer.table.rows}
    assert named == set(expected.agency)


async def test_asking_whether_a_years_data_is_all_there_is_the_coverage(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    answer, text = await ask(answerer, "2023년 데이터 전부 있나?")
    assert answer.intent is Intent.COVERAGE
    known = len(grades[grades.year == 2023])
    assert f"{known}곳 알려짐" in text
    assert "국가데이터처" not in text


# --- 2. two or more 시·도 compared ---


async def test_two_metropolitan_cities_by_short_name_are_compared(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    incheon = record(grades, "인천광역시", "인천")[2024]
    ulsan = record(grades, "울산광역시", "울산").get(2024, "기록 없음")
    answer, text = await ask(answerer, "인천 대 울산 2024")
    assert answer.intent is Intent.COMPARE
    assert f"2024: 인천광역시 {incheon} | 울산광역시 {ulsan}" in text
    assert answer.table is not None and answer.table.header[1:] == ("인천광역시", "울산광역시")


async def test_two_provinces_by_full_name_are_compared_in_english(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    north = record(grades, "경상북도", "경북")
    answer, text = await ask(answerer, "compare north gyeongsang province and chungnam 2022")
    assert answer.intent is Intent.COMPARE and answer.lang is Lang.EN
    south = record(grades, "충청남도", "충남")
    assert f"(경상북도) {north[2022]} | " in text and f"(충청남도) {south[2022]}" in text


async def test_a_city_government_is_compared_with_one_of_its_districts(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    seoul = record(grades, "서울특별시", "서울")
    answer, text = await ask(answerer, "서울시 vs 성동구 2024")
    seongdong = record(grades, "성동구", "서울")
    assert answer.intent is Intent.COMPARE
    assert f"2024: 서울특별시 {seoul[2024]} | 서울 성동구 {seongdong[2024]}" in text


# --- 3. a why-question's premise is checked against the record ---


async def test_why_a_drop_in_a_year_it_rose_says_it_rose(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    jeonju = record(grades, "전주시", "전북")
    assert jeonju[2024] != jeonju[2023]  # it moved in 2024; the answer says which way
    answer, text = await ask(answerer, "전주시는 2024년에 왜 내려갔어?")
    assert answer.intent is Intent.WHY
    assert f"2024년에 떨어지지 않았습니다: 2023년 {jeonju[2023]} → 2024년 {jeonju[2024]} ▲" in text
    assert f"기록된 마지막 하락: 2022년 {jeonju[2022]} → 2023년 {jeonju[2023]} ▼" in text


async def test_why_a_drop_with_no_year_when_the_last_change_was_a_rise(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    busan = record(grades, "부산광역시", "부산")
    assert (busan[2023], busan[2024], busan[2025]) == ("라", "다", "다")  # last change: a rise
    answer, text = await ask(answerer, "부산시 등급 하락 원인이 뭐야")
    assert "기록된 마지막 변화는 상승입니다: 2023년 라 → 2024년 다 ▲1" in text
    assert "(기록된 마지막 하락)" not in text


async def test_why_a_grade_it_did_not_get_says_the_grade_it_got(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    seongdong = record(grades, "성동구", "서울")
    latest = max(seongdong)
    assert seongdong[latest] != "다"
    _, text = await ask(answerer, "성동구는 왜 다등급이야?")
    assert f"{latest}년 등급은 다 등급이 아니라 {seongdong[latest]} 등급입니다" in text


async def test_why_a_rise_in_a_year_it_held_says_it_held(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    paju = record(grades, "파주시", "경기")
    assert paju[2021] == paju[2022]
    _, text = await ask(answerer, "파주시 2022년에 왜 올랐나")
    assert f"2022년 등급은 2021년과 같은 {paju[2022]} 등급입니다" in text


async def test_why_in_english_says_it_did_not_drop(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    jeonju = record(grades, "전주시", "전북")
    _, text = await ask(answerer, "jeonju 2024 why the fall")
    assert f"did not drop in 2024: 2023 {jeonju[2023]} → 2024 {jeonju[2024]}" in text


# --- 4. '몇 점' is the official total ---


async def test_a_score_question_gives_the_official_total(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    row = grades[(grades.agency == "시흥시") & (grades.year == 2025)].iloc[0]
    assert row.score
    answer, text = await ask(answerer, "시흥시 2025년 총점 얼마야")
    assert answer.intent is Intent.GRADE
    assert f"점수 {float(row.score):g}" in text and "점수 자료가 없어" not in text


async def test_a_score_question_without_a_published_total_says_so(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    row = grades[(grades.agency == "성동구") & (grades.year == 2024)].iloc[0]
    assert not row.score
    answer, text = await ask(answerer, "성동구 2024 몇 점이었어?")
    assert answer.intent is Intent.GRADE and f"2024년 {row.grade} (" in text
    assert "2024년 점수(합계)는 공개된 자료에 없습니다" in text
    assert not re.search(r"점수 \d", text)


async def test_points_to_a_grade_is_still_the_cut_off(answerer: Answerer) -> None:
    answer, _ = await ask(answerer, "시흥시 2025 나등급 되려면 몇 점?")
    assert answer.intent is Intent.CUTOFF


# --- 5. '몇 년 연속' counts the run ---


async def test_how_many_years_in_a_row_counts_and_says_where_it_stops(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    mfds = record(grades, "식품의약품안전처")
    run = run_back(mfds, "가", sorted(set(grades.year)))
    before = run[-1] - 1
    answer, text = await ask(answerer, "식품의약품안전처 가등급 몇 년째야")
    assert answer.intent is Intent.STREAK
    assert f"{len(run)}년 연속 가 ({run[-1]}–{run[0]}년" in text
    assert f"그 전 {before}년: {mfds[before]}." in text
    assert "아니요" not in text


async def test_a_run_that_reaches_a_gap_says_it_cannot_count_further(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    bukgu = record(grades, "북구", "광주")
    run = run_back(bukgu, "가", sorted(set(grades.year)))
    gap = run[-1] - 1
    assert gap not in bukgu
    _, text = await ask(answerer, "광주 북구 연속 몇 년 가야?")
    assert f"{len(run)}년 연속 가 ({run[-1]}–{run[0]}년" in text
    assert f"{gap}년은 기록이 없어 그 앞은 셀 수 없습니다" in text


async def test_a_run_of_a_grade_it_no_longer_has(answerer: Answerer, grades: pd.DataFrame) -> None:
    jeonju = record(grades, "전주시", "전북")
    latest = max(jeonju)
    assert jeonju[latest] != "마"
    _, text = await ask(answerer, "전주시 마등급 몇 년째?")
    assert f"마 연속이 아닙니다: {latest}년 등급은 {jeonju[latest]}입니다" in text


async def test_how_many_years_in_a_row_in_english(answerer: Answerer, grades: pd.DataFrame) -> None:
    paju = record(grades, "파주시", "경기")
    run = run_back(paju, "가", sorted(set(grades.year)))
    answer, text = await ask(answerer, "how many consecutive years has paju been grade ga")
    assert answer.lang is Lang.EN
    assert f"가 {len(run)} years in a row ({run[-1]}–{run[0]}" in text


async def test_every_ministry_by_its_run(answerer: Answerer, grades: pd.DataFrame) -> None:
    mfds = record(grades, "식품의약품안전처")
    run = run_back(mfds, "가", sorted(set(grades.year)))
    answer, text = await ask(answerer, "몇 년 연속 가등급인 중앙부처")
    assert answer.intent is Intent.STREAK
    line = next(line for line in text.splitlines() if "식품의약품안전처" in line)
    assert line.startswith(f"{len(run)}년 ({run[-1]}–{run[0]})")


# --- 6. is a year out; is a list complete ---


async def test_a_year_not_out_says_so_and_names_the_latest(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    latest = int(grades.year.max())
    announced = year_config(latest).announced
    answer, text = await ask(answerer, f"{latest + 2}년 평가 결과 발표 났어?")
    assert answer.intent is Intent.COVERAGE and not GRADE_LINE.search(text)
    assert f"{latest + 2}년 평가 결과는 아직 공개되지 않았습니다" in text
    assert f"최근 공개: {latest}년 평가 ({announced} 발표)" in text


async def test_a_published_year_says_when(answerer: Answerer, grades: pd.DataFrame) -> None:
    announced = year_config(2024).announced
    _, text = await ask(answerer, "are the 2024 results out")
    rows = len(grades[grades.year == 2024])
    assert f"Yes: the 2024 evaluation's results are out (announced {announced}); {rows}" in text


def _complete(grades: pd.DataFrame, year: int, grade: str, *groups: str) -> bool:
    """Whether grades.csv holds as many of ``grade`` per group as the year's bands give."""
    config = year_config(year)
    rules = rules_from_mapping(config.scoring_rules())
    counts = Counter(grades[(grades.year == year) & (grades.grade == grade)].group)
    return all(
        counts[group] == band_counts(size, rules)[grade]
        for group, size in config.group_sizes.items()
        if not groups or group in groups
    )


@pytest.mark.parametrize("year", [2021, 2023])
async def test_whether_a_top_grade_list_is_complete(
    answerer: Answerer, grades: pd.DataFrame, year: int
) -> None:
    answer, text = await ask(answerer, f"{year} 가 명단 빠진 데 없어?")
    assert answer.intent is Intent.LIST
    complete = _complete(grades, year, "가")
    said = answer.lines[1]  # after the count line, before the rows
    assert ("완전합니다" in said) is complete and ("완전하지 않습니다" in said) is not complete


async def test_a_complete_list_does_not_say_it_may_be_missing_some(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    assert _complete(grades, 2022, "가", "교육청")
    answer, text = await ask(answerer, "2022 교육청 가등급")
    assert "명단은 완전합니다" in text
    assert "목록에 없는 기관은 등급이 알려지지 않은 것입니다" not in text
    assert answer.table is not None
    expected = grades[(grades.year == 2022) & (grades.group == "교육청") & (grades.grade == "가")]
    assert len(answer.table.rows) == len(expected)


async def test_a_region_list_keeps_its_caveat_while_the_national_list_is_short(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    assert not _complete(grades, 2022, "가", "기초-시")  # the national 시 list is short
    _, text = await ask(answerer, "2022 경기 가등급")
    assert "목록에 없는 기관은 등급이 알려지지 않은 것입니다" in text
    assert "완전합니다" not in text


# --- 7. English province, city and office-of-education names ---


@pytest.mark.parametrize(
    ("text", "agency", "region", "year"),
    [
        ("Gyeongsangbuk Province 2024", "경상북도", "경북", 2024),
        ("South Chungcheong Province 2022", "충청남도", "충남", 2022),
        ("Incheon City 2023", "인천광역시", "인천", 2023),
        ("Busan Office of Education 2024", "부산광역시교육청", "부산", 2024),
    ],
)
async def test_english_place_names_find_the_agency(
    answerer: Answerer, grades: pd.DataFrame, text: str, agency: str, region: str, year: int
) -> None:
    grade = record(grades, agency, region)[year]
    answer, rendered = await ask(answerer, text)
    assert answer.intent is Intent.GRADE and answer.lang is Lang.EN
    assert f"({agency}) — {year}: {grade} " in rendered


async def test_a_what_if_about_a_region_alone_is_about_its_province(answerer: Answerer) -> None:
    answer, text = await ask(answerer, "what if ulsan satisfaction +3 2022")
    assert answer.intent is Intent.WHATIF
    assert "Ulsan Metropolitan City (울산광역시)" in text and "Which agency" not in answer.title


# --- 8. lists name each agency as it was named that year ---


@pytest.mark.parametrize("grade", ["S", "A", "B", "C", "D"])
async def test_2016_lists_are_the_published_rows_under_that_years_names(
    answerer: Answerer, grades: pd.DataFrame, grade: str
) -> None:
    expected = grades[(grades.year == 2016) & (grades.grade == grade)]
    answer, _ = await ask(answerer, f"2016년 {grade}등급 받은 곳")
    assert answer.intent is Intent.LIST and answer.table is not None
    assert {row[1] for row in answer.table.rows} == {grade}
    named = sorted(row[2].split(" (현 ")[0] for row in answer.table.rows)
    assert named == sorted(expected.agency)  # 2016's names, as the CSV wrote them


async def test_a_renamed_agency_shows_todays_name_beside(answerer: Answerer) -> None:
    answer, _ = await ask(answerer, "2016 S 등급 기관")
    assert answer.table is not None
    assert any(row[2] == "방송통신위원회 (현 방송미디어통신위원회)" for row in answer.table.rows)


async def test_a_moved_county_shows_its_region_that_year(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    gunwi = grades[(grades.agency == "군위군") & (grades.year == 2022)].iloc[0]
    assert gunwi.region == "경북"
    answer, _ = await ask(answerer, f"2022 군 {gunwi.grade}등급")
    assert answer.table is not None
    assert any(row[2] == "경북 군위군 (현 대구 군위군)" for row in answer.table.rows)


# --- 9. item results without a year; shared names; the batch console ---


async def test_items_never_published_say_so_with_the_latest_grade(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    gimhae = record(grades, "김해시", "경남")
    latest = max(gimhae)
    answer, text = await ask(answerer, "김해시 민원만족도는?")
    assert answer.intent is Intent.ITEMS
    assert "항목별 등급은 공개된 적이 없습니다" in text
    assert f"{latest}년 {gimhae[latest]}" in text
    assert "공개된 기록이 없습니다" not in text


async def test_items_without_a_year_use_the_latest_year_that_has_them(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    rows = grades[(grades.agency == "경주시") & (grades.item_grades != "")]
    year = int(rows.year.max())
    later = sorted(int(y) for y in grades[(grades.agency == "경주시")].year if y > year)
    _, text = await ask(answerer, "경주시 항목별 결과")
    assert f"경북 경주시 — {year}년 종합" in text
    assert all(f"{y}년은 종합 등급만" in text for y in later)


async def test_a_shared_name_in_a_year_not_on_record_promises_nothing(answerer: Answerer) -> None:
    answer, text = await ask(answerer, "고성군 2013년 등급")
    assert "기록에 없습니다" in text
    assert any("여러 기관" in note for note in answer.notes)
    assert "모두 보여드립니다" not in text
