"""Exercises of notebooks/04_information/03_database_marketing_and_recommendation.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import information, loyalty
from crmlib.concepts import MatchPairs, MultipleChoice, PutInOrder, SingleChoice
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = [
    "best_campaign_depth",
    "recency_top20_share",
    "frequency_auc",
    "sundae_partner",
    "database_marketing_steps",
    "crm_tools",
    "gains_meaning",
    "personalisation_limits",
]

_FEATURES = ["recency_days", "frequency", "monetary", "tenure_days"]


def _snapshot(as_of: str) -> pd.DataFrame:
    """The notebook's table: features at ``as_of`` and whether the member bought in the next 30 days."""
    table = loyalty.churn_labels(
        load_tea().orders, as_of, horizon_days=30, customer="member_id", date="order_time", amount="net_amount"
    )
    return table.assign(buys=~table["churned"])


def _test_scores() -> tuple[pd.DataFrame, pd.Series]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    train, test = _snapshot("2025-09-30"), _snapshot("2025-11-30")
    model = make_pipeline(StandardScaler(), LogisticRegression(random_state=0)).fit(train[_FEATURES], train["buys"])
    return test, pd.Series(model.predict_proba(test[_FEATURES])[:, 1], index=test.index)


def _best_campaign_depth() -> int:
    test, score = _test_scores()
    gains = information.gains_table(score, test["buys"])
    net = 12.0 * gains["buyers_reached"] - 2.0 * gains["targeted"]
    return int(net.idxmax())


def _recency_top20_share() -> float:
    test = _snapshot("2025-11-30")
    top = test.sort_values("recency_days", kind="stable").head(round(0.2 * len(test)))
    return round(float(top["buys"].sum() / test["buys"].sum()), 3)


def _frequency_auc() -> float:
    from sklearn.metrics import roc_auc_score

    test = _snapshot("2025-11-30")
    return round(float(roc_auc_score(test["buys"], test["frequency"])), 3)


def _sundae_partner() -> str:
    tea = load_tea()
    items = tea.order_items.merge(tea.orders[["order_id", "brand_id", "member_id"]], on="order_id")
    names = tea.products.set_index("product_id")["product_name"]
    pairs = information.also_bought(items[items["brand_id"] == "T3"], order="member_id")
    pairs = pairs.assign(bought=pairs["antecedent"].map(names), also=pairs["consequent"].map(names))
    sundae = pairs[pairs["bought"] == "Sundae"]
    return str(sundae.loc[sundae["confidence"].idxmax(), "also"])


def _snowy_product_names_zh() -> dict[str, str]:
    """Each Snowy Cup product's Chinese name -> its English product_name: either passes as an answer."""
    products = load_tea().products.query("brand_id == 'T3'")
    return dict(zip(products["product_name_zh"], products["product_name"], strict=True))


best_campaign_depth = Exercise(
    "With 2 CNY per contact and 12 CNY of extra margin per buyer reached, the depth (percent of test members "
    "targeted by model score, a whole number) that gives the campaign the highest net value",
    answer=_best_campaign_depth,
    hint=[
        "information.targeting_value adds cost, benefit and net value to the gains table, for every depth.",
        "valued = information.targeting_value(gains, cost_per_contact=2.0, value_per_buyer=12.0); the depth is "
        "the index of the largest net value: valued['net'].idxmax().",
    ],
    rtol=0,
)

recency_top20_share = Exercise(
    "Share of all test buyers reached by the top 20% of test members under the rule 'most recent buyers first'",
    answer=_recency_top20_share,
    hint=[
        "information.gains_table takes any score where higher means 'more likely to buy'.",
        "For recency, a small number of days is good, so the score is -test['recency_days']; read share_of_buyers "
        "at 20 in its gains table.",
    ],
    decimals=3,
)

frequency_auc = Exercise(
    "AUC on the test members of the rule 'most frequent buyers first' (score = frequency)",
    answer=_frequency_auc,
    hint=[
        "The AUC compares a score with what really happened: roc_auc_score(truth, score).",
        'roc_auc_score(test["buys"], test["frequency"]): more purchase days should mean more likely to buy.',
    ],
    decimals=3,
)

