"""The listeners one by one, without an app: a recorded payload in, the calls to Slack out.
The database is real (the bundled data); only Slack's side is faked."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_bolt.util.utils import get_arg_names_of_callable
from slackfakes import FakeAck, FakeClient, FakeRespond, say_for
from slackreq import payload
from sqlalchemy import update

from answers.intents.help import answer_unavailable
from answers.operations.admin import PUBLISH_YEAR, AdminOps, not_admin
from answers.service import Answerer
from bot.app import claim_or_answer_anyway, finish_if_reachable
from handlers.commands import on_command
from handlers.deps import AdminDirectory, Claim, HandlerDeps, bind
from handlers.events import on_mention, on_message
from slack_adapter.blocks import SHARE_ACTION, fallback_text
from storage.db import Database
from storage.deliveries import DeliveryClaims, claim_delivery
from storage.models import ProcessedDelivery

DEAD_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:1/minwon_gone"
ASKER = "U0ANALYST"


class Ledger:
    """The deps' claim/finish as bot/app.py builds them, recording the keys they saw."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = DeliveryClaims(db)
        self.claimed: list[str] = []
        self.finished: list[str] = []

    async def claim(self, key: str, *, retake_stale: bool = True) -> Claim:
        self.claimed.append(key)
        return await claim_or_answer_anyway(self.claims, key, retake_stale=retake_stale)

    async def finish(self, key: str) -> None:
        self.finished.append(key)
        await finish_if_reachable(self.db, key)


def make_deps(db: Database, ledger: Ledger, *, admins: frozenset[str] = frozenset()) -> HandlerDeps:
    return HandlerDeps(
        answerer=Answerer(db),
        admins=AdminDirectory(admins),
        slash_command="/grade",
        deliveries=ledger,
        admin_ops=AdminOps(db),
    )


@pytest.fixture
def ledger(loaded_db: Database) -> Ledger:
    return Ledger(loaded_db)


@pytest.fixture
def deps(loaded_db: Database, ledger: Ledger) -> HandlerDeps:
    return make_deps(loaded_db, ledger)


@pytest.fixture
async def dead_db() -> AsyncIterator[Database]:
    database = Database(DEAD_DATABASE)
    yield database
    await database.dispose()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element.get("action_id", "")
        for block in blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]


async def _mention(
    deps: HandlerDeps, client: FakeClient, *, event_id: str = "Ev0MENTION1", **event: Any
) -> dict[str, Any]:
    body = payload("app_mention") | {"event_id": event_id}
    body["event"].update(event)
    await on_mention(deps, body, body["event"], client)
    return body


async def _dm(deps: HandlerDeps, client: FakeClient, text: str, user: str = ASKER) -> None:
    body = payload("message_im")
    body["event"].update(text=text, user=user)
    await on_message(deps, body, body["event"], say_for(client, body["event"]), client)


async def test_slash_command_answers_ephemerally_with_a_share_button(
    deps: HandlerDeps, ledger: Ledger
) -> None:
    body, ack, respond, client = payload("slash_command"), FakeAck(), FakeRespond(), FakeClient()
    await on_command(deps, ack, body, respond, client)
    assert ack.count == 1
    [reply] = respond.messages
    assert reply["response_type"] == "ephemeral"
    assert "고성군" in reply["text"] and "고성군" in _json(reply["blocks"])
    assert SHARE_ACTION in _action_ids(reply["blocks"])
    assert client.sent("chat.postMessage") == [] and client.sent("files.upload_v2") == []
    assert ledger.claimed == [f"command:{body['trigger_id']}"]
    assert ledger.finished == []  # one write per command: the claim alone


async def test_mention_is_answered_in_its_thread_with_the_chart(
    deps: HandlerDeps, ledger: Ledger
) -> None:
    client = FakeClient()
    body = await _mention(deps, client)
    [posted] = client.sent("chat.postMessage")
    assert posted["channel"] == "C0GRADES" and posted["thread_ts"] == body["event"]["ts"]
    assert "김해시" in posted["text"] and "UBOT" not in posted["text"]
    [upload] = client.sent("files.upload_v2")
    assert upload["channel"] == "C0GRADES" and upload["thread_ts"] == body["event"]["ts"]
    assert upload["file"][:8] == b"\x89PNG\r\n\x1a\n"
    assert ledger.claimed == ledger.finished == ["event:Ev0MENTION1"]


async def test_direct_message_is_answered_in_the_dm(deps: HandlerDeps, ledger: Ledger) -> None:
    client = FakeClient()
    body = payload("message_im")
    await on_message(deps, body, body["event"], say_for(client, body["event"]), client)
    [posted] = client.sent("chat.postMessage")
    assert posted["channel"] == "D0ANALYST" and posted.get("thread_ts") is None
    assert "고성군" in _json(posted["blocks"])
    assert ledger.finished == ["event:Ev0DM1"]


async def test_edits_and_bot_messages_in_a_dm_are_not_answered(deps: HandlerDeps) -> None:
    client = FakeClient()
    for event in ({"subtype": "message_changed"}, {"bot_id": "B1"}, {"channel_type": "channel"}):
        body = payload("message_im")
        body["event"].update(event)
        await on_message(deps, body, body["event"], say_for(client, body["event"]), client)
    await _dm(deps, client, "경남 고성군 2023")  # the sentinel: answered
    assert len(client.sent("chat.postMessage")) == 1


async def test_a_repeated_event_delivery_is_answered_once(
    deps: HandlerDeps, ledger: Ledger
) -> None:
    client = FakeClient()
    await _mention(deps, client)
    await _mention(deps, client)  # Slack's retry: same event_id
    sentinel = {"text": "<@UBOT> 경남 고성군 2023", "ts": "1700000009.000900"}
    await _mention(deps, client, event_id="Ev0MENTION2", **sentinel)  # answered
    assert ledger.claimed == ["event:Ev0MENTION1"] * 2 + ["event:Ev0MENTION2"]
    texts = [posted["text"] for posted in client.sent("chat.postMessage")]
    assert len(texts) == 2 and "김해시" in texts[0] and "고성군" in texts[1]


