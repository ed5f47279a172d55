"""Grading rules of the 민원서비스 종합평가 and the rounding they rely on.

The evaluation grades agencies relatively inside each of six groups (중앙, 광역, 교육청, 시, 군,
구): cumulative bands 가 top 10 %, 나 to 30 %, 다 to 70 %, 라 to 90 %, 마 the rest.  How "10 %
of 17" becomes a count is not published, so the rule is configuration:

* ``rounding="half_up"``: cut-off c_k = round_half_up(n x cumulative_k).  It reproduces the
  official per-grade totals of 2018 and 2021-2024 exactly (e.g. 2024: 가 32, 나 61, 다 121,
  라 61, 마 31 with 46 graded central agencies).
* ``rounding="floor"``: c_k = floor(n x cumulative_k).  It fits 2019-2020 better (마 33 and
  기초 가 21), though not the reported 광역/교육청 가 = 2 (see data/framework.md section 3).

``n x cumulative_k`` is computed in :class:`~decimal.Decimal` from ``str(cumulative_k)``,
because in binary floats ``0.1 * 75 == 7.500000000000001`` and products that should be whole
numbers can land just below them, which would move a cut-off under either rule.

Totals are rounded half-up to ``decimals`` places (2 by default) before ranking, because the
official totals (평점) are published with two decimals: agencies whose published totals are
equal must tie, and float noise in a sum (``0.1 + 0.2``) must not break a tie that does not
exist in decimal arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Literal

import numpy as np

from domain.grades import BAND_CUTOFFS, GA_MA_GRADES
from domain.items import ITEMS

DEFAULT_GRADES: tuple[str, ...] = GA_MA_GRADES
DEFAULT_CUMULATIVE: tuple[float, ...] = BAND_CUTOFFS
DEFAULT_ITEMS: tuple[str, ...] = ITEMS

Rounding = Literal["half_up", "floor"]
TieRule = Literal["better"]

_ROUNDING_MODES: dict[str, str] = {"half_up": ROUND_HALF_UP, "floor": ROUND_FLOOR}
_MAPPING_KEYS = frozenset(
    {
        "grades",
        "cumulative",
        "rounding",
        "tie",
        "items",
        "weights",
        "decimals",
        "max_points",
        "max_total",
    }
)
# Float inputs are read to 12 significant digits: far coarser than binary noise (~1e-16
# relative), far finer than any published score, so 84.48499999999999 is read as 84.485.
_FLOAT_DIGITS = 12
_HALF_TOLERANCE = 1e-11


class ScoringError(ValueError):
    """Raised for input or configuration the scoring engine refuses to guess about."""


@dataclass(frozen=True)
class GradingRules:
    """How one evaluation year turns totals into grades.

    ``weights`` are per-item multipliers (the points table is not public, so they are
    configuration); ``None`` means the total is the plain sum of item scores.  When given,
    they must name every item.  ``tie="better"``: equal totals share the better grade.
    ``max_points`` (item -> most points it can hold) is known only where a year publishes
    it; ``max_total`` caps the total (100 points). A what-if never goes past either.
    """

    grades: tuple[str, ...] = DEFAULT_GRADES
    cumulative: tuple[float, ...] = DEFAULT_CUMULATIVE
    rounding: Rounding = "half_up"
    tie: TieRule = "better"
    items: tuple[str, ...] = DEFAULT_ITEMS
    weights: dict[str, float] | None = field(default=None, hash=False)
    decimals: int = 2
    max_points: dict[str, float] | None = field(default=None, hash=False)
    max_total: float = 100.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "grades", tuple(self.grades))
        object.__setattr__(self, "cumulative", tuple(float(c) for c in self.cumulative))
        object.__setattr__(self, "items", tuple(self.items))
        if self.weights is not None:
            # A private copy, so mutating the caller's dict cannot change frozen rules.
            object.__setattr__(self, "weights", {str(k): float(v) for k, v in self.weights.items()})
        if self.max_points is not None:
            maxima = {str(k): float(v) for k, v in self.max_points.items()}
            object.__setattr__(self, "max_points", maxima)
        _validate(self)

    def weight_vector(self) -> np.ndarray:
        """Multipliers in ``items`` order (all 1.0 when ``weights`` is None)."""
        if self.weights is None:
            return np.ones(len(self.items))
        return np.array([self.weights[item] for item in self.items], dtype=float)


def _validate(rules: GradingRules) -> None:
    _validate_grades(rules)
    _validate_cumulative(rules)
    if rules.rounding not in _ROUNDING_MODES:
        raise ScoringError(f"rounding must be 'half_up' or 'floor', not {rules.rounding!r}")
    if rules.tie != "better":
        raise ScoringError(f"tie must be 'better', not {rules.tie!r}")
    _validate_items(rules)
    if isinstance(rules.decimals, bool) or not isinstance(rules.decimals, int):
        raise ScoringError(f"decimals must be an int, not {rules.decimals!r}")
    if not 0 <= rules.decimals <= 6:
        raise ScoringError(f"decimals must be between 0 and 6, not {rules.decimals}")
    _validate_maxima(rules)


def _validate_maxima(rules: GradingRules) -> None:
    if not (np.isfinite(rules.max_total) and rules.max_total > 0):
        raise ScoringError(f"max_total must be finite and positive, not {rules.max_total}")
    if rules.max_points is None:
        return
    unknown = sorted(set(rules.max_points) - set(rules.items))
    if unknown:
        raise ScoringError(f"max_points names unknown item(s) {unknown}; items: {rules.items}")
    if not all(np.isfinite(m) and m > 0 for m in rules.max_points.values()):
        raise ScoringError(f"max_points must be finite and positive: {rules.max_points}")


def _validate_grades(rules: GradingRules) -> None:
    if len(rules.grades) < 2:
        raise ScoringError("at least two grades are needed")
    if len(set(rules.grades)) != len(rules.grades) or not all(rules.grades):
        raise ScoringError(f"grades must be distinct non-empty names: {rules.grades}")


def _validate_cumulative(rules: GradingRules) -> None:
    cum = rules.cumulative
    if len(cum) != len(rules.grades) - 1:
        raise ScoringError(
            f"{len(rules.grades)} grades need {len(rules.grades) - 1} cumulative cut-offs, "
            f"got {len(cum)}"
        )
    if not all(0.0 < c < 1.0 for c in cum):
        raise ScoringError(f"cumulative cut-offs must lie strictly between 0 and 1: {cum}")
    if any(a >= b for a, b in zip(cum, cum[1:], strict=False)):
        raise ScoringError(f"cumulative cut-offs must be strictly increasing: {cum}")


def _validate_items(rules: GradingRules) -> None:
    if not rules.items or len(set(rules.items)) != len(rules.items):
        raise ScoringError(f"items must be distinct and non-empty: {rules.items}")
    if rules.weights is None:
        return
    unknown = sorted(set(rules.weights) - set(rules.items))
    missing = [item for item in rules.items if item not in rules.weights]
    if unknown or missing:
        raise ScoringError(
            f"weights must name exactly the items {rules.items}; "
            f"unknown: {unknown}, missing: {missing}"
        )
    if not all(np.isfinite(w) and w > 0 for w in rules.weights.values()):
        raise ScoringError(f"weights must be finite and positive: {rules.weights}")


def rules_from_mapping(d: Mapping[str, Any]) -> GradingRules:
    """Build rules from a config mapping (e.g. one year's table of a TOML file).

    Recognised keys: grades, cumulative, rounding, tie, items, weights, decimals,
    max_points, max_total; missing
    keys take the defaults, unknown keys raise :class:`ScoringError` (a typo in a config
    must not silently fall back to a default).
    """
    unknown = sorted(set(d) - _MAPPING_KEYS)
    if unknown:
        raise ScoringError(f"unknown grading-rule keys {unknown}; known: {sorted(_MAPPING_KEYS)}")
    kwargs: dict[str, Any] = {}
    for key in ("grades", "cumulative", "items"):
        if key in d:
            kwargs[key] = _as_tuple(key, d[key])
    for key in ("rounding", "tie", "decimals", "max_total"):
        if key in d:
            kwargs[key] = d[key]
    if d.get("weights") is not None:
        if not isinstance(d["weights"], Mapping):
            raise ScoringError(
                f"weights must be a table of item = multiplier, not {d['weights']!r}"
            )
        kwargs["weights"] = dict(d["weights"])
    if d.get("max_points") is not None:
        if not isinstance(d["max_points"], Mapping):
            raise ScoringError(
                f"max_points must be a table of item = points, not {d['max_points']!r}"
            )
        kwargs["max_points"] = dict(d["max_points"])
    try:
        return GradingRules(**kwargs)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ScoringError):
            raise
        raise ScoringError(f"invalid grading rules {dict(d)!r}: {exc}") from exc


def _as_tuple(key: str, value: object) -> tuple[Any, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ScoringError(f"{key} must be a list, not {value!r}")
    return tuple(value)


def _to_decimal(x: float | int | Decimal) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    if not np.isfinite(x):
        raise ScoringError(f"cannot round {x!r}")
    return Decimal(format(float(x), f".{_FLOAT_DIGITS}g"))


def round_half_up(x: float | int | Decimal, ndigits: int = 0) -> float:
    """Round half away from zero (2.5 -> 3, 0.125 -> 0.13, -2.5 -> -3), as printed.

    Python's ``round`` rounds half to even and sees 2.675 as 2.67499999...; this reads a
    float to 12 significant digits first, so ``round_half_up(0.1 * 75) == 8`` and
    ``round_half_up(2.675, 2) == 2.68``.  Decimal inputs are used exactly.
    """
    quantum = Decimal(1).scaleb(-ndigits)
    return float(_to_decimal(x).quantize(quantum, rounding=ROUND_HALF_UP))


def round_count(x: Decimal, rounding: Rounding) -> int:
    """Round an exact product ``n x share`` to a whole count with the rule's rounding."""
    return int(x.quantize(Decimal(1), rounding=_ROUNDING_MODES[rounding]))


def round_half_up_array(values: np.ndarray, ndigits: int) -> np.ndarray:
    """Vectorised :func:`round_half_up` for float arrays (NaN stays NaN).

    A value within a relative 1e-11 below a half-way point is taken as the half-way point,
    which is what reading it to 12 significant digits does in the scalar version.
    """
    scale = 10.0**ndigits
    scaled = np.abs(values) * scale
    tolerance = _HALF_TOLERANCE * np.maximum(scaled, 1.0)
    rounded = np.floor(scaled + 0.5 + tolerance)
    return np.copysign(rounded, values) / scale
