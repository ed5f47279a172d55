"""What-if and cut-off answers on a small score sheet, every figure checked against the
engine called directly on the same rows; the 'no score data' answer; the labels
(계산값/computed always, 모의 데이터/simulated when so)."""

from __future__ import annotations

from pathlib import Path

from answer_kit import ask
from scoresheets import ITEMS, URL, county_rows, engine_frame, rules, score_row, write_sheet

from answers.intents.scored import points
from answers.presentation.plain import to_text
from answers.query import Intent, Lang
from answers.service import Answerer
from answers.understanding.context import Viewer
from scoring import cutoffs, grade_table, points_to_grade, points_to_next, what_if
from slack_adapter.blocks import to_blocks
from storage.ingest import ingest_file

GOSEONG = "경남 고성군"


async def load(answerer: Answerer, tmp_path: Path, *, simulated: bool) -> list[dict[str, object]]:
    rows = county_rows(simulated=simulated)
    await ingest_file(answerer.data.db, write_sheet(tmp_path / "s.csv", rows), actor="test")
    return rows


async def test_whatif_matches_the_engine(answerer: Answerer, tmp_path: Path) -> None:
    rows = await load(answerer, tmp_path, simulated=False)
    expected = what_if(engine_frame(rows), GOSEONG, {"만족도": 5.0}, rules())
    answer, text = await ask(answerer, "경남 고성군 2023 만족도 5점 오르면")
    assert answer.intent is Intent.WHATIF and answer.has_data
    assert "경남 고성군 — 2023년 기초-군 (점수표 11곳) · 만족도 +5점" in text
    assert (
        f"합계 {points(expected.old_total)} → {points(expected.new_total)} · "
        f"순위 {expected.old_rank}위 → {expected.new_rank}위 (11곳 중) · "
        f"등급 {expected.old_grade} → {expected.new_grade} (계산값)"
    ) in text
    assert (expected.old_grade, expected.new_grade) == ("다", "가")  # the fixture's point
    assert "계산값" in answer.title and "모의" not in text  # real data: computed, not simulated
    assert "공식 발표 등급은 가" in text  # the official grade, for reference
    assert any("example.org/minwon/2023/scores" in s.url for s in answer.sources)


async def test_several_changes_and_a_fall(answerer: Answerer, tmp_path: Path) -> None:
    rows = await load(answerer, tmp_path, simulated=False)
    frame = engine_frame(rows)
    up = what_if(frame, GOSEONG, {"만족도": 1.5, "고충민원": 1.0}, rules())
    _, text = await ask(answerer, "경남 고성군 2023 만족도 +1.5 고충민원 +1점이면?")
    assert "만족도 +1.5점, 고충민원 +1점" in text
    assert (
        f"순위 {up.old_rank}위 → {up.new_rank}위" in text and f"→ {up.new_grade} (계산값)" in text
    )
    down = what_if(frame, GOSEONG, {"만족도": -10.0}, rules())
    _, text = await ask(answerer, "경남 고성군 2023 만족도 10점 떨어지면")
    assert f"순위 {down.old_rank}위 → {down.new_rank}위" in text and f"→ {down.new_grade}" in text


async def test_whatif_in_english_and_for_both_goseong(answerer: Answerer, tmp_path: Path) -> None:
    rows = await load(answerer, tmp_path, simulated=False)
    answer, text = await ask(answerer, "what if goseong satisfaction +5 2023")
    assert answer.lang is Lang.EN and answer.intent is Intent.WHATIF
    for agency in (GOSEONG, "강원 고성군"):
        result = what_if(engine_frame(rows), agency, {"만족도": 5.0}, rules())
        assert f"rank {result.old_rank} → {result.new_rank} of 11" in text
    assert "Gyeongnam" in text and "Gangwon" in text
    assert any("several agencies" in note for note in answer.notes)


async def test_cutoff_for_a_group_matches_the_engine(answerer: Answerer, tmp_path: Path) -> None:
    rows = await load(answerer, tmp_path, simulated=False)
    table = cutoffs(engine_frame(rows), "기초-군", rules())
    answer, text = await ask(answerer, "2023 기초-군 커트라인")
    assert answer.intent is Intent.CUTOFF and answer.has_data
    assert "2023년 기초-군 (점수표 11곳)" in text
    for entry in table.to_dict("records"):
        assert f"• {entry['grade']} {entry['count']}곳: 최저 {points(entry['min_total'])}점" in text
    _, english = await ask(answerer, "cutoff 2023 county")
    low = points(table["min_total"].iloc[0])
    assert f"• 가 ({table['count'].iloc[0]}): lowest total {low}" in english


