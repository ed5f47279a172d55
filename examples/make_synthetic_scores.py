"""Write examples/synthetic-scores-2023-SIMULATED.csv: a SYNTHETIC score sheet (모의 데이터).

Every agency with a 2023 row in storage/bundled/grades.csv gets its real identity columns
and made-up item scores, with ``simulated`` = true on every row. The scores are drawn (fixed
seed, numpy) so that an agency's official 2023 grade sets where it tends to land in its group:
the grades the engine computes from them mostly agree with the official ones, but they are
not real scores and nothing is to be read from them.

The item maxima below (26/18/17/17/22, 100 in all) are an assumption made for this example
only: the real points table is not public (2020: 관리기반 26, 성과 22).

    .venv/bin/python examples/make_synthetic_scores.py           # writes the CSV
    .venv/bin/python examples/make_synthetic_scores.py --check   # and prints the agreement
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
GRADES = ROOT / "storage" / "bundled" / "grades.csv"
OUT = ROOT / "examples" / "synthetic-scores-2023-SIMULATED.csv"
YEAR = 2023
SEED = 2023_0214  # fixed: the same file every run
MAX_POINTS = {
    "전략체계": 26.0,
    "제도운영": 18.0,
    "국민신문고": 17.0,
    "고충민원": 17.0,
    "만족도": 22.0,
}
# Where an official grade tends to sit, as a share of each item's maximum.
LEVEL = {"가": 0.93, "나": 0.85, "다": 0.77, "라": 0.69, "마": 0.61}
AGENCY_SPREAD = 0.02  # how far an agency strays from its grade's level
ITEM_SPREAD = 0.03  # how far one item strays from the agency's level
COLUMNS = ["year", "agency", "region", "agency_type", "group", *MAX_POINTS, "simulated", "note"]
NOTE = "모의 데이터(synthetic): not real scores"


def official_rows() -> pd.DataFrame:
    frame = pd.read_csv(GRADES, dtype=str, keep_default_na=False)
    return frame[frame["year"] == str(YEAR)].reset_index(drop=True)


def synthetic(rows: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = rows["grade"].map(LEVEL).to_numpy(dtype=float)
    agency = np.clip(level + rng.normal(0.0, AGENCY_SPREAD, len(rows)), 0.3, 0.99)
    out = rows[["year", "agency", "region", "agency_type", "group"]].copy()
    for item, maximum in MAX_POINTS.items():
        share = np.clip(agency + rng.normal(0.0, ITEM_SPREAD, len(rows)), 0.2, 1.0)
        out[item] = [f"{value:.2f}" for value in np.round(share * maximum, 2)]
    out["simulated"] = "true"
    out["note"] = NOTE
    return out[COLUMNS]


def agreement(rows: pd.DataFrame, sheet: pd.DataFrame) -> tuple[int, int]:
    """(agree, of): computed grades (engine, 2023 rules, within the sheet) vs official."""
    sys.path.insert(0, str(ROOT))
    from domain.years import year_config
    from scoring import grade_table, rules_from_mapping

    frame = sheet.rename(columns={"agency": "name"}).copy()
    frame["agency_id"] = frame["region"] + " " + frame["name"]
    for item in MAX_POINTS:
        frame[item] = frame[item].astype(float)
    table = grade_table(frame, rules_from_mapping(year_config(YEAR).scoring_rules()))
    agree = int((table["grade"].to_numpy() == rows["grade"].to_numpy()).sum())
    return agree, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="print agreement with official")
    args = parser.parse_args()
    rows = official_rows()
    sheet = synthetic(rows)
    args.out.write_text(sheet.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    print(f"wrote {args.out} ({len(sheet)} rows, SIMULATED)")
    if args.check:
        agree, of = agreement(rows, sheet)
        print(f"computed grade = official grade for {agree} of {of} agencies")


if __name__ == "__main__":
    main()
