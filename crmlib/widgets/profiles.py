"""Compare the customer profiles of several brands, one attribute at a time (chapter 1).

:func:`profile_explorer` shows how each brand's members split over one attribute (age band, city
tier, join channel, ...), counted either as members or as revenue. Switching between the two
shows which groups bring more (or less) money than their numbers suggest; in the revenue view a
black tick on each bar marks the group's share of members.
:func:`profile_shares` and :func:`largest_gap` compute what the widget shows.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["MEASURES", "profile_shares", "largest_gap", "profile_explorer"]

#: What a share counts: members, or their spending.
MEASURES = {"members": "share of members 会员占比", "revenue": "share of revenue 收入占比"}


def _levels(values: pd.Series) -> list:
    """The values that occur, in category order for a category, sorted otherwise."""
    present = set(values.dropna().unique())
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [level for level in values.cat.categories if level in present]
    return sorted(present, key=str)


def profile_shares(profiles: pd.DataFrame, dimension: str, measure: str = "members", brand: str = "brand_id",
                   spend: str = "spend") -> pd.DataFrame:
    """How each brand's members split over ``dimension``: shares of members or of revenue.

    Parameters
    ----------
    profiles : one row per member, with the ``brand`` column, the ``dimension`` column and
        (for ``measure="revenue"``) the member's total ``spend``.
    measure : "members" (count members) or "revenue" (add up their spend).

    Returns
    -------
    DataFrame: one row per value of the dimension that occurs, one column per brand; each
    column adds up to 1 (0 where a brand has nobody in that group).

    >>> profiles = pd.DataFrame({"brand_id": ["A", "A", "A", "B"], "age": ["young", "old", "old", "young"],
    ...                          "spend": [10.0, 30.0, 60.0, 5.0]})
    >>> profile_shares(profiles, "age")
    brand_id         A    B
    age
    old       0.666667  0.0
    young     0.333333  1.0
    >>> profile_shares(profiles, "age", measure="revenue")
    brand_id    A    B
    age
    old       0.9  0.0
    young     0.1  1.0
    """
    validate.one_of(measure, "measure", list(MEASURES))
    kinds = {brand: "key", dimension: "key", **({spend: "money"} if measure == "revenue" else {})}
    checked = validate.table(profiles, "profiles", kinds)
    weight = checked[spend] if measure == "revenue" else pd.Series(1.0, index=checked.index)
    table = weight.groupby([checked[dimension], checked[brand]], observed=True).sum().unstack(fill_value=0.0)
    table = table.reindex(index=_levels(checked[dimension]), columns=_levels(checked[brand]), fill_value=0.0)
    totals = table.sum()
    if (totals <= 0).any():
        raise CRMDataError(f"profiles: a brand's {measure} add up to 0, so it has no shares. Fix: check column '{spend}'.")
    table = table / totals
    table.index.name, table.columns.name = dimension, brand
    return table


def largest_gap(profiles: pd.DataFrame, dimension: str, brand: str = "brand_id", spend: str = "spend") -> dict:
    """The group whose share of revenue differs most from its share of members.

    Returns a dict with ``brand``, ``group``, ``member_share`` and ``revenue_share``.

    >>> profiles = pd.DataFrame({"brand_id": ["A", "A", "A", "B"], "age": ["young", "old", "mid", "young"],
    ...                          "spend": [10.0, 30.0, 60.0, 5.0]})
    >>> gap = largest_gap(profiles, "age")
    >>> gap["brand"], gap["group"], round(gap["member_share"], 3), gap["revenue_share"]
    ('A', 'mid', 0.333, 0.6)
    """
    members = profile_shares(profiles, dimension, "members", brand=brand, spend=spend)
    revenue = profile_shares(profiles, dimension, "revenue", brand=brand, spend=spend)
    gaps = (revenue - members).abs().stack()
    group, which = gaps.idxmax()  # first largest gap in row (group) order
    return {"brand": which, "group": group, "member_share": float(members.loc[group, which]),
            "revenue_share": float(revenue.loc[group, which])}


def _figure(shares: pd.DataFrame, dimension: str, measure: str, labels: Mapping, members: pd.DataFrame | None = None):
    """Grouped bars, one colour per brand; with ``members`` given, a black tick on each bar marks its share of members."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    fig = Figure(figsize=(9, 4.2), layout="constrained")
    ax = fig.add_subplot()
    n = shares.shape[1]
    width = 0.8 / n
    x = np.arange(len(shares))
    for i, column in enumerate(shares.columns):
        at = x + (i - (n - 1) / 2) * width
        ax.bar(at, shares[column], width=width, label=str(labels.get(column, column)))
        if members is not None:
            ax.hlines(members[column], at - width / 2, at + width / 2, colors="black", linewidth=2,
                      label="share of members 会员占比" if i == 0 else None)
    words = dimension.replace("_", " ")
    ax.set_xticks(x, [str(level) for level in shares.index], rotation=20 if len(shares) > 5 else 0)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set(title=f"{words}: {MEASURES[measure]} by brand", xlabel=words, ylabel=MEASURES[measure])
    ax.legend(title="brand 品牌")
    return fig


