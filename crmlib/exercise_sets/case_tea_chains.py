"""Exercises of casestudies/tea_chains/tea_chains.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["evening_share", "collab_one_and_done", "lotus_return_gap", "slow_reply_months", "collab_vs_reply_ratio"]


@lru_cache(maxsize=1)
def _tea():
    """The tea tables, loaded once for all the exercises of this case."""
    return load_tea()


def _by_brand(values: pd.Series, brand: pd.Series) -> pd.Series:
    """Mean of ``values`` per brand, indexed by plain brand codes."""
    means = values.groupby(brand.astype(str).to_numpy()).mean()
    return means.rename_axis("brand_id")


def _days_since_joining() -> pd.DataFrame:
    """Every order with its member's join date, collab flag and day number since joining (0 = join day)."""
    tea = _tea()
    members = tea.members.assign(collab=tea.members["join_channel"].eq("collab campaign"))
    history = tea.orders.merge(members[["member_id", "join_date", "collab"]], on="member_id")
    history["day"] = (history["order_time"].dt.normalize() - history["join_date"]).dt.days
    return history


def _evening_share() -> pd.Series:
    orders = _tea().orders
    return _by_brand(orders["order_time"].dt.hour.ge(18), orders["brand_id"])


def _collab_one_and_done() -> pd.Series:
    members = _tea().members
    history = _days_since_joining()
    came_back = set(history.loc[history["day"] >= 1, "member_id"])
    joiners = members[members["join_channel"] == "collab campaign"]
    return _by_brand(~joiners["member_id"].isin(came_back), joiners["brand_id"])


def _lotus_return_gap() -> float:
    members = _tea().members
    history = _days_since_joining()
    back = set(history.loc[history["day"].between(31, 120), "member_id"])
    lotus = members[(members["brand_id"] == "T2") & (members["join_date"] < "2025-08-01")]
    returned = lotus["member_id"].isin(back)
    collab = lotus["join_channel"].eq("collab campaign")
    return float(returned[~collab].mean() - returned[collab].mean())


def _monthly_value(brand: str) -> float:
    """Median ticket × median visits per month (members with 2+ orders, first to last order)."""
    orders = _tea().orders
    mine = orders[orders["brand_id"] == brand]
    span = mine.groupby("member_id").agg(
        n=("order_id", "size"), first=("order_time", "min"), last=("order_time", "max")
    )
    span = span[span["n"] >= 2]
    months = (span["last"] - span["first"]).dt.days.clip(lower=1) / 30.4
    return float(mine["net_amount"].median() * ((span["n"] - 1) / months).median())


def _spend_gap(events: pd.DataFrame, hit: str) -> pd.Series:
    """Per brand: mean 180-day spend (days 1–180 after the event) of unhit minus hit members, events before 2025-07-01."""
    orders = _tea().orders
    seen = events[events["day"] < "2025-07-01"]
    o = orders[["member_id", "order_time", "net_amount"]].merge(seen[["member_id", "day"]], on="member_id")
    later = (o["order_time"].dt.normalize() - o["day"]).dt.days
    spent = o[later.between(1, 180)].groupby("member_id")["net_amount"].sum()
    spend = seen["member_id"].map(spent).fillna(0)
    means = spend.groupby([seen["brand_id"].astype(str).to_numpy(), seen[hit].to_numpy()]).mean().unstack()
    return means[False] - means[True]


def _first_complaints() -> pd.DataFrame:
    feedback = _tea().feedback
    first = feedback[feedback["is_complaint"]].sort_values("created_at").groupby("member_id", as_index=False).first()
    return first.assign(slow=first["response_hours"] > 24, day=first["created_at"].dt.normalize())


def _slow_reply_months() -> float:
    gap = _spend_gap(_first_complaints(), "slow")["T3"]
    return float(gap / _monthly_value("T3"))


def _collab_vs_reply_ratio() -> pd.Series:
    members = _tea().members
    joins = members.assign(collab=members["join_channel"].eq("collab campaign"), day=members["join_date"])
    complaints = _first_complaints()
    brand_j, brand_c = joins["brand_id"].astype(str), complaints["brand_id"].astype(str)
    collab = joins["collab"].groupby(brand_j.to_numpy()).sum() / 2 * _spend_gap(joins, "collab")
    slow = complaints["slow"].groupby(brand_c.to_numpy()).sum() / 2 * _spend_gap(complaints, "slow")
    return (collab / slow).rename_axis("brand_id")


evening_share = Exercise(
    "Share of each brand's orders placed at 18:00 or later, as a Series indexed by brand_id",
    answer=_evening_share,
    hint='orders["order_time"].dt.hour >= 18 is True for evening orders. The mean of a True/False column is '
    'the share of True: group it by orders["brand_id"] (observed=True) and take .mean().',
)

collab_one_and_done = Exercise(
    "Share of each brand's collab joiners who never ordered after their join day (Series by brand_id)",
    answer=_collab_one_and_done,
    hint="The table history has a column day (0 = the join day). Collect the member_ids with an order on day 1 or "
    'later, then for the collab joiners (members["collab"]) take the share NOT in that set, per brand.',
)

lotus_return_gap = Exercise(
    "Lotus Lane, members joined before 2025-08-01: share of other joiners back in days 31-120 minus that of collab joiners",
    answer=_lotus_return_gap,
    hint="The notebook already built `recent` (members joined before 2025-08-01) and `back` (member_ids with an order "
    "in days 31-120). Keep T2's rows of recent, mark who is in back, and subtract the collab joiners' mean from "
    "the other joiners' mean.",
    atol=5e-4,
)

slow_reply_months = Exercise(
    "Snowy Cup: the 180-day spend gap after a slow first reply, in months of an active member's value",
    answer=_slow_reply_months,
    hint='Two numbers from the notebook: leaks.loc["T3", ("slow complaint replies", "gap per member")] and '
    'engine.loc["T3", "CNY per active month"]. Divide the first by the second.',
    rtol=2e-3,
)

collab_vs_reply_ratio = Exercise(
    "Per brand: revenue at stake per year from collab joiners divided by that from slow complaint replies",
    answer=_collab_vs_reply_ratio,
    hint='Both columns are in the leaks table: leaks[("collab joiners", "at stake per year")] and '
    'leaks[("slow complaint replies", "at stake per year")]. Divide one Series by the other.',
    rtol=2e-3,
)
