"""Exercises of notebooks/00_overview/02_customer_centred_business.ipynb."""

from __future__ import annotations

import functools

import pandas as pd

from crmlib import develop, loyalty
from crmlib.concepts import MatchPairs, MultipleChoice, SingleChoice
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "repeat_by_channel",
    "top_margin_industry",
    "cheapest_source_per_account",
    "seven_p_tables",
    "net_margin_reason",
    "concentration_reason",
    "seven_p_limits",
]


@functools.lru_cache(maxsize=1)
def _orders() -> pd.DataFrame:
    """The retailer's orders with the customer's type, acquisition channel and industry."""
    retail = load_retail()
    about = retail.customers[["customer_id", "customer_type", "acquisition_channel", "industry"]]
    return retail.orders.merge(about, on="customer_id")


@functools.lru_cache(maxsize=1)
def _lines() -> pd.DataFrame:
    """The retailer's order lines with the order's customer, type and industry."""
    retail = load_retail()
    orders = _orders()[["order_id", "customer_id", "customer_type", "industry"]]
    return retail.order_lines.merge(orders, on="order_id")


def _repeat_by_channel() -> pd.Series:
    orders = _orders()
    consumer_orders = orders[orders["customer_type"] == "consumer"]
    return loyalty.repeat_rate(consumer_orders, by="acquisition_channel")["repeat_rate"].round(3)


def _top_margin_industry() -> str:
    lines = _lines()
    business = lines[lines["customer_type"] == "business"]
    return str(business.groupby("industry", observed=True)["margin"].sum().idxmax())


def _cheapest_source_per_account() -> str:
    retail = load_retail()
    spend = retail.marketing_spend.query("segment == 'business'")
    customers = retail.customers
    won = customers[(customers["customer_type"] == "business") & (customers["signup_date"] >= "2024-01-01")]
    costs = develop.acquisition_cost(spend, won)
    return str(costs.loc[costs["cost_per_acquisition"].idxmin(), "channel"])


repeat_by_channel = Exercise(
    "Repeat rate of consumers by acquisition channel (a Series indexed by acquisition_channel, 3 decimals)",
    answer=_repeat_by_channel,
    hint="Merge each consumer order with its customer's acquisition_channel (from customers), then call "
    'loyalty.repeat_rate(..., by="acquisition_channel") and take its repeat_rate column.',
    atol=5e-4,
    ignore_order=True,
)

