"""Chapter 2, customer development: from leads to won accounts, and what it costs.

* :func:`funnel_table`: how many deals reach each stage, and the conversion between stages;
  :func:`funnel_gaps`: where groups of leads (by source, rep, …) part ways in it;
* :func:`win_rate_by_touches`: win rate by number of visits (the "three visits" lesson),
  with :func:`wilson_interval` for the uncertainty of each rate;
* :func:`visit_value_table`, :func:`best_visit_count`, :func:`visit_summary`: what each extra
  visit adds and costs, and where the expected net value per deal peaks;
* :func:`pipeline_forecast`: expected value of the open deals; :func:`touch_gaps` and
  :func:`overdue_summary`: which deals were left without a touch, and what it cost;
* :func:`acquisition_cost`: spend per new customer (or lead) by channel.

An opportunity's ``stage`` is the furthest stage it reached; its ``status`` is ``won``,
``lost`` or ``open``, as in the shipped retailer data.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib._shared import ratio
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "funnel_table",
    "wilson_interval",
    "win_rate_by_touches",
    "funnel_gaps",
    "visit_value_table",
    "best_visit_count",
    "visit_summary",
    "touch_gaps",
    "overdue_summary",
    "pipeline_forecast",
    "acquisition_cost",
]

_STATUSES = ("won", "lost", "open")


# --------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------
def _stage_positions(checked: pd.DataFrame, name: str, stage: str, stages) -> tuple[np.ndarray, list]:
    """Position (0 = first stage) of each row's stage in the stage order, and that order.

    The order is ``stages`` if given, else the categories of the stage column.
    """
    values = checked[stage]
    if stages is None:
        if not isinstance(values.dtype, pd.CategoricalDtype):
            seen = list(pd.unique(values))[:4]
            raise CRMDataError(
                _(
                    "{name}: column '{stage}' is not a category, so the order of the stages is "
                    "unknown. Fix: pass the stages from first to last, e.g. stages={seen!r}."
                ).format(name=name, stage=stage, seen=seen)
            )
        order = list(values.cat.categories)
    elif isinstance(stages, str) or not hasattr(stages, "__iter__"):
        raise CRMDataError(
            _(
                "stages must be a list of stage names from first to last, got {stages!r}. Fix: "
                "pass e.g. stages=['lead', 'proposal', 'won']."
            ).format(stages=stages)
        )
    else:
        order = list(stages)
    if not order or len(set(order)) != len(order):
        raise CRMDataError(
            _("stages must list each stage once, at least one, got {order!r}. Fix: remove the repeats.").format(
                order=order
            )
        )
    positions = pd.Index(order, dtype=object).get_indexer(values.to_numpy(dtype=object)).astype(np.int64)
    unknown = positions < 0
    if unknown.any():
        raise validate.rows_error(
            name,
            stage,
            checked.index[unknown],
            noun=_("value"),
            problem=_("not in the stage order {order}, e.g. {iloc!r}").format(
                order=order, iloc=values[unknown].iloc[0]
            ),
            fix=_("add those stages to stages= or correct the values"),
        )
    return positions, order


def _statuses(checked: pd.DataFrame, name: str, status: str) -> pd.Series:
    """The status column, checked to hold only won / lost / open."""
    values = checked[status]
    bad = ~values.isin(_STATUSES).to_numpy()
    if bad.any():
        raise validate.rows_error(
            name,
            status,
            checked.index[bad],
            noun=_("value"),
            problem=_("other than {listed}, e.g. {iloc!r}").format(
                listed=", ".join(_STATUSES), iloc=values[bad].iloc[0]
            ),
            fix=_("map your statuses to won / lost / open first"),
        )
    return values


# --------------------------------------------------------------------------------------------
# funnel
# --------------------------------------------------------------------------------------------
def funnel_table(
    opportunities: pd.DataFrame, stage: str = "stage", stages=None, by: str | None = None, level: float | None = None
) -> pd.DataFrame:
    """How many deals reached each stage, with stage-to-stage and overall conversion.

    A deal whose furthest stage is the k-th has passed stages 1..k, so ``reached`` at a stage
    counts every deal at that stage or beyond (lost and open deals included, at the stage
    where they stopped).

    Parameters
    ----------
    opportunities : one row per deal, ``stage`` its furthest stage.
    stage : the stage column.
    stages : the stage names from first to last; default the categories of ``stage``.
    by : a grouping column (lead source, rep, ...): one funnel per group, stacked.
    level : e.g. 0.95 adds the Wilson interval (:func:`wilson_interval`) of each share:
        ``conversion_low``, ``conversion_high``, ``overall_low``, ``overall_high`` (NaN where
        the share is, or nobody reached the stage before).

    Returns
    -------
    Long table: [``by``], ``stage`` (ordered category), ``reached``, ``conversion`` = reached
    here / reached at the previous stage (NaN at the first stage) and ``overall`` = reached
    here / reached at the first stage.

    Examples
    --------
    From leads to won deals by source: give the leads that never became opportunities the
    stage ``"lead"`` and put it before the opportunity stages.

    >>> leads = pd.DataFrame({"source": ["referral", "referral", "cold call", "cold call"],
    ...                       "opportunity_id": ["OP1", "OP2", None, "OP3"]})
    >>> opps = pd.DataFrame({"opportunity_id": ["OP1", "OP2", "OP3"],
    ...                      "stage": ["won", "proposal", "qualification"]})
    >>> deals = leads.merge(opps, on="opportunity_id", how="left").fillna({"stage": "lead"})
    >>> funnel_table(deals, stages=["lead", "qualification", "proposal", "won"], by="source")
          source          stage  reached  conversion  overall
    0  cold call           lead        2         NaN      1.0
    1  cold call  qualification        1         0.5      0.5
    2  cold call       proposal        0         0.0      0.0
    3  cold call            won        0         NaN      0.0
    4   referral           lead        2         NaN      1.0
    5   referral  qualification        2         1.0      1.0
    6   referral       proposal        2         1.0      1.0
    7   referral            won        1         0.5      0.5
    """
    if by is not None and by == stage:
        raise CRMDataError(
            _(
                "funnel_table: by={by!r} is the stage column itself, so every group would hold "
                'one stage. Fix: pass a grouping column such as by="source", or leave by out.'
            ).format(by=by)
        )
    columns = {stage: "key"} if by is None else {stage: "key", by: "key"}
    checked = validate.table(opportunities, "opportunities", columns)
    positions, order = _stage_positions(checked, "opportunities", stage, stages)
    groups = pd.Series(0, index=checked.index) if by is None else checked[by]
    counts = (
        pd.Series(positions, index=checked.index)
        .groupby([groups, positions], observed=True)
        .size()
        .unstack(fill_value=0)
        .reindex(columns=range(len(order)), fill_value=0)
    )
    reached = counts.to_numpy()[:, ::-1].cumsum(axis=1)[:, ::-1]
    step = np.column_stack([np.full(len(reached), np.nan), ratio(reached[:, 1:], reached[:, :-1])])
    table = pd.DataFrame(
        {
            "stage": pd.Categorical(
                np.tile(np.array(order, dtype=object), len(reached)), categories=order, ordered=True
            ),
            "reached": reached.ravel(),
            "conversion": step.ravel(),
            "overall": ratio(reached, reached[:, :1]).ravel(),
        }
    )
    if level is not None:
        before = np.column_stack([np.zeros(len(reached)), reached[:, :-1]]).ravel()
        for share, base in (("conversion", before), ("overall", np.repeat(reached[:, 0], len(order)))):
            table[f"{share}_low"], table[f"{share}_high"] = _wilson_where_defined(reached.ravel(), base, level)
    if by is not None:
        table.insert(0, by, counts.index.repeat(len(order)))
    return table


def _wilson_where_defined(successes: np.ndarray, trials: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson bounds where trials > 0, NaN elsewhere."""
    low, high = np.full(len(trials), np.nan), np.full(len(trials), np.nan)
    some = trials > 0
    if some.any():
        low[some], high[some] = wilson_interval(successes[some], trials[some], level)
    return low, high


