"""Checking an official results sheet row by row, before anything is written: pure, no
session. A bad file is refused whole with ``row N, column X: …`` errors (rows numbered as a
spreadsheet shows them, the header being row 1); a good one becomes canonical
:class:`~storage.records.Record` values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from domain.groups import (
    AGENCY_TYPE_WORDS,
    CENTRAL,
    FIRST_GROUPED_YEAR,
    GROUP_EN,
    GROUP_ORDER,
    AgencyType,
    group_of,
    local_group,
)
from domain.items import ITEMS
from domain.regions import REGION_NAMES, region_of_full_name
from domain.text import compact
from storage.models import Agency
from storage.names import SHARED_LOCAL_NAMES, canonical_name, canonical_region, region_allowed
from storage.records import Record
from storage.score_cells import ITEM_WORDS, ScoreCheck
from storage.sheets import Sheet
from storage.yearconfig import MIN_YEAR, year_config

MAX_ERRORS = 200
URL = re.compile(r"^https?://\S+$")
NAME = re.compile(r"^[가-힣A-Za-z0-9·()\- ]{2,60}$")

Problems = list[tuple[str, str]]


class IngestRefused(Exception):
    """The file was refused whole; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s); nothing was written")
        self.errors = errors


@dataclass(frozen=True)
class KnownAgencies:
    """Where each agency name is known to be, and as what type, for the identity checks."""

    regions_by_name: dict[tuple[str, str], set[str]]
    types_by_name: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_agencies(cls, agencies: Iterable[Agency]) -> KnownAgencies:
        found: dict[tuple[str, str], set[str]] = {}
        types: dict[str, set[str]] = {}
        for agency in agencies:
            found.setdefault((agency.name, str(agency.agency_type)), set()).add(agency.region)
            types.setdefault(agency.name, set()).add(str(agency.agency_type))
        return cls(found, types)


def validate(sheet: Sheet, known: KnownAgencies, *, max_year: int | None = None) -> list[Record]:
    """Every row checked; raise :class:`IngestRefused` listing all problems, or return records."""
    max_year = max_year or date.today().year
    errors: list[str] = []
    records: list[Record] = []
    seen: dict[tuple[tuple[str, str, str], int], int] = {}
    placed: dict[tuple[str, str], tuple[str, int]] = {}  # (name, type) -> (region, row)
    typed: dict[str, tuple[str, int]] = {}  # name -> (type, row)
    scores = ScoreCheck.for_sheet(sheet)  # None unless the sheet has score columns
    for number, row in sheet.rows():
        problems: Problems = []
        record = _validate_row(number, row, known, max_year, problems, scores=scores)
        if scores is not None:
            record = scores.check_row(number, row, record, problems)
        if record is not None:
            _check_within_file(record, placed, typed, problems)
        if record is not None and not problems:
            key = (record.identity, record.year)
            if key in seen:
                first = sheet.place_of(seen[key])
                problems.append(("agency", f"duplicate of {first} ({record.name} {record.year})"))
            else:
                seen[key] = number
                records.append(record)
        errors += [f"{sheet.where(number, column)}: {message}" for column, message in problems]
    errors = (scores.header_errors if scores else []) + errors
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = errors[:MAX_ERRORS] + [f"… and {len(errors) - MAX_ERRORS} more problems"]
        raise IngestRefused(errors)
    return records


def _check_within_file(
    record: Record,
    placed: dict[tuple[str, str], tuple[str, int]],
    typed: dict[str, tuple[str, int]],
    problems: Problems,
) -> None:
    """One file cannot put one agency in two regions, or give one name two types."""
    kind, first = typed.setdefault(record.name, (record.agency_type.value, record.row))
    if kind != record.agency_type.value:
        problems.append(
            ("agency_type", f"row {first} of this file gives {record.name} the type {kind}")
        )
        return
    if record.agency_type is not AgencyType.LOCAL or record.name in SHARED_LOCAL_NAMES:
        return
    key = (record.name, record.agency_type.value)
    region, first = placed.setdefault(key, (record.region, record.row))
    if region != record.region:
        problems.append(
            (
                "region",
                f"'{record.region}' contradicts row {first}, which puts {record.name} in {region}",
            )
        )


def _validate_row(
    number: int,
    row: dict[str, str],
    known: KnownAgencies,
    max_year: int,
    problems: Problems,
    *,
    scores: ScoreCheck | None = None,
) -> Record | None:
    year = _year(row["year"], max_year, problems)
    agency_type = _agency_type(row["agency_type"], problems)
    published = row["agency"]
    if not published:
        problems.append(("agency", "missing"))
    elif not NAME.match(published):
        problems.append(("agency", f"'{published[:40]}' does not look like an agency name"))
    region = _region(row["region"], agency_type, problems)
    # Checks that need no year or agency run now, so a row lists every problem at once.
    late: Problems = []
    score = _number(row["score"], "score", late)
    group_avg = _number(row["group_avg"], "group_avg", late)
    url = row["source_url"]
    if not URL.match(url) and not (scores and not url and scores.simulated(row)):
        late.append(("source_url", "missing" if not url else f"'{url[:60]}' is not an http(s) URL"))
    late += [
        ("more_sources", f"'{extra[:60]}' is not an http(s) URL")
        for extra in row["more_sources"].split()
        if not URL.match(extra)
    ]
    if year is None or agency_type is None or region is None or problems:
        problems += late
        return None
    name = canonical_name(published)
    current_region = canonical_region(name, region)
    other_types = known.types_by_name.get(name, set())
    if other_types and agency_type.value not in other_types:
        problems.append(("agency_type", f"{name} is known as {', '.join(sorted(other_types))}"))
        problems += late
        return None
    _check_identity(name, region, current_region, agency_type, year, known, problems)
    group = _group(row["group"], name, agency_type, year, problems)
    config = year_config(year)
    grade = row["grade"]
    if not grade and scores is None:  # a score sheet's grade is computed
        problems.append(("grade", "missing"))
    elif grade and grade not in config.grades:
        problems.append(
            ("grade", f"'{grade}' is not a grade of {year} (allowed: {', '.join(config.grades)})")
        )
    items = _item_grades(row["item_grades"], config.grades, problems)
    problems += late
    if problems:
        return None
    return Record(
        row=number,
        year=year,
        name=name,
        published_name=published,
        region=current_region,
        agency_type=agency_type,
        group=group,
        grade=grade,
        score=score,
        group_avg=group_avg,
        item_grades=items,
        source_url=url,
        note=row["note"],
        more_sources=row["more_sources"] or None,
    )


