"""Each evaluation year's structure, as the sources state it (every URL is in
``storage/bundled/framework.md``): its grade scale, how band cut-offs become counts, the
period evaluated, how many agencies were evaluated and graded, the group sizes and the
announcement. The items, groups and bands are domain/'s own (items.py, groups.py, grades.py);
a year only says where it differs.

Rounding is not published: ``half_up`` reproduces the official totals of 2018 and 2021–2024
exactly; ``floor`` fits 2019–2020 better (framework.md §3). The full points table is not
public either, so every item weighs 1 (a plain sum) unless a year says otherwise.

Besides the rules, each year keeps what the sources *published* as counts: how many agencies
of each type were evaluated (``evaluated_by``) and how many got a grade (``published``: 가
31 = 중앙 4, 교육청 2, 광역 2, 기초 23), each with the page that says so. A count the sources
published always wins over one the band rule computes (:func:`stated_count`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from domain.grades import BAND_CUTOFFS, GradeScale, scale_grades
from domain.groups import (
    ALL_GROUPS,
    CENTRAL,
    EDUCATION,
    GROUP_ORDER,
    LOCAL_ALL,
    LOCAL_GOVERNMENTS,
    LOCAL_GROUPS,
    METROPOLITAN,
)
from domain.items import ITEMS

MIN_YEAR = 2016
MAX_YEAR = 2100

# The six groups' sizes in the years all 304 (2018–2021) or 306 (2022–2024) agencies were
# graded; the central group of 2022–2024 (46) is inferred from the published totals.
_SIZES_304 = {"중앙": 44, "광역": 17, "교육청": 17, "기초-시": 75, "기초-군": 82, "기초-구": 69}
_SIZES_306 = {**_SIZES_304, "중앙": 46}
# 2025: 47 central agencies graded (우주항공청, the 48th, was an ungraded pilot: uiryeong
# board); 시 75 (newsknock 1065575245507698) and 군 82 (asiae 2026021012593621000), so 구 69.
_SIZES_307 = {**_SIZES_304, "중앙": 47}


@dataclass(frozen=True)
class Published:
    """A count the sources published for one year: ``count`` agencies of ``scope`` (a
    grading group, LOCAL_ALL for the three 기초 groups together, ALL_GROUPS for the whole
    year) were given ``grade``; ``source`` is the page that says so (framework.md)."""

    grade: str
    scope: str
    count: int
    source: str


def _published(grade: str, counts: dict[str, int], source: str) -> tuple[Published, ...]:
    return tuple(Published(grade, scope, count, source) for scope, count in counts.items())


_ALL, _LOCAL = ALL_GROUPS, LOCAL_ALL

# What each year states beyond the defaults of :class:`YearConfig`.
YEARS: dict[int, dict[str, Any]] = {
    2016: {
        "scale": GradeScale.SABCD,
        "period": "2016-01-01~2016-09-30",
        "evaluated": 77,  # "중앙행정기관 등 77개 기관": no split by type, no 기초
        "evaluated_source": "https://www.kmib.co.kr/article/view_amp.asp?arcid=0011175765",
        "groups": (CENTRAL, METROPOLITAN, EDUCATION),
        "announced": "2016-12-29",
        "source": "https://m.ajunews.com/view/20161229080620981",
        "published": _published(
            "S", {_ALL: 7, CENTRAL: 2, EDUCATION: 5}, "https://m.ajunews.com/view/20161229080620981"
        ),
    },
    2017: {
        "scale": GradeScale.THREE_LEVEL,
        "period": "2016-10-01~2017-09-30",
        "evaluated": 302,
        "evaluated_by": {CENTRAL: 42, EDUCATION: 17, METROPOLITAN: 17, _LOCAL: 226},
        "evaluated_source": "https://ajunews.com/view/20180103111317696",
        "announced": "2018-01-03",
        "source": "https://ajunews.com/view/20180103111317696",
        "published": _published("최우수", {_ALL: 59}, "https://ajunews.com/view/20180103111317696"),
    },
    2018: {
        "period": "2017-10~2018-09",
        "evaluated": 304,
        "evaluated_by": {CENTRAL: 44, EDUCATION: 17, METROPOLITAN: 17, _LOCAL: 226},
        "evaluated_source": "https://cm.asiae.co.kr/ampview.htm?no=2019011810431729845",
        "graded": 304,
        "announced": "2019-01-17",
        "group_sizes": _SIZES_304,
        "source": "http://www.segye.com/newsView/20190117001702?OutUrl=naver",
        # framework.md's table also gives 마 for 중앙 4, 교육청 2, 광역 2, but names no page
        # for it, so it is not kept here
        "published": _published(
            "가",
            {_ALL: 31, CENTRAL: 4, EDUCATION: 2, METROPOLITAN: 2, _LOCAL: 23},
            "http://www.segye.com/newsView/20190117001702?OutUrl=naver",
        ),
    },
    2019: {
        "rounding": "floor",
        "period": "2018-10~2019-09",
        "evaluated": 304,
        "evaluated_by": {CENTRAL: 44, EDUCATION: 17, METROPOLITAN: 17, _LOCAL: 226},
        "evaluated_source": "http://www.idomin.com/news/articleView.html?idxno=718384",
        "graded": 304,
        "announced": "2020-01-13",
        "group_sizes": _SIZES_304,
        "source": "https://www.hankyung.com/society/article/202001132831i",
        "published": (
            *_published("가", {_ALL: 29}, "https://www.hankyung.com/society/article/202001132831i"),
            *_published(
                "가",
                {CENTRAL: 4, EDUCATION: 2, METROPOLITAN: 2, _LOCAL: 21},
                "https://www.ulsanpress.net/news/articleView.html?idxno=343137"
                "&replyAll=&reply_sc_order_by=C",
            ),
            *_published("마", {_ALL: 33}, "https://www.hankyung.com/society/article/202001132831i"),
        ),
    },
    2020: {
        "rounding": "floor",
        "period": "2019-10~2020-08",
        "evaluated": 304,
        "evaluated_by": {CENTRAL: 44, EDUCATION: 17, LOCAL_GOVERNMENTS: 243},
        "evaluated_source": "https://www.hankyung.com/article/202101137620Y",
        "graded": 304,
        "announced": "2021-01-13",
        "group_sizes": _SIZES_304,
        "source": "https://www.hankyung.com/article/202101137620Y",
        "published": (
            *_published(
                "가",
                {_ALL: 29, CENTRAL: 4, EDUCATION: 2, METROPOLITAN: 2, _LOCAL: 21},
                "https://www.hankyung.com/article/202101137620Y",
            ),
            *_published("마", {_ALL: 33}, "https://www.hankyung.com/article/202101137620Y"),
        ),
    },
    2021: {
        "period": "2020-09~2021-08",
        "evaluated": 306,
        "evaluated_by": {CENTRAL: 46, METROPOLITAN: 17, _LOCAL: 226, EDUCATION: 17},
        "evaluated_source": "https://m.imaeil.com/page/view/2022011212532880670",
        "graded": 304,
        "pilots": 2,  # "시범실시기관을 제외한 304개 기관에 대하여 등급 결정" (ddmissue)
        "announced": "2022-01-12",
        "group_sizes": _SIZES_304,
        "source": "http://ddmissue.com/news_proc/news_contents.jsp?ncd=6575",
        "published": (
            *_published(
                "가",
                {_ALL: 31, CENTRAL: 4, EDUCATION: 2, METROPOLITAN: 2, _LOCAL: 23},
                "http://www.sejongcitynews.com/news/articleView.html?idxno=2361",
            ),
            *_published("가", {"기초-시": 8}, "http://jungdoilbo.com/news/article.html?no=186996"),
            *_published(
                "가", {"기초-구": 7}, "http://www.sijung.co.kr/news/articleView.html?idxno=277463"
            ),
        ),
    },
    2022: {
        "period": "2021-09~2022-08",
        "evaluated": 306,
        "evaluated_by": {CENTRAL: 46, EDUCATION: 17, LOCAL_GOVERNMENTS: 243},
        "evaluated_source": "https://www.taxtimes.co.kr/news/article.html?no=258420",
        "graded": 306,
        "announced": "2023-02-13",
        "group_sizes": _SIZES_306,
        "source": "https://www.taxtimes.co.kr/news/article.html?no=258420",
        "published": (
            *_published("가", {_ALL: 32}, "https://www.taxtimes.co.kr/news/article.html?no=258420"),
            *_published("가", {"기초-군": 8}, "https://m.inews24.com/v/1566498"),
            *_published(
                "마", {_ALL: 31}, "http://www.ulsanilbo.co.kr/news/articleView.html?idxno=56064"
            ),
        ),
    },
    2023: {
        "period": "2022-09-01~2023-08-31",
        "evaluated": 306,
        "evaluated_by": {CENTRAL: 46, METROPOLITAN: 17, EDUCATION: 17, _LOCAL: 226},
        "evaluated_source": "https://www.yeonggwang.go.kr/bbs/?b_id=news_notice"
        "&site=headquarter_new&mn=9054&type=view&bs_idx=1105460",
        "graded": 306,
        "announced": "2024-02-14",
        "group_sizes": _SIZES_306,
        "source": "https://www.yeonggwang.go.kr/bbs/?b_id=news_notice&site=headquarter_new"
        "&mn=9054&type=view&bs_idx=1105460",
        "published": (
            *_published(
                "가", {_ALL: 32}, "https://www.sejungilbo.com/news/articleView.html?idxno=46848"
            ),
            # the central agencies the article names at each grade
            *(
                Published(
                    grade,
                    CENTRAL,
                    count,
                    "https://www.sejungilbo.com/news/articleView.html?idxno=46848",
                )
                for grade, count in (("가", 5), ("나", 10), ("라", 7), ("마", 5))
            ),
        ),
    },
    2024: {
        "period": "2023-09-01~2024-08-31",
        "evaluated": 307,
        "evaluated_by": {CENTRAL: 47, METROPOLITAN: 17, EDUCATION: 17, _LOCAL: 226},
        "evaluated_source": "https://cnbnews.com/news/article.html?no=706528",
        "graded": 306,
        "announced": "2025-02-04",
        "group_sizes": _SIZES_306,
        "source": "http://chungnam.go.kr/cnportal/bbs/B0000188/view.do?menuNo=5100288"
        "&nttId=2151732&pageIndex=1",
        "published": (
            *_published(
                "가",
                {_ALL: 32, CENTRAL: 5, METROPOLITAN: 2, _LOCAL: 23},
                "https://www.kmib.co.kr/article/view_amp.asp?arcid=0027732776",
            ),
            *_published("가", {EDUCATION: 2}, "https://m.ajunews.com/view/20250204142409849"),
            *(
                Published(
                    grade,
                    _ALL,
                    count,
                    "https://www.kmib.co.kr/article/view_amp.asp?arcid=0027732776",
                )
                for grade, count in (("나", 61), ("다", 121), ("라", 61), ("마", 31))
            ),
            *_published("마", {"기초-군": 8, "기초-구": 7}, "https://gmtoday.co.kr/48852"),
        ),
    },
    2025: {
        "period": "2024-09-01~2025-08-31",
        "evaluated": 308,  # 중앙 47 + 우주항공청 (시범) 1, 교육청 17, 광역 17, 기초 226
        "evaluated_by": {CENTRAL: 48, EDUCATION: 17, METROPOLITAN: 17, _LOCAL: 226},
        "evaluated_source": "https://www.uiryeong.go.kr/board/view.uiryeong"
        "?boardId=BBS_0000085&dataSid=1109904&menuCd=DOM_000000203001001000",
        "graded": 307,  # the pilot is evaluated, not graded
        "pilots": 1,
        "pilot_agencies": ("우주항공청",),  # the same board: 우주항공청 (시범)
        "announced": "2026-02-04",
        "group_sizes": _SIZES_307,
        "source": "https://www.uiryeong.go.kr/board/view.uiryeong?boardId=BBS_0000085"
        "&dataSid=1109904&menuCd=DOM_000000203001001000",
        "published": _published(
            "가",
            {_ALL: 32, CENTRAL: 5, METROPOLITAN: 2, EDUCATION: 2, _LOCAL: 23},
            "https://www.seoul.co.kr/news/society/2026/02/04/20260204500170",
        )
        + _published(
            "마", {_ALL: 31}, "https://www.seoul.co.kr/news/society/2026/02/04/20260204500170"
        ),
    },
}


@dataclass(frozen=True)
class YearConfig:
    """One evaluation year's rules; the defaults are the 가–마 years' (2018 on)."""

    year: int
    scale: GradeScale = GradeScale.GA_MA
    cumulative: tuple[float, ...] = BAND_CUTOFFS
    rounding: str = "half_up"
    items: tuple[str, ...] = ITEMS
    groups: tuple[str, ...] = GROUP_ORDER
    period: str | None = None
    evaluated: int | None = None
    graded: int | None = None
    announced: str | None = None
    source: str | None = None
    group_sizes: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] | None = None
    evaluated_by: dict[str, int] = field(default_factory=dict)  # as the source splits it
    evaluated_source: str | None = None
    pilots: int = 0  # evaluated but not graded (시범실시기관)
    pilot_agencies: tuple[str, ...] = ()  # which, where the source names them
    published: tuple[Published, ...] = ()

    @cached_property  # asked for every row of an ingest
    def grades(self) -> tuple[str, ...]:
        return scale_grades(self.scale)

    def scoring_rules(self) -> dict[str, Any]:
        """The plain mapping the scoring engine's ``rules_from_mapping`` reads."""
        return {
            "grades": list(self.grades),
            "cumulative": list(self.cumulative),
            "rounding": self.rounding,
            "items": list(self.items),
            "weights": self.weights,
        }


