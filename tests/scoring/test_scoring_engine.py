"""Tests of the pure scoring engine: hand-computed cases, official totals, properties."""

from __future__ import annotations

import math
import tomllib
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import (
    GradingRules,
    ScoringError,
    band_counts,
    consistency,
    cutoffs,
    grade_table,
    points_to_next,
    round_half_up,
    rules_from_mapping,
    what_if,
)

HALF_UP = GradingRules()
FLOOR = GradingRules(rounding="floor")
WEIGHTED = GradingRules(
    weights={"전략체계": 1.5, "제도운영": 1.0, "국민신문고": 0.7, "고충민원": 1.0, "만족도": 2.0}
)
ITEMS = HALF_UP.items
GRADES = HALF_UP.grades

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def totals_table(groups: dict[str, list[float]]) -> pd.DataFrame:
    """A table with explicit totals, agency ids "<group>-<i>"."""
    rows = [
        {"agency_id": f"{group}-{i}", "group": group, "total": total}
        for group, totals in groups.items()
        for i, total in enumerate(totals)
    ]
    return pd.DataFrame(rows, columns=["agency_id", "group", "total"])


def items_table(groups: dict[str, list[list[float]]]) -> pd.DataFrame:
    """A table with one column per item, agency ids "<group>-<i>"."""
    rows = [
        {"agency_id": f"{group}-{i}", "group": group, **dict(zip(ITEMS, scores, strict=True))}
        for group, agencies in groups.items()
        for i, scores in enumerate(agencies)
    ]
    return pd.DataFrame(rows, columns=["agency_id", "group", *ITEMS])


def position(grade: str | None) -> int:
    assert grade is not None
    return GRADES.index(grade)


def reference_cutoffs(n: int, rules: GradingRules) -> list[int]:
    """Cut-offs computed independently with exact fractions."""
    shares = [Fraction(str(c)) for c in rules.cumulative]
    if rules.rounding == "floor":
        return [math.floor(n * s) for s in shares]
    return [math.floor(n * s + Fraction(1, 2)) for s in shares]


def grade_for_rank(rank: int, n: int, rules: GradingRules) -> str:
    return rules.grades[sum(rank > c for c in reference_cutoffs(n, rules))]


# ---------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("x", "ndigits", "expected"),
    [
        (2.5, 0, 3.0),
        (3.5, 0, 4.0),
        (4.7, 0, 5.0),
        (42.3, 0, 42.0),
        (0.1 * 75, 0, 8.0),  # 7.500000000000001 in binary
        (0.3 * 75, 0, 23.0),  # 22.5
        (1.7, 0, 2.0),
        (2.675, 2, 2.68),  # Python's round gives 2.67
        (84.48499999999999, 2, 84.49),  # float noise of a sum equal to 84.485
        (0.125, 2, 0.13),
        (-2.5, 0, -3.0),
        (Decimal("52.5"), 0, 53.0),
        (7, 0, 7.0),
    ],
)
def test_round_half_up(x: float, ndigits: int, expected: float) -> None:
    assert round_half_up(x, ndigits) == expected


@PROPERTY
@given(st.lists(st.integers(0, 100_000), min_size=1, max_size=5))
def test_totals_rounded_as_exact_decimal_sums(thousandths: list[int]) -> None:
    """Float sums of 3-decimal scores round like the exact decimal sum (noise ignored)."""
    table = pd.DataFrame({"agency_id": [1], "group": ["시"]})
    for item, k in zip(ITEMS, thousandths + [0] * (len(ITEMS) - len(thousandths)), strict=True):
        table[item] = [k / 1000]
    exact = sum(Decimal(k) / 1000 for k in thousandths)
    expected = round_half_up(exact, 2)
    assert grade_table(table, HALF_UP)["total"].iloc[0] == expected
    assert round_half_up(float(sum(k / 1000 for k in thousandths)), 2) == expected


