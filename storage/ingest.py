"""Loading official results: validate every row first, then write all or nothing.

A bad file is refused whole with ``row N, column X: …`` errors (rows numbered as a
spreadsheet shows them, the header being row 1). Loading the same file twice changes
nothing; a changed grade is an update recorded in the audit log; a year the database does
not know yet arrives as a draft.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from storage.db import Database
from storage.models import Agency, AgencyType, EvaluationYear, Result, YearStatus, utcnow
from storage.names import (
    REGION_NAMES,
    SHARED_LOCAL_NAMES,
    aliases_for,
    canonical_name,
    canonical_region,
    compact,
    local_group,
    region_allowed,
    region_of_full_name,
)
from storage.outbox import queue_corrections, queue_year
from storage.repositories import (
    AgencyRepository,
    AuditRepository,
    MetaRepository,
    ResultRepository,
    YearRepository,
    lock_for_writing,
)
from storage.scores import (
    OPTIONAL_IN_SCORE_SHEETS,
    SCORE_HEADERS,
    ScoreCells,
    ScoreCheck,
    ScoreReport,
    score_conflicts,
    write_scores,
)
from storage.sheets import Sheet, SheetError, read_sheet, read_sheet_bytes
from storage.yearconfig import MIN_YEAR, year_config

TYPE_ALIASES = {
    "중앙": AgencyType.CENTRAL, "중앙행정기관": AgencyType.CENTRAL, "central": AgencyType.CENTRAL,
    "광역": AgencyType.METROPOLITAN, "광역자치단체": AgencyType.METROPOLITAN,
    "시도": AgencyType.METROPOLITAN, "metropolitan": AgencyType.METROPOLITAN,
    "기초": AgencyType.LOCAL, "기초자치단체": AgencyType.LOCAL, "local": AgencyType.LOCAL,
    "교육청": AgencyType.EDUCATION, "시도교육청": AgencyType.EDUCATION,
    "education": AgencyType.EDUCATION,
}  # fmt: skip
TYPE_GROUP = {
    AgencyType.CENTRAL: "중앙",
    AgencyType.METROPOLITAN: "광역",
    AgencyType.EDUCATION: "교육청",
}
GROUPS = ("중앙", "광역", "교육청", "기초-시", "기초-군", "기초-구")
FIRST_GROUPED_YEAR = 2018
ITEM_NAMES = {
    "전략체계": "전략체계", "민원행정전략및체계": "전략체계", "민원행정전략체계": "전략체계",
    "제도운영": "제도운영", "민원제도운영": "제도운영",
    "국민신문고": "국민신문고", "국민신문고민원처리": "국민신문고",
    "고충민원": "고충민원", "고충민원처리": "고충민원",
    "만족도": "만족도", "민원만족도": "만족도",
}  # fmt: skip
INGEST_LOCK_ID = 74_510_302
MAX_ERRORS = 200
URL = re.compile(r"^https?://\S+$")
NAME = re.compile(r"^[가-힣A-Za-z0-9·()\- ]{2,60}$")


class IngestRefused(Exception):
    """The file was refused whole; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was written")
        self.errors = errors


@dataclass(frozen=True)
class Record:
    """One validated row, already in canonical form."""

    row: int
    year: int
    name: str  # current official name
    published_name: str
    region: str
    agency_type: AgencyType
    group: str | None
    grade: str  # "" only in a score sheet: its grade is computed, not official
    score: float | None
    group_avg: float | None
    item_grades: dict[str, str] | None
    source_url: str
    note: str
    scores: ScoreCells | None = None  # a score sheet's item scores (storage.scores)
    more_sources: str | None = None  # other supporting URLs, space-separated

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.name, self.region, self.agency_type.value)


