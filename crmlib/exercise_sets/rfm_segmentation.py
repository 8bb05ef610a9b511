"""Exercises of notebooks/01_identification/03_rfm_segmentation.ipynb."""

from __future__ import annotations

from functools import cache

from crmlib import identify
from crmlib.concepts import MatchPairs, PutInOrder, SingleChoice
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "recent_snowy",
    "win_back_calls",
    "champion_share_t2",
    "important_value_revenue",
    "rfm_meaning",
    "rfm_basis",
    "rfm_steps",
    "eight_types",
    "type_actions",
]

_COLUMNS = {"customer": "member_id", "date": "order_time", "amount": "net_amount"}


@cache
def _orders():
    return load_tea().orders


def _rfm(brand: str):
    orders = _orders()
    return identify.rfm_table(orders[orders["brand_id"] == brand], **_COLUMNS)


def _segments(brand: str):
    """Named segments as in the notebook (tied members get equal scores, whatever the row order)."""
    return identify.rfm_segments(identify.rfm_scores(_rfm(brand)))


def _win_back_calls() -> float:
    types = identify.rfm_types(_rfm("T1"))
    slipping = types[types["中文"].isin(["重要保持客户", "重要挽留客户"])]
    called = slipping["monetary"].sort_values(ascending=False).head(50)
    return round(float(called.sum() / slipping["monetary"].sum()), 3)


def _champion_share_t2() -> float:
    return float((_segments("T2")["segment"] == "Champions").mean())


def _important_value_revenue() -> float:
    table = identify.threshold_summary(_rfm("T1"), recent_days=90, min_orders=5, min_spend=200)
    return float(table.set_index("中文").loc["重要价值客户", "revenue_share"])


recent_snowy = Exercise(
    "Number of Snowy Cup (T3) members whose last order is at most 30 days before the as-of date",
    answer=lambda: int((_rfm("T3")["recency"] <= 30).sum()),
    hint="Build the RFM table of the T3 orders with identify.rfm_table (same column names as for Aurora Leaf), "
    "then count the rows with recency <= 30.",
)

win_back_calls = Exercise(
    "Aurora Leaf, eight types at the means: Xiao Lin calls the 50 biggest spenders among the 重要保持客户 and "
    "重要挽留客户 members. What share of the revenue of those two types do the 50 called members bring?",
    answer=_win_back_calls,
    decimals=3,
    hint=[
        "Start from the `types` table of section 4 and keep the members of the two types.",
        "Sort their `monetary` from the largest down and take the first 50 values.",
        'slipping = types[types["中文"].isin([...])]; add up the 50 largest monetary values and divide by '
        'slipping["monetary"].sum().',
    ],
)

champion_share_t2 = Exercise(
    "Share of Lotus Lane (T2) members who are Champions, scored and named like Aurora Leaf",
    answer=_champion_share_t2,
    decimals=3,
    hint=[
        "Repeat the steps of sections 6 and 7 on the T2 orders.",
        "identify.rfm_table on the T2 orders, then identify.rfm_scores, then identify.rfm_segments; "
        "take the mean of segment == 'Champions'.",
    ],
)

important_value_revenue = Exercise(
    "Eight-type model on Aurora Leaf with recent = last 90 days, frequent = 5+ orders, high spend = 200+ CNY: "
    "share of revenue from 重要价值客户 (important value customers)",
    answer=_important_value_revenue,
    decimals=3,
    hint=[
        "identify.threshold_summary takes the three thresholds as recent_days, min_orders and min_spend.",
        "It gives one row per type; set the index to 中文 and read revenue_share of 重要价值客户.",
    ],
)


# --- concept checks (概念自测) -------------------------------------------------------------------

rfm_meaning = MatchPairs(
    "Match each letter of RFM with what we compute for a member.",
    choices=["R: recency 最近一次消费", "F: frequency 消费频率", "M: monetary value 消费金额"],
    targets=[
        "the total amount the member paid, in CNY",
        "the days since the member's last order",
        "the number of orders the member placed",
    ],
    answer="A2 B3 C1",
    feedback={
        "A": "Recency is about time: how recent was the last order? It is counted in days back from the as-of "
        "date (观察点).",
        "B": "Frequency counts how often the member bought: a number of orders, not an amount of money.",
        "C": "Monetary value is money: the total the member paid.",
    },
    explanation="A member who bought recently, buys often and spends a lot is the most likely to buy again. For "
    "recency a small number is good, for the other two a large one.",
    hint="Only one of the three is measured in CNY, and only one in days.",
)

