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
weekly summary. The unit travels with the data: the summary records it (``attrs``), a model
fitted on it remembers it, and a summary or ``clv`` call in another unit is refused. Use
:func:`convert_time_unit` to change units.

Penalties do not depend on units: BG/NBD penalizes alpha in units of the longest customer age
(as ``lifetimes`` does), Gamma-Gamma penalizes v in units of the mean spend. A fit whose
parameters run off to infinity or whose likelihood is flat is refused with the reason.
Standard errors come from the Hessian on demand (``standard_errors``,
``confidence_intervals``), and :func:`clv_interval` gives the CLV's.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "calibration_holdout_table",
    "PERIOD_DAYS",
    "TIME_UNIT_ATTR",
    "SUGGESTED_PENALIZER",
    "rfm_summary",
    "summary_time_unit",
    "convert_time_unit",
    "simulate_bgnbd",
    "bgnbd_log_likelihood",
    "BetaGeo",
    "GammaGamma",
    "clv",
    "customer_outlook",
    "alive_curve",
    "clv_interval",
    "calibration_holdout",
    "spend_frequency_check",
]

#: Length in days of one period for each supported ``freq`` of :func:`rfm_summary`.
PERIOD_DAYS = {"D": 1, "W": 7}

# Log-parameters are kept inside this box while fitting; a fit that ends on the edge of the
# box has no finite maximum-likelihood estimate and is reported as an error.
_LOG_BOUND = 20.0

#: Name of the ``DataFrame.attrs`` entry in which a summary records its time unit, as the
#: number of days in one unit (1 for days, 7 for weeks). :func:`rfm_summary` writes it.
TIME_UNIT_ATTR = "time_unit_days"

#: A penalizer to suggest when a fit runs off: it holds the parameters finite, yet moves the
#: published CDNOW estimates of both models by less than 1% (tests/test_clv.py checks both).
SUGGESTED_PENALIZER = 1e-6


# Limits beyond which fitted parameters are refused: the likelihood keeps rising towards
# infinity, so the numbers say nothing about the customers (see _refuse_runaway_bgnbd,
# _refuse_runaway_spend).
_RUNAWAY_AB = 1e4  # a and b both beyond this: the same dropout chance for everyone
_RUNAWAY = 1e6  # r, alpha (BG/NBD) or p, q (Gamma-Gamma) beyond this

# Flat likelihood: moving the log-parameters by log(1000) along the least informed direction
# changes the total log-likelihood by less than 1, i.e. the data cannot tell a parameter
# within a factor of 1000 (information below 2 / log(1000)^2).
_FLAT_INFORMATION = 2.0 / np.log(1000.0) ** 2
# Up to this many distinct customer rows the flatness check always uses the exact Hessian.
_EXACT_CHECK_ROWS = 50_000


# --------------------------------------------------------------------------------------------
# small shared helpers
# --------------------------------------------------------------------------------------------
def _bad_rows(
    name: str, column: str, index: pd.Index, mask: np.ndarray, problem: str, fix: str, kind: str = ""
) -> CRMDataError:
    """The rows of ``index`` where ``mask`` holds, as a CRMDataError (see :func:`crmlib.validate.rows_error`)."""
    noun = _("{kind} value").format(kind=kind) if kind else _("value")
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
            raise _bad_rows(
                name,
                rcol,
                index,
                bad,
                _("below 0"),
                _("recency is the time from the first to the last purchase, so it cannot be negative"),
            )
        if "T" in out:
            bad = rec > out["T"]
            if bad.any():
                raise _bad_rows(
                    name,
                    rcol,
                    index,
                    bad,
                    _("larger than column '{columns}'").format(columns=columns["T"]),
                    _(
                        "recency cannot exceed the customer's age T; check the two columns are in the "
                        "same time unit, or rebuild the summary with rfm_summary()"
                    ),
                )
        if "frequency" in out:
            bad = (out["frequency"] == 0) & (rec != 0)
            if bad.any():
                raise _bad_rows(
                    name,
                    rcol,
                    index,
                    bad,
                    _("other than 0 for customers with {columns} 0").format(columns=columns["frequency"]),
                    _("a customer without repeat purchases has recency 0; rebuild the summary with rfm_summary()"),
                )
    if "frequency" in out:
        bad = out["frequency"] > 1e7
        if bad.any():
            raise _bad_rows(
                name,
                columns["frequency"],
                index,
                bad,
                _("above 10 million"),
                _("frequency counts repeat purchase periods; check the column"),
            )
    return out


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of a * b, without BLAS: a threaded BLAS dot spins its threads on a busy machine and
    made a 20,000-customer fit 30 times slower under load, for no gain on a quiet one."""
    return float(np.einsum("i,i->", a, b))


def _z_value(level: float) -> float:
    """The two-sided normal quantile of a confidence ``level`` between 0 and 1 (0.95 gives 1.96)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf((1 + validate.share(level, "level")) / 2)


def _refuse_late(days: np.ndarray, end_day: int, index: pd.Index, date: str) -> None:
    """Raise if a transaction falls after ``observation_end`` (given as whole days ``end_day``)."""
    late = days > end_day
    if late.any():
        raise _bad_rows(
            "transactions",
            date,
            index,
            late,
            _("after observation_end {date}").format(date=pd.Timestamp(end_day, unit="D").date()),
            _("filter them out or pass a later observation_end"),
        )


def _not_fitted(model: str) -> CRMDataError:
    return CRMDataError(_("{model} is not fitted yet. Fix: call .fit(summary) first.").format(model=model))


