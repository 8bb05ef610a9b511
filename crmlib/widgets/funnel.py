"""Where do groups of leads part ways in the funnel? (chapter 2, the sales-funnel notebook)

:func:`funnel_explorer`: buttons to split the funnel by lead source, by rep or by industry, above
two charts that compare the groups stage by stage, for class. Two things can differ: how many of
a group's leads reach each stage (the running share, :func:`crmlib.plots.funnel_share_plot`), and
how many of those at one stage move on to the next (the step conversion,
:func:`crmlib.plots.funnel_step_plot`). The step where the groups' conversions are furthest apart
(:func:`crmlib.develop.funnel_gaps`) is where the grouping matters most: lead quality shows at the
first steps, a rep's follow-up later.
"""

from __future__ import annotations

import pandas as pd

from crmlib import develop, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["funnel_explorer"]


def _summary(funnel: pd.DataFrame, by: str, label: str | None = None) -> str:
    """One sentence: which group ends best and worst, and at which step the groups differ most.

    >>> deals = pd.DataFrame({"stage": ["lead", "won", "won", "lead", "lead", "won"],
    ...                       "source": ["a", "a", "a", "b", "b", "b"]})
    >>> text = _summary(develop.funnel_table(deals, stages=["lead", "won"], by="source"), "source")
    >>> print(text.replace(". ", ".\\n"))  # one sentence a line
    By source: a ends best (67% of its leads won), b worst (33%).
    The groups differ most in the step into won: from 33% (b) to 67% (a).
    """
    gaps = develop.funnel_gaps(funnel, by)
    last = funnel[funnel["stage"] == funnel["stage"].iloc[-1]]
    best, worst = last.loc[last["overall"].idxmax()], last.loc[last["overall"].idxmin()]
    widest = gaps.loc[gaps["gap"].idxmax()]
    return _(
        "By {group}: {best} ends best ({best_share} of its leads {stage}), "
        "{worst} worst ({worst_share}). The groups differ most in the step into "
        "{step}: from {low} ({lowest}) to {high} ({highest})."
    ).format(
        group=label or by,
        best=best[by],
        best_share=f"{best['overall']:.0%}",
        stage=best["stage"],
        worst=worst[by],
        worst_share=f"{worst['overall']:.0%}",
        step=widest["stage"],
        low=f"{widest['low']:.0%}",
        lowest=widest["lowest"],
        high=f"{widest['high']:.0%}",
        highest=widest["highest"],
    )


def funnel_explorer(deals: pd.DataFrame, stages, groups: dict, stage: str = "stage"):
    """Buttons to split the funnel by one grouping; the chart and a summary follow the choice.

    Left panel: the share of each group's leads that reach each stage. Right panel: the step
    conversion into each stage, the step where the groups differ most shaded.

    Parameters
    ----------
    deals : one row per lead with the furthest ``stage`` it reached (see the recipe in
        :func:`crmlib.develop.funnel_table`).
    stages : the stage names, first to last.
    groups : ``{button label: column}``, e.g. ``{"lead source": "source", "sales rep": "rep_id"}``.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``grouping`` (ToggleButtons; set
    its ``.value`` to a label); the summary names the best and worst group and the widest step;
    ``state["funnel"]`` is the :func:`crmlib.develop.funnel_table` shown now.
    """
    import ipywidgets as widgets

    if not isinstance(groups, dict) or not groups:
        raise CRMDataError(
            _(
                "groups must be a dict {{label: column}}, got {groups!r}. Fix: pass e.g. "
                "groups={{'lead source': 'source'}}."
            ).format(groups=groups)
        )
    tables = {
        label: develop.funnel_table(deals, stage=stage, stages=stages, by=column) for label, column in groups.items()
    }
    controls = {"grouping": widgets.ToggleButtons(options=list(groups), description=_("split by"))}

    def render(grouping: str) -> View:
        from matplotlib.figure import Figure

        table, by = tables[grouping], groups[grouping]
        fig = Figure(figsize=(12, 4.4), layout="constrained")
        left, right = fig.subplots(1, 2)
        plots.funnel_share_plot(table, by, label=grouping, legend=False, ax=left)
        plots.funnel_step_plot(table, by, label=grouping, legend=False, ax=right)
        fig.legend(*right.get_legend_handles_labels(), title=grouping, loc="outside right center", fontsize=8)
        return View(f"<b>{_summary(table, by, grouping)}</b>", fig, state={"funnel": table})

    return explorer(controls, render)
