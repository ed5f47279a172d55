"""Pictures reach people: a history chart lands in the mention's thread after the text
answer, the results summary carries the distribution chart, and `ask --chart` writes a PNG."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
from announce_kit import make_draft
from fakeslack import FakeSlack
from minwon_e2e import RunningBot
from slack_sdk.web.async_client import AsyncWebClient
from slackreq import make_event

from bot.announcer import Announcer
from storage.db import Database
from storage.publishing import publish_year

ROOT = Path(__file__).resolve().parents[2]


def _decodes(png: bytes) -> tuple[int, int]:
    image = mpimg.imread(io.BytesIO(png), format="png")
    assert image.std() > 0.01, "not blank"
    return image.shape[1], image.shape[0]


async def test_history_chart_lands_in_the_mentions_thread_after_the_text(bot: RunningBot) -> None:
    body, headers = make_event("app_mention", text="<@UBOT> 김포시 추이", ts="1700000009.000900")
    await bot.post(body, headers)
    [done] = await bot.fake.wait_for("files.completeUploadExternal", timeout=20)
    assert (
        done.params["channel_id"] == "C0GRADES" and done.params["thread_ts"] == "1700000009.000900"
    )
    [text] = bot.fake.calls_to("chat.postMessage")
    assert text.at <= done.at, "the text answer comes first"
    [upload] = bot.fake.calls_to("upload_url")
    file_id = bot.fake.calls_to("files.getUploadURLExternal")[0].response["file_id"]  # type: ignore[index]
    width, height = _decodes(bot.fake.files[file_id])
    assert (width, height) == (1200, 700) and upload.status == 200


async def test_a_grade_answer_has_no_chart(bot: RunningBot) -> None:
    body, headers = make_event("app_mention", text="<@UBOT> 경남 고성군 2023")
    await bot.post(body, headers)
    await bot.fake.wait_for("chat.postMessage")
    assert bot.fake.calls_to("files.getUploadURLExternal") == []


async def test_results_summary_carries_the_distribution_chart(loaded_db: Database) -> None:
    async with FakeSlack() as fake:
        await make_draft(loaded_db, 2024)
        await publish_year(loaded_db, 2024, actor="test", announce_channel="CANN")
        client = AsyncWebClient(token="xoxb-test", base_url=fake.base_url)
        await Announcer(loaded_db, client, interval=0).drain()
        [summary] = fake.accepted_posts()
        [done] = await fake.wait_for("files.completeUploadExternal", timeout=20)
        assert (
            done.params["channel_id"] == "CANN"
            and done.params["thread_ts"] == summary.response["ts"]
        )  # type: ignore[index]
        _decodes(next(iter(fake.files.values())))


def test_ask_with_chart_writes_a_readable_png(tmp_path: Path, bundled_sqlite: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(bundled_sqlite.read_bytes())
    out = tmp_path / "out.png"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "김포시 추이", "--chart", str(out)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "김포시" in result.stdout
    assert _decodes(out.read_bytes()) == (1200, 700)
