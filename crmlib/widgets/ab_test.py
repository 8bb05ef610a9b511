"""How big must an A/B test be? (chapter 3, the "feedback and experiments" notebook)

:func:`sample_size_explorer`: sliders for the baseline rate, the lift to detect and the power,
above the chart of the units each arm needs. The numbers come from
:func:`crmlib.communicate.required_sample_size` and :func:`~crmlib.communicate.sample_size_curve`,
the chart from :func:`crmlib.plots.sample_size_plot`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from crmlib import communicate, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["sample_size_explorer"]


def _summary(baseline: float, lift: float, alpha: float, power: float, marks: Mapping) -> str:
    """The size needed, and whether each test in ``marks`` (label → units per arm) has it."""
    n = communicate.required_sample_size(baseline, lift, alpha, power)
    text = _(
        "To detect {baseline} → {target} ({lift} points) with {power} power at the {alpha} level you need {n} per arm."
    ).format(
        baseline=f"{baseline:.1%}",
        target=f"{baseline + lift:.1%}",
        lift=f"{lift * 100:+.1f}",
        power=f"{power:.0%}",
        alpha=f"{alpha:.0%}",
        n=f"{n:,}",
    )
    for label, size in marks.items():
        if size >= n:
            verdict = _("big enough")
        else:
            chance = communicate.test_power(baseline, lift, size, alpha)
            verdict = _("too small, it finds such a lift only {chance} of the time").format(chance=f"{chance:.0%}")
        text += _(" {label} ({size} per arm): {verdict}.").format(label=label, size=f"{int(size):,}", verdict=verdict)
    return f"<b>{text}</b>"


def sample_size_explorer(
    baseline: float = 0.10,
    lift: float = 0.03,
    power: float = 0.8,
    alpha: float = 0.05,
    marks: Mapping | None = None,
    max_lift: float = 0.10,
):
    """Sliders for the baseline rate, the lift and the power, above a chart of the size needed.

    Parameters
    ----------
    baseline, lift, power : the sliders' starting values, as shares (rounded to the sliders'
        steps: 0.5 point for the baseline, 0.1 point for the lift, 5 points for the power).
    alpha : the significance level (fixed).
    marks : tests of known size, ``{label: units per arm}``, drawn as dashed lines, e.g. the
        shipped coupon test; the summary says whether each is big enough.
    max_lift : the largest lift on the slider and the chart, as a share.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``baseline``, ``lift`` and
    ``power`` (in % / points / %); ``state["needed"]`` is the size per arm shown now.
    """
    import ipywidgets as widgets

    marks = {} if marks is None else {str(k): int(v) for k, v in dict(marks).items()}
    communicate.required_sample_size(baseline, lift, alpha, power)  # checks the four numbers
    if not 0.002 < max_lift < 1 or not 0 < lift <= max_lift:
        raise CRMDataError(
            _(
                "sample_size_explorer: lift must be above 0 and at most max_lift ({max_lift!r}), "
                "got {lift!r}. Fix: pass a positive lift, or raise max_lift."
            ).format(max_lift=max_lift, lift=lift)
        )
    style = {"description_width": "170px"}
    layout = widgets.Layout(width="560px")

    def slider(value, low, high, step, fmt, label):
        return widgets.FloatSlider(
            value=value,
            min=low,
            max=high,
            step=step,
            readout_format=fmt,
            description=label,
            style=style,
            layout=layout,
            continuous_update=False,
        )

    controls = {
        "baseline": slider(round(baseline * 200) / 2, 0.5, 60, 0.5, ".1f", _("baseline rate (%)")),
        "lift": slider(round(lift * 1000) / 10, 0.2, round(max_lift * 100, 1), 0.1, ".1f", _("lift (points)")),
        "power": slider(round(power * 20) * 5, 50, 95, 5, ".0f", _("power (%)")),
    }

    def render(baseline: float, lift: float, power: float) -> View:
        from matplotlib.figure import Figure

        b, d, p = baseline / 100, lift / 100, power / 100
        curve = communicate.sample_size_curve(b, np.append(np.linspace(0.002, max_lift, 200), d), alpha, p)
        fig = Figure(figsize=(8, 4.2), layout="constrained")
        plots.sample_size_plot(
            curve.sort_values("lift"), marks=marks, lift=d, power=p, baseline=b, ax=fig.add_subplot()
        )
        needed = communicate.required_sample_size(b, d, alpha, p)
        return View(_summary(b, d, alpha, p, marks), fig, state={"needed": needed, "curve": curve})

    return explorer(controls, render)
