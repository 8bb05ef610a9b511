"""Plots the course draws, and two switches for how they look.

Every plot function is ``thing_plot(data, ..., ax=None) -> Axes``, like seaborn: pass an Axes to
draw into it, or let the function make a new figure. ``use_cjk_font()`` makes Chinese labels
render; ``style()`` is the course's (opt-in) house style.

Each chart takes the table that one analysis function returns, checks it, and fails with a
:class:`~crmlib.validate.CRMDataError` naming the missing column and the function that makes it:

* chapter 1: :func:`pareto_plot`, :func:`lorenz_plot`, :func:`pyramid_plot`, :func:`rfm_heatmap`,
  :func:`segment_bar_plot`;
* chapter 2: :func:`funnel_plot`, :func:`win_rate_plot`, :func:`pipeline_plot`,
  :func:`acquisition_cost_plot`;
* chapter 5: :func:`cohort_heatmap`, :func:`servqual_gap_plot`, :func:`nps_plot`;
* customer lifetime value: :func:`calibration_holdout_table` and :func:`calibration_holdout_plot`.

Labels are English with the Chinese term beside it; call :func:`use_cjk_font` (or :func:`style`)
once so the Chinese renders. The functions never call ``plt.show()`` and never print.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.identify import _ratio
from crmlib.loyalty import _whole_number
from crmlib.validate import CRMDataError

__all__ = [
    "CJK_FONTS",
    "COLOURS",
    "use_cjk_font",
    "installed_cjk_fonts",
    "style",
    "new_axes",
    "pareto_plot",
    "lorenz_plot",
    "pyramid_plot",
    "rfm_heatmap",
    "segment_bar_plot",
    "funnel_plot",
    "win_rate_plot",
    "pipeline_plot",
    "acquisition_cost_plot",
    "cohort_heatmap",
    "servqual_gap_plot",
    "nps_plot",
    "calibration_holdout_table",
    "calibration_holdout_plot",
]

#: Fonts with Chinese glyphs, best first. Before matplotlib 3.11 Debian's Noto CJK shows up as "JP".
CJK_FONTS = [
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
    "Arial Unicode MS",
]

NO_CJK_FONT = (
    "No Chinese font was found, so Chinese labels will show as empty boxes. "
    "Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; Binder: listed in apt.txt) "
    "and restart the kernel."
)


def use_cjk_font() -> list[str]:
    """Let matplotlib draw Chinese labels; return the Chinese fonts it will fall back to.

    Latin text keeps the default font; characters it lacks fall back to the first installed
    font of :data:`CJK_FONTS`. Where none is installed, one clear warning says how to get one.

    >>> fonts = use_cjk_font()  # doctest: +SKIP
    >>> fonts[0]                # doctest: +SKIP
    'Noto Sans CJK JP'
    """
    import matplotlib as mpl

    found = installed_cjk_fonts()
    if not found:
        warnings.warn(NO_CJK_FONT, UserWarning, stacklevel=2)
        return []
    mpl.rcParams["font.family"] = ["DejaVu Sans", *found]
    mpl.rcParams["axes.unicode_minus"] = False
    return found


def installed_cjk_fonts() -> list[str]:
    """Names of the fonts in :data:`CJK_FONTS` that matplotlib can use, best first.

    A font installed after matplotlib built its font cache is picked up here too: when the cache
    knows none, the system's font files are scanned once and CJK ones are added.
    """
    from matplotlib import font_manager

    def known() -> list[str]:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return [name for name in CJK_FONTS if name in names]

    found = known()
    if not found:
        hints = ("cjk", "wqy", "wenquanyi", "sourcehan", "pingfang", "simhei", "yahei", "msyh")
        for path in font_manager.findSystemFonts():
            if any(h in path.lower().replace(" ", "").replace("-", "") for h in hints):
                font_manager.fontManager.addfont(path)
        found = known()
    return found


def style() -> None:
    """The course's house style: light grid, no top/right spines, readable sizes, CJK fallback.

    >>> style()  # doctest: +SKIP
    """
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.labelsize": 10,
            "legend.frameon": False,
        }
    )
    use_cjk_font()


def new_axes(ax=None, figsize=None):
    """Return ``ax``, or the Axes of a new figure when ``ax`` is None."""
    if ax is not None:
        return ax
    if figsize is not None and not (isinstance(figsize, (tuple, list)) and len(figsize) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 100 for v in figsize)):
        raise CRMDataError(f"figsize must be (width, height) in inches, got {figsize!r}. Fix: pass e.g. figsize=(8, 4).")
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


# --------------------------------------------------------------------------------------------
# shared steps of the chart functions
# --------------------------------------------------------------------------------------------
#: Colours with a fixed meaning across the charts (seaborn's "deep" palette).
COLOURS = {
    "customers": "#4C72B0",
    "value": "#DD8452",
    "good": "#55A868",
    "bad": "#C44E52",
    "neutral": "#B0B0B0",
    "guide": "#7F7F7F",
}

# The analysis call that makes the table each chart draws, quoted in error messages.
_MADE_BY = {
    "pareto": "crmlib.identify.pareto_table(orders)",
    "curves": "crmlib.identify.lorenz_curve(orders)",
    "pyramid": "crmlib.identify.customer_pyramid(orders)",
    "scores": "crmlib.identify.rfm_segments(rfm_scores(rfm_table(orders)))",
    "segments": "crmlib.identify.rfm_segments(scores)",
    "funnel": "crmlib.develop.funnel_table(opportunities)",
    "win_rates": "crmlib.develop.win_rate_by_touches(opportunities, activities)",
    "forecast": "crmlib.develop.pipeline_forecast(opportunities)",
    "costs": "crmlib.develop.acquisition_cost(spend, arrivals)",
    "cohorts": "crmlib.loyalty.cohort_table(orders)",
    "gaps": "crmlib.loyalty.satisfaction_gap(surveys)",
    "nps_table": "crmlib.loyalty.nps(surveys, by=...)",
    "calibration": "crmlib.plots.calibration_holdout_table(...)",
}


def _flat(data, name: str) -> pd.DataFrame:
    """``data`` as one flat table: named index levels (a group, a tier, a dimension) become columns."""
    if not isinstance(data, pd.DataFrame):
        raise CRMDataError(f"{name}: expected a pandas DataFrame, got {type(data).__name__}. "
                           f"Fix: pass the table that {_MADE_BY[name]} returns.")
    levels = [level for level in data.index.names if level is not None and level not in data.columns]
    return data.reset_index(level=levels) if levels else data


# Numbers beyond this size cannot come from the analyses and would overflow the axis limits.
_LARGEST = 1e12


def _missing_column(name: str, column: str, have) -> CRMDataError:
    """The error for a chart's input that lacks ``column``: what the table has and which function makes it."""
    listed = ", ".join(str(c) for c in have) or "no columns"
    return CRMDataError(f"{name}: column '{column}' is missing (the table has: {listed}). "
                        f"Fix: pass the table that {_MADE_BY[name]} returns, or rename your column to '{column}'.")


def _checked(data, name: str, kinds: Mapping[str, str]) -> pd.DataFrame:
    """Check a chart's input table; return a flat copy with number and count columns as floats."""
    flat = _flat(data, name)
    missing = [column for column in kinds if column not in flat.columns]
    if missing:
        raise _missing_column(name, missing[0], flat.columns)
    try:
        checked = validate.table(flat, name, kinds)
    except CRMDataError as err:
        raise CRMDataError(f"{err} This chart draws the table that {_MADE_BY[name]} returns.") from None
    counts = {c: pd.to_numeric(checked[c].astype(object)).astype("float64") for c, kind in kinds.items() if kind == "count"}
    checked = checked.assign(**counts) if counts else checked
    for column in (c for c, kind in kinds.items() if kind in ("number", "count", "money")):
        huge = np.abs(checked[column].to_numpy(dtype="float64")) > _LARGEST
        if huge.any():
            raise validate.rows_error(name, column, checked.index[huge], problem=f"beyond ±{_LARGEST:.0e}, too large to draw",
                                      fix="check the units, or rescale the column (e.g. divide by 1,000)")
    return checked


