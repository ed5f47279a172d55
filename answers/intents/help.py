"""'도움말', 'help', an empty question, or one the bot cannot read: what it can do."""

from __future__ import annotations

from answers.answer import Answer, Message, say, tr
from answers.query import Intent, Lang, Query
from answers.understanding.catalog import Catalog
from answers.understanding.lexicon import FILING
from answers.understanding.mentions import unknown_name_line
from answers.understanding.parse import guess_lang

EXAMPLES_KO = (
    "`경남 고성군 2023 등급` — 한 기관의 등급",
    "`김해시 등급 추이` · `고성군 최근 5년` · `2020년 이후 행안부` — 연도별 등급",
    "`고성군 vs 통영시 2023` — 비교",
    "`2023 경남 가 등급` · `2024 중앙행정기관 마 등급` · `경남 2024` — 목록",
    "`경남 고성군 2023 항목별` — 다섯 항목의 등급",
    "`성동구 8년 연속 가등급?` · `의성군 2024 등급 변화` · `김해시 등급이 떨어진 이유는?`",
    "`식약처 몇 년 연속 가?` · `2026 나왔어?` · `2021 가 명단 완전해?` — 연속 햇수, 공개 여부, 명단",
    "`고성군 2023 만족도 +5점이면?` — 가정 계산 (점수 자료 필요)",
    "`고성군 가 등급까지 몇 점?` · `2023 기초-군 커트라인` — 커트라인 (점수 자료 필요)",
    "`경찰청 2025 출처` — 그 결과의 모든 출처와 이전 판",
    "`구독 경남` · `구독 목록` · `구독 취소 경남` — 이 채널의 알림: 결과가 공개되면 등급 변동을 알려 드림 (Slack 채널에서)",
)
EXAMPLES_EN = (
    "`Goseong grade 2023` — one agency's grade",
    "`Gimhae history` · `goseong last 5 years` · `since 2020 gimhae` — every year's grade",
    "`고성군 vs 통영시 2023` — side by side",
    "`2023 경남 가 list` — agencies by region, type and grade",
    "`경남 고성군 2023 items` — the five item grades",
    "`seongdong 8 years in a row 가` · `why did goseong drop` — streaks and changes",
    "`how many years in a row has paju been 가` · `is 2026 out?` · `is the 2021 가 list complete`",
    "`what if goseong satisfaction +5 2023` — recomputed rank and grade (needs score data)",
    "`cutoff 2023 county` · `goseong points to next grade` — cut-offs (needs score data)",
    "`sources for Goseong 2023` — every source of a result and its earlier versions",
    "`subscribe 경남` · `subscriptions` · `unsubscribe 경남` — this channel's alerts: grade changes when results come out (in a Slack channel)",
)
INTRO: Message = (
    "민원서비스 종합평가(행정안전부·국민권익위원회) 결과를 알려 드립니다. 기관명, 연도(`2023`, `'23`, `올해`, `작년`), 지역(`경남`), 유형(`군`, `중앙`), 등급(`가`~`마`)을 자유롭게 섞어 물어보세요.",
    "I answer questions about Korea's civil service evaluation (민원서비스 종합평가). Mix an agency, a year (`2023`, `'23`, `latest`), a region (`경남`), a type (`county`, `central`) and a grade (`가`–`마`) in any order.",
)
HOW_TO_ASK: Message = ("이렇게 물어보세요", "How to ask")
NOT_UNDERSTOOD: Message = (
    "질문을 이해하지 못했어요. 기관명이나 지역을 넣어 물어보세요.",
    "I couldn't read that question. Try naming an agency or a region.",
)
ASK_AGAIN: Message = ("다시 물어봐 주세요", "Try asking like this")
TRY_AGAIN_SHORTLY: Message = ("잠시 후 다시 시도해 주세요", "Please try again shortly")
DATABASE_AWAY: Message = (
    "결과 데이터베이스에 일시적으로 연결할 수 없습니다. 잠시 후 다시 물어봐 주세요.",
    "The results database is temporarily unavailable. Please ask again in a moment.",
)


def answer_help(query: Query, *, latest: int | None) -> Answer:
    lang = query.lang
    intro = say(lang, INTRO)
    latest_line = (
        tr(lang, f"최근 공개 연도: {latest}년", f"Latest published year: {latest}")
        if latest
        else ""
    )
    lines = (
        intro,
        *(f"• {e}" for e in (EXAMPLES_EN if lang is Lang.EN else EXAMPLES_KO)),
        latest_line,
    )
    return Answer(
        intent=Intent.HELP,
        lang=lang,
        title=say(lang, HOW_TO_ASK),
        lines=tuple(line for line in lines if line),
    )


