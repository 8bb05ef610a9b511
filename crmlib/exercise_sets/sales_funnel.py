"""Exercises of notebooks/02_development/01_sales_funnel.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import develop
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = ["trade_show_win_share", "lost_contact_stage", "full_cost_per_win", "rep_proposal_conversion"]


@lru_cache(maxsize=1)
def _retail():
    """The retailer's tables, loaded once for all the exercises of this notebook."""
    return load_retail()


def _deals() -> tuple[pd.DataFrame, list]:
    """One row per lead with the furthest stage it reached ("lead" if it never became a deal)."""
    retail = _retail()
    opps = retail.opportunities
    table = retail.leads.merge(opps[["opportunity_id", "stage", "status", "amount"]], on="opportunity_id", how="left")
    return table.assign(stage=table["stage"].astype(object).fillna("lead")), ["lead", *opps["stage"].cat.categories]


def _trade_show_win_share() -> float:
    deals, stages = _deals()
    funnel = develop.funnel_table(deals, stages=stages, by="source")
    won = funnel[(funnel["source"] == "trade show") & (funnel["stage"] == "won")]
    return round(float(won["overall"].iloc[0]), 3)


def _lost_contact_stage() -> str:
    opps = _retail().opportunities
    lost = opps[opps["lost_reason"] == "lost contact"]
    return str(lost.groupby("stage", observed=True).size().idxmax())


#: The cost per contact the notebook assumes (CNY); the exercise uses the same numbers.
_ASSUMED_COST = {"visit": 1000, "meeting": 1500, "call": 50, "e-mail": 20}


def _full_cost_per_win() -> pd.Series:
    retail = _retail()
    acts, opps, leads = retail.activities, retail.opportunities, retail.leads
    source_of = opps.merge(leads[["lead_id", "source"]], on="lead_id").set_index("opportunity_id")["source"]
    deal_acts = acts[acts["opportunity_id"].notna()]
    selling = (
        deal_acts["activity_type"]
        .astype(str)
        .map(_ASSUMED_COST)
        .groupby(deal_acts["opportunity_id"].map(source_of).astype(str))
        .sum()
    )
    spend = retail.marketing_spend.query("segment == 'business'")
    marketing = spend.groupby(spend["channel"].astype(str))["spend_cny"].sum()
    wins = opps.query("status == 'won'")["lead_id"].map(leads.set_index("lead_id")["source"]).astype(str).value_counts()
    return ((marketing + selling) / wins).round(0)


def _rep_proposal_conversion() -> pd.Series:
    deals, stages = _deals()
    funnel = develop.funnel_table(deals, stages=stages, by="rep_id")
    step = funnel[funnel["stage"] == "proposal"].set_index("rep_id")["conversion"]
    return step.round(3)


trade_show_win_share = Exercise(
    "Share of trade-show leads that end in a won deal, rounded to 3 decimals",
    answer=_trade_show_win_share,
    hint="Call develop.funnel_table(deals, stages=stages, by=\"source\") and read the 'overall' column "
    "in the row where source is 'trade show' and stage is 'won'. The answer is a share between 0 and 1.",
    atol=5e-4,
)

lost_contact_stage = Exercise(
    "At which stage were the most deals lost because the rep lost contact with the prospect?",
    answer=_lost_contact_stage,
    hint="Keep the opportunities whose lost_reason is 'lost contact', count them by stage "
    "(groupby with observed=True, then .size()) and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

full_cost_per_win = Exercise(
    "Cost of winning one account by lead source: marketing spend plus sales contacts (at ASSUMED_COST), "
    "per won account, a Series indexed by source, rounded to whole CNY",
    answer=_full_cost_per_win,
    hint="Three Series indexed by source, then (marketing + selling) / won: the marketing spend of the "
    "business rows summed by channel; the contact_cost of the deal contacts summed by the source of "
    "their deal (map opportunity_id to the lead's source); and the number of won deals by source "
    '(won["source"].value_counts()). Keep ASSUMED_COST as given.',
    ignore_order=True,
    atol=0.5,
)

rep_proposal_conversion = Exercise(
    "For each rep, the conversion from needs analysis into proposal (a Series indexed by rep_id, 3 decimals)",
    answer=_rep_proposal_conversion,
    hint='Call develop.funnel_table(deals, stages=stages, by="rep_id"), keep the rows whose stage is '
    "'proposal', and take their 'conversion' column indexed by rep_id (.set_index(\"rep_id\")). Round to 3.",
    atol=5e-4,
)