def scale_of(year: int | None) -> GradeScale:
    """The grade scale of ``year``; a table with no year yet reads as 가–마."""
    return GradeScale.GA_MA if year is None else year_config(year).scale


@cache  # read for every row of an ingest
def year_config(year: int) -> YearConfig:
    """The rules of ``year``; a year not listed gets the current default rules."""
    stated = YEARS.get(year, {})
    return YearConfig(year=year, **{**stated, "group_sizes": dict(stated.get("group_sizes", {}))})


@dataclass(frozen=True)
class StatedCount:
    """A count that follows from what the sources published: the count, and every page it
    rests on (one when published as such; several when it is a published total less
    published parts, like 2021's 군 가 = 기초 23 − 시 8 − 구 7)."""

    count: int
    sources: tuple[str, ...]


def parts_of(config: YearConfig, scope: str) -> tuple[str, ...]:
    """The scopes that add up to ``scope`` in that year: the whole year is its groups
    (기초 as one), 기초 its three groups; a single group has no parts."""
    if scope == ALL_GROUPS:
        top = tuple(g for g in (CENTRAL, METROPOLITAN, EDUCATION) if g in config.groups)
        local = any(g in config.groups for g in LOCAL_GROUPS)
        return top + ((LOCAL_ALL,) if local else ())
    if scope == LOCAL_ALL:
        return tuple(g for g in LOCAL_GROUPS if g in config.groups)
    return ()


