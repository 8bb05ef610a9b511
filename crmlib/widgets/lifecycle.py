"""Customer life-cycle stages at a date (chapter 5, the loyalty programmes and life-cycle notebook).

:func:`lifecycle_explorer`: an as-of month slider and three threshold sliders; the counts per
stage come from :func:`crmlib.loyalty.stage_counts` (rules in
:func:`~crmlib.loyalty.lifecycle_stages`), the chart from :func:`crmlib.plots.lifecycle_plot`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import loyalty, plots, validate
from crmlib.messages import get_language
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["lifecycle_explorer"]


def _summary(counts: pd.DataFrame, as_of: pd.Timestamp, rules: dict) -> str:
    total = counts.sum()
    n = int(total.sum())
    chinese = get_language() == "zh"  # a stage's Chinese name alone, else both names
    shares = " · ".join(
        f"{loyalty.LIFECYCLE_STAGES_ZH[s] if chinese else s + ' ' + loyalty.LIFECYCLE_STAGES_ZH[s]} "
        f"{int(total[s]):,} ({total[s] / n:.0%})"
        for s in loyalty.LIFECYCLE_STAGES
    )
    return _(
        "As of <b>{date}</b>: new = first purchase in the last {new} days; active = last purchase "
        "under {active} days ago; cooling = under {cooling}; lapsed = under {lapsed}; lost = longer.<br>"
        "{n} customers: {shares}"
    ).format(
        date=as_of.date(),
        new=rules["new_days"],
        active=rules["active_days"],
        cooling=rules["cooling_days"],
        lapsed=rules["lapsed_days"],
        n=f"{n:,}",
        shares=shares,
    )


def lifecycle_explorer(
    orders: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "order_date",
    by: str | None = None,
    names: dict | pd.Series | None = None,
    as_of=None,
    title: str | None = None,
    **rules,
):
    """An as-of month slider and three threshold sliders over the life-cycle stages.

    Parameters
    ----------
    orders : one row per order.
    customer, date, by : column names (``by``, e.g. the brand, gives one bar per group).
    names : display names of the ``by`` groups (dict or Series).
    as_of : the starting as-of date, rounded to a month end; default the last month end in the data.
    title : the chart's title, followed by the as-of date; default "Customers by life-cycle stage
        客户生命周期阶段" (Chinese alone after ``crmlib.set_language("zh")``).
    rules : starting thresholds (see :func:`crmlib.loyalty.lifecycle_stages`); ``new_days`` stays fixed.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``as_of``, ``active_days``,
    ``cooling_days`` and ``lapsed_days``; ``state["counts"]`` is the current
    :func:`~crmlib.loyalty.stage_counts`. Thresholds that do not rise leave the chart as it was
    and say so.
    """
    import ipywidgets as widgets

    start = {**loyalty.LIFECYCLE_RULES, **rules}
    days = loyalty.purchase_days(orders, customer, date, by)
    if days.empty:
        raise CRMDataError(_("orders has no rows. Fix: pass a non-empty orders table."))
    group = None if by is None else "group"
    loyalty.stage_counts(
        days, days["day"].max(), customer="customer", date="day", by=group, **start
    )  # checks the rules
    month_ends = pd.date_range(days["day"].min(), days["day"].max() + pd.offsets.MonthEnd(0), freq="ME")
    month_ends = month_ends[month_ends <= days["day"].max() + pd.Timedelta(days=1)]
    if len(month_ends) == 0:
        month_ends = pd.DatetimeIndex([days["day"].max()])
    first = (
        month_ends[-1] if as_of is None else month_ends[np.argmin(np.abs(month_ends - validate.date(as_of, "as_of")))]
    )
    labels = {} if names is None else dict(names)
    style = {"description_width": "200px"}
    layout = widgets.Layout(width="560px")

    def days_slider(name: str, low: int, high: int, step: int, label: str):
        return widgets.IntSlider(
            value=int(start[name]), min=low, max=high, step=step, description=label, style=style, layout=layout
        )

    controls = {
        "as_of": widgets.SelectionSlider(
            options=[(d.strftime("%Y-%m-%d"), d) for d in month_ends],
            value=first,
            description=_("as-of date (month end)"),
            style=style,
            layout=layout,
            continuous_update=False,
        ),
        "active_days": days_slider("active_days", 7, 120, 1, _("active: bought < N days ago")),
        "cooling_days": days_slider("cooling_days", 14, 240, 1, _("cooling: bought < N days ago")),
        "lapsed_days": days_slider("lapsed_days", 30, 450, 5, _("lapsed: bought < N days ago")),
    }
    shown: dict = {}
    heading = _("Customers by life-cycle stage 客户生命周期阶段") if title is None else title

    def render(as_of, active_days: int, cooling_days: int, lapsed_days: int) -> View:
        from matplotlib.figure import Figure

        now = dict(start, active_days=active_days, cooling_days=cooling_days, lapsed_days=lapsed_days)
        if not active_days < cooling_days < lapsed_days:
            return View(
                _(
                    "<b>The thresholds must rise</b>: active ({active}) &lt; cooling ({cooling}) "
                    "&lt; lapsed ({lapsed}) days. Move a slider back."
                ).format(active=active_days, cooling=cooling_days, lapsed=lapsed_days),
                shown.get("figure"),
                state=shown,
            )
        counts = loyalty.stage_counts(days, as_of, customer="customer", date="day", by=group, **now).rename_axis(
            index=by
        )
        fig = Figure(figsize=(9.0, 1.6 + 0.6 * len(counts)), dpi=100, layout="constrained")
        plots.lifecycle_plot(
            counts,
            names=labels,
            title=_("{title}, {date}").format(title=heading, date=as_of.date()),
            ax=fig.add_subplot(),
        )
        shown.clear()
        shown.update(counts=counts, figure=fig)
        return View(_summary(counts, as_of, now), fig, state={"counts": counts})

    return explorer(controls, render, image_width="760px")
