"""Is a retention campaign worth it? (chapter 5, the retention and churn notebook)

A churn model gives each customer a churn probability. A campaign picks the customers at or
above a **threshold** and makes them a retention offer. Which offer, and how many customers?
This module does the sums for a scored test set, where we know afterwards who really left:

* :data:`RETENTION_BONDS`: three offers, one per level of retention bond (financial,
  financial + social, structural), each with an **assumed** fixed cost, cost per customer
  reached and share of would-be churners it keeps. The numbers are placeholders for a class
  discussion, not measurements; pass your own;
* :func:`campaign_value`: for one threshold and one offer, how many customers are flagged, the
  precision and recall, the margin kept, the cost and the net value;
* :func:`campaign_table`: the same for many thresholds and every offer;
* :func:`retention_explorer`: a threshold slider and the offer buttons, for class.

The sums::

    flagged        = customers with churn probability >= threshold
    caught         = flagged customers who did churn (true positives)
    margin kept    = sum over caught of value_if_kept × saved share
    cost           = fixed cost + flagged × cost per customer   (the offer goes to everyone flagged)
    net value      = margin kept − cost

An offer to a customer who would have stayed anyway saves nothing and still costs money, so a
low threshold (many flagged, low precision) can lose money with a dear offer.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["RETENTION_BONDS", "campaign_value", "campaign_table", "retention_explorer"]

#: Assumed offers, one per level of retention bond: a fixed cost of setting the offer up (CNY), a
#: cost per flagged customer (CNY) and the share of flagged would-be churners the offer keeps.
#: Assumptions for discussion, not data.
RETENTION_BONDS = {
    "financial": {"fixed_cost": 0.0, "cost_per_customer": 4.0, "saved_share": 0.10,
                  "example": "a 4-yuan coupon or double points 优惠券、积分"},
    "financial + social": {"fixed_cost": 0.0, "cost_per_customer": 10.0, "saved_share": 0.20,
                           "example": "coupon plus a personal message and a birthday drink 个性化关怀"},
    "structural": {"fixed_cost": 5000.0, "cost_per_customer": 6.0, "saved_share": 0.35,
                   "example": "a saved 'usual order' and office pre-order pick-up in the mini-program 定制化服务"},
}

_COLUMNS = {"probability": "churn_probability", "churned": "churned", "value": "value_if_kept"}


def _bond(bonds: Mapping, bond: str) -> tuple[float, float, float]:
    if bond not in bonds:
        raise CRMDataError(f"bond {bond!r} is unknown. Fix: pick one of {list(bonds)}.")
    offer = bonds[bond]
    try:
        fixed = float(offer.get("fixed_cost", 0.0))
        cost, share = float(offer["cost_per_customer"]), float(offer["saved_share"])
    except (AttributeError, KeyError, TypeError, ValueError):
        raise CRMDataError(f"bond {bond!r} must give numbers cost_per_customer and saved_share (and optionally fixed_cost), got {offer!r}. "
                           "Fix: pass e.g. {'cost_per_customer': 4, 'saved_share': 0.1}.") from None
    for label, number in (("fixed_cost", fixed), ("cost_per_customer", cost)):
        if not (np.isfinite(number) and number >= 0):
            raise CRMDataError(f"bond {bond!r}: {label} must be a number >= 0, got {number!r}. Fix: pass e.g. 4.")
    validate.share(share, f"saved_share of {bond!r}")
    return fixed, cost, share


def _scored(scored: pd.DataFrame, probability: str, churned: str, value: str) -> pd.DataFrame:
    checked = validate.table(scored, "scored", {probability: "number", churned: "flag", value: "money"})
    p = checked[probability].to_numpy(dtype="float64")
    if ((p < 0) | (p > 1)).any():
        raise validate.rows_error("scored", probability, checked.index[(p < 0) | (p > 1)], problem="outside 0–1",
                                  fix="pass probabilities, e.g. ChurnModel.predict_proba()")
    validate.not_empty(checked, "scored")
    return checked


def campaign_value(scored: pd.DataFrame, threshold: float, bond: str = "financial", bonds: Mapping | None = None,
                   probability: str = "churn_probability", churned: str = "churned", value: str = "value_if_kept") -> dict:
    """What a retention campaign at ``threshold`` with one offer would have flagged, kept and cost.

    Parameters
    ----------
    scored : one row per customer: the model's ``probability``, whether they ``churned``
        (known afterwards, in a test period) and the margin ``value`` they bring if kept (CNY).
    threshold : flag customers with a probability at or above this.
    bond, bonds : the offer's name in ``bonds`` (default :data:`RETENTION_BONDS`).

    Returns
    -------
    dict with ``threshold``, ``bond``, ``flagged``, ``caught`` (flagged churners), ``precision``,
    ``recall``, ``kept_customers`` (expected), ``margin_kept``, ``cost`` and ``net_value``.

    Examples
    --------
    >>> scored = pd.DataFrame({"churn_probability": [0.9, 0.8, 0.3, 0.1], "churned": [True, False, True, False],
    ...                        "value_if_kept": [100.0, 50.0, 80.0, 60.0]})
    >>> r = campaign_value(scored, 0.5, "financial")
    >>> r["flagged"], r["precision"], r["recall"], round(r["net_value"], 2)  # 100 x 0.10 - 2 x 4
    (2, 0.5, 0.5, 2.0)
    """
    bonds = RETENTION_BONDS if bonds is None else bonds
    offer = _bond(bonds, bond)
    t = validate.share(threshold, "threshold")
    checked = _scored(scored, probability, churned, value)
    return _campaign(*_arrays(checked, probability, churned, value), t, bond, *offer)


def _arrays(checked: pd.DataFrame, probability: str, churned: str, value: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (checked[probability].to_numpy(dtype="float64"), checked[churned].to_numpy().astype(bool),
            checked[value].to_numpy(dtype="float64"))


def _campaign(p: np.ndarray, left: np.ndarray, worth: np.ndarray, t: float, bond: str, fixed: float, cost: float,
              share: float) -> dict:
    """The sums of :func:`campaign_value` on checked arrays."""
    flagged = p >= t
    caught = flagged & left
    kept_margin = float(worth[caught].sum() * share)
    n_flagged, n_caught = int(flagged.sum()), int(caught.sum())
    total_cost = fixed + n_flagged * cost
    return {"threshold": t, "bond": bond, "flagged": n_flagged, "caught": n_caught,
            "precision": n_caught / n_flagged if n_flagged else float("nan"),
            "recall": n_caught / int(left.sum()) if left.any() else float("nan"),
            "kept_customers": n_caught * share, "margin_kept": kept_margin, "cost": total_cost,
            "net_value": kept_margin - total_cost}


def campaign_table(scored: pd.DataFrame, thresholds=None, bonds: Mapping | None = None, **columns) -> pd.DataFrame:
    """:func:`campaign_value` for every offer in ``bonds`` and every threshold (default 0.05 … 0.95).

    Returns
    -------
    Long DataFrame, one row per offer and threshold, the columns of :func:`campaign_value`.
    """
    bonds = RETENTION_BONDS if bonds is None else bonds
    thresholds = np.round(np.arange(0.05, 0.951, 0.05), 2) if thresholds is None else thresholds
    names = {**_COLUMNS, **columns}
    unknown = set(columns) - set(_COLUMNS)
    if unknown:
        raise CRMDataError(f"campaign_table got unknown keyword(s) {sorted(unknown)}. Fix: use {sorted(_COLUMNS)}.")
    arrays = _arrays(_scored(scored, names["probability"], names["churned"], names["value"]),
                     names["probability"], names["churned"], names["value"])
    offers = {bond: _bond(bonds, bond) for bond in bonds}
    checked = [validate.share(t, "threshold") for t in thresholds]
    rows = [_campaign(*arrays, t, bond, *offers[bond]) for bond in bonds for t in checked]
    return pd.DataFrame(rows)


def _summary_text(result: dict) -> str:
    return (f"Threshold {result['threshold']:.2f}, {result['bond']} offer: {result['flagged']:,} members flagged, "
            f"precision {result['precision']:.0%}, recall {result['recall']:.0%}. Margin kept "
            f"{result['margin_kept']:,.0f} CNY − cost {result['cost']:,.0f} CNY = net {result['net_value']:+,.0f} CNY.")


def _figure_png(table: pd.DataFrame, result: dict) -> bytes:
    """Net value by threshold for every offer (left), precision and recall (right), on a bare Figure."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter, StrMethodFormatter

    with chart_fonts():
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2)
        for k, (bond, part) in enumerate(table.groupby("bond", sort=False)):
            chosen = bond == result["bond"]
            left.plot(part["threshold"], part["net_value"], color=f"C{k}", lw=2.5 if chosen else 1.2,
                      alpha=1 if chosen else 0.6, label=bond)
        left.plot([result["threshold"]], [result["net_value"]], "o", color="black", markersize=8, label="your choice")
        left.axhline(0, color="black", lw=0.8)
        left.set(title="Campaign net value 挽留活动净值 (assumed offers)", xlabel="churn-probability threshold 阈值",
                 ylabel="margin kept − cost (CNY)")
        left.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        left.legend(fontsize=8, loc="best")
        one = table[table["bond"] == result["bond"]]
        right.plot(one["threshold"], one["precision"], color="#4C72B0", label="precision 精确率")
        right.plot(one["threshold"], one["recall"], color="#DD8452", label="recall 召回率")
        right.axvline(result["threshold"], color="black", ls="--", lw=1)
        right.set(title="Who the campaign reaches 命中情况", xlabel="churn-probability threshold 阈值",
                  ylabel="share", ylim=(0, 1.02))
        right.yaxis.set_major_formatter(PercentFormatter(1.0))
        right.legend(fontsize=8, loc="lower left")
        return png_bytes(fig)


