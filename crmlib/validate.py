"""The one place that checks inputs.

Every public crmlib function passes its data through :func:`table` (or one of the
smaller checks below) before computing anything. A problem becomes a
:class:`CRMDataError` that names the table, the column, the offending rows and the fix,
instead of a ``KeyError`` from deep inside pandas.

>>> import pandas as pd
>>> orders = pd.DataFrame({"customer_id": [1, 2], "amount": [10.0, -5.0]})
>>> table(orders, "orders", {"customer_id": "key", "amount": "money"})
Traceback (most recent call last):
...
crmlib.validate.CRMDataError: orders: column 'amount' has 1 negative value (row 1). Fix: money amounts must be >= 0; keep refunds and returns in a separate table.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "CRMDataError",
    "KINDS",
    "rows_error",
    "table",
    "require_columns",
    "not_empty",
    "unique",
    "non_negative",
    "positive_number",
    "share",
    "shares",
    "date",
    "day_numbers",
    "day_number",
    "calendar_days",
    "group_columns",
    "text",
    "optional",
    "naive_times",
    "one_of",
    "whole_number",
    "seed",
]

#: What each column kind accepts: ``key`` (present, no gaps), ``date`` (parseable dates,
#: no gaps), ``money`` (numbers >= 0, no gaps), ``number`` (numbers, no gaps),
#: ``count`` (whole numbers >= 0), ``text`` (present; gaps allowed), ``flag`` (booleans or 0/1).
KINDS = ("key", "date", "money", "number", "count", "text", "flag")

_SHOW_ROWS = 5


class CRMDataError(ValueError):
    """Input data that a crmlib function cannot use, with the reason and the fix."""


def _rows(labels: Iterable) -> str:
    labels = list(labels)
    shown = ", ".join(str(x) for x in labels[:_SHOW_ROWS])
    more = f", … {len(labels) - _SHOW_ROWS} more" if len(labels) > _SHOW_ROWS else ""
    word = "row" if len(labels) == 1 else "rows"
    return f"{word} {shown}{more}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fail(name: str, column: str | None, problem: str, fix: str) -> CRMDataError:
    where = f"{name}: column '{column}'" if column is not None else name
    return CRMDataError(f"{where} {problem}. Fix: {fix}.")


def rows_error(name: str, column: str, rows: Iterable, noun: str = "value", problem: str = "", fix: str = "") -> CRMDataError:
    """The error for rows that break a rule: table, column, how many rows, which ones, and the fix.

    For rules particular to one analysis (recency above T, say); :func:`table` covers the common ones.

    >>> print(rows_error("summary", "recency", [3, 9], problem="larger than T", fix="use one time unit"))
    summary: column 'recency' has 2 values larger than T (rows 3, 9). Fix: use one time unit.
    """
    rows = list(rows)
    what = f"{_plural(len(rows), noun)} {problem}".rstrip()
    return _fail(name, column, f"has {what} ({_rows(rows)})", fix.rstrip("."))


def require_columns(data: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise unless ``data`` is a DataFrame holding every one of ``columns``.

    >>> require_columns(pd.DataFrame({"a": [1]}), "orders", ["a", "b"])
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'b' is missing (the table has: a). Fix: rename your column to 'b' or pass its name, e.g. b="your_column".
    """
    if not isinstance(data, pd.DataFrame):
        raise CRMDataError(
            f"{name}: expected a pandas DataFrame, got {type(data).__name__}. "
            "Fix: pass a table, e.g. pd.read_csv(...) or a crmlib dataset attribute."
        )
    have = [str(c) for c in data.columns]
    for column in columns:
        if column not in data.columns:
            raise _fail(
                name,
                column,
                f"is missing (the table has: {', '.join(have) or 'no columns'})",
                f"rename your column to '{column}' or pass its name, e.g. {column}=\"your_column\"",
            )


def not_empty(data: pd.DataFrame, name: str) -> None:
    """Raise if ``data`` has no rows.

    >>> not_empty(pd.DataFrame({"a": []}), "orders")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders has no rows. Fix: check the filter or file that produced it.
    """
    if len(data) == 0:
        raise CRMDataError(f"{name} has no rows. Fix: check the filter or file that produced it.")


