"""Exercises of notebooks/03_communication/01_channels_and_two_way_communication.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib.concepts import MatchPairs, SingleChoice
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["late_complaint_channel", "accept_promise_hours"]

_tea, _retail = cache(load_tea), cache(load_retail)  # each dataset read once per session, for all exercises


def _late_complaint_channel() -> str:
    fb = _tea().feedback
    late = fb[fb["is_complaint"] & (fb["response_hours"] > 24)]
    return str(late.groupby("channel", observed=True).size().idxmax())


def _accept_promise_hours() -> pd.Series:
    tickets = _retail().tickets
    hours = (tickets["accepted_at"] - tickets["received_at"]) / pd.Timedelta(hours=1)
    promises = {}
    for channel, waited in hours.groupby(tickets["channel"], observed=True):
        waited = waited.dropna()
        promise = 1
        while (waited <= promise).mean() < 0.9:  # the shortest whole-hour promise kept for 9 in 10
            promise += 1
        promises[channel] = promise
    return pd.Series(promises)


late_complaint_channel = Exercise(
    "The channel with the most tea-chain complaints answered more than 24 hours after they were made",
    answer=_late_complaint_channel,
    hint=[
        "Keep the complaints whose response_hours is above 24.",
        "Count those late complaints per channel (value_counts) and take the channel with the largest count (idxmax).",
    ],
)

accept_promise_hours = Exercise(
    "Per channel of the retailer's tickets, the shortest whole number of hours H within which at least 9 in 10 "
    "of the channel's tickets were accepted (a Series of whole numbers indexed by channel)",
    answer=_accept_promise_hours,
    hint=[
        "Work out each ticket's hours from received_at to accepted_at; leave out tickets never accepted.",
        "Per channel, 9 in 10 tickets wait at most the 90th percentile of those hours.",
        "hours.groupby(tickets['channel'], observed=True).quantile(0.9, interpolation='higher'), rounded up "
        "to whole hours with np.ceil and turned into whole numbers with .astype(int).",
    ],
    rtol=0,
    ignore_order=True,
)

# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += [
    "two_way_communication",
    "conduct_principles",
    "broken_principle",
    "communication_skills",
]

two_way_communication = SingleChoice(
    "What makes customer communication two-way (双向沟通)?",
    choices=[
        "The firm sends its messages through two channels, for example posters and short videos.",
        "The firm answers every customer message within two hours.",
        "A customer can talk to more than one member of staff.",
        "What customers say comes back to the firm and changes what it does, for example its products.",
    ],
    answer="D",
    feedback={
        "A": "Two channels that only send are still one-way: nothing comes back from the customer. The number "
        "of channels is not the point.",
        "B": "Fast answers help, but speed alone is not enough if what customers say never changes anything.",
        "C": "The number of staff does not matter. What matters is whether the customer's voice reaches the "
        "firm and is acted on.",
    },
    explanation="Two-way means the firm listens and acts, not only broadcasts. In the lead case the comments "
    "under a video turned into a half-size loaf within weeks.",
    hint="Think of the bakery in the lead case. What did the product team do with the comments?",
)

conduct_principles = MatchPairs(
    "Match each principle of customer communication with the reply that follows it.",
    choices=[
        "know your role as the sender 明确自己的角色",
        "understand the facts and priorities 了解事实，分清主次",
        "start from what the receiver needs 从对方的需要出发",
        "involve the customer 让客户参与",
        "turn talk into agreed actions 把沟通变为共同行动",
    ],
    targets=[
        "'A fitter will come on Thursday morning, and I will call you on Friday to check.'",
        "'Before I answer: which shop was it, and at about what time?'",
        "'What would make this right for you?'",
        "'Only the store manager can decide on a refund, so I will not promise one; I will pass your request on.'",
        "'You asked about Sunday: we open at 9:00.'",
    ],
    answer="A4 B2 C5 D3 E1",
    feedback={
        "A": "Knowing your role means speaking for the brand and promising only what it can keep. Look for the "
        "reply that is careful about what it promises.",
        "B": "Facts first: look for the reply that finds out what happened before it answers.",
        "C": "Starting from the receiver's needs means answering exactly the question that was asked.",
        "D": "Involving the customer means asking for the customer's opinion or wishes.",
        "E": "Agreed actions say who does what, and by when.",
    },
    explanation="Each principle shows in the words of a reply: a careful promise, a question about the facts, "
    "a straight answer, a question about the customer's wishes, and a plan with dates.",
    hint="Start with the easiest pairs: which reply gives dates, and which one asks the customer's opinion?",
)

broken_principle = SingleChoice(
    "A tea brand promises every member a free drink on their birthday, then quietly drops the offer without "
    "telling anyone. Which principle of customer communication does it break most directly?",
    choices=[
        "equality 平等",
        "mutual benefit 互惠",
        "compatibility 相容",
        "credibility 信用",
        "development 发展",
    ],
    answer="D",
    feedback={
        "A": "Equality means neither side talks down to the other. The brand did not talk down to anyone; it "
        "failed to keep its word.",
        "B": "The members did lose a benefit, but the deeper damage is that the brand's promises can no longer "
        "be believed.",
        "C": "Compatibility means respecting the other side's interests and style. The problem here is a "
        "promise made and then broken in silence.",
        "E": "Development looks at how each exchange builds the relationship. Breaking a promise harms that "
        "too, but the principle broken first is keeping one's word.",
    },
    explanation="Credibility (信用) means saying what is true and doing what was said. A promise dropped in "
    "silence tells members that the brand's next promise is worth little too.",
    hint="Which principle is about promises?",
)

communication_skills = MatchPairs(
    "Match each skill of customer communication with the reply that shows it. One reply shows none of the three.",
    choices=[
        "rapport 亲和关系",
        "precise messages 信息准确",
        "multi-channel interaction 多渠道互动",
    ],
    targets=[
        "A member asked in the mini-program how to clean the new travel cup. The answer comes in the "
        "mini-program, with a link to a short video that shows it.",
        "'We are sorry. We will look into it.'",
        "The agent lets the caller finish, repeats the problem in her own words and asks: 'Did I get that right?'",
        "'Your refund of 38 yuan for order 2024-1187 reaches your bank card by Friday 14 June.'",
    ],
    answer="A3 B4 C1",
    feedback={
        "A": "Rapport is built by listening actively and showing a sincere interest in the person. Look for the "
        "reply that proves the agent has understood.",
        "B": "A precise message is clear and complete: the customer has nothing left to guess. Look for the reply "
        "with the amount, the order and the date.",
        "C": "Multi-channel interaction answers in the channel the customer chose and uses each channel for what "
        "it does best. Look for the reply that stays in the app and adds a video.",
    },
    explanation="Active listening builds rapport, a reply with amount, order and date is precise, and an "
    "answer in the customer's own channel with a video added is multi-channel interaction. 'We will look "
    "into it' shows none of them: it is polite, but vague.",
    hint=[
        "Start with the reply that leaves the customer nothing to guess.",
        "Which reply does not say what will happen, or when? That one is left over.",
    ],
)
