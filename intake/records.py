"""The validated rows an ingest carries from :mod:`intake.validation` to the writers
(:mod:`storage.ingest` for official results, :mod:`storage.scores` for item scores)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.groups import AgencyType


@dataclass(frozen=True)
class ScoreCells:
    """One row's scores, validated: item -> points, the explicit total if any."""

    items: dict[str, float]
    total: float | None
    simulated: bool


@dataclass(frozen=True)
class Record:
    """One validated row, already in canonical form."""

    row: int
    year: int
    name: str  # current official name
    published_name: str  # the name of record that year, from the catalog
    region: str
    agency_type: AgencyType
    group: str | None
    grade: str  # "" only in a score sheet: its grade is computed, not official
    score: float | None
    group_avg: float | None
    item_grades: dict[str, str] | None
    source_url: str
    note: str
    scores: ScoreCells | None = None  # a score sheet's item scores
    more_sources: str | None = None  # other supporting URLs, space-separated
    catalog_key: str | None = None  # the catalog identity (None: an agency outside it)
    new_agency: bool = False  # an agency the operator adds with --new-agencies
    name_note: str = ""  # how a name of another period was read, for the report
    written_name: str = ""  # the agency as the file wrote it (kept in the result's history)
    # The agency's official names in that year (the catalog's): a stored result's name of
    # record is one of them; a former or short name in a file never replaces it.
    year_names: tuple[str, ...] = ()

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.name, self.region, self.agency_type.value)

    @property
    def label(self) -> str:
        """'경남 김해시'; a central agency by its name alone."""
        return f"{self.region} {self.name}" if self.region else self.name


@dataclass(frozen=True)
class GradeChange:
    """A stored result whose grade an ingest changed."""

    agency_id: int
    year: int
    old: str
    new: str
