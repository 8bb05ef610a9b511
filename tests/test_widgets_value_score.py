"""The chapter 1 widgets: value-score balance explorer and brand profile explorer, on the shipped data."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from crmlib import identify
from crmlib.datasets import load_retail, load_tea
from crmlib.identify import balance_curve, balance_split, largest_gap, profile_shares, value_indices
from crmlib.validate import CRMDataError
from crmlib.widgets.profiles import profile_explorer
from crmlib.widgets.value_score import value_score_explorer

matplotlib.use("Agg")

WEIGHTS = {
    "margin": 0.30,
    "line_amount": 0.20,
    "marketing_cost": 0.10,
    "industry_position": 0.15,
    "cooperation_years": 0.15,
    "satisfaction": 0.10,
}
FUTURE = ["industry_position", "cooperation_years", "satisfaction"]


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    retail = load_retail()
    table = identify.account_criteria(retail.customers, retail.orders, retail.order_lines, retail.surveys)
    return table[
        [
            "customer_id",
            "industry_position",
            "cooperation_years",
            "margin",
            "line_amount",
            "marketing_cost",
            "satisfaction",
        ]
    ]


@pytest.fixture(scope="module")
def profiles() -> pd.DataFrame:
    tea = load_tea()
    spend = tea.orders.groupby("member_id")["net_amount"].sum().rename("spend")
    return tea.members.set_index("member_id").join(spend)


# --- value score ------------------------------------------------------------------------------
def test_balance_at_the_starting_weights_matches_value_score(accounts):
    indices = value_indices(accounts, WEIGHTS, cost=["marketing_cost"], future=FUTURE)
    assert indices["future_weight"].iloc[0] == pytest.approx(0.4)
    split = balance_split(indices, accounts, 0.4)
    tiers = identify.account_tiers(identify.value_score(accounts, WEIGHTS, cost=["marketing_cost"], future=FUTURE))
    assert (split["tiers"].to_numpy() == tiers["tier"].to_numpy()).all()
    assert split["strategic"] == int(np.ceil(0.2 * len(accounts)))
    # The planted effect: the strategic fifth carries most of the margin (README: 0.72 +- 0.08).
    assert split["margin_share"] == pytest.approx(0.72, abs=0.08)


def test_balance_equals_rescaled_weights(accounts):
    """Score at balance f = value_score with the current weights scaled to 1 - f and the future ones to f."""
    indices = value_indices(accounts, WEIGHTS, cost=["marketing_cost"], future=FUTURE)
    f = 0.7
    rescaled = {c: w / 0.4 * f if c in FUTURE else w / 0.6 * (1 - f) for c, w in WEIGHTS.items()}
    direct = identify.value_score(accounts, rescaled, cost=["marketing_cost"], future=FUTURE)["value_score"]
    assert np.allclose(balance_split(indices, accounts, f)["score"], direct)


def test_more_weight_on_the_future_lowers_the_strategic_margin_share(accounts):
    indices = value_indices(accounts, WEIGHTS, cost=["marketing_cost"], future=FUTURE)
    curve = balance_curve(indices, accounts)
    assert len(curve) == 21
    assert curve["margin_share"].iloc[0] > curve["margin_share"].iloc[-1] + 0.15


def test_value_score_explorer_reacts_to_the_slider(accounts):
    box = value_score_explorer(accounts, WEIGHTS, cost=["marketing_cost"], future=FUTURE)
    slider = box.controls["future_weight"]
    assert slider.value == pytest.approx(0.4)
    assert box.state["changed"] == 0
    before_text, before_share, before_chart = box.summary.value, box.state["margin_share"], bytes(box.image.value)
    assert before_chart.startswith(b"\x89PNG")
    slider.value = 0.9
    assert bytes(box.image.value).startswith(b"\x89PNG") and bytes(box.image.value) != before_chart
    assert box.state["future_weight"] == pytest.approx(0.9)
    assert box.state["changed"] > 0
    assert box.state["margin_share"] < before_share
    assert box.summary.value != before_text and "90%" in box.summary.value
    assert len(box.redraw_seconds) == 2


def test_value_indices_need_both_current_and_future_criteria(accounts):
    with pytest.raises(CRMDataError, match="future"):
        value_indices(accounts, {"margin": 0.5, "line_amount": 0.5})


# --- profiles ---------------------------------------------------------------------------------
def test_profile_shares_add_up_to_one_per_brand(profiles):
    for measure in ("members", "revenue"):
        shares = profile_shares(profiles, "age_band", measure)
        assert list(shares.columns) == ["T1", "T2", "T3"]
        assert list(shares.index) == ["under 18", "18-24", "25-34", "35-44", "45+"]  # category order kept
        assert np.allclose(shares.sum(), 1.0)


def test_collab_joiners_are_the_largest_gap(profiles):
    """Planted: collab-campaign joiners lapse sooner, so they bring less revenue than their numbers."""
    gap = largest_gap(profiles, "join_channel")
    assert gap["group"] == "collab campaign"
    assert gap["revenue_share"] < gap["member_share"]


def test_profile_explorer_reacts_to_its_controls(profiles):
    box = profile_explorer(profiles, ["age_band", "join_channel"], labels={"T1": "Aurora Leaf"})
    first, first_chart = box.summary.value, bytes(box.image.value)
    assert "Aurora Leaf" in first and "25-34" in first
    box.controls["dimension"].value = "join_channel"
    assert box.summary.value != first
    assert bytes(box.image.value).startswith(b"\x89PNG") and bytes(box.image.value) != first_chart
    assert list(box.state["shares"].index) == ["collab campaign", "delivery app", "in-store QR code", "mini-program"]
    members_view = box.state["shares"].copy()
    box.controls["measure"].value = "revenue"
    assert "of revenue" in box.summary.value
    assert not np.allclose(box.state["shares"].to_numpy(), members_view.to_numpy())
    assert box.state["gap"] == largest_gap(profiles, "join_channel")
    assert len(box.redraw_seconds) == 3


def test_profile_explorer_rejects_unknown_columns(profiles):
    with pytest.raises(CRMDataError):
        profile_explorer(profiles, ["shoe_size"])
