"""Small score sheets for the score-sheet, what-if and cut-off tests, and the engine frame
the same rows make (so a test can call the engine directly and compare).

Imported by tests in tests/scoring and tests/answers (tests/conftest.py puts this folder on
``sys.path``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from dbdump import csv_text as shared_csv_text
from dbdump import dump  # noqa: F401  (re-exported for the tests)

from domain.years import year_config
from scoring import GradingRules, rules_from_mapping

ITEMS = ("전략체계", "제도운영", "국민신문고", "고충민원", "만족도")
IDENTITY = ("year", "agency", "region", "agency_type", "group")
HEADER = (*IDENTITY, *ITEMS, "simulated", "source_url")
URL = "https://example.org/minwon/2023/scores"

# 11 real 2023 기초-군 agencies (2023 rows of grades.csv), 만족도 varied so every total
# differs: 86, 84.5, 83, 82 (경남 고성군), 80.2, 79, 77.5, 76, 74.3, 73, 71.
COUNTIES = (
    ("철원군", "강원", 21.0),
    ("하동군", "경남", 19.5),
    ("예천군", "경북", 18.0),
    ("고성군", "경남", 17.0),
    ("거창군", "경남", 15.2),
    ("고성군", "강원", 14.0),
    ("봉화군", "경북", 12.5),
    ("성주군", "경북", 11.0),
    ("양양군", "강원", 9.3),
    ("인제군", "강원", 8.0),
    ("울릉군", "경북", 6.0),
)
BASE = (20.0, 15.0, 15.0, 15.0)  # the four other items: 65 points


def score_row(
    agency: str,
    region: str,
    satisfaction: float,
    *,
    year: int = 2023,
    group: str = "기초-군",
    agency_type: str = "기초자치단체",
    simulated: str = "",
    source_url: str = URL,
    items: Sequence[object] | None = None,
    **cells: object,
) -> dict[str, object]:
    values = list(items) if items is not None else [*BASE, satisfaction]
    row: dict[str, object] = {
        "year": year,
        "agency": agency,
        "region": region,
        "agency_type": agency_type,
        "group": group,
        **dict(zip(ITEMS, values, strict=True)),
        "simulated": simulated,
        "source_url": source_url,
    }
    row.update(cells)
    return row


def county_rows(*, simulated: bool = False) -> list[dict[str, object]]:
    return [
        score_row(
            name,
            region,
            satisfaction,
            simulated="true" if simulated else "",
            source_url="" if simulated else URL,
        )
        for name, region, satisfaction in COUNTIES
    ]


def csv_text(rows: Sequence[Mapping[str, object]], header: Sequence[str] = HEADER) -> str:
    return shared_csv_text(rows, header)


def write_sheet(
    path: Path, rows: Sequence[Mapping[str, object]], header: Sequence[str] = HEADER
) -> Path:
    path.write_text(csv_text(rows, header), encoding="utf-8")
    return path


def engine_frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    """The rows as the engine's input, agency ids '<region> <name>' (ids do not matter to
    totals, ranks and grades)."""
    frame = pd.DataFrame(
        {
            "agency_id": [f"{r['region']} {r['agency']}".strip() for r in rows],
            "group": [r["group"] for r in rows],
            **{item: [float(str(r[item])) for r in rows] for item in ITEMS},
        }
    )
    return frame


def rules(year: int = 2023) -> GradingRules:
    return rules_from_mapping(year_config(year).scoring_rules())
