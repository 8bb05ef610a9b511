"""Exercises of notebooks/05_loyalty/04_loyalty_programs_and_lifecycle.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import loyalty
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["collab_repeat_rate", "gold_share_t3", "lost_lotus_mid_2025", "cross_buy_30_days"]

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
)

gold_share_t3 = Exercise(
    "Share of Snowy Cup (T3) spend that comes from its gold tier (default quantile tiers, all history, 3 decimals)",
    answer=_gold_share_t3,
    hint="loyalty.loyalty_tiers on the T3 orders (customer='member_id', date='order_time', amount='net_amount'), "
    "then loyalty.tier_summary and read spend_share of 'gold'.",
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
)
