"""The agency catalog: which agencies exist in which evaluation year, by every name people
write them, and one identity per agency across renames and moves.

Pure: it takes the catalog's rows (``agencies.csv`` read by ``storage.agency_catalog``) and
does no I/O. One row is one *name period* (a name in a region, between two dates); rows are
linked into one :class:`AgencyIdentity` by a rename (the later row lists the earlier name in
``former_names`` and starts the day after it ends: 강원도 → 강원특별자치도) or by a move (the
same name and type starting the day after, in another region: 군위군, 경북 → 대구).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum
from functools import cached_property, lru_cache, partial

from rapidfuzz import fuzz, process

from domain.groups import GROUP_ORDER, LOCAL_SUFFIXES, AgencyType
from domain.regions import REGION_NAMES, REGION_ROMAN, REGIONS, is_province
from domain.text import LOCAL_SUFFIX_ROMAN, compact, jamo

CATALOG_COLUMNS = (
    "agency", "region", "agency_type", "group", "valid_from", "valid_to", "former_names",
    "short_names", "english_name", "romanized", "source_url",
)  # fmt: skip
# The last syllables of agency names (행정안전부, 통계청, 위원회, 연구원, 비서실, 김해시, 경기도 …).
NAME_ENDINGS: tuple[str, ...] = ("부", "처", "청", "원", "회", "실", "시", "군", "구", "도")
# Public enterprises, firms and other bodies: not among those evaluated (중앙행정기관, 시·도,
# 시·도교육청, 시·군·구; domain.md "Who is evaluated"), so a name so ending is said to be outside
OUTSIDE_ENDINGS: tuple[str, ...] = (
    "공사",
    "공단",
    "은행",
    "전자",
    "그룹",
    "재단",
    "협회",
    "대학교",
    "병원",
    "회사",
    "증권",
    "보험",
)
MAX_SUGGESTIONS = 3
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio of the jamo forms: 김헤시 ~ 김해시, not 김해 ~ 계산
MIN_FUZZY_SYLLABLES = 3  # a two-syllable stem (예산, 음성, 수영) is never fuzzy-matched
MIN_FUZZY_LATIN = 5
FIRST_CATALOG_YEAR = 2016
LAST_CATALOG_YEAR = 2030  # how far ahead :meth:`AgencyIdentity.years` looks

# Acronyms people type for central agencies, by any name the agency bore. The catalog's
# columns hold Korean short names; these are the English initials ministries use.
ACRONYMS: dict[str, tuple[str, ...]] = {
    "행정안전부": ("mois",),
    "국민권익위원회": ("acrc",),
    "과학기술정보통신부": ("msit",),
    "국세청": ("nts",),
}


class NameKind(IntEnum):
    """How a text named an agency, strongest first: an exact name wins over a former one."""

    OFFICIAL = 0
    FORMER = 1
    SHORT = 2
    ENGLISH = 3
    ROMANIZED = 4
    OTHER_PERIOD = 5  # a name the agency had in another year (강원특별자치도 asked for 2022)
    STEM = 6  # a 시·군·구 name without its suffix (고성 for 고성군), never shared with a region


# The kind of an alias as the database stores it (``agency_aliases.kind``).
ALIAS_KINDS: dict[NameKind, str] = {
    NameKind.OFFICIAL: "official",
    NameKind.FORMER: "former",
    NameKind.SHORT: "short",
    NameKind.ENGLISH: "english",
    NameKind.ROMANIZED: "roman",
    NameKind.STEM: "short",
}


class CatalogError(ValueError):
    """The catalog's rows do not hold together; ``errors`` names each row's problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the agency catalog: {errors[0]}")
        self.errors = errors


def evaluation_window(year: int) -> tuple[date, date]:
    """The dates whose names count for evaluation ``year``: from the September before to the
    February after, when results are announced (the 2023 results already say 전북특별자치도)."""
    return date(year - 1, 9, 1), date(year + 1, 2, 28)


