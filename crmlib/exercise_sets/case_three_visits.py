"""Exercises of casestudies/three_visits/three_visits.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import develop
from crmlib.concepts import PutInOrder, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "reps_to_coach",
    "extra_wins_pooled",
    "sceptic_net_value",
    "two_visit_net_value",
    "hotel_deal_steps",
    "sales_rules",
    "follow_up_alert",
]

#: What the case assumes a visit costs (CNY), and the sceptic's share of the gap caused by visits.
_COST_PER_VISIT = 1000
_SCEPTIC_SHARE = 0.3


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


def _reps_to_coach() -> list[str]:
    closed = _closed()
    lost = closed[~closed["won"]]
    early = lost["visits"] <= 1
    per_rep = early.groupby(lost["rep_id"]).mean()
    return sorted(per_rep[per_rep > early.mean()].index)


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


def _margin_share() -> float:
    """Margin as a share of sales on the business (account) orders."""
    retail = _retail()
    lines = retail.order_lines.merge(retail.orders[["order_id", "channel"]], on="order_id")
    business = lines[lines["channel"] == "account"]
    return float(business["margin"].sum() / business["line_amount"].sum())


def _net_value_per_year(target: int, real_share: float = 1.0) -> float:
    """Net value per year of a rule giving every closed deal with fewer than `target` visits
    `target` of them: `real_share` of the extra margin, minus the extra visits' cost."""
    rate = _rate(5)
    closed = _closed()
    short = closed[closed["visits"] < target]
    uplift = rate[target] - short["visits"].map(rate)
    margin = (uplift * short["amount"]).sum() * _margin_share()
    cost = (target - short["visits"]).sum() * _COST_PER_VISIT
    return float((real_share * margin - cost) / 2)


def _sceptic_net_value() -> float:
    return round(_net_value_per_year(3, _SCEPTIC_SHARE))


def _two_visit_net_value() -> float:
    return round(_net_value_per_year(2))


reps_to_coach = Exercise(
    "The reps who let a larger share of their lost deals go after at most one visit than the team as a "
    "whole does (a list of rep_id)",
    answer=_reps_to_coach,
    hint=[
        "First compute the team's share: of all lost deals, the share with at most one visit.",
        'lost["visits"].le(1).mean() is the team\'s share; per_rep["dropped_after_one"] has each rep\'s.',
        'Keep the reps whose share is above the team\'s: per_rep.index[per_rep["dropped_after_one"] > team], '
        "as a list.",
    ],
    ignore_order=True,
)
extra_wins_pooled = Exercise(
    "Rule A's expected extra wins with the pooled win rate of deals with 3+ visits as the target",
    answer=_extra_wins_pooled,
    hint=[
        "Only the target changes: the same short deals, the same rates w(k) for their own visits.",
        "develop.win_rate_by_touches(opps, acts, max_touches=3) pools every deal with 3 or more visits into the "
        "row touches == 3.",
        'Take that pooled rate as the target, subtract short["visits"].map(rate) (the rates of section 1), and sum.',
    ],
    decimals=1,
)

sceptic_net_value = Exercise(
    "Rule A's net value per year (CNY) if only 30% of the observed win-rate gap is caused by the visits: "
    "0.3 × the extra margin minus the cost of the extra visits, per year",
    answer=_sceptic_net_value,
    hint=[
        "Only part of the extra margin counts, but every extra visit still costs money.",
        'The table value holds two-year totals: value["extra margin (CNY)"] and value["cost of extra visits (CNY)"].',
        "(0.3 × extra margin − cost of extra visits) / 2.",
    ],
    decimals=0,
)

