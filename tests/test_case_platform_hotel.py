"""The case-only data of two case studies, and the platform explorer.

* ``crmlib.cases.platform`` (casestudies/platform_exclusivity): determinism, the long-run outcome
  the case README documents for each policy, bad parameters.
* ``crmlib.cases.hotel`` (casestudies/hotel_guest_memory): determinism, the planted effects found
  with plain pandas within the tolerances the case README states, bad parameters.
* ``crmlib.widgets.platform``: the explorer updates when its controls move; the numbers it shows
  (``crmlib.cases.platform.policy_outcome``) are those of the run drawn.

The measurements never read the generators' constants; they compare with the sizes written in
the READMEs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib.cases.hotel import generate_hotel_stays
from crmlib.cases.platform import compare_policies, policy_outcome, simulate_platforms, yearly_outcome
from crmlib.validate import CRMDataError
from crmlib.widgets.platform import platform_explorer

PNG = b"\x89PNG"


# --- platform: the toy market ----------------------------------------------------------------
@pytest.fixture(scope="module")
def outcome():
    """Both policies at the defaults (5 years, 2,000 merchants, commission 10%, default seed)."""
    return compare_policies()


def test_platform_simulation_is_deterministic():
    first = simulate_platforms("exclusive", years=3, merchants=400, seed=7)
    pd.testing.assert_frame_equal(first, simulate_platforms("exclusive", years=3, merchants=400, seed=7))
    assert not first.equals(simulate_platforms("exclusive", years=3, merchants=400, seed=8))


def test_both_policies_share_the_start_and_shorter_runs_are_a_prefix():
    ex, rel = simulate_platforms("exclusive"), simulate_platforms("relationship")
    start = ["merchants", "trust", "consumer_share", "sales", "sales_share"]
    pd.testing.assert_frame_equal(ex.loc[ex["period"] == 0, start], rel.loc[rel["period"] == 0, start])
    short = simulate_platforms("exclusive", years=2)
    pd.testing.assert_frame_equal(short, ex[ex["period"] <= 8].reset_index(drop=True))


def test_platform_bookkeeping_adds_up():
    sim = simulate_platforms("relationship", years=3, merchants=500)
    assert set(sim.groupby("period")["platform"].apply(tuple)) == {("A", "B")}
    assert np.allclose(sim.groupby("period")["sales_share"].sum(), 1)
    assert np.allclose(sim.groupby("period")["consumer_share"].sum(), 1)
    assert np.allclose(sim["total_value"], sim["merchant_profit"] + sim["commission_revenue"] + sim["consumer_surplus"])
    assert np.allclose(sim["total_value"], sim["sales"] * 0.5)  # margin 0.30 + consumer value 0.20
    for _, rows in sim.groupby("platform"):
        change = rows["merchants"].diff().iloc[1:]
        assert (change == (rows["joined"] - rows["left"]).iloc[1:]).all()
    assert sim["trust"].between(0, 1).all() and (sim["merchants"] <= 500).all()


def test_exclusive_dealing_wins_share_early_and_loses_it_later(outcome):
    ex, rel = outcome.loc["exclusive"], outcome.loc["relationship"]
    start = simulate_platforms("exclusive").query("period == 0 and platform == 'A'")["sales_share"].item()
    # years 1-2: A's share of platform sales jumps (0.79 -> 0.94 / 0.92) and beats the relationship policy
    for year in (1, 2):
        assert ex.loc[year, "a_sales_share"] > start + 0.10
        assert ex.loc[year, "a_sales_share"] > rel.loc[year, "a_sales_share"] + 0.10
    # year 5: below the relationship policy by far (0.35 vs 0.69)
    assert ex.loc[5, "a_sales_share"] < rel.loc[5, "a_sales_share"] - 0.25
    assert ex.loc[5, "a_sales_share"] == pytest.approx(0.35, abs=0.05)
    assert rel.loc[5, "a_sales_share"] == pytest.approx(0.69, abs=0.05)


def test_trust_falls_under_coercion_and_rises_with_fair_treatment(outcome):
    ex, rel = outcome.loc["exclusive"], outcome.loc["relationship"]
    assert ex["a_trust"].is_monotonic_decreasing and ex.loc[5, "a_trust"] == pytest.approx(0.23, abs=0.03)
    assert rel["a_trust"].is_monotonic_increasing and rel.loc[5, "a_trust"] == pytest.approx(0.84, abs=0.03)
    assert ex["a_churned"].sum() > 3 * rel["a_churned"].sum()  # 1,407 vs 363 merchants left A


def test_the_relationship_policy_grows_the_pie(outcome):
    ex, rel = outcome.loc["exclusive"], outcome.loc["relationship"]
    assert rel.loc[5, "total_value"] > 1.25 * rel.loc[1, "total_value"]  # 228 vs 172 million CNY a year
    assert ex["total_value"].sum() < 0.7 * rel["total_value"].sum()  # 625 vs 1,020 over five years
    assert (ex["choice"] < rel["choice"]).all()  # consumers can choose among fewer merchants
    assert ex["a_commission"].sum() < 0.75 * rel["a_commission"].sum()  # A itself earns less: 93 vs 150


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_long_run_outcome_does_not_hang_on_the_seed(seed):
    both = compare_policies(merchants=1000, seed=seed)
    ex, rel = both.loc["exclusive"], both.loc["relationship"]
    assert ex.loc[1, "a_sales_share"] > rel.loc[1, "a_sales_share"]
    assert ex.loc[5, "a_sales_share"] < rel.loc[5, "a_sales_share"]
    assert ex["total_value"].sum() < rel["total_value"].sum()


def test_milder_assumptions_change_a_s_gain_but_not_the_smaller_pie():
    """The sensitivity table of the notebook (section 9): A's gain hangs on the assumptions, the value gap does not."""
    mild = compare_policies(parameters={"trust_target": {"exclusive": 0.4, "relationship": 0.85}})
    ex, rel = mild.loc["exclusive"], mild.loc["relationship"]
    assert ex.loc[5, "a_sales_share"] > rel.loc[5, "a_sales_share"]  # 0.93 vs 0.69: exclusivity keeps its share
    assert ex["a_commission"].sum() == pytest.approx(rel["a_commission"].sum(), rel=0.05)  # 146 vs 150
    assert ex["total_value"].sum() < 0.8 * rel["total_value"].sum()  # but the pie is still smaller (0.76)
    for change in ({"trust_speed": 0.08}, {"platform_pull_A": 3.0}):
        both = compare_policies(parameters=change)
        assert both.loc["exclusive", "total_value"].sum() < 0.75 * both.loc["relationship", "total_value"].sum()