def retention_explorer(scored: pd.DataFrame, threshold: float = 0.5, bond: str = "financial",
                       bonds: Mapping | None = None, **columns):
    """A threshold slider and one button per offer; the campaign's numbers and two charts.

    Parameters
    ----------
    scored : see :func:`campaign_value`.
    threshold, bond : the starting choice.
    bonds : the offers (default :data:`RETENTION_BONDS`, assumptions).

    Returns
    -------
    ``ipywidgets.VBox``; its attributes ``slider``, ``bond`` (the ToggleButtons), ``summary``
    (an HTML widget), ``image`` and ``result()`` (the :func:`campaign_value` shown now) make it
    easy to test.
    """
    import ipywidgets as widgets

    bonds = RETENTION_BONDS if bonds is None else bonds
    table = campaign_table(scored, bonds=bonds, **columns)
    campaign_value(scored, threshold, bond, bonds, **columns)  # fail early, with a clear message
    slider = widgets.FloatSlider(value=round(float(threshold), 2), min=0.05, max=0.95, step=0.05, description="threshold",
                                 continuous_update=False, readout_format=".2f")
    choice = widgets.ToggleButtons(options=list(bonds), value=bond, description="offer")
    summary = widgets.HTML()
    image = widgets.Image(format="png")

    def current() -> dict:
        return campaign_value(scored, slider.value, choice.value, bonds, **columns)

    def show(_change=None) -> None:
        result = current()
        summary.value = f"<b>{_summary_text(result)}</b>"
        image.value = _figure_png(table, result)

    show()
    slider.observe(show, names="value")
    choice.observe(show, names="value")
    box = widgets.VBox([choice, slider, summary, image])
    box.slider, box.bond, box.summary, box.image = slider, choice, summary, image
    box.result = current
    return box