@dataclass
class IngestReport:
    source: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    new_agencies: int = 0
    new_years: list[int] = field(default_factory=list)
    grade_changes: list[tuple[int, str, str, str]] = field(default_factory=list)
    changed_results: list[tuple[int, int, str, str]] = field(
        default_factory=list
    )  # agency, year, old, new
    announcements: int = 0
    dry_run: bool = False
    published_new_years: bool = False
    scores: ScoreReport | None = None  # a score sheet's scores and computed grades

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.new_years)

    @property
    def scores_changed(self) -> bool:
        return self.scores is not None and self.scores.changed

    def summary(self) -> str:
        verb = "would load" if self.dry_run else "loaded"
        parts = [f"{self.source}: {verb} {self.rows} rows — {self.inserted} new, "
                 f"{self.updated} updated, {self.unchanged} unchanged"]  # fmt: skip
        if self.new_agencies:
            parts.append(f"{self.new_agencies} new agencies")
        if self.scores is not None:
            parts[0] = parts[0].replace(" — ", " — official results: ", 1)
            parts.append(self.scores.summary())
        if self.new_years:
            years = ", ".join(str(y) for y in self.new_years)
            if self.published_new_years:
                parts.append(f"new year(s) {years} published")
            else:
                parts.append(
                    f"new year(s) {years} arrive as draft: publish with `minwon-bot publish YEAR`"
                )
        return "; ".join(parts)


@dataclass(frozen=True)
class KnownAgencies:
    """Where each agency name is known to be, and as what type, for the identity checks."""

    regions_by_name: dict[tuple[str, str], set[str]]
    types_by_name: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_agencies(cls, agencies: Iterable[Agency]) -> KnownAgencies:
        found: dict[tuple[str, str], set[str]] = {}
        types: dict[str, set[str]] = {}
        for agency in agencies:
            found.setdefault((agency.name, str(agency.agency_type)), set()).add(agency.region)
            types.setdefault(agency.name, set()).add(str(agency.agency_type))
        return cls(found, types)


# --- validation (pure) ---


def validate(sheet: Sheet, known: KnownAgencies, *, max_year: int | None = None) -> list[Record]:
    """Every row checked; raise :class:`IngestRefused` listing all problems, or return records."""
    max_year = max_year or date.today().year
    errors: list[str] = []
    records: list[Record] = []
    seen: dict[tuple[tuple[str, str, str], int], int] = {}
    placed: dict[tuple[str, str], tuple[str, int]] = {}  # (name, type) -> (region, row)
    typed: dict[str, tuple[str, int]] = {}  # name -> (type, row)
    scores = ScoreCheck.for_sheet(sheet)  # None unless the sheet has score columns
    for number, row in sheet.rows():
        problems: list[tuple[str, str]] = []
        record = _validate_row(number, row, known, max_year, problems, scores=scores)
        if scores is not None:
            record = scores.check_row(number, row, record, problems)
        if record is not None:
            _check_within_file(record, placed, typed, problems)
        if record is not None and not problems:
            key = (record.identity, record.year)
            if key in seen:
                problems.append(
                    ("agency", f"duplicate of row {seen[key]} ({record.name} {record.year})")
                )
            else:
                seen[key] = number
                records.append(record)
        errors += [f"row {number}, column {column}: {message}" for column, message in problems]
    errors = (scores.header_errors if scores else []) + errors
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = errors[:MAX_ERRORS] + [f"… and {len(errors) - MAX_ERRORS} more problems"]
        raise IngestRefused(errors)
    return records


def _check_within_file(
    record: Record,
    placed: dict[tuple[str, str], tuple[str, int]],
    typed: dict[str, tuple[str, int]],
    problems: list[tuple[str, str]],
) -> None:
    """One file cannot put one agency in two regions, or give one name two types."""
    kind, first = typed.setdefault(record.name, (record.agency_type.value, record.row))
    if kind != record.agency_type.value:
        problems.append(
            ("agency_type", f"row {first} of this file gives {record.name} the type {kind}")
        )
        return
    if record.agency_type is not AgencyType.LOCAL or record.name in SHARED_LOCAL_NAMES:
        return
    key = (record.name, record.agency_type.value)
    region, first = placed.setdefault(key, (record.region, record.row))
    if region != record.region:
        problems.append(
            (
                "region",
                f"'{record.region}' contradicts row {first}, which puts {record.name} in {region}",
            )
        )


