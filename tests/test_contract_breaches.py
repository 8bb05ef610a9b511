"""Each breach of the contract listed in issue 15 ends in a CRMDataError that names the table, the
column, the rows and a fix that names the keyword argument, or in a correct result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlib import CRMDataError, clv, develop, identify, loyalty, validate


def orders(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "member": ["a", "b", "a", "c"],
            "when": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-09", "2024-03-10"]),
            "paid": [10.0, 20.0, 5.0, 1.0],
        }
    )
    return frame.assign(**changes)


ARGS = dict(customer="member", amount="paid")


def test_duplicate_column_names():
    frame = pd.concat([orders(), orders()[["paid"]]], axis=1)
    with pytest.raises(CRMDataError, match=r"orders: column 'paid' appears 2 times\. Fix: rename or drop"):
        identify.pareto_table(frame, **ARGS)


@pytest.mark.parametrize("cell, word", [([1, 2], "list or dicts"), ({"id": 1}, "list or dicts")])
def test_lists_or_dicts_in_key_cells(cell, word):
    frame = orders(member=pd.Series(["a", cell, "a", "c"], dtype=object))
    with pytest.raises(
        CRMDataError,
        match=rf"orders: column 'member' has 1 value that are {word}, not ids.*\(row 1\)\. "
        r"Fix: pass the column that holds one id per row, e.g. customer=\"your_column\"",
    ):
        identify.customer_totals(frame, **ARGS)


def test_nat_in_an_object_date_column_is_a_missing_date():
    frame = orders(when=pd.Series(["2024-01-05", pd.NaT, "2024-03-09", "2024-03-10"], dtype=object))
    with pytest.raises(CRMDataError, match=r"orders: column 'when' has 1 missing value \(row 1\)"):
        identify.rfm_table(frame, date="when", **ARGS)


@pytest.mark.parametrize(
    "values, what",
    [(pd.to_datetime(["2024-01-01"] * 4), "dates"), (pd.to_timedelta([1, 2, 3, 4], unit="D"), "durations")],
)
def test_datetimes_or_timedeltas_given_as_money(values, what):
    with pytest.raises(
        CRMDataError,
        match=rf"orders: column 'paid' holds {what}, not numbers\. "
        r"Fix: pass the column that holds numbers, e.g. amount=\"your_column\"",
    ):
        identify.customer_totals(orders(paid=values), **ARGS)


def test_one_key_written_as_7_and_as_text_7():
    frame = orders(member=pd.Series([7, "7", "8", 8], dtype=object))
    with pytest.raises(
        CRMDataError,
        match=r"column 'member' has 4 values that write one id both as a number and as text, "
        r"e\.g\. 7 and '7' \(rows 0, 1, 2, 3\)\. Fix: write every id the same way",
    ):
        identify.customer_totals(frame, **ARGS)
    # numbers and other text that cannot be confused are one customer each, as before
    mixed = identify.customer_totals(orders(member=pd.Series([7, "x", 7, "y"], dtype=object)), **ARGS)
    assert mixed.to_dict() == {7: 15.0, "x": 20.0, "y": 1.0}


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_or_whitespace_ids(blank):
    with pytest.raises(
        CRMDataError,
        match=r"column 'member' has 1 blank id \(empty text or spaces only\) \(row 2\)\. "
        r"Fix: fill in the ids or drop those rows",
    ):
        identify.customer_totals(orders(member=["a", "b", blank, "c"]), **ARGS)


def test_dates_outside_the_plausible_window_and_how_to_widen_it():
    typo = orders(when=pd.to_datetime(["2024-01-05", "2200-02-01", "2024-03-09", "2024-03-10"]))
    with pytest.raises(
        CRMDataError,
        match=r"column 'when' has 1 date outside 1990-01-01 to a year after today, "
        r"e\.g\. 2200-02-01 \(row 1\)\. Fix: .*set_date_window",
    ):
        identify.rfm_table(typo, date="when", **ARGS)
    old = orders(when=pd.to_datetime(["1985-01-05", "1986-02-01", "1986-03-09", "1986-03-10"]))
    with pytest.raises(CRMDataError, match="1 date outside|4 dates outside"):
        identify.rfm_table(old, date="when", **ARGS)
    try:
        validate.set_date_window(earliest="1980-01-01")
        # last orders 1986-03-09 (a), 1986-02-01 (b), 1986-03-10 (c), counted from the day after the last order
        assert identify.rfm_table(old, date="when", **ARGS)["recency"].tolist() == [2, 38, 1]
    finally:
        validate.set_date_window()


def test_join_keys_of_different_types():
    deals = pd.DataFrame(
        {
            "opportunity_id": [1, 2, 3],
            "status": ["won", "lost", "won"],
            "close_date": pd.to_datetime(["2024-02-01"] * 3),
        }
    )
    visits = pd.DataFrame(
        {
            "opportunity_id": ["1", "1", "3"],
            "activity_type": ["visit"] * 3,
            "activity_date": pd.to_datetime(["2024-01-10"] * 3),
        }
    )
    with pytest.raises(
        CRMDataError,
        match=r"opportunities and activities are joined on 'opportunity_id'.*one holds "
        r"numbers and the other text, so no row would match\. Fix: make both text",
    ):
        develop.win_rate_by_touches(deals, visits)
    same = develop.win_rate_by_touches(deals.assign(opportunity_id=deals["opportunity_id"].astype(str)), visits)
    assert same[["touches", "deals", "wins"]].values.tolist() == [[0, 1, 0], [1, 1, 1], [2, 1, 1]]


def test_label_sets_that_differ_in_case():
    spend = pd.DataFrame({"channel": ["Referral", "ads"], "spend_cny": [300.0, 900.0]})
    arrivals = pd.DataFrame({"acquisition_channel": ["referral", "ads", "ads"]})
    with pytest.raises(
        CRMDataError,
        match=r"spend: label 'Referral' \(channel\) is not in the other table, which has "
        r"'referral' \(differs only in case or spaces\)",
    ):
        develop.acquisition_cost(spend, arrivals)
    fixed = develop.acquisition_cost(spend.assign(channel=spend["channel"].str.lower()), arrivals)
    assert fixed.set_index("channel")["cost_per_acquisition"].to_dict() == {"referral": 300.0, "ads": 450.0}


@pytest.mark.parametrize(
    "call, pattern",
    [
        (
            lambda: identify.rfm_scores(identify.rfm_table(orders(), date="when", **ARGS), bins=True),
            "bins must be a whole number",
        ),
        (lambda: identify.customer_totals(orders(paid=[True, False, True, True]), **ARGS), "true/false"),
        (
            lambda: loyalty.churn_labels(orders(), as_of="2024-02-01", horizon_days=True, date="when", **ARGS),
            "horizon_days",
        ),
    ],
)
def test_booleans_where_counts_or_periods_are_expected(call, pattern):
    with pytest.raises(CRMDataError, match=pattern):
        call()


@pytest.mark.parametrize(
    "call, pattern",
    [
        (
            lambda: loyalty.simple_clv(100, 0.8, discount_rate=12),
            r"simple_clv: discount_rate must be between 0 and 1, got 12\. Fix",
        ),
        (
            lambda: clv.clv(
                clv.BetaGeo.from_params(r=0.5, alpha=5.0, a=0.8, b=2.5),
                clv.GammaGamma.from_params(p=6, q=4, v=15),
                pd.DataFrame({"frequency": [1], "recency": [2.0], "T": [3.0], "monetary_value": [10.0]}),
                months=10**6,
            ),
            r"clv: months must be between 1 and 1200, got 1000000\. Fix: pass e\.g\. months=12",
        ),
        (
            lambda: clv.BetaGeo.from_params(r=0.5, alpha=5.0, a=0.8, b=2.5).expected_purchases(np.inf),
            r"t must be a finite number between 0 and 36500, got inf",
        ),
    ],
)
def test_rates_and_horizons_out_of_range(call, pattern):
    with pytest.raises(CRMDataError, match=pattern):
        call()


def test_three_level_scores_where_five_levels_are_expected():
    rfm = pd.DataFrame({"recency": range(10), "frequency": range(1, 11), "monetary": np.arange(10.0)})
    with pytest.raises(
        CRMDataError,
        match=r"scores run from 1 to 3 \(rfm_scores\(bins=3\)\).*Fix: score with rfm_scores\(rfm, bins=5\)",
    ):
        identify.rfm_segments(identify.rfm_scores(rfm, bins=3))
    assert identify.rfm_segments(identify.rfm_scores(rfm, bins=5))["segment"].notna().all()


def test_sums_that_overflow():
    with pytest.raises(CRMDataError, match=r"column 'paid' adds up to more than a float can hold"):
        identify.customer_totals(orders(paid=[1e308] * 4), **ARGS)


@pytest.mark.parametrize(
    "call, pattern",
    [
        (
            lambda: develop.funnel_table(pd.DataFrame({"stage": ["won"], "source": ["x"]}), by="stage"),
            r"by='stage' is the stage column itself",
        ),
        (
            lambda: develop.funnel_table(pd.DataFrame({"stage": ["won"]}), by=["source"]),
            r"by must be a column name or text or None, got \['source'\]\. Fix: pass e\.g\. by=\"column_name\"",
        ),
        (
            lambda: identify.value_score(pd.DataFrame({"customer_id": ["a"], "m": [1.0]}), {"m": 1.0}, future=None),
            r"future must be a column name or a list",
        ),
        (
            lambda: __import__("crmlib.information", fromlist=["x"]).field_completeness(
                pd.DataFrame({"a": [1]}), fields=5
            ),
            r"fields must be a list of column names, got 5",
        ),
        (
            lambda: clv.simulate_bgnbd(10, 0.5, 5.0, 0.8, 2.5, seed="x"),
            r"seed must be a whole number >= 0, got 'x'\. Fix: pass e\.g\. seed=1",
        ),
        (
            lambda: identify.pareto_table(orders(), customer=["member"], amount="paid"),
            r"pareto_table: customer must be a column name or text, got \['member'\]\. "
            r"Fix: pass e\.g\. customer=\"customer_id\"",
        ),
    ],
)
def test_bad_keyword_types(call, pattern):
    with pytest.raises(CRMDataError, match=pattern):
        call()


def test_a_missing_column_fix_names_the_keyword_argument():
    with pytest.raises(
        CRMDataError,
        match=r"orders: column 'client_code' is missing .*Fix: rename your column to 'client_code' "
        r"or pass its name, e\.g\. customer=\"your_column\"",
    ):
        identify.customer_totals(orders(), customer="client_code", amount="paid")
    with pytest.raises(  # a near miss is taken for a typo
        CRMDataError,
        match=r"orders: column 'member_id' is missing .*Fix: check the spelling: the table has 'member', "
        r"so pass customer=\"member\"",
    ):
        identify.customer_totals(orders(), customer="member_id", amount="paid")


def test_build_sqlite_refuses_missing_primary_keys(tmp_path, retail):
    from crmlib import information
    from crmlib.datasets import Dataset

    tables = {table: retail[table] for table in retail.tables}
    tables["sales_reps"] = retail.sales_reps.assign(rep_id=[None] + retail.sales_reps["rep_id"].tolist()[1:])
    broken = Dataset("retail", tables)
    with pytest.raises(CRMDataError, match=r"rep_id"):
        information.build_sqlite(broken, tmp_path / "crm.sqlite")
    assert not (tmp_path / "crm.sqlite").exists()
