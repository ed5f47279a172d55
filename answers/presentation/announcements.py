"""Announcements as Answers: a grade-change alert, a first record, a correction, the
year's results summary, and the admin report of a channel the bot cannot post to."""

from __future__ import annotations

from answers.answer import Answer, Chart, Source
from answers.query import Intent, Lang
from domain.groups import GROUP_ORDER, AgencyType
from domain.text import particle
from storage.payloads import (
    AdminReportPayload,
    AlertPayload,
    CorrectionPayload,
    Payload,
    SummaryPayload,
)

MESSAGES = {
    "moved": "*{label}* {year}년 *{grade}* ({previous_year}년 {previous_grade} → {grade} {move})",
    "unchanged": "변동 없음",
    "first_record": "*{label}* {year}년 *{grade}* — 첫 기록",
    "no_record_before": "{before}년 공개 기록이 없어 비교하지 않습니다.",
    "other_scale_before": "{before}년은 등급 체계가 달라 비교하지 않습니다.",
    "no_evaluation_before": "이전 평가가 없습니다.",
    "group": "평가군: {group}",
    "title_moved": "{label} {year}년 등급 {verb}",
    "title_first": "{label} {year}년 등급 공개",
    "correction": "정정: {year}년 {label} 등급이 {old} → {grade}{ro} 수정되었습니다.",
    "correction_thread": "{note} 위 메시지를 고쳤습니다.",
    "summary_title": "{year}년 민원서비스 종합평가 결과 공개",
    "summary_chart": "{year}년 평가군별 등급 분포 (공개 자료 {known}곳)",
    "summary_coverage": (
        "공개 자료에서 확인된 {known}개 기관{evaluated} 기준입니다. "
        "전년({previous_year}) 대비 비교 가능한 기관 {pairs}개."
    ),
    "summary_evaluated": " / 평가 대상 {evaluated}개",
    "admin_title": "알림을 보낼 수 없는 채널이 있습니다",
    "admin_failed": "<#{channel}> 채널에 {year}년 알림을 보내지 못했습니다: `{error}`.",
    "admin_advice": (
        "봇을 채널에 초대하거나(`/invite @minwon-bot`) 구독을 정리해 주세요. "
        "이 채널의 남은 알림은 보내지 않습니다."
    ),
}
MOVE_VERBS = {1: "상승", -1: "하락", 0: "확정"}  # by the sign of the steps
SUMMARY_MOVES = (("risers", "가장 많이 오른 기관"), ("fallers", "가장 많이 내린 기관"))


def _label(p: AlertPayload) -> str:
    return f"{p.region} {p.agency}" if p.agency_type == AgencyType.LOCAL else p.agency


def _source(p: AlertPayload) -> tuple[Source, ...]:
    return (Source(p.source_url, f"{p.year} {_label(p)}"),) if p.source_url else ()


def _first_record_reason(p: AlertPayload) -> str:
    before = p.previous_year
    if not before:
        return MESSAGES["no_evaluation_before"]
    key = "other_scale_before" if p.previous_grade else "no_record_before"
    return MESSAGES[key].format(before=before)


def alert_answer(p: AlertPayload) -> Answer:
    """▲/▼ and the step count against the previous evaluation year, or a first record."""
    label, move = _label(p), p.move
    if move is not None:
        shown = move.arrow if move.steps else MESSAGES["unchanged"]
        line = MESSAGES["moved"].format(
            label=label,
            year=p.year,
            grade=p.grade,
            previous_year=p.previous_year,
            previous_grade=p.previous_grade,
            move=shown,
        )
        verb = MOVE_VERBS[(move.steps > 0) - (move.steps < 0)]
        title = MESSAGES["title_moved"].format(label=label, year=p.year, verb=verb)
    else:
        line = MESSAGES["first_record"].format(label=label, year=p.year, grade=p.grade)
        line += "\n" + _first_record_reason(p)
        title = MESSAGES["title_first"].format(label=label, year=p.year)
    if p.group:
        line += "\n" + MESSAGES["group"].format(group=p.group)
    return Answer(
        intent=Intent.GRADE,
        lang=Lang.KO,
        title=title,
        lines=(line,),
        sources=_source(p),
        has_data=True,
    )


def correction_answer(p: CorrectionPayload) -> tuple[Answer, str]:
    """The corrected alert (edits the original) and the explanation for its thread."""
    corrected = alert_answer(p.alert)
    note = MESSAGES["correction"].format(
        year=p.alert.year,
        label=_label(p.alert),
        old=p.corrected_from,
        grade=p.alert.grade,
        ro=particle(p.alert.grade, "으로/로"),
    )
    fixed = Answer(
        intent=corrected.intent,
        lang=Lang.KO,
        title=f"[정정] {corrected.title}",
        lines=corrected.lines,
        notes=(note,),
        sources=corrected.sources,
        has_data=True,
    )
    return fixed, MESSAGES["correction_thread"].format(note=note)


def _group_position(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def summary_answer(p: SummaryPayload) -> Answer:
    """Counts per grade per group, biggest risers and fallers, and what the data covers."""
    lines = []
    for group in sorted(p.counts, key=_group_position):
        spread = " · ".join(f"{grade} {n}" for grade, n in sorted(p.counts[group].items()))
        lines.append(f"*{group}*: {spread}")
    for field, heading in SUMMARY_MOVES:
        moves: tuple[AlertPayload, ...] = getattr(p, field)
        if moves:
            items = ", ".join(f"{_label(m)} {m.previous_grade}→{m.grade}" for m in moves)
            lines.append(f"{heading}: {items}")
    evaluated = MESSAGES["summary_evaluated"].format(evaluated=p.evaluated) if p.evaluated else ""
    coverage = MESSAGES["summary_coverage"].format(
        known=p.known, evaluated=evaluated, previous_year=p.previous_year, pairs=p.pairs
    )
    chart = None
    if p.counts:
        title = MESSAGES["summary_chart"].format(year=p.year, known=p.known)
        chart = Chart(kind="distribution", title=title, counts=p.counts, year=p.year)
    return Answer(
        intent=Intent.LIST,
        lang=Lang.KO,
        title=MESSAGES["summary_title"].format(year=p.year),
        lines=tuple(lines),
        notes=(coverage,),
        has_data=True,
        chart=chart,
    )


def admin_report_answer(p: AdminReportPayload) -> Answer:
    failed = MESSAGES["admin_failed"].format(channel=p.channel, year=p.year, error=p.error)
    return Answer(
        intent=Intent.HELP,
        lang=Lang.KO,
        title=MESSAGES["admin_title"],
        lines=(failed, MESSAGES["admin_advice"]),
    )


def announcement_answer(payload: Payload) -> Answer:
    """The message an outbox row posts (a correction is posted by :func:`correction_answer`)."""
    if isinstance(payload, SummaryPayload):
        return summary_answer(payload)
    if isinstance(payload, AdminReportPayload):
        return admin_report_answer(payload)
    if isinstance(payload, CorrectionPayload):
        return correction_answer(payload)[0]
    return alert_answer(payload)
