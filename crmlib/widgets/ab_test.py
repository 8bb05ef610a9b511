"""How big must an A/B test be? (chapter 3, the "feedback and experiments" notebook)

A test compares the conversion rate of arm A (the baseline) with arm B. A small difference is
easy to miss: chance alone moves the two rates apart or together. The number of units needed
in *each* arm to find a true lift ``d = p_B − p_A`` with probability ``power`` (at the two-sided
significance level ``alpha``) is::

    n = (z_{1−alpha/2} · sqrt(2 q (1 − q)) + z_power · sqrt(p_A (1 − p_A) + p_B (1 − p_B)))² / d²

with ``q = (p_A + p_B) / 2``, rounded up: the same formula as ``n_per_arm_needed`` of
:func:`crmlib.communicate.ab_test`. Halve the lift and the test must be about four times as big.

* :func:`required_sample_size`: that number for one baseline and lift;
* :func:`sample_size_curve`: the number for a range of lifts;
* :func:`sample_size_summary`: one sentence comparing it with tests of known sizes;
* :func:`sample_size_explorer`: sliders for the baseline, the lift and the power, and the chart.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["required_sample_size", "sample_size_curve", "sample_size_summary", "sample_size_explorer"]


def _check(baseline: float, lift: float, alpha: float, power: float) -> None:
    for name, value in (("baseline", baseline), ("alpha", alpha), ("power", power)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not 0 < value < 1:
            raise CRMDataError(f"{name} must be a share strictly between 0 and 1, got {value!r}. Fix: pass e.g. {name}=0.1.")
    if isinstance(lift, bool) or not isinstance(lift, (int, float, np.number)) or lift == 0 or not 0 < baseline + lift < 1:
        raise CRMDataError(f"lift must be a non-zero change in the rate that keeps baseline + lift between 0 and 1, "
                           f"got baseline {baseline!r} and lift {lift!r}. Fix: pass the lift as a share, e.g. lift=0.03 for 3 points.")


def required_sample_size(baseline: float, lift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Units needed in each arm to detect ``lift`` over the ``baseline`` rate (two-sided test).

    >>> required_sample_size(0.10, 0.03)
    1774
    >>> required_sample_size(0.10, 0.015) > 4 * required_sample_size(0.10, 0.03) - 500
    True
    """
    from scipy.stats import norm

    _check(baseline, lift, alpha, power)
    p_a, p_b = float(baseline), float(baseline + lift)
    mean = (p_a + p_b) / 2
    z_alpha, z_power = norm.ppf(1 - alpha / 2), norm.ppf(power)
    n = (z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))) ** 2 / lift**2
    return int(math.ceil(n - 1e-9))


def sample_size_curve(baseline: float, lifts, alpha: float = 0.05, power: float = 0.8) -> pd.DataFrame:
    """Units needed per arm for each lift in ``lifts`` (shares; lifts that leave 0–1 are skipped).

    >>> sample_size_curve(0.10, [0.01, 0.02, 0.04])
       lift  n_per_arm
    0  0.01      14751
    1  0.02       3841
    2  0.04       1035
    """
    rows = [(float(d), required_sample_size(baseline, float(d), alpha, power))
            for d in lifts if d != 0 and 0 < baseline + d < 1]
    return pd.DataFrame(rows, columns=["lift", "n_per_arm"])


def sample_size_summary(baseline: float, lift: float, alpha: float = 0.05, power: float = 0.8,
                        marks: Mapping | None = None) -> str:
    """One sentence: the size needed, and whether each test in ``marks`` (label → units per arm) has it.

    >>> sample_size_summary(0.10, 0.03, marks={"our test": 2000})
    'To detect 10.0% → 13.0% (+3.0 points) with 80% power at the 5% level you need 1,774 per arm. our test (2,000 per arm): big enough.'
    """
    n = required_sample_size(baseline, lift, alpha, power)
    text = (f"To detect {baseline:.1%} → {baseline + lift:.1%} ({lift * 100:+.1f} points) with {power:.0%} power "
            f"at the {alpha:.0%} level you need {n:,} per arm.")
    for label, size in (marks or {}).items():
        verdict = "big enough" if size >= n else f"too small, it finds such a lift only {_power_at(baseline, lift, alpha, size):.0%} of the time"
        text += f" {label} ({int(size):,} per arm): {verdict}."
    return text


