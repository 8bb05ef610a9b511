"""The Pareto explorer: move a slider and see what share of the value the top customers bring.

::

    from crmlib.widgets.pareto import pareto_explorer
    pareto_explorer(tea.orders, customer="member_id", amount="net_amount", by="brand_id")

Each curve ranks the customers of one group from the biggest spender (left) to the smallest
(right) and climbs with the running share of the value; the dotted diagonal is a world where
everyone spends the same. The dashed line marks the slider's "top X %", and the legend and the
line of text under the slider give each group's share of value at that point. The numbers come
from :func:`crmlib.identify.pareto_curves` and :func:`~crmlib.identify.top_shares`, the chart
from :func:`crmlib.plots.pareto_curves_plot`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from crmlib import identify, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["pareto_explorer"]


def _summary_text(shares: Mapping, names: Mapping, top_pct: int, noun: str) -> str:
    shown = plots.customer_noun(noun)
    everyone = _("all {noun}").format(noun=shown)
    parts = [
        f"{names.get(group, group) if group is not None else everyone} {share:.0%}" for group, share in shares.items()
    ]
    return _("Share of the value brought by the top {top}% of {noun}: {parts}.").format(
        top=top_pct, noun=shown, parts=_(", ").join(parts)
    )


def pareto_explorer(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    amount: str = "amount",
    by: str | None = None,
    names: Mapping | None = None,
    top_pct: int = 20,
    noun: str = "customers",
    title: str | None = None,
):
    """A slider for "top X %" above a chart of Pareto curves, one per group of ``by``.

    Parameters
    ----------
    orders : one row per order.
    customer, amount : column names; each customer's amounts are added up first.
    by : optional column splitting the customers into groups (e.g. ``"brand_id"``), one curve each.
    names : optional display name of each group, a dict or Series, e.g. ``{"T1": "Aurora Leaf"}``.
    top_pct : where the slider starts, in % (5–100, steps of 5).
    noun : what the customers are called in the labels ("members", "accounts", …).
    title : chart title; ``{top}`` is replaced by the slider's value. Default "Revenue from the top
        {top}% of customers" (in Chinese after ``crmlib.set_language("zh")``).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``top_pct`` (the slider, in %);
    ``state["shares"]`` holds the shares shown now, by group (:func:`crmlib.identify.top_shares`).
    """
    import ipywidgets as widgets

    curves = identify.pareto_curves(orders, customer=customer, amount=amount, by=by)
    names = {} if names is None else dict(names)  # a dict or a Series of display names
    start = int(top_pct)
    if not 5 <= start <= 100:
        raise CRMDataError(
            _("top_pct must be between 5 and 100, got {top_pct!r}. Fix: pass e.g. top_pct=20.").format(top_pct=top_pct)
        )
    controls = {
        "top_pct": widgets.IntSlider(
            value=start, min=5, max=100, step=5, description=_("top X %"), continuous_update=False
        )
    }

    heading = _("Revenue from the top {top}% of customers") if title is None else title

    def render(top_pct: int) -> View:
        from matplotlib.figure import Figure

        shares = identify.top_shares(curves, top_pct)
        fig = Figure(figsize=(7, 4.2), layout="constrained")
        plots.pareto_curves_plot(
            curves, top_pct, names=names, noun=noun, title=heading.format(top=top_pct), ax=fig.add_subplot()
        )
        return View(_summary_text(shares, names, top_pct, noun), fig, state={"shares": shares})

    return explorer(controls, render)
