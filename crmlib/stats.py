"""Shared statistics for the chapter modules: intervals for shares and several tests at once.

The chapters draw conclusions from shares (retention, conversion, the share of promoters) and
from tests of several brands or segments at a time. Two small tools keep those conclusions
honest, and every chapter uses the same ones:

* :func:`wilson_interval`: the confidence interval of a share ``k / n``. Unlike the textbook
  ``p +- z sqrt(p (1-p) / n)`` it stays inside [0, 1] and still works when ``k`` is 0 or ``n``,
  which happens often in small cohorts (Wilson 1927; Brown, Cai and DasGupta 2001).
* :func:`holm_adjust`: Holm's step-down adjustment of p-values, so that testing ten brands does
  not find a "significant" one by luck (Holm 1979).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError

__all__ = ["z_value", "wilson_interval", "holm_adjust"]


def z_value(level: float) -> float:
    """The two-sided normal quantile for a confidence ``level`` (0.95 gives 1.96).

    Examples
    --------
    >>> round(z_value(0.95), 4)
    1.96
    """
    from scipy.stats import norm

    checked = validate.positive_number(level, "level")
    if not checked < 1:
        raise CRMDataError(f"level must be below 1, got {level!r}. Fix: pass e.g. level=0.95 for a 95% interval.")
    return float(norm.ppf(0.5 + checked / 2))


def _counts(values, name: str) -> np.ndarray:
    array = np.atleast_1d(np.asarray(values, dtype="float64"))
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array != np.round(array)):
        raise CRMDataError(f"{name} must be whole numbers >= 0, got {values!r}. Fix: pass counts of customers.")
    return array


def wilson_interval(successes, trials, level: float = 0.95) -> pd.DataFrame:
    """Wilson score confidence interval of the share ``successes / trials``.

    ``centre = (k + z²/2) / (n + z²)``, ``half-width = z sqrt(k (n-k) / n + z²/4) / (n + z²)``.

    Parameters
    ----------
    successes, trials : counts (numbers or arrays of the same length); ``trials`` > 0.
    level : confidence level, e.g. 0.95.

    Returns
    -------
    DataFrame with ``share``, ``low`` and ``high``, one row per pair of counts (indexed like
    ``successes`` when it is a Series).

    Examples
    --------
    >>> wilson_interval(8, 10).round(4)
       share     low    high
    0    0.8  0.4902  0.9433
    >>> wilson_interval([0, 5], [20, 5]).round(4)   # all or nothing: still a real interval
       share     low    high
    0    0.0  0.0000  0.1611
    1    1.0  0.5655  1.0000
    """
    k = _counts(successes, "successes")
    n = _counts(trials, "trials")
    if k.shape != n.shape and k.size != 1 and n.size != 1:
        raise CRMDataError(f"successes and trials have different lengths ({k.size} and {n.size}). Fix: pass one count of each per share.")
    k, n = np.broadcast_arrays(k, n)
    if np.any(n <= 0):
        raise CRMDataError("trials must be above 0: a share of nobody has no interval. Fix: leave out the empty groups.")
    if np.any(k > n):
        raise CRMDataError("successes cannot exceed trials. Fix: check the two counts are not swapped.")
    z = z_value(level)
    z2 = z * z
    centre = (k + z2 / 2) / (n + z2)
    half = z * np.sqrt(k * (n - k) / n + z2 / 4) / (n + z2)
    index = successes.index if isinstance(successes, pd.Series) and len(successes) == len(k) else None
    return pd.DataFrame({"share": k / n, "low": np.clip(centre - half, 0.0, 1.0), "high": np.clip(centre + half, 0.0, 1.0)},
                        index=index)


def holm_adjust(p_values) -> pd.Series:
    """Holm's step-down adjusted p-values for a family of tests.

    Sort the m p-values, multiply the i-th smallest by ``m - i + 1`` (i from 1), carry the
    running maximum forward so the order is kept, and cap at 1. A test is significant at 5%
    for the family when its adjusted p-value is below 0.05; that keeps the chance of *any*
    false discovery at 5%, whereas ten unadjusted tests at 5% find one by luck 40% of the time.

    Parameters
    ----------
    p_values : list, array or Series of p-values in [0, 1]; a Series keeps its index.

    Returns
    -------
    Series ``p_adjusted`` in the input's order.

    Examples
    --------
    >>> holm_adjust(pd.Series([0.01, 0.04, 0.03], index=["A", "B", "C"]))
    A    0.03
    B    0.06
    C    0.06
    Name: p_adjusted, dtype: float64
    """
    index = p_values.index if isinstance(p_values, pd.Series) else None
    p = np.asarray(p_values, dtype="float64").ravel()
    if p.size == 0:
        raise CRMDataError("holm_adjust got no p-values. Fix: pass one p-value per test.")
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        where = index[bad] if index is not None else np.flatnonzero(bad)
        raise validate.rows_error("p_values", "p_value", where, problem="outside [0, 1] or missing",
                                  fix="pass p-values, numbers between 0 and 1")
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    adjusted = np.empty(m)
    adjusted[order] = stepped
    return pd.Series(adjusted, index=index, name="p_adjusted")
