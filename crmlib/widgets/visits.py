"""Where does one more visit stop paying? (chapter 2, the "three visits" notebook)

A visit costs money; it pays if it raises the chance of winning enough. If a deal with k
visits is won with probability w(k), the (k+1)-th visit is worth, on average::

    gain of visit k+1 = (w(k+1) − w(k)) × deal size

and it pays when that gain is above the cost of the visit. Over a whole deal, the expected
net value of planning k visits is ``w(k) × deal size − k × cost per visit`` (expected sales
minus what the visits cost); the best number of visits is where that peaks, and every visit
beyond it loses money on average.

* :func:`visit_value_table`: the gain, cost and expected net value of each number of visits;
* :func:`best_visit_count`: the number of visits where the expected net value peaks;
* :func:`visit_summary`: that in one sentence;
* :func:`visit_explorer`: two sliders (deal size, cost per visit) and the chart, for class.

The win rates w(k) come from :func:`crmlib.develop.win_rate_by_touches`. They describe deals
that *had* k visits; reading them as "what one more visit would do" assumes the visits cause
the wins, which the notebook discusses.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["visit_value_table", "best_visit_count", "visit_summary", "visit_explorer"]


def visit_value_table(win_rates: pd.DataFrame, deal_size: float, cost_per_visit: float,
                      touches: str = "touches", win_rate: str = "win_rate") -> pd.DataFrame:
    """Expected gain, cost and net value of each number of visits.

    Parameters
    ----------
    win_rates : one row per number of visits, e.g. the table of
        :func:`crmlib.develop.win_rate_by_touches`; ``touches`` whole numbers, ``win_rate``
        shares between 0 and 1.
    deal_size : what a won deal brings (CNY).
    cost_per_visit : what one visit costs (CNY).

    Returns
    -------
    One row per number of visits, fewest first: ``visits``, ``win_rate``, ``gain`` = (win
    rate here − win rate at the previous row) × deal size, the expected value this visit adds
    (NaN in the first row), ``cost`` = cost per visit (NaN in the first row), ``pays`` = gain >
    cost, and ``net_value`` = win rate × deal size − visits × cost per visit.

    Examples
    --------
    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> visit_value_table(rates, deal_size=10_000, cost_per_visit=500)
       visits  win_rate    gain   cost   pays  net_value
    0       0      0.00     NaN    NaN  False        0.0
    1       1      0.10  1000.0  500.0   True      500.0
    2       2      0.40  3000.0  500.0   True     3000.0
    3       3      0.42   200.0  500.0  False     2700.0
    """
    checked = validate.table(win_rates, "win_rates", {touches: "count", win_rate: "number"}, unique_key=touches)
    deal = validate.positive_number(deal_size, "deal_size")
    cost = validate.positive_number(cost_per_visit, "cost_per_visit", inclusive=True)
    rates = checked[win_rate].to_numpy(dtype="float64")
    if ((rates < 0) | (rates > 1)).any():
        bad = checked.index[(rates < 0) | (rates > 1)]
        raise validate.rows_error("win_rates", win_rate, bad, noun="value", problem="outside 0–1",
                                  fix="pass win rates as shares, e.g. 0.42 for 42%")
    ordered = checked.sort_values(touches, kind="stable")
    visits = ordered[touches].to_numpy(dtype=np.int64)
    rate = ordered[win_rate].to_numpy(dtype="float64")
    gain = np.r_[np.nan, np.diff(rate) * deal]
    cost_column = np.r_[np.nan, np.full(len(rate) - 1, cost)]
    return pd.DataFrame({
        "visits": visits,
        "win_rate": rate,
        "gain": gain,
        "cost": cost_column,
        "pays": np.nan_to_num(gain, nan=-np.inf) > cost_column,
        "net_value": rate * deal - visits * cost,
    })


def best_visit_count(table: pd.DataFrame) -> int:
    """The number of visits with the highest expected net value (the fewest, if tied).

    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> best_visit_count(visit_value_table(rates, deal_size=10_000, cost_per_visit=500))
    2
    """
    checked = validate.table(table, "table", {"visits": "count", "net_value": "number"})
    return int(checked["visits"].iloc[int(np.argmax(checked["net_value"].to_numpy()))])


def visit_summary(table: pd.DataFrame, pooled_last: bool = False) -> str:
    """One sentence: where the expected net value peaks and what the next visit would add and cost.

    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> visit_summary(visit_value_table(rates, deal_size=10_000, cost_per_visit=500))
    'Expected net value peaks at 2 visits (3,000 CNY per deal). The next visit (to 3) would add 200 CNY of expected sales and cost 500 CNY.'
    """
    best = best_visit_count(table)
    ordered = table.sort_values("visits", kind="stable").reset_index(drop=True)
    at = int(np.flatnonzero(ordered["visits"].to_numpy() == best)[0])
    last = len(ordered) - 1
    name = (lambda i: f"{ordered['visits'].iloc[i]}+" if pooled_last and i == last else f"{ordered['visits'].iloc[i]}")
    text = f"Expected net value peaks at {name(at)} visits ({ordered['net_value'].iloc[at]:,.0f} CNY per deal)."
    if at == last:
        return text + " Even the last visit in the data still pays for itself."
    gain, cost = ordered["gain"].iloc[at + 1], ordered["cost"].iloc[at + 1]
    adds = f"would add {gain:,.0f} CNY of expected sales" if gain >= 0 else "would add nothing (the win rate is lower there)"
    return text + f" The next visit (to {name(at + 1)}) {adds} and cost {cost:,.0f} CNY."


def _figure_png(table: pd.DataFrame, cost_per_visit: float, pooled_last: bool) -> bytes:
    """The two panels as PNG bytes, drawn on a bare Figure (no pyplot: nothing to leak or show twice)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter


    best = best_visit_count(table)
    ticks = [f"{k}+" if pooled_last and i == len(table) - 1 else f"{k}" for i, k in enumerate(table["visits"])]
    with chart_fonts():
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        steps = table.iloc[1:]
        colours = np.where(steps["pays"], "#4c956c", "#bbbbbb")
        left.bar(range(1, len(table)), steps["gain"], color=colours, label="expected gain of this visit 增加的预期收益")
        left.axhline(cost_per_visit, ls="--", color="#c0392b", label="cost of a visit 拜访成本")
        left.axhline(0, color="black", lw=0.8)
        left.set_xticks(range(1, len(table)), ticks[1:])
        left.set(title="What each extra visit adds 每多一次拜访的价值", xlabel="visit number 第几次拜访",
                 ylabel="CNY per deal 元/单")
        top = max(float(np.nanmax(steps["gain"])) if len(steps) else 0.0, cost_per_visit, 1.0)
        bottom = min(float(np.nanmin(steps["gain"])) if len(steps) else 0.0, 0.0)
        left.set_ylim(bottom * 1.15, top * 1.35)  # headroom for the legend above the bars and the line
        left.legend(loc="upper left", fontsize=8)
        at = int(np.flatnonzero(table["visits"].to_numpy() == best)[0])
        right.plot(range(len(table)), table["net_value"], marker="o", color="#4a6fa5")
        right.plot([at], [table["net_value"].iloc[at]], marker="*", markersize=16, color="#c0392b", linestyle="none",
                   label=f"peak: {ticks[at]} visits 最优拜访次数")
        right.axhline(0, color="black", lw=0.8)
        right.set_xticks(range(len(table)), ticks)
        right.set(title="Expected net value per deal 每单预期净值", xlabel="visits planned 计划拜访次数",
                  ylabel="win rate × deal − visits × cost (CNY)")
        right.legend(loc="best", fontsize=8)
        for ax in (left, right):
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        return png_bytes(fig)


