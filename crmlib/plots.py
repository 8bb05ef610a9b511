"""Plots the course draws, and two switches for how they look.

Every plot function is ``thing_plot(data, ..., ax=None) -> Axes``, like seaborn: pass an Axes to
draw into it, or let the function make a new figure. ``use_cjk_font()`` makes Chinese labels
render; ``style()`` is the course's (opt-in) house style.

Each chart takes the table that one analysis function returns, checks it, and fails with a
:class:`~crmlib.validate.CRMDataError` naming the missing column and the function that makes it:

* chapter 0: :func:`rebuy_gap_plot`;
* chapter 1: :func:`pareto_plot`, :func:`lorenz_plot`, :func:`pyramid_plot`, :func:`rfm_heatmap`,
  :func:`segment_bar_plot`; for the explorers :func:`pareto_curves_plot`,
  :func:`profile_plot`, :func:`value_index_plot`, :func:`balance_curve_plot`, :func:`rfm_types_plot`,
  :func:`budget_allocation_plot`;
* chapter 2: :func:`funnel_plot`, :func:`win_rate_plot`, :func:`pipeline_plot`,
  :func:`acquisition_cost_plot`; its explorers' :func:`funnel_share_plot`,
  :func:`funnel_step_plot`, :func:`visit_gain_plot`, :func:`visit_net_value_plot`,
  :func:`days_since_touch_plot` and :func:`lost_contact_plot`;
* chapter 3: :func:`sample_size_plot`, :func:`sla_plot`, :func:`reorder_share_plot`,
  :func:`reorder_gap_curve_plot`;
* chapter 4: :func:`customer_orders_plot`, :func:`gains_plot`, :func:`targeting_value_plot`;
* chapter 5: :func:`cohort_heatmap`, :func:`servqual_gap_plot`, :func:`nps_plot`,
  :func:`lifecycle_plot`, :func:`gap_shift_plot`, :func:`nps_estimate_plot`, :func:`retention_value_plot`,
  :func:`precision_recall_plot`, :func:`status_transition_plot`,
  :func:`lead_up_plot`;
* customer lifetime value: :func:`calibration_holdout_plot` (of
  :func:`crmlib.clv.calibration_holdout_table`) and :func:`alive_plot`;
* the platform_exclusivity case study: :func:`platform_policy_plot`.

Labels are English with the Chinese term beside it; call :func:`use_cjk_font` (or :func:`style`)
once so the Chinese renders. After ``crmlib.set_language("zh")`` the titles, axis labels and
legends are Chinese (from crmlib's message catalogue) and a chart sets up the Chinese font itself.
The functions never call ``plt.show()`` and never print.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib._shared import ratio
from crmlib.messages import get_language, ngettext
from crmlib.messages import gettext as _
from crmlib.messages import gettext_noop as N_
from crmlib.validate import CRMDataError

__all__ = [
    "CJK_FONTS",
    "NO_CJK_FONT",
    "COLOURS",
    "use_cjk_font",
    "installed_cjk_fonts",
    "customer_noun",
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
    "funnel_share_plot",
    "funnel_step_plot",
    "visit_gain_plot",
    "visit_net_value_plot",
    "days_since_touch_plot",
    "lost_contact_plot",
    "platform_policy_plot",
    "cohort_heatmap",
    "servqual_gap_plot",
    "nps_plot",
    "calibration_holdout_plot",
    "sample_size_plot",
    "rebuy_gap_plot",
    "lifecycle_plot",
    "gap_shift_plot",
    "nps_estimate_plot",
    "retention_value_plot",
    "precision_recall_plot",
    "sla_plot",
    "reorder_share_plot",
    "reorder_gap_curve_plot",
    "customer_orders_plot",
    "gains_plot",
    "targeting_value_plot",
    "alive_plot",
    "pareto_curves_plot",
    "profile_plot",
    "value_index_plot",
    "balance_curve_plot",
    "rfm_types_plot",
    "budget_allocation_plot",
    "status_transition_plot",
    "lead_up_plot",
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

#: The warning when no Chinese font is installed (in English; it is shown in the reader's language).
NO_CJK_FONT = N_(
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
        warnings.warn(_(NO_CJK_FONT), UserWarning, stacklevel=2)
        return []
    mpl.rcParams["font.family"] = ["DejaVu Sans", *found]
    mpl.rcParams["axes.unicode_minus"] = False
    return found


def installed_cjk_fonts() -> list[str]:
    """Names of the fonts in :data:`CJK_FONTS` that matplotlib can use, best first.

    A font installed after matplotlib built its font cache is picked up here too: when the cache
    knows none, the system's font files are scanned once, CJK ones are added, and the cache is
    saved again with them, so that later sessions (and kernels) find them without a scan.
    """
    import matplotlib
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
        if found:  # matplotlib's cache predates the font: write it again, as matplotlib does
            cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
            font_manager.json_dump(font_manager.fontManager, cache)
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
    if figsize is not None and not (
        isinstance(figsize, (tuple, list))
        and len(figsize) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 100 for v in figsize)
    ):
        raise CRMDataError(
            _("figsize must be (width, height) in inches, got {figsize!r}. Fix: pass e.g. figsize=(8, 4).").format(
                figsize=figsize
            )
        )
    import matplotlib.pyplot as plt

    _figure, ax = plt.subplots(figsize=figsize)
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
    "visit_values": "crmlib.develop.visit_value_table(win_rates, deal_size, cost_per_visit)",
    "touch_gaps": "crmlib.develop.touch_gaps(opportunities, activities)",
    "runs": "pd.concat([crmlib.cases.platform.simulate_platforms(p) for p in POLICIES])",
    "cohorts": "crmlib.loyalty.cohort_table(orders)",
    "gaps": "crmlib.loyalty.satisfaction_gap(surveys)",
    "nps_table": "crmlib.loyalty.nps(surveys, by=...)",
    "calibration": "crmlib.clv.calibration_holdout_table(...)",
    "curve": "crmlib.communicate.sample_size_curve(baseline, lifts)",
    "campaigns": "crmlib.loyalty.retention_campaign_table(scored)",
    "counts": "crmlib.loyalty.stage_counts(orders, as_of)",
    "shares": "crmlib.communicate.sla_shares(feedback, sla_hours)",
    "comparison": "crmlib.communicate.reorder_gap(first, sla_hours)",
    "gap_curve": "crmlib.communicate.reorder_gap_curve(first)",
    "months": 'crmlib.information.customer_file(db, customer_id)["months"]',
    "gains": "crmlib.information.gains_table(scores, bought)",
    "valued": "crmlib.information.targeting_value(gains, cost_per_contact, value_per_buyer)",
    "alive_curves": "crmlib.clv.alive_curve(model, frequency, T).assign(frequency=frequency), stacked",
    "pareto_curves": "crmlib.identify.pareto_curves(orders, by=...)",
    "profile_shares": "crmlib.identify.profile_shares(profiles, dimension, measure)",
    "indices": "crmlib.identify.value_indices(accounts, weights, future=[...]), with a tier column from "
    'crmlib.identify.balance_split(indices, accounts, future_weight)["tiers"],',
    "balance_curve": "crmlib.identify.balance_curve(indices, accounts)",
    "rfm_types": "crmlib.identify.threshold_summary(rfm, recent_days, min_orders, min_spend)",
    "plans": "crmlib.identify.allocate_budget(segments, budget, lift, cost_per_customer, method=m)",
    "lead": "crmlib.cases.carrier.lead_up(monthly, value)",
}


def _flat(data, name: str) -> pd.DataFrame:
    """``data`` as one flat table: named index levels (a group, a tier, a dimension) become columns."""
    if not isinstance(data, pd.DataFrame):
        raise CRMDataError(
            _("{name}: expected a pandas DataFrame, got {type}. Fix: pass the table that {made_by} returns.").format(
                name=name, type=type(data).__name__, made_by=_MADE_BY[name]
            )
        )
    levels = [level for level in data.index.names if level is not None and level not in data.columns]
    return data.reset_index(level=levels) if levels else data


# Numbers beyond this size cannot come from the analyses and would overflow the axis limits.
_LARGEST = 1e12


def _missing_column(name: str, column: str, have) -> CRMDataError:
    """The error for a chart's input that lacks ``column``: what the table has and which function makes it."""
    listed = ", ".join(str(c) for c in have) or "no columns"
    return CRMDataError(
        _(
            "{name}: column '{column}' is missing (the table has: {listed}). Fix: pass the "
            "table that {made_by} returns, or rename your column to '{column}'."
        ).format(name=name, column=column, listed=listed, made_by=_MADE_BY[name])
    )


def _checked(data, name: str, kinds: Mapping[str, str]) -> pd.DataFrame:
    """Check a chart's input table; return a flat copy with number and count columns as floats."""
    flat = _flat(data, name)
    missing = [column for column in kinds if column not in flat.columns]
    if missing:
        raise _missing_column(name, missing[0], flat.columns)
    try:
        checked = validate.table(flat, name, kinds)
    except CRMDataError as err:
        raise CRMDataError(
            _("{err} This chart draws the table that {made_by} returns.").format(err=err, made_by=_MADE_BY[name])
        ) from None
    counts = {
        c: pd.to_numeric(checked[c].astype(object)).astype("float64") for c, kind in kinds.items() if kind == "count"
    }
    checked = checked.assign(**counts) if counts else checked
    for column in (c for c, kind in kinds.items() if kind in ("number", "count", "money")):
        huge = np.abs(checked[column].to_numpy(dtype="float64")) > _LARGEST
        if huge.any():
            raise validate.rows_error(
                name,
                column,
                checked.index[huge],
                problem=_("beyond ±{largest:.0e}, too large to draw").format(largest=_LARGEST),
                fix=_("check the units, or rescale the column (e.g. divide by 1,000)"),
            )
    return checked


def _shares(checked: pd.DataFrame, name: str, columns) -> None:
    """Raise unless every value of ``columns`` is a share between 0 and 1."""
    for column in columns:
        values = checked[column].to_numpy(dtype="float64")
        outside = (values < -1e-9) | (values > 1 + 1e-9)
        if outside.any():
            raise validate.rows_error(
                name,
                column,
                checked.index[outside],
                noun=_("share"),
                problem=_("outside 0–1"),
                fix=_("shares are fractions from 0 to 1 (0.25 for 25%); divide percentages by 100"),
            )


def _axes(ax, figsize):
    """``ax`` checked to be an Axes, or the Axes of a new figure laid out without clipped labels."""
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise CRMDataError(
            _(
                "ax must be a matplotlib Axes or None, got {type}. Fix: pass e.g. fig, ax = "
                "plt.subplots() and then ax=ax, or leave ax out."
            ).format(type=type(ax).__name__)
        )
    if get_language() == "zh":  # Chinese labels need a Chinese font
        _chinese_font()
    if ax is None:
        ax = new_axes(None, figsize)
        ax.figure.set_layout_engine("constrained")
    return ax


def _chinese_font() -> None:
    """Set up a Chinese font (:func:`use_cjk_font`) unless matplotlib's fonts include one already."""
    import matplotlib as mpl

    family = mpl.rcParams["font.family"]
    if not set(CJK_FONTS) & set([family] if isinstance(family, str) else family):
        use_cjk_font()


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
    ax.plot([0, 1], [0, 1], linestyle="--", linewidth=1, color=COLOURS["guide"], label=_("Line of equality 绝对平均线"))


def _annotate_cells(ax, image, texts: np.ndarray, fontsize: float) -> None:
    """Write ``texts`` on the cells of a heat map, white on dark cells and black on light ones."""
    rgba = image.cmap(image.norm(image.get_array()))
    luminance = rgba[..., :3] @ np.array([0.299, 0.587, 0.114])
    rows, cols = np.nonzero(texts != "")
    for i, j in zip(rows, cols, strict=True):  # one text artist per cell; matplotlib draws text one piece at a time
        ax.text(
            j,
            i,
            texts[i, j],
            ha="center",
            va="center",
            fontsize=fontsize,
            color="white" if luminance[i, j] < 0.5 else "black",
        )


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
    ax.plot(x, y, linewidth=2, color=COLOURS["value"], label=_("Customers, most valuable first 客户（价值从高到低）"))
    _equality_line(ax)
    if top is not None:
        _mark_top_share(ax, x, y, top)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    _decorate(
        ax,
        _("Pareto curve: who brings the value in? 帕累托曲线"),
        _("Cumulative share of customers 累计客户占比"),
        _("Cumulative share of value 累计价值占比"),
        percent="xy",
    )
    return ax


def _mark_top_share(ax, x: np.ndarray, y: np.ndarray, top: float) -> None:
    """Point, guide lines and a note at the first point where the customer share reaches ``top``."""
    i = min(int(np.searchsorted(x, top - 1e-9)), len(x) - 1)
    xi, yi = float(x[i]), float(y[i])
    ax.vlines(xi, 0, yi, colors=COLOURS["guide"], linestyles=":", linewidth=1)
    ax.hlines(yi, 0, xi, colors=COLOURS["guide"], linestyles=":", linewidth=1)
    ax.plot([xi], [yi], "o", color=COLOURS["bad"], zorder=3)
    ax.annotate(
        _("Top {customers} of customers\nbring {value} of the value").format(customers=_pct(xi), value=_pct(yi)),
        xy=(xi, yi),
        xytext=(28, -52),
        textcoords="offset points",
        fontsize=9,
        arrowprops={"arrowstyle": "-", "color": COLOURS["guide"]},
    )


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
        ax.plot(
            x,
            y,
            linewidth=2,
            label=_("{label}, Gini {gini}").format(label=label, gini=f"{gini:.2f}") if show_gini else label,
        )
    _equality_line(ax)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper left")
    title = _("Lorenz curve and Gini coefficient 洛伦兹曲线与基尼系数") if show_gini else _("Lorenz curve 洛伦兹曲线")
    _decorate(
        ax,
        title,
        _("Cumulative share of customers, least valuable first 累计客户占比"),
        _("Cumulative share of value 累计价值占比"),
        percent="xy",
    )
    return ax


