"""Slack listeners, one module per surface; one registration point."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import actions, admin, assistant, commands, events, finder, home
from handlers.deps import AdminDirectory, Claim, Deliveries, HandlerDeps

__all__ = ["AdminDirectory", "Claim", "Deliveries", "HandlerDeps", "register_handlers"]


def register_handlers(app: AsyncApp, deps: HandlerDeps) -> None:
    """Attach every listener to ``app`` (nothing registers at import time)."""
    for module in (commands, events, actions, admin, home, finder, assistant):
        module.register(app, deps)
