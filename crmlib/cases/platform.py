"""A toy simulation of two platforms and their merchants: exclusive dealing (二选一) vs partnership.

Case study ``casestudies/platform_exclusivity``. Platform **A** is the big platform whose policy
the student chooses; platform **B** is a smaller rival that always lets its merchants list
elsewhere. Merchants are the customers of both platforms; consumers buy from them on one
platform or the other.

>>> sim = simulate_platforms("exclusive", years=1, merchants=200)
>>> sim.columns.tolist()[:6]
['policy', 'commission', 'period', 'year', 'quarter', 'platform']
>>> int(sim["period"].max()), sim["platform"].unique().tolist()
(4, ['A', 'B'])

The model runs quarter by quarter, vectorised over merchants. Every constant is in
:data:`PARAMETERS`; the case README writes the same equations out.

* Merchant i has a sales potential S_i (thousand CNY a quarter if it reached every consumer with
  full effort), log-normal, and a **trust** T_ip in each platform p (0 = none, 1 = full).
* **Trust** closes part of the gap to the platform's target each quarter:
  T <- clip(T + trust_speed (target_p - T) + trust_noise e, 0, 1), e standard normal. The
  target is ``trust_target[policy]`` (low under coercion, high under fair treatment) minus
  ``commission_penalty`` x (commission - ``fair_commission``) when the commission is above fair.
* **Effort**: a merchant invests in a platform it trusts (menus, photos, service, promotions):
  e_ip = effort_floor + (1 - effort_floor) T_ip.
* **Sales** of merchant i on platform p: S_i e_ip w_p, where w_p is platform p's share of
  consumers. A merchant listed on both platforms reaches every consumer.
* **Money** per CNY of sales: the platform keeps its commission c_p, the merchant keeps
  ``margin`` - c_p, and consumers get a surplus worth ``consumer_value`` (a proxy for
  convenience and choice). **Total value** = merchant profit + commission + consumer surplus
  = sales x (margin + consumer_value): the commission only divides the pie; trust (effort) and
  reach make it bigger or smaller.
* **Churn**: a merchant leaves platform p with probability
  churn_base + churn_slope x w_q x max(0, breaking_point - T_ip), where w_q is the other
  platform's consumer share: low trust makes merchants leave, the more so the more customers
  they can find elsewhere. A merchant who leaves and is listed nowhere else moves to the other
  platform (unless it leaves that one in the same quarter).
* **Joining**: a merchant not on p joins it with probability join_rate x R_p x w_p, where the
  platform's reputation R_p is the mean trust of its merchants; its trust starts at R_p.
* **Consumers** follow the merchants: w_A <- w_A + consumer_speed (v_A - w_A), where
  v_A = pull n_A / (pull n_A + n_B), n_p is the number of merchants on p and pull =
  ``platform_pull_A`` is A's own draw (app, delivery network); w_B = 1 - w_A.
* **Exclusive dealing**: in the first quarter every merchant listed on both platforms must choose.
  It picks A with probability w_A^k / (w_A^k + w_B^k), k = ``choice_scale`` (merchants lean to
  the bigger platform, not all the way). From then on no merchant on A may be on B: joining A
  means leaving B, and leaving A is the only way to B.

Both policies run on the same merchants and the same random numbers (one stream per quarter),
so the difference between two runs comes from the policy, not from luck. It is a toy model: its
numbers illustrate a mechanism and forecast no real market.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "POLICIES",
    "PARAMETERS",
    "DEFAULT_SEED",
    "simulate_platforms",
    "yearly_outcome",
    "compare_policies",
    "policy_outcome",
]

#: Platform A's two policies: name -> label used in tables and charts.
POLICIES = {"exclusive": "exclusive dealing 二选一", "relationship": "relationship 关系营销"}

#: The seed of the simulation when none is given.
DEFAULT_SEED = 20240201

#: Every constant of the model (see the module description and the case README).
PARAMETERS = {
    "potential_median": 60.0,  # S_i: median sales potential, thousand CNY a quarter
    "potential_spread": 0.7,  # S_i: sigma of log S_i
    "online_share": 0.80,  # share of merchants already on a platform at the start
    "start_on_A": 0.85,  # an online merchant is on A with this probability ...
    "start_on_B": 0.45,  # ... and on B with this one (at least one of the two)
    "start_trust": (6.0, 4.0),  # Beta(a, b) of the trust merchants start with (mean 0.6)
    "trust_target": {"exclusive": 0.20, "relationship": 0.85},
    "fair_commission": 0.10,  # commission that costs no trust
    "commission_penalty": 4.0,  # the target falls 0.04 for each point of commission above fair
    "trust_speed": 0.15,  # share of the gap to the target closed each quarter
    "trust_noise": 0.04,  # sd of the quarterly trust shock
    "effort_floor": 0.6,  # effort of a merchant with no trust at all
    "margin": 0.30,  # merchant's gross margin on sales, before commission
    "consumer_value": 0.20,  # consumer surplus per CNY of sales (proxy)
    "churn_base": 0.01,  # quarterly chance of leaving a platform, whatever the trust
    "churn_slope": 1.0,  # extra chance per unit of trust below the breaking point
    "breaking_point": 0.5,  # trust below which merchants start to leave
    "join_rate": 0.16,  # quarterly chance of joining, times the platform's reputation
    "consumer_speed": 0.5,  # share of the gap closed each quarter by consumers following merchants
    "choice_scale": 3.0,  # k in the forced-choice rule
    "platform_pull_A": 1.5,  # A's own pull on consumers (app, delivery network) per listing, B's = 1
}

_STEPS = ("churn_A", "churn_B", "join_A", "join_B", "choice")  # one uniform draw per merchant for each


def _parameters(overrides) -> dict:
    """PARAMETERS with ``overrides`` (a dict of some of its keys) put in; unknown keys are an error."""
    if overrides is None:
        return PARAMETERS
    if not isinstance(overrides, Mapping):
        raise CRMDataError(
            _(
                "parameters must be a dict of model constants, got {type}. Fix: pass e.g. "
                "parameters={{'trust_speed': 0.1}}."
            ).format(type=type(overrides).__name__)
        )
    unknown = [key for key in overrides if key not in PARAMETERS]
    if unknown:
        raise CRMDataError(
            _(
                "parameters has unknown keys {unknown}. Fix: use keys of platform.PARAMETERS, e.g. 'trust_speed'."
            ).format(unknown=unknown)
        )
    return {**PARAMETERS, **overrides}


def _check(policy, years, merchants, commission, rival_commission, margin) -> tuple[int, int, float, float]:
    validate.one_of(policy, "policy", list(POLICIES))
    for value, name, low, high in ((years, "years", 1, 20), (merchants, "merchants", 50, 100_000)):
        validate.whole_number(value, name, minimum=low, maximum=high, example=low * 5)
    rates = []
    for value, name in ((commission, "commission"), (rival_commission, "rival_commission")):
        rate = validate.positive_number(value, name, minimum=0.0, inclusive=True)
        if rate >= margin:
            raise CRMDataError(
                _(
                    "{name} must be below the merchants' margin of {margin:g} (else no merchant earns "
                    "anything), got {value!r}. Fix: pass e.g. {name}=0.1."
                ).format(name=name, margin=margin, value=value)
            )
        rates.append(rate)
    return int(years), int(merchants), rates[0], rates[1]


def _target(p: dict, policy: str, commission: float) -> float:
    target = p["trust_target"][policy] - p["commission_penalty"] * max(0.0, commission - p["fair_commission"])
    return max(0.0, target)


def simulate_platforms(
    policy: str = "exclusive",
    years: int = 5,
    merchants: int = 2000,
    commission: float = 0.10,
    rival_commission: float = 0.10,
    seed: int = DEFAULT_SEED,
    parameters=None,
) -> pd.DataFrame:
    """Simulate platform A's ``policy`` for ``years`` years, quarter by quarter, against rival B.

    Parameters
    ----------
    policy : ``"exclusive"`` (二选一: merchants on A may list nowhere else) or ``"relationship"``
        (merchants list where they like and are treated fairly).
    years : length of the run (1–20); one row per platform per quarter, plus quarter 0 (the start).
    merchants : number of merchants in the market (50–100,000), online or not yet.
    commission : platform A's commission on sales (0 up to the merchants' margin 0.30).
    rival_commission : platform B's commission; B always follows the relationship policy.
    seed : random seed; the same seed gives the same merchants and luck under every policy.
    parameters : optional dict changing some constants of :data:`PARAMETERS` for this run, e.g.
        ``{"trust_speed": 0.1}`` (to test how much a conclusion depends on an assumption).

    Returns
    -------
    DataFrame, one row per quarter and platform: ``policy``, ``commission`` (A's), ``period``
    (0 = before the policy starts), ``year`` (0 for period 0), ``quarter``, ``platform``,
    ``merchants`` (listed at the end of the quarter), ``joined``, ``left``, ``churn_rate`` (left /
    listed at the start of the quarter), ``trust`` (mean trust of the listed merchants),
    ``consumer_share``, ``sales``, ``sales_share``, ``merchant_profit``, ``commission_revenue``,
    ``consumer_surplus``, ``total_value`` (money in million CNY per quarter).

    Examples
    --------
    >>> ex = simulate_platforms("exclusive", years=2, merchants=500)
    >>> ex.loc[ex["platform"] == "A", "trust"].round(2).tolist()
    [0.61, 0.55, 0.5, 0.46, 0.42, 0.39, 0.36, 0.34, 0.32]
    """
    p = _parameters(parameters)
    years, n, commission, rival_commission = _check(policy, years, merchants, commission, rival_commission, p["margin"])
    root = np.random.SeedSequence(validate.whole_number(seed, "seed", example=1))
    start = np.random.default_rng(root.spawn(1)[0])
    potential = p["potential_median"] * np.exp(p["potential_spread"] * start.standard_normal(n))
    online = start.random(n) < p["online_share"]
    a_draw, b_draw = start.random(n), start.random(n)
    on_a = online & (a_draw < p["start_on_A"])
    on_b = online & ((b_draw < p["start_on_B"]) | ~on_a)
    trust = {"A": start.beta(*p["start_trust"], n), "B": start.beta(*p["start_trust"], n)}
    on = {"A": on_a, "B": on_b}
    share_a = _pull_share(on_a.sum(), on_b.sum(), p["platform_pull_A"])
    consumers = {"A": share_a, "B": 1 - share_a}
    rate = {"A": commission, "B": rival_commission}
    rule = {"A": policy, "B": "relationship"}
    target = {k: _target(p, rule[k], rate[k]) for k in "AB"}
    exclusive_a = policy == "exclusive"

    rows = []

    def record(period: int, joined: dict, left: dict, listed_before: dict) -> None:
        sales = {
            k: float(
                (potential * (p["effort_floor"] + (1 - p["effort_floor"]) * trust[k]) * on[k]).sum() * consumers[k]
            )
            / 1000
            for k in "AB"
        }  # million CNY
        total_sales = sales["A"] + sales["B"]
        for k in "AB":
            listed = int(on[k].sum())
            rows.append(
                {
                    "period": period,
                    "platform": k,
                    "merchants": listed,
                    "joined": joined[k],
                    "left": left[k],
                    "churn_rate": left[k] / listed_before[k] if listed_before[k] else 0.0,
                    "trust": float(trust[k][on[k]].mean()) if listed else np.nan,
                    "consumer_share": float(consumers[k]),
                    "sales": sales[k],
                    "sales_share": sales[k] / total_sales if total_sales else np.nan,
                    "merchant_profit": sales[k] * (p["margin"] - rate[k]),
                    "commission_revenue": sales[k] * rate[k],
                    "consumer_surplus": sales[k] * p["consumer_value"],
                }
            )

    zero = {"A": 0, "B": 0}
    record(0, zero, zero, {k: int(on[k].sum()) for k in "AB"})
    for period, seq in enumerate(root.spawn(4 * years), start=1):
        rng = np.random.default_rng(seq)
        draws = dict(zip(_STEPS, rng.random((len(_STEPS), n)), strict=True))
        shocks = rng.standard_normal((2, n))
        listed_before = {k: int(on[k].sum()) for k in "AB"}
        left = {"A": np.zeros(n, bool), "B": np.zeros(n, bool)}
        joined = {"A": np.zeros(n, bool), "B": np.zeros(n, bool)}
        # 1. exclusive dealing: in the first quarter, everyone on both platforms must choose
        if exclusive_a and period == 1:
            both = on["A"] & on["B"]
            k_ = p["choice_scale"]
            pick_a = draws["choice"] < consumers["A"] ** k_ / (consumers["A"] ** k_ + consumers["B"] ** k_)
            left["B"] |= both & pick_a
            left["A"] |= both & ~pick_a
            on["B"] = on["B"] & ~(both & pick_a)
            on["A"] = on["A"] & ~(both & ~pick_a)
        # 2. trust moves towards each platform's target, for the merchants listed there
        for j, k in enumerate("AB"):
            moved = trust[k] + p["trust_speed"] * (target[k] - trust[k]) + p["trust_noise"] * shocks[j]
            trust[k] = np.where(on[k], np.clip(moved, 0.0, 1.0), trust[k])
        # 3. churn: low trust makes merchants leave; one left with no platform moves to the other
        elsewhere = {"A": consumers["B"], "B": consumers["A"]}
        leave = {
            k: on[k]
            & (
                draws[f"churn_{k}"]
                < p["churn_base"] + p["churn_slope"] * elsewhere[k] * np.maximum(0.0, p["breaking_point"] - trust[k])
            )
            for k in "AB"
        }
        for k, other in (("A", "B"), ("B", "A")):
            on[k] = on[k] & ~leave[k]
            left[k] |= leave[k]
            moving = leave[k] & ~on[other] & ~leave[other]
            trust[other] = np.where(moving, _reputation(trust[other], on[other]), trust[other])
            on[other] = on[other] | moving
            joined[other] |= moving
        # 4. joining: a platform with a good reputation attracts merchants not yet on it
        reputation = {k: _reputation(trust[k], on[k]) for k in "AB"}
        for k in "AB":
            candidates = ~on[k] & ~left[k]
            if exclusive_a and k == "B":
                candidates &= ~on["A"]
            new = candidates & (draws[f"join_{k}"] < p["join_rate"] * reputation[k] * consumers[k])
            trust[k] = np.where(new, reputation[k], trust[k])
            on[k] = on[k] | new
            joined[k] |= new
            if exclusive_a and k == "A":
                dropped = new & on["B"]
                on["B"] = on["B"] & ~dropped
                left["B"] |= dropped
        # 5. consumers drift towards the platform with more listings
        consumers["A"] += p["consumer_speed"] * (
            _pull_share(on["A"].sum(), on["B"].sum(), p["platform_pull_A"]) - consumers["A"]
        )
        consumers["B"] = 1 - consumers["A"]
        record(period, {k: int(joined[k].sum()) for k in "AB"}, {k: int(left[k].sum()) for k in "AB"}, listed_before)

    out = pd.DataFrame(rows)
    out["total_value"] = out["merchant_profit"] + out["commission_revenue"] + out["consumer_surplus"]
    out.insert(0, "policy", policy)
    out.insert(1, "commission", commission)
    out.insert(3, "year", (out["period"] + 3) // 4)
    out.insert(4, "quarter", np.where(out["period"] == 0, 0, (out["period"] - 1) % 4 + 1))
    return out


def _pull_share(listed_a: int, listed_b: int, pull: float) -> float:
    """The consumer share platform A heads for: its listings weighted by its own pull."""
    pull_a = pull * listed_a
    total = pull_a + listed_b
    return float(pull_a / total) if total else 0.5


def _reputation(trust: np.ndarray, listed: np.ndarray) -> float:
    """A platform's reputation: the mean trust of its listed merchants (0.5 if it has none)."""
    return float(trust[listed].mean()) if listed.any() else 0.5


def yearly_outcome(sim: pd.DataFrame) -> pd.DataFrame:
    """A simulation year by year: how platform A fares and how big the pie is.

    One row per year of the policy (the starting quarter, year 0, is left out):
    ``a_sales_share`` (A's share of all platform sales, mean over the year's quarters),
    ``a_merchants`` and ``a_trust`` (merchants on A and their mean trust at the end of the year),
    ``a_churned`` (merchants who left A during the year), ``choice`` (merchants the average
    consumer can buy from at the end of the year: sum over platforms of consumer share x
    merchants), ``a_commission`` (A's commission income) and ``total_value`` (value created on
    both platforms), money in million CNY over the year.

    >>> out = yearly_outcome(simulate_platforms("relationship", years=2, merchants=300))
    >>> out.index.tolist()
    [1, 2]
    >>> out.columns.tolist()
    ['a_sales_share', 'a_merchants', 'a_trust', 'a_churned', 'choice', 'a_commission', 'total_value']
    """
    validate.require_columns(
        sim,
        "sim",
        [
            "year",
            "period",
            "platform",
            "merchants",
            "consumer_share",
            "sales_share",
            "trust",
            "left",
            "commission_revenue",
            "total_value",
        ],
    )
    sim = sim[sim["year"] >= 1].sort_values(["period", "platform"])
    a = sim[sim["platform"] == "A"]
    by_year = a.groupby("year")
    choice = (
        (sim["consumer_share"] * sim["merchants"]).groupby([sim["year"], sim["period"]]).sum().groupby("year").last()
    )
    return pd.DataFrame(
        {
            "a_sales_share": by_year["sales_share"].mean(),
            "a_merchants": by_year["merchants"].last(),
            "a_trust": by_year["trust"].last(),
            "a_churned": by_year["left"].sum(),
            "choice": choice,
            "a_commission": by_year["commission_revenue"].sum(),
            "total_value": sim.groupby("year")["total_value"].sum(),
        }
    )


# --------------------------------------------------------------------------------------------
# one run in five numbers (what the platform explorer shows)
# --------------------------------------------------------------------------------------------
def policy_outcome(sim: pd.DataFrame) -> dict:
    """The key numbers of one run of :func:`simulate_platforms`, over the whole run.

    ``peak_share`` (A's highest quarterly share of platform sales), ``final_share`` (A's share in
    the last quarter), ``final_trust`` (mean trust in A in the last quarter), ``a_commission``
    (A's commission income over the run) and ``total_value`` (value created on both platforms over
    the run), money in million CNY. The starting quarter (period 0) is left out.

    >>> out = policy_outcome(simulate_platforms("relationship", years=1, merchants=300))
    >>> sorted(out)
    ['a_commission', 'final_share', 'final_trust', 'peak_share', 'total_value']
    >>> ex = simulate_platforms("exclusive", years=2, merchants=500)
    >>> round(policy_outcome(ex)["final_trust"], 2)  # the last trust of simulate_platforms' example
    0.32
    """
    validate.require_columns(
        sim, "sim", ["period", "platform", "sales_share", "trust", "commission_revenue", "total_value"]
    )
    run = sim[sim["period"] >= 1]
    a = run[run["platform"] == "A"].sort_values("period")
    if a.empty:
        raise CRMDataError(
            _(
                "sim has no quarter of platform A after the start (period 1 or later). Fix: pass "
                "the table that simulate_platforms(...) returns."
            )
        )
    return {
        "peak_share": float(a["sales_share"].max()),
        "final_share": float(a["sales_share"].iloc[-1]),
        "final_trust": float(a["trust"].iloc[-1]),
        "a_commission": float(a["commission_revenue"].sum()),
        "total_value": float(run["total_value"].sum()),
    }


def compare_policies(
    years: int = 5,
    merchants: int = 2000,
    commission: float = 0.10,
    rival_commission: float = 0.10,
    seed: int = DEFAULT_SEED,
    parameters=None,
) -> pd.DataFrame:
    """Both policies side by side: :func:`yearly_outcome` of each, stacked with a ``policy`` level.

    >>> both = compare_policies(years=1, merchants=300)
    >>> list(both.index.names), both.index.get_level_values("policy").unique().tolist()
    (['policy', 'year'], ['exclusive', 'relationship'])
    """
    outcomes = {
        policy: yearly_outcome(
            simulate_platforms(
                policy,
                years=years,
                merchants=merchants,
                commission=commission,
                rival_commission=rival_commission,
                seed=seed,
                parameters=parameters,
            )
        )
        for policy in POLICIES
    }
    return pd.concat(outcomes, names=["policy", "year"])
