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
crmlib.validate.CRMDataError: orders: column 'amount' has 1 negative value (row 1). Fix: money amounts must be >= 0;
keep refunds and returns in a separate table.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from crmlib.messages import gettext as _
from crmlib.messages import ngettext

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
    """Input data that a crmlib function cannot use, with the reason and the fix.

    The message reads "<problem>. Fix: <fix>.", in the language crmlib speaks
    (:func:`crmlib.set_language`): problem and fix are translated where they are written
    (``_()``), and the frame (the "Fix:" label, and in :func:`rows_error` and its kin the table,
    column and rows) here, so even an unmarked text gets a Chinese frame.

    >>> from crmlib import messages
    >>> messages.set_language("zh")
    >>> print(CRMDataError("orders has no rows. Fix: check the filter."))
    orders has no rows。解决方法：check the filter。
    >>> messages.set_language("en")
    """

    def __init__(self, message="", *args):
        if isinstance(message, str) and ". Fix: " in message:
            problem, fix = message.split(". Fix: ", 1)
            frame = _("{problem}. Fix: {fix}.") if fix.endswith(".") else _("{problem}. Fix: {fix}")
            message = frame.format(problem=problem, fix=fix[:-1] if fix.endswith(".") else fix)
        super().__init__(message, *args)


def _rows(labels: Iterable) -> str:
    labels = list(labels)
    shown = ", ".join(str(x) for x in labels[:_SHOW_ROWS])
    if len(labels) > _SHOW_ROWS:
        shown += _(", … {count} more").format(count=len(labels) - _SHOW_ROWS)
    return ngettext("row {rows}", "rows {rows}", len(labels)).format(rows=shown)


def _has(count: int, rows: Iterable, noun: str | None = None, problem: str = "") -> str:
    """ "has 2 negative values (rows 1, 2)": how many cells of a kind break a rule, and where."""
    counted = ngettext("{count} {noun}", "{count} {noun}s", count).format(
        count=count, noun=_("value") if noun is None else noun
    )
    shown = _rows(rows)
    if problem:
        return _("has {counted} {problem} ({rows})").format(counted=counted, problem=problem, rows=shown)
    return _("has {counted} ({rows})").format(counted=counted, rows=shown)


def _fail(name: str, column: str | None, problem: str, fix: str) -> CRMDataError:
    where = _("{table}: column '{column}'").format(table=name, column=column) if column is not None else name
    return CRMDataError(f"{where} {problem}. Fix: {fix}.")


def rows_error(
    name: str, column: str, rows: Iterable, noun: str | None = None, problem: str = "", fix: str = ""
) -> CRMDataError:
    """The error for rows that break a rule: table, column, how many rows, which ones, and the fix.

    For rules particular to one analysis (recency above T, say); :func:`table` covers the common ones.
    ``noun`` (singular; "value" when left out), ``problem`` and ``fix`` are texts already marked
    for translation, e.g. ``noun=_("date")``.

    >>> print(rows_error("summary", "recency", [3, 9], problem="larger than T", fix="use one time unit"))
    summary: column 'recency' has 2 values larger than T (rows 3, 9). Fix: use one time unit.
    """
    rows = list(rows)
    return _fail(name, column, _has(len(rows), rows, noun, problem.rstrip()), fix.rstrip("."))


