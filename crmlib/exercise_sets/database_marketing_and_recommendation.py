"""Exercises of notebooks/04_information/03_database_marketing_and_recommendation.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import information, loyalty
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["test_buy_rate", "top10_share_of_buyers", "recency_auc", "sundae_partner"]

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


def _test_buy_rate() -> float:
    return round(float(_snapshot("2025-11-30")["buys"].mean()), 3)


def _top10_share_of_buyers() -> float:
    test, score = _test_scores()
    return round(float(information.gains_table(score, test["buys"]).loc[10, "share_of_buyers"]), 3)


def _recency_auc() -> float:
    from sklearn.metrics import roc_auc_score

    test = _snapshot("2025-11-30")
    return round(float(roc_auc_score(test["buys"], -test["recency_days"])), 3)


def _sundae_partner() -> str:
    tea = load_tea()
    items = tea.order_items.merge(tea.orders[["order_id", "brand_id", "member_id"]], on="order_id")
    names = tea.products.set_index("product_id")["product_name"]
    pairs = information.also_bought(items[items["brand_id"] == "T3"], order="member_id")
    pairs = pairs.assign(bought=pairs["antecedent"].map(names), also=pairs["consequent"].map(names))
    sundae = pairs[pairs["bought"] == "Sundae"]
    return str(sundae.loc[sundae["confidence"].idxmax(), "also"])


test_buy_rate = Exercise(
    "Share of the test members (as of 2025-11-30) who bought in the next 30 days, 3 decimals",
    answer=_test_buy_rate,
    hint='test["buys"] is True for the members who bought; the mean of True/False values is the share of True.',
    atol=5e-4,
)

top10_share_of_buyers = Exercise(
    "Share of all test buyers reached by targeting the top 10% of members by model score, 3 decimals",
    answer=_top10_share_of_buyers,
    hint='The gains table is indexed by the percentage targeted; read the column "share_of_buyers" at 10 with .loc.',
    atol=5e-4,
)

recency_auc = Exercise(
    "AUC on the test members of the simple rule 'more recent buyers first' (score = minus recency_days), 3 decimals",
    answer=_recency_auc,
    hint='roc_auc_score(truth, score) wants a score where higher means "more likely to buy"; a member who '
    'bought recently has a small recency_days, so use -test["recency_days"].',
    atol=5e-4,
)

sundae_partner = Exercise(
    "Snowy Cup: which product has the highest confidence among members who bought Sundae? Its product_name.",
    answer=_sundae_partner,
    hint='Run information.also_bought on the T3 lines with order="member_id", add the product names, keep the '
    "rows whose antecedent is Sundae, and take the consequent with the largest confidence (.idxmax()).",
    ignore_case=True,
    ignore_whitespace=True,
)
