"""The tea-drink chain: three fictional brands built on the archetypes of chapter 1.

``generate_tea(scale)`` returns a dict of tables. The planted effects (documented with their
true sizes in ``datasets/README.md``) are made here and nowhere else:

* brand archetypes: premium ticket above 30 CNY, regional 16–25 CNY, mass-market under 10 CNY,
  with the mass brand's members visiting most often;
* a Pareto concentration of revenue, from members' differing visit rates and lifetimes;
* members who joined through a collab campaign lapse sooner (``COLLAB_LIFETIME_FACTOR``);
* a complaint answered slowly (over ``SLOW_RESPONSE_HOURS``) makes leaving more likely
  (``CHURN_AFTER_COMPLAINT``);
* coupon variant B is redeemed more often than variant A (``COUPON_REDEMPTION``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib.datasets._world import (
    CITIES,
    N_DAYS,
    day_to_date,
    draw_from,
    group_rank,
    ids,
    rng_for,
    thin_by_calendar,
    times_of_day,
)
from crmlib.vocabulary import SERVQUAL_DIMENSIONS

__all__ = [
    "generate_tea",
    "DAYS_PER_MONTH",
    "BRANDS",
    "PROFILE",
    "RATE_SHAPE",
    "COLLAB_LIFETIME_FACTOR",
    "SLOW_RESPONSE_HOURS",
    "CHURN_AFTER_COMPLAINT",
    "COMPLAINT_RATE",
    "COUPON_REDEMPTION",
    "COUPON_SEND_DATE",
    "SERVQUAL",
    "make_stores",
    "make_campaigns",
    "make_products",
    "make_members",
    "make_complaints",
    "make_orders",
    "make_coupon_sends",
    "make_feedback",
    "make_surveys",
]

DAYS_PER_MONTH = 30.4

BRANDS = pd.DataFrame(
    [
        (
            "T1",
            "Aurora Leaf",
            "极光叶茶",
            "premium",
            "malls and office districts of tier-1, new-tier-1 and tier-2 cities",
            "24–36",
            "urban white-collar workers",
            2015,
        ),
        ("T2", "Lotus Lane", "荷巷茶事", "regional", "Changsha only", "16–25", "young people and tourists", 2016),
        (
            "T3",
            "Snowy Cup",
            "雪杯",
            "mass-market",
            "tier-3 to tier-5 towns",
            "3–8",
            "small-town, price-sensitive customers",
            2012,
        ),
    ],
    columns=[
        "brand_id",
        "brand_name",
        "brand_name_zh",
        "positioning",
        "home_market",
        "drink_price_cny",
        "target_customer",
        "founded_year",
    ],
)

#: How each brand behaves. Rates are orders per member per month while the member is active.
PROFILE = {
    "T1": dict(
        n_stores=36,
        members=2600,
        cities=["tier 1", "new tier 1", "tier 2"],
        sites={"mall": 0.82, "office district": 0.12, "airport": 0.06},
        franchise_share=0.0,
        monthly_rate=0.9,
        extra_items=0.3,
        lifetime_months=10.0,
        collab_join_share=0.22,
        channels={"in-store": 0.45, "mini-program": 0.35, "delivery": 0.20},
        ages={"under 18": 0.02, "18-24": 0.25, "25-34": 0.50, "35-44": 0.18, "45+": 0.05},
        female_share=0.68,
        collabs=8,
        coupon_value=5.0,
    ),
    "T2": dict(
        n_stores=48,
        members=3200,
        cities=["Changsha"],
        sites={"street": 0.45, "mall": 0.25, "scenic spot": 0.20, "transit station": 0.06, "airport": 0.04},
        franchise_share=0.0,
        monthly_rate=1.3,
        extra_items=0.15,
        lifetime_months=9.0,
        collab_join_share=0.12,
        channels={"in-store": 0.62, "mini-program": 0.28, "delivery": 0.10},
        ages={"under 18": 0.08, "18-24": 0.50, "25-34": 0.30, "35-44": 0.08, "45+": 0.04},
        female_share=0.62,
        collabs=3,
        coupon_value=4.0,
    ),
    "T3": dict(
        n_stores=120,
        members=4400,
        cities=["tier 3", "tier 4", "tier 5"],
        sites={"street": 0.50, "community": 0.25, "campus": 0.15, "county market": 0.10},
        franchise_share=0.85,
        monthly_rate=2.2,
        extra_items=0.35,
        lifetime_months=8.0,
        collab_join_share=0.08,
        channels={"in-store": 0.75, "mini-program": 0.15, "delivery": 0.10},
        ages={"under 18": 0.15, "18-24": 0.40, "25-34": 0.22, "35-44": 0.13, "45+": 0.10},
        female_share=0.55,
        collabs=2,
        coupon_value=2.0,
    ),
}

#: Spread of visit rates between members (gamma shape): smaller means more unequal.
RATE_SHAPE = 0.7
#: Planted: members who joined through a collab campaign stay this fraction as long.
COLLAB_LIFETIME_FACTOR = 0.3
#: Planted: after a member's first complaint, the chance of leaving within two weeks.
SLOW_RESPONSE_HOURS = 24.0
CHURN_AFTER_COMPLAINT = {"fast": 0.10, "slow": 0.55}
#: Complaints per member per active month.
COMPLAINT_RATE = 0.05
#: Planted: coupon redemption among members still active when the coupon is sent.
COUPON_REDEMPTION = {"A": 0.25, "B": 0.35}
COUPON_SEND_DATE = pd.Timestamp("2025-06-02")

_PRODUCTS = {
    "T1": [
        ("Grape Cloud Cheese Tea", "多肉葡萄芝芝", "cheese foam tea", 32),
        ("Strawberry Jasmine", "草莓茉莉", "fruit tea", 29),
        ("Peach Oolong", "蜜桃乌龙", "fruit tea", 28),
        ("Jasmine Milk Green", "茉莉奶绿", "milk tea", 26),
        ("Brown Sugar Pearl Milk", "黑糖珍珠鲜奶", "milk tea", 27),
        ("Mango Pomelo Sago", "杨枝甘露", "fruit tea", 30),
        ("Pure Jasmine Tea", "纯茉莉", "pure tea", 25),
        ("Matcha Cream Latte", "抹茶奶霜", "cheese foam tea", 33),
        ("Orange Cheese Tea", "橙香芝士", "cheese foam tea", 31),
        ("Egg Tart", "葡式蛋挞", "snack", 12),
    ],
    "T2": [
        ("Lotus Latte", "荷香拿铁", "milk tea", 18),
        ("Osmanthus Oolong Milk", "桂花乌龙奶茶", "milk tea", 19),
        ("Nut Cream Tea", "坚果奶霜茶", "milk tea", 22),
        ("Scarlet Pomelo", "红柚", "fruit tea", 20),
        ("Rose Pu'er", "玫瑰普洱", "pure tea", 16),
        ("Plum Blossom Black Tea", "梅花红茶", "pure tea", 17),
        ("Bamboo Lemon", "竹影柠檬", "fruit tea", 18),
        ("Sesame Cream Latte", "芝麻奶霜", "milk tea", 21),
        ("Red Bean Milk Tea", "红豆奶茶", "milk tea", 19),
        ("Osmanthus Cake", "桂花糕", "snack", 12),
    ],
    "T3": [
        ("Fresh Lemonade", "冰鲜柠檬水", "lemonade", 4),
        ("Pearl Milk Tea", "珍珠奶茶", "milk tea", 6),
        ("Soft Ice Cream", "冰淇淋甜筒", "ice cream", 3),
        ("Passion Fruit Tea", "百香果双响炮", "fruit tea", 6),
        ("Jasmine Green Tea", "茉莉绿茶", "pure tea", 4),
        ("Coconut Milk Tea", "椰果奶茶", "milk tea", 7),
        ("Orange Tea", "满杯橙", "fruit tea", 8),
        ("Sundae", "圣代", "ice cream", 6),
        ("Red Bean Milk Tea", "红豆奶茶", "milk tea", 7),
        ("Grapefruit Tea", "西柚茶", "fruit tea", 7),
    ],
}
_POPULARITY = 1 / np.arange(1, 11) ** 0.6  # the first products on each menu sell best

_COLLAB_PARTNERS = [
    ("Moon Rabbit", "月兔", "animation"),
    ("Pixel Knights", "像素骑士", "video game"),
    ("Tang Poetry Museum", "唐诗博物馆", "museum"),
    ("Cloud Cat", "云朵猫", "cartoon"),
    ("Star Voyage", "星际远航", "film"),
    ("Ink Garden", "墨园", "art studio"),
    ("Panda Band", "熊猫乐队", "music"),
    ("Jade Fox", "玉狐", "novel"),
]

_HOURS = {  # orders by hour of day, stores open 09:00-22:00
    "T1": np.r_[np.zeros(9), [1, 3, 6, 9, 8, 9, 10, 8, 6, 6, 7, 5, 3], np.zeros(2)],
    "T2": np.r_[np.zeros(9), [1, 3, 6, 8, 8, 9, 9, 8, 7, 8, 9, 8, 5], np.zeros(2)],
    "T3": np.r_[np.zeros(9), [2, 3, 5, 7, 7, 8, 10, 11, 9, 7, 6, 4, 2], np.zeros(2)],
}

_FEEDBACK_TEXT = {  # category -> (Chinese phrases, English phrases)
    "taste": (
        ["奶茶太甜了", "今天的茶味道很淡", "水果不新鲜", "口感和以前不一样"],
        ["way too sweet", "the tea tasted watery", "fruit was not fresh"],
    ),
    "waiting time": (
        ["排队等了四十分钟", "出杯太慢", "等了半个小时还没拿到"],
        ["waited 40 minutes in the queue", "the order took forever"],
    ),
    "service": (["店员态度很差", "服务员不理人", "点错单还不道歉"], ["staff were rude", "nobody answered my question"]),
    "hygiene": (["杯子上有污渍", "吸管包装破了", "桌子很脏"], ["found a hair in my drink", "the table was dirty"]),
    "price": (["价格太贵了", "涨价了不划算"], ["too expensive for what you get", "prices went up again"]),
    "delivery": (["外卖送晚了", "外卖洒了一半"], ["delivery arrived late", "the drink spilled during delivery"]),
    "packaging": (["包装漏了", "杯盖没盖紧"], ["the lid was loose", "the bag leaked"]),
    "praise": (["很好喝，会再来", "店员很热情", "环境很好"], ["great taste, will come back", "lovely store"]),
    "suggestion": (
        ["建议出少糖版本", "希望增加积分兑换", "建议开通预约取茶"],
        ["please add a low-sugar option", "would love a loyalty points shop"],
    ),
}
_COMPLAINT_CATEGORIES = {
    "T1": {
        "taste": 0.18,
        "waiting time": 0.22,
        "service": 0.15,
        "hygiene": 0.08,
        "price": 0.12,
        "delivery": 0.15,
        "packaging": 0.10,
    },
    "T2": {
        "taste": 0.12,
        "waiting time": 0.42,
        "service": 0.12,
        "hygiene": 0.06,
        "price": 0.05,
        "delivery": 0.13,
        "packaging": 0.10,
    },
    "T3": {
        "taste": 0.25,
        "waiting time": 0.15,
        "service": 0.18,
        "hygiene": 0.14,
        "price": 0.03,
        "delivery": 0.12,
        "packaging": 0.13,
    },
}
_FEEDBACK_CHANNELS = {"mini-program": 0.45, "hotline": 0.20, "delivery-app review": 0.25, "in-store": 0.10}
_RESPONSE_MEDIAN_HOURS = {"mini-program": 14.0, "hotline": 5.0, "delivery-app review": 30.0, "in-store": 3.0}
_BRAND_RESPONSE_FACTOR = {"T1": 0.8, "T2": 1.0, "T3": 1.5}

#: SERVQUAL dimensions and each brand's mean expectation / perception on a 1–7 scale.
SERVQUAL = list(SERVQUAL_DIMENSIONS)
_SERVQUAL_MEANS = {
    "T1": ([6.3, 6.2, 6.0, 5.8, 5.6], [6.4, 5.8, 4.9, 5.6, 5.0]),
    "T2": ([5.6, 6.0, 5.8, 5.4, 5.2], [6.1, 5.9, 4.3, 5.4, 5.3]),
    "T3": ([4.2, 5.0, 5.2, 4.6, 4.2], [4.3, 5.1, 5.4, 4.6, 4.4]),
}


def _brand_codes() -> list[str]:
    return list(BRANDS["brand_id"])


def make_stores() -> pd.DataFrame:
    rng = rng_for("tea/stores")
    parts = []
    for brand in _brand_codes():
        prof = PROFILE[brand]
        n = prof["n_stores"]
        cities = CITIES[CITIES["city_tier"].isin(prof["cities"]) | CITIES["city"].isin(prof["cities"])]
        if brand == "T1":
            cities = cities[cities["city"] != "Changsha"]
        city = cities.iloc[rng.integers(len(cities), size=n)].reset_index(drop=True)
        opened_before = rng.random(n) < 0.8  # a fifth of the stores open during 2024-2025
        open_day = np.where(opened_before, -rng.integers(30, 6 * 365, size=n), rng.integers(0, N_DAYS - 60, size=n))
        parts.append(
            pd.DataFrame(
                {
                    "brand_id": brand,
                    "city": city["city"],
                    "city_zh": city["city_zh"],
                    "province": city["province"],
                    "city_tier": city["city_tier"],
                    "site_type": draw_from(rng, list(prof["sites"]), list(prof["sites"].values()), n),
                    "ownership": np.where(rng.random(n) < prof["franchise_share"], "franchise", "direct"),
                    "open_day": open_day,
                }
            ).sort_values(["open_day", "city"], kind="stable")
        )
    stores = pd.concat(parts, ignore_index=True)
    stores.insert(0, "store_id", ids("S", len(stores), 3))
    stores["open_date"] = day_to_date(stores.pop("open_day").to_numpy())
    return stores


def make_campaigns() -> pd.DataFrame:
    """Collab campaigns (three weeks each, spread over the two years) and the coupon test."""
    rng = rng_for("tea/campaigns")
    rows = []
    partner = 0
    for brand in _brand_codes():
        k = PROFILE[brand]["collabs"]
        starts = np.linspace(30, N_DAYS - 90, k).astype(int) + rng.integers(-10, 10, size=k)
        for start in starts:
            name, name_zh, kind = _COLLAB_PARTNERS[partner % len(_COLLAB_PARTNERS)]
            partner += 1
            rows.append((brand, f"{name} collab", f"{name_zh}联名", "collab", name, kind, start, start + 20))
    coupon_day = (COUPON_SEND_DATE - day_to_date([0])[0]).days
    rows.append(("ALL", "Summer coupon test", "夏日优惠券测试", "coupon A/B test", "", "", coupon_day, coupon_day + 13))
    campaigns = pd.DataFrame(
        rows,
        columns=[
            "brand_id",
            "campaign_name",
            "campaign_name_zh",
            "campaign_type",
            "partner",
            "partner_kind",
            "start",
            "end",
        ],
    )
    campaigns.insert(0, "campaign_id", ids("CP", len(campaigns), 2))
    campaigns["start_date"] = day_to_date(campaigns.pop("start").to_numpy())
    campaigns["end_date"] = day_to_date(campaigns.pop("end").to_numpy())
    return campaigns


def make_products(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Each brand's menu, plus one limited drink per collab campaign."""
    rows = []
    for brand in _brand_codes():
        for name, name_zh, category, price in _PRODUCTS[brand]:
            rows.append((brand, name, name_zh, category, float(price), False, pd.NaT, pd.NaT))
        drinks = [p[3] for p in _PRODUCTS[brand] if p[2] not in ("snack", "ice cream")]
        special_price = float(min(np.median(drinks) + 3, max(drinks)))
        for c in campaigns[campaigns["brand_id"] == brand].itertuples():
            rows.append(
                (
                    brand,
                    f"{c.partner} Special",
                    c.campaign_name_zh.removesuffix("联名") + "联名特饮",
                    "collab special",
                    special_price,
                    True,
                    c.start_date,
                    c.end_date,
                )
            )
    products = pd.DataFrame(
        rows,
        columns=[
            "brand_id",
            "product_name",
            "product_name_zh",
            "category",
            "price",
            "is_collab",
            "available_from",
            "available_to",
        ],
    )
    products.insert(0, "product_id", ids("P", len(products), 3))
    return products


