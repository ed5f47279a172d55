"""Slack's requests to the app, built from the recorded payloads in tests/payloads/.

Two kinds of builders: ``*_payload(...)`` returns the payload as a dict (what a Socket Mode
envelope carries: ``await fake.socket_send("interactive", shortcut_payload(...))``), and
``make_*(...)`` returns ``(body, headers)`` for HTTP, encoded as Slack encodes it (slash
commands form-encoded, events JSON, interactions as a form field ``payload``), to be signed
by the caller (``RunningBot.post``).

The recorded payloads: ``slash_command``, ``app_mention``, ``message_im``, ``app_home_opened``,
``block_actions_share`` (a button in a message), ``block_actions_modal`` and
``block_actions_home`` (a button in a modal / the App Home tab: ``container.type`` view),
``shortcut_global``, ``block_suggestion`` (an external_select's typeahead),
``view_submission``, ``assistant_thread_started``, ``assistant_thread_context_changed`` and
``message_im_assistant`` (a user's message in an assistant thread).

The new interactions (shortcut, block_suggestion's view, view_submission, assistant) get a
fresh trigger_id per call unless one is given, as every click does in Slack; the older
builders keep the recorded one (the bot claims slash commands by trigger_id).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import secrets
import time
import urllib.parse
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"
SIGNING_SECRET = "test-signing-secret-0123456789"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}
_trigger_numbers = itertools.count(1)


def new_trigger_id() -> str:
    """A trigger_id in Slack's format ("132456.7890123.abcdef"), unique in this process."""
    serial = f"{int(time.time())}{next(_trigger_numbers):04d}"
    return f"{serial}.{secrets.randbelow(10**9)}.{secrets.token_hex(16)}"


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: float | None = None
) -> dict[str, str]:
    ts = str(int(time.time() if timestamp is None else timestamp))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def parse_body(body: str, headers: dict[str, str]) -> dict[str, Any] | None:
    """The payload inside an HTTP request built here (``None`` when it holds none)."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    try:
        if content_type.startswith("application/json"):
            data = json.loads(body)
        else:
            form = dict(urllib.parse.parse_qsl(body))
            data = json.loads(form["payload"]) if "payload" in form else form
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def command_payload(
    text: str, *, response_url: str, command: str = "/grade", **overrides: str
) -> dict[str, str]:
    """A slash command's fields (all strings, as Slack sends them)."""
    return (
        payload("slash_command")
        | {"text": text, "response_url": response_url, "command": command}
        | overrides
    )


def make_command(
    text: str, *, response_url: str, command: str = "/grade", **overrides: str
) -> tuple[str, dict[str, str]]:
    data = command_payload(text, response_url=response_url, command=command, **overrides)
    return urllib.parse.urlencode(data), dict(FORM)


def event_payload(name: str, **event_overrides: Any) -> dict[str, Any]:
    data = payload(name)
    data["event"].update(event_overrides)
    return data


def make_event(name: str, **event_overrides: Any) -> tuple[str, dict[str, str]]:
    return json.dumps(event_payload(name, **event_overrides), ensure_ascii=False), dict(JSON)