def _minimize(objective, start: np.ndarray, model: str, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Minimise a smooth objective over log-parameters; return the optimum and the optimiser's
    estimate of the inverse Hessian there, or raise."""
    from scipy.optimize import minimize

    with np.errstate(all="ignore"):
        f0, g0 = objective(start)
    if not (np.isfinite(f0) and np.all(np.isfinite(g0))):
        raise CRMDataError(
            _(
                "{model}: the likelihood cannot be evaluated on this summary (numbers too large "
                "or degenerate). Fix: check the summary columns are in a sensible time unit (days "
                "or weeks) and drop extreme rows."
            ).format(model=model)
        )
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * len(start)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # scipy may warn about line-search trouble; the outcome is checked below instead.
        warnings.simplefilter("ignore")
        result = minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 3000, "ftol": 1e-13, "gtol": 1e-9, "maxcor": 20},
        )
    theta = result.x
    at_edge = np.abs(theta) > _LOG_BOUND - 1e-3
    if at_edge.any() or not np.all(np.isfinite(theta)):
        which = ", ".join(n for n, e in zip(names, at_edge, strict=True) if e) or ", ".join(names)
        raise _NoEstimate(
            _(
                "the fit did not settle: {which} ran off to 0 or infinity, so these data hold no finite best estimate"
            ).format(which=which)
        )
    gradient = np.asarray(result.jac, dtype=float)
    if not result.success and not (np.isfinite(result.fun) and np.max(np.abs(gradient)) < 1e-4):
        raise _NoEstimate(
            _(
                "the optimiser did not converge ({value}), which happens when the likelihood has "
                "no finite best point, or when a few extreme rows dominate (check for customers "
                "with thousands of purchases)"
            ).format(value=result.message or "no reason given")
        )
    return theta, np.asarray(result.hess_inv.todense(), dtype=float)


class _NoEstimate(CRMDataError):
    """A fit without a finite, well-determined optimum; the model's fit() turns it into advice."""


def _log_hessian(objective, theta: np.ndarray, total: float) -> np.ndarray:
    """Hessian of ``total * objective`` in log-parameters, by central differences of its gradient."""
    step = 1e-4
    k = theta.size
    hessian = np.empty((k, k))
    with np.errstate(all="ignore"):
        for j in range(k):
            shift = np.zeros(k)
            shift[j] = step
            hessian[:, j] = (objective(theta + shift)[1] - objective(theta - shift)[1]) / (2 * step)
    return (hessian + hessian.T) / 2 * total


def _check_flat(objective, theta: np.ndarray, total: float, rows: int, inverse_hessian: np.ndarray, names: list[str]):
    """Refuse a flat likelihood; return the exact information matrix if it was computed, else None.

    The exact Hessian costs 2 evaluations per parameter. On large data, where that would slow
    the fit noticeably, it is computed only if the optimiser's own curvature estimate comes
    within a factor 100 of flat; otherwise it is left for :meth:`_Model.standard_errors`.
    """
    if rows > _EXACT_CHECK_ROWS:
        with np.errstate(all="ignore"):
            largest = np.max(np.linalg.eigvalsh((inverse_hessian + inverse_hessian.T) / 2))
        if np.isfinite(largest) and largest > 0 and total / largest > 100 * _FLAT_INFORMATION:
            return None
    information = _log_hessian(objective, theta, total)
    _refuse_flat(information, names)
    return information


def _refuse_flat(hessian: np.ndarray, names: list[str]) -> None:
    """Raise _NoEstimate when the likelihood is (nearly) flat along some direction of the log-parameters."""
    if np.all(np.isfinite(hessian)):
        values, vectors = np.linalg.eigh(hessian)
        if values[0] >= _FLAT_INFORMATION:
            return
        weakest = np.abs(vectors[:, 0])
        which = ", ".join(n for n, w in zip(names, weakest, strict=True) if w > 0.3)
    else:
        which = ", ".join(names)
    raise _NoEstimate(
        _(
            "the likelihood is flat, so the data cannot pin down {which}: changing them "
            "1,000-fold hardly changes how well the model fits"
        ).format(which=which)
    )


def _refuse_runaway_bgnbd(params: pd.Series) -> None:
    """Raise _NoEstimate when BG/NBD parameters ran off towards infinity."""
    r, alpha, a, b = (float(params[k]) for k in ("r", "alpha", "a", "b"))
    if r > _RUNAWAY or alpha > _RUNAWAY:
        raise _NoEstimate(
            _(
                "the fit ran off (r = {r:.3g}, alpha = {alpha:.3g}; both should be modest "
                "numbers): the likelihood keeps improving as they grow, which happens when the "
                "data show too little repeat buying to tell how buying rates differ between "
                "customers (for example when most customers have T = 0, having bought on the last "
                "day observed)"
            ).format(r=r, alpha=alpha)
        )
    if a > _RUNAWAY_AB and b > _RUNAWAY_AB:
        raise _NoEstimate(
            _(
                "the fit ran off (a = {a:.3g}, b = {b:.3g}): both drop-out parameters grow "
                "without end, so the data cannot tell how the chance of leaving differs between "
                "customers (too few customers who bought several times, or too short a period)"
            ).format(a=a, b=b)
        )


def _refuse_runaway_spend(params: pd.Series, scale: float) -> None:
    """Raise _NoEstimate when Gamma-Gamma parameters ran off towards infinity."""
    p, q, v = (float(params[k]) for k in ("p", "q", "v"))
    if p > _RUNAWAY or q > _RUNAWAY or v / scale > _RUNAWAY:
        raise _NoEstimate(
            _(
                "the fit ran off (p = {p:.3g}, q = {q:.3g}, v = {v:.3g}): the likelihood keeps "
                "improving as they grow, which happens when repeat buyers' average spends hardly "
                "vary"
            ).format(p=p, q=q, v=v)
        )


def _estimate_or_advise(estimate, model: str, penalizer: float):
    """Run ``estimate(penalizer)``; if it finds no finite estimate, raise a CRMDataError with advice.

    A penalizer is suggested only when it helps: the fit is retried with
    :data:`SUGGESTED_PENALIZER`, and the suggestion (with the parameters it gives) is made only
    if that retry succeeds.
    """
    try:
        return estimate(penalizer)
    except _NoEstimate as failure:
        reason = str(failure)
    more = _("fit on more customers or a longer observation period")
    fix = more
    if not penalizer:
        try:
            params = estimate(SUGGESTED_PENALIZER)[0]
        except CRMDataError:
            fix = _("{more}; these data are too thin even for a penalized fit").format(more=more)
        else:
            shown = ", ".join(f"{k} = {v:.3g}" for k, v in params.items())
            fix = _(
                "{more}, or pass {model}(penalizer={penalizer}), a penalty small enough to leave "
                "well-determined fits unchanged, which gives {shown} here"
            ).format(more=more, model=model, penalizer=f"{SUGGESTED_PENALIZER:g}", shown=shown)
    raise CRMDataError(
        _("{model}: {reason}. The numbers would be meaningless. Fix: {fix}.").format(
            model=model, reason=reason, fix=fix
        )
    ) from None


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
    ``monetary_value`` (mean amount of the repeat periods, 0 for one-time buyers). The time
    unit travels with it: ``attrs["time_unit_days"]`` is 1 for days, 7 for weeks, and the
    models and :func:`clv` read it. To change the unit, use :func:`convert_time_unit`, not a
    division by hand.

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
                _(
                    "observation_end must be a date, got the number {observation_end!r}. Fix: pass "
                    'e.g. observation_end="2024-12-31".'
                ).format(observation_end=observation_end)
            )
        try:
            end = pd.Timestamp(observation_end)
        except (TypeError, ValueError) as err:
            raise CRMDataError(
                _(
                    "observation_end {observation_end!r} cannot be read as a date ({err}). Fix: pass "
                    'e.g. observation_end="2024-12-31".'
                ).format(observation_end=observation_end, err=err)
            ) from None
        if end is pd.NaT:
            raise CRMDataError(
                _("observation_end is missing (NaT). Fix: pass a date, or leave it out to use the last purchase date.")
            )
        if end.tzinfo is not None:
            end = end.tz_localize(None)
        end_day = int(np.datetime64(end, "D").astype(np.int64))
        _refuse_late(days, end_day, checked.index, date)

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
    result.attrs[TIME_UNIT_ATTR] = float(PERIOD_DAYS[freq])
    if not is_sorted:
        try:
            order = np.argsort(labels.to_numpy(), kind="stable")
        except TypeError:  # labels of mixed types cannot be ordered; keep first-seen order
            order = None
        if order is not None:
            result = result.iloc[order]
    return result


def _unit_name(days: float) -> str:
    return {1.0: "days", 7.0: "weeks"}.get(float(days), f"units of {days:g} days")


def summary_time_unit(summary: pd.DataFrame, recency: str = "recency", T: str = "T") -> float | None:
    """The time unit a customer summary records, in days per unit (1 days, 7 weeks), or None.

    :func:`rfm_summary` and :func:`convert_time_unit` record it in ``attrs["time_unit_days"]``.
    Every such summary counts whole days, so ``recency`` and ``T`` times the unit are whole
    numbers; if they are not, the columns were rescaled by hand after the unit was recorded,
    and the recorded unit would be wrong: that is refused.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, 8.0],
    ...                        "order_date": ["2024-01-01", "2024-01-15", "2024-01-08"]})
    >>> days = rfm_summary(orders)
    >>> summary_time_unit(days), summary_time_unit(convert_time_unit(days, "W"))
    (1.0, 7.0)
    """
    if not isinstance(summary, pd.DataFrame):
        raise CRMDataError(
            _("summary: expected a pandas DataFrame, got {type}. Fix: pass the table from rfm_summary().").format(
                type=type(summary).__name__
            )
        )
    validate.unique_columns(summary, "summary")
    unit = summary.attrs.get(TIME_UNIT_ATTR)
    if unit is None:
        return None
    try:
        unit = float(unit)
    except (TypeError, ValueError):
        unit = float("nan")
    if not (np.isfinite(unit) and unit > 0):
        raise CRMDataError(
            _(
                "summary: attrs['{unit_attr}'] is {get!r}, not a number of days. Fix: "
                "rebuild the summary with rfm_summary(), or set it to 1 (days) or 7 (weeks)."
            ).format(unit_attr=TIME_UNIT_ATTR, get=summary.attrs.get(TIME_UNIT_ATTR))
        )
    for column in (recency, T):
        if column in summary.columns:
            with np.errstate(over="ignore", invalid="ignore"):  # an absurd value is refused by the caller
                values = pd.to_numeric(summary[column], errors="coerce").to_numpy(dtype="float64") * unit
                off = np.abs(values - np.round(values)) > 1e-6 * np.maximum(1.0, np.abs(values))
            if off.any():
                raise _bad_rows(
                    "summary",
                    column,
                    summary.index,
                    off,
                    _(
                        "not matching whole days, although the summary records its unit as {unit_name} "
                        "(attrs['{unit_attr}'] = {unit:g}); the column was rescaled by hand after "
                        "rfm_summary() made it, so the recorded unit is no longer true"
                    ).format(unit_name=_unit_name(unit), unit_attr=TIME_UNIT_ATTR, unit=unit),
                    _(
                        'rescale with clv.convert_time_unit(summary, "W") (or "D"), which rescales '
                        "recency and T and records the new unit"
                    ),
                )
    return unit


