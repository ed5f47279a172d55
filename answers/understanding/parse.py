"""Free text -> :class:`Query`. A pure function of the text and the agency catalog.

Any order, Korean or English, tolerant of spacing, particles and small typos. A name that
fits several agencies keeps every candidate: the answers decide, never this parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from answers.query import AgencyMention, Asks, Intent, Lang, Query, ScoreChange
from answers.understanding.catalog import Catalog
from answers.understanding.lexicon import (
    ABOUT_EVALUATION,
    AGENCY_INTENTS,
    ALL_ADVERB,
    ALL_YEARS,
    ALWAYS,
    ANY_YEAR,
    BOTTOM_GRADE,
    CHANGE,
    CHANGE_ITEM_FIRST,
    CHANGE_NUMBER_FIRST,
    CHANNEL_REF,
    COMMAND_WORD,
    COMPLETE,
    COVERAGE,
    CUT_SCAN,
    CUTOFF_PHRASE,
    DATA_QUESTION,
    DOWN_WORD,
    ENGLISH_DIRECTION,
    ENGLISH_DIRECTIONS,
    ENGLISH_PLACE,
    EVALUATION_WORDS,
    EVERYDAY_STEMS,
    EVERYTHING,
    FILLER,
    GOOD_AGENCIES,
    GOOD_AGENCIES_SINCE,
    GOOD_NAME,
    GOOD_READINGS,
    GRADE_COPULA,
    GRADE_NAME_PATTERN,
    GRADE_PATTERN,
    GREETING,
    GREETING_ONLY,
    HELP_PHRASE,
    HOW_MANY_IN_A_ROW,
    IF_WORD,
    INTENT_WORDS,
    ITEM_SAID,
    ITEM_WORD,
    JAMO_RUN,
    LATIN_WORD,
    LOCAL_GROUP,
    LONE_SD_GRADE,
    LONGEST_KEYWORD,
    MANY_ASKED,
    MAX_CHARS,
    NEUTRAL_WORDS,
    NOT_A_YEAR,
    NUMBER_WORDS,
    OUT_OF_SCOPE,
    PARTICLES,
    PUBLISH,
    QUESTION_WORD,
    RECENT_YEARS,
    RELATIVE_PHRASES,
    RELATIVE_WORDS,
    RELEASED,
    ROMAN_GRADE,
    ROMAN_STEMS,
    SCORE_ASKED,
    SCORE_RELEASED,
    SD_GRADE,
    SHORT_RANGE,
    SINCE,
    SOURCES,
    SPAN,
    SPLIT_SUFFIXES,
    STREAK,
    SUBSCRIBE_ADD,
    SUBSCRIBE_LIST,
    SUBSCRIBE_REMOVE,
    TOKEN,
    TOP_GRADE,
    TOTAL_CHANGE,
    TOTAL_UP,
    USUALLY,
    VERB_WORD,
    WHOLE_RECORD,
    WHY,
    WHY_DOWN,
    WHY_UP,
    YEAR_FULL,
    YEAR_RANGE,
    YEAR_SHORT,
)
from domain.agencies import (
    MIN_FUZZY_LATIN,
    MIN_FUZZY_SYLLABLES,
    NAME_ENDINGS,
    OUTSIDE_ENDINGS,
)
from domain.grades import GA_MA_GRADES, GRADE_ROMAN
from domain.groups import GROUP_TYPE, GROUP_WORDS, METROPOLITAN, SCOPE_WORDS, AgencyType
from domain.items import ITEM_WORDS, TOTAL
from domain.regions import REGION_NAMES, REGION_ROMAN, is_province
from domain.text import compact, romanize


def _take_scoring(text: str) -> tuple[str, Intent | None, tuple[ScoreChange, ...], str]:
    """What-if changes ('만족도 +5점이면', 'satisfaction +5') and cut-off phrases ('가 등급까지
    몇 점', '커트라인', 'cutoff'): the intent, the changes, the text without them, and the
    matched words (for the answer's language)."""
    changes: list[tuple[str, float, bool, str | None]] = []  # item, amount, absolute, direction
    matched: list[str] = []
    for pattern in (CHANGE_ITEM_FIRST, CHANGE_NUMBER_FIRST):
        text = pattern.sub(lambda m: _change(m, changes, matched), text)
    if not changes and not ITEM_WORD.search(text) and IF_WORD.search(text):
        # 'What if Gumi had scored 10 points higher', '10점 더 받았으면': the total itself
        text = TOTAL_CHANGE.sub(lambda m: _total_change(m, changes, matched), text)
    intent = Intent.WHATIF if changes else None
    if (
        intent is None
        and ITEM_WORD.search(text)
        and (IF_WORD.search(text) or VERB_WORD.search(text))
    ):
        intent = Intent.WHATIF  # '고성군 만족도 오르면?': a what-if without a number
    if intent is Intent.WHATIF:
        for pattern in (ITEM_SAID, VERB_WORD, IF_WORD):
            matched += pattern.findall(text)
            text = pattern.sub(" ", text)
    if intent is None and CUTOFF_PHRASE.search(text):
        intent = Intent.CUTOFF
        matched += [m.group(0) for m in CUTOFF_PHRASE.finditer(text)]
        text = CUTOFF_PHRASE.sub(" ", text)
    return text, intent, _signed(changes), " ".join(matched)


def _item(word: str) -> str:
    return ITEM_WORDS[compact(word) if not word.isascii() else word]


def _change(
    match: re.Match[str], changes: list[tuple[str, float, bool, str | None]], matched: list[str]
) -> str:
    items = [_item(m.group(0)) for m in ITEM_WORD.finditer(match.group("items"))]
    amount = float(match.group("num"))
    groups = match.groupdict()
    absolute = bool(groups.get("abs") or groups.get("to"))
    verbs = [groups.get(key) for key in ("pre", "mid", "post") if groups.get(key)]
    direction = "-" if any(DOWN_WORD.match(v or "") for v in verbs) else "+" if verbs else None
    if match.group("sign"):  # an explicit sign wins over the verb
        direction = "+" if match.group("sign") == "+" else "-"
    for item in items:
        changes.append((item, amount, absolute, direction))
    matched.append(match.group(0))
    return " "


def _total_change(
    match: re.Match[str], changes: list[tuple[str, float, bool, str | None]], matched: list[str]
) -> str:
    """A change of the total: its number, and its direction from the sign, else the verb."""
    found = {k: v for k, v in match.groupdict().items() if v}
    numbers = ("num", "num_ko", "num_en", "num_total", "num_by")
    number = next((found[k] for k in numbers if k in found), "0")
    sign = next(
        (found[k] for k in ("sign", "sign_ko", "sign_en", "sign_total") if k in found), None
    )
    verbs = ("verb", "verb_en", "verb_by", "pre_en", "lead_en")
    verb = next((found[k] for k in verbs if k in found), "+")
    up = TOTAL_UP.match(verb) is not None or verb == "+"
    direction = ("+" if sign == "+" else "-") if sign else ("+" if up else "-")  # −, – too
    changes.append((TOTAL, float(number), False, direction))
    matched.append(match.group(0))
    return " "


def _signed(changes: list[tuple[str, float, bool, str | None]]) -> tuple[ScoreChange, ...]:
    """An unsigned change takes the direction of a later one ('만족도 3점, 고충민원 2점
    떨어지면': both fall); with none, points are added. The last change of an item wins."""
    out: dict[str, ScoreChange] = {}
    following: str | None = None
    for item, amount, absolute, direction in reversed(changes):
        direction = direction or following
        following = direction
        if item in out:
            continue
        value = amount if absolute or direction != "-" else -amount
        out[item] = ScoreChange(item, value, absolute)
    return tuple(reversed(list(out.values())))


def parse(text: str, catalog: Catalog) -> Query:
    """Read ``text`` into a :class:`Query`; never raises."""
    coverage = COVERAGE.match(_normalize(text))
    if coverage is not None:  # the whole text is the request, nothing else
        found = coverage.group("before") or coverage.group("after")
        asked = (int(found),) if found else ()
        return Query(Intent.COVERAGE, guess_lang(text or ""), text or "", years=asked)
    if DATA_QUESTION.search(_normalize(text)):
        # about an agency's data ('김해시 데이터 있어?'): its grade; otherwise the coverage
        about = parse(DATA_QUESTION.sub(" ", _normalize(text)), catalog)
        if about.agencies or about.regions or about.grades:
            # '김해시 데이터 있어?', '경남 자료 몇 개': that agency's grade, the region's list
            return replace(about, text=text or "")
        named = [int(y) for y in ANY_YEAR.findall(_normalize(text))]
        asks = Asks.COMPLETE if COMPLETE.search(_normalize(text)) else None  # '다 있어?'
        lang = guess_lang(text or "")
        # '2019 기초 데이터 몇 곳': the groups named narrow the table
        groups = about.groups
        return Query(
            Intent.COVERAGE, lang, text or "", years=tuple(named[:1]), asks=asks, groups=groups
        )
    publish = PUBLISH.match(_normalize(text))
    if publish is not None:  # the whole text is the command, nothing else
        year = int(publish.group("after") or publish.group("before"))
        return Query(Intent.PUBLISH, guess_lang(text or ""), text or "", years=(year,))
    channel = CHANNEL_REF.search(text or "")
    raw = LOCAL_GROUP.sub(r"기초\1", _normalize(text))
    raw, subscription, everything = _take_subscription(raw)
    raw, sources_words = _take_sources(raw)
    rest, asks, asked_words = _take_asks(raw)
    rest, spans = _take_spans(rest)
    rest, years, year_range, since = _take_years(rest)
    rest, why, direction, why_words = _take_why(rest)
    moved = None if why else _moved(rest)  # '2024년에 등급 떨어진 광역'
    rest, scoring, changes, scoring_words = _take_scoring(rest)
    rest, relative = _take_relative(rest)
    rest, grades, grade_words = _take_grades(rest, catalog)
    rest, place_words = _take_english_places(rest, catalog)
    words = _join_split_names(catalog.join_phrases(TOKEN.findall(rest)), catalog)
    state = _Words(catalog)
    spoken = " ".join(
        (asked_words, scoring_words, why_words, spans.words, grade_words, sources_words)
    )
    state.hangul_keywords |= any("가" <= ch <= "힣" for ch in spoken)
    state.latin_words |= any("a" <= ch <= "z" for ch in spoken + place_words)
    for word in words:
        state.read(word)
    state.finish()
    if spans.change:
        state.intents.append(Intent.HISTORY)
    recent = not years or max(years) >= GOOD_AGENCIES_SINCE  # before, 우수 was 나 alone
    if GOOD_AGENCIES.search(raw) and grades in ([GOOD_NAME], []) and recent:
        grades = list(GOOD_READINGS)  # '2024 우수기관': 가 as the releases say, 나 as agencies do
    if _usually(raw, grades, state, bool(years) or relative is not None):
        grades = []  # '민원 처리 기간 보통 며칠이야?': 보통 is 'usually', not grade 다
    query = _decide(text, raw, state, years, year_range, relative, grades)
    # '충청남도 몇 년 연속 다?', '경기도 4년 연속 가였어?': the 시·도 written out is itself
    streak_of_one = asks is Asks.COUNT or (spans.streak is not None and not MANY_ASKED.search(raw))
    streak_of_one = streak_of_one and bool(state.dual)
    about_one = scoring is not None or why or streak_of_one
    # '충남 2024 항목별 등급': a region's item grades are its 시·도's (a list says 목록)
    region_items = Intent.ITEMS in state.intents and Intent.LIST not in state.intents
    region_items = region_items and not query.grades
    if (about_one or region_items) and not query.agencies and not query.groups:
        # '전북특별자치도 가 등급까지 몇 점', '전북도 2023년에 왜 라등급 받았어', 'what if
        # sejong satisfaction +10', '충청남도 몇 년 연속 다?': the 시·도 itself
        query = _provinces_as_agencies(query, state.dual, catalog)
        if region_items and query.agencies:
            query = replace(query, intent=Intent.ITEMS)
    query = replace(
        query,
        span_years=spans.span,
        since=since,
        all_years=spans.all_years or (spans.always and spans.streak is None),
        streak=spans.streak,
        top_grade=bool(TOP_GRADE.search(grade_words)),
        direction=direction,
    )
    query = _list_of_moves(query, moved)
    query = _cut(text, query)
    query = _special_intent(
        query, raw, state, why=why, scoring=scoring is not None, always=spans.always
    )
    query = _asked(query, asks, raw)
    if sources_words and subscription is None and query.intent is not Intent.HELP:
        return replace(query, intent=Intent.SOURCES)  # '경찰청 2025 출처'
    if scoring is not None and subscription is None and query.intent is not Intent.HELP:
        if query.intent in (Intent.WHY, Intent.OUT_OF_SCOPE, Intent.GREETING, Intent.STREAK):
            return query
        known = bool(query.agencies) or not query.unknown_names
        items = tuple(dict.fromkeys(_item(m.group(0)) for m in ITEM_WORD.finditer(scoring_words)))
        intent = scoring if known else Intent.UNKNOWN  # a what-if asks nothing beyond it
        return replace(query, intent=intent, changes=changes, items=items, asks=None)
    if subscription is None:
        return query
    return replace(
        query,
        intent=Intent.SUBSCRIBE,
        asks=None,  # 'when the results come out' is when to tell, not a question
        subscription=subscription,
        everything=everything,
        channel_ref=channel.group(1) if channel else None,
    )


def _take_sources(text: str) -> tuple[str, str]:
    """'출처', '근거', 'sources for', 'where does … come from': the text without those words
    (the words between 'where does' and 'come from' stay), and the words taken."""
    taken = ["where from" if m.group("what") else m.group(0) for m in SOURCES.finditer(text)]
    return SOURCES.sub(lambda m: f" {m.group('what') or ''} ", text), " ".join(taken)


def _provinces_as_agencies(
    query: Query, dual: list[tuple[str, str, tuple[int, ...]]], catalog: Catalog
) -> Query:
    """A what-if, cut-off or why is about one agency: a province's full name ('전북특별자치도',
    '경상남도') is that agency there, even beside a grade ('가 등급까지'), not a region
    filter; so is a region named alone ('세종', 'sejong'): its 시·도."""
    mentions = [AgencyMention(word, ids) for word, _, ids in dual]
    named = {region for _, region, _ in dual}
    if not mentions and len(query.regions) == 1:
        region = query.regions[0]
        mentions = _province_of(region, catalog)
        named = {region} if mentions else set()
    if not mentions:
        return query
    return replace(
        query,
        agencies=tuple(mentions),
        regions=tuple(r for r in query.regions if r not in named),
        namesakes=(),
    )


def _province_of(region: str, catalog: Catalog) -> list[AgencyMention]:
    """The 시·도 itself ('대구' in '대구 vs 광주': 대구광역시), as a mention; a short name
    that also names an agency elsewhere ('광주': 경기 광주시) means both, never one guessed."""
    ids = catalog.agencies_of(region, GROUP_TYPE[METROPOLITAN])
    ids += catalog.namesakes.get(region, ())
    return [AgencyMention(region, ids)] if ids else []


def _asked(query: Query, asks: Asks | None, raw: str) -> Query:
    """What the question asks beyond its intent. Whether a year is out ('2026 나왔어?') and
    whether everything is known ('2021 명단 완전해?') are coverage questions when nothing else
    is named; '몇 년 연속' about an agency counts its run; '점수도 나와?' about nothing named
    asks whether the year is out."""
    if asks is None or query.intent in (Intent.GREETING, Intent.OUT_OF_SCOPE, Intent.HELP):
        return query
    named = query.agencies or query.unknown_names or _has_filters(query)
    bare = query.intent in (Intent.UNKNOWN, Intent.LIST, Intent.GRADE) and not named
    if asks is Asks.SCORE and bare and SCORE_RELEASED.search(raw):
        asks = Asks.RELEASE
    query = replace(query, asks=asks)
    if asks in (Asks.RELEASE, Asks.COMPLETE) and bare:
        return replace(query, intent=Intent.COVERAGE)
    if asks is Asks.COUNT and query.intent in (Intent.GRADE, Intent.HISTORY) and query.agencies:
        return replace(query, intent=Intent.STREAK)
    return query


def _take_asks(text: str) -> tuple[str, Asks | None, str]:
    """What the question asks beyond its intent ('완전해?', '몇 년 연속', '나왔어?', '몇 점'),
    the text without the words that only say so ('다 있어' holds no grade 다), and those words.
    '몇 년 연속' stays: it is also the streak's span."""
    text = ALL_ADVERB.sub(" ", text)
    if SCORE_RELEASED.search(text) and not CUTOFF_PHRASE.search(text):
        # '행안부 2024 점수도 나와?': whether a score was published, not whether 2024 is out
        found = RELEASED.findall(text)
        return RELEASED.sub(" ", text), Asks.SCORE, " ".join(found)
    for pattern, asks in ((COMPLETE, Asks.COMPLETE), (RELEASED, Asks.RELEASE)):
        found = pattern.findall(text)
        if found and (asks is not Asks.RELEASE or not HOW_MANY_IN_A_ROW.search(text)):
            return pattern.sub(" ", text), asks, " ".join(found)
    if HOW_MANY_IN_A_ROW.search(text):
        return text, Asks.COUNT, ""
    if SCORE_ASKED.search(text) and not CUTOFF_PHRASE.search(text):  # not '가까지 몇 점'
        return text, Asks.SCORE, ""
    return text, None, ""


def _take_english_places(text: str, catalog: Catalog) -> tuple[str, str]:
    """'Gyeonggi Province', 'South Gyeongsang', 'Busan City', 'Seoul Office of Education' ->
    the words the catalog knows (경기도 as a region or its agency; the office of education),
    unless the phrase is itself a catalog name ('Gwangju City' is 경기 광주시). Returns the
    text and the English words read (the answer's language)."""
    read: list[str] = []

    def direction(match: re.Match[str]) -> str:
        read.append(match.group(0))
        return REGION_ROMAN[ENGLISH_DIRECTIONS[(match.group(1), match.group(2))]]

    def place(match: re.Match[str]) -> str:
        if compact(match.group(0)) in catalog.terms:
            return match.group(0)
        region = ROMAN_STEMS[match.group("stem")]
        token = _place_token(region, match, catalog)
        if token:
            read.append(match.group(0))
        return f" {token} " if token else match.group(0)

    text = ENGLISH_DIRECTION.sub(direction, text)
    return ENGLISH_PLACE.sub(place, text), " ".join(read)


def _place_token(region: str, match: re.Match[str], catalog: Catalog) -> str | None:
    """A word the catalog reads as the place: the 시·도's romanized full name (a region or
    its agency, like 경기도), or the office of education's own English name."""
    if match.group("education"):
        ids = catalog.agencies_of(region, AgencyType.EDUCATION)
        english = catalog.agencies[ids[0]].english if len(ids) == 1 else ""
        return compact(english) if compact(english) in catalog.terms else None
    if match.group("city") and is_province(region):
        return None  # 'Gyeonggi City' is no place
    token = romanize(REGION_NAMES[region][0])
    return token if token in catalog.regions and token in catalog.terms else None


class _Spans:
    """What the time words of a question said: a span, a streak, every year, a change."""

    def __init__(self) -> None:
        self.span: int | None = None
        self.streak: int | None = None
        self.all_years = False
        self.always = False  # '매년 가등급이야?': a streak over every comparable year
        self.change = False
        self.words = ""


def _take_spans(text: str) -> tuple[str, _Spans]:
    """'8년 연속', '최근 5년', 'last 3 years', '전체 연도', '바뀌었어': read before the years,
    so '10년 연속' is never the year 2010."""
    spans = _Spans()
    matched: list[str] = []
    for match in STREAK.finditer(text):
        spans.streak = spans.streak or _count(match)
        matched.append(match.group(0))
    text = STREAK.sub(" ", text)
    for match in SPAN.finditer(text):
        spans.span = spans.span or _count(match)
        matched.append(match.group(0))
    text = SPAN.sub(" ", text)
    if RECENT_YEARS.search(text):  # '최근 몇 년': every year on record
        spans.all_years = True
        matched += RECENT_YEARS.findall(text)
        text = RECENT_YEARS.sub(" ", text)
    found = ALL_YEARS.search(text)
    if found:
        spans.all_years = True
        if found.group(0) != "역대":  # 역대 also asks for a history: the word stays
            matched.append(found.group(0))
            text = ALL_YEARS.sub(lambda m: m.group(0) if m.group(0) == "역대" else " ", text)
    if ALWAYS.search(text):
        spans.always = True
        matched += ALWAYS.findall(text)
        text = ALWAYS.sub(" ", text)
    if CHANGE.search(text):
        spans.change = True
        matched += CHANGE.findall(text)
        text = CHANGE.sub(" ", text)
    spans.words = " ".join(matched)
    return text, spans


def _count(match: re.Match[str]) -> int | None:
    word = next(g for g in match.groups() if g)
    number = NUMBER_WORDS.get(word) or int(word)
    return number if 1 <= number <= 30 else None


def _take_why(text: str) -> tuple[str, bool, str | None, str]:
    """'떨어진 이유', 'why did goseong drop': a why-question and the move it asks about."""
    if not WHY.search(text):
        return text, False, None, ""
    matched = WHY.findall(text)
    direction = None
    for pattern, way in ((WHY_DOWN, "down"), (WHY_UP, "up")):
        found = pattern.findall(text)
        if found:
            direction = direction or way
            matched += found
            text = pattern.sub(" ", text)
    return WHY.sub(" ", text), True, direction, " ".join(matched)


def _usually(raw: str, grades: list[str], state: _Words, dated: bool) -> bool:
    """'보통' written bare, in a sentence of other words with no year, name, region or group:
    the everyday 'usually', not the grade (보통 등급, 2017 보통, 경남 보통 stay the grade)."""
    if grades != [USUALLY] or re.search(rf"{USUALLY}\s*등급|등급\s*{USUALLY}", raw) or dated:
        return False
    if state.mentions or state.dual or state.regions or state.groups:
        return False
    return len([word for word in state.unread if len(word) >= 2]) >= 2


def _list_of_moves(query: Query, moved: str | None) -> Query:
    """'2024년에 등급 떨어진 광역', '2024 하락한 기관': a list (or a dated question naming no
    agency) that asks what fell or rose lists the moves that way."""
    if not moved or query.agencies or query.unknown_names or query.grades:
        return query
    if query.intent is Intent.LIST or (query.intent is Intent.UNKNOWN and query.dated):
        return replace(query, intent=Intent.LIST, direction=moved)
    return query


def _moved(text: str) -> str | None:
    """'떨어진', '오른', 'went down': the way grades moved, when a list asks for it."""
    down, up = WHY_DOWN.search(text), WHY_UP.search(text)
    if bool(down) == bool(up):
        return None
    return "down" if down else "up"


def _special_intent(
    query: Query, raw: str, state: _Words, *, why: bool, scoring: bool, always: bool
) -> Query:
    """Greetings, questions outside the evaluation, why-questions and streaks."""
    if query.intent is Intent.HELP or query.cut_years:
        return query
    bare = raw.strip()
    if GREETING_ONLY.match(bare):
        return replace(query, intent=Intent.GREETING, lang=_greeting_lang(bare))
    if _outside(raw, query):
        return replace(query, intent=Intent.OUT_OF_SCOPE)
    if _everyday_words(raw, query, state, always=always):
        # '예산이 부족한데 어떻게 하지?': 예산 the word; the answer names 예산군 in case it was
        return replace(query, intent=Intent.OUT_OF_SCOPE, agencies=(), namesakes=query.agencies)
    if why:
        return replace(query, intent=Intent.WHY)
    every_year = query.all_years and query.grades and always
    if (query.streak or every_year) and not scoring:
        return replace(query, intent=Intent.STREAK)
    if query.intent is Intent.COMPARE and len(query.agencies) == 1 and not query.years:
        # '의성군 작년 대비 등급': one agency against its own previous year
        return replace(query, intent=Intent.HISTORY, span_years=2, relative_year=None)
    if query.intent is Intent.COMPARE and len(query.agencies) == 1 and len(query.years) == 1:
        # '하남시 2020년 전년대비': that year against the previous evaluation year
        return replace(query, intent=Intent.HISTORY, relative_year=None)
    if query.intent is Intent.UNKNOWN and not query.unknown_names and HELP_PHRASE.search(raw):
        return replace(query, intent=Intent.HELP)  # 'what can you do', '뭐 할 수 있어?'
    if query.intent is Intent.UNKNOWN and not query.unknown_names and GREETING.match(bare):
        return replace(query, intent=Intent.GREETING, lang=_greeting_lang(bare))
    if _plain_sentence(raw, query, state):
        # '이번 달 처리 기한이 며칠이야?': words, none of them the evaluation's or a name
        return replace(query, intent=Intent.OUT_OF_SCOPE)
    spans = query.span_years or query.since or query.all_years
    one = len(query.agencies) == 1
    if query.intent is Intent.GRADE and one and not query.dated and WHOLE_RECORD.search(raw):
        # '음성군 등급 현황 쭉', '통계청 평가 결과 목록': its every year, gaps named
        return replace(query, intent=Intent.HISTORY, all_years=True)
    if query.intent is Intent.GRADE and query.grades and not query.dated and not spans:
        # '의성군은 가등급 받은 적 있어?': the years of that grade, so every year
        return replace(query, intent=Intent.HISTORY, all_years=True)
    if spans and query.intent is Intent.GRADE:
        return replace(query, intent=Intent.HISTORY)
    if spans and query.intent is Intent.UNKNOWN and not query.unknown_names:
        return replace(query, intent=Intent.LIST) if _has_filters(query) else query
    return query


def _outside(raw: str, query: Query) -> bool:
    """'행안부 장관 누구야', weather: outside the evaluation. A name read exactly is no clue
    (예산군, 기획예산처 hold 예산; 'Ministry of Planning and Budget' holds 'budget')."""
    if ABOUT_EVALUATION.search(raw) or query.grades:
        return False
    names = [m.text for m in query.agencies if not m.fuzzy] + list(query.unknown_names)
    for name in names:
        raw = raw.replace(name, " ")
    return bool(OUT_OF_SCOPE.search(raw))


def _everyday_words(raw: str, query: Query, state: _Words, *, always: bool) -> bool:
    """Every name read is a short name that is also an everyday word (EVERYDAY_STEMS: 예산,
    음성, 동작), written without its ending, in a sentence of at least two other words and
    nothing of the evaluation: no year, span, filter, intent word or word of the results."""
    names = [compact(m.text) for m in query.agencies]
    if not names or any(m.fuzzy for m in query.agencies) or not set(names) <= EVERYDAY_STEMS:
        return False
    spans = query.span_years or query.since or query.all_years or query.streak or always
    if query.dated or spans or _has_filters(query) or state.intents or state.about_results:
        return False
    if ABOUT_EVALUATION.search(raw):
        return False
    others = [word for word in state.unread if len(word) >= 2] + JAMO_RUN.findall(raw)
    return len(others) + bool(QUESTION_WORD.search(raw)) >= 2  # '어디까지 나갔어?'


def _plain_sentence(raw: str, query: Query, state: _Words) -> bool:
    """A question of two or more words the reader knows nothing of, with no name, year,
    filter or word of the evaluation: outside what the bot knows, said kindly, rather than
    'not understood'. Stray words that ask nothing ('아무거나 그냥') stay a hint."""
    if query.intent is not Intent.UNKNOWN or query.unknown_names or query.agencies:
        return False
    if query.dated or _has_filters(query) or ABOUT_EVALUATION.search(raw):
        return False
    asked = raw.rstrip().endswith(("?", "？")) or QUESTION_WORD.search(raw)
    return bool(asked) and len([word for word in state.unread if len(word) >= 2]) >= 2


def _has_filters(query: Query) -> bool:
    return bool(query.regions or query.groups or query.grades)


def _greeting_lang(text: str) -> Lang:
    return Lang.EN if re.search(r"[a-z]", text) and not re.search(r"[가-힣]", text) else Lang.KO


def _cut(text: str, query: Query) -> Query:
    """A question longer than MAX_CHARS is cut: say so, and name the years written only in
    the part that was not read (answering another year silently would be wrong)."""
    full = unicodedata.normalize("NFKC", (text or "")[:CUT_SCAN])
    if len(full) <= MAX_CHARS:
        return query
    read = {*query.years, *(query.year_range or ()), *([query.since] if query.since else [])}
    tail = {int(m.group(1)) for m in YEAR_FULL.finditer(full[MAX_CHARS - 8 :])}
    return replace(query, truncated=True, cut_years=tuple(sorted(tail - read)))


def _take_subscription(text: str) -> tuple[str, str | None, bool]:
    """'구독 경남' / 'unsubscribe 고성군' / '구독 목록': the action, and the text without it."""
    for pattern, action in (
        (SUBSCRIBE_REMOVE, "remove"),
        (SUBSCRIBE_LIST, "list"),
        (SUBSCRIBE_ADD, "add"),
    ):
        if pattern.search(text):
            text = pattern.sub(" ", text)
            everything = bool(EVERYTHING.search(text))
            rest = EVERYTHING.sub(" ", text)
            if action == "add" and not rest.strip(" ?!.") and not everything:
                action = "list"  # '구독' alone: what does this channel follow?
            return rest, action, everything
    return text, None, False


def guess_lang(text: str) -> Lang:
    """Without the catalog: English when the text has Latin letters and no Hangul."""
    has_hangul = any("가" <= ch <= "힣" for ch in text)
    has_latin = any("a" <= ch.lower() <= "z" for ch in text)
    return Lang.EN if has_latin and not has_hangul else Lang.KO


@lru_cache(maxsize=2048)  # parse reads the same text up to four ways
def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS]
    text = "".join(_printable(ch) for ch in text)
    text = re.sub(r"<[^<>]*>", " ", text)  # Slack mentions, channel links and URLs
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # Slack escapes
    return COMMAND_WORD.sub(" ", text.lower()).strip()


def _printable(ch: str) -> str:
    """A zero-width character inside a name must not split it; other controls separate."""
    if ch.isprintable():
        return ch
    return "" if unicodedata.category(ch) == "Cf" else " "


def _take_years(text: str) -> tuple[str, list[int], tuple[int, int] | None, int | None]:
    """Named years, a range ('2021~2023'), and a start ('2020년 이후', 'since 2020')."""
    years: list[int] = []
    year_range = None
    since = None
    for match in YEAR_RANGE.finditer(text):
        start, end = int(match.group(1)), _full_year(match.group(2))
        if len(match.group(2)) == 2 and end <= start:
            continue
        year_range = (min(start, end), max(start, end))
        text = text[: match.start()] + " " + text[match.end() :]
        break
    short = SHORT_RANGE.search(text) if year_range is None else None
    if short and int(short.group(1)) < int(short.group(2)):  # '18~24'
        year_range = (2000 + int(short.group(1)), 2000 + int(short.group(2)))
        text = text[: short.start()] + " " + text[short.end() :]
    found = SINCE.search(text)
    if found and year_range is None:
        since = int(next(g for g in found.groups() if g))
        text = text[: found.start()] + " " + text[found.end() :]
    for match in YEAR_FULL.finditer(text):
        years.append(int(match.group(1)))
    text = YEAR_FULL.sub(" ", text)
    for match in YEAR_SHORT.finditer(text):
        years.append(2000 + int(match.group(1) or match.group(2)))
    text = YEAR_SHORT.sub(" ", text)
    return text, sorted(set(years)), year_range, since


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _take_relative(text: str) -> tuple[str, int | None]:
    relative = None
    for phrase, offset in RELATIVE_PHRASES.items():
        if phrase in text:
            relative = offset
            text = text.replace(phrase, " ")
    for word, offset in sorted(RELATIVE_WORDS.items(), key=lambda item: -len(item[0])):
        # '이번 주 연수 일정', '최근 며칠': a week or a month, not the evaluation's year
        pattern = rf"(?<![가-힣a-z]){word}(?!\s*{NOT_A_YEAR.pattern})"
        if re.search(pattern, text):
            relative = offset if relative is None else relative
            text = re.sub(pattern, " ", text)
    return text, relative


def _take_grades(text: str, catalog: Catalog) -> tuple[str, list[str], str]:
    """The grades named, the text without them, and the English words that named them."""
    # 2016's S–D need 등급 or 'grade' beside them: a lone 'a' or 'd' is English
    spoken = [m.group(0) for m in (*SD_GRADE.finditer(text), *ROMAN_GRADE.finditer(text))]
    grades = [next(g for g in m.groups() if g).upper() for m in SD_GRADE.finditer(text)]
    text = SD_GRADE.sub(" ", text)
    lone = LONE_SD_GRADE.search(text)
    if lone and LATIN_WORD.findall(text) == [lone.group(1)]:  # '2016 A': not English prose
        grades.append(lone.group(1).upper())
        text = text[: lone.start()] + " " + text[lone.end() :]
    grades += [GRADE_ROMAN[next(g for g in m.groups() if g)] for m in ROMAN_GRADE.finditer(text)]
    text = ROMAN_GRADE.sub(" ", text)
    grades += [m.group(1) or m.group(2) for m in GRADE_PATTERN.finditer(text)]
    text = GRADE_PATTERN.sub(" ", text)
    grades += [m.group(1) for m in GRADE_COPULA.finditer(text)]  # '가야?', '다였어'
    text = GRADE_COPULA.sub(" ", text)
    for pattern, grade in ((TOP_GRADE, GA_MA_GRADES[0]), (BOTTOM_GRADE, GA_MA_GRADES[-1])):
        spoken += pattern.findall(text)
        grades += [grade] * len(pattern.findall(text))
        text = pattern.sub(" ", text)

    def grade_name(match: re.Match[str]) -> str:
        """A grade name, unless it sits inside an agency's name (과학기술정보통신부)."""
        start, end = match.span()
        while start > 0 and "가" <= text[start - 1] <= "힣":
            start -= 1
        while end < len(text) and "가" <= text[end] <= "힣":
            end += 1
        if catalog.lookup(text[start:end]):
            return match.group(0)
        # kept as written: 최우수 is 가 from 2018 but a grade of its own on 2017's scale
        grades.append(re.sub(r"\s", "", match.group(1)))
        return " "

    text = GRADE_NAME_PATTERN.sub(grade_name, text)
    return text, list(dict.fromkeys(grades)), " ".join(spoken)


def _join_split_names(words: list[str], catalog: Catalog) -> list[str]:
    """'김해 시', '고성 군청', '서울 시청' -> one name. But '서울 시' is 서울's 시 (a list)."""
    joined: list[str] = []
    for word in words:
        previous = joined[-1] if joined else ""
        if (
            word in SPLIT_SUFFIXES
            and catalog.lookup(previous + word)
            and not (word in GROUP_WORDS and compact(previous) in catalog.regions)
        ):
            joined[-1] = previous + word
        else:
            joined.append(word)
    return joined


class _Words:
    """Accumulates what each word of the question turned out to be."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.mentions: list[AgencyMention] = []
        self.dual: list[tuple[str, str, tuple[int, ...]]] = []  # 경상남도: a region or the agency
        self.regions: list[str] = []
        self.short_regions: set[str] = set()  # regions written by their short name ('광주')
        self.groups: list[str] = []
        self.intents: list[Intent] = []
        self.unknown: list[str] = []
        self.leftover: list[str] = []  # words nothing exact was found for
        self.unread: list[str] = []  # leftover words not read as a misspelt name either
        self.about_results = False  # a word of the evaluation was used ('결과', 'results')
        self.hangul_keywords = False
        self.latin_words = False

    def read(self, word: str) -> None:
        if word.isdigit():
            return
        if self._keyword(word) or self._entity(word):
            return
        for stripped in _without_particles(word):
            if self._keyword(stripped) or self._entity(stripped):
                return
        if self._segment(word):
            return
        self.leftover.append(word)

    def finish(self) -> None:
        """Exact readings first, across the whole question; only then are the words left
        over read fuzzily (see _may_be_typo), so a typo never beats an exact name."""
        exact = bool(self.mentions or self.dual)
        for word in self.leftover:
            self._unknown(word, exact=exact)

    def _keyword(self, word: str) -> bool:
        latin = word.isascii()
        self.about_results |= word in EVALUATION_WORDS
        if word in INTENT_WORDS:
            self.intents.append(INTENT_WORDS[word])
        elif word in GROUP_WORDS:
            self.groups.extend(GROUP_WORDS[word])
            if word in SCOPE_WORDS and not SCOPE_WORDS[word]:
                self.intents.append(Intent.LIST)  # '전국': every group, a list
        elif word in FILLER or word in EVALUATION_WORDS or word in ("?",):
            pass
        else:
            return False
        if word not in NEUTRAL_WORDS:
            self.hangul_keywords |= not latin
            self.latin_words |= latin
        return True

    def _entity(self, word: str) -> bool:
        region = self.catalog.regions.get(compact(word))
        ids = self.catalog.lookup(word)
        # '광주'/'Gwangju' is the region, although 경기 광주시 is also written so
        abbreviation = compact(word) in (region, REGION_ROMAN.get(region or ""))
        if region and ids and not abbreviation:
            self.dual.append((word, region, ids))
        elif region:
            self.regions.append(region)
            if abbreviation:
                self.short_regions.add(region)
        elif ids:
            self.mentions.append(AgencyMention(word, ids))
        else:
            return False
        self.latin_words |= word.isascii()
        return True

    def _segment(self, word: str) -> bool:
        """'경남고성군등급' -> 경남, 고성군, 등급: the longest known piece at each position."""
        pieces: list[str] = []
        position = 0
        longest = max(self.catalog.longest, LONGEST_KEYWORD) + 4  # '-' and "'" do not count
        while position < len(word):
            for end in range(min(len(word), position + longest), position, -1):
                piece = word[position:end]
                if len(piece) >= 2 and self._known(piece):
                    pieces.append(piece)
                    position = end
                    break
            else:
                return False
        if len(pieces) < 2:
            return False
        for piece in pieces:
            self.read(piece)
        return True

    def _known(self, piece: str) -> bool:
        key = compact(piece)
        return bool(
            piece in INTENT_WORDS
            or piece in GROUP_WORDS
            or piece in FILLER
            or piece in EVALUATION_WORDS
            or key in self.catalog.regions
            or self.catalog.lookup(piece)
        )

    def _unknown(self, word: str, *, exact: bool) -> None:
        for candidate in (word, *_without_particles(word)):
            ids = self.catalog.fuzzy(candidate) if _may_be_typo(candidate, exact=exact) else ()
            if ids:
                self.mentions.append(AgencyMention(word, ids, fuzzy=True))
                self.latin_words |= word.isascii()
                return
        self.unread.append(word)
        if word.isascii():
            self.latin_words = True
        else:
            self.hangul_keywords = True
        name = next((w for w in (word, *_without_particles(word)) if _looks_like_name(w)), None)
        if name:
            self.unknown.append(name)


def _without_particles(word: str) -> list[str]:
    return [word[: -len(p)] for p in PARTICLES if word.endswith(p) and len(word) > len(p) + 1]


def _may_be_typo(word: str, *, exact: bool) -> bool:
    """Whether a word left over may be read as a misspelt name: never a word of the
    evaluation's own language ('종평', '전부', '데이터'), never a word too short for one typo to
    stay a name (as in the catalog's own suggestions), and, beside a name read exactly, only a
    word shaped like a name ('고성군 vs 김헤시')."""
    if word in EVALUATION_WORDS:
        return False
    hangul = sum(1 for ch in word if "가" <= ch <= "힣")
    if hangul:
        return hangul >= MIN_FUZZY_SYLLABLES and (not exact or _looks_like_name(word))
    return len(word) > MIN_FUZZY_LATIN  # five letters are too often a word ('doing', 'among')


def _looks_like_name(word: str) -> bool:
    """'강남구', '없는시': an agency we have no record of. Two syllables are too often plain
    words (다시, 정도, 전부), and every two-syllable agency name is in the catalog."""
    return bool(re.fullmatch(r"[가-힣]{3,}", word)) and word.endswith(
        NAME_ENDINGS + OUTSIDE_ENDINGS
    )


def _decide(
    text: str,
    raw: str,
    words: _Words,
    years: list[int],
    year_range: tuple[int, int] | None,
    relative: int | None,
    grades: list[str],
) -> Query:
    mentions = list(words.mentions)
    regions = list(dict.fromkeys(words.regions))
    groups = list(dict.fromkeys(words.groups))
    filters_only = bool(grades or groups or Intent.LIST in words.intents)
    compare = Intent.COMPARE in words.intents and not grades and not groups
    for word, region, ids in words.dual:
        # '경상남도 고성군': the region of a name beside it; '경기도 vs 서울특별시', '서울특별시
        # 부산광역시': each 시·도 itself
        beside = words.mentions and not compare
        if filters_only or beside or _qualifies(region, words.mentions, words.catalog):
            regions.append(region)
        else:
            mentions.append(AgencyMention(word, ids))
    if compare and len(mentions) == 1 and words.dual:
        # '서울시 vs 강남구': a comparison needs two; the city written out is one of them
        mentions += [AgencyMention(word, ids) for word, _, ids in words.dual]
        regions = [r for r in regions if r not in {region for _, region, _ in words.dual}]
    free = [r for r in regions if not _qualifies(r, mentions, words.catalog)]
    if compare and len(mentions) + len(free) >= 2:
        # '대구 vs 광주': the two 시·도 ('경남 2023 비교' stays the region's list)
        for region in free:
            found = _province_of(region, words.catalog)
            mentions += found
            regions = [r for r in regions if r != region or not found]
    if not mentions and regions and set(groups) <= set(GROUP_TYPE) and groups and not grades:
        mentions = _office_of(words.catalog, regions, groups)
        regions, groups = [], []
    mentions, outside = _in_regions(mentions, regions, words.catalog)
    mentions = _merge(_in_order(mentions, raw))  # before the intent: '고성 고성군' is one
    namesakes = [] if mentions else _namesakes(regions, words)
    unknown = list(dict.fromkeys(words.unknown + outside))
    intent = _intent(words.intents, mentions, regions, groups, grades, year_range, unknown)
    dated = bool(years or year_range or relative is not None)
    if intent is Intent.UNKNOWN and dated and words.about_results and not words.unread:
        intent = Intent.LIST  # '2023년 평가결과 현황', 'latest results': everything that year
    lang = Lang.EN if words.latin_words and not words.hangul_keywords else Lang.KO
    if intent is Intent.UNKNOWN and not raw.strip(" ?!.") and not unknown:
        intent = Intent.HELP
    return Query(
        intent=intent,
        lang=lang,
        text=text,
        agencies=tuple(mentions),
        years=tuple(years),
        year_range=year_range,
        relative_year=relative,
        regions=tuple(dict.fromkeys(regions)),
        groups=tuple(groups),
        grades=tuple(grades),
        unknown_names=tuple(unknown),
        namesakes=tuple(namesakes),
    )


def _namesakes(regions: list[str], words: _Words) -> list[AgencyMention]:
    """'광주 2024': the region 광주, and also 경기 광주시, which the same word names. Only for
    a region written short (광주광역시 is only the region) and not narrowed to groups the
    namesake is not in ('광주 자치구')."""
    found = []
    for region in dict.fromkeys(regions):
        ids = words.catalog.namesakes.get(region, ())
        kept = [
            i for i in ids if not words.groups or words.catalog.agencies[i].group in words.groups
        ]
        if kept and region in words.short_regions:
            found.append(AgencyMention(region, tuple(kept)))
    return found


def _in_order(mentions: list[AgencyMention], raw: str) -> list[AgencyMention]:
    """The names in the order the question wrote them ('서울시 vs 강남구': 서울시 first)."""

    def place(item: tuple[int, AgencyMention]) -> tuple[int, int]:
        text = item[1].text
        found = raw.find(text)
        found = found if found >= 0 else raw.find(text.split()[0]) if text.split() else -1
        return (found if found >= 0 else len(raw), item[0])

    return [mention for _, mention in sorted(enumerate(mentions), key=place)]


def _qualifies(region: str, mentions: list[AgencyMention], catalog: Catalog) -> bool:
    """Whether ``region`` places one of the names ('경남' in '경남 고성군 vs 통영시')."""
    return any(catalog.in_region(mention.candidates, [region]) for mention in mentions)


def _office_of(catalog: Catalog, regions: list[str], groups: list[str]) -> list[AgencyMention]:
    mentions = []
    for region in regions:
        for group in groups:
            ids = catalog.agencies_of(region, GROUP_TYPE[group])
            if ids:
                mentions.append(AgencyMention(f"{region} {group}", ids))
    return mentions


def _in_regions(
    mentions: list[AgencyMention], regions: list[str], catalog: Catalog
) -> tuple[list[AgencyMention], list[str]]:
    """The mentions narrowed to the named regions, and the names no agency there has."""
    if not regions:
        return mentions, []
    kept: list[AgencyMention] = []
    outside: list[str] = []
    for mention in mentions:
        qualified = _qualify(mention, regions, catalog)
        if qualified:
            kept.append(qualified)
        else:
            outside.append(f"{' '.join(regions)} {mention.text}")
    return kept, outside


def _qualify(mention: AgencyMention, regions: list[str], catalog: Catalog) -> AgencyMention | None:
    """'경남 고성군', '고성군(경남)': keep the candidates in the named region when any are.
    A shared name in a region that has none ('서울 중구' without 서울's) is no agency we
    know: answering the other regions' would be the silent guess the product forbids."""
    inside = catalog.in_region(mention.candidates, regions)
    if inside:
        return AgencyMention(mention.text, inside, mention.fuzzy)
    names = {catalog.agencies[i].name for i in mention.candidates}
    if len(mention.candidates) > 1 or names & catalog.shared_names:
        return None
    return mention


def _merge(mentions: list[AgencyMention]) -> list[AgencyMention]:
    """'고성 고성군' names one agency once; a repeated mention adds nothing."""
    seen: set[tuple[int, ...]] = set()
    merged = []
    for mention in mentions:
        if mention.candidates not in seen:
            seen.add(mention.candidates)
            merged.append(mention)
    return merged


def _intent(
    intents: list[Intent],
    mentions: list[AgencyMention],
    regions: list[str],
    groups: list[str],
    grades: list[str],
    year_range: tuple[int, int] | None,
    unknown: list[str],
) -> Intent:
    """Agency intents need an agency; a list ignores agencies, so it never wins over one
    ('which grade did Gimhae get' is not a list). A name we do not know is never answered
    with a region's list instead."""
    if Intent.HELP in intents:
        return Intent.HELP
    if mentions:
        for intent in AGENCY_INTENTS:
            if intent in intents:
                return intent
        if len(mentions) >= 2:
            return Intent.COMPARE
        return Intent.HISTORY if year_range else Intent.GRADE
    if unknown:
        return Intent.UNKNOWN
    if regions or groups or grades or Intent.LIST in intents:
        return Intent.LIST
    return Intent.UNKNOWN
