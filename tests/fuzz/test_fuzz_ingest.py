"""Ingest with mangled files, on SQLite and PostgreSQL: a valid results file (CSV and XLSX,
shaped like real rows) truncated, bit-flipped, with columns dropped, doubled or shuffled,
NULs and BOMs mid-file, other encodings, broken zip entries... Each one either loads whole
(loading it again changes nothing) or is refused with ``IngestRefused`` — never another
exception — and a refused file leaves every table byte-for-byte as it was."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from minwon_fuzzkit import NEW_YEAR, FileMangler, Mangled, base_rows, csv_bytes, dump, xlsx_bytes

from storage.db import Database
from storage.ingest import IngestRefused, ingest_file

SEED = 7_005
RANDOM_FILES = 60


async def _check(db: Database, mangled: Mangled, path: Path) -> tuple[str, str | None]:
    """('loaded' | 'refused', problem or None) for one file."""
    path.write_bytes(mangled.data)
    before = await dump(db)
    try:
        report = await ingest_file(db, path, actor="fuzz")
    except IngestRefused as exc:
        after = await dump(db)
        changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
        if changed:
            return "refused", f"refused but tables changed: {changed}"
        if not exc.errors or not all(isinstance(e, str) and e.strip() for e in exc.errors):
            return "refused", f"refused without a reason: {exc.errors!r}"
        return "refused", None
    except Exception as exc:  # the finding: anything but IngestRefused
        return "crashed", f"{exc.__class__.__name__}: {str(exc)[:300]}"
    if report.rows < 1:
        return "loaded", f"loaded {report.rows} rows"
    again = await ingest_file(db, path, actor="fuzz")
    if again.inserted or again.updated or again.unchanged != report.rows:
        return "loaded", f"not loaded whole: first {report.summary()}; again {again.summary()}"
    return "loaded", None


async def _run(
    db: Database, files: list[Mangled], tmp_path: Path
) -> tuple[Counter[str], list[str]]:
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    for index, mangled in enumerate(files):
        outcome, problem = await _check(db, mangled, tmp_path / f"{index:03d}-{mangled.name}")
        outcomes[outcome] += 1
        if problem:
            failures.append(f"#{index} [{mangled.label}] {outcome}: {problem}")
    return outcomes, failures


async def test_the_unmangled_files_load(loaded_db: Database, tmp_path: Path) -> None:
    """The starting point is valid, so a refusal below is the mangling's doing."""
    for name, data in (("ok.csv", csv_bytes(base_rows())), ("ok.xlsx", xlsx_bytes(base_rows()))):
        path = tmp_path / name
        path.write_bytes(data)
        report = await ingest_file(loaded_db, path, actor="fuzz")
        assert report.rows == len(base_rows()), report.summary()
    assert report.new_years == [] and report.unchanged == len(base_rows())  # the second file


async def test_random_mangled_files_load_whole_or_are_refused_cleanly(
    loaded_db: Database, tmp_path: Path
) -> None:
    mangler = FileMangler(SEED)
    files = [mangler.one() for _ in range(RANDOM_FILES)]
    outcomes, failures = await _run(loaded_db, files, tmp_path)
    assert not failures, f"{len(failures)} of {len(files)} files went wrong:\n" + "\n".join(
        failures[:20]
    )
    # The mangling is neither too gentle nor too rough: both outcomes happen.
    assert outcomes["refused"] >= RANDOM_FILES // 3, outcomes
    assert outcomes["loaded"] >= 5, outcomes


async def test_targeted_mangled_files_load_whole_or_are_refused_cleanly(
    loaded_db: Database, tmp_path: Path
) -> None:
    files = FileMangler(SEED).targeted()
    outcomes, failures = await _run(loaded_db, files, tmp_path)
    assert not failures, "\n".join(failures)
    assert outcomes["refused"] >= 8 and outcomes["loaded"] >= 3, outcomes


async def test_a_long_new_agency_name_loads_or_is_refused(
    loaded_db: Database, tmp_path: Path
) -> None:
    """The name check lets 60 characters through; the agency's romanized alias is then
    longer than the 100 characters ``agency_aliases.alias`` holds."""
    rows = base_rows()
    long_name = ("가나다라마바사아자차카타파하" * 5)[:57] + "군"
    rows[2][1] = long_name  # the 의령군 row: 기초-군, 경남
    mangled = Mangled(f"new agency {long_name}", "results.csv", csv_bytes(rows))
    outcome, problem = await _check(loaded_db, mangled, tmp_path / "long.csv")
    assert problem is None, f"{outcome}: {problem}"
    assert NEW_YEAR == 2026
