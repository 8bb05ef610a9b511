"""Chapter 1, customer identification and selection: who brings the value in?

First, who the customers are: :func:`profile_shares` and :func:`largest_gap` compare the brands'
member profiles. Then four ways to look at the value, each starting from a table of orders:

* concentration: :func:`pareto_table`, :func:`top_share` (with its bootstrap interval,
  :func:`top_share_interval`), :func:`abc_classes`,
  :func:`abc_summary`, :func:`lorenz_curve`, :func:`gini`, :func:`customer_pyramid`;
  by group: :func:`pareto_curves` → :func:`top_shares`;
* behaviour: :func:`rfm_table`, then the eight RFM customer types of Chinese textbooks
  (:data:`RFM_TYPES`): :func:`rfm_types`, :func:`threshold_summary`, :func:`default_thresholds`;
  or quintile scores and named segments: :func:`rfm_scores` → :func:`rfm_segments`;
* weighted value of business accounts: :func:`value_score` → :func:`account_tiers`; the balance
  of current and future value: :func:`value_indices` → :func:`balance_split`, :func:`balance_curve`.

Then the selection: :func:`allocate_budget` and :func:`compare_allocations` spread a marketing
budget over the segments found.

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

from crmlib import validate, vocabulary
from crmlib._shared import ratio
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "customer_totals",
    "pareto_table",
    "top_share",
    "top_share_interval",
    "top_count",
    "abc_classes",
    "abc_summary",
    "lorenz_curve",
    "gini",
    "rfm_table",
    "rfm_scores",
    "rfm_segments",
    "RFM_SEGMENTS",
    "value_score",
    "account_criteria",
    "account_tiers",
    "ACCOUNT_WEIGHTS",
    "customer_pyramid",
    "PYRAMID_TIERS",
    "pareto_curves",
    "top_shares",
    "PROFILE_MEASURES",
    "profile_shares",
    "largest_gap",
    "value_indices",
    "balance_split",
    "balance_curve",
    "RFM_TYPES",
    "rfm_types",
    "threshold_summary",
    "default_thresholds",
    "ALLOCATION_METHODS",
    "allocate_budget",
    "compare_allocations",
]

#: The customer pyramid's default tiers: share of the active customers in each, from the top.
PYRAMID_TIERS = MappingProxyType({"top": 0.01, "large": 0.04, "medium": 0.15, "small": 0.80})

#: The eleven RFM segments, from the best customers to the ones already gone.
RFM_SEGMENTS = (
    "Champions",
    "Loyal",
    "Potential loyalists",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose them",
    "Hibernating",
    "Lost",
)

# Segment of each cell of the R x FM grid: row R = 5, 4, 3, 2, 1; column FM = 1 .. 5.
_SEGMENT_GRID = np.array(
    [
        ["New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"],
        ["Promising", "Potential loyalists", "Loyal", "Champions", "Champions"],
        ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
        ["Hibernating", "Hibernating", "At risk", "At risk", "At risk"],
        ["Lost", "Lost", "At risk", "Can't lose them", "Can't lose them"],
    ],
    dtype=object,
)

# Cumulative shares are compared with cut-offs allowing for floating-point noise.
_NOISE = 1e-12


# --------------------------------------------------------------------------------------------
# small shared helpers (crmlib.develop and crmlib.loyalty import some of them)
# --------------------------------------------------------------------------------------------


def top_count(share: float, n: int) -> int:
    """How many of ``n`` ranked customers make up the top ``share``: ceil(share x n), at most n.

    >>> top_count(0.2, 15), top_count(0.2, 16)
    (3, 4)
    """
    return min(n, math.ceil(share * n - 1e-9))


def _positive_total(totals: pd.Series, amount: str) -> float:
    total = float(totals.sum())
    if not np.isfinite(total):
        raise CRMDataError(
            _(
                "orders: column '{amount}' adds up to {total}, too large to divide by. Fix: check "
                "the units of the amounts."
            ).format(amount=amount, total=total)
        )
    if total <= 0:
        raise CRMDataError(
            _(
                "orders: column '{amount}' adds up to 0, so there is no value to share out. Fix: "
                "check that the column holds the amounts, not an empty filter result."
            ).format(amount=amount)
        )
    return total


def _ranked(orders, customer: str, amount: str) -> tuple[pd.DataFrame, float]:
    """Customers from the most to the least valuable, with value and rank 1..n, and the total.

    Equal values keep the order of the customer ids (a stable sort), so the result is repeatable.
    """
    totals = customer_totals(orders, customer=customer, amount=amount)
    total = _positive_total(totals, amount)
    ordered = totals.sort_values(ascending=False, kind="stable")
    table = pd.DataFrame(
        {customer: ordered.index.to_numpy(), "value": ordered.to_numpy(), "rank": np.arange(1, len(ordered) + 1)}
    )
    return table, total


def _group_summary(table: pd.DataFrame, label: str, labels: list[str]) -> pd.DataFrame:
    """Per label (in the order given, empty labels included): customers, value and shares."""
    grouped = (
        table.groupby(label, observed=True, sort=False)["value"].agg(["size", "sum"]).reindex(labels, fill_value=0)
    )
    customers = grouped["size"].to_numpy()
    value = grouped["sum"].to_numpy(dtype="float64")
    return pd.DataFrame(
        {
            label: labels,
            "customers": customers,
            "value": value,
            "customer_share": customers / customers.sum(),
            "value_share": value / value.sum(),
            "value_per_customer": ratio(value, customers),
        }
    )


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
    return table.assign(cum_customer_share=table["rank"] / len(table), cum_value_share=table["value"].cumsum() / total)


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
    return float(table["value"].iloc[: top_count(share, len(table))].sum() / total)


def top_share_interval(
    orders: pd.DataFrame,
    top: float = 0.2,
    customer: str = "customer_id",
    amount: str = "amount",
    level: float = 0.95,
    draws: int = 2000,
    seed: int = 0,
) -> tuple[float, float]:
    """Bootstrap ``level`` interval of :func:`top_share`: ``(low, high)``.

    The customers are a sample: another year, or another set of stores, would give other ones.
    To see how much the share could move by chance, draw ``draws`` new samples of n customers
    from the n we have, with replacement (one customer's total may be drawn twice), compute the
    top share of each, and keep the middle ``level`` of the results (the percentile bootstrap).
    Each customer is drawn as a whole, with all their orders. ``seed`` makes it repeatable.

    Parameters
    ----------
    orders, top, customer, amount : as in :func:`top_share` (one row per order, or one row per
        customer with their total).
    level : e.g. 0.95 for a 95 % interval.
    draws : number of bootstrap samples, 100 to 100,000; 2,000 is plenty for two decimals.
    seed : random seed.

    Examples
    --------
    When every customer spends the same, every sample gives the same share: no uncertainty.

    >>> orders = pd.DataFrame({"customer_id": list("abcdefghij"), "amount": [5.0] * 10})
    >>> top_share_interval(orders, top=0.2)
    (0.2, 0.2)

    Two customers who spent 3 and 1: a sample is {3, 3} or {1, 1} (top share 0.5 each, with
    chance 1/4 each) or one of each (top share 3/4, chance 1/2), so the middle 95 % runs from
    0.5 to 0.75.

    >>> top_share_interval(pd.DataFrame({"customer_id": ["a", "b"], "amount": [3.0, 1.0]}), top=0.5)
    (0.5, 0.75)
    """
    share = validate.share(top, "top")
    confidence = validate.share(level, "level")
    n_draws = validate.whole_number(draws, "draws", minimum=100, maximum=100_000, example=2000)
    rng = np.random.default_rng(validate.seed(seed, default=0))
    values = customer_totals(orders, customer=customer, amount=amount).to_numpy(dtype="float64")
    _positive_total(pd.Series(values), amount)
    n = values.size
    k = top_count(share, n)
    shares = np.empty(n_draws)
    chunk = max(1, 2_000_000 // n)  # samples per block, so memory stays small for many customers
    for start in range(0, n_draws, chunk):
        stop = min(n_draws, start + chunk)
        sample = values[rng.integers(0, n, size=(stop - start, n))]
        top_values = -np.partition(-sample, k - 1, axis=1)[:, :k]
        totals = sample.sum(axis=1)
        safe = np.where(totals > 0, totals, 1.0)
        # a sample of customers who all spent 0: all equal, so the top holds k / n
        shares[start:stop] = np.where(totals > 0, top_values.sum(axis=1) / safe, k / n)
    tail = (1 - confidence) / 2
    low, high = np.quantile(shares, [tail, 1 - tail])
    return float(low), float(high)


def abc_classes(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    amount: str = "amount",
    cutoffs: tuple[float, ...] = (0.8, 0.95),
) -> pd.DataFrame:
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
    fix = _("pass increasing shares between 0 and 1, e.g. cutoffs=(0.8, 0.95)")
    try:
        limits = np.asarray([float(c) for c in cutoffs], dtype="float64")
    except (TypeError, ValueError):
        raise CRMDataError(
            _("cutoffs must be numbers, got {cutoffs!r}. Fix: {fix}.").format(cutoffs=cutoffs, fix=fix)
        ) from None
    ok = limits.size >= 1 and limits.size < 26 and np.all((limits > 0) & (limits < 1)) and np.all(np.diff(limits) > 0)
    if not ok:
        raise CRMDataError(
            _("cutoffs must be increasing shares strictly between 0 and 1, got {cutoffs!r}. Fix: {fix}.").format(
                cutoffs=cutoffs, fix=fix
            )
        )
    return limits


def _class_letters(n_cutoffs: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n_cutoffs + 1)]


def abc_summary(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    amount: str = "amount",
    cutoffs: tuple[float, ...] = (0.8, 0.95),
) -> pd.DataFrame:
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
        raise CRMDataError(
            _(
                "values must be a pandas Series, got {type}. Fix: pass one number per customer, "
                "e.g. gini(customer_totals(orders))."
            ).format(type=type(values).__name__)
        )
    validate.not_empty(values, "values")
    checked = validate.non_negative(values, name="values")
    v = checked.sort_values().to_numpy()
    total = v.sum()
    if total <= 0:
        raise CRMDataError(
            _("values add up to 0, so the Gini coefficient is undefined. Fix: pass the customers' totals.")
        )
    n = len(v)
    return float((2 * np.arange(1, n + 1) - n - 1) @ v / (n * total))


def customer_pyramid(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    amount: str = "amount",
    tiers: Mapping[str, float] | None = None,
) -> pd.DataFrame:
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
        raise CRMDataError(_("tiers: the name 'inactive' is kept for customers with no value. Fix: rename that tier."))
    table, _order = _ranked(orders, customer, amount)
    active = int((table["value"] > 0).sum())
    bounds = [top_count(share, active) for share in np.cumsum(list(shares.values()))]
    bounds[-1] = active
    names = np.array([*shares, "inactive"], dtype=object)
    table["tier"] = names[np.searchsorted(bounds, table["rank"].to_numpy(), side="left")]
    return _group_summary(table, "tier", list(names))


# --------------------------------------------------------------------------------------------
# RFM: recency, frequency, monetary
# --------------------------------------------------------------------------------------------
def rfm_table(
    orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date", amount: str = "amount", as_of=None
) -> pd.DataFrame:
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
        raise validate.rows_error(
            "orders",
            date,
            checked.index[late],
            noun=_("date"),
            problem=_("after as_of {as_of}").format(as_of=as_of),
            fix=_("filter those orders out or pass a later as_of"),
        )
    grouped = checked.assign(**{date: days}).groupby(customer, observed=True)
    return pd.DataFrame(
        {
            "recency": end - grouped[date].max(),
            "frequency": grouped.size(),
            "monetary": grouped[amount].sum(),
        }
    ).reset_index()


def _quantile_score(values: pd.Series, bins: int, ascending: bool) -> np.ndarray:
    """Scores 1..bins from the share of customers ranked strictly below; equal values score alike."""
    below = values.rank(method="min", ascending=ascending).to_numpy(dtype="int64") - 1
    return below * bins // len(values) + 1


def rfm_scores(
    rfm: pd.DataFrame, bins: int = 5, recency: str = "recency", frequency: str = "frequency", monetary: str = "monetary"
) -> pd.DataFrame:
    """Score each customer 1..``bins`` on recency, frequency and monetary value by quantile.

    The customers are ranked on each number and the ranking is cut into ``bins`` equal parts
    (quintiles for ``bins=5``): the best fifth scores 5, the worst fifth 1. ``R`` is reversed:
    the most recent buyers get the top score. F and M: the most frequent / highest spenders do.

    **Ties.** Equal customers get equal scores, so the scores never depend on the order of the
    rows. The rule: a customer's score is set by the share of customers strictly worse than them,
    ``score = 1 + floor(bins × share worse)``. A large group of equal values therefore shares the
    score where it starts, and the scores it spans stay empty: if 45 % of the customers bought
    once, all of them get F = 1, nobody gets F = 2, and the two-order customers start at F = 3.

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
    3           d  1  1  1  111        3
    4           e  2  4  3  243        9
    """
    bins = validate.whole_number(bins, "bins", minimum=2, maximum=9, example=5)
    checked = validate.table(rfm, "rfm", {recency: "number", frequency: "number", monetary: "number"})
    if len(checked) < bins:
        raise CRMDataError(
            _(
                "rfm has {count} customers, fewer than bins={bins}, so they cannot fill {bins} "
                "score groups. Fix: score more customers or pass a smaller bins."
            ).format(count=len(checked), bins=bins)
        )
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
        raise CRMDataError(
            _(
                "scores: the R, F and M scores run from 1 to {levels} "
                "(rfm_scores(bins={levels})), but the segment map needs scores from 1 to 5. Fix: "
                "score with rfm_scores(rfm, bins=5)."
            ).format(levels=levels)
        )
    checked = validate.table(scores, "scores", {r: "count", f: "count", m: "count"})
    numbers = {col: checked[col].to_numpy(dtype="float64").astype(np.int64) for col in (r, f, m)}
    for col, values in numbers.items():
        outside = (values < 1) | (values > 5)
        if outside.any():
            raise validate.rows_error(
                "scores",
                col,
                checked.index[outside],
                noun=_("score"),
                problem=_("outside 1–5"),
                fix=_("segments need 5-point scores; build them with rfm_scores(rfm, bins=5)"),
            )
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
            raise CRMDataError(
                _(
                    "accounts: column '{name}' spans more than a float can hold. Fix: use rank "
                    "scaling or smaller units."
                ).format(name=values.name)
            )
        scaled = (values - low) / (high - low) if high > low else pd.Series(0.5, index=values.index)
    return 1 - scaled if cost else scaled


#: Chapter 1's weights for the business-account value score (the reference the industrial case
#: compares a student's own weights with): 0.6 on current value (margin, sales, marketing cost as
#: a cost), 0.4 on future value (industry position, years of cooperation, satisfaction).
ACCOUNT_WEIGHTS = MappingProxyType(
    {
        "margin": 0.30,
        "line_amount": 0.20,
        "marketing_cost": 0.10,
        "industry_position": 0.15,
        "cooperation_years": 0.15,
        "satisfaction": 0.10,
    }
)


def _subset(names, label: str, criteria: Mapping[str, float]) -> set[str]:
    chosen = set(validate.column_list(names, label, '["margin"]', allow_none=False))
    unknown = sorted(str(x) for x in chosen - set(criteria))
    if unknown:
        raise CRMDataError(
            _(
                "{label} names {listed}, which are not among the weights ({listed2}). Fix: give "
                "every {label} criterion a weight too."
            ).format(label=label, listed=", ".join(unknown), listed2=", ".join(criteria))
        )
    return chosen


def value_score(
    accounts: pd.DataFrame,
    weights: Mapping[str, float],
    customer: str = "customer_id",
    cost: Iterable[str] = (),
    future: Iterable[str] = (),
    scaling: str = "rank",
) -> pd.DataFrame:
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
    checked = validate.table(
        numeric, "accounts", {customer: "key", **{c: "number" for c in criteria}}, unique_key=customer
    )
    scaled = pd.DataFrame({f"{c}_scaled": _scaled(checked[c], scaling, c in costly) for c in criteria})
    weighted = scaled * np.array([criteria[c] for c in criteria])
    is_future = np.array([c in later for c in criteria])
    current_value = weighted.loc[:, ~is_future].sum(axis=1)
    future_value = weighted.loc[:, is_future].sum(axis=1)
    return pd.concat([checked[[customer]], scaled], axis=1).assign(
        current_value=current_value, future_value=future_value, value_score=current_value + future_value
    )


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


def account_criteria(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    order_lines: pd.DataFrame,
    surveys: pd.DataFrame,
    customer: str = "customer_id",
    kind: str = "customer_type",
    business: str = "business",
) -> pd.DataFrame:
    """The business accounts with the value criteria of the curriculum's industrial example, ready for
    :func:`value_score`.

    Adds to each business account's row of ``customers``: ``margin``, ``line_amount`` (sales) and
    ``marketing_cost`` summed over its order lines (0 for an account without orders), and
    ``satisfaction``, the mean ``nps_score`` of its surveys (missing where it answered none).

    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...                           "customer_type": ["business", "business", "consumer"]})
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
    lines = validate.table(
        order_lines,
        "order_lines",
        {"order_id": "key", "margin": "number", "line_amount": "money", "marketing_cost": "money"},
    )
    answers = validate.table(surveys, "surveys", {customer: "key", "nps_score": "number"}, allow_empty=True)
    validate.same_key_kind(sold["order_id"], lines["order_id"], "orders", "order_lines", "order_id", "order_id")
    for other, name in ((sold, "orders"), (answers, "surveys")):
        validate.same_key_kind(accounts[customer], other[customer], "customers", name, customer, customer)
    money = (
        lines.merge(sold[["order_id", customer]], on="order_id")
        .groupby(customer)[["margin", "line_amount", "marketing_cost"]]
        .sum()
    )
    satisfaction = answers.groupby(customer)["nps_score"].mean().rename("satisfaction")
    table = accounts.merge(money, on=customer, how="left").merge(satisfaction, on=customer, how="left")
    return table.fillna({"margin": 0.0, "line_amount": 0.0, "marketing_cost": 0.0}).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Pareto curves by group: what share of the value the top X % of each group's customers bring
