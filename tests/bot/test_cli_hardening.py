"""The command's honest edges: a closed stdout exits quietly, only the database's own
failures are called "database is unavailable", LOG_LEVEL is obeyed, and two first starts
on a new SQLite file do not race the first migration."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from test_cli import QUESTION, clean_env, command, db_file, invoke, url_of  # noqa: F401

from bot.cli import clean_errors, configure_logging

LONG_QUESTION = "2022 기초"  # a long list: more output than one pipe buffer write


def test_ask_piped_into_head_exits_quietly(tmp_path: Path, db_file: Path) -> None:  # noqa: F811
    script = 'set -o pipefail; "$@" | head -1; echo "exit=${PIPESTATUS[0]}" >&2'
    result = subprocess.run(
        ["bash", "-c", script, "minwon", *command(), "ask", LONG_QUESTION],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path, url_of(db_file)),
        cwd=tmp_path,
        timeout=90,
        check=False,
    )
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr.strip() == "exit=0", result.stderr


def test_ask_into_a_closed_stdout_exits_0_without_a_word(tmp_path: Path, db_file: Path) -> None:  # noqa: F811
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte is written
    try:
        result = subprocess.run(
            [*command(), "ask", QUESTION],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(tmp_path, url_of(db_file)),
            cwd=tmp_path,
            timeout=90,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize(
    "error",
    [
        TimeoutError("Slack did not answer in time"),
        ConnectionResetError(104, "Connection reset by peer"),
    ],
)
def test_a_slack_timeout_is_never_called_a_database_outage(
    error: OSError, capsys: pytest.CaptureFixture[str]
) -> None:
    @clean_errors
    def announce() -> None:  # as `minwon-bot announce` does when Slack is slow
        raise error

    with pytest.raises(typer.Exit) as exited:
        announce()
    assert exited.value.exit_code == 1
    message = capsys.readouterr().err
    assert "database" not in message.lower()
    assert type(error).__name__ in message and "Traceback" not in message


def test_an_unreachable_database_is_still_called_so(tmp_path: Path) -> None:
    code, _, err = invoke("postgresql+asyncpg://postgres@127.0.0.1:1/x", "ask", QUESTION)
    assert code == 1
    assert "The database is unavailable" in err


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in ("bot", "handlers", "storage")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


@pytest.mark.usefixtures("restore_logging")
def test_log_level_sets_our_loggers_and_keeps_libraries_quiet() -> None:
    configure_logging("DEBUG")
    assert logging.getLogger("handlers.reply").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("sqlalchemy.engine").isEnabledFor(logging.INFO)
    configure_logging("ERROR")
    assert not logging.getLogger("bot.announcer").isEnabledFor(logging.WARNING)
    assert not logging.getLogger("aiohttp.client").isEnabledFor(logging.WARNING)
    assert logging.getLogger("storage.db").isEnabledFor(logging.ERROR)


@pytest.mark.usefixtures("restore_logging")
def test_the_command_starts_by_applying_log_level(tmp_path: Path, db_file: Path) -> None:  # noqa: F811
    code, _, _ = invoke_with(url_of(db_file), {"LOG_LEVEL": "error"}, "ask", QUESTION)
    assert code == 0
    assert logging.getLogger("bot").level == logging.ERROR


def test_an_unknown_log_level_is_a_settings_error(db_file: Path) -> None:  # noqa: F811
    code, _, err = invoke_with(url_of(db_file), {"LOG_LEVEL": "loud"}, "ask", QUESTION)
    assert code == 2
    assert "LOG_LEVEL" in err and "Traceback" not in err


def invoke_with(database_url: str, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from bot.cli import app

    result = CliRunner().invoke(app, list(args), env={"DATABASE_URL": database_url, **env})
    return result.exit_code, result.stdout, result.stderr


def test_two_first_starts_on_a_new_sqlite_file_both_answer(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    env = clean_env(tmp_path, url)
    starts = [
        subprocess.Popen(
            [*command(), "ask", QUESTION],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    outcomes = [(*p.communicate(timeout=120), p.returncode) for p in starts]
    for out, err, code in outcomes:
        assert code == 0, err
        assert "2023년 가" in out
