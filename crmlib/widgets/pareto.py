"""The Pareto explorer: move a slider and see what share of the value the top customers bring.

::

    from crmlib.widgets.pareto import pareto_explorer
    pareto_explorer(tea.orders, customer="member_id", amount="net_amount", by="brand_id")

Each curve ranks the customers of one group from the biggest spender (left) to the smallest
(right) and climbs with the running share of the value; the dotted diagonal is a world where
everyone spends the same. The dashed line marks the slider's "top X %", and the legend and the
line of text under the slider give each group's share of value at that point.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import identify
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["pareto_curves", "top_shares", "pareto_explorer"]


def pareto_curves(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount",
                  by: str | None = None) -> dict:
    """The Pareto table of each group (one table, under the key None, when ``by`` is None).

    Groups come in the order of the ``by`` column's values (its categories if it is one).

    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [6.0, 2.0, 1.0, 1.0],
    ...                        "shop": ["x", "x", "y", "y"]})
    >>> {k: v["cum_value_share"].round(2).tolist() for k, v in pareto_curves(orders, by="shop").items()}
    {'x': [0.75, 1.0], 'y': [0.5, 1.0]}
    """
    if by is None:
        return {None: identify.pareto_table(orders, customer=customer, amount=amount)}
    if by not in orders.columns:
        raise CRMDataError(f"orders has no column '{by}'. Fix: pass by= one of {list(orders.columns)}, or by=None.")
    return {group: identify.pareto_table(part, customer=customer, amount=amount)
            for group, part in orders.groupby(by, observed=True, sort=True)}


def top_shares(curves: Mapping, top_pct: float) -> dict:
    """Share of value brought by the top ``top_pct`` % of customers, for each curve.

    Counts as :func:`crmlib.identify.top_share` does: the top ceil(top x n) customers.

    >>> orders = pd.DataFrame({"customer_id": list("abcde"), "amount": [60.0, 10.0, 10.0, 10.0, 10.0]})
    >>> top_shares(pareto_curves(orders), 20)
    {None: 0.6}
    """
    if not 0 < top_pct <= 100:
        raise CRMDataError(f"top_pct must be a percentage above 0 and at most 100, got {top_pct!r}. Fix: pass e.g. 20.")
    shares = {}
    for group, table in curves.items():
        n = identify.top_count(top_pct / 100, len(table))
        shares[group] = float(table["cum_value_share"].iloc[n - 1])
    return shares


def _summary_text(shares: Mapping, names: Mapping, top_pct: int, noun: str) -> str:
    parts = [f"{names.get(group, group) if group is not None else 'all ' + noun} {share:.0%}" for group, share in shares.items()]
    return f"Share of the value brought by the top {top_pct}% of {noun}: " + ", ".join(parts) + "."


def _figure_png(curves: Mapping, shares: Mapping, names: Mapping, top_pct: int, noun: str, title: str) -> bytes:
    """The chart as PNG bytes, drawn on a bare Figure (no pyplot: nothing to leak or show twice)."""
    from matplotlib.figure import Figure

    with chart_fonts():
        fig = Figure(figsize=(7, 4.2), layout="constrained")
        ax = fig.add_subplot()
        for group, table in curves.items():
            x = np.concatenate([[0.0], table["cum_customer_share"].to_numpy()]) * 100
            y = np.concatenate([[0.0], table["cum_value_share"].to_numpy()]) * 100
            label = names.get(group, group) if group is not None else f"all {noun}"
            ax.plot(x, y, label=f"{label}: {shares[group]:.0%}")
        ax.plot([0, 100], [0, 100], ":", color="grey", label="everyone spends the same")
        ax.axvline(top_pct, ls="--", color="black")
        ax.set(title=title.format(top=top_pct), xlabel=f"{noun}, biggest spenders first (%)",
               ylabel="share of value (%)", xlim=(0, 100), ylim=(0, 101))
        ax.legend(loc="lower right", title=f"share from the top {top_pct}%")
        return png_bytes(fig)


def pareto_explorer(orders: pd.DataFrame, customer: str = "customer_id", amount: str = "amount",
                    by: str | None = None, names: Mapping | None = None, top_pct: int = 20,
                    noun: str = "customers", title: str = "Revenue from the top {top}% of customers"):
    """A slider for "top X %" above a chart of Pareto curves, one per group of ``by``.

    Parameters
    ----------
    orders : one row per order.
    customer, amount : column names; each customer's amounts are added up first.
    by : optional column splitting the customers into groups (e.g. ``"brand_id"``), one curve each.
    names : optional display name of each group, a dict or Series, e.g. ``{"T1": "Aurora Leaf"}``.
    top_pct : where the slider starts, in % (5–100, steps of 5).
    noun : what the customers are called in the labels ("members", "accounts", …).
    title : chart title; ``{top}`` is replaced by the slider's value.

    Returns
    -------
    ``ipywidgets.VBox`` with the slider, a line of text and the chart. Its attributes ``slider``,
    ``summary`` (the line of text, an ``ipywidgets.Label``), ``image`` (the chart, an
    ``ipywidgets.Image``) and ``shares()`` (the shares shown now, by group) make it easy to test.
    """
    import ipywidgets as widgets

    curves = pareto_curves(orders, customer=customer, amount=amount, by=by)
    names = {} if names is None else dict(names)  # a dict or a Series of display names
    start = int(top_pct)
    if not 5 <= start <= 100:
        raise CRMDataError(f"top_pct must be between 5 and 100, got {top_pct!r}. Fix: pass e.g. top_pct=20.")
    slider = widgets.IntSlider(value=start, min=5, max=100, step=5, description="top X %", continuous_update=False)
    summary = widgets.Label()
    image = widgets.Image(format="png")

    def show(pct: int) -> None:
        shares = top_shares(curves, pct)
        summary.value = _summary_text(shares, names, pct, noun)
        image.value = _figure_png(curves, shares, names, pct, noun, title)

    show(start)
    slider.observe(lambda change: show(change["new"]), names="value")
    box = widgets.VBox([slider, summary, image])
    box.slider, box.summary, box.image = slider, summary, image
    box.shares = lambda: top_shares(curves, slider.value)
    return box
