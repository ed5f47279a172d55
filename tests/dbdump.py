"""Shared by the storage, score-sheet and fuzz tests: a dump of every table, to prove that a
refused or repeated file wrote nothing, and CSV text built from rows of cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from sqlalchemy import inspect, text

from storage.db import Database


async def dump(db: Database) -> dict[str, list[str]]:
    """Every row of every table (alembic_version included), in a stable order."""
    async with db.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: sorted(inspect(sync).get_table_names()))
        out: dict[str, list[str]] = {}
        for name in names:
            rows = (await conn.execute(text(f'SELECT * FROM "{name}"'))).all()
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out


def csv_text(rows: Sequence[Mapping[str, object]], header: Sequence[str]) -> str:
    """A CSV with ``header`` and one line per row (missing or None cells empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow(["" if cells.get(c) is None else str(cells.get(c, "")) for c in header])
    return out.getvalue()
