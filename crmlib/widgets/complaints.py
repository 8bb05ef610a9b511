"""Fast or slow answer to a complaint, and who comes back (chapter 3, the complaints notebook).

::

    from crmlib.widgets.complaints import response_gap_explorer
    response_gap_explorer(first)   # first: one row per member's first complaint

``first`` has one row per customer's first complaint, with the hours until the reply and
whether the customer ordered again afterwards (True/False). Pick a promised answer time (SLA):
complaints answered within it are "fast", the others "slow". The gap is the share of fast-answered
customers who ordered again minus that of slow-answered ones.

:func:`response_gap_explorer`: the slider and the chart, for class. The numbers come from
:func:`crmlib.communicate.reorder_gap` and :func:`~crmlib.communicate.reorder_gap_curve`, the two
panels from :func:`crmlib.plots.reorder_share_plot` and :func:`~crmlib.plots.reorder_gap_curve_plot`.

The gap compares customers whose complaints *were* answered fast or slowly. It is not, by
itself, the effect of answering faster: the notebook discusses what else could cause it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import communicate, plots, validate
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer, sla_slider

__all__ = ["response_gap_explorer"]


def _summary(result: dict) -> str:
    """The gap of :func:`crmlib.communicate.reorder_gap` in one sentence."""
    sla = _("SLA {hours} h").format(hours=f"{result['sla_hours']:g}")
    if np.isnan(result["gap"]):
        empty = _("answered in time") if result["n_fast"] == 0 else _("answered later")
        return _("{sla}: no first complaint was {empty}, so there is nothing to compare. Move the slider.").format(
            sla=sla, empty=empty
        )
    return _(
        "{sla}: {fast} answered in time, {fast_share} ordered again; "
        "{slow} answered later, {slow_share} ordered again. "
        "Gap {gap} points (95% interval {low} to {high})."
    ).format(
        sla=sla,
        fast=f"{result['n_fast']:,}",
        fast_share=f"{result['fast_share']:.0%}",
        slow=f"{result['n_slow']:,}",
        slow_share=f"{result['slow_share']:.0%}",
        gap=f"{result['gap'] * 100:+.0f}",
        low=f"{result['ci_low'] * 100:+.0f}",
        high=f"{result['ci_high'] * 100:+.0f}",
    )


def response_gap_explorer(
    first: pd.DataFrame,
    hours: str = "response_hours",
    outcome: str = "ordered_again",
    sla_hours: int = 24,
    max_hours: int = 120,
    window_days: int | None = None,
    title: str | None = None,
):
    """A slider for the SLA above two panels: the share ordering again, fast vs slow, and the gap for every SLA.

    Parameters
    ----------
    first : one row per customer's first complaint, with ``hours`` (reply time) and ``outcome``
        (True if the customer ordered again within the window).
    sla_hours : where the slider starts (1 to ``max_hours``, whole hours).
    window_days : the window in which ``outcome`` looked for a new order, for the axis label.
    title : the left panel's title; default that of :func:`crmlib.plots.reorder_share_plot`
        ("Ordered again after the first complaint 首次投诉后再次消费", Chinese alone in Chinese).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``sla_hours`` (the slider);
    ``state["result"]`` is the dict of :func:`crmlib.communicate.reorder_gap` shown now and
    ``state["curve"]`` the :func:`~crmlib.communicate.reorder_gap_curve` drawn on the right.
    """

    start = validate.whole_number(sla_hours, "sla_hours", minimum=1, maximum=max_hours, example=24)
    curve = communicate.reorder_gap_curve(
        first, max_hours=max_hours, hours=hours, outcome=outcome
    )  # also checks the table
    controls = {"sla_hours": sla_slider(start, max_hours)}

    def render(sla_hours: int) -> View:
        from matplotlib.figure import Figure

        result = communicate.reorder_gap(first, sla_hours, hours=hours, outcome=outcome)
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.reorder_share_plot(result, window_days=window_days, title=title, ax=left)
        plots.reorder_gap_curve_plot(curve, sla_hours=result["sla_hours"], ax=right)
        return View(_summary(result), fig, state={"result": result, "curve": curve})

    return explorer(controls, render)
