"""The RFM cut-offs explorer and the budget allocation explorer, built on the shipped data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import identify
from crmlib.datasets import load_retail, load_tea
from crmlib.validate import CRMDataError
from crmlib.widgets import budget, rfm

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def aurora_rfm():
    orders = load_tea().orders.query("brand_id == 'T1'")
    return identify.rfm_table(orders, customer="member_id", date="order_time", amount="net_amount")


@pytest.fixture(scope="module")
def tiers():
    """Pyramid tiers of the retailer's consumers with a made-up expected spend per customer."""
    retail = load_retail()
    consumers = retail.customers.query("customer_type == 'consumer'")["customer_id"]
    pyramid = identify.customer_pyramid(retail.orders[retail.orders["customer_id"].isin(consumers)])
    pyramid = pyramid[pyramid["customers"] > 0]
    return pd.DataFrame(
        {
            "segment": pyramid["tier"],
            "customers": pyramid["customers"],
            "expected_spend": pyramid["value_per_customer"] / 8,
        }
    )


# --- RFM ----------------------------------------------------------------------------------------
def test_threshold_summary_covers_everyone(aurora_rfm):
    table = identify.threshold_summary(aurora_rfm, 90, 3, 100)
    assert list(table["rfm_type"]) == [en for en, _, _ in identify.RFM_TYPES.values()]
    assert table["customers"].sum() == len(aurora_rfm)
    assert table["revenue_share"].sum() == pytest.approx(1.0)


def test_looser_recency_threshold_makes_more_customers_recent(aurora_rfm):
    def recent(days):
        return (identify.rfm_types(aurora_rfm, days, 3, 100)["R_level"] == "high").sum()

    assert recent(30) < recent(90) < recent(365)
    assert recent(365) == (aurora_rfm["recency"] <= 365).sum()


def test_rfm_explorer_updates_when_a_slider_moves(aurora_rfm):
    box = rfm.rfm_explorer(aurora_rfm)
    assert bytes(box.image.value).startswith(PNG)
    start = identify.default_thresholds(aurora_rfm)
    assert {k: s.value for k, s in box.controls.items()} == start
    before_text, before_chart = box.summary.value, box.image.value
    before = box.state["table"].set_index("rfm_type")["customers"]
    box.controls["recent_days"].value = 30
    after = box.state["table"].set_index("rfm_type")["customers"]
    assert box.summary.value != before_text and box.image.value != before_chart
    assert "last 30 days" in box.summary.value
    assert after["important value customer"] < before["important value customer"]
    assert "重要价值客户" in box.summary.value and "一般挽留客户" in box.summary.value
    assert after.sum() == before.sum() == len(aurora_rfm)
    assert len(box.redraw_seconds) == 2


def test_rfm_rejects_a_table_without_rfm_columns():
    with pytest.raises(CRMDataError, match="recency"):
        identify.rfm_types(pd.DataFrame({"x": [1]}), 30, 2, 10)


# --- budget -------------------------------------------------------------------------------------
def test_allocation_spends_the_budget_within_caps(tiers):
    for method in identify.ALLOCATION_METHODS:
        plan = identify.allocate_budget(tiers, 200_000, 0.1, 50, method)
        assert plan["budget"].sum() == pytest.approx(200_000)
        assert (plan["reached"] <= plan["customers"] + 1e-9).all()
    equal = identify.allocate_budget(tiers, 200_000, 0.1, 50, "equal")
    np.testing.assert_allclose(equal["reached"] / equal["customers"], 200_000 / 50 / tiers["customers"].sum())


def test_allocation_by_return_beats_equal_and_stops_when_everyone_is_reached(tiers):
    totals = identify.compare_allocations(tiers, 200_000, 0.1, 50, margin_rate=0.3)
    assert totals.loc["return", "extra_revenue"] > totals.loc["equal", "extra_revenue"]
    everyone = tiers["customers"].sum() * 50
    flush = identify.compare_allocations(tiers, everyone * 2, 0.1, 50)
    assert flush["budget_spent"].tolist() == pytest.approx([everyone] * 3)
    assert flush["extra_revenue"].tolist() == pytest.approx([flush.loc["equal", "extra_revenue"]] * 3)


def test_best_first_fills_the_best_tier_before_the_next(tiers):
    top_cap = float(tiers["customers"].iloc[0]) * 50
    plan = identify.allocate_budget(tiers, top_cap * 1.5, 0.1, 50, "best_first")
    assert plan["budget"].tolist() == pytest.approx([top_cap, top_cap * 0.5, 0, 0])
    totals = identify.compare_allocations(tiers, 200_000, 0.1, 50)
    assert totals["extra_revenue"].idxmax() == "best_first"


def test_budget_explorer_updates_when_the_sliders_move(tiers):
    box = budget.budget_explorer(tiers, budget=200_000, lift=0.1, cost_per_customer=50, margin_rate=0.3)
    assert bytes(box.image.value).startswith(PNG)
    first_text, first_extra = box.summary.value, box.state["totals"]["extra_revenue"].copy()
    box.controls["lift"].value = 0.2
    assert box.summary.value != first_text
    np.testing.assert_allclose(box.state["totals"]["extra_revenue"], 2 * first_extra)
    given = box.state["plans"]["return"]["budget"].copy()
    box.controls["budget"].value = 400_000
    assert box.state["plans"]["return"]["budget"].sum() == pytest.approx(400_000)
    assert not np.allclose(box.state["plans"]["return"]["budget"], 2 * given)  # the top tiers are capped
    assert len(box.redraw_seconds) == 3


def test_budget_rejects_an_unknown_method(tiers):
    with pytest.raises(CRMDataError, match="method"):
        identify.allocate_budget(tiers, 1000, 0.1, 50, method="random")