# --------------------------------------------------------------------------------------------
def pareto_curves(
    orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount", by: str | None = None
) -> dict:
    """The Pareto table (:func:`pareto_table`) of each group (one table, under the key None, when ``by`` is None).

    Groups come in the order of the ``by`` column's values (its categories if it is one).

    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [6.0, 2.0, 1.0, 1.0],
    ...                        "shop": ["x", "x", "y", "y"]})
    >>> {k: v["cum_value_share"].round(2).tolist() for k, v in pareto_curves(orders, by="shop").items()}
    {'x': [0.75, 1.0], 'y': [0.5, 1.0]}
    """
    if by is None:
        return {None: pareto_table(orders, customer=customer, amount=amount)}
    validate.require_columns(orders, "orders", [])
    if by not in orders.columns:
        raise CRMDataError(
            _("orders has no column '{by}'. Fix: pass by= one of {items}, or by=None.").format(
                by=by, items=list(orders.columns)
            )
        )
    validate.unique_columns(orders, "orders")
    validate.key_cells(orders[by], "orders", by)
    return {
        group: pareto_table(part, customer=customer, amount=amount)
        for group, part in orders.groupby(by, observed=True, sort=True)
    }


def top_shares(curves: Mapping, top_pct: float) -> dict:
    """Share of value brought by the top ``top_pct`` % of customers, for each curve of :func:`pareto_curves`.

    Counts as :func:`top_share` does: the top ceil(top x n) customers.

    >>> orders = pd.DataFrame({"customer_id": list("abcde"), "amount": [60.0, 10.0, 10.0, 10.0, 10.0]})
    >>> top_shares(pareto_curves(orders), 20)
    {None: 0.6}
    """
    if isinstance(top_pct, bool) or not isinstance(top_pct, (int, float, np.number)) or not 0 < top_pct <= 100:
        raise CRMDataError(
            _("top_pct must be a percentage above 0 and at most 100, got {top_pct!r}. Fix: pass e.g. 20.").format(
                top_pct=top_pct
            )
        )
    if not isinstance(curves, Mapping) or not curves:
        raise CRMDataError(
            _(
                "curves must be a non-empty dict of Pareto tables, got {type}. Fix: pass the "
                "result of pareto_curves(orders, by=...)."
            ).format(type=type(curves).__name__)
        )
    shares = {}
    for group, table in curves.items():
        checked = validate.table(table, f"curves[{group!r}]", {"cum_value_share": "number"})
        n = top_count(top_pct / 100, len(checked))
        shares[group] = float(checked["cum_value_share"].iloc[n - 1])
    return shares


