"""Exercises of casestudies/platform_exclusivity/platform_exclusivity.ipynb."""

from __future__ import annotations

import numpy as np

from crmlib.cases.platform import compare_policies, simulate_platforms
from crmlib.exercises import Exercise

__all__ = ["first_year_behind", "value_ratio", "best_commission"]

#: The commission rates exercise 3 tries: 4% to 25% in steps of one point.
_COMMISSIONS = np.round(np.arange(0.04, 0.2501, 0.01), 2)


def _first_year_behind() -> int:
    both = compare_policies()
    ex, rel = both.loc["exclusive", "a_sales_share"], both.loc["relationship", "a_sales_share"]
    return int(ex.index[ex < rel][0])


def _value_ratio() -> float:
    totals = compare_policies().groupby(level="policy")["total_value"].sum()
    return round(float(totals["exclusive"] / totals["relationship"]), 3)


def _best_commission() -> float:
    income = {}
    for rate in _COMMISSIONS:
        sim = simulate_platforms("relationship", commission=float(rate))
        income[float(rate)] = sim.loc[sim["platform"] == "A", "commission_revenue"].iloc[1:].sum()
    return max(income, key=income.get)


first_year_behind = Exercise(
    "The first year (1-5) in which A's share of platform sales under exclusive dealing is below its share "
    "under the relationship policy",
    answer=_first_year_behind,
    hint="Take the a_sales_share column of both policies from compare_policies(); compare them year by year "
    "and keep the first year where exclusive < relationship (e.g. with .index[...][0]).",
)

value_ratio = Exercise(
    "Total value created over five years under exclusive dealing, as a share of the value under the "
    "relationship policy (3 decimals)",
    answer=_value_ratio,
    hint="Add up total_value over the five years for each policy (group by the 'policy' level of "
    "compare_policies()), then divide exclusive by relationship.",
    atol=5e-4,
)

best_commission = Exercise(
    "Under the relationship policy, the commission (0.04 to 0.25 in steps of 0.01) that earns platform A "
    "the most commission income over five years",
    answer=_best_commission,
    hint="Loop over the rates, run simulate_platforms('relationship', commission=rate) for each, add up A's "
    "commission_revenue over the quarters after the start (period >= 1), and keep the rate with the "
    "largest total.",
    atol=1e-6,
)