# ---------------------------------------------------------------- band counts


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (17, (2, 3, 7, 3, 2)),
        (44, (4, 9, 18, 9, 4)),
        (46, (5, 9, 18, 9, 5)),
        (47, (5, 9, 19, 9, 5)),
        (48, (5, 9, 20, 9, 5)),
        (69, (7, 14, 27, 14, 7)),
        (75, (8, 15, 30, 15, 7)),
        (82, (8, 17, 32, 17, 8)),
    ],
)
def test_band_counts_half_up_framework_table(n: int, expected: tuple[int, ...]) -> None:
    assert tuple(band_counts(n, HALF_UP).values()) == expected


@pytest.mark.parametrize(("n", "top"), [(75, 7), (82, 8), (69, 6), (44, 4), (17, 1)])
def test_band_counts_floor_top(n: int, top: int) -> None:
    assert band_counts(n, FLOOR)["가"] == top


@pytest.mark.parametrize(("n", "bottom"), [(44, 5), (17, 2), (75, 8), (82, 9), (69, 7)])
def test_band_counts_floor_bottom(n: int, bottom: int) -> None:
    assert band_counts(n, FLOOR)["마"] == bottom


@PROPERTY
@given(n=st.integers(0, 600), rules=st.sampled_from([HALF_UP, FLOOR]))
def test_band_counts_sum_and_follow_rule(n: int, rules: GradingRules) -> None:
    counts = band_counts(n, rules)
    assert list(counts) == list(rules.grades)
    assert sum(counts.values()) == n
    assert all(c >= 0 for c in counts.values())
    assert list(np.cumsum(list(counts.values()))[:-1]) == reference_cutoffs(n, rules)


def test_band_counts_rejects_negative_size() -> None:
    with pytest.raises(ScoringError):
        band_counts(-1, HALF_UP)


# ---------------------------------------------------------------- official totals

BASIC = {"시": 75, "군": 82, "구": 69}


def official_sizes(central: int) -> dict[str, int]:
    return {"중앙": central, "광역": 17, "교육청": 17, **BASIC}


def per_grade(sizes: dict[str, int], rules: GradingRules) -> dict[str, dict[str, int]]:
    return {group: band_counts(n, rules) for group, n in sizes.items()}


def grade_total(
    table: dict[str, dict[str, int]], grade: str, groups: list[str] | None = None
) -> int:
    return sum(
        counts[grade] for group, counts in table.items() if groups is None or group in groups
    )


def test_2024_totals_half_up_with_46_graded_central() -> None:
    table = per_grade(official_sizes(46), HALF_UP)
    assert {g: grade_total(table, g) for g in GRADES} == {
        "가": 32,
        "나": 61,
        "다": 121,
        "라": 61,
        "마": 31,
    }
    assert table["중앙"]["가"] == 5 and table["군"]["마"] == 8 and table["구"]["마"] == 7
    assert grade_total(table, "가", list(BASIC)) == 23


def test_2024_with_47_central_would_not_match() -> None:
    # Board posts say 47 central agencies; 47 gives 다 122 (307), the press says 121 (306).
    table = per_grade(official_sizes(47), HALF_UP)
    assert grade_total(table, "다") == 122


@pytest.mark.parametrize("year", [2018, 2021])
def test_2018_2021_top_grade_half_up(year: int) -> None:
    table = per_grade(official_sizes(44), HALF_UP)
    assert grade_total(table, "가") == 31
    assert [table[g]["가"] for g in ("중앙", "교육청", "광역", "시", "군", "구")] == [
        4,
        2,
        2,
        8,
        8,
        7,
    ]
    if year == 2018:
        assert [table[g]["마"] for g in ("중앙", "교육청", "광역")] == [4, 2, 2]


@pytest.mark.parametrize(("year", "central"), [(2022, 46), (2023, 46), (2025, 47), (2025, 48)])
def test_2022_to_2025_top_and_bottom_half_up(year: int, central: int) -> None:
    table = per_grade(official_sizes(central), HALF_UP)
    assert grade_total(table, "가") == 32
    assert grade_total(table, "마") == 31
    assert table["중앙"]["가"] == 5
    if year == 2022:
        assert table["군"]["가"] == 8
        # jungdoilbo's 기초 다/라/마 89/46/22 match; its 가/나 (26/36) look like typos.
        assert [grade_total(table, g, list(BASIC)) for g in ("다", "라", "마")] == [89, 46, 22]
    # 2023: sejungilbo names 10 central 나, half-up gives 9 - a source anomaly, not tested.


