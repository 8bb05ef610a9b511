"""The class explorers of chapters 0–2 after ``crmlib.set_language("zh")``: control labels, option
labels (their values unchanged) and summary lines in Chinese, with the numbers of the English."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import crmlib  # noqa: E402
from crmlib import clv, communicate, develop, identify, information  # noqa: E402
from crmlib.datasets import load_retail, load_tea  # noqa: E402
from crmlib.widgets import (  # noqa: E402
    ab_test,
    budget,
    channels,
    complaints,
    customer_centred,
    customer_file,
    data_quality,
    funnel,
    lifecycle,
    pareto,
    pipeline,
    platform,
    profiles,
    retention,
    rfm,
    satisfaction,
    targeting,
    visits,
)
from crmlib.widgets import clv as widgets_clv  # noqa: E402


@pytest.fixture(autouse=True)
def english_afterwards():
    with matplotlib.rc_context():
        yield
    crmlib.set_language("en")


# Four customers: 60 + 20 + 15 + 5 = 100, so the top 25 % (one customer) brings 60 %.
ORDERS = pd.DataFrame({"customer_id": [1, 1, 2, 3, 4], "amount": [40.0, 20.0, 20.0, 15.0, 5.0]})


def test_pareto_explorer_in_both_languages():
    box = pareto.pareto_explorer(ORDERS, top_pct=25)
    assert box.controls["top_pct"].description == "top X %"
    assert box.summary.value == "Share of the value brought by the top 25% of customers: all customers 60%."
    crmlib.set_language("zh")
    box = pareto.pareto_explorer(ORDERS, top_pct=25, noun="members")
    assert box.controls["top_pct"].description == "前 X %"
    assert box.summary.value == "前 25% 的会员带来的价值占比：全部会员 60%。"
    box.controls["top_pct"].value = 50  # 60 + 20 of 100
    assert box.summary.value == "前 50% 的会员带来的价值占比：全部会员 80%。"


def test_rebuy_window_summary_in_chinese():
    repeats = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c"],
            "gap_days": [3, 10, 14, 200],
            "order_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-05-01", "2024-01-15"]),
        }
    )
    crmlib.set_language("zh")
    box = customer_centred.rebuy_window_explorer(repeats, days=14, max_days=210, weeks=2)
    assert box.controls["days"].description == "时间窗 N"
    assert box.summary.value == "时间窗 14 天：2 位客户的 3 次重复购买，每周约 1.5 次需要跟进（占全部重复购买的 75%）。"


def test_profile_explorer_keeps_option_values_and_translates_their_labels():
    members = pd.DataFrame(
        {"brand_id": ["A", "A", "A", "B"], "age": ["young", "young", "old", "old"], "spend": [10.0, 10.0, 80.0, 5.0]}
    )
    crmlib.set_language("zh")
    box = profiles.profile_explorer(members, ["age"])
    assert box.controls["dimension"].description == "属性"
    assert box.controls["measure"].options == (("会员占比", "members"), ("收入占比", "revenue"))
    assert box.controls["measure"].value == "members"
    # brand A: old is 1 of 3 members (33 %) but 80 of 100 revenue (80 %); young the mirror image,
    # and of the two equal gaps largest_gap names the first group, old
    assert box.summary.value.endswith("<br>会员占比与收入占比<b>差距最大</b>的：A，old：会员占 33%，收入占 80%。")
    assert box.summary.value.startswith("<b>最大的群体</b>（按会员数）——A: young (67%) · B: old (100%)")


def test_funnel_explorer_summary_in_chinese():
    deals = pd.DataFrame(
        {"stage": ["lead", "won", "won", "lead", "lead", "won"], "source": ["a", "a", "a", "b", "b", "b"]}
    )
    crmlib.set_language("zh")
    box = funnel.funnel_explorer(deals, ["lead", "won"], {"来源": "source"})
    assert box.controls["grouping"].description == "分组依据"
    assert box.summary.value == (
        "<b>按来源分组：a 最好（67% 的线索到达 won），b 最差（33%）。"
        "各组差距最大的一步是进入 won：从 33%（b）到 67%（a）。</b>"
    )


def test_followup_explorer_in_chinese():
    opps = pd.DataFrame(
        {
            "opportunity_id": ["O1", "O2"],
            "created_date": ["2025-11-01", "2025-12-01"],
            "close_date": [None, "2025-12-20"],
            "status": ["open", "lost"],
            "amount": [500.0, 100.0],
            "lost_reason": [None, "lost contact"],
        }
    )
    acts = pd.DataFrame({"opportunity_id": ["O1", "O2"], "activity_date": ["2025-12-01", "2025-12-02"]})
    crmlib.set_language("zh")
    box = pipeline.followup_explorer(opps, acts, days=14)
    assert box.controls["days"].description == "N 天"
    assert box.summary.value.startswith("<b>规则：每个商机至少每 14 天跟进一次。</b><br>")
    assert "现在超期的在谈商机：<b>1 个中有 1 个</b>，金额 <b>500 元</b>（占在途金额的 100%）" in box.summary.value
    assert box.table.value.startswith("<b>金额最大的超期在谈商机</b>")


def test_visit_explorer_and_its_summary_in_chinese():
    rates = pd.DataFrame({"touches": [0, 1, 2, 3], "win_rate": [0.0, 0.1, 0.4, 0.42]})
    crmlib.set_language("zh")
    assert develop.visit_summary(develop.visit_value_table(rates, deal_size=10_000, cost_per_visit=500)) == (
        "拜访 2 次时每单预期净值最高（每单 3,000 元）。"
        "再多拜访一次（到 3 次）会增加 200 元的预期销售额，成本是 500 元。"
    )
    box = visits.visit_explorer(rates, deal_size=10_000, cost_per_visit=500)
    assert [c.description for c in box.controls.values()] == ["单值（元）", "每次拜访成本（元）"]
    assert box.summary.value.startswith("<b>拜访 2 次时每单预期净值最高")


def test_rfm_and_budget_explorers_label_their_sliders_in_chinese():
    rfm_table = pd.DataFrame(
        {
            "recency": [5.0, 40.0, 200.0, 300.0],
            "frequency": [6.0, 1.0, 4.0, 1.0],
            "monetary": [900.0, 50.0, 300.0, 20.0],
        }
    )
    crmlib.set_language("zh")
    box = rfm.rfm_explorer(rfm_table, recent_days=60, min_orders=3, min_spend=100)
    assert [c.description for c in box.controls.values()] == ["近：最近 N 天", "频：N 单及以上", "高消费：N 元及以上"]
    best = identify.RFM_TYPES[(True, True, True)][1]  # the Chinese name only, without the English one
    assert box.summary.value.startswith("<b>近</b> = 最近 60 天内下过单；<b>频</b> = 3 单及以上；")
    assert f"<br>{best}：1 位客户（25%）带来 71% 的消费金额。" in box.summary.value  # 900 of 1,270
    segments = pd.DataFrame({"segment": ["big", "small"], "customers": [10, 100], "expected_spend": [1000.0, 100.0]})
    box = budget.budget_explorer(segments, budget=5_000, lift=0.1, cost_per_customer=50)
    assert [c.description for c in box.controls.values()] == ["预算（元）", "假设的提升"]
    assert box.summary.value.startswith("预算 5,000 元，提升 10%。预期增量收入（元）：按客户平均分配 <b>")


# ---- chapters 3-5 and the cases ----


def test_sla_explorer_in_chinese():
    # channel a: 1 of 2 answers within 4 h; b: 1 of 1; all: 2 of 3 (the best channel first)
    data = pd.DataFrame({"channel": ["a", "a", "b"], "response_hours": [1.0, 9.0, 3.0]})
    box = channels.sla_explorer(data, sla_hours=4)
    assert box.summary.value == "Answered within 4 h: b 100%, a 50%; all channels 67%."
    crmlib.set_language("zh")
    box = channels.sla_explorer(data, sla_hours=4, names={"a": "App"})
    assert box.controls["sla_hours"].description == "SLA（小时）"
    assert box.summary.value == "4 小时内得到回复的占比：b 100%，App 50%；全部渠道 67%。"
    box.controls["sla_hours"].value = 10  # every answer in time
    assert box.summary.value == "10 小时内得到回复的占比：b 100%，App 100%；全部渠道 100%。"
    assert box.state["shares"]["within_sla"].tolist()[-1] == 1.0


def test_response_gap_explorer_in_chinese():
    # SLA 24 h: two fast answers, both ordered again (100 %); two slow, one ordered again (50 %)
    first = pd.DataFrame({"response_hours": [2.0, 3.0, 30.0, 50.0], "ordered_again": [True, True, True, False]})
    crmlib.set_language("zh")
    box = complaints.response_gap_explorer(first, sla_hours=24, max_hours=60)
    assert box.controls["sla_hours"].description == "SLA（小时）"
    assert box.summary.value.startswith(
        "SLA 24 小时：2 位客户及时得到回复，其中 100% 再次消费；"
        "2 位较晚得到回复，其中 50% 再次消费。差距 +50 个百分点（95% 置信区间 "
    )
    box.controls["sla_hours"].value = 1  # no reply within 1 h
    assert box.summary.value == "SLA 1 小时：没有一条首次投诉及时得到回复，所以无从比较。请移动滑块。"


def test_sample_size_explorer_in_chinese():
    n = communicate.required_sample_size(0.10, 0.03, 0.05, 0.8)
    crmlib.set_language("zh")
    box = ab_test.sample_size_explorer(0.10, 0.03, marks={"小测试": 10, "大测试": 1_000_000})
    assert [c.description for c in box.controls.values()] == ["基准率（%）", "提升（百分点）", "统计功效（%）"]
    assert box.summary.value.startswith(
        "<b>要在 5% 的显著性水平下以 80% 的统计功效检测出 10.0% → 13.0% 的变化（+3.0 个百分点），"
        f"每组需要 {n:,} 个样本。"
        "小测试（每组 10）：样本量太小，只有 "
    )
    assert box.summary.value.endswith("的机会检测出这样的提升。大测试（每组 1,000,000）：样本量足够。</b>")


def test_targeting_explorer_in_chinese():
    # four members; the two buyers have the two best scores: the top 50 % (2 members) reach both
    scores = pd.Series([0.1, 0.9, 0.5, 0.7])
    bought = pd.Series([False, True, False, True])
    crmlib.set_language("zh")
    box = targeting.targeting_explorer(scores, bought, pct=50, cost_per_contact=1.0, value_per_buyer=3.0)
    assert [c.description for c in box.controls.values()] == [
        "目标：得分前 %",
        "每次接触成本（元）",
        "每位购买者的价值（元）",
    ]
    # net 2 x 3 - 2 x 1 = 4 CNY; a random half finds 1 buyer: 3 - 2 = 1 CNY
    assert box.summary.value.startswith(
        "得分前 50%（2 位会员）：触达 2 位购买者（占全部购买者的 100%），随机挑选约为 1 位，提升度 2.0。"
        "净值 4 元（随机挑选：1 元）；在这些假设下，最合适的覆盖范围是得分前 "
    )


def test_duplicate_explorer_in_chinese():
    contacts = load_retail().contacts
    crmlib.set_language("zh")
    box = data_quality.duplicate_explorer(contacts)
    assert [c.description for c in box.controls.values()] == [
        "电话相同",
        "电子邮箱相同",
        "姓名和城市相同",
        "姓名和城市相同的记录对还须地址相同",
    ]
    assert list(box.controls)[:3] == list(information.DUPLICATE_RULES)  # the values stay the English rule names
    assert "<th style='padding:2px 8px;text-align:left'>判断</th>" in box.table.value
    assert "误报" in box.table.value and "真正的重复" in box.table.value
    box.controls["same email"].value = False
    box.controls["same name and city"].value = False  # the 60 planted phone duplicates, all right
    assert box.summary.value == (
        "规则：电话相同 → 60 对记录：60 对属于同一个客户账户（真正的重复记录），0 对分属两个账户（误报）。"
        "150 对真正的重复记录中找到了 60 对；找到的记录对中 100% 是对的。"
    )
    box.controls["same phone"].value = False
    assert box.summary.value == "还没有选择规则：请至少勾选一条。（共有 150 对真正的重复记录等待找出。）"


def test_customer_file_explorer_in_chinese(tmp_path):
    database = information.build_sqlite(load_retail(), tmp_path / "retail.db")
    crmlib.set_language("zh")
    box = customer_file.customer_file_explorer(database, customer_ids=["C10280"])
    assert box.controls["customer"].description == "客户"
    file = box.state["file"]
    orders, tickets = int(file["years"]["orders"].sum()), len(file["tickets"])
    assert box.summary.value.startswith("<b>C10280 Hangzhou")
    assert f"：{orders} 笔订单，销售额 " in box.summary.value
    assert f"投诉工单 {tickets} 张；" in box.summary.value
    assert "<i>联系人</i>" in box.summary.value and "<i>contacts</i>" not in box.summary.value


def test_lifecycle_explorer_in_chinese():
    # as of 2024-03-31 with the default rules (new 30, active 30, cooling 90, lapsed 180 days):
    # a first bought 0 days ago (new), b last 11 days ago (active), c 76 (cooling), d 152 (lapsed), e 304 (lost)
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "b", "b", "c", "d", "e"],
            "order_date": pd.to_datetime(
                ["2024-03-31", "2024-01-01", "2024-03-20", "2024-01-15", "2023-11-01", "2023-06-01"]
            ),
        }
    )
    crmlib.set_language("zh")
    box = lifecycle.lifecycle_explorer(orders)
    assert [c.description for c in box.controls.values()] == [
        "观察点（月末）",
        "活跃：N 天内购买过",
        "降温：N 天内购买过",
        "沉睡：N 天内购买过",
    ]
    assert box.summary.value == (
        "观察点 <b>2024-03-31</b>：新客户 = 最近 30 天内首次购买；活跃客户 = 最近一次购买不到 30 天；"
        "降温客户 = 不到 90 天；沉睡客户 = 不到 180 天；流失客户 = 更久。<br>共 5 位客户："
        "新客户 1 (20%) · 活跃客户 1 (20%) · 降温客户 1 (20%) · 沉睡客户 1 (20%) · 流失客户 1 (20%)"
    )
    box.controls["active_days"].value = 100  # above cooling (90)
    assert box.summary.value == (
        "<b>天数门槛必须逐级增大</b>：活跃（100）&lt; 降温（90）&lt; 沉睡（180）天。请把滑块移回去。"
    )


def test_retention_explorer_in_chinese():
    # at threshold 0.5 two members are flagged, one of whom churned: precision 1/2, recall 1/2
    scored = pd.DataFrame(
        {
            "churn_probability": [0.9, 0.7, 0.2, 0.1],
            "churned": [True, False, True, False],
            "value_if_kept": [100.0, 100.0, 100.0, 100.0],
        }
    )
    crmlib.set_language("zh")
    box = retention.retention_explorer(scored, threshold=0.5, bond="financial")
    assert box.controls["bond"].description == "挽留方案" and box.controls["threshold"].description == "阈值"
    assert box.controls["bond"].options == (
        ("财务利益", "financial"),
        ("财务 + 社交利益", "financial + social"),
        ("结构性联系", "structural"),
    )
    r = box.state["result"]
    assert box.summary.value == (
        "<b>阈值 0.50，财务利益方案：标记出 2 位会员，精确率 50%，召回率 50%。"
        f"保住的毛利 {r['margin_kept']:,.0f} 元 − 成本 {r['cost']:,.0f} 元 = 净值 {r['net_value']:+,.0f} 元。</b>"
    )


def test_satisfaction_explorer_in_chinese():
    surveys = load_tea().surveys
    crmlib.set_language("zh")
    box = satisfaction.satisfaction_explorer(surveys, dimension="reliability", shift=1.0)
    assert box.controls["dimension"].options[1] == ("可靠性", "reliability")
    assert box.controls["dimension"].value == "reliability"
    assert [box.controls[k].description for k in ("dimension", "shift")] == ["维度", "感知 ±"]
    r = box.state["result"]
    assert box.summary.value == (
        f"<b>{r['group']}：感知的可靠性变化 +1.00 分 → 这一维度的差距从 {r['gap_now']['reliability']:+.2f} "
        f"变为 {r['gap_after']['reliability']:+.2f}，模型估计的 NPS 从 {r['model_nps']:+.1f} 变为 "
        f"{r['predicted_nps']:+.1f}（变化 {r['change']:+.1f} 分）。实际 NPS：{r['observed_nps']:+.1f}。</b>"
    )


def test_alive_explorer_in_chinese():
    retail = load_retail()
    consumers = retail.customers.loc[retail.customers["customer_type"] == "consumer", "customer_id"]
    days = clv.rfm_summary(retail.orders[retail.orders["customer_id"].isin(consumers)], observation_end="2025-12-31")
    model = clv.BetaGeo().fit(clv.convert_time_unit(days, "W"))
    crmlib.set_language("zh")
    box = widgets_clv.alive_explorer(model, frequency=12, T=78, quiet=26, horizon=26)
    assert [c.description for c in box.controls.values()] == [
        "重复购买次数",
        "距首次购买的周数",
        "距最近一次购买的周数",
    ]
    o = box.state["outlook"]
    assert box.summary.value == (
        "这位客户在 <b>78</b> 周内有 <b>12</b> 次重复购买，最近 <b>26</b> 周没有购买（recency = 52）。<br>"
        f"仍活跃的概率 P(alive)：<b>{o['prob_alive']:.0%}</b> · 未来 26 周的预期购买次数："
        f"<b>{o['expected_purchases']:.2f}</b>"
    )
    box.controls["frequency"].value = 0
    assert box.summary.value.startswith("这位客户 78 周前首次购买后再没有回来。")


def test_platform_explorer_in_chinese():
    crmlib.set_language("zh")
    box = platform.platform_explorer(merchants=600)
    assert box.controls["policy"].options == (("二选一（排他性交易）", "exclusive"), ("关系营销", "relationship"))
    assert [c.description for c in box.controls.values()] == ["政策", "佣金率"]
    mine, other = box.state["outcomes"]["exclusive"], box.state["outcomes"]["relationship"]
    assert box.summary.value == (
        f"二选一（排他性交易），佣金率 10%：A 的销售份额最高达到 {mine['peak_share']:.0%}，"
        f"期末为 {mine['final_share']:.0%}；商家对 A 的信任期末为 {mine['final_trust']:.2f}。"
        f"5 年里 A 的佣金收入为 {mine['a_commission']:,.0f}，市场共创造价值 {mine['total_value']:,.0f} 百万元"
        f"（另一种政策：{other['a_commission']:,.0f} 和 {other['total_value']:,.0f}）。"
    )