# --------------------------------------------------------------------------------------------
# member profiles by brand: shares of members and of revenue over one attribute
# --------------------------------------------------------------------------------------------
#: What a share of :func:`profile_shares` counts: members, or their spending (name -> label).
PROFILE_MEASURES = MappingProxyType({"members": "share of members 会员占比", "revenue": "share of revenue 收入占比"})


def _present_levels(values: pd.Series) -> list:
    """The values that occur, in category order for a category, sorted otherwise."""
    present = set(values.dropna().unique())
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [level for level in values.cat.categories if level in present]
    return sorted(present, key=str)


def profile_shares(
    profiles: pd.DataFrame, dimension: str, measure: str = "members", brand: str = "brand_id", spend: str = "spend"
) -> pd.DataFrame:
    """How each brand's members split over ``dimension``: shares of members or of revenue.

    Parameters
    ----------
    profiles : one row per member, with the ``brand`` column, the ``dimension`` column and
        (for ``measure="revenue"``) the member's total ``spend``.
    measure : "members" (count members) or "revenue" (add up their spend); see :data:`PROFILE_MEASURES`.

    Returns
    -------
    DataFrame: one row per value of the dimension that occurs, one column per brand; each
    column adds up to 1 (0 where a brand has nobody in that group).

    >>> profiles = pd.DataFrame({"brand_id": ["A", "A", "A", "B"], "age": ["young", "old", "old", "young"],
    ...                          "spend": [10.0, 30.0, 60.0, 5.0]})
    >>> profile_shares(profiles, "age")
    brand_id         A    B
    age
    old       0.666667  0.0
    young     0.333333  1.0
    >>> profile_shares(profiles, "age", measure="revenue")
    brand_id    A    B
    age
    old       0.9  0.0
    young     0.1  1.0
    """
    validate.one_of(measure, "measure", list(PROFILE_MEASURES))
    kinds = {brand: "key", dimension: "key", **({spend: "money"} if measure == "revenue" else {})}
    checked = validate.table(profiles, "profiles", kinds)
    weight = checked[spend] if measure == "revenue" else pd.Series(1.0, index=checked.index)
    table = weight.groupby([checked[dimension], checked[brand]], observed=True).sum().unstack(fill_value=0.0)
    table = table.reindex(
        index=_present_levels(checked[dimension]), columns=_present_levels(checked[brand]), fill_value=0.0
    )
    totals = table.sum()
    if (totals <= 0).any():
        raise CRMDataError(
            _("profiles: a brand's {measure} add up to 0, so it has no shares. Fix: check column '{spend}'.").format(
                measure=measure, spend=spend
            )
        )
    table = table / totals
    table.index.name, table.columns.name = dimension, brand
    return table


