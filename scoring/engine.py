"""Pure, vectorised grading engine for the 민원서비스 종합평가 (no I/O, deterministic).

Grading, as the official results imply (sources in data/framework.md):

* Agencies are ranked by total within their group only (중앙, 광역, 교육청, 시, 군, 구).
  Totals are first rounded half-up to ``rules.decimals`` places, as they are published.
* Cumulative cut-offs c_k = round(n x cumulative_k) for the group's size n, with the rule's
  rounding: half-up reproduces the official per-grade totals of 2018 and 2021-2024, floor fits
  2019-2020 (see :mod:`scoring.rules`).  Band sizes are 가 c1, 나 c2-c1, ..., 마 n-c4.
* An agency at rank r (1 = best) gets the first grade whose cut-off reaches r
  (c_{k-1} < r <= c_k).  Ties: equal totals share the best rank (``method="min"``), so every
  agency of a tie gets the grade of its best-placed member and a tie straddling a cut-off is
  promoted.  No published source states this; it is the reading that never gives two
  agencies with the same published total different grades.
* An agency whose total cannot be formed (a missing item score and no explicit ``total``)
  is excluded: it is not ranked, does not count in ``group_size`` (as the 2021 pilots were
  evaluated but not graded) and gets grade ``None`` with a ``reason``.

Edge cases that follow from the rule rather than from a source: with half-up a group of 1-4
has no 가 (a single agency gets 다); with floor a single agency gets 마.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scoring.rules import (
    GradingRules,
    Rounding,
    ScoringError,
    round_count,
    round_half_up_array,
)


@dataclass(frozen=True)
class WhatIf:
    """Result of :func:`what_if`: one agency before and after a change, others fixed."""

    agency_id: Hashable
    old_total: float
    new_total: float
    old_rank: int
    new_rank: int
    old_grade: str
    new_grade: str
    group_size: int


@dataclass(frozen=True)
class Limit:
    """A what-if change cut to what the item can hold: ``asked`` points became ``applied``.
    ``reason``: "floor" (an item cannot fall below 0), "item_max" (the item's maximum, where
    known) or "total_max" (the total cannot pass ``rules.max_total``); ``bound`` is the item
    score (floor, item_max) or the total (total_max) that was reached."""

    item: str
    asked: float
    applied: float
    reason: Literal["floor", "item_max", "total_max"]
    bound: float


@dataclass(frozen=True)
class Limited:
    """Result of :func:`limit_changes`: the changes that fit, and what was cut."""

    changes: dict[str, float]
    limits: tuple[Limit, ...]


def plain(value: object) -> object:
    """A numpy scalar as the Python value it holds, so messages never show ``np.int64(7)``."""
    return value.item() if isinstance(value, np.generic) else value


# ---------------------------------------------------------------- band counts


def cumulative_cutoffs(n: int, rules: GradingRules) -> tuple[int, ...]:
    """Cumulative cut-off ranks c_1..c_K for a group of ``n`` graded agencies."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
        raise ScoringError(f"group size must be a non-negative integer, not {n!r}")
    return _cutoffs_cached(int(n), rules.cumulative, rules.rounding)


@lru_cache(maxsize=4096)
def _cutoffs_cached(n: int, cumulative: tuple[float, ...], rounding: Rounding) -> tuple[int, ...]:
    # str(share) keeps 0.1 as exactly one tenth; float 0.1 * 75 is 7.500000000000001.
    return tuple(round_count(n * Decimal(str(share)), rounding) for share in cumulative)


def band_counts(n: int, rules: GradingRules) -> dict[str, int]:
    """Number of agencies per grade in a group of ``n`` (ties not considered)."""
    bounds = (0, *cumulative_cutoffs(n, rules), n)
    return {grade: bounds[k + 1] - bounds[k] for k, grade in enumerate(rules.grades)}


# ---------------------------------------------------------------- totals


