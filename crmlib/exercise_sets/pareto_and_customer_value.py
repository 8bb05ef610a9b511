"""Exercises of notebooks/01_identification/02_pareto_and_customer_value.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import identify
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["half_revenue_members", "class_a_aurora", "gini_lotus", "strategic_sales_share"]

# The notebook's weights: current value 0.6 (margin, sales, marketing cost), future value 0.4.
_WEIGHTS = {
    "margin": 0.30,
    "line_amount": 0.20,
    "marketing_cost": 0.10,
    "industry_position": 0.15,
    "cooperation_years": 0.15,
    "satisfaction": 0.10,
}
_FUTURE = ["industry_position", "cooperation_years", "satisfaction"]


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


def _strategic_sales_share() -> float:
    accounts = _accounts()
    scores = identify.value_score(accounts, _WEIGHTS, cost=["marketing_cost"], future=_FUTURE)
    strategic = identify.account_tiers(scores)["tier"] == "strategic"
    return round(float(accounts.loc[strategic, "line_amount"].sum() / accounts["line_amount"].sum()), 3)


half_revenue_members = Exercise(
    "Lotus Lane (T2): the smallest share of members, biggest spenders first, that brings half of the revenue (3 decimals)",
    answer=_half_revenue_members,
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
    hint='identify.customer_totals(T2 orders, customer="member_id", amount="net_amount") gives one total per '
    "member; pass it to identify.gini.",
    atol=5e-4,
)

strategic_sales_share = Exercise(
    "Share of the business accounts' sales (line_amount) that the strategic accounts bring, rounded to 3 decimals",
    answer=_strategic_sales_share,
    hint="The notebook's tiers table has a tier column on the same rows as accounts: add up line_amount where the "
    'tier is "strategic" and divide by the total.',
    atol=5e-4,
)
