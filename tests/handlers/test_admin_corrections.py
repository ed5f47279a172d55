"""A table pasted into an admin's DM that would change grades of a published year (the 2025
table titled 2024): the preview says it is a correction, names each change and the year the
grades fit, and offers only the correction's own button. A plain *Load* of the same table is
refused and writes nothing; *Load as a correction* applies it, keeping the earlier versions.
The listeners run without an app, on the real bundled database."""

from __future__ import annotations

import json
from typing import Any

import official_kit as fx
from slackfakes import FakeAck, FakeClient, FakeRespond
from slackreq import payload
from storage_kit import dump, result_of
from test_listeners import ASKER, Ledger, _dm, make_deps

from answers.operations.admin import CONFIRM_CORRECTION, CONFIRM_INGEST
from handlers.admin import on_confirm, on_confirm_correction
from handlers.deps import HandlerDeps
from storage.db import Database

WRONG_YEAR = "\n".join(
    "\t".join(cell for cell in row)
    for row in fx.year_table(2025, title_year=2024, written={"기획재정부": "기재부"})
)


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {
        element["action_id"]: element["value"]
        for block in blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    }


def _click(action_id: str, value: str) -> dict[str, Any]:
    body = payload("block_actions_share")
    body["user"]["id"] = ASKER
    body["actions"][0].update(action_id=action_id, value=value)
    return body


async def _preview(loaded_db: Database) -> tuple[HandlerDeps, dict[str, Any]]:
    deps = make_deps(loaded_db, Ledger(loaded_db), admins=frozenset({ASKER}))
    client = FakeClient()
    await _dm(deps, client, WRONG_YEAR)
    [preview] = client.sent("chat.postMessage")
    return deps, preview


async def test_the_preview_of_a_correction_says_so_and_offers_its_own_button(
    loaded_db: Database,
) -> None:
    _, preview = await _preview(loaded_db)
    text = json.dumps(preview["blocks"], ensure_ascii=False)
    assert "공개 결과 정정" in preview["text"]
    assert "• 2024 대구광역시: 다 → 가" in text and "정정입니다" in text
    assert "2025년 기록과 78/78곳이 같고" in text  # the year its grades really fit
    buttons = _buttons(preview["blocks"])
    assert list(buttons) == [CONFIRM_CORRECTION] and buttons[CONFIRM_CORRECTION].startswith(
        "pasted:"
    )
    assert len(preview["blocks"]) <= 50


async def test_a_plain_load_of_a_correction_is_refused_and_writes_nothing(
    loaded_db: Database,
) -> None:
    deps, preview = await _preview(loaded_db)
    value = _buttons(preview["blocks"])[CONFIRM_CORRECTION]
    before = await dump(loaded_db)
    respond = FakeRespond()
    await on_confirm(deps, FakeAck(), _click(CONFIRM_INGEST, value), respond, FakeClient())
    [reply] = respond.messages
    assert "불러오지 않았습니다" in reply["text"]
    assert "• 2024 대구광역시: 다 → 가" in json.dumps(reply["blocks"], ensure_ascii=False)
    assert await dump(loaded_db) == before


async def test_a_confirmed_correction_is_applied_and_keeps_the_earlier_version(
    loaded_db: Database,
) -> None:
    deps, preview = await _preview(loaded_db)
    value = _buttons(preview["blocks"])[CONFIRM_CORRECTION]
    respond = FakeRespond()
    click = _click(CONFIRM_CORRECTION, value)
    await on_confirm_correction(deps, FakeAck(), click, respond, FakeClient())
    [reply] = respond.messages
    assert "불러옴" in reply["text"], reply["text"]
    daegu = await result_of(loaded_db, "대구광역시", "대구", 2024)
    assert daegu is not None and daegu.grade == "가"
    answer = await deps.answerer.answer("대구광역시 2024 출처")
    assert any("이전 판 1개" in line for line in answer.lines)


async def test_a_non_admin_cannot_confirm_a_correction(loaded_db: Database) -> None:
    deps, preview = await _preview(loaded_db)
    value = _buttons(preview["blocks"])[CONFIRM_CORRECTION]
    before = await dump(loaded_db)
    respond = FakeRespond()
    click = _click(CONFIRM_CORRECTION, value)
    click["user"]["id"] = "U0SOMEONE"
    await on_confirm_correction(deps, FakeAck(), click, respond, FakeClient())
    [reply] = respond.messages
    assert "관리자만" in reply["text"] and await dump(loaded_db) == before
