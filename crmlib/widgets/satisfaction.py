"""What if a brand closed one service gap? (chapter 5, the satisfaction notebook)

:func:`satisfaction_explorer`: pick a group and a dimension, move the perception, see the gap
and the predicted NPS. The numbers come from :class:`crmlib.loyalty.NPSDriverModel` and
:func:`crmlib.loyalty.nps_what_if`, the charts from :func:`crmlib.plots.gap_shift_plot` and
:func:`crmlib.plots.nps_estimate_plot`. It is a model, not an experiment (see
:class:`~crmlib.loyalty.NPSDriverModel`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from crmlib import loyalty, plots, vocabulary
from crmlib.messages import get_language
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["satisfaction_explorer"]


def _dimension_name(dimension: str) -> str:
    """A SERVQUAL dimension as shown: its Chinese name in Chinese, else as it is."""
    chinese = get_language() == "zh"
    return vocabulary.SERVQUAL_DIMENSIONS_ZH.get(dimension, dimension) if chinese else dimension


def _summary(result: dict, name: str) -> str:
    d, s = result["dimension"], result["shift"]
    return _(
        "<b>{name}: perceived {dimension} {shift} points → its gap goes from {gap_now} to {gap_after}, "
        "and the model's NPS from {model} to {predicted} ({change} points). Observed NPS: {observed}.</b>"
    ).format(
        name=name,
        dimension=_dimension_name(d),
        shift=f"{s:+.2f}",
        gap_now=f"{result['gap_now'][d]:+.2f}",
        gap_after=f"{result['gap_after'][d]:+.2f}",
        model=f"{result['model_nps']:+.1f}",
        predicted=f"{result['predicted_nps']:+.1f}",
        change=f"{result['change']:+.1f}",
        observed=f"{result['observed_nps']:+.1f}",
    )


def satisfaction_explorer(
    surveys: pd.DataFrame,
    by: str = "brand_id",
    names: Mapping | None = None,
    group=None,
    dimension: str | None = None,
    shift: float = 1.0,
    model: loyalty.NPSDriverModel | None = None,
):
    """Pick a group and a dimension, move the perception, see the gap and the predicted NPS.

    Parameters
    ----------
    surveys : one row per respondent with the SERVQUAL columns, ``nps_score`` and ``by``.
    by : the group column (e.g. the brand).
    names : optional display name of each group, e.g. ``{"T1": "Aurora Leaf"}``.
    group, dimension, shift : the starting choice; default the first group, its largest negative
        gap, and +1 point.
    model : a :class:`~crmlib.loyalty.NPSDriverModel` fitted with the same ``by``; default one
        is fitted here.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): controls ``group``, ``dimension`` and
    ``shift``; ``state["result"]`` is the :func:`~crmlib.loyalty.nps_what_if` shown now and
    ``state["model"]`` the model.
    """
    import ipywidgets as widgets

    model = model if model is not None else loyalty.NPSDriverModel(by=by).fit(surveys)
    if model.by != by:
        raise CRMDataError(
            _("model was fitted with by={by!r}, not by={by2!r}. Fix: fit NPSDriverModel(by={by2!r}).").format(
                by=model.by, by2=by
            )
        )
    names = {} if names is None else dict(names)
    groups = model.groups_
    start = groups[0] if group is None else group
    if start not in groups:
        raise CRMDataError(
            _("group {group!r} is not among the surveys' {by} values {groups}. Fix: pick one of them.").format(
                group=group, by=by, groups=groups
            )
        )
    if dimension is None:
        gaps = loyalty.nps_what_if(model, surveys, start, model.dimensions[0], 0.0)["gap_now"]
        dimension = min(gaps, key=gaps.get)
    if dimension not in model.dimensions:
        raise CRMDataError(
            _("dimension {dimension!r} is unknown. Fix: pick one of {dimensions}.").format(
                dimension=dimension, dimensions=model.dimensions
            )
        )
    if not -2 <= shift <= 2:
        raise CRMDataError(
            _(
                "shift must be between -2 and 2 points (the slider's range), got {shift!r}. Fix: pass e.g. shift=1."
            ).format(shift=shift)
        )
    controls = {
        "group": widgets.Dropdown(
            options=[(str(names.get(g, g)), g) for g in groups], value=start, description=f"{by}"
        ),
        "dimension": widgets.Dropdown(
            options=model.dimensions
            if get_language() != "zh"
            else [(_dimension_name(d), d) for d in model.dimensions],  # labels in Chinese, values kept
            value=dimension,
            description=_("dimension"),
        ),
        "shift": widgets.FloatSlider(
            value=float(shift),
            min=-2.0,
            max=2.0,
            step=0.25,
            description=_("perception ±"),
            continuous_update=False,
            readout_format="+.2f",
        ),
    }

    def render(group, dimension: str, shift: float) -> View:
        from matplotlib.figure import Figure

        result = loyalty.nps_what_if(model, surveys, group, dimension, shift)
        name = str(names.get(group, group))
        fig = Figure(figsize=(11, 4), layout="constrained")
        left, right = fig.subplots(1, 2, width_ratios=[3, 2])
        plots.gap_shift_plot(result, title=_("{name}: SERVQUAL gaps 服务质量差距").format(name=name), ax=left)
        plots.nps_estimate_plot(result, ax=right)
        return View(_summary(result, name), fig, state={"result": result, "model": model})

    return explorer(controls, render, rows=[["group", "dimension"], "shift"])