# --------------------------------------------------------------------------------------------
# win rate by number of touches
# --------------------------------------------------------------------------------------------
def wilson_interval(successes, trials, confidence: float = 0.95):
    """Wilson score interval for a proportion: ``(low, high)``.

    With p = successes / trials, n = trials and z the normal quantile of (1 + confidence) / 2
    (1.96 for 95 %)::

        centre = (p + z² / (2n)) / (1 + z² / n)
        half   = z / (1 + z² / n) × sqrt(p (1 − p) / n + z² / (4 n²))
        low, high = centre − half, centre + half

    Unlike p ± z sqrt(p(1 − p)/n) it stays inside [0, 1] and works for 0 or n successes.
    Numbers give floats; arrays (or Series) give arrays.

    >>> low, high = wilson_interval(8, 20)
    >>> round(low, 4), round(high, 4)
    (0.2188, 0.6134)
    """
    level = validate.share(confidence, "confidence")
    try:
        k = np.asarray(successes, dtype="float64")
        n = np.asarray(trials, dtype="float64")
        np.broadcast(k, n)
    except (TypeError, ValueError):
        raise CRMDataError(
            _(
                "successes and trials must be numbers of the same length, got {successes!r} and "
                "{trials!r}. Fix: pass e.g. wilson_interval(8, 20)."
            ).format(successes=successes, trials=trials)
        ) from None
    ok = np.isfinite(k) & np.isfinite(n) & (n > 0) & (k >= 0) & (k <= n)
    if ok.size == 0 or not np.all(ok):
        raise CRMDataError(
            _(
                "wilson_interval needs 0 <= successes <= trials and trials > 0, got {successes!r} "
                "of {trials!r}. Fix: pass counts, e.g. wilson_interval(8, 20)."
            ).format(successes=successes, trials=trials)
        )
    z = NormalDist().inv_cdf((1 + level) / 2)
    p = k / n
    shrink = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / shrink
    half = z / shrink * np.sqrt(p * (1 - p) / n + (z / (2 * n)) ** 2)  # (z/2n)^2: no overflow for huge n
    # At 0 or n successes the bound is exactly 0 or 1; rounding noise would leave 1e-17.
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0, 1))
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def _touch_types(touch) -> list:
    types = [touch] if isinstance(touch, str) else list(touch) if isinstance(touch, (list, tuple, set)) else None
    if not types or not all(isinstance(t, str) for t in types):
        raise CRMDataError(
            _('touch must be an activity type or a list of them, got {touch!r}. Fix: pass e.g. touch="visit".').format(
                touch=touch
            )
        )
    return types


