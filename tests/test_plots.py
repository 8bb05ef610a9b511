"""crmlib.plots: Chinese labels render without missing-glyph warnings; no font means one clear warning."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from crmlib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def restore_rc():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def has_cjk_font() -> bool:
    return any(f.name in plots.CJK_FONTS for f in font_manager.fontManager.ttflist)


@pytest.mark.skipif(not has_cjk_font(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
def test_chinese_labels_render_without_warnings():
    found = plots.use_cjk_font()
    assert found and found[0] in plots.CJK_FONTS
    assert matplotlib.rcParams["font.family"][0] == "DejaVu Sans"
    fig, ax = plt.subplots()
    ax.set_title("客户关系管理 Customer relationship management")
    ax.bar(["极光叶茶", "荷巷茶事", "雪杯"], [1, 2, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would be a UserWarning here
        fig.canvas.draw()


def test_no_cjk_font_gives_one_clear_warning(monkeypatch):
    latin_only = [f for f in font_manager.fontManager.ttflist if f.name not in plots.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.warns(UserWarning, match="No Chinese font was found.*fonts-noto-cjk") as record:
        assert plots.use_cjk_font() == []
    assert len(record) == 1


@pytest.mark.skipif(not has_cjk_font(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
def test_a_font_installed_after_the_cache_was_built_is_found(monkeypatch):
    latin_only = [f for f in font_manager.fontManager.ttflist if f.name not in plots.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    assert plots.installed_cjk_fonts()  # found again by scanning the system's font files


def test_style_sets_the_house_look():
    if not has_cjk_font():
        pytest.skip("no CJK font installed")
    plots.style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["axes.grid"] is True


def test_new_axes_reuses_or_creates():
    fig, ax = plt.subplots()
    assert plots.new_axes(ax) is ax
    assert plots.new_axes() is not ax
