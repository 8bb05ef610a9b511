"""Follow-up discipline: which deals were left without a touch, and what it cost.

* :func:`touch_gaps`: per deal, the number of touches, the days since the last one and the
  longest stretch without any (from the day the deal was opened to its close, or to ``as_of``
  for a deal still open);
* :func:`overdue_summary`: with a rule "touch every deal at least every N days", the open deals
  that are overdue now and the lost deals that once broke the rule;
* :func:`followup_explorer`: a slider for N that redraws both, for class.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib.develop import overdue_summary, touch_gaps
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["touch_gaps", "overdue_summary", "followup_explorer"]


def _pct(value: float) -> str:
    return "–" if np.isnan(value) else f"{value:.0%}"


def _summary_html(s: dict) -> str:
    value_share = s["overdue_value"] / s["open_value"] if s["open_value"] else float("nan")
    return (
        f"<b>Rule: touch every deal at least once every {s['days']} days.</b><br>"
        f"Open deals overdue now: <b>{s['overdue']} of {s['open_deals']}</b>, "
        f"worth <b>{s['overdue_value']:,.0f} CNY</b> ({_pct(value_share)} of the open pipeline).<br>"
        f"Lost deals that once went {s['days']}+ days without a touch: <b>{s['broke_rule']} of {s['lost_deals']}</b>. "
        f"Lost for 'lost contact': {_pct(s['reason_share_broke'])} of these, "
        f"{_pct(s['reason_share_kept'])} of the other lost deals."
    )


def _chart_png(gaps: pd.DataFrame, s: dict, opportunity: str, dpi: int = 80) -> bytes:
    """Two panels as PNG bytes: days since the last touch of each open deal; 'lost contact' share of lost deals."""
    from matplotlib.figure import Figure

    from crmlib.plots import installed_cjk_fonts

    cjk = installed_cjk_fonts()  # Chinese labels only where a font can draw them
    zh = (lambda text: " " + text) if cjk else (lambda text: "")
    with chart_fonts():
        fig = Figure(figsize=(10, 4.2), layout="constrained")
        _draw_panels(fig, gaps, s, opportunity, zh)
        return png_bytes(fig, dpi=dpi)


def _draw_panels(fig, gaps: pd.DataFrame, s: dict, opportunity: str, zh) -> None:
    left, right = fig.subplots(1, 2, width_ratios=[1.2, 1])
    open_deals = gaps[gaps["status"].eq("open").to_numpy()].sort_values("days_since_touch", kind="stable")
    late = open_deals["days_since_touch"].to_numpy() >= s["days"]
    left.barh(open_deals[opportunity].astype(str), open_deals["days_since_touch"],
              color=np.where(late, "#d62728", "#9e9e9e"))
    left.axvline(s["days"], ls="--", color="black", label=f"N = {s['days']} days")
    left.tick_params(axis="y", labelsize=7)
    left.legend(loc="lower right")
    left.set(title=f"Open deals: {s['overdue']} overdue (red)", xlabel="days since the last touch" + zh("距上次跟进天数"),
             ylabel="open deal" + zh("在谈机会"))
    labels = [f"went {s['days']}+ days\nwithout a touch", "never that long"]
    shares = [s["reason_share_broke"], s["reason_share_kept"]]
    counts = [s["broke_rule"], s["lost_deals"] - s["broke_rule"]]
    bars = right.bar(labels, np.nan_to_num(shares), color=["#d62728", "#9e9e9e"])
    right.bar_label(bars, labels=[f"{_pct(v)}\n({c} deals)" for v, c in zip(shares, counts)])
    right.set(title="Lost deals: share lost for 'lost contact'", ylabel="share of lost deals" + zh("失联占比"), ylim=(0, 1))


def followup_explorer(opportunities: pd.DataFrame, activities: pd.DataFrame, days: int = 14, as_of="2025-12-31",
                      max_days: int = 45, opportunity: str = "opportunity_id", show: int = 8):
    """A slider for N days: the open deals overdue under "touch every deal every N days", and the lost ones.

    The returned box has attributes ``slider`` (an IntSlider), ``summary`` (an HTML widget whose
    ``value`` is the text shown), ``chart`` (an Image), ``table`` (HTML: the largest overdue
    deals, at most ``show``) and ``gaps`` (the :func:`touch_gaps` table).

    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "created_date": ["2025-11-01", "2025-12-01"],
    ...                      "close_date": [None, "2025-12-20"], "status": ["open", "lost"],
    ...                      "amount": [500.0, 100.0], "lost_reason": [None, "lost contact"]})
    >>> acts = pd.DataFrame({"opportunity_id": ["O1", "O2"], "activity_date": ["2025-12-01", "2025-12-02"]})
    >>> box = followup_explorer(opps, acts, days=14)
    >>> "1 of 1" in box.summary.value
    True
    """
    import ipywidgets as widgets

    gaps = touch_gaps(opportunities, activities, as_of=as_of, opportunity=opportunity)
    overdue_summary(gaps, days)  # check the columns once, before building anything
    slider = widgets.IntSlider(value=days, min=1, max=max(max_days, days), step=1, description="N days",
                               continuous_update=False)
    summary = widgets.HTML()
    chart = widgets.Image(format="png")
    table = widgets.HTML()

    def redraw(_change=None):
        s = overdue_summary(gaps, int(slider.value))
        summary.value = _summary_html(s)
        chart.value = _chart_png(gaps, s, opportunity)
        columns = [c for c in (opportunity, "rep_id", "stage", "amount", "days_since_touch") if c in gaps.columns]
        top = s["overdue_table"][columns].head(show)
        more = s["overdue"] - len(top)
        table.value = ("<i>No open deal is overdue.</i>" if top.empty else
                       "<b>Largest overdue open deals</b>" + top.to_html(index=False, float_format="{:,.0f}".format)
                       + (f"<i>… and {more} more.</i>" if more > 0 else ""))

    redraw()
    slider.observe(redraw, names="value")
    box = widgets.VBox([slider, summary, chart, table])
    box.slider, box.summary, box.chart, box.table, box.gaps = slider, summary, chart, table, gaps
    return box
