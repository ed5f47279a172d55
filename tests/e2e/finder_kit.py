"""What the finder's end-to-end tests share: interactions sent over HTTP with their acks
read and handed to the fake (as Slack would apply them), clicks on the views the fake holds,
and readers for the blocks of a view."""

from __future__ import annotations

import copy
import json
from typing import Any

from fakeslack import FakeSlack
from minwon_e2e import RunningBot
from slackreq import interaction, new_trigger_id, payload

JsonDict = dict[str, Any]
ANALYST = "U0ANALYST"
GRADES = "C0GRADES"  # the channel of the recorded slash command


def texts(value: object) -> str:
    """Every string in a view or payload, joined (what a reader of it would see)."""
    if isinstance(value, dict):
        return " ".join(texts(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(texts(v) for v in value)
    return value if isinstance(value, str) else ""


async def send(bot: RunningBot, data: JsonDict) -> JsonDict:
    """An interaction over HTTP (signed); its ack, which must be one Slack would take, is
    applied to the fake's views as Slack would (an update replaces the modal)."""
    response = await bot.post(*interaction(data))
    assert response.status == 200, response.status
    raw = await response.text()
    ack = json.loads(raw) if raw.strip() else None
    problems = bot.fake.receive_ack(data, ack)
    assert problems == [], problems
    return ack or {}


def only_view(fake: FakeSlack, user: str = ANALYST) -> JsonDict:
    """The one modal the user has open (its current state)."""
    [opened] = [c for c in fake.calls_to("views.open") if c.ok]
    view = fake.view(opened.response["view"]["id"])  # type: ignore[index]
    assert view is not None
    return view


def agency_options(view: JsonDict) -> JsonDict:
    """The finder form's agency picker."""
    [block] = [b for b in view["blocks"] if b.get("block_id") == "agency"]
    return dict(block["element"])


def year_options(view: JsonDict) -> list[str]:
    blocks = [b for b in view["blocks"] if b.get("block_id") == "year"]
    return [o["value"] for o in blocks[0]["element"]["options"]] if blocks else []


def picked(agency: str, text: str = "", year: str | None = None) -> JsonDict:
    """``view.state.values`` of a submitted finder form."""
    option = {"text": {"type": "plain_text", "text": text or agency}, "value": agency}
    values: JsonDict = {
        "agency": {"agency_pick": {"type": "external_select", "selected_option": option}}
    }
    if year:
        chosen = {"text": {"type": "plain_text", "text": f"{year}년"}, "value": year}
        values["year"] = {"year_pick": {"type": "static_select", "selected_option": chosen}}
    return values


def click(
    view: JsonDict,
    action_id: str,
    *,
    user: str = ANALYST,
    channel: str | None = None,
    value: str = "",
) -> JsonDict:
    """A click on a button of ``view`` (a modal or the home tab as the fake holds it), the
    card's channel picker set to ``channel``."""
    data = payload("block_actions_home" if view["type"] == "home" else "block_actions_modal")
    data["user"]["id"] = user
    data["trigger_id"] = new_trigger_id()
    shown = copy.deepcopy(view)
    if channel is not None:
        pick = {"type": "conversations_select", "selected_conversation": channel}
        shown["state"] = {"values": {"card_channel": {"card_channel_pick": pick}}}
    data["view"] = shown
    data["container"]["view_id"] = shown["id"]
    block = next(
        b
        for b in view["blocks"]
        if any(e.get("action_id") == action_id for e in b.get("elements", []))
    )
    button = next(e for e in block["elements"] if e.get("action_id") == action_id)
    data["actions"] = [
        {
            "type": "button",
            "action_id": action_id,
            "block_id": block.get("block_id", "b"),
            "text": button.get("text"),
            "value": value or button.get("value", ""),
            "action_ts": "1700000010.000100",
        }
    ]
    return data


def blocks_of(view: JsonDict, kind: str) -> list[JsonDict]:
    return [b for b in view["blocks"] if b.get("type") == kind]
