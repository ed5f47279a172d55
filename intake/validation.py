"""Checking an official results sheet row by row, before anything is written: pure, no
session. A bad file is refused whole with ``row N, column X: …`` errors (rows numbered as a
spreadsheet shows them, the header being row 1); a good one becomes canonical
:class:`~intake.records.Record` values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.agencies import LAST_CATALOG_YEAR, AgencyCatalog, AgencyIdentity, NameKind
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
from domain.regions import region_in_name, region_of_full_name
from domain.text import compact
from domain.years import MIN_YEAR, year_config
from intake.records import Record
from intake.score_cells import ITEM_WORDS, ScoreCheck
from intake.sheets import Sheet

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
class StoredAgency:
    """An agency the database holds, as plain values."""

    name: str
    region: str
    agency_type: str
    catalog_key: str | None


@dataclass(frozen=True)
class KnownAgencies:
    """The names an ingest accepts: the agency catalog's, in the row's year, and agencies an
    operator added outside the catalog earlier; ``allow_new`` (``--new-agencies``) lets a row
    with a region and type add an agency the catalog lacks."""

    catalog: AgencyCatalog
    added: frozenset[tuple[str, str, str]] = frozenset()  # (name, region, type)
    allow_new: bool = False

    @classmethod
    def from_stored(
        cls, stored: Iterable[StoredAgency], catalog: AgencyCatalog, *, allow_new: bool = False
    ) -> KnownAgencies:
        """What the database holds besides the catalog: agencies added with --new-agencies."""
        added = {
            (agency.name, agency.region, str(agency.agency_type))
            for agency in stored
            if agency.catalog_key is None or catalog.get(agency.catalog_key) is None
        }
        return cls(catalog, frozenset(added), allow_new)


@dataclass(frozen=True)
class _Found:
    """Who a row names: the agency's current name and region, its catalog key, the group
    it belongs to in the row's year, its name of record that year (from the catalog), the
    official names it bore that year, and a note for the report."""

    name: str
    region: str
    key: str | None
    group: str | None
    published: str
    note: str = ""
    new: bool = False
    year_names: tuple[str, ...] = ()


def validate(sheet: Sheet, known: KnownAgencies, *, max_year: int | None = None) -> list[Record]:
    """Every row checked; raise :class:`IngestRefused` listing all problems, or return records."""
    max_year = max_year or date.today().year
    errors: list[str] = []
    records: list[Record] = []
    seen: dict[tuple[tuple[str, str, str], int], int] = {}
    scores = ScoreCheck.for_sheet(sheet)  # None unless the sheet has score columns
    for number, row in sheet.rows():
        problems: Problems = []
        record = _validate_row(number, row, known, max_year, problems, scores=scores)
        if scores is not None:
            record = scores.check_row(number, row, record, problems)
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
    found = _resolve(published, region, agency_type, year, known, problems)
    if found is None:
        problems += late
        return None
    group = _group(row["group"], found.name, found.group, agency_type, year, problems)
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
        name=found.name,
        published_name=found.published,
        region=found.region,
        agency_type=agency_type,
        group=group,
        grade=grade,
        score=score,
        group_avg=group_avg,
        item_grades=items,
        source_url=url,
        note=row["note"],
        more_sources=row["more_sources"] or None,
        catalog_key=found.key,
        new_agency=found.new,
        name_note=found.note,
        written_name=published,
        year_names=found.year_names or (found.published,),
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
    if not text:  # the name alone may tell ('경남 고성군', 김해시); else the resolver says
        return ""
    region = region_of_full_name(text.replace(" ", ""))
    if region is None:
        problems.append(("region", f"unknown region '{text[:20]}' (use 서울, 경남, …)"))
    return region


def _resolve(
    published: str,
    region: str,
    agency_type: AgencyType,
    year: int,
    known: KnownAgencies,
    problems: Problems,
) -> _Found | None:
    """The one agency a row names in its year, or a problem saying why there is none."""
    resolution = known.catalog.resolve(published, year, region or None)
    identity = resolution.agency
    if identity is None and region and not resolution.matches:
        if (published, region, agency_type.value) in known.added:  # an operator's own agency
            return _Found(published, region, None, group_of(agency_type, published), published)
        elsewhere = known.catalog.named_elsewhere(published, year)
        bearers = [i for i in elsewhere if i.agency_type is agency_type]
        if bearers:  # '고성군(전남)': the name exists, not in 전남
            problems.append(("region", _wrong_region(region, bearers, year)))
            return None
        identity = elsewhere[0] if len(elsewhere) == 1 else None
    if identity is not None:
        return _found(published, identity, agency_type, year, resolution.via, problems)
    if resolution.ambiguous:
        labels = ", ".join(i.label(year) for i in resolution.matches)
        problems.append(
            ("agency", f"'{published}' fits several agencies: {labels}; add the region")
        )
    elif resolution.outside_year:
        problems.append(("agency", _outside_year(published, resolution.outside_year, year)))
    elif not region and agency_type is not AgencyType.CENTRAL:
        problems.append(("region", f"missing (required for all but {GROUP_EN[CENTRAL]})"))
    elif (published, region, agency_type.value) in known.added:
        return _Found(published, region, None, group_of(agency_type, published), published)
    elif known.allow_new:
        return _new_agency(published, region, agency_type, problems)
    else:
        problems.append(("agency", _unknown(published, resolution.suggestions, year, region)))
    return None


def _found(
    published: str,
    identity: AgencyIdentity,
    agency_type: AgencyType,
    year: int,
    via: NameKind | None,
    problems: Problems,
) -> _Found | None:
    period = identity.period_in(year)
    if period is None:  # a name of another period: the agency as it was named that year
        period = identity.current
    if period.agency_type is not agency_type:
        problems.append(("agency_type", f"{period.label()} is a {period.agency_type.value}"))
        return None
    note = ""
    if via is NameKind.OTHER_PERIOD:
        note = f"'{published}' is not a {year} name; read as {period.label()}, the same agency"
    year_names = tuple(dict.fromkeys(p.name for p in identity.periods_in(year))) or (period.name,)
    of_record = _official_written(published, year_names) or period.name
    return _Found(
        identity.name,
        identity.region,
        identity.key,
        period.group,
        of_record,
        note,
        year_names=year_names,
    )


def _official_written(published: str, year_names: tuple[str, ...]) -> str | None:
    """The official name of that year the row printed, without its region ('고성군(경남)' ->
    고성군; 기획재정부 for 2025, renamed 재정경제부 before the results came out); None for a
    former, short, English or romanized form: the catalog's name of that year stands, and
    what the file wrote is kept only in the result's history."""
    text = compact(published)
    for name in sorted(year_names, key=len, reverse=True):
        if compact(name) and (text.endswith(compact(name)) or text.startswith(compact(name))):
            return name
    return None