@dataclass(frozen=True)
class NamePeriod:
    """One catalog row: a name, in a region, while it was in force."""

    name: str
    region: str  # "" for central agencies
    agency_type: AgencyType
    group: str
    valid_from: date | None  # None: before 2016
    valid_to: date | None  # None: still in force
    former_names: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    english_name: str = ""
    romanized: str = ""
    source_url: str = ""

    def overlaps(self, start: date, end: date) -> bool:
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start
        )

    def valid_in(self, year: int) -> bool:
        """Whether results of evaluation ``year`` can carry this name."""
        return self.overlaps(*evaluation_window(year))

    def in_force_on(self, day: date) -> bool:
        return self.overlaps(day, day)

    def label(self) -> str:
        """'경남 고성군': a 시·군·구 needs its region; 서울특별시 and ministries do not."""
        return f"{self.region} {self.name}" if self.agency_type is AgencyType.LOCAL else self.name


@dataclass(frozen=True)
class AgencyIdentity:
    """One agency across its name periods, oldest first.

    ``key`` is stable: the region and name of the agency's first period ("경북/군위군",
    "강원/강원도", "행정자치부"), which a later rename or move never changes, so the database
    can store it."""

    key: str
    periods: tuple[NamePeriod, ...]

    @property
    def current(self) -> NamePeriod:
        return self.periods[-1]

    @property
    def name(self) -> str:
        return self.current.name

    @property
    def region(self) -> str:
        return self.current.region

    @property
    def agency_type(self) -> AgencyType:
        return self.current.agency_type

    @property
    def group(self) -> str:
        return self.current.group

    @property
    def english_name(self) -> str:
        return self.current.english_name

    @property
    def romanized(self) -> str:
        return self.current.romanized

    @property
    def former_names(self) -> tuple[str, ...]:
        """Every earlier name: earlier periods' names and each period's ``former_names``."""
        names = [p.name for p in self.periods[:-1]]
        names += [n for p in self.periods for n in p.former_names]
        return tuple(dict.fromkeys(n for n in names if n != self.name))

    @property
    def short_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for p in self.periods for n in p.short_names))

    def years(self) -> tuple[int, ...]:
        """The evaluation years (2016 on) whose results can carry one of its names."""
        span = range(FIRST_CATALOG_YEAR, LAST_CATALOG_YEAR + 1)
        return tuple(year for year in span if self.valid_in(year))

    @property
    def regions(self) -> tuple[str, ...]:
        """Every region it was in, oldest first (군위군: 경북, 대구)."""
        return tuple(dict.fromkeys(p.region for p in self.periods))

    def periods_in(self, year: int) -> tuple[NamePeriod, ...]:
        return tuple(p for p in self.periods if p.valid_in(year))

    def valid_in(self, year: int) -> bool:
        return bool(self.periods_in(year))

    def period_in(self, year: int) -> NamePeriod | None:
        """The name period results of ``year`` use: the latest one valid in that year (the
        2023 results say 강원특별자치도 and 대구 군위군)."""
        periods = self.periods_in(year)
        return periods[-1] if periods else None

    def name_in(self, year: int) -> str | None:
        period = self.period_in(year)
        return period.name if period else None

    def region_in(self, year: int) -> str | None:
        period = self.period_in(year)
        return period.region if period else None

    def label(self, year: int | None = None) -> str:
        period = (self.period_in(year) if year is not None else None) or self.current
        return period.label()


@dataclass(frozen=True)
class Resolution:
    """What a text names: one agency (``agency``), several (``ambiguous``: never guessed), or
    none, with up to three ``suggestions`` ("did you mean") and the agencies the text names
    exactly but that were not evaluated in the year asked (``outside_year``)."""

    text: str
    matches: tuple[AgencyIdentity, ...] = ()
    via: NameKind | None = None
    outside_year: tuple[AgencyIdentity, ...] = ()
    # the fuzzy search runs only when someone reads the suggestions (an ingest checks many
    # names the catalog does not hold, an operator's own agencies: no search for those)
    suggest: Callable[[], tuple[AgencyIdentity, ...]] = field(
        default=tuple, repr=False, compare=False
    )

    @cached_property
    def suggestions(self) -> tuple[AgencyIdentity, ...]:
        return self.suggest()

    @property
    def agency(self) -> AgencyIdentity | None:
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.matches) > 1


