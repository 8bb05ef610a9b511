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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import identify, validate
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
    "loyalty_tiers",
    "tier_summary",
    "simple_clv",
    "cross_buying",
]

#: The five service-quality dimensions of the SERVQUAL instrument.
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")

#: The customer features :func:`churn_features` builds and :class:`ChurnModel` uses by default.
CHURN_FEATURES = ("recency_days", "frequency", "monetary", "tenure_days")

#: Default tiers of :func:`loyalty_tiers`: the bottom half bronze, the next 30% silver, the top 20% gold.
DEFAULT_TIER_QUANTILES = {"bronze": 0.0, "silver": 0.5, "gold": 0.8}

_PERIODS = ("W", "M", "Q")


# --------------------------------------------------------------------------------------------
# shared steps: checking orders, purchase days, first-purchase groups, dates given as parameters
# --------------------------------------------------------------------------------------------


def _order_frame(orders, customer: str, date: str, amount: str | None = None, by=None, extra: Mapping | None = None) -> pd.DataFrame:
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
    frame = pd.DataFrame({"_customer": checked[customer], "_day": validate.calendar_days(checked[date])}, index=checked.index)
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


def _whole_number(value, name: str, minimum: int) -> int:
    """A whole number >= ``minimum`` given as a parameter."""
    number = validate.positive_number(value, name, minimum=minimum, inclusive=True)
    if not np.isfinite(number) or number != int(number):
        raise CRMDataError(f"{name} must be a whole number >= {minimum}, got {value!r}. Fix: pass e.g. {name}={max(minimum, 1)}.")
    return int(number)


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


