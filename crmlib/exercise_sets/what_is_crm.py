"""Exercises of notebooks/00_overview/01_what_is_crm.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import identify
from crmlib.concepts import MatchPairs, MultipleChoice, PutInOrder, SingleChoice, SortIntoClasses
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "monthly_value_brand",
    "snowy_top10_share",
    "aurora_top_channel",
    "one_order_share",
    "crm_three_levels",
    "crm_evolution",
    "crm_drivers",
    "transaction_or_relationship",
    "seven_p",
    "ccpr_grocer",
    "eighty_twenty",
]


def _monthly_value_brand() -> str:
    tea = load_tea()
    end = tea.orders["order_time"].max().normalize() + pd.Timedelta(days=1)
    members = tea.members.set_index("member_id")
    months = ((end - members["join_date"]).dt.days / 30.4).clip(lower=1)
    spend = tea.orders.groupby("member_id")["net_amount"].sum().reindex(members.index)
    per_month = (spend / months).groupby(members["brand_id"], observed=True).median()
    return str(tea.brands.set_index("brand_id").loc[per_month.idxmax(), "brand_name"])


def _brand_names_zh() -> dict[str, str]:
    """Each brand's Chinese name -> its English brand_name: either passes as an answer."""
    brands = load_tea().brands
    return dict(zip(brands["brand_name_zh"], brands["brand_name"], strict=True))


def _snowy_top10_share() -> float:
    snowy = load_tea().orders.query("brand_id == 'T3'")
    return round(identify.top_share(snowy, 0.10, customer="member_id", amount="net_amount"), 3)


def _aurora_top_channel() -> str:
    aurora = load_tea().orders.query("brand_id == 'T1'")
    return str(aurora.groupby("channel", observed=True)["net_amount"].sum().idxmax())


def _one_order_share():
    tea = load_tea()
    n_orders = tea.orders.groupby("member_id").size()
    brand = tea.members.set_index("member_id")["brand_id"]
    return (n_orders.reindex(brand.index) == 1).groupby(brand, observed=True).mean().round(3)


monthly_value_brand = Exercise(
    "Whose typical member brings the most revenue per month of membership: the brand that earns a lot per "
    "visit, or one that earns a little on many visits? The English brand_name of the brand with the highest "
    "median spend per member per month.",
    answer=_monthly_value_brand,
    hint=[
        "A member's spend per month is their total net_amount divided by their months of membership "
        '(members["months"]).',
        'Add up net_amount per member_id, divide by members["months"], take the median by brand_id, and look '
        "up the brand_name of the largest with .idxmax().",
    ],
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_brand_names_zh,
)

snowy_top10_share = Exercise(
    "Share of Snowy Cup (T3) revenue from its top 10% of members, rounded to 3 decimals",
    answer=_snowy_top10_share,
    decimals=3,
    hint='Keep the orders of brand T3, then call identify.top_share(..., 0.10, customer="member_id", '
    'amount="net_amount"). The answer is a share between 0 and 1.',
    atol=5e-4,
)

