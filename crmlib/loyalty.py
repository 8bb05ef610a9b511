"""Customer loyalty (客户忠诚): repeat purchase, cohort retention, churn, satisfaction, NPS, tiers, CLV.

Loyal customers come back, buy across the range, recommend the brand and forgive an occasional
slip. This module measures those habits from orders and surveys:

* behaviour: :func:`repeat_rate`, :func:`cohort_table` (with :func:`cohort_matrix` for the heat
  map), :func:`cross_buying`, :func:`loyalty_tiers` (with :func:`tier_summary`);
* churn: :func:`churn_features`, :func:`churn_labels` and the :class:`ChurnModel` that learns
  from them with a time-based split;
* attitude: :func:`satisfaction_gap` (SERVQUAL) and :func:`nps` (Net Promoter Score);
* value: :func:`simple_clv`, the retention-based customer lifetime value.

**One time rule for the whole module.** A *purchase* is a calendar day on which a customer
ordered: two orders of one customer on the same day count as one purchase (their amounts are
added), and the time of day is ignored. So a forgotten item bought an hour later does not make
a "repeat customer", and the counts agree with :func:`crmlib.clv.rfm_summary`.

**Groups.** Where a function takes ``by=``, a customer belongs to the group recorded on their
first purchase (for example the brand, or the channel through which they joined), so every
customer is counted once and the groups add up to the whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import identify, validate, vocabulary
from crmlib.develop import wilson_interval
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "SERVQUAL_DIMENSIONS",
    "CHURN_FEATURES",
    "repeat_rate",
    "cohort_table",
    "cohort_matrix",
    "churn_features",
    "churn_labels",
    "ChurnModel",
    "satisfaction_gap",
    "nps",
    "DEFAULT_TIER_QUANTILES",
    "loyalty_tiers",
    "tier_summary",
    "simple_clv",
    "cross_buying",
    "rebuy_window_summary",
    "LIFECYCLE_STAGES",
    "LIFECYCLE_STAGES_ZH",
    "LIFECYCLE_RULES",
    "purchase_days",
    "lifecycle_stages",
    "stage_counts",
    "stage_history",
    "NPSDriverModel",
    "nps_lift_table",
    "nps_what_if",
    "RETENTION_BONDS",
    "retention_campaign_value",
    "retention_campaign_table",
    "retention_campaign_interval",
    "status_transitions",
]

#: The five service-quality dimensions of the SERVQUAL instrument.
SERVQUAL_DIMENSIONS = vocabulary.SERVQUAL_DIMENSIONS

#: The customer features :func:`churn_features` builds and :class:`ChurnModel` uses by default.
CHURN_FEATURES = ("recency_days", "frequency", "monetary", "tenure_days")

#: Default tiers of :func:`loyalty_tiers`: the bottom half bronze, the next 30% silver, the top 20% gold.
DEFAULT_TIER_QUANTILES = {"bronze": 0.0, "silver": 0.5, "gold": 0.8}

_PERIODS = ("W", "M", "Q")
_PERIOD_NAMES = {"W": "week", "M": "month", "Q": "quarter"}


# --------------------------------------------------------------------------------------------
# shared steps: checking orders, purchase days, first-purchase groups, dates given as parameters
# --------------------------------------------------------------------------------------------


def _order_frame(
    orders, customer: str, date: str, amount: str | None = None, by=None, extra: Mapping | None = None
) -> pd.DataFrame:
    """Check an orders table and return it with fixed column names.

    Columns: ``_customer``, ``_day`` (calendar day), ``_amount`` (if ``amount``), ``_group0``,
    ``_group1``, … for the ``by`` columns, and the ``extra`` columns under their own names.
    """
    groups = validate.group_columns(by)
    kinds = {customer: "key", date: "date"}
    if amount is not None:
        kinds[amount] = "money"
    for column in groups:
        kinds.setdefault(column, "key")
    for column, kind in (extra or {}).items():
        kinds.setdefault(column, kind)
    checked = validate.table(orders, "orders", kinds)
    frame = pd.DataFrame(
        {"_customer": checked[customer], "_day": validate.calendar_days(checked[date])}, index=checked.index
    )
    if amount is not None:
        frame["_amount"] = checked[amount]
    for i, column in enumerate(groups):
        frame[f"_group{i}"] = checked[column]
    for column in extra or {}:
        frame[column] = checked[column]
    return frame


def _group_names(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("_group")]


def _first_purchase(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per customer: the first purchase day and the group values recorded on it."""
    ordered = frame.sort_values("_day", kind="stable")
    return ordered.groupby("_customer", sort=True, observed=True)[["_day", *_group_names(frame)]].first()


