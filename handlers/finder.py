"""The finder: a modal with a typeahead agency picker, opened by `/grade` alone, the global
shortcut and App Home's button; submitting it shows the agency card in the same modal,
whose buttons share the card to a channel (once) and make a channel follow the agency.

Every step fits Slack's 3 s: the modal opens at once with a light view and is filled in by
``views.update``; the picker's options come from memory; a card that is not ready within
the submission's ack budget arrives by ``views.update`` too. What a modal needs travels in
its ``private_metadata`` (:class:`CardState`), so any instance can take the next click.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.answer import Answer
from answers.intents.card import share_notice
from answers.intents.home import OPEN_FINDER
from answers.understanding.context import Viewer
from handlers.delivery import claim, finish
from handlers.deps import Claim, HandlerDeps, bind
from slack_adapter.blocks import shared_message
from slack_adapter.channels import membership
from slack_adapter.posting import post_once
from slack_adapter.requests import dig, number, picked_conversation, picked_option
from slack_adapter.uploads import upload_chart, upload_chart_for
from slack_adapter.views import (
    AGENCY_ACTION,
    AGENCY_BLOCK,
    CARD_CALLBACK,
    CHANNEL_ACTION,
    CHANNEL_BLOCK,
    FINDER_CALLBACK,
    FINDER_SHORTCUT,
    FOLLOW_CARD,
    SHARE_CARD,
    YEAR_ACTION,
    YEAR_BLOCK,
    CardState,
    View,
    card_loading_view,
    card_view,
    finder_loading_view,
    finder_view,
    options,
)

log = logging.getLogger(__name__)
ACK_BUDGET = 2.0  # seconds a submission waits for its card before acking with a light view
CARD_EVENT = "minwon_shared_card"  # message metadata of a shared card, carrying its key
PICK_AN_AGENCY = "기관을 목록에서 골라 주세요."


async def open_finder(
    deps: HandlerDeps, client: AsyncWebClient, *, trigger_id: str, user: str, channel: str = ""
) -> None:
    """Open the finder for ``user``: a light view at once (the trigger_id lives 3 s), then
    the form, whose year list needs the database and whether the user is an admin."""
    state = CardState(channel=channel)
    try:
        opened = await client.views_open(trigger_id=trigger_id, view=finder_loading_view(state))
    except SlackApiError as exc:
        log.warning("views.open for %s failed: %s", user, exc.response.get("error"))
        return
    viewer = await deps.admins.viewer(client, user, channel or None)
    years = await deps.answerer.year_choices(viewer)
    shown = opened.get("view") or {}
    await _update(client, str(shown.get("id") or ""), finder_view(years, state), shown.get("hash"))


async def on_open_finder(
    deps: HandlerDeps, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    """The global shortcut and App Home's button: both carry a trigger_id and the user."""
    await ack()
    await open_finder(
        deps, client, trigger_id=dig(body, "trigger_id"), user=dig(body, "user", "id")
    )


async def on_agency_options(deps: HandlerDeps, ack: AsyncAck, payload: dict[str, Any]) -> None:
    """The picker's typeahead: its ack carries the options (from memory, never an error)."""
    choices = await deps.answerer.suggest(dig(payload, "value"))
    await ack(options=options(choices))


