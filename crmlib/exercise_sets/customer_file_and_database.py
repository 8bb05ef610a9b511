"""Exercises of notebooks/04_information/01_customer_file_and_database.ipynb.

The notebook asks for SQL; the expected answers here are computed with pandas from the same
shipped tables, so the two routes check each other.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = ["sales_2025_c10013", "most_visits_2025", "most_overdue_manager", "website_accounts_without_orders"]


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
