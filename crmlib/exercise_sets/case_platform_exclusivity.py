"""Exercises of casestudies/platform_exclusivity/platform_exclusivity.ipynb."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from crmlib.cases.platform import compare_policies, simulate_platforms
from crmlib.concepts import SingleChoice, SortIntoClasses
from crmlib.exercises import Exercise

__all__ = [
    "merchants_share_of_loss",
    "misleading_years",
    "commission_keeping_value",
    "transaction_or_relationship",
    "merchant_bonds",
    "lasting_barrier",
]

#: The commission rates exercise 3 tries: 4% to 25% in steps of one point.
_COMMISSIONS = np.round(np.arange(0.04, 0.2501, 0.01), 2)


def _five_years(policy: str, commission: float = 0.10) -> pd.DataFrame:
    """Both platforms' rows of the quarters after the start (period >= 1)."""
    sim = simulate_platforms(policy, commission=commission)
    return sim[sim["period"] >= 1]


def _merchants_share_of_loss() -> float:
    lost = {}
    for column in ("merchant_profit", "total_value"):
        totals = {policy: _five_years(policy)[column].sum() for policy in ("exclusive", "relationship")}
        lost[column] = totals["relationship"] - totals["exclusive"]
    return round(float(lost["merchant_profit"] / lost["total_value"]), 2)


def _misleading_years() -> int:
    both = compare_policies()
    ex, rel = both.loc["exclusive"], both.loc["relationship"]
    share_says_exclusive = ex["a_sales_share"] > rel["a_sales_share"]
    income_says_relationship = ex["a_commission"] < rel["a_commission"]
    return int((share_says_exclusive & income_says_relationship).sum())


@lru_cache(maxsize=1)
def _commission_curve() -> pd.DataFrame:
    """A's five-year commission income and the total value, per commission rate (relationship policy)."""
    rows = {}
    for rate in _COMMISSIONS:
        sim = _five_years("relationship", commission=float(rate))
        income = sim.loc[sim["platform"] == "A", "commission_revenue"].sum()
        rows[float(rate)] = {"income": income, "value": sim["total_value"].sum()}
    return pd.DataFrame(rows).T


def _commission_keeping_value() -> float:
    curve = _commission_curve()
    allowed = curve[curve["value"] >= 0.9 * curve.loc[0.10, "value"]]
    return float(allowed["income"].idxmax())


merchants_share_of_loss = Exercise(
    "Of the value that exclusive dealing destroys over five years (total value under the relationship policy "
    "minus total value under exclusive dealing, A and B together), what share is merchant profit?",
    answer=_merchants_share_of_loss,
    hint=[
        "The table pie of section 5 has one row per policy, with the merchants' profit and the total value.",
        "Take the difference between the two rows, once for merchant profit and once for total value.",
        'Divide (pie.loc["relationship", "merchant profit"] - pie.loc["exclusive", "merchant profit"]) by the same '
        'difference of "total value".',
    ],
    decimals=2,
)

misleading_years = Exercise(
    "In how many of the five years does A's share of platform sales favour exclusive dealing while A's "
    "commission income favours the relationship policy?",
    answer=_misleading_years,
    hint=[
        "For each year, ask two questions: which policy gives A the larger share, and which the larger income?",
        "Compare the columns a_sales_share and a_commission of both.loc['exclusive'] and both.loc['relationship'].",
        "Make two True/False Series, exclusive share > relationship share and exclusive income < relationship "
        "income; combine them with & and count the True values with .sum().",
    ],
    decimals=0,
)

