"""Tests of crmlib.communicate: hand-computed small cases, the planted effects of the shipped
data (datasets/README.md), bad input, and generated messy frames."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from crmlib import communicate as C
from crmlib.validate import CRMDataError


@pytest.fixture
def tiny_tickets():
    # Three tickets. Hours from one stage to the next:
    #   T1 (delivery): accepted +1, clarified +3, proposed +24, followed up +24
    #   T2 (delivery): accepted +0.5, clarified +6, then stops
    #   T3 (service):  accepted +4, then stops
    return pd.DataFrame(
        {
            "ticket_id": ["T1", "T2", "T3"],
            "complaint_type": ["delivery", "delivery", "service"],
            "channel": ["hotline", "hotline", "store"],
            "received_at": pd.to_datetime(["2024-01-01 08:00", "2024-01-01 10:00", "2024-01-01 12:00"]),
            "accepted_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:30", "2024-01-01 16:00"]),
            "clarified_at": pd.to_datetime(["2024-01-01 12:00", "2024-01-01 16:30", None]),
            "solution_proposed_at": pd.to_datetime(["2024-01-02 12:00", None, None]),
            "followed_up_at": pd.to_datetime(["2024-01-03 12:00", None, None]),
        }
    )


# ---------------------------------------------------------------------------------------------
# channel_mix
# ---------------------------------------------------------------------------------------------
def test_channel_mix_counts_and_shares():
    data = pd.DataFrame({"channel": ["phone", "app", "app", "app", "store"], "brand": ["X", "X", "X", "Y", "Y"]})
    before = data.copy()
    mix = C.channel_mix(data)
    # app 3 of 5, then phone and store 1 each (ties by name)
    assert mix["channel"].tolist() == ["app", "phone", "store"]
    assert mix["count"].tolist() == [3, 1, 1]
    assert mix["share"].tolist() == pytest.approx([0.6, 0.2, 0.2])
    by = C.channel_mix(data, by="brand")
    # brand X: app 2 of 3, phone 1 of 3; brand Y: app 1 of 2, store 1 of 2
    assert by[["brand", "channel", "count"]].values.tolist() == [
        ["X", "app", 2],
        ["X", "phone", 1],
        ["Y", "app", 1],
        ["Y", "store", 1],
    ]
    assert by["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 0.5, 0.5])
    pd.testing.assert_frame_equal(data, before)


def test_channel_mix_on_shipped_feedback_and_activities(tea, retail):
    mix = C.channel_mix(tea.feedback)
    assert mix["count"].sum() == len(tea.feedback) == 6493
    assert mix["share"].sum() == pytest.approx(1.0)
    assert mix["channel"].iloc[0] == "mini-program"
    per_brand = C.channel_mix(tea.feedback, by="brand_id")
    assert per_brand.groupby("brand_id", observed=True)["share"].sum().tolist() == pytest.approx([1.0, 1.0, 1.0])
    # meetings happen only in account care, so they are the rarest kind of activity
    acts = C.channel_mix(retail.activities, channel="activity_type")
    assert acts["activity_type"].iloc[-1] == "meeting" and acts["count"].sum() == 14708


# ---------------------------------------------------------------------------------------------
# response_times
# ---------------------------------------------------------------------------------------------
def test_response_times_from_hours():
    data = pd.DataFrame(
        {"channel": ["hotline", "hotline", "app", "app", "app"], "response_hours": [2.0, 30.0, 1.0, 5.0, 50.0]}
    )
    out = C.response_times(data, sla_hours=24)
    # app: sorted 1, 5, 50 -> median 5; p90 at position 0.9*2 = 1.8 -> 5 + 0.8*45 = 41; 2 of 3 within 24 h
    # hotline: 2, 30 -> median 16; p90 at 0.9 -> 2 + 0.9*28 = 27.2; 1 of 2 within 24 h
    assert out["channel"].tolist() == ["app", "hotline"]
    assert out["n"].tolist() == [3, 2] and out["open"].tolist() == [0, 0]
    assert out["median_hours"].tolist() == pytest.approx([5.0, 16.0])
    assert out["p90_hours"].tolist() == pytest.approx([41.0, 27.2])
    assert out["within_sla"].tolist() == pytest.approx([2 / 3, 0.5])
    overall = C.response_times(data, by=None, sla_hours=2)
    # all five: 1, 2, 5, 30, 50 -> median 5; two within 2 h (1 and 2, the SLA is inclusive)
    assert overall["n"].tolist() == [5] and overall["median_hours"].tolist() == [5.0]
    assert overall["within_sla"].tolist() == pytest.approx([0.4])


def test_response_times_from_two_timestamps_counts_open_rows():
    t = pd.DataFrame(
        {
            "received_at": ["2024-03-01 08:00", "2024-03-01 09:00", "2024-03-01 10:00", "2024-03-01 11:00"],
            "accepted_at": ["2024-03-01 08:30", "2024-03-01 11:00", "2024-03-02 16:00", None],
        }
    )
    out = C.response_times(t, by=None, start="received_at", end="accepted_at")
    # answered after 0.5, 2 and 30 hours; one still open. Median 2; p90 at 1.8 -> 2 + 0.8*28 = 24.4
    assert out.loc[0, "n"] == 3 and out.loc[0, "open"] == 1
    assert out.loc[0, "median_hours"] == pytest.approx(2.0)
    assert out.loc[0, "p90_hours"] == pytest.approx(24.4)
    assert out.loc[0, "within_sla"] == pytest.approx(2 / 3)


def test_response_times_rejects_answers_before_questions():
    t = pd.DataFrame(
        {
            "received_at": ["2024-03-01 08:00", "2024-03-01 09:00"],
            "accepted_at": ["2024-03-01 07:00", "2024-03-01 10:00"],
        },
        index=[7, 8],
    )
    with pytest.raises(CRMDataError, match=r"accepted_at.*row 7"):
        C.response_times(t, by=None, start="received_at", end="accepted_at")
    with pytest.raises(CRMDataError, match="both start and end"):
        C.response_times(t, by=None, start="received_at")


def test_slow_complaint_replies_match_the_documented_split(tea):
    # datasets/README.md: members whose first complaint is before 2025-10-31 are 1,309 answered
    # within 24 hours and 610 slower; that split drives the planted churn effect.
    complaints = tea.feedback[tea.feedback["is_complaint"]].sort_values("created_at")
    first = complaints.drop_duplicates("member_id")
    first = first[first["created_at"] < "2025-10-31"]
    out = C.response_times(first, by=None, sla_hours=24)
    assert out.loc[0, "n"] == 1919
    assert round(out.loc[0, "n"] * out.loc[0, "within_sla"]) == 1309
    # by channel the hotline and in-store answers are fast, delivery-app reviews slow
    per_channel = C.response_times(tea.feedback).set_index("channel")
    assert per_channel.loc["in-store", "within_sla"] > 0.9 > per_channel.loc["hotline", "within_sla"] > 0.8
    assert per_channel.loc["delivery-app review", "median_hours"] > per_channel.loc["hotline", "median_hours"]


def test_retail_ticket_response_times(retail):
    out = C.response_times(retail.tickets, by=None, start="received_at", end="accepted_at")
    # every ticket is accepted (datasets/README.md), so none is open
    assert out.loc[0, "n"] == 2384 and out.loc[0, "open"] == 0
    closed = C.response_times(retail.tickets, by=None, start="received_at", end="followed_up_at")
    assert closed.loc[0, "n"] == 2087 and closed.loc[0, "open"] == 297


# ---------------------------------------------------------------------------------------------
# complaint_stage_funnel
# ---------------------------------------------------------------------------------------------
def test_complaint_stage_funnel_by_hand(tiny_tickets):
    out = C.complaint_stage_funnel(tiny_tickets)
    assert out["stage"].astype(str).tolist() == list(C.COMPLAINT_STAGES)
    assert out["reached"].tolist() == [3, 3, 2, 1, 1]
    assert out["share_of_received"].tolist() == pytest.approx([1, 1, 2 / 3, 1 / 3, 1 / 3])
    # accepted steps 1, 0.5, 4 -> median 1, p90 at 1.8 -> 1 + 0.8*3 = 3.4
    # clarified steps 3, 6 -> median 4.5, p90 3 + 0.9*3 = 5.7; proposed and followed up: 24 each
    assert np.isnan(out.loc[0, "median_hours"]) and np.isnan(out.loc[0, "p90_hours"])
    assert out["median_hours"].iloc[1:].tolist() == pytest.approx([1.0, 4.5, 24.0, 24.0])
    assert out["p90_hours"].iloc[1:].tolist() == pytest.approx([3.4, 5.7, 24.0, 24.0])


def test_complaint_stage_funnel_by_group(tiny_tickets):
    out = C.complaint_stage_funnel(tiny_tickets, by="complaint_type")
    delivery = out[out["complaint_type"] == "delivery"]
    service = out[out["complaint_type"] == "service"]
    assert delivery["reached"].tolist() == [2, 2, 2, 1, 1]
    assert delivery["median_hours"].iloc[1:3].tolist() == pytest.approx([0.75, 4.5])
    assert service["reached"].tolist() == [1, 1, 0, 0, 0]
    assert service["share_of_received"].tolist() == pytest.approx([1, 1, 0, 0, 0])


def test_complaint_stage_funnel_refuses_stages_out_of_order(tiny_tickets):
    bad = tiny_tickets.copy()
    bad.loc[1, "clarified_at"] = pd.Timestamp("2024-01-01 10:15")  # before its acceptance at 10:30
    with pytest.raises(CRMDataError, match=r"clarified_at.*row 1\b"):
        C.complaint_stage_funnel(bad)
    skipped = tiny_tickets.copy()
    skipped.loc[2, "accepted_at"] = pd.NaT  # a skipped stage is compared with the last stage before it
    skipped.loc[2, "clarified_at"] = pd.Timestamp("2024-01-01 11:00")  # before receipt at 12:00
    with pytest.raises(CRMDataError, match=r"clarified_at.*row 2\b"):
        C.complaint_stage_funnel(skipped)


def test_complaint_stage_funnel_on_shipped_tickets(retail):
    out = C.complaint_stage_funnel(retail.tickets)
    # datasets/README.md: 2,087 reach every stage; 167 stop at the proposal, 79 at clarification, 51 at acceptance
    assert out["reached"].tolist() == [2384, 2384, 2384 - 51, 2384 - 51 - 79, 2087]
    assert out["share_of_received"].iloc[-1] == pytest.approx(2087 / 2384)
    assert (out["p90_hours"].iloc[1:] >= out["median_hours"].iloc[1:]).all()
    by_type = C.complaint_stage_funnel(retail.tickets, by="complaint_type")
    assert by_type["complaint_type"].nunique() == 5 and len(by_type) == 25
    assert by_type.groupby("complaint_type", observed=True)["reached"].first().sum() == 2384


# ---------------------------------------------------------------------------------------------
# ab_test
# ---------------------------------------------------------------------------------------------
def test_ab_test_worked_example():
    # A: 100 of 1000 convert (0.10); B: 130 of 1000 (0.13); difference 0.03, relative lift 0.3.
    # Wald SE = sqrt(.1*.9/1000 + .13*.87/1000) = sqrt(0.0002031) = 0.0142513;
    #   z_.975 = 1.959964, half width 0.0279321 -> CI (0.0020679, 0.0579321).
    # Pooled p = 230/2000 = 0.115; SE0 = sqrt(.115*.885*2/1000) = 0.0142671; z = 2.102741;
    #   two-sided p = 2*(1 - Phi(2.102741)) = 0.035488.
    # Sample size to find a 3-point lift over A's 0.10 (mde=0.03, so p_1 = 0.13): q = 0.115;
    #   (1.959964*sqrt(2*.115*.885) + 0.841621*sqrt(.09 + .1131))^2 / 0.03^2
    #   = (0.884267 + 0.379290)^2 / 0.0009 = 1773.98 -> 1774 per arm.
    # For 2 points (p_1 = 0.12, q = 0.11): (1.959964*sqrt(2*.11*.89) + 0.841621*sqrt(.09 + .1056))^2 / 0.02^2
    #   = (0.867270 + 0.372222)^2 / 0.0004 = 3840.8 -> 3841 per arm.
    test = pd.DataFrame(
        {"variant": ["A"] * 1000 + ["B"] * 1000, "converted": [1] * 100 + [0] * 900 + [1] * 130 + [0] * 870}
    )
    r = C.ab_test(test).iloc[0]
    assert (r["control"], r["treatment"], r["n_control"], r["n_treatment"]) == ("A", "B", 1000, 1000)
    assert r["rate_control"] == pytest.approx(0.10) and r["rate_treatment"] == pytest.approx(0.13)
    assert r["lift"] == pytest.approx(0.03) and r["relative_lift"] == pytest.approx(0.3)
    assert r["ci_low"] == pytest.approx(0.0020679, abs=1e-7)
    assert r["ci_high"] == pytest.approx(0.0579321, abs=1e-7)
    assert r["z"] == pytest.approx(2.102741, abs=1e-6)
    assert r["p_value"] == pytest.approx(0.035488, abs=1e-6)
    assert bool(r["significant"]) is True
    # no size without the smallest lift worth finding: never sized for the lift just observed
    assert pd.isna(r["n_per_arm_needed"]) and pd.isna(r["mde"])
    sized = C.ab_test(test, mde=0.03).iloc[0]
    assert sized["n_per_arm_needed"] == 1774 and sized["mde"] == 0.03
    # the size depends on the mde and the control rate only, not on the lift found
    smaller = C.ab_test(test, mde=0.02).iloc[0]["n_per_arm_needed"]
    assert smaller == 3841 == C.required_sample_size(0.10, 0.02)
    flat = test.assign(converted=[1] * 100 + [0] * 900 + [1] * 100 + [0] * 900)
    assert C.ab_test(flat, mde=0.03).iloc[0]["n_per_arm_needed"] == 1774
    for bad in (0, True, "2%", math.nan, 0.95):
        with pytest.raises(CRMDataError, match=r"mde"):
            C.ab_test(test, mde=bad)
    # a stricter alpha of 0.01 makes the same data not significant
    assert not bool(C.ab_test(test, alpha=0.01)["significant"].iloc[0])
    # swapping the arms flips the sign of the lift and keeps the p-value
    swapped = C.ab_test(test, control="B", treatment="A").iloc[0]
    assert swapped["lift"] == pytest.approx(-0.03) and swapped["p_value"] == pytest.approx(r["p_value"])


def test_ab_test_gives_scipy_stats_numbers_without_importing_it():
    # scipy.stats takes about a second to import (seconds on a busy machine) and ab_test needs only
    # the normal cdf and its inverse, which scipy.special has: the numbers are the same to the last bit
    from scipy.stats import norm

    test = pd.DataFrame(
        {"variant": ["A"] * 1000 + ["B"] * 1000, "converted": [1] * 100 + [0] * 900 + [1] * 130 + [0] * 870}
    )
    r = C.ab_test(test, alpha=0.1).iloc[0]
    half_width = norm.ppf(0.95) * np.sqrt(0.1 * 0.9 / 1000 + 0.13 * 0.87 / 1000)
    assert (r["ci_low"], r["ci_high"]) == (0.03 - half_width, 0.03 + half_width)
    assert r["p_value"] == 2 * norm.sf(abs(r["z"]))
    assert C.test_power(0.10, 0.03, 1774) == norm.cdf(
        (0.03 * np.sqrt(1774) - norm.ppf(0.975) * np.sqrt(2 * 0.115 * 0.885)) / np.sqrt(0.09 + 0.13 * 0.87)
    )
    code = (
        "import sys, pandas as pd; from crmlib import communicate\n"
        "communicate.ab_test(pd.DataFrame({'variant': ['A', 'A', 'B', 'B'], 'converted': [0, 1, 1, 1]}))\n"
        "communicate.test_power(0.1, 0.03, 1774)\n"
        "print('scipy.stats' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_ab_test_without_a_difference_and_extra_arms():
    test = pd.DataFrame({"variant": ["A", "A", "B", "B", "C"], "converted": [False, False, False, False, True]})
    r = C.ab_test(test).iloc[0]  # arm C is ignored
    assert r["lift"] == 0 and r["p_value"] == 1.0 and pd.isna(r["n_per_arm_needed"]) and pd.isna(r["relative_lift"])
    with pytest.raises(CRMDataError, match="variant.*'D'"):
        C.ab_test(test, treatment="D")
    with pytest.raises(CRMDataError, match="alpha"):
        C.ab_test(test, alpha=1.5)
    with pytest.raises(CRMDataError, match="power"):
        C.ab_test(test, power=0)


def test_coupon_variant_b_lifts_redemption(tea):
    # datasets/README.md: B - A = 0.032 (± 0.015); shipped A 10.0% of 3,628, B 12.7% of 3,581
    sends = tea.coupon_sends.assign(converted=tea.coupon_sends["redeemed_date"].notna())
    r = C.ab_test(sends).iloc[0]
    assert (r["n_control"], r["n_treatment"]) == (3628, 3581)
    assert r["lift"] == pytest.approx(0.032, abs=0.015)
    assert r["p_value"] < 0.01 and r["z"] > 3
    assert r["ci_low"] > 0
    assert pd.isna(r["n_per_arm_needed"])


# ---------------------------------------------------------------------------------------------
# tag_feedback
# ---------------------------------------------------------------------------------------------
def test_tag_feedback_in_both_languages():
    data = pd.DataFrame(
        {
            "text": [
                "奶茶太甜了",  # taste
                "WAY TOO SWEET",  # taste, upper case
                "排队等了四十分钟，店员态度很差",  # waiting time and service
                "外卖洒了一半",  # delivery
                "the lid was loose",  # packaging
                "a solid drink",  # 'lid' inside 'solid' is not a keyword
                "Ｇｒｅａｔ taste",  # praise (full-width letters) and taste
                None,  # missing text
                "",  # empty text
            ]
        },
        index=list("abcdefghi"),
    )
    out = C.tag_feedback(data)
    assert out.index.tolist() == list("abcdefghi")
    assert out["tags"].tolist() == [
        "taste",
        "taste",
        "waiting time; service",
        "delivery",
        "packaging",
        "untagged",
        "praise; taste",
        "untagged",
        "untagged",
    ]
    assert out["primary_tag"].tolist() == [
        "taste",
        "taste",
        "waiting time",
        "delivery",
        "packaging",
        "untagged",
        "praise",
        "untagged",
        "untagged",
    ]
    assert "tags" not in data  # the input is untouched


def test_tag_feedback_with_own_rules():
    data = pd.DataFrame({"comment": ["Love the APP", "app crashed", "退款太慢"]})
    rules = {"app": ["app"], "refund": ["退款", "refund"], "bug": ["crash"]}
    out = C.tag_feedback(data, text="comment", rules=rules)
    assert out["tags"].tolist() == ["app", "app; bug", "refund"]
    assert out["primary_tag"].tolist() == ["app", "app", "refund"]
    for bad in ({}, {"x": []}, {"x": "word"}, {"untagged": ["a"]}, {"x": [""]}, ["taste"]):
        with pytest.raises(CRMDataError, match="rules"):
            C.tag_feedback(data, text="comment", rules=bad)


def test_default_rules_agree_with_the_shipped_categories(tea):
    tagged = C.tag_feedback(tea.feedback)
    agreement = (tagged["primary_tag"] == tagged["category"].astype(str)).mean()
    # The shipped comments come from a fixed list of phrases per category, and the default rules
    # reproduce the category of every one of them (measured: 1.0). Allow a little slack for
    # future rule edits.
    assert agreement >= 0.99
    assert (tagged["primary_tag"] != "untagged").all()
    assert set(tagged["primary_tag"]) == set(C.FEEDBACK_RULES)
    # praise often names a topic as well ("great taste"), so some rows carry two tags
    assert tagged["tags"].str.contains("; ").mean() > 0.05


# ---------------------------------------------------------------------------------------------
# bad input: every function x (missing column, wrong dtype, negatives, bad dates, empty frame)
# ---------------------------------------------------------------------------------------------
FEEDBACK = pd.DataFrame({"channel": ["app", "hotline"], "response_hours": [1.0, 2.0], "text": ["太甜", "slow"]})
AB = pd.DataFrame({"variant": ["A", "B"], "converted": [True, False]})


def _tickets():
    return pd.DataFrame(
        {
            "received_at": ["2024-01-01 08:00", "2024-01-01 09:00"],
            "accepted_at": ["2024-01-01 09:00", None],
            "channel": ["hotline", "store"],
        }
    )


BAD_CALLS = {
    "channel_mix: missing column": (lambda: C.channel_mix(FEEDBACK.drop(columns="channel")), "channel"),
    "channel_mix: missing by": (lambda: C.channel_mix(FEEDBACK, by="brand_id"), "brand_id"),
    "channel_mix: gap in channel": (lambda: C.channel_mix(FEEDBACK.assign(channel=["app", None])), "channel"),
    "channel_mix: empty": (lambda: C.channel_mix(FEEDBACK.iloc[:0]), "no rows"),
    "channel_mix: not a frame": (lambda: C.channel_mix([1, 2]), "DataFrame"),
    "response_times: missing column": (
        lambda: C.response_times(FEEDBACK.drop(columns="response_hours")),
        "response_hours",
    ),
    "response_times: text hours": (
        lambda: C.response_times(FEEDBACK.assign(response_hours=["1", "two"])),
        "response_hours",
    ),
    "response_times: negative hours": (
        lambda: C.response_times(FEEDBACK.assign(response_hours=[1.0, -2.0])),
        "response_hours",
    ),
    "response_times: empty": (lambda: C.response_times(FEEDBACK.iloc[:0]), "no rows"),
    "response_times: bad sla": (lambda: C.response_times(FEEDBACK, sla_hours=-1), "sla_hours"),
    "response_times: bad start date": (
        lambda: C.response_times(
            _tickets().assign(received_at=["soon", "2024-01-01"]), start="received_at", end="accepted_at"
        ),
        "received_at",
    ),
    "response_times: bad end date": (
        lambda: C.response_times(
            _tickets().assign(accepted_at=["2024-01-02", "later"]), start="received_at", end="accepted_at"
        ),
        "accepted_at",
    ),
    "response_times: numbers as dates": (
        lambda: C.response_times(_tickets().assign(accepted_at=[1.0, 2.0]), start="received_at", end="accepted_at"),
        "accepted_at",
    ),
    "response_times: missing end column": (
        lambda: C.response_times(_tickets(), start="received_at", end="closed_at"),
        "closed_at",
    ),
    "funnel: missing stage": (lambda: C.complaint_stage_funnel(_tickets()), "clarified_at"),
    "funnel: gap in first stage": (
        lambda: C.complaint_stage_funnel(
            _tickets().assign(received_at=[None, "2024-01-01"]), stages=["received_at", "accepted_at"]
        ),
        "received_at",
    ),
    "funnel: bad date": (
        lambda: C.complaint_stage_funnel(
            _tickets().assign(accepted_at=["2024-13-45", None]), stages=["received_at", "accepted_at"]
        ),
        "accepted_at",
    ),
    "funnel: empty": (
        lambda: C.complaint_stage_funnel(_tickets().iloc[:0], stages=["received_at", "accepted_at"]),
        "no rows",
    ),
    "funnel: stages not a list": (lambda: C.complaint_stage_funnel(_tickets(), stages="received_at"), "stages"),
    "funnel: stage twice": (
        lambda: C.complaint_stage_funnel(_tickets(), stages=["received_at", "received_at"]),
        "stages",
    ),
    "funnel: missing by": (
        lambda: C.complaint_stage_funnel(_tickets(), stages=["received_at", "accepted_at"], by="complaint_type"),
        "complaint_type",
    ),
    "ab_test: missing column": (lambda: C.ab_test(AB.drop(columns="converted")), "converted"),
    "ab_test: outcome not a flag": (lambda: C.ab_test(AB.assign(converted=["yes", "no"])), "converted"),
    "ab_test: gap in variant": (lambda: C.ab_test(AB.assign(variant=["A", None])), "variant"),
    "ab_test: empty": (lambda: C.ab_test(AB.iloc[:0]), "no rows"),
    "ab_test: same arm twice": (lambda: C.ab_test(AB, treatment="A"), "control and treatment"),
    "tag_feedback: missing column": (lambda: C.tag_feedback(FEEDBACK.drop(columns="text")), "text"),
    "tag_feedback: numbers as text": (lambda: C.tag_feedback(FEEDBACK.assign(text=[1, 2])), "text"),
    "tag_feedback: empty": (lambda: C.tag_feedback(FEEDBACK.iloc[:0]), "no rows"),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
def test_bad_input_raises_crmdataerror(case):
    call, match = BAD_CALLS[case]
    with pytest.raises(CRMDataError, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# generated messy frames: every call succeeds or raises CRMDataError, nothing else
# ---------------------------------------------------------------------------------------------
# each kind of cell: (good values, messy values)
_labels = (
    st.sampled_from(["app", "hotline", "store"]),
    st.sampled_from(["", " "]) | st.none() | st.integers(0, 3) | st.just(np.nan),
)
_variants = (st.sampled_from(["A", "B"]), st.sampled_from(["C", ""]) | st.none() | st.integers(0, 1))
_numbers = (
    st.floats(0, 100),
    st.floats(-5, 0, exclude_max=True)
    | st.just(np.nan)
    | st.sampled_from(["3", "x", "", "1,5"])
    | st.none()
    | st.booleans(),
)
_dates = (
    st.datetimes(
        min_value=pd.Timestamp("2024-01-01").to_pydatetime(), max_value=pd.Timestamp("2024-01-10").to_pydatetime()
    ).map(str),
    st.sampled_from(["2024-02-30", "someday", "", "20240105"]) | st.none() | st.integers(0, 10) | st.just(np.nan),
)
_flags = (st.sampled_from([True, False, 0, 1]), st.sampled_from([2, "yes", None, np.nan, 0.5]))
_texts = (
    st.text(max_size=12) | st.sampled_from(["奶茶太甜了", "WAITED forever", "包装漏了"]) | st.none(),
    st.integers(0, 5) | st.booleans(),
)


@st.composite
def messy_frames(draw, cells: dict):
    """A small frame with the given columns. Most columns hold good values only; a column is
    messy (bad values mixed in) one time in three, dropped one time in eight, and one frame in
    ten has no rows."""
    n = draw(st.sampled_from([0] + [1, 2, 3, 4, 5, 6, 7, 8] * 2))
    data = {}
    for column, (good, bad) in cells.items():
        fate = draw(st.sampled_from(["good"] * 13 + ["messy"] * 8 + ["drop"] * 3))
        if fate == "drop":
            continue
        strategy = good | bad if fate == "messy" else good
        data[column] = draw(st.lists(strategy, min_size=n, max_size=n))
    frame = pd.DataFrame(data)
    if draw(st.booleans()):
        # typed versions, like a loaded dataset, of the date columns
        for column in frame.columns:
            if cells[column] is _dates:
                frame[column] = pd.to_datetime(frame[column], errors="coerce", format="mixed")
    return frame


def _only_crmdataerror(call):
    try:
        result = call()
    except CRMDataError as err:
        event(
            f"CRMDataError: {str(err).split(':')[0][:30]} / "
            f"{'no rows' if 'no rows' in str(err) else 'missing' if 'missing' in str(err) else 'other'}"
        )
        return None
    event("result")
    assert isinstance(result, pd.DataFrame)
    return result


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    messy_frames({"channel": _labels, "brand": _labels}),
    st.sampled_from([None, "brand", ["brand"], None, "brand", "nope", 3]),
)
def test_channel_mix_on_messy_frames(frame, by):
    out = _only_crmdataerror(lambda: C.channel_mix(frame, by=by))
    if out is not None:
        assert out["count"].sum() == len(frame)
        assert out["share"].between(0, 1).all()


@SETTINGS
@given(
    messy_frames({"channel": _labels, "response_hours": _numbers, "received_at": _dates, "accepted_at": _dates}),
    st.booleans(),
    st.sampled_from([24, 24, 24, 0.5, 0, -1, "x"]),
)
def test_response_times_on_messy_frames(frame, timestamps, sla):
    kwargs = {"start": "received_at", "end": "accepted_at"} if timestamps else {}
    out = _only_crmdataerror(lambda: C.response_times(frame, sla_hours=sla, **kwargs))
    if out is not None:
        assert (out["n"] + out["open"]).sum() == len(frame)
        assert out["within_sla"].dropna().between(0, 1).all()


@st.composite
def ticket_frames(draw):
    """Half the time a messy frame; otherwise tickets whose stages follow each other in time,
    each stage reached with some chance once the one before it was."""
    frame = draw(
        messy_frames({"received_at": _dates, "accepted_at": _dates, "followed_up_at": _dates, "kind": _labels})
    )
    if len(frame) and draw(st.booleans()):
        n = len(frame)
        start = pd.Timestamp("2024-01-01") + pd.to_timedelta(
            draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n)), unit="h"
        )
        steps = np.array(draw(st.lists(st.floats(0, 200), min_size=2 * n, max_size=2 * n))).reshape(n, 2)
        reached = np.cumprod(
            np.array(draw(st.lists(st.booleans(), min_size=2 * n, max_size=2 * n))).reshape(n, 2), axis=1
        ).astype(bool)
        later = start.to_numpy()[:, None] + pd.to_timedelta(
            np.cumsum(steps, axis=1).ravel(), unit="h"
        ).to_numpy().reshape(n, 2)
        later = np.where(reached, later, np.datetime64("NaT"))
        frame = frame.assign(received_at=start, accepted_at=later[:, 0], followed_up_at=later[:, 1])
    return frame


@SETTINGS
@given(ticket_frames(), st.sampled_from([None, "kind"]))
def test_complaint_stage_funnel_on_messy_frames(frame, by):
    out = _only_crmdataerror(
        lambda: C.complaint_stage_funnel(frame, stages=["received_at", "accepted_at", "followed_up_at"], by=by)
    )
    if out is not None:
        assert out["share_of_received"].between(0, 1).all()
        assert (out["median_hours"].dropna() >= 0).all()
        assert (
            out.groupby(out.columns[0] if by else np.zeros(len(out)), observed=True)["reached"]
            .apply(lambda r: r.is_monotonic_decreasing)
            .all()
        )


@SETTINGS
@given(messy_frames({"variant": _variants, "converted": _flags}), st.sampled_from([0.05, 0.05, 0.05, 0.1, 0, 1, "x"]))
def test_ab_test_on_messy_frames(frame, alpha):
    out = _only_crmdataerror(lambda: C.ab_test(frame, alpha=alpha))
    if out is not None:
        assert len(out) == 1 and 0 <= out["p_value"].iloc[0] <= 1
        assert out["ci_low"].iloc[0] <= out["lift"].iloc[0] <= out["ci_high"].iloc[0]


@SETTINGS
@given(
    messy_frames({"text": _texts}),
    st.sampled_from([None, None, {"x": ["a"]}, {"y": ["A", "等"], "z": ["waited"]}, {"x": []}, {"": ["a"]}, "rules"]),
)
def test_tag_feedback_on_messy_frames(frame, rules):
    out = _only_crmdataerror(lambda: C.tag_feedback(frame, rules=rules))
    if out is not None:
        assert len(out) == len(frame) and out["tags"].notna().all() and out["primary_tag"].notna().all()


def test_a_skipped_stage_record_still_counts_as_reached():
    """A ticket followed up without an 'accepted' time has passed acceptance all the same."""
    tickets = pd.DataFrame(
        {
            "received_at": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 10:00"]),
            "accepted_at": pd.to_datetime([None, "2024-01-01 11:00"]),
            "followed_up_at": pd.to_datetime(["2024-01-02 09:00", None]),
        }
    )
    out = C.complaint_stage_funnel(tickets, stages=["received_at", "accepted_at", "followed_up_at"])
    assert out["reached"].tolist() == [2, 2, 1]


# ---------------------------------------------------------------------------------------------
# Holm's adjustment (issue 16)
# ---------------------------------------------------------------------------------------------
def test_holm_adjust_by_hand():
    # sorted: 0.01 (x4), 0.02 (x3), 0.03 (x2), 0.20 (x1) -> 0.04, 0.06, 0.06, 0.20; back in input order
    got = C.holm_adjust(pd.Series([0.03, 0.01, 0.20, 0.02], index=["tea", "coffee", "juice", "milk"]))
    assert got.index.tolist() == ["tea", "coffee", "juice", "milk"]
    np.testing.assert_allclose(got.to_numpy(), [0.06, 0.04, 0.20, 0.06], rtol=1e-12)
    # the running maximum keeps the order: 0.04 x 2 = 0.08 is lifted to 0.09 (0.03 x 3)
    np.testing.assert_allclose(C.holm_adjust([0.03, 0.04, 0.5]).to_numpy(), [0.09, 0.09, 0.5], rtol=1e-12)
    assert C.holm_adjust([0.6, 0.7]).tolist() == [1.0, 1.0]  # capped at 1
    assert C.holm_adjust([0.02]).tolist() == [0.02]  # one test: nothing to adjust
    # a larger family, by hand: 0.008, 0.056, 0.234 (0.039 x 6), and the running maximum 0.234 after it
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]
    np.testing.assert_allclose(
        C.holm_adjust(p).to_numpy(), [0.008, 0.056, 0.234, 0.234, 0.234, 0.234, 0.234, 0.234], rtol=1e-12
    )


@pytest.mark.parametrize(
    "values, match",
    [
        ([], r"no p-values"),
        ([0.1, 1.5], r"'p_value' has 1 value outside \[0, 1\] or missing \(row 1\)"),
        (pd.Series([0.1, np.nan], index=["a", "b"]), r"\(row b\)"),
        (["x"], r"p_values must be numbers"),
    ],
)
def test_holm_adjust_bad_input(values, match):
    with pytest.raises(CRMDataError, match=match):
        C.holm_adjust(values)


# ---------------------------------------------------------------------------------------------
# censored response times (issue 16): Kaplan-Meier
# ---------------------------------------------------------------------------------------------
def _km_tickets(received, accepted, **extra):
    return pd.DataFrame({"received_at": pd.to_datetime(received), "accepted_at": pd.to_datetime(accepted), **extra})


def test_censored_response_times_by_hand():
    # answered after 1, 3, 3 and 8 hours; two still open, after 2 and 10 hours
    t = _km_tickets(
        ["2025-01-01 00:00"] * 4 + ["2025-01-01 08:00", "2025-01-01 00:00"],
        ["2025-01-01 01:00", "2025-01-01 03:00", "2025-01-01 03:00", "2025-01-01 08:00", None, None],
    )
    got = C.censored_response_times(t, data_end="2025-01-01 10:00", sla_hours=4).iloc[0]
    # waiting share: after 1 h 5/6; open one leaves at 2 h; after 3 h (4 waiting, 2 answered) 5/6 x 2/4 = 5/12;
    # after 8 h (2 waiting, 1 answered) 5/24. Median: first time the share waiting is <= 1/2: 3 h.
    assert got["n"] == 6 and got["open"] == 2
    assert got["median_hours"] == 3.0
    assert got["within_sla"] == pytest.approx(1 - 5 / 12)
    assert np.isnan(got["p90_hours"])  # 5/24 still waiting at the longest answer: 90% never reached
    assert got["answered_median_hours"] == 3.0
    # dropping the open tickets, as response_times does, overstates the share within the SLA (3/4)
    plain = C.response_times(t, start="received_at", end="accepted_at", by=None, sla_hours=4).iloc[0]
    assert plain["within_sla"] == 0.75 > got["within_sla"]


def test_censored_response_times_match_scipy_ecdf():
    from scipy import stats

    from crmlib.datasets import load_retail

    tickets = load_retail().tickets
    table = C.censored_response_times(tickets, end="followed_up_at", by="complaint_type", sla_hours=168)
    end = max(tickets["received_at"].max(), tickets["followed_up_at"].max())
    for _, row in table.iterrows():
        part = tickets[tickets["complaint_type"] == row["complaint_type"]]
        hours = ((part["followed_up_at"].fillna(end) - part["received_at"]).dt.total_seconds() / 3600).to_numpy()
        done = part["followed_up_at"].notna().to_numpy()
        km = stats.ecdf(stats.CensoredData(uncensored=hours[done], right=hours[~done]))
        assert row["within_sla"] == pytest.approx(km.cdf.evaluate(168.0), abs=1e-12)
        # the median is the first answer time at which the estimated answered share reaches 1/2
        answer_times = np.unique(hours[done])
        first = answer_times[km.cdf.evaluate(answer_times) >= 0.5 - 1e-12][0]
        assert row["median_hours"] == pytest.approx(first)
        assert row["n"] == len(part) and row["open"] == int((~done).sum())
    assert table["open"].sum() == 297


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: C.censored_response_times(_km_tickets(["2025-01-01 05:00"], ["2025-01-01 04:00"])),
            r"'accepted_at' has 1 value earlier than 'received_at'",
        ),
        (
            lambda: C.censored_response_times(
                _km_tickets(["2025-01-01 05:00"], ["2025-01-02 04:00"]), data_end="2025-01-01 12:00"
            ),
            r"after data_end",
        ),
        (
            lambda: C.censored_response_times(_km_tickets(["2025-01-01 05:00"], [None]), data_end=12),
            r"data_end 12 cannot be read as a time",
        ),
        (
            lambda: C.censored_response_times(_km_tickets(["2025-01-01 05:00"], [None]).drop(columns="accepted_at")),
            r"'accepted_at' is missing",
        ),
        (lambda: C.censored_response_times(_km_tickets(["2025-01-01 05:00"], [None]), sla_hours=-1), r"sla_hours"),
    ],
)
def test_censored_response_times_bad_input(call, match):
    with pytest.raises(CRMDataError, match=match):
        call()


def test_response_times_level_adds_the_wilson_interval_of_the_share_within_the_sla():
    # app: 2 of 3 answered within 24 h; hotline: 1 of 2; Wilson 95 % by hand (z = 1.96):
    # 2/3 -> centre (2/3 + 0.64027) / 2.28053 = 0.57307, half 0.85945 x sqrt(0.07407 + 0.10671)
    # = 0.36543: 0.2077 to 0.9385
    feedback = pd.DataFrame(
        {"channel": ["hotline", "hotline", "app", "app", "app"], "response_hours": [2.0, 30.0, 1.0, 5.0, 50.0]}
    )
    table = C.response_times(feedback, level=0.95).set_index("channel")
    assert table.loc["app", ["ci_low", "ci_high"]].tolist() == pytest.approx([0.2077, 0.9385], abs=1e-4)
    assert table.loc["hotline", "ci_low"] < 0.5 < table.loc["hotline", "ci_high"]
    assert "ci_low" not in C.response_times(feedback).columns  # only when asked
    # a group whose tickets are all still open has no share, and so no interval
    tickets = pd.DataFrame(
        {
            "team": ["a", "a", "b"],
            "received_at": pd.to_datetime(["2024-01-01"] * 3),
            "answered_at": pd.to_datetime(["2024-01-01 05:00", None, None]),
        }
    )
    both = C.response_times(tickets, by="team", start="received_at", end="answered_at", level=0.9)
    assert both.set_index("team").loc["b", ["n", "ci_low", "ci_high"]].isna().tolist() == [False, True, True]
    with pytest.raises(CRMDataError, match="level"):
        C.response_times(feedback, level=2)
