"""The P(alive) explorer and the life-cycle stage explorer, built on the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlib import clv, loyalty
from crmlib.datasets import load_retail, load_tea
from crmlib.validate import CRMDataError
from crmlib.widgets.clv import alive_explorer
from crmlib.widgets.lifecycle import lifecycle_explorer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def model():
    """BG/NBD fitted to the retailer's consumers, in weeks, as the notebook does."""
    retail = load_retail()
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    days = clv.rfm_summary(retail.orders[retail.orders["customer_id"].isin(consumers)], observation_end="2025-12-31")
    return clv.BetaGeo().fit(clv.convert_time_unit(days, "W"))


@pytest.fixture(scope="module")
def tea_orders():
    return load_tea().orders


# --- P(alive) -----------------------------------------------------------------------------------
def test_outlook_matches_the_model(model):
    got = clv.customer_outlook(model, frequency=8, T=60, quiet=20, horizon=26)
    one = pd.DataFrame({"frequency": [8], "recency": [40.0], "T": [60.0]})
    assert got["recency"] == 40
    assert got["prob_alive"] == pytest.approx(float(model.prob_alive(one).iloc[0]))
    assert got["expected_purchases"] == pytest.approx(float(model.predict_purchases(26, one).iloc[0]))


def test_a_frequent_buyer_who_went_quiet_is_likely_gone(model):
    quiet = lambda x: clv.customer_outlook(model, frequency=x, T=78, quiet=30)["prob_alive"]  # noqa: E731
    assert quiet(15) < 0.1 < 0.5 < quiet(1)
    curve = clv.alive_curve(model, frequency=10, T=52)
    assert curve["prob_alive"].is_monotonic_decreasing
    assert clv.alive_curve(model, frequency=0, T=52)["prob_alive"].eq(1).all()


def test_alive_explorer_updates_when_a_slider_moves(model):
    box = alive_explorer(model, frequency=12, T=78, quiet=2)
    assert bytes(box.image.value).startswith(PNG)
    before_text, before_chart, before = box.summary.value, box.image.value, box.state["outlook"]["prob_alive"]
    assert box.state["outlook"] == clv.customer_outlook(model, 12, 78, 2)
    box.controls["quiet"].value = 30
    assert box.summary.value != before_text and box.image.value != before_chart
    assert box.state["outlook"]["prob_alive"] < before / 5
    assert "quiet for the last <b>30</b>" in box.summary.value
    box.controls["T"].value = 20  # the silence cannot outlast the customer's age
    assert box.controls["quiet"].value <= 20 and box.state["outlook"]["T"] == 20
    assert box.state["outlook"] == clv.customer_outlook(model, 12, 20, box.controls["quiet"].value)


def test_alive_rejects_a_silence_longer_than_the_age(model):
    with pytest.raises(CRMDataError, match="quiet"):
        clv.customer_outlook(model, frequency=3, T=10, quiet=12)
    with pytest.raises(CRMDataError, match="BetaGeo"):
        clv.customer_outlook(object(), frequency=3, T=10, quiet=2)


# --- life cycle ---------------------------------------------------------------------------------
def test_stages_cover_everyone_who_had_bought(tea_orders):
    stages = loyalty.lifecycle_stages(tea_orders, "2025-06-30", customer="member_id", date="order_time", by="brand_id")
    bought = tea_orders.loc[tea_orders["order_time"] < "2025-07-01", "member_id"].nunique()
    assert len(stages) == bought
    assert list(stages["stage"].cat.categories) == list(loyalty.LIFECYCLE_STAGES)
    lost = stages["stage"] == "lost"
    assert (stages.loc[lost, "days_since_last"] >= 180).all()
    assert (stages.loc[stages["stage"] == "new", "days_since_first"] < 30).all()
    counts = loyalty.stage_counts(tea_orders, "2025-06-30", customer="member_id", date="order_time", by="brand_id")
    assert counts.to_numpy().sum() == bought
    assert list(counts.index) == ["T1", "T2", "T3"]


def test_looser_rules_make_fewer_lost(tea_orders):
    strict = loyalty.stage_counts(tea_orders, "2025-12-31", customer="member_id", date="order_time", lapsed_days=120)
    loose = loyalty.stage_counts(tea_orders, "2025-12-31", customer="member_id", date="order_time", lapsed_days=365)
    assert loose.loc["all", "lost"] < strict.loc["all", "lost"]
    assert loose.to_numpy().sum() == strict.to_numpy().sum()
    with pytest.raises(CRMDataError, match="must rise"):
        loyalty.lifecycle_stages(tea_orders, "2025-12-31", customer="member_id", date="order_time", active_days=100)


def test_lifecycle_explorer_updates_when_a_control_moves(tea_orders):
    box = lifecycle_explorer(tea_orders, customer="member_id", date="order_time", by="brand_id")
    assert bytes(box.image.value).startswith(PNG)
    assert box.controls["as_of"].value == pd.Timestamp("2025-12-31")
    before_text, before = box.summary.value, box.state["counts"].copy()
    box.controls["as_of"].value = pd.Timestamp("2024-06-30")
    assert box.summary.value != before_text and "2024-06-30" in box.summary.value
    assert box.state["counts"].to_numpy().sum() < before.to_numpy().sum()  # fewer members had joined by mid-2024
    lost = box.state["counts"]["lost"].sum()
    box.controls["lapsed_days"].value = 120
    assert box.state["counts"]["lost"].sum() > lost
    kept = box.state["counts"].copy()
    box.controls["active_days"].value = 100  # above cooling: refused, the table stays
    assert "must rise" in box.summary.value
    pd.testing.assert_frame_equal(box.state["counts"], kept)


def test_purchase_days_feed_the_stage_counts(tea_orders):
    days = loyalty.purchase_days(tea_orders, customer="member_id", date="order_time", by="brand_id")
    assert len(days) == len(
        tea_orders.assign(day=tea_orders["order_time"].dt.normalize()).drop_duplicates(["member_id", "day"])
    )
    direct = loyalty.stage_counts(tea_orders, "2025-06-30", customer="member_id", date="order_time", by="brand_id")
    via_days = loyalty.stage_counts(days, "2025-06-30", customer="customer", date="day", by="group")
    assert via_days.to_numpy().tolist() == direct.to_numpy().tolist()
