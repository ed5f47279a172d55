"""The bundled agency catalog over its whole extent, not a sample: every agency of every
year 2016–2025 is found by its own name in that year, every published result names exactly
one agency, and the counts agree with the data's README."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from importlib import resources

import pytest
from storage_kit import bundled_rows

from domain.agencies import AgencyCatalog
from domain.groups import GROUP_ORDER
from storage.agency_catalog import agency_catalog, catalog_text, parse_catalog

YEARS = range(2016, 2026)
CATALOG_ROWS = 331


@pytest.fixture(scope="module")
def agencies() -> AgencyCatalog:
    return agency_catalog()


def bundled_grades() -> list[dict[str, str]]:
    text = resources.files("storage.bundled").joinpath("grades.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_the_bundled_catalog_is_read_once_and_whole(agencies: AgencyCatalog) -> None:
    assert agency_catalog() is agencies
    assert sum(len(agency.periods) for agency in agencies.identities) == CATALOG_ROWS
    assert len(list(csv.DictReader(catalog_text().splitlines()))) == CATALOG_ROWS
    assert parse_catalog(catalog_text()).identities == agencies.identities


def test_counts_in_force_on_2024_12_31_match_the_readme(agencies: AgencyCatalog) -> None:
    counts = Counter(agency.group for agency in agencies.agencies_in_force_on(date(2024, 12, 31)))
    assert counts == {
        "기초-시": 75,
        "기초-군": 82,
        "기초-구": 69,
        "광역": 17,
        "교육청": 17,
        "중앙": 48,
    }
    assert sum(counts[group] for group in ("기초-시", "기초-군", "기초-구")) == 226


@pytest.mark.parametrize("year", YEARS)
def test_every_agency_of_a_year_is_found_by_its_name_in_that_year(
    agencies: AgencyCatalog, year: int
) -> None:
    valid = agencies.agencies_valid_in(year)
    assert len(valid) >= 290  # 226 시·군·구, 17 시·도, 17 교육청 and the central agencies
    sharing = Counter(
        period.name
        for agency in valid
        for period in {p.name: p for p in agency.periods_in(year)}.values()
    )
    misses: list[str] = []
    for agency in valid:
        for period in agency.periods_in(year):
            shared = sharing[period.name] > 1
            region = period.region if shared else None
            found = agencies.resolve(period.name, year, region)
            if found.agency is not agency:
                misses.append(f"{year} {period.label()}: {found}")
            if shared and not agencies.resolve(period.name, year).ambiguous:
                misses.append(f"{year} {period.name} alone should be ambiguous")
    assert not misses


@pytest.mark.parametrize("year", YEARS)
def test_an_agency_outside_a_year_is_never_that_years_answer(
    agencies: AgencyCatalog, year: int
) -> None:
    """우주항공청 before 2024, 제물포구 before July 2026, 국민안전처 after 2017: named, but
    reported as outside the year rather than answered."""
    outside = [agency for agency in agencies.identities if not agency.valid_in(year)]
    assert outside  # 제물포구 and 영종구 start in July 2026
    for agency in outside:
        for period in agency.periods:
            found = agencies.resolve(period.name, year, period.region or None)
            assert agency not in found.matches, (year, period.label())
            if not found.matches:
                assert agency in found.outside_year, (year, period.label(), found)


@pytest.mark.parametrize("year", YEARS)
def test_every_agency_of_a_year_is_found_by_its_short_and_english_names(
    agencies: AgencyCatalog, year: int
) -> None:
    misses: list[str] = []
    for agency in agencies.agencies_valid_in(year):
        for period in agency.periods_in(year):
            for short in period.short_names:
                if agencies.resolve(short, year).agency is not agency:
                    misses.append(f"{year} short {short}")
            english = agencies.resolve(period.english_name, year, period.region or None)
            if agency not in english.matches:
                misses.append(f"{year} english {period.english_name}")
    assert not misses


def test_every_published_result_names_exactly_one_agency(agencies: AgencyCatalog) -> None:
    rows = bundled_grades()
    assert len(rows) == bundled_rows()
    misses = []
    for row in rows:
        year = int(row["year"])
        found = agencies.resolve(row["agency"], year, row["region"] or None)
        agency = found.agency
        same = [p for p in (agency.periods_in(year) if agency else ()) if p.name == row["agency"]]
        if agency is None or len(same) != 1 or same[0].region != row["region"]:
            # the row's own name and region are one catalog row valid in that year
            misses.append(f"{year} {row['region']} {row['agency']}: {found}")
        elif (agency.region_in(year) or "") != row["region"]:
            misses.append(
                f"{year} {row['agency']}: in {agency.region_in(year)}, not {row['region']}"
            )
    assert not misses


def test_each_result_keeps_its_agency_across_years(agencies: AgencyCatalog) -> None:
    """The published names of one agency over the years are one identity: 강원도 and
    강원특별자치도, 경북 and 대구 군위군, 통계청 before its rename."""
    keys: dict[tuple[str, str, int], str] = {}
    for row in bundled_grades():
        year = int(row["year"])
        agency = agencies.resolve(row["agency"], year, row["region"] or None).agency
        assert agency is not None
        keys[(row["agency"], row["region"], year)] = agency.key
    assert keys[("강원도", "강원", 2022)] == keys[("강원특별자치도", "강원", 2024)]
    gunwi = {year: key for (name, _, year), key in keys.items() if name == "군위군"}
    assert len(set(gunwi.values())) == 1 and len(gunwi) >= 2


def test_every_identity_has_one_group_and_type(agencies: AgencyCatalog) -> None:
    for agency in agencies.identities:
        assert {p.group for p in agency.periods} == {agency.group}
        assert {p.agency_type for p in agency.periods} == {agency.agency_type}
        assert agency.group in GROUP_ORDER


def test_renamed_and_moved_agencies_are_linked(agencies: AgencyCatalog) -> None:
    linked = {
        agency.key: [p.label() for p in agency.periods]
        for agency in agencies.identities
        if len(agency.periods) > 1
    }
    assert linked["강원/강원도"] == ["강원도", "강원특별자치도"]
    assert linked["경북/군위군"] == ["경북 군위군", "대구 군위군"]
    assert linked["인천/남구"] == ["인천 남구", "인천 미추홀구"]
    assert linked["기획재정부"] == ["기획재정부", "재정경제부"]
    # Every row naming a former name that has its own row is linked to it.
    for agency in agencies.identities:
        for period in agency.periods:
            for former in period.former_names:
                owners = _owners(agencies, former, period.region)
                assert not owners or owners == {agency.key}, (period.name, former, owners)


def _owners(agencies: AgencyCatalog, name: str, region: str) -> set[str]:
    return {
        agency.key
        for agency in agencies.identities
        for period in agency.periods
        if period.name == name and period.region == region
    }
