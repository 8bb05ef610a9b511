"""Exercises of casestudies/mobile_carrier/mobile_carrier.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.cases.carrier import generate_carrier_subscribers
from crmlib.concepts import SingleChoice
from crmlib.exercises import Exercise

__all__ = ["leavers_misfit_share", "misfit_slip_ratio", "prompt_port_ratio", "at_risk_stage", "prompt_response"]


@lru_cache(maxsize=1)
def _carrier():
    return generate_carrier_subscribers()


@lru_cache(maxsize=1)
def _months() -> pd.DataFrame:
    """Monthly rows in order, with the status of the subscriber's next month (None in the last)."""
    rows = _carrier().monthly.sort_values(["subscriber_id", "month"]).reset_index(drop=True)
    rows["status"] = rows["status"].astype(str)
    rows["next_status"] = rows.groupby("subscriber_id")["status"].shift(-1)
    return rows


def _misfit() -> pd.Series:
    """Per subscriber: True if January use is below 0.4, or 1.2 or more, times the plan's allowance
    (the bins of the notebook's ``pd.cut(..., right=False)``)."""
    rows = _months()
    january = rows[rows["month"] == pd.Timestamp("2025-01-01")].set_index("subscriber_id")["data_gb"]
    allowance = _carrier().subscribers.set_index("subscriber_id")["allowance_gb"]
    use_share = january / allowance.reindex(january.index)
    return (use_share < 0.4) | (use_share >= 1.2)


def _leavers_misfit_share() -> float:
    monthly = _carrier().monthly
    leavers = monthly.loc[monthly["status"] == "ported out", "subscriber_id"].unique()
    return round(float(_misfit().reindex(leavers).mean()), 3)


def _misfit_slip_ratio() -> float:
    rows = _months()
    misfit = _misfit()
    looked = rows[(rows["status"] == "active") & rows["next_status"].notna()]
    slipped = looked["next_status"].eq("at risk")
    rate = slipped.groupby(looked["subscriber_id"].map(misfit)).mean()
    return round(float(rate[True] / rate[False]), 2)


def _prompt_port_ratio() -> float:
    rows = _months()
    before = rows.groupby("subscriber_id")["status"].shift()
    first = rows[(rows["status"] == "at risk") & (before != "at risk") & rows["next_status"].notna()].copy()
    first["flagged_on"] = first["month"] + pd.offsets.MonthEnd(0)
    calls = _carrier().retention_calls
    first = first.merge(calls, on=["subscriber_id", "flagged_on"], how="left")
    prompt = (first["called_on"] - first["flagged_on"]).dt.days <= 7
    ported = first["next_status"].eq("ported out")
    rate = ported.groupby(prompt).mean()
    return round(float(rate[True] / rate[False]), 2)


leavers_misfit_share = Exercise(
    "Of the subscribers who ported out within the 18 months, the share whose plan did not fit them "
    "(plan fit from January use, as in section 5)",
    answer=_leavers_misfit_share,
    hint=[
        "Two steps: find who ported out, then look up their plan fit.",
        'The subscribers with a "ported out" row are the leavers; the Series fit (section 5) gives each '
        "subscriber's plan fit, indexed by subscriber_id.",
        'misfit = fit != "fits"; take misfit for the leavers\' subscriber_id and its mean.',
    ],
    decimals=3,
)

misfit_slip_ratio = Exercise(
    "Monthly chance of going from active to at risk: subscribers whose plan does not fit, divided by those "
    "whose plan fits (plan fit from January use, as in section 5; 2 decimals)",
    answer=_misfit_slip_ratio,
    hint=[
        "Two groups, not three: plans that fit, and plans that do not fit in either direction.",
        "Use the table active (section 5): it has a slipped column and each subscriber's fit. Mark the rows "
        'whose fit is not "fits".',
        "Group slipped by that mark, take the mean of each group, and divide the misfit rate by the fit rate.",
    ],
    decimals=2,
)

prompt_port_ratio = Exercise(
    "Chance of porting out in the month after the flag: episodes with a prompt call (within 7 days) divided "
    "by the other episodes (2 decimals)",
    answer=_prompt_port_ratio,
    hint=[
        "An episode starts in a month at risk whose previous month was not at risk.",
        "Keep the first month of every episode that has a next month, and look up each one's call in "
        "`episodes` (flagged on the last day of that month).",
        "Compare the share whose next status is 'ported out', prompt call against the rest, and divide.",
    ],
    decimals=2,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
at_risk_stage = SingleChoice(
    "The CRM flags a subscriber as 'at risk': complaints rise and data use falls. In the four-stage "
    "customer relationship life cycle (客户关系生命周期), which stage is that?",
    choices=["exploration stage 考察期", "formation stage 形成期", "stability stage 稳定期", "decline stage 退化期"],
    answer="D",
    feedback={
        "A": "Exploration is the start of a relationship, when the customer is still trying the firm out; "
        "these subscribers have been with the carrier for months or years.",
        "B": "Formation is the stage of growing trust and growing use; here use is falling.",
        "C": "Stability is the mature stage, an active subscriber on a plan that fits; 'at risk' means the "
        "subscriber has left it.",
    },
    explanation="The relationship is weakening: that is the decline stage, the last chance to win it back "
    "before the subscriber ports out.",
    hint=[
        "Is the relationship growing, steady or shrinking?",
        "Rising complaints and falling use: which stage comes last, before the customer leaves?",
    ],
)

prompt_response = SingleChoice(
    "A subscriber is flagged at risk after two complaints about dropped calls. Which action fits the "
    "prompt response (立即响应) requirement of CCPR best?",
    choices=[
        "a 10% discount for all subscribers next quarter",
        "a call from the retention team within 7 days of the flag that deals with the complaint",
        "a text message wishing the subscriber a happy birthday",
        "a win-back offer after the subscriber has ported out",
    ],
    answer="B",
    feedback={
        "A": "A discount for everyone is neither prompt nor personal, and it does not fix the dropped calls.",
        "C": "A birthday message shows care (关怀), but it ignores the problem the subscriber complained about.",
        "D": "A win-back offer comes after the customer has left: the last resort, not a prompt response.",
    },
    explanation="Prompt response means answering this customer's problem quickly, while it still matters; in "
    "this case a call within 7 days cut the chance of porting out about in half.",
    hint=["Which option answers this subscriber's own problem?", "Which option happens soon after the flag?"],
)
