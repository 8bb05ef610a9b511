"""Exercises of notebooks/03_communication/01_channels_and_two_way_communication.ipynb."""

from __future__ import annotations

from functools import cache

from crmlib import communicate
from crmlib.concepts import MatchPairs, MultipleChoice, SingleChoice
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["hotline_ticket_share", "email_accepted_within_4h", "busiest_hotline_hour", "points_mentions"]

_tea, _retail = cache(load_tea), cache(load_retail)  # each dataset read once per session, for all exercises


def _hotline_ticket_share() -> float:
    mix = communicate.channel_mix(_retail().tickets).set_index("channel")
    return round(float(mix.loc["hotline", "share"]), 3)


def _email_accepted_within_4h() -> float:
    times = communicate.response_times(_retail().tickets, start="received_at", end="accepted_at", sla_hours=4)
    return round(float(times.set_index("channel").loc["e-mail", "within_sla"]), 3)


def _busiest_hotline_hour() -> int:
    fb = _tea().feedback
    calls = fb[(fb["channel"] == "hotline") & fb["is_complaint"]]
    return int(calls["created_at"].dt.hour.value_counts().idxmax())


def _points_mentions():
    tagged = communicate.tag_feedback(_tea().feedback, rules={"points": ["积分", "points"]})
    return tagged[tagged["primary_tag"] == "points"].groupby("brand_id", observed=True).size()


hotline_ticket_share = Exercise(
    "Share of the retailer's tickets that came in by hotline, rounded to 3 decimals",
    answer=_hotline_ticket_share,
    hint="communicate.channel_mix(retail.tickets) gives each channel's count and share; "
    'set_index("channel") and pick the hotline row\'s share.',
    atol=5e-4,
)

email_accepted_within_4h = Exercise(
    "Share of the retailer's e-mail tickets accepted within 4 hours of arriving, rounded to 3 decimals",
    answer=_email_accepted_within_4h,
    hint='Call communicate.response_times with start="received_at", end="accepted_at" and sla_hours=4; '
    "it groups by channel. Read the e-mail row's within_sla.",
    atol=5e-4,
)

busiest_hotline_hour = Exercise(
    "The hour of the day (0-23) in which the tea hotline received the most complaints",
    answer=_busiest_hotline_hour,
    hint='Keep the feedback rows with channel "hotline" and is_complaint True, take .dt.hour of created_at, '
    "then .value_counts().idxmax().",
)

points_mentions = Exercise(
    "Per brand, the number of feedback texts that mention loyalty points (积分 or points), "
    "a Series indexed by brand_id",
    answer=_points_mentions,
    hint='communicate.tag_feedback(feedback, rules={"points": ["积分", "points"]}) tags each row; keep the rows '
    'whose primary_tag is "points" and count them by brand_id.',
    ignore_order=True,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["two_way_communication", "conduct_principles", "broken_principle", "call_centre_tasks"]

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