top_margin_industry = Exercise(
    "Which industry brings the retailer the most margin in total?",
    answer=_top_margin_industry,
    hint='Look up each line\'s industry with lines["customer_id"].map(...) (consumers have none), add up '
    "margin by industry and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

cheapest_source_per_account = Exercise(
    "Which lead source brings won business accounts at the lowest cost per account?",
    answer=_cheapest_source_per_account,
    hint="The accounts won since 2024 are the business customers whose signup_date is in 2024 or later. "
    "Pass them with the business rows of marketing_spend to develop.acquisition_cost, then find the "
    "row with the smallest cost_per_acquisition.",
    ignore_case=True,
    ignore_whitespace=True,
)


# --- concept checks (概念自测) -------------------------------------------------------------------

seven_p_tables = MatchPairs(
    "Section 1 answered each of the 7P questions with one table. Match each table with the P it answers.",
    choices=[
        "customers counted by region and by industry",
        "repeat rate, and years of cooperation of the business accounts",
        "net margin per customer after the financing cost",
        "revenue by product category and sales channel",
        "consumer sign-ups per quarter and leads per source",
        "pairs of categories that share a basket, with their lift",
        "marketing spend per new customer won, by channel",
    ],
    targets=[
        "Performance 客户性能分析",
        "Promotion 客户促销分析",
        "Profiling 客户概况分析",
        "Product 客户产品分析",
        "Profitability 客户利润分析",
        "Prospecting 客户未来分析",
        "Persistency 客户忠诚度分析",
    ],
    answer="A3 B7 C5 D1 E6 F4 G2",
    feedback={
        "A": "Where customers are and which industry they work in describes who they are: that is profiling.",
        "B": "Coming back and staying for years is about loyalty over time, the persistency question.",
        "C": "Margin and net profit per customer answer what each customer brings: profitability.",
        "D": "Sales split by product type and channel show what sells and where: performance.",
        "E": "New sign-ups and new leads tell where future customers come from: prospecting.",
        "F": "What is bought together is a question about the products: product analysis.",
        "G": "What it costs to win a customer through each channel is about campaigns and spend: promotion.",
    },
    explanation="Each P became one small table from the retailer's data, and each table also showed what the "
    "data cannot tell, such as risk, tastes or why customers leave.",
    hint=[
        "Profitability needs money after costs; Promotion needs marketing spend.",
        "Prospecting looks at new arrivals; Persistency at customers who stay.",
    ],
)

concentration_reason = SingleChoice(
    "In section 2 the business accounts were the most concentrated (a few accounts bring most of the value) and "
    "the retail consumers the least. Which reason fits best?",
    choices=[
        "Business accounts differ hugely in size, from a small office to a hospital group.",
        "The 80/20 rule only applies to business customers.",
        "Consumers are more loyal than business accounts.",
        "There are many more consumers than accounts, so their top 20% must bring a smaller share.",
    ],
    answer="A",
    feedback={
        "B": "The 80/20 shape showed up for tea members, consumers and business accounts alike; only its "
        "strength differed.",
        "C": "Concentration is about how unequal the amounts are, not about loyalty. In fact the business "
        "accounts came back more reliably than the consumers.",
        "D": "The shares are shares of each group's own customers, so the number of customers alone does not "
        "decide the shape; how unequal their spending is does.",
    },
    explanation="When customers differ a lot in size, a few large ones carry most of the value. A household "
    "buys only so many lamps, so consumers are more alike.",
    hint="Think of the smallest and the largest business account the retailer has.",
)

net_margin_reason = SingleChoice(
    "Section 1.3 took the financing cost off the margin of each customer group before comparing business "
    "accounts with consumers. Why?",
    choices=[
        "Business accounts pay later, on credit, and waiting for the money costs the retailer money.",
        "Business accounts buy more, so their numbers must be made smaller to be fair.",
        "The financing cost is what the goods cost the retailer.",
        "Consumers pay later than business accounts.",
    ],
    answer="A",
    feedback={
        "B": "Size is not the reason: the comparison is per customer anyway. A cost is taken off because the "
        "retailer really pays it, not to make one group look smaller.",
        "C": "The cost of the goods is already out of the gross margin (毛利). The financing cost comes on top.",
        "D": "It is the other way round: consumers pay when they buy, and business accounts pay on account.",
    },
    explanation="Profitability asks what each customer brings after the costs of serving them. Credit terms are "
    "such a cost, so the net margin (净利润) is the fairer measure.",
    hint="Which of the two groups buys on credit, and what does the retailer lose while it waits?",
)

seven_p_limits = MultipleChoice(
    "The retailer's tables answered each of the 7P questions only in part. Which of these can its data NOT "
    "tell? Pick all that apply.",
    choices=[
        "why a consumer stopped buying",
        "how many years each business account has bought from the firm",
        "which products a customer looked at but did not buy",
        "which sales channel brings the most revenue from furniture",
        "a consumer's tastes and credit risk",
        "what winning a new consumer costs through each acquisition channel",
    ],
    answer="A C E",
    feedback={
        "B": "The customer file holds it: years of cooperation (合作年限) of each business account.",
        "D": "Order lines carry the category and orders the channel, so revenue by category and channel is one "
        "table (section 1.4).",
        "F": "Marketing spend per channel divided by the consumers each channel brought in is the cost per "
        "acquisition of section 1.7.",
    },
    explanation="Order data records what was bought, where and for how much. Reasons, tastes, risk and what was "
    "looked at but left on the shelf must be asked for or collected on purpose.",
    hint=[
        "Three are right.",
        "Look at the last column of the table 'What the seven tables told us'.",
    ],
)