def test_parameters_override_only_known_constants():
    base = simulate_platforms("relationship", years=1, merchants=300)
    pd.testing.assert_frame_equal(base, simulate_platforms("relationship", years=1, merchants=300, parameters={}))
    slow = simulate_platforms(
        "relationship", years=1, merchants=300, parameters={"trust_speed": 0.0, "trust_noise": 0.0}
    )
    assert slow["trust"].iloc[-2] == pytest.approx(slow["trust"].iloc[0], abs=0.05)  # trust barely moves
    with pytest.raises(CRMDataError, match="unknown keys"):
        simulate_platforms(parameters={"trust_sped": 0.1})
    with pytest.raises(CRMDataError, match="dict of model constants"):
        simulate_platforms(parameters=0.1)
    with pytest.raises(CRMDataError, match="below the merchants' margin"):
        simulate_platforms(commission=0.2, parameters={"margin": 0.15})


def test_a_higher_commission_costs_trust_and_value():
    low, high = (yearly_outcome(simulate_platforms("relationship", commission=c)) for c in (0.10, 0.20))
    assert high.loc[5, "a_trust"] < low.loc[5, "a_trust"] - 0.2
    assert high["total_value"].sum() < low["total_value"].sum()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"policy": "coercion"}, "policy must be one of"),
        ({"years": 0}, "years must be a whole number"),
        ({"years": 2.5}, "years must be a whole number"),
        ({"merchants": 10}, "merchants must be a whole number"),
        ({"commission": -0.1}, "commission must be a number"),
        ({"commission": 0.3}, "below the merchants' margin"),
        ({"commission": "ten percent"}, "commission must be a number"),
        ({"rival_commission": 0.5}, "rival_commission must be below"),
        ({"seed": -1}, "seed must be a whole number"),
    ],
)
def test_platform_bad_parameters(kwargs, match):
    with pytest.raises(CRMDataError, match=match):
        simulate_platforms(**kwargs)


def test_yearly_outcome_rejects_other_tables():
    with pytest.raises(CRMDataError, match="missing"):
        yearly_outcome(pd.DataFrame({"year": [1]}))


