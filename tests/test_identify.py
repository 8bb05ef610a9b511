"""Tests of crmlib.identify: hand-computed small cases, the planted effects of the shipped data,
bad input, and generated messy frames.

The helpers ``broken`` and ``messy_frames`` live in tests/messy.py.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from messy import broken, messy_frames, only_crmdataerror
from messy import dates as _dates
from messy import ids as _ids
from messy import money as _money

from crmlib import identify as I
from crmlib.validate import CRMDataError


# ---------------------------------------------------------------------------------------------
# tiny frames
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def orders():
    # totals: a 50 + 30 = 80, b 20, c 15, d 5; total 120
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "c", "d"],
            "order_date": ["2024-03-01", "2024-03-05", "2024-03-10 18:30", "2024-02-01", "2024-01-15"],
            "amount": [50.0, 20.0, 30.0, 15.0, 5.0],
        }
    )


def test_customer_totals_add_up_each_customer(orders):
    totals = I.customer_totals(orders)
    assert totals.to_dict() == {"a": 80.0, "b": 20.0, "c": 15.0, "d": 5.0}


def test_customer_totals_do_not_change_the_input(orders):
    before = orders.copy()
    I.pareto_table(orders)
    I.rfm_table(orders)
    pd.testing.assert_frame_equal(orders, before)


def test_pareto_table_running_shares(orders):
    table = I.pareto_table(orders)
    assert table["customer_id"].tolist() == ["a", "b", "c", "d"]
    assert table["value"].tolist() == [80.0, 20.0, 15.0, 5.0]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["cum_customer_share"].tolist() == [0.25, 0.5, 0.75, 1.0]
    # 80/120, 100/120, 115/120, 120/120
    assert table["cum_value_share"].tolist() == pytest.approx([2 / 3, 5 / 6, 23 / 24, 1.0])


def test_pareto_ties_keep_customer_id_order():
    orders = pd.DataFrame({"customer_id": ["z", "y", "x"], "amount": [5.0, 5.0, 9.0]})
    assert I.pareto_table(orders)["customer_id"].tolist() == ["x", "y", "z"]


def test_top_share_uses_ceil_of_the_share():
    orders = pd.DataFrame({"customer_id": list("abcde"), "amount": [60.0, 10.0, 10.0, 10.0, 10.0]})
    assert I.top_share(orders, top=0.2) == pytest.approx(0.6)  # 1 customer: 60/100
    assert I.top_share(orders, top=0.3) == pytest.approx(0.7)  # ceil(1.5) = 2 customers: 70/100
    # 0.2 x 15 is 3.0000000000000004 in floating point: still 3 customers, not 4
    fifteen = pd.DataFrame({"customer_id": range(15), "amount": [10.0] * 3 + [1.0] * 12})
    assert I.top_share(fifteen, top=0.2) == pytest.approx(30 / 42)


def test_top_share_interval_two_customers_by_hand():
    # resamples of (3, 1): {3, 3} and {1, 1} give 0.5 (chance 1/4 each), {3, 1} gives 3/4 (1/2)
    orders = pd.DataFrame({"customer_id": ["a", "b"], "amount": [3.0, 1.0]})
    assert I.top_share_interval(orders, top=0.5) == (0.5, 0.75)


def test_top_share_interval_equal_customers_have_no_spread():
    orders = pd.DataFrame({"customer_id": range(10), "amount": [7.0] * 10})
    assert I.top_share_interval(orders, top=0.2) == pytest.approx((0.2, 0.2))


def test_top_share_interval_holds_the_share_and_narrows_with_more_customers():
    rng = np.random.default_rng(11)
    spend = rng.lognormal(3.0, 1.0, 400)
    small = pd.DataFrame({"customer_id": range(400), "amount": spend})
    big = pd.DataFrame({"customer_id": range(1600), "amount": np.tile(spend, 4)})
    share = I.top_share(small)
    assert I.top_share(big) == pytest.approx(share)  # the same customers four times over
    low, high = I.top_share_interval(small)
    assert low < share < high
    big_low, big_high = I.top_share_interval(big)
    # four times the customers: about half the width (1 / sqrt(4))
    assert (big_high - big_low) / (high - low) == pytest.approx(0.5, abs=0.1)
    # the same seed gives the same interval; another seed a slightly different one
    assert I.top_share_interval(small) == (low, high)
    assert I.top_share_interval(small, seed=1) != (low, high)
    # a higher level gives a wider interval
    wide_low, wide_high = I.top_share_interval(small, level=0.99)
    assert wide_low < low and wide_high > high


@pytest.mark.parametrize(
    "arguments, message",
    [
        (dict(top=1.5), "top"),
        (dict(level=0), "level"),
        (dict(draws=10), "draws"),
        (dict(seed=-1), "seed"),
    ],
)
def test_top_share_interval_rejects_bad_top_level_draws_and_seed(arguments, message):
    orders = pd.DataFrame({"customer_id": ["a", "b"], "amount": [3.0, 1.0]})
    with pytest.raises(CRMDataError, match=message):
        I.top_share_interval(orders, **arguments)


def test_top_share_interval_matches_the_exact_bootstrap_distribution():
    # Three customers with totals 6, 3 and 1; the top third is the largest of each sample of three.
    # Of the 27 equally likely samples (drawn with replacement), the share max / sum is
    # 1/3 (3 samples), 2/5 (3), 3/7 (3), 6/13 (3), 1/2 (3), 3/5 (9), 3/4 (3). Its quartiles are
    # 3/7 and 3/5 (cumulative 9/27 and 24/27); the middle 95 % runs from 1/3 to 3/4.
    orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "amount": [4.0, 2.0, 3.0, 1.0]})
    low, high = I.top_share_interval(orders, top=1 / 3, level=0.5, draws=20_000, seed=1)
    assert (low, high) == (pytest.approx(3 / 7), pytest.approx(3 / 5))
    low, high = I.top_share_interval(orders, top=1 / 3, level=0.95, draws=20_000, seed=1)
    assert (low, high) == (pytest.approx(1 / 3), pytest.approx(3 / 4))


def test_top_share_interval_covers_the_planted_share_and_repeats():
    # For exponential spending the top fraction p holds p (1 - ln p) of the total: 0.5219 at p = 0.2.
    rng = np.random.default_rng(5)
    orders = pd.DataFrame({"customer_id": range(3000), "amount": rng.exponential(40.0, 3000)})
    low, high = I.top_share_interval(orders, top=0.2)
    assert low < 0.2 * (1 + np.log(5)) < high
    assert low < I.top_share(orders, top=0.2) < high
    assert 0.01 < high - low < 0.05  # about 2 x 1.96 x 0.006 for 3,000 customers
    assert I.top_share_interval(orders, top=0.2) == (low, high)  # seeded
    assert I.top_share_interval(orders, top=0.2, seed=2) != (low, high)


@pytest.mark.parametrize(
    "kwargs, message", [({"level": 1.5}, "level"), ({"draws": 10}, "draws"), ({"seed": -1}, "seed")]
)
def test_top_share_interval_rejects_bad_arguments(orders, kwargs, message):
    with pytest.raises(CRMDataError, match=message):
        I.top_share_interval(orders, **kwargs)


def test_abc_customer_starting_at_a_cutoff_moves_to_the_next_class():
    # before each customer: 0, 0.80, 0.95 -> A, B, C
    orders = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [80.0, 15.0, 5.0]})
    assert I.abc_classes(orders)["abc_class"].tolist() == ["A", "B", "C"]


def test_abc_customer_crossing_a_cutoff_stays_in_the_class():
    # values 50 20 10 5 5 4 3 1 1 1 (total 100); share before each customer:
    # 0 .50 .70 .80 .85 .90 .94 .97 .98 .99 -> A A A B B B B C C C
    orders = pd.DataFrame({"customer_id": list("abcdefghij"), "amount": [50.0, 20, 10, 5, 5, 4, 3, 1, 1, 1]})
    assert "".join(I.abc_classes(orders)["abc_class"]) == "AAABBBBCCC"
    summary = I.abc_summary(orders)
    assert summary["customers"].tolist() == [3, 4, 3]
    assert summary["value"].tolist() == [80.0, 17.0, 3.0]
    assert summary["value_share"].tolist() == pytest.approx([0.80, 0.17, 0.03])
    assert summary["value_per_customer"].tolist() == pytest.approx([80 / 3, 17 / 4, 1.0])


def test_abc_with_one_cutoff_gives_two_classes():
    orders = pd.DataFrame({"customer_id": list("abc"), "amount": [60.0, 30.0, 10.0]})
    assert I.abc_classes(orders, cutoffs=(0.5,))["abc_class"].tolist() == ["A", "B", "B"]


@pytest.mark.parametrize("cutoffs", [(0.95, 0.8), (0.8, 1.0), (0.0, 0.5), (0.8, 0.8), (), ("x",), None])
def test_abc_rejects_bad_cutoffs(orders, cutoffs):
    with pytest.raises(CRMDataError, match="cutoffs"):
        I.abc_classes(orders, cutoffs=cutoffs)


def test_lorenz_curve_points():
    # values sorted up 1, 1, 2, 4 (total 8): running shares 0, 1/8, 2/8, 4/8, 8/8
    orders = pd.DataFrame({"customer_id": list("dcba"), "amount": [4.0, 2.0, 1.0, 1.0]})
    curve = I.lorenz_curve(orders)
    assert curve["customer_share"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert curve["value_share"].tolist() == [0, 0.125, 0.25, 0.5, 1.0]


def test_gini_by_hand():
    assert I.gini(pd.Series([1, 1, 1, 1])) == 0.0
    # one of four holds everything: (2*4 - 5) * 1 / (4 * 1) = 3/4 = (n - 1)/n
    assert I.gini(pd.Series([0, 0, 0, 1])) == pytest.approx(0.75)
    # 1 2 3 4: coefficients -3 -1 1 3 -> (-3 - 2 + 3 + 12) / (4 * 10) = 0.25
    assert I.gini(pd.Series([4, 2, 3, 1])) == pytest.approx(0.25)


def test_gini_is_one_minus_twice_the_area_under_the_lorenz_curve():
    orders = pd.DataFrame({"customer_id": list("abcdefg"), "amount": [3.0, 0, 7, 1, 1, 20, 5]})
    curve = I.lorenz_curve(orders)
    x, y = curve["customer_share"].to_numpy(), curve["value_share"].to_numpy()
    area = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
    assert I.gini(I.customer_totals(orders)) == pytest.approx(1 - 2 * area)


def test_customer_pyramid_default_tiers():
    # 100 customers worth 100, 99, ..., 1 (total 5050) and two with 0.
    # top = rank 1 (100); large = ranks 2-5 (99+98+97+96 = 390);
    # medium = ranks 6-20 (95..81 = 1320); small = ranks 21-100 (80..1 = 3240); inactive = 2
    orders = pd.DataFrame({"customer_id": range(102), "amount": [*range(100, 0, -1), 0.0, 0.0]})
    pyramid = I.customer_pyramid(orders)
    assert pyramid["tier"].tolist() == ["top", "large", "medium", "small", "inactive"]
    assert pyramid["customers"].tolist() == [1, 4, 15, 80, 2]
    assert pyramid["value"].tolist() == [100.0, 390.0, 1320.0, 3240.0, 0.0]
    assert pyramid["value_share"].tolist() == pytest.approx([100 / 5050, 390 / 5050, 1320 / 5050, 3240 / 5050, 0])
    assert pyramid["value_per_customer"].tolist() == pytest.approx([100, 97.5, 88, 40.5, 0])
    assert pyramid["customer_share"].sum() == pytest.approx(1.0)


def test_customer_pyramid_small_base_leaves_top_tier_thin():
    # 10 active customers: top ceil(0.1) = 1, large ceil(0.5) = 1 (nobody new), medium ceil(2) = 2
    orders = pd.DataFrame({"customer_id": range(10), "amount": np.arange(10.0, 0, -1)})
    assert I.customer_pyramid(orders)["customers"].tolist() == [1, 0, 1, 8, 0]
    assert np.isnan(I.customer_pyramid(orders)["value_per_customer"][1])


@pytest.mark.parametrize(
    "tiers, message",
    [
        ({"top": 0.5, "rest": 0.6}, "add up to 1"),
        ({"top": -0.2, "rest": 1.2}, "tiers"),
        ({"top": 0.2, "inactive": 0.8}, "inactive"),
        ({}, "tiers"),
        ([0.2, 0.8], "tiers"),
    ],
)
def test_customer_pyramid_rejects_bad_tiers(orders, tiers, message):
    with pytest.raises(CRMDataError, match=message):
        I.customer_pyramid(orders, tiers=tiers)


def test_rfm_table_by_hand(orders):
    # last order 2024-03-10 (the time of day is ignored), so as_of = 2024-03-11;
    # c: Feb 1 -> Mar 1 is 29 days (2024 is a leap year), + 10 = 39; d: Jan 15 -> Feb 1 is 17, + 39 = 56
    rfm = I.rfm_table(orders).set_index("customer_id")
    assert rfm["recency"].to_dict() == {"a": 1, "b": 6, "c": 39, "d": 56}
    assert rfm["frequency"].to_dict() == {"a": 2, "b": 1, "c": 1, "d": 1}
    assert rfm["monetary"].to_dict() == {"a": 80.0, "b": 20.0, "c": 15.0, "d": 5.0}
    later = I.rfm_table(orders, as_of="2024-03-31").set_index("customer_id")
    assert later["recency"].to_dict() == {"a": 21, "b": 26, "c": 59, "d": 76}


def test_rfm_table_accepts_time_zones(orders):
    aware = orders.assign(
        order_date=pd.to_datetime(orders["order_date"], format="mixed").dt.tz_localize("Asia/Shanghai")
    )
    assert I.rfm_table(aware, as_of="2024-03-31")["recency"].tolist() == [21, 26, 59, 76]


@pytest.mark.parametrize("as_of", ["2024-03-09", "someday", 20240301, None.__class__, float("nan")])
def test_rfm_table_rejects_bad_as_of(orders, as_of):
    with pytest.raises(CRMDataError, match="as_of|order_date"):
        I.rfm_table(orders, as_of=as_of)


def test_rfm_scores_quintiles_and_reversed_recency():
    rfm = pd.DataFrame(
        {
            "customer_id": list("abcde"),
            "recency": [3, 40, 10, 200, 90],
            "frequency": [6, 1, 2, 1, 3],
            "monetary": [900.0, 50, 300, 20, 150],
        }
    )
    scores = I.rfm_scores(rfm)
    assert scores["R"].tolist() == [5, 3, 4, 1, 2]  # most recent (3 days) scores 5
    assert scores["F"].tolist() == [5, 1, 3, 1, 4]  # b and d both ordered once: both score 1
    assert scores["M"].tolist() == [5, 2, 4, 1, 3]
    assert scores["RFM"].tolist() == ["555", "312", "434", "111", "243"]
    assert scores["RFM_sum"].tolist() == [15, 6, 11, 3, 9]


def test_rfm_scores_give_equal_customers_equal_scores():
    rfm = pd.DataFrame({"recency": [7] * 5, "frequency": [1] * 5, "monetary": [10.0] * 5})
    scores = I.rfm_scores(rfm)
    assert scores["F"].tolist() == [1] * 5  # nobody is worse than them
    assert scores["R"].tolist() == [1] * 5


def test_rfm_scores_a_tied_group_keeps_the_score_where_it_starts():
    # frequency 1, 1, 1, 2, 3 (five customers, five bins): below = 0, 0, 0, 3, 4 customers
    # score = 1 + below * 5 // 5 -> 1, 1, 1, 4, 5; scores 2 and 3 stay empty
    rfm = pd.DataFrame({"recency": [9, 8, 7, 6, 5], "frequency": [2, 1, 3, 1, 1], "monetary": [1.0, 2, 3, 4, 5]})
    assert I.rfm_scores(rfm)["F"].tolist() == [4, 1, 5, 1, 1]
    # recency 9 .. 5 days: the most recent (5) is best, R = 5
    assert I.rfm_scores(rfm)["R"].tolist() == [1, 2, 3, 4, 5]


def test_rfm_scores_three_bins():
    # ranks 1..6 cut at 1, 2.67, 4.33, 6 -> 1 1 2 2 3 3
    rfm = pd.DataFrame({"recency": range(6), "frequency": range(6), "monetary": [10.0, 20, 30, 40, 50, 60]})
    assert I.rfm_scores(rfm, bins=3)["M"].tolist() == [1, 1, 2, 2, 3, 3]


@pytest.mark.parametrize("bins", [1, 10, 2.5, "5", True])
def test_rfm_scores_rejects_bad_bins(bins):
    rfm = pd.DataFrame({"recency": range(12), "frequency": range(12), "monetary": range(12)})
    with pytest.raises(CRMDataError, match="bins"):
        I.rfm_scores(rfm, bins=bins)


def test_rfm_scores_need_as_many_customers_as_bins():
    rfm = pd.DataFrame({"recency": [1, 2], "frequency": [1, 2], "monetary": [1.0, 2.0]})
    with pytest.raises(CRMDataError, match="bins"):
        I.rfm_scores(rfm)


def test_every_one_of_the_125_score_combinations_has_exactly_one_segment():
    grid = pd.DataFrame(list(itertools.product(range(1, 6), repeat=3)), columns=["R", "F", "M"])
    segments = I.rfm_segments(grid)
    assert len(segments) == 125 and segments["segment"].notna().all()
    assert set(segments["segment"]) == set(I.RFM_SEGMENTS)  # all eleven are used
    assert list(segments["segment"].cat.categories) == list(I.RFM_SEGMENTS)


@pytest.mark.parametrize(
    "r, f, m, fm, segment",
    [
        (5, 5, 5, 5, "Champions"),
        (4, 4, 3, 4, "Champions"),
        (5, 1, 1, 1, "New"),
        (4, 1, 1, 1, "Promising"),
        (5, 2, 3, 3, "Potential loyalists"),
        (4, 3, 3, 3, "Loyal"),
        (3, 5, 4, 5, "Loyal"),
        (3, 3, 3, 3, "Need attention"),
        (3, 1, 2, 2, "About to sleep"),
        (2, 4, 4, 4, "At risk"),
        (1, 3, 2, 3, "At risk"),
        (1, 5, 3, 4, "Can't lose them"),
        (2, 2, 1, 2, "Hibernating"),
        (1, 1, 2, 2, "Lost"),
    ],
)
def test_rfm_segment_cells(r, f, m, fm, segment):
    row = I.rfm_segments(pd.DataFrame({"R": [r], "F": [f], "M": [m]})).iloc[0]
    assert (row["FM"], row["segment"]) == (fm, segment)


@pytest.mark.parametrize("value", [0, 6, 2.5, -1])
def test_rfm_segments_reject_scores_outside_1_to_5(value):
    with pytest.raises(CRMDataError, match="'F'"):
        I.rfm_segments(pd.DataFrame({"R": [1, 2], "F": [3, value], "M": [1, 1]}))


@pytest.fixture
def accounts():
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "margin": [900.0, 300.0, 100.0, 50.0],
            "marketing_cost": [80.0, 10.0, 30.0, 20.0],
            "cooperation_years": [6, 1, 4, 2],
        }
    )


_WEIGHTS = {"margin": 0.5, "marketing_cost": 0.2, "cooperation_years": 0.3}


def test_value_score_rank_scaling_by_hand(accounts):
    # percentiles: margin 1 .75 .5 .25; cost 1 .25 .75 .5 -> reversed 0 .75 .25 .5; years 1 .25 .75 .5
    scores = I.value_score(accounts, _WEIGHTS, cost=["marketing_cost"], future=["cooperation_years"])
    assert scores["margin_scaled"].tolist() == [1.0, 0.75, 0.5, 0.25]
    assert scores["marketing_cost_scaled"].tolist() == [0.0, 0.75, 0.25, 0.5]
    # current = .5 margin + .2 cost: .5, .525, .3, .225; future = .3 years: .3, .075, .225, .15
    assert scores["current_value"].tolist() == pytest.approx([0.5, 0.525, 0.3, 0.225])
    assert scores["future_value"].tolist() == pytest.approx([0.3, 0.075, 0.225, 0.15])
    assert scores["value_score"].tolist() == pytest.approx([0.8, 0.6, 0.525, 0.375])
    assert scores.index.equals(accounts.index)


def test_value_score_minmax_scaling_by_hand(accounts):
    # margin (v - 50)/850: 1, 250/850, 50/850, 0; cost (v - 10)/70 reversed: 0, 1, 5/7, 6/7;
    # years (v - 1)/5: 1, 0, .6, .2
    scores = I.value_score(accounts, _WEIGHTS, cost=["marketing_cost"], scaling="minmax")
    expected = [0.5 + 0.3, 0.5 * 250 / 850 + 0.2, 0.5 * 50 / 850 + 0.2 * 5 / 7 + 0.3 * 0.6, 0.2 * 6 / 7 + 0.3 * 0.2]
    assert scores["value_score"].tolist() == pytest.approx(expected)
    assert (scores["future_value"] == 0).all()  # nothing named as future: all value is current


def test_value_score_constant_criterion_and_ordered_category():
    accounts = pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "position": pd.Categorical(
                ["leader", "niche", "major"], categories=["niche", "follower", "major", "leader"], ordered=True
            ),
            "flat": [7.0, 7.0, 7.0],
        }
    )
    scores = I.value_score(accounts, {"position": 0.5, "flat": 0.5}, scaling="minmax")
    assert scores["position_scaled"].tolist() == pytest.approx([1.0, 0.0, 2 / 3])  # codes 3, 0, 2 over 0..3
    assert scores["flat_scaled"].tolist() == [0.5, 0.5, 0.5]


@pytest.mark.parametrize(
    "weights, message",
    [
        (
            {"margin": 0.5, "marketing_cost": 0.2, "cooperation_years": 0.2},
            r"add up to 0\.9 \(margin 0\.5, marketing_cost 0\.2",
        ),
        ({"margin": 1.2, "marketing_cost": -0.2}, "marketing_cost"),
        ({}, "weights"),
        ({"margin": "half", "cooperation_years": 0.5}, "margin"),
    ],
)
def test_value_score_rejects_bad_weights(accounts, weights, message):
    with pytest.raises(CRMDataError, match=message):
        I.value_score(accounts, weights)


def test_value_score_rejects_unknown_cost_and_future(accounts):
    with pytest.raises(CRMDataError, match="discount"):
        I.value_score(accounts, _WEIGHTS, cost=["discount"])
    with pytest.raises(CRMDataError, match="nps"):
        I.value_score(accounts, _WEIGHTS, future="nps")
    with pytest.raises(CRMDataError, match="scaling"):
        I.value_score(accounts, _WEIGHTS, scaling="zscore")


def test_account_tiers_ceil_and_ties():
    scores = pd.DataFrame({"value_score": [0.9, 0.5, 0.5, 0.1, 0.2, 0.3, 0.05]})
    # ceil(0.2 x 7) = 2: 0.9 and the first 0.5
    assert I.account_tiers(scores)["tier"].tolist() == ["strategic", "strategic"] + ["general"] * 5
    # ceil(0.1 x 7) = 1
    assert (I.account_tiers(scores, strategic_share=0.1)["tier"] == "strategic").sum() == 1


def test_account_weights_are_chapter_ones_split():
    weights = I.ACCOUNT_WEIGHTS
    current = weights["margin"] + weights["line_amount"] + weights["marketing_cost"]
    future = weights["industry_position"] + weights["cooperation_years"] + weights["satisfaction"]
    assert current == pytest.approx(0.6) and future == pytest.approx(0.4) and len(weights) == 6
    with pytest.raises(TypeError):
        weights["margin"] = 1.0  # read-only: a notebook cannot change the reference by accident


@pytest.mark.parametrize("share", [0, 1, 1.5, -0.2, "top", None])
def test_account_tiers_rejects_bad_share(share):
    with pytest.raises(CRMDataError, match="strategic_share"):
        I.account_tiers(pd.DataFrame({"value_score": [0.1, 0.2]}), strategic_share=share)


# ---------------------------------------------------------------------------------------------
# planted effects of the shipped data (datasets/README.md), found through identify
# ---------------------------------------------------------------------------------------------
def test_pareto_concentration_top_fifth(tea, retail):
    """README: the top 20 % bring 60–80 % of a brand's revenue (65.9 / 68.6 / 68.3 % shipped),
    and 50–80 % of the retailer's consumer revenue (59.6 %)."""
    for brand, orders in tea.orders.groupby("brand_id", observed=True):
        share = I.top_share(orders, customer="member_id", amount="net_amount")
        assert 0.60 <= share <= 0.80, brand
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    share = I.top_share(retail.orders[retail.orders["customer_id"].isin(consumers)])
    assert 0.50 <= share <= 0.80
    # the same number read off the Pareto table
    table = I.pareto_table(retail.orders[retail.orders["customer_id"].isin(consumers)])
    assert table.loc[table["cum_customer_share"] <= 0.2, "cum_value_share"].iloc[-1] == pytest.approx(share)


