"""'김해시 등급이 떨어진 이유는?', 'why did goseong drop': the last recorded change.

The bot knows results, not reasons: it shows the last change between two consecutive
evaluation years on one scale, the item grades of both years where they were published,
and says plainly when they were not. A change is called "the last recorded" only when no
later one is on record: a question about a year ('2023년에', '작년에') gets that year's
change, and the changes on record after it are said separately.
"""

from __future__ import annotations

from answers.answer import Answer, Message, Source, say, tr, unique_sources
from answers.data import DataAccess
from answers.intents.results import results_by_agency
from answers.presentation.wording import agency_name, source_of
from answers.query import Intent, Lang, Query
from answers.understanding.catalog import AgencyRef
from answers.understanding.context import Context, previous_year, wanted_years
from answers.understanding.mentions import ambiguity_note, no_agency_answer, resolve_mentions
from domain.grades import GradeMove, GradeScale, grade_label, grade_move
from domain.items import ITEM_EN, ITEM_FULL_NAMES, ITEMS
from storage.views import ResultView

TITLE: Message = ("등급 변화와 그 내역", "What changed, and what is on record")
CHANGE: Message = (
    "*{name}* — {before_year}년 *{before}* → {year}년 *{after}* {arrow} ({label})",
    "*{name}* — {before_year} *{before}* → {year} *{after}* {arrow} ({label})",
)
LAST_LABEL: Message = ("기록된 마지막 {kind}", "the last recorded {kind}")
IN_YEAR_LABEL: Message = ("{year}년의 {kind}", "the {kind} of {year}")
UNTIL_LABEL: Message = (
    "{year}년까지 기록된 마지막 {kind}",
    "the last {kind} on record up to {year}",
)
EARLIER: Message = (
    "기록된 마지막 {kind}: {before_year}년 {before} → {year}년 {after} {arrow}",
    "The last recorded {kind}: {before_year} {before} → {year} {after} {arrow}",
)
EARLIER_THAN: Message = (
    "{asked}년 이전 마지막 {kind}: {before_year}년 {before} → {year}년 {after} {arrow}",
    "The last {kind} before {asked}: {before_year} {before} → {year} {after} {arrow}",
)
LATER: Message = (
    "{year}년 이후 기록된 변화: {changes}",
    "Changes on record after {year}: {changes}",
)
NO_CHANGE_UNTIL: Message = (
    "*{name}* — {year}년까지 기록된 연속 두 평가 연도 사이에 {what} 적이 없습니다 (기록: {known}).",
    "*{name}* — no {what} between two consecutive evaluation years on record up to {year} (records: {known}).",
)
NOT_IN_YEAR: Message = (
    "*{name}* — {year}년에 {not_moved} 않았습니다: {before_year}년 *{before}* → {year}년 *{after}* {arrow} ({actual}).",
    "*{name}* did not {move} in {year}: {before_year} *{before}* → {year} *{after}* {arrow} (a {actual}).",
)
NOT_LATEST: Message = (
    "*{name}* — 기록된 마지막 변화는 {actual}입니다: {before_year}년 *{before}* → {year}년 *{after}* {arrow}.",
    "*{name}* — the last recorded change was a {actual}: {before_year} *{before}* → {year} *{after}* {arrow}.",
)
UNCHANGED_IN_YEAR: Message = (
    "*{name}* — {year}년 등급은 {before_year}년과 같은 *{grade}* 등급입니다: 그해에는 바뀌지 않았습니다.",
    "*{name}* — its {year} grade was *{grade}*, the same as in {before_year}: it did not change that year.",
)
CANNOT_TELL: Message = (
    "*{name}* — {missing}년 기록이 없어 {year}년에 등급이 바뀌었는지 알 수 없습니다.",
    "*{name}* — there is no record for {missing}, so whether its grade changed in {year} cannot be told.",
)
OTHER_SCALE_IN_YEAR: Message = (
    "*{name}* — {before_year}년과 {year}년은 등급 체계가 달라 ({before} → {after}) 오르내림을 말할 수 없습니다.",
    "*{name}* — {before_year} and {year} used different grade scales ({before} → {after}), so there is no rise or drop to tell.",
)
NOT_THAT_GRADE: Message = (
    "*{name}* — {year}년 등급은 {asked} 등급이 아니라 *{got}* 등급입니다.",
    "*{name}* — its {year} grade was *{got}*, not {asked}.",
)
LATEST_ON_RECORD: Message = (
    " ({year}년이 기록된 마지막 해입니다.)",
    " ({year} is the latest year on record.)",
)
NO_CHANGE: Message = (
    "*{name}* — 기록된 연속 두 평가 연도 사이에 {what} 적이 없습니다 (기록: {known}).",
    "*{name}* — no {what} between two consecutive evaluation years on record (records: {known}).",
)
NO_RECORD: Message = (
    "*{name}* — 공개된 기록이 없습니다.",
    "*{name}* — no published record.",
)
NO_RECORD_IN: Message = (
    "*{name}* — {year}년 공개된 기록이 없어 그해의 변화는 말할 수 없습니다 (기록: {known}).",
    "*{name}* — no published record for {year}, so there is no change to tell (records: {known}).",
)
ITEMS_BOTH: Message = (
    "항목별 등급 ({before_year} → {year}):",
    "Item grades ({before_year} → {year}):",
)
ITEMS_MISSING: Message = (
    "{years}년 항목별 등급은 공개되지 않아, 어느 항목이 움직였는지는 자료로 말할 수 없습니다.",
    "Item grades were not published for {years}, so which items moved cannot be told from the record.",
)
NO_REASON: Message = (
    "등급이 바뀐 이유는 공개된 결과에 적혀 있지 않습니다. 평가는 같은 평가군 안의 상대평가라 다른 기관의 점수에도 좌우됩니다.",
    "The published results give no reason for a change. Grades are relative within the grading group, so other agencies' scores matter too.",
)
MOVES: dict[str | None, Message] = {
    "down": ("떨어진", "drop"),
    "up": ("오른", "rise"),
    None: ("바뀐", "change"),
}
KINDS: dict[str | None, Message] = {
    "down": ("하락", "drop"),
    "up": ("상승", "rise"),
    None: ("변화", "change"),
}
NOT_MOVED: dict[str, Message] = {"down": ("떨어지지", "drop"), "up": ("오르지", "rise")}


