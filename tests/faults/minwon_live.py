"""The real app on a loopback port for the fuzz and fault tests: ``build_runtime`` and
``make_web_app`` as ``minwon-bot serve --http`` wires them, the announcer task running,
speaking to the local fake of Slack's Web API (``tests/fakeslack.py``).

Imported by tests/faults/ and (with this folder put on ``sys.path``) tests/fuzz/.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import inspect
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from announce_kit import agency_id, keys_posted, make_draft, outbox, subscribe  # noqa: F401  (re-exported)
from fakeslack import Call, FakeSlack
from slackreq import SIGNING_SECRET

from bot.app import Runtime, build_runtime
from bot.config import Settings
from bot.server import make_web_app
from storage.db import Database
from storage.models import (
    AnnouncementKind,
)

BOT_TOKEN = "xoxb-1-minwon-faults"
ADMIN = "UADMIN"
ANNOUNCE_CHANNEL = "CANNOUNCE"
# What a user must never see, whatever went wrong.
LEAK_MARKERS = ("Traceback", 'File "', "Error:", "Exception", "sqlalchemy", "asyncpg")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sign_bytes(
    raw: bytes, *, secret: str = SIGNING_SECRET, timestamp: float | None = None
) -> dict[str, str]:
    """Slack's v0 signature over the raw body bytes (``slackreq.sign`` takes text)."""
    ts = str(int(time.time() if timestamp is None else timestamp))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + raw, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def texts(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False)


def leak_markers(text: str) -> list[str]:
    """The traceback-like markers in text shown to a user (should be none)."""
    return [marker for marker in LEAK_MARKERS if marker in text]


def leaks(call: Call) -> list[str]:
    """The traceback-like markers a message the fake received carries."""
    return leak_markers(texts({k: v for k, v in call.params.items() if k != "token"}))


@dataclass
class LiveBot:
    url: str
    fake: FakeSlack
    db: Database
    runtime: Runtime
    http: aiohttp.ClientSession
    delivering: asyncio.Task[None] | None = None  # the announcer, as `serve` runs it
    acks: list[float] = field(default_factory=list)

    async def post(
        self,
        body: str | bytes,
        headers: dict[str, str],
        *,
        signed: bool = True,
        timeout: float = 10.0,
        **sign_args: Any,
    ) -> tuple[int, bytes]:
        """POST /slack/events; returns (status, body). Signs ``body`` unless told not to."""
        raw = body.encode() if isinstance(body, str) else body
        signature = sign_bytes(raw, **sign_args) if signed else {}
        started = time.monotonic()
        async with self.http.post(
            f"{self.url}/slack/events",
            data=raw,
            headers=dict(headers) | signature,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            content = await response.read()
        self.acks.append(time.monotonic() - started)
        return response.status, content


@contextlib.asynccontextmanager
async def live_bot(
    database_url: str,
    fake: FakeSlack,
    *,
    announcer: bool = True,
    poll: float = 0.5,
    announce_channel: str | None = ANNOUNCE_CHANNEL,
) -> AsyncIterator[LiveBot]:
    """The app serving on 127.0.0.1 (a free port), with the announcer running unless told
    otherwise; everything is stopped and disposed of on exit."""
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.base_url,
        admin_user_ids=ADMIN,
        announce_channel=announce_channel,
    )  # type: ignore[call-arg]
    db = Database(database_url)
    runtime = build_runtime(settings, db)
    stop = asyncio.Event()
    delivering = (
        asyncio.create_task(runtime.announcer.run_forever(stop, poll=poll)) if announcer else None
    )
    runner = web.AppRunner(make_web_app(runtime.app, db), access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with aiohttp.ClientSession() as http:
            yield LiveBot(f"http://127.0.0.1:{port}", fake, db, runtime, http, delivering)
    finally:
        stop.set()
        if delivering is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(delivering, 15)
        await runner.cleanup()
        await runtime.close()
        await db.dispose()


# --------------------------------------------------------------------------- announcements


async def alert_keys(db: Database) -> list[str]:
    """The dedupe keys of every queued alert and summary (admin reports aside)."""
    return [r.dedupe_key for r in await outbox(db) if r.kind != AnnouncementKind.ADMIN_REPORT]


async def wait_until(
    predicate: Callable[[], bool | Awaitable[bool]], *, timeout: float, every: float = 0.1
) -> bool:
    """Poll ``predicate`` (plain or async) until it holds, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result or time.monotonic() >= deadline:
            return bool(result)
        await asyncio.sleep(every)