def require_columns(data: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise unless ``data`` is a DataFrame holding every one of ``columns``.

    >>> require_columns(pd.DataFrame({"a": [1]}), "orders", ["a", "b"])
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'b' is missing (the table has: a). Fix: rename your column to 'b' or
    pass its name, e.g. b="your_column".

    A near miss is a typo, and the fix says so:

    >>> require_columns(pd.DataFrame({"net_amount": [1]}), "orders", ["net_amout"])
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'net_amout' is missing (the table has: net_amount). Fix: check the
    spelling: the table has 'net_amount', so pass net_amout="net_amount".
    """
    if not isinstance(data, pd.DataFrame):
        raise CRMDataError(
            _(
                "{name}: expected a pandas DataFrame, got {type}. "
                "Fix: pass a table, e.g. pd.read_csv(...) or a crmlib dataset attribute."
            ).format(name=name, type=type(data).__name__)
        )
    unique_columns(data, name)
    if isinstance(columns, Iterable) and not isinstance(columns, (str, Mapping)):
        columns = list(columns)
    if (
        isinstance(columns, str)
        or not isinstance(columns, Iterable)
        or not all(isinstance(c, str) or isinstance(c, (int, np.integer)) and not isinstance(c, bool) for c in columns)
    ):
        parameter = argument_for(columns, "columns")
        raise CRMDataError(
            _(
                "{name}: {parameter} must be a list of column names, got {columns!r}. "
                'Fix: pass e.g. {parameter}=["{first}"].'
            ).format(
                name=name, parameter=parameter, columns=columns, first=next(iter(map(str, data.columns)), "column")
            )
        )
    have = [str(c) for c in data.columns]
    for column in columns:
        if column not in data.columns:
            parameter = argument_for(column, column)
            close = difflib.get_close_matches(str(column), have, n=1, cutoff=0.8)
            fix = (
                _("check the spelling: the table has '{close}', so pass {parameter}=\"{close}\"").format(
                    close=close[0], parameter=parameter
                )
                if close
                else _("rename your column to '{column}' or pass its name, e.g. {parameter}=\"your_column\"").format(
                    column=column, parameter=parameter
                )
            )
            listed = ", ".join(have) or _("no columns")
            raise _fail(name, column, _("is missing (the table has: {columns})").format(columns=listed), fix)


def not_empty(data: pd.DataFrame, name: str) -> None:
    """Raise if ``data`` has no rows.

    >>> not_empty(pd.DataFrame({"a": []}), "orders")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders has no rows. Fix: check the filter or file that produced it.
    """
    if len(data) == 0:
        raise CRMDataError(_("{name} has no rows. Fix: check the filter or file that produced it.").format(name=name))


def _no_gaps(values: pd.Series, name: str, column: str, fix: str) -> None:
    missing = values.isna()
    if missing.any():
        raise _fail(name, column, _has(int(missing.sum()), values.index[missing], _("missing value")), fix)


def _as_numbers(values: pd.Series, name: str, column: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        raise _fail(name, column, _("holds true/false values, not numbers"), _("pass a numeric column"))
    if pd.api.types.is_numeric_dtype(values):
        return _finite(values.astype("float64"), name, column)
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        example = values[bad].iloc[0]
        raise _fail(
            name,
            column,
            _has(
                int(bad.sum()),
                values.index[bad],
                problem=_("that are not numbers, e.g. {example!r}").format(example=example),
            ),
            _(
                "strip currency signs and thousands separators (crmlib.io.read_orders does this) or convert with "
                "pd.to_numeric"
            ),
        )
    return _finite(converted.astype("float64"), name, column)


def _finite(numbers: pd.Series, name: str, column: str) -> pd.Series:
    endless = numbers.isin([np.inf, -np.inf])
    if endless.any():
        raise rows_error(
            name,
            column,
            numbers.index[endless],
            noun=_("infinite value"),
            fix=_("replace them by real numbers or drop those rows"),
        )
    return numbers


def _as_dates(values: pd.Series, name: str, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise _fail(
            name,
            column,
            _("holds {dtype} values, not dates").format(dtype=values.dtype),
            _("pass dates, e.g. pd.to_datetime(df[column])"),
        )
    try:
        converted = pd.to_datetime(values, errors="coerce", format="mixed")
    except OverflowError:  # pandas before 2.2.2 cannot hold a date beyond 2262 and overflows
        late = np.array([_overflows(v) for v in values.to_numpy(dtype=object)], dtype=bool)
        raise _implausible(name, column, values.index[late], str(values[late].iloc[0])) from None
    except (ValueError, TypeError) as err:  # e.g. text with different time-zone offsets
        raise _fail(
            name,
            column,
            _("cannot be read as one series of dates ({error})").format(error=err),
            _("write all dates in one time zone, or without one, e.g. YYYY-MM-DD HH:MM"),
        ) from None
    converted = naive_times(converted)
    is_number = np.array(
        [
            isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and v == v
            for v in values.to_numpy(dtype=object)
        ],
        dtype=bool,
    )
    bad = (converted.isna() & values.notna()) | is_number
    if bad.any():
        example = values[bad].iloc[0]
        raise _fail(
            name,
            column,
            _has(
                int(bad.sum()),
                values.index[bad],
                problem=_("that cannot be read as dates, e.g. {example!r}").format(example=example),
            ),
            _("write dates as YYYY-MM-DD or convert them with pd.to_datetime"),
        )
    return converted


def non_negative(values: pd.Series, name: str = "values", column: str | None = None) -> pd.Series:
    """Return ``values`` as float if all are present numbers >= 0; raise otherwise.

    >>> non_negative(pd.Series([1, 0, 2]), "weights").tolist()
    [1.0, 0.0, 2.0]
    """
    column = column if column is not None else (str(values.name) if values.name is not None else None)
    numbers = _as_numbers(values, name, column)
    _no_gaps(numbers, name, column, _("fill or drop the missing amounts before the analysis, and say why"))
    negative = numbers < 0
    if negative.any():
        raise _fail(
            name,
            column,
            _has(int(negative.sum()), numbers.index[negative], _("negative value")),
            _("money amounts must be >= 0; keep refunds and returns in a separate table"),
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
        raise CRMDataError(
            _("{name} must be a number {sign} {minimum}, got {value!r}. Fix: pass e.g. {name}={example}.").format(
                name=name, sign=sign, minimum=f"{minimum:g}", value=value, example=f"{max(minimum, 0) + 1:g}"
            )
        )
    return number


def whole_number(value, name: str, minimum: int = 0, maximum: int | None = None, example: int | None = None) -> int:
    """Return ``value`` as an int if it is a whole number in ``[minimum, maximum]``; raise otherwise.

    True/False are refused (they are not counts); 3.0 is accepted as 3.

    >>> whole_number(3.0, "periods", minimum=1)
    3
    >>> whole_number(0, "days", minimum=1, example=14)
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: days must be a whole number >= 1, got 0. Fix: pass e.g. days=14.
    """
    whole = (
        not isinstance(value, (bool, np.bool_))
        and isinstance(value, (int, float, np.integer, np.floating))
        and np.isfinite(value)
        and float(value) == int(value)
    )
    inside = whole and int(value) >= minimum and (maximum is None or int(value) <= maximum)
    if not inside:
        bounds = (
            f">= {minimum}"
            if maximum is None
            else _("from {minimum} to {maximum}").format(minimum=minimum, maximum=maximum)
        )
        shown = max(minimum, 1) if example is None else example
        raise CRMDataError(
            _("{name} must be a whole number {bounds}, got {value!r}. Fix: pass e.g. {name}={shown}.").format(
                name=name, bounds=bounds, value=value, shown=shown
            )
        )
    return int(value)


def seed(value, default: int, name: str = "seed") -> int:
    """A random seed: ``value`` as a whole number >= 0, or ``default`` when it is None.

    >>> seed(None, default=7), seed(3, default=7)
    (7, 3)
    """
    if value is None:
        return int(default)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise CRMDataError(
            _(
                "{name} must be a whole number >= 0 or None, got {value!r}. "
                "Fix: leave it out for the default ({default}), or pass e.g. {name}=1."
            ).format(name=name, value=value, default=default)
        )
    return int(value)


def share(value, name: str) -> float:
    """Return ``value`` as a float strictly between 0 and 1; raise otherwise.

    >>> share(0.2, "strategic_share")
    0.2
    """
    number = positive_number(value, name)
    if number >= 1:
        raise CRMDataError(
            _("{name} must be a share between 0 and 1 (exclusive), got {value!r}. Fix: pass e.g. {name}=0.2.").format(
                name=name, value=value
            )
        )
    return number


def shares(mapping, name: str, example: str) -> dict[str, float]:
    """Return a non-empty ``{label: share}`` whose positive shares add up to 1; raise otherwise.

    >>> shares({"current": 0.6, "future": 0.4}, "weights", '{"a": 0.5, "b": 0.5}')
    {'current': 0.6, 'future': 0.4}
    """
    if not isinstance(mapping, Mapping) or not mapping:
        raise CRMDataError(
            _(
                "{name} must be a non-empty dict of {{name: share}}, got {mapping!r}. Fix: pass e.g. {name}={example}."
            ).format(name=name, mapping=mapping, example=example)
        )
    for label in mapping:
        if not isinstance(label, str):
            raise CRMDataError(
                _("{name}: every name must be text, got {label!r}. Fix: pass e.g. {name}={example}.").format(
                    name=name, label=label, example=example
                )
            )
    checked = {label: positive_number(value, f"{name}[{label!r}]") for label, value in mapping.items()}
    total = sum(checked.values())
    if abs(total - 1) > 1e-6:
        listed = ", ".join(f"{label} {value:g}" for label, value in checked.items())
        raise CRMDataError(
            _(
                "{name} must add up to 1, but they add up to {total} ({listed}). Fix: rescale them, e.g. divide each "
                "by {total}."
            ).format(name=name, total=f"{total:g}", listed=listed)
        )
    return checked


def date(value, name: str) -> pd.Timestamp:
    """Return one date given as text, date or Timestamp, at midnight on the local calendar; raise otherwise.

    >>> date("2025-06-30 18:00", "as_of")
    Timestamp('2025-06-30 00:00:00')
    """
    fix = _('pass e.g. {name}="2025-12-31"').format(name=name)
    if isinstance(value, (bool, int, float, np.number)):
        raise CRMDataError(
            _("{name} must be a date, got the number {value!r}. Fix: {fix}.").format(name=name, value=value, fix=fix)
        )
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise CRMDataError(
            _("{name} {value!r} cannot be read as a date. Fix: {fix}.").format(name=name, value=value, fix=fix)
        ) from None
    if day is pd.NaT:
        raise CRMDataError(_("{name} is missing (NaT). Fix: {fix}, or leave it out.").format(name=name, fix=fix))
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    latest = pd.Timestamp.today().normalize() + pd.Timedelta(days=int(DATE_WINDOW["days_ahead"]))
    if day > latest:  # a typo such as 2300 (which pandas before 2.2.2 cannot even compute with)
        raise CRMDataError(
            _(
                "{name} {value!r} lies more than {days} days after today. Fix: {fix}, or if the "
                "date is right widen the window with crmlib.validate.set_date_window(days_ahead=36500)."
            ).format(name=name, value=value, days=DATE_WINDOW["days_ahead"], fix=fix)
        )
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
        raise CRMDataError(
            _("{name} must be one of {allowed}, got {value!r}. Fix: pass {name}={first!r}.").format(
                name=name, allowed=allowed, value=value, first=allowed[0]
            )
        )


def unique(data: pd.DataFrame, name: str, columns: str | list[str]) -> None:
    """Raise if ``columns`` (one name or several) repeat a key.

    >>> unique(pd.DataFrame({"order_id": [1, 1, 2]}), "orders", "order_id")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'order_id' has 2 rows sharing a key (rows 0, 1). Fix: each order_id
    must appear once; drop or merge the duplicates.
    """
    cols = [columns] if isinstance(columns, str) else list(columns)
    repeated = data.duplicated(subset=cols, keep=False)
    if repeated.any():
        label = "+".join(cols)
        raise _fail(
            name,
            label,
            _("has {count} rows sharing a key ({rows})").format(
                count=int(repeated.sum()), rows=_rows(data.index[repeated])
            ),
            _("each {key} must appear once; drop or merge the duplicates").format(key=label),
        )


def _check_column(data: pd.DataFrame, name: str, column: str, kind: str) -> pd.Series | None:
    values = data[column]
    if kind in ("money", "number", "count"):
        not_time_values(values, name, column)
    checked = _check_column_kind(values, name, column, kind)
    _contract_column(values, checked, name, column, kind)
    return checked


def _check_column_kind(values: pd.Series, name: str, column: str, kind: str) -> pd.Series | None:
    if kind == "key":
        _no_gaps(values, name, column, _("every row needs an identifier; drop rows without one or fill them in"))
    elif kind == "date":
        dates = _as_dates(values, name, column)
        _no_gaps(dates, name, column, _("fill in the missing dates or drop those rows, and say why"))
        return dates
    elif kind == "money":
        return non_negative(values, name, column)
    elif kind in ("number", "count"):
        numbers = _as_numbers(values, name, column)
        _no_gaps(numbers, name, column, _("fill or drop the missing values before the analysis, and say why"))
        if kind == "count":
            bad = (numbers < 0) | (numbers % 1 != 0)
            if bad.any():
                raise _fail(
                    name,
                    column,
                    _has(int(bad.sum()), numbers.index[bad], problem=_("that are not whole numbers >= 0")),
                    _("counts must be 0, 1, 2, …"),
                )
        return numbers if kind == "number" else values
    elif kind == "flag":
        ok = values.isin([True, False, 0, 1])
        if not ok.all():
            raise _fail(
                name,
                column,
                _has(int((~ok).sum()), values.index[~ok], problem=_("that are not true/false")),
                _("use True/False or 1/0"),
            )
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
    raise CRMDataError(
        _('by must be a column name or a list of column names, got {by!r}. Fix: pass e.g. by="channel".').format(by=by)
    )


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
        raise CRMDataError(
            _('{name}: expected a pandas Series, got {type}. Fix: pass one column, e.g. contacts["phone"].').format(
                name=name, type=type(values).__name__
            )
        )
    if (
        pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
        or pd.api.types.is_timedelta64_dtype(values)
    ):
        raise CRMDataError(
            _(
                "{name}: column '{column}' holds {dtype} values, not text. Fix: pass the column that holds the text."
            ).format(name=name, column=column, dtype=values.dtype)
        )
    values = values.astype(object)
    kinds = _value_kinds(values)
    bad = (kinds == "other") | ((kinds == "number") & (not numbers_ok))
    if bad.any():
        example = values[bad].iloc[0]
        raise rows_error(
            name,
            column,
            values.index[bad],
            problem=_("that are not text, e.g. {example!r}").format(example=example),
            fix=_("convert the column to text, e.g. df[column].astype(str), or pass the right column"),
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
        out[filled] = (
            naive_times(checked).to_numpy(dtype="datetime64[ns]")
            if kind == "date"
            else checked.to_numpy(dtype="float64")
        )
    return pd.Series(out, index=data.index, name=column)


# =============================================================================================
# Contract checks (issue 15): input that would otherwise give a pandas exception or, worse, a
# plausible wrong number. Kept in this one section so that merging with other helpers stays easy.
# =============================================================================================

__all__ += [
    "DATE_WINDOW",
    "set_date_window",
    "plausible_dates",
    "unique_columns",
    "key_cells",
    "not_time_values",
    "finite_total",
    "same_key_kind",
    "matching_labels",
    "finite_number",
    "column_list",
    "seed_value",
    "argument_for",
]

#: Dates outside this window are refused as typos: ``earliest`` (a date) and ``days_ahead``
#: (how far after today a date may lie). Change it with :func:`set_date_window`.
DATE_WINDOW: dict = {"earliest": "1990-01-01", "days_ahead": 365}


def set_date_window(earliest="1990-01-01", days_ahead: int = 365) -> None:
    """Widen or narrow the window of plausible dates (default 1990-01-01 to a year after today).

    >>> set_date_window("1980-01-01"); DATE_WINDOW["earliest"]
    '1980-01-01'
    >>> set_date_window()
    """
    first = date(earliest, "earliest")
    ahead = whole_number(days_ahead, "days_ahead", minimum=0)
    DATE_WINDOW.update(earliest=str(first.date()), days_ahead=ahead)


def argument_for(column, default: str | None = None) -> str | None:
    """The keyword argument of the calling crmlib function that named ``column`` (for a fix).

    A fix must name the argument the user can pass, e.g. ``customer="member_id"``, not the
    column's default name. The public function that called validate is found on the stack and
    the parameter holding ``column`` is returned; ``default`` when none does.
    """
    import inspect

    frame = inspect.currentframe()
    try:
        frame = frame.f_back if frame is not None else None
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            code = frame.f_code
            if module.startswith("crmlib.") and module != __name__ and not code.co_name.startswith("_"):
                count = code.co_argcount + code.co_kwonlyargcount
                for parameter in code.co_varnames[:count]:
                    value = frame.f_locals.get(parameter)
                    if (
                        value is column
                        and not isinstance(column, bool)
                        or (isinstance(value, str) and value == column and parameter not in ("self",))
                    ):
                        return parameter
                    if isinstance(value, (list, tuple)) and column in value and all(isinstance(v, str) for v in value):
                        return parameter
            frame = frame.f_back
    finally:
        del frame
    return default


def _column_fix(column, what: str) -> str:
    parameter = argument_for(column)
    if parameter is not None:
        return _('pass the column that holds {what}, e.g. {parameter}="your_column"').format(
            what=what, parameter=parameter
        )
    return _("give column '{column}' {what}").format(column=column, what=what)


def unique_columns(data: pd.DataFrame, name: str) -> None:
    """Raise if two columns share a name (pandas would then return a table for one column).

    >>> unique_columns(pd.DataFrame([[1, 2]], columns=["a", "a"]), "orders")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'a' appears 2 times. Fix: rename or drop the repeated columns, e.g.
    orders.loc[:, ~orders.columns.duplicated()].
    """
    repeated = data.columns[data.columns.duplicated()].unique()
    if len(repeated):
        column = repeated[0]
        times = int((data.columns == column).sum())
        raise CRMDataError(
            _(
                "{name}: column '{column}' appears {times} times. Fix: rename or drop the repeated columns, "
                "e.g. {name}.loc[:, ~{name}.columns.duplicated()]."
            ).format(name=name, column=column, times=times)
        )


def _cell_kind(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "true/false"
    if isinstance(v, str):
        return "blank" if not v.strip() else "text"
    if isinstance(v, (int, np.integer)):
        return "number"
    if isinstance(v, (float, np.floating)):
        return "gap" if v != v else "number"
    if v is None or v is pd.NA or v is pd.NaT:
        return "gap"
    if isinstance(v, (list, dict, set, tuple, np.ndarray, pd.Series, pd.DataFrame)):
        return "list or dict"
    if isinstance(v, (pd.Timestamp, np.datetime64, pd.Timedelta, np.timedelta64)) or hasattr(v, "isoformat"):
        return "date or time"
    return type(v).__name__


def _kind_name(kind: str) -> str:
    """A kind of :func:`_cell_kind` as the reader's language writes it (a type name stays as it is)."""
    names = {"list or dict": _("list or dict"), "true/false": _("true/false"), "date or time": _("date or time")}
    return names.get(kind, kind)


def key_cells(values: pd.Series, name: str, column: str) -> None:
    """Raise unless a key column holds usable ids: no lists or dicts, no blank text, and not a mix
    of numbers and text (7 and '7' would count as two customers).

    >>> key_cells(pd.Series([7, "7", "8"]), "orders", "customer_id")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'customer_id' has 2 values that write one id both as a number and as
    text, e.g. 7 and '7' (rows 0, 1). Fix: write every id the same way, e.g. orders["customer_id"] =
    orders["customer_id"].astype(str).
    """
    if (
        values.dtype != object
        and not isinstance(values.dtype, pd.CategoricalDtype)
        and not pd.api.types.is_string_dtype(values)
    ):
        return  # one type throughout: numbers, true/false groups, dates
    cells = values.to_numpy(dtype=object)
    kinds = np.array([_cell_kind(v) for v in cells], dtype=object)
    filled = set(kinds.tolist()) - {"gap"}
    # true/false or dates are fine as group labels when the whole column holds them, not mixed with ids
    mixed = len(filled - {"blank"}) > 1
    odd = (
        (kinds == "list or dict")
        | (np.isin(kinds, ["true/false", "date or time"]) & mixed)
        | ~np.isin(kinds, ["text", "number", "gap", "blank", "list or dict", "true/false", "date or time"])
    )
    if odd.any():
        example = cells[odd][0]
        raise rows_error(
            name,
            column,
            values.index[odd],
            problem=_("that are {kind}s, not ids, e.g. {example!r}").format(
                kind=_kind_name(kinds[odd][0]), example=example
            ),
            fix=_column_fix(column, _("one id per row")),
        )
    blank = kinds == "blank"
    if blank.any():
        raise rows_error(
            name,
            column,
            values.index[blank],
            noun=_("blank id"),
            problem=_("(empty text or spaces only)"),
            fix=_("fill in the ids or drop those rows; a blank id is not a customer"),
        )
    numbers, texts = kinds == "number", kinds == "text"
    if numbers.any() and texts.any():  # 7 and '7' would count as two customers

        def spelled(v) -> str:
            return str(int(v)) if float(v).is_integer() else str(v)

        as_text = {spelled(v) for v in cells[numbers]}
        clash_values = as_text & {str(v).strip() for v in cells[texts]}
        if clash_values:
            clash = np.array(
                [
                    (k == "number" and spelled(v) in clash_values) or (k == "text" and str(v).strip() in clash_values)
                    for v, k in zip(cells, kinds, strict=True)
                ],
                dtype=bool,
            )
            example = sorted(clash_values)[0]
            raise rows_error(
                name,
                column,
                values.index[clash],
                problem=_("that write one id both as a number and as text, e.g. {example} and '{example}'").format(
                    example=example
                ),
                fix=_('write every id the same way, e.g. {name}["{column}"] = {name}["{column}"].astype(str)').format(
                    name=name, column=column
                ),
            )


def not_time_values(values: pd.Series, name: str, column: str) -> None:
    """Raise if numbers are expected but ``values`` hold dates or durations (which pandas would
    silently turn into nanoseconds).

    >>> not_time_values(pd.Series(pd.to_timedelta(["1D"])), "orders", "amount")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'amount' holds durations, not numbers. Fix: give column 'amount'
    numbers.
    """
    dtype = values.dtype
    if (
        pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    ):
        what = _("durations") if pd.api.types.is_timedelta64_dtype(dtype) else _("dates")
        raise CRMDataError(
            _("{name}: column '{column}' holds {what}, not numbers. Fix: {fix}.").format(
                name=name, column=column, what=what, fix=_column_fix(column, _("numbers"))
            )
        )
    if pd.api.types.is_object_dtype(dtype):
        timed = np.array(
            [
                v is not pd.NaT
                and (
                    isinstance(v, (pd.Timestamp, pd.Timedelta, np.datetime64, np.timedelta64))
                    or hasattr(v, "isoformat")
                    and not isinstance(v, str)
                )
                for v in values.to_numpy(dtype=object)
            ],
            dtype=bool,
        )
        if timed.any():
            raise rows_error(
                name,
                column,
                values.index[timed],
                problem=_("that are dates or durations, not numbers"),
                fix=_column_fix(column, _("numbers")),
            )


def finite_total(numbers: pd.Series, name: str, column: str) -> None:
    """Raise if adding up ``numbers`` overflows (a sum of inf or NaN would look like a result).

    >>> finite_total(pd.Series([1e308, 1e308]), "orders", "amount")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'amount' adds up to more than a float can hold (largest 1e+308, row 0).
    Fix: check the unit of the column; amounts are yuan, not e.g. fen multiplied again.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.abs(numbers.to_numpy(dtype="float64")).sum()
    if not np.isfinite(total):
        largest = numbers.abs().idxmax()
        raise CRMDataError(
            _(
                "{name}: column '{column}' adds up to more than a float can hold (largest "
                "{largest}, row {row}). Fix: check the unit of the column; amounts are "
                "yuan, not e.g. fen multiplied again."
            ).format(name=name, column=column, largest=f"{numbers.loc[largest]:g}", row=largest)
        )


def plausible_dates(dates: pd.Series, name: str, column: str) -> None:
    """Raise if checked dates lie outside :data:`DATE_WINDOW` (a typo such as 2300 or 1900).

    >>> plausible_dates(pd.Series(pd.to_datetime(["2024-01-05", "1924-01-05"])), "orders", "order_date")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: orders: column 'order_date' has 1 date outside 1990-01-01 to a year after today, e.g.
    1924-01-05 (row 1). Fix: correct the typo, or if the dates are right widen the window with
    crmlib.validate.set_date_window(earliest="1900-01-01", days_ahead=36500).
    """
    if not len(dates):
        return
    days = day_numbers(dates)
    first = np.datetime64(DATE_WINDOW["earliest"], "D").astype(np.int64)
    last = np.datetime64(pd.Timestamp.today().date(), "D").astype(np.int64) + int(DATE_WINDOW["days_ahead"])
    notnat = ~pd.isna(dates).to_numpy()
    outside = notnat & ((days < first) | (days > last))
    if outside.any():
        raise _implausible(name, column, dates.index[outside], str(np.datetime64(int(days[outside][0]), "D")))


def _overflows(value) -> bool:
    """True for one date text that pandas before 2.2.2 cannot read because it lies beyond 2262."""
    try:
        pd.to_datetime(pd.Series([value]), errors="coerce", format="mixed")
    except OverflowError:
        return True
    return False


def _implausible(name: str, column: str, rows, example: str) -> CRMDataError:
    """The error for dates outside :data:`DATE_WINDOW`, e.g. a typo such as 2300."""
    window = (
        _("a year after today")
        if DATE_WINDOW["days_ahead"] == 365
        else _("{days} days after today").format(days=DATE_WINDOW["days_ahead"])
    )
    return rows_error(
        name,
        column,
        rows,
        noun=_("date"),
        problem=_("outside {earliest} to {window}, e.g. {example}").format(
            earliest=DATE_WINDOW["earliest"], window=window, example=example
        ),
        fix=_(
            "correct the typo, or if the dates are right widen the window with "
            'crmlib.validate.set_date_window(earliest="1900-01-01", days_ahead=36500)'
        ),
    )


def same_key_kind(
    left: pd.Series, right: pd.Series, left_name: str, right_name: str, left_column: str, right_column: str
) -> None:
    """Raise if two tables are joined on keys of different kinds (numbers in one, text in the
    other), which would silently match nothing.

    >>> same_key_kind(pd.Series([1, 2]), pd.Series(["1", "2"]), "opportunities", "activities",
    ...               "opportunity_id", "opportunity_id")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: opportunities and activities are joined on 'opportunity_id' and 'opportunity_id', but
    one holds numbers and the other text, so no row would match. Fix: make both text, e.g. activities["opportunity_id"]
    = activities["opportunity_id"].astype(str), and the same for opportunities.
    """

    def kind(values: pd.Series) -> str:
        filled = values.dropna()
        if isinstance(filled.dtype, pd.CategoricalDtype):
            filled = filled.astype(object)
        if pd.api.types.is_numeric_dtype(filled.dtype) and not pd.api.types.is_bool_dtype(filled.dtype):
            return "number"
        if pd.api.types.is_datetime64_any_dtype(filled.dtype):
            return "date"
        if pd.api.types.is_timedelta64_dtype(filled.dtype):
            return "duration"
        kinds = {_cell_kind(v) for v in filled.to_numpy(dtype=object)}
        return "number" if kinds == {"number"} else "text" if kinds <= {"text", "blank"} else "mixed"

    a, b = kind(left), kind(right)
    if {a, b} == {"number", "text"}:
        raise CRMDataError(
            _(
                "{left_name} and {right_name} are joined on '{left_column}' and '{right_column}', but one holds "
                "{one} and the other {other}, so no row would match. Fix: make both text, e.g. "
                '{right_name}["{right_column}"] = {right_name}["{right_column}"].astype(str), and the same for '
                "{left_name}."
            ).format(
                left_name=left_name,
                right_name=right_name,
                left_column=left_column,
                right_column=right_column,
                one=_("numbers") if a == "number" else _("text"),
                other=_("numbers") if b == "number" else _("text"),
            )
        )
    if a != b and {a, b} & {"date", "duration"}:
        what = {
            "date": _("dates"),
            "duration": _("durations"),
            "number": _("numbers"),
            "text": _("text"),
            "mixed": _("mixed values"),
        }
        raise CRMDataError(
            _(
                "{left_name} and {right_name} are joined on '{left_column}' and '{right_column}', but one holds "
                "{one} and the other {other}, so no row would match. Fix: pass the id column of each table, e.g. "
                '{left_column}="customer_id", or make both text with .astype(str).'
            ).format(
                left_name=left_name,
                right_name=right_name,
                left_column=left_column,
                right_column=right_column,
                one=what[a],
                other=what[b],
            )
        )


def matching_labels(given: Iterable, known: Iterable, name: str, argument: str) -> None:
    """Raise if labels that must match a table's labels differ only in case or spaces
    (``Referral`` vs ``referral``), or are not in the table at all.

    >>> matching_labels(["Referral"], ["referral", "cold call"], "spend", "channel")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: spend: label 'Referral' (channel) is not in the other table, which has 'referral'
    (differs only in case or spaces). Fix: write the labels the same way in both tables, e.g. with
    .str.strip().str.lower().
    """
    known = [k for k in known if k is not None and k == k]
    folded = {str(k).strip().casefold(): k for k in known}
    for label in given:
        if label is None or label != label or label in known:
            continue
        twin = folded.get(str(label).strip().casefold())
        if twin is not None:
            raise CRMDataError(
                _(
                    "{name}: label {label!r} ({argument}) is not in the other table, which has {twin!r} "
                    "(differs only in case or spaces). Fix: write the labels the same way in both tables, "
                    "e.g. with .str.strip().str.lower()."
                ).format(name=name, label=label, argument=argument, twin=twin)
            )


def finite_number(
    value, name: str, minimum: float | None = None, maximum: float | None = None, example: float | None = None
) -> float:
    """Return ``value`` as float if it is a finite number (not True/False) within the bounds (inclusive).

    >>> finite_number(0.01, "discount_rate", 0, 1)
    0.01
    >>> finite_number(float("inf"), "t", 0)
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: t must be a finite number >= 0, got inf. Fix: pass e.g. t=1.
    """
    if minimum is not None and maximum is not None:
        bounds = _(" between {minimum} and {maximum}").format(minimum=f"{minimum:g}", maximum=f"{maximum:g}")
    elif minimum is not None:
        bounds = _(" >= {minimum}").format(minimum=f"{minimum:g}")
    elif maximum is not None:
        bounds = _(" <= {maximum}").format(maximum=f"{maximum:g}")
    else:
        bounds = ""
    shown = example if example is not None else (minimum if minimum is not None and minimum > 0 else 1)
    fail = CRMDataError(
        _("{name} must be a finite number{bounds}, got {value!r}. Fix: pass e.g. {name}={shown}.").format(
            name=name, bounds=bounds, value=value, shown=f"{shown:g}"
        )
    )
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise fail
    number = float(value)
    if (
        not np.isfinite(number)
        or (minimum is not None and number < minimum)
        or (maximum is not None and number > maximum)
    ):
        raise fail
    return number


def optional_mapping(value, name: str, example: str) -> dict:
    """``value`` as a dict (``{}`` for None), or a CRMDataError naming the argument and the fix.

    >>> optional_mapping(None, "names", '{"T1": "Brand one"}'), optional_mapping({"a": "A"}, "names", "")
    ({}, {'a': 'A'})
    >>> optional_mapping("x", "names", '{"T1": "Brand one"}')
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: names must be a dict or None, got 'x'. Fix: pass e.g. names={"T1": "Brand one"}, or
    leave names out.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CRMDataError(
            _(
                "{name} must be a dict or None, got {value}. Fix: pass e.g. {name}={example}, or leave {name} out."
            ).format(name=name, value=repr(value)[:60], example=example)
        )
    return dict(value)


def column_list(value, name: str, example: str, allow_none: bool = True) -> list[str] | None:
    """``value`` as a list of column names: one name, a list or tuple of names, or None (if allowed).

    >>> column_list(("phone", "email"), "fields", '["phone", "email"]')
    ['phone', 'email']
    """
    if value is None and allow_none:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, pd.Index)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise CRMDataError(
        _(
            "{name} must be a column name or a list of column names, got {value!r}. Fix: pass e.g. {name}={example}."
        ).format(name=name, value=value, example=example)
    )


