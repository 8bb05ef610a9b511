"""Exercises of notebooks/00_overview/03_crm_at_work.ipynb."""

from __future__ import annotations

import functools

import pandas as pd

from crmlib.concepts import MatchPairs, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "rebuy_category",
    "crm_system_types",
    "ccpr_actions",
    "drivers_on_data",
    "push_or_pull",
]


@functools.lru_cache(maxsize=1)
def _consumer_lines() -> pd.DataFrame:
    """The consumers' order lines with the customer, the order date and the product category."""
    retail = load_retail()
    consumer_ids = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    orders = retail.orders.loc[
        retail.orders["customer_id"].isin(consumer_ids), ["order_id", "customer_id", "order_date"]
    ]
    return retail.order_lines.merge(orders, on="order_id").merge(
        retail.products[["product_id", "category"]], on="product_id"
    )


def _rebuy_category() -> str:
    """Re-buys as the notebook defines them: same consumer, same product, another day; gap <= 30 days."""
    buys = (
        _consumer_lines()
        .drop_duplicates(["customer_id", "product_id", "order_date"])
        .sort_values("order_date", kind="stable")
    )
    gaps = buys.groupby(["customer_id", "product_id"])["order_date"].diff().dt.days
    return str(buys.loc[gaps <= 30, "category"].value_counts().idxmax())


def _category_names_zh() -> dict[str, str]:
    """Each product category's Chinese name -> its English name: either passes as an answer."""
    products = load_retail().products[["category", "category_zh"]].drop_duplicates()
    return dict(zip(products["category_zh"].astype(str), products["category"].astype(str), strict=True))


rebuy_category = Exercise(
    "In which product category do consumers most often buy the same product again within 30 days?",
    answer=_rebuy_category,
    hint="Keep the rows of `repeats` with gap_days <= 30 and count them by category with .value_counts().",
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_category_names_zh,
)


# --- concept checks (概念自测) ----------------------------------------------------------------------

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

ccpr_actions = MatchPairs(
    "Section 2 turned a quick re-buy into a prompt contact. Match each action with the CCPR requirement it meets.",
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

drivers_on_data = SortIntoClasses(
    "Section 4 showed the drivers of CRM with the retailer's data and its story. Sort each piece of evidence "
    "into the driver it shows.",
    choices=[
        "the firm keeps dozens of records about each customer, more than any person could remember",
        "a consumer who comes back brings several times the margin of one who buys once",
        "online marketplaces sell lamps that look just like the retailer's",
        "a nightly job can list every quick re-buy in time for the next morning's calls",
        "winning a new consumer costs marketing money that a single purchase may not pay back",
        "when products look alike, a customer can move to a rival in one click",
    ],
    classes=["market 市场驱动", "technology 技术驱动", "economics 经济利益驱动"],
    answer="A2 B3 C1 D2 E3 F1",
    feedback={
        "A": "Keeping and finding that many records is only possible with a database: that is what technology "
        "made possible.",
        "B": "More margin from customers who return is the money side of keeping customers: economics.",
        "C": "Rivals selling the same goods is competition, the market driver.",
        "D": "A program that finds the signal every night is IT at work, not a fact about rivals or money.",
        "E": "Comparing what winning a customer costs with what the customer brings back is economics.",
        "F": "Look-alike products and easy switching describe the competition in the market.",
    },
    explanation="Competition made each customer precious (market), IT made it possible to know each one "
    "(technology), and returning customers make it pay (economics).",
    hint=[
        "One driver is about rivals, one about computers, one about money.",
        "Two pieces of evidence belong to each driver.",
    ],
)

push_or_pull = SortIntoClasses(
    "Section 5 compared a push plan with a pull supply chain. Sort each practice into the kind of supply chain "
    "it belongs to.",
    choices=[
        "stock the same number of lamps every month: the two-year average",
        "reorder every week what the order data shows customers are buying",
        "plan a year's production, send the goods to the shops and hope they sell",
        "a jump in bedding orders this week raises next week's bedding delivery",
        "the warehouse makes its plan without seeing the sales records",
        "a business account's order sets off making and shipping the goods",
    ],
    classes=["push: plan first, then sell", "pull supply chain 拉式供应链"],
    answer="A1 B2 C1 D2 E1 F2",
    feedback={
        "A": "A fixed amount set in advance ignores what customers buy this month: that is a push plan.",
        "B": "Reordering from recorded demand lets the customers pull the goods through the chain.",
        "C": "Planning first and hoping the goods sell is the definition of push.",
        "D": "The delivery follows the demand that the orders recorded, so the chain is pulled.",
        "E": "Without the sales records the warehouse can only push its own plan; this is the missing link that "
        "older systems had.",
        "F": "Here the customer's order starts the work, which is pull.",
    },
    explanation="In a pull supply chain (拉式供应链) recorded customer demand decides what is made and shipped. "
    "The same order data that CRM keeps to know the customer tells the warehouse what to send.",
    hint="Ask of each practice: does the plan come first, or the customer's order?",
)
