"""The agencies a question names: resolved, asked about when too many, noted when guessed."""

from __future__ import annotations

from answers.answer import Answer, Message, say
from answers.query import AgencyMention, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context
from domain.agencies import LAST_CATALOG_YEAR, OUTSIDE_ENDINGS
from domain.groups import CENTRAL, AgencyType
from domain.text import particle
from domain.years import year_config

MAX_CANDIDATES = 6  # more matches than this: ask for the region instead of answering each

ASK_REGION: Message = (
    "'{text}'에 해당하는 기관이 {count}곳입니다. 지역과 함께 물어보세요: {names}",
    "'{text}' matches {count} agencies. Please add the region, e.g. {names}",
)
SEVERAL: Message = (
    "'{text}'{eun} 여러 기관입니다: {places}.",
    "'{text}' names several agencies: {places}.",
)
ALL_SHOWN: Message = (" 모두 보여드립니다.", " All are shown.")
READ_AS: Message = ("'{text}'{eul} {name}{ro} 읽었습니다.", "Read '{text}' as {name}.")
UNKNOWN_NAME: Message = (
    "'{name}'에 대한 공개 기록이 없습니다. 이름을 확인하거나 지역과 함께 적어 주세요 (예: `경남 고성군`).",
    "I have no published record for '{name}'. Check the name or add its region (e.g. `경남 고성군`).",
)
NOT_COVERED: Message = (
    "'{name}'{eun} 민원서비스 종합평가의 대상이 아닙니다: 평가는 {kinds}을 대상으로 하고, 공기업·공공기관이나 기업은 받지 않습니다.",
    "'{name}' is not covered by the civil service evaluation: it rates central government agencies, provinces and metropolitan cities, offices of education and cities, counties and districts, not public enterprises or companies.",
)
NOT_EVALUATED: Message = (
    "*{name}* — {year}년에는 이 기관이 평가 대상이 아니었습니다 (이 기관의 평가 연도: {span}).",
    "*{name}* — was not evaluated in {year} under this or any of its names (its years: {span}).",
)
NO_YEARS: Message = ("없음", "none")
PILOT: Message = (
    "{year}년에는 시범 평가 기관으로 평가는 받았지만 등급은 매겨지지 않았습니다.",
    "In {year} it was evaluated as a pilot and not graded.",
)
NO_SUCH_GROUP: Message = (
    "{year}년 평가에는 {group} 평가군이 없었습니다 (그해 평가군: {groups}).",
    "The {year} evaluation had no {group} group (that year's groups: {groups}).",
)
NAME_AN_AGENCY: Message = (
    "기관명을 넣어 물어보세요 (예: `경남 고성군 2023`).",
    "Please name an agency (e.g. `Goseong 2023`).",
)
WHICH_AGENCY: Message = ("기관을 특정해 주세요", "Which agency?")


def resolve_mentions(query: Query, ctx: Context) -> tuple[list[AgencyRef], list[str]]:
    """Every agency the question names; too-ambiguous names come back as questions to ask."""
    agencies: list[AgencyRef] = []
    asks: list[str] = []
    for mention in query.agencies:
        candidates = _named_so(mention, query, ctx)
        if len(candidates) > MAX_CANDIDATES:
            asks.append(_ask_region(mention, ctx, query))
            continue
        agencies.extend(
            ctx.catalog.agencies[i] for i in candidates if ctx.catalog.agencies[i] not in agencies
        )
    return agencies, asks


def _named_so(mention: AgencyMention, query: Query, ctx: Context) -> tuple[int, ...]:
    """Of several agencies a name may mean, those it named in the one year asked ('남구
    2020' is not 인천 미추홀구, named 남구 until 2018); all of them when none fits."""
    if len(mention.candidates) < 2 or len(query.years) != 1:
        return mention.candidates
    year = query.years[0]
    words = mention.text.split()
    kept = tuple(i for i in mention.candidates if ctx.catalog.named_so_in(words[-1], i, year))
    return kept or mention.candidates


def _ask_region(mention: AgencyMention, ctx: Context, query: Query) -> str:
    regions = sorted({ctx.catalog.agencies[i].region or CENTRAL for i in mention.candidates})
    name = ctx.catalog.agencies[mention.candidates[0]].name
    names = ", ".join(f"{region} {name}" for region in regions[:8])
    count = len(mention.candidates)
    return say(query.lang, ASK_REGION, text=mention.text, count=count, names=names)


def ambiguity_note(query: Query, ctx: Context, *, shown: bool = True) -> list[str]:
    """Say so when one name covered several agencies, so nobody reads a guess (and that
    each is shown, when the answer shows any agency at all)."""
    notes = []
    for mention in query.agencies:
        candidates = _named_so(mention, query, ctx)
        labels = ", ".join(ctx.catalog.agencies[i].label() for i in candidates)
        if 1 < len(candidates) <= MAX_CANDIDATES:
            notes.append(
                say(
                    query.lang,
                    SEVERAL,
                    text=mention.text,
                    places=labels,
                    eun=particle(mention.text, "은/는"),
                )
                + (say(query.lang, ALL_SHOWN) if shown else "")
            )
        elif mention.fuzzy and candidates:
            notes.append(
                say(
                    query.lang,
                    READ_AS,
                    text=mention.text,
                    name=labels,
                    eul=particle(mention.text, "을/를"),
                    ro=particle(labels, "으로/로"),
                )
            )
    return notes + [unknown_name_line(name, query.lang) for name in query.unknown_names]


def unknown_name_line(name: str, lang: Lang) -> str:
    """No record of ``name``: a misspelt or unknown agency, or a body the evaluation does not
    cover at all ('한국전력공사', '삼성전자')."""
    if name.endswith(OUTSIDE_ENDINGS):
        kinds = ", ".join(kind.value for kind in AgencyType)
        return say(lang, NOT_COVERED, name=name, eun=particle(name, "은/는"), kinds=kinds)
    return say(lang, UNKNOWN_NAME, name=name)


def outside_year_line(agency: AgencyRef, name: str, year: int, lang: Lang) -> str | None:
    """A plain line for a real agency that ``year``'s results cannot carry (우주항공청 in
    2020, 인천 검단구 before 2026); None when the year is one of its own."""
    if agency.evaluated_in(year):
        return None
    years = sorted(agency.years or ())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else ", ".join(map(str, years))
    if years and years[-1] == LAST_CATALOG_YEAR:
        span = f"{years[0]}–"
    return say(lang, NOT_EVALUATED, name=name, year=year, span=span or say(lang, NO_YEARS))


def no_grade_reason(agency: AgencyRef, year: int, lang: Lang) -> str | None:
    """Why an agency of that year has no grade, where the year's own facts say: an ungraded
    pilot (우주항공청 in 2025), or a group that year did not have (기초 in 2016)."""
    config = year_config(year)
    if agency.name in config.pilot_agencies:
        return say(lang, PILOT, year=year)
    if agency.group and config.groups and agency.group not in config.groups:
        groups = "·".join(config.groups)
        return say(lang, NO_SUCH_GROUP, year=year, group=agency.group, groups=groups)
    return None


def no_agency_answer(query: Query, asks: list[str]) -> Answer:
    return Answer(
        intent=query.intent,
        lang=query.lang,
        title=say(query.lang, WHICH_AGENCY),
        lines=tuple(asks or [say(query.lang, NAME_AN_AGENCY)]),
        understood=bool(asks),
    )