@dataclass(frozen=True)
class NameForm:
    """One way to write one agency, in compact form (see :meth:`AgencyCatalog.forms`)."""

    term: str
    kind: NameKind
    period: NamePeriod
    key: str  # the identity's key


@dataclass(frozen=True)
class _Name:
    """One way to write one name period, in compact form."""

    term: str
    kind: NameKind
    period: NamePeriod
    identity: str  # the identity's key


@dataclass
class AgencyCatalog:
    """Every agency of the catalog, with a resolver from names to identities."""

    identities: tuple[AgencyIdentity, ...]
    _by_key: dict[str, AgencyIdentity] = field(default_factory=dict, repr=False)
    _terms: dict[str, list[_Name]] = field(default_factory=dict, repr=False)
    _fuzzy: list[str] = field(default_factory=list, repr=False)
    _fuzzy_names: list[_Name] = field(default_factory=list, repr=False)
    _period_forms: dict[int, list[tuple[str, NameKind]]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> AgencyCatalog:
        """Build the catalog from ``agencies.csv``'s rows; raise :class:`CatalogError`
        naming every row that does not fit (rows numbered as a spreadsheet shows them)."""
        identities = _link(_read_rows(rows))
        shared = _shared_short_names(identities)
        if shared:
            raise CatalogError(shared)
        catalog = cls(identities)
        catalog._by_key = {identity.key: identity for identity in identities}
        catalog._index()
        return catalog

    # --- lookups ---

    def get(self, key: str) -> AgencyIdentity | None:
        """The agency stored under ``key`` (see :attr:`AgencyIdentity.key`)."""
        return self._by_key.get(key)

    def agencies_valid_in(self, year: int) -> tuple[AgencyIdentity, ...]:
        """Every agency whose names count for evaluation ``year``."""
        return tuple(identity for identity in self.identities if identity.valid_in(year))

    def agencies_in_force_on(self, day: date) -> tuple[AgencyIdentity, ...]:
        return tuple(i for i in self.identities if any(p.in_force_on(day) for p in i.periods))

    def forms(self) -> Iterable[NameForm]:
        """Every way the catalog writes each agency (compact form, kind, period, identity
        key): the index the resolver uses, for callers that build their own."""
        for term, entries in self._terms.items():
            for entry in entries:
                yield NameForm(term, entry.kind, entry.period, entry.identity)

    def aliases_of(self, key: str) -> dict[str, str]:
        """The identity's names other than its current one, compact, mapped to their kind
        ('former', 'short', 'english', 'roman', 'official' for a later period's name)."""
        identity = self._by_key[key]
        current = compact(identity.name)
        found: dict[str, str] = {}
        for period in identity.periods:
            for term, kind in self._period_forms.get(id(period), ()):
                word = ALIAS_KINDS[kind]
                if kind is NameKind.OFFICIAL and period is not identity.current:
                    word = "former" if period.valid_to is not None else "official"
                if term != current:
                    found.setdefault(term, word)
        return found

    def shared_names(self) -> frozenset[str]:
        """Official names more than one agency bears (중구, 고성군): never guessed."""
        owners: dict[str, set[str]] = {}
        for identity in self.identities:
            for period in identity.periods:
                owners.setdefault(period.name, set()).add(identity.key)
        return frozenset(name for name, keys in owners.items() if len(keys) > 1)

    # --- resolving ---

    def resolve(self, text: str, year: int | None = None, region: str | None = None) -> Resolution:
        """The agency ``text`` names in ``year`` (any year when None), within ``region`` when
        given. ``text`` is a whole name, never searched inside: '고성군(경남)', '경남 고성군',
        '경상남도 고성군', short, former and English names, romanizations ('Goseong',
        'Gimhae-si').

        A name the agency bore in another year still finds it (``via`` is
        :attr:`NameKind.OTHER_PERIOD`: 강원특별자치도 asked for 2022, 대구 군위군 for 2022); a
        caller that must hold a file to the year's own name compares with
        :meth:`AgencyIdentity.period_in`."""
        parses = _parses(text, region)
        for name, wanted in parses:
            matches, via = self._exact(name, year, wanted)
            if matches:
                return Resolution(text, matches, via)
        if year is not None:
            for name, wanted in parses:
                outside = self._exact(name, None, wanted)[0]
                if outside:
                    return Resolution(text, outside_year=outside)
        name, wanted = parses[0]
        return Resolution(text, suggest=partial(self._suggest, name, year, wanted))

    def named_elsewhere(self, text: str, year: int | None) -> tuple[AgencyIdentity, ...]:
        """The agencies ``text``'s name names in ``year`` in any region, the region it was
        written with left out: '고성군(전남)' -> 강원 고성군 and 경남 고성군, so a refusal can
        say where the name does exist instead of suggesting other names."""
        for name, _ in _parses(text, None):
            matches, _ = self._exact(name, year, None)
            if matches:
                return matches
        return ()

    def _exact(
        self, name: str, year: int | None, region: str | None
    ) -> tuple[tuple[AgencyIdentity, ...], NameKind | None]:
        """The identities of the strongest kind of name that matches, in ``year`` and
        ``region``: an exact name wins over a former name, a former over a short one."""
        found: dict[NameKind, dict[str, None]] = {}
        for entry in self._terms.get(compact(name), ()):
            kind = self._kind_in(entry, year)
            if kind is None or (region is not None and entry.period.region != region):
                continue
            found.setdefault(kind, {})[entry.identity] = None
        if not found:
            return (), None
        best = min(found)
        return tuple(self._sorted(found[best])), best

    def _kind_in(self, entry: _Name, year: int | None) -> NameKind | None:
        if year is None or entry.period.valid_in(year):
            return entry.kind
        if self._by_key[entry.identity].valid_in(year) and entry.kind <= NameKind.SHORT:
            return NameKind.OTHER_PERIOD
        return None

    def _suggest(
        self, name: str, year: int | None, region: str | None
    ) -> tuple[AgencyIdentity, ...]:
        query = jamo(compact(name))
        if not _fuzzy_worthy(compact(name)):
            return ()
        found = process.extract(
            query, self._fuzzy, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=50
        )
        inside: dict[str, None] = {}
        outside: dict[str, None] = {}
        for _, _, index in found:  # best first
            entry = self._fuzzy_names[index]
            if year is not None and not self._by_key[entry.identity].valid_in(year):
                continue
            near = region is None or entry.period.region == region
            (inside if near else outside)[entry.identity] = None
        # the region the row named first: 김헤시(경남) is 김해시 there before anywhere else
        keys = list(inside) + [key for key in outside if key not in inside]
        return tuple(self._by_key[key] for key in keys[:MAX_SUGGESTIONS])

    def _sorted(self, keys: Iterable[str]) -> list[AgencyIdentity]:
        order = {region: index for index, region in enumerate(REGIONS)}
        identities = [self._by_key[key] for key in keys]
        return sorted(identities, key=lambda i: (order.get(i.region, -1), i.name, i.key))

    def _index(self) -> None:
        official = {compact(p.name) for i in self.identities for p in i.periods}
        for identity in self.identities:
            for period in identity.periods:
                forms = _names_of(period, official)
                forms += [
                    (term, NameKind.SHORT)
                    for term in _rule_forms(period, official)
                    if term not in {t for t, _ in forms}
                ]
                self._period_forms[id(period)] = forms
                for term, kind in forms:
                    entry = _Name(term, kind, period, identity.key)
                    self._terms.setdefault(term, []).append(entry)
                    if kind <= NameKind.SHORT and _fuzzy_worthy(term):
                        self._fuzzy.append(jamo(term))
                        self._fuzzy_names.append(entry)


# --- reading and linking rows ---


def _read_rows(rows: Iterable[Mapping[str, str]]) -> list[NamePeriod]:
    periods: list[NamePeriod] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=2):  # the header is row 1
        try:
            periods.append(_period(row))
        except (KeyError, ValueError) as exc:
            errors.append(f"row {number}: {exc}")
    if errors:
        raise CatalogError(errors)
    return periods


