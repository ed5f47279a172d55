"""'구독 경남', 'subscribe 고성군', '구독 목록', '구독 취소 경남': this channel's alerts, and
the agency card's *follow* button.

Anyone in a channel manages that channel's subscriptions; admins may name another
channel (`구독 <#C123> 경남`, or a channel they are not in from the card), and that is
written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from answers.answer import Answer, Message, say, tr
from answers.query import Intent, Lang, Query
from answers.understanding.context import Context
from answers.understanding.mentions import resolve_mentions
from domain.text import particle
from storage.db import Database
from storage.models import TargetKind
from storage.repositories import AuditRepository
from storage.subscriptions import SubscriptionRepository

SEVERAL: Message = (
    "'{text}'{eun} 여러 기관입니다. 하나를 지역과 함께 적어 주세요: {places}",
    "'{text}' names several agencies; add the region: {places}",
)
IN_A_CHANNEL: Message = (
    "구독은 Slack 채널에서 관리합니다: 채널에서 `/grade {example}`처럼 보내 주세요.",
    "Subscriptions belong to Slack channels: send `/grade {example}` in a channel.",
)
# The command for each action, as a channel would send it (what the asker named follows).
COMMANDS: dict[str, Message] = {
    "add": ("구독 {what}", "subscribe {what}"),
    "remove": ("구독 취소 {what}", "unsubscribe {what}"),
    "list": ("구독 목록", "subscriptions"),
}
# what a request that named nothing ('결과 나오면 알려줘') asks to follow: everything
EVERYTHING: Message = ("전체", "all")
ADMINS_ONLY: Message = (
    "다른 채널의 구독은 관리자만 바꿀 수 있습니다.",
    "Only admins can manage another channel's subscriptions.",
)
WHAT_TO_FOLLOW: Message = (
    "무엇을 구독할지 적어 주세요: `구독 경남`, `구독 고성군(경남)`, `구독 중앙행정기관`, `구독 전체`, `구독 목록`, `구독 취소 경남`.",
    "Say what to follow: `subscribe 경남`, `subscribe 김해시`, `subscribe central`, `subscribe all`, `subscriptions`, `unsubscribe 경남`.",
)
SUBSCRIBED: Message = ("구독했습니다", "subscribed")
ALREADY_SUBSCRIBED: Message = ("이미 구독 중입니다", "already subscribed")
UNSUBSCRIBED: Message = ("구독을 취소했습니다", "unsubscribed")
NOT_SUBSCRIBED: Message = ("구독하고 있지 않았습니다", "was not subscribed")
LIST_TITLE: Message = ("구독 목록", "Subscriptions")
FOLLOWS_NOTHING: Message = (
    "<#{channel}> 채널은 아무것도 구독하고 있지 않습니다. 예: `구독 경남`",
    "<#{channel}> follows nothing yet. Try `subscribe 경남`.",
)


NOT_A_MEMBER: Message = (
    "<#{channel}> 채널의 구독은 그 채널 멤버나 관리자만 바꿀 수 있습니다.",
    "Only members of <#{channel}> (or admins) can change what it follows.",
)
MEMBERS_UNKNOWN: Message = (
    "<#{channel}> 채널의 멤버를 확인할 수 없습니다. 봇을 채널에 초대한 뒤(`/invite @minwon-bot`) 다시 눌러 주세요.",
    "I cannot see who is in <#{channel}>. Invite me there (`/invite @minwon-bot`) and try again.",
)
BOT_NOT_IN: Message = (
    "봇이 <#{channel}> 채널에 없어 알림을 올릴 수 없습니다. `/invite @minwon-bot`으로 초대해 주세요.",
    "I am not in <#{channel}>, so alerts cannot be posted there. Invite me with `/invite @minwon-bot`.",
)
NO_SUCH_AGENCY: Message = ("그 기관을 찾지 못했습니다.", "That agency could not be found.")


@dataclass(frozen=True)
class Membership:
    """Who is in a channel, as Slack said: the person asking and the bot (None: Slack
    would not say)."""

    user: bool | None
    bot: bool | None = None


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    target: str
    label: str


def targets_of(query: Query, ctx: Context) -> tuple[list[Target], list[str]]:
    """What the question names, as subscription targets; ambiguous names come back as asks."""
    found: list[Target] = []
    asks: list[str] = []
    if query.everything:
        found.append(Target(TargetKind.ALL, "*", tr(query.lang, "전체", "everything")))
    for mention in query.agencies:
        if len(mention.candidates) > 1:
            places = ", ".join(ctx.catalog.agencies[i].label() for i in mention.candidates[:8])
            asks.append(
                say(
                    query.lang,
                    SEVERAL,
                    text=mention.text,
                    places=places,
                    eun=particle(mention.text, "은/는"),
                )
            )
            continue
        agencies, more = resolve_mentions(
            Query(intent=query.intent, lang=query.lang, text=query.text, agencies=(mention,)), ctx
        )
        asks += more
        found += [Target(TargetKind.AGENCY, str(a.id), a.label()) for a in agencies]
    if not query.agencies:  # next to a name, a region only says which one ('고성군(강원)')
        found += [Target(TargetKind.REGION, region, region) for region in query.regions]
    found += [Target(TargetKind.GROUP, group, group) for group in query.groups]
    return found, asks


def _command(query: Query, ctx: Context) -> str:
    """The command that does what was asked, with what the asker named ('구독 취소 전남',
    'subscribe 경기'), so the reply never suggests following something else."""
    targets, _ = targets_of(query, ctx)
    named = [t.label for t in targets] or [m.text for m in query.agencies]
    what = " ".join(named) or say(query.lang, EVERYTHING)
    action = query.subscription if query.subscription in COMMANDS else "add"
    return say(query.lang, COMMANDS[action], what=what)


def describe(kind: str, target: str, ctx: Context) -> str:
    if kind == TargetKind.AGENCY and target.isdigit() and int(target) in ctx.catalog.agencies:
        return ctx.catalog.agencies[int(target)].label()
    return "전체" if kind == TargetKind.ALL else target


async def answer_subscribe(query: Query, ctx: Context, db: Database) -> Answer:
    lang = query.lang
    channel = query.channel_ref or ctx.viewer.channel_id
    title = tr(lang, "구독", "Subscriptions")
    if not channel:
        return _reply(query, title, say(lang, IN_A_CHANNEL, example=_command(query, ctx)))
    other = query.channel_ref is not None and query.channel_ref != ctx.viewer.channel_id
    if other and not ctx.viewer.is_admin:
        return _reply(query, title, say(lang, ADMINS_ONLY))
    if query.subscription == "list":
        return await _list(query, ctx, db, channel)
    targets, asks = targets_of(query, ctx)
    if not targets and asks:
        return _reply(query, title, *asks)
    if not targets:
        hint = say(lang, WHAT_TO_FOLLOW)
        return _reply(query, title, hint)
    return await _change(query, ctx, db, channel, targets, asks, audit=other)


async def _change(
    query: Query,
    ctx: Context,
    db: Database,
    channel: str,
    targets: list[Target],
    asks: list[str],
    *,
    audit: bool,
) -> Answer:
    lang, remove = query.lang, query.subscription == "remove"
    lines = []
    async with db.unit_of_work() as session:
        repo = SubscriptionRepository(session)
        for target in targets:
            if remove:
                changed = await repo.remove(channel, kind=target.kind, target=target.target)
                outcome = UNSUBSCRIBED if changed else NOT_SUBSCRIBED
                lines.append(f"• {target.label}: " + say(lang, outcome))
            else:
                changed = await repo.add(
                    channel, kind=target.kind, target=target.target, created_by=ctx.viewer.user_id
                )
                outcome = SUBSCRIBED if changed else ALREADY_SUBSCRIBED
                lines.append(f"• {target.label}: " + say(lang, outcome))
            if audit and changed:
                await AuditRepository(session).add(
                    actor=f"slack:{ctx.viewer.user_id}",
                    action="subscription_" + ("removed" if remove else "added"),
                    detail={"channel": channel, "kind": target.kind, "target": target.target},
                )
    footer = tr(
        lang,
        f"<#{channel}> 채널에 결과가 공개되면 등급 변동을 알려 드립니다.",
        f"<#{channel}> will hear about grade changes when results are published.",
    )
    return _reply(
        query,
        tr(lang, "구독 변경", "Subscriptions updated"),
        *lines,
        *asks,
        "" if remove else footer,
    )


async def _list(query: Query, ctx: Context, db: Database, channel: str) -> Answer:
    async with db.unit_of_work() as session:
        rows = await SubscriptionRepository(session).list_for_channels([channel])
    lang = query.lang
    if not rows:
        return _reply(query, say(lang, LIST_TITLE), say(lang, FOLLOWS_NOTHING, channel=channel))
    items = [f"• {describe(r.target_kind, r.target, ctx)}" for r in rows]
    return _reply(
        query,
        tr(lang, "구독 목록", "Subscriptions"),
        tr(lang, f"<#{channel}> 채널의 구독:", f"<#{channel}> follows:"),
        *items,
    )


def _reply(query: Query, title: str, *lines: str) -> Answer:
    return Answer(
        intent=Intent.SUBSCRIBE,
        lang=query.lang,
        title=title,
        lines=tuple(line for line in lines if line),
    )


async def follow_agency(
    agency_id: int, channel: str, members: Membership, ctx: Context, db: Database
) -> Answer:
    """The card's *follow* button: ``channel`` follows the agency, by the rule typed
    subscriptions keep: a member of that channel, or an admin (audited when not a member)."""
    lang = Lang.KO
    query = Query(intent=Intent.SUBSCRIBE, lang=lang, text="", subscription="add")
    title = tr(lang, "구독", "Subscriptions")
    agency = ctx.catalog.agencies.get(agency_id)
    if agency is None:
        return _reply(query, title, say(lang, NO_SUCH_AGENCY))
    if not members.user and not ctx.viewer.is_admin:
        refusal = NOT_A_MEMBER if members.user is False else MEMBERS_UNKNOWN
        return _reply(query, title, say(lang, refusal, channel=channel))
    target = Target(TargetKind.AGENCY, str(agency.id), agency.label())
    absent = [say(lang, BOT_NOT_IN, channel=channel)] if members.bot is False else []
    return await _change(query, ctx, db, channel, [target], absent, audit=not members.user)
