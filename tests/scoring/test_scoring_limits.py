"""What-if limits: a change is cut to what an item can hold (0, the item's maximum where a
year gives one, a 100-point total), and every cut is reported."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scoring import (
    GradingRules,
    ScoringError,
    limit_changes,
    limit_total,
    rules_from_mapping,
    what_if,
)

ITEMS = ("전략체계", "제도운영", "국민신문고", "고충민원", "만족도")


def frame(*rows: tuple[str, float, float, float, float, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agency_id": [r[0] for r in rows],
            "group": ["기초-군"] * len(rows),
            **{item: [r[1 + j] for r in rows] for j, item in enumerate(ITEMS)},
        }
    )


# synthetic agencies A (total 82) and B (total 70)
TABLE = frame(("A", 20, 15, 15, 15, 17), ("B", 20, 15, 10, 10, 15))


def test_a_change_that_fits_is_kept() -> None:
    limited = limit_changes(TABLE, "A", {"만족도": 5.0, "고충민원": -3.0}, GradingRules())
    assert limited.changes == {"만족도": 5.0, "고충민원": -3.0} and limited.limits == ()


def test_an_item_never_falls_below_zero() -> None:
    limited = limit_changes(TABLE, "A", {"만족도": -100.0}, GradingRules())
    assert limited.changes == {"만족도": -17.0}
    (limit,) = limited.limits
    assert (limit.item, limit.asked, limit.applied, limit.reason, limit.bound) == (
        "만족도",
        -100.0,
        -17.0,
        "floor",
        0.0,
    )
    result = what_if(TABLE, "A", limited.changes, GradingRules())
    assert result.new_total == 65.0


def test_the_total_never_passes_the_maximum() -> None:
    limited = limit_changes(TABLE, "A", {"만족도": 30.0}, GradingRules())
    assert limited.changes == {"만족도": 18.0}
    assert limited.limits[0].reason == "total_max" and limited.limits[0].bound == 100.0
    assert what_if(TABLE, "A", limited.changes, GradingRules()).new_total == 100.0
    # two raises share the room left: the second gets what the first left
    both = limit_changes(TABLE, "A", {"만족도": 10.0, "고충민원": 10.0}, GradingRules())
    assert both.changes == {"만족도": 10.0, "고충민원": 8.0}
    assert [limit.item for limit in both.limits] == ["고충민원"]


def test_a_known_item_maximum_wins_when_lower() -> None:
    rules = rules_from_mapping({"max_points": {"만족도": 22}})
    limited = limit_changes(TABLE, "A", {"만족도": 10.0}, rules)
    assert limited.changes == {"만족도": 5.0}
    assert (limited.limits[0].reason, limited.limits[0].bound) == ("item_max", 22.0)


def test_an_explicit_total_is_capped_too() -> None:
    table = TABLE.assign(total=[95.0, math.nan])
    limited = limit_changes(table, "A", {"만족도": 10.0}, GradingRules())
    assert limited.changes == {"만족도": 5.0}


def test_bad_limits_and_unknown_agencies_are_refused_without_reprs() -> None:
    with pytest.raises(ScoringError, match="max_points"):
        rules_from_mapping({"max_points": {"없는항목": 10}})
    with pytest.raises(ScoringError, match="max_total"):
        GradingRules(max_total=0)
    numbered = TABLE.assign(agency_id=pd.Series([97, 98], dtype="int64"))
    with pytest.raises(ScoringError) as caught:
        what_if(numbered, numbered.agency_id.iloc[0], {"만족도": -100.0}, GradingRules())
    assert "np." not in str(caught.value) and "97" in str(caught.value)


# --- a change of the total itself ('10 points higher', no item named) ---


def test_a_total_change_moves_the_total_and_the_rank() -> None:
    rules = GradingRules()
    result = what_if(TABLE, "B", {}, rules, total_change=13.0)  # B 70 -> 83, past A's 82
    assert (result.old_total, result.new_total) == (70.0, 83.0)
    assert (result.old_rank, result.new_rank) == (2, 1)
    assert what_if(TABLE, "B", {}, rules).new_total == 70.0  # no change, no move


def test_a_total_change_is_cut_at_zero_and_at_the_maximum() -> None:
    rules = GradingRules()
    applied, limit = limit_total(TABLE, "A", 30.0, rules, name="합계")
    assert applied == 18.0 and limit is not None
    assert (limit.item, limit.reason, limit.bound) == ("합계", "total_max", 100.0)
    applied, limit = limit_total(TABLE, "B", -90.0, rules, name="합계")
    assert applied == -70.0 and limit is not None and limit.reason == "floor"
    assert limit_total(TABLE, "A", 5.0, rules, name="합계") == (5.0, None)


def test_a_total_change_that_is_no_number_is_refused() -> None:
    with pytest.raises(ScoringError):
        what_if(TABLE, "A", {}, GradingRules(), total_change=math.inf)
    with pytest.raises(ScoringError):
        what_if(TABLE, "A", {}, GradingRules(), total_change=-100.0)
