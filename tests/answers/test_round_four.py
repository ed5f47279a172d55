"""Understanding, round four, answered on the bundled data through Answerer.answer and the
text renderer, phrased apart from the judge's questions. Every grade, count and score is read
off grades.csv, and every published count off domain/years.py; none is typed in here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from answer_kit import ask, record
from scoresheets import county_rows, engine_frame, rules, write_sheet

from answers.intents.scored import points
from answers.query import Intent, Lang
from answers.service import Answerer
from answers.understanding.context import Viewer
from domain.grades import grade_move
from domain.years import stated_count, year_config
from scoring import rules_from_mapping, what_if
from scoring.engine import band_counts
from storage.ingest import ingest_file

GRADE_LINE = re.compile(r"— \d{4}(?:년|:) \*?[가나다라마]")  # an agency's grade was given
LAST_DROP = re.compile(r"기록된 마지막 하락: (\d{4})년 \S+ → (\d{4})년")
LOCAL = ("기초-시", "기초-군", "기초-구")


def changes(grades: dict[int, str], years: list[int]) -> list[tuple[int, int, int]]:
    """(year before, year, steps) for each move between consecutive evaluation years on
    record, on one scale, as the CSV says."""
    found = []
    for before, year in zip(years, years[1:], strict=False):
        if before in grades and year in grades:
            move = grade_move(_scale(before), grades[before], _scale(year), grades[year])
            if move is not None and move.steps:
                found.append((before, year, move.steps))
    return found


def _scale(year: int) -> str:
    return year_config(year).scale


# --- 1. a why about a year: that year's change, what came after, 'last' only when it is ---


async def test_a_drop_asked_in_a_year_it_rose_names_the_drops_after_it(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    north = record(grades, "경상북도", "경북")
    moved = changes(north, years)
    later = [(b, y, s) for b, y, s in moved if y > 2019]
    assert (2018, 2019) in [(b, y) for b, y, s in moved if s > 0] and any(s < 0 for *_, s in later)
    answer, text = await ask(answerer, "경북도 2019년 등급 하락 원인")
    assert answer.intent is Intent.WHY
    assert f"2019년에 떨어지지 않았습니다: 2018년 {north[2018]} → 2019년 {north[2019]} ▲" in text
    said = " · ".join(f"{b}년 {north[b]} → {y}년 {north[y]}" for b, y, _ in later)
    assert f"2019년 이후 기록된 변화: {said.split(' · ')[0]}" in text
    assert all(f"{b}년 {north[b]} → {y}년 {north[y]}" in text for b, y, _ in later)


async def test_last_year_asked_about_is_the_year_before_the_latest(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    customs = record(grades, "관세청")
    latest = max(years)
    previous = years[years.index(latest) - 1]
    before = years[years.index(previous) - 1]
    assert customs[previous] == customs[before] and customs[latest] != customs[previous]
    _, text = await ask(answerer, "관세청 지난해 왜 내려갔나")
    assert (
        f"{previous}년 등급은 {before}년과 같은 {customs[previous]} 등급입니다: "
        "그해에는 바뀌지 않았습니다" in text
    )
    steps = grade_move(_scale(previous), customs[previous], _scale(latest), customs[latest])
    assert steps is not None
    assert (
        f"{previous}년 이후 기록된 변화: {previous}년 {customs[previous]} → "
        f"{latest}년 {customs[latest]} {steps.arrow}" in text
    )


async def test_a_grade_asked_in_a_year_is_that_years_change_not_the_last(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    jeonju = record(grades, "전주시", "전북")
    later = [(b, y) for b, y, _ in changes(jeonju, years) if y > 2023]
    assert later  # something moved after 2023, so 2023's change is not the last
    _, text = await ask(answerer, "전주시 2023년 마등급 받은 까닭")
    assert f"2022년 {jeonju[2022]} → 2023년 {jeonju[2023]} ▼2 (2023년의 변화)" in text
    assert "(기록된 마지막 변화)" not in text
    assert "2023년 이후 기록된 변화: " in text


async def test_no_answer_calls_a_drop_the_last_unless_it_is(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    """Over every agency with five or more records: asked why it dropped in its
    second-to-last recorded year, 'the last recorded drop' is always the last one the CSV
    has, and a change after the year asked is always said."""
    checked = 0
    for (name, region), rows in grades.groupby(["agency", "region"]):
        own = dict(zip(rows.year, rows.grade, strict=True))
        if len(own) < 5 or name in ("고성군", "중구", "동구", "서구", "남구", "북구", "강서구"):
            continue
        asked = sorted(own)[-2]
        moved = changes(own, years)
        drops = [(b, y) for b, y, s in moved if s < 0]
        _, text = await ask(answerer, f"{region} {name} {asked}년에 왜 떨어졌어".strip())
        for before, after in LAST_DROP.findall(text):
            assert drops and (int(before), int(after)) == drops[-1], (name, text)
        if any(y > asked for _, y, _ in moved):
            assert f"{asked}년 이후 기록된 변화" in text or f"({asked}년의" in text, (name, text)
        checked += 1
    assert checked > 30


# --- 2. coverage: the span, the rows, known/evaluated per year, published counts first ---


async def test_coverage_gives_the_span_the_rows_and_each_years_evaluated(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    answer, text = await ask(answerer, "자료가 어디까지 있나요")
    assert answer.intent is Intent.COVERAGE
    assert (
        f"기록: {years[0]}–{years[-1]}년 ({len(years)}개 평가 연도), 결과 {len(grades):,}건" in text
    )
    for year in years:
        evaluated = year_config(year).evaluated
        known = len(grades[grades.year == year])
        assert (
            f"*{year}년*: 평가 {evaluated}곳 중 {known}곳 알려짐"
            in answer.lines[years.index(year) + 1]
        )
    assert "?곳" not in text


@pytest.mark.parametrize("year", [2019, 2020])
async def test_coverage_counts_top_grades_against_the_published_count(
    answerer: Answerer, grades: pd.DataFrame, year: int
) -> None:
    answer, _ = await ask(answerer, f"{year}년 데이터 현황")
    assert answer.table is not None
    shown = {row[1]: row[3] for row in answer.table.rows}
    for group in ("광역", "교육청"):
        published = stated_count(year, "가", group)
        assert published is not None
        known = len(
            grades[(grades.year == year) & (grades.group == group) & (grades.grade == "가")]
        )
        assert shown[group].startswith(f"가 {known}/{published.count} ")
        assert shown[group].endswith("(발표)")
    local = stated_count(year, "가", "기초")
    assert local is not None
    known_local = len(
        grades[(grades.year == year) & grades.group.isin(LOCAL) & (grades.grade == "가")]
    )
    assert shown["기초"].startswith(f"가 {known_local}/{local.count} ")
    assert all("많음" not in status for status in shown.values())


async def test_coverage_of_the_local_governments_gives_their_total(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    config = year_config(2020)
    size = sum(config.group_sizes[g] for g in LOCAL)
    known = len(grades[(grades.year == 2020) & grades.group.isin(LOCAL)])
    answer, text = await ask(answerer, "2020년 기초 기록 몇 건이야")
    assert answer.intent is Intent.COVERAGE
    assert f"2020년 기초: {size}곳 중 {known}곳 알려짐" in text
    for group in LOCAL:
        count = len(grades[(grades.year == 2020) & (grades.group == group)])
        assert f"{group} {count}/{config.group_sizes[group]}" in text


async def test_how_complete_a_year_is_in_english(answerer: Answerer, grades: pd.DataFrame) -> None:
    config = year_config(2025)
    top = stated_count(2025, "가", "전체")
    assert top is not None and config.evaluated and config.pilots
    known_top = len(grades[(grades.year == 2025) & (grades.grade == "가")])
    answer, text = await ask(answerer, "is your 2025 data complete")
    assert answer.intent is Intent.COVERAGE and answer.lang is Lang.EN
    assert (
        f"{len(grades[grades.year == 2025])} of {config.evaluated} evaluated agencies known" in text
    )
    assert f"가 {known_top} of {top.count} (published)" in text
    assert f"{config.pilots} ungraded pilot" in text
    assert "cannot be told" not in text


# --- 3. one agency, a word of its whole record: its history; no record this year ---


async def test_an_agency_with_a_whole_record_word_gets_every_year(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    yangsan = record(grades, "양산시", "경남")
    answer, text = await ask(answerer, "양산시 결과 쭉 보여줘")
    assert answer.intent is Intent.HISTORY
    for year in years:
        assert (f"{year} {yangsan[year]}" if year in yangsan else f"{year} 기록 없음") in text


async def test_a_central_agency_asked_for_its_list_gets_its_history(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    kma = record(grades, "기상청")
    assert kma
    answer, text = await ask(answerer, "기상청 등급 목록")
    assert answer.intent is Intent.HISTORY
    assert all(f"{year} {grade}" in text for year, grade in kma.items())


async def test_a_grade_without_a_record_this_year_still_shows_the_record(
    answerer: Answerer, grades: pd.DataFrame, years: list[int]
) -> None:
    gimhae = record(grades, "김해시", "경남")
    assert max(years) not in gimhae
    answer, text = await ask(answerer, "김해시 등급 알려줘")
    shown = " · ".join(f"{year}년 {gimhae[year]}" for year in sorted(gimhae))
    assert f"{max(years)}년 공개된 기록이 없습니다. 기록된 등급: {shown}" in text
    assert answer.sources


# --- 4. the score asked to be out; item scores ---


async def test_a_score_asked_to_be_out_says_none_was_published(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    row = grades[(grades.agency == "병무청") & (grades.year == 2023)].iloc[0]
    assert not row.score
    answer, text = await ask(answerer, "병무청 2023 점수 공개됐어?")
    assert answer.intent is Intent.GRADE and f"2023년 {row.grade} (" in text
    assert "2023년 점수(합계)는 공개된 자료에 없습니다" in text
    assert "아직 공개되지 않았습니다" not in text


async def test_a_published_score_asked_to_be_out_is_given(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    row = grades[(grades.agency == "이천시") & (grades.year == 2023)].iloc[0]
    assert row.score
    _, text = await ask(answerer, "is icheon's 2023 score available")
    assert f"score {float(row.score):g}" in text


async def test_item_scores_are_said_to_be_unpublished(answerer: Answerer) -> None:
    answer, text = await ask(answerer, "경주시 항목 점수 알려줘")
    assert answer.intent is Intent.ITEMS
    assert text.count("항목별 점수는 공개되지 않습니다") == 1


# --- 5. tell us when: a subscription, and the reply names what was asked ---


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("전남 결과 발표되면 바로 알려 줘", "/grade 구독 전남"),
        ("구독 해지 경기", "/grade 구독 취소 경기"),
        ("unsubscribe busan", "/grade unsubscribe 부산"),
        ("stop following gimhae? unsubscribe gimhae", "/grade unsubscribe 경남 김해시"),
        ("새 결과 나오면 알려주세요", "/grade 구독 전체"),
    ],
)
async def test_outside_a_channel_the_reply_names_the_command_asked(
    answerer: Answerer, text: str, command: str
) -> None:
    answer, rendered = await ask(answerer, text)
    assert answer.intent is Intent.SUBSCRIBE
    assert command in rendered
    assert not GRADE_LINE.search(rendered)


async def test_tell_us_when_in_a_channel_subscribes_it(answerer: Answerer) -> None:
    viewer = Viewer(user_id="U1", channel_id="C0FOUR")
    answer, text = await ask(answerer, "김해시 등급 바뀌면 이 채널에 알려줘", viewer)
    assert answer.intent is Intent.SUBSCRIBE and "경남 김해시: 구독했습니다" in text
    _, listed = await ask(answerer, "구독 목록", viewer)
    assert "경남 김해시" in listed


# --- 6. outside the evaluation ---


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("운전면허 갱신은 어디서 신청해?", Lang.KO),
        ("가족관계증명서 발급 방법", Lang.KO),
        ("can you write a poem about busan", Lang.EN),
        ("translate this sentence into korean", Lang.EN),
    ],
)
async def test_tasks_outside_the_evaluation_are_redirected(
    answerer: Answerer, text: str, lang: Lang
) -> None:
    answer, rendered = await ask(answerer, text)
    assert answer.intent is Intent.OUT_OF_SCOPE and answer.understood and answer.lang is lang
    assert not GRADE_LINE.search(rendered) and answer.table is None


async def test_filing_a_request_says_the_bot_does_not_file(answerer: Answerer) -> None:
    _, text = await ask(answerer, "주민등록 등본 어디서 떼?")
    assert "민원을 어디서, 어떻게, 언제까지 처리하는지는 안내하지 않아요" in text


# --- 7. a region's short name that also names an agency elsewhere ---


async def test_a_region_word_that_is_also_a_city_lists_both(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    city = record(grades, "광주시", "경기")
    region = grades[(grades.year == 2023) & (grades.region == "광주")]
    answer, text = await ask(answerer, "광주 2023")
    assert answer.intent is Intent.LIST and answer.table is not None
    assert len(answer.table.rows) == len(region)
    assert "'광주'는 경기 광주시의 이름이기도 합니다" in text
    assert f"경기 광주시 — 2023년 {city[2023]} (" in text


async def test_a_comparison_with_the_word_covers_both(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    metro = record(grades, "광주광역시", "광주")
    city = record(grades, "광주시", "경기")
    busan = record(grades, "부산광역시", "부산")
    answer, text = await ask(answerer, "광주 대 부산 2024")
    assert answer.intent is Intent.COMPARE
    assert f"광주광역시 {metro[2024]} | 경기 광주시 {city[2024]} | 부산광역시 {busan[2024]}" in text
    assert any("여러 기관" in note for note in answer.notes)


# --- 8. a what-if of the total; a what-if with an item grade ---


async def test_a_total_what_if_without_score_data_says_so_with_the_published_total(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    row = grades[(grades.agency == "구미시") & (grades.year == 2018)].iloc[0]
    assert row.score
    answer, text = await ask(answerer, "구미시 2018년에 점수가 8점 높았으면 등급이 달라졌을까")
    assert answer.intent is Intent.WHATIF and not answer.has_data
    assert "2018년 기초-시 점수 자료가 없어 계산할 수 없습니다" in text
    total = float(row.score) + 8
    assert f"공식 합계는 {float(row.score):g}점이라 +8점이면 {points(total)}점이 되지만" in text
    assert "계산값" not in answer.title and row.source_url in {s.url for s in answer.sources}


async def test_a_total_what_if_on_a_score_sheet_matches_the_engine(
    answerer: Answerer, tmp_path: Path
) -> None:
    rows = county_rows(simulated=False)
    await ingest_file(answerer.data.db, write_sheet(tmp_path / "s.csv", rows), actor="test")
    expected = what_if(engine_frame(rows), "경남 고성군", {}, rules(), total_change=-6.0)
    answer, text = await ask(answerer, "what if goseong gyeongnam lost 6 points in 2023")
    assert answer.intent is Intent.WHATIF and answer.has_data
    assert "total -6 pts" in text
    assert f"total {points(expected.old_total)} → {points(expected.new_total)}" in text
    assert f"grade {expected.old_grade} → {expected.new_grade} (computed)" in text


async def test_an_item_grade_what_if_says_what_it_would_take(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    gimhae = record(grades, "김해시", "경남")
    answer, text = await ask(answerer, "김해시 만족도가 가였다면 종합 등급은?")
    assert answer.intent is Intent.WHATIF and not answer.has_data
    assert "만족도 가 등급을 받았다고 해도 종합 등급은 다시 계산할 수 없습니다" in text
    assert "minwon-bot ingest" in text
    latest = max(gimhae)
    assert f"기록된 최근 공식 등급은 {latest}년 {gimhae[latest]}" in text


# --- 9. a region's list complete through the national list; scales; help ---


def _national_complete(
    grades: pd.DataFrame, year: int, grade: str, groups: tuple[str, ...]
) -> bool:
    """Per group: the published count where there is one, else the year's bands; a group
    covered by a published 기초 count that is met counts as complete."""
    config = year_config(year)
    bands = rules_from_mapping(config.scoring_rules())
    counts = Counter(grades[(grades.year == year) & (grades.grade == grade)].group)
    local = stated_count(year, grade, "기초")
    if local is not None and sum(counts[g] for g in LOCAL) == local.count:
        groups = tuple(g for g in groups if g not in LOCAL)
    for group in groups:
        published = stated_count(year, grade, group)
        expected = (
            published.count if published else band_counts(config.group_sizes[group], bands)[grade]
        )
        if counts[group] != expected:
            return False
    return True


@pytest.mark.parametrize(
    ("question", "year", "region", "groups"),
    [
        ("2024년 전남 가등급 명단", 2024, "전남", ("광역", "교육청", "기초-시", "기초-군")),
        ("2021 서울 구 가등급", 2021, "서울", ("기초-구",)),
    ],
)
async def test_a_region_list_is_complete_when_the_national_list_is(
    answerer: Answerer,
    grades: pd.DataFrame,
    question: str,
    year: int,
    region: str,
    groups: tuple[str, ...],
) -> None:
    assert _national_complete(grades, year, "가", groups)
    answer, text = await ask(answerer, question)
    assert answer.intent is Intent.LIST
    assert f"{year}년 {region}" in text and "명단은 완전합니다" in text
    assert "목록에 없는 기관은 등급이 알려지지 않은 것입니다" not in text


async def test_a_lone_letter_beside_2016_is_that_grade_on_its_scale(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    expected = grades[(grades.year == 2016) & (grades.grade == "B")]
    answer, text = await ask(answerer, "2016 B")
    assert answer.intent is Intent.LIST and answer.table is not None
    assert len(answer.table.rows) == len(expected) > 0
    assert "2016년 등급 체계: " + "·".join(year_config(2016).grades) in text


async def test_help_names_subscriptions(answerer: Answerer) -> None:
    _, text = await ask(answerer, "사용법")
    assert "구독 경남" in text and "구독 취소 경남" in text
    _, english = await ask(answerer, "help")
    assert "subscribe" in english and "unsubscribe" in english
