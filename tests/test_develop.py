"""Tests of crmlib.develop: hand-computed small cases, the planted effects of the shipped data,
bad input, and generated messy frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from messy import broken, messy_frames, only_crmdataerror
from messy import dates as _dates
from messy import money as _money

from crmlib import develop as D
from crmlib.validate import CRMDataError

STAGES = ["prospecting", "qualification", "needs analysis", "proposal", "negotiation", "won"]


# ---------------------------------------------------------------------------------------------
# funnel
# ---------------------------------------------------------------------------------------------
def test_funnel_counts_every_deal_at_its_stage_or_beyond():
    # stages a < b < c; deals stopped at a, b, b, c, a -> reached a 5, b 3, c 1
    deals = pd.DataFrame({"stage": ["a", "b", "b", "c", "a"]})
    funnel = D.funnel_table(deals, stages=["a", "b", "c"])
    assert funnel["stage"].tolist() == ["a", "b", "c"]
    assert funnel["reached"].tolist() == [5, 3, 1]
    assert np.isnan(funnel["conversion"][0])
    assert funnel["conversion"][1:].tolist() == pytest.approx([3 / 5, 1 / 3])
    assert funnel["overall"].tolist() == pytest.approx([1.0, 0.6, 0.2])


def test_funnel_takes_the_order_of_a_categorical_and_groups():
    stage = pd.Categorical(["y", "x", "z", "z"], categories=["x", "y", "z"], ordered=True)
    deals = pd.DataFrame({"stage": stage, "rep": ["R1", "R2", "R2", "R1"]})
    funnel = D.funnel_table(deals, by="rep")
    # R1: y, z -> reached x 2, y 2, z 1; R2: x, z -> x 2, y 1, z 1
    assert funnel["rep"].tolist() == ["R1"] * 3 + ["R2"] * 3
    assert funnel["reached"].tolist() == [2, 2, 1, 2, 1, 1]
    assert funnel["stage"].cat.ordered and list(funnel["stage"].cat.categories) == ["x", "y", "z"]


def test_funnel_stage_with_nobody_gives_nan_conversion_not_an_error():
    funnel = D.funnel_table(pd.DataFrame({"stage": ["a", "a"]}), stages=["a", "b", "c"])
    assert funnel["reached"].tolist() == [2, 0, 0]
    assert funnel["conversion"][1] == 0.0 and np.isnan(funnel["conversion"][2])


def test_funnel_needs_a_stage_order():
    with pytest.raises(CRMDataError, match="stages="):
        D.funnel_table(pd.DataFrame({"stage": ["a", "b"]}))
    with pytest.raises(CRMDataError, match="'stage' has 1 value not in the stage order"):
        D.funnel_table(pd.DataFrame({"stage": ["a", "q"]}), stages=["a", "b"])
    for stages in ["ab", ["a", "a"], [], 5]:
        with pytest.raises(CRMDataError, match="stages"):
            D.funnel_table(pd.DataFrame({"stage": ["a"]}), stages=stages)


# ---------------------------------------------------------------------------------------------
# Wilson interval and win rate by touches
# ---------------------------------------------------------------------------------------------
def test_wilson_interval_by_hand():
    # 8 of 20, z = 1.959964: p = 0.4, z^2/n = 0.192073, shrink = 1.192073;
    # centre = (0.4 + 0.096036) / 1.192073 = 0.416114;
    # half = 1.959964 / 1.192073 * sqrt(0.012 + 0.0024009) = 1.644166 * 0.1200037 = 0.197306
    low, high = D.wilson_interval(8, 20)
    assert (low, high) == pytest.approx((0.416114 - 0.197306, 0.416114 + 0.197306), abs=2e-6)
    assert (round(low, 4), round(high, 4)) == (0.2188, 0.6134)


def test_wilson_interval_edges_and_arrays():
    low, high = D.wilson_interval(np.array([0, 5, 5]), np.array([5, 5, 10]))
    assert low[0] == 0.0 and high[1] == 1.0
    assert high[0] == pytest.approx(1 - low[1])  # 0 of 5 and 5 of 5 mirror each other
    assert low[2] == pytest.approx(1 - high[2])  # 5 of 10 is symmetric around 0.5
    narrow = D.wilson_interval(8, 20, confidence=0.5)
    assert narrow[0] > low[0] and narrow[1] < 0.6134


@pytest.mark.parametrize(
    "successes, trials, confidence",
    [
        (3, 2, 0.95),
        (-1, 5, 0.95),
        (1, 0, 0.95),
        (1, 5, 1.0),
        ("a", 5, 0.95),
        ([1, 2], [3, 4, 5], 0.95),
        (np.nan, 3, 0.95),
    ],
)
def test_wilson_interval_rejects_bad_numbers(successes, trials, confidence):
    with pytest.raises(CRMDataError):
        D.wilson_interval(successes, trials, confidence)


@pytest.fixture
def deals():
    return pd.DataFrame(
        {
            "opportunity_id": ["O1", "O2", "O3", "O4", "O5"],
            "status": ["won", "lost", "won", "lost", "open"],
            "close_date": ["2024-03-01", "2024-03-01", "2024-04-01", "2024-04-01", None],
        }
    )


@pytest.fixture
def touches():
    # O1: 3 visits; O2: 1 visit, plus 1 after it was lost; O3: 2 visits and a call; O4: none; O5 is open
    return pd.DataFrame(
        {
            "opportunity_id": ["O1", "O1", "O1", "O2", "O2", "O3", "O3", "O3", "O5", None],
            "activity_type": ["visit", "visit", "visit", "visit", "visit", "visit", "visit", "call", "visit", "visit"],
            "activity_date": [
                "2024-02-01",
                "2024-02-10",
                "2024-03-01",
                "2024-02-01",
                "2024-03-02",
                "2024-03-01",
                "2024-03-05",
                "2024-03-09",
                "2024-03-01",
                "2024-01-01",
            ],
        }
    )


def test_win_rate_by_touches_by_hand(deals, touches):
    # closed deals and visits up to the close date: O1 3 (won), O2 1 (lost), O3 2 (won), O4 0 (lost)
    table = D.win_rate_by_touches(deals, touches)
    assert table["touches"].tolist() == [0, 1, 2, 3]
    assert table["deals"].tolist() == [1, 1, 1, 1]
    assert table["wins"].tolist() == [0, 0, 1, 1]
    assert table["win_rate"].tolist() == [0.0, 0.0, 1.0, 1.0]
    low, high = D.wilson_interval(1, 1)
    assert table[["ci_low", "ci_high"]].iloc[3].tolist() == pytest.approx([low, high])


def test_win_rate_by_touches_options(deals, touches):
    # counting every touch, the visit after O2 was lost counts too: O2 has 2
    every = D.win_rate_by_touches(deals, touches, close_date=None)
    assert every.set_index("touches")["deals"].to_dict() == {0: 1, 2: 2, 3: 1}
    # visits and calls together: O3 has 3; capped at 2: O1, O3 -> "2+"
    both = D.win_rate_by_touches(deals, touches, touch=["visit", "call"], max_touches=2)
    assert both["touches"].tolist() == [0, 1, 2]
    assert both["wins"].tolist() == [0, 0, 2]


def test_win_rate_by_touches_refuses_unknown_touch_types_and_no_closed_deals(deals, touches):
    with pytest.raises(CRMDataError, match="visits"):
        D.win_rate_by_touches(deals, touches, touch="visits")
    with pytest.raises(CRMDataError, match="touch"):
        D.win_rate_by_touches(deals, touches, touch=[])
    with pytest.raises(CRMDataError, match="closed"):
        D.win_rate_by_touches(deals.assign(status="open"), touches)
    with pytest.raises(CRMDataError, match="max_touches"):
        D.win_rate_by_touches(deals, touches, max_touches=0)
    with pytest.raises(CRMDataError, match="'status' has 1 value other than won, lost, open"):
        D.win_rate_by_touches(deals.assign(status=["won", "lost", "won", "lost", "pending"]), touches)


# ---------------------------------------------------------------------------------------------
# pipeline forecast
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def pipeline():
    stage = pd.Categorical(
        ["proposal", "won", "proposal", "qualification", "proposal", "qualification"],
        categories=["qualification", "proposal", "won"],
        ordered=True,
    )
    return pd.DataFrame(
        {
            "stage": stage,
            "status": ["lost", "won", "open", "lost", "open", "open"],
            "amount": [100.0, 200.0, 1000.0, 50.0, 500.0, 400.0],
        }
    )


def test_pipeline_forecast_estimates_probabilities_from_closed_deals(pipeline):
    # closed: proposal-lost, won, qualification-lost. Reached qualification: 3, 1 won -> 1/3;
    # reached proposal: 2, 1 won -> 1/2. Open: qualification 400 x 1/3; proposal 1500 x 1/2
    table = D.pipeline_forecast(pipeline)
    assert table["stage"].tolist() == ["qualification", "proposal", "total"]
    assert table["open_deals"].tolist() == [1, 2, 3]
    assert table["amount"].tolist() == [400.0, 1500.0, 1900.0]
    assert table["probability"].tolist() == pytest.approx([1 / 3, 1 / 2, (400 / 3 + 750) / 1900])
    assert table["expected_value"].tolist() == pytest.approx([400 / 3, 750, 400 / 3 + 750])


def test_pipeline_forecast_with_given_probabilities(pipeline):
    table = D.pipeline_forecast(pipeline, stage_probability={"qualification": 0.1, "proposal": 0.6})
    assert table["expected_value"].tolist() == pytest.approx([40.0, 900.0, 940.0])


@pytest.mark.parametrize(
    "probabilities, message",
    [
        ({"proposal": 0.6}, "qualification"),
        ({"qualification": 0.1, "proposal": 1.5}, "proposal"),
        ({"qualification": 0.1, "proposal": 0.5, "closing": 0.9}, "closing"),
        ([0.1, 0.5], "dict"),
        ({"qualification": -0.1, "proposal": 0.5}, "qualification"),
    ],
)
def test_pipeline_forecast_rejects_bad_probabilities(pipeline, probabilities, message):
    with pytest.raises(CRMDataError, match=message):
        D.pipeline_forecast(pipeline, stage_probability=probabilities)


def test_pipeline_forecast_needs_open_deals_and_history(pipeline):
    with pytest.raises(CRMDataError, match="no open deals"):
        D.pipeline_forecast(pipeline.assign(status="lost"))
    only_open = pipeline[pipeline["status"] == "open"]
    with pytest.raises(CRMDataError, match="stage_probability"):
        D.pipeline_forecast(only_open)


# ---------------------------------------------------------------------------------------------
# acquisition cost
# ---------------------------------------------------------------------------------------------
def test_acquisition_cost_by_hand():
    # referral 100 + 200 = 300 for 3 customers -> 100; ads 600 + 300 = 900 for 2 -> 450;
    # walk-in: no spend, 1 customer -> 0; flyers: 50 spent, nobody came -> NaN, listed last
    spend = pd.DataFrame(
        {"channel": ["referral", "ads", "referral", "ads", "flyers"], "spend_cny": [100.0, 600.0, 200.0, 300.0, 50.0]}
    )
    arrivals = pd.DataFrame({"acquisition_channel": ["referral", "referral", "ads", "referral", "ads", "walk-in"]})
    table = D.acquisition_cost(spend, arrivals)
    assert table["channel"].tolist() == ["walk-in", "referral", "ads", "flyers"]
    assert table["spend"].tolist() == [0.0, 300.0, 900.0, 50.0]
    assert table["acquired"].tolist() == [1, 3, 2, 0]
    assert table["cost_per_acquisition"][:3].tolist() == [0.0, 100.0, 450.0]
    assert np.isnan(table["cost_per_acquisition"][3])


# ---------------------------------------------------------------------------------------------
# the chapter-2 explorers' analysis: funnel gaps, the value of a visit
# ---------------------------------------------------------------------------------------------
def test_funnel_gaps_by_hand():
    # a: 4 leads, 3 deals, 2 won; b: 4 leads, 2 deals, 1 won; c: 1 lead, nothing further
    deals = pd.DataFrame(
        {
            "stage": ["won", "won", "deal", "lead", "won", "deal", "lead", "lead", "lead"],
            "source": ["a", "a", "a", "a", "b", "b", "b", "b", "c"],
        }
    )
    gaps = D.funnel_gaps(D.funnel_table(deals, stages=["lead", "deal", "won"], by="source"), "source")
    assert gaps["stage"].tolist() == ["deal", "won"]
    # into deal: a 3/4, b 2/4, c 0/1 -> c lowest, a highest; into won: a 2/3, b 1/2 (c has nobody at deal)
    assert gaps[["lowest", "highest"]].to_numpy().tolist() == [["c", "a"], ["b", "a"]]
    assert gaps["low"].tolist() == pytest.approx([0.0, 1 / 2])
    assert gaps["high"].tolist() == pytest.approx([3 / 4, 2 / 3])
    assert gaps["gap"].tolist() == pytest.approx([3 / 4, 2 / 3 - 1 / 2])


def test_funnel_gaps_rejects_tables_without_steps():
    one_stage = D.funnel_table(pd.DataFrame({"stage": ["lead"], "source": ["a"]}), stages=["lead"], by="source")
    with pytest.raises(CRMDataError, match="no stage-to-stage conversions"):
        D.funnel_gaps(one_stage, "source")
    with pytest.raises(CRMDataError, match="'conversion'"):
        D.funnel_gaps(one_stage.drop(columns="conversion"), "source")
    with pytest.raises(CRMDataError, match="'rep'"):
        D.funnel_gaps(one_stage, "rep")


def test_visit_value_table_by_hand():
    rates = pd.DataFrame({"touches": [2, 0, 1], "win_rate": [0.3, 0.0, 0.1]})  # unsorted on purpose
    table = D.visit_value_table(rates, deal_size=1000, cost_per_visit=150)
    assert table["visits"].tolist() == [0, 1, 2]
    assert np.isnan(table["gain"][0]) and table["gain"][1:].tolist() == pytest.approx([100.0, 200.0])
    assert table["pays"].tolist() == [False, False, True]
    assert table["net_value"].tolist() == pytest.approx([0.0, -50.0, 0.0])
    assert D.best_visit_count(table) == 0  # a tie between 0 and 2 visits goes to the fewest


def test_visit_value_table_rejects_bad_input():
    rates = pd.DataFrame({"touches": [0, 1], "win_rate": [0.0, 1.5]})
    with pytest.raises(CRMDataError, match="outside 0–1"):
        D.visit_value_table(rates, 1000, 100)
    with pytest.raises(CRMDataError, match="deal_size"):
        D.visit_value_table(rates.assign(win_rate=[0.0, 0.5]), -5, 100)
    with pytest.raises(CRMDataError, match="touches"):
        D.visit_value_table(pd.DataFrame({"visits": [0], "win_rate": [0.1]}), 1000, 100)


def test_visit_summary_names_the_peak_and_the_next_visit():
    rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    # net value 0, 1000 - 500, 4000 - 1000, 4200 - 1500: the peak is 2 visits at 3,000;
    # the third adds (0.42 - 0.40) x 10,000 = 200 and costs 500
    table = D.visit_value_table(rates, deal_size=10_000, cost_per_visit=500)
    assert D.visit_summary(table, pooled_last=True) == (
        "Expected net value peaks at 2 visits (3,000 CNY per deal). "
        "The next visit (to 3+) would add 200 CNY of expected sales and cost 500 CNY."
    )
    free = D.visit_value_table(rates, deal_size=10_000, cost_per_visit=0)
    assert D.visit_summary(free).endswith("Even the last visit in the data still pays for itself.")
    with pytest.raises(CRMDataError, match="'gain'"):
        D.visit_summary(table.drop(columns="gain"))


# ---------------------------------------------------------------------------------------------
# planted effects of the shipped data (datasets/README.md), found through develop
# ---------------------------------------------------------------------------------------------
def test_three_visits_lesson(retail):
    """README: win rate at 3 visits > 2.5 x at 1 visit; 5+ within 12 points of 3
    (shipped: 4.7 %, 16.8 %, 42.5 %, 44.5 %, 41.6 % for 1, 2, 3, 4, 5+)."""
    table = D.win_rate_by_touches(retail.opportunities, retail.activities, touch="visit", max_touches=5)
    rate = table.set_index("touches")["win_rate"]
    assert rate[1] < 0.15 and rate[2] < rate[3]
    assert rate[3] > 2.5 * rate[1]
    assert abs(rate[5] - rate[3]) < 0.12
    # the intervals at 1 and 3 visits do not even overlap
    ci = table.set_index("touches")
    assert ci.loc[1, "ci_high"] < ci.loc[3, "ci_low"]
    assert table["deals"].sum() == (retail.opportunities["status"] != "open").sum()


def test_referral_leads_convert_best_cold_calls_worst(retail):
    """README: share of leads ending in a won deal, referral highest (28.8 %), cold call lowest (8.6 %)."""
    leads = retail.leads.merge(retail.opportunities[["opportunity_id", "stage"]], on="opportunity_id", how="left")
    leads["stage"] = leads["stage"].cat.add_categories("lead").fillna("lead")
    funnel = D.funnel_table(leads, stages=["lead", *STAGES], by="source")
    won = funnel[funnel["stage"] == "won"].set_index("source")["overall"]
    assert won.idxmax() == "referral" and won.idxmin() == "cold call"
    assert won["referral"] > 2.5 * won["cold call"]
    assert funnel[funnel["stage"] == "lead"]["reached"].sum() == len(retail.leads)


def test_opportunity_funnel_matches_stage_counts(retail):
    funnel = D.funnel_table(retail.opportunities)
    stopped = retail.opportunities["stage"].value_counts(sort=False).reindex(STAGES).to_numpy()
    assert funnel["reached"].tolist() == stopped[::-1].cumsum()[::-1].tolist()
    assert funnel["reached"].iloc[-1] == (retail.opportunities["status"] == "won").sum()


def test_pipeline_forecast_on_shipped_data(retail):
    table = D.pipeline_forecast(retail.opportunities)
    stages = table[table["stage"] != "total"]
    assert stages["open_deals"].sum() == (retail.opportunities["status"] == "open").sum()
    assert stages["probability"].is_monotonic_increasing  # later stages are likelier to close
    total = table.iloc[-1]
    assert 0 < total["expected_value"] < total["amount"]
    assert total["expected_value"] == pytest.approx(stages["expected_value"].sum())


def test_consumer_acquisition_cost_referral_cheapest_online_ads_dearest(retail):
    spend = retail.marketing_spend[retail.marketing_spend["segment"] == "consumer"]
    consumers = retail.customers[retail.customers["customer_type"] == "consumer"]
    table = D.acquisition_cost(spend, consumers)
    assert table["channel"].iloc[0] == "referral" and table["channel"].iloc[-1] == "online ads"
    assert table["acquired"].sum() == len(consumers)
    assert table["spend"].sum() == pytest.approx(spend["spend_cny"].sum())


# ---------------------------------------------------------------------------------------------
# bad input: every public function x each way its input can be wrong
# ---------------------------------------------------------------------------------------------
# the last row is a closed deal, so that broken() damages a row every function reads
_OPPS = pd.DataFrame(
    {
        "opportunity_id": ["O1", "O2", "O3", "O4"],
        "stage": pd.Categorical(["proposal", "qualification", "proposal", "won"], categories=STAGES, ordered=True),
        "status": ["open", "open", "lost", "won"],
        "amount": [80.0, 20.0, 50.0, 100.0],
        "close_date": [None, None, "2024-03-05", "2024-03-01"],
        "source": ["a", "b", "a", "b"],
    }
)
_ACTS = pd.DataFrame(
    {
        "opportunity_id": ["O1", "O2", "O3"],
        "activity_type": ["visit", "call", "visit"],
        "activity_date": ["2024-02-01", "2024-02-03", "2024-02-05"],
    }
)


def _funnel(frame):
    return D.funnel_table(frame, by="source")


def _win_rate(frame):
    return D.win_rate_by_touches(frame, _ACTS)


@pytest.mark.parametrize(
    "function, how, column",
    [
        (_funnel, "missing column", "stage"),
        (_funnel, "missing column", "source"),
        (_funnel, "gap", "stage"),
        (_funnel, "gap", "source"),
        (_funnel, "text", "stage"),
        (_funnel, "empty", "opportunities"),
        (_win_rate, "missing column", "opportunity_id"),
        (_win_rate, "missing column", "status"),
        (_win_rate, "gap", "status"),
        (_win_rate, "duplicate key", "opportunity_id"),
        (_win_rate, "bad date", "close_date"),
        (_win_rate, "number date", "close_date"),
        (_win_rate, "empty", "opportunities"),
        (D.pipeline_forecast, "missing column", "amount"),
        (D.pipeline_forecast, "negative", "amount"),
        (D.pipeline_forecast, "text", "amount"),
        (D.pipeline_forecast, "infinite", "amount"),
        (D.pipeline_forecast, "gap", "status"),
        (D.pipeline_forecast, "text", "status"),
        (D.pipeline_forecast, "missing column", "stage"),
        (D.pipeline_forecast, "empty", "opportunities"),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),  # stable ids: the same in every xdist worker
)
def test_opportunity_functions_name_the_bad_column(function, how, column):
    frame = broken(_OPPS, how, None if how in ("empty", "duplicate key") else column)
    with pytest.raises(CRMDataError, match=column):
        function(frame)


@pytest.mark.parametrize(
    "how, column",
    [
        ("missing column", "opportunity_id"),
        ("missing column", "activity_type"),
        ("missing column", "activity_date"),
        ("bad date", "activity_date"),
        ("number date", "activity_date"),
        ("empty", "activities"),
    ],
)
def test_win_rate_names_the_bad_activity_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        D.win_rate_by_touches(_OPPS, broken(_ACTS, how, None if how == "empty" else column))


_SPEND = pd.DataFrame({"channel": ["a", "b"], "spend_cny": [10.0, 20.0]})
_ARRIVALS = pd.DataFrame({"acquisition_channel": ["a", "b", "b"]})


@pytest.mark.parametrize(
    "how, column",
    [
        ("missing column", "channel"),
        ("missing column", "spend_cny"),
        ("gap", "channel"),
        ("negative", "spend_cny"),
        ("text", "spend_cny"),
        ("infinite", "spend_cny"),
        ("empty", "spend"),
    ],
)
def test_acquisition_cost_names_the_bad_spend_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        D.acquisition_cost(broken(_SPEND, how, None if how == "empty" else column), _ARRIVALS)


@pytest.mark.parametrize(
    "how, column", [("missing column", "acquisition_channel"), ("gap", "acquisition_channel"), ("empty", "arrivals")]
)
def test_acquisition_cost_names_the_bad_arrivals_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        D.acquisition_cost(_SPEND, broken(_ARRIVALS, how, None if how == "empty" else column))


# ---------------------------------------------------------------------------------------------
# generated messy frames: every public function either works or raises CRMDataError
# ---------------------------------------------------------------------------------------------
_opportunity_cells = {
    "opportunity_id": st.integers(1, 40).map(lambda i: f"O{i}"),
    "stage": st.sampled_from(STAGES),
    "status": st.sampled_from(["won", "lost", "open"]),
    "amount": _money,
    "close_date": _dates,
    "source": st.one_of(st.sampled_from(["referral", "cold call"]), st.integers(0, 2)),
}
_activity_cells = {
    "opportunity_id": st.one_of(st.integers(1, 12).map(lambda i: f"O{i}"), st.none()),
    "activity_type": st.sampled_from(["visit", "call", "e-mail"]),
    "activity_date": _dates,
}


@st.composite
def opportunity_frames(draw):
    """Messy opportunities, their ids unique; the stage column an ordered category when it can be."""
    frame = draw(messy_frames(_opportunity_cells, unique=("opportunity_id",)))
    if "stage" in frame and frame["stage"].isin(STAGES).all():
        frame["stage"] = pd.Categorical(frame["stage"], categories=STAGES, ordered=True)
    return frame


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    opportunity_frames(),
    st.sampled_from([None, STAGES + ["lead"], ["won", "lost"]]),
    st.sampled_from([None, "source", "status"]),
)
def test_funnel_only_fails_with_crmdataerror(frame, stages, by):
    result = only_crmdataerror(D.funnel_table, frame, stages=stages, by=by)
    if result is not None:
        assert (result["reached"] >= 0).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    opportunity_frames(),
    messy_frames(_activity_cells),
    st.sampled_from(["visit", ["visit", "call"]]),
    st.sampled_from([None, 3]),
    st.sampled_from(["close_date", None]),
)
def test_win_rate_only_fails_with_crmdataerror(deals, activities, touch, max_touches, close_date):
    result = only_crmdataerror(
        D.win_rate_by_touches, deals, activities, touch=touch, max_touches=max_touches, close_date=close_date
    )
    if result is not None:
        assert (result["ci_low"] <= result["win_rate"]).all() and (result["win_rate"] <= result["ci_high"]).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(opportunity_frames(), st.sampled_from([None, {s: 0.5 for s in STAGES}]), st.sampled_from([None, STAGES]))
def test_pipeline_forecast_only_fails_with_crmdataerror(frame, probabilities, stages):
    result = only_crmdataerror(D.pipeline_forecast, frame, stage_probability=probabilities, stages=stages)
    if result is not None:
        assert result["expected_value"].iloc[-1] <= result["amount"].iloc[-1] + 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    messy_frames({"channel": st.one_of(st.sampled_from(["ads", "referral"]), st.integers(0, 2)), "spend_cny": _money}),
    messy_frames(
        {"acquisition_channel": st.one_of(st.sampled_from(["ads", "referral", "walk-in"]), st.integers(0, 2))}
    ),
)
def test_acquisition_cost_only_fails_with_crmdataerror(spend, arrivals):
    result = only_crmdataerror(D.acquisition_cost, spend, arrivals)
    if result is not None:
        assert result["acquired"].sum() == len(arrivals)


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(
        st.integers(-2, 30), st.floats(allow_nan=True), st.lists(st.integers(0, 9), max_size=3), st.text(max_size=2)
    ),
    st.one_of(st.integers(-2, 30), st.floats(allow_nan=True), st.lists(st.integers(0, 9), max_size=3)),
    st.sampled_from([0.95, 0.8, 0, 1.2, "x"]),
)
def test_wilson_interval_only_fails_with_crmdataerror(successes, trials, confidence):
    result = only_crmdataerror(D.wilson_interval, successes, trials, confidence)
    if result is not None:
        assert np.all(np.asarray(result[0]) <= np.asarray(result[1]))


# ---------------------------------------------------------------------------------------------
# uncertainty (issue 16): Wilson intervals on funnel shares, the spread of the pipeline
# ---------------------------------------------------------------------------------------------
def _small_pipeline() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stage": pd.Categorical(
                ["proposal", "won", "proposal", "qualification", "proposal", "qualification"],
                categories=["qualification", "proposal", "won"],
                ordered=True,
            ),
            "status": ["lost", "won", "open", "lost", "open", "open"],
            "amount": [100.0, 200.0, 1000.0, 50.0, 500.0, 400.0],
        }
    )


def test_funnel_table_wilson_intervals_by_hand():
    table = D.funnel_table(_small_pipeline(), level=0.95)
    # reached: 6, 4, 1. Conversion 4/6 and 1/4, overall 6/6, 4/6, 1/6.
    assert table["reached"].tolist() == [6, 4, 1]
    z = 1.959963984540054

    def wilson(k, n):
        centre, half = (k + z * z / 2) / (n + z * z), z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
        return centre - half, centre + half

    assert np.isnan(table.loc[0, "conversion_low"]) and np.isnan(table.loc[0, "conversion_high"])
    np.testing.assert_allclose(
        table.loc[1, ["conversion_low", "conversion_high"]].to_numpy(float), wilson(4, 6), rtol=1e-9
    )
    np.testing.assert_allclose(
        table.loc[2, ["conversion_low", "conversion_high"]].to_numpy(float), wilson(1, 4), rtol=1e-9
    )
    np.testing.assert_allclose(table.loc[2, ["overall_low", "overall_high"]].to_numpy(float), wilson(1, 6), rtol=1e-9)
    assert table.loc[0, "overall_high"] == 1.0  # 6 of 6
    # 0 of 2 leads became deals: an interval from 0; nobody reached "deal", so "won" has none
    empty = D.funnel_table(pd.DataFrame({"stage": ["lead", "lead"]}), stages=["lead", "deal", "won"], level=0.95)
    assert empty.loc[1, "conversion_low"] == 0.0 and empty.loc[1, "conversion_high"] == pytest.approx(wilson(0, 2)[1])
    assert np.isnan(empty.loc[2, "conversion_low"]) and np.isnan(empty.loc[2, "conversion_high"])
    assert "conversion_low" not in D.funnel_table(_small_pipeline())


def test_pipeline_forecast_spread_by_hand():
    table = D.pipeline_forecast(_small_pipeline(), level=0.9).set_index("stage")
    # qualification: one deal of 400 at p = 1/3; proposal: 1000 and 500 at p = 1/2
    assert table.loc["qualification", "sd"] == pytest.approx(math.sqrt(400**2 / 3 * 2 / 3), rel=1e-12)
    assert table.loc["proposal", "sd"] == pytest.approx(math.sqrt((1000**2 + 500**2) / 4), rel=1e-12)
    assert table.loc["total", "sd"] == pytest.approx(math.sqrt(400**2 * 2 / 9 + (1000**2 + 500**2) / 4), rel=1e-12)
    # outcomes: nothing won has probability 2/3 x 1/4 = 1/6 and everything 1/3 x 1/4 = 1/12, both
    # above the 5% tails, so the 90% range is exactly 0 to 1,900
    assert table.loc["total", "low"] == 0.0 and table.loc["total", "high"] == 1900.0
    assert table.loc["proposal", "low"] == 0.0 and table.loc["proposal", "high"] == 1500.0
    # the same seed gives the same numbers; expected values are unchanged by the option
    again = D.pipeline_forecast(_small_pipeline(), level=0.9).set_index("stage")
    pd.testing.assert_frame_equal(table, again)
    plain = D.pipeline_forecast(_small_pipeline()).set_index("stage")
    pd.testing.assert_series_equal(plain["expected_value"], table["expected_value"])
    assert list(plain.columns) == ["open_deals", "amount", "probability", "expected_value"]


def test_pipeline_spread_of_many_deals_matches_the_normal_approximation():
    # 400 deals of 1,000 at p = 0.25: the sum is 1,000 x Binomial(400, 0.25); 90% range about +-1.645 sd
    deals = pd.DataFrame(
        {
            "stage": pd.Categorical(["proposal"] * 400, categories=["proposal", "won"], ordered=True),
            "status": ["open"] * 400,
            "amount": [1000.0] * 400,
        }
    )
    table = D.pipeline_forecast(deals, stage_probability={"proposal": 0.25}, level=0.9).set_index("stage")
    sd = 1000 * math.sqrt(400 * 0.25 * 0.75)
    assert table.loc["total", "sd"] == pytest.approx(sd, rel=1e-12)
    assert table.loc["total", "low"] == pytest.approx(100_000 - 1.645 * sd, abs=1000)
    assert table.loc["total", "high"] == pytest.approx(100_000 + 1.645 * sd, abs=1000)
    with pytest.raises(CRMDataError, match=r"level must be a share"):
        D.pipeline_forecast(deals, stage_probability={"proposal": 0.25}, level=1.2)
