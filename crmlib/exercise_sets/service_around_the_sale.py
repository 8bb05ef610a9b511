"""Exercises of notebooks/03_communication/04_service_around_the_sale.ipynb."""

from __future__ import annotations

from functools import cache

from crmlib.concepts import MultipleChoice, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["silent_won_accounts", "busiest_hotline_hour"]

_tea, _retail = cache(load_tea), cache(load_retail)  # each dataset read once per session, for all exercises


def _silent_won_accounts() -> int:
    retail = _retail()
    won = retail.opportunities[retail.opportunities["status"] == "won"]
    contacted = set(retail.activities["customer_id"].dropna())
    return int(sum(account not in contacted for account in won["customer_id"].unique()))


def _busiest_hotline_hour() -> int:
    fb = _tea().feedback
    calls = fb[(fb["channel"] == "hotline") & fb["is_complaint"]]
    return int(calls["created_at"].dt.hour.value_counts().idxmax())


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

busiest_hotline_hour = Exercise(
    "The hour of the day (0-23) in which the tea hotline received the most complaints",
    answer=_busiest_hotline_hour,
    hint='Keep the feedback rows with channel "hotline" and is_complaint True, take .dt.hour of created_at, '
    "then .value_counts().idxmax().",
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["service_phases", "keep_in_touch", "call_centre_tasks", "hotline_data_limits"]

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

keep_in_touch = SingleChoice(
    "A rep won a school as a customer a year ago. Since the contract was signed, nobody from the firm has "
    "called or visited. Why should the firm keep in touch after the sale?",
    choices=[
        "It need not: once the contract is signed the sale is over, and the school will call if something goes wrong.",
        "To make sure the school pays its invoices on time, which is what contact after a sale is for.",
        "Keeping a customer costs much less than winning a new one, and a customer the firm stays close to "
        "tells it the next need first.",
        "Because a supply contract stays valid only while the firm visits the customer at least once a year.",
    ],
    answer="C",
    feedback={
        "A": "Waiting for the phone to ring leaves the field to competitors. A customer who hears nothing after "
        "signing may feel the firm only wanted the money, and may place the next order elsewhere.",
        "B": "Payment belongs to the sale itself (in-sale service). Service after the sale makes the product work "
        "for the customer and hears what the customer needs next.",
        "D": "A contract does not lapse for lack of visits. Firms keep in touch because it pays: it keeps the "
        "customer.",
    },
    explanation="Winning a new customer costs several times more than keeping one. After-sale service "
    "(return visits, repairs, answers to complaints) keeps the customer, and the contacts after the sale are "
    "where the next order starts.",
    hint="Compare what it costs to win a new customer with what it costs to keep this one.",
)

hotline_data_limits = MultipleChoice(
    "For each hotline contact our data holds when it came in, what it was about, and how long until the "
    "brand answered. Which of these call-centre measures can we compute from it?",
    choices=[
        "the call volume by hour 分时话务量",
        "the abandonment rate 放弃率",
        "the time until the brand answered (response time) 响应时间",
        "the average speed of answer 平均应答速度: how long callers wait on the line",
        "the share of hotline contacts that are complaints",
        "the average handling time 平均处理时长: talk time plus the work after the call",
    ],
    answer="A C E",
    feedback={
        "B": "A caller who hangs up before an agent answers leaves no record in our data. Without the abandoned "
        "calls there is no abandonment rate.",
        "D": "The waiting time on the line comes from the telephone system, and our data has none. The hours "
        "until the brand answered are something else: the time until a reply, not the wait in the queue.",
        "F": "Talk time and the work after the call are not recorded: our data has no agents and no call lengths.",
    },
    explanation="The time a contact came in gives the load by hour, the time of the answer gives the response "
    "time, and what the contact was about tells complaints from other calls. The queue itself (waiting, "
    "hanging up, handling) is not in the data.",
    hint=[
        "For each measure, ask which record it needs: the time a call came in, its topic, the time of the "
        "answer, or something only a telephone system records.",
        "Three measures need only the time a contact came in, its topic and the time it was answered.",
    ],
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
