"""Chapter 1, customer identification and selection: who brings the value in?

Four ways to look at the same question, each starting from a table of orders:

* concentration: :func:`pareto_table`, :func:`top_share`, :func:`abc_classes`,
  :func:`abc_summary`, :func:`lorenz_curve`, :func:`gini`, :func:`customer_pyramid`;
* behaviour: :func:`rfm_table` → :func:`rfm_scores` → :func:`rfm_segments`;
* weighted value of business accounts: :func:`value_score` → :func:`account_tiers`.

Every function that starts from orders first adds up each customer's amounts
(:func:`customer_totals`), so one customer with ten orders counts once. The word *value*
in the results means the total of whatever column ``amount`` names: revenue by default,
margin if you pass ``amount="margin"``.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError

__all__ = [
    "customer_totals",
    "pareto_table",
    "top_share",
    "abc_classes",
    "abc_summary",
    "lorenz_curve",
    "gini",
    "rfm_table",
    "rfm_scores",
    "rfm_segments",
    "RFM_SEGMENTS",
    "value_score",
    "account_tiers",
    "customer_pyramid",
    "PYRAMID_TIERS",
]

#: The customer pyramid's default tiers: share of the active customers in each, from the top.
PYRAMID_TIERS = MappingProxyType({"top": 0.01, "large": 0.04, "medium": 0.15, "small": 0.80})

#: The eleven RFM segments, from the best customers to the ones already gone.
RFM_SEGMENTS = (
    "Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention",
    "About to sleep", "At risk", "Can't lose them", "Hibernating", "Lost",
)

# Segment of each cell of the R x FM grid: row R = 5, 4, 3, 2, 1; column FM = 1 .. 5.
_SEGMENT_GRID = np.array([
    ["New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"],
    ["Promising", "Potential loyalists", "Loyal", "Champions", "Champions"],
    ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
    ["Hibernating", "Hibernating", "At risk", "At risk", "At risk"],
    ["Lost", "Lost", "At risk", "Can't lose them", "Can't lose them"],
], dtype=object)

# Cumulative shares are compared with cut-offs allowing for floating-point noise.
_NOISE = 1e-12


# --------------------------------------------------------------------------------------------
# small shared helpers (crmlib.develop and crmlib.loyalty import some of them)
# --------------------------------------------------------------------------------------------


def _ratio(numerator, denominator) -> np.ndarray:
    """Element-wise numerator / denominator as float, NaN where the denominator is 0."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out






def top_count(share: float, n: int) -> int:
    """How many of ``n`` ranked customers make up the top ``share``: ceil(share x n), at most n.

    >>> top_count(0.2, 15), top_count(0.2, 16)
    (3, 4)
    """
    return min(n, math.ceil(share * n - 1e-9))










def _positive_total(totals: pd.Series, amount: str) -> float:
    total = float(totals.sum())
    if not np.isfinite(total):
        raise CRMDataError(f"orders: column '{amount}' adds up to {total}, too large to divide by. Fix: check the units of the amounts.")
    if total <= 0:
        raise CRMDataError(f"orders: column '{amount}' adds up to 0, so there is no value to share out. "
                           "Fix: check that the column holds the amounts, not an empty filter result.")
    return total


def _ranked(orders, customer: str, amount: str) -> tuple[pd.DataFrame, float]:
    """Customers from the most to the least valuable, with value and rank 1..n, and the total.

    Equal values keep the order of the customer ids (a stable sort), so the result is repeatable.
    """
    totals = customer_totals(orders, customer=customer, amount=amount)
    total = _positive_total(totals, amount)
    ordered = totals.sort_values(ascending=False, kind="stable")
    table = pd.DataFrame({customer: ordered.index.to_numpy(), "value": ordered.to_numpy(),
                          "rank": np.arange(1, len(ordered) + 1)})
    return table, total


def _group_summary(table: pd.DataFrame, label: str, labels: list[str]) -> pd.DataFrame:
    """Per label (in the order given, empty labels included): customers, value and shares."""
    grouped = table.groupby(label, observed=True, sort=False)["value"].agg(["size", "sum"]).reindex(labels, fill_value=0)
    customers = grouped["size"].to_numpy()
    value = grouped["sum"].to_numpy(dtype="float64")
    return pd.DataFrame({
        label: labels,
        "customers": customers,
        "value": value,
        "customer_share": customers / customers.sum(),
        "value_share": value / value.sum(),
        "value_per_customer": _ratio(value, customers),
    })