def cohort_table(orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date",
                 period: str = "M", by=None) -> pd.DataFrame:
    """Acquisition cohorts and the share of each cohort that bought again in later periods.

    A customer's cohort is the period (``"M"`` month, ``"W"`` week starting Monday, ``"Q"``
    quarter) of their first purchase. ``period_number`` k counts periods since then, and
    ``retention`` is the share of the cohort with at least one purchase in period k, so it is
    1.0 at k = 0. Every cell up to the last period in the data is listed, including those where
    nobody bought; later cells cannot be observed yet and are left out.

    Parameters
    ----------
    orders : one row per order.
    customer, date : column names.
    period : "M", "W" or "Q".
    by : column name(s) to split by; a customer counts in the group of their first purchase.

    Returns
    -------
    Long DataFrame indexed by (``by`` groups,) ``cohort`` and ``period_number``, with
    ``cohort_size``, ``active_customers`` and ``retention``. :func:`cohort_matrix` turns it into
    the cohort × period table drawn as a heat map.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...                        "order_date": ["2024-01-03", "2024-03-09", "2024-01-20", "2024-02-02", "2024-03-15"]})
    >>> cohort_table(orders)
                           cohort_size  active_customers  retention
    cohort  period_number
    2024-01 0                        2                 2        1.0
            1                        2                 0        0.0
            2                        2                 1        0.5
    2024-02 0                        1                 1        1.0
            1                        1                 1        1.0
    """
    validate.one_of(period, "period", _PERIODS)
    frame = _order_frame(orders, customer, date, by=by)
    groups = _group_names(frame)
    number = pd.Series(frame["_day"].dt.to_period(period).array.asi8, index=frame.index)
    first = _first_purchase(frame)
    first["cohort"] = first["_day"].dt.to_period(period).array.asi8
    cohort = first["cohort"].reindex(frame["_customer"]).to_numpy()
    active = pd.DataFrame({"_customer": frame["_customer"].to_numpy(), "cohort": cohort,
                           "period_number": number.to_numpy() - cohort})
    active = active.drop_duplicates(["_customer", "period_number"])
    for column in groups:
        active[column] = first[column].reindex(active["_customer"]).to_numpy()
    counts = active.groupby([*groups, "cohort", "period_number"], observed=True).size()

    # every observable cell: period numbers 0 .. (last period in the data - cohort)
    sizes = first.groupby([*groups, "cohort"], observed=True).size().rename("cohort_size").reset_index()
    width = (int(number.max()) - sizes["cohort"].to_numpy() + 1)
    grid = sizes.loc[sizes.index.repeat(width)].reset_index(drop=True)
    starts = np.repeat(np.cumsum(width) - width, width)
    grid["period_number"] = np.arange(len(grid)) - starts
    grid = grid.set_index([*groups, "cohort", "period_number"])
    grid["active_customers"] = counts.reindex(grid.index, fill_value=0).astype("int64").to_numpy()
    grid["retention"] = grid["active_customers"] / grid["cohort_size"]
    grid = grid.reset_index()
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
    >>> cohort_matrix(cohort_table(orders))
    period_number    0    1    2
    cohort
    2024-01        1.0  0.0  0.5
    2024-02        1.0  1.0  NaN
    """
    validate.require_columns(cohorts, "cohorts", [value])
    validate.not_empty(cohorts, "cohorts")
    if "period_number" not in cohorts.index.names or "cohort" not in cohorts.index.names:
        raise CRMDataError(
            f"cohorts must be indexed by cohort and period_number (its index levels are {list(cohorts.index.names)}). "
            "Fix: pass the result of cohort_table() as it is, without reset_index()."
        )
    numbers = validate.table(cohorts[[value]].reset_index(drop=True), "cohorts", {value: "number"})
    if cohorts.index.duplicated().any():
        raise validate.rows_error("cohorts", "period_number", np.flatnonzero(cohorts.index.duplicated()), noun="repeated cell",
                                  fix="each cohort and period_number must appear once; pass the result of cohort_table()")
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
            f"orders: no purchase on or before as_of {_day_text(as_of)} (the first is on {_day_text(frame['_day'].min())}). "
            "Fix: pick a later as_of."
        )
    days = _purchase_days(history)
    rfm = identify.rfm_table(days, customer="_customer", date="_day", amount="_amount", as_of=as_of).set_index("_customer")
    first = days.groupby("_customer", sort=True, observed=True)["_day"].min()
    return pd.DataFrame({
        "recency_days": rfm["recency"],
        "frequency": rfm["frequency"],
        "monetary": rfm["monetary"],
        "tenure_days": (as_of - first.reindex(rfm.index)).dt.days,
    })


def churn_features(orders: pd.DataFrame, as_of, customer: str = "customer_id", date: str = "order_date",
                   amount: str = "amount") -> pd.DataFrame:
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


def churn_labels(orders: pd.DataFrame, as_of, horizon_days: int = 90, customer: str = "customer_id",
                 date: str = "order_date", amount: str = "amount") -> pd.DataFrame:
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
    horizon = _whole_number(horizon_days, "horizon_days", minimum=1)
    frame = _order_frame(orders, customer, date, amount=amount)
    end = day + pd.Timedelta(days=horizon)
    last = frame["_day"].max()
    if end > last:
        latest = last - pd.Timedelta(days=horizon)
        raise CRMDataError(
            f"orders: as_of {_day_text(day)} + horizon_days {horizon} = {_day_text(end)}, after the last order date in the data "
            f"({_day_text(last)}), so whether a customer churned cannot be known yet. "
            f"Fix: pick as_of on or before {_day_text(latest)}, or a shorter horizon_days."
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
            raise CRMDataError(f"features must be a list of column names, got {features!r}. Fix: pass e.g. features=['recency_days', 'frequency'].") from None
        if not self.features:
            raise CRMDataError("features is empty. Fix: pass at least one column, e.g. features=['recency_days'].")
        self.threshold = validate.positive_number(threshold, "threshold")
        if self.threshold >= 1:
            raise CRMDataError(f"threshold must be between 0 and 1, got {threshold!r}. Fix: pass e.g. threshold=0.5.")
        self.model_ = None
        self.coefficients_: pd.Series | None = None
        self.train_as_of_: pd.Timestamp | None = None
        self.train_horizon_end_: pd.Timestamp | None = None
        self.n_customers_: int | None = None

    def __repr__(self) -> str:
        if self.model_ is None:
            return f"ChurnModel(features={self.features}, not fitted)"
        return f"ChurnModel(features={self.features}, trained on as_of {_day_text(self.train_as_of_)}, {self.n_customers_} customers)"

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
                f"{name}: column 'churned' is {value} for every customer, so there is nothing to tell apart. "
                "Fix: use a longer history, a different as_of or horizon_days."
            )

    def fit(self, labels: pd.DataFrame) -> "ChurnModel":
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
        self.coefficients_ = pd.Series([*regression.coef_[0], regression.intercept_[0]],
                                       index=[*self.features, "intercept"], name="coefficient")
        self.train_as_of_ = validate.calendar_days(checked["as_of"]).max()
        self.train_horizon_end_ = validate.calendar_days(checked["horizon_end"]).max()
        self.n_customers_ = len(checked)
        return self

    def _fitted(self):
        if self.model_ is None:
            raise CRMDataError("ChurnModel is not fitted yet. Fix: call .fit(train_labels) first.")
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
                f"test_labels: as_of {_day_text(test_as_of)} comes before the end of the training labels' horizon "
                f"({_day_text(self.train_horizon_end_)}), so the model has already seen days it is tested on (leakage). "
                f"Fix: test on an as_of on or after {_day_text(self.train_horizon_end_)}, or train on an as_of on or before "
                f"{_day_text(test_as_of - horizon)}."
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
        counts = np.array([[np.sum(~y & ~predicted), np.sum(~y & predicted)],
                           [np.sum(y & ~predicted), np.sum(y & predicted)]], dtype="int64")
        names = ["stayed", "churned"]
        return pd.DataFrame(counts, index=pd.Index(names, name="actual"), columns=pd.Index(names, name="predicted"))

    def evaluate(self, labels: pd.DataFrame) -> pd.DataFrame:
        """How well the model ranks and classifies the customers of a later labels table.

        Returns
        -------
        DataFrame indexed by ``metric`` with one column ``value``: ``auc`` (chance that a random
        churner gets a higher probability than a random stayer; 0.5 is guessing), and at the
        threshold ``accuracy``, ``precision`` (share of predicted churners who churned),
        ``recall`` (share of churners caught); then ``threshold``, ``churn_rate`` and ``customers``.

        Examples
        --------
        >>> train = pd.DataFrame({"recency_days": [1, 30, 2, 40], "churned": [False, True, False, True],
        ...                       "as_of": pd.Timestamp("2024-06-30"), "horizon_end": pd.Timestamp("2024-09-28")})
        >>> model = ChurnModel(features=["recency_days"]).fit(train)
        >>> model.evaluate(train.assign(as_of=pd.Timestamp("2024-10-01")))["value"].round(2).tolist()
        [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 4.0]
        """
        from sklearn.metrics import roc_auc_score

        y, proba = self._test(labels)
        self._both_classes(y, "test_labels")
        predicted = proba >= self.threshold
        true_positive = float(np.sum(y & predicted))
        flagged, churners = float(predicted.sum()), float(y.sum())
        metrics = {
            "auc": float(roc_auc_score(y, proba)),
            "accuracy": float(np.mean(y == predicted)),
            "precision": true_positive / flagged if flagged else float("nan"),
            "recall": true_positive / churners,
            "threshold": self.threshold,
            "churn_rate": float(y.mean()),
            "customers": float(len(y)),
        }
        return pd.DataFrame({"value": list(metrics.values())}, index=pd.Index(list(metrics), name="metric"))


# --------------------------------------------------------------------------------------------
# satisfaction (SERVQUAL) and recommendation (NPS)
# --------------------------------------------------------------------------------------------
def _scale(scale, name: str = "scale") -> tuple[float, float]:
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise CRMDataError(f"{name} must be two numbers (lowest, highest), got {scale!r}. Fix: pass e.g. {name}=(1, 7).") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise CRMDataError(f"{name} must run from a lower to a higher number, got {scale!r}. Fix: pass e.g. {name}=(1, 7).")
    return low, high


def _on_scale(checked: pd.DataFrame, name: str, columns, low: float, high: float) -> None:
    for column in columns:
        values = checked[column].to_numpy(dtype="float64")
        outside = (values < low) | (values > high)
        if outside.any():
            raise validate.rows_error(name, column, checked.index[outside], problem=f"outside the {low:g}–{high:g} scale",
                                      fix="check the coding of the answers (e.g. a 0–10 item mixed into a 1–7 one) or drop those rows")


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


def satisfaction_gap(surveys: pd.DataFrame, dimensions=SERVQUAL_DIMENSIONS, expectation: str = "expectation_{}",
                     perception: str = "perception_{}", by=None, scale=(1, 7)) -> pd.DataFrame:
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

    Returns
    -------
    DataFrame indexed by (group,) ``dimension`` with ``respondents``, ``expectation``,
    ``perception`` and ``gap``.

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
        raise CRMDataError("dimensions is empty. Fix: pass the dimension names, e.g. dimensions=['reliability'].")
    for pattern, label in ((expectation, "expectation"), (perception, "perception")):
        if not isinstance(pattern, str) or "{}" not in pattern:
            raise CRMDataError(f"{label} must be a column-name pattern containing {{}}, got {pattern!r}. Fix: pass e.g. {label}=\"{label}_{{}}\".")
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
    return pd.DataFrame({"respondents": np.repeat(means["respondents"].to_numpy(), n_dims).astype("int64"),
                         "expectation": expected, "perception": perceived, "gap": perceived - expected}, index=index)


def nps(surveys, score: str = "nps_score", by=None):
    """Net Promoter Score: shares of promoters (9–10), passives (7–8), detractors (0–6).

    ``NPS = (share of promoters − share of detractors) × 100``, from −100 to +100.
    Answers must be whole numbers from 0 to 10.

    Parameters
    ----------
    surveys : DataFrame with a ``score`` column, or a Series of scores.
    score : column name.
    by : column name(s) to split by (DataFrame only).

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
            raise CRMDataError("by needs a table, but scores came as a Series. Fix: pass the surveys DataFrame, e.g. nps(surveys, by=\"brand_id\").")
        surveys = pd.DataFrame({score: surveys})
    groups = validate.group_columns(by)
    kinds = {score: "count"}
    kinds.update({column: "key" for column in groups if column != score})
    checked = validate.table(surveys, "surveys", kinds)
    _on_scale(checked, "surveys", [score], 0, 10)
    values = checked[score].to_numpy(dtype="float64")
    shares = checked[groups].assign(promoters=values >= 9, passives=(values >= 7) & (values <= 8), detractors=values <= 6)
    table = _per_group(shares, groups, ["promoters", "passives", "detractors"])
    table["nps"] = (table["promoters"] - table["detractors"]) * 100
    if groups:
        return _rename_groups(table, by)
    return table.iloc[0].astype("float64").rename("nps")