@pytest.mark.parametrize("year", [2019, 2020])
def test_2019_2020_floor_parts_that_fit(year: int) -> None:
    table = per_grade(official_sizes(44), FLOOR)
    assert grade_total(table, "마") == 33
    assert grade_total(table, "가", list(BASIC)) == 21
    assert table["중앙"]["가"] == 4
    assert table["중앙"]["마"] == 5  # the 2020 central 마 list names five agencies
    # Unresolved (framework.md section 3): 광역 and 교육청 were reported with 가 = 2 each,
    # but floor(1.7) = 1, so floor gives 가 27 against the reported 29.  The gap is exactly
    # those two groups; no single rule reproduces both figures.
    assert table["광역"]["가"] == table["교육청"]["가"] == 1
    assert grade_total(table, "가") == 29 - 2


def test_2019_2020_half_up_does_not_fit() -> None:
    table = per_grade(official_sizes(44), HALF_UP)
    assert grade_total(table, "마") != 33
    assert grade_total(table, "가", list(BASIC)) != 21


def test_2024_totals_reproduced_by_grade_table() -> None:
    rng = np.random.default_rng(2024)
    groups = {g: list(rng.permutation(n) + 0.5) for g, n in official_sizes(46).items()}
    counts = grade_table(totals_table(groups), HALF_UP)["grade"].value_counts()
    assert counts.to_dict() == {"가": 32, "나": 61, "다": 121, "라": 61, "마": 31}


# ---------------------------------------------------------------- hand-computed groups


@pytest.mark.parametrize(
    ("totals", "rules", "expected"),
    [
        pytest.param(
            [100, 99, 98, 97, 96, 95, 94, 93, 92, 91],
            HALF_UP,
            "가 나 나 다 다 다 다 라 라 마",
            id="ten-distinct",
        ),
        pytest.param(
            [95, 95, 90, 89, 88, 87, 86, 85, 84, 83],
            HALF_UP,
            "가 가 나 다 다 다 다 라 라 마",
            id="tie-across-가-나",
        ),
        pytest.param(
            [100, 99, 98, 98, 96, 95, 94, 93, 92, 91],
            HALF_UP,
            "가 나 나 나 다 다 다 라 라 마",
            id="tie-across-나-다",
        ),
        pytest.param(
            [100, 99, 98, 97, 96, 95, 94, 93, 91, 91],
            HALF_UP,
            "가 나 나 다 다 다 다 라 라 라",
            id="tie-at-bottom-no-마",
        ),
        pytest.param([80.0] * 10, HALF_UP, " ".join(["가"] * 10), id="all-equal"),
        pytest.param(
            [91, 92, 93, 94, 95, 96, 97, 98, 99, 100],
            HALF_UP,
            "마 라 라 다 다 다 다 나 나 가",
            id="input-order-kept",
        ),
        pytest.param([70.0, 60.0, 50.0, 40.0], HALF_UP, "나 다 다 라", id="four-no-가"),
        pytest.param([70.0], HALF_UP, "다", id="one-half-up"),
        pytest.param([70.0], FLOOR, "마", id="one-floor"),
        pytest.param(
            list(range(100, 83, -1)),
            FLOOR,
            "가 나 나 나 나 다 다 다 다 다 다 라 라 라 라 마 마",
            id="seventeen-floor",
        ),
        pytest.param(
            [84.485, 84.49, 84.48],
            HALF_UP,
            "나 나 라",
            id="rounded-before-ranking",
        ),
    ],
)
def test_hand_computed_groups(totals: list[float], rules: GradingRules, expected: str) -> None:
    graded = grade_table(totals_table({"시": totals}), rules)
    assert " ".join(graded["grade"]) == expected


def test_hand_computed_ranks_and_percentiles() -> None:
    graded = grade_table(totals_table({"구": [95, 95, 90, 80]}), HALF_UP)
    assert graded["rank"].tolist() == [1, 1, 3, 4]
    assert graded["group_size"].tolist() == [4] * 4
    assert graded["percentile"].tolist() == [0.25, 0.25, 0.75, 1.0]