rfm_basis = SingleChoice(
    "Section 1 named three bases of segmentation: needs, value and behaviour. Which of them does RFM combine?",
    choices=[
        "behaviour and value: R and F describe how members buy, M what they are worth",
        "needs and value: what members want, and what they spend",
        "needs only: RFM shows what each member wants from the brand",
        "behaviour only: all three letters describe buying habits",
    ],
    answer="A",
    feedback={
        "B": "Needs are what customers want; they usually call for surveys. Order data shows what members did, "
        "not what they wanted.",
        "C": "Nothing in R, F or M says why a member buys or what they want, so RFM says nothing about needs.",
        "D": "R and F are habits, but M is money brought to the firm: that is the value basis.",
    },
    explanation="RFM takes two behaviour numbers (recency, frequency) and one value number (monetary) from "
    "data the till already records. Needs would need a survey.",
    hint="Which basis can the order data not show?",
)

rfm_steps = PutInOrder(
    "Put the steps of sorting members into the eight RFM types in order, the first one first.",
    choices=[
        "mark each member's R, F and M as high or low against the thresholds",
        "compute recency, frequency and monetary value for each member from the orders",
        "decide what each type should get",
        "choose a threshold for each number, e.g. its average over all members",
        "read the member's type from the three marks (e.g. high, low, high = 重要发展客户)",
    ],
    answer="B D A E C",
    feedback={
        "A": "A mark compares a number with a threshold, so the numbers and the thresholds must come first.",
        "B": "Everything starts from the three raw numbers taken from the orders.",
        "C": "Deciding the treatment is the last step: you need the types to decide for.",
        "D": "The threshold (the average, or a value the firm states) is chosen from the numbers, before any "
        "member can be called high or low.",
        "E": "The type is read from the three marks, so it comes after marking and before the action.",
    },
    explanation="Numbers, thresholds, marks, types, actions. A type is only useful if the last step changes what "
    "the firm does.",
    hint="What do you need before you can call a member's spending 'high'?",
)

eight_types = SingleChoice(
    "In the eight-type model, a member has not bought recently, but used to buy often and spent a lot. Which "
    "type is this member?",
    choices=[
        "important value customer 重要价值客户",
        "important customer to keep 重要保持客户",
        "important customer to win back 重要挽留客户",
        "general customer to keep 一般保持客户",
    ],
    answer="B",
    feedback={
        "A": "重要价值客户 needs all three high: recent, frequent and big spending. This member is not recent.",
        "C": "重要挽留客户 are big spenders who are neither recent nor frequent; this member bought often.",
        "D": "一般 (general) types spend little; this member spent a lot, so the type is 重要 (important).",
    },
    explanation="R low, F high, M high is 重要保持客户: a valuable regular who has started to slip away and should "
    "be contacted before they are lost.",
    hint="First decide 重要 or 一般 (spending), then look at recent and frequent.",
)

type_actions = MatchPairs(
    "Match each RFM customer type with the action section 4 suggests for it.",
    choices=[
        "重要价值客户 important value customer",
        "重要保持客户 important customer to keep",
        "一般发展客户 general customer to develop",
        "一般挽留客户 general customer to win back",
    ],
    targets=[
        "mass channels only, little or no spend",
        "contact them personally now and ask what changed",
        "VIP service and personal thanks; no discount needed",
        "a low-cost offer that builds a habit, such as a second-cup coupon",
    ],
    answer="A3 B2 C4 D1",
    feedback={
        "A": "These members buy often, recently and a lot anyway; a discount only gives away margin. Recognition "
        "keeps them close.",
        "B": "Frequent big spenders who have stopped coming are worth a personal effort, and soon, before they "
        "are gone for good.",
        "C": "They bought recently but seldom and little: the job is to turn a casual visit into a habit, cheaply.",
        "D": "They bought little, seldom and long ago: money spent on them rarely comes back.",
    },
    explanation="Effort follows value and the chance of success: recognition for the best, a personal call for "
    "valuable members who are slipping, a cheap push for the casual ones, and little for those long gone.",
    hint="Which type brings a lot but needs no discount?",
)
