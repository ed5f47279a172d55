"""'경찰청 2025 출처', 'sources for Goseong 2023': every source that supports a result, the
load each came from, and every earlier version of the result (what `minwon-bot record
AGENCY YEAR` prints too). Read from the result's history only when asked."""

from __future__ import annotations

from datetime import datetime

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.data import DataAccess
from answers.presentation.wording import agency_name, grade_text, group_text
from answers.query import Intent, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, Viewer, unknown_year_line, wanted_years
from answers.understanding.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from domain.years import scale_of
from storage.agency_catalog import agency_catalog
from storage.history import Load, ResultRecord, SourceEntry, Version, result_records
from storage.views import ResultView

MAX_YEARS = 3  # a record is long: a span asks for the latest few years only

TITLE: Message = ("출처와 이력", "Sources and history")
HEAD: Message = ("*{name}* — {year}년 {grade}", "*{name}* — {year}: {grade}")
OF_RECORD: Message = ("기록 이름 {name}", "name of record {name}")
NO_RESULT: Message = (
    "*{name}* — {year}년 결과가 기록에 없습니다.",
    "*{name}* — no {year} result on record.",
)
SOURCES_HEAD: Message = ("출처 {count}곳:", "{count} source(s):")
EARLIER_HEAD: Message = ("이전 판 {count}개:", "{count} earlier version(s):")
NO_EARLIER: Message = (
    "이전 판 없음 (불러온 뒤 바뀐 적 없음)",
    "no earlier version (never changed)",
)
CONFIRMED_HEAD: Message = (
    "다른 출처의 확인 {count}번:",
    "confirmed {count} time(s) by other loads:",
)
THIS_LOAD: Message = ("이 판을 불러온 파일", "loaded with this version")
CONFIRMED_BY: Message = ("확인", "confirmed by")
KEPT_FROM: Message = ("이전 판에서 유지", "kept from an earlier version")
WRITTEN: Message = ("파일에 적힌 이름 {name}", "written in the file as {name}")
REPLACED: Message = ("{at}에 바뀜", "replaced {at}")
UNKNOWN_LOAD: Message = (
    "누가 언제 불러왔는지 기록 없음 (이력을 남기기 전)",
    "who loaded it and when is not on record (before history was kept)",
)
UNKNOWN_AGENCY: Message = (
    "'{text}'에 해당하는 기관이 {year}년 카탈로그에 없습니다.",
    "No agency of the {year} catalog is called '{text}'.",
)
MEANT: Message = (" 이 기관을 찾으셨나요: {names}", " Did you mean: {names}")