def test_policy_outcome_by_hand_and_bad_input():
    # two quarters after the start; A's share 0.6 then 0.5, trust 0.7 then 0.4; period 0 is left out
    sim = pd.DataFrame(
        {
            "period": [0, 0, 1, 1, 2, 2],
            "platform": ["A", "B"] * 3,
            "sales_share": [0.9, 0.1, 0.6, 0.4, 0.5, 0.5],
            "trust": [0.9, 0.5, 0.7, 0.5, 0.4, 0.6],
            "commission_revenue": [9.0, 1.0, 2.0, 1.0, 3.0, 1.0],
            "total_value": [50.0, 5.0, 10.0, 6.0, 8.0, 7.0],
        }
    )
    assert policy_outcome(sim.iloc[::-1]) == {
        "peak_share": 0.6,
        "final_share": 0.5,
        "final_trust": 0.4,
        "a_commission": 5.0,
        "total_value": 31.0,
    }
    with pytest.raises(CRMDataError, match="'trust'"):
        policy_outcome(sim.drop(columns="trust"))
    with pytest.raises(CRMDataError, match="no quarter of platform A"):
        policy_outcome(sim[sim["period"] == 0])


# --- platform explorer -----------------------------------------------------------------------
def test_platform_explorer_updates_when_the_controls_move():
    box = platform_explorer(merchants=600)
    policy, commission = box.controls["policy"], box.controls["commission"]
    assert policy.value == "exclusive" and commission.value == pytest.approx(0.10)
    assert bytes(box.image.value).startswith(PNG)
    text, image, before = box.summary.value, box.image.value, box.state["outcome"]
    assert before == policy_outcome(simulate_platforms("exclusive", merchants=600))
    assert "exclusive dealing" in text and "10% commission" in text
    policy.value = "relationship"
    after = box.state["outcome"]
    assert box.summary.value != text and "relationship" in box.summary.value and box.image.value != image
    assert after["final_trust"] > before["final_trust"] and after["total_value"] > before["total_value"]
    commission.value = 0.20
    squeezed = box.state["outcome"]
    assert "20% commission" in box.summary.value
    assert squeezed["final_trust"] < after["final_trust"] and squeezed["total_value"] < after["total_value"]
    assert squeezed == policy_outcome(simulate_platforms("relationship", merchants=600, commission=0.20))
    assert len(box.redraw_seconds) == 3


def test_platform_explorer_bad_input():
    with pytest.raises(CRMDataError, match="policy"):
        platform_explorer(policy="both")
    with pytest.raises(CRMDataError, match="commission"):
        platform_explorer(commission=0.5)
    with pytest.raises(CRMDataError, match="merchants"):
        platform_explorer(merchants=5)


# --- hotel: the guest-stay data --------------------------------------------------------------
#: Expected sizes, as the case README documents them (measured on 200,000 guests, seed 7, where
#: sampling noise is small); the tolerances cover the noise of the default 6,000 guests.
EXPECTED = {
    "naive_gap": 0.30,
    "within_band_gap": 0.14,
    "second_stay_gap": 0.155,
    "rollout_effect": 0.14,
    "extras_ratio": 1.20,
    "naive_extras_ratio": 1.37,
}
FOLLOW_UP_END = pd.Timestamp("2024-12-31")  # last check-out with a full year of follow-up in the data
ROLLOUT = pd.Timestamp("2024-01-01")


@pytest.fixture(scope="module")
def hotel():
    return generate_hotel_stays()


@pytest.fixture(scope="module")
def stays(hotel):
    """Stays with ``returned`` (another stay within 365 days of check-out) and extras per night."""
    s = hotel.stays.sort_values(["guest_id", "stay_number"]).copy()
    next_in = s.groupby("guest_id")["check_in"].shift(-1)
    s["returned"] = (next_in - s["check_out"]).dt.days <= 365
    s["extras_per_night"] = s["extras_spend"] / s["nights"]
    s["band"] = s["stay_number"].clip(upper=6)
    return s


def _within_band(frame: pd.DataFrame, value: str, ratio: bool = False) -> float:
    """Recognised vs not, within each stay-number band, averaged with the bands' sizes as weights."""
    table = frame.groupby(["band", "recognised"])[value].mean().unstack()
    effect = table[True] / table[False] if ratio else table[True] - table[False]
    weight = frame.groupby("band").size()
    return float((effect * weight).sum() / weight.sum())


def test_hotel_data_is_deterministic():
    a, b = generate_hotel_stays(guests=500, seed=3), generate_hotel_stays(guests=500, seed=3)
    for table in a.tables:
        pd.testing.assert_frame_equal(a[table], b[table])
    assert not a.stays.equals(generate_hotel_stays(guests=500, seed=4).stays)


