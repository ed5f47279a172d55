"""Understanding, round four (issue 19's second fresh check), phrased apart from the judge's
questions: a why about a year (named, or 작년/올해); coverage asked in other words; one agency
with a word of its whole record is its history; a score asked to be out is the score; 'tell
us when' is a subscription; filing a 민원 or writing code is outside; a region's short name
that also names an agency elsewhere; a what-if of the total, or with an item grade; a lone
S–D letter; the top grade asked as such ('최고등급', 'highest'), not as the letter 가. Each row asserts what the reader made of it; the catalog is the bundled data's."""

from __future__ import annotations

from typing import Any

import pytest
from parse_kit import PARAMS, case, check_parse

from answers.query import Asks, Intent, Lang, ScoreChange
from answers.understanding.catalog import Catalog
from domain.items import SATISFACTION, TOTAL

KO, EN = Lang.KO, Lang.EN
GRADE, HISTORY, LIST, WHY = Intent.GRADE, Intent.HISTORY, Intent.LIST, Intent.WHY
STREAK = Intent.STREAK
COVERAGE, SUBSCRIBE, OUTSIDE, WHATIF = (
    Intent.COVERAGE,
    Intent.SUBSCRIBE,
    Intent.OUT_OF_SCOPE,
    Intent.WHATIF,
)
LOCAL = ("기초-시", "기초-군", "기초-구")
CHECKED: dict[str, Any] = {
    **dict.fromkeys(("years", "regions", "groups", "grades", "changes", "items"), ()),
    **dict.fromkeys(("asks", "direction", "relative_year", "subscription"), None),
    "top_grade": False,
}