def test_lorenz_and_gini_agree_on_shipped_data(tea):
    orders = tea.orders[tea.orders["brand_id"] == "T1"]
    curve = I.lorenz_curve(orders, customer="member_id", amount="net_amount")
    x, y = curve["customer_share"].to_numpy(), curve["value_share"].to_numpy()
    g = I.gini(I.customer_totals(orders, customer="member_id", amount="net_amount"))
    assert g == pytest.approx(1 - float(np.sum(np.diff(x) * (y[1:] + y[:-1]))))
    assert 0.4 < g < 0.8  # concentrated, as the Pareto effect implies


def account_value_inputs(retail) -> pd.DataFrame:
    """The README's per-account table: money from the order lines, satisfaction = mean NPS."""
    accounts = retail.customers[retail.customers["customer_type"] == "business"]
    lines = retail.order_lines.merge(retail.orders[["order_id", "customer_id"]], on="order_id")
    money = lines.groupby("customer_id")[["margin", "line_amount", "marketing_cost"]].sum()
    nps = retail.surveys.groupby("customer_id")["nps_score"].mean()
    table = accounts.join(money, on="customer_id").fillna({"margin": 0.0, "line_amount": 0.0, "marketing_cost": 0.0})
    return table.assign(satisfaction=table["customer_id"].map(nps).fillna(nps.mean()))


