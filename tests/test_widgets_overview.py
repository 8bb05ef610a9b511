"""The chapter-0 widgets (crmlib.widgets.pareto, crmlib.widgets.customer_centred) on the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlib import identify
from crmlib.datasets import load_retail, load_tea
from crmlib.identify import pareto_curves, top_shares
from crmlib.loyalty import rebuy_window_summary as window_summary
from crmlib.validate import CRMDataError
from crmlib.widgets.customer_centred import rebuy_window_explorer
from crmlib.widgets.pareto import pareto_explorer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def tea_orders():
    return load_tea().orders


@pytest.fixture(scope="module")
def repeats():
    """Re-buys of the same product by the retailer's consumers, as notebook 02 computes them."""
    retail = load_retail()
    consumer_orders = retail.orders.loc[
        retail.orders["channel"] != "account", ["order_id", "customer_id", "order_date"]
    ]
    lines = retail.order_lines.merge(consumer_orders, on="order_id")
    buys = lines.drop_duplicates(["customer_id", "product_id", "order_date"]).sort_values("order_date", kind="stable")
    buys["gap_days"] = buys.groupby(["customer_id", "product_id"])["order_date"].diff().dt.days
    return buys.dropna(subset=["gap_days"])


# --- pareto ------------------------------------------------------------------------------------
def test_pareto_shares_agree_with_identify_top_share(tea_orders):
    curves = pareto_curves(tea_orders, customer="member_id", amount="net_amount", by="brand_id")
    assert list(curves) == ["T1", "T2", "T3"]
    for pct in (5, 20, 35, 95):
        shares = top_shares(curves, pct)
        for brand, part in tea_orders.groupby("brand_id", observed=True):
            expected = identify.top_share(part, pct / 100, customer="member_id", amount="net_amount")
            assert shares[brand] == pytest.approx(expected)


def test_pareto_explorer_updates_when_the_slider_moves(tea_orders):
    box = pareto_explorer(
        tea_orders,
        customer="member_id",
        amount="net_amount",
        by="brand_id",
        names={"T1": "Aurora Leaf 极光叶茶"},
        noun="members",
    )
    slider = box.controls["top_pct"]
    assert slider.value == 20
    assert bytes(box.image.value).startswith(PNG)
    before_text, before_image, before = box.summary.value, box.image.value, box.state["shares"]
    assert "Aurora Leaf 极光叶茶 66%" in before_text
    slider.value = 50
    assert box.summary.value != before_text and "top 50%" in box.summary.value
    assert box.image.value != before_image
    after = box.state["shares"]
    assert all(after[b] > before[b] for b in before)  # more customers, more of the value
    slider.value = 100
    assert box.state["shares"] == pytest.approx({"T1": 1.0, "T2": 1.0, "T3": 1.0})
    assert len(box.redraw_seconds) == 3


def test_pareto_explorer_without_groups_and_bad_input(tea_orders):
    box = pareto_explorer(tea_orders, customer="member_id", amount="net_amount")
    assert list(box.state["shares"]) == [None] and "all customers" in box.summary.value
    with pytest.raises(CRMDataError, match="no column 'brand'"):
        pareto_explorer(tea_orders, customer="member_id", amount="net_amount", by="brand")
    with pytest.raises(CRMDataError, match="top_pct"):
        pareto_explorer(tea_orders, customer="member_id", amount="net_amount", top_pct=0)


# --- customer_centred --------------------------------------------------------------------------
def test_window_summary_counts_by_hand():
    repeats = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c"],
            "gap_days": [3, 10, 14, 200],
            "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-05-01", "2024-01-15"]),
        }
    )
    s = window_summary(repeats, 14, weeks=2)
    assert s == {"days": 14, "rebuys": 3, "customers": 2, "per_week": 1.5, "share": 0.75}
    assert window_summary(repeats, 2, weeks=2)["rebuys"] == 0
    with pytest.raises(CRMDataError, match="days"):
        window_summary(repeats, -1)


def test_rebuy_window_explorer_updates_when_the_slider_moves(repeats):
    box = rebuy_window_explorer(repeats)
    assert box.controls["days"].value == 30 and bytes(box.image.value).startswith(PNG)
    before_text, before_image, before = box.summary.value, box.image.value, box.state["numbers"]
    assert before["rebuys"] == int((repeats["gap_days"] <= 30).sum())
    box.controls["days"].value = 7
    after = box.state["numbers"]
    assert box.summary.value != before_text and "Window 7 days" in box.summary.value
    assert box.image.value != before_image
    assert after["rebuys"] < before["rebuys"] and after["customers"] <= after["rebuys"]
    box.controls["days"].value = box.controls["days"].max
    assert box.state["numbers"]["share"] == pytest.approx(
        (repeats["gap_days"] <= box.controls["days"].max).mean(), abs=1e-3
    )


def test_rebuy_window_explorer_rejects_negative_gaps(repeats):
    with pytest.raises(CRMDataError, match="negative"):
        rebuy_window_explorer(repeats.assign(gap_days=-repeats["gap_days"]))
