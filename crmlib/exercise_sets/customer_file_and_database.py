"""Exercises of notebooks/04_information/01_customer_file_and_database.ipynb.

The notebook asks for SQL; the expected answers here are computed with pandas from the same
shipped tables, so the two routes check each other.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.concepts import MatchPairs, MultipleChoice, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "sales_2025_c10013",
    "most_visits_2025",
    "most_overdue_manager",
    "website_accounts_without_orders",
    "uses_of_information",
    "customer_file_parts",
    "decision_roles",
    "information_silo",
    "marketing_automation",
]


@lru_cache(maxsize=1)
def _retail():
    """The retailer's tables, loaded once for all the exercises of this notebook."""
    return load_retail()


def _sales_2025_c10013() -> float:
    orders = _retail().orders
    mine = orders[(orders["customer_id"] == "C10013") & (orders["order_date"].dt.year == 2025)]
    return round(float(mine["amount"].sum()), 2)


def _most_visits_2025() -> str:
    acts = _retail().activities
    visits = acts[(acts["activity_type"] == "visit") & (acts["activity_date"].dt.year == 2025)]
    return str(visits["rep_id"].value_counts().idxmax())


def _most_overdue_manager() -> str:
    orders = _retail().orders
    as_of = orders["order_date"].max()
    due = orders["order_date"] + pd.to_timedelta(orders["payment_terms_days"], unit="D")
    overdue = orders[orders["paid_date"].isna() & (due < as_of)]
    return str(overdue.groupby("rep_id")["amount"].sum().idxmax())


def _website_accounts_without_orders() -> int:
    retail = _retail()
    won = retail.opportunities[retail.opportunities["status"] == "won"].merge(
        retail.leads[["lead_id", "source"]], on="lead_id"
    )
    website = won[won["source"] == "website"]
    return int((~website["customer_id"].isin(retail.orders["customer_id"])).sum())


sales_2025_c10013 = Exercise(
    "Total amount of the orders customer C10013 placed in 2025 (CNY, 2 decimals)",
    answer=_sales_2025_c10013,
    hint="SELECT SUM(amount) FROM orders WHERE customer_id = :cid AND strftime('%Y', order_date) = '2025' "
    "(dates are text 'YYYY-MM-DD', so order_date LIKE '2025%' works too). Take the one value with .iloc[0, 0].",
    decimals=2,
)

most_visits_2025 = Exercise(
    "Which rep made the most visits in 2025? Their rep_id.",
    answer=_most_visits_2025,
    hint="Count the activities with activity_type = 'visit' in 2025, GROUP BY rep_id, ORDER BY the count "
    "DESC, LIMIT 1.",
    ignore_case=True,
    ignore_whitespace=True,
)

most_overdue_manager = Exercise(
    "Whose accounts owe the most overdue money on the last day of the data? The account manager's rep_id.",
    answer=_most_overdue_manager,
    hint="Reuse status_sql of section 5 (it needs as_of=as_of): keep the orders WHERE {status_sql} = 'overdue', "
    "SUM(amount) per rep_id (orders.rep_id is the account manager) and take the largest.",
    ignore_case=True,
    ignore_whitespace=True,
)

