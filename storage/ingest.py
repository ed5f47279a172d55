"""Loading official results: validate every row first (:mod:`intake.validation`), then
write all or nothing in one transaction, queueing the announcements the changes imply
(:mod:`storage.alerts`) in the same transaction.

Loading the same file twice changes nothing; a changed grade is an update recorded in the
audit log; a year the database does not know yet arrives as a draft.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.groups import TYPE_GROUP, AgencyType
from domain.regions import region_in_name
from domain.years import scale_of, year_config
from intake.documents import MAX_ROWS as MAX_TABLE_ROWS
from intake.documents import DocumentError, decode, kind_of
from intake.official_tables import OfficialTable, read_official_table, read_official_text
from intake.records import GradeChange, Record
from intake.reports import IngestReport, RowChange, YearMatch, better_year
from intake.score_cells import OPTIONAL_IN_SCORE_SHEETS, SCORE_HEADERS
from intake.sheets import Sheet, SheetError, file_bytes, read_sheet_bytes, sheet_of_rows
from intake.validation import IngestRefused, KnownAgencies, StoredAgency, validate
from storage.agency_catalog import agency_catalog, catalog_agency, new_agency_aliases
from storage.alerts import queue_corrections, queue_year
from storage.db import Database
from storage.history import more_sources, source_list
from storage.models import (
    Agency,
    AuditEntry,
    EvaluationYear,
    HistoryKind,
    Result,
    ResultHistory,
    YearStatus,
    utcnow,
)
from storage.repositories import (
    RESULTS_LOCK_ID,
    AgencyRepository,
    AuditRepository,
    MetaRepository,
    YearRepository,
    lock_for_writing,
)
from storage.scores import score_conflicts, write_scores

__all__ = [
    "CorrectionRefused",
    "IngestRefused",
    "IngestReport",
    "ingest_bytes",
    "ingest_file",
    "ingest_sheet",
    "ingest_text",
    "keep_pasted",
    "pasted_text",
    "read_official_text",
    "pasted_table",
    "read_results",
]


async def ingest_file(
    db: Database,
    path: Path | str,
    *,
    actor: str,
    dry_run: bool = False,
    publish_new_years: bool = False,
    new_agencies: bool = False,
    year: int | None = None,
    source_url: str | None = None,
    correct: bool = False,
) -> IngestReport:
    """Validate ``path`` (either layout, see :func:`read_results`) and load it in one
    transaction (or only report, with ``dry_run``); ``new_agencies`` lets rows add agencies
    the catalog lacks (audited, listed); ``correct`` lets it change published grades."""
    path = Path(path)
    try:
        data = file_bytes(path)
    except SheetError as exc:
        raise IngestRefused(exc.errors) from exc
    sheet = read_results(data, name=path.name, year=year, source_url=source_url)
    return await ingest_sheet(
        db,
        sheet,
        actor=actor,
        dry_run=dry_run,
        publish_new_years=publish_new_years,
        new_agencies=new_agencies,
        correct=correct,
    )


async def ingest_bytes(
    db: Database,
    data: bytes,
    *,
    name: str,
    actor: str,
    dry_run: bool = False,
    new_agencies: bool = False,
    year: int | None = None,
    source_url: str | None = None,
    correct: bool = False,
) -> IngestReport:
    """Like :func:`ingest_file`, for a file's bytes (a Slack upload, stdin) named ``name``."""
    sheet = read_results(data, name=name, year=year, source_url=source_url)
    return await ingest_sheet(
        db, sheet, actor=actor, dry_run=dry_run, new_agencies=new_agencies, correct=correct
    )


async def ingest_text(
    db: Database,
    text: str,
    *,
    name: str,
    actor: str,
    dry_run: bool = False,
    correct: bool = False,
) -> IngestReport:
    """Load an official table pasted into a message (see :func:`pasted_table`)."""
    sheet = pasted_table(text, name=name)
    if sheet is None:
        raise IngestRefused([f"{name}: no results table (one row per group, one column per grade)"])
    return await ingest_sheet(db, sheet, actor=actor, dry_run=dry_run, correct=correct)


PASTED_KEY = "pasted:"  # meta keys of pasted tables kept for their Load button


