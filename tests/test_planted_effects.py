"""Each planted effect of datasets/README.md, found in the shipped data with plain pandas.

The expected sizes below are the ones the README documents; the measurements never read the
generator's parameters. A tolerance says how far sampling noise may move the measured value.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

#: The expected value of each measurement below, as documented in datasets/README.md (measured on
#: data generated at --scale 5, where sampling noise is small; the tolerances cover scale 1).
EXPECTED = {
    "collab_return_gap": 0.24,
    "complaint_response_gap": 0.16,
    "coupon_lift": 0.032,
    "cross_buying_gap": 0.12,
    "strategic_margin_share": 0.72,
}


def top_share(values: pd.Series, top: float = 0.2) -> float:
    """Share of the total held by the top ``top`` fraction of entries."""
    v = values.sort_values(ascending=False)
    return float(v.iloc[: math.ceil(top * len(v))].sum() / v.sum())


def two_proportion_z(hits_a, n_a, hits_b, n_b) -> float:
    pooled = (hits_a + hits_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return (hits_b / n_b - hits_a / n_a) / se


# --- tea chain -------------------------------------------------------------------------------


def test_brand_archetypes_ticket_and_frequency(tea):
    orders = tea.orders
    ticket = orders.groupby("brand_id", observed=True)["net_amount"].median()
    assert ticket["T1"] > 30  # premium: above both others
    assert 16 <= ticket["T2"] <= 25  # regional: about 16–25 CNY
    assert ticket["T3"] < 10  # mass-market: a few yuan
    # Visits per member per month between first and last order, among members with 2+ orders.
    span = orders.groupby("member_id").agg(
        brand=("brand_id", "first"), n=("order_id", "size"), first=("order_time", "min"), last=("order_time", "max")
    )
    span = span[span["n"] >= 2]
    months = (span["last"] - span["first"]).dt.days.clip(lower=1) / 30.4
    rate = ((span["n"] - 1) / months).groupby(span["brand"], observed=True).median()
    assert rate["T3"] > rate["T2"] > rate["T1"]


def test_pareto_concentration(tea, retail):
    spend = tea.orders.groupby(["brand_id", "member_id"], observed=True)["net_amount"].sum()
    for brand in ["T1", "T2", "T3"]:
        assert 0.60 <= top_share(spend[brand]) <= 0.80, brand
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    spend_r = retail.orders[retail.orders["customer_id"].isin(consumers)].groupby("customer_id")["amount"].sum()
    assert 0.50 <= top_share(spend_r) <= 0.80


def collab_return_gap(tea) -> float:
    """Points by which collab joiners come back less often in days 31–120 after joining."""
    members = tea.members[tea.members["join_date"] < "2025-08-01"]
    o = tea.orders.merge(members[["member_id", "join_date"]], on="member_id")
    days = (o["order_time"].dt.normalize() - o["join_date"]).dt.days
    back = set(o.loc[days.between(31, 120), "member_id"])
    returned = members["member_id"].isin(back).groupby(members["join_channel"] == "collab campaign").mean()
    return float(returned[False] - returned[True])


def test_collab_joiners_lapse_sooner(tea):
    assert collab_return_gap(tea) == pytest.approx(EXPECTED["collab_return_gap"], abs=0.08)


def complaint_response_gap(tea) -> tuple[float, int, int]:
    """Points by which members answered slowly (> 24 h) order less within 60 days of their first complaint."""
    fb = tea.feedback[tea.feedback["is_complaint"]].sort_values("created_at")
    first = fb.groupby("member_id", as_index=False).first()
    first = first[first["created_at"] < "2025-10-31"]
    o = tea.orders.merge(first[["member_id", "created_at"]], on="member_id")
    within = (o["order_time"] > o["created_at"]) & (o["order_time"] <= o["created_at"] + pd.Timedelta(days=60))
    first["ordered_again"] = first["member_id"].isin(o.loc[within, "member_id"])
    slow = first["response_hours"] > 24
    gap = first.loc[~slow, "ordered_again"].mean() - first.loc[slow, "ordered_again"].mean()
    return float(gap), int(slow.sum()), int((~slow).sum())


def test_slow_complaint_response_raises_churn(tea):
    gap, n_slow, n_fast = complaint_response_gap(tea)
    assert gap == pytest.approx(EXPECTED["complaint_response_gap"], abs=0.07)
    assert n_slow > 400 and n_fast > 800


def coupon_lift(tea) -> float:
    """Redemption rate of variant B minus that of variant A, over all members sent a coupon."""
    rate = tea.coupon_sends["redeemed_date"].notna().groupby(tea.coupon_sends["variant"], observed=True).mean()
    return float(rate["B"] - rate["A"])


def test_coupon_variant_b_lifts_redemption(tea):
    sends = tea.coupon_sends.assign(redeemed=tea.coupon_sends["redeemed_date"].notna())
    rate = sends.groupby("variant", observed=True)["redeemed"].agg(["sum", "size"])
    assert coupon_lift(tea) == pytest.approx(EXPECTED["coupon_lift"], abs=0.015)
    assert (
        two_proportion_z(rate.loc["A", "sum"], rate.loc["A", "size"], rate.loc["B", "sum"], rate.loc["B", "size"]) > 3
    )
    # Every redemption is an order carrying the coupon, on the redemption date.
    redeemed = sends[sends["redeemed"]].set_index("send_id")
    used = tea.orders.dropna(subset=["coupon_send_id"]).set_index("coupon_send_id")
    assert set(used.index) == set(redeemed.index)
    assert (used["order_time"].dt.normalize() == redeemed.loc[used.index, "redeemed_date"]).all()
    assert (used["discount"] > 0).all()


# --- retailer --------------------------------------------------------------------------------


def closed_deals_with_visits(retail) -> pd.DataFrame:
    acts = retail.activities
    visits = acts[(acts["activity_type"] == "visit") & acts["opportunity_id"].notna()].groupby("opportunity_id").size()
    deals = retail.opportunities[retail.opportunities["status"] != "open"].copy()
    deals["visits"] = deals["opportunity_id"].map(visits).fillna(0).astype(int)
    deals["won"] = deals["status"] == "won"
    return deals


def test_win_rate_rises_with_visits_and_flattens_after_three(retail):
    deals = closed_deals_with_visits(retail)
    win = deals.groupby(deals["visits"].clip(upper=5))["won"].mean()
    assert win[1] < 0.15 and win[2] < win[3]
    assert win[3] > 2.5 * win[1]
    assert abs(win[5] - win[3]) < 0.12  # little gained beyond the third visit


def test_referral_leads_convert_best_cold_calls_worst(retail):
    won = set(retail.opportunities.loc[retail.opportunities["status"] == "won", "lead_id"])
    rate = retail.leads["lead_id"].isin(won).groupby(retail.leads["source"], observed=True).mean()
    assert rate.idxmax() == "referral" and rate.idxmin() == "cold call"
    assert rate["referral"] > 2.5 * rate["cold call"]


def cross_buying_gap(retail) -> float:
    """Points by which 2024 cross-buyers (2+ categories in the first basket) more often buy in H2 2025."""
    cats = retail.order_lines.merge(retail.products[["product_id", "category"]], on="product_id")
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    orders = retail.orders[retail.orders["customer_id"].isin(consumers)].sort_values(["order_date", "order_id"])
    first = orders.groupby("customer_id").first()
    breadth = cats[cats["order_id"].isin(first["order_id"])].groupby("order_id")["category"].nunique()
    first["cross_buyer"] = first["order_id"].map(breadth) >= 2
    early = first[first["order_date"] < "2025-01-01"]
    active_late = early.index.isin(orders.loc[orders["order_date"] >= "2025-07-01", "customer_id"])
    rate = pd.Series(active_late, index=early.index).groupby(early["cross_buyer"]).mean()
    return float(rate[True] - rate[False])


def test_cross_buyers_stay_longer(retail):
    assert cross_buying_gap(retail) == pytest.approx(EXPECTED["cross_buying_gap"], abs=0.05)


def account_value_table(retail) -> pd.DataFrame:
    accounts = retail.customers[retail.customers["customer_type"] == "business"].set_index("customer_id")
    lines = retail.order_lines.merge(retail.orders[["order_id", "customer_id"]], on="order_id")
    money = lines.groupby("customer_id")[["margin", "line_amount", "marketing_cost"]].sum()
    table = accounts.join(money).fillna({"margin": 0.0, "line_amount": 0.0, "marketing_cost": 0.0})
    nps = retail.surveys.groupby("customer_id")["nps_score"].mean()
    table["satisfaction"] = nps.reindex(table.index).fillna(nps.mean())
    return table


def strategic_margin_share(retail) -> float:
    """Margin share of the top 20% of business accounts by the README's weighted value score (rank scaling)."""
    t = account_value_table(retail)
    r = lambda s: s.rank(pct=True)  # noqa: E731 - rank scaling, as in the README
    score = (
        0.30 * r(t["margin"])
        + 0.20 * r(t["line_amount"])
        + 0.10 * (1 - r(t["marketing_cost"]))
        + 0.15 * r(t["industry_position"].cat.codes)
        + 0.15 * r(t["cooperation_years"].astype(float))
        + 0.10 * r(t["satisfaction"])
    )
    strategic = score.rank(ascending=False, method="first") <= math.ceil(0.2 * len(t))
    return float(t.loc[strategic, "margin"].sum() / t["margin"].sum())


