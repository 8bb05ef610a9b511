"""Follow-up discipline: which deals were left without a touch, and what it cost.

* :func:`touch_gaps`: per deal, the number of touches, the days since the last one and the
  longest stretch without any (from the day the deal was opened to its close, or to ``as_of``
  for a deal still open);
* :func:`overdue_summary`: with a rule "touch every deal at least every N days", the open deals
  that are overdue now and the lost deals that once broke the rule;
* :func:`followup_explorer`: a slider for N that redraws both, for class.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError

__all__ = ["touch_gaps", "overdue_summary", "followup_explorer"]


def touch_gaps(opportunities: pd.DataFrame, activities: pd.DataFrame, as_of="2025-12-31",
               opportunity: str = "opportunity_id", opened: str = "created_date", close_date: str = "close_date",
               date: str = "activity_date") -> pd.DataFrame:
    """Per deal: how often it was touched, and the longest time nobody did.

    A deal's life runs from ``opened`` to ``close_date`` (or ``as_of`` while it is open). Its
    touches are the activities of the deal inside that span (calls, visits, e-mails alike).

    Returns
    -------
    The opportunities (a copy, same rows) with four more columns: ``touches``; ``last_touch``
    (NaT if never touched); ``days_since_touch`` = days from the last touch (or from the
    opening, if none) to the end of the deal's life; ``longest_gap`` = the longest stretch in
    days without a touch: opening to first touch, touch to touch, or last touch to the end.

    >>> opps = pd.DataFrame({"opportunity_id": ["O1", "O2"], "created_date": ["2025-12-01", "2025-12-20"],
    ...                      "close_date": ["2025-12-10", None]})
    >>> acts = pd.DataFrame({"opportunity_id": ["O1", "O1", None], "activity_date": ["2025-12-02", "2025-12-08", "2025-12-05"]})
    >>> touch_gaps(opps, acts)[["opportunity_id", "touches", "days_since_touch", "longest_gap"]]
      opportunity_id  touches  days_since_touch  longest_gap
    0             O1        2                 2            6
    1             O2        0                11           11
    """
    end_default = validate.date(as_of, "as_of")
    validate.require_columns(opportunities, "opportunities", [opportunity, opened, close_date])
    deals = validate.table(opportunities, "opportunities", {opportunity: "key", opened: "date"}, unique_key=opportunity)
    start_day = validate.day_numbers(deals[opened])
    closed = deals[close_date].notna().to_numpy()
    end_day = np.full(len(deals), validate.day_number(end_default, "as_of"), dtype=np.int64)
    if closed.any():
        closes = validate.table(deals[closed], "opportunities", {close_date: "date"})
        end_day[closed] = validate.day_numbers(closes[close_date])
    if (end_day < start_day).any():
        raise validate.rows_error("opportunities", close_date, deals.index[end_day < start_day],
                                  problem=f"before '{opened}' (or {end_default.date()} is before the opening of an open deal)",
                                  fix="correct the dates, or pass a later as_of")
    validate.require_columns(activities, "activities", [opportunity, date])
    acts = activities[activities[opportunity].isin(deals[opportunity])]
    acts = validate.table(acts, "activities", {date: "date"}, allow_empty=True)
    row = pd.Index(deals[opportunity]).get_indexer(acts[opportunity])
    day = validate.day_numbers(acts[date]) if len(acts) else np.zeros(0, dtype=np.int64)
    inside = (day >= start_day[row]) & (day <= end_day[row])
    row, day = row[inside], day[inside]
    n = len(deals)
    # The points of each deal's life: opening, every touch, end; the gaps lie between neighbours.
    points = pd.DataFrame({"row": np.r_[np.arange(n), row, np.arange(n)],
                           "day": np.r_[start_day, day, end_day]}).sort_values(["row", "day"], kind="stable")
    gaps = points.groupby("row")["day"].diff()
    longest = gaps.groupby(points["row"]).max().reindex(range(n)).fillna(0)
    touches = np.bincount(row, minlength=n)
    last = pd.Series(day).groupby(row).max().reindex(range(n)).to_numpy(dtype="float64")
    since = end_day - np.where(np.isnan(last), start_day, last)
    last_touch = pd.to_datetime(pd.Series(last), unit="D").to_numpy()
    return deals.assign(touches=touches.astype(np.int64), last_touch=last_touch,
                        days_since_touch=since.astype(np.int64), longest_gap=longest.to_numpy().astype(np.int64))


def overdue_summary(gaps: pd.DataFrame, days: int, status: str = "status", amount: str = "amount",
                    lost_reason: str = "lost_reason", reason: str = "lost contact") -> dict:
    """What the rule "touch every deal at least every ``days`` days" finds in a :func:`touch_gaps` table.

    Returns a dict: ``open_deals``, ``overdue`` (open deals whose last touch is ``days`` or more
    ago), ``overdue_value`` and ``open_value`` (their amounts); ``lost_deals``, ``broke_rule``
    (lost deals whose longest gap reached ``days``), ``reason_share_broke`` and
    ``reason_share_kept`` (share lost for ``reason`` among those that broke / kept the rule,
    NaN for an empty group); and ``overdue_table`` (the overdue open deals, largest first).

    >>> gaps = pd.DataFrame({"status": ["open", "open", "lost", "lost"], "amount": [100.0, 50.0, 10.0, 20.0],
    ...                      "lost_reason": [None, None, "lost contact", "price too high"],
    ...                      "days_since_touch": [20, 3, 1, 2], "longest_gap": [20, 9, 30, 5]})
    >>> s = overdue_summary(gaps, 14)
    >>> s["overdue"], s["overdue_value"], s["broke_rule"], s["reason_share_broke"], s["reason_share_kept"]
    (1, 100.0, 1, 1.0, 0.0)
    """
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise CRMDataError(f"days must be a whole number of days >= 1, got {days!r}. Fix: pass e.g. days=14.")
    checked = validate.table(gaps, "gaps", {status: "key", amount: "money", "days_since_touch": "count", "longest_gap": "count"})
    validate.require_columns(gaps, "gaps", [lost_reason])
    is_open = checked[status].eq("open").to_numpy()
    is_lost = checked[status].eq("lost").to_numpy()
    overdue = is_open & (checked["days_since_touch"].to_numpy() >= days)
    broke = checked["longest_gap"].to_numpy() >= days
    for_reason = checked[lost_reason].eq(reason).to_numpy()

    def share(mask):
        return float(for_reason[mask].mean()) if mask.any() else float("nan")

    return {
        "days": int(days),
        "open_deals": int(is_open.sum()),
        "open_value": float(checked.loc[is_open, amount].sum()),
        "overdue": int(overdue.sum()),
        "overdue_value": float(checked.loc[overdue, amount].sum()),
        "lost_deals": int(is_lost.sum()),
        "broke_rule": int((is_lost & broke).sum()),
        "reason_share_broke": share(is_lost & broke),
        "reason_share_kept": share(is_lost & ~broke),
        "overdue_table": checked[overdue].sort_values(amount, ascending=False, kind="stable"),
    }


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
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from crmlib.plots import installed_cjk_fonts

    cjk = installed_cjk_fonts()  # Chinese labels only where a font can draw them
    zh = (lambda text: " " + text) if cjk else (lambda text: "")
    with mpl.rc_context({"font.family": ["DejaVu Sans", *cjk]} if cjk else {}):
        fig = Figure(figsize=(10, 4.2), layout="constrained")
        _draw_panels(fig, gaps, s, opportunity, zh)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


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