def test_hotel_tables_fit_together(hotel):
    guests, stays, prefs = hotel.guests, hotel.stays, hotel.preferences
    assert len(guests) == 6000 and guests["guest_id"].is_unique and stays["stay_id"].is_unique
    assert set(stays["guest_id"]) == set(guests["guest_id"])
    assert stays["check_in"].between("2021-01-01", "2025-12-31").all()
    assert ((stays["check_out"] - stays["check_in"]).dt.days == stays["nights"]).all()
    numbers = stays.sort_values("check_in").groupby("guest_id")["stay_number"]
    assert (numbers.first() == 1).all() and (numbers.diff().dropna() == 1).all()
    first = stays[stays["stay_number"] == 1].set_index("guest_id")["check_in"]
    assert (guests.set_index("guest_id")["first_stay"] == first.reindex(guests["guest_id"]).to_numpy()).all()
    # only consenting guests have preferences, and only they are ever recognised
    consent = guests.set_index("guest_id")["consent"]
    assert set(prefs["guest_id"]) == set(consent.index[consent])
    assert not stays.loc[stays["recognised"], "guest_id"].map(consent).eq(False).any()
    assert not stays.loc[stays["stay_number"] == 1, "recognised"].any()
    assert guests["consent"].mean() == pytest.approx(0.80, abs=0.02)


def test_recognition_follows_frequency_before_the_rollout_and_everybody_after(hotel, stays):
    consent = hotel.guests.set_index("guest_id")["consent"]
    returning = stays[(stays["stay_number"] >= 2) & stays["guest_id"].map(consent)]
    before = returning[returning["check_in"] < ROLLOUT].groupby("band")["recognised"].mean()
    after = returning[returning["check_in"] >= ROLLOUT].groupby("band")["recognised"].mean()
    assert before.is_monotonic_increasing and before[2] < 0.2 and before[6] > 0.8  # 0.10 ... 0.90
    assert after.between(0.90, 1.0).all()  # 0.95 for every band


def test_naive_comparison_overstates_the_return_effect(stays):
    followed = stays[stays["check_out"] <= FOLLOW_UP_END]
    rates = followed.groupby("recognised")["returned"].mean()
    assert rates[True] - rates[False] == pytest.approx(EXPECTED["naive_gap"], abs=0.04)  # 0.31 shipped


def test_recognition_raises_return_rate_like_for_like(hotel, stays):
    followed = stays[(stays["check_out"] <= FOLLOW_UP_END) & (stays["stay_number"] >= 2)]
    assert _within_band(followed, "returned") == pytest.approx(EXPECTED["within_band_gap"], abs=0.05)  # 0.17 shipped
    second = followed[followed["stay_number"] == 2].groupby("recognised")["returned"].mean()
    assert second[True] - second[False] == pytest.approx(EXPECTED["second_stay_gap"], abs=0.06)  # 0.18 shipped


def test_rollout_natural_experiment_recovers_the_return_effect(hotel, stays):
    """Consenting returning guests, stays in 2023 vs 2024: jump in return rate / jump in recognition, by band."""
    consent = hotel.guests.set_index("guest_id")["consent"]
    s = stays[
        (stays["stay_number"] >= 2) & stays["guest_id"].map(consent) & stays["check_in"].dt.year.isin([2023, 2024])
    ]
    s = s.assign(after=s["check_in"] >= ROLLOUT)
    table = s.groupby(["band", "after"])[["recognised", "returned"]].mean().unstack()
    weight = s.groupby("band").size()
    jump_return = ((table["returned"][True] - table["returned"][False]) * weight).sum()
    jump_recognised = ((table["recognised"][True] - table["recognised"][False]) * weight).sum()
    assert jump_recognised / weight.sum() > 0.4
    assert jump_return / jump_recognised == pytest.approx(EXPECTED["rollout_effect"], abs=0.06)  # 0.13 shipped


def test_recognition_raises_spend_on_extras(stays):
    returning = stays[stays["stay_number"] >= 2]
    assert _within_band(returning, "extras_per_night", ratio=True) == pytest.approx(EXPECTED["extras_ratio"], abs=0.06)
    naive = stays.groupby("recognised")["extras_per_night"].mean()
    assert naive[True] / naive[False] == pytest.approx(EXPECTED["naive_extras_ratio"], abs=0.08)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"guests": 10}, "guests must be a whole number"),
        ({"guests": 1000.5}, "guests must be a whole number"),
        ({"guests": True}, "guests must be a whole number"),
        ({"seed": -5}, "seed must be a whole number"),
        ({"seed": "abc"}, "seed must be a whole number"),
    ],
)
def test_hotel_bad_parameters(kwargs, match):
    with pytest.raises(CRMDataError, match=match):
        generate_hotel_stays(**kwargs)
