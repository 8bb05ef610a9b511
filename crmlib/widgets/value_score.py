"""How the weights of the value score decide who is a strategic account (chapter 1).

:func:`value_score_explorer` puts one slider on the balance between current value (margin,
sales, cost) and future value (industry position, years of cooperation, satisfaction). Moving it
re-ranks the accounts: the chart shows which accounts become strategic, and how the strategic
accounts' share of the margin moves. Why one slider is enough is explained in
:func:`crmlib.identify.value_indices`; the numbers come from
:func:`~crmlib.identify.balance_split` and :func:`~crmlib.identify.balance_curve`, the two charts
from :func:`crmlib.plots.value_index_plot` and :func:`crmlib.plots.balance_curve_plot`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from crmlib import identify, plots
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer

__all__ = ["value_score_explorer"]


def _summary_html(split: dict, f: float, f0: float) -> str:
    return _(
        "<b>Future value weight {future}</b> (current value {current}): the {strategic} strategic "
        "accounts bring <b>{share}</b> of the margin; <b>{changed}</b> accounts "
        "are in a different tier than with the starting weights ({start} on future value)."
    ).format(
        future=f"{f:.0%}",
        current=f"{1 - f:.0%}",
        strategic=split["strategic"],
        share=f"{split['margin_share']:.0%}",
        changed=split["changed"],
        start=f"{f0:.0%}",
    )


def value_score_explorer(
    accounts: pd.DataFrame,
    weights: Mapping[str, float],
    cost: Iterable[str] = (),
    future: Iterable[str] = (),
    customer: str = "customer_id",
    margin: str = "margin",
    strategic_share: float = 0.2,
    scaling: str = "rank",
    step: float = 0.05,
):
    """A slider for the weight on future value; the accounts re-rank as it moves.

    Parameters
    ----------
    accounts : one row per account, with the criteria, the id column and a ``margin`` column.
    weights, cost, future, scaling : as in :func:`crmlib.identify.value_score`. The slider starts
        at the weights' own balance (their total weight on future criteria).
    strategic_share : share of the accounts that are strategic.
    step : slider step.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``future_weight`` (the slider);
    ``state`` is the :func:`crmlib.identify.balance_split` result shown now (with
    ``future_weight``).
    """
    import ipywidgets as widgets

    indices = identify.value_indices(accounts, weights, cost=cost, future=future, customer=customer, scaling=scaling)
    accounts = accounts.reset_index(drop=True)
    indices = indices.reset_index(drop=True)
    f0 = float(indices["future_weight"].iloc[0])
    baseline = identify.balance_split(indices, accounts, f0, margin=margin, strategic_share=strategic_share)["tiers"]
    curve = identify.balance_curve(indices, accounts, margin=margin, strategic_share=strategic_share)
    controls = {
        "future_weight": widgets.FloatSlider(
            value=round(f0 / step) * step,
            min=0.0,
            max=1.0,
            step=step,
            description=_("future weight"),
            readout_format=".0%",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )
    }

    def render(future_weight: float) -> View:
        from matplotlib.figure import Figure

        f = float(future_weight)
        split = identify.balance_split(
            indices, accounts, f, margin=margin, strategic_share=strategic_share, baseline=baseline
        )
        fig = Figure(figsize=(11, 4.4), layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.value_index_plot(
            indices.assign(tier=split["tiers"].to_numpy(), moved=split["moved"]), f, split["threshold"], ax=left
        )
        plots.balance_curve_plot(curve, future_weight=f, margin_share=split["margin_share"], start=f0, ax=right)
        return View(_summary_html(split, f, f0), fig, state=split)

    return explorer(controls, render)
