"""Exercises of casestudies/tea_chains/tea_chains.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.concepts import MultipleChoice, PutInOrder, SortIntoClasses
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "send_hour",
    "collab_one_and_done",
    "first_return_day",
    "reply_rule_max_cost",
    "welcome_journey_net",
    "brand_segmentation",
    "collab_journey",
    "loyal_not_only_satisfied",
]

#: Exercise 5's assumptions: a welcome journey costs this much per collab joiner (CNY) and
#: closes this share of the joiners' spend gap.
_JOURNEY_COST = 15
_JOURNEY_CLOSES = 0.25
#: Exercise 4's assumption: the share of the slow-reply gap that faster replies would win back.
_REPLY_REAL_SHARE = 1 / 3


@lru_cache(maxsize=1)
def _tea():
    """The tea tables, loaded once for all the exercises of this case."""
    return load_tea()


def _by_brand(values: pd.Series, brand: pd.Series) -> pd.Series:
    """Mean of ``values`` per brand, indexed by plain brand codes."""
    means = values.groupby(brand.astype(str).to_numpy()).mean()
    return means.rename_axis("brand_id")


def _days_since_joining() -> pd.DataFrame:
    """Every order with its member's join date, collab flag and day number since joining (0 = join day)."""
    tea = _tea()
    members = tea.members.assign(collab=tea.members["join_channel"].eq("collab campaign"))
    history = tea.orders.merge(members[["member_id", "join_date", "collab"]], on="member_id")
    history["day"] = (history["order_time"].dt.normalize() - history["join_date"]).dt.days
    return history


def _send_hour() -> pd.Series:
    orders = _tea().orders
    per_hour = orders.groupby([orders["brand_id"].astype(str).to_numpy(), orders["order_time"].dt.hour]).size()
    busiest = per_hour.unstack().idxmax(axis=1)
    return (busiest - 1).astype(int).rename_axis("brand_id")


def _collab_one_and_done() -> pd.Series:
    members = _tea().members
    history = _days_since_joining()
    came_back = set(history.loc[history["day"] >= 1, "member_id"])
    joiners = members[members["join_channel"] == "collab campaign"]
    return _by_brand(~joiners["member_id"].isin(came_back), joiners["brand_id"])


def _first_return_day() -> pd.Series:
    history = _days_since_joining()
    later = history[history["collab"] & (history["day"] >= 1)]
    first_back = later.groupby("member_id").agg(brand_id=("brand_id", "first"), day=("day", "min"))
    median = first_back["day"].groupby(first_back["brand_id"].astype(str).to_numpy()).median()
    return median.rename_axis("brand_id")


def _spend_gap(events: pd.DataFrame, hit: str) -> pd.Series:
    """Per brand: mean 180-day spend (days 1–180 after the event) of unhit minus hit members,
    events before 2025-07-01."""
    orders = _tea().orders
    seen = events[events["day"] < "2025-07-01"]
    o = orders[["member_id", "order_time", "net_amount"]].merge(seen[["member_id", "day"]], on="member_id")
    later = (o["order_time"].dt.normalize() - o["day"]).dt.days
    spent = o[later.between(1, 180)].groupby("member_id")["net_amount"].sum()
    spend = seen["member_id"].map(spent).fillna(0)
    means = spend.groupby([seen["brand_id"].astype(str).to_numpy(), seen[hit].to_numpy()]).mean().unstack()
    return means[False] - means[True]


def _first_complaints() -> pd.DataFrame:
    feedback = _tea().feedback
    first = feedback[feedback["is_complaint"]].sort_values("created_at").groupby("member_id", as_index=False).first()
    return first.assign(slow=first["response_hours"] > 24, day=first["created_at"].dt.normalize())


def _per_year(flags: pd.Series, brand: pd.Series) -> pd.Series:
    """Per brand: the number of True flags in the two years of data, per year."""
    return flags.groupby(brand.astype(str).to_numpy()).sum() / 2


def _reply_rule_max_cost() -> float:
    complaints = _first_complaints()
    at_stake = _per_year(complaints["slow"], complaints["brand_id"]) * _spend_gap(complaints, "slow")
    feedback = _tea().feedback
    every = feedback[feedback["is_complaint"]]
    per_year = every.groupby(every["brand_id"].astype(str).to_numpy()).size() / 2
    return round(float(_REPLY_REAL_SHARE * at_stake["T3"] / per_year["T3"]), 2)


def _welcome_journey_net() -> pd.Series:
    members = _tea().members
    joins = members.assign(collab=members["join_channel"].eq("collab campaign"), day=members["join_date"])
    joiners = _per_year(joins["collab"], joins["brand_id"])
    net = joiners * (_JOURNEY_CLOSES * _spend_gap(joins, "collab") - _JOURNEY_COST)
    return net.round(0).rename_axis("brand_id")


send_hour = Exercise(
    "For each brand, the hour at which to send the daily message: one hour before the brand's busiest hour of "
    "the day (Series indexed by brand_id, whole hours such as 9 or 17)",
    answer=_send_hour,
    hint=[
        "First find each brand's busiest hour: the hour with the most orders.",
        'Count the orders per hour and brand with pd.crosstab(orders["order_time"].dt.hour, orders["brand_id"]).',
        "On that table, .idxmax() gives the busiest hour of each brand (one per column); subtract 1.",
    ],
    decimals=0,
)

collab_one_and_done = Exercise(
    "Share of each brand's collab joiners who never ordered after their join day (Series by brand_id)",
    answer=_collab_one_and_done,
    hint=[
        "A member is one-and-done if no order of theirs has day 1 or later.",
        "The table history has a column day (0 = the join day). Collect the member_ids with an order on day 1 "
        'or later, then for the collab joiners (members["collab"]) take the share NOT in that set, per brand.',
    ],
    decimals=3,
)