async def answer_sources(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    years = wanted_years(query, ctx)[-MAX_YEARS:]
    lines: list[str] = []
    sources: list[Source] = []
    for year in years:
        if ctx.year(year) is None:  # not on record, or a draft the viewer may not see
            lines.append(unknown_year_line(year, ctx, query.lang))
            continue
        records = await result_records(data.db, [a.id for a in agencies], year)
        for agency in agencies:
            found = record_lines(agency, year, records.get(agency.id), query.lang)
            lines += found[0]
            sources += found[1]
    subject = agency_name(agencies[0], query.lang) if len(agencies) == 1 else ""
    title = tr(query.lang, *TITLE)
    return Answer(
        intent=Intent.SOURCES,
        lang=query.lang,
        title=f"{subject} · {title}" if subject else title,
        lines=tuple(lines + asks),
        notes=tuple(ambiguity_note(query, ctx)),
        sources=unique_sources(sources),
        has_data=bool(sources),
    )


async def record_answer(data: DataAccess, text: str, year: int) -> Answer:
    """`minwon-bot record AGENCY YEAR`: ``text`` resolved as ingest resolves a file's name
    in that year (region, former and short names; several matches are each shown), drafts
    included."""
    catalog = await data.catalog()
    resolution = agency_catalog().resolve(text, year)
    keys = {(i.name, i.region, i.agency_type.value) for i in resolution.matches}
    agencies = [a for a in catalog.agencies.values() if (a.name, a.region, a.agency_type) in keys]
    agencies += [catalog.agencies[i] for i in catalog.lookup(text) if not resolution.matches]
    title = tr(Lang.KO, *TITLE)
    if not agencies:
        line = say(Lang.KO, UNKNOWN_AGENCY, text=text, year=year)
        names = ", ".join(i.label(year) for i in resolution.suggestions)
        line += say(Lang.KO, MEANT, names=names) if names else ""
        return Answer(Intent.SOURCES, Lang.KO, title, (line,), understood=False)
    ctx = Context(catalog, tuple(await data.years(Viewer(is_admin=True))), Viewer(is_admin=True))
    records = await result_records(data.db, [a.id for a in agencies], year)
    lines: list[str] = []
    sources: list[Source] = []
    for agency in agencies:
        found = record_lines(agency, year, records.get(agency.id), Lang.KO)
        lines += found[0]
        sources += found[1]
    if ctx.year(year) is None:
        lines.insert(0, unknown_year_line(year, ctx, Lang.KO))
    subject = agency_name(agencies[0], Lang.KO) if len(agencies) == 1 else ""
    return Answer(
        intent=Intent.SOURCES,
        lang=Lang.KO,
        title=f"{subject} · {title}" if subject else title,
        lines=tuple(lines),
        sources=unique_sources(sources),
        has_data=bool(records),
    )


def record_lines(
    agency: AgencyRef, year: int, record: ResultRecord | None, lang: Lang
) -> tuple[list[str], list[Source]]:
    """One result's record: the current version, its sources with their loads, the loads
    that confirmed it, and every earlier version, oldest first."""
    name = agency_name(agency, lang)
    if record is None:
        return [say(lang, NO_RESULT, name=name, year=year)], []
    current = record.current
    lines = [_head(name, year, current, lang), f"  {_load_text(current.load, lang)}"]
    lines.append(say(lang, SOURCES_HEAD, count=len(record.sources)))
    lines += [f"  • {_source_text(entry, lang)}" for entry in record.sources]
    if record.confirmations:
        lines.append(say(lang, CONFIRMED_HEAD, count=len(record.confirmations)))
        lines += [f"  • {_confirmation_text(c, lang)}" for c in record.confirmations]
    if record.earlier:
        lines.append(say(lang, EARLIER_HEAD, count=len(record.earlier)))
        lines += [
            f"  {number}. {_version_text(version, lang)}"
            for number, version in enumerate(record.earlier, start=1)
        ]
    else:
        lines.append(say(lang, NO_EARLIER))
    label = f"{year} {name}"
    urls = [entry.url for entry in record.sources]
    urls += [url for version in record.earlier for url in version.sources]
    return lines, [Source(url, label) for url in urls]


def _head(name: str, year: int, version: Version, lang: Lang) -> str:
    parts = [
        say(lang, HEAD, name=name, year=year, grade=grade_text(_view(version, year), lang)),
        group_text(version.grading_group, lang),
        say(lang, OF_RECORD, name=version.published_name),
        *_values(version, lang),
    ]
    return " · ".join(part for part in parts if part)


def _values(version: Version, lang: Lang) -> list[str]:
    """The fields besides the grade a version holds (score, items, note)."""
    parts = []
    if version.score is not None:
        parts.append(tr(lang, f"점수 {version.score:g}", f"score {version.score:g}"))
    if version.item_grades:
        items = ", ".join(f"{item} {grade}" for item, grade in version.item_grades.items())
        parts.append(tr(lang, f"항목 {items}", f"items {items}"))
    if version.note:
        parts.append(tr(lang, f"비고: {version.note}", f"note: {version.note}"))
    return parts


def _view(version: Version, year: int) -> ResultView:
    """The version as the wording helpers take a result (the grade's label)."""
    return ResultView(
        0, year, str(scale_of(year)), version.grade, version.published_name,
        version.grading_group, version.score, version.group_avg, version.item_grades, "",
        version.note,
    )  # fmt: skip


def _load_text(load: Load, lang: Lang) -> str:
    """'bundled grades.csv · bundled data · 2026-03-01 09:00 UTC · 파일에 적힌 이름 전라북도'."""
    if load.source_file is None and load.at is None:
        return say(lang, UNKNOWN_LOAD)
    parts = [load.source_file or "", load.by or "", _when(load.at)]
    if load.written_name:
        parts.append(say(lang, WRITTEN, name=load.written_name))
    return " · ".join(part for part in parts if part)


def _source_text(entry: SourceEntry, lang: Lang) -> str:
    if entry.how == "loaded":
        return f"{entry.url} — {tr(lang, *THIS_LOAD)}"
    how = CONFIRMED_BY if entry.how == "confirmed" else KEPT_FROM
    return f"{entry.url} — {tr(lang, *how)}: {_load_text(entry.load, lang)}"


def _confirmation_text(version: Version, lang: Lang) -> str:
    urls = " ".join(version.sources)
    return f"{version.grade} · {urls} · {_load_text(version.load, lang)}"


def _version_text(version: Version, lang: Lang) -> str:
    """An earlier version: its grade and fields, name of record, sources, load, and when a
    later load replaced it."""
    parts = [f"*{version.grade}*", say(lang, OF_RECORD, name=version.published_name)]
    parts += _values(version, lang)
    parts.append(tr(lang, "출처 ", "sources ") + " ".join(version.sources))
    parts.append(_load_text(version.load, lang))
    if version.replaced_at is not None:
        parts.append(say(lang, REPLACED, at=_when(version.replaced_at)))
    return " · ".join(part for part in parts if part)


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at is not None else ""