def _purchase_days(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and purchase day, amounts of the day added (the module's time rule)."""
    if "_amount" in frame:
        return frame.groupby(["_customer", "_day"], sort=True, observed=True, as_index=False)["_amount"].sum()
    return frame[["_customer", "_day"]].drop_duplicates()


def _rename_groups(result: pd.DataFrame | pd.Series, by, customer: str | None = None):
    """Give the internal index names back their users' names."""
    names = {f"_group{i}": column for i, column in enumerate(validate.group_columns(by))}
    names["_customer"] = customer
    return result.rename_axis(index=[names.get(n, n) for n in result.index.names])


def _day_text(day: pd.Timestamp) -> str:
    return str(day.date())


# --------------------------------------------------------------------------------------------
# repeat purchase and cohort retention
# --------------------------------------------------------------------------------------------
def repeat_rate(orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date", by=None):
    """Share of customers who bought on at least two different days.

    Two orders on the same day count as one purchase, so only a return on another day makes
    a repeat customer.

    Parameters
    ----------
    orders : one row per order.
    customer, date : column names.
    by : column name(s) to split by; a customer counts in the group of their first purchase.

    Returns
    -------
    A float without ``by``; otherwise a DataFrame indexed by group with ``customers``,
    ``repeat_customers`` and ``repeat_rate``.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 2, 3],
    ...                        "order_date": ["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-05", "2024-03-01"],
    ...                        "brand": ["A", "A", "A", "A", "B"]})
    >>> repeat_rate(orders, by="brand")
           customers  repeat_customers  repeat_rate
    brand
    A              2                 1          0.5
    B              1                 0          0.0
    """
    frame = _order_frame(orders, customer, date, by=by)
    repeat = _purchase_days(frame).groupby("_customer", sort=True, observed=True).size() >= 2
    if by is None:
        return float(repeat.mean())
    first = _first_purchase(frame)
    first["_repeat"] = repeat.reindex(first.index).to_numpy()
    table = first.groupby(_group_names(frame), observed=True)["_repeat"].agg(customers="size", repeat_customers="sum")
    table["repeat_customers"] = table["repeat_customers"].astype("int64")
    table["repeat_rate"] = table["repeat_customers"] / table["customers"]
    return _rename_groups(table, by)


def cohort_table(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "order_date",
    period: str = "M",
    by=None,
    observation_end=None,
    partial: str = "drop",
    level: float | None = None,
) -> pd.DataFrame:
    """Acquisition cohorts and the share of each cohort that bought again in later periods.

    A customer's cohort is the period (``"M"`` month, ``"W"`` week starting Monday, ``"Q"``
    quarter) of their first purchase. ``period_number`` k counts periods since then, and
    ``retention`` is the share of the cohort with at least one purchase in period k, so it is
    1.0 at k = 0. Every cell up to the period of ``observation_end`` is listed, including those
    where nobody bought; later cells cannot be observed yet and are left out.

    **Partial periods.** If the data end before the last period does (a week cut on a
    Wednesday, a month cut on the 20th), its cells would show only part of a period's buying and
    look like a sudden drop. By default they are dropped; ``partial="mark"`` keeps them with a
    column ``complete`` that is False for them.

    Parameters
    ----------
    orders : one row per order.
    customer, date : column names.
    period : "M", "W" or "Q".
    by : column name(s) to split by; a customer counts in the group of their first purchase.
    observation_end : last day observed (inclusive); default the last order date. An order
        after it is an error.
    partial : "drop" (default) or "mark", for the cells of a period that ``observation_end``
        cuts short.
    level : e.g. 0.95 adds ``retention_low`` and ``retention_high``, the Wilson confidence
        interval of each retention share (see :func:`crmlib.develop.wilson_interval`).

    Returns
    -------
    Long DataFrame indexed by (``by`` groups,) ``cohort`` and ``period_number``, with
    ``cohort_size``, ``active_customers`` and ``retention`` (and ``complete``, the interval, as
    asked). :func:`cohort_matrix` turns it into the cohort × period table drawn as a heat map.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...                        "order_date": ["2024-01-03", "2024-03-09", "2024-01-20", "2024-02-02", "2024-03-15"]})
    >>> cohort_table(orders, observation_end="2024-03-31")
                           cohort_size  active_customers  retention
    cohort  period_number
    2024-01 0                        2                 2        1.0
            1                        2                 0        0.0
            2                        2                 1        0.5
    2024-02 0                        1                 1        1.0
            1                        1                 1        1.0
    """
    validate.one_of(period, "period", _PERIODS)
    validate.one_of(partial, "partial", ["drop", "mark"])
    frame = _order_frame(orders, customer, date, by=by)
    groups = _group_names(frame)
    number = pd.Series(frame["_day"].dt.to_period(period).array.asi8, index=frame.index)
    if observation_end is None:
        end_day = frame["_day"].max()
    else:
        end_day = validate.date(observation_end, "observation_end")
        late = (frame["_day"] > end_day).to_numpy()
        if late.any():
            raise validate.rows_error(
                "orders",
                date,
                frame.index[late],
                problem=_("after observation_end {day_text}").format(day_text=_day_text(end_day)),
                fix=_("filter them out or pass a later observation_end"),
            )
    end_period = end_day.to_period(period)
    last_complete = int(end_period.ordinal) - (0 if end_day == end_period.end_time.normalize() else 1)
    first = _first_purchase(frame)
    first["cohort"] = first["_day"].dt.to_period(period).array.asi8
    cohort = first["cohort"].reindex(frame["_customer"]).to_numpy()
    active = pd.DataFrame(
        {"_customer": frame["_customer"].to_numpy(), "cohort": cohort, "period_number": number.to_numpy() - cohort}
    )
    active = active.drop_duplicates(["_customer", "period_number"])
    for column in groups:
        active[column] = first[column].reindex(active["_customer"]).to_numpy()
    counts = active.groupby([*groups, "cohort", "period_number"], observed=True).size()

    # every observable cell: period numbers 0 .. (period of observation_end - cohort)
    sizes = first.groupby([*groups, "cohort"], observed=True).size().rename("cohort_size").reset_index()
    width = int(end_period.ordinal) - sizes["cohort"].to_numpy() + 1
    grid = sizes.loc[sizes.index.repeat(width)].reset_index(drop=True)
    starts = np.repeat(np.cumsum(width) - width, width)
    grid["period_number"] = np.arange(len(grid)) - starts
    grid = grid.set_index([*groups, "cohort", "period_number"])
    grid["active_customers"] = counts.reindex(grid.index, fill_value=0).astype("int64").to_numpy()
    grid["retention"] = grid["active_customers"] / grid["cohort_size"]
    if level is not None:
        low, high = wilson_interval(grid["active_customers"].to_numpy(), grid["cohort_size"].to_numpy(), level)
        grid["retention_low"], grid["retention_high"] = low, high
    grid = grid.reset_index()
    complete = (grid["cohort"] + grid["period_number"]).to_numpy() <= last_complete
    if partial == "mark":
        grid["complete"] = complete
    else:
        grid = grid[complete]
        if grid.empty:
            raise CRMDataError(
                _(
                    "orders: the data end on {day_text}, inside the first {period} they cover, "
                    'so no {period} is complete. Fix: pass partial="mark" to see the partial '
                    "cells, use a shorter period, or pass the true observation_end."
                ).format(day_text=_day_text(end_day), period=_PERIOD_NAMES[period])
            )
    grid["cohort"] = pd.PeriodIndex.from_ordinals(grid["cohort"].to_numpy(), freq=period)
    grid = grid.set_index([*groups, "cohort", "period_number"])
    return _rename_groups(grid, by)


def cohort_matrix(cohorts: pd.DataFrame, value: str = "retention") -> pd.DataFrame:
    """Pivot a :func:`cohort_table` to one row per cohort and one column per period number.

    Cells that cannot be observed yet (late cohorts, long horizons) are missing (NaN).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...                        "order_date": ["2024-01-03", "2024-03-09", "2024-01-20", "2024-02-02", "2024-03-15"]})
    >>> cohort_matrix(cohort_table(orders, observation_end="2024-03-31"))
    period_number    0    1    2
    cohort
    2024-01        1.0  0.0  0.5
    2024-02        1.0  1.0  NaN
    """
    validate.require_columns(cohorts, "cohorts", [value])
    validate.not_empty(cohorts, "cohorts")
    if "period_number" not in cohorts.index.names or "cohort" not in cohorts.index.names:
        raise CRMDataError(
            _(
                "cohorts must be indexed by cohort and period_number (its index levels are "
                "{items}). Fix: pass the result of cohort_table() as it is, without "
                "reset_index()."
            ).format(items=list(cohorts.index.names))
        )
    numbers = validate.table(cohorts[[value]].reset_index(drop=True), "cohorts", {value: "number"})
    if cohorts.index.duplicated().any():
        raise validate.rows_error(
            "cohorts",
            "period_number",
            np.flatnonzero(cohorts.index.duplicated()),
            noun=_("repeated cell"),
            fix=_("each cohort and period_number must appear once; pass the result of cohort_table()"),
        )
    series = pd.Series(numbers[value].to_numpy(), index=cohorts.index, name=value)
    return series.unstack("period_number")


# --------------------------------------------------------------------------------------------
# churn: features known at a date, labels from the following days, and a model
# --------------------------------------------------------------------------------------------
def _rfm_at(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Recency, frequency, monetary and tenure per customer from purchases on or before ``as_of``.

    The RFM part is :func:`crmlib.identify.rfm_table` run on purchase days, so that orders of
    one day count once, as everywhere in this module.
    """
    history = frame[frame["_day"] <= as_of]
    if history.empty:
        raise CRMDataError(
            _(
                "orders: no purchase on or before as_of {day_text} (the first is on {day_text2}). "
                "Fix: pick a later as_of."
            ).format(day_text=_day_text(as_of), day_text2=_day_text(frame["_day"].min()))
        )
    days = _purchase_days(history)
    rfm = identify.rfm_table(days, customer="_customer", date="_day", amount="_amount", as_of=as_of).set_index(
        "_customer"
    )
    first = days.groupby("_customer", sort=True, observed=True)["_day"].min()
    return pd.DataFrame(
        {
            "recency_days": rfm["recency"],
            "frequency": rfm["frequency"],
            "monetary": rfm["monetary"],
            "tenure_days": (as_of - first.reindex(rfm.index)).dt.days,
        }
    )


def churn_features(
    orders: pd.DataFrame, as_of, customer: str = "customer_id", date: str = "order_date", amount: str = "amount"
) -> pd.DataFrame:
    """What was known about each customer at the end of day ``as_of``.

    Only purchases on or before ``as_of`` are used; customers whose first purchase is later do
    not appear.

    Returns
    -------
    DataFrame indexed by customer: ``recency_days`` (days since the last purchase),
    ``frequency`` (purchase days), ``monetary`` (total spend) and ``tenure_days`` (days since
    the first purchase). Recency, frequency and monetary come from
    :func:`crmlib.identify.rfm_table`, applied to purchase days.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 1],
    ...                        "order_date": ["2024-01-01", "2024-01-21", "2024-01-26", "2024-02-15"],
    ...                        "amount": [10.0, 30.0, 5.0, 8.0]})
    >>> churn_features(orders, as_of="2024-01-31")
                 recency_days  frequency  monetary  tenure_days
    customer_id
    1                      10          2      40.0           30
    2                       5          1       5.0            5
    """
    day = validate.date(as_of, "as_of")
    frame = _order_frame(orders, customer, date, amount=amount)
    return _rename_groups(_rfm_at(frame, day), None, customer)


def churn_labels(
    orders: pd.DataFrame,
    as_of,
    horizon_days: int = 90,
    customer: str = "customer_id",
    date: str = "order_date",
    amount: str = "amount",
) -> pd.DataFrame:
    """Churn features at ``as_of`` and whether each customer then stayed away for ``horizon_days``.

    Every customer whose first purchase is on or before ``as_of`` gets the features of
    :func:`churn_features` and ``churned = True`` if they made no purchase in the following
    ``horizon_days`` days (from ``as_of`` + 1 to ``as_of`` + ``horizon_days``, inclusive).
    Purchases after that window are ignored on purpose: a label must only look as far ahead
    as the question it answers ("will this customer buy in the next 90 days?").

    Raises ``CRMDataError`` if the window reaches past the last order date, since then the
    label could not be known.

    Returns
    -------
    DataFrame indexed by customer: the features, ``churned``, and the window it was judged on,
    ``as_of`` and ``horizon_end`` (used by :class:`ChurnModel` to keep training and test apart).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 1, 3],
    ...                        "order_date": ["2024-01-01", "2024-01-21", "2024-01-26", "2024-02-15", "2024-04-30"],
    ...                        "amount": [10.0, 30.0, 5.0, 8.0, 4.0]})
    >>> labels = churn_labels(orders, as_of="2024-01-31", horizon_days=30)
    >>> labels[["recency_days", "frequency", "churned"]]
                 recency_days  frequency  churned
    customer_id
    1                      10          2    False
    2                       5          1     True
    >>> str(labels["horizon_end"].iloc[0].date())
    '2024-03-01'
    """
    day = validate.date(as_of, "as_of")
    horizon = validate.whole_number(horizon_days, "horizon_days", minimum=1)
    frame = _order_frame(orders, customer, date, amount=amount)
    end = day + pd.Timedelta(days=horizon)
    last = frame["_day"].max()
    if end > last:
        latest = last - pd.Timedelta(days=horizon)
        raise CRMDataError(
            _(
                "orders: as_of {day_text} + horizon_days {horizon} = {day_text2}, after the last "
                "order date in the data ({day_text3}), so whether a customer churned cannot be "
                "known yet. Fix: pick as_of on or before {day_text4}, or a shorter horizon_days."
            ).format(
                day_text=_day_text(day),
                horizon=horizon,
                day_text2=_day_text(end),
                day_text3=_day_text(last),
                day_text4=_day_text(latest),
            )
        )
    features = _rfm_at(frame, day)
    window = frame.loc[(frame["_day"] > day) & (frame["_day"] <= end), "_customer"]
    labels = features.assign(churned=~features.index.isin(window.unique()), as_of=day, horizon_end=end)
    return _rename_groups(labels, None, customer)


class ChurnModel:
    """Logistic regression of churn on customer features, trained and tested on different dates.

    Build labels at two dates with :func:`churn_labels`: an earlier ``as_of`` to learn from and
    a later one to test on. The model refuses a test whose ``as_of`` comes before the end of
    the training labels' horizon, because the model would then have learned from days it is
    tested on (leakage). Features are standardised (mean 0, sd 1) before the regression, so
    the coefficients compare the features' weights.

    Parameters
    ----------
    features : columns of the labels table to use.
    threshold : predicted churn probability at or above which a customer counts as "will churn".

    Attributes
    ----------
    model_ : the fitted scikit-learn pipeline (scaler, then logistic regression).
    coefficients_ : Series, one coefficient per standardised feature plus the intercept.
    train_as_of_, train_horizon_end_ : the training window.

    Examples
    --------
    >>> train = pd.DataFrame({"recency_days": [1, 3, 20, 40, 5, 30], "frequency": [6, 4, 1, 1, 2, 3],
    ...                       "churned": [False, False, True, True, False, True],
    ...                       "as_of": pd.Timestamp("2024-06-30"), "horizon_end": pd.Timestamp("2024-09-28")})
    >>> model = ChurnModel(features=["recency_days", "frequency"]).fit(train)
    >>> model
    ChurnModel(features=['recency_days', 'frequency'], trained on as_of 2024-06-30, 6 customers)
    >>> test = train.assign(as_of=pd.Timestamp("2024-09-30"), horizon_end=pd.Timestamp("2024-12-29"))
    >>> float(model.evaluate(test).loc["auc", "value"])
    1.0
    """

    def __init__(self, features=CHURN_FEATURES, threshold: float = 0.5):
        if isinstance(features, str):
            features = [features]
        try:
            self.features = list(features)
        except TypeError:
            raise CRMDataError(
                _(
                    "features must be a list of column names, got {features!r}. Fix: pass e.g. "
                    "features=['recency_days', 'frequency']."
                ).format(features=features)
            ) from None
        if not self.features:
            raise CRMDataError(_("features is empty. Fix: pass at least one column, e.g. features=['recency_days']."))
        self.threshold = validate.positive_number(threshold, "threshold")
        if self.threshold >= 1:
            raise CRMDataError(
                _("threshold must be between 0 and 1, got {threshold!r}. Fix: pass e.g. threshold=0.5.").format(
                    threshold=threshold
                )
            )
        self.model_ = None
        self.coefficients_: pd.Series | None = None
        self.train_as_of_: pd.Timestamp | None = None
        self.train_horizon_end_: pd.Timestamp | None = None
        self.n_customers_: int | None = None

    def __repr__(self) -> str:
        if self.model_ is None:
            return f"ChurnModel(features={self.features}, not fitted)"
        return (
            f"ChurnModel(features={self.features}, trained on as_of {_day_text(self.train_as_of_)}, "
            f"{self.n_customers_} customers)"
        )

    def _table(self, labels, name: str, with_label: bool) -> pd.DataFrame:
        kinds = {column: "number" for column in self.features}
        if with_label:
            kinds.update({"churned": "flag", "as_of": "date", "horizon_end": "date"})
        checked = validate.table(labels, name, kinds)
        return checked

    @staticmethod
    def _both_classes(y: np.ndarray, name: str) -> None:
        if y.all() or not y.any():
            value = "True" if y.all() else "False"
            raise CRMDataError(
                _(
                    "{name}: column 'churned' is {value} for every customer, so there is nothing to "
                    "tell apart. Fix: use a longer history, a different as_of or horizon_days."
                ).format(name=name, value=value)
            )

    def fit(self, labels: pd.DataFrame) -> ChurnModel:
        """Learn the coefficients from a labels table (see :func:`churn_labels`).

        Examples
        --------
        >>> train = pd.DataFrame({"recency_days": [1, 30, 2, 40], "churned": [False, True, True, False],
        ...                       "as_of": pd.Timestamp("2024-06-30"), "horizon_end": pd.Timestamp("2024-09-28")})
        >>> ChurnModel(features=["recency_days"]).fit(train).coefficients_.index.tolist()
        ['recency_days', 'intercept']
        """
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        checked = self._table(labels, "train_labels", with_label=True)
        y = checked["churned"].to_numpy().astype(bool)
        self._both_classes(y, "train_labels")
        X = checked[self.features].to_numpy(dtype="float64")
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
        regression = model[-1]
        self.model_ = model
        self.coefficients_ = pd.Series(
            [*regression.coef_[0], regression.intercept_[0]], index=[*self.features, "intercept"], name="coefficient"
        )
        self.train_as_of_ = validate.calendar_days(checked["as_of"]).max()
        self.train_horizon_end_ = validate.calendar_days(checked["horizon_end"]).max()
        self.n_customers_ = len(checked)
        return self

    def _fitted(self):
        if self.model_ is None:
            raise CRMDataError(_("ChurnModel is not fitted yet. Fix: call .fit(train_labels) first."))
        return self.model_

    def predict_proba(self, data: pd.DataFrame) -> pd.Series:
        """Churn probability of each customer in a features or labels table.

        Examples
        --------
        >>> train = pd.DataFrame({"recency_days": [1, 30, 2, 40], "churned": [False, True, False, True],
        ...                       "as_of": pd.Timestamp("2024-06-30"), "horizon_end": pd.Timestamp("2024-09-28")})
        >>> model = ChurnModel(features=["recency_days"]).fit(train)
        >>> bool(model.predict_proba(pd.DataFrame({"recency_days": [60]})).iloc[0] > 0.5)
        True
        """
        model = self._fitted()
        checked = self._table(data, "data", with_label=False)
        X = checked[self.features].to_numpy(dtype="float64")
        return pd.Series(model.predict_proba(X)[:, 1], index=data.index, name="churn_probability")

    def _test(self, labels) -> tuple[np.ndarray, np.ndarray]:
        """Checked test labels as (truth, probability); raises on leakage."""
        model = self._fitted()
        checked = self._table(labels, "test_labels", with_label=True)
        test_as_of = validate.calendar_days(checked["as_of"]).min()
        if test_as_of < self.train_horizon_end_:
            horizon = self.train_horizon_end_ - self.train_as_of_
            raise CRMDataError(
                _(
                    "test_labels: as_of {day_text} comes before the end of the training labels' "
                    "horizon ({day_text2}), so the model has already seen days it is tested on "
                    "(leakage). Fix: test on an as_of on or after {day_text2}, or train on an as_of "
                    "on or before {day_text3}."
                ).format(
                    day_text=_day_text(test_as_of),
                    day_text2=_day_text(self.train_horizon_end_),
                    day_text3=_day_text(test_as_of - horizon),
                )
            )
        y = checked["churned"].to_numpy().astype(bool)
        proba = model.predict_proba(checked[self.features].to_numpy(dtype="float64"))[:, 1]
        return y, proba

    def confusion_matrix(self, labels: pd.DataFrame) -> pd.DataFrame:
        """Counts of customers by actual and predicted churn at the model's ``threshold``.

        Examples
        --------
        >>> train = pd.DataFrame({"recency_days": [1, 30, 2, 40], "churned": [False, True, False, True],
        ...                       "as_of": pd.Timestamp("2024-06-30"), "horizon_end": pd.Timestamp("2024-09-28")})
        >>> model = ChurnModel(features=["recency_days"]).fit(train)
        >>> model.confusion_matrix(train.assign(as_of=pd.Timestamp("2024-10-01")))
        predicted  stayed  churned
        actual
        stayed          2        0
        churned         0        2
        """
        y, proba = self._test(labels)
        predicted = proba >= self.threshold
        counts = np.array(
            [[np.sum(~y & ~predicted), np.sum(~y & predicted)], [np.sum(y & ~predicted), np.sum(y & predicted)]],
            dtype="int64",
        )
        names = ["stayed", "churned"]
        return pd.DataFrame(counts, index=pd.Index(names, name="actual"), columns=pd.Index(names, name="predicted"))

    def evaluate(self, labels: pd.DataFrame, active_days: int = 90) -> pd.DataFrame:
        """How well the model ranks and classifies the customers of a later labels table, beside a baseline.

        A churn model is only worth having if it beats the obvious rule, so the scores come with
        the **recency baseline**: rank customers by ``recency_days`` alone, longest silence first.
        And since customers silent for months are easy to call "churned" (and rarely worth an
        offer), the scores are repeated on the **active** customers only: those whose last
        purchase lies within the ``active_days`` days up to the as-of date (``recency_days`` below
        ``active_days``), where the retention decision is made.

        Parameters
        ----------
        labels : a later labels table (see :func:`churn_labels`); needs ``recency_days`` for the
            baseline, even when the model does not use it.
        active_days : a customer with ``recency_days`` below this counts as active.

        Returns
        -------
        DataFrame indexed by ``metric``: ``auc`` (chance that a random churner gets a higher
        probability than a random stayer; 0.5 is guessing), and at the threshold ``accuracy``,
        ``precision`` (share of predicted churners who churned), ``recall`` (share of churners
        caught); then ``threshold``, ``churn_rate`` and ``customers``. Columns: ``value`` (the
        model, all customers), ``recency_only`` (the baseline, all customers), ``active`` and
        ``active_recency_only`` (the same on the active customers). The baseline has no threshold,
        so only its ``auc``, ``churn_rate`` and ``customers`` are filled (the rest NaN); a score
        that cannot be computed on the active customers (none of them, or one outcome only) is NaN.

        Examples
        --------
        >>> train = pd.DataFrame({"recency_days": [1, 30, 2, 40], "churned": [False, True, False, True],
        ...                       "as_of": pd.Timestamp("2024-06-30"), "horizon_end": pd.Timestamp("2024-09-28")})
        >>> model = ChurnModel(features=["recency_days"]).fit(train)
        >>> model.evaluate(train.assign(as_of=pd.Timestamp("2024-10-01")))["value"].round(2).tolist()
        [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 4.0]
        >>> model.evaluate(train.assign(as_of=pd.Timestamp("2024-10-01")), active_days=35).loc["customers"].tolist()
        [4.0, 4.0, 3.0, 3.0]
        """
        days = validate.whole_number(active_days, "active_days", minimum=1)
        y, proba = self._test(labels)
        self._both_classes(y, "test_labels")
        recency = validate.table(labels, "test_labels", {"recency_days": "number"})["recency_days"]
        recency = recency.to_numpy(dtype="float64")
        active = recency < days
        columns = {
            "value": self._scores(y, proba, threshold=True),
            "recency_only": self._scores(y, recency, threshold=False),
            "active": self._scores(y[active], proba[active], threshold=True),
            "active_recency_only": self._scores(y[active], recency[active], threshold=False),
        }
        return pd.DataFrame(columns).rename_axis("metric")

    def _scores(self, y: np.ndarray, score: np.ndarray, threshold: bool) -> pd.Series:
        """AUC (NaN unless both outcomes occur), threshold scores (NaN without a threshold), rate and count."""
        from sklearn.metrics import roc_auc_score

        nan = float("nan")
        auc = float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else nan
        accuracy = precision = recall = cut = nan
        if threshold and len(y):
            predicted = score >= self.threshold
            true_positive = float(np.sum(y & predicted))
            flagged, churners = float(predicted.sum()), float(y.sum())
            accuracy = float(np.mean(y == predicted))
            precision = true_positive / flagged if flagged else nan
            recall = true_positive / churners if churners else nan
            cut = self.threshold
        metrics = {
            "auc": auc,
            "accuracy": accuracy,
            "precision": precision,
            "recall": recall,
            "threshold": cut,
            "churn_rate": float(y.mean()) if len(y) else nan,
            "customers": float(len(y)),
        }
        return pd.Series(metrics, dtype="float64")


# --------------------------------------------------------------------------------------------
# satisfaction (SERVQUAL) and recommendation (NPS)
# --------------------------------------------------------------------------------------------
def _scale(scale, name: str = "scale") -> tuple[float, float]:
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise CRMDataError(
            _("{name} must be two numbers (lowest, highest), got {scale!r}. Fix: pass e.g. {name}=(1, 7).").format(
                name=name, scale=scale
            )
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise CRMDataError(
            _("{name} must run from a lower to a higher number, got {scale!r}. Fix: pass e.g. {name}=(1, 7).").format(
                name=name, scale=scale
            )
        )
    return low, high


def _on_scale(checked: pd.DataFrame, name: str, columns, low: float, high: float) -> None:
    for column in columns:
        values = checked[column].to_numpy(dtype="float64")
        outside = (values < low) | (values > high)
        if outside.any():
            raise validate.rows_error(
                name,
                column,
                checked.index[outside],
                problem=_("outside the {low:g}–{high:g} scale").format(low=low, high=high),
                fix=_("check the coding of the answers (e.g. a 0–10 item mixed into a 1–7 one) or drop those rows"),
            )


def _per_group(checked: pd.DataFrame, groups: list, columns: list) -> pd.DataFrame:
    """Means of ``columns`` per group (one row labelled 'all' without groups), plus respondents."""
    if groups:
        grouped = checked.groupby(groups, observed=True)
        means = grouped[columns].mean()
        means.insert(0, "respondents", grouped.size())
        return means
    means = checked[columns].mean().to_frame("all").T
    means.insert(0, "respondents", len(checked))
    return means


def satisfaction_gap(
    surveys: pd.DataFrame,
    dimensions=SERVQUAL_DIMENSIONS,
    expectation: str = "expectation_{}",
    perception: str = "perception_{}",
    by=None,
    scale=(1, 7),
    level: float | None = None,
) -> pd.DataFrame:
    """SERVQUAL: mean expectation and perception per service dimension, and the gap between them.

    ``gap = mean perception − mean expectation``: below 0 the service falls short of what
    customers expect, above 0 it exceeds it. Satisfaction is that comparison of what was
    perceived with what was expected.

    Parameters
    ----------
    surveys : one row per respondent.
    dimensions : names of the dimensions.
    expectation, perception : column-name patterns, ``{}`` standing for the dimension.
    by : column name(s) to split by, e.g. the brand.
    scale : (lowest, highest) allowed answer; answers outside it are an error.
    level : e.g. 0.95 adds a paired t-test of each gap, since every respondent answered both
        questions: with ``d`` = perception − expectation per respondent, ``gap_se`` =
        sd(d) / sqrt(n), ``gap_low`` and ``gap_high`` (the t interval at ``level``), ``t`` =
        gap / gap_se and the two-sided ``p_value`` (n − 1 degrees of freedom; NaN with fewer
        than 2 respondents, or when every respondent gives the same difference).

    Returns
    -------
    DataFrame indexed by (group,) ``dimension`` with ``respondents``, ``expectation``,
    ``perception`` and ``gap`` (and the test's columns, if asked).

    Examples
    --------
    >>> surveys = pd.DataFrame({"expectation_speed": [6, 7], "perception_speed": [4, 5],
    ...                         "expectation_taste": [5, 5], "perception_taste": [6, 5]})
    >>> satisfaction_gap(surveys, dimensions=["speed", "taste"])
               respondents  expectation  perception  gap
    dimension
    speed                2          6.5         4.5 -2.0
    taste                2          5.0         5.5  0.5
    """
    dimensions = validate.column_list(dimensions, "dimensions", '["reliability"]', allow_none=False)
    if not dimensions:
        raise CRMDataError(_("dimensions is empty. Fix: pass the dimension names, e.g. dimensions=['reliability']."))
    for pattern, label in ((expectation, "expectation"), (perception, "perception")):
        if not isinstance(pattern, str) or "{}" not in pattern:
            raise CRMDataError(
                _(
                    "{label} must be a column-name pattern containing {{}}, got {pattern!r}. Fix: "
                    'pass e.g. {label}="{label}_{{}}".'
                ).format(label=label, pattern=pattern)
            )
    low, high = _scale(scale)
    groups = validate.group_columns(by)
    expect_cols = [expectation.format(d) for d in dimensions]
    perceive_cols = [perception.format(d) for d in dimensions]
    kinds = {column: "number" for column in expect_cols + perceive_cols}
    kinds.update({column: "key" for column in groups if column not in kinds})
    checked = validate.table(surveys, "surveys", kinds)
    _on_scale(checked, "surveys", expect_cols + perceive_cols, low, high)

    means = _per_group(checked, groups, expect_cols + perceive_cols)
    n_dims = len(dimensions)
    dimension = np.tile(np.array(dimensions, dtype=object), len(means))  # rows: group by group, dimensions within
    if groups:
        levels = [means.index.get_level_values(i).repeat(n_dims) for i in range(len(groups))]
        index = pd.MultiIndex.from_arrays([*levels, dimension], names=[*groups, "dimension"])
    else:
        index = pd.Index(dimension, name="dimension")
    expected = means[expect_cols].to_numpy().ravel()
    perceived = means[perceive_cols].to_numpy().ravel()
    table = pd.DataFrame(
        {
            "respondents": np.repeat(means["respondents"].to_numpy(), n_dims).astype("int64"),
            "expectation": expected,
            "perception": perceived,
            "gap": perceived - expected,
        },
        index=index,
    )
    if level is not None:
        table = _paired_gap_test(table, checked, groups, expect_cols, perceive_cols, level)
    return table


def _paired_gap_test(
    table: pd.DataFrame, checked: pd.DataFrame, groups: list, expect_cols: list, perceive_cols: list, level: float
) -> pd.DataFrame:
    """Add the paired t-test columns of :func:`satisfaction_gap` (rows in the table's order)."""
    from scipy import stats

    level = validate.share(level, "level")
    differences = pd.DataFrame(
        checked[perceive_cols].to_numpy(dtype="float64") - checked[expect_cols].to_numpy(dtype="float64"),
        index=checked.index,
    )
    for column in groups:
        differences[column] = checked[column].to_numpy()
    if groups:
        spread = differences.groupby(groups, sort=True, observed=True)[list(range(len(expect_cols)))].std(ddof=1)
    else:
        spread = differences[list(range(len(expect_cols)))].std(ddof=1).to_frame().T
    n = table["respondents"].to_numpy(dtype="float64")
    se = spread.to_numpy().ravel() / np.sqrt(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(se > 0, se, np.nan)
        t = table["gap"].to_numpy() / se
        dof = np.where(n > 1, n - 1, np.nan)
        half = stats.t.ppf((1 + level) / 2, dof) * se
        p_value = 2 * stats.t.sf(np.abs(t), dof)
    gap = table["gap"].to_numpy()
    return table.assign(gap_se=se, gap_low=gap - half, gap_high=gap + half, t=t, p_value=p_value)


def nps(surveys, score: str = "nps_score", by=None, level: float | None = None):
    """Net Promoter Score: shares of promoters (9–10), passives (7–8), detractors (0–6).

    ``NPS = (share of promoters − share of detractors) × 100``, from −100 to +100.
    Answers must be whole numbers from 0 to 10.

    Parameters
    ----------
    surveys : DataFrame with a ``score`` column, or a Series of scores.
    score : column name.
    by : column name(s) to split by (DataFrame only).
    level : e.g. 0.95 adds ``nps_se``, the standard error of the NPS,
        ``100 sqrt((P + D − (P − D)²) / n)`` for shares P of promoters and D of detractors
        among n respondents, and ``nps_low``, ``nps_high``, the normal interval at ``level``
        (within −100 and 100).

    Returns
    -------
    Without ``by`` a Series ``respondents, promoters, passives, detractors, nps``; with ``by``
    a DataFrame with those columns, one row per group.

    Examples
    --------
    >>> nps(pd.Series([10, 9, 8, 3, 10]))
    respondents     5.0
    promoters       0.6
    passives        0.2
    detractors      0.2
    nps            40.0
    Name: nps, dtype: float64
    """
    if isinstance(surveys, pd.Series):
        if by is not None:
            raise CRMDataError(
                _(
                    "by needs a table, but scores came as a Series. Fix: pass the surveys DataFrame, "
                    'e.g. nps(surveys, by="brand_id").'
                )
            )
        surveys = pd.DataFrame({score: surveys})
    groups = validate.group_columns(by)
    kinds = {score: "count"}
    kinds.update({column: "key" for column in groups if column != score})
    checked = validate.table(surveys, "surveys", kinds)
    _on_scale(checked, "surveys", [score], 0, 10)
    values = checked[score].to_numpy(dtype="float64")
    shares = checked[groups].assign(
        promoters=values >= 9, passives=(values >= 7) & (values <= 8), detractors=values <= 6
    )
    table = _per_group(shares, groups, ["promoters", "passives", "detractors"])
    table["nps"] = (table["promoters"] - table["detractors"]) * 100
    if level is not None:
        from statistics import NormalDist

        z = NormalDist().inv_cdf((1 + validate.share(level, "level")) / 2)
        share_gap = table["promoters"] - table["detractors"]
        table["nps_se"] = 100 * np.sqrt(
            (table["promoters"] + table["detractors"] - share_gap**2) / table["respondents"]
        )
        table["nps_low"] = (table["nps"] - z * table["nps_se"]).clip(lower=-100)
        table["nps_high"] = (table["nps"] + z * table["nps_se"]).clip(upper=100)
    if groups:
        return _rename_groups(table, by)
    return table.iloc[0].astype("float64").rename("nps")


# --------------------------------------------------------------------------------------------
# loyalty tiers
# --------------------------------------------------------------------------------------------
def _tier_bounds(tiers, name: str, upper: float | None) -> tuple[list[str], np.ndarray]:
    """Tier names and lower bounds, checked: a mapping, bounds rising from 0 (and below ``upper``)."""
    fix = (
        f"pass e.g. {name}={{'bronze': 0, 'silver': 0.5, 'gold': 0.8}}"
        if upper
        else f"pass e.g. {name}={{'bronze': 0, 'silver': 300, 'gold': 1000}}"
    )
    if not isinstance(tiers, Mapping) or not tiers:
        raise CRMDataError(
            _("{name} must be a non-empty mapping of tier name to lower bound, got {tiers!r}. Fix: {fix}.").format(
                name=name, tiers=tiers, fix=fix
            )
        )
    names = [str(n) for n in tiers]
    try:
        bounds = np.array([float(v) for v in tiers.values()])
    except (TypeError, ValueError):
        raise CRMDataError(
            _("{name} bounds must be numbers, got {items!r}. Fix: {fix}.").format(
                name=name, items=list(tiers.values()), fix=fix
            )
        ) from None
    if len(set(names)) < len(names):
        raise CRMDataError(
            _("{name} has repeated tier names {names}. Fix: give each tier its own name.").format(
                name=name, names=names
            )
        )
    if not np.all(np.isfinite(bounds)) or bounds[0] != 0 or np.any(np.diff(bounds) <= 0):
        raise CRMDataError(
            _(
                "{name} bounds must start at 0 (so every customer gets a tier) and rise from tier "
                "to tier, got {dict}. Fix: {fix}."
            ).format(name=name, dict=dict(zip(names, bounds.tolist(), strict=True)), fix=fix)
        )
    if upper is not None and bounds[-1] >= upper:
        raise CRMDataError(
            _("{name} bounds must be shares of customers below 1, got {bounds:g}. Fix: {fix}.").format(
                name=name, bounds=bounds[-1], fix=fix
            )
        )
    return names, bounds


def loyalty_tiers(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "order_date",
    amount: str = "amount",
    thresholds: Mapping | None = None,
    quantiles: Mapping | None = None,
    basis: str = "spend",
    as_of=None,
    window_days: int | None = None,
) -> pd.DataFrame:
    """Put each customer in a loyalty tier by spend or by number of visits.

    Two ways to draw the lines (give one):

    * ``thresholds={"bronze": 0, "silver": 300, "gold": 1000}``: the tier is the highest one
      whose lower bound the customer's ``basis`` reaches, as a loyalty programme states it;
    * ``quantiles={"bronze": 0, "silver": 0.5, "gold": 0.8}`` (the default): bounds are shares of
      customers ranked below, so here gold is the top 20%. Customers with equal values share a tier.

    ``basis`` is ``"spend"`` (sum of ``amount``) or ``"visits"`` (purchase days), counted over
    the ``window_days`` days up to ``as_of`` (default: all history up to the last order date).
    Every customer who bought by ``as_of`` gets a tier, also those quiet in the window (basis 0).

    Returns
    -------
    DataFrame indexed by customer with ``spend``, ``visits`` and ``tier`` (an ordered
    category, lowest tier first). :func:`tier_summary` sums it up per tier.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3, 4, 5],
    ...                        "order_date": ["2024-01-01", "2024-01-02", "2024-02-02",
    ...                                       "2024-01-03", "2024-01-04", "2024-01-05"],
    ...                        "amount": [10.0, 10.0, 10.0, 30.0, 40.0, 50.0]})
    >>> loyalty_tiers(orders)
                 spend  visits    tier
    customer_id
    1             10.0       1  bronze
    2             20.0       2  bronze
    3             30.0       1  bronze
    4             40.0       1  silver
    5             50.0       1    gold
    """
    validate.one_of(basis, "basis", ["spend", "visits"])
    if thresholds is not None and quantiles is not None:
        raise CRMDataError(_("loyalty_tiers takes thresholds or quantiles, not both. Fix: drop one of them."))
    relative = thresholds is None
    names, bounds = (
        _tier_bounds(DEFAULT_TIER_QUANTILES if quantiles is None else quantiles, "quantiles", 1.0)
        if relative
        else _tier_bounds(thresholds, "thresholds", None)
    )
    frame = _order_frame(orders, customer, date, amount=amount)
    end = frame["_day"].max() if as_of is None else validate.date(as_of, "as_of")
    known = frame[frame["_day"] <= end]
    if known.empty:
        raise CRMDataError(
            _("orders: no purchase on or before as_of {day_text}. Fix: pick a later as_of.").format(
                day_text=_day_text(end)
            )
        )
    start = (
        known["_day"].min()
        if window_days is None
        else end - pd.Timedelta(days=validate.whole_number(window_days, "window_days", minimum=1) - 1)
    )
    days = _purchase_days(known)
    in_window = days[days["_day"] >= start].groupby("_customer", sort=True, observed=True)
    customers = pd.Index(days["_customer"].unique(), name="_customer")  # sorted, as _purchase_days sorts
    table = pd.DataFrame({"spend": in_window["_amount"].sum(), "visits": in_window.size()}).reindex(customers)
    table = table.fillna({"spend": 0.0, "visits": 0}).astype({"spend": "float64", "visits": "int64"})
    value = table[basis].to_numpy(dtype="float64")
    if relative:
        below = table[basis].rank(method="min").to_numpy() - 1  # customers with a smaller value
        value = below / len(table) + 1e-12
    position = np.searchsorted(bounds, value, side="right") - 1
    table["tier"] = pd.Categorical.from_codes(position, categories=names, ordered=True)
    return _rename_groups(table, None, customer)


def tier_summary(customer_tiers: pd.DataFrame, tier: str = "tier", spend: str = "spend") -> pd.DataFrame:
    """Customers and spend per loyalty tier, with each tier's share of both.

    Examples
    --------
    >>> tiers = pd.DataFrame({"spend": [10.0, 20.0, 30.0, 40.0], "tier": ["bronze", "bronze", "silver", "gold"]})
    >>> tier_summary(tiers)
            customers  customer_share  spend  spend_share  spend_per_customer
    tier
    bronze          2            0.50   30.0          0.3                15.0
    silver          1            0.25   30.0          0.3                30.0
    gold            1            0.25   40.0          0.4                40.0
    """
    checked = validate.table(customer_tiers, "customer_tiers", {tier: "key", spend: "money"})
    grouped = checked.groupby(tier, observed=False, sort=isinstance(checked[tier].dtype, pd.CategoricalDtype))
    table = pd.DataFrame({"customers": grouped.size().astype("int64"), "spend": grouped[spend].sum()})
    total = table["spend"].sum()
    table.insert(1, "customer_share", table["customers"] / table["customers"].sum())
    table["spend_share"] = table["spend"] / total if total > 0 else 0.0
    table["spend_per_customer"] = table["spend"] / table["customers"].where(table["customers"] > 0)
    return table


# --------------------------------------------------------------------------------------------
# retention-based customer lifetime value
# --------------------------------------------------------------------------------------------
def _numbers(value, name: str) -> float | pd.Series:
    """A number, or a Series of numbers, checked to be present and finite."""
    if isinstance(value, pd.DataFrame):
        raise CRMDataError(
            _(
                "{name} must be a number or a Series (one column), got a DataFrame. Fix: pass one "
                "column, e.g. customers['{name}']."
            ).format(name=name)
        )
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple)):
        series = pd.Series(value) if not isinstance(value, pd.Series) else value
        checked = validate.table(pd.DataFrame({name: series}), name, {name: "number"})
        return checked[name]
    if isinstance(value, (str, bytes)) or value is None:
        raise CRMDataError(
            _("{name} must be a number, got {value!r}. Fix: pass e.g. {name}=0.8.").format(name=name, value=value)
        )
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not np.isfinite(number):
        raise CRMDataError(
            _("{name} must be a finite number, got {value!r}. Fix: pass e.g. {name}=0.8.").format(
                name=name, value=value
            )
        )
    return number


def simple_clv(margin_per_period, retention, discount_rate: float, periods: int | None = None):
    """Retention-based customer lifetime value, the first margin earned now (t = 0).

    A customer brings margin ``m`` each period while they stay; they stay from one period to
    the next with probability ``r``; money a period later is worth ``1 / (1 + d)`` of money now::

        CLV = sum_{t=0}^{T-1} m r^t / (1 + d)^t = m (1 - q^T) / (1 - q),   q = r / (1 + d)

    over ``T = periods`` payments, and with no end (``periods=None``)
    ``CLV = m / (1 - q) = m (1 + d) / (1 + d - r)``. (Books that let the first margin arrive a
    period later, at t = 1, get ``m r / (1 + d - r)`` instead: our value times ``r / (1 + d)``.)

    Parameters
    ----------
    margin_per_period : number, or Series per customer (negative for a loss-making customer).
    retention : number in [0, 1), or Series per customer.
    discount_rate : per period, >= 0.
    periods : number of margins counted (whole, >= 1), or None for no end.

    Returns
    -------
    A float for numbers; a Series named ``clv`` if either input is a Series.

    Examples
    --------
    >>> simple_clv(100, retention=0.8, discount_rate=0.1)  # 100 x 1.1 / 0.3
    366.6666666666667
    >>> round(simple_clv(100, retention=0.8, discount_rate=0.1, periods=3), 2)  # 100 (1 + 0.8/1.1 + (0.8/1.1)^2)
    225.62
    """
    margin = _numbers(margin_per_period, "margin_per_period")
    keep = _numbers(retention, "retention")
    rate = validate.positive_number(discount_rate, "discount_rate", minimum=0.0, inclusive=True)
    if not np.isfinite(rate):
        raise CRMDataError(
            _("discount_rate must be a finite number, got {discount_rate!r}. Fix: pass e.g. discount_rate=0.1.").format(
                discount_rate=discount_rate
            )
        )
    count = None if periods is None else validate.whole_number(periods, "periods", minimum=1)
    if isinstance(keep, pd.Series):
        outside = (keep < 0) | (keep >= 1)
        if outside.any():
            raise validate.rows_error(
                "retention",
                "retention",
                keep.index[outside],
                problem=_("outside [0, 1)"),
                fix=_("retention is the chance of staying one more period; a rate of 1 would give an endless value"),
            )
    elif not 0 <= keep < 1:
        raise CRMDataError(
            _("retention must be at least 0 and below 1, got {retention!r}. Fix: pass e.g. retention=0.8.").format(
                retention=retention
            )
        )
    if isinstance(margin, pd.Series) and isinstance(keep, pd.Series) and not margin.index.equals(keep.index):
        raise CRMDataError(
            _(
                "margin_per_period and retention are Series with different indexes. Fix: pass two "
                "columns of the same table, e.g. customers['margin'], customers['retention']."
            )
        )
    q = keep / (1.0 + rate)
    factor = 1.0 / (1.0 - q) if count is None else (1.0 - q**count) / (1.0 - q)
    value = margin * factor
    if isinstance(value, pd.Series):
        return value.rename("clv")
    return float(value)


# --------------------------------------------------------------------------------------------
# cross-buying
# --------------------------------------------------------------------------------------------
def cross_buying(
    purchases: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "order_date",
    category: str = "category",
    within_days: int | None = 0,
    min_categories: int = 2,
) -> pd.DataFrame:
    """How many product categories each customer bought early on, and who is a cross-buyer.

    Counts the distinct ``category`` values a customer bought from their first purchase day
    to ``within_days`` days later (0: the first purchase day only, their first basket;
    None: their whole history). A cross-buyer bought at least ``min_categories`` of them.

    Parameters
    ----------
    purchases : one row per purchased item or order line, with its category and date (for
        the retailer: order_lines merged with orders and products).
    customer, date, category : column names.

    Returns
    -------
    DataFrame indexed by customer with ``first_purchase``, ``categories`` and ``cross_buyer``.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2],
    ...                       "order_date": ["2024-01-01", "2024-01-01", "2024-03-01", "2024-01-05", "2024-02-01"],
    ...                       "category": ["bath", "kitchen", "garden", "bath", "kitchen"]})
    >>> cross_buying(lines)[["categories", "cross_buyer"]]
                 categories  cross_buyer
    customer_id
    1                     2         True
    2                     1        False
    """
    minimum = validate.whole_number(min_categories, "min_categories", minimum=1)
    reach = None if within_days is None else validate.whole_number(within_days, "within_days", minimum=0)
    frame = _order_frame(purchases, customer, date, extra={category: "key"})
    first = frame.groupby("_customer", sort=True, observed=True)["_day"].min()
    start = first.reindex(frame["_customer"]).to_numpy()
    early = frame if reach is None else frame[frame["_day"].to_numpy() <= start + np.timedelta64(reach, "D")]
    breadth = early[["_customer", category]].drop_duplicates().groupby("_customer", sort=True, observed=True).size()
    table = pd.DataFrame({"first_purchase": first, "categories": breadth.reindex(first.index).astype("int64")})
    table["cross_buyer"] = table["categories"] >= minimum
    return _rename_groups(table, None, customer)


# --------------------------------------------------------------------------------------------
# re-buy signals: how wide a net should a "prompt response" cast?
# --------------------------------------------------------------------------------------------
def _rebuys(repeats: pd.DataFrame, gap: str, customer: str, date: str) -> pd.DataFrame:
    checked = validate.table(repeats, "repeats", {gap: "number", customer: "key", date: "date"})
    negative = checked[gap] < 0
    if negative.any():
        raise validate.rows_error(
            "repeats",
            gap,
            checked.index[negative],
            noun=_("negative gap"),
            fix=_("compute gaps as the later date minus the earlier date"),
        )
    return checked


def rebuy_window_summary(
    repeats: pd.DataFrame,
    days: int,
    gap: str = "gap_days",
    customer: str = "customer_id",
    date: str = "order_date",
    weeks: float | None = None,
) -> dict:
    """What a prompt-response window of ``days`` flags among re-buys: how many, by how many
    customers, how many a week, and what share of all re-buys.

    A *re-buy* is a customer buying a product they had bought before; its *gap* is the number of
    days since they last bought that product. A narrow window flags few, sharp signals that a
    small team can answer the next day; a wide one catches more but mixes in routine restocking.

    Parameters
    ----------
    repeats : one row per re-buy, with the ``gap`` in days, the ``customer`` and the ``date``.
    days : the window: re-buys with a gap of at most this many days are flagged.
    weeks : the length of the period the re-buys come from; by default the span of ``date``.

    >>> repeats = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "gap_days": [3, 40, 10, 200],
    ...                         "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-05-01", "2024-12-30"])})
    >>> rebuy_window_summary(repeats, 14)
    {'days': 14, 'rebuys': 2, 'customers': 2, 'per_week': 0.038, 'share': 0.5}
    """
    checked = _rebuys(repeats, gap, customer, date)
    days = validate.whole_number(days, "days", minimum=0, example=30)
    if weeks is None:
        weeks = max((checked[date].max() - checked[date].min()).days / 7, 1.0)
    flagged = checked[checked[gap] <= days]
    return {
        "days": days,
        "rebuys": int(len(flagged)),
        "customers": int(flagged[customer].nunique()),
        "per_week": round(len(flagged) / weeks, 3),
        "share": round(len(flagged) / len(checked), 3) if len(checked) else float("nan"),
    }


# --------------------------------------------------------------------------------------------
# customer life-cycle stages at a date, from nothing but the purchase history
# --------------------------------------------------------------------------------------------
# The life cycle runs discover → evaluate → buy → use → retain → leave. The first two stages leave
# no trace in an orders table, the later ones do: how long ago a customer first bought, and how
# long ago they last bought. Five rules turn those two numbers into a stage (see
# :func:`lifecycle_stages`); the thresholds are business choices (a tea shop visited weekly and a
# furniture store visited yearly need different ones), which the life-cycle explorer lets a
# class move.

#: The five life-cycle stages and their Chinese names (see :mod:`crmlib.vocabulary`).
LIFECYCLE_STAGES = vocabulary.LIFECYCLE_STAGES
LIFECYCLE_STAGES_ZH = vocabulary.LIFECYCLE_STAGES_ZH
#: Default thresholds of the life-cycle stages, in days.
LIFECYCLE_RULES = {"new_days": 30, "active_days": 30, "cooling_days": 90, "lapsed_days": 180}


def _rules(new_days, active_days, cooling_days, lapsed_days) -> dict[str, int]:
    rules = {}
    for name, value in (
        ("new_days", new_days),
        ("active_days", active_days),
        ("cooling_days", cooling_days),
        ("lapsed_days", lapsed_days),
    ):
        number = validate.positive_number(value, name, minimum=1, inclusive=True)
        if number != int(number):
            raise CRMDataError(
                _("{name} must be a whole number of days, got {value!r}. Fix: pass e.g. {name}={example}.").format(
                    name=name, value=value, example=LIFECYCLE_RULES[name]
                )
            )
        rules[name] = int(number)
    if not rules["active_days"] < rules["cooling_days"] < rules["lapsed_days"]:
        raise CRMDataError(
            _(
                "the thresholds must rise: active_days < cooling_days < lapsed_days, got {rules}, "
                "{rules2}, {rules3}. Fix: pass e.g. active_days=30, cooling_days=90, "
                "lapsed_days=180."
            ).format(rules=rules["active_days"], rules2=rules["cooling_days"], rules3=rules["lapsed_days"])
        )
    return rules


def purchase_days(
    orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date", by: str | None = None
) -> pd.DataFrame:
    """One row per customer and purchase day, sorted by day: columns ``customer``, ``day`` (and
    ``group``, the ``by`` value). Two orders on one day are one purchase.

    The life-cycle functions accept this table too (``customer="customer", date="day",
    by="group"``), which saves checking a large orders table again and again.

    >>> orders = pd.DataFrame(
    ...     {"customer_id": [1, 1, 2], "order_date": ["2024-01-02 09:00", "2024-01-02 18:00", "2024-01-01"]}
    ... )
    >>> purchase_days(orders)
       customer        day
    0         2 2024-01-01
    1         1 2024-01-02
    """
    kinds = {customer: "key", date: "date"}
    if by is not None:
        kinds[by] = "key"
    checked = validate.table(orders, "orders", kinds)
    frame = pd.DataFrame(
        {"customer": checked[customer].to_numpy(), "day": validate.calendar_days(checked[date]).to_numpy()}
    )
    if by is not None:
        frame["group"] = checked[by].to_numpy()
    return frame.drop_duplicates(["customer", "day"]).sort_values("day", kind="stable").reset_index(drop=True)


def _stages_from_days(days: pd.DataFrame, as_of: pd.Timestamp, rules: dict[str, int]) -> pd.DataFrame:
    known = days[days["day"] <= as_of]
    if known.empty:
        raise CRMDataError(
            _("orders: no purchase on or before as_of {date}. Fix: pick a later as_of.").format(date=as_of.date())
        )
    grouped = known.groupby("customer", sort=True)
    table = pd.DataFrame({"first_purchase": grouped["day"].min(), "last_purchase": grouped["day"].max()})
    if "group" in known:
        table.insert(0, "group", grouped["group"].first())
    since_first = (as_of - table["first_purchase"]).dt.days.to_numpy()
    since_last = (as_of - table["last_purchase"]).dt.days.to_numpy()
    code = np.select(
        [
            since_first < rules["new_days"],
            since_last < rules["active_days"],
            since_last < rules["cooling_days"],
            since_last < rules["lapsed_days"],
        ],
        [0, 1, 2, 3],
        default=4,
    )
    table["days_since_first"] = since_first
    table["days_since_last"] = since_last
    table["stage"] = pd.Categorical.from_codes(code, categories=list(LIFECYCLE_STAGES), ordered=True)
    return table


def lifecycle_stages(
    orders: pd.DataFrame,
    as_of,
    customer: str = "customer_id",
    date: str = "order_date",
    by: str | None = None,
    new_days: int = 30,
    active_days: int = 30,
    cooling_days: int = 90,
    lapsed_days: int = 180,
) -> pd.DataFrame:
    """Each customer's life-cycle stage at the end of day ``as_of``.

    The rules, in days counted back from ``as_of`` (the day counts as seen at its end):

    =========  ======  =================================================================
    stage      中文     rule (days counted back from ``as_of``)
    =========  ======  =================================================================
    new        新客户    first purchase fewer than ``new_days`` days ago
    active     活跃客户   otherwise: last purchase fewer than ``active_days`` days ago
    cooling    降温客户   otherwise: last purchase fewer than ``cooling_days`` days ago
    lapsed     沉睡客户   otherwise: last purchase fewer than ``lapsed_days`` days ago
    lost       流失客户   otherwise (quiet for ``lapsed_days`` days or more)
    =========  ======  =================================================================

    Only purchases on or before ``as_of`` count; customers who first bought later are left out.
    Two orders on one day are one purchase.

    Parameters
    ----------
    orders : one row per order.
    as_of : the date the stages are read at.
    customer, date : column names.
    by : a column to carry along (e.g. the brand); a customer's value on their first purchase is kept.
    new_days, active_days, cooling_days, lapsed_days : the thresholds, in days.

    Returns
    -------
    DataFrame indexed by customer: (``by``,) ``first_purchase``, ``last_purchase``,
    ``days_since_first``, ``days_since_last`` and ``stage`` (ordered category, :data:`LIFECYCLE_STAGES`).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3, 4, 5],
    ...                        "order_date": ["2024-12-20", "2024-06-01", "2024-12-01", "2024-10-15",
    ...                                       "2024-08-01", "2024-01-10"]})
    >>> lifecycle_stages(orders, as_of="2024-12-31")[["days_since_first", "days_since_last", "stage"]]
                 days_since_first  days_since_last    stage
    customer_id
    1                          11               11      new
    2                         213               30  cooling
    3                          77               77  cooling
    4                         152              152   lapsed
    5                         356              356     lost
    """
    rules = _rules(new_days, active_days, cooling_days, lapsed_days)
    end = validate.date(as_of, "as_of").normalize()
    table = _stages_from_days(purchase_days(orders, customer, date, by), end, rules)
    if by is not None:
        table = table.rename(columns={"group": by})
    return table.rename_axis(customer)


def _counts(stages: pd.DataFrame, group: str | None) -> pd.DataFrame:
    if group is None:
        counts = stages["stage"].value_counts().reindex(list(LIFECYCLE_STAGES), fill_value=0)
        return counts.rename("all").to_frame().T.rename_axis(index=None, columns="stage")
    table = pd.crosstab(stages[group], stages["stage"]).reindex(columns=list(LIFECYCLE_STAGES), fill_value=0)
    return table.rename_axis(columns="stage").astype("int64")


def stage_counts(
    orders: pd.DataFrame, as_of, customer: str = "customer_id", date: str = "order_date", by: str | None = None, **rules
) -> pd.DataFrame:
    """Customers per life-cycle stage at ``as_of``: one row per ``by`` group (or one row ``all``), one column per stage.

    ``rules`` are the thresholds of :func:`lifecycle_stages`.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3, 4, 5],
    ...                        "order_date": ["2024-12-20", "2024-06-01", "2024-12-01", "2024-10-15",
    ...                                       "2024-08-01", "2024-01-10"]})
    >>> stage_counts(orders, as_of="2024-12-31")
    stage  new  active  cooling  lapsed  lost
    all      1       0        2       1     1
    """
    stages = lifecycle_stages(orders, as_of, customer=customer, date=date, by=by, **rules)
    return _counts(stages, by)


def stage_history(
    orders: pd.DataFrame, dates, customer: str = "customer_id", date: str = "order_date", **rules
) -> pd.DataFrame:
    """Customers per life-cycle stage at each of ``dates``: one row per date, one column per stage.

    The same counts as :func:`stage_counts` without ``by``, for many as-of dates at once (the
    orders are checked and reduced to purchase days only once).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3],
    ...                        "order_date": ["2024-01-05", "2024-01-20", "2024-03-15", "2024-03-10"]})
    >>> stage_history(orders, ["2024-01-31", "2024-03-31"])
    stage       new  active  cooling  lapsed  lost
    as_of
    2024-01-31    2       0        0       0     0
    2024-03-31    1       1        1       0     0
    """
    current = _rules(**{**LIFECYCLE_RULES, **rules})
    days = purchase_days(orders, customer, date, None)
    ends = [
        validate.date(d, "dates")
        for d in (dates if isinstance(dates, (list, tuple, pd.Index, pd.Series, np.ndarray)) else [dates])
    ]
    rows = {end: _counts(_stages_from_days(days, end, current), None).iloc[0] for end in ends}
    table = pd.DataFrame(rows).T.rename_axis(index="as_of", columns="stage")
    return table.astype("int64")


# --------------------------------------------------------------------------------------------
# satisfaction drivers: what if a brand closed one service gap?
# --------------------------------------------------------------------------------------------
# Respondents whose perception beats their expectation recommend the brand more often.
# :class:`NPSDriverModel` turns that relation into a small what-if model: two logistic
# regressions on the five SERVQUAL gaps (perception - expectation) and the respondent's group,
# one for the chance of a promoter (9-10) and one for a detractor (0-6). A group's predicted NPS
# is 100 x (mean promoter chance - mean detractor chance). It is a model, not an experiment: it
# describes how gaps and scores go together in this survey; whether improving the service would
# move the scores that much is an assumption.


class NPSDriverModel:
    """Promoter and detractor chances from the SERVQUAL gaps, to ask "what if a gap closed?".

    Parameters
    ----------
    by : optional column naming each respondent's group (e.g. ``"brand_id"``); the model then
        has one baseline per group, so its NPS of each group equals the observed one (up to
        rounding), and the gaps' weights are shared by all groups.
    dimensions : the SERVQUAL dimensions; columns ``expectation_<d>`` and ``perception_<d>``.
    score : the 0–10 recommendation column.
    scale : (lowest, highest) answer of the expectation and perception items.

    Attributes
    ----------
    model_ : ``{"promoter": ..., "detractor": ...}``, the two fitted scikit-learn logistic
        regressions.
    coefficients_ : DataFrame, one row per gap (and group baseline), columns ``promoter`` and
        ``detractor``: the change in the log-odds for one point more of that gap.
    groups_ : the groups of ``by`` seen in fitting (None without ``by``).
    n_customers_ : how many respondents the model was fitted on.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> gap = rng.integers(-2, 3, size=400)
    >>> surveys = pd.DataFrame(
    ...     {f"{k}_{d}": np.full(400, 4) for k in ("expectation", "perception") for d in SERVQUAL_DIMENSIONS}
    ... )
    >>> surveys["perception_empathy"] = 4 + gap
    >>> surveys["nps_score"] = np.clip(7 + 2 * gap + rng.integers(-1, 2, size=400), 0, 10)
    >>> model = NPSDriverModel().fit(surveys)
    >>> bool(model.predict_nps(surveys, shift={"empathy": 1}) > model.predict_nps(surveys))
    True
    """

    def __init__(self, by: str | None = None, dimensions=SERVQUAL_DIMENSIONS, score: str = "nps_score", scale=(1, 7)):
        self.by = by
        if isinstance(dimensions, str):
            dimensions = [dimensions]
        if not isinstance(dimensions, (list, tuple)) or not all(isinstance(d, str) for d in dimensions):
            raise CRMDataError(
                _(
                    "NPSDriverModel: dimensions must be a list of dimension names, got "
                    "{dimensions!r}. Fix: pass e.g. dimensions=['reliability', 'empathy']."
                ).format(dimensions=dimensions)
            )
        self.dimensions = list(dimensions)
        if not self.dimensions:
            raise CRMDataError(
                _("dimensions is empty. Fix: pass the dimension names, e.g. dimensions=['reliability'].")
            )
        self.score = score
        ends = list(scale) if isinstance(scale, (list, tuple)) else []
        if (
            len(ends) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in ends)
            or not ends[0] < ends[1]
        ):
            raise CRMDataError(
                _(
                    "NPSDriverModel: scale must be (lowest, highest) answer of the survey, got "
                    "{scale!r}. Fix: pass e.g. scale=(1, 7)."
                ).format(scale=scale)
            )
        low, high = ends
        self.scale = (float(low), float(high))
        self.model_: dict | None = None
        self.coefficients_: pd.DataFrame | None = None
        self.groups_: list | None = None
        self.n_customers_: int | None = None

    def __repr__(self) -> str:
        state = "not fitted" if self.model_ is None else f"{self.n_customers_} respondents"
        return f"NPSDriverModel(by={self.by!r}, {state})"

    def _fitted(self) -> dict:
        if self.model_ is None:
            raise CRMDataError(_("NPSDriverModel is not fitted yet. Fix: call .fit(surveys) first."))
        return self.model_

    # -- shared steps ---------------------------------------------------------------------------
    def _checked(self, surveys: pd.DataFrame, with_score: bool) -> pd.DataFrame:
        kinds = {f"{k}_{d}": "number" for d in self.dimensions for k in ("expectation", "perception")}
        if with_score:
            kinds[self.score] = "count"
        if self.by is not None:
            kinds[self.by] = "key"
        return validate.table(surveys, "surveys", kinds)

    def _design(self, checked: pd.DataFrame, shift: Mapping | None) -> np.ndarray:
        """Gaps (perception shifted and capped to the scale) and one 0/1 column per group."""
        low, high = self.scale
        shift = dict(shift or {})
        unknown = [d for d in shift if d not in self.dimensions]
        if unknown:
            raise CRMDataError(
                _("shift names unknown dimension(s) {unknown}. Fix: use some of {dimensions}.").format(
                    unknown=unknown, dimensions=self.dimensions
                )
            )
        gaps = []
        for d in self.dimensions:
            perceived = np.clip(
                checked[f"perception_{d}"].to_numpy(dtype="float64") + float(shift.get(d, 0.0)), low, high
            )
            gaps.append(perceived - checked[f"expectation_{d}"].to_numpy(dtype="float64"))
        columns = [np.column_stack(gaps)]
        if self.by is not None:
            values = checked[self.by].astype(object).to_numpy()
            new = sorted(set(values) - set(self.groups_), key=str) if self.groups_ is not None else []
            if new:
                raise CRMDataError(
                    _(
                        "surveys: {by} has groups the model was not fitted on: {new}. Fix: fit on surveys "
                        "that include them."
                    ).format(by=self.by, new=new[:5])
                )
            columns.append((values[:, None] == np.array(self.groups_, dtype=object)[None, :]).astype("float64"))
        return np.column_stack(columns)

    def _with_baseline(self, X: np.ndarray) -> np.ndarray:
        """Add the common intercept column when there are no groups (the groups' columns are the baselines)."""
        return X if self.by is not None else np.column_stack([X, np.ones(len(X))])

    # -- fitting and predicting -----------------------------------------------------------------
    def fit(self, surveys: pd.DataFrame) -> NPSDriverModel:
        """Fit the promoter and detractor regressions on one row per respondent."""
        checked = self._checked(surveys, with_score=True)
        score = checked[self.score].to_numpy(dtype="float64")
        if ((score < 0) | (score > 10)).any():
            raise validate.rows_error(
                "surveys",
                self.score,
                checked.index[(score < 0) | (score > 10)],
                problem=_("outside 0–10"),
                fix=_("the recommendation question is answered on a 0–10 scale"),
            )
        if self.by is not None:
            self.groups_ = sorted(checked[self.by].astype(object).unique(), key=str)
        X = self._with_baseline(self._design(checked, None))
        from sklearn.linear_model import LogisticRegression

        models = {}
        for name, target in (("promoter", score >= 9), ("detractor", score <= 6)):
            if target.all() or not target.any():
                raise CRMDataError(
                    _(
                        "surveys: every respondent is {value} {name}, so there is nothing to learn. Fix: "
                        "use more respondents."
                    ).format(value="a" if target.all() else "not a", name=name)
                )
            # The baselines are columns of X, so no separate intercept; the tiny ridge penalty
            # (C = 1e4) only keeps the weights finite if a gap separates the classes.
            models[name] = LogisticRegression(C=1e4, fit_intercept=False, tol=1e-10, max_iter=10_000).fit(X, target)
        index = [f"gap_{d}" for d in self.dimensions] + (
            [f"{self.by}={g}" for g in self.groups_] if self.by is not None else ["intercept"]
        )
        self.model_ = models
        self.coefficients_ = pd.DataFrame(
            {name: m.coef_[0] for name, m in models.items()}, index=pd.Index(index, name="term")
        )
        self.n_customers_ = len(checked)
        return self

    def predict_nps(self, surveys: pd.DataFrame, shift: Mapping | None = None):
        """The model's NPS of the respondents, as they answered or with perceptions shifted.

        Parameters
        ----------
        surveys : the respondents (columns as in :meth:`fit`; the score is not needed).
        shift : e.g. ``{"responsiveness": 1.0}``: add this to every respondent's perception of
            that dimension, capped to the scale, before predicting.

        Returns
        -------
        A float without groups; with ``by`` a Series of NPS per group (named ``nps``).
        """
        models = self._fitted()
        checked = self._checked(surveys, with_score=False)
        X = self._with_baseline(self._design(checked, shift))
        net = 100 * (models["promoter"].predict_proba(X)[:, 1] - models["detractor"].predict_proba(X)[:, 1])
        if self.by is None:
            return float(net.mean())
        return (
            pd.Series(net, index=checked.index)
            .groupby(checked[self.by].astype(object).to_numpy())
            .mean()
            .rename_axis(self.by)
            .rename("nps")
        )


