"""The contract of every public function (issue 15): bad input ends in a CRMDataError that says
what to fix, never in another exception.

``CALLS`` is the table the property test draws from: for each public function of the chapter
modules, io and plots, a valid call built from small samples of the shipped data, and the role of
each argument. A role says how an argument can be broken (see ``BAD_VALUES`` and
``TABLE_CORRUPTIONS``). Every function listed in a module's ``__all__`` must appear here (or in
``NOT_DRAWN`` with the reason), so a function added to a module later is covered once its row
is written.

Roles: ``table`` (a DataFrame, broken in one of the ways of ``TABLE_CORRUPTIONS``, mostly in
the columns named by the ``column`` arguments), ``series``, ``column`` (a column name),
``columns`` (a list of column names), ``share`` (0-1), ``rate`` (a number >= 0), ``count``
(a whole number), ``date``, ``mapping`` (a dict), ``flag`` (True/False), ``seed``, ``path``,
``model`` (a fitted model), ``label`` (a value in a table), ``text`` (free text or a choice).
"""

from __future__ import annotations

import collections
import importlib
import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

from crmlib import CRMDataError  # noqa: E402

MODULES = ["identify", "develop", "communicate", "information", "loyalty", "clv", "io", "plots", "messages"]
EXAMPLES_PER_FUNCTION = 14  # at least 1,000 bad calls over the ~80 functions


# --- small valid inputs, built once -----------------------------------------------------------