def _shares(checked: pd.DataFrame, name: str, columns) -> None:
    """Raise unless every value of ``columns`` is a share between 0 and 1."""
    for column in columns:
        values = checked[column].to_numpy(dtype="float64")
        outside = (values < -1e-9) | (values > 1 + 1e-9)
        if outside.any():
            raise validate.rows_error(name, column, checked.index[outside], noun="share", problem="outside 0–1",
                                      fix="shares are fractions from 0 to 1 (0.25 for 25%); divide percentages by 100")


def _axes(ax, figsize):
    """``ax`` checked to be an Axes, or the Axes of a new figure laid out without clipped labels."""
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise CRMDataError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}. "
                           "Fix: pass e.g. fig, ax = plt.subplots() and then ax=ax, or leave ax out.")
    if ax is None:
        ax = new_axes(None, figsize)
        ax.figure.set_layout_engine("constrained")
    return ax


def _decorate(ax, title: str, xlabel: str, ylabel: str, percent: str = "") -> None:
    """Title, axis labels, and percent ticks on the axes named in ``percent`` ("x", "y" or "xy")."""
    from matplotlib.ticker import PercentFormatter

    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    for axis in percent:
        getattr(ax, f"{axis}axis").set_major_formatter(PercentFormatter(1.0))


def _text(value) -> str:
    """A data value as label text; a dollar sign is escaped so matplotlib does not read maths."""
    return str(value).replace("$", r"\$")


def _pct(share: float) -> str:
    """A share as a short percentage: <0.1%, 0.4% below 1%, whole percentages above; a dash for NaN."""
    if not np.isfinite(share):
        return "–"
    if 0 < abs(share) < 0.001:
        return "<0.1%"
    return f"{share:.1%}" if 0 < abs(share) < 0.01 else f"{share:.0%}"


def _short_money(amount: float, _position=None) -> str:
    """Money for a tick: 1.25M, 250k, 80."""
    size = abs(amount)
    if size >= 1e6:
        return f"{amount / 1e6:.3g}M"
    if size >= 1e3:
        return f"{amount / 1e3:.3g}k"
    return f"{amount:.3g}"


def _money_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=5))
    axis.set_major_formatter(FuncFormatter(_short_money))


def _labels(values) -> list[str]:
    """Row labels: tuples of a MultiIndex joined by a dot, everything escaped."""
    return [_text(" · ".join(str(v) for v in value) if isinstance(value, tuple) else value) for value in values]


def _side_legend(ax, **options) -> None:
    """The legend outside the plot, on the right, where it cannot cover bars or their labels."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **options)


def _equality_line(ax) -> None:
    """The diagonal where every customer holds the same value."""
    ax.plot([0, 1], [0, 1], linestyle="--", linewidth=1, color=COLOURS["guide"], label="Line of equality 绝对平均线")


def _annotate_cells(ax, image, texts: np.ndarray, fontsize: float) -> None:
    """Write ``texts`` on the cells of a heat map, white on dark cells and black on light ones."""
    rgba = image.cmap(image.norm(image.get_array()))
    luminance = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
    rows, cols = np.nonzero(texts != "")
    for i, j in zip(rows, cols):  # one text artist per cell; matplotlib draws text one piece at a time
        ax.text(j, i, texts[i, j], ha="center", va="center", fontsize=fontsize,
                color="white" if luminance[i, j] < 0.5 else "black")


def _positions(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position in the order of first appearance, and the distinct values in that order."""
    codes, uniques = pd.factorize(values.astype(object), sort=False)
    return codes, np.asarray(uniques, dtype=object)


# --------------------------------------------------------------------------------------------
# chapter 1: concentration and segments
# --------------------------------------------------------------------------------------------
def pareto_plot(pareto: pd.DataFrame, highlight: float | None = 0.2, ax=None):
    """The Pareto curve (二八法则): running share of value against running share of customers.

    Parameters
    ----------
    pareto : the table of :func:`crmlib.identify.pareto_table`, with ``cum_customer_share`` and
        ``cum_value_share``.
    highlight : mark the point where the top ``highlight`` share of customers ends (the first
        row whose ``cum_customer_share`` reaches it, as :func:`crmlib.identify.top_share`
        counts); None marks nothing.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes. ``ax.lines[0]`` is the curve, starting at (0, 0) and then one point per row;
    ``ax.lines[1]`` the diagonal of equal shares; ``ax.lines[2]`` the highlighted point.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> pareto = pd.DataFrame({"cum_customer_share": [0.25, 0.5, 0.75, 1.0],
    ...                        "cum_value_share": [0.6, 0.8, 0.95, 1.0]})
    >>> ax = pareto_plot(pareto, highlight=0.25)
    >>> ax.lines[0].get_ydata().tolist(), ax.lines[2].get_ydata().tolist()
    ([0.0, 0.6, 0.8, 0.95, 1.0], [0.6])
    >>> plt.close(ax.figure)
    """
    checked = _checked(pareto, "pareto", {"cum_customer_share": "number", "cum_value_share": "number"})
    _shares(checked, "pareto", ["cum_customer_share", "cum_value_share"])
    top = None if highlight is None else validate.share(highlight, "highlight")
    ordered = checked.sort_values("cum_customer_share", kind="stable")
    x = np.concatenate([[0.0], ordered["cum_customer_share"].to_numpy()])
    y = np.concatenate([[0.0], ordered["cum_value_share"].to_numpy()])
    ax = _axes(ax, (6.0, 5.0))
    ax.plot(x, y, linewidth=2, color=COLOURS["value"], label="Customers, most valuable first 客户（价值从高到低）")
    _equality_line(ax)
    if top is not None:
        _mark_top_share(ax, x, y, top)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    _decorate(ax, "Pareto curve: who brings the value in? 帕累托曲线", "Cumulative share of customers 累计客户占比",
              "Cumulative share of value 累计价值占比", percent="xy")
    return ax


def _mark_top_share(ax, x: np.ndarray, y: np.ndarray, top: float) -> None:
    """Point, guide lines and a note at the first point where the customer share reaches ``top``."""
    i = min(int(np.searchsorted(x, top - 1e-9)), len(x) - 1)
    xi, yi = float(x[i]), float(y[i])
    ax.vlines(xi, 0, yi, colors=COLOURS["guide"], linestyles=":", linewidth=1)
    ax.hlines(yi, 0, xi, colors=COLOURS["guide"], linestyles=":", linewidth=1)
    ax.plot([xi], [yi], "o", color=COLOURS["bad"], zorder=3)
    ax.annotate(f"Top {_pct(xi)} of customers\nbring {_pct(yi)} of the value", xy=(xi, yi), xytext=(28, -52),
                textcoords="offset points", fontsize=9, arrowprops={"arrowstyle": "-", "color": COLOURS["guide"]})


def lorenz_plot(curves, by: str | None = None, show_gini: bool = True, ax=None):
    """One or several Lorenz curves (洛伦兹曲线) with the line of equality, Gini in the legend.

    Parameters
    ----------
    curves : the table of :func:`crmlib.identify.lorenz_curve` (``customer_share``,
        ``value_share``); or a dict ``{label: that table}``; or one long table with a ``by``
        column naming the curve each row belongs to.
    by : the column of a long table that names the curves.
    show_gini : put each curve's Gini coefficient in the legend: 1 − 2 × the area under the
        curve (trapezoids), which for a :func:`~crmlib.identify.lorenz_curve` equals
        :func:`crmlib.identify.gini` of the customers' totals.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: one line per curve in the order given (points (0, 0) and (1, 1) added where a
    curve lacks them), then the diagonal.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> curve = pd.DataFrame({"customer_share": [0, 0.25, 0.5, 0.75, 1],
    ...                       "value_share": [0, 0.125, 0.25, 0.5, 1]})
    >>> ax = lorenz_plot({"tea": curve})
    >>> ax.get_legend().get_texts()[0].get_text()
    'tea, Gini 0.31'
    >>> plt.close(ax.figure)
    """
    named = _lorenz_curves(curves, by)
    ax = _axes(ax, (6.0, 5.0))
    for label, (x, y) in named.items():
        gini = 1 - np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]))
        ax.plot(x, y, linewidth=2, label=f"{label}, Gini {gini:.2f}" if show_gini else label)
    _equality_line(ax)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper left")
    title = "Lorenz curve and Gini coefficient 洛伦兹曲线与基尼系数" if show_gini else "Lorenz curve 洛伦兹曲线"
    _decorate(ax, title, "Cumulative share of customers, least valuable first 累计客户占比",
              "Cumulative share of value 累计价值占比", percent="xy")
    return ax