def test_strategic_accounts_carry_most_of_the_margin(retail):
    """README: with rank scaling and the weights below, the top 20 % carry 0.72 ± 0.08 of margin."""
    accounts = account_value_inputs(retail)
    weights = {
        "margin": 0.30,
        "line_amount": 0.20,
        "marketing_cost": 0.10,
        "industry_position": 0.15,
        "cooperation_years": 0.15,
        "satisfaction": 0.10,
    }
    scores = I.value_score(
        accounts, weights, cost=["marketing_cost"], future=["industry_position", "cooperation_years", "satisfaction"]
    )
    tiers = I.account_tiers(scores)
    strategic = (tiers["tier"] == "strategic").to_numpy()
    assert strategic.sum() == 107  # ceil(0.2 x 532)
    share = accounts["margin"][strategic].sum() / accounts["margin"].sum()
    assert share == pytest.approx(0.72, abs=0.08)


def _consumer_rfm(retail):
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    return I.rfm_table(retail.orders[retail.orders["customer_id"].isin(consumers)], as_of="2026-01-01")


def _tea_member_rfm(tea, brand="T1"):
    orders = tea.orders[tea.orders["brand_id"] == brand]
    return I.rfm_table(orders, customer="member_id", date="order_time", amount="net_amount")


def test_rfm_on_retail_consumers_scores_equal_customers_alike(retail):
    rfm = _consumer_rfm(retail)
    assert len(rfm) == 10_000 and rfm["recency"].min() >= 1
    scores = I.rfm_segments(I.rfm_scores(rfm))
    # monetary has one tie across a boundary, so the fifths hold 2,000 customers give or take one
    assert scores["M"].value_counts().sort_index().tolist() == [2001, 2000, 1999, 2000, 2000]
    # 3,797 consumers ordered once: they all get F = 1, and score 3 stays empty
    assert scores.loc[scores["frequency"] == 1, "F"].unique().tolist() == [1]
    assert (scores["frequency"] == 1).sum() == 3797 and 3 not in set(scores["F"])
    assert scores.groupby(["recency", "frequency", "monetary"])["RFM"].nunique().max() == 1
    assert scores.groupby("segment", observed=True)["monetary"].mean().idxmax() == "Champions"


