"""Exercises of notebooks/01_identification/03_rfm_segmentation.ipynb."""

from __future__ import annotations

from functools import cache

from crmlib import identify
from crmlib.concepts import MatchPairs, PutInOrder, SingleChoice
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "recent_snowy",
    "revenue_at_risk",
    "champion_share_t2",
    "important_value_revenue",
    "rfm_meaning",
    "rfm_basis",
    "rfm_steps",
    "eight_types",
    "segment_actions",
]

_COLUMNS = {"customer": "member_id", "date": "order_time", "amount": "net_amount"}


@cache
def _orders():
    return load_tea().orders


def _rfm(brand: str):
    orders = _orders()
    return identify.rfm_table(orders[orders["brand_id"] == brand], **_COLUMNS)


def _segments(brand: str):
    """Named segments as in the notebook: rows shuffled (seed 0) so ties are split at random."""
    rfm = _rfm(brand)
    return identify.rfm_segments(identify.rfm_scores(rfm.sample(frac=1, random_state=0))).sort_index()


def _revenue_at_risk() -> float:
    seg = _segments("T1")
    risky = seg["segment"].isin(["At risk", "Can't lose them"])
    return float(seg.loc[risky, "monetary"].sum() / seg["monetary"].sum())


def _champion_share_t2() -> float:
    return float((_segments("T2")["segment"] == "Champions").mean())


def _important_value_revenue() -> float:
    table = identify.threshold_summary(_rfm("T1"), recent_days=90, min_orders=5, min_spend=200)
    return float(table.set_index("rfm_type").loc["important value", "revenue_share"])


recent_snowy = Exercise(
    "Number of Snowy Cup (T3) members whose last order is at most 30 days before the as-of date",
    answer=lambda: int((_rfm("T3")["recency"] <= 30).sum()),
    hint="Build the RFM table of the T3 orders with identify.rfm_table (same column names as for Aurora Leaf), "
    "then count the rows with recency <= 30.",
)

revenue_at_risk = Exercise(
    "Share of Aurora Leaf revenue from members in the 'At risk' and 'Can't lose them' segments",
    answer=_revenue_at_risk,
    hint="Use the `segments` table of the notebook: select the two segments with .isin([...]) and divide their "
    "total `monetary` by the total of all members.",
)

champion_share_t2 = Exercise(
    "Share of Lotus Lane (T2) members who are Champions, scored like Aurora Leaf (rows shuffled with random_state=0)",
    answer=_champion_share_t2,
    hint="Repeat the notebook's three steps on the T2 orders: rfm_table, then rfm_scores on "
    "rfm.sample(frac=1, random_state=0), then rfm_segments; take the mean of segment == 'Champions'.",
)

important_value_revenue = Exercise(
    "Eight-type model on Aurora Leaf with recent = last 90 days, frequent = 5+ orders, high spend = 200+ CNY: "
    "share of revenue from 'important value' members",
    answer=_important_value_revenue,
    hint="identify.threshold_summary(rfm, recent_days=90, min_orders=5, min_spend=200) gives one row per type; "
    "read revenue_share of 'important value'.",
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
        "date (观察日).",
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
    "Put the steps of the RFM segmentation in this notebook in order, the first one first.",
    choices=[
        "name a segment for each cell of the R × FM grid",
        "compute recency, frequency and monetary value for each member from the orders",
        "decide what each segment should get",
        "turn the three numbers into 1–5 scores (quintiles 五分位)",
    ],
    answer="B D A C",
    feedback={
        "A": "Names belong to cells of score combinations, so the scores must come first.",
        "B": "Everything starts from the three raw numbers taken from the orders.",
        "C": "Deciding the treatment is the last step: you need named segments to decide for.",
        "D": "Scores are made from the raw numbers, and the segment names are read from the scores.",
    },
    explanation="Numbers, then scores, then segments, then actions. A segment is only useful if the last step "
    "changes what the firm does.",
    hint="What do you need before you can give a member a score from 1 to 5?",
)

eight_types = SingleChoice(
    "In the eight-type model (recent? frequent? high spend?), a member has not bought recently, but used to buy "
    "often and spent a lot. Which type is this member?",
    choices=[
        "important value 重要价值客户",
        "important retention 重要保持客户",
        "important win-back 重要挽留客户",
        "general retention 一般保持客户",
    ],
    answer="B",
    feedback={
        "A": "Important value needs all three: recent, frequent and high spend. This member is not recent.",
        "C": "Important win-back is for big spenders who are neither recent nor frequent; this member bought often.",
        "D": "'General' types are the low spenders; this member spent a lot, so the type is 'important'.",
    },
    explanation="Not recent, frequent, high spend is important retention: a valuable regular who has started to "
    "slip away and should be held on to before they are lost.",
    hint="First decide important or general (spend), then look at recent and frequent.",
)

segment_actions = MatchPairs(
    "Match each segment with the action section 6 suggests for it.",
    choices=["Champions 冠军客户", "New 新客户", "At risk 流失风险客户", "Lost 已流失客户"],
    targets=[
        "do not spend on them; use a free channel at most",
        "a personal win-back: a real offer, and ask what went wrong",
        "thank and recognise them (early access, events); no discount needed",
        "a welcome message and a reason to come back within two weeks",
    ],
    answer="A3 B4 C2 D1",
    feedback={
        "A": "Champions buy anyway; a discount only gives away margin. Recognition keeps them close.",
        "B": "A new member has one recent order: the job is to turn it into a second visit soon.",
        "C": "At risk are good customers gone quiet for months: worth a real, personal effort to win back.",
        "D": "Lost members bought little, long ago: money spent on them rarely comes back.",
    },
    explanation="Effort follows value and the chance of success: recognition for the best, a push for the new, "
    "a real effort for valuable members who are slipping, and little for those long gone.",
    hint="Which segment brings a lot but needs no discount?",
)
