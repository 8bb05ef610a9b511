"""Customer communication: channels, response times, the complaint funnel, A/B tests, feedback tags.

Communication with customers runs in both directions. The functions here measure it::

    channel_mix(tea.feedback)                         # where do customers talk to us?
    response_times(tea.feedback, sla_hours=24)        # how fast do we answer?
    complaint_stage_funnel(retail.tickets)            # how far do complaints get, and how fast?
    ab_test(sends, converted="redeemed")              # did message B work better than A?
    tag_feedback(tea.feedback)                        # what are customers talking about?

Times are in hours. Shares are between 0 and 1.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd

from crmlib import validate, vocabulary
from crmlib._shared import join_flags
from crmlib.develop import wilson_interval
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError

__all__ = [
    "COMPLAINT_STAGES",
    "FEEDBACK_RULES",
    "channel_mix",
    "response_times",
    "complaint_stage_funnel",
    "sla_shares",
    "reorder_gap",
    "reorder_gap_curve",
    "ab_test",
    "required_sample_size",
    "sample_size_curve",
    "test_power",
    "tag_feedback",
    "holm_adjust",
    "censored_response_times",
]

#: The five handling stages of a complaint (投诉处理五个阶段), as columns of ``retail.tickets``:
#: receive → accept → clarify → propose a solution → follow up.
COMPLAINT_STAGES = vocabulary.COMPLAINT_STAGES

#: Default keyword rules of :func:`tag_feedback`: ``{tag: [keywords]}``, Chinese and English.
#: The order matters: the first tag that matches is the primary tag, so suggestions and praise
#: come first (a suggestion or a compliment usually names a topic too, as in "great taste").
FEEDBACK_RULES: dict[str, list[str]] = {
    "suggestion": [
        "建议",
        "希望",
        "能不能",
        "可以增加",
        "suggest",
        "please add",
        "would love",
        "would be nice",
        "could you",
        "wish",
    ],
    "praise": [
        "好喝",
        "很好",
        "热情",
        "会再来",
        "喜欢",
        "满意",
        "点赞",
        "great",
        "lovely",
        "delicious",
        "excellent",
        "will come back",
        "friendly",
        "amazing",
    ],
    "hygiene": [
        "卫生",
        "脏",
        "污渍",
        "头发",
        "异物",
        "吸管",
        "不干净",
        "hygien",
        "dirty",
        "hair",
        "stain",
        "unclean",
        "filthy",
    ],
    "packaging": ["包装", "漏", "杯盖", "盖子", "封口", "packag", "leak", "lid", "seal"],
    "delivery": ["配送", "外卖", "骑手", "送晚", "送达", "deliver", "rider", "courier"],
    "waiting time": ["等待", "等了", "排队", "太慢", "出杯慢", "wait", "queue", "took forever", "slow"],
    "service": [
        "服务",
        "态度",
        "不理人",
        "道歉",
        "点错",
        "店员",
        "service",
        "staff",
        "rude",
        "nobody answered",
        "ignored",
        "impolite",
    ],
    "price": ["价格", "太贵", "涨价", "划算", "性价比", "price", "expensive", "overpriced", "cost"],
    "taste": [
        "口味",
        "口感",
        "味道",
        "太甜",
        "太淡",
        "新鲜",
        "难喝",
        "taste",
        "sweet",
        "watery",
        "fresh",
        "bland",
        "flavo",
    ],
}


# --------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------
def _groupby(frame: pd.DataFrame, keys: list[str]):
    """Group by ``keys``, or put every row in one group when there are none."""
    if keys:
        return frame.groupby(keys, observed=True, sort=False)
    return frame.groupby(np.zeros(len(frame), dtype="int64"), sort=False)


def _sorted(table: pd.DataFrame, columns: list[str], descending: tuple[str, ...] = ()) -> pd.DataFrame:
    """``table`` sorted by ``columns`` (those in ``descending`` largest first), with a fresh index."""
    if columns:
        try:
            table = table.sort_values(columns, ascending=[c not in descending for c in columns], kind="mergesort")
        except TypeError:  # labels of mixed types have no order; keep them as found
            pass
    return table.reset_index(drop=True)


def _hours_stats(hours) -> dict[str, pd.Series]:
    """Median and 90th percentile of grouped durations in hours."""
    return {"median_hours": hours.median(), "p90_hours": hours.quantile(0.9)}


def _check_by(keys: list[str], others: list[str]) -> None:
    clash = [k for k in keys if k in others]
    if clash:
        raise CRMDataError(
            _("by: column '{clash}' is also one of the measured columns. Fix: group by another column.").format(
                clash=clash[0]
            )
        )


# --------------------------------------------------------------------------------------------
# channels and response times
# --------------------------------------------------------------------------------------------
def channel_mix(data: pd.DataFrame, channel: str = "channel", by=None) -> pd.DataFrame:
    """How many contacts (feedback, tickets, activities) came through each channel, and what share.

    Parameters
    ----------
    data : one row per contact, e.g. ``tea.feedback`` or ``retail.tickets``.
    channel : the channel column (``activity_type`` for ``retail.activities``).
    by : optional column(s) to split by, e.g. ``"brand_id"``; shares then add up to 1 per group.

    Returns
    -------
    Tidy DataFrame: the ``by`` columns, ``channel``, ``count`` and ``share``; within a group
    the busiest channel comes first (ties in name order).

    Examples
    --------
    >>> feedback = pd.DataFrame({"channel": ["hotline", "mini-program", "mini-program", "mini-program"]})
    >>> channel_mix(feedback)
            channel  count  share
    0  mini-program      3   0.75
    1       hotline      1   0.25
    """
    keys = validate.group_columns(by)
    _check_by(keys, [channel])
    checked = validate.table(data, "data", {column: "key" for column in keys + [channel]})
    counts = checked.groupby(keys + [channel], observed=True, sort=False).size().rename("count").reset_index()
    total = counts.groupby(keys, observed=True, sort=False)["count"].transform("sum") if keys else counts["count"].sum()
    counts["share"] = counts["count"] / total
    return _sorted(counts, keys + ["count", channel], descending=("count",))


def response_times(
    data: pd.DataFrame,
    hours: str = "response_hours",
    by="channel",
    sla_hours: float = 24,
    start: str | None = None,
    end: str | None = None,
    level: float | None = None,
) -> pd.DataFrame:
    """Response times per group: how many, median, 90th percentile, and the share within the SLA.

    Give the times either as a column of ``hours`` (``tea.feedback.response_hours``), or as two
    timestamp columns ``start`` and ``end`` (e.g. ``received_at`` and ``accepted_at`` of
    ``retail.tickets``); when both ``start`` and ``end`` are given, ``hours`` is not used. A row
    with a ``start`` but no ``end`` has had no answer yet: it is counted as ``open`` and left out
    of the times and the SLA share.

    Parameters
    ----------
    by : column(s) to group by, or None for one overall row.
    sla_hours : the promised answer time (服务水平协议, SLA); ``within_sla`` is the share of answered
        rows with a time <= ``sla_hours``.
    level : e.g. 0.95 to add ``ci_low`` and ``ci_high``, the Wilson interval of ``within_sla``
        (:func:`crmlib.develop.wilson_interval`): how far the share could move by chance.

    Returns
    -------
    Tidy DataFrame: the ``by`` columns, ``n`` (answered), ``open``, ``median_hours``,
    ``p90_hours`` (linear interpolation) and ``within_sla``.

    Examples
    --------
    >>> feedback = pd.DataFrame({"channel": ["hotline", "hotline", "app", "app", "app"],
    ...                          "response_hours": [2.0, 30.0, 1.0, 5.0, 50.0]})
    >>> response_times(feedback, sla_hours=24)
      channel  n  open  median_hours  p90_hours  within_sla
    0     app  3     0           5.0       41.0    0.666667
    1 hotline  2     0          16.0       27.2    0.500000

    With ``level=0.95``: 3 of the 5 replies in time, a Wilson interval of 0.231 to 0.882:

    >>> response_times(feedback, by=None, level=0.95).round(3)
       n  open  median_hours  p90_hours  within_sla  ci_low  ci_high
    0  5     0           5.0       42.0         0.6   0.231    0.882
    """
    keys = validate.group_columns(by)
    sla = validate.positive_number(sla_hours, "sla_hours")
    confidence = None if level is None else validate.share(level, "level")
    if (start is None) != (end is None):
        raise CRMDataError(
            _(
                "response_times: pass both start and end (two timestamp columns), or neither to "
                'use the hours column. Fix: e.g. start="received_at", end="accepted_at".'
            )
        )
    if start is None:
        _check_by(keys, [hours])
        checked = validate.table(data, "data", {hours: "number", **{k: "key" for k in keys}})
        duration = checked[hours]
        problem, fix = _("below 0"), _("a response time cannot be negative; check how it was computed")
    else:
        _check_by(keys, [start, end])
        validate.require_columns(data, "data", [start, end])
        checked = validate.table(data, "data", {start: "date", **{k: "key" for k in keys}})
        finish = validate.optional(checked, "data", end, "date")
        duration = (finish - validate.naive_times(checked[start])).dt.total_seconds() / 3600
        problem, fix = (
            _("earlier than '{start}'").format(start=start),
            _("an answer cannot come before the question; check the '{start}' and '{end}' times of these rows").format(
                start=start, end=end
            ),
        )
    negative = duration < 0
    if negative.any():
        raise validate.rows_error("data", end or hours, checked.index[negative.to_numpy()], problem=problem, fix=fix)
    frame = pd.DataFrame({k: checked[k] for k in keys}, index=checked.index).assign(
        _hours=duration.to_numpy(), _within=(duration <= sla).astype("float64").where(duration.notna()).to_numpy()
    )
    grouped = _groupby(frame, keys)
    stats = pd.DataFrame(
        {
            "n": grouped["_hours"].count(),
            "open": grouped["_hours"].size() - grouped["_hours"].count(),
            **_hours_stats(grouped["_hours"]),
            "within_sla": grouped["_within"].mean(),
        }
    )
    if confidence is not None:  # a group with no answer yet has no share, so no interval
        answered = stats["n"] > 0
        stats["ci_low"], stats["ci_high"] = np.nan, np.nan
        if answered.any():
            within = grouped["_within"].sum()[answered]
            low, high = wilson_interval(within, stats.loc[answered, "n"], confidence)
            stats.loc[answered, "ci_low"], stats.loc[answered, "ci_high"] = low, high
    return _sorted(stats.reset_index(drop=not keys), keys)


# --------------------------------------------------------------------------------------------
# the complaint funnel
# --------------------------------------------------------------------------------------------
def _stage_hours(checked: pd.DataFrame, stages: list[str]) -> np.ndarray:
    """Hours from the first stage to each stage (NaN where not reached); refuses stages out of order."""
    first = validate.naive_times(checked[stages[0]])
    columns = [first] + [validate.optional(checked, "tickets", s, "date") for s in stages[1:]]
    hours = np.column_stack([((t - first).dt.total_seconds() / 3600).to_numpy(dtype="float64") for t in columns])
    latest_before = np.fmax.accumulate(hours, axis=1)[:, :-1]
    too_early = hours[:, 1:] < latest_before
    if too_early.any():
        k = int(np.argmax(too_early.any(axis=0)))
        raise validate.rows_error(
            "tickets",
            stages[k + 1],
            checked.index[too_early[:, k]],
            problem=_("earlier than an earlier stage (up to '{stages}')").format(stages=stages[k]),
            fix=_("each stage must come at or after the one before it; correct the times of these tickets"),
        )
    return hours


def complaint_stage_funnel(tickets: pd.DataFrame, stages=COMPLAINT_STAGES, by=None) -> pd.DataFrame:
    """How many complaints reach each handling stage, and how long each step takes.

    A ticket reached a stage when that stage's timestamp, or a later stage's, is filled. The first stage (received)
    must be filled for every ticket; the later ones may be empty. Step times are the hours
    from the previous stage, over the tickets that reached both. Stage times must not go
    backwards: a time earlier than an earlier stage's time is an error naming those rows.

    Parameters
    ----------
    tickets : one row per complaint, e.g. ``retail.tickets``.
    stages : the timestamp columns in handling order; by default :data:`COMPLAINT_STAGES`.
    by : optional column(s) to split by, e.g. ``"complaint_type"``.

    Returns
    -------
    Tidy DataFrame, one row per (group and) stage: ``stage``, ``reached``,
    ``share_of_received`` (reached / tickets), ``median_hours`` and ``p90_hours`` of the step
    from the previous stage (empty for the first stage).

    Examples
    --------
    >>> t = pd.DataFrame({"received_at": ["2024-01-01 08:00", "2024-01-01 09:00"],
    ...                   "accepted_at": ["2024-01-01 10:00", "2024-01-01 13:00"],
    ...                   "followed_up_at": ["2024-01-02 10:00", None]})
    >>> complaint_stage_funnel(t, stages=["received_at", "accepted_at", "followed_up_at"])
                stage  reached  share_of_received  median_hours  p90_hours
    0     received_at        2                1.0           NaN        NaN
    1     accepted_at        2                1.0           3.0        3.8
    2  followed_up_at        1                0.5          24.0       24.0
    """
    if (
        isinstance(stages, str)
        or not isinstance(stages, (list, tuple))
        or not stages
        or not all(isinstance(s, str) for s in stages)
    ):
        raise CRMDataError(
            _(
                "stages must be a list of timestamp column names in handling order, got "
                "{stages!r}. Fix: pass e.g. stages={items!r}."
            ).format(stages=stages, items=list(COMPLAINT_STAGES))
        )
    stages = list(stages)
    if len(set(stages)) < len(stages):
        raise CRMDataError(
            _("stages lists a column twice: {stages!r}. Fix: name each stage once.").format(stages=stages)
        )
    keys = validate.group_columns(by)
    _check_by(keys, stages)
    validate.require_columns(tickets, "tickets", stages)
    checked = validate.table(tickets, "tickets", {stages[0]: "date", **{k: "key" for k in keys}})
    hours = _stage_hours(checked, stages)
    steps = np.column_stack([np.full(len(checked), np.nan), np.diff(hours, axis=1)])
    # A ticket with a later stage recorded has passed the earlier ones, even if one went unrecorded.
    reached = np.flip(np.logical_or.accumulate(np.flip(~np.isnan(hours), axis=1), axis=1), axis=1)
    groups = checked[keys].reset_index(drop=True)
    long = pd.concat(
        [
            groups.assign(
                stage=pd.Categorical([stage] * len(checked), categories=stages, ordered=True),
                _reached=reached[:, i],
                _hours=steps[:, i],
            )
            for i, stage in enumerate(stages)
        ],
        ignore_index=True,
    )
    grouped = _groupby(long, keys + ["stage"])
    stats = pd.DataFrame(
        {
            "reached": grouped["_reached"].sum().astype("int64"),
            "share_of_received": grouped["_reached"].mean(),
            **_hours_stats(grouped["_hours"]),
        }
    )
    return _sorted(stats.reset_index(), keys + ["stage"])


# --------------------------------------------------------------------------------------------
# service levels and the answer to a complaint: who is answered in time, and who comes back
# --------------------------------------------------------------------------------------------
def sla_shares(
    data: pd.DataFrame, sla_hours: float, hours: str = "response_hours", by: str = "channel"
) -> pd.DataFrame:
    """Per group and overall: answered rows, median hours and the share answered within ``sla_hours``.

    A service level (服务水平协议, SLA) promises an answer within so many hours. Returns the table
    of :func:`response_times` (``by``, ``n``, ``open``, ``median_hours``, ``p90_hours``,
    ``within_sla``), the group with the lowest median first (the same order whatever the
    promise), with one more row ``"all"`` for every row together.

    >>> feedback = pd.DataFrame({"channel": ["hotline", "hotline", "app", "app"],
    ...                          "response_hours": [2.0, 30.0, 1.0, 5.0]})
    >>> sla_shares(feedback, 24)[["channel", "n", "within_sla"]]
       channel  n  within_sla
    0      app  2         1.0
    1  hotline  2         0.5
    2      all  4         0.75
    """
    if not isinstance(by, str):
        raise CRMDataError(
            _('sla_shares: by must be one column name, got {by!r}. Fix: pass e.g. by="channel".').format(by=by)
        )
    validate.require_columns(data, "data", [by])
    table = response_times(data, hours=hours, by=by, sla_hours=sla_hours)
    table = table.sort_values("median_hours", kind="stable")
    overall = response_times(data, hours=hours, by=None, sla_hours=sla_hours).assign(**{by: "all"})
    table[by] = table[by].astype(object)
    return pd.concat([table, overall[table.columns]], ignore_index=True)


_Z95 = 1.959963984540054  # the 97.5% point of the standard normal distribution


def _first_complaints(first: pd.DataFrame, hours: str, outcome: str) -> pd.DataFrame:
    checked = validate.table(first, "first", {hours: "number", outcome: "flag"})
    if (checked[hours] < 0).any():
        raise validate.rows_error(
            "first",
            hours,
            checked.index[(checked[hours] < 0).to_numpy()],
            problem=_("below 0"),
            fix=_("a response time cannot be negative"),
        )
    return checked


def _gap(hours: np.ndarray, again: np.ndarray, sla: float) -> dict:
    """The comparison at one SLA, on checked arrays (see :func:`reorder_gap`)."""
    fast = hours <= sla
    n_fast, n_slow = int(fast.sum()), int((~fast).sum())
    p_fast = float(again[fast].mean()) if n_fast else np.nan
    p_slow = float(again[~fast].mean()) if n_slow else np.nan
    gap = p_fast - p_slow
    half = (
        _Z95 * np.sqrt(p_fast * (1 - p_fast) / n_fast + p_slow * (1 - p_slow) / n_slow) if n_fast and n_slow else np.nan
    )
    return {
        "sla_hours": float(sla),
        "n_fast": n_fast,
        "n_slow": n_slow,
        "fast_share": p_fast,
        "slow_share": p_slow,
        "gap": gap,
        "ci_low": gap - half,
        "ci_high": gap + half,
    }


def reorder_gap(
    first: pd.DataFrame, sla_hours: float, hours: str = "response_hours", outcome: str = "ordered_again"
) -> dict:
    """Share that ordered again among customers answered within ``sla_hours`` (fast) and after it (slow).

    ``first`` has one row per customer's first complaint, with the hours until the reply and
    whether the customer ordered again afterwards (True/False). The gap compares customers whose
    complaints *were* answered fast or slowly; it is not, by itself, the effect of answering
    faster.

    Returns a dict: ``sla_hours``, ``n_fast``, ``n_slow``, ``fast_share``, ``slow_share``,
    ``gap`` (fast − slow) and ``ci_low``, ``ci_high``: the 95% (Wald) interval of the gap, the
    same as :func:`ab_test` gives with treatment "fast" and control "slow".
    Shares, gap and interval are NaN where a group is empty.

    >>> first = pd.DataFrame({"response_hours": [2, 5, 30, 50], "ordered_again": [True, True, True, False]})
    >>> r = reorder_gap(first, 24)
    >>> r["n_fast"], r["n_slow"], r["fast_share"], r["slow_share"], r["gap"]
    (2, 2, 1.0, 0.5, 0.5)
    """
    checked = _first_complaints(first, hours, outcome)
    sla = validate.positive_number(sla_hours, "sla_hours")
    return _gap(checked[hours].to_numpy(dtype="float64"), checked[outcome].astype(bool).to_numpy(), sla)


def reorder_gap_curve(
    first: pd.DataFrame, max_hours: int = 120, hours: str = "response_hours", outcome: str = "ordered_again"
) -> pd.DataFrame:
    """The gap of :func:`reorder_gap` (fast − slow share ordering again) for every whole-hour SLA from 1 to
    ``max_hours``.

    One row per SLA: ``sla_hours``, ``n_fast``, ``n_slow``, ``gap``, ``ci_low``, ``ci_high``.

    >>> first = pd.DataFrame({"response_hours": [2, 5, 30, 50], "ordered_again": [True, True, True, False]})
    >>> reorder_gap_curve(first, max_hours=3)[["sla_hours", "n_fast", "gap"]]
       sla_hours  n_fast       gap
    0        1.0       0       NaN
    1        2.0       1  0.333333
    2        3.0       1  0.333333
    """
    checked = _first_complaints(first, hours, outcome)
    longest = validate.whole_number(max_hours, "max_hours", minimum=1, example=120)
    h, again = checked[hours].to_numpy(dtype="float64"), checked[outcome].astype(bool).to_numpy()
    rows = [_gap(h, again, sla) for sla in range(1, longest + 1)]
    return pd.DataFrame(rows)[["sla_hours", "n_fast", "n_slow", "gap", "ci_low", "ci_high"]]


# --------------------------------------------------------------------------------------------
# A/B test of two proportions
# --------------------------------------------------------------------------------------------
def ab_test(
    data: pd.DataFrame,
    variant: str = "variant",
    converted: str = "converted",
    control="A",
    treatment="B",
    alpha: float = 0.05,
    power: float = 0.8,
    mde: float | None = None,
) -> pd.DataFrame:
    """Compare the conversion rates of two arms of a test (A/B 测试): lift, confidence interval, p-value, sample size.

    With ``n`` and ``x`` the rows and conversions of each arm, ``p = x / n`` and
    ``d = p_B - p_A``:

    - confidence interval at ``1 - alpha`` (Wald): ``d ± z_{1-alpha/2} * sqrt(p_A(1-p_A)/n_A + p_B(1-p_B)/n_B)``;
    - two-sided p-value of the pooled two-proportion z-test: ``z = d / sqrt(p(1-p)(1/n_A + 1/n_B))``
      with ``p = (x_A + x_B) / (n_A + n_B)``, and ``p_value = 2 * (1 - Phi(|z|))``;
    - with ``mde`` (minimum detectable effect, 最小可检测效应), the rows needed per arm to detect a
      lift of ``mde`` over the control rate with probability ``power``
      (:func:`required_sample_size`): ``n = (z_{1-alpha/2} sqrt(2 q(1-q)) + z_{power}
      sqrt(p_A(1-p_A) + p_1(1-p_1)))^2 / mde^2`` with ``p_1 = p_A + mde`` and
      ``q = (p_A + p_1) / 2``, rounded up; empty without ``mde``.

    The size is for the smallest lift worth finding, decided before the test, never for the lift
    just observed: a lift that came out large by luck would make the next test too small to find
    a real one of ordinary size. Rows of other arms are ignored.

    Parameters
    ----------
    data : one row per unit that was tested, e.g. ``tea.coupon_sends``.
    variant : the arm column.
    converted : true/false (or 1/0) column: did the unit convert? Derive it first if needed,
        e.g. ``sends.assign(converted=sends["redeemed_date"].notna())``.
    control, treatment : the labels of the two arms in ``variant``.
    mde : the smallest lift worth finding, a share (0.02 = 2 points), for ``n_per_arm_needed``.

    Returns
    -------
    One-row DataFrame: ``control``, ``treatment``, ``n_control``, ``n_treatment``,
    ``rate_control``, ``rate_treatment``, ``lift`` (treatment − control), ``relative_lift``
    (lift / control rate), ``ci_low``, ``ci_high``, ``z``, ``p_value``, ``significant``
    (p_value < alpha), ``mde`` and ``n_per_arm_needed`` (rows per arm to find a lift of
    ``mde``; empty without ``mde``).

    Examples
    --------
    >>> test = pd.DataFrame({"variant": ["A"] * 1000 + ["B"] * 1000,
    ...                      "converted": [True] * 100 + [False] * 900 + [True] * 130 + [False] * 870})
    >>> result = ab_test(test)
    >>> result[["lift", "relative_lift", "ci_low", "ci_high", "p_value"]].round(4)
       lift  relative_lift  ci_low  ci_high  p_value
    0  0.03            0.3  0.0021   0.0579   0.0355
    >>> int(ab_test(test, mde=0.02)["n_per_arm_needed"].iloc[0])  # to find a 2-point lift over 10 %
    3841
    """
    from scipy.special import ndtr, ndtri  # the normal cdf and its inverse; scipy.stats takes seconds to import

    alpha = validate.share(alpha, "alpha")
    power = validate.share(power, "power")
    if mde is not None and (
        isinstance(mde, bool) or not isinstance(mde, (int, float, np.number)) or not math.isfinite(mde) or mde == 0
    ):
        raise CRMDataError(
            _(
                "mde must be the smallest lift worth finding, a non-zero share, got {mde!r}. Fix: "
                "pass e.g. mde=0.02 for 2 points, or leave it out."
            ).format(mde=mde)
        )
    if variant == converted:
        raise CRMDataError(
            _(
                "data: variant and converted are both '{variant}'. Fix: pass the arm column and the outcome column."
            ).format(variant=variant)
        )
    checked = validate.table(data, "data", {variant: "key", converted: "flag"})
    if control == treatment:
        raise CRMDataError(
            _(
                "control and treatment are both {control!r}. Fix: pass two different arms, e.g. "
                'control="A", treatment="B".'
            ).format(control=control)
        )
    arms = checked[variant].astype(object)
    outcome = checked[converted].astype("float64")
    counts = {}
    for label in (control, treatment):
        mask = (arms == label).to_numpy()
        if not mask.any():
            seen = ", ".join(repr(v) for v in pd.unique(arms)[:5])
            raise CRMDataError(
                _(
                    "data: column '{variant}' has no rows for arm {label!r} (it has: {seen}). Fix: "
                    "pass control= and treatment= with labels from the column."
                ).format(variant=variant, label=label, seen=seen)
            )
        counts[label] = (int(mask.sum()), float(outcome[mask].sum()))
    (n_a, x_a), (n_b, x_b) = counts[control], counts[treatment]
    p_a, p_b = x_a / n_a, x_b / n_b
    lift = p_b - p_a
    z_alpha = ndtri(1 - alpha / 2)
    half_width = z_alpha * np.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    pooled = (x_a + x_b) / (n_a + n_b)
    se_pooled = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = lift / se_pooled if se_pooled > 0 else 0.0  # se 0: both arms all 0 or all 1, so no difference
    p_value = float(2 * ndtr(-abs(z)))
    needed = np.nan
    if mde is not None:
        if not 0 < p_a + mde < 1:
            raise CRMDataError(
                _(
                    "mde {mde!r} takes the control rate {p_a:.4f} outside 0 to 1. Fix: pass a smaller "
                    "mde, e.g. mde=0.02 for 2 points."
                ).format(mde=mde, p_a=p_a)
            )
        needed = _n_per_arm(p_a, p_a + mde, alpha, power)
    return pd.DataFrame(
        {
            "control": [control],
            "treatment": [treatment],
            "n_control": [n_a],
            "n_treatment": [n_b],
            "rate_control": [p_a],
            "rate_treatment": [p_b],
            "lift": [lift],
            "relative_lift": [lift / p_a if p_a > 0 else np.nan],
            "ci_low": [lift - half_width],
            "ci_high": [lift + half_width],
            "z": [float(z)],
            "p_value": [p_value],
            "significant": [p_value < alpha],
            "mde": [np.nan if mde is None else float(mde)],
            "n_per_arm_needed": pd.array([None if np.isnan(needed) else needed], dtype="Int64"),
        }
    )


# --------------------------------------------------------------------------------------------
# planning a test: how many units each arm needs
# --------------------------------------------------------------------------------------------
def _n_per_arm(p_a, p_b, alpha: float, power: float):
    """Units per arm to tell rate ``p_b`` from ``p_a`` (two-sided, level ``alpha``), rounded up.

    ``n = (z_{1-alpha/2} sqrt(2 q (1 - q)) + z_power sqrt(p_A (1 - p_A) + p_B (1 - p_B)))² / d²``
    with ``d = p_B - p_A`` and ``q = (p_A + p_B) / 2``. Works on numbers and on arrays of them.
    """
    from scipy.special import ndtri

    p_a, p_b = np.asarray(p_a, dtype="float64"), np.asarray(p_b, dtype="float64")
    mean = (p_a + p_b) / 2
    spread = ndtri(1 - alpha / 2) * np.sqrt(2 * mean * (1 - mean)) + ndtri(power) * np.sqrt(
        p_a * (1 - p_a) + p_b * (1 - p_b)
    )
    n = np.ceil(spread**2 / (p_b - p_a) ** 2 - 1e-9).astype("int64")
    return int(n) if n.ndim == 0 else n


def _levels(baseline, alpha, power) -> tuple[float, float, float]:
    """The baseline rate, the significance level and the power, each checked to be a share."""
    return tuple(validate.share(v, n) for v, n in ((baseline, "baseline"), (alpha, "alpha"), (power, "power")))


def _planned_test(baseline, lift, alpha, power) -> tuple[float, float, float, float]:
    """The four numbers of a planned test, checked: rates and levels are shares, and the lift
    keeps ``baseline + lift`` a share."""
    baseline, alpha, power = _levels(baseline, alpha, power)
    if (
        isinstance(lift, bool)
        or not isinstance(lift, (int, float, np.number))
        or lift == 0
        or not 0 < baseline + lift < 1
    ):
        raise CRMDataError(
            _(
                "lift must be a non-zero change in the rate that keeps baseline + lift between 0 "
                "and 1, got baseline {baseline!r} and lift {lift!r}. Fix: pass the lift as a "
                "share, e.g. lift=0.03 for 3 points."
            ).format(baseline=baseline, lift=lift)
        )
    return baseline, float(lift), alpha, power


def required_sample_size(baseline: float, lift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Units needed in each arm to detect ``lift`` over the ``baseline`` rate (two-sided test).

    The same formula as ``n_per_arm_needed`` of :func:`ab_test` with ``mde=lift``. Halve the lift
    and the test must be about four times as big.

    Parameters
    ----------
    baseline : the control arm's rate, a share (0.10 = 10 %).
    lift : the smallest change in the rate worth finding, a share (0.03 = 3 points).
    alpha : the significance level; power : the chance of finding such a lift.

    >>> required_sample_size(0.10, 0.03)
    1774
    >>> required_sample_size(0.10, 0.015) > 4 * required_sample_size(0.10, 0.03) - 500
    True
    """
    p_a, d, alpha, power = _planned_test(baseline, lift, alpha, power)
    return _n_per_arm(p_a, p_a + d, alpha, power)