async def on_finder_submit(
    deps: HandlerDeps, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    """The form submitted: the card replaces it (``response_action: update``)."""
    agency = number(picked_option(body, AGENCY_BLOCK, AGENCY_ACTION))
    if agency is None:
        await ack(response_action="errors", errors={AGENCY_BLOCK: PICK_AN_AGENCY})
        return
    year = number(picked_option(body, YEAR_BLOCK, YEAR_ACTION))
    state = CardState(channel=_state(body).channel, agency=agency, year=year)
    user, view_id = dig(body, "user", "id"), dig(body, "view", "id")
    computing = asyncio.ensure_future(_card_for(deps, client, state, user))
    done, _ = await asyncio.wait({computing}, timeout=ACK_BUDGET)
    if done:
        card = computing.result()
        await ack(response_action="update", view=card_view(card, state))
    else:  # a cold start: the card follows by views.update
        await ack(response_action="update", view=card_loading_view(state))
        card = await computing
        await _update(client, view_id, card_view(card, state))
    await _show_chart(client, view_id, card, state, user)


async def on_card_back(
    deps: HandlerDeps, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    """The card's submit button ("다른 기관 찾기"): the form again, in the same modal."""
    state = CardState(channel=_state(body).channel)
    viewer = await deps.admins.viewer(client, dig(body, "user", "id"))
    years = await deps.answerer.year_choices(viewer)
    await ack(response_action="update", view=finder_view(years, state))


async def on_card_channel(ack: AsyncAck) -> None:
    """A channel picked on the card: kept in the view's state until a button is clicked."""
    await ack()


async def on_share_card(
    deps: HandlerDeps, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
) -> None:
    """Post the card in the chosen channel, once per (modal, channel, card): a double
    click, a retry or a lost response never posts it twice."""
    await ack()
    state, user = _state(body), dig(body, "user", "id")
    channel = picked_conversation(body, CHANNEL_BLOCK, CHANNEL_ACTION)
    if not channel or state.agency is None:
        await _refresh(deps, client, body, state, share_notice("no_channel", channel))
        return
    key = f"card:{dig(body, 'view', 'id')}:{channel}:{state.agency}:{state.year or ''}"
    key += f":{state.tries}" if state.tries else ""
    outcome = await _share(deps, client, key, channel, state, user)
    if outcome == "refused":  # nothing was posted: the next click is a new share
        state = replace(state, tries=state.tries + 1)
    await _refresh(deps, client, body, state, share_notice(outcome, channel))


async def on_follow_card(
    deps: HandlerDeps,
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """The chosen channel follows the card's agency: its members may, and admins."""
    await ack()
    state, user = _state(body), dig(body, "user", "id")
    channel = picked_conversation(body, CHANNEL_BLOCK, CHANNEL_ACTION)
    if not channel or state.agency is None:
        await _refresh(deps, client, body, state, share_notice("no_channel", channel))
        return
    members = await membership(client, channel, user, context.bot_user_id or "")
    viewer = await deps.admins.viewer(client, user, channel)
    followed = await deps.answerer.follow(state.agency, channel, members, viewer)
    await _refresh(deps, client, body, state, followed)


def register(app: AsyncApp, deps: HandlerDeps) -> None:
    app.shortcut(FINDER_SHORTCUT)(bind(on_open_finder, deps))
    app.action(OPEN_FINDER)(bind(on_open_finder, deps))
    app.options(AGENCY_ACTION)(bind(on_agency_options, deps))
    app.view(FINDER_CALLBACK)(bind(on_finder_submit, deps))
    app.view(CARD_CALLBACK)(bind(on_card_back, deps))
    app.action(CHANNEL_ACTION)(on_card_channel)
    app.action(SHARE_CARD)(bind(on_share_card, deps))
    app.action(FOLLOW_CARD)(bind(on_follow_card, deps))


def _state(body: dict[str, Any]) -> CardState:
    return CardState.load(dig(body, "view", "private_metadata"))


async def _card_for(
    deps: HandlerDeps, client: AsyncWebClient, state: CardState, user: str
) -> Answer:
    """The card as ``user`` may see it (admins: drafts too)."""
    assert state.agency is not None
    viewer = await deps.admins.viewer(client, user, state.channel or None)
    async with deps.answer_slots:
        return await deps.answerer.card_safely(state.agency, state.year, viewer)


async def _share(
    deps: HandlerDeps,
    client: AsyncWebClient,
    key: str,
    channel: str,
    state: CardState,
    user: str,
) -> str:
    """Post the card once under ``key``; the outcome names the notice to show."""
    claimed = await claim(deps, key)
    if not claimed:
        return "already"
    assert state.agency is not None
    # A shared card is for everyone in the channel: never with draft years.
    card = await deps.answerer.card_safely(state.agency, state.year, Viewer(user_id=user))
    try:
        ts = await post_once(
            client,
            channel=channel,
            key=key,
            event_type=CARD_EVENT,
            look_first=claimed is Claim.RETAKEN,
            **shared_message(card, user=user),
        )
    except SlackApiError as exc:  # a clear "no": nothing was posted
        log.info("sharing a card to %s failed: %s", channel, exc.response.get("error"))
        return "refused"
    if ts is None:
        return "unsure"
    await finish(deps, key)
    await upload_chart(client, card, channel=channel, thread_ts=ts)
    return "shared"


async def _refresh(
    deps: HandlerDeps,
    client: AsyncWebClient,
    body: dict[str, Any],
    state: CardState,
    status: Answer,
) -> None:
    """The card again, with what the last click did above its buttons."""
    if state.agency is None:
        return
    card = await _card_for(deps, client, state, dig(body, "user", "id"))
    await _update(client, dig(body, "view", "id"), card_view(card, state, status=status))


async def _show_chart(
    client: AsyncWebClient, view_id: str, card: Answer, state: CardState, user: str
) -> None:
    """After the card: its chart, uploaded to the user's DM with the bot (a modal shows
    only a file shared somewhere), in the card's image block, or as a link to it."""
    uploaded = await upload_chart_for(client, card, user=user)
    if uploaded is None:
        return
    with_chart = replace(state, chart=str(uploaded["id"]))
    if not await _update(client, view_id, card_view(card, with_chart)):
        link = str(uploaded.get("permalink") or "")
        await _update(client, view_id, card_view(card, state, chart_link=link))


async def _update(
    client: AsyncWebClient, view_id: str, view: View, view_hash: str | None = None
) -> bool:
    """``views.update`` (with the shown view's hash when given: a view the user has moved
    on from is left alone); False when Slack refused."""
    if not view_id:
        return False
    try:
        await client.views_update(view_id=view_id, hash=view_hash, view=view)
    except SlackApiError as exc:
        log.warning("views.update of %s failed: %s", view_id, exc.response.get("error"))
        return False
    return True