@pytest.mark.parametrize("source", ["tea members", "retail consumers"])
def test_rfm_scores_do_not_depend_on_row_order(source, tea, retail):
    rfm = _tea_member_rfm(tea) if source == "tea members" else _consumer_rfm(retail)
    codes = I.rfm_scores(rfm)["RFM"]
    for seed in (0, 1):
        shuffled = I.rfm_scores(rfm.sample(frac=1, random_state=seed))
        assert shuffled["RFM"].sort_index().equals(codes)


def test_rfm_types_on_tea_members_against_the_means(tea):
    rfm = _tea_member_rfm(tea)
    types = I.rfm_types(rfm)
    means = rfm[["recency", "frequency", "monetary"]].mean()
    assert types.attrs["rfm_thresholds"] == pytest.approx(
        {"recent_days": means["recency"], "min_orders": means["frequency"], "min_spend": means["monetary"]}
    )
    # counted again without rfm_types: recent and high spend but not frequent
    develop = (rfm["recency"] <= means["recency"]) & (rfm["frequency"] < means["frequency"])
    develop &= rfm["monetary"] >= means["monetary"]
    assert (types["中文"] == "重要发展客户").sum() == develop.sum()
    counts = types["rfm_type"].value_counts()
    assert counts.sum() == len(rfm) == 2600 and (counts > 0).all()  # all eight types occur
    # frequency and spend go together, so the types where F and M agree are the big ones
    zh = types["中文"].value_counts()
    agree = zh[["重要价值客户", "重要保持客户", "一般发展客户", "一般挽留客户"]].sum()
    assert agree > 0.8 * len(rfm)
    # the important value customers, a minority, bring most of the revenue
    best = types["rfm_type"] == "important value customer"
    assert best.mean() < 0.3 and rfm.loc[best, "monetary"].sum() > 0.5 * rfm["monetary"].sum()


