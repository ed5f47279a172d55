"""Grade scales and grades: 가–마 from 2018, 최우수/우수/보통 in 2017, S–D in 2016. A scale is
never mapped onto another; a move is only measured between two grades of one scale."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GradeScale(StrEnum):
    """The published grade scales; never mapped onto one another."""

    SABCD = "S-D"  # 2016: S/A/B/C/D
    THREE_LEVEL = "3단계"  # 2017: 최우수/우수/보통
    GA_MA = "가-마"  # 2018 on


# Each scale's grades, best first, with their Korean names.
SCALE_LEVELS: dict[GradeScale, tuple[tuple[str, str], ...]] = {
    GradeScale.GA_MA: (
        ("가", "최우수"),
        ("나", "우수"),
        ("다", "보통"),
        ("라", "미흡"),
        ("마", "아주미흡"),
    ),
    GradeScale.THREE_LEVEL: (("최우수", "최우수"), ("우수", "우수"), ("보통", "보통")),
    GradeScale.SABCD: (("S", "S"), ("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")),
}

# Other names published tables give a grade ("매우미흡" for 마's 아주미흡).
GRADE_LABEL_SYNONYMS: dict[str, str] = {"매우미흡": "아주미흡"}

GA_MA_GRADES: tuple[str, ...] = tuple(grade for grade, _ in SCALE_LEVELS[GradeScale.GA_MA])
FIRST_GA_MA_YEAR = 2018  # 가–마 from this year; earlier years are on other scales

# The relative bands as cumulative cut-offs: 가 the top 10%, 나 to 30%, 다 to 70%, 라 to 90%,
# 마 the rest. How "10% of 17" becomes a count is each year's rounding (domain/years.py).
BAND_CUTOFFS: tuple[float, ...] = (0.1, 0.3, 0.7, 0.9)


def band_shares() -> tuple[tuple[str, int], ...]:
    """Each 가–마 grade's share of a group in percent: (('가', 10), ('나', 20), …)."""
    bounds = (0.0, *BAND_CUTOFFS, 1.0)
    return tuple(
        (grade, round(100 * (upper - lower)))
        for grade, lower, upper in zip(GA_MA_GRADES, bounds[:-1], bounds[1:], strict=True)
    )


def band_cutoff_percents() -> tuple[int, ...]:
    """The cumulative cut-offs in percent: (10, 30, 70, 90)."""
    return tuple(round(100 * cutoff) for cutoff in BAND_CUTOFFS)


# English for the 가–마 grades: the band each stands for.
GRADE_EN: dict[str, str] = {
    "가": "top 10%",
    "나": "10–30%",
    "다": "30–70%",
    "라": "70–90%",
    "마": "bottom 10%",
}

# How English questions write the 가–마 grades ('ga', 'grade ga').
GRADE_ROMAN: dict[str, str] = {"ga": "가", "na": "나", "da": "다", "ra": "라", "ma": "마"}


def scale_grades(scale: GradeScale) -> tuple[str, ...]:
    return tuple(grade for grade, _ in SCALE_LEVELS[scale])


def grade_label(scale: GradeScale | str, grade: str) -> str:
    """The grade's Korean name on its scale (가 -> 최우수); the grade itself when unknown."""
    return dict(SCALE_LEVELS[GradeScale(scale)]).get(grade, grade)


def grade_rank(scale: GradeScale | str, grade: str) -> int | None:
    """1 for the best grade of the scale; None for a grade not on it."""
    for index, (level, _) in enumerate(SCALE_LEVELS[GradeScale(scale)], start=1):
        if level == grade:
            return index
    return None


@dataclass(frozen=True)
class GradeMove:
    """How a grade moved from one evaluation year to the next on the same scale."""

    steps: int  # > 0 improved, < 0 fell, 0 unchanged

    @property
    def arrow(self) -> str:
        """'▲2', '▼1' or '=' for no change."""
        if self.steps > 0:
            return f"▲{self.steps}"
        if self.steps < 0:
            return f"▼{-self.steps}"
        return "="


def grade_move(
    before_scale: GradeScale | str, before: str, after_scale: GradeScale | str, after: str
) -> GradeMove | None:
    """The move from ``before`` to ``after``; None when they are not comparable (different
    scales, or a grade not on its scale)."""
    if GradeScale(before_scale) != GradeScale(after_scale):
        return None
    old, new = grade_rank(before_scale, before), grade_rank(after_scale, after)
    if old is None or new is None:
        return None
    return GradeMove(old - new)