def _fitted_nps_model(model) -> None:
    if not isinstance(model, NPSDriverModel):
        raise CRMDataError(
            _(
                "model must be a fitted NPSDriverModel, got {type}. Fix: pass "
                'model=loyalty.NPSDriverModel(by="brand_id").fit(surveys).'
            ).format(type=type(model).__name__)
        )
    model._fitted()


def nps_lift_table(model: NPSDriverModel, surveys: pd.DataFrame, shift: float = 1.0) -> pd.DataFrame:
    """Predicted NPS change if one dimension were perceived ``shift`` points better, per dimension.

    Returns
    -------
    DataFrame with one row per group (one row "all" without groups) and one column per
    dimension: the model's NPS with that dimension shifted minus its NPS as answered.
    """
    shift = float(shift)
    if not np.isfinite(shift):
        raise CRMDataError(
            _("shift must be a finite number of scale points, got {shift!r}. Fix: pass e.g. shift=1.").format(
                shift=shift
            )
        )
    _fitted_nps_model(model)
    now = model.predict_nps(surveys)
    lifts = {d: model.predict_nps(surveys, shift={d: shift}) - now for d in model.dimensions}
    if model.by is None:
        return pd.DataFrame(lifts, index=pd.Index(["all"], name="group"))
    table = pd.DataFrame(lifts)
    table.columns.name = "dimension"
    return table


