"""`minwon-bot console`: an interactive terminal chat with the same answers as Slack.

Works on a terminal (prompt, line history, `history`, `help`, `quit`) and with piped stdin:
one answer per line, each after its question echoed (`» question`) so a batch's answers can
be matched back, ending at EOF.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from answers.presentation.plain import to_text
from answers.service import Answerer
from answers.understanding.context import Viewer

QUIT_WORDS = {"quit", "exit", "q", "종료", "나가기", ":q"}
PROMPT = "질문> "
ECHO = "» "  # a piped question, echoed before its answer (no prompt is shown then)


def echoed(question: str) -> str:
    """The line that heads a batch answer: the question it answers."""
    return f"{ECHO}{question}"


async def run_console(
    answerer: Answerer,
    *,
    viewer: Viewer,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    banner: str = "",
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if isinstance(stdin, io.TextIOWrapper):  # bytes that are not UTF-8 must not end the chat
        with contextlib.suppress(ValueError, OSError):
            stdin.reconfigure(errors="replace")
    interactive = stdin.isatty()
    if interactive:
        _enable_line_editing()
        print(
            banner or "민원서비스 종합평가 봇 — 질문을 입력하세요 (help, history, quit)",
            file=stdout,
        )
    history: list[str] = []
    read = _reader(stdin, interactive)
    while True:
        line = await read()
        if line is None:
            break
        text = line.strip()
        if text.lower() in QUIT_WORDS:
            break
        if text.lower() in ("history", "기록"):
            print("\n".join(f"{i}. {q}" for i, q in enumerate(history, 1)) or "(없음)", file=stdout)
            continue
        if not text and not interactive:
            continue
        if text:
            history.append(text)
        if not interactive:  # a batch: each answer after its question, to match them back
            print(echoed(text), file=stdout)
        answer = await answerer.answer_safely(text, viewer)
        print(to_text(answer), file=stdout, flush=True)
    return 0


def _reader(stdin: TextIO, interactive: bool) -> Callable[[], Awaitable[str | None]]:
    async def read() -> str | None:
        try:
            line = input(PROMPT) if interactive and stdin is sys.stdin else stdin.readline()
        except EOFError:
            return None
        except KeyboardInterrupt:
            return None
        if not interactive and line == "":
            return None
        return line

    return read


def _enable_line_editing() -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (input() gains history and editing)