def seed_value(seed, name: str = "seed"):
    """Accept a seed numpy can use (None, a whole number >= 0, or a Generator); raise otherwise.

    >>> seed_value(42)
    42
    """
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return seed
    return whole_number(seed, name, minimum=0)


def _contract_column(values: pd.Series, checked: pd.Series | None, name: str, column: str, kind: str) -> None:
    """The checks above applied to one column of :func:`table` (``checked`` is its typed copy).

    Keys: :func:`key_cells`; dates: :func:`plausible_dates`; money, numbers and counts:
    :func:`not_time_values`, no true/false cells, and :func:`finite_total`.
    """
    if kind == "key":
        key_cells(values, name, column)
    elif kind == "date" and checked is not None:
        plausible_dates(checked, name, column)
    elif kind in ("money", "number", "count"):
        not_time_values(values, name, column)
        if values.dtype == object:
            flags = np.array([isinstance(v, (bool, np.bool_)) for v in values.to_numpy(dtype=object)], dtype=bool)
            if flags.any():
                raise rows_error(
                    name,
                    column,
                    values.index[flags],
                    problem=_("that are true/false, not numbers"),
                    fix=_column_fix(column, _("numbers")),
                )
        numbers = checked if kind != "count" else pd.to_numeric(values, errors="coerce")
        if numbers is not None:
            finite_total(numbers, name, column)