def _lorenz_curves(curves, by) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{label: (x, y)}`` from any of the three input forms of :func:`lorenz_plot`."""
    kinds = {"customer_share": "number", "value_share": "number"}
    if isinstance(curves, Mapping):
        if not curves:
            raise CRMDataError("curves is an empty dict. Fix: pass e.g. {\"all\": lorenz_curve(orders)}.")
        parts = {_text(label): _checked(frame, "curves", kinds) for label, frame in curves.items()}
    else:
        checked = _checked(curves, "curves", kinds if by is None else {**kinds, by: "key"})
        if by is None:
            parts = {"Customers 客户": checked}
        else:
            codes, names = _positions(checked[by])
            parts = {_text(name): checked[codes == i] for i, name in enumerate(names)}
    return {label: _curve_points(part) for label, part in parts.items()}


def _curve_points(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A Lorenz curve's points in order, from (0, 0) to (1, 1)."""
    _shares(part, "curves", ["customer_share", "value_share"])
    ordered = part.sort_values(["customer_share", "value_share"], kind="stable")
    x, y = ordered["customer_share"].to_numpy(), ordered["value_share"].to_numpy()
    if x[0] > 0:
        x, y = np.r_[0.0, x], np.r_[0.0, y]
    if x[-1] < 1:
        x, y = np.r_[x, 1.0], np.r_[y, 1.0]
    return x, y


def pyramid_plot(pyramid: pd.DataFrame, tier: str = "tier", customer_share: str = "customer_share",
                 value_share: str = "value_share", top_first: bool = True, ax=None):
    """The customer pyramid (客户金字塔): each tier's share of the customers beside its share of the value.

    Bars grow left for the customers and right for the value, from one centre line, top tier
    at the top: the left side widens into a pyramid while the right side shows how much the
    few at the top bring. Tiers with no customers and no value are left out.

    Parameters
    ----------
    pyramid : the table of :func:`crmlib.identify.customer_pyramid`. For
        :func:`crmlib.loyalty.tier_summary` pass ``value_share="spend_share", top_first=False``.
    tier, customer_share, value_share : column names (or index name, for ``tier``).
    top_first : whether the first row is the top tier.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes. ``ax.patches`` holds the customer bars (one per tier, top first), then the
    value bars; every bar's width is its share.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> pyramid = pd.DataFrame({"tier": ["key", "ordinary"], "customer_share": [0.2, 0.8],
    ...                         "value_share": [0.7, 0.3]})
    >>> ax = pyramid_plot(pyramid)
    >>> [round(float(p.get_width()), 2) for p in ax.patches]
    [0.2, 0.8, 0.7, 0.3]
    >>> plt.close(ax.figure)
    """
    from matplotlib.ticker import FuncFormatter

    checked = _checked(pyramid, "pyramid", {tier: "key", customer_share: "number", value_share: "number"})
    _shares(checked, "pyramid", [customer_share, value_share])
    validate.unique(checked, "pyramid", tier)
    ordered = checked if top_first else checked.iloc[::-1]
    ordered = ordered[(ordered[customer_share] > 0) | (ordered[value_share] > 0)]
    if ordered.empty:
        raise CRMDataError(f"pyramid: every tier has 0 in '{customer_share}' and '{value_share}', so there is nothing to draw. "
                           f"Fix: pass the table that {_MADE_BY['pyramid']} returns.")
    left, right = ordered[customer_share].to_numpy(), ordered[value_share].to_numpy()
    y = np.arange(len(ordered))
    ax = _axes(ax, (7.5, 0.55 * len(y) + 2.0))
    ax.barh(y, left, left=-left, height=0.75, color=COLOURS["customers"], label="Share of customers 客户占比")
    ax.barh(y, right, left=0, height=0.75, color=COLOURS["value"], label="Share of value 价值占比")
    widest = max(left.max(), right.max())
    pad = 0.02 * widest
    for i in y:  # a label per tier and side
        ax.text(-left[i] - pad, i, _pct(left[i]), ha="right", va="center", fontsize=9)
        ax.text(right[i] + pad, i, _pct(right[i]), ha="left", va="center", fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1.25 * widest, 1.25 * widest)
    ax.set_yticks(y, _labels(ordered[tier]))
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _pct(abs(v))))
    _decorate(ax, "Customer pyramid 客户金字塔", "← share of customers 客户占比    |    share of value 价值占比 →", "Tier 客户层级")
    return ax


def rfm_heatmap(scores: pd.DataFrame, x: str = "FM", value: str | None = None, ax=None):
    """The RFM grid: R score (rows, most recent at the top) × FM, F or M score (columns).

    Each cell shows how many customers have that pair of scores, or with ``value`` the mean
    of that column (e.g. ``"monetary"``) over them. With ``x="FM"`` and a ``segment`` column
    (the output of :func:`crmlib.identify.rfm_segments`) each cell is also labelled with its
    segment's name, so the chart is the segment map filled with the data.

    Parameters
    ----------
    scores : the table of :func:`crmlib.identify.rfm_segments` (R, FM, segment) or, with
        ``x="F"`` or ``x="M"``, of :func:`crmlib.identify.rfm_scores`. Scores are whole
        numbers from 1 to 9.
    x : the score across: "FM" (the combined frequency-monetary score), "F" or "M".
    value : a number column to average per cell; None counts customers.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.images[0].get_array()`` is the grid, row 0 the highest R, column 0 score 1
    (empty cells are 0 customers, or masked for a mean).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> scores = pd.DataFrame({"R": [2, 2, 1], "FM": [1, 2, 2]})
    >>> ax = rfm_heatmap(scores)
    >>> ax.images[0].get_array().tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    >>> plt.close(ax.figure)
    """
    validate.one_of(x, "x", ["FM", "F", "M"])
    kinds = {"R": "count", x: "count"}
    if value is not None:
        kinds[value] = "number"
    has_names = x == "FM" and isinstance(scores, pd.DataFrame) and "segment" in scores.columns
    if has_names:
        kinds["segment"] = "text"
    checked = _checked(scores, "scores", kinds)
    for column in ("R", x):
        outside = ~checked[column].between(1, 9).to_numpy()
        if outside.any():
            raise validate.rows_error("scores", column, checked.index[outside], noun="score", problem="outside 1–9",
                                      fix=f"pass scores from {_MADE_BY['scores']}")
    r, c = checked["R"].to_numpy(dtype=np.int64), checked[x].to_numpy(dtype=np.int64)
    size = int(max(r.max(), c.max()))
    cell = (size - r, c - 1)
    counts = np.zeros((size, size))
    np.add.at(counts, cell, 1)
    if value is None:
        grid, texts = counts, np.array([f"{v:,.0f}" for v in counts.ravel()], dtype=object).reshape(size, size)
    else:
        totals = np.zeros((size, size))
        np.add.at(totals, cell, checked[value].to_numpy(dtype="float64"))
        grid = _ratio(totals, counts)
        texts = np.array([f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}" for v in np.nan_to_num(grid).ravel()], dtype=object).reshape(size, size)
    texts = np.where(counts > 0, texts, "")
    if has_names:
        texts = _with_segment_names(texts, cell, checked["segment"])
    return _draw_rfm_grid(ax, grid, texts, x, value)


def _with_segment_names(texts: np.ndarray, cell: tuple, segment: pd.Series) -> np.ndarray:
    """Put each cell's segment name above its number (long names on two lines)."""
    names = np.full(texts.shape, "", dtype=object)
    firsts = pd.DataFrame({"row": cell[0], "col": cell[1], "name": segment.astype(str).where(segment.notna(), "").to_numpy()})
    firsts = firsts.drop_duplicates(["row", "col"])
    names[firsts["row"].to_numpy(), firsts["col"].to_numpy()] = [
        _text(n).replace(" ", "\n", 1) if len(str(n)) > 12 else _text(n) for n in firsts["name"]]
    return np.where(names != "", names + "\n" + texts, texts)


def _draw_rfm_grid(ax, grid: np.ndarray, texts: np.ndarray, x: str, value: str | None):
    size = grid.shape[0]
    ax = _axes(ax, (1.3 * size + 1.6, 1.05 * size + 1.4))
    finite = grid[np.isfinite(grid)]
    top = finite.max() if finite.size and finite.max() > 0 else 1.0
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="Blues", vmin=0, vmax=top, aspect="auto")
    _annotate_cells(ax, image, texts, fontsize=9 if size <= 5 else 7)
    ax.set_xticks(range(size), [str(s) for s in range(1, size + 1)])
    ax.set_yticks(range(size), [str(s) for s in range(size, 0, -1)])
    ax.grid(False)
    names = {"FM": "FM score (frequency and monetary) 频率与金额得分", "F": "F score (frequency) 购买频率得分",
             "M": "M score (monetary) 消费金额得分"}
    what = "customers per cell 客户数" if value is None else f"mean {_text(value)} per cell 单元格均值"
    _decorate(ax, f"RFM grid: {what}", names[x], "R score (recency, higher = more recent) 最近购买得分")
    return ax


