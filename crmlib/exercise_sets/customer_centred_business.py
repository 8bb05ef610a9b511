"""Exercises of notebooks/00_overview/02_customer_centred_business.ipynb."""

from __future__ import annotations

import functools

import pandas as pd

from crmlib import develop, loyalty
from crmlib.concepts import MatchPairs, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "repeat_by_channel",
    "top_margin_industry",
    "cheapest_source_per_account",
    "rebuy_category",
    "seven_p_tables",
    "crm_system_types",
    "concentration_reason",
    "ccpr_actions",
]


@functools.lru_cache(maxsize=1)
def _orders() -> pd.DataFrame:
    """The retailer's orders with the customer's type, acquisition channel and industry."""
    retail = load_retail()
    about = retail.customers[["customer_id", "customer_type", "acquisition_channel", "industry"]]
    return retail.orders.merge(about, on="customer_id")


@functools.lru_cache(maxsize=1)
def _lines() -> pd.DataFrame:
    """The retailer's order lines with the order's customer, type, industry, date and the product category."""
    retail = load_retail()
    orders = _orders()[["order_id", "customer_id", "customer_type", "industry", "order_date"]]
    return retail.order_lines.merge(orders, on="order_id").merge(
        retail.products[["product_id", "category"]], on="product_id"
    )


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


def _rebuy_category() -> str:
    """Re-buys as the notebook defines them: same consumer, same product, another day; gap <= 30 days."""
    lines = _lines()
    consumer_lines = lines[lines["customer_type"] == "consumer"]
    buys = consumer_lines.drop_duplicates(["customer_id", "product_id", "order_date"]).sort_values(
        "order_date", kind="stable"
    )
    gaps = buys.groupby(["customer_id", "product_id"])["order_date"].diff().dt.days
    return str(buys.loc[gaps <= 30, "category"].value_counts().idxmax())


def _category_names_zh() -> dict[str, str]:
    """Each product category's Chinese name -> its English name: either passes as an answer."""
    products = load_retail().products[["category", "category_zh"]].drop_duplicates()
    return dict(zip(products["category_zh"].astype(str), products["category"].astype(str), strict=True))


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

rebuy_category = Exercise(
    "In which product category do consumers most often buy the same product again within 30 days?",
    answer=_rebuy_category,
    hint="Keep the rows of `repeats` with gap_days <= 30 and count them by category with .value_counts().",
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_category_names_zh,
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

crm_system_types = SortIntoClasses(
    "CRM systems are often sorted into three types. Sort each task into the type of CRM that does it.",
    choices=[
        "a salesperson records calls, quotes and orders (sales force automation)",
        "a model finds which business accounts are likely to stop buying",
        "the hotline, the website and e-mail share one record of each customer",
        "an order is entered, invoiced and followed until it is paid",
        "a data warehouse report ranks customers by profit",
        "a customer and the service team work on one service request through a customer portal",
    ],
    classes=["operational CRM 操作型CRM", "analytical CRM 分析型CRM", "collaborative CRM 协作型CRM"],
    answer="A1 B2 C3 D1 E2 F3",
    feedback={
        "A": "Recording the daily work of sales is what operational CRM does: it runs the front line.",
        "B": "Finding patterns in the data, such as who may leave, is analysis: analytical CRM.",
        "C": "Joining up the channels so that each one sees the same customer is the job of collaborative CRM.",
        "D": "Processing orders and payments is daily business: operational CRM.",
        "E": "Data warehouses and reports that rank customers belong to analytical CRM.",
        "F": "When the firm and the customer (or several departments) work together through shared channels, "
        "that is collaborative CRM.",
    },
    explanation="Operational CRM runs the daily work (sales, marketing, service), analytical CRM learns from the "
    "data, and collaborative CRM connects channels and people around one customer record.",
    hint="Ask of each task: is it doing the daily work, learning from data, or connecting people and channels?",
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

ccpr_actions = MatchPairs(
    "Section 4 turned a quick re-buy into a prompt contact. Match each action with the CCPR requirement it meets.",
    choices=[
        'asking "Is the first one all right?" the day after a quick re-buy',
        "offering the matching piece, or a set price for a second unit",
        "reaching the customer in the channel they used, not with a call at dinner time",
        "putting each quick re-buy on a list the same night, ready for the next morning",
    ],
    targets=["convenience 方便", "care 关怀", "personalisation 个性化", "prompt response 立即响应"],
    answer="A2 B3 C1 D4",
    feedback={
        "A": "Asking after the customer's experience shows attention to the person, not only to the next sale.",
        "B": "An offer built on what this customer just bought is treatment by what you know about them.",
        "C": "Using the customer's own channel at a good time makes the firm easy to deal with.",
        "D": "Acting on the signal by the next day is about speed.",
    },
    explanation="One event in the order data can serve all four CCPR requirements, if the firm acts on it in "
    "time and in the customer's way.",
    hint="Which action is about time, which about the channel, which about what the customer bought?",
)