async def keep_pasted(db: Database, text: str) -> str:
    """Keep a pasted table's text until its *Load* button is pressed; return its key (the
    text's digest: pasting the same table twice keeps it once)."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    async with db.unit_of_work() as session:
        await MetaRepository(session).put(PASTED_KEY + key, text)
    return key


async def pasted_text(db: Database, key: str) -> str | None:
    """The pasted table kept under ``key``; None when there is none."""
    if not key.isalnum():
        return None
    async with db.unit_of_work() as session:
        return await MetaRepository(session).get_by_key(PASTED_KEY + key)


def read_results(
    data: bytes, *, name: str, year: int | None = None, source_url: str | None = None
) -> Sheet:
    """Either layout as one :class:`Sheet`: the ministry's official table (one row per
    grading group, one column per grade: CSV, TSV, XLSX, HWPX, PDF), its cells turned into
    rows named by their cells; or the one-row-per-agency sheet of grades.csv's columns."""
    table = None
    if not _too_long_for_a_table(data, name):
        table = _read_table(data, name=name, year=year, source_url=source_url)
    if table is not None:
        return table_sheet(table, name=name)
    if year is not None or source_url is not None:
        raise IngestRefused(
            [
                f"{name}: --year and --source are for official result tables; this file has "
                "one row per agency, each with its own year and source"
            ]
        )
    try:
        return read_sheet_bytes(
            data,
            name=name,
            extra_columns=SCORE_HEADERS,
            optional_with_extras=OPTIONAL_IN_SCORE_SHEETS,
        )
    except SheetError as exc:
        raise IngestRefused(exc.errors) from exc


def _too_long_for_a_table(data: bytes, name: str) -> bool:
    """A CSV/TSV with more lines than an official table may have rows (the reader would
    refuse it as one anyway): skip parsing it twice."""
    return kind_of(data, name) in ("CSV", "TSV", "text") and data.count(b"\n") > MAX_TABLE_ROWS


def _read_table(
    data: bytes, *, name: str, year: int | None, source_url: str | None
) -> OfficialTable | None:
    """The official table a file holds, if it is one. Text (a ``.txt`` file, stdin) is read
    as a table pasted into a DM is: tabbed or ``|`` rows, or '가: 김해시, 양산시' lines."""
    if kind_of(data, name) == "text":
        try:
            text = decode(data)
        except DocumentError as exc:
            raise IngestRefused([f"{name}: {exc}"]) from exc
        return read_official_text(text, name=name, year=year, source_url=source_url)
    return read_official_table(data, name=name, year=year, source_url=source_url)


def pasted_table(text: str, *, name: str) -> Sheet | None:
    """An official table pasted into a message as a :class:`Sheet`; None when the text is
    no such table (an ordinary question); refused with its problems when it is one.
    A table takes lines (a group heading or header, then grades): one line never is."""
    if sum(bool(line.strip()) for line in text.splitlines()) < MIN_TABLE_LINES:
        return None
    table = read_official_text(text, name=name)
    return None if table is None else table_sheet(table, name=name)


def table_sheet(table: OfficialTable, *, name: str) -> Sheet:
    """An official table's cells as rows, or refused whole with each problem's place."""
    if table.problems or not table.cells:
        problems = [f"{where}: {message}" for where, message in table.problems]
        raise IngestRefused(problems or [f"{name}: no agency names under the grade columns"])
    places = tuple(
        f"{cell.where}, {cell.name}({cell.region})" if cell.region else f"{cell.where}, {cell.name}"
        for cell in table.cells
    )
    rows = table.rows()
    for row in rows:
        if not row["region"] and row["group"] in REGION_NAMED_GROUPS:
            row["region"] = region_in_name(row["agency"], abbreviated=True) or ""
    return sheet_of_rows(rows, name=name, places=places)


