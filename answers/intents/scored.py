"""What the what-if and cut-off answers share: which year to compute, the labels every
computed figure carries (계산값/computed, 모의 데이터/simulated), and the 'no score data' reply.

A computed figure is never an official result, and a figure from simulated data is never
taken for a real one: both say so in the title and in a note. Without score data there is
no number at all, only how to load some.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from answers.answer import Answer, Message, Source, say, tr
from answers.data import DataAccess
from answers.presentation.wording import group_text
from answers.query import Intent, Lang, Query
from answers.understanding.context import Context, Viewer, wanted_years
from answers.understanding.mentions import WHICH_AGENCY
from domain.grades import GA_MA_GRADES, GradeScale, band_cutoff_percents, grade_label
from domain.groups import GROUP_EN
from domain.items import ITEM_EN, ITEMS, TOTAL, TOTAL_EN
from domain.years import year_config
from storage.scores import YearScores, load_year_scores, scored_years

if TYPE_CHECKING:
    from scoring import GradingRules

COMPUTED = ("계산값", "computed")
SIMULATED = ("모의 데이터", "simulated data")
LOAD_HINT = "`minwon-bot ingest 점수표.csv`"
EXAMPLE_SHEET = "examples/synthetic-scores-2023-SIMULATED.csv"
MAX_YEARS = 3
SHEET_COLUMNS = (
    "연도·기관명·시도·기관유형·평가군 + " + "·".join(ITEMS),
    "year, agency, region, agency_type, group + " + ", ".join(ITEMS),
)
NO_SCORE_DATA: Message = (
    "{what} 점수 자료가 없어 계산할 수 없습니다 (숫자를 지어내지 않습니다). 점수표("
    + SHEET_COLUMNS[0]
    + ")를 불러오세요: {hint}",
    "There is no score data for {what_en}, so there is nothing to compute (no number is made up). Load a score sheet ("
    + SHEET_COLUMNS[1]
    + "): {hint}",
)
NO_AGENCY_SCORES: Message = (
    "*{name}* — {year}년 점수표에 이 기관의 점수가 없어 계산할 수 없습니다. {hint}",
    "*{name}* — the {year} score data has no scores for this agency, so there is nothing to compute. {hint}",
)
SIMULATED_WARNING: Message = (
    "⚠️ 모의 데이터(simulated): 예시용으로 만든 가상의 점수로 계산했습니다. 실제 평가 점수나 결과가 아닙니다.",
    "⚠️ Simulated data (모의 데이터): computed from made-up example scores, not real evaluation scores or results.",
)
COMPUTED_NOTE: Message = (
    "계산값: 저장된 점수표와 그 해의 규칙("
    + "·".join(f"{g} {p}%" for g, p in zip(GA_MA_GRADES, band_cutoff_percents(), strict=False))
    + " 누적, 평가군 안 상대평가)으로 다시 계산한 값이며 공식 발표 등급이 아닙니다.",
    "Computed: recomputed from the stored score sheet with that year's rules (cumulative "
    + "/".join(map(str, band_cutoff_percents()))
    + "% bands within the group); not an official grade.",
)
SCORES_FROM: Message = ("{year}년 점수 출처: {files}{kind}", "{year} scores from: {files}{kind}")
PARTIAL: Message = (
    "{year}년 점수표에는 {name} {official}곳 중 {have}곳만 있어, 순위와 등급은 이 {have}곳 안에서 계산했습니다.",
    "The {year} score data holds {have} of the {official} agencies of {name}; ranks and grades are computed among those {have}.",
)
NO_YEAR_GIVEN: Message = (
    "연도를 적지 않아 점수 자료가 있는 최근 연도({year}년)로 계산했습니다.",
    "No year given: computed for {year}, the latest year with score data.",
)
WHATIF_EXAMPLE: Message = (
    "`고성군 2023 만족도 +5점이면?`",
    "`what if goseong satisfaction +5 2023`",
)
CUTOFF_EXAMPLE: Message = (
    "`고성군 가 등급까지 몇 점?` · `2023 기초-군 커트라인`",
    "`goseong points to next grade` · `cutoff 2023 county`",
)
NAME_AN_AGENCY: Message = (
    "기관명을 넣어 물어보세요 (예: {example}).",
    "Please name an agency (e.g. {example}).",
)
EXAMPLE: Message = (
    " · 예시(모의 데이터): `minwon-bot ingest {sheet}`",
    " · example (simulated data): `minwon-bot ingest {sheet}`",
)


@dataclass(frozen=True)
class Computed:
    """One agency's grade as the engine computed it from a score sheet (계산값): never an
    official result. Plain Python values, ready to be written into text."""

    agency_id: int
    year: int
    group: str
    grade: str | None
    total: float | None
    rank: int | None
    size: int
    simulated: bool
    reason: str


# per DataAccess (one database) and data version: a score sheet load bumps the version
_COMPUTED: weakref.WeakKeyDictionary[
    DataAccess, dict[tuple[str | None, int, bool], dict[int, Computed]]
] = weakref.WeakKeyDictionary()


async def computed_grades(data: DataAccess, year: int, viewer: Viewer) -> dict[int, Computed]:
    """The engine's grades of ``year`` by agency id, from the score data this viewer may see
    (empty without any). Computed once per data version."""
    version = (await data.snapshot()).version
    cache = _COMPUTED.setdefault(data, {})
    key = (version, year, viewer.is_admin)
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        scored = await years_with_scores(data, viewer)
        scores = await year_scores(data, year, viewer) if year in scored else None
        cache[key] = _computed(scores) if scores is not None else {}
    return cache[key]


def _computed(scores: YearScores) -> dict[int, Computed]:
    from scoring import grade_table

    table = grade_table(scores.frame, rules_for(scores.year))
    out: dict[int, Computed] = {}
    for entry in table.to_dict("records"):
        total, rank = entry["total"], entry["rank"]
        out[int(entry["agency_id"])] = Computed(
            agency_id=int(entry["agency_id"]),
            year=scores.year,
            group=str(entry["group"]),
            grade=entry["grade"] if isinstance(entry["grade"], str) else None,
            total=None if total != total else float(total),  # NaN: no total
            rank=None if rank != rank else int(rank),
            size=int(entry["group_size"]),
            simulated=scores.simulated,
            reason=entry["reason"] if isinstance(entry.get("reason"), str) else "",
        )
    return out


def computed_label(computed: Computed, lang: Lang) -> str:
    """'계산값, 모의 데이터' / 'computed, SIMULATED': on every computed figure."""
    parts = [COMPUTED[0] if lang is Lang.KO else COMPUTED[1]]
    if computed.simulated:
        parts.append(tr(lang, SIMULATED[0], "SIMULATED"))
    return ", ".join(parts)


def computed_notes(computed: list[Computed], lang: Lang) -> list[str]:
    """The simulated warning (first) and what a computed grade is."""
    out = [say(lang, SIMULATED_WARNING)] if any(c.simulated for c in computed) else []
    return out + ([say(lang, COMPUTED_NOTE)] if computed else [])


def labelled_title(title: str, lang: Lang, computed: list[Computed], *, mixed: bool) -> str:
    """'[모의 데이터] … (계산값)': a title over computed grades says so, and says simulated."""
    if not computed:
        return title
    if mixed:
        title += tr(lang, " (계산값 포함)", " (incl. computed)")
    else:
        title += tr(lang, f" ({COMPUTED[0]})", f" ({COMPUTED[1]})")
    if any(c.simulated for c in computed):
        title = tr(lang, f"[{SIMULATED[0]}] ", "[SIMULATED DATA] ") + title
    return title


@dataclass(frozen=True)
class ComputedList:
    """A list answer's part for years with no official results: the engine's grades."""

    years: tuple[int, ...]
    lines: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    computed: tuple[Computed, ...]


COMPUTED_SUMMARY: Message = (
    "{year}년 ({label}): {n}개 기관 ({spread}) — 공식 결과가 아직 없어 점수표로 계산한 등급입니다.",
    "{year} ({label}): {n} agencies ({spread}) — no official results yet; grades computed from the score sheet.",
)
COMPUTED_NONE: Message = (
    "{year}년 ({label}): 점수표로 계산한 등급 중 조건에 맞는 기관이 없습니다.",
    "{year} ({label}): no computed grade matches.",
)


async def computed_listing(
    query: Query, ctx: Context, data: DataAccess, years: list[int]
) -> ComputedList:
    """For ``years`` without official results: the computed grades matching the question's
    regions, groups and grades, labelled (never mixed into an official year)."""
    done: list[int] = []
    lines: list[str] = []
    rows: list[tuple[str, ...]] = []
    shown: list[Computed] = []
    for year in years:
        computed = await computed_grades(data, year, ctx.viewer)
        if not computed:
            continue
        done.append(year)
        matching = sorted(
            (c for c in computed.values() if c.grade and _matches(c, query, ctx)),
            key=lambda c: (GA_MA_GRADES.index(c.grade or "마"), c.group, c.rank or 0),
        )
        label = computed_label(next(iter(computed.values())), query.lang)
        if not matching:
            lines.append(say(query.lang, COMPUTED_NONE, year=year, label=label))
            continue
        counts = Counter(c.grade for c in matching)
        spread = " · ".join(f"{grade} {n}" for grade, n in counts.items())
        lines.append(
            say(
                query.lang, COMPUTED_SUMMARY, year=year, label=label, n=len(matching), spread=spread
            )
        )
        for c in matching:
            agency = ctx.catalog.agencies[c.agency_id]
            rows.append((str(year), f"{c.grade} ({label})", agency.label(), c.group))
        shown += matching
    return ComputedList(tuple(done), tuple(lines), tuple(rows), tuple(shown))


def _matches(computed: Computed, query: Query, ctx: Context) -> bool:
    agency = ctx.catalog.agencies.get(computed.agency_id)
    if agency is None:
        return False
    names = {computed.grade, grade_label(GradeScale.GA_MA, computed.grade or "")}
    return (
        (not query.regions or agency.region in query.regions)
        and (not query.groups or computed.group in query.groups)
        and (not query.grades or not names.isdisjoint(query.grades))
    )


async def year_scores(data: DataAccess, year: int, viewer: Viewer) -> YearScores | None:
    """A year's score data for the engine: simulated data is visible to everyone, real
    scores like results (once the year is published, or to admins)."""

    async def load() -> YearScores | None:
        async with data.db.unit_of_work() as session:
            return await load_year_scores(session, year, include_drafts=viewer.is_admin)

    return await data.once(("year_scores", year, viewer.is_admin), load)


async def years_with_scores(data: DataAccess, viewer: Viewer) -> list[int]:
    async def load() -> list[int]:
        async with data.db.unit_of_work() as session:
            return list(await scored_years(session, include_drafts=viewer.is_admin))

    return list(await data.once(("scored_years", viewer.is_admin), load))


def rules_for(year: int) -> GradingRules:
    from scoring import rules_from_mapping

    return rules_from_mapping(year_config(year).scoring_rules())


def points(value: float) -> str:
    """85.2 -> '85.2', 90 -> '90', 2.345 -> '2.35' (totals are kept to two decimals)."""
    return f"{round(value, 2):g}"


def item_name(item: str, lang: Lang) -> str:
    if item == TOTAL:  # a what-if of the total itself
        return tr(lang, TOTAL, TOTAL_EN)
    return f"{item} ({ITEM_EN[item]})" if lang is Lang.EN and item in ITEM_EN else item


def group_label(group: str, lang: Lang) -> str:
    return group_text(group, lang) if group in GROUP_EN else group


def title(lang: Lang, subject: str, ko: str, en: str, *, simulated: bool, computed: bool) -> str:
    """'[모의 데이터] 경남 고성군 · 가정 계산 (계산값)': computed whenever a figure is shown,
    simulated when it comes from simulated data."""
    label = (
        tr(lang, f"{ko} ({COMPUTED[0]})", f"{en} ({COMPUTED[1]})") if computed else tr(lang, ko, en)
    )
    text = f"{subject} · {label}" if subject else label
    if simulated:
        text = tr(lang, f"[{SIMULATED[0]}] ", "[SIMULATED DATA] ") + text
    return text


def notes(lang: Lang, used: list[YearScores], partial: list[str]) -> list[str]:
    """Caveats, the simulated warning first: it must not be missed."""
    out: list[str] = []
    if any(scores.simulated for scores in used):
        out.append(say(lang, SIMULATED_WARNING))
    if used:
        out.append(say(lang, COMPUTED_NOTE))
    out += partial
    for scores in used:
        if scores.source_files:
            files = ", ".join(scores.source_files)
            kind = tr(lang, " (모의 데이터)", " (simulated)") if scores.simulated else ""
            out.append(say(lang, SCORES_FROM, year=scores.year, files=files, kind=kind))
    return list(dict.fromkeys(out))


def partial_note(scores: YearScores, group: str, lang: Lang) -> str | None:
    """Say so when the score data holds fewer agencies than the group officially had."""
    have = scores.groups().get(group, 0)
    official = year_config(scores.year).group_sizes.get(group)
    if not official or have >= official:
        return None
    name = group_label(group, lang)
    return say(lang, PARTIAL, year=scores.year, name=name, official=official, have=have)


def score_sources(used: list[YearScores], lang: Lang) -> list[Source]:
    return [
        Source(url, tr(lang, f"{scores.year} 점수표", f"{scores.year} score sheet"))
        for scores in used
        for url in scores.source_urls
    ]


async def years_to_compute(query: Query, ctx: Context, data: DataAccess) -> tuple[list[int], str]:
    """The named years; with none, the latest published year when it has score data, else the
    latest year that has (said in the returned note)."""
    if query.dated:
        return wanted_years(query, ctx)[-MAX_YEARS:], ""
    scored = await years_with_scores(data, ctx.viewer)
    latest = ctx.latest
    if latest is not None and latest in scored or not scored:
        return ([latest] if latest is not None else []), ""
    year = max(scored)
    note = say(query.lang, NO_YEAR_GIVEN, year=year)
    return [year], note


def no_data_line(year: int | None, group: str | None, lang: Lang, scored: list[int]) -> str:
    """No score data: say so, and how to load it. Never a number."""
    parts = [f"{year}년" if year else "", group_label(group, lang) if group else ""]
    what = " ".join(p for p in parts if p) or "계산할"
    what_en = " ".join(p.removesuffix("년") for p in parts if p) or "this question"
    line = say(lang, NO_SCORE_DATA, what=what, what_en=what_en, hint=LOAD_HINT)
    if scored:
        years = ", ".join(str(y) for y in scored)
        line += tr(lang, f" · 점수 자료가 있는 연도: {years}", f" · years with score data: {years}")
    else:
        line += say(lang, EXAMPLE, sheet=EXAMPLE_SHEET)
    return line


def answer(
    query: Query,
    *,
    subject: str,
    ko: str,
    en: str,
    lines: list[str],
    used: list[YearScores],
    partial: list[str],
    extra_notes: list[str],
    sources: list[Source],
    has_data: bool,
) -> Answer:
    simulated = any(scores.simulated for scores in used)
    return Answer(
        intent=query.intent,
        lang=query.lang,
        title=title(query.lang, subject, ko, en, simulated=simulated, computed=has_data),
        lines=tuple(lines),
        notes=tuple(notes(query.lang, used, partial) + extra_notes),
        sources=tuple(dict.fromkeys(sources)),
        has_data=has_data,
    )


def ask_for_agency(query: Query, asks: list[str]) -> Answer:
    example = say(query.lang, CUTOFF_EXAMPLE if query.intent is Intent.CUTOFF else WHATIF_EXAMPLE)
    return Answer(
        intent=query.intent,
        lang=query.lang,
        title=say(query.lang, WHICH_AGENCY),
        lines=tuple(asks or [say(query.lang, NAME_AN_AGENCY, example=example)]),
        understood=True,
    )
