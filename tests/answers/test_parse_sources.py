"""The sources question ('경찰청 2025 출처', 'sources for Goseong 2023'): one table of
phrasings read by the parser as a pure function, and the phrasings that stay other
intents. Kept apart from test_parse.py's table (issue 18's own words)."""

from __future__ import annotations

from typing import Any

import pytest

from answers.query import Intent, Lang
from answers.understanding.catalog import Catalog
from answers.understanding.parse import parse

KO, EN = Lang.KO, Lang.EN
SOURCES = Intent.SOURCES
BOTH_GOSEONG = {"경남 고성군", "강원 고성군"}


def case(text: str, intent: Intent, labels: set[str], lang: Lang, **fields: Any) -> Any:
    return pytest.param(text, intent, labels, lang, fields, id=text[:40])


CASES = [
    case("경찰청 2025 출처", SOURCES, {"경찰청"}, KO, years=(2025,)),
    case("경찰청 2025년 등급 출처는?", SOURCES, {"경찰청"}, KO, years=(2025,)),
    case("김해시 등급 근거", SOURCES, {"경남 김해시"}, KO),
    case("고성군(경남) 2023 소스", SOURCES, {"경남 고성군"}, KO, years=(2023,), regions=("경남",)),
    case("2024 대구광역시 출처 알려줘", SOURCES, {"대구광역시"}, KO, years=(2024,)),
    case("sources for Goseong 2023", SOURCES, BOTH_GOSEONG, EN, years=(2023,)),
    case("source of gimhae 2024", SOURCES, {"경남 김해시"}, EN, years=(2024,)),
    case("where does gimhae's 2024 grade come from", SOURCES, {"경남 김해시"}, EN, years=(2024,)),
    case(
        "Where does the Korean National Police Agency 2025 grade come from?",
        SOURCES,
        {"경찰청"},
        EN,
        years=(2025,),
    ),
    # not a sources question
    case("경찰청 2025", Intent.GRADE, {"경찰청"}, KO, years=(2025,)),
    case("김해시 근황", Intent.GRADE, {"경남 김해시"}, KO),
]


@pytest.mark.parametrize(("text", "intent", "labels", "lang", "fields"), CASES)
def test_sources_phrasings(
    catalog: Catalog,
    text: str,
    intent: Intent,
    labels: set[str],
    lang: Lang,
    fields: dict[str, Any],
) -> None:
    query = parse(text, catalog)
    got = {catalog.agencies[i].label() for m in query.agencies for i in m.candidates}
    assert (query.intent, query.lang, got) == (intent, lang, labels), query
    assert query.years == fields.get("years", ()), query
    assert query.regions == fields.get("regions", ()), query
    assert not query.unknown_names, query


@pytest.mark.parametrize("text", ["출처", "출처?", "sources", "근거 좀"])
def test_sources_without_an_agency_is_no_agency_question(catalog: Catalog, text: str) -> None:
    query = parse(text, catalog)
    assert not query.agencies and query.intent in (Intent.SOURCES, Intent.HELP), query
