"""Exercises of notebooks/01_identification/04_selecting_customers.ipynb."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import identify
from crmlib.concepts import MatchPairs, MultipleChoice, PutInOrder, SingleChoice
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = [
    "half_revenue_tier",
    "lotus_small_share",
    "top_expected_spend_july",
    "top_break_even_lift",
    "pyramid_order",
    "tier_service",
    "why_select",
    "value_criteria_four",
    "general_account_service",
]

_COST_PER_CUSTOMER = 50  # CNY to reach one consumer: the notebook's assumption
# The Chinese names the notebook gives the pyramid tiers -> the names `pyramid` writes: either passes.
_TIER_NAMES_ZH = {
    "顶尖客户": "top",
    "大客户": "large",
    "中等客户": "medium",
    "小客户": "small",
    "非活跃客户": "inactive",
}


@cache
def _consumer_orders() -> pd.DataFrame:
    retail = load_retail()
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    return retail.orders[retail.orders["customer_id"].isin(consumers)]


def _outlook(as_of: str, days: int = 90) -> pd.DataFrame:
    """Per pyramid tier (from the orders before ``as_of``): customers and mean spend in the next ``days``."""
    orders, start = _consumer_orders(), pd.Timestamp(as_of)
    before = orders[orders["order_date"] < start]
    after = orders[(orders["order_date"] >= start) & (orders["order_date"] < start + pd.Timedelta(days=days))]
    ranked = identify.pareto_table(before, customer="customer_id", amount="amount")
    bounds = np.ceil(np.cumsum(list(identify.PYRAMID_TIERS.values())) * len(ranked))
    ranked["tier"] = pd.cut(ranked["rank"], [0, *bounds], labels=list(identify.PYRAMID_TIERS))
    ranked["next_90_days"] = ranked["customer_id"].map(after.groupby("customer_id")["amount"].sum()).fillna(0)
    return ranked.groupby("tier", observed=False).agg(
        customers=("customer_id", "size"), expected_spend=("next_90_days", "mean")
    )


def _half_revenue_tier() -> str:
    """Going down the pyramid, the first tier at which the tiers so far bring half the revenue."""
    pyramid = identify.customer_pyramid(_consumer_orders(), customer="customer_id", amount="amount")
    covered = pyramid.set_index("tier")["value_share"].cumsum()
    return str(covered[covered >= 0.5].index[0])


def _lotus_small_share() -> float:
    orders = load_tea().orders
    pyramid = identify.customer_pyramid(orders[orders["brand_id"] == "T2"], customer="member_id", amount="net_amount")
    return float(pyramid.set_index("tier").loc["small", "value_share"])


def _margin_rate() -> float:
    lines = load_retail().order_lines
    lines = lines[lines["order_id"].isin(_consumer_orders()["order_id"])]
    return float(lines["margin"].sum() / lines["line_amount"].sum())


def _break_even_lift() -> float:
    return _COST_PER_CUSTOMER / (float(_outlook("2025-10-01").loc["top", "expected_spend"]) * _margin_rate())


half_revenue_tier = Exercise(
    "A key-account team will look after the consumers from the top of the pyramid down, tier by tier. "
    "Which is the lowest tier it must include to cover at least half of the consumers' revenue?",
    answer=_half_revenue_tier,
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_TIER_NAMES_ZH,
    hint=[
        "Each row of `pyramid` says what share of the revenue its tier brings (value_share). Add the "
        "shares from the top tier down until you pass one half.",
        "A running total is `.cumsum()`: `pyramid.set_index('tier')['value_share'].cumsum()`.",
        "covered = pyramid.set_index('tier')['value_share'].cumsum(); the answer is the first tier "
        "where covered >= 0.5, e.g. covered[covered >= 0.5].index[0].",
    ],
)

lotus_small_share = Exercise(
    "Lotus Lane (T2) customer pyramid: share of revenue from the 'small' tier (the bottom 80% of members)",
    answer=_lotus_small_share,
    decimals=3,
    hint="identify.customer_pyramid on the T2 orders of tea.orders, with customer='member_id' and "
    "amount='net_amount'; read value_share of the 'small' row.",
)

top_expected_spend_july = Exercise(
    "With as-of date 2025-07-01: mean spend per top-tier consumer in the following 90 days",
    answer=lambda: float(_outlook("2025-07-01").loc["top", "expected_spend"]),
    decimals=0,
    hint="Repeat the steps of section 5 with as_of = pd.Timestamp('2025-07-01'): orders before it rank the "
    "consumers into tiers, orders in the 90 days from it give the spend; average it over the top tier "
    "(consumers who bought nothing count as 0).",
)

top_break_even_lift = Exercise(
    "Break-even lift of a campaign aimed only at the top tier: the lift at which one reached customer's "
    "extra gross margin equals the cost of reaching them",
    answer=_break_even_lift,
    decimals=3,
    hint="Extra gross margin of one reached top-tier customer = expected_spend x lift x margin_rate. Set it "
    "equal to cost_per_customer and solve for the lift.",
)


# --- concept checks (概念自测) -------------------------------------------------------------------

pyramid_order = PutInOrder(
    "Put the tiers of the customer pyramid (客户金字塔) in order, from the top of the pyramid down.",
    choices=[
        "small customers 小客户: the remaining 80%",
        "top customers 顶尖客户: the best 1%",
        "inactive customers 非活跃客户: bought nothing in the period",
        "medium customers 中等客户: the next 15%",
        "large customers 大客户: the next 4%",
    ],
    answer="B E D A C",
    feedback={
        "A": "Small customers are the wide base of buying customers, below the medium tier and above only "
        "those who bought nothing.",
        "B": "The best 1% sit at the very top.",
        "C": "Customers who bought nothing in the period bring no value and sit below everyone who bought.",
        "D": "Medium customers come after the top 5% (top and large) and before the small ones.",
        "E": "Large customers are the 4% right under the top 1%.",
    },
    explanation="Top 1%, large 4%, medium 15%, small 80%, then the inactive: the fewer the customers in a tier, "
    "the more each of them is worth.",
    hint="The smaller the share of customers, the higher the tier.",
)

tier_service = MatchPairs(
    "Section 4 gave each tier of consumers a service level (服务等级). Match each tier with its service.",
    choices=["top 顶尖客户", "large 大客户", "medium 中等客户", "small 小客户"],
    targets=[
        "offers matched to what they bought, and nudges towards the next category",
        "good standard service through efficient channels such as the app and self-service",
        "a named adviser, free delivery and assembly, invitations to previews",
        "priority service, member prices, some personal contact",
    ],
    answer="A3 B4 C1 D2",
    feedback={
        "A": "The few top customers are worth a personal adviser and extras that would be far too costly for everyone.",
        "B": "Large customers get priority and member prices, with personal contact now and then, not a "
        "personal adviser.",
        "C": "Medium customers get targeted digital offers that try to move them up a tier.",
        "D": "Small customers still get good service, but through cheap, efficient channels.",
    },
    explanation="Every tier gets good service; the upper tiers get more because they bring more and would be "
    "costly to lose. Moving a medium customer up is one of the best uses of marketing money.",
    hint="Which service is the most personal and the most costly per customer?",
)

why_select = SingleChoice(
    "Why should a firm choose (客户选择) which customers to serve, and how well?",
    choices=[
        "Its resources are limited, and customers differ in what they bring and what they cost to serve.",
        "So that it can stop serving small customers altogether.",
        "Because large customers always bring a profit.",
        "Because treating all customers the same is against the law.",
    ],
    answer="A",
    feedback={
        "B": "Choosing does not mean dropping the base: small customers keep good standard service, through "
        "cheaper channels.",
        "C": "Not always: some customers cost more to serve than they bring, big discounts and long payment "
        "terms included.",
        "D": "No law requires different treatment. The reason is economic: equal treatment wastes money on some "
        "customers and serves the best ones too little.",
    },
    explanation="With limited money and time, a firm must decide whom to win, whom to look after closely, and "
    "whom to serve in the cheapest acceptable way.",
    hint="Think of the 200,000 CNY budget in the lead case.",
)

value_criteria_four = MultipleChoice(
    "Which of these are among the four criteria commonly used to judge what a customer is worth? Pick all that apply.",
    choices=[
        "revenue value 收益价值: purchases, repeat buying, referrals",
        "loyalty 忠诚度: satisfaction, willingness to recommend and renew",
        "influence 影响力: reputation and weight in their industry or circle",
        "growth potential 发展潜力: their trend, finances, plans and budget",
        "our firm's market share 市场份额",
        "how often the customer complains",
    ],
    answer="A B C D",
    feedback={
        "E": "Market share describes our firm against its rivals, not the worth of one customer. CRM looks at "
        "share of wallet (客户份额) instead.",
        "F": "Complaints are not a measure of worth: loyal customers complain too, and a complaint handled well "
        "can make a customer more loyal.",
    },
    explanation="Revenue value, loyalty, influence and growth potential. Order data measures only the first; a "
    "modest customer with a big circle of friends, or a small firm about to grow, may be worth more.",
    hint="Four are right. The two wrong ones are not about the customer's worth to us.",
)

general_account_service = SingleChoice(
    "Business accounts are split into strategic accounts (战略客户) and general accounts (一般客户). Which "
    "treatment fits a general account?",
    choices=[
        "a steady service level, with visits and costs kept under control",
        "regular exchanges between the senior managers of both firms",
        "no service at all, because it brings little profit",
        "value-added, personalised service and better terms",
    ],
    answer="A",
    feedback={
        "B": "Meetings between senior managers are costly and kept for strategic accounts.",
        "C": "General accounts still bring part of the profit and keep good, standard service; only the extras "
        "are held back.",
        "D": "Value-added, personalised service and better terms are for strategic accounts, the few that bring "
        "most of the profit.",
    },
    explanation="General accounts get a steady, standard service at a controlled cost; the extras go to the "
    "strategic accounts.",
    hint="General accounts are many and each brings little. What can the firm afford for each?",
)
