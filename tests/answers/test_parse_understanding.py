"""How people really ask (issue 12): spans, streaks, changes, scopes, 2016/2017 grade words,
why-questions, greetings, questions outside the evaluation, stray command words, spacing
errors, particles, typos and mixed Korean/English. Each row asserts the parsed intent,
agencies, years, grades, scope and span; the catalog is the bundled data's."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from parse_kit import PARAMS, case, check_parse

from answers.query import Intent, Lang
from answers.understanding.catalog import Catalog
from answers.understanding.lexicon import MAX_CHARS
from answers.understanding.parse import parse

KO, EN = Lang.KO, Lang.EN
GRADE, HISTORY, COMPARE, LIST = Intent.GRADE, Intent.HISTORY, Intent.COMPARE, Intent.LIST
ITEMS, STREAK, WHY = Intent.ITEMS, Intent.STREAK, Intent.WHY
HELLO, OUTSIDE, UNKNOWN = Intent.GREETING, Intent.OUT_OF_SCOPE, Intent.UNKNOWN
LOCAL = ("기초-시", "기초-군", "기초-구")
COUNCILS = ("광역", *LOCAL)  # 지자체: 광역 + 기초, never 중앙 or 교육청
CITIES_COUNTIES = ("기초-시", "기초-군")
GOSEONG = "경남 고성군|강원 고성군"
CHECKED: dict[str, Any] = {
    "years": (),
    "year_range": None,
    "regions": (),
    "groups": (),
    "grades": (),
    "span_years": None,
    "since": None,
    "all_years": False,
    "streak": None,
}


CASES = [
    # --- time spans: the latest N evaluation years, a start year, every year ---
    case("고성군 최근 5년", HISTORY, GOSEONG, span_years=5),
    case("고성군 지난 3년", HISTORY, GOSEONG, span_years=3),
    case("최근 3년 행안부", HISTORY, "행정안전부", span_years=3),
    case("행안부 최근3년", HISTORY, "행정안전부", span_years=3),
    case("최근 3년간 김해시 등급", HISTORY, "경남 김해시", span_years=3),
    case("김해시 3년간", HISTORY, "경남 김해시", span_years=3),
    case("김해시 5년간 등급", HISTORY, "경남 김해시", span_years=5),
    case("김해시 최근 4개년", HISTORY, "경남 김해시", span_years=4),
    case("김해시 지난 2년 동안", HISTORY, "경남 김해시", span_years=2),
    case("김해시 과거 5년", HISTORY, "경남 김해시", span_years=5),
    case("지난 10년 성동구", HISTORY, "서울 성동구", span_years=10),
    case("성동구 최근 10년 추이", HISTORY, "서울 성동구", span_years=10),
    case("last 3 years gimhae", HISTORY, "경남 김해시", lang=EN, span_years=3),
    case("gimhae last 5 years", HISTORY, "경남 김해시", lang=EN, span_years=5),
    case("Gimhae past 4 years", HISTORY, "경남 김해시", lang=EN, span_years=4),
    case("gimhae grades over the last 3 years", HISTORY, "경남 김해시", lang=EN, span_years=3),
    case("2020년 이후 김해시", HISTORY, "경남 김해시", since=2020),
    case("김해시 2020년부터", HISTORY, "경남 김해시", since=2020),
    case("김해시 2019년 이후 등급", HISTORY, "경남 김해시", since=2019),
    case("김해시 2020 이후", HISTORY, "경남 김해시", since=2020),
    case("since 2020 gimhae", HISTORY, "경남 김해시", lang=EN, since=2020),
    case("gimhae since 2021", HISTORY, "경남 김해시", lang=EN, since=2021),
    case("gimhae 2020 onwards", HISTORY, "경남 김해시", lang=EN, since=2020),
    case("김해시 2020년부터 2023년까지", HISTORY, "경남 김해시", year_range=(2020, 2023)),
    case("역대 김해시", HISTORY, "경남 김해시", all_years=True),
    case("김해시 전체 연도", HISTORY, "경남 김해시", all_years=True),
    case("김해시 전체연도 등급", HISTORY, "경남 김해시", all_years=True),
    case("김해시 모든 연도", HISTORY, "경남 김해시", all_years=True),
    case("all years gimhae", HISTORY, "경남 김해시", lang=EN, all_years=True),
    case("gimhae every year", HISTORY, "경남 김해시", lang=EN, all_years=True),
    case("경남 가등급 기관 전체 연도", LIST, regions=("경남",), grades=("가",), all_years=True),
    case("경남 가 등급 역대", LIST, regions=("경남",), grades=("가",), all_years=True),
    case("최근 3년 경남 가등급", LIST, regions=("경남",), grades=("가",), span_years=3),
    case("2020년 이후 중앙 마 등급", LIST, groups=("중앙",), grades=("마",), since=2020),
    case("교육청 최근 2년", LIST, groups=("교육청",), span_years=2),
    case("goseong over the past five years", HISTORY, GOSEONG, lang=EN, span_years=5),
    case("창원시 최근 몇 년 등급", HISTORY, "경남 창원시", all_years=True),
    case("gimhae recent years", HISTORY, "경남 김해시", lang=EN, all_years=True),
    case("행안부 18~24", HISTORY, "행정안전부", year_range=(2018, 2024)),
    # --- streaks: 'N년 연속' is never the year 20NN ---
    case("성동구 8년 연속 가등급?", STREAK, "서울 성동구", grades=("가",), streak=8),
    case("성동구 8년연속 가", STREAK, "서울 성동구", grades=("가",), streak=8),
    case("성동구 8년 째 연속 가등급", STREAK, "서울 성동구", grades=("가",), streak=8),
    case("성동구 연속 8년 가등급", STREAK, "서울 성동구", grades=("가",), streak=8),
    case("성동구가 10년 연속 가등급인가요", STREAK, "서울 성동구", grades=("가",), streak=10),
    case("10년 연속 가등급", STREAK, grades=("가",), streak=10),
    case("3년 연속 가등급 기관", STREAK, grades=("가",), streak=3),
    case("경남 3년 연속 가등급", STREAK, regions=("경남",), grades=("가",), streak=3),
    case("3년 연속 마등급 중앙부처", STREAK, groups=("중앙",), grades=("마",), streak=3),
    case("의성군 2년 연속 최우수?", STREAK, "경북 의성군", grades=("최우수",), streak=2),
    case("seongdong 8 years in a row", STREAK, "서울 성동구", lang=EN, streak=8),
    case(
        "seongdong 8 consecutive years 가", STREAK, "서울 성동구", lang=EN, grades=("가",), streak=8
    ),
    case(
        "성동구 2023년까지 3년 연속 가",
        STREAK,
        "서울 성동구",
        years=(2023,),
        grades=("가",),
        streak=3,
    ),
    case("김해시 몇 년째 나등급?", STREAK, "경남 김해시", grades=("나",), all_years=True),
    case("성동구 연속 몇 년 가?", STREAK, "서울 성동구", grades=("가",), all_years=True),
    case("고성군 vs 통영시 최근 3년", COMPARE, GOSEONG, "경남 통영시", span_years=3),
    case("성동구 3연속 가?", STREAK, "서울 성동구", grades=("가",), streak=3),
    case("성동구는 매년 가등급이야?", STREAK, "서울 성동구", grades=("가",), all_years=True),
    case(
        "is Seongdong always grade ga?",
        STREAK,
        "서울 성동구",
        lang=EN,
        grades=("가",),
        all_years=True,
    ),
    case("성동구 전체 연도 가등급?", HISTORY, "서울 성동구", grades=("가",), all_years=True),
    case("gimhae best grade ever", HISTORY, "경남 김해시", lang=EN, grades=("가",), all_years=True),
    # --- a change on one year: from the previous evaluation year ---
    case("의성군 2024 등급 변화", HISTORY, "경북 의성군", years=(2024,)),
    case("의성군 2024년 등급 바뀌었어?", HISTORY, "경북 의성군", years=(2024,)),
    case("의성군 등급 바뀌었나", HISTORY, "경북 의성군"),
    case("2024 의성군 달라졌어?", HISTORY, "경북 의성군", years=(2024,)),
    case("의성군 2024 변동", HISTORY, "경북 의성군", years=(2024,)),
    case("의성군 작년 대비 등급", HISTORY, "경북 의성군", span_years=2),
    case("uiseong 2024 change", HISTORY, "경북 의성군", lang=EN, years=(2024,)),
    case("did uiseong's grade change in 2024", HISTORY, "경북 의성군", lang=EN, years=(2024,)),
    # --- scopes ---
    case("2024년 전국 가등급 지자체", LIST, years=(2024,), groups=COUNCILS, grades=("가",)),
    case("2024 지자체 가", LIST, years=(2024,), groups=COUNCILS, grades=("가",)),
    case("지방자치단체 2023 마등급", LIST, years=(2023,), groups=COUNCILS, grades=("마",)),
    case("2024 전국 마 등급", LIST, years=(2024,), grades=("마",)),
    case("전국 2024", LIST, years=(2024,)),
    case("2024년 경기도 시군 등급", LIST, years=(2024,), regions=("경기",), groups=CITIES_COUNTIES),
    case("경기 시군 2024", LIST, years=(2024,), regions=("경기",), groups=CITIES_COUNTIES),
    case(
        "경남 시·군 2023 가",
        LIST,
        years=(2023,),
        regions=("경남",),
        groups=CITIES_COUNTIES,
        grades=("가",),
    ),
    case(
        "서울 자치구 2018 다등급",
        LIST,
        years=(2018,),
        regions=("서울",),
        groups=("기초-구",),
        grades=("다",),
    ),
    case("서울시 자치구 2024", LIST, years=(2024,), regions=("서울",), groups=("기초-구",)),
    case("부산 자치구들 2023", LIST, years=(2023,), regions=("부산",), groups=("기초-구",)),
    case("자치구 2024 가", LIST, years=(2024,), groups=("기초-구",), grades=("가",)),
    case("기초 2024 마", LIST, years=(2024,), groups=LOCAL, grades=("마",)),
    case("기초자치단체 2023 가등급", LIST, years=(2023,), groups=LOCAL, grades=("가",)),
    case("2023 시군 가등급", LIST, years=(2023,), groups=CITIES_COUNTIES, grades=("가",)),
    case("중앙부처 2024 가", LIST, years=(2024,), groups=("중앙",), grades=("가",)),
    case("부처 2023 마 등급", LIST, years=(2023,), groups=("중앙",), grades=("마",)),
    case("부처들 2023 가", LIST, years=(2023,), groups=("중앙",), grades=("가",)),
    case("교육청들 2024", LIST, years=(2024,), groups=("교육청",)),
    case("교육청들 2024 등급", LIST, years=(2024,), groups=("교육청",)),
    case("2024 시도교육청 가", LIST, years=(2024,), groups=("교육청",), grades=("가",)),
    case("광역 2024 가등급", LIST, years=(2024,), groups=("광역",), grades=("가",)),
    case("광역지자체 2024", LIST, years=(2024,), groups=("광역",)),
    case(
        "서울 구청 가등급 2024",
        LIST,
        years=(2024,),
        regions=("서울",),
        groups=("기초-구",),
        grades=("가",),
    ),
    case("세종시 민원 평가 등급", GRADE, "세종특별자치시"),  # the 가 of 평가 is no grade
    case("김해시 평가등급 2021", GRADE, "경남 김해시", years=(2021,)),
    case("2024 nationwide 가", LIST, lang=EN, years=(2024,), grades=("가",)),
    case("2024 ministries 가", LIST, lang=EN, years=(2024,), groups=("중앙",), grades=("가",)),
    case(
        "gyeonggi cities 2024", LIST, lang=EN, years=(2024,), regions=("경기",), groups=("기초-시",)
    ),
    case(
        "seoul districts 2018", LIST, lang=EN, years=(2018,), regions=("서울",), groups=("기초-구",)
    ),
    # --- 2016 and 2017 grade words ---
    case("2016 S등급", LIST, years=(2016,), grades=("S",)),
    case("2016 s 등급", LIST, years=(2016,), grades=("S",)),
    case("2016년 A등급 기관", LIST, years=(2016,), grades=("A",)),
    case("2016 D등급", LIST, years=(2016,), grades=("D",)),
    case("2016 grade S", LIST, lang=EN, years=(2016,), grades=("S",)),
    case("2017 최우수", LIST, years=(2017,), grades=("최우수",)),
    case("2017 우수", LIST, years=(2017,), grades=("우수",)),
    case("2017 우수 기관", LIST, years=(2017,), grades=("우수",)),
    case("2017 보통 등급", LIST, years=(2017,), grades=("보통",)),
    case("2017 최우수기관", LIST, years=(2017,), grades=("최우수",)),
    # --- the best and the worst grade ---
    case("의성군은 가등급 받은 적 있어?", HISTORY, "경북 의성군", grades=("가",), all_years=True),
    case("의성군 가등급 받은 해", HISTORY, "경북 의성군", grades=("가",), all_years=True),
    case("의성군 최고 등급은?", HISTORY, "경북 의성군", grades=("가",), all_years=True),
    case("기상청 2024년 가 맞아?", GRADE, "기상청", years=(2024,), grades=("가",)),
    case("2025 광역 등급 순위", LIST, years=(2025,), groups=("광역",)),
    case("2024 최하위 기관", LIST, years=(2024,), grades=("마",)),
    case("2024 최고 등급 받은 곳", LIST, years=(2024,), grades=("가",)),
    case(
        "which agencies got the lowest grade in 2024", LIST, lang=EN, years=(2024,), grades=("마",)
    ),
    case("top grade agencies 2024", LIST, lang=EN, years=(2024,), grades=("가",)),
    case("best agencies 2023", LIST, lang=EN, years=(2023,), grades=("가",)),
    case("worst 2024", LIST, lang=EN, years=(2024,), grades=("마",)),
    # --- why: the last recorded change ---
    case("김해시 등급이 떨어진 이유는?", WHY, "경남 김해시", direction="down"),
    case("김해시 왜 떨어졌어", WHY, "경남 김해시", direction="down"),
    case("김해시 등급 하락 원인", WHY, "경남 김해시", direction="down"),
    case("김해시 왜 다등급이야", WHY, "경남 김해시", grades=("다",)),
    case("고성군 왜 올랐어", WHY, GOSEONG, direction="up"),
    case("고성군 등급 상승 이유", WHY, GOSEONG, direction="up"),
    case("why did goseong drop", WHY, GOSEONG, lang=EN, direction="down"),
    case("why did gimhae's grade fall", WHY, "경남 김해시", lang=EN, direction="down"),
    case("why is goseong up", WHY, GOSEONG, lang=EN, direction="up"),
    case("김해시 2021 왜 떨어졌지", WHY, "경남 김해시", years=(2021,), direction="down"),
    case("왜 떨어졌어", WHY, direction="down"),
    # --- greetings and questions outside the evaluation ---
    case("안녕", HELLO),
    case("안녕하세요!", HELLO),
    case("안녕하세요~ ", HELLO),
    case("ㅎㅇ", HELLO),
    case("hi", HELLO, lang=EN),
    case("Hi!", HELLO, lang=EN),
    case("hello there", HELLO, lang=EN),
    case("hey", HELLO, lang=EN),
    case("good morning", HELLO, lang=EN),
    case("감사합니다", HELLO),
    case("thanks", HELLO, lang=EN),
    case("<@U123> 안녕", HELLO),
    case("행안부 장관 누구야", OUTSIDE, "행정안전부"),
    case("행안부 장관이 누구야?", OUTSIDE, "행정안전부"),
    case("김해시장 누구", OUTSIDE, "경남 김해시"),
    case("고성군수 이름", OUTSIDE, GOSEONG),
    case("오늘 날씨 어때", OUTSIDE),
    case("서울 날씨", OUTSIDE, regions=("서울",)),
    case("김해시 인구", OUTSIDE, "경남 김해시"),
    case("김해시청 전화번호", OUTSIDE, "경남 김해시"),
    case("행안부 주소 알려줘", OUTSIDE, "행정안전부"),
    case("who is the minister of the interior", OUTSIDE, lang=EN),
    case("예산군 2024", GRADE, "충남 예산군", years=(2024,)),  # 예산 here is a name, not a budget
    case("기획예산처", GRADE, "기획예산처"),  # a catalog name without a record: not off-topic
    # --- from a fresh set of questions written without reading the parser ---
    case("고성군(경남) 연도별 등급", HISTORY, "경남 고성군", regions=("경남",)),
    case("하남시 2020년 전년대비 어떻게 됐어", HISTORY, "경기 하남시", years=(2020,)),
    case(
        "전북도 2023년에 왜 라등급 받았어",
        Intent.WHY,
        "전북특별자치도",
        years=(2023,),
        grades=("라",),
    ),
    case("경기 지역 새 결과 나오면 알림 받고 싶어", Intent.SUBSCRIBE, regions=("경기",)),
    case("2022년 데이터 몇개나 있어?", Intent.COVERAGE, years=(2022,)),
    case(
        "기초 데이터 어디까지 있음?", Intent.COVERAGE, groups=("기초-시", "기초-군", "기초-구")
    ),  # fmt: skip
    case("김해시 데이터 있어?", GRADE, "경남 김해시"),
    case("데이터처 2023", GRADE, "국가데이터처", years=(2023,)),
    case("weather in seoul", OUTSIDE, lang=EN, regions=("서울",)),
    case("what can you do", Intent.HELP, lang=EN),
    case("뭐 할 수 있어?", Intent.HELP),
    case("사용 방법", Intent.HELP),
    case("어떻게 물어봐야 해?", Intent.HELP),
    case("안녕 김해시 2023", GRADE, "경남 김해시", years=(2023,)),  # a hello, then a question
    case("hi gimhae 2023", GRADE, "경남 김해시", lang=EN, years=(2023,)),
    # --- the language is the question's, not a command word's or a mention's ---
    case("/grade 경남 고성군 2023", GRADE, "경남 고성군", years=(2023,), regions=("경남",)),
    case("/grade 김해시", GRADE, "경남 김해시"),
    case("/minwon 2023 경남 가", LIST, years=(2023,), regions=("경남",), grades=("가",)),
    case("@minwon-bot 김해시 2023", GRADE, "경남 김해시", years=(2023,)),
    case("<@U123> 고성군 2023", GRADE, GOSEONG, years=(2023,)),
    case("/grade gimhae 2023", GRADE, "경남 김해시", lang=EN, years=(2023,)),
    case("/grade goseong history", HISTORY, GOSEONG, lang=EN),
    # --- spacing errors, particles and typos, as typed ---
    case("김해시등급", GRADE, "경남 김해시"),
    case("김해시2023", GRADE, "경남 김해시", years=(2023,)),
    case("김해시 2023년등급", GRADE, "경남 김해시", years=(2023,)),
    case("김해시는2023년에몇등급", GRADE, "경남 김해시", years=(2023,)),
    case("김해시의 등급은 어떻게 되나요", GRADE, "경남 김해시"),
    case("김해시 등급 알려주세요", GRADE, "경남 김해시"),
    case("김해시 등급 좀 알려줘", GRADE, "경남 김해시"),
    case("김해시 2023년 등급이 궁금해요", GRADE, "경남 김해시", years=(2023,)),
    case("김해시는 2023년 몇 등급 받았어?", GRADE, "경남 김해시", years=(2023,)),
    case("창원시 2024 등급 확인", GRADE, "경남 창원시", years=(2024,)),
    case("성동구 등급", GRADE, "서울 성동구"),
    case("성동구 2024년도 등급은", GRADE, "서울 성동구", years=(2024,)),
    case("성동구랑 노원구 2024", COMPARE, "서울 성동구", "서울 노원구", years=(2024,)),
    case("성동구하고 노원구 비교해줘", COMPARE, "서울 성동구", "서울 노원구"),
    case("의성군 24년", GRADE, "경북 의성군", years=(2024,)),
    case("의성군 '24", GRADE, "경북 의성군", years=(2024,)),
    case("의성 2024", GRADE, "경북 의성군", years=(2024,)),
    case("의성군이 2024년에 받은 등급", GRADE, "경북 의성군", years=(2024,)),
    case("의성군 2024 항목별 결과", ITEMS, "경북 의성군", years=(2024,)),
    case("의성군 항목별로 보여줘", ITEMS, "경북 의성군"),
    case("행안부2024", GRADE, "행정안전부", years=(2024,)),
    case("행안부 2024 등급?", GRADE, "행정안전부", years=(2024,)),
    case("행정안전부 24년 결과", GRADE, "행정안전부", years=(2024,)),
    case("행안부랑 권익위 비교", COMPARE, "행정안전부", "국민권익위원회"),
    case("관세청 2021", GRADE, "관세청", years=(2021,)),
    case("관세청 21년 등급", GRADE, "관세청", years=(2021,)),
    case("경기도 2024", GRADE, "경기도", years=(2024,)),
    case("경기도청 2024 등급", GRADE, "경기도", years=(2024,)),
    case("경기 2024 가등급", LIST, years=(2024,), regions=("경기",), grades=("가",)),
    case("경기도 가등급 2024", LIST, years=(2024,), regions=("경기",), grades=("가",)),
    case("2024경기가등급", LIST, years=(2024,), regions=("경기",), grades=("가",)),
    case(
        "2024 경남 시 가등급",
        LIST,
        years=(2024,),
        regions=("경남",),
        groups=("기초-시",),
        grades=("가",),
    ),
    case(
        "2024 경남 군 나등급",
        LIST,
        years=(2024,),
        regions=("경남",),
        groups=("기초-군",),
        grades=("나",),
    ),
    case("2024 마등급 받은 곳", LIST, years=(2024,), grades=("마",)),
    case("2024년 마등급 기관들", LIST, years=(2024,), grades=("마",)),
    case("2024 가등급 어디야", LIST, years=(2024,), grades=("가",)),
    case("2024년도 최우수 기관 목록", LIST, years=(2024,), grades=("최우수",)),
    case("2024 아주 미흡", LIST, years=(2024,), grades=("아주미흡",)),
    case("2024 미흡 등급", LIST, years=(2024,), grades=("미흡",)),
    case("김헤시 2021", GRADE, "경남 김해시", years=(2021,)),
    case("김해시 20233", GRADE, "경남 김해시"),  # a five-digit number is no year
    case("김해 시 2021", GRADE, "경남 김해시", years=(2021,)),
    case("고성 군 2023", GRADE, GOSEONG, years=(2023,)),
    # --- mixed Korean and English ---
    case("김해시 grade 2021", GRADE, "경남 김해시", lang=EN, years=(2021,)),
    case("Gimhae 2021 등급", GRADE, "경남 김해시", years=(2021,)),
    case("seongdong-gu 2024", GRADE, "서울 성동구", lang=EN, years=(2024,)),
    case("Seongdong 2024 grade", GRADE, "서울 성동구", lang=EN, years=(2024,)),
    case("uiseong history", HISTORY, "경북 의성군", lang=EN),
    case("Uiseong-gun 2024", GRADE, "경북 의성군", lang=EN, years=(2024,)),
    case("gyeongnam 2024 가", LIST, lang=EN, years=(2024,), regions=("경남",), grades=("가",)),
    case(
        "2024 central agencies grade ma",
        LIST,
        lang=EN,
        years=(2024,),
        groups=("중앙",),
        grades=("마",),
    ),
]


@pytest.mark.parametrize(PARAMS, CASES)
def test_parse_as_people_ask(
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


def test_the_tables_hold_at_least_300_phrasings() -> None:
    here = Path(__file__).parent
    others = [_load(here / name).CASES for name in ("test_parse.py", "test_parse_scoring.py")]
    assert len(CASES) + sum(map(len, others)) >= 300


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"_table_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_cut_question_names_the_years_it_did_not_read(catalog: Catalog) -> None:
    text = "경남 고성군 등급 " + "정말 궁금합니다 " * 80 + "2021년"
    assert len(text) > MAX_CHARS
    query = parse(text, catalog)
    assert query.truncated and query.cut_years == (2021,)


def test_a_cut_question_whose_years_were_read_is_only_marked_cut(catalog: Catalog) -> None:
    query = parse("경남 고성군 2023 " + "ㅋ" * 2_000 + " 2023", catalog)
    assert query.truncated and query.cut_years == ()
    assert query.intent is GRADE and query.years == (2023,)


def test_a_short_question_is_not_cut(catalog: Catalog) -> None:
    query = parse("경남 고성군 2023", catalog)
    assert not query.truncated and query.cut_years == ()
