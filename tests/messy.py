"""Shared helpers of the bad-input tests: break a frame in one named way; generate messy frames.

Used by tests/test_identify.py and tests/test_develop.py (and free for any other module's tests).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import event
from hypothesis import strategies as st

from crmlib.validate import CRMDataError


# ---------------------------------------------------------------------------------------------
def broken(frame: pd.DataFrame, how: str, column: str | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with one problem: a missing column, a gap, text in a number column, ..."""
    out = frame.copy()
    if how == "empty":
        return out.iloc[:0]
    if how == "missing column":
        return out.drop(columns=column)
    if how == "duplicate key":
        return pd.concat([out, out.iloc[:1]], ignore_index=True)
    values = out[column].astype(object).tolist()
    values[-1] = {
        "gap": None,
        "text": "abc",
        "negative": -5.0,
        "bad date": "2024-02-30",
        "number date": 20240105,
        "infinite": np.inf,
        "true/false": True,
    }[how]
    if how in ("true/false", "number date"):  # the whole column of the wrong type
        values = [values[-1]] * len(values)
    out[column] = values
    return out


_BAD_CELLS = {
    "missing cell": st.sampled_from([None, np.nan]),
    "negative number": st.floats(-1e4, -0.01),
    "text in a number column": st.sampled_from(["abc", "¥30", "", "12,5", "7"]),
    "bad date": st.sampled_from(["2024-02-30", "someday", "", 20240105, "31/12/2024"]),
    "infinite": st.sampled_from([np.inf, -np.inf]),
    "odd id": st.sampled_from(["7", 3.5, True, 0]),
}
_FRAME_CORRUPTIONS = ["drop column", "empty", "as category", "as datetime", *_BAD_CELLS]


@st.composite
def messy_frames(draw, columns: dict, max_rows: int = 12, min_rows: int = 1, unique: tuple = ()) -> pd.DataFrame:
    """A frame drawn from ``{column: strategy of valid cells}`` (``unique`` columns without repeats),
    then broken 0–3 times."""
    n = draw(st.integers(min_rows, max_rows))
    frame = pd.DataFrame(
        {c: draw(st.lists(cells, min_size=n, max_size=n, unique=c in unique)) for c, cells in columns.items()}
    )
    for corruption in draw(st.lists(st.sampled_from(_FRAME_CORRUPTIONS), max_size=3)):
        event(f"corruption: {corruption}")
        if frame.columns.empty or frame.empty:
            break
        column = draw(st.sampled_from(list(frame.columns)))
        if corruption == "drop column":
            frame = frame.drop(columns=column)
        elif corruption == "empty":
            frame = frame.iloc[:0]
        elif corruption == "as category":
            frame[column] = frame[column].astype(str).astype("category")
        elif corruption == "as datetime":
            frame[column] = pd.to_datetime(frame[column].astype(str), errors="coerce", format="mixed")
        else:
            values = frame[column].astype(object).tolist()
            values[draw(st.integers(0, len(values) - 1))] = draw(_BAD_CELLS[corruption])
            frame[column] = values
    return frame


def only_crmdataerror(function, *args, **kwargs):
    """Call ``function``; a CRMDataError is fine (recorded as an event), any other exception fails."""
    try:
        result = function(*args, **kwargs)
    except CRMDataError:
        event(f"{function.__name__}: CRMDataError")
        return None
    event(f"{function.__name__}: result")
    return result


dates = st.dates(min_value=pd.Timestamp("2023-06-01").date(), max_value=pd.Timestamp("2024-12-31").date()).map(str)
ids = st.sampled_from(["a", "b", "c", "d", "e"])
money = st.one_of(st.floats(0, 1e5), st.integers(0, 500))


