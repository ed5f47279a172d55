"""'2024년에 등급 떨어진 광역', '2023 등급 오른 경남 기관': a list narrowed to the agencies
whose grade moved that way from the previous evaluation year, on one scale, both years on
record. The pairs the record cannot tell (a year missing, two scales) are counted, not
guessed."""

from __future__ import annotations

from dataclasses import dataclass

from answers.answer import Message, say
from answers.data import DataAccess
from answers.query import Query
from answers.understanding.context import Context, previous_year
from domain.grades import grade_move
from storage.views import ResultView

MOVED: Message = (
    "{year}년 등급이 {before}년보다 {way} 곳: {n}곳 (두 해 모두 기록이 있는 {pairs}곳 중)",
    "Grades that went {way} in {year} from {before}: {n} (of {pairs} with a record both years)",
)
NO_PAIRS: Message = (
    "{year}년과 {before}년을 이어 볼 기록이 없습니다.",
    "No agency here has a record in both {before} and {year} to compare.",
)
OTHER_SCALE: Message = (
    "{before}년과 {year}년은 등급 체계가 달라 오르내림을 견줄 수 없습니다.",
    "{before} and {year} were graded on different scales: their grades do not compare.",
)
FIRST_YEAR: Message = (
    "{year}년은 기록된 첫 평가 연도라 전년과 비교할 수 없습니다.",
    "{year} is the first evaluation year on record: there is no previous year to compare.",
)
WAYS: dict[str, Message] = {"down": ("내려간", "down"), "up": ("오른", "up")}


@dataclass(frozen=True)
class Moved:
    """The results that moved the asked way, the line saying how many, and each move."""

    results: list[ResultView]
    lines: list[str]
    arrows: dict[tuple[int, int], str]  # (agency id, year) -> '다 → 라 ▼1'


async def moved(
    query: Query, ctx: Context, data: DataAccess, matching: list[ResultView], years: list[int]
) -> Moved:
    """Keep of ``matching`` the results whose grade moved ``query.direction`` since the
    previous evaluation year."""
    lang, kept, lines, arrows = query.lang, [], [], {}
    for year in years:
        before = previous_year(year, ctx)
        if before is None:
            lines.append(say(lang, FIRST_YEAR, year=year))
            continue
        earlier = {r.agency_id: r for r in await data.results_in([before], ctx.viewer)}
        pairs, other_scale = 0, False
        for result in (r for r in matching if r.year == year):
            old = earlier.get(result.agency_id)
            if old is None:
                continue
            move = grade_move(old.scale, old.grade, result.scale, result.grade)
            other_scale |= old.scale != result.scale
            if move is None:
                continue
            pairs += 1
            if (move.steps < 0) if query.direction == "down" else (move.steps > 0):
                kept.append(result)
                arrows[(result.agency_id, year)] = f"{old.grade} → {result.grade} {move.arrow}"
        way = say(lang, WAYS[query.direction or "down"])
        count = sum(1 for r in kept if r.year == year)
        fields = {"year": year, "before": before, "way": way, "n": count, "pairs": pairs}
        message = MOVED if pairs else OTHER_SCALE if other_scale else NO_PAIRS
        lines.append(say(lang, message, **fields))
    return Moved(kept, lines, arrows)