def _validate_row(
    number: int,
    row: dict[str, str],
    known: KnownAgencies,
    max_year: int,
    problems: list[tuple[str, str]],
    *,
    scores: ScoreCheck | None = None,
) -> Record | None:
    year = _year(row["year"], max_year, problems)
    agency_type = _agency_type(row["agency_type"], problems)
    published = row["agency"]
    if not published:
        problems.append(("agency", "missing"))
    elif not NAME.match(published):
        problems.append(("agency", f"'{published[:40]}' does not look like an agency name"))
    region = _region(row["region"], agency_type, problems)
    # Checks that need no year or agency run now, so a row lists every problem at once.
    late: list[tuple[str, str]] = []
    score = _number(row["score"], "score", late)
    group_avg = _number(row["group_avg"], "group_avg", late)
    url = row["source_url"]
    if not URL.match(url) and not (scores and not url and scores.simulated(row)):
        late.append(("source_url", "missing" if not url else f"'{url[:60]}' is not an http(s) URL"))
    late += [("more_sources", f"'{u[:60]}' is not an http(s) URL") for u in row["more_sources"].split() if not URL.match(u)]  # fmt: skip
    if year is None or agency_type is None or region is None or problems:
        problems += late
        return None
    name = canonical_name(published)
    current_region = canonical_region(name, region)
    other_types = known.types_by_name.get(name, set())
    if other_types and agency_type.value not in other_types:
        problems.append(("agency_type", f"{name} is known as {', '.join(sorted(other_types))}"))
        problems += late
        return None
    _check_identity(name, region, current_region, agency_type, year, known, problems)
    group = _group(row["group"], name, agency_type, year, problems)
    config = year_config(year)
    grade = row["grade"]
    if not grade and scores is None:  # a score sheet's grade is computed
        problems.append(("grade", "missing"))
    elif grade and grade not in config.grades:
        problems.append(
            ("grade", f"'{grade}' is not a grade of {year} (allowed: {', '.join(config.grades)})")
        )
    items = _item_grades(row["item_grades"], config.grades, problems)
    problems += late
    if problems:
        return None
    return Record(
        row=number, year=year, name=name, published_name=published, region=current_region,
        agency_type=agency_type, group=group, grade=grade, score=score, group_avg=group_avg,
        item_grades=items, source_url=url, note=row["note"], more_sources=row["more_sources"] or None,
    )  # fmt: skip


def _year(text: str, max_year: int, problems: list[tuple[str, str]]) -> int | None:
    match = re.fullmatch(r"(\d{4})(?:\.0+)?\s*년?", text)
    if not match:
        problems.append(("year", "missing" if not text else f"'{text[:20]}' is not a year"))
        return None
    year = int(match.group(1))
    if not MIN_YEAR <= year <= max_year:
        problems.append(("year", f"{year} is out of range ({MIN_YEAR}–{max_year})"))
        return None
    return year


def _agency_type(text: str, problems: list[tuple[str, str]]) -> AgencyType | None:
    if not text:
        problems.append(("agency_type", "missing"))
        return None
    found = TYPE_ALIASES.get(text.replace(" ", "").lower())
    if found is None:
        allowed = ", ".join(t.value for t in AgencyType)
        problems.append(("agency_type", f"unknown type '{text[:30]}' (allowed: {allowed})"))
    return found


