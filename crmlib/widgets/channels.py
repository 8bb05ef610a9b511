"""How many answers come in time? A service-level slider over response times by channel (chapter 3).

::

    from crmlib.widgets.channels import sla_explorer
    sla_explorer(tea.feedback)                 # slider: promised answer time in hours

A service level (服务水平承诺, SLA) promises an answer within so many hours. Move the promise
and watch each channel's share of answers that kept it: a generous promise is easy to keep, a
tight one shows which channels are slow.

* :func:`sla_shares`: each channel's share answered within the promise, as
  :func:`crmlib.communicate.response_times` counts it;
* :func:`sla_summary`: that in one sentence;
* :func:`sla_explorer`: the slider and the chart, for class.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from crmlib import communicate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["sla_shares", "sla_summary", "sla_explorer"]


def sla_shares(data: pd.DataFrame, sla_hours: float, hours: str = "response_hours", by: str = "channel") -> pd.DataFrame:
    """Per group and overall: answered rows, median hours and the share answered within ``sla_hours``.

    Returns the table of :func:`crmlib.communicate.response_times` (``by``, ``n``, ``open``,
    ``median_hours``, ``p90_hours``, ``within_sla``), the group with the lowest median first, with one more row
    ``"all"`` for every row together.

    >>> feedback = pd.DataFrame({"channel": ["hotline", "hotline", "app", "app"],
    ...                          "response_hours": [2.0, 30.0, 1.0, 5.0]})
    >>> sla_shares(feedback, 24)[["channel", "n", "within_sla"]]
       channel  n  within_sla
    0      app  2         1.0
    1  hotline  2         0.5
    2      all  4         0.75
    """
    if by not in data.columns:
        raise CRMDataError(f"data has no column '{by}'. Fix: pass by= one of {list(data.columns)}.")
    table = communicate.response_times(data, hours=hours, by=by, sla_hours=sla_hours)
    table = table.sort_values("median_hours", kind="stable")  # the same order whatever the promise
    overall = communicate.response_times(data, hours=hours, by=None, sla_hours=sla_hours).assign(**{by: "all"})
    table[by] = table[by].astype(object)
    return pd.concat([table, overall[table.columns]], ignore_index=True)


def sla_summary(shares: pd.DataFrame, sla_hours: float, by: str = "channel", names: Mapping | None = None) -> str:
    """One sentence: the share answered within the promise, per group and overall.

    >>> feedback = pd.DataFrame({"channel": ["hotline", "hotline", "app", "app"],
    ...                          "response_hours": [2.0, 30.0, 1.0, 5.0]})
    >>> sla_summary(sla_shares(feedback, 24), 24)
    'Answered within 24 h: app 100%, hotline 50%; all channels 75%.'
    """
    names = {} if names is None else dict(names)
    rows = shares[shares[by] != "all"]
    parts = [f"{names.get(g, g)} {s:.0%}" for g, s in zip(rows[by], rows["within_sla"])]
    overall = float(shares.loc[shares[by] == "all", "within_sla"].iloc[0])
    return f"Answered within {sla_hours:g} h: " + ", ".join(parts) + f"; all {by}s {overall:.0%}."


def _figure_png(shares: pd.DataFrame, sla_hours: float, by: str, names: Mapping, title: str) -> bytes:
    """The chart as PNG bytes, drawn on a bare Figure (no pyplot: nothing to leak or show twice)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    from crmlib.plots import COLOURS

    rows = shares[shares[by] != "all"].iloc[::-1]  # fastest at the top of a horizontal bar chart
    overall = float(shares.loc[shares[by] == "all", "within_sla"].iloc[0])
    with chart_fonts():
        fig = Figure(figsize=(7.5, 0.5 * len(rows) + 2.2), layout="constrained")
        ax = fig.add_subplot()
        labels = [str(names.get(g, g)) for g in rows[by]]
        bars = ax.barh(labels, rows["within_sla"] * 100, color=COLOURS["customers"])
        ax.bar_label(bars, labels=[f"{s:.0%} of {n:,}" for s, n in zip(rows["within_sla"], rows["n"])], padding=3, fontsize=9)
        ax.axvline(overall * 100, ls="--", color=COLOURS["guide"], label=f"all {by}s: {overall:.0%}")
        ax.set(title=title.format(sla=f"{sla_hours:g}"), xlabel="answered within the promise (%)", ylabel=by, xlim=(0, 118))
        ax.xaxis.set_major_formatter(PercentFormatter())
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="lower right", fontsize=9)
        return png_bytes(fig)


def sla_explorer(data: pd.DataFrame, hours: str = "response_hours", by: str = "channel", sla_hours: int = 24,
                 names: Mapping | None = None, max_hours: int = 168,
                 title: str = "Answered within {sla} h, by channel 按渠道的及时回复率"):
    """A slider for the promised answer time above a bar chart of the share answered in time per group.

    Parameters
    ----------
    data : one row per contact with a response time, e.g. ``tea.feedback``.
    hours : the response-time column, in hours.
    by : the group column, e.g. ``"channel"``.
    sla_hours : where the slider starts (1 to ``max_hours``, whole hours).
    names : optional display name of each group, e.g. ``{"hotline": "hotline 热线"}``.
    title : chart title; ``{sla}`` is replaced by the slider's value.

    Returns
    -------
    ``ipywidgets.VBox`` with the slider, a line of text and the chart. Its attributes ``slider``,
    ``summary`` (an ``ipywidgets.Label``), ``image`` (an ``ipywidgets.Image``) and ``shares()``
    (the table shown now, from :func:`sla_shares`) make it easy to test.
    """
    import ipywidgets as widgets

    names = {} if names is None else dict(names)
    start = int(sla_hours)
    if not 1 <= start <= max_hours:
        raise CRMDataError(f"sla_hours must be a whole number of hours from 1 to {max_hours}, got {sla_hours!r}. Fix: pass e.g. sla_hours=24.")
    sla_shares(data, start, hours=hours, by=by)  # fail now, with a clear message, if the data is unusable
    slider = widgets.IntSlider(value=start, min=1, max=max_hours, step=1, description="SLA (hours)",
                               continuous_update=False, style={"description_width": "initial"})
    summary = widgets.Label()
    image = widgets.Image(format="png")

    def show(sla: int) -> None:
        shares = sla_shares(data, sla, hours=hours, by=by)
        summary.value = sla_summary(shares, sla, by=by, names=names)
        image.value = _figure_png(shares, sla, by, names, title)

    show(start)
    slider.observe(lambda change: show(change["new"]), names="value")
    box = widgets.VBox([slider, summary, image])
    box.slider, box.summary, box.image = slider, summary, image
    box.shares = lambda: sla_shares(data, slider.value, hours=hours, by=by)
    return box
