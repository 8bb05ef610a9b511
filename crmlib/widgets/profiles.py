"""Compare the customer profiles of several brands, one attribute at a time (chapter 1).

:func:`profile_explorer` shows how each brand's members split over one attribute (age band, city
tier, join channel, ...), counted either as members or as revenue. Switching between the two
shows which groups bring more (or less) money than their numbers suggest; in the revenue view a
black tick on each bar marks the group's share of members. The numbers come from
:func:`crmlib.identify.profile_shares` and :func:`~crmlib.identify.largest_gap`, the chart from
:func:`crmlib.plots.profile_plot`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from crmlib import identify, plots, validate
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["profile_explorer"]


def _summary_html(shares: pd.DataFrame, gap: dict, measure: str, labels: Mapping) -> str:
    what = _("of members") if measure == "members" else _("of revenue")
    biggest = " · ".join(f"{labels.get(b, b)}: {shares[b].idxmax()} ({shares[b].max():.0%})" for b in shares.columns)
    return _(
        "<b>Largest group</b> ({what}) — {biggest}<br><b>Biggest gap</b> between members and revenue: "
        "{brand}, {group}: {members} of members, {revenue} of revenue."
    ).format(
        what=what,
        biggest=biggest,
        brand=labels.get(gap["brand"], gap["brand"]),
        group=gap["group"],
        members=f"{gap['member_share']:.0%}",
        revenue=f"{gap['revenue_share']:.0%}",
    )


def profile_explorer(
    profiles: pd.DataFrame,
    dimensions: Sequence[str],
    brand: str = "brand_id",
    spend: str = "spend",
    labels: Mapping | None = None,
):
    """A menu of member attributes and a members/revenue switch; the brands' profiles side by side.

    Parameters
    ----------
    profiles : one row per member (see :func:`crmlib.identify.profile_shares`).
    dimensions : the attributes offered in the menu; the first is shown first.
    labels : optional names for the brands, e.g. ``{"T1": "Aurora Leaf 极光叶茶"}``.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``dimension`` (Dropdown) and
    ``measure`` (ToggleButtons); ``state["shares"]`` is the table shown now and
    ``state["gap"]`` the :func:`crmlib.identify.largest_gap` of the attribute.
    """
    import ipywidgets as widgets

    dimensions = [dimensions] if isinstance(dimensions, str) else list(dimensions)
    if not dimensions:
        raise CRMDataError(
            _("dimensions is empty. Fix: pass the profile columns to offer, e.g. ['age_band', 'city_tier'].")
        )
    validate.require_columns(profiles, "profiles", [brand, spend, *dimensions])
    labels = {} if labels is None else dict(labels)
    controls = {
        "dimension": widgets.Dropdown(options=dimensions, value=dimensions[0], description=_("attribute")),
        "measure": widgets.ToggleButtons(
            options=[(_("share of members 会员占比"), "members"), (_("share of revenue 收入占比"), "revenue")],
            value="members",
        ),
    }

    def render(dimension: str, measure: str) -> View:
        from matplotlib.figure import Figure

        members = identify.profile_shares(profiles, dimension, "members", brand=brand, spend=spend)
        shares = (
            members
            if measure == "members"
            else identify.profile_shares(profiles, dimension, measure, brand=brand, spend=spend)
        )
        gap = identify.largest_gap(profiles, dimension, brand=brand, spend=spend)
        fig = Figure(figsize=(9, 4.2), layout="constrained")
        plots.profile_plot(
            shares, measure, members=None if measure == "members" else members, labels=labels, ax=fig.add_subplot()
        )
        return View(_summary_html(shares, gap, measure, labels), fig, state={"shares": shares, "gap": gap})

    return explorer(controls, render, rows=[["dimension", "measure"]])
