"""Exercises of casestudies/three_visits/three_visits.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import develop
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = ["team_dropped_after_one", "extra_wins_pooled", "break_even_cost", "two_visit_rule"]


@lru_cache(maxsize=1)
def _retail():
    """The retailer's tables, loaded once for all the exercises of this case."""
    return load_retail()


def _closed() -> pd.DataFrame:
    """Closed deals (won or lost) with their number of visits and a won flag."""
    retail = _retail()
    opps, acts = retail.opportunities, retail.activities
    visits = acts[acts["activity_type"] == "visit"].groupby("opportunity_id").size()
    closed = opps[opps["status"].isin(["won", "lost"])]
    return closed.assign(
        visits=closed["opportunity_id"].map(visits).fillna(0).astype(int), won=closed["status"].eq("won")
    )


def _rate(max_touches: int = 5) -> pd.Series:
    """Win rate by number of visits, indexed by visits."""
    retail = _retail()
    rates = develop.win_rate_by_touches(retail.opportunities, retail.activities, touch="visit", max_touches=max_touches)
    return rates.set_index("touches")["win_rate"]


def _team_dropped_after_one() -> float:
    closed = _closed()
    lost = closed[~closed["won"]]
    return float((lost["visits"] <= 1).mean())


def _extra_wins(target: int, target_rate: float | None = None) -> float:
    """Expected extra wins if every closed deal with fewer than `target` visits had got `target`.

    The deals' own rates are those of the 5+ table; the target rate is that table's rate at
    `target` unless `target_rate` is given.
    """
    rate = _rate(5)
    closed = _closed()
    short = closed[closed["visits"] < target]
    goal = rate[target] if target_rate is None else target_rate
    return float((goal - short["visits"].map(rate)).sum())


def _extra_wins_pooled() -> float:
    return _extra_wins(3, target_rate=float(_rate(3)[3]))


def _break_even_cost() -> float:
    """Extra margin of rule A (uplift × amount × margin share, summed) per extra visit."""
    retail = _retail()
    rate = _rate(5)
    closed = _closed()
    short = closed[closed["visits"] < 3]
    uplift = rate[3] - short["visits"].map(rate)
    lines = retail.order_lines.merge(retail.orders[["order_id", "channel"]], on="order_id")
    business = lines[lines["channel"] == "account"]
    margin_share = business["margin"].sum() / business["line_amount"].sum()
    return float((uplift * short["amount"]).sum() * margin_share / (3 - short["visits"]).sum())


def _two_visit_rule() -> float:
    return _extra_wins(2)


team_dropped_after_one = Exercise(
    "Share of all lost deals that had at most one visit",
    answer=_team_dropped_after_one,
    hint="The table lost (built in section 2) holds the lost deals with their visits. A comparison such as "
    'lost["visits"] <= 1 gives True/False; its mean is the share.',
    atol=5e-4,
)

extra_wins_pooled = Exercise(
    "Rule A's expected extra wins with the pooled win rate of deals with 3+ visits as the target",
    answer=_extra_wins_pooled,
    hint="develop.win_rate_by_touches(opps, acts, max_touches=3) pools every deal with 3 or more visits into the row "
    'touches == 3. Take that rate as the target and subtract short["visits"].map(rate) (the rates of section 1), '
    "then sum.",
    rtol=2e-3,
)

break_even_cost = Exercise(
    "The cost per visit (CNY) at which rule A's extra margin just pays for its extra visits",
    answer=_break_even_cost,
    hint='At break-even, extra margin = extra visits × cost per visit. So the cost is value["extra margin (CNY)"] '
    "divided by extra_visits (both over the same two years).",
    rtol=2e-3,
)

two_visit_rule = Exercise(
    "Expected extra wins if every closed deal with fewer than two visits had got two",
    answer=_two_visit_rule,
    hint="Like rule A, with 2 in place of 3: take the closed deals with visits < 2, and sum rate[2] minus the rate "
    "at each deal's own number of visits (rate is the win-rate Series of section 3).",
    rtol=2e-3,
)
