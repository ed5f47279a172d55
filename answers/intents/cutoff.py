"""'2023 기초-군 커트라인', '고성군 가 등급까지 몇 점?': per group, the lowest total holding
each grade; for a named agency, the points its total must gain to reach the next grade (or
the grade asked for), everyone else fixed. From stored score data only, labelled as
computed (and as simulated when the data is)."""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr
from answers.data import DataAccess
from answers.intents.scored import (
    LOAD_HINT,
    NO_AGENCY_SCORES,
    answer,
    group_label,
    no_data_line,
    partial_note,
    points,
    rules_for,
    score_sources,
    year_scores,
    years_to_compute,
    years_with_scores,
)
from answers.presentation.wording import agency_name
from answers.query import Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context
from answers.understanding.mentions import ambiguity_note, resolve_mentions
from domain.groups import GROUP_ORDER
from storage.scores import YearScores

GROUP_HEAD: Message = (
    "*{year}년 {group}* (점수표 {n}곳) — 등급별 최저 합계 (계산값):",
    "*{year} {group}* ({n} agencies in the score data) — lowest total holding each grade (computed):",
)
GRADE_LOWEST: Message = (
    "• {grade} {count}곳: 최저 *{lowest}점*",
    "• {grade} ({count}): lowest total *{lowest}*",
)
NO_GRADE: Message = (
    "*{name}*: 등급을 계산할 수 없습니다 ({reason}).",
    "*{name}*: no grade can be computed ({reason}).",
)
STANDING: Message = (
    "*{name}* ({year}년): 합계 {total} · {rank}위/{n}곳 · 계산값 {grade}",
    "*{name}* ({year}): total {total} · rank {rank} of {n} · computed {grade}",
)
NO_BAND: Message = (
    " — 이 평가군({n}곳)에는 {wanted} 등급 구간이 없습니다.",
    " — a group of {n} has no {wanted} band.",
)
ALREADY_AT: Message = (" — 이미 {wanted} 등급 이상입니다.", " — already at {wanted} or better.")
AT_TOP: Message = (" — 이미 최상위 등급입니다.", " — already the top grade.")
NO_HIGHER_BAND: Message = (
    " — 이 평가군({n}곳)에는 더 높은 등급 구간이 없습니다.",
    " — a group of {n} has no higher band to reach.",
)
POINTS_TO: Message = (
    " → {wanted} 등급까지 *+{needed}점* (합계 기준, 다른 기관 점수는 그대로)",
    " → *+{needed} points* of total to reach {wanted} (everyone else fixed)",
)
POINTS_TO_NEXT: Message = (
    " → 다음 등급 {wanted}까지 *+{needed}점* (합계 기준, 다른 기관 점수는 그대로)",
    " → *+{needed} points* of total to reach {wanted} (everyone else fixed)",
)