def _region(
    text: str, agency_type: AgencyType | None, problems: list[tuple[str, str]]
) -> str | None:
    if agency_type is AgencyType.CENTRAL:
        if text:
            problems.append(("region", f"a central agency has no region (got '{text[:20]}')"))
            return None
        return ""
    if not text:
        if agency_type is not None:
            problems.append(("region", "missing (required for all but central agencies)"))
        return None
    region = region_of_full_name(text.replace(" ", ""))
    if region is None:
        problems.append(("region", f"unknown region '{text[:20]}' (use 서울, 경남, …)"))
    return region


def _check_identity(
    name: str, region: str, current_region: str, agency_type: AgencyType, year: int,
    known: KnownAgencies, problems: list[tuple[str, str]],
) -> None:  # fmt: skip
    if agency_type in (AgencyType.METROPOLITAN, AgencyType.EDUCATION):
        own = _region_in_name(name)
        if own is None:
            problems.append(("agency", f"'{name}' is not a {agency_type.value} name"))
        elif own != region:
            problems.append(("region", f"'{region}' contradicts {name}, which is in {own}"))
        return
    if agency_type is AgencyType.LOCAL:
        if local_group(name) is None:
            problems.append(("agency", f"a 기초자치단체 name ends in 시, 군 or 구 (got '{name}')"))
            return
        if not region_allowed(name, region, year, current_region):
            problems.append(
                ("region", f"'{region}' is wrong for {name} in {year} (it is in {current_region})")
            )
            return
        if name in SHARED_LOCAL_NAMES:
            return
        places = known.regions_by_name.get((name, agency_type.value), set()) - {current_region}
        if places:
            problems.append(
                (
                    "region",
                    f"'{region}' contradicts {name}'s known region {', '.join(sorted(places))}",
                )
            )


def _region_in_name(name: str) -> str | None:
    for abbr, names in REGION_NAMES.items():
        if any(name.startswith(full) for full in names):
            return abbr
    return None


def _group(
    text: str, name: str, agency_type: AgencyType, year: int, problems: list[tuple[str, str]]
) -> str | None:
    expected = TYPE_GROUP.get(agency_type) or local_group(name)
    if not text:
        return expected if year >= FIRST_GROUPED_YEAR else None
    if text not in GROUPS:
        problems.append(("group", f"unknown group '{text[:20]}' (allowed: {', '.join(GROUPS)})"))
    elif text != expected:
        problems.append(
            ("group", f"'{text}' does not fit {name} ({agency_type.value}): expected {expected}")
        )
    return text


def _number(text: str, column: str, problems: list[tuple[str, str]]) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append((column, f"'{text[:20]}' is not a number"))
        return None
    if not 0 <= value <= 100:
        problems.append((column, f"{value} is outside 0–100"))
        return None
    return value


def _item_grades(
    text: str, grades: tuple[str, ...], problems: list[tuple[str, str]]
) -> dict[str, str] | None:
    if not text:
        return None
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, grade = part.partition("=")
        item = ITEM_NAMES.get(compact(key))
        if not sep or item is None:
            problems.append(
                (
                    "item_grades",
                    f"'{part[:30]}' is not item=grade (items: 전략체계, 제도운영, 국민신문고, 고충민원, 만족도)",
                )
            )
        elif grade.strip() not in grades:
            problems.append(("item_grades", f"'{grade.strip()}' is not a grade ({item})"))
        elif item in found:
            problems.append(("item_grades", f"{item} appears twice"))
        else:
            found[item] = grade.strip()
    return found or None


# --- writing ---


async def ingest_file(
    db: Database,
    path: Path | str,
    *,
    actor: str,
    dry_run: bool = False,
    publish_new_years: bool = False,
) -> IngestReport:
    """Validate ``path`` and load it in one transaction (or only report, with ``dry_run``)."""
    try:
        sheet = read_sheet(
            path, extra_columns=SCORE_HEADERS, optional_with_extras=OPTIONAL_IN_SCORE_SHEETS
        )
    except SheetError as exc:
        raise IngestRefused(exc.errors) from exc
    return await ingest_sheet(
        db, sheet, actor=actor, dry_run=dry_run, publish_new_years=publish_new_years
    )


