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
    """Whether this machine has a CJK font, even one installed after matplotlib's cache was built."""
    return bool(plots.installed_cjk_fonts())


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
def test_a_font_installed_after_the_cache_was_built_is_found(monkeypatch, tmp_path):
    latin_only = [f for f in font_manager.fontManager.ttflist if f.name not in plots.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    found = plots.installed_cjk_fonts()  # found again by scanning the system's font files
    assert found
    # ... and matplotlib's cache is written again with them, so the next session needs no scan
    (cache,) = tmp_path.glob("fontlist-v*.json")
    assert {f.name for f in font_manager.json_load(cache).ttflist} >= set(found)


@pytest.mark.skipif(not has_cjk_font(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
def test_a_current_font_cache_is_left_alone(monkeypatch, tmp_path):
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    assert plots.installed_cjk_fonts()
    assert list(tmp_path.iterdir()) == []


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


# =============================================================================================
# chart functions
# =============================================================================================
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402
from messy import ids as _ids  # noqa: E402
from messy import messy_frames, only_crmdataerror  # noqa: E402
from messy import money as _money  # noqa: E402

from crmlib import clv as C  # noqa: E402
from crmlib import develop as D  # noqa: E402
from crmlib import identify as I  # noqa: E402
from crmlib import loyalty as L  # noqa: E402
from crmlib.validate import CRMDataError  # noqa: E402

CDNOW = Path(__file__).parent / "data" / "cdnow"
needs_cjk = pytest.mark.skipif(not has_cjk_font(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")


def widths(ax) -> list[float]:
    return [float(p.get_width()) for p in ax.patches]


def heights(ax) -> list[float]:
    return [float(p.get_height()) for p in ax.patches]


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def labelled(ax) -> None:
    """Every chart has a title and both axis labels, each with a Chinese term."""
    for text in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()):
        assert text and any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def is_percent(axis) -> bool:
    return isinstance(axis.get_major_formatter(), PercentFormatter)


# ---------------------------------------------------------------------------------------------
# shipped data, computed once
# ---------------------------------------------------------------------------------------------
TEA = {"customer": "member_id", "amount": "net_amount"}


@pytest.fixture(scope="module")
def tea_rfm(tea):
    return I.rfm_segments(
        I.rfm_scores(I.rfm_table(tea.orders, customer="member_id", date="order_time", amount="net_amount"))
    )


@pytest.fixture(scope="module")
def source_funnel(retail):
    leads = retail.leads.merge(retail.opportunities[["opportunity_id", "stage"]], on="opportunity_id", how="left")
    leads["stage"] = leads["stage"].cat.add_categories("lead").fillna("lead")
    return D.funnel_table(leads, stages=["lead", *retail.opportunities["stage"].cat.categories], by="source")


@pytest.fixture(scope="module")
def cdnow():
    """Calibration summary (weeks, up to 1997-09-30), holdout purchase days per customer, fitted BG/NBD."""
    raw = pd.read_csv(
        CDNOW / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "order_date", "cds", "amount"],
    )
    raw["order_date"] = pd.to_datetime(raw["order_date"].astype(str), format="%Y%m%d")
    calibration = raw[raw["order_date"] <= "1997-09-30"]
    holdout = raw[raw["order_date"] > "1997-09-30"]  # 1997-10-01 .. 1998-06-30: 273 days = 39 weeks
    summary = C.convert_time_unit(C.rfm_summary(calibration, observation_end="1997-09-30", amount=None), "W")
    counts = holdout.groupby("customer_id")["order_date"].nunique()  # purchase days, as rfm_summary counts
    return summary, counts, C.BetaGeo().fit(summary)


# ---------------------------------------------------------------------------------------------
# 1. Pareto curve
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def tiny_orders():
    # totals a 80, b 20, c 15, d 5 (total 120): running shares 80/120, 100/120, 115/120, 1
    return pd.DataFrame({"customer_id": ["a", "b", "a", "c", "d"], "amount": [50.0, 20.0, 30.0, 15.0, 5.0]})


def test_pareto_plot_draws_the_running_shares(tiny_orders):
    ax = plots.pareto_plot(I.pareto_table(tiny_orders), highlight=0.2)
    curve = ax.lines[0].get_xydata()
    np.testing.assert_allclose(curve[:, 0], [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(curve[:, 1], [0, 2 / 3, 5 / 6, 23 / 24, 1])
    np.testing.assert_allclose(ax.lines[1].get_xydata(), [[0, 0], [1, 1]])
    # the top 20% of 4 customers is ceil(0.8) = 1 customer: the point (0.25, 2/3)
    np.testing.assert_allclose(ax.lines[2].get_xydata(), [[0.25, 2 / 3]])
    assert "Top 25% of customers\nbring 67% of the value" in texts(ax)
    labelled(ax)
    assert is_percent(ax.xaxis) and is_percent(ax.yaxis)
    assert ax.get_legend() is not None


def test_pareto_plot_sorts_rows_and_can_skip_the_highlight():
    pareto = pd.DataFrame({"cum_customer_share": [1.0, 0.5], "cum_value_share": [1.0, 0.9]})
    fig, ax = plt.subplots()
    assert plots.pareto_plot(pareto, highlight=None, ax=ax) is ax
    assert len(ax.lines) == 2
    np.testing.assert_allclose(ax.lines[0].get_xydata(), [[0, 0], [0.5, 0.9], [1, 1]])


def test_pareto_plot_on_the_tea_chain_marks_the_top_fifth(tea):
    pareto = I.pareto_table(tea.orders, **TEA)
    ax = plots.pareto_plot(pareto)
    np.testing.assert_allclose(ax.lines[0].get_ydata()[1:], pareto["cum_value_share"].to_numpy())
    x, y = ax.lines[2].get_xydata()[0]
    assert x == pytest.approx(0.2)
    assert y == pytest.approx(I.top_share(tea.orders, 0.2, **TEA))
    assert 0.6 <= y <= 0.8  # the planted Pareto concentration


# ---------------------------------------------------------------------------------------------
# 2. Lorenz curves
# ---------------------------------------------------------------------------------------------
def test_lorenz_plot_gini_in_the_legend_equals_identify_gini():
    # totals 1, 1, 2, 4: G = (−3·1 − 1·1 + 1·2 + 3·4) / (4 · 8) = 10 / 32 = 0.3125
    orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "amount": [1.0, 1.0, 2.0, 4.0]})
    curve = I.lorenz_curve(orders)
    ax = plots.lorenz_plot({"shop": curve})
    np.testing.assert_allclose(ax.lines[0].get_xydata(), curve.to_numpy())
    np.testing.assert_allclose(ax.lines[1].get_xydata(), [[0, 0], [1, 1]])
    assert ax.get_legend().get_texts()[0].get_text() == "shop, Gini 0.31"
    labelled(ax)
    assert is_percent(ax.xaxis) and is_percent(ax.yaxis)


def test_lorenz_plot_long_table_with_by_and_missing_end_points():
    # one curve given only by its middle point (0.5, 0.2): the plot adds (0, 0) and (1, 1);
    # Gini = 1 − Σ Δx (y0 + y1) = 1 − (0.5 · 0.2 + 0.5 · 1.2) = 0.30
    long = pd.DataFrame(
        {"brand": ["B", "A", "A", "A"], "customer_share": [0.5, 1.0, 0.0, 0.5], "value_share": [0.2, 1.0, 0.0, 0.5]}
    )
    fig, ax = plt.subplots()
    plots.lorenz_plot(long, by="brand", ax=ax)
    np.testing.assert_allclose(ax.lines[0].get_xydata(), [[0, 0], [0.5, 0.2], [1, 1]])
    np.testing.assert_allclose(ax.lines[1].get_xydata(), [[0, 0], [0.5, 0.5], [1, 1]])
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["B, Gini 0.30", "A, Gini 0.00"]
    ax2 = plots.lorenz_plot(long[long["brand"] == "A"].drop(columns="brand"), show_gini=False)
    assert ax2.get_legend().get_texts()[0].get_text() == "Customers 客户"


def test_lorenz_plot_per_brand_on_the_tea_chain(tea):
    curves, expected = {}, []
    for brand, orders in tea.orders.groupby("brand_id", observed=True):
        curves[brand] = I.lorenz_curve(orders, **TEA)
        expected.append(f"{brand}, Gini {I.gini(I.customer_totals(orders, **TEA)):.2f}")
    ax = plots.lorenz_plot(curves)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:3] == expected
    np.testing.assert_allclose(ax.lines[2].get_ydata(), curves["T3"]["value_share"].to_numpy())


# ---------------------------------------------------------------------------------------------
# 3. RFM grid and segments
# ---------------------------------------------------------------------------------------------
def test_rfm_heatmap_counts_and_means_per_cell():
    # cells: (R2, FM1) one customer of 10; (R2, FM2) one of 20; (R1, FM2) one of 40; (R1, FM1) none
    scores = pd.DataFrame({"R": [2, 2, 1], "FM": [1, 2, 2], "monetary": [10.0, 20.0, 40.0]})
    ax = plots.rfm_heatmap(scores)
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 1], [0, 1]])
    assert sorted(texts(ax)) == ["1", "1", "1"]  # the empty cell stays blank
    labelled(ax)
    fig, ax2 = plt.subplots()
    plots.rfm_heatmap(scores, value="monetary", ax=ax2)
    grid = ax2.images[0].get_array()
    assert grid.mask.tolist() == [[False, False], [True, False]]
    assert grid.filled(np.nan)[[0, 0, 1], [0, 1, 1]].tolist() == [10.0, 20.0, 40.0]
    assert "mean monetary" in ax2.get_title()


