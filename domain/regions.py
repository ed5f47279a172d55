"""The 17 시·도 by their abbreviations, full names and romanizations."""

from __future__ import annotations

# Region abbreviation -> its names (current first), as users and sources write them.
REGION_NAMES: dict[str, tuple[str, ...]] = {
    "서울": ("서울특별시", "서울시"),
    "부산": ("부산광역시", "부산시"),
    "대구": ("대구광역시", "대구시"),
    "인천": ("인천광역시", "인천시"),
    "광주": ("광주광역시",),  # "광주시" is 경기 광주시, a 기초 agency
    "대전": ("대전광역시", "대전시"),
    "울산": ("울산광역시", "울산시"),
    "세종": ("세종특별자치시", "세종시"),
    "경기": ("경기도",),
    "강원": ("강원특별자치도", "강원도"),
    "충북": ("충청북도",),
    "충남": ("충청남도",),
    "전북": ("전북특별자치도", "전라북도"),
    "전남": ("전라남도",),
    "경북": ("경상북도",),
    "경남": ("경상남도",),
    "제주": ("제주특별자치도", "제주도"),
}

REGION_ROMAN: dict[str, str] = {
    "서울": "seoul",
    "부산": "busan",
    "대구": "daegu",
    "인천": "incheon",
    "광주": "gwangju",
    "대전": "daejeon",
    "울산": "ulsan",
    "세종": "sejong",
    "경기": "gyeonggi",
    "강원": "gangwon",
    "충북": "chungbuk",
    "충남": "chungnam",
    "전북": "jeonbuk",
    "전남": "jeonnam",
    "경북": "gyeongbuk",
    "경남": "gyeongnam",
    "제주": "jeju",
}

REGIONS: tuple[str, ...] = tuple(REGION_NAMES)


def region_of_full_name(text: str) -> str | None:
    """'경상남도' -> '경남'; None when ``text`` is no region name."""
    for abbr, names in REGION_NAMES.items():
        if text == abbr or text in names:
            return abbr
    return None


def region_in_name(name: str, *, abbreviated: bool = False) -> str | None:
    """The region a name starts with: '경상남도교육청' -> '경남'; with ``abbreviated`` also
    '경남교육청' -> '경남' (only where a name cannot be a 시·군·구: '광주시' is 경기's)."""
    for abbr, names in REGION_NAMES.items():
        if any(name.startswith(full) for full in (*names, abbr) if abbreviated or full != abbr):
            return abbr
    return None


def is_province(region: str) -> bool:
    """도 (경기, 경남 …) as opposed to 특별시·광역시 (서울, 부산 …)."""
    names = REGION_NAMES.get(region, ())
    return bool(names) and names[0].endswith("도")