def _lorenz_curves(curves, by) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{label: (x, y)}`` from any of the three input forms of :func:`lorenz_plot`."""
    kinds = {"customer_share": "number", "value_share": "number"}
    if isinstance(curves, Mapping):
        if not curves:
            raise CRMDataError(_('curves is an empty dict. Fix: pass e.g. {"all": lorenz_curve(orders)}.'))
        parts = {_text(label): _checked(frame, "curves", kinds) for label, frame in curves.items()}
    else:
        checked = _checked(curves, "curves", kinds if by is None else {**kinds, by: "key"})
        if by is None:
            parts = {_("Customers 客户"): checked}
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


def pyramid_plot(
    pyramid: pd.DataFrame,
    tier: str = "tier",
    customer_share: str = "customer_share",
    value_share: str = "value_share",
    top_first: bool = True,
    ax=None,
):
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
        raise CRMDataError(
            _(
                "pyramid: every tier has 0 in '{customer_share}' and '{value_share}', so there is "
                "nothing to draw. Fix: pass the table that {made_by} returns."
            ).format(customer_share=customer_share, value_share=value_share, made_by=_MADE_BY["pyramid"])
        )
    left, right = ordered[customer_share].to_numpy(), ordered[value_share].to_numpy()
    y = np.arange(len(ordered))
    ax = _axes(ax, (7.5, 0.55 * len(y) + 2.0))
    ax.barh(y, left, left=-left, height=0.75, color=COLOURS["customers"], label=_("Share of customers 客户占比"))
    ax.barh(y, right, left=0, height=0.75, color=COLOURS["value"], label=_("Share of value 价值占比"))
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
    _decorate(
        ax,
        _("Customer pyramid 客户金字塔"),
        _("← share of customers 客户占比    |    share of value 价值占比 →"),
        _("Tier 客户层级"),
    )
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
            raise validate.rows_error(
                "scores",
                column,
                checked.index[outside],
                noun=_("score"),
                problem=_("outside 1–9"),
                fix=_("pass scores from {made_by}").format(made_by=_MADE_BY["scores"]),
            )
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
        grid = ratio(totals, counts)
        texts = np.array(
            [f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}" for v in np.nan_to_num(grid).ravel()], dtype=object
        ).reshape(size, size)
    texts = np.where(counts > 0, texts, "")
    if has_names:
        texts = _with_segment_names(texts, cell, checked["segment"])
    return _draw_rfm_grid(ax, grid, texts, x, value)


def _with_segment_names(texts: np.ndarray, cell: tuple, segment: pd.Series) -> np.ndarray:
    """Put each cell's segment name above its number (long names on two lines)."""
    names = np.full(texts.shape, "", dtype=object)
    firsts = pd.DataFrame(
        {"row": cell[0], "col": cell[1], "name": segment.astype(str).where(segment.notna(), "").to_numpy()}
    )
    firsts = firsts.drop_duplicates(["row", "col"])
    names[firsts["row"].to_numpy(), firsts["col"].to_numpy()] = [
        _text(n).replace(" ", "\n", 1) if len(str(n)) > 12 else _text(n) for n in firsts["name"]
    ]
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
    names = {
        "FM": _("FM score (frequency and monetary) 频率与金额得分"),
        "F": _("F score (frequency) 购买频率得分"),
        "M": _("M score (monetary) 消费金额得分"),
    }
    what = (
        _("customers per cell 客户数")
        if value is None
        else _("mean {value} per cell 单元格均值").format(value=_text(value))
    )
    _decorate(
        ax, _("RFM grid: {what}").format(what=what), names[x], _("R score (recency, higher = more recent) 最近购买得分")
    )
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
        raise CRMDataError(
            _(
                "segments: column '{value}' adds up to {total:g}, so it cannot be shared out. "
                "Fix: pass each customer's positive total, e.g. the monetary column of "
                "rfm_table()."
            ).format(value=value, total=total)
        )
    customer_share = grouped["size"].to_numpy() / len(checked)
    value_share = grouped["sum"].to_numpy() / total
    y = np.arange(len(grouped))
    ax = _axes(ax, (9.0, 0.5 * len(y) + 1.8))
    bars = [
        ax.barh(
            y - 0.2, customer_share, height=0.4, color=COLOURS["customers"], label=_("Share of customers 客户占比")
        ),
        ax.barh(y + 0.2, value_share, height=0.4, color=COLOURS["value"], label=_("Share of value 价值占比")),
    ]
    for container, shares in zip(bars, (customer_share, value_share), strict=True):
        ax.bar_label(container, labels=[_pct(s) for s in shares], padding=2, fontsize=8)
    ax.set_yticks(y, _labels(grouped.index))
    ax.invert_yaxis()
    ax.set_xlim(0, 1.15 * max(customer_share.max(), value_share.max()))
    _side_legend(ax)
    _decorate(
        ax,
        _("Segments: customers and value 客户细分"),
        _("Share of all customers / of the total value 占比"),
        _("Segment 细分群体"),
        percent="x",
    )
    return ax


# --------------------------------------------------------------------------------------------
# chapter 1 explorers: Pareto curves by group
# --------------------------------------------------------------------------------------------
def pareto_curves_plot(
    curves: Mapping,
    top_pct: float = 20,
    names: Mapping | None = None,
    noun: str = "customers",
    title: str | None = None,
    ax=None,
):
    """Pareto curves of several groups on one chart, with a dashed line at the "top X %".

    Each curve ranks a group's customers from the biggest spender (left) to the smallest and
    climbs with the running share of the value; the dotted diagonal is a world where everyone
    spends the same. The legend gives each group's share of value from its top ``top_pct`` %.

    Parameters
    ----------
    curves : ``{group: Pareto table}`` from :func:`crmlib.identify.pareto_curves` (the key None
        for all customers).
    top_pct : where the dashed line stands, in % (0–100).
    names : display name of each group, e.g. ``{"T1": "Aurora Leaf"}``; other groups show their key.
    noun : what the customers are called in the labels ("members", "accounts", …).
    title : the chart's title; default "Value from the top X % of <noun>".
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: one line per group (from (0, 0), in %), then the diagonal.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.identify import pareto_curves
    >>> orders = pd.DataFrame({"customer_id": list("abcd"), "amount": [6.0, 2.0, 1.0, 1.0], "shop": list("xxyy")})
    >>> ax = pareto_curves_plot(pareto_curves(orders, by="shop"), top_pct=50, names={"x": "Shop X"})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Shop X: 75%', 'y: 50%', 'everyone spends the same']
    >>> plt.close(ax.figure)
    """
    from crmlib.identify import top_shares

    shares = top_shares(curves, top_pct)
    names = validate.optional_mapping(names, "names", '{"T1": "Brand one"}')
    ax = _axes(ax, (7.0, 4.2))
    for group, table in curves.items():
        checked = _checked(table, "pareto_curves", {"cum_customer_share": "number", "cum_value_share": "number"})
        _shares(checked, "pareto_curves", ["cum_customer_share", "cum_value_share"])
        x = np.concatenate([[0.0], checked["cum_customer_share"].to_numpy()]) * 100
        y = np.concatenate([[0.0], checked["cum_value_share"].to_numpy()]) * 100
        label = names.get(group, group) if group is not None else _("all {noun}").format(noun=customer_noun(noun))
        ax.plot(x, y, label=f"{_text(label)}: {shares[group]:.0%}")
    ax.plot([0, 100], [0, 100], ":", color="grey", label=_("everyone spends the same"))
    ax.axvline(top_pct, ls="--", color="black")
    ax.set(
        title=_("Value from the top {top}% of {noun}").format(top=top_pct, noun=customer_noun(noun))
        if title is None
        else title,
        xlabel=_("{noun}, biggest spenders first (%)").format(noun=customer_noun(noun)),
        ylabel=_("share of value (%)"),
        xlim=(0, 100),
        ylim=(0, 101),
    )
    ax.legend(loc="lower right", title=_("share from the top {top}%").format(top=top_pct))
    return ax


# --------------------------------------------------------------------------------------------
# chapter 1 explorers: member profiles by brand
# --------------------------------------------------------------------------------------------
def _bilingual(english: str, chinese: str) -> str:
    """A label as "English 中文", or the Chinese alone after ``set_language("zh")``."""
    return chinese if get_language() == "zh" else f"{english} {chinese}"


def _time_unit(unit: str) -> str:
    """A unit of time (weeks, days, months) in the current language; any other unit as given."""
    return {"weeks": _("weeks"), "days": _("days"), "months": _("months")}.get(unit, unit)


def customer_noun(noun: str) -> str:
    """What the customers are called in a chart or a summary: ``noun`` in the current language when
    it is one of the usual words ("customers", "members", "accounts"), else ``noun`` as given.

    >>> customer_noun("members")
    'members'
    >>> from crmlib.messages import set_language
    >>> set_language("zh"); customer_noun("members"), customer_noun("guests")
    ('会员', 'guests')
    >>> set_language("en")
    """
    if not noun:
        raise CRMDataError(f'noun must name the customers, got {noun!r}. Fix: pass e.g. noun="members".')
    usual = {"customers": _("customers"), "members": _("members"), "accounts": _("accounts")}
    return usual.get(noun, noun)


def _profile_table(shares, name: str) -> pd.DataFrame:
    """A wide table of :func:`crmlib.identify.profile_shares`, checked: shares from 0 to 1 in every column."""
    if not isinstance(shares, pd.DataFrame) or shares.empty:
        raise CRMDataError(
            _("{name}: expected a non-empty DataFrame, got {type}. Fix: pass the table that {made_by} returns.").format(
                name=name, type=type(shares).__name__, made_by=_MADE_BY["profile_shares"]
            )
        )
    try:
        checked = validate.table(shares, name, {column: "number" for column in shares.columns})
    except CRMDataError as err:
        raise CRMDataError(
            _("{err} This chart draws the table that {made_by} returns.").format(
                err=err, made_by=_MADE_BY["profile_shares"]
            )
        ) from None
    _shares(checked, name, list(checked.columns))
    return checked


def profile_plot(
    shares: pd.DataFrame,
    measure: str = "members",
    members: pd.DataFrame | None = None,
    labels: Mapping | None = None,
    ax=None,
):
    """Grouped bars, one colour per brand: how each brand's members split over one attribute.

    Parameters
    ----------
    shares : the table of :func:`crmlib.identify.profile_shares`: one row per group of the
        attribute (the index, whose name labels the axis), one column of shares per brand.
    measure : what the shares count, a key of :data:`crmlib.identify.PROFILE_MEASURES`
        ("members" or "revenue"); it names the y axis and the title.
    members : the same table counted in members; when given, a black tick on each bar marks the
        group's share of members (useful over revenue shares).
    labels : display names of the brands, e.g. ``{"T1": "Aurora Leaf"}``.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.patches`` holds the bars of the first brand (one per group), then the next.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.identify import profile_shares
    >>> profiles = pd.DataFrame({"brand_id": ["A", "A", "A", "B"], "age": ["young", "old", "old", "young"],
    ...                          "spend": [10.0, 30.0, 60.0, 5.0]})
    >>> ax = profile_plot(profile_shares(profiles, "age", "revenue"), "revenue",
    ...                   members=profile_shares(profiles, "age"), labels={"A": "Brand A"})
    >>> [round(float(p.get_height()), 2) for p in ax.patches], ax.get_title()
    ([0.9, 0.1, 0.0, 1.0], 'age: share of revenue 收入占比 by brand')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['share of members 会员占比', 'Brand A', 'B']
    >>> plt.close(ax.figure)
    """
    from matplotlib.ticker import PercentFormatter

    from crmlib.identify import PROFILE_MEASURES

    validate.one_of(measure, "measure", list(PROFILE_MEASURES))
    checked = _profile_table(shares, "shares")
    if members is not None:
        ticks = _profile_table(members, "members")
        if not (ticks.index.equals(checked.index) and ticks.columns.equals(checked.columns)):
            raise CRMDataError(
                _(
                    "members: its groups or brands differ from those of shares. Fix: compute both "
                    "with profile_shares on the same profiles and dimension."
                )
            )
    labels = validate.optional_mapping(labels, "labels", '{"T1": "Brand one"}')
    ax = _axes(ax, (9.0, 4.2))
    n = checked.shape[1]
    width = 0.8 / n
    x = np.arange(len(checked))
    for i, column in enumerate(checked.columns):
        at = x + (i - (n - 1) / 2) * width
        ax.bar(at, checked[column], width=width, label=_text(labels.get(column, column)))
        if members is not None:
            ax.hlines(
                ticks[column],
                at - width / 2,
                at + width / 2,
                colors="black",
                linewidth=2,
                label=_("share of members 会员占比") if i == 0 else None,
            )
    words = str(checked.index.name or _("group")).replace("_", " ")
    ax.set_xticks(x, _labels(checked.index), rotation=20 if len(checked) > 5 else 0)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    what = {"members": _("share of members 会员占比"), "revenue": _("share of revenue 收入占比")}[measure]
    ax.set(title=_("{dimension}: {measure} by brand").format(dimension=words, measure=what), xlabel=words, ylabel=what)
    ax.legend(title=_("brand 品牌"))
    return ax


# --------------------------------------------------------------------------------------------
# chapter 1 explorers: the balance of current and future value in the value score
# --------------------------------------------------------------------------------------------
def value_index_plot(indices: pd.DataFrame, future_weight: float, threshold: float | None = None, ax=None):
    """Accounts by current and future value index, strategic ones coloured, with the cut-off line.

    Parameters
    ----------
    indices : the table of :func:`crmlib.identify.value_indices` (``current_index``,
        ``future_index``) with a ``tier`` column ("strategic"/"general", the ``tiers`` of
        :func:`crmlib.identify.balance_split`) and optionally a true/false ``moved`` column
        (accounts whose tier changed, circled).
    future_weight : f, the weight on future value at which the tiers were cut.
    threshold : the lowest strategic score (``threshold`` of :func:`~crmlib.identify.balance_split`);
        the dashed cut-off line is where (1 − f) × current + f × future equals it. None: no line.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.collections`` holds the general accounts, the strategic ones, then the
    circles of the moved ones (if any).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.identify import balance_split
    >>> indices = pd.DataFrame({"current_index": [1.0, 0.75, 0.5, 0.25], "future_index": [0.25, 1.0, 0.75, 0.5]})
    >>> split = balance_split(indices, pd.DataFrame({"margin": [900.0, 300.0, 100.0, 50.0]}), 0.9, strategic_share=0.25)
    >>> ax = value_index_plot(indices.assign(tier=split["tiers"]), 0.9, split["threshold"])
    >>> ax.get_title(), ax.collections[1].get_offsets().tolist()
    ('1 strategic accounts at 90% future weight', [[0.75, 1.0]])
    >>> plt.close(ax.figure)
    """
    kinds = {"current_index": "number", "future_index": "number", "tier": "key"}
    if isinstance(indices, pd.DataFrame) and "moved" in indices.columns:
        kinds["moved"] = "flag"
    checked = _checked(indices, "indices", kinds)
    f = validate.positive_number(future_weight, "future_weight", inclusive=True)
    if f > 1:
        raise CRMDataError(
            _("future_weight must be between 0 and 1, got {future_weight!r}. Fix: pass e.g. 0.4.").format(
                future_weight=future_weight
            )
        )
    strategic = (checked["tier"] == "strategic").to_numpy()
    moved = checked["moved"].to_numpy(dtype=bool) if "moved" in checked else np.zeros(len(checked), dtype=bool)
    x, y = checked["current_index"].to_numpy(), checked["future_index"].to_numpy()
    ax = _axes(ax, (5.5, 4.4))
    ax.scatter(x[~strategic], y[~strategic], s=10, alpha=0.5, color=COLOURS["neutral"], label=_("general 一般客户"))
    ax.scatter(x[strategic], y[strategic], s=14, alpha=0.8, color=COLOURS["value"], label=_("strategic 战略客户"))
    if moved.any():
        ax.scatter(
            x[moved],
            y[moved],
            s=40,
            facecolors="none",
            edgecolors="black",
            linewidths=0.8,
            label=_("changed tier 层级变化 ({count})").format(count=int(moved.sum())),
        )
    if threshold is not None and f < 1e-9:
        ax.axvline(threshold, color=COLOURS["guide"], linestyle="--", linewidth=1)
    elif threshold is not None:
        xs = np.linspace(0, 1, 101)
        ax.plot(
            xs,
            (threshold - (1 - f) * xs) / f,
            color=COLOURS["guide"],
            linestyle="--",
            linewidth=1,
            label=_("cut-off 分界线"),
        )
    ax.set(
        xlim=(0, 1.02),
        ylim=(0, 1.02),
        title=_("{count} strategic accounts at {weight} future weight").format(
            count=int(strategic.sum()), weight=f"{f:.0%}"
        ),
        xlabel=_("current value index (margin, sales, cost) 当前价值"),
        ylabel=_("future value index 未来价值"),
    )
    ax.legend(loc="lower left", fontsize=8)
    return ax