def test_rfm_heatmap_names_the_segments_of_rfm_segments():
    segments = I.rfm_segments(pd.DataFrame({"R": [5, 5, 1], "F": [5, 4, 1], "M": [5, 4, 1]}))
    ax = plots.rfm_heatmap(segments)
    grid = ax.images[0].get_array()
    assert grid[0, 4] == 1 and grid[0, 3] == 1 and grid[4, 0] == 1 and grid.sum() == 3
    assert set(texts(ax)) == {"Champions\n1", "Lost\n1"}


def test_rfm_heatmap_on_the_tea_chain(tea_rfm):
    ax = plots.rfm_heatmap(tea_rfm)
    grid = ax.images[0].get_array()
    assert grid.shape == (5, 5) and grid.sum() == len(tea_rfm)
    assert grid[0, 4] == ((tea_rfm["R"] == 5) & (tea_rfm["FM"] == 5)).sum()
    assert grid[4, 0] == ((tea_rfm["R"] == 1) & (tea_rfm["FM"] == 1)).sum()
    ax2 = plots.rfm_heatmap(tea_rfm.drop(columns=["FM", "segment"]), x="F", value="monetary")
    mean = tea_rfm[(tea_rfm["R"] == 3) & (tea_rfm["F"] == 2)]["monetary"].mean()
    assert ax2.images[0].get_array()[2, 1] == pytest.approx(mean)


def test_segment_bar_plot_shares_of_customers_and_value():
    # category order kept (b before a); customers 1/4 and 3/4; value 600/1000 and 400/1000
    segments = pd.DataFrame(
        {
            "segment": pd.Categorical(["b", "a", "a", "a"], categories=["b", "a", "empty"]),
            "monetary": [600.0, 100.0, 200.0, 100.0],
        }
    )
    ax = plots.segment_bar_plot(segments)
    assert widths(ax) == pytest.approx([0.25, 0.75, 0.6, 0.4])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]
    assert is_percent(ax.xaxis)
    labelled(ax)


def test_segment_bar_plot_on_the_tea_chain(tea_rfm):
    ax = plots.segment_bar_plot(tea_rfm)
    n = len(ax.patches) // 2
    champions = tea_rfm["segment"] == "Champions"
    assert widths(ax)[0] == pytest.approx(champions.mean())
    assert widths(ax)[n] == pytest.approx(tea_rfm.loc[champions, "monetary"].sum() / tea_rfm["monetary"].sum())
    assert sum(widths(ax)[:n]) == pytest.approx(1) and sum(widths(ax)[n:]) == pytest.approx(1)


# ---------------------------------------------------------------------------------------------
# 4. funnel
# ---------------------------------------------------------------------------------------------
def test_funnel_plot_centred_bars_with_conversion():
    funnel = pd.DataFrame({"stage": ["lead", "proposal", "won"], "reached": [10, 4, 1]})
    ax = plots.funnel_plot(funnel)
    assert widths(ax) == [10, 4, 1]
    assert [p.get_x() for p in ax.patches] == [0, 3, 4.5]  # centred on 10 / 2
    shown = texts(ax)
    assert "40% of previous" in shown and "25% of previous" in shown  # 4/10, 1/4
    assert {"10", "4", "1"} <= set(shown)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["lead", "proposal", "won"]
    labelled(ax)


def test_funnel_plot_grouped_shows_shares_of_the_first_stage():
    # funnel_table: referral 2 → 2 → 1 (overall 1, 1, 0.5); cold call 2 → 1 → 0 (1, 0.5, 0)
    deals = pd.DataFrame(
        {"source": ["referral", "referral", "cold call", "cold call"], "stage": ["won", "proposal", "proposal", "lead"]}
    )
    funnel = D.funnel_table(deals, stages=["lead", "proposal", "won"], by="source")
    fig, ax = plt.subplots()
    plots.funnel_plot(funnel, by="source", ax=ax)
    assert widths(ax) == pytest.approx([1, 0.5, 0, 1, 1, 0.5])  # cold call first, as funnel_table sorts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cold call", "referral"]
    assert is_percent(ax.xaxis)
    ax2 = plots.funnel_plot(funnel, by="source", value="reached")
    assert widths(ax2) == [2, 1, 0, 2, 2, 1]


def test_funnel_plot_on_the_retailer(retail, source_funnel):
    funnel = D.funnel_table(retail.opportunities)
    ax = plots.funnel_plot(funnel)
    assert widths(ax) == funnel["reached"].astype(float).tolist()
    ax2 = plots.funnel_plot(source_funnel, by="source")
    won = source_funnel[source_funnel["stage"] == "won"].set_index("source")["overall"]
    n = len(source_funnel["stage"].cat.categories)
    sources = list(pd.unique(source_funnel["source"]))
    assert widths(ax2)[sources.index("referral") * n + n - 1] == pytest.approx(won["referral"])
    assert won.idxmax() == "referral"  # the planted effect, read off the chart's numbers


# ---------------------------------------------------------------------------------------------
# 5. win rate
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def tiny_rates():
    return pd.DataFrame(
        {
            "touches": [3, 1, 2],
            "deals": [8, 20, 10],
            "win_rate": [0.5, 0.05, 0.2],
            "ci_low": [0.22, 0.01, 0.06],
            "ci_high": [0.78, 0.24, 0.51],
        }
    )


def test_win_rate_plot_bars_and_wilson_error_bars(tiny_rates):
    ax = plots.win_rate_plot(tiny_rates, pooled_last=True)
    assert heights(ax) == [0.05, 0.2, 0.5]  # sorted by touches
    assert [p.get_x() + p.get_width() / 2 for p in ax.patches] == pytest.approx([1, 2, 3])
    whiskers = ax.containers[1].lines[2][0].get_segments()
    np.testing.assert_allclose(np.array(whiskers)[:, :, 1], [[0.01, 0.24], [0.06, 0.51], [0.22, 0.78]])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1\n20 deals", "2\n10 deals", "3+\n8 deals"]
    assert is_percent(ax.yaxis)
    labelled(ax)


def test_win_rate_plot_on_the_retailer(retail):
    table = D.win_rate_by_touches(retail.opportunities, retail.activities, max_touches=5)
    ax = plots.win_rate_plot(table, pooled_last=True)
    assert heights(ax) == pytest.approx(table["win_rate"].tolist())
    assert ax.get_xticklabels()[-1].get_text().startswith("5+")
    rate = dict(zip(table["touches"], heights(ax), strict=True))
    assert rate[3] > 2.5 * rate[1]  # the "three visits" lesson, read off the bars


# ---------------------------------------------------------------------------------------------
# 6. cohorts
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def tiny_cohorts():
    # customer 1: Jan, Mar; 2: Jan; 3: Feb, Mar -> Jan cohort 1, 0, 1/2; Feb cohort 1, 1
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 3, 3],
            "order_date": ["2024-01-03", "2024-03-09", "2024-01-20", "2024-02-02", "2024-03-15"],
        }
    )
    return L.cohort_table(orders, observation_end="2024-03-31")


def test_cohort_heatmap_draws_retention_with_month_zero(tiny_cohorts):
    ax = plots.cohort_heatmap(tiny_cohorts)
    grid = ax.images[0].get_array()
    assert grid.filled(np.nan)[0].tolist() == [1.0, 0.0, 0.5]
    assert grid.mask.tolist() == [[False, False, False], [False, False, True]]
    assert sorted(texts(ax)) == ["0%", "100%", "100%", "100%", "50%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2024-01", "2024-02"]
    assert "Months" in ax.get_xlabel()
    labelled(ax)


def test_cohort_heatmap_takes_the_matrix_or_a_flat_table_too(tiny_cohorts):
    expected = plots.cohort_heatmap(tiny_cohorts).images[0].get_array().filled(-1)
    for form in (L.cohort_matrix(tiny_cohorts), tiny_cohorts.reset_index()):
        np.testing.assert_array_equal(plots.cohort_heatmap(form).images[0].get_array().filled(-1), expected)
    counts = plots.cohort_heatmap(tiny_cohorts, value="active_customers")
    assert counts.images[0].get_array().filled(np.nan)[0].tolist() == [2, 0, 1]
    bare = plots.cohort_heatmap(tiny_cohorts, annotate=False)
    assert texts(bare) == [] and len(bare.figure.axes) == 2  # a colour bar instead of numbers


def test_cohort_heatmap_on_the_tea_chain(tea):
    table = L.cohort_table(tea.orders, customer="member_id", date="order_time")
    ax = plots.cohort_heatmap(table)
    grid = ax.images[0].get_array()
    assert grid.shape == (24, 24)
    np.testing.assert_allclose(grid.filled(np.nan), L.cohort_matrix(table).to_numpy(), equal_nan=True)
    assert (grid[:, 0] == 1).all() and grid.mask.sum() == 24 * 23 // 2


