"""What a question asks for, once read: the parser's output and the answers' input."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Intent(StrEnum):
    GRADE = "grade"
    HISTORY = "history"
    COMPARE = "compare"
    LIST = "list"
    ITEMS = "items"
    WHATIF = "whatif"  # '고성군 2023 만족도 +5점이면?': the engine's recomputed rank and grade
    CUTOFF = "cutoff"  # '고성군 가 등급까지 몇 점?', '2023 기초-군 커트라인'
    STREAK = "streak"  # '성동구 8년 연속 가등급?': the streak checked against the record
    WHY = "why"  # '김해시 등급이 떨어진 이유는?': the last recorded change and its items
    HELP = "help"
    GREETING = "greeting"  # '안녕', 'hi': a friendly hello and what to ask
    OUT_OF_SCOPE = "out_of_scope"  # '행안부 장관 누구야': outside what the bot knows
    SUBSCRIBE = "subscribe"
    PUBLISH = "publish"  # 'publish 2025', '2025년 공개': an admin's confirm button
    COVERAGE = "coverage"  # '데이터 현황', 'coverage 2024': what the bot knows per year and group
    CARD = "card"  # the finder's agency card: one agency at a glance (no question asks it)
    SOURCES = "sources"  # '경찰청 2025 출처': every source of a result and its earlier versions
    UNKNOWN = "unknown"


class Lang(StrEnum):
    KO = "ko"
    EN = "en"


class Asks(StrEnum):
    """What a question asks beyond its intent; the intent's answer leads with it."""

    COUNT = "count"  # '몇 년 연속 가야?': the length of the run, not a yes/no
    SCORE = "score"  # '몇 점이야?': the official total, or that none was published
    RELEASE = "release"  # '2026 나왔어?': whether a year's results are out, and when
    COMPLETE = "complete"  # '2021 가 명단 완전해?': whether the list is complete


@dataclass(frozen=True)
class AgencyMention:
    """A name in the question and every agency it may mean (several = ambiguous)."""

    text: str
    candidates: tuple[int, ...]
    fuzzy: bool = False


@dataclass(frozen=True)
class ScoreChange:
    """One item's change in a what-if: ``amount`` points added, or, when ``absolute``, the
    item's new score ('만족도를 20점으로')."""

    item: str
    amount: float
    absolute: bool = False


@dataclass(frozen=True)
class Query:
    intent: Intent
    lang: Lang
    text: str
    agencies: tuple[AgencyMention, ...] = ()
    years: tuple[int, ...] = ()
    year_range: tuple[int, int] | None = None
    relative_year: int | None = None  # 0 = latest published year, -1 = the one before
    regions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    unknown_names: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    subscription: str | None = None  # "add", "remove" or "list" for the subscribe intent
    everything: bool = False  # '구독 전체'
    channel_ref: str | None = None  # '<#C123>' named in the question
    changes: tuple[ScoreChange, ...] = ()  # what-if: item changes, in the order asked
    items: tuple[str, ...] = ()  # items a what-if names ('고충민원 가 받았다 치면')
    span_years: int | None = None  # '최근 5년', 'last 3 years': the latest N evaluation years
    since: int | None = None  # '2020년 이후', 'since 2020': that year and every later one
    all_years: bool = False  # '전체 연도', 'all years', '역대'
    streak: int | None = None  # 'N년 연속': N consecutive evaluation years
    top_grade: bool = False  # '최고 등급', 'highest': the top of each year's scale, read as 가
    direction: str | None = None  # 'down' (떨어진) or 'up' (오른): a why, a list of moves
    asks: Asks | None = None  # a count, a score, a release, a list's completeness
    truncated: bool = False  # the question was longer than the parser reads
    cut_years: tuple[int, ...] = ()  # years written only in the part that was not read
    # agencies a region's short name also names ('광주 2024': 경기 광주시 besides the region)
    namesakes: tuple[AgencyMention, ...] = ()

    @property
    def dated(self) -> bool:
        """A year was asked: named, a range, or relative ('작년', 'this year')."""
        return bool(self.years or self.year_range or self.relative_year is not None)
