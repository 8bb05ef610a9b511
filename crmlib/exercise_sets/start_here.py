"""Exercises of notebooks/00_overview/00_start_here.ipynb (the primer).

The story: Xiao Chen manages the small Lotus Lane street shop in Changsha (store S083), opened in
July 2025. Every answer below is computed from the shipped tea data, not typed in.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from crmlib.concepts import SingleChoice
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "run_in_order",
    "cups_for_target",
    "paid_column",
    "gift_limit",
    "best_member_share",
    "key_customers",
    "free_drinks",
]

_SHOP = "S083"
_TARGET_YUAN = 500  # the tasting-day goal of step 2
_MAX_GIFTS = 10  # the cakes Xiao Chen can give away in step 4
_STAMPS_PER_DRINK = 10  # the stamp card of step 7


@lru_cache(maxsize=1)
def _shop_orders() -> pd.DataFrame:
    orders = load_tea().orders
    return orders[orders["store_id"] == _SHOP]


def _cups_for_target() -> int:
    products = load_tea().products.set_index("product_name")
    price = float(products.loc["Osmanthus Oolong Milk", "price"])
    return math.ceil(_TARGET_YUAN / price)


def _paid_column() -> str:
    """The one money column that equals gross_amount minus discount on every order of the chain."""
    orders = load_tea().orders
    after_discount = orders["gross_amount"] - orders["discount"]
    found = [
        column
        for column in orders.select_dtypes("number").columns
        if column not in ("gross_amount", "discount") and (orders[column] - after_discount).abs().max() < 1e-9
    ]
    if len(found) != 1:
        raise ValueError(f"expected one column of amounts after discount, found {found}")
    return found[0]


def _gift_limit() -> int:
    paid = _shop_orders()["net_amount"]
    return next(limit for limit in range(math.ceil(paid.max()) + 2) if (paid >= limit).sum() <= _MAX_GIFTS)


def _best_member_share() -> float:
    spend = _shop_orders().groupby("member_id")["net_amount"].sum()
    return round(float(spend.max() / spend.sum()), 2)


def _free_drinks() -> int:
    items = _shop_orders().groupby("member_id")["n_items"].sum()
    return int((items // _STAMPS_PER_DRINK).sum())


# --- step 1: run a cell (a concept question on how a notebook remembers) ----------------------

run_in_order = SingleChoice(
    "Tomorrow you open this notebook again and run only the cell of step 4. Python answers "
    "NameError: name 'shop' is not defined. Why?",
    choices=[
        "The shop's data was deleted overnight.",
        "Python starts with an empty memory each time: the cell that makes `shop` has not run yet.",
        "Step 4 has a spelling mistake that must be fixed.",
        "A notebook works only once; you must download it again.",
    ],
    answer="B",
    feedback={
        "A": "The data files are still there; closing a notebook deletes nothing. What is gone is Python's "
        "memory of what the cells made.",
        "C": "The code is the same as the day before, when it worked. What changed is which cells have run "
        "since you opened the notebook.",
        "D": "A notebook runs as often as you like. It only needs its cells run from the top, in order.",
    },
    explanation="Python remembers a name only after the cell that makes it has run, and it forgets everything "
    "when the notebook is closed. Run the cells from the top, in order (or Run → Run All Cells).",
    hint=[
        "What does Python still know after you close the notebook?",
        "Which cell makes the name shop, and has it run today?",
    ],
)

# --- step 2: change a number ----------------------------------------------------------------

cups_for_target = Exercise(
    f"The smallest number of cups of Osmanthus Oolong Milk that brings in at least {_TARGET_YUAN} yuan "
    "(a whole number, 0 decimals)",
    answer=_cups_for_target,
    hint=[
        "Change cups in the cell of step 2, run it, and look at the result. Too low? Try a bigger number.",
        f"Find the number where the result first reaches {_TARGET_YUAN}: one cup fewer must stay below it.",
    ],
    decimals=0,
)

# --- step 3: read a table -------------------------------------------------------------------

paid_column = Exercise(
    "The name of the column that holds what a member really paid, after any discount",
    answer=_paid_column,
    hint=[
        "Three columns of the table hold money. Which one is left after the discount is taken off?",
        "In business, gross means before anything is taken off, and net means after.",
    ],
    ignore_case=True,
    ignore_whitespace=True,
)

# --- step 4: filter rows --------------------------------------------------------------------

gift_limit = Exercise(
    f"The lowest limit, in whole yuan, that gives at most {_MAX_GIFTS} orders a free cake (0 decimals)",
    answer=_gift_limit,
    hint=[
        "A higher limit means fewer orders get a cake. Change limit in the cell of step 4 and run it again.",
        f"Find the limit where the count first drops to {_MAX_GIFTS} or fewer; one yuan less gives more "
        f"than {_MAX_GIFTS}.",
    ],
    decimals=0,
)

# --- step 5: group and add up ---------------------------------------------------------------

best_member_share = Exercise(
    "Share of the shop's revenue that its best member brought",
    answer=_best_member_share,
    hint=[
        "A share is a part divided by the whole.",
        "The part is the top member's spend in the sorted table; the whole is what all members spent. "
        "Divide the first by the second, e.g. answer = 120 / 3000.",
    ],
    decimals=2,
)

# --- step 6: draw a chart (a concept question on the 80/20 rule) ----------------------------

key_customers = SingleChoice(
    "The chart shows that a few of the shop's members bring a large share of its revenue. What does the "
    "80/20 rule (二八法则) suggest Xiao Chen should do?",
    choices=[
        "Treat every member exactly the same, so nobody feels left out.",
        "Give the few key customers (关键客户) extra care so that they stay, and keep serving the others well.",
        "Stop serving the members who bring little revenue.",
        "Spend the whole budget on new members, since the old ones will stay anyway.",
    ],
    answer="B",
    feedback={
        "A": "Equal treatment spreads the effort thin: the few members who bring most of the money get no "
        "more attention than someone who came once.",
        "C": "The ordinary customers (普通客户) still bring part of the revenue, and some may become key "
        "customers later. The rule says where to put extra effort, not whom to drop.",
        "D": "Nobody stays 'anyway' when a rival treats them better, and losing one key customer costs this "
        "shop a large slice of its revenue.",
    },
    explanation="A minority of customers brings most of the value, so CRM gives them extra care where it "
    "matters most, while still serving everyone well.",
    hint="Which choice protects the revenue the chart shows, without losing anyone?",
)

# --- step 7: read and fix an error ----------------------------------------------------------

free_drinks = Exercise(
    f"Free drinks the shop's members have earned: one for every full {_STAMPS_PER_DRINK} stamps, "
    "one stamp per item (a whole number, 0 decimals)",
    answer=_free_drinks,
    hint=[
        "First fix the cell of step 7, so that it shows each member's items.",
        f"Only members with {_STAMPS_PER_DRINK} items or more have a free drink. A member with 25 items has "
        "earned 2. Add up the free drinks of those members.",
    ],
    decimals=0,
)