MIN_TABLE_LINES = 3
# Groups whose agencies carry their region in their name (서울특별시, 부산광역시교육청).
REGION_NAMED_GROUPS = frozenset(
    TYPE_GROUP[kind] for kind in (AgencyType.METROPOLITAN, AgencyType.EDUCATION)
)


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
    new_agencies: bool = False,
    correct: bool = False,
) -> IngestReport:
    """Validate ``sheet`` and write it in one transaction; ``meta`` keys are written with it.
    Every row must name one catalog agency of its year; ``new_agencies`` lets a row with a
    region and type add one the catalog lacks. A load that would change grades of a
    published year is refused (:class:`CorrectionRefused`, naming each change) unless
    ``correct``; a dry run reports it instead."""
    report = IngestReport(
        source=sheet.name,
        dry_run=dry_run,
        published_new_years=publish_new_years,
        headers=dict(sheet.headers),
    )
    try:
        async with db.unit_of_work() as session:
            # One ingest at a time across instances, and every read below sees the last
            # ingest's rows (two loads of one new file must not both insert it).
            await lock_for_writing(session, RESULTS_LOCK_ID)
            stored = await AgencyRepository(session).list_all()
            known = KnownAgencies.from_stored(
                [_stored(agency) for agency in stored], agency_catalog(), allow_new=new_agencies
            )
            records = validate(sheet, known)
            report.notes += [f"row {r.row}: {r.name_note}" for r in records if r.name_note]
            report.rows = len(records)
            scored = [record for record in records if record.scores is not None]
            conflicts = await score_conflicts(session, scored)
            if conflicts:
                raise IngestRefused(conflicts)
            ids = await _apply(
                session,
                records,
                report,
                actor=actor,
                publish_new_years=publish_new_years,
                keep=_fields_not_in(sheet),
                correct=correct or dry_run,
            )
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
    session: AsyncSession,
    records: list[Record],
    report: IngestReport,
    *,
    actor: str,
    publish_new_years: bool,
    keep: frozenset[str],
    correct: bool,
) -> dict[tuple[str, str, str], int]:
    """Write the official results; return every record's agency id (score rows included).

    Bulk: the stored results of the file's years are read in one query, and the new rows,
    the changed rows, their history and audit entries are each written in batches
    (executemany), so 100,000 rows take seconds; all of it in the caller's one transaction.
    Grades of a published year change only when ``correct`` (else :class:`CorrectionRefused`
    before anything is written)."""
    agencies = AgencyRepository(session)
    years = YearRepository(session)
    audit = AuditRepository(session)
    cache = {(a.name, a.region, str(a.agency_type)): a for a in await agencies.list_all()}
    file_years = {r.year for r in records}
    existing = await _stored_results(session, file_years)
    report.published_years = {y.year for y in await years.list_years()} & file_years
    known_years: set[int] = set()
    writes = _Writes(load=_Load(report.source, actor, utcnow()))
    ids: dict[tuple[str, str, str], int] = {}
    for record in records:
        if record.year not in known_years and (
            record.grade or not (record.scores and record.scores.simulated)
        ):
            await _ensure_year(years, record.year, report, publish=publish_new_years)
            known_years.add(record.year)
        agency = await _ensure_agency(agencies, audit, record, cache, report, actor=actor)
        ids[record.identity] = agency.id
        if not record.grade:  # score row: no official result (storage.scores writes it)
            continue
        stored = existing.get((agency.id, record.year))
        _plan_result(writes, agency, stored, record, report, keep=keep)
    official = [record for record in records if record.grade]
    if len(file_years) == 1 and official:
        report.year_hint = await _year_hint(session, official, ids, existing)
    if report.corrections and not correct:
        raise CorrectionRefused(report)
    await writes.flush(session)
    for year in report.new_years:
        await audit.add(
            actor=actor,
            action="year_added",
            year=year,
            source_file=report.source,
            new_value=YearStatus.PUBLISHED if publish_new_years else YearStatus.DRAFT,
        )
    if report.changed:
        await MetaRepository(session).bump_data_version()
    report.announcements = await _announce_changes(session, years, official, report)
    return ids


