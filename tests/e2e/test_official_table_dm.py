"""An official results table pasted into a DM with the bot, on a running bot: an admin gets
the file's preview and *Load* button (the text kept server-side, only its key in the
button), a non-admin the polite refusal, and an ordinary question stays a question."""

from __future__ import annotations

import json

from minwon_e2e import RunningBot
from slackreq import make_action, make_event
from test_announce_flow import live  # noqa: F401  (the running bot fixture)

from storage.models import Result

PASTED = """2026년 민원서비스 종합평가 결과
출처: <https://example.org/2026/table|보도자료>
[기초자치단체(시)]
가: 김해시(경남)
나: 수원시(경기)"""


def _button_values(params: dict[str, object]) -> list[str]:
    text = json.dumps(params, ensure_ascii=False)
    blocks = json.loads(text).get("blocks", [])
    return [
        element["value"]
        for block in blocks
        for element in block.get("elements", [])
        if isinstance(element, dict) and element.get("action_id") == "confirm_ingest"
    ]


async def test_admin_pastes_a_table_previews_and_loads_it(live: RunningBot) -> None:  # noqa: F811
    fake = live.fake
    body, headers = make_event("message_im", user="UADMIN", text=PASTED)
    await live.post(body, headers)
    [preview] = await fake.wait_for("chat.postMessage")
    text = json.dumps(preview.params, ensure_ascii=False)
    assert "붙여넣은 표 미리보기" in text and "새 결과 2" in text, text
    [value] = _button_values(preview.params)
    assert value.startswith("pasted:") and len(value) < 100 and "김해시" not in value
    async with live.db.unit_of_work() as session:
        assert await session.get(Result, 1) is not None  # the bundled data is there
    body, headers = make_action(
        "block_actions_share",
        response_url=fake.response_url("confirm"),
        action_id="confirm_ingest",
        value=value,
        user="UADMIN",
    )
    await live.post(body, headers)
    [loaded] = await fake.wait_for("response_url")
    loaded_text = json.dumps(loaded.params, ensure_ascii=False)
    assert "불러옴" in loaded_text and "새 결과 2" in loaded_text and "publish_year" in loaded_text


async def test_non_admin_pasting_a_table_is_politely_refused(live: RunningBot) -> None:  # noqa: F811
    body, headers = make_event("message_im", user="UOTHER", text=PASTED)
    await live.post(body, headers)
    [reply] = await live.fake.wait_for("chat.postMessage")
    text = json.dumps(reply.params, ensure_ascii=False)
    assert "관리자만" in text and "미리보기" not in text


async def test_a_pasted_table_with_a_problem_names_its_line(live: RunningBot) -> None:  # noqa: F811
    body, headers = make_event("message_im", user="UADMIN", text=PASTED.replace("김해시", "김해"))
    await live.post(body, headers)
    [reply] = await live.fake.wait_for("chat.postMessage")
    text = json.dumps(reply.params, ensure_ascii=False)
    assert "불러오지 않았습니다" in text and "line 4" in text and "confirm_ingest" not in text


async def test_an_ordinary_question_in_a_dm_is_answered_not_previewed(
    live: RunningBot,  # noqa: F811
) -> None:
    body, headers = make_event("message_im", user="UADMIN", text="경남 고성군 2023 등급")
    await live.post(body, headers)
    [reply] = await live.fake.wait_for("chat.postMessage")
    text = json.dumps(reply.params, ensure_ascii=False)
    assert "미리보기" not in text and "고성군" in text
