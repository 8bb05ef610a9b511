"""Exercises of notebooks/03_communication/02_complaints.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import communicate
from crmlib.concepts import PutInOrder, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail, load_tea
from crmlib.exercises import Exercise

__all__ = ["fast_solution_gain", "solution_promise_hours", "solution_within_48h", "gap_at_12h"]

_tea, _retail = cache(load_tea), cache(load_retail)  # each dataset read once per session, for all exercises


def _fast_solution_gain() -> pd.Series:
    tickets = _retail().tickets
    answered = tickets[tickets["followed_up_at"].notna()]
    hours = (answered["solution_proposed_at"] - answered["received_at"]) / pd.Timedelta(hours=1)
    gains = {}
    for kind, part in answered.groupby("complaint_type", observed=True):
        in_time = hours.loc[part.index] <= 48
        gains[kind] = part.loc[in_time, "satisfaction_after"].mean() - part.loc[~in_time, "satisfaction_after"].mean()
    return pd.Series(gains, dtype="float64").round(2)


def _solution_promise_hours() -> int:
    tickets = _retail().tickets
    hours = ((tickets["solution_proposed_at"] - tickets["received_at"]) / pd.Timedelta(hours=1)).dropna()
    promise = 1
    while (hours <= promise).mean() < 0.8:  # the shortest whole-hour promise kept for 8 in 10
        promise += 1
    return promise


def _solution_within_48h():
    times = communicate.response_times(
        _retail().tickets, start="received_at", end="solution_proposed_at", by="complaint_type", sla_hours=48
    )
    return times.set_index("complaint_type")["within_sla"].round(3)


def _gap_at_12h() -> float:
    tea = _tea()
    complaints = tea.feedback[tea.feedback["is_complaint"]].sort_values("created_at", kind="stable")
    first = complaints.drop_duplicates("member_id")
    data_end = tea.orders["order_time"].max().normalize() + pd.Timedelta(days=1)
    first = first[first["created_at"] < data_end - pd.Timedelta(days=60)]
    pairs = tea.orders[["member_id", "order_time"]].merge(first[["member_id", "created_at"]], on="member_id")
    later = (pairs["order_time"] > pairs["created_at"]) & (
        pairs["order_time"] <= pairs["created_at"] + pd.Timedelta(days=60)
    )
    again = first["member_id"].isin(pairs.loc[later, "member_id"])
    fast = first["response_hours"] <= 12
    return round(float(again[fast].mean() - again[~fast].mean()), 3)


fast_solution_gain = Exercise(
    "Per complaint type: mean satisfaction after handling of the tickets in `done` solved within 48 hours of "
    "arriving, minus that of the tickets solved later (a Series indexed by complaint_type)",
    answer=_fast_solution_gain,
    hint=[
        "Make a True/False column: was the solution proposed within 48 hours (done['hours_to_solution'] <= 48)?",
        "Group `done` by complaint_type and by that True/False column, and take the mean of satisfaction_after.",
        "means = done.groupby(['complaint_type', fast], observed=True)['satisfaction_after'].mean().unstack(); "
        "then means[True] - means[False], rounded to 2 decimals.",
    ],
    decimals=2,
    ignore_order=True,
)

solution_promise_hours = Exercise(
    "The shortest whole number of hours H such that at least 8 in 10 of the tickets that got a solution got it "
    "within H hours of arriving (a whole number)",
    answer=_solution_promise_hours,
    hint=[
        "Work out each ticket's hours from received_at to solution_proposed_at, and drop the tickets without "
        "a solution.",
        "The promise must cover 80% of the tickets: look at the 80th percentile of those hours (.quantile(0.8)).",
        "hours.quantile(0.8, interpolation='higher') is the shortest wait that 8 in 10 tickets stay within; "
        "round it up to a whole hour with np.ceil, and check that the share within it is at least 0.8.",
    ],
    rtol=0,
)

solution_within_48h = Exercise(
    "Per complaint type, the share of tickets with a proposed solution that got it within 48 hours of arriving "
    "(a Series indexed by complaint_type)",
    answer=_solution_within_48h,
    hint='communicate.response_times(tickets, start="received_at", end="solution_proposed_at", '
    'by="complaint_type", sla_hours=48); keep its within_sla column, indexed by complaint_type.',
    decimals=3,
    ignore_order=True,
)

gap_at_12h = Exercise(
    "With a 12-hour SLA instead of 24: share ordering again among members answered in time minus among "
    "those answered later",
    answer=_gap_at_12h,
    hint='Use the table `first` built in section 5: fast = first["response_hours"] <= 12; compare the mean '
    'of first["ordered_again"] in the two groups.',
    decimals=3,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["what_is_a_complaint", "complaint_types", "eight_moves", "five_stages", "reflex_or_method"]

what_is_a_complaint = SingleChoice(
    "What is a customer complaint (客户投诉)?",
    choices=[
        "any message in which a customer uses angry words",
        "a legal claim for money that the firm must defend itself against",
        "the customer's reaction when a product or service falls short of what they expected",
        "a message from a customer who has already decided to leave",
    ],
    answer="C",
    feedback={
        "A": "Anger is not the test. A calm e-mail about a late delivery is a complaint, and so is a polite "
        "suggestion of what is missing.",
        "B": "Most complaints never come near a court. Treating them as attacks is the reflex the lead case "
        "warns against: a complaint is first a signal and a chance to put things right.",
        "D": "Customers who have decided to leave usually say nothing. One who complains still cares enough "
        "to speak, and can be won back.",
    },
    explanation="A complaint arises when expectations about a product or service are not met. It is a warning "
    "the firm gets for free, and a second chance.",
    hint="Think of expectations: the same late delivery angers one customer and not another. Why?",
)

complaint_types = SortIntoClasses(
    "Sort each complaint at a home-goods retailer into its type.",
    choices=[
        "'The courier brought the bookcase three days after the promised date.'",
        "'You should offer assembly for large furniture.'",
        "'The duvet lost half its filling after the first wash.'",
        "'The invoice asks for payment in 30 days, but our contract says 60.'",
        "'Your agent promised to call me back yesterday, and nobody did.'",
        "'You charged us 30 CNY more per chair than the price in our agreement.'",
    ],
    classes=[
        "product quality 商品质量投诉",
        "purchase contract 购销合同投诉",
        "goods transport 货物运输投诉",
        "service 服务投诉",
        "proposal or suggestion 客户提案与建议",
    ],
    answer="A3 B5 C1 D2 E4 F2",
    feedback={
        "A": "The bookcase itself is fine; it came late. How goods reach the customer is a transport (delivery) "
        "complaint.",
        "B": "Nothing went wrong; the customer tells the firm what is missing. That is a suggestion, the fifth type.",
        "C": "The goods themselves are at fault: a product-quality complaint.",
        "D": "Payment terms are part of the agreement, so this is a purchase-contract complaint.",
        "E": "A promise by a member of staff was not kept: a service complaint.",
        "F": "The price differs from what both sides agreed, so the complaint is about the purchase contract.",
    },
    explanation="Five types: product quality, purchase contract, goods transport, service, and proposals or "
    "suggestions. Sorting complaints by type shows which department must act.",
    hint=[
        "Ask first: is the product itself at fault, or something around it?",
        "Prices and payment terms are written in the agreement between buyer and seller.",
    ],
)

eight_moves = PutInOrder(
    "Put the eight moves of handling a complaint (处理投诉的基本方法) in order.",
    choices=[
        "record the problem 记录问题",
        "apologise 表示道歉",
        "solve the problem: offer a plan and act fast 解决问题",
        "let the customer vent 让客户发泄",
        "ask detailed questions 仔细询问",
        "close politely: 'Is this acceptable? Anything else?' 礼貌地结束",
        "listen carefully 用心聆听",
        "acknowledge the customer: 'You have a point.' 认同客户",
    ],
    answer="D G B H E A C F",
    feedback={
        "A": "Write the problem down once your questions have brought out the facts, just before you solve it. "
        "Then nothing is lost and nobody has to ask twice.",
        "B": "Apologise after you have heard the customer out, not before: an apology before listening sounds "
        "like a formula. It comes after venting and listening.",
        "C": "A solution comes only after the feelings are calm and the facts recorded: an angry customer does "
        "not hear a plan. Only the polite close comes after it.",
        "D": "Everything starts by letting the customer vent: the emotion has to come out before anything else "
        "can be heard.",
        "E": "Questions come once the customer feels heard, apologised to and acknowledged. They open the part "
        "about the problem.",
        "F": "Closing politely, with a check that the customer accepts the plan, is always the last move.",
        "G": "Listening carefully goes with the venting, right after it: you learn the facts, and the customer "
        "feels respected.",
        "H": "Acknowledging ('you have a point') follows the apology. It ends the part about feelings, before "
        "the questions begin.",
    },
    explanation="Vent, listen, apologise, acknowledge (the feelings); ask, record, solve (the problem); close "
    "politely (the relationship). Jumping straight to the solution feels efficient but rarely works.",
    hint=[
        "The first four moves calm the feelings; the next three deal with the problem.",
        "Within the feelings: the customer speaks first, then you speak twice, first to say sorry.",
    ],
)

five_stages = PutInOrder(
    "Put the five stages of handling a complaint (客户投诉处理的步骤) in order.",
    choices=[
        "propose a solution 提出解决方案阶段",
        "follow up with a return visit 跟踪回访阶段",
        "accept it: the service desk takes it on and tells the customer 接受投诉阶段",
        "explain and clarify the facts with the customer 解释澄清阶段",
        "receive the complaint: it arrives and is registered 受理投诉阶段",
    ],
    answer="E C D A B",
    feedback={
        "A": "A solution can be proposed only once the facts are clear. It is the fourth stage, before the follow-up.",
        "B": "The return visit (回访) checks that the solution worked, so it is always the last stage.",
        "C": "Accepting means the desk takes the complaint on and the customer knows someone is on it. It comes "
        "straight after the complaint is received.",
        "D": "Clarifying the facts needs a complaint that someone has taken on, and it must come before any solution.",
        "E": "Everything starts when the complaint arrives and is registered.",
    },
    explanation="Receive, accept, explain and clarify, propose a solution, follow up. The eight moves happen "
    "inside one conversation; the five stages can take days, and each can be timed against a promise.",
    hint="Which stage checks that the others worked?",
)

reflex_or_method = SingleChoice(
    "In the lead case, the retailer's first two answers to Ms Lin came quickly, and both made things worse. "
    "What is the lesson?",
    choices=[
        "Answer complaints slowly: a late answer calms the customer down.",
        "Speed does not matter, only the size of the compensation.",
        "Never answer a complaint in writing; always phone.",
        "Answer promptly, but with a method and real attention, not with a reflex.",
    ],
    answer="D",
    feedback={
        "A": "Slowness did not help either: the first answer took two days and made Ms Lin more upset. The "
        "problem was how the answers were written, not only when.",
        "B": "The team leader won Ms Lin back mostly by listening, apologising and keeping a date. Money alone "
        "does not repair a customer's feeling of not being heard.",
        "C": "The channel was not the problem. A thoughtful written reply can work, and a careless phone call "
        "can fail.",
    },
    explanation="Respond thoughtfully, not reflexively: a quick form answer or a defensive reply can backfire. "
    "The call that worked took longer and followed the eight moves.",
    hint="Compare the two early answers with the team leader's call. What did the call have that they lacked?",
)