sundae_partner = Exercise(
    "Snowy Cup: which product has the highest confidence among members who bought Sundae? Its product_name.",
    answer=_sundae_partner,
    hint='Run information.also_bought on the T3 lines with order="member_id", add the product names, keep the '
    "rows whose antecedent is Sundae, and take the consequent with the largest confidence (.idxmax()).",
    ignore_case=True,
    ignore_whitespace=True,
    aliases=_snowy_product_names_zh,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
database_marketing_steps = PutInOrder(
    "Database marketing (数据库营销) works in four steps. Put them in order.",
    choices=[
        "predict how likely each customer is to buy",
        "collect and keep adding customer data: who they are, what they bought, how they responded",
        "position products and tailor the message to the customers most likely to respond",
        "process the data into one clean database: remove duplicates, fill gaps, join the tables",
    ],
    answer="B D A C",
    feedback={
        "A": "A prediction needs clean data to learn from, so it comes after processing; and its result is "
        "used to aim the offers, so it comes before tailoring.",
        "B": "Nothing can be processed or predicted before there are data: collecting comes first.",
        "C": "Tailoring the offer uses the prediction, so it is the last step (and its responses are "
        "collected again for the next round).",
        "D": "Raw data from separate systems are incomplete and duplicated; they are cleaned and joined "
        "right after collecting, before anything is predicted from them.",
    },
    explanation="Collect, process, predict, tailor: and the responses to each campaign become new data for "
    "the next round.",
    hint=["What do you need before you can predict anything?", "The offer is aimed last."],
)

crm_tools = MatchPairs(
    "Match each term with what it does.",
    choices=[
        "database marketing 数据库营销",
        "marketing automation 营销自动化",
        "sales force automation 销售自动化",
        "recommender system 推荐系统",
    ],
    targets=[
        "software that plans a campaign, picks its audience, sends the messages and measures who responded",
        "software that helps sales reps record visits, calls, contacts and deals",
        "ranks the products each customer is likely to want next and shows them first",
        "using collected customer data to predict who will buy and to aim the offer at them",
    ],
    answer="A4 B1 C2 D3",
    feedback={
        "A": "Database marketing is the whole idea of marketing from customer data: collect, process, predict, tailor.",
        "B": "Marketing automation runs campaigns with software: plan, select, send, measure.",
        "C": "Sales force automation supports the salespeople's own daily work, not campaigns.",
        "D": "A recommender system works per customer and per product: 'customers who bought this also bought ...'.",
    },
    explanation="Database marketing is the idea; marketing automation and recommender systems are tools that "
    "carry it out; sales force automation serves the sales team.",
    hint=["Which two are about campaigns, and which one about salespeople?", "营销 is marketing, 销售 is sales."],
)

gains_meaning = SingleChoice(
    "Contacting the top 20 % of members by purchase score reaches 50 % of next month's buyers. "
    "What does that tell the marketing team?",
    choices=[
        "the campaign will create 50 % more buyers",
        "half of the members contacted will buy",
        "the top 20 % holds 2.5 times as many buyers as a random 20 % would (lift 2.5)",
        "the other 80 % of members are not worth keeping",
    ],
    answer="C",
    feedback={
        "A": "These are buyers the score finds, and many of them would buy anyway. How many extra buyers a "
        "message adds can only be measured with a test (a random half gets the offer, the other does not).",
        "B": "50 % is the share of all buyers who are in the top group, not the share of the group who buy. "
        "Those are different numbers.",
        "D": "The other 80 % still hold the other half of the buyers; they are just harder to find by score.",
    },
    explanation="A random 20 % would reach 20 % of the buyers; reaching 50 % is 50 / 20 = 2.5 times as good. "
    "That is what scoring buys: fewer wasted contacts.",
    hint=["What share of buyers would a random 20 % of members reach?", "Lift = share of buyers / share contacted."],
)

personalisation_limits = MultipleChoice(
    "Which of these cross the lines Chinese law draws for personalised marketing? Pick every one that applies.",
    choices=[
        "showing a loyal regular a higher price than a new customer for the same product, because of her "
        "profile (大数据杀熟)",
        "pushing personalised advertising with no way to refuse it or switch it off",
        "profiling members under 14 to send them sweet-drink offers, without a parent's consent",
        "recommending an inner pot to a customer who just bought a rice cooker, with a switch to turn "
        "recommendations off",
        "texting a customer that the order she placed has been sent",
    ],
    answer="A B C",
    feedback={
        "D": "Recommending a related product is allowed when it is fair and the customer can refuse it; here "
        "she can switch it off.",
        "E": "A message about the customer's own order is a service message, not personalised marketing.",
    },
    explanation="Automated decisions must be fair and transparent, personalised pushes need a way out, and "
    "sensitive information, such as children's, needs a strong reason and separate consent.",
    hint=["Three options break a rule.", "Look for unfair prices, no way out, and children's data."],
)
