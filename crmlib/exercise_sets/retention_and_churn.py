"""Exercises of notebooks/05_loyalty/02_retention_and_churn.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib import loyalty
from crmlib.datasets import load_tea
from crmlib.exercises import Exercise

__all__ = ["collab_month3_by_brand", "base_rate_march", "recall_at_03", "best_threshold_financial"]

_ORDERS = dict(customer="member_id", date="order_time", amount="net_amount")
_TRAIN_AS_OF, _TEST_AS_OF, _HORIZON = "2025-06-30", "2025-09-30", 90
_FEATURES = [*loyalty.CHURN_FEATURES, "collab_joiner"]
_MARGIN_RATE, _DISCOUNT_RATE, _QUARTERS = 0.60, 0.02, 4


@lru_cache(maxsize=1)
def _tea():
    return load_tea()


def _active(as_of: str) -> pd.DataFrame:
    """Churn labels at ``as_of`` for members who bought in the horizon before it, with the collab flag."""
    tea = _tea()
    labels = loyalty.churn_labels(tea.orders, as_of=as_of, horizon_days=_HORIZON, **_ORDERS)
    kept = labels[labels["recency_days"] < _HORIZON].copy()
    collab = tea.members.set_index("member_id")["join_channel"].eq("collab campaign").astype(int)
    kept["collab_joiner"] = collab.reindex(kept.index).to_numpy()
    return kept


@lru_cache(maxsize=1)
def _train_test() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _active(_TRAIN_AS_OF), _active(_TEST_AS_OF)


def _collab_month3_by_brand() -> pd.Series:
    tea = _tea()
    orders = tea.orders.merge(tea.members[["member_id", "join_channel"]], on="member_id")
    both = loyalty.cohort_table(orders, customer="member_id", date="order_time", by=["brand_id", "join_channel"])
    month3 = both.xs(3, level="period_number").xs("collab campaign", level="join_channel")
    sums = month3.groupby("brand_id", observed=True)[["active_customers", "cohort_size"]].sum()
    return (sums["active_customers"] / sums["cohort_size"]).round(3)


def _base_rate_march() -> float:
    return round(float(_active("2025-03-31")["churned"].mean()), 3)


def _recall_at_03() -> float:
    train, test = _train_test()
    model = loyalty.ChurnModel(features=_FEATURES, threshold=0.3).fit(train)
    return round(float(model.evaluate(test).loc["recall", "value"]), 3)


def _best_threshold_financial() -> float:
    tea = _tea()
    train, test = _train_test()
    model = loyalty.ChurnModel(features=_FEATURES).fit(train)
    orders = tea.orders
    day = orders["order_time"].dt.normalize()
    window = orders[(day > pd.Timestamp(_TEST_AS_OF) - pd.Timedelta(days=_HORIZON)) & (day <= _TEST_AS_OF)]
    quarter_margin = _MARGIN_RATE * window.groupby("member_id")["net_amount"].sum()
    scored = test.assign(churn_probability=model.predict_proba(test))
    scored["value_if_kept"] = loyalty.simple_clv(
        quarter_margin.reindex(scored.index),
        retention=1 - train["churned"].mean(),
        discount_rate=_DISCOUNT_RATE,
        periods=_QUARTERS,
    )
    grid = loyalty.retention_campaign_table(scored)
    financial = grid[grid["bond"] == "financial"]
    return float(financial.loc[financial["net_value"].idxmax(), "threshold"])


collab_month3_by_brand = Exercise(
    "Pooled month-3 retention of collab-campaign joiners, per brand, rounded to 3 decimals",
    answer=_collab_month3_by_brand,
    hint="loyalty.cohort_table(with_channel, customer='member_id', date='order_time', by=['brand_id', 'join_channel']); "
    "take period 3 with .xs(3, level='period_number') and the collab rows with .xs('collab campaign', level='join_channel'); "
    "then per brand: sum of active_customers / sum of cohort_size.",
    atol=5e-4,
)

base_rate_march = Exercise(
    "Churn rate among active members as of 2025-03-31 (90-day horizon), rounded to 3 decimals",
    answer=_base_rate_march,
    hint="active_members(loyalty.churn_labels(orders, as_of='2025-03-31', horizon_days=90, **ORDERS)), "
    "then the mean of its 'churned' column.",
    atol=5e-4,
)

recall_at_03 = Exercise(
    "Recall on the test members of the churn model with threshold 0.3, rounded to 3 decimals",
    answer=_recall_at_03,
    hint="loyalty.ChurnModel(features=FEATURES, threshold=0.3).fit(train).evaluate(test) is a table indexed by "
    "metric; take .loc['recall', 'value'].",
    atol=5e-4,
)

best_threshold_financial = Exercise(
    "Threshold of loyalty.retention_campaign_table's grid with the highest net value for the financial offer",
    answer=_best_threshold_financial,
    hint="grid = loyalty.retention_campaign_table(scored); keep the rows with bond == 'financial', and take the threshold of the row "
    "with the largest net_value (.idxmax()).",
    atol=1e-6,
)
