"""Exercises of notebooks/05_loyalty/02_retention_and_churn.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import loyalty
from crmlib.concepts import MultipleChoice, SingleChoice, SortIntoClasses
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "collab_month3_by_brand",
    "base_rate_march",
    "recall_at_03",
    "loyal_traits",
    "churn_and_retention",
    "campaign_lesson",
    "feeling_or_behaviour",
    # the churn set-up of the notebook, shared with keeping_customers (05_keeping_customers.ipynb)
    "TRAIN_AS_OF",
    "TEST_AS_OF",
    "HORIZON",
    "FEATURES",
    "train_test",
]

_ORDERS = dict(customer="member_id", date="order_time", amount="net_amount")
TRAIN_AS_OF, TEST_AS_OF, HORIZON = "2025-06-30", "2025-09-30", 90
FEATURES = [*loyalty.CHURN_FEATURES, "collab_joiner"]


@lru_cache(maxsize=1)
def _tea():
    return load_tea()


def _active(as_of: str) -> pd.DataFrame:
    """Churn labels at ``as_of`` for members who bought in the horizon before it, with the collab flag."""
    tea = _tea()
    labels = loyalty.churn_labels(tea.orders, as_of=as_of, horizon_days=HORIZON, **_ORDERS)
    kept = labels[labels["recency_days"] < HORIZON].copy()
    collab = tea.members.set_index("member_id")["join_channel"].eq("collab campaign").astype(int)
    kept["collab_joiner"] = collab.reindex(kept.index).to_numpy()
    return kept


@lru_cache(maxsize=1)
def train_test() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The active members at the training and at the test date, as the notebook builds them (cached:
    do not change them in place)."""
    return _active(TRAIN_AS_OF), _active(TEST_AS_OF)


def _collab_month3_by_brand() -> pd.Series:
    tea = _tea()
    orders = tea.orders.merge(tea.members[["member_id", "join_channel"]], on="member_id")
    both = loyalty.cohort_table(orders, customer="member_id", date="order_time", by=["brand_id", "join_channel"])
    month3 = both.xs(3, level="period_number").xs("collab campaign", level="join_channel")
    sums = month3.groupby("brand_id", observed=True)[["active_customers", "cohort_size"]].sum()
    return (sums["active_customers"] / sums["cohort_size"]).round(3)


def _base_rate_march() -> float:
    return round(float(_active("2025-03-31")["churned"].mean()), 3)


def _recall_at_03() -> float:
    train, test = train_test()
    model = loyalty.ChurnModel(features=FEATURES, threshold=0.3).fit(train)
    return round(float(model.evaluate(test).loc["recall", "value"]), 3)


collab_month3_by_brand = Exercise(
    "Pooled month-3 retention of collab-campaign joiners, per brand, rounded to 3 decimals",
    answer=_collab_month3_by_brand,
    hint="loyalty.cohort_table(with_channel, customer='member_id', date='order_time', "
    "by=['brand_id', 'join_channel']); "
    "take period 3 with .xs(3, level='period_number') "
    "and the collab rows with .xs('collab campaign', level='join_channel'); "
    "then per brand: sum of active_customers / sum of cohort_size.",
    decimals=3,
)

base_rate_march = Exercise(
    "Churn rate among active members as of 2025-03-31 (90-day horizon), rounded to 3 decimals",
    answer=_base_rate_march,
    hint="active_members(loyalty.churn_labels(orders, as_of='2025-03-31', horizon_days=90, **ORDERS)), "
    "then the mean of its 'churned' column.",
    decimals=3,
)

recall_at_03 = Exercise(
    "Recall on the test members of the churn model with threshold 0.3, rounded to 3 decimals",
    answer=_recall_at_03,
    hint="loyalty.ChurnModel(features=FEATURES, threshold=0.3).fit(train).evaluate(test) is a table indexed by "
    "metric; take .loc['recall', 'value'].",
    decimals=3,
)

