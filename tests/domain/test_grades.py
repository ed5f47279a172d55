"""The domain's grade rules: moves only within one scale, names per scale."""

from __future__ import annotations

import pytest

from domain.grades import GradeScale, grade_label, grade_move, grade_rank


@pytest.mark.parametrize(
    ("before", "after", "arrow"),
    [("다", "가", "▲2"), ("가", "마", "▼4"), ("나", "나", "="), ("라", "다", "▲1")],
)
def test_move_within_ga_ma(before: str, after: str, arrow: str) -> None:
    move = grade_move(GradeScale.GA_MA, before, GradeScale.GA_MA, after)
    assert move is not None and move.arrow == arrow


def test_moves_across_scales_or_off_scale_are_not_comparable() -> None:
    assert grade_move(GradeScale.THREE_LEVEL, "최우수", GradeScale.GA_MA, "가") is None
    assert grade_move("가-마", "가", "가-마", "S") is None


def test_names_and_ranks_per_scale() -> None:
    assert grade_label(GradeScale.GA_MA, "마") == "아주미흡"
    assert grade_rank(GradeScale.THREE_LEVEL, "보통") == 3
    assert grade_rank(GradeScale.SABCD, "가") is None
