"""Exercises of casestudies/grocer_ccpr/grocer_ccpr.ipynb (the neighbourhood grocer, CCPR)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.cases.grocer import generate_grocer_events
from crmlib.concepts import MatchPairs, SingleChoice
from crmlib.exercises import Exercise

__all__ = [
    "lost_quiet_share",
    "kept_if_prompt",
    "price_match_coverage",
    "ccpr_actions",
    "seven_p",
    "customer_centred",
]

_LEARN_DAYS = 21  # the learning period at the start of the log
_FOLLOW_DAYS = 21  # the follow-up at its end, so every signal has three weeks to come back


@lru_cache(maxsize=1)
def _case():
    """The case's shop and its signal visits (one row per visit and item), found as in the notebook."""
    shop = generate_grocer_events()
    events = shop.events
    visits = (
        events.dropna(subset=["visit_id"])
        .groupby("visit_id")
        .agg(customer_id=("customer_id", "first"), start=("timestamp", "min"))
    )
    learn_end = events["timestamp"].min().normalize() + pd.Timedelta(days=_LEARN_DAYS)
    watch_end = events["timestamp"].max().normalize() + pd.Timedelta(days=1 - _FOLLOW_DAYS)
    buys = events[events["event_type"] == "purchase"]
    counts = buys[buys["timestamp"] < learn_end].groupby(["customer_id", "item_id"]).size()
    habits = counts[counts >= 2].rename("times_bought").reset_index()
    shelf = events[events["event_type"].isin(["pick_up", "put_back", "purchase"])]
    per_item = (
        shelf.groupby(["visit_id", "customer_id", "item_id", "event_type"], observed=True)
        .size()
        .unstack(fill_value=0)
        .reset_index()
    )
    per_item["visit_start"] = per_item["visit_id"].map(visits["start"])
    watched = per_item[(per_item["visit_start"] >= learn_end) & (per_item["visit_start"] < watch_end)]
    watched = watched.merge(habits, on=["customer_id", "item_id"], how="left")
    signals = watched[(watched["put_back"] > 0) & (watched["purchase"] == 0) & watched["times_bought"].notna()]
    signals = signals.copy()
    last_visit = visits.groupby("customer_id")["start"].max()
    signals["came_back"] = signals["customer_id"].map(last_visit) > signals["visit_start"]
    last_put_back = (
        events[events["event_type"] == "put_back"]
        .groupby(["visit_id", "item_id"])["timestamp"]
        .max()
        .rename("put_back_at")
    )
    signals = signals.join(last_put_back, on=["visit_id", "item_id"])
    responses = events.loc[events["event_type"] == "response", ["customer_id", "item_id", "timestamp"]].rename(
        columns={"timestamp": "response_at"}
    )
    signals = signals.merge(responses, on=["customer_id", "item_id"], how="left")
    delay = (signals["response_at"] - signals["put_back_at"]).dt.total_seconds() / 3600
    signals["delay_hours"] = delay.where(delay > 0)
    signals = signals.sort_values("delay_hours").drop_duplicates(["visit_id", "item_id"])
    return shop, signals


def _lost_quiet_share() -> float:
    _, signals = _case()
    lost = signals[~signals["came_back"]]
    return round(float((lost["pick_up"] < 2).mean()), 2)


def _kept_if_prompt() -> int:
    _, signals = _case()
    fast = signals["delay_hours"] <= 1  # a missing delay (no answer) is not fast
    slower = signals[~fast]
    gain = signals.loc[fast, "came_back"].mean() - slower["came_back"].mean()
    return int(round(len(slower) * gain))


def _price_match_coverage() -> float:
    shop, signals = _case()
    items = shop.items.set_index("item_id")
    cheaper = (items["price"] - items["competitor_price"]) / items["price"] >= 0.10
    return round(float(signals["item_id"].map(cheaper).mean()), 2)


lost_quiet_share = Exercise(
    "Of the signal visits after which the customer never came back, the share in which the habitual item was "
    "picked up only once (the quiet form of the signal)",
    answer=_lost_quiet_share,
    hint=[
        "First keep only the signals that ended with a lost customer: the came_back column tells you which.",
        "The quiet form is a signal whose pick_up count is below 2; the share is the mean of that True/False test.",
        "lost = signals[~signals['came_back']], then the mean of lost['pick_up'] < 2.",
    ],
    decimals=2,
)

