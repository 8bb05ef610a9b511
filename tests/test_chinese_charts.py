"""Charts after ``crmlib.set_language("zh")``: Chinese titles, axis labels and legends, the Chinese
font set up by the chart itself; the English charts keep their exact text."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmlib  # noqa: E402
from crmlib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def english_and_fonts_afterwards():
    with matplotlib.rc_context():
        yield
    crmlib.set_language("en")
    plt.close("all")


def texts(ax) -> dict:
    legend = ax.get_legend()
    return {
        "title": ax.get_title(),
        "x": ax.get_xlabel(),
        "y": ax.get_ylabel(),
        "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
        "notes": [t.get_text() for t in ax.texts],
        "ticks": [t.get_text() for t in ax.get_xticklabels()],
    }


PARETO = pd.DataFrame({"cum_customer_share": [0.25, 0.5, 0.75, 1.0], "cum_value_share": [0.6, 0.8, 0.95, 1.0]})


def test_pareto_plot_in_chinese_and_english():
    english = texts(plots.pareto_plot(PARETO, highlight=0.25))
    assert english["title"] == "Pareto curve: who brings the value in? 帕累托曲线"
    assert english["legend"] == ["Customers, most valuable first 客户（价值从高到低）", "Line of equality 绝对平均线"]
    assert english["notes"] == ["Top 25% of customers\nbring 60% of the value"]
    crmlib.set_language("zh")
    chinese = texts(plots.pareto_plot(PARETO, highlight=0.25))
    assert chinese["title"] == "帕累托曲线：价值来自哪些客户？"
    assert (chinese["x"], chinese["y"]) == ("累计客户占比", "累计价值占比")
    assert chinese["legend"] == ["客户（按价值从高到低）", "绝对平均线"]
    assert chinese["notes"] == ["前 25% 的客户\n带来 60% 的价值"]


def test_funnel_win_rate_and_pipeline_in_chinese_keep_every_number():
    crmlib.set_language("zh")
    funnel = pd.DataFrame({"stage": ["lead", "proposal", "won"], "reached": [10, 4, 1]})
    shown = texts(plots.funnel_plot(funnel))
    assert (shown["title"], shown["x"], shown["y"]) == ("销售漏斗", "到达该阶段的数量", "阶段")
    assert shown["notes"] == ["10", "4", "上一阶段的 40%", "1", "上一阶段的 25%", "阶段间\n转化率"]
    rates = pd.DataFrame(
        {"touches": [1, 2], "deals": [20, 10], "win_rate": [0.1, 0.3], "ci_low": [0.03, 0.1], "ci_high": [0.3, 0.6]}
    )
    shown = texts(plots.win_rate_plot(rates, touch="visit"))
    assert (shown["title"], shown["x"]) == ("赢单率与拜访次数", "成交（或丢单）前的拜访次数")
    assert shown["ticks"] == ["1\n20 单", "2\n10 单"]
    assert shown["legend"] == ["赢单率", "Wilson 置信区间"]
    forecast = pd.DataFrame(
        {"stage": ["proposal", "total"], "amount": [1500.0, 1500.0], "expected_value": [600.0, 600.0]}
    )
    shown = texts(plots.pipeline_plot(forecast))
    assert shown["title"] == "销售管道预测：在途 1,500，预期 600"
    assert shown["notes"] == ["预期 600（40%）"]


def test_rfm_types_in_chinese_name_each_type_once():
    summary = pd.DataFrame(
        {
            "rfm_type": ["important value customer", "general retention customer"],
            "中文": ["重要价值客户", "一般挽留客户"],
            "customer_share": [0.25, 0.75],
            "revenue_share": [0.8, 0.2],
        }
    )
    ax = plots.rfm_types_plot(summary)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "important value customer 重要价值客户"
    assert ax.get_title() == "Eight RFM types 八类客户"
    crmlib.set_language("zh")
    ax = plots.rfm_types_plot(summary)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["重要价值客户", "一般挽留客户"]
    assert (ax.get_title(), ax.get_ylabel()) == ("八类 RFM 客户", "客户类型")
    assert texts(ax)["legend"] == ["客户数", "消费金额"]


def test_a_label_that_added_chinese_only_where_a_font_exists_is_chinese_alone_in_chinese(monkeypatch):
    monkeypatch.setattr(plots, "installed_cjk_fonts", lambda: ["Noto Sans CJK SC"])
    monkeypatch.setattr(plots, "use_cjk_font", lambda: ["Noto Sans CJK SC"])
    ax = plots.rebuy_gap_plot(pd.Series([3, 10, 40]), days=14, max_days=60)
    assert ax.get_title() == "Same product bought again: days since the last time 重复购买间隔"
    crmlib.set_language("zh")
    ax = plots.rebuy_gap_plot(pd.Series([3, 10, 40]), days=14, max_days=60)
    assert ax.get_title() == "重复购买同一商品：距上次购买的天数"
    assert texts(ax)["legend"] == ["标记：14 天以内", "未标记"]


def test_a_chart_in_chinese_sets_up_the_chinese_font_and_an_english_one_does_not(monkeypatch):
    calls = []
    monkeypatch.setattr(plots, "use_cjk_font", lambda: calls.append(1) or [])
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    plots.pareto_plot(PARETO)
    assert calls == []
    crmlib.set_language("zh")
    plots.pareto_plot(PARETO)
    assert calls == [1]
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK SC"]  # set up already: not again
    plots.pareto_plot(PARETO)
    assert calls == [1]


def test_later_chapters_charts_in_chinese_too():
    counts = pd.DataFrame({"new": [5], "active": [20], "cooling": [10], "lapsed": [5], "lost": [10]}, index=["all"])
    ax = plots.lifecycle_plot(counts)
    assert ax.get_title() == "Customers by life-cycle stage 客户生命周期阶段"
    assert texts(ax)["legend"][0] == "new 新客户"
    crmlib.set_language("zh")
    ax = plots.lifecycle_plot(counts)
    assert ax.get_title() == "客户生命周期阶段"
    assert texts(ax)["legend"] == ["新客户", "活跃客户", "降温客户", "沉睡客户", "流失客户"]
    nps = pd.DataFrame(
        {"detractors": [0.2, 0.5], "passives": [0.4, 0.2], "promoters": [0.4, 0.3], "nps": [20.0, -20.0]},
        index=pd.Index(["A", "B"], name="brand"),
    )
    ax = plots.nps_plot(nps)
    assert (ax.get_title(), ax.get_ylabel()) == ("净推荐值（NPS = 推荐者占比 − 贬损者占比）", "按 brand 分组")
    assert texts(ax)["legend"] == ["贬损者（0–6）", "中立者（7–8）", "推荐者（9–10）"]


def test_service_level_bars_in_chinese_keep_each_share_and_count():
    shares = pd.DataFrame({"channel": ["app", "hotline", "all"], "n": [3, 1, 4], "within_sla": [1.0, 0.0, 0.75]})
    english = plots.sla_plot(shares, sla_hours=24)
    assert texts(english)["notes"] == ["0% of 1", "100% of 3"]
    assert english.get_legend_handles_labels()[1] == ["all channels: 75%"]
    crmlib.set_language("zh")
    chinese = plots.sla_plot(shares, sla_hours=24)
    assert texts(chinese)["notes"] == ["0%（共 1）", "100%（共 3）"]
    assert chinese.get_legend_handles_labels()[1] == ["全部（channel）：75%"]
