"""Interactive explorers instructors drive in class (ipywidgets).

One module per topic (``crmlib.widgets.pareto``, …); each offers a function that takes the
data and returns a widget box to display. ipywidgets and matplotlib load only when one is built.

Charts reach the page as PNG bytes in an ``ipywidgets.Image`` (:func:`png_bytes`, drawn inside
:func:`chart_fonts`), never as a
figure displayed inside an ``ipywidgets.Output``: with ipykernel 7 a large figure in an Output
now and then leaves the cell unfinished for ever, which would freeze a class demo.
"""
from __future__ import annotations

import contextlib
import io


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
