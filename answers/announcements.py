"""Announcements as Answers: a grade-change alert, a first record, a correction, the
year's results summary, and the admin report of a channel the bot cannot post to."""

from __future__ import annotations

from typing import Any

from answers.answer import Answer, Chart, Source
from answers.query import Intent, Lang

GROUP_ORDER = ("중앙", "광역", "교육청", "기초-시", "기초-군", "기초-구")


def _label(p: dict[str, Any]) -> str:
    return f"{p['region']} {p['agency']}" if p.get("agency_type") == "기초자치단체" else p["agency"]


def _source(p: dict[str, Any]) -> tuple[Source, ...]:
    return (Source(p["source_url"], f"{p['year']} {_label(p)}"),) if p.get("source_url") else ()


def alert_answer(p: dict[str, Any]) -> Answer:
    """▲/▼ and the step count against the previous evaluation year, or a first record."""
    label, year = _label(p), p["year"]
    if p.get("previous_grade") and p.get("previous_scale") == p.get("scale"):
        steps = int(p["steps"])
        arrow = "▲" if steps > 0 else "▼" if steps < 0 else "="
        move = f"{arrow}{abs(steps)}" if steps else "변동 없음"
        line = f"*{label}* {year}년 *{p['grade']}* ({p['previous_year']}년 {p['previous_grade']} → {p['grade']} {move})"
        title = f"{label} {year}년 등급 {'상승' if steps > 0 else '하락' if steps < 0 else '확정'}"
    else:
        line = f"*{label}* {year}년 *{p['grade']}* — 첫 기록"
        before = p.get("previous_year")
        reason = (f"{before}년 공개 기록이 없어 비교하지 않습니다." if before and not p.get("previous_grade")
                  else f"{before}년은 등급 체계가 달라 비교하지 않습니다." if before else "이전 평가가 없습니다.")  # fmt: skip
        line += f"\n{reason}"
        title = f"{label} {year}년 등급 공개"
    if p.get("group"):
        line += f"\n평가군: {p['group']}"
    return Answer(
        intent=Intent.GRADE,
        lang=Lang.KO,
        title=title,
        lines=(line,),
        sources=_source(p),
        has_data=True,
    )


def correction_answer(p: dict[str, Any]) -> tuple[Answer, str]:
    """The corrected alert (edits the original) and the explanation for its thread."""
    corrected = alert_answer(p)
    note = f"정정: {p['year']}년 {_label(p)} 등급이 {p['corrected_from']} → {p['grade']}(으)로 수정되었습니다."
    fixed = Answer(intent=corrected.intent, lang=Lang.KO, title=f"[정정] {corrected.title}", lines=corrected.lines,
                   notes=(note,), sources=corrected.sources, has_data=True)  # fmt: skip
    return fixed, note + " 위 메시지를 고쳤습니다."


def summary_answer(p: dict[str, Any]) -> Answer:
    """Counts per grade per group, biggest risers and fallers, and what the data covers."""
    year = p["year"]
    lines = []
    counts: dict[str, dict[str, int]] = p.get("counts", {})
    for group in sorted(counts, key=lambda g: GROUP_ORDER.index(g) if g in GROUP_ORDER else 99):
        spread = " · ".join(f"{grade} {n}" for grade, n in sorted(counts[group].items()))
        lines.append(f"*{group}*: {spread}")
    for key, heading in (("risers", "가장 많이 오른 기관"), ("fallers", "가장 많이 내린 기관")):
        moves = p.get(key) or []
        if moves:
            items = ", ".join(f"{_label(m)} {m['previous_grade']}→{m['grade']}" for m in moves)
            lines.append(f"{heading}: {items}")
    evaluated = f" / 평가 대상 {p['evaluated']}개" if p.get("evaluated") else ""
    notes = (
        f"공개 자료에서 확인된 {p['known']}개 기관{evaluated} 기준입니다. 전년({p.get('previous_year')}) 대비 비교 가능한 기관 {p.get('pairs', 0)}개.",
    )
    return Answer(intent=Intent.LIST, lang=Lang.KO, title=f"{year}년 민원서비스 종합평가 결과 공개",
                  lines=tuple(lines), notes=notes, has_data=True,
                  chart=Chart(kind="distribution", title=f"{year}년 평가군별 등급 분포 (공개 자료 {p['known']}곳)", counts=counts, year=year) if counts else None)  # fmt: skip


def admin_report_answer(p: dict[str, Any]) -> Answer:
    return Answer(intent=Intent.HELP, lang=Lang.KO, title="알림을 보낼 수 없는 채널이 있습니다",
                  lines=(f"<#{p['channel']}> 채널에 {p['year']}년 알림을 보내지 못했습니다: `{p.get('error')}`.",
                         "봇을 채널에 초대하거나(`/invite @minwon-bot`) 구독을 정리해 주세요. 이 채널의 남은 알림은 보내지 않습니다."))  # fmt: skip
