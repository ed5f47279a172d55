"""Whether a list is complete: each grading group's count of the asked grades (or of all
its agencies) against what that year's **published counts** say (domain/years.py: 가 31 =
중앙 4, 교육청 2, 광역 2, 기초 23), and only where none was published, against what the
year's bands give for the group's size. Every figure says which it is (발표 / 구간 계산),
because a band count is a computation, not a fact: 2019's rounding gave 1 가 of 17 where
the sources counted 2. The coverage table uses the same rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from answers.answer import Message, say, tr
from answers.data import DataAccess
from answers.query import Lang
from answers.understanding.catalog import Catalog
from answers.understanding.context import Viewer
from domain.grades import SCALE_LEVELS, GradeScale
from domain.groups import ALL_GROUPS, LOCAL_ALL, SCOPE_NAMES, group_en
from domain.years import parts_of, stated_count, year_config
from scoring import rules_from_mapping
from scoring.engine import band_counts
from storage.views import ResultView

COMPLETE: Message = (
    "{year}년 {what} 명단은 완전합니다: {detail}.",
    "The {year} list of {what} is complete: {detail}.",
)
INCOMPLETE: Message = (
    "{year}년 {what} 명단은 완전하지 않습니다 ({detail}): 목록에 없는 기관은 등급이 알려지지 않은 것입니다.",
    "The {year} list of {what} is not complete ({detail}): an agency not listed is unknown, not ungraded.",
)
REGION_COMPLETE: Message = (
    "{year}년 {where} {what} 명단은 완전합니다: 전국 명단이 그 평가군마다 완전하므로 이 지역에 빠진 기관도 없습니다 ({detail}).",
    "The {year} list of {what} in {where} is complete: the national list is complete in each of its groups, so none is missing here either ({detail}).",
)
REGION_UNKNOWN: Message = (
    "{year}년 {where} {what} 명단이 완전한지는 알 수 없습니다: 전국 명단부터 완전하지 않습니다 ({detail}).",
    "Whether the {year} list of {what} in {where} is complete cannot be told: the national list is not ({detail}).",
)
UNKNOWN: Message = (
    "{year}년 명단이 완전한지는 알 수 없습니다: {why}.",
    "Whether the {year} list is complete cannot be told: {why}.",
)
WHY_NO_COUNTS: Message = (
    "그해 평가군별 발표된 수도, 구간을 계산할 평가군 크기도 기록에 없습니다",
    "neither a published count nor the group sizes to compute one from are on record",
)
WHY_OFF_SCALE: Message = (
    "그해 등급 체계에 없는 등급입니다",
    "that grade is not on the year's scale",
)
WHY_MORE: Message = (
    "기록된 수가 구간 규칙으로 계산한 수보다 많습니다 (동점 등)",
    "more are on record than the bands give (ties, perhaps)",
)
ALL_AGENCIES: Message = ("전체 기관", "all agencies")
PUBLISHED: Message = ("발표", "published")
BANDS: Message = ("구간 계산", "band rule")
SIZE: Message = ("평가군 크기", "group size")


@dataclass(frozen=True)
class Part:
    """One scope of a list (a group, 기초, the whole year): how many are known, how many
    there were, and where that second figure comes from ("published", "bands", "size")."""

    scope: str
    known: int
    expected: int | None
    basis: str
    covered: tuple[Part, ...] = ()  # a count over several groups: the parts it stands for
    asked: tuple[Part, ...] = ()  # of those, the ones the question asked about

    @property
    def complete(self) -> bool:
        return self.expected is not None and self.known == self.expected


@dataclass(frozen=True)
class Completeness:
    """Per scope: known against expected; ``why`` says why it cannot be told. With
    ``regions``, the parts are the national list of the groups the regions draw from."""

    year: int
    parts: tuple[Part, ...] = ()
    why: Message | None = None
    regions: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.why is None

    @property
    def complete(self) -> bool:
        return self.known and all(part.complete for part in self.parts)


@dataclass(frozen=True)
class Expected:
    count: int
    basis: str  # "published" or "bands"


def expected_count(year: int, grades: Iterable[str], scope: str) -> Expected | None:
    """How many of ``scope`` got one of ``grades`` in ``year``: the published count first,
    the band rule (가–마 years with a known group size) only where none was published.
    With no grade: how many of ``scope`` were graded (its group size, or the published
    number evaluated)."""
    config = year_config(year)
    levels = list(dict.fromkeys(_level(g, config.scale) for g in grades))
    size = config.group_sizes.get(scope)
    if not levels:
        if size is not None:
            return Expected(size, "size")
        evaluated = config.evaluated_by.get(scope)
        return Expected(evaluated, "published") if evaluated is not None else None
    stated = [stated_count(year, level, scope) for level in levels]
    if all(s is not None for s in stated):
        return Expected(sum(s.count for s in stated if s is not None), "published")
    if size is None or config.scale is not GradeScale.GA_MA:
        return None
    bands = _bands(year, size)
    return Expected(sum(bands.get(level, 0) for level in levels), "bands")


GradeCounts = Counter[tuple[str, str]]  # (grading group, grade) -> results on record


async def grade_counts(data: DataAccess, year: int, viewer: Viewer) -> GradeCounts:
    """The year's results nationwide by group and grade, counted once per data version:
    every list of that year asks the same national question."""

    async def count() -> GradeCounts:
        results = await data.results_in([year], viewer)
        catalog = await data.catalog()
        return Counter((_group(r, catalog), r.grade) for r in results)

    return await data.once(("grade_counts", year, viewer.is_admin), count)


def list_completeness(
    year: int,
    by_grade: GradeCounts,
    catalog: Catalog,
    *,
    groups: tuple[str, ...],
    grades: tuple[str, ...],
    regions: tuple[str, ...],
) -> Completeness:
    """Whether the year's results that fit the question are every one there is.
    ``by_grade`` counts the year's results nationwide (:func:`grade_counts`): the national
    list is judged group by group (and by the published counts over several groups), and a
    question about some groups, or about a region, is complete when the national list of
    each group it draws from is."""
    config = year_config(year)
    every = tuple(config.group_sizes) or config.groups
    scopes = groups or every
    if regions:
        present = catalog.groups_in(tuple(regions))
        scopes = tuple(g for g in scopes if g in present)
    wanted = {_level(g, config.scale) for g in grades}
    if not wanted <= set(config.grades):  # '2024 A등급': nothing to count against
        return Completeness(year, why=WHY_OFF_SCALE, regions=regions)
    counts: Counter[str] = Counter()
    for (group, grade), count in by_grade.items():
        if not grades or _level(grade, config.scale) in wanted:
            counts[group] += count
    parts = [_part(year, scope, counts[scope], grades) for scope in every]
    for cover in (LOCAL_ALL, ALL_GROUPS):
        parts = _covered(year, cover, parts, grades)
    parts = [_asked(part, set(scopes)) for part in parts if _about(year, part, set(scopes))]
    if any(part.expected is None for part in parts):
        return Completeness(year, why=WHY_NO_COUNTS, regions=regions)
    if any(part.expected is not None and part.known > part.expected for part in parts):
        return Completeness(year, why=WHY_MORE, regions=regions)
    return Completeness(year, tuple(parts), regions=regions)


def _about(year: int, part: Part, scopes: set[str]) -> bool:
    """Whether a part of the national list speaks to the asked groups: a group asked; a
    count over several groups that is met (then each of its groups is complete) when one of
    them was asked; one that is not met only when all of them were."""
    leaves = set(_leaves(year, part.scope)) or {part.scope}
    if part.complete:
        return bool(leaves & scopes)
    return leaves <= scopes


def _asked(part: Part, scopes: set[str]) -> Part:
    """A count over several groups, with the ones asked about named beside it ('전체 31/31
    발표 (중앙 5)') when the question was about fewer."""
    inside = _inside(part.covered)
    asked = tuple(p for p in inside if p.scope in scopes)
    return replace(part, asked=asked) if len(asked) < len(inside) else part


def _inside(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    return tuple(leaf for p in parts for leaf in (_inside(p.covered) if p.covered else (p,)))


def _leaves(year: int, scope: str) -> list[str]:
    """The grading groups a scope is made of (기초: 시·군·구; the year: every group)."""
    config = year_config(year)
    return [leaf for part in parts_of(config, scope) for leaf in (_leaves(year, part) or [part])]


def _part(year: int, scope: str, known: int, grades: tuple[str, ...]) -> Part:
    expected = expected_count(year, grades, scope)
    if expected is None:
        return Part(scope, known, None, "unknown")
    return Part(scope, known, expected.count, expected.basis)


def _covered(year: int, cover: str, parts: list[Part], grades: tuple[str, ...]) -> list[Part]:
    """Where a published count covers parts that were not published (기초 23 over 시·군·구
    counted by the bands), it decides: the covered parts give way to it when it is met, and
    stand beside it, to show where the gap is, when it is not."""
    scopes = _cover_scopes(year, cover, {part.scope for part in parts})
    covered = [part for part in parts if part.scope in scopes]
    if not covered or all(part.basis == "published" for part in covered):
        return parts
    total = expected_count(year, grades, cover)
    if total is None or total.basis != "published":
        return parts
    known = sum(part.known for part in covered)
    merged = Part(cover, known, total.count, "published", tuple(covered))
    rest = [part for part in parts if part.scope not in scopes]
    if known == total.count:
        return [*rest, merged]
    return [*rest, *(part for part in covered if part.expected is not None), merged]


def _cover_scopes(year: int, cover: str, present: set[str]) -> set[str]:
    """The scopes among ``present`` that together make ``cover`` (기초: 시·군·구; the year:
    중앙, 광역, 교육청 and 기초 or its three groups); empty when part of it is missing (a
    question about 시 alone is not about all of 기초)."""
    chosen: set[str] = set()
    config = year_config(year)
    for part in parts_of(config, cover):
        leaves = set(parts_of(config, part))
        if part in present:
            chosen.add(part)
        elif leaves and leaves <= present:
            chosen |= leaves
        else:
            return set()
    return chosen


@cache
def _bands(year: int, size: int) -> dict[str, int]:
    config = year_config(year)
    return band_counts(size, rules_from_mapping(config.scoring_rules()))


def _group(result: ResultView, catalog: Catalog) -> str:
    return result.grading_group or catalog.agencies[result.agency_id].group or ""


def basis_text(basis: str, lang: Lang) -> str:
    return say(lang, {"published": PUBLISHED, "bands": BANDS}.get(basis, SIZE))


def _detail(parts: Iterable[Part], lang: Lang) -> str:
    """'중앙 4/4 발표 · 기초-시 8/8 구간 계산': a group size needs no word of its own."""
    return " · ".join(
        f"{_scope(p.scope, lang)} {p.known}/{p.expected}"
        + ("" if p.basis == "size" else f" {basis_text(p.basis, lang)}")
        + (
            f" ({', '.join(f'{_scope(a.scope, lang)} {a.known}' for a in p.asked)})"
            if p.asked
            else ""
        )
        for p in parts
    )


def _scope(scope: str, lang: Lang) -> str:
    return f"{scope} ({group_en(scope)})" if lang is Lang.EN else scope


def completeness_line(
    found: Completeness, grades: tuple[str, ...], lang: Lang, groups: tuple[str, ...] = ()
) -> str:
    """'2021년 가 등급 명단은 완전합니다: 중앙 4/4 발표 · …', or why it is not, or cannot
    be told; for a region, through the national list."""
    if found.why is not None:
        return say(lang, UNKNOWN, year=found.year, why=say(lang, found.why))
    graded = " · ".join(f"{g} {tr(lang, '등급', 'grade')}" for g in grades)
    scope = SCOPE_NAMES.get(frozenset(groups))
    named = tr(lang, *scope) if scope else " ".join(_scope(g, lang) for g in groups)
    what = " ".join(w for w in (named, graded) if w) or say(lang, ALL_AGENCIES)
    short = [p for p in found.parts if not p.complete]
    where = ", ".join(found.regions)
    if found.regions:
        message = REGION_COMPLETE if found.complete else REGION_UNKNOWN
        detail = _detail(found.parts if found.complete else short, lang)
        return say(lang, message, year=found.year, where=where, what=what, detail=detail)
    if found.complete:
        return say(lang, COMPLETE, year=found.year, what=what, detail=_detail(found.parts, lang))
    return say(lang, INCOMPLETE, year=found.year, what=what, detail=_detail(short, lang))


def _level(grade: str, scale: GradeScale) -> str:
    """'최우수' -> '가' on the 가–마 scale: the bands count levels."""
    return next((level for level, name in SCALE_LEVELS[scale] if grade in (level, name)), grade)