async def answer_cutoff(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    lang = query.lang
    years, year_note = await years_to_compute(query, ctx, data)
    scored = await years_with_scores(data, ctx.viewer)
    lines: list[str] = []
    used: list[YearScores] = []
    partial: list[str] = []
    for year in years:
        scores = await year_scores(data, year, ctx.viewer)
        shown: set[str] = set()
        if agencies:
            for agency in agencies:
                lines += _agency_lines(agency, year, scores, query, shown, scored)
        else:
            groups = list(query.groups) or (_groups_in(scores) if scores else [])
            if scores is None and not query.groups:
                lines.append(no_data_line(year, None, lang, scored))
            for group in groups:
                lines += _group_lines(year, group, scores, lang, scored)
                shown.add(group)
        if scores is not None and shown & set(scores.groups()):
            used.append(scores)
            partial += filter(None, (partial_note(scores, g, lang) for g in sorted(shown)))
    if not years:
        lines.append(no_data_line(None, None, lang, scored))
    subject = agency_name(agencies[0], lang) if len(agencies) == 1 else _subject(query, years, lang)
    sources: list[Source] = score_sources(used, lang)
    return answer(
        query,
        subject=subject,
        ko="등급 커트라인",
        en="grade cut-offs",
        lines=lines + asks,
        used=used,
        partial=partial,
        extra_notes=ambiguity_note(query, ctx) + ([year_note] if year_note else []),
        sources=sources,
        has_data=bool(used),
    )


def _subject(query: Query, years: list[int], lang: Lang) -> str:
    groups = " ".join(group_label(g, lang) for g in query.groups)
    year = " ".join(str(y) for y in years)
    return " ".join(part for part in (year, groups) if part)


def _groups_in(scores: YearScores) -> list[str]:
    """The groups of the score data, in the order every answer lists them."""
    present = scores.groups()
    order = [g for g in GROUP_ORDER if g in present]
    return order + sorted(set(present) - set(order))


def _group_lines(
    year: int, group: str, scores: YearScores | None, lang: Lang, scored: list[int]
) -> list[str]:
    """The lowest total holding each grade of ``group`` (or why there is none)."""
    from scoring import cutoffs

    if scores is None or group not in scores.groups():
        return [no_data_line(year, group, lang, scored)]
    rules = rules_for(year)
    table = cutoffs(scores.frame, group, rules)
    n = scores.groups()[group]
    out = [say(lang, GROUP_HEAD, year=year, group=group_label(group, lang), n=n)]
    for entry in table.to_dict("records"):
        count = int(entry["count"])
        if count:
            lowest = points(float(entry["min_total"]))
            out.append(say(lang, GRADE_LOWEST, grade=entry["grade"], count=count, lowest=lowest))
        else:
            out.append(tr(lang, f"• {entry['grade']} 0곳: —", f"• {entry['grade']} (0): —"))
    return out


def _agency_lines(
    agency: AgencyRef,
    year: int,
    scores: YearScores | None,
    query: Query,
    shown: set[str],
    scored: list[int],
) -> list[str]:
    lang = query.lang
    name = agency_name(agency, lang)
    rows = scores.frame[scores.frame["agency_id"] == agency.id] if scores is not None else None
    if scores is None or rows is None or rows.empty:
        if scores is not None:
            return [say(lang, NO_AGENCY_SCORES, name=name, year=year, hint=LOAD_HINT)]
        return [f"*{name}* — " + no_data_line(year, agency.group, lang, scored)]
    group = str(rows["group"].iloc[0])
    out = [] if group in shown else _group_lines(year, group, scores, lang, scored)
    shown.add(group)
    return out + [_points_line(agency, name, year, group, scores, query)]


def _points_line(
    agency: AgencyRef, name: str, year: int, group: str, scores: YearScores, query: Query
) -> str:
    from scoring import grade_table, points_to_grade, points_to_next

    lang = query.lang
    rules = rules_for(year)
    table = grade_table(scores.frame, rules)
    me = table[table["agency_id"] == agency.id].iloc[0]
    if not isinstance(me["grade"], str):
        return say(lang, NO_GRADE, name=name, reason=me["reason"])
    n = int(me["group_size"])
    total, rank = points(float(me["total"])), int(me["rank"])
    now = say(lang, STANDING, name=name, year=year, total=total, rank=rank, n=n, grade=me["grade"])
    wanted = next((g for g in query.grades if g in rules.grades), None)
    if wanted is not None:
        needed = points_to_grade(scores.frame, agency.id, wanted, rules)
        if needed is None:
            return now + say(lang, NO_BAND, n=n, wanted=wanted)
        if needed == 0:
            return now + say(lang, ALREADY_AT, wanted=wanted)
        return now + say(lang, POINTS_TO, needed=points(needed), wanted=wanted)
    step = points_to_next(scores.frame, rules)
    mine = step[step["agency_id"] == agency.id].iloc[0]
    if mine["next_grade"] is None:
        if me["grade"] == rules.grades[0]:
            return now + say(lang, AT_TOP)
        return now + say(lang, NO_HIGHER_BAND, n=n)
    to_next = points(float(mine["points_needed"]))
    return now + say(lang, POINTS_TO_NEXT, needed=to_next, wanted=mine["next_grade"])