# ---------------------------------------------------------------------------------------------
# bad input: every public function x each way its input can be wrong
# ---------------------------------------------------------------------------------------------
_ORDERS = pd.DataFrame(
    {
        "customer_id": ["a", "b", "a", "c", "d"],
        "order_date": ["2024-03-01", "2024-03-05", "2024-03-10", "2024-02-01", "2024-01-15"],
        "amount": [50.0, 20.0, 30.0, 15.0, 5.0],
    }
)
_ORDER_FUNCTIONS = [
    I.customer_totals,
    I.pareto_table,
    I.top_share,
    I.top_share_interval,
    I.abc_classes,
    I.abc_summary,
    I.lorenz_curve,
    I.customer_pyramid,
    I.rfm_table,
]
_ORDER_BREAKAGES = [
    ("missing column", "customer_id"),
    ("missing column", "amount"),
    ("gap", "customer_id"),
    ("gap", "amount"),
    ("text", "amount"),
    ("negative", "amount"),
    ("infinite", "amount"),
    ("true/false", "amount"),
    ("empty", "orders"),
]


@pytest.mark.parametrize("function", _ORDER_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("how, column", _ORDER_BREAKAGES)
def test_order_functions_name_the_bad_column(function, how, column):
    frame = broken(_ORDERS, how, None if how == "empty" else column)
    with pytest.raises(CRMDataError, match=column):
        function(frame)


@pytest.mark.parametrize("how", ["missing column", "gap", "bad date", "number date"])
def test_rfm_table_names_the_bad_date_column(how):
    with pytest.raises(CRMDataError, match="order_date"):
        I.rfm_table(broken(_ORDERS, how, "order_date"))


@pytest.mark.parametrize(
    "function",
    [I.pareto_table, I.lorenz_curve, I.customer_pyramid, I.top_share, I.top_share_interval],
    ids=lambda f: f.__name__,
)
def test_all_zero_amounts_are_refused(function):
    with pytest.raises(CRMDataError, match="amount"):
        function(_ORDERS.assign(amount=0.0))


@pytest.mark.parametrize(
    "values, message",
    [
        (pd.Series([], dtype=float), "no rows"),
        (pd.Series([1.0, -2.0]), "negative"),
        (pd.Series([1.0, None]), "missing"),
        (pd.Series(["a", "b"]), "not numbers"),
        (pd.Series([0, 0]), "add up to 0"),
        (pd.Series([1.0, np.inf]), "infinite"),
        ([1, 2, 3], "Series"),
        (_ORDERS, "Series"),
    ],
)
def test_gini_rejects_bad_values(values, message):
    with pytest.raises(CRMDataError, match=message):
        I.gini(values)


_RFM = pd.DataFrame(
    {"recency": [1, 5, 9, 20, 40, 3], "frequency": [3, 1, 1, 2, 1, 5], "monetary": [30.0, 5, 8, 12, 4, 50]}
)


@pytest.mark.parametrize(
    "how, column",
    [
        ("missing column", "recency"),
        ("missing column", "monetary"),
        ("gap", "frequency"),
        ("text", "monetary"),
        ("true/false", "recency"),
        ("empty", "rfm"),
    ],
)
def test_rfm_scores_name_the_bad_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        I.rfm_scores(broken(_RFM, how, None if how == "empty" else column))


_SCORES = pd.DataFrame({"R": [5, 3, 1], "F": [4, 2, 1], "M": [5, 3, 2]})


@pytest.mark.parametrize(
    "how, column", [("missing column", "R"), ("gap", "F"), ("text", "M"), ("negative", "M"), ("empty", "scores")]
)
def test_rfm_segments_name_the_bad_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        I.rfm_segments(broken(_SCORES, how, None if how == "empty" else column))


@pytest.mark.parametrize(
    "how, column",
    [
        ("missing column", "customer_id"),
        ("missing column", "margin"),
        ("gap", "margin"),
        ("gap", "customer_id"),
        ("text", "cooperation_years"),
        ("infinite", "marketing_cost"),
        ("true/false", "margin"),
        ("duplicate key", "customer_id"),
        ("empty", "accounts"),
    ],
)
def test_value_score_names_the_bad_column(accounts, how, column):
    with pytest.raises(CRMDataError, match=column):
        I.value_score(broken(accounts, how, None if how in ("empty", "duplicate key") else column), _WEIGHTS)


def test_value_score_refuses_an_unordered_category(accounts):
    with pytest.raises(CRMDataError, match="cooperation_years"):
        I.value_score(accounts.assign(cooperation_years=pd.Categorical(["x", "y", "x", "y"])), _WEIGHTS)


@pytest.mark.parametrize(
    "how, column",
    [("missing column", "value_score"), ("gap", "value_score"), ("text", "value_score"), ("empty", "scores")],
)
def test_account_tiers_name_the_bad_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        I.account_tiers(broken(pd.DataFrame({"value_score": [0.3, 0.1, 0.9]}), how, None if how == "empty" else column))


# ---------------------------------------------------------------------------------------------
# generated messy frames: every public function either works or raises CRMDataError
# ---------------------------------------------------------------------------------------------
_order_cells = {"customer_id": st.one_of(_ids, st.integers(0, 3)), "order_date": _dates, "amount": _money}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_frames(_order_cells), st.sampled_from(_ORDER_FUNCTIONS))
def test_order_functions_only_fail_with_crmdataerror(frame, function):
    result = only_crmdataerror(function, frame)
    if isinstance(result, pd.DataFrame) and "cum_value_share" in result:
        assert result["cum_value_share"].is_monotonic_increasing
        assert result["cum_value_share"].iloc[-1] == pytest.approx(1.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    messy_frames(_order_cells),
    st.sampled_from([None, "2024-12-31", "2023-01-01", "0001-01-01", "9999-12-31", "not a date", 5]),
)
def test_rfm_table_only_fails_with_crmdataerror(frame, as_of):
    result = only_crmdataerror(I.rfm_table, frame, as_of=as_of)
    if result is not None:
        assert (result["recency"] >= 0).all() and (result["frequency"] >= 1).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(-3, 100), st.sampled_from(["x", None])), max_size=8))