def largest_gap(profiles: pd.DataFrame, dimension: str, brand: str = "brand_id", spend: str = "spend") -> dict:
    """The group of ``dimension`` whose share of revenue differs most from its share of members.

    Returns a dict with ``brand``, ``group``, ``member_share`` and ``revenue_share``
    (from :func:`profile_shares`).

    >>> profiles = pd.DataFrame({"brand_id": ["A", "A", "A", "B"], "age": ["young", "old", "mid", "young"],
    ...                          "spend": [10.0, 30.0, 60.0, 5.0]})
    >>> gap = largest_gap(profiles, "age")
    >>> gap["brand"], gap["group"], round(gap["member_share"], 3), gap["revenue_share"]
    ('A', 'mid', 0.333, 0.6)
    """
    members = profile_shares(profiles, dimension, "members", brand=brand, spend=spend)
    revenue = profile_shares(profiles, dimension, "revenue", brand=brand, spend=spend)
    gaps = (revenue - members).abs().stack()
    group, which = gaps.idxmax()  # first largest gap in row (group) order
    return {
        "brand": which,
        "group": group,
        "member_share": float(members.loc[group, which]),
        "revenue_share": float(revenue.loc[group, which]),
    }


# --------------------------------------------------------------------------------------------
# value score balance: how the weight on future value decides who is a strategic account
# --------------------------------------------------------------------------------------------
def value_indices(
    accounts: pd.DataFrame,
    weights: Mapping[str, float],
    cost: Iterable[str] = (),
    future: Iterable[str] = (),
    customer: str = "customer_id",
    scaling: str = "rank",
) -> pd.DataFrame:
    """Each account's current and future value index (0–1), from :func:`value_score`.

    The current index is ``current_value`` divided by the total weight of the current criteria,
    the future index likewise; both are weighted means of scaled criteria. With rank or min-max
    scaling each criterion's 0–1 scale does not depend on the weights, so keeping the proportions
    *inside* each group fixed, an account's score at a total weight f on future value is

        score = (1 − f) × current index + f × future index,

    which is what :func:`balance_split` computes: one number, f, moves the balance.

    Returns
    -------
    DataFrame with the accounts' index: ``customer``, ``current_index``, ``future_index`` and
    ``future_weight`` (the weights' share on future value, the same on every row).

    >>> accounts = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...                          "margin": [900.0, 300.0, 100.0, 50.0],
    ...                          "cooperation_years": [1, 6, 4, 2]})
    >>> value_indices(accounts, {"margin": 0.6, "cooperation_years": 0.4}, future=["cooperation_years"])
      customer_id  current_index  future_index  future_weight
    0           a           1.00          0.25            0.4
    1           b           0.75          1.00            0.4
    2           c           0.50          0.75            0.4
    3           d           0.25          0.50            0.4
    """
    scores = value_score(accounts, weights, customer=customer, cost=cost, future=future, scaling=scaling)
    later = {future} if isinstance(future, str) else set(future)
    future_weight = float(sum(w for c, w in weights.items() if c in later))
    if not 0 < future_weight < 1:
        raise CRMDataError(
            _(
                "weights: the balance needs both current and future criteria, but {value} of the "
                "weight is on future ones. Fix: name the future criteria in future=[...] and give "
                "the others a weight too."
            ).format(value="none" if future_weight == 0 else "all")
        )
    return pd.DataFrame(
        {
            customer: scores[customer],
            "current_index": scores["current_value"] / (1 - future_weight),
            "future_index": scores["future_value"] / future_weight,
            "future_weight": future_weight,
        }
    )


