"""The mobile carrier case (casestudies/mobile_carrier): its generator and its analysis functions.

* ``crmlib.cases.carrier.generate_carrier_subscribers``: determinism (same seed, same bytes), the
  tables fit together, each planted effect measured with plain pandas within the tolerance the
  case README states, bad arguments.
* ``crmlib.loyalty.status_transitions``, ``crmlib.cases.carrier.at_risk_episodes`` and
  ``lead_up``: hand-computed on tiny frames.

The measurements never read the generator's constants; they compare with the sizes written in
the README (true sizes, and the sizes expected on 100,000 subscribers with seed 7).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from crmlib import loyalty
from crmlib.cases.carrier import at_risk_episodes, generate_carrier_subscribers, lead_up
from crmlib.validate import CRMDataError


@pytest.fixture(scope="module")
def carrier():
    return generate_carrier_subscribers()


@pytest.fixture(scope="module")
def measured(carrier):
    """The planted effects, measured as the notebook measures them (month-1 plan fit, call of the flag)."""
    monthly = carrier.monthly.sort_values(["subscriber_id", "month"])
    status = monthly["status"].astype(str)
    following = status.groupby(monthly["subscriber_id"]).shift(-1)
    allowance = carrier.subscribers.set_index("subscriber_id")["allowance_gb"]
    first = monthly[monthly["month"] == monthly["month"].min()].set_index("subscriber_id")["data_gb"]
    ratio = first / allowance.reindex(first.index)
    misfit = (ratio < 0.4) | (ratio > 1.2)
    active = (status == "active") & following.notna()
    slipped = following[active] == "at risk"
    entry = slipped.groupby(monthly.loc[active, "subscriber_id"].map(misfit)).mean()
    calls = carrier.retention_calls.set_index(["subscriber_id", "flagged_on"])["called_on"]
    flagged = monthly["month"] + pd.offsets.MonthEnd(0)
    keys = pd.MultiIndex.from_arrays([monthly["subscriber_id"], flagged])
    days = (calls.reindex(keys).to_numpy() - flagged.to_numpy()) / pd.Timedelta(days=1)
    first_risk = (status == "at risk") & (status.groupby(monthly["subscriber_id"]).shift() != "at risk")
    looked = first_risk & following.notna()
    prompt = pd.Series(days <= 7, index=monthly.index)[looked]
    hazard = (following[looked] == "ported out").groupby(prompt).mean()
    use = monthly["data_gb"] / monthly["subscriber_id"].map(first)
    return {
        "misfit_share": misfit.mean(),
        "entry_fit": entry[False],
        "misfit_ratio": entry[True] / entry[False],
        "port_prompt": hazard[True],
        "port_other": hazard[False],
        "complaints": monthly["complaints"].groupby(status).mean(),
        "use_ratio": use[status == "at risk"].mean() / use[status == "active"].mean(),
        "ported_share": (status == "ported out").sum() / len(carrier.subscribers),
    }


# --- determinism and shape -------------------------------------------------------------------


def test_same_seed_same_tables(carrier):
    again = generate_carrier_subscribers()
    for table in carrier.tables:
        pd.testing.assert_frame_equal(carrier[table], again[table])
    other = generate_carrier_subscribers(seed=7)
    assert not other.monthly["data_gb"].equals(carrier.monthly["data_gb"])


@pytest.mark.parametrize(
    "arguments, digest",
    [
        ({}, "a3f7fb8dd8df917f1b9769d49583f99a4817615e4d1fe397240adcac3d3dd992"),
        (
            {"subscribers": 300, "months": 6, "seed": 2},
            "5ce76422659b6e60024adbe637377938808ef8ec25f381b8f275277b6c1055b4",
        ),
    ],
)
def test_the_subscribers_are_the_same_byte_for_byte(arguments, digest):
    """sha256 of the three tables as CSV. If a change is meant to change the data, update the
    digests and the sizes in casestudies/mobile_carrier/README.md."""
    carrier = generate_carrier_subscribers(**arguments)
    text = "".join(carrier[table].to_csv(index=False, lineterminator="\n") for table in carrier.tables)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == digest


def test_the_tables_fit_together(carrier):
    subs, monthly, calls = carrier.subscribers, carrier.monthly, carrier.retention_calls
    assert len(subs) == 4000 and subs["subscriber_id"].is_unique
    assert set(monthly["subscriber_id"]) == set(subs["subscriber_id"])
    assert not monthly.duplicated(["subscriber_id", "month"]).any()
    per = monthly.groupby("subscriber_id")
    # everybody is there from January 2025, months follow one another without gaps
    assert (per["month"].min() == pd.Timestamp("2025-01-01")).all()
    assert (per.size() == per["month"].max().dt.month + 12 * (per["month"].max().dt.year - 2025)).all()
    # ported out only in a subscriber's last row; the others stay all 18 months
    status = monthly["status"].astype(str)
    last = monthly.sort_values("month").groupby("subscriber_id").tail(1)
    assert status[status == "ported out"].index.isin(last.index).all()
    assert (per.size()[~per["status"].apply(lambda s: (s == "ported out").any())] == 18).all()
    # the bill is the fee plus 5 CNY per GB above the allowance
    plan = subs.set_index("subscriber_id")
    fee, allowance = (monthly["subscriber_id"].map(plan[c]) for c in ("monthly_fee", "allowance_gb"))
    expected = fee + 5.0 * (monthly["data_gb"] - allowance).clip(lower=0)
    assert np.allclose(monthly["bill"], expected, atol=0.06)
    # calls belong to at-risk months and come after the flag
    flagged = monthly.loc[status == "at risk"].assign(flagged_on=lambda d: d["month"] + pd.offsets.MonthEnd(0))
    keys = set(zip(flagged["subscriber_id"], flagged["flagged_on"], strict=True))
    assert all(key in keys for key in zip(calls["subscriber_id"], calls["flagged_on"], strict=True))
    assert (calls["called_on"] > calls["flagged_on"]).all()


# --- planted effects (README, "Planted effects") ---------------------------------------------


def test_plan_misfit_doubles_the_chance_of_slipping(measured):
    assert measured["misfit_share"] == pytest.approx(0.28, abs=0.03)
    assert measured["entry_fit"] == pytest.approx(0.026, abs=0.004)
    assert measured["misfit_ratio"] == pytest.approx(1.76, abs=0.25)  # true 2.0, month-1 fit blurs it


def test_a_prompt_call_halves_porting_out(measured):
    assert measured["port_other"] == pytest.approx(0.25, abs=0.04)
    assert measured["port_prompt"] == pytest.approx(0.125, abs=0.04)
    assert measured["port_prompt"] / measured["port_other"] == pytest.approx(0.50, abs=0.12)


def test_complaints_and_falling_use_come_with_being_at_risk(measured):
    assert measured["complaints"]["active"] == pytest.approx(0.10, abs=0.015)
    assert measured["complaints"]["at risk"] == pytest.approx(0.80, abs=0.06)
    assert measured["use_ratio"] == pytest.approx(0.77, abs=0.03)  # true 0.75 of the usual level


def test_about_a_fifth_port_out_in_eighteen_months(measured):
    assert measured["ported_share"] == pytest.approx(0.21, abs=0.03)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"subscribers": 50}, "subscribers must be a whole number"),
        ({"subscribers": 1000.5}, "subscribers must be a whole number"),
        ({"months": 3}, "months must be a whole number"),
        ({"months": "18"}, "months must be a whole number"),
        ({"seed": -1}, "seed must be a whole number"),
        ({"seed": 1.5}, "seed must be a whole number"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(CRMDataError, match=match):
        generate_carrier_subscribers(**kwargs)


# --- analysis functions, by hand -------------------------------------------------------------


def _status_frame():
    months = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"])
    return pd.DataFrame(
        {
            "subscriber_id": ["a"] * 4 + ["b"] * 3 + ["c"] * 2,
            "month": [*months, *months[:3], *months[:2]],
            "status": [
                "active",
                "at risk",
                "at risk",
                "active",
                "active",
                "active",
                "at risk",
                "at risk",
                "ported out",
            ],
            "complaints": [0, 1, 2, 0, 0, 1, 1, 3, 2],
        }
    )


def test_status_transitions_by_hand():
    data = _status_frame().sample(frac=1, random_state=3)  # row order must not matter
    counts = loyalty.status_transitions(
        data, customer="subscriber_id", period="month", shares=False, states=["active", "at risk", "ported out"]
    )
    # a: active->at risk, at risk->at risk, at risk->active; b: active->active, active->at risk;
    # c: at risk->ported out. Last rows start no transition, so 'ported out' is no row.
    expected = pd.DataFrame(
        [[1, 2, 0], [1, 1, 1]],
        index=pd.Index(["active", "at risk"], name="from"),
        columns=pd.Index(["active", "at risk", "ported out"], name="to"),
    )
    pd.testing.assert_frame_equal(counts, expected)
    shares = loyalty.status_transitions(
        data, customer="subscriber_id", period="month", states=["active", "at risk", "ported out"]
    )
    assert shares.loc["active"].tolist() == pytest.approx([1 / 3, 2 / 3, 0])
    assert shares.loc["at risk"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3])


def test_status_transitions_bad_input():
    data = _status_frame()
    with pytest.raises(CRMDataError, match="outside states"):
        loyalty.status_transitions(data, customer="subscriber_id", period="month", states=["active", "at risk"])
    with pytest.raises(CRMDataError, match="sharing a key"):
        loyalty.status_transitions(pd.concat([data, data.head(1)]), customer="subscriber_id", period="month")
    with pytest.raises(CRMDataError, match="customer_id"):
        loyalty.status_transitions(data, period="month")


def test_at_risk_episodes_by_hand():
    calls = pd.DataFrame(
        {
            "subscriber_id": ["a", "c"],
            "flagged_on": pd.to_datetime(["2025-02-28", "2025-01-31"]),
            "called_on": pd.to_datetime(["2025-03-20", "2025-02-03"]),
        }
    )
    episodes = at_risk_episodes(_status_frame(), calls)
    assert episodes["subscriber_id"].tolist() == ["a", "b", "c"]
    assert episodes["months_at_risk"].tolist() == [2, 1, 1]
    assert episodes["outcome"].tolist() == ["recovered", "still at risk", "ported out"]
    assert episodes["days_to_call"].tolist()[::2] == [20.0, 3.0] and np.isnan(episodes["days_to_call"][1])
    assert episodes["call"].tolist() == ["late", "none", "prompt"]
    assert at_risk_episodes(_status_frame(), calls, prompt_days=30)["call"].tolist()[0] == "prompt"
    with pytest.raises(CRMDataError, match="prompt_days"):
        at_risk_episodes(_status_frame(), calls, prompt_days=-1)


def test_lead_up_by_hand():
    table = lead_up(_status_frame(), "complaints", months=3)
    # only c ports out (February): January is 1 month before, February 0; nothing 2 months before
    assert table.index.tolist() == [2, 1, 0]
    assert table["subscribers"].tolist() == [0, 1, 1]
    assert np.isnan(table.loc[2, "mean"]) and table.loc[1, "mean"] == 3 and table.loc[0, "mean"] == 2
    assert table["others"].iloc[0] == pytest.approx(5 / 7)  # a and b: 0+1+2+0+0+1+1 over 7 months
    with pytest.raises(CRMDataError, match="no row with 'left'"):
        lead_up(_status_frame(), "complaints", event="left")