# --------------------------------------------------------------------------------------------
# concentration: Pareto, ABC, Lorenz, Gini, pyramid
# --------------------------------------------------------------------------------------------
def customer_totals(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount") -> pd.Series:
    """Total ``amount`` of each customer, indexed by customer id (sorted).

    Feed it to :func:`gini` to measure how unequal customers are.

    >>> orders = pd.DataFrame({"customer_id": ["b", "a", "b"], "amount": [5.0, 2.0, 3.0]})
    >>> customer_totals(orders)
    customer_id
    a    2.0
    b    8.0
    Name: amount, dtype: float64
    """
    checked = validate.table(orders, "orders", {customer: "key", amount: "money"})
    return checked.groupby(customer, observed=True)[amount].sum()


def pareto_table(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount") -> pd.DataFrame:
    """One row per customer, most valuable first, with the running shares of the 80/20 rule.

    Parameters
    ----------
    orders : one row per order.
    customer, amount : column names.

    Returns
    -------
    DataFrame with the customer column, ``value`` (the customer's total amount), ``rank``
    (1 = most valuable; equal values keep the order of the customer ids),
    ``cum_customer_share`` = rank / n and ``cum_value_share`` = the value of the customers up to
    this rank / total value. The row where ``cum_customer_share`` reaches 0.2 tells how much
    the top fifth brings in.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "a", "c", "d"],
    ...                        "amount": [50.0, 20.0, 30.0, 15.0, 5.0]})
    >>> pareto_table(orders)
      customer_id  value  rank  cum_customer_share  cum_value_share
    0           a   80.0     1                0.25           0.6667
    1           b   20.0     2                0.50           0.8333
    2           c   15.0     3                0.75           0.9583
    3           d    5.0     4                1.00           1.0000
    """
    table, total = _ranked(orders, customer, amount)
    return table.assign(cum_customer_share=table["rank"] / len(table),
                        cum_value_share=table["value"].cumsum() / total)


def top_share(orders: pd.DataFrame, top: float = 0.2, customer: str = "customer_id", amount: str = "amount") -> float:
    """Share of the total value brought by the top ``top`` fraction of customers.

    The top group is the ceil(top x n) most valuable customers (at least one).

    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e"],
    ...                        "amount": [60.0, 10.0, 10.0, 10.0, 10.0]})
    >>> top_share(orders, top=0.2)
    0.6
    """
    share = validate.share(top, "top")
    table, total = _ranked(orders, customer, amount)
    return float(table["value"].iloc[:top_count(share, len(table))].sum() / total)


def abc_classes(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount",
                cutoffs: tuple[float, ...] = (0.8, 0.95)) -> pd.DataFrame:
    """The Pareto table with each customer's ABC class.

    Class A is the smallest group of top customers that together reach the first cut-off of
    the total value (80 % by default); B takes the following customers until 95 %; C is the
    rest. Precisely: a customer is A if the customers ranked *above* them hold less than 80 %,
    B if they hold at least 80 % but less than 95 %, C otherwise. So the customer whose value
    crosses 80 % is still A, and a customer who starts exactly at 80 % is B.

    More cut-offs give more classes (A, B, C, D, ...).

    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [70.0, 20.0, 6.0, 4.0]})
    >>> abc_classes(orders)[["customer_id", "cum_value_share", "abc_class"]]
      customer_id  cum_value_share abc_class
    0           a             0.70         A
    1           b             0.90         A
    2           c             0.96         B
    3           d             1.00         C
    """
    limits = _cutoffs(cutoffs)
    table = pareto_table(orders, customer=customer, amount=amount)
    before = table["cum_value_share"] - table["value"] / table["value"].sum()
    classes = np.searchsorted(limits, before.to_numpy() + _NOISE, side="right")
    return table.assign(abc_class=np.array(_class_letters(len(limits)), dtype=object)[classes])


def _cutoffs(cutoffs) -> np.ndarray:
    fix = "pass increasing shares between 0 and 1, e.g. cutoffs=(0.8, 0.95)"
    try:
        limits = np.asarray([float(c) for c in cutoffs], dtype="float64")
    except (TypeError, ValueError):
        raise CRMDataError(f"cutoffs must be numbers, got {cutoffs!r}. Fix: {fix}.") from None
    ok = limits.size >= 1 and limits.size < 26 and np.all((limits > 0) & (limits < 1)) and np.all(np.diff(limits) > 0)
    if not ok:
        raise CRMDataError(f"cutoffs must be increasing shares strictly between 0 and 1, got {cutoffs!r}. Fix: {fix}.")
    return limits


def _class_letters(n_cutoffs: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n_cutoffs + 1)]


def abc_summary(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount",
                cutoffs: tuple[float, ...] = (0.8, 0.95)) -> pd.DataFrame:
    """Per ABC class (see :func:`abc_classes`): customers, value, their shares, value per customer.

    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [70.0, 20.0, 6.0, 4.0]})
    >>> abc_summary(orders)
      abc_class  customers  value  customer_share  value_share  value_per_customer
    0         A          2   90.0            0.50         0.90                45.0
    1         B          1    6.0            0.25         0.06                 6.0
    2         C          1    4.0            0.25         0.04                 4.0
    """
    classes = abc_classes(orders, customer=customer, amount=amount, cutoffs=cutoffs)
    return _group_summary(classes, "abc_class", _class_letters(len(_cutoffs(cutoffs))))


def lorenz_curve(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount") -> pd.DataFrame:
    """Points of the Lorenz curve: customers from the least to the most valuable.

    Returns n + 1 rows, starting at (0, 0) and ending at (1, 1): ``customer_share`` = i / n and
    ``value_share`` = the value of the i least valuable customers / total value. The further
    the curve sags below the diagonal, the more unequal the customers; :func:`gini` is 1 minus
    twice the area under it.

    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [1.0, 1.0, 2.0, 4.0]})
    >>> lorenz_curve(orders)
       customer_share  value_share
    0            0.00        0.000
    1            0.25        0.125
    2            0.50        0.250
    3            0.75        0.500
    4            1.00        1.000
    """
    table, total = _ranked(orders, customer, amount)
    rising = np.concatenate([[0.0], table["value"].to_numpy()[::-1]])
    n = len(table)
    return pd.DataFrame({"customer_share": np.arange(n + 1) / n, "value_share": np.cumsum(rising) / total})


def gini(values: pd.Series) -> float:
    """Gini coefficient of a non-negative quantity: 0 = everyone equal, 1 = one holds all.

    G = sum_i (2i - n - 1) v_(i) / (n sum_i v_i), with v_(1) <= ... <= v_(n) sorted. For
    customers, pass their totals: ``gini(customer_totals(orders))``. With n customers the largest
    possible value is (n - 1) / n, reached when one customer holds everything.

    >>> gini(pd.Series([1, 1, 1, 1]))
    0.0
    """
    if not isinstance(values, pd.Series):
        raise CRMDataError(f"values must be a pandas Series, got {type(values).__name__}. "
                           "Fix: pass one number per customer, e.g. gini(customer_totals(orders)).")
    validate.not_empty(values, "values")
    checked = validate.non_negative(values, name="values")
    v = checked.sort_values().to_numpy()
    total = v.sum()
    if total <= 0:
        raise CRMDataError("values add up to 0, so the Gini coefficient is undefined. Fix: pass the customers' totals.")
    n = len(v)
    return float((2 * np.arange(1, n + 1) - n - 1) @ v / (n * total))


def customer_pyramid(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount",
                     tiers: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The customer pyramid: how many customers sit in each value tier and what they bring.

    Customers with a positive total are ranked by value and cut into ``tiers`` (default
    :data:`PYRAMID_TIERS`: top 1 %, large 4 %, medium 15 %, small 80 %), top tier first. A tier
    ends after ceil(cumulative share x active customers) customers, so a small base can
    leave the top tiers empty or thin. Customers whose total is 0 form a last tier, ``inactive``.

    Returns
    -------
    DataFrame, one row per tier: ``tier``, ``customers``, ``value``, ``customer_share``,
    ``value_share`` and ``value_per_customer`` (NaN for an empty tier).

    >>> orders = pd.DataFrame({"customer_id": list("abcdefghij"),
    ...                        "amount": [500.0, 200.0, 100.0, 50.0, 40.0, 30.0, 20.0, 10.0, 0.0, 0.0]})
    >>> customer_pyramid(orders, tiers={"key": 0.25, "ordinary": 0.75})
           tier  customers  value  customer_share  value_share  value_per_customer
    0       key          2  700.0             0.2       0.7368               350.0
    1  ordinary          6  250.0             0.6       0.2632                41.7
    2  inactive          2    0.0             0.2       0.0000                 0.0
    """
    shares = validate.shares(PYRAMID_TIERS if tiers is None else tiers, "tiers", str(dict(PYRAMID_TIERS)))
    if "inactive" in shares:
        raise CRMDataError("tiers: the name 'inactive' is kept for customers with no value. Fix: rename that tier.")
    table, _ = _ranked(orders, customer, amount)
    active = int((table["value"] > 0).sum())
    bounds = [top_count(share, active) for share in np.cumsum(list(shares.values()))]
    bounds[-1] = active
    names = np.array([*shares, "inactive"], dtype=object)
    table["tier"] = names[np.searchsorted(bounds, table["rank"].to_numpy(), side="left")]
    return _group_summary(table, "tier", list(names))


# --------------------------------------------------------------------------------------------
# RFM: recency, frequency, monetary
# --------------------------------------------------------------------------------------------
def rfm_table(orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date",
              amount: str = "amount", as_of=None) -> pd.DataFrame:
    """Recency, frequency and monetary value of each customer.

    Parameters
    ----------
    orders : one row per order (not per order line: each row counts as one purchase).
    customer, date, amount : column names. Times of day are ignored; only the date counts.
    as_of : the day the analysis looks back from. Default: the day after the last order in
        the data, so the most recent buyers have recency 1. An order after ``as_of`` is an error.

    Returns
    -------
    DataFrame, one row per customer (sorted by id): ``recency`` = days from the last order
    to ``as_of``, ``frequency`` = number of orders, ``monetary`` = total amount.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "a"],
    ...                        "order_date": ["2024-03-01", "2024-03-05", "2024-03-10"],
    ...                        "amount": [20.0, 35.0, 10.0]})
    >>> rfm_table(orders)
      customer_id  recency  frequency  monetary
    0           a        1          2      30.0
    1           b        6          1      35.0
    """
    checked = validate.table(orders, "orders", {customer: "key", date: "date", amount: "money"})
    days = validate.day_numbers(checked[date])
    end = days.max() + 1 if as_of is None else validate.day_number(as_of, "as_of")
    late = days > end
    if late.any():
        raise validate.rows_error("orders", date, checked.index[late], noun="date", problem=f"after as_of {as_of}",
                                  fix="filter those orders out or pass a later as_of")
    grouped = checked.assign(**{date: days}).groupby(customer, observed=True)
    return pd.DataFrame({
        "recency": end - grouped[date].max(),
        "frequency": grouped.size(),
        "monetary": grouped[amount].sum(),
    }).reset_index()


def _quantile_score(values: pd.Series, bins: int, ascending: bool) -> np.ndarray:
    """Scores 1..bins by quantile; equal values are split by row order (rank "first")."""
    ranks = values.rank(method="first", ascending=ascending)
    return np.asarray(pd.qcut(ranks, bins, labels=False), dtype=np.int64) + 1


def rfm_scores(rfm: pd.DataFrame, bins: int = 5, recency: str = "recency", frequency: str = "frequency",
               monetary: str = "monetary") -> pd.DataFrame:
    """Score each customer 1..``bins`` on recency, frequency and monetary value by quantile.

    Each column is ranked first (equal values are split by row order, ``rank(method="first")``)
    and the ranks are cut into ``bins`` equal-sized groups with ``pd.qcut``, so every score
    is used about equally often. ``R`` is reversed: the most recent buyers get the top score.
    F and M: the most frequent / highest spenders get the top score.

    Returns
    -------
    A copy of ``rfm`` with ``R``, ``F``, ``M`` (whole numbers), ``RFM`` (the three digits as text,
    e.g. "545") and ``RFM_sum`` (R + F + M).

    >>> rfm = pd.DataFrame({"customer_id": list("abcde"), "recency": [3, 40, 10, 200, 90],
    ...                     "frequency": [6, 1, 2, 1, 3], "monetary": [900.0, 50.0, 300.0, 20.0, 150.0]})
    >>> rfm_scores(rfm)[["customer_id", "R", "F", "M", "RFM", "RFM_sum"]]
      customer_id  R  F  M  RFM  RFM_sum
    0           a  5  5  5  555       15
    1           b  3  1  2  312        6
    2           c  4  3  4  434       11
    3           d  1  2  1  121        4
    4           e  2  4  3  243        9
    """
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 2 <= bins <= 9:
        raise CRMDataError(f"bins must be a whole number from 2 to 9, got {bins!r}. Fix: pass bins=5 (quintiles).")
    checked = validate.table(rfm, "rfm", {recency: "number", frequency: "number", monetary: "number"})
    if len(checked) < bins:
        raise CRMDataError(f"rfm has {len(checked)} customers, fewer than bins={bins}, so they cannot fill {bins} score groups. "
                           "Fix: score more customers or pass a smaller bins.")
    r = _quantile_score(checked[recency], bins, ascending=False)
    f = _quantile_score(checked[frequency], bins, ascending=True)
    m = _quantile_score(checked[monetary], bins, ascending=True)
    code = (100 * r + 10 * f + m).astype(str).astype(object)  # one digit per score, as bins <= 9
    scored = rfm.assign(R=r, F=f, M=m, RFM=code, RFM_sum=r + f + m)
    scored.attrs["rfm_bins"] = bins  # rfm_segments refuses scores on another scale than 1-5
    return scored


def rfm_segments(scores: pd.DataFrame, r: str = "R", f: str = "F", m: str = "M") -> pd.DataFrame:
    """Name each customer's RFM segment from the R score and the combined FM score.

    FM = ceil((F + M) / 2), i.e. the average of F and M rounded half up, so F = 5 and M = 4
    give FM = 5. Each (R, FM) cell of the grid below holds exactly one segment, so every one
    of the 125 score combinations gets exactly one name. This is a non-overlapping version of
    the widely shared R x FM segment map:

    ======  ==============  ===================  ===================  ===============  ===============
    R \\ FM  1               2                    3                    4                5
    ======  ==============  ===================  ===================  ===============  ===============
    5       New             Potential loyalists  Potential loyalists  Champions        Champions
    4       Promising       Potential loyalists  Loyal                Champions        Champions
    3       About to sleep  About to sleep       Need attention       Loyal            Loyal
    2       Hibernating     Hibernating          At risk              At risk          At risk
    1       Lost            Lost                 At risk              Can't lose them  Can't lose them
    ======  ==============  ===================  ===================  ===============  ===============

    Parameters
    ----------
    scores : a table with 1–5 scores, e.g. the output of :func:`rfm_scores` with ``bins=5``.
    r, f, m : the score columns.

    Returns
    -------
    A copy of ``scores`` with ``FM`` and ``segment`` (a category whose levels are
    :data:`RFM_SEGMENTS`, best first).

    >>> scores = pd.DataFrame({"R": [5, 1, 2], "F": [5, 5, 1], "M": [4, 4, 2]})
    >>> rfm_segments(scores)
       R  F  M  FM          segment
    0  5  5  4   5        Champions
    1  1  5  4   5  Can't lose them
    2  2  1  2   2      Hibernating
    """
    levels = scores.attrs.get("rfm_bins", 5) if isinstance(scores, pd.DataFrame) else 5
    if levels != 5:
        raise CRMDataError(f"scores: the R, F and M scores run from 1 to {levels} (rfm_scores(bins={levels})), but the "
                           "segment map needs scores from 1 to 5. Fix: score with rfm_scores(rfm, bins=5).")
    checked = validate.table(scores, "scores", {r: "count", f: "count", m: "count"})
    numbers = {col: checked[col].to_numpy(dtype="float64").astype(np.int64) for col in (r, f, m)}
    for col, values in numbers.items():
        outside = (values < 1) | (values > 5)
        if outside.any():
            raise validate.rows_error("scores", col, checked.index[outside], noun="score", problem="outside 1–5",
                                      fix="segments need 5-point scores; build them with rfm_scores(rfm, bins=5)")
    fm = (numbers[f] + numbers[m] + 1) // 2
    names = _SEGMENT_GRID[5 - numbers[r], fm - 1]
    return scores.assign(FM=fm, segment=pd.Categorical(names, categories=list(RFM_SEGMENTS)))


# --------------------------------------------------------------------------------------------
# weighted customer value: current + future, strategic vs general accounts
# --------------------------------------------------------------------------------------------
def _criterion_numbers(values: pd.Series) -> pd.Series:
    """An ordered category counts by its level (lowest = 0); other categories are not numbers."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        if values.cat.ordered:
            codes = values.cat.codes
            return codes.astype("float64").where(codes >= 0)
        return values.astype(object)
    return values


