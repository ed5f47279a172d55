"""Each evaluation year's structure, as the sources state it (every URL is in
``storage/bundled/framework.md``): its grade scale, how band cut-offs become counts, the
period evaluated, how many agencies were evaluated and graded, the group sizes and the
announcement. The items, groups and bands are domain/'s own (items.py, groups.py, grades.py);
a year only says where it differs.

Rounding is not published: ``half_up`` reproduces the official totals of 2018 and 2021–2024
exactly; ``floor`` fits 2019–2020 better (framework.md §3). The full points table is not
public either, so every item weighs 1 (a plain sum) unless a year says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from domain.grades import BAND_CUTOFFS, GradeScale, scale_grades
from domain.groups import GROUP_ORDER
from domain.items import ITEMS

MIN_YEAR = 2016
MAX_YEAR = 2100

# The six groups' sizes in the years all 304 (2018–2021) or 306 (2022–2024) agencies were
# graded; the central group of 2022–2024 (46) is inferred from the published totals.
_SIZES_304 = {"중앙": 44, "광역": 17, "교육청": 17, "기초-시": 75, "기초-군": 82, "기초-구": 69}
_SIZES_306 = {**_SIZES_304, "중앙": 46}

# What each year states beyond the defaults of :class:`YearConfig`.
YEARS: dict[int, dict[str, Any]] = {
    2016: {
        "scale": GradeScale.SABCD,
        "period": "2016-01-01~2016-09-30",
        "evaluated": 77,
        "announced": "2016-12-29",
        "source": "https://m.ajunews.com/view/20161229080620981",
    },
    2017: {
        "scale": GradeScale.THREE_LEVEL,
        "period": "2016-10-01~2017-09-30",
        "evaluated": 302,
        "announced": "2018-01-03",
        "source": "https://ajunews.com/view/20180103111317696",
    },
    2018: {
        "period": "2017-10~2018-09",
        "evaluated": 304,
        "graded": 304,
        "announced": "2019-01-17",
        "group_sizes": _SIZES_304,
        "source": "http://www.segye.com/newsView/20190117001702?OutUrl=naver",
    },
    2019: {
        "rounding": "floor",
        "period": "2018-10~2019-09",
        "evaluated": 304,
        "graded": 304,
        "announced": "2020-01-13",
        "group_sizes": _SIZES_304,
        "source": "https://www.hankyung.com/society/article/202001132831i",
    },
    2020: {
        "rounding": "floor",
        "period": "2019-10~2020-08",
        "evaluated": 304,
        "graded": 304,
        "announced": "2021-01-13",
        "group_sizes": _SIZES_304,
        "source": "https://www.hankyung.com/article/202101137620Y",
    },
    2021: {
        "period": "2020-09~2021-08",
        "evaluated": 306,
        "graded": 304,
        "announced": "2022-01-12",
        "group_sizes": _SIZES_304,
        "source": "http://ddmissue.com/news_proc/news_contents.jsp?ncd=6575",
    },
    2022: {
        "period": "2021-09~2022-08",
        "evaluated": 306,
        "graded": 306,
        "announced": "2023-02-13",
        "group_sizes": _SIZES_306,
        "source": "https://www.taxtimes.co.kr/news/article.html?no=258420",
    },
    2023: {
        "period": "2022-09-01~2023-08-31",
        "evaluated": 306,
        "graded": 306,
        "announced": "2024-02-14",
        "group_sizes": _SIZES_306,
        "source": "https://www.yeonggwang.go.kr/bbs/?b_id=news_notice&site=headquarter_new"
        "&mn=9054&type=view&bs_idx=1105460",
    },
    2024: {
        "period": "2023-09-01~2024-08-31",
        "evaluated": 307,
        "graded": 306,
        "announced": "2025-02-04",
        "group_sizes": _SIZES_306,
        "source": "http://chungnam.go.kr/cnportal/bbs/B0000188/view.do?menuNo=5100288"
        "&nttId=2151732&pageIndex=1",
    },
    2025: {
        "period": "2024-09-01~2025-08-31",
        "evaluated": 308,
        "announced": "2026-02-04",
        "source": "https://www.uiryeong.go.kr/board/view.uiryeong?boardId=BBS_0000085"
        "&dataSid=1109904&menuCd=DOM_000000203001001000",
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
