"""Exercises of notebooks/01_identification/02_pareto_and_customer_value.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import identify
from crmlib.concepts import MatchPairs, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail, load_tea
from crmlib.exercise_sets.case_industrial_key_accounts import FUTURE, REFERENCE_WEIGHTS
from crmlib.exercises import Exercise

__all__ = [
    "half_revenue_members",
    "class_a_aurora",
    "gini_lotus",
    "stay_strategic",
    "current_or_future",
    "value_criteria",
    "account_treatment",
    "ordinary_customers",
    "rising_account",
]

# The notebook's weights, the same as the industrial case's: current value 0.6 (margin, sales,
# marketing cost), future value 0.4 (position, years, satisfaction).
_WEIGHTS, _FUTURE = REFERENCE_WEIGHTS, FUTURE


def _brand_orders(brand: str) -> pd.DataFrame:
    orders = load_tea().orders
    return orders[orders["brand_id"] == brand]


def _half_revenue_members() -> float:
    pareto = identify.pareto_table(_brand_orders("T2"), customer="member_id", amount="net_amount")
    first = pareto[pareto["cum_value_share"] >= 0.5].iloc[0]
    return round(float(first["cum_customer_share"]), 3)


def _class_a_aurora() -> int:
    summary = identify.abc_summary(_brand_orders("T1"), customer="member_id", amount="net_amount")
    return int(summary.set_index("abc_class").loc["A", "customers"])


def _gini_lotus() -> float:
    totals = identify.customer_totals(_brand_orders("T2"), customer="member_id", amount="net_amount")
    return round(identify.gini(totals), 3)


def _accounts() -> pd.DataFrame:
    """The business accounts with their criteria, built as in the notebook."""
    retail = load_retail()
    return identify.account_criteria(retail.customers, retail.orders, retail.order_lines, retail.surveys)


_CURRENT_ONLY = {"margin": 0.5, "line_amount": 0.3, "marketing_cost": 0.2}


def _stay_strategic() -> int:
    accounts = _accounts()
    today = identify.value_score(accounts, _WEIGHTS, cost=["marketing_cost"], future=_FUTURE)
    current = identify.value_score(accounts, _CURRENT_ONLY, cost=["marketing_cost"])
    strategic_today = identify.account_tiers(today)["tier"] == "strategic"
    strategic_current = identify.account_tiers(current)["tier"] == "strategic"
    return int((strategic_today & strategic_current).sum())


half_revenue_members = Exercise(
    "Lotus Lane (T2): the smallest share of members, biggest spenders first, "
    "that brings half of the revenue (3 decimals)",
    answer=_half_revenue_members,
    decimals=3,
    hint='Build identify.pareto_table for the T2 orders (customer="member_id", amount="net_amount"), keep the rows '
    "where cum_value_share >= 0.5 and read cum_customer_share on the first of them.",
    atol=5e-4,
)

class_a_aurora = Exercise(
    "How many Aurora Leaf (T1) members are in ABC class A?",
    answer=_class_a_aurora,
    hint='identify.abc_summary on the T1 orders (customer="member_id", amount="net_amount") has a row per class; '
    'read the customers column of class "A".',
)

gini_lotus = Exercise(
    "Gini coefficient of Lotus Lane (T2) members' total spend, rounded to 3 decimals",
    answer=_gini_lotus,
    decimals=3,
    hint='identify.customer_totals(T2 orders, customer="member_id", amount="net_amount") gives one total per '
    "member; pass it to identify.gini.",
    atol=5e-4,
)

stay_strategic = Exercise(
    "Scored on current value only (margin 0.5, line_amount 0.3, marketing_cost 0.2, no future criteria), how "
    "many of today's strategic accounts would still be strategic?",
    answer=_stay_strategic,
    hint=[
        "Score the accounts a second time with identify.value_score and the new weights (marketing_cost is "
        "still a cost), then split them with identify.account_tiers.",
        "Compare the two tier columns row by row: count the accounts that are 'strategic' in both.",
    ],
)


# --- concept checks (概念自测) -------------------------------------------------------------------

current_or_future = SortIntoClasses(
    "Customer value (客户价值) = current value + future value. Sort each criterion of the business-account "
    "score into the part it measures.",
    choices=[
        "gross profit 毛利",
        "sales volume 销售额",
        "marketing cost 营销成本 (discounts, cost of payment terms)",
        "industry position 行业地位",
        "years of cooperation 合作年限",
        "customer satisfaction 客户满意度",
    ],
    classes=["current value 当前价值", "future value 未来价值"],
    answer="A1 B1 C1 D2 E2 F2",
    feedback={
        "A": "Gross profit is money the account earns us now: current value.",
        "B": "Sales volume is what the account buys now: current value.",
        "C": "The cost of serving the account is paid now and is taken off what it brings now: current value.",
        "D": "A leader in its industry is likely to grow and to be followed by others: a sign of future value.",
        "E": "A long cooperation suggests the account will stay, so it points to value still to come.",
        "F": "A satisfied account is likely to keep buying and to recommend us: a sign of future value.",
    },
    explanation="Profit, volume and cost describe what an account brings today; standing in its industry, "
    "length of cooperation and satisfaction hint at what it may bring tomorrow.",
    hint="Ask of each criterion: is it money already earned or spent, or a sign of what may come?",
)

value_criteria = MatchPairs(
    "Customer-operations practice judges a customer's value by four criteria (客户价值评价标准). Match each "
    "criterion with the evidence for it.",
    choices=["revenue value 收益价值", "loyalty 忠诚度", "influence 影响力", "growth potential 发展潜力"],
    targets=[
        "reputation and weight in its industry or circle",
        "satisfaction, willingness to recommend and to renew",
        "the industry's trend, the customer's finances, plans and budget",
        "purchases, how often they repeat, referrals",
    ],
    answer="A4 B2 C1 D3",
    feedback={
        "A": "Revenue value is read from what the customer buys and brings in.",
        "B": "Loyalty shows in satisfaction and in the will to stay and recommend.",
        "C": "Influence is how much others listen to the customer: its reputation and weight.",
        "D": "Growth potential looks ahead: where the customer's industry and business are going.",
    },
    explanation="Only revenue value is easy to read from order data; the other three need surveys, industry "
    "knowledge or the account manager's judgement.",
    hint="Which criterion looks furthest into the future?",
)

account_treatment = SortIntoClasses(
    "Section 6 gave each tier of business accounts its own treatment. Sort each item: general or strategic accounts?",
    choices=[
        "regular visits by a named account manager",
        "calls and e-mail, with visits on a schedule to keep costs down",
        "a steady, standard level of service",
        "value-added service such as priority delivery, joint planning and training for the customer's staff",
        "regular meetings between the senior managers of both firms (高层互访)",
        "the large majority of accounts, bringing a small share of the profit",
    ],
    classes=["general accounts 一般客户", "strategic accounts 战略客户"],
    answer="A2 B1 C1 D2 E2 F1",
    feedback={
        "A": "A named manager who visits regularly is costly, so it is kept for the accounts that bring most.",
        "B": "Controlling the frequency and cost of contact is how general accounts are served.",
        "C": "General accounts keep good, standard service; they are not neglected, but get no extras.",
        "D": "Extras beyond the product are value-added service, for the accounts that matter most.",
        "E": "Exchanges between senior managers build the relationship at the top: strategic accounts.",
        "F": "By the 80/20 rule, the many accounts bringing about a fifth of the profit are the general ones.",
    },
    explanation="Strategic accounts (战略客户) get personal, value-added service because they bring most of the "
    "profit; general accounts (一般客户) get a steady standard service at a controlled cost.",
    hint="Which items cost the supplier a lot of time and money per account?",
)

ordinary_customers = SingleChoice(
    "By the 80/20 rule, what are the many customers (about 80%) who bring only about 20% of the profit called?",
    choices=[
        "key customers 关键客户",
        "ordinary customers 普通客户",
        "strategic accounts 战略客户",
        "lost customers 流失客户",
    ],
    answer="B",
    feedback={
        "A": "Key customers are the other side: the roughly 20% who bring roughly 80% of the profit.",
        "C": "Strategic accounts are the top tier of business accounts, the few that bring most of the profit.",
        "D": "These customers are still buying; they simply bring less each. Lost customers have stopped.",
    },
    explanation="The rule splits customers into a few key customers (关键客户) and many ordinary customers "
    "(普通客户). Ordinary does not mean worthless: together they still bring a fifth of the profit.",
    hint="The 80% are the majority; what do you call a typical, everyday customer?",
)

rising_account = SingleChoice(
    "A hospital group signed up last year. It buys little so far, but it leads its region, is opening new sites "
    "and is very satisfied. On current value alone it is a general account. What does the customer-value view "
    "of this notebook say?",
    choices=[
        "Its future value may make it worth strategic attention now, before a rival wins it.",
        "It should stay general: only the profit an account brings today counts.",
        "It should be dropped, because it costs more to serve than it brings.",
        "Its value cannot be judged until it has bought for at least five years.",
    ],
    answer="A",
    feedback={
        "B": "Counting only today's profit ignores future value, the second half of customer value: exactly "
        "the rising accounts would be neglected.",
        "C": "Nothing says it costs more than it brings; and even a small account today can be worth a lot tomorrow.",
        "D": "The signs of future value (industry position, growth, satisfaction) are there now. Waiting five "
        "years gives a rival five years to win the account.",
    },
    explanation="Customer value = current value + future value. A new account with a big future and a modest "
    "present can be worth more than an old one that buys a lot but is shrinking.",
    hint="Which three signs of future value does this account show?",
)
