"""Customer life-cycle stages at a date, from nothing but the purchase history.

The life cycle of a customer runs discover → evaluate → buy → use → retain → leave. The first
two stages leave no trace in an orders table, but the later ones do: how long ago a customer
first bought, and how long ago they last bought. Five simple rules turn those two numbers into
a stage at any as-of date (the day counts as seen at its end):

=========  ======  =================================================================
stage      中文     rule (days counted back from ``as_of``)
=========  ======  =================================================================
new        新客户    first purchase fewer than ``new_days`` days ago
active     活跃客户   otherwise: last purchase fewer than ``active_days`` days ago
cooling    降温客户   otherwise: last purchase fewer than ``cooling_days`` days ago
lapsed     沉睡客户   otherwise: last purchase fewer than ``lapsed_days`` days ago
lost       流失客户   otherwise (quiet for ``lapsed_days`` days or more)
=========  ======  =================================================================

The thresholds are business choices: a tea shop visited weekly and a furniture store visited
yearly need different ones. :func:`lifecycle_explorer` lets a class move them.

* :func:`lifecycle_stages`: each customer's stage at a date;
* :func:`stage_counts`: customers per stage (and group) at a date;
* :func:`stage_history`: customers per stage at a series of dates;
* :func:`lifecycle_explorer`: the widget (as-of date and thresholds → counts per stage).
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError
from crmlib.widgets import png_bytes

__all__ = ["STAGES", "STAGES_ZH", "DEFAULT_RULES", "lifecycle_stages", "stage_counts", "stage_history", "lifecycle_explorer"]

#: The five stages, from the start of the relationship to its end.
STAGES = ("new", "active", "cooling", "lapsed", "lost")
#: Their Chinese names.
STAGES_ZH = {"new": "新客户", "active": "活跃客户", "cooling": "降温客户", "lapsed": "沉睡客户", "lost": "流失客户"}
#: Default thresholds in days.
DEFAULT_RULES = {"new_days": 30, "active_days": 30, "cooling_days": 90, "lapsed_days": 180}

_COLOURS = {"new": "#8172B3", "active": "#55A868", "cooling": "#CCB974", "lapsed": "#DD8452", "lost": "#C44E52"}


def _rules(new_days, active_days, cooling_days, lapsed_days) -> dict[str, int]:
    rules = {}
    for name, value in (("new_days", new_days), ("active_days", active_days), ("cooling_days", cooling_days), ("lapsed_days", lapsed_days)):
        number = validate.positive_number(value, name, minimum=1, inclusive=True)
        if number != int(number):
            raise CRMDataError(f"{name} must be a whole number of days, got {value!r}. Fix: pass e.g. {name}={DEFAULT_RULES[name]}.")
        rules[name] = int(number)
    if not rules["active_days"] < rules["cooling_days"] < rules["lapsed_days"]:
        raise CRMDataError(
            f"the thresholds must rise: active_days < cooling_days < lapsed_days, got {rules['active_days']}, "
            f"{rules['cooling_days']}, {rules['lapsed_days']}. Fix: pass e.g. active_days=30, cooling_days=90, lapsed_days=180.")
    return rules


def _purchase_days(orders: pd.DataFrame, customer: str, date: str, by: str | None) -> pd.DataFrame:
    """One row per customer and purchase day (with the group), sorted by day."""
    kinds = {customer: "key", date: "date"}
    if by is not None:
        kinds[by] = "key"
    checked = validate.table(orders, "orders", kinds)
    frame = pd.DataFrame({"customer": checked[customer].to_numpy(), "day": validate.calendar_days(checked[date]).to_numpy()})
    if by is not None:
        frame["group"] = checked[by].to_numpy()
    return frame.drop_duplicates(["customer", "day"]).sort_values("day", kind="stable").reset_index(drop=True)


def _stages_from_days(days: pd.DataFrame, as_of: pd.Timestamp, rules: dict[str, int]) -> pd.DataFrame:
    known = days[days["day"] <= as_of]
    if known.empty:
        raise CRMDataError(f"orders: no purchase on or before as_of {as_of.date()}. Fix: pick a later as_of.")
    grouped = known.groupby("customer", sort=True)
    table = pd.DataFrame({"first_purchase": grouped["day"].min(), "last_purchase": grouped["day"].max()})
    if "group" in known:
        table.insert(0, "group", grouped["group"].first())
    since_first = (as_of - table["first_purchase"]).dt.days.to_numpy()
    since_last = (as_of - table["last_purchase"]).dt.days.to_numpy()
    code = np.select(
        [since_first < rules["new_days"], since_last < rules["active_days"], since_last < rules["cooling_days"],
         since_last < rules["lapsed_days"]], [0, 1, 2, 3], default=4)
    table["days_since_first"] = since_first
    table["days_since_last"] = since_last
    table["stage"] = pd.Categorical.from_codes(code, categories=list(STAGES), ordered=True)
    return table


def lifecycle_stages(orders: pd.DataFrame, as_of, customer: str = "customer_id", date: str = "order_date",
                     by: str | None = None, new_days: int = 30, active_days: int = 30, cooling_days: int = 90,
                     lapsed_days: int = 180) -> pd.DataFrame:
    """Each customer's life-cycle stage at the end of day ``as_of`` (rules in the module description).

    Only purchases on or before ``as_of`` count; customers who first bought later are left out.
    Two orders on one day are one purchase.

    Parameters
    ----------
    orders : one row per order.
    as_of : the date the stages are read at.
    customer, date : column names.
    by : a column to carry along (e.g. the brand); a customer's value on their first purchase is kept.
    new_days, active_days, cooling_days, lapsed_days : the thresholds, in days.

    Returns
    -------
    DataFrame indexed by customer: (``by``,) ``first_purchase``, ``last_purchase``,
    ``days_since_first``, ``days_since_last`` and ``stage`` (ordered category, :data:`STAGES`).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3, 4, 5],
    ...                        "order_date": ["2024-12-20", "2024-06-01", "2024-12-01", "2024-10-15",
    ...                                       "2024-08-01", "2024-01-10"]})
    >>> lifecycle_stages(orders, as_of="2024-12-31")[["days_since_first", "days_since_last", "stage"]]
                 days_since_first  days_since_last    stage
    customer_id
    1                          11               11      new
    2                         213               30  cooling
    3                          77               77  cooling
    4                         152              152   lapsed
    5                         356              356     lost
    """
    rules = _rules(new_days, active_days, cooling_days, lapsed_days)
    end = validate.date(as_of, "as_of").normalize()
    table = _stages_from_days(_purchase_days(orders, customer, date, by), end, rules)
    if by is not None:
        table = table.rename(columns={"group": by})
    return table.rename_axis(customer)


def _counts(stages: pd.DataFrame, group: str | None) -> pd.DataFrame:
    if group is None:
        counts = stages["stage"].value_counts().reindex(list(STAGES), fill_value=0)
        return counts.rename("all").to_frame().T.rename_axis(index=None, columns="stage")
    table = pd.crosstab(stages[group], stages["stage"]).reindex(columns=list(STAGES), fill_value=0)
    return table.rename_axis(columns="stage").astype("int64")


def stage_counts(orders: pd.DataFrame, as_of, customer: str = "customer_id", date: str = "order_date",
                 by: str | None = None, **rules) -> pd.DataFrame:
    """Customers per life-cycle stage at ``as_of``: one row per ``by`` group (or one row ``all``), one column per stage.

    ``rules`` are the thresholds of :func:`lifecycle_stages`.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3, 4, 5],
    ...                        "order_date": ["2024-12-20", "2024-06-01", "2024-12-01", "2024-10-15",
    ...                                       "2024-08-01", "2024-01-10"]})
    >>> stage_counts(orders, as_of="2024-12-31")
    stage  new  active  cooling  lapsed  lost
    all      1       0        2       1     1
    """
    stages = lifecycle_stages(orders, as_of, customer=customer, date=date, by=by, **rules)
    return _counts(stages, by)


def stage_history(orders: pd.DataFrame, dates, customer: str = "customer_id", date: str = "order_date",
                  **rules) -> pd.DataFrame:
    """Customers per life-cycle stage at each of ``dates``: one row per date, one column per stage.

    The same counts as :func:`stage_counts` without ``by``, for many as-of dates at once (the
    orders are checked and reduced to purchase days only once).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 2, 2, 3],
    ...                        "order_date": ["2024-01-05", "2024-01-20", "2024-03-15", "2024-03-10"]})
    >>> stage_history(orders, ["2024-01-31", "2024-03-31"])
    stage       new  active  cooling  lapsed  lost
    as_of
    2024-01-31    2       0        0       0     0
    2024-03-31    1       1        1       0     0
    """
    current = _rules(**{**DEFAULT_RULES, **rules})
    days = _purchase_days(orders, customer, date, None)
    ends = [validate.date(d, "dates") for d in (dates if isinstance(dates, (list, tuple, pd.Index, pd.Series, np.ndarray)) else [dates])]
    rows = {end: _counts(_stages_from_days(days, end, current), None).iloc[0] for end in ends}
    table = pd.DataFrame(rows).T.rename_axis(index="as_of", columns="stage")
    return table.astype("int64")


def _summary_text(counts: pd.DataFrame, as_of: pd.Timestamp, rules: dict[str, int]) -> str:
    total = counts.sum()
    n = int(total.sum())
    shares = " · ".join(f"{s} {STAGES_ZH[s]} {int(total[s]):,} ({total[s] / n:.0%})" for s in STAGES)
    return (f"As of <b>{as_of.date()}</b>: new = first purchase in the last {rules['new_days']} days; active = last purchase "
            f"under {rules['active_days']} days ago; cooling = under {rules['cooling_days']}; lapsed = under "
            f"{rules['lapsed_days']}; lost = longer.<br>{n:,} customers: {shares}")


def _chart_png(counts: pd.DataFrame, names: dict, title: str) -> bytes:
    from matplotlib.figure import Figure

    shares = counts.div(counts.sum(axis=1), axis=0) * 100
    fig = Figure(figsize=(9.0, 1.6 + 0.6 * len(shares)), dpi=100)
    ax = fig.subplots()
    left = np.zeros(len(shares))
    y = np.arange(len(shares))
    for stage in STAGES:
        ax.barh(y, shares[stage], left=left, color=_COLOURS[stage], label=f"{stage} {STAGES_ZH[stage]}")
        for yi, (x0, width, n) in enumerate(zip(left, shares[stage], counts[stage])):
            if width >= 6:
                ax.text(x0 + width / 2, yi, f"{n:,}", ha="center", va="center", fontsize=8, color="white")
        left += shares[stage].to_numpy()
    ax.set_yticks(y, [str(names.get(g, g)) for g in shares.index])
    ax.invert_yaxis()
    ax.set(title=title, xlabel="share of customers who had bought by the as-of date (%)", ylabel="", xlim=(0, 100))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    fig.tight_layout()
    return png_bytes(fig)


def lifecycle_explorer(orders: pd.DataFrame, customer: str = "customer_id", date: str = "order_date",
                       by: str | None = None, names: dict | pd.Series | None = None, as_of=None,
                       title: str = "Customers by life-cycle stage 客户生命周期阶段", **rules):
    """An as-of month slider and three threshold sliders over the life-cycle stages.

    Parameters
    ----------
    orders : one row per order.
    customer, date, by : column names (``by``, e.g. the brand, gives one bar per group).
    names : display names of the ``by`` groups (dict or Series).
    as_of : the starting as-of date, rounded to a month end; default the last month end in the data.
    rules : starting thresholds (see :func:`lifecycle_stages`); ``new_days`` stays fixed.

    Returns
    -------
    ``ipywidgets.VBox`` with the sliders, a summary line and a stacked bar chart. It carries
    ``.controls`` (dict: ``as_of``, ``active_days``, ``cooling_days``, ``lapsed_days``),
    ``.summary``, ``.chart`` and ``.table`` (the current :func:`stage_counts`), all updated when
    a control moves. Thresholds that do not rise leave the chart as it was and say so.
    """
    import ipywidgets as widgets

    from crmlib.plots import use_cjk_font

    start = dict(DEFAULT_RULES)
    start.update(rules)
    current = _rules(**start)
    days = _purchase_days(orders, customer, date, by)
    if days.empty:
        raise CRMDataError("orders has no rows. Fix: pass a non-empty orders table.")
    month_ends = pd.date_range(days["day"].min(), days["day"].max() + pd.offsets.MonthEnd(0), freq="ME")
    month_ends = month_ends[month_ends <= days["day"].max() + pd.Timedelta(days=1)]
    if len(month_ends) == 0:
        month_ends = pd.DatetimeIndex([days["day"].max()])
    options = [(d.strftime("%Y-%m-%d"), d) for d in month_ends]
    first = month_ends[-1] if as_of is None else month_ends[np.argmin(np.abs(month_ends - validate.date(as_of, "as_of")))]
    labels = {} if names is None else dict(names)
    use_cjk_font()

    style = {"description_width": "200px"}
    layout = widgets.Layout(width="560px")
    controls = {
        "as_of": widgets.SelectionSlider(options=options, value=first, description="as-of date (month end)",
                                         style=style, layout=layout, continuous_update=False),
        "active_days": widgets.IntSlider(value=current["active_days"], min=7, max=120, step=1,
                                         description="active: bought < N days ago", style=style, layout=layout),
        "cooling_days": widgets.IntSlider(value=current["cooling_days"], min=14, max=240, step=1,
                                          description="cooling: bought < N days ago", style=style, layout=layout),
        "lapsed_days": widgets.IntSlider(value=current["lapsed_days"], min=30, max=450, step=5,
                                         description="lapsed: bought < N days ago", style=style, layout=layout),
    }
    summary = widgets.HTML()
    chart = widgets.Image(format="png", layout=widgets.Layout(width="760px"))
    box = widgets.VBox([*controls.values(), summary, chart])
    group = "group" if by is not None else None

    def redraw(_change=None) -> None:
        chosen = {k: controls[k].value for k in ("active_days", "cooling_days", "lapsed_days")}
        try:
            now = _rules(new_days=current["new_days"], **chosen)
        except CRMDataError:
            summary.value = (f"<b>The thresholds must rise</b>: active ({chosen['active_days']}) &lt; cooling "
                             f"({chosen['cooling_days']}) &lt; lapsed ({chosen['lapsed_days']}) days. Move a slider back.")
            return
        day = controls["as_of"].value
        box.table = _counts(_stages_from_days(days, day, now), group).rename_axis(index=by)
        summary.value = _summary_text(box.table, day, now)
        chart.value = _chart_png(box.table, labels, f"{title}, {day.date()}")

    for control in controls.values():
        control.observe(redraw, names="value")
    box.controls, box.summary, box.chart = controls, summary, chart
    redraw()
    return box