def _new_agency(
    published: str, region: str, agency_type: AgencyType, problems: Problems
) -> _Found | None:
    """An agency the catalog lacks, added on the operator's word (``--new-agencies``)."""
    if agency_type is AgencyType.LOCAL and local_group(published) is None:
        problems.append(("agency", f"a 기초자치단체 name ends in 시, 군 or 구 (got '{published}')"))
        return None
    if agency_type in (AgencyType.METROPOLITAN, AgencyType.EDUCATION):
        own = region_in_name(published)
        if own != region:
            problems.append(("agency", f"'{published}' is not a {agency_type.value} of {region}"))
            return None
    group = group_of(agency_type, published)
    return _Found(published, region, None, group, published, new=True)


def _label(identity: AgencyIdentity, year: int, others: tuple[AgencyIdentity, ...]) -> str:
    name = identity.name_in(year) or identity.name
    same = [i for i in others if (i.name_in(year) or i.name) == name]
    return identity.label(year) if len(same) > 1 else name


def _unknown(
    published: str, suggestions: tuple[AgencyIdentity, ...], year: int, region: str = ""
) -> str:
    message = f"unknown agency '{published[:40]}'"
    if suggestions:
        names = ", ".join(
            i.label(year)
            if region and i.region_in(year) != region
            else _label(i, year, suggestions)
            for i in suggestions
        )
        message += f" — did you mean {names}?"
    return message + NEW_AGENCY_HINT


NEW_AGENCY_HINT = " (a genuinely new agency: load with --new-agencies)"


def _outside_year(published: str, identities: tuple[AgencyIdentity, ...], year: int) -> str:
    spans = "; ".join(f"{i.label()}: {_span(i.years())}" for i in identities)
    return f"'{published}' was not evaluated under that name in {year} ({spans})"


def _span(years: tuple[int, ...]) -> str:
    if not years:
        return "no evaluation year"
    if years[-1] == LAST_CATALOG_YEAR:
        return f"from {years[0]}"
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _wrong_region(region: str, bearers: list[AgencyIdentity], year: int) -> str:
    """'전남' is wrong for 김해시 in 2024 (it is in 경남); for a name several regions share,
    '전남' is wrong for 고성군 in 2025 (고성군 is in 강원 and 경남)."""
    name = bearers[0].name_in(year) or bearers[0].name
    places = list(dict.fromkeys(i.region_in(year) or i.region for i in bearers))
    if len(places) == 1:
        return f"'{region}' is wrong for {name} in {year} (it is in {places[0]})"
    where = ", ".join(places[:-1]) + f" and {places[-1]}"
    return f"'{region}' is wrong for {name} in {year} ({name} is in {where})"


def _group(
    text: str,
    name: str,
    expected: str | None,
    agency_type: AgencyType,
    year: int,
    problems: Problems,
) -> str | None:
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