def test_groups_are_graded_separately() -> None:
    graded = grade_table(totals_table({"시": [50.0] * 3 + [10.0], "군": [90.0, 80.0]}), HALF_UP)
    assert graded.set_index("agency_id")["grade"].to_dict() == {
        "시-0": "나",
        "시-1": "나",
        "시-2": "나",
        "시-3": "라",
        "군-0": "나",
        "군-1": "라",
    }


def test_item_sum_weights_and_explicit_total() -> None:
    table = items_table({"시": [[10, 20, 20, 20, 10], [20, 20, 20, 20, 0]]})
    table["total"] = [np.nan, 99.0]
    graded = grade_table(table, HALF_UP)
    assert graded["total"].tolist() == [80.0, 99.0]
    weighted = GradingRules(
        weights={"전략체계": 2, "제도운영": 1, "국민신문고": 1, "고충민원": 1, "만족도": 0.5}
    )
    graded = grade_table(table.drop(columns="total"), weighted)
    assert graded["total"].tolist() == [85.0, 100.0]


def test_missing_item_excluded_with_reason() -> None:
    table = items_table({"시": [[10, 10, 10, 10, 10], [10, 10, 10, 10, np.nan], [5] * 5]})
    graded = grade_table(table, HALF_UP).set_index("agency_id")
    assert graded.loc["시-1", "grade"] is None
    assert graded.loc["시-1", "reason"] == "missing item score: 만족도"
    assert pd.isna(graded.loc["시-1", "rank"])
    assert graded.loc["시-0", "reason"] is None
    assert graded["group_size"].tolist() == [2, 2, 2]
    assert graded.loc["시-2", "rank"] == 2


def test_float_noise_does_not_break_ties() -> None:
    table = items_table({"시": [[0.1, 0.2, 0, 0, 0], [0.3, 0, 0, 0, 0]]})
    graded = grade_table(table, HALF_UP)
    assert graded["rank"].tolist() == [1, 1]


# ---------------------------------------------------------------- bad input


def test_empty_table() -> None:
    empty = totals_table({})
    graded = grade_table(empty, HALF_UP)
    assert graded.empty
    assert {"total", "rank", "group_size", "percentile", "grade", "reason"} <= set(graded.columns)
    assert points_to_next(empty, HALF_UP).empty
    with pytest.raises(ScoringError, match="unknown group"):
        cutoffs(empty, "시", HALF_UP)


def test_group_of_one() -> None:
    table = totals_table({"중앙": [55.0]})
    graded = grade_table(table, HALF_UP)
    assert graded["grade"].tolist() == ["다"] and graded["rank"].tolist() == [1]
    assert math.isnan(points_to_next(table, HALF_UP)["points_needed"].iloc[0])
    assert what_if(table, "중앙-0", {"만족도": 10}, HALF_UP).new_grade == "다"


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"agency_id": [1], "total": [1.0]}), "group"),
        (pd.DataFrame({"agency_id": [1, 1], "group": "시", "total": [1.0, 2.0]}), "duplicate"),
        (pd.DataFrame({"agency_id": [1], "group": "시", "만족도": [1.0]}), "missing item columns"),
        (pd.DataFrame({"agency_id": [1], "group": "시", "total": [-1.0]}), "negative"),
        (pd.DataFrame({"agency_id": [1], "group": "시", "total": ["x"]}), "numeric"),
        (pd.DataFrame({"agency_id": [1], "group": "시", "total": [np.inf]}), "infinite"),
        (pd.DataFrame({"agency_id": [1], "group": [None], "total": [1.0]}), "group"),
    ],
)
def test_grade_table_rejects_bad_input(frame: pd.DataFrame, match: str) -> None:
    with pytest.raises(ScoringError, match=match):
        grade_table(frame, HALF_UP)


def test_negative_item_rejected() -> None:
    table = items_table({"시": [[1, 1, 1, 1, -1]]})
    with pytest.raises(ScoringError, match="negative"):
        grade_table(table, HALF_UP)