def _touch_counts(
    closed: pd.DataFrame,
    activities: pd.DataFrame,
    types: list,
    opportunity: str,
    activity_type: str,
    close_date: str | None,
    date: str,
) -> pd.Series:
    """Number of touches of ``types`` each closed deal had (on or before its close date)."""
    validate.require_columns(activities, "activities", [opportunity, activity_type] + ([date] if close_date else []))
    validate.not_empty(activities, "activities")
    present = activities[activity_type].isin(types)
    if not present.any():
        seen = ", ".join(str(v) for v in pd.unique(activities[activity_type].dropna()))
        raise CRMDataError(
            _(
                "activities: column '{activity_type}' has no {types} values (it has: {value}). "
                "Fix: pass touch= one of the types it has."
            ).format(activity_type=activity_type, types=types, value=seen or "none")
        )
    touches = activities[present & activities[opportunity].notna()]
    if close_date is not None:
        touches = validate.table(touches, "activities", {date: "date"}, allow_empty=True)
        closes = touches[opportunity].map(
            pd.Series(validate.day_numbers(closed[close_date]), index=closed[opportunity])
        )
        touches = touches[validate.day_numbers(touches[date]) <= closes.to_numpy(dtype="float64")]
    per_deal = touches.groupby(opportunity, observed=True).size()
    return closed[opportunity].map(per_deal).fillna(0).astype(np.int64)


def win_rate_by_touches(
    opportunities: pd.DataFrame,
    activities: pd.DataFrame,
    touch="visit",
    max_touches: int | None = None,
    opportunity: str = "opportunity_id",
    status: str = "status",
    close_date: str | None = "close_date",
    activity_type: str = "activity_type",
    date: str = "activity_date",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Win rate of closed deals by how many touches (visits, calls, ...) they had.

    Only closed deals count (status ``won`` or ``lost``); open deals are left out.

    Parameters
    ----------
    opportunities : one row per deal (unique ``opportunity``), with ``status``.
    activities : one row per contact, linked to its deal by ``opportunity`` (rows without a
        deal, e.g. account care, are ignored).
    touch : the activity type(s) to count, e.g. "visit" or ["visit", "meeting"].
    max_touches : pool deals with this many touches or more into one last row (e.g. 5 = "5+").
    close_date, date : only touches on or before the deal's close date (same day included)
        count; ``close_date=None`` counts every touch of the deal.
    confidence : level of the Wilson interval (see :func:`wilson_interval`).

    Returns
    -------
    One row per number of touches seen: ``touches``, ``deals``, ``wins``, ``win_rate``,
    ``ci_low``, ``ci_high``.

    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3", "O4", "O5"],
    ...                      "status": ["won", "lost", "won", "lost", "open"],
    ...                      "close_date": ["2024-03-01", "2024-03-01", "2024-04-01", "2024-04-01", None]})
    >>> acts = pd.DataFrame({"opportunity_id": ["O1", "O1", "O1", "O2", "O3", "O3", "O3", "O5"],
    ...                      "activity_type": ["visit", "visit", "visit", "visit", "visit", "visit", "call", "visit"],
    ...                      "activity_date": ["2024-02-01", "2024-02-10", "2024-02-20", "2024-02-01",
    ...                                        "2024-03-01", "2024-03-05", "2024-03-09", "2024-03-01"]})
    >>> win_rate_by_touches(opps, acts, max_touches=2)
       touches  deals  wins  win_rate  ci_low  ci_high
    0        0      1     0       0.0  0.0000   0.7935
    1        1      1     0       0.0  0.0000   0.7935
    2        2      2     2       1.0  0.3424   1.0000
    """
    types = _touch_types(touch)
    if max_touches is not None:
        max_touches = validate.whole_number(max_touches, "max_touches", minimum=1, example=5)
    deals = validate.table(opportunities, "opportunities", {opportunity: "key", status: "key"}, unique_key=opportunity)
    state = _statuses(deals, "opportunities", status)
    closed = deals[state.isin(["won", "lost"]).to_numpy()]
    if closed.empty:
        raise CRMDataError(
            _(
                "opportunities has no closed deals (column '{status}' is never won or lost). Fix: "
                "the win rate needs deals that have been won or lost."
            ).format(status=status)
        )
    if close_date is not None:
        closed = validate.table(closed, "opportunities", {close_date: "date"})
    if isinstance(activities, pd.DataFrame) and opportunity in activities.columns:
        validate.require_columns(activities, "activities", [opportunity])
        validate.same_key_kind(
            deals[opportunity], activities[opportunity], "opportunities", "activities", opportunity, opportunity
        )
    counts = _touch_counts(closed, activities, types, opportunity, activity_type, close_date, date)
    if max_touches is not None:
        counts = counts.clip(upper=max_touches)
    table = (
        closed[status]
        .eq("won")
        .groupby(counts.to_numpy())
        .agg(["size", "sum"])
        .rename_axis("touches")
        .reset_index()
        .rename(columns={"size": "deals", "sum": "wins"})
    )
    low, high = wilson_interval(table["wins"].to_numpy(), table["deals"].to_numpy(), confidence)
    return table.assign(
        wins=table["wins"].astype(np.int64), win_rate=table["wins"] / table["deals"], ci_low=low, ci_high=high
    )


# --------------------------------------------------------------------------------------------
# where groups of leads part ways in the funnel
# --------------------------------------------------------------------------------------------
# Split the funnel by lead source, rep or industry: the step where the groups' conversions are
# furthest apart is where the grouping matters most (lead quality shows at the first steps, a
# rep's follow-up later).
def funnel_gaps(funnel: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per step of a grouped funnel: the groups with the lowest and highest conversion, and the gap.

    Parameters
    ----------
    funnel : the table of :func:`funnel_table` made with ``by=``.
    by : its grouping column.

    Returns
    -------
    One row per stage after the first, in stage order: ``stage``, ``lowest`` (group),
    ``low`` (its conversion from the previous stage), ``highest``, ``high`` and ``gap`` =
    high − low. Groups with nobody at the previous stage are left out of that step.

    Examples
    --------
    >>> deals = pd.DataFrame({"stage": ["lead", "won", "won", "lead", "lead", "won"],
    ...                       "source": ["a", "a", "a", "b", "b", "b"]})
    >>> table = funnel_table(deals, stages=["lead", "won"], by="source")
    >>> funnel_gaps(table, "source")
      stage lowest       low highest      high       gap
    0   won      b  0.333333       a  0.666667  0.333333
    """
    validate.require_columns(funnel, "funnel", ["conversion"])
    checked = validate.table(funnel, "funnel", {by: "key", "stage": "key", "overall": "number"})
    steps = checked.dropna(subset=["conversion"])
    if steps.empty:
        raise CRMDataError(
            _(
                "funnel has no stage-to-stage conversions (all NaN). Fix: pass the table of "
                "develop.funnel_table(..., by=...) with at least two stages."
            )
        )
    rows = []
    for stage, step in steps.groupby("stage", observed=True, sort=True):
        low, high = step["conversion"].idxmin(), step["conversion"].idxmax()
        rows.append(
            {
                "stage": stage,
                "lowest": step.at[low, by],
                "low": step.at[low, "conversion"],
                "highest": step.at[high, by],
                "high": step.at[high, "conversion"],
            }
        )
    table = pd.DataFrame(rows)
    return table.assign(gap=table["high"] - table["low"])