kept_if_prompt = Exercise(
    "If every signal had been answered within the hour, and those customers had come back as often as the ones "
    "answered within the hour did, how many more signalled customers would have come back in the watch window?",
    answer=_kept_if_prompt,
    hint=[
        "Only the signals that were not answered within the hour can gain anything.",
        "Their gain is the difference between two save rates: the rate of the signals answered within the hour, "
        "and the rate of the slower (or unanswered) signals themselves.",
        "Split signals by response == 'within 1 hour'; multiply the number of the other signals by "
        "(save rate of the fast ones - save rate of the others), and round.",
    ],
    decimals=0,
)

price_match_coverage = Exercise(
    "Share of all signal visits whose item the supermarket sells at least 10% cheaper (the price-match short list)",
    answer=_price_match_coverage,
    hint=[
        "Section 5 built a True/False Series, cheaper, with one value per item_id.",
        "Look up each signal's item in it with .map(); the share is the mean.",
        "signals['item_id'].map(cheaper).mean(), rounded.",
    ],
    decimals=2,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
ccpr_actions = MatchPairs(
    "CCPR names four things customers expect (CCPR经营模式). Match each requirement with what Mrs Wang does "
    "in this case.",
    choices=["convenience 方便", "care 关怀", "personalisation 个性化", "prompt response 立即响应"],
    targets=[
        "a word with Mr Zhang about his soy sauce before he reaches the door",
        "the shop fully stocked and staffed at the two rush hours, and a tab for those who like to pay monthly",
        "his usual items ready when he comes, and a reminder when his soy sauce is due",
        "treating a hesitating customer as a question to answer kindly, never as a chance to charge more",
    ],
    answer="A2 B4 C3 D1",
    feedback={
        "A": "Convenience is about making buying easy for everyone: the right hours, stock, queue and way to pay.",
        "B": "Care is the attitude behind the service: the data is there to help the customer, not to squeeze him.",
        "C": "Personalisation uses what the shop knows about one customer: his own items and his own timing.",
        "D": "Prompt response answers a moment that will not come back: while the customer is still in the shop.",
    },
    explanation="Convenience and care hold for every customer; personalisation and prompt response need to know "
    "who the customer is and what he is doing right now, which is what the shelf log adds.",
    hint=[
        "Which action only works while Mr Zhang is still in the shop?",
        "Which action would help any customer, even one the shop does not know?",
    ],
)

seven_p = MatchPairs(
    "The 7P customer analysis of CRM (客户关系管理的7P分析, not the 7P of the marketing mix) looks at customers "
    "from seven sides. Match four of them with a part of this case.",
    choices=[
        "Profiling 客户概况分析",
        "Persistency 客户忠诚度分析",
        "Profitability 客户利润分析",
        "Promotion 客户促销分析",
    ],
    targets=[
        "what a saved customer's baskets are worth in margin over a year",
        "each customer's habitual items, household size and tab",
        "who comes back after a signal, and who never does",
        "the price-match offer: which customers get it, and on which items",
    ],
    answer="A2 B3 C1 D4",
    feedback={
        "A": "Profiling describes who the customer is: tastes, habits, household, credit.",
        "B": "Persistency is about loyalty: whether and how long the customer stays, and how that changes.",
        "C": "Profitability is about money: the margin or profit a customer brings.",
        "D": "Promotion plans and manages offers and campaigns: who gets which offer.",
    },
    explanation="The same shop log answers several of the 7P questions: who the customer is (profiling), "
    "whether he stays (persistency), what he is worth (profitability) and what to offer him (promotion).",
    hint=["Which part is about money, which about staying, which about an offer?"],
)

customer_centred = SingleChoice(
    "A discount supermarket opens two streets away, cheaper on some items. Which answer shows a customer-centred "
    "business (以客户为中心)?",
    choices=[
        "Cut every price to the supermarket's level.",
        "Change nothing: the shop's goods are good, so customers will come back anyway.",
        "A price match on the few items a customer is comparing, offered to that customer, with the shop's "
        "personal service.",
        "Put up a poster that compares the two shops' prices on every item.",
    ],
    answer="C",
    feedback={
        "A": "A general price cut reacts to the market as a whole, not to what each customer needs, and it costs "
        "margin on every basket, including those of customers who were never going to leave.",
        "B": "That is the product-centred view (以产品为中心: 'a good product sells itself', 皇帝女儿不愁嫁). "
        "The case shows that signalled customers who get no answer often leave.",
        "D": "A poster says the same thing to everyone. It studies the market, not the individual customer: the "
        "market-oriented stage (以市场为导向).",
    },
    explanation="In the customer-centred stage the needs of each customer decide what the firm does. The shop "
    "knows who is comparing which item and answers that customer, at a small cost.",
    hint=[
        "The three stages of CRM's evolution: product-centred, market-oriented, customer-centred.",
        "Which answer would be different for Mr Zhang than for his neighbour?",
    ],
)