def test_what_if_bad_input() -> None:
    table = items_table({"시": [[10, 10, 10, 10, 3], [10, 10, 10, 10, np.nan]]})
    with pytest.raises(ScoringError, match="unknown item"):
        what_if(table, "시-0", {"친절도": 1}, HALF_UP)
    with pytest.raises(ScoringError, match="만족도.*negative"):
        what_if(table, "시-0", {"만족도": -3.5}, HALF_UP)
    with pytest.raises(ScoringError, match="unknown agency"):
        what_if(table, "군-9", {"만족도": 1}, HALF_UP)
    with pytest.raises(ScoringError, match="not graded"):
        what_if(table, "시-1", {"만족도": 1}, HALF_UP)
    with pytest.raises(ScoringError, match="finite"):
        what_if(table, "시-0", {"만족도": float("nan")}, HALF_UP)
    assert what_if(table, "시-0", {"만족도": -3}, HALF_UP).new_total == 40.0


def test_what_if_on_explicit_totals() -> None:
    table = totals_table({"시": [90.0, 80.0, 70.0]})
    result = what_if(table, "시-2", {"만족도": 20}, HALF_UP)
    assert (result.old_total, result.new_total) == (70.0, 90.0)
    assert (result.old_rank, result.new_rank, result.new_grade) == (3, 1, "나")


# ---------------------------------------------------------------- rules config


def test_rules_from_toml() -> None:
    # TOML 1.0 bare keys are ASCII only, so Korean item names must be quoted.
    config = tomllib.loads(
        """
        [years.2019]
        rounding = "floor"
        decimals = 2
        [years.2019.weights]
        "전략체계" = 1.0
        "제도운영" = 1.0
        "국민신문고" = 1.0
        "고충민원" = 1.0
        "만족도" = 2.0
        """
    )
    rules = rules_from_mapping(config["years"]["2019"])
    assert rules.rounding == "floor" and rules.cumulative == (0.1, 0.3, 0.7, 0.9)
    assert rules.weights is not None and rules.weights["만족도"] == 2.0
    assert rules_from_mapping({}) == HALF_UP
    assert hash(rules) == hash(rules_from_mapping(config["years"]["2019"]))


@pytest.mark.parametrize(
    ("mapping", "match"),
    [
        ({"roundng": "floor"}, "unknown grading-rule keys"),
        ({"rounding": "ceil"}, "rounding"),
        ({"cumulative": [0.1, 0.3, 0.7]}, "cut-offs"),
        ({"cumulative": [0.3, 0.1, 0.7, 0.9]}, "increasing"),
        ({"weights": {"만족도": 2.0}}, "missing"),
        ({"weights": {**dict.fromkeys(ITEMS, 1.0), "친절도": 1.0}}, "unknown"),
        ({"grades": "가나다라마"}, "list"),
        ({"decimals": 2.5}, "decimals"),
    ],
)
def test_rules_from_mapping_rejects(mapping: dict[str, object], match: str) -> None:
    with pytest.raises(ScoringError, match=match):
        rules_from_mapping(mapping)


# ---------------------------------------------------------------- consistency


def test_consistency_reports_only_differences() -> None:
    graded = grade_table(totals_table({"시": [100, 99, 98, 97, 96, 95, 94, 93, 92, 91]}), HALF_UP)
    official = pd.DataFrame(
        {
            "agency_id": ["시-0", "시-1", "시-2", "시-9", "군-0"],
            "grade": ["가", "가", None, "마", "다"],
        }
    )
    diff = consistency(graded, official)
    assert diff.to_dict("records") == [
        {"agency_id": "시-1", "computed": "나", "official": "가"},
        {"agency_id": "군-0", "computed": None, "official": "다"},
    ]


# ---------------------------------------------------------------- properties

cents = st.integers(0, 2000).map(lambda k: k / 100)  # two-decimal item scores


@st.composite
def total_groups(draw: st.DrawFn, max_size: int = 600) -> dict[str, list[float]]:
    """1-3 groups of 1..max_size totals; a drawn spread controls how many ties there are."""
    groups = {}
    for g in range(draw(st.integers(1, 3))):
        size = draw(st.integers(1, max_size))
        spread = draw(st.sampled_from([1, 3, 20, 200, 20_000]))
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        groups[f"g{g}"] = (rng.integers(0, spread, size) / 2).tolist()
    return groups


