"""Exercises of notebooks/02_development/03_pipeline_and_acquisition_cost.ipynb."""

from crmlib import develop
from crmlib.datasets import load_retail
from crmlib.develop import overdue_summary, touch_gaps
from crmlib.exercises import Exercise

__all__ = ["forecast_2025", "online_ads_vs_referral", "cost_per_won_2024", "fewest_visits_2025", "overdue_value_10"]


def _forecast_from_2025() -> float:
    opps = load_retail().opportunities
    recent = opps[opps["status"].eq("open") | opps["close_date"].dt.year.eq(2025)]
    forecast = develop.pipeline_forecast(recent)
    return float(forecast.loc[forecast["stage"] == "total", "expected_value"].iloc[0])


def _online_ads_vs_referral() -> float:
    retail = load_retail()
    spend = retail.marketing_spend
    consumers = retail.customers[retail.customers["customer_type"] == "consumer"]
    cost = develop.acquisition_cost(spend[spend["segment"] == "consumer"], consumers).set_index("channel")[
        "cost_per_acquisition"
    ]
    return float(cost["online ads"] / cost["referral"])


def _cost_per_won_2024():
    retail = load_retail()
    spend = retail.marketing_spend
    spend_2024 = spend[(spend["segment"] == "business") & (spend["month"].dt.year == 2024)]
    leads_2024 = retail.leads[retail.leads["created_date"].dt.year == 2024]
    won = retail.opportunities[retail.opportunities["status"] == "won"]
    won_2024 = won.merge(leads_2024[["lead_id", "source"]], on="lead_id")
    cost = develop.acquisition_cost(spend_2024, won_2024, arrival_channel="source")
    return cost.set_index("channel")["cost_per_acquisition"]


def _fewest_visits_2025() -> str:
    retail = load_retail()
    acts = retail.activities
    visits = acts[(acts["activity_type"] == "visit") & (acts["activity_date"].dt.year == 2025)]
    return str(visits.groupby("rep_id").size().idxmin())


def _overdue_value_10() -> float:
    retail = load_retail()
    gaps = touch_gaps(retail.opportunities, retail.activities)
    return overdue_summary(gaps, 10)["overdue_value"]


forecast_2025 = Exercise(
    "Expected value of the open pipeline, with stage probabilities estimated from the deals closed in 2025 only",
    answer=_forecast_from_2025,
    hint="pipeline_forecast estimates the probabilities from the closed deals of the table you pass it. "
    "Keep the open deals and the deals whose close_date is in 2025, then read the expected_value of the 'total' row.",
)

online_ads_vs_referral = Exercise(
    "How many times the cost of a referral consumer is the cost of an online-ads consumer?",
    answer=_online_ads_vs_referral,
    hint="Take the consumer_cac table, index it by channel, and divide the cost_per_acquisition of "
    "'online ads' by that of 'referral'.",
)

cost_per_won_2024 = Exercise(
    "Cost per won account by lead source, for the leads created in 2024 and the business spend of 2024",
    answer=_cost_per_won_2024,
    ignore_order=True,
    hint="Filter the business spend to the months of 2024 and the leads to created_date in 2024; keep the won "
    "deals of those leads (merge on lead_id to get their source); then acquisition_cost(..., arrival_channel='source'). "
    "Answer with a Series: cost_per_acquisition indexed by channel.",
)

fewest_visits_2025 = Exercise(
    "The rep_id of the rep who made the fewest visits in 2025",
    answer=_fewest_visits_2025,
    hint="Keep the activities of type 'visit' dated in 2025, count them per rep_id, and take the index of the smallest count (.idxmin()).",
)

overdue_value_10 = Exercise(
    "Total amount (CNY) of the open deals whose last touch is 10 or more days before 2025-12-31",
    answer=_overdue_value_10,
    hint="In the gaps table, keep status 'open' and days_since_touch >= 10, then add up amount. "
    "(overdue_summary(gaps, 10) does the same; try it by hand first.)",
)