aurora_top_channel = Exercise(
    "Which channel brings Aurora Leaf (T1) the most revenue?",
    answer=_aurora_top_channel,
    hint="Keep the orders of brand T1, add up net_amount by channel, and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

one_order_share = Exercise(
    "For each brand, the share of members with exactly one order (a Series indexed by brand_id, 3 decimals)",
    answer=_one_order_share,
    hint='members["n_orders"] == 1 is True for one-order members; the mean of True/False values '
    'is the share of True. Group it by members["brand_id"].',
    atol=5e-4,
    ignore_order=True,
)


# --- concept checks (概念自测) -------------------------------------------------------------------

crm_three_levels = MatchPairs(
    "CRM (客户关系管理) works on three levels at once. Match each level with what it means.",
    choices=["philosophy 理念", "mechanism 机制", "technology 技术"],
    targets=[
        "software such as a data warehouse, data mining and sales force automation",
        "the belief that the customer is the firm's most valuable resource",
        "sales, marketing and service are organised around the customer",
    ],
    answer="A2 B3 C1",
    feedback={
        "A": "A philosophy is a way of thinking, not a tool or a department: what does the firm believe about "
        "its customers?",
        "B": "A mechanism is how the firm is organised and how its people work together, not a belief and not "
        "a program.",
        "C": "Technology is the tool: the software that stores and analyses customer data.",
    },
    explanation="The philosophy is the core, the technology is only the tool, and management (the mechanism) "
    "decides whether CRM works. Buying software alone changes nothing.",
    hint=[
        "Which of the three could you install on a computer?",
        "Which one is an idea, and which one is about how departments work?",
    ],
)

crm_evolution = PutInOrder(
    "Firms moved through three stages before CRM. Put them in order, the earliest first.",
    choices=[
        "customer-centred 以客户为中心: products look alike, so each customer's needs decide who wins",
        "product-centred 以产品为中心: goods are scarce and a good product sells itself",
        "market-oriented 以市场为导向: supply exceeds demand, and firms study the market as a whole",
    ],
    answer="B C A",
    feedback={
        "A": "Customer-centred is where firms arrive, not where they start: it comes once products look alike "
        "and the single customer decides.",
        "B": "Product-centred comes first: when goods are scarce, nobody needs to study the buyer (皇帝女儿不愁嫁).",
        "C": "Market-oriented sits in the middle: firms study the market, but not yet each customer's needs.",
    },
    explanation="Scarce goods (product) → more supply than demand (market) → look-alike products, where the "
    "individual customer decides (customer). CRM belongs to the last stage.",
    hint="Start from a time when goods were scarce.",
)

crm_drivers = MultipleChoice(
    "Which of these are the three drivers (驱动因素) that pushed firms towards CRM? Pick all that apply.",
    choices=[
        "the market: competition got fiercer and products look alike",
        "technology: IT made one-to-one relationships with many customers affordable",
        "economic benefit: good relationships raise profit",
        "scarce goods: a good product sells itself",
        "government rules that order every firm to buy CRM software",
    ],
    answer="A B C",
    feedback={
        "D": "Scarce goods describe the old product-centred stage. When a product sells itself, no firm needs "
        "to manage relationships, so this pushed away from CRM, not towards it.",
        "E": "No law orders firms to use CRM. Laws such as the PIPL (《个人信息保护法》) limit what firms may do "
        "with customer data; they do not push firms to collect more.",
    },
    explanation="Market, technology and economic benefit (市场驱动、技术驱动、经济利益驱动): competition made "
    "customers precious, IT made it possible to know each one, and profit made it worth doing.",
    hint="Three answers are right. One wrong option is an earlier stage of business; which one?",
)

transaction_or_relationship = SortIntoClasses(
    "Sort each statement: does it describe transaction marketing or relationship marketing?",
    choices=[
        "aims to win this one sale",
        "sees the customer as a partner to keep",
        "holds the other side with price and pressure, as in 二选一",
        "tries to grow the pie so that both sides gain (双赢)",
        "judges success over the whole relationship",
        "treats the other side as an opponent in a bargain",
    ],
    classes=["transaction marketing 交易营销", "relationship marketing 关系营销"],
    answer="A1 B2 C1 D2 E2 F1",
    feedback={
        "A": "A horizon of one sale is the mark of transaction marketing.",
        "B": "Keeping a partner is the aim of relationship marketing.",
        "C": "Pressure wins the deal today but costs trust: transaction logic. The shop in the lead case stays "
        "only until it has somewhere else to go.",
        "D": "Growing the pie for both sides is mutual benefit, the heart of relationship marketing.",
        "E": "Looking at the whole relationship rather than one deal is relationship marketing.",
        "F": "A bargain with an opponent, where one side's gain is the other's loss, is transaction marketing.",
    },
    explanation="Transaction marketing counts the single deal; relationship marketing counts the lasting value "
    "to both sides, and relationship marketing is the theory CRM is built on.",
    hint="Ask of each statement: is it about today's deal, or about the years after it?",
)

seven_p = MatchPairs(
    "Match each of the 7P of customer analysis with the question it asks.",
    choices=[
        "Profiling 客户概况分析",
        "Persistency 客户忠诚度分析",
        "Profitability 客户利润分析",
        "Performance 客户性能分析",
        "Prospecting 客户未来分析",
        "Product 客户产品分析",
        "Promotion 客户促销分析",
    ],
    targets=[
        "What sells, by product type, channel and outlet?",
        "How will the number of customers grow, and how do we win new ones?",
        "Who is the customer: level, risk, tastes and habits?",
        "How are our advertising and campaigns working?",
        "How loyal are customers, for how long, and is it changing?",
        "Which products go together, and how should we design and supply them?",
        "What margin and net profit does each customer bring?",
    ],
    answer="A3 B5 C7 D1 E2 F6 G4",
    feedback={
        "A": "Profiling describes who the customer is, before asking what they buy or bring.",
        "B": "Persistency means staying: it is the loyalty question.",
        "C": "Profitability is about money earned from each customer, not about sales of a product.",
        "D": "Performance here means sales results by product, channel and place, not the speed of a machine.",
        "E": "Prospecting looks ahead to future customers (客户未来分析).",
        "F": "Product looks at the goods themselves: design, what sells together, supply.",
        "G": "Promotion covers advertising and campaigns.",
    },
    explanation="Together the 7P ask who the customers are, whether they stay, what they bring, what sells, "
    "who comes next, what goes together and how campaigns work. Do not mix them up with the 7P of "
    "services marketing (产品、价格、渠道…).",
    hint=[
        "Start with the easy ones: Profitability is about profit, Promotion about campaigns.",
        "Prospecting is about the future; Persistency about staying.",
    ],
)

ccpr_grocer = SingleChoice(
    "The grocer sees Mr Zhang put back the soy sauce he bought yesterday, guesses he has seen a lower price, and "
    "offers a better one before Mr Zhang reaches the door. Which CCPR requirement does acting at that moment "
    "show most clearly?",
    choices=["convenience 方便", "care 关怀", "personalisation 个性化", "prompt response 立即响应"],
    answer="D",
    feedback={
        "A": "Convenience is about being easy to reach and buy from, in the customer's channel. The point here "
        "is the timing of the grocer's reaction.",
        "B": "The grocer does care, but the question asks about acting at that moment: the speed of the reaction "
        "is what stands out.",
        "C": "Knowing Mr Zhang's habits is personalisation, but the question asks about acting before he walks "
        "out, which is about speed.",
    },
    explanation="Prompt response means noticing a signal and answering it straight away. A firm that finds the "
    "signal in a month-end report has lost the moment.",
    hint="Which of the four words is about time?",
)

eighty_twenty = SingleChoice(
    "What does the 80/20 rule (二八法则) say about a firm's customers?",
    choices=[
        "About 20% of the customers bring about 80% of the profit.",
        "The top 20% of customers always bring exactly 80% of the revenue.",
        "About 80% of the customers are satisfied and 20% complain.",
        "A firm should spend 80% of its budget on winning new customers.",
    ],
    answer="A",
    feedback={
        "B": "It is a rule of thumb, not an exact law: in the tea data the top 20% of members bring a large "
        "share of revenue, but not exactly 80%.",
        "C": "The rule is about how unevenly customers bring value, not about satisfaction.",
        "D": "The rule says nothing about new customers; if anything, it says to look after the few key "
        "customers (关键客户) the firm already has.",
    },
    explanation="The few key customers (关键客户) bring most of the profit, the many ordinary customers (普通客户) "
    "the rest, so treating everyone the same wastes effort.",
    hint="The rule compares a share of customers with a share of profit.",
)