async def ingest_bytes(
    db: Database, data: bytes, *, name: str, actor: str, dry_run: bool = False
) -> IngestReport:
    try:
        sheet = read_sheet_bytes(
            data,
            name=name,
            extra_columns=SCORE_HEADERS,
            optional_with_extras=OPTIONAL_IN_SCORE_SHEETS,
        )
    except SheetError as exc:
        raise IngestRefused(exc.errors) from exc
    return await ingest_sheet(db, sheet, actor=actor, dry_run=dry_run)


class _DryRun(Exception):
    pass


async def ingest_sheet(
    db: Database,
    sheet: Sheet,
    *,
    actor: str,
    dry_run: bool = False,
    publish_new_years: bool = False,
    meta: dict[str, str] | None = None,
) -> IngestReport:
    """Validate ``sheet`` and write it in one transaction; ``meta`` keys are written with it."""
    report = IngestReport(source=sheet.name, dry_run=dry_run, published_new_years=publish_new_years)
    try:
        async with db.unit_of_work() as session:
            # One ingest at a time across instances, and every read below sees the last
            # ingest's rows (two loads of one new file must not both insert it).
            await lock_for_writing(session, INGEST_LOCK_ID)
            known = KnownAgencies.from_agencies(await AgencyRepository(session).list_all())
            records = validate(sheet, known)
            report.rows = len(records)
            scored = [record for record in records if record.scores is not None]
            conflicts = await score_conflicts(session, scored)
            if conflicts:
                raise IngestRefused(conflicts)
            ids = await _apply(
                session, records, report, actor=actor, publish_new_years=publish_new_years,
                keep=_fields_not_in(sheet),
            )  # fmt: skip
            if scored:
                report.scores = await write_scores(
                    session, scored, ids, actor=actor, source_file=sheet.name
                )
            for key, value in (meta or {}).items():
                await MetaRepository(session).put(key, value)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


# Optional columns and the result fields they fill: a file without the column leaves them.
OPTIONAL_FIELDS = {
    "score": "score",
    "group_avg": "group_avg",
    "item_grades": "item_grades",
    "note": "note",
    "group": "grading_group",
    "more_sources": "more_sources",
}


def _fields_not_in(sheet: Sheet) -> frozenset[str]:
    return frozenset(
        field for column, field in OPTIONAL_FIELDS.items() if column not in sheet.present
    )


async def _apply(
    session: Any,
    records: list[Record],
    report: IngestReport,
    *,
    actor: str,
    publish_new_years: bool,
    keep: frozenset[str] = frozenset(),
) -> dict[tuple[str, str, str], int]:
    """Write the official results; return every record's agency id (score rows included)."""
    agencies = AgencyRepository(session)
    results = ResultRepository(session)
    years = YearRepository(session)
    audit = AuditRepository(session)
    cache = {(a.name, a.region, str(a.agency_type)): a for a in await agencies.list_all()}
    existing = {
        (r.agency_id, r.year): r
        for r in await results.list_for_years({r.year for r in records}, include_drafts=True)
    }
    ids: dict[tuple[str, str, str], int] = {}
    for record in records:
        if record.grade or not (record.scores and record.scores.simulated):
            await _ensure_year(years, record.year, report, publish=publish_new_years)
        agency = await _ensure_agency(agencies, record, cache, report)
        ids[record.identity] = agency.id
        if not record.grade:  # score row: no official result (storage.scores writes it)
            continue
        await _upsert_result(
            results,
            audit,
            agency,
            existing.get((agency.id, record.year)),
            record,
            report,
            actor=actor,
            keep=keep,
        )
    for year in report.new_years:
        await audit.add(actor=actor, action="year_added", year=year, source_file=report.source,
                        new_value=YearStatus.PUBLISHED if publish_new_years else YearStatus.DRAFT)  # fmt: skip
    if report.changed:
        await MetaRepository(session).bump_data_version()
    official = [record for record in records if record.grade]
    report.announcements = await _announce_changes(session, years, official, report)
    return ids