def _no_gaps(values: pd.Series, name: str, column: str, fix: str) -> None:
    missing = values.isna()
    if missing.any():
        raise _fail(name, column, f"has {_plural(int(missing.sum()), 'missing value')} ({_rows(values.index[missing])})", fix)


def _as_numbers(values: pd.Series, name: str, column: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        raise _fail(name, column, "holds true/false values, not numbers", "pass a numeric column")
    if pd.api.types.is_numeric_dtype(values):
        return _finite(values.astype("float64"), name, column)
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        example = values[bad].iloc[0]
        raise _fail(
            name,
            column,
            f"has {_plural(int(bad.sum()), 'value')} that are not numbers, e.g. {example!r} ({_rows(values.index[bad])})",
            "strip currency signs and thousands separators (crmlib.io.read_orders does this) or convert with pd.to_numeric",
        )
    return _finite(converted.astype("float64"), name, column)


def _finite(numbers: pd.Series, name: str, column: str) -> pd.Series:
    endless = numbers.isin([np.inf, -np.inf])
    if endless.any():
        raise rows_error(name, column, numbers.index[endless], noun="infinite value", fix="replace them by real numbers or drop those rows")
    return numbers


def _as_dates(values: pd.Series, name: str, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise _fail(name, column, f"holds {values.dtype} values, not dates", "pass dates, e.g. pd.to_datetime(df[column])")
    try:
        converted = pd.to_datetime(values, errors="coerce", format="mixed")
    except (ValueError, TypeError) as err:  # e.g. text with different time-zone offsets
        raise _fail(name, column, f"cannot be read as one series of dates ({err})",
                    "write all dates in one time zone, or without one, e.g. YYYY-MM-DD HH:MM") from None
    converted = naive_times(converted)
    is_number = values.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool), na_action="ignore")
    bad = (converted.isna() & values.notna()) | is_number.astype("boolean").fillna(False).to_numpy(dtype=bool)
    if bad.any():
        example = values[bad].iloc[0]
        raise _fail(
            name,
            column,
            f"has {_plural(int(bad.sum()), 'value')} that cannot be read as dates, e.g. {example!r} ({_rows(values.index[bad])})",
            "write dates as YYYY-MM-DD or convert them with pd.to_datetime",
        )
    return converted


def non_negative(values: pd.Series, name: str = "values", column: str | None = None) -> pd.Series:
    """Return ``values`` as float if all are present numbers >= 0; raise otherwise.

    >>> non_negative(pd.Series([1, 0, 2]), "weights").tolist()
    [1.0, 0.0, 2.0]
    """
    column = column if column is not None else (str(values.name) if values.name is not None else None)
    numbers = _as_numbers(values, name, column)
    _no_gaps(numbers, name, column, "fill or drop the missing amounts before the analysis, and say why")
    negative = numbers < 0
    if negative.any():
        raise _fail(
            name,
            column,
            f"has {_plural(int(negative.sum()), 'negative value')} ({_rows(numbers.index[negative])})",
            "money amounts must be >= 0; keep refunds and returns in a separate table",
        )
    return numbers