def _period(row: Mapping[str, str]) -> NamePeriod:
    cells = {column: (row.get(column) or "").strip() for column in CATALOG_COLUMNS}
    if not cells["agency"]:
        raise ValueError("agency is missing")
    agency_type = AgencyType(cells["agency_type"])
    region = cells["region"]
    if (region == "") != (agency_type is AgencyType.CENTRAL) or (region and region not in REGIONS):
        raise ValueError(f"region '{region}' does not fit {cells['agency']} ({agency_type})")
    if cells["group"] not in GROUP_ORDER:
        raise ValueError(f"unknown group '{cells['group']}'")
    start, end = _day(cells["valid_from"]), _day(cells["valid_to"])
    if start and end and start > end:
        raise ValueError(f"{cells['agency']} ends before it starts")
    return NamePeriod(
        name=cells["agency"],
        region=region,
        agency_type=agency_type,
        group=cells["group"],
        valid_from=start,
        valid_to=end,
        former_names=_names(cells["former_names"]),
        short_names=_names(cells["short_names"]),
        english_name=cells["english_name"],
        romanized=cells["romanized"],
        source_url=cells["source_url"],
    )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(";") if name.strip())


def _shared_short_names(identities: Iterable[AgencyIdentity]) -> list[str]:
    """A short name belongs to one agency (its periods may share it)."""
    owners: dict[str, set[str]] = {}
    for identity in identities:
        for short in identity.short_names:
            owners.setdefault(compact(short), set()).add(identity.key)
    return [
        f"short name '{short}' belongs to {', '.join(sorted(keys))}"
        for short, keys in owners.items()
        if len(keys) > 1
    ]


