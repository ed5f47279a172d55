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
# The total (평점, out of 100): what a what-if changes when it names no item.
TOTAL, TOTAL_EN = "합계", "total"

ITEM_FULL_NAMES: dict[str, str] = {
    STRATEGY: "민원행정 전략 및 체계",
    OPERATIONS: "민원제도 운영",
    SINMUNGO: "국민신문고 민원 처리",
    GRIEVANCES: "고충민원 처리",
    SATISFACTION: "민원만족도",
}

ITEM_EN: dict[str, str] = {
    STRATEGY: "strategy & system",
    OPERATIONS: "civil petition system",
    SINMUNGO: "e-People petitions",
    GRIEVANCES: "grievances",
    SATISFACTION: "satisfaction",
}

# How questions name an item (compact Korean, lower-case English) -> the item.
ITEM_WORDS: dict[str, str] = {
    "민원행정전략및체계": STRATEGY, "민원행정전략체계": STRATEGY, "전략체계": STRATEGY,
    "전략": STRATEGY, "민원제도운영": OPERATIONS, "제도운영": OPERATIONS,
    "국민신문고민원처리": SINMUNGO, "국민신문고": SINMUNGO, "신문고": SINMUNGO,
    "고충민원처리": GRIEVANCES, "고충민원": GRIEVANCES, "고충": GRIEVANCES,
    "민원만족도": SATISFACTION, "만족도": SATISFACTION,
    "strategy": STRATEGY, "operations": OPERATIONS, "operation": OPERATIONS,
    "system": OPERATIONS, "e-people": SINMUNGO, "epeople": SINMUNGO,
    "sinmungo": SINMUNGO, "grievances": GRIEVANCES, "grievance": GRIEVANCES,
    "complaints": GRIEVANCES, "satisfaction": SATISFACTION,
}  # fmt: skip

# Words that name an item on their own, so a question about them is about item results.
ITEM_TOPIC_WORDS: tuple[str, ...] = (
    *ITEMS,
    ITEM_FULL_NAMES[SATISFACTION],
    ITEM_EN[SATISFACTION],
    ITEM_EN[GRIEVANCES],
)
