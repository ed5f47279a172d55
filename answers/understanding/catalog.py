"""An in-memory index of agencies and every way to write them, for the parser.

Built once per data version from the agency catalog (domain.agencies: every name of every
period, short, English and romanized forms) joined to the stored agencies by catalog key,
plus the stored names of agencies an operator added outside the catalog. The parser reads
it and stays a pure function.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from domain.agencies import (
    FIRST_CATALOG_YEAR,
    LAST_CATALOG_YEAR,
    AgencyCatalog,
    AgencyIdentity,
    NameKind,
)
from domain.groups import LOCAL_SUFFIXES, AgencyType
from domain.regions import REGION_NAMES, REGION_ROMAN
from domain.text import compact, jamo, romanize, typed_forms

FUZZY_CUTOFF = 80.0
FUZZY_TIE = 3.0  # candidates this close to the best are all offered
NAMED_YEARS = range(FIRST_CATALOG_YEAR, LAST_CATALOG_YEAR + 1)
MAX_PHRASE = 8  # words in the longest English name ('Ministry of Agriculture, Food and …')
SUGGESTIONS = 50  # agencies a typeahead offers at most, best first
MIN_INFIX = 2  # letters typed before a name is also searched inside ('수산부' in 해양수산부)
# How a typed text found a name, best first: the whole name, its start, inside it, a typo.
EXACT, PREFIX, INFIX, TYPO = range(4)
PARENS = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<region>[^()\[\]]+)[)\]]\s*$")


@dataclass(frozen=True)
class AgencyRef:
    id: int
    name: str
    region: str
    agency_type: str
    group: str | None
    english: str = ""  # the official English name, from the catalog
    years: frozenset[int] | None = None  # evaluation years its names count for; None: unknown
    regions: tuple[str, ...] = ()  # every region it was in (군위군: 경북, 대구)

    def evaluated_in(self, year: int) -> bool:
        """Whether ``year``'s results can carry this agency (an agency outside the catalog:
        assumed so)."""
        return self.years is None or year in self.years

    def label(self) -> str:
        """'경남 고성군': 기초 names need their region; 서울특별시 and ministries do not."""
        return f"{self.region} {self.name}" if self.agency_type == AgencyType.LOCAL else self.name


@dataclass(frozen=True)
class Suggestion:
    """An agency a text typed so far may mean, and the name it was found by."""

    agency: AgencyRef
    term: str  # the compact name or alias that matched
    kind: NameKind  # how that name names the agency (a former name, an English one …)
    typo: bool = False  # found only within a typo or two


@dataclass
class Catalog:
    agencies: dict[int, AgencyRef]
    terms: dict[str, tuple[int, ...]]  # compact name or alias -> agency ids
    # compact name or alias -> how it names its agencies (the strongest kind; names of
    # agencies outside the catalog count as official)
    kinds: dict[str, NameKind] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)  # compact region word -> abbreviation
    longest: int = 0  # the longest name or alias, so a run of text is never searched past it
    shared_names: frozenset[str] = frozenset()  # names several agencies bear: never guessed
    # (name, agency id) -> the evaluation years the name was that agency's (catalog names)
    named_in: dict[tuple[str, int], frozenset[int]] = field(default_factory=dict)
    # (agency id, evaluation year) -> its label that year, where it differs from today's
    then_labels: dict[tuple[int, int], str] = field(default_factory=dict)
    # region -> agencies elsewhere that its short name also names ('광주': 경기 광주시)
    namesakes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    _fuzzy_keys: list[str] = field(default_factory=list)
    _fuzzy_terms: list[str] = field(default_factory=list)
    _typeahead: list[tuple[str, str]] = field(default_factory=list)  # (jamo, term), sorted
    _groups_in: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)

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
        catalog.namesakes = catalog._region_namesakes()
        catalog.longest = max(map(len, [*catalog.terms, *catalog.regions]), default=0)
        catalog._fuzzy_terms = list(catalog.terms)
        catalog._fuzzy_keys = [jamo(term) for term in catalog._fuzzy_terms]
        catalog._typeahead = sorted(zip(catalog._fuzzy_keys, catalog._fuzzy_terms, strict=True))
        names = {compact(agency.name) for agency in refs.values()}
        catalog.kinds = {t: NameKind.OFFICIAL if t in names else NameKind.SHORT for t in terms}
        return catalog

    @classmethod
    def from_catalog(
        cls,
        agencies: AgencyCatalog,
        stored: Iterable[tuple[AgencyRef, str | None]],
        aliases: Iterable[tuple[int, str]] = (),
    ) -> Catalog:
        """The index of every catalog agency (stored under its key) by each of its names,
        the strongest kind of name winning (광주시 is 경기 광주시, not 광주광역시's 광주시청
        form); agencies outside the catalog keep their stored name and ``aliases``."""
        ids: dict[str, int] = {}
        refs: list[AgencyRef] = []
        outside: set[int] = set()
        for ref, key in stored:
            identity = agencies.get(key) if key else None
            if identity is None:
                refs.append(ref)
                outside.add(ref.id)
            else:
                ids[identity.key] = ref.id
                refs.append(_ref(ref.id, identity))
        best: dict[str, tuple[NameKind, set[int]]] = {}
        named_in: dict[tuple[str, int], set[int]] = {}
        period_years: dict[int, frozenset[int]] = {}
        for form in agencies.forms():
            agency_id = ids.get(form.key)
            if agency_id is None:
                continue
            years = period_years.get(id(form.period))
            if years is None:
                years = frozenset(y for y in NAMED_YEARS if form.period.valid_in(y))
                period_years[id(form.period)] = years
            if form.kind is not NameKind.FORMER:  # a former name is not that year's name
                named_in.setdefault((form.term, agency_id), set()).update(years)
            kind, found = best.get(form.term, (form.kind, set()))
            if form.kind < kind:
                kind, found = form.kind, set()
            if form.kind == kind:
                found.add(agency_id)
                best[form.term] = (kind, found)
        names = [(i, term) for term, (_, found) in best.items() for i in found]
        names += [(i, alias) for i, alias in aliases if i in outside]
        catalog = cls.build(refs, names)
        catalog.kinds |= {term: kind for term, (kind, _) in best.items() if term in catalog.terms}
        catalog.shared_names = agencies.shared_names()
        catalog.named_in = {key: frozenset(years) for key, years in named_in.items()}
        catalog.then_labels = _then_labels(agencies, ids)
        return catalog

    def label_in(self, agency_id: int, year: int) -> str:
        """The agency as named in ``year``'s results ('2016 방송통신위원회', '2022 경북
        군위군'); today's label when the name has not changed."""
        return self.then_labels.get((agency_id, year)) or self.agencies[agency_id].label()

    def named_so_in(self, word: str, agency_id: int, year: int) -> bool:
        """Whether ``word`` was a name of the agency in ``year`` (인천's 남구 until 2018,
        미추홀구 after); True when the catalog does not say (an agency outside it)."""
        years = self.named_in.get((compact(word), agency_id))
        return years is None or year in years

    def _region_namesakes(self) -> dict[str, tuple[int, ...]]:
        """A region's short name that is also the name of an agency elsewhere ('광주' and
        'Gwangju' are 광주광역시's region, and 경기 광주시 too): those agencies, by region, so
        a question naming the word alone is never silently read as one of them."""
        found: dict[str, set[int]] = {}
        for abbr, roman in REGION_ROMAN.items():
            words = [abbr, roman, *(abbr + suffix for suffix in LOCAL_SUFFIXES)]
            for word in words:
                for agency_id in self.terms.get(word, ()):
                    agency = self.agencies[agency_id]
                    if abbr not in (agency.region, *agency.regions):
                        found.setdefault(abbr, set()).add(agency_id)
        return {abbr: tuple(sorted(ids)) for abbr, ids in found.items()}

    def _romanize_region_names(self) -> None:
        """'Gyeongsangnam-do', 'Gangwon-do' are to an English question what 경상남도 and
        강원도 are to a Korean one: the region, or the province's own agency."""
        for word, region in list(self.regions.items()):
            roman = romanize(word)
            self.regions.setdefault(roman, region)
            if word in self.terms:
                self.terms.setdefault(roman, self.terms[word])

    def join_phrases(self, words: list[str]) -> list[str]:
        """Runs of Latin words that together are one name ('Ministry of the Interior and
        Safety', 'Korea Customs Service') become one word, longest run first."""
        joined: list[str] = []
        position = 0
        while position < len(words):
            end = position + 1
            if words[position].isascii():
                for stop in range(min(len(words), position + MAX_PHRASE), position + 1, -1):
                    run = words[position:stop]
                    if all(w.isascii() for w in run) and compact("".join(run)) in self.terms:
                        end = stop
                        break
            joined.append(" ".join(words[position:end]) if end > position + 1 else words[position])
            position = end
        return joined

    def lookup(self, word: str) -> tuple[int, ...]:
        return self.terms.get(compact(word), ())

    def fuzzy(self, word: str) -> tuple[int, ...]:
        """Agencies whose name or alias is within a typo or two of ``word`` (jamo-aware)."""
        return tuple(sorted({i for term in self.near_terms(word) for i in self.terms[term]}))

    def near_terms(self, word: str) -> list[str]:
        """The names and aliases within a typo or two of ``word`` (jamo-aware), all those
        as close as the closest one."""
        key = jamo(compact(word))
        if len(key) < 4:
            return []
        found = process.extract(
            key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
        )
        if key.isascii():  # a romanized typo keeps its first letter ('among' is no namdong)
            found = [f for f in found if self._fuzzy_keys[f[2]][:1] == key[:1]]
        best = found[0][1] if found else 0.0
        return [self._fuzzy_terms[index] for _, score, index in found if score >= best - FUZZY_TIE]

    def suggest(self, text: str, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
        """The agencies a text typed so far may mean, best first, for a typeahead: a name,
        former, short, English or romanized name the text is, starts, or (from two letters
        on) is inside of, or within a typo of; a region beside it (`경남 고성`,
        `고성군(경남)`) narrows it down. Every agency is offered once, however many of its
        names match; nonsense gives nothing."""
        readings = self._readings(text)
        ranked = self._ranked(readings, typos=False) or self._ranked(readings, typos=True)
        return [found for _, found in sorted(ranked.values(), key=lambda item: item[0])][:limit]

    def _ranked(
        self, readings: list[tuple[str | None, str]], *, typos: bool
    ) -> dict[int, tuple[tuple[int, int, int, str], Suggestion]]:
        """Each agency the readings find, with its best way of being found. Typos are
        looked for only when the text is no name's start or part."""
        ranked: dict[int, tuple[tuple[int, int, int, str], Suggestion]] = {}
        for region, words in readings:
            found = self._typo_terms(words) if typos else self._matching_terms(words)
            for how, term in found:
                kind = self.kinds.get(term, NameKind.SHORT)
                for agency_id in self.terms[term]:
                    agency = self.agencies[agency_id]
                    if region and region not in (agency.region, *agency.regions):
                        continue
                    rank = (how, int(kind), len(term), agency.label())
                    if agency_id not in ranked or rank < ranked[agency_id][0]:
                        ranked[agency_id] = (rank, Suggestion(agency, term, kind, how == TYPO))
        return ranked

    def _readings(self, text: str) -> list[tuple[str | None, str]]:
        """The text as a name, and as a region beside a name where it can be read so:
        '경남 고성', '고성 경남', '고성군(경남)', '경남고성'."""
        readings: list[tuple[str | None, str]] = [(None, text)]
        parens = PARENS.match(text.strip())
        if parens and (region := self.regions.get(compact(parens["region"]))):
            readings.append((region, parens["name"]))
        words = text.split()
        for edge, rest in ((words[:1], words[1:]), (words[-1:], words[:-1])):
            region = self.regions.get(compact(edge[0])) if edge and rest else None
            if region:
                readings.append((region, " ".join(rest)))
        whole = compact(text)
        if whole not in self.regions and not whole.isascii():
            for word in sorted(self.regions, key=len, reverse=True):
                if whole.startswith(word) and len(whole) > len(word):
                    readings.append((self.regions[word], whole[len(word) :]))
                    break
        return list(dict.fromkeys(readings))

    def _matching_terms(self, words: str) -> Iterator[tuple[int, str]]:
        """(how it matched, term) for every name or alias ``words`` may be typed towards."""
        typed = compact(words)
        if not typed:
            return
        if typed in self.terms:
            yield EXACT, typed
        forms = typed_forms(words)
        for form in forms:
            start = bisect.bisect_left(self._typeahead, (form, ""))
            for key, term in self._typeahead[start:]:
                if not key.startswith(form):
                    break
                yield PREFIX, term
        if len(typed) >= MIN_INFIX:
            for form in forms:
                yield from [(INFIX, term) for key, term in self._typeahead if form in key]

    def _typo_terms(self, words: str) -> Iterator[tuple[int, str]]:
        yield from ((TYPO, term) for term in self.near_terms(words))

    def in_region(self, ids: Iterable[int], regions: Iterable[str]) -> tuple[int, ...]:
        """The agencies among ``ids`` that are or were in one of ``regions``."""
        wanted = set(regions)
        return tuple(
            i for i in ids if wanted & {self.agencies[i].region, *self.agencies[i].regions}
        )

    def groups_in(self, regions: tuple[str, ...]) -> frozenset[str]:
        """The grading groups of the agencies in ``regions`` (세종: 광역 and 교육청 only),
        worked out once per catalog."""
        if regions not in self._groups_in:
            found = {a.group for a in self.agencies.values() if a.region in regions and a.group}
            self._groups_in[regions] = frozenset(found)
        return self._groups_in[regions]

    def agencies_of(self, region: str, agency_type: str) -> tuple[int, ...]:
        return tuple(
            a.id
            for a in self.agencies.values()
            if a.region == region and a.agency_type == agency_type
        )


def _then_labels(agencies: AgencyCatalog, ids: dict[str, int]) -> dict[tuple[int, int], str]:
    labels: dict[tuple[int, int], str] = {}
    for key, agency_id in ids.items():
        identity = agencies.get(key)
        if identity is None:
            continue
        today = identity.label()
        for year in NAMED_YEARS:
            then = identity.label(year) if identity.valid_in(year) else today
            if then != today:
                labels[(agency_id, year)] = then
    return labels


def _ref(agency_id: int, identity: AgencyIdentity) -> AgencyRef:
    return AgencyRef(
        agency_id,
        identity.name,
        identity.region,
        identity.agency_type.value,
        identity.group,
        english=identity.english_name,
        years=frozenset(identity.years()),
        regions=identity.regions,
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