first_return_day = Exercise(
    "For each brand: among the collab joiners who ordered again after their join day, the median number of "
    "days from joining to that first order back (Series by brand_id)",
    answer=_first_return_day,
    hint=[
        "Work in the table history: keep the rows of collab joiners with day 1 or later.",
        "For each member, the first order back is the smallest day; then take the median per brand.",
        'later = history[history["collab"] & (history["day"] >= 1)]; then group later by member_id for the '
        "min of day (keep brand_id too) and take the median of day per brand_id.",
    ],
    decimals=1,
)

reply_rule_max_cost = Exercise(
    "Snowy Cup (T3): the most a 24-hour reply rule may cost per complaint (CNY, every complaint of a year), if "
    "faster replies win back only a third of the revenue at stake from slow replies",
    answer=_reply_rule_max_cost,
    hint=[
        "The rule pays if what it wins back in a year is at least what it costs in a year.",
        'What it wins back: a third of leaks.loc["T3", ("slow complaint replies", "at stake per year")]. What it '
        'costs: the cost per complaint times the complaints in a year (signals["complaints"] counts two years).',
        "Divide a third of the revenue at stake by the number of complaints per year.",
    ],
    decimals=2,
)

welcome_journey_net = Exercise(
    "Per brand: net value per year (CNY) of a welcome journey for every collab joiner that costs 15 CNY per "
    "joiner and closes a quarter of the joiners' 180-day spend gap",
    answer=_welcome_journey_net,
    hint=[
        "Per joiner the journey wins back a quarter of the gap and costs 15 CNY; multiply by the joiners per year.",
        'The leaks table has both numbers under "collab joiners": "hit per year" and "gap per member".',
        'hit per year × (0.25 × gap per member − 15), per brand, from leaks["collab joiners"].',
    ],
    decimals=0,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
brand_segmentation = SortIntoClasses(
    "Chen Jing's analysts split the tea members in six ways. Which basis of segmentation (客户细分) does each "
    "split use?",
    choices=[
        "members who want a photogenic drink to share online vs members who want a cheap, sweet drink",
        "the top 20% of members by what they spent in 2025",
        "members who mostly order through the mini-program vs members who walk in",
        "members who want to skip the queue at lunchtime",
        "members by expected customer lifetime value",
        "members who buy in the evening vs in the afternoon",
    ],
    classes=["needs 需求", "value 价值", "behaviour 行为"],
    answer="A1 B2 C3 D1 E2 F3",
    feedback={
        "A": "This split is about what the member wants from a drink: a need.",
        "B": "What a member spent measures what the member is worth to the brand: value.",
        "C": "The channel a member uses is a purchase habit: behaviour.",
        "D": "Wanting to skip the queue is something the member wants: a need.",
        "E": "Lifetime value is the member's value to the brand over the whole relationship.",
        "F": "When a member buys is a purchase habit: behaviour.",
    },
    explanation="Needs ask what the customer wants, value what the customer is worth to the firm, and "
    "behaviour how the customer buys (habits, timing, channels).",
    hint=[
        "Ask of each split: is it about what members want, what they are worth, or how they buy?",
        "Spend and lifetime value are value; channel and time of day are behaviour.",
    ],
)

collab_journey = PutInOrder(
    "Follow one collab joiner at Aurora Leaf through the customer journey stages (客户旅程阶段). Put the "
    "events in order, the first one first.",
    choices=[
        "she buys the collab drink and signs up as a member",
        "she stops coming, and her member account goes quiet",
        "she sees the new game collab on social media",
        "a second-cup offer in week 2 brings her back to the store",
        "she compares the collab cup with a rival's limited cup",
        "she drinks it and posts a photo of the cup",
    ],
    answer="C E A F D B",
    feedback={
        "A": "Buying comes after she has heard of the collab and weighed it against other offers.",
        "B": "Leaving is the last stage, after every chance to keep her has passed.",
        "C": "Everything starts when she discovers the offer.",
        "D": "An offer that brings her back is the retain stage: it comes after she has used the product.",
        "E": "Comparing offers is the evaluate stage, between discovering and buying.",
        "F": "Drinking and sharing the cup is the use stage, right after buying.",
    },
    explanation="Discover, evaluate, buy, use, retain, leave: the journey stages of the customer operations "
    "slides. The case shows that collab joiners skip from use to leave, unless something happens in the first "
    "weeks.",
    hint=[
        "The first stage is discovering the offer; the last is leaving.",
        "The order is discover, evaluate, buy, use, retain, leave.",
    ],
)

loyal_not_only_satisfied = MultipleChoice(
    "Snowy Cup's members give it the highest NPS of the three brands. Which of these would show that they are "
    "loyal (客户忠诚), not only satisfied? Pick every one that applies.",
    choices=[
        "they come back week after week",
        "they buy snacks as well as drinks",
        "they bring friends to the store",
        "a rival's opening offer next door does not lure them away",
        "after one slow reply to a complaint they still come back",
        "they gave a high score in one survey",
        "they joined during a collab campaign",
    ],
    answer="A B C D E",
    feedback={
        "F": "A high score is satisfaction at one moment, a feeling; loyalty shows in what members do over time.",
        "G": "How a member joined says nothing about loyalty; in this case collab joiners lapse fastest.",
    },
    explanation="A loyal customer buys again regularly, buys across the range, recommends the brand, resists "
    "competitors' offers and forgives an occasional failure. Satisfaction can lead to loyalty, but it is not "
    "the same thing.",
    hint=[
        "Loyalty shows in behaviour over time, not in a single answer.",
        "Five of the options are the five traits of a loyal customer.",
    ],
)