def nps_what_if(model: NPSDriverModel, surveys: pd.DataFrame, group, dimension: str, shift: float) -> dict:
    """What the model says happens to one group's NPS if one dimension were perceived ``shift``
    points better: its gaps now and after, its observed NPS, the model's NPS now and after.

    Parameters
    ----------
    model : a fitted :class:`NPSDriverModel`; surveys : the respondents it describes.
    group : one value of ``model.by`` (ignored without groups); dimension : one of ``model.dimensions``.

    Returns
    -------
    dict with ``group``, ``dimension``, ``shift``, ``respondents``, ``gap_now`` and ``gap_after``
    (``{dimension: mean perception - mean expectation}``), ``observed_nps``, ``model_nps``,
    ``predicted_nps`` and ``change`` (predicted minus model now).
    """
    _fitted_nps_model(model)
    if not isinstance(surveys, pd.DataFrame):
        raise CRMDataError(
            _(
                "surveys: expected a pandas DataFrame, got {type}. Fix: pass the survey table the "
                "model was fitted on, e.g. surveys=tea.surveys."
            ).format(type=type(surveys).__name__)
        )
    validate.unique_columns(surveys, "surveys")
    validate.require_columns(surveys, "surveys", [model.by] if model.by is not None else [])
    validate.finite_number(shift, "shift", minimum=-10, maximum=10)
    if dimension not in model.dimensions:
        raise CRMDataError(
            _("dimension {dimension!r} is unknown. Fix: pick one of {dimensions}.").format(
                dimension=dimension, dimensions=model.dimensions
            )
        )
    if model.by is not None and group not in model.groups_:
        raise CRMDataError(
            _("group {group!r} is not among the surveys' {by} values {groups}. Fix: pick one of them.").format(
                group=group, by=model.by, groups=model.groups_
            )
        )
    if isinstance(shift, bool) or not isinstance(shift, (int, float, np.number)) or not np.isfinite(shift):
        raise CRMDataError(
            _("shift must be a finite number of scale points, got {shift!r}. Fix: pass e.g. shift=1.").format(
                shift=shift
            )
        )
    part = surveys if model.by is None else surveys[surveys[model.by].astype(object) == group]
    low, high = model.scale
    expected = {d: float(part[f"expectation_{d}"].mean()) for d in model.dimensions}
    gap_now = {d: float(part[f"perception_{d}"].mean()) - expected[d] for d in model.dimensions}
    moved = np.clip(part[f"perception_{dimension}"].to_numpy(dtype="float64") + shift, low, high)
    gap_after = dict(gap_now, **{dimension: float(moved.mean()) - expected[dimension]})
    score = part[model.score].to_numpy()
    observed = 100 * (np.mean(score >= 9) - np.mean(score <= 6))
    now, after = model.predict_nps(part), model.predict_nps(part, shift={dimension: shift})
    if model.by is not None:
        now, after = float(now.iloc[0]), float(after.iloc[0])
    return {
        "group": group,
        "dimension": dimension,
        "shift": shift,
        "respondents": len(part),
        "gap_now": gap_now,
        "gap_after": gap_after,
        "observed_nps": float(observed),
        "model_nps": now,
        "predicted_nps": after,
        "change": after - now,
    }