def _collab_windows(campaigns: pd.DataFrame, brand: str) -> np.ndarray:
    c = campaigns[(campaigns["brand_id"] == brand) & (campaigns["campaign_type"] == "collab")]
    start = (c["start_date"] - day_to_date([0])[0]).dt.days.to_numpy()
    end = (c["end_date"] - day_to_date([0])[0]).dt.days.to_numpy()
    return np.column_stack([start, end])


def _pick_store_open_by(rng, store_open_day: np.ndarray, store_rows: np.ndarray, day: np.ndarray) -> np.ndarray:
    """For each day, a random store among ``store_rows`` that is open by then (rows sorted by opening)."""
    open_days = store_open_day[store_rows]
    n_open = np.searchsorted(open_days, day, side="right")
    n_open = np.maximum(n_open, 1)
    return store_rows[(rng.random(day.size) * n_open).astype(int)]


def make_members(stores: pd.DataFrame, campaigns: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Members with their (hidden) visit rate and lifetime; the hidden columns start with '_'."""
    rng = rng_for("tea/members")
    store_open = (stores["open_date"] - day_to_date([0])[0]).dt.days.to_numpy()
    parts = []
    for brand in _brand_codes():
        prof = PROFILE[brand]
        n = max(1, int(round(prof["members"] * scale)))
        collab = rng.random(n) < prof["collab_join_share"]
        windows = _collab_windows(campaigns, brand)
        w = windows[rng.integers(len(windows), size=n)]
        join = np.where(
            collab,
            w[:, 0] + (rng.random(n) * (w[:, 1] - w[:, 0] + 1)).astype(int),
            rng.integers(0, N_DAYS - 14, size=n),
        )
        channel = draw_from(rng, ["in-store QR code", "mini-program", "delivery app"], [0.5, 0.35, 0.15], n)
        channel = np.where(collab, "collab campaign", channel)
        brand_rows = np.flatnonzero(stores["brand_id"].to_numpy() == brand)
        home = _pick_store_open_by(rng, store_open, brand_rows, join)
        join = np.maximum(join, store_open[home])
        lifetime = rng.exponential(prof["lifetime_months"] * DAYS_PER_MONTH, size=n)
        lifetime = np.where(collab, lifetime * COLLAB_LIFETIME_FACTOR, lifetime)
        parts.append(
            pd.DataFrame(
                {
                    "brand_id": brand,
                    "join_day": join,
                    "join_channel": channel,
                    "age_band": draw_from(rng, list(prof["ages"]), list(prof["ages"].values()), n),
                    "gender": np.where(rng.random(n) < prof["female_share"], "F", "M"),
                    "city": stores["city"].to_numpy()[home],
                    "home_store_id": stores["store_id"].to_numpy()[home],
                    "_home_row": home,
                    "_rate": rng.gamma(RATE_SHAPE, prof["monthly_rate"] / RATE_SHAPE, size=n) / DAYS_PER_MONTH,
                    "_end_day": join + 1 + lifetime.astype(int),
                }
            )
        )
    members = pd.concat(parts, ignore_index=True).sort_values(
        ["join_day", "brand_id"], kind="stable", ignore_index=True
    )
    members.insert(0, "member_id", ids("M", len(members), 6))
    return members


def _response_hours(rng, channel: np.ndarray, brand: np.ndarray) -> np.ndarray:
    median = (
        pd.Series(channel).map(_RESPONSE_MEDIAN_HOURS).to_numpy()
        * pd.Series(brand).map(_BRAND_RESPONSE_FACTOR).to_numpy()
    )
    return np.round(median * rng.lognormal(0.0, 0.9, size=channel.size), 1)


def _feedback_text(rng, category: np.ndarray) -> np.ndarray:
    out = np.empty(category.size, dtype=object)
    english = rng.random(category.size) < 0.2
    for cat, (zh, en) in _FEEDBACK_TEXT.items():
        rows = np.flatnonzero(category == cat)
        zh_pick = np.asarray(zh)[rng.integers(len(zh), size=rows.size)]
        en_pick = np.asarray(en)[rng.integers(len(en), size=rows.size)]
        out[rows] = np.where(english[rows], en_pick, zh_pick)
    return out


def make_complaints(members: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Complaints during each member's active time, and the members' end days after them.

    The first complaint of a member decides, through its response time, whether the member
    leaves within two weeks (the planted effect). Later complaints after that leaving vanish.
    """
    rng = rng_for("tea/complaints")
    join = members["join_day"].to_numpy()
    end = members["_end_day"].to_numpy()
    active_days = np.clip(np.minimum(end, N_DAYS) - join, 0, None)
    n = rng.poisson(COMPLAINT_RATE * active_days / DAYS_PER_MONTH)
    who = np.repeat(np.arange(len(members)), n)
    day = join[who] + (rng.random(who.size) * active_days[who]).astype(int)
    order = np.lexsort((day, who))
    who, day = who[order], day[order]
    brand = members["brand_id"].to_numpy()[who]
    channel = draw_from(rng, list(_FEEDBACK_CHANNELS), list(_FEEDBACK_CHANNELS.values()), who.size)
    hours = _response_hours(rng, channel, brand)
    first = group_rank(who) == 0
    slow = hours > SLOW_RESPONSE_HOURS
    leave_p = np.where(slow, CHURN_AFTER_COMPLAINT["slow"], CHURN_AFTER_COMPLAINT["fast"])
    leaves = first & (rng.random(who.size) < leave_p)
    new_end = end.copy()
    leave_day = day + 1 + rng.integers(0, 14, size=who.size)
    np.minimum.at(new_end, who[leaves], leave_day[leaves])
    keep = day < new_end[who]
    who, day, channel, hours, brand = who[keep], day[keep], channel[keep], hours[keep], brand[keep]
    category = np.empty(who.size, dtype=object)
    for b, weights in _COMPLAINT_CATEGORIES.items():
        rows = np.flatnonzero(brand == b)
        category[rows] = draw_from(rng, list(weights), list(weights.values()), rows.size)
    complaints = pd.DataFrame(
        {
            "_member_row": who,
            "day": day,
            "minute": times_of_day(rng, who.size, _HOURS["T2"]),
            "channel": channel,
            "rating": rng.choice([1, 2], size=who.size, p=[0.6, 0.4]),
            "category": category,
            "is_complaint": True,
            "response_hours": hours,
        }
    )
    return complaints, new_end


def make_orders(members: pd.DataFrame, stores: pd.DataFrame, end_day: np.ndarray) -> pd.DataFrame:
    """Orders: one on the day a member joins, then visits at the member's own rate until they lapse."""
    rng = rng_for("tea/orders")
    join = members["join_day"].to_numpy()
    stop = np.minimum(end_day, N_DAYS)
    active = np.clip(stop - join - 1, 0, None)
    peak = 1.45 * 1.25  # the highest month x weekday factor, so thinning only removes
    n = rng.poisson(members["_rate"].to_numpy() * peak * active)
    who = np.repeat(np.arange(len(members)), n)
    day = join[who] + 1 + (rng.random(who.size) * active[who]).astype(int)
    keep = thin_by_calendar(rng, day)
    who = np.r_[np.arange(len(members)), who[keep]]
    day = np.r_[join, day[keep]]
    brand = members["brand_id"].to_numpy()[who]
    minute = np.zeros(who.size, dtype=np.int64)
    channel = np.empty(who.size, dtype=object)
    extra_items = np.zeros(who.size)
    for b in _brand_codes():
        rows = np.flatnonzero(brand == b)
        minute[rows] = times_of_day(rng, rows.size, _HOURS[b])
        ch = PROFILE[b]["channels"]
        channel[rows] = draw_from(rng, list(ch), list(ch.values()), rows.size)
        extra_items[rows] = PROFILE[b]["extra_items"]
    store_row = _nearby_store(rng, stores, members["_home_row"].to_numpy()[who], day)
    return pd.DataFrame(
        {
            "_member_row": who,
            "day": day,
            "minute": minute,
            "channel": channel,
            "_store_row": store_row,
            "n_items": 1 + rng.poisson(extra_items),
        }
    )


def _nearby_store(rng, stores: pd.DataFrame, home_row: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Mostly the member's home store; one visit in six at another open store of the brand in that city."""
    store_open = (stores["open_date"] - day_to_date([0])[0]).dt.days.to_numpy()
    key = stores["brand_id"] + "|" + stores["city"]
    by_city = np.argsort(key.to_numpy(), kind="stable")
    sorted_keys = key.to_numpy()[by_city]
    first = np.searchsorted(sorted_keys, key.to_numpy(), side="left")
    size = np.searchsorted(sorted_keys, key.to_numpy(), side="right") - first
    other = by_city[first[home_row] + (rng.random(home_row.size) * size[home_row]).astype(int)]
    use_other = (rng.random(home_row.size) < 1 / 6) & (store_open[other] <= day)
    return np.where(use_other, other, home_row)


def make_coupon_sends(members: pd.DataFrame, end_day: np.ndarray, campaigns: pd.DataFrame) -> pd.DataFrame:
    """The A/B coupon test: every member who joined before the send date gets variant A or B."""
    rng = rng_for("tea/coupon_sends")
    send_day = (COUPON_SEND_DATE - day_to_date([0])[0]).days
    rows = np.flatnonzero(members["join_day"].to_numpy() < send_day)
    variant = np.where(rng.random(rows.size) < 0.5, "A", "B")
    active = end_day[rows] > send_day
    p = np.where(variant == "B", COUPON_REDEMPTION["B"], COUPON_REDEMPTION["A"])
    redeemed = active & (rng.random(rows.size) < p)
    redeem_day = send_day + rng.integers(0, 14, size=rows.size)
    return pd.DataFrame(
        {
            "campaign_id": campaigns.loc[campaigns["campaign_type"] == "coupon A/B test", "campaign_id"].iloc[0],
            "_member_row": rows,
            "variant": variant,
            "sent_day": send_day,
            "redeemed_day": np.where(redeemed, redeem_day, -1),
        }
    )


def _items(rng, orders: pd.DataFrame, members: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Order lines: regular drinks by popularity; during a collab, a third of drinks are the special."""
    order_row = np.repeat(np.arange(len(orders)), orders["n_items"].to_numpy())
    day = orders["day"].to_numpy()[order_row]
    brand = members["brand_id"].to_numpy()[orders["_member_row"].to_numpy()][order_row]
    product_row = np.zeros(order_row.size, dtype=np.int64)
    start = (products["available_from"] - day_to_date([0])[0]).dt.days.to_numpy()
    stop = (products["available_to"] - day_to_date([0])[0]).dt.days.to_numpy()
    for b in _brand_codes():
        rows = np.flatnonzero(brand == b)
        regular = np.flatnonzero((products["brand_id"] == b).to_numpy() & ~products["is_collab"].to_numpy())
        product_row[rows] = regular[rng.choice(regular.size, size=rows.size, p=_POPULARITY / _POPULARITY.sum())]
        for c in np.flatnonzero((products["brand_id"] == b).to_numpy() & products["is_collab"].to_numpy()):
            during = rows[(day[rows] >= start[c]) & (day[rows] <= stop[c])]
            product_row[during[rng.random(during.size) < 1 / 3]] = c
    quantity = np.where(rng.random(order_row.size) < 0.1, 2, 1)
    price = products["price"].to_numpy()[product_row]
    return pd.DataFrame(
        {
            "_order_row": order_row,
            "line_no": group_rank(order_row) + 1,
            "product_id": products["product_id"].to_numpy()[product_row],
            "quantity": quantity,
            "unit_price": price,
            "line_amount": quantity * price,
        }
    )


def _timestamp(day: np.ndarray, minute: np.ndarray) -> pd.DatetimeIndex:
    return day_to_date(day) + pd.to_timedelta(minute, unit="min")


def make_feedback(members, orders, complaints, stores) -> pd.DataFrame:
    """Complaints plus ordinary feedback (praise, suggestions, mild remarks) left after 4% of orders."""
    rng = rng_for("tea/feedback")
    after = orders.iloc[np.flatnonzero(rng.random(len(orders)) < 0.04)]
    n = len(after)
    category = draw_from(
        rng, ["praise", "suggestion", "taste", "waiting time", "price"], [0.45, 0.25, 0.12, 0.12, 0.06], n
    )
    channel = draw_from(rng, list(_FEEDBACK_CHANNELS), list(_FEEDBACK_CHANNELS.values()), n)
    brand = members["brand_id"].to_numpy()[after["_member_row"].to_numpy()]
    rating = np.where(
        category == "praise", rng.choice([4, 5], size=n, p=[0.4, 0.6]), rng.choice([3, 4], size=n, p=[0.6, 0.4])
    )
    ordinary = pd.DataFrame(
        {
            "_member_row": after["_member_row"].to_numpy(),
            "day": after["day"].to_numpy(),
            "minute": after["minute"].to_numpy() + 30,
            "channel": channel,
            "rating": rating,
            "category": category,
            "is_complaint": False,
            "response_hours": np.round(_response_hours(rng, channel, brand) * 1.5, 1),
        }
    )
    home = members["_home_row"].to_numpy()
    ordinary["_store_row"] = after["_store_row"].to_numpy()
    complaints = complaints.assign(_store_row=home[complaints["_member_row"].to_numpy()])
    fb = pd.concat([complaints, ordinary], ignore_index=True)
    fb["minute"] = np.minimum(fb["minute"], 24 * 60 - 1)
    fb = fb.sort_values(["day", "minute", "_member_row"], kind="stable", ignore_index=True)
    row = fb["_member_row"].to_numpy()
    return pd.DataFrame(
        {
            "feedback_id": ids("F", len(fb), 5),
            "member_id": members["member_id"].to_numpy()[row],
            "brand_id": members["brand_id"].to_numpy()[row],
            "store_id": stores["store_id"].to_numpy()[fb["_store_row"].to_numpy()],
            "created_at": _timestamp(fb["day"].to_numpy(), fb["minute"].to_numpy()),
            "channel": fb["channel"].to_numpy(),
            "rating": fb["rating"].to_numpy(),
            "category": fb["category"].to_numpy(),
            "is_complaint": fb["is_complaint"].to_numpy(),
            "text": _feedback_text(rng, fb["category"].to_numpy()),
            "response_hours": fb["response_hours"].to_numpy(),
        }
    )


def make_surveys(members: pd.DataFrame, end_day: np.ndarray) -> pd.DataFrame:
    """SERVQUAL expectation and perception (1–7) and NPS (0–10) from a sample of active members."""
    rng = rng_for("tea/surveys")
    join = members["join_day"].to_numpy()
    stop = np.minimum(end_day, N_DAYS)
    eligible = np.flatnonzero((stop - join > 14) & (rng.random(len(members)) < 0.15))
    day = join[eligible] + 7 + (rng.random(eligible.size) * (stop[eligible] - join[eligible] - 7)).astype(int)
    brand = members["brand_id"].to_numpy()[eligible]
    cols = {
        "survey_id": ids("SV", eligible.size, 5),
        "member_id": members["member_id"].to_numpy()[eligible],
        "brand_id": brand,
        "survey_date": day_to_date(day),
    }
    gap = np.zeros(eligible.size)
    for i, dim in enumerate(SERVQUAL):
        exp_mean = pd.Series(brand).map({b: m[0][i] for b, m in _SERVQUAL_MEANS.items()}).to_numpy()
        perc_mean = pd.Series(brand).map({b: m[1][i] for b, m in _SERVQUAL_MEANS.items()}).to_numpy()
        expectation = np.clip(np.round(exp_mean + rng.normal(0, 0.7, eligible.size)), 1, 7)
        perception = np.clip(np.round(perc_mean + rng.normal(0, 0.8, eligible.size)), 1, 7)
        cols[f"expectation_{dim}"] = expectation.astype(int)
        cols[f"perception_{dim}"] = perception.astype(int)
        gap += perception - expectation
    cols["nps_score"] = np.clip(np.round(8.2 + 0.35 * gap + rng.normal(0, 1.5, eligible.size)), 0, 10).astype(int)
    return pd.DataFrame(cols).sort_values(["survey_date", "survey_id"], kind="stable", ignore_index=True)


def generate_tea(scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """All tables of the tea chain, keyed by table name."""
    stores = make_stores()
    campaigns = make_campaigns()
    products = make_products(campaigns)
    members = make_members(stores, campaigns, scale)
    complaints, end_day = make_complaints(members)
    visits = make_orders(members, stores, end_day)
    sends = make_coupon_sends(members, end_day, campaigns)

    # Redeemed coupons become orders of their own, with the coupon's value off.
    redeemed = sends[sends["redeemed_day"] >= 0]
    rng = rng_for("tea/coupon_orders")
    coupon_orders = pd.DataFrame(
        {
            "_member_row": redeemed["_member_row"].to_numpy(),
            "day": redeemed["redeemed_day"].to_numpy(),
            "minute": times_of_day(rng, len(redeemed), _HOURS["T2"]),
            "channel": "mini-program",
            "_store_row": members["_home_row"].to_numpy()[redeemed["_member_row"].to_numpy()],
            "n_items": 1 + rng.poisson(0.3, size=len(redeemed)),
            "_send_row": redeemed.index.to_numpy(),
        }
    )
    visits["_send_row"] = -1
    orders = pd.concat([visits, coupon_orders], ignore_index=True)
    orders = orders.sort_values(["day", "minute", "_member_row"], kind="stable", ignore_index=True)
    orders["order_id"] = np.arange(1, len(orders) + 1)

    items = _items(rng_for("tea/order_items"), orders, members, products)
    gross = np.bincount(items["_order_row"], weights=items["line_amount"], minlength=len(orders))
    member_row = orders["_member_row"].to_numpy()
    brand = members["brand_id"].to_numpy()[member_row]
    coupon_value = pd.Series(brand).map({b: p["coupon_value"] for b, p in PROFILE.items()}).to_numpy()
    discount = np.where(orders["_send_row"].to_numpy() >= 0, np.minimum(coupon_value, gross / 2), 0.0)
    send_ids = ids("CS", len(sends), 6)

    tables = {
        "brands": BRANDS.copy(),
        "stores": stores,
        "products": products,
        "members": members.assign(join_date=day_to_date(members["join_day"].to_numpy()))[
            ["member_id", "brand_id", "join_date", "join_channel", "age_band", "gender", "city", "home_store_id"]
        ],
        "orders": pd.DataFrame(
            {
                "order_id": orders["order_id"],
                "member_id": members["member_id"].to_numpy()[member_row],
                "brand_id": brand,
                "store_id": stores["store_id"].to_numpy()[orders["_store_row"].to_numpy()],
                "order_time": _timestamp(orders["day"].to_numpy(), orders["minute"].to_numpy()),
                "channel": orders["channel"],
                "n_items": np.bincount(items["_order_row"], weights=items["quantity"], minlength=len(orders)).astype(
                    int
                ),
                "gross_amount": gross,
                "discount": discount,
                "net_amount": gross - discount,
                "coupon_send_id": pd.array(
                    np.where(orders["_send_row"] >= 0, send_ids[orders["_send_row"].clip(0)], None), dtype="string"
                ),
            }
        ),
        "order_items": items.assign(order_id=orders["order_id"].to_numpy()[items["_order_row"].to_numpy()])[
            ["order_id", "line_no", "product_id", "quantity", "unit_price", "line_amount"]
        ],
        "campaigns": campaigns,
        "coupon_sends": pd.DataFrame(
            {
                "send_id": send_ids,
                "campaign_id": sends["campaign_id"],
                "member_id": members["member_id"].to_numpy()[sends["_member_row"].to_numpy()],
                "brand_id": members["brand_id"].to_numpy()[sends["_member_row"].to_numpy()],
                "variant": sends["variant"],
                "sent_date": day_to_date(sends["sent_day"].to_numpy()),
                "redeemed_date": day_to_date(sends["redeemed_day"].clip(0).to_numpy()).where(
                    sends["redeemed_day"].to_numpy() >= 0
                ),
            }
        ),
        "feedback": make_feedback(members, orders, complaints, stores),
        "surveys": make_surveys(members, end_day),
    }
    return tables
