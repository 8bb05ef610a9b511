"""Customer lifetime value: RFM summaries, the BG/NBD and Gamma-Gamma models, discounted CLV.

The usual path through this module is four calls::

    summary = rfm_summary(orders)                       # one row per customer
    purchases = BetaGeo().fit(summary)                  # how often, and for how long
    spend = GammaGamma().fit(summary)                   # how much per purchase
    value = clv(purchases, spend, summary, months=12)   # discounted value per customer

The models are those of Fader, Hardie and Lee: BG/NBD ("Counting your customers the easy
way", Marketing Science 24(2), 2005) and Gamma-Gamma spend ("RFM and CLV: using iso-value
curves for customer base analysis", Journal of Marketing Research 42(4), 2005). The summary
columns follow the conventions of the ``lifetimes`` package, so results can be compared.

Time in a summary is counted in periods of ``freq`` (days or weeks); a fitted model then
works in that same unit, e.g. ``predict_purchases(4, ...)`` means "in the next 4 weeks" for a
weekly summary.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError

__all__ = [
    "rfm_summary",
    "simulate_bgnbd",
    "bgnbd_log_likelihood",
    "BetaGeo",
    "GammaGamma",
    "clv",
]

#: Length in days of one period for each supported ``freq`` of :func:`rfm_summary`.
PERIOD_DAYS = {"D": 1, "W": 7}

# Log-parameters are kept inside this box while fitting; a fit that ends on the edge of the
# box has no finite maximum-likelihood estimate and is reported as an error.
_LOG_BOUND = 20.0


# --------------------------------------------------------------------------------------------
# small shared helpers
# --------------------------------------------------------------------------------------------
def _bad_rows(name: str, column: str, index: pd.Index, mask: np.ndarray, problem: str, fix: str, kind: str = "") -> CRMDataError:
    """The rows of ``index`` where ``mask`` holds, as a CRMDataError (see :func:`crmlib.validate.rows_error`)."""
    noun = f"{kind} value" if kind else "value"
    return validate.rows_error(name, column, index[mask], noun=noun, problem=problem, fix=fix)


def _summary_arrays(summary, name: str, columns: dict[str, str]) -> dict[str, np.ndarray]:
    """Check a customer summary and return its columns as float arrays.

    ``columns`` maps a role (``frequency``, ``recency``, ``T``, ``monetary_value``) to the
    user's column name. Checks: whole non-negative frequencies, finite numbers, recency in
    [0, T], and recency 0 for customers without repeat purchases.
    """
    kinds = {col: ("count" if role == "frequency" else "number") for role, col in columns.items()}
    checked = validate.table(summary, name, kinds)
    out = {role: checked[col].to_numpy(dtype="float64") for role, col in columns.items()}
    index = checked.index
    if "recency" in out:
        rec, rcol = out["recency"], columns["recency"]
        bad = rec < 0
        if bad.any():
            raise _bad_rows(name, rcol, index, bad, "below 0", "recency is the time from the first to the last purchase, so it cannot be negative")
        if "T" in out:
            bad = rec > out["T"]
            if bad.any():
                raise _bad_rows(
                    name, rcol, index, bad, f"larger than column '{columns['T']}'",
                    "recency cannot exceed the customer's age T; check the two columns are in the same time unit, or rebuild the summary with rfm_summary()",
                )
        if "frequency" in out:
            bad = (out["frequency"] == 0) & (rec != 0)
            if bad.any():
                raise _bad_rows(
                    name, rcol, index, bad, f"other than 0 for customers with {columns['frequency']} 0",
                    "a customer without repeat purchases has recency 0; rebuild the summary with rfm_summary()",
                )
    if "frequency" in out:
        bad = out["frequency"] > 1e7
        if bad.any():
            raise _bad_rows(name, columns["frequency"], index, bad, "above 10 million", "frequency counts repeat purchase periods; check the column")
    return out


def _not_fitted(model: str) -> CRMDataError:
    return CRMDataError(f"{model} is not fitted yet. Fix: call .fit(summary) first.")


def _minimize(objective, start: np.ndarray, model: str, names: list[str]) -> np.ndarray:
    """Minimise a smooth objective over log-parameters; return the optimum or raise."""
    from scipy.optimize import minimize

    with np.errstate(all="ignore"):
        f0, g0 = objective(start)
    if not (np.isfinite(f0) and np.all(np.isfinite(g0))):
        raise CRMDataError(
            f"{model}: the likelihood cannot be evaluated on this summary (numbers too large or degenerate). "
            "Fix: check the summary columns are in a sensible time unit (days or weeks) and drop extreme rows."
        )
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * len(start)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # scipy may warn about line-search trouble; the outcome is checked below instead.
        warnings.simplefilter("ignore")
        result = minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds,
                          options={"maxiter": 3000, "ftol": 1e-13, "gtol": 1e-9, "maxcor": 20})
    theta = result.x
    at_edge = np.abs(theta) > _LOG_BOUND - 1e-3
    if at_edge.any() or not np.all(np.isfinite(theta)):
        which = ", ".join(n for n, e in zip(names, at_edge) if e) or ", ".join(names)
        raise CRMDataError(
            f"{model}: the fit did not settle, parameter(s) {which} ran off to 0 or infinity, "
            "so these data hold no finite best estimate. Fix: use more customers or a longer "
            "observation period, or pass a small penalizer, e.g. penalizer=0.01."
        )
    gradient = np.asarray(result.jac, dtype=float)
    if not result.success and not (np.isfinite(result.fun) and np.max(np.abs(gradient)) < 1e-4):
        raise CRMDataError(
            f"{model}: the optimiser did not converge ({result.message}). "
            "Fix: pass a small penalizer, e.g. penalizer=0.01, or check the summary for extreme rows."
        )
    return theta


# --------------------------------------------------------------------------------------------
# RFM summary
# --------------------------------------------------------------------------------------------


def _customer_codes(ids: pd.Series) -> tuple[np.ndarray, pd.Index, bool]:
    """Integer codes 0..k-1 for the customers, their labels, and whether labels are sorted."""
    values = ids.to_numpy()
    if values.dtype.kind in "iu" and values.size:
        low, high = int(values.min()), int(values.max())
        span = high - low + 1
        if span <= max(4 * values.size, 1 << 16):
            # Dense integer ids: a lookup table replaces hashing and leaves labels sorted.
            shifted = (values - values.dtype.type(low)).astype(np.intp)
            present = np.bincount(shifted, minlength=span) > 0
            lookup = np.cumsum(present) - 1
            labels = (np.flatnonzero(present) + low).astype(values.dtype)
            return lookup[shifted], pd.Index(labels), True
    codes, labels = pd.factorize(ids, sort=False)
    return codes.astype(np.intp), pd.Index(labels), False


def rfm_summary(
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "order_date",
    amount: str | None = "amount",
    observation_end=None,
    freq: str = "D",
) -> pd.DataFrame:
    """One row per customer with frequency, recency, age ``T`` and average repeat spend.

    The same summary as ``lifetimes.utils.summary_data_from_transaction_data``: dates are
    floored to periods of ``freq`` ("D" days, "W" weeks starting on Monday), purchases in the
    same period count once (their amounts are added), and the first period is the start.

    Parameters
    ----------
    transactions : DataFrame, one row per purchase.
    customer, date, amount : column names. ``amount=None`` leaves out ``monetary_value``.
    observation_end : last day observed (inclusive); default the last purchase date.
        A purchase after it is an error.
    freq : "D" or "W", the time unit of ``recency`` and ``T``.

    Returns
    -------
    DataFrame indexed by customer: ``frequency`` (number of repeat periods), ``recency``
    (first to last purchase period), ``T`` (first purchase period to ``observation_end``),
    ``monetary_value`` (mean amount of the repeat periods, 0 for one-time buyers).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 1, 2],
    ...                        "order_date": ["2024-01-01", "2024-01-01", "2024-01-11", "2024-01-05"],
    ...                        "amount": [10.0, 5.0, 20.0, 8.0]})
    >>> rfm_summary(orders)
                 frequency  recency     T  monetary_value
    customer_id
    1                    1     10.0  10.0            20.0
    2                    0      0.0   6.0             0.0
    """
    validate.one_of(freq, "freq", list(PERIOD_DAYS))
    kinds = {customer: "key", date: "date"}
    if amount is not None:
        kinds[amount] = "money"
    checked = validate.table(transactions, "transactions", kinds)
    if amount is not None:
        money = checked[amount].to_numpy(dtype="float64")
    days = validate.day_numbers(checked[date])

    if observation_end is None:
        end_day = int(days.max())
    else:
        if isinstance(observation_end, (int, float, np.number)):
            raise CRMDataError(
                f"observation_end must be a date, got the number {observation_end!r}. Fix: pass e.g. observation_end=\"2024-12-31\"."
            )
        try:
            end = pd.Timestamp(observation_end)
        except (TypeError, ValueError) as err:
            raise CRMDataError(
                f"observation_end {observation_end!r} cannot be read as a date ({err}). Fix: pass e.g. observation_end=\"2024-12-31\"."
            ) from None
        if end is pd.NaT:
            raise CRMDataError("observation_end is missing (NaT). Fix: pass a date, or leave it out to use the last purchase date.")
        if end.tzinfo is not None:
            end = end.tz_localize(None)
        end_day = int(np.datetime64(end, "D").astype(np.int64))
        late = days > end_day
        if late.any():
            raise _bad_rows(
                "transactions", date, checked.index, late,
                f"after observation_end {pd.Timestamp(end_day, unit='D').date()}",
                "filter them out or pass a later observation_end",
            )

    if freq == "W":
        # 1970-01-01 was a Thursday: shifting by 3 days makes every week start on a Monday.
        periods = (days + 3) // 7
        end_period = (end_day + 3) // 7
    else:
        periods = days
        end_period = end_day

    codes, labels, is_sorted = _customer_codes(checked[customer])
    n_customers = len(labels)

    # Sort (customer, period) pairs packed into one integer; distinct pairs are then runs.
    first_period = int(periods.min())
    span = int(periods.max()) - first_period + 1
    if n_customers * span < 2**32:
        key = codes.astype(np.uint32) * np.uint32(span) + (periods - first_period).astype(np.uint32)
    else:
        key = codes.astype(np.int64) * span + (periods - first_period)
    key.sort()
    new_pair = np.empty(key.size, dtype=bool)
    new_pair[0] = True
    np.not_equal(key[1:], key[:-1], out=new_pair[1:])
    pairs = key[new_pair]
    del key, new_pair
    pair_customer = (pairs // span).astype(np.intp)
    pair_period = (pairs - pair_customer.astype(pairs.dtype) * pairs.dtype.type(span)).astype(np.int64) + first_period
    n_periods = np.bincount(pair_customer, minlength=n_customers)
    ends = np.cumsum(n_periods)
    start_period = pair_period[ends - n_periods]
    last_period = pair_period[ends - 1]
    del pairs, pair_customer, pair_period

    frequency = n_periods - 1
    columns = {
        "frequency": frequency,
        "recency": (last_period - start_period).astype("float64"),
        "T": (end_period - start_period).astype("float64"),
    }
    if amount is not None:
        repeat_money = np.where(periods != start_period[codes], money, 0.0)
        repeat_total = np.bincount(codes, weights=repeat_money, minlength=n_customers)
        monetary = np.zeros(n_customers)
        np.divide(repeat_total, frequency, out=monetary, where=frequency > 0)
        columns["monetary_value"] = monetary

    labels = labels.rename(customer)
    result = pd.DataFrame(columns, index=labels)
    if not is_sorted:
        try:
            order = np.argsort(labels.to_numpy(), kind="stable")
        except TypeError:  # labels of mixed types cannot be ordered; keep first-seen order
            order = None
        if order is not None:
            result = result.iloc[order]
    return result


# --------------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------------
def simulate_bgnbd(n: int, r: float, alpha: float, a: float, b: float, T=52.0, seed=None) -> pd.DataFrame:
    """Simulate a customer summary from the BG/NBD model with known parameters.

    Each customer buys at a Poisson rate ``lambda ~ Gamma(r, scale=1/alpha)`` from time 0
    (their first purchase) and drops out after each repeat purchase with probability
    ``p ~ Beta(a, b)``. Only the first ``T`` time units are observed. Fully vectorised: the
    number of repeat purchases is the smaller of a geometric "purchases until dropout" and a
    Poisson count, and the last purchase time is an order statistic of uniform times.

    Parameters
    ----------
    n : number of customers.
    r, alpha, a, b : BG/NBD parameters (all > 0).
    T : observation length per customer, a number or an array of ``n`` numbers.
    seed : seed or ``numpy.random.Generator``.

    Returns
    -------
    DataFrame indexed by ``customer_id`` (0..n-1) with ``frequency``, ``recency``, ``T``.

    Examples
    --------
    >>> sim = simulate_bgnbd(1000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39, seed=1)
    >>> list(sim.columns), len(sim), bool((sim["recency"] <= sim["T"]).all())
    (['frequency', 'recency', 'T'], 1000, True)
    """
    n = int(validate.positive_number(n, "n", minimum=1, inclusive=True))
    r, alpha, a, b = (validate.positive_number(v, k) for k, v in zip("r alpha a b".split(), (r, alpha, a, b)))
    for k, v in zip("r alpha a b".split(), (r, alpha, a, b)):
        validate.finite_number(v, k, minimum=0, maximum=1e6)  # larger values overflow the draws
    seed = validate.seed_value(seed)
    try:
        ages = np.broadcast_to(np.asarray(T, dtype="float64"), (n,)).copy()
    except (TypeError, ValueError):
        raise CRMDataError(f"T must be finite numbers >= 0 (one, or one per customer), got {T!r}. Fix: pass e.g. T=52.") from None
    if not np.all(np.isfinite(ages) & (ages >= 0) & (ages <= 36_500)):
        raise CRMDataError("T must be finite numbers from 0 to 36500 (one, or one per customer). Fix: pass e.g. T=52.")
    rng = np.random.default_rng(seed)
    rate = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    arrivals = rng.poisson(rate * ages)
    with np.errstate(divide="ignore"):
        # purchases until dropout, a geometric count on 1, 2, ... drawn by inverting its CDF
        until_dropout = np.ceil(np.log1p(-rng.random(n)) / np.log1p(-p))
    frequency = np.minimum(arrivals, np.maximum(until_dropout, 1.0)).astype(np.int64)
    recency = np.zeros(n)
    buyers = frequency > 0
    k = frequency[buyers]
    recency[buyers] = ages[buyers] * rng.beta(k, arrivals[buyers] - k + 1)
    index = pd.RangeIndex(n, name="customer_id")
    return pd.DataFrame({"frequency": frequency, "recency": recency, "T": ages}, index=index)


def bgnbd_log_likelihood(summary: pd.DataFrame, r: float, alpha: float, a: float, b: float,
                         frequency: str = "frequency", recency: str = "recency", T: str = "T") -> pd.Series:
    """Log-likelihood of each customer's (x, t_x, T) under BG/NBD parameters.

    ``log L = lnG(r+x) - lnG(r) + r ln(alpha) + ln B(a, b+x) - ln B(a, b)
    + ln[(alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x)]``
    (equation 6 of Fader, Hardie and Lee 2005).

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 30.43], "T": [38.86, 38.86]})
    >>> bgnbd_log_likelihood(s, r=0.243, alpha=4.414, a=0.793, b=2.426).round(4).tolist()
    [-0.5547, -9.4586]
    """
    from scipy.special import betaln, gammaln

    cols = _summary_arrays(summary, "summary", {"frequency": frequency, "recency": recency, "T": T})
    r, alpha, a, b = (validate.positive_number(v, k) for k, v in zip("r alpha a b".split(), (r, alpha, a, b)))
    x, tx, age = cols["frequency"], cols["recency"], cols["T"]
    with np.errstate(divide="ignore"):
        alive = -(r + x) * np.log(alpha + age)
        gone = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha)
          + betaln(a, b + x) - betaln(a, b) + np.logaddexp(alive, gone))
    return pd.Series(ll, index=summary.index, name="log_likelihood")


class _BGNBDData:
    """A summary prepared for fast likelihood evaluation.

    Identical (x, t_x, T) rows are merged with weights; terms that depend on x alone are
    evaluated once per distinct x; customers without repeat purchases only need log(alpha+T)
    per distinct T. Times are divided by ``scale`` so that alpha is of order 1 while fitting.
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, age: np.ndarray):
        self.scale = float(age.max())
        self.total = float(x.size)
        self.sum_x = float(x.sum())
        self.xs, x_counts = np.unique(x, return_counts=True)
        self.x_weight = x_counts.astype("float64")
        zero = x == 0
        self.T0, T0_counts = np.unique(age[zero] / self.scale, return_counts=True)
        self.T0_weight = T0_counts.astype("float64")
        rep = ~zero
        frame = pd.DataFrame({"x": x[rep], "tx": tx[rep] / self.scale, "T": age[rep] / self.scale})
        counts = frame.groupby(["x", "tx", "T"], sort=False).size()
        self.x = counts.index.get_level_values(0).to_numpy(dtype="float64")
        self.tx = counts.index.get_level_values(1).to_numpy(dtype="float64")
        self.T = counts.index.get_level_values(2).to_numpy(dtype="float64")
        self.w = counts.to_numpy(dtype="float64")

    def objective(self, theta: np.ndarray, penalizer: float):
        """Mean negative log-likelihood (plus penalty) and its gradient in log-parameters."""
        from scipy.special import expit, gammaln, psi

        r, alpha, a, b = np.exp(theta)
        xs, wx = self.xs, self.x_weight
        # terms that depend on x only (and the parameters)
        ll = (wx @ (gammaln(r + xs) + gammaln(b + xs) - gammaln(a + b + xs))
              + self.total * (r * np.log(alpha) - gammaln(r) + gammaln(a + b) - gammaln(b)))
        g_r = wx @ psi(r + xs) + self.total * (np.log(alpha) - psi(r))
        g_alpha = self.total * r / alpha
        g_a = self.total * psi(a + b) - wx @ psi(a + b + xs)
        g_b = self.total * (psi(a + b) - psi(b)) + wx @ (psi(b + xs) - psi(a + b + xs))
        # customers with no repeat purchase: only the "still alive" term, (alpha+T)^-r
        log_T0 = np.log(alpha + self.T0)
        ll -= r * (self.T0_weight @ log_T0)
        g_r -= self.T0_weight @ log_T0
        g_alpha -= r * (self.T0_weight @ (1.0 / (alpha + self.T0)))
        # repeat buyers: log of the two-term sum, written as first term + softplus(difference)
        x, w = self.x, self.w
        rx = r + x
        alpha_T = alpha + self.T
        alpha_tx = alpha + self.tx
        log_T = np.log(alpha_T)
        gap = log_T - np.log(alpha_tx)
        b_x1 = b + x - 1.0
        d = np.log(a) - np.log(b_x1) + rx * gap
        gone_share = expit(d)  # share of the likelihood from "dropped out after the last purchase"
        ll += w @ (np.logaddexp(0.0, d) - rx * log_T)
        w_gone = w * gone_share
        g_r += w_gone @ gap - w @ log_T
        g_alpha -= (w * rx) @ ((1.0 - gone_share) / alpha_T + gone_share / alpha_tx)
        g_a += w_gone.sum() / a
        g_b -= w_gone @ (1.0 / b_x1)

        params = np.array([r, alpha, a, b])
        grad = -np.array([g_r, g_alpha, g_a, g_b]) * params / self.total
        value = -ll / self.total
        if penalizer:
            natural = params * np.array([1.0, self.scale, 1.0, 1.0])
            value += penalizer * np.sum(natural**2)
            grad += 2.0 * penalizer * natural**2
        return value, grad