def balance_curve_plot(
    curve: pd.DataFrame,
    future_weight: float | None = None,
    margin_share: float | None = None,
    start: float | None = None,
    ax=None,
):
    """The strategic accounts' share of the margin against the weight on future value.

    Parameters
    ----------
    curve : the table of :func:`crmlib.identify.balance_curve` (``future_weight``, ``margin_share``).
    future_weight, margin_share : the balance shown now and its margin share, marked with a dot.
    start : the starting weights' balance, marked with a dotted line.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.lines[0]`` is the curve, then the start line and the dot when given.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.identify import balance_curve
    >>> indices = pd.DataFrame({"current_index": [1.0, 0.75, 0.5, 0.25], "future_index": [0.25, 1.0, 0.75, 0.5]})
    >>> accounts = pd.DataFrame({"margin": [900.0, 300.0, 100.0, 50.0]})
    >>> curve = balance_curve(indices, accounts, strategic_share=0.25, steps=3)
    >>> ax = balance_curve_plot(curve, future_weight=0.5, margin_share=0.22, start=0.4)
    >>> ax.lines[0].get_ydata().round(3).tolist(), [t.get_text() for t in ax.get_legend().get_texts()]
    ([0.667, 0.222, 0.222], ['starting weights (40%)', 'now: 22%'])
    >>> plt.close(ax.figure)
    """
    from matplotlib.ticker import PercentFormatter

    checked = _checked(curve, "balance_curve", {"future_weight": "number", "margin_share": "number"})
    _shares(checked, "balance_curve", ["future_weight", "margin_share"])
    ax = _axes(ax, (5.5, 4.4))
    ax.plot(checked["future_weight"], checked["margin_share"], color=COLOURS["value"], linewidth=2)
    if start is not None:
        ax.axvline(
            start,
            color=COLOURS["guide"],
            linestyle=":",
            linewidth=1,
            label=_("starting weights ({weight})").format(weight=f"{start:.0%}"),
        )
    if future_weight is not None and margin_share is not None:
        ax.plot(
            [future_weight],
            [margin_share],
            "o",
            color=COLOURS["bad"],
            label=_("now: {share}").format(share=f"{margin_share:.0%}"),
        )
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        title=_("Strategic accounts' share of margin 战略客户毛利占比"),
        xlabel=_("weight on future value 未来价值权重"),
        ylabel=_("share of total margin"),
    )
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if start is not None or (future_weight is not None and margin_share is not None):
        ax.legend(loc="lower left", fontsize=8)
    return ax


# --------------------------------------------------------------------------------------------
# chapter 1 explorers: RFM thresholds (the eight customer types)
# --------------------------------------------------------------------------------------------
def rfm_types_plot(summary: pd.DataFrame, title: str | None = None, ax=None):
    """Each of the eight RFM types' share of the customers beside its share of the revenue.

    Parameters
    ----------
    summary : the table of :func:`crmlib.identify.threshold_summary` (``rfm_type``, ``中文``,
        ``customer_share``, ``revenue_share``), drawn top to bottom in its row order.
    title : the chart's title; default "Eight RFM types 八类客户" (in Chinese "八类 RFM 客户").
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.patches`` holds the customer bars (in %), then the revenue bars.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.identify import threshold_summary
    >>> rfm = pd.DataFrame({"recency": [10, 10, 300, 300], "frequency": [5, 1, 5, 1],
    ...                     "monetary": [500.0, 20.0, 400.0, 80.0]})
    >>> ax = rfm_types_plot(threshold_summary(rfm, 90, 3, 100))
    >>> [float(p.get_width()) for p in ax.patches][:3], ax.get_yticklabels()[0].get_text()
    ([25.0, 0.0, 25.0], 'important value customer 重要价值客户')
    >>> plt.close(ax.figure)
    """
    if isinstance(summary, pd.DataFrame) and "revenue_share" in summary.columns:
        summary = summary.fillna({"revenue_share": 0.0})  # no revenue at all: no revenue bars
    kinds = {"rfm_type": "key", "中文": "text", "customer_share": "number", "revenue_share": "number"}
    checked = _checked(summary, "rfm_types", kinds)
    _shares(checked, "rfm_types", ["customer_share", "revenue_share"])
    ax = _axes(ax, (8.0, 4.2))
    y = np.arange(len(checked))
    ax.barh(
        y - 0.2, checked["customer_share"] * 100, height=0.4, label=_("customers 客户数"), color=COLOURS["customers"]
    )
    ax.barh(y + 0.2, checked["revenue_share"] * 100, height=0.4, label=_("revenue 消费金额"), color=COLOURS["value"])
    pairs = zip(checked["rfm_type"], checked["中文"], strict=True)
    chinese = get_language() == "zh"
    ax.set_yticks(y, [_text(zh) if chinese else f"{_text(en)} {_text(zh)}" for en, zh in pairs])
    ax.invert_yaxis()
    ax.set(
        title=_("Eight RFM types 八类客户") if title is None else title,
        xlabel=_("share of all customers / of all revenue (%)"),
        ylabel=_("RFM type 客户类型"),
        xlim=(0, 100),
    )
    ax.legend(loc="lower right")
    return ax


# --------------------------------------------------------------------------------------------
# chapter 1 explorers: budget allocation over segments
# --------------------------------------------------------------------------------------------
#: Colour of each budget allocation method (crmlib.identify.ALLOCATION_METHODS).
_METHOD_COLOURS = {"equal": COLOURS["customers"], "return": COLOURS["value"], "best_first": COLOURS["good"]}


def _method_names(short: bool = False) -> dict[str, str]:
    """The allocation methods' names in the current language: as ALLOCATION_METHODS, or short for a title."""
    if short:
        return {"equal": _("equal"), "return": _("by return"), "best_first": _("best first")}
    return {
        "equal": _("equal per customer 平均分配"),
        "return": _("by expected return 按预期回报"),
        "best_first": _("best segments first 优先最佳"),
    }


def budget_allocation_plot(plans: Mapping, value: str = "budget", legend: bool = True, ax=None):
    """Grouped bars: the budget (or the extra revenue) each method gives each segment, in thousand CNY.

    Parameters
    ----------
    plans : ``{method: table}``, each table from :func:`crmlib.identify.allocate_budget` with
        that method, all over the same segments; one bar colour per method.
    value : ``"budget"`` (the money given) or ``"extra_revenue"`` (the revenue it is expected to
        bring; the title then gives each method's total).
    legend : draw the legend of the methods.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.patches`` holds the bars of the first method (one per segment), then the next.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.identify import allocate_budget
    >>> segs = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90], "expected_spend": [500.0, 50.0]})
    >>> plans = {m: allocate_budget(segs, 1000, 0.1, 20, m) for m in ("equal", "return")}
    >>> ax = budget_allocation_plot(plans, value="extra_revenue")
    >>> [round(float(p.get_height()), 3) for p in ax.patches]
    [0.25, 0.225, 0.5, 0.2]
    >>> ax.get_title().splitlines()[1]
    'equal 0.5k · by return 0.7k'
    >>> plt.close(ax.figure)
    """
    from crmlib.identify import ALLOCATION_METHODS

    validate.one_of(value, "value", ["budget", "extra_revenue"])
    if not isinstance(plans, Mapping) or not plans:
        raise CRMDataError(
            _(
                "plans must be a non-empty dict {{method: table}}, got {type}. Fix: pass {{m: "
                "{made_by} for m in ALLOCATION_METHODS}}."
            ).format(type=type(plans).__name__, made_by=_MADE_BY["plans"])
        )
    for method in plans:
        validate.one_of(method, "plans key", list(ALLOCATION_METHODS))
    checked = {m: _checked(plan, "plans", {"segment": "key", value: "money"}) for m, plan in plans.items()}
    first = next(iter(checked.values()))
    segments = first["segment"].astype(str).tolist()
    if any(plan["segment"].astype(str).tolist() != segments for plan in checked.values()):
        raise CRMDataError(
            _(
                "plans: the tables do not list the same segments in the same order. Fix: allocate "
                "the same segments table with each method."
            )
        )
    ax = _axes(ax, (5.0, 3.9))
    x = np.arange(len(first))
    width = 0.8 / len(checked)
    for k, (method, plan) in enumerate(checked.items()):
        offset = (k - (len(checked) - 1) / 2) * width
        ax.bar(
            x + offset, plan[value] / 1000, width=width, color=_METHOD_COLOURS[method], label=_method_names()[method]
        )
    ax.set_xticks(x, _labels(segments))
    ax.set(xlabel=_("segment 客户层级"), ylabel=_("thousand CNY 千元"))
    if value == "budget":
        ax.set_title(_("Budget given 预算"))
    else:
        short = _method_names(short=True)
        totals = " · ".join(f"{short[m]} {plan[value].sum() / 1000:,.1f}k" for m, plan in checked.items())
        ax.set_title(_("Expected extra revenue 预期增量收入\n{totals}").format(totals=totals), fontsize=10)
    if legend:
        ax.legend(loc="upper left", fontsize=8)
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
    group_at, groups = (
        _positions(checked[by]) if by is not None else (np.zeros(len(checked), dtype=np.int64), np.array([None]))
    )
    reached = np.zeros((len(groups), len(stages)))
    reached[group_at, stage_at] = checked["reached"].to_numpy()
    shown = reached if value == "reached" else ratio(reached, reached[:, :1])
    if by is None:
        ax = _axes(ax, (7.5, 0.55 * len(stages) + 1.8))
        _centred_funnel(ax, _labels(stages), reached[0], shown[0], value)
        title = _("Sales funnel 销售漏斗")
    else:
        ax = _axes(ax, (9.5, min(0.16 * reached.size + 0.4 * len(stages) + 1.5, 14.0)))
        _grouped_funnel(ax, _labels(stages), _labels(groups), shown, value, by)
        title = _("Sales funnel by {group} 分组销售漏斗").format(group=_text(by))
    xlabel = (
        _("Number reaching the stage 到达该阶段的数量")
        if value == "reached"
        else _("Share of the first stage reaching it 相对首阶段的转化率")
    )
    _decorate(ax, title, xlabel, _("Stage 阶段"), percent="" if value == "reached" or by is None else "x")
    return ax


def _centred_funnel(ax, stages: list[str], reached: np.ndarray, shown: np.ndarray, value: str) -> None:
    """One funnel: centred bars with their number inside and the conversion on the right."""
    y = np.arange(len(stages))
    widest = max(float(np.nanmax(shown)) if np.isfinite(shown).any() else 0.0, 1e-12)
    widths = np.nan_to_num(shown)
    ax.barh(y, widths, left=(widest - widths) / 2, height=0.75, color=COLOURS["customers"])
    step = np.r_[np.nan, ratio(reached[1:], reached[:-1])]
    for i in y:  # number and conversion of each stage
        number = f"{reached[i]:,.0f}" if value == "reached" else _pct(shown[i])
        inside = widths[i] >= 0.18 * widest
        ax.text(
            widest / 2 if inside else (widest + widths[i]) / 2 + 0.01 * widest,
            i,
            number,
            va="center",
            ha="center" if inside else "left",
            color="white" if inside else "black",
            fontsize=9,
        )
        if i > 0:
            previous = _("{share} of previous").format(share=_pct(step[i]))
            ax.text(1.03 * widest, i, previous, va="center", fontsize=9, color=COLOURS["guide"])
    if len(stages) > 1:
        ax.text(
            1.03 * widest,
            0,
            _("stage-to-stage\nconversion 转化率"),
            va="center",
            fontsize=9,
            color=COLOURS["guide"],
            style="italic",
        )
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
        raise CRMDataError(
            _('touch must be the name of what was counted, got {touch!r}. Fix: pass e.g. touch="visit".').format(
                touch=touch
            )
        )
    checked = _checked(
        win_rates,
        "win_rates",
        {"touches": "count", "deals": "count", "win_rate": "number", "ci_low": "number", "ci_high": "number"},
    )
    validate.unique(checked, "win_rates", "touches")
    _shares(checked, "win_rates", ["win_rate", "ci_low", "ci_high"])
    rate, low, high = (checked[c].to_numpy() for c in ("win_rate", "ci_low", "ci_high"))
    outside = (low > rate + 1e-9) | (rate > high + 1e-9)
    if outside.any():
        raise validate.rows_error(
            "win_rates",
            "ci_low",
            checked.index[outside],
            noun=_("row"),
            problem=_("whose win_rate is not between ci_low and ci_high"),
            fix=_("pass the table that {made_by} returns").format(made_by=_MADE_BY["win_rates"]),
        )
    ordered = checked.sort_values("touches", kind="stable")
    x, rate, low, high = (ordered[c].to_numpy() for c in ("touches", "win_rate", "ci_low", "ci_high"))
    deals = ordered["deals"].to_numpy()
    ax = _axes(ax, (max(6.0, 0.8 * len(x) + 2.5), 4.5))
    ax.bar(x, rate, width=0.7, color=COLOURS["customers"], label=_("Win rate 赢单率"))
    ax.errorbar(
        x,
        rate,
        yerr=np.vstack([rate - low, high - rate]).clip(0),
        fmt="none",
        ecolor="#333333",
        capsize=4,
        linewidth=1.2,
        label=_("Wilson confidence interval 置信区间"),
    )
    for xi, yi, top in zip(x, rate, high, strict=True):  # the rate above each whisker
        ax.text(xi, top + 0.015, _pct(yi), ha="center", va="bottom", fontsize=8)
    ticks = [f"{t:.0f}" for t in x]
    if pooled_last:
        ticks[-1] += "+"
    ax.set_xticks(
        x,
        [_("{touches}\n{deals} deals").format(touches=t, deals=f"{n:,.0f}") for t, n in zip(ticks, deals, strict=True)],
    )
    ax.set_ylim(0, min(1.12, float(high.max()) + 0.1))
    ax.legend(loc="upper left")
    if touch == "visit":
        title, xlabel = _("Win rate by number of visits 赢单率与拜访次数"), _("Visits before the deal closed 拜访次数")
    else:
        title = _("Win rate by number of {touch}s 赢单率与接触次数").format(touch=_text(touch))
        xlabel = _("{touch}s before the deal closed 接触次数").format(touch=_text(touch).capitalize())
    _decorate(
        ax,
        title,
        xlabel,
        _("Win rate of closed deals 赢单率"),
        percent="y",
    )
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
        raise CRMDataError(
            _("forecast has no stage rows besides 'total'. Fix: pass the table that {made_by} returns.").format(
                made_by=_MADE_BY["forecast"]
            )
        )
    amount, expected = stages["amount"].to_numpy(), stages["expected_value"].to_numpy()
    above = expected > amount * (1 + 1e-9)
    if above.any():
        raise validate.rows_error(
            "forecast",
            "expected_value",
            stages.index[above],
            problem=_("above the amount"),
            fix=_("the expected value is amount × win probability, so at most the amount"),
        )
    y = np.arange(len(stages))
    ax = _axes(ax, (8.5, 0.6 * len(y) + 1.9))
    ax.barh(y, amount, height=0.7, color=COLOURS["neutral"], label=_("Open amount 在途金额"))
    ax.barh(y, expected, height=0.36, color=COLOURS["good"], label=_("Expected value 预期价值"))
    chance = ratio(expected, amount)
    for i in y:  # expected value and win probability of each stage
        ax.text(
            amount[i] + 0.01 * max(amount.max(), 1e-12),
            i,
            _("{expected} expected ({chance})").format(expected=f"{expected[i]:,.0f}", chance=_pct(chance[i])),
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 1.45 * max(amount.max(), 1e-12))
    _money_axis(ax.xaxis)
    ax.set_yticks(y, _labels(stages["stage"]))
    ax.invert_yaxis()
    _side_legend(ax)
    total_amount, total_expected = float(amount.sum()), float(expected.sum())
    _decorate(
        ax,
        _("Pipeline forecast 销售管道预测: {expected} expected of {amount} open").format(
            expected=f"{total_expected:,.0f}", amount=f"{total_amount:,.0f}"
        ),
        _("Amount 金额"),
        _("Stage of the open deals 商机阶段"),
    )
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
    cost = ratio(spend, acquired)
    y = np.arange(len(checked))
    ax = _axes(ax, (7.5, 0.5 * len(y) + 1.8))
    ax.barh(y, np.nan_to_num(cost), height=0.7, color=COLOURS["customers"])
    finite = cost[np.isfinite(cost)]
    widest = max(finite.max() if finite.size else 0.0, 1e-12)
    for i in y:  # cost and newcomers of each channel
        note = (
            _("{cost} per newcomer ({count} acquired)").format(cost=f"{cost[i]:,.0f}", count=f"{acquired[i]:,.0f}")
            if acquired[i] > 0
            else _("nobody acquired ({spend} spent)").format(spend=f"{spend[i]:,.0f}")
        )
        ax.text(np.nan_to_num(cost[i]) + 0.01 * widest, i, note, va="center", fontsize=8)
    ax.set_xlim(0, 1.6 * widest)
    _money_axis(ax.xaxis)
    ax.set_yticks(y, _labels(checked["channel"]))
    ax.invert_yaxis()
    _decorate(
        ax,
        _("Cost per acquisition by channel 各渠道获客成本"),
        _("Spend per newcomer 单个获客成本"),
        _("Channel 渠道"),
    )
    return ax


