"""Exercises of notebooks/02_development/03_pipeline_and_acquisition_cost.ipynb."""

from crmlib import develop
from crmlib.concepts import MultipleChoice, SingleChoice, SortIntoClasses
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
    decimals=0,
    hint="pipeline_forecast estimates the probabilities from the closed deals of the table you pass it. "
    "Keep the open deals and the deals whose close_date is in 2025, then read the expected_value of the 'total' row.",
)

online_ads_vs_referral = Exercise(
    "How many times the cost of a referral consumer is the cost of an online-ads consumer?",
    answer=_online_ads_vs_referral,
    decimals=2,
    hint="Take the consumer_cac table, index it by channel, and divide the cost_per_acquisition of "
    "'online ads' by that of 'referral'.",
)

cost_per_won_2024 = Exercise(
    "Cost per won account by lead source, for the leads created in 2024 and the business spend of 2024",
    answer=_cost_per_won_2024,
    ignore_order=True,
    hint="Filter the business spend to the months of 2024 and the leads to created_date in 2024; keep the won "
    "deals of those leads (merge on lead_id to get their source); "
    "then acquisition_cost(..., arrival_channel='source'). "
    "Answer with a Series: cost_per_acquisition indexed by channel.",
)

fewest_visits_2025 = Exercise(
    "The rep_id of the rep who made the fewest visits in 2025",
    answer=_fewest_visits_2025,
    hint="Keep the activities of type 'visit' dated in 2025, count them per rep_id, "
    "and take the index of the smallest count (.idxmin()).",
)

overdue_value_10 = Exercise(
    "Total amount (CNY) of the open deals whose last touch is 10 or more days before 2025-12-31",
    answer=_overdue_value_10,
    decimals=0,
    hint="In the gaps table, keep status 'open' and days_since_touch >= 10, then add up amount. "
    "(overdue_summary(gaps, 10) does the same; try it by hand first.)",
)


# --- concept checks (概念自测) ------------------------------------------------------------------
__all__ += ["manager_view", "cost_per_won_customer", "win_or_keep_spending", "deal_gone_quiet"]

manager_view = MultipleChoice(
    "What should a sales manager be able to see in a CRM system, to act while deals can still be saved?",
    choices=[
        "how many calls and visits each rep has made",
        "only the month-end sales total, since the details are the reps' business",
        "the follow-up status of every open deal (商机)",
        "the deals won, but not the lost ones, since only wins bring money",
        "the customers lost because nobody followed up in time",
    ],
    answer="A C E",
    feedback={
        "B": "A month-end total comes too late: by then the deal that went quiet is lost. Seeing the follow-up "
        "while deals are open is what lets a manager step in.",
        "D": "Lost deals and their reasons show where the sales process breaks. A manager who sees only the "
        "wins cannot fix anything.",
    },
    explanation="Calls and visits per rep, the status of every opportunity and the deals lost for want of "
    "follow-up: with these a manager coaches reps and rescues deals, instead of reading about losses later.",
    hint="Which of these can a manager still act on while the deals are open?",
)

cost_per_won_customer = SingleChoice(
    "Trade-show leads cost 200 CNY each, and 1 in 50 of them becomes a customer. Referral leads cost 600 CNY "
    "each, and 1 in 4 becomes a customer. Which source wins a customer more cheaply?",
    choices=[
        "the trade show, because its leads are three times cheaper",
        "both the same, because the marketing money is spread over all the leads anyway",
        "nobody can tell without the reps' salaries",
        "the referrals: about 2,400 CNY per customer against 10,000 CNY",
    ],
    answer="D",
    feedback={
        "A": "Cheaper leads do not make cheaper customers. One customer takes 50 trade-show leads "
        "(50 x 200 CNY) but only 4 referral leads (4 x 600 CNY).",
        "B": "What a customer costs depends on how many leads it takes to win one, and that differs a lot "
        "between the two sources.",
        "C": "Rep time would add to both costs, but the marketing cost per customer can already be compared. "
        "And referral leads also waste fewer visits, so adding salaries would widen the gap.",
    },
    explanation="Cost per won customer = cost per lead / share of leads won: 200 / 0.02 = 10,000 CNY and "
    "600 / 0.25 = 2,400 CNY. Judge a lead source by the customers it brings, not by its leads (获客成本).",
    hint="How many leads of each kind does it take to win one customer? What do those leads cost together?",
)

win_or_keep_spending = SortIntoClasses(
    "Sort each cost: is it part of winning new customers, or of keeping existing ones?",
    choices=[
        "a booth at a hotel-supplies trade show",
        "an account manager's quarterly visit to a hotel that has bought for years",
        "online ads that bring new sign-ups",
        "a birthday discount for members who already buy",
        "three visits to a school that has not ordered yet",
        "a return call after a delivery to check that the customer is satisfied",
    ],
    classes=["winning new customers (获客成本)", "keeping existing customers (客户保持成本)"],
    answer="A1 B2 C1 D2 E1 F2",
    feedback={
        "A": "A trade-show booth is marketing to strangers, to collect new leads: a cost of winning customers.",
        "B": "Account care for a hotel that already buys is a cost of keeping it.",
        "C": "Ads aimed at new sign-ups are a cost of winning customers.",
        "D": "The members already buy; the discount is meant to keep them coming back.",
        "E": "The school is still a prospect. Visits before the first order are part of winning it, whether "
        "or not it is won in the end.",
        "F": "The customer has already bought; the return call (回访) looks after the relationship.",
    },
    explanation="Winning costs marketing to strangers plus the contacts with every prospect, won or lost; "
    "keeping costs the care of those who already buy. In the retailer's data the first is several times the "
    "second.",
    hint="For each cost, ask: has this customer bought from us yet?",
)

deal_gone_quiet = SingleChoice(
    "In the retailer's data, which lost deals most often ended as 'lost contact' (失联), the customer lost "
    "because nobody followed up?",
    choices=[
        "deals with the longest silence between two contacts",
        "deals lost at the negotiation stage",
        "deals with five visits or more",
        "deals the rep gave up after a single visit",
    ],
    answer="D",
    feedback={
        "A": "Surprisingly, no. Long silences happen in long deals, where the rep kept coming back between "
        "them. In the data, the share lost for 'lost contact' falls as the longest silence grows.",
        "B": "Lost contact hits the early stages hardest, where the relationship is still thin. At the "
        "negotiation stage both sides are already deep in talks.",
        "C": "A rep who visited five times kept in touch. Such deals, when lost, were lost for other reasons "
        "far more often.",
    },
    explanation="Deals dropped after the first visit end in silence most often. A rule such as 'no deal closed "
    "as lost before a second visit' catches the reps who give up early, as Liu Bei never did.",
    hint="Section 5 grouped the lost deals twice: by their longest silence and by their number of visits. "
    "Which grouping showed a clear pattern?",
)
