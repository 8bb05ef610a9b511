"""Is a retention campaign worth it? (chapter 5, the retention and churn notebook)

:func:`retention_explorer`: a threshold slider and one button per offer (the three levels of
retention bonds); the campaign's numbers come from
:func:`crmlib.loyalty.retention_campaign_value` and
:func:`~crmlib.loyalty.retention_campaign_table`, the charts from
:func:`crmlib.plots.retention_value_plot` and :func:`~crmlib.plots.precision_recall_plot`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from crmlib import loyalty, plots
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer

__all__ = ["retention_explorer"]


def _bond_names() -> dict:
    """The offers of :data:`crmlib.loyalty.RETENTION_BONDS` as shown, in the current language."""
    return {
        "financial": _("financial"),
        "financial + social": _("financial + social"),
        "structural": _("structural"),
    }


def _summary(result: dict) -> str:
    return _(
        "<b>Threshold {threshold}, {bond} offer: {flagged} members flagged, precision {precision}, "
        "recall {recall}. Margin kept {kept} CNY − cost {cost} CNY = net {net} CNY.</b>"
    ).format(
        threshold=f"{result['threshold']:.2f}",
        bond=_bond_names().get(result["bond"], result["bond"]),
        flagged=f"{result['flagged']:,}",
        precision=f"{result['precision']:.0%}",
        recall=f"{result['recall']:.0%}",
        kept=f"{result['margin_kept']:,.0f}",
        cost=f"{result['cost']:,.0f}",
        net=f"{result['net_value']:+,.0f}",
    )


def retention_explorer(
    scored: pd.DataFrame, threshold: float = 0.5, bond: str = "financial", bonds: Mapping | None = None, **columns
):
    """A threshold slider and one button per offer; the campaign's numbers and two charts.

    Parameters
    ----------
    scored : see :func:`crmlib.loyalty.retention_campaign_value`.
    threshold, bond : the starting choice.
    bonds : the offers (default :data:`crmlib.loyalty.RETENTION_BONDS`, assumptions).

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``bond`` and ``threshold``;
    ``state["result"]`` is the :func:`~crmlib.loyalty.retention_campaign_value` shown now and
    ``state["table"]`` the table behind the charts.
    """
    import ipywidgets as widgets

    bonds = loyalty.RETENTION_BONDS if bonds is None else bonds
    table = loyalty.retention_campaign_table(scored, bonds=bonds, **columns)
    loyalty.retention_campaign_value(scored, threshold, bond, bonds, **columns)  # fail early, with a clear message
    controls = {
        "bond": widgets.ToggleButtons(
            options=[(_bond_names().get(key, key), key) for key in bonds], value=bond, description=_("offer")
        ),
        "threshold": widgets.FloatSlider(
            value=round(float(threshold), 2),
            min=0.05,
            max=0.95,
            step=0.05,
            description=_("threshold"),
            continuous_update=False,
            readout_format=".2f",
        ),
    }

    def render(bond: str, threshold: float) -> View:
        from matplotlib.figure import Figure

        result = loyalty.retention_campaign_value(scored, threshold, bond, bonds, **columns)
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.retention_value_plot(table, choice=result, ax=left)
        plots.precision_recall_plot(table, bond=bond, threshold=threshold, ax=right)
        return View(_summary(result), fig, state={"result": result, "table": table})

    return explorer(controls, render)
