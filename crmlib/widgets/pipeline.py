"""Follow-up discipline: which deals were left without a touch, and what it cost.

:func:`followup_explorer`: a slider for N in the rule "touch every deal at least every N days",
for class. The numbers come from :func:`crmlib.develop.touch_gaps` (per deal, the days since the
last touch and the longest stretch without any) and :func:`crmlib.develop.overdue_summary` (the
open deals overdue now, the lost deals that once broke the rule); the charts from
:func:`crmlib.plots.days_since_touch_plot` and :func:`crmlib.plots.lost_contact_plot`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import develop, plots
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer

__all__ = ["followup_explorer"]


def _pct(value: float) -> str:
    return "–" if np.isnan(value) else f"{value:.0%}"


def _summary_html(s: dict) -> str:
    value_share = s["overdue_value"] / s["open_value"] if s["open_value"] else float("nan")
    return _(
        "<b>Rule: touch every deal at least once every {days} days.</b><br>"
        "Open deals overdue now: <b>{overdue} of {open}</b>, "
        "worth <b>{value} CNY</b> ({value_share} of the open pipeline).<br>"
        "Lost deals that once went {days}+ days without a touch: <b>{broke} of {lost}</b>. "
        "Lost for 'lost contact': {share_broke} of these, "
        "{share_kept} of the other lost deals."
    ).format(
        days=s["days"],
        overdue=s["overdue"],
        open=s["open_deals"],
        value=f"{s['overdue_value']:,.0f}",
        value_share=_pct(value_share),
        broke=s["broke_rule"],
        lost=s["lost_deals"],
        share_broke=_pct(s["reason_share_broke"]),
        share_kept=_pct(s["reason_share_kept"]),
    )


def _overdue_html(s: dict, gaps: pd.DataFrame, opportunity: str, show: int) -> str:
    """The largest overdue open deals (at most ``show``) as an HTML table, or a line saying there are none."""
    columns = [c for c in (opportunity, "rep_id", "stage", "amount", "days_since_touch") if c in gaps.columns]
    top = s["overdue_table"][columns].head(show)
    more = s["overdue"] - len(top)
    return (
        _("<i>No open deal is overdue.</i>")
        if top.empty
        else _("<b>Largest overdue open deals</b>")
        + top.to_html(index=False, float_format="{:,.0f}".format)
        + (_("<i>… and {more} more.</i>").format(more=more) if more > 0 else "")
    )


def followup_explorer(
    opportunities: pd.DataFrame,
    activities: pd.DataFrame,
    days: int = 14,
    as_of="2025-12-31",
    max_days: int = 45,
    opportunity: str = "opportunity_id",
    show: int = 8,
):
    """A slider for N days: the open deals overdue under "touch every deal every N days", and the lost ones.

    Left panel: the days since the last touch of each open deal, the overdue ones in red. Right
    panel: of the lost deals, the share lost for "lost contact" among those that once went N or
    more days without a touch and among the others. Under the chart, the largest overdue open
    deals (at most ``show``).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``days`` (an IntSlider);
    ``state["summary"]`` is the :func:`crmlib.develop.overdue_summary` shown now and
    ``state["gaps"]`` the :func:`crmlib.develop.touch_gaps` table.

    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "created_date": ["2025-11-01", "2025-12-01"],
    ...                      "close_date": [None, "2025-12-20"], "status": ["open", "lost"],
    ...                      "amount": [500.0, 100.0], "lost_reason": [None, "lost contact"]})
    >>> acts = pd.DataFrame({"opportunity_id": ["O1", "O2"], "activity_date": ["2025-12-01", "2025-12-02"]})
    >>> box = followup_explorer(opps, acts, days=14)
    >>> "1 of 1" in box.summary.value
    True
    """
    import ipywidgets as widgets

    gaps = develop.touch_gaps(opportunities, activities, as_of=as_of, opportunity=opportunity)
    develop.overdue_summary(gaps, days)  # check the columns once, before building anything
    controls = {
        "days": widgets.IntSlider(
            value=days, min=1, max=max(max_days, days), step=1, description=_("N days"), continuous_update=False
        )
    }

    def render(days: int) -> View:
        from matplotlib.figure import Figure

        s = develop.overdue_summary(gaps, int(days))
        fig = Figure(figsize=(10, 4.2), dpi=80, layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[1.2, 1])
        plots.days_since_touch_plot(gaps, s["days"], opportunity=opportunity, ax=left)
        plots.lost_contact_plot(gaps, s["days"], ax=right)
        table = _overdue_html(s, gaps, opportunity, show)
        return View(_summary_html(s), fig, table, state={"summary": s, "gaps": gaps})

    return explorer(controls, render)
