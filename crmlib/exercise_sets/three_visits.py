"""Exercises of notebooks/02_development/02_three_visits.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import develop
from crmlib.concepts import MultipleChoice, PutInOrder, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.develop import best_visit_count, visit_value_table
from crmlib.exercises import Exercise

__all__ = ["win_rate_three_plus", "calls_table", "coach_first", "best_visits_small_deals"]


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


def _coach_first() -> str:
    retail = _retail()
    opps, acts = retail.opportunities, retail.activities
    closed = opps[opps["status"].isin(["won", "lost"])]
    visits = acts[acts["activity_type"] == "visit"].groupby("opportunity_id").size()
    n_visits = closed["opportunity_id"].map(visits).fillna(0)
    won = closed["status"] == "won"
    target = won[n_visits >= 3].mean()
    early = n_visits <= 2
    wins = won[early].groupby(closed.loc[early, "rep_id"]).sum()
    deals = won[early].groupby(closed.loc[early, "rep_id"]).size()
    return str((target * deals - wins).idxmax())


def _best_visits_small_deals() -> int:
    retail = _retail()
    rates = develop.win_rate_by_touches(retail.opportunities, retail.activities, max_touches=5)
    return best_visit_count(visit_value_table(rates, deal_size=30_000, cost_per_visit=1_500))


win_rate_three_plus = Exercise(
    "Win rate of closed deals with 3 or more visits, rounded to 3 decimals",
    answer=_win_rate_three_plus,
    decimals=3,
    hint="develop.win_rate_by_touches(opps, acts, max_touches=3) pools every deal with 3 or more visits "
    "into its last row; take that row's win_rate (.iloc[-1]).",
    atol=5e-4,
)

calls_table = Exercise(
    "Win rate of closed deals by number of calls, deals with 6 or more calls pooled",
    answer=_calls_table,
    hint='The same function as for visits, with touch="call" and max_touches=6.',
)

coach_first = Exercise(
    "Which rep's closed deals with at most two visits would have brought the most extra wins at the win rate "
    "of all closed deals with three or more visits? Their rep_id.",
    answer=_coach_first,
    hint=[
        "Work on the `closed` table of section 3: it has `visits` and `won` for every closed deal.",
        "The target rate is the mean of `won` over the deals with visits >= 3. Then keep the deals with "
        "visits <= 2 and group them by rep_id.",
        "Per rep: (target rate - the rep's mean of won) x the rep's number of such deals; take .idxmax().",
    ],
    ignore_case=True,
    ignore_whitespace=True,
)

best_visits_small_deals = Exercise(
    "Best number of visits for deals of 30,000 CNY when a visit costs 1,500 CNY (visits 0 to 5+)",
    answer=_best_visits_small_deals,
    hint="Build visit_value_table(win_rates, deal_size=30_000, cost_per_visit=1_500) from the 5+ win-rate "
    "table and pass it to best_visit_count (or move the widget's sliders and read the summary).",
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["three_visits_lessons", "needs_analysis_steps", "latent_need", "service_phases"]

three_visits_lessons = MultipleChoice(
    "Which lessons for visiting customers does the story of the three visits to the thatched cottage (三顾茅庐) teach?",
    choices=[
        "A prospect who has turned you away twice is not interested: move on to the next one.",
        "Be sincere and patient: the first attempts often fail, so come back.",
        "Make your offer as hard as you can on the first visit, since a busy person gives you one chance.",
        "Understand the other side's goals before you ask for anything.",
        "Keep steady two-way contact, for example with a letter, until you reach agreement.",
    ],
    answer="B D E",
    feedback={
        "A": "Liu Bei found nobody at home twice, and the third visit succeeded. Two failed attempts are "
        "normal in customer development, not a final no.",
        "C": "Liu Bei's third visit was a conversation about how Zhuge Liang saw the realm, not a sales pitch. "
        "Pressure on a first visit rarely builds the trust a deal needs.",
    },
    explanation="Sincerity and patience (诚意与耐心), understanding the other side's goals, and steady two-way "
    "contact. In the retailer's data, too, most won deals needed about three visits.",
    hint="Three of the five are lessons. What did Liu Bei do after each failed visit, and what did he talk "
    "about on the third?",
)

needs_analysis_steps = PutInOrder(
    "Put the five steps of a customer needs analysis (客户需求分析) in order.",
    choices=[
        "rank the needs by importance and urgency",
        "collect information about these customers (research, interviews)",
        "design the solution: product plus service",
        "define the target customers (目标客户)",
        "analyse their current, latent and future needs",
    ],
    answer="D B E A C",
    feedback={
        "A": "You can only rank needs you have already found. Ranking comes after the analysis, and it decides "
        "what the solution must cover first.",
        "B": "You collect information about customers you have chosen, so this follows the choice of target "
        "customers. It comes before the analysis: without information there is nothing to analyse.",
        "C": "The solution is the last step: it answers the most important and most urgent needs found before it.",
        "D": "First decide whom you are studying: the target customers. Without them the research has no focus.",
        "E": "The analysis works on the information collected, and the list of needs it finds is what you rank next.",
    },
    explanation="Target customers, information, needs (current, latent and future), ranking, solution. A "
    "rep who has done the first steps before a visit can use the visit to test the needs, not to guess them.",
    hint="Each step uses what the step before it produced. What does the solution need as its input?",
)

latent_need = SingleChoice(
    "A rep visits the purchasing manager of a hotel. Which of these is a latent need (潜在需求) of the hotel?",
    choices=[
        "The manager says: 'We need 300 new towels by next week.'",
        "The manager says: 'We want a lower price than last year.'",
        "The manager says: 'We will open a second hotel in two years.'",
        "Guest reviews often say the rooms are noisy, though the manager has never asked about curtains.",
    ],
    answer="D",
    feedback={
        "A": "This need is stated and urgent: it is a current need. A latent need is one the customer has but "
        "has not put into words.",
        "B": "A lower price is a wish about the terms of the deal, to be settled in the negotiation. It is not "
        "a need that a product or service meets.",
        "C": "This is a future need: it will arise when the second hotel opens. The manager has already said "
        "it, so it is not hidden.",
    },
    explanation="A latent need is real but not yet expressed. The rep who spots it (here: quieter rooms, for "
    "example with heavier curtains) offers something the competitors who only take orders do not.",
    hint="Which need has the customer not said out loud?",
)

service_phases = SortIntoClasses(
    "Service starts before the sale, runs through it and continues after it (售前、售中、售后). Sort each "
    "service a home-goods retailer gives a school.",
    choices=[
        "a return visit (回访) a month after delivery to check that the desks hold up",
        "a first visit to learn what the school needs, before any offer",
        "explaining the contract terms and helping the buyer choose quantities while the order is agreed",
        "free sample chairs so the teachers can try them before the school decides",
        "replacing a broken desk under the warranty",
        "agreeing a payment plan as the order is signed",
    ],
    classes=["before the sale 售前", "during the sale 售中", "after the sale 售后"],
    answer="A3 B1 C2 D1 E3 F2",
    feedback={
        "A": "A return visit checks on a product already bought and used: service after the sale. It is also "
        "where the next need is often heard.",
        "B": "Learning the needs comes before any offer: service before the sale, and the start of the needs analysis.",
        "C": "Helping the buyer while the order is being agreed is service during the sale.",
        "D": "Samples help the buyer decide, so they come before the sale.",
        "E": "A warranty repair comes after the product has been bought and used: service after the sale.",
        "F": "Payment terms are settled as the sale is made: service during the sale.",
    },
    explanation="Service before the sale wins the order, service during it makes buying easy, and service "
    "after it keeps the customer and brings the next order.",
    hint="For each service, ask: has the customer decided to buy yet? Has the customer received the goods?",
)