async def test_a_repeated_slash_command_is_answered_once(deps: HandlerDeps) -> None:
    respond, client = FakeRespond(), FakeClient()
    for _ in range(2):
        await on_command(deps, FakeAck(), payload("slash_command"), respond, client)
    other = payload("slash_command") | {"trigger_id": "999.888.other"}
    await on_command(deps, FakeAck(), other, respond, client)  # the sentinel: answered
    assert len(respond.messages) == 2


async def test_a_slash_command_delivered_again_after_a_minute_is_not_answered_again(
    deps: HandlerDeps, loaded_db: Database
) -> None:
    """The claim is the command's record: its answer went to a response_url, which cannot
    be looked at, so a stale claim means "maybe answered", never "answer again"."""
    respond, client = FakeRespond(), FakeClient()
    body = payload("slash_command")
    await on_command(deps, FakeAck(), body, respond, client)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    async with loaded_db.unit_of_work() as session:
        await session.execute(update(ProcessedDelivery).values(claimed_at=an_hour_ago))
    await on_command(deps, FakeAck(), body, respond, client)  # the same delivery, late
    await on_command(deps, FakeAck(), body | {"trigger_id": "999.888.other"}, respond, client)
    assert len(respond.messages) == 2  # the first and the other one: the late repeat skipped


async def test_a_mention_whose_claim_went_stale_is_answered_again(
    deps: HandlerDeps, loaded_db: Database
) -> None:
    """An event claim left unfinished (the instance died) is retaken after 60 s."""
    client = FakeClient()
    body = payload("app_mention") | {"event_id": "Ev0STALE1"}
    await claim_delivery(loaded_db, "event:Ev0STALE1", now=datetime.now(UTC) - timedelta(hours=1))
    await on_mention(deps, body, body["event"], client)
    assert len(client.sent("chat.postMessage")) == 1


async def test_a_database_outage_still_gets_a_kind_try_again(dead_db: Database) -> None:
    ledger, client = Ledger(dead_db), FakeClient()
    deps = make_deps(dead_db, ledger)
    body = await _mention(deps, client)
    [posted] = client.sent("chat.postMessage")
    question = body["event"]["text"].replace("<@UBOT>", "").strip()
    assert posted["text"] == fallback_text(answer_unavailable(question))
    assert posted["thread_ts"] == body["event"]["ts"]
    assert ledger.claimed == ledger.finished == ["event:Ev0MENTION1"]  # both tried, neither raised
    respond = FakeRespond()
    await on_command(deps, FakeAck(), payload("slash_command"), respond, client)
    assert [m["text"] for m in respond.messages] == [
        fallback_text(answer_unavailable("경남 고성군 2023"))
    ]


@pytest.mark.parametrize("command", ["publish 2025", "2025년 공개", "<@UBOT> 공개 2025"])
async def test_publish_as_admin_offers_the_publish_button(
    loaded_db: Database, ledger: Ledger, command: str
) -> None:
    deps, client = make_deps(loaded_db, ledger, admins=frozenset({ASKER})), FakeClient()
    await _dm(deps, client, command)
    [posted] = client.sent("chat.postMessage")
    assert "2025년 결과를 공개할까요?" in posted["text"]
    [button] = [e for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == PUBLISH_YEAR and button["value"] == "2025"


async def test_publish_by_a_workspace_admin_is_recognised_through_users_info(
    deps: HandlerDeps,
) -> None:
    client = FakeClient(workspace_admins=frozenset({"U0OWNER"}))
    await _dm(deps, client, "publish 2025", user="U0OWNER")
    [posted] = client.sent("chat.postMessage")
    assert PUBLISH_YEAR in _action_ids(posted["blocks"])
    assert [call["user"] for call in client.sent("users.info")] == ["U0OWNER"]


async def test_publish_as_non_admin_is_refused_politely(deps: HandlerDeps) -> None:
    respond, client = FakeRespond(), FakeClient()
    body = payload("slash_command") | {"text": "publish 2025"}
    await on_command(deps, FakeAck(), body, respond, client)
    [reply] = respond.messages
    assert reply["text"] == fallback_text(not_admin())
    assert PUBLISH_YEAR not in _action_ids(reply["blocks"])


async def test_a_failed_chart_upload_leaves_the_answer_delivered(
    deps: HandlerDeps, ledger: Ledger, caplog: pytest.LogCaptureFixture
) -> None:
    client = FakeClient(upload_error="not_in_channel")
    with caplog.at_level(logging.WARNING, logger="slack_adapter.uploads"):
        await _mention(deps, client)
    [posted] = client.sent("chat.postMessage")
    assert "김해시" in posted["text"]
    assert len(client.sent("files.upload_v2")) == 1
    assert ledger.finished == ["event:Ev0MENTION1"]  # finished before the picture
    assert "chart upload to C0GRADES failed" in caplog.text


async def test_bolt_passes_bound_listeners_the_arguments_they_name(deps: HandlerDeps) -> None:
    assert get_arg_names_of_callable(bind(on_command, deps)) == ["ack", "body", "respond", "client"]
    assert get_arg_names_of_callable(bind(on_mention, deps)) == ["body", "event", "client"]


async def test_a_listener_that_fails_never_raises_into_bolt(
    deps: HandlerDeps, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(deps: HandlerDeps, body: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="handlers.deps"):
        await bind(broken, deps)(body={})
    assert "listener broken failed" in caplog.text
