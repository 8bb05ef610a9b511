"""Exercises of notebooks/01_identification/01_who_are_our_customers.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib.concepts import MultipleChoice, PutInOrder, SingleChoice, SortIntoClasses
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "franchise_share",
    "young_share_lotus",
    "top_category_lotus",
    "lapsed_high_value_revenue",
    "kinds_of_customer",
    "segmentation_bases",
    "why_segment",
    "identification_steps",
    "target_customer",
]


def _franchise_share() -> float:
    snowy = load_tea().stores.query("brand_id == 'T3'")
    return round(float((snowy["ownership"] == "franchise").mean()), 3)


def _young_share_lotus() -> float:
    lotus = load_tea().members.query("brand_id == 'T2'")
    return round(float(lotus["age_band"].isin(["under 18", "18-24"]).mean()), 3)


def _top_category_lotus() -> str:
    tea = load_tea()
    items = tea.order_items.merge(tea.products[["product_id", "brand_id", "category"]], on="product_id")
    lotus = items[items["brand_id"] == "T2"]
    return str(lotus.groupby("category", observed=True)["line_amount"].sum().idxmax())


def _lapsed_high_value_revenue() -> float:
    """The notebook's segmentation: top 20% spenders of their brand; lapsed = no order in the last 90 days."""
    orders = load_tea().orders
    data_end = orders["order_time"].max().normalize() + pd.Timedelta(days=1)
    members = orders.groupby("member_id").agg(
        brand_id=("brand_id", "first"), spend=("net_amount", "sum"), last_order=("order_time", "max")
    )
    high_value = members.groupby("brand_id", observed=True)["spend"].rank(pct=True, method="first") > 0.8
    lapsed = (data_end - members["last_order"]).dt.days > 90
    snowy = members["brand_id"] == "T3"
    return round(float(members.loc[snowy & high_value & lapsed, "spend"].sum() / members.loc[snowy, "spend"].sum()), 3)


franchise_share = Exercise(
    "Share of Snowy Cup (T3) stores that are run by franchisees, rounded to 3 decimals",
    answer=_franchise_share,
    decimals=3,
    hint='Keep the rows of tea.stores with brand_id "T3", compare the ownership column with "franchise" '
    "and take the mean of the True/False values.",
    atol=5e-4,
)

young_share_lotus = Exercise(
    "Share of Lotus Lane (T2) members younger than 25 (age bands 'under 18' and '18-24'), rounded to 3 decimals",
    answer=_young_share_lotus,
    decimals=3,
    hint='Keep the T2 rows of tea.members; .isin(["under 18", "18-24"]) on age_band gives True/False; '
    "its mean is the share.",
    atol=5e-4,
)

top_category_lotus = Exercise(
    "Which product category brings Lotus Lane (T2) the most revenue (order_items line_amount)?",
    answer=_top_category_lotus,
    hint="Merge tea.order_items with tea.products on product_id to get each line's brand_id and category, "
    "keep T2, add up line_amount by category and take .idxmax().",
    ignore_case=True,
    ignore_whitespace=True,
)

lapsed_high_value_revenue = Exercise(
    "Share of Snowy Cup (T3) revenue that comes from its 'high value, lapsed' members, rounded to 3 decimals",
    answer=_lapsed_high_value_revenue,
    decimals=3,
    hint='Use the profiles table built in the notebook: keep brand_id "T3", add up spend where segment is '
    '"high value, lapsed", and divide by the spend of all T3 members.',
    atol=5e-4,
)


# --- concept checks (概念自测) -------------------------------------------------------------------

kinds_of_customer = SortIntoClasses(
    "Who is a customer of the tea chain's head office? Sort each one into its kind of customer.",
    choices=[
        "store staff, who rely on head office for training, recipes and supplies",
        "a member who orders a drink in one of Aurora Leaf's own stores",
        "a franchisee who buys the Snowy Cup brand, training and supplies from head office",
        "a student who buys a drink in a franchised Snowy Cup store",
        "the marketing department, which relies on the IT team for member data",
        "a hotel that buys Lotus Lane gift cards from head office for its guests",
    ],
    classes=[
        "internal customer 内部客户",
        "external, direct customer 直接客户",
        "external, the customer's customer (indirect customer 间接客户)",
    ],
    answer="A1 B2 C2 D3 E1 F2",
    feedback={
        "A": "Staff work inside the firm; they are served by head office, so they are internal customers.",
        "B": "Aurora Leaf runs its own stores, so the member buys straight from the firm: a direct customer.",
        "C": "The franchisee pays head office for the brand and supplies: it buys from us directly, even though "
        "it runs a business of its own.",
        "D": "The student buys from the franchisee, not from head office: the customer of our customer.",
        "E": "A department inside the firm that depends on another department's work is an internal customer.",
        "F": "The hotel buys from head office itself, so it is a direct customer. Its guests, who use the cards, "
        "would be the customer's customers.",
    },
    explanation="A customer is anyone the firm serves: people inside it (internal) and outside it (external), "
    "both those who buy from us directly and the customers of our customers.",
    hint=["First ask: does the person work for the firm?", "If not: who do they pay, head office or someone else?"],
)