# --------------------------------------------------------------------------------------------
# the value of one more visit (the "three visits" lesson in money)
# --------------------------------------------------------------------------------------------
# A visit costs money; it pays if it raises the chance of winning enough. If a deal with k
# visits is won with probability w(k), the (k+1)-th visit is worth, on average,
# (w(k+1) − w(k)) × deal size, and it pays when that gain is above the cost of the visit. Over a
# whole deal, the expected net value of planning k visits is w(k) × deal size − k × cost per
# visit; the best number of visits is where that peaks. The win rates come from
# win_rate_by_touches: they describe deals that *had* k visits, so reading them as "what one more
# visit would do" assumes the visits cause the wins (the three-visits notebook discusses this).
def visit_value_table(
    win_rates: pd.DataFrame,
    deal_size: float,
    cost_per_visit: float,
    touches: str = "touches",
    win_rate: str = "win_rate",
) -> pd.DataFrame:
    """Expected gain, cost and net value of each number of visits.

    Parameters
    ----------
    win_rates : one row per number of visits, e.g. the table of
        :func:`win_rate_by_touches`; ``touches`` whole numbers, ``win_rate``
        shares between 0 and 1.
    deal_size : what a won deal brings (CNY).
    cost_per_visit : what one visit costs (CNY).

    Returns
    -------
    One row per number of visits, fewest first: ``visits``, ``win_rate``, ``gain`` = (win
    rate here − win rate at the previous row) × deal size, the expected value this visit adds
    (NaN in the first row), ``cost`` = cost per visit (NaN in the first row), ``pays`` = gain >
    cost, and ``net_value`` = win rate × deal size − visits × cost per visit.

    Examples
    --------
    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> visit_value_table(rates, deal_size=10_000, cost_per_visit=500)
       visits  win_rate    gain   cost   pays  net_value
    0       0      0.00     NaN    NaN  False        0.0
    1       1      0.10  1000.0  500.0   True      500.0
    2       2      0.40  3000.0  500.0   True     3000.0
    3       3      0.42   200.0  500.0  False     2700.0
    """
    checked = validate.table(win_rates, "win_rates", {touches: "count", win_rate: "number"}, unique_key=touches)
    deal = validate.positive_number(deal_size, "deal_size")
    cost = validate.positive_number(cost_per_visit, "cost_per_visit", inclusive=True)
    rates = checked[win_rate].to_numpy(dtype="float64")
    if ((rates < 0) | (rates > 1)).any():
        bad = checked.index[(rates < 0) | (rates > 1)]
        raise validate.rows_error(
            "win_rates",
            win_rate,
            bad,
            noun=_("value"),
            problem=_("outside 0–1"),
            fix=_("pass win rates as shares, e.g. 0.42 for 42%"),
        )
    ordered = checked.sort_values(touches, kind="stable")
    visits = ordered[touches].to_numpy(dtype=np.int64)
    rate = ordered[win_rate].to_numpy(dtype="float64")
    gain = np.r_[np.nan, np.diff(rate) * deal]
    cost_column = np.r_[np.nan, np.full(len(rate) - 1, cost)]
    return pd.DataFrame(
        {
            "visits": visits,
            "win_rate": rate,
            "gain": gain,
            "cost": cost_column,
            "pays": np.nan_to_num(gain, nan=-np.inf) > cost_column,
            "net_value": rate * deal - visits * cost,
        }
    )


