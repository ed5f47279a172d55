"""The day results come out, on a running bot: `구독 경남` in a channel, a new year's file
ingested and published by an admin in Slack, and each 경남 agency's change posted there
exactly once, the summary in the announce channel, and nothing else."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from announce_kit import all_sent, outbox
from fakeslack import FakeSlack
from minwon_e2e import BOT_TOKEN, RunningBot, free_port
from slackreq import SIGNING_SECRET, make_action, make_command, make_event

from bot.app import build_runtime
from bot.config import Settings
from bot.server import make_web_app
from storage.db import Database
from storage.ingest import ingest_file

HEADER = "year,agency,region,agency_type,group,grade,score,group_avg,item_grades,source_url,note\n"
# A fixture year (not real results): 경남 고성군 falls (2025: 나), 김해시 has no 2025 record
# (first record), 수원시 is outside 경남.
NEW_YEAR = [
    "2026,고성군,경남,기초자치단체,기초-군,다,,,,https://example.org/2026/goseong,",
    "2026,김해시,경남,기초자치단체,기초-시,가,,,,https://example.org/2026/gimhae,",
    "2026,수원시,경기,기초자치단체,기초-시,마,,,,https://example.org/2026/suwon,",
]


@pytest.fixture
async def live(fake: FakeSlack, loaded_url: str) -> AsyncIterator[RunningBot]:
    settings = Settings(
        _env_file=None,
        database_url=loaded_url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.base_url,
        admin_user_ids="UADMIN",
        announce_channel="CANN",
    )  # type: ignore[call-arg]
    db = Database(loaded_url)
    runtime = build_runtime(settings, db)
    stop = asyncio.Event()
    delivering = asyncio.create_task(runtime.announcer.run_forever(stop, poll=0.5))
    runner = web.AppRunner(make_web_app(runtime.app, db))
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    async with aiohttp.ClientSession() as http:
        yield RunningBot(f"http://127.0.0.1:{port}", fake, db, http)
    stop.set()
    await delivering
    await runner.cleanup()
    await db.dispose()


async def test_subscribe_ingest_publish_posts_each_change_once(
    live: RunningBot, tmp_path: Path
) -> None:
    fake = live.fake
    body, headers = make_command("구독 경남", response_url=fake.response_url("sub"))
    await live.post(body, headers)
    [subscribed] = await fake.wait_for("response_url")
    assert "구독했습니다" in json.dumps(subscribed.params, ensure_ascii=False)

    sheet = tmp_path / "2026.csv"
    sheet.write_text(HEADER + "\n".join(NEW_YEAR) + "\n", encoding="utf-8")
    report = await ingest_file(live.db, sheet, actor="operator")
    assert report.new_years == [2026]
    assert await outbox(live.db) == [], "a draft queues nothing to announce"
    assert fake.calls_to("chat.postMessage") == [], "a draft announces nothing"

    body, headers = make_action(
        "block_actions_share",
        response_url=fake.response_url("pub"),
        action_id="publish_year",
        value="2026",
        user="UADMIN",
    )
    await live.post(body, headers)
    await fake.wait_for("chat.postMessage", count=3, timeout=20)
    queued = [row.dedupe_key for row in await outbox(live.db)]
    assert await all_sent(live.db, queued, timeout=10), "every row settles"
    await fake.sentinel(live.post)  # nothing more is on its way
    posts = fake.accepted_posts()
    channel_posts = [
        json.dumps(p.params, ensure_ascii=False) for p in posts if p.params["channel"] == "C0GRADES"
    ]
    summary = [p for p in posts if p.params["channel"] == "CANN"]
    assert len(channel_posts) == 2 and len(summary) == 1 and len(posts) == 3
    assert any("경남 고성군" in text and "2025년 나 → 다 ▼1" in text for text in channel_posts)
    assert any("경남 김해시" in text and "첫 기록" in text for text in channel_posts)
    assert not any("수원시" in text for text in channel_posts)


async def click_publish_on_a_draft(
    live: RunningBot, tmp_path: Path, value: str, user: str | None = None
) -> str:
    """A 2026 draft loaded, then its Publish button clicked with ``value``: the reply."""
    sheet = tmp_path / "2026.csv"
    sheet.write_text(HEADER + NEW_YEAR[0] + "\n", encoding="utf-8")
    await ingest_file(live.db, sheet, actor="operator")
    body, headers = make_action(
        "block_actions_share",
        response_url=live.fake.response_url("pub"),
        user=user,
        action_id="publish_year",
        value=value,
    )
    assert (await live.post(body, headers)).status == 200
    [reply] = await live.fake.wait_for("response_url")
    return json.dumps(reply.params, ensure_ascii=False)


async def answer_about_2026(live: RunningBot) -> str:
    answer = await live.post(
        *make_command("2026 고성군", response_url=live.fake.response_url("ask"))
    )
    assert answer.status == 200
    [seen] = await live.fake.wait_for("response_url", where=lambda c: c.params.get("key") == "ask")
    return json.dumps(seen.params, ensure_ascii=False)


async def test_non_admin_cannot_publish_from_slack(live: RunningBot, tmp_path: Path) -> None:
    assert "관리자만" in await click_publish_on_a_draft(live, tmp_path, "2026")
    assert "2026년 *다*" not in await answer_about_2026(live), "drafts stay hidden"


@pytest.mark.parametrize("value", ["²", "２０２６", "-1"])
async def test_a_forged_year_on_the_publish_button_publishes_nothing(
    live: RunningBot, tmp_path: Path, value: str
) -> None:
    assert "2026" not in await click_publish_on_a_draft(live, tmp_path, value, user="UADMIN")
    assert "2026년 *다*" not in await answer_about_2026(live), "still a draft"


async def test_admin_shares_a_file_in_a_dm_previews_and_confirms(live: RunningBot) -> None:
    fake = live.fake
    content = (HEADER + "\n".join(NEW_YEAR) + "\n").encode()
    shared = fake.add_shared_file(content, file_id="F2026", name="2026.csv", filetype="csv")
    body, headers = make_event(
        "message_im", user="UADMIN", text="", subtype="file_share", files=[shared]
    )
    await live.post(body, headers)
    [preview] = await fake.wait_for("chat.postMessage")
    text = json.dumps(preview.params, ensure_ascii=False)
    assert "미리보기" in text and "새 결과 3" in text and "confirm_ingest" in text
    body, headers = make_action(
        "block_actions_share",
        response_url=fake.response_url("confirm"),
        action_id="confirm_ingest",
        value="F2026",
        user="UADMIN",
    )
    await live.post(body, headers)
    [loaded] = await fake.wait_for("response_url")
    loaded_text = json.dumps(loaded.params, ensure_ascii=False)
    assert "불러옴" in loaded_text and "publish_year" in loaded_text


async def test_non_admin_sharing_a_file_is_politely_refused(live: RunningBot) -> None:
    shared = live.fake.add_shared_file(b"year\n2026\n", file_id="F1", name="x.csv")
    body, headers = make_event("message_im", text="", subtype="file_share", files=[shared])
    await live.post(body, headers)
    [reply] = await live.fake.wait_for("chat.postMessage")
    assert "관리자만" in json.dumps(reply.params, ensure_ascii=False)
    assert live.fake.calls_to("files.info") == []
