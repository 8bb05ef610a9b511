"""Exercises of notebooks/03_communication/03_feedback_and_experiments.ipynb."""

from __future__ import annotations

from functools import lru_cache

from crmlib import communicate
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["lotus_top_complaint", "staff_mentions", "lotus_lane_p_value", "one_point_sample_size"]


@lru_cache(maxsize=1)
def _tea():
    """The tea tables, loaded once for all the exercises of this notebook."""
    return load_tea()


def _lotus_top_complaint() -> str:
    tagged = communicate.tag_feedback(_tea().feedback)
    complaints = tagged[tagged["is_complaint"] & (tagged["brand_id"] == "T2")]
    return str(complaints["primary_tag"].value_counts().idxmax())


def _staff_mentions() -> int:
    tagged = communicate.tag_feedback(_tea().feedback, rules={"staff": ["店员", "服务员", "staff"]})
    return int((tagged["primary_tag"] == "staff").sum())


def _lotus_lane_p_value() -> float:
    sends = _tea().coupon_sends
    lotus = sends[sends["brand_id"] == "T2"]
    result = communicate.ab_test(lotus.assign(converted=lotus["redeemed_date"].notna()))
    return round(float(result["p_value"].iloc[0]), 3)


lotus_top_complaint = Exercise(
    "Which topic (primary tag) do Lotus Lane's (T2) complaints name most often?",
    answer=_lotus_top_complaint,
    hint="Tag the feedback with communicate.tag_feedback, keep the rows with is_complaint True and "
    'brand_id "T2", then count the primary_tag values (.value_counts().idxmax()).',
    ignore_case=True,
    ignore_whitespace=True,
)

staff_mentions = Exercise(
    "How many pieces of feedback mention the staff (keywords 店员, 服务员, staff)?",
    answer=_staff_mentions,
    hint='Pass your own rules: communicate.tag_feedback(tea.feedback, rules={"staff": ["店员", "服务员", "staff"]}); '
    'rows that match nothing are tagged "untagged". Count the rows tagged "staff".',
    rtol=0,
)

lotus_lane_p_value = Exercise(
    "p-value of the coupon test among Lotus Lane (T2) members only, rounded to 3 decimals",
    answer=_lotus_lane_p_value,
    hint='Keep the sends with brand_id "T2", add converted = redeemed_date present (.notna()), '
    "run communicate.ab_test and read its p_value column.",
    atol=5e-4,
)

one_point_sample_size = Exercise(
    "Members needed per arm to detect a 1-point lift over a 10% redemption rate (80% power, 5% level)",
    answer=lambda: communicate.required_sample_size(0.10, 0.01),
    hint="communicate.required_sample_size(baseline, lift) takes shares: 10% is 0.10 "
    "and one point is 0.01. Or set the sliders of the explorer and read the summary.",
    rtol=0,
)