def segment_bar_plot(segments: pd.DataFrame, value: str = "monetary", segment: str = "segment", ax=None):
    """Share of the customers and share of the value in each named segment (客户细分).

    Parameters
    ----------
    segments : one row per customer with a segment name and a money column, e.g. the table
        of :func:`crmlib.identify.rfm_segments` (whose ``monetary`` is each customer's total).
    value : the money column whose total is shared out.
    segment : the segment column. A category keeps its order (best first for RFM segments) and
        leaves out empty segments; other segments are sorted by value, largest first.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.patches`` holds the customer-share bars (one per segment, top first), then
    the value-share bars.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> segments = pd.DataFrame({"segment": ["Champions", "Lost", "Lost", "Lost"],
    ...                          "monetary": [600.0, 100.0, 200.0, 100.0]})
    >>> ax = segment_bar_plot(segments)
    >>> [float(p.get_width()) for p in ax.patches]
    [0.25, 0.75, 0.6, 0.4]
    >>> plt.close(ax.figure)
    """
    checked = _checked(segments, "segments", {segment: "key", value: "money"})
    ordered_categories = isinstance(checked[segment].dtype, pd.CategoricalDtype)
    grouped = checked.groupby(segment, observed=True, sort=ordered_categories)[value].agg(["size", "sum"])
    if not ordered_categories:
        grouped = grouped.sort_values("sum", ascending=False, kind="stable")
    total = float(grouped["sum"].sum())
    if not total > 0 or not math.isfinite(total):
        raise CRMDataError(f"segments: column '{value}' adds up to {total:g}, so it cannot be shared out. "
                           "Fix: pass each customer's positive total, e.g. the monetary column of rfm_table().")
    customer_share = grouped["size"].to_numpy() / len(checked)
    value_share = grouped["sum"].to_numpy() / total
    y = np.arange(len(grouped))
    ax = _axes(ax, (9.0, 0.5 * len(y) + 1.8))
    bars = [ax.barh(y - 0.2, customer_share, height=0.4, color=COLOURS["customers"], label="Share of customers 客户占比"),
            ax.barh(y + 0.2, value_share, height=0.4, color=COLOURS["value"], label="Share of value 价值占比")]
    for container, shares in zip(bars, (customer_share, value_share)):
        ax.bar_label(container, labels=[_pct(s) for s in shares], padding=2, fontsize=8)
    ax.set_yticks(y, _labels(grouped.index))
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15 * max(customer_share.max(), value_share.max()))
    _side_legend(ax)
    _decorate(ax, "Segments: customers and value 客户细分", "Share of all customers / of the total value 占比",
              "Segment 细分群体", percent="x")
    return ax


# --------------------------------------------------------------------------------------------
# chapter 2: funnel, win rate, pipeline, acquisition cost
# --------------------------------------------------------------------------------------------
def funnel_plot(funnel: pd.DataFrame, by: str | None = None, value: str | None = None, ax=None):
    """The sales funnel (销售漏斗): how many reach each stage, and the conversion between stages.

    Without ``by``: centred horizontal bars, first stage at the top, each with its count and
    the stage-to-stage conversion (reached here / reached at the previous stage, as in
    :func:`crmlib.develop.funnel_table`). With ``by``: grouped bars, one colour per group, of
    the share of the group's first stage that reaches each stage (groups of different size
    compare fairly), labelled with that share.

    Parameters
    ----------
    funnel : the table of :func:`crmlib.develop.funnel_table` (``stage``, ``reached``, and
        the ``by`` column if it was grouped). Stages are drawn in the order of the rows.
    by : the grouping column of a grouped funnel table.
    value : "reached" (counts) or "overall" (share of the first stage); default "reached"
        without ``by`` and "overall" with it.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds one bar per stage (group after group with ``by``) whose
    width is the value drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> funnel = pd.DataFrame({"stage": ["lead", "proposal", "won"], "reached": [10, 4, 1]})
    >>> ax = funnel_plot(funnel)
    >>> [float(p.get_width()) for p in ax.patches]
    [10.0, 4.0, 1.0]
    >>> plt.close(ax.figure)
    """
    value = ("reached" if by is None else "overall") if value is None else value
    validate.one_of(value, "value", ["reached", "overall"])
    kinds = {"stage": "key", "reached": "count"}
    if by is not None:
        kinds[by] = "key"
    checked = _checked(funnel, "funnel", kinds)
    validate.unique(checked, "funnel", ["stage"] if by is None else [by, "stage"])
    stage_at, stages = _positions(checked["stage"])
    group_at, groups = _positions(checked[by]) if by is not None else (np.zeros(len(checked), dtype=np.int64), np.array([None]))
    reached = np.zeros((len(groups), len(stages)))
    reached[group_at, stage_at] = checked["reached"].to_numpy()
    shown = reached if value == "reached" else _ratio(reached, reached[:, :1])
    if by is None:
        ax = _axes(ax, (7.5, 0.55 * len(stages) + 1.8))
        _centred_funnel(ax, _labels(stages), reached[0], shown[0], value)
        title = "Sales funnel 销售漏斗"
    else:
        ax = _axes(ax, (9.5, min(0.16 * reached.size + 0.4 * len(stages) + 1.5, 14.0)))
        _grouped_funnel(ax, _labels(stages), _labels(groups), shown, value, by)
        title = f"Sales funnel by {_text(by)} 分组销售漏斗"
    xlabel = "Number reaching the stage 到达该阶段的数量" if value == "reached" else "Share of the first stage reaching it 相对首阶段的转化率"
    _decorate(ax, title, xlabel, "Stage 阶段", percent="" if value == "reached" or by is None else "x")
    return ax


def _centred_funnel(ax, stages: list[str], reached: np.ndarray, shown: np.ndarray, value: str) -> None:
    """One funnel: centred bars with their number inside and the conversion on the right."""
    y = np.arange(len(stages))
    widest = max(float(np.nanmax(shown)) if np.isfinite(shown).any() else 0.0, 1e-12)
    widths = np.nan_to_num(shown)
    ax.barh(y, widths, left=(widest - widths) / 2, height=0.75, color=COLOURS["customers"])
    step = np.r_[np.nan, _ratio(reached[1:], reached[:-1])]
    for i in y:  # number and conversion of each stage
        number = f"{reached[i]:,.0f}" if value == "reached" else _pct(shown[i])
        inside = widths[i] >= 0.18 * widest
        ax.text(widest / 2 if inside else (widest + widths[i]) / 2 + 0.01 * widest, i, number, va="center",
                ha="center" if inside else "left", color="white" if inside else "black", fontsize=9)
        if i > 0:
            ax.text(1.03 * widest, i, f"{_pct(step[i])} of previous", va="center", fontsize=9, color=COLOURS["guide"])
    if len(stages) > 1:
        ax.text(1.03 * widest, 0, "stage-to-stage\nconversion 转化率", va="center", fontsize=9, color=COLOURS["guide"], style="italic")
    ax.set_xlim(0, 1.35 * widest)
    ax.set_xticks([])
    ax.set_yticks(y, stages)
    ax.invert_yaxis()
    ax.grid(False)


