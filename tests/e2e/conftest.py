"""A running app on a loopback port, speaking to a local fake of Slack's Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from fakeslack import FakeSlack
from minwon_e2e import BOT_TOKEN, RunningBot, free_port
from slackreq import SIGNING_SECRET
from socket_kit import SocketBot, run_socket_bot
from sqlalchemy.engine import make_url
from tcpproxy import TcpProxy

from bot.app import build_app
from bot.config import Settings
from bot.server import make_web_app
from storage.db import Database


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server


@pytest.fixture
async def proxied_url(loaded_url: str, backend: str) -> AsyncIterator[tuple[str, TcpProxy | None]]:
    """PostgreSQL goes through a proxy the test can cut; SQLite is used directly."""
    if backend != "postgres":
        yield loaded_url, None
        return
    url = make_url(loaded_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
    await proxy.cut()


@pytest.fixture
async def bot(
    fake: FakeSlack, proxied_url: tuple[str, TcpProxy | None]
) -> AsyncIterator[RunningBot]:
    url, _ = proxied_url
    settings = Settings(
        _env_file=None,
        database_url=url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.base_url,
        admin_user_ids="UADMIN",
    )  # type: ignore[call-arg]
    db = Database(url)
    runner = web.AppRunner(make_web_app(build_app(settings, db), db))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    async with aiohttp.ClientSession() as http:
        yield RunningBot(f"http://127.0.0.1:{port}", fake, db, http)
    await runner.cleanup()
    await db.dispose()


@pytest.fixture
async def socket_bot(fake: FakeSlack, loaded_url: str) -> AsyncIterator[SocketBot]:
    """The bot connected to the fake over Socket Mode, on the bundled data."""
    async with run_socket_bot(fake, loaded_url) as connected:
        yield connected


@pytest.fixture
def sqlite_path(proxied_url: tuple[str, TcpProxy | None]) -> Path | None:
    url = make_url(proxied_url[0])
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
