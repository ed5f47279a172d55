"""The agency catalog and its resolver, as a person asking or an operator's file names an
agency: one identity across renames and moves, same-name agencies never guessed, typos
answered with "did you mean", and names matched whole.

The catalog is the real one (``storage/bundled/agencies.csv``) read as plain rows, plus small
hand-made catalogs where a rule needs a case the real one lacks.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from domain.agencies import (
    AgencyCatalog,
    AgencyIdentity,
    CatalogError,
    NameKind,
    evaluation_window,
)
from domain.groups import AgencyType

CATALOG_CSV = Path(__file__).parents[2] / "storage" / "bundled" / "agencies.csv"


@pytest.fixture(scope="module")
def catalog() -> AgencyCatalog:
    with CATALOG_CSV.open(encoding="utf-8", newline="") as file:
        return AgencyCatalog.from_rows(csv.DictReader(file))


def labels(found: tuple[AgencyIdentity, ...], year: int | None = None) -> list[str]:
    return [agency.label(year) for agency in found]


def one(
    catalog: AgencyCatalog, text: str, year: int | None = None, region: str | None = None
) -> AgencyIdentity:
    resolution = catalog.resolve(text, year, region)
    assert resolution.agency is not None, (text, year, region, resolution)
    return resolution.agency


# --- identity across renames and moves ---


def test_gangwon_before_and_after_its_rename_is_one_agency(catalog: AgencyCatalog) -> None:
    before = one(catalog, "강원도", 2022)
    after = one(catalog, "강원특별자치도", 2024)
    assert before is after
    assert (before.name_in(2022), before.name_in(2024)) == ("강원도", "강원특별자치도")
    assert "강원도" in after.former_names and after.agency_type is AgencyType.METROPOLITAN


def test_gunwi_moves_from_gyeongbuk_to_daegu_as_one_agency(catalog: AgencyCatalog) -> None:
    in_2022 = one(catalog, "군위군", 2022)
    in_2024 = one(catalog, "군위군", 2024)
    assert in_2022 is in_2024
    assert (in_2022.region_in(2022), in_2022.region_in(2024)) == ("경북", "대구")
    assert one(catalog, "경북 군위군", 2022) is one(catalog, "대구 군위군", 2024) is in_2022
    assert [period.region for period in in_2022.periods] == ["경북", "대구"]


def test_a_former_name_resolves_in_the_years_after_the_rename(catalog: AgencyCatalog) -> None:
    michuhol = one(catalog, "인천 남구", 2020)
    assert michuhol.name == "미추홀구" and catalog.resolve("인천 남구", 2020).via is NameKind.FORMER
    assert one(catalog, "미추홀구", 2017) is michuhol  # one agency: 남구 until 2018-06-30
    assert one(catalog, "행정자치부", 2022).name == "행정안전부"
    assert one(catalog, "전라북도교육청", 2024).name == "전북특별자치도교육청"


def test_the_exact_name_wins_over_a_former_name(catalog: AgencyCatalog) -> None:
    """인천 남구 became 미추홀구; in 2020 '남구' is the four 남구 of that year, not 미추홀구."""
    found = catalog.resolve("남구", 2020)
    assert found.ambiguous and found.via is NameKind.OFFICIAL
    assert labels(found.matches) == ["부산 남구", "대구 남구", "광주 남구", "울산 남구"]


def test_keys_are_stable_and_unique(catalog: AgencyCatalog) -> None:
    keys = [agency.key for agency in catalog.identities]
    assert len(keys) == len(set(keys))
    assert one(catalog, "경남 고성군").key == "경남/고성군"
    assert one(catalog, "군위군", 2024).key == "경북/군위군"  # its first name period
    for agency in catalog.identities:
        assert catalog.get(agency.key) is agency
    assert catalog.get("경남/없는군") is None


# --- the year's window ---


def test_a_name_counts_from_september_before_to_the_february_after() -> None:
    assert evaluation_window(2023) == (date(2022, 9, 1), date(2024, 2, 28))


def test_both_names_count_in_the_year_of_a_rename(catalog: AgencyCatalog) -> None:
    """전라북도 became 전북특별자치도 on 2024-01-18, before the 2023 results were announced."""
    jeonbuk = one(catalog, "전라북도", 2023)
    assert one(catalog, "전북특별자치도", 2023) is jeonbuk
    assert jeonbuk.name_in(2023) == "전북특별자치도"  # the name the announcement used
    assert jeonbuk.name_in(2022) == "전라북도"


def test_an_agency_outside_its_years_is_named_not_guessed(catalog: AgencyCatalog) -> None:
    found = catalog.resolve("우주항공청", 2020)
    assert found.agency is None and not found.suggestions
    assert labels(found.outside_year) == ["우주항공청"]
    space = found.outside_year[0]
    assert not space.valid_in(2020) and space.valid_in(2025)


# --- same-name agencies are never guessed ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("고성군", ["강원 고성군", "경남 고성군"]),
        ("고성", ["강원 고성군", "경남 고성군"]),
        ("Goseong", ["강원 고성군", "경남 고성군"]),
        ("강서구", ["서울 강서구", "부산 강서구"]),
        ("중구", ["서울 중구", "부산 중구", "대구 중구", "인천 중구", "대전 중구", "울산 중구"]),
    ],
)
def test_a_shared_name_is_ambiguous_with_every_candidate(
    catalog: AgencyCatalog, text: str, expected: list[str]
) -> None:
    found = catalog.resolve(text, 2024)
    assert found.ambiguous and found.agency is None
    assert labels(found.matches, 2024) == expected


@pytest.mark.parametrize(
    "text",
    [
        "고성군(경남)",
        "고성군 (경남)",
        "경남 고성군",
        "경상남도 고성군",
        "경남고성군",
        "고성(경남)",
        "경남 고성",
        "고성군(경상남도)",
        "Goseong-gun (gyeongnam)",
    ],
)
def test_a_region_picks_one_of_a_shared_name(catalog: AgencyCatalog, text: str) -> None:
    assert one(catalog, text, 2025).label() == "경남 고성군"


def test_a_region_argument_narrows_and_a_contradiction_finds_nothing(
    catalog: AgencyCatalog,
) -> None:
    assert one(catalog, "고성군", 2023, region="강원").label() == "강원 고성군"
    found = catalog.resolve("고성군(경남)", 2023, region="강원")
    assert found.agency is None and not found.matches


# --- the forms people write ---


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("행안부", 2024, "행정안전부"),
        ("권익위", 2024, "국민권익위원회"),
        ("서울시교육청", 2024, "서울특별시교육청"),
        ("서울 교육청", 2024, "서울특별시교육청"),
        ("Ministry of the Interior and Safety", 2022, "행정안전부"),
        ("ministry of the interior and safety", 2022, "행정안전부"),
        ("KOREA CUSTOMS SERVICE", 2021, "관세청"),
        ("Gimhae-si", 2024, "김해시"),
        ("gimhae si", 2024, "김해시"),
        ("Gimhae", 2024, "김해시"),
        ("Gimhae City", 2024, "김해시"),
        ("Seoul", 2024, "서울특별시"),
        ("Gyeongsangnam-do", 2024, "경상남도"),
        ("Gyeongsangnam education office", 2024, "경상남도교육청"),
        ("gyeongsangnam-do office of education", 2024, "경상남도교육청"),
        ("김해", 2024, "김해시"),
        ("광주시", 2024, "광주시"),  # 경기 광주시; 광주광역시 is never 광주시
        ("부산진구", 2024, "부산진구"),  # a region word at its front, yet a whole name
        ("경기도교육청", 2024, "경기도교육청"),
        ("강원도교육청", 2024, "강원특별자치도교육청"),
    ],
)
def test_short_former_english_and_romanized_names(
    catalog: AgencyCatalog, text: str, year: int, expected: str
) -> None:
    assert one(catalog, text, year).name_in(year) == expected


@pytest.mark.parametrize("text", ["광주", "계산", "동작구청장", "경남", "교육청", "", "   "])
def test_words_that_are_no_agency_name_resolve_to_nothing(
    catalog: AgencyCatalog, text: str
) -> None:
    """Region names alone, everyday words near a stem, and longer texts are not names."""
    found = catalog.resolve(text, 2024)
    assert not found.matches and not found.outside_year


# --- did you mean ---


def test_a_typo_suggests_the_nearest_names(catalog: AgencyCatalog) -> None:
    found = catalog.resolve("김헤시", 2024)
    assert found.agency is None and not found.ambiguous
    assert found.suggestions and found.suggestions[0].name == "김해시"
    assert len(found.suggestions) <= 3


@pytest.mark.parametrize(
    ("typo", "meant"), [("김혜시", "김해시"), ("양산씨", "양산시"), ("행정안정부", "행정안전부")]
)
def test_typos_of_longer_names_suggest_them(catalog: AgencyCatalog, typo: str, meant: str) -> None:
    assert catalog.resolve(typo, 2024).suggestions[0].name == meant


@pytest.mark.parametrize("stem", ["김헤", "예삼", "계산", "음섬"])
def test_a_two_syllable_stem_is_never_fuzzy_matched(catalog: AgencyCatalog, stem: str) -> None:
    found = catalog.resolve(stem, 2024)
    assert not found.matches and not found.suggestions


def test_suggestions_put_the_region_first_and_respect_the_year(catalog: AgencyCatalog) -> None:
    found = catalog.resolve("경남 김헤시", 2024)
    assert labels(found.suggestions)[0] == "경남 김해시"
    # a misspelt name in the wrong region: the name where it does exist, after any there
    assert "경남 김해시" in labels(catalog.resolve("전남 김헤시", 2024).suggestions)
    assert labels(catalog.resolve("경남 고성균", 2024).suggestions)[0] == "경남 고성군"
    assert not catalog.resolve("인천 검단규", 2024).suggestions  # 검단구 is evaluated from 2026


def test_a_name_written_with_the_wrong_region_is_found_where_it_exists(
    catalog: AgencyCatalog,
) -> None:
    assert sorted(labels(catalog.named_elsewhere("고성군(전남)", 2025))) == [
        "강원 고성군",
        "경남 고성군",
    ]
    assert "부산 서구" in labels(catalog.named_elsewhere("서구(울산)", 2025))
    assert catalog.named_elsewhere("곡성군(전남)", 2025)[0].region == "전남"
    assert catalog.named_elsewhere("없는군(전남)", 2025) == ()


# --- the catalog's own consistency ---


def test_valid_on_a_day_counts_each_group() -> None:
    rows = [
        _row("김해시", "경남", group="기초-시"),
        _row("고성군", "경남", group="기초-군"),
        _row("옛군", "경남", group="기초-군", valid_to="2020-06-30"),
    ]
    catalog = AgencyCatalog.from_rows(rows)
    assert sorted(labels(catalog.agencies_in_force_on(date(2024, 12, 31)))) == [
        "경남 고성군",
        "경남 김해시",
    ]
    assert len(catalog.agencies_valid_in(2020)) == 3 and len(catalog.agencies_valid_in(2021)) == 2


def test_a_rename_needs_adjacent_dates_to_link() -> None:
    rows = [
        _row("옛시", "경남", group="기초-시", valid_to="2020-06-30"),
        _row("새시", "경남", group="기초-시", valid_from="2020-07-01", former_names="옛시"),
        _row("먼시", "경남", group="기초-시", valid_to="2019-01-01"),
        _row("다른시", "경남", group="기초-시", valid_from="2020-07-01", former_names="먼시"),
    ]
    catalog = AgencyCatalog.from_rows(rows)
    assert {a.key: [p.name for p in a.periods] for a in catalog.identities} == {
        "경남/옛시": ["옛시", "새시"],
        "경남/먼시": ["먼시"],
        "경남/다른시": ["다른시"],
    }


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"agency_type": "지방"}, "지방"),
        ({"region": "서울특"}, "서울특"),
        ({"group": "기초-읍"}, "기초-읍"),
        ({"valid_from": "2020-13-01"}, "row 2"),
        ({"valid_from": "2021-01-01", "valid_to": "2020-01-01"}, "ends before it starts"),
        ({"agency": ""}, "agency is missing"),
    ],
)
def test_a_broken_catalog_row_is_refused_with_its_row(row: dict[str, str], problem: str) -> None:
    with pytest.raises(CatalogError) as error:
        AgencyCatalog.from_rows([{**_row("김해시", "경남", group="기초-시"), **row}])
    assert any(problem in line and line.startswith("row 2") for line in error.value.errors)


def test_a_short_name_shared_by_two_agencies_is_refused() -> None:
    rows = [
        _row("김해시", "경남", group="기초-시", short_names="김해"),
        _row("김해군", "전남", group="기초-군", short_names="김해"),
    ]
    with pytest.raises(CatalogError, match="short name '김해'"):
        AgencyCatalog.from_rows(rows)


def _row(name: str, region: str, *, group: str, **cells: str) -> dict[str, str]:
    return {
        "agency": name,
        "region": region,
        "agency_type": "기초자치단체",
        "group": group,
        "valid_from": "",
        "valid_to": "",
        "former_names": "",
        "short_names": "",
        "english_name": "",
        "romanized": "",
        "source_url": "https://example.org",
        **cells,
    }