async def answer_why(query: Query, ctx: Context, data: DataAccess) -> Answer:
    agencies, asks = resolve_mentions(query, ctx)
    if not agencies:
        return no_agency_answer(query, asks)
    lang = query.lang
    by_agency = results_by_agency(await data.results_for([a.id for a in agencies], ctx.viewer))
    asked = asked_year(query, ctx)
    end = asked if asked is not None else ctx.latest
    lines: list[str] = []
    sources: list[Source] = []
    for agency in agencies:
        results = by_agency.get(agency.id, {})
        premise, pairs = _premise(agency, results, ctx, query)
        if premise is None:  # the question's premise holds, or cannot be checked
            pair = last_change(results, ctx, end, query.direction)
            line = _change_lines(agency, results, ctx, pair, query, asked)
            pairs = [pair] if pair else []
            if asked is not None:
                later, later_pairs = _later(results, ctx, asked, lang)
                line += "\n" + later if later else ""
                pairs += later_pairs
            lines.append(line)
        else:
            lines.append(premise)
        sources += [source_of(results[y], agency, lang) for pair in pairs for y in pair]
    if sources:
        lines.append(say(lang, NO_REASON))
    return Answer(
        intent=Intent.WHY,
        lang=lang,
        title=say(lang, TITLE),
        lines=tuple(lines + asks),
        notes=tuple(ambiguity_note(query, ctx)),
        sources=unique_sources(sources),
        has_data=bool(sources),
    )


def asked_year(query: Query, ctx: Context) -> int | None:
    """The year a why-question is about: named ('2023년에'), or 올해/작년 ('작년에 왜
    떨어졌어' is about the year before the latest); None when it names none."""
    if query.years:
        return max(query.years)
    if query.relative_year is not None:
        years = wanted_years(query, ctx)
        return years[-1] if years else None
    return None


def changes(results: dict[int, ResultView], ctx: Context) -> list[tuple[int, int]]:
    """Every (previous year, year) pair on record and on one scale where the grade moved,
    oldest first."""
    found = []
    for year in sorted(results):
        before = previous_year(year, ctx)
        if before is None or before not in results:
            continue
        move = _move(results[before], results[year])
        if move is not None and move.steps != 0:
            found.append((before, year))
    return found


def _later(
    results: dict[int, ResultView], ctx: Context, year: int, lang: Lang
) -> tuple[str, list[tuple[int, int]]]:
    """'2023년 이후 기록된 변화: 2023년 가 → 2024년 마 ▼4': every change on record after
    the year asked, so no answer about that year hides what came next."""
    later = [pair for pair in changes(results, ctx) if pair[1] > year]
    if not later:
        return "", []
    return say(
        lang, LATER, year=year, changes=" · ".join(_pair_text(results, p, lang) for p in later)
    ), later