def answer_unknown(query: Query) -> Answer:
    """A short hint and examples, never a stack trace."""
    lang = query.lang
    lines = [unknown_name_line(name, lang) for name in query.unknown_names]
    if not lines:
        lines.append(say(lang, NOT_UNDERSTOOD))
    examples = EXAMPLES_EN if lang is Lang.EN else EXAMPLES_KO
    return Answer(
        intent=Intent.UNKNOWN,
        lang=lang,
        title=say(lang, ASK_AGAIN),
        lines=(*lines, *(f"• {e}" for e in examples[:3])),
        understood=bool(query.unknown_names),
    )


GREETING_TITLE: Message = ("안녕하세요!", "Hello!")
GREETING_LINE: Message = (
    "민원서비스 종합평가 결과를 알려 드리는 봇입니다. 예를 들어 이렇게 물어보세요:",
    "I answer questions about Korea's civil service evaluation (민원서비스 종합평가). For example:",
)
OUTSIDE_TITLE: Message = ("제가 아는 범위 밖의 질문이에요", "That is outside what I know")
NOT_FILING: Message = (
    "민원을 어디서, 어떻게, 언제까지 처리하는지는 안내하지 않아요: 저는 기관들이 민원서비스 종합평가에서 받은 결과를 알려 드려요.",
    "I cannot tell you where, how or by when a request is filed or handled: I report how agencies did in the civil service evaluation.",
)
WORD_ALSO_NAME: Message = (
    "‘{word}’ — {label}의 결과를 물으신 거라면 ‘{name} 등급’처럼 물어보세요.",
    "If ‘{word}’ meant {label}, ask ‘{name} grade’.",
)
OUTSIDE_LINE: Message = (
    "죄송해요, 저는 민원서비스 종합평가 결과(기관별 등급, 추이, 비교, 목록)만 알고 있어요. 이런 질문에 답할 수 있어요:",
    "Sorry, I only know the civil service evaluation's results (grades, histories, comparisons, lists). I can answer questions like:",
)
CUT_TITLE: Message = ("질문이 잘렸어요", "The question was cut")
CUT_LINE: Message = (
    "질문이 길어 앞의 {chars}자만 읽었는데, 읽지 못한 부분에 {years}년이 적혀 있어요. 다른 해를 답하지 않도록, 짧게 다시 물어봐 주세요 (예: `경남 고성군 {year}`).",
    "The question was long, so I read only its first {chars} characters; the part I did not read names {years}. So as not to answer another year, please ask again briefly (e.g. `Goseong {year}`).",
)
CUT_NOTE: Message = (
    "질문이 길어 앞의 {chars}자만 읽었습니다.",
    "The question was long: only its first {chars} characters were read.",
)


def answer_greeting(query: Query, catalog: Catalog) -> Answer:
    """'안녕', 'hi': a short hello and a few examples, never an agency's grade."""
    lang = query.lang
    examples = EXAMPLES_EN if lang is Lang.EN else EXAMPLES_KO
    return Answer(
        intent=Intent.GREETING,
        lang=lang,
        title=say(lang, GREETING_TITLE),
        lines=(say(lang, GREETING_LINE), *(f"• {e}" for e in examples[:4])),
    )


def answer_out_of_scope(query: Query, catalog: Catalog) -> Answer:
    """'행안부 장관 누구야', weather: outside what the bot knows, said kindly, with examples;
    an everyday word that is also a short name ('예산이 부족한데') names the agency too, in
    case it was meant."""
    lang = query.lang
    examples = EXAMPLES_EN if lang is Lang.EN else EXAMPLES_KO
    filing = [say(lang, NOT_FILING)] if FILING.search(query.text.lower()) else []
    named = [(m.text, catalog.agencies[i]) for m in query.namesakes for i in m.candidates]
    meant = [
        say(lang, WORD_ALSO_NAME, word=word, label=agency.label(), name=agency.name)
        for word, agency in named
    ]
    return Answer(
        intent=Intent.OUT_OF_SCOPE,
        lang=lang,
        title=say(lang, OUTSIDE_TITLE),
        lines=(*filing, say(lang, OUTSIDE_LINE), *(f"• {e}" for e in examples[:4]), *meant),
    )


def answer_cut(query: Query, max_chars: int) -> Answer:
    """A long question whose unread part names a year: ask again rather than guess."""
    lang = query.lang
    years = ", ".join(map(str, query.cut_years))
    line = say(lang, CUT_LINE, chars=max_chars, years=years, year=query.cut_years[-1])
    return Answer(intent=Intent.UNKNOWN, lang=lang, title=say(lang, CUT_TITLE), lines=(line,))


def cut_note(lang: Lang, max_chars: int) -> str:
    return say(lang, CUT_NOTE, chars=max_chars)


def answer_unavailable(text: str) -> Answer:
    """The database is away: say so briefly; the bot recovers by itself."""
    lang = guess_lang(text)
    return Answer(
        intent=Intent.UNKNOWN,
        lang=lang,
        title=say(lang, TRY_AGAIN_SHORTLY),
        lines=(say(lang, DATABASE_AWAY),),
    )
