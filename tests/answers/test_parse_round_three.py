"""Issue 19's classes, phrased differently from the issue's own examples: the evaluation's
words are never agency names and a typo never beats an exact name; two or more 시·도
compared; '몇 점' as the official total, '몇 년 연속' as a count; whether a year is out and a
list complete; English province, city and office-of-education names; bad input. Each row
asserts the parsed intent, what it asks beyond it, agencies, years, regions, groups and grades;
the catalog is the bundled data's."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_kit import PARAMS, case, check_parse

from answers.query import Asks, Intent, Lang
from answers.understanding.catalog import Catalog
from answers.understanding.lexicon import EVALUATION_WORDS
from answers.understanding.parse import parse

KO, EN = Lang.KO, Lang.EN
GRADE, HISTORY, COMPARE, LIST = Intent.GRADE, Intent.HISTORY, Intent.COMPARE, Intent.LIST
STREAK, WHY, COVERAGE, UNKNOWN = Intent.STREAK, Intent.WHY, Intent.COVERAGE, Intent.UNKNOWN
WHATIF, CUTOFF = Intent.WHATIF, Intent.CUTOFF
COUNT, SCORE, RELEASE, COMPLETE = Asks.COUNT, Asks.SCORE, Asks.RELEASE, Asks.COMPLETE
GOSEONG = "경남 고성군|강원 고성군"
CHECKED: dict[str, Any] = dict.fromkeys(
    ("years", "regions", "groups", "grades", "unknown_names"), ()
)
CHECKED["asks"] = None


CASES = [
    # --- 1. the evaluation's own words are never names; exact names first ---
    case("충남도 2021년 종평 등급", GRADE, "충청남도", years=(2021,)),
    case("종평은 어땠어 김해시", GRADE, "경남 김해시"),
    case("종평 결과 2023 경남 가", LIST, years=(2023,), regions=("경남",), grades=("가",)),
    case("2024 라등급 받은 기관 전부 알려줘", LIST, years=(2024,), grades=("라",)),
    case("기관 전부 2022 마", LIST, years=(2022,), grades=("마",)),
    case("2022년 데이터 전부 있어?", COVERAGE, years=(2022,), asks=COMPLETE),
    case("결과표 2023 기관 목록", LIST, years=(2023,)),
    case("민원평가 현황 2021", LIST, years=(2021,)),
    case("the full 2022 results", LIST, lang=EN, years=(2022,)),
    case("전부", UNKNOWN),
    case("데이터", UNKNOWN),
    case("종평종평", UNKNOWN),
    case("김해시랑 양삼시 비교", COMPARE, "경남 김해시", "경남 양산시"),  # a name-shaped typo
    case("통영시 대 거재시 2023", COMPARE, "경남 통영시", "경남 거제시", years=(2023,)),
    case("gimhea versus tongyeong", COMPARE, "경남 김해시", "경남 통영시", lang=EN),
    case("김헤 2023", UNKNOWN, years=(2023,)),  # two syllables: never read as a typo
    case("doing 2024", UNKNOWN, lang=EN, years=(2024,)),  # five letters: no 동구
    case("among the 2024 ones", UNKNOWN, lang=EN, years=(2024,)),  # no 남동구
    # --- 2. comparisons of any two or more agencies, 시·도 by short name ---
    case("인천 대 울산 2023", COMPARE, "인천광역시", "울산광역시", years=(2023,)),
    case("부산광역시랑 대구광역시 비교", COMPARE, "부산광역시", "대구광역시"),
    case("경상북도 vs 경상남도 2024", COMPARE, "경상북도", "경상남도", years=(2024,)),
    case("세종 vs 제주 2022", COMPARE, "세종특별자치시", "제주특별자치도", years=(2022,)),
    case("전라남도 충청남도 2023", COMPARE, "전라남도", "충청남도", years=(2023,)),
    case("대전시랑 울산시 등급 비교해줘", COMPARE, "대전광역시", "울산광역시"),
    case("서울시 vs 강남구", COMPARE, "서울특별시", "서울 강남구"),
    case("행안부 vs 경기도 vs 성동구", COMPARE, "행정안전부", "경기도", "서울 성동구"),
    case("daejeon vs ulsan 2024", COMPARE, "대전광역시", "울산광역시", lang=EN, years=(2024,)),
    case("부산 vs 대구 교육청", COMPARE, "부산광역시교육청", "대구광역시교육청"),
    # unchanged: a region beside a name places it; with a grade it is a list
    case("경상남도 고성군 vs 통영시", COMPARE, "경남 고성군", "경남 통영시", regions=("경남",)),
    case("경남 vs 경북 2024 가", LIST, years=(2024,), regions=("경남", "경북"), grades=("가",)),
    case("경남 2023 비교", LIST, years=(2023,), regions=("경남",)),
    case("경기도 고성군", UNKNOWN, regions=("경기",), unknown_names=("경기 고성군",)),
    # --- 3. why-questions (the premise is checked by the answer) ---
    case("전주시가 2024년에 떨어진 이유", WHY, "전북 전주시", years=(2024,), direction="down"),
    case("why did busan fall", WHY, "부산광역시", lang=EN, direction="down"),
    case("세종 왜 떨어졌어", WHY, "세종특별자치시", direction="down"),  # a region alone
    # --- 4. '몇 점' is the official total; a cut-off needs a target ---
    case("성동구 2024년 몇 점 받았어?", GRADE, "서울 성동구", years=(2024,), asks=SCORE),
    case("시흥시 점수가 몇 점이야", GRADE, "경기 시흥시", asks=SCORE),
    case("시흥시 총점", GRADE, "경기 시흥시", asks=SCORE),
    case(
        "how many points did gimhae get in 2021",
        GRADE,
        "경남 김해시",
        lang=EN,
        years=(2021,),
        asks=SCORE,
    ),  # fmt: skip
    case("김해시 가등급 되려면 몇 점", CUTOFF, "경남 김해시", grades=("가",)),
    case("김해시 몇 점 더 받아야 나등급", CUTOFF, "경남 김해시", grades=("나",)),
    case(
        "2023 기초-시 가 몇 점부터야?", CUTOFF, years=(2023,), groups=("기초-시",), grades=("가",)
    ),
    case("how many more points does gimhae need", CUTOFF, "경남 김해시", lang=EN),
    # --- 5. '몇 년 연속' / '몇 년째' count the run ---
    case("음성군 가등급 연속 몇 년째야?", STREAK, "충북 음성군", grades=("가",), asks=COUNT),
    case("병무청 몇 년 연속 가등급 받았나요", STREAK, "병무청", grades=("가",), asks=COUNT),
    case("파주시 몇 해째 가였어", STREAK, "경기 파주시", grades=("가",), asks=COUNT),
    case("성동구 몇 년 연속이야", STREAK, "서울 성동구", asks=COUNT),
    case("음성군 연속 가등급 몇 년?", STREAK, "충북 음성군", grades=("가",), asks=COUNT),
    case(
        "how many straight years has seongdong been 가",
        STREAK,
        "서울 성동구",
        lang=EN,
        grades=("가",),
        asks=COUNT,
    ),  # fmt: skip
    case("몇 년째 가등급인 곳", STREAK, grades=("가",), asks=COUNT),
    case("충청남도 몇 년 연속 다?", STREAK, "충청남도", grades=("다",), asks=COUNT),
    case("충남 몇 년 연속 가?", STREAK, regions=("충남",), grades=("가",), asks=COUNT),
    case("성동구 7년 연속 가?", STREAK, "서울 성동구", grades=("가",)),  # a yes/no, as before
    # --- 6. is a year out; is a list complete ---
    case("2027년 평가 나왔어?", COVERAGE, years=(2027,), asks=RELEASE),
    case("이번 결과 발표됐나요", COVERAGE, asks=RELEASE),
    case("are the 2024 results published", COVERAGE, lang=EN, years=(2024,), asks=RELEASE),
    case("결과 떴어?", COVERAGE, asks=RELEASE),
    case("김해시 2024 결과 나왔어?", GRADE, "경남 김해시", years=(2024,), asks=RELEASE),
    case("2022 마등급 명단 빠진 거 없어?", LIST, years=(2022,), grades=("마",), asks=COMPLETE),
    case(
        "is the 2021 가 list complete", LIST, lang=EN, years=(2021,), grades=("가",), asks=COMPLETE
    ),  # fmt: skip
    case("2020 명단 다 있어?", COVERAGE, years=(2020,), asks=COMPLETE),
    case(
        "2024 중앙 가등급 누락 없어?",
        LIST,
        years=(2024,),
        groups=("중앙",),
        grades=("가",),
        asks=COMPLETE,
    ),  # fmt: skip
    case("2024년 다등급 다 보여줘", LIST, years=(2024,), grades=("다",)),  # 다 as 'all'
    case("2023 가등급 명단 이게 전부야?", LIST, years=(2023,), grades=("가",), asks=COMPLETE),
    case(
        "중앙부처 2023 마등급 빠진 곳?",
        LIST,
        years=(2023,),
        groups=("중앙",),
        grades=("마",),
        asks=COMPLETE,
    ),  # fmt: skip
    case("2025년 결과는 다 나온 거야?", COVERAGE, years=(2025,), asks=RELEASE),  # 다: 'all'
    case("2028 결과 아직이야?", COVERAGE, years=(2028,), asks=RELEASE),
    # --- 7. English province, city and office-of-education names ---
    case("Gyeongsangbuk Province 2022", GRADE, "경상북도", lang=EN, years=(2022,)),
    case("North Chungcheong Province 2023", GRADE, "충청북도", lang=EN, years=(2023,)),
    case("Daejeon City 2024", GRADE, "대전광역시", lang=EN, years=(2024,)),
    case("ulsan metropolitan city history", HISTORY, "울산광역시", lang=EN),
    case("Incheon Office of Education 2023", GRADE, "인천광역시교육청", lang=EN, years=(2023,)),
    case("Jeollanam-do Office of Education", GRADE, "전라남도교육청", lang=EN),
    case("chungnam education office 2024", GRADE, "충청남도교육청", lang=EN, years=(2024,)),
    case("what if ulsan satisfaction +3 2023", WHATIF, "울산광역시", lang=EN, years=(2023,)),
    case("Gwangju City 2024", GRADE, "경기 광주시", lang=EN, years=(2024,)),  # the catalog's
    case(
        "gyeonggi province 2024 가", LIST, lang=EN, years=(2024,), regions=("경기",), grades=("가",)
    ),  # fmt: skip
    case("south jeolla 2023", LIST, lang=EN, years=(2023,), regions=("전남",)),
    case("Gyeonggi City 2024", LIST, lang=EN, years=(2024,), regions=("경기",)),  # no place
    # --- bad input: never raises, never an agency out of nothing ---
    case("몇 점", UNKNOWN, asks=SCORE),
    case("나왔어?", COVERAGE, asks=RELEASE),
    case("vs vs vs", UNKNOWN),
    case("province office of education", LIST, lang=EN, groups=("교육청",)),
    case("종평 " * 60, UNKNOWN),
    # a body outside the evaluation is named as unknown, for the answer to say so
    case("한국전력공사 2024 등급", UNKNOWN, years=(2024,), unknown_names=("한국전력공사",)),
    case("삼성전자 평가 결과", UNKNOWN, unknown_names=("삼성전자",)),
]


@pytest.mark.parametrize(PARAMS, CASES)
def test_parse_round_three(
    catalog: Catalog,
    text: str,
    intent: Intent,
    agencies: tuple[str, ...],
    lang: Lang,
    fields: dict[str, Any],
) -> None:
    check_parse(
        catalog, text, intent, agencies, lang, fields, checked=CHECKED, when_given=("direction",)
    )


@pytest.mark.parametrize("word", sorted(EVALUATION_WORDS))
def test_no_word_of_the_evaluation_is_an_agency(catalog: Catalog, word: str) -> None:
    """Alone, with a year, with a particle: never an agency, exactly or as a typo."""
    assert not catalog.lookup(word) and compact_region(catalog, word) is None
    for text in (word, f"2024 {word}", f"{word}은 2023", f"{word}이 궁금해"):
        assert parse(text, catalog).agencies == (), text


def compact_region(catalog: Catalog, word: str) -> str | None:
    return catalog.regions.get(word)


@pytest.mark.parametrize("word", sorted(w for w in EVALUATION_WORDS if not w.isascii()))
def test_a_word_of_the_evaluation_never_beats_an_exact_name(catalog: Catalog, word: str) -> None:
    query = parse(f"경기도 2022년 {word} 알려줘", catalog)
    named = [catalog.agencies[i].name for m in query.agencies for i in m.candidates]
    assert not any(m.fuzzy for m in query.agencies), query
    assert set(named) <= {"경기도"} and set(query.regions) <= {"경기"}, query  # 목록: 경기's list
    assert named or query.regions, query


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                *sorted(EVALUATION_WORDS),
                "2024",
                "vs",
                "몇 점",
                "몇 년 연속",
                "나왔어",
                "완전해",
                "Province",
                "Office of Education",
                "South",
                "다",
                "가야",
                "?",
            ]
        ),
        max_size=10,
    ).map(" ".join)
)
def test_evaluation_words_in_any_order_name_no_agency(catalog: Catalog, text: str) -> None:
    query = parse(text, catalog)
    assert query.intent in Intent and query.agencies == (), query
