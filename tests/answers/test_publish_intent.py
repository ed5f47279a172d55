"""'publish 2025' is read by the one parser and answered by the Answerer: admins get the
confirm button, everyone else the polite refusal."""

from __future__ import annotations

import pytest

from answers.operations.admin import PUBLISH_YEAR, not_admin
from answers.query import Intent
from answers.service import Answerer
from answers.understanding.catalog import Catalog
from answers.understanding.context import Viewer
from answers.understanding.parse import parse


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("publish 2025", 2025),
        ("Publish 2024", 2024),
        ("  publish2025  ", 2025),
        ("공개 2025", 2025),
        ("발행 2025년", 2025),
        ("2025 공개", 2025),
        ("2025년 공개", 2025),
        ("2025년공개", 2025),
        ("<@UBOT> publish 2025", 2025),
        ("ｐｕｂｌｉｓｈ　２０２５", 2025),
    ],
)
def test_publish_commands_are_read_with_their_year(catalog: Catalog, text: str, year: int) -> None:
    query = parse(text, catalog)
    assert query.intent is Intent.PUBLISH and query.years == (year,)


@pytest.mark.parametrize(
    "text",
    [
        "2025 공개 결과",  # a question about published results, not the command
        "publish 2025 now please",
        "경남 고성군 2023 공개",
        "공개",
        "publish",
        "publish 1899",
        "2025",
        "",
    ],
)
def test_other_text_is_no_publish_command(catalog: Catalog, text: str) -> None:
    assert parse(text, catalog).intent is not Intent.PUBLISH


async def test_an_admin_is_offered_the_publish_button(answerer: Answerer) -> None:
    answer = await answerer.answer("publish 2025", Viewer(user_id="U1", is_admin=True))
    [button] = answer.actions
    assert (button.action_id, button.value) == (PUBLISH_YEAR, "2025")
    assert answer.title == "2025년 결과를 공개할까요?"


async def test_anyone_else_is_refused_politely(answerer: Answerer) -> None:
    answer = await answerer.answer("2025년 공개", Viewer(user_id="U2"))
    assert (answer.title, answer.lines, answer.actions) == (
        not_admin().title,
        not_admin().lines,
        (),
    )
