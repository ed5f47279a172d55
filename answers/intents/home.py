"""The App Home tab as a dashboard: the latest published year and its announcement, the
agencies the user's channels follow with their latest grade and change, what the bot knows
in a line, the finder's button, and for admins the drafts waiting to be published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from answers.answer import Action, Answer
from answers.data import DataAccess
from answers.intents.help import EXAMPLES_KO
from answers.intents.results import results_by_agency
from answers.query import Intent, Lang
from answers.understanding.context import Context, YearInfo, previous_year
from domain.grades import grade_move
from storage.models import YearStatus
from storage.views import ResultView

OPEN_FINDER = "open_finder"  # the button that opens the finder
PUBLISH_DRAFT = "home_publish_year"  # an admin's Publish button on the home tab
MAX_FOLLOWED = 60  # agencies listed; the rest are counted
TITLE = "민원서비스 종합평가 봇"


@dataclass(frozen=True)
class Follow:
    """One subscription of one of the user's channels: an agency, or (``agency_id`` None)
    a region, a group or everything, as ``label`` says."""

    channel: str
    agency_id: int | None
    label: str


async def answer_home(follows: Sequence[Follow], ctx: Context, data: DataAccess) -> Answer:
    """The dashboard for ``ctx.viewer``: drafts and their Publish buttons only for admins."""
    drafts = [y for y in ctx.years if y.status == YearStatus.DRAFT] if ctx.viewer.is_admin else []
    results = await data.results_in([y.year for y in ctx.years], ctx.viewer)
    lines = [
        _latest_line(ctx),
        _coverage_line(ctx.years, results),
        *_draft_lines(drafts),
        *_followed_lines(follows, ctx, results_by_agency(results)),
        "`/grade`, @minwon-bot 멘션이나 DM으로도 물어볼 수 있어요:",
        *(f"• {example}" for example in EXAMPLES_KO[:3]),
    ]
    actions = [Action(OPEN_FINDER, "기관 등급 찾기", "finder", style="primary")]
    actions += [_publish_button(draft) for draft in drafts]
    return Answer(
        intent=Intent.HELP,
        lang=Lang.KO,
        title=TITLE,
        lines=tuple(line for line in lines if line),
        has_data=ctx.latest is not None,
        actions=tuple(actions),
    )


def _latest_line(ctx: Context) -> str:
    latest = ctx.year(ctx.latest) if ctx.latest else None
    if latest is None:
        return "아직 공개된 결과가 없습니다."
    when = f" · 발표 {latest.announced}" if latest.announced else ""
    size = f" · 평가 대상 {latest.evaluated}개 기관" if latest.evaluated else ""
    return f"*최근 공개: {latest.year}년 평가*{when}{size}"


def _coverage_line(years: Sequence[YearInfo], results: Sequence[ResultView]) -> str:
    """What the bot knows, in a line: the years, agencies and results on record."""
    if not results:
        return "*아는 것*: 아직 기록된 결과가 없습니다."
    span = sorted({r.year for r in results})
    agencies = len({r.agency_id for r in results})
    return (
        f"*아는 것*: {span[0]}–{span[-1]}년 {len(span)}개 연도 · 기관 {agencies:,}곳의 결과 "
        f"{len(results):,}건 (공개 자료에서 확인된 것만; 평가 연도 {len(years)}개)"
    )


def _draft_lines(drafts: Sequence[YearInfo]) -> list[str]:
    if not drafts:
        return []
    years = ", ".join(f"{d.year}년" for d in drafts)
    return [f"*공개 대기 초안*: {years} (관리자만 볼 수 있음). 공개하면 구독 채널에 알림이 갑니다."]


def _publish_button(draft: YearInfo) -> Action:
    return Action(
        PUBLISH_DRAFT,
        f"{draft.year}년 공개",
        str(draft.year),
        style="primary",
        confirm=f"{draft.year}년 결과를 공개하고 구독 채널에 알림을 보낼까요?",
    )


def _followed_lines(
    follows: Sequence[Follow], ctx: Context, results: dict[int, dict[int, ResultView]]
) -> list[str]:
    if not follows:
        return [
            "내 채널이 구독하는 기관이 없습니다. 채널에서 `/grade 구독 경남`처럼 보내거나, "
            "기관 카드의 *구독* 버튼을 누르면 결과 공개 때 등급 변동을 알려 드립니다."
        ]
    channels: dict[tuple[int | None, str], list[str]] = {}
    for follow in follows:
        channels.setdefault((follow.agency_id, follow.label), []).append(f"<#{follow.channel}>")
    lines = ["*내 채널이 구독하는 기관*"]
    for (agency_id, label), where in list(channels.items())[:MAX_FOLLOWED]:
        state = _latest_state(results.get(agency_id, {}), ctx) if agency_id else "(지역·평가군)"
        lines.append(f"• *{label}* — {state} · {', '.join(where)}")
    if len(channels) > MAX_FOLLOWED:
        lines.append(f"외 {len(channels) - MAX_FOLLOWED}건")
    return lines


def _latest_state(results: dict[int, ResultView], ctx: Context) -> str:
    """'2025년 *나* ▼1', '2025년 *가* 첫 기록', '2023년 *다* (2024년 기록 없음)', '기록 없음'."""
    if not results:
        return "기록 없음"
    year = max(results)
    result = results[year]
    info = ctx.year(year)
    draft = " (초안)" if info and info.status == YearStatus.DRAFT else ""
    missing = f" · {ctx.latest}년 기록 없음" if ctx.latest and year < ctx.latest else ""
    return f"{year}년 *{result.grade}*{draft} " + _change(results, year, ctx) + missing


def _change(results: dict[int, ResultView], year: int, ctx: Context) -> str:
    result = results[year]
    before = previous_year(year, ctx)
    if before is None or not any(y < year for y in results):
        return "첫 기록"
    if before not in results:
        return f"({before}년 기록 없음: 변화 모름)"
    move = grade_move(results[before].scale, results[before].grade, result.scale, result.grade)
    if move is None:
        return f"({before}년과 등급 체계가 달라 비교 불가)"
    return move.arrow if move.steps else "변동 없음"