def best_visit_count(table: pd.DataFrame) -> int:
    """The number of visits with the highest expected net value (the fewest, if tied).

    ``table`` is the table of :func:`visit_value_table`.

    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> best_visit_count(visit_value_table(rates, deal_size=10_000, cost_per_visit=500))
    2
    """
    checked = validate.table(table, "table", {"visits": "count", "net_value": "number"})
    return int(checked["visits"].iloc[int(np.argmax(checked["net_value"].to_numpy()))])


def visit_summary(table: pd.DataFrame, pooled_last: bool = False) -> str:
    """One sentence: where the expected net value peaks and what the next visit would add and cost.

    ``table`` is the table of :func:`visit_value_table`; ``pooled_last`` names its last row
    "n+" (win rates made with ``max_touches=n``).

    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> print(visit_summary(visit_value_table(rates, deal_size=10_000, cost_per_visit=500)))
    Expected net value peaks at 2 visits (3,000 CNY per deal). The next visit (to 3) would add 200 CNY of expected
    sales and cost 500 CNY.
    """
    best = best_visit_count(table)
    checked = validate.table(table, "table", {"visits": "count", "net_value": "number"}, unique_key="visits")
    validate.require_columns(table, "table", ["gain", "cost"])
    checked = checked.assign(
        gain=validate.optional(table, "table", "gain", "number"),
        cost=validate.optional(table, "table", "cost", "number"),
    )
    ordered = checked.sort_values("visits", kind="stable").reset_index(drop=True)
    at = int(np.flatnonzero(ordered["visits"].to_numpy() == best)[0])
    last = len(ordered) - 1

    def name(i):
        return f"{ordered['visits'].iloc[i]}+" if pooled_last and i == last else f"{ordered['visits'].iloc[i]}"

    text = _("Expected net value peaks at {visits} visits ({value} CNY per deal).").format(
        visits=name(at), value=f"{ordered['net_value'].iloc[at]:,.0f}"
    )
    if at == last:
        return text + _(" Even the last visit in the data still pays for itself.")
    gain, cost = ordered["gain"].iloc[at + 1], ordered["cost"].iloc[at + 1]
    if gain >= 0:
        following = _(" The next visit (to {visits}) would add {gain} CNY of expected sales and cost {cost} CNY.")
    else:
        following = _(
            " The next visit (to {visits}) would add nothing (the win rate is lower there) and cost {cost} CNY."
        )
    return text + following.format(visits=name(at + 1), gain=f"{gain:,.0f}", cost=f"{cost:,.0f}")


# --------------------------------------------------------------------------------------------
# pipeline forecast
# --------------------------------------------------------------------------------------------
def _estimated_probabilities(positions: np.ndarray, status: pd.Series, order: list) -> np.ndarray:
    """Per stage: the share of closed deals that reached it and were won (NaN if none reached it)."""
    closed = status.isin(["won", "lost"]).to_numpy()
    won = status.eq("won").to_numpy()
    reached = positions[closed, None] >= np.arange(len(order))
    return ratio((reached & won[closed, None]).sum(axis=0), reached.sum(axis=0))


def _given_probabilities(stage_probability, order: list) -> np.ndarray:
    if not isinstance(stage_probability, dict):
        raise CRMDataError(
            _(
                "stage_probability must be a dict {{stage: probability}}, got "
                "{stage_probability!r}. Fix: pass e.g. stage_probability={{'proposal': 0.4}}, or "
                "None to estimate it from closed deals."
            ).format(stage_probability=stage_probability)
        )
    unknown = [s for s in stage_probability if s not in order]
    if unknown:
        raise CRMDataError(
            _(
                "stage_probability names stages that are not in the stage order {order}: "
                "{unknown}. Fix: check the spelling."
            ).format(order=order, unknown=unknown)
        )
    probabilities = np.full(len(order), np.nan)
    for i, s in enumerate(order):
        if s in stage_probability:
            name = f"stage_probability[{s!r}]"
            probabilities[i] = validate.positive_number(stage_probability[s], name, inclusive=True)
            if probabilities[i] > 1:
                raise CRMDataError(
                    _(
                        "{name} must be between 0 and 1, got {stage_probability!r}. Fix: pass a probability, e.g. 0.4."
                    ).format(name=name, stage_probability=stage_probability[s])
                )
    return probabilities