def convert_time_unit(summary: pd.DataFrame, freq: str, recency: str = "recency", T: str = "T") -> pd.DataFrame:
    """The same summary with ``recency`` and ``T`` counted in another time unit.

    Divides the two time columns by the ratio of the units and records the new unit, so
    models fitted on the result, and :func:`clv`, know it. Unlike ``rfm_summary(freq="W")``,
    which counts calendar weeks, this keeps each day: 10 days become 1.43 weeks.

    Parameters
    ----------
    summary : a summary that records its unit, e.g. from :func:`rfm_summary`.
    freq : "D" (days) or "W" (weeks of 7 days).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 5.0, 8.0],
    ...                        "order_date": ["2024-01-01", "2024-01-15", "2024-01-08"]})
    >>> convert_time_unit(rfm_summary(orders), "W")
                 frequency  recency    T  monetary_value
    customer_id
    1                    1      2.0  2.0             5.0
    2                    0      0.0  1.0             0.0
    """
    validate.one_of(freq, "freq", list(PERIOD_DAYS))
    unit = summary_time_unit(summary, recency, T)
    if unit is None:
        raise CRMDataError(
            _(
                "summary does not record its time unit (attrs['{unit_attr}'] is missing), so "
                "it cannot be converted. Fix: build it with rfm_summary(), or set "
                "summary.attrs['{unit_attr}'] = 1 (days) or 7 (weeks) first."
            ).format(unit_attr=TIME_UNIT_ATTR)
        )
    times = _summary_arrays(summary, "summary", {"recency": recency, "T": T})
    target = float(PERIOD_DAYS[freq])
    result = summary.copy()
    for role, column in (("recency", recency), ("T", T)):
        with np.errstate(over="ignore"):
            values = times[role] * (unit / target)
        endless = ~np.isfinite(values)
        if endless.any():
            raise _bad_rows(
                "summary",
                column,
                summary.index,
                endless,
                _("too large to count in {unit_name} (beyond the largest number a float holds)").format(
                    unit_name=_unit_name(target)
                ),
                _(
                    "check the column: '{column}' is a time counted from the customer's first "
                    "purchase, a few thousand days at most; rebuild the summary with rfm_summary()"
                ).format(column=column),
            )
        result[column] = values
    result.attrs[TIME_UNIT_ATTR] = target
    return result


def _unit_mismatch(model: str, model_unit: float, summary_unit: float) -> CRMDataError:
    return CRMDataError(
        _(
            "{model} was fitted on a summary in {unit_name}, but this summary counts time in "
            "{unit_name2}, so every forecast would be off by a factor {value:g}. Fix: convert "
            'the summary with clv.convert_time_unit(summary, "{value2}"), or fit the model on '
            "a summary in the same unit."
        ).format(
            model=model,
            unit_name=_unit_name(model_unit),
            unit_name2=_unit_name(summary_unit),
            value=model_unit / summary_unit,
            value2="W" if model_unit == 7 else "D",
        )
    )


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
    r, alpha, a, b = (
        validate.positive_number(v, k) for k, v in zip("r alpha a b".split(), (r, alpha, a, b), strict=True)
    )
    for k, v in zip("r alpha a b".split(), (r, alpha, a, b), strict=True):
        validate.finite_number(v, k, minimum=0, maximum=1e6)  # larger values overflow the draws
    seed = validate.seed_value(seed)
    try:
        ages = np.broadcast_to(np.asarray(T, dtype="float64"), (n,)).copy()
    except (TypeError, ValueError):
        raise CRMDataError(
            _("T must be finite numbers >= 0 (one, or one per customer), got {T!r}. Fix: pass e.g. T=52.").format(T=T)
        ) from None
    if not np.all(np.isfinite(ages) & (ages >= 0) & (ages <= 36_500)):
        raise CRMDataError(
            _("T must be finite numbers from 0 to 36500 (one, or one per customer). Fix: pass e.g. T=52.")
        )
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


