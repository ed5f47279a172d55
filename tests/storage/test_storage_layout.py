"""The storage package's shape: its row checks, reports and payloads need no session
(cycles and floors for every package: tests/test_architecture.py)."""

from __future__ import annotations

from pathlib import Path

from layers import imported

STORAGE = Path(__file__).resolve().parents[2] / "storage"
PURE = ("validation", "score_cells", "records", "reports", "payloads")


def test_row_checks_reports_and_payloads_use_no_database_session() -> None:
    for stem in PURE:
        names = imported(STORAGE / f"{stem}.py")
        assert not [name for name in names if name.startswith("sqlalchemy")], stem