def _numeric(frame: pd.DataFrame, column: str) -> np.ndarray:
    try:
        values = pd.to_numeric(frame[column], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"column {column!r} must be numeric: {exc}") from exc
    if np.isinf(values).any():
        raise ScoringError(f"column {column!r} contains infinite values")
    return values


def _item_matrix(scores: pd.DataFrame, rules: GradingRules) -> np.ndarray:
    """Item scores as an (n, items) float array; absent columns are all-NaN."""
    matrix = np.full((len(scores), len(rules.items)), np.nan)
    for j, item in enumerate(rules.items):
        if item in scores.columns:
            matrix[:, j] = _numeric(scores, item)
    return matrix


def _reject_negative(scores: pd.DataFrame, negative: npt.ArrayLike, what: str) -> None:
    bad = np.flatnonzero(negative)
    if bad.size:
        ids = [plain(i) for i in scores["agency_id"].iloc[bad[:5]]]
        raise ScoringError(f"{what} must not be negative; offending agency_id(s): {ids}")


def _raw_totals(scores: pd.DataFrame, rules: GradingRules) -> tuple[np.ndarray, np.ndarray]:
    """Unrounded totals and the item matrix; an explicit non-null ``total`` wins."""
    has_total = "total" in scores.columns
    missing = [item for item in rules.items if item not in scores.columns]
    if missing and not has_total:
        raise ScoringError(f"missing item columns {missing} and no 'total' column")
    items = _item_matrix(scores, rules)
    _reject_negative(scores, (items < 0).any(axis=1), "item scores")  # NaN < 0 is False
    totals = _weighted_sum(items, rules.weight_vector())
    if has_total:
        explicit = _numeric(scores, "total")
        _reject_negative(scores, explicit < 0, "totals")
        totals = np.where(np.isnan(explicit), totals, explicit)
    return totals, items