async def _announce_changes(
    session: AsyncSession, years: YearRepository, records: list[Record], report: IngestReport
) -> int:
    """New or changed results of an already published year reach subscribers in the same
    transaction: new rows as alerts, changed grades as corrections of what was sent."""
    published = {y.year for y in await years.list_years() if y.year not in report.new_years}
    touched = sorted({r.year for r in records} & published)
    if not touched or not report.changed:
        return 0
    queued = await queue_corrections(
        session, [change for change in report.changed_results if change.year in published]
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
    await years.add(
        EvaluationYear(
            year=year,
            scale=config.scale,
            status=status,
            bands=list(config.cumulative),
            rounding=config.rounding,
            period=config.period,
            agencies_evaluated=config.evaluated,
            agencies_graded=config.graded,
            announced=config.announced,
            source=config.source,
        )
    )
    report.new_years.append(year)


async def _ensure_agency(
    agencies: AgencyRepository,
    audit: AuditRepository,
    record: Record,
    cache: dict[tuple[str, str, str], Agency],
    report: IngestReport,
    *,
    actor: str,
) -> Agency:
    """The stored agency of a validated row. Catalog agencies are seeded on start (one not
    seeded yet gets its catalog row here); an agency outside the catalog is only ever
    created for a row the operator marked new (``--new-agencies``), audited."""
    agency = cache.get(record.identity)  # every known agency, read under the write lock
    if agency is None:
        identity = agency_catalog().get(record.catalog_key) if record.catalog_key else None
        if identity is not None:
            agency = catalog_agency(identity)
            aliases = agency_catalog().aliases_of(identity.key)
        elif record.new_agency:
            agency = Agency(
                name=record.name,
                region=record.region,
                agency_type=record.agency_type,
                grading_group=record.group,
            )
            aliases = new_agency_aliases(record.name, record.region, record.agency_type)
        else:  # validation lets no other row through
            raise IngestRefused([f"row {record.row}: {record.name} is not a known agency"])
        await agencies.add(agency, aliases=aliases)
        if identity is None:
            report.new_agencies += 1
            report.added_agencies.append(record.label)
            await audit.add(
                actor=actor,
                action="agency_added",
                year=record.year,
                agency_id=agency.id,
                new_value=record.label,
                source_file=report.source,
                detail={"region": record.region, "agency_type": record.agency_type.value},
            )
    cache[record.identity] = agency
    return agency


# A result's values: a load whose values differ (where the file has the column) makes a new
# version and keeps the earlier one in the history.
VALUE_FIELDS = ("grade", "grading_group", "score", "group_avg", "item_grades", "note")
# Where each version came from; kept with it when a later load replaces it.
PROVENANCE = ("written_name", "source_file", "loaded_by", "loaded_at")
RESULT_FIELDS = (*VALUE_FIELDS, "published_name", "source_url", "more_sources", *PROVENANCE)
# A result's field -> the file's column that fills it (to name it by the file's header).
FIELD_COLUMNS = {"published_name": "agency", "grading_group": "group"}
BATCH = 2_000


class CorrectionRefused(IngestRefused):
    """The load would change grades of a published year and the operator did not say it is
    a correction (``--correct``, or Slack's correction preview): each change is listed."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(report.correction_refusal())
        self.report = report


@dataclass(frozen=True)
class _Load:
    """Who loads which file when: every version and confirmation this load writes says so."""

    source_file: str
    actor: str
    at: datetime


@dataclass
class _Writes:
    """Rows to insert, rows to update, their history and audit entries, written in batches
    at the end."""

    load: _Load
    inserts: list[dict[str, Any]] = dc_field(default_factory=list)
    updates: list[dict[str, Any]] = dc_field(default_factory=list)
    history: list[dict[str, Any]] = dc_field(default_factory=list)
    audits: list[dict[str, Any]] = dc_field(default_factory=list)

    def provenance(self, record: Record) -> dict[str, Any]:
        return {
            "written_name": record.written_name[:100] or None,
            "source_file": self.load.source_file,
            "loaded_by": self.load.actor,
            "loaded_at": self.load.at,
        }

    async def flush(self, session: AsyncSession) -> None:
        results, audit = cast(Table, Result.__table__), cast(Table, AuditEntry.__table__)
        await _in_batches(session, insert(results), self.inserts)
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in self.updates:  # one statement per set of changed columns
            by_columns.setdefault(tuple(sorted(row)), []).append(
                {f"new_{key}": value for key, value in row.items()}
            )
        for columns, rows in by_columns.items():
            statement = (
                update(results)
                .where(results.c.id == bindparam("new_id"))
                .values({key: bindparam(f"new_{key}") for key in columns if key != "id"})
            )
            await _in_batches(session, statement, rows)
        await _in_batches(session, insert(cast(Table, ResultHistory.__table__)), self.history)
        await _in_batches(session, insert(audit), self.audits)


async def _in_batches(session: AsyncSession, statement: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany per :data:`BATCH` rows (Core: no ORM objects to track)."""
    for start in range(0, len(rows), BATCH):
        await session.execute(statement, rows[start : start + BATCH])


async def _stored_results(
    session: AsyncSession, years: set[int]
) -> dict[tuple[int, int], dict[str, Any]]:
    """(agency id, year) -> the stored result's id and fields, drafts included: one query."""
    if not years:
        return {}
    columns = [
        Result.id,
        Result.agency_id,
        Result.year,
        *(getattr(Result, f) for f in RESULT_FIELDS),
    ]
    rows = await session.execute(select(*columns).where(Result.year.in_(sorted(years))))
    keys = ("id", "agency_id", "year", *RESULT_FIELDS)
    return {(row[1], row[2]): dict(zip(keys, row, strict=True)) for row in rows}


def _plan_result(
    writes: _Writes,
    agency: Agency,
    existing: dict[str, Any] | None,
    record: Record,
    report: IngestReport,
    *,
    keep: frozenset[str] = frozenset(),
) -> None:
    """Insert; or, for a stored result, a new version when its values differ (the earlier
    one kept in the history), a confirmation when only its sources are new (added beside
    the others), or nothing. Fields whose column the file lacks (``keep``) stay. The name of
    record is the catalog's: a file's former or short name never replaces it."""
    values = {
        "grade": record.grade,
        "grading_group": record.group,
        "score": record.score,
        "group_avg": record.group_avg,
        "item_grades": record.item_grades,
        "note": record.note,
    }
    if existing is None:
        writes.inserts.append(
            {
                "agency_id": agency.id,
                "year": record.year,
                "scale": scale_of(record.year),
                **values,
                "published_name": record.published_name,
                "source_url": record.source_url,
                "more_sources": record.more_sources,
                **writes.provenance(record),
            }
        )
        report.inserted += 1
        return
    changed = {
        key: value for key, value in values.items() if key not in keep and existing[key] != value
    }
    if existing["published_name"] not in record.year_names:  # not a name of that year
        changed["published_name"] = record.published_name
    if changed:
        _plan_version(writes, agency, existing, record, report, changed, keep)
        return
    added = [url for url in _sources_of(record, keep) if url not in _sources(existing)]
    if not added:
        report.unchanged += 1
        return
    _plan_confirmation(writes, agency, existing, record, report, added, keep)


def _sources(row: dict[str, Any]) -> list[str]:
    """A stored result's or history row's source URLs, its main one first."""
    return source_list(row["source_url"], row["more_sources"])


def _sources_of(record: Record, keep: frozenset[str]) -> list[str]:
    return source_list(record.source_url, None if "more_sources" in keep else record.more_sources)


def _plan_version(
    writes: _Writes,
    agency: Agency,
    existing: dict[str, Any],
    record: Record,
    report: IngestReport,
    changed: dict[str, Any],
    keep: frozenset[str],
) -> None:
    """A new version: the earlier one goes whole into the history; the result takes the
    file's values and sources, and keeps the earlier sources beside them while they still
    support something it holds: the grade, when unchanged (a note or score corrected), or
    a field it carries over (a score or note the file has no column for)."""
    writes.history.append(_history_row(existing, HistoryKind.REPLACED, writes.load.at))
    sources = _sources_of(record, keep)
    carried = [key for key in keep & set(VALUE_FIELDS) if existing[key] not in (None, "")]
    if carried or "grade" not in changed:
        sources += [url for url in _sources(existing) if url not in sources]
    writes.updates.append(
        {
            "id": existing["id"],
            **changed,
            "source_url": sources[0],
            "more_sources": more_sources(sources),
            **writes.provenance(record),
            "updated_at": writes.load.at,
        }
    )
    _report_version(agency, existing, record, report, changed)
    writes.audits.append(_audit_row(writes.load, agency, existing, record, report, changed))


def _report_version(
    agency: Agency,
    existing: dict[str, Any],
    record: Record,
    report: IngestReport,
    changed: dict[str, Any],
) -> None:
    """The report's line for a new version (before → after, the other columns changed) and
    its grade change, which a published year's subscribers hear as a correction."""
    report.updated += 1
    old_grade = existing["grade"]
    columns = [FIELD_COLUMNS.get(key, key) for key in changed if key != "grade"]
    if record.source_url != existing["source_url"]:
        columns.append("source_url")
    label = _label(agency, changed.get("published_name", existing["published_name"]))
    report.updates.append(
        RowChange(record.year, label, old_grade, record.grade, tuple(columns), record.row)
    )
    if "grade" in changed:
        report.grade_changes.append((record.year, agency.name, old_grade, record.grade))
        report.changed_results.append(GradeChange(agency.id, record.year, old_grade, record.grade))


def _audit_row(
    load: _Load,
    agency: Agency,
    existing: dict[str, Any],
    record: Record,
    report: IngestReport,
    changed: dict[str, Any],
) -> dict[str, Any]:
    return {
        "actor": load.actor,
        "action": "grade_changed" if "grade" in changed else "result_updated",
        "year": record.year,
        "agency_id": agency.id,
        "old_value": existing["grade"],
        "new_value": record.grade,
        "source_file": report.source,
        "detail": {
            "fields": sorted(changed),
            "earlier_sources": _sources(existing),
            "written_name": record.written_name,
            "correction": record.year in report.published_years and "grade" in changed,
        },
        "at": load.at,
    }


def _plan_confirmation(
    writes: _Writes,
    agency: Agency,
    existing: dict[str, Any],
    record: Record,
    report: IngestReport,
    added: list[str],
    keep: frozenset[str],
) -> None:
    """The same result from another source: the source goes beside the others, and the
    load (with the name as its file wrote it) into the history."""
    sources = _sources(existing) + added
    writes.updates.append(
        {
            "id": existing["id"],
            "more_sources": more_sources(sources),
            "updated_at": writes.load.at,
        }
    )
    confirmation = {**existing, "source_url": record.source_url}
    confirmation["more_sources"] = more_sources(_sources_of(record, keep))
    confirmation.update(writes.provenance(record))
    writes.history.append(_history_row(confirmation, HistoryKind.CONFIRMED, writes.load.at))
    label = _label(agency, existing["published_name"])
    report.confirmed.append(
        RowChange(record.year, label, record.grade, record.grade, (), record.row)
    )


def _label(agency: Agency, name: str) -> str:
    """How a report names a result: its name of record that year, with the region for a
    시·군·구 ('경남 고성군': there are two 고성군)."""
    return f"{agency.region} {name}" if agency.agency_type == AgencyType.LOCAL else name


def _history_row(row: dict[str, Any], kind: HistoryKind, at: datetime) -> dict[str, Any]:
    """``row`` as the history keeps it, recorded at the load's time."""
    kept = {key: row[key] for key in RESULT_FIELDS}
    return {"result_id": row["id"], "kind": kind.value, "recorded_at": at, **kept}


async def _year_hint(
    session: AsyncSession,
    records: list[Record],
    ids: dict[tuple[str, str, str], int],
    existing: dict[tuple[int, int], dict[str, Any]],
) -> YearMatch | None:
    """Whether the file's grades match another stored year far better than the year it
    names (a 2025 table titled 2024): one query over the same agencies' other years."""
    year = records[0].year
    grades = {ids[record.identity]: record.grade for record in records}
    named = [
        existing[(agency, year)]["grade"] == grade
        for agency, grade in grades.items()
        if (agency, year) in existing
    ]
    others: dict[int, list[bool]] = {}
    agencies = sorted(grades)
    scale = scale_of(year)
    for start in range(0, len(agencies), BATCH):
        rows = await session.execute(
            select(Result.agency_id, Result.year, Result.grade).where(
                Result.agency_id.in_(agencies[start : start + BATCH]),
                Result.year != year,
                Result.scale == scale,
            )
        )
        for agency_id, other, grade in rows:
            others.setdefault(other, []).append(grades[agency_id] == grade)
    return better_year(year, named, others)


def _stored(agency: Agency) -> StoredAgency:
    return StoredAgency(agency.name, agency.region, str(agency.agency_type), agency.catalog_key)
