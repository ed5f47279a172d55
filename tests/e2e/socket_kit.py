"""The real bot over Socket Mode, against the fake Slack.

``run_socket_bot(fake, database_url)`` builds the app as ``minwon-bot serve`` does
(``bot.app.build_runtime``, ``bot.server.socket_mode_handler``: slack_bolt's
AsyncSocketModeHandler on slack_sdk's aiohttp client), connects it to the fake through
``apps.connections.open`` with an app-level token, and yields a :class:`SocketBot`::

    async with run_socket_bot(fake, loaded_url) as bot:
        ack = await bot.command("경남 고성군 2023", key="c1")      # the envelope's ack
        [answer] = await bot.fake.wait_for("response_url")       # what the bot did after

The e2e ``socket_bot`` fixture (conftest.py) is this, on the bundled data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fakeslack import FakeSlack
from minwon_e2e import BOT_TOKEN
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slackreq import command_payload, event_payload, new_trigger_id

from bot.app import build_runtime
from bot.config import Settings
from bot.server import socket_mode_handler
from storage.db import Database

APP_TOKEN = "xapp-1-A0MINWON-1-minwontest"
JsonDict = dict[str, Any]


@dataclass
class SocketBot:
    """A bot connected over Socket Mode: push envelopes with the fake, read its acks."""

    fake: FakeSlack
    db: Database
    handler: AsyncSocketModeHandler

    async def send(self, type: str, payload: JsonDict, **options: Any) -> JsonDict:
        """One envelope; returns the ack (see ``FakeSlack.socket_send`` for ``options``)."""
        return await self.fake.socket_send(type, payload, **options)

    async def command(self, text: str, *, key: str = "command", **overrides: str) -> JsonDict:
        """``/grade text`` answered at ``fake.response_url(key)``; a fresh trigger_id."""
        fields = {"trigger_id": new_trigger_id()} | overrides
        data = command_payload(text, response_url=self.fake.response_url(key), **fields)
        return await self.send("slash_commands", data)

    async def event(self, name: str, **event_overrides: Any) -> JsonDict:
        """A recorded event (``app_mention``, ``message_im``, ``app_home_opened``, …)."""
        return await self.send("events_api", event_payload(name, **event_overrides))

    async def interact(self, payload: JsonDict, **options: Any) -> JsonDict:
        """An interaction (shortcut, block_actions, block_suggestion, view_submission)."""
        return await self.send("interactive", payload, **options)


def socket_settings(fake: FakeSlack, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "slack_bot_token": BOT_TOKEN,
        "slack_app_token": APP_TOKEN,
        "slack_api_url": fake.base_url,
        "admin_user_ids": "UADMIN",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@asynccontextmanager
async def run_socket_bot(
    fake: FakeSlack, database_url: str, **settings: Any
) -> AsyncIterator[SocketBot]:
    """The bot app connected to ``fake`` over Socket Mode until the block ends."""
    fake.app_token = APP_TOKEN
    db = Database(database_url)
    runtime = build_runtime(socket_settings(fake, database_url, **settings), db)
    handler = socket_mode_handler(runtime.app, APP_TOKEN)
    try:
        await handler.connect_async()
        await fake.wait_socket()
        yield SocketBot(fake, db, handler)
    finally:
        await handler.close_async()
        await runtime.close()
        await db.dispose()