def sample_size_curve(baseline: float, lifts, alpha: float = 0.05, power: float = 0.8) -> pd.DataFrame:
    """Units needed per arm for each lift in ``lifts`` (shares; lifts that leave 0–1 are skipped).

    >>> sample_size_curve(0.10, [0.01, 0.02, 0.04])
       lift  n_per_arm
    0  0.01      14751
    1  0.02       3841
    2  0.04       1035
    """
    baseline, alpha, power = _levels(baseline, alpha, power)
    try:
        steps = np.asarray(list(lifts), dtype="float64").ravel()
    except (TypeError, ValueError):
        raise CRMDataError(
            _("lifts must be numbers (shares), got {lifts!r}. Fix: pass e.g. lifts=[0.01, 0.02, 0.03].").format(
                lifts=lifts
            )
        ) from None
    steps = steps[(steps != 0) & (baseline + steps > 0) & (baseline + steps < 1)]
    return pd.DataFrame(
        {"lift": steps, "n_per_arm": np.atleast_1d(_n_per_arm(baseline, baseline + steps, alpha, power))}
    )


def test_power(baseline: float, lift: float, n_per_arm: float, alpha: float = 0.05) -> float:
    """The chance that a test with ``n_per_arm`` units in each arm finds a true ``lift``.

    The size formula of :func:`required_sample_size` solved for the power.

    >>> round(test_power(0.10, 0.03, 1774), 3)
    0.8
    """
    from scipy.special import ndtr, ndtri

    p_a, d, alpha, _ = _planned_test(baseline, lift, alpha, 0.5)
    n = validate.positive_number(n_per_arm, "n_per_arm")
    p_b = p_a + d
    mean = (p_a + p_b) / 2
    z = (abs(d) * math.sqrt(n) - ndtri(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean))) / math.sqrt(
        p_a * (1 - p_a) + p_b * (1 - p_b)
    )
    return float(ndtr(z))


