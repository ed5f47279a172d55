"""Every agency of the catalog, asked by name with a year, gets its grade or an explicit
"no published record" through the real answer path on the bundled database: over the whole
catalog, not a sample. English answers name agencies by their official English names."""

from __future__ import annotations

import csv
from importlib import resources

from answers.presentation.plain import to_text
from answers.service import Answerer
from domain.agencies import AgencyIdentity
from domain.groups import AgencyType
from storage.agency_catalog import agency_catalog

YEARS = range(2016, 2026)


def _bundled_grades() -> dict[tuple[str, int], str]:
    """(catalog key, year) -> grade, from the bundled grades.csv (every row resolves)."""
    text = resources.files("storage.bundled").joinpath("grades.csv").read_text("utf-8")
    catalog = agency_catalog()
    grades: dict[tuple[str, int], str] = {}
    for row in csv.DictReader(text.splitlines()):
        year = int(row["year"])
        found = catalog.resolve(row["agency"], year, row["region"] or None).agency
        assert found is not None, row
        grades[(found.key, year)] = row["grade"]
    return grades


def _question(identity: AgencyIdentity, year: int, shared: frozenset[str]) -> str:
    period = identity.period_in(year)
    assert period is not None
    name = period.label() if period.name in shared else period.name
    if period.agency_type is AgencyType.LOCAL and period.name not in shared:
        name = period.label()  # a 시·군·구 is asked as people ask: with its region
    return f"{name} {year}"


async def test_every_catalog_agency_of_every_year_gets_its_grade_or_no_record(
    answerer: Answerer,
) -> None:
    catalog = agency_catalog()
    grades = _bundled_grades()
    shared = catalog.shared_names()
    wrong: list[str] = []
    asked = 0
    for year in YEARS:
        for identity in catalog.agencies_valid_in(year):
            question = _question(identity, year, shared)
            text = to_text(await answerer.answer(question))
            asked += 1
            grade = grades.get((identity.key, year))
            if grade is not None:
                if f"— {year}년 {grade}" not in text or "여러 기관" in text:
                    wrong.append(f"{question}: expected {grade}: {text[:200]}")
            elif f"{year}년 공개된 기록이 없습니다" not in text or "확인" in text:
                wrong.append(f"{question}: expected no record: {text[:200]}")
    assert asked > 2_500
    assert not wrong, f"{len(wrong)} of {asked}:\n" + "\n".join(wrong[:30])


async def test_goseong_gyeongnam_2025_is_na_with_its_source(answerer: Answerer) -> None:
    answer = await answerer.answer("경남 고성군 2025")
    text = to_text(answer)
    assert "경남 고성군 — 2025년 나" in text, text
    assert "강원" not in text and answer.sources and answer.sources[0].url.startswith("http")


async def test_english_questions_get_official_english_names(answerer: Answerer) -> None:
    text = to_text(await answerer.answer("Ministry of the Interior and Safety 2022"))
    assert "Ministry of the Interior and Safety (행정안전부) — 2022:" in text, text
    assert "Haengjeong" not in text
    text = to_text(await answerer.answer("Korea Customs Service 2021"))
    assert "Korea Customs Service (관세청) — 2021:" in text, text
    text = to_text(await answerer.answer("Gimhae 2021 grade"))
    assert "Gimhae City (김해시), Gyeongnam — 2021:" in text, text


async def test_names_of_their_own_years_and_an_agency_outside_the_year(
    answerer: Answerer,
) -> None:
    old = to_text(await answerer.answer("강원도 2022"))
    new = to_text(await answerer.answer("강원특별자치도 2024"))
    assert "— 2022년 " in old and "— 2024년 " in new, (old, new)
    moved = to_text(await answerer.answer("경북 군위군 2022"))
    assert "군위군 — 2022년" in moved and "확인" not in moved, moved
    space = to_text(await answerer.answer("우주항공청 2020"))
    assert "2020년에는 이 기관이 평가 대상이 아니었습니다" in space, space
    assert "확인" not in space


async def test_a_shared_name_means_the_agencies_it_named_that_year(answerer: Answerer) -> None:
    """인천's 남구 became 미추홀구 in 2018: '남구 2020' is the four other 남구."""
    text = to_text(await answerer.answer("남구 2020"))
    assert "대구 남구 — 2020년" in text and "미추홀구" not in text, text
    text = to_text(await answerer.answer("인천 남구 2017"))
    assert "미추홀구 — 2017년" in text, text