class _Model:
    """What the two models share: the penalizer, fitted parameters and their display."""

    _names: list[str] = []
    _label = ""

    def __init__(self, penalizer: float = 0.0):
        self.penalizer = validate.positive_number(penalizer, "penalizer", minimum=0.0, inclusive=True)
        self.params_: pd.Series | None = None
        self.log_likelihood_: float | None = None
        self.n_customers_: int | None = None

    def __repr__(self) -> str:
        pen = f"penalizer={self.penalizer:g}" if self.penalizer else ""
        if self.params_ is None:
            return f"{type(self).__name__}({pen + ', ' if pen else ''}not fitted)"
        shown = ", ".join(f"{k}={v:.3f}" for k, v in self.params_.items())
        return f"{type(self).__name__}({pen + ', ' if pen else ''}{shown})"

    @classmethod
    def _with_params(cls, values) -> "_Model":
        model = cls()
        checked = [validate.positive_number(v, k) for k, v in zip(cls._names, values)]
        model.params_ = pd.Series(checked, index=cls._names, name=cls._label)
        return model

    def _params(self):
        if self.params_ is None:
            raise _not_fitted(type(self).__name__)
        return tuple(float(self.params_[k]) for k in self._names)


class BetaGeo(_Model):
    """The BG/NBD model of repeat purchasing (Fader, Hardie and Lee 2005).

    While alive, a customer buys at a Poisson rate ``lambda ~ Gamma(r, alpha)``; after each
    repeat purchase they drop out for good with probability ``p ~ Beta(a, b)``. ``alpha`` is in
    the time unit of the summary (days or weeks).

    Parameters
    ----------
    penalizer : adds ``penalizer * (r^2 + alpha^2 + a^2 + b^2)`` to the mean negative
        log-likelihood (the ``lifetimes`` convention); 0 gives plain maximum likelihood.

    Attributes
    ----------
    params_ : Series ``r, alpha, a, b`` after :meth:`fit`.
    log_likelihood_ : total log-likelihood at ``params_`` (without the penalty).
    n_customers_ : number of customers fitted.

    Examples
    --------
    >>> BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    """

    _names = ["r", "alpha", "a", "b"]
    _label = "BG/NBD"

    @classmethod
    def from_params(cls, r: float, alpha: float, a: float, b: float) -> "BetaGeo":
        """A model with given parameters, e.g. published ones, ready to predict.

        Examples
        --------
        >>> float(BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426).params_["alpha"])
        4.414
        """
        return cls._with_params((r, alpha, a, b))

    def fit(self, summary: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T") -> "BetaGeo":
        """Estimate ``r, alpha, a, b`` by maximum likelihood from a customer summary.

        Parameters
        ----------
        summary : one row per customer, e.g. from :func:`rfm_summary`.
        frequency, recency, T : column names (repeat purchases, first-to-last purchase time,
            first purchase to end of observation).

        Examples
        --------
        >>> sim = simulate_bgnbd(5000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39, seed=7)
        >>> BetaGeo().fit(sim)
        BetaGeo(r=0.260, alpha=3.971, a=0.774, b=2.259)
        """
        cols = _summary_arrays(summary, "summary", {"frequency": frequency, "recency": recency, "T": T})
        x, tx, age = cols["frequency"], cols["recency"], cols["T"]
        if not np.any(x > 0):
            raise CRMDataError(
                f"summary: column '{frequency}' is 0 for every customer, so nothing shows how often people come back. "
                "Fix: use a longer observation period or more customers."
            )
        if np.max(age) <= 0:
            raise CRMDataError(f"summary: column '{T}' is 0 for every customer. Fix: observe customers for some time after their first purchase.")
        data = _BGNBDData(x, tx, age)
        penalizer = self.penalizer
        start = np.array([0.0, np.log(0.1), 0.0, 0.0])  # r = 1, alpha = a tenth of the longest T, a = b = 1
        theta = _minimize(lambda th: data.objective(th, penalizer), start, "BetaGeo", self._names)
        r, alpha, a, b = np.exp(theta)
        self.params_ = pd.Series([r, alpha * data.scale, a, b], index=self._names, name="BG/NBD")
        with np.errstate(all="ignore"):
            # back to the summary's time unit: each purchase time density picks up 1/scale
            self.log_likelihood_ = float(-data.objective(theta, 0.0)[0] * data.total - data.sum_x * np.log(data.scale))
        self.n_customers_ = int(x.size)
        return self

    def predict_purchases(self, t: float, summary: pd.DataFrame, frequency: str = "frequency",
                          recency: str = "recency", T: str = "T") -> pd.Series:
        """Expected number of purchases in the next ``t`` time units, given each customer's history.

        Equation 10 of Fader, Hardie and Lee (2005):
        ``E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x)
        * 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))``.

        Examples
        --------
        >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> s = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
        >>> bg.predict_purchases(39, s).round(3).tolist()
        [1.226]
        """
        from scipy.special import expit, hyp2f1

        r, alpha, a, b = self._params()
        t = validate.finite_number(validate.positive_number(t, "t", minimum=0.0, inclusive=True), "t", minimum=0.0,
                                   maximum=36_500.0)
        cols = _summary_arrays(summary, "summary", {"frequency": frequency, "recency": recency, "T": T})
        x, tx, age = cols["frequency"], cols["recency"], cols["T"]
        if abs(a - 1.0) < 1e-7:  # a = 1 is a removable singularity of the formula
            a = 1.0 + 1e-7
        with np.errstate(all="ignore"):
            c = a + b + x - 1.0
            z = t / (alpha + age + t)
            log_hyp = np.log(hyp2f1(r + x, b + x, c, z))
            # Euler's transformation gives the same value where the direct series overflows
            log_alt = np.log(hyp2f1(c - r - x, c - b - x, c, z)) + (c - r - x - b - x) * np.log1p(-z)
            log_hyp = np.where(np.isfinite(log_hyp), log_hyp, log_alt)
            unconditional_part = (c / (a - 1.0)) * -np.expm1(log_hyp + (r + x) * (np.log(alpha + age) - np.log(alpha + age + t)))
            d = np.log(a) - np.log(np.maximum(b + x - 1.0, 1e-300)) + (r + x) * (np.log(alpha + age) - np.log(alpha + tx))
            alive = np.where(x > 0, expit(-d), 1.0)
            expected = unconditional_part * alive
        return pd.Series(expected, index=summary.index, name="predicted_purchases")

    def prob_alive(self, summary: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T") -> pd.Series:
        """Probability that each customer is still active at the end of observation.

        ``P(alive) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))``; it is 1 for
        customers without repeat purchases, since in BG/NBD dropout only follows a repeat purchase.

        Examples
        --------
        >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> s = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 30.43], "T": [38.86, 38.86]})
        >>> bg.prob_alive(s).round(3).tolist()
        [1.0, 0.727]
        """
        from scipy.special import expit

        r, alpha, a, b = self._params()
        cols = _summary_arrays(summary, "summary", {"frequency": frequency, "recency": recency, "T": T})
        x, tx, age = cols["frequency"], cols["recency"], cols["T"]
        with np.errstate(all="ignore"):
            d = np.log(a) - np.log(np.maximum(b + x - 1.0, 1e-300)) + (r + x) * (np.log(alpha + age) - np.log(alpha + tx))
            p = np.where(x > 0, expit(-d), 1.0)
        return pd.Series(p, index=summary.index, name="prob_alive")

    def expected_purchases(self, t):
        """Expected repeat purchases of a new customer in their first ``t`` time units.

        ``E[X(t)] = (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]``.
        A number ``t`` gives a float; a list of times gives a Series indexed by ``t``.

        Examples
        --------
        >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> round(bg.expected_purchases(39), 3)
        1.197
        """
        from scipy.special import hyp2f1

        r, alpha, a, b = self._params()
        scalar = np.ndim(t) == 0
        times = np.atleast_1d(np.asarray(t, dtype=object))
        times = np.array([validate.finite_number(validate.positive_number(v, "t", minimum=0.0, inclusive=True), "t",
                                                 minimum=0.0, maximum=36_500.0) for v in times])
        if abs(a - 1.0) < 1e-7:
            a = 1.0 + 1e-7
        with np.errstate(all="ignore"):
            z = times / (alpha + times)
            value = (a + b - 1.0) / (a - 1.0) * -np.expm1(
                r * (np.log(alpha) - np.log(alpha + times)) + np.log(hyp2f1(r, b, a + b - 1.0, z)))
        if scalar:
            return float(value[0])
        return pd.Series(value, index=pd.Index(times, name="t"), name="expected_purchases")


# --------------------------------------------------------------------------------------------
# Gamma-Gamma
# --------------------------------------------------------------------------------------------
def _spend_arrays(summary, frequency: str, monetary_value: str):
    cols = _summary_arrays(summary, "summary", {"frequency": frequency, "monetary_value": monetary_value})
    x, m = cols["frequency"], cols["monetary_value"]
    bad = (x > 0) & (m <= 0)
    if bad.any():
        raise _bad_rows(
            "summary", monetary_value, summary.index, bad,
            f"<= 0 among repeat buyers ({frequency} > 0)",
            "the Gamma-Gamma model needs a positive average spend for every repeat buyer; drop those customers or check their amounts",
        )
    return x, m


class GammaGamma(_Model):
    """The Gamma-Gamma model of average spend per purchase (Fader, Hardie and Lee 2005).

    Each purchase amount of a customer is Gamma(shape p, rate nu), so their mean spend is p/nu;
    nu varies between customers as Gamma(shape q, rate v). Only repeat buyers (frequency > 0) are used, with their average
    repeat spend ``monetary_value``. It assumes spend does not depend on purchase frequency.

    Parameters
    ----------
    penalizer : adds ``penalizer * (p^2 + q^2 + v^2)`` to the mean negative log-likelihood.

    Attributes
    ----------
    params_ : Series ``p, q, v`` after :meth:`fit`.
    n_customers_ : number of repeat buyers fitted.

    Examples
    --------
    >>> GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    GammaGamma(p=6.250, q=3.740, v=15.440)
    """

    _names = ["p", "q", "v"]
    _label = "Gamma-Gamma"

    @classmethod
    def from_params(cls, p: float, q: float, v: float) -> "GammaGamma":
        """A model with given parameters, e.g. published ones.

        Examples
        --------
        >>> float(GammaGamma.from_params(p=6.25, q=3.74, v=15.44).params_["q"])
        3.74
        """
        return cls._with_params((p, q, v))

    def fit(self, summary: pd.DataFrame, frequency: str = "frequency", monetary_value: str = "monetary_value") -> "GammaGamma":
        """Estimate ``p, q, v`` by maximum likelihood from the repeat buyers of a summary.

        Examples
        --------
        >>> rng = np.random.default_rng(3)
        >>> x = rng.integers(1, 10, 3000)
        >>> nu = rng.gamma(4.0, 1 / 20.0, 3000)          # q = 4, v = 20
        >>> zbar = rng.gamma(6.0 * x, 1 / (nu * x))      # p = 6
        >>> GammaGamma().fit(pd.DataFrame({"frequency": x, "monetary_value": zbar}))
        GammaGamma(p=6.476, q=3.948, v=18.480)
        """
        from scipy.special import gammaln, psi

        x, m = _spend_arrays(summary, frequency, monetary_value)
        repeat = x > 0
        if np.count_nonzero(repeat) < 2:
            raise CRMDataError(
                f"summary: column '{frequency}' shows {np.count_nonzero(repeat)} repeat buyer(s); the Gamma-Gamma model needs several. "
                "Fix: use a longer observation period or more customers."
            )
        x, m = x[repeat], m[repeat]
        scale = float(m.mean())
        ms = m / scale
        n = x.size
        log_m = np.log(ms)
        log_x = np.log(x)

        def objective(theta, penalizer):
            p, q, v = np.exp(theta)
            px = p * x
            log_xmv = np.log(x * ms + v)
            dg = psi(px + q)
            ll = (np.sum(gammaln(px + q) - gammaln(px) - (px + q) * log_xmv) - n * gammaln(q) + n * q * np.log(v)
                  + px @ (log_m + log_x) - log_m.sum())
            g_p = x @ (dg - psi(px) + log_m + log_x - log_xmv)
            g_q = np.sum(dg - log_xmv) + n * (np.log(v) - psi(q))
            g_v = n * q / v - np.sum((px + q) / (x * ms + v))
            params = np.array([p, q, v])
            value = -ll / n
            grad = -np.array([g_p, g_q, g_v]) * params / n
            if penalizer:
                natural = params * np.array([1.0, 1.0, scale])
                value += penalizer * np.sum(natural**2)
                grad += 2.0 * penalizer * natural**2
            return value, grad

        penalizer = self.penalizer
        theta = _minimize(lambda th: objective(th, penalizer), np.zeros(3), "GammaGamma", self._names)
        p, q, v = np.exp(theta)
        self.params_ = pd.Series([p, q, v * scale], index=self._names, name="Gamma-Gamma")
        with np.errstate(all="ignore"):
            # undo the scaling of the amounts: each density of zbar picks up a factor 1/scale
            self.log_likelihood_ = float(-objective(theta, 0.0)[0] * n - n * np.log(scale))
        self.n_customers_ = int(n)
        return self

    def expected_spend(self, summary: pd.DataFrame, frequency: str = "frequency", monetary_value: str = "monetary_value") -> pd.Series:
        """Expected average spend per purchase for each customer, given their history.

        ``E[Z | x, zbar] = p (v + x zbar) / (p x + q - 1)``, a weighted mean of the population
        mean ``p v / (q - 1)`` and the customer's own average; customers without repeat
        purchases get the population mean.

        Examples
        --------
        >>> gg = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
        >>> s = pd.DataFrame({"frequency": [0, 2], "monetary_value": [0.0, 22.35]})
        >>> gg.expected_spend(s).round(2).tolist()
        [35.22, 24.7]
        """
        p, q, v = self._params()
        x, m = _spend_arrays(summary, frequency, monetary_value)
        if q <= 1 and np.any(x == 0):
            raise CRMDataError(
                f"GammaGamma: with q={q:.3f} <= 1 the population mean spend is infinite, so customers with {frequency} 0 "
                "have no expected spend. Fix: refit with a penalizer, e.g. GammaGamma(penalizer=0.01), or predict repeat buyers only."
            )
        m = np.where(x > 0, m, 0.0)
        value = p * (v + x * m) / (p * x + q - 1.0)
        return pd.Series(value, index=summary.index, name="expected_spend")


# --------------------------------------------------------------------------------------------
# discounted customer lifetime value
# --------------------------------------------------------------------------------------------
def clv(
    transaction_model: BetaGeo,
    spend_model: GammaGamma,
    summary: pd.DataFrame,
    months: int = 12,
    discount_rate: float = 0.01,
    time_unit_days: float = 7,
    margin: float = 1.0,
    days_per_month: float = 365.25 / 12,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    monetary_value: str = "monetary_value",
) -> pd.DataFrame:
    """Discounted customer lifetime value over the next ``months`` months.

    ``clv = margin * E[spend] * sum_{i=1..months} (E[Y(i m)] - E[Y((i-1) m)]) / (1 + d)^i``
    where ``E[Y(t)]`` is the transaction model's expected purchases in the next ``t`` time
    units, ``m = days_per_month / time_unit_days`` is one month in those units and ``d`` the
    monthly discount rate. This is the ``lifetimes`` ``customer_lifetime_value`` calculation
    (which takes a month as 4.345 weeks or 30 days; pass ``days_per_month`` to match).

    Parameters
    ----------
    transaction_model : fitted :class:`BetaGeo`.
    spend_model : fitted :class:`GammaGamma`.
    summary : one row per customer with frequency, recency, T and monetary_value.
    months : horizon in months.
    discount_rate : per month, e.g. 0.01.
    time_unit_days : length in days of the models' time unit: 7 for a weekly summary, 1 daily.
    margin : share of spend that is profit (1 keeps revenue).

    Returns
    -------
    DataFrame indexed like ``summary``: ``expected_purchases`` (undiscounted, over the
    horizon), ``expected_spend`` (per purchase) and ``clv``.

    Examples
    --------
    >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    >>> s = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 30.43], "T": [38.86, 38.86],
    ...                   "monetary_value": [0.0, 22.35]})
    >>> clv(bg, gg, s, months=12).round(2)
       expected_purchases  expected_spend    clv
    0                0.25           35.22   8.37
    1                1.56           24.66  36.31
    """
    if not isinstance(transaction_model, BetaGeo):
        raise CRMDataError(f"transaction_model must be a fitted BetaGeo, got {type(transaction_model).__name__}. Fix: pass BetaGeo().fit(summary).")
    if not isinstance(spend_model, GammaGamma):
        raise CRMDataError(f"spend_model must be a fitted GammaGamma, got {type(spend_model).__name__}. Fix: pass GammaGamma().fit(summary).")
    months_value = validate.positive_number(months, "months", minimum=1, inclusive=True)
    if months_value != int(months_value):
        raise CRMDataError(f"months must be a whole number, got {months!r}. Fix: pass e.g. months=12.")
    months_value = int(months_value)
    rate = validate.positive_number(discount_rate, "discount_rate", minimum=0.0, inclusive=True)
    unit = validate.positive_number(time_unit_days, "time_unit_days")
    margin = validate.positive_number(margin, "margin")
    month = validate.positive_number(days_per_month, "days_per_month") / unit

    spend = spend_model.expected_spend(summary, frequency=frequency, monetary_value=monetary_value)
    cols = {"frequency": frequency, "recency": recency, "T": T}
    previous = np.zeros(len(summary))
    discounted = np.zeros(len(summary))
    for i in range(1, months_value + 1):  # one prediction per month, vectorised over customers
        cumulative = transaction_model.predict_purchases(i * month, summary, **cols).to_numpy()
        discounted += (cumulative - previous) / (1.0 + rate) ** i
        previous = cumulative
    value = margin * spend.to_numpy() * discounted
    return pd.DataFrame(
        {"expected_purchases": previous, "expected_spend": spend.to_numpy(), "clv": value},
        index=summary.index,
    )


validate.check_public_arguments(globals(), __all__)
