"""Exercises of notebooks/01_identification/03_rfm_segmentation.ipynb."""

from __future__ import annotations

from functools import cache

from crmlib import identify
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["recent_snowy", "revenue_at_risk", "champion_share_t2", "important_value_revenue"]

_COLUMNS = {"customer": "member_id", "date": "order_time", "amount": "net_amount"}


@cache
def _orders():
    return load_tea().orders


def _rfm(brand: str):
    orders = _orders()
    return identify.rfm_table(orders[orders["brand_id"] == brand], **_COLUMNS)


def _segments(brand: str):
    """Named segments as in the notebook: rows shuffled (seed 0) so ties are split at random."""
    rfm = _rfm(brand)
    return identify.rfm_segments(identify.rfm_scores(rfm.sample(frac=1, random_state=0))).sort_index()


def _revenue_at_risk() -> float:
    seg = _segments("T1")
    risky = seg["segment"].isin(["At risk", "Can't lose them"])
    return float(seg.loc[risky, "monetary"].sum() / seg["monetary"].sum())


def _champion_share_t2() -> float:
    return float((_segments("T2")["segment"] == "Champions").mean())


def _important_value_revenue() -> float:
    table = identify.threshold_summary(_rfm("T1"), recent_days=90, min_orders=5, min_spend=200)
    return float(table.set_index("rfm_type").loc["important value", "revenue_share"])


recent_snowy = Exercise(
    "Number of Snowy Cup (T3) members whose last order is at most 30 days before the as-of date",
    answer=lambda: int((_rfm("T3")["recency"] <= 30).sum()),
    hint="Build the RFM table of the T3 orders with identify.rfm_table (same column names as for Aurora Leaf), "
    "then count the rows with recency <= 30.",
)

revenue_at_risk = Exercise(
    "Share of Aurora Leaf revenue from members in the 'At risk' and 'Can't lose them' segments",
    answer=_revenue_at_risk,
    hint="Use the `segments` table of the notebook: select the two segments with .isin([...]) and divide their "
    "total `monetary` by the total of all members.",
)

champion_share_t2 = Exercise(
    "Share of Lotus Lane (T2) members who are Champions, scored like Aurora Leaf (rows shuffled with random_state=0)",
    answer=_champion_share_t2,
    hint="Repeat the notebook's three steps on the T2 orders: rfm_table, then rfm_scores on "
    "rfm.sample(frac=1, random_state=0), then rfm_segments; take the mean of segment == 'Champions'.",
)

important_value_revenue = Exercise(
    "Eight-type model on Aurora Leaf with recent = last 90 days, frequent = 5+ orders, high spend = 200+ CNY: "
    "share of revenue from 'important value' members",
    answer=_important_value_revenue,
    hint="identify.threshold_summary(rfm, recent_days=90, min_orders=5, min_spend=200) gives one row per type; "
    "read revenue_share of 'important value'.",
)
