"""What end-to-end tests share: the bot's token, free loopback ports, and a handle on a
running bot (its URL, the fake Slack, its database, an HTTP client). Socket Mode's
counterpart is in socket_kit.py."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import aiohttp
from fakeslack import FakeSlack
from slackreq import parse_body, sign

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