def interaction(data: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """An interaction payload as Slack POSTs it: a form with one field, ``payload``."""
    return urllib.parse.urlencode({"payload": json.dumps(data, ensure_ascii=False)}), dict(FORM)


def _as_user(data: dict[str, Any], user: str | None) -> dict[str, Any]:
    if user:
        data["user"]["id"] = user
    return data


def action_payload(
    name: str,
    *,
    response_url: str | None = None,
    user: str | None = None,
    trigger_id: str | None = None,
    **action_overrides: Any,
) -> dict[str, Any]:
    """A block_actions payload: ``block_actions_share`` (a message's button; give its
    ``response_url``), ``block_actions_modal`` or ``block_actions_home`` (``container``
    type view, no response_url)."""
    data = _as_user(payload(name), user)
    if response_url is not None:
        data["response_url"] = response_url
    if trigger_id is not None:
        data["trigger_id"] = trigger_id
    data["actions"][0].update(action_overrides)
    return data


def make_action(
    name: str,
    *,
    response_url: str | None = None,
    user: str | None = None,
    trigger_id: str | None = None,
    **action_overrides: Any,
) -> tuple[str, dict[str, str]]:
    return interaction(
        action_payload(
            name, response_url=response_url, user=user, trigger_id=trigger_id, **action_overrides
        )
    )


def shortcut_payload(
    callback_id: str = "browse_results", *, trigger_id: str | None = None, user: str | None = None
) -> dict[str, Any]:
    """A global shortcut (type ``shortcut``): no channel, a trigger_id to open a modal with."""
    data = _as_user(payload("shortcut_global"), user)
    data["callback_id"] = callback_id
    data["trigger_id"] = trigger_id or new_trigger_id()
    return data


def make_shortcut(
    callback_id: str = "browse_results", *, trigger_id: str | None = None, user: str | None = None
) -> tuple[str, dict[str, str]]:
    return interaction(shortcut_payload(callback_id, trigger_id=trigger_id, user=user))


def _with_view(data: dict[str, Any], view: dict[str, Any] | None) -> dict[str, Any]:
    """Put the app's ``view`` (as Slack answered views.open: with its id) in the payload."""
    if view is not None:
        data["view"] = copy.deepcopy(view)
        if "container" in data:
            data["container"]["view_id"] = view.get("id", data["container"].get("view_id"))
    return data


def suggestion_payload(
    value: str,
    *,
    action_id: str | None = None,
    block_id: str | None = None,
    view: dict[str, Any] | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """What an external_select sends while the user types ``value`` (block_suggestion)."""
    data = _with_view(_as_user(payload("block_suggestion"), user), view)
    data["value"] = value
    data["action_id"] = action_id or data["action_id"]
    data["block_id"] = block_id or data["block_id"]
    return data


def make_block_suggestion(
    value: str,
    *,
    action_id: str | None = None,
    block_id: str | None = None,
    view: dict[str, Any] | None = None,
    user: str | None = None,
) -> tuple[str, dict[str, str]]:
    return interaction(
        suggestion_payload(value, action_id=action_id, block_id=block_id, view=view, user=user)
    )


def submission_payload(
    values: dict[str, Any] | None = None,
    *,
    callback_id: str | None = None,
    private_metadata: str | None = None,
    view: dict[str, Any] | None = None,
    user: str | None = None,
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """A view_submission. ``values`` is ``view.state.values`` as Slack shapes it:
    ``{block_id: {action_id: {"type": ..., "value" | "selected_option": ...}}}``."""
    data = _with_view(_as_user(payload("view_submission"), user), view)
    submitted = data["view"]
    if values is not None:
        submitted["state"] = {"values": values}
    if callback_id is not None:
        submitted["callback_id"] = callback_id
    if private_metadata is not None:
        submitted["private_metadata"] = private_metadata
    data["trigger_id"] = trigger_id or new_trigger_id()
    return data


def make_view_submission(
    values: dict[str, Any] | None = None,
    *,
    callback_id: str | None = None,
    private_metadata: str | None = None,
    view: dict[str, Any] | None = None,
    user: str | None = None,
    trigger_id: str | None = None,
) -> tuple[str, dict[str, str]]:
    return interaction(
        submission_payload(
            values,
            callback_id=callback_id,
            private_metadata=private_metadata,
            view=view,
            user=user,
            trigger_id=trigger_id,
        )
    )


def assistant_payload(
    kind: str = "started",
    *,
    context_channel: str | None = None,
    channel: str | None = None,
    thread_ts: str | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """An ``assistant_thread_started`` (kind ``"started"``) or
    ``assistant_thread_context_changed`` (``"context_changed"``) event: the assistant pane
    opened in the DM ``channel``, next to the channel ``context_channel``."""
    data = payload(f"assistant_thread_{kind}")
    thread = data["event"]["assistant_thread"]
    if context_channel is not None:
        thread["context"]["channel_id"] = context_channel
    thread["channel_id"] = channel or thread["channel_id"]
    thread["thread_ts"] = thread_ts or thread["thread_ts"]
    thread["user_id"] = user or thread["user_id"]
    return data


def make_assistant_event(
    kind: str = "started",
    *,
    context_channel: str | None = None,
    channel: str | None = None,
    thread_ts: str | None = None,
    user: str | None = None,
) -> tuple[str, dict[str, str]]:
    data = assistant_payload(
        kind, context_channel=context_channel, channel=channel, thread_ts=thread_ts, user=user
    )
    return json.dumps(data, ensure_ascii=False), dict(JSON)


def assistant_message_payload(text: str, **event_overrides: Any) -> dict[str, Any]:
    """A user's message in an assistant thread (message.im with ``thread_ts``)."""
    return event_payload("message_im_assistant", text=text, **event_overrides)


def make_assistant_message(text: str, **event_overrides: Any) -> tuple[str, dict[str, str]]:
    data = assistant_message_payload(text, **event_overrides)
    return json.dumps(data, ensure_ascii=False), dict(JSON)
