"""The re-buy window explorer: how wide a net should a "prompt response" signal cast?
(chapter 0, notebook 03 CRM at work)

:func:`rebuy_window_explorer`: move the window N and watch the trade-off between few, sharp
signals and many routine ones. The numbers come from :func:`crmlib.loyalty.rebuy_window_summary`,
the chart from :func:`crmlib.plots.rebuy_gap_plot`. ::

    from crmlib.widgets.customer_centred import rebuy_window_explorer
    rebuy_window_explorer(repeats, gap="gap_days", customer="customer_id", date="order_date")
"""

from __future__ import annotations

import pandas as pd

from crmlib import loyalty, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["rebuy_window_explorer"]


def rebuy_window_explorer(
    repeats: pd.DataFrame,
    gap: str = "gap_days",
    customer: str = "customer_id",
    date: str = "order_date",
    days: int = 30,
    max_days: int = 365,
    weeks: float | None = None,
):
    """A slider for the window N (days) above a histogram of re-buy gaps; re-buys within N are red.

    Parameters
    ----------
    repeats : one row per re-buy, with the gap in days since the same customer last bought the
        same product, the customer and the date of the re-buy.
    gap, customer, date : column names.
    days : where the slider starts; it runs from 1 to ``max_days``.
    max_days : longest window offered, and the right edge of the chart.
    weeks : length of the period the re-buys come from (default: the span of ``date``).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``days``; ``state["numbers"]`` is
    the :func:`~crmlib.loyalty.rebuy_window_summary` shown now.
    """
    import ipywidgets as widgets

    loyalty.rebuy_window_summary(repeats, 0, gap=gap, customer=customer, date=date, weeks=weeks)  # checks the table
    if not 1 <= days <= max_days:
        raise CRMDataError(
            _("days must be between 1 and max_days={max_days}, got {days!r}. Fix: pass e.g. days=30.").format(
                max_days=max_days, days=days
            )
        )
    controls = {
        "days": widgets.IntSlider(
            value=int(days), min=1, max=int(max_days), step=1, description=_("window N"), continuous_update=False
        )
    }

    def render(days: int) -> View:
        from matplotlib.figure import Figure

        s = loyalty.rebuy_window_summary(repeats, days, gap=gap, customer=customer, date=date, weeks=weeks)
        fig = Figure(figsize=(7.5, 4.0), layout="constrained")
        plots.rebuy_gap_plot(repeats[gap], days, int(max_days), ax=fig.add_subplot())
        text = _(
            "Window {days} days: {rebuys} re-buys by {customers} customers, "
            "about {per_week} a week to follow up ({share} of all re-buys)."
        ).format(
            days=s["days"],
            rebuys=f"{s['rebuys']:,}",
            customers=f"{s['customers']:,}",
            per_week=f"{s['per_week']:.1f}",
            share=f"{s['share']:.0%}",
        )
        return View(text, fig, state={"numbers": s})

    return explorer(controls, render)