class Inputs:
    """Small samples of the shipped data and the tables derived from them."""

    def __init__(self, tea, retail, tmp):
        from crmlib import clv, develop, identify, loyalty

        self.tmp = tmp
        members = tea.orders["member_id"].drop_duplicates().head(40)
        self.orders = tea.orders[tea.orders["member_id"].isin(members)].head(300).reset_index(drop=True)
        self.order_args = dict(customer="member_id", amount="net_amount")
        self.dated_args = dict(customer="member_id", date="order_time")
        self.pareto = identify.pareto_table(self.orders, **self.order_args)
        self.lorenz = identify.lorenz_curve(self.orders, **self.order_args)
        self.pyramid = identify.customer_pyramid(self.orders, **self.order_args)
        self.rfm = identify.rfm_table(self.orders, date="order_time", **self.order_args)
        self.scores = identify.rfm_scores(self.rfm)
        self.segments = identify.rfm_segments(self.scores)
        self.accounts = pd.DataFrame(
            {"customer_id": list("abcdef"), "margin": [5.0, 3, 8, 1, 0, 4], "cooperation_years": [1, 2, 3, 4, 5, 6]}
        )
        self.value_scores = identify.value_score(self.accounts, {"margin": 0.6, "cooperation_years": 0.4})
        opp = retail.opportunities
        opportunities = pd.concat(
            [opp[opp["status"] == "open"].head(40), opp[opp["status"] != "open"].head(80)], ignore_index=True
        )
        self.opportunities = opportunities
        self.activities = retail.activities[retail.activities["opportunity_id"].isin(opportunities["opportunity_id"])]
        self.funnel = develop.funnel_table(opportunities)
        self.win_rates = develop.win_rate_by_touches(opportunities, self.activities)
        self.forecast = develop.pipeline_forecast(opportunities)
        self.spend = retail.marketing_spend
        self.customers = retail.customers.head(300)
        self.costs = develop.acquisition_cost(self.spend, self.customers)
        self.feedback = tea.feedback.head(200).reset_index(drop=True)
        self.tickets = retail.tickets.head(150).reset_index(drop=True)
        sends = tea.coupon_sends.head(400)
        self.ab = sends.assign(converted=sends["redeemed_date"].notna())
        self.contacts = retail.contacts.head(120).reset_index(drop=True)
        self.items = tea.order_items.head(400)
        self.cohorts = loyalty.cohort_table(self.orders, **self.dated_args)
        self.surveys = retail.surveys.head(150).reset_index(drop=True)
        self.tiers = loyalty.loyalty_tiers(self.orders, date="order_time", **self.order_args)
        self.purchases = (
            retail.order_lines.head(400)
            .merge(retail.orders[["order_id", "customer_id", "order_date"]])
            .merge(retail.products[["product_id", "category"]])
        )
        self.summary = clv.rfm_summary(retail.orders.head(2000), freq="W")
        self.beta_geo = clv.BetaGeo.from_params(r=0.5, alpha=5.0, a=0.8, b=2.5)
        self.gamma_gamma = clv.GammaGamma.from_params(p=6.0, q=4.0, v=15.0)
        self.holdout = pd.Series(np.arange(len(self.summary)) % 3, index=self.summary.index)
        self.calibration = None
        # fitted models for clv_interval (its standard errors need a fit); the small sample is too thin to fit, so
        # 400 simulated customers with a known truth, as in clv_interval's example
        simulated = clv.simulate_bgnbd(400, r=0.25, alpha=4.0, a=0.8, b=2.5, T=39, seed=7)
        spend = np.random.default_rng(3).gamma(6.0, 5.0, len(simulated))
        self.simulated = simulated.assign(monetary_value=np.where(simulated["frequency"] > 0, spend, 0.0))
        self.fitted_beta_geo = clv.BetaGeo().fit(self.simulated)
        self.fitted_gamma_gamma = clv.GammaGamma().fit(self.simulated)
        self.churn = loyalty.churn_labels(self.orders, as_of="2024-03-01", date="order_time", **self.order_args)
        self.csv = tmp / "orders.csv"
        self.csv.write_text(
            "订单号,会员编号,下单时间,实付金额\nA1,M1,2024-03-05,12\nA2,M2,2024-03-06,8\n", encoding="utf-8"
        )
        self.members_csv = tmp / "members.csv"
        self.members_csv.write_text("会员编号,注册时间\nM1,2024-01-02\nM2,2024-02-03\n", encoding="utf-8")
        self.db = tmp / "crm.sqlite"
        self.retail = retail
        # identify: value indices, profiles, the eight RFM types, segments for a budget
        self.indices = identify.value_indices(
            self.accounts, {"margin": 0.6, "cooperation_years": 0.4}, future=["cooperation_years"]
        )
        self.thresholds = identify.default_thresholds(self.rfm)
        self.curves = identify.pareto_curves(self.orders, by="brand_id", **self.order_args)
        members = tea.members[tea.members["member_id"].isin(self.orders["member_id"])]
        spend = (
            self.orders.groupby("member_id", as_index=False)["net_amount"].sum().rename(columns={"net_amount": "spend"})
        )
        self.profiles = (
            members[["member_id", "brand_id", "age_band"]].merge(spend, on="member_id").reset_index(drop=True)
        )
        self.budget_segments = self.segments.groupby("segment", as_index=False, observed=True).agg(
            customers=("monetary", "size"), expected_spend=("monetary", "mean")
        )
        business = retail.customers[retail.customers["customer_type"] == "business"].head(30)
        self.b2b_customers = pd.concat(
            [business, retail.customers[retail.customers["customer_type"] != "business"].head(10)], ignore_index=True
        )
        self.b2b_orders = retail.orders[retail.orders["customer_id"].isin(self.b2b_customers["customer_id"])].head(300)
        self.b2b_lines = retail.order_lines[retail.order_lines["order_id"].isin(self.b2b_orders["order_id"])]
        self.b2b_surveys = retail.surveys[retail.surveys["customer_id"].isin(self.b2b_customers["customer_id"])]
        # develop: funnels by source, visit values, touch gaps
        self.source_funnel = develop.funnel_table(
            opportunities.merge(retail.leads[["lead_id", "source"]], on="lead_id"), by="source"
        )
        self.visit_values = develop.visit_value_table(self.win_rates, deal_size=50_000, cost_per_visit=800)
        self.touch_gaps = develop.touch_gaps(opportunities, self.activities)
        # communicate: first complaints and whether the member ordered again
        complaints = tea.feedback[tea.feedback["is_complaint"]].sort_values("created_at", kind="stable")
        first = complaints.drop_duplicates("member_id").head(120)
        pairs = tea.orders[["member_id", "order_time"]].merge(first[["member_id", "created_at"]], on="member_id")
        later = (pairs["order_time"] > pairs["created_at"]) & (
            pairs["order_time"] <= pairs["created_at"] + pd.Timedelta(days=60)
        )
        self.first = first.assign(ordered_again=first["member_id"].isin(pairs.loc[later, "member_id"])).reset_index(
            drop=True
        )
        self.p_values = pd.Series([0.01, 0.04, 0.03], index=["A", "B", "C"])
        # information: candidate duplicates, a database built once, a gains table (score: recent buyers first)
        from crmlib import information

        self.dup_contacts = retail.contacts.head(1500).reset_index(
            drop=True
        )  # 6 candidate pairs (120 contacts have none)
        self.pairs = information.duplicate_pairs(self.dup_contacts)
        self.built_db = information.build_sqlite(retail, tmp / "built.sqlite")
        business = set(retail.customers.loc[retail.customers["customer_type"] == "business", "customer_id"])
        # a business customer with complaint tickets, so that the tickets of its file can be broken too
        self.file_customer = str(next(c for c in retail.tickets["customer_id"] if c in business))
        self.gains = information.gains_table(-self.rfm["recency"], self.rfm["frequency"] >= 2)
        # loyalty: re-buy gaps, monthly life-cycle statuses, a fitted NPS model, churn scores with the value kept
        days = loyalty.purchase_days(self.orders, **self.dated_args)
        self.repeats = (
            days.assign(gap_days=days.groupby("customer")["day"].diff().dt.days)
            .dropna(subset=["gap_days"])
            .rename(columns={"customer": "customer_id", "day": "order_date"})
            .reset_index(drop=True)
        )
        self.statuses = pd.concat(
            [
                loyalty.lifecycle_stages(self.orders, as_of=month, **self.dated_args)
                .reset_index()[["member_id", "stage"]]
                .assign(period=pd.Timestamp(month))
                for month in ("2024-04-30", "2024-05-31", "2024-06-30")
            ],
            ignore_index=True,
        )
        self.nps_surveys = tea.surveys.head(300).reset_index(drop=True)
        self.nps_model = loyalty.NPSDriverModel(by="brand_id").fit(self.nps_surveys)
        churn = self.churn.assign(churn_probability=_fit_churn(self).predict_proba(self.churn))
        self.scored = churn.assign(value_if_kept=churn["monetary"] if "monetary" in churn else 100.0)
        self.plot_inputs(tea, retail)

    def plot_inputs(self, tea, retail):
        """The tables the charts of plots draw, made by the functions that produce them."""
        from crmlib import communicate, identify, information, loyalty
        from crmlib.cases import carrier, platform

        self.curve = communicate.sample_size_curve(0.1, [0.01, 0.02, 0.04])
        self.stage_table = loyalty.stage_counts(self.orders, as_of="2024-06-30", by="brand_id", **self.dated_args)
        self.what_if = loyalty.nps_what_if(
            self.nps_model, self.nps_surveys, self.nps_surveys["brand_id"].iloc[0], "empathy", 1.0
        )
        self.campaigns = loyalty.retention_campaign_table(self.scored, thresholds=[0.3, 0.5, 0.7])
        self.campaign = loyalty.retention_campaign_value(self.scored, 0.5)
        self.sla = communicate.sla_shares(self.feedback, 24)
        self.reorder = communicate.reorder_gap(self.first, 24)
        self.reorder_curve = communicate.reorder_gap_curve(self.first, max_hours=48)
        self.file = information.customer_file(self.built_db, self.file_customer)
        self.valued = information.targeting_value(self.gains, 1.0, 5.0)
        self.alive = pd.concat([clv_alive(self.beta_geo, f) for f in (1, 5)], ignore_index=True)
        self.outlook = __import__("crmlib.clv", fromlist=["x"]).customer_outlook(self.beta_geo, 5, 40, 3)
        self.member_shares = identify.profile_shares(self.profiles, "age_band")
        self.revenue_shares = identify.profile_shares(self.profiles, "age_band", "revenue")
        split = identify.balance_split(self.indices, self.accounts, 0.5, strategic_share=0.34)
        self.tiered = self.indices.assign(tier=split["tiers"])
        self.balance = identify.balance_curve(self.indices, self.accounts, strategic_share=0.34, steps=5)
        self.rfm_types = identify.threshold_summary(self.rfm, **self.thresholds)
        self.plans = {
            m: identify.allocate_budget(self.budget_segments, 5000, 0.1, 20, m) for m in identify.ALLOCATION_METHODS
        }
        self.transitions = loyalty.status_transitions(self.statuses, customer="member_id", status="stage")
        self.runs = pd.concat(
            [platform.simulate_platforms(p, years=2, merchants=200, seed=1) for p in platform.POLICIES],
            ignore_index=True,
        )
        carrier_data = carrier.generate_carrier_subscribers(subscribers=200, months=12, seed=1)
        self.lead = carrier.lead_up(carrier_data.monthly, "complaints")


def clv_alive(model, frequency):
    return (
        __import__("crmlib.clv", fromlist=["x"])
        .alive_curve(model, frequency, 40, points=10)
        .assign(frequency=frequency)
    )


def _fit_churn(d):
    from crmlib import loyalty

    return loyalty.ChurnModel().fit(d.churn)


def _calibration(d):
    from crmlib import clv

    return clv.calibration_holdout_table(d.summary, d.holdout, d.beta_geo, holdout_length=26)


