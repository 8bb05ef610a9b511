"""Shared pieces of the synthetic world: random streams, calendar patterns, people and places.

Everything here is vectorised NumPy; nothing loops over customers.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

#: The seed of the whole synthetic world. Each table gets its own stream from it (see :func:`rng_for`).
WORLD_SEED = 20240101
START = pd.Timestamp("2024-01-01")
END = pd.Timestamp("2025-12-31")
#: Days in the world, 2024-01-01 .. 2025-12-31 inclusive.
N_DAYS = (END - START).days + 1


def rng_for(table: str) -> np.random.Generator:
    """A random generator of its own for one table, keyed by the table's name.

    Keying by name (not by position) means adding or changing one table never shifts the
    random numbers of another.
    """
    key = zlib.crc32(table.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(WORLD_SEED, spawn_key=(key,)))


def day_to_date(day: np.ndarray) -> pd.DatetimeIndex:
    """Turn day numbers (0 = 2024-01-01) into dates."""
    return START + pd.to_timedelta(np.asarray(day, dtype="int64"), unit="D")


# --- calendar rhythm -------------------------------------------------------------------------

_MONTH_FACTOR = np.array([0.80, 0.75, 0.90, 1.00, 1.10, 1.30, 1.45, 1.45, 1.15, 1.00, 0.85, 0.85])
_WEEKDAY_FACTOR = np.array([0.85, 0.85, 0.90, 0.95, 1.10, 1.25, 1.20])  # Monday .. Sunday


def _day_factors(month_weight: float) -> np.ndarray:
    days = pd.date_range(START, END, freq="D")
    season = 1 + month_weight * (_MONTH_FACTOR[days.month - 1] - 1)
    return season * _WEEKDAY_FACTOR[days.day_of_week]


def thin_by_calendar(rng: np.random.Generator, day: np.ndarray, month_weight: float = 1.0) -> np.ndarray:
    """Keep each candidate day with a probability that follows the season and the weekday.

    Candidates should be drawn at the peak rate; the kept ones then follow the calendar.
    """
    factors = _day_factors(month_weight)
    return rng.random(day.size) < factors[day] / factors.max()


def draw_from(rng: np.random.Generator, options, weights, size: int) -> np.ndarray:
    """Draw ``size`` values from ``options`` with the given (unnormalised) weights."""
    p = np.asarray(weights, dtype=float)
    return np.asarray(options)[rng.choice(len(p), size=size, p=p / p.sum())]


# --- places ----------------------------------------------------------------------------------

#: (city, 城市, province, tier) — tiers follow the commonly published city-tier lists.
CITIES = pd.DataFrame(
    [
        ("Shanghai", "上海", "Shanghai", "tier 1"),
        ("Beijing", "北京", "Beijing", "tier 1"),
        ("Shenzhen", "深圳", "Guangdong", "tier 1"),
        ("Guangzhou", "广州", "Guangdong", "tier 1"),
        ("Chengdu", "成都", "Sichuan", "new tier 1"),
        ("Hangzhou", "杭州", "Zhejiang", "new tier 1"),
        ("Wuhan", "武汉", "Hubei", "new tier 1"),
        ("Nanjing", "南京", "Jiangsu", "new tier 1"),
        ("Xi'an", "西安", "Shaanxi", "new tier 1"),
        ("Changsha", "长沙", "Hunan", "new tier 1"),
        ("Suzhou", "苏州", "Jiangsu", "new tier 1"),
        ("Xiamen", "厦门", "Fujian", "tier 2"),
        ("Kunming", "昆明", "Yunnan", "tier 2"),
        ("Shangqiu", "商丘", "Henan", "tier 3"),
        ("Nanyang", "南阳", "Henan", "tier 3"),
        ("Ganzhou", "赣州", "Jiangxi", "tier 3"),
        ("Zhoukou", "周口", "Henan", "tier 3"),
        ("Hengyang", "衡阳", "Hunan", "tier 3"),
        ("Luohe", "漯河", "Henan", "tier 4"),
        ("Pingxiang", "萍乡", "Jiangxi", "tier 4"),
        ("Hebi", "鹤壁", "Henan", "tier 4"),
        ("Yingtan", "鹰潭", "Jiangxi", "tier 4"),
        ("Gushi", "固始", "Henan", "tier 5"),
        ("Dengzhou", "邓州", "Henan", "tier 5"),
        ("Ruichang", "瑞昌", "Jiangxi", "tier 5"),
        ("Lianyuan", "涟源", "Hunan", "tier 5"),
    ],
    columns=["city", "city_zh", "province", "city_tier"],
)
CITY_TIERS = ["tier 1", "new tier 1", "tier 2", "tier 3", "tier 4", "tier 5"]

#: Retail regions and a few cities in each.
REGIONS = {
    "East": ["Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Hefei"],
    "North": ["Beijing", "Tianjin", "Jinan", "Shijiazhuang"],
    "South": ["Guangzhou", "Shenzhen", "Xiamen", "Nanning"],
    "Central": ["Wuhan", "Changsha", "Zhengzhou"],
    "West": ["Chengdu", "Chongqing", "Xi'an", "Kunming"],
}

# --- people ----------------------------------------------------------------------------------

_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
_SURNAME_PINYIN = (
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang "
    "xie song tang xu han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai yu du ye cheng "
    "su wei lv ding ren shen yao lu"
).split()
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美娅晨阳欣怡子涵浩宇思雨博文佳琪梓萱俊熙")
_GIVEN_PINYIN = (
    "wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xiu ying hua hui qiao "
    "mei ya chen yang xin yi zi han hao yu si yu bo wen jia qi zi xuan jun xi"
).split()

#: Mobile number prefixes used by mainland carriers.
_MOBILE_PREFIXES = np.array(
    [
        130,
        131,
        132,
        133,
        134,
        135,
        136,
        137,
        138,
        139,
        150,
        151,
        152,
        153,
        155,
        156,
        157,
        158,
        159,
        166,
        173,
        175,
        176,
        177,
        178,
        180,
        181,
        182,
        183,
        184,
        185,
        186,
        187,
        188,
        189,
        191,
        198,
        199,
    ]
)
#: Domains reserved for examples (RFC 2606), so no synthetic address can reach a real person.
EMAIL_DOMAINS = np.array(["example.com", "example.org", "example.net"])


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chinese names (one or two given characters) and a pinyin handle for each."""
    s = rng.integers(len(_SURNAMES), size=n)
    g1 = rng.integers(len(_GIVEN), size=n)
    g2 = rng.integers(len(_GIVEN), size=n)
    two = rng.random(n) < 0.6
    sur = np.asarray(_SURNAMES)[s]
    giv = np.where(two, np.char.add(np.asarray(_GIVEN)[g1], np.asarray(_GIVEN)[g2]), np.asarray(_GIVEN)[g1])
    names = np.char.add(sur, giv)
    py = np.char.add(np.asarray(_SURNAME_PINYIN)[s], np.asarray(_GIVEN_PINYIN)[g1])
    py = np.where(two, np.char.add(py, np.asarray(_GIVEN_PINYIN)[g2]), py)
    return names, py