@st.composite
def item_groups(draw: st.DrawFn, max_size: int = 40) -> dict[str, list[list[float]]]:
    n_groups = draw(st.integers(1, 2))
    agency = st.lists(cents, min_size=len(ITEMS), max_size=len(ITEMS))
    return {f"g{g}": draw(st.lists(agency, min_size=1, max_size=max_size)) for g in range(n_groups)}


@PROPERTY
@given(groups=total_groups(), rules=st.sampled_from([HALF_UP, FLOOR]))
def test_grades_follow_rank_rule_and_ties_share_better(
    groups: dict[str, list[float]], rules: GradingRules
) -> None:
    graded = grade_table(totals_table(groups), rules)
    for name, totals in groups.items():
        sub = graded[graded["group"] == name]
        arr = np.array(totals)
        expected_rank = [1 + int(np.sum(arr > t)) for t in arr]
        assert sub["rank"].tolist() == expected_rank
        assert sub["grade"].tolist() == [grade_for_rank(r, len(arr), rules) for r in expected_rank]
        # Equal totals, equal grades; a higher total never gets a worse grade.
        by_total: dict[float, set[int]] = {}
        for total, grade in zip(sub["total"], sub["grade"], strict=True):
            by_total.setdefault(total, set()).add(position(grade))
        assert all(len(v) == 1 for v in by_total.values())
        ordered = [min(by_total[t]) for t in sorted(by_total, reverse=True)]
        assert ordered == sorted(ordered)
        if len(set(totals)) == len(totals):
            counts = sub["grade"].value_counts().reindex(list(rules.grades), fill_value=0)
            assert counts.to_dict() == band_counts(len(totals), rules)


@PROPERTY
@given(groups=total_groups())
def test_grade_table_is_idempotent(groups: dict[str, list[float]]) -> None:
    once = grade_table(totals_table(groups), HALF_UP)
    pd.testing.assert_frame_equal(grade_table(once, HALF_UP), once)


@PROPERTY
@given(groups=total_groups(max_size=200), data=st.data())
def test_raising_one_agency_helps_only_it(
    groups: dict[str, list[float]], data: st.DataObject
) -> None:
    table = totals_table(groups)
    i = data.draw(st.integers(0, len(table) - 1))
    delta = data.draw(st.integers(1, 40).map(lambda k: k / 2))
    before = grade_table(table, HALF_UP)
    raised = table.copy()
    raised.loc[i, "total"] += delta
    after = grade_table(raised, HALF_UP)
    old, new = before["grade"].map(position), after["grade"].map(position)
    assert new[i] <= old[i]
    others = before.index != i
    assert (new[others] >= old[others]).all()


@PROPERTY
@given(groups=item_groups(), rules=st.sampled_from([HALF_UP, FLOOR, WEIGHTED]), data=st.data())
def test_what_if_matches_full_regrade(
    groups: dict[str, list[list[float]]], rules: GradingRules, data: st.DataObject
) -> None:
    table = items_table(groups)
    i = data.draw(st.integers(0, len(table) - 1))
    agency = table.loc[i, "agency_id"]
    item = data.draw(st.sampled_from(ITEMS))
    delta = data.draw(st.integers(-int(table.loc[i, item] * 100), 3000).map(lambda k: k / 100))

    zero = what_if(table, agency, {item: 0.0}, rules)
    row = grade_table(table, rules).loc[i]
    assert (zero.new_total, zero.new_rank, zero.new_grade) == (
        row["total"],
        row["rank"],
        row["grade"],
    )
    assert (zero.old_total, zero.old_rank, zero.old_grade) == (
        zero.new_total,
        zero.new_rank,
        zero.new_grade,
    )
    assert what_if(table, agency, {}, rules) == zero

    result = what_if(table, agency, {item: delta}, rules)
    changed = table.copy()
    changed.loc[i, item] += delta
    regraded = grade_table(changed, rules).loc[i]
    assert (result.new_total, result.new_rank, result.new_grade) == (
        regraded["total"],
        regraded["rank"],
        regraded["grade"],
    )
    assert result.group_size == regraded["group_size"]


