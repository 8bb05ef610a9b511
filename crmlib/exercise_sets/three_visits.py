"""Exercises of notebooks/02_development/02_three_visits.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import develop
from crmlib.datasets import load_retail
from crmlib.develop import best_visit_count, visit_value_table
from crmlib.exercises import Exercise

__all__ = ["win_rate_three_plus", "calls_table", "fewest_visits_rep", "best_visits_small_deals"]


@lru_cache(maxsize=1)
def _retail():
    """The retailer's tables, loaded once for all the exercises of this notebook."""
    return load_retail()


def _win_rate_three_plus() -> float:
    retail = _retail()
    rates = develop.win_rate_by_touches(retail.opportunities, retail.activities, max_touches=3)
    return round(float(rates["win_rate"].iloc[-1]), 3)


def _calls_table() -> pd.DataFrame:
    retail = _retail()
    return develop.win_rate_by_touches(retail.opportunities, retail.activities, touch="call", max_touches=6)


def _fewest_visits_rep() -> str:
    retail = _retail()
    opps, acts = retail.opportunities, retail.activities
    closed = opps[opps["status"].isin(["won", "lost"])]
    visits = acts[acts["activity_type"] == "visit"].groupby("opportunity_id").size()
    per_deal = closed["opportunity_id"].map(visits).fillna(0)
    return str(per_deal.groupby(closed["rep_id"]).mean().idxmin())


def _best_visits_small_deals() -> int:
    retail = _retail()
    rates = develop.win_rate_by_touches(retail.opportunities, retail.activities, max_touches=5)
    return best_visit_count(visit_value_table(rates, deal_size=30_000, cost_per_visit=1_500))


win_rate_three_plus = Exercise(
    "Win rate of closed deals with 3 or more visits, rounded to 3 decimals",
    answer=_win_rate_three_plus,
    hint="develop.win_rate_by_touches(opps, acts, max_touches=3) pools every deal with 3 or more visits "
    "into its last row; take that row's win_rate (.iloc[-1]).",
    atol=5e-4,
)

calls_table = Exercise(
    "Win rate of closed deals by number of calls, deals with 6 or more calls pooled",
    answer=_calls_table,
    hint='The same function as for visits, with touch="call" and max_touches=6.',
)

fewest_visits_rep = Exercise(
    "Which rep made the fewest visits per closed deal, on average? Their rep_id.",
    answer=_fewest_visits_rep,
    hint="It is in the table per_rep built above: the rep with the smallest 'visits per deal' "
    "(.idxmin()). Or count visits per closed deal (0 where none) and average them by rep_id.",
    ignore_case=True,
    ignore_whitespace=True,
)

best_visits_small_deals = Exercise(
    "Best number of visits for deals of 30,000 CNY when a visit costs 1,500 CNY (visits 0 to 5+)",
    answer=_best_visits_small_deals,
    hint="Build visit_value_table(win_rates, deal_size=30_000, cost_per_visit=1_500) from the 5+ win-rate "
    "table and pass it to best_visit_count (or move the widget's sliders and read the summary).",
)
