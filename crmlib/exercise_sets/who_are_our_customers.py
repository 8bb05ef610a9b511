"""Exercises of notebooks/01_identification/01_who_are_our_customers.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["franchise_share", "young_share_lotus", "top_category_lotus", "lapsed_high_value_revenue"]


def _franchise_share() -> float:
    snowy = load_tea().stores.query("brand_id == 'T3'")
    return round(float((snowy["ownership"] == "franchise").mean()), 3)


def _young_share_lotus() -> float:
    lotus = load_tea().members.query("brand_id == 'T2'")
    return round(float(lotus["age_band"].isin(["under 18", "18-24"]).mean()), 3)


def _top_category_lotus() -> str:
    tea = load_tea()
    items = tea.order_items.merge(tea.products[["product_id", "brand_id", "category"]], on="product_id")
    lotus = items[items["brand_id"] == "T2"]
    return str(lotus.groupby("category", observed=True)["line_amount"].sum().idxmax())


def _lapsed_high_value_revenue() -> float:
    """The notebook's segmentation: top 20% spenders of their brand; lapsed = no order in the last 90 days."""
    orders = load_tea().orders
    data_end = orders["order_time"].max().normalize() + pd.Timedelta(days=1)
    members = orders.groupby("member_id").agg(
        brand_id=("brand_id", "first"), spend=("net_amount", "sum"), last_order=("order_time", "max")
    )
    high_value = members.groupby("brand_id", observed=True)["spend"].rank(pct=True, method="first") > 0.8
    lapsed = (data_end - members["last_order"]).dt.days > 90
    snowy = members["brand_id"] == "T3"
    return round(float(members.loc[snowy & high_value & lapsed, "spend"].sum() / members.loc[snowy, "spend"].sum()), 3)


franchise_share = Exercise(
    "Share of Snowy Cup (T3) stores that are run by franchisees, rounded to 3 decimals",
    answer=_franchise_share,
    hint='Keep the rows of tea.stores with brand_id "T3", compare the ownership column with "franchise" '
    "and take the mean of the True/False values.",
    atol=5e-4,
)

young_share_lotus = Exercise(
    "Share of Lotus Lane (T2) members younger than 25 (age bands 'under 18' and '18-24'), rounded to 3 decimals",
    answer=_young_share_lotus,
    hint='Keep the T2 rows of tea.members; .isin(["under 18", "18-24"]) on age_band gives True/False; '
    "its mean is the share.",
    atol=5e-4,
)

top_category_lotus = Exercise(
    "Which product category brings Lotus Lane (T2) the most revenue (order_items line_amount)?",
    answer=_top_category_lotus,
    hint="Merge tea.order_items with tea.products on product_id to get each line's brand_id and category, "
    "keep T2, add up line_amount by category and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

lapsed_high_value_revenue = Exercise(
    "Share of Snowy Cup (T3) revenue that comes from its 'high value, lapsed' members, rounded to 3 decimals",
    answer=_lapsed_high_value_revenue,
    hint='Use the profiles table built in the notebook: keep brand_id "T3", add up spend where segment is '
    '"high value, lapsed", and divide by the spend of all T3 members.',
    atol=5e-4,
)
