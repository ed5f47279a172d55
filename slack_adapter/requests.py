"""Reading what Slack sends: a field deep in a payload, a question without the bot's
@-mention, the value of the button that was clicked. A malformed payload reads as empty,
never raises: after the ack, Bolt would withdraw it."""

from __future__ import annotations

import re
from typing import Any

MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def dig(data: Any, *path: str | int) -> str:
    """A text field deep in a Slack payload, or "" when any step has another shape: a
    malformed payload must never raise after the ack (Bolt would withdraw the ack)."""
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and len(data) > key else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
    return str(data) if isinstance(data, str | int | float) and not isinstance(data, bool) else ""


def question_text(text: str | None) -> str:
    """The question without the bot's @-mention."""
    return MENTION.sub(" ", text if isinstance(text, str) else "").strip()


def clicked_value(body: dict[str, Any]) -> str:
    """The value of the button (or menu) that was clicked."""
    return dig(body, "actions", 0, "value")


def is_ephemeral(body: dict[str, Any]) -> bool:
    """The click came from an ephemeral message (only the asker sees it)."""
    container = body.get("container")
    return isinstance(container, dict) and container.get("is_ephemeral") is True


def picked_option(body: dict[str, Any], block_id: str, action_id: str) -> str:
    """The value of the option chosen in a modal's select (``view.state.values``)."""
    return dig(body, "view", "state", "values", block_id, action_id, "selected_option", "value")


def picked_conversation(body: dict[str, Any], block_id: str, action_id: str) -> str:
    """The conversation chosen in a modal's conversations_select."""
    return dig(body, "view", "state", "values", block_id, action_id, "selected_conversation")


def number(text: str) -> int | None:
    """``text`` as a non-negative whole number, or None (a forged value is no number)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
