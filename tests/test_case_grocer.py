"""The grocer case's event log (crmlib/cases/grocer.py): determinism, planted effects, bad input.

The planted effects are found with plain pandas, as documented in casestudies/grocer_ccpr/README.md;
the measurements never read the generator's constants. EXPECTED holds the sizes the README
documents (measured at customers=20,000, where sampling noise is small); the tolerances cover a
shop of 5,000 customers.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np
import pandas as pd
import pytest

from crmlib.cases.grocer import generate_grocer_events
from crmlib.validate import CRMDataError

EXPECTED = {
    "churn_within_1h": 0.09,
    "churn_1h_to_24h": 0.30,
    "churn_later_or_never": 0.57,
    "churn_after_other_put_backs": 0.015,
    "cheaper_elsewhere_ratio": 2.2,
    "consent_lost_gap": 0.09,
}
DAYS = 70


@pytest.fixture(scope="module")
def shop():
    return generate_grocer_events()


@pytest.fixture(scope="module")
def big_found():
    return measure(generate_grocer_events(customers=5000))


def measure(shop, days: int = DAYS) -> dict:
    """The README's measurements, in plain pandas."""
    ev = shop.events
    start = ev["timestamp"].min().normalize()
    learn_end, watch_end = start + pd.Timedelta(days=21), start + pd.Timedelta(days=days - 21)
    buys = ev[ev["event_type"] == "purchase"]
    # habitual items: bought on at least two visits in the first three weeks
    counts = buys[buys["timestamp"] < learn_end].groupby(["customer_id", "item_id"]).size()
    habit = counts[counts >= 2].index
    # per visit and item: how often picked up, put back, bought
    shelf = ev[ev["event_type"].isin(["pick_up", "put_back", "purchase"])]
    per = (
        shelf.groupby(["visit_id", "customer_id", "item_id", "event_type"], observed=True)
        .size()
        .unstack(fill_value=0)
        .reset_index()
    )
    per["visit_time"] = per["visit_id"].map(ev.groupby("visit_id")["timestamp"].min())
    per["habitual"] = pd.MultiIndex.from_frame(per[["customer_id", "item_id"]]).isin(habit)
    watched = per[(per["visit_time"] >= learn_end) & (per["visit_time"] < watch_end)]
    put_back_unbought = watched[(watched["put_back"] > 0) & (watched["purchase"] == 0)]
    signals = put_back_unbought[put_back_unbought["habitual"]].copy()
    others = put_back_unbought[~put_back_unbought["habitual"]].copy()
    # did the customer come back? any later visit
    last_visit = ev.dropna(subset=["visit_id"]).groupby("customer_id")["timestamp"].max()
    for frame in (signals, others):
        frame["came_back"] = frame["customer_id"].map(last_visit) > frame["visit_time"] + pd.Timedelta(hours=1)
    # the shop's response delay, from the last put-back of the item
    last_put_back = ev[ev["event_type"] == "put_back"].groupby(["visit_id", "item_id"])["timestamp"].max()
    signals = signals.join(last_put_back.rename("put_back_time"), on=["visit_id", "item_id"])
    responses = ev.loc[ev["event_type"] == "response", ["customer_id", "item_id", "timestamp"]]
    joined = signals.merge(responses, on=["customer_id", "item_id"], how="left")
    hours = (joined["timestamp"] - joined["put_back_time"]).dt.total_seconds() / 3600
    joined["hours"] = hours.where(hours > 0)  # a response before the put-back answered something else
    joined = joined.sort_values("hours").drop_duplicates(["visit_id", "item_id"])  # the first answer after it
    band = pd.cut(
        joined["hours"].fillna(np.inf), [0, 1, 24, np.inf], labels=["within 1h", "1h to 24h", "later or never"]
    )
    churn = 1 - joined["came_back"].groupby(band, observed=False).mean()
    # signals per customer holding the item as a habit, by how much cheaper the competitor is
    items = shop.items.set_index("item_id")
    cheaper = ((items["price"] - items["competitor_price"]) / items["price"]) >= 0.10
    holders = pd.Series(habit.get_level_values("item_id")).value_counts()
    rate = lambda mask: signals["item_id"].isin(items.index[mask]).sum() / holders.reindex(items.index[mask]).sum()  # noqa: E731
    # lost customers (no purchase in the last three weeks), opted in to the shelf record or not
    active = buys.loc[buys["timestamp"] < learn_end, "customer_id"].unique()
    lost = buys.groupby("customer_id")["timestamp"].max().reindex(active) < watch_end
    consent = shop.customers.set_index("customer_id")["shelf_consent"].reindex(active).to_numpy()
    return {
        "signals": len(signals),
        "churn_within_1h": churn["within 1h"],
        "churn_1h_to_24h": churn["1h to 24h"],
        "churn_later_or_never": churn["later or never"],
        "churn_after_other_put_backs": 1 - others["came_back"].mean(),
        "cheaper_elsewhere_ratio": rate(cheaper) / rate(~cheaper),
        "consent_lost_gap": lost[~consent].mean() - lost[consent].mean(),
    }


# --- determinism and shape -------------------------------------------------------------------