def bgnbd_log_likelihood(
    summary: pd.DataFrame,
    r: float,
    alpha: float,
    a: float,
    b: float,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
) -> pd.Series:
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
    r, alpha, a, b = (
        validate.positive_number(v, k) for k, v in zip("r alpha a b".split(), (r, alpha, a, b), strict=True)
    )
    x, tx, age = cols["frequency"], cols["recency"], cols["T"]
    with np.errstate(divide="ignore"):
        alive = -(r + x) * np.log(alpha + age)
        gone = np.where(
            x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf
        )
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b) + np.logaddexp(alive, gone)
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
        self.rows = int(self.x.size + self.T0.size)

    def objective(self, theta: np.ndarray, penalizer: float):
        """Mean negative log-likelihood (plus penalty) and its gradient in log-parameters."""
        from scipy.special import expit, gammaln, psi

        r, alpha, a, b = np.exp(theta)
        xs, wx = self.xs, self.x_weight
        # terms that depend on x only (and the parameters)
        ll = _dot(wx, gammaln(r + xs) + gammaln(b + xs) - gammaln(a + b + xs)) + self.total * (
            r * np.log(alpha) - gammaln(r) + gammaln(a + b) - gammaln(b)
        )
        g_r = _dot(wx, psi(r + xs)) + self.total * (np.log(alpha) - psi(r))
        g_alpha = self.total * r / alpha
        g_a = self.total * psi(a + b) - _dot(wx, psi(a + b + xs))
        g_b = self.total * (psi(a + b) - psi(b)) + _dot(wx, psi(b + xs) - psi(a + b + xs))
        # customers with no repeat purchase: only the "still alive" term, (alpha+T)^-r
        log_T0 = np.log(alpha + self.T0)
        ll -= r * _dot(self.T0_weight, log_T0)
        g_r -= _dot(self.T0_weight, log_T0)
        g_alpha -= r * _dot(self.T0_weight, 1.0 / (alpha + self.T0))
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
        ll += _dot(w, np.logaddexp(0.0, d) - rx * log_T)
        w_gone = w * gone_share
        g_r += _dot(w_gone, gap) - _dot(w, log_T)
        g_alpha -= _dot(w * rx, (1.0 - gone_share) / alpha_T + gone_share / alpha_tx)
        g_a += w_gone.sum() / a
        g_b -= _dot(w_gone, 1.0 / b_x1)

        params = np.array([r, alpha, a, b])
        grad = -np.array([g_r, g_alpha, g_a, g_b]) * params / self.total
        value = -ll / self.total
        if penalizer:
            # alpha here is in units of the longest T, as lifetimes scales it: the same fit in any time unit
            value += penalizer * np.sum(params**2)
            grad += 2.0 * penalizer * params**2
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
        # observed information (Hessian of the minus log-likelihood, plus penalty) in log-parameters
        self._information: np.ndarray | None = None
        self._curvature = None  # computes _information on demand
        #: days per time unit of the summary the model was fitted on (None: not recorded)
        self.time_unit_days_: float | None = None

    def __repr__(self) -> str:
        pen = f"penalizer={self.penalizer:g}" if self.penalizer else ""
        if self.params_ is None:
            return f"{type(self).__name__}({pen + ', ' if pen else ''}not fitted)"
        shown = ", ".join(f"{k}={v:.3f}" for k, v in self.params_.items())
        return f"{type(self).__name__}({pen + ', ' if pen else ''}{shown})"

    @classmethod
    def _with_params(cls, values) -> _Model:
        model = cls()
        checked = [validate.positive_number(v, k) for k, v in zip(cls._names, values, strict=True)]
        model.params_ = pd.Series(checked, index=cls._names, name=cls._label)
        return model

    def _params(self):
        if self.params_ is None:
            raise _not_fitted(type(self).__name__)
        return tuple(float(self.params_[k]) for k in self._names)

    def _log_covariance(self) -> np.ndarray:
        """Covariance of the log-parameters: the inverse of the observed information."""
        name = type(self).__name__
        self._params()
        if self._information is None:
            if self._curvature is None:
                raise CRMDataError(
                    _(
                        "{name} was made from given parameters (from_params), so it has no standard "
                        "errors. Fix: fit it to a summary with .fit(summary)."
                    ).format(name=name)
                )
            self._information = self._curvature()
        values = np.linalg.eigvalsh(self._information) if np.all(np.isfinite(self._information)) else [np.nan]
        if not values[0] > 0:
            raise CRMDataError(
                _(
                    "{name}: the likelihood has no curvature in some direction, so no standard errors "
                    "exist. Fix: fit on more customers or a longer observation period."
                ).format(name=name)
            )
        return np.linalg.inv(self._information)

    def standard_errors(self) -> pd.Series:
        """Standard errors of ``params_`` from the observed information (the Hessian of the log-likelihood).

        Computed on demand from the curvature of the log-likelihood at the estimate, in
        log-parameters, and carried to the parameters by the delta method
        (``se(theta) = theta * se(log theta)``). With a penalizer, the penalty's curvature is
        included. For large samples; on a few hundred customers treat them as rough.

        Examples
        --------
        >>> sim = simulate_bgnbd(5000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39, seed=7)
        >>> BetaGeo().fit(sim).standard_errors().round(3).tolist()
        [0.008, 0.208, 0.093, 0.354]
        """
        se = self.params_ * np.sqrt(np.diag(self._log_covariance()))
        return se.rename("standard_error")

    def confidence_intervals(self, level: float = 0.95) -> pd.DataFrame:
        """Each parameter with its standard error and a ``level`` confidence interval.

        The interval is symmetric in the log-parameter, ``exp(log theta +- z se(log theta))``,
        so it stays positive, as the parameters must.

        Examples
        --------
        >>> sim = simulate_bgnbd(5000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39, seed=7)
        >>> BetaGeo().fit(sim).confidence_intervals().round(3)
               estimate  standard_error    low   high
        r         0.260           0.008  0.244  0.276
        alpha     3.971           0.208  3.584  4.401
        a         0.774           0.093  0.612  0.981
        b         2.259           0.354  1.661  3.072
        """
        z = _z_value(level)
        log_se = np.sqrt(np.diag(self._log_covariance()))
        est = self.params_
        return pd.DataFrame(
            {
                "estimate": est,
                "standard_error": est * log_se,
                "low": est * np.exp(-z * log_se),
                "high": est * np.exp(z * log_se),
            }
        )


class BetaGeo(_Model):
    """The BG/NBD model of repeat purchasing (Fader, Hardie and Lee 2005).

    While alive, a customer buys at a Poisson rate ``lambda ~ Gamma(r, alpha)``; after each
    repeat purchase they drop out for good with probability ``p ~ Beta(a, b)``. ``alpha`` is in
    the time unit of the summary (days or weeks).

    Parameters
    ----------
    penalizer : adds ``penalizer * (r^2 + alpha'^2 + a^2 + b^2)`` to the mean negative
        log-likelihood, where ``alpha'`` is alpha divided by the longest T (the ``lifetimes``
        convention, so the fit is the same in days or weeks, and equal to lifetimes'); 0 gives
        plain maximum likelihood. :data:`SUGGESTED_PENALIZER` keeps degenerate fits finite while moving
        the published CDNOW estimates by under 1%; 0.01 moves a by 64% and b by 73%.

    Attributes
    ----------
    params_ : Series ``r, alpha, a, b`` after :meth:`fit`.
    log_likelihood_ : total log-likelihood at ``params_`` (without the penalty).
    n_customers_ : number of customers fitted.
    time_unit_days_ : days per time unit of the fitted summary (1 days, 7 weeks), or None
        when the summary did not record it.

    Examples
    --------
    >>> BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
    """

    _names = ["r", "alpha", "a", "b"]
    _label = "BG/NBD"

    @classmethod
    def from_params(cls, r: float, alpha: float, a: float, b: float, time_unit_days: float | None = None) -> BetaGeo:
        """A model with given parameters, e.g. published ones, ready to predict.

        ``time_unit_days`` states the unit ``alpha`` is in (1 days, 7 weeks), if known.

        Examples
        --------
        >>> float(BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426).params_["alpha"])
        4.414
        """
        model = cls._with_params((r, alpha, a, b))
        if time_unit_days is not None:
            model.time_unit_days_ = validate.positive_number(time_unit_days, "time_unit_days")
        return model

    def _check_unit(self, summary: pd.DataFrame, recency: str, T: str) -> None:
        """Refuse a summary whose recorded time unit differs from the model's."""
        unit = summary_time_unit(summary, recency, T)
        if unit is not None and self.time_unit_days_ is not None and unit != self.time_unit_days_:
            raise _unit_mismatch("BetaGeo", self.time_unit_days_, unit)

    def fit(
        self, summary: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T"
    ) -> BetaGeo:
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
        unit = summary_time_unit(summary, recency, T)
        x, tx, age = cols["frequency"], cols["recency"], cols["T"]
        if not np.any(x > 0):
            raise CRMDataError(
                _(
                    "summary: column '{frequency}' is 0 for every customer, so nothing shows how "
                    "often people come back. Fix: use a longer observation period or more customers."
                ).format(frequency=frequency)
            )
        if np.max(age) <= 0:
            raise CRMDataError(
                _(
                    "summary: column '{T}' is 0 for every customer. Fix: observe customers for some "
                    "time after their first purchase."
                ).format(T=T)
            )
        data = _BGNBDData(x, tx, age)

        def estimate(penalizer):
            objective = lambda th: data.objective(th, penalizer)  # noqa: E731
            start = np.array([0.0, np.log(0.1), 0.0, 0.0])  # r = 1, alpha = a tenth of the longest T, a = b = 1
            theta, inverse_hessian = _minimize(objective, start, "BetaGeo", self._names)
            r, alpha, a, b = np.exp(theta)
            params = pd.Series([r, alpha * data.scale, a, b], index=self._names, name="BG/NBD")
            _refuse_runaway_bgnbd(params)
            information = _check_flat(objective, theta, data.total, data.rows, inverse_hessian, self._names)
            return params, information, theta

        self.params_, self._information, theta = _estimate_or_advise(estimate, "BetaGeo", self.penalizer)
        penalizer = self.penalizer
        self._curvature = lambda: _log_hessian(lambda th: data.objective(th, penalizer), theta, data.total)
        with np.errstate(all="ignore"):
            # back to the summary's time unit: each purchase time density picks up 1/scale
            self.log_likelihood_ = float(-data.objective(theta, 0.0)[0] * data.total - data.sum_x * np.log(data.scale))
        self.n_customers_ = int(x.size)
        self.time_unit_days_ = unit
        return self

    def predict_purchases(
        self, t: float, summary: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T"
    ) -> pd.Series:
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
        t = validate.finite_number(
            validate.positive_number(t, "t", minimum=0.0, inclusive=True), "t", minimum=0.0, maximum=36_500.0
        )
        cols = _summary_arrays(summary, "summary", {"frequency": frequency, "recency": recency, "T": T})
        self._check_unit(summary, recency, T)
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
            unconditional_part = (c / (a - 1.0)) * -np.expm1(
                log_hyp + (r + x) * (np.log(alpha + age) - np.log(alpha + age + t))
            )
            d = (
                np.log(a)
                - np.log(np.maximum(b + x - 1.0, 1e-300))
                + (r + x) * (np.log(alpha + age) - np.log(alpha + tx))
            )
            alive = np.where(x > 0, expit(-d), 1.0)
            expected = unconditional_part * alive
        return pd.Series(expected, index=summary.index, name="predicted_purchases")

    def prob_alive(
        self, summary: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T"
    ) -> pd.Series:
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
        self._check_unit(summary, recency, T)
        x, tx, age = cols["frequency"], cols["recency"], cols["T"]
        with np.errstate(all="ignore"):
            d = (
                np.log(a)
                - np.log(np.maximum(b + x - 1.0, 1e-300))
                + (r + x) * (np.log(alpha + age) - np.log(alpha + tx))
            )
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
        times = np.array(
            [
                validate.finite_number(
                    validate.positive_number(v, "t", minimum=0.0, inclusive=True), "t", minimum=0.0, maximum=36_500.0
                )
                for v in times
            ]
        )
        if abs(a - 1.0) < 1e-7:
            a = 1.0 + 1e-7
        with np.errstate(all="ignore"):
            z = times / (alpha + times)
            value = (
                (a + b - 1.0)
                / (a - 1.0)
                * -np.expm1(r * (np.log(alpha) - np.log(alpha + times)) + np.log(hyp2f1(r, b, a + b - 1.0, z)))
            )
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
            "summary",
            monetary_value,
            summary.index,
            bad,
            _("<= 0 among repeat buyers ({frequency} > 0)").format(frequency=frequency),
            _(
                "the Gamma-Gamma model needs a positive average spend for every repeat buyer; "
                "drop those customers or check their amounts"
            ),
        )
    return x, m