def balance_split(
    indices: pd.DataFrame,
    accounts: pd.DataFrame,
    future_weight: float,
    margin: str = "margin",
    strategic_share: float = 0.2,
    baseline: pd.Series | None = None,
) -> dict:
    """Tiers at one balance of current and future value, and what they mean for the margin.

    Parameters
    ----------
    indices : the table of :func:`value_indices` (same rows, same order as ``accounts``).
    accounts : the accounts, with the ``margin`` column.
    future_weight : f, the share of the weight on future value, from 0 to 1.
    strategic_share : share of the accounts that are strategic (see :func:`account_tiers`).
    baseline : tiers to compare with (a Series of "strategic"/"general" on the same index).

    Returns
    -------
    dict with ``tiers`` (a Series), ``score`` (a Series), ``threshold`` (the lowest strategic
    score), ``strategic`` (how many), ``margin_share`` (the strategic accounts' share of the
    total margin), ``moved`` (True for each account whose tier differs from ``baseline``; all
    False without one), ``changed`` (how many moved) and ``future_weight`` (f).

    >>> indices = pd.DataFrame({"current_index": [1.0, 0.75, 0.5, 0.25], "future_index": [0.25, 1.0, 0.75, 0.5]})
    >>> accounts = pd.DataFrame({"margin": [900.0, 300.0, 100.0, 50.0]})
    >>> split = balance_split(indices, accounts, 0.9, strategic_share=0.25)
    >>> split["tiers"].tolist(), round(split["margin_share"], 3)
    (['general', 'strategic', 'general', 'general'], 0.222)
    """
    f = float(future_weight)
    if not 0 <= f <= 1:
        raise CRMDataError(
            _("future_weight must be between 0 and 1, got {future_weight!r}. Fix: pass e.g. 0.4.").format(
                future_weight=future_weight
            )
        )
    checked = validate.table(indices, "indices", {"current_index": "number", "future_index": "number"})
    money = validate.table(accounts, "accounts", {margin: "money"})[margin]
    if len(money) != len(checked):
        raise CRMDataError(
            _(
                "accounts has {count} rows but indices has {count2}. Fix: pass the same accounts "
                "that value_indices() scored."
            ).format(count=len(money), count2=len(checked))
        )
    score = (1 - f) * checked["current_index"] + f * checked["future_index"]
    tiers = account_tiers(pd.DataFrame({"value_score": score}), strategic_share=strategic_share)["tier"]
    strategic = (tiers == "strategic").to_numpy()
    if baseline is not None and (
        not isinstance(baseline, pd.Series)
        or len(baseline) != len(tiers)
        or not baseline.map(lambda v: isinstance(v, str) and v in ("strategic", "general")).all()
    ):
        raise CRMDataError(
            _(
                "baseline must be the tiers of another balance_split on the same accounts "
                "({count} values), got {type} of {value} values or with other labels. Fix: pass "
                'baseline=balance_split(indices, accounts, 0.5)["tiers"], or leave baseline out.'
            ).format(
                count=len(tiers),
                type=type(baseline).__name__,
                value=len(baseline) if hasattr(baseline, "__len__") else 1,
            )
        )
    moved = np.zeros(len(tiers), dtype=bool) if baseline is None else tiers.to_numpy() != np.asarray(baseline)
    total = float(money.sum())
    return {
        "tiers": tiers,
        "score": score,
        "threshold": float(score[strategic].min()),
        "strategic": int(strategic.sum()),
        "margin_share": float(money.to_numpy()[strategic].sum() / total) if total > 0 else float("nan"),
        "moved": moved,
        "changed": int(moved.sum()),
        "future_weight": f,
    }


