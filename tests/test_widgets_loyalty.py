"""The chapter-5 widgets (crmlib.widgets.satisfaction, crmlib.widgets.retention) on the shipped data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import loyalty
from crmlib.loyalty import RETENTION_BONDS, NPSDriverModel, nps_lift_table
from crmlib.loyalty import retention_campaign_table as campaign_table
from crmlib.loyalty import retention_campaign_value as campaign_value
from crmlib.validate import CRMDataError
from crmlib.widgets.retention import retention_explorer
from crmlib.widgets.satisfaction import satisfaction_explorer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def driver(tea):
    return NPSDriverModel(by="brand_id").fit(tea.surveys)


@pytest.fixture(scope="module")
def scored(tea):
    """Active members at 2025-09-30, scored by a model trained at 2025-06-30, as the notebook does (simplified value)."""
    kw = dict(customer="member_id", date="order_time", amount="net_amount")

    def active(as_of):
        labels = loyalty.churn_labels(tea.orders, as_of=as_of, horizon_days=90, **kw)
        return labels[labels["recency_days"] < 90]

    train, test = active("2025-06-30"), active("2025-09-30")
    model = loyalty.ChurnModel().fit(train)
    return test.assign(churn_probability=model.predict_proba(test), value_if_kept=0.6 * test["monetary"] / 4)


# --- satisfaction: the model --------------------------------------------------------------------
def test_driver_model_reproduces_each_brands_nps(tea, driver):
    observed = loyalty.nps(tea.surveys, by="brand_id")["nps"]
    predicted = driver.predict_nps(tea.surveys)
    assert list(predicted.index) == ["T1", "T2", "T3"]
    assert predicted.to_numpy() == pytest.approx(observed.to_numpy(), abs=0.5)
    assert (driver.coefficients_.loc[[f"gap_{d}" for d in loyalty.SERVQUAL_DIMENSIONS], "promoter"] > 0).all()
    assert (driver.coefficients_.loc[[f"gap_{d}" for d in loyalty.SERVQUAL_DIMENSIONS], "detractor"] < 0).all()


def test_lift_table_is_positive_up_and_negative_down(tea, driver):
    up, down = nps_lift_table(driver, tea.surveys, shift=1), nps_lift_table(driver, tea.surveys, shift=-1)
    assert up.shape == (3, 5) and list(up.columns) == list(loyalty.SERVQUAL_DIMENSIONS)
    assert (up.to_numpy() > 0).all() and (down.to_numpy() < 0).all()
    assert (nps_lift_table(driver, tea.surveys, shift=0).abs().to_numpy() < 1e-9).all()


def test_driver_model_without_groups_and_bad_input(tea):
    model = NPSDriverModel().fit(tea.surveys)
    assert isinstance(model.predict_nps(tea.surveys), float)
    assert list(nps_lift_table(model, tea.surveys).index) == ["all"]
    with pytest.raises(CRMDataError, match="unknown dimension"):
        model.predict_nps(tea.surveys, shift={"speed": 1})
    with pytest.raises(CRMDataError, match="not fitted"):
        NPSDriverModel().predict_nps(tea.surveys)
    with pytest.raises(CRMDataError, match="nps_score"):
        NPSDriverModel().fit(tea.surveys.drop(columns="nps_score"))


# --- satisfaction: the widget -------------------------------------------------------------------
def test_satisfaction_explorer_updates_when_the_controls_move(tea, driver):
    box = satisfaction_explorer(tea.surveys, names={"T1": "Aurora Leaf"}, model=driver)
    assert bytes(box.image.value).startswith(PNG)
    first = box.state["result"]
    assert first["group"] == "T1" and first["dimension"] == "responsiveness"  # T1's largest shortfall
    assert first["change"] > 0 and "Aurora Leaf" in box.summary.value
    text, image = box.summary.value, box.image.value
    box.controls["shift"].value = 0.0
    assert box.state["result"]["change"] == pytest.approx(0.0, abs=1e-9)
    assert box.summary.value != text and box.image.value != image
    box.controls["shift"].value = -1.0
    assert box.state["result"]["change"] < 0
    box.controls["group"].value = "T3"
    third = box.state["result"]
    assert third["group"] == "T3" and "T3" in box.summary.value
    assert third["observed_nps"] == pytest.approx(loyalty.nps(tea.surveys, by="brand_id").loc["T3", "nps"])


def test_satisfaction_explorer_rejects_bad_choices(tea, driver):
    with pytest.raises(CRMDataError, match="group"):
        satisfaction_explorer(tea.surveys, model=driver, group="T9")
    with pytest.raises(CRMDataError, match="dimension"):
        satisfaction_explorer(tea.surveys, model=driver, dimension="taste")
    with pytest.raises(CRMDataError, match="fitted with by=None"):
        satisfaction_explorer(tea.surveys, model=NPSDriverModel().fit(tea.surveys))


# --- retention: the sums ------------------------------------------------------------------------
def test_campaign_value_by_hand():
    scored = pd.DataFrame(
        {
            "churn_probability": [0.9, 0.8, 0.3, 0.1],
            "churned": [True, False, True, False],
            "value_if_kept": [100.0, 50.0, 80.0, 60.0],
        }
    )
    bonds = {
        "cheap": {"cost_per_customer": 1, "saved_share": 0.5},
        "built": {"fixed_cost": 20, "cost_per_customer": 0, "saved_share": 0.5},
    }
    r = campaign_value(scored, 0.25, "cheap", bonds)
    assert (r["flagged"], r["caught"]) == (3, 2)
    assert r["precision"] == pytest.approx(2 / 3) and r["recall"] == 1.0
    assert r["margin_kept"] == pytest.approx(90.0) and r["cost"] == 3.0 and r["net_value"] == pytest.approx(87.0)
    assert campaign_value(scored, 0.25, "built", bonds)["net_value"] == pytest.approx(70.0)
    nobody = campaign_value(scored, 0.95, "cheap", bonds)
    assert nobody["flagged"] == 0 and np.isnan(nobody["precision"]) and nobody["net_value"] == 0.0


def test_campaign_table_agrees_with_campaign_value(scored):
    table = campaign_table(scored, thresholds=[0.2, 0.5, 0.8])
    assert len(table) == 3 * len(RETENTION_BONDS)
    for row in table.itertuples():
        one = campaign_value(scored, row.threshold, row.bond)
        assert row.net_value == pytest.approx(one["net_value"]) and row.flagged == one["flagged"]
    financial = table[table["bond"] == "financial"]
    assert financial["flagged"].is_monotonic_decreasing and financial["recall"].is_monotonic_decreasing


def test_campaign_value_rejects_bad_input(scored):
    with pytest.raises(CRMDataError, match="unknown"):
        campaign_value(scored, 0.5, "platinum")
    with pytest.raises(CRMDataError, match="outside 0–1"):
        campaign_value(scored.assign(churn_probability=scored["churn_probability"] * 3), 0.5)
    with pytest.raises(CRMDataError, match="threshold"):
        campaign_value(scored, 1.5)
    with pytest.raises(CRMDataError, match="saved_share"):
        campaign_value(scored, 0.5, "x", {"x": {"cost_per_customer": 1, "saved_share": 2}})
    with pytest.raises(CRMDataError, match="value_if_kept"):
        campaign_value(scored.drop(columns="value_if_kept"), 0.5)


# --- retention: the widget ----------------------------------------------------------------------
def test_retention_explorer_updates_when_the_controls_move(scored):
    box = retention_explorer(scored, threshold=0.5, bond="financial")
    assert bytes(box.image.value).startswith(PNG)
    before, text, image = box.state["result"], box.summary.value, box.image.value
    assert before == campaign_value(scored, 0.5, "financial")
    box.controls["threshold"].value = 0.8
    after = box.state["result"]
    assert box.summary.value != text and box.image.value != image
    assert after["flagged"] < before["flagged"] and after["recall"] < before["recall"]
    box.controls["bond"].value = "structural"
    structural = box.state["result"]
    assert structural["bond"] == "structural" and structural["flagged"] == after["flagged"]
    assert structural["net_value"] != after["net_value"] and "structural" in box.summary.value
