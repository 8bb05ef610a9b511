"""Where do groups of leads part ways in the funnel? (chapter 2, the sales-funnel notebook)

Split the funnel by lead source, by rep or by industry, and compare the groups stage by stage.
Two things can differ: how many of a group's leads reach each stage (the running share), and
how many of those at one stage move on to the next (the step conversion). The step where the
groups' conversions are furthest apart is where the grouping matters most: lead quality shows
at the first steps, a rep's follow-up later.

* :func:`funnel_gaps`: per step, the best and the worst group and the gap between them;
* :func:`funnel_summary`: that in one sentence;
* :func:`funnel_explorer`: buttons to pick the grouping, and the chart, for class.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import develop, validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["funnel_gaps", "funnel_summary", "funnel_explorer"]


def funnel_gaps(funnel: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per step of a grouped funnel: the groups with the lowest and highest conversion, and the gap.

    Parameters
    ----------
    funnel : the table of :func:`crmlib.develop.funnel_table` made with ``by=``.
    by : its grouping column.

    Returns
    -------
    One row per stage after the first, in stage order: ``stage``, ``lowest`` (group),
    ``low`` (its conversion from the previous stage), ``highest``, ``high`` and ``gap`` =
    high − low. Groups with nobody at the previous stage are left out of that step.

    Examples
    --------
    >>> deals = pd.DataFrame({"stage": ["lead", "won", "won", "lead", "lead", "won"],
    ...                       "source": ["a", "a", "a", "b", "b", "b"]})
    >>> table = develop.funnel_table(deals, stages=["lead", "won"], by="source")
    >>> funnel_gaps(table, "source")
      stage lowest       low highest      high       gap
    0   won      b  0.333333       a  0.666667  0.333333
    """
    validate.require_columns(funnel, "funnel", ["conversion"])
    checked = validate.table(funnel, "funnel", {by: "key", "stage": "key", "overall": "number"})
    steps = checked.dropna(subset=["conversion"])
    if steps.empty:
        raise CRMDataError("funnel has no stage-to-stage conversions (all NaN). "
                           "Fix: pass the table of develop.funnel_table(..., by=...) with at least two stages.")
    rows = []
    for stage, step in steps.groupby("stage", observed=True, sort=True):
        low, high = step["conversion"].idxmin(), step["conversion"].idxmax()
        rows.append({"stage": stage, "lowest": step.at[low, by], "low": step.at[low, "conversion"],
                     "highest": step.at[high, by], "high": step.at[high, "conversion"]})
    table = pd.DataFrame(rows)
    return table.assign(gap=table["high"] - table["low"])


def funnel_summary(funnel: pd.DataFrame, by: str, label: str | None = None) -> str:
    """One sentence: which group ends best and worst, and at which step the groups differ most.

    >>> deals = pd.DataFrame({"stage": ["lead", "won", "won", "lead", "lead", "won"],
    ...                       "source": ["a", "a", "a", "b", "b", "b"]})
    >>> funnel_summary(develop.funnel_table(deals, stages=["lead", "won"], by="source"), "source")
    'By source: a ends best (67% of its leads won), b worst (33%). The groups differ most in the step into won: from 33% (b) to 67% (a).'
    """
    gaps = funnel_gaps(funnel, by)
    last = funnel[funnel["stage"] == funnel["stage"].iloc[-1]]
    best, worst = last.loc[last["overall"].idxmax()], last.loc[last["overall"].idxmin()]
    widest = gaps.loc[gaps["gap"].idxmax()]
    return (f"By {label or by}: {best[by]} ends best ({best['overall']:.0%} of its leads {best['stage']}), "
            f"{worst[by]} worst ({worst['overall']:.0%}). The groups differ most in the step into "
            f"{widest['stage']}: from {widest['low']:.0%} ({widest['lowest']}) to {widest['high']:.0%} ({widest['highest']}).")


def _figure_png(table: pd.DataFrame, by: str, label: str) -> bytes:
    """The two panels as PNG bytes, drawn on a bare Figure (no pyplot: nothing to leak or show twice)."""
    from matplotlib.figure import Figure


    gaps = funnel_gaps(table, by)
    order = list(table["stage"].cat.categories)
    x = np.arange(len(order))
    with chart_fonts():
        fig = Figure(figsize=(12, 4.4), layout="constrained")
        left, right = fig.subplots(1, 2)
        for name, one in table.groupby(by, observed=True, sort=True):
            left.plot(x, one["overall"].to_numpy() * 100, marker="o", label=str(name))
            right.plot(x[1:], one["conversion"].to_numpy()[1:] * 100, marker="o", label=str(name))
        widest = order.index(gaps.loc[gaps["gap"].idxmax(), "stage"])
        right.axvspan(widest - 0.4, widest + 0.4, color="#f4d03f", alpha=0.35, label="widest gap 差距最大")
        left.set(title=f"Share of leads reaching each stage, by {label}", xlabel="stage 阶段",
                 ylabel="% of the group's leads 占线索比例 (%)", ylim=(0, 105))
        right.set(title="Conversion from the previous stage 阶段转化率", xlabel="stage 阶段",
                  ylabel="% of the previous stage 占上一阶段 (%)", ylim=(0, 105))
        left.set_xticks(x, order, fontsize=8, rotation=30, ha="right")
        right.set_xticks(x[1:], order[1:], fontsize=8, rotation=30, ha="right")
        fig.legend(*right.get_legend_handles_labels(), title=label, loc="outside right center", fontsize=8)
        return png_bytes(fig)


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
    An ``ipywidgets.VBox`` with the buttons, a line of text and the chart. Its attributes
    ``grouping`` (the ToggleButtons; set its ``.value`` to a label), ``summary`` (an HTML
    widget with :func:`funnel_summary`), ``image`` (the chart, an ``ipywidgets.Image``) and
    ``funnel()`` (the funnel table shown now) make it easy to test.
    """
    import ipywidgets as widgets

    if not isinstance(groups, dict) or not groups:
        raise CRMDataError(f"groups must be a dict {{label: column}}, got {groups!r}. "
                           "Fix: pass e.g. groups={'lead source': 'source'}.")
    tables = {label: develop.funnel_table(deals, stage=stage, stages=stages, by=column) for label, column in groups.items()}
    grouping = widgets.ToggleButtons(options=list(groups), description="split by")
    summary = widgets.HTML()
    image = widgets.Image(format="png")

    def show(_change=None) -> None:
        label = grouping.value
        summary.value = f"<b>{funnel_summary(tables[label], groups[label], label)}</b>"
        image.value = _figure_png(tables[label], groups[label], label)

    show()
    grouping.observe(show, names="value")
    box = widgets.VBox([grouping, summary, image])
    box.grouping, box.summary, box.image = grouping, summary, image
    box.funnel = lambda: tables[grouping.value]
    return box