def test_strategic_accounts_carry_most_margin(retail):
    assert strategic_margin_share(retail) == pytest.approx(EXPECTED["strategic_margin_share"], abs=0.08)


def test_consumer_spend_matches_gamma_gamma_mean(retail):
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    amounts = retail.orders.loc[retail.orders["customer_id"].isin(consumers), ["customer_id", "amount"]]
    per_customer = amounts.groupby("customer_id")["amount"].mean()
    # Documented: E[mean spend] = p v / (q - 1) = 6 x 130 / 2.8 = 278.6 CNY.
    assert per_customer.mean() == pytest.approx(278.6, rel=0.06)


def test_consumer_repeat_purchases_follow_bgnbd(retail):
    """Share of consumers who never bought again, against the BG/NBD value for their observation time."""
    consumers = retail.customers[retail.customers["customer_type"] == "consumer"].set_index("customer_id")
    n_orders = retail.orders.groupby("customer_id").size().reindex(consumers.index)
    T = ((pd.Timestamp("2025-12-31") - consumers["signup_date"]).dt.days / 7).to_numpy()
    # P(X(T)=0) for a new customer under BG/NBD = (alpha/(alpha+T))^r (no repeat purchase at all).
    r, alpha = 0.55, 10.0
    expected = np.mean((alpha / (alpha + T)) ** r)
    assert (n_orders == 1).mean() == pytest.approx(expected, abs=0.02)


def test_contact_flaws_have_documented_counts(retail):
    c = retail.contacts
    digits = c["phone"].str.replace(r"^\+86|[\s\-]", "", regex=True)
    assert c["phone"].isna().sum() == 300 + 50  # gaps + e-mail duplicates entered without a phone
    assert c["email"].isna().sum() == 2500 + 60 + 40
    assert c["address"].isna().sum() == 600
    assert (digits.str.len() == 10).sum() == 40 and (digits.str.len() == 12).sum() == 20
    emails = c["email"].dropna()
    assert (~emails.str.strip().str.lower().str.fullmatch(r"[a-z0-9._]+@example\.(com|org|net)")).sum() == 30 + 20
    assert (~emails.str.contains("@", regex=False)).sum() == 30
    key_phone = digits.where(digits.str.len() == 11)
    key_email = c["email"].str.strip().str.lower()
    assert key_phone.dropna().duplicated().sum() == 60
    assert key_email.dropna().duplicated().sum() == 50
    assert c.duplicated(["customer_id", "contact_name", "city"]).sum() == 150
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in key_phone.dropna())
