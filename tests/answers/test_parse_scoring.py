"""The parser on what-if and cut-off questions: the intent, the item changes (signed, in
points, or an item's new score), the target grade and group — and the questions it must
still read as before."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.query import Intent, Lang, ScoreChange
from answers.understanding.catalog import Catalog
from answers.understanding.parse import parse
from domain.items import TOTAL

KO, EN = Lang.KO, Lang.EN
WHATIF, CUTOFF = Intent.WHATIF, Intent.CUTOFF
BOTH = {"경남 고성군", "강원 고성군"}
GN = {"경남 고성군"}
GIMHAE = {"경남 김해시"}


def up(item: str, amount: float) -> ScoreChange:
    return ScoreChange(item, amount)


def case(
    text: str, intent: Intent, agencies: set[str] | None, lang: Lang = KO, **fields: Any
) -> Any:
    return pytest.param(text, intent, agencies, lang, fields, id=repr(text)[:40])


CASES = [
    # what-if
    case("고성군 2023 만족도 +5점이면?", WHATIF, BOTH, years=(2023,), changes=(up("만족도", 5),)),
    case(
        "경남 고성군 2023 만족도 5점 오르면", WHATIF, GN, years=(2023,), changes=(up("만족도", 5),)
    ),
    case(
        "what if goseong satisfaction +5 2023",
        WHATIF,
        BOTH,
        EN,
        years=(2023,),
        changes=(up("만족도", 5),),
    ),
    case(
        "고성군 2023 만족도 +5 고충민원 +3점이면",
        WHATIF,
        BOTH,
        years=(2023,),
        changes=(up("만족도", 5), up("고충민원", 3)),
    ),
    case(
        "김해시 만족도 3점, 국민신문고 2점 오르면",
        WHATIF,
        GIMHAE,
        changes=(up("만족도", 3), up("국민신문고", 2)),
    ),
    case(
        "김해시 만족도 3점, 국민신문고 2점 떨어지면",
        WHATIF,
        GIMHAE,
        changes=(up("만족도", -3), up("국민신문고", -2)),
    ),
    case(
        "김해시 만족도랑 고충민원 각각 3점 오르면",
        WHATIF,
        GIMHAE,
        changes=(up("만족도", 3), up("고충민원", 3)),
    ),
    case("김해시 민원 만족도가 2.5점 내려가면", WHATIF, GIMHAE, changes=(up("만족도", -2.5),)),
    case("김해시 만족도 -1.25", WHATIF, GIMHAE, changes=(up("만족도", -1.25),)),
    case("만약 김해시 전략체계 4점 올리면", WHATIF, GIMHAE, changes=(up("전략체계", 4),)),
    case(
        "김해시 제도운영 +2 국민신문고 +1",
        WHATIF,
        GIMHAE,
        changes=(up("제도운영", 2), up("국민신문고", 1)),
    ),
    case(
        "김해시 만족도를 20점으로 올리면",
        WHATIF,
        GIMHAE,
        changes=(ScoreChange("만족도", 20, True),),
    ),
    case(
        "gimhae satisfaction to 20", WHATIF, GIMHAE, EN, changes=(ScoreChange("만족도", 20, True),)
    ),
    case(
        "what if gimhae gets 5 more points in satisfaction",
        WHATIF,
        GIMHAE,
        EN,
        changes=(up("만족도", 5),),
    ),
    case(
        "gimhae grievances -2 2023",
        WHATIF,
        GIMHAE,
        EN,
        years=(2023,),
        changes=(up("고충민원", -2),),
    ),
    case("고성군 만족도 오르면?", WHATIF, BOTH),  # no number: the answer asks for one
    case("만족도 +5점이면?", WHATIF, None, changes=(up("만족도", 5),)),  # no agency: asked for
    # cut-off
    case("고성군 가 등급까지 몇 점?", CUTOFF, BOTH, grades=("가",)),
    case("경남 고성군 2023 나 등급까지 몇 점 남았어?", CUTOFF, GN, years=(2023,), grades=("나",)),
    case("김해시 다음 등급까지 몇 점", CUTOFF, GIMHAE),
    case("2023 기초-군 커트라인", CUTOFF, None, years=(2023,), groups=("기초-군",)),
    case("2023 기초 - 시 커트라인", CUTOFF, None, years=(2023,), groups=("기초-시",)),
    case("2023 군 커트라인", CUTOFF, None, years=(2023,), groups=("기초-군",)),
    case("2023 중앙 등급컷", CUTOFF, None, years=(2023,), groups=("중앙",)),
    case("2031 기초-군 커트라인", CUTOFF, None, years=(2031,), groups=("기초-군",)),
    case("cutoff 2023 county", CUTOFF, None, EN, years=(2023,), groups=("기초-군",)),
    case("cut-offs 2023 central agencies", CUTOFF, None, EN, years=(2023,), groups=("중앙",)),
    case("gimhae points to next grade", CUTOFF, GIMHAE, EN),
    case("how many points does gimhae need for 가", CUTOFF, GIMHAE, EN, grades=("가",)),
    case("커트라인", CUTOFF, None),
    case("없는군 커트라인", Intent.UNKNOWN, None, unknown=("없는군",)),
    # the same words without a what-if or cut-off keep their old meaning
    case("경남 고성군 2023 항목별", Intent.ITEMS, GN, years=(2023,)),
    case("고성군 만족도", Intent.ITEMS, BOTH),  # the item results
    case("gimhae satisfaction 2023", Intent.ITEMS, GIMHAE, EN, years=(2023,)),
    case(
        "기초 2022 가",
        Intent.LIST,
        None,
        years=(2022,),
        grades=("가",),
        groups=("기초-시", "기초-군", "기초-구"),
    ),
    case("김해시 2023-10-01", Intent.GRADE, GIMHAE, years=(2023,)),
    case("도움말 커트라인", Intent.HELP, None),
]


@pytest.mark.parametrize(("text", "intent", "agencies", "lang", "fields"), CASES)
def test_parse_scoring(
    catalog: Catalog,
    text: str,
    intent: Intent,
    agencies: set[str] | None,
    lang: Lang,
    fields: dict[str, Any],
) -> None:
    query = parse(text, catalog)
    assert (query.intent, query.lang) == (intent, lang), query
    got = [{catalog.agencies[i].label() for i in m.candidates} for m in query.agencies]
    assert got == ([agencies] if agencies else []), query
    assert query.changes == fields.get("changes", ()), query
    assert query.years == fields.get("years", ()), query
    assert query.grades == fields.get("grades", ()), query
    assert query.groups == fields.get("groups", ()), query
    assert query.unknown_names == fields.get("unknown", ()), query


WORDS = [
    "고성군",
    "김해",
    "2023",
    "만족도",
    "고충민원",
    "+5",
    "-3",
    "5점",
    "오르면",
    "떨어지면",
    "이면",
    "가",
    "등급까지",
    "몇 점",
    "커트라인",
    "cutoff",
    "what if",
    "satisfaction",
    "to",
    "으로",
    "기초-군",
    "각각",
    ",",
    " ",
    "점",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_never_raises_on_scoring_like_text(catalog: Catalog, text: str) -> None:
    query = parse(text, catalog)
    assert query.intent in Intent
    # an item, or the total itself when a what-if names no item ('+5점 오르면 what if')
    assert all(
        change.item in {"전략체계", "제도운영", "국민신문고", "고충민원", "만족도", TOTAL}
        for change in query.changes
    )
