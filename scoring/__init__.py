"""Pure scoring engine: grade agencies within their group, what-ifs, cut-offs, checks."""

from scoring.engine import (
    Limit,
    Limited,
    WhatIf,
    band_counts,
    consistency,
    cumulative_cutoffs,
    cutoffs,
    grade_table,
    limit_changes,
    limit_total,
    points_to_grade,
    points_to_next,
    what_if,
)
from scoring.rules import GradingRules, ScoringError, round_half_up, rules_from_mapping

__all__ = [
    "GradingRules",
    "ScoringError",
    "Limit",
    "Limited",
    "WhatIf",
    "band_counts",
    "consistency",
    "cumulative_cutoffs",
    "cutoffs",
    "grade_table",
    "limit_changes",
    "limit_total",
    "points_to_grade",
    "points_to_next",
    "round_half_up",
    "rules_from_mapping",
    "what_if",
]
