"""Budget allocation explorer: spread a fixed marketing budget over customer segments.

A deliberately simple model, every assumption in the open:

* each segment has ``customers`` and an ``expected_spend`` per customer over the campaign
  period (measured from the data, e.g. what the segment's customers spent in the 90 days after
  an as-of date);
* reaching one customer costs ``cost_per_customer`` CNY (message, voucher, staff time), and a
  segment cannot be reached more than once, so its budget is capped at customers x cost;
* a reached customer spends ``lift`` (e.g. 10 %) more than expected: the *extra revenue*.

Three ways to split the budget (:func:`allocate_budget`):

* ``"equal"``: the same amount per customer, so every segment gets its head-count share;
* ``"return"``: in proportion to each segment's expected extra revenue
  (customers x expected_spend x lift);
* ``"best_first"``: the segment with the highest expected spend per customer (so the highest
  return per CNY) is reached in full first, then the next, until the money runs out.

Money a capped segment cannot use goes to the others in the same proportions; money nobody
can use stays unspent. :func:`budget_explorer` is the class widget (sliders for the budget and
the lift).
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import png_bytes

__all__ = ["METHODS", "allocate_budget", "compare_allocations", "budget_explorer"]

#: The allocation methods: name -> label shown in tables and charts.
METHODS = {"equal": "equal per customer 平均分配", "return": "by expected return 按预期回报",
           "best_first": "best segments first 优先最佳"}


def _segments(segments: pd.DataFrame) -> pd.DataFrame:
    return validate.table(segments, "segments", {"segment": "key", "customers": "count", "expected_spend": "money"},
                          unique_key="segment")


def _fill(weights: np.ndarray, caps: np.ndarray, budget: float) -> np.ndarray:
    """Share ``budget`` in proportion to ``weights``, no segment above its cap (water-filling)."""
    alloc = np.zeros(len(weights))
    room = (weights > 0) & (caps > 0)
    left = budget
    while left > 1e-9 and room.any():
        share = np.where(room, weights, 0.0) / weights[room].sum() * left
        full = room & (alloc + share >= caps - 1e-9)
        if not full.any():
            return alloc + share
        left -= float((caps[full] - alloc[full]).sum())
        alloc[full] = caps[full]
        room &= ~full
    return alloc


def allocate_budget(segments: pd.DataFrame, budget: float, lift: float, cost_per_customer: float,
                    method: str = "return") -> pd.DataFrame:
    """Split ``budget`` over segments and compute the extra revenue it is expected to bring.

    Parameters
    ----------
    segments : one row per segment with ``segment``, ``customers`` and ``expected_spend``
        (expected spend per customer over the campaign period, CNY).
    budget : the marketing budget, CNY.
    lift : extra spend of a reached customer, as a share of their expected spend (0.1 = +10 %).
    cost_per_customer : what reaching one customer costs, CNY.
    method : ``"equal"`` (same amount per customer), ``"return"`` (in proportion to each
        segment's expected extra revenue) or ``"best_first"`` (fill the segments in order of
        expected spend per customer, best first; equal spends keep their row order).

    Returns
    -------
    A copy of ``segments`` with ``budget`` (CNY given to the segment), ``reached`` (customers
    reached = budget / cost, an expected count so it may have decimals) and ``extra_revenue``
    (reached x expected_spend x lift).

    >>> segs = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90],
    ...                      "expected_spend": [500.0, 50.0]})
    >>> allocate_budget(segs, budget=1000, lift=0.1, cost_per_customer=20, method="equal")
      segment  customers  expected_spend  budget  reached  extra_revenue
    0     big         10           500.0   100.0      5.0          250.0
    1   small         90            50.0   900.0     45.0          225.0
    >>> allocate_budget(segs, budget=1000, lift=0.1, cost_per_customer=20, method="return")
      segment  customers  expected_spend  budget  reached  extra_revenue
    0     big         10           500.0   200.0     10.0          500.0
    1   small         90            50.0   800.0     40.0          200.0
    >>> allocate_budget(segs, budget=300, lift=0.1, cost_per_customer=20, method="best_first")["budget"].tolist()
    [200.0, 100.0]
    """
    checked = _segments(segments)
    money = validate.positive_number(budget, "budget", inclusive=True)
    rate = validate.positive_number(lift, "lift", inclusive=True)
    cost = validate.positive_number(cost_per_customer, "cost_per_customer")
    validate.one_of(method, "method", list(METHODS))
    customers = checked["customers"].to_numpy(dtype="float64")
    spend = checked["expected_spend"].to_numpy(dtype="float64")
    caps = customers * cost
    if method == "best_first":
        given = np.zeros(len(caps))
        left = money
        for i in np.argsort(-spend, kind="stable"):
            given[i] = min(caps[i], left) if spend[i] > 0 else 0.0
            left -= given[i]
    else:
        given = _fill(customers if method == "equal" else customers * spend, caps, money)
    reached = given / cost
    return segments.assign(budget=given, reached=reached, extra_revenue=reached * spend * rate)


def compare_allocations(segments: pd.DataFrame, budget: float, lift: float, cost_per_customer: float,
                        margin_rate: float | None = None) -> pd.DataFrame:
    """Totals of the three methods side by side, one row per method.

    Columns: ``budget_spent``, ``reached``, ``extra_revenue`` and ``revenue_per_cny``
    (extra revenue per CNY spent); with ``margin_rate`` (gross margin / revenue) also
    ``extra_margin`` and ``margin_per_cny``; a campaign pays for itself only if
    ``margin_per_cny`` >= 1.

    >>> segs = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90],
    ...                      "expected_spend": [500.0, 50.0]})
    >>> compare_allocations(segs, 1000, 0.1, 20)
                budget_spent  reached  extra_revenue  revenue_per_cny
    method
    equal             1000.0     50.0          475.0            0.475
    return            1000.0     50.0          700.0            0.700
    best_first        1000.0     50.0          700.0            0.700
    """
    rows = {}
    for method in METHODS:
        plan = allocate_budget(segments, budget, lift, cost_per_customer, method)
        spent = float(plan["budget"].sum())
        extra = float(plan["extra_revenue"].sum())
        rows[method] = {"budget_spent": spent, "reached": float(plan["reached"].sum()), "extra_revenue": extra,
                        "revenue_per_cny": extra / spent if spent > 0 else np.nan}
        if margin_rate is not None:
            rate = validate.share(margin_rate, "margin_rate")
            rows[method].update(extra_margin=extra * rate, margin_per_cny=extra * rate / spent if spent > 0 else np.nan)
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("method")


def _summary_text(totals: pd.DataFrame, budget: float, lift: float) -> str:
    short = {"equal": "equal per customer", "return": "by expected return", "best_first": "best first"}
    extra = " · ".join(f"{short[m]} <b>{totals.loc[m, 'extra_revenue']:,.0f}</b>" for m in totals.index)
    text = f"Budget {budget:,.0f} CNY, lift {lift:.0%}. Expected extra revenue (CNY): {extra}."
    if "margin_per_cny" in totals:
        margin = " · ".join(f"{short[m]} {totals.loc[m, 'margin_per_cny']:.2f}" for m in totals.index)
        text += f"<br>Extra gross margin per CNY of budget: {margin}. Below 1.00 the campaign does not pay for itself."
    unspent = budget - totals["budget_spent"].max()
    if unspent > 0.5:
        text += f"<br>{unspent:,.0f} CNY stay unspent: every customer is already reached."
    return text


def _chart_png(plans: dict[str, pd.DataFrame], title: str) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 3.9), dpi=100)
    axes = fig.subplots(1, 2)
    first = next(iter(plans.values()))
    x = np.arange(len(first))
    colours = {"equal": "#4C72B0", "return": "#DD8452", "best_first": "#55A868"}  # as crmlib.plots
    width = 0.8 / len(plans)
    for k, (method, plan) in enumerate(plans.items()):
        offset = (k - (len(plans) - 1) / 2) * width
        axes[0].bar(x + offset, plan["budget"] / 1000, width=width, color=colours[method], label=METHODS[method])
        axes[1].bar(x + offset, plan["extra_revenue"] / 1000, width=width, color=colours[method], label=METHODS[method])
    for ax in axes:
        ax.set_xticks(x, first["segment"].astype(str))
        ax.set(xlabel="segment 客户层级", ylabel="thousand CNY 千元")
    short = {"equal": "equal", "return": "by return", "best_first": "best first"}
    totals = " · ".join(f"{short[m]} {plan['extra_revenue'].sum() / 1000:,.1f}k" for m, plan in plans.items())
    axes[0].set_title("Budget given 预算")
    axes[1].set_title(f"Expected extra revenue 预期增量收入\n{totals}", fontsize=10)
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return png_bytes(fig)


def budget_explorer(segments: pd.DataFrame, budget: float = 200_000, lift: float = 0.10,
                    cost_per_customer: float = 50, margin_rate: float | None = None,
                    title: str = "Budget allocation 预算分配"):
    """Sliders for the budget and the assumed lift; the three allocations redrawn as they move.

    Parameters
    ----------
    segments : as for :func:`allocate_budget`.
    budget, lift : starting values of the two sliders (CNY; share, 0.1 = +10 %).
    cost_per_customer : CNY to reach one customer (fixed).
    margin_rate : gross margin / revenue; if given, the summary says whether the campaign pays.
    title : the chart's title.

    Returns
    -------
    ``ipywidgets.VBox`` with the two sliders, a summary line and a chart of budget and extra
    revenue per segment under each method. It carries ``.budget`` and ``.lift`` (the sliders),
    ``.summary`` (the HTML line), ``.plans`` (``{method: allocate_budget(...)}``) and ``.totals``
    (:func:`compare_allocations`), updated whenever a slider moves.
    """
    import ipywidgets as widgets

    from crmlib.plots import use_cjk_font

    checked = _segments(segments)
    if checked["customers"].sum() == 0:
        raise CRMDataError("segments: every segment has 0 customers. Fix: pass the segments' head counts.")
    cost = validate.positive_number(cost_per_customer, "cost_per_customer")
    use_cjk_font()
    style = {"description_width": "110px"}
    layout = widgets.Layout(width="520px")
    top = max(1_000_000, int(budget))
    budget_slider = widgets.IntSlider(value=int(budget), min=5_000, max=top, step=5_000, description="budget (CNY)",
                                      style=style, layout=layout)
    lift_slider = widgets.FloatSlider(value=float(lift), min=0.0, max=0.5, step=0.01, description="assumed lift",
                                      readout_format=".0%", style=style, layout=layout)
    summary = widgets.HTML()
    chart = widgets.Image(format="png", layout=widgets.Layout(width="880px"))
    box = widgets.VBox([budget_slider, lift_slider, summary, chart])

    def redraw(_change=None) -> None:
        money, rate = budget_slider.value, lift_slider.value
        box.plans = {m: allocate_budget(checked, money, rate, cost, m) for m in METHODS}
        box.totals = compare_allocations(checked, money, rate, cost, margin_rate)
        summary.value = _summary_text(box.totals, money, rate)
        chart.value = _chart_png(box.plans, title)

    budget_slider.observe(redraw, names="value")
    lift_slider.observe(redraw, names="value")
    box.budget, box.lift, box.summary, box.chart = budget_slider, lift_slider, summary, chart
    redraw()
    return box