test_power.__test__ = False  # a function of the course, not a pytest test


# --------------------------------------------------------------------------------------------
# feedback tags
# --------------------------------------------------------------------------------------------
def _check_rules(rules) -> dict[str, list[str]]:
    fix = _('pass a dict such as {"taste": ["口味", "taste"], "price": ["价格", "price"]}')
    if not isinstance(rules, dict) or not rules:
        raise CRMDataError(
            _("rules must be a non-empty dict {{tag: [keywords]}}, got {type}. Fix: {fix}.").format(
                type=type(rules).__name__, fix=fix
            )
        )
    for tag, words in rules.items():
        if not isinstance(tag, str) or not tag or tag == "untagged":
            raise CRMDataError(
                _(
                    "rules: tag {tag!r} is not usable (tags are non-empty text other than 'untagged'). Fix: {fix}."
                ).format(tag=tag, fix=fix)
            )
        if (
            isinstance(words, str)
            or not isinstance(words, (list, tuple))
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise CRMDataError(
                _("rules: tag {tag!r} needs a list of non-empty keywords, got {words!r}. Fix: {fix}.").format(
                    tag=tag, words=words, fix=fix
                )
            )
    return {tag: list(words) for tag, words in rules.items()}


def _keyword_pattern(words: list[str]) -> str:
    """One regular expression matching any of ``words``; a word starting with a Latin letter or digit
    must start a word of the text ("lid" finds "lid" and "lids", not "solid")."""
    parts = []
    for word in words:
        word = unicodedata.normalize("NFKC", word).casefold().strip()
        parts.append((r"\b" if re.match(r"[a-z0-9]", word) else "") + re.escape(word))
    return "|".join(parts)


def tag_feedback(data: pd.DataFrame, text: str = "text", rules: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Tag feedback by topic with keyword rules (反馈分类), in Chinese and English.

    A row gets every tag one of whose keywords occurs in its text. Letters are compared
    without regard to case, full-width letters count as half-width, and an English keyword
    must start a word ("lid" finds "lids" but not "solid"; Chinese has no word breaks, so a
    Chinese keyword matches anywhere). The
    ``primary_tag`` is the first matching tag in the order of ``rules``. Rows whose text
    matches nothing, or is missing, are ``"untagged"``.

    Parameters
    ----------
    data : one row per piece of feedback, e.g. ``tea.feedback``.
    text : the column holding the comment.
    rules : ``{tag: [keywords]}``; by default :data:`FEEDBACK_RULES` (taste, waiting time,
        service, hygiene, price, delivery, packaging, praise, suggestion).

    Returns
    -------
    A copy of ``data`` with two more columns: ``tags`` (matching tags joined by ``"; "`` in the
    order of ``rules``) and ``primary_tag``.

    Examples
    --------
    >>> feedback = pd.DataFrame(
    ...     {"text": ["奶茶太甜了", "Waited 40 minutes, and the staff were rude", "建议出少糖版本", "ok"]}
    ... )
    >>> tag_feedback(feedback)[["tags", "primary_tag"]]
                         tags   primary_tag
    0                   taste         taste
    1  waiting time; service  waiting time
    2              suggestion    suggestion
    3                untagged      untagged
    """
    rules = _check_rules(FEEDBACK_RULES if rules is None else rules)
    checked = validate.table(data, "data", {text: "text"})
    comments = validate.text(checked[text], "data", text).str.normalize("NFKC").str.casefold()
    hits = pd.DataFrame(
        {
            tag: comments.str.contains(_keyword_pattern(words), regex=True, na=False).to_numpy(dtype=bool)
            for tag, words in rules.items()
        },
        index=checked.index,
    )
    first = hits.to_numpy().argmax(axis=1)
    primary = np.where(hits.to_numpy().any(axis=1), np.array(list(rules), dtype=object)[first], "untagged")
    return checked.assign(
        tags=join_flags(hits, "; ", "untagged"), primary_tag=pd.Series(primary, index=checked.index, dtype=object)
    )


# --------------------------------------------------------------------------------------------
# several tests at once
# --------------------------------------------------------------------------------------------
def holm_adjust(p_values) -> pd.Series:
    """Holm's step-down adjusted p-values, for a family of tests read together (Holm 1979).

    Testing ten brands at the 5% level finds a "significant" one by luck 40% of the time
    (1 - 0.95^10). Holm's adjustment keeps the chance of *any* false finding in the family at 5%:
    sort the m p-values, multiply the i-th smallest by ``m - i + 1`` (i from 1), carry the
    running maximum forward so the order is kept, and cap at 1. A test is significant for the
    family when its adjusted p-value is below the level.

    Parameters
    ----------
    p_values : list, array or Series of p-values in [0, 1]; a Series keeps its index.

    Returns
    -------
    Series ``p_adjusted`` in the input's order.

    Examples
    --------
    >>> holm_adjust(pd.Series([0.01, 0.04, 0.03], index=["A", "B", "C"]))
    A    0.03
    B    0.06
    C    0.06
    Name: p_adjusted, dtype: float64
    """
    index = p_values.index if isinstance(p_values, pd.Series) else None
    try:
        p = np.asarray(p_values, dtype="float64").ravel()
    except (TypeError, ValueError):
        raise CRMDataError(
            _("p_values must be numbers, got {p_values!r}. Fix: pass one p-value per test, e.g. [0.01, 0.04].").format(
                p_values=p_values
            )
        ) from None
    if p.size == 0:
        raise CRMDataError(_("holm_adjust got no p-values. Fix: pass one p-value per test, e.g. [0.01, 0.04]."))
    bad = ~np.isfinite(p) | (p < 0) | (p > 1)
    if bad.any():
        where = index[bad] if index is not None and len(index) == p.size else np.flatnonzero(bad)
        raise validate.rows_error(
            "p_values",
            "p_value",
            where,
            problem=_("outside [0, 1] or missing"),
            fix=_("pass p-values, numbers between 0 and 1"),
        )
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    adjusted = np.empty(m)
    adjusted[order] = stepped
    return pd.Series(adjusted, index=index, name="p_adjusted")


# --------------------------------------------------------------------------------------------
# response times with tickets still open: Kaplan-Meier
# --------------------------------------------------------------------------------------------
def _kaplan_meier(durations: np.ndarray, answered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct answer times and the Kaplan-Meier share still waiting just after each.

    At each time t where answers happen, the share still waiting is multiplied by
    ``1 - answered at t / waiting at t``; a row still open leaves the "waiting" count when its
    own time runs out (a row open at t still counts as waiting at t).
    """
    times = np.unique(durations[answered])
    if times.size == 0:
        return times, times.astype("float64")
    at_risk = durations.size - np.searchsorted(np.sort(durations), times, side="left")
    events = np.bincount(np.searchsorted(times, durations[answered]), minlength=times.size)
    return times, np.cumprod(1.0 - events / at_risk)


def _km_quantile(times: np.ndarray, waiting: np.ndarray, share: float) -> float:
    """The first time by which ``share`` of the rows have been answered (NaN if never reached)."""
    reached = np.flatnonzero(waiting <= 1.0 - share + 1e-12)
    return float(times[reached[0]]) if reached.size else float("nan")


def censored_response_times(
    data: pd.DataFrame,
    start: str = "received_at",
    end: str = "accepted_at",
    by=None,
    sla_hours: float = 24,
    data_end=None,
) -> pd.DataFrame:
    """Response times that count the rows still unanswered, by the Kaplan-Meier method.

    :func:`response_times` leaves out the rows without an answer yet, and those are often the
    slowest: the median of the answered rows then flatters the service. Here a row without an
    ``end`` is *censored* (删失): we know it has waited at least from ``start`` to ``data_end``,
    and it counts as waiting until then. The Kaplan-Meier estimate of the share still waiting at
    each time uses every row; its median and 90th percentile are the times by which half and
    90% of all rows are answered. (This is ``scipy.stats.ecdf`` on right-censored data.)

    Parameters
    ----------
    data : one row per contact with two timestamp columns.
    start, end : when it arrived, and when it was answered (missing: still open).
    by : column(s) to group by, or None for one overall row.
    sla_hours : the promised answer time; ``within_sla`` is the estimated share answered within it.
    data_end : when the data were extracted, a time such as "2025-12-31 23:59"; default the
        latest timestamp in ``start`` and ``end``. A row after it, or an answer before its own
        ``start``, is an error.

    Returns
    -------
    Tidy DataFrame: the ``by`` columns, ``n`` (all rows), ``open`` (no answer by ``data_end``),
    ``median_hours`` and ``p90_hours`` (NaN when fewer than half, or 90%, are answered within
    the longest wait seen), ``within_sla``, and ``answered_median_hours``, the median of the
    answered rows alone, for comparison.

    Examples
    --------
    Four tickets; the last is still open after 10 hours, longer than every answered one took:

    >>> tickets = pd.DataFrame({
    ...     "received_at": pd.to_datetime(
    ...         ["2025-01-01 08:00", "2025-01-01 09:00", "2025-01-01 10:00", "2025-01-02 00:00"]
    ...     ),
    ...     "accepted_at": pd.to_datetime(["2025-01-01 10:00", "2025-01-01 13:00", "2025-01-01 16:00", None])})
    >>> censored_response_times(tickets, data_end="2025-01-02 10:00", sla_hours=5)
       n  open  median_hours  p90_hours  within_sla  answered_median_hours
    0  4     1           4.0       NaN         0.5                    4.0
    """
    keys = validate.group_columns(by)
    sla = validate.positive_number(sla_hours, "sla_hours")
    _check_by(keys, [start, end])
    validate.require_columns(data, "data", [start, end])
    checked = validate.table(data, "data", {start: "date", **{k: "key" for k in keys}})
    begin = validate.naive_times(checked[start])
    finish = validate.optional(checked, "data", end, "date")
    if data_end is None:
        cutoff = max(begin.max(), finish.max()) if finish.notna().any() else begin.max()
    else:
        try:
            cutoff = pd.Timestamp(data_end)
        except (TypeError, ValueError):
            cutoff = pd.NaT
        if cutoff is pd.NaT or isinstance(data_end, (bool, int, float, np.number)):
            raise CRMDataError(
                _('data_end {data_end!r} cannot be read as a time. Fix: pass e.g. data_end="2025-12-31 23:59".').format(
                    data_end=data_end
                )
            )
        if cutoff.tzinfo is not None:
            cutoff = cutoff.tz_localize(None)
        late = (finish > cutoff).to_numpy() | (begin > cutoff).to_numpy()
        if late.any():
            raise validate.rows_error(
                "data",
                end,
                checked.index[late],
                problem=_("after data_end {cutoff}").format(cutoff=cutoff),
                fix=_("pass the time the data were extracted, or leave data_end out"),
            )
    answered = finish.notna().to_numpy()
    duration = ((finish.where(answered, cutoff)) - begin).dt.total_seconds().to_numpy() / 3600
    negative = duration < 0
    if negative.any():
        raise validate.rows_error(
            "data",
            end,
            checked.index[negative],
            problem=_("earlier than '{start}'").format(start=start),
            fix=_(
                "an answer cannot come before the question; check the '{start}' and '{end}' times of these rows"
            ).format(start=start, end=end),
        )
    frame = pd.DataFrame({k: checked[k].to_numpy() for k in keys})
    frame["_hours"], frame["_answered"] = duration, answered
    rows = []
    for label, part in _groupby(frame, keys):
        hours, done = part["_hours"].to_numpy(), part["_answered"].to_numpy()
        times, waiting = _kaplan_meier(hours, done)
        before_sla = np.searchsorted(times, sla, side="right")
        row = dict(zip(keys, label if isinstance(label, tuple) else (label,), strict=True)) if keys else {}
        row.update(
            n=int(hours.size),
            open=int((~done).sum()),
            median_hours=_km_quantile(times, waiting, 0.5),
            p90_hours=_km_quantile(times, waiting, 0.9),
            within_sla=float(1.0 - waiting[before_sla - 1]) if before_sla else 0.0,
            answered_median_hours=float(np.median(hours[done])) if done.any() else float("nan"),
        )
        rows.append(row)
    return _sorted(pd.DataFrame(rows), keys)


validate.check_public_arguments(globals(), __all__)
