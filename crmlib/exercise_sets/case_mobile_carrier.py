"""Exercises of casestudies/mobile_carrier/mobile_carrier.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.cases.carrier import generate_carrier_subscribers
from crmlib.concepts import SingleChoice
from crmlib.exercises import Exercise

__all__ = ["ported_share", "misfit_slip_ratio", "prompt_port_ratio", "at_risk_stage", "prompt_response"]


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


def _ported_share() -> float:
    gone = _carrier().monthly.loc[_carrier().monthly["status"] == "ported out", "subscriber_id"].nunique()
    return round(gone / len(_carrier().subscribers), 3)


def _misfit_slip_ratio() -> float:
    rows = _months()
    january = rows[rows["month"] == pd.Timestamp("2025-01-01")].set_index("subscriber_id")["data_gb"]
    allowance = _carrier().subscribers.set_index("subscriber_id")["allowance_gb"]
    use_share = january / allowance.reindex(january.index)
    misfit = (use_share < 0.4) | (use_share > 1.2)
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


ported_share = Exercise(
    "Share of the subscribers of January 2025 who ported their number out within the 18 months (3 decimals)",
    answer=_ported_share,
    hint="Count the distinct subscriber_id with a 'ported out' row in `monthly`, and divide by the number of "
    "rows of `subscribers`.",
    atol=5e-4,
)

misfit_slip_ratio = Exercise(
    "Monthly chance of going from active to at risk: subscribers whose plan does not fit, divided by those "
    "whose plan fits (plan fit from January use, as in section 5; 2 decimals)",
    answer=_misfit_slip_ratio,
    hint="Use the table of active months with the next month's status (section 3) and map each subscriber's "
    "fit onto it. Group by fit, take the mean of next_status == 'at risk', and divide the two rates.",
    atol=5e-3,
)

prompt_port_ratio = Exercise(
    "Chance of porting out in the month after the flag: episodes with a prompt call (within 7 days) divided "
    "by the other episodes (2 decimals)",
    answer=_prompt_port_ratio,
    hint="Keep the first month of every episode that has a next month, look up each one's call in `episodes` "
    "(or in the calls table), then compare the share whose next status is 'ported out', prompt vs not.",
    atol=5e-3,
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
