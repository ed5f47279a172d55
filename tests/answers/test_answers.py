"""Answers for real rows of the bundled data, through Answerer.answer and the renderers, on
every backend. Expected grades come from grades.csv itself, never typed in here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from answer_kit import ask

from answers.presentation.plain import to_text
from answers.query import Intent, Lang
from answers.service import Answerer
from answers.understanding.context import Viewer
from slack_adapter.blocks import to_blocks
from storage.db import Database
from storage.ingest import ingest_file

ADMIN = Viewer(user_id="UADMIN", is_admin=True)
GRADE_LINE = re.compile(r"\d{4}년 \*?[가나다라마]\*? \(")  # '2023년 가 (최우수)': a grade was given


def row(grades: pd.DataFrame, agency: str, year: int, region: str = "") -> pd.Series:
    found = grades[(grades.agency == agency) & (grades.year == year)]
    if region:
        found = found[found.region == region]
    assert len(found) == 1, f"grades.csv should hold one {region} {agency} {year}"
    return found.iloc[0]


async def test_grade_of_one_agency_with_source(answerer: Answerer, grades: pd.DataFrame) -> None:
    expected = row(grades, "고성군", 2023, "경남")
    assert expected.grade == "가" and "news1.kr" in expected.source_url
    answer, text = await ask(answerer, "경남 고성군 2023")
    assert answer.intent is Intent.GRADE and answer.lang is Lang.KO and answer.has_data
    assert "경남 고성군 — 2023년 가 (최우수)" in text
    assert "기초-군" in text
    before = row(grades, "고성군", 2022, "경남")
    assert f"2022년 {before.grade} → 가" in text
    assert [s.url for s in answer.sources] == [expected.source_url]
    assert expected.source_url in text
    assert "강원" not in text


async def test_shared_name_covers_every_match_and_says_so(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    answer, text = await ask(answerer, "고성군 2023")
    for region in ("경남", "강원"):
        expected = row(grades, "고성군", 2023, region)
        assert f"{region} 고성군 — 2023년 {expected.grade} (" in text
        assert expected.source_url in text
    assert {row(grades, "고성군", 2023, r).grade for r in ("경남", "강원")} == {"가", "다"}
    assert any(
        "여러 기관" in note and "경남 고성군" in note and "강원 고성군" in note
        for note in answer.notes
    )


async def test_missing_agency_year_is_never_invented(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    rows = grades[grades.agency == "거제시"].sort_values("year")
    on_record = list(rows.year)
    assert 2019 not in on_record and 2018 in on_record and 2020 in on_record  # a real gap
    answer, text = await ask(answerer, "거제시 2019")
    assert "2019년 공개된 기록이 없습니다" in text
    # the grades it does have are named beside the gap, each with its source; none for 2019
    shown = " · ".join(f"{y}년 {g}" for y, g in zip(rows.year, rows.grade, strict=True))
    assert f"기록된 등급: {shown}" in text
    assert not GRADE_LINE.search(text)
    assert {s.url for s in answer.sources} == set(rows.source_url)


async def test_english_question_gets_english_answer(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    expected = row(grades, "고성군", 2023, "경남")
    answer, text = await ask(answerer, "Goseong-gun Gyeongnam 2023 grade")
    assert answer.lang is Lang.EN
    assert answer.title == "Goseong County (고성군), Gyeongnam · Civil service evaluation grade"
    line = next(
        line
        for line in text.splitlines()
        if line.startswith("Goseong County (고성군), G") and " — " in line
    )
    assert line.startswith(f"Goseong County (고성군), Gyeongnam — 2023: {expected.grade} (top 10%")
    assert "년" not in line and "counties" in line
    assert "note: " in text  # the source's own note stays as published, in Korean
    assert "Sources:" in text and expected.source_url in text


async def test_history_lists_every_year_and_the_gaps(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    answer, text = await ask(answerer, "거제시 등급 추이")
    assert answer.intent is Intent.HISTORY
    own = grades[grades.agency == "거제시"].set_index("year").grade
    for year in range(grades.year.min(), grades.year.max() + 1):
        cell = f"{year} {own[year]}" if year in own.index else f"{year} 기록 없음"
        assert cell in text
    # the trend joins consecutive years only: 2019 is missing, so it starts in 2020
    assert {2020, 2021, 2022, 2023} <= set(own.index) and 2019 not in own.index
    assert f"추세: 2020년 {own[2020]} → 2023년 {own[2023]}" in text and "연속 4년" in text
    urls = set(grades[grades.agency == "거제시"].source_url)
    assert {s.url for s in answer.sources} == urls


async def test_compare_shows_both(answerer: Answerer, grades: pd.DataFrame) -> None:
    goseong, geoje = row(grades, "고성군", 2023, "경남"), row(grades, "거제시", 2023)
    answer, text = await ask(answerer, "경남 고성군 vs 거제시 2023")
    assert answer.intent is Intent.COMPARE and answer.lang is Lang.KO
    assert f"2023: 경남 고성군 {goseong.grade} | 경남 거제시 {geoje.grade}" in text
    assert {goseong.source_url, geoje.source_url} <= {s.url for s in answer.sources}


async def test_compare_with_a_shared_name_and_korean_vs(answerer: Answerer) -> None:
    answer, text = await ask(answerer, "고성군 vs 통영시 2023")
    assert answer.lang is Lang.KO
    line = next(line for line in text.splitlines() if line.startswith("2023:"))
    assert "경남 고성군" in line and "강원 고성군" in line and "경남 통영시 기록 없음" in line


async def test_list_is_exactly_the_published_rows(answerer: Answerer, grades: pd.DataFrame) -> None:
    central = grades[(grades.year == 2024) & (grades.group == "중앙") & (grades.grade == "마")]
    expected = set(central.agency)
    assert expected
    answer, text = await ask(answerer, "2024 중앙행정기관 마 등급")
    assert answer.intent is Intent.LIST
    listed = set(re.findall(r"^2024  마  (\S+)  중앙$", text, flags=re.MULTILINE))
    assert listed == expected
    assert f"2024년: {len(expected)}개 기관 (마 {len(expected)})" in text
    # the 마 band of 2024's 46 central agencies holds as many as grades.csv lists: complete
    assert "2024년 중앙 마 등급 명단은 완전합니다" in text and f"(중앙 {len(expected)})" in text
    assert "목록에 없는 기관은 등급이 알려지지 않은 것입니다" not in text


async def test_list_by_region_and_grade(answerer: Answerer, grades: pd.DataFrame) -> None:
    expected = grades[(grades.year == 2023) & (grades.region == "경남") & (grades.grade == "가")]
    _, text = await ask(answerer, "2023 경남 가 등급")
    listed = re.findall(r"^2023  가  (.+?)  \S+$", text, flags=re.MULTILINE)
    labels = {
        f"경남 {a}" if t == "기초자치단체" else a
        for a, t in zip(expected.agency, expected.agency_type, strict=True)
    }
    assert set(listed) == labels and len(listed) == len(labels)


async def test_items_show_the_five_item_grades(answerer: Answerer, grades: pd.DataFrame) -> None:
    expected = row(grades, "거제시", 2023)
    items = dict(part.strip().split("=") for part in expected.item_grades.split(";"))
    assert len(items) == 5
    answer, text = await ask(answerer, "2023 거제시 항목별")
    assert answer.intent is Intent.ITEMS
    assert f"경남 거제시 — 2023년 종합 {expected.grade}" in text
    for item, grade in items.items():
        assert f"• {item.strip()}: {grade.strip()}" in text
    assert expected.source_url in text


async def test_a_year_without_results_says_so(answerer: Answerer, grades: pd.DataFrame) -> None:
    latest = grades.year.max()
    for question in ("김해시 2030", "경남 2030", "김해시 2030 항목별", "김해시 양산시 2030 비교"):
        answer, text = await ask(answerer, question)
        assert f"2030년 평가 결과는 아직 없습니다 (최근 공개: {latest}년)" in text, question
        assert not GRADE_LINE.search(text) and not answer.has_data, question
    _, text = await ask(answerer, "김해시 1999")
    assert "1999년 평가 결과는 기록에 없습니다" in text


async def test_former_name_answers_for_the_agency_and_names_the_time(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    expected = row(grades, "강원도", 2022)
    answer, text = await ask(answerer, "강원도 2022")
    assert answer.title.startswith("강원특별자치도")
    assert f"강원특별자치도 — 2022년 {expected.grade} (" in text
    assert "당시 명칭 강원도" in text
    _, current = await ask(answerer, "강원특별자치도 2022")
    assert current == text.replace("강원도 2022", "강원특별자치도 2022")


async def test_relative_years_count_published_years(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    latest = grades.year.max()
    _, this_year = await ask(answerer, "올해 경남 고성군")
    _, last_year = await ask(answerer, "작년 경남 고성군")
    assert f"— {latest}년 " in this_year
    assert f"— {latest - 1}년 " in last_year
    _, compared = await ask(answerer, "김해시 양산시 작년 비교")
    rows = [line[:5] for line in compared.splitlines() if line[:4].isdigit() and line[4] == ":"]
    assert rows == [f"{latest - 1}:"]
    assert f"{latest - 1}년 평가 기준 (최근 공개: {latest}년)" in compared  # the year used, named


async def test_grade_names_stay_on_their_own_scale(
    answerer: Answerer, grades: pd.DataFrame
) -> None:
    top_2017 = set(grades[(grades.year == 2017) & (grades.grade == "최우수")].agency)
    assert top_2017
    _, text = await ask(answerer, "2017 최우수")
    assert len(re.findall(r"^2017  최우수  ", text, flags=re.MULTILINE)) == len(top_2017)
    _, text = await ask(answerer, "2017 가")  # 2017 had no 가: one scale never maps onto another
    assert "2017년: 그해 등급 체계(최우수·우수·보통)에는 '가' 등급이 없습니다" in text
    ga_2023 = grades[(grades.year == 2023) & (grades.region == "경남") & (grades.grade == "가")]
    _, text = await ask(answerer, "최우수 2023 경남")
    assert len(re.findall(r"^2023  가  ", text, flags=re.MULTILINE)) == len(ga_2023) > 0


async def test_help_and_hints(answerer: Answerer) -> None:
    answer, text = await ask(answerer, "help")
    assert answer.intent is Intent.HELP and answer.lang is Lang.EN and "How to ask" in text
    for question in ("도움말", "", "   "):
        answer, text = await ask(answerer, question)
        assert answer.intent is Intent.HELP and "이렇게 물어보세요" in text
        assert "경남 고성군 2023 등급" in text
    answer, text = await ask(answerer, "아무거나 그냥")
    assert answer.intent is Intent.UNKNOWN and not answer.understood
    assert "질문을 이해하지 못했어요" in text and "• 경남 고성군 2023 등급" in text
    answer, text = await ask(answerer, "없는시는 2023")
    assert "'없는시'에 대한 공개 기록이 없습니다" in text and not answer.has_data
    answer, text = await ask(answerer, "추이")
    assert answer.intent is Intent.UNKNOWN and "기관명이나 지역" in text


async def test_shared_name_in_a_region_without_it_is_not_answered_elsewhere(
    answerer: Answerer,
) -> None:
    answer, text = await ask(answerer, "세종 중구 2024")
    assert "'세종 중구'에 대한 공개 기록이 없습니다" in text
    assert "부산" not in text and "대구" not in text and not answer.has_data
    answer, text = await ask(answerer, "서울 중구 2024")  # a real agency without a result
    assert "서울 중구 — 2024년 공개된 기록이 없습니다" in text and "확인" not in text
    assert "부산" not in text and "대구" not in text and not answer.has_data


HOSTILE = (
    "'; DROP TABLE results;--",
    "<@U123>",
    "\x00\x1b[2J",
    "🙂" * 50,
    "경남 고성군 2023 " + "가" * 10_000,
    "%s%n{0}",
    "{lang} {0!r} {{",
)
INTERNALS = re.compile(r"Traceback|Exception|Error\b|\bNone\b|<\w[\w.]* object at|Intent\.|Lang\.")


@pytest.mark.parametrize("question", HOSTILE, ids=lambda q: repr(q)[:20])
async def test_hostile_question_gets_a_hint_or_an_answer(answerer: Answerer, question: str) -> None:
    """What a user sees: the help, a 'try asking like this' hint, or a real answer; never
    Python's insides, never an empty title, always within Slack's limits."""
    answer = await answerer.answer(question)
    text, blocks = to_text(answer), to_blocks(answer)
    hint = not answer.understood and bool(answer.lines)
    assert answer.intent is Intent.HELP or hint or answer.has_data, answer
    assert answer.title.strip() and not INTERNALS.search(text), text
    assert 0 < len(blocks) <= 50 and len(json.dumps(blocks, ensure_ascii=False)) < 12_000
    assert blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= 150
    for block in blocks:
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000


async def test_hostile_questions_leave_the_data_alone(answerer: Answerer) -> None:
    for question in HOSTILE:
        await answerer.answer(question)
    answer, text = await ask(answerer, "경남 고성군 2023")
    assert answer.has_data and "경남 고성군 — 2023년 가 (최우수)" in text


# --- drafts: a newly ingested year is visible to admins only ---

DRAFT_CSV = """year,agency,region,agency_type,group,grade,source_url,note
2026,고성군,경남,기초자치단체,기초-군,나,https://example.org/draft-2026,test draft
2026,거제시,경남,기초자치단체,기초-시,가,https://example.org/draft-2026,test draft
"""


async def _ingest_draft(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "draft-2026.csv"
    path.write_text(DRAFT_CSV, encoding="utf-8")
    report = await ingest_file(db, path, actor="test")
    assert report.new_years == [2026] and not report.published_new_years


async def test_draft_year_is_for_admins_only(
    answerer: Answerer, loaded_db: Database, tmp_path: Path, grades: pd.DataFrame
) -> None:
    latest = grades.year.max()
    assert latest < 2026
    await _ingest_draft(loaded_db, tmp_path)

    _, text = await ask(answerer, "경남 고성군 2026")
    assert f"2026년 평가 결과는 아직 없습니다 (최근 공개: {latest}년)" in text
    assert "example.org" not in text and not GRADE_LINE.search(text)
    _, text = await ask(answerer, "경남 2026")
    assert "거제시" not in text and "example.org" not in text
    # "2026 " is the draft year as a history entry or source line; the bundled 2025 row's
    # source URL holds "2026…" (announced February 2026), which is no leak.
    _, text = await ask(answerer, "경남 고성군 추이")
    assert "2026 " not in text and "2026년" not in text and "example.org" not in text
    _, text = await ask(answerer, "올해 경남 고성군")
    assert f"— {latest}년 " in text and "2026 " not in text and "2026년" not in text

    answer, text = await ask(answerer, "경남 고성군 2026", ADMIN)
    assert "경남 고성군 — 2026년 나 (우수)" in text and "미공개 초안" in text
    assert "https://example.org/draft-2026" in text and answer.has_data
    _, text = await ask(answerer, "경남 2026", ADMIN)
    assert "경남 거제시" in text and "경남 고성군" in text
    _, text = await ask(answerer, "경남 고성군 추이", ADMIN)
    assert "2026 나" in text
    _, text = await ask(answerer, "올해 경남 고성군", ADMIN)
    assert f"— {latest}년 " in text  # 올해 is the latest *published* year for everyone


# --- Slack limits ---


def assert_within_slack_limits(blocks: list[dict[str, object]]) -> None:
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        data = json.loads(json.dumps(block))
        if data["type"] == "header":
            assert len(data["text"]["text"]) <= 150
        elif data["type"] == "section":
            assert 0 < len(data["text"]["text"]) <= 3000
        elif data["type"] == "context":
            assert len(data["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in data["elements"])
        elif data["type"] == "actions":
            assert all(len(e["value"]) <= 2000 for e in data["elements"])


LONG_QUESTIONS = {
    "경기 2018": "경기 2018",
    "paged list": "2022 기초",
    "all cities": "시",
    "10 kB list": "경기 2018 " * 1_200,
    "10 kB names": " ".join(
        ["김해시", "양산시", "거제시", "통영시", "창원시", "중구", "동구"] * 500
    ),
    "10 kB noise": "민원 " * 3_500,
}


@pytest.mark.parametrize("question", LONG_QUESTIONS.values(), ids=LONG_QUESTIONS.keys())
async def test_blocks_stay_within_slack_limits(answerer: Answerer, question: str) -> None:
    answer = await answerer.answer(question)
    blocks = to_blocks(answer)
    assert_within_slack_limits(blocks)
    if answer.table and answer.intent is Intent.LIST and len(answer.table.rows) > 40:
        assert any(b["type"] == "actions" for b in blocks)  # paged, never silently cut
        assert_within_slack_limits(to_blocks(answer, page=1))


@pytest.mark.parametrize(
    ("question", "year", "column", "value"),
    [("경기 2018", 2018, "region", "경기"), ("2022 기초", 2022, "agency_type", "기초자치단체")],
)
async def test_long_lists_are_whole(
    answerer: Answerer, grades: pd.DataFrame, question: str, year: int, column: str, value: str
) -> None:
    expected = grades[(grades.year == year) & (grades[column] == value)]
    answer, text = await ask(answerer, question)
    assert answer.table is not None and len(answer.table.rows) == len(expected)
    assert f"{year}년: {len(expected)}개 기관" in text
    rows = re.findall(rf"^{year}  [가나다라마]  ", text, flags=re.MULTILINE)
    assert len(rows) == len(expected)


async def test_an_empty_database_answers_without_data(db: Database) -> None:
    answerer = Answerer(db)
    for question in ("경남", "경남 2023", "고성군", "올해", "help", "2024 중앙 마"):
        answer = await answerer.answer(question)
        assert answer.lines and not answer.has_data, question
    _, text = await ask(answerer, "경남")
    assert "아직 공개된 평가 결과가 없습니다" in text
