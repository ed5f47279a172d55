"""The database knows every catalog agency: seeded on start by catalog key with all its
names, once per version of agencies.csv, and a database from before the catalog (agencies
made from result rows, hand-written aliases) is upgraded the same way without duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from storage_kit import dump

import storage.agency_catalog as agency_catalog_module
from storage.agency_catalog import CATALOG_CHECKSUM_KEY, agency_catalog, parse_catalog
from storage.bundled_data import ensure_catalog, ensure_ready
from storage.db import Database
from storage.models import Agency, AgencyAlias, Meta, Result


async def _aliases_of(db: Database, name: str) -> set[str]:
    async with db.unit_of_work() as session:
        query = select(AgencyAlias.alias).join(Agency, Agency.id == AgencyAlias.agency_id)
        return set((await session.scalars(query.where(Agency.name == name))).all())


async def test_every_catalog_agency_is_stored_once_with_its_names(loaded_db: Database) -> None:
    catalog = agency_catalog()
    async with loaded_db.unit_of_work() as session:
        keys = (await session.scalars(select(Agency.catalog_key))).all()
    assert sorted(k for k in keys if k) == sorted(i.key for i in catalog.identities)
    assert {"행안부", "mois", "ministryoftheinteriorandsafety", "행정자치부"} <= await _aliases_of(
        loaded_db, "행정안전부"
    )
    assert {"김해시청", "김해", "gimhaecity"} <= await _aliases_of(loaded_db, "김해시")
    assert {"경남도청", "경남도", "gyeongsangnamdo"} <= await _aliases_of(loaded_db, "경상남도")
    assert "통계청" in await _aliases_of(loaded_db, "국가데이터처")
    before = await dump(loaded_db)
    await ensure_ready(loaded_db)  # the same files: nothing to do
    assert await dump(loaded_db) == before


async def test_a_database_from_before_the_catalog_is_upgraded_in_place(
    loaded_db: Database,
) -> None:
    async with loaded_db.unit_of_work() as session:
        boknji = await session.scalar(select(Agency.id).where(Agency.name == "보건복지부"))
        await session.execute(update(Agency).values(catalog_key=None))
        session.add(AgencyAlias(agency_id=boknji, alias="복건복지부", kind="short"))
        await session.execute(delete(Meta).where(Meta.key == CATALOG_CHECKSUM_KEY))
        agencies = await session.scalar(select(func.count()).select_from(Agency))
        results = (await session.execute(select(Result.agency_id, Result.year))).all()
    await ensure_catalog(loaded_db)
    async with loaded_db.unit_of_work() as session:
        assert await session.scalar(select(func.count()).select_from(Agency)) == agencies
        assert (await session.execute(select(Result.agency_id, Result.year))).all() == results
        unkeyed = await session.scalar(
            select(func.count()).select_from(Agency).where(Agency.catalog_key.is_(None))
        )
    assert unkeyed == 0
    assert "복건복지부" not in await _aliases_of(loaded_db, "보건복지부")  # fuzzy covers typos


async def test_a_changed_catalog_is_seeded_again(
    loaded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = agency_catalog_module.catalog_text() + (
        "모의청,,중앙행정기관,중앙,2025-01-01,,,모의,Synthetic Test Agency,Moui,"
        "https://example.org/synthetic\n"
    )
    monkeypatch.setattr(agency_catalog_module, "catalog_text", lambda: text)
    monkeypatch.setattr("storage.bundled_data.agency_catalog", lambda: parse_catalog(text))
    await ensure_catalog(loaded_db)
    async with loaded_db.unit_of_work() as session:
        added = await session.scalar(select(Agency).where(Agency.catalog_key == "모의청"))
    assert added is not None and added.grading_group == "중앙"
    assert "syntheticTestAgency".lower() in await _aliases_of(loaded_db, "모의청")
