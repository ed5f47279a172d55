"""Views Slack shows outside messages: the App Home tab (and the finder's modals)."""

from __future__ import annotations

from typing import Any

from answers.answer import Answer
from slack_adapter.blocks import to_blocks

MAX_VIEW_BLOCKS = 100


def home_view(answer: Answer) -> dict[str, Any]:
    """The App Home tab, from the same Answer value."""
    return {"type": "home", "blocks": to_blocks(answer)[:MAX_VIEW_BLOCKS]}