def test_same_arguments_same_shop(shop):
    again = generate_grocer_events()
    for table in shop.tables:
        pd.testing.assert_frame_equal(shop[table], again[table])
    other = generate_grocer_events(seed=7)
    assert not other.events["timestamp"].equals(shop.events["timestamp"])


@pytest.mark.parametrize(
    "arguments, digest",
    [
        ({}, "da9c7f081f2357eb79be9ab8143092077473f34703a8e93cb090e703d2da22fb"),
        ({"customers": 60, "days": 49, "seed": 1}, "5360e128a9394d9b03f944593c33b69eba09a9ecc2130af97e5f2e430ef97bcc"),
        (
            {"customers": 3000, "days": 120, "seed": 7},
            "688ca8173c91111a86dfd835ad1a6f4c3e90f046cd2081145a0f9d5c0be35975",
        ),
    ],
)
def test_the_shop_is_the_same_byte_for_byte(arguments, digest):
    """The sha256 of the three tables as CSV, pinned when generate_grocer_events was split into steps.

    A change to the generator that moves a single draw changes the digest. If a change is meant
    to change the data, update the digests and the sizes in casestudies/grocer_ccpr/README.md.
    """
    shop = generate_grocer_events(**arguments)
    text = "".join(shop[table].to_csv(index=False, lineterminator="\n") for table in shop.tables)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest


def test_default_shop_is_small_and_fast():
    began = time.perf_counter()
    shop = generate_grocer_events()
    assert time.perf_counter() - began < 1.0
    assert shop.tables == ["customers", "items", "events"]
    assert len(shop.customers) == 400 and len(shop.events) < 100_000


def test_log_is_consistent(shop):
    ev = shop.events
    assert ev["event_id"].is_unique and ev["timestamp"].is_monotonic_increasing
    start = pd.Timestamp("2025-03-03")
    assert ev["timestamp"].min() >= start and ev["timestamp"].max() < start + pd.Timedelta(days=DAYS + 4)
    assert set(ev["customer_id"]) <= set(shop.customers["customer_id"])
    assert set(ev["item_id"].dropna()) <= set(shop.items["item_id"])
    # item on shelf events, purchases and responses only; amounts on purchases only
    has_item = ev["event_type"].isin(["pick_up", "price_check", "put_back", "purchase", "response"])
    assert (ev["item_id"].notna() == has_item).all()
    assert (ev["amount"].notna() == (ev["event_type"] == "purchase")).all()
    assert (ev["visit_id"].isna() == (ev["event_type"] == "response")).all()
    assert (ev["channel"].notna() == (ev["event_type"] == "response")).all()
    # every recorded visit of an opted-in customer starts with 'enter' and ends with 'leave'
    opted = set(shop.customers.loc[shop.customers["shelf_consent"], "customer_id"])
    visits = ev[ev["visit_id"].notna() & ev["customer_id"].isin(opted)].groupby("visit_id")["event_type"]
    assert (visits.first() == "enter").all() and (visits.last() == "leave").all()
    # without consent only the till's receipts are kept, and the shop never responds
    others = ev[~ev["customer_id"].isin(opted)]
    assert set(others["event_type"].unique()) == {"purchase"}


def test_mr_zhang_compares_soy_sauce(shop):
    zhang = shop.events[shop.events["customer_id"] == "G0001"]
    assert shop.customers.set_index("customer_id").loc["G0001", "name"] == "张先生"
    day = zhang[zhang["timestamp"].dt.normalize() == pd.Timestamp("2025-03-26")]
    soy = day[day["item_id"] == "I01"]["event_type"].tolist()
    assert soy == ["pick_up", "price_check", "put_back", "pick_up", "put_back", "response"]
    assert day.loc[day["event_type"] == "response", "channel"].iloc[0] == "in person"
    assert (zhang["timestamp"] > pd.Timestamp("2025-03-27")).any()  # he came back


# --- planted effects ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, tolerance",
    [
        ("churn_within_1h", 0.05),
        ("churn_1h_to_24h", 0.06),
        ("churn_later_or_never", 0.07),
        ("churn_after_other_put_backs", 0.02),
        ("cheaper_elsewhere_ratio", 0.5),
        ("consent_lost_gap", 0.04),
    ],
)
def test_planted_effects_at_5000_customers(big_found, key, tolerance):
    assert abs(big_found[key] - EXPECTED[key]) <= tolerance, (key, big_found[key])


def test_default_shop_shows_the_effects(shop):
    found = measure(shop)
    assert found["signals"] >= 90
    assert found["churn_within_1h"] < found["churn_1h_to_24h"] < found["churn_later_or_never"]
    assert found["churn_later_or_never"] - found["churn_within_1h"] > 0.25
    assert found["churn_after_other_put_backs"] < 0.05
    assert found["cheaper_elsewhere_ratio"] > 1.5


# --- bad parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"customers": 10},
        {"customers": 300.5},
        {"customers": True},
        {"customers": 50_000},
        {"days": 30},
        {"days": "70"},
        {"days": 400},
        {"seed": -1},
        {"seed": 1.5},
        {"seed": "a"},
    ],
)
def test_bad_parameters_raise(kwargs):
    with pytest.raises(CRMDataError):
        generate_grocer_events(**kwargs)
