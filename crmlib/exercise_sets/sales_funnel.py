"""Exercises of notebooks/02_development/01_sales_funnel.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import develop
from crmlib.concepts import PutInOrder, SingleChoice, SortIntoClasses
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


#: The Chinese name of each sales stage (book/glossary.csv) -> the name the data uses: either passes.
_STAGE_NAMES_ZH = {
    "初步接触": "prospecting",
    "资格审查": "qualification",
    "需求分析": "needs analysis",
    "方案与报价": "proposal",
    "商务谈判": "negotiation",
    "赢单": "won",
}


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
    decimals=3,
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
    aliases=_STAGE_NAMES_ZH,
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


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["development_steps", "relationship_starts", "win_or_keep_cost", "healthy_or_fixable_loss"]

development_steps = PutInOrder(
    "Put the stages of customer development (客户开发) in order, from a name on a list to the last step "
    "before the deal is won or lost.",
    choices=[
        "proposal 方案与报价",
        "qualification 资格审查",
        "lead 销售线索",
        "negotiation 商务谈判",
        "first contact 初步接触",
        "needs analysis 需求分析",
    ],
    answer="C E B F A D",
    feedback={
        "A": "An offer can only fit once you know what the prospect needs. So the proposal comes right after "
        "the needs analysis, and before the talk about price and contract.",
        "B": "Qualification checks need, budget and who decides. It follows the first contact: there is no "
        "point in studying the needs of someone who cannot buy.",
        "C": "Everything starts with a lead: a name and a reason to think they might buy. Nobody has talked "
        "to them yet.",
        "D": "Negotiation settles price, terms and the contract of an offer already made. It is the last "
        "step before the deal is won or lost.",
        "E": "First contact is the first real conversation with the prospect. It follows the lead and comes "
        "before you can judge whether the prospect qualifies.",
        "F": "Needs analysis comes once a prospect qualifies, and before the proposal: the offer is built "
        "on the needs it finds.",
    },
    explanation="Lead, first contact, qualification, needs analysis, proposal, negotiation, then won or lost. "
    "Fewer prospects reach each next stage, so a drawing of the counts narrows like a funnel (销售漏斗).",
    hint=[
        "What must you know before you can write an offer?",
        "Qualification asks: can they buy at all? Needs analysis asks: what exactly do they need?",
    ],
)

relationship_starts = SingleChoice(
    "When does the relationship between a firm and a customer (客户关系) begin?",
    choices=[
        "when the customer places the first order",
        "when the customer signs the contract at the end of the negotiation",
        "at the first contact, while nothing has been bought yet",
        "when the customer has bought several times and counts as loyal",
    ],
    answer="C",
    feedback={
        "A": "By the first order the prospect has already formed a view of the firm from how it was treated. "
        "Many prospects never order at all because of that view.",
        "B": "The contract is the result of many earlier conversations. The trust (or distrust) that decides "
        "it was built during them.",
        "D": "Loyalty is a late stage of a relationship, not its start. Repeat buying grows out of a "
        "relationship that already exists.",
    },
    explanation="The relationship begins at the first contact (首次接触): how a stranger is treated before "
    "buying anything decides whether, and how, they become a customer.",
    hint="Think of a prospect who was never won: do they remember anything about the firm?",
)

win_or_keep_cost = SingleChoice(
    "Which statement about the cost of winning and of keeping customers is the one CRM builds on?",
    choices=[
        "Winning a new customer usually costs several times as much as keeping an existing one.",
        "Keeping a customer costs more than winning one, because existing customers expect discounts and service.",
        "Both cost about the same, so a firm should spend where it has the most customers.",
        "Winning a customer is cheap when the lead source is cheap per lead.",
    ],
    answer="A",
    feedback={
        "B": "Keeping a customer does cost care and service. But winning one takes marketing to strangers and "
        "many contacts, including all the deals that are lost on the way. In the retailer's data, winning an "
        "account cost several times a year of care.",
        "C": "The two costs are far apart. That gap is exactly why CRM moves the goal from winning customers "
        "to keeping them.",
        "D": "A cheap lead can make an expensive customer: if few of those leads are won, each won customer "
        "carries the cost of all the wasted ones. Judge a source by its cost per won customer.",
    },
    explanation="Acquiring a new customer (获取新客户) costs several times more than keeping one (客户保持). "
    "So CRM puts keeping and growing existing customers first.",
    hint="Section 8 put numbers on both costs. Which was larger, and by how much?",
)

healthy_or_fixable_loss = SortIntoClasses(
    "Prospects leave the funnel for many reasons. Sort each reason: is the loss healthy, or a problem the "
    "firm could fix?",
    choices=[
        "The prospect has no real need for our products.",
        "After one call nobody on their side answered, and nobody on ours tried another way in.",
        "The order would be too small to cover the cost of the visits.",
        "The rep did not follow up for a month, and the prospect bought elsewhere.",
        "Our proposal missed what the prospect needed, because nobody asked.",
    ],
    classes=["healthy: the prospect should leave early", "a problem the firm could fix"],
    answer="A1 B2 C1 D2 E2",
    feedback={
        "A": "Without a need, no visit will change the answer. Letting such a prospect go early saves the "
        "rep's time for better ones: a healthy loss.",
        "B": "This is 'lost contact': the conversation stopped because nobody kept it going. Another channel "
        "or another person to call might have saved it, so the firm can fix it.",
        "C": "If selling costs more than the deal brings, leaving early is the right result. This is what "
        "qualification is for.",
        "D": "A month of silence let a competitor in. A follow-up rule would have kept the deal warm, so this "
        "is a problem the firm can fix.",
        "E": "A careful needs analysis (需求分析) would have found the need before the proposal. The firm "
        "can fix this.",
    },
    explanation="Some losses are the funnel doing its job; others, like lost contact and missed needs, are "
    "where a manager can win deals back by better follow-up and better questions.",
    hint="Ask of each reason: would a better rep or a better process have changed the outcome?",
)