def mobile_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct, well-formed 11-digit mainland mobile numbers, e.g. '13812345678'."""
    prefix = _MOBILE_PREFIXES[rng.integers(len(_MOBILE_PREFIXES), size=n)]
    rest = rng.choice(10**8, size=n, replace=False)
    return np.char.add(prefix.astype(str), np.char.zfill(rest.astype(str), 8))


def emails(rng: np.random.Generator, handles: np.ndarray) -> np.ndarray:
    """Distinct e-mail addresses on reserved example domains: handle + two digits @ domain.

    Where two people would get the same address, the later one gets a suffix (``.2``, ``.3``, …).
    """
    n = len(handles)
    digits = np.char.zfill(rng.integers(0, 100, size=n).astype(str), 2)
    domain = EMAIL_DOMAINS[rng.integers(len(EMAIL_DOMAINS), size=n)]
    local = pd.Series(np.char.add(handles.astype(str), digits))
    taken = pd.Series(np.char.add(np.char.add(local.to_numpy().astype(str), "@"), domain))
    repeat = taken.groupby(taken).cumcount().to_numpy()
    local = np.where(repeat > 0, local + "." + (repeat + 1).astype(str), local)
    return np.char.add(np.char.add(local.astype(str), "@"), domain)


def ids(prefix: str, n: int, width: int) -> np.ndarray:
    """Readable identifiers: ids('M', 3, 6) -> ['M000001', 'M000002', 'M000003'].

    Numbers longer than ``width`` keep all their digits (``np.char.zfill`` of NumPy 1.x would
    cut them to ``width``, giving repeated ids).

    >>> ids("V", 100_001, 5)[[0, -1]].tolist()
    ['V00001', 'V100001']
    """
    numbers = np.arange(1, n + 1).astype(str)
    zeros = np.array(["0" * k for k in range(width + 1)])[np.maximum(width - np.char.str_len(numbers), 0)]
    return np.char.add(np.char.add(prefix, zeros), numbers)


def times_of_day(rng: np.random.Generator, n: int, hour_weights: np.ndarray) -> np.ndarray:
    """Minutes after midnight following an hourly profile (24 weights)."""
    hour = rng.choice(24, size=n, p=hour_weights / hour_weights.sum())
    return hour * 60 + rng.integers(0, 60, size=n)


def group_rank(group: np.ndarray) -> np.ndarray:
    """Position of each element within its (sorted, contiguous) group: 0, 1, 2, … per group."""
    n = group.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, n]))
    return np.arange(n) - first
