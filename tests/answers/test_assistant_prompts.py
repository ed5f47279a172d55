"""The assistant pane's opening, on the bundled data and every backend: the greeting and
the suggested prompts follow the channel the user is viewing (what it follows, or else its
name), and every prompt suggested — the bot's and the manifest's — is one the bot answers
with data, checked by asking it again through a fresh Answerer."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from answers.answer import Answer
from answers.intents.assistant import (
    MAX_PROMPTS,
    MIN_PROMPTS,
    Prompt,
    status_line,
    thread_title,
)
from answers.presentation.plain import to_text
from answers.query import Intent
from answers.service import Answerer
from answers.understanding.context import Viewer
from storage.db import Database

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
CHANNEL = "C0GRADES"


@pytest.fixture(scope="module")
def followed() -> tuple[str, str]:
    """An agency of the latest year's 기초 results with a record before it too (region,
    name), read off grades.csv."""
    with resources.files("storage.bundled").joinpath("grades.csv").open("rb") as file:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame["year"] = frame["year"].astype(int)
    local = frame[frame.agency_type.str.contains("기초") & (frame.region != "")]
    latest = local[local.year == local.year.max()]
    counts = local.groupby(["region", "agency"]).size()
    for region, agency in zip(latest.region, latest.agency, strict=True):
        if counts[(region, agency)] >= 2:
            return region, agency
    raise AssertionError("grades.csv holds no 기초 agency with two years")


async def _follow(db: Database, channel: str, what: str) -> None:
    said = await Answerer(db).answer(
        f"구독 {what}", Viewer(user_id="U0ANALYST", channel_id=channel)
    )
    assert "구독했습니다" in to_text(said), to_text(said)


async def _answered_with_data(db: Database, prompts: tuple[Prompt, ...]) -> list[Answer]:
    """Each prompt asked anew, as a click would send it: understood, with data."""
    asker = Answerer(db)
    answers = [await asker.answer(p.message, Viewer(user_id="U0ANALYST")) for p in prompts]
    for prompt, answer in zip(prompts, answers, strict=True):
        assert answer.understood and answer.has_data, (prompt, to_text(answer))
        assert answer.intent not in (Intent.HELP, Intent.UNKNOWN, Intent.GREETING), prompt
        assert prompt.title.strip() and len(prompt.title) <= 75
    return answers


async def test_a_channel_following_an_agency_gets_prompts_about_it(
    loaded_db: Database, followed: tuple[str, str]
) -> None:
    region, agency = followed
    await _follow(loaded_db, CHANNEL, f"{agency}({region})")

    opening = await Answerer(loaded_db).opening(CHANNEL)

    assert MIN_PROMPTS <= len(opening.prompts) <= MAX_PROMPTS
    about = [p for p in opening.prompts if agency in p.message]
    assert len(about) >= 2, opening.prompts  # its grade and its history, before the rest
    assert opening.prompts[: len(about)] == tuple(about)
    answers = await _answered_with_data(loaded_db, opening.prompts)
    assert all(agency in to_text(a) for a in answers[: len(about)])
    assert {a.intent for a in answers[: len(about)]} >= {Intent.GRADE, Intent.HISTORY}
    greeting = to_text(opening.greeting)
    assert f"<#{CHANNEL}>" in greeting and agency in greeting


async def test_a_channel_following_a_region_gets_prompts_about_the_region(
    loaded_db: Database, followed: tuple[str, str]
) -> None:
    region, _ = followed
    await _follow(loaded_db, CHANNEL, region)

    opening = await Answerer(loaded_db).opening(CHANNEL)

    assert MIN_PROMPTS <= len(opening.prompts) <= MAX_PROMPTS
    assert region in opening.prompts[0].message
    answers = await _answered_with_data(loaded_db, opening.prompts)
    assert answers[0].intent is Intent.LIST and region in to_text(answers[0])
    assert region in to_text(opening.greeting)


async def test_a_channel_following_two_agencies_is_offered_their_comparison(
    loaded_db: Database,
) -> None:
    await _follow(loaded_db, CHANNEL, "김해시")
    await _follow(loaded_db, CHANNEL, "행정안전부")

    opening = await Answerer(loaded_db).opening(CHANNEL)

    messages = [p.message for p in opening.prompts]
    assert any("김해시" in m for m in messages) and any("행정안전부" in m for m in messages)
    await _answered_with_data(loaded_db, opening.prompts)


async def test_a_channel_following_nothing_is_read_by_its_name(
    loaded_db: Database, followed: tuple[str, str]
) -> None:
    region, _ = followed

    opening = await Answerer(loaded_db).opening("C0NAMED", f"{region}-민원팀")

    assert region in opening.prompts[0].message
    await _answered_with_data(loaded_db, opening.prompts)
    assert "C0NAMED" in to_text(opening.greeting) and region in to_text(opening.greeting)


@pytest.mark.parametrize(("channel", "name"), [(None, ""), ("C0EMPTY", "general")])
async def test_with_nothing_to_go_by_general_prompts_are_offered(
    loaded_db: Database, channel: str | None, name: str
) -> None:
    opening = await Answerer(loaded_db).opening(channel, name)

    assert MIN_PROMPTS <= len(opening.prompts) <= MAX_PROMPTS
    await _answered_with_data(loaded_db, opening.prompts)
    assert opening.greeting.lines and "<#" not in to_text(opening.greeting)


async def test_no_two_prompts_give_the_same_answer(loaded_db: Database) -> None:
    """A channel named after 김해시 is offered its history, and the general prompts then
    leave out their own '김해시 등급 추이' (the same answer)."""
    opening = await Answerer(loaded_db).opening("C0GIMHAE", "김해시-민원")

    answers = await _answered_with_data(loaded_db, opening.prompts)
    assert "김해시" in opening.prompts[0].message
    assert len({(a.title, a.lines) for a in answers}) == len(answers) >= MIN_PROMPTS


async def test_a_followed_agency_without_records_is_not_suggested(loaded_db: Database) -> None:
    """A subscription to an agency the record has nothing on: no prompt about it (it would
    answer 'no published record'), and the general prompts make up the number."""
    asker = Answerer(loaded_db)
    snapshot = await asker.data.refresh()
    unrecorded = next(
        ref for i, ref in snapshot.catalog.agencies.items() if i not in snapshot.by_agency
    )
    await _follow(loaded_db, CHANNEL, unrecorded.label())

    opening = await asker.opening(CHANNEL)

    assert all(unrecorded.name not in p.message for p in opening.prompts)
    assert len(opening.prompts) >= MIN_PROMPTS
    await _answered_with_data(loaded_db, opening.prompts)


async def test_the_manifests_prompts_are_answered_with_data(loaded_db: Database) -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    view = manifest["features"]["assistant_view"]
    prompts = tuple(Prompt(p["title"], p["message"]) for p in view["suggested_prompts"])

    assert view["assistant_description"].strip() and MIN_PROMPTS <= len(prompts) <= MAX_PROMPTS
    await _answered_with_data(loaded_db, prompts)


async def test_a_threads_title_is_its_first_answers_subject(
    answerer: Answerer, followed: tuple[str, str]
) -> None:
    region, agency = followed
    history = await answerer.answer(f"{region} {agency} 등급 추이")
    hello = await answerer.answer("안녕")

    title = thread_title(history)
    assert title is not None and agency in title and len(title) <= 60
    assert thread_title(hello) is None


def test_the_status_line_is_in_the_questions_language() -> None:
    assert status_line("고성군 등급") == "답변을 찾는 중…"
    english = status_line("goseong history")
    assert english.startswith("is ")
