"""Loading official results: validate every row first (:mod:`storage.validation`), then
write all or nothing in one transaction, queueing the announcements the changes imply
(:mod:`storage.alerts`) in the same transaction.

Loading the same file twice changes nothing; a changed grade is an update recorded in the
audit log; a year the database does not know yet arrives as a draft.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from storage.agency_catalog import agency_catalog, catalog_agency, new_agency_aliases
from storage.alerts import queue_corrections, queue_year
from storage.db import Database
from storage.models import Agency, EvaluationYear, Result, YearStatus, utcnow
from storage.records import GradeChange, Record
from storage.reports import IngestReport
from storage.repositories import (
    RESULTS_LOCK_ID,
    AgencyRepository,
    AuditRepository,
    MetaRepository,
    ResultRepository,
    YearRepository,
    lock_for_writing,
)
from storage.score_cells import OPTIONAL_IN_SCORE_SHEETS, SCORE_HEADERS
from storage.scores import score_conflicts, write_scores
from storage.sheets import Sheet, SheetError, read_sheet, read_sheet_bytes
from storage.validation import IngestRefused, KnownAgencies, validate
from storage.yearconfig import year_config

__all__ = ["IngestRefused", "IngestReport", "ingest_bytes", "ingest_file", "ingest_sheet"]


async def ingest_file(
    db: Database,
    path: Path | str,
    *,
    actor: str,
    dry_run: bool = False,
    publish_new_years: bool = False,
    new_agencies: bool = False,
) -> IngestReport:
    """Validate ``path`` and load it in one transaction (or only report, with ``dry_run``);
    ``new_agencies`` lets rows add agencies the catalog lacks (audited, listed)."""
    try:
        sheet = read_sheet(
            path, extra_columns=SCORE_HEADERS, optional_with_extras=OPTIONAL_IN_SCORE_SHEETS
        )
    except SheetError as exc:
        raise IngestRefused(exc.errors) from exc
    return await ingest_sheet(
        db,
        sheet,
        actor=actor,
        dry_run=dry_run,
        publish_new_years=publish_new_years,
        new_agencies=new_agencies,
    )


async def ingest_bytes(
    db: Database,
    data: bytes,
    *,
    name: str,
    actor: str,
    dry_run: bool = False,
    new_agencies: bool = False,
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
    return await ingest_sheet(db, sheet, actor=actor, dry_run=dry_run, new_agencies=new_agencies)


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
) -> IngestReport:
    """Validate ``sheet`` and write it in one transaction; ``meta`` keys are written with it.
    Every row must name one catalog agency of its year; ``new_agencies`` lets a row with a
    region and type add one the catalog lacks."""
    report = IngestReport(source=sheet.name, dry_run=dry_run, published_new_years=publish_new_years)
    try:
        async with db.unit_of_work() as session:
            # One ingest at a time across instances, and every read below sees the last
            # ingest's rows (two loads of one new file must not both insert it).
            await lock_for_writing(session, RESULTS_LOCK_ID)
            stored = await AgencyRepository(session).list_all()
            known = KnownAgencies.from_agencies(stored, agency_catalog(), allow_new=new_agencies)
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
        agency = await _ensure_agency(agencies, audit, record, cache, report, actor=actor)
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
        await audit.add(
            actor=actor,
            action="year_added",
            year=year,
            source_file=report.source,
            new_value=YearStatus.PUBLISHED if publish_new_years else YearStatus.DRAFT,
        )
    if report.changed:
        await MetaRepository(session).bump_data_version()
    official = [record for record in records if record.grade]
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


async def _upsert_result(
    results: ResultRepository,
    audit: AuditRepository,
    agency: Agency,
    existing: Result | None,
    record: Record,
    report: IngestReport,
    *,
    actor: str,
    keep: frozenset[str] = frozenset(),
) -> None:
    """Insert, or update what differs; fields whose column the file lacks (``keep``) stay."""
    values = {
        "grade": record.grade,
        "published_name": record.published_name,
        "grading_group": record.group,
        "score": record.score,
        "group_avg": record.group_avg,
        "item_grades": record.item_grades,
        "source_url": record.source_url,
        "note": record.note,
        "more_sources": record.more_sources,
    }
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
        report.changed_results.append(GradeChange(agency.id, record.year, old_grade, record.grade))
    await audit.add(
        actor=actor,
        action=action,
        year=record.year,
        agency_id=agency.id,
        old_value=old_grade,
        new_value=record.grade,
        source_file=report.source,
        detail={"fields": sorted(changed)},
    )