def _year(text: str, max_year: int, problems: Problems) -> int | None:
    match = re.fullmatch(r"(\d{4})(?:\.0+)?\s*년?", text)
    if not match:
        problems.append(("year", "missing" if not text else f"'{text[:20]}' is not a year"))
        return None
    year = int(match.group(1))
    if not MIN_YEAR <= year <= max_year:
        problems.append(("year", f"{year} is out of range ({MIN_YEAR}–{max_year})"))
        return None
    return year


def _agency_type(text: str, problems: Problems) -> AgencyType | None:
    if not text:
        problems.append(("agency_type", "missing"))
        return None
    found = AGENCY_TYPE_WORDS.get(text.replace(" ", "").lower())
    if found is None:
        allowed = ", ".join(t.value for t in AgencyType)
        problems.append(("agency_type", f"unknown type '{text[:30]}' (allowed: {allowed})"))
    return found


def _region(text: str, agency_type: AgencyType | None, problems: Problems) -> str | None:
    if agency_type is AgencyType.CENTRAL:
        if text:
            problems.append(("region", f"a central agency has no region (got '{text[:20]}')"))
            return None
        return ""
    if not text:
        if agency_type is not None:
            problems.append(("region", f"missing (required for all but {GROUP_EN[CENTRAL]})"))
        return None
    region = region_of_full_name(text.replace(" ", ""))
    if region is None:
        problems.append(("region", f"unknown region '{text[:20]}' (use 서울, 경남, …)"))
    return region


def _check_identity(
    name: str,
    region: str,
    current_region: str,
    agency_type: AgencyType,
    year: int,
    known: KnownAgencies,
    problems: Problems,
) -> None:
    if agency_type in (AgencyType.METROPOLITAN, AgencyType.EDUCATION):
        own = _region_in_name(name)
        if own is None:
            problems.append(("agency", f"'{name}' is not a {agency_type.value} name"))
        elif own != region:
            problems.append(("region", f"'{region}' contradicts {name}, which is in {own}"))
        return
    if agency_type is AgencyType.LOCAL:
        if local_group(name) is None:
            problems.append(("agency", f"a 기초자치단체 name ends in 시, 군 or 구 (got '{name}')"))
            return
        if not region_allowed(name, region, year, current_region):
            problems.append(
                ("region", f"'{region}' is wrong for {name} in {year} (it is in {current_region})")
            )
            return
        if name in SHARED_LOCAL_NAMES:
            return
        places = known.regions_by_name.get((name, agency_type.value), set()) - {current_region}
        if places:
            problems.append(
                (
                    "region",
                    f"'{region}' contradicts {name}'s known region {', '.join(sorted(places))}",
                )
            )


def _region_in_name(name: str) -> str | None:
    for abbr, names in REGION_NAMES.items():
        if any(name.startswith(full) for full in names):
            return abbr
    return None


def _group(
    text: str, name: str, agency_type: AgencyType, year: int, problems: Problems
) -> str | None:
    expected = group_of(agency_type, name)
    if not text:
        return expected if year >= FIRST_GROUPED_YEAR else None
    if text not in GROUP_ORDER:
        allowed = ", ".join(GROUP_ORDER)
        problems.append(("group", f"unknown group '{text[:20]}' (allowed: {allowed})"))
    elif text != expected:
        problems.append(
            ("group", f"'{text}' does not fit {name} ({agency_type.value}): expected {expected}")
        )
    return text


def _number(text: str, column: str, problems: Problems) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append((column, f"'{text[:20]}' is not a number"))
        return None
    if not 0 <= value <= 100:
        problems.append((column, f"{value} is outside 0–100"))
        return None
    return value


def _item_grades(text: str, grades: tuple[str, ...], problems: Problems) -> dict[str, str] | None:
    if not text:
        return None
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, grade = part.partition("=")
        item = ITEM_WORDS.get(compact(key))
        if not sep or item is None:
            problems.append(
                (
                    "item_grades",
                    f"'{part[:30]}' is not item=grade (items: {', '.join(ITEMS)})",
                )
            )
        elif grade.strip() not in grades:
            problems.append(("item_grades", f"'{grade.strip()}' is not a grade ({item})"))
        elif item in found:
            problems.append(("item_grades", f"{item} appears twice"))
        else:
            found[item] = grade.strip()
    return found or None