def balance_curve(
    indices: pd.DataFrame, accounts: pd.DataFrame, margin: str = "margin", strategic_share: float = 0.2, steps: int = 21
) -> pd.DataFrame:
    """The strategic accounts' margin share (:func:`balance_split`) at ``steps`` future weights from 0 to 1.

    The weights are evenly spaced and include 0 and 1.

    >>> indices = pd.DataFrame({"current_index": [1.0, 0.75, 0.5, 0.25], "future_index": [0.25, 1.0, 0.75, 0.5]})
    >>> balance_curve(indices, pd.DataFrame({"margin": [900.0, 300.0, 100.0, 50.0]}), strategic_share=0.25, steps=3)
       future_weight  margin_share
    0            0.0      0.666667
    1            0.5      0.222222
    2            1.0      0.222222
    """
    weights = np.linspace(0, 1, validate.whole_number(steps, "steps", minimum=2, example=21))
    shares = [
        balance_split(indices, accounts, f, margin=margin, strategic_share=strategic_share)["margin_share"]
        for f in weights
    ]
    return pd.DataFrame({"future_weight": weights, "margin_share": shares})


# --------------------------------------------------------------------------------------------
# RFM types (the eight customer types): high or low R, F and M against one threshold each
# --------------------------------------------------------------------------------------------
#: The eight RFM customer types, best first: (R high?, F high?, M high?) -> (English name, 中文,
#: action); defined in :data:`crmlib.vocabulary.RFM_TYPES`.
RFM_TYPES = vocabulary.RFM_TYPES
_RFM_TYPE_NAMES = [en for en, _, _ in RFM_TYPES.values()]
_RFM_TYPE_ZH = {en: zh for en, zh, _ in RFM_TYPES.values()}
_RFM_TYPE_ACTION = {en: action for en, _, action in RFM_TYPES.values()}


def _rfm_numbers(rfm: pd.DataFrame, recency="recency", frequency="frequency", monetary="monetary") -> pd.DataFrame:
    return validate.table(rfm, "rfm", {recency: "number", frequency: "number", monetary: "number"})


def _threshold(value, column: pd.Series, name: str, inclusive: bool = False) -> float:
    """A stated threshold, checked; or, when none is stated, the mean of the column."""
    if value is None:
        return float(column.mean())
    return validate.positive_number(value, name, inclusive=inclusive)