def visit_explorer(win_rates: pd.DataFrame, deal_size: float, cost_per_visit: float = 1000.0,
                   pooled_last: bool = False, max_deal: float | None = None, max_cost: float | None = None):
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
    An ``ipywidgets.VBox`` with the two sliders, a line of text and the chart. Its attributes
    ``deal_slider``, ``cost_slider`` (set their ``.value`` to move them), ``summary`` (an HTML
    widget with :func:`visit_summary`), ``image`` (the chart, an ``ipywidgets.Image``) and
    ``table()`` (the :func:`visit_value_table` shown now) make it easy to test.
    """
    import ipywidgets as widgets

    visit_value_table(win_rates, deal_size, cost_per_visit)  # fail early, with a clear message
    deal0, cost0 = int(round(deal_size, -3)), int(round(cost_per_visit, -2))
    max_deal = int(max_deal or max(3 * deal0, 1000))
    max_cost = int(max_cost or max(3 * cost0, 1000))
    if not (1000 <= deal0 <= max_deal and cost0 <= max_cost):
        raise CRMDataError(f"visit_explorer: the deal size must be 1,000–{max_deal:,} and the cost per visit at most "
                           f"{max_cost:,}, got {deal_size!r} and {cost_per_visit!r}. "
                           "Fix: raise max_deal / max_cost or change the starting value.")
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="520px")
    deal_slider = widgets.IntSlider(value=deal0, min=1000, max=max_deal, step=1000, description="deal size (CNY)",
                                    style=style, layout=layout, continuous_update=False)
    cost_slider = widgets.IntSlider(value=cost0, min=0, max=max_cost, step=100, description="cost per visit (CNY)",
                                    style=style, layout=layout, continuous_update=False)
    summary = widgets.HTML()
    image = widgets.Image(format="png")

    def current() -> pd.DataFrame:
        return visit_value_table(win_rates, deal_slider.value, cost_slider.value)

    def show(_change=None) -> None:
        table = current()
        summary.value = f"<b>{visit_summary(table, pooled_last=pooled_last)}</b>"
        image.value = _figure_png(table, cost_slider.value, pooled_last)

    show()
    deal_slider.observe(show, names="value")
    cost_slider.observe(show, names="value")
    box = widgets.VBox([deal_slider, cost_slider, summary, image])
    box.deal_slider, box.cost_slider, box.summary, box.image = deal_slider, cost_slider, summary, image
    box.table = current
    return box
