"""Exercises of notebooks/05_loyalty/03_customer_lifetime_value.ipynb."""
from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import clv, identify, loyalty
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise
from crmlib.plots import calibration_holdout_table

__all__ = ["tea_member_clv", "quiet_regulars", "holdout_ratio", "top20_overlap"]

_END = "2025-12-31"
_CALIBRATION_END = "2025-06-30"


@cache
def _orders() -> pd.DataFrame:
    """The consumers' orders, as in the notebook."""
    retail = load_retail()
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    return retail.orders[retail.orders["customer_id"].isin(consumers)]


def _weekly(orders: pd.DataFrame, end: str) -> pd.DataFrame:
    return clv.convert_time_unit(clv.rfm_summary(orders, observation_end=end), "W")


@cache
def _models():
    summary = _weekly(_orders(), _END)
    return summary, clv.BetaGeo().fit(summary), clv.GammaGamma().fit(summary)


def _quiet_regulars() -> int:
    summary, bg, _ = _models()
    return int(((summary["frequency"] >= 5) & (bg.prob_alive(summary) < 0.5)).sum())


def _holdout_ratio() -> float:
    orders = _orders()
    calib = _weekly(orders[orders["order_date"] <= _CALIBRATION_END], _CALIBRATION_END)
    model = clv.BetaGeo().fit(calib)
    holdout = orders[(orders["order_date"] > _CALIBRATION_END) & orders["customer_id"].isin(calib.index)]
    actual = holdout.groupby("customer_id")["order_date"].nunique()
    weeks = (pd.Timestamp(_END) - pd.Timestamp(_CALIBRATION_END)).days / 7
    table = calibration_holdout_table(calib, actual, model, weeks)
    return round(float((table["predicted"] * table["customers"]).sum() / actual.sum()), 3)


def _top20_overlap() -> float:
    summary, bg, gg = _models()
    value = clv.clv(bg, gg, summary, months=12, discount_rate=0.01)
    scores = identify.rfm_scores(identify.rfm_table(_orders(), as_of=_END)).set_index("customer_id")
    n = len(scores) // 5
    top_rfm = scores.sort_values(["RFM_sum", "monetary"], ascending=False).index[:n]
    top_clv = value["clv"].sort_values(ascending=False).index[:n]
    return round(len(top_rfm.intersection(top_clv)) / n, 3)


tea_member_clv = Exercise(
    "Simple CLV of a tea member: 25 CNY margin a month, monthly retention 0.85, monthly discount rate 1%, 24 months",
    answer=lambda: loyalty.simple_clv(25, retention=0.85, discount_rate=0.01, periods=24),
    hint="loyalty.simple_clv(margin_per_period, retention, discount_rate, periods=...) with one period = one month.",
)

quiet_regulars = Exercise(
    "Number of consumers with 5 or more repeat purchases whose P(alive) at the end of 2025 is below 0.5 (full-data model)",
    answer=_quiet_regulars,
    hint="bg.prob_alive(summary) gives one probability per consumer; combine (summary['frequency'] >= 5) with "
         "(probability < 0.5) using & and count the True values with .sum().",
)

holdout_ratio = Exercise(
    "Calibration model: total predicted holdout purchases divided by total actual holdout purchases (3 decimals)",
    answer=_holdout_ratio,
    hint="calib_model.predict_purchases(holdout_weeks, calib) predicts each calibration customer; add them up and "
         "divide by holdout_purchases.sum().",
    rtol=2e-3,
)

top20_overlap = Exercise(
    "Share of the CLV top 20% of consumers who are also in the RFM top 20% (ranked as in the notebook, 3 decimals)",
    answer=_top20_overlap,
    hint="Repeat the notebook's top-10% comparison with n = len(scores) // 5: the first n ids of each ranking, "
         "then len(top_rfm.intersection(top_clv)) / n.",
)
