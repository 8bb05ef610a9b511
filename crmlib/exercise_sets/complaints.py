"""Exercises of notebooks/03_communication/02_complaints.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import communicate
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["product_quality_share", "followed_up_share", "solution_within_48h", "gap_at_12h"]

_tea, _retail = cache(load_tea), cache(load_retail)  # each dataset read once per session, for all exercises


def _product_quality_share() -> float:
    types = communicate.channel_mix(_retail().tickets, channel="complaint_type").set_index("complaint_type")
    return round(float(types.loc["product quality", "share"]), 3)


def _followed_up_share() -> float:
    funnel = communicate.complaint_stage_funnel(_retail().tickets)
    return round(float(funnel.set_index("stage").loc["followed_up_at", "share_of_received"]), 3)


def _solution_within_48h():
    times = communicate.response_times(
        _retail().tickets, start="received_at", end="solution_proposed_at", by="complaint_type", sla_hours=48
    )
    return times.set_index("complaint_type")["within_sla"].round(3)


def _gap_at_12h() -> float:
    tea = _tea()
    complaints = tea.feedback[tea.feedback["is_complaint"]].sort_values("created_at", kind="stable")
    first = complaints.drop_duplicates("member_id")
    data_end = tea.orders["order_time"].max().normalize() + pd.Timedelta(days=1)
    first = first[first["created_at"] < data_end - pd.Timedelta(days=60)]
    pairs = tea.orders[["member_id", "order_time"]].merge(first[["member_id", "created_at"]], on="member_id")
    later = (pairs["order_time"] > pairs["created_at"]) & (
        pairs["order_time"] <= pairs["created_at"] + pd.Timedelta(days=60)
    )
    again = first["member_id"].isin(pairs.loc[later, "member_id"])
    fast = first["response_hours"] <= 12
    return round(float(again[fast].mean() - again[~fast].mean()), 3)


product_quality_share = Exercise(
    "Share of the retailer's tickets that are about product quality, rounded to 3 decimals",
    answer=_product_quality_share,
    hint='communicate.channel_mix counts any column: pass channel="complaint_type". Or use '
    'tickets["complaint_type"].value_counts(normalize=True).',
    atol=5e-4,
)

followed_up_share = Exercise(
    "Share of all received tickets that reached the follow-up stage, rounded to 3 decimals",
    answer=_followed_up_share,
    hint="communicate.complaint_stage_funnel(tickets) has a row per stage; read share_of_received "
    'of the stage "followed_up_at".',
    atol=5e-4,
)

solution_within_48h = Exercise(
    "Per complaint type, the share of tickets with a proposed solution that got it within 48 hours of arriving "
    "(a Series indexed by complaint_type, 3 decimals)",
    answer=_solution_within_48h,
    hint='communicate.response_times(tickets, start="received_at", end="solution_proposed_at", '
    'by="complaint_type", sla_hours=48); keep its within_sla column, indexed by complaint_type.',
    atol=5e-4,
    ignore_order=True,
)

gap_at_12h = Exercise(
    "With a 12-hour SLA instead of 24: share ordering again among members answered in time minus among "
    "those answered later, rounded to 3 decimals",
    answer=_gap_at_12h,
    hint='Use the table `first` built in section 5: fast = first["response_hours"] <= 12; compare the mean '
    'of first["ordered_again"] in the two groups.',
    atol=5e-4,
)
