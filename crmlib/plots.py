"""Plots the course draws, and two switches for how they look.

Every plot function is ``thing_plot(data, ..., ax=None) -> Axes``, like seaborn: pass an Axes to
draw into it, or let the function make a new figure. ``use_cjk_font()`` makes Chinese labels
render; ``style()`` is the course's (opt-in) house style.
"""
from __future__ import annotations

import warnings

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
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax
