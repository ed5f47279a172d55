"""The `minwon-bot` command as an operator runs it: the real console script in a subprocess,
on a SQLite file in ``tmp_path``. Known errors are one short message and an exit code, never
a traceback; a refused file leaves the database exactly as it was."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from intake.sheets import COLUMNS

SCRIPT = Path(sys.executable).parent / "minwon-bot"
QUESTION = "경남 고성군 2023 등급"
GOSEONG_SOURCE = "https://news1.kr/amp/local/busan-gyeongnam/5322897"
HEADER = COLUMNS[: COLUMNS.index("note") + 1]  # grades.csv before more_sources
URL = "https://example.org/minwon/2026"


def command() -> list[str]:
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]


def clean_env(tmp_path: Path, database_url: str | None) -> dict[str, str]:
    """The environment minus any Slack or database settings of the machine running tests."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_", "ANNOUNCE_", "ADMIN_", "MINWON_"))
    }
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return env


def run(
    tmp_path: Path, database_url: str | None, *args: str, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=clean_env(tmp_path, database_url),
        cwd=tmp_path,  # no stray .env from the repository
        timeout=timeout,
        check=False,
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    for marker in ("Traceback", "╭", 'File "'):
        assert marker not in result.stderr, result.stderr
        assert marker not in result.stdout, result.stdout


def sqlite_dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def results_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for cells in rows:
        writer.writerow({key: cells.get(key, "") for key in HEADER})
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def new_year_rows() -> list[dict[str, object]]:
    base = {"year": 2026, "region": "경남", "agency_type": "기초자치단체", "source_url": URL}
    return [
        {**base, "agency": "김해시", "group": "기초-시", "grade": "가"},
        {**base, "agency": "양산시", "group": "기초-시", "grade": "나"},
    ]


@pytest.fixture
def db_file(tmp_path: Path, bundled_sqlite: Path) -> Path:
    """A SQLite file holding the bundled results (a copy of the session's template)."""
    path = tmp_path / "minwon.db"
    shutil.copy(bundled_sqlite, path)
    return path


def url_of(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def test_ask_works_right_after_install(tmp_path: Path) -> None:
    """No DATABASE_URL: the embedded database is created under XDG_DATA_HOME and filled."""
    result = run(tmp_path, None, "ask", QUESTION)
    assert result.returncode == 0, result.stderr
    assert "2023년 가" in result.stdout
    assert GOSEONG_SOURCE in result.stdout
    assert_no_traceback(result)
    assert (tmp_path / "xdg" / "minwon-bot" / "minwon-bot.db").is_file()


def test_ask_prints_the_grade_and_its_source(tmp_path: Path, db_file: Path) -> None:
    before = sqlite_dump(db_file)
    result = run(tmp_path, url_of(db_file), "ask", QUESTION)
    assert result.returncode == 0, result.stderr
    assert "경남 고성군 — 2023년 가" in result.stdout
    assert GOSEONG_SOURCE in result.stdout
    assert result.stderr == ""
    assert sqlite_dump(db_file) == before  # asking writes nothing


def test_ask_file_answers_each_line_after_its_question(tmp_path: Path, db_file: Path) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text(f"{QUESTION}\n\n김해시 추이\n", encoding="utf-8")
    result = run(tmp_path, url_of(db_file), "ask", "--file", str(questions))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.index(f"» {QUESTION}\n"), result.stdout.index("» 김해시 추이\n")
    assert first < result.stdout.index("경남 고성군 — 2023년 가") < second
    assert result.stdout.count("» ") == 2  # the blank line is skipped
    assert_no_traceback(result)


def test_ask_file_exits_2_when_a_line_is_not_understood(tmp_path: Path, db_file: Path) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_bytes(f"{QUESTION}\nqwzx vbnm\n".encode() + b"\xff\xfe\n")
    result = run(tmp_path, url_of(db_file), "ask", "--file", str(questions))
    assert result.returncode == 2
    assert "» qwzx vbnm" in result.stdout and "2023년 가" in result.stdout
    assert_no_traceback(result)


@pytest.mark.parametrize(
    "args", [["ask"], ["ask", "--file", "no-such-file.txt"], ["ask", "x", "--file", "-"]]
)
def test_ask_without_one_question_or_a_readable_file_is_refused(
    tmp_path: Path, db_file: Path, args: list[str]
) -> None:
    result = run(tmp_path, url_of(db_file), *args)
    assert result.returncode == 2 and result.stderr.strip()
    assert_no_traceback(result)


def test_a_question_it_cannot_read_exits_2(tmp_path: Path, db_file: Path) -> None:
    result = run(tmp_path, url_of(db_file), "ask", "qwzx vbnm 블라블라")
    assert result.returncode == 2
    assert result.stdout.strip()  # a hint with examples
    assert_no_traceback(result)


def test_a_broken_file_is_refused_with_row_and_column_errors(tmp_path: Path, db_file: Path) -> None:
    rows = [
        *new_year_rows(),
        {
            "year": 2026,
            "agency": "통영시",
            "region": "경남",
            "agency_type": "기초자치단체",
            "group": "기초-시",
            "grade": "S",
            "source_url": "통영신문 기사",
        },
    ]
    path = results_csv(tmp_path / "broken.csv", rows)
    before = sqlite_dump(db_file)
    result = run(tmp_path, url_of(db_file), "ingest", str(path))
    assert result.returncode == 1
    assert_no_traceback(result)
    lines = result.stderr.splitlines()
    assert "nothing was written" in lines[0]
    assert (
        "  row 4, column grade: 'S' is not a grade of 2026 (allowed: 가, 나, 다, 라, 마)" in lines
    )
    assert "  row 4, column source_url: '통영신문 기사' is not an http(s) URL" in lines
    assert len(lines) == 3
    assert sqlite_dump(db_file) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("garbage.xlsx", b"PK\x03\x04\x00\x00garbage", "garbage.xlsx: not a readable XLSX"),
        ("legacy.csv", b"year,agency\n2026,\x80\x80\n", "neither UTF-8 nor CP949"),
    ],
)
def test_unreadable_files_are_refused_cleanly(
    tmp_path: Path, db_file: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = sqlite_dump(db_file)
    result = run(tmp_path, url_of(db_file), "ingest", str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert_no_traceback(result)
    assert sqlite_dump(db_file) == before


def test_dry_run_then_ingest_then_publish(tmp_path: Path, db_file: Path) -> None:
    url = url_of(db_file)
    path = results_csv(tmp_path / "2026.csv", new_year_rows())
    before = sqlite_dump(db_file)

    dry = run(tmp_path, url, "ingest", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would load 2 rows — 2 new, 0 updated, 0 unchanged" in dry.stdout
    assert "2026" in dry.stdout
    assert sqlite_dump(db_file) == before

    real = run(tmp_path, url, "ingest", str(path))
    assert real.returncode == 0, real.stderr
    assert "loaded 2 rows — 2 new" in real.stdout
    assert "draft" in real.stdout

    again = run(tmp_path, url, "ingest", str(path))
    assert "0 new, 0 updated, 2 unchanged" in again.stdout
    assert "draft" not in again.stdout

    public = run(tmp_path, url, "ask", "김해시 2026")
    admin = run(tmp_path, url, "ask", "김해시 2026", "--drafts")
    assert "2026년 가" not in public.stdout
    assert "2026년 가" in admin.stdout

    published = run(tmp_path, url, "publish", "2026")
    assert published.returncode == 0, published.stderr
    assert "2026 published: 2 results" in published.stdout
    twice = run(tmp_path, url, "publish", "2026")
    assert twice.returncode == 0
    assert "already published" in twice.stdout


def test_publishing_an_unknown_year_is_a_clean_error(tmp_path: Path, db_file: Path) -> None:
    before = sqlite_dump(db_file)
    result = run(tmp_path, url_of(db_file), "publish", "2099")
    assert result.returncode == 1
    assert result.stderr.strip() == "2099 is not in the database; ingest its results first"
    assert_no_traceback(result)
    assert sqlite_dump(db_file) == before


def test_an_unreachable_database_is_a_short_message(tmp_path: Path) -> None:
    result = run(tmp_path, "postgresql+asyncpg://postgres@127.0.0.1:1/x", "ask", QUESTION)
    assert result.returncode != 0
    assert_no_traceback(result)
    assert "database is unavailable" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "database_url", ["not a url", "sqlite:///plain-sync-driver.db", "nosuchdb://x/y"]
)
def test_an_unusable_database_url_is_a_settings_error(tmp_path: Path, database_url: str) -> None:
    result = run(tmp_path, database_url, "ask", QUESTION)
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "DATABASE_URL" in result.stderr
    assert "postgresql+asyncpg://" in result.stderr


# --- in-process, through typer's CliRunner (no subprocess needed) ---


def invoke(database_url: str, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(app, list(args), env={"DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_the_commands() -> None:
    code, out, _ = invoke("sqlite+aiosqlite:///unused.db", "--help")
    assert code == 0
    for name in ("ask", "console", "ingest", "publish", "run"):
        assert name in out


def test_a_missing_file_is_refused(tmp_path: Path, db_file: Path) -> None:
    code, _, err = invoke(url_of(db_file), "ingest", str(tmp_path / "nowhere.csv"))
    assert code == 1
    assert "nowhere.csv: no such file" in err


def test_long_error_lines_are_never_wrapped(tmp_path: Path, db_file: Path) -> None:
    rows = [{**new_year_rows()[0], "source_url": "기사 " * 30}]
    path = results_csv(tmp_path / "long.csv", rows)
    code, _, err = invoke(url_of(db_file), "ingest", str(path))
    assert code == 1
    [line] = [line for line in err.splitlines() if line.startswith("  row ")]
    assert line.startswith("  row 2, column source_url: '기사 기사")
    assert line.endswith("is not an http(s) URL")


def test_a_year_that_is_not_a_number_is_a_usage_error(db_file: Path) -> None:
    code, _, _ = invoke(url_of(db_file), "publish", "올해")
    assert code == 2
