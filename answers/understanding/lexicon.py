"""The question language's word tables: the words and patterns that name intents, years,
spans, grades, items, scopes and subscriptions, and the words that are never an agency's
name. Data only; the reader that uses them is ``parse.py``."""

from __future__ import annotations

import re
import unicodedata

from answers.query import Intent
from domain.grades import GA_MA_GRADES, GRADE_ROMAN, SCALE_LEVELS, GradeScale, grade_label
from domain.groups import GROUP_WORDS
from domain.items import ITEM_TOPIC_WORDS, ITEM_WORDS
from domain.regions import REGION_ROMAN

MAX_CHARS = 500  # a question is short; the rest of a pasted wall of text is not read
CUT_SCAN = 20_000  # a cut question's tail is scanned this far for years it names

INTENT_WORDS: dict[str, Intent] = {
    "도움말": Intent.HELP, "도움": Intent.HELP, "사용법": Intent.HELP, "help": Intent.HELP,
    "usage": Intent.HELP,
    "추이": Intent.HISTORY, "이력": Intent.HISTORY, "변화": Intent.HISTORY, "역대": Intent.HISTORY,
    "연혁": Intent.HISTORY, "히스토리": Intent.HISTORY, "그동안": Intent.HISTORY,
    "연도별": Intent.HISTORY, "년도별": Intent.HISTORY, "해마다": Intent.HISTORY,
    "변천": Intent.HISTORY, "변천사": Intent.HISTORY, "흐름": Intent.HISTORY,
    "내역": Intent.HISTORY, "기록들": Intent.HISTORY, "progression": Intent.HISTORY,
    "history": Intent.HISTORY, "trend": Intent.HISTORY, "timeline": Intent.HISTORY,
    "비교": Intent.COMPARE, "대비": Intent.COMPARE, "대": Intent.COMPARE, "vs": Intent.COMPARE,
    "versus": Intent.COMPARE,
    "compare": Intent.COMPARE, "comparison": Intent.COMPARE,
    "항목별": Intent.ITEMS, "항목": Intent.ITEMS, "세부": Intent.ITEMS, "items": Intent.ITEMS,
    "item": Intent.ITEMS, "breakdown": Intent.ITEMS,
    "목록": Intent.LIST, "명단": Intent.LIST, "리스트": Intent.LIST, "전체": Intent.LIST,
    "분포": Intent.LIST, "list": Intent.LIST, "all": Intent.LIST, "which": Intent.LIST,
    "순위": Intent.LIST, "랭킹": Intent.LIST, "ranking": Intent.LIST, "rankings": Intent.LIST,
}  # fmt: skip
# an item named without a what-if ('고성군 만족도'): the item results
INTENT_WORDS.update(dict.fromkeys(ITEM_TOPIC_WORDS, Intent.ITEMS))
AGENCY_INTENTS = (Intent.ITEMS, Intent.HISTORY, Intent.COMPARE)  # first wins
FILLER = {
    "등급", "등급은", "등급이", "결과", "평가", "민원서비스", "종합평가", "민원", "몇", "어때", "어땠어",
    "알려줘", "알려", "줘", "보여줘", "좀", "뭐야", "는", "은", "및", "그리고", "와", "과", "랑", "하고",
    "년", "년도", "연도", "받았나", "받았어", "받음", "점수", "등급별", "기관", "기관들",
    "grade", "grades", "rating", "result", "results", "score", "of", "in", "the", "for", "and",
    "what", "was", "is", "how", "did", "do", "show", "me", "get", "got", "year", "with", "a", "to",
    "please", "tell", "about", "agency", "agencies", "evaluation", "들", "에서", "받은", "받았는지",
    "어떻게", "됐어", "됐나", "되나", "인가", "인가요", "인지", "어떤", "어디", "곳", "곳은", "데",
    "확인", "궁금", "궁금해", "궁금해요", "알고", "싶어", "싶어요", "싶습니다", "해줘", "주세요",
    "좀요", "했어", "했나", "이었어", "였어", "이야", "야", "나요", "까", "등급을", "등급도",
    "등급만", "결과는", "결과를", "기관은", "기관이", "모두", "뭐", "뭔가요", "얼마",
    "안녕", "안녕하세요", "hi", "hello", "hey", "some", "were", "are", "has", "have", "had",
    "on", "at", "by", "from", "their", "its", "ones",
}  # fmt: skip
# Words of the evaluation's own language: never an agency's name, read exactly or fuzzily
# ('종평' is no typo of 증평군, '전부' none of 전주시, '데이터' none of 국가데이터처). A word
# here carries nothing else; where one also names an intent, INTENT_WORDS decides that.
EVALUATION_WORDS = frozenset({
    "종평", "종합평가", "민원평가", "민원서비스", "평가", "평가결과", "결과", "결과표", "등급",
    "등급표", "점수", "총점", "평점", "합계", "성적", "현황", "목록", "명단", "리스트", "기관",
    "기관들", "민원", "전부", "전체", "모두", "다들", "데이터", "자료", "기록", "발표", "공개",
    "순위", "result", "results", "grades", "ratings", "data", "full", "overall", "summary",
})  # fmt: skip
LONGEST_KEYWORD = max(map(len, [*INTENT_WORDS, *GROUP_WORDS, *FILLER, *EVALUATION_WORDS]))
RELATIVE_WORDS = {
    "올해": 0, "금년": 0, "최근": 0, "최신": 0, "이번": 0, "latest": 0, "recent": 0, "current": 0,
    "작년": -1, "지난해": -1, "전년": -1, "전년도": -1, "재작년": -2,
}  # fmt: skip
# '이번 주', '이번 달에', '최근 며칠': the relative word names a week or a month, not a year
NOT_A_YEAR = re.compile(
    r"(?:주|달|분기|주말|학기|며칠|몇\s*주|몇\s*달)(?:에|의|엔|는|은|간)?(?![가-힣])"
)
# 보통 is 2017's third grade and the name of 다, and also the everyday 'usually'
USUALLY = grade_label(GradeScale.GA_MA, GA_MA_GRADES[2])
RELATIVE_PHRASES = {"this year": 0, "last year": -1, "previous year": -1}
PARTICLES = (
    "에서는",
    "에서",
    "으로",
    "까지",
    "부터",
    "이랑",
    "하고",
    "의",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "도",
    "와",
    "과",
    "랑",
    "만",
    "에",
    "로",
    "랑은",
    "'s",
    "s",
    "들",
    "들은",
    "들의",
    "들이",
)
SPLIT_SUFFIXES = ("시", "군", "구", "청", "시청", "군청", "구청", "도청")
NEUTRAL_WORDS = {"vs"}  # Koreans write it too: it says nothing about the asker's language