class GammaGamma(_Model):
    """The Gamma-Gamma model of average spend per purchase (Fader, Hardie and Lee 2005).

    Each purchase amount of a customer is Gamma(shape p, rate nu), so their mean spend is p/nu;
    nu varies between customers as Gamma(shape q, rate v). Only repeat buyers (frequency > 0) are used, with their
    average repeat spend ``monetary_value``. It assumes spend does not depend on purchase frequency.

    Parameters
    ----------
    penalizer : adds ``penalizer * (p^2 + q^2 + v'^2)`` to the mean negative log-likelihood,
        where ``v'`` is v divided by the mean spend, so the fit is the same in yuan or cents.

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
    def from_params(cls, p: float, q: float, v: float) -> GammaGamma:
        """A model with given parameters, e.g. published ones.

        Examples
        --------
        >>> float(GammaGamma.from_params(p=6.25, q=3.74, v=15.44).params_["q"])
        3.74
        """
        return cls._with_params((p, q, v))

    def fit(
        self, summary: pd.DataFrame, frequency: str = "frequency", monetary_value: str = "monetary_value"
    ) -> GammaGamma:
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
                _(
                    "summary: column '{frequency}' shows {count_nonzero} repeat buyer(s); the "
                    "Gamma-Gamma model needs several. Fix: use a longer observation period or more "
                    "customers."
                ).format(frequency=frequency, count_nonzero=np.count_nonzero(repeat))
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
            ll = (
                np.sum(gammaln(px + q) - gammaln(px) - (px + q) * log_xmv)
                - n * gammaln(q)
                + n * q * np.log(v)
                + _dot(px, log_m + log_x)
                - log_m.sum()
            )
            g_p = _dot(x, dg - psi(px) + log_m + log_x - log_xmv)
            g_q = np.sum(dg - log_xmv) + n * (np.log(v) - psi(q))
            g_v = n * q / v - np.sum((px + q) / (x * ms + v))
            params = np.array([p, q, v])
            value = -ll / n
            grad = -np.array([g_p, g_q, g_v]) * params / n
            if penalizer:
                # v in units of the mean spend, so the penalty is the same in yuan, cents or dollars
                value += penalizer * np.sum(params**2)
                grad += 2.0 * penalizer * params**2
            return value, grad

        def estimate(penalizer):
            penalized = lambda th: objective(th, penalizer)  # noqa: E731
            theta, inverse_hessian = _minimize(penalized, np.zeros(3), "GammaGamma", self._names)
            p, q, v = np.exp(theta)
            params = pd.Series([p, q, v * scale], index=self._names, name="Gamma-Gamma")
            _refuse_runaway_spend(params, scale)
            information = _check_flat(penalized, theta, n, n, inverse_hessian, self._names)
            return params, information, theta

        self.params_, self._information, theta = _estimate_or_advise(estimate, "GammaGamma", self.penalizer)
        penalizer = self.penalizer
        self._curvature = lambda: _log_hessian(lambda th: objective(th, penalizer), theta, n)
        with np.errstate(all="ignore"):
            # undo the scaling of the amounts: each density of zbar picks up a factor 1/scale
            self.log_likelihood_ = float(-objective(theta, 0.0)[0] * n - n * np.log(scale))
        self.n_customers_ = int(n)
        return self

    def expected_spend(
        self, summary: pd.DataFrame, frequency: str = "frequency", monetary_value: str = "monetary_value"
    ) -> pd.Series:
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
                _(
                    "GammaGamma: with q={q:.3f} <= 1 the population mean spend is infinite, so "
                    "customers with {frequency} 0 have no expected spend (a penalizer would not help: "
                    "it pulls q down further). Fix: predict repeat buyers only, or look for a few "
                    "very large spends that make the spend distribution heavy-tailed."
                ).format(q=q, frequency=frequency)
            )
        m = np.where(x > 0, m, 0.0)
        value = p * (v + x * m) / (p * x + q - 1.0)
        return pd.Series(value, index=summary.index, name="expected_spend")


# --------------------------------------------------------------------------------------------
# discounted customer lifetime value
# --------------------------------------------------------------------------------------------
def _clv_unit(transaction_model: BetaGeo, summary: pd.DataFrame, time_unit_days, recency: str, T: str) -> float:
    """Days per time unit for :func:`clv`: the one recorded by the model and the summary, or given."""
    model_unit = transaction_model.time_unit_days_
    summary_unit = summary_time_unit(summary, recency, T)
    if model_unit is not None and summary_unit is not None and model_unit != summary_unit:
        raise _unit_mismatch("transaction_model (BetaGeo)", model_unit, summary_unit)
    known = model_unit if model_unit is not None else summary_unit
    if time_unit_days is None:
        if known is None:
            raise CRMDataError(
                _(
                    "clv: neither the model nor the summary records its time unit, so a month cannot "
                    "be converted into model time. Fix: build the summary with rfm_summary() (it "
                    "records the unit), or pass time_unit_days=1 for a summary in days, 7 in weeks."
                )
            )
        return known
    unit = validate.positive_number(time_unit_days, "time_unit_days")
    if known is not None and unit != known:
        raise CRMDataError(
            _(
                "clv: time_unit_days={unit:g} but the {value} counts time in {unit_name}, so "
                "every month would be off by a factor {value2:g}. Fix: leave time_unit_days out; "
                "it is read from the model and the summary."
            ).format(
                unit=unit,
                value="model" if model_unit is not None else "summary",
                unit_name=_unit_name(known),
                value2=known / unit,
            )
        )
    return unit


def _discounted_purchases(transaction_model: BetaGeo, summary, months: int, month: float, rate: float, cols: dict):
    """Undiscounted purchases over the horizon and their discounted sum, month by month."""
    previous = np.zeros(len(summary))
    discounted = np.zeros(len(summary))
    for i in range(1, months + 1):  # one prediction per month, vectorised over customers
        cumulative = transaction_model.predict_purchases(i * month, summary, **cols).to_numpy()
        discounted += (cumulative - previous) / (1.0 + rate) ** i
        previous = cumulative
    return previous, discounted


def _clv_arguments(transaction_model, spend_model, months, discount_rate, margin, days_per_month):
    if not isinstance(transaction_model, BetaGeo):
        raise CRMDataError(
            _("transaction_model must be a fitted BetaGeo, got {type}. Fix: pass BetaGeo().fit(summary).").format(
                type=type(transaction_model).__name__
            )
        )
    if not isinstance(spend_model, GammaGamma):
        raise CRMDataError(
            _("spend_model must be a fitted GammaGamma, got {type}. Fix: pass GammaGamma().fit(summary).").format(
                type=type(spend_model).__name__
            )
        )
    months_value = validate.positive_number(months, "months", minimum=1, inclusive=True)
    if months_value != int(months_value):
        raise CRMDataError(
            _("months must be a whole number, got {months!r}. Fix: pass e.g. months=12.").format(months=months)
        )
    rate = validate.positive_number(discount_rate, "discount_rate", minimum=0.0, inclusive=True)
    margin = validate.positive_number(margin, "margin")
    days = validate.positive_number(days_per_month, "days_per_month")
    return int(months_value), rate, margin, days


def clv(
    transaction_model: BetaGeo,
    spend_model: GammaGamma,
    summary: pd.DataFrame,
    months: int = 12,
    discount_rate: float = 0.01,
    time_unit_days: float | None = None,
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
    time_unit_days : length in days of the models' time unit. Leave it out: it is read from
        the model and the summary, which record it when built by :func:`rfm_summary`; a
        value that contradicts them is refused. Needed only when neither records it
        (1 for a summary in days, 7 in weeks).
    margin : share of spend that is profit (1 keeps revenue).

    Returns
    -------
    DataFrame indexed like ``summary``: ``expected_purchases`` (undiscounted, over the
    horizon), ``expected_spend`` (per purchase) and ``clv``.

    Examples
    --------
    >>> bg = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426, time_unit_days=7)
    >>> gg = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    >>> s = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 30.43], "T": [38.86, 38.86],
    ...                   "monetary_value": [0.0, 22.35]})
    >>> clv(bg, gg, s, months=12).round(2)
       expected_purchases  expected_spend    clv
    0                0.25           35.22   8.37
    1                1.56           24.66  36.31
    """
    months_value, rate, margin, days = _clv_arguments(
        transaction_model, spend_model, months, discount_rate, margin, days_per_month
    )
    transaction_model._params()
    unit = _clv_unit(transaction_model, summary, time_unit_days, recency, T)
    spend = spend_model.expected_spend(summary, frequency=frequency, monetary_value=monetary_value)
    cols = {"frequency": frequency, "recency": recency, "T": T}
    purchases, discounted = _discounted_purchases(transaction_model, summary, months_value, days / unit, rate, cols)
    value = margin * spend.to_numpy() * discounted
    return pd.DataFrame(
        {"expected_purchases": purchases, "expected_spend": spend.to_numpy(), "clv": value},
        index=summary.index,
    )


