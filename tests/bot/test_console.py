"""`minwon-bot console`: piped stdin gets one answer per question and ends at EOF; `quit`
ends it early; `history` lists earlier questions; blank lines are skipped."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from answers.service import Answerer
from answers.understanding.context import Viewer
from bot.console import PROMPT, echoed, run_console

SCRIPT = Path(sys.executable).parent / "minwon-bot"
GOSEONG = "경남 고성군 2023 등급"
GIMHAE = "김해시 추이"


def console(
    tmp_path: Path, db_path: Path, stdin: str | bytes, **extra_env: str
) -> subprocess.CompletedProcess[bytes]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_", "ANNOUNCE_", "ADMIN_", "MINWON_"))
    }
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{db_path}"
    env.update(extra_env)
    args = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
    return subprocess.run(
        [*args, "console"],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=90,
        check=False,
    )


@pytest.fixture
def db_path(tmp_path: Path, bundled_sqlite: Path) -> Path:
    path = tmp_path / "minwon.db"
    shutil.copy(bundled_sqlite, path)
    return path


def test_piped_questions_get_one_answer_each_and_end_at_eof(tmp_path: Path, db_path: Path) -> None:
    result = console(tmp_path, db_path, f"{GOSEONG}\n{GIMHAE}\n")
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stderr == b""
    assert out.count("출처:") == 2  # two answers, each with its sources
    first = out.index("경남 고성군 — 2023년 가")
    second = out.index("경남 김해시 · 등급 추이")
    assert first < second
    assert PROMPT not in out  # no prompt, no banner when piped
    # each answer comes after its question, so a batch can be matched back
    assert out.index(echoed(GOSEONG)) < first < out.index(echoed(GIMHAE)) < second
    assert out.startswith(echoed(GOSEONG) + "\n")


def test_quit_ends_the_console(tmp_path: Path, db_path: Path) -> None:
    result = console(tmp_path, db_path, f"{GOSEONG}\nquit\n{GIMHAE}\n")
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0
    assert "2023년 가" in out
    assert "등급 추이" not in out


def test_bytes_that_are_not_utf8_do_not_end_the_console(tmp_path: Path, db_path: Path) -> None:
    stdin = "경남 고성군 2023".encode("cp949") + b"\n" + f"{GOSEONG}\n".encode()
    # PYTHONIOENCODING=utf-8 makes stdin strict, as a UTF-8 locale other than C.UTF-8 does
    result = console(tmp_path, db_path, stdin, PYTHONIOENCODING="utf-8")
    assert result.returncode == 0
    assert b"Traceback" not in result.stderr
    assert "2023년 가" in result.stdout.decode("utf-8", "replace")


# --- in process, on both backends ---


async def chat(answerer: Answerer, text: str) -> str:
    stdout = io.StringIO()
    code = await run_console(answerer, viewer=Viewer(), stdin=io.StringIO(text), stdout=stdout)
    assert code == 0
    return stdout.getvalue()


async def test_history_lists_earlier_questions(answerer: Answerer) -> None:
    out = await chat(answerer, f"history\n{GOSEONG}\n\n   \n{GIMHAE}\n기록\n")
    assert out.startswith("(없음)\n")  # nothing asked yet
    assert out.rstrip().endswith(f"1. {GOSEONG}\n2. {GIMHAE}")


async def test_blank_lines_are_skipped(answerer: Answerer) -> None:
    out = await chat(answerer, f"\n\n{GOSEONG}\n \t \n\n")
    assert out.count("출처:") == 1
    assert out.count("2023년 가") == 1
    assert "도움말" not in out and "help" not in out.lower()


@pytest.mark.parametrize("word", ["quit", "exit", "q", "종료", "나가기", ":q", "QUIT"])
async def test_every_quit_word_ends_it(answerer: Answerer, word: str) -> None:
    out = await chat(answerer, f"{GOSEONG}\n  {word}  \n{GIMHAE}\n")
    assert "2023년 가" in out
    assert "등급 추이" not in out


async def test_a_question_it_cannot_read_gets_a_hint_and_the_chat_goes_on(
    answerer: Answerer,
) -> None:
    out = await chat(answerer, f"qwzx vbnm\n{GOSEONG}\n")
    assert "Traceback" not in out
    assert "2023년 가" in out
    assert out.index("2023년 가") > 0  # the hint came first
