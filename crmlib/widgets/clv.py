"""Is this customer still alive? Slide a purchase history and read the BG/NBD model's answer.

A fitted :class:`crmlib.clv.BetaGeo` turns a customer's history, three numbers, into the chance
the customer is still active (P(alive)) and the purchases to expect next. The lesson of the
explorer: silence means more for a frequent buyer than for a rare one. Someone who bought every
other week and then stopped for six months has most likely gone; someone who buys twice a year
and was quiet for six months may simply not be due yet.

:func:`alive_explorer`: the widget (three sliders, a one-line summary, a chart). The numbers come
from :func:`crmlib.clv.customer_outlook` and :func:`crmlib.clv.alive_curve`, the chart from
:func:`crmlib.plots.alive_plot`.

Time is in the model's unit (weeks for the course's retail summary).
"""

from __future__ import annotations

import pandas as pd

from crmlib import clv, plots, validate
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer

__all__ = ["alive_explorer"]

#: Frequencies drawn as thin reference curves behind the chosen one.
_REFERENCE_FREQUENCIES = (1, 4, 12)


def _unit_name(unit: str) -> str:
    """The time unit as shown: "weeks", "days" or "months" in the current language, else as given."""
    return {"weeks": _("weeks"), "days": _("days"), "months": _("months")}.get(unit, unit)


def _summary(outlook: dict, quiet: float, horizon: float, unit: str) -> str:
    x, age, shown = outlook["frequency"], outlook["T"], _unit_name(unit)
    if x == 0:
        history = _(
            "A customer who has not come back since the first purchase {age} {unit} ago. "
            "BG/NBD lets customers drop out only right after a repeat purchase, so it keeps "
            "P(alive) at 100% for one-time buyers; their low rate shows in the expected purchases instead.<br>"
        ).format(age=f"{age:g}", unit=shown)
    else:
        history = _(
            "A customer with <b>{repeats}</b> repeat purchases in <b>{age}</b> {unit}, quiet for the last "
            "<b>{quiet}</b> {unit} (recency = {recency}).<br>"
        ).format(repeats=x, age=f"{age:g}", unit=shown, quiet=f"{quiet:g}", recency=f"{outlook['recency']:g}")
    return history + _(
        "P(alive) 仍活跃的概率: <b>{alive}</b> · expected purchases in the next {horizon} {unit} 预期购买次数: "
        "<b>{expected}</b>"
    ).format(
        alive=f"{outlook['prob_alive']:.0%}",
        horizon=f"{horizon:g}",
        unit=shown,
        expected=f"{outlook['expected_purchases']:.2f}",
    )


def alive_explorer(
    model,
    frequency: int = 12,
    T: float = 78,
    quiet: float = 26,
    horizon: float = 26,
    max_frequency: int = 30,
    max_T: int = 104,
    unit: str = "weeks",
):
    """Three sliders (repeat purchases, age, time since the last purchase) over a fitted BG/NBD model.

    Parameters
    ----------
    model : a fitted :class:`crmlib.clv.BetaGeo`, in weekly time units by default.
    frequency, T, quiet : the starting history (see :func:`crmlib.clv.customer_outlook`).
    horizon : how far ahead the expected purchases are counted.
    max_frequency, max_T : slider ranges.
    unit : the model's time unit, for labels.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``frequency``, ``T`` and
    ``quiet``; ``state["outlook"]`` is the :func:`crmlib.clv.customer_outlook` shown now and
    ``state["curves"]`` the P(alive) curves drawn. The ``quiet`` slider never goes beyond ``T``.
    """
    import ipywidgets as widgets

    clv.customer_outlook(
        model, frequency, T, quiet
    )  # fail early on a model that is not a BetaGeo or an impossible start
    length = validate.positive_number(horizon, "horizon")
    style = {"description_width": "190px"}
    layout = widgets.Layout(width="540px")
    controls = {
        "frequency": widgets.IntSlider(
            value=int(frequency),
            min=0,
            max=max(int(max_frequency), int(frequency)),
            step=1,
            description=_("repeat purchases"),
            style=style,
            layout=layout,
        ),
        "T": widgets.IntSlider(
            value=int(T),
            min=1,
            max=max(int(max_T), int(T)),
            step=1,
            description=_("{unit} since first purchase").format(unit=_unit_name(unit)),
            style=style,
            layout=layout,
        ),
        "quiet": widgets.IntSlider(
            value=int(quiet),
            min=0,
            max=int(T),
            step=1,
            description=_("{unit} since last purchase").format(unit=_unit_name(unit)),
            style=style,
            layout=layout,
        ),
    }

    def follow_age(change) -> None:
        controls["quiet"].max = change["new"]  # also pulls quiet down to the new age if needed

    controls["T"].observe(follow_age, names="value")  # before the explorer's redraw, so it never sees quiet > T

    def render(frequency: int, T: int, quiet: int) -> View:
        from matplotlib.figure import Figure

        outlook = clv.customer_outlook(model, frequency, T, quiet, length)
        shown = [f for f in _REFERENCE_FREQUENCIES if f != frequency] + [frequency]
        curves = pd.concat([clv.alive_curve(model, f, T).assign(frequency=f) for f in shown], ignore_index=True)
        fig = Figure(figsize=(7.6, 4.0), dpi=100, layout="tight")
        plots.alive_plot(curves, outlook, unit=unit, ax=fig.add_subplot())
        return View(_summary(outlook, quiet, length, unit), fig, state={"outlook": outlook, "curves": curves})

    return explorer(controls, render, image_width="720px")
