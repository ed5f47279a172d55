"""What-if and cut-off answers on a small score sheet, every figure checked against the
engine called directly on the same rows; the 'no score data' answer; the labels
(계산값/computed always, 모의 데이터/simulated when so)."""

from __future__ import annotations

from pathlib import Path

from scoresheets import county_rows, engine_frame, rules, score_row, write_sheet

from answers.answer import Answer
from answers.data import Viewer
from answers.query import Intent, Lang
from answers.render import to_blocks, to_text
from answers.scored import points
from answers.service import Answerer
from scoring import cutoffs, grade_table, points_to_grade, points_to_next, what_if
from storage.ingest import ingest_file

GOSEONG = "경남 고성군"


async def load(answerer: Answerer, tmp_path: Path, *, simulated: bool) -> list[dict[str, object]]:
    rows = county_rows(simulated=simulated)
    await ingest_file(answerer.data.db, write_sheet(tmp_path / "s.csv", rows), actor="test")
    return rows


async def ask(answerer: Answerer, text: str) -> tuple[Answer, str]:
    answer = await answerer.answer(text)
    return answer, to_text(answer)


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
    assert f"경남 고성군 (2023년): 합계 {points(me['total'])} · {me['rank']}위/11곳 · 계산값 {me['grade']}" in text  # fmt: skip
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
    for question in ("경남 고성군 2023 만족도 +5점이면?", "2023 기초-군 커트라인", "고성군 가 등급까지 몇 점?"):  # fmt: skip
        answer, text = await ask(answerer, question)
        assert answer.title.startswith("[모의 데이터]") and "(계산값)" in answer.title, answer.title
        assert answer.notes[0].startswith("⚠️ 모의 데이터(simulated)")
        assert to_blocks(answer)[0]["text"]["text"].startswith("[모의 데이터]")
    answer, _ = await ask(answerer, "what if gyeongnam goseong satisfaction +5 2023")
    assert answer.title.startswith("[SIMULATED DATA]") and "(computed)" in answer.title
    assert answer.notes[0].startswith("⚠️ Simulated data")


async def test_without_score_data_no_number_and_how_to_load(answerer: Answerer) -> None:
    for question in ("경남 고성군 2023 만족도 +5점이면?", "2023 기초-군 커트라인", "고성군 가 등급까지 몇 점?"):  # fmt: skip
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
    rows = [score_row(name, region, sat, year=2026) for name, region, sat in
            (("고성군", "경남", 10.0), ("하동군", "경남", 12.0))]  # fmt: skip
    await ingest_file(answerer.data.db, write_sheet(tmp_path / "d.csv", rows), actor="test")
    answer = await answerer.answer("경남 고성군 2026 만족도 +5점이면?")
    assert not answer.has_data
    admin = await answerer.answer("경남 고성군 2026 만족도 +5점이면?", Viewer(is_admin=True))
    assert admin.has_data and "순위 2위 → 1위" in to_text(admin)


async def test_impossible_change_is_explained(answerer: Answerer, tmp_path: Path) -> None:
    await load(answerer, tmp_path, simulated=False)
    answer, text = await ask(answerer, "경남 고성군 2023 만족도 30점 떨어지면")
    assert "계산할 수 없습니다" in text and "cannot be negative" in text and not answer.has_data
    _, text = await ask(answerer, "경남 고성군 2023 만족도 오르면?")
    assert "몇 점 바꿀지" in text


async def test_official_grade_answer_is_untouched_by_scores(
    answerer: Answerer, tmp_path: Path
) -> None:
    await load(answerer, tmp_path, simulated=True)
    _, text = await ask(answerer, "경남 고성군 2023")
    assert "경남 고성군 — 2023년 가 (최우수)" in text and "계산값" not in text