YEAR_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:년)?\s*(?:~|-|–|부터|to|에서)\s*((?:19|20)?\d{2})(?:년)?(?:까지)?(?!\d)"
)
SHORT_RANGE = re.compile(
    r"(?<![\d.'’])(1[6-9]|[23]\d)\s*(?:년)?\s*[~–]\s*(1[6-9]|[23]\d)(?:년)?(?![\d.])"
)
YEAR_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:년도|년)?(?!\d)")
YEAR_SHORT = re.compile(r"(?:['’‘`](\d{2})(?!\d))|(?:(?<!\d)(\d{2})\s*년)")
_GRADE = f"([{''.join(GA_MA_GRADES)}])"
# '평가 등급' holds no grade 가: the syllable belongs to 평가
# ('받았다 등급' holds none either: a letter spaced from 등급 must start its word)
GRADE_PATTERN = re.compile(
    rf"(?<![가-힣]){_GRADE}(?:\s*등급)?(?![가-힣])|(?<!평){_GRADE}등급|(?<![가-힣]){_GRADE}\s+등급"
)
# 우수 alone is not read as a grade name (it sits inside 최우수)
_GRADE_NAMES = sorted({name for _, name in SCALE_LEVELS[GradeScale.GA_MA]} - {"우수"}, key=len)
_SPACED_NAMES = [r"\s*".join(name) for name in reversed(_GRADE_NAMES)]  # '아주 미흡'
# '파주시 가야?', '2024년엔 다였어': a grade letter with its copula, the ending left as a word
GRADE_COPULA = re.compile(
    rf"(?<![가-힣]){_GRADE}(?=(?:야|였어|였나|였지|였음|였는지|였던|인가|인가요|인지|냐|예요|에요|임|"
    r"였다면|였으면|라면|이라면)"
    r"(?![가-힣]))"
)
GRADE_NAME_PATTERN = re.compile(
    f"({'|'.join(_SPACED_NAMES)}|(?<![가-힣])우수(?=\\s|$|등급|기관|[?!.,]))(?:\\s*등급)?"
)
TOKEN = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]+|[a-z][a-z\-']*|[0-9]+")


SUBSCRIBE_REMOVE = re.compile(
    r"구독\s*(?:취소|해지|해제|중지|끊\S*|그만\S*|멈\S*|삭제|빼\S*)|알림\s*(?:끄\S*|꺼\S*|해제|그만\S*)"
    r"|unsubscribe|unfollow|stop\s+(?:following|alerts|notifications)"
)
SUBSCRIBE_LIST = re.compile(
    r"구독\s*(?:목록|현황|리스트|내역)|subscriptions|subscription\s+list|list\s+subscriptions"
)
# '결과 나오면 알려줘', '바뀌면 알림 줘', 'let us know when …': a channel asking to be told
# when results come out is a subscription, not a grade question
NOTIFY_WHEN = (
    r"(?:나오면|나오는\s*대로|발표\s*(?:되|나)면|발표하면|공개\s*(?:되|하)면|뜨면|올라오면|바뀌면|"
    r"변하면|달라지면|변동\s*(?:이\s*)?(?:있으면|되면|생기면))(?:\s+\S+){0,3}?\s*"
    r"(?:알려|알림|공지|말해|연락|통보|올려)"
    r"|(?:let\s+(?:me|us)\s+know|notify\s+(?:me|us)|tell\s+(?:me|us)|alert\s+(?:me|us)|ping\s+(?:me|us))"
    r"\s+(?:when|if|once|as\s+soon\s+as)(?![a-z])|(?<![a-z])notify(?![a-z])"
)
SUBSCRIBE_ADD = re.compile(
    rf"구독|subscribe|follow|알림\s*(?:을\s*|좀\s*)?(?:받|신청|설정|켜)|{NOTIFY_WHEN}"
)
EVERYTHING = re.compile(r"(?<![가-힣a-z])(?:전체|모두|전부|all|everything)(?![가-힣a-z])")
CHANNEL_REF = re.compile(r"<#([A-Z0-9]+)(?:\|[^>]*)?>")
LOCAL_GROUP = re.compile(
    r"기초\s*[-–·]\s*([시군구])(?![가-힣])"
)  # '기초-군': one group, not 기초 + 군


# --- spans, streaks, changes, "why", greetings and questions outside the evaluation ---


def _nfkc_pattern(pattern: str) -> re.Pattern[str]:
    """Questions are NFKC-normalized (ㅎ becomes a conjoining jamo): so is the pattern."""
    return re.compile(unicodedata.normalize("NFKC", pattern))


# Short names of 시·군·구 that are also everyday words: 예산 (budget), 음성 (voice), 동작
# (motion), 수영 (swimming), 진도 (progress), 화성 (Mars)... Written without 군/구/시 in a sentence
# with nothing of the evaluation in it ('예산이 부족한데 어떻게 하지?', '음성 메시지로 답해줄 수
# 있어?', '동작 그만 ㅋㅋ'), such a word is the word, not the agency.
EVERYDAY_STEMS = frozenset(
    [
        "예산",
        "음성",
        "동작",
        "수영",
        "영양",
        "진도",
        "장수",
        "영광",
        "연수",
        "동해",
        "남해",
        "공주",
        "화성",
        "양산",
        "진주",
        "경주",
        "상주",
        "완주",
        "보은",
        "부여",
        "구리",
        "양주",
        "고양",
        "사상",
        "기장",
        "달성",
        "강화",
        "광산",
        "유성",
        "강진",
        "고령",
        "곡성",
        "구미",
        "봉화",
        "함양",
        "거창",
        "청주",
        "원주",
        "정선",
        "인제",
        "광명",
        "이천",
        "용인",
        "오산",
        "수성",
    ]
)
# '우수기관': since 2024 the ministries' releases call the 가 agencies so, while agencies call
# 나 '우수' (domain.md): the word alone is not one grade, so both are shown and said apart
GOOD_AGENCIES_SINCE = 2024
TOP_NAME, GOOD_NAME = (grade_label(GradeScale.GA_MA, g) for g in GA_MA_GRADES[:2])
GOOD_READINGS = (TOP_NAME, GOOD_NAME)  # '우수기관': 가 as the releases say, 나 as agencies do
GOOD_AGENCIES = re.compile(
    rf"(?<![가-힣]){GOOD_NAME}\s*기관|(?<![a-z])(?:excellent|outstanding)\s+agenc"
)
# Words asking for several agencies ('경상남도 3년 연속 가 기관', 'which ...'): a list, not one 시·도
MANY_ASKED = re.compile(r"기관|곳|어디|어느|목록|리스트|(?<![a-z])(?:which|agencies|list)(?![a-z])")
# Laughter and other runs of bare jamo ('ㅋㅋ', 'ㅎㅎ', 'ㅠㅠ'): chat, never a name or a year.
JAMO_RUN = re.compile(r"[ㄱ-ㅎㅏ-ㅣ\u1100-\u11ff]{2,}")  # NFKC makes ㅋ conjoining

COMMAND_WORD = re.compile(r"(?:(?<=\s)|^)[/@][a-z][\w.\-]*")  # '/grade' or '@minwon-bot' pasted
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
RECENT_YEARS = re.compile(r"최근\s*몇\s*(?:년|해)|(?:recent|past|last)\s+(?:few\s+)?years")
TOP_GRADE = re.compile(
    r"최고\s*등급|최상위|(?<![a-z])(?:top|highest|best)(?:\s+grades?)?(?![a-z])|top-rated"
)
BOTTOM_GRADE = re.compile(
    r"최하위|최저\s*등급|최하\s*등급|꼴찌|(?<![a-z])(?:lowest|worst|bottom)(?:\s+grades?)?(?![a-z])"
)
STREAK = re.compile(
    r"(?<![\d.])(\d{1,2})\s*(?:년|해|회|번)?\s*(?:째\s*)?(?:연속|내리|계속|연달아)"
    r"|연속\s*(\d{1,2})\s*(?:년|회|번)(?:째)?"
    r"|(?<![\d.])(\d{1,2})\s*(?:years?\s+in\s+a\s+row|consecutive\s+years?|straight\s+years?)"
)
SPAN = re.compile(
    r"(?:최근|지난|과거|근)\s*(\d{1,2})\s*(?:개\s*)?(?:년|해)\s*(?:간|동안|치)?"
    r"|(?<![\d.])(\d{1,2})\s*(?:개\s*년|년\s*간|년\s*동안|년\s*치|개년)"
    rf"|(?:last|past|previous|recent)\s+(\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\s+(?:evaluation\s+)?years?"
    r"|(\d{1,2})\s+years?\s+(?:of\s+)?(?:history|trend)"
)
SINCE = re.compile(
    r"((?:19|20)\d{2})\s*(?:년도|년)?\s*(?:이후로?|부터|이래로?|以後|에서\s*지금까지|-\s*$|~\s*$)"
    r"|(?:since|from|after)\s+((?:19|20)\d{2})"
    r"|((?:19|20)\d{2})\s+(?:onwards?|on|and\s+later|or\s+later)(?![a-z])"
)
ALL_YEARS = re.compile(
    r"(?:전체|모든|역대)\s*(?:연도|년도|해|기간)(?:별)?|전\s+연도|역대|all\s+(?:the\s+)?years"
    r"|every\s+year|all[\s-]+time|(?<![a-z])ever(?![a-z])|(?:full|whole)\s+history"
)
ALWAYS = re.compile(  # also 'how many years in a row': the run, read over every year
    r"매년|해마다|항상|언제나|몇\s*(?:년|해)\s*(?:째|연속)|연속\s*몇\s*(?:년|해)(?:째)?|"
    r"(?<![a-z])always(?![a-z])|how\s+many\s+years\s+in\s+a\s+row"
)
CHANGE = re.compile(
    r"바뀌\S*|바뀐\S*|달라\S*|변동\S*|변했\S*|변한\S*|(?<![a-z])(?:changed?|changes)(?![a-z])"
)
WHY = re.compile(
    r"이유\S*|원인\S*|까닭\S*|(?<![가-힣])왜\S*|(?<![a-z])(?:why|reasons?|how\s+come)(?![a-z])"
)
WHY_DOWN = re.compile(
    r"떨어\S*|하락\S*|내려\S*|낮아\S*|강등\S*|나빠\S*|"
    r"(?<![a-z])(?:drop(?:ped|s)?|fell|fall(?:en|s)?|down|declined?|worse(?:ned)?|lower(?:ed)?)(?![a-z])"
)
WHY_UP = re.compile(
    r"올라\S*|오른\S*|올랐\S*|상승\S*|좋아\S*|높아\S*|"
    r"(?<![a-z])(?:rose|rise[ns]?|improved?|up|better|higher|raised)(?![a-z])"
)
GREETING = _nfkc_pattern(
    r"(?:안녕(?:하세요|하십니까|하신가요)?|하이|헬로|ㅎㅇ|반가워요?|반갑습니다|hi|hello|hey|yo|"
    r"good\s+(?:morning|afternoon|evening)|고마워요?|감사합니다|감사해요|thanks?(?:\s+you)?)"
)
GREETING_ONLY = _nfkc_pattern(
    rf"^(?:{GREETING.pattern})(?:\s*(?:{GREETING.pattern}))*[\s!.~?ㅎㅋ^:)]*$"
)
# Filing a 민원 or getting a document: the evaluation rates agencies, it files nothing
FILING = re.compile(
    r"재발급|발급|여권|등본|초본|주민\s*등록|운전\s*면허|가족\s*관계|인감|과태료|환급|허가\s*신청|"
    r"어디(?:에|서|로)\s*(?:넣|내|신청|접수|제출)|처리\s*(?:기한|기간)|"
    r"민원\s*(?:을\s*)?(?:넣|신청|접수|제기|내)|신청\s*(?:방법|하려면|하는\s*법)|"
    r"(?<![a-z])(?:passport|visa|renew(?:al)?|apply\s+for|file\s+a)(?![a-z])"
)
# Outside the evaluation: people and places, and tasks the bot does not do — filing a 민원
# ('여권 재발급 어디서 해?'), writing code or text ('write me a python script').
OUT_OF_SCOPE = re.compile(
    rf"{FILING.pattern}|"
    r"장관|차관|청장|시장(?:님|은|이|의)?(?![가-힣])|군수|구청장|도지사|교육감|위원장|대통령|"
    r"날씨|기온|미세\s*먼지|주소|전화\s*번호|연락처|인구|예산|맛집|주차|채용|연봉|"
    r"어디서\s*(?:해|하|신청|발급|받|떼|내|넣)|어떻게\s*(?:신청|발급|접수|제기|넣)|"
    r"번역|코드|스크립트|파이썬|프로그램\s*(?:짜|만들)|짜\s*줘|작성해\s*줘|"
    r"(?<![a-z])(?:weather|minister|mayor|governor|phone|address|population|budget|who\s+is|"
    r"who's|lunch|stock|python|javascript|script|code|coding|program(?:me)?|function|regex|"
    r"sql|translate|recipe|poem|essay|joke|write\s+(?:me\s+)?(?:a|an|some)|"
    r"where\s+(?:do|can)\s+i)(?![a-z])"
)
# words that make a question of a sentence ('며칠이야', 'where is')
QUESTION_WORD = re.compile(
    r"며칠|언제|어디|어떻게|누구|무엇|뭐(?:야|예요|에요|지|죠)|무슨|어느|"
    r"(?<![a-z])(?:what|when|where|who|whom|which|how)(?![a-z])"
)
HELP_PHRASE = re.compile(
    r"what\s+can\s+you\s+do|how\s+(?:do\s+i|to|can\s+i)\s+(?:use|ask)|뭐\s*(?:할\s*수|물어볼\s*수|물어\s*봐)|"
    r"사용\s*방법|어떻게\s*(?:써|쓰|사용|물어)|명령어|(?<![a-z])commands?(?![a-z])|뭘\s*물어"
)
ABOUT_EVALUATION = re.compile(r"등급|평가|결과|점수|순위|grade|rating|score|rank|result")
SD_GRADE = re.compile(
    r"(?<![a-z'’])([sabcd])\s*등급|(?<![a-z])grade\s+([sabcd])(?![a-z'’])"
    r"|(?<![a-z'’])([sbcd])\s+grade"  # 'a grade' is English
)
# '2016 A', 'S 2016': a lone S–D letter is a grade when it is the question's only Latin word
LONE_SD_GRADE = re.compile(r"(?<![a-z'’])([sabcd])(?![a-z'’])")
LATIN_WORD = re.compile(r"[a-z]+")
ROMAN_GRADE = re.compile(
    rf"(?<![a-z])grade\s+({'|'.join(GRADE_ROMAN)})(?![a-z])|(?<![a-z])({'|'.join(GRADE_ROMAN)})\s+grade"
)

# '음성군 등급 현황 쭉', '부산시 결과 전부 보여줘', '통계청 평가 결과 목록', 'gimhae all
# grades': about one agency with no year, a word of the whole record asks its history
# (never a one-year card). 전부 inside 행정안전부 is no such word.
WHOLE_RECORD = re.compile(
    r"(?<![가-힣])(?:쭉|죽\s|전부|모두|전체|다(?=\s*(?:보여|알려|말해|나열|정리)))"
    r"|목록|명단|리스트|현황|변천|내역|연도별|년도별|히스토리|결과들|등급들|성적표"
    r"|(?<![a-z])(?:all|every|everything|list|full|whole|entire|complete\s+record)(?![a-z])"
)

# --- what-if and cut-off phrases ('만족도 +5점이면', '가 등급까지 몇 점', '커트라인') ---


def _item_pattern(word: str) -> str:
    if word.isascii():
        return rf"(?<![a-z]){re.escape(word)}(?![a-z])"
    return r"\s*".join(map(re.escape, word))  # '민원 만족도', '고충 민원'


ITEM_ALT = "|".join(_item_pattern(w) for w in sorted(ITEM_WORDS, key=len, reverse=True))
ITEM_WORD = re.compile(ITEM_ALT)
UP_WORDS = (
    r"올라\s*가면|오르면|올리면|높아지면|높이면|상승하면|늘어나면|늘면|늘리면|증가하면|더하면|"
    r"오른다면|올린다면|올라|오르|올리|상승|증가|추가|up|more|higher|increases?|increased|"
    r"rises?|raised?|gains?|improves?|better"
)
DOWN_WORDS = (
    r"내려\s*가면|떨어지면|내리면|낮아지면|하락하면|줄어들면|줄면|감소하면|깎이면|"
    r"떨어진다면|내려|떨어|낮아|하락|감소|down|less|lower|drops?|decreases?|falls?|"
    r"loses?|worse"
)
IF_WORDS = (
    r"what\s*if|만약에?|만일|가정하면|가정|(?<![a-z])if(?![a-z])|이라면|라면|이면|된다면|되면|"
    r"한다면|하면|(?:았|었|였|했)(?:으면|다면)|받으면|치면|친다면|쳐도|(?<=\d)면|"
    r"(?<![a-z])suppose(?![a-z])"
)
PARTICLE = r"(?:점수가|점수를|점수는|점수|에서|이|가|을|를|은|는|도|만|의)?"
CHANGE_ITEM_FIRST = re.compile(
    rf"(?:(?P<pre>{UP_WORDS}|{DOWN_WORDS})\s+)?(?:the\s+)?"
    rf"(?P<items>(?:{ITEM_ALT})(?:\s*(?:,|와|과|랑|하고|및|and|&|/)\s*(?:{ITEM_ALT}))*){PARTICLE}"
    rf"\s*(?:(?:각각|각|모두|둘\s*다|each|both)\s*)?(?:(?P<mid>{UP_WORDS}|{DOWN_WORDS})\s*)?"
    r"(?:(?P<by>by)\s+|(?P<to>to)\s+)?"
    r"(?P<sign>[+\-−–])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?:점|points?|pts?|p(?![a-z]))?"
    r"(?:\s*(?P<abs>으로|로|까지))?(?:\s*(?:씩|만|더|each))?"
    rf"(?:\s*(?P<post>{UP_WORDS}|{DOWN_WORDS}))?(?:\s*(?:{IF_WORDS}))?"
)
CHANGE_NUMBER_FIRST = re.compile(
    r"(?P<sign>[+\-−–])?\s*(?P<num>\d+(?:\.\d+)?)\s*(?:more\s+|extra\s+)?(?:points?|pts?|점)\s*"
    rf"(?:(?P<post>{UP_WORDS}|{DOWN_WORDS})\s*)?(?:in|on|of|for|to)?\s*(?:the\s+)?"
    rf"(?P<items>(?:{ITEM_ALT}))"
)
# '몇 점' is a cut-off only with a target ('가 등급까지 몇 점', '몇 점 더 필요해', '되려면 몇
# 점'); on its own ('2025 점수 몇 점?') it asks the official total (SCORE_ASKED).
_NEXT_GRADE = r"(?:(?:다음|next)\s*(?:등급|grade)\s*)"
_POINTS = r"몇\s*점(?:이나|을|이)?"
_NEEDED = r"(?:\s*(?:더|남았|남은|필요|모자라|부족|차이|올려야|받아야|이면|있어야|부터|이상)\S*)"
CUTOFF_PHRASE = re.compile(
    rf"{_NEXT_GRADE}?까지\s*{_POINTS}{_NEEDED}*|{_NEXT_GRADE}{_POINTS}{_NEEDED}*"
    rf"|(?:되려면|받으려면|가려면|올라가려면|오르려면)\s*{_POINTS}{_NEEDED}*|{_POINTS}{_NEEDED}+"
    rf"|{_NEXT_GRADE}?(?:까지\s*)?(?:"
    r"커트\s*라인|컷\s*라인|커트|컷오프|등급\s*컷|기준\s*점수|최저\s*점수|하한선?"
    r"|cut\s*-?\s*offs?|thresholds?|how\s+many\s+more\s+points?"
    r"|how\s+many\s+points?"  # the words between stay: 'how many points does gimhae need'
    r"(?=\s+(?:[a-z'’]+\s+){0,3}?(?:needed|needs?|to\s+reach|to\s+get|short|away|until|for))"
    r"|points?\s+(?:to|needed|away|short)(?:\s+(?:the\s+)?next\s+grade)?)"
    r"|(?:다음|next)\s*(?:등급|grade)\s*(?:까지)?"
)
IF_WORD = re.compile(IF_WORDS)
ITEM_SAID = re.compile(rf"(?:{ITEM_ALT}){PARTICLE}")  # '만족도가': no grade 가 left behind
# '10점 더 받았으면', 'had scored 10 points higher', '총점 +5면': the total itself, when a
# what-if names no item
_UP_TOTAL = (
    r"더|높|올|오르|많|up|higher|more|better|extra|scored?|gets?|got|had|have|gained?|with|by"
    r"|rose|rises|risen|went\s+up|increased?"
)
TOTAL_CHANGE = re.compile(
    r"(?:(?:총점|점수|합계|평점)(?:이|가|을|를|도)?\s*)?(?P<sign>[+\-−–])?\s*(?P<num>\d+(?:\.\d+)?)"
    r"\s*점\s*(?:만\s*)?(?P<verb>더|높|올|오르|많|낮|떨어|내려|덜|적)\S*"
    r"|(?:총점|점수|합계|평점)(?:이|가|을|를|도)?\s*(?P<sign_ko>[+\-−–])\s*(?P<num_ko>\d+(?:\.\d+)?)"
    r"|(?<![a-z])(?P<lead_en>scored?|gets?|got|had|have|gained?|lost|loses?|dropped|with|by)\s+"
    r"(?:an?\s+|the\s+)?"
    r"(?P<sign_en>[+\-])?(?P<num_en>\d+(?:\.\d+)?)\s*(?:(?P<pre_en>more|extra|fewer|less)\s+)?"
    r"(?:points?|pts?)(?:\s+(?P<verb_en>higher|more|lower|less|better|worse|up|down))?(?![a-z])"
    r"|(?<![a-z])(?:total|score)\s*(?P<sign_total>[+\-])\s*(?P<num_total>\d+(?:\.\d+)?)"
    r"|(?<![a-z])(?:total|score)s?\s+(?:would\s+)?(?:have\s+)?(?P<verb_by>rose|rises|risen|went\s+up|"
    r"increased?|dropped|drops|fell|falls|fallen|decreased?|went\s+down)\s+by\s+"
    r"(?P<num_by>\d+(?:\.\d+)?)"
)
TOTAL_UP = re.compile(rf"^(?:{_UP_TOTAL})")
VERB_WORD = re.compile(rf"{UP_WORDS}|{DOWN_WORDS}")
DOWN_WORD = re.compile(rf"^(?:{DOWN_WORDS})$")


PUBLISH = re.compile(
    r"^(?:(?:publish|공개|발행)\s*(?P<after>(?:19|20)\d{2})\s*년?\s*(?:공개|발행)?"
    r"|(?P<before>(?:19|20)\d{2})\s*년?\s*(?:공개|발행))$"
)


COVERAGE = re.compile(
    r"^(?:(?P<before>(?:19|20)\d{2})\s*년?\s*)?(?:데이터\s*현황|coverage|커버리지)"
    r"(?:\s*(?P<after>(?:19|20)\d{2})\s*년?)?\s*[?？]?$",
    re.IGNORECASE,
)
# '2022년 데이터 몇 개나 있어?', '기초 데이터 어디까지 있음?': the bot's own data, asked about
# in words (데이터 on its own, never inside 국가데이터처 or its short name 데이터처).
# Also 자료/기록 so asked, '몇 년도부터 있어?', and in English 'how much data do you have',
# 'what years do you cover', 'how many agencies do you have for 2019'.
DATA_QUESTION = re.compile(
    r"(?<![가-힣])(?:데이터(?!처)|자료|기록)[가-힣]{0,2}\s*(?:(?:다|전부|모두|좀)\s*)?"
    r"(?:현황|몇|얼마|어디까지|어느\s*정도|범위|충분|있어|있나|있음|있는지)\S*"
    r"|(?:몇\s*년\s*도?|언제|어느\s*해)\s*부터\s*(?:있|나와|나온|기록|데이터|자료)\S*"
    r"|(?<![a-z])(?:how\s+much|how\s+many|what|which)\s+(?:[a-z]+\s+){0,3}?"
    r"(?:data|years?|records?|results|agencies|coverage)\s+(?:[a-z0-9]+\s+){0,3}?"
    r"(?:do\s+you\s+(?:have|cover|know)|have\s+you\s+got|are\s+(?:on\s+record|covered)|you\s+cover"
    r"|you\s+have)(?![a-z])"
    # how many were evaluated: '2021 평가대상 기관 수', '몇 곳 평가했어', 'how many agencies were
    # evaluated in 2021' (the year's published count, in the coverage)
    r"|평가\s*(?:대상|받은|받는)\S*\s*(?:기관\S*\s*)?(?:수|몇|얼마|규모|개수)"
    r"|몇\s*(?:개|곳)\S*\s*(?:기관\S*\s*)?평가"
    r"|(?<![a-z])how\s+many\s+(?:agencies|institutions|bodies)\s+(?:were|are|got|get)\s+"
    r"(?:evaluated|rated|graded|assessed)(?![a-z])"
)
ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


# --- what a question asks beyond its intent (Asks): a count, a score, a release, a list's
# completeness ---

# '몇 년 연속', '몇 년째', 'how many years in a row': the length of the run, not a yes/no
HOW_MANY_IN_A_ROW = re.compile(
    r"몇\s*(?:년|해|번|회)\s*(?:째|연속)"
    rf"|연속\s*(?:으로\s*)?(?:{_GRADE}\s*(?:등급\s*)?)?몇\s*(?:년|해|번|회)"
    r"|how\s+many\s+(?:years|times)\s+(?:in\s+a\s+row|running|straight)"
    r"|how\s+many\s+(?:straight|consecutive)\s+years|how\s+long\s+has"
)
# '몇 점이야?', '점수', 'total score': the official total (a cut-off needs a target: '까지')
SCORE_ASKED = re.compile(r"몇\s*점|점수|총점|평점|(?<![a-z])(?:scores?|points?|totals?)(?![a-z])")
# '2026 나왔어?', 'is 2025 out', '발표됐어': whether a year's results are published
RELEASED = re.compile(
    r"나왔\S*|나옴|나온\S*|나와\S*|나오\S*|발표\S*|공개\S*|떴\S*|뜸|뜬\S*|뜨\S*|아직\S*"
    r"|(?<![a-z])(?:out|released?|published|announced|available)(?![a-z])"
)
# '점수도 나와?', '점수 공개됐어?', 'is the score available': whether a score was published
# (the score question, not whether a year is out)
SCORE_RELEASED = re.compile(
    r"(?:몇\s*점|점수|총점|평점)\S*\s*(?:(?:도|는|은|이|가|까지|까지도)\s*)?"
    r"(?:나와|나왔|나오|나옴|나온|공개|발표|있어|있나|있음|있는지|알\s*수|떴|뜸)"
    r"|(?<![a-z])(?:scores?|points?|totals?)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:out|released?|published|available|given|known|public)(?![a-z])"
)
# '명단 완전해?', '빠진 곳 없어?', '다 있어?', 'is the list complete': a list's completeness
COMPLETE = re.compile(
    r"완전\S*|빠짐\s*없\S*|빠진\s*(?:(?:거|것|게|곳|데|기관|건)\S*|(?:없|있)\S*)|누락\S*"
    r"|(?<![가-힣])(?:다|전부|모두)\s*(?:있|들어\s*있)\S*|(?:이게|이거|이것이?)\s*(?:전부|다|끝)\S*"
    r"|(?<![가-힣])전부(?:야|인가\S*|예요|에요|임|맞\S*)"
    r"|(?<![a-z])(?:complete|incomplete|missing|exhaustive)(?![a-z])|full\s+list"
)
# 다 as 'all' ('전부 다 보여줘', '다 알려줘'), not the grade 다
ALL_ADVERB = re.compile(
    r"(?:(?<=전부)|(?<=모두)|(?<=전부\s)|(?<=모두\s))다(?![가-힣])"
    r"|(?<![가-힣])다(?=\s*(?:보여|알려|말해|찾아|뽑아|정리|나열)|\s+(?:나왔|나온|나와|나옴|공개|발표))"
)

# --- English names of the 시·도 and their offices of education, as people write them ---
# 'South Gyeongsang' is 경남; then '<region> Province', '<city> Metropolitan City', 'Seoul
# City', '<region> Office of Education'. The catalog's own English names are read first.
ENGLISH_DIRECTIONS: dict[tuple[str, str], str] = {
    ("south", "gyeongsang"): "경남", ("north", "gyeongsang"): "경북",
    ("south", "chungcheong"): "충남", ("north", "chungcheong"): "충북",
    ("south", "jeolla"): "전남", ("north", "jeolla"): "전북",
}  # fmt: skip
ENGLISH_DIRECTION = re.compile(
    r"(?<![a-z])(south|north)(?:ern)?\s+(gyeongsang|chungcheong|jeolla)(?![a-z])"
)
# the long romanized stems people also write ('Gyeongsangnam Province', 'Jeollabuk-do')
ROMAN_STEMS: dict[str, str] = {
    **{roman: abbr for abbr, roman in REGION_ROMAN.items()},
    "gyeongsangnam": "경남", "gyeongsangbuk": "경북", "chungcheongnam": "충남",
    "chungcheongbuk": "충북", "jeollanam": "전남", "jeollabuk": "전북",
}  # fmt: skip
_STEM_ALT = "|".join(sorted(ROMAN_STEMS, key=len, reverse=True))
ENGLISH_PLACE = re.compile(
    rf"(?<![a-z])(?P<stem>{_STEM_ALT})(?:\s*-\s*|\s+)(?:"
    r"(?P<education>(?:(?:do|province|provincial|metropolitan(?:\s+city)?|city|special\s+self-governing"
    r"(?:\s+(?:city|province|provincial))?|state)\s+)?(?:office\s+of\s+education|education\s+office))"
    r"|(?P<province>(?:special\s+self-governing\s+)?(?:province|provincial\s+government|state))"
    r"|(?P<city>(?:(?:metropolitan|special(?:\s+self-governing)?)\s+)?"
    r"(?:city(?:\s+hall|\s+government)?|government)))(?![a-z])"
)
# '경찰청 2025 출처', '고성군 등급 근거', 'sources for Goseong 2023', 'where does gimhae's 2024
# grade come from': the sources and earlier versions of a result (the words between 'where
# does' and 'come from' are the question's own).
SOURCES = re.compile(
    r"출처\S*|근거\S*|(?<![가-힣])소스(?![가-힣])|어디서\s*(?:나온|나왔|가져온|가져왔|봤|찾았|확인한)\S*"
    r"|(?<![a-z])(?:sources?|provenance)(?:\s+(?:for|of))?(?![a-z])"
    r"|(?<![a-z])where\s+(?:does|do|did)\s+(?P<what>.+?)\s+comes?\s+from(?![a-z])"
)
