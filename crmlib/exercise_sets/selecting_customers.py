"""Exercises of notebooks/01_identification/04_selecting_customers.ipynb."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from crmlib import identify
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["top5_revenue_share", "lotus_small_share", "top_expected_spend_july", "top_break_even_lift"]

_COST_PER_CUSTOMER = 50  # CNY to reach one consumer: the notebook's assumption


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


def _top5_share() -> float:
    pyramid = identify.customer_pyramid(_consumer_orders(), customer="customer_id", amount="amount").set_index("tier")
    return float(pyramid.loc[["top", "large"], "value_share"].sum())


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


top5_revenue_share = Exercise(
    "Share of the consumers' revenue that comes from the top 5% (the 'top' and 'large' tiers of the pyramid)",
    answer=_top5_share,
    hint="Take the `pyramid` table, select the rows of the tiers 'top' and 'large' and add up their value_share.",
)

lotus_small_share = Exercise(
    "Lotus Lane (T2) customer pyramid: share of revenue from the 'small' tier (the bottom 80% of members)",
    answer=_lotus_small_share,
    hint="identify.customer_pyramid on the T2 orders of tea.orders, with customer='member_id' and "
    "amount='net_amount'; read value_share of the 'small' row.",
)

top_expected_spend_july = Exercise(
    "With as-of date 2025-07-01: mean spend per top-tier consumer in the following 90 days",
    answer=lambda: float(_outlook("2025-07-01").loc["top", "expected_spend"]),
    hint="Repeat the steps of section 4 with as_of = pd.Timestamp('2025-07-01'): orders before it rank the "
    "consumers into tiers, orders in the 90 days from it give the spend; average it over the top tier "
    "(consumers who bought nothing count as 0).",
)

top_break_even_lift = Exercise(
    "Break-even lift of a campaign aimed only at the top tier: the lift at which one reached customer's "
    "extra gross margin equals the cost of reaching them",
    answer=_break_even_lift,
    hint="Extra gross margin of one reached top-tier customer = expected_spend x lift x margin_rate. Set it "
    "equal to cost_per_customer and solve for the lift.",
)