def _scaled(values: pd.Series, scaling: str, cost: bool) -> pd.Series:
    """One criterion on a 0–1 scale, higher = better (a cost criterion is turned round)."""
    if scaling == "rank":
        scaled = values.rank(pct=True)
    else:
        low, high = values.min(), values.max()
        if not np.isfinite(high - low):
            raise CRMDataError(f"accounts: column '{values.name}' spans more than a float can hold. Fix: use rank scaling or smaller units.")
        scaled = (values - low) / (high - low) if high > low else pd.Series(0.5, index=values.index)
    return 1 - scaled if cost else scaled


def _subset(names, label: str, criteria: Mapping[str, float]) -> set[str]:
    chosen = set(validate.column_list(names, label, '["margin"]', allow_none=False))
    unknown = sorted(str(x) for x in chosen - set(criteria))
    if unknown:
        raise CRMDataError(f"{label} names {', '.join(unknown)}, which are not among the weights ({', '.join(criteria)}). "
                           f"Fix: give every {label} criterion a weight too.")
    return chosen


def value_score(accounts: pd.DataFrame, weights: Mapping[str, float], customer: str = "customer_id",
                cost: Iterable[str] = (), future: Iterable[str] = (), scaling: str = "rank") -> pd.DataFrame:
    """Weighted value score of each account: current value + future value.

    Each criterion column is put on a 0–1 scale, then weighted:

    * ``scaling="rank"``: the account's percentile, ``rank(pct=True)`` (ties share their
      average rank), robust to a few giant accounts;
    * ``scaling="minmax"``: (x − min) / (max − min); 0.5 for everyone if the column is constant.

    A cost criterion (less is better, e.g. marketing cost) becomes 1 − scaled value. An ordered
    category (e.g. industry position) counts by its level, lowest = 0.

    Parameters
    ----------
    accounts : one row per account, with the criteria as columns.
    weights : ``{criterion column: weight}``, positive weights adding up to 1.
    customer : the account id column (ids must be unique).
    cost : criteria where less is better.
    future : criteria that measure future value (industry position, years of cooperation,
        satisfaction, ...); the others make up the current value (margin, sales, cost, ...).
    scaling : "rank" or "minmax".

    Returns
    -------
    DataFrame with the accounts' index: the customer column, ``<criterion>_scaled`` for each
    criterion, ``current_value`` and ``future_value`` (the weighted sums of each group) and
    ``value_score`` = current + future, between 0 and 1. Split it with :func:`account_tiers`.

    >>> accounts = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...                          "margin": [900.0, 300.0, 100.0, 50.0],
    ...                          "marketing_cost": [80.0, 10.0, 30.0, 20.0],
    ...                          "cooperation_years": [6, 1, 4, 2]})
    >>> scores = value_score(accounts, {"margin": 0.5, "marketing_cost": 0.2, "cooperation_years": 0.3},
    ...                      cost=["marketing_cost"], future=["cooperation_years"])
    >>> scores[["customer_id", "margin_scaled", "marketing_cost_scaled", "value_score"]]
      customer_id  margin_scaled  marketing_cost_scaled  value_score
    0           a           1.00                   0.00        0.800
    1           b           0.75                   0.75        0.600
    2           c           0.50                   0.25        0.525
    3           d           0.25                   0.50        0.375
    """
    validate.one_of(scaling, "scaling", ["rank", "minmax"])
    criteria = validate.shares(weights, "weights", '{"margin": 0.6, "cooperation_years": 0.4}')
    costly, later = _subset(cost, "cost", criteria), _subset(future, "future", criteria)
    validate.require_columns(accounts, "accounts", [customer, *criteria])
    numeric = accounts.assign(**{c: _criterion_numbers(accounts[c]) for c in criteria})
    checked = validate.table(numeric, "accounts", {customer: "key", **{c: "number" for c in criteria}}, unique_key=customer)
    scaled = pd.DataFrame({f"{c}_scaled": _scaled(checked[c], scaling, c in costly) for c in criteria})
    weighted = scaled * np.array([criteria[c] for c in criteria])
    is_future = np.array([c in later for c in criteria])
    current_value = weighted.loc[:, ~is_future].sum(axis=1)
    future_value = weighted.loc[:, is_future].sum(axis=1)
    return pd.concat([checked[[customer]], scaled], axis=1).assign(
        current_value=current_value, future_value=future_value, value_score=current_value + future_value)