# --------------------------------------------------------------------------------------------
# loyalty tiers
# --------------------------------------------------------------------------------------------
def _tier_bounds(tiers, name: str, upper: float | None) -> tuple[list[str], np.ndarray]:
    """Tier names and lower bounds, checked: a mapping, bounds rising from 0 (and below ``upper``)."""
    fix = f"pass e.g. {name}={{'bronze': 0, 'silver': 0.5, 'gold': 0.8}}" if upper else f"pass e.g. {name}={{'bronze': 0, 'silver': 300, 'gold': 1000}}"
    if not isinstance(tiers, Mapping) or not tiers:
        raise CRMDataError(f"{name} must be a non-empty mapping of tier name to lower bound, got {tiers!r}. Fix: {fix}.")
    names = [str(n) for n in tiers]
    try:
        bounds = np.array([float(v) for v in tiers.values()])
    except (TypeError, ValueError):
        raise CRMDataError(f"{name} bounds must be numbers, got {list(tiers.values())!r}. Fix: {fix}.") from None
    if len(set(names)) < len(names):
        raise CRMDataError(f"{name} has repeated tier names {names}. Fix: give each tier its own name.")
    if not np.all(np.isfinite(bounds)) or bounds[0] != 0 or np.any(np.diff(bounds) <= 0):
        raise CRMDataError(
            f"{name} bounds must start at 0 (so every customer gets a tier) and rise from tier to tier, got {dict(zip(names, bounds.tolist()))}. Fix: {fix}."
        )
    if upper is not None and bounds[-1] >= upper:
        raise CRMDataError(f"{name} bounds must be shares of customers below 1, got {bounds[-1]:g}. Fix: {fix}.")
    return names, bounds


