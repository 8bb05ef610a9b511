"""How many answers come in time? A service-level slider over response times by channel (chapter 3).

::

    from crmlib.widgets.channels import sla_explorer
    sla_explorer(tea.feedback)                 # slider: promised answer time in hours

A service level (服务水平协议, SLA) promises an answer within so many hours. Move the promise
and watch each channel's share of answers that kept it: a generous promise is easy to keep, a
tight one shows which channels are slow.

:func:`sla_explorer`: the slider and the chart, for class. The numbers come from
:func:`crmlib.communicate.sla_shares`, the chart from :func:`crmlib.plots.sla_plot`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from crmlib import communicate, plots, validate
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer, sla_slider

__all__ = ["sla_explorer"]


def _summary(shares: pd.DataFrame, sla_hours: float, by: str, names: Mapping) -> str:
    """One sentence: the share answered within the promise, per group and overall."""
    rows = shares[shares[by] != "all"]
    parts = [f"{names.get(g, g)} {s:.0%}" for g, s in zip(rows[by], rows["within_sla"], strict=True)]
    overall = float(shares.loc[shares[by] == "all", "within_sla"].iloc[0])
    everyone = _("all channels") if by == "channel" else _("all {by}s").format(by=by)
    return _("Answered within {hours} h: {parts}; {everyone} {overall}.").format(
        hours=f"{sla_hours:g}", parts=_(", ").join(parts), everyone=everyone, overall=f"{overall:.0%}"
    )


def sla_explorer(
    data: pd.DataFrame,
    hours: str = "response_hours",
    by: str = "channel",
    sla_hours: int = 24,
    names: Mapping | None = None,
    max_hours: int = 168,
    title: str | None = None,
):
    """A slider for the promised answer time above a bar chart of the share answered in time per group.

    Parameters
    ----------
    data : one row per contact with a response time, e.g. ``tea.feedback``.
    hours : the response-time column, in hours.
    by : the group column, e.g. ``"channel"``.
    sla_hours : where the slider starts (1 to ``max_hours``, whole hours).
    names : optional display name of each group, e.g. ``{"hotline": "hotline 热线"}``.
    title : chart title; ``{sla}`` is replaced by the slider's value. Default "Answered within {sla}
        h, by channel 按渠道的及时回复率" (Chinese alone after ``crmlib.set_language("zh")``).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``sla_hours`` (the slider);
    ``state["shares"]`` is the table shown now, from :func:`crmlib.communicate.sla_shares`.
    """

    names = {} if names is None else dict(names)
    start = validate.whole_number(sla_hours, "sla_hours", minimum=1, maximum=max_hours, example=24)
    communicate.sla_shares(data, start, hours=hours, by=by)  # fail now, with a clear message, if the data is unusable
    controls = {"sla_hours": sla_slider(start, max_hours)}
    heading = _("Answered within {sla} h, by channel 按渠道的及时回复率") if title is None else title

    def render(sla_hours: int) -> View:
        from matplotlib.figure import Figure

        shares = communicate.sla_shares(data, sla_hours, hours=hours, by=by)
        fig = Figure(figsize=(7.5, 0.5 * (len(shares) - 1) + 2.2), layout="constrained")
        plots.sla_plot(shares, sla_hours, by=by, names=names, title=heading, ax=fig.add_subplot())
        return View(_summary(shares, sla_hours, by, names), fig, state={"shares": shares})

    return explorer(controls, render)
