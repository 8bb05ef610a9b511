"""The home-goods retailer: consumers, business accounts, a sales team and a service desk.

``generate_retail(scale)`` returns a dict of tables. The planted effects (documented with their
true sizes in ``datasets/README.md``) are made here and nowhere else:

* consumers buy by a BG/NBD process with Gamma-Gamma spend at :data:`BGNBD` and
  :data:`GAMMA_GAMMA` (time unit: weeks; money: CNY);
* consumers whose first basket spans two or more categories (cross-buyers) are drawn from the
  half with the lower drop-out probability more often (:data:`CROSS_BUY_FIRST_ORDER`), so they
  stay longer, without changing the BG/NBD process itself;
* a deal's win probability rises with the number of visits and flattens after three
  (:data:`WIN_BY_VISITS`), scaled by lead source: referrals best, cold calls worst (:data:`SOURCE`);
* business accounts differ in size by a heavy-tailed factor, so the accounts with the highest
  weighted value score carry most of the margin;
* contacts carry exact numbers of planted duplicates, gaps and malformed values (:data:`CONTACT_FLAWS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib.datasets._world import (
    N_DAYS,
    REGIONS,
    day_to_date,
    draw_from,
    emails,
    group_rank,
    ids,
    mobile_numbers,
    person_names,
    rng_for,
    thin_by_calendar,
)
from crmlib.vocabulary import COMPLAINT_TYPES, SALES_STAGES

__all__ = [
    "generate_retail",
    "BGNBD",
    "GAMMA_GAMMA",
    "CROSS_BUY_FIRST_ORDER",
    "WIN_BY_VISITS",
    "SOURCE",
    "STAGES",
    "N_CONSUMERS",
    "N_ACCOUNTS",
    "N_LEADS",
    "CONTACT_FLAWS",
    "company_identities",
    "make_products",
    "make_sales_reps",
    "simulate_consumers",
    "make_accounts",
    "make_pipeline",
    "make_activities",
    "make_business_orders",
    "make_contacts",
    "make_tickets",
    "make_surveys",
    "make_marketing_spend",
]

#: Planted BG/NBD parameters of consumer purchasing, time unit = weeks.
BGNBD = {"r": 0.55, "alpha": 10.0, "a": 0.75, "b": 2.8}
#: Planted Gamma-Gamma parameters of consumer spend per order (CNY).
GAMMA_GAMMA = {"p": 6.0, "q": 3.8, "v": 130.0}
#: Chance that a consumer's first basket spans 2+ categories, by drop-out probability half.
CROSS_BUY_FIRST_ORDER = {"low drop-out": 0.7, "high drop-out": 0.15}
#: Win probability by number of visits (0, 1, 2, …, 8+) before any source adjustment.
WIN_BY_VISITS = np.array([0.02, 0.07, 0.18, 0.38, 0.40, 0.41, 0.41, 0.41, 0.41])
#: Lead sources: share of leads, chance a lead is disqualified, and win-probability factor.
SOURCE = pd.DataFrame(
    {
        "source": ["referral", "trade show", "website", "social media", "cold call"],
        "share": [0.15, 0.20, 0.25, 0.20, 0.20],
        "disqualified": [0.15, 0.30, 0.35, 0.40, 0.55],
        "win_factor": [1.5, 1.1, 1.0, 0.8, 0.6],
    }
)
STAGES = list(SALES_STAGES)

N_CONSUMERS = 10_000
N_ACCOUNTS = 300
N_LEADS = 1_500

#: Exact numbers of planted flaws in the contacts table, at scale 1.
CONTACT_FLAWS = {
    "duplicate_phone_reformatted": 60,
    "duplicate_email_recased": 50,
    "duplicate_name_city_new_phone": 40,
    "missing_phone": 300,
    "missing_email": 2500,
    "missing_address": 600,
    "phone_too_short": 40,
    "phone_too_long": 20,
    "email_without_at": 30,
    "email_with_space": 20,
}

_CATEGORIES = pd.DataFrame(
    {
        "category": ["kitchen", "bedding", "bath", "storage", "decor", "furniture", "lighting", "textiles"],
        "category_zh": ["厨房用品", "床上用品", "卫浴用品", "收纳用品", "家居装饰", "家具", "灯具", "布艺"],
        "low": [9.9, 39, 9.9, 9.9, 9.9, 199, 29, 19],
        "high": [899, 2999, 1299, 599, 1599, 8999, 2499, 1299],
        "cost_ratio": [0.55, 0.50, 0.55, 0.60, 0.45, 0.58, 0.52, 0.50],
    }
)
_ITEMS = {
    "kitchen": [
        ("Chef's Knife", "厨师刀"),
        ("Frying Pan", "煎锅"),
        ("Glass Food Box", "玻璃保鲜盒"),
        ("Electric Kettle", "电水壶"),
        ("Rice Cooker", "电饭煲"),
    ],
    "bedding": [
        ("Pillow", "枕头"),
        ("Duvet Cover Set", "被套四件套"),
        ("Summer Quilt", "夏凉被"),
        ("Down Duvet", "羽绒被"),
        ("Mattress Topper", "床垫"),
    ],
    "bath": [
        ("Bath Towel", "浴巾"),
        ("Soap Dispenser", "皂液器"),
        ("Bath Mat", "浴室地垫"),
        ("Shower Head", "花洒"),
        ("Towel Rack", "毛巾架"),
    ],
    "storage": [
        ("Storage Basket", "收纳筐"),
        ("Drawer Organiser", "抽屉收纳盒"),
        ("Vacuum Bag Set", "真空压缩袋"),
        ("Shoe Rack", "鞋架"),
        ("Wardrobe Box", "衣柜收纳箱"),
    ],
    "decor": [
        ("Photo Frame", "相框"),
        ("Scented Candle", "香薰蜡烛"),
        ("Vase", "花瓶"),
        ("Wall Clock", "挂钟"),
        ("Wall Art", "装饰画"),
    ],
    "furniture": [
        ("Side Table", "边几"),
        ("Bookshelf", "书架"),
        ("Office Chair", "办公椅"),
        ("Dining Table", "餐桌"),
        ("Sofa", "沙发"),
    ],
    "lighting": [
        ("Night Light", "小夜灯"),
        ("Desk Lamp", "台灯"),
        ("Floor Lamp", "落地灯"),
        ("Ceiling Light", "吸顶灯"),
        ("Chandelier", "吊灯"),
    ],
    "textiles": [
        ("Cushion Cover", "抱枕套"),
        ("Table Cloth", "桌布"),
        ("Rug", "地毯"),
        ("Blackout Curtain", "遮光窗帘"),
        ("Sofa Throw", "沙发毯"),
    ],
}
_TIERS = [("Basic", "基础款"), ("Classic", "经典款"), ("Premium", "臻选款")]

_INDUSTRIES = ["hotels", "restaurants", "offices", "schools", "hospitals", "property management", "retail chains"]
_INDUSTRIES_ZH = ["酒店", "餐饮", "办公", "学校", "医院", "物业", "连锁零售"]
_POSITIONS = pd.DataFrame(
    {
        "position": ["leader", "major", "follower", "niche"],
        "share": [0.10, 0.25, 0.40, 0.25],
        "boost": [1.0, 0.6, 0.2, 0.0],
    }
)
_CONSUMER_CHANNELS = pd.DataFrame(
    {
        "channel": ["online ads", "marketplace", "store walk-in", "social media", "referral"],
        "share": [0.30, 0.25, 0.20, 0.15, 0.10],
        "cac": [120.0, 80.0, 45.0, 60.0, 30.0],
    }
)
_LEAD_COST = {"referral": 800.0, "trade show": 3000.0, "website": 600.0, "social media": 700.0, "cold call": 400.0}
_COMPLAINT_TYPES = list(COMPLAINT_TYPES)
_COMPANY_WORDS = [
    "华信",
    "锦程",
    "恒达",
    "博源",
    "嘉和",
    "瑞丰",
    "启明",
    "宏图",
    "安泰",
    "新锐",
    "金桥",
    "天禾",
    "鼎盛",
    "润泽",
    "永兴",
    "德元",
    "汇通",
    "盛世",
    "广源",
    "和美",
    "东方",
    "万家",
    "百川",
    "长荣",
    "同创",
    "信达",
    "美景",
    "恒信",
    "佳园",
    "康宁",
    "睿思",
    "致远",
    "海纳",
    "明德",
    "中正",
    "宜居",
]
_COMPANY_KINDS = ["", "管理", "服务", "发展", "实业", "集团"]
_ROADS = ["人民路", "中山路", "解放路", "建设路", "和平路", "长江路", "黄河路", "文化路"]


def _region_cities(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    regions = list(REGIONS)
    region = np.asarray(regions)[rng.choice(len(regions), size=n, p=[0.32, 0.2, 0.2, 0.14, 0.14])]
    city = np.empty(n, dtype=object)
    for r, cities in REGIONS.items():
        rows = np.flatnonzero(region == r)
        city[rows] = np.asarray(cities)[rng.integers(len(cities), size=rows.size)]
    return region, city


def company_identities(rng, n: int) -> pd.DataFrame:
    """Companies with distinct names: (city, name word, kind, industry) drawn without replacement.

    Beyond about 30,000 companies (``--scale`` above 20) names may repeat.
    """
    cities = [(region, city) for region, names in REGIONS.items() for city in names]
    sizes = (len(cities), len(_COMPANY_WORDS), len(_COMPANY_KINDS), len(_INDUSTRIES))
    total = int(np.prod(sizes))
    pick = rng.choice(total, size=n, replace=n > total)
    city_i, word_i, kind_i, ind_i = np.unravel_index(pick, sizes)
    region = np.asarray([c[0] for c in cities])[city_i]
    city = np.asarray([c[1] for c in cities])[city_i]
    name = [
        f"{c}{_COMPANY_WORDS[w]}{_INDUSTRIES_ZH[i]}{_COMPANY_KINDS[k]}有限公司"
        for c, w, k, i in zip(city, word_i, kind_i, ind_i)
    ]
    return pd.DataFrame(
        {"company_name": name, "industry": np.asarray(_INDUSTRIES)[ind_i], "region": region, "city": city}
    )


def make_products() -> pd.DataFrame:
    rng = rng_for("retail/products")
    rows = []
    for cat in _CATEGORIES.itertuples():
        prices = np.exp(np.linspace(np.log(cat.low), np.log(cat.high), 15) + rng.normal(0, 0.05, 15))
        prices = np.sort(np.maximum(np.round(prices) - 0.1, cat.low))
        for k, price in enumerate(prices):
            (item, item_zh), (tier, tier_zh) = _ITEMS[cat.category][k // 3], _TIERS[k % 3]
            cost = np.round(price * cat.cost_ratio * rng.uniform(0.9, 1.1), 2)
            rows.append(
                (f"{tier} {item}", f"{tier_zh}{item_zh}", cat.category, cat.category_zh, float(price), float(cost))
            )
    products = pd.DataFrame(
        rows, columns=["product_name", "product_name_zh", "category", "category_zh", "list_price", "unit_cost"]
    )
    products.insert(0, "product_id", ids("RP", len(products), 3))
    return products


def make_sales_reps() -> pd.DataFrame:
    rng = rng_for("retail/sales_reps")
    names, _ = person_names(rng, 12)
    region, _ = _region_cities(rng, 12)
    return pd.DataFrame(
        {
            "rep_id": ids("R", 12, 2),
            "rep_name": names,
            "team": ["new business"] * 8 + ["key accounts"] * 4,
            "region": region,
            "hire_date": day_to_date(-rng.integers(90, 8 * 365, size=12)),
            # Hidden: how many visits a rep typically makes before giving up on a deal.
            "_persistence": [1.3, 1.6, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 3.0, 3.0, 3.0, 3.0],
        }
    )


def simulate_consumers(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Consumers and their purchases by BG/NBD with Gamma-Gamma spend.

    Each consumer's first purchase opens the account; repeat purchases come at a Poisson rate
    ``lambda ~ Gamma(r, alpha)`` per week; after each repeat purchase the consumer drops out with
    probability ``p ~ Beta(a, b)``. Every purchase's value is ``Gamma(p_gg, nu)`` with
    ``nu ~ Gamma(q, v)``.
    """
    rng = rng_for("retail/consumers")
    birth = rng.integers(0, N_DAYS - 91, size=n)
    T = (N_DAYS - 1 - birth) / 7.0
    lam = rng.gamma(BGNBD["r"], 1 / BGNBD["alpha"], size=n)
    p = rng.beta(BGNBD["a"], BGNBD["b"], size=n)
    total = rng.poisson(lam * T)  # the number of arrivals had the consumer stayed
    n_repeat = np.minimum(total, rng.geometric(p))
    who = np.repeat(np.arange(n), total)
    t = rng.random(who.size) * T[who]
    order = np.lexsort((t, who))
    who, t = who[order], t[order]
    kept = group_rank(who) < n_repeat[who]
    who, t = who[kept], t[kept]
    who = np.r_[np.arange(n), who]
    day = np.r_[birth, birth[who[n:]] + np.floor(t * 7).astype(int)]
    nu = rng.gamma(GAMMA_GAMMA["q"], 1 / GAMMA_GAMMA["v"], size=n)
    amount = np.round(rng.gamma(GAMMA_GAMMA["p"], 1 / nu[who]), 2)
    amount = np.maximum(amount, 0.01)
    consumers = pd.DataFrame({"birth_day": birth, "_p": p, "_lambda": lam})
    purchases = pd.DataFrame(
        {
            "_consumer_row": who,
            "day": day,
            "amount": amount,
            "first": np.r_[np.ones(n, bool), np.zeros(who.size - n, bool)],
        }
    )
    return consumers, purchases


