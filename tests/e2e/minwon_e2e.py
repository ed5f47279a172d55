"""What end-to-end tests share: the bot's token, free loopback ports, and a handle on a
running bot (its URL, the fake Slack, its database, an HTTP client). Socket Mode's
counterpart is in socket_kit.py."""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from fakeslack import FakeSlack
from slackreq import parse_body, sign
from tcpproxy import TcpProxy

from storage.db import Database

BOT_TOKEN = "xoxb-1-minwon-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningBot:
    url: str
    fake: FakeSlack
    db: Database
    http: aiohttp.ClientSession

    async def post(
        self, body: str, headers: dict[str, str], *, signed: bool = True, **sign_args: object
    ) -> aiohttp.ClientResponse:
        all_headers = dict(headers) | (sign(body, **sign_args) if signed else {})  # type: ignore[arg-type]
        if (data := parse_body(body, headers)) is not None:
            self.fake.note_delivered(data)  # Slack issues its trigger_id as it sends it
        response = await self.http.post(
            f"{self.url}/slack/events", data=body.encode(), headers=all_headers
        )
        await response.read()
        return response


async def cut_database(bot: RunningBot, proxy: TcpProxy | None, sqlite_path: Path | None) -> None:
    """The bot's database away: PostgreSQL's proxy cut, or the SQLite file moved aside."""
    if proxy:
        await proxy.cut()
    else:
        assert sqlite_path is not None
        shutil.move(sqlite_path, sqlite_path.with_suffix(".away"))
        sqlite_path.mkdir()  # a directory where the file was: SQLite cannot open it
    await bot.db.engine.dispose()  # pooled connections would outlive the file


async def restore_database(proxy: TcpProxy | None, sqlite_path: Path | None) -> None:
    if proxy:
        await proxy.restore()
    else:
        assert sqlite_path is not None
        sqlite_path.rmdir()
        shutil.move(sqlite_path.with_suffix(".away"), sqlite_path)
