"""Fast or slow answer to a complaint, and who comes back (chapter 3, the complaints notebook).

::

    from crmlib.widgets.complaints import response_gap_explorer
    response_gap_explorer(first)   # first: one row per member's first complaint

``first`` has one row per customer's first complaint, with the hours until the reply and
whether the customer ordered again afterwards (True/False). Pick a promised answer time (SLA):
complaints answered within it are "fast", the others "slow". The gap is the share of fast-answered
customers who ordered again minus that of slow-answered ones.

* :func:`reorder_gap`: the two groups, their shares and the gap with a 95% interval;
* :func:`gap_curve`: the gap for every promise from 1 hour up;
* :func:`gap_summary`: the gap in one sentence;
* :func:`response_gap_explorer`: the slider and the chart, for class.

The gap compares customers whose complaints *were* answered fast or slowly. It is not, by
itself, the effect of answering faster: the notebook discusses what else could cause it.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["reorder_gap", "gap_curve", "gap_summary", "response_gap_explorer"]

_Z95 = 1.959963984540054  # the 97.5% point of the standard normal distribution


def _checked(first: pd.DataFrame, hours: str, outcome: str) -> pd.DataFrame:
    checked = validate.table(first, "first", {hours: "number", outcome: "flag"})
    if (checked[hours] < 0).any():
        raise validate.rows_error("first", hours, checked.index[(checked[hours] < 0).to_numpy()],
                                  problem="below 0", fix="a response time cannot be negative")
    return checked


def _gap(hours: np.ndarray, again: np.ndarray, sla: float) -> dict:
    """The comparison at one SLA, on checked arrays (see :func:`reorder_gap`)."""
    fast = hours <= sla
    n_fast, n_slow = int(fast.sum()), int((~fast).sum())
    p_fast = float(again[fast].mean()) if n_fast else np.nan
    p_slow = float(again[~fast].mean()) if n_slow else np.nan
    gap = p_fast - p_slow
    half = _Z95 * np.sqrt(p_fast * (1 - p_fast) / n_fast + p_slow * (1 - p_slow) / n_slow) if n_fast and n_slow else np.nan
    return {"sla_hours": float(sla), "n_fast": n_fast, "n_slow": n_slow, "fast_share": p_fast, "slow_share": p_slow,
            "gap": gap, "ci_low": gap - half, "ci_high": gap + half}


def reorder_gap(first: pd.DataFrame, sla_hours: float, hours: str = "response_hours",
                outcome: str = "ordered_again") -> dict:
    """Share that ordered again among customers answered within ``sla_hours`` (fast) and after it (slow).

    Returns a dict: ``sla_hours``, ``n_fast``, ``n_slow``, ``fast_share``, ``slow_share``,
    ``gap`` (fast − slow) and ``ci_low``, ``ci_high``: the 95% (Wald) interval of the gap, the
    same as :func:`crmlib.communicate.ab_test` gives with treatment "fast" and control "slow".
    Shares, gap and interval are NaN where a group is empty.

    >>> first = pd.DataFrame({"response_hours": [2, 5, 30, 50], "ordered_again": [True, True, True, False]})
    >>> r = reorder_gap(first, 24)
    >>> r["n_fast"], r["n_slow"], r["fast_share"], r["slow_share"], r["gap"]
    (2, 2, 1.0, 0.5, 0.5)
    """
    checked = _checked(first, hours, outcome)
    sla = validate.positive_number(sla_hours, "sla_hours")
    return _gap(checked[hours].to_numpy(dtype="float64"), checked[outcome].astype(bool).to_numpy(), sla)


def gap_curve(first: pd.DataFrame, max_hours: int = 120, hours: str = "response_hours",
              outcome: str = "ordered_again") -> pd.DataFrame:
    """The gap (fast − slow share ordering again) for every whole-hour SLA from 1 to ``max_hours``.

    One row per SLA: ``sla_hours``, ``n_fast``, ``n_slow``, ``gap``, ``ci_low``, ``ci_high``.

    >>> first = pd.DataFrame({"response_hours": [2, 5, 30, 50], "ordered_again": [True, True, True, False]})
    >>> gap_curve(first, max_hours=3)[["sla_hours", "n_fast", "gap"]]
       sla_hours  n_fast       gap
    0        1.0       0       NaN
    1        2.0       1  0.333333
    2        3.0       1  0.333333
    """
    checked = _checked(first, hours, outcome)
    h, again = checked[hours].to_numpy(dtype="float64"), checked[outcome].astype(bool).to_numpy()
    rows = [_gap(h, again, sla) for sla in range(1, int(max_hours) + 1)]
    return pd.DataFrame(rows)[["sla_hours", "n_fast", "n_slow", "gap", "ci_low", "ci_high"]]


def gap_summary(result: dict) -> str:
    """The gap of :func:`reorder_gap` in one sentence.

    >>> gap_summary({"sla_hours": 24.0, "n_fast": 2, "n_slow": 2, "fast_share": 1.0, "slow_share": 0.5,
    ...              "gap": 0.5, "ci_low": -0.2, "ci_high": 1.2})
    'SLA 24 h: 2 answered in time, 100% ordered again; 2 answered later, 50% ordered again. Gap +50 points (95% interval -20 to +120).'
    """
    sla = f"SLA {result['sla_hours']:g} h"
    if np.isnan(result["gap"]):
        empty = "answered in time" if result["n_fast"] == 0 else "answered later"
        return f"{sla}: no first complaint was {empty}, so there is nothing to compare. Move the slider."
    return (f"{sla}: {result['n_fast']:,} answered in time, {result['fast_share']:.0%} ordered again; "
            f"{result['n_slow']:,} answered later, {result['slow_share']:.0%} ordered again. "
            f"Gap {result['gap'] * 100:+.0f} points (95% interval {result['ci_low'] * 100:+.0f} to {result['ci_high'] * 100:+.0f}).")


def _figure_png(result: dict, curve: pd.DataFrame, title: str, window: str) -> bytes:
    """The two panels as PNG bytes, drawn on a bare Figure (no pyplot: nothing to leak or show twice)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    from crmlib.plots import COLOURS
    with chart_fonts():
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        shares = np.nan_to_num([result["fast_share"], result["slow_share"]]) * 100
        labels = [f"answered within {result['sla_hours']:g} h\n及时回复", "answered later\n回复较慢"]
        bars = left.bar(labels, shares, color=[COLOURS["good"], COLOURS["bad"]], width=0.6)
        left.bar_label(bars, labels=[f"{s:.0f}% of {n:,}" for s, n in zip(shares, [result["n_fast"], result["n_slow"]])], padding=3)
        left.set(title=title, ylabel=f"ordered again within {window} (%)", ylim=(0, 100))
        left.yaxis.set_major_formatter(PercentFormatter())
        shown = curve.dropna(subset=["gap"])
        right.fill_between(shown["sla_hours"], shown["ci_low"] * 100, shown["ci_high"] * 100, color=COLOURS["customers"],
                           alpha=0.2, label="95% interval")
        right.plot(shown["sla_hours"], shown["gap"] * 100, color=COLOURS["customers"], label="gap: fast − slow")
        right.axhline(0, color="black", lw=0.8)
        right.axvline(result["sla_hours"], ls="--", color=COLOURS["guide"], label=f"SLA {result['sla_hours']:g} h")
        right.set(title="The gap for every SLA 不同承诺时限下的差距", xlabel="SLA: promised answer time (hours)",
                  ylabel="gap (percentage points)")
        right.legend(loc="upper right", fontsize=9)
        for ax in (left, right):
            ax.spines[["top", "right"]].set_visible(False)
        return png_bytes(fig)