async def test_points_to_a_named_and_to_the_next_grade(answerer: Answerer, tmp_path: Path) -> None:
    rows = await load(answerer, tmp_path, simulated=False)
    frame = engine_frame(rows)
    to_ga = points_to_grade(frame, GOSEONG, "가", rules())
    assert to_ga is not None and to_ga > 0
    answer, text = await ask(answerer, "경남 고성군 2023 가 등급까지 몇 점?")
    me = grade_table(frame, rules()).set_index("agency_id").loc[GOSEONG]
    assert (
        f"경남 고성군 (2023년): 합계 {points(me['total'])} · {me['rank']}위/11곳 · 계산값 {me['grade']}"
        in text
    )
    assert f"→ 가 등급까지 +{points(to_ga)}점" in text
    step = points_to_next(frame, rules()).set_index("agency_id").loc[GOSEONG]
    _, text = await ask(answerer, "경남 고성군 2023 다음 등급까지 몇 점")
    assert f"→ 다음 등급 {step['next_grade']}까지 +{points(step['points_needed'])}점" in text
    _, text = await ask(answerer, "강원 철원군 2023 가 등급까지 몇 점")  # the top agency
    assert "이미 가 등급 이상입니다" in text


async def test_simulated_data_is_labelled_in_title_and_note(
    answerer: Answerer, tmp_path: Path
) -> None:
    await load(answerer, tmp_path, simulated=True)
    for question in (
        "경남 고성군 2023 만족도 +5점이면?",
        "2023 기초-군 커트라인",
        "고성군 가 등급까지 몇 점?",
    ):
        answer, text = await ask(answerer, question)
        assert answer.title.startswith("[모의 데이터]") and "(계산값)" in answer.title, answer.title
        assert answer.notes[0].startswith("⚠️ 모의 데이터(simulated)")
        assert to_blocks(answer)[0]["text"]["text"].startswith("[모의 데이터]")
    answer, _ = await ask(answerer, "what if gyeongnam goseong satisfaction +5 2023")
    assert answer.title.startswith("[SIMULATED DATA]") and "(computed)" in answer.title
    assert answer.notes[0].startswith("⚠️ Simulated data")


async def test_without_score_data_no_number_and_how_to_load(answerer: Answerer) -> None:
    for question in (
        "경남 고성군 2023 만족도 +5점이면?",
        "2023 기초-군 커트라인",
        "고성군 가 등급까지 몇 점?",
    ):
        answer, text = await ask(answerer, question)
        assert not answer.has_data
        assert "점수 자료가 없어 계산할 수 없습니다" in text
        assert "minwon-bot ingest 점수표.csv" in text
        assert "계산값" not in answer.title and "→" not in text
    answer, text = await ask(answerer, "cutoff 2023 county")
    assert "There is no score data for 2023 기초-군" in text and "minwon-bot ingest" in text


async def test_another_group_or_year_has_no_data(answerer: Answerer, tmp_path: Path) -> None:
    await load(answerer, tmp_path, simulated=False)
    _, text = await ask(answerer, "2023 기초-시 커트라인")
    assert "2023년 기초-시 점수 자료가 없어" in text and "점수 자료가 있는 연도: 2023" in text
    _, text = await ask(answerer, "경남 김해시 2023 만족도 +5점이면?")
    assert "2023년 점수표에 이 기관의 점수가 없어 계산할 수 없습니다" in text
    _, text = await ask(answerer, "경남 고성군 2022 만족도 +5점이면?")
    assert "2022년 기초-군 점수 자료가 없어" in text


async def test_no_year_uses_the_latest_year_with_scores(answerer: Answerer, tmp_path: Path) -> None:
    await load(answerer, tmp_path, simulated=False)  # 2023; the latest published year is 2025
    answer, text = await ask(answerer, "경남 고성군 만족도 +5점이면?")
    assert "2023년 기초-군" in text
    assert any("점수 자료가 있는 최근 연도(2023년)" in note for note in answer.notes)


async def test_real_draft_scores_are_for_admins_only(answerer: Answerer, tmp_path: Path) -> None:
    rows = [
        score_row(name, region, sat, year=2026)
        for name, region, sat in (("고성군", "경남", 10.0), ("하동군", "경남", 12.0))
    ]
    await ingest_file(answerer.data.db, write_sheet(tmp_path / "d.csv", rows), actor="test")
    answer = await answerer.answer("경남 고성군 2026 만족도 +5점이면?")
    assert not answer.has_data
    admin = await answerer.answer("경남 고성군 2026 만족도 +5점이면?", Viewer(is_admin=True))
    assert admin.has_data and "순위 2위 → 1위" in to_text(admin)


