"""Is this customer still alive? Slide a purchase history and read the BG/NBD model's answer.

A fitted :class:`crmlib.clv.BetaGeo` turns a customer's history, three numbers, into the chance
the customer is still active (P(alive)) and the purchases to expect next. The lesson of the
explorer: silence means more for a frequent buyer than for a rare one. Someone who bought every
other week and then stopped for six months has most likely gone; someone who buys twice a year
and was quiet for six months may simply not be due yet.

* :func:`customer_outlook`: P(alive) and expected purchases for one history;
* :func:`alive_curve`: P(alive) against weeks of silence, for one frequency and age;
* :func:`alive_explorer`: the widget (three sliders, a one-line summary, a chart).

Time is in the model's unit (weeks for the course's retail summary).
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import png_bytes

__all__ = ["customer_outlook", "alive_curve", "alive_explorer"]

#: Frequencies drawn as thin reference curves behind the chosen one.
REFERENCE_FREQUENCIES = (1, 4, 12)


def _model(model):
    if not callable(getattr(model, "prob_alive", None)) or not callable(getattr(model, "predict_purchases", None)):
        raise CRMDataError(f"model must be a fitted BetaGeo, got {type(model).__name__}. Fix: pass clv.BetaGeo().fit(summary).")
    return model


def _history(frequency, T, quiet) -> tuple[int, float, float]:
    """Check a history given as (repeat purchases, age, time since the last purchase); return (x, recency, T)."""
    x = validate.positive_number(frequency, "frequency", minimum=0, inclusive=True)
    if x != int(x):
        raise CRMDataError(f"frequency must be a whole number of repeat purchases, got {frequency!r}. Fix: pass e.g. frequency=3.")
    age = validate.positive_number(T, "T")
    silence = validate.positive_number(quiet, "quiet", minimum=0, inclusive=True)
    if silence > age:
        raise CRMDataError(f"quiet ({quiet:g}) cannot be longer than the customer's age T ({T:g}). Fix: pass a quiet time <= T.")
    # Without a repeat purchase the last purchase is the first one, so the silence is the whole age.
    recency = 0.0 if x == 0 else age - silence
    return int(x), recency, age


def customer_outlook(model, frequency, T, quiet, horizon: float = 26.0) -> dict[str, float]:
    """P(alive) and expected purchases in the next ``horizon`` time units for one purchase history.

    Parameters
    ----------
    model : a fitted :class:`crmlib.clv.BetaGeo`.
    frequency : repeat purchases so far (whole number).
    T : time since the first purchase.
    quiet : time since the last purchase (at most ``T``); recency is ``T - quiet``. A customer
        without repeat purchases has recency 0 whatever ``quiet`` says.
    horizon : how far ahead to count expected purchases.

    Returns
    -------
    dict with ``frequency``, ``recency``, ``T``, ``prob_alive`` and ``expected_purchases``.

    Examples
    --------
    >>> from crmlib.clv import BetaGeo
    >>> bg = BetaGeo.from_params(r=0.5, alpha=10.0, a=0.7, b=2.5)
    >>> steady = customer_outlook(bg, frequency=12, T=60, quiet=2)
    >>> gone = customer_outlook(bg, frequency=12, T=60, quiet=30)
    >>> round(steady["prob_alive"], 3), round(gone["prob_alive"], 3)
    (0.931, 0.017)
    """
    x, recency, age = _history(frequency, T, quiet)
    length = validate.positive_number(horizon, "horizon", minimum=0, inclusive=True)
    summary = pd.DataFrame({"frequency": [x], "recency": [recency], "T": [age]})
    model = _model(model)
    return {"frequency": x, "recency": recency, "T": age,
            "prob_alive": float(model.prob_alive(summary).iloc[0]),
            "expected_purchases": float(model.predict_purchases(length, summary).iloc[0])}


def alive_curve(model, frequency, T, points: int = 53) -> pd.DataFrame:
    """P(alive) of a customer with ``frequency`` repeat purchases and age ``T``, against time since the last purchase.

    Returns
    -------
    DataFrame with ``quiet`` (0 to ``T``, ``points`` values), ``recency`` and ``prob_alive``.

    Examples
    --------
    >>> from crmlib.clv import BetaGeo
    >>> bg = BetaGeo.from_params(r=0.5, alpha=10.0, a=0.7, b=2.5)
    >>> curve = alive_curve(bg, frequency=5, T=40, points=5)
    >>> curve["quiet"].tolist()
    [0.0, 10.0, 20.0, 30.0, 40.0]
    >>> bool(curve["prob_alive"].is_monotonic_decreasing)
    True
    """
    x, _, age = _history(frequency, T, 0)
    n = int(validate.positive_number(points, "points", minimum=2, inclusive=True))
    quiet = np.linspace(0.0, age, n)
    recency = np.zeros(n) if x == 0 else age - quiet
    summary = pd.DataFrame({"frequency": np.full(n, x), "recency": recency, "T": np.full(n, age)})
    alive = _model(model).prob_alive(summary).to_numpy()
    return pd.DataFrame({"quiet": quiet, "recency": recency, "prob_alive": alive})


def _summary_text(outlook: dict, quiet: float, horizon: float, unit: str) -> str:
    x, age = outlook["frequency"], outlook["T"]
    if x == 0:
        history = (f"A customer who has not come back since the first purchase {age:g} {unit} ago. "
                   "BG/NBD lets customers drop out only right after a repeat purchase, so it keeps "
                   "P(alive) at 100% for one-time buyers; their low rate shows in the expected purchases instead.<br>")
    else:
        history = (f"A customer with <b>{x}</b> repeat purchases in <b>{age:g}</b> {unit}, quiet for the last "
                   f"<b>{quiet:g}</b> {unit} (recency = {outlook['recency']:g}).<br>")
    return (history + f"P(alive) 仍活跃的概率: <b>{outlook['prob_alive']:.0%}</b> · expected purchases in the next "
            f"{horizon:g} {unit} 预期购买次数: <b>{outlook['expected_purchases']:.2f}</b>")


def _chart_png(model, x: int, age: float, quiet: float, unit: str) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.6, 4.0), dpi=100)
    ax = fig.subplots()
    for ref, dash in zip(REFERENCE_FREQUENCIES, (":", "--", "-.")):
        if ref != x:
            curve = alive_curve(model, ref, age)
            ax.plot(curve["quiet"], curve["prob_alive"] * 100, color="#7F7F7F", linewidth=1.2, linestyle=dash,
                    label=f"{ref} repeat purchase{'s' if ref > 1 else ''} (for comparison)")
    curve = alive_curve(model, x, age)
    ax.plot(curve["quiet"], curve["prob_alive"] * 100, color="#4C72B0", linewidth=2.5, label=f"{x} repeat purchases (chosen)")
    point = customer_outlook(model, x, age, quiet)
    ax.plot([quiet if x else age], [point["prob_alive"] * 100], "o", color="#C44E52", markersize=9, label="this customer")
    ax.set(title="P(alive) falls with silence, faster for frequent buyers 沉默越久越可能已流失",
           xlabel=f"{unit} since the last purchase 距上次购买的时间", ylabel="P(alive) 仍活跃的概率 (%)",
           ylim=(0, 105), xlim=(0, age))
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return png_bytes(fig)


def alive_explorer(model, frequency: int = 12, T: float = 78, quiet: float = 26, horizon: float = 26,
                   max_frequency: int = 30, max_T: int = 104, unit: str = "weeks"):
    """Three sliders (repeat purchases, age, time since the last purchase) over a fitted BG/NBD model.

    Parameters
    ----------
    model : a fitted :class:`crmlib.clv.BetaGeo`, in weekly time units by default.
    frequency, T, quiet : the starting history (see :func:`customer_outlook`).
    horizon : how far ahead the expected purchases are counted.
    max_frequency, max_T : slider ranges.
    unit : the model's time unit, for labels.

    Returns
    -------
    ``ipywidgets.VBox``: the sliders, a summary line and a chart of P(alive) against silence. It
    carries ``.sliders`` (dict: ``frequency``, ``T``, ``quiet``), ``.summary`` (the HTML line),
    ``.chart`` (the PNG image) and ``.outlook`` (the current :func:`customer_outlook`), all
    updated whenever a slider moves. The ``quiet`` slider never goes beyond ``T``.
    """
    import ipywidgets as widgets

    from crmlib.plots import use_cjk_font

    model = _model(model)
    _history(frequency, T, quiet)  # fail early on an impossible start
    length = validate.positive_number(horizon, "horizon")
    use_cjk_font()
    style = {"description_width": "190px"}
    layout = widgets.Layout(width="540px")
    sliders = {
        "frequency": widgets.IntSlider(value=int(frequency), min=0, max=max(int(max_frequency), int(frequency)), step=1,
                                       description="repeat purchases", style=style, layout=layout),
        "T": widgets.IntSlider(value=int(T), min=1, max=max(int(max_T), int(T)), step=1,
                               description=f"{unit} since first purchase", style=style, layout=layout),
        "quiet": widgets.IntSlider(value=int(quiet), min=0, max=int(T), step=1,
                                   description=f"{unit} since last purchase", style=style, layout=layout),
    }
    summary = widgets.HTML()
    chart = widgets.Image(format="png", layout=widgets.Layout(width="720px"))
    box = widgets.VBox([*sliders.values(), summary, chart])

    def redraw(_change=None) -> None:
        x, age = sliders["frequency"].value, sliders["T"].value
        sliders["quiet"].max = age  # also pulls quiet down to age if needed
        silence = sliders["quiet"].value
        box.outlook = customer_outlook(model, x, age, silence, length)
        summary.value = _summary_text(box.outlook, silence, length, unit)
        chart.value = _chart_png(model, x, age, silence, unit)

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    box.sliders, box.summary, box.chart = sliders, summary, chart
    redraw()
    return box