def _whole_of(config: YearConfig, scope: str) -> str | None:
    if scope in LOCAL_GROUPS:
        return LOCAL_ALL
    return ALL_GROUPS if scope in parts_of(config, ALL_GROUPS) else None


def _direct(config: YearConfig, grade: str, scope: str) -> StatedCount | None:
    """Published for ``scope`` itself, or the sum of its parts when every part is."""
    found = next((p for p in config.published if (p.grade, p.scope) == (grade, scope)), None)
    if found is not None:
        return StatedCount(found.count, (found.source,))
    parts = [_direct(config, grade, part) for part in parts_of(config, scope)]
    if not parts or any(part is None for part in parts):
        return None
    known = [part for part in parts if part is not None]
    sources = tuple(dict.fromkeys(s for part in known for s in part.sources))
    return StatedCount(sum(part.count for part in known), sources)


def stated_count(year: int, grade: str, scope: str) -> StatedCount | None:
    """How many agencies of ``scope`` got ``grade`` in ``year``, as far as the published
    counts tell: published for the scope, the sum of its published parts, or a published
    whole less every other part of it (2016's 광역 S = 7 − 중앙 2 − 교육청 5 = 0). None when
    the sources do not say; a band rule is never consulted here."""
    config = year_config(year)
    found = _direct(config, grade, scope)
    if found is not None:
        return found
    whole_scope = _whole_of(config, scope)
    whole = stated_count(year, grade, whole_scope) if whole_scope else None
    if whole is None or whole_scope is None:
        return None
    others = [_direct(config, grade, p) for p in parts_of(config, whole_scope) if p != scope]
    if any(other is None for other in others):
        return None
    known = [other for other in others if other is not None]
    sources = tuple(dict.fromkeys([*whole.sources, *(s for o in known for s in o.sources)]))
    return StatedCount(whole.count - sum(other.count for other in known), sources)


def years_on_scale(grade: str) -> list[int]:
    """The years whose published scale has ``grade`` ('A': 2016; '최우수': 2017 and the
    가–마 years by name are not counted, only levels)."""
    return sorted(y for y in YEARS if grade in year_config(y).grades)