__all__ += ["argument_checks", "check_public_arguments", "ARGUMENT_RANGES", "optional_mapping"]

#: Allowed range (inclusive) of numeric arguments, by name, in every public function (the wrapper
#: checks the upper bound; each function checks its own lower bound with its own message; a key
#: "function.argument" overrides the name's range for that function): horizons in
#: days, months or periods that fit a calendar, and rates and shares between 0 and 1
#: (``discount_rate=12`` a month is a typo for 0.12, or for 12%/12). A name here must mean the same in
#: every public function (``highlight`` does not: a share in ``pareto_plot``, a percentage in
#: ``gains_plot``, so each checks its own).
ARGUMENT_RANGES: dict[str, tuple[float, float]] = {
    "horizon_days": (1, 36_500),
    "window_days": (1, 36_500),
    "within_days": (0, 36_500),
    "months": (1, 1_200),
    "periods": (1, 1_200),
    "n": (1, 10_000_000),
    "bins": (2, 100),
    "max_touches": (1, 1_000),
    "max_frequency": (1, 1_000),
    "min_categories": (1, 1_000),
    "discount_rate": (0, 1),
    "retention": (0, 1),
    "top": (0, 1),
    "strategic_share": (0, 1),
    "power": (0, 1),
    "confidence": (0, 1),
    "threshold": (0, 1),
    "min_support": (0, 1),
    "margin": (0, 1),
    "penalizer": (0, 1_000),
    "time_unit_days": (1e-6, 36_500),
    "days_per_month": (1, 31),
    "holdout_length": (0, 36_500),
    "sla_hours": (0, 100_000),
    "steps": (2, 1_001),
    "max_hours": (1, 10_000),
    "points": (2, 10_000),
    "max_days": (1, 36_500),
    # "function.argument" where one function uses a name differently (a percentage, not a share)
    "gains_plot.highlight": (1, 100),
}

