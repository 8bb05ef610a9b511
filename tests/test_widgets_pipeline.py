"""The follow-up explorer (crmlib.widgets.pipeline) and the analysis it shows
(crmlib.develop.touch_gaps, overdue_summary): touch gaps by hand, the overdue rule, and the
explorer built on the shipped data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib.develop import overdue_summary, touch_gaps
from crmlib.validate import CRMDataError
from crmlib.widgets.pipeline import followup_explorer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def gaps(retail):
    return touch_gaps(retail.opportunities, retail.activities)


# --- touch_gaps by hand -------------------------------------------------------------------------
def test_touch_gaps_by_hand():
    opps = pd.DataFrame(
        {
            "opportunity_id": ["A", "B", "C"],
            "created_date": ["2025-01-01", "2025-01-01", "2025-12-01"],
            "close_date": ["2025-01-31", "2025-01-11", None],
        }
    )
    acts = pd.DataFrame(
        {
            "opportunity_id": ["A", "A", "A", "B", "C", None, "A"],
            "activity_date": [
                "2025-01-03",
                "2025-01-20",
                "2025-01-25",
                "2025-01-11",
                "2025-12-05",
                "2025-01-15",
                "2025-02-20",
            ],
        }
    )
    out = touch_gaps(opps, acts, as_of="2025-12-31")
    # A: opening 1st, touches 3rd, 20th, 25th, close 31st -> gaps 2, 17, 5, 6 (the touch after close is ignored)
    # B: opening 1st, touch on the close day 11th -> gaps 10, 0
    # C: open, opening Dec 1st, touch Dec 5th, as_of Dec 31st -> gaps 4, 26
    assert out["touches"].tolist() == [3, 1, 1]
    assert out["longest_gap"].tolist() == [17, 10, 26]
    assert out["days_since_touch"].tolist() == [6, 0, 26]
    assert out["last_touch"].tolist() == list(pd.to_datetime(["2025-01-25", "2025-01-11", "2025-12-05"]))
    assert list(opps.columns) == ["opportunity_id", "created_date", "close_date"]  # input untouched


def test_touch_gaps_without_any_touch_counts_from_the_opening():
    opps = pd.DataFrame({"opportunity_id": ["A"], "created_date": ["2025-12-10"], "close_date": [None]})
    acts = pd.DataFrame({"opportunity_id": ["Z"], "activity_date": ["2025-12-11"]})
    out = touch_gaps(opps, acts, as_of="2025-12-31")
    assert out["touches"].tolist() == [0] and pd.isna(out["last_touch"][0])
    assert out["days_since_touch"].tolist() == [21] and out["longest_gap"].tolist() == [21]


def test_touch_gaps_rejects_bad_input():
    opps = pd.DataFrame({"opportunity_id": ["A", "A"], "created_date": ["2025-01-01"] * 2, "close_date": [None] * 2})
    acts = pd.DataFrame({"opportunity_id": ["A"], "activity_date": ["2025-01-02"]})
    with pytest.raises(CRMDataError, match="opportunity_id"):
        touch_gaps(opps, acts)  # repeated key
    with pytest.raises(CRMDataError, match="close_date"):
        touch_gaps(opps.drop(columns="close_date").head(1), acts)
    backwards = pd.DataFrame({"opportunity_id": ["A"], "created_date": ["2025-02-01"], "close_date": ["2025-01-01"]})
    with pytest.raises(CRMDataError, match="close_date"):
        touch_gaps(backwards, acts)
    with pytest.raises(CRMDataError):
        overdue_summary(pd.DataFrame({"status": ["open"]}), 7)
    with pytest.raises(CRMDataError, match="days"):
        overdue_summary(touch_gaps(opps.head(1), acts).assign(status="open", amount=1.0, lost_reason=None), 0)


# --- on the shipped data ------------------------------------------------------------------------
def test_gaps_on_shipped_data_are_consistent(retail, gaps):
    assert len(gaps) == len(retail.opportunities)
    deal_acts = retail.activities["opportunity_id"].notna()
    assert gaps["touches"].sum() == deal_acts.sum()  # every deal activity lies inside its deal's life
    assert (gaps["longest_gap"] >= gaps["days_since_touch"]).all()
    life = (
        retail.opportunities["close_date"].fillna(pd.Timestamp("2025-12-31")) - retail.opportunities["created_date"]
    ).dt.days
    assert (gaps["longest_gap"] <= life).all()


def test_overdue_rule_gets_stricter_as_n_shrinks(gaps):
    counts = [overdue_summary(gaps, n)["overdue"] for n in (30, 14, 7, 3)]
    assert counts == sorted(counts)
    s = overdue_summary(gaps, 7)
    opened = gaps[gaps["status"] == "open"]
    assert s["open_deals"] == len(opened)
    assert s["overdue_value"] == pytest.approx(opened.loc[opened["days_since_touch"] >= 7, "amount"].sum())
    assert s["overdue_table"]["amount"].is_monotonic_decreasing


def test_followup_explorer_updates_when_the_slider_moves(retail):
    box = followup_explorer(retail.opportunities, retail.activities, days=14)
    days = box.controls["days"]
    assert days.value == 14
    assert bytes(box.image.value).startswith(PNG)
    before_text, before_chart, before_table = box.summary.value, box.image.value, box.table.value
    pd.testing.assert_frame_equal(box.state["gaps"], touch_gaps(retail.opportunities, retail.activities))
    expected = overdue_summary(box.state["gaps"], 14)
    assert f"{expected['overdue']} of {expected['open_deals']}" in before_text
    assert box.state["summary"]["overdue"] == expected["overdue"]
    days.value = 5
    after = overdue_summary(box.state["gaps"], 5)
    assert box.summary.value != before_text and box.image.value != before_chart and box.table.value != before_table
    assert f"{after['overdue']} of {after['open_deals']}" in box.summary.value
    assert after["overdue"] > expected["overdue"]
    days.value = 45  # nobody overdue: the table says so
    assert "No open deal is overdue" in box.table.value
    assert np.isfinite(overdue_summary(box.state["gaps"], 45)["reason_share_kept"])
    assert len(box.redraw_seconds) == 3