# --------------------------------------------------------------------------------------------
# retention campaigns: which customers get an offer, and is it worth it?
# --------------------------------------------------------------------------------------------
# A churn model gives each customer a churn probability. A campaign makes a retention offer to the
# customers at or above a threshold; the offer is one of the three levels of retention bonds
# (:data:`RETENTION_BONDS`, assumed costs and effects). On a scored test set, where we know
# afterwards who left:
#
#     flagged     = customers with churn probability >= threshold
#     caught      = flagged customers who did churn (true positives)
#     margin kept = sum over caught of value_if_kept x saved share
#     cost        = fixed cost + flagged x cost per customer   (everyone flagged gets the offer)
#     net value   = margin kept - cost
#
# An offer to a customer who would have stayed anyway saves nothing and still costs money, so a
# low threshold (many flagged, low precision) can lose money with a dear offer.

#: Assumed offers, one per level of retention bond (see :data:`crmlib.vocabulary.RETENTION_BONDS`).
RETENTION_BONDS = vocabulary.RETENTION_BONDS

_COLUMNS = {"probability": "churn_probability", "churned": "churned", "value": "value_if_kept"}


def _bond_table(bonds) -> Mapping:
    """The offers to compare: :data:`RETENTION_BONDS` for None, else a dict (each offer checked by ``_bond``)."""
    if bonds is None:
        return RETENTION_BONDS
    if not isinstance(bonds, Mapping) or not bonds:
        raise CRMDataError(
            _(
                "bonds must be a non-empty dict of offers like RETENTION_BONDS, got {bonds!r}. "
                "Fix: leave bonds out, or pass e.g. bonds=loyalty.RETENTION_BONDS."
            ).format(bonds=bonds)
        )
    return bonds


