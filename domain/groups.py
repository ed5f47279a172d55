"""Agency types and the six relative-grading groups, with their names and synonyms."""

from __future__ import annotations

from enum import StrEnum


class AgencyType(StrEnum):
    CENTRAL = "중앙행정기관"
    METROPOLITAN = "광역자치단체"
    LOCAL = "기초자치단체"
    EDUCATION = "시도교육청"


CENTRAL, METROPOLITAN, EDUCATION = "중앙", "광역", "교육청"
LOCAL_CITY, LOCAL_COUNTY, LOCAL_DISTRICT = "기초-시", "기초-군", "기초-구"

# The six grading groups in the order every answer lists them.
GROUP_ORDER: tuple[str, ...] = (
    CENTRAL,
    METROPOLITAN,
    EDUCATION,
    LOCAL_CITY,
    LOCAL_COUNTY,
    LOCAL_DISTRICT,
)
LOCAL_GROUPS: tuple[str, ...] = (LOCAL_CITY, LOCAL_COUNTY, LOCAL_DISTRICT)
# Scopes the sources count over besides one group: the three 기초 groups together, every
# group of the year, and 광역 with 기초 (some years give only "지자체 243").
LOCAL_ALL, ALL_GROUPS, LOCAL_GOVERNMENTS = "기초", "전체", "지자체"
SCOPE_EN: dict[str, str] = {
    LOCAL_ALL: "all cities, counties and districts",
    ALL_GROUPS: "all groups",
    LOCAL_GOVERNMENTS: "provinces, cities, counties and districts",
}
FIRST_GROUPED_YEAR = 2018  # relative grading in six groups from this year

# One English name per group, used everywhere.
GROUP_EN: dict[str, str] = {
    CENTRAL: "central agencies",
    METROPOLITAN: "provinces & metropolitan cities",
    EDUCATION: "education offices",
    LOCAL_CITY: "cities",
    LOCAL_COUNTY: "counties",
    LOCAL_DISTRICT: "districts",
}

AGENCY_TYPE_EN: dict[AgencyType, str] = {
    AgencyType.CENTRAL: "central agency",
    AgencyType.METROPOLITAN: "province or metropolitan city",
    AgencyType.LOCAL: "city, county or district",
    AgencyType.EDUCATION: "education office",
}

# The group of every agency of a type, except 기초 (by suffix, see local_group).
TYPE_GROUP: dict[AgencyType, str] = {
    AgencyType.CENTRAL: CENTRAL,
    AgencyType.METROPOLITAN: METROPOLITAN,
    AgencyType.EDUCATION: EDUCATION,
}

# The agency type whose agencies all form one group (광역 -> 광역자치단체).
GROUP_TYPE: dict[str, AgencyType] = {group: kind for kind, group in TYPE_GROUP.items()}

# How files and people write an agency type.
AGENCY_TYPE_WORDS: dict[str, AgencyType] = {
    "중앙": AgencyType.CENTRAL,
    "중앙행정기관": AgencyType.CENTRAL,
    "central": AgencyType.CENTRAL,
    "광역": AgencyType.METROPOLITAN,
    "광역자치단체": AgencyType.METROPOLITAN,
    "metropolitan": AgencyType.METROPOLITAN,
    "기초": AgencyType.LOCAL,
    "기초자치단체": AgencyType.LOCAL,
    "local": AgencyType.LOCAL,
    "교육청": AgencyType.EDUCATION,
    "시도교육청": AgencyType.EDUCATION,
    "education": AgencyType.EDUCATION,
}

LOCAL_SUFFIXES = ("시", "군", "구")

# How questions name a grading group: each word -> the groups it means.
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "중앙행정기관": (CENTRAL,), "중앙부처": (CENTRAL,), "중앙": (CENTRAL,), "부처": (CENTRAL,),
    "광역자치단체": (METROPOLITAN,), "광역": (METROPOLITAN,), "시도": (METROPOLITAN,),
    "시도교육청": (EDUCATION,), "교육청": (EDUCATION,),
    "기초자치단체": LOCAL_GROUPS, "기초": LOCAL_GROUPS, "시군구": LOCAL_GROUPS,
    LOCAL_CITY: (LOCAL_CITY,), LOCAL_COUNTY: (LOCAL_COUNTY,), LOCAL_DISTRICT: (LOCAL_DISTRICT,),
    "시": (LOCAL_CITY,), "군": (LOCAL_COUNTY,), "구": (LOCAL_DISTRICT,),
    "central": (CENTRAL,), "ministries": (CENTRAL,), "metropolitan": (METROPOLITAN,),
    "provinces": (METROPOLITAN,), "education": (EDUCATION,), "local": LOCAL_GROUPS,
    "cities": (LOCAL_CITY,), "counties": (LOCAL_COUNTY,), "districts": (LOCAL_DISTRICT,),
    "county": (LOCAL_COUNTY,), "district": (LOCAL_DISTRICT,),
    "기초시": (LOCAL_CITY,), "기초군": (LOCAL_COUNTY,), "기초구": (LOCAL_DISTRICT,),  # '기초-군'
}  # fmt: skip

