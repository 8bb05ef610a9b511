"""How the weights of the value score decide who is a strategic account (chapter 1).

:func:`value_score_explorer` puts one slider on the balance between current value (margin,
sales, cost) and future value (industry position, years of cooperation, satisfaction). Moving it
re-ranks the accounts: the chart shows which accounts become strategic, and how the strategic
accounts' share of the margin moves. :func:`balance_split` computes what the widget shows, so it
can be used (and tested) without a screen.

Why one slider is enough: with rank or min-max scaling each criterion's 0–1 scale does not depend
on the weights. Keeping the proportions *inside* each group fixed, an account's score is

    score = (1 − f) × current index + f × future index,

where f is the total weight on future value and each index is the weighted mean of the group's
scaled criteria (between 0 and 1).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from crmlib import identify, validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["value_indices", "balance_split", "balance_curve", "value_score_explorer"]


def value_indices(accounts: pd.DataFrame, weights: Mapping[str, float], cost: Iterable[str] = (),
                  future: Iterable[str] = (), customer: str = "customer_id", scaling: str = "rank") -> pd.DataFrame:
    """Each account's current and future value index (0–1), from :func:`crmlib.identify.value_score`.

    The current index is ``current_value`` divided by the total weight of the current criteria,
    the future index likewise; both are weighted means of scaled criteria.

    Returns
    -------
    DataFrame with the accounts' index: ``customer``, ``current_index``, ``future_index`` and
    ``future_weight`` (the weights' share on future value, the same on every row).

    >>> accounts = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...                          "margin": [900.0, 300.0, 100.0, 50.0],
    ...                          "cooperation_years": [1, 6, 4, 2]})
    >>> value_indices(accounts, {"margin": 0.6, "cooperation_years": 0.4}, future=["cooperation_years"])
      customer_id  current_index  future_index  future_weight
    0           a           1.00          0.25            0.4
    1           b           0.75          1.00            0.4
    2           c           0.50          0.75            0.4
    3           d           0.25          0.50            0.4
    """
    scores = identify.value_score(accounts, weights, customer=customer, cost=cost, future=future, scaling=scaling)
    later = {future} if isinstance(future, str) else set(future)
    future_weight = float(sum(w for c, w in weights.items() if c in later))
    if not 0 < future_weight < 1:
        raise CRMDataError("weights: the balance needs both current and future criteria, but "
                           f"{'none' if future_weight == 0 else 'all'} of the weight is on future ones. "
                           "Fix: name the future criteria in future=[...] and give the others a weight too.")
    return pd.DataFrame({
        customer: scores[customer],
        "current_index": scores["current_value"] / (1 - future_weight),
        "future_index": scores["future_value"] / future_weight,
        "future_weight": future_weight,
    })


def balance_split(indices: pd.DataFrame, accounts: pd.DataFrame, future_weight: float, margin: str = "margin",
                  strategic_share: float = 0.2, baseline: pd.Series | None = None) -> dict:
    """Tiers at one balance of current and future value, and what they mean for the margin.

    Parameters
    ----------
    indices : the table of :func:`value_indices` (same rows, same order as ``accounts``).
    accounts : the accounts, with the ``margin`` column.
    future_weight : f, the share of the weight on future value, from 0 to 1.
    strategic_share : share of the accounts that are strategic (see :func:`crmlib.identify.account_tiers`).
    baseline : tiers to compare with (a Series of "strategic"/"general" on the same index).

    Returns
    -------
    dict with ``tiers`` (a Series), ``score`` (a Series), ``threshold`` (the lowest strategic
    score), ``strategic`` (how many), ``margin_share`` (the strategic accounts' share of the
    total margin), ``moved`` (True for each account whose tier differs from ``baseline``; all
    False without one) and ``changed`` (how many moved).

    >>> indices = pd.DataFrame({"current_index": [1.0, 0.75, 0.5, 0.25], "future_index": [0.25, 1.0, 0.75, 0.5]})
    >>> accounts = pd.DataFrame({"margin": [900.0, 300.0, 100.0, 50.0]})
    >>> split = balance_split(indices, accounts, 0.9, strategic_share=0.25)
    >>> split["tiers"].tolist(), round(split["margin_share"], 3)
    (['general', 'strategic', 'general', 'general'], 0.222)
    """
    f = float(future_weight)
    if not 0 <= f <= 1:
        raise CRMDataError(f"future_weight must be between 0 and 1, got {future_weight!r}. Fix: pass e.g. 0.4.")
    checked = validate.table(indices, "indices", {"current_index": "number", "future_index": "number"})
    money = validate.table(accounts, "accounts", {margin: "money"})[margin]
    if len(money) != len(checked):
        raise CRMDataError(f"accounts has {len(money)} rows but indices has {len(checked)}. "
                           "Fix: pass the same accounts that value_indices() scored.")
    score = (1 - f) * checked["current_index"] + f * checked["future_index"]
    tiers = identify.account_tiers(pd.DataFrame({"value_score": score}), strategic_share=strategic_share)["tier"]
    strategic = (tiers == "strategic").to_numpy()
    moved = np.zeros(len(tiers), dtype=bool) if baseline is None else tiers.to_numpy() != np.asarray(baseline)
    total = float(money.sum())
    return {
        "tiers": tiers,
        "score": score,
        "threshold": float(score[strategic].min()),
        "strategic": int(strategic.sum()),
        "margin_share": float(money.to_numpy()[strategic].sum() / total) if total > 0 else float("nan"),
        "moved": moved,
        "changed": int(moved.sum()),
    }


def balance_curve(indices: pd.DataFrame, accounts: pd.DataFrame, margin: str = "margin", strategic_share: float = 0.2,
                  steps: int = 21) -> pd.DataFrame:
    """The strategic accounts' margin share at ``steps`` evenly spaced future weights from 0 to 1.

    >>> indices = pd.DataFrame({"current_index": [1.0, 0.75, 0.5, 0.25], "future_index": [0.25, 1.0, 0.75, 0.5]})
    >>> balance_curve(indices, pd.DataFrame({"margin": [900.0, 300.0, 100.0, 50.0]}), strategic_share=0.25, steps=3)
       future_weight  margin_share
    0            0.0      0.666667
    1            0.5      0.222222
    2            1.0      0.222222
    """
    weights = np.linspace(0, 1, steps)
    shares = [balance_split(indices, accounts, f, margin=margin, strategic_share=strategic_share)["margin_share"]
              for f in weights]
    return pd.DataFrame({"future_weight": weights, "margin_share": shares})


def _figure(indices: pd.DataFrame, split: dict, f: float, f0: float, curve: pd.DataFrame):
    """Left: accounts by current and future index, strategic ones coloured. Right: margin share by balance."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    from crmlib.plots import COLOURS

    fig = Figure(figsize=(11, 4.4), layout="constrained")
    left, right = fig.subplots(1, 2)
    strategic = (split["tiers"] == "strategic").to_numpy()
    x, y = indices["current_index"].to_numpy(), indices["future_index"].to_numpy()
    left.scatter(x[~strategic], y[~strategic], s=10, alpha=0.5, color=COLOURS["neutral"], label="general 普通客户")
    left.scatter(x[strategic], y[strategic], s=14, alpha=0.8, color=COLOURS["value"], label="strategic 战略客户")
    moved = split["moved"]
    if moved.any():
        left.scatter(x[moved], y[moved], s=40, facecolors="none", edgecolors="black", linewidths=0.8,
                     label=f"changed tier 层级变化 ({int(moved.sum())})")
    s = split["threshold"]
    if f < 1e-9:
        left.axvline(s, color=COLOURS["guide"], linestyle="--", linewidth=1)
    else:
        xs = np.linspace(0, 1, 101)
        left.plot(xs, (s - (1 - f) * xs) / f, color=COLOURS["guide"], linestyle="--", linewidth=1, label="cut-off 分界线")
    left.set(xlim=(0, 1.02), ylim=(0, 1.02), title=f"{split['strategic']} strategic accounts at {f:.0%} future weight",
             xlabel="current value index (margin, sales, cost) 当前价值", ylabel="future value index 未来价值")
    left.legend(loc="lower left", fontsize=8)
    right.plot(curve["future_weight"], curve["margin_share"], color=COLOURS["value"], linewidth=2)
    right.axvline(f0, color=COLOURS["guide"], linestyle=":", linewidth=1, label=f"starting weights ({f0:.0%})")
    right.plot([f], [split["margin_share"]], "o", color=COLOURS["bad"], label=f"now: {split['margin_share']:.0%}")
    right.set(xlim=(0, 1), ylim=(0, 1), title="Strategic accounts' share of margin 战略客户毛利占比",
              xlabel="weight on future value 未来价值权重", ylabel="share of total margin")
    right.xaxis.set_major_formatter(PercentFormatter(1.0))
    right.yaxis.set_major_formatter(PercentFormatter(1.0))
    right.legend(loc="lower left", fontsize=8)
    return fig


