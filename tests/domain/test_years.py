"""Each year's published facts in domain/years.py: every page they cite is one framework.md
names (copied, never made up), the published parts add up to the published wholes, and a
count follows from published counts only (never from a band rule)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from domain.groups import ALL_GROUPS, LOCAL_ALL
from domain.years import YEARS, parts_of, stated_count, year_config

URL = re.compile(r"https?://[^\s)>`,]+")


@pytest.fixture(scope="module")
def framework_urls() -> set[str]:
    text = resources.files("storage.bundled").joinpath("framework.md").read_text("utf-8")
    return {url.rstrip(".;") for url in URL.findall(text)}


@pytest.mark.parametrize("year", sorted(YEARS))
def test_every_source_of_a_year_is_named_in_framework_md(
    year: int, framework_urls: set[str]
) -> None:
    config = year_config(year)
    cited = [config.source, config.evaluated_source, *(p.source for p in config.published)]
    for url in filter(None, cited):
        assert url in framework_urls, (year, url)


@pytest.mark.parametrize("year", sorted(YEARS))
def test_published_parts_never_exceed_their_whole(year: int) -> None:
    config = year_config(year)
    for grade in {p.grade for p in config.published}:
        whole = stated_count(year, grade, ALL_GROUPS)
        parts = [stated_count(year, grade, part) for part in parts_of(config, ALL_GROUPS)]
        if whole is not None and all(part is not None for part in parts):
            assert sum(part.count for part in parts if part) == whole.count, (year, grade)
        assert all(part.count >= 0 for part in parts if part), (year, grade)


def test_a_count_left_over_from_a_published_whole_is_derived() -> None:
    """2021: 기초 가 23 with 시 8 and 구 7 published, so 군 8; 2016: S 7 = 중앙 2 + 교육청 5,
    so 광역 0. Each cites every page it rests on."""
    county = stated_count(2021, "가", "기초-군")
    assert county is not None and county.count == 8 and len(county.sources) == 3
    province = stated_count(2016, "S", "광역")
    assert province is not None and province.count == 0


def test_a_group_the_sources_did_not_count_has_no_stated_count() -> None:
    assert stated_count(2022, "가", "중앙") is None  # only 32 in all and 군 8 were published
    assert stated_count(2018, "가", "기초-시") is None  # only 기초 23 as a whole


def test_the_years_with_a_pilot_grade_fewer_than_they_evaluate() -> None:
    for year in sorted(YEARS):
        config = year_config(year)
        if config.pilots and config.evaluated and config.graded:
            assert config.graded == config.evaluated - config.pilots, year


def test_every_grade_of_2024_adds_up_to_the_graded_count() -> None:
    config = year_config(2024)
    counts = [stated_count(2024, grade, ALL_GROUPS) for grade in config.grades]
    assert all(counts) and sum(c.count for c in counts if c) == config.graded


def test_local_is_made_of_its_three_groups_and_2016_had_none() -> None:
    assert parts_of(year_config(2024), LOCAL_ALL) == ("기초-시", "기초-군", "기초-구")
    assert LOCAL_ALL not in parts_of(year_config(2016), ALL_GROUPS)