def _grouped_funnel(ax, stages: list[str], groups: list[str], shown: np.ndarray, value: str, by: str) -> None:
    """Several funnels: per stage one bar per group, labelled with its number or share."""
    y = np.arange(len(stages))
    height = 0.8 / len(groups)
    for g, name in enumerate(groups):  # one bar series per group
        bars = ax.barh(y - 0.4 + height * (g + 0.5), np.nan_to_num(shown[g]), height=height, label=name)
        labels = [f"{v:,.0f}" if value == "reached" else _pct(v) for v in shown[g]]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=7)
    finite = shown[np.isfinite(shown)]
    ax.set_xlim(0, 1.12 * max(finite.max() if finite.size else 0.0, 1e-12))
    ax.set_yticks(y, stages)
    ax.invert_yaxis()
    _side_legend(ax, title=_text(by))


def win_rate_plot(win_rates: pd.DataFrame, touch: str = "visit", pooled_last: bool = False, ax=None):
    """Win rate (赢单率) by number of touches, with the Wilson interval of each rate as error bars.

    Parameters
    ----------
    win_rates : the table of :func:`crmlib.develop.win_rate_by_touches` (``touches``,
        ``deals``, ``win_rate``, ``ci_low``, ``ci_high``).
    touch : what was counted, for the labels ("visit", "call", ...).
    pooled_last : label the last number "n+" (when the table was made with ``max_touches=n``).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds one bar per row (sorted by touches) at x = touches, height
    = win rate; ``ax.containers[1]`` holds the error bars from ``ci_low`` to ``ci_high``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> rates = pd.DataFrame({"touches": [1, 2, 3], "deals": [20, 10, 8], "win_rate": [0.05, 0.2, 0.5],
    ...                       "ci_low": [0.01, 0.06, 0.22], "ci_high": [0.24, 0.51, 0.78]})
    >>> ax = win_rate_plot(rates, pooled_last=True)
    >>> [float(p.get_height()) for p in ax.patches], ax.get_xticklabels()[-1].get_text()
    ([0.05, 0.2, 0.5], '3+\\n8 deals')
    >>> plt.close(ax.figure)
    """
    if not isinstance(touch, str) or not touch:
        raise CRMDataError(f"touch must be the name of what was counted, got {touch!r}. Fix: pass e.g. touch=\"visit\".")
    checked = _checked(win_rates, "win_rates", {"touches": "count", "deals": "count", "win_rate": "number",
                                                "ci_low": "number", "ci_high": "number"})
    validate.unique(checked, "win_rates", "touches")
    _shares(checked, "win_rates", ["win_rate", "ci_low", "ci_high"])
    rate, low, high = (checked[c].to_numpy() for c in ("win_rate", "ci_low", "ci_high"))
    outside = (low > rate + 1e-9) | (rate > high + 1e-9)
    if outside.any():
        raise validate.rows_error("win_rates", "ci_low", checked.index[outside], noun="row", problem="whose win_rate is not between ci_low and ci_high",
                                  fix=f"pass the table that {_MADE_BY['win_rates']} returns")
    ordered = checked.sort_values("touches", kind="stable")
    x, rate, low, high = (ordered[c].to_numpy() for c in ("touches", "win_rate", "ci_low", "ci_high"))
    deals = ordered["deals"].to_numpy()
    ax = _axes(ax, (max(6.0, 0.8 * len(x) + 2.5), 4.5))
    ax.bar(x, rate, width=0.7, color=COLOURS["customers"], label="Win rate 赢单率")
    ax.errorbar(x, rate, yerr=np.vstack([rate - low, high - rate]).clip(0), fmt="none", ecolor="#333333",
                capsize=4, linewidth=1.2, label="Wilson confidence interval 置信区间")
    for xi, yi, top in zip(x, rate, high):  # the rate above each whisker
        ax.text(xi, top + 0.015, _pct(yi), ha="center", va="bottom", fontsize=8)
    ticks = [f"{t:.0f}" for t in x]
    if pooled_last:
        ticks[-1] += "+"
    ax.set_xticks(x, [f"{t}\n{n:,.0f} deals" for t, n in zip(ticks, deals)])
    ax.set_ylim(0, min(1.12, float(high.max()) + 0.1))
    ax.legend(loc="upper left")
    zh = "拜访次数" if touch == "visit" else "接触次数"
    _decorate(ax, f"Win rate by number of {_text(touch)}s 赢单率与{zh}",
              f"{_text(touch).capitalize()}s before the deal closed {zh}", "Win rate of closed deals 赢单率", percent="y")
    return ax


def pipeline_plot(forecast: pd.DataFrame, ax=None):
    """The pipeline forecast (销售管道预测): open amount and expected value per stage.

    Parameters
    ----------
    forecast : the table of :func:`crmlib.develop.pipeline_forecast` (``stage``, ``amount``,
        ``expected_value``); its ``total`` row goes into the title instead of a bar.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds the open-amount bars (one per stage, first at the top), then
    the expected-value bars.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> forecast = pd.DataFrame({"stage": ["proposal", "negotiation", "total"],
    ...                          "amount": [1000.0, 500.0, 1500.0], "expected_value": [400.0, 300.0, 700.0]})
    >>> ax = pipeline_plot(forecast)
    >>> [float(p.get_width()) for p in ax.patches]
    [1000.0, 500.0, 400.0, 300.0]
    >>> plt.close(ax.figure)
    """
    checked = _checked(forecast, "forecast", {"stage": "key", "amount": "money", "expected_value": "money"})
    stages = checked[checked["stage"].astype(object) != "total"]
    if stages.empty:
        raise CRMDataError(f"forecast has no stage rows besides 'total'. Fix: pass the table that {_MADE_BY['forecast']} returns.")
    amount, expected = stages["amount"].to_numpy(), stages["expected_value"].to_numpy()
    above = expected > amount * (1 + 1e-9)
    if above.any():
        raise validate.rows_error("forecast", "expected_value", stages.index[above], problem="above the amount",
                                  fix="the expected value is amount × win probability, so at most the amount")
    y = np.arange(len(stages))
    ax = _axes(ax, (8.5, 0.6 * len(y) + 1.9))
    ax.barh(y, amount, height=0.7, color=COLOURS["neutral"], label="Open amount 在途金额")
    ax.barh(y, expected, height=0.36, color=COLOURS["good"], label="Expected value 预期价值")
    chance = _ratio(expected, amount)
    for i in y:  # expected value and win probability of each stage
        ax.text(amount[i] + 0.01 * max(amount.max(), 1e-12), i, f"{expected[i]:,.0f} expected ({_pct(chance[i])})",
                va="center", fontsize=8)
    ax.set_xlim(0, 1.45 * max(amount.max(), 1e-12))
    _money_axis(ax.xaxis)
    ax.set_yticks(y, _labels(stages["stage"]))
    ax.invert_yaxis()
    _side_legend(ax)
    total_amount, total_expected = float(amount.sum()), float(expected.sum())
    _decorate(ax, f"Pipeline forecast 销售管道预测: {total_expected:,.0f} expected of {total_amount:,.0f} open",
              "Amount 金额", "Stage of the open deals 商机阶段")
    return ax