# Words that name a scope of several groups, or all of them ('전국': no group filter).
# 지자체 are the local governments: 광역 and 기초, never 중앙 or 교육청.
SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "전국": (), "nationwide": (), "전체기관": (),
    "지자체": (METROPOLITAN, *LOCAL_GROUPS), "지방자치단체": (METROPOLITAN, *LOCAL_GROUPS),
    "자치단체": (METROPOLITAN, *LOCAL_GROUPS), "지방정부": (METROPOLITAN, *LOCAL_GROUPS),
    "기초지자체": LOCAL_GROUPS, "기초단체": LOCAL_GROUPS, "광역지자체": (METROPOLITAN,),
    "광역단체": (METROPOLITAN,), "광역시도": (METROPOLITAN,),
    "시군": (LOCAL_CITY, LOCAL_COUNTY), "자치구": (LOCAL_DISTRICT,), "구들": (LOCAL_DISTRICT,),
    "구청": (LOCAL_DISTRICT,),
    "정부부처": (CENTRAL,), "중앙기관": (CENTRAL,), "ministries": (CENTRAL,),
    "municipalities": LOCAL_GROUPS,
}  # fmt: skip
GROUP_WORDS.update(SCOPE_WORDS)

# How an answer names a scope of several groups (Korean, English).
SCOPE_NAMES: dict[frozenset[str], tuple[str, str]] = {
    frozenset((METROPOLITAN, *LOCAL_GROUPS)): ("지자체(광역·기초)", "local governments"),
    frozenset(LOCAL_GROUPS): ("기초", "cities, counties and districts"),
    frozenset((LOCAL_CITY, LOCAL_COUNTY)): ("시·군", "cities and counties"),
}


def local_group(name: str) -> str | None:
    """The grading group of a 기초 agency, from its suffix (김해시 -> 기초-시)."""
    suffix = name[-1:]
    return f"기초-{suffix}" if suffix in LOCAL_SUFFIXES else None


def group_of(agency_type: AgencyType | str, name: str) -> str | None:
    """The grading group of an agency of ``agency_type`` named ``name``."""
    return TYPE_GROUP.get(AgencyType(agency_type)) or local_group(name)


def group_en(group: str) -> str:
    return GROUP_EN.get(group) or SCOPE_EN.get(group, group)


# How published result tables spell a grading group's row. Compared in compact form (no
# spaces, punctuation or brackets), so "시·도" reads as "시도" and "기초자치단체(시)" as
# "기초자치단체시"; a count in brackets ("(47개)") is dropped before the lookup.
GROUP_SYNONYMS: dict[str, str] = {
    "중앙": CENTRAL,
    "중앙행정기관": CENTRAL,
    "중앙부처": CENTRAL,
    "정부부처": CENTRAL,
    "광역": METROPOLITAN,
    "광역자치단체": METROPOLITAN,
    "광역지자체": METROPOLITAN,
    "시·도": METROPOLITAN,
    "광역시·도": METROPOLITAN,
    "교육청": EDUCATION,
    "시·도교육청": EDUCATION,
    "시도 교육청": EDUCATION,
    "교육자치단체": EDUCATION,
    "기초-시": LOCAL_CITY,
    "시": LOCAL_CITY,
    "기초(시)": LOCAL_CITY,
    "기초자치단체(시)": LOCAL_CITY,
    "기초지자체(시)": LOCAL_CITY,
    "시 단위": LOCAL_CITY,
    "기초-군": LOCAL_COUNTY,
    "군": LOCAL_COUNTY,
    "기초(군)": LOCAL_COUNTY,
    "기초자치단체(군)": LOCAL_COUNTY,
    "기초지자체(군)": LOCAL_COUNTY,
    "군 단위": LOCAL_COUNTY,
    "기초-구": LOCAL_DISTRICT,
    "구": LOCAL_DISTRICT,
    "자치구": LOCAL_DISTRICT,
    "기초(구)": LOCAL_DISTRICT,
    "기초자치단체(구)": LOCAL_DISTRICT,
    "기초지자체(구)": LOCAL_DISTRICT,
    "구 단위": LOCAL_DISTRICT,
    **{english: group for group, english in GROUP_EN.items()},
}

# Spellings of the 기초 level as a whole: each agency's group then follows from its suffix
# (see local_group).
LOCAL_LEVEL_WORDS: tuple[str, ...] = ("기초", "기초자치단체", "기초지자체", "시·군·구")
