"""What every intent needs besides the query, and which years a question means."""

from __future__ import annotations

from dataclasses import dataclass

from answers.answer import Message, say
from answers.query import Lang, Query
from answers.understanding.catalog import Catalog
from storage.models import YearStatus

NOT_ON_RECORD: Message = (
    "{year}년 평가 결과는 기록에 없습니다 (기록: {span}년).",
    "There are no {year} results on record (records: {span}).",
)
NOT_YET: Message = ("{year}년 평가 결과는 아직 없습니다.", "There are no {year} results yet.")
NOT_YET_LATEST: Message = (
    "{year}년 평가 결과는 아직 없습니다 (최근 공개: {latest}년).",
    "There are no {year} results yet (latest published: {latest}).",
)
NOTHING_PUBLISHED: Message = (
    "아직 공개된 평가 결과가 없습니다.",
    "No results have been published yet.",
)
LATEST_USED: Message = ("최근 공개: {year}년 평가", "Latest published: the {year} evaluation")
RELATIVE_USED: Message = (
    "{year}년 평가 기준 (최근 공개: {latest}년)",
    "Using the {year} evaluation (latest published: {latest})",
)
NO_SUCH_YEAR: Message = (
    "그 연도의 평가 결과는 기록에 없습니다.",
    "There are no results on record for that year.",
)


@dataclass(frozen=True)
class Viewer:
    """Who is asking: admins also see draft years."""

    user_id: str | None = None
    is_admin: bool = False
    channel_id: str | None = None  # where the question was asked (subscriptions belong to it)


@dataclass(frozen=True)
class YearInfo:
    year: int
    scale: str
    status: str
    evaluated: int | None
    graded: int | None
    period: str | None
    announced: str | None
    source: str | None


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


def span_years(query: Query, ctx: Context) -> list[int] | None:
    """The evaluation years a span means ('최근 5년', '2020년 이후', '전체 연도'), resolved
    against the years on record; None when the question names no span."""
    known = sorted(y.year for y in ctx.years)
    if query.all_years:
        return known
    if query.since is not None:
        return [y for y in known if y >= query.since]
    if query.span_years:
        end = max(query.years) if query.years else ctx.latest
        return [y for y in known if end is not None and y <= end][-query.span_years :]
    return None


def wanted_years(query: Query, ctx: Context) -> list[int]:
    """The years a question means: named ones, a range, a span, 올해/작년, or the latest
    published."""
    span = span_years(query, ctx)
    if span is not None:
        return span
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


def year_used_line(query: Query, ctx: Context) -> str | None:
    """Which evaluation a question without a year (or with 올해/최근/작년) was answered for:
    '최근 공개: 2025년 평가'. None when the question named its years."""
    if query.years or query.year_range or span_years(query, ctx) is not None:
        return None  # a span ('전체 연도', '최근 5년') shows its years itself
    latest = ctx.latest
    years = wanted_years(query, ctx)
    if latest is None or not years:
        return None
    if years == [latest]:
        return say(query.lang, LATEST_USED, year=latest)
    return say(query.lang, RELATIVE_USED, year=years[-1], latest=latest)


def previous_year(year: int, ctx: Context) -> int | None:
    earlier = [y.year for y in ctx.years if y.year < year]
    return max(earlier) if earlier else None


def unknown_year_line(year: int, ctx: Context, lang: Lang) -> str:
    """A year after the latest is not out yet; one before the first is not on record."""
    known = [y.year for y in ctx.years]
    if known and year < max(known):
        return say(lang, NOT_ON_RECORD, year=year, span=f"{min(known)}–{max(known)}")
    latest = ctx.latest
    if latest:
        return say(lang, NOT_YET_LATEST, year=year, latest=latest)
    return say(lang, NOT_YET, year=year)


def no_year_line(ctx: Context, lang: Lang) -> str:
    """올해/작년 with nothing published (yet) to count from."""
    return say(lang, NOTHING_PUBLISHED if ctx.latest is None else NO_SUCH_YEAR)
