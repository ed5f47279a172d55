"""A correction of a published year from Slack, on a running bot: an admin pastes the 2025
table titled 2024 into a DM; the preview says it corrects published grades and its one
button is *Load as a correction*. A plain *Load* carrying the same table is refused and
writes nothing; the correction's button applies it."""

from __future__ import annotations

import json

import official_kit as fx
from minwon_e2e import RunningBot
from slackreq import make_action, make_event
from storage_kit import result_of
from test_announce_flow import live  # noqa: F401  (the running bot fixture)

PASTED = "\n".join("\t".join(row) for row in fx.year_table(2025, title_year=2024))


def _buttons(params: dict[str, object]) -> dict[str, str]:
    blocks = json.loads(json.dumps(params, ensure_ascii=False)).get("blocks", [])
    return {
        element["action_id"]: element["value"]
        for block in blocks
        for element in block.get("elements", [])
        if isinstance(element, dict) and "action_id" in element
    }


async def _click(live: RunningBot, action_id: str, value: str, name: str) -> str:  # noqa: F811
    body, headers = make_action(
        "block_actions_share",
        response_url=live.fake.response_url(name),
        action_id=action_id,
        value=value,
        user="UADMIN",
    )
    await live.post(body, headers)
    [reply] = await live.fake.wait_for("response_url", where=lambda c: c.params.get("key") == name)
    return json.dumps(reply.params, ensure_ascii=False)


async def test_a_correction_needs_its_own_confirmation(live: RunningBot) -> None:  # noqa: F811
    body, headers = make_event("message_im", user="UADMIN", text=PASTED)
    await live.post(body, headers)
    [preview] = await live.fake.wait_for("chat.postMessage")
    text = json.dumps(preview.params, ensure_ascii=False)
    assert "공개 결과 정정" in text and "• 2024 대구광역시: 다 → 가" in text
    buttons = _buttons(preview.params)
    assert list(buttons) == ["confirm_correction"]

    refused = await _click(live, "confirm_ingest", buttons["confirm_correction"], "plain")
    assert "불러오지 않았습니다" in refused
    daegu = await result_of(live.db, "대구광역시", "대구", 2024)
    assert daegu is not None and daegu.grade == "다"

    loaded = await _click(live, "confirm_correction", buttons["confirm_correction"], "fix")
    assert "불러옴" in loaded
    daegu = await result_of(live.db, "대구광역시", "대구", 2024)
    assert daegu is not None and daegu.grade == "가"