# ---------------------------------------------------------------------------------------------
# orders tables: the input of rfm_summary, repeat_rate, cohort_table, churn features, ...
# ---------------------------------------------------------------------------------------------
#: Any cell an orders column may hold in a messy file: valid values, typos, gaps, wrong types.
ORDER_CELLS = {
    "customer_id": st.one_of(
        st.integers(-3, 4), st.sampled_from(["a", "b", "", "c"]), st.none(), st.just(np.nan), st.just(2.5)
    ),
    "order_date": st.one_of(
        st.dates(min_value=pd.Timestamp("1990-01-01").date(), max_value=pd.Timestamp("2030-12-31").date()).map(str),
        st.sampled_from(["2024-02-30", "yesterday", "", "20240105", "2024/01/05 10:00"]),
        st.none(),
        st.integers(0, 10**6),
        st.floats(allow_nan=True),
    ),
    "amount": st.one_of(
        st.floats(-1e3, 1e6, allow_nan=False),
        st.just(np.nan),
        st.just(np.inf),
        st.integers(-5, 500),
        st.sampled_from(["12.5", "¥30", "abc", ""]),
        st.none(),
    ),
    "brand": st.one_of(st.sampled_from(["A", "B"]), st.none(), st.integers(0, 2)),
    "category": st.one_of(st.sampled_from(["bath", "kitchen", "garden"]), st.none(), st.just(np.nan)),
}
_ORDER_BREAKS = {
    "negative amount": ("amount", st.floats(-100, -0.01)),
    "text amount": ("amount", st.sampled_from(["12,5", "¥30", "abc", ""])),
    "garbage date": ("order_date", st.sampled_from(["2024-02-30", "someday", "", 20240105])),
    "mixed id types": ("customer_id", st.sampled_from(["7", "", 3.5])),
}
_ORDER_CORRUPTIONS = ["drop column", "empty", "any cell", "timestamp dates", "categorical brand", *_ORDER_BREAKS]


@st.composite
def order_frames(draw, labels: bool = True, last_day: str = "2024-08-31") -> pd.DataFrame:
    """An orders table: a quarter of the time arbitrary cells in random columns, otherwise a valid
    table (customer_id, order_date from 2023-12-01 to ``last_day``, amount, and with ``labels``
    brand and category) broken 0–3 times."""
    columns = list(ORDER_CELLS) if labels else ["customer_id", "order_date", "amount"]
    if draw(st.integers(0, 3)) == 0:
        chosen = draw(st.lists(st.sampled_from(columns), unique=True, max_size=len(columns)))
        n = draw(st.integers(0, 8))
        return pd.DataFrame({c: draw(st.lists(ORDER_CELLS[c], min_size=n, max_size=n)) for c in chosen}, columns=chosen)
    n = draw(st.integers(1, 14))
    day = st.dates(min_value=pd.Timestamp("2023-12-01").date(), max_value=pd.Timestamp(last_day).date())
    valid = {
        "customer_id": st.integers(0, 4),
        "order_date": day.map(str),
        "amount": st.floats(0, 1e4),
        "brand": st.sampled_from(["A", "B"]),
        "category": st.sampled_from(["bath", "kitchen", "garden"]),
    }
    frame = pd.DataFrame({c: draw(st.lists(valid[c], min_size=n, max_size=n)) for c in columns})
    for corruption in draw(st.lists(st.sampled_from(_ORDER_CORRUPTIONS), max_size=3)):
        event(f"orders corruption: {corruption}")
        if corruption == "empty":
            return frame.iloc[:0]
        if corruption == "drop column":
            frame = frame.drop(columns=draw(st.sampled_from(columns)), errors="ignore")
            continue
        if corruption == "timestamp dates" and "order_date" in frame:
            frame["order_date"] = pd.to_datetime(frame["order_date"], errors="coerce", format="mixed")
            continue
        if corruption == "categorical brand" and "brand" in frame:
            frame["brand"] = frame["brand"].astype("category")
            continue
        column, cells = (
            (c := draw(st.sampled_from(columns)), ORDER_CELLS[c])
            if corruption == "any cell"
            else _ORDER_BREAKS.get(corruption, (None, None))
        )
        if column in frame:
            values = frame[column].astype(object).tolist()
            values[draw(st.integers(0, n - 1))] = draw(cells)
            frame[column] = values
    return frame
