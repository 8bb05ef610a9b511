"""Small computing helpers shared by several crmlib modules (not part of the course's API).

Input checks live in :mod:`crmlib.validate`; the helpers here only compute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ratio", "join_flags"]


def ratio(numerator, denominator) -> np.ndarray:
    """Element-wise numerator / denominator as float, NaN where the denominator is 0.

    >>> ratio([1, 2, 3], [2, 0, 4]).tolist()
    [0.5, nan, 0.75]
    """
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def join_flags(flags: pd.DataFrame, sep: str, none: str) -> pd.Series:
    """For each row, the names of the True columns joined by ``sep``, or ``none`` if there are none.

    >>> flags = pd.DataFrame({"phone": [True, False], "email": [True, False]})
    >>> join_flags(flags, "; ", "-").tolist()
    ['phone; email', '-']
    """
    if flags.shape[1] == 0 or len(flags) == 0:
        return pd.Series(none, index=flags.index, dtype=object)
    names = np.array([f"{c}{sep}" for c in flags.columns], dtype=object)
    joined = np.where(flags.to_numpy(dtype=bool), names, "").astype(object).sum(axis=1)
    joined = pd.Series(joined, dtype=object).str[: -len(sep)].to_numpy(dtype=object)
    return pd.Series(np.where(joined == "", none, joined), index=flags.index, dtype=object)