# --------------------------------------------------------------------------------------------
# chapter 2 explorers (funnel by group, the value of a visit, follow-up gaps); the platform case
# --------------------------------------------------------------------------------------------
def _gappy_numbers(checked: pd.DataFrame, name: str, column: str) -> np.ndarray:
    """A number column of a chart's table where a gap means "does not apply" (e.g. the first row):
    the filled cells checked as :func:`_checked` checks numbers, the gaps kept as NaN."""
    if column not in checked.columns:
        raise _missing_column(name, column, checked.columns)
    filled = checked[column].notna().to_numpy(dtype=bool)
    values = np.full(len(checked), np.nan)
    if filled.any():
        numbers = _checked(checked.loc[filled, [column]], name, {column: "number"})[column]
        values[filled] = numbers.to_numpy(dtype="float64")
    return values


# ---- funnel by group -----------------------------------------------------------------------
def _group_order(values: pd.Series) -> tuple[np.ndarray, list]:
    """Each value's position among the distinct values sorted (as text if they do not compare)."""
    codes, uniques = pd.factorize(values.astype(object), sort=False)
    try:
        order = sorted(range(len(uniques)), key=lambda i: uniques[i])
    except TypeError:
        order = sorted(range(len(uniques)), key=lambda i: str(uniques[i]))
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[order] = np.arange(len(uniques))
    return rank[codes], [uniques[i] for i in order]


def _funnel_grid(checked: pd.DataFrame, by: str, values: np.ndarray) -> tuple[np.ndarray, list, list]:
    """``values`` of a grouped funnel table as a groups × stages grid (NaN where a cell is absent),
    with the groups (sorted) and the stages (category order, or order of first appearance)."""
    validate.unique(checked, "funnel", [by, "stage"])
    stage = checked["stage"]
    if isinstance(stage.dtype, pd.CategoricalDtype):
        stages = [s for s in stage.cat.categories if (stage == s).any()]
        stage_at = pd.Index(stages, dtype=object).get_indexer(stage.astype(object))
    else:
        stage_at, found = _positions(stage)
        stages = list(found)
    group_at, groups = _group_order(checked[by])
    grid = np.full((len(groups), len(stages)), np.nan)
    grid[group_at, stage_at] = values
    return grid, groups, stages


def _stage_axis(ax, x: np.ndarray, stages: list, title: str, ylabel: str) -> None:
    ax.set(title=title, xlabel=_("stage 阶段"), ylabel=ylabel, ylim=(0, 105))
    ax.set_xticks(x, _labels(stages), fontsize=8, rotation=30, ha="right")


def funnel_share_plot(funnel: pd.DataFrame, by: str, label: str | None = None, legend: bool = True, ax=None):
    """The share of each group's leads that reach each stage: one line per group.

    Parameters
    ----------
    funnel : the table of :func:`crmlib.develop.funnel_table` made with ``by=`` (``stage``,
        ``overall`` and the ``by`` column).
    by : its grouping column; label : what to call it in the title (default ``by``).
    legend : draw the legend (off when the caller draws one for several panels).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.get_lines()`` holds one line per group (groups sorted), the share in %.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.develop import funnel_table
    >>> deals = pd.DataFrame({"stage": ["lead", "won", "won", "lead", "lead", "won"],
    ...                       "source": ["a", "a", "a", "b", "b", "b"]})
    >>> ax = funnel_share_plot(funnel_table(deals, stages=["lead", "won"], by="source"), "source")
    >>> [line.get_ydata().round(1).tolist() for line in ax.get_lines()]
    [[100.0, 66.7], [100.0, 33.3]]
    >>> plt.close(ax.figure)
    """
    checked = _checked(funnel, "funnel", {by: "key", "stage": "key", "overall": "number"})
    _shares(checked, "funnel", ["overall"])
    share, groups, stages = _funnel_grid(checked, by, checked["overall"].to_numpy())
    ax = _axes(ax, (6.5, 4.4))
    x = np.arange(len(stages))
    for name, row in zip(groups, share, strict=True):
        ax.plot(x, row * 100, marker="o", label=_text(name))
    _stage_axis(
        ax,
        x,
        stages,
        _("Share of leads reaching each stage, by {group}").format(group=_text(label or by)),
        _("% of the group's leads 占线索比例 (%)"),
    )
    if legend:
        _side_legend(ax, title=_text(label or by), fontsize=8)
    return ax


def funnel_step_plot(
    funnel: pd.DataFrame, by: str, label: str | None = None, highlight: bool = True, legend: bool = True, ax=None
):
    """The conversion from the previous stage into each stage, one line per group; the step where
    the groups differ most (:func:`crmlib.develop.funnel_gaps`) shaded.

    Parameters
    ----------
    funnel : the table of :func:`crmlib.develop.funnel_table` made with ``by=`` (``stage``,
        ``conversion``, ``overall`` and the ``by`` column).
    by : its grouping column; label : what to call it in the legend (default ``by``).
    highlight : shade the step with the widest gap between the groups.
    legend : draw the legend (off when the caller draws one for several panels).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.get_lines()`` holds one line per group (groups sorted) from the second stage
    on, the conversion in %; ``ax.patches`` the shaded step.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.develop import funnel_table
    >>> deals = pd.DataFrame({"stage": ["lead", "deal", "won", "won", "lead", "deal", "won", "deal"],
    ...                       "source": ["a", "a", "a", "a", "b", "b", "b", "b"]})
    >>> ax = funnel_step_plot(funnel_table(deals, stages=["lead", "deal", "won"], by="source"), "source")
    >>> [line.get_ydata().round(1).tolist() for line in ax.get_lines()]
    [[75.0, 66.7], [75.0, 33.3]]
    >>> ax.patches[0].get_x()  # the step into "won", the third stage (x = 2), is shaded
    1.6
    >>> plt.close(ax.figure)
    """
    from crmlib.develop import funnel_gaps

    validate.one_of(highlight, "highlight", [True, False])
    checked = _checked(funnel, "funnel", {by: "key", "stage": "key", **({"overall": "number"} if highlight else {})})
    conversion = _gappy_numbers(checked, "funnel", "conversion")
    _shares(checked.assign(conversion=np.nan_to_num(conversion)), "funnel", ["conversion"])
    steps, groups, stages = _funnel_grid(checked, by, conversion)
    ax = _axes(ax, (6.5, 4.4))
    x = np.arange(len(stages))
    for name, row in zip(groups, steps, strict=True):
        ax.plot(x[1:], row[1:] * 100, marker="o", label=_text(name))
    if highlight:
        gaps = funnel_gaps(checked.assign(conversion=conversion), by)
        widest = stages.index(gaps.loc[gaps["gap"].idxmax(), "stage"])
        from matplotlib.patches import Rectangle

        # a Rectangle (not axvspan, whose patch type differs between matplotlib versions)
        ax.add_patch(
            Rectangle(
                (widest - 0.4, 0),
                0.8,
                1,
                transform=ax.get_xaxis_transform(),
                color="#f4d03f",
                alpha=0.35,
                label=_("widest gap 差距最大"),
            )
        )
    _stage_axis(
        ax,
        x[1:],
        stages[1:],
        _("Conversion from the previous stage 阶段转化率"),
        _("% of the previous stage 占上一阶段 (%)"),
    )
    if legend:
        _side_legend(ax, title=_text(label or by), fontsize=8)
    return ax


# ---- the value of a visit ------------------------------------------------------------------
def _visit_ticks(visits: np.ndarray, pooled_last: bool) -> list[str]:
    """Tick labels of a number of visits, the last one "n+" when it pools the larger numbers."""
    return [f"{k}+" if pooled_last and i == len(visits) - 1 else f"{k}" for i, k in enumerate(visits)]


def visit_gain_plot(visit_values: pd.DataFrame, pooled_last: bool = False, ax=None):
    """What each extra visit adds (拜访价值): its expected gain against the cost of a visit.

    Parameters
    ----------
    visit_values : the table of :func:`crmlib.develop.visit_value_table` (``visits``, ``gain``,
        ``cost``, ``pays``), one cost for every visit.
    pooled_last : label the last number of visits "n+" (win rates made with ``max_touches=n``).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds one bar per visit after the first row (green where the visit
    pays), height = its expected gain; a dashed line marks the cost of a visit.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.develop import visit_value_table
    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> ax = visit_gain_plot(visit_value_table(rates, deal_size=10_000, cost_per_visit=500))
    >>> [float(p.get_height()) for p in ax.patches], float(ax.get_lines()[0].get_ydata()[0])
    ([1000.0, 3000.0, 200.0], 500.0)
    >>> plt.close(ax.figure)
    """
    from matplotlib.ticker import StrMethodFormatter

    checked = _checked(visit_values, "visit_values", {"visits": "count", "pays": "flag"})
    validate.unique(checked, "visit_values", "visits")
    ordered = checked.sort_values("visits", kind="stable")
    gain, cost = (_gappy_numbers(ordered, "visit_values", c)[1:] for c in ("gain", "cost"))
    costs = np.unique(cost[np.isfinite(cost)])
    if len(costs) > 1:
        raise CRMDataError(
            _(
                "visit_values: column 'cost' holds {count} different costs of a visit, this chart "
                "draws one. Fix: pass the table that {made_by} returns."
            ).format(count=len(costs), made_by=_MADE_BY["visit_values"])
        )
    ticks = _visit_ticks(ordered["visits"].to_numpy(dtype=np.int64), pooled_last)
    ax = _axes(ax, (5.5, 4))
    x = range(1, len(ordered))
    colours = np.where(ordered["pays"].to_numpy(dtype=bool)[1:], "#4c956c", "#bbbbbb")
    ax.bar(x, gain, color=colours, label=_("expected gain of this visit 增加的预期收益"))
    if len(costs):
        ax.axhline(costs[0], ls="--", color="#c0392b", label=_("cost of a visit 拜访成本"))
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x, ticks[1:])
    ax.set(
        title=_("What each extra visit adds 每多一次拜访的价值"),
        xlabel=_("visit number 第几次拜访"),
        ylabel=_("CNY per deal 元/单"),
    )
    known = gain[np.isfinite(gain)]
    top = max(float(known.max()) if known.size else 0.0, float(costs[0]) if len(costs) else 0.0, 1.0)
    bottom = min(float(known.min()) if known.size else 0.0, 0.0)
    ax.set_ylim(bottom * 1.15, top * 1.35)  # headroom for the legend above the bars and the line
    ax.legend(loc="upper left", fontsize=8)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    return ax


