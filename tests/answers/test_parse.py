"""The question parser as a pure function: free text + the catalog built from the bundled
real data -> Query. One table of phrasings, then the inputs that must never break it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_kit import PARAMS, case, check_parse

from answers.query import Intent, Lang, Query
from answers.understanding.catalog import Catalog
from answers.understanding.parse import parse
from domain.groups import GROUP_WORDS
from domain.items import ITEM_WORDS

KO, EN = Lang.KO, Lang.EN
GRADE, HISTORY, COMPARE = Intent.GRADE, Intent.HISTORY, Intent.COMPARE
LIST, ITEMS, HELP, UNKNOWN = Intent.LIST, Intent.ITEMS, Intent.HELP, Intent.UNKNOWN
LOCAL = ("기초-시", "기초-군", "기초-구")
BOTH_GOSEONG = "경남 고성군|강원 고성군"
CHECKED: dict[str, Any] = {
    **dict.fromkeys(("years", "regions", "groups", "grades", "unknown_names"), ()),
    "year_range": None,
    "relative_year": None,
}


CASES = [
    # --- Korean, with and without region, in every form people write it ---
    case("경남 고성군 2023", GRADE, "경남 고성군", years=(2023,), regions=("경남",)),
    case("경남 고성군 2023 등급", GRADE, "경남 고성군", years=(2023,), regions=("경남",)),
    case("고성군(경남)", GRADE, "경남 고성군", regions=("경남",)),
    case("경상남도 고성군", GRADE, "경남 고성군", regions=("경남",)),
    case("고성군 경남", GRADE, "경남 고성군", regions=("경남",)),
    case("고성 경남 2023", GRADE, "경남 고성군", years=(2023,), regions=("경남",)),
    case("강원 고성군 2022", GRADE, "강원 고성군", years=(2022,), regions=("강원",)),
    case("강원도 고성군", GRADE, "강원 고성군", regions=("강원",)),
    case("부산 중구", GRADE, "부산 중구", regions=("부산",)),
    case("인천 동구 2023", GRADE, "인천 동구", years=(2023,), regions=("인천",)),
    case("경기 광주시", GRADE, "경기 광주시", regions=("경기",)),
    # spacing
    case("경남고성군2023등급", GRADE, "경남 고성군", years=(2023,), regions=("경남",)),
    case("경남고성군", GRADE, "경남 고성군", regions=("경남",)),
    case("김해 시", GRADE, "경남 김해시"),
    case("고성 군", GRADE, BOTH_GOSEONG),
    case("김해 시청 2023", GRADE, "경남 김해시", years=(2023,)),
    case("서울 시청", GRADE, "서울특별시"),
    case("경남 도청 2023", GRADE, "경상남도", years=(2023,)),
    case("  김해시    2023  ", GRADE, "경남 김해시", years=(2023,)),
    # particles
    case("김해시는", GRADE, "경남 김해시"),
    case("고성군의 2023년 등급은?", GRADE, BOTH_GOSEONG, years=(2023,)),
    case("김해시가 2023년에 받은 등급", GRADE, "경남 김해시", years=(2023,)),
    case("통영시랑 고성군 비교", COMPARE, "경남 통영시", BOTH_GOSEONG),
    # typos (jamo-aware: 헤/해 sound alike, so 김헤시 is 김해시, not 김제시)
    case("김헤시", GRADE, "경남 김해시"),
    case("김헤시 2023", GRADE, "경남 김해시", years=(2023,)),
    case("거재시", GRADE, "경남 거제시"),
    case("통영사", GRADE, "경남 통영시"),
    case("양삼시", GRADE, "경남 양산시"),
    case("행안뷰", GRADE, "행정안전부"),
    case("Gimhea 2023", GRADE, "경남 김해시", years=(2023,), lang=EN),
    # short names
    case("고성", GRADE, BOTH_GOSEONG),
    case("김해", GRADE, "경남 김해시"),
    case("창원", GRADE, "경남 창원시"),
    case("행안부", GRADE, "행정안전부"),
    case("권익위", GRADE, "국민권익위원회"),
    case("권익위 작년", GRADE, "국민권익위원회", relative_year=-1),
    case("서울교육청", GRADE, "서울특별시교육청"),
    case("서울시교육청", GRADE, "서울특별시교육청"),
    case("서울 교육청", GRADE, "서울특별시교육청"),
    case("경남 교육청 2023", GRADE, "경상남도교육청", years=(2023,)),
    case("경기교육청", GRADE, "경기도교육청"),
    case("김해시청", GRADE, "경남 김해시"),
    case("고성군청", GRADE, BOTH_GOSEONG),
    case("서울시", GRADE, "서울특별시"),
    case("경남도청", GRADE, "경상남도"),
    case("광주시", GRADE, "경기 광주시"),
    case("세종시 2024", GRADE, "세종특별자치시", years=(2024,)),
    case("경상남도 2023", GRADE, "경상남도", years=(2023,)),
    # former names: the same agency as the current name
    case("강원도", GRADE, "강원특별자치도"),
    case("강원도 2022", GRADE, "강원특별자치도", years=(2022,)),
    case("강원특별자치도", GRADE, "강원특별자치도"),
    case("전라북도", GRADE, "전북특별자치도"),
    case("전북특별자치도 2024", GRADE, "전북특별자치도", years=(2024,)),
    case("강원도교육청", GRADE, "강원특별자치도교육청"),
    case("전라북도교육청 2023", GRADE, "전북특별자치도교육청", years=(2023,)),
    case("전북교육청", GRADE, "전북특별자치도교육청"),
    # ambiguity: every candidate kept, never guessed
    case("고성군", GRADE, BOTH_GOSEONG),
    case("고성군 2023", GRADE, BOTH_GOSEONG, years=(2023,)),
    case("중구", GRADE, "*중구"),
    case("동구", GRADE, "*동구"),
    case("서구 2022", GRADE, "*서구", years=(2022,)),
    case("고성 고성군", GRADE, BOTH_GOSEONG),
    # every real agency is known from the catalog, results or not
    case("서울 중구", GRADE, "서울 중구", regions=("서울",)),
    case("서울시 중구 2023", GRADE, "서울 중구", years=(2023,), regions=("서울",)),
    case("서울 강남구 2023", GRADE, "서울 강남구", years=(2023,), regions=("서울",)),
    # a shared name in a region that has none is not answered with the other regions'
    case("세종 중구", UNKNOWN, regions=("세종",), unknown_names=("세종 중구",)),
    case("없는시는 2023", UNKNOWN, years=(2023,), unknown_names=("없는시",)),
    # years: relative, short, suffixed, ranges
    case("올해 김해시", GRADE, "경남 김해시", relative_year=0),
    case("최근 김해시 등급", GRADE, "경남 김해시", relative_year=0),
    case("김해시 최신", GRADE, "경남 김해시", relative_year=0),
    case("작년 김해시", GRADE, "경남 김해시", relative_year=-1),
    case("김해시 지난해 등급", GRADE, "경남 김해시", relative_year=-1),
    case("재작년 김해시", GRADE, "경남 김해시", relative_year=-2),
    case("김해시 '23", GRADE, "경남 김해시", years=(2023,)),
    case("김해시 23년", GRADE, "경남 김해시", years=(2023,)),
    case("23년도 김해시", GRADE, "경남 김해시", years=(2023,)),
    case("김해시 2023년도", GRADE, "경남 김해시", years=(2023,)),
    case("김해시 2022 2023", GRADE, "경남 김해시", years=(2022, 2023)),
    case("김해시 2021~2023", HISTORY, "경남 김해시", year_range=(2021, 2023)),
    case("김해시 2021-2023", HISTORY, "경남 김해시", year_range=(2021, 2023)),
    case("김해시 2021~23", HISTORY, "경남 김해시", year_range=(2021, 2023)),
    case("김해시 2023~2021", HISTORY, "경남 김해시", year_range=(2021, 2023)),
    case("2020년부터 2023년까지 김해시", HISTORY, "경남 김해시", year_range=(2020, 2023)),
    case("김해시 2023-10-01", GRADE, "경남 김해시", years=(2023,)),
    case("1999 김해시", GRADE, "경남 김해시", years=(1999,)),
    # lists: region, type and grade filters
    case("2023 경남 가 등급", LIST, years=(2023,), regions=("경남",), grades=("가",)),
    case("2024 중앙행정기관 마 등급", LIST, years=(2024,), groups=("중앙",), grades=("마",)),
    case("경남 2024", LIST, years=(2024,), regions=("경남",)),
    case(
        "전북 2023 시 다",
        LIST,
        years=(2023,),
        regions=("전북",),
        groups=("기초-시",),
        grades=("다",),
    ),
    case(
        "2023년 경남 시 가등급",
        LIST,
        years=(2023,),
        regions=("경남",),
        groups=("기초-시",),
        grades=("가",),
    ),
    case("강원 2023 군", LIST, years=(2023,), regions=("강원",), groups=("기초-군",)),
    case("마등급 2024 중앙", LIST, years=(2024,), groups=("중앙",), grades=("마",)),
    case("최우수 2023 경남", LIST, years=(2023,), regions=("경남",), grades=("최우수",)),
    case("2024 아주미흡 등급", LIST, years=(2024,), grades=("아주미흡",)),
    case("경남 가 등급 기관 목록", LIST, regions=("경남",), grades=("가",)),
    case("경기 2018", LIST, years=(2018,), regions=("경기",)),
    case("교육청 2023", LIST, years=(2023,), groups=("교육청",)),
    case("기초 2022 가", LIST, years=(2022,), groups=LOCAL, grades=("가",)),
    case("경상남도 가 2023", LIST, years=(2023,), regions=("경남",), grades=("가",)),
    case("경남도 가 2023", LIST, years=(2023,), regions=("경남",), grades=("가",)),
    case("경남도 고성군", GRADE, "경남 고성군", regions=("경남",)),
    case("작년 경남 나 등급", LIST, relative_year=-1, regions=("경남",), grades=("나",)),
    case("서울 시", LIST, regions=("서울",), groups=("기초-시",)),
    case("서울", LIST, regions=("서울",)),
    case("경남 2023 비교", LIST, years=(2023,), regions=("경남",)),
    # items, history, compare
    case("경남 고성군 2023 항목별", ITEMS, "경남 고성군", years=(2023,), regions=("경남",)),
    case("2023 거제시 항목별", ITEMS, "경남 거제시", years=(2023,)),
    case("거제시 2023 세부 결과", ITEMS, "경남 거제시", years=(2023,)),
    case("김해시 등급 추이", HISTORY, "경남 김해시"),
    case("김해시 역대 등급", HISTORY, "경남 김해시"),
    case("고성군 vs 통영시 2023", COMPARE, BOTH_GOSEONG, "경남 통영시", years=(2023,)),
    case("김해시 양산시 비교", COMPARE, "경남 김해시", "경남 양산시"),
    case("김해시 vs 양산시 vs 거제시", COMPARE, "경남 김해시", "경남 양산시", "경남 거제시"),
    case("김해시 양산시 작년", COMPARE, "경남 김해시", "경남 양산시", relative_year=-1),
    # English
    case("Goseong", GRADE, BOTH_GOSEONG, lang=EN),
    case("Gimhae", GRADE, "경남 김해시", lang=EN),
    case("goseong-gun", GRADE, BOTH_GOSEONG, lang=EN),
    case("Goseong 2023 grade", GRADE, BOTH_GOSEONG, years=(2023,), lang=EN),
    case("gyeongnam goseong", GRADE, "경남 고성군", regions=("경남",), lang=EN),
    case("Goseong-gun Gyeongnam", GRADE, "경남 고성군", regions=("경남",), lang=EN),
    case("Busan Jung-gu", GRADE, "부산 중구", regions=("부산",), lang=EN),
    case("gimhae last year", GRADE, "경남 김해시", relative_year=-1, lang=EN),
    case("gimhae this year", GRADE, "경남 김해시", relative_year=0, lang=EN),
    case("What was Gimhae's grade in 2023?", GRADE, "경남 김해시", years=(2023,), lang=EN),
    case("which grade did gimhae get in 2023", GRADE, "경남 김해시", years=(2023,), lang=EN),
    case("goseong history", HISTORY, BOTH_GOSEONG, lang=EN),
    case("Gimhae vs Yangsan", COMPARE, "경남 김해시", "경남 양산시", lang=EN),
    case("Gimhae and Yangsan 2023", COMPARE, "경남 김해시", "경남 양산시", years=(2023,), lang=EN),
    case("Gyeongnam 2023 list", LIST, years=(2023,), regions=("경남",), lang=EN),
    case(
        "gyeongnam counties 2023",
        LIST,
        years=(2023,),
        regions=("경남",),
        groups=("기초-군",),
        lang=EN,
    ),
    case("central agencies 2024", LIST, years=(2024,), groups=("중앙",), lang=EN),
    case("seoul education office", GRADE, "서울특별시교육청", lang=EN),
    case("Gyeongsangnam-do Goseong", GRADE, "경남 고성군", regions=("경남",), lang=EN),
    case("Gangwon-do 2022", GRADE, "강원특별자치도", years=(2022,), lang=EN),
    case("Gwangju 2023", LIST, years=(2023,), regions=("광주",), lang=EN),
    case("Gwangju-si", GRADE, "경기 광주시", lang=EN),
    case("Gwangju Buk-gu", GRADE, "광주 북구", regions=("광주",), lang=EN),
    case("ｇｉｍｈａｅ ２０２３", GRADE, "경남 김해시", years=(2023,), lang=EN),
    # mixed: English grammar words make an English question; Korean ones a Korean one
    case("고성군 grade 2023?", GRADE, BOTH_GOSEONG, years=(2023,), lang=EN),
    case("경남 고성군 2023 items", ITEMS, "경남 고성군", years=(2023,), regions=("경남",), lang=EN),
    case("김해시 history", HISTORY, "경남 김해시", lang=EN),
    case("Gimhae 2023 등급", GRADE, "경남 김해시", years=(2023,)),
    case("Gimhae 등급 추이", HISTORY, "경남 김해시"),
    # help
    case("help", HELP, lang=EN),
    case("usage", HELP, lang=EN),
    case("도움말", HELP),
    case("사용법", HELP),
    case("", HELP),
    case("   ", HELP),
    case("\n\t ", HELP),
    case("<@U123>", HELP),
    case("?", HELP),
    # nonsense and hostile input: a hint, never an exception
    case("날씨 어때", Intent.OUT_OF_SCOPE),
    case("안녕하세요", Intent.GREETING),
    case("asdkfj", UNKNOWN, lang=EN),
    case("hello", Intent.GREETING, lang=EN),
    case("🙂🙂", UNKNOWN),
    case("金海市", UNKNOWN),
    case("추이", UNKNOWN),
    case("비교", UNKNOWN),
    case("2023", UNKNOWN, years=(2023,)),
    case("\x00\x01\x02\x1b[31m", UNKNOWN, lang=EN),
    case("'; DROP TABLE results;--", UNKNOWN, lang=EN),
    case("SELECT * FROM results WHERE 1=1", UNKNOWN, lang=EN),
    case("%s %d {0} ${x} \\n", UNKNOWN, lang=EN),
    # Slack markup and escapes
    case("<@U123> 김해시 2023", GRADE, "경남 김해시", years=(2023,)),
    case("<!here> 김해시 2023", GRADE, "경남 김해시", years=(2023,)),
    case("<#C123|general> 김해시", GRADE, "경남 김해시"),
    case("<https://example.com|link> 김해시", GRADE, "경남 김해시"),
    case("*김해시* `2023`", GRADE, "경남 김해시", years=(2023,)),
    case("김해시 &amp; 양산시", COMPARE, "경남 김해시", "경남 양산시"),
    case("김\u200b해시 2023", GRADE, "경남 김해시", years=(2023,)),
]


@pytest.mark.parametrize(PARAMS, CASES)
def test_parse(
    catalog: Catalog,
    text: str,
    intent: Intent,
    agencies: tuple[str, ...],
    lang: Lang,
    fields: dict[str, Any],
) -> None:
    query = check_parse(catalog, text, intent, agencies, lang, fields, checked=CHECKED)
    assert query.text == text


@pytest.mark.parametrize("word", list(GROUP_WORDS))
def test_every_group_word_lists_its_groups(catalog: Catalog, word: str) -> None:
    query = parse(f"2023 {word} 가 등급", catalog)
    assert query.intent is LIST and not query.agencies, query
    assert query.groups == GROUP_WORDS[word], query


@pytest.mark.parametrize("word", list(ITEM_WORDS))
def test_every_item_word_names_its_item(catalog: Catalog, word: str) -> None:
    query = parse(f"고성군 2023 {word} +5점이면", catalog)
    assert query.intent is Intent.WHATIF, query
    assert [(c.item, c.amount) for c in query.changes] == [(ITEM_WORDS[word], 5.0)], query


def test_typo_is_marked_fuzzy_and_exact_is_not(catalog: Catalog) -> None:
    assert parse("김헤시", catalog).agencies[0].fuzzy
    assert not parse("김해시", catalog).agencies[0].fuzzy


def test_former_and_current_names_are_one_agency(catalog: Catalog) -> None:
    for former, current in (
        ("강원도", "강원특별자치도"),
        ("전라북도", "전북특별자치도"),
        ("강원도교육청", "강원특별자치도교육청"),
    ):
        (then,) = parse(former, catalog).agencies
        (now,) = parse(current, catalog).agencies
        assert then.candidates == now.candidates and len(now.candidates) == 1


def test_parse_is_pure(catalog: Catalog) -> None:
    before = (dict(catalog.terms), dict(catalog.regions))
    first = parse("경남 고성군 2023 항목별", catalog)
    assert parse("경남 고성군 2023 항목별", catalog) == first
    assert (dict(catalog.terms), dict(catalog.regions)) == before


LONG_INPUTS = {
    "hangul": "가" * 10_240,
    "one name repeated": "김해시" * 3_500,
    "region repeated": "경남" * 5_120,
    "names glued": "경남고성군김해시통영시거제시" * 800,
    "words": "경남 고성군 2023 가 등급 " * 600,
    "latin": "goseong-gun " * 900,
    "digits": "2023" * 2_600,
    "ranges": "2021~2023 " * 1_100,
    "markup": "<@U123> <https://x.y|z> &amp; " * 400,
    "controls": "\x00\x1b\u200b\ufeff" * 2_600,
    "emoji": "🙂" * 10_240,
    "jamo": "ㄱㅏ" * 5_120,
}


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_very_long_input_is_read_quickly(catalog: Catalog, text: str) -> None:
    assert len(text.encode()) >= 10_000
    started = time.perf_counter()
    query = parse(text, catalog)
    assert time.perf_counter() - started < 0.5
    assert isinstance(query, Query)
    assert query.text == text


def test_long_input_still_reads_the_question_at_its_start(catalog: Catalog) -> None:
    query = parse("경남 고성군 2023 " + "ㅋ" * 10_000, catalog)
    assert query.intent is GRADE and query.years == (2023,)
    assert [catalog.agencies[i].label() for i in query.agencies[0].candidates] == ["경남 고성군"]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120))
def test_never_raises(catalog: Catalog, text: str) -> None:
    query = parse(text, catalog)
    assert query.intent in Intent
    assert all(m.candidates for m in query.agencies)


WORDS = [
    "경남",
    "고성군",
    "김해",
    "2023",
    "'23",
    "가",
    "등급",
    "추이",
    "vs",
    "중구",
    "올해",
    "항목별",
    "goseong",
    "history",
    "서울",
    "(",
    ")",
    "~",
    "2021",
    "은",
    "의",
    "시",
    " ",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map("".join))
def test_never_raises_on_question_like_text(catalog: Catalog, text: str) -> None:
    query = parse(text, catalog)
    assert query.intent in Intent
    if query.year_range:
        assert query.year_range[0] <= query.year_range[1]
