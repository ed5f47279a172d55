"""`minwon-bot ingest` against the agency catalog, as an operator runs it: a misspelt name
is refused with a suggestion and no traceback; --new-agencies adds a genuinely new agency
and says which; then `ask` knows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_cli import assert_no_traceback, results_csv, run, sqlite_dump, url_of

BASE = {
    "year": 2026,
    "region": "전남",
    "agency_type": "기초자치단체",
    "group": "기초-군",
    "grade": "다",
    "source_url": "https://example.org/minwon/2026",
}


@pytest.fixture
def db_file(tmp_path: Path, bundled_sqlite: Path) -> Path:
    path = tmp_path / "minwon.db"
    shutil.copy(bundled_sqlite, path)
    return path


def test_unknown_names_are_refused_until_the_operator_adds_them(
    tmp_path: Path, db_file: Path
) -> None:
    url = url_of(db_file)
    before = sqlite_dump(db_file)
    typo = results_csv(
        tmp_path / "typo.csv", [{**BASE, "agency": "김헤시", "region": "경남", "group": "기초-시"}]
    )
    refused = run(tmp_path, url, "ingest", str(typo))
    assert refused.returncode == 1
    assert "unknown agency '김헤시' — did you mean 김해시" in refused.stdout + refused.stderr
    assert_no_traceback(refused)
    new = results_csv(tmp_path / "new.csv", [{**BASE, "agency": "새빛군"}])  # fictional
    assert run(tmp_path, url, "ingest", str(new)).returncode == 1
    assert sqlite_dump(db_file) == before
    added = run(tmp_path, url, "ingest", str(new), "--new-agencies")
    assert added.returncode == 0, added.stderr
    assert "1 new agencies (전남 새빛군)" in added.stdout
    asked = run(tmp_path, url, "ask", "새빛군 2026", "--drafts")
    assert "새빛군" in asked.stdout and "2026년 다" in asked.stdout, asked.stdout