def _bond(bonds: Mapping, bond: str) -> tuple[float, float, float]:
    if bond not in bonds:
        raise CRMDataError(
            _("bond {bond!r} is unknown. Fix: pick one of {items}.").format(bond=bond, items=list(bonds))
        )
    offer = bonds[bond]
    try:
        fixed = float(offer.get("fixed_cost", 0.0))
        cost, share = float(offer["cost_per_customer"]), float(offer["saved_share"])
    except (AttributeError, KeyError, TypeError, ValueError):
        raise CRMDataError(
            _(
                "bond {bond!r} must give numbers cost_per_customer and saved_share (and "
                "optionally fixed_cost), got {offer!r}. Fix: pass e.g. {{'cost_per_customer': 4, "
                "'saved_share': 0.1}}."
            ).format(bond=bond, offer=offer)
        ) from None
    for label, number in (("fixed_cost", fixed), ("cost_per_customer", cost)):
        if not (np.isfinite(number) and number >= 0):
            raise CRMDataError(
                _("bond {bond!r}: {label} must be a number >= 0, got {number!r}. Fix: pass e.g. 4.").format(
                    bond=bond, label=label, number=number
                )
            )
    validate.share(share, f"saved_share of {bond!r}")
    return fixed, cost, share


def _scored(scored: pd.DataFrame, probability: str, churned: str, value: str) -> pd.DataFrame:
    checked = validate.table(scored, "scored", {probability: "number", churned: "flag", value: "money"})
    p = checked[probability].to_numpy(dtype="float64")
    if ((p < 0) | (p > 1)).any():
        raise validate.rows_error(
            "scored",
            probability,
            checked.index[(p < 0) | (p > 1)],
            problem=_("outside 0–1"),
            fix=_("pass probabilities, e.g. ChurnModel.predict_proba()"),
        )
    validate.not_empty(checked, "scored")
    return checked


