"""The assistant pane (Slack's AI-app split view): the greeting when a thread starts, the
suggested prompts shaped by the channel the user is viewing, the status line while an
answer is looked up, and the thread's title. Words and choices only: which prompts are
kept is decided by answering them (``Answerer.opening``), so every prompt shown is one the
bot answers with data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from answers.answer import Answer, Message, say
from answers.query import Intent, Lang
from answers.understanding.catalog import Catalog
from answers.understanding.parse import guess_lang, parse
from storage.models import Subscription, TargetKind

MAX_PROMPTS = 4  # Slack shows at most four suggested prompts
MIN_PROMPTS = 3
TITLE_CHARS = 60

GREETING_TITLE: Message = ("무엇을 찾아 드릴까요?", "What shall I look up?")
GREETING_LINE: Message = (
    "민원서비스 종합평가 결과를 알려 드립니다. 기관, 지역, 연도를 섞어 자유롭게 물어보세요.",
    "I answer questions about Korea's civil service evaluation (민원서비스 종합평가).",
)
FOLLOWS_LINE: Message = (
    "<#{channel}> 채널이 구독 중: {labels}. 아래 추천 질문은 이 채널에 맞췄어요.",
    "<#{channel}> follows {labels}; the suggestions below are about them.",
)
ABOUT_LINE: Message = (
    "<#{channel}> 채널 이름에 맞춰 {labels}에 대한 질문을 추천해 드려요.",
    "Suggestions for {labels}, after <#{channel}>'s name.",
)
PROMPTS_TITLE: Message = ("이렇게 물어보세요", "Try asking")
STATUS: Message = ("답변을 찾는 중…", "is looking up the answer…")


@dataclass(frozen=True)
class Prompt:
    """A suggested prompt: ``title`` is shown, ``message`` is sent when it is clicked."""

    title: str
    message: str


@dataclass(frozen=True)
class Focus:
    """What a channel is about, as names a question can carry: agencies (labels that name
    one agency), regions, grading groups, or everything. ``followed``: from the channel's
    subscriptions (otherwise read off its name)."""

    agencies: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    everything: bool = False
    followed: bool = True

    @property
    def labels(self) -> tuple[str, ...]:
        return (
            *self.agencies,
            *self.regions,
            *self.groups,
            *(("전체",) if self.everything else ()),
        )


@dataclass(frozen=True)
class Opening:
    """What the pane shows when a thread starts: a greeting and the suggested prompts."""

    greeting: Answer
    prompts: tuple[Prompt, ...]
    prompts_title: str


def followed_focus(rows: Iterable[Subscription], catalog: Catalog) -> Focus:
    """What a channel's subscriptions name (an agency by its label, which names it alone)."""
    agencies, regions, groups, everything = [], [], [], False
    for row in rows:
        if row.target_kind == TargetKind.AGENCY and row.target.isdigit():
            agency = catalog.agencies.get(int(row.target))
            agencies += [agency.label()] if agency else []
        elif row.target_kind == TargetKind.REGION:
            regions.append(row.target)
        elif row.target_kind == TargetKind.GROUP:
            groups.append(row.target)
        elif row.target_kind == TargetKind.ALL:
            everything = True
    return Focus(tuple(agencies), tuple(regions), tuple(groups), everything)


def named_focus(channel_name: str, catalog: Catalog) -> Focus:
    """What a channel's name names ('경남-민원' → 경남, 'gimhae-team' → 김해시): agencies
    that the name fits alone, and regions."""
    query = parse(channel_name.replace("-", " ").replace("_", " "), catalog)
    if query.intent in (Intent.UNKNOWN, Intent.OUT_OF_SCOPE, Intent.GREETING):
        return Focus(followed=False)
    agencies = tuple(
        catalog.agencies[m.candidates[0]].label()
        for m in query.agencies
        if len(m.candidates) == 1 and not m.fuzzy
    )
    return Focus(agencies=agencies, regions=query.regions, followed=False)


def candidate_prompts(focus: Focus, latest: int | None) -> list[Prompt]:
    """The prompts worth trying, the channel's first: one per thing it follows, then a
    second per thing, then general ones. Duplicates dropped; none is answered here."""
    year = f"{latest} " if latest else ""
    shown = f"{latest}년 " if latest else ""
    firsts: list[Prompt] = [
        *(Prompt(f"{a} {shown}등급", f"{a} {year}등급") for a in focus.agencies),
        *(Prompt(f"{shown}{r} 가 등급", f"{year}{r} 가 등급") for r in focus.regions),
        *(Prompt(f"{shown}{g} 가 등급", f"{year}{g} 가 등급") for g in focus.groups),
    ]
    seconds: list[Prompt] = [
        *(Prompt(f"{a} 등급 추이", f"{a} 등급 추이") for a in focus.agencies),
        *(Prompt(f"{r} {shown}전체".strip(), f"{r} {year}".strip()) for r in focus.regions),
    ]
    if len(focus.agencies) >= 2:
        first, other = focus.agencies[:2]
        seconds.insert(0, Prompt(f"{first} vs {other}", f"{first} vs {other} {year}".strip()))
    if focus.everything:
        firsts.append(Prompt(f"{shown}전국 가 등급", f"{year}전국 가등급"))
    general = [
        Prompt(f"경남 고성군 {shown}등급", f"경남 고성군 {year}등급"),
        Prompt("김해시 등급 추이", "김해시 등급 추이"),
        Prompt(f"{shown}중앙행정기관 가 등급", f"{year}중앙행정기관 가 등급"),
        Prompt("데이터 현황", "데이터 현황"),
    ]
    return _unique([*firsts, *seconds, *general])


def opening(
    channel_id: str | None, focus: Focus, prompts: Sequence[Prompt], lang: Lang = Lang.KO
) -> Opening:
    """The greeting (naming what the viewed channel follows, or what its name is about)
    and the prompts kept."""
    lines = [say(lang, GREETING_LINE)]
    labels = ", ".join(focus.labels)
    if channel_id and labels:
        lines.append(
            say(
                lang,
                FOLLOWS_LINE if focus.followed else ABOUT_LINE,
                channel=channel_id,
                labels=labels,
            )
        )
    greeting = Answer(
        intent=Intent.HELP, lang=lang, title=say(lang, GREETING_TITLE), lines=tuple(lines)
    )
    return Opening(greeting, tuple(prompts[:MAX_PROMPTS]), say(lang, PROMPTS_TITLE))


def status_line(question: str) -> str:
    """What the pane shows while the answer is looked up (Slack writes the app's name
    before it: 'minwon-bot 답변을 찾는 중…')."""
    return say(guess_lang(question), STATUS)


def thread_title(answer: Answer) -> str | None:
    """A short title for the thread from its first answered question: the answer's own
    title ('경남 고성군 · 등급 추이': the agency and what was asked); None when the answer
    holds no data (a greeting, a question not understood)."""
    if not answer.has_data or not answer.title.strip():
        return None
    title = answer.title.strip()
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def _unique(prompts: Iterable[Prompt]) -> list[Prompt]:
    seen: dict[str, Prompt] = {}
    for prompt in prompts:
        seen.setdefault(" ".join(prompt.message.split()), prompt)
    return list(seen.values())