# --- concept checks (概念自测) ------------------------------------------------------------------
loyal_traits = MultipleChoice(
    "Which of these are traits of a loyal customer (忠诚客户)? Pick every one that applies.",
    choices=[
        "she buys again, regularly",
        "she buys several kinds of product from the firm, not just one",
        "she recommends the firm to friends",
        "she turns down a rival's offer",
        "she forgives an occasional mistake and does not leave",
        "she never complains",
        "she buys only when there is a discount",
        "she says in a survey that she is satisfied",
    ],
    answer="A B C D E",
    feedback={
        "F": "Loyal customers do complain, because they want the firm to get it right and mean to stay. A "
        "customer who never complains may simply leave without a word.",
        "G": "Buying only for the discount is loyalty to the deal, not to the firm: a bigger discount elsewhere "
        "takes her away.",
        "H": "Satisfaction is a feeling about what she got; loyalty shows in what she does over time. Satisfied "
        "customers still switch when a rival offers more.",
    },
    explanation="The five traits: repeat purchase (重复购买), cross-buying (交叉购买), recommending (推荐), "
    "resisting competitors' lures and tolerating an occasional failure (容忍偶尔的失误).",
    hint=["Five options are right.", "Loyalty shows in behaviour over time, not in one answer or one purchase."],
)

churn_and_retention = SingleChoice(
    "Of 1,000 members who were buying in June, 300 bought nothing in the next 90 days. Which statement is right?",
    choices=[
        "the retention rate is 30 % and the churn rate 70 %",
        "the churn rate (流失率) is 30 % and the retention rate (留存率) 70 %, for this 90-day horizon",
        "the 300 are lost for good and can be deleted from the file",
        "no rate can be given without a churn model",
    ],
    answer="B",
    feedback={
        "A": "These are swapped. Churn counts the customers who stopped buying (300 of 1,000); retention counts "
        "those who stayed (700 of 1,000).",
        "C": "Churn is defined by a horizon: some of them come back later, and those who do not are the targets "
        "of a win-back offer. Their history is worth keeping (as long as the purpose needs it).",
        "D": "A model predicts which members will churn. The rate itself is just a count of what happened.",
    },
    explanation="Churn and retention add up to 100 %; both depend on the horizon chosen, so always say it "
    "(here 90 days).",
    hint=["Churn: who left. Retention: who stayed.", "300 of 1,000 is 30 %."],
)

campaign_lesson = SingleChoice(
    "Members who joined in a collab campaign start like everyone else, then lapse much faster. What should "
    "the tea chain learn from this?",
    choices=[
        "stop all campaigns: they only attract the wrong customers",
        "the campaign brought sales more than relationships: judge campaigns by the members still buying "
        "months later, and give new joiners a reason to come back",
        "keep collab joiners out of the membership programme",
        "the difference is probably chance, so nothing needs to change",
    ],
    answer="B",
    feedback={
        "A": "Campaigns do bring new members and sales. The lesson is to follow up after the campaign, not to "
        "stop running them.",
        "C": "Some collab joiners liked the drinks and could stay with a small push; shutting them out loses them "
        "for certain.",
        "D": "The gap is large and shows in month after month of cohorts; it is a real pattern, not noise.",
    },
    explanation="Counting sign-ups in week one flatters a campaign; retention months later shows whether it "
    "built relationships.",
    hint="Did the campaign win customers, or only sales?",
)

feeling_or_behaviour = SortIntoClasses(
    "Satisfaction (客户满意) and loyalty (客户忠诚) are not the same thing. Is each observation about a tea "
    "member a sign of satisfaction or of loyalty?",
    choices=[
        "she gives her last drink five stars in the mini-program",
        "she has bought at least once a week for a whole year",
        "she tells a survey that the shop was as clean as she had expected",
        "a rival opens next door with 30% off, and she keeps buying from us",
        "she brings three colleagues to the brand's mini-program",
        "she is pleased that her first order arrived ten minutes early",
    ],
    classes=["satisfaction: a feeling about what she got", "loyalty: what she does over time"],
    answer="A1 B2 C1 D2 E2 F1",
    feedback={
        "A": "A rating says how she felt about one drink. It says nothing about whether she will come back.",
        "B": "Buying again, regularly, over a long time is behaviour: the first trait of a loyal customer.",
        "C": "She compares what she perceived with what she expected: that is the definition of satisfaction.",
        "D": "Turning down a competitor's offer shows in what she does: a loyal customer resists rivals' lures.",
        "E": "Recommending the brand to others is one of the five traits of a loyal customer.",
        "F": "Being pleased with one delivery is a feeling about that order; satisfied customers can still leave.",
    },
    explanation="Satisfaction is a feeling that comes from comparing perception with expectation; loyalty is "
    "a lasting preference that shows in behaviour over time: buying again, buying across the range, "
    "recommending, resisting rivals and forgiving a slip.",
    hint=[
        "Is it about one experience, or about what she keeps doing?",
        "Three are feelings about one experience; three are things she does over time.",
    ],
)