def retention_campaign_value(
    scored: pd.DataFrame,
    threshold: float,
    bond: str = "financial",
    bonds: Mapping | None = None,
    probability: str = "churn_probability",
    churned: str = "churned",
    value: str = "value_if_kept",
) -> dict:
    """What a retention campaign at ``threshold`` with one offer would have flagged, kept and cost.

    Parameters
    ----------
    scored : one row per customer: the model's ``probability``, whether they ``churned``
        (known afterwards, in a test period) and the margin ``value`` they bring if kept (CNY).
    threshold : flag customers with a probability at or above this.
    bond, bonds : the offer's name in ``bonds`` (default :data:`RETENTION_BONDS`).

    Returns
    -------
    dict with ``threshold``, ``bond``, ``flagged``, ``caught`` (flagged churners), ``precision``,
    ``recall``, ``kept_customers`` (expected), ``margin_kept``, ``cost`` and ``net_value``.

    Examples
    --------
    >>> scored = pd.DataFrame({"churn_probability": [0.9, 0.8, 0.3, 0.1], "churned": [True, False, True, False],
    ...                        "value_if_kept": [100.0, 50.0, 80.0, 60.0]})
    >>> r = retention_campaign_value(scored, 0.5, "financial")
    >>> r["flagged"], r["precision"], r["recall"], round(r["net_value"], 2)  # 100 x 0.10 - 2 x 4
    (2, 0.5, 0.5, 2.0)
    """
    bonds = _bond_table(bonds)
    offer = _bond(bonds, bond)
    t = validate.share(threshold, "threshold")
    checked = _scored(scored, probability, churned, value)
    return _campaign(*_arrays(checked, probability, churned, value), t, bond, *offer)


