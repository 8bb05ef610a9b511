"""Exercises of notebooks/03_communication/01_channels_and_two_way_communication.ipynb."""

from __future__ import annotations

from functools import cache

from crmlib import communicate
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["hotline_ticket_share", "email_accepted_within_4h", "busiest_hotline_hour", "points_mentions"]

_tea, _retail = cache(load_tea), cache(load_retail)  # each dataset read once per session, for all exercises


def _hotline_ticket_share() -> float:
    mix = communicate.channel_mix(_retail().tickets).set_index("channel")
    return round(float(mix.loc["hotline", "share"]), 3)


def _email_accepted_within_4h() -> float:
    times = communicate.response_times(_retail().tickets, start="received_at", end="accepted_at", sla_hours=4)
    return round(float(times.set_index("channel").loc["e-mail", "within_sla"]), 3)


def _busiest_hotline_hour() -> int:
    fb = _tea().feedback
    calls = fb[(fb["channel"] == "hotline") & fb["is_complaint"]]
    return int(calls["created_at"].dt.hour.value_counts().idxmax())


def _points_mentions():
    tagged = communicate.tag_feedback(_tea().feedback, rules={"points": ["积分", "points"]})
    return tagged[tagged["primary_tag"] == "points"].groupby("brand_id", observed=True).size()


hotline_ticket_share = Exercise(
    "Share of the retailer's tickets that came in by hotline, rounded to 3 decimals",
    answer=_hotline_ticket_share,
    hint="communicate.channel_mix(retail.tickets) gives each channel's count and share; "
    'set_index("channel") and pick the hotline row\'s share.',
    atol=5e-4,
)

email_accepted_within_4h = Exercise(
    "Share of the retailer's e-mail tickets accepted within 4 hours of arriving, rounded to 3 decimals",
    answer=_email_accepted_within_4h,
    hint='Call communicate.response_times with start="received_at", end="accepted_at" and sla_hours=4; '
    "it groups by channel. Read the e-mail row's within_sla.",
    atol=5e-4,
)

busiest_hotline_hour = Exercise(
    "The hour of the day (0-23) in which the tea hotline received the most complaints",
    answer=_busiest_hotline_hour,
    hint='Keep the feedback rows with channel "hotline" and is_complaint True, take .dt.hour of created_at, '
    "then .value_counts().idxmax().",
)

points_mentions = Exercise(
    "Per brand, the number of feedback texts that mention loyalty points (积分 or points), a Series indexed by brand_id",
    answer=_points_mentions,
    hint='communicate.tag_feedback(feedback, rules={"points": ["积分", "points"]}) tags each row; keep the rows '
    'whose primary_tag is "points" and count them by brand_id.',
    ignore_order=True,
)
