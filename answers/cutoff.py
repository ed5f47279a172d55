"""'2023 기초-군 커트라인', '고성군 가 등급까지 몇 점?': per group, the lowest total holding
each grade; for a named agency, the points its total must gain to reach the next grade (or
the grade asked for), everyone else fixed. From stored score data only, labelled as
computed (and as simulated when the data is)."""

from __future__ import annotations

from answers.answer import Answer, Source, tr
from answers.catalog import AgencyRef
from answers.context import Context
from answers.data import DataAccess
from answers.mentions import ambiguity_note, resolve_mentions
from answers.query import Lang, Query
from answers.scored import (
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
from answers.wording import agency_name
from storage.scores import YearScores
from storage.yearconfig import year_config


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
        query, subject=subject, ko="등급 커트라인", en="grade cut-offs", lines=lines + asks,
        used=used, partial=partial,
        extra_notes=ambiguity_note(query, ctx) + ([year_note] if year_note else []),
        sources=sources, has_data=bool(used),
    )  # fmt: skip


def _subject(query: Query, years: list[int], lang: Lang) -> str:
    groups = " ".join(group_label(g, lang) for g in query.groups)
    year = " ".join(str(y) for y in years)
    return " ".join(part for part in (year, groups) if part)


def _groups_in(scores: YearScores) -> list[str]:
    """The groups of the score data, in the year's own order."""
    present = scores.groups()
    order = [g for g in year_config(scores.year).groups if g in present]
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
    out = [tr(lang, f"*{year}년 {group_label(group, lang)}* (점수표 {n}곳) — 등급별 최저 합계 (계산값):",
              f"*{year} {group_label(group, lang)}* ({n} agencies in the score data) — lowest total holding each grade (computed):")]  # fmt: skip
    for entry in table.to_dict("records"):
        count = int(entry["count"])
        if count:
            lowest = points(float(entry["min_total"]))
            out.append(tr(lang, f"• {entry['grade']} {count}곳: 최저 *{lowest}점*",
                          f"• {entry['grade']} ({count}): lowest total *{lowest}*"))  # fmt: skip
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
            return [tr(lang, f"*{name}* — {year}년 점수표에 이 기관의 점수가 없어 계산할 수 없습니다. `minwon-bot ingest 점수표.csv`",
                       f"*{name}* — the {year} score data has no scores for this agency, so there is nothing to compute. `minwon-bot ingest 점수표.csv`")]  # fmt: skip
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
        return tr(lang, f"*{name}*: 등급을 계산할 수 없습니다 ({me['reason']}).",
                  f"*{name}*: no grade can be computed ({me['reason']}).")  # fmt: skip
    n = int(me["group_size"])
    now = tr(lang, f"*{name}* ({year}년): 합계 {points(float(me['total']))} · {int(me['rank'])}위/{n}곳 · 계산값 {me['grade']}",
             f"*{name}* ({year}): total {points(float(me['total']))} · rank {int(me['rank'])} of {n} · computed {me['grade']}")  # fmt: skip
    wanted = next((g for g in query.grades if g in rules.grades), None)
    if wanted is not None:
        needed = points_to_grade(scores.frame, agency.id, wanted, rules)
        if needed is None:
            return now + tr(lang, f" — 이 평가군({n}곳)에는 {wanted} 등급 구간이 없습니다.",
                            f" — a group of {n} has no {wanted} band.")  # fmt: skip
        if needed == 0:
            return now + tr(lang, f" — 이미 {wanted} 등급 이상입니다.", f" — already at {wanted} or better.")  # fmt: skip
        return now + tr(lang, f" → {wanted}까지 *+{points(needed)}점* (합계 기준, 다른 기관 점수는 그대로)",
                        f" → *+{points(needed)} points* of total to reach {wanted} (everyone else fixed)")  # fmt: skip
    step = points_to_next(scores.frame, rules)
    mine = step[step["agency_id"] == agency.id].iloc[0]
    if mine["next_grade"] is None:
        if me["grade"] == rules.grades[0]:
            return now + tr(lang, " — 이미 최상위 등급입니다.", " — already the top grade.")
        return now + tr(lang, f" — 이 평가군({n}곳)에는 더 높은 등급 구간이 없습니다.",
                        f" — a group of {n} has no higher band to reach.")  # fmt: skip
    return now + tr(lang, f" → 다음 등급 {mine['next_grade']}까지 *+{points(float(mine['points_needed']))}점* (합계 기준, 다른 기관 점수는 그대로)",
                    f" → *+{points(float(mine['points_needed']))} points* of total to reach {mine['next_grade']} (everyone else fixed)")  # fmt: skip