def account_tiers(scores: pd.DataFrame, strategic_share: float = 0.2, score: str = "value_score") -> pd.DataFrame:
    """Split accounts into ``strategic`` (the top ``strategic_share`` by score) and ``general``.

    The strategic group is the ceil(strategic_share x n) highest scores; equal scores are
    split by row order. Returns a copy of ``scores`` with a ``tier`` column.

    >>> scores = pd.DataFrame({"customer_id": list("abcde"), "value_score": [0.2, 0.9, 0.5, 0.7, 0.1]})
    >>> account_tiers(scores, strategic_share=0.4)
      customer_id  value_score       tier
    0           a          0.2    general
    1           b          0.9  strategic
    2           c          0.5    general
    3           d          0.7  strategic
    4           e          0.1    general
    """
    share = validate.share(strategic_share, "strategic_share")
    checked = validate.table(scores, "scores", {score: "number"})
    top = checked[score].rank(method="first", ascending=False) <= top_count(share, len(checked))
    return scores.assign(tier=np.where(top.to_numpy(), "strategic", "general").astype(object))


def account_criteria(customers: pd.DataFrame, orders: pd.DataFrame, order_lines: pd.DataFrame, surveys: pd.DataFrame,
                     customer: str = "customer_id", kind: str = "customer_type", business: str = "business") -> pd.DataFrame:
    """The business accounts with the value criteria of the curriculum's industrial example, ready for :func:`value_score`.

    Adds to each business account's row of ``customers``: ``margin``, ``line_amount`` (sales) and
    ``marketing_cost`` summed over its order lines (0 for an account without orders), and
    ``satisfaction``, the mean ``nps_score`` of its surveys (missing where it answered none).

    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "customer_type": ["business", "business", "consumer"]})
    >>> orders = pd.DataFrame({"order_id": [1, 2, 3], "customer_id": ["a", "a", "c"]})
    >>> lines = pd.DataFrame({"order_id": [1, 2, 3], "margin": [5.0, 3.0, 1.0], "line_amount": [20.0, 10.0, 4.0],
    ...                       "marketing_cost": [1.0, 0.0, 0.0]})
    >>> surveys = pd.DataFrame({"customer_id": ["a", "a"], "nps_score": [8, 10]})
    >>> account_criteria(customers, orders, lines, surveys)[["customer_id", "margin", "line_amount", "satisfaction"]]
      customer_id  margin  line_amount  satisfaction
    0           a     8.0         30.0           9.0
    1           b     0.0          0.0           NaN
    """
    accounts = validate.table(customers, "customers", {customer: "key", kind: "text"}, unique_key=customer)
    accounts = accounts[accounts[kind] == business]
    sold = validate.table(orders, "orders", {"order_id": "key", customer: "key"}, unique_key="order_id")
    lines = validate.table(order_lines, "order_lines", {"order_id": "key", "margin": "number", "line_amount": "money",
                                                         "marketing_cost": "money"})
    answers = validate.table(surveys, "surveys", {customer: "key", "nps_score": "number"}, allow_empty=True)
    money = (lines.merge(sold[["order_id", customer]], on="order_id")
             .groupby(customer)[["margin", "line_amount", "marketing_cost"]].sum())
    satisfaction = answers.groupby(customer)["nps_score"].mean().rename("satisfaction")
    table = accounts.merge(money, on=customer, how="left").merge(satisfaction, on=customer, how="left")
    return table.fillna({"margin": 0.0, "line_amount": 0.0, "marketing_cost": 0.0}).reset_index(drop=True)


validate.check_public_arguments(globals(), __all__)