def acquisition_cost_plot(costs: pd.DataFrame, ax=None):
    """Cost per acquisition (获客成本) by channel: spend / newcomers, in the order of the table.

    Parameters
    ----------
    costs : the table of :func:`crmlib.develop.acquisition_cost` (``channel``, ``spend``,
        ``acquired``); the cost is recomputed as spend / acquired, and a channel that brought
        nobody gets no bar and a note instead.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds one bar per channel, first at the top, width = cost per
    acquisition (0 where nobody was acquired).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> costs = pd.DataFrame({"channel": ["referral", "online ads"], "spend": [300.0, 900.0], "acquired": [3, 2]})
    >>> ax = acquisition_cost_plot(costs)
    >>> [float(p.get_width()) for p in ax.patches]
    [100.0, 450.0]
    >>> plt.close(ax.figure)
    """
    checked = _checked(costs, "costs", {"channel": "key", "spend": "money", "acquired": "count"})
    spend, acquired = checked["spend"].to_numpy(), checked["acquired"].to_numpy()
    cost = _ratio(spend, acquired)
    y = np.arange(len(checked))
    ax = _axes(ax, (7.5, 0.5 * len(y) + 1.8))
    ax.barh(y, np.nan_to_num(cost), height=0.7, color=COLOURS["customers"])
    finite = cost[np.isfinite(cost)]
    widest = max(finite.max() if finite.size else 0.0, 1e-12)
    for i in y:  # cost and newcomers of each channel
        note = f"{cost[i]:,.0f} per newcomer ({acquired[i]:,.0f} acquired)" if acquired[i] > 0 else f"nobody acquired ({spend[i]:,.0f} spent)"
        ax.text(np.nan_to_num(cost[i]) + 0.01 * widest, i, note, va="center", fontsize=8)
    ax.set_xlim(0, 1.6 * widest)
    _money_axis(ax.xaxis)
    ax.set_yticks(y, _labels(checked["channel"]))
    ax.invert_yaxis()
    _decorate(ax, "Cost per acquisition by channel 各渠道获客成本", "Spend per newcomer 单个获客成本", "Channel 渠道")
    return ax


# --------------------------------------------------------------------------------------------
# chapter 5: cohorts, SERVQUAL, NPS
# --------------------------------------------------------------------------------------------
_PERIOD_NAMES = {"M": ("Months", "月数"), "W": ("Weeks", "周数"), "Q": ("Quarters", "季度数"), "D": ("Days", "天数")}


def cohort_heatmap(cohorts: pd.DataFrame, value: str = "retention", annotate: bool | None = None, ax=None):
    """Cohort retention (同期群留存率): cohorts down, periods since the first purchase across.

    Cells are coloured by ``value`` and, when annotated, show it (as a percentage for
    retention). Period 0 is included: it is 100% by definition, so the colour scale ends at the
    highest value of the later periods and period 0 shows in the darkest colour. Cells that
    cannot be observed yet are blank.

    Parameters
    ----------
    cohorts : the long table of :func:`crmlib.loyalty.cohort_table` (grouped ones too: the
        rows are then group · cohort), or its :func:`crmlib.loyalty.cohort_matrix`.
    value : the column of the long table to draw: "retention" or "active_customers".
    annotate : write each cell's value; default only while the cells are big enough
        (at most 36 columns and 48 rows); without numbers a colour bar is added.
    ax : Axes to draw into; default a new figure sized to the matrix.

    Returns
    -------
    The Axes; ``ax.images[0].get_array()`` is the cohort × period matrix (masked where not
    observed).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.loyalty import cohort_table
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
    ...                        "order_date": ["2024-01-03", "2024-03-09", "2024-01-20", "2024-02-02", "2024-03-15"]})
    >>> ax = cohort_heatmap(cohort_table(orders))
    >>> ax.images[0].get_array().tolist()
    [[1.0, 0.0, 0.5], [1.0, 1.0, None]]
    >>> plt.close(ax.figure)
    """
    if annotate is not None and not isinstance(annotate, (bool, np.bool_)):
        raise CRMDataError(f"annotate must be True, False or None, got {annotate!r}. Fix: pass annotate=True.")
    matrix, percent = _cohort_grid(cohorts, value)
    grid = matrix.to_numpy(dtype="float64")
    n_rows, n_cols = grid.shape
    annotate = (n_cols <= 36 and n_rows <= 48) if annotate is None else bool(annotate)
    ax = _axes(ax, (min(max(6.0, 0.48 * n_cols + 2.4), 18.0), min(max(3.5, 0.3 * n_rows + 1.6), 14.0)))
    finite = grid[:, 1:][np.isfinite(grid[:, 1:])] if percent and n_cols > 1 else grid[np.isfinite(grid)]
    top = finite.max() if finite.size and finite.max() > 0 else 1.0
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="YlGnBu", vmin=0, vmax=top, aspect="auto", interpolation="nearest")
    if annotate:
        texts = np.array([(_pct(v) if percent else f"{v:,.0f}") if np.isfinite(v) else "" for v in grid.ravel()],
                         dtype=object).reshape(grid.shape)
        _annotate_cells(ax, image, texts, fontsize=8 if n_cols <= 12 else 6.5 if n_cols <= 24 else 5.5)
    else:
        from matplotlib.ticker import PercentFormatter

        ax.figure.colorbar(image, ax=ax, format=PercentFormatter(1.0) if percent else None)
    _cohort_ticks(ax, matrix)
    unit, unit_zh = _period_unit(matrix.index)
    what = "Cohort retention 同期群留存率" if percent and value == "retention" else f"Cohorts: {_text(value)} 同期群分析"
    _decorate(ax, what, f"{unit} since the first purchase 首购后{unit_zh}", "Cohort (first purchase) 同期群（首购时间）")
    return ax


def _cohort_grid(cohorts, value: str) -> tuple[pd.DataFrame, bool]:
    """The cohort × period matrix from the long or the wide form, and whether it holds shares."""
    from crmlib.loyalty import cohort_matrix

    if not isinstance(cohorts, pd.DataFrame):
        _flat(cohorts, "cohorts")  # raises the not-a-table error
    placed = {n for n in cohorts.index.names if n is not None}
    if {"cohort", "period_number"} <= placed | set(cohorts.columns):
        moved = [c for c in ("cohort", "period_number") if c not in placed]
        table = cohorts.set_index(moved, append=bool(placed)) if moved else cohorts
        keys = table.index.to_frame(index=False)
        _checked(keys, "cohorts", {"cohort": "key", "period_number": "count"})
        try:
            matrix = cohort_matrix(table, value=value)
        except CRMDataError as err:
            raise CRMDataError(f"{err} This chart draws the table that {_MADE_BY['cohorts']} returns.") from None
        percent = value == "retention"
        if percent:
            _shares(pd.DataFrame({value: np.nan_to_num(matrix.to_numpy(dtype="float64").ravel())}), "cohorts", [value])
        return matrix, percent
    if not _period_columns(cohorts):
        known = placed | set(cohorts.columns)
        if value in known or {"cohort", "period_number"} & known:  # a long table without one of its keys
            raise _missing_column("cohorts", "cohort" if "cohort" not in known else "period_number", cohorts.columns)
        listed = ", ".join(str(c) for c in cohorts.columns) or "no columns"
        raise CRMDataError(f"cohorts: column '{value}' is missing and the columns are not period numbers (the table has: {listed}). "
                           f"Fix: pass the table that {_MADE_BY['cohorts']} returns, or its cohort_matrix().")
    matrix = _wide_cohorts(cohorts)
    finite = matrix.to_numpy(dtype="float64")
    finite = finite[np.isfinite(finite)]
    return matrix, bool(((finite >= 0) & (finite <= 1)).all())


def _period_columns(matrix: pd.DataFrame) -> bool:
    """Whether the columns are period numbers 0, 1, 2, ... as in a cohort matrix."""
    try:
        periods = np.asarray(matrix.columns, dtype="float64")
    except (TypeError, ValueError):
        return False
    return bool(periods.size) and bool(np.all(np.isfinite(periods) & (periods >= 0) & (periods % 1 == 0)))


def _wide_cohorts(matrix: pd.DataFrame) -> pd.DataFrame:
    """A cohort × period matrix checked: numbers (or gaps) in every column, some cell observed."""
    validate.not_empty(matrix, "cohorts")
    for column in matrix.columns:
        values = matrix[column]
        if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            raise CRMDataError(f"cohorts: column '{column}' holds {values.dtype} values, not numbers. "
                               f"Fix: pass the matrix that cohort_matrix({_MADE_BY['cohorts']}) returns.")
        endless = np.isinf(values.to_numpy(dtype="float64"))
        if endless.any():
            raise validate.rows_error("cohorts", str(column), matrix.index[endless], noun="infinite value", fix="replace them by real numbers")
    if matrix.isna().all().all():
        raise CRMDataError("cohorts: every cell is empty. Fix: pass a matrix with observed cells.")
    return matrix


