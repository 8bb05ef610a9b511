"""Exercises of notebooks/05_loyalty/05_keeping_customers.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import loyalty
from crmlib.concepts import SingleChoice, SortIntoClasses
from crmlib.datasets import load_tea
from crmlib.exercise_sets.retention_and_churn import FEATURES, HORIZON, TEST_AS_OF, train_test
from crmlib.exercises import Exercise

__all__ = [
    "best_threshold_financial",
    "bond_levels",
    "strongest_bond",
    "barrier_to_entry",
    "product_layers",
    "layers_move",
]

_MARGIN_RATE, _DISCOUNT_RATE, _QUARTERS = 0.60, 0.02, 4


def _best_threshold_financial() -> float:
    train, test = train_test()
    model = loyalty.ChurnModel(features=FEATURES).fit(train)
    orders = load_tea().orders
    day = orders["order_time"].dt.normalize()
    window = orders[(day > pd.Timestamp(TEST_AS_OF) - pd.Timedelta(days=HORIZON)) & (day <= TEST_AS_OF)]
    quarter_margin = _MARGIN_RATE * window.groupby("member_id")["net_amount"].sum()
    scored = test.assign(churn_probability=model.predict_proba(test))
    scored["value_if_kept"] = loyalty.simple_clv(
        quarter_margin.reindex(scored.index),
        retention=1 - train["churned"].mean(),
        discount_rate=_DISCOUNT_RATE,
        periods=_QUARTERS,
    )
    grid = loyalty.retention_campaign_table(scored)
    financial = grid[grid["bond"] == "financial"]
    return float(financial.loc[financial["net_value"].idxmax(), "threshold"])


best_threshold_financial = Exercise(
    "Threshold of loyalty.retention_campaign_table's grid with the highest net value for the financial offer",
    answer=_best_threshold_financial,
    hint="grid = loyalty.retention_campaign_table(scored); keep the rows with bond == 'financial', "
    "and take the threshold of the row "
    "with the largest net_value (.idxmax()).",
    atol=1e-6,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
bond_levels = SortIntoClasses(
    "Relationship marketing speaks of three levels of retention bonds (客户保持的三个层次). Which level is each "
    "tactic of a tea chain?",
    choices=[
        "member prices and coupons",
        "a birthday drink and a personal message from the shop manager",
        "a team account in the mini-program that lets an office pre-order and pay once a month",
        "double points on weekdays",
        "a barista who knows each regular by name and chats with her",
        "a saved 'usual order' that is ready when she arrives",
    ],
    classes=["financial 财务层次", "financial + social 财务+社交层次", "structural 结构层次"],
    answer="A1 B2 C3 D1 E2 F3",
    feedback={
        "A": "Prices and coupons give money's worth: a financial bond, quick to launch and easy to copy.",
        "B": "A personal gesture that shows the firm knows her is a social bond.",
        "C": "A tailored, technology-based service that saves the office work ties the customer into the way "
        "she works: a structural bond.",
        "D": "Points are a financial benefit, however they are timed.",
        "E": "Knowing the customer as a person is a social bond; it depends on the staff and leaves with them.",
        "F": "The saved order is built into the service and saves her time each visit: a structural bond.",
    },
    explanation="Financial bonds give money, social bonds a personal relationship, structural bonds a "
    "customised service that raises the customer's own efficiency.",
    hint=["Money, people, or a system built around the customer?", "Saving the customer time is structural."],
)

strongest_bond = SingleChoice(
    "Which level of retention bond is hardest for a rival to copy, and why?",
    choices=[
        "financial: the bigger the discount, the more loyal the customer",
        "financial + social: customers never leave staff they like",
        "structural: a customised, technology-based service raises the customer's own efficiency, and "
        "leaving means losing it",
        "all three are equally hard to copy",
    ],
    answer="C",
    feedback={
        "A": "A discount is the easiest thing to copy: a rival only has to match it, and customers who came "
        "for the deal follow the better deal.",
        "B": "Social bonds lower switching, but they are costly for each customer and not solid: when the "
        "friendly staff member leaves, the bond can leave too.",
        "D": "They differ a lot: money is copied in a day, a personal relationship in months, a service built "
        "into the customer's work only with great effort.",
    },
    explanation="The structural bond is the strongest (and costs most to build first); the financial bond is "
    "fast to launch but weakest.",
    hint=["What would a rival need to do to copy each one?", "Which bond changes how the customer works?"],
)

barrier_to_entry = SingleChoice(
    "A new tea brand opens next door to an office whose staff pre-order 30 drinks every Friday through our "
    "team account, which remembers each person's usual drink and sends one invoice a month. The rival offers "
    "20% off. Why is our relationship a barrier to entry (进入壁垒) for the rival?",
    choices=[
        "The law forbids the office to change its supplier during a contract.",
        "The rival must offer more than the office would lose by switching: the saved orders, the one invoice, "
        "the time to set everything up again.",
        "Our drinks are cheaper than the rival's, even after its discount.",
        "A barrier to entry only exists where a firm has a monopoly.",
    ],
    answer="B",
    feedback={
        "A": "Nothing in the story is a legal tie: the office could leave tomorrow. What keeps it is what leaving "
        "would cost it.",
        "C": "The story says nothing about our price, and a price lead is easy for a rival to copy. The barrier is "
        "the relationship, not the price.",
        "D": "A relationship the customer values is a barrier in any market: the rival must first overcome the "
        "customer's switching cost (转换成本).",
    },
    explanation="A relationship the customer values raises its switching cost, so a competitor must offer more "
    "than a discount to win the customer. Structural bonds raise it most, because they are built into how the "
    "customer works.",
    hint=[
        "What would the office have to do to move its Friday order to the rival?",
        "Think of switching cost (转换成本): what a customer loses by moving to a rival.",
    ],
)

product_layers = SortIntoClasses(
    "A supplier sells packaging machines to factories. Sort what it offers into the layers of the product (产品层次).",
    choices=[
        "the machine packs and seals boxes reliably",
        "delivery on the agreed day and installation by a technician",
        "payment terms of 60 days, as is usual in the trade",
        "free advice on redesigning the client's whole production line",
        "software that lets the machine report its own faults before they stop the line",
        "packing 60 boxes a minute, the speed the client bought it for",
    ],
    classes=["core product 核心产品", "expected product 期望产品", "potential product 潜在产品"],
    answer="A1 B2 C2 D3 E3 F1",
    feedback={
        "A": "Packing and sealing is the basic benefit the client buys the machine for: the core.",
        "B": "Every buyer expects delivery on time and installation; without them the client is dissatisfied, "
        "but they do not make the supplier special.",
        "C": "Usual trade terms are expected: buyers take them for granted.",
        "D": "Advice beyond the machine is an extra that rivals lack: the potential layer, where loyalty grows.",
        "E": "A new capability the client did not ask for yet is potential product, until buyers start to expect it.",
        "F": "The speed the client bought the machine for is part of the basic benefit: the core.",
    },
    explanation="Loyalty for industrial goods grows by raising the whole product's value: the core benefit, the "
    "expected delivery, installation and terms, and potential extras that rivals lack.",
    hint=["What does the client buy the machine for?", "What does every buyer take for granted?"],
)

layers_move = SingleChoice(
    "Five years ago, a machine that reported its own faults was a surprising extra. Today every buyer expects "
    "it. What does this show?",
    choices=[
        "the supplier should stop offering fault reports, since they no longer win new clients",
        "innovation moves the layers: today's potential extras become tomorrow's expected product, so loyalty "
        "needs continuous improvement",
        "the core product has changed: clients now buy the machine for its software",
        "customers are never satisfied, so improving the product is pointless",
    ],
    answer="B",
    feedback={
        "A": "Now that clients expect it, taking it away leaves the product below expectation, and clients "
        "become dissatisfied.",
        "C": "Clients still buy the machine to pack and seal boxes; the fault report has moved into the expected "
        "layer, not into the core.",
        "D": "Rising expectations are the reason to keep improving, not to stop: the firm that improves first "
        "keeps the lead.",
    },
    explanation="As the potential becomes expected and the expected becomes core, a supplier that stops "
    "improving slowly falls below what customers expect.",
    hint="Which layer was the fault report in then, and which is it in now?",
)