def loyalty_tiers(orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date", amount: str = "amount",
                  thresholds: Mapping | None = None, quantiles: Mapping | None = None, basis: str = "spend",
                  as_of=None, window_days: int | None = None) -> pd.DataFrame:
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
    ...                        "order_date": ["2024-01-01", "2024-01-02", "2024-02-02", "2024-01-03", "2024-01-04", "2024-01-05"],
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
        raise CRMDataError("loyalty_tiers takes thresholds or quantiles, not both. Fix: drop one of them.")
    relative = thresholds is None
    names, bounds = (_tier_bounds(DEFAULT_TIER_QUANTILES if quantiles is None else quantiles, "quantiles", 1.0) if relative
                     else _tier_bounds(thresholds, "thresholds", None))
    frame = _order_frame(orders, customer, date, amount=amount)
    end = frame["_day"].max() if as_of is None else validate.date(as_of, "as_of")
    known = frame[frame["_day"] <= end]
    if known.empty:
        raise CRMDataError(f"orders: no purchase on or before as_of {_day_text(end)}. Fix: pick a later as_of.")
    start = known["_day"].min() if window_days is None else end - pd.Timedelta(days=_whole_number(window_days, "window_days", 1) - 1)
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
        raise CRMDataError(f"{name} must be a number or a Series (one column), got a DataFrame. Fix: pass one column, e.g. customers['{name}'].")
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, list, tuple)):
        series = pd.Series(value) if not isinstance(value, pd.Series) else value
        checked = validate.table(pd.DataFrame({name: series}), name, {name: "number"})
        return checked[name]
    if isinstance(value, (str, bytes)) or value is None:
        raise CRMDataError(f"{name} must be a number, got {value!r}. Fix: pass e.g. {name}=0.8.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not np.isfinite(number):
        raise CRMDataError(f"{name} must be a finite number, got {value!r}. Fix: pass e.g. {name}=0.8.")
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
        raise CRMDataError(f"discount_rate must be a finite number, got {discount_rate!r}. Fix: pass e.g. discount_rate=0.1.")
    count = None if periods is None else _whole_number(periods, "periods", minimum=1)
    if isinstance(keep, pd.Series):
        outside = (keep < 0) | (keep >= 1)
        if outside.any():
            raise validate.rows_error("retention", "retention", keep.index[outside], problem="outside [0, 1)",
                                      fix="retention is the chance of staying one more period; a rate of 1 would give an endless value")
    elif not 0 <= keep < 1:
        raise CRMDataError(f"retention must be at least 0 and below 1, got {retention!r}. Fix: pass e.g. retention=0.8.")
    if isinstance(margin, pd.Series) and isinstance(keep, pd.Series) and not margin.index.equals(keep.index):
        raise CRMDataError("margin_per_period and retention are Series with different indexes. "
                           "Fix: pass two columns of the same table, e.g. customers['margin'], customers['retention'].")
    q = keep / (1.0 + rate)
    factor = 1.0 / (1.0 - q) if count is None else (1.0 - q**count) / (1.0 - q)
    value = margin * factor
    if isinstance(value, pd.Series):
        return value.rename("clv")
    return float(value)


# --------------------------------------------------------------------------------------------
# cross-buying
# --------------------------------------------------------------------------------------------
def cross_buying(purchases: pd.DataFrame, customer: str = "customer_id", date: str = "order_date",
                 category: str = "category", within_days: int | None = 0, min_categories: int = 2) -> pd.DataFrame:
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
    minimum = _whole_number(min_categories, "min_categories", minimum=1)
    reach = None if within_days is None else _whole_number(within_days, "within_days", minimum=0)
    frame = _order_frame(purchases, customer, date, extra={category: "key"})
    first = frame.groupby("_customer", sort=True, observed=True)["_day"].min()
    start = first.reindex(frame["_customer"]).to_numpy()
    early = frame if reach is None else frame[frame["_day"].to_numpy() <= start + np.timedelta64(reach, "D")]
    breadth = early[["_customer", category]].drop_duplicates().groupby("_customer", sort=True, observed=True).size()
    table = pd.DataFrame({"first_purchase": first, "categories": breadth.reindex(first.index).astype("int64")})
    table["cross_buyer"] = table["categories"] >= minimum
    return _rename_groups(table, None, customer)


validate.check_public_arguments(globals(), __all__)
