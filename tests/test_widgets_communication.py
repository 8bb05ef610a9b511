"""The chapter-3 explorers (crmlib.widgets.channels, crmlib.widgets.complaints) and the analysis behind them
(crmlib.communicate.sla_shares, reorder_gap, reorder_gap_curve), on the shipped data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import communicate
from crmlib.communicate import reorder_gap, reorder_gap_curve, sla_shares
from crmlib.datasets import load_tea
from crmlib.validate import CRMDataError
from crmlib.widgets.channels import sla_explorer
from crmlib.widgets.complaints import response_gap_explorer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def tea():
    return load_tea()


@pytest.fixture(scope="module")
def first(tea):
    """Members' first complaints at least 60 days before the data ends,
    and whether they ordered again within 60 days."""
    complaints = tea.feedback[tea.feedback["is_complaint"]].sort_values("created_at", kind="stable")
    first = complaints.drop_duplicates("member_id")
    data_end = tea.orders["order_time"].max().normalize() + pd.Timedelta(days=1)
    first = first[first["created_at"] < data_end - pd.Timedelta(days=60)].copy()
    pairs = tea.orders[["member_id", "order_time"]].merge(first[["member_id", "created_at"]], on="member_id")
    later = (pairs["order_time"] > pairs["created_at"]) & (
        pairs["order_time"] <= pairs["created_at"] + pd.Timedelta(days=60)
    )
    first["ordered_again"] = first["member_id"].isin(pairs.loc[later, "member_id"])
    return first


# --- channels ----------------------------------------------------------------------------------
def test_sla_shares_count_by_hand(tea):
    fb = tea.feedback
    table = sla_shares(fb, 12).set_index("channel")
    for channel, part in fb.groupby("channel", observed=True):
        assert table.loc[channel, "within_sla"] == pytest.approx((part["response_hours"] <= 12).mean())
        assert table.loc[channel, "n"] == len(part)
    assert table.loc["all", "within_sla"] == pytest.approx((fb["response_hours"] <= 12).mean())
    assert list(table.index[:-1]) == list(table["median_hours"].iloc[:-1].sort_values().index)


def test_sla_summary_names_every_channel():
    data = pd.DataFrame({"channel": ["a", "a", "b"], "response_hours": [1.0, 9.0, 3.0]})
    box = sla_explorer(data, sla_hours=4, names={"a": "app 应用"})
    assert box.summary.value == "Answered within 4 h: b 100%, app 应用 50%; all channels 67%."  # lowest median first


def test_sla_explorer_updates_when_the_slider_moves(tea):
    box = sla_explorer(tea.feedback)
    slider = box.controls["sla_hours"]
    assert slider.value == 24 and bytes(box.image.value).startswith(PNG)
    before_text, before_image, before = box.summary.value, box.image.value, box.state["shares"].set_index("channel")
    assert "Answered within 24 h" in before_text
    pd.testing.assert_frame_equal(box.state["shares"], sla_shares(tea.feedback, 24))
    slider.value = 4
    after = box.state["shares"].set_index("channel")
    assert box.summary.value != before_text and "within 4 h" in box.summary.value
    assert box.image.value != before_image
    assert (after["within_sla"] <= before["within_sla"]).all()  # a tighter promise is kept less often
    assert after.loc["all", "within_sla"] < before.loc["all", "within_sla"]
    slider.value = slider.max
    assert box.state["shares"]["within_sla"].iloc[-1] == pytest.approx(
        (tea.feedback["response_hours"] <= slider.max).mean()
    )
    assert len(box.redraw_seconds) == 3


def test_sla_explorer_rejects_bad_input(tea):
    with pytest.raises(CRMDataError, match="sla_hours"):
        sla_explorer(tea.feedback, sla_hours=0)
    with pytest.raises(CRMDataError, match="'medium' is missing"):
        sla_explorer(tea.feedback, by="medium")
    with pytest.raises(CRMDataError, match="by must be .*column name"):
        sla_shares(tea.feedback, 24, by=["channel"])


# --- complaints --------------------------------------------------------------------------------
def test_reorder_gap_matches_pandas_and_ab_test(first):
    result = reorder_gap(first, 24)
    fast = first["response_hours"] <= 24
    assert result["n_fast"] == int(fast.sum()) and result["n_slow"] == int((~fast).sum())
    expected_gap = first.loc[fast, "ordered_again"].mean() - first.loc[~fast, "ordered_again"].mean()
    assert result["gap"] == pytest.approx(expected_gap)
    arms = first.assign(arm=np.where(fast, "fast", "slow"))
    test = communicate.ab_test(arms, variant="arm", converted="ordered_again", control="slow", treatment="fast").iloc[0]
    assert (result["ci_low"], result["ci_high"]) == pytest.approx((test["ci_low"], test["ci_high"]))
    assert result["gap"] > 0.05 and result["ci_low"] > 0  # slow answers go with fewer returns


def test_reorder_gap_with_an_empty_group():
    first = pd.DataFrame({"response_hours": [30.0, 50.0], "ordered_again": [True, False]})
    result = reorder_gap(first, 24)
    assert result["n_fast"] == 0 and np.isnan(result["gap"]) and result["slow_share"] == 0.5
    assert "nothing to compare" in response_gap_explorer(first, sla_hours=24).summary.value
    with pytest.raises(CRMDataError, match="below 0"):
        reorder_gap(first.assign(response_hours=-1.0), 24)


def test_gap_curve_agrees_with_reorder_gap(first):
    curve = reorder_gap_curve(first, max_hours=48).set_index("sla_hours")
    assert len(curve) == 48
    for sla in (6, 24, 48):
        assert curve.loc[float(sla), "gap"] == pytest.approx(reorder_gap(first, sla)["gap"])
    assert curve["n_fast"].is_monotonic_increasing


def test_response_gap_explorer_updates_when_the_slider_moves(first):
    box = response_gap_explorer(first, window_days=60)
    slider = box.controls["sla_hours"]
    assert slider.value == 24 and bytes(box.image.value).startswith(PNG)
    before_text, before_image, before = box.summary.value, box.image.value, box.state["result"]
    assert before == reorder_gap(first, 24)
    assert f"{before['n_fast']:,} answered in time" in before_text
    slider.value = 72
    after = box.state["result"]
    assert len(box.redraw_seconds) == 2
    assert box.summary.value != before_text and "SLA 72 h" in box.summary.value
    assert box.image.value != before_image
    assert after["n_fast"] > before["n_fast"] and after["n_fast"] + after["n_slow"] == len(first)
    with pytest.raises(CRMDataError, match="sla_hours"):
        response_gap_explorer(first, sla_hours=500)