def positive_number(value, name: str, minimum: float = 0.0, inclusive: bool = False) -> float:
    """Return ``value`` as float if it is a number above ``minimum``; raise otherwise.

    >>> positive_number(0.1, "discount_rate")
    0.1
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    ok = number >= minimum if inclusive else number > minimum
    if not ok:  # also catches NaN
        sign = ">=" if inclusive else ">"
        raise CRMDataError(f"{name} must be a number {sign} {minimum:g}, got {value!r}. Fix: pass e.g. {name}={max(minimum, 0) + 1:g}.")
    return number


def whole_number(value, name: str, minimum: int = 0, maximum: int | None = None,
                 example: int | None = None) -> int:
    """Return ``value`` as an int if it is a whole number in ``[minimum, maximum]``; raise otherwise.

    True/False are refused (they are not counts); 3.0 is accepted as 3.

    >>> whole_number(3.0, "periods", minimum=1)
    3
    >>> whole_number(0, "days", minimum=1, example=14)
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: days must be a whole number >= 1, got 0. Fix: pass e.g. days=14.
    """
    whole = (not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, float, np.integer, np.floating))
             and np.isfinite(value) and float(value) == int(value))
    inside = whole and int(value) >= minimum and (maximum is None or int(value) <= maximum)
    if not inside:
        bounds = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        shown = max(minimum, 1) if example is None else example
        raise CRMDataError(f"{name} must be a whole number {bounds}, got {value!r}. Fix: pass e.g. {name}={shown}.")
    return int(value)


def seed(value, default: int, name: str = "seed") -> int:
    """A random seed: ``value`` as a whole number >= 0, or ``default`` when it is None.

    >>> seed(None, default=7), seed(3, default=7)
    (7, 3)
    """
    if value is None:
        return int(default)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise CRMDataError(f"{name} must be a whole number >= 0 or None, got {value!r}. "
                           f"Fix: leave it out for the default ({default}), or pass e.g. {name}=1.")
    return int(value)


def share(value, name: str) -> float:
    """Return ``value`` as a float strictly between 0 and 1; raise otherwise.

    >>> share(0.2, "strategic_share")
    0.2
    """
    number = positive_number(value, name)
    if number >= 1:
        raise CRMDataError(f"{name} must be a share between 0 and 1 (exclusive), got {value!r}. Fix: pass e.g. {name}=0.2.")
    return number


def shares(mapping, name: str, example: str) -> dict[str, float]:
    """Return a non-empty ``{label: share}`` whose positive shares add up to 1; raise otherwise.

    >>> shares({"current": 0.6, "future": 0.4}, "weights", '{"a": 0.5, "b": 0.5}')
    {'current': 0.6, 'future': 0.4}
    """
    if not isinstance(mapping, Mapping) or not mapping:
        raise CRMDataError(f"{name} must be a non-empty dict of {{name: share}}, got {mapping!r}. Fix: pass e.g. {name}={example}.")
    for label in mapping:
        if not isinstance(label, str):
            raise CRMDataError(f"{name}: every name must be text, got {label!r}. Fix: pass e.g. {name}={example}.")
    checked = {label: positive_number(value, f"{name}[{label!r}]") for label, value in mapping.items()}
    total = sum(checked.values())
    if abs(total - 1) > 1e-6:
        listed = ", ".join(f"{label} {value:g}" for label, value in checked.items())
        raise CRMDataError(f"{name} must add up to 1, but they add up to {total:g} ({listed}). Fix: rescale them, e.g. divide each by {total:g}.")
    return checked


def date(value, name: str) -> pd.Timestamp:
    """Return one date given as text, date or Timestamp, at midnight on the local calendar; raise otherwise.

    >>> date("2025-06-30 18:00", "as_of")
    Timestamp('2025-06-30 00:00:00')
    """
    fix = f'pass e.g. {name}="2025-12-31"'
    if isinstance(value, (bool, int, float, np.number)):
        raise CRMDataError(f"{name} must be a date, got the number {value!r}. Fix: {fix}.")
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise CRMDataError(f"{name} {value!r} cannot be read as a date. Fix: {fix}.") from None
    if day is pd.NaT:
        raise CRMDataError(f"{name} is missing (NaT). Fix: {fix}, or leave it out.")
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    return day.normalize()


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Checked dates as whole days since 1970-01-01, time of day dropped (local calendar).

    Whole-day integers compare and subtract safely whatever the datetime unit (ns, us, s).

    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-02 23:59", "2024-01-01 00:00"]))).tolist()
    [1, 19723]
    """
    return naive_times(dates).to_numpy().astype("datetime64[D]").astype(np.int64)


def day_number(value, name: str) -> int:
    """One date (see :func:`date`) as whole days since 1970-01-01.

    >>> day_number("1970-01-11", "as_of")
    10
    """
    return int(np.datetime64(date(value, name).date(), "D").astype(np.int64))