def visit_net_value_plot(visit_values: pd.DataFrame, pooled_last: bool = False, ax=None):
    """Expected net value per deal (每单预期净值) for each number of visits, its peak marked.

    Parameters
    ----------
    visit_values : the table of :func:`crmlib.develop.visit_value_table` (``visits``,
        ``net_value``); the peak is :func:`crmlib.develop.best_visit_count`.
    pooled_last : label the last number of visits "n+" (win rates made with ``max_touches=n``).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; its first line runs through the net values (fewest visits first), the second is
    the star at the peak.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.develop import visit_value_table
    >>> rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    >>> ax = visit_net_value_plot(visit_value_table(rates, deal_size=10_000, cost_per_visit=500), pooled_last=True)
    >>> ax.get_lines()[1].get_ydata().tolist(), ax.get_legend().get_texts()[0].get_text()
    ([3000.0], 'peak: 2 visits 最优拜访次数')
    >>> plt.close(ax.figure)
    """
    from matplotlib.ticker import StrMethodFormatter

    from crmlib.develop import best_visit_count

    checked = _checked(visit_values, "visit_values", {"visits": "count", "net_value": "number"})
    validate.unique(checked, "visit_values", "visits")
    ordered = checked.sort_values("visits", kind="stable").reset_index(drop=True)
    visits, net = ordered["visits"].to_numpy(dtype=np.int64), ordered["net_value"].to_numpy()
    ticks = _visit_ticks(visits, pooled_last)
    at = int(np.flatnonzero(visits == best_visit_count(ordered))[0])
    ax = _axes(ax, (5.5, 4))
    ax.plot(range(len(ordered)), net, marker="o", color="#4a6fa5")
    ax.plot(
        [at],
        [net[at]],
        marker="*",
        markersize=16,
        color="#c0392b",
        linestyle="none",
        label=_("peak: {visits} visits 最优拜访次数").format(visits=ticks[at]),
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(range(len(ordered)), ticks)
    ax.set(
        title=_("Expected net value per deal 每单预期净值"),
        xlabel=_("visits planned 计划拜访次数"),
        ylabel=_("win rate × deal − visits × cost (CNY)"),
    )
    ax.legend(loc="best", fontsize=8)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    return ax


# ---- follow-up gaps ------------------------------------------------------------------------
def _zh(text: str) -> str:
    """A space and ``text`` where a Chinese font is installed, else nothing (the label reads well in English).

    Nothing in Chinese either: there the label itself is Chinese already.
    """
    return " " + text if get_language() != "zh" and installed_cjk_fonts() else ""


def _touch_gaps(gaps: pd.DataFrame, columns: Mapping[str, str], days) -> tuple[pd.DataFrame, int]:
    """A :func:`crmlib.develop.touch_gaps` table checked for ``columns``, and the rule's ``days``."""
    days = validate.whole_number(days, "days", minimum=1, example=14)
    return _checked(gaps, "touch_gaps", {"status": "key", "days_since_touch": "count", **columns}), days


def days_since_touch_plot(gaps: pd.DataFrame, days: int, opportunity: str = "opportunity_id", ax=None):
    """Days since the last touch of each open deal, red where the rule "touch every deal at least
    every ``days`` days" finds it overdue.

    Parameters
    ----------
    gaps : the table of :func:`crmlib.develop.touch_gaps` (``status``, ``days_since_touch`` and
        the ``opportunity`` column); only the open deals are drawn, most recently touched first.
    days : the rule's N, drawn as a dashed line.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds one bar per open deal, width = days since its last touch.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> gaps = pd.DataFrame({"opportunity_id": ["O1", "O2", "O3"], "status": ["open", "lost", "open"],
    ...                      "days_since_touch": [20, 40, 3]})
    >>> ax = days_since_touch_plot(gaps, 14)
    >>> [float(p.get_width()) for p in ax.patches], ax.get_title()
    ([3.0, 20.0], 'Open deals: 1 overdue (red)')
    >>> plt.close(ax.figure)
    """
    checked, days = _touch_gaps(gaps, {opportunity: "key"}, days)
    validate.unique(checked, "touch_gaps", opportunity)
    open_deals = checked[checked["status"].eq("open").to_numpy()].sort_values("days_since_touch", kind="stable")
    late = open_deals["days_since_touch"].to_numpy() >= days
    ax = _axes(ax, (5.5, 4.2))
    ax.barh(
        _labels(open_deals[opportunity]), open_deals["days_since_touch"], color=np.where(late, "#d62728", "#9e9e9e")
    )
    ax.axvline(days, ls="--", color="black", label=_("N = {days} days").format(days=days))
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right")
    ax.set(
        title=_("Open deals: {count} overdue (red)").format(count=int(late.sum())),
        xlabel=_("days since the last touch") + _zh("距上次跟进天数"),
        ylabel=_("open deal") + _zh("在谈机会"),
    )
    return ax


def lost_contact_plot(gaps: pd.DataFrame, days: int, reason: str = "lost contact", ax=None):
    """Of the lost deals, the share lost for ``reason``: among those that once went ``days`` or more
    days without a touch, and among the others (from :func:`crmlib.develop.overdue_summary`).

    Parameters
    ----------
    gaps : the table of :func:`crmlib.develop.touch_gaps` (``status``, ``amount``,
        ``lost_reason``, ``days_since_touch``, ``longest_gap``).
    days : the rule's N; reason : the lost reason to count.
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.patches`` holds the two bars (broke the rule, kept it), height = the share
    (0 for a group without deals, labelled "–").

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> gaps = pd.DataFrame({"status": ["lost", "lost", "lost", "open"], "amount": [10.0, 20.0, 5.0, 50.0],
    ...                      "lost_reason": ["lost contact", "price too high", "lost contact", None],
    ...                      "days_since_touch": [1, 2, 3, 4], "longest_gap": [30, 5, 20, 4]})
    >>> ax = lost_contact_plot(gaps, 14)
    >>> [float(p.get_height()) for p in ax.patches]
    [1.0, 0.0]
    >>> plt.close(ax.figure)
    """
    from crmlib.develop import overdue_summary

    checked, days = _touch_gaps(gaps, {"amount": "money", "longest_gap": "count"}, days)
    if "lost_reason" not in checked.columns:
        raise _missing_column("touch_gaps", "lost_reason", checked.columns)
    if not isinstance(reason, str) or not reason:
        raise CRMDataError(
            _('reason must be a lost reason, got {reason!r}. Fix: pass e.g. reason="lost contact".').format(
                reason=reason
            )
        )
    s = overdue_summary(checked, days, reason=reason)
    labels = [_("went {days}+ days\nwithout a touch").format(days=days), _("never that long")]
    shares = [s["reason_share_broke"], s["reason_share_kept"]]
    counts = [s["broke_rule"], s["lost_deals"] - s["broke_rule"]]
    ax = _axes(ax, (4.5, 4.2))
    bars = ax.bar(labels, np.nan_to_num(shares), color=["#d62728", "#9e9e9e"])
    ax.bar_label(
        bars,
        labels=[
            _("{share}\n({count} deals)").format(share="–" if np.isnan(v) else f"{v:.0%}", count=c)
            for v, c in zip(shares, counts, strict=True)
        ],
    )
    ax.set(
        title=_("Lost deals: share lost for {reason}").format(reason=repr(_text(reason))),
        ylabel=_("share of lost deals") + _zh("失联占比"),
        ylim=(0, 1),
    )
    return ax


# ---- case study: platform policy (exclusive dealing or relationship) -----------------------
#: How each panel of the platform case shows a measure: title, axis label, whether it is a 0–1 share.
_PLATFORM_MEASURES = {
    "sales_share": ("A's share of platform sales", "share of sales", True),
    "trust": ("Merchants' trust in A", "mean trust (0–1)", True),
    "total_value": ("Total value created (A + B)", "million CNY per quarter", False),
}


def _platform_measure(measure: str) -> tuple[str, str, bool]:
    """The title, axis label and share flag of a platform measure, in the current language."""
    texts = {
        "sales_share": (_("A's share of platform sales"), _("share of sales")),
        "trust": (_("Merchants' trust in A"), _("mean trust (0–1)")),
        "total_value": (_("Total value created (A + B)"), _("million CNY per quarter")),
    }
    return (*texts[measure], _PLATFORM_MEASURES[measure][2])


_POLICY_COLOURS = {"exclusive": "tab:red", "relationship": "tab:blue"}


def platform_policy_plot(
    runs: pd.DataFrame, measure: str = "sales_share", policy: str | None = None, legend: bool = True, ax=None
):
    """One measure of the platform case over the quarters, one line per policy of platform A.

    Parameters
    ----------
    runs : runs of :func:`crmlib.cases.platform.simulate_platforms`, one per policy, stacked
        (``policy``, ``commission``, ``period``, ``platform`` and the measure).
    measure : ``"sales_share"`` (A's share of platform sales), ``"trust"`` (merchants' mean
        trust in A) or ``"total_value"`` (value created on both platforms, million CNY).
    policy : the policy to draw in colour, on top; the others are grey and dashed. Default: every
        policy in its colour.
    legend : draw the legend (titled with the commission when all runs share one).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.get_lines()`` holds one line per policy (the chosen one last), x in years.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlib.cases.platform import simulate_platforms
    >>> runs = pd.concat([simulate_platforms(p, years=1, merchants=300) for p in ("exclusive", "relationship")])
    >>> ax = platform_policy_plot(runs, "trust", policy="exclusive")
    >>> [line.get_label() for line in ax.get_lines()], ax.get_lines()[1].get_xdata().tolist()
    (['relationship 关系营销', 'exclusive dealing 二选一'], [0.0, 0.25, 0.5, 0.75, 1.0])
    >>> plt.close(ax.figure)
    """
    from crmlib.cases.platform import POLICIES

    validate.one_of(measure, "measure", list(_PLATFORM_MEASURES))
    if policy is not None:
        validate.one_of(policy, "policy", list(POLICIES))
    checked = _checked(runs, "runs", {"policy": "key", "commission": "number", "period": "count", "platform": "key"})
    values = _gappy_numbers(checked, "runs", measure)
    validate.unique(checked, "runs", ["policy", "period", "platform"])
    unknown = ~checked["policy"].isin(list(POLICIES)).to_numpy()
    if unknown.any():
        raise validate.rows_error(
            "runs",
            "policy",
            checked.index[unknown],
            problem=_("not one of {items}").format(items=list(POLICIES)),
            fix=_("pass the table that {made_by} returns").format(made_by=_MADE_BY["runs"]),
        )
    title, ylabel, share = _platform_measure(measure)
    checked = checked.assign(**{measure: values})
    ax = _axes(ax, (4.5, 3.6))
    shown = [p for p in POLICIES if p in set(checked["policy"])]
    for name in [p for p in shown if p != policy] + [p for p in shown if p == policy]:  # the chosen one on top
        part = checked[checked["policy"].eq(name).to_numpy()]
        if measure == "total_value":
            series = part.groupby("period")[measure].sum()
        else:
            series = part[part["platform"].eq("A").to_numpy()].set_index("period")[measure].sort_index()
        style = (
            {"color": _POLICY_COLOURS[name], "lw": 2.2}
            if policy in (None, name)
            else {"color": "grey", "lw": 1.4, "ls": "--"}
        )
        ax.plot(series.index.to_numpy() / 4, series.to_numpy(), label=POLICIES[name], **style)
    ax.set(title=title, xlabel=_("years since the policy started"), ylabel=ylabel)
    ax.set_ylim(0, 1 if share else None)  # value from 0 too: no exaggerated drops
    if legend:
        rates = checked["commission"].unique()
        ax.legend(
            loc="lower left",
            fontsize=8,
            title=_("commission {rate}").format(rate=f"{rates[0]:.0%}") if len(rates) == 1 else None,
            title_fontsize=8,
        )
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
    >>> ax = cohort_heatmap(cohort_table(orders, observation_end="2024-03-31"))
    >>> ax.images[0].get_array().tolist()
    [[1.0, 0.0, 0.5], [1.0, 1.0, None]]
    >>> plt.close(ax.figure)
    """
    if annotate is not None and not isinstance(annotate, (bool, np.bool_)):
        raise CRMDataError(
            _("annotate must be True, False or None, got {annotate!r}. Fix: pass annotate=True.").format(
                annotate=annotate
            )
        )
    matrix, percent = _cohort_grid(cohorts, value)
    grid = matrix.to_numpy(dtype="float64")
    n_rows, n_cols = grid.shape
    annotate = (n_cols <= 36 and n_rows <= 48) if annotate is None else bool(annotate)
    ax = _axes(ax, (min(max(6.0, 0.48 * n_cols + 2.4), 18.0), min(max(3.5, 0.3 * n_rows + 1.6), 14.0)))
    finite = grid[:, 1:][np.isfinite(grid[:, 1:])] if percent and n_cols > 1 else grid[np.isfinite(grid)]
    top = finite.max() if finite.size and finite.max() > 0 else 1.0
    image = ax.imshow(
        np.ma.masked_invalid(grid), cmap="YlGnBu", vmin=0, vmax=top, aspect="auto", interpolation="nearest"
    )
    if annotate:
        texts = np.array(
            [(_pct(v) if percent else f"{v:,.0f}") if np.isfinite(v) else "" for v in grid.ravel()], dtype=object
        ).reshape(grid.shape)
        _annotate_cells(ax, image, texts, fontsize=8 if n_cols <= 12 else 6.5 if n_cols <= 24 else 5.5)
    else:
        from matplotlib.ticker import PercentFormatter

        ax.figure.colorbar(image, ax=ax, format=PercentFormatter(1.0) if percent else None)
    _cohort_ticks(ax, matrix)
    unit, unit_zh = _period_unit(matrix.index)
    what = (
        _("Cohort retention 同期群留存率")
        if percent and value == "retention"
        else _bilingual(f"Cohorts: {_text(value)}", f"同期群分析：{_text(value)}")
    )
    _decorate(
        ax,
        what,
        _bilingual(f"{unit} since the first purchase", f"首购后{unit_zh}"),
        _("Cohort (first purchase) 同期群（首购时间）"),
    )
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
            raise CRMDataError(
                _("{err} This chart draws the table that {made_by} returns.").format(
                    err=err, made_by=_MADE_BY["cohorts"]
                )
            ) from None
        percent = value == "retention"
        if percent:
            _shares(pd.DataFrame({value: np.nan_to_num(matrix.to_numpy(dtype="float64").ravel())}), "cohorts", [value])
        return matrix, percent
    if not _period_columns(cohorts):
        known = placed | set(cohorts.columns)
        if value in known or {"cohort", "period_number"} & known:  # a long table without one of its keys
            raise _missing_column("cohorts", "cohort" if "cohort" not in known else "period_number", cohorts.columns)
        listed = ", ".join(str(c) for c in cohorts.columns) or "no columns"
        raise CRMDataError(
            _(
                "cohorts: column '{value}' is missing and the columns are not period numbers (the "
                "table has: {listed}). Fix: pass the table that {made_by} returns, or its "
                "cohort_matrix()."
            ).format(value=value, listed=listed, made_by=_MADE_BY["cohorts"])
        )
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
            raise CRMDataError(
                _(
                    "cohorts: column '{column}' holds {dtype} values, not numbers. Fix: pass the "
                    "matrix that cohort_matrix({made_by}) returns."
                ).format(column=column, dtype=values.dtype, made_by=_MADE_BY["cohorts"])
            )
        endless = np.isinf(values.to_numpy(dtype="float64"))
        if endless.any():
            raise validate.rows_error(
                "cohorts",
                str(column),
                matrix.index[endless],
                noun=_("infinite value"),
                fix=_("replace them by real numbers"),
            )
    if matrix.isna().all().all():
        raise CRMDataError(_("cohorts: every cell is empty. Fix: pass a matrix with observed cells."))
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
    group_at, groups = (
        _positions(checked[by])
        if by is not None
        else (np.zeros(len(checked), dtype=np.int64), np.array(["all"], dtype=object))
    )
    offsets = np.linspace(-0.28, 0.28, len(groups)) if len(groups) > 1 else np.zeros(1)
    y = dim_at + offsets[group_at]
    expected, perceived = checked["expectation"].to_numpy(), checked["perception"].to_numpy()
    ax = _axes(ax, (8.5, max(3.5, (0.45 + 0.22 * len(groups)) * len(dimensions) + 1.8)))
    _dumbbells(ax, y, expected, perceived, group_at, groups)
    ax.set_yticks(np.arange(len(dimensions)), _labels(dimensions))
    ax.invert_yaxis()
    _decorate(
        ax,
        _("SERVQUAL: expectation vs perception 服务质量差距"),
        _("Mean score on the survey scale 平均得分"),
        _("Dimension 维度"),
    )
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
        ax.plot(
            expected[mine],
            y[mine],
            "o",
            markerfacecolor="white",
            markeredgecolor=colour,
            markersize=7,
            linestyle="none",
        )
        ax.plot(perceived[mine], y[mine], "o", color=colour, markersize=7, linestyle="none")
    for yi, gi, right in zip(y, gap, np.maximum(expected, perceived), strict=True):  # the gap of each dumbbell
        ax.text(
            right + pad, yi, f"{gi:+.2f}", va="center", fontsize=8, color=COLOURS["bad"] if gi < 0 else COLOURS["good"]
        )
    ax.set_xlim(low - 2 * pad, high + 5 * pad)
    grey = COLOURS["guide"]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=grey,
            label=_("Expectation 期望"),
        ),
        Line2D([], [], marker="o", linestyle="none", color=grey, label=_("Perception 感知")),
    ]
    if several:
        handles += [
            Line2D([], [], marker="o", linestyle="none", color=c, label=_text(n))
            for c, n in zip(colours, groups, strict=True)
        ]
    _side_legend(ax, handles=handles, title=_("gap = perception − expectation"), title_fontsize=8)


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
        raise validate.rows_error(
            "nps_table",
            "promoters",
            checked.index[off],
            noun=_("row"),
            problem=_("whose promoters, passives and detractors do not add up to 1"),
            fix=_("pass the table that {made_by} returns").format(made_by=_MADE_BY["nps_table"]),
        )
    y = np.arange(len(checked))
    ax = _axes(ax, (8.5, 0.55 * len(y) + 2.0))
    starts = np.cumsum(shares, axis=1) - shares
    names_zh = {
        "detractors": _("Detractors 贬损者 (0–6)"),
        "passives": _("Passives 中立者 (7–8)"),
        "promoters": _("Promoters 推荐者 (9–10)"),
    }
    colours = {"detractors": COLOURS["bad"], "passives": COLOURS["neutral"], "promoters": COLOURS["good"]}
    for k, part in enumerate(parts):  # one stacked layer per kind of respondent
        bars = ax.barh(y, shares[:, k], left=starts[:, k], height=0.65, color=colours[part], label=names_zh[part])
        ax.bar_label(
            bars,
            labels=[_pct(s) if s >= 0.06 else "" for s in shares[:, k]],
            label_type="center",
            fontsize=8,
            color="white" if part != "passives" else "black",
        )
    for i, score in zip(y, checked["nps"].to_numpy(), strict=True):  # the score beside each bar
        ax.text(1.02, i, f"NPS {score:+.0f}", va="center", fontsize=9, fontweight="bold")
    ax.set_xlim(0, 1.2)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    _side_legend(ax, fontsize=8)
    _decorate(
        ax,
        _("Net Promoter Score 净推荐值 (NPS = % promoters − % detractors)"),
        _("Share of respondents 受访者占比"),
        _("Group 分组") if group_name is None else _("{group} 分组").format(group=_text(group_name)),
        percent="x",
    )
    return ax


# --------------------------------------------------------------------------------------------
# customer lifetime value: does the BG/NBD model predict the holdout period?
# --------------------------------------------------------------------------------------------
def calibration_holdout_plot(calibration: pd.DataFrame, pooled_last: bool = True, ax=None):
    """Mean actual vs predicted holdout purchases by calibration repeat purchases (模型校验).

    Parameters
    ----------
    calibration : the table of :func:`crmlib.clv.calibration_holdout_table` (``frequency``,
        ``customers``, ``actual``, ``predicted``).
    pooled_last : label the last group "n+", as :func:`crmlib.clv.calibration_holdout_table` pools it.
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
    checked = _checked(
        calibration,
        "calibration",
        {"frequency": "count", "customers": "count", "actual": "number", "predicted": "number"},
    )
    validate.unique(checked, "calibration", "frequency")
    ordered = checked.sort_values("frequency", kind="stable")
    x, customers = ordered["frequency"].to_numpy(), ordered["customers"].to_numpy()
    ax = _axes(ax, (max(6.0, 0.75 * len(x) + 2.5), 4.5))
    ax.plot(x, ordered["actual"].to_numpy(), "o-", color=COLOURS["customers"], linewidth=2, label=_("Actual 实际"))
    ax.plot(
        x,
        ordered["predicted"].to_numpy(),
        "s--",
        color=COLOURS["value"],
        linewidth=2,
        label=_("Predicted by the model 模型预测"),
    )
    ticks = [f"{t:.0f}" for t in x]
    if pooled_last:
        ticks[-1] += "+"
    ax.set_xticks(x, [f"{t}\nn={n:,.0f}" for t, n in zip(ticks, customers, strict=True)])
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    _decorate(
        ax,
        _("Calibration vs holdout: does the model predict? 模型校验"),
        _("Repeat purchases in the calibration period 校准期重复购买次数"),
        _("Mean holdout purchases 验证期平均购买次数"),
    )
    return ax


# --------------------------------------------------------------------------------------------
# chapter 3: planning a test
# --------------------------------------------------------------------------------------------
#: Colours of the dashed lines that mark tests of known size.
_MARK_COLOURS = ("#55A868", "#DD8452", "#8172B3", "#937860", "#DA8BC3")


def sample_size_plot(
    curve: pd.DataFrame,
    marks: Mapping | None = None,
    lift: float | None = None,
    power: float = 0.8,
    baseline: float | None = None,
    ax=None,
):
    """Units needed per arm against the lift to detect (log scale), with tests of known size.

    Parameters
    ----------
    curve : :func:`crmlib.communicate.sample_size_curve` over a range of lifts.
    marks : ``{label: units per arm}`` of tests of known size, drawn as dashed lines.
    lift : a lift to mark with a dot (its size is read off the curve's nearest point).
    power, baseline : written in the legend and the title.

    >>> from crmlib.communicate import sample_size_curve
    >>> ax = sample_size_plot(sample_size_curve(0.10, [0.01, 0.02, 0.04]), marks={"our test": 2000}, lift=0.02)
    >>> ax.get_yscale(), len(ax.get_lines())
    ('log', 3)
    """
    from matplotlib.ticker import StrMethodFormatter

    checked = _checked(curve, "curve", {"lift": "number", "n_per_arm": "count"})
    ax = _axes(ax, (8, 4.2))
    x = checked["lift"].to_numpy() * 100
    ax.plot(
        x,
        checked["n_per_arm"],
        color=COLOURS["customers"],
        label=_("needed at {power} power 所需样本量").format(power=f"{power:.0%}"),
    )
    marks = validate.optional_mapping(marks, "marks", '{"our test": 2000}')
    for label, size in marks.items():
        validate.finite_number(size, f"marks[{label!r}]", minimum=1, example=2000)
    # strict=False: there are five mark colours, and marks beyond the fifth are not drawn (as before)
    for (label, size), colour in zip(marks.items(), _MARK_COLOURS, strict=False):
        ax.axhline(
            size, ls="--", color=colour, label=_("{label}: {size} per arm").format(label=label, size=f"{int(size):,}")
        )
    if lift is not None:
        nearest = int(np.abs(checked["lift"].to_numpy() - lift).argmin())
        n_now = int(checked["n_per_arm"].iloc[nearest])
        ax.plot(
            [lift * 100],
            [n_now],
            marker="o",
            markersize=9,
            color=COLOURS["bad"],
            linestyle="none",
            label=_("your lift: {size} per arm").format(size=f"{n_now:,}"),
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    title = (
        _("Sample size per arm 每组所需样本量")
        if baseline is None
        else _("Sample size per arm, baseline {baseline} 每组所需样本量").format(baseline=f"{baseline:.1%}")
    )
    ax.set(
        title=title,
        xlabel=_("lift to detect (percentage points) 要检测的提升"),
        ylabel=_("units needed per arm (log scale)"),
        xlim=(0, max(x.max(), 0.1)),
    )
    ax.legend(loc="upper right", fontsize=8)
    return ax


# --------------------------------------------------------------------------------------------
# chapter 5: retention campaigns
# --------------------------------------------------------------------------------------------
def retention_value_plot(campaigns: pd.DataFrame, choice: Mapping | None = None, ax=None):
    """Net value of a retention campaign against the churn-probability threshold, one line per offer.

    Parameters
    ----------
    campaigns : :func:`crmlib.loyalty.retention_campaign_table`.
    choice : one row of it (e.g. :func:`crmlib.loyalty.retention_campaign_value`) to mark with a
        dot; its offer's line is drawn bold.

    >>> table = pd.DataFrame({"bond": ["a", "a", "b", "b"], "threshold": [0.2, 0.6] * 2,
    ...                       "net_value": [-5.0, 3.0, -9.0, 1.0], "precision": 0.5, "recall": 0.5})
    >>> len(retention_value_plot(table, choice={"bond": "a", "threshold": 0.6, "net_value": 3.0}).get_lines())
    4
    """
    from matplotlib.ticker import StrMethodFormatter

    checked = _checked(campaigns, "campaigns", {"bond": "key", "threshold": "number", "net_value": "number"})
    ax = _axes(ax, (6, 4))
    choice = validate.optional_mapping(choice, "choice", "loyalty.retention_campaign_value(scored, 0.5)") or None
    if choice is not None:
        missing = [k for k in ("bond", "threshold", "net_value") if k not in choice]
        if missing:
            raise CRMDataError(
                _(
                    "choice: key '{missing}' is missing. Fix: pass the dict that "
                    "loyalty.retention_campaign_value(scored, threshold) returns, or leave choice "
                    "out."
                ).format(missing=missing[0])
            )
    chosen_bond = None if choice is None else choice["bond"]
    for k, (bond, part) in enumerate(checked.groupby("bond", sort=False)):
        bold = bond == chosen_bond
        ax.plot(
            part["threshold"],
            part["net_value"],
            color=f"C{k}",
            lw=2.5 if bold else 1.2,
            alpha=1 if bold or chosen_bond is None else 0.6,
            label=str(bond),
        )
    if choice is not None:
        ax.plot([choice["threshold"]], [choice["net_value"]], "o", color="black", markersize=8, label=_("your choice"))
    ax.axhline(0, color="black", lw=0.8)
    ax.set(
        title=_("Campaign net value 挽留活动净值 (assumed offers)"),
        xlabel=_("churn-probability threshold 阈值"),
        ylabel=_("margin kept − cost (CNY)"),
    )
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.legend(fontsize=8, loc="best")
    return ax


def precision_recall_plot(campaigns: pd.DataFrame, bond: str | None = None, threshold: float | None = None, ax=None):
    """Precision and recall of the flagged customers against the threshold, for one offer.

    Parameters
    ----------
    campaigns : :func:`crmlib.loyalty.retention_campaign_table` (precision and recall do not depend
        on the offer; ``bond`` picks whose rows to draw, default the first).
    threshold : a threshold to mark with a dashed line.

    >>> table = pd.DataFrame({"bond": "a", "threshold": [0.2, 0.6], "net_value": 0.0,
    ...                       "precision": [0.3, 0.7], "recall": [0.9, 0.4]})
    >>> [line.get_label() for line in precision_recall_plot(table, threshold=0.6).get_lines()][:2]
    ['precision 精确率', 'recall 召回率']
    """
    from matplotlib.ticker import PercentFormatter

    checked = _checked(campaigns, "campaigns", {"bond": "key", "threshold": "number"})
    for column in ("precision", "recall"):  # a gap: nobody flagged at that threshold, nothing to draw
        if column not in checked.columns:
            raise _missing_column("campaigns", column, checked.columns)
        checked[column] = validate.optional(checked, "campaigns", column, "number")
    bond = checked["bond"].iloc[0] if bond is None else bond
    one = checked[checked["bond"] == bond]
    if one.empty:
        raise CRMDataError(
            _("campaigns has no rows for bond {bond!r}. Fix: pass one of {items}.").format(
                bond=bond, items=list(pd.unique(checked["bond"]))
            )
        )
    ax = _axes(ax, (5, 4))
    ax.plot(one["threshold"], one["precision"], color=COLOURS["customers"], label=_("precision 精确率"))
    ax.plot(one["threshold"], one["recall"], color=COLOURS["value"], label=_("recall 召回率"))
    if threshold is not None:
        ax.axvline(threshold, color="black", ls="--", lw=1)
    ax.set(
        title=_("Who the campaign reaches 命中情况"),
        xlabel=_("churn-probability threshold 阈值"),
        ylabel=_("share"),
        ylim=(0, 1.02),
    )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(fontsize=8, loc="lower left")
    return ax


# --------------------------------------------------------------------------------------------
# chapter 5: what if a service gap closed? (crmlib.loyalty.nps_what_if)
# --------------------------------------------------------------------------------------------
def _what_if(result, keys) -> Mapping:
    if not isinstance(result, Mapping) or any(k not in result for k in keys):
        raise CRMDataError(
            _(
                "result must be the dict that crmlib.loyalty.nps_what_if(...) returns (keys "
                "{items}), got {type}. Fix: pass nps_what_if(model, surveys, group, dimension, "
                "shift)."
            ).format(items=list(keys), type=type(result).__name__)
        )
    return result


def gap_shift_plot(result, title: str | None = None, ax=None):
    """Each dimension's gap (perception − expectation) now, and the shifted one after the change.

    ``result`` is :func:`crmlib.loyalty.nps_what_if`. Gaps below 0 (falling short) are red,
    above 0 green; the dashed outline is the shifted dimension after the change.

    >>> result = {"dimension": "empathy", "gap_now": {"reliability": -0.5, "empathy": 0.2},
    ...           "gap_after": {"reliability": -0.5, "empathy": 0.7}}
    >>> len(gap_shift_plot(result).patches)
    3
    """
    from matplotlib.patches import Patch

    result = _what_if(result, ("dimension", "gap_now", "gap_after"))
    dimensions = list(result["gap_now"])
    ax = _axes(ax, (6.5, 4))
    y = np.arange(len(dimensions))
    now = np.array([result["gap_now"][d] for d in dimensions], dtype="float64")
    after = np.array([result["gap_after"][d] for d in dimensions], dtype="float64")
    ax.barh(y, now, height=0.6, color=np.where(now < 0, COLOURS["bad"], COLOURS["good"]), alpha=0.8)
    moved = dimensions.index(result["dimension"])
    ax.barh([moved], [after[moved]], height=0.6, fill=False, edgecolor="black", linestyle="--", linewidth=1.5)
    handles = [
        Patch(color=COLOURS["bad"], alpha=0.8, label=_("falls short 未达期望")),
        Patch(color=COLOURS["good"], alpha=0.8, label=_("exceeds 超出期望")),
        Patch(fill=False, edgecolor="black", linestyle="--", label=_("after the change 改进后")),
    ]
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, dimensions)
    ax.invert_yaxis()
    reach = max(1.0, float(np.abs(np.r_[now, after]).max()) * 1.2)
    ax.set_xlim(-reach, reach)
    ax.set(
        title=_("SERVQUAL gaps 服务质量差距") if title is None else title,
        xlabel=_("mean perception − mean expectation (points)"),
        ylabel=_("dimension 维度"),
    )
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    return ax


def nps_estimate_plot(result, ax=None):
    """Three bars: the observed NPS, the model's NPS as answered, and the model's NPS after the change.

    ``result`` is :func:`crmlib.loyalty.nps_what_if`.

    >>> ax = nps_estimate_plot({"observed_nps": 12.0, "model_nps": 11.5, "predicted_nps": 18.0})
    >>> [t.get_text() for t in ax.texts]
    ['+12.0', '+11.5', '+18.0']
    """
    result = _what_if(result, ("observed_nps", "model_nps", "predicted_nps"))
    ax = _axes(ax, (4.5, 4))
    values = [float(result["observed_nps"]), float(result["model_nps"]), float(result["predicted_nps"])]
    labels = [_("observed\n实际"), _("model now\n模型"), _("model after\n改进后")]
    bars = ax.bar(range(3), values, color=[COLOURS["guide"], COLOURS["customers"], COLOURS["value"]])
    ax.bar_label(bars, labels=[f"{v:+.1f}" for v in values], padding=2, fontsize=9)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(range(3), labels)
    top = max(10.0, max(abs(v) for v in values) * 1.25)
    ax.set_ylim(min(0.0, min(values) * 1.25), top)
    ax.set(title=_("NPS 净推荐值: a model's estimate"), ylabel=_("NPS (−100 to +100)"))
    return ax


# --------------------------------------------------------------------------------------------
# chapter 5: the customer life cycle
# --------------------------------------------------------------------------------------------
#: One colour per life-cycle stage, from new (violet) through active (green) to lost (red).
_STAGE_COLOURS = {"new": "#8172B3", "active": "#55A868", "cooling": "#CCB974", "lapsed": "#DD8452", "lost": "#C44E52"}


def lifecycle_plot(
    counts: pd.DataFrame,
    names: Mapping | None = None,
    title: str | None = None,
    ax=None,
):
    """One stacked bar per group: the share of its customers in each life-cycle stage, counts written in.

    Parameters
    ----------
    counts : :func:`crmlib.loyalty.stage_counts` (rows: groups, columns: the five stages).
    names : display names of the groups, e.g. ``{"T1": "Aurora Leaf"}``.

    >>> counts = pd.DataFrame({"new": [5], "active": [20], "cooling": [10], "lapsed": [5], "lost": [10]}, index=["all"])
    >>> len(lifecycle_plot(counts).patches)
    5
    """
    from crmlib.vocabulary import LIFECYCLE_STAGES, LIFECYCLE_STAGES_ZH

    checked = _checked(counts, "counts", {stage: "count" for stage in LIFECYCLE_STAGES})
    names = validate.optional_mapping(names, "names", '{"new": "新客"}')
    shares = checked[list(LIFECYCLE_STAGES)].div(checked[list(LIFECYCLE_STAGES)].sum(axis=1), axis=0) * 100
    ax = _axes(ax, (9.0, 1.6 + 0.6 * len(shares)))
    left = np.zeros(len(shares))
    y = np.arange(len(shares))
    for stage in LIFECYCLE_STAGES:
        ax.barh(
            y,
            shares[stage],
            left=left,
            color=_STAGE_COLOURS[stage],
            label=_bilingual(stage, LIFECYCLE_STAGES_ZH[stage]),
        )
        for yi, (x0, width, n) in enumerate(zip(left, shares[stage], checked[stage], strict=True)):
            if width >= 6:
                ax.text(x0 + width / 2, yi, f"{int(n):,}", ha="center", va="center", fontsize=8, color="white")
        left += shares[stage].to_numpy()
    ax.set_yticks(y, [str(names.get(g, g)) for g in shares.index])
    ax.invert_yaxis()
    ax.set(
        title=_("Customers by life-cycle stage 客户生命周期阶段") if title is None else title,
        xlabel=_("share of customers who had bought by the as-of date (%)"),
        ylabel="",
        xlim=(0, 100),
    )
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    return ax


# --------------------------------------------------------------------------------------------
# chapter 0: re-buy signals (crmlib.loyalty.rebuy_window_summary)
# --------------------------------------------------------------------------------------------
def rebuy_gap_plot(gaps, days: int, max_days: int = 365, ax=None):
    """Histogram of re-buy gaps by week; the re-buys within ``days`` (flagged) in red.

    Parameters
    ----------
    gaps : days since each re-buy's customer last bought the same product (a Series or array).
    days : the prompt-response window, drawn as a dashed line.
    max_days : the right edge of the chart.

    >>> ax = rebuy_gap_plot(pd.Series([3, 10, 40, 200]), days=14, max_days=60)
    >>> float(ax.get_xlim()[1])
    63.5
    """
    if not isinstance(gaps, (pd.Series, np.ndarray, list, tuple)) or np.ndim(gaps) != 1:
        shown = type(gaps).__name__ if isinstance(gaps, (pd.DataFrame, np.ndarray)) else repr(gaps)[:60]
        raise CRMDataError(
            _(
                "gaps must be one column of days (a Series or a list), got {shown}. Fix: pass "
                'e.g. gaps=repeats["gap_days"].'
            ).format(shown=shown)
        )
    numbers = validate.table(
        pd.DataFrame({"gap_days": pd.Series(gaps).reset_index(drop=True)}),
        "gaps",
        {"gap_days": "number"},
        allow_empty=True,
    )["gap_days"]
    values = validate.non_negative(numbers.astype("float64"), "gaps")
    days = validate.whole_number(days, "days", minimum=0, example=30)
    max_days = validate.whole_number(max_days, "max_days", minimum=1, example=365)
    edges = np.arange(0.5, max_days + 7, 7)  # whole days 1-7, 8-14, …: one bar per week
    gaps = values.to_numpy()
    inside, outside = gaps[gaps <= days], gaps[(gaps > days) & (gaps < edges[-1])]
    counts = np.histogram(np.concatenate([inside, outside]), bins=edges)[0]
    top = max(int(counts.max()), 1)
    ax = _axes(ax, (7.5, 4.0))
    ax.hist(
        [inside, outside],
        bins=edges,
        stacked=True,
        color=[COLOURS["bad"], COLOURS["neutral"]],
        edgecolor="white",
        linewidth=0.5,
        label=[_("flagged: within {days} days").format(days=days), _("not flagged")],
    )
    ax.axvline(days, ls="--", color="black")
    ax.legend(loc="upper right")
    ax.set(
        title=_("Same product bought again: days since the last time") + _zh("重复购买间隔"),
        xlabel=_("days since the customer last bought this product (one bar = one week)"),
        ylabel=_("re-buys"),
        xlim=(0, edges[-1]),
        ylim=(0, top * 1.15),
    )
    return ax


# --------------------------------------------------------------------------------------------
# chapters 3 and 4, customer lifetime value: the charts of the class explorers (service levels,
# answers to complaints, the customer file, targeting by score, P(alive))
# --------------------------------------------------------------------------------------------
def sla_plot(
    shares: pd.DataFrame,
    sla_hours: float,
    by: str = "channel",
    names: Mapping | None = None,
    title: str = "Answered within {sla} h, by channel 按渠道的及时回复率",
    ax=None,
):
    """Share of answers within the promised time (SLA), one bar per group, the overall share dashed.

    Parameters
    ----------
    shares : :func:`crmlib.communicate.sla_shares` (its last row, ``"all"``, is the dashed line).
    sla_hours : the promise, for the title (``{sla}`` in ``title`` is replaced by it).
    by : the group column; names : optional display name of each group.

    >>> from crmlib.communicate import sla_shares
    >>> feedback = pd.DataFrame({"channel": ["hotline", "hotline", "app"], "response_hours": [2.0, 30.0, 1.0]})
    >>> ax = sla_plot(sla_shares(feedback, 24), 24)
    >>> [float(p.get_width()) for p in ax.patches], ax.get_title()
    ([50.0, 100.0], 'Answered within 24 h, by channel 按渠道的及时回复率')
    """
    from matplotlib.ticker import PercentFormatter

    checked = _checked(shares, "shares", {by: "key", "n": "count", "within_sla": "number"})
    _shares(checked, "shares", ["within_sla"])
    is_all = (checked[by].astype(str) == "all").to_numpy()
    if not is_all.any():
        raise CRMDataError(
            _(
                "shares: column '{by}' has no row 'all' (the share of every row together). Fix: "
                "pass the table that {made_by} returns."
            ).format(by=by, made_by=_MADE_BY["shares"])
        )
    names = validate.optional_mapping(names, "names", '{"app": "App"}')
    rows = checked[~is_all].iloc[::-1]  # the fastest group at the top of a horizontal bar chart
    overall = float(checked.loc[is_all, "within_sla"].iloc[0])
    ax = _axes(ax, (7.5, 0.5 * len(rows) + 2.2))
    labels = [_text(names.get(g, g)) for g in rows[by]]
    bars = ax.barh(labels, rows["within_sla"] * 100, color=COLOURS["customers"])
    ax.bar_label(
        bars,
        labels=[
            _("{share:.0%} of {n:,}").format(share=s, n=int(n))
            for s, n in zip(rows["within_sla"], rows["n"], strict=True)
        ],
        padding=3,
        fontsize=9,
    )
    ax.axvline(
        overall * 100, ls="--", color=COLOURS["guide"], label=_("all {by}s: {share:.0%}").format(by=by, share=overall)
    )
    ax.set(
        title=title.format(sla=f"{sla_hours:g}"), xlabel=_("answered within the promise (%)"), ylabel=by, xlim=(0, 118)
    )
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", fontsize=9)
    return ax


def reorder_share_plot(
    comparison: Mapping,
    window_days: float | None = None,
    title: str | None = None,
    ax=None,
):
    """Two bars: the share that ordered again among customers answered in time, and answered later.

    Parameters
    ----------
    comparison : the dict of :func:`crmlib.communicate.reorder_gap` (an empty group draws as 0).
    window_days : the window in which a new order was looked for, for the axis label.

    >>> from crmlib.communicate import reorder_gap
    >>> first = pd.DataFrame({"response_hours": [2, 5, 30, 50], "ordered_again": [True, True, True, False]})
    >>> ax = reorder_share_plot(reorder_gap(first, 24), window_days=60)
    >>> [float(p.get_height()) for p in ax.patches], ax.get_ylabel()
    ([100.0, 50.0], 'ordered again within 60 days (%)')
    """
    from matplotlib.ticker import PercentFormatter

    if not isinstance(comparison, Mapping):
        raise CRMDataError(
            _("comparison: expected a dict, got {type}. Fix: pass the dict that {made_by} returns.").format(
                type=type(comparison).__name__, made_by=_MADE_BY["comparison"]
            )
        )
    frame = pd.DataFrame([dict(comparison)])
    for column in ("fast_share", "slow_share"):
        if column not in frame.columns:
            raise _missing_column("comparison", column, frame.columns)
    checked = _checked(frame, "comparison", {"sla_hours": "number", "n_fast": "count", "n_slow": "count"})
    shares = pd.DataFrame(
        {c: validate.optional(frame, "comparison", c, "number").fillna(0.0) for c in ("fast_share", "slow_share")}
    )
    _shares(shares, "comparison", shares.columns)
    window = _("the window") if window_days is None else _("{days} days").format(days=f"{window_days:g}")
    ax = _axes(ax, (5.5, 4))
    heights = shares.iloc[0].to_numpy(dtype="float64") * 100
    counts = [int(checked["n_fast"].iloc[0]), int(checked["n_slow"].iloc[0])]
    hours = f"{checked['sla_hours'].iloc[0]:g}"
    labels = [_("answered within {hours} h\n及时回复").format(hours=hours), _("answered later\n回复较慢")]
    bars = ax.bar(labels, heights, color=[COLOURS["good"], COLOURS["bad"]], width=0.6)
    ax.bar_label(
        bars,
        labels=[_("{share:.0f}% of {n:,}").format(share=s, n=n) for s, n in zip(heights, counts, strict=True)],
        padding=3,
    )
    ax.set(
        title=_("Ordered again after the first complaint 首次投诉后再次消费") if title is None else title,
        ylabel=_("ordered again within {window} (%)").format(window=window),
        ylim=(0, 100),
    )
    ax.yaxis.set_major_formatter(PercentFormatter())
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def reorder_gap_curve_plot(gap_curve: pd.DataFrame, sla_hours: float | None = None, ax=None):
    """The reorder gap (fast − slow, in points) and its 95% interval for every SLA; ``sla_hours`` dashed.

    >>> from crmlib.communicate import reorder_gap_curve
    >>> first = pd.DataFrame({"response_hours": [2, 5, 30, 50], "ordered_again": [True, True, True, False]})
    >>> ax = reorder_gap_curve_plot(reorder_gap_curve(first, max_hours=48), sla_hours=24)
    >>> float(ax.get_lines()[0].get_xdata().min()), ax.get_title()
    (2.0, 'The gap for every SLA 不同承诺时限下的差距')
    """
    checked = _checked(gap_curve, "gap_curve", {"sla_hours": "number"})
    for column in ("gap", "ci_low", "ci_high"):
        if column not in checked.columns:
            raise _missing_column("gap_curve", column, checked.columns)
    values = pd.DataFrame(
        {c: validate.optional(checked, "gap_curve", c, "number") for c in ("gap", "ci_low", "ci_high")}
    )
    shown = values.assign(sla_hours=checked["sla_hours"]).dropna(subset=["gap"])
    ax = _axes(ax, (5.5, 4))
    ax.fill_between(
        shown["sla_hours"],
        shown["ci_low"] * 100,
        shown["ci_high"] * 100,
        color=COLOURS["customers"],
        alpha=0.2,
        label=_("95% interval"),
    )
    ax.plot(shown["sla_hours"], shown["gap"] * 100, color=COLOURS["customers"], label=_("gap: fast − slow"))
    ax.axhline(0, color="black", lw=0.8)
    if sla_hours is not None:
        ax.axvline(sla_hours, ls="--", color=COLOURS["guide"], label=f"SLA {sla_hours:g} h")
    ax.set(
        title=_("The gap for every SLA 不同承诺时限下的差距"),
        xlabel=_("SLA: promised answer time (hours)"),
        ylabel=_("gap (percentage points)"),
    )
    ax.legend(loc="upper right", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def customer_orders_plot(
    months: pd.DataFrame,
    tickets: pd.DataFrame | None = None,
    first_month: str | None = None,
    last_month: str | None = None,
    customer: str | None = None,
    ax=None,
):
    """One customer's order amount per month, with the months of its complaint tickets marked.

    Parameters
    ----------
    months : the ``"months"`` part of :func:`crmlib.information.customer_file` (``month`` as
        ``YYYY-MM``, ``amount``); a month without orders is drawn as 0.
    tickets : its ``"tickets"`` part (``received_at``), or None.
    first_month, last_month : the months to show (``YYYY-MM``); by default those of ``months``.
    customer : who the file belongs to, for the title (e.g. ``"C10280 Hangzhou …"``).

    >>> months = pd.DataFrame({"month": ["2024-01", "2024-03"], "amount": [2000.0, 500.0]})
    >>> tickets = pd.DataFrame({"received_at": ["2024-03-05 10:00"]})
    >>> ax = customer_orders_plot(months, tickets, last_month="2024-04", customer="C1 Acme")
    >>> [float(p.get_height()) for p in ax.patches], ax.get_lines()[0].get_xdata().tolist()
    ([2000.0, 0.0, 500.0, 0.0], [2])
    """
    from matplotlib.ticker import FuncFormatter

    flat = _flat(months, "months")
    for column in ("month", "amount"):
        if column not in flat.columns:
            raise _missing_column("months", column, flat.columns)
    checked = validate.table(flat, "months", {"month": "key", "amount": "money"}, unique_key="month", allow_empty=True)
    given = checked["month"].astype(str)
    first = first_month or (given.min() if len(given) else None)
    last = last_month or (given.max() if len(given) else None)
    if first is None or last is None:
        raise CRMDataError(
            _(
                "months has no rows, so there is no period to draw. Fix: pass first_month and "
                'last_month, e.g. first_month="2024-01", last_month="2025-12".'
            )
        )
    try:
        span = pd.period_range(str(first)[:7], str(last)[:7], freq="M")
    except (TypeError, ValueError):
        raise CRMDataError(
            _(
                'first_month and last_month must be months like "2024-01", got {first!r} and '
                '{last!r}. Fix: pass e.g. first_month="2024-01".'
            ).format(first=first, last=last)
        ) from None
    if len(span) == 0:
        raise CRMDataError(
            _("first_month {first!r} is after last_month {last!r}. Fix: swap them.").format(first=first, last=last)
        )
    amounts = checked.set_index(given)["amount"].reindex(span.strftime("%Y-%m"), fill_value=0.0)
    complaint_months = set()
    if tickets is not None:
        received = validate.table(tickets, "tickets", {"received_at": "date"}, allow_empty=True)["received_at"]
        complaint_months = set(received.dt.strftime("%Y-%m"))
    ax = _axes(ax, (9, 3.2))
    x = np.arange(len(span))
    ax.bar(x, amounts.to_numpy(dtype="float64"), color=COLOURS["customers"], label=_("order amount 订单金额"))
    top = float(amounts.max()) or 1.0
    marked = [i for i, m in enumerate(amounts.index) if m in complaint_months]
    if marked:
        ax.plot(
            marked,
            [top * 1.08] * len(marked),
            marker="v",
            color=COLOURS["bad"],
            linestyle="none",
            markersize=9,
            label=_("complaint ticket 投诉"),
        )
    ax.set_ylim(0, top * 1.2)
    ax.set_xticks(x[::3], [m.strftime("%Y-%m") for m in span[::3]])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v / 1000:,.0f}"))
    title = (
        _("Orders per month 每月订单")
        if customer is None
        else _("{customer}: orders per month 每月订单").format(customer=_text(customer))
    )
    ax.set(title=title, xlabel=_("month 月份"), ylabel=_("thousand CNY 千元"))
    ax.legend(loc="upper left", fontsize=8)
    return ax


def gains_plot(gains: pd.DataFrame, highlight: int | None = None, label: str = "model", ax=None):
    """The cumulative gains chart: share of buyers reached against share of customers targeted.

    The diagonal is a random pick. ``highlight`` (a percentage of ``gains``' ``pct``) marks one
    depth with a dashed line and a dot.

    Parameters
    ----------
    gains : :func:`crmlib.information.gains_table` (or :func:`~crmlib.information.targeting_value`).
    label : the legend's name for the ranking, e.g. ``"logistic regression"``.

    >>> from crmlib.information import gains_table
    >>> gains = gains_table(pd.Series([0.9, 0.8, 0.3, 0.2, 0.1]), pd.Series([True, False, True, False, False]))
    >>> ax = gains_plot(gains, highlight=20)
    >>> float(ax.get_lines()[0].get_ydata()[20]), ax.texts[0].get_text()
    (50.0, '50% of buyers')
    """
    checked = _checked(gains, "gains", {"pct": "count", "share_targeted": "number", "share_of_buyers": "number"})
    _shares(checked, "gains", ["share_targeted", "share_of_buyers"])
    if highlight is not None:
        marked = checked.loc[checked["pct"].to_numpy() == highlight]
        if isinstance(highlight, bool) or marked.empty:
            raise CRMDataError(
                _(
                    "highlight must be one of the table's pct values (e.g. 20), got {highlight!r}. "
                    "Fix: pass a whole percentage from 1 to 100, or leave highlight out."
                ).format(highlight=highlight)
            )
    ax = _axes(ax, (7.0, 4.0))
    x = np.concatenate([[0.0], checked["share_targeted"].to_numpy()]) * 100
    y = np.concatenate([[0.0], checked["share_of_buyers"].to_numpy()]) * 100
    ax.plot(x, y, color=COLOURS["customers"], lw=2, label=label)
    ax.plot([0, 100], [0, 100], ":", color=COLOURS["guide"], label=_("random pick"))
    if highlight is not None:
        share = float(marked["share_of_buyers"].iloc[0])
        ax.axvline(highlight, ls="--", color="black", lw=1)
        ax.plot([highlight], [share * 100], "o", color=COLOURS["value"])
        ax.annotate(
            _("{share} of buyers").format(share=f"{share:.0%}"),
            (highlight, share * 100),
            xytext=(8, -14),
            textcoords="offset points",
        )
    ax.set(
        title=_("Cumulative gains 累积增益"),
        xlabel=_("members targeted, highest score first (%)"),
        ylabel=_("share of all buyers reached (%)"),
        xlim=(0, 100),
        ylim=(0, 101),
    )
    ax.legend(loc="lower right")
    return ax


def targeting_value_plot(valued: pd.DataFrame, pct: int | None = None, noun: str = "members", ax=None):
    """Net value of a campaign (benefit − cost) against the share targeted: by model score and at random.

    Parameters
    ----------
    valued : :func:`crmlib.information.targeting_value`.
    pct : a depth to mark with a dashed line; noun : what the customers are called.

    >>> from crmlib.information import gains_table, targeting_value
    >>> gains = gains_table(pd.Series([0.9, 0.8, 0.3, 0.2, 0.1]), pd.Series([True, False, True, False, False]))
    >>> ax = targeting_value_plot(targeting_value(gains, 1.0, 4.0), pct=20)
    >>> [round(float(line.get_ydata()[19]), 2) for line in ax.get_lines()[:2]]  # at 20%: model, random
    [3.0, 0.6]
    """
    checked = _checked(valued, "valued", {"pct": "count", "net": "number", "random_net": "number"})
    ax = _axes(ax, (5.5, 4.0))
    ax.plot(checked["pct"], checked["net"], color=COLOURS["customers"], lw=2, label=_("by model score"))
    ax.plot(checked["pct"], checked["random_net"], ":", color=COLOURS["guide"], label=_("random pick"))
    ax.axhline(0, color="black", lw=0.8)
    if pct is not None:
        ax.axvline(pct, ls="--", color="black", lw=1)
    ax.set(
        title=_("Net value of the campaign 净收益"),
        xlabel=_("{noun} targeted (%)").format(noun=customer_noun(noun)),
        ylabel=_("benefit − cost (CNY)"),
        xlim=(0, 100),
    )
    ax.legend(loc="best")
    return ax


def alive_plot(curves: pd.DataFrame, outlook: Mapping | None = None, unit: str = "weeks", ax=None):
    """P(alive) against time since the last purchase, one curve per number of repeat purchases.

    Parameters
    ----------
    curves : :func:`crmlib.clv.alive_curve` for one or more frequencies, stacked, with a column
        ``frequency`` (e.g. ``pd.concat([alive_curve(bg, f, 78).assign(frequency=f) for f in (1, 4, 12)])``).
    outlook : the dict of :func:`crmlib.clv.customer_outlook` for one customer: the curve of its
        frequency is drawn bold (the others thin, for comparison) and the customer as a dot.
    unit : the model's time unit, for the axis label.

    >>> from crmlib.clv import BetaGeo, alive_curve, customer_outlook
    >>> bg = BetaGeo.from_params(r=0.5, alpha=10.0, a=0.7, b=2.5)
    >>> curves = pd.concat([alive_curve(bg, f, 60).assign(frequency=f) for f in (1, 12)])
    >>> ax = alive_plot(curves, customer_outlook(bg, 12, 60, quiet=30))
    >>> [line.get_label() for line in ax.get_lines()]
    ['1 repeat purchase (for comparison)', '12 repeat purchases (chosen)', 'this customer']
    """
    checked = _checked(curves, "alive_curves", {"frequency": "count", "quiet": "number", "prob_alive": "number"})
    _shares(checked, "alive_curves", ["prob_alive"])
    chosen = None
    if outlook is not None:
        outlook = validate.optional_mapping(outlook, "outlook", "clv.customer_outlook(model, 5, 40, 3)")
        missing = [k for k in ("frequency", "recency", "T", "prob_alive") if k not in outlook]
        if missing:
            raise CRMDataError(
                _(
                    "outlook: key '{missing}' is missing. Fix: pass the dict that "
                    "crmlib.clv.customer_outlook(model, frequency, T, quiet) returns."
                ).format(missing=missing[0])
            )
        chosen = int(outlook["frequency"])
    ax = _axes(ax, (7.6, 4.0))
    frequencies = list(dict.fromkeys(int(f) for f in checked["frequency"]))
    others = [f for f in frequencies if f != chosen]
    for f, dash in zip(others, itertools.cycle((":", "--", "-."))):
        part = checked[checked["frequency"] == f]
        ax.plot(
            part["quiet"],
            part["prob_alive"] * 100,
            color=COLOURS["guide"],
            linewidth=1.2,
            linestyle=dash,
            label=ngettext("{n} repeat purchase (for comparison)", "{n} repeat purchases (for comparison)", f).format(
                n=f
            ),
        )
    if chosen is not None and chosen in frequencies:
        part = checked[checked["frequency"] == chosen]
        ax.plot(
            part["quiet"],
            part["prob_alive"] * 100,
            color=COLOURS["customers"],
            linewidth=2.5,
            label=_("{n} repeat purchases (chosen)").format(n=chosen),
        )
    if outlook is not None:
        quiet = float(outlook["T"]) - float(outlook["recency"])  # no repeat purchase: silent since the first one
        ax.plot(
            [quiet],
            [float(outlook["prob_alive"]) * 100],
            "o",
            color=COLOURS["bad"],
            markersize=9,
            label=_("this customer"),
        )
    longest = float(outlook["T"]) if outlook is not None else float(checked["quiet"].max()) or 1.0
    ax.set(
        title=_("P(alive) falls with silence, faster for frequent buyers 沉默越久越可能已流失"),
        xlabel=_("{unit} since the last purchase 距上次购买的时间").format(unit=_time_unit(unit)),
        ylabel=_("P(alive) 仍活跃的概率 (%)"),
        ylim=(0, 105),
        xlim=(0, longest),
    )
    ax.legend(loc="upper right", fontsize=8)
    return ax


def status_transition_plot(transitions: pd.DataFrame, ax=None):
    """A status transition table as a heat map: status this month down, status next month across.

    Parameters
    ----------
    transitions : the shares table of :func:`crmlib.loyalty.status_transitions` (rows add up to 1).
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes; ``ax.images[0].get_array()`` holds the shares, each cell is labelled with its percentage.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> table = pd.DataFrame([[0.9, 0.08, 0.02], [0.4, 0.4, 0.2]], index=["active", "at risk"],
    ...                      columns=["active", "at risk", "ported out"])
    >>> ax = status_transition_plot(table)
    >>> ax.images[0].get_array().tolist()[1], [t.get_text() for t in ax.texts][:3]
    ([0.4, 0.4, 0.2], ['90%', '8%', '2%'])
    >>> plt.close(ax.figure)
    """
    if not isinstance(transitions, pd.DataFrame) or transitions.empty:
        raise CRMDataError(
            _(
                "transitions must be the non-empty table of loyalty.status_transitions. Fix: pass "
                "loyalty.status_transitions(data, ...)."
            )
        )
    validate.unique_columns(transitions, "transitions")
    numbers = transitions.apply(
        lambda column: pd.to_numeric(
            column.map(
                lambda v: (
                    v if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)) else np.nan
                )
            ),
            errors="coerce",
        )
    )
    grid = numbers.to_numpy(dtype="float64")
    bad = ~np.isfinite(grid) | (grid < 0) | (grid > 1)
    if bad.any():
        raise validate.rows_error(
            "transitions",
            "shares",
            transitions.index[bad.any(axis=1)],
            noun=_("row"),
            problem=_("with shares outside 0–1"),
            fix=_("pass the shares table (shares=True), not the counts"),
        )
    n_rows, n_cols = grid.shape
    ax = _axes(ax, (max(4.5, 1.5 * n_cols + 1.5), max(2.5, 0.9 * n_rows + 1.2)))
    image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    texts = np.array([_pct(v) for v in grid.ravel()], dtype=object).reshape(grid.shape)
    _annotate_cells(ax, image, texts, fontsize=10)
    ax.set_xticks(range(n_cols), _labels(transitions.columns))
    ax.set_yticks(range(n_rows), _labels(transitions.index))
    _decorate(ax, "Status next month 客户状态迁移", "status next month 下月状态", "status this month 本月状态")
    return ax


