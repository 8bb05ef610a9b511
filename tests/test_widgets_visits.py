"""The chapter-2 widgets (crmlib.widgets.visits, crmlib.widgets.funnel) on the shipped data."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import develop
from crmlib.validate import CRMDataError
from crmlib.widgets.funnel import funnel_explorer, funnel_gaps, funnel_summary
from crmlib.widgets.visits import best_visit_count, visit_explorer, visit_summary, visit_value_table

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def win_rates(retail):
    return develop.win_rate_by_touches(retail.opportunities, retail.activities, max_touches=5)


@pytest.fixture(scope="module")
def deals(retail):
    """One row per lead with the furthest stage it reached, as the funnel notebook builds it."""
    opps = retail.opportunities[["opportunity_id", "stage"]]
    table = retail.leads.merge(opps, on="opportunity_id", how="left")
    return table.assign(stage=table["stage"].astype(object).fillna("lead"))


@pytest.fixture(scope="module")
def stages(retail):
    return ["lead", *retail.opportunities["stage"].cat.categories]


# --- visits: the arithmetic on a hand-made table ----------------------------------------------
def test_visit_value_table_by_hand():
    rates = pd.DataFrame({"touches": [2, 0, 1], "win_rate": [0.3, 0.0, 0.1]})  # unsorted on purpose
    table = visit_value_table(rates, deal_size=1000, cost_per_visit=150)
    assert table["visits"].tolist() == [0, 1, 2]
    assert np.isnan(table["gain"][0]) and table["gain"][1:].tolist() == pytest.approx([100.0, 200.0])
    assert table["pays"].tolist() == [False, False, True]
    assert table["net_value"].tolist() == pytest.approx([0.0, -50.0, 0.0])
    assert best_visit_count(table) == 0  # a tie between 0 and 2 visits goes to the fewest


def test_visit_value_table_rejects_bad_input():
    rates = pd.DataFrame({"touches": [0, 1], "win_rate": [0.0, 1.5]})
    with pytest.raises(CRMDataError, match="outside 0–1"):
        visit_value_table(rates, 1000, 100)
    with pytest.raises(CRMDataError, match="deal_size"):
        visit_value_table(rates.assign(win_rate=[0.0, 0.5]), -5, 100)
    with pytest.raises(CRMDataError, match="touches"):
        visit_value_table(pd.DataFrame({"visits": [0], "win_rate": [0.1]}), 1000, 100)


# --- visits: the widget on the shipped data ---------------------------------------------------
def test_visit_explorer_peak_moves_with_the_cost(win_rates):
    box = visit_explorer(win_rates, deal_size=100_000, cost_per_visit=0, pooled_last=True, max_cost=20_000)
    assert bytes(box.image.value).startswith(PNG)
    free = best_visit_count(box.table())
    text, image = box.summary.value, box.image.value
    assert free >= 3  # with free visits it pays to go at least to the third
    box.cost_slider.value = 15_000
    assert box.summary.value != text and box.image.value != image
    assert best_visit_count(box.table()) < free  # dear visits: stop earlier
    assert box.summary.value.startswith("<b>") and "15,000 CNY" in box.summary.value


def test_visit_explorer_deal_slider_changes_the_table(win_rates):
    box = visit_explorer(win_rates, deal_size=50_000, cost_per_visit=1000, pooled_last=True)
    before = box.table()["net_value"].copy()
    box.deal_slider.value = 100_000
    after = box.table()["net_value"]
    rates = box.table()["win_rate"]
    visits = box.table()["visits"]
    assert after.tolist() == pytest.approx((rates * 100_000 - visits * 1000).tolist())
    assert not after.equals(before)
    assert visit_summary(box.table(), pooled_last=True) in box.summary.value


def test_visit_explorer_bad_start(win_rates):
    with pytest.raises(CRMDataError, match="max_deal"):
        visit_explorer(win_rates, deal_size=50_000, max_deal=10_000)


# --- funnel -----------------------------------------------------------------------------------
def test_funnel_gaps_source_differs_first_rep_later(deals, stages):
    by_source = funnel_gaps(develop.funnel_table(deals, stages=stages, by="source"), "source")
    by_rep = funnel_gaps(develop.funnel_table(deals, stages=stages, by="rep_id"), "rep_id")
    assert by_source.loc[by_source["gap"].idxmax(), "stage"] == "prospecting"
    assert by_rep.loc[by_rep["gap"].idxmax(), "stage"] in {"needs analysis", "proposal", "negotiation"}
    assert (by_source["gap"] >= 0).all() and (by_source["high"] >= by_source["low"]).all()


def test_funnel_explorer_switches_grouping(deals, stages):
    box = funnel_explorer(deals, stages, {"lead source": "source", "sales rep": "rep_id"})
    assert box.grouping.value == "lead source"
    assert bytes(box.image.value).startswith(PNG)
    text, image = box.summary.value, box.image.value
    assert "referral ends best" in text and "cold call worst" in text
    box.grouping.value = "sales rep"
    assert box.summary.value != text and box.image.value != image
    assert "rep_id" in box.funnel().columns
    assert funnel_summary(box.funnel(), "rep_id", "sales rep") in box.summary.value


def test_funnel_explorer_bad_groups(deals, stages):
    with pytest.raises(CRMDataError, match="groups"):
        funnel_explorer(deals, stages, ["source"])
    with pytest.raises(CRMDataError):
        funnel_explorer(deals, stages, {"nothing": "no_such_column"})
