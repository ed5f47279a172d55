"""Helpers for the storage tests: small results files written into ``tmp_path`` and a dump
of every table, to prove that a refused file wrote nothing.

Imported by the test modules (tests/conftest.py puts this folder on ``sys.path``).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dbdump import csv_text as shared_csv_text
from dbdump import dump  # noqa: F401  (re-exported for the tests)
from sqlalchemy import func, select

from intake.sheets import COLUMNS
from storage.db import Database
from storage.models import Agency, AuditEntry, EvaluationYear, Result

# A year the bundled data does not have yet, and not in the future (the 2025 results are bundled).
NEW_YEAR = 2026
URL = "https://example.org/minwon/2026/results"
MORE_SOURCES = "https://example.org/a https://example.org/b"

Cells = Mapping[str, object]
BUNDLED_CSV = Path(__file__).resolve().parents[1] / "storage" / "bundled" / "grades.csv"


def bundled_rows() -> int:
    """How many results the bundled grades.csv holds (one per line after the header)."""
    with BUNDLED_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def row(**cells: object) -> dict[str, object]:
    """A valid results row for a new year (경남 김해시, 가), with ``cells`` changed."""
    base: dict[str, object] = {
        "year": NEW_YEAR,
        "agency": "김해시",
        "region": "경남",
        "agency_type": "기초자치단체",
        "group": "기초-시",
        "grade": "가",
        "score": "",
        "group_avg": "",
        "item_grades": "",
        "source_url": URL,
        "note": "",
        "more_sources": "",
    }
    base.update(cells)
    return base


def good_rows() -> list[dict[str, object]]:
    """Three valid rows of the new year for agencies the bundled data knows (so a load
    inserts three results and a draft year)."""
    return [
        row(),
        row(agency="양산시", grade="나", score="88.5", group_avg="84.1", more_sources=MORE_SOURCES),
        row(
            agency="의령군",
            group="기초-군",
            grade="다",
            item_grades="전략체계=다;제도운영=라;국민신문고=다;고충민원=다;만족도=가",
        ),
    ]


def csv_text(rows: Sequence[Mapping[str, object]], header: Sequence[str] = COLUMNS) -> str:
    return shared_csv_text(rows, header)


def write_csv(
    path: Path,
    rows: Sequence[Cells],
    *,
    header: Sequence[str] = COLUMNS,
    encoding: str = "utf-8",
) -> Path:
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str]) -> Path:
    """An XLSX workbook written with openpyxl, cells typed as given (ints stay numbers)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    book.save(path)
    return path


async def count(db: Database, model: Any) -> int:
    async with db.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def counts(db: Database) -> dict[str, int]:
    return {
        "results": await count(db, Result),
        "agencies": await count(db, Agency),
        "audit": await count(db, AuditEntry),
        "years": await count(db, EvaluationYear),
    }


async def result_of(db: Database, name: str, region: str, year: int) -> Result | None:
    async with db.unit_of_work() as session:
        return await session.scalar(
            select(Result)
            .join(Agency, Agency.id == Result.agency_id)
            .where(Agency.name == name, Agency.region == region, Result.year == year)
        )


async def audit_entries(db: Database, action: str | None = None) -> list[AuditEntry]:
    async with db.unit_of_work() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return list((await session.scalars(query)).all())
