"""Exercises of casestudies/industrial_key_accounts/industrial_key_accounts.ipynb.

The answers use :data:`REFERENCE_WEIGHTS`, the weights the case's weights cell starts with (the
same as chapter 1's). A student who has changed the weights gets a different tiering, so the
exercises say "with the reference weights".
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import identify
from crmlib.concepts import MatchPairs, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "REFERENCE_WEIGHTS",
    "FUTURE",
    "accounts_for_80",
    "first_manager",
    "package_industry",
    "product_layers",
    "industrial_levers",
    "eighty_twenty",
]

#: Chapter 1's weights, current value 0.6 and future value 0.4 (kept in crmlib.identify, so the
#: notebook can compare a student's weights with them in the student edition too).
REFERENCE_WEIGHTS = identify.ACCOUNT_WEIGHTS
FUTURE = ["industry_position", "cooperation_years", "satisfaction"]
_WINDOW = (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))
#: The Chinese name of each industry (the one in the accounts' company names, e.g. 汇通医院有限公司,
#: and the words the Chinese notebook uses) -> the name the data's industry column uses: either passes.
_INDUSTRY_NAMES_ZH = {
    "酒店": "hotels",
    "餐饮": "restaurants",
    "餐厅": "restaurants",
    "办公": "offices",
    "写字楼": "offices",
    "学校": "schools",
    "医院": "hospitals",
    "物业": "property management",
    "物业管理": "property management",
    "物业公司": "property management",
    "连锁零售": "retail chains",
    "连锁零售企业": "retail chains",
}


@lru_cache(maxsize=1)
def _accounts() -> pd.DataFrame:
    """The business accounts with criteria, tiers, exposure and account-care hours, as in the case."""
    retail = load_retail()
    accounts = identify.account_criteria(retail.customers, retail.orders, retail.order_lines, retail.surveys)
    scores = identify.value_score(accounts, REFERENCE_WEIGHTS, cost=["marketing_cost"], future=FUTURE)
    accounts["tier"] = identify.account_tiers(scores, strategic_share=0.2)["tier"]
    first_day = accounts["signup_date"].clip(lower=_WINDOW[0])
    accounts["years"] = ((_WINDOW[1] - first_day).dt.days + 1) / 365.25
    care = retail.activities[retail.activities["opportunity_id"].isna()]
    hours = care.groupby("customer_id")["duration_min"].sum() / 60
    accounts["care_hours"] = accounts["customer_id"].map(hours).fillna(0.0)
    lines = retail.order_lines.merge(retail.orders[["order_id", "customer_id"]], on="order_id")
    bought = lines.merge(retail.products[["product_id", "category"]], on="product_id")
    categories = bought.groupby("customer_id")["category"].nunique()
    accounts["categories"] = accounts["customer_id"].map(categories).fillna(0)
    return accounts


def _accounts_for_80() -> float:
    margin = _accounts()["margin"].sort_values(ascending=False)
    running = margin.cumsum() / margin.sum()
    needed = int((running < 0.8).sum()) + 1  # the account that takes the total past 80% counts
    return round(needed / len(margin), 2)


def _under_served() -> pd.DataFrame:
    """Strategic accounts (at least half a year in the window) below the median general account's hours."""
    accounts = _accounts()
    settled = accounts[accounts["years"] >= 0.5]
    rate = settled["care_hours"] / settled["years"]
    general_median = rate[settled["tier"] == "general"].median()
    return settled[(settled["tier"] == "strategic") & (rate < general_median)]


def _first_manager() -> str:
    return str(_under_served().groupby("account_manager_id")["margin"].sum().idxmax())


def _package_industry() -> str:
    accounts = _accounts()
    few = accounts[(accounts["tier"] == "general") & (accounts["categories"] <= 4)]
    return str(few.groupby("industry", observed=True)["margin"].sum().idxmax())


accounts_for_80 = Exercise(
    "The smallest share of the business accounts, biggest margin first, that together bring 80% of the margin",
    answer=_accounts_for_80,
    hint=[
        "Sort the accounts by margin, biggest first, and follow the running share of the total margin.",
        "Count the accounts whose running share is still below 0.8, add one (the account that passes 0.8), "
        "and divide by the number of accounts.",
    ],
    decimals=2,
)

first_manager = Exercise(
    "With the reference weights: the account manager (account_manager_id) whose under-served strategic accounts "
    "bring the most margin in total",
    answer=_first_manager,
    hint=[
        "Section 2 left the under-served strategic accounts in the table `under`.",
        "Group their margin by account_manager_id, add it up, and take the manager with the largest total (idxmax).",
    ],
    ignore_case=True,
    ignore_whitespace=True,
)