def _arrays(
    checked: pd.DataFrame, probability: str, churned: str, value: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        checked[probability].to_numpy(dtype="float64"),
        checked[churned].to_numpy().astype(bool),
        checked[value].to_numpy(dtype="float64"),
    )


def _campaign(
    p: np.ndarray, left: np.ndarray, worth: np.ndarray, t: float, bond: str, fixed: float, cost: float, share: float
) -> dict:
    """The sums of :func:`retention_campaign_value` on checked arrays."""
    flagged = p >= t
    caught = flagged & left
    kept_margin = float(worth[caught].sum() * share)
    n_flagged, n_caught = int(flagged.sum()), int(caught.sum())
    total_cost = fixed + n_flagged * cost
    return {
        "threshold": t,
        "bond": bond,
        "flagged": n_flagged,
        "caught": n_caught,
        "precision": n_caught / n_flagged if n_flagged else float("nan"),
        "recall": n_caught / int(left.sum()) if left.any() else float("nan"),
        "kept_customers": n_caught * share,
        "margin_kept": kept_margin,
        "cost": total_cost,
        "net_value": kept_margin - total_cost,
    }


def retention_campaign_table(
    scored: pd.DataFrame, thresholds=None, bonds: Mapping | None = None, **columns
) -> pd.DataFrame:
    """:func:`retention_campaign_value` for every offer in ``bonds`` and every threshold (default 0.05 … 0.95).

    Returns
    -------
    Long DataFrame, one row per offer and threshold, the columns of :func:`retention_campaign_value`.
    """
    bonds = _bond_table(bonds)
    if thresholds is not None and (isinstance(thresholds, (str, bytes, Mapping)) or np.ndim(thresholds) != 1):
        raise CRMDataError(
            _(
                "retention_campaign_table: thresholds must be a list of shares, got "
                "{thresholds!r}. Fix: pass e.g. thresholds=[0.3, 0.5, 0.7], or leave thresholds "
                "out."
            ).format(thresholds=thresholds)
        )
    thresholds = np.round(np.arange(0.05, 0.951, 0.05), 2) if thresholds is None else thresholds
    names = {**_COLUMNS, **columns}
    unknown = set(columns) - set(_COLUMNS)
    if unknown:
        raise CRMDataError(
            _("retention_campaign_table got unknown keyword(s) {items}. Fix: use {items2}.").format(
                items=sorted(unknown), items2=sorted(_COLUMNS)
            )
        )
    arrays = _arrays(
        _scored(scored, names["probability"], names["churned"], names["value"]),
        names["probability"],
        names["churned"],
        names["value"],
    )
    offers = {bond: _bond(bonds, bond) for bond in bonds}
    checked = [validate.share(t, "threshold") for t in thresholds]
    rows = [_campaign(*arrays, t, bond, *offers[bond]) for bond in bonds for t in checked]
    return pd.DataFrame(rows)


def retention_campaign_interval(
    scored: pd.DataFrame,
    threshold: float,
    bonds: Mapping | None = None,
    level: float = 0.95,
    resamples: int = 2000,
    seed: int | None = None,
    probability: str = "churn_probability",
    churned: str = "churned",
    value: str = "value_if_kept",
) -> pd.DataFrame:
    """How sure is each offer's net value? A bootstrap interval of :func:`retention_campaign_value`.

    Which members churn, and what they are worth, is partly chance: another quarter's members
    would give another net value. The bootstrap draws ``resamples`` new groups of members, each as
    large as ``scored``, at random with replacement (seeded), works out every offer's net value
    on each, and keeps the middle ``level`` of them (a percentile interval). The offers'
    assumptions (cost, saved share) are taken as given: the interval shows the uncertainty of the
    data, not of the assumptions.

    Parameters
    ----------
    scored, threshold, bonds, probability, churned, value : as for :func:`retention_campaign_value`.
    level : the interval's confidence level (default 0.95).
    resamples : how many groups to draw (100 to 100,000; default 2,000).
    seed : the random seed (default 0), so the interval is the same on every run.

    Returns
    -------
    One row per offer (index ``bond``): ``net_value`` (on ``scored`` itself), ``ci_low`` and
    ``ci_high``.

    Examples
    --------
    Every member is flagged and churned and worth 100, so every resample gives the same net value,
    100 x 4 x 0.10 - 4 x 4 = 24, and the interval has no width:

    >>> scored = pd.DataFrame({"churn_probability": [0.9] * 4, "churned": [True] * 4,
    ...                        "value_if_kept": [100.0] * 4})
    >>> coupon = {"cost_per_customer": 4, "saved_share": 0.1}
    >>> retention_campaign_interval(scored, 0.5, bonds={"coupon": coupon}).round(6)
            net_value  ci_low  ci_high
    bond
    coupon       24.0    24.0     24.0
    """
    bonds = _bond_table(bonds)
    offers = {bond: _bond(bonds, bond) for bond in bonds}
    t = validate.share(threshold, "threshold")
    confidence = validate.share(level, "level")
    draws = validate.whole_number(resamples, "resamples", minimum=100, maximum=100_000, example=2000)
    rng = np.random.default_rng(validate.seed(seed, default=0))
    p, left, worth = _arrays(_scored(scored, probability, churned, value), probability, churned, value)
    flagged = (p >= t).astype("float64")
    caught_worth = np.where((p >= t) & left, worth, 0.0)
    n = len(p)
    counts, margins = [], []
    for start in range(0, draws, 250):  # in blocks, so memory stays small for large tables
        members = rng.integers(0, n, size=(min(250, draws - start), n))
        counts.append(flagged[members].sum(axis=1))
        margins.append(caught_worth[members].sum(axis=1))
    counts, margins = np.concatenate(counts), np.concatenate(margins)
    tails = [(1 - confidence) / 2, (1 + confidence) / 2]
    rows = {}
    for bond, (fixed, cost, share) in offers.items():
        net = margins * share - fixed - counts * cost
        low, high = np.quantile(net, tails)
        point = _campaign(p, left, worth, t, bond, fixed, cost, share)["net_value"]
        rows[bond] = {"net_value": point, "ci_low": float(low), "ci_high": float(high)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("bond")


# --- customer status over time (客户状态迁移) -------------------------------------------------


def status_transitions(
    data: pd.DataFrame,
    customer: str = "customer_id",
    period: str = "period",
    status: str = "status",
    states=None,
    shares: bool = True,
) -> pd.DataFrame:
    """How customers move between statuses from one period to the next (a transition table).

    ``data`` has one row per customer and period with the status the CRM gave the customer then.
    Each pair of a customer's consecutive rows, in period order, is one transition: from the
    status of the earlier row to that of the later one. A customer's last row starts no
    transition (there is no next period to see), so a status that always ends the record, such
    as a customer who left, appears as a column but not as a row.

    Parameters
    ----------
    data : the status table; it is not changed.
    customer, period, status : its columns (``period`` holds dates, one row per customer and period).
    states : the statuses in the order to show them; default the categories of ``status`` if it
        is categorical, else its values sorted. A status outside ``states`` is an error.
    shares : True (default) for the share of each row's transitions going to each status (rows
        add up to 1); False for the counts.

    Returns
    -------
    A DataFrame with the statuses customers moved from as the index (``from``) and all states
    as columns (``to``).

    Examples
    --------
    >>> data = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...                      "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01",
    ...                                                "2025-01-01", "2025-02-01"]),
    ...                      "status": ["active", "at risk", "active", "active", "left"]})
    >>> status_transitions(data, shares=False)
    to       active  at risk  left
    from
    active        0        1     1
    at risk       1        0     0
    """
    checked = validate.table(
        data, "status table", {customer: "key", period: "date", status: "key"}, unique_key=[customer, period]
    )
    if states is None:
        values = checked[status]
        categorical = isinstance(values.dtype, pd.CategoricalDtype)
        states = list(values.cat.categories) if categorical else sorted(values.unique())
    if not isinstance(states, (list, tuple, pd.Index, np.ndarray)):
        raise CRMDataError(
            _(
                "status_transitions: states must be a list of statuses in order, got {states!r}. "
                'Fix: pass e.g. states=["active", "at risk", "left"], or leave states out.'
            ).format(states=states)
        )
    states = list(states)
    unknown = ~checked[status].isin(states)
    if unknown.any():
        seen = sorted(map(str, checked[status].unique()))
        raise validate.rows_error(
            "status table",
            status,
            checked.index[unknown],
            noun=_("status"),
            problem=_("outside states {states}").format(states=states),
            fix=_("pass every status that occurs in states=, e.g. states={seen}").format(seen=seen),
        )
    ordered = checked.sort_values([customer, period], kind="stable")
    following = ordered.groupby(customer, sort=False)[status].shift(-1)
    moves = pd.DataFrame(
        {"from": pd.Categorical(ordered[status], categories=states), "to": pd.Categorical(following, categories=states)}
    ).dropna()
    counts = pd.crosstab(moves["from"], moves["to"], dropna=False).reindex(columns=states, fill_value=0)
    counts = counts.loc[counts.sum(axis=1) > 0]
    counts.index = pd.Index([str(s) for s in counts.index], name="from")
    counts.columns = pd.Index([str(s) for s in counts.columns], name="to")
    if not shares:
        return counts.astype(int)
    return counts.div(counts.sum(axis=1), axis=0)


validate.check_public_arguments(globals(), __all__)