def rfm_types(
    rfm: pd.DataFrame,
    recent_days: float | None = None,
    min_orders: float | None = None,
    min_spend: float | None = None,
    recency: str = "recency",
    frequency: str = "frequency",
    monetary: str = "monetary",
) -> pd.DataFrame:
    """Each customer's type in the eight-type RFM model of Chinese CRM textbooks.

    Each of R, F and M is *high* or *low* against one threshold. R is high when the last order
    is recent, ``recency <= recent_days``; F is high when ``frequency >= min_orders``; M is high
    when ``monetary >= min_spend`` (a customer exactly at the threshold counts as high). A
    threshold left out is the mean of its column, the textbook rule. The three answers pick one
    of the eight types of :data:`RFM_TYPES` (重要价值客户 … 一般挽留客户).

    Parameters
    ----------
    rfm : the output of :func:`rfm_table` (one row per customer).
    recent_days, min_orders, min_spend : the thresholds; default the means of the columns.
    recency, frequency, monetary : the column names.

    Returns
    -------
    A copy of ``rfm`` with ``R_level``, ``F_level``, ``M_level`` ("high" or "low"), ``rfm_type``
    (a category of the eight English names, best first) and ``中文``. The thresholds used are in
    ``attrs["rfm_thresholds"]``.

    Examples
    --------
    Mean recency 105 days, mean frequency 3 orders, mean spend 250 CNY:

    >>> rfm = pd.DataFrame({"customer_id": list("abcd"), "recency": [10, 10, 200, 200],
    ...                     "frequency": [6, 1, 4, 1], "monetary": [600.0, 300.0, 80.0, 20.0]})
    >>> rfm_types(rfm)[["customer_id", "R_level", "F_level", "M_level", "中文"]]
      customer_id R_level F_level M_level      中文
    0           a    high    high    high  重要价值客户
    1           b    high     low    high  重要发展客户
    2           c     low    high     low  一般保持客户
    3           d     low     low     low  一般挽留客户
    """
    checked = _rfm_numbers(rfm, recency, frequency, monetary)
    days = _threshold(recent_days, checked[recency], "recent_days")
    orders = _threshold(min_orders, checked[frequency], "min_orders")
    spend = _threshold(min_spend, checked[monetary], "min_spend", inclusive=True)
    recent = (checked[recency] <= days).to_numpy()
    frequent = (checked[frequency] >= orders).to_numpy()
    high = (checked[monetary] >= spend).to_numpy()
    keys = zip(recent.tolist(), frequent.tolist(), high.tolist(), strict=True)
    names = [RFM_TYPES[key][0] for key in keys]
    levels = {"R_level": recent, "F_level": frequent, "M_level": high}
    typed = rfm.assign(
        **{column: np.where(flags, "high", "low") for column, flags in levels.items()},
        rfm_type=pd.Categorical(names, categories=_RFM_TYPE_NAMES),
        中文=[_RFM_TYPE_ZH[name] for name in names],
    )
    typed.attrs["rfm_thresholds"] = {"recent_days": days, "min_orders": orders, "min_spend": spend}
    return typed


def threshold_summary(
    rfm: pd.DataFrame,
    recent_days: float | None = None,
    min_orders: float | None = None,
    min_spend: float | None = None,
) -> pd.DataFrame:
    """Customers and revenue of each of the eight types of :func:`rfm_types`.

    All eight rows are there, empty ones included, best type first. A threshold left out is the
    mean of its column, as in :func:`rfm_types`.

    Returns
    -------
    DataFrame with ``rfm_type``, ``中文``, ``customers``, ``customer_share``, ``revenue``
    (total ``monetary``), ``revenue_share`` and ``action`` (what the type calls for).

    >>> rfm = pd.DataFrame({"recency": [10, 10, 300, 300], "frequency": [5, 1, 5, 1],
    ...                     "monetary": [500.0, 20.0, 400.0, 80.0]})
    >>> threshold_summary(rfm, 90, 3, 100)[["中文", "customers", "revenue_share"]].head(3)
           中文  customers  revenue_share
    0  重要价值客户          1            0.5
    1  重要发展客户          0            0.0
    2  重要保持客户          1            0.4
    """
    types = rfm_types(rfm, recent_days, min_orders, min_spend)
    money = _rfm_numbers(rfm)["monetary"]
    grouped = money.groupby(types["rfm_type"], observed=False).agg(["size", "sum"])
    grouped = grouped.reindex(_RFM_TYPE_NAMES, fill_value=0)
    total = float(money.sum())
    return pd.DataFrame(
        {
            "rfm_type": _RFM_TYPE_NAMES,
            "中文": [_RFM_TYPE_ZH[n] for n in _RFM_TYPE_NAMES],
            "customers": grouped["size"].to_numpy(),
            "customer_share": grouped["size"].to_numpy() / len(money),
            "revenue": grouped["sum"].to_numpy(dtype="float64"),
            "revenue_share": grouped["sum"].to_numpy(dtype="float64") / total if total > 0 else np.nan,
            "action": [_RFM_TYPE_ACTION[n] for n in _RFM_TYPE_NAMES],
        }
    )


def _round_to(value: float, step: float) -> float:
    """``value`` rounded to a multiple of ``step``, at least one step."""
    return max(step, round(value / step) * step)


def default_thresholds(rfm: pd.DataFrame) -> dict[str, float]:
    """Starting thresholds of the eight-type RFM model: the medians of recency, frequency and monetary value.

    Recency is rounded to 10 days and spend to 10 CNY (at least one step); orders are rounded
    up to a whole number. Medians, not means, because a few heavy buyers pull the means up.

    >>> rfm = pd.DataFrame({"recency": [12, 95, 300], "frequency": [1, 2, 9], "monetary": [30.0, 64.0, 900.0]})
    >>> default_thresholds(rfm)
    {'recent_days': 100, 'min_orders': 2, 'min_spend': 60}
    """
    checked = _rfm_numbers(rfm)
    return {
        "recent_days": int(_round_to(float(checked["recency"].median()), 10)),
        "min_orders": max(1, math.ceil(float(checked["frequency"].median()))),
        "min_spend": int(_round_to(float(checked["monetary"].median()), 10)),
    }


# --------------------------------------------------------------------------------------------
# budget allocation: spread a fixed marketing budget over customer segments
# --------------------------------------------------------------------------------------------
#: The ways :func:`allocate_budget` splits a budget: name -> label shown in tables and charts.
ALLOCATION_METHODS = MappingProxyType(
    {
        "equal": "equal per customer 平均分配",
        "return": "by expected return 按预期回报",
        "best_first": "best segments first 优先最佳",
    }
)


def _allocation_segments(segments: pd.DataFrame) -> pd.DataFrame:
    return validate.table(
        segments, "segments", {"segment": "key", "customers": "count", "expected_spend": "money"}, unique_key="segment"
    )