def _summary_html(shares: pd.DataFrame, gap: dict, measure: str, labels: Mapping) -> str:
    what = "of members" if measure == "members" else "of revenue"
    biggest = " · ".join(f"{labels.get(b, b)}: {shares[b].idxmax()} ({shares[b].max():.0%})" for b in shares.columns)
    return (f"<b>Largest group</b> ({what}) — {biggest}<br><b>Biggest gap</b> between members and revenue: "
            f"{labels.get(gap['brand'], gap['brand'])}, {gap['group']}: {gap['member_share']:.0%} of members, "
            f"{gap['revenue_share']:.0%} of revenue.")


def profile_explorer(profiles: pd.DataFrame, dimensions: Sequence[str], brand: str = "brand_id", spend: str = "spend",
                     labels: Mapping | None = None):
    """A menu of member attributes and a members/revenue switch; the brands' profiles side by side.

    Parameters
    ----------
    profiles : one row per member (see :func:`profile_shares`).
    dimensions : the attributes offered in the menu; the first is shown first.
    labels : optional names for the brands, e.g. ``{"T1": "Aurora Leaf 极光叶茶"}``.

    Returns
    -------
    An ``ipywidgets.VBox``. Its attributes ``dimension`` (Dropdown), ``measure``
    (ToggleButtons), ``summary`` (HTML) and ``shares`` (the table now shown) let code drive and
    read it.
    """
    import ipywidgets as widgets

    dimensions = [dimensions] if isinstance(dimensions, str) else list(dimensions)
    if not dimensions:
        raise CRMDataError("dimensions is empty. Fix: pass the profile columns to offer, e.g. ['age_band', 'city_tier'].")
    validate.require_columns(profiles, "profiles", [brand, spend, *dimensions])
    labels = {} if labels is None else dict(labels)
    dimension = widgets.Dropdown(options=dimensions, value=dimensions[0], description="attribute")
    measure = widgets.ToggleButtons(options=[(MEASURES[m], m) for m in MEASURES], value="members")
    summary = widgets.HTML()
    image = widgets.Image(format="png")
    box = widgets.VBox([widgets.HBox([dimension, measure]), summary, image])

    def show(_change=None) -> None:
        shares = profile_shares(profiles, dimension.value, measure.value, brand=brand, spend=spend)
        gap = largest_gap(profiles, dimension.value, brand=brand, spend=spend)
        box.shares = shares
        summary.value = _summary_html(shares, gap, measure.value, labels)
        members = None if measure.value == "members" else profile_shares(profiles, dimension.value, "members",
                                                                           brand=brand, spend=spend)
        with chart_fonts():
            image.value = png_bytes(_figure(shares, dimension.value, measure.value, labels, members))

    dimension.observe(show, names="value")
    measure.observe(show, names="value")
    box.dimension, box.measure, box.summary, box.image = dimension, measure, summary, image
    show()
    return box