def _power_at(baseline: float, lift: float, alpha: float, n: float) -> float:
    """The chance that a test with ``n`` units per arm finds ``lift`` (the inverse of the size formula)."""
    from scipy.stats import norm

    p_a, p_b = baseline, baseline + lift
    mean = (p_a + p_b) / 2
    z = (abs(lift) * math.sqrt(n) - norm.ppf(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean))) / math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))
    return float(norm.cdf(z))


def _figure_png(baseline: float, lift: float, alpha: float, power: float, marks: Mapping, max_lift: float) -> bytes:
    """The curve of sizes against lifts as PNG bytes, drawn on a bare Figure (no pyplot)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter


    lifts = np.linspace(0.002, max_lift, 200)
    curve = sample_size_curve(baseline, lifts, alpha, power)
    n_now = required_sample_size(baseline, lift, alpha, power)
    with chart_fonts():
        fig = Figure(figsize=(8, 4.2), layout="constrained")
        ax = fig.add_subplot()
        ax.plot(curve["lift"] * 100, curve["n_per_arm"], color="#4C72B0", label=f"needed at {power:.0%} power 所需样本量")
        for (label, size), colour in zip(marks.items(), ["#55A868", "#DD8452", "#8172B3", "#937860", "#DA8BC3"]):
            ax.axhline(size, ls="--", color=colour, label=f"{label}: {int(size):,} per arm")
        ax.plot([lift * 100], [n_now], marker="o", markersize=9, color="#C44E52", linestyle="none",
                label=f"your lift: {n_now:,} per arm")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set(title=f"Sample size per arm, baseline {baseline:.1%} 每组所需样本量",
               xlabel="lift to detect (percentage points) 要检测的提升", ylabel="units needed per arm (log scale)",
               xlim=(0, max_lift * 100))
        ax.legend(loc="upper right", fontsize=8)
        return png_bytes(fig)


def sample_size_explorer(baseline: float = 0.10, lift: float = 0.03, power: float = 0.8, alpha: float = 0.05,
                         marks: Mapping | None = None, max_lift: float = 0.10):
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
    ``ipywidgets.VBox`` with three sliders, a line of text and the chart. Its attributes
    ``baseline_slider``, ``lift_slider``, ``power_slider`` (values in % / points / %),
    ``summary`` (an HTML widget with :func:`sample_size_summary`), ``image`` (an
    ``ipywidgets.Image``) and ``needed()`` (the size per arm shown now) make it easy to test.
    """
    import ipywidgets as widgets

    marks = {} if marks is None else {str(k): int(v) for k, v in dict(marks).items()}
    _check(baseline, lift, alpha, power)
    if not 0.002 < max_lift < 1 or not 0 < lift <= max_lift:
        raise CRMDataError(f"sample_size_explorer: lift must be above 0 and at most max_lift ({max_lift!r}), got {lift!r}. "
                           "Fix: pass a positive lift, or raise max_lift.")
    style = {"description_width": "170px"}
    layout = widgets.Layout(width="560px")
    baseline_slider = widgets.FloatSlider(value=round(baseline * 200) / 2, min=0.5, max=60, step=0.5, readout_format=".1f",
                                          description="baseline rate (%)", style=style, layout=layout, continuous_update=False)
    lift_slider = widgets.FloatSlider(value=round(lift * 1000) / 10, min=0.2, max=round(max_lift * 100, 1), step=0.1,
                                      readout_format=".1f", description="lift (points)", style=style, layout=layout,
                                      continuous_update=False)
    power_slider = widgets.FloatSlider(value=round(power * 20) * 5, min=50, max=95, step=5, readout_format=".0f",
                                       description="power (%)", style=style, layout=layout, continuous_update=False)
    summary = widgets.HTML()
    image = widgets.Image(format="png")

    def current() -> tuple[float, float, float]:
        return baseline_slider.value / 100, lift_slider.value / 100, power_slider.value / 100

    def show(_change=None) -> None:
        b, d, p = current()
        summary.value = f"<b>{sample_size_summary(b, d, alpha, p, marks)}</b>"
        image.value = _figure_png(b, d, alpha, p, marks, max_lift)

    show()
    for slider in (baseline_slider, lift_slider, power_slider):
        slider.observe(show, names="value")
    box = widgets.VBox([baseline_slider, lift_slider, power_slider, summary, image])
    box.baseline_slider, box.lift_slider, box.power_slider = baseline_slider, lift_slider, power_slider
    box.summary, box.image = summary, image
    box.needed = lambda: required_sample_size(*current()[:2], alpha, current()[2])
    return box