def test_gini_only_fails_with_crmdataerror(values):
    result = only_crmdataerror(I.gini, pd.Series(values, dtype=object))
    if result is not None:
        assert 0.0 <= result < 1.0


_rfm_cells = {"recency": st.integers(0, 400), "frequency": st.integers(1, 30), "monetary": _money}
_score_cells = {"R": st.integers(1, 5), "F": st.integers(1, 5), "M": st.integers(1, 5)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_frames(_rfm_cells), st.sampled_from([5, 3, 0]))
def test_rfm_scores_then_segments_only_fail_with_crmdataerror(frame, bins):
    scores = only_crmdataerror(I.rfm_scores, frame, bins=bins)
    if scores is not None and bins == 5:
        assert scores[["R", "F", "M"]].isin(range(1, 6)).all().all()
        assert I.rfm_segments(scores)["segment"].notna().all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_frames(_score_cells))
def test_rfm_segments_only_fail_with_crmdataerror(frame):
    only_crmdataerror(I.rfm_segments, frame)


_account_cells = {
    "customer_id": st.integers(0, 40),
    "margin": st.floats(-1e6, 1e6),
    "marketing_cost": _money,
    "position": st.sampled_from(["niche", "follower", "major", "leader"]),
}


@st.composite
def account_frames(draw):
    frame = draw(messy_frames(_account_cells, unique=("customer_id",)))
    if "position" in frame and draw(st.integers(0, 3)) > 0:  # mostly an ordered category, as in the data
        levels = ["niche", "follower", "major", "leader"]
        frame["position"] = pd.Categorical(
            frame["position"].astype(object).where(frame["position"].isin(levels)), categories=levels, ordered=True
        )
    return frame


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(account_frames(), st.sampled_from(["rank", "minmax"]), st.sampled_from([0.2, 0.5, 1.0]))
def test_value_score_and_tiers_only_fail_with_crmdataerror(frame, scaling, share):
    weights = {"margin": 0.5, "marketing_cost": 0.3, "position": 0.2}
    scores = only_crmdataerror(
        I.value_score, frame, weights, cost=["marketing_cost"], future=["position"], scaling=scaling
    )
    if scores is not None:
        assert scores["value_score"].between(0, 1).all()
        only_crmdataerror(I.account_tiers, scores, strategic_share=share)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_frames({"value_score": st.floats(-5, 5)}))
def test_account_tiers_only_fail_with_crmdataerror(frame):
    only_crmdataerror(I.account_tiers, frame)