def one_of(value, name: str, allowed: Iterable) -> None:
    """Raise unless ``value`` is one of ``allowed``.

    >>> one_of("rank", "scaling", ["minmax", "rank"])
    """
    allowed = list(allowed)
    if value not in allowed:
        raise CRMDataError(f"{name} must be one of {allowed}, got {value!r}. Fix: pass {name}={allowed[0]!r}.")


def unique(data: pd.DataFrame, name: str, columns: str | list[str]) -> None:
    """Raise if ``columns`` (one name or several) repeat a key.

    >>> unique(pd.DataFrame({"order_id": [1, 1, 2]}), "orders", "order_id")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'order_id' has 2 rows sharing a key (rows 0, 1). Fix: each order_id must appear once; drop or merge the duplicates.
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    repeated = data.duplicated(subset=cols, keep=False)
    if repeated.any():
        label = "+".join(cols)
        raise _fail(
            name,
            label,
            f"has {int(repeated.sum())} rows sharing a key ({_rows(data.index[repeated])})",
            f"each {label} must appear once; drop or merge the duplicates",
        )


def _check_column(data: pd.DataFrame, name: str, column: str, kind: str) -> pd.Series | None:
    values = data[column]
    if kind == "key":
        _no_gaps(values, name, column, "every row needs an identifier; drop rows without one or fill them in")
    elif kind == "date":
        dates = _as_dates(values, name, column)
        _no_gaps(dates, name, column, "fill in the missing dates or drop those rows, and say why")
        return dates
    elif kind == "money":
        return non_negative(values, name, column)
    elif kind in ("number", "count"):
        numbers = _as_numbers(values, name, column)
        _no_gaps(numbers, name, column, "fill or drop the missing values before the analysis, and say why")
        if kind == "count":
            bad = (numbers < 0) | (numbers % 1 != 0)
            if bad.any():
                raise _fail(name, column, f"has {_plural(int(bad.sum()), 'value')} that are not whole numbers >= 0 ({_rows(numbers.index[bad])})", "counts must be 0, 1, 2, …")
        return numbers if kind == "number" else values
    elif kind == "flag":
        ok = values.isin([True, False, 0, 1])
        if not ok.all():
            raise _fail(name, column, f"has {_plural(int((~ok).sum()), 'value')} that are not true/false ({_rows(values.index[~ok])})", "use True/False or 1/0")
    elif kind != "text":
        raise ValueError(f"unknown column kind {kind!r}; use one of {KINDS}")
    return None


def table(
    data: pd.DataFrame,
    name: str,
    columns: Mapping[str, str],
    unique_key: str | list[str] | None = None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Check ``data`` and return a copy with date columns parsed and money/numbers as float.

    Parameters
    ----------
    data : DataFrame to check; it is never modified.
    name : the table's name as the user knows it, used in error messages.
    columns : ``{column: kind}``, kinds as in :data:`KINDS`.
    unique_key : column(s) whose values must not repeat.
    allow_empty : accept a table with no rows.

    Examples
    --------
    >>> t = table(pd.DataFrame({"d": ["2024-01-05"], "x": [3]}), "orders", {"d": "date", "x": "money"})
    >>> t["d"].dt.day_name().tolist(), t["x"].tolist()
    (['Friday'], [3.0])
    """
    require_columns(data, name, columns)
    if not allow_empty:
        not_empty(data, name)
    checked = {}
    for column, kind in columns.items():
        converted = _check_column(data, name, column, kind)
        if converted is not None:
            checked[column] = converted
    if unique_key is not None:
        unique(data, name, unique_key)
    return data.assign(**checked) if checked else data.copy()


def calendar_days(dates: pd.Series) -> pd.Series:
    """Checked dates floored to midnight, without time zone (days on the local calendar).

    >>> calendar_days(pd.Series(pd.to_datetime(["2024-03-05 18:30"]))).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2024-03-05 00:00']
    """
    return naive_times(dates).dt.normalize()

def group_columns(by) -> list[str]:
    """``by`` as a list of column names: None gives [], one name gives [name].

    >>> group_columns("brand_id"), group_columns(None)
    (['brand_id'], [])
    """
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    if isinstance(by, (list, tuple)) and all(isinstance(b, str) for b in by):
        return list(by)
    raise CRMDataError(f"by must be a column name or a list of column names, got {by!r}. Fix: pass e.g. by=\"channel\".")
