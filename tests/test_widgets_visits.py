"""The chapter-2 explorers (crmlib.widgets.visits, crmlib.widgets.funnel) on the shipped data; the
funnel gaps they show (crmlib.develop.funnel_gaps) on the shipped data too."""

from __future__ import annotations

import pandas as pd
import pytest

from crmlib import develop
from crmlib.validate import CRMDataError
from crmlib.widgets.funnel import funnel_explorer
from crmlib.widgets.visits import visit_explorer

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


# --- visits: the widget on the shipped data ---------------------------------------------------
def test_visit_explorer_peak_moves_with_the_cost(win_rates):
    box = visit_explorer(win_rates, deal_size=100_000, cost_per_visit=0, pooled_last=True, max_cost=20_000)
    assert bytes(box.image.value).startswith(PNG)
    free = develop.best_visit_count(box.state["table"])
    text, image = box.summary.value, box.image.value
    assert free >= 3  # with free visits it pays to go at least to the third
    box.controls["cost_per_visit"].value = 15_000
    assert box.summary.value != text and box.image.value != image
    assert develop.best_visit_count(box.state["table"]) < free  # dear visits: stop earlier
    assert box.summary.value.startswith("<b>") and "15,000 CNY" in box.summary.value
    assert len(box.redraw_seconds) == 2


def test_visit_explorer_deal_slider_changes_the_table(win_rates):
    box = visit_explorer(win_rates, deal_size=50_000, cost_per_visit=1000, pooled_last=True)
    assert box.controls["deal_size"].value == 50_000 and box.controls["cost_per_visit"].value == 1000
    before = box.state["table"]["net_value"].copy()
    box.controls["deal_size"].value = 100_000
    table = box.state["table"]
    after, rates, visits = table["net_value"], table["win_rate"], table["visits"]
    assert after.tolist() == pytest.approx((rates * 100_000 - visits * 1000).tolist())
    assert not after.equals(before)
    pd.testing.assert_frame_equal(table, develop.visit_value_table(win_rates, 100_000, 1000))
    assert box.summary.value == f"<b>{develop.visit_summary(table, pooled_last=True)}</b>"


def test_visit_explorer_bad_start(win_rates):
    with pytest.raises(CRMDataError, match="max_deal"):
        visit_explorer(win_rates, deal_size=50_000, max_deal=10_000)


# --- funnel -----------------------------------------------------------------------------------
def test_funnel_gaps_source_differs_first_rep_later(deals, stages):
    by_source = develop.funnel_gaps(develop.funnel_table(deals, stages=stages, by="source"), "source")
    by_rep = develop.funnel_gaps(develop.funnel_table(deals, stages=stages, by="rep_id"), "rep_id")
    assert by_source.loc[by_source["gap"].idxmax(), "stage"] == "prospecting"
    assert by_rep.loc[by_rep["gap"].idxmax(), "stage"] in {"needs analysis", "proposal", "negotiation"}
    assert (by_source["gap"] >= 0).all() and (by_source["high"] >= by_source["low"]).all()


def test_funnel_explorer_switches_grouping(deals, stages):
    box = funnel_explorer(deals, stages, {"lead source": "source", "sales rep": "rep_id"})
    assert box.controls["grouping"].value == "lead source"
    assert bytes(box.image.value).startswith(PNG)
    text, image = box.summary.value, box.image.value
    assert "referral ends best" in text and "cold call worst" in text
    box.controls["grouping"].value = "sales rep"
    assert box.summary.value != text and box.image.value != image
    funnel = box.state["funnel"]
    pd.testing.assert_frame_equal(funnel, develop.funnel_table(deals, stages=stages, by="rep_id"))
    gaps = develop.funnel_gaps(funnel, "rep_id")
    widest = gaps.loc[gaps["gap"].idxmax()]
    assert box.summary.value.startswith("<b>By sales rep: ")
    assert (
        f"The groups differ most in the step into {widest['stage']}: from {widest['low']:.0%} "
        f"({widest['lowest']}) to {widest['high']:.0%} ({widest['highest']}).</b>"
    ) in box.summary.value
    assert len(box.redraw_seconds) == 2


def test_funnel_explorer_bad_groups(deals, stages):
    with pytest.raises(CRMDataError, match="groups"):
        funnel_explorer(deals, stages, ["source"])
    with pytest.raises(CRMDataError):
        funnel_explorer(deals, stages, {"nothing": "no_such_column"})
