"""Whom should a campaign reach? (chapter 4, the database-marketing notebook)

A model gives every member a score: how likely they are to buy soon. A campaign then contacts
the top x % by score. The **gains** of the ranking is the share of all buyers found in that top
x %; a random pick of x % of the members finds about x % of them. The **lift** is the ratio of
the two.

* :func:`gains_table`: the gains and lift at 1 %, 2 %, …, 100 % of the members targeted;
* :func:`campaign_value`: what each targeting depth costs and brings, under assumptions you set;
* :func:`targeting_summary`: the numbers at one depth;
* :func:`gains_plot`: the gains chart (the model's curve against the random diagonal);
* :func:`targeting_explorer`: sliders for the depth, the cost per contact and the value per buyer.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["gains_table", "campaign_value", "targeting_summary", "gains_plot", "targeting_explorer"]


def _scores_and_labels(scores, bought) -> tuple[np.ndarray, np.ndarray]:
    """Scores (floats) and outcomes (bools) as arrays of one length, checked."""
    if not isinstance(scores, pd.Series) or not isinstance(bought, pd.Series):
        raise CRMDataError("scores and bought must be pandas Series (one value per customer). "
                           "Fix: pass e.g. pd.Series(model.predict_proba(X)[:, 1], index=test.index) and test[\"buys\"].")
    if len(scores) != len(bought) or not scores.index.equals(bought.index):
        raise CRMDataError("scores and bought must have the same index (the same customers in the same order). "
                           "Fix: build both from the same table, e.g. test.")
    if len(scores) == 0:
        raise CRMDataError("scores is empty. Fix: pass at least one customer.")
    values = pd.to_numeric(scores, errors="coerce").to_numpy(dtype="float64")
    if not np.isfinite(values).all():
        raise CRMDataError("scores has missing or non-numeric values. Fix: score every customer with a number.")
    if bought.isna().any() or not set(pd.unique(bought)) <= {True, False}:
        raise CRMDataError("bought must hold True/False for every customer. Fix: pass a boolean column, e.g. test[\"buys\"].")
    outcomes = bought.to_numpy().astype(bool)
    if not outcomes.any():
        raise CRMDataError("bought is False for every customer, so there are no buyers to find. "
                           "Fix: use a period in which some customers bought.")
    return values, outcomes


def gains_table(scores: pd.Series, bought: pd.Series) -> pd.DataFrame:
    """Cumulative gains and lift of ranking customers by ``scores``, at every whole percent.

    Customers are sorted from the highest score down (ties keep their order in ``scores``);
    targeting ``p`` % means contacting the first ceil(p/100 x n) of them.

    Parameters
    ----------
    scores : one number per customer, higher = more likely to buy (e.g. a predicted probability).
    bought : True for the customers who did buy, same index as ``scores``.

    Returns
    -------
    DataFrame indexed by ``pct`` (1–100): ``targeted`` (customers contacted), ``buyers_reached``,
    ``share_targeted``, ``share_of_buyers`` (gains: buyers reached / all buyers),
    ``random_buyers`` (buyers a random pick of the same size reaches on average), ``hit_rate``
    (buyers reached / targeted) and ``lift`` (share_of_buyers / share_targeted; 1 = no better
    than random).

    Examples
    --------
    >>> scores = pd.Series([0.9, 0.8, 0.3, 0.2, 0.1])
    >>> bought = pd.Series([True, False, True, False, False])
    >>> gains_table(scores, bought).loc[[20, 40, 60, 100], ["targeted", "buyers_reached", "share_of_buyers", "lift"]]
         targeted  buyers_reached  share_of_buyers      lift
    pct
    20          1               1              0.5  2.500000
    40          2               1              0.5  1.250000
    60          3               2              1.0  1.666667
    100         5               2              1.0  1.000000
    """
    values, outcomes = _scores_and_labels(scores, bought)
    n, buyers = len(values), int(outcomes.sum())
    order = np.argsort(-values, kind="stable")
    reached = np.cumsum(outcomes[order])
    pct = np.arange(1, 101)
    targeted = np.array([max(1, math.ceil(p * n / 100 - 1e-9)) for p in pct])
    buyers_reached = reached[targeted - 1]
    share_targeted = targeted / n
    share_of_buyers = buyers_reached / buyers
    return pd.DataFrame({
        "targeted": targeted.astype("int64"),
        "buyers_reached": buyers_reached.astype("int64"),
        "share_targeted": share_targeted,
        "share_of_buyers": share_of_buyers,
        "random_buyers": share_targeted * buyers,
        "hit_rate": buyers_reached / targeted,
        "lift": share_of_buyers / share_targeted,
    }, index=pd.Index(pct, name="pct"))


def campaign_value(gains: pd.DataFrame, cost_per_contact: float, value_per_buyer: float) -> pd.DataFrame:
    """The gains table with the cost and benefit of each targeting depth, for the model and at random.

    ``cost = targeted x cost_per_contact``; ``benefit = buyers_reached x value_per_buyer``;
    ``net = benefit - cost``; ``random_net`` is the same for a random pick of the same size.
    Both money amounts are assumptions of the user, in CNY.

    Examples
    --------
    >>> gains = gains_table(pd.Series([0.9, 0.8, 0.3, 0.2, 0.1]), pd.Series([True, False, True, False, False]))
    >>> campaign_value(gains, 1.0, 4.0).loc[[20, 100], ["cost", "benefit", "net", "random_net"]]
         cost  benefit  net  random_net
    pct
    20    1.0      4.0  3.0         0.6
    100   5.0      8.0  3.0         3.0
    """
    for name, value in (("cost_per_contact", cost_per_contact), ("value_per_buyer", value_per_buyer)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not value >= 0 or not np.isfinite(value):
            raise CRMDataError(f"{name} must be a number of CNY, 0 or more, got {value!r}. Fix: pass e.g. {name}=1.0.")
    missing = [c for c in ("targeted", "buyers_reached", "random_buyers") if c not in gains.columns]
    if missing:
        raise CRMDataError(f"gains: column '{missing[0]}' is missing. Fix: pass the table that gains_table(scores, bought) returns.")
    cost = gains["targeted"] * float(cost_per_contact)
    return gains.assign(cost=cost, benefit=gains["buyers_reached"] * float(value_per_buyer),
                        net=gains["buyers_reached"] * float(value_per_buyer) - cost,
                        random_net=gains["random_buyers"] * float(value_per_buyer) - cost)


def targeting_summary(gains: pd.DataFrame, pct: int, cost_per_contact: float = 1.0, value_per_buyer: float = 5.0) -> dict:
    """The numbers of one targeting depth ``pct`` (1–100), as a dict.

    Keys: ``pct``, ``targeted``, ``buyers_reached``, ``random_buyers``, ``share_of_buyers``,
    ``lift``, ``net``, ``random_net``, and ``best_pct`` (the depth with the highest net value).

    >>> gains = gains_table(pd.Series([0.9, 0.8, 0.3, 0.2, 0.1]), pd.Series([True, False, True, False, False]))
    >>> s = targeting_summary(gains, 20, cost_per_contact=1.0, value_per_buyer=4.0)
    >>> s["buyers_reached"], s["random_buyers"], s["net"], s["best_pct"]
    (1, 0.4, 3.0, 41)
    """
    if isinstance(pct, bool) or not isinstance(pct, (int, np.integer)) or not 1 <= pct <= 100:
        raise CRMDataError(f"pct must be a whole percentage from 1 to 100, got {pct!r}. Fix: pass e.g. pct=20.")
    valued = campaign_value(gains, cost_per_contact, value_per_buyer)
    row = valued.loc[int(pct)]
    return {
        "pct": int(pct),
        "targeted": int(row["targeted"]),
        "buyers_reached": int(row["buyers_reached"]),
        "random_buyers": round(float(row["random_buyers"]), 1),
        "share_of_buyers": float(row["share_of_buyers"]),
        "lift": float(row["lift"]),
        "net": float(row["net"]),
        "random_net": float(row["random_net"]),
        "best_pct": int(valued["net"].idxmax()),
    }


def _summary_text(s: dict, noun: str) -> str:
    return (f"Top {s['pct']}% ({s['targeted']:,} {noun}): {s['buyers_reached']:,} buyers reached "
            f"({s['share_of_buyers']:.0%} of all buyers) vs about {s['random_buyers']:,.0f} at random, lift {s['lift']:.1f}. "
            f"Net value {s['net']:,.0f} CNY (random pick: {s['random_net']:,.0f} CNY); "
            f"the best depth for these assumptions is the top {s['best_pct']}%.")


def gains_plot(gains: pd.DataFrame, highlight: int | None = None, label: str = "model", ax=None):
    """The cumulative gains chart: share of buyers reached against share of customers targeted.

    The diagonal is a random pick. ``highlight`` (a percentage) marks one depth with a dashed
    line and a dot. Returns the Axes.
    """
    from crmlib.plots import COLOURS, new_axes

    missing = [c for c in ("share_targeted", "share_of_buyers") if c not in gains.columns]
    if missing:
        raise CRMDataError(f"gains: column '{missing[0]}' is missing. Fix: pass the table that gains_table(scores, bought) returns.")
    ax = new_axes(ax)
    x = np.concatenate([[0.0], gains["share_targeted"].to_numpy()]) * 100
    y = np.concatenate([[0.0], gains["share_of_buyers"].to_numpy()]) * 100
    ax.plot(x, y, color=COLOURS["customers"], lw=2, label=label)
    ax.plot([0, 100], [0, 100], ":", color=COLOURS["guide"], label="random pick")
    if highlight is not None:
        row = gains.loc[int(highlight)]
        ax.axvline(highlight, ls="--", color="black", lw=1)
        ax.plot([highlight], [row["share_of_buyers"] * 100], "o", color=COLOURS["value"])
        ax.annotate(f"{row['share_of_buyers']:.0%} of buyers", (highlight, row["share_of_buyers"] * 100),
                    xytext=(8, -14), textcoords="offset points")
    ax.set(title="Cumulative gains 累积增益", xlabel="members targeted, highest score first (%)",
           ylabel="share of all buyers reached (%)", xlim=(0, 100), ylim=(0, 101))
    ax.legend(loc="lower right")
    return ax


def _figure_png(valued: pd.DataFrame, pct: int, noun: str) -> bytes:
    """Gains (left) and net value by depth (right), as PNG bytes, drawn on a bare Figure."""
    from matplotlib.figure import Figure

    from crmlib.plots import COLOURS
    with chart_fonts():
        fig = Figure(figsize=(10, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        gains_plot(valued, highlight=pct, ax=left)
        depth = valued.index.to_numpy()
        right.plot(depth, valued["net"], color=COLOURS["customers"], lw=2, label="by model score")
        right.plot(depth, valued["random_net"], ":", color=COLOURS["guide"], label="random pick")
        right.axhline(0, color="black", lw=0.8)
        right.axvline(pct, ls="--", color="black", lw=1)
        right.set(title="Net value of the campaign 净收益", xlabel=f"{noun} targeted (%)", ylabel="benefit − cost (CNY)", xlim=(0, 100))
        right.legend(loc="best")
        return png_bytes(fig)


def targeting_explorer(scores: pd.Series, bought: pd.Series, pct: int = 20, cost_per_contact: float = 1.0,
                       value_per_buyer: float = 5.0, noun: str = "members"):
    """Sliders for the share of customers targeted and the campaign's economics, above two charts.

    Parameters
    ----------
    scores, bought : as for :func:`gains_table` (the test period's scores and outcomes).
    pct : where the depth slider starts, in % (5–100, steps of 5).
    cost_per_contact : CNY per customer contacted (message, coupon handling); an assumption.
    value_per_buyer : CNY of extra margin per buyer the campaign reaches; an assumption.
    noun : what the customers are called in the labels.

    Returns
    -------
    ``ipywidgets.VBox`` with three sliders, a line of text and the charts. Its attributes
    ``slider`` (depth), ``cost_slider`` and ``value_slider`` (the two assumptions), ``summary`` (an
    ``ipywidgets.Label``), ``image`` and ``numbers()`` (the dict of :func:`targeting_summary`
    shown now) make it easy to test.
    """
    import ipywidgets as widgets

    gains = gains_table(scores, bought)
    start = int(pct)
    if not 5 <= start <= 100:
        raise CRMDataError(f"pct must be between 5 and 100, got {pct!r}. Fix: pass e.g. pct=20.")
    campaign_value(gains, cost_per_contact, value_per_buyer)  # checks the two amounts
    slider = widgets.IntSlider(value=start, min=5, max=100, step=5, description="target top %", continuous_update=False,
                               style={"description_width": "initial"})
    cost = widgets.FloatSlider(value=float(cost_per_contact), min=0.0, max=5.0, step=0.1, description="cost per contact (CNY)",
                               continuous_update=False, style={"description_width": "initial"})
    value = widgets.FloatSlider(value=float(value_per_buyer), min=0.0, max=30.0, step=0.5, description="value per buyer (CNY)",
                                continuous_update=False, style={"description_width": "initial"})
    summary = widgets.Label()
    image = widgets.Image(format="png")

    def numbers() -> dict:
        return targeting_summary(gains, slider.value, cost.value, value.value)

    def show(_change=None) -> None:
        summary.value = _summary_text(numbers(), noun)
        image.value = _figure_png(campaign_value(gains, cost.value, value.value), slider.value, noun)

    show()
    for control in (slider, cost, value):
        control.observe(show, names="value")
    box = widgets.VBox([slider, widgets.HBox([cost, value]), summary, image])
    box.slider, box.cost_slider, box.value_slider, box.summary, box.image = slider, cost, value, summary, image
    box.numbers = numbers
    return box