commission_keeping_value = Exercise(
    "Under the relationship policy, the commission (0.04 to 0.25 in steps of 0.01) that earns A the most "
    "commission income over five years while the total value created stays at least 90% of the value at the "
    "fair 10%",
    answer=_commission_keeping_value,
    hint=[
        "Start from the table curve: it has A's income and the total value at every rate.",
        "Keep only the rates whose total value is at least 0.9 times the total value at 0.10.",
        'Among the kept rows, .idxmax() of "commission income (A)" gives the rate.',
    ],
    decimals=2,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
transaction_or_relationship = SortIntoClasses(
    "Sort each move that A's managers discuss: is it transaction marketing or relationship marketing?",
    choices=[
        "force every restaurant on both apps to leave B this quarter",
        "publish clear rules and settle merchants' disputes quickly",
        "judge the policy by next quarter's market share",
        "help small restaurants with menus, photos and promotions",
        "raise the commission because merchants have nowhere else to go",
        "survey merchants' trust every quarter and track why merchants leave",
    ],
    classes=["transaction marketing 交易营销", "relationship marketing 关系营销"],
    answer="A1 B2 C1 D2 E1 F2",
    feedback={
        "A": "Forcing a choice takes share now by using A's power over the merchant: a one-sided, short-term deal.",
        "B": "Clear rules and fair disputes build trust, so the merchant can plan years ahead with A.",
        "C": "A quarter's share counts the single sale; relationship marketing looks at the value over years.",
        "D": "Helping merchants sell more grows the pie for both sides: that is mutual benefit.",
        "E": "Squeezing a partner who cannot leave takes a bigger slice now and costs trust later.",
        "F": "Measuring trust and the reasons for leaving looks after the relationship itself.",
    },
    explanation="Transaction marketing aims at this quarter's gain, even in an unequal deal; relationship "
    "marketing aims at trust, mutual benefit and value over many years.",
    hint=[
        "Ask of each move: who gains, and for how long?",
        "A move that uses A's power for a gain now is transaction marketing.",
    ],
)

merchant_bonds = SortIntoClasses(
    "Under the relationship policy A wants to keep its merchants. Which level of retention bond "
    "(关系营销的三个层次) is each tool?",
    choices=[
        "half the commission for a restaurant's first three months",
        "a named account manager who visits the restaurant and knows its owner",
        "an ordering and stock system, built into the app, that plans the kitchen's purchases",
        "cash rewards for restaurants that reach a sales target",
        "a yearly dinner for restaurant owners and A's staff",
        "delivery data that tells a restaurant which dishes to cook ahead at lunchtime",
    ],
    classes=["financial 财务层次", "social 社交层次", "structural 结构层次"],
    answer="A1 B2 C3 D1 E2 F3",
    feedback={
        "A": "A lower price is a financial benefit: quick to work, and B can copy it tomorrow.",
        "B": "A person who knows the merchant is a social bond: it builds trust, but it costs A staff time.",
        "C": "A system that runs part of the merchant's own business is a structural bond: it raises the "
        "merchant's efficiency and is hard to copy.",
        "D": "Cash for reaching a target is money again: a financial benefit.",
        "E": "Meeting the people behind the platform is a social bond.",
        "F": "A service built on A's data that makes the kitchen work better is structural.",
    },
    explanation="Money is the first level (easy to copy), personal contact the second, and tools that become "
    "part of the customer's own work the third and strongest.",
    hint=[
        "Is the tool money, a person, or a system the merchant works with?",
        "Financial: price and rewards. Social: people and care. Structural: tools that raise the merchant's "
        "own efficiency.",
    ],
)

lasting_barrier = SingleChoice(
    "Platform B offers restaurants a lower commission. Which of A's assets is the most lasting barrier to "
    "entry (进入壁垒) against B?",
    choices=[
        "a contract that forbids A's restaurants to list on B",
        "a commission one point lower than B's, for this year",
        "a relationship the merchants value: fair rules, trust, and tools that make their work easier",
        "a larger advertising budget than B's",
    ],
    answer="C",
    feedback={
        "A": "A forced contract keeps merchants only while it holds; they resent it, and in the model trust "
        "falls and merchants leave as soon as they can. Regulators may also strike it down.",
        "B": "A price cut is easy for B to match, so the advantage lasts only until B replies.",
        "D": "Advertising brings consumers, but it gives merchants no reason of their own to stay.",
    },
    explanation="A relationship the customer values raises the cost of switching: a rival must offer more than "
    "a price to win the merchant away. That makes it a barrier to entry that B cannot simply copy.",
    hint=[
        "Which of these could B copy or remove quickly?",
        "Which one makes merchants want to stay, not only have to stay?",
    ],
)
