"""Exercises of casestudies/industrial_key_accounts/industrial_key_accounts.ipynb.

The answers use :data:`REFERENCE_WEIGHTS`, the weights the case's weights cell starts with (the
same as chapter 1's). A student who has changed the weights gets a different tiering, so the
exercises say "with the reference weights".
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import identify
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = ["REFERENCE_WEIGHTS", "FUTURE", "general_hours_share", "underserved_strategic", "top_strategic_city"]

#: Current value 0.6 (margin, sales, marketing cost), future value 0.4 (position, years, satisfaction).
REFERENCE_WEIGHTS = {
    "margin": 0.30,
    "line_amount": 0.20,
    "marketing_cost": 0.10,
    "industry_position": 0.15,
    "cooperation_years": 0.15,
    "satisfaction": 0.10,
}
FUTURE = ["industry_position", "cooperation_years", "satisfaction"]
_WINDOW = (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))


@lru_cache(maxsize=1)
def _accounts() -> pd.DataFrame:
    """The business accounts with criteria, tiers, exposure and account-care hours, as in the case."""
    retail = load_retail()
    accounts = identify.account_criteria(retail.customers, retail.orders, retail.order_lines, retail.surveys)
    scores = identify.value_score(accounts, REFERENCE_WEIGHTS, cost=["marketing_cost"], future=FUTURE)
    accounts["tier"] = identify.account_tiers(scores, strategic_share=0.2)["tier"]
    first_day = accounts["signup_date"].clip(lower=_WINDOW[0])
    accounts["years"] = ((_WINDOW[1] - first_day).dt.days + 1) / 365.25
    care = retail.activities[retail.activities["opportunity_id"].isna()]
    hours = care.groupby("customer_id")["duration_min"].sum() / 60
    accounts["care_hours"] = accounts["customer_id"].map(hours).fillna(0.0)
    return accounts


def _general_hours_share() -> float:
    accounts = _accounts()
    by_tier = accounts.groupby("tier")["care_hours"].sum()
    return round(float(by_tier["general"] / by_tier.sum()), 3)


def _underserved_strategic() -> int:
    accounts = _accounts()
    settled = accounts[accounts["years"] >= 0.5]
    rate = settled["care_hours"] / settled["years"]
    general_median = rate[settled["tier"] == "general"].median()
    return int(((settled["tier"] == "strategic") & (rate < general_median)).sum())


def _top_strategic_city() -> str:
    accounts = _accounts()
    strategic = accounts[accounts["tier"] == "strategic"]
    return str(strategic.groupby("city", observed=True)["margin"].sum().idxmax())


general_hours_share = Exercise(
    "With the reference weights: share of all account-care hours of 2024-2025 that went to general accounts (3 decimals)",
    answer=_general_hours_share,
    hint="accounts has a care_hours column and a tier column. Group the hours by tier, add them up, and divide the "
    "general accounts' hours by the total.",
    atol=5e-4,
)

underserved_strategic = Exercise(
    "With the reference weights: how many strategic accounts (with at least half a year in the window) get fewer "
    "care hours per account-year than the median general account?",
    answer=_underserved_strategic,
    hint="Keep the accounts with years >= 0.5. Their hours per account-year are care_hours / years. Take the median "
    "over the general ones, then count the strategic ones below it.",
)

top_strategic_city = Exercise(
    "With the reference weights: which city's strategic accounts bring the most margin?",
    answer=_top_strategic_city,
    hint='Keep the accounts whose tier is "strategic", group their margin by city (observed=True), add it up, and take '
    "the city with the largest total (idxmax).",
    ignore_case=True,
    ignore_whitespace=True,
)