def _cohort_ticks(ax, matrix: pd.DataFrame) -> None:
    """Every cohort and period labelled, or every k-th where there are many."""
    n_rows, n_cols = matrix.shape
    rows = np.arange(0, n_rows, math.ceil(n_rows / 48))
    cols = np.arange(0, n_cols, math.ceil(n_cols / 36))
    size = 8 if max(n_rows, n_cols) <= 24 else 6.5
    ax.set_xticks(cols, [f"{float(c):g}" for c in np.asarray(matrix.columns, dtype="float64")[cols]], fontsize=size)
    ax.set_yticks(rows, _labels(matrix.index[rows]), fontsize=size)
    ax.grid(False)


def _period_unit(index: pd.Index) -> tuple[str, str]:
    """The name of the period (months, weeks, ...) from the cohorts' period type."""
    level = index.get_level_values("cohort") if "cohort" in index.names else index
    if isinstance(level, pd.PeriodIndex):
        return _PERIOD_NAMES.get(level.freqstr[0], ("Periods", "期数"))
    return ("Periods", "期数")


def servqual_gap_plot(gaps: pd.DataFrame, by: str | None = None, ax=None):
    """SERVQUAL (服务质量差距): expectation and perception per dimension, joined, with the gap.

    A dumbbell per dimension: an open circle at the mean expectation, a filled one at the mean
    perception, and the gap (perception − expectation) written on the right, red where the
    service falls short. With groups (e.g. brands) each dimension has one dumbbell per group,
    coloured by group.

    Parameters
    ----------
    gaps : the table of :func:`crmlib.loyalty.satisfaction_gap` (``dimension`` in the index
        or a column, ``expectation``, ``perception``).
    by : the grouping column; default the group level of the index when ``satisfaction_gap``
        was called with ``by``.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; for each group in order ``ax.lines`` holds the expectation points, then the
    perception points (x = score, one point per dimension, first dimension at the top).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> gaps = pd.DataFrame({"dimension": ["speed", "taste"], "expectation": [6.5, 5.0], "perception": [4.5, 5.5]})
    >>> ax = servqual_gap_plot(gaps)
    >>> ax.lines[0].get_xdata().tolist(), ax.lines[1].get_xdata().tolist()
    ([6.5, 5.0], [4.5, 5.5])
    >>> plt.close(ax.figure)
    """
    if by is None and isinstance(gaps, pd.DataFrame):
        levels = [n for n in gaps.index.names if n is not None and n != "dimension" and n not in gaps.columns]
        by = levels[0] if len(levels) == 1 else None
    kinds = {"dimension": "key", "expectation": "number", "perception": "number"}
    if by is not None:
        kinds[by] = "key"
    checked = _checked(gaps, "gaps", kinds)
    validate.unique(checked, "gaps", ["dimension"] if by is None else [by, "dimension"])
    dim_at, dimensions = _positions(checked["dimension"])
    group_at, groups = _positions(checked[by]) if by is not None else (np.zeros(len(checked), dtype=np.int64), np.array(["all"], dtype=object))
    offsets = np.linspace(-0.28, 0.28, len(groups)) if len(groups) > 1 else np.zeros(1)
    y = dim_at + offsets[group_at]
    expected, perceived = checked["expectation"].to_numpy(), checked["perception"].to_numpy()
    ax = _axes(ax, (8.5, max(3.5, (0.45 + 0.22 * len(groups)) * len(dimensions) + 1.8)))
    _dumbbells(ax, y, expected, perceived, group_at, groups)
    ax.set_yticks(np.arange(len(dimensions)), _labels(dimensions))
    ax.invert_yaxis()
    _decorate(ax, "SERVQUAL: expectation vs perception 服务质量差距", "Mean score on the survey scale 平均得分", "Dimension 维度")
    return ax


def _dumbbells(ax, y, expected, perceived, group_at, groups) -> None:
    """Points, joining lines, gap labels and the legend of :func:`servqual_gap_plot`."""
    from matplotlib.lines import Line2D

    several = len(groups) > 1
    colours = [f"C{g % 10}" for g in range(len(groups))] if several else [COLOURS["customers"]]
    low, high = min(expected.min(), perceived.min()), max(expected.max(), perceived.max())
    pad = max(high - low, 0.5) * 0.06
    gap = perceived - expected
    for g, colour in enumerate(colours):  # one colour per group
        mine = group_at == g
        ax.hlines(y[mine], expected[mine], perceived[mine], colors=colour, linewidth=2, alpha=0.45)
        ax.plot(expected[mine], y[mine], "o", markerfacecolor="white", markeredgecolor=colour, markersize=7, linestyle="none")
        ax.plot(perceived[mine], y[mine], "o", color=colour, markersize=7, linestyle="none")
    for yi, gi, right in zip(y, gap, np.maximum(expected, perceived)):  # the gap of each dumbbell
        ax.text(right + pad, yi, f"{gi:+.2f}", va="center", fontsize=8, color=COLOURS["bad"] if gi < 0 else COLOURS["good"])
    ax.set_xlim(low - 2 * pad, high + 5 * pad)
    grey = COLOURS["guide"]
    handles = [Line2D([], [], marker="o", linestyle="none", markerfacecolor="white", markeredgecolor=grey, label="Expectation 期望"),
               Line2D([], [], marker="o", linestyle="none", color=grey, label="Perception 感知")]
    if several:
        handles += [Line2D([], [], marker="o", linestyle="none", color=c, label=_text(n)) for c, n in zip(colours, groups)]
    _side_legend(ax, handles=handles, title="gap = perception − expectation", title_fontsize=8)


def nps_plot(nps_table, by: str | None = None, ax=None):
    """Net Promoter Score (净推荐值): detractors, passives and promoters stacked, NPS written beside.

    Parameters
    ----------
    nps_table : the result of :func:`crmlib.loyalty.nps`: with ``by`` a table (one row per
        group, groups in the index), without it a Series (drawn as one bar "all").
    by : a column naming the groups, if they are not in the index.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds the detractor bars (one per group, first at the top), then
    the passives, then the promoters; each bar's width is that share.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"promoters": [0.6, 0.3], "passives": [0.2, 0.3], "detractors": [0.2, 0.4],
    ...                       "nps": [40.0, -10.0]}, index=pd.Index(["A", "B"], name="brand"))
    >>> ax = nps_plot(table)
    >>> [round(float(p.get_width()), 2) for p in ax.patches]
    [0.2, 0.4, 0.2, 0.3, 0.6, 0.3]
    >>> plt.close(ax.figure)
    """
    if isinstance(nps_table, pd.Series):
        nps_table = nps_table.to_frame("all").T
    parts = ["detractors", "passives", "promoters"]
    kinds = {part: "number" for part in parts} | {"nps": "number"}
    if by is not None:
        kinds[by] = "key"
    if isinstance(nps_table, pd.DataFrame) and by is None:
        checked = _checked(nps_table.reset_index(drop=True), "nps_table", kinds)
        names, group_name = _labels(nps_table.index), nps_table.index.name
    else:
        checked = _checked(nps_table, "nps_table", kinds)
        names, group_name = _labels(checked[by]), by
    _shares(checked, "nps_table", parts)
    shares = checked[parts].to_numpy()
    off = np.abs(shares.sum(axis=1) - 1) > 0.01
    if off.any():
        raise validate.rows_error("nps_table", "promoters", checked.index[off], noun="row", problem="whose promoters, passives and detractors do not add up to 1",
                                  fix=f"pass the table that {_MADE_BY['nps_table']} returns")
    y = np.arange(len(checked))
    ax = _axes(ax, (8.5, 0.55 * len(y) + 2.0))
    starts = np.cumsum(shares, axis=1) - shares
    names_zh = {"detractors": "Detractors 贬损者 (0–6)", "passives": "Passives 中立者 (7–8)", "promoters": "Promoters 推荐者 (9–10)"}
    colours = {"detractors": COLOURS["bad"], "passives": COLOURS["neutral"], "promoters": COLOURS["good"]}
    for k, part in enumerate(parts):  # one stacked layer per kind of respondent
        bars = ax.barh(y, shares[:, k], left=starts[:, k], height=0.65, color=colours[part], label=names_zh[part])
        ax.bar_label(bars, labels=[_pct(s) if s >= 0.06 else "" for s in shares[:, k]], label_type="center",
                     fontsize=8, color="white" if part != "passives" else "black")
    for i, score in zip(y, checked["nps"].to_numpy()):  # the score beside each bar
        ax.text(1.02, i, f"NPS {score:+.0f}", va="center", fontsize=9, fontweight="bold")
    ax.set_xlim(0, 1.2)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    _side_legend(ax, fontsize=8)
    _decorate(ax, "Net Promoter Score 净推荐值 (NPS = % promoters − % detractors)", "Share of respondents 受访者占比",
              "Group 分组" if group_name is None else f"{_text(group_name)} 分组", percent="x")
    return ax


