"""Pieces every intent shares: which years a question means, how an agency and a grade
are written, and how a grade moved from the previous evaluation year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from answers.answer import Answer, Chart, Source, tr
from answers.catalog import AgencyRef, Catalog
from answers.data import Viewer, YearInfo
from answers.query import AgencyMention, Intent, Lang, Query
from storage.models import GradeScale, YearStatus
from storage.names import REGION_ROMAN, romanize
from storage.views import ResultView
from storage.yearconfig import grade_label, grade_rank

MAX_CANDIDATES = 6  # more matches than this: ask for the region instead of answering each

GRADE_EN = {"가": "top 10%", "나": "10–30%", "다": "30–70%", "라": "70–90%", "마": "bottom 10%"}
GROUP_EN = {
    "중앙": "central agencies", "광역": "provinces & metropolitan cities",
    "교육청": "education offices", "기초-시": "cities", "기초-군": "counties",
    "기초-구": "districts",
}  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What every intent needs besides the query: names, visible years, who asks."""

    catalog: Catalog
    years: tuple[YearInfo, ...]
    viewer: Viewer

    @property
    def latest(self) -> int | None:
        published = [y.year for y in self.years if y.status == YearStatus.PUBLISHED]
        return max(published) if published else None

    def year(self, year: int) -> YearInfo | None:
        return next((info for info in self.years if info.year == year), None)


def wanted_years(query: Query, ctx: Context) -> list[int]:
    """The years a question means: named ones, a range, 올해/작년, or the latest published."""
    if query.year_range:
        start, end = query.year_range
        return [y.year for y in ctx.years if start <= y.year <= end] or [start, end]
    if query.years:
        return list(query.years)
    latest = ctx.latest
    if latest is None:
        return []
    if query.relative_year:
        published = sorted(y.year for y in ctx.years if y.status == YearStatus.PUBLISHED)
        index = published.index(latest) + query.relative_year
        return [published[index]] if index >= 0 else []
    return [latest]


def agency_name(agency: AgencyRef, lang: Lang) -> str:
    """'경남 고성군' or, in English, 'Goseong-gun (고성군), Gyeongnam'."""
    if lang is Lang.KO:
        return agency.label()
    roman = _roman_name(agency)
    region = REGION_ROMAN.get(agency.region, "").capitalize()
    return f"{roman} ({agency.name})" + (f", {region}" if region else "")


def _roman_name(agency: AgencyRef) -> str:
    if agency.agency_type == "기초자치단체":
        suffix = {"시": "si", "군": "gun", "구": "gu"}.get(agency.name[-1], "")
        return f"{romanize(agency.name[:-1]).capitalize()}-{suffix}"
    return romanize(agency.name).capitalize()


def grade_text(result: ResultView, lang: Lang) -> str:
    label = grade_label(GradeScale(result.scale), result.grade)
    if result.scale != GradeScale.GA_MA:
        return f"*{result.grade}*"
    if lang is Lang.EN:
        return f"*{result.grade}* ({GRADE_EN[result.grade]}, {label})"
    return f"*{result.grade}* ({label})"


def group_text(group: str | None, lang: Lang) -> str:
    if not group:
        return ""
    return f"{group} ({GROUP_EN.get(group, group)})" if lang is Lang.EN else group


def change_text(
    result: ResultView, previous: ResultView | None, lang: Lang, previous_year: int | None
) -> str:
    """Against the previous evaluation year only; never across scales, never assumed."""
    if previous_year is None:
        return tr(lang, "이전 평가 없음", "no earlier evaluation")
    if previous is None:
        return tr(lang, f"{previous_year}년 기록 없음", f"no record for {previous_year}")
    if previous.scale != result.scale:
        return tr(lang, f"{previous_year}년 {previous.grade} (등급 체계가 달라 비교 불가)",
                  f"{previous_year}: {previous.grade} (different scale, not comparable)")  # fmt: skip
    steps = step_change(previous, result)
    if steps == 0:
        return tr(
            lang,
            f"{previous_year}년과 같음 ({previous.grade})",
            f"same as {previous_year} ({previous.grade})",
        )
    arrow = "▲" if steps > 0 else "▼"
    return tr(lang, f"{previous_year}년 {previous.grade} → {result.grade} {arrow}{abs(steps)}",
              f"{previous_year}: {previous.grade} → {result.grade} {arrow}{abs(steps)}")  # fmt: skip


def step_change(before: ResultView, after: ResultView) -> int:
    """Positive when the grade improved; 0 when unknown or unchanged."""
    old = grade_rank(GradeScale(before.scale), before.grade)
    new = grade_rank(GradeScale(after.scale), after.grade)
    return (old - new) if old and new else 0


def previous_year(year: int, ctx: Context) -> int | None:
    earlier = [y.year for y in ctx.years if y.year < year]
    return max(earlier) if earlier else None


def source_of(result: ResultView, agency: AgencyRef, lang: Lang) -> Source:
    return Source(result.source_url, f"{result.year} {agency_name(agency, lang)}")


def draft_mark(result: ResultView, ctx: Context, lang: Lang) -> str:
    info = ctx.year(result.year)
    if info and info.status == YearStatus.DRAFT:
        return tr(lang, " _(미공개 초안)_", " _(unpublished draft)_")
    return ""


def score_text(result: ResultView, lang: Lang) -> str:
    if result.score is None:
        return ""
    text = tr(lang, f"점수 {result.score:g}", f"score {result.score:g}")
    if result.group_avg is not None:
        text += tr(
            lang, f" (평가군 평균 {result.group_avg:g})", f" (group average {result.group_avg:g})"
        )
    return text