def pipeline_forecast(
    opportunities: pd.DataFrame,
    stage_probability: dict | None = None,
    amount: str = "amount",
    stage: str = "stage",
    status: str = "status",
    stages=None,
    level: float | None = None,
    draws: int = 20_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Expected value of the open deals: amount × win probability of their current stage.

    Parameters
    ----------
    opportunities : one row per deal: ``stage`` (furthest stage), ``status`` (won / lost /
        open), ``amount``.
    stage_probability : ``{stage: probability of winning from there}``. Default: estimated
        from the closed deals, as the share of the closed deals that reached the stage and were
        won. Every stage holding an open deal needs a probability.
    stages : the stage order, first to last; default the categories of ``stage``.
    level : e.g. 0.9 adds the spread of the outcome: ``sd``, the standard deviation of the
        amount actually won, ``sqrt(sum amount² p (1 - p))``, and ``low`` and ``high``, the
        range that holds it with that probability, from ``draws`` simulated outcomes (each
        deal won or lost on its own, with its stage's probability; ``seed`` makes it
        repeatable). The spread assumes the probabilities are right and deals independent.

    Returns
    -------
    One row per stage holding open deals (in stage order): ``stage``, ``open_deals``,
    ``amount``, ``probability``, ``expected_value``; and a last row ``total`` whose probability
    is expected_value / amount.

    >>> opps = pd.DataFrame({
    ...     "stage": pd.Categorical(["proposal", "won", "proposal", "qualification", "proposal", "qualification"],
    ...                             categories=["qualification", "proposal", "won"], ordered=True),
    ...     "status": ["lost", "won", "open", "lost", "open", "open"],
    ...     "amount": [100.0, 200.0, 1000.0, 50.0, 500.0, 400.0]})
    >>> pipeline_forecast(opps)
               stage  open_deals  amount  probability  expected_value
    0  qualification           1   400.0     0.333333      133.333333
    1       proposal           2  1500.0     0.500000      750.000000
    2          total           3  1900.0     0.464912      883.333333
    """
    checked = validate.table(opportunities, "opportunities", {stage: "key", status: "key", amount: "money"})
    positions, order = _stage_positions(checked, "opportunities", stage, stages)
    state = _statuses(checked, "opportunities", status)
    is_open = state.eq("open").to_numpy()
    if not is_open.any():
        raise CRMDataError(
            _(
                "opportunities has no open deals (column '{status}' is never 'open'), so there is "
                "nothing to forecast. Fix: pass the current pipeline."
            ).format(status=status)
        )
    if stage_probability is None:
        probability = _estimated_probabilities(positions, state, order)
        source = "no closed deal reached it to estimate from"
    else:
        probability = _given_probabilities(stage_probability, order)
        source = "stage_probability gives none"
    held = np.unique(positions[is_open])
    lacking = [order[i] for i in held if np.isnan(probability[i])]
    if lacking:
        raise CRMDataError(
            _(
                "opportunities: open deals sit at stage(s) {lacking}, but {source}. Fix: pass "
                "stage_probability={{stage: probability}} for those stages."
            ).format(lacking=lacking, source=source)
        )
    money = checked[amount].to_numpy(dtype="float64")[is_open]
    per_stage = (
        pd.DataFrame({"position": positions[is_open], "amount": money})
        .groupby("position")["amount"]
        .agg(["size", "sum"])
    )
    expected = per_stage["sum"].to_numpy() * probability[per_stage.index]
    totals = [per_stage["size"].sum(), per_stage["sum"].sum(), expected.sum()]
    table = pd.DataFrame(
        {
            "stage": [*(order[i] for i in per_stage.index), "total"],
            "open_deals": [*per_stage["size"], totals[0]],
            "amount": [*per_stage["sum"], totals[1]],
            "probability": [*probability[per_stage.index], float(ratio(totals[2], totals[1]))],
            "expected_value": [*expected, totals[2]],
        }
    )
    if level is not None:
        table = _with_spread(table, positions[is_open], money, probability, per_stage.index, level, draws, seed)
    return table


def _with_spread(
    table: pd.DataFrame,
    position: np.ndarray,
    money: np.ndarray,
    probability: np.ndarray,
    held: pd.Index,
    level: float,
    draws,
    seed,
) -> pd.DataFrame:
    """Add sd, low and high of the amount won, per stage and in total (see :func:`pipeline_forecast`)."""
    level = validate.share(level, "level")
    draws = validate.positive_number(draws, "draws", minimum=100, inclusive=True)
    if draws != int(draws):
        raise CRMDataError(
            _("draws must be a whole number, got {draws!r}. Fix: pass e.g. draws=20000.").format(draws=draws)
        )
    p = probability[position]
    variance = pd.Series(money**2 * p * (1 - p)).groupby(position).sum().reindex(held).to_numpy()
    rng = np.random.default_rng(seed)
    rows = [position == i for i in held]
    low, high = [], []
    tail = (1 - level) / 2
    total = np.zeros(int(draws))
    for mask in rows:
        won = (rng.random((int(draws), int(mask.sum()))) < p[mask]) @ money[mask]
        total += won
        low.append(np.quantile(won, tail))
        high.append(np.quantile(won, 1 - tail))
    return table.assign(
        sd=[*np.sqrt(variance), float(np.sqrt(variance.sum()))],
        low=[*low, float(np.quantile(total, tail))],
        high=[*high, float(np.quantile(total, 1 - tail))],
    )


# --------------------------------------------------------------------------------------------
# acquisition cost
# --------------------------------------------------------------------------------------------
def acquisition_cost(
    spend: pd.DataFrame,
    arrivals: pd.DataFrame,
    channel: str = "channel",
    cost: str = "spend_cny",
    arrival_channel: str = "acquisition_channel",
) -> pd.DataFrame:
    """Cost per acquisition by channel: what a channel cost / how many it brought in.

    Parameters
    ----------
    spend : one row per spend item (e.g. a month and channel), ``cost`` in money.
    arrivals : one row per newcomer: new customers, new leads or won deals. Filter both tables
        to the same segment and period first (e.g. consumers only).
    channel, cost : columns of ``spend``.
    arrival_channel : the column of ``arrivals`` naming the channel that brought each one.

    Returns
    -------
    One row per channel found in either table, cheapest first: ``channel``, ``spend``,
    ``acquired`` and ``cost_per_acquisition`` = spend / acquired (NaN for a channel that
    brought nobody).

    >>> spend = pd.DataFrame({"channel": ["referral", "online ads", "referral", "online ads"],
    ...                       "spend_cny": [100.0, 600.0, 200.0, 300.0]})
    >>> customers = pd.DataFrame({"acquisition_channel": ["referral", "referral", "online ads",
    ...                                                   "referral", "online ads", "store walk-in"]})
    >>> acquisition_cost(spend, customers)
             channel  spend  acquired  cost_per_acquisition
    0  store walk-in    0.0         1                   0.0
    1       referral  300.0         3                 100.0
    2     online ads  900.0         2                 450.0
    """
    costs = validate.table(spend, "spend", {channel: "key", cost: "money"})
    new = validate.table(arrivals, "arrivals", {arrival_channel: "key"})
    validate.matching_labels(costs[channel].unique(), new[arrival_channel].unique(), "spend", "channel")
    validate.matching_labels(new[arrival_channel].unique(), costs[channel].unique(), "arrivals", "arrival_channel")
    paid = costs[cost].groupby(costs[channel].to_numpy(dtype=object)).sum()
    acquired = new.groupby(new[arrival_channel].to_numpy(dtype=object)).size()
    table = pd.concat([paid.rename("spend"), acquired.rename("acquired")], axis=1, sort=False).fillna(0)
    table = table.assign(
        acquired=table["acquired"].astype(np.int64), cost_per_acquisition=ratio(table["spend"], table["acquired"])
    )
    table = table.rename_axis("channel").reset_index()
    return table.sort_values("cost_per_acquisition", kind="stable", na_position="last").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# follow-up discipline: deals left without a touch
# --------------------------------------------------------------------------------------------
def touch_gaps(
    opportunities: pd.DataFrame,
    activities: pd.DataFrame,
    as_of="2025-12-31",
    opportunity: str = "opportunity_id",
    opened: str = "created_date",
    close_date: str = "close_date",
    date: str = "activity_date",
) -> pd.DataFrame:
    """Per deal: how often it was touched, and the longest time nobody did.

    A deal's life runs from ``opened`` to ``close_date`` (or ``as_of`` while it is open). Its
    touches are the activities of the deal inside that span (calls, visits, e-mails alike).

    Returns
    -------
    The opportunities (a copy, same rows) with four more columns: ``touches``; ``last_touch``
    (NaT if never touched); ``days_since_touch`` = days from the last touch (or from the
    opening, if none) to the end of the deal's life; ``longest_gap`` = the longest stretch in
    days without a touch: opening to first touch, touch to touch, or last touch to the end.

    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "created_date": ["2025-12-01", "2025-12-20"],
    ...                      "close_date": ["2025-12-10", None]})
    >>> acts = pd.DataFrame({"opportunity_id": ["O1", "O1", None],
    ...                      "activity_date": ["2025-12-02", "2025-12-08", "2025-12-05"]})
    >>> touch_gaps(opps, acts)[["opportunity_id", "touches", "days_since_touch", "longest_gap"]]
      opportunity_id  touches  days_since_touch  longest_gap
    0             O1        2                 2            6
    1             O2        0                11           11
    """
    end_default = validate.date(as_of, "as_of")
    validate.require_columns(opportunities, "opportunities", [opportunity, opened, close_date])
    deals = validate.table(opportunities, "opportunities", {opportunity: "key", opened: "date"}, unique_key=opportunity)
    start_day = validate.day_numbers(deals[opened])
    closed = deals[close_date].notna().to_numpy()
    end_day = np.full(len(deals), validate.day_number(end_default, "as_of"), dtype=np.int64)
    if closed.any():
        closes = validate.table(deals[closed], "opportunities", {close_date: "date"})
        end_day[closed] = validate.day_numbers(closes[close_date])
    if (end_day < start_day).any():
        raise validate.rows_error(
            "opportunities",
            close_date,
            deals.index[end_day < start_day],
            problem=_("before '{opened}' (or {date} is before the opening of an open deal)").format(
                opened=opened, date=end_default.date()
            ),
            fix=_("correct the dates, or pass a later as_of"),
        )
    validate.require_columns(activities, "activities", [opportunity, date])
    acts = activities[activities[opportunity].isin(deals[opportunity])]
    acts = validate.table(acts, "activities", {date: "date"}, allow_empty=True)
    row = pd.Index(deals[opportunity]).get_indexer(acts[opportunity])
    day = validate.day_numbers(acts[date]) if len(acts) else np.zeros(0, dtype=np.int64)
    inside = (day >= start_day[row]) & (day <= end_day[row])
    row, day = row[inside], day[inside]
    n = len(deals)
    # The points of each deal's life: opening, every touch, end; the gaps lie between neighbours.
    points = pd.DataFrame(
        {"row": np.r_[np.arange(n), row, np.arange(n)], "day": np.r_[start_day, day, end_day]}
    ).sort_values(["row", "day"], kind="stable")
    gaps = points.groupby("row")["day"].diff()
    longest = gaps.groupby(points["row"]).max().reindex(range(n)).fillna(0)
    touches = np.bincount(row, minlength=n)
    last = pd.Series(day).groupby(row).max().reindex(range(n)).to_numpy(dtype="float64")
    since = end_day - np.where(np.isnan(last), start_day, last)
    last_touch = pd.to_datetime(pd.Series(last), unit="D").to_numpy()
    return deals.assign(
        touches=touches.astype(np.int64),
        last_touch=last_touch,
        days_since_touch=since.astype(np.int64),
        longest_gap=longest.to_numpy().astype(np.int64),
    )


def overdue_summary(
    gaps: pd.DataFrame,
    days: int,
    status: str = "status",
    amount: str = "amount",
    lost_reason: str = "lost_reason",
    reason: str = "lost contact",
) -> dict:
    """What the rule "touch every deal at least every ``days`` days" finds in a :func:`touch_gaps` table.

    Returns a dict: ``open_deals``, ``overdue`` (open deals whose last touch is ``days`` or more
    ago), ``overdue_value`` and ``open_value`` (their amounts); ``lost_deals``, ``broke_rule``
    (lost deals whose longest gap reached ``days``), ``reason_share_broke`` and
    ``reason_share_kept`` (share lost for ``reason`` among those that broke / kept the rule,
    NaN for an empty group); and ``overdue_table`` (the overdue open deals, largest first).

    >>> gaps = pd.DataFrame({"status": ["open", "open", "lost", "lost"], "amount": [100.0, 50.0, 10.0, 20.0],
    ...                      "lost_reason": [None, None, "lost contact", "price too high"],
    ...                      "days_since_touch": [20, 3, 1, 2], "longest_gap": [20, 9, 30, 5]})
    >>> s = overdue_summary(gaps, 14)
    >>> s["overdue"], s["overdue_value"], s["broke_rule"], s["reason_share_broke"], s["reason_share_kept"]
    (1, 100.0, 1, 1.0, 0.0)
    """
    days = validate.whole_number(days, "days", minimum=1, example=14)
    checked = validate.table(
        gaps, "gaps", {status: "key", amount: "money", "days_since_touch": "count", "longest_gap": "count"}
    )
    validate.require_columns(gaps, "gaps", [lost_reason])
    is_open = checked[status].eq("open").to_numpy()
    is_lost = checked[status].eq("lost").to_numpy()
    overdue = is_open & (checked["days_since_touch"].to_numpy() >= days)
    broke = checked["longest_gap"].to_numpy() >= days
    for_reason = checked[lost_reason].eq(reason).to_numpy()

    def share(mask):
        return float(for_reason[mask].mean()) if mask.any() else float("nan")

    return {
        "days": int(days),
        "open_deals": int(is_open.sum()),
        "open_value": float(checked.loc[is_open, amount].sum()),
        "overdue": int(overdue.sum()),
        "overdue_value": float(checked.loc[overdue, amount].sum()),
        "lost_deals": int(is_lost.sum()),
        "broke_rule": int((is_lost & broke).sum()),
        "reason_share_broke": share(is_lost & broke),
        "reason_share_kept": share(is_lost & ~broke),
        "overdue_table": checked[overdue].sort_values(amount, ascending=False, kind="stable"),
    }


validate.check_public_arguments(globals(), __all__)
