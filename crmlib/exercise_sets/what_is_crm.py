"""Exercises of notebooks/00_overview/01_what_is_crm.ipynb."""

from __future__ import annotations

from crmlib import identify
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["median_ticket_brand", "snowy_top10_share", "aurora_top_channel", "one_order_share"]


def _median_ticket_brand() -> str:
    tea = load_tea()
    median_ticket = tea.orders.groupby("brand_id", observed=True)["net_amount"].median()
    return str(tea.brands.set_index("brand_id").loc[median_ticket.idxmax(), "brand_name"])


def _snowy_top10_share() -> float:
    snowy = load_tea().orders.query("brand_id == 'T3'")
    return round(identify.top_share(snowy, 0.10, customer="member_id", amount="net_amount"), 3)


def _aurora_top_channel() -> str:
    aurora = load_tea().orders.query("brand_id == 'T1'")
    return str(aurora.groupby("channel", observed=True)["net_amount"].sum().idxmax())


def _one_order_share():
    tea = load_tea()
    n_orders = tea.orders.groupby("member_id").size()
    brand = tea.members.set_index("member_id")["brand_id"]
    return (n_orders.reindex(brand.index) == 1).groupby(brand, observed=True).mean().round(3)


median_ticket_brand = Exercise(
    "Which brand has the highest median ticket (net_amount per order)? Its English brand_name.",
    answer=_median_ticket_brand,
    hint="Group the orders by brand_id, take the median of net_amount, find the brand with .idxmax(), "
    "then look up its brand_name in tea.brands.",
    ignore_case=True,
    ignore_whitespace=True,
)

snowy_top10_share = Exercise(
    "Share of Snowy Cup (T3) revenue from its top 10% of members, rounded to 3 decimals",
    answer=_snowy_top10_share,
    hint='Keep the orders of brand T3, then call identify.top_share(..., 0.10, customer="member_id", '
    'amount="net_amount"). The answer is a share between 0 and 1.',
    atol=5e-4,
)

aurora_top_channel = Exercise(
    "Which channel brings Aurora Leaf (T1) the most revenue?",
    answer=_aurora_top_channel,
    hint="Keep the orders of brand T1, add up net_amount by channel, and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

one_order_share = Exercise(
    "For each brand, the share of members with exactly one order (a Series indexed by brand_id, 3 decimals)",
    answer=_one_order_share,
    hint='members["n_orders"] == 1 is True for one-order members; the mean of True/False values '
    'is the share of True. Group it by members["brand_id"].',
    atol=5e-4,
    ignore_order=True,
)
