"""Whether a list is complete: each grading group's count of the asked grades (or of all
its agencies) against what the year's bands give for the group's size (domain/years.py).
The same rule as the coverage table's '가 31/31 완전', applied to the list asked for."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from answers.answer import Message, say, tr
from answers.query import Lang
from answers.understanding.catalog import Catalog
from domain.grades import SCALE_LEVELS, GradeScale
from domain.years import year_config
from scoring import rules_from_mapping
from scoring.engine import band_counts
from storage.views import ResultView

COMPLETE: Message = (
    "{year}년 {what} 명단은 완전합니다: 평가군별 수가 그해 구간 규칙이 정하는 수와 같습니다 ({detail}).",
    "The {year} list of {what} is complete: each group's count equals what that year's bands give ({detail}).",
)
INCOMPLETE: Message = (
    "{year}년 {what} 명단은 완전하지 않습니다 ({detail}): 목록에 없는 기관은 등급이 알려지지 않은 것입니다.",
    "The {year} list of {what} is not complete ({detail}): an agency not listed is unknown, not ungraded.",
)
UNKNOWN: Message = (
    "{year}년 명단이 완전한지는 알 수 없습니다: {why}.",
    "Whether the {year} list is complete cannot be told: {why}.",
)
WHY_NO_SIZES: Message = (
    "그해 평가군별 등급 기관 수가 기록에 없습니다",
    "the year's graded count per group is not on record",
)
WHY_REGION: Message = (
    "등급 구간은 전국 평가군 단위로 정해져 지역별 수는 정해져 있지 않습니다",
    "grade bands are set per national group, not per region",
)
WHY_MORE: Message = (
    "기록된 수가 구간 규칙보다 많습니다 (동점 등)",
    "more are on record than the bands give (ties, perhaps)",
)
ALL_AGENCIES: Message = ("전체 기관", "all agencies")


@dataclass(frozen=True)
class Completeness:
    """Per group: (group, known, expected); ``why`` says why it cannot be told."""

    year: int
    parts: tuple[tuple[str, int, int], ...] = ()
    why: Message | None = None

    @property
    def known(self) -> bool:
        return self.why is None

    @property
    def complete(self) -> bool:
        return self.known and all(known == expected for _, known, expected in self.parts)


def list_completeness(
    year: int,
    matching: list[ResultView],
    catalog: Catalog,
    *,
    groups: tuple[str, ...],
    grades: tuple[str, ...],
    regions: tuple[str, ...],
) -> Completeness:
    """Whether ``matching`` (the year's results that fit the question) is every one there
    is: per group in scope, as many as the year's bands give for each asked grade."""
    config = year_config(year)
    if not config.group_sizes:
        return Completeness(year, why=WHY_NO_SIZES)
    if regions:
        return Completeness(year, why=WHY_REGION)
    counts = Counter(_group(r, catalog) for r in matching if r.year == year)
    parts = []
    for group in groups or tuple(config.group_sizes):
        size = config.group_sizes.get(group)
        if size is None:
            return Completeness(year, why=WHY_NO_SIZES)
        bands = _bands(year, size)
        levels = {_level(g, config.scale) for g in grades}
        expected = sum(bands.get(level, 0) for level in levels) if grades else size
        if counts[group] > expected:
            return Completeness(year, why=WHY_MORE)
        parts.append((group, counts[group], expected))
    return Completeness(year, tuple(parts))


@cache
def _bands(year: int, size: int) -> dict[str, int]:
    config = year_config(year)
    return band_counts(size, rules_from_mapping(config.scoring_rules()))


def _group(result: ResultView, catalog: Catalog) -> str:
    return result.grading_group or catalog.agencies[result.agency_id].group or ""


def completeness_line(found: Completeness, grades: tuple[str, ...], lang: Lang) -> str:
    """'2021년 가 등급 명단은 완전합니다 (…)', or why it is not, or cannot be told."""
    if found.why is not None:
        return say(lang, UNKNOWN, year=found.year, why=say(lang, found.why))
    what = " · ".join(f"{g} {tr(lang, '등급', 'grade')}" for g in grades) or say(lang, ALL_AGENCIES)
    if found.complete:
        detail = " · ".join(f"{g} {known}" for g, known, _ in found.parts)
        return say(lang, COMPLETE, year=found.year, what=what, detail=detail)
    short = [(g, k, e) for g, k, e in found.parts if k < e]
    detail = " · ".join(f"{g} {known}/{expected}" for g, known, expected in short)
    return say(lang, INCOMPLETE, year=found.year, what=what, detail=detail)


def _level(grade: str, scale: GradeScale) -> str:
    """'최우수' -> '가' on the 가–마 scale: the bands count levels."""
    return next((level for level, name in SCALE_LEVELS[scale] if grade in (level, name)), grade)