async def test_a_change_is_limited_to_what_the_item_can_hold(
    answerer: Answerer, tmp_path: Path
) -> None:
    rows = await load(answerer, tmp_path, simulated=False)  # 경남 고성군: 만족도 17, total 82
    frame = engine_frame(rows)
    answer, text = await ask(answerer, "경남 고성군 2023 만족도 -100점이면?")
    assert answer.lang is Lang.KO and answer.has_data
    assert "0점 아래로 내려갈 수 없어 -100점 대신 -17점만 반영했습니다" in text
    floor = what_if(frame, GOSEONG, {"만족도": -17.0}, rules())
    assert f"합계 82 → {points(floor.new_total)} · 순위 4위 → {floor.new_rank}위" in text
    answer, text = await ask(answerer, "경남 고성군 2023 만족도 +30점")
    assert "합계가 100점을 넘을 수 없어 +30점 대신 +18점만 반영했습니다" in text
    assert "합계 82 → 100 ·" in text  # never above the maximum
    _, text = await ask(answerer, "경남 고성군 2023 만족도를 90점으로")
    assert "합계 82 → 100 ·" in text and "+18점만 반영" in text
    _, english = await ask(answerer, "what if gyeongnam goseong satisfaction -100 2023")
    assert "cannot fall below 0, so -17 points were applied instead of -100" in english
    _, text = await ask(answerer, "경남 고성군 2023 만족도 오르면?")
    assert "몇 점 바꿀지" in text
    answer, text = await ask(answerer, "만족도 -100점이면?")  # no agency: asked, in Korean
    assert answer.lang is Lang.KO and "기관명을 넣어 물어보세요" in text


QUESTIONS = (
    "경남 고성군 2023 만족도 -100점이면?",
    "경남 고성군 2023 만족도 +30점",
    "경남 고성군 2023 만족도 +1.5 고충민원 -2점이면?",
    "what if goseong satisfaction -100 2023",
    "고성군 2023 만족도 +5점이면?",
    "경남 고성군 2023 가 등급까지 몇 점?",
    "경남 고성군 2023 마 등급까지 몇 점?",
    "강원 울릉군 2023 다음 등급까지 몇 점",
    "강원 철원군 2023 가 등급까지 몇 점",
    "2023 기초-군 커트라인",
    "2023 기초-시 커트라인",
    "cutoff 2023 county",
    "goseong points to next grade 2023",
    "경남 김해시 2023 만족도 +5점이면?",
    "경남 고성군 2022 만족도 +5점이면?",
    "경남 고성군 만족도 +5점이면?",
    "커트라인",
    "경남 고성군 2023",
    "2023 기초-군 가 등급",
    "경남 고성군 2023 만족도 1e308점이면?",
)
REPRS = ("np.", "None", "nan", "NaN", "int64", "float64", "Decimal(", "Traceback")


async def test_no_python_repr_in_any_scored_answer(answerer: Answerer, tmp_path: Path) -> None:
    await load(answerer, tmp_path, simulated=True)
    for question in QUESTIONS:
        answer = await answerer.answer(question)
        text = to_text(answer) + str(to_blocks(answer))
        assert not [r for r in REPRS if r in text], (question, text)


async def test_official_grade_answer_is_untouched_by_scores(
    answerer: Answerer, tmp_path: Path
) -> None:
    await load(answerer, tmp_path, simulated=True)
    _, text = await ask(answerer, "경남 고성군 2023")
    assert "경남 고성군 — 2023년 가 (최우수)" in text and "계산값" not in text


# The 17 광역 of 2026 (a year with no official results), 만족도 5, 6, ... 21: 서울 lowest,
# 제주 highest. Synthetic scores: the point is the labelling, not the figures.
PROVINCES = (
    ("서울특별시", "서울"),
    ("부산광역시", "부산"),
    ("대구광역시", "대구"),
    ("인천광역시", "인천"),
    ("광주광역시", "광주"),
    ("대전광역시", "대전"),
    ("울산광역시", "울산"),
    ("세종특별자치시", "세종"),
    ("경기도", "경기"),
    ("강원특별자치도", "강원"),
    ("충청북도", "충북"),
    ("충청남도", "충남"),
    ("전북특별자치도", "전북"),
    ("전라남도", "전남"),
    ("경상북도", "경북"),
    ("경상남도", "경남"),
    ("제주특별자치도", "제주"),
)


