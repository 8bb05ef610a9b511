"""RFM cut-offs explorer: move the thresholds of the eight-type RFM model and watch the groups change.

Quintile scores (:func:`crmlib.identify.rfm_scores`) always split customers into equal fifths.
Many firms (and many Chinese textbooks) use a simpler model instead: each of R, F and M is
called *high* or *low* against one threshold, which gives 2 x 2 x 2 = 8 customer types
(重要价值客户, 重要发展客户, …). The thresholds are a business choice, and moving them moves
customers between types. :func:`rfm_explorer` lets an instructor show that with three sliders.

* :func:`threshold_types`: each customer's type, for given thresholds;
* :func:`threshold_summary`: customers and revenue per type;
* :func:`rfm_explorer`: the widget (sliders, a one-line summary, a bar chart).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import png_bytes

__all__ = ["RFM_TYPES", "threshold_types", "threshold_summary", "default_thresholds", "rfm_explorer"]

#: The eight types, best first: (recent?, frequent?, high spend?) -> (English name, 中文).
RFM_TYPES = {
    (True, True, True): ("important value", "重要价值客户"),
    (True, False, True): ("important development", "重要发展客户"),
    (False, True, True): ("important retention", "重要保持客户"),
    (False, False, True): ("important win-back", "重要挽留客户"),
    (True, True, False): ("general value", "一般价值客户"),
    (True, False, False): ("general development", "一般发展客户"),
    (False, True, False): ("general retention", "一般保持客户"),
    (False, False, False): ("general win-back", "一般挽留客户"),
}
_NAMES = [en for en, _ in RFM_TYPES.values()]
_ZH = dict(RFM_TYPES.values())


def _checked(rfm: pd.DataFrame) -> pd.DataFrame:
    return validate.table(rfm, "rfm", {"recency": "number", "frequency": "number", "monetary": "number"})


def _thresholds(recent_days, min_orders, min_spend) -> tuple[float, float, float]:
    return (validate.positive_number(recent_days, "recent_days"),
            validate.positive_number(min_orders, "min_orders"),
            validate.positive_number(min_spend, "min_spend", inclusive=True))


def threshold_types(rfm: pd.DataFrame, recent_days: float, min_orders: float, min_spend: float) -> pd.Series:
    """Each customer's type in the eight-type RFM model.

    A customer is *recent* if ``recency <= recent_days``, *frequent* if ``frequency >= min_orders``
    and *high spend* if ``monetary >= min_spend``; the three yes/no answers pick one of
    :data:`RFM_TYPES`.

    Parameters
    ----------
    rfm : the output of :func:`crmlib.identify.rfm_table` (columns recency, frequency, monetary).
    recent_days, min_orders, min_spend : the three thresholds.

    Returns
    -------
    A categorical Series (same index as ``rfm``) whose levels are the eight English names, best first.

    >>> rfm = pd.DataFrame({"recency": [10, 10, 300, 300], "frequency": [5, 1, 5, 1],
    ...                     "monetary": [500.0, 20.0, 400.0, 30.0]})
    >>> threshold_types(rfm, recent_days=90, min_orders=3, min_spend=100).tolist()
    ['important value', 'general development', 'important retention', 'general win-back']
    """
    checked = _checked(rfm)
    days, orders, spend = _thresholds(recent_days, min_orders, min_spend)
    recent = (checked["recency"] <= days).to_numpy()
    frequent = (checked["frequency"] >= orders).to_numpy()
    high = (checked["monetary"] >= spend).to_numpy()
    keys = zip(recent.tolist(), frequent.tolist(), high.tolist())
    names = np.array([RFM_TYPES[key][0] for key in keys], dtype=object)
    return pd.Series(pd.Categorical(names, categories=_NAMES), index=rfm.index, name="rfm_type")


def threshold_summary(rfm: pd.DataFrame, recent_days: float, min_orders: float, min_spend: float) -> pd.DataFrame:
    """Customers and revenue of each of the eight types (all eight rows, empty ones included).

    Returns
    -------
    DataFrame with ``rfm_type``, ``中文``, ``customers``, ``customer_share``, ``revenue``
    (total ``monetary``) and ``revenue_share``.

    >>> rfm = pd.DataFrame({"recency": [10, 10, 300, 300], "frequency": [5, 1, 5, 1],
    ...                     "monetary": [500.0, 20.0, 400.0, 80.0]})
    >>> threshold_summary(rfm, 90, 3, 100)[["rfm_type", "customers", "revenue_share"]].head(3)
                    rfm_type  customers  revenue_share
    0        important value          1            0.5
    1  important development          0            0.0
    2    important retention          1            0.4
    """
    types = threshold_types(rfm, recent_days, min_orders, min_spend)
    money = _checked(rfm)["monetary"]
    grouped = money.groupby(types, observed=False).agg(["size", "sum"]).reindex(_NAMES, fill_value=0)
    total = float(money.sum())
    return pd.DataFrame({
        "rfm_type": _NAMES,
        "中文": [_ZH[n] for n in _NAMES],
        "customers": grouped["size"].to_numpy(),
        "customer_share": grouped["size"].to_numpy() / len(money),
        "revenue": grouped["sum"].to_numpy(dtype="float64"),
        "revenue_share": grouped["sum"].to_numpy(dtype="float64") / total if total > 0 else np.nan,
    })


def _round_to(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def default_thresholds(rfm: pd.DataFrame) -> dict[str, float]:
    """The explorer's starting thresholds: the medians of recency, frequency and monetary value.

    Recency is rounded to 10 days and spend to 10 CNY (at least one step); orders are rounded
    up to a whole number. Medians, not means, because a few heavy buyers pull the means up.

    >>> rfm = pd.DataFrame({"recency": [12, 95, 300], "frequency": [1, 2, 9], "monetary": [30.0, 64.0, 900.0]})
    >>> default_thresholds(rfm)
    {'recent_days': 100, 'min_orders': 2, 'min_spend': 60}
    """
    checked = _checked(rfm)
    return {
        "recent_days": int(_round_to(float(checked["recency"].median()), 10)),
        "min_orders": max(1, math.ceil(float(checked["frequency"].median()))),
        "min_spend": int(_round_to(float(checked["monetary"].median()), 10)),
    }


def _summary_text(table: pd.DataFrame, days: float, orders: float, spend: float) -> str:
    rows = table.set_index("rfm_type")
    best, worst = rows.loc["important value"], rows.loc["general win-back"]
    return (f"<b>Recent</b> = ordered in the last {days:g} days; <b>frequent</b> = {orders:g}+ orders; "
            f"<b>high spend</b> = {spend:g}+ CNY.<br>"
            f"重要价值 important value: {best['customers']} customers ({best['customer_share']:.0%}) "
            f"bring {best['revenue_share']:.0%} of revenue. "
            f"一般挽留 general win-back: {worst['customers']} ({worst['customer_share']:.0%}) "
            f"bring {worst['revenue_share']:.0%}.")


def _chart_png(table: pd.DataFrame, title: str) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 4.2), dpi=100)
    ax = fig.subplots()
    y = np.arange(len(table))
    ax.barh(y - 0.2, table["customer_share"] * 100, height=0.4, label="customers 客户数", color="#4C72B0")
    ax.barh(y + 0.2, table["revenue_share"] * 100, height=0.4, label="revenue 消费金额", color="#DD8452")
    ax.set_yticks(y, [f"{en} {zh}" for en, zh in zip(table["rfm_type"], table["中文"])])
    ax.invert_yaxis()
    ax.set(title=title, xlabel="share of all customers / of all revenue (%)", ylabel="RFM type 客户类型",
           xlim=(0, 100))
    ax.legend(loc="lower right")
    fig.tight_layout()
    return png_bytes(fig)


def rfm_explorer(rfm: pd.DataFrame, recent_days: float | None = None, min_orders: float | None = None,
                 min_spend: float | None = None, title: str = "Eight RFM types 八类客户"):
    """Three sliders (recency, frequency and spend thresholds) over the eight-type RFM model.

    Parameters
    ----------
    rfm : the output of :func:`crmlib.identify.rfm_table`.
    recent_days, min_orders, min_spend : starting thresholds; default :func:`default_thresholds`.
    title : the chart's title.

    Returns
    -------
    ``ipywidgets.VBox`` with the sliders, a summary line and a bar chart of each type's share of
    customers and of revenue. For tests and notebooks it carries ``.sliders`` (a dict by
    threshold name), ``.summary`` (the HTML line) and ``.table`` (the current
    :func:`threshold_summary`), all updated whenever a slider moves.
    """
    import ipywidgets as widgets

    from crmlib.plots import use_cjk_font

    checked = _checked(rfm)
    if checked.empty:
        raise CRMDataError("rfm has no customers. Fix: build it with identify.rfm_table on a non-empty orders table.")
    use_cjk_font()
    start = default_thresholds(checked)
    start.update({k: v for k, v in {"recent_days": recent_days, "min_orders": min_orders,
                                   "min_spend": min_spend}.items() if v is not None})
    high = {
        "recent_days": max(int(checked["recency"].max()), int(start["recent_days"])),
        "min_orders": max(int(checked["frequency"].quantile(0.95)), int(start["min_orders"]), 2),
        "min_spend": max(int(_round_to(float(checked["monetary"].quantile(0.95)), 10)), int(start["min_spend"])),
    }
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="520px")
    sliders = {
        "recent_days": widgets.IntSlider(value=int(start["recent_days"]), min=10, max=high["recent_days"], step=10,
                                         description="recent: last N days", style=style, layout=layout),
        "min_orders": widgets.IntSlider(value=int(start["min_orders"]), min=1, max=high["min_orders"], step=1,
                                        description="frequent: N+ orders", style=style, layout=layout),
        "min_spend": widgets.IntSlider(value=int(start["min_spend"]), min=0, max=high["min_spend"], step=10,
                                       description="high spend: N+ CNY", style=style, layout=layout),
    }
    summary = widgets.HTML()
    chart = widgets.Image(format="png", layout=widgets.Layout(width="760px"))
    box = widgets.VBox([*sliders.values(), summary, chart])

    def redraw(_change=None) -> None:
        days, orders, spend = (sliders[k].value for k in ("recent_days", "min_orders", "min_spend"))
        box.table = threshold_summary(checked, days, orders, spend)
        summary.value = _summary_text(box.table, days, orders, spend)
        chart.value = _chart_png(box.table, title)

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    box.sliders, box.summary, box.chart = sliders, summary, chart
    redraw()
    return box