two_visit_net_value = Exercise(
    "Net value per year (CNY) of the softer rule 'at least two visits': extra margin minus the cost of the "
    "extra visits at 1,000 CNY each, per year",
    answer=_two_visit_net_value,
    hint=[
        "Do for two visits what section 3 did for three: the deals with fewer than two visits, their uplift "
        "to w(2), the extra margin and the extra visits.",
        'fewer = closed[closed["visits"] < 2]; uplift = rate[2] - fewer["visits"].map(rate); extra visits '
        '= 2 - fewer["visits"].',
        "Net value per year = ((uplift × amount).sum() × margin_share − extra visits.sum() × COST_PER_VISIT) / 2.",
    ],
    decimals=0,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
hotel_deal_steps = PutInOrder(
    "The hotel group was lost because the rep never came back after the first visit. Had the deal gone "
    "all the way, in what order would these steps of customer development (客户开发) have come?",
    choices=[
        "the rep sends an offer for towels and bedding for three of the group's hotels",
        "the rep checks that the group has a budget for new linen and learns who signs",
        "the group's buyer leaves a card at the retailer's stand at a trade fair",
        "the contract is signed",
        "the rep learns which hotels are being refitted and what guests complain about",
        "price and delivery dates are agreed with the purchasing director",
        "the rep's first visit: an introduction and a look at the hotels",
    ],
    answer="C G B E A F D",
    feedback={
        "A": "An offer (方案与报价) can only fit once the rep knows the needs; it comes after the needs analysis.",
        "B": "Checking budget and decision maker is qualification (资格审查); it follows the first contact.",
        "C": "A card left at a fair is a lead (销售线索): it comes before anyone has talked.",
        "D": "Signing is the end: the deal is won (赢单).",
        "E": "Learning what the customer needs is the needs analysis (需求分析), after qualification.",
        "F": "Agreeing price and dates is the negotiation (商务谈判), after the offer and before the signature.",
        "G": "The first visit is the first contact (初步接触), right after the lead.",
    },
    explanation="Lead, first contact, qualification, needs analysis, proposal, negotiation, won. The rep of "
    "the case stopped after the second step: every later step needs the rep to come back.",
    hint=[
        "Where does every deal start, and where does it end?",
        "Between first contact and the offer, the rep must learn whether the customer can buy and what it needs.",
    ],
)

sales_rules = SortIntoClasses(
    "Lin Hui reads the habits of her team. Is each one transaction marketing or relationship marketing?",
    choices=[
        "a rep is paid only on the deals closed this month",
        "a follow-up visit a month after delivery to check that the goods work",
        "dropping a prospect after the first 'not now'",
        "recording the buyer's goals in the CRM so the next visit builds on them",
        "a deep discount to close before the quarter ends, whether or not it fits the customer",
        "keeping in touch with a customer who signed with a competitor, to learn why",
    ],
    classes=["transaction marketing 交易营销", "relationship marketing 关系营销"],
    answer="A1 B2 C1 D2 E1 F2",
    feedback={
        "A": "Pay for this month's deals counts the single sale, not the customer over the years.",
        "B": "Service after the sale keeps the relationship going once the deal is done.",
        "C": "Giving up after one try treats the prospect as a single transaction, not a relationship to build.",
        "D": "Remembering the customer's goals builds the relationship visit by visit.",
        "E": "A discount that ignores the customer's needs buys this quarter's sale.",
        "F": "Staying in touch after a loss invests in the next deal and in understanding the customer.",
    },
    explanation="Transaction marketing counts this sale; relationship marketing invests in the customer over "
    "time, before, during and after each deal. Rule A is a relationship rule: it keeps the conversation going.",
    hint=[
        "Ask of each habit: is it about this deal only, or about the customer over time?",
        "Follow-ups, records of the customer's goals and staying in touch build relationships.",
    ],
)

follow_up_alert = SingleChoice(
    "The hotel group's buyer said they never heard from the rep again. Which CRM feature would most directly "
    "have saved that deal?",
    choices=[
        "a bigger discount in the first offer",
        "an alert when an open deal has had no contact for two weeks, shown to the rep and the manager",
        "more leads from trade fairs",
        "a monthly report of each rep's won deals",
    ],
    answer="B",
    feedback={
        "A": "A discount does not help if nobody goes back to talk about it.",
        "C": "More leads give the rep more deals to drop; the problem was the follow-up.",
        "D": "A report of won deals shows results, not the deals that are going quiet.",
    },
    explanation="A manager must see the follow-up status of every open deal and the deals about to be lost for "
    "want of contact. An alert on silence does exactly that, while the deal can still be saved.",
    hint=["What went wrong: the offer, the number of leads, or the follow-up?"],
)