def clv_interval(
    transaction_model: BetaGeo,
    spend_model: GammaGamma,
    summary: pd.DataFrame,
    months: int = 12,
    discount_rate: float = 0.01,
    time_unit_days: float | None = None,
    margin: float = 1.0,
    days_per_month: float = 365.25 / 12,
    level: float = 0.95,
    total: bool = False,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
    monetary_value: str = "monetary_value",
):
    """:func:`clv` with a standard error and a ``level`` confidence interval, by the delta method.

    The uncertainty is that of the fitted parameters (both models' standard errors, from the
    Hessian): how sure we are of each customer's *expected* value. It is not the spread of
    what a single customer will actually spend, which is much wider. The derivatives of the CLV
    by each log-parameter are taken numerically; the two models are independent, so their
    covariances add. The interval is symmetric in log(CLV), so it stays positive.

    Parameters
    ----------
    transaction_model, spend_model : models fitted with ``.fit`` (not ``from_params``: they
        have no standard errors).
    months, discount_rate, time_unit_days, margin, days_per_month : as in :func:`clv`.
    level : confidence level, e.g. 0.95.
    total : False gives one row per customer; True gives the interval of the sum over all
        customers in ``summary`` (one Series), which is what a budget decision needs.

    Returns
    -------
    DataFrame indexed like ``summary`` with ``clv``, ``standard_error``, ``low``, ``high``;
    with ``total=True`` a Series with the same four entries.

    Examples
    --------
    >>> sim = simulate_bgnbd(3000, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39, seed=7)
    >>> rng = np.random.default_rng(3)
    >>> sim["monetary_value"] = np.where(sim["frequency"] > 0, rng.gamma(6.0, 5.0, 3000), 0.0)
    >>> bg, gg = BetaGeo().fit(sim), GammaGamma().fit(sim)
    >>> clv_interval(bg, gg, sim, months=12, time_unit_days=7, total=True).round(0)
    clv               90218.0
    standard_error     2971.0
    low               84579.0
    high              96233.0
    Name: total clv, dtype: float64
    """
    months_value, rate, margin, days = _clv_arguments(
        transaction_model, spend_model, months, discount_rate, margin, days_per_month
    )
    z = _z_value(level)
    unit = _clv_unit(transaction_model, summary, time_unit_days, recency, T)
    cov_bg = transaction_model._log_covariance()
    cov_gg = spend_model._log_covariance()
    cols = {"frequency": frequency, "recency": recency, "T": T}
    month = days / unit

    def purchases_at(log_params):
        model = BetaGeo.from_params(*np.exp(log_params), time_unit_days=transaction_model.time_unit_days_)
        return _discounted_purchases(model, summary, months_value, month, rate, cols)[1]

    def spend_at(log_params):
        model = GammaGamma.from_params(*np.exp(log_params))
        return model.expected_spend(summary, frequency=frequency, monetary_value=monetary_value).to_numpy()

    log_bg = np.log(transaction_model.params_.to_numpy(dtype="float64"))
    log_gg = np.log(spend_model.params_.to_numpy(dtype="float64"))
    purchases, spend = purchases_at(log_bg), spend_at(log_gg)
    step = 1e-4
    eye_bg, eye_gg = np.eye(log_bg.size) * step, np.eye(log_gg.size) * step
    # derivative of each customer's CLV by each log-parameter: customers x parameters
    d_bg = np.column_stack([(purchases_at(log_bg + e) - purchases_at(log_bg - e)) / (2 * step) for e in eye_bg])
    d_gg = np.column_stack([(spend_at(log_gg + e) - spend_at(log_gg - e)) / (2 * step) for e in eye_gg])
    d_bg *= margin * spend[:, None]
    d_gg *= margin * purchases[:, None]
    value = margin * spend * purchases
    if total:
        g_bg, g_gg = d_bg.sum(axis=0), d_gg.sum(axis=0)
        estimate = float(value.sum())
        se = float(np.sqrt(g_bg @ cov_bg @ g_bg + g_gg @ cov_gg @ g_gg))
        spread = np.exp(z * se / estimate) if estimate > 0 else np.nan
        return pd.Series(
            {"clv": estimate, "standard_error": se, "low": estimate / spread, "high": estimate * spread},
            name="total clv",
        )
    variance = np.einsum("ij,jk,ik->i", d_bg, cov_bg, d_bg) + np.einsum("ij,jk,ik->i", d_gg, cov_gg, d_gg)
    se = np.sqrt(np.maximum(variance, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.where(value > 0, np.exp(z * se / value), 1.0)
    return pd.DataFrame(
        {"clv": value, "standard_error": se, "low": value / spread, "high": value * spread}, index=summary.index
    )


# --------------------------------------------------------------------------------------------
# checks before trusting the models: a calibration/holdout split, spend independent of frequency
# --------------------------------------------------------------------------------------------
def calibration_holdout(
    transactions: pd.DataFrame,
    calibration_end,
    observation_end,
    customer: str = "customer_id",
    date: str = "order_date",
    amount: str | None = "amount",
    freq: str = "D",
) -> pd.DataFrame:
    """The summary of a calibration period, with each customer's purchases in the holdout after it.

    The honest test of a model: fit it on the purchases up to ``calibration_end`` and compare
    its forecast with what the same customers did from the next day to ``observation_end``.
    Customers whose first purchase falls in the holdout are left out: the model never saw them.

    Parameters
    ----------
    transactions, customer, date, amount, freq : as in :func:`rfm_summary`.
    calibration_end : last day of the calibration period (inclusive).
    observation_end : last day of the holdout period (inclusive); a purchase after it is an error.

    Returns
    -------
    The :func:`rfm_summary` of the calibration period (its time unit recorded), with
    ``holdout_purchases``, the number of purchase periods of each customer in the holdout
    (counted as the summary counts: one per day, or week), and ``holdout_length``, the length of
    the holdout in the summary's unit. Feed ``holdout_purchases`` and ``holdout_length`` to
    :func:`calibration_holdout_table`.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 1, 1, 2, 3],
    ...                        "order_date": ["2024-01-01", "2024-01-05", "2024-01-12", "2024-01-12",
    ...                                       "2024-01-03", "2024-01-15"]})
    >>> calibration_holdout(orders, "2024-01-10", "2024-01-20", amount=None)
                 frequency  recency    T  holdout_purchases  holdout_length
    customer_id
    1                    1      4.0  9.0                  1            10.0
    2                    0      0.0  7.0                  0            10.0
    """
    validate.one_of(freq, "freq", list(PERIOD_DAYS))
    cal_day = validate.day_number(calibration_end, "calibration_end")
    end_day = validate.day_number(observation_end, "observation_end")
    if end_day <= cal_day:
        raise CRMDataError(
            _(
                "observation_end {observation_end!r} is not after calibration_end "
                "{calibration_end!r}, so there is no holdout period. Fix: pass an observation_end "
                "later than calibration_end."
            ).format(observation_end=observation_end, calibration_end=calibration_end)
        )
    validate.require_columns(transactions, "transactions", [customer, date])
    checked = validate.table(transactions, "transactions", {customer: "key", date: "date"})
    days = validate.day_numbers(checked[date])
    _refuse_late(days, end_day, checked.index, date)
    in_calibration = days <= cal_day
    if not in_calibration.any():
        raise CRMDataError(
            _(
                "transactions: no purchase on or before calibration_end {calibration_end!r}. Fix: "
                "pass a later calibration_end."
            ).format(calibration_end=calibration_end)
        )
    summary = rfm_summary(
        transactions[in_calibration],
        customer=customer,
        date=date,
        amount=amount,
        observation_end=pd.Timestamp(cal_day, unit="D"),
        freq=freq,
    )
    if freq == "W":  # Monday weeks, as rfm_summary counts them
        periods, length = (days + 3) // 7, float((end_day + 3) // 7 - (cal_day + 3) // 7)
    else:
        periods, length = days, float(end_day - cal_day)
    holdout = pd.DataFrame(
        {"customer": checked[customer].to_numpy()[~in_calibration], "period": periods[~in_calibration]}
    )
    counts = holdout.drop_duplicates().groupby("customer").size()
    summary["holdout_purchases"] = counts.reindex(summary.index, fill_value=0).astype("int64").to_numpy()
    summary["holdout_length"] = length
    return summary


def calibration_holdout_table(
    summary: pd.DataFrame,
    holdout_purchases: pd.Series,
    model,
    holdout_length: float,
    max_frequency: int = 6,
    frequency: str = "frequency",
    recency: str = "recency",
    T: str = "T",
) -> pd.DataFrame:
    """Actual against predicted purchases in a holdout period, by repeat purchases in calibration.

    The classic check of a BG/NBD fit: fit the model on a calibration period, then, for the
    customers grouped by their number of repeat purchases in it (0, 1, ..., ``max_frequency``
    and more), compare the mean number of purchases they actually made in the following
    ``holdout_length`` time units with the mean the model predicted for them
    (``model.predict_purchases(holdout_length, summary)``).

    Parameters
    ----------
    summary : the calibration summary, one row per customer indexed by customer id (as
        :func:`crmlib.clv.rfm_summary` returns it), with ``frequency``, ``recency``, ``T``.
    holdout_purchases : number of purchases of each customer in the holdout period, a Series
        indexed by customer id. Count them as the summary does (purchase days, not order
        lines). Customers of the summary missing here made none; customers not in the summary
        (new in the holdout) are left out.
    model : a fitted :class:`crmlib.clv.BetaGeo` (anything with ``predict_purchases``).
    holdout_length : length of the holdout period in the summary's time unit (e.g. 39 weeks).
    max_frequency : the last group pools the customers with this many repeat purchases or more.
    frequency, recency, T : column names of the summary.

    Returns
    -------
    One row per group seen: ``frequency`` (0, 1, ...; the last row stands for this number or
    more), ``customers``, ``actual`` and ``predicted`` (means per customer).

    Examples
    --------
    >>> model = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> summary = pd.DataFrame(
    ...     {"frequency": [0, 0, 2, 5], "recency": [0.0, 0.0, 30.0, 35.0], "T": [38.0, 38.0, 38.0, 38.0]},
    ...     index=pd.Index([1, 2, 3, 4], name="customer_id"),
    ... )
    >>> holdout = pd.Series({1: 1, 3: 2, 4: 4})
    >>> calibration_holdout_table(summary, holdout, model, holdout_length=39, max_frequency=2).round(3)
       frequency  customers  actual  predicted
    0          0          2     0.5      0.199
    1          2          2     3.0      2.265
    """
    if not callable(getattr(model, "predict_purchases", None)):
        raise CRMDataError(
            _("model must be a fitted BetaGeo, got {type}. Fix: pass BetaGeo().fit(summary).").format(
                type=type(model).__name__
            )
        )
    pooled = validate.whole_number(max_frequency, "max_frequency", minimum=1)
    length = validate.positive_number(holdout_length, "holdout_length")
    checked = validate.table(summary, "summary", {frequency: "count"})
    _one_row_per_customer(
        checked.index, "summary", _("index the summary by customer id, one row per customer, as rfm_summary() does")
    )
    predicted = model.predict_purchases(length, summary, frequency=frequency, recency=recency, T=T).to_numpy(
        dtype="float64"
    )
    actual = _holdout_counts(holdout_purchases, checked.index)
    group = np.minimum(pd.to_numeric(checked[frequency].astype(object)).to_numpy(dtype="float64"), pooled).astype(
        np.int64
    )
    table = (
        pd.DataFrame({"frequency": group, "actual": actual, "predicted": predicted})
        .groupby("frequency")
        .agg(customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean"))
    )
    return table.reset_index()


def _one_row_per_customer(ids: pd.Index, name: str, fix: str) -> None:
    """Refuse a table whose index repeats a customer id, naming the rows."""
    if ids.has_duplicates:
        raise validate.rows_error(
            name, "index", np.flatnonzero(ids.duplicated(keep=False)), noun=_("repeated customer id"), fix=fix
        )


def _holdout_counts(holdout_purchases, customers: pd.Index) -> np.ndarray:
    """The holdout purchases of ``customers`` (0 where missing), checked to be counts per unique id."""
    if not isinstance(holdout_purchases, pd.Series):
        raise CRMDataError(
            _(
                "holdout_purchases must be a pandas Series indexed by customer id, got {type}. "
                "Fix: count them e.g. with "
                "holdout.groupby('customer_id')['order_date'].nunique()."
            ).format(type=type(holdout_purchases).__name__)
        )
    counts = validate.table(
        holdout_purchases.rename("holdout_purchases").to_frame(),
        "holdout_purchases",
        {"holdout_purchases": "count"},
        allow_empty=True,
    )["holdout_purchases"]
    _one_row_per_customer(
        counts.index, "holdout_purchases", _("give one count per customer, e.g. with groupby(customer).size()")
    )
    known = counts.index.isin(customers)
    if len(counts) and not known.any():
        raise CRMDataError(
            _(
                "holdout_purchases: none of its customer ids is in the summary's index. Fix: "
                "index both by the same customer ids (check their type, e.g. 7 vs '7')."
            )
        )
    numbers = pd.to_numeric(counts[known].astype(object)).astype("float64")
    return numbers.reindex(customers, fill_value=0.0).to_numpy()


def spend_frequency_check(
    summary: pd.DataFrame, frequency: str = "frequency", monetary_value: str = "monetary_value"
) -> pd.Series:
    """Is average spend independent of purchase frequency? Check it before using :class:`GammaGamma`.

    The Gamma-Gamma model assumes that how much a customer spends per purchase tells nothing
    about how often they buy. This gives the Pearson correlation of ``frequency`` and
    ``monetary_value`` among repeat buyers, with its two-sided p-value. Fader, Hardie and Lee
    (2005) report 0.11 for CDNOW and use the model; a correlation far from 0 (say beyond
    ±0.3) means the CLV, which multiplies the two forecasts, will be biased.

    Returns
    -------
    Series: ``repeat_buyers``, ``correlation``, ``p_value``.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [0, 1, 2, 3, 4], "monetary_value": [0.0, 9.0, 12.0, 10.0, 13.0]})
    >>> spend_frequency_check(s).round(3)   # r = 5 / sqrt(5 x 10)
    repeat_buyers    4.000
    correlation      0.707
    p_value          0.293
    Name: spend_frequency_check, dtype: float64
    """
    from scipy import stats

    x, m = _spend_arrays(summary, frequency, monetary_value)
    repeat = x > 0
    n = int(np.count_nonzero(repeat))
    if n < 3:
        raise CRMDataError(
            _(
                "summary: column '{frequency}' shows {n} repeat buyer(s); a correlation needs at "
                "least 3. Fix: use a longer observation period or more customers."
            ).format(frequency=frequency, n=n)
        )
    if np.ptp(x[repeat]) == 0 or np.ptp(m[repeat]) == 0:
        raise CRMDataError(
            _(
                "summary: every repeat buyer has the same '{frequency}' or the same "
                "'{monetary_value}', so there is no correlation to measure. Fix: use more "
                "customers."
            ).format(frequency=frequency, monetary_value=monetary_value)
        )
    result = stats.pearsonr(x[repeat], m[repeat])
    return pd.Series(
        {"repeat_buyers": float(n), "correlation": float(result[0]), "p_value": float(result[1])},
        name="spend_frequency_check",
    )


# --------------------------------------------------------------------------------------------
# one customer's outlook: P(alive) and expected purchases for a purchase history
# --------------------------------------------------------------------------------------------
def _fitted_bgnbd(model):
    if not callable(getattr(model, "prob_alive", None)) or not callable(getattr(model, "predict_purchases", None)):
        raise CRMDataError(
            _("model must be a fitted BetaGeo, got {type}. Fix: pass clv.BetaGeo().fit(summary).").format(
                type=type(model).__name__
            )
        )
    return model


def _history(frequency, T, quiet) -> tuple[int, float, float]:
    """Check a history given as (repeat purchases, age, time since the last purchase); return (x, recency, T)."""
    x = validate.positive_number(frequency, "frequency", minimum=0, inclusive=True)
    if not math.isfinite(x) or x != int(x):
        raise CRMDataError(
            _(
                "frequency must be a whole number of repeat purchases, got {frequency!r}. Fix: pass e.g. frequency=3."
            ).format(frequency=frequency)
        )
    age = validate.positive_number(T, "T")
    silence = validate.positive_number(quiet, "quiet", minimum=0, inclusive=True)
    if silence > age:
        raise CRMDataError(
            _(
                "quiet ({quiet:g}) cannot be longer than the customer's age T ({T:g}). Fix: pass a quiet time <= T."
            ).format(quiet=quiet, T=T)
        )
    # Without a repeat purchase the last purchase is the first one, so the silence is the whole age.
    recency = 0.0 if x == 0 else age - silence
    return int(x), recency, age


def customer_outlook(model, frequency, T, quiet, horizon: float = 26.0) -> dict[str, float]:
    """P(alive) and expected purchases in the next ``horizon`` time units for one purchase history.

    A fitted :class:`BetaGeo` turns a customer's history, three numbers, into the chance the
    customer is still active (P(alive)) and the purchases to expect next. Silence means more
    for a frequent buyer than for a rare one. Time is in the model's unit.

    Parameters
    ----------
    model : a fitted :class:`BetaGeo`.
    frequency : repeat purchases so far (whole number).
    T : time since the first purchase.
    quiet : time since the last purchase (at most ``T``); recency is ``T - quiet``. A customer
        without repeat purchases has recency 0 whatever ``quiet`` says.
    horizon : how far ahead to count expected purchases.

    Returns
    -------
    dict with ``frequency``, ``recency``, ``T``, ``prob_alive`` and ``expected_purchases``.

    Examples
    --------
    >>> bg = BetaGeo.from_params(r=0.5, alpha=10.0, a=0.7, b=2.5)
    >>> steady = customer_outlook(bg, frequency=12, T=60, quiet=2)
    >>> gone = customer_outlook(bg, frequency=12, T=60, quiet=30)
    >>> round(steady["prob_alive"], 3), round(gone["prob_alive"], 3)
    (0.931, 0.017)
    """
    x, recency, age = _history(frequency, T, quiet)
    length = validate.positive_number(horizon, "horizon", minimum=0, inclusive=True)
    summary = pd.DataFrame({"frequency": [x], "recency": [recency], "T": [age]})
    model = _fitted_bgnbd(model)
    return {
        "frequency": x,
        "recency": recency,
        "T": age,
        "prob_alive": float(model.prob_alive(summary).iloc[0]),
        "expected_purchases": float(model.predict_purchases(length, summary).iloc[0]),
    }


def alive_curve(model, frequency, T, points: int = 53) -> pd.DataFrame:
    """P(alive) of a customer with ``frequency`` repeat purchases and age ``T``, against time since the last purchase.

    Returns
    -------
    DataFrame with ``quiet`` (0 to ``T``, ``points`` values), ``recency`` and ``prob_alive``.

    Examples
    --------
    >>> bg = BetaGeo.from_params(r=0.5, alpha=10.0, a=0.7, b=2.5)
    >>> curve = alive_curve(bg, frequency=5, T=40, points=5)
    >>> curve["quiet"].tolist()
    [0.0, 10.0, 20.0, 30.0, 40.0]
    >>> bool(curve["prob_alive"].is_monotonic_decreasing)
    True
    """
    x, _, age = _history(frequency, T, 0)
    n = int(validate.positive_number(points, "points", minimum=2, inclusive=True))
    quiet = np.linspace(0.0, age, n)
    recency = np.zeros(n) if x == 0 else age - quiet
    summary = pd.DataFrame({"frequency": np.full(n, x), "recency": recency, "T": np.full(n, age)})
    alive = _fitted_bgnbd(model).prob_alive(summary).to_numpy()
    return pd.DataFrame({"quiet": quiet, "recency": recency, "prob_alive": alive})


validate.check_public_arguments(globals(), __all__)
