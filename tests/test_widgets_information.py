"""The chapter-4 explorers (crmlib.widgets.data_quality, crmlib.widgets.targeting) and the analysis behind them
(crmlib.information: duplicate pairs, gains and targeting value), on the shipped data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import information, loyalty
from crmlib.datasets import load_retail, load_tea
from crmlib.information import (
    duplicate_pairs,
    duplicate_summary,
    gains_table,
    known_duplicates,
    targeting_summary,
    targeting_value,
)
from crmlib.validate import CRMDataError
from crmlib.widgets.data_quality import duplicate_explorer
from crmlib.widgets.targeting import targeting_explorer

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def contacts():
    return load_retail().contacts


@pytest.fixture(scope="module")
def scored():
    """Test members of notebook 03 scored by recency (a stand-in for the model: same ranking idea)."""
    table = loyalty.churn_labels(
        load_tea().orders, "2025-11-30", horizon_days=30, customer="member_id", date="order_time", amount="net_amount"
    )
    return -table["recency_days"].astype("float64"), ~table["churned"]


# --- data_quality ------------------------------------------------------------------------------
def test_duplicate_pairs_agree_with_find_duplicates(contacts):
    every = duplicate_pairs(contacts)
    found = information.find_duplicates(contacts)
    assert len(every) == len(found)
    assert every[["contact_id_1", "contact_id_2"]].equals(found[["contact_id_1", "contact_id_2"]])
    account = contacts.set_index("contact_id")["customer_id"]
    assert (
        every["same_customer"]
        == (account.loc[every["contact_id_1"]].to_numpy() == account.loc[every["contact_id_2"]].to_numpy())
    ).all()
    phone = duplicate_pairs(contacts, rules="same phone")
    assert phone["rule"].str.contains("same phone").all()
    assert len(phone) == found["rule"].str.contains("same phone").sum()


def test_address_check_keeps_the_true_duplicates_only(contacts):
    known = known_duplicates(contacts)
    loose = duplicate_summary(duplicate_pairs(contacts, rules=["same name and city"]))
    strict = duplicate_summary(duplicate_pairs(contacts, rules=["same name and city"], confirm_address=True))
    assert loose["true_duplicates"] == known and loose["false_alarms"] > 0
    assert strict == {"pairs": known, "true_duplicates": known, "false_alarms": 0, "precision": 1.0}


def test_each_rule_is_judged_on_every_pair_it_flags(contacts):
    """Planted: 60 phone and 50 e-mail duplicates (both always right), 40 more people who kept only
    their name and city, among many namesakes (datasets/README.md)."""
    table = information.rule_precision(duplicate_pairs(contacts))
    assert table.index.tolist() == ["same phone", "same email", "same name and city"]
    assert table.loc["same phone"].tolist() == [60, 60, 0, 1.0]
    assert table.loc["same email"].tolist() == [50, 50, 0, 1.0]
    name_city = table.loc["same name and city"]
    assert name_city["true_duplicates"] == known_duplicates(contacts) == 150
    assert name_city["precision"] == pytest.approx(150 / name_city["pairs"]) and name_city["precision"] < 0.5
    strict = information.rule_precision(duplicate_pairs(contacts, confirm_address=True))
    assert strict.loc[information.ADDRESS_RULE, "precision"] == 1.0


def test_rule_precision_refuses_pairs_it_cannot_judge():
    with pytest.raises(CRMDataError, match=r"pairs: column 'same_customer' is missing"):
        information.rule_precision(pd.DataFrame({"rule": ["same phone"]}))
    with pytest.raises(CRMDataError, match=r"column 'rule' has 1 unknown rule name \(row 1\)"):
        information.rule_precision(pd.DataFrame({"rule": ["same phone", "same hat"], "same_customer": [True, False]}))
    assert information.rule_precision(pd.DataFrame({"rule": [], "same_customer": []})).empty


def test_duplicate_pairs_rejects_unknown_rules(contacts):
    with pytest.raises(CRMDataError, match="unknown rule"):
        duplicate_pairs(contacts, rules=["same surname"])
    assert duplicate_summary(duplicate_pairs(contacts, rules=[]))["pairs"] == 0
    with pytest.raises(CRMDataError, match="same_customer"):
        duplicate_summary(contacts)


def test_duplicate_explorer_updates_when_boxes_are_ticked(contacts):
    box = duplicate_explorer(contacts)
    start, text, preview = box.state["numbers"], box.summary.value, box.table.value
    assert start == duplicate_summary(duplicate_pairs(contacts))
    assert "false alarm" in preview and "true duplicate" in preview
    assert "****" in preview  # phones are masked
    box.controls["same name and city"].value = False
    narrow = box.state["numbers"]
    assert box.summary.value != text
    assert narrow["false_alarms"] == 0 and narrow["pairs"] < start["pairs"]
    box.controls["same name and city"].value = True
    box.controls["confirm_address"].value = True
    assert box.state["numbers"]["pairs"] == box.state["known"] == known_duplicates(contacts)
    assert box.state["numbers"]["false_alarms"] == 0
    assert "address" in box.summary.value
    for rule in information.DUPLICATE_RULES:
        box.controls[rule].value = False
    assert box.state["numbers"]["pairs"] == 0 and "No rule chosen" in box.summary.value
    assert len(box.redraw_seconds) == 7


# --- targeting ---------------------------------------------------------------------------------
def test_gains_table_by_hand():
    scores = pd.Series([0.1, 0.9, 0.5, 0.7])
    bought = pd.Series([False, True, False, True])
    gains = gains_table(scores, bought)
    assert gains.loc[25, "buyers_reached"] == 1 and gains.loc[50, "buyers_reached"] == 2
    assert gains.loc[50, "lift"] == pytest.approx(2.0)
    assert gains.loc[100, "share_of_buyers"] == 1.0 and gains.loc[100, "lift"] == pytest.approx(1.0)
    valued = targeting_value(gains, cost_per_contact=1.0, value_per_buyer=3.0)
    assert valued.loc[50, "net"] == pytest.approx(2 * 3.0 - 2 * 1.0)
    with pytest.raises(CRMDataError, match="same index"):
        gains_table(scores, bought.iloc[:3])
    with pytest.raises(CRMDataError, match="no buyers"):
        gains_table(scores, bought & False)
    with pytest.raises(CRMDataError, match="cost_per_contact"):
        targeting_value(gains, -1.0, 3.0)


def test_gains_on_the_tea_members_beat_random(scored):
    score, bought = scored
    gains = gains_table(score, bought)
    assert gains["share_of_buyers"].is_monotonic_increasing
    assert (gains.loc[[10, 20, 30], "lift"] > 2).all()
    assert gains.loc[20, "targeted"] == int(np.ceil(0.2 * len(score)))


def test_targeting_explorer_updates_when_the_sliders_move(scored):
    score, bought = scored
    box = targeting_explorer(score, bought)
    slider, cost, value = (box.controls[n] for n in ("pct", "cost_per_contact", "value_per_buyer"))
    assert slider.value == 20 and bytes(box.image.value).startswith(PNG)
    before_text, before_image, before = box.summary.value, box.image.value, box.state["numbers"]
    assert before == targeting_summary(gains_table(score, bought), 20, 1.0, 5.0)
    assert before["buyers_reached"] > before["random_buyers"]
    slider.value = 50
    after = box.state["numbers"]
    assert box.summary.value != before_text and "Top 50%" in box.summary.value
    assert box.image.value != before_image
    assert after["buyers_reached"] > before["buyers_reached"] and after["lift"] < before["lift"]
    cost.value = 0.0
    assert box.state["numbers"]["net"] == pytest.approx(box.state["numbers"]["buyers_reached"] * 5.0)
    gains = gains_table(score, bought)
    assert box.state["numbers"]["best_pct"] == int(
        gains.index[gains["buyers_reached"] == gains["buyers_reached"].max()][0]
    )
    value.value = 0.0
    cost.value = 2.0
    assert box.state["numbers"]["net"] < 0
    assert len(box.redraw_seconds) == 5


def test_targeting_explorer_rejects_bad_input(scored):
    score, bought = scored
    with pytest.raises(CRMDataError, match="pct"):
        targeting_explorer(score, bought, pct=0)
    with pytest.raises(CRMDataError, match="value_per_buyer"):
        targeting_explorer(score, bought, value_per_buyer=float("nan"))
