"""examples/: the synthetic score sheet is what its script writes (fixed seed), simulated on
every row, for exactly the agencies with a 2023 row in the bundled data; loaded, it yields
the rule's band counts, mostly the official grades, and answers labelled simulated."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from answers.presentation.plain import to_text
from answers.service import Answerer
from domain.years import year_config
from scoring import band_counts, rules_from_mapping
from storage.ingest import ingest_file

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "examples" / "synthetic-scores-2023-SIMULATED.csv"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_synthetic_scores", ROOT / "examples" / "make_synthetic_scores.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_sheet_is_what_the_script_writes(script: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "again.csv"
    sheet = script.synthetic(script.official_rows())
    out.write_text(sheet.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    assert out.read_bytes() == SHEET.read_bytes()


def test_sheet_is_simulated_and_covers_the_2023_agencies(script: ModuleType) -> None:
    assert "SIMULATED" in SHEET.name
    with SHEET.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows and all(row["simulated"] == "true" for row in rows)
    identity = ["year", "agency", "region", "agency_type", "group"]
    official = script.official_rows()[identity]
    assert sorted(tuple(r[c] for c in identity) for r in rows) == sorted(
        official.itertuples(index=False, name=None)
    )


async def test_loaded_example_grades_by_the_rule_and_mostly_agree(
    answerer: Answerer, script: ModuleType
) -> None:
    report = await ingest_file(answerer.data.db, SHEET, actor="test")
    assert report.scores is not None and report.scores.simulated
    rules = rules_from_mapping(year_config(2023).scoring_rules())
    sizes = pd.read_csv(SHEET, dtype=str)["group"].value_counts()
    assert report.scores.computed[2023] == {g: int(n) for g, n in sorted(sizes.items())}
    differ, of = report.scores.differ[2023]
    assert of == len(script.official_rows()) and differ < of / 2  # mostly agree
    answer = await answerer.answer("고성군 2023 만족도 +5점이면?")
    assert answer.has_data and answer.title.startswith("[모의 데이터]")
    assert "모의 데이터" in to_text(answer)
    cut = to_text(await answerer.answer("2023 기초-군 커트라인"))
    for grade, count in band_counts(int(sizes["기초-군"]), rules).items():
        assert f"• {grade} {count}곳" in cut