def _link(periods: list[NamePeriod]) -> tuple[AgencyIdentity, ...]:
    """Group name periods into identities: a rename or a move continues an agency the day
    after its previous period ends."""
    periods = sorted(periods, key=lambda p: (p.valid_from or date.min, p.region, p.name))
    parent = list(range(len(periods)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for later, period in enumerate(periods):
        for earlier, before in enumerate(periods):
            if _continues(before, period):
                parent[root(later)] = root(earlier)
    groups: dict[int, list[NamePeriod]] = {}
    for index, period in enumerate(periods):
        groups.setdefault(root(index), []).append(period)
    identities: list[AgencyIdentity] = []
    keys: set[str] = set()
    for members in groups.values():
        first = members[0]
        key = f"{first.region}/{first.name}" if first.region else first.name
        if key in keys:  # a name reused by a later, different agency
            key = f"{key}@{first.valid_from}"
        keys.add(key)
        identities.append(AgencyIdentity(key, tuple(members)))
    return tuple(identities)


def _continues(before: NamePeriod, after: NamePeriod) -> bool:
    if before.valid_to is None or after.valid_from is None:
        return False
    if before.valid_to + timedelta(days=1) != after.valid_from:
        return False
    if before.agency_type is not after.agency_type:
        return False
    renamed = before.name in after.former_names and before.region == after.region
    moved = before.name == after.name and before.region != after.region
    return renamed or moved


# --- names ---


def _names_of(period: NamePeriod, official: set[str]) -> list[tuple[str, NameKind]]:
    """Every compact form of a period's names, from the catalog's columns."""
    found = [(period.name, NameKind.OFFICIAL)]
    found += [(name, NameKind.FORMER) for name in period.former_names]
    found += [(name, NameKind.SHORT) for name in period.short_names]
    if period.english_name:
        found.append((period.english_name, NameKind.ENGLISH))
    found += [(roman, NameKind.ROMANIZED) for roman in _romanized_forms(period, official)]
    stem = _stem(period.name) if period.agency_type is AgencyType.LOCAL else None
    if stem and compact(stem) not in _REGION_WORDS:
        found.append((stem, NameKind.STEM))
    return [(compact(term), kind) for term, kind in found if compact(term)]


def _rule_forms(period: NamePeriod, official: set[str]) -> list[str]:
    """Forms people write that the catalog's columns leave out, made by rule: 김해시청,
    경남도청, 서울시청, 경상남도청, 경기시교육청, 경상남도교육청, and acronyms (mois). A form that
    is any agency's official name is left out (광주시 is 경기 광주시, not 광주광역시)."""
    region = period.region
    found: list[str] = list(ACRONYMS.get(period.name, ()))
    if period.agency_type is AgencyType.LOCAL:
        found.append(f"{period.name}청")
    elif period.agency_type is AgencyType.METROPOLITAN:
        kind = "도" if is_province(region) else "시"
        for base in (f"{region}{kind}", *REGION_NAMES.get(region, ())):
            if compact(base) not in official or compact(base) == compact(period.name):
                found += [base, f"{base}청"]
    elif period.agency_type is AgencyType.EDUCATION:
        found += [f"{region}교육청", f"{region}도교육청", f"{region}시교육청"]
        found += [f"{full}교육청" for full in REGION_NAMES.get(region, ())]
    terms = dict.fromkeys(compact(term) for term in found)
    return [term for term in terms if term and term not in official]


def _romanized_forms(period: NamePeriod, official: set[str]) -> list[str]:
    """'Goseong' and 'Goseong-gun'; an education office is '<Region> education office' (its
    bare romanization is its province's). 'Gwangju-si' is 경기 광주시's, not 광주광역시's."""
    roman = period.romanized
    if not roman:
        return []
    if period.agency_type is AgencyType.EDUCATION:
        return [f"{roman} education office", f"{roman} office of education"]
    suffix = (
        LOCAL_SUFFIX_ROMAN.get(period.name[-1:]) if period.name[-1:] in LOCAL_SUFFIXES else None
    )
    if period.agency_type is AgencyType.METROPOLITAN:
        suffix = "do" if period.name.endswith("도") else "si"
        if compact(f"{period.region}시") in official and suffix == "si":
            return [roman]
    return [roman, f"{roman}-{suffix}"] if suffix else [roman]


def _stem(name: str) -> str | None:
    """고성군 -> 고성; None for a one-syllable stem (중구 is never '중')."""
    stem = name[:-1] if name[-1:] in LOCAL_SUFFIXES else ""
    return stem if len(stem) >= 2 else None


def _fuzzy_worthy(term: str) -> bool:
    """Only names long enough that one typo cannot turn them into another word."""
    hangul = sum(1 for ch in term if "가" <= ch <= "힣")
    if hangul:
        return hangul >= MIN_FUZZY_SYLLABLES
    return len(term) >= MIN_FUZZY_LATIN


# --- reading a region out of a name ---


def _region_words() -> dict[str, str]:
    """Every way a region is written before or after a name: 경남, 경상남도, 경남도, gyeongnam."""
    words: dict[str, str] = {}
    for abbr, names in REGION_NAMES.items():
        words[compact(abbr)] = abbr
        words[compact(REGION_ROMAN[abbr])] = abbr
        for name in names:
            words[compact(name)] = abbr
        if is_province(abbr):
            words.setdefault(compact(f"{abbr}도"), abbr)
    return words


_REGION_WORDS = _region_words()
_PARENS = re.compile(r"^(?P<name>.+?)\s*[(\[](?P<region>[^()\[\]]+)[)\]]$")


@lru_cache(maxsize=4096)  # an ingest asks the same name for every year it holds
def _parses(text: str, region: str | None) -> tuple[tuple[str, str | None], ...]:
    """The readings of ``text`` as (name, region), most explicit first: '고성군(경남)' and
    '경남 고성군' carry their region; the whole text is also tried as one name ('서울 교육청'
    is 서울교육청), and finally a region glued to the front ('경남고성군')."""
    text = unicodedata.normalize("NFKC", text).strip()
    readings: list[tuple[str, str | None]] = []
    match = _PARENS.match(text)
    if match and compact(match["region"]) in _REGION_WORDS:
        readings.append((match["name"], _REGION_WORDS[compact(match["region"])]))
    head, _, rest = text.partition(" ")
    if rest.strip() and compact(head) in _REGION_WORDS:
        readings.append((rest, _REGION_WORDS[compact(head)]))
    readings.append((text, None))
    whole = compact(text)
    for word in sorted(_REGION_WORDS, key=len, reverse=True):
        if whole.startswith(word) and len(whole) > len(word) and word[0] >= "가":
            readings.append((whole[len(word) :], _REGION_WORDS[word]))
            break
    # A region the text names must agree with ``region``; a reading that contradicts it goes.
    kept = tuple(
        (name, found or region) for name, found in readings if region in (None, found or region)
    )
    return kept or ((text, region),)
