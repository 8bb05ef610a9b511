"""Where does one more visit stop paying? (chapter 2, the "three visits" notebook)

:func:`visit_explorer`: two sliders (deal size, cost per visit) above the chart of what each
visit adds and of the expected net value per deal, for class. The numbers come from
:func:`crmlib.develop.visit_value_table`, :func:`~crmlib.develop.best_visit_count` and
:func:`~crmlib.develop.visit_summary`, the charts from :func:`crmlib.plots.visit_gain_plot` and
:func:`crmlib.plots.visit_net_value_plot`.
"""

from __future__ import annotations

import pandas as pd

from crmlib import develop, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["visit_explorer"]


def visit_explorer(
    win_rates: pd.DataFrame,
    deal_size: float,
    cost_per_visit: float = 1000.0,
    pooled_last: bool = False,
    max_deal: float | None = None,
    max_cost: float | None = None,
):
    """Sliders for the deal size and the cost per visit, and a chart of what each visit is worth.

    Left panel: the expected gain of each extra visit (bars; green where it beats the cost)
    against the cost of a visit (dashed line). Right panel: the expected net value per deal
    (expected sales − cost of the visits) for each number of visits, its peak marked.

    Parameters
    ----------
    win_rates : the table of :func:`crmlib.develop.win_rate_by_touches` (``touches``,
        ``win_rate``).
    deal_size, cost_per_visit : the starting values of the two sliders (CNY); the deal size
        is rounded to 1,000 and the cost to 100, the sliders' steps.
    pooled_last : label the last number of visits "n+" (a table made with ``max_touches=n``).
    max_deal, max_cost : the slider ranges; default 3 × the starting values (at least 1,000).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``deal_size`` and
    ``cost_per_visit``; the summary is :func:`crmlib.develop.visit_summary`;
    ``state["table"]`` is the :func:`crmlib.develop.visit_value_table` shown now.
    """
    import ipywidgets as widgets

    develop.visit_value_table(win_rates, deal_size, cost_per_visit)  # fail early, with a clear message
    deal0, cost0 = int(round(deal_size, -3)), int(round(cost_per_visit, -2))
    max_deal = int(max_deal or max(3 * deal0, 1000))
    max_cost = int(max_cost or max(3 * cost0, 1000))
    if not (1000 <= deal0 <= max_deal and cost0 <= max_cost):
        raise CRMDataError(
            _(
                "visit_explorer: the deal size must be 1,000–{max_deal:,} and the cost per visit "
                "at most {max_cost:,}, got {deal_size!r} and {cost_per_visit!r}. Fix: raise "
                "max_deal / max_cost or change the starting value."
            ).format(max_deal=max_deal, max_cost=max_cost, deal_size=deal_size, cost_per_visit=cost_per_visit)
        )
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="520px")
    controls = {
        "deal_size": widgets.IntSlider(
            value=deal0,
            min=1000,
            max=max_deal,
            step=1000,
            description=_("deal size (CNY)"),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "cost_per_visit": widgets.IntSlider(
            value=cost0,
            min=0,
            max=max_cost,
            step=100,
            description=_("cost per visit (CNY)"),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
    }

    def render(deal_size: int, cost_per_visit: int) -> View:
        from matplotlib.figure import Figure

        table = develop.visit_value_table(win_rates, deal_size, cost_per_visit)
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.visit_gain_plot(table, pooled_last=pooled_last, ax=left)
        plots.visit_net_value_plot(table, pooled_last=pooled_last, ax=right)
        return View(f"<b>{develop.visit_summary(table, pooled_last=pooled_last)}</b>", fig, state={"table": table})

    return explorer(controls, render)