def _pair_text(results: dict[int, ResultView], pair: tuple[int, int], lang: Lang) -> str:
    before, after = results[pair[0]], results[pair[1]]
    move = _move(before, after)
    return tr(
        lang,
        f"{pair[0]}년 {before.grade} → {pair[1]}년 {after.grade} {move.arrow if move else ''}",
        f"{pair[0]} {before.grade} → {pair[1]} {after.grade} {move.arrow if move else ''}",
    ).strip()


def last_change(
    results: dict[int, ResultView], ctx: Context, end: int | None, direction: str | None
) -> tuple[int, int] | None:
    """The latest (previous year, year) pair, both on record and on one scale, where the
    grade moved the asked way (any way when none was asked)."""
    for year in sorted((y for y in results if end is None or y <= end), reverse=True):
        before = previous_year(year, ctx)
        if before is None or before not in results:
            continue
        move = _move(results[before], results[year])
        if move is None or move.steps == 0:
            continue
        if direction is None or (move.steps < 0) == (direction == "down"):
            return before, year
    return None


def _premise(
    agency: AgencyRef, results: dict[int, ResultView], ctx: Context, query: Query
) -> tuple[str | None, list[tuple[int, int]]]:
    """When the question's premise is false ('why did it drop in 2024' after a rise, 'why
    라' for a 다), the lines that say so with what happened, and the year pairs they cite;
    (None, []) when it holds or the record cannot tell."""
    name, lang = agency_name(agency, query.lang), query.lang
    asked = asked_year(query, ctx)
    year = asked if asked is not None else max(results, default=None)
    if year is None or (year not in results and asked is None):
        return None, []
    result = results.get(year)
    if result is None:
        return say(lang, NO_RECORD_IN, name=name, year=year, known=_known(results)), []
    if query.grades and not any(_at(result, grade) for grade in query.grades):
        asked_grade = "·".join(query.grades)
        line = say(
            lang,
            NOT_THAT_GRADE,
            name=name,
            year=year,
            asked=asked_grade,
            got=result.grade,
        )
        if asked is None and year != ctx.latest:
            line += say(lang, LATEST_ON_RECORD, year=year)
        return line, []
    if query.direction is None:
        return None, []
    if asked is None:
        return _latest_premise(name, results, ctx, query)
    return _year_premise(name, results, year, ctx, query)


def _year_premise(
    name: str, results: dict[int, ResultView], year: int, ctx: Context, query: Query
) -> tuple[str | None, list[tuple[int, int]]]:
    """'why did it drop in 2024': the move into 2024 against the one asked."""
    lang = query.lang
    before_year = previous_year(year, ctx)
    if before_year is None or before_year not in results:
        missing = before_year if before_year is not None else year
        line = say(lang, CANNOT_TELL, name=name, missing=missing, year=year)
        return _with_context([line], [], results, ctx, year, query)
    before, after = results[before_year], results[year]
    move = _move(before, after)
    fields = {"name": name, "before_year": before_year, "year": year}
    if move is None:
        return say(lang, OTHER_SCALE_IN_YEAR, before=before.grade, after=after.grade, **fields), []
    if move.steps == 0:
        line = say(lang, UNCHANGED_IN_YEAR, grade=after.grade, **fields)
        return _with_context([line], [], results, ctx, year, query)
    if (move.steps < 0) == (query.direction == "down"):
        return None, []
    line = say(
        lang,
        NOT_IN_YEAR,
        not_moved=tr(lang, *NOT_MOVED[query.direction or "down"]),
        move=tr(lang, *NOT_MOVED[query.direction or "down"]),
        before=before.grade,
        after=after.grade,
        arrow=move.arrow,
        actual=tr(lang, *KINDS["up" if move.steps > 0 else "down"]),
        **fields,
    )
    lines, pairs = [line + "\n" + _items(before, after, lang)], [(before_year, year)]
    return _with_context(lines, pairs, results, ctx, year, query)


def _with_context(
    lines: list[str],
    pairs: list[tuple[int, int]],
    results: dict[int, ResultView],
    ctx: Context,
    year: int,
    query: Query,
) -> tuple[str, list[tuple[int, int]]]:
    """A year asked about: what came after it on record, then the last change the asked way
    before it."""
    later, later_pairs = _later(results, ctx, year, query.lang)
    if later:
        lines = [*lines, later]
    return _with_earlier(lines, [*pairs, *later_pairs], results, ctx, year, query)


