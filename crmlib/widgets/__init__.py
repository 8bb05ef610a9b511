"""Interactive explorers instructors drive in class (ipywidgets).

One module per topic (``crmlib.widgets.pareto``, …); each offers a function that takes the
data and returns a widget box to display. ipywidgets and matplotlib load only when one is built.

Charts reach the page as PNG bytes in an ``ipywidgets.Image`` (:func:`figure_png`), never as a
figure displayed inside an ``ipywidgets.Output``: with ipykernel 7 a large figure in an Output
now and then leaves the cell unfinished for ever, which would freeze a class demo.
"""
from __future__ import annotations

import io
from collections.abc import Callable


def figure_png(draw: Callable, *args, **kwargs) -> bytes:
    """PNG bytes of the matplotlib figure ``draw(*args, **kwargs)`` returns.

    The figure is drawn with a Chinese-capable font next to DejaVu Sans when one is installed,
    so Chinese labels render without a missing-glyph warning. ``draw`` should build a bare
    ``matplotlib.figure.Figure`` (no pyplot: nothing to close or to show twice).

    >>> def draw(title):
    ...     from matplotlib.figure import Figure
    ...     fig = Figure(figsize=(2, 1))
    ...     fig.add_subplot().set_title(title)
    ...     return fig
    >>> figure_png(draw, "hello")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    import matplotlib as mpl

    from crmlib.plots import installed_cjk_fonts

    cjk = installed_cjk_fonts()
    with mpl.rc_context({"font.family": ["DejaVu Sans", *cjk]} if cjk else {}):
        buffer = io.BytesIO()
        draw(*args, **kwargs).savefig(buffer, format="png")
    return buffer.getvalue()
