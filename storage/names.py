"""How people name agencies and regions: full and short province names, renamings,
moves between provinces, short forms of ministries, and romanizations.

These are facts about names, not results; they let one agency keep one identity across a
rename (강원도 → 강원특별자치도) and let users type the forms they actually use.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.groups import AgencyType, local_group
from domain.regions import REGION_NAMES, REGION_ROMAN, region_of_full_name
from domain.text import LOCAL_SUFFIX_ROMAN, compact, romanize

# Still imported from here by storage/ingest.py (another owner's file, moving to domain).
__all__ = ["REGION_NAMES", "compact", "local_group", "region_of_full_name"]

# Former official name -> current official name (one identity across the rename).
RENAMES: dict[str, str] = {
    "강원도": "강원특별자치도",
    "강원도교육청": "강원특별자치도교육청",
    "전라북도": "전북특별자치도",
    "전라북도교육청": "전북특별자치도교육청",
    "행정자치부": "행정안전부",
    "국가보훈처": "국가보훈부",
    "중소기업청": "중소벤처기업부",
    "미래창조과학부": "과학기술정보통신부",
}


@dataclass(frozen=True)
class RegionMove:
    name: str
    old_region: str
    new_region: str
    from_year: int  # first evaluation year filed under the new region


# 군위군 moved from 경북 to 대구 on 2023-07-01.
REGION_MOVES: tuple[RegionMove, ...] = (RegionMove("군위군", "경북", "대구", 2023),)

# Names of 기초 agencies that exist in more than one region: never guessed.
SHARED_LOCAL_NAMES: frozenset[str] = frozenset(
    {"중구", "동구", "서구", "남구", "북구", "강서구", "고성군"}
)

# Short forms people use for central agencies.
CENTRAL_SHORT: dict[str, tuple[str, ...]] = {
    "행정안전부": ("행안부", "행자부", "mois"),
    "국민권익위원회": ("권익위", "권익위원회", "acrc"),
    "기획재정부": ("기재부",),
    "교육부": (),
    "과학기술정보통신부": ("과기정통부", "과기부", "msit"),
    "외교부": (),
    "통일부": (),
    "법무부": (),
    "국방부": (),
    "문화체육관광부": ("문체부",),
    "농림축산식품부": ("농식품부", "농림부"),
    "산업통상자원부": ("산업부", "산자부"),
    "보건복지부": ("복지부", "복건복지부"),
    "환경부": (),
    "고용노동부": ("고용부", "노동부"),
    "여성가족부": ("여가부",),
    "국토교통부": ("국토부",),
    "해양수산부": ("해수부",),
    "중소벤처기업부": ("중기부", "중소기업부"),
    "국가보훈부": ("보훈부", "보훈처"),
    "인사혁신처": ("인사처",),
    "법제처": (),
    "식품의약품안전처": ("식약처",),
    "공정거래위원회": ("공정위",),
    "금융위원회": ("금융위",),
    "방송통신위원회": ("방통위",),
    "원자력안전위원회": ("원안위",),
    "국세청": ("nts",),
    "관세청": (),
    "조달청": (),
    "통계청": (),
    "대검찰청": ("대검", "검찰청"),
    "병무청": (),
    "방위사업청": ("방사청",),
    "경찰청": (),
    "소방청": (),
    "문화재청": (),
    "국가유산청": (),
    "농촌진흥청": ("농진청",),
    "산림청": (),
    "특허청": (),
    "기상청": (),
    "행정중심복합도시건설청": ("행복청",),
    "새만금개발청": (),
    "해양경찰청": ("해경", "해경청"),
    "질병관리청": ("질병청", "질병관리본부"),
    "재외동포청": (),
    "우주항공청": (),
}

MAX_ALIAS = 100  # agency_aliases.alias is VARCHAR(100); a romanization can outgrow its name


def canonical_name(name: str) -> str:
    """The current official name of an agency published under ``name``."""
    return RENAMES.get(name, name)


def canonical_region(name: str, region: str) -> str:
    """The region an agency belongs to now (군위군 filed under 경북 is 대구's 군위군)."""
    for move in REGION_MOVES:
        if move.name == name and region == move.old_region:
            return move.new_region
    return region


def region_allowed(name: str, region: str, year: int, current_region: str) -> bool:
    """Whether ``region`` is right for ``name`` in ``year``, given where it is now."""
    if region == current_region:
        return True
    return any(
        move.name == name
        and move.new_region == current_region
        and region == move.old_region
        and year < move.from_year
        for move in REGION_MOVES
    )


def aliases_for(name: str, region: str, agency_type: str) -> dict[str, str]:
    """Every other way to write an agency, mapped to the kind of alias it is."""
    found: dict[str, str] = {}
    for old, new in RENAMES.items():
        if new == name:
            found[old] = "former"
    if agency_type == AgencyType.CENTRAL:
        found.update({short: "short" for short in CENTRAL_SHORT.get(name, ())})
    elif agency_type == AgencyType.METROPOLITAN:
        found.update(_metropolitan_aliases(region))
    elif agency_type == AgencyType.EDUCATION:
        found.update(_education_aliases(region))
    elif agency_type == AgencyType.LOCAL:
        found.update(_local_aliases(name))
    found.pop(name, None)
    return {
        compact(alias): kind
        for alias, kind in found.items()
        if 0 < len(compact(alias)) <= MAX_ALIAS
    }


def _metropolitan_aliases(region: str) -> dict[str, str]:
    names = REGION_NAMES.get(region, ())
    kind = "도" if names and names[0].endswith("도") else "시"
    found = {f"{region}{kind}": "short", f"{region}{kind}청": "short"}
    found.update({name: ("former" if name in RENAMES else "short") for name in names})
    if region == "광주":  # 광주시 and 광주시청 are 경기 광주시's
        found = {k: v for k, v in found.items() if not k.startswith("광주시")}
    if names:
        found[romanize(names[0])] = "roman"
    return {k: v for k, v in found.items() if k != region}


def _education_aliases(region: str) -> dict[str, str]:
    found = dict.fromkeys((f"{region}교육청", f"{region}도교육청", f"{region}시교육청"), "short")
    for full in REGION_NAMES.get(region, ()):
        found[f"{full}교육청"] = "former" if full in RENAMES else "short"
    roman = REGION_ROMAN.get(region)
    if roman:
        found[f"{roman} education office"] = "roman"
    return found


def _local_aliases(name: str) -> dict[str, str]:
    found = {f"{name}청": "short"}
    base = name[:-1]
    roman_base = romanize(base)
    if len(base) >= 2:
        found[base] = "short"
        found[roman_base] = "roman"
    suffix = LOCAL_SUFFIX_ROMAN.get(name[-1:], "")
    found[f"{roman_base}-{suffix}"] = "roman"
    return found