async def load_provinces(
    answerer: Answerer, tmp_path: Path, *, simulated: bool, year: int = 2026
) -> list[dict[str, object]]:
    rows = [
        score_row(
            name,
            region,
            5.0 + i,
            year=year,
            group="광역",
            agency_type="광역자치단체",
            simulated="true" if simulated else "",
            source_url="" if simulated else URL,
        )
        for i, (name, region) in enumerate(PROVINCES)
    ]
    await ingest_file(answerer.data.db, write_sheet(tmp_path / "p.csv", rows), actor="test")
    return rows


def province_table(rows: list[dict[str, object]], year: int = 2026) -> dict[str, str]:
    table = grade_table(engine_frame(rows), rules(year))
    return {str(k).split(" ")[1]: str(v) for k, v in zip(table.agency_id, table.grade, strict=True)}


async def test_computed_grades_listed_for_a_year_without_results(
    answerer: Answerer, tmp_path: Path
) -> None:
    rows = await load_provinces(answerer, tmp_path, simulated=True)
    grades = province_table(rows)
    top = sorted(name for name, grade in grades.items() if grade == "가")
    assert top == ["경상남도", "제주특별자치도"]
    answer, text = await ask(answerer, "2026 광역 가 등급")
    assert answer.has_data and answer.title.startswith("[모의 데이터]")
    assert "(계산값)" in answer.title and answer.notes[0].startswith("⚠️ 모의 데이터")
    assert answer.table is not None
    listed = sorted(row[2] for row in answer.table.rows)
    assert listed == top and all(row[1] == "가 (계산값, 모의 데이터)" for row in answer.table.rows)
    assert "2026년 (계산값, 모의 데이터): 2개 기관 (가 2)" in text
    assert "아직 없습니다" not in text
    answer, text = await ask(answerer, "서울특별시 2026")
    assert answer.title.startswith("[모의 데이터]") and answer.has_data
    assert f"서울특별시 — 2026년 {grades['서울특별시']} (계산값, 모의 데이터) · 광역" in text
    assert "2026년 공식 결과는 아직 없음" in text and "17위/17곳" in text


async def test_computed_grade_in_a_grade_answer(answerer: Answerer, tmp_path: Path) -> None:
    rows = await load_provinces(answerer, tmp_path, simulated=False)
    grades = province_table(rows)
    admin = Viewer(is_admin=True)  # real scores of an unpublished year: admins only
    assert not (await answerer.answer("전북특별자치도 2026")).has_data
    answer = await answerer.answer("전북특별자치도 2026", admin)
    text = to_text(answer)
    assert answer.has_data and "(계산값)" in answer.title and "모의" not in text
    assert f"전북특별자치도 — 2026년 {grades['전북특별자치도']} (계산값) · 광역" in text
    assert "2026년 공식 발표 기록 없음" in text  # a draft year (admins see it), no result
    listed = await answerer.answer("2026 광역 가 등급", admin)  # a draft year, scores only
    assert listed.table is not None and len(listed.table.rows) == 2
    assert "(계산값)" in listed.title and "모의" not in to_text(listed)
    answer = await answerer.answer("전북특별자치도 2025", admin)  # official year: official only
    text = to_text(answer)
    assert "계산값" not in text and "계산값" not in answer.title


async def test_official_wins_over_computed(answerer: Answerer, tmp_path: Path) -> None:
    await load(answerer, tmp_path, simulated=True)  # 2023: official results exist
    answer, text = await ask(answerer, "2023 기초-군 가 등급")
    assert "계산값" not in text and "모의" not in text
    answer, text = await ask(answerer, "경남 하동군 2023")
    assert "계산값" not in text or "공식 발표 기록 없음" in text


async def test_cutoff_with_a_named_target_grade_for_a_province(
    answerer: Answerer, tmp_path: Path
) -> None:
    rows = await load_provinces(answerer, tmp_path, simulated=True)
    frame = engine_frame(rows)
    needed = points_to_grade(frame, "전북 전북특별자치도", "가", rules(2026))
    assert needed is not None and needed > 0
    answer, text = await ask(answerer, "전북특별자치도 2026 가 등급까지 몇 점?")
    assert answer.intent is Intent.CUTOFF and answer.has_data
    assert "2026년 광역 (점수표 17곳) — 등급별 최저 합계 (계산값):" in text  # the group's table
    assert f"전북특별자치도 (2026년): 합계 {points(frame.loc[12, ITEMS].sum())}" in text
    assert f"→ 가 등급까지 +{points(needed)}점" in text
    step = points_to_next(frame, rules(2026)).set_index("agency_id").loc["전북 전북특별자치도"]
    _, text = await ask(answerer, "전북특별자치도 2026 다음 등급까지 몇 점?")
    assert f"→ 다음 등급 {step['next_grade']}까지 +{points(step['points_needed'])}점" in text
