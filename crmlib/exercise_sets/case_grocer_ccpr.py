"""Exercises of casestudies/grocer_ccpr/grocer_ccpr.ipynb (the neighbourhood grocer, CCPR)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.cases.grocer import generate_grocer_events
from crmlib.exercises import Exercise

__all__ = ["repick_signals", "answered_within_hour", "most_compared_item"]


@lru_cache(maxsize=1)
def _case():
    """The case's shop and its signal visits, found as in the notebook."""
    shop = generate_grocer_events()
    events = shop.events
    visits = (
        events.dropna(subset=["visit_id"])
        .groupby("visit_id")
        .agg(customer_id=("customer_id", "first"), start=("timestamp", "min"))
    )
    learn_end = events["timestamp"].min().normalize() + pd.Timedelta(days=21)
    watch_end = events["timestamp"].max().normalize() + pd.Timedelta(days=1) - pd.Timedelta(days=21)
    buys = events[events["event_type"] == "purchase"]
    counts = buys[buys["timestamp"] < learn_end].groupby(["customer_id", "item_id"]).size()
    habits = counts[counts >= 2].rename("times_bought").reset_index()
    shelf = events[events["event_type"].isin(["pick_up", "put_back", "purchase"])]
    per_item = (
        shelf.groupby(["visit_id", "customer_id", "item_id", "event_type"], observed=True)
        .size()
        .unstack(fill_value=0)
        .reset_index()
    )
    per_item["visit_start"] = per_item["visit_id"].map(visits["start"])
    watched = per_item[(per_item["visit_start"] >= learn_end) & (per_item["visit_start"] < watch_end)]
    watched = watched.merge(habits, on=["customer_id", "item_id"], how="left")
    signals = watched[(watched["put_back"] > 0) & (watched["purchase"] == 0) & watched["times_bought"].notna()]
    last_put_back = (
        events[events["event_type"] == "put_back"]
        .groupby(["visit_id", "item_id"])["timestamp"]
        .max()
        .rename("put_back_at")
    )
    signals = signals.join(last_put_back, on=["visit_id", "item_id"])
    responses = events.loc[events["event_type"] == "response", ["customer_id", "item_id", "timestamp"]].rename(
        columns={"timestamp": "response_at"}
    )
    signals = signals.merge(responses, on=["customer_id", "item_id"], how="left")
    delay = (signals["response_at"] - signals["put_back_at"]).dt.total_seconds() / 3600
    signals["delay_hours"] = delay.where(delay > 0)
    signals = signals.sort_values("delay_hours").drop_duplicates(["visit_id", "item_id"])
    return shop, signals


def _repick_signals() -> int:
    _, signals = _case()
    return int((signals["pick_up"] >= 2).sum())


def _answered_within_hour() -> float:
    _, signals = _case()
    return round(float((signals["delay_hours"] <= 1).mean()), 3)


def _most_compared_item() -> str:
    shop, signals = _case()
    top = signals["item_id"].value_counts().idxmax()
    return str(shop.items.set_index("item_id").loc[top, "item_name"])


repick_signals = Exercise(
    "How many signal visits are 'came back and picked it up again' visits (the item picked up at least twice)?",
    answer=_repick_signals,
    hint="The signals table has one row per signal visit and item, with a pick_up column counting the pick-ups. "
    "Count the rows where it is at least 2.",
)

answered_within_hour = Exercise(
    "Share of all signal visits that the shop answered within one hour of the last put-back (3 decimals)",
    answer=_answered_within_hour,
    hint="delay_hours is missing where the shop never answered; those visits count in the denominator too. "
    "(signals['delay_hours'] <= 1) is False for a missing delay, so its mean is the share you want.",
    atol=5e-4,
)

most_compared_item = Exercise(
    "Which item (item_name) appears in the most signal visits?",
    answer=_most_compared_item,
    hint="Count signals by item_id with value_counts(), take the top one with idxmax(), and look its name up in shop.items.",
    ignore_case=True,
    ignore_whitespace=True,
)