def lead_up_plot(lead: pd.DataFrame, label: str, ax=None):
    """The months before an event: the mean of a measure, month by month, against the others' level.

    Parameters
    ----------
    lead : a table indexed by months before the event (counting down to 0) with ``mean`` and
        ``others``, as :func:`crmlib.cases.carrier.lead_up` returns.
    label : what the measure is, for the y axis (e.g. "complaints per month").
    ax : Axes to draw into; default a new figure.

    Returns
    -------
    The Axes: ``ax.lines[0]`` the event group (x = months before, as negative numbers: -5 … 0),
    ``ax.lines[1]`` the others' level.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> lead = pd.DataFrame({"mean": [0.2, 0.7, 0.6], "others": 0.1},
    ...                     index=pd.Index([2, 1, 0], name="months_before"))
    >>> ax = lead_up_plot(lead, "complaints per month")
    >>> ax.lines[0].get_xdata().tolist(), ax.lines[0].get_ydata().tolist()
    ([-2, -1, 0], [0.2, 0.7, 0.6])
    >>> plt.close(ax.figure)
    """
    checked = _checked(lead, "lead", {"months_before": "count", "mean": "number", "others": "number"})
    x = -checked["months_before"].to_numpy(dtype=int)
    ax = _axes(ax, (6.0, 3.6))
    ax.plot(x, checked["mean"].to_numpy(), marker="o", color="C3", label=_("before porting out 转网前"))
    ax.plot(x, checked["others"].to_numpy(), linestyle="--", color="C0", label=_("subscribers who stayed 留网客户"))
    ax.set_xticks(x)
    ax.legend(loc="best")
    _decorate(ax, _text(label), "months before the event (0 = the month it happens)", _text(label))
    return ax


validate.check_public_arguments(globals(), __all__)