package_industry = Exercise(
    "With the reference weights: among the general accounts that buy at most 4 of the 8 categories, the industry "
    "that brings the most margin in total",
    answer=_package_industry,
    hint=[
        "Section 4.2 gave every account a categories column; the tier column says general or strategic.",
        "Keep tier == 'general' and categories <= 4, group the margin by industry (observed=True), add it up "
        "and take the largest (idxmax).",
    ],
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_INDUSTRY_NAMES_ZH,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
product_layers = SortIntoClasses(
    "The whole product (产品整体概念) of the supplier has layers. Sort each item into its layer for a hotel that "
    "buys from us.",
    choices=[
        "helping the hotel plan the refurbishment of a whole floor",
        "beds, linen and lamps of the quality ordered",
        "delivery on the agreed day, in the right quantities",
        "invoices that match the contract",
        "keeping spare stock of the hotel's linen in our warehouse for it",
        "the furniture itself",
    ],
    classes=["core product 核心产品", "expected product 期望产品", "potential product 潜在产品"],
    answer="A3 B1 C2 D2 E3 F1",
    feedback={
        "A": "Planning with the customer goes beyond what it expects from a supplier today: a potential extra.",
        "B": "The goods themselves, as ordered, are the core of what the hotel buys.",
        "C": "The hotel takes punctual, complete delivery for granted: it notices only when it fails. That is "
        "the expected layer.",
        "D": "Correct paperwork is expected; a wrong invoice is a reason to complain, a right one earns no thanks.",
        "E": "Holding stock for one customer is an extra it does not expect yet: a potential layer that could "
        "tie it to us.",
        "F": "The furniture is what the hotel pays for: the core product.",
    },
    explanation="Customers leave over the expected layer more often than over the core, and the potential layer "
    "is where a supplier can stand out. Innovation moves the layers: today's potential extra becomes tomorrow's "
    "expected service.",
    hint=[
        "Ask of each item: is it the goods, what any customer takes for granted around the goods, or an extra?",
    ],
)

industrial_levers = MatchPairs(
    "Section 4 looked at the loyalty levers for industrial customers (工业品客户的忠诚策略). Match each lever "
    "with the action this case proposes.",
    choices=[
        "raise the whole product value",
        "sell solutions, not just products",
        "help general accounts grow",
        "partner with strategic accounts",
        "be near the customer clusters",
    ],
    targets=[
        "advice and easy terms for the rising accounts as they expand",
        "a room package for a hotel that buys only a few categories",
        "a base for an account manager in the North",
        "a named service contact and priority delivery for strategic accounts",
        "joint range planning and shared forecasts with the strategic accounts",
    ],
    answer="A4 B2 C1 D5 E3",
    feedback={
        "A": "The whole product adds to the goods what customers expect around them: here, service and delivery.",
        "B": "A solution answers the customer's whole problem (a furnished room), not single items.",
        "C": "Growing a general account means helping its own business grow, so that it buys more.",
        "D": "Partnering means working together on the business itself: ranges, forecasts, stock.",
        "E": "Being near the clusters cuts travel and delivery times for the accounts that matter.",
    },
    explanation="Visits are one lever; the product, the offer, the relationship and even where the firm sits "
    "keep industrial customers loyal too.",
    hint=["Which action is about place, which about the customer's growth, which about working together?"],
)

eighty_twenty = SingleChoice(
    "In this case the strategic fifth of the accounts brings about seven tenths of the margin, and the general "
    "accounts (一般客户) the rest. What does the 80/20 rule (二八法则) suggest the supplier should do?",
    choices=[
        "Serve every account the same way: every customer is equally important.",
        "Put most of the personal attention on the few key accounts, and keep a steady, standard, lower-cost "
        "service for the many others.",
        "Drop the general accounts: they bring too little to be worth serving.",
        "Spend the most visits on the general accounts, because there are more of them.",
    ],
    answer="B",
    feedback={
        "A": "Equal service ignores how unevenly value is spread; the team's time is limited and goes further "
        "where the margin is.",
        "C": "The many smaller accounts (the 普通客户 of the 80/20 rule) still bring about a fifth of the margin, "
        "and some of them are rising accounts worth growing.",
        "D": "That is today's pattern the case criticises: effort that follows the number of accounts, not "
        "their value.",
    },
    explanation="The 80/20 rule is a guide for limited resources: the key customers (关键客户) get value-added, "
    "personal service; the many others keep a good standard service at a controlled cost.",
    hint=["Is the rule about ignoring customers or about where scarce time goes?"],
)
