"""An in-memory index of agencies and every way to write them, for the parser.

Built from storage once per data version; the parser reads it and stays a pure function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from domain.groups import AgencyType
from domain.regions import REGION_NAMES, REGION_ROMAN
from domain.text import compact, jamo, romanize

FUZZY_CUTOFF = 80.0
FUZZY_TIE = 3.0  # candidates this close to the best are all offered


@dataclass(frozen=True)
class AgencyRef:
    id: int
    name: str
    region: str
    agency_type: str
    group: str | None

    def label(self) -> str:
        """'경남 고성군': 기초 names need their region; 서울특별시 and ministries do not."""
        return f"{self.region} {self.name}" if self.agency_type == AgencyType.LOCAL else self.name


@dataclass
class Catalog:
    agencies: dict[int, AgencyRef]
    terms: dict[str, tuple[int, ...]]  # compact name or alias -> agency ids
    regions: dict[str, str] = field(default_factory=dict)  # compact region word -> abbreviation
    longest: int = 0  # the longest name or alias, so a run of text is never searched past it
    _fuzzy_keys: list[str] = field(default_factory=list)
    _fuzzy_terms: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, agencies: Iterable[AgencyRef], aliases: Iterable[tuple[int, str]]) -> Catalog:
        refs = {agency.id: agency for agency in agencies}
        terms: dict[str, set[int]] = {}
        for agency in refs.values():
            terms.setdefault(compact(agency.name), set()).add(agency.id)
        for agency_id, alias in aliases:
            if agency_id in refs:
                terms.setdefault(compact(alias), set()).add(agency_id)
        catalog = cls(refs, {key: tuple(sorted(ids)) for key, ids in terms.items() if key})
        catalog.regions = _region_words()
        catalog._romanize_region_names()
        catalog.longest = max(map(len, [*catalog.terms, *catalog.regions]), default=0)
        catalog._fuzzy_terms = list(catalog.terms)
        catalog._fuzzy_keys = [jamo(term) for term in catalog._fuzzy_terms]
        return catalog

    def _romanize_region_names(self) -> None:
        """'Gyeongsangnam-do', 'Gangwon-do' are to an English question what 경상남도 and
        강원도 are to a Korean one: the region, or the province's own agency."""
        for word, region in list(self.regions.items()):
            roman = romanize(word)
            self.regions.setdefault(roman, region)
            if word in self.terms:
                self.terms.setdefault(roman, self.terms[word])

    def lookup(self, word: str) -> tuple[int, ...]:
        return self.terms.get(compact(word), ())

    def fuzzy(self, word: str) -> tuple[int, ...]:
        """Agencies whose name or alias is within a typo or two of ``word`` (jamo-aware)."""
        key = jamo(compact(word))
        if len(key) < 4:
            return ()
        found = process.extract(
            key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
        )
        if not found:
            return ()
        best = found[0][1]
        ids: set[int] = set()
        for _, score, index in found:
            if score >= best - FUZZY_TIE:
                ids.update(self.terms[self._fuzzy_terms[index]])
        return tuple(sorted(ids))

    def in_region(self, ids: Iterable[int], regions: Iterable[str]) -> tuple[int, ...]:
        wanted = set(regions)
        return tuple(i for i in ids if self.agencies[i].region in wanted)

    def agencies_of(self, region: str, agency_type: str) -> tuple[int, ...]:
        return tuple(
            a.id
            for a in self.agencies.values()
            if a.region == region and a.agency_type == agency_type
        )


def _region_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for abbr, names in REGION_NAMES.items():
        words[abbr] = abbr
        words[REGION_ROMAN[abbr]] = abbr
        for name in names:
            words[compact(name)] = abbr
        if names[0].endswith("도"):  # '경남도' is written as often as '경상남도'
            words.setdefault(f"{abbr}도", abbr)
    return words