def _consumer_lines(rng, purchases: pd.DataFrame, cross_buyer: np.ndarray, products: pd.DataFrame) -> pd.DataFrame:
    """Split each consumer order's amount over 1–3 lines; pick products whose list price covers each line."""
    first = purchases["first"].to_numpy()
    n_lines = np.where(
        first & cross_buyer[purchases["_consumer_row"].to_numpy()], 2 + (rng.random(len(purchases)) < 0.3), 1
    )
    n_lines = np.where(first, n_lines, 1 + np.minimum(rng.poisson(0.35, len(purchases)), 2))
    n_lines = np.clip(np.minimum(n_lines, purchases["amount"].to_numpy() // 30), 1, None).astype(int)
    order_row = np.repeat(np.arange(len(purchases)), n_lines)
    line_no = group_rank(order_row)
    share = rng.gamma(4.0, size=order_row.size)
    share = share / np.bincount(order_row, weights=share)[order_row]
    amount = purchases["amount"].to_numpy()
    line_amount = np.round(amount[order_row] * share, 2)
    last = np.r_[order_row[1:] != order_row[:-1], True]
    paid_before_last = np.bincount(order_row, weights=np.where(last, 0, line_amount), minlength=len(purchases))
    line_amount = np.where(last, np.round(amount[order_row] - paid_before_last[order_row], 2), line_amount)
    # Distinct categories within an order: a random start and steps through the category list.
    n_cat = len(_CATEGORIES)
    start = rng.integers(n_cat, size=len(purchases))
    cat = np.where(first[order_row], (start[order_row] + line_no) % n_cat, rng.integers(n_cat, size=order_row.size))
    low = _CATEGORIES["low"].to_numpy()
    cheap = np.flatnonzero(low < 10)
    too_small = line_amount < low[cat] * 0.9
    cat = np.where(too_small, cheap[(start[order_row] + line_no) % cheap.size], cat)
    return _lines_from_targets(rng, order_row, line_no, cat, line_amount, products)


def _lines_from_targets(rng, order_row, line_no, cat, line_amount, products) -> pd.DataFrame:
    """The cheapest product in the line's category whose list price reaches the line amount plus a little."""
    target = np.maximum(line_amount, 0.01) * rng.uniform(1.0, 1.15, size=order_row.size)
    product_row = np.zeros(order_row.size, dtype=np.int64)
    quantity = np.ones(order_row.size, dtype=np.int64)
    for c, name in enumerate(_CATEGORIES["category"]):
        rows = np.flatnonzero(cat == c)
        in_cat = np.flatnonzero(products["category"].to_numpy() == name)
        prices = products["list_price"].to_numpy()[in_cat]
        k = np.searchsorted(prices, target[rows], side="left")
        over = k >= prices.size
        k = np.minimum(k, prices.size - 1)
        product_row[rows] = in_cat[k]
        quantity[rows] = np.where(over, np.ceil(target[rows] / prices[-1]).astype(int), 1)
    list_price = products["list_price"].to_numpy()[product_row]
    return pd.DataFrame(
        {
            "_order_row": order_row,
            "line_no": line_no + 1,
            "_product_row": product_row,
            "quantity": quantity,
            "list_price": list_price,
            "line_amount": line_amount,
        }
    )


def make_accounts(reps: pd.DataFrame, won: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Business accounts: long-standing ones, plus those won from opportunities during 2024-2025."""
    rng = rng_for("retail/accounts")
    n_old = max(1, int(round(N_ACCOUNTS * scale)))
    n = n_old + len(won)
    position = draw_from(rng, _POSITIONS["position"], _POSITIONS["share"], n)
    signup = np.r_[-rng.integers(30, 15 * 365, size=n_old), won["close_day"].to_numpy()]
    years = np.floor((N_DAYS - 1 - signup) / 365.25).astype(int)  # whole years of cooperation by 2025-12-31
    boost = pd.Series(position).map(dict(zip(_POSITIONS["position"], _POSITIONS["boost"]))).to_numpy()
    log_size = np.clip(rng.normal(0, 1.0, size=n), -2.5, 2.5) + 1.4 * boost + 0.08 * years
    identity = pd.concat(
        [company_identities(rng, n_old), won[["company_name", "industry", "region", "city"]]], ignore_index=True
    )
    key_reps = reps.loc[reps["team"] == "key accounts", "rep_id"].to_numpy()
    return pd.DataFrame(
        {
            "company_name": identity["company_name"].to_numpy(),
            "industry": identity["industry"].to_numpy(),
            "industry_position": position,
            "cooperation_years": years,
            "region": identity["region"].to_numpy(),
            "city": identity["city"].to_numpy(),
            "acquisition_channel": np.r_[
                draw_from(rng, SOURCE["source"], SOURCE["share"], n_old), won["source"].to_numpy()
            ],
            "signup_day": signup,
            "account_manager_id": key_reps[rng.integers(key_reps.size, size=n)],
            "_log_size": log_size,
        }
    )


def make_pipeline(reps: pd.DataFrame, scale: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leads and the opportunities made from the qualified ones, with visits planned by each rep's persistence."""
    rng = rng_for("retail/leads")
    n = max(1, int(round(N_LEADS * scale)))
    new_biz = reps.loc[reps["team"] == "new business"].reset_index(drop=True)
    rep = rng.integers(len(new_biz), size=n)
    src = rng.choice(len(SOURCE), size=n, p=SOURCE["share"].to_numpy())
    created = np.sort(rng.integers(0, N_DAYS - 30, size=n))
    disq = rng.random(n) < SOURCE["disqualified"].to_numpy()[src]
    identity = company_identities(rng, n)
    leads = pd.DataFrame(
        {
            "lead_id": ids("L", n, 5),
            "created_date": day_to_date(created),
            "source": SOURCE["source"].to_numpy()[src],
            "rep_id": new_biz["rep_id"].to_numpy()[rep],
            "company_name": identity["company_name"].to_numpy(),
            "industry": identity["industry"].to_numpy(),
            "region": identity["region"].to_numpy(),
            "status": np.where(disq, "disqualified", "converted"),
            "lost_reason": np.where(
                disq,
                draw_from(rng, ["no need", "no budget", "no response", "too small"], [0.35, 0.25, 0.3, 0.1], n),
                None,
            ),
        }
    )
    q = np.flatnonzero(~disq)
    m = q.size
    persistence = new_biz["_persistence"].to_numpy()[rep[q]]
    visits = np.minimum(1 + rng.poisson(np.maximum(persistence - 1, 0)), 8) * (rng.random(m) > 0.04)
    p_win = np.minimum(WIN_BY_VISITS[visits] * SOURCE["win_factor"].to_numpy()[src[q]], 0.95)
    won = rng.random(m) < p_win
    opened = created[q] + rng.integers(1, 10, size=m)
    close = opened + 10 + (visits * rng.uniform(8, 16, size=m)).astype(int)
    still_open = close > N_DAYS - 1
    lost_stage = np.minimum(rng.binomial(visits + 1, 0.45), 4)
    open_stage = np.minimum((4 * (N_DAYS - 1 - opened) / np.maximum(close - opened, 1)).astype(int), 4)
    stage = np.where(still_open, open_stage, np.where(won, 5, lost_stage))
    status = np.where(still_open, "open", np.where(won, "won", "lost"))
    lost_reason = draw_from(
        rng, ["chose competitor", "price too high", "no decision", "lost contact"], [0.35, 0.25, 0.2, 0.2], m
    )
    lost_reason = np.where(visits <= 1, np.where(rng.random(m) < 0.6, "lost contact", lost_reason), lost_reason)
    opportunities = pd.DataFrame(
        {
            "opportunity_id": ids("OP", m, 5),
            "lead_id": leads["lead_id"].to_numpy()[q],
            "rep_id": leads["rep_id"].to_numpy()[q],
            "created_date": day_to_date(np.minimum(opened, N_DAYS - 1)),
            "stage": np.asarray(STAGES)[stage],
            "status": status,
            "amount": np.round(rng.lognormal(np.log(80_000), 0.8, size=m), -2),
            "close_date": day_to_date(np.minimum(close, N_DAYS - 1)).where(~still_open),
            "lost_reason": np.where(status == "lost", lost_reason, None),
            "_visits": visits,
            "_opened": opened,
            "_close": close,
            "source": SOURCE["source"].to_numpy()[src[q]],
            **{col: identity[col].to_numpy()[q] for col in ["company_name", "industry", "region", "city"]},
        }
    )
    return leads, opportunities


def make_activities(opps: pd.DataFrame, accounts: pd.DataFrame, account_ids: np.ndarray) -> pd.DataFrame:
    """Visits, calls and e-mails on opportunities, and account care (visits, calls, meetings, e-mails) for business accounts."""
    rng = rng_for("retail/activities")
    stop = np.minimum(opps["_close"].to_numpy(), N_DAYS - 1)
    start = opps["_opened"].to_numpy()
    visits = opps["_visits"].to_numpy()
    calls = rng.poisson(1.5 + visits)
    mails = rng.poisson(2.0, size=len(opps))
    kinds = np.r_[np.repeat("visit", visits.sum()), np.repeat("call", calls.sum()), np.repeat("e-mail", mails.sum())]
    opp_row = np.r_[
        np.repeat(np.arange(len(opps)), visits),
        np.repeat(np.arange(len(opps)), calls),
        np.repeat(np.arange(len(opps)), mails),
    ]
    day = start[opp_row] + (rng.random(opp_row.size) * (stop[opp_row] - start[opp_row] + 1)).astype(int)
    deal = pd.DataFrame(
        {
            "rep_id": opps["rep_id"].to_numpy()[opp_row],
            "customer_id": None,
            "opportunity_id": opps["opportunity_id"].to_numpy()[opp_row],
            "day": day,
            "activity_type": kinds,
        }
    )
    # Account care: bigger accounts see their account manager more often.
    size_q = pd.Series(accounts["_log_size"]).rank(pct=True).to_numpy()
    begin = np.maximum(accounts["signup_day"].to_numpy(), 0)
    years = (N_DAYS - begin) / 365
    n_care = rng.poisson((2 + 10 * size_q) * years)
    acc_row = np.repeat(np.arange(len(accounts)), n_care)
    care = pd.DataFrame(
        {
            "rep_id": accounts["account_manager_id"].to_numpy()[acc_row],
            "customer_id": account_ids[acc_row],
            "opportunity_id": None,
            "day": begin[acc_row] + (rng.random(acc_row.size) * (N_DAYS - begin[acc_row])).astype(int),
            "activity_type": draw_from(
                rng, ["visit", "call", "meeting", "e-mail"], [0.35, 0.35, 0.1, 0.2], acc_row.size
            ),
        }
    )
    acts = pd.concat([deal, care], ignore_index=True).sort_values(["day", "rep_id"], kind="stable", ignore_index=True)
    minutes = {"visit": 60, "meeting": 90, "call": 10, "e-mail": 5}
    duration = np.round(acts["activity_type"].map(minutes).to_numpy() * rng.lognormal(0, 0.4, len(acts))).astype(int)
    return pd.DataFrame(
        {
            "activity_id": ids("A", len(acts), 6),
            "rep_id": acts["rep_id"],
            "customer_id": acts["customer_id"],
            "opportunity_id": acts["opportunity_id"],
            "activity_date": day_to_date(acts["day"].to_numpy()),
            "activity_type": acts["activity_type"],
            "duration_min": np.maximum(duration, 1),
        }
    )


def make_business_orders(accounts: pd.DataFrame, products: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Orders of business accounts: frequency and basket size grow with the account's size."""
    rng = rng_for("retail/business_orders")
    size = np.exp(accounts["_log_size"].to_numpy())
    size_q = pd.Series(size).rank(pct=True).to_numpy()
    begin = np.maximum(accounts["signup_day"].to_numpy(), 0)
    end = np.minimum(begin + rng.exponential(36 * 30.4, size=len(accounts)).astype(int), N_DAYS)
    months = np.clip(end - begin, 0, None) / 30.4
    n = rng.poisson((0.4 + 1.2 * size_q) * months * 1.3)
    acc = np.repeat(np.arange(len(accounts)), n)
    day = begin[acc] + (rng.random(acc.size) * (end[acc] - begin[acc])).astype(int)
    keep = thin_by_calendar(rng, day, month_weight=0.3)
    acc, day = acc[keep], day[keep]
    n_lines = 1 + rng.poisson(2.0, size=acc.size)
    order_row = np.repeat(np.arange(acc.size), n_lines)
    budget = 6000 * size[acc[order_row]] / n_lines[order_row] * rng.lognormal(0, 0.5, order_row.size)
    by_price = np.argsort(products["list_price"].to_numpy(), kind="stable")
    prices = products["list_price"].to_numpy()[by_price]
    wanted_units = rng.lognormal(np.log(20), 0.8, order_row.size)
    k = np.clip(np.searchsorted(prices, budget / wanted_units), 0, prices.size - 1)
    k = np.clip(k + rng.integers(-3, 4, size=k.size), 0, prices.size - 1)  # some variety around the ideal price
    product_row = by_price[k]
    list_price = products["list_price"].to_numpy()[product_row]
    quantity = np.clip(np.round(budget / list_price), 1, 500).astype(int)
    discount_rate = 0.03 + 0.10 * size_q[acc[order_row]]
    line_amount = np.round(list_price * quantity * (1 - discount_rate), 2)
    orders = pd.DataFrame(
        {"_account_row": acc, "day": day, "terms_days": rng.choice([30, 60, 90], size=acc.size, p=[0.5, 0.35, 0.15])}
    )
    lines = pd.DataFrame(
        {
            "_order_row": order_row,
            "line_no": group_rank(order_row) + 1,
            "_product_row": product_row,
            "quantity": quantity,
            "list_price": list_price,
            "line_amount": line_amount,
        }
    )
    return orders, lines


def make_contacts(customers: pd.DataFrame, scale: float) -> pd.DataFrame:
    """One contact per consumer and two to four per business account, then the planted flaws."""
    rng = rng_for("retail/contacts")
    consumer = customers["customer_type"].to_numpy() == "consumer"
    per = np.where(consumer, 1, rng.integers(2, 5, size=len(customers)))
    row = np.repeat(np.arange(len(customers)), per)
    n = row.size
    names, handles = person_names(rng, n)
    roles_b = np.asarray(["decision maker", "influencer", "executor", "negotiator"])
    role = np.where(consumer[row], "self", roles_b[group_rank(row) % 4])
    city = customers["city"].to_numpy()[row]
    address = np.char.add(
        np.char.add(np.char.add(city.astype(str), " "), np.asarray(_ROADS)[rng.integers(len(_ROADS), size=n)]),
        np.char.add(rng.integers(1, 500, size=n).astype(str), "号"),
    )
    contacts = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[row],
            "contact_name": names,
            "role": role,
            "phone": mobile_numbers(rng, n).astype(object),
            "email": emails(rng, handles).astype(object),
            "city": city,
            "address": address.astype(object),
            "consent_marketing": rng.random(n) < 0.62,
            "created_date": day_to_date(np.maximum(customers["signup_day"].to_numpy()[row], -3 * 365)),
        }
    )
    return _plant_contact_flaws(rng, contacts, scale)


def _scaled(count: int, scale: float) -> int:
    return int(round(count * scale))


def _plant_contact_flaws(rng, contacts: pd.DataFrame, scale: float) -> pd.DataFrame:
    k = {name: _scaled(c, scale) for name, c in CONTACT_FLAWS.items()}
    consumers = np.flatnonzero(contacts["role"].to_numpy() == "self")
    n_dup = k["duplicate_phone_reformatted"] + k["duplicate_email_recased"] + k["duplicate_name_city_new_phone"]
    n_bad = k["phone_too_short"] + k["phone_too_long"] + k["email_without_at"] + k["email_with_space"]
    n_gap = k["missing_phone"] + k["missing_email"] + k["missing_address"]
    picked = rng.choice(consumers, size=n_dup + n_bad + n_gap, replace=False)
    dup_src, bad_rows, gap_rows = picked[:n_dup], picked[n_dup : n_dup + n_bad], picked[n_dup + n_bad :]
    c = contacts.copy()

    # Malformed values and gaps on distinct original rows.
    parts = np.cumsum([0, k["phone_too_short"], k["phone_too_long"], k["email_without_at"], k["email_with_space"]])
    short, long_, no_at, space = (bad_rows[parts[i] : parts[i + 1]] for i in range(4))
    c.loc[short, "phone"] = c.loc[short, "phone"].str[:-1]
    c.loc[long_, "phone"] = c.loc[long_, "phone"] + "0"
    c.loc[no_at, "email"] = c.loc[no_at, "email"].str.replace("@", "", regex=False)
    c.loc[space, "email"] = c.loc[space, "email"].str.replace("@", " @", regex=False)
    g = np.cumsum([0, k["missing_phone"], k["missing_email"], k["missing_address"]])
    c.loc[gap_rows[g[0] : g[1]], "phone"] = None
    c.loc[gap_rows[g[1] : g[2]], "email"] = None
    c.loc[gap_rows[g[2] : g[3]], "address"] = None

    # Duplicates: the same person entered a second time, a little differently.
    d = np.cumsum(
        [0, k["duplicate_phone_reformatted"], k["duplicate_email_recased"], k["duplicate_name_city_new_phone"]]
    )
    dups = c.loc[dup_src].copy()
    phone_fmt = dups["phone"].iloc[d[0] : d[1]]
    style = rng.integers(3, size=phone_fmt.size)
    reformatted = np.where(
        style == 0,
        phone_fmt.str[:3] + " " + phone_fmt.str[3:7] + " " + phone_fmt.str[7:],
        np.where(
            style == 1, "+86 " + phone_fmt, phone_fmt.str[:3] + "-" + phone_fmt.str[3:7] + "-" + phone_fmt.str[7:]
        ),
    )
    dups.iloc[d[0] : d[1], dups.columns.get_loc("phone")] = reformatted
    dups.iloc[d[0] : d[1], dups.columns.get_loc("email")] = None
    dups.iloc[d[1] : d[2], dups.columns.get_loc("email")] = "  " + dups["email"].iloc[d[1] : d[2]].str.upper()
    dups.iloc[d[1] : d[2], dups.columns.get_loc("phone")] = None
    dups.iloc[d[2] : d[3], dups.columns.get_loc("phone")] = mobile_numbers(rng, d[3] - d[2])
    dups.iloc[d[2] : d[3], dups.columns.get_loc("email")] = None
    later = dups["created_date"] + pd.to_timedelta(rng.integers(30, 400, size=len(dups)), unit="D")
    dups["created_date"] = later.clip(upper=day_to_date([N_DAYS - 1])[0])
    out = pd.concat([c, dups], ignore_index=True)
    out.insert(0, "contact_id", ids("CT", len(out), 6))
    return out


def make_tickets(orders: pd.DataFrame) -> pd.DataFrame:
    """Service tickets (complaints and suggestions) with a timestamp for each of the five handling stages."""
    rng = rng_for("retail/tickets")
    business = orders["_business"].to_numpy()
    pick = np.flatnonzero(rng.random(len(orders)) < np.where(business, 0.10, 0.06))
    n = pick.size
    ctype = np.where(
        business[pick],
        draw_from(rng, _COMPLAINT_TYPES, [0.30, 0.20, 0.25, 0.15, 0.10], n),
        draw_from(rng, _COMPLAINT_TYPES, [0.38, 0.02, 0.28, 0.20, 0.12], n),
    )
    channel = draw_from(rng, ["hotline", "online chat", "e-mail", "store"], [0.4, 0.35, 0.15, 0.1], n)
    received = day_to_date(orders["day"].to_numpy()[pick] + rng.integers(1, 20, size=n)) + pd.to_timedelta(
        rng.integers(8 * 60, 21 * 60, size=n), unit="min"
    )
    accept_h = pd.Series(channel).map(
        {"hotline": 0.3, "online chat": 0.5, "e-mail": 8.0, "store": 1.0}
    ).to_numpy() * rng.lognormal(0, 0.8, n)
    clarify_h = 10.0 * rng.lognormal(0, 0.7, n)
    propose_h = np.where(ctype == "product quality", 48.0, 24.0) * rng.lognormal(0, 0.7, n)
    follow_h = 72.0 * rng.lognormal(0, 0.5, n)
    steps = np.column_stack([accept_h, clarify_h, propose_h, follow_h])
    reached = rng.choice([4, 3, 2, 1], size=n, p=[0.88, 0.07, 0.03, 0.02])  # stages after 'received'; some stop early
    hours = np.cumsum(steps, axis=1)
    stamps = {}
    for j, col in enumerate(["accepted_at", "clarified_at", "solution_proposed_at", "followed_up_at"]):
        t = received + pd.to_timedelta(np.round(hours[:, j] * 60), unit="min")
        stamps[col] = t.where((j < reached) & (t <= pd.Timestamp("2025-12-31 23:59")))
    total = hours[:, -1]
    sat = np.clip(np.round(4.6 - 0.008 * total + rng.normal(0, 0.7, n)), 1, 5).astype(int)
    t = pd.DataFrame(
        {
            "order_id": orders["order_id"].to_numpy()[pick],
            "customer_id": orders["customer_id"].to_numpy()[pick],
            "complaint_type": ctype,
            "channel": channel,
            "received_at": received,
            **stamps,
            "satisfaction_after": pd.array(np.where(pd.isna(stamps["followed_up_at"]), pd.NA, sat), dtype="Int64"),
        }
    )
    keep = t["received_at"] <= pd.Timestamp("2025-12-31 23:59")
    t = t[keep].sort_values("received_at", kind="stable", ignore_index=True)
    t.insert(0, "ticket_id", ids("TK", len(t), 5))
    return t


def make_surveys(customers: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("retail/surveys")
    business = customers["customer_type"].to_numpy() == "business"
    pick = np.flatnonzero(business | (rng.random(len(customers)) < 0.12))
    n = pick.size
    begin = np.maximum(customers["signup_day"].to_numpy()[pick], 0)
    day = begin + (rng.random(n) * (N_DAYS - begin)).astype(int)
    size_q = pd.Series(customers["_log_size"].to_numpy()[pick]).rank(pct=True).fillna(0.5).to_numpy()
    cols = {
        "survey_id": ids("RS", n, 5),
        "customer_id": customers["customer_id"].to_numpy()[pick],
        "survey_date": day_to_date(day),
    }
    exp_means = [5.6, 6.1, 5.8, 5.5, 5.2]
    perc_means = [5.7, 5.5, 5.0, 5.6, 5.0]
    gap = np.zeros(n)
    for i, dim in enumerate(["tangibles", "reliability", "responsiveness", "assurance", "empathy"]):
        e = np.clip(np.round(exp_means[i] + rng.normal(0, 0.7, n)), 1, 7)
        p = np.clip(np.round(perc_means[i] + 0.6 * (size_q - 0.5) * business[pick] + rng.normal(0, 0.8, n)), 1, 7)
        cols[f"expectation_{dim}"] = e.astype(int)
        cols[f"perception_{dim}"] = p.astype(int)
        gap += p - e
    cols["nps_score"] = np.clip(np.round(7.6 + 0.4 * gap + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    return pd.DataFrame(cols).sort_values(["survey_date", "survey_id"], kind="stable", ignore_index=True)


def make_marketing_spend(customers: pd.DataFrame, leads: pd.DataFrame) -> pd.DataFrame:
    """Monthly spend per acquisition channel: what it cost to bring in that month's new customers and leads."""
    rng = rng_for("retail/marketing_spend")
    cons = customers[customers["customer_type"] == "consumer"]
    cac = dict(zip(_CONSUMER_CHANNELS["channel"], _CONSUMER_CHANNELS["cac"]))
    arrivals = pd.concat(
        [
            pd.DataFrame(
                {
                    "month": day_to_date(cons["signup_day"].to_numpy()).to_period("M"),
                    "segment": "consumer",
                    "channel": cons["acquisition_channel"].to_numpy(),
                    "cost": cons["acquisition_channel"].map(cac).to_numpy(),
                }
            ),
            pd.DataFrame(
                {
                    "month": leads["created_date"].dt.to_period("M"),
                    "segment": "business",
                    "channel": leads["source"],
                    "cost": leads["source"].map(_LEAD_COST),
                }
            ),
        ],
        ignore_index=True,
    )
    spend = arrivals.groupby(["month", "segment", "channel"], observed=True)["cost"].sum().reset_index()
    spend["spend_cny"] = np.round(spend["cost"] * rng.uniform(0.85, 1.15, len(spend)), -1)
    spend["month"] = spend["month"].dt.to_timestamp()
    return spend[["month", "segment", "channel", "spend_cny"]]


def generate_retail(scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """All tables of the retailer, keyed by table name."""
    products = make_products()
    reps = make_sales_reps()
    leads, opps = make_pipeline(reps, scale)
    won = opps[opps["status"] == "won"].assign(close_day=lambda d: d["_close"])
    accounts = make_accounts(reps, won, scale)
    consumers, purchases = simulate_consumers(max(1, int(round(N_CONSUMERS * scale))))

    # Customers: consumers first, then business accounts.
    rng = rng_for("retail/customers")
    n_c = len(consumers)
    region, city = _region_cities(rng, n_c)
    consumer_table = pd.DataFrame(
        {
            "customer_type": "consumer",
            "company_name": None,
            "industry": None,
            "industry_position": None,
            "cooperation_years": pd.array([pd.NA] * n_c, dtype="Int64"),
            "region": region,
            "city": city,
            "acquisition_channel": draw_from(rng, _CONSUMER_CHANNELS["channel"], _CONSUMER_CHANNELS["share"], n_c),
            "signup_day": consumers["birth_day"].to_numpy(),
            "account_manager_id": None,
            "_log_size": np.nan,
        }
    )
    customers = pd.concat(
        [consumer_table, accounts.assign(customer_type="business")[consumer_table.columns]], ignore_index=True
    )
    customers.insert(0, "customer_id", ids("C", len(customers), 5))
    account_ids = customers["customer_id"].to_numpy()[n_c:]
    customer_of_opp = pd.Series(None, index=opps.index, dtype=object)
    customer_of_opp[won.index] = account_ids[len(accounts) - len(won) :]

    # Orders and their lines, consumers and business accounts together.
    p_low = consumers["_p"].to_numpy() < np.median(consumers["_p"].to_numpy())
    cross = rng_for("retail/cross_buying").random(n_c) < np.where(
        p_low, CROSS_BUY_FIRST_ORDER["low drop-out"], CROSS_BUY_FIRST_ORDER["high drop-out"]
    )
    c_lines = _consumer_lines(rng_for("retail/consumer_lines"), purchases, cross, products)
    b_orders, b_lines = make_business_orders(accounts, products)
    rng = rng_for("retail/orders")
    c_orders = pd.DataFrame(
        {
            "customer_row": purchases["_consumer_row"].to_numpy(),
            "day": purchases["day"].to_numpy(),
            "channel": draw_from(rng, ["online", "store", "phone"], [0.55, 0.35, 0.10], len(purchases)),
            "terms_days": 0,
            "_business": False,
        }
    )
    b_orders = pd.DataFrame(
        {
            "customer_row": n_c + b_orders["_account_row"].to_numpy(),
            "day": b_orders["day"].to_numpy(),
            "channel": "account",
            "terms_days": b_orders["terms_days"].to_numpy(),
            "_business": True,
        }
    )
    orders = pd.concat([c_orders, b_orders], ignore_index=True)
    lines = pd.concat([c_lines, b_lines.assign(_order_row=b_lines["_order_row"] + len(c_orders))], ignore_index=True)
    order_sort = np.lexsort((orders["customer_row"].to_numpy(), orders["day"].to_numpy()))
    new_pos = np.empty(len(orders), dtype=np.int64)
    new_pos[order_sort] = np.arange(len(orders))
    orders = orders.iloc[order_sort].reset_index(drop=True)
    lines["_order_row"] = new_pos[lines["_order_row"].to_numpy()]
    lines = lines.sort_values(["_order_row", "line_no"], kind="stable", ignore_index=True)
    orders["order_id"] = np.arange(100001, 100001 + len(orders))
    orders["customer_id"] = customers["customer_id"].to_numpy()[orders["customer_row"].to_numpy()]

    amount = np.round(np.bincount(lines["_order_row"], weights=lines["line_amount"], minlength=len(orders)), 2)
    unit_cost = products["unit_cost"].to_numpy()[lines["_product_row"].to_numpy()]
    terms = orders["terms_days"].to_numpy()[lines["_order_row"].to_numpy()]
    discount = np.round(lines["list_price"] * lines["quantity"] - lines["line_amount"], 2)
    financial_cost = np.round(lines["line_amount"] * terms * 0.0003, 2)
    paid_late = rng.integers(-5, 25, size=len(orders))
    due = orders["day"].to_numpy() + orders["terms_days"].to_numpy()
    paid_day = np.where(orders["_business"], due + paid_late, orders["day"])
    account_mgr = customers["account_manager_id"].to_numpy()[orders["customer_row"].to_numpy()]

    tables = {
        "customers": customers.assign(signup_date=day_to_date(customers["signup_day"].to_numpy()))[
            [
                "customer_id",
                "customer_type",
                "company_name",
                "industry",
                "industry_position",
                "cooperation_years",
                "region",
                "city",
                "acquisition_channel",
                "signup_date",
                "account_manager_id",
            ]
        ],
        "contacts": make_contacts(customers, scale),
        "sales_reps": reps.drop(columns="_persistence"),
        "leads": leads.assign(
            opportunity_id=lambda d: d["lead_id"].map(dict(zip(opps["lead_id"], opps["opportunity_id"])))
        ),
        "opportunities": opps.assign(customer_id=customer_of_opp.to_numpy())[
            [
                "opportunity_id",
                "lead_id",
                "customer_id",
                "rep_id",
                "created_date",
                "stage",
                "status",
                "amount",
                "close_date",
                "lost_reason",
            ]
        ],
        "activities": make_activities(opps, accounts, account_ids),
        "products": products,
        "orders": pd.DataFrame(
            {
                "order_id": orders["order_id"],
                "customer_id": orders["customer_id"],
                "order_date": day_to_date(orders["day"].to_numpy()),
                "channel": orders["channel"],
                "rep_id": np.where(orders["_business"], account_mgr, None),
                "amount": amount,
                "payment_terms_days": orders["terms_days"],
                "paid_date": day_to_date(paid_day).where(paid_day <= N_DAYS - 1),
            }
        ),
        "order_lines": pd.DataFrame(
            {
                "order_id": orders["order_id"].to_numpy()[lines["_order_row"].to_numpy()],
                "line_no": lines["line_no"],
                "product_id": products["product_id"].to_numpy()[lines["_product_row"].to_numpy()],
                "quantity": lines["quantity"],
                "list_price": lines["list_price"],
                "discount": discount,
                "line_amount": lines["line_amount"],
                "margin": np.round(lines["line_amount"] - lines["quantity"] * unit_cost, 2),
                "marketing_cost": np.round(discount + financial_cost, 2),
            }
        ),
        "tickets": make_tickets(orders),
        "surveys": make_surveys(customers),
        "marketing_spend": make_marketing_spend(customers, leads),
    }
    return tables