async def _announce_changes(
    session: Any, years: YearRepository, records: list[Record], report: IngestReport
) -> int:
    """New or changed results of an already published year reach subscribers in the same
    transaction: new rows as alerts, changed grades as corrections of what was sent."""
    published = {y.year for y in await years.list_years() if y.year not in report.new_years}
    touched = sorted({r.year for r in records} & published)
    if not touched or not report.changed:
        return 0
    queued = await queue_corrections(
        session, [c for c in report.changed_results if c[1] in published]
    )
    for year in touched:
        queued += await queue_year(session, year, announce_channel=None)
    return queued


async def _ensure_year(
    years: YearRepository, year: int, report: IngestReport, *, publish: bool
) -> None:
    if year in report.new_years or await years.get_by_year(year) is not None:
        return
    config = year_config(year)
    status = YearStatus.PUBLISHED if publish else YearStatus.DRAFT
    await years.add(EvaluationYear(
        year=year, scale=config.scale, status=status, bands=list(config.cumulative),
        rounding=config.rounding, period=config.period, agencies_evaluated=config.evaluated,
        agencies_graded=config.graded, announced=config.announced, source=config.source,
    ))  # fmt: skip
    report.new_years.append(year)


async def _ensure_agency(
    agencies: AgencyRepository,
    record: Record,
    cache: dict[tuple[str, str, str], Agency],
    report: IngestReport,
) -> Agency:
    agency = cache.get(record.identity)  # every known agency, read under the write lock
    if agency is None:
        aliases = aliases_for(record.name, record.region, record.agency_type)
        group = record.group or TYPE_GROUP.get(record.agency_type) or local_group(record.name)
        agency = Agency(
            name=record.name,
            region=record.region,
            agency_type=record.agency_type,
            grading_group=group,
        )
        await agencies.add(agency, aliases=aliases)
        report.new_agencies += 1
    cache[record.identity] = agency
    return agency


RESULT_FIELDS = (
    "grade",
    "published_name",
    "grading_group",
    "score",
    "group_avg",
    "item_grades",
    "source_url",
    "note",
    "more_sources",
)


async def _upsert_result(
    results: ResultRepository, audit: AuditRepository, agency: Agency, existing: Result | None, record: Record,
    report: IngestReport, *, actor: str, keep: frozenset[str] = frozenset(),
) -> None:  # fmt: skip
    """Insert, or update what differs; fields whose column the file lacks (``keep``) stay."""
    values = {
        "grade": record.grade, "published_name": record.published_name, "grading_group": record.group,
        "score": record.score, "group_avg": record.group_avg, "item_grades": record.item_grades,
        "source_url": record.source_url, "note": record.note, "more_sources": record.more_sources,
    }  # fmt: skip
    if existing is None:
        scale = year_config(record.year).scale
        results.add_pending(Result(agency_id=agency.id, year=record.year, scale=scale, **values))
        report.inserted += 1
        return
    changed = {
        key: value
        for key, value in values.items()
        if key not in keep and getattr(existing, key) != value
    }
    if not changed:
        report.unchanged += 1
        return
    old_grade = existing.grade
    for key, value in changed.items():
        setattr(existing, key, value)
    existing.updated_at = utcnow()
    report.updated += 1
    action = "grade_changed" if "grade" in changed else "result_updated"
    if "grade" in changed:
        report.grade_changes.append((record.year, agency.name, old_grade, record.grade))
        report.changed_results.append((agency.id, record.year, old_grade, record.grade))
    await audit.add(
        actor=actor, action=action, year=record.year, agency_id=agency.id, old_value=old_grade,
        new_value=record.grade, source_file=report.source, detail={"fields": sorted(changed)},
    )  # fmt: skip