def test_account_criteria_match_the_plain_pandas_assembly(retail):
    from test_planted_effects import account_value_table

    ours = I.account_criteria(retail.customers, retail.orders, retail.order_lines, retail.surveys).set_index(
        "customer_id"
    )
    plain = account_value_table(retail)
    for column in ["margin", "line_amount", "marketing_cost"]:
        assert ours[column].to_numpy() == pytest.approx(plain.loc[ours.index, column].to_numpy())
    answered = ours["satisfaction"].notna()
    assert ours.loc[answered, "satisfaction"].to_numpy() == pytest.approx(
        plain.loc[ours.index[answered], "satisfaction"].to_numpy()
    )


def test_account_criteria_reject_a_missing_column(retail):
    with pytest.raises(CRMDataError, match="margin"):
        I.account_criteria(retail.customers, retail.orders, retail.order_lines.drop(columns="margin"), retail.surveys)


# ---------------------------------------------------------------------------------------------
# what the chapter 1 explorers show: Pareto curves by group, member profiles, the value-score
# balance, RFM thresholds (the eight customer types), budget allocation
# ---------------------------------------------------------------------------------------------
def test_pareto_curves_by_group_in_category_order_and_top_shares():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e", "a"],
            "amount": [6.0, 2.0, 1.0, 3.0, 1.0, 2.0],
            "shop": pd.Categorical(["y", "y", "y", "x", "x", "y"], categories=["y", "x"]),
        }
    )
    curves = I.pareto_curves(orders, by="shop")
    assert list(curves) == ["y", "x"]
    assert curves["y"]["cum_value_share"].tolist() == pytest.approx([8 / 11, 10 / 11, 1.0])
    # top 40 %: ceil(0.4 x 3) = 2 of shop y's customers, ceil(0.4 x 2) = 1 of shop x's
    assert I.top_shares(curves, 40) == pytest.approx({"y": 10 / 11, "x": 0.75})
    assert I.top_shares(I.pareto_curves(orders), 100) == {None: 1.0}


@pytest.mark.parametrize("top_pct", [0, -5, 101, "20", True, None])
def test_top_shares_refuse_a_bad_percentage(top_pct):
    with pytest.raises(CRMDataError, match="top_pct"):
        I.top_shares(I.pareto_curves(_ORDERS), top_pct)


def test_pareto_curves_name_the_bad_column():
    with pytest.raises(CRMDataError, match="no column 'brand'"):
        I.pareto_curves(_ORDERS, by="brand")
    with pytest.raises(CRMDataError, match="amount"):
        I.pareto_curves(broken(_ORDERS.assign(shop="x"), "negative", "amount"), by="shop")
    with pytest.raises(CRMDataError, match="curves"):
        I.top_shares({}, 20)


_PROFILES = pd.DataFrame(
    {
        "brand_id": ["A", "A", "A", "A", "B", "B"],
        "age": ["young", "young", "old", "old", "young", "old"],
        "spend": [10.0, 10.0, 40.0, 40.0, 30.0, 10.0],
    }
)


def test_profile_shares_and_largest_gap_by_hand():
    members = I.profile_shares(_PROFILES, "age")
    revenue = I.profile_shares(_PROFILES, "age", measure="revenue")
    assert members.loc[["old", "young"], ["A", "B"]].to_numpy().tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert revenue.loc[["old", "young"], ["A", "B"]].to_numpy().tolist() == [[0.8, 0.25], [0.2, 0.75]]
    # gaps: A old/young 0.3, B old/young 0.25; the first largest in row order is A, old
    assert I.largest_gap(_PROFILES, "age") == {"brand": "A", "group": "old", "member_share": 0.5, "revenue_share": 0.8}


@pytest.mark.parametrize(
    "how, column",
    [("missing column", "age"), ("gap", "brand_id"), ("negative", "spend"), ("text", "spend"), ("empty", "profiles")],
)
def test_profile_shares_name_the_bad_column(how, column):
    with pytest.raises(CRMDataError, match=column):
        I.profile_shares(broken(_PROFILES, how, None if how == "empty" else column), "age", measure="revenue")


def test_profile_shares_refuse_an_unknown_measure_and_a_brand_without_revenue():
    with pytest.raises(CRMDataError, match="measure"):
        I.profile_shares(_PROFILES, "age", measure="visits")
    with pytest.raises(CRMDataError, match="add up to 0"):
        I.profile_shares(_PROFILES.assign(spend=[0.0, 0, 0, 0, 1, 1]), "age", measure="revenue")


def test_value_indices_and_balance_split_by_hand():
    accounts = pd.DataFrame(
        {"customer_id": list("abcd"), "margin": [900.0, 300.0, 100.0, 50.0], "cooperation_years": [1, 6, 4, 2]}
    )
    indices = I.value_indices(accounts, {"margin": 0.6, "cooperation_years": 0.4}, future=["cooperation_years"])
    # rank scaling: margin 1, 0.75, 0.5, 0.25; years 0.25, 1, 0.75, 0.5
    split = I.balance_split(
        indices,
        accounts,
        0.5,
        strategic_share=0.5,
        baseline=pd.Series(["strategic", "general", "general", "strategic"]),
    )
    assert split["score"].tolist() == pytest.approx([0.625, 0.875, 0.625, 0.375])
    assert split["tiers"].tolist() == ["strategic", "strategic", "general", "general"]  # a ties c, a comes first
    assert split["threshold"] == 0.625 and split["strategic"] == 2 and split["future_weight"] == 0.5
    assert split["margin_share"] == pytest.approx(1200 / 1350)
    assert split["moved"].tolist() == [False, True, False, True] and split["changed"] == 2


def test_balance_functions_refuse_bad_input():
    indices = pd.DataFrame({"current_index": [1.0, 0.5], "future_index": [0.5, 1.0]})
    accounts = pd.DataFrame({"margin": [10.0, 20.0]})
    with pytest.raises(CRMDataError, match="future_weight"):
        I.balance_split(indices, accounts, 1.5)
    with pytest.raises(CRMDataError, match="rows"):
        I.balance_split(indices, pd.DataFrame({"margin": [10.0, 20.0, 5.0]}), 0.5)
    with pytest.raises(CRMDataError, match="margin"):
        I.balance_split(indices, broken(accounts, "negative", "margin"), 0.5)
    with pytest.raises(CRMDataError, match="steps"):
        I.balance_curve(indices, accounts, steps=1)
    with pytest.raises(CRMDataError, match="future"):
        I.value_indices(pd.DataFrame({"customer_id": ["a", "b"], "margin": [1.0, 2.0]}), {"margin": 1.0})


