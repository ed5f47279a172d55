"""Per-year evaluation rules from ``bundled/years.toml``: scale, bands, rounding, period."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from domain.grades import GradeScale, grade_rank, scale_grades

# Still imported from here by storage/outbox.py (another owner's file, moving to domain).
__all__ = ["grade_rank"]

MIN_YEAR = 2016
MAX_YEAR = 2100


@dataclass(frozen=True)
class YearConfig:
    year: int
    scale: GradeScale
    cumulative: tuple[float, ...]
    rounding: str
    items: tuple[str, ...]
    groups: tuple[str, ...]
    period: str | None = None
    evaluated: int | None = None
    graded: int | None = None
    announced: str | None = None
    source: str | None = None
    group_sizes: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] | None = None

    @cached_property  # asked for every row of an ingest
    def grades(self) -> tuple[str, ...]:
        return scale_grades(self.scale)

    def scoring_rules(self) -> dict[str, Any]:
        """The plain mapping the scoring engine's ``rules_from_mapping`` reads."""
        return {
            "grades": list(self.grades),
            "cumulative": list(self.cumulative),
            "rounding": self.rounding,
            "items": list(self.items),
            "weights": self.weights,
        }


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("storage.bundled").joinpath("years.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache  # read for every row of an ingest; the bundled file does not change while running
def year_config(year: int) -> YearConfig:
    """The rules of ``year``; a year the file does not know gets the current default rules."""
    raw = _raw()
    merged = {**raw["default"], **raw.get("years", {}).get(str(year), {})}
    return YearConfig(
        year=year,
        scale=GradeScale(merged["scale"]),
        cumulative=tuple(merged["cumulative"]),
        rounding=merged["rounding"],
        items=tuple(merged["items"]),
        groups=tuple(merged["groups"]),
        period=merged.get("period"),
        evaluated=merged.get("evaluated"),
        graded=merged.get("graded"),
        announced=merged.get("announced"),
        source=merged.get("source"),
        group_sizes=dict(merged.get("group_sizes", {})),
        weights=merged.get("weights"),
    )