CASES = [
    # --- a why about a year: named, or 작년/올해 (the answer checks it against the record) ---
    case("충남도 2022년 하락 이유", WHY, "충청남도", years=(2022,), direction="down"),
    case("관세청 지난해 왜 내려갔나", WHY, "관세청", relative_year=-1, direction="down"),
    case("올해 김해시는 왜 떨어졌대", WHY, "경남 김해시", relative_year=0, direction="down"),
    case("전주시 2023년 마등급 받은 까닭", WHY, "전북 전주시", years=(2023,), grades=("마",)),
    case(
        "why did gyeongbuk fall in 2019", WHY, "경상북도", lang=EN, years=(2019,), direction="down"
    ),
    # --- the bot's own data, in other words ---
    case("자료가 어디까지 있나요", COVERAGE),
    case("2018 교육청 데이터 얼마나 돼?", COVERAGE, years=(2018,), groups=("교육청",)),
    case("2020년 기초 기록 몇 건이야", COVERAGE, years=(2020,), groups=LOCAL),
    case("몇 년도부터 기록이 있어?", COVERAGE),
    case("how much data do you have for 2020", COVERAGE, lang=EN, years=(2020,)),
    case("which years do you cover", COVERAGE, lang=EN),
    case("is your 2024 data complete", COVERAGE, lang=EN, years=(2024,), asks=Asks.COMPLETE),
    case("경남 자료 몇 개야", LIST, regions=("경남",)),  # a region named: its list
    # --- one agency and a word of its whole record: its history ---
    case("양산시 결과 쭉 보여줘", HISTORY, "경남 양산시", all_years=True),
    case("대구시 평가 현황", HISTORY, "대구광역시", all_years=True),
    case("기상청 등급 목록", HISTORY, "기상청", all_years=True),
    case("충청북도 등급 흐름", HISTORY, "충청북도"),
    case("병무청 연도별 결과 다 알려줘", HISTORY, "병무청"),
    case("gimhae all grades", HISTORY, "경남 김해시", lang=EN, all_years=True),
    case("행정안전부 등급", GRADE, "행정안전부"),  # 전부 inside 행정안전부 is no such word
    case("양산시 2022 결과 전부", GRADE, "경남 양산시", years=(2022,)),  # a year: that year
    # --- a score asked to be out is the score question ---
    case("병무청 2023 점수 공개됐어?", GRADE, "병무청", years=(2023,), asks=Asks.SCORE),
    case("파주시 총점까지 나와?", GRADE, "경기 파주시", asks=Asks.SCORE),
    case(
        "is paju's 2024 score available",
        GRADE,
        "경기 파주시",
        lang=EN,
        years=(2024,),
        asks=Asks.SCORE,
    ),  # fmt: skip
    case("2024 점수 나왔어?", COVERAGE, years=(2024,), asks=Asks.RELEASE),  # nothing named
    # --- tell us when: a subscription ---
    case("김해시 등급 바뀌면 이 채널에 알려줘", SUBSCRIBE, "경남 김해시", subscription="add"),
    case("전남 결과 발표되면 바로 알려 줘", SUBSCRIBE, regions=("전남",), subscription="add"),
    case(
        "let us know when gyeonggi results come out",
        SUBSCRIBE,
        lang=EN,
        regions=("경기",),
        subscription="add",
    ),  # fmt: skip
    case("구독 그만 경기", SUBSCRIBE, regions=("경기",), subscription="remove"),
    case("알림 꺼줘 경남", SUBSCRIBE, regions=("경남",), subscription="remove"),
    # --- outside the evaluation ---
    case("이번 달 민원 처리 기한이 며칠이야?", OUTSIDE),  # 이번 달: a month, not a year
    case("점심 뭐 먹지?", OUTSIDE),  # a question of words none of which is the evaluation's
    case("아무거나 그냥", Intent.UNKNOWN),  # words that ask nothing: a hint
    case("운전면허 갱신은 어디서 신청해?", OUTSIDE),
    case("가족관계증명서 발급 방법", OUTSIDE),
    case("translate this sentence into korean", OUTSIDE, lang=EN),
    case("can you write a poem about busan", OUTSIDE, lang=EN, regions=("부산",)),
    # --- a region's short name that also names an agency elsewhere ---
    case("광주 2023", LIST, years=(2023,), regions=("광주",), namesakes=("경기 광주시",)),
    case(
        "gwangju 2022", LIST, lang=EN, years=(2022,), regions=("광주",), namesakes=("경기 광주시",)
    ),
    case("광주 자치구 2024", LIST, years=(2024,), regions=("광주",), groups=("기초-구",)),
    case("광주 북구 2024", GRADE, "광주 북구", years=(2024,), regions=("광주",)),
    case("광주 왜 떨어졌어", WHY, "광주광역시|경기 광주시", direction="down"),
    # --- a what-if of the total; a what-if with an item grade ---
    case(
        "김해시 2021년에 5점만 더 받았으면 등급?",
        WHATIF,
        "경남 김해시",
        years=(2021,),
        changes=(ScoreChange(TOTAL, 5.0),),
    ),  # fmt: skip
    case(
        "what if paju lost 3 points in 2024",
        WHATIF,
        "경기 파주시",
        lang=EN,
        years=(2024,),
        changes=(ScoreChange(TOTAL, -3.0),),
    ),  # fmt: skip
    case("시흥시 총점 +2면?", WHATIF, "경기 시흥시", changes=(ScoreChange(TOTAL, 2.0),)),
    case(
        "김해시 만족도가 가였다면 종합 등급은?",
        WHATIF,
        "경남 김해시",
        grades=("가",),
        items=(SATISFACTION,),
    ),  # fmt: skip
    case(
        "what if gimhae got 가 in satisfaction",
        WHATIF,
        "경남 김해시",
        lang=EN,
        grades=("가",),
        items=(SATISFACTION,),
    ),  # fmt: skip
    case(
        "김해시 만족도 3점 오르면",
        WHATIF,
        "경남 김해시",
        changes=(ScoreChange(SATISFACTION, 3.0),),
        items=(SATISFACTION,),
    ),  # fmt: skip  (unchanged: an item named is never the total)
    case(
        "what if Seongdong's total dropped by 4 in 2024",
        WHATIF,
        "서울 성동구",
        lang=EN,
        years=(2024,),
        changes=(ScoreChange(TOTAL, -4.0),),
    ),  # fmt: skip
    case(
        "파주시 민원만족도가 마였으면 등급 떨어짐?",
        WHATIF,
        "경기 파주시",
        grades=("마",),
        items=(SATISFACTION,),
    ),  # fmt: skip  ('만족도가' leaves no grade 가)
    case("서울시 평가 결과들", HISTORY, "서울특별시", all_years=True),
    # --- a lone S–D letter beside a year ---
    case("2016 B", LIST, years=(2016,), grades=("B",)),  # a grade letter is no English
    case("C 2016년", LIST, years=(2016,), grades=("C",)),
    case("is 2016 a good year", Intent.UNKNOWN, lang=EN, years=(2016,)),  # prose: no grade A
    # --- the top grade asked as such: each year's own top, not only 가 (a streak over 2017) ---
    case(
        "성동구 9년 연속 최고등급 맞아?",
        STREAK,
        "서울 성동구",
        grades=("가",),
        streak=9,
        top_grade=True,
    ),
    case(
        "seongdong highest grade 9 years in a row",
        STREAK,
        "서울 성동구",
        lang=EN,
        grades=("가",),
        streak=9,
        top_grade=True,
    ),
    case("2024 최고 등급 받은 곳", LIST, years=(2024,), grades=("가",), top_grade=True),
    case("성동구 9년 연속 가등급", STREAK, "서울 성동구", grades=("가",), streak=9),  # 가 named
    case("영양군 3년 연속 가 받았어?", STREAK, "경북 영양군", grades=("가",), streak=3),
    # --- round five: an everyday word that is also a short name is the word in a sentence ---
    case("예산이 부족한데 어떻게 하지?", OUTSIDE, namesakes=("충남 예산군",)),
    case("음성 메시지로 답해줄 수 있어?", OUTSIDE, namesakes=("충북 음성군",)),
    case("동작 그만 ㅋㅋ", OUTSIDE, namesakes=("서울 동작구",)),
    case("진도 어디까지 나갔어?", OUTSIDE, namesakes=("전남 진도군",)),
    case("예산 등급", GRADE, "충남 예산군"),
    case("음성 2024", GRADE, "충북 음성군", years=(2024,)),
    case("진주 요즘 어때", GRADE, "경남 진주시"),
    case("동작 어때?", GRADE, "서울 동작구"),
    case("음성군 메시지로 알려줘", GRADE, "충북 음성군"),
    # a region's item grades are its 시·도's; a 시·도 written out with N년 연속 is the agency
    case("충남 2024 항목별 등급", Intent.ITEMS, "충청남도", years=(2024,)),
    case("경남 2024 항목별 등급 목록", LIST, years=(2024,), regions=("경남",)),
    case("경기도 4년 연속 가였어?", Intent.STREAK, "경기도", grades=("가",), streak=4),
    case("경기 4년 연속 가", Intent.STREAK, regions=("경기",), grades=("가",), streak=4),
    case(
        "경상남도 3년 연속 가 기관",
        Intent.STREAK,
        regions=("경남",),
        grades=("가",),
        streak=3,
    ),
    # how many were evaluated; 우수기관; what fell or rose
    case("2021 평가대상 기관 수", COVERAGE, years=(2021,)),
    case("how many agencies were evaluated in 2021", COVERAGE, lang=EN, years=(2021,)),
    case("2024 우수기관 어디야?", LIST, years=(2024,), grades=("최우수", "우수")),
    case("2024년에 등급 떨어진 광역", LIST, years=(2024,), groups=("광역",), direction="down"),
    case("2024 하락한 기관", LIST, years=(2024,), direction="down"),
    case(
        "2023 등급 오른 경남 기관",
        LIST,
        years=(2023,),
        regions=("경남",),
        direction="up",
    ),
    case("김해시 2023 올랐어?", GRADE, "경남 김해시", years=(2023,)),
    # round six: a week is not a year; 보통 as 'usually'; scores compared
    case("이번 주 연수 일정 알려줘", OUTSIDE, namesakes=("인천 연수구",)),
    case("이번 달에 김해시 등급", GRADE, "경남 김해시"),
    case("민원 처리 기간 보통 며칠이야?", OUTSIDE),
    case("2017 보통", LIST, years=(2017,), grades=("보통",)),
    case("보통 등급 기관 2024", LIST, years=(2024,), grades=("보통",)),
    case("2024 평가받은 기관 수", COVERAGE, years=(2024,)),
    case(
        "광양시랑 시흥시 2025 점수 비교",
        Intent.COMPARE,
        "전남 광양시",
        "경기 시흥시",
        years=(2025,),
        asks=Asks.SCORE,
    ),
]


@pytest.mark.parametrize(PARAMS, CASES)
def test_parse_round_four(
    catalog: Catalog,
    text: str,
    intent: Intent,
    agencies: tuple[str, ...],
    lang: Lang,
    fields: dict[str, Any],
) -> None:
    row = {name: value for name, value in fields.items() if name != "namesakes"}
    query = check_parse(
        catalog,
        text,
        intent,
        agencies,
        lang,
        row,
        checked=CHECKED,
        when_given=("all_years", "streak"),
    )
    namesakes = [catalog.agencies[i].label() for m in query.namesakes for i in m.candidates]
    assert namesakes == list(fields.get("namesakes", ())), query
