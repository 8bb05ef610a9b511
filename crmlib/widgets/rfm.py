"""RFM cut-offs explorer: move the thresholds of the eight-type RFM model and watch the groups change.

Quintile scores (:func:`crmlib.identify.rfm_scores`) always split customers into equal fifths.
Many firms (and many Chinese textbooks) use a simpler model instead: each of R, F and M is
called *high* or *low* against one threshold, which gives 2 x 2 x 2 = 8 customer types
(重要价值客户, 重要发展客户, …). The thresholds are a business choice, and moving them moves
customers between types. :func:`rfm_explorer` lets an instructor show that with three sliders.
The numbers come from :func:`crmlib.identify.threshold_summary` (starting at
:func:`~crmlib.identify.default_thresholds`), the chart from :func:`crmlib.plots.rfm_types_plot`.
"""

from __future__ import annotations

import pandas as pd

from crmlib import identify, plots, validate
from crmlib.messages import get_language
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["rfm_explorer"]


def _summary_text(table: pd.DataFrame, days: float, orders: float, spend: float) -> str:
    rows = table.set_index("rfm_type")
    best_name = identify.RFM_TYPES[(True, True, True)][0]
    worst_name = identify.RFM_TYPES[(False, False, False)][0]
    best, worst = rows.loc[best_name], rows.loc[worst_name]
    chinese = get_language() == "zh"  # the type's Chinese name alone, else both names
    return _(
        "<b>Recent</b> = ordered in the last {days} days; <b>frequent</b> = {orders}+ orders; "
        "<b>high spend</b> = {spend}+ CNY.<br>"
        "{best}: {best_customers} customers ({best_share}) bring {best_revenue} of revenue. "
        "{worst}: {worst_customers} ({worst_share}) bring {worst_revenue}."
    ).format(
        days=f"{days:g}",
        orders=f"{orders:g}",
        spend=f"{spend:g}",
        best=best["中文"] if chinese else f"{best['中文']} {best_name}",
        best_customers=best["customers"],
        best_share=f"{best['customer_share']:.0%}",
        best_revenue=f"{best['revenue_share']:.0%}",
        worst=worst["中文"] if chinese else f"{worst['中文']} {worst_name}",
        worst_customers=worst["customers"],
        worst_share=f"{worst['customer_share']:.0%}",
        worst_revenue=f"{worst['revenue_share']:.0%}",
    )


def rfm_explorer(
    rfm: pd.DataFrame,
    recent_days: float | None = None,
    min_orders: float | None = None,
    min_spend: float | None = None,
    title: str | None = None,
):
    """Three sliders (recency, frequency and spend thresholds) over the eight-type RFM model.

    Parameters
    ----------
    rfm : the output of :func:`crmlib.identify.rfm_table`.
    recent_days, min_orders, min_spend : starting thresholds; default
        :func:`crmlib.identify.default_thresholds`.
    title : the chart's title; default "Eight RFM types 八类客户" (Chinese alone in Chinese).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`) with a bar chart of each type's share of
    customers and of revenue: controls ``recent_days``, ``min_orders`` and ``min_spend`` (the
    sliders); ``state["table"]`` is the :func:`crmlib.identify.threshold_summary` shown now.
    """
    import ipywidgets as widgets

    checked = validate.table(
        rfm, "rfm", {"recency": "number", "frequency": "number", "monetary": "number"}, allow_empty=True
    )
    if checked.empty:
        raise CRMDataError(
            _("rfm has no customers. Fix: build it with identify.rfm_table on a non-empty orders table.")
        )
    start = identify.default_thresholds(checked)
    start.update(
        {
            k: v
            for k, v in {"recent_days": recent_days, "min_orders": min_orders, "min_spend": min_spend}.items()
            if v is not None
        }
    )
    spend_95 = float(checked["monetary"].quantile(0.95))
    high = {
        "recent_days": max(int(checked["recency"].max()), int(start["recent_days"])),
        "min_orders": max(int(checked["frequency"].quantile(0.95)), int(start["min_orders"]), 2),
        "min_spend": max(int(max(10, round(spend_95 / 10) * 10)), int(start["min_spend"])),  # to 10 CNY
    }
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="520px")

    def slider(name: str, low: int, step: int, label: str):
        return widgets.IntSlider(
            value=int(start[name]), min=low, max=high[name], step=step, description=label, style=style, layout=layout
        )

    controls = {
        "recent_days": slider("recent_days", 10, 10, _("recent: last N days")),
        "min_orders": slider("min_orders", 1, 1, _("frequent: N+ orders")),
        "min_spend": slider("min_spend", 0, 10, _("high spend: N+ CNY")),
    }

    def render(recent_days: int, min_orders: int, min_spend: int) -> View:
        from matplotlib.figure import Figure

        table = identify.threshold_summary(checked, recent_days, min_orders, min_spend)
        fig = Figure(figsize=(8.0, 4.2), dpi=100, layout="constrained")
        plots.rfm_types_plot(table, title=title, ax=fig.add_subplot())
        return View(_summary_text(table, recent_days, min_orders, min_spend), fig, state={"table": table})

    return explorer(controls, render, image_width="760px")
