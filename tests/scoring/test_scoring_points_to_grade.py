"""points_to_grade: the points an agency needs for a named grade, everyone else fixed —
checked by what_if (that many points reach it, 0.01 fewer do not) and against
points_to_next for the next grade up."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import GradingRules, ScoringError, points_to_grade, points_to_next, what_if

RULES = GradingRules()
FLOOR = GradingRules(rounding="floor")
ITEMS = RULES.items


def table(satisfaction: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agency_id": range(len(satisfaction)),
            "group": "군",
            **{item: 10.0 for item in ITEMS[:-1]},
            "만족도": satisfaction,
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 3000).map(lambda c: c / 100), min_size=1, max_size=40),
    st.data(),
    st.sampled_from([RULES, FLOOR]),
)
def test_points_to_grade_verified_by_what_if(
    scores: list[float], data: st.DataObject, rules: GradingRules
) -> None:
    frame = table(scores)
    agency = data.draw(st.integers(0, len(scores) - 1))
    grade = data.draw(st.sampled_from(rules.grades))
    needed = points_to_grade(frame, agency, grade, rules)
    target = rules.grades.index(grade)
    before = what_if(frame, agency, {"만족도": 0.0}, rules)
    if needed is None:  # no band for it in a group this size
        assert rules.grades.index(before.old_grade) > target
        return
    after = what_if(frame, agency, {"만족도": needed}, rules)
    assert rules.grades.index(after.new_grade) <= target
    if needed > 0:
        short = what_if(frame, agency, {"만족도": round(needed - 0.01, 2)}, rules)
        assert rules.grades.index(short.new_grade) > target
    else:
        assert rules.grades.index(before.old_grade) <= target


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3000).map(lambda c: c / 100), min_size=2, max_size=40))
def test_next_grade_matches_points_to_next(scores: list[float]) -> None:
    frame = table(scores)
    steps = points_to_next(frame, RULES)
    for entry in steps.to_dict("records"):
        if entry["next_grade"] is None:
            continue
        assert points_to_grade(
            frame, entry["agency_id"], entry["next_grade"], RULES
        ) == pytest.approx(entry["points_needed"])


def test_hand_computed() -> None:
    # 10 agencies, half-up: 가 1, 나 2, 다 4, 라 2, 마 1; totals 40 + 만족도
    frame = table([30, 28, 26, 24, 22, 20, 18, 16, 14, 12])
    assert points_to_grade(frame, 3, "나", RULES) == 2.0  # 24 -> 26 ties rank 3: 나
    assert points_to_grade(frame, 3, "가", RULES) == 6.0
    assert points_to_grade(frame, 0, "가", RULES) == 0.0
    assert points_to_grade(frame, 9, "라", RULES) == 2.0  # 12 -> 14 ties rank 9 (라: 8-9)
    assert points_to_grade(table([10, 9, 8]), 2, "가", RULES) is None  # no 가 in a group of 3
    with pytest.raises(ScoringError):
        points_to_grade(frame, 0, "S", RULES)
    with pytest.raises(ScoringError):
        points_to_grade(frame, 99, "가", RULES)
