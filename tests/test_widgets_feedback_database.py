"""The explorers of chapters 3 and 4 (the A/B test sample size, the customer file) and the analysis behind them."""

from __future__ import annotations

import pytest

from crmlib import communicate, information
from crmlib.communicate import required_sample_size, test_power
from crmlib.datasets import load_retail, load_tea
from crmlib.information import customer_file, file_customers, order_span
from crmlib.validate import CRMDataError
from crmlib.widgets.ab_test import sample_size_explorer
from crmlib.widgets.customer_file import customer_file_explorer

PNG = b"\x89PNG"


# --- A/B test sample size ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def coupon_test():
    sends = load_tea().coupon_sends
    return communicate.ab_test(sends.assign(converted=sends["redeemed_date"].notna())).iloc[0]


def test_required_sample_size_matches_ab_test(coupon_test):
    """The planning formula gives the size ab_test reports for the shipped coupon test and a 2-point mde."""
    sends = load_tea().coupon_sends
    sized = communicate.ab_test(sends.assign(converted=sends["redeemed_date"].notna()), mde=0.02).iloc[0]
    assert sized["n_per_arm_needed"] == required_sample_size(coupon_test["rate_control"], 0.02)


def test_required_sample_size_grows_as_the_lift_shrinks():
    big, half = required_sample_size(0.10, 0.04), required_sample_size(0.10, 0.02)
    assert 3.5 * big < half < 4.5 * big
    assert required_sample_size(0.10, 0.02, power=0.9) > half


def test_required_sample_size_rejects_bad_input():
    with pytest.raises(CRMDataError, match="baseline"):
        required_sample_size(10, 0.02)
    with pytest.raises(CRMDataError, match="lift"):
        required_sample_size(0.10, 0)
    with pytest.raises(CRMDataError, match="lift"):
        required_sample_size(0.95, 0.1)


def test_test_power_inverts_the_size_formula():
    n = required_sample_size(0.10, 0.03)
    assert test_power(0.10, 0.03, n) == pytest.approx(0.80, abs=0.002)
    assert test_power(0.10, 0.03, n / 4) < 0.35 < test_power(0.10, 0.03, n / 2) < 0.8


def test_sample_size_explorer_moves_with_the_sliders(coupon_test):
    marks = {"whole test": min(coupon_test["n_control"], coupon_test["n_treatment"]), "small test": 900}
    box = sample_size_explorer(coupon_test["rate_control"], coupon_test["lift"], marks=marks)
    assert bytes(box.image.value).startswith(PNG)
    lift, baseline, power = (box.controls[n] for n in ("lift", "baseline", "power"))
    assert lift.value == pytest.approx(2.7) and baseline.value == pytest.approx(10.0)
    text, image, needed = box.summary.value, box.image.value, box.state["needed"]
    assert "whole test" in text and "big enough" in text and "small test" in text and "too small" in text
    lift.value = 1.0  # a smaller lift needs a far bigger test
    assert box.state["needed"] > 4 * needed
    assert box.summary.value != text and box.image.value != image
    assert "whole test (3,581 per arm): too small" in box.summary.value
    power.value = 95
    n = required_sample_size(0.10, 0.01, power=0.95)
    assert box.state["needed"] == n
    assert box.summary.value.startswith(
        f"<b>To detect 10.0% → 11.0% (+1.0 points) with 95% power at the 5% level you need {n:,} per arm."
    )
    chance = test_power(0.10, 0.01, 900)
    assert (
        f"small test (900 per arm): too small, it finds such a lift only {chance:.0%} of the time" in box.summary.value
    )
    assert len(box.redraw_seconds) == 3


def test_sample_size_explorer_bad_start():
    with pytest.raises(CRMDataError, match="max_lift"):
        sample_size_explorer(0.10, 0.2)


# --- customer file ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return information.build_sqlite(load_retail(), tmp_path_factory.mktemp("crm") / "retail.db")


def test_customer_file_agrees_with_pandas(database):
    retail = load_retail()
    file = customer_file(database, "C10280")
    orders = retail.orders[retail.orders["customer_id"] == "C10280"]
    assert file["years"]["orders"].sum() == len(orders)
    assert file["years"]["sales"].sum() == pytest.approx(orders["amount"].sum(), abs=0.05)
    assert file["payments"]["orders"].sum() == len(orders)
    assert len(file["tickets"]) == (retail.tickets["customer_id"] == "C10280").sum()
    roles = retail.contacts.loc[retail.contacts["customer_id"] == "C10280", "role"].astype(str).tolist()
    assert file["contacts"]["role"].tolist() == roles
    assert file["basic"]["company_name"].iloc[0].startswith("Hangzhou")
    assert order_span(database) == (
        retail.orders["order_date"].min().strftime("%Y-%m-%d"),
        retail.orders["order_date"].max().strftime("%Y-%m-%d"),
    )
    business = retail.customers.loc[retail.customers["customer_type"] == "business", "customer_id"]
    assert file_customers(database)["customer_id"].tolist() == sorted(business)


def test_customer_file_unknown_customer(database, tmp_path):
    with pytest.raises(CRMDataError, match="no customer"):
        customer_file(database, "C99999")
    with pytest.raises(CRMDataError, match="no database"):
        customer_file(tmp_path / "missing.db", "C10280")


def test_customer_file_explorer_follows_the_picker(database):
    box = customer_file_explorer(database, start="C10280")
    picker = box.controls["customer"]
    assert len(picker.options) == 532  # every business account
    assert bytes(box.image.value).startswith(PNG)
    text, image = box.summary.value, box.image.value
    assert text.startswith("<b>C10280 Hangzhou")  # the file in one sentence, then its tables
    assert "C10280" in text and "Basic data" in text and "decision maker" in text
    assert "****" in text  # phones are masked on screen
    picker.value = "C10013"
    assert box.summary.value != text and box.image.value != image
    file = box.state["file"]
    assert file["basic"]["customer_id"].iloc[0] == "C10013" and "C10013" in box.summary.value
    assert f": {int(file['years']['orders'].sum())} orders, " in box.summary.value
    assert f"{len(file['tickets'])} complaint ticket(s); " in box.summary.value
    assert len(box.redraw_seconds) == 2


def test_customer_file_explorer_chosen_customers(database):
    box = customer_file_explorer(database, customer_ids=["C00001", "C10280"])
    assert box.controls["customer"].value == "C00001" and "consumer" in box.summary.value
    with pytest.raises(CRMDataError, match="unknown"):
        customer_file_explorer(database, customer_ids=["C99999"])
    with pytest.raises(CRMDataError, match="start"):
        customer_file_explorer(database, customer_ids=["C00001"], start="C10280")
