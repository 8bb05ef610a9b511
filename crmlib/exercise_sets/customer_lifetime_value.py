"""Exercises of notebooks/05_loyalty/03_customer_lifetime_value.ipynb."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlib import clv, identify, loyalty
from crmlib.clv import calibration_holdout_table
from crmlib.concepts import MultipleChoice, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "tea_member_clv",
    "quiet_regulars",
    "holdout_ratio",
    "top20_overlap",
    "clv_ingredients",
    "retention_lever",
    "zero_defection",
    "past_or_future",
    "call_list",
]

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
    decimals=2,
)

quiet_regulars = Exercise(
    "Number of consumers with 5 or more repeat purchases whose P(alive) at the end of 2025 is below 0.5 "
    "(full-data model)",
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
    decimals=3,
)

top20_overlap = Exercise(
    "Share of the CLV top 20% of consumers who are also in the RFM top 20% (ranked as in the notebook, 3 decimals)",
    answer=_top20_overlap,
    hint="Repeat the notebook's top-10% comparison with n = len(scores) // 5: the first n ids of each ranking, "
    "then len(top_rfm.intersection(top_clv)) / n.",
    decimals=3,
)


# --- concept checks (概念自测) ------------------------------------------------------------------
clv_ingredients = MultipleChoice(
    "Customer lifetime value (客户终身价值, CLV) is the profit a customer will bring over the rest of the "
    "relationship, in today's money. Which numbers drive it in the simple formula? Pick every one that applies.",
    choices=[
        "the margin the customer brings each period while she stays",
        "the retention rate: the chance she is still a customer next period",
        "the discount rate: how much less a yuan next year is worth than a yuan today",
        "the total she has spent with us so far",
        "what it cost to win her as a customer two years ago",
    ],
    answer="A B C",
    feedback={
        "D": "What she spent in the past is only evidence about her future margin and retention. CLV counts "
        "from now on; the past total is what RFM describes.",
        "E": "That money is already spent and does not change what she will bring from now on. It matters "
        "when deciding whether to win a new customer, not for the value of one we have.",
    },
    explanation="Margin, times the chance the customer is still there, times the discount, added up over the "
    "periods to come.",
    hint=["CLV looks forward, from today.", "Three options are right."],
)

retention_lever = SingleChoice(
    "A customer brings 100 CNY of margin a year; the discount rate is 10 % a year. With no end date, CLV = "
    "m (1 + d) / (1 + d − r). What happens to her CLV if the yearly retention rate rises from 0.8 to 0.9?",
    choices=[
        "it rises by about 12 %, as much as retention rose (0.9 / 0.8)",
        "it stays the same, because the margin did not change",
        "it rises by 50 %, from about 367 to 550 CNY",
        "it rises by exactly 10 CNY, one tenth of the margin",
    ],
    answer="C",
    feedback={
        "A": "Retention does not act once: it multiplies every later year (r, r², r³ ...), so a small rise in "
        "r grows the whole sum much more than r itself grew.",
        "B": "The margin per year is the same, but she is now expected to stay more years and bring it more often.",
        "D": "Work it out: 110 / (1.1 − 0.8) ≈ 367 and 110 / (1.1 − 0.9) = 550.",
    },
    explanation="110 / 0.3 ≈ 367 CNY and 110 / 0.2 = 550 CNY: retention is the strongest lever on CLV, which "
    "is why keeping customers pays.",
    hint=["Put r = 0.8 and then r = 0.9 into the formula.", "110 / 0.3 and 110 / 0.2."],
)

zero_defection = SingleChoice(
    "A loyalty strategy aims at 'zero defection' (零背叛). What does it mean?",
    choices=[
        "no faulty products leave the factory",
        "losing no customer the firm wants to keep, because every kept customer brings years of margin",
        "no employee leaves the firm",
        "never giving a customer a discount",
    ],
    answer="B",
    feedback={
        "A": "That is 零缺陷, zero defects, a goal of quality management. Zero defection is about customers, "
        "not products.",
        "C": "Loyal staff help to keep customers, but the term is about customers leaving (defecting), not employees.",
        "D": "Discounts have nothing to do with the term; a discount may even be one way to keep a customer.",
    },
    explanation="A defection is a customer who leaves; since retention multiplies every later year's margin, "
    "aiming to lose none is one of the most profitable goals a firm can set.",
    hint=["A 'defector' is someone who leaves one side for another.", "Do not confuse it with 零缺陷."],
)

past_or_future = SortIntoClasses(
    "Does each measure describe what a customer did in the past, or estimate what she will do?",
    choices=[
        "her RFM score",
        "her CLV",
        "her total spend last year",
        "the chance that she is still a customer (P(alive))",
        "her expected number of purchases in the next 12 months",
        "the number of orders she placed in 2025",
    ],
    classes=["describes the past 过去", "estimates the future 未来"],
    answer="A1 B2 C1 D2 E2 F1",
    feedback={
        "A": "Recency, frequency and money are all counted from what she already did.",
        "B": "Lifetime value is the margin she will bring from now on: a forecast.",
        "C": "Last year's spend is a record of what happened.",
        "D": "Whether she will buy again is not known yet; P(alive) is an estimate from her past rhythm.",
        "E": "Purchases still to come can only be estimated.",
        "F": "Orders already placed are a count of the past.",
    },
    explanation="Past behaviour is the evidence; CLV and P(alive) turn it into an estimate of the future, "
    "which is what a decision about next year needs.",
    hint="Could you count it from the records today, or must it be predicted?",
)

call_list = SingleChoice(
    "Ms Li bought a dozen times in her first year and has not been back for months. Mr Zhou bought twice, "
    "expensive furniture both times, the second time last month. RFM ranks Ms Li first; a CLV model ranks "
    "Mr Zhou first. Why can both be right about what they measure?",
    choices=[
        "RFM describes the past, when Ms Li bought more; CLV looks forward, and a frequent buyer who went quiet "
        "is probably gone, while a rare buyer of big items who bought last month probably is not",
        "the CLV model ignores how often a customer buys",
        "CLV always ranks big spenders first, whatever they did",
        "RFM is simply wrong and should never be used",
    ],
    answer="A",
    feedback={
        "B": "Frequency is one of the model's three inputs; it is read together with recency, so a long "
        "silence means more for a frequent buyer.",
        "C": "Spend per purchase is only one part: a big spender who has been silent for a long time gets a "
        "low chance of still being a customer, and so a low CLV.",
        "D": "RFM and CLV agree on most top customers; they disagree mainly on frequent small buyers and rare "
        "big buyers.",
    },
    explanation="The call is about next year, so the forward-looking measure should decide it; silence is "
    "judged against each customer's own rhythm.",
    hint=["Which measure looks back and which forward?", "Is a long silence normal for a frequent buyer?"],
)
