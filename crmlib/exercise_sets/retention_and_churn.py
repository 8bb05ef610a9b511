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
    "best_threshold_financial",
    "loyal_traits",
    "churn_and_retention",
    "campaign_lesson",
    "bond_levels",
    "strongest_bond",
]

_ORDERS = dict(customer="member_id", date="order_time", amount="net_amount")
_TRAIN_AS_OF, _TEST_AS_OF, _HORIZON = "2025-06-30", "2025-09-30", 90
_FEATURES = [*loyalty.CHURN_FEATURES, "collab_joiner"]
_MARGIN_RATE, _DISCOUNT_RATE, _QUARTERS = 0.60, 0.02, 4


@lru_cache(maxsize=1)
def _tea():
    return load_tea()


def _active(as_of: str) -> pd.DataFrame:
    """Churn labels at ``as_of`` for members who bought in the horizon before it, with the collab flag."""
    tea = _tea()
    labels = loyalty.churn_labels(tea.orders, as_of=as_of, horizon_days=_HORIZON, **_ORDERS)
    kept = labels[labels["recency_days"] < _HORIZON].copy()
    collab = tea.members.set_index("member_id")["join_channel"].eq("collab campaign").astype(int)
    kept["collab_joiner"] = collab.reindex(kept.index).to_numpy()
    return kept


@lru_cache(maxsize=1)
def _train_test() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _active(_TRAIN_AS_OF), _active(_TEST_AS_OF)


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
    train, test = _train_test()
    model = loyalty.ChurnModel(features=_FEATURES, threshold=0.3).fit(train)
    return round(float(model.evaluate(test).loc["recall", "value"]), 3)


def _best_threshold_financial() -> float:
    tea = _tea()
    train, test = _train_test()
    model = loyalty.ChurnModel(features=_FEATURES).fit(train)
    orders = tea.orders
    day = orders["order_time"].dt.normalize()
    window = orders[(day > pd.Timestamp(_TEST_AS_OF) - pd.Timedelta(days=_HORIZON)) & (day <= _TEST_AS_OF)]
    quarter_margin = _MARGIN_RATE * window.groupby("member_id")["net_amount"].sum()
    scored = test.assign(churn_probability=model.predict_proba(test))
    scored["value_if_kept"] = loyalty.simple_clv(
        quarter_margin.reindex(scored.index),
        retention=1 - train["churned"].mean(),
        discount_rate=_DISCOUNT_RATE,
        periods=_QUARTERS,
    )
    grid = loyalty.retention_campaign_table(scored)
    financial = grid[grid["bond"] == "financial"]
    return float(financial.loc[financial["net_value"].idxmax(), "threshold"])


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

best_threshold_financial = Exercise(
    "Threshold of loyalty.retention_campaign_table's grid with the highest net value for the financial offer",
    answer=_best_threshold_financial,
    hint="grid = loyalty.retention_campaign_table(scored); keep the rows with bond == 'financial', "
    "and take the threshold of the row "
    "with the largest net_value (.idxmax()).",
    atol=1e-6,
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

bond_levels = SortIntoClasses(
    "Relationship marketing speaks of three levels of retention bonds (客户保持的三个层次). Which level is each "
    "tactic of a tea chain?",
    choices=[
        "member prices and coupons",
        "a birthday drink and a personal message from the shop manager",
        "a team account in the mini-program that lets an office pre-order and pay once a month",
        "double points on weekdays",
        "a barista who knows each regular by name and chats with her",
        "a saved 'usual order' that is ready when she arrives",
    ],
    classes=["financial 财务层次", "financial + social 财务+社交层次", "structural 结构层次"],
    answer="A1 B2 C3 D1 E2 F3",
    feedback={
        "A": "Prices and coupons give money's worth: a financial bond, quick to launch and easy to copy.",
        "B": "A personal gesture that shows the firm knows her is a social bond.",
        "C": "A tailored, technology-based service that saves the office work ties the customer into the way "
        "she works: a structural bond.",
        "D": "Points are a financial benefit, however they are timed.",
        "E": "Knowing the customer as a person is a social bond; it depends on the staff and leaves with them.",
        "F": "The saved order is built into the service and saves her time each visit: a structural bond.",
    },
    explanation="Financial bonds give money, social bonds a personal relationship, structural bonds a "
    "customised service that raises the customer's own efficiency.",
    hint=["Money, people, or a system built around the customer?", "Saving the customer time is structural."],
)

strongest_bond = SingleChoice(
    "Which level of retention bond is hardest for a rival to copy, and why?",
    choices=[
        "financial: the bigger the discount, the more loyal the customer",
        "financial + social: customers never leave staff they like",
        "structural: a customised, technology-based service raises the customer's own efficiency, and "
        "leaving means losing it",
        "all three are equally hard to copy",
    ],
    answer="C",
    feedback={
        "A": "A discount is the easiest thing to copy: a rival only has to match it, and customers who came "
        "for the deal follow the better deal.",
        "B": "Social bonds lower switching, but they are costly for each customer and not solid: when the "
        "friendly staff member leaves, the bond can leave too.",
        "D": "They differ a lot: money is copied in a day, a personal relationship in months, a service built "
        "into the customer's work only with great effort.",
    },
    explanation="The structural bond is the strongest (and costs most to build first); the financial bond is "
    "fast to launch but weakest.",
    hint=["What would a rival need to do to copy each one?", "Which bond changes how the customer works?"],
)

__all__ += ["barrier_to_entry"]

barrier_to_entry = SingleChoice(
    "A new tea brand opens next door to an office whose staff pre-order 30 drinks every Friday through our "
    "team account, which remembers each person's usual drink and sends one invoice a month. The rival offers "
    "20% off. Why is our relationship a barrier to entry (进入壁垒) for the rival?",
    choices=[
        "The law forbids the office to change its supplier during a contract.",
        "The rival must offer more than the office would lose by switching: the saved orders, the one invoice, "
        "the time to set everything up again.",
        "Our drinks are cheaper than the rival's, even after its discount.",
        "A barrier to entry only exists where a firm has a monopoly.",
    ],
    answer="B",
    feedback={
        "A": "Nothing in the story is a legal tie: the office could leave tomorrow. What keeps it is what leaving "
        "would cost it.",
        "C": "The story says nothing about our price, and a price lead is easy for a rival to copy. The barrier is "
        "the relationship, not the price.",
        "D": "A relationship the customer values is a barrier in any market: the rival must first overcome the "
        "customer's switching cost (转换成本).",
    },
    explanation="A relationship the customer values raises its switching cost, so a competitor must offer more "
    "than a discount to win the customer. Structural bonds raise it most, because they are built into how the "
    "customer works.",
    hint=[
        "What would the office have to do to move its Friday order to the rival?",
        "Think of switching cost (转换成本): what a customer loses by moving to a rival.",
    ],
)