def resolve_mentions(query: Query, ctx: Context) -> tuple[list[AgencyRef], list[str]]:
    """Every agency the question names; too-ambiguous names come back as questions to ask."""
    agencies: list[AgencyRef] = []
    asks: list[str] = []
    for mention in query.agencies:
        if len(mention.candidates) > MAX_CANDIDATES:
            asks.append(_ask_region(mention, ctx, query.lang))
            continue
        agencies.extend(
            ctx.catalog.agencies[i]
            for i in mention.candidates
            if ctx.catalog.agencies[i] not in agencies
        )
    return agencies, asks


def _ask_region(mention: AgencyMention, ctx: Context, lang: Lang) -> str:
    regions = sorted({ctx.catalog.agencies[i].region or "중앙" for i in mention.candidates})
    names = ", ".join(
        f"{r} {ctx.catalog.agencies[mention.candidates[0]].name}" for r in regions[:8]
    )
    return tr(lang, f"'{mention.text}'에 해당하는 기관이 {len(mention.candidates)}곳입니다. 지역과 함께 물어보세요: {names}",
              f"'{mention.text}' matches {len(mention.candidates)} agencies. Please add the region, e.g. {names}")  # fmt: skip


def ambiguity_note(query: Query, ctx: Context) -> list[str]:
    """Say so when one name covered several agencies, so nobody reads a guess."""
    notes = []
    for mention in query.agencies:
        if 1 < len(mention.candidates) <= MAX_CANDIDATES:
            places = ", ".join(ctx.catalog.agencies[i].label() for i in mention.candidates)
            notes.append(tr(query.lang, f"'{mention.text}'은(는) 여러 기관입니다: {places}. 모두 보여드립니다.",
                            f"'{mention.text}' names several agencies: {places}. All are shown."))  # fmt: skip
        elif mention.fuzzy and mention.candidates:
            name = ", ".join(ctx.catalog.agencies[i].label() for i in mention.candidates)
            notes.append(tr(query.lang, f"'{mention.text}'을(를) {name}(으)로 읽었습니다.",
                            f"Read '{mention.text}' as {name}."))  # fmt: skip
    return notes + [unknown_name_line(name, query.lang) for name in query.unknown_names]


def unknown_name_line(name: str, lang: Lang) -> str:
    return tr(lang, f"'{name}'에 대한 공개 기록이 없습니다. 이름을 확인하거나 지역과 함께 적어 주세요 (예: `경남 고성군`).",
              f"I have no published record for '{name}'. Check the name or add its region (e.g. `경남 고성군`).")  # fmt: skip


def results_by_agency(results: Sequence[ResultView]) -> dict[int, dict[int, ResultView]]:
    found: dict[int, dict[int, ResultView]] = {}
    for result in results:
        found.setdefault(result.agency_id, {})[result.year] = result
    return found


def no_agency_answer(query: Query, asks: list[str]) -> Answer:
    hint = tr(query.lang, "기관명을 넣어 물어보세요 (예: `경남 고성군 2023`).",
              "Please name an agency (e.g. `Goseong 2023`).")  # fmt: skip
    return Answer(intent=query.intent, lang=query.lang, title=tr(query.lang, "기관을 특정해 주세요", "Which agency?"),
                  lines=tuple(asks or [hint]), understood=bool(asks))  # fmt: skip


def unknown_year_line(year: int, ctx: Context, lang: Lang) -> str:
    """A year after the latest is not out yet; one before the first is not on record."""
    known = [y.year for y in ctx.years]
    if known and year < max(known):
        span = f"{min(known)}–{max(known)}"
        return tr(lang, f"{year}년 평가 결과는 기록에 없습니다 (기록: {span}년).",
                  f"There are no {year} results on record (records: {span}).")  # fmt: skip
    latest = ctx.latest
    return tr(lang, f"{year}년 평가 결과는 아직 없습니다" + (f" (최근 공개: {latest}년)." if latest else "."),
              f"There are no {year} results yet" + (f" (latest published: {latest})." if latest else "."))  # fmt: skip


def no_year_line(ctx: Context, lang: Lang) -> str:
    """올해/작년 with nothing published (yet) to count from."""
    if ctx.latest is None:
        return tr(lang, "아직 공개된 평가 결과가 없습니다.", "No results have been published yet.")
    return tr(
        lang,
        "그 연도의 평가 결과는 기록에 없습니다.",
        "There are no results on record for that year.",
    )


def title_for(intent: Intent, lang: Lang, subject: str) -> str:
    titles = {
        Intent.GRADE: ("민원서비스 종합평가 등급", "Civil service evaluation grade"),
        Intent.HISTORY: ("등급 추이", "Grade history"),
        Intent.COMPARE: ("등급 비교", "Grade comparison"),
        Intent.LIST: ("등급 목록", "Grades"),
        Intent.ITEMS: ("항목별 결과", "Results by item"),
        Intent.WHATIF: ("가정 계산 (계산값)", "What-if (computed)"),
        Intent.CUTOFF: ("등급 커트라인 (계산값)", "Grade cut-offs (computed)"),
    }
    ko, en = titles[intent]
    return f"{subject} · {tr(lang, ko, en)}" if subject else tr(lang, ko, en)


def grade_chart(
    agencies: Sequence[AgencyRef],
    by_agency: dict[int, dict[int, ResultView]],
    years: Sequence[int],
    title: str,
) -> Chart | None:
    """Grades over the years, one line per agency; None when nothing is on record."""
    series = {
        a.label(): {y: r.grade for y, r in by_agency.get(a.id, {}).items() if y in years}
        for a in agencies
    }
    if not any(series.values()):
        return None
    return Chart(kind="history", title=title, series=series, years=tuple(years))