def _latest_premise(
    name: str, results: dict[int, ResultView], ctx: Context, query: Query
) -> tuple[str | None, list[tuple[int, int]]]:
    """'why did it drop' with no year: the last recorded change, if it went the other way."""
    lang = query.lang
    pair = last_change(results, ctx, None, None)
    if pair is None:
        return None, []
    before, after = results[pair[0]], results[pair[1]]
    move = _move(before, after)
    if move is None or (move.steps < 0) == (query.direction == "down"):
        return None, []
    line = say(
        lang,
        NOT_LATEST,
        name=name,
        actual=tr(lang, *KINDS["up" if move.steps > 0 else "down"]),
        before_year=pair[0],
        before=before.grade,
        year=pair[1],
        after=after.grade,
        arrow=move.arrow,
    )
    lines, pairs = [line + "\n" + _items(before, after, lang)], [pair]
    return _with_earlier(lines, pairs, results, ctx, pair[1], query)


def _with_earlier(
    lines: list[str],
    pairs: list[tuple[int, int]],
    results: dict[int, ResultView],
    ctx: Context,
    year: int,
    query: Query,
) -> tuple[str, list[tuple[int, int]]]:
    """Add the last change the asked way before ``year``, when the record has one: "the
    last recorded" only when none the asked way came after ``year``."""
    earlier = last_change(results, ctx, year - 1, query.direction)
    if earlier is not None:
        before, after = results[earlier[0]], results[earlier[1]]
        move = _move(before, after)
        latest = last_change(results, ctx, None, query.direction) == earlier
        lines.append(
            say(
                query.lang,
                EARLIER if latest else EARLIER_THAN,
                asked=year,
                kind=tr(query.lang, *KINDS[query.direction]),
                before_year=earlier[0],
                before=before.grade,
                year=earlier[1],
                after=after.grade,
                arrow=move.arrow if move else "",
            )
        )
        pairs.append(earlier)
    return "\n".join(lines), pairs


def _at(result: ResultView, grade: str) -> bool:
    return grade in (result.grade, grade_label(GradeScale(result.scale), result.grade))


def _known(results: dict[int, ResultView]) -> str:
    return ", ".join(map(str, sorted(results))) or "-"


def _move(before: ResultView, after: ResultView) -> GradeMove | None:
    return grade_move(before.scale, before.grade, after.scale, after.grade)


def _label(
    results: dict[int, ResultView],
    ctx: Context,
    pair: tuple[int, int],
    asked: int | None,
    query: Query,
) -> str:
    """'기록된 마지막 하락' only when it is; '2023년의 하락' for the year asked; otherwise
    the last one up to the year asked."""
    lang = query.lang
    kind = tr(lang, *KINDS.get(query.direction, KINDS[None]))
    if asked is not None and pair[1] == asked:
        return say(lang, IN_YEAR_LABEL, year=asked, kind=kind)
    if last_change(results, ctx, None, query.direction) == pair:
        return say(lang, LAST_LABEL, kind=kind)
    return say(lang, UNTIL_LABEL, year=asked if asked is not None else pair[1], kind=kind)


def _change_lines(
    agency: AgencyRef,
    results: dict[int, ResultView],
    ctx: Context,
    pair: tuple[int, int] | None,
    query: Query,
    asked: int | None,
) -> str:
    lang = query.lang
    name = agency_name(agency, lang)
    if not results:
        return say(lang, NO_RECORD, name=name)
    if pair is None:
        known = ", ".join(map(str, sorted(results)))
        what = tr(lang, *MOVES.get(query.direction, MOVES[None]))
        if asked is not None:
            return say(lang, NO_CHANGE_UNTIL, name=name, what=what, known=known, year=asked)
        return say(lang, NO_CHANGE, name=name, what=what, known=known)
    before_year, year = pair
    before, after = results[before_year], results[year]
    move = _move(before, after)
    head = say(
        lang,
        CHANGE,
        label=_label(results, ctx, pair, asked, query),
        name=name,
        before_year=before_year,
        before=before.grade,
        year=year,
        after=after.grade,
        arrow=move.arrow if move else "",
    )
    return head + "\n" + _items(before, after, lang)


def _items(before: ResultView, after: ResultView, lang: Lang) -> str:
    """Item grades of both years side by side ('-' where a year's were not published)."""
    old, new = before.item_grades or {}, after.item_grades or {}
    missing = [r.year for r in (before, after) if not r.item_grades]
    unpublished = say(lang, ITEMS_MISSING, years=", ".join(map(str, missing)))
    if len(missing) == 2:
        return unpublished
    cells = []
    for item in ITEMS:
        if item in old or item in new:
            label = ITEM_FULL_NAMES[item] if lang is Lang.KO else ITEM_EN[item]
            cells.append(f"• {label}: {old.get(item, '-')} → {new.get(item, '-')}")
    head = say(lang, ITEMS_BOTH, before_year=before.year, year=after.year)
    return "\n".join([head, *cells, *([unpublished] if missing else [])])
