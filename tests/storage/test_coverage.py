"""Coverage: per year and grading group, the results the bot knows against the graded count
of domain/years.py, and whether the 가 list is complete: against the count the sources
published where there is one, by the year's band rule only where there is none."""

from __future__ import annotations

import csv
import io
from collections import Counter
from importlib import resources

import pytest

from answers.intents.coverage import coverage_answer
from answers.presentation.plain import to_text
from answers.query import Intent, Lang
from answers.service import Answerer
from answers.understanding.context import Viewer
from domain.years import stated_count, year_config
from slack_adapter.blocks import to_blocks
from storage.coverage import coverage_counts
from storage.db import Database


def bundled(year: int) -> list[dict[str, str]]:
    text = resources.files("storage.bundled").joinpath("grades.csv").read_text(encoding="utf-8")
    return [row for row in csv.DictReader(io.StringIO(text)) if row["year"] == str(year)]


def half_up_tenth(size: int) -> int:
    """10 % of a group, rounded half up, written out by hand (75 -> 8, 17 -> 2, 44 -> 4)."""
    return (size * 10 + 50) // 100


async def test_each_group_of_2024_counts_its_bundled_rows(shared_loaded_db: Database) -> None:
    config = year_config(2024)
    assert config.rounding == "half_up" and config.cumulative[0] == 0.1
    rows = bundled(2024)
    known = Counter(row["group"] for row in rows)
    top = Counter(row["group"] for row in rows if row["grade"] == "가")
    answer = await coverage_answer(shared_loaded_db, year=2024)
    assert answer.table is not None
    shown = {row[1]: row for row in answer.table.rows}
    assert set(shown) == {*config.group_sizes, "기초"}
    for group, size in config.group_sizes.items():
        published = stated_count(2024, "가", group)
        expected = published.count if published else half_up_tenth(size)
        basis = "(발표)" if published else "(구간 계산)"
        status = "완전" if top[group] == expected else "빠짐" if top[group] < expected else "많음"
        assert shown[group][2] == f"{known[group]}/{size}"
        assert shown[group][3].startswith(f"가 {top[group]}/{expected} ")
        assert status in shown[group][3] and shown[group][3].endswith(basis)
    local = [g for g in config.group_sizes if g.startswith("기초-")]
    local_top = sum(top[g] for g in local)
    published_local = stated_count(2024, "가", "기초")
    assert published_local is not None
    assert shown["기초"][3].startswith(f"가 {local_top}/{published_local.count} ")
    assert answer.lines[1].startswith(f"*2024년*: 평가 {config.evaluated}곳 중 {len(rows)}곳")


async def test_a_year_is_counted_against_the_agencies_evaluated(
    shared_loaded_db: Database,
) -> None:
    [counts] = await coverage_counts(shared_loaded_db, year=2025)
    assert counts.known() == len(bundled(2025))
    answer = await coverage_answer(shared_loaded_db, year=2025, lang=Lang.EN)
    text = to_text(answer)
    evaluated = counts.config.evaluated
    assert f"{counts.known()} of {evaluated} evaluated agencies known" in text
    assert "None" not in text and "{" not in text


async def test_a_year_not_stored_is_said_plainly(shared_loaded_db: Database) -> None:
    answer = await coverage_answer(shared_loaded_db, year=2031)
    assert answer.lines == ("2031년 결과가 없습니다.",) and answer.table is None


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("데이터 현황", None),
        ("coverage", None),
        ("coverage 2024", 2024),
        ("2023년 데이터 현황", 2023),
    ],
)
async def test_asking_for_coverage_answers_with_the_table(
    shared_loaded_db: Database, question: str, years: int | None
) -> None:
    answer = await Answerer(shared_loaded_db).answer(question, Viewer())
    assert answer.intent is Intent.COVERAGE and answer.table is not None
    shown_years = {row[0] for row in answer.table.rows}
    assert shown_years == ({str(years)} if years else {str(y) for y in range(2016, 2026)})
    blocks = str(to_blocks(answer))
    assert "기초-시" in blocks and "None" not in blocks


async def test_a_question_about_an_agency_is_not_coverage(shared_loaded_db: Database) -> None:
    answer = await Answerer(shared_loaded_db).answer("고성군 2024 coverage 말고 등급", Viewer())
    assert answer.intent is not Intent.COVERAGE