def _weighted_sum(items: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row sums in item order (NaN in any item gives NaN).

    Summed column by column rather than with ``@``: BLAS may order the additions
    differently for different row counts, and a one-row what-if must add up exactly like
    the full table.
    """
    totals = np.zeros(len(items))
    for j, weight in enumerate(weights):
        totals += items[:, j] * weight
    return totals


def _reasons(items: np.ndarray, excluded: np.ndarray, rules: GradingRules) -> np.ndarray:
    """Why each excluded row has no total, as text (None for graded rows)."""
    reasons = np.full(len(items), None, dtype=object)
    if not excluded.any():
        return reasons
    # Encode each row's set of missing items as a bit pattern, so the text is built once
    # per distinct pattern rather than once per row.
    bits = (np.isnan(items[excluded]) * (1 << np.arange(items.shape[1]))).sum(axis=1)
    patterns, inverse = np.unique(bits, return_inverse=True)
    texts = np.array([_reason_text(int(p), rules) for p in patterns], dtype=object)
    reasons[excluded] = texts[inverse]
    return reasons


def _reason_text(pattern: int, rules: GradingRules) -> str:
    names = [item for j, item in enumerate(rules.items) if pattern >> j & 1]
    return "missing item score: " + ", ".join(names)


# ---------------------------------------------------------------- grading


def _group_codes(scores: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    codes, labels = pd.factorize(scores["group"], sort=True)
    if (codes < 0).any():
        raise ScoringError("every row needs a group; found missing group values")
    return codes, pd.Index(labels)


def _cut_table(sizes: np.ndarray, rules: GradingRules) -> np.ndarray:
    """(groups, K) array of cumulative cut-off ranks, one row per group size."""
    rows = [cumulative_cutoffs(int(n), rules) for n in sizes]
    return np.array(rows, dtype=np.int64).reshape(len(sizes), len(rules.cumulative))


def _grade_index(rank: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Grade position (0 = best) for ranks against per-row cut-offs: #{k : c_k < rank}."""
    return (rank[:, None] > cuts).sum(axis=1)


def _validate_frame(scores: pd.DataFrame) -> None:
    if not isinstance(scores, pd.DataFrame):
        raise ScoringError(f"expected a DataFrame, not {type(scores).__name__}")
    missing = [c for c in ("agency_id", "group") if c not in scores.columns]
    if missing:
        raise ScoringError(f"missing required columns {missing}")
    if scores["agency_id"].isna().any():
        raise ScoringError("agency_id must not be missing")
    dup = scores["agency_id"].duplicated()
    if dup.any():
        raise ScoringError(
            f"duplicate agency_id(s): {scores['agency_id'][dup].unique()[:5].tolist()}"
        )


def grade_table(scores: pd.DataFrame, rules: GradingRules) -> pd.DataFrame:
    """Rank and grade every agency within its group.

    Input: ``agency_id``, ``group`` and the rule's item columns, and/or a ``total`` column
    (used instead of the weighted item sum where non-null).  Output: the input plus
    ``total`` (rounded), ``rank`` (1 = best, ties share the best rank), ``group_size``
    (graded agencies in the group), ``percentile`` (rank / group_size), ``grade`` and
    ``reason`` (why an agency was not graded, else None).  Index and row order are kept;
    grading an already graded table gives the same table.
    """
    return _grade(scores, rules)[0]


def _grade(
    scores: pd.DataFrame, rules: GradingRules
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Graded table plus each row's grade position (-1 if ungraded) and group code."""
    _validate_frame(scores)
    raw, items = _raw_totals(scores, rules)
    total = round_half_up_array(raw, rules.decimals)
    graded = ~np.isnan(total)
    codes, _ = _group_codes(scores)
    sizes = np.bincount(codes[graded], minlength=int(codes.max(initial=-1)) + 1)
    rank = pd.Series(total).groupby(codes).rank(method="min", ascending=False).to_numpy()
    group_size = sizes[codes]
    grade_idx = _grade_index(np.nan_to_num(rank, nan=0.0), _cut_table(sizes, rules)[codes])
    grades = np.asarray(rules.grades, dtype=object)[grade_idx]
    grades[~graded] = None

    out = scores.copy()
    out["total"] = total
    out["rank"] = pd.array(rank, dtype="Int64")
    out["group_size"] = group_size.astype(np.int64)
    out["percentile"] = rank / np.maximum(group_size, 1)  # NaN rank -> NaN
    out["grade"] = pd.Series(grades, index=scores.index, dtype=object)
    out["reason"] = pd.Series(_reasons(items, ~graded, rules), index=scores.index, dtype=object)
    grade_idx[~graded] = -1
    return out, grade_idx, codes


# ---------------------------------------------------------------- what-if


def _check_changes(changes: Mapping[str, float], rules: GradingRules) -> dict[str, float]:
    unknown = [name for name in changes if name not in rules.items]
    if unknown:
        raise ScoringError(f"unknown item(s) {unknown}; known items: {list(rules.items)}")
    checked: dict[str, float] = {}
    for name, delta in changes.items():
        if isinstance(delta, bool) or not isinstance(delta, int | float | np.number):
            raise ScoringError(f"change for {name!r} must be a number, not {delta!r}")
        if not np.isfinite(delta):
            raise ScoringError(f"change for {name!r} must be finite, not {delta!r}")
        checked[name] = float(delta)
    return checked


def _locate(table: pd.DataFrame, agency_id: Hashable) -> int:
    positions = np.flatnonzero((table["agency_id"] == agency_id).to_numpy())
    if positions.size == 0:
        raise ScoringError(f"unknown agency_id {plain(agency_id)!r}")
    return int(positions[0])


def _new_raw_total(
    table: pd.DataFrame, pos: int, changes: dict[str, float], rules: GradingRules
) -> float:
    """The agency's unrounded total after applying item deltas (explicit total if any)."""
    row = table.iloc[[pos]]
    raw, items = _raw_totals(row, rules)
    weights = rules.weight_vector()
    delta_total = 0.0
    for name, delta in changes.items():
        j = rules.items.index(name)
        current = items[0, j]
        if not np.isnan(current) and current + delta < 0:
            raise ScoringError(
                f"{name} of {plain(table['agency_id'].iloc[pos])!r} would become {current + delta:g} "
                f"(from {current:g} by {delta:+g}); item scores cannot be negative"
            )
        items[0, j] = current + delta
        delta_total += weights[j] * delta
    uses_items = "total" not in table.columns or pd.isna(row["total"].iloc[0])
    new_raw = float(_weighted_sum(items, weights)[0]) if uses_items else float(raw[0]) + delta_total
    if new_raw < 0:
        raise ScoringError(f"total would become negative ({new_raw:g})")
    return new_raw


def limit_changes(
    table: pd.DataFrame,
    agency_id: Hashable,
    changes: Mapping[str, float],
    rules: GradingRules,
) -> Limited:
    """``changes`` (item -> points delta) cut to what the agency's items can hold: no item
    below 0, none above its maximum (``rules.max_points``, where known), and a total no
    higher than ``rules.max_total``. Applied in the order given; each cut is reported."""
    checked = _check_changes(changes, rules)
    pos = _locate(table, agency_id)
    raw, items = _raw_totals(table.iloc[[pos]], rules)
    weights = rules.weight_vector()
    room = rules.max_total - float(raw[0]) if np.isfinite(raw[0]) else math.inf
    applied: dict[str, float] = {}
    limits: list[Limit] = []
    for name, delta in checked.items():
        j = rules.items.index(name)
        current = float(items[0, j])
        if math.isnan(current):  # the item is not on the sheet: nothing to hold it to
            applied[name] = delta
            continue
        limit = _limit_one(name, current, delta, float(weights[j]), room, rules)
        applied[name] = limit.applied if limit else delta
        room -= applied[name] * float(weights[j])
        limits += [limit] if limit else []
    return Limited(applied, tuple(limits))


def _limit_one(
    name: str, current: float, delta: float, weight: float, room: float, rules: GradingRules
) -> Limit | None:
    if current + delta < 0:
        return Limit(name, delta, -current, "floor", 0.0)
    item_max = (rules.max_points or {}).get(name, math.inf)
    up_to_item = max(item_max - current, 0.0)
    up_to_total = max(room / weight, 0.0)
    if delta <= min(up_to_item, up_to_total):
        return None
    if up_to_item <= up_to_total:
        return Limit(name, delta, up_to_item, "item_max", item_max)
    return Limit(name, delta, up_to_total, "total_max", rules.max_total)


def limit_total(
    table: pd.DataFrame, agency_id: Hashable, delta: float, rules: GradingRules, *, name: str
) -> tuple[float, Limit | None]:
    """A change of the total itself ('10 points higher'), cut to what a total can be: not
    below 0, not past ``rules.max_total``. Returns the points that fit and the cut, if any
    (named ``name`` in it)."""
    if not np.isfinite(delta):
        raise ScoringError(f"change of the total must be finite, not {delta!r}")
    pos = _locate(table, agency_id)
    raw, _ = _raw_totals(table.iloc[[pos]], rules)
    current = float(raw[0])
    if not np.isfinite(current):
        return delta, None
    if current + delta < 0:
        return -current, Limit(name, delta, -current, "floor", 0.0)
    if current + delta > rules.max_total:
        room = rules.max_total - current
        return room, Limit(name, delta, room, "total_max", rules.max_total)
    return delta, None


def what_if(
    table: pd.DataFrame,
    agency_id: Hashable,
    changes: Mapping[str, float],
    rules: GradingRules,
    *,
    total_change: float = 0.0,
) -> WhatIf:
    """Grade one agency after adding ``changes`` (item -> points delta) and ``total_change``
    points to its total itself, everyone else fixed.

    ``table`` is a score table or the output of :func:`grade_table`.  Nothing is clamped:
    an unknown item, a non-finite delta or an item or total falling below 0 raise
    :class:`ScoringError`.  Where the row has an explicit ``total``, the weighted deltas are
    added to it.  A zero change returns the agency's current total, rank and grade.
    """
    checked = _check_changes(changes, rules)
    if not np.isfinite(total_change):
        raise ScoringError(f"change of the total must be finite, not {total_change!r}")
    graded = grade_table(table, rules)
    pos = _locate(graded, agency_id)
    if graded["grade"].iloc[pos] is None:
        raise ScoringError(
            f"{plain(agency_id)!r} is not graded ({graded['reason'].iloc[pos]}); no what-if possible"
        )
    new_raw = _new_raw_total(table, pos, checked, rules) + float(total_change)
    if new_raw < 0:
        raise ScoringError(f"total would become negative ({new_raw:g})")
    new_total = float(round_half_up_array(np.array([new_raw]), rules.decimals)[0])
    n = int(graded["group_size"].iloc[pos])
    others = (graded["group"] == graded["group"].iloc[pos]).to_numpy(copy=True)
    others[pos] = False
    # Ties share the better rank, so only strictly higher totals count against it.
    new_rank = 1 + int(np.sum(graded["total"].to_numpy()[others] > new_total))
    cuts = np.array([cumulative_cutoffs(n, rules)])
    new_idx = int(_grade_index(np.array([new_rank]), cuts)[0])
    return WhatIf(
        agency_id=agency_id,
        old_total=float(graded["total"].iloc[pos]),
        new_total=new_total,
        old_rank=int(graded["rank"].iloc[pos]),
        new_rank=new_rank,
        old_grade=str(graded["grade"].iloc[pos]),
        new_grade=rules.grades[new_idx],
        group_size=n,
    )


# ---------------------------------------------------------------- cut-offs


def cutoffs(table: pd.DataFrame, group: Hashable, rules: GradingRules) -> pd.DataFrame:
    """Per grade of ``group``: ``min_total`` (lowest total holding it, NaN if none) and ``count``."""
    graded = grade_table(table, rules)
    in_group = graded[(graded["group"] == group).to_numpy()]
    if in_group.empty:
        raise ScoringError(f"unknown group {group!r}")
    held = in_group[in_group["grade"].notna()]
    by_grade = held.groupby("grade", sort=False)["total"].agg(["min", "size"])
    frame = pd.DataFrame({"grade": pd.Series(rules.grades, dtype=object)})
    frame["min_total"] = frame["grade"].map(by_grade["min"]).astype(float)
    frame["count"] = frame["grade"].map(by_grade["size"]).fillna(0).astype(np.int64)
    return frame


def points_to_next(table: pd.DataFrame, rules: GradingRules) -> pd.DataFrame:
    """Points each agency's total must rise to reach a better grade, everyone else fixed.

    With the agency at grade position j, a better grade needs rank <= c_j, i.e. a total of at
    least the c_j-th highest total in the group (a tie shares the better rank).  That total
    is the lowest total currently holding any better grade.  ``next_grade`` is the grade it
    reaches: normally the next one up, but further up when a tie holds the whole band in
    between or the band is empty.  Top agencies (and those with no better band to reach,
    e.g. 나 in a group too small for a 가) get ``next_grade`` None and NaN points.
    Points are in total points; with weights, an item must rise by points / weight.
    """
    graded, position, codes = _grade(table, rules)
    total = graded["total"].to_numpy()
    grades = graded["grade"].to_numpy(dtype=object)
    cuts = _cut_table(_sizes_by_code(codes, graded["group_size"].to_numpy()), rules)
    # c_j for an agency at position j: the rank it must reach; 0 = no better band to reach.
    target_rank = np.where(position > 0, cuts[codes, np.maximum(position - 1, 0)], 0)
    reachable = target_rank > 0
    holder = _holder_of_rank(codes, total, np.where(reachable, target_rank, 1))
    needed = np.where(reachable, total[holder] - total, np.nan)
    result = graded[["agency_id", "group", "total", "grade"]].copy()
    # dtype=object keeps None as None (pandas 3 would otherwise infer str and use NaN).
    next_grade = np.where(reachable, grades[holder], None)
    result["next_grade"] = pd.Series(next_grade, index=graded.index, dtype=object)
    result["points_needed"] = round_half_up_array(needed, rules.decimals)
    return result


def points_to_grade(
    table: pd.DataFrame, agency_id: Hashable, grade: str, rules: GradingRules
) -> float | None:
    """Total points ``agency_id`` must gain to hold ``grade`` or better, everyone else fixed.

    ``0.0`` when it already does; None when its group has no band for that grade (e.g. 가 in
    a group of 1-4 under half-up).  To hold grade position t it needs rank <= c_t, i.e. at
    most c_t - 1 others strictly above it: a total of at least the c_t-th highest total of
    the others (a tie shares the better rank).  For the next grade up this is
    :func:`points_to_next`'s figure.  Points are in total points (with weights, an item
    must rise by points / weight).
    """
    if grade not in rules.grades:
        raise ScoringError(f"unknown grade {grade!r}; grades: {list(rules.grades)}")
    graded = grade_table(table, rules)
    pos = _locate(graded, agency_id)
    if graded["grade"].iloc[pos] is None:
        raise ScoringError(f"{agency_id!r} is not graded ({graded['reason'].iloc[pos]})")
    target = rules.grades.index(grade)
    if rules.grades.index(graded["grade"].iloc[pos]) <= target:
        return 0.0
    n = int(graded["group_size"].iloc[pos])
    cut = cumulative_cutoffs(n, rules)[target]  # target < current <= K-1: a cut-off exists
    if cut == 0:
        return None
    others = (graded["group"] == graded["group"].iloc[pos]).to_numpy(copy=True)
    others[pos] = False
    totals = graded["total"].to_numpy()[others]
    totals = np.sort(totals[~np.isnan(totals)])[::-1]
    needed = totals[cut - 1] - float(graded["total"].iloc[pos])
    return float(round_half_up_array(np.array([max(needed, 0.0)]), rules.decimals)[0])


def _holder_of_rank(codes: np.ndarray, total: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Row index of the agency at 1-based sorted ``position`` of each row's group."""
    # Descending totals within each group; ungraded (NaN) rows sort last.
    order = np.lexsort((-np.nan_to_num(total, nan=-np.inf), codes))
    starts = np.searchsorted(codes[order], codes)
    return order[starts + position - 1]


def _sizes_by_code(codes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    by_code = np.zeros(int(codes.max(initial=-1)) + 1, dtype=np.int64)
    by_code[codes] = sizes
    return by_code


# ---------------------------------------------------------------- consistency


def consistency(table: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Agencies whose computed grade differs from the official one.

    ``table`` is the output of :func:`grade_table`; ``official`` has ``agency_id`` and
    ``grade``.  Official rows without a grade are skipped (unknown, not different); an
    officially graded agency that is missing or ungraded in ``table`` is reported with
    ``computed`` None.  Returns ``agency_id``, ``computed``, ``official`` in official order.
    """
    for name, frame in (("table", table), ("official", official)):
        missing = [c for c in ("agency_id", "grade") if c not in frame.columns]
        if missing:
            raise ScoringError(f"{name} is missing columns {missing}")
    if official["agency_id"].duplicated().any():
        raise ScoringError("official grades list an agency_id more than once")
    known = official[official["grade"].notna()]
    computed = (
        known["agency_id"]
        .map(table.set_index("agency_id")["grade"])
        .to_numpy(dtype=object, copy=True)
    )
    computed[pd.isna(computed)] = None
    official_grades = known["grade"].to_numpy(dtype=object)
    differs = computed != official_grades
    # Series with dtype=object keep None as None (pandas 3 would infer str and use NaN).
    return pd.DataFrame(
        {
            "agency_id": known["agency_id"].to_numpy()[differs],
            "computed": pd.Series(computed[differs], dtype=object),
            "official": pd.Series(official_grades[differs], dtype=object),
        }
    )
