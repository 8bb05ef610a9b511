"""Exercises of notebooks/05_loyalty/04_loyalty_programs_and_lifecycle.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import loyalty
from crmlib.concepts import MatchPairs, MultipleChoice, PutInOrder
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = [
    "collab_repeat_rate",
    "gold_share_t3",
    "lost_lotus_mid_2025",
    "cross_buy_30_days",
    "lifecycle_order",
    "lifecycle_actions",
    "loyalty_tactics",
    "habits_observed",
]

_TEA = {"customer": "member_id", "date": "order_time"}


@cache
def _tea():
    return load_tea()


@cache
def _consumer_lines() -> pd.DataFrame:
    """One row per consumer order line with the customer, the order date and the product category."""
    retail = load_retail()
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    orders = retail.orders[retail.orders["customer_id"].isin(consumers)]
    return retail.order_lines.merge(orders[["order_id", "customer_id", "order_date"]], on="order_id").merge(
        retail.products[["product_id", "category"]], on="product_id"
    )


def _collab_repeat_rate() -> float:
    tea = _tea()
    orders = tea.orders.merge(tea.members[["member_id", "join_channel"]], on="member_id")
    table = loyalty.repeat_rate(orders, **_TEA, by="join_channel")
    return round(float(table.loc["collab campaign", "repeat_rate"]), 3)


def _gold_share_t3() -> float:
    orders = _tea().orders
    tiers = loyalty.loyalty_tiers(orders[orders["brand_id"] == "T3"], **_TEA, amount="net_amount")
    return round(float(loyalty.tier_summary(tiers).loc["gold", "spend_share"]), 3)


def _lost_t2() -> int:
    counts = loyalty.stage_counts(_tea().orders, "2025-06-30", **_TEA, by="brand_id")
    return int(counts.loc["T2", "lost"])


def _cross_buy_30_days() -> float:
    lines = _consumer_lines()
    early = loyalty.cross_buying(lines, within_days=30)
    early = early[early["first_purchase"] < "2025-01-01"]
    late_buyers = lines.loc[lines["order_date"] >= "2025-07-01", "customer_id"].unique()
    again = early.index.isin(late_buyers)
    rates = pd.Series(again, index=early.index).groupby(early["cross_buyer"]).mean()
    return round(float(rates[True] - rates[False]), 3)


collab_repeat_rate = Exercise(
    "Repeat rate of tea members who joined through a collab campaign (3 decimals)",
    answer=_collab_repeat_rate,
    hint="Merge tea.orders with tea.members[['member_id', 'join_channel']], then "
    "loyalty.repeat_rate(..., customer='member_id', date='order_time', by='join_channel').",
    decimals=3,
)

gold_share_t3 = Exercise(
    "Share of Snowy Cup (T3) spend that comes from its gold tier (default quantile tiers, all history, 3 decimals)",
    answer=_gold_share_t3,
    hint="loyalty.loyalty_tiers on the T3 orders (customer='member_id', date='order_time', amount='net_amount'), "
    "then loyalty.tier_summary and read spend_share of 'gold'.",
    decimals=3,
)

lost_lotus_mid_2025 = Exercise(
    "Number of Lotus Lane (T2) members in the 'lost' stage on 2025-06-30, with the default rules",
    answer=_lost_t2,
    hint="loyalty.stage_counts(tea.orders, '2025-06-30', customer='member_id', date='order_time', by='brand_id') "
    "has one row per brand and one column per stage.",
)

cross_buy_30_days = Exercise(
    "Cross-buyers counted over the first 30 days (within_days=30), first purchase in 2024: share buying again "
    "on or after 2025-07-01, cross-buyers minus the rest (3 decimals)",
    answer=_cross_buy_30_days,
    hint="Repeat the notebook's cross-buying comparison with loyalty.cross_buying(lines, within_days=30).",
    decimals=3,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
lifecycle_order = PutInOrder(
    "A customer relationship passes through six stages of the customer life cycle (客户生命周期). Put them in "
    "order, first stage first.",
    choices=["use 使用", "discover 发现", "leave 流失", "buy 购买", "retain 保持", "evaluate 评估"],
    answer="B F D A E C",
    feedback={
        "A": "The customer uses the product after buying it, and only then decides whether to buy again.",
        "B": "Nothing can happen before the customer learns that the brand exists: discovering comes first.",
        "C": "Leaving is where a relationship ends, so it is the last stage (unless a win-back starts a new one).",
        "D": "The first purchase follows the comparison with other offers, and comes before using the product.",
        "E": "Retention means buying again after a good experience of use; it comes before any leaving.",
        "F": "A customer compares the brand with others after discovering it and before the first purchase.",
    },
    explanation="Discover → evaluate → buy → use → retain → leave; each stage needs its own strategy, and the "
    "aim is a longer relationship with more value in it.",
    hint=["Can anyone buy before they know you exist?", "Using comes after buying, retaining after using."],
)

lifecycle_actions = MatchPairs(
    "Match each stage of the life cycle with what the firm should do in it.",
    choices=["discover 发现", "evaluate 评估", "use 使用", "retain 保持", "leave 流失"],
    targets=[
        "help the customer get value from the product: tips, quick service, no surprises",
        "notice early, ask why, and try to win back the customers worth keeping",
        "be visible where people look: advertising, word of mouth",
        "reward and deepen: tiers, cross-selling, personal care",
        "make trying easy: a clear offer, reviews, a first-order gift",
    ],
    answer="A3 B5 C1 D4 E2",
    feedback={
        "A": "At discovery the customer does not know the brand yet, so the firm's job is to be seen.",
        "B": "While the customer compares offers, the firm lowers the barrier to a first try.",
        "C": "After the purchase the customer lives with the product; help now prevents complaints later.",
        "D": "A returning customer is rewarded and offered more of the range.",
        "E": "A drifting customer must be noticed before it is too late, and asked what went wrong.",
    },
    explanation="Tailoring the strategy to each stage raises lifetime value: the firm spends on what moves the "
    "customer to the next stage, not the same offer for everyone.",
    hint=["What does a customer who has never heard of you need?", "Winning back belongs to the last stage."],
)

loyalty_tactics = MultipleChoice(
    "Which of these are good tactics for building loyal customers? Pick every one that applies.",
    choices=[
        "build trust: keep promises and handle complaints fast",
        "surprise: new products and limited editions that give a reason to come back",
        "be consistent: the same quality every visit, so customers can predict what they get",
        "keep in frequent contact, so no gap opens for a competitor",
        "charge loyal regulars more, since they will not leave anyway",
        "promise more than you can deliver, to raise expectations",
        "contact customers only when they complain",
    ],
    answer="A B C D",
    feedback={
        "E": "Loyalty rests on trust. Customers who find out they pay more for being loyal feel betrayed and "
        "leave; using their profile this way (大数据杀熟) is also against Chinese law.",
        "F": "Satisfaction compares what customers get with what they expected. A promise you cannot keep turns "
        "a good performance into a disappointment.",
        "G": "Silence leaves the gap that competitors step into; frequent, useful contact keeps the relationship "
        "alive.",
    },
    explanation="Trust, surprise, consistency and frequent contact, together with a brand culture, genuine "
    "value and 'walking on two legs' (relationships bring sales, sales deepen relationships), build loyalty.",
    hint=["Four options are right.", "Would a loyal customer who found out about the tactic feel respected?"],
)

habits_observed = MatchPairs(
    "A loyal customer (忠诚客户) has five habits. Match each thing a firm can observe with the habit it shows.",
    choices=[
        "a member who bought on 40 different days last year",
        "a consumer whose first basket held a sofa, a lamp and bed linen",
        "a new consumer who came because a friend gave her a referral code",
        "a regular who ordered again the week after her drink was made wrong",
        "a regular who kept buying from us during a rival's 30%-off week next door",
    ],
    targets=[
        "buys across the range (交叉购买)",
        "resists competitors' offers (抵制竞争对手的诱惑)",
        "buys again, regularly (重复购买)",
        "forgives an occasional failure (容忍偶尔的失误)",
        "recommends the firm to others (推荐)",
    ],
    answer="A3 B1 C5 D4 E2",
    feedback={
        "A": "Coming back on many different days is the first and simplest habit, the one the repeat rate "
        "measures (§2).",
        "B": "Several product categories from one firm is what §3 counts with loyalty.cross_buying.",
        "C": "The loyal customer here is the friend: she recommended the firm, and the new consumer is the "
        "result (§4).",
        "D": "She had a reason to leave and came back anyway: that is the habit §5 looks for after a complaint.",
        "E": "A cheaper offer next door was the temptation; staying with us shows she resists it. Our data "
        "cannot see this habit, because we never see a rival's offer.",
    },
    explanation="Repeat purchase, cross-buying, recommending, resisting rivals and forgiving a slip are the "
    "five habits; four of them can be measured in an orders table, resisting rivals only with data on their "
    "offers.",
    hint=[
        "Each observation fits exactly one habit.",
        "Two of them are about a problem or a temptation that the customer did not leave over.",
    ],
)
