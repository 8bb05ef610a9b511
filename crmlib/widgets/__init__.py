"""Interactive explorers instructors drive in class (ipywidgets).

One module per topic (``crmlib.widgets.pareto``, …); each offers one ``*_explorer`` function that
takes the data and returns a widget box to display, built by :func:`explorer`: the controls, a
summary line, the chart and an optional table. The numbers come from the chapter modules and the
charts from :mod:`crmlib.plots`; a widget module holds only its explorer and the glue between
controls and those calls. ipywidgets and matplotlib load only when an explorer is built.

Charts reach the page as PNG bytes in an ``ipywidgets.Image`` (:func:`png_bytes`, drawn inside
:func:`chart_fonts`), never as a
figure displayed inside an ``ipywidgets.Output``: with ipykernel 7 a large figure in an Output
now and then leaves the cell unfinished for ever, which would freeze a class demo.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

__all__ = ["chart_fonts", "png_bytes", "View", "explorer", "sla_slider"]


@contextlib.contextmanager
def chart_fonts():
    """Draw the charts made inside this block with a Chinese-capable font next to DejaVu Sans.

    Where a CJK font is installed, Chinese labels then render without a missing-glyph warning
    (and minus signs stay ASCII, which CJK fonts lack); elsewhere nothing changes. Create the
    figure and save it (:func:`png_bytes`) inside the block.
    """
    import matplotlib as mpl

    from crmlib.plots import installed_cjk_fonts

    cjk = installed_cjk_fonts()
    with mpl.rc_context({"font.family": ["DejaVu Sans", *cjk], "axes.unicode_minus": False} if cjk else {}):
        yield


def png_bytes(fig, dpi: float | None = None) -> bytes:
    """The matplotlib figure as PNG bytes, the value an ``ipywidgets.Image`` shows.

    >>> from matplotlib.figure import Figure
    >>> with chart_fonts():
    ...     fig = Figure(figsize=(2, 1))
    ...     _ = fig.add_subplot().set_title("价值 value")
    ...     png = png_bytes(fig)
    >>> png[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", **({} if dpi is None else {"dpi": dpi}))
    return buffer.getvalue()


class View(NamedTuple):
    """What an explorer shows for one setting of its controls (returned by its ``render``).

    summary : a line or two of HTML above the chart.
    figure : a matplotlib ``Figure`` (drawn without pyplot), shown as PNG; None for no chart.
    table : HTML shown under the chart (e.g. ``DataFrame.to_html()``), or None.
    state : the numbers behind the view (tables, model outputs), kept in ``box.state`` so that
        tests and curious students can read exactly what is shown.
    """

    summary: str
    figure: Any = None
    table: str | None = None
    state: Mapping[str, Any] = MappingProxyType({})


def _keep_places(fig, places: dict):
    """Put the axes where the explorer's first chart had them, instead of running the layout
    engine again: the chart stays still while a control moves, and a redraw costs about a third
    less (constrained layout measures every label once more). The first chart, or one with
    another number of axes, is laid out by its own engine, and the places are kept.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        return fig
    if places.get("count") == len(fig.axes):
        fig.set_layout_engine("none")
        for ax, place in zip(fig.axes, places["boxes"], strict=True):
            ax.set_position(place)
    else:
        fig.draw_without_rendering()  # runs the layout engine once
        places.update(count=len(fig.axes), boxes=[ax.get_position() for ax in fig.axes])
    return fig


def explorer(controls: Mapping[str, Any], render: Callable[..., View], *, rows=None, image_width: str | None = None):
    """The box every explorer shows: its controls, a summary line, a chart and an optional table.

    Parameters
    ----------
    controls : ``{name: ipywidgets control}``; ``render`` receives their values as keyword
        arguments of the same names.
    render : ``render(**values) -> View``: computes the numbers (with the chapter modules) and
        draws the chart (with :mod:`crmlib.plots`). It runs once now and again whenever a control
        moves, inside :func:`chart_fonts`.
    rows : how to lay out the controls: a list whose items are a control name or a list of names
        shown side by side. Default: one control per row.
    image_width : CSS width of the chart, e.g. ``"880px"`` (default: the figure's own size).

    Returns
    -------
    ``ipywidgets.VBox`` with these attributes: ``controls`` (the mapping), ``summary`` (HTML),
    ``image`` (Image), ``table`` (HTML), ``state`` (the latest ``View.state``), ``redraw()``,
    and ``redraw_seconds`` (how long each redraw took: computing, drawing and PNG).

    >>> import ipywidgets as w
    >>> from matplotlib.figure import Figure
    >>> def render(n):
    ...     fig = Figure(figsize=(2, 1))
    ...     fig.add_subplot().bar(range(n), range(n))
    ...     return View(f"<b>{n} bars</b>", fig, state={"n": n})
    >>> box = explorer({"n": w.IntSlider(value=3, min=1, max=9)}, render)
    >>> box.summary.value, box.state["n"]
    ('<b>3 bars</b>', 3)
    >>> box.controls["n"].value = 5
    >>> box.summary.value, len(box.redraw_seconds)
    ('<b>5 bars</b>', 2)
    """
    import time

    import ipywidgets as widgets

    controls = dict(controls)
    layout = [[name] if isinstance(name, str) else list(name) for name in (rows or list(controls))]
    placed = [name for row in layout for name in row]
    if sorted(placed) != sorted(controls):
        raise ValueError(f"rows must place every control once: controls {sorted(controls)}, rows {layout}.")
    summary = widgets.HTML()
    image = widgets.Image(format="png", **({"layout": widgets.Layout(width=image_width)} if image_width else {}))
    table = widgets.HTML()
    lines = [controls[row[0]] if len(row) == 1 else widgets.HBox([controls[n] for n in row]) for row in layout]
    box = widgets.VBox([*lines, summary, image, table])
    box.controls, box.summary, box.image, box.table = controls, summary, image, table
    box.state, box.redraw_seconds = {}, []

    places: dict = {}  # where the first chart's layout engine put the axes, kept for later charts

    def redraw(_change=None) -> None:
        start = time.perf_counter()
        with chart_fonts():
            view = render(**{name: control.value for name, control in controls.items()})
            png = None if view.figure is None else png_bytes(_keep_places(view.figure, places))
        summary.value = view.summary
        if png is not None:
            image.value = png
        image.layout.display = None if png is not None else "none"
        table.value = view.table or ""
        table.layout.display = None if view.table else "none"
        box.state = dict(view.state)
        box.redraw_seconds.append(time.perf_counter() - start)

    for control in controls.values():
        control.observe(redraw, names="value")
    box.redraw = redraw
    redraw()
    return box


def sla_slider(value: int, max_hours: int):
    """The slider for a service-level promise in hours (1 to ``max_hours``) that the SLA and the
    complaint explorers share.

    >>> sla_slider(24, 72).description
    'SLA (hours)'
    """
    import ipywidgets as widgets

    from crmlib.messages import gettext as _

    return widgets.IntSlider(
        value=value,
        min=1,
        max=max_hours,
        step=1,
        description=_("SLA (hours)"),
        continuous_update=False,
        style={"description_width": "initial"},
    )
