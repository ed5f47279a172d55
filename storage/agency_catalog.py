"""The bundled agency catalog (``bundled/agencies.csv``), read once per process.

The file is the one source of agency names; ``domain.agencies`` turns its rows into
identities and resolves names against them. :func:`seed_catalog` writes every identity and
all its names into ``agencies`` and ``agency_aliases`` (again whenever the file changes).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy.ext.asyncio import AsyncSession

from domain.agencies import AgencyCatalog, AgencyIdentity, CatalogError
from domain.groups import LOCAL_SUFFIXES, AgencyType, group_of
from domain.text import romanize
from storage.models import Agency
from storage.repositories import (
    RESULTS_LOCK_ID,
    AgencyRepository,
    MetaRepository,
    lock_for_writing,
)

CATALOG_FILE = "agencies.csv"


def catalog_text() -> str:
    return resources.files("storage.bundled").joinpath(CATALOG_FILE).read_text(encoding="utf-8")


def parse_catalog(text: str) -> AgencyCatalog:
    """A catalog from CSV text with the columns of ``agencies.csv``."""
    return AgencyCatalog.from_rows(csv.DictReader(io.StringIO(text, newline="")))


@cache
def agency_catalog() -> AgencyCatalog:
    """The bundled catalog, built on first use and shared afterwards."""
    return parse_catalog(catalog_text())


CATALOG_CHECKSUM_KEY = "catalog_sha256"


def new_agency_aliases(name: str, region: str, agency_type: AgencyType) -> dict[str, str]:
    """The forms people write of an agency the catalog lacks (added by an operator), made by
    the catalog's own rules from a one-row catalog: 새빛군청, 새빛, Saebit-gun."""
    local = agency_type is AgencyType.LOCAL and name[-1:] in LOCAL_SUFFIXES
    row = {
        "agency": name,
        "region": region,
        "agency_type": agency_type.value,
        "group": group_of(agency_type, name) or "",
        "romanized": romanize(name[:-1] if local else name).capitalize(),
    }
    try:
        one = AgencyCatalog.from_rows([row])
    except CatalogError:
        return {}
    return one.aliases_of(one.identities[0].key)


def catalog_digest() -> str:
    return hashlib.sha256(catalog_text().encode("utf-8")).hexdigest()


def catalog_agency(identity: AgencyIdentity) -> Agency:
    """The database row of one catalog identity: its key, current name, region, type, group."""
    return Agency(
        catalog_key=identity.key,
        name=identity.name,
        region=identity.region,
        agency_type=identity.agency_type,
        grading_group=identity.group,
    )


@dataclass
class SeedReport:
    """What seeding the database from the catalog did."""

    added: int = 0
    updated: int = 0
    linked: int = 0  # agencies created from results before the catalog, now keyed

    def summary(self) -> str:
        return f"agency catalog: {self.added} added, {self.updated} updated, {self.linked} linked"


async def seed_catalog(
    session: AsyncSession, catalog: AgencyCatalog, *, digest: str
) -> SeedReport | None:
    """Make ``agencies`` and ``agency_aliases`` hold every identity of ``catalog`` and all
    its names, unless the catalog with ``digest`` was seeded already. An agency that has
    results keeps its row (matched by key, or, in a database older than the catalog, by any
    name it bore): nothing is duplicated. Runs inside the caller's transaction."""
    await lock_for_writing(session, RESULTS_LOCK_ID)
    meta = MetaRepository(session)
    if await meta.get_by_key(CATALOG_CHECKSUM_KEY) == digest:
        return None
    repo = AgencyRepository(session)
    report = SeedReport()
    by_key = _link_existing(await repo.list_all(), catalog, report)
    rows: list[Agency] = []
    for identity in catalog.identities:
        agency = by_key.get(identity.key)
        if agency is None:
            agency = catalog_agency(identity)
            session.add(agency)
            report.added += 1
        elif _update(agency, catalog_agency(identity)):
            report.updated += 1
        rows.append(agency)
    await session.flush()
    await repo.replace_aliases(
        {agency.id: catalog.aliases_of(str(agency.catalog_key)) for agency in rows}
    )
    await meta.put(CATALOG_CHECKSUM_KEY, digest)
    if report.added or report.updated or report.linked:
        await meta.bump_data_version()
    return report


def _link_existing(
    agencies: Iterable[Agency], catalog: AgencyCatalog, report: SeedReport
) -> dict[str, Agency]:
    """The stored agencies by catalog key; rows from before the catalog get their key here."""
    by_key = {a.catalog_key: a for a in agencies if a.catalog_key}
    by_name: dict[tuple[str, str, str], str] = {}
    for identity in catalog.identities:
        for period in identity.periods:
            by_name.setdefault((period.name, period.region, period.agency_type.value), identity.key)
    for agency in agencies:
        key = by_name.get((agency.name, agency.region, str(agency.agency_type)))
        if agency.catalog_key is None and key is not None and key not in by_key:
            agency.catalog_key = key
            by_key[key] = agency
            report.linked += 1
    return by_key


def _update(agency: Agency, wanted: Agency) -> bool:
    changed = False
    for column in ("name", "region", "agency_type", "grading_group"):
        if getattr(agency, column) != getattr(wanted, column):
            setattr(agency, column, getattr(wanted, column))
            changed = True
    return changed
