"""How an answer writes an agency, a grade, a group, a score and a grade's move."""

from __future__ import annotations

from answers.answer import Message, Source, say, tr
from answers.query import Intent, Lang
from answers.understanding.catalog import AgencyRef, Suggestion
from answers.understanding.context import Context
from domain.agencies import NameKind
from domain.grades import GRADE_EN, GradeScale, grade_label, grade_move
from domain.groups import AgencyType, group_en
from domain.regions import REGION_ROMAN
from domain.text import LOCAL_SUFFIX_ROMAN, compact, romanize
from storage.models import YearStatus
from storage.views import ResultView

NO_EARLIER: Message = ("이전 평가 없음", "no earlier evaluation")
NO_RECORD_FOR: Message = (
    "{year}년 기록 없음 (이전 등급을 알 수 없어 변화도 알 수 없음)",
    "no record for {year}, so the change is unknown",
)
OTHER_SCALE: Message = (
    "{year}년 {grade} (등급 체계가 달라 비교 불가)",
    "{year}: {grade} (different scale, not comparable)",
)
SAME_AS: Message = ("{year}년과 같음 ({grade})", "same as {year} ({grade})")
MOVED: Message = ("{year}년 {before} → {after} {arrow}", "{year}: {before} → {after} {arrow}")
DRAFT: Message = (" _(미공개 초안)_", " _(unpublished draft)_")
SCORE: Message = ("점수 {score:g}", "score {score:g}")
GROUP_AVERAGE: Message = (" (평가군 평균 {average:g})", " (group average {average:g})")
TITLES: dict[Intent, Message] = {
    Intent.GRADE: ("민원서비스 종합평가 등급", "Civil service evaluation grade"),
    Intent.HISTORY: ("등급 추이", "Grade history"),
    Intent.COMPARE: ("등급 비교", "Grade comparison"),
    Intent.LIST: ("등급 목록", "Grades"),
    Intent.ITEMS: ("항목별 결과", "Results by item"),
    Intent.WHATIF: ("가정 계산 (계산값)", "What-if (computed)"),
    Intent.CUTOFF: ("등급 커트라인 (계산값)", "Grade cut-offs (computed)"),
}


def agency_name(agency: AgencyRef, lang: Lang) -> str:
    """'경남 고성군' or, in English, the catalog's official English name: 'Goseong County
    (고성군), Gyeongnam', 'Ministry of the Interior and Safety (행정안전부)'. An agency the
    catalog lacks is romanized ('Saebit-gun (새빛군), Jeonnam')."""
    if lang is Lang.KO:
        return agency.label()
    english = agency.english or _roman_name(agency)
    region = REGION_ROMAN.get(agency.region, "").capitalize()
    local = agency.agency_type == AgencyType.LOCAL
    return f"{english} ({agency.name})" + (f", {region}" if region and local else "")


def choice_text(found: Suggestion) -> str:
    """How a picker's option names an agency: '고성군 · 경남 · 기초-군', '행정안전부 · 중앙',
    '강원특별자치도 · 광역 · 옛 이름 강원도', '고성군 · 강원 · 기초-군 · Goseong County' — always
    which agency it is, never a name two agencies share alone. The distinguishing parts come
    first, so a cut end loses only the English."""
    agency = found.agency
    parts = [agency.name, agency.region if agency.agency_type == AgencyType.LOCAL else ""]
    parts.append(agency.group or agency.agency_type)
    if found.term.isascii():
        parts.append(agency.english or _roman_name(agency))
    elif found.term != compact(agency.name) and found.kind <= NameKind.FORMER:
        parts.append(f"옛 이름 {found.term}")
    return " · ".join(part for part in parts if part)


def _roman_name(agency: AgencyRef) -> str:
    if agency.agency_type == AgencyType.LOCAL:
        suffix = LOCAL_SUFFIX_ROMAN.get(agency.name[-1], "")
        return f"{romanize(agency.name[:-1]).capitalize()}-{suffix}"
    return romanize(agency.name).capitalize()


def grade_text(result: ResultView, lang: Lang) -> str:
    label = grade_label(GradeScale(result.scale), result.grade)
    if result.scale != GradeScale.GA_MA:
        return f"*{result.grade}*"
    if lang is Lang.EN:
        return f"*{result.grade}* ({GRADE_EN[result.grade]}, {label})"
    return f"*{result.grade}* ({label})"


def group_text(group: str | None, lang: Lang) -> str:
    if not group:
        return ""
    return f"{group} ({group_en(group)})" if lang is Lang.EN else group


def change_text(
    result: ResultView, previous: ResultView | None, lang: Lang, previous_year: int | None
) -> str:
    """Against the previous evaluation year only; never across scales, never assumed."""
    if previous_year is None:
        return say(lang, NO_EARLIER)
    if previous is None:
        return say(lang, NO_RECORD_FOR, year=previous_year)
    if previous.scale != result.scale:
        return say(lang, OTHER_SCALE, year=previous_year, grade=previous.grade)
    move = grade_move(previous.scale, previous.grade, result.scale, result.grade)
    if move is None or move.steps == 0:
        return say(lang, SAME_AS, year=previous_year, grade=previous.grade)
    return say(
        lang, MOVED, year=previous_year, before=previous.grade, after=result.grade, arrow=move.arrow
    )


def source_of(result: ResultView, agency: AgencyRef, lang: Lang) -> Source:
    return Source(result.source_url, f"{result.year} {agency_name(agency, lang)}")


def draft_mark(result: ResultView, ctx: Context, lang: Lang) -> str:
    info = ctx.year(result.year)
    if info and info.status == YearStatus.DRAFT:
        return say(lang, DRAFT)
    return ""


def score_text(result: ResultView, lang: Lang) -> str:
    if result.score is None:
        return ""
    text = say(lang, SCORE, score=result.score)
    if result.group_avg is not None:
        text += say(lang, GROUP_AVERAGE, average=result.group_avg)
    return text


def title_for(intent: Intent, lang: Lang, subject: str) -> str:
    title = tr(lang, *TITLES[intent])
    return f"{subject} · {title}" if subject else title
