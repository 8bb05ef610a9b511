"""The re-buy window explorer: how wide a net should a "prompt response" signal cast?

A *re-buy* is a customer buying a product they had bought before; its *gap* is the number of
days since they last bought that product. A team that wants to respond promptly flags the
re-buys whose gap is at most N days. Move N and watch the trade-off: a narrow window flags few,
sharp signals that a small team can answer the next day; a wide one catches more of them but
mixes in routine restocking, and the calls pile up. ::

    from crmlib.widgets.customer_centred import rebuy_window_explorer
    rebuy_window_explorer(repeats, gap="gap_days", customer="customer_id", date="order_date")
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["window_summary", "rebuy_window_explorer"]


def _checked(repeats: pd.DataFrame, gap: str, customer: str, date: str) -> pd.DataFrame:
    checked = validate.table(repeats, "repeats", {gap: "number", customer: "key", date: "date"})
    if (checked[gap] < 0).any():
        raise CRMDataError(f"repeats: column '{gap}' has negative gaps. Fix: compute gaps as later date minus earlier date.")
    return checked


def window_summary(repeats: pd.DataFrame, days: int, gap: str = "gap_days", customer: str = "customer_id",
                   date: str = "order_date", weeks: float | None = None) -> dict:
    """What a window of ``days`` flags: re-buys, customers, re-buys per week and share of all re-buys.

    ``weeks`` is the length of the period the re-buys come from; by default the span of ``date``.

    >>> repeats = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "gap_days": [3, 40, 10, 200],
    ...                         "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-05-01", "2024-12-30"])})
    >>> window_summary(repeats, 14)
    {'days': 14, 'rebuys': 2, 'customers': 2, 'per_week': 0.038, 'share': 0.5}
    """
    checked = _checked(repeats, gap, customer, date)
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 0:
        raise CRMDataError(f"days must be a whole number of days >= 0, got {days!r}. Fix: pass e.g. days=30.")
    if weeks is None:
        weeks = max((checked[date].max() - checked[date].min()).days / 7, 1.0)
    flagged = checked[checked[gap] <= days]
    return {
        "days": int(days),
        "rebuys": int(len(flagged)),
        "customers": int(flagged[customer].nunique()),
        "per_week": round(len(flagged) / weeks, 3),
        "share": round(len(flagged) / len(checked), 3) if len(checked) else float("nan"),
    }


def _summary_text(s: dict) -> str:
    return (f"Window {s['days']} days: {s['rebuys']:,} re-buys by {s['customers']:,} customers, "
            f"about {s['per_week']:.1f} a week to follow up ({s['share']:.0%} of all re-buys).")


def _figure_png(gaps: np.ndarray, days: int, max_days: int) -> bytes:
    """Histogram of the gaps by week, bars inside the window in red, as PNG bytes (no pyplot)."""
    from matplotlib.figure import Figure

    from crmlib.plots import installed_cjk_fonts

    cjk = installed_cjk_fonts()  # Chinese labels only where a font can draw them
    zh = (lambda text: " " + text) if cjk else (lambda text: "")
    edges = np.arange(0.5, max_days + 7, 7)  # whole days 1-7, 8-14, …: one bar per week
    inside, outside = gaps[gaps <= days], gaps[(gaps > days) & (gaps < edges[-1])]
    counts = np.histogram(np.concatenate([inside, outside]), bins=edges)[0]
    top = max(int(counts.max()), 1)
    with chart_fonts():
        fig = Figure(figsize=(7.5, 4.0), layout="constrained")
        ax = fig.add_subplot()
        ax.hist([inside, outside], bins=edges, stacked=True, color=["#C44E52", "#B0B0B0"], edgecolor="white",
                linewidth=0.5, label=[f"flagged: within {days} days", "not flagged"])
        ax.axvline(days, ls="--", color="black")
        ax.legend(loc="upper right")
        ax.set(title="Same product bought again: days since the last time" + zh("重复购买间隔"),
               xlabel="days since the customer last bought this product (one bar = one week)",
               ylabel="re-buys", xlim=(0, edges[-1]), ylim=(0, top * 1.15))
        return png_bytes(fig)


def rebuy_window_explorer(repeats: pd.DataFrame, gap: str = "gap_days", customer: str = "customer_id",
                          date: str = "order_date", days: int = 30, max_days: int = 365, weeks: float | None = None):
    """A slider for the window N (days) above a histogram of re-buy gaps; re-buys within N are red.

    Parameters
    ----------
    repeats : one row per re-buy, with the gap in days since the same customer last bought the
        same product, the customer and the date of the re-buy.
    gap, customer, date : column names.
    days : where the slider starts; it runs from 1 to ``max_days``.
    max_days : longest window offered, and the right edge of the chart.
    weeks : length of the period the re-buys come from (default: the span of ``date``).

    Returns
    -------
    ``ipywidgets.VBox`` with the slider, a line of text and the chart. Its attributes ``slider``,
    ``summary`` (an ``ipywidgets.Label``), ``image`` (an ``ipywidgets.Image``) and ``numbers()``
    (the :func:`window_summary` of the slider's value) make it easy to test.
    """
    import ipywidgets as widgets

    checked = _checked(repeats, gap, customer, date)
    if not 1 <= days <= max_days:
        raise CRMDataError(f"days must be between 1 and max_days={max_days}, got {days!r}. Fix: pass e.g. days=30.")
    gaps = checked[gap].to_numpy(dtype="float64")
    slider = widgets.IntSlider(value=int(days), min=1, max=int(max_days), step=1, description="window N",
                               continuous_update=False)
    summary = widgets.Label()
    image = widgets.Image(format="png")

    def numbers(n: int | None = None) -> dict:
        return window_summary(checked, slider.value if n is None else n, gap=gap, customer=customer, date=date, weeks=weeks)

    def show(n: int) -> None:
        s = numbers(n)
        summary.value = _summary_text(s)
        image.value = _figure_png(gaps, n, int(max_days))

    show(int(days))
    slider.observe(lambda change: show(change["new"]), names="value")
    box = widgets.VBox([slider, summary, image])
    box.slider, box.summary, box.image, box.numbers = slider, summary, image, numbers
    return box
