"""The five items every agency is graded on (from 2018), by the short names data uses."""

from __future__ import annotations

STRATEGY, OPERATIONS, SINMUNGO, GRIEVANCES, SATISFACTION = (
    "전략체계",
    "제도운영",
    "국민신문고",
    "고충민원",
    "만족도",
)
ITEMS: tuple[str, ...] = (STRATEGY, OPERATIONS, SINMUNGO, GRIEVANCES, SATISFACTION)

ITEM_FULL_NAMES: dict[str, str] = {
    STRATEGY: "민원행정 전략 및 체계",
    OPERATIONS: "민원제도 운영",
    SINMUNGO: "국민신문고 민원 처리",
    GRIEVANCES: "고충민원 처리",
    SATISFACTION: "민원만족도",
}

ITEM_EN: dict[str, str] = {
    STRATEGY: "strategy & system",
    OPERATIONS: "system operation",
    SINMUNGO: "e-People petitions",
    GRIEVANCES: "grievance handling",
    SATISFACTION: "satisfaction",
}