def _value_kinds(values: pd.Series) -> np.ndarray:
    """Per cell: "text", "number" (not true/false), "gap" or "other"."""
    def kind(v):
        if isinstance(v, str):
            return "text"
        if isinstance(v, (bool, np.bool_)):
            return "other"
        if isinstance(v, (int, float, np.integer, np.floating)):
            return "gap" if v != v else "number"
        return "gap" if v is None or v is pd.NA or v is pd.NaT else "other"

    return values.map(kind).to_numpy(dtype=object)
def text(values, name: str, column: str, numbers_ok: bool = False) -> pd.Series:
    """Check that ``values`` hold text (gaps allowed) and return them as an object Series.

    With ``numbers_ok`` whole numbers are accepted and written as digits, since phone numbers
    read from a spreadsheet often arrive as numbers. True/false values and dates are refused.

    >>> text(pd.Series([13812345678, None, "a@example.com"]), "contacts", "phone", numbers_ok=True).tolist()
    ['13812345678', nan, 'a@example.com']
    """
    if not isinstance(values, pd.Series):
        raise CRMDataError(f"{name}: expected a pandas Series, got {type(values).__name__}. Fix: pass one column, e.g. contacts[\"phone\"].")
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_datetime64_any_dtype(values) or pd.api.types.is_timedelta64_dtype(values):
        raise CRMDataError(f"{name}: column '{column}' holds {values.dtype} values, not text. Fix: pass the column that holds the text.")
    values = values.astype(object)
    kinds = _value_kinds(values)
    bad = (kinds == "other") | ((kinds == "number") & (not numbers_ok))
    if bad.any():
        example = values[bad].iloc[0]
        raise rows_error(
            name, column, values.index[bad], problem=f"that are not text, e.g. {example!r}",
            fix="convert the column to text, e.g. df[column].astype(str), or pass the right column",
        )
    text = values.to_numpy(dtype=object, copy=True)
    text[kinds == "gap"] = np.nan
    numbers = kinds == "number"
    if numbers.any():  # 13812345678 or 13812345678.0 from a spreadsheet become '13812345678'
        text[numbers] = pd.Series(text[numbers]).astype(str).str.replace(r"\.0$", "", regex=True).to_numpy(dtype=object)
    return pd.Series(text, index=values.index, name=values.name, dtype=object)
def naive_times(dates: pd.Series) -> pd.Series:
    """Timestamps without a time zone (local clock time), so that any two columns can be subtracted.

    >>> naive_times(pd.Series(pd.to_datetime(["2024-01-05 09:30+08:00"]))).dt.strftime("%H:%M").tolist()
    ['09:30']
    """
    return dates.dt.tz_localize(None) if isinstance(dates.dtype, pd.DatetimeTZDtype) else dates


def optional(data: pd.DataFrame, name: str, column: str, kind: str) -> pd.Series:
    """Check the filled cells of ``column`` as ``kind`` (``date`` or ``number``); gaps stay gaps.

    ``validate.table`` refuses gaps in dates and numbers; this is for columns where a gap has a
    meaning (a stage not reached yet, a foreign key that does not apply). Dates come back
    without a time zone, numbers as float (true/false as 1/0).

    >>> tickets = pd.DataFrame({"closed_at": ["2024-01-05 10:00", None]})
    >>> optional(tickets, "tickets", "closed_at", "date").isna().tolist()
    [False, True]
    """
    values = data[column]
    if kind == "number" and pd.api.types.is_bool_dtype(values):
        return values.astype("int64")
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(values):
        return naive_times(values)
    filled = values.notna().to_numpy(dtype=bool)
    if kind == "date":
        out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    else:
        out = np.full(len(values), np.nan)
    if filled.any():
        checked = table(data.loc[filled, [column]], name, {column: kind})[column]
        out[filled] = naive_times(checked).to_numpy(dtype="datetime64[ns]") if kind == "date" else checked.to_numpy(dtype="float64")
    return pd.Series(out, index=data.index, name=column)