def test_rfm_types_by_hand_against_the_means():
    # means: recency (10 + 20 + 200 + 300 + 20) / 5 = 110 days, frequency (8 + 1 + 6 + 1 + 4) / 5 = 4,
    # monetary (900 + 400 + 500 + 50 + 150) / 5 = 400 CNY
    rfm = pd.DataFrame(
        {
            "member": list("abcde"),
            "recency": [10, 20, 200, 300, 20],
            "frequency": [8, 1, 6, 1, 4],
            "monetary": [900.0, 400.0, 500.0, 50.0, 150.0],
        }
    )
    types = I.rfm_types(rfm)
    assert types.attrs["rfm_thresholds"] == {"recent_days": 110.0, "min_orders": 4.0, "min_spend": 400.0}
    assert types["R_level"].tolist() == ["high", "high", "low", "low", "high"]
    assert types["F_level"].tolist() == ["high", "low", "high", "low", "high"]  # e has exactly the mean
    assert types["M_level"].tolist() == ["high", "high", "high", "low", "low"]  # b has exactly the mean
    assert types["中文"].tolist() == ["重要价值客户", "重要发展客户", "重要保持客户", "一般挽留客户", "一般价值客户"]
    assert types["rfm_type"].tolist() == [
        "important value customer",
        "important customer to develop",
        "important customer to keep",
        "general customer to win back",
        "general value customer",
    ]
    assert list(types["rfm_type"].cat.categories) == [en for en, _, _ in I.RFM_TYPES.values()]
    assert types["member"].tolist() == list("abcde") and "R_level" not in rfm.columns


def test_rfm_types_with_stated_thresholds_count_the_threshold_itself_as_reached():
    rfm = pd.DataFrame(
        {"recency": [90, 91, 10, 10], "frequency": [3, 3, 2, 3], "monetary": [100.0, 100.0, 500.0, 99.9]}
    )
    expected = ["重要价值客户", "重要保持客户", "重要发展客户", "一般价值客户"]
    assert I.rfm_types(rfm, 90, 3, 100)["中文"].tolist() == expected
    # only one threshold stated: the others are the means (frequency 2.75, spend 199.975)
    assert I.rfm_types(rfm, recent_days=90)["F_level"].tolist() == ["high", "high", "low", "high"]
    summary = I.threshold_summary(rfm, 90, 3, 100)
    assert summary["rfm_type"].tolist() == [en for en, _, _ in I.RFM_TYPES.values()]
    assert summary["中文"].iloc[0] == "重要价值客户"
    assert summary["action"].iloc[0] == I.RFM_TYPES[(True, True, True)][2]
    assert summary.set_index("中文")["revenue"].to_dict() == pytest.approx(
        {
            "重要价值客户": 100.0,
            "重要发展客户": 500.0,
            "重要保持客户": 100.0,
            "重要挽留客户": 0.0,
            "一般价值客户": 99.9,
            "一般发展客户": 0.0,
            "一般保持客户": 0.0,
            "一般挽留客户": 0.0,
        }
    )
    assert I.default_thresholds(rfm) == {"recent_days": 50, "min_orders": 3, "min_spend": 100}


def test_rfm_types_read_other_column_names():
    rfm = pd.DataFrame({"days": [5, 50], "orders": [4, 1], "paid": [80.0, 20.0]})
    types = I.rfm_types(rfm, recency="days", frequency="orders", monetary="paid")
    assert types["中文"].tolist() == ["重要价值客户", "一般挽留客户"]


@pytest.mark.parametrize(
    "how, column", [("missing column", "recency"), ("gap", "frequency"), ("text", "monetary"), ("empty", "rfm")]
)
def test_threshold_functions_name_the_bad_column(how, column):
    frame = broken(_RFM, how, None if how == "empty" else column)
    functions = (
        lambda: I.threshold_summary(frame, 30, 2, 10),
        lambda: I.default_thresholds(frame),
        lambda: I.rfm_types(frame),
    )
    for function in functions:
        with pytest.raises(CRMDataError, match=column):
            function()


@pytest.mark.parametrize(
    "thresholds, name",
    [
        ((0, 2, 10), "recent_days"),
        ((30, -1, 10), "min_orders"),
        ((30, 2, -5), "min_spend"),
        ((30, "x", 10), "min_orders"),
    ],
)
def test_rfm_types_refuse_bad_thresholds(thresholds, name):
    with pytest.raises(CRMDataError, match=name):
        I.rfm_types(_RFM, *thresholds)


_SEGMENTS = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90], "expected_spend": [500.0, 50.0]})


def test_allocate_budget_caps_each_segment_and_leaves_the_rest_unspent():
    # 2,500 CNY at 20 CNY a customer: big is capped at 10 x 20 = 200, small at 90 x 20 = 1,800
    for method in I.ALLOCATION_METHODS:
        plan = I.allocate_budget(_SEGMENTS, 2500, 0.1, 20, method)
        assert plan["budget"].tolist() == pytest.approx([200.0, 1800.0])
        assert plan["extra_revenue"].tolist() == pytest.approx([500.0, 450.0])
    # 300 CNY by return: weights 5,000 and 4,500, so big would get 157.9, below its cap
    plan = I.allocate_budget(_SEGMENTS, 300, 0.1, 20, "return")
    assert plan["budget"].tolist() == pytest.approx([300 * 5000 / 9500, 300 * 4500 / 9500])
    totals = I.compare_allocations(_SEGMENTS, 2500, 0.1, 20, margin_rate=0.3)
    assert totals["budget_spent"].tolist() == pytest.approx([2000.0] * 3)
    assert totals.loc["equal", "margin_per_cny"] == pytest.approx(950 * 0.3 / 2000)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"method": "random"}, "method"),
        ({"budget": -1}, "budget"),
        ({"lift": -0.1}, "lift"),
        ({"cost_per_customer": 0}, "cost_per_customer"),
    ],
)
def test_allocate_budget_refuses_bad_numbers(kwargs, name):
    args = {"budget": 1000, "lift": 0.1, "cost_per_customer": 20, **kwargs}
    with pytest.raises(CRMDataError, match=name):
        I.allocate_budget(_SEGMENTS, **args)


@pytest.mark.parametrize(
    "how, column",
    [
        ("missing column", "expected_spend"),
        ("negative", "expected_spend"),
        ("text", "customers"),
        ("duplicate key", "segment"),
        ("empty", "segments"),
    ],
)
def test_allocate_budget_names_the_bad_column(how, column):
    frame = broken(_SEGMENTS, how, None if how in ("empty", "duplicate key") else column)
    with pytest.raises(CRMDataError, match=column):
        I.allocate_budget(frame, 1000, 0.1, 20)
    with pytest.raises(CRMDataError, match="margin_rate"):
        I.compare_allocations(_SEGMENTS, 1000, 0.1, 20, margin_rate=1.5)
