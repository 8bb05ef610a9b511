"""crmlib.validate: every problem becomes a CRMDataError naming table, column, rows and fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib import CRMDataError, validate

ORDERS = {"customer_id": "key", "order_date": "date", "amount": "money"}


def orders(**changes):
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "order_date": ["2024-01-05", "2024-02-01", "2024-03-09"],
            "amount": [10.0, 0.0, 25.5],
        }
    )
    return frame.assign(**changes)


def test_good_table_is_returned_typed_and_input_untouched():
    raw = orders()
    checked = validate.table(raw, "orders", ORDERS)
    assert pd.api.types.is_datetime64_any_dtype(checked["order_date"])
    assert checked["amount"].tolist() == [10.0, 0.0, 25.5]
    assert raw["order_date"].tolist() == ["2024-01-05", "2024-02-01", "2024-03-09"]


@pytest.mark.parametrize(
    "frame, message",
    [
        (
            orders().drop(columns="amount"),
            r"orders: column 'amount' is missing \(the table has: customer_id, order_date\)\. Fix: rename",
        ),
        (
            orders(amount=[10.0, -3.0, -1.0]),
            r"orders: column 'amount' has 2 negative values \(rows 1, 2\)\. Fix: money amounts must be >= 0",
        ),
        (orders(amount=[10.0, np.nan, 1.0]), r"orders: column 'amount' has 1 missing value \(row 1\)"),
        (
            orders(amount=["10", "¥12", "3"]),
            r"orders: column 'amount' has 1 value that are not numbers, e.g. '¥12' \(row 1\)\. Fix: strip currency signs",
        ),
        (
            orders(order_date=["2024-01-05", "yesterday", "2024-03-09"]),
            r"orders: column 'order_date' has 1 value that cannot be read as dates, e.g. 'yesterday' \(row 1\)",
        ),
        (
            orders(order_date=[None, "2024-01-01", None]),
            r"orders: column 'order_date' has 2 missing values \(rows 0, 2\)",
        ),
        (
            orders(customer_id=["a", None, "c"]),
            r"orders: column 'customer_id' has 1 missing value \(row 1\)\. Fix: every row needs an identifier",
        ),
        (orders(order_date=[1, 2, 3]), r"orders: column 'order_date' holds int64 values, not dates"),
        (orders().iloc[0:0], r"orders has no rows"),
        ("not a frame", r"orders: expected a pandas DataFrame, got str"),
    ],
)
def test_each_problem_is_named(frame, message):
    with pytest.raises(CRMDataError, match=message):
        validate.table(frame, "orders", ORDERS)


def test_many_bad_rows_are_listed_briefly():
    frame = pd.DataFrame({"customer_id": list("abcdefgh"), "order_date": ["2024-01-01"] * 8, "amount": [-1.0] * 8})
    with pytest.raises(CRMDataError, match=r"rows 0, 1, 2, 3, 4, … 3 more"):
        validate.table(frame, "orders", ORDERS)


def test_unique_key():
    with pytest.raises(CRMDataError, match=r"orders: column 'customer_id' has 2 rows sharing a key \(rows 0, 2\)"):
        validate.table(orders(customer_id=["a", "b", "a"]), "orders", ORDERS, unique_key="customer_id")


def test_counts_and_flags():
    frame = pd.DataFrame({"n": [1, 2.5, -1], "f": [True, False, "yes"]})
    with pytest.raises(CRMDataError, match=r"'n' has 2 values that are not whole numbers >= 0 \(rows 1, 2\)"):
        validate.table(frame, "t", {"n": "count"})
    with pytest.raises(CRMDataError, match=r"'f' has 1 value that are not true/false \(row 2\)"):
        validate.table(frame, "t", {"f": "flag"})


def test_positive_number_and_one_of():
    assert validate.positive_number("0.5", "rate") == 0.5
    for bad in [0, -1, "x", None, float("nan")]:
        with pytest.raises(CRMDataError, match="rate must be a number > 0"):
            validate.positive_number(bad, "rate")
    with pytest.raises(CRMDataError, match=r"scaling must be one of \['minmax', 'rank'\], got 'z'"):
        validate.one_of("z", "scaling", ["minmax", "rank"])


cells = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.integers(-5, 5),
    st.text(max_size=4),
    st.sampled_from(["2024-01-01", "2024/3/5", "bad", "¥5", "-3"]),
    st.booleans(),
)


@settings(max_examples=250, deadline=None)
@given(
    columns=st.lists(st.sampled_from(["customer_id", "order_date", "amount", "other"]), unique=True, max_size=4),
    rows=st.integers(0, 4),
    data=st.data(),
)
def test_any_frame_is_accepted_or_rejected_with_crmdataerror(columns, rows, data):
    frame = pd.DataFrame({c: data.draw(st.lists(cells, min_size=rows, max_size=rows)) for c in columns})
    try:
        checked = validate.table(frame, "orders", ORDERS)
    except CRMDataError:
        return
    assert (checked["amount"] >= 0).all() and checked["order_date"].notna().all()
