"""Budget allocation explorer: spread a fixed marketing budget over customer segments.

:func:`budget_explorer` puts sliders on the budget and the assumed lift above two charts: the
budget each segment gets, and the extra revenue it is expected to bring, under each of the three
methods of :data:`crmlib.identify.ALLOCATION_METHODS` (equal per customer, by expected return,
best segments first). The model and its assumptions are in :func:`crmlib.identify.allocate_budget`;
the totals come from :func:`~crmlib.identify.compare_allocations`, the charts from
:func:`crmlib.plots.budget_allocation_plot`.
"""

from __future__ import annotations

import pandas as pd

from crmlib import identify, plots, validate
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["budget_explorer"]


def _summary_text(totals: pd.DataFrame, budget: float, lift: float) -> str:
    short = {"equal": _("equal per customer"), "return": _("by expected return"), "best_first": _("best first")}
    extra = " · ".join(f"{short[m]} <b>{totals.loc[m, 'extra_revenue']:,.0f}</b>" for m in totals.index)
    text = _("Budget {budget} CNY, lift {lift}. Expected extra revenue (CNY): {extra}.").format(
        budget=f"{budget:,.0f}", lift=f"{lift:.0%}", extra=extra
    )
    if "margin_per_cny" in totals:
        margin = " · ".join(f"{short[m]} {totals.loc[m, 'margin_per_cny']:.2f}" for m in totals.index)
        text += _(
            "<br>Extra gross margin per CNY of budget: {margin}. Below 1.00 the campaign does not pay for itself."
        ).format(margin=margin)
    unspent = budget - totals["budget_spent"].max()
    if unspent > 0.5:
        text += _("<br>{unspent} CNY stay unspent: every customer is already reached.").format(
            unspent=f"{unspent:,.0f}"
        )
    return text


def budget_explorer(
    segments: pd.DataFrame,
    budget: float = 200_000,
    lift: float = 0.10,
    cost_per_customer: float = 50,
    margin_rate: float | None = None,
    title: str | None = None,
):
    """Sliders for the budget and the assumed lift; the three allocations redrawn as they move.

    Parameters
    ----------
    segments : as for :func:`crmlib.identify.allocate_budget`.
    budget, lift : starting values of the two sliders (CNY; share, 0.1 = +10 %).
    cost_per_customer : CNY to reach one customer (fixed).
    margin_rate : gross margin / revenue; if given, the summary says whether the campaign pays.
    title : the chart's title; default "Budget allocation 预算分配" (Chinese alone in Chinese).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`) with a chart of budget and extra revenue
    per segment under each method: controls ``budget`` and ``lift`` (the sliders);
    ``state["plans"]`` (``{method: allocate_budget(...)}``) and ``state["totals"]``
    (:func:`crmlib.identify.compare_allocations`) hold what is shown now.
    """
    import ipywidgets as widgets

    checked = validate.table(
        segments, "segments", {"segment": "key", "customers": "count", "expected_spend": "money"}, unique_key="segment"
    )
    if checked["customers"].sum() == 0:
        raise CRMDataError(_("segments: every segment has 0 customers. Fix: pass the segments' head counts."))
    cost = validate.positive_number(cost_per_customer, "cost_per_customer")
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="520px")
    top = max(1_000_000, int(budget))
    controls = {
        "budget": widgets.IntSlider(
            value=int(budget), min=5_000, max=top, step=5_000, description=_("budget (CNY)"), style=style, layout=layout
        ),
        "lift": widgets.FloatSlider(
            value=float(lift),
            min=0.0,
            max=0.5,
            step=0.01,
            description=_("assumed lift"),
            readout_format=".0%",
            style=style,
            layout=layout,
        ),
    }

    def render(budget: int, lift: float) -> View:
        from matplotlib.figure import Figure

        plans = {m: identify.allocate_budget(checked, budget, lift, cost, m) for m in identify.ALLOCATION_METHODS}
        totals = identify.compare_allocations(checked, budget, lift, cost, margin_rate)
        fig = Figure(figsize=(10, 3.9), dpi=100, layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.budget_allocation_plot(plans, "budget", ax=left)
        plots.budget_allocation_plot(plans, "extra_revenue", legend=False, ax=right)
        fig.suptitle(_("Budget allocation 预算分配") if title is None else title, fontweight="bold")
        return View(_summary_text(totals, budget, lift), fig, state={"plans": plans, "totals": totals})

    return explorer(controls, render, image_width="880px")
