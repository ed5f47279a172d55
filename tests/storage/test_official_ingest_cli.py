"""`minwon-bot ingest` of an official table and `minwon-bot coverage`, as an operator runs
them: the real console script in a subprocess, on a copy of the bundled SQLite data."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import official_kit as fx
import pytest

SCRIPT = Path(sys.executable).parent / "minwon-bot"
CORRECTION = [
    ["구분", "가", "나", "다", "라", "마"],
    ["군", "", "고성군(경남)", "", "", ""],
]


def run(tmp_path: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_", "ANNOUNCE_", "ADMIN_", "MINWON_"))
    }
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=90,
        check=False,
    )


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def db_file(tmp_path: Path, bundled_sqlite: Path) -> Path:
    path = tmp_path / "minwon.db"
    shutil.copy(bundled_sqlite, path)
    return path


def test_dry_run_of_a_table_shows_the_change_and_writes_nothing(
    tmp_path: Path, db_file: Path
) -> None:
    table = tmp_path / "정정.csv"
    table.write_bytes(fx.csv_bytes(CORRECTION))
    before = dump(db_file)
    missing = run(tmp_path, db_file, "ingest", str(table), "--dry-run")
    assert (
        missing.returncode == 1 and "--year" in missing.stderr and "Traceback" not in missing.stderr
    )
    source = "https://example.org/2023/correction"
    dry = run(
        tmp_path, db_file, "ingest", str(table), "--dry-run", "--year", "2023", "--source", source
    )
    assert dry.returncode == 0, dry.stderr
    assert "would load 1 rows — 0 new, 1 updated, 0 unchanged" in dry.stdout
    assert "• 2023 경남 고성군: 가 → 나; 출처 바뀜" in dry.stdout
    assert "공개된 2023년" in dry.stdout
    assert dump(db_file) == before


def test_coverage_prints_a_year_by_group(tmp_path: Path, db_file: Path) -> None:
    result = run(tmp_path, db_file, "coverage", "2024")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "데이터 현황 2024"
    assert any(line.startswith("2024  기초-시  ") and "/75" in line for line in lines)
    assert "None" not in result.stdout