@PROPERTY
@given(groups=total_groups(), rules=st.sampled_from([HALF_UP, FLOOR]))
def test_cutoffs_consistent_with_grade_table(
    groups: dict[str, list[float]], rules: GradingRules
) -> None:
    table = totals_table(groups)
    graded = grade_table(table, rules)
    for name in groups:
        sub = graded[graded["group"] == name]
        cut = cutoffs(table, name, rules).set_index("grade")
        assert cut["count"].sum() == len(sub)
        for k, grade in enumerate(rules.grades):
            holders = sub[sub["grade"] == grade]
            assert cut.loc[grade, "count"] == len(holders)
            if holders.empty:
                assert math.isnan(cut.loc[grade, "min_total"])
                continue
            floor_total = cut.loc[grade, "min_total"]
            assert floor_total == holders["total"].min()
            reach = sub[sub["total"] >= floor_total]["grade"].map(position)
            below = sub[sub["total"] < floor_total]["grade"].map(position)
            assert (reach <= k).all() and (below > k).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups=item_groups(max_size=30), rules=st.sampled_from([HALF_UP, FLOOR]))
def test_points_to_next_verified_by_what_if(
    groups: dict[str, list[list[float]]], rules: GradingRules
) -> None:
    table = items_table(groups)
    needs = points_to_next(table, rules)
    graded = grade_table(table, rules)
    for i, row in needs.iterrows():
        if row["grade"] == rules.grades[0]:
            assert math.isnan(row["points_needed"]) and row["next_grade"] is None
        if math.isnan(row["points_needed"]):
            # Nothing better is reachable: even the group's top total would not do it.
            top = graded[graded["group"] == row["group"]]["total"].max()
            best = what_if(table, row["agency_id"], {"만족도": top - row["total"] + 1}, rules)
            assert best.new_grade == row["grade"] or row["grade"] == rules.grades[0]
            continue
        points = float(row["points_needed"])
        assert points > 0
        reached = what_if(table, row["agency_id"], {"만족도": points}, rules)
        assert reached.new_grade == row["next_grade"]
        assert position(reached.new_grade) < position(row["grade"])
        short = what_if(table, row["agency_id"], {"만족도": round(points - 0.01, 2)}, rules)
        assert short.new_grade == row["grade"], (i, points)
        better = [
            cutoffs(table, row["group"], rules).set_index("grade").loc[g, "min_total"]
            for g in rules.grades[: position(row["grade"])]
        ]
        assert points == pytest.approx(np.nanmin(better) - row["total"])


@pytest.mark.parametrize(
    ("totals", "next_grades", "points"),
    [
        pytest.param(
            [100, 99, 98, 97, 96, 95, 94, 93, 92, 91],
            [None, "가", "가", "나", "나", "나", "나", "다", "다", "라"],
            [math.nan, 1, 2, 1, 2, 3, 4, 1, 2, 1],
            id="ten-distinct",
        ),
        pytest.param(
            # A tie holds the whole 나 band: rising to 90 jumps from 다 straight to 가.
            [90, 90, 90, 90, 80, 79, 78, 77, 76, 75],
            [None, None, None, None, "가", "가", "가", "다", "다", "라"],
            [math.nan] * 4 + [10, 11, 12, 1, 2, 1],
            id="tie-skips-a-band",
        ),
        pytest.param(
            [70.0, 60.0, 50.5, 40.0],  # n = 4: no 가 band, so 나 is the top reachable
            [None, "나", "나", "다"],
            [math.nan, 10, 19.5, 10.5],
            id="four-no-가",
        ),
    ],
)
def test_points_to_next_hand_computed(
    totals: list[float], next_grades: list[str | None], points: list[float]
) -> None:
    needs = points_to_next(totals_table({"시": totals}), HALF_UP)
    assert needs["next_grade"].tolist() == next_grades
    np.testing.assert_array_equal(needs["points_needed"].to_numpy(), np.array(points, dtype=float))