def _water_fill(weights: np.ndarray, caps: np.ndarray, budget: float) -> np.ndarray:
    """Share ``budget`` in proportion to ``weights``, no segment above its cap (water-filling)."""
    alloc = np.zeros(len(weights))
    room = (weights > 0) & (caps > 0)
    left = budget
    while left > 1e-9 and room.any():
        share = np.where(room, weights, 0.0) / weights[room].sum() * left
        full = room & (alloc + share >= caps - 1e-9)
        if not full.any():
            return alloc + share
        left -= float((caps[full] - alloc[full]).sum())
        alloc[full] = caps[full]
        room &= ~full
    return alloc


def allocate_budget(
    segments: pd.DataFrame, budget: float, lift: float, cost_per_customer: float, method: str = "return"
) -> pd.DataFrame:
    """Split ``budget`` over segments and compute the extra revenue it is expected to bring.

    A deliberately simple model, every assumption in the open: each segment has ``customers``
    and an ``expected_spend`` per customer over the campaign period (measured from the data,
    e.g. what the segment's customers spent in the 90 days after an as-of date); reaching one
    customer costs ``cost_per_customer`` CNY (message, voucher, staff time), and a segment cannot
    be reached more than once, so its budget is capped at customers x cost; a reached customer
    spends ``lift`` (e.g. 10 %) more than expected: the *extra revenue*. Money a capped segment
    cannot use goes to the others in the same proportions; money nobody can use stays unspent.

    Parameters
    ----------
    segments : one row per segment with ``segment``, ``customers`` and ``expected_spend``
        (expected spend per customer over the campaign period, CNY).
    budget : the marketing budget, CNY.
    lift : extra spend of a reached customer, as a share of their expected spend (0.1 = +10 %).
    cost_per_customer : what reaching one customer costs, CNY.
    method : one of :data:`ALLOCATION_METHODS`: ``"equal"`` (same amount per customer, so every
        segment gets its head-count share), ``"return"`` (in proportion to each segment's
        expected extra revenue, customers x expected_spend x lift) or ``"best_first"`` (fill the
        segments in order of expected spend per customer, so of return per CNY, best first;
        equal spends keep their row order).

    Returns
    -------
    A copy of ``segments`` with ``budget`` (CNY given to the segment), ``reached`` (customers
    reached = budget / cost, an expected count so it may have decimals) and ``extra_revenue``
    (reached x expected_spend x lift).

    >>> segs = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90],
    ...                      "expected_spend": [500.0, 50.0]})
    >>> allocate_budget(segs, budget=1000, lift=0.1, cost_per_customer=20, method="equal")
      segment  customers  expected_spend  budget  reached  extra_revenue
    0     big         10           500.0   100.0      5.0          250.0
    1   small         90            50.0   900.0     45.0          225.0
    >>> allocate_budget(segs, budget=1000, lift=0.1, cost_per_customer=20, method="return")
      segment  customers  expected_spend  budget  reached  extra_revenue
    0     big         10           500.0   200.0     10.0          500.0
    1   small         90            50.0   800.0     40.0          200.0
    >>> allocate_budget(segs, budget=300, lift=0.1, cost_per_customer=20, method="best_first")["budget"].tolist()
    [200.0, 100.0]
    """
    checked = _allocation_segments(segments)
    money = validate.positive_number(budget, "budget", inclusive=True)
    rate = validate.positive_number(lift, "lift", inclusive=True)
    cost = validate.positive_number(cost_per_customer, "cost_per_customer")
    validate.one_of(method, "method", list(ALLOCATION_METHODS))
    customers = checked["customers"].to_numpy(dtype="float64")
    spend = checked["expected_spend"].to_numpy(dtype="float64")
    caps = customers * cost
    if method == "best_first":
        given = np.zeros(len(caps))
        left = money
        for i in np.argsort(-spend, kind="stable"):
            given[i] = min(caps[i], left) if spend[i] > 0 else 0.0
            left -= given[i]
    else:
        given = _water_fill(customers if method == "equal" else customers * spend, caps, money)
    reached = given / cost
    return segments.assign(budget=given, reached=reached, extra_revenue=reached * spend * rate)


def compare_allocations(
    segments: pd.DataFrame, budget: float, lift: float, cost_per_customer: float, margin_rate: float | None = None
) -> pd.DataFrame:
    """Totals of the three methods of :func:`allocate_budget` side by side, one row per method.

    Columns: ``budget_spent``, ``reached``, ``extra_revenue`` and ``revenue_per_cny``
    (extra revenue per CNY spent); with ``margin_rate`` (gross margin / revenue) also
    ``extra_margin`` and ``margin_per_cny``; a campaign pays for itself only if
    ``margin_per_cny`` >= 1.

    >>> segs = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90],
    ...                      "expected_spend": [500.0, 50.0]})
    >>> compare_allocations(segs, 1000, 0.1, 20)
                budget_spent  reached  extra_revenue  revenue_per_cny
    method
    equal             1000.0     50.0          475.0            0.475
    return            1000.0     50.0          700.0            0.700
    best_first        1000.0     50.0          700.0            0.700
    """
    rows = {}
    for method in ALLOCATION_METHODS:
        plan = allocate_budget(segments, budget, lift, cost_per_customer, method)
        spent = float(plan["budget"].sum())
        extra = float(plan["extra_revenue"].sum())
        rows[method] = {
            "budget_spent": spent,
            "reached": float(plan["reached"].sum()),
            "extra_revenue": extra,
            "revenue_per_cny": extra / spent if spent > 0 else np.nan,
        }
        if margin_rate is not None:
            rate = validate.share(margin_rate, "margin_rate")
            rows[method].update(extra_margin=extra * rate, margin_per_cny=extra * rate / spent if spent > 0 else np.nan)
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("method")


validate.check_public_arguments(globals(), __all__)