# function -> (valid keyword arguments from the inputs, {argument: role}). Extend this table when a
# function is added to a module's __all__.
CALLS: dict[str, tuple] = {
    # messages (the valid call keeps English, which the other rows' errors are checked in)
    "messages.set_language": (lambda d: dict(language="en"), {"language": "text"}),
    "messages.get_language": (lambda d: {}, {}),
    "messages.say": (lambda d: dict(sentence="Orders of the shop: {n}", n=3), {"sentence": "text"}),
    "messages.sentence_catalogue": (lambda d: dict(language="zh"), {"language": "text"}),
    "messages.read_catalogue": (lambda d: dict(text='msgid "Yes"\nmsgstr "是"\n'), {"text": "text"}),
    "messages.gettext": (lambda d: dict(message="Hint: {hint}"), {"message": "text"}),
    "messages.gettext_noop": (lambda d: dict(message="Hint: {hint}"), {"message": "text"}),
    "messages.ngettext": (
        lambda d: dict(singular="{n} row", plural="{n} rows", n=2),
        {"singular": "text", "plural": "text", "n": "count"},
    ),
    # identify
    "identify.customer_totals": (
        lambda d: dict(orders=d.orders, **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column"},
    ),
    "identify.pareto_table": (
        lambda d: dict(orders=d.orders, **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column"},
    ),
    "identify.top_share": (
        lambda d: dict(orders=d.orders, top=0.2, **d.order_args),
        {"orders": "table", "top": "share", "customer": "column", "amount": "column"},
    ),
    "identify.top_share_interval": (
        lambda d: dict(orders=d.orders, top=0.2, draws=200, **d.order_args),
        {
            "orders": "table",
            "top": "share",
            "customer": "column",
            "amount": "column",
            "level": "share",
            "draws": "count",
            "seed": "seed",
        },
    ),
    "identify.abc_classes": (
        lambda d: dict(orders=d.orders, **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column", "cutoffs": "columns"},
    ),
    "identify.abc_summary": (
        lambda d: dict(orders=d.orders, **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column", "cutoffs": "columns"},
    ),
    "identify.lorenz_curve": (
        lambda d: dict(orders=d.orders, **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column"},
    ),
    "identify.gini": (lambda d: dict(values=d.orders["net_amount"]), {"values": "series"}),
    "identify.rfm_table": (
        lambda d: dict(orders=d.orders, date="order_time", **d.order_args),
        {"orders": "table", "customer": "column", "date": "column", "amount": "column", "as_of": "date"},
    ),
    "identify.rfm_scores": (lambda d: dict(rfm=d.rfm, bins=5), {"rfm": "table", "bins": "count"}),
    "identify.rfm_segments": (
        lambda d: dict(scores=d.scores),
        {"scores": "table", "r": "column", "f": "column", "m": "column"},
    ),
    "identify.value_score": (
        lambda d: dict(accounts=d.accounts, weights={"margin": 0.6, "cooperation_years": 0.4}),
        {"accounts": "table", "weights": "mapping", "customer": "column", "cost": "columns", "future": "columns"},
    ),
    "identify.account_tiers": (
        lambda d: dict(scores=d.value_scores, strategic_share=0.2),
        {"scores": "table", "strategic_share": "share", "score": "column"},
    ),
    "identify.customer_pyramid": (
        lambda d: dict(orders=d.orders, **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column", "tiers": "mapping"},
    ),
    "identify.top_count": (lambda d: dict(share=0.2, n=15), {"share": "share", "n": "count"}),
    "identify.account_criteria": (
        lambda d: dict(customers=d.b2b_customers, orders=d.b2b_orders, order_lines=d.b2b_lines, surveys=d.b2b_surveys),
        {
            "customers": "table",
            "orders": "table",
            "order_lines": "table",
            "surveys": "table",
            "customer": "column",
            "kind": "column",
            "business": "label",
        },
    ),
    "identify.pareto_curves": (
        lambda d: dict(orders=d.orders, by="brand_id", **d.order_args),
        {"orders": "table", "customer": "column", "amount": "column", "by": "column"},
    ),
    "identify.top_shares": (lambda d: dict(curves=d.curves, top_pct=20), {"curves": "mapping", "top_pct": "rate"}),
    "identify.profile_shares": (
        lambda d: dict(profiles=d.profiles, dimension="age_band"),
        {"profiles": "table", "dimension": "column", "measure": "text", "brand": "column", "spend": "column"},
    ),
    "identify.largest_gap": (
        lambda d: dict(profiles=d.profiles, dimension="age_band"),
        {"profiles": "table", "dimension": "column", "brand": "column", "spend": "column"},
    ),
    "identify.value_indices": (
        lambda d: dict(
            accounts=d.accounts, weights={"margin": 0.6, "cooperation_years": 0.4}, future=["cooperation_years"]
        ),
        {
            "accounts": "table",
            "weights": "mapping",
            "cost": "columns",
            "future": "columns",
            "customer": "column",
            "scaling": "text",
        },
    ),
    "identify.balance_split": (
        lambda d: dict(indices=d.indices, accounts=d.accounts, future_weight=0.5, strategic_share=0.34),
        {
            "indices": "table",
            "accounts": "table",
            "future_weight": "share",
            "margin": "column",
            "strategic_share": "share",
            "baseline": "series",
        },
    ),
    "identify.balance_curve": (
        lambda d: dict(indices=d.indices, accounts=d.accounts, strategic_share=0.34, steps=5),
        {"indices": "table", "accounts": "table", "margin": "column", "strategic_share": "share", "steps": "count"},
    ),
    "identify.rfm_types": (
        lambda d: dict(rfm=d.rfm, recent_days=d.thresholds["recent_days"], min_spend=d.thresholds["min_spend"]),
        {
            "rfm": "table",
            "recent_days": "rate",
            "min_orders": "rate",
            "min_spend": "rate",
            "recency": "column",
            "frequency": "column",
            "monetary": "column",
        },
    ),
    "identify.threshold_summary": (
        lambda d: dict(
            rfm=d.rfm,
            recent_days=d.thresholds["recent_days"],
            min_orders=d.thresholds["min_orders"],
            min_spend=d.thresholds["min_spend"],
        ),
        {"rfm": "table", "recent_days": "rate", "min_orders": "rate", "min_spend": "rate"},
    ),
    "identify.default_thresholds": (lambda d: dict(rfm=d.rfm), {"rfm": "table"}),
    "identify.allocate_budget": (
        lambda d: dict(segments=d.budget_segments, budget=5000, lift=0.1, cost_per_customer=20),
        {"segments": "table", "budget": "rate", "lift": "share", "cost_per_customer": "rate", "method": "text"},
    ),
    "identify.compare_allocations": (
        lambda d: dict(segments=d.budget_segments, budget=5000, lift=0.1, cost_per_customer=20, margin_rate=0.3),
        {"segments": "table", "budget": "rate", "lift": "share", "cost_per_customer": "rate", "margin_rate": "share"},
    ),
    # develop
    "develop.funnel_table": (
        lambda d: dict(opportunities=d.opportunities),
        {"opportunities": "table", "stage": "column", "stages": "columns", "by": "column"},
    ),
    "develop.wilson_interval": (
        lambda d: dict(successes=3, trials=10),
        {"successes": "count", "trials": "count", "confidence": "share"},
    ),
    "develop.win_rate_by_touches": (
        lambda d: dict(opportunities=d.opportunities, activities=d.activities),
        {
            "opportunities": "table",
            "activities": "table",
            "touch": "label",
            "max_touches": "count",
            "opportunity": "column",
            "confidence": "share",
        },
    ),
    "develop.pipeline_forecast": (
        lambda d: dict(opportunities=d.opportunities),
        {"opportunities": "table", "stage_probability": "mapping", "amount": "column", "stage": "column"},
    ),
    "develop.acquisition_cost": (
        lambda d: dict(spend=d.spend, arrivals=d.customers),
        {"spend": "table", "arrivals": "table", "channel": "column", "cost": "column"},
    ),
    "develop.funnel_gaps": (lambda d: dict(funnel=d.source_funnel, by="source"), {"funnel": "table", "by": "column"}),
    "develop.visit_value_table": (
        lambda d: dict(win_rates=d.win_rates, deal_size=50_000, cost_per_visit=800),
        {
            "win_rates": "table",
            "deal_size": "rate",
            "cost_per_visit": "rate",
            "touches": "column",
            "win_rate": "column",
        },
    ),
    "develop.best_visit_count": (lambda d: dict(table=d.visit_values), {"table": "table"}),
    "develop.visit_summary": (lambda d: dict(table=d.visit_values), {"table": "table", "pooled_last": "flag"}),
    "develop.touch_gaps": (
        lambda d: dict(opportunities=d.opportunities, activities=d.activities),
        {
            "opportunities": "table",
            "activities": "table",
            "as_of": "date",
            "opportunity": "column",
            "opened": "column",
            "close_date": "column",
            "date": "column",
        },
    ),
    "develop.overdue_summary": (
        lambda d: dict(gaps=d.touch_gaps, days=14),
        {
            "gaps": "table",
            "days": "count",
            "status": "column",
            "amount": "column",
            "lost_reason": "column",
            "reason": "label",
        },
    ),
    # communicate
    "communicate.channel_mix": (
        lambda d: dict(data=d.feedback),
        {"data": "table", "channel": "column", "by": "column"},
    ),
    "communicate.response_times": (
        lambda d: dict(data=d.feedback),
        {"data": "table", "hours": "column", "by": "column", "sla_hours": "rate", "level": "share"},
    ),
    "communicate.complaint_stage_funnel": (
        lambda d: dict(tickets=d.tickets),
        {"tickets": "table", "stages": "columns", "by": "column"},
    ),
    "communicate.ab_test": (
        lambda d: dict(data=d.ab),
        {
            "data": "table",
            "variant": "column",
            "converted": "column",
            "control": "label",
            "treatment": "label",
            "alpha": "share",
            "power": "share",
            "mde": "share",
        },
    ),
    "communicate.tag_feedback": (
        lambda d: dict(data=d.feedback),
        {"data": "table", "text": "column", "rules": "mapping"},
    ),
    "communicate.sla_shares": (
        lambda d: dict(data=d.feedback, sla_hours=24),
        {"data": "table", "sla_hours": "rate", "hours": "column", "by": "column"},
    ),
    "communicate.reorder_gap": (
        lambda d: dict(first=d.first, sla_hours=24),
        {"first": "table", "sla_hours": "rate", "hours": "column", "outcome": "column"},
    ),
    "communicate.reorder_gap_curve": (
        lambda d: dict(first=d.first, max_hours=48),
        {"first": "table", "max_hours": "count", "hours": "column", "outcome": "column"},
    ),
    "communicate.required_sample_size": (
        lambda d: dict(baseline=0.1, lift=0.03),
        {"baseline": "share", "lift": "share", "alpha": "share", "power": "share"},
    ),
    "communicate.sample_size_curve": (
        lambda d: dict(baseline=0.1, lifts=[0.01, 0.02, 0.04]),
        {"baseline": "share", "lifts": "columns", "alpha": "share", "power": "share"},
    ),
    "communicate.test_power": (
        lambda d: dict(baseline=0.1, lift=0.03, n_per_arm=1774),
        {"baseline": "share", "lift": "share", "n_per_arm": "count", "alpha": "share"},
    ),
    "communicate.holm_adjust": (lambda d: dict(p_values=d.p_values), {"p_values": "series"}),
    "communicate.censored_response_times": (
        lambda d: dict(data=d.tickets, by="channel"),
        {"data": "table", "start": "column", "end": "column", "by": "column", "sla_hours": "rate", "data_end": "date"},
    ),
    # information
    "information.field_completeness": (lambda d: dict(data=d.contacts), {"data": "table", "fields": "columns"}),
    "information.record_completeness": (lambda d: dict(data=d.contacts), {"data": "table", "fields": "columns"}),
    "information.normalise_phone": (lambda d: dict(values=d.contacts["phone"]), {"values": "series"}),
    "information.normalise_email": (lambda d: dict(values=d.contacts["email"]), {"values": "series"}),
    "information.normalise_name": (lambda d: dict(values=d.contacts["contact_name"]), {"values": "series"}),
    "information.phone_is_valid": (lambda d: dict(values=d.contacts["phone"]), {"values": "series"}),
    "information.email_is_valid": (lambda d: dict(values=d.contacts["email"]), {"values": "series"}),
    "information.find_duplicates": (
        lambda d: dict(contacts=d.contacts),
        {"contacts": "table", "id": "column", "phone": "column", "email": "column"},
    ),
    "information.mask_phone": (lambda d: dict(values=d.contacts["phone"]), {"values": "series"}),
    "information.mask_email": (lambda d: dict(values=d.contacts["email"]), {"values": "series"}),
    "information.mask_name": (lambda d: dict(values=d.contacts["contact_name"]), {"values": "series"}),
    "information.mask_pii": (
        lambda d: dict(data=d.contacts),
        {"data": "table", "phone": "column", "email": "column", "name": "column"},
    ),
    "information.build_sqlite": (
        lambda d: dict(dataset=d.retail, path=d.db, overwrite=True),
        {"dataset": "model", "path": "path", "overwrite": "flag"},
    ),
    "information.also_bought": (
        lambda d: dict(order_items=d.items),
        {"order_items": "table", "order": "column", "item": "column", "min_support": "share", "min_orders": "count"},
    ),
    "information.duplicate_pairs": (
        lambda d: dict(contacts=d.dup_contacts),
        {
            "contacts": "table",
            "rules": "columns",
            "confirm_address": "flag",
            "id": "column",
            "customer": "column",
            "address": "column",
        },
    ),
    "information.known_duplicates": (
        lambda d: dict(contacts=d.contacts),
        {"contacts": "table", "customer": "column", "name": "column"},
    ),
    "information.duplicate_summary": (lambda d: dict(pairs=d.pairs), {"pairs": "table"}),
    "information.rule_precision": (lambda d: dict(pairs=d.pairs), {"pairs": "table"}),
    "information.order_span": (lambda d: dict(db=d.built_db), {"db": "path"}),
    "information.file_customers": (
        lambda d: dict(db=d.built_db, customer_ids=[d.file_customer]),
        {"db": "path", "customer_ids": "columns"},
    ),
    "information.customer_file": (
        lambda d: dict(db=d.built_db, customer_id=d.file_customer, as_of="2025-06-30"),
        {"db": "path", "customer_id": "label", "as_of": "date"},
    ),
    "information.gains_table": (
        lambda d: dict(scores=-d.rfm["recency"], bought=d.rfm["frequency"] >= 2),
        {"scores": "series", "bought": "series"},
    ),
    "information.targeting_value": (
        lambda d: dict(gains=d.gains, cost_per_contact=1.0, value_per_buyer=5.0),
        {"gains": "table", "cost_per_contact": "rate", "value_per_buyer": "rate"},
    ),
    "information.targeting_summary": (
        lambda d: dict(gains=d.gains, pct=20),
        {"gains": "table", "pct": "count", "cost_per_contact": "rate", "value_per_buyer": "rate"},
    ),
    # loyalty
    "loyalty.repeat_rate": (
        lambda d: dict(orders=d.orders, **d.dated_args),
        {"orders": "table", "customer": "column", "date": "column", "by": "column"},
    ),
    "loyalty.cohort_table": (
        lambda d: dict(orders=d.orders, **d.dated_args),
        {"orders": "table", "customer": "column", "date": "column", "period": "text"},
    ),
    "loyalty.cohort_matrix": (lambda d: dict(cohorts=d.cohorts), {"cohorts": "table", "value": "column"}),
    "loyalty.churn_features": (
        lambda d: dict(orders=d.orders, as_of="2024-03-01", date="order_time", **d.order_args),
        {"orders": "table", "as_of": "date", "customer": "column", "date": "column", "amount": "column"},
    ),
    "loyalty.churn_labels": (
        lambda d: dict(orders=d.orders, as_of="2024-03-01", date="order_time", **d.order_args),
        {"orders": "table", "as_of": "date", "horizon_days": "count", "customer": "column", "amount": "column"},
    ),
    "loyalty.ChurnModel": (lambda d: dict(threshold=0.5), {"threshold": "share", "features": "columns"}),
    "loyalty.satisfaction_gap": (
        lambda d: dict(surveys=d.surveys),
        {"surveys": "table", "dimensions": "columns", "by": "column", "scale": "columns"},
    ),
    "loyalty.nps": (lambda d: dict(surveys=d.surveys), {"surveys": "table", "score": "column", "by": "column"}),
    "loyalty.loyalty_tiers": (
        lambda d: dict(orders=d.orders, date="order_time", **d.order_args),
        {
            "orders": "table",
            "customer": "column",
            "date": "column",
            "amount": "column",
            "thresholds": "mapping",
            "basis": "text",
            "as_of": "date",
            "window_days": "count",
        },
    ),
    "loyalty.tier_summary": (
        lambda d: dict(customer_tiers=d.tiers),
        {"customer_tiers": "table", "tier": "column", "spend": "column"},
    ),
    "loyalty.simple_clv": (
        lambda d: dict(margin_per_period=100.0, retention=0.8, discount_rate=0.1),
        {"margin_per_period": "rate", "retention": "share", "discount_rate": "share", "periods": "count"},
    ),
    "loyalty.cross_buying": (
        lambda d: dict(purchases=d.purchases),
        {
            "purchases": "table",
            "customer": "column",
            "date": "column",
            "category": "column",
            "within_days": "count",
            "min_categories": "count",
        },
    ),
    "loyalty.rebuy_window_summary": (
        lambda d: dict(repeats=d.repeats, days=14),
        {"repeats": "table", "days": "count", "gap": "column", "customer": "column", "date": "column", "weeks": "rate"},
    ),
    "loyalty.purchase_days": (
        lambda d: dict(orders=d.orders, by="brand_id", **d.dated_args),
        {"orders": "table", "customer": "column", "date": "column", "by": "column"},
    ),
    "loyalty.lifecycle_stages": (
        lambda d: dict(orders=d.orders, as_of="2024-06-30", **d.dated_args),
        {
            "orders": "table",
            "as_of": "date",
            "customer": "column",
            "date": "column",
            "by": "column",
            "new_days": "count",
            "active_days": "count",
            "cooling_days": "count",
            "lapsed_days": "count",
        },
    ),
    "loyalty.stage_counts": (
        lambda d: dict(orders=d.orders, as_of="2024-06-30", by="brand_id", **d.dated_args),
        {"orders": "table", "as_of": "date", "customer": "column", "date": "column", "by": "column"},
    ),
    "loyalty.stage_history": (
        lambda d: dict(orders=d.orders, dates=["2024-03-31", "2024-06-30"], **d.dated_args),
        {"orders": "table", "dates": "columns", "customer": "column", "date": "column"},
    ),
    "loyalty.NPSDriverModel": (
        lambda d: dict(by="brand_id"),
        {"by": "text", "dimensions": "columns", "score": "text", "scale": "columns"},
    ),
    "loyalty.nps_lift_table": (
        lambda d: dict(model=d.nps_model, surveys=d.nps_surveys, shift=1.0),
        {"model": "model", "surveys": "table", "shift": "rate"},
    ),
    "loyalty.nps_what_if": (
        lambda d: dict(
            model=d.nps_model,
            surveys=d.nps_surveys,
            group=d.nps_surveys["brand_id"].iloc[0],
            dimension="empathy",
            shift=1.0,
        ),
        {"model": "model", "surveys": "table", "group": "label", "dimension": "text", "shift": "rate"},
    ),
    "loyalty.retention_campaign_value": (
        lambda d: dict(scored=d.scored, threshold=0.5),
        {
            "scored": "table",
            "threshold": "share",
            "bond": "text",
            "bonds": "mapping",
            "probability": "column",
            "churned": "column",
            "value": "column",
        },
    ),
    "loyalty.retention_campaign_table": (
        lambda d: dict(scored=d.scored, thresholds=[0.3, 0.5, 0.7]),
        {"scored": "table", "thresholds": "columns", "bonds": "mapping"},
    ),
    "loyalty.retention_campaign_interval": (
        lambda d: dict(scored=d.scored, threshold=0.5, resamples=200),
        {
            "scored": "table",
            "threshold": "share",
            "bonds": "mapping",
            "level": "share",
            "resamples": "count",
            "seed": "seed",
            "probability": "column",
            "churned": "column",
            "value": "column",
        },
    ),
    "loyalty.status_transitions": (
        lambda d: dict(data=d.statuses, customer="member_id", status="stage"),
        {
            "data": "table",
            "customer": "column",
            "period": "column",
            "status": "column",
            "states": "columns",
            "shares": "flag",
        },
    ),
    # clv
    "clv.rfm_summary": (
        lambda d: dict(transactions=d.orders, date="order_time", **d.order_args),
        {
            "transactions": "table",
            "customer": "column",
            "date": "column",
            "amount": "column",
            "observation_end": "date",
            "freq": "text",
        },
    ),
    "clv.simulate_bgnbd": (
        lambda d: dict(n=20, r=0.5, alpha=5.0, a=0.8, b=2.5, seed=1),
        {"n": "count", "r": "rate", "alpha": "rate", "a": "rate", "b": "rate", "T": "rate", "seed": "seed"},
    ),
    "clv.bgnbd_log_likelihood": (
        lambda d: dict(summary=d.summary, r=0.5, alpha=5.0, a=0.8, b=2.5),
        {"summary": "table", "r": "rate", "alpha": "rate", "a": "rate", "b": "rate", "frequency": "column"},
    ),
    "clv.BetaGeo": (lambda d: dict(penalizer=0.0), {"penalizer": "rate"}),
    "clv.GammaGamma": (lambda d: dict(penalizer=0.0), {"penalizer": "rate"}),
    "clv.clv": (
        lambda d: dict(transaction_model=d.beta_geo, spend_model=d.gamma_gamma, summary=d.summary),
        {
            "transaction_model": "model",
            "spend_model": "model",
            "summary": "table",
            "months": "count",
            "discount_rate": "share",
            "time_unit_days": "rate",
            "margin": "share",
        },
    ),
    "clv.summary_time_unit": (
        lambda d: dict(summary=d.summary),
        {"summary": "table", "recency": "column", "T": "column"},
    ),
    "clv.convert_time_unit": (
        lambda d: dict(summary=d.summary, freq="D"),
        {"summary": "table", "freq": "text", "recency": "column", "T": "column"},
    ),
    "clv.customer_outlook": (
        lambda d: dict(model=d.beta_geo, frequency=5, T=40, quiet=3, horizon=26),
        {"model": "model", "frequency": "count", "T": "rate", "quiet": "rate", "horizon": "rate"},
    ),
    "clv.alive_curve": (
        lambda d: dict(model=d.beta_geo, frequency=5, T=40, points=10),
        {"model": "model", "frequency": "count", "T": "rate", "points": "count"},
    ),
    "clv.clv_interval": (
        lambda d: dict(
            transaction_model=d.fitted_beta_geo,
            spend_model=d.fitted_gamma_gamma,
            summary=d.simulated,
            months=12,
            time_unit_days=7,
        ),
        {
            "transaction_model": "model",
            "spend_model": "model",
            "summary": "table",
            "months": "count",
            "discount_rate": "share",
            "time_unit_days": "rate",
            "margin": "share",
            "level": "share",
            "total": "flag",
            "frequency": "column",
            "recency": "column",
            "T": "column",
            "monetary_value": "column",
        },
    ),
    "clv.calibration_holdout": (
        lambda d: dict(
            transactions=d.orders,
            calibration_end="2024-04-30",
            observation_end="2024-06-23",
            date="order_time",
            **d.order_args,
        ),
        {
            "transactions": "table",
            "calibration_end": "date",
            "observation_end": "date",
            "customer": "column",
            "date": "column",
            "amount": "column",
            "freq": "text",
        },
    ),
    "clv.spend_frequency_check": (
        lambda d: dict(summary=d.summary),
        {"summary": "table", "frequency": "column", "monetary_value": "column"},
    ),
    # io
    "io.read_orders": (lambda d: dict(path=d.csv), {"path": "path", "dayfirst": "flag", "phone_key": "text"}),
    "io.read_customers": (lambda d: dict(path=d.members_csv), {"path": "path"}),
    "io.canonical_header": (lambda d: dict(text="订单号"), {}),
    "io.header_role": (lambda d: dict(header="实付金额"), {}),
    "io.parse_dates": (
        lambda d: dict(values=pd.Series(["2024-03-05", "2024/3/6"])),
        {"values": "series", "dayfirst": "flag"},
    ),
    "io.parse_money": (lambda d: dict(values=pd.Series(["¥1,234.50", "12"])), {"values": "series"}),
    "io.mask_phone": (lambda d: dict(phone="13912345678", key="k"), {"phone": "text"}),
    # plots
    "plots.use_cjk_font": (lambda d: dict(), {}),
    "plots.installed_cjk_fonts": (lambda d: dict(), {}),
    "plots.customer_noun": (lambda d: dict(noun="members"), {"noun": "text"}),
    "plots.style": (lambda d: dict(), {}),
    "plots.new_axes": (lambda d: dict(), {"figsize": "columns"}),
    "plots.pareto_plot": (lambda d: dict(pareto=d.pareto), {"pareto": "table", "highlight": "share"}),
    "plots.lorenz_plot": (lambda d: dict(curves=d.lorenz), {"curves": "table", "by": "column", "show_gini": "flag"}),
    "plots.pyramid_plot": (
        lambda d: dict(pyramid=d.pyramid),
        {
            "pyramid": "table",
            "tier": "column",
            "customer_share": "column",
            "value_share": "column",
            "top_first": "flag",
        },
    ),
    "plots.rfm_heatmap": (lambda d: dict(scores=d.segments), {"scores": "table", "x": "text", "value": "column"}),
    "plots.segment_bar_plot": (
        lambda d: dict(segments=d.segments),
        {"segments": "table", "value": "column", "segment": "column"},
    ),
    "plots.funnel_plot": (lambda d: dict(funnel=d.funnel), {"funnel": "table", "by": "column", "value": "column"}),
    "plots.win_rate_plot": (
        lambda d: dict(win_rates=d.win_rates),
        {"win_rates": "table", "touch": "text", "pooled_last": "flag"},
    ),
    "plots.pipeline_plot": (lambda d: dict(forecast=d.forecast), {"forecast": "table"}),
    "plots.acquisition_cost_plot": (lambda d: dict(costs=d.costs), {"costs": "table"}),
    "plots.cohort_heatmap": (
        lambda d: dict(cohorts=d.cohorts),
        {"cohorts": "table", "value": "column", "annotate": "flag"},
    ),
    "plots.servqual_gap_plot": (
        lambda d: dict(gaps=__import__("crmlib.loyalty", fromlist=["x"]).satisfaction_gap(d.surveys)),
        {"gaps": "table", "by": "column"},
    ),
    "plots.nps_plot": (
        lambda d: dict(nps_table=__import__("crmlib.loyalty", fromlist=["x"]).nps(d.surveys)),
        {"nps_table": "series", "by": "column"},
    ),
    "clv.calibration_holdout_table": (
        lambda d: dict(summary=d.summary, holdout_purchases=d.holdout, model=d.beta_geo, holdout_length=26),
        {
            "summary": "table",
            "holdout_purchases": "series",
            "model": "model",
            "holdout_length": "rate",
            "max_frequency": "count",
        },
    ),
    "plots.calibration_holdout_plot": (
        lambda d: dict(calibration=_calibration(d)),
        {"calibration": "table", "pooled_last": "flag"},
    ),
    "plots.funnel_share_plot": (
        lambda d: dict(funnel=d.source_funnel, by="source"),
        {"funnel": "table", "by": "column", "label": "text", "legend": "flag"},
    ),
    "plots.funnel_step_plot": (
        lambda d: dict(funnel=d.source_funnel, by="source"),
        {"funnel": "table", "by": "column", "label": "text", "highlight": "flag", "legend": "flag"},
    ),
    "plots.visit_gain_plot": (
        lambda d: dict(visit_values=d.visit_values),
        {"visit_values": "table", "pooled_last": "flag"},
    ),
    "plots.visit_net_value_plot": (
        lambda d: dict(visit_values=d.visit_values),
        {"visit_values": "table", "pooled_last": "flag"},
    ),
    "plots.days_since_touch_plot": (
        lambda d: dict(gaps=d.touch_gaps, days=14),
        {"gaps": "table", "days": "count", "opportunity": "column"},
    ),
    "plots.lost_contact_plot": (
        lambda d: dict(gaps=d.touch_gaps, days=14),
        {"gaps": "table", "days": "count", "reason": "label"},
    ),
    "plots.platform_policy_plot": (
        lambda d: dict(runs=d.runs),
        {"runs": "table", "measure": "column", "policy": "label", "legend": "flag"},
    ),
    "plots.sample_size_plot": (
        lambda d: dict(curve=d.curve, lift=0.02, baseline=0.1),
        {"curve": "table", "marks": "mapping", "lift": "share", "power": "share", "baseline": "share"},
    ),
    "plots.rebuy_gap_plot": (
        lambda d: dict(gaps=d.repeats["gap_days"], days=14),
        {"gaps": "series", "days": "count", "max_days": "count"},
    ),
    "plots.lifecycle_plot": (
        lambda d: dict(counts=d.stage_table),
        {"counts": "table", "names": "mapping", "title": "text"},
    ),
    "plots.gap_shift_plot": (lambda d: dict(result=d.what_if), {"result": "mapping", "title": "text"}),
    "plots.nps_estimate_plot": (lambda d: dict(result=d.what_if), {"result": "mapping"}),
    "plots.retention_value_plot": (
        lambda d: dict(campaigns=d.campaigns, choice=d.campaign),
        {"campaigns": "table", "choice": "mapping"},
    ),
    "plots.precision_recall_plot": (
        lambda d: dict(campaigns=d.campaigns, bond="financial", threshold=0.5),
        {"campaigns": "table", "bond": "label", "threshold": "share"},
    ),
    "plots.sla_plot": (
        lambda d: dict(shares=d.sla, sla_hours=24),
        {"shares": "table", "sla_hours": "rate", "by": "column", "names": "mapping", "title": "text"},
    ),
    "plots.reorder_share_plot": (
        lambda d: dict(comparison=d.reorder, window_days=60),
        {"comparison": "mapping", "window_days": "rate", "title": "text"},
    ),
    "plots.reorder_gap_curve_plot": (
        lambda d: dict(gap_curve=d.reorder_curve, sla_hours=24),
        {"gap_curve": "table", "sla_hours": "rate"},
    ),
    "plots.customer_orders_plot": (
        lambda d: dict(months=d.file["months"], tickets=d.file["tickets"], customer=d.file_customer),
        {"months": "table", "tickets": "table", "first_month": "date", "last_month": "date", "customer": "text"},
    ),
    "plots.gains_plot": (
        lambda d: dict(gains=d.gains, highlight=20),
        {"gains": "table", "highlight": "count", "label": "text"},
    ),
    "plots.targeting_value_plot": (
        lambda d: dict(valued=d.valued, pct=20),
        {"valued": "table", "pct": "count", "noun": "text"},
    ),
    "plots.alive_plot": (
        lambda d: dict(curves=d.alive, outlook=d.outlook),
        {"curves": "table", "outlook": "mapping", "unit": "text"},
    ),
    "plots.pareto_curves_plot": (
        lambda d: dict(curves=d.curves, top_pct=20),
        {"curves": "mapping", "top_pct": "rate", "names": "mapping", "noun": "text", "title": "text"},
    ),
    "plots.profile_plot": (
        lambda d: dict(shares=d.revenue_shares, measure="revenue", members=d.member_shares),
        {"shares": "table", "measure": "text", "members": "table", "labels": "mapping"},
    ),
    "plots.value_index_plot": (
        lambda d: dict(indices=d.tiered, future_weight=0.5),
        {"indices": "table", "future_weight": "share", "threshold": "share"},
    ),
    "plots.balance_curve_plot": (
        lambda d: dict(curve=d.balance, future_weight=0.5),
        {"curve": "table", "future_weight": "share", "margin_share": "share", "start": "share"},
    ),
    "plots.rfm_types_plot": (lambda d: dict(summary=d.rfm_types), {"summary": "table", "title": "text"}),
    "plots.budget_allocation_plot": (
        lambda d: dict(plans=d.plans),
        {"plans": "mapping", "value": "text", "legend": "flag"},
    ),
    "plots.status_transition_plot": (lambda d: dict(transitions=d.transitions), {"transitions": "table"}),
    "plots.lead_up_plot": (
        lambda d: dict(lead=d.lead, label="complaints per month"),
        {"lead": "table", "label": "text"},
    ),
}

#: Public names that are not functions to call with data (constants, the report type).
NOT_DRAWN = {"io.ImportReport": "a dict subclass returned inside read_orders' result"}


def public_functions(module: str) -> list[str]:
    mod = importlib.import_module(f"crmlib.{module}")
    return [f"{module}.{name}" for name in mod.__all__ if callable(getattr(mod, name))]


def function_of(key: str):
    module, name = key.split(".")
    return getattr(importlib.import_module(f"crmlib.{module}"), name)


# --- ways to break an argument ----------------------------------------------------------------

BAD_VALUES = {
    "column": ["no_such_column", 5, ["a", "b"], b"x", {"a": 1}],
    "columns": [5, {"a": 1}, 3.5, [1, 2], "no_such_column"],
    "share": [12, -0.5, math.inf, math.nan, True, "x", None],
    "rate": [-1, math.inf, math.nan, True, "x", 10**300],
    "count": [True, 2.5, -1, 10**9, "3", math.inf],
    "date": ["2300-01-01", "1900-01-01", "not a date", 5, True],
    "mapping": [5, "x", {}, {"a": "b"}, [1, 2]],
    "flag": ["yes", 2, None],
    "seed": ["x", -1, 1.5],
    "path": [None, b"orders.csv", pd.DataFrame({"a": [1]}), 5, "no/such/file.csv"],
    "model": [None, "x", 5],
    "label": ["no such label", 5, None],
    "text": [5, None, ["x"], ""],
    "series": [None, 5, "x", pd.DataFrame({"a": [1]}), pd.Series([[1], {"a": 1}], dtype=object)],
    "table": [None, b"x", {"a": [1]}, 5],
}

#: How a table argument is broken; each must end in CRMDataError or a correct result.
TABLE_CORRUPTIONS = [
    "duplicate column",
    "list cell",
    "dict cell",
    "NaT cell",
    "datetimes",
    "timedeltas",
    "7 and '7'",
    "blank id",
    "year 2300",
    "year 1900",
    "booleans",
    "huge numbers",
    "empty",
    "missing column",
    "whitespace id",
    "all NaN",
]


def corrupt(frame: pd.DataFrame, how: str, column) -> pd.DataFrame:
    out = frame.copy()
    if how == "empty":
        return out.iloc[:0]
    if how == "missing column":
        return out.drop(columns=column)
    if how == "duplicate column":
        return pd.concat([out, out[[column]]], axis=1)
    values = out[column].astype(object).to_numpy(copy=True)
    row = len(values) // 2
    if how == "list cell":
        values[row] = [1, 2]
    elif how == "dict cell":
        values[row] = {"a": 1}
    elif how == "NaT cell":
        values[row] = pd.NaT
    elif how == "datetimes":
        values = np.array(pd.date_range("2024-01-01", periods=len(values), freq="D"), dtype="datetime64[ns]")
    elif how == "timedeltas":
        values = np.array(pd.to_timedelta(np.arange(len(values)), unit="D"), dtype="timedelta64[ns]")
    elif how == "7 and '7'":
        values[:] = [7 if i % 2 else "7" for i in range(len(values))]
    elif how == "blank id":
        values[row] = ""
    elif how == "whitespace id":
        values[row] = "   "
    elif how == "year 2300":
        values[row] = "2300-01-05"
    elif how == "year 1900":
        values[row] = "1900-01-05"
    elif how == "booleans":
        values = np.array([i % 2 == 0 for i in range(len(values))])
    elif how == "huge numbers":
        values = np.full(len(values), 1e308)
    elif how == "all NaN":
        values = np.full(len(values), np.nan)
    out[column] = values
    return out


def assert_contract(function, kwargs: dict) -> str:
    """Call; a CRMDataError must say what to fix; any other exception fails. Returns the outcome."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a bad call may warn on its way to the error
            result = function(**kwargs)
    except CRMDataError as error:
        assert "Fix:" in str(error) or "fix" in str(error).lower(), str(error)
        return "CRMDataError"
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")
    if isinstance(result, pd.DataFrame):
        numbers = result.select_dtypes("number")
        assert not np.isinf(numbers.to_numpy(dtype=float)).any(), "an infinite number in the result"
    return "result"


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tea, retail, tmp_path_factory):
    return Inputs(tea, retail, tmp_path_factory.mktemp("contract"))


@pytest.mark.parametrize("module", MODULES)
def test_every_public_function_has_a_row_in_the_table(module):
    missing = [f for f in public_functions(module) if f not in CALLS and f not in NOT_DRAWN]
    assert not missing, f"add these to CALLS in tests/test_contract.py: {missing}"


@pytest.mark.parametrize("key", sorted(CALLS))
def test_the_valid_call_of_each_row_works(key, inputs):
    make, roles = CALLS[key]
    kwargs = make(inputs)
    assert set(roles) <= set(__import__("inspect").signature(function_of(key)).parameters), key
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        function_of(key)(**kwargs)
    import matplotlib.pyplot as plt

    plt.close("all")


COUNTS: collections.Counter = collections.Counter()


def bad_calls(module: str):
    keys = [k for k in CALLS if k.startswith(module + ".") and CALLS[k][1]]

    @st.composite
    def draw(draw_):
        key = draw_(st.sampled_from(keys))
        roles = CALLS[key][1]
        argument = draw_(st.sampled_from(sorted(roles)))
        role = roles[argument]
        if role == "table":
            how = draw_(st.sampled_from(TABLE_CORRUPTIONS + ["bad value"] * 2))
        else:
            how = "bad value"
        value = draw_(st.sampled_from(BAD_VALUES[role])) if how == "bad value" else None
        pick = draw_(st.integers(0, 10**6))
        return key, argument, role, how, value, pick

    return draw()


def run_bad_call(inputs, key, argument, role, how, value, pick) -> str:
    make, roles = CALLS[key]
    kwargs = make(inputs)
    if how != "bad value":
        frame = kwargs[argument]
        named = [
            kwargs.get(a)
            for a, r in roles.items()
            if r == "column" and isinstance(kwargs.get(a), str) and kwargs.get(a) in frame.columns
        ]
        defaults = __import__("inspect").signature(function_of(key)).parameters
        named += [
            p.default
            for a, p in defaults.items()
            if roles.get(a) == "column"
            and isinstance(p.default, str)
            and p.default in frame.columns
            and a not in kwargs
        ]
        columns = named or list(frame.columns)
        column = columns[pick % len(columns)]
        kwargs[argument] = corrupt(frame, how, column)
    else:
        kwargs[argument] = value
    COUNTS[key.split(".")[0]] += 1
    return assert_contract(function_of(key), kwargs)


@pytest.mark.parametrize("module", [m for m in MODULES])
def test_bad_calls_end_in_crmdataerror_or_a_result(module, inputs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative path given to a writer lands here, not in the repository
    keys = [k for k in CALLS if k.startswith(module + ".") and CALLS[k][1]]
    examples = EXAMPLES_PER_FUNCTION * len(keys)

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(bad_calls(module))
    def check(call):
        run_bad_call(inputs, *call)

    check()


def test_at_least_1000_bad_calls_were_made():
    """Runs after the module tests above (file order); prints the count per module."""
    total = sum(COUNTS.values())
    print("bad calls per module:", dict(COUNTS), "total", total)
    if total == 0:
        pytest.skip("run together with test_bad_calls_end_in_crmdataerror_or_a_result")
    assert total >= 1000