segmentation_bases = SortIntoClasses(
    "Each split below uses one basis of segmentation (客户细分). Sort them into needs, value or behaviour.",
    choices=[
        "members who want delivery vs members who come for the ritual in the shop",
        "the top 20% of members by total spend vs the rest",
        "members who ordered in the last 90 days vs members who have gone quiet",
        "buyers who look for the lowest price vs buyers who want a drink worth a photo",
        "members ranked by their customer lifetime value",
        "weekday regulars vs weekend visitors",
    ],
    classes=["needs 按需求细分", "value 按价值细分", "behaviour 按行为细分"],
    answer="A1 B2 C3 D1 E2 F3",
    feedback={
        "A": "Delivery or the visit is about what the customer wants from the brand: a need.",
        "B": "Total spend measures what a member is worth to the firm: value.",
        "C": "Still ordering or gone quiet is about how members buy, their behaviour.",
        "D": "A low price or a special drink is what the customer wants: a need, even if it shows later in "
        "what they buy.",
        "E": "Lifetime value is the clearest measure of what a customer is worth: value.",
        "F": "When and how often someone comes is a buying habit: behaviour.",
    },
    explanation="Needs ask what customers want, value asks what they are worth to us, behaviour asks how they "
    "buy. Needs are the hardest to observe, so firms often read them from preferences.",
    hint="For each split ask: is it about wanting, about money for the firm, or about habits?",
)

why_segment = MultipleChoice(
    "Why do firms segment their customers? Pick every reason the notebook gives.",
    choices=[
        "to choose which groups to serve, and with what offer",
        "to spend a limited budget and staff time where they pay back most",
        "to find groups worth more (or less) than they look",
        "to serve a group better than competitors who treat everyone alike",
        "to give every customer exactly the same offer, which is fairest",
        "to avoid collecting information about customers",
    ],
    answer="A B C D",
    feedback={
        "E": "That is the opposite of segmenting: segments exist so that groups can be treated differently. "
        "The same offer for all wastes money on some and is too little for others.",
        "F": "Segmentation needs information: it is step 2, built on the profiles collected in step 1.",
    },
    explanation="Targeting, limited resources, uncovering value and differentiation: four reasons for one "
    "idea, that different customers deserve different treatment.",
    hint="Four options are right. Two contradict what segmentation is.",
)

identification_steps = PutInOrder(
    "Put the steps from raw data to different treatment in order, the first step first.",
    choices=[
        "split the customers into segments 客户细分",
        "serve each chosen segment in its own way",
        "collect information into a customer profile 客户档案",
        "choose which segments to target 目标客户",
    ],
    answer="C A D B",
    feedback={
        "A": "Segmenting needs the profiles first, and it comes before any choice of whom to target.",
        "B": "Serving each segment differently is the last step: it needs segments and a choice among them.",
        "C": "Collecting information is the first step: without a profile there is nothing to split.",
        "D": "You can only choose target segments once the segments exist.",
    },
    explanation="Collect, segment, choose, serve: identification (客户识别) comes first, then selection "
    "(客户选择) and the treatment that follows.",
    hint="What do you need before you can split customers into groups?",
)

target_customer = SingleChoice(
    "Snowy Cup sells drinks for a few yuan through more than ten thousand stores, many run by franchisees, in "
    "small cities and county towns. Which target customer (目标客户) fits it?",
    choices=[
        "the young urban white-collar worker who treats a good cup as a daily reward",
        "young people in Changsha, locals and tourists alike",
        "the price-conscious buyer in a small town",
        "hotels and offices that buy in bulk",
    ],
    answer="C",
    feedback={
        "A": "That is the premium chain's customer: it opens in big-city malls, which Snowy Cup does not.",
        "B": "That is the regional chain that stays in Changsha; Snowy Cup is in smaller towns all over.",
        "D": "All three chains sell single drinks to people. Bulk buyers would need account managers and "
        "invoices, not cheap cups in county towns.",
    },
    explanation="A low price, small towns and huge numbers of stores all point at the price-conscious "
    "small-town buyer: the brand earns little per cup and wins on volume.",
    hint="Look at the price and at where the stores are.",
)