website_accounts_without_orders = Exercise(
    "How many accounts won from website leads have not placed a single order?",
    answer=_website_accounts_without_orders,
    hint="Start from leads with source 'website', JOIN the won opportunities (they carry the new customer_id), "
    "LEFT JOIN orders on customer_id and count the accounts whose order_id IS NULL.",
    rtol=0,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
uses_of_information = MultipleChoice(
    "Which of these are real uses of customer information (客户信息的作用)? Pick every one that applies.",
    choices=[
        "telling valuable customers from costly ones, so each gets the right level of service",
        "guiding product development from what customers actually buy",
        "reaching the right person, through the right channel, about the right thing",
        "selling the customer list to other firms as an extra source of income",
        "collecting every detail you can get, in case it is useful one day",
    ],
    answer="A B C",
    feedback={
        "D": "Customers gave their data to you for your business with them. Passing it to other firms without "
        "their separate consent breaks the Personal Information Protection Law (个人信息保护法), and it "
        "destroys the trust the data was meant to build.",
        "E": "Data without a purpose costs money to store and clean, and the law asks for the minimum necessary "
        "(最小必要原则). Collect what serves a decision, not everything.",
    },
    explanation="Good customer information supports decisions, customer grading, communication, loyalty, cheaper "
    "sales and marketing, and product development; using it systematically is database marketing (数据库营销).",
    hint=["Ask of each option: does it help the firm serve its own customers better?", "Two options are wrong."],
)

customer_file_parts = SortIntoClasses(
    "A business customer's file (客户档案) has three parts. Put each fact into its part.",
    choices=[
        "the purchasing manager's phone number",
        "the customer's main competitors",
        "the prices we charged on last year's orders",
        "who in the customer's firm makes the final buying decision",
        "the customer's credit standing and finances",
        "the complaints it made about our deliveries",
        "the marketing cost we spent on this account",
    ],
    classes=["basic data 客户基本信息", "business situation 客户经营动向", "transaction history 客户历史交易状况"],
    answer="A1 B2 C3 D1 E2 F3 G3",
    feedback={
        "A": "Contact details are basic data: who the customer is and how to reach them.",
        "B": "Competitors are part of the customer's own business situation, not of its dealings with us.",
        "C": "Prices on past orders record what happened between us and the customer: transaction history.",
        "D": "The decision structure (who decides, who influences, who executes, who negotiates) belongs to "
        "the basic data about the organisation.",
        "E": "Credit and finances describe how the customer's business is doing: business situation.",
        "F": "Complaints are part of the history of our dealings with the customer: transaction history.",
        "G": "Our marketing cost on the account is counted with its volumes, prices and profit in the "
        "transaction history.",
    },
    explanation="Basic data says who the customer is, the business situation how its business goes, and the "
    "transaction history what it has done with us; gaps in any part are tasks for the account manager.",
    hint=[
        "Ask: is it about who they are, how their business goes, or what they did with us?",
        "Everything that happened between us and the customer (orders, prices, complaints, our cost) is history.",
    ],
)

decision_roles = MatchPairs(
    "A restaurant chain buys kitchen supplies from us. Match each role in its decision structure (决策结构) "
    "with the person who plays it.",
    choices=["decision maker 最终决策者", "influencer 影响者", "executor 执行者", "negotiator 谈判者"],
    targets=[
        "the purchasing clerk who places the orders",
        "the owner, who signs off every new supplier",
        "the finance manager, who haggles over price and payment terms",
        "the head chef, who uses the products and says which brand works",
    ],
    answer="A2 B4 C1 D3",
    feedback={
        "A": "The decision maker has the last word on whether to buy: here the person who signs off suppliers.",
        "B": "An influencer does not decide but shapes the choice, often because they use the product.",
        "C": "The executor carries out the purchase once it is decided: the person who places the orders.",
        "D": "The negotiator argues about the terms of the deal: price, discounts, payment.",
    },
    explanation="A firm does not buy; people in it do. Win only the clerk and the deal can still stall at the "
    "owner, the chef or the finance manager.",
    hint=["Who has the last word? Who actually uses the product?", "The person who argues about price negotiates."],
)

information_silo = SingleChoice(
    "Marketing keeps its leads in one system, sales keeps deals in another and the service desk keeps "
    "complaints in a third. Nobody can tell which campaign brought the customers who complain most. "
    "What is the problem, and what fixes it?",
    choices=[
        "information silos (信息孤岛): integrate the systems so one customer can be followed from campaign "
        "to sale to service",
        "a data breach: encrypt each of the three systems",
        "duplicate records: delete the copies in two of the systems",
        "too much marketing automation: switch off the automatic rules",
    ],
    answer="A",
    feedback={
        "B": "A data breach means personal information leaked to people who should not have it. Nothing leaked "
        "here; the data simply does not connect, and encryption would not connect it.",
        "C": "The three systems hold different facts (leads, deals, complaints), not copies of the same ones. "
        "Deleting any of them loses information instead of linking it.",
        "D": "Marketing automation is not the cause; it needs joined data to work well. The problem is that the "
        "departments' data are kept apart.",
    },
    explanation="Only joined data follows a customer over the whole life cycle (campaign → sale → service), so "
    "each department sees what the others know.",
    hint=["Is anything lost or leaked, or is it just kept apart?", "Think of islands that cannot reach each other."],
)

marketing_automation = SingleChoice(
    "Which of these is an example of marketing automation (营销自动化)?",
    choices=[
        "a sales rep records each visit and call in the CRM app on her phone",
        "every night a rule selects the accounts with no order for 90 days whose decision maker has agreed to "
        "marketing, sends them an offer and records who responds",
        "a robot in the warehouse packs the orders",
        "once a year, staff send the same advertisement by hand to every phone number the firm has",
    ],
    answer="B",
    feedback={
        "A": "Recording visits and calls supports the sales rep's own work: that is sales force automation "
        "(销售自动化, SFA), not the planning and running of campaigns.",
        "C": "Packing orders is automation in logistics. Marketing automation selects customers, sends "
        "messages and measures the response.",
        "D": "This is done by hand, is not aimed at anyone and measures nothing; and sending marketing to people "
        "who have not agreed breaks the law (PIPL).",
    },
    explanation="Marketing automation plans, runs and measures campaigns with little manual work, and it must "
    "check consent every time, because nobody reads its output by hand.",
    hint=["Which option plans, sends and measures a campaign?", "SFA helps salespeople; MA runs campaigns."],
)
