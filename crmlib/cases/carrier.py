"""A mobile carrier that tracks each subscriber's status with CRM: active, at risk, ported out.

Case study ``casestudies/mobile_carrier``. :func:`generate_carrier_subscribers` builds a small,
synthetic subscriber base of a city branch of a Chinese mobile carrier over 18 months: who the
subscribers are (plan, tenure, the channel they joined through), their monthly data use, bill
and complaints, the status the carrier's CRM gives each of them at the end of every month
(客户状态: ``active`` 正常, ``at risk`` 有流失风险, ``ported out`` 携号转网), and the calls of
the retention team (挽留回访).

>>> carrier = generate_carrier_subscribers(subscribers=500, seed=1)
>>> carrier.tables
['subscribers', 'monthly', 'retention_calls']
>>> carrier.monthly["status"].cat.categories.tolist()
['active', 'at risk', 'ported out']

How the data is made (the constants are module attributes; the case README gives the sizes):

* Each subscriber has a plan (:data:`PLANS`: monthly fee and data allowance) and a hidden
  **need**: the data they would use in a month, as a multiple of the allowance (log-normal,
  median :data:`NEED_MEDIAN`, sigma :data:`NEED_SPREAD`). Monthly use is need x allowance x a
  little noise. A subscriber whose need is above :data:`FIT_RANGE`'s upper end pays for extra
  data every month; one below its lower end pays for data never used: the plan does not fit.
* Everybody is ``active`` at the start. Each month an active subscriber starts to slip
  (``at risk``) with probability :data:`SLIP_RATE`, times :data:`MISFIT_RISK` if the plan does
  not fit; or ports the number out at once with the small :data:`DIRECT_PORT`.
* In a month at risk, data use falls to :data:`USAGE_AT_RISK` of its usual level and complaints
  come at :data:`COMPLAINTS` ``["at risk"]`` a month instead of ``["active"]``. The month in which
  a subscriber ports out is a month at risk too (unless they left straight from ``active``).
* When a subscriber enters ``at risk`` the retention team calls with probability
  :data:`CALL_SHARE`, after a delay of 1 + Exp(mean :data:`CALL_DELAY_MEAN`) days, independently
  of everything else (the team works through its list in no particular order). A call that
  would come after the episode has ended is not made.
* Each further month at risk the subscriber ports out with probability :data:`PORT_RATE`, times
  :data:`PROMPT_CALL_EFFECT` (one half) if the call came within :data:`PROMPT_DAYS` days of the
  flag; else recovers (back to ``active``) with probability :data:`RECOVER_RATE`; else stays at
  risk. A recovered subscriber can slip again.
* Tenure and the joining channel have no planted effect.

All randomness is vectorised NumPy from one seed; the only loop is over the 18 months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.datasets import Dataset
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "generate_carrier_subscribers",
    "at_risk_episodes",
    "lead_up",
    "DEFAULT_SEED",
    "START",
    "STATUSES",
    "STATUSES_ZH",
    "PLANS",
    "CHANNELS",
    "FIT_RANGE",
    "NEED_MEDIAN",
    "NEED_SPREAD",
    "OVERAGE_PER_GB",
    "SLIP_RATE",
    "MISFIT_RISK",
    "DIRECT_PORT",
    "USAGE_AT_RISK",
    "COMPLAINTS",
    "CALL_SHARE",
    "CALL_DELAY_MEAN",
    "PROMPT_DAYS",
    "PORT_RATE",
    "PROMPT_CALL_EFFECT",
    "RECOVER_RATE",
]

#: The default seed: the same call always returns the same subscribers.
DEFAULT_SEED = 20250101
#: The first month of the data.
START = pd.Timestamp("2025-01-01")
#: The statuses the carrier's CRM gives a subscriber at the end of each month, in order.
STATUSES = ("active", "at risk", "ported out")
#: Their Chinese names.
STATUSES_ZH = {"active": "正常在网", "at risk": "有流失风险", "ported out": "携号转网"}
#: Plans: name -> (monthly fee in CNY, data allowance in GB, share of subscribers).
PLANS = {"Basic 39": (39.0, 10.0, 0.40), "Standard 79": (79.0, 30.0, 0.40), "Premium 129": (129.0, 80.0, 0.20)}
#: Channels subscribers joined through, with their shares.
CHANNELS = {"service hall": 0.45, "online": 0.35, "agent": 0.20}
#: The plan fits when the need is within this range of the allowance (0.4 to 1.2 times).
FIT_RANGE = (0.4, 1.2)
#: Median and log-sigma of the need (data a subscriber would use, as a multiple of the allowance).
NEED_MEDIAN, NEED_SPREAD = 0.75, 0.5
#: Price of data above the allowance, CNY per GB.
OVERAGE_PER_GB = 5.0
#: Monthly chance that an active subscriber whose plan fits starts to slip (becomes at risk).
SLIP_RATE = 0.025
#: A plan that does not fit multiplies the chance of slipping by this (two times).
MISFIT_RISK = 2.0
#: Monthly chance that an active subscriber ports out without ever being at risk (moving away).
DIRECT_PORT = 0.002
#: Data use in a month at risk, as a share of the usual level.
USAGE_AT_RISK = 0.75
#: Mean complaints per month (Poisson) by status in that month.
COMPLAINTS = {"active": 0.10, "at risk": 0.80}
#: Share of new at-risk episodes the retention team calls at all.
CALL_SHARE = 0.70
#: Mean of the exponential part of the call delay, days (the delay is 1 + Exp(mean)).
CALL_DELAY_MEAN = 10.0
#: A call at most this many days after the flag is prompt.
PROMPT_DAYS = 7
#: Monthly chance that a subscriber at risk ports out the next month, without a prompt call.
PORT_RATE = 0.25
#: A prompt call multiplies that chance by this (it halves porting out).
PROMPT_CALL_EFFECT = 0.5
#: Monthly chance that a subscriber at risk who does not port out recovers (back to active).
RECOVER_RATE = 0.35

_MAX_DELAY = 60  # days


def _pick(rng: np.random.Generator, options: dict, size: int) -> np.ndarray:
    labels = np.array(list(options), dtype=object)
    weights = np.array(list(options.values()), dtype=float)
    return labels[rng.choice(len(labels), size=size, p=weights / weights.sum())]


def generate_carrier_subscribers(subscribers: int = 4000, months: int = 18, seed: int | None = None) -> Dataset:
    """Subscribers, monthly use and status, and retention calls of a synthetic mobile carrier.

    Parameters
    ----------
    subscribers : number of subscribers at the start (100–100,000).
    months : months of data (6–36), starting in January 2025 (:data:`START`).
    seed : random seed; ``None`` uses :data:`DEFAULT_SEED`. The same arguments give the same tables.

    Returns
    -------
    A :class:`crmlib.datasets.Dataset` named ``carrier`` with three tables:

    * ``subscribers``: ``subscriber_id``, ``plan``, ``monthly_fee``, ``allowance_gb``,
      ``tenure_months`` (with the carrier at the start), ``channel`` (where they joined);
    * ``monthly``: one row per subscriber and month until they port out: ``subscriber_id``,
      ``month`` (first day), ``data_gb``, ``bill`` (CNY), ``complaints``, ``status`` at the end
      of the month (``active``, ``at risk`` or ``ported out``; the last row of a subscriber who
      left says ``ported out``);
    * ``retention_calls``: ``subscriber_id``, ``flagged_on`` (the last day of the month the
      subscriber became at risk), ``called_on``.

    Examples
    --------
    >>> carrier = generate_carrier_subscribers(subscribers=300, months=6, seed=2)
    >>> int(carrier.monthly.groupby("subscriber_id").size().max())
    6
    >>> sorted(carrier.subscribers["plan"].unique())
    ['Basic 39', 'Premium 129', 'Standard 79']
    """
    n = validate.whole_number(subscribers, "subscribers", minimum=100, maximum=100_000, example=4000)
    n_months = validate.whole_number(months, "months", minimum=6, maximum=36, example=18)
    rng = np.random.default_rng(np.random.SeedSequence(validate.seed(seed, default=DEFAULT_SEED)))

    # --- subscribers: plan, hidden need, tenure, channel ---------------------------------------
    plan_names = list(PLANS)
    plan = rng.choice(len(plan_names), size=n, p=[share for _, _, share in PLANS.values()])
    fee = np.array([PLANS[p][0] for p in plan_names])[plan]
    allowance = np.array([PLANS[p][1] for p in plan_names])[plan]
    need = NEED_MEDIAN * np.exp(NEED_SPREAD * rng.standard_normal(n))
    misfit = (need < FIT_RANGE[0]) | (need > FIT_RANGE[1])
    tenure = np.minimum(1 + rng.geometric(1 / 30, n), 180)
    channel = _pick(rng, CHANNELS, n)

    # --- months: status at the end of each month, use, bill, complaints ------------------------
    status = np.zeros((n_months, n), dtype=np.int8)  # 0 active, 1 at risk, 2 ported out, -1 gone
    at_risk_use = np.zeros((n_months, n), dtype=bool)
    prompt = np.zeros(n, dtype=bool)  # the current episode had a prompt call
    flag_month = np.full(n, -1)
    delay = np.zeros(n, dtype=int)
    calls = []
    before = np.zeros(n, dtype=np.int8)
    for t in range(n_months):
        u = rng.random(n)
        active, risky = before == 0, before == 1
        slip = SLIP_RATE * np.where(misfit, MISFIT_RISK, 1.0)
        port_rate = PORT_RATE * np.where(prompt, PROMPT_CALL_EFFECT, 1.0)
        now = before.copy()
        now[active & (u < DIRECT_PORT)] = 2
        newly = active & (u >= DIRECT_PORT) & (u < DIRECT_PORT + slip)
        now[newly] = 1
        ports = risky & (u < port_rate)
        recovers = risky & ~ports & (u < port_rate + (1 - port_rate) * RECOVER_RATE)
        now[ports] = 2
        now[recovers] = 0
        now[before == 2] = -1
        # calls of the episodes that ended this month: made only if they came before the end
        ended = flag_month >= 0
        ended &= ports | recovers
        for_episode = ended & (delay <= (t - flag_month) * 30)
        calls.append((np.flatnonzero(for_episode), flag_month[for_episode], delay[for_episode]))
        flag_month[ended] = -1
        # new episodes: the team calls some of them after a random delay
        called = rng.random(n) < CALL_SHARE
        wait = np.minimum(1 + np.floor(rng.exponential(CALL_DELAY_MEAN, n)).astype(int), _MAX_DELAY)
        wait = np.where(called, wait, 10 * _MAX_DELAY)  # never called
        flag_month[newly] = t
        delay[newly] = wait[newly]
        prompt[newly] = wait[newly] <= PROMPT_DAYS
        prompt[ended] = False
        status[t] = now
        at_risk_use[t] = (now == 1) | ((now == 2) & risky)
        before = now
    open_episode = flag_month >= 0
    last = n_months - 1
    in_time = open_episode & (delay <= (last - flag_month) * 30 + 30)
    calls.append((np.flatnonzero(in_time), flag_month[in_time], delay[in_time]))

    shown = status >= 0
    month_of, who = np.nonzero(shown)
    order = np.lexsort((month_of, who))
    month_of, who = month_of[order], who[order]
    risky_now = at_risk_use[month_of, who]
    use = need[who] * allowance[who] * np.exp(0.1 * rng.standard_normal(who.size))
    use = np.round(use * np.where(risky_now, USAGE_AT_RISK, 1.0), 1)
    bill = np.round(fee[who] + OVERAGE_PER_GB * np.maximum(use - allowance[who], 0.0), 1)
    complaints = rng.poisson(np.where(risky_now, COMPLAINTS["at risk"], COMPLAINTS["active"]))

    ids = np.array([f"M{i + 1:05d}" for i in range(n)], dtype=object)
    months_index = pd.date_range(START, periods=n_months, freq="MS")
    subscribers_table = pd.DataFrame(
        {
            "subscriber_id": ids,
            "plan": np.array(plan_names, dtype=object)[plan],
            "monthly_fee": fee,
            "allowance_gb": allowance,
            "tenure_months": tenure,
            "channel": channel,
        }
    )
    monthly = pd.DataFrame(
        {
            "subscriber_id": ids[who],
            "month": months_index[month_of],
            "data_gb": use,
            "bill": bill,
            "complaints": complaints,
            "status": pd.Categorical.from_codes(status[month_of, who], categories=list(STATUSES)),
        }
    )
    rows = [np.concatenate(part) for part in zip(*calls, strict=True)]
    month_end = months_index + pd.offsets.MonthEnd(0)
    flagged = month_end[rows[1]]
    calls_table = pd.DataFrame(
        {
            "subscriber_id": ids[rows[0]],
            "flagged_on": flagged,
            "called_on": flagged + pd.to_timedelta(rows[2], unit="D"),
        }
    ).sort_values(["called_on", "subscriber_id"], ignore_index=True)
    return Dataset("carrier", {"subscribers": subscribers_table, "monthly": monthly, "retention_calls": calls_table})


# --- analysis of the case ----------------------------------------------------------------------


def at_risk_episodes(monthly: pd.DataFrame, calls: pd.DataFrame, prompt_days: int = PROMPT_DAYS) -> pd.DataFrame:
    """One row per at-risk episode: when it began, how long it lasted, how it ended, the call.

    An episode is a run of a subscriber's consecutive months with status ``at risk``. It ends
    with the status of the next month: ``ported out`` or ``recovered`` (back to ``active``), or
    ``still at risk`` when the data ends first. The retention call of the episode is the call
    whose ``flagged_on`` is the last day of the episode's first month.

    Parameters
    ----------
    monthly : the ``monthly`` table (``subscriber_id``, ``month``, ``status``).
    calls : the ``retention_calls`` table (``subscriber_id``, ``flagged_on``, ``called_on``).
    prompt_days : a call at most this many days after the flag is ``prompt``; a later one ``late``.

    Returns
    -------
    A DataFrame with ``subscriber_id``, ``flagged_on``, ``months_at_risk``, ``outcome``,
    ``days_to_call`` (NaN without a call) and ``call`` (``prompt``, ``late`` or ``none``).

    Examples
    --------
    >>> monthly = pd.DataFrame({"subscriber_id": ["a"] * 4 + ["b"] * 2,
    ...     "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"] * 1
    ...                             + ["2025-01-01", "2025-02-01"]),
    ...     "status": ["at risk", "at risk", "active", "at risk", "at risk", "ported out"]})
    >>> calls = pd.DataFrame({"subscriber_id": ["a"], "flagged_on": pd.to_datetime(["2025-01-31"]),
    ...                       "called_on": pd.to_datetime(["2025-02-04"])})
    >>> at_risk_episodes(monthly, calls)[["subscriber_id", "months_at_risk", "outcome", "call"]]
      subscriber_id  months_at_risk         outcome    call
    0             a               2       recovered  prompt
    1             a               1  still at risk    none
    2             b               1      ported out    none
    """
    days = validate.whole_number(prompt_days, "prompt_days", minimum=0, example=PROMPT_DAYS)
    rows = validate.table(
        monthly,
        "monthly",
        {"subscriber_id": "key", "month": "date", "status": "key"},
        unique_key=["subscriber_id", "month"],
    )
    called = validate.table(
        calls,
        "retention_calls",
        {"subscriber_id": "key", "flagged_on": "date", "called_on": "date"},
        unique_key=["subscriber_id", "flagged_on"],
        allow_empty=True,
    )
    rows = rows.sort_values(["subscriber_id", "month"], kind="stable", ignore_index=True)
    same = rows["subscriber_id"].eq(rows["subscriber_id"].shift())
    risky = rows["status"].astype(str).eq("at risk")
    starts = risky & ~(risky.shift(fill_value=False) & same)
    episode = starts.cumsum().where(risky)
    following = rows["status"].astype(str).shift(-1).where(same.shift(-1, fill_value=False))
    ending = following.map({"ported out": "ported out", "active": "recovered"}).fillna("still at risk")
    runs = rows[risky].assign(episode=episode[risky], ending=ending[risky])
    table = runs.groupby("episode").agg(
        subscriber_id=("subscriber_id", "first"),
        first_month=("month", "first"),
        months_at_risk=("month", "size"),
        outcome=("ending", "last"),
    )
    table["flagged_on"] = table["first_month"] + pd.offsets.MonthEnd(0)
    call_on = called.set_index(["subscriber_id", "flagged_on"])["called_on"]
    keys = pd.MultiIndex.from_frame(table[["subscriber_id", "flagged_on"]])
    table["days_to_call"] = (call_on.reindex(keys).to_numpy() - table["flagged_on"].to_numpy()) / pd.Timedelta(days=1)
    table["call"] = np.where(
        table["days_to_call"].isna(), "none", np.where(table["days_to_call"] <= days, "prompt", "late")
    )
    columns = ["subscriber_id", "flagged_on", "months_at_risk", "outcome", "days_to_call", "call"]
    return table[columns].reset_index(drop=True)


def lead_up(monthly: pd.DataFrame, value: str, months: int = 6, event: str = "ported out") -> pd.DataFrame:
    """The mean of ``value`` in each of the months before subscribers reach ``event``, and for the others.

    Months before the event are counted back from the month whose status is ``event`` (0), so
    ``months_before`` 1 is the month before it. The reference, ``others``, is the mean of
    ``value`` over all months of subscribers who never reach the event.

    Parameters
    ----------
    monthly : the ``monthly`` table (``subscriber_id``, ``month``, ``status`` and ``value``).
    value : the numeric column to average, e.g. ``complaints`` or ``data_gb``.
    months : how many months to show, counting the event's month (1–36).
    event : the status that ends the record.

    Returns
    -------
    A DataFrame indexed by ``months_before`` (months - 1 down to 0) with ``mean`` (of the
    subscribers who reach the event), ``subscribers`` (how many of them have that month in the
    data) and ``others`` (the reference, the same in every row).

    Examples
    --------
    >>> monthly = pd.DataFrame({"subscriber_id": ["a", "a", "a", "b", "b"],
    ...     "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01", "2025-02-01"]),
    ...     "status": ["active", "at risk", "ported out", "active", "active"],
    ...     "complaints": [0, 2, 1, 0, 1]})
    >>> lead_up(monthly, "complaints", months=2)
                   mean  subscribers  others
    months_before
    1               2.0            1     0.5
    0               1.0            1     0.5
    """
    n = validate.whole_number(months, "months", minimum=1, maximum=36, example=6)
    rows = validate.table(
        monthly,
        "monthly",
        {"subscriber_id": "key", "month": "date", "status": "key", value: "number"},
        unique_key=["subscriber_id", "month"],
    )
    at_event = rows["status"].astype(str).eq(event)
    if not at_event.any():
        raise CRMDataError(
            _("monthly: column 'status' has no row with {event!r}. Fix: pass event= one of {items}.").format(
                event=event, items=sorted(map(str, rows["status"].unique()))
            )
        )
    index = rows["month"].dt.year * 12 + rows["month"].dt.month
    event_index = index[at_event].groupby(rows.loc[at_event, "subscriber_id"]).max()
    reached = rows["subscriber_id"].map(event_index)
    before = (reached - index).where(reached.notna())
    window = before.between(0, n - 1)
    grouped = rows.loc[window, value].groupby(before[window].astype(int))
    result = pd.DataFrame({"mean": grouped.mean(), "subscribers": grouped.size()})
    result = result.reindex(range(n - 1, -1, -1))
    result["subscribers"] = result["subscribers"].fillna(0).astype(int)
    result["others"] = float(rows.loc[reached.isna(), value].mean())
    result.index.name = "months_before"
    return result
