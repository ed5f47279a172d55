"""Answer -> plain text, for a terminal (`minwon-bot ask`, the console): no markup, every
row, sources as URLs. Slack's rendering of the same Answer is the Slack adapter's."""

from __future__ import annotations

import re

from answers.answer import Answer, tr

PAGE_ROWS = 40  # rows a medium shows at once; the rest are paged (Slack) or cut (a preview)
BODY_TABLE_INTENTS = ("list", "coverage")  # lists show their rows; others say it in lines


def to_text(answer: Answer, *, all_rows: bool = True) -> str:
    """The answer for a terminal: no markup, every row, sources as URLs."""
    out = [plain(answer.title), ""]
    out += [plain(line) for line in answer.lines]
    if answer.table and answer.table.rows and table_is_body(answer):
        rows = answer.table.rows if all_rows else answer.table.rows[:PAGE_ROWS]
        out += ["  ".join(cell for cell in row if cell) for row in rows]
    if answer.notes:
        out += [""] + [f"※ {plain(note)}" for note in answer.notes]
    if answer.sources:
        out += ["", tr(answer.lang, "출처:", "Sources:")]
        out += [f"  {source.label}: {source.url}" for source in answer.sources]
    return "\n".join(out).rstrip() + "\n"


def plain(text: str) -> str:
    """``text`` without the *bold*, _italic_ and `code` marks answers use."""
    return re.sub(r"(?<!\w)[*_`](.+?)[*_`](?!\w)", r"\1", text)


def table_is_body(answer: Answer) -> bool:
    """Lists show their rows; other answers already say it all in their lines."""
    return answer.intent in BODY_TABLE_INTENTS
