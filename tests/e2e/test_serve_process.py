"""The real `minwon-bot serve --http` process, as an operator starts it, and Socket Mode's
wiring (no network)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from fakeslack import FakeSlack
from minwon_e2e import BOT_TOKEN, free_port
from slackreq import SIGNING_SECRET, make_command, sign

from bot.app import build_app
from bot.config import Settings
from bot.server import socket_mode_handler
from storage.db import Database

CLI = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parents[2]


def _env(fake: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.base_url,
            "PYTHONPATH": str(ROOT),
        }
        | extra
    )


@pytest.fixture
async def served(fake: FakeSlack, loaded_url: str) -> AsyncIterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--http", "--host", "127.0.0.1", "--port", str(port)],
        env=_env(fake, loaded_url),
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


async def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, "serve exited early"
            try:
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve --http never became healthy")


async def test_signed_grade_command_to_serve_http_gets_ga_and_source(
    fake: FakeSlack, served: str
) -> None:
    body, headers = make_command("경남 고성군 2023", response_url=fake.response_url("proc"))
    async with aiohttp.ClientSession() as http:
        started = time.monotonic()
        async with http.post(
            f"{served}/slack/events", data=body.encode(), headers=headers | sign(body)
        ) as response:
            assert response.status == 200
        assert time.monotonic() - started < 3.0
    [call] = await fake.wait_for("response_url", timeout=10)
    text = json.dumps(call.params, ensure_ascii=False)
    assert "*가*" in text and "https://news1.kr/amp/local/busan-gyeongnam/5322897" in text


@pytest.mark.parametrize(
    ("args", "missing", "variable"),
    [
        (["serve", "--http"], "SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
        (["serve"], "SLACK_APP_TOKEN", "SLACK_APP_TOKEN"),
        (["serve", "--http"], "SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
    ],
)
async def test_missing_secret_stops_start_up_naming_it(
    fake: FakeSlack, tmp_path: Path, args: list[str], missing: str, variable: str
) -> None:
    env = _env(fake, f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", SLACK_APP_TOKEN="xapp-1-test")
    env[missing] = "xoxb-your-token-here" if missing == "SLACK_BOT_TOKEN" else ""
    result = subprocess.run(
        [*CLI, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert variable in result.stderr and "Traceback" not in result.stderr


async def test_socket_mode_handler_is_wired_to_our_app_and_api_url(
    fake: FakeSlack, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'socket.db'}"
    settings = Settings(
        _env_file=None,
        database_url=url,
        slack_bot_token=BOT_TOKEN,
        slack_app_token="xapp-1-A1-123-abc",
        slack_api_url=fake.base_url,
    )  # type: ignore[call-arg]
    db = Database(url)
    app = build_app(settings, db)
    handler = socket_mode_handler(app, "xapp-1-A1-123-abc")
    assert handler.app is app
    assert handler.client.app_token == "xapp-1-A1-123-abc"
    assert handler.client.web_client.base_url == fake.base_url
    assert fake.calls == []  # wiring only: nothing connected
    await db.dispose()