def _summary_html(split: dict, f: float, f0: float) -> str:
    return (f"<b>Future value weight {f:.0%}</b> (current value {1 - f:.0%}): the {split['strategic']} strategic "
            f"accounts bring <b>{split['margin_share']:.0%}</b> of the margin; <b>{split['changed']}</b> accounts "
            f"are in a different tier than with the starting weights ({f0:.0%} on future value).")


def value_score_explorer(accounts: pd.DataFrame, weights: Mapping[str, float], cost: Iterable[str] = (),
                         future: Iterable[str] = (), customer: str = "customer_id", margin: str = "margin",
                         strategic_share: float = 0.2, scaling: str = "rank", step: float = 0.05):
    """A slider for the weight on future value; the accounts re-rank as it moves.

    Parameters
    ----------
    accounts : one row per account, with the criteria, the id column and a ``margin`` column.
    weights, cost, future, scaling : as in :func:`crmlib.identify.value_score`. The slider starts
        at the weights' own balance (their total weight on future criteria).
    strategic_share : share of the accounts that are strategic.
    step : slider step.

    Returns
    -------
    An ``ipywidgets.VBox`` of the slider, a summary line and the chart. Its attributes
    ``slider``, ``summary`` (an HTML widget) and ``state`` (the :func:`balance_split` result
    now shown, plus ``future_weight``) let code drive and read it.
    """
    import ipywidgets as widgets

    indices = value_indices(accounts, weights, cost=cost, future=future, customer=customer, scaling=scaling)
    accounts = accounts.reset_index(drop=True)
    indices = indices.reset_index(drop=True)
    f0 = float(indices["future_weight"].iloc[0])
    baseline = balance_split(indices, accounts, f0, margin=margin, strategic_share=strategic_share)["tiers"]
    curve = balance_curve(indices, accounts, margin=margin, strategic_share=strategic_share)

    slider = widgets.FloatSlider(value=round(f0 / step) * step, min=0.0, max=1.0, step=step, description="future weight",
                                 readout_format=".0%", continuous_update=False, style={"description_width": "initial"},
                                 layout=widgets.Layout(width="420px"))
    summary = widgets.HTML()
    image = widgets.Image(format="png")
    box = widgets.VBox([slider, summary, image])

    def show(f: float) -> None:
        split = balance_split(indices, accounts, f, margin=margin, strategic_share=strategic_share, baseline=baseline)
        box.state = {**split, "future_weight": f}
        summary.value = _summary_html(split, f, f0)
        with chart_fonts():
            image.value = png_bytes(_figure(indices, split, f, f0, curve))

    slider.observe(lambda change: show(float(change["new"])), names="value")
    box.slider, box.summary, box.image = slider, summary, image
    show(float(slider.value))
    return box
