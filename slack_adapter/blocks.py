"""Answer -> Block Kit: a message's blocks and fallback text, the answer's buttons, and
Slack's size limits. Layout only, no logic; the plain-text rendering is answers/'.

Slack limits kept here: 50 blocks per message, 3,000 characters per section text, 150 per
header; the whole message stays well under 12,000 characters. A table longer than a page is
paged (a "more" button carries the next offset), never silently cut.
"""

from __future__ import annotations

import json
from typing import Any

from answers.answer import Answer, tr
from answers.presentation.plain import PAGE_ROWS, plain, table_is_body
from answers.query import Lang

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
MAX_BLOCKS = 50  # a message's blocks
BUTTON_TEXT_LIMIT = 75  # a button's label
MAX_SOURCES = 8

MORE_ACTION = "more_rows"
SHARE_ACTION = "share_answer"
VALUE_LIMIT = 1900  # Slack caps a button value at 2,000 characters

Block = dict[str, Any]


def action_value(question: str, *, page: int = 0) -> str:
    """What a button carries: the question (to answer again, fresh) and the page."""
    return json.dumps({"q": question[:1500], "p": page}, ensure_ascii=False)[:VALUE_LIMIT]


def read_action_value(value: str) -> tuple[str, int]:
    """The question and page a button carried; ('', 0) for anything malformed."""
    try:
        data = json.loads(value)
        return str(data.get("q", "")), max(0, int(data.get("p", 0)))
    except (ValueError, TypeError, AttributeError):
        return "", 0


def with_share_button(blocks: list[Block], answer: Answer, *, page: int = 0) -> list[Block]:
    """An ephemeral answer gets a button that reposts it in the channel."""
    label = tr(answer.lang, "채널에 공유", "Share to channel")
    button = {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION,
                "text": {"type": "plain_text", "text": label},
                "value": action_value(answer.question, page=page),
            }
        ],
    }
    return [*blocks[: MAX_BLOCKS - 1], button]


def to_blocks(answer: Answer, *, page: int = 0) -> list[Block]:
    """The answer as Block Kit: header, sections, a paged table, notes and sources."""
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": cut(answer.title, HEADER_LIMIT), "emoji": True},
        }
    ]
    blocks += [_section(chunk) for chunk in _chunks(answer.lines)]
    if answer.table and answer.table.rows and table_is_body(answer):
        blocks += _table_page(answer, page)
    tail: list[Block] = []  # kept whole: a long body gives way, never the buttons or sources
    if answer.notes:
        tail.append(context([cut(note, 2000) for note in answer.notes[:10]]))
    if answer.sources:
        tail.append(context([_sources_text(answer)]))
    if answer.actions:
        tail.append(_actions(answer))
    return blocks[: MAX_BLOCKS - len(tail)] + tail


def _actions(answer: Answer) -> Block:
    elements = []
    for action in answer.actions[:5]:
        button: Block = {
            "type": "button",
            "action_id": action.action_id,
            "value": action.value[:VALUE_LIMIT],
            "text": {"type": "plain_text", "text": cut(action.label, BUTTON_TEXT_LIMIT)},
        }
        if action.style:
            button["style"] = action.style
        if action.confirm:
            button["confirm"] = _confirm(action.confirm, action.label, answer.lang)
        elements.append(button)
    return {"type": "actions", "elements": elements}


def _confirm(question: str, label: str, lang: Lang) -> Block:
    """Slack's "are you sure?" dialog before a consequential button counts."""
    return {
        "title": {"type": "plain_text", "text": cut(tr(lang, "확인", "Please confirm"), 100)},
        "text": {"type": "plain_text", "text": cut(question, 300)},
        "confirm": {"type": "plain_text", "text": cut(label, 30)},
        "deny": {"type": "plain_text", "text": tr(lang, "취소", "Cancel")},
    }


def message(answer: Answer, *, page: int = 0) -> dict[str, Any]:
    """The keyword arguments of a Slack message carrying ``answer``."""
    return {"text": fallback_text(answer), "blocks": to_blocks(answer, page=page)}


def shared_message(answer: Answer, *, user: str, page: int = 0) -> dict[str, Any]:
    """``answer`` as a channel message credited to the ``user`` who shared it."""
    shared = tr(answer.lang, f"<@{user}>님이 공유했습니다", f"Shared by <@{user}>")
    rendered = message(answer, page=page)
    context = {"type": "context", "elements": [{"type": "mrkdwn", "text": shared}]}
    return {**rendered, "blocks": [*rendered["blocks"][: MAX_BLOCKS - 1], context]}


def fallback_text(answer: Answer) -> str:
    """The notification/fallback ``text`` every Slack message carries."""
    first = plain(answer.lines[0]) if answer.lines else ""
    return cut(f"{answer.title}: {first}" if first else answer.title, 3000)


def _table_page(answer: Answer, page: int) -> list[Block]:
    assert answer.table is not None
    rows = answer.table.rows
    start = page * PAGE_ROWS
    shown = rows[start : start + PAGE_ROWS]
    lines = [
        "  ".join(f"*{cell}*" if i == 1 else cell for i, cell in enumerate(row) if cell)
        for row in shown
    ]
    blocks = [_section(chunk) for chunk in _chunks(tuple(lines))]
    end = start + len(shown)
    if end < len(rows):
        label = tr(answer.lang, f"더 보기 ({end}/{len(rows)})", f"More ({end}/{len(rows)})")
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": MORE_ACTION,
                        "text": {"type": "plain_text", "text": label},
                        "value": action_value(answer.question, page=page + 1),
                    }
                ],
            }
        )
    return blocks


def _sources_text(answer: Answer) -> str:
    label = tr(answer.lang, "출처", "Source")
    links = [f"<{s.url}|{_escape(s.label)}>" for s in answer.sources[:MAX_SOURCES]]
    more = len(answer.sources) - MAX_SOURCES
    if more > 0:
        links.append(tr(answer.lang, f"외 {more}건", f"and {more} more"))
    return cut(f"{label}: " + " · ".join(links), 2000)


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(texts: list[str]) -> Block:
    """A context block: at most 10 elements, each within Slack's 3,000 characters."""
    elements = [{"type": "mrkdwn", "text": cut(t, SECTION_LIMIT)} for t in texts[:10]]
    return {"type": "context", "elements": elements}


def _chunks(lines: tuple[str, ...]) -> list[str]:
    """Join lines into section texts under the 3,000-character limit, never splitting a line
    unless the line alone is too long."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = cut(line, SECTION_LIMIT)
        if current and len(current) + 1 + len(line) > SECTION_LIMIT:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