def response_gap_explorer(first: pd.DataFrame, hours: str = "response_hours", outcome: str = "ordered_again",
                          sla_hours: int = 24, max_hours: int = 120, window_days: int | None = None,
                          title: str = "Ordered again after the first complaint 首次投诉后再次消费"):
    """A slider for the SLA above two panels: the share ordering again, fast vs slow, and the gap for every SLA.

    Parameters
    ----------
    first : one row per customer's first complaint, with ``hours`` (reply time) and ``outcome``
        (True if the customer ordered again within the window).
    sla_hours : where the slider starts (1 to ``max_hours``, whole hours).
    window_days : the window in which ``outcome`` looked for a new order, for the axis label.

    Returns
    -------
    ``ipywidgets.VBox`` with the slider, a line of text and the chart. Its attributes ``slider``,
    ``summary`` (an ``ipywidgets.Label``), ``image`` (an ``ipywidgets.Image``) and ``result()``
    (the dict of :func:`reorder_gap` shown now) make it easy to test.
    """
    import ipywidgets as widgets

    start = int(sla_hours)
    if not 1 <= start <= max_hours:
        raise CRMDataError(f"sla_hours must be a whole number of hours from 1 to {max_hours}, got {sla_hours!r}. Fix: pass e.g. sla_hours=24.")
    window = "the window" if window_days is None else f"{window_days:g} days"
    curve = gap_curve(first, max_hours=max_hours, hours=hours, outcome=outcome)  # also checks the table
    slider = widgets.IntSlider(value=start, min=1, max=max_hours, step=1, description="SLA (hours)",
                               continuous_update=False, style={"description_width": "initial"})
    summary = widgets.Label()
    image = widgets.Image(format="png")

    def show(sla: int) -> None:
        result = reorder_gap(first, sla, hours=hours, outcome=outcome)
        summary.value = gap_summary(result)
        image.value = _figure_png(result, curve, title, window)

    show(start)
    slider.observe(lambda change: show(change["new"]), names="value")
    box = widgets.VBox([slider, summary, image])
    box.slider, box.summary, box.image = slider, summary, image
    box.result = lambda: reorder_gap(first, slider.value, hours=hours, outcome=outcome)
    return box
