"""Light read-only rows for answering: plain slotted dataclasses, cheap to hold in memory
for the whole dataset (an ORM instance costs several times more)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Result


@dataclass(frozen=True, slots=True)
class ResultView:
    agency_id: int
    year: int
    scale: str
    grade: str
    published_name: str
    grading_group: str | None
    score: float | None
    group_avg: float | None
    item_grades: dict[str, str] | None
    source_url: str
    note: str


VIEW_COLUMNS = (
    Result.agency_id, Result.year, Result.scale, Result.grade, Result.published_name, Result.grading_group,
    Result.score, Result.group_avg, Result.item_grades, Result.source_url, Result.note,
)  # fmt: skip


async def list_result_views(session: AsyncSession) -> Sequence[ResultView]:
    """Every result, drafts included (callers filter by what the viewer may see)."""
    rows = await session.execute(select(*VIEW_COLUMNS).order_by(Result.year, Result.id))
    return [ResultView(*row) for row in rows]