# --------------------------------------------------------------------------------------------
# customer lifetime value: does the BG/NBD model predict the holdout period?
# --------------------------------------------------------------------------------------------
def calibration_holdout_table(summary: pd.DataFrame, holdout_purchases: pd.Series, model, holdout_length: float,
                              max_frequency: int = 6, frequency: str = "frequency", recency: str = "recency",
                              T: str = "T") -> pd.DataFrame:
    """Actual against predicted purchases in a holdout period, by repeat purchases in calibration.

    The classic check of a BG/NBD fit: fit the model on a calibration period, then, for the
    customers grouped by their number of repeat purchases in it (0, 1, ..., ``max_frequency``
    and more), compare the mean number of purchases they actually made in the following
    ``holdout_length`` time units with the mean the model predicted for them
    (``model.predict_purchases(holdout_length, summary)``).

    Parameters
    ----------
    summary : the calibration summary, one row per customer indexed by customer id (as
        :func:`crmlib.clv.rfm_summary` returns it), with ``frequency``, ``recency``, ``T``.
    holdout_purchases : number of purchases of each customer in the holdout period, a Series
        indexed by customer id. Count them as the summary does (purchase days, not order
        lines). Customers of the summary missing here made none; customers not in the summary
        (new in the holdout) are left out.
    model : a fitted :class:`crmlib.clv.BetaGeo` (anything with ``predict_purchases``).
    holdout_length : length of the holdout period in the summary's time unit (e.g. 39 weeks).
    max_frequency : the last group pools the customers with this many repeat purchases or more.
    frequency, recency, T : column names of the summary.

    Returns
    -------
    One row per group seen: ``frequency`` (0, 1, ...; the last row stands for this number or
    more), ``customers``, ``actual`` and ``predicted`` (means per customer).

    Examples
    --------
    >>> from crmlib.clv import BetaGeo
    >>> model = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> summary = pd.DataFrame({"frequency": [0, 0, 2, 5], "recency": [0.0, 0.0, 30.0, 35.0], "T": [38.0, 38.0, 38.0, 38.0]},
    ...                        index=pd.Index([1, 2, 3, 4], name="customer_id"))
    >>> holdout = pd.Series({1: 1, 3: 2, 4: 4})
    >>> calibration_holdout_table(summary, holdout, model, holdout_length=39, max_frequency=2).round(3)
       frequency  customers  actual  predicted
    0          0          2     0.5      0.199
    1          2          2     3.0      2.265
    """
    if not callable(getattr(model, "predict_purchases", None)):
        raise CRMDataError(f"model must be a fitted BetaGeo, got {type(model).__name__}. Fix: pass BetaGeo().fit(summary).")
    pooled = _whole_number(max_frequency, "max_frequency", 1)
    length = validate.positive_number(holdout_length, "holdout_length")
    checked = validate.table(summary, "summary", {frequency: "count"})
    if checked.index.has_duplicates:
        raise validate.rows_error("summary", "index", np.flatnonzero(checked.index.duplicated(keep=False)), noun="repeated customer id",
                                  fix="index the summary by customer id, one row per customer, as rfm_summary() does")
    predicted = model.predict_purchases(length, summary, frequency=frequency, recency=recency, T=T).to_numpy(dtype="float64")
    actual = _holdout_counts(holdout_purchases, checked.index)
    group = np.minimum(pd.to_numeric(checked[frequency].astype(object)).to_numpy(dtype="float64"), pooled).astype(np.int64)
    table = (pd.DataFrame({"frequency": group, "actual": actual, "predicted": predicted})
             .groupby("frequency").agg(customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")))
    return table.reset_index()


def _holdout_counts(holdout_purchases, customers: pd.Index) -> np.ndarray:
    """The holdout purchases of ``customers`` (0 where missing), checked to be counts per unique id."""
    if not isinstance(holdout_purchases, pd.Series):
        raise CRMDataError(f"holdout_purchases must be a pandas Series indexed by customer id, got {type(holdout_purchases).__name__}. "
                           "Fix: count them e.g. with holdout.groupby('customer_id')['order_date'].nunique().")
    counts = validate.table(holdout_purchases.rename("holdout_purchases").to_frame(), "holdout_purchases",
                            {"holdout_purchases": "count"}, allow_empty=True)["holdout_purchases"]
    if counts.index.has_duplicates:
        raise validate.rows_error("holdout_purchases", "index", np.flatnonzero(counts.index.duplicated(keep=False)),
                                  noun="repeated customer id", fix="give one count per customer, e.g. with groupby(customer).size()")
    known = counts.index.isin(customers)
    if len(counts) and not known.any():
        raise CRMDataError("holdout_purchases: none of its customer ids is in the summary's index. "
                           "Fix: index both by the same customer ids (check their type, e.g. 7 vs '7').")
    numbers = pd.to_numeric(counts[known].astype(object)).astype("float64")
    return numbers.reindex(customers, fill_value=0.0).to_numpy()


def calibration_holdout_plot(calibration: pd.DataFrame, pooled_last: bool = True, ax=None):
    """Mean actual vs predicted holdout purchases by calibration repeat purchases (模型校验).

    Parameters
    ----------
    calibration : the table of :func:`calibration_holdout_table` (``frequency``,
        ``customers``, ``actual``, ``predicted``).
    pooled_last : label the last group "n+", as :func:`calibration_holdout_table` pools it.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.lines[0]`` is the actual mean and ``ax.lines[1]`` the predicted mean, at
    x = frequency.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"frequency": [0, 1, 2], "customers": [50, 20, 10],
    ...                       "actual": [0.2, 0.7, 1.5], "predicted": [0.25, 0.6, 1.4]})
    >>> ax = calibration_holdout_plot(table)
    >>> ax.lines[1].get_ydata().tolist()
    [0.25, 0.6, 1.4]
    >>> plt.close(ax.figure)
    """
    checked = _checked(calibration, "calibration", {"frequency": "count", "customers": "count", "actual": "number", "predicted": "number"})
    validate.unique(checked, "calibration", "frequency")
    ordered = checked.sort_values("frequency", kind="stable")
    x, customers = ordered["frequency"].to_numpy(), ordered["customers"].to_numpy()
    ax = _axes(ax, (max(6.0, 0.75 * len(x) + 2.5), 4.5))
    ax.plot(x, ordered["actual"].to_numpy(), "o-", color=COLOURS["customers"], linewidth=2, label="Actual 实际")
    ax.plot(x, ordered["predicted"].to_numpy(), "s--", color=COLOURS["value"], linewidth=2, label="Predicted by the model 模型预测")
    ticks = [f"{t:.0f}" for t in x]
    if pooled_last:
        ticks[-1] += "+"
    ax.set_xticks(x, [f"{t}\nn={n:,.0f}" for t, n in zip(ticks, customers)])
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    _decorate(ax, "Calibration vs holdout: does the model predict? 模型校验",
              "Repeat purchases in the calibration period 校准期重复购买次数",
              "Mean holdout purchases 验证期平均购买次数")
    return ax


validate.check_public_arguments(globals(), __all__)
