"""Exercises of notebooks/03_communication/01_channels_and_two_way_communication.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib.concepts import MatchPairs, MultipleChoice, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["late_complaint_channel", "accept_promise_hours", "busiest_hotline_hour", "silent_won_accounts"]

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


def _busiest_hotline_hour() -> int:
    fb = _tea().feedback
    calls = fb[(fb["channel"] == "hotline") & fb["is_complaint"]]
    return int(calls["created_at"].dt.hour.value_counts().idxmax())


def _silent_won_accounts() -> int:
    retail = _retail()
    won = retail.opportunities[retail.opportunities["status"] == "won"]
    contacted = set(retail.activities["customer_id"].dropna())
    return int(sum(account not in contacted for account in won["customer_id"].unique()))


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

busiest_hotline_hour = Exercise(
    "The hour of the day (0-23) in which the tea hotline received the most complaints",
    answer=_busiest_hotline_hour,
    hint='Keep the feedback rows with channel "hotline" and is_complaint True, take .dt.hour of created_at, '
    "then .value_counts().idxmax().",
)

silent_won_accounts = Exercise(
    "The number of accounts won in the data (opportunities with status 'won') that have no contact at all "
    "in the activities table under their customer_id (a whole number)",
    answer=_silent_won_accounts,
    hint=[
        "After the signature, a rep's contacts are filed under the account's customer_id.",
        "Collect the customer_ids that appear in retail.activities, then count the won accounts not among them "
        "(~won['customer_id'].isin(...)).",
    ],
    rtol=0,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += [
    "two_way_communication",
    "conduct_principles",
    "broken_principle",
    "call_centre_tasks",
    "service_phases",
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
    "under a video turned into a half-sugar loaf within weeks.",
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

call_centre_tasks = MultipleChoice(
    "What does a call centre (呼叫中心) do for a firm?",
    choices=[
        "answer customers' enquiries",
        "set the prices of the products",
        "take complaints and suggestions",
        "replace face-to-face service, so that shops need fewer staff",
        "give information and collect feedback for the rest of the firm",
    ],
    answer="A C E",
    feedback={
        "B": "Prices are set by management and marketing. The hotline can pass on what customers say about "
        "prices, but it does not set them.",
        "D": "A hotline adds a channel; it does not replace the others. Customers should be able to choose "
        "their channel, and many still prefer face to face.",
    },
    explanation="Hotline agents (话务员) answer enquiries, take complaints and suggestions, give information "
    "and collect feedback: the call centre is both a service desk and one of the firm's ears.",
    hint="Think of what customers ring a hotline about, and of what the firm learns from those calls.",
)

service_phases = SortIntoClasses(
    "Service starts before the sale, runs through it and goes on after it. Sort each task of a furniture "
    "retailer into its phase.",
    choices=[
        "A showroom adviser helps a couple measure their living room before they choose a sofa.",
        "A rep sends a hotel a quote and samples of the fabric.",
        "At the till, the salesperson explains the ways to pay and confirms the delivery day.",
        "The contract with the hotel is signed and the first order is booked.",
        "A week after delivery, a call asks whether the sofa is comfortable.",
        "A broken hinge is repaired under the warranty.",
    ],
    classes=["pre-sale service 售前服务", "in-sale service 售中服务", "after-sale service 售后服务"],
    answer="A1 B1 C2 D2 E3 F3",
    feedback={
        "A": "The couple has not bought anything yet: helping them choose is pre-sale service.",
        "B": "A quote and samples help the hotel decide whether to buy: that is before the sale.",
        "C": "Paying and fixing the delivery day are part of the purchase itself: in-sale service.",
        "D": "Signing and booking the first order are the sale itself: in-sale service.",
        "E": "The sofa has been delivered; the call checks that the customer is happy with it: after-sale "
        "service, a return visit (回访).",
        "F": "A repair under warranty comes after the purchase: after-sale service.",
    },
    explanation="Pre-sale service helps the customer choose, in-sale service makes buying easy and sure, and "
    "after-sale service makes the product work for the customer and opens the way to the next purchase.",
    hint=[
        "Ask for each task: has the customer decided to buy yet? Has the purchase been completed?",
        "Before the decision: pre-sale. The purchase itself (paying, signing, booking): in-sale. Everything "
        "once the goods are with the customer: after-sale.",
    ],
)