# Tables and Series are checked by each function (require_columns), whose message names the
# function that produces the table expected.
_ANNOTATED = {"str": "text", "float": "number", "int": "whole", "bool": "flag"}


def argument_checks(function) -> dict[str, tuple[str, bool, object]]:
    """What :func:`check_public_arguments` checks of ``function``: ``{parameter: (kind, None_ok, default)}``,
    read from the annotations (``str``, ``float``, ``int``, ``bool``, ``pd.DataFrame``, ``pd.Series``,
    each optionally ``| None``)."""
    import inspect

    checks = {}
    for parameter in inspect.signature(function).parameters.values():
        annotation = parameter.annotation
        if not isinstance(annotation, str):
            continue
        parts = [p.strip() for p in annotation.split("|")]
        none_ok = "None" in parts or parameter.default is None
        kinds = [p for p in parts if p != "None"]
        if len(kinds) == 1 and kinds[0] in _ANNOTATED:
            checks[parameter.name] = (_ANNOTATED[kinds[0]], none_ok, parameter.default)
    return checks


_EXAMPLES = {"text": '"column_name"', "number": "1.0", "whole": "1", "flag": "True"}


def _argument_error(
    function_name: str, parameter: str, kind: str, value, default, none_ok: bool = False
) -> CRMDataError:
    wanted = {
        "text": _("a column name or text"),
        "number": _("a finite number"),
        "whole": _("a whole number"),
        "flag": _("True or False"),
        "table": _("a pandas DataFrame"),
        "series": _("a pandas Series (one column)"),
    }[kind]
    if none_ok:
        wanted = _("True, False or None") if kind == "flag" else _("{wanted} or None").format(wanted=wanted)
    if kind == "table":
        example = _("a table, e.g. pd.read_csv(...) or a crmlib dataset attribute")
    elif kind == "series":
        example = _('one column, e.g. contacts["phone"]')
    else:
        shown_default = f'"{default}"' if isinstance(default, str) else repr(default)
        example = _("e.g. {parameter}={value}").format(
            parameter=parameter,
            value=shown_default if default is not _inspect_empty() and default is not None else _EXAMPLES[kind],
        )
    shown = type(value).__name__ if isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)) else repr(value)
    return CRMDataError(
        _("{function}: {parameter} must be {wanted}, got {shown}. Fix: pass {example}.").format(
            function=function_name, parameter=parameter, wanted=wanted, shown=shown[:80], example=example
        )
    )