# ---------------------------------------------------------------------------------------------
# 7. SERVQUAL
# ---------------------------------------------------------------------------------------------
def test_servqual_gap_plot_dumbbells_and_gaps():
    surveys = pd.DataFrame(
        {
            "expectation_speed": [6, 7],
            "perception_speed": [4, 5],
            "expectation_taste": [5, 5],
            "perception_taste": [6, 5],
        }
    )
    ax = plots.servqual_gap_plot(L.satisfaction_gap(surveys, dimensions=["speed", "taste"]))
    np.testing.assert_allclose(ax.lines[0].get_xydata(), [[6.5, 0], [5.0, 1]])
    np.testing.assert_allclose(ax.lines[1].get_xydata(), [[4.5, 0], [5.5, 1]])
    assert texts(ax) == ["-2.00", "+0.50"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["speed", "taste"]
    labelled(ax)


def test_servqual_gap_plot_by_brand_on_the_tea_chain(tea):
    gaps = L.satisfaction_gap(tea.surveys, by="brand_id")
    fig, ax = plt.subplots()
    plots.servqual_gap_plot(gaps, ax=ax)
    assert len(ax.lines) == 6  # expectation and perception of three brands
    t2 = gaps.loc["T2"]
    np.testing.assert_allclose(ax.lines[2].get_xdata(), t2["expectation"].to_numpy())
    np.testing.assert_allclose(ax.lines[3].get_xdata(), t2["perception"].to_numpy())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[2:] == ["T1", "T2", "T3"]
    assert len(texts(ax)) == len(gaps)


# ---------------------------------------------------------------------------------------------
# 8. calibration vs holdout (BG/NBD)
# ---------------------------------------------------------------------------------------------
def test_calibration_holdout_table_by_hand():
    model = C.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    summary = pd.DataFrame(
        {"frequency": [0, 0, 2, 5], "recency": [0.0, 0.0, 30.0, 35.0], "T": [38.0] * 4},
        index=pd.Index([1, 2, 3, 4], name="customer_id"),
    )
    # customer 2 is missing from the holdout counts (0 purchases); customer 9 is new and left out
    holdout = pd.Series({1: 1, 3: 2, 4: 4, 9: 7})
    table = C.calibration_holdout_table(summary, holdout, model, holdout_length=39, max_frequency=2)
    predicted = model.predict_purchases(39, summary).to_numpy()
    assert table["frequency"].tolist() == [0, 2]  # 5 repeat purchases pool into "2+"
    assert table["customers"].tolist() == [2, 2]
    assert table["actual"].tolist() == [0.5, 3.0]  # (1 + 0) / 2, (2 + 4) / 2
    assert table["predicted"].tolist() == pytest.approx([predicted[:2].mean(), predicted[2:].mean()])


def test_calibration_holdout_on_cdnow(cdnow):
    summary, counts, model = cdnow
    table = C.calibration_holdout_table(summary, counts, model, holdout_length=39)
    assert table["frequency"].tolist() == list(range(7)) and table["customers"].sum() == 2357
    actual = (table["actual"] * table["customers"]).sum() / 2357
    predicted = (table["predicted"] * table["customers"]).sum() / 2357
    assert actual == pytest.approx(1882 / 2357)  # 1,882 purchase days in the 39 holdout weeks
    # the published-parameter model predicts 0.70 purchases per customer against 0.80 actual:
    # within 15 % overall, within 10 % for the one-time buyers and for the 6+ group
    assert abs(predicted - actual) / actual < 0.15
    first, last = table.iloc[0], table.iloc[-1]
    assert abs(first["predicted"] - first["actual"]) / first["actual"] < 0.1
    assert abs(last["predicted"] - last["actual"]) / last["actual"] < 0.1
    assert table["predicted"].is_monotonic_increasing and table["actual"].is_monotonic_increasing
    ax = plots.calibration_holdout_plot(table)
    np.testing.assert_allclose(ax.lines[0].get_xydata(), table[["frequency", "actual"]].to_numpy())
    np.testing.assert_allclose(ax.lines[1].get_xydata(), table[["frequency", "predicted"]].to_numpy())
    assert ax.get_xticklabels()[-1].get_text() == "6+\nn=93"
    labelled(ax)


def test_calibration_holdout_table_rejects_bad_arguments(cdnow):
    summary, counts, model = cdnow
    with pytest.raises(CRMDataError, match="model must be a fitted BetaGeo"):
        C.calibration_holdout_table(summary, counts, "bg", 39)
    with pytest.raises(CRMDataError, match="BetaGeo is not fitted"):
        C.calibration_holdout_table(summary, counts, C.BetaGeo(), 39)
    with pytest.raises(CRMDataError, match="max_frequency"):
        C.calibration_holdout_table(summary, counts, model, 39, max_frequency=0)
    with pytest.raises(CRMDataError, match="holdout_length"):
        C.calibration_holdout_table(summary, counts, model, -1)
    with pytest.raises(CRMDataError, match="Series"):
        C.calibration_holdout_table(summary, counts.to_frame(), model, 39)
    with pytest.raises(CRMDataError, match="none of its customer ids"):
        C.calibration_holdout_table(summary, counts.set_axis(counts.index.astype(str)), model, 39)
    with pytest.raises(CRMDataError, match="repeated customer id"):
        C.calibration_holdout_table(summary, pd.concat([counts, counts.iloc[:1]]), model, 39)
    with pytest.raises(CRMDataError, match="holdout_purchases.*not whole numbers"):
        C.calibration_holdout_table(summary, counts - 100, model, 39)
    with pytest.raises(CRMDataError, match="recency"):
        C.calibration_holdout_table(summary.drop(columns="recency"), counts, model, 39)
    with pytest.raises(CRMDataError, match="summary has no rows"):
        C.calibration_holdout_table(summary.iloc[:0], counts, model, 39)
    with pytest.raises(CRMDataError, match="summary: column 'index' has 2 repeated customer ids"):
        C.calibration_holdout_table(pd.concat([summary.iloc[:1], summary.iloc[:1]]), counts, model, 39)


# ---------------------------------------------------------------------------------------------
# 9. NPS
# ---------------------------------------------------------------------------------------------
def test_nps_plot_stacks_the_three_groups():
    table = pd.DataFrame(
        {"promoters": [0.6, 0.3], "passives": [0.2, 0.3], "detractors": [0.2, 0.4], "nps": [40.0, -10.0]},
        index=pd.Index(["A", "B"], name="brand"),
    )
    ax = plots.nps_plot(table)
    assert widths(ax) == pytest.approx([0.2, 0.4, 0.2, 0.3, 0.6, 0.3])
    assert [p.get_x() for p in ax.patches] == pytest.approx([0, 0, 0.2, 0.4, 0.4, 0.7])
    assert "NPS +40" in texts(ax) and "NPS -10" in texts(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    assert is_percent(ax.xaxis)
    assert ax.get_ylabel() == "brand 分组"
    labelled(ax)


def test_nps_plot_takes_the_series_and_the_brands(tea):
    # scores 10, 9, 8, 3, 10: promoters 3/5, passives 1/5, detractors 1/5, NPS 40
    ax = plots.nps_plot(L.nps(pd.Series([10, 9, 8, 3, 10])))
    assert widths(ax) == pytest.approx([0.2, 0.2, 0.6]) and "NPS +40" in texts(ax)
    by_brand = L.nps(tea.surveys, by="brand_id")
    fig, ax2 = plt.subplots()
    plots.nps_plot(by_brand.reset_index(), by="brand_id", ax=ax2)
    assert widths(ax2)[6:] == pytest.approx(by_brand["promoters"].tolist())
    assert f"NPS {by_brand.loc['T3', 'nps']:+.0f}" in texts(ax2)


# ---------------------------------------------------------------------------------------------
# 10. pyramid, pipeline, acquisition cost
# ---------------------------------------------------------------------------------------------
def test_pyramid_plot_customers_left_value_right():
    pyramid = pd.DataFrame(
        {"tier": ["key", "ordinary", "inactive"], "customer_share": [0.2, 0.8, 0.0], "value_share": [0.7, 0.3, 0.0]}
    )
    ax = plots.pyramid_plot(pyramid)
    assert widths(ax) == pytest.approx([0.2, 0.8, 0.7, 0.3])  # the empty tier is left out
    assert [p.get_x() for p in ax.patches] == pytest.approx([-0.2, -0.8, 0, 0])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["key", "ordinary"]
    assert {"20%", "80%", "70%", "30%"} == set(texts(ax))
    labelled(ax)


def test_pyramid_plot_on_the_tea_chain_and_for_loyalty_tiers(tea):
    pyramid = I.customer_pyramid(tea.orders, **TEA)
    ax = plots.pyramid_plot(pyramid)
    active = pyramid[pyramid["customers"] > 0]
    assert widths(ax) == pytest.approx([*active["customer_share"], *active["value_share"]])
    tiers = L.tier_summary(L.loyalty_tiers(tea.orders, customer="member_id", date="order_time", amount="net_amount"))
    ax2 = plots.pyramid_plot(tiers, value_share="spend_share", top_first=False)
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["gold", "silver", "bronze"]
    assert widths(ax2)[3] == pytest.approx(tiers.loc["gold", "spend_share"])


def test_pipeline_plot_amounts_and_expected_values(retail):
    forecast = pd.DataFrame(
        {
            "stage": ["proposal", "negotiation", "total"],
            "amount": [1000.0, 500.0, 1500.0],
            "expected_value": [400.0, 300.0, 700.0],
        }
    )
    ax = plots.pipeline_plot(forecast)
    assert widths(ax) == [1000, 500, 400, 300]
    assert "400 expected (40%)" in texts(ax) and "300 expected (60%)" in texts(ax)
    assert "700 expected of 1,500 open" in ax.get_title()
    labelled(ax)
    real = D.pipeline_forecast(retail.opportunities)
    ax2 = plots.pipeline_plot(real)
    assert widths(ax2) == pytest.approx([*real["amount"][:-1], *real["expected_value"][:-1]])


def test_acquisition_cost_plot_cost_per_newcomer(retail):
    costs = pd.DataFrame(
        {"channel": ["referral", "online ads", "walk-in"], "spend": [300.0, 900.0, 50.0], "acquired": [3, 2, 0]}
    )
    ax = plots.acquisition_cost_plot(costs)
    assert widths(ax) == [100, 450, 0]
    assert "nobody acquired (50 spent)" in texts(ax)
    labelled(ax)
    consumers = retail.customers[retail.customers["customer_type"] == "consumer"]
    spend = retail.marketing_spend[retail.marketing_spend["segment"] == "consumer"]
    real = D.acquisition_cost(spend, consumers)
    ax2 = plots.acquisition_cost_plot(real)
    assert widths(ax2) == pytest.approx(np.nan_to_num(real["cost_per_acquisition"].to_numpy()))


# ---------------------------------------------------------------------------------------------
# 11. the chapter-2 explorers' charts
# ---------------------------------------------------------------------------------------------
def test_funnel_share_and_step_plots_by_hand():
    # a: 4 leads, 3 deals, 2 won; b: 4 leads, 2 deals, 1 won
    deals = pd.DataFrame(
        {
            "stage": ["won", "won", "deal", "lead", "won", "deal", "lead", "lead"],
            "source": ["b", "a", "a", "a", "a", "b", "b", "b"],
        }
    )
    funnel = D.funnel_table(deals, stages=["lead", "deal", "won"], by="source")
    ax = plots.funnel_share_plot(funnel, "source", label="lead source")
    assert [line.get_ydata().tolist() for line in ax.get_lines()] == [[100, 75, 50], [100, 50, 25]]
    assert "by lead source" in ax.get_title() and ax.get_legend().get_title().get_text() == "lead source"
    ax2 = plots.funnel_step_plot(funnel, "source")
    # into deal: a 3/4, b 2/4 (gap 25 points); into won: a 2/3, b 1/2 (gap 17 points): deal is shaded
    assert [y for line in ax2.get_lines() for y in line.get_ydata()] == pytest.approx([75, 200 / 3, 50, 50])
    assert [line.get_xdata().tolist() for line in ax2.get_lines()] == [[1, 2], [1, 2]]
    assert ax2.patches[0].get_x() == pytest.approx(0.6)
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["deal", "won"]
    bare = plots.funnel_step_plot(funnel, "source", highlight=False, legend=False)
    assert len(bare.patches) == 0 and bare.get_legend() is None
    with pytest.raises(CRMDataError, match="'source\\+stage' has 12 rows sharing a key"):  # 6 rows twice
        plots.funnel_share_plot(pd.concat([funnel, funnel]), "source")
    with pytest.raises(CRMDataError, match="'overall'.*outside 0–1"):
        plots.funnel_share_plot(funnel.assign(overall=funnel["overall"] * 100), "source")


def test_days_since_touch_and_lost_contact_plots_by_hand(retail):
    gaps = pd.DataFrame(
        {
            "opportunity_id": ["O1", "O2", "O3", "O4", "O5", "O6"],
            "status": ["open", "open", "open", "lost", "lost", "lost"],
            "amount": [10.0, 20.0, 30.0, 5.0, 5.0, 5.0],
            "lost_reason": [None, None, None, "lost contact", "price", "lost contact"],
            "days_since_touch": [20, 3, 14, 1, 1, 1],
            "longest_gap": [20, 9, 14, 30, 16, 2],
        }
    )
    ax = plots.days_since_touch_plot(gaps, 14)
    assert widths(ax) == [3, 14, 20]  # the open deals, most recently touched first
    red = (0xD6 / 255, 0x27 / 255, 0x28 / 255)
    assert [tuple(p.get_facecolor()[:3]) == pytest.approx(red) for p in ax.patches] == [False, True, True]
    assert ax.get_title() == "Open deals: 2 overdue (red)" and ax.get_lines()[0].get_xdata()[0] == 14
    ax2 = plots.lost_contact_plot(gaps, 14)
    # lost deals: O4 (gap 30) and O5 (16) broke the rule, one of the two for lost contact; O6 kept it, lost contact
    assert heights(ax2) == [0.5, 1.0]
    assert [t.get_text() for t in ax2.texts] == ["50%\n(2 deals)", "100%\n(1 deals)"]
    assert heights(plots.lost_contact_plot(gaps, 40)) == [0.0, pytest.approx(2 / 3)]  # nobody broke a 40-day rule
    assert plots.lost_contact_plot(gaps, 40).texts[0].get_text() == "–\n(0 deals)"
    with pytest.raises(CRMDataError, match="days"):
        plots.days_since_touch_plot(gaps, 0)
    with pytest.raises(CRMDataError, match="'lost_reason' is missing.*touch_gaps"):
        plots.lost_contact_plot(gaps.drop(columns="lost_reason"), 14)
    real = D.touch_gaps(retail.opportunities, retail.activities)
    s = D.overdue_summary(real, 7)
    assert plots.days_since_touch_plot(real, 7).get_title() == f"Open deals: {s['overdue']} overdue (red)"
    assert heights(plots.lost_contact_plot(real, 7)) == pytest.approx([s["reason_share_broke"], s["reason_share_kept"]])


def test_platform_policy_plot_by_hand():
    def run(policy, a_share, values):
        return pd.DataFrame(
            {
                "policy": policy,
                "commission": 0.12,
                "period": [0, 0, 1, 1, 2, 2],
                "platform": ["A", "B"] * 3,
                "sales_share": [a_share[0], 0, a_share[1], 0, a_share[2], 0],
                "total_value": values,
            }
        )

    runs = pd.concat(
        [
            run("relationship", [0.8, 0.7, 0.75], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            run("exclusive", [0.8, 0.9, np.nan], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
        ]
    )
    ax = plots.platform_policy_plot(runs.iloc[::-1], policy="relationship")
    first, last = ax.get_lines()  # the other policy first, the chosen one on top
    assert last.get_label() == "relationship 关系营销" and last.get_linestyle() == "-"
    assert first.get_label() == "exclusive dealing 二选一" and first.get_linestyle() == "--"
    assert last.get_xdata().tolist() == [0, 0.25, 0.5] and last.get_ydata().tolist() == [0.8, 0.7, 0.75]
    assert np.isnan(first.get_ydata()[-1]) and ax.get_ylim() == (0, 1)
    assert ax.get_legend().get_title().get_text() == "commission 12%"
    value = plots.platform_policy_plot(runs, "total_value", legend=False)
    assert [line.get_ydata().tolist() for line in value.get_lines()] == [[2, 2, 2], [3, 7, 11]]  # A + B per quarter
    assert value.get_legend() is None and value.get_ylim()[0] == 0
    with pytest.raises(CRMDataError, match="measure must be one of"):
        plots.platform_policy_plot(runs, "profit")
    with pytest.raises(CRMDataError, match="'policy' has 6 values not one of"):
        plots.platform_policy_plot(runs.replace({"exclusive": "both"}))
    with pytest.raises(CRMDataError, match="'policy\\+period\\+platform' has 2 rows sharing a key"):
        plots.platform_policy_plot(pd.concat([runs, runs.iloc[:1]]))


def test_visit_gain_and_net_value_plots_by_hand():
    rates = pd.DataFrame({"touches": [3, 0, 1, 2], "win_rate": [0.42, 0.0, 0.1, 0.4]})  # unsorted
    table = D.visit_value_table(rates, deal_size=10_000, cost_per_visit=500)
    ax = plots.visit_gain_plot(table, pooled_last=True)
    assert heights(ax) == pytest.approx([1000, 3000, 200])  # (0.1 - 0) x 10,000, (0.4 - 0.1) x ..., ...
    green, grey = (1.0 * np.array([0x4C, 0x95, 0x6C]) / 255), (1.0 * np.array([0xBB] * 3) / 255)
    assert [tuple(p.get_facecolor()[:3]) for p in ax.patches] == [tuple(green), tuple(green), tuple(grey)]
    assert ax.get_lines()[0].get_ydata()[0] == 500  # the cost of a visit
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3+"]
    ax2 = plots.visit_net_value_plot(table.iloc[::-1])  # any row order
    assert ax2.get_lines()[0].get_ydata().tolist() == pytest.approx([0, 500, 3000, 2700])  # w x 10,000 - k x 500
    assert ax2.get_lines()[1].get_xydata().tolist() == [[2.0, 3000.0]]  # the peak: 2 visits
    with pytest.raises(CRMDataError, match="'cost' holds 2 different costs"):
        plots.visit_gain_plot(table.assign(cost=[np.nan, 500.0, 500.0, 600.0]))
    with pytest.raises(CRMDataError, match="'visits' has 2 rows sharing a key"):
        plots.visit_net_value_plot(table.assign(visits=[0, 1, 1, 3]))


# ---------------------------------------------------------------------------------------------
# every chart on the shipped data: Chinese renders without a warning, nothing printed
# ---------------------------------------------------------------------------------------------
def _real_charts(tea, retail, tea_rfm, source_funnel, cdnow):
    summary, counts, model = cdnow
    return {
        "pareto": lambda: plots.pareto_plot(I.pareto_table(tea.orders, **TEA)),
        "lorenz": lambda: plots.lorenz_plot(I.lorenz_curve(tea.orders, **TEA)),
        "pyramid": lambda: plots.pyramid_plot(I.customer_pyramid(tea.orders, **TEA)),
        "rfm": lambda: plots.rfm_heatmap(tea_rfm),
        "segments": lambda: plots.segment_bar_plot(tea_rfm),
        "funnel": lambda: plots.funnel_plot(D.funnel_table(retail.opportunities)),
        "funnel by source": lambda: plots.funnel_plot(source_funnel, by="source"),
        "win rate": lambda: plots.win_rate_plot(
            D.win_rate_by_touches(retail.opportunities, retail.activities, max_touches=5)
        ),
        "pipeline": lambda: plots.pipeline_plot(D.pipeline_forecast(retail.opportunities)),
        "acquisition": lambda: plots.acquisition_cost_plot(
            D.acquisition_cost(retail.marketing_spend, retail.customers)
        ),
        "cohorts": lambda: plots.cohort_heatmap(L.cohort_table(tea.orders, customer="member_id", date="order_time")),
        "servqual": lambda: plots.servqual_gap_plot(L.satisfaction_gap(tea.surveys, by="brand_id")),
        "nps": lambda: plots.nps_plot(L.nps(tea.surveys, by="brand_id")),
        "calibration": lambda: plots.calibration_holdout_plot(C.calibration_holdout_table(summary, counts, model, 39)),
    }


@needs_cjk
def test_every_chart_renders_chinese_without_warnings(tea, retail, tea_rfm, source_funnel, cdnow, capsys):
    plots.use_cjk_font()
    for name, chart in _real_charts(tea, retail, tea_rfm, source_funnel, cdnow).items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph or a layout problem would warn here
            ax = chart()
            ax.figure.canvas.draw()
        labelled(ax)
        assert ax.get_figure().get_layout_engine() is not None, name  # a new figure is laid out
        plt.close(ax.figure)
    assert capsys.readouterr() == ("", "")


def test_a_chart_draws_into_the_given_axes_of_a_grid(tiny_orders, tiny_rates):
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.pareto_plot(I.pareto_table(tiny_orders), ax=left) is left
    assert plots.win_rate_plot(tiny_rates, ax=right) is right
    assert len(fig.axes) == 2 and fig.get_layout_engine() is None  # the caller's figure is left alone


def test_plot_functions_do_not_change_their_input(tiny_cohorts, tiny_rates):
    for function, table in ((plots.cohort_heatmap, tiny_cohorts), (plots.win_rate_plot, tiny_rates)):
        before = table.copy()
        function(table)
        pd.testing.assert_frame_equal(table, before)


# ---------------------------------------------------------------------------------------------
# bad input: every chart × missing column, empty table, text in a number column
# ---------------------------------------------------------------------------------------------
TINY = {
    "pareto_plot": (
        pd.DataFrame({"cum_customer_share": [0.5, 1.0], "cum_value_share": [0.8, 1.0]}),
        {},
        ["cum_customer_share", "cum_value_share"],
        "pareto_table",
    ),
    "lorenz_plot": (
        pd.DataFrame({"customer_share": [0, 1.0], "value_share": [0, 1.0], "brand": ["a", "a"]}),
        {"by": "brand"},
        ["customer_share", "value_share", "brand"],
        "lorenz_curve",
    ),
    "pyramid_plot": (
        pd.DataFrame({"tier": ["top", "rest"], "customer_share": [0.2, 0.8], "value_share": [0.6, 0.4]}),
        {},
        ["tier", "customer_share", "value_share"],
        "customer_pyramid",
    ),
    "rfm_heatmap": (
        pd.DataFrame({"R": [1, 2], "FM": [2, 1], "monetary": [5.0, 9.0]}),
        {"value": "monetary"},
        ["R", "FM", "monetary"],
        "rfm_segments",
    ),
    "segment_bar_plot": (
        pd.DataFrame({"segment": ["x", "y"], "monetary": [5.0, 9.0]}),
        {},
        ["segment", "monetary"],
        "rfm_segments",
    ),
    "funnel_plot": (
        pd.DataFrame({"source": ["a", "a"], "stage": ["lead", "won"], "reached": [4, 1]}),
        {"by": "source"},
        ["stage", "reached", "source"],
        "funnel_table",
    ),
    "win_rate_plot": (
        pd.DataFrame(
            {"touches": [0, 1], "deals": [4, 5], "win_rate": [0.25, 0.4], "ci_low": [0.05, 0.1], "ci_high": [0.7, 0.8]}
        ),
        {},
        ["touches", "deals", "win_rate", "ci_low", "ci_high"],
        "win_rate_by_touches",
    ),
    "pipeline_plot": (
        pd.DataFrame({"stage": ["proposal", "total"], "amount": [10.0, 10.0], "expected_value": [4.0, 4.0]}),
        {},
        ["stage", "amount", "expected_value"],
        "pipeline_forecast",
    ),
    "acquisition_cost_plot": (
        pd.DataFrame({"channel": ["ads"], "spend": [10.0], "acquired": [2]}),
        {},
        ["channel", "spend", "acquired"],
        "acquisition_cost",
    ),
    "funnel_share_plot": (
        pd.DataFrame({"source": ["a", "a"], "stage": ["lead", "won"], "overall": [1.0, 0.25]}),
        {"by": "source"},
        ["stage", "overall", "source"],
        "funnel_table",
    ),
    "funnel_step_plot": (
        pd.DataFrame(
            {
                "source": ["a", "a", "b", "b"],
                "stage": ["lead", "won"] * 2,
                "conversion": [np.nan, 0.25, np.nan, 0.5],
                "overall": [1.0, 0.25, 1.0, 0.5],
            }
        ),
        {"by": "source"},
        ["stage", "conversion", "overall", "source"],
        "funnel_table",
    ),
    "visit_gain_plot": (
        pd.DataFrame({"visits": [0, 1], "gain": [np.nan, 300.0], "cost": [np.nan, 100.0], "pays": [False, True]}),
        {},
        ["visits", "pays", "gain", "cost"],
        "visit_value_table",
    ),
    "visit_net_value_plot": (
        pd.DataFrame({"visits": [0, 1], "net_value": [0.0, 200.0]}),
        {},
        ["visits", "net_value"],
        "visit_value_table",
    ),
    "days_since_touch_plot": (
        pd.DataFrame({"opportunity_id": ["O1", "O2"], "status": ["open", "open"], "days_since_touch": [3, 20]}),
        {"days": 14},
        ["opportunity_id", "status", "days_since_touch"],
        "touch_gaps",
    ),
    "lost_contact_plot": (
        pd.DataFrame(
            {
                "status": ["lost", "lost"],
                "amount": [5.0, 8.0],
                "lost_reason": ["lost contact", "price"],
                "days_since_touch": [3, 2],
                "longest_gap": [20, 4],
            }
        ),
        {"days": 14},
        ["status", "amount", "lost_reason", "days_since_touch", "longest_gap"],
        "touch_gaps",
    ),
    "platform_policy_plot": (
        pd.DataFrame(
            {
                "policy": ["exclusive"] * 2,
                "commission": [0.1, 0.1],
                "period": [0, 1],
                "platform": ["A", "A"],
                "sales_share": [0.8, 0.9],
            }
        ),
        {},
        ["policy", "commission", "period", "platform", "sales_share"],
        "simulate_platforms",
    ),
    "cohort_heatmap": (
        pd.DataFrame({"cohort": ["2024-01", "2024-01"], "period_number": [0, 1], "retention": [1.0, 0.5]}),
        {},
        ["cohort", "period_number", "retention"],
        "cohort_table",
    ),
    "servqual_gap_plot": (
        pd.DataFrame(
            {"brand": ["a", "a"], "dimension": ["x", "y"], "expectation": [5.0, 6.0], "perception": [4.0, 6.5]}
        ),
        {"by": "brand"},
        ["dimension", "expectation", "perception", "brand"],
        "satisfaction_gap",
    ),
    "nps_plot": (
        pd.DataFrame({"brand": ["a"], "promoters": [0.5], "passives": [0.3], "detractors": [0.2], "nps": [30.0]}),
        {"by": "brand"},
        ["promoters", "passives", "detractors", "nps", "brand"],
        "nps",
    ),
    "calibration_holdout_plot": (
        pd.DataFrame({"frequency": [0, 1], "customers": [5, 3], "actual": [0.2, 1.0], "predicted": [0.3, 0.9]}),
        {},
        ["frequency", "customers", "actual", "predicted"],
        "calibration_holdout_table",
    ),
    # the charts of the class explorers
    "sla_plot": (
        pd.DataFrame({"channel": ["app", "hotline", "all"], "n": [3, 1, 4], "within_sla": [1.0, 0.0, 0.75]}),
        {"sla_hours": 24},
        ["channel", "n", "within_sla"],
        "sla_shares",
    ),
    "reorder_gap_curve_plot": (
        pd.DataFrame(
            {
                "sla_hours": [1.0, 2.0, 3.0],
                "gap": [np.nan, 0.3, 0.2],
                "ci_low": [np.nan, 0.1, 0.0],
                "ci_high": [np.nan, 0.5, 0.4],
            }
        ),
        {"sla_hours": 2},
        ["sla_hours", "gap", "ci_low", "ci_high"],
        "reorder_gap_curve",
    ),
    "gains_plot": (
        pd.DataFrame({"pct": [50, 100], "share_targeted": [0.5, 1.0], "share_of_buyers": [0.8, 1.0]}),
        {"highlight": 50},
        ["pct", "share_targeted", "share_of_buyers"],
        "gains_table",
    ),
    "targeting_value_plot": (
        pd.DataFrame({"pct": [50, 100], "net": [3.0, -1.0], "random_net": [0.5, -1.0]}),
        {"pct": 50},
        ["pct", "net", "random_net"],
        "targeting_value",
    ),
    "alive_plot": (
        pd.DataFrame(
            {"frequency": [1, 1, 12, 12], "quiet": [0.0, 10.0, 0.0, 10.0], "prob_alive": [1.0, 0.9, 1.0, 0.2]}
        ),
        {},
        ["frequency", "quiet", "prob_alive"],
        "alive_curve",
    ),
}
NUMBER_COLUMNS = {
    name: [c for c in columns if pd.api.types.is_numeric_dtype(table[c])]
    for name, (table, _, columns, _) in TINY.items()
}


@pytest.mark.parametrize("name", list(TINY))
def test_tiny_valid_input_draws(name):
    table, options, _, _ = TINY[name]
    ax = getattr(plots, name)(table, **options)
    assert ax.get_title() and (ax.patches or ax.lines or ax.images)


@pytest.mark.parametrize("name,column", [(n, c) for n, (_, _, cols, _) in TINY.items() for c in cols])
def test_missing_column_names_the_column_and_the_function_that_makes_it(name, column):
    table, options, _, producer = TINY[name]
    with pytest.raises(CRMDataError, match=f"'{column}' is missing.*{producer}"):
        getattr(plots, name)(table.drop(columns=column), **options)


@pytest.mark.parametrize("name", list(TINY))
def test_empty_table_is_refused(name):
    table, options, _, _ = TINY[name]
    with pytest.raises(CRMDataError, match="no rows"):
        getattr(plots, name)(table.iloc[:0], **options)


@pytest.mark.parametrize("name,column", [(n, c) for n, cols in NUMBER_COLUMNS.items() for c in cols])
def test_text_in_a_number_column_names_the_column(name, column):
    table, options, _, _ = TINY[name]
    bad = table.astype({column: object})
    bad.loc[bad.index[-1], column] = "abc"
    with pytest.raises(CRMDataError, match=f"'{column}'"):
        getattr(plots, name)(bad, **options)


@pytest.mark.parametrize(
    "name,column",
    [
        ("pareto_plot", "cum_value_share"),
        ("pyramid_plot", "value_share"),
        ("win_rate_plot", "win_rate"),
        ("nps_plot", "promoters"),
        ("cohort_heatmap", "retention"),
    ],
)
def test_a_percentage_instead_of_a_share_is_refused(name, column):
    table, options, _, _ = TINY[name]
    with pytest.raises(CRMDataError, match=f"'{column}'.*(outside 0–1|not between)"):
        getattr(plots, name)(table.assign(**{column: table[column] * 100}), **options)


def test_other_bad_inputs_say_what_is_wrong():
    rates = TINY["win_rate_plot"][0]
    with pytest.raises(CRMDataError, match="'ci_low'.*not between ci_low and ci_high"):
        plots.win_rate_plot(rates.assign(ci_low=[0.3, 0.5]))
    with pytest.raises(CRMDataError, match="'touches'.*sharing a key"):
        plots.win_rate_plot(rates.assign(touches=[1, 1]))
    with pytest.raises(CRMDataError, match="ax must be a matplotlib Axes"):
        plots.pareto_plot(TINY["pareto_plot"][0], ax="left")
    with pytest.raises(CRMDataError, match="highlight"):
        plots.pareto_plot(TINY["pareto_plot"][0], highlight=1.5)
    with pytest.raises(CRMDataError, match="pareto: expected a pandas DataFrame.*pareto_table"):
        plots.pareto_plot([0.2, 0.8])
    with pytest.raises(CRMDataError, match="empty dict"):
        plots.lorenz_plot({})
    with pytest.raises(CRMDataError, match="'R'.*outside 1–9"):
        plots.rfm_heatmap(pd.DataFrame({"R": [0, 2], "FM": [1, 1]}))
    with pytest.raises(CRMDataError, match="x must be one of"):
        plots.rfm_heatmap(TINY["rfm_heatmap"][0], x="RF")
    with pytest.raises(CRMDataError, match="'FM' is missing.*rfm_segments"):
        plots.rfm_heatmap(pd.DataFrame({"R": [1], "F": [1], "M": [1]}))
    with pytest.raises(CRMDataError, match="'monetary' adds up to 0"):
        plots.segment_bar_plot(pd.DataFrame({"segment": ["x"], "monetary": [0.0]}))
    with pytest.raises(CRMDataError, match="'monetary' has 1 negative"):
        plots.segment_bar_plot(pd.DataFrame({"segment": ["x", "y"], "monetary": [3.0, -1.0]}))
    with pytest.raises(CRMDataError, match="'source\\+stage' has 2 rows sharing a key"):
        plots.funnel_plot(pd.DataFrame({"source": ["a", "a"], "stage": ["s", "s"], "reached": [1, 1]}), by="source")
    with pytest.raises(CRMDataError, match="value must be one of"):
        plots.funnel_plot(TINY["funnel_plot"][0], value="share")
    with pytest.raises(CRMDataError, match="'tier' has 2 rows sharing a key"):
        plots.pyramid_plot(TINY["pyramid_plot"][0].assign(tier="top"))
    with pytest.raises(CRMDataError, match="'expected_value' has 1 value above the amount"):
        plots.pipeline_plot(TINY["pipeline_plot"][0].assign(expected_value=[40.0, 4.0]))
    with pytest.raises(CRMDataError, match="'reached' has 1 value beyond"):
        plots.funnel_plot(TINY["funnel_plot"][0].assign(reached=[4e15, 1]), by="source")
    with pytest.raises(CRMDataError, match="nothing to draw"):
        plots.pyramid_plot(TINY["pyramid_plot"][0].assign(customer_share=0.0, value_share=0.0))
    with pytest.raises(CRMDataError, match="besides 'total'"):
        plots.pipeline_plot(TINY["pipeline_plot"][0].iloc[1:])
    with pytest.raises(CRMDataError, match="'promoters'.*do not add up to 1"):
        plots.nps_plot(TINY["nps_plot"][0].assign(promoters=0.9), by="brand")
    with pytest.raises(CRMDataError, match="'period_number' is missing.*cohort_table"):
        plots.cohort_heatmap(TINY["cohort_heatmap"][0].drop(columns="period_number"))
    with pytest.raises(CRMDataError, match="'retention' is missing and the columns are not period numbers"):
        plots.cohort_heatmap(pd.DataFrame({"a": [1.0]}))
    with pytest.raises(CRMDataError, match="'period_number' has 2 repeated cells"):
        plots.cohort_heatmap(pd.concat([TINY["cohort_heatmap"][0]] * 2))
    with pytest.raises(CRMDataError, match="annotate"):
        plots.cohort_heatmap(TINY["cohort_heatmap"][0], annotate="yes")
    with pytest.raises(CRMDataError, match="'dimension' has 2 rows sharing a key"):
        plots.servqual_gap_plot(
            pd.DataFrame({"dimension": ["x", "x"], "expectation": [5.0, 6.0], "perception": [4.0, 6.0]})
        )


# ---------------------------------------------------------------------------------------------
# property tests: messy tables only ever give a chart or a CRMDataError
# ---------------------------------------------------------------------------------------------
_share = st.floats(0, 1)
_count = st.integers(0, 30)
_score = st.integers(1, 5)
_messy = {
    "pareto_plot": (messy_frames({"cum_customer_share": _share, "cum_value_share": _share}), {}),
    "lorenz_plot": (messy_frames({"customer_share": _share, "value_share": _share, "brand": _ids}), {"by": "brand"}),
    "pyramid_plot": (
        messy_frames(
            {"tier": st.sampled_from(list("abcdefghijklmn")), "customer_share": _share, "value_share": _share},
            unique=("tier",),
        ),
        {},
    ),
    "rfm_heatmap": (
        messy_frames(
            {
                "R": st.integers(0, 6),
                "FM": _score,
                "monetary": _money,
                "segment": st.sampled_from(["Champions", "Lost", "$pecial"]),
            }
        ),
        {"value": "monetary"},
    ),
    "segment_bar_plot": (messy_frames({"segment": _ids, "monetary": _money}), {}),
    "funnel_plot": (
        messy_frames({"stage": st.sampled_from(["lead", "deal", "won"]), "reached": _count, "source": _ids}),
        {"by": "source"},
    ),
    "win_rate_plot": (
        messy_frames(
            {
                "touches": st.integers(0, 20),
                "deals": _count,
                "win_rate": _share,
                "ci_low": st.floats(0, 0.3),
                "ci_high": st.floats(0.7, 1),
            },
            unique=("touches",),
        ),
        {},
    ),
    "pipeline_plot": (
        messy_frames(
            {"stage": st.sampled_from(["proposal", "won", "total"]), "amount": _money, "expected_value": _money}
        ),
        {},
    ),
    "acquisition_cost_plot": (messy_frames({"channel": _ids, "spend": _money, "acquired": _count}), {}),
    "funnel_share_plot": (
        messy_frames({"stage": st.sampled_from(["lead", "deal", "won"]), "overall": _share, "source": _ids}),
        {"by": "source"},
    ),
    "funnel_step_plot": (
        messy_frames(
            {
                "stage": st.sampled_from(["lead", "deal", "won"]),
                "conversion": st.one_of(st.none(), _share),
                "overall": _share,
                "source": _ids,
            }
        ),
        {"by": "source"},
    ),
    "visit_gain_plot": (
        messy_frames(
            {
                "visits": st.integers(0, 20),
                "gain": st.one_of(st.none(), st.floats(-1e5, 1e5)),
                "cost": st.sampled_from([None, 500.0]),
                "pays": st.booleans(),
            },
            unique=("visits",),
        ),
        {},
    ),
    "visit_net_value_plot": (
        messy_frames({"visits": st.integers(0, 20), "net_value": st.floats(-1e5, 1e5)}, unique=("visits",)),
        {},
    ),
    "days_since_touch_plot": (
        messy_frames(
            {
                "opportunity_id": st.integers(0, 30).map(lambda i: f"O{i}"),
                "status": st.sampled_from(["open", "won", "lost"]),
                "days_since_touch": _count,
            },
            unique=("opportunity_id",),
        ),
        {"days": 7},
    ),
    "lost_contact_plot": (
        messy_frames(
            {
                "status": st.sampled_from(["open", "won", "lost"]),
                "amount": _money,
                "lost_reason": st.sampled_from(["lost contact", "price", None]),
                "days_since_touch": _count,
                "longest_gap": _count,
            }
        ),
        {"days": 7},
    ),
    "platform_policy_plot": (
        messy_frames(
            {
                "policy": st.sampled_from(["exclusive", "relationship"]),
                "commission": st.just(0.1),
                "period": st.integers(0, 8),
                "platform": st.sampled_from(["A", "B"]),
                "total_value": st.one_of(st.none(), _money),
            }
        ),
        {"measure": "total_value"},
    ),
    "cohort_heatmap": (
        messy_frames(
            {"cohort": st.sampled_from(["2024-01", "2024-02"]), "period_number": st.integers(0, 3), "retention": _share}
        ),
        {},
    ),
    "servqual_gap_plot": (
        messy_frames(
            {
                "dimension": st.sampled_from(["x", "y", "z"]),
                "expectation": st.floats(1, 7),
                "perception": st.floats(1, 7),
                "brand": _ids,
            }
        ),
        {"by": "brand"},
    ),
    "nps_plot": (
        messy_frames(
            {
                "promoters": st.sampled_from([0.5, 0.2]),
                "passives": st.sampled_from([0.3, 0.6]),
                "detractors": st.just(0.2),
                "nps": st.floats(-100, 100),
                "brand": _ids,
            }
        ),
        {"by": "brand"},
    ),
    "calibration_holdout_plot": (
        messy_frames(
            {
                "frequency": st.integers(0, 20),
                "customers": _count,
                "actual": st.floats(0, 9),
                "predicted": st.floats(0, 9),
            },
            unique=("frequency",),
        ),
        {},
    ),
}
_messy.update(
    {  # the table-drawing charts of the chapter 1 explorers
        "rfm_types_plot": (
            messy_frames({"rfm_type": _ids, "中文": _ids, "customer_share": _share, "revenue_share": _share}),
            {},
        ),
        "balance_curve_plot": (messy_frames({"future_weight": _share, "margin_share": _share}), {}),
        "value_index_plot": (
            messy_frames(
                {"current_index": _share, "future_index": _share, "tier": st.sampled_from(["strategic", "general"])}
            ),
            {"future_weight": 0.5},
        ),
    }
)


@pytest.mark.parametrize("name", list(_messy))
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_messy_tables_give_a_chart_or_a_crmdataerror(name, data):
    strategy, options = _messy[name]
    frame = data.draw(strategy)
    fig, ax = plt.subplots(figsize=(3, 2), dpi=30)
    try:
        result = only_crmdataerror(getattr(plots, name), frame, ax=ax, **options)
        if result is not None:
            assert result is ax
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # Chinese glyphs without a CJK font, tiny figure
                fig.canvas.draw()
    finally:
        plt.close(fig)


_summaries = messy_frames({"frequency": st.integers(0, 4), "recency": st.floats(0, 10), "T": st.floats(10, 40)})


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    _summaries,
    st.lists(st.one_of(st.integers(0, 5), st.just(-1), st.just("x"), st.none()), max_size=6),
    st.sampled_from([39, 0, "x"]),
    st.sampled_from([6, 1, 0, 2.5]),
)
def test_calibration_holdout_table_only_fails_with_crmdataerror(summary, counts, length, pooled):
    model = C.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    holdout = pd.Series(counts, index=range(len(counts)), dtype=object)
    result = only_crmdataerror(C.calibration_holdout_table, summary, holdout, model, length, max_frequency=pooled)
    if result is not None:
        assert result["customers"].sum() == len(summary)


# ---------------------------------------------------------------------------------------------
# the charts of the class explorers (service levels, answers to complaints, the customer file,
# targeting by score, P(alive)); their tiny tables are in TINY above
# ---------------------------------------------------------------------------------------------
def test_sla_plot_draws_each_group_and_the_overall_line():
    table, _, _, _ = TINY["sla_plot"]
    ax = plots.sla_plot(table, 24, names={"app": "app 应用"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["hotline", "app 应用"]  # first row on top
    assert [float(p.get_width()) for p in ax.patches] == [0.0, 100.0]
    assert float(ax.get_lines()[0].get_xdata()[0]) == 75.0  # the overall share, dashed
    with pytest.raises(CRMDataError, match="'channel' has no row 'all'"):
        plots.sla_plot(table.iloc[:2], 24)
    with pytest.raises(CRMDataError, match="'within_sla'.*outside 0–1"):
        plots.sla_plot(table.assign(within_sla=table["within_sla"] * 100), 24)
    plt.close("all")


def test_reorder_share_plot_draws_the_two_groups():
    comparison = {
        "sla_hours": 24.0,
        "n_fast": 0,
        "n_slow": 2,
        "fast_share": np.nan,
        "slow_share": 0.5,
        "gap": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
    }
    ax = plots.reorder_share_plot(comparison, window_days=60)
    assert [float(p.get_height()) for p in ax.patches] == [0.0, 50.0]  # an empty group draws as 0
    assert ax.get_ylabel() == "ordered again within 60 days (%)"
    assert [t.get_text() for t in ax.texts] == ["0% of 0", "50% of 2"]
    with pytest.raises(CRMDataError, match="'slow_share' is missing.*reorder_gap"):
        plots.reorder_share_plot({k: v for k, v in comparison.items() if k != "slow_share"})
    with pytest.raises(CRMDataError, match="expected a dict"):
        plots.reorder_share_plot(pd.DataFrame([comparison]))
    with pytest.raises(CRMDataError, match="'slow_share'.*outside 0–1"):
        plots.reorder_share_plot({**comparison, "slow_share": 50.0})
    plt.close("all")


def test_gains_plot_marks_the_chosen_depth():
    table, _, _, _ = TINY["gains_plot"]
    ax = plots.gains_plot(table.set_index("pct"), highlight=50, label="recency")  # as gains_table returns it
    assert ax.get_lines()[0].get_ydata().tolist() == [0.0, 80.0, 100.0] and ax.texts[0].get_text() == "80% of buyers"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["recency", "random pick"]
    with pytest.raises(CRMDataError, match="highlight"):
        plots.gains_plot(table, highlight=30)
    with pytest.raises(CRMDataError, match="'share_of_buyers'.*outside 0–1"):
        plots.gains_plot(table.assign(share_of_buyers=[80.0, 100.0]))
    plt.close("all")


def test_customer_orders_plot_fills_empty_months_and_marks_complaints():
    months = pd.DataFrame({"month": ["2024-01", "2024-03"], "amount": [2000.0, 500.0]})
    tickets = pd.DataFrame({"received_at": ["2024-03-05 10:00", "2024-04-30 23:00"]})
    ax = plots.customer_orders_plot(months, tickets, last_month="2024-05", customer="C1 Acme")
    assert [float(p.get_height()) for p in ax.patches] == [2000.0, 0.0, 500.0, 0.0, 0.0]
    assert ax.get_lines()[0].get_xdata().tolist() == [2, 3]  # March and April had a complaint
    assert ax.get_title() == "C1 Acme: orders per month 每月订单"
    nothing = plots.customer_orders_plot(months.iloc[:0], first_month="2024-01", last_month="2024-12")
    assert len(nothing.patches) == 12 and not nothing.get_lines()  # a customer without orders or tickets
    with pytest.raises(CRMDataError, match="'amount' is missing.*customer_file"):
        plots.customer_orders_plot(months.drop(columns="amount"))
    with pytest.raises(CRMDataError, match="no period to draw"):
        plots.customer_orders_plot(months.iloc[:0])
    with pytest.raises(CRMDataError, match="'amount' has 1 negative"):
        plots.customer_orders_plot(months.assign(amount=[2000.0, -1.0]))
    with pytest.raises(CRMDataError, match="after last_month"):
        plots.customer_orders_plot(months, first_month="2024-05", last_month="2024-01")
    with pytest.raises(CRMDataError, match="'received_at'"):
        plots.customer_orders_plot(months, tickets.rename(columns={"received_at": "date"}))
    plt.close("all")


def test_alive_plot_draws_the_chosen_frequency_bold_and_the_customer():
    curves, _, _, _ = TINY["alive_plot"]
    outlook = {"frequency": 12, "recency": 4.0, "T": 10.0, "prob_alive": 0.5, "expected_purchases": 1.0}
    ax = plots.alive_plot(curves, outlook, unit="days")
    reference, chosen, dot = ax.get_lines()
    assert (
        reference.get_label() == "1 repeat purchase (for comparison)"
        and reference.get_linewidth() < chosen.get_linewidth()
    )
    assert chosen.get_ydata().tolist() == [100.0, 20.0]
    assert (float(dot.get_xdata()[0]), float(dot.get_ydata()[0])) == (6.0, 50.0)  # quiet = T - recency
    assert ax.get_xlim() == (0.0, 10.0) and ax.get_xlabel().startswith("days since the last purchase")
    with pytest.raises(CRMDataError, match="'prob_alive'.*outside 0–1"):
        plots.alive_plot(curves.assign(prob_alive=curves["prob_alive"] * 100))
    with pytest.raises(CRMDataError, match="outlook: key 'recency'"):
        plots.alive_plot(curves, {"frequency": 12, "T": 10.0, "prob_alive": 0.5})
    plt.close("all")


# charts of the chapter 1 explorers: Pareto curves by group, member profiles, value-score balance,
# RFM thresholds (the eight customer types), budget allocation
# ---------------------------------------------------------------------------------------------
_TINY_ORDERS = pd.DataFrame({"customer_id": list("abcde"), "amount": [6.0, 2.0, 1.0, 3.0, 1.0], "shop": list("yyyxx")})
_RFM_TINY = pd.DataFrame(
    {"recency": [10, 10, 300, 300], "frequency": [5, 1, 5, 1], "monetary": [500.0, 20.0, 400.0, 80.0]}
)
_SEGMENTS_TINY = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 90], "expected_spend": [500.0, 50.0]})


def test_pareto_curves_plot_draws_each_group_from_zero_in_percent():
    curves = I.pareto_curves(_TINY_ORDERS, by="shop")
    ax = plots.pareto_curves_plot(curves, top_pct=40, noun="members")
    assert ax.lines[0].get_ydata().tolist() == pytest.approx([0, 75, 100])
    assert ax.lines[1].get_ydata().tolist() == pytest.approx([0, 600 / 9, 800 / 9, 100])
    assert ax.lines[1].get_xdata().tolist() == pytest.approx([0, 100 / 3, 200 / 3, 100])
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["x: 75%", "y: 89%"]
    assert ax.get_title() == "Value from the top 40% of members"
    with pytest.raises(CRMDataError, match="cum_customer_share.*pareto_curves"):
        plots.pareto_curves_plot({"x": pd.DataFrame({"cum_value_share": [1.0]})})
    with pytest.raises(CRMDataError, match="top_pct"):
        plots.pareto_curves_plot(curves, top_pct=0)


def test_profile_plot_checks_its_shares_and_the_member_ticks():
    profiles = pd.DataFrame({"brand_id": ["A", "A", "B"], "age": ["old", "young", "young"], "spend": [3.0, 1.0, 2.0]})
    shares = I.profile_shares(profiles, "age", "revenue")
    ax = plots.profile_plot(shares, "revenue", members=I.profile_shares(profiles, "age"))
    assert [float(p.get_height()) for p in ax.patches] == [0.75, 0.25, 0.0, 1.0]
    assert ax.collections[0].get_segments()[0][:, 1].tolist() == [0.5, 0.5]  # A's share of members aged old
    with pytest.raises(CRMDataError, match="outside 0–1"):
        plots.profile_plot(shares * 100)
    with pytest.raises(CRMDataError, match="members: its groups or brands differ"):
        plots.profile_plot(shares, "revenue", members=shares.iloc[:1])
    with pytest.raises(CRMDataError, match="measure"):
        plots.profile_plot(shares, "visits")


def test_value_index_plot_and_balance_curve_plot_refuse_bad_tables():
    indices = pd.DataFrame({"current_index": [1.0, 0.2], "future_index": [0.5, 0.9]})
    ax = plots.value_index_plot(indices.assign(tier=["strategic", "general"], moved=[True, False]), 0.0, 1.0)
    assert len(ax.collections) == 3 and list(ax.lines[0].get_xdata()) == [1.0, 1.0]  # f = 0: a vertical cut-off
    with pytest.raises(CRMDataError, match="tier.*balance_split"):
        plots.value_index_plot(indices, 0.5)
    with pytest.raises(CRMDataError, match="future_weight"):
        plots.value_index_plot(indices.assign(tier="general"), 1.5)
    with pytest.raises(CRMDataError, match="margin_share.*outside 0–1"):
        plots.balance_curve_plot(pd.DataFrame({"future_weight": [0.0, 1.0], "margin_share": [0.5, 50.0]}))
    bare = plots.balance_curve_plot(pd.DataFrame({"future_weight": [0.0, 1.0], "margin_share": [0.7, 0.5]}))
    assert bare.get_legend() is None  # nothing marked, nothing to explain


def test_rfm_types_plot_and_budget_allocation_plot_refuse_bad_tables():
    with pytest.raises(CRMDataError, match="revenue_share.*threshold_summary"):
        plots.rfm_types_plot(I.threshold_summary(_RFM_TINY, 90, 3, 100).drop(columns="revenue_share"))
    plans = {m: I.allocate_budget(_SEGMENTS_TINY, 1000, 0.1, 20, m) for m in I.ALLOCATION_METHODS}
    ax = plots.budget_allocation_plot(plans)
    assert len(ax.patches) == 6 and ax.get_title() == "Budget given 预算"
    with pytest.raises(CRMDataError, match="plans key"):
        plots.budget_allocation_plot({"random": plans["equal"]})
    with pytest.raises(CRMDataError, match="same segments"):
        plots.budget_allocation_plot({"equal": plans["equal"], "return": plans["return"].iloc[::-1]})
    with pytest.raises(CRMDataError, match="value"):
        plots.budget_allocation_plot(plans, value="reached")


def test_status_transition_plot_draws_the_shares_with_percent_labels():
    from crmlib.loyalty import status_transitions

    data = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b"],
            "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01", "2025-02-01"]),
            "status": ["active", "at risk", "active", "active", "ported out"],
        }
    )
    table = status_transitions(data, states=["active", "at risk", "ported out"])
    ax = plots.status_transition_plot(table)
    assert ax.images[0].get_array().tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]
    assert [t.get_text() for t in ax.texts] == ["0%", "50%", "50%", "100%", "0%", "0%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["active", "at risk"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["active", "at risk", "ported out"]
    plt.close(ax.figure)
    with pytest.raises(CRMDataError, match="shares outside"):
        plots.status_transition_plot(table * 2)  # counts, not shares


def test_lead_up_plot_draws_the_months_before_and_the_reference():
    lead = pd.DataFrame(
        {"mean": [0.2, 0.4, 0.7, 0.6], "subscribers": 5, "others": 0.1},
        index=pd.Index([3, 2, 1, 0], name="months_before"),
    )
    ax = plots.lead_up_plot(lead, "complaints per month")
    assert ax.lines[0].get_xdata().tolist() == [-3, -2, -1, 0]
    assert ax.lines[0].get_ydata().tolist() == [0.2, 0.4, 0.7, 0.6]
    assert ax.lines[1].get_ydata().tolist() == [0.1] * 4
    assert ax.get_ylabel() == "complaints per month"
    plt.close(ax.figure)
    with pytest.raises(CRMDataError, match="months_before"):
        plots.lead_up_plot(lead.reset_index(drop=True), "complaints")
