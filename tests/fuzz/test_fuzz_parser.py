"""Parser fuzz: 10,000 generated texts (Hangul, bare jamo, emoji, control characters, RTL
and zero-width marks, 10 kB strings, SQL and Slack markup, numbers, real agency names and
keywords) never make ``parse`` raise; a sample of them, answered on a copy of the bundled
data and rendered, always gives a titled answer whose blocks fit Slack's limits."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from minwon_fuzzkit import QuestionGenerator

from answers.answer import Answer
from answers.presentation.plain import to_text
from answers.query import Query
from answers.service import Answerer
from answers.understanding.catalog import Catalog
from answers.understanding.context import Viewer
from answers.understanding.parse import parse
from slack_adapter.blocks import fallback_text, to_blocks, with_share_button
from storage.db import Database

SEED = 20_240_7
TEXTS = 10_000
SAMPLE_EVERY = 20  # 500 of the 10,000 go through the whole answer path

# Slack's Block Kit limits for a message.
MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTION_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK = 40_000


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return QuestionGenerator(SEED).many(TEXTS)


@pytest.fixture
async def sample_answerer(bundled_sqlite: Path, tmp_path: Path) -> AsyncIterator[Answerer]:
    path = tmp_path / "answers.db"
    shutil.copy(bundled_sqlite, path)
    db = Database(f"sqlite+aiosqlite:///{path}")
    yield Answerer(db)
    await db.dispose()


def _show(text: str) -> str:
    return repr(text if len(text) <= 120 else text[:120] + "…")


def test_the_corpus_has_what_it_claims(corpus: list[str]) -> None:
    """The generator really produces the hostile kinds of input (not only easy phrases)."""
    joined = "".join(corpus)
    assert len(corpus) == TEXTS and len(set(corpus)) > TEXTS * 0.9
    assert sum(len(t.encode()) >= 10_000 for t in corpus) >= 50
    for needle in ("\u200b", "\u202e", "\x00", "<@U", "<#C", "<!here>", "DROP TABLE", "🇰🇷"):
        assert needle in joined, needle
    assert any("\u3131" <= ch <= "\u318e" for ch in joined), "bare jamo"
    assert any(0x80 <= ord(ch) <= 0x9F for ch in joined), "C1 controls"


def test_parse_never_raises(corpus: list[str], catalog: Catalog) -> None:
    failures: list[str] = []
    started = time.monotonic()
    for index, text in enumerate(corpus):
        try:
            query = parse(text, catalog)
        except Exception as exc:  # the finding: report every input that broke it
            failures.append(f"#{index} {_show(text)}: {exc.__class__.__name__}: {exc}")
            continue
        if not isinstance(query, Query):
            failures.append(f"#{index} {_show(text)}: returned {type(query).__name__}")
    elapsed = time.monotonic() - started
    assert not failures, f"{len(failures)} of {TEXTS} texts broke parse:\n" + "\n".join(
        failures[:20]
    )
    assert elapsed < 60, f"parsing {TEXTS} texts took {elapsed:.1f}s"


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=600))
def test_parse_never_raises_on_any_unicode(text: str, catalog: Catalog) -> None:
    assert isinstance(parse(text, catalog), Query)


def block_problems(blocks: list[dict[str, Any]]) -> list[str]:
    """Where ``blocks`` break Slack's limits for a message (empty when they fit)."""
    problems = []
    if not 1 <= len(blocks) <= MAX_BLOCKS:
        problems.append(f"{len(blocks)} blocks")
    for number, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header":
            header = block["text"]["text"]
            if not header.strip() or len(header) > MAX_HEADER:
                problems.append(f"block {number}: header of {len(header)} chars {header[:40]!r}")
        elif kind == "section":
            section = block["text"]["text"]
            if not section.strip() or len(section) > MAX_SECTION:
                problems.append(f"block {number}: section of {len(section)} chars")
        elif kind == "context":
            elements = block["elements"]
            if not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
                problems.append(f"block {number}: {len(elements)} context elements")
            problems += [
                f"block {number}: empty or too long context text"
                for element in elements
                if not element["text"].strip() or len(element["text"]) > MAX_SECTION
            ]
        elif kind == "actions":
            elements = block["elements"]
            if not 1 <= len(elements) <= MAX_ACTION_ELEMENTS:
                problems.append(f"block {number}: {len(elements)} action elements")
            for element in elements:
                label, value = element["text"]["text"], element.get("value", "")
                if not label.strip() or len(label) > MAX_BUTTON_TEXT:
                    problems.append(f"block {number}: button label {label!r}")
                if len(value) > MAX_BUTTON_VALUE:
                    problems.append(f"block {number}: button value of {len(value)} chars")
        else:
            problems.append(f"block {number}: unexpected type {kind!r}")
    return problems


def answer_problems(answer: Answer) -> list[str]:
    problems = []
    if not isinstance(answer, Answer):
        return [f"answer is a {type(answer).__name__}"]
    if not answer.title.strip():
        problems.append("empty title")
    if not to_text(answer).strip():
        problems.append("empty text rendering")
    fallback = fallback_text(answer)
    if not fallback.strip() or len(fallback) > MAX_FALLBACK:
        problems.append(f"fallback text of {len(fallback)} chars")
    blocks = to_blocks(answer)
    problems += block_problems(blocks)
    problems += [f"shared: {p}" for p in block_problems(with_share_button(blocks, answer))]
    json.dumps(blocks, ensure_ascii=False)  # what Slack receives must serialize
    return problems


async def test_answers_to_a_sample_are_titled_and_fit_slack(
    corpus: list[str], sample_answerer: Answerer
) -> None:
    viewers = [Viewer(), Viewer(user_id="U0FUZZ", is_admin=True, channel_id="C0FUZZ")]
    failures: list[str] = []
    sample = corpus[::SAMPLE_EVERY]
    for index, text in enumerate(sample):
        viewer = viewers[index % 2]
        try:
            answer = await sample_answerer.answer(text, viewer)
            problems = answer_problems(answer)
        except Exception as exc:  # the finding: report every input that broke it
            problems = [f"{exc.__class__.__name__}: {exc}"]
        if problems:
            failures.append(f"#{index * SAMPLE_EVERY} {_show(text)}: {'; '.join(problems[:3])}")
    assert len(sample) == TEXTS // SAMPLE_EVERY
    assert not failures, f"{len(failures)} of {len(sample)} answers were wrong:\n" + "\n".join(
        failures[:20]
    )
