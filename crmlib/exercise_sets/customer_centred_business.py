"""Exercises of notebooks/00_overview/02_customer_centred_business.ipynb."""

from __future__ import annotations

import functools

import pandas as pd

from crmlib import develop, loyalty
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = ["repeat_by_channel", "top_margin_industry", "cheapest_source_per_account", "rebuy_category"]


@functools.lru_cache(maxsize=1)
def _orders() -> pd.DataFrame:
    """The retailer's orders with the customer's type, acquisition channel and industry."""
    retail = load_retail()
    about = retail.customers[["customer_id", "customer_type", "acquisition_channel", "industry"]]
    return retail.orders.merge(about, on="customer_id")


@functools.lru_cache(maxsize=1)
def _lines() -> pd.DataFrame:
    """The retailer's order lines with the order's customer, type, industry, date and the product category."""
    retail = load_retail()
    orders = _orders()[["order_id", "customer_id", "customer_type", "industry", "order_date"]]
    return retail.order_lines.merge(orders, on="order_id").merge(
        retail.products[["product_id", "category"]], on="product_id"
    )


def _repeat_by_channel() -> pd.Series:
    orders = _orders()
    consumer_orders = orders[orders["customer_type"] == "consumer"]
    return loyalty.repeat_rate(consumer_orders, by="acquisition_channel")["repeat_rate"].round(3)


def _top_margin_industry() -> str:
    lines = _lines()
    business = lines[lines["customer_type"] == "business"]
    return str(business.groupby("industry", observed=True)["margin"].sum().idxmax())


def _cheapest_source_per_account() -> str:
    retail = load_retail()
    spend = retail.marketing_spend.query("segment == 'business'")
    customers = retail.customers
    won = customers[(customers["customer_type"] == "business") & (customers["signup_date"] >= "2024-01-01")]
    costs = develop.acquisition_cost(spend, won)
    return str(costs.loc[costs["cost_per_acquisition"].idxmin(), "channel"])


def _rebuy_category() -> str:
    """Re-buys as the notebook defines them: same consumer, same product, another day; gap <= 30 days."""
    lines = _lines()
    consumer_lines = lines[lines["customer_type"] == "consumer"]
    buys = consumer_lines.drop_duplicates(["customer_id", "product_id", "order_date"]).sort_values(
        "order_date", kind="stable"
    )
    gaps = buys.groupby(["customer_id", "product_id"])["order_date"].diff().dt.days
    return str(buys.loc[gaps <= 30, "category"].value_counts().idxmax())


repeat_by_channel = Exercise(
    "Repeat rate of consumers by acquisition channel (a Series indexed by acquisition_channel, 3 decimals)",
    answer=_repeat_by_channel,
    hint="Merge each consumer order with its customer's acquisition_channel (from customers), then call "
    'loyalty.repeat_rate(..., by="acquisition_channel") and take its repeat_rate column.',
    atol=5e-4,
    ignore_order=True,
)

top_margin_industry = Exercise(
    "Which industry brings the retailer the most margin in total?",
    answer=_top_margin_industry,
    hint='Look up each line\'s industry with lines["customer_id"].map(...) (consumers have none), add up '
    "margin by industry and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

cheapest_source_per_account = Exercise(
    "Which lead source brings won business accounts at the lowest cost per account?",
    answer=_cheapest_source_per_account,
    hint="The accounts won since 2024 are the business customers whose signup_date is in 2024 or later. "
    "Pass them with the business rows of marketing_spend to develop.acquisition_cost, then find the "
    "row with the smallest cost_per_acquisition.",
    ignore_case=True,
    ignore_whitespace=True,
)

rebuy_category = Exercise(
    "In which product category do consumers most often buy the same product again within 30 days?",
    answer=_rebuy_category,
    hint="Keep the rows of `repeats` with gap_days <= 30 and count them by category with .value_counts().",
    ignore_case=True,
    ignore_whitespace=True,
)