def _call_error(function_name: str, problem) -> CRMDataError:
    return CRMDataError(
        _("{function}: {problem}. Fix: see help({function}) for its arguments.").format(
            function=function_name, problem=problem
        )
    )


def _range_error(function_name: str, parameter: str, bounds: tuple, value, default) -> CRMDataError:
    return CRMDataError(
        _(
            "{function}: {parameter} must be between {low} and {high}, got {value!r}. "
            "Fix: pass e.g. {parameter}={shown!r}."
        ).format(
            function=function_name,
            parameter=parameter,
            low=f"{bounds[0]:g}",
            high=f"{bounds[1]:g}",
            value=value,
            shown=default if isinstance(default, (int, float)) else bounds[0],
        )
    )


def _inspect_empty():
    import inspect

    return inspect.Parameter.empty


def _argument_ok(kind: str, value) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "flag":
        return isinstance(value, (bool, np.bool_))
    if kind == "table":
        return isinstance(value, pd.DataFrame)
    if kind == "series":
        return isinstance(value, pd.Series)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return False
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        return False
    if kind == "whole":
        return math.isfinite(number) and number == int(value)
    return math.isfinite(number)


def check_public_arguments(namespace: dict, names: Iterable[str]) -> None:
    """Wrap each public function of a module so that a keyword of the wrong type ends in a
    CRMDataError naming the argument and the fix, before any pandas code runs.

    Called once at the end of a module: ``validate.check_public_arguments(globals(), __all__)``.
    The checks come from the annotations (see :func:`argument_checks`); a column name given as
    a list, ``future=None`` where a number is needed, ``bins=True`` or ``t=inf`` are refused. The
    wrapper keeps the function's name, signature, docstring and module (so doctests still run).
    """
    import functools
    import inspect
    import types

    for name in names:
        function = namespace.get(name)
        if not inspect.isfunction(function) or getattr(function, "__wrapped__", None) is not None:
            continue
        checks = argument_checks(function)
        if not checks:
            continue
        signature = inspect.signature(function)

        def make(
            function=function,
            checks=checks,
            signature=signature,
            error=_argument_error,
            call_error=_call_error,
            range_error=_range_error,
            ok=_argument_ok,
            type_error=TypeError,
            ranges=ARGUMENT_RANGES,
        ):
            def wrapper(*args, **kwargs):
                try:
                    bound = signature.bind(*args, **kwargs)
                except type_error as problem:
                    raise call_error(function.__name__, problem) from None
                for parameter, value in bound.arguments.items():
                    check = checks.get(parameter)
                    if check is None:
                        continue
                    kind, none_ok, default = check
                    if value is None and none_ok:
                        continue
                    if not ok(kind, value):
                        raise error(function.__name__, parameter, kind, value, default, none_ok)
                    bounds = (
                        ranges.get(f"{function.__name__}.{parameter}", ranges.get(parameter))
                        if kind in ("number", "whole")
                        else None
                    )
                    if bounds is not None and value > bounds[1]:  # lower bounds: the function's own check
                        raise range_error(function.__name__, parameter, bounds, value, default)
                return function(*args, **kwargs)

            return wrapper

        checked_call = make()
        # rebuilt with the module's globals, so that doctest sees it as the module's own function
        rebuilt = types.FunctionType(
            checked_call.__code__, namespace, name, checked_call.__defaults__, checked_call.__closure__
        )
        functools.update_wrapper(rebuilt, function)
        rebuilt.__kwdefaults__ = None
        namespace[name] = rebuilt
