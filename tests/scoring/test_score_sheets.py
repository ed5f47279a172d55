"""Score sheets through `ingest`: validated whole (row/column errors, nothing written),
stored per item, graded by the engine per (year, group) into computed_grades — apart from
the official results, flagged simulated when so — and loaded twice without a change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scoresheets import (
    COUNTIES,
    HEADER,
    ITEMS,
    URL,
    county_rows,
    csv_text,
    dump,
    engine_frame,
    rules,
    score_row,
    write_sheet,
)
from sqlalchemy import func, select

from scoring import band_counts, grade_table
from storage.db import Database
from storage.ingest import IngestRefused, ingest_bytes, ingest_file
from storage.models import Agency, AuditEntry, ComputedGrade, ItemScore, Result

N = len(COUNTIES)


async def computed(db: Database, year: int = 2023) -> dict[str, ComputedGrade]:
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(Agency, ComputedGrade)
            .join(ComputedGrade, ComputedGrade.agency_id == Agency.id)
            .where(ComputedGrade.year == year)
        )
        return {f"{a.region} {a.name}".strip(): g for a, g in rows.all()}


async def count(db: Database, model: type) -> int:
    async with db.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def official(db: Database, name: str, region: str, year: int) -> Result | None:
    async with db.unit_of_work() as session:
        return await session.scalar(
            select(Result)
            .join(Agency, Agency.id == Result.agency_id)
            .where(Agency.name == name, Agency.region == region, Result.year == year)
        )


# --- good sheets ---


@pytest.mark.parametrize("simulated", [False, True], ids=["real", "simulated"])
async def test_score_sheet_loads_scores_and_computed_grades(
    db: Database, tmp_path: Path, simulated: bool
) -> None:
    rows = county_rows(simulated=simulated)
    report = await ingest_file(db, write_sheet(tmp_path / "scores.csv", rows), actor="test")
    assert report.scores is not None
    assert (report.scores.inserted, report.scores.updated, report.scores.unchanged) == (N, 0, 0)
    assert report.scores.simulated is simulated
    assert (report.inserted, report.updated) == (0, 0)  # no official result from scores
    assert await count(db, Result) == 0
    assert await count(db, ItemScore) == N * len(ITEMS)
    expected = grade_table(engine_frame(rows), rules()).set_index("agency_id")
    got = await computed(db)
    assert set(got) == set(expected.index)
    for agency, row in got.items():
        assert (row.grade, row.rank, row.total, row.group_size) == (
            expected.loc[agency, "grade"],
            expected.loc[agency, "rank"],
            expected.loc[agency, "total"],
            N,
        )
        assert row.simulated is simulated and row.grading_group == "기초-군"
    summary = report.summary()
    assert "계산값/computed" in summary and "kept apart from official results" in summary
    assert ("모의 데이터/simulated" in summary) is simulated
    # a year a real sheet brings is a draft, like results; simulated data brings no year
    assert report.new_years == ([] if simulated else [2023])


async def test_loading_the_same_score_sheet_twice_changes_nothing(
    loaded_db: Database, tmp_path: Path
) -> None:
    path = write_sheet(tmp_path / "scores.csv", county_rows(simulated=True))
    first = await ingest_file(loaded_db, path, actor="test")
    before = await dump(loaded_db)
    again = await ingest_file(loaded_db, path, actor="test")
    assert await dump(loaded_db) == before
    assert again.scores is not None and not again.scores.changed and not again.scores_changed
    assert (again.scores.inserted, again.scores.updated, again.scores.unchanged) == (0, 0, N)
    assert first.scores is not None and first.scores.changed
    async with loaded_db.unit_of_work() as session:
        audits = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "scores_loaded"))
        ).all()
    assert len(audits) == 1


async def test_a_changed_score_updates_and_regrades(loaded_db: Database, tmp_path: Path) -> None:
    rows = county_rows(simulated=True)
    await ingest_file(loaded_db, write_sheet(tmp_path / "a.csv", rows), actor="test")
    rows[-1] = score_row("울릉군", "경북", 30.0, simulated="true", source_url="")  # last -> first
    report = await ingest_file(loaded_db, write_sheet(tmp_path / "a.csv", rows), actor="test")
    assert report.scores is not None
    assert (report.scores.inserted, report.scores.updated, report.scores.unchanged) == (0, 1, N - 1)
    got = await computed(loaded_db)
    assert (got["경북 울릉군"].rank, got["경북 울릉군"].grade) == (1, "가")
    assert got["강원 철원군"].rank == 2


async def test_computed_grades_never_overwrite_official_results(
    loaded_db: Database, tmp_path: Path
) -> None:
    before = await official(loaded_db, "고성군", "경남", 2023)
    assert before is not None and before.grade == "가"
    await ingest_file(loaded_db, write_sheet(tmp_path / "s.csv", county_rows()), actor="test")
    mine = (await computed(loaded_db))["경남 고성군"]
    assert mine.grade != "가"  # rank 4 of 11: 다 by the rule
    after = await official(loaded_db, "고성군", "경남", 2023)
    assert after is not None and after.grade == "가" and after.updated_at == before.updated_at


async def test_sheet_with_grades_and_scores_writes_both_apart(db: Database, tmp_path: Path) -> None:
    rows = [dict(r, grade="다") for r in county_rows()]
    rows[3]["grade"] = "가"  # 경남 고성군's official grade differs from its computed one
    report = await ingest_file(
        db, write_sheet(tmp_path / "s.csv", rows, (*HEADER, "grade")), actor="test"
    )
    assert report.inserted == N and report.scores is not None
    assert report.scores.differ[2023][1] == N  # every official grade was compared
    result = await official(db, "고성군", "경남", 2023)
    assert result is not None and result.grade == "가"
    assert (await computed(db))["경남 고성군"].grade == "다"


async def test_a_real_sheet_replaces_simulated_scores(loaded_db: Database, tmp_path: Path) -> None:
    await ingest_file(
        loaded_db, write_sheet(tmp_path / "sim.csv", county_rows(simulated=True)), actor="t"
    )
    real = county_rows()[:5]
    report = await ingest_file(loaded_db, write_sheet(tmp_path / "real.csv", real), actor="t")
    assert report.scores is not None and report.scores.replaced_simulated == N
    got = await computed(loaded_db)
    assert len(got) == 5 and not any(g.simulated for g in got.values())
    assert {g.group_size for g in got.values()} == {5}
    assert await count(loaded_db, ItemScore) == 5 * len(ITEMS)


async def test_korean_and_alias_headers_and_total(db: Database, tmp_path: Path) -> None:
    header = (
        "연도",
        "기관명",
        "시도",
        "기관유형",
        "평가군",
        "민원행정 전략 및 체계",
        "민원제도운영",
        "국민신문고",
        "고충민원",
        "민원 만족도",
        "합계",
        "모의",
    )
    lines = [
        [2023, name, region, "기초", "기초-군", *(20, 15, 15, 15, sat), "", "예"]
        for name, region, sat in COUNTIES[:4]
    ]
    lines[0][10] = 99  # an explicit total wins over the item sum
    path = tmp_path / "점수.csv"
    path.write_text(
        "\n".join(",".join(map(str, row)) for row in [header, *lines]) + "\n", encoding="utf-8"
    )
    report = await ingest_file(db, path, actor="test")
    assert report.scores is not None and report.scores.inserted == 4 and report.scores.simulated
    got = await computed(db)
    assert got["강원 철원군"].total == 99 and got["경남 하동군"].total == 84.5


async def test_xlsx_score_sheet_loads(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "scores.xlsx"
    pd.DataFrame(county_rows(), columns=list(HEADER)).to_excel(path, index=False)
    report = await ingest_file(db, path, actor="test")
    assert report.scores is not None and report.scores.inserted == N


async def test_dry_run_writes_nothing(loaded_db: Database, tmp_path: Path) -> None:
    before = await dump(loaded_db)
    path = write_sheet(tmp_path / "s.csv", county_rows(simulated=True))
    report = await ingest_file(loaded_db, path, actor="test", dry_run=True)
    assert report.scores is not None and report.scores.inserted == N
    assert await dump(loaded_db) == before


async def test_slack_upload_path_reads_score_sheets(db: Database) -> None:
    data = csv_text(county_rows(simulated=True)).encode()
    report = await ingest_bytes(db, data, name="scores.csv", actor="test", dry_run=True)
    assert report.scores_changed and not report.changed  # the preview offers to load it


# --- band counts: a sheet for a year yields what the rule predicts ---


def identities(year: int) -> pd.DataFrame:
    from importlib import resources

    with resources.files("storage.bundled").joinpath("grades.csv").open("rb") as file:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    return frame[frame["year"] == str(year)].reset_index(drop=True)


@pytest.mark.parametrize("year", [2020, 2023])  # 2020 rounds down (floor), 2023 half-up
async def test_band_counts_follow_the_rule_on_the_sheets_group_sizes(
    db: Database, tmp_path: Path, year: int
) -> None:
    agencies = identities(year)
    rows = [
        score_row(
            a.agency,
            a.region,
            0.0,
            year=year,
            group=a.group,
            agency_type=a.agency_type,
            items=(10 + i * 0.01, 10, 10, 10, 10),
        )
        for i, a in enumerate(agencies.itertuples())
    ]
    await ingest_file(db, write_sheet(tmp_path / "s.csv", rows), actor="test")
    grades = pd.DataFrame(
        [(g.grading_group, g.grade) for g in (await computed(db, year)).values()],
        columns=["group", "grade"],
    )
    sizes = agencies["group"].value_counts()
    assert len(grades) == len(agencies)
    for group, n in sizes.items():
        got = grades[grades["group"] == group]["grade"].value_counts().to_dict()
        expected = {g: c for g, c in band_counts(int(n), rules(year)).items() if c}
        assert got == expected, (group, n)


# --- bad sheets: refused whole, every problem by row and column, nothing written ---

BAD = {
    "non-numeric": (
        lambda rows: rows[2].update({"만족도": "abc"}),
        "row 4, column 만족도: 'abc' is not a number",
    ),
    "negative": (
        lambda rows: rows[0].update({"전략체계": "-1"}),
        "row 2, column 전략체계: -1 is negative",
    ),
    "over 100": (
        lambda rows: rows[0].update({"고충민원": "101"}),
        "row 2, column 고충민원: 101 is over 100",
    ),
    "blank item cell": (
        lambda rows: rows[5].update({"제도운영": ""}),
        "row 7, column 제도운영: missing",
    ),
    "duplicate": (
        lambda rows: rows.append(dict(rows[0])),
        f"row {N + 2}, column agency: duplicate of row 2",
    ),
    "bad simulated flag": (
        lambda rows: rows[1].update({"simulated": "maybe"}),
        "row 3, column simulated: 'maybe' is not true/false",
    ),
    "real and simulated in one year": (
        lambda rows: rows[1].update({"simulated": "true"}),
        "row 3, column simulated: row 2 gives 2023 real (not simulated) scores",
    ),
    "official row without source": (
        lambda rows: rows[4].update({"source_url": ""}),
        "row 6, column source_url: missing",
    ),
    "a year with no relative grading": (
        lambda rows: rows[0].update({"year": 2017, "group": ""}),
        "row 2, column year: 2017 was not graded 가–마",
    ),
    "total not a number": (
        lambda rows: rows[0].update({"total": "x"}),
        "row 2, column total: 'x' is not a number",
    ),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
async def test_bad_score_sheet_is_refused_whole(
    loaded_db: Database, tmp_path: Path, case: tuple
) -> None:
    change, expected = case
    rows = county_rows()
    change(rows)
    header = (*HEADER, "total") if any("total" in r for r in rows) else HEADER
    before = await dump(loaded_db)
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(loaded_db, write_sheet(tmp_path / "bad.csv", rows, header), actor="t")
    assert any(e.startswith(expected) for e in refused.value.errors), refused.value.errors
    assert await dump(loaded_db) == before


async def test_missing_item_column_is_refused(loaded_db: Database, tmp_path: Path) -> None:
    header = tuple(c for c in HEADER if c != "만족도")
    before = await dump(loaded_db)
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(
            loaded_db, write_sheet(tmp_path / "bad.csv", county_rows(), header), actor="t"
        )
    assert refused.value.errors[0].startswith("row 1, column 만족도: missing")
    assert len(refused.value.errors) == 1  # said once, not once per row
    assert await dump(loaded_db) == before


async def test_simulated_sheet_is_refused_where_real_scores_exist(
    loaded_db: Database, tmp_path: Path
) -> None:
    await ingest_file(loaded_db, write_sheet(tmp_path / "real.csv", county_rows()), actor="t")
    before = await dump(loaded_db)
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(
            loaded_db, write_sheet(tmp_path / "sim.csv", county_rows(simulated=True)), actor="t"
        )
    assert refused.value.errors == [
        "row 2, column simulated: 2023 already holds real scores; simulated scores would be "
        "mixed with them"
    ]
    assert await dump(loaded_db) == before


async def test_simulated_row_cannot_carry_an_official_grade(
    loaded_db: Database, tmp_path: Path
) -> None:
    rows = [dict(r, grade="가") for r in county_rows(simulated=True)]
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(
            loaded_db, write_sheet(tmp_path / "s.csv", rows, (*HEADER, "grade")), actor="t"
        )
    assert (
        "row 2, column grade: a simulated row cannot carry an official grade"
        in refused.value.errors[0]
    )


async def test_results_sheet_still_needs_grade_and_source(db: Database, tmp_path: Path) -> None:
    """Without score columns nothing is relaxed: a results sheet needs its grade."""
    header = ("year", "agency", "region", "agency_type", "group", "grade", "source_url")
    path = tmp_path / "r.csv"
    path.write_text(",".join(header) + "\n2023,고성군,경남,기초자치단체,기초-군,," + URL + "\n")
    with pytest.raises(IngestRefused) as refused:
        await ingest_file(db, path, actor="t")
    assert refused.value.errors == ["row 2, column grade: missing"]
