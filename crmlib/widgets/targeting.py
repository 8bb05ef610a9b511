"""Whom should a campaign reach? (chapter 4, the database-marketing notebook)

A model gives every member a score: how likely they are to buy soon. A campaign then contacts
the top x % by score. The **gains** of the ranking is the share of all buyers found in that top
x %; a random pick of x % of the members finds about x % of them. The **lift** is the ratio of
the two.

:func:`targeting_explorer`: sliders for the depth, the cost per contact and the value per buyer.
The numbers come from :func:`crmlib.information.gains_table`,
:func:`~crmlib.information.targeting_value` and :func:`~crmlib.information.targeting_summary`,
the two panels from :func:`crmlib.plots.gains_plot` and :func:`~crmlib.plots.targeting_value_plot`.
"""

from __future__ import annotations

import pandas as pd

from crmlib import information, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["targeting_explorer"]


def _summary(s: dict, noun: str) -> str:
    return _(
        "Top {pct}% ({targeted} {noun}): {reached} buyers reached ({share} of all buyers) "
        "vs about {random} at random, lift {lift}. Net value {net} CNY (random pick: {random_net} CNY); "
        "the best depth for these assumptions is the top {best}%."
    ).format(
        pct=s["pct"],
        targeted=f"{s['targeted']:,}",
        noun=plots.customer_noun(noun),
        reached=f"{s['buyers_reached']:,}",
        share=f"{s['share_of_buyers']:.0%}",
        random=f"{s['random_buyers']:,.0f}",
        lift=f"{s['lift']:.1f}",
        net=f"{s['net']:,.0f}",
        random_net=f"{s['random_net']:,.0f}",
        best=s["best_pct"],
    )


def targeting_explorer(
    scores: pd.Series,
    bought: pd.Series,
    pct: int = 20,
    cost_per_contact: float = 1.0,
    value_per_buyer: float = 5.0,
    noun: str = "members",
):
    """Sliders for the share of customers targeted and the campaign's economics, above two charts.

    Parameters
    ----------
    scores, bought : as for :func:`crmlib.information.gains_table` (the test period's scores and outcomes).
    pct : where the depth slider starts, in % (5–100, steps of 5).
    cost_per_contact : CNY per customer contacted (message, coupon handling); an assumption.
    value_per_buyer : CNY of extra margin per buyer the campaign reaches; an assumption.
    noun : what the customers are called in the labels.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``pct`` (depth),
    ``cost_per_contact`` and ``value_per_buyer`` (the two assumptions); ``state["numbers"]`` is
    the dict of :func:`crmlib.information.targeting_summary` shown now and ``state["valued"]``
    the :func:`~crmlib.information.targeting_value` table drawn.
    """
    import ipywidgets as widgets

    gains = information.gains_table(scores, bought)
    start = int(pct)
    if not 5 <= start <= 100:
        raise CRMDataError(_("pct must be between 5 and 100, got {pct!r}. Fix: pass e.g. pct=20.").format(pct=pct))
    information.targeting_value(gains, cost_per_contact, value_per_buyer)  # checks the two amounts
    style = {"description_width": "initial"}
    controls = {
        "pct": widgets.IntSlider(
            value=start, min=5, max=100, step=5, description=_("target top %"), continuous_update=False, style=style
        ),
        "cost_per_contact": widgets.FloatSlider(
            value=float(cost_per_contact),
            min=0.0,
            max=5.0,
            step=0.1,
            description=_("cost per contact (CNY)"),
            continuous_update=False,
            style=style,
        ),
        "value_per_buyer": widgets.FloatSlider(
            value=float(value_per_buyer),
            min=0.0,
            max=30.0,
            step=0.5,
            description=_("value per buyer (CNY)"),
            continuous_update=False,
            style=style,
        ),
    }

    def render(pct: int, cost_per_contact: float, value_per_buyer: float) -> View:
        from matplotlib.figure import Figure

        numbers = information.targeting_summary(gains, pct, cost_per_contact, value_per_buyer)
        valued = information.targeting_value(gains, cost_per_contact, value_per_buyer)
        fig = Figure(figsize=(10, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.gains_plot(valued, highlight=pct, ax=left)
        plots.targeting_value_plot(valued, pct=pct, noun=noun, ax=right)
        return View(_summary(numbers, noun), fig, state={"numbers": numbers, "valued": valued})

    return explorer(controls, render, rows=["pct", ["cost_per_contact", "value_per_buyer"]])
