"""The neighbourhood grocer: a shop's event log with a planted comparison-shopping signal.

Case study ``casestudies/grocer_ccpr``. :func:`generate_grocer_events` builds a small, synthetic
event stream of a corner shop and its regular customers: visits (entering and leaving), shelf
pick-ups and put-backs (from a smart shelf, recorded only for customers who opted in), price
checks, purchases at the till, and the shop's responses. The planted effects, documented with
their true sizes in ``casestudies/grocer_ccpr/README.md``:

* each customer has a few **habitual items**, bought on about :data:`HABITUAL_BUY` of visits;
* during the *watch window* (after the first :data:`LEARN_DAYS` days and before the last
  :data:`FOLLOW_DAYS`), a share :data:`COMPARISON` of customers has one **comparison-shopping
  visit**: they pick up one of their habitual items, put it back (often after a price check, and
  often picking it up and putting it back a second time) and leave without buying it;
* such a customer goes to a competitor for good (no later visit) with a probability that depends
  on how fast the shop responds (:data:`CHURN_BY_DELAY`);
* the comparison item is more often one that the competitor sells cheaper (:data:`SIGNAL_ITEM_WEIGHT`);
* the shop answers only the comparison visits it can see (customers who opted in), a share
  :data:`RESPONSE` of them, after a random delay; an answer that would fall at night goes out
  the next morning;
* put-backs of items that are not habitual, or that are bought in the end, carry no signal;
* every customer may also move away for reasons of their own (:data:`BACKGROUND_LEAVE`).

Customer ``G0001`` (Mr Zhang) is written in: soy sauce is one of his habits, and on 2025-03-26 he
compares it (price check, picked up twice) and is answered in person; the README has the details.

All randomness is vectorised NumPy from one seed; nothing loops over customers or visits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.datasets import Dataset
from crmlib.datasets._world import ids

__all__ = [
    "generate_grocer_events",
    "ITEMS",
    "EVENT_TYPES",
    "DEFAULT_SEED",
    "START",
    "LEARN_DAYS",
    "FOLLOW_DAYS",
    "CHURN_BY_DELAY",
    "VISITS_PER_WEEK",
    "HABITUAL_COUNT",
    "HABITUAL_BUY",
    "OTHER_BUY",
    "BROWSE",
    "RECHECK",
    "PRICE_CHECK",
    "CONSENT",
    "BACKGROUND_LEAVE",
    "COMPARISON",
    "SIGNAL_PRICE_CHECK",
    "SIGNAL_REPICK",
    "SIGNAL_ITEM_WEIGHT",
    "RESPONSE",
    "RESPONSE_DELAY_MIN",
]

#: The default seed: the same call always returns the same shop.
DEFAULT_SEED = 20250303
#: First day of the log (a Monday).
START = pd.Timestamp("2025-03-03")
#: Days in which the shop learns each customer's habits; no comparison visit falls in them.
LEARN_DAYS = 21
#: Days at the end of the log after the last comparison visit, to see who comes back.
FOLLOW_DAYS = 21

#: The shop's shelf: id, English and Chinese name, category, price and the competitor's price (CNY),
#: and popularity (weight when customers' habitual items are drawn).
ITEMS = pd.DataFrame(
    [
        ("I01", "soy sauce 500 ml", "酱油", "condiments", 13.5, 11.9, 3.0),
        ("I02", "rice vinegar", "米醋", "condiments", 8.5, 8.3, 1.5),
        ("I03", "cooking oil 5 L", "食用油", "staples", 69.9, 62.9, 2.0),
        ("I04", "rice 5 kg", "大米", "staples", 39.9, 38.5, 2.5),
        ("I05", "flour 2.5 kg", "面粉", "staples", 16.8, 16.9, 1.0),
        ("I06", "dried noodles", "挂面", "staples", 6.5, 6.2, 1.5),
        ("I07", "eggs (30)", "鸡蛋", "fresh", 24.0, 22.8, 3.0),
        ("I08", "milk 1 L", "牛奶", "dairy", 12.5, 12.9, 3.0),
        ("I09", "yoghurt (4)", "酸奶", "dairy", 9.9, 8.9, 2.0),
        ("I10", "bread", "面包", "bakery", 8.0, 8.5, 2.0),
        ("I11", "tofu", "豆腐", "fresh", 3.5, 3.5, 2.0),
        ("I12", "pork mince 500 g", "猪肉馅", "fresh", 18.0, 17.5, 1.5),
        ("I13", "tomatoes 1 kg", "西红柿", "fresh", 6.0, 5.2, 2.0),
        ("I14", "napa cabbage", "白菜", "fresh", 4.5, 4.3, 1.5),
        ("I15", "apples 1 kg", "苹果", "fresh", 12.0, 10.5, 2.0),
        ("I16", "bananas 1 kg", "香蕉", "fresh", 7.5, 7.6, 1.5),
        ("I17", "beer (6 cans)", "啤酒", "drinks", 29.0, 25.9, 1.5),
        ("I18", "bottled water (12)", "矿泉水", "drinks", 18.0, 16.8, 1.0),
        ("I19", "green tea 250 g", "绿茶", "drinks", 45.0, 46.0, 0.7),
        ("I20", "laundry liquid 2 kg", "洗衣液", "household", 32.9, 27.9, 1.0),
        ("I21", "toilet paper (10)", "卫生纸", "household", 25.9, 22.9, 1.2),
        ("I22", "dish soap", "洗洁精", "household", 9.9, 9.8, 0.8),
        ("I23", "instant noodles (5)", "方便面", "staples", 14.5, 13.9, 1.2),
        ("I24", "salt", "盐", "condiments", 3.0, 3.0, 0.8),
        ("I25", "white sugar", "白糖", "condiments", 7.5, 7.2, 0.7),
        ("I26", "chilli sauce", "辣椒酱", "condiments", 11.5, 11.0, 1.0),
    ],
    columns=["item_id", "item_name", "item_name_zh", "category", "price", "competitor_price", "_popularity"],
)

#: Event types in the log, in the order they are listed.
EVENT_TYPES = ["enter", "pick_up", "price_check", "put_back", "purchase", "leave", "response"]

VISITS_PER_WEEK = (2.0, 5.0)  # each customer's visit rate, uniform in this range
HABITUAL_COUNT = (2, 4)  # habitual items per customer, inclusive
HABITUAL_BUY = 0.4  # chance a visit includes a given habitual item
OTHER_BUY = 0.005  # chance a visit includes a given other item
BROWSE = 0.3  # chance a visit includes picking up and putting back one other item
RECHECK = 0.15  # chance a bought habitual item is first put back, then picked up again
PRICE_CHECK = 0.1  # chance a visit includes a price check of a random item
CONSENT = 0.8  # share of customers who opted in to the smart-shelf record
BACKGROUND_LEAVE = 0.05  # share who move away at a random day after LEARN_DAYS, whatever happens
COMPARISON = 0.4  # share with one comparison-shopping visit in the watch window
SIGNAL_PRICE_CHECK = 0.6  # chance the comparison visit includes a price check of the item
SIGNAL_REPICK = 0.5  # chance they come back to the shelf and pick the item up again
#: Weight of an item when a comparison shopper picks which habitual item to compare:
#: ``0.01 + max(0, (price − competitor_price) / price)``.
SIGNAL_ITEM_WEIGHT = 0.01
RESPONSE = 0.7  # share of seen comparison visits that the shop answers at all
RESPONSE_DELAY_MIN = (2.0, 72 * 60.0)  # answered after a log-uniform delay, minutes after the last put-back
#: Chance of going to the competitor for good after a comparison visit, by the shop's response
#: delay (minutes after the last put-back): up to 60 min, up to 24 h, later or never.
CHURN_BY_DELAY = ((60.0, 0.10), (24 * 60.0, 0.30), (np.inf, 0.60))

_SURNAMES = np.array(
    list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
)
_SLOTS = np.array([8.5, 12.5, 18.5]) * 60  # preferred shopping time (minutes after midnight): morning, noon, evening
_SLOT_SHARE = np.array([0.4, 0.2, 0.4])


def _top_k(rng: np.random.Generator, weights: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Per row, a mask of ``k[row]`` distinct columns drawn with the given weights (Gumbel top-k)."""
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    ranks = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return ranks < k[:, None]


def _one_of(rng: np.random.Generator, allowed: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Per row, one column among the allowed ones (weighted); -1 where none is allowed."""
    w = np.where(allowed, 1.0 if weights is None else weights, 0.0)
    with np.errstate(divide="ignore"):
        keys = np.log(w) + rng.gumbel(size=w.shape)
    pick = np.argmax(keys, axis=1)
    return np.where(allowed.any(axis=1), pick, -1)


def _customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    names = np.char.add(_SURNAMES[rng.integers(len(_SURNAMES), size=n)], np.where(rng.random(n) < 0.5, "先生", "女士"))
    names[0] = "张先生"
    household = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.15, 0.3, 0.3, 0.15, 0.1])
    household[0] = 3
    since_days = rng.integers(60, 15 * 365, size=n)
    since_days[0] = 12 * 365
    tab = rng.random(n) < 0.3
    tab[0] = True
    consent = rng.random(n) < CONSENT
    consent[0] = True
    return pd.DataFrame(
        {
            "customer_id": ids("G", n, 4),
            "name": names,
            "household_size": household.astype(np.int64),
            "regular_since": (START - pd.to_timedelta(since_days, unit="D")).astype("datetime64[s]"),
            "has_tab": tab,
            "shelf_consent": consent,
        }
    )


def generate_grocer_events(customers: int = 400, days: int = 70, seed: int | None = None) -> Dataset:
    """A corner shop's event log: visits, shelf pick-ups and put-backs, price checks, purchases, responses.

    Parameters
    ----------
    customers : number of regular customers (50–20,000).
    days : length of the log in days (49–365), starting on :data:`START`. The first
        :data:`LEARN_DAYS` days show habits only; comparison visits fall after them and at least
        :data:`FOLLOW_DAYS` days before the end.
    seed : random seed; ``None`` uses :data:`DEFAULT_SEED`. The same arguments give the same data.

    Returns
    -------
    A :class:`crmlib.datasets.Dataset` named ``grocer`` with three tables: ``customers`` (one row
    per regular customer), ``items`` (the shelf, with the competitor's prices) and ``events``
    (one row per event, in time order). See ``casestudies/grocer_ccpr/README.md``.

    Examples
    --------
    >>> shop = generate_grocer_events(customers=60, days=49, seed=1)
    >>> shop.tables
    ['customers', 'items', 'events']
    >>> shop.events["event_type"].cat.categories.tolist()
    ['enter', 'pick_up', 'price_check', 'put_back', 'purchase', 'leave', 'response']
    """
    n = validate.whole_number(customers, "customers", minimum=50, maximum=20_000, example=400)
    n_days = validate.whole_number(days, "days", minimum=LEARN_DAYS + FOLLOW_DAYS + 7, maximum=365, example=70)
    # One generator for the whole shop: the steps below draw from it in a fixed order, so the same
    # arguments give the same log (tests/test_case_grocer.py pins its bytes).
    rng = np.random.default_rng(np.random.SeedSequence(validate.seed(seed, default=DEFAULT_SEED)))
    traits = _draw_customers(rng, n, n_days)
    comes, signal_day = _draw_visit_days(rng, traits, n_days)
    comparison = _draw_comparison_visits(rng, traits, signal_day)
    answered, answer_s, churns = _draw_responses_and_churn(rng, traits, comparison, signal_day >= 0)
    comes &= ~(churns[:, None] & (np.arange(n_days)[None, :] > signal_day[:, None]))  # gone for good
    visits = _draw_visits(rng, traits, comes, signal_day, comparison)
    buy = _draw_purchases(rng, traits, visits)
    shelf = _draw_shelf_moments(rng, traits, visits, buy, comparison)
    events = _event_log(traits, visits, buy, shelf, answered, answer_s)
    return Dataset("grocer", {"customers": traits.table, "items": ITEMS.drop(columns="_popularity"), "events": events})


# --------------------------------------------------------------------------------------------
# the steps of generate_grocer_events, in the order it calls them
# --------------------------------------------------------------------------------------------
_SOY = 0  # Mr Zhang's soy sauce: the first item of ITEMS


@dataclass
class _Traits:
    """The customers' table and their hidden traits, one entry (or row) per customer."""

    table: pd.DataFrame
    consent: np.ndarray  # opted in to the smart-shelf record
    rate: np.ndarray  # visits per day
    habit: np.ndarray  # customers × items: the habitual items
    slot: np.ndarray  # preferred shopping time, minutes after midnight
    leave_day: np.ndarray  # first day they no longer come (n_days: they stay)
    compares: np.ndarray  # has a comparison-shopping visit in the watch window
    target: np.ndarray  # the comparison visit is their first visit on or after this day
    signal_item: np.ndarray  # the habitual item they compare


@dataclass
class _Comparison:
    """Each customer's comparison visit, drawn whether or not they have one (used where they do)."""

    start_min: np.ndarray  # when it starts, minutes after midnight
    shop_s: np.ndarray  # seconds among the shelves
    moments: np.ndarray  # customers × 5: pick up, price check, put back, pick up, put back (seconds after entering)
    checks: np.ndarray  # includes a price check of the item
    repick: np.ndarray  # picks the item up and puts it back a second time
    put_back_s: np.ndarray  # the last put-back, seconds after START


@dataclass
class _Visits:
    """One entry per visit, in customer-then-day order."""

    cust: np.ndarray  # the customer's position
    day: np.ndarray  # days after START
    shop_s: np.ndarray  # seconds among the shelves
    start_s: np.ndarray  # entering, seconds after START
    signal: np.ndarray  # positions of the comparison visits


def _moments(rng: np.random.Generator, size: int, start: np.ndarray, count: int) -> np.ndarray:
    """``count`` successive moments per row, 15–120 s apart, from ``start`` (seconds)."""
    gaps = rng.integers(15, 120, size=(size, count))
    return start[:, None] + np.cumsum(gaps, axis=1) - gaps[:, :1]


def _draw_customers(rng: np.random.Generator, n: int, n_days: int) -> _Traits:
    """Who the regulars are: the customers' table, then the hidden traits that drive their visits."""
    people = _customers(rng, n)
    rate = rng.uniform(*VISITS_PER_WEEK, size=n) / 7
    k = rng.integers(HABITUAL_COUNT[0], HABITUAL_COUNT[1] + 1, size=n)
    weights = np.tile(ITEMS["_popularity"].to_numpy(), (n, 1))
    weights[0, _SOY] = 1e9  # Mr Zhang always buys soy sauce here
    habit = _top_k(rng, weights, k)
    slot = _SLOTS[rng.choice(3, size=n, p=_SLOT_SHARE)]
    slot[0] = _SLOTS[2]  # he shops in the evening
    leaves = rng.random(n) < BACKGROUND_LEAVE
    leave_day = np.where(leaves, rng.integers(LEARN_DAYS, n_days, size=n), n_days)
    leave_day[0] = n_days
    compares = rng.random(n) < COMPARISON
    target = rng.integers(LEARN_DAYS, n_days - FOLLOW_DAYS, size=n)
    compares[0], target[0] = True, LEARN_DAYS + 2
    price = ITEMS["price"].to_numpy()
    gap = np.maximum(0.0, (price - ITEMS["competitor_price"].to_numpy()) / price)
    signal_item = _one_of(rng, habit, SIGNAL_ITEM_WEIGHT + gap[None, :])
    signal_item[0] = _SOY
    consent = people["shelf_consent"].to_numpy()
    return _Traits(people, consent, rate, habit, slot, leave_day, compares, target, signal_item)


def _draw_visit_days(rng: np.random.Generator, traits: _Traits, n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Which days each customer comes in (customers × days), and the day of their comparison visit (-1: none)."""
    day = np.arange(n_days)
    comes = (rng.random((len(traits.rate), n_days)) < traits.rate[:, None]) & (day[None, :] < traits.leave_day[:, None])
    comes[0, traits.target[0]] = True
    candidate = (
        comes
        & (day[None, :] >= traits.target[:, None])
        & (day[None, :] < n_days - FOLLOW_DAYS)
        & traits.compares[:, None]
    )
    signal_day = np.where(candidate.any(axis=1), np.argmax(candidate, axis=1), -1)
    return comes, signal_day


def _draw_comparison_visits(rng: np.random.Generator, traits: _Traits, signal_day: np.ndarray) -> _Comparison:
    """Each comparison visit: when it starts, how long it lasts, and its shelf moments (the item is not bought)."""
    n = len(signal_day)
    start_min = np.clip(traits.slot + rng.normal(0, 70, size=n), 7 * 60, 21.5 * 60)
    shop_s = rng.integers(180, 900, size=n)
    shop_s[0] = 840
    moments = _moments(rng, n, (rng.random(n) * 0.3 * shop_s).astype(np.int64), 5)
    checks = rng.random(n) < SIGNAL_PRICE_CHECK
    repick = rng.random(n) < SIGNAL_REPICK
    checks[0], repick[0] = True, True
    start_s = signal_day * 86400 + np.round(start_min * 60).astype(np.int64)
    put_back_s = start_s + np.where(repick, moments[:, 4], moments[:, 2])  # the last put-back
    return _Comparison(start_min, shop_s, moments, checks, repick, put_back_s)


def _draw_responses_and_churn(
    rng: np.random.Generator, traits: _Traits, comparison: _Comparison, has_signal: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether and when the shop answers each comparison visit, and who goes to the competitor for good.

    The shop answers only comparison visits it can see (customers who opted in); a message that
    would go out at night goes out after 07:00 the next morning. The chance of leaving depends on
    the delay (:data:`CHURN_BY_DELAY`). Returns ``answered``, ``answer_s`` (seconds after START)
    and ``churns``, one entry per customer.
    """
    n = len(has_signal)
    put_back_s = comparison.put_back_s
    answered = has_signal & traits.consent & (rng.random(n) < RESPONSE)
    low, high = np.log(RESPONSE_DELAY_MIN[0] * 60), np.log(RESPONSE_DELAY_MIN[1] * 60)
    answer_s = put_back_s + np.round(np.exp(rng.uniform(low, high, size=n))).astype(np.int64)
    answered[0], answer_s[0] = True, put_back_s[0] + 90  # the grocer has a word with Mr Zhang before he leaves
    clock = answer_s % 86400
    morning = answer_s - clock + 7 * 3600 + rng.integers(0, 1800, size=n)
    answer_s = np.where(clock < 7 * 3600, morning, np.where(clock >= 22 * 3600, morning + 86400, answer_s))
    delay_min = np.where(answered, (answer_s - put_back_s) / 60, np.inf)
    limits = np.array([limit for limit, _ in CHURN_BY_DELAY])
    churn_p = np.array([p for _, p in CHURN_BY_DELAY])[np.searchsorted(limits, delay_min, side="left")]
    churns = has_signal & (rng.random(n) < churn_p)
    churns[0] = False
    return answered, answer_s, churns


def _draw_visits(
    rng: np.random.Generator, traits: _Traits, comes: np.ndarray, signal_day: np.ndarray, comparison: _Comparison
) -> _Visits:
    """Every visit: when it starts and how long it lasts; a comparison visit keeps the times drawn for it."""
    cust, vday = np.nonzero(comes)
    nv = cust.size
    start_min = np.clip(traits.slot[cust] + rng.normal(0, 70, size=nv), 7 * 60, 21.5 * 60)
    shop_s = rng.integers(180, 900, size=nv)  # time among the shelves, seconds
    sv = np.flatnonzero(vday == signal_day[cust])
    start_min[sv], shop_s[sv] = comparison.start_min[cust[sv]], comparison.shop_s[cust[sv]]
    start_s = vday * 86400 + np.round(start_min * 60).astype(np.int64)
    return _Visits(cust, vday, shop_s, start_s, sv)


def _draw_purchases(rng: np.random.Generator, traits: _Traits, visits: _Visits) -> np.ndarray:
    """What each visit buys (visits × items): habitual items often, others rarely, never the compared item."""
    hv = traits.habit[visits.cust]
    buy = rng.random(hv.shape) < np.where(hv, HABITUAL_BUY, OTHER_BUY)
    zhang_learning = np.flatnonzero((visits.cust == 0) & (visits.day < LEARN_DAYS))
    buy[zhang_learning[::3], _SOY] = True  # his soy sauce, every third visit or so
    sv = visits.signal
    buy[sv, traits.signal_item[visits.cust[sv]]] = False
    return buy


def _draw_shelf_moments(
    rng: np.random.Generator, traits: _Traits, visits: _Visits, buy: np.ndarray, comparison: _Comparison
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every shelf event: its visit, item, event code and seconds after entering.

    Bought items are picked up (habitual ones sometimes put back and picked up again first); some
    visits browse one other item or check a price; the comparison visits add their own moments.
    """
    hv = traits.habit[visits.cust]
    nv, m = hv.shape
    shop_s = visits.shop_s
    shelf = []  # (visit, item, event code, seconds after entering)

    bv, bi = np.nonzero(buy)
    t0 = (rng.random(bv.size) * 0.6 * shop_s[bv]).astype(np.int64)
    recheck = hv[bv, bi] & (rng.random(bv.size) < RECHECK)
    t = _moments(rng, bv.size, t0, 3)
    plain = ~recheck
    shelf.append((bv[plain], bi[plain], np.full(plain.sum(), 1), t[plain, 0]))
    for j, code in enumerate([1, 3, 1]):
        shelf.append((bv[recheck], bi[recheck], np.full(recheck.sum(), code), t[recheck, j]))

    # browsing: one other item picked up and put back
    browse = rng.random(nv) < BROWSE
    other = _one_of(rng, ~hv & ~buy)
    bw = np.flatnonzero(browse & (other >= 0))
    t = _moments(rng, bw.size, (rng.random(bw.size) * 0.6 * shop_s[bw]).astype(np.int64), 2)
    shelf += [(bw, other[bw], np.full(bw.size, 1), t[:, 0]), (bw, other[bw], np.full(bw.size, 3), t[:, 1])]

    # a price check of any item
    pc = np.flatnonzero(rng.random(nv) < PRICE_CHECK)
    checked = rng.integers(m, size=pc.size)
    shelf.append((pc, checked, np.full(pc.size, 2), (rng.random(pc.size) * shop_s[pc]).astype(np.int64)))

    # the comparison visit's moments, drawn per customer in _draw_comparison_visits
    sv = visits.signal
    sc = visits.cust[sv]
    item_s, t, ck, rp = traits.signal_item[sc], comparison.moments[sc], comparison.checks[sc], comparison.repick[sc]
    shelf.append((sv, item_s, np.full(sv.size, 1), t[:, 0]))
    shelf.append((sv[ck], item_s[ck], np.full(ck.sum(), 2), t[ck, 1]))
    shelf.append((sv, item_s, np.full(sv.size, 3), t[:, 2]))
    shelf.append((sv[rp], item_s[rp], np.full(rp.sum(), 1), t[rp, 3]))
    shelf.append((sv[rp], item_s[rp], np.full(rp.sum(), 3), t[rp, 4]))
    s_visit, s_item, s_code, s_off = (np.concatenate(parts) for parts in zip(*shelf))
    return s_visit, s_item, s_code, s_off


def _event_log(
    traits: _Traits, visits: _Visits, buy: np.ndarray, shelf: tuple, answered: np.ndarray, answer_s: np.ndarray
) -> pd.DataFrame:
    """The events table: entering, shelf events, paying at the till, leaving and the shop's responses, in time order.

    Without consent only the till's receipts are kept. No randomness is drawn here.
    """
    s_visit, s_item, s_code, s_off = shelf
    cust, shop_s, start_s, sv = visits.cust, visits.shop_s, visits.start_s, visits.signal
    nv = cust.size
    last_shelf = np.zeros(nv, dtype=np.int64)
    np.maximum.at(last_shelf, s_visit, s_off)
    till = np.maximum(shop_s, last_shelf + 30)
    pv, pi = np.nonzero(buy)
    leave = till + np.where(buy.any(axis=1), 60, 10)

    # the shop's responses to comparison visits it saw
    rv = sv[answered[cust[sv]]]
    r_off = answer_s[cust[rv]] - start_s[rv]
    r_channel = np.where(r_off <= leave[rv], "in person", "message")

    visit = np.concatenate([np.arange(nv), s_visit, pv, np.arange(nv), rv])
    offset = np.concatenate([np.zeros(nv, dtype=np.int64), s_off, till[pv], leave, r_off])
    code = np.concatenate(
        [np.zeros(nv, dtype=np.int64), s_code, np.full(pv.size, 4), np.full(nv, 5), np.full(rv.size, 6)]
    )
    item = np.concatenate([np.full(nv, -1), s_item, pi, np.full(nv, -1), traits.signal_item[cust[rv]]])
    channel = np.concatenate([np.full(nv + s_visit.size + pv.size + nv, -1), np.where(r_channel == "in person", 0, 1)])
    seconds = start_s[visit] + offset
    recorded = traits.consent[cust[visit]] | (code == 4)  # without consent, only the till's receipts are kept
    order = np.lexsort((item, code, seconds))
    order = order[recorded[order]]

    visit_ids = np.empty(nv, dtype=object)
    visit_ids[np.lexsort((cust, start_s))] = ids("V", nv, 5)
    visit_col = visit_ids[visit[order]]
    visit_col[code[order] == 6] = None  # a response is not part of a visit
    item_ids = ITEMS["item_id"].to_numpy()
    price = ITEMS["price"].to_numpy()
    return pd.DataFrame(
        {
            "event_id": ids("E", order.size, 6),
            "timestamp": (START + pd.to_timedelta(seconds[order], unit="s")).astype("datetime64[s]"),
            "customer_id": traits.table["customer_id"].to_numpy()[cust[visit[order]]],
            "visit_id": pd.Series(visit_col, dtype="str").to_numpy(),
            "event_type": pd.Categorical.from_codes(code[order], categories=EVENT_TYPES),
            "item_id": pd.Series(
                np.where(item[order] >= 0, item_ids[np.maximum(item[order], 0)], None), dtype="str"
            ).to_numpy(),
            "channel": pd.Categorical.from_codes(channel[order], categories=["in person", "message"]),
            "amount": np.where(code[order] == 4, price[np.maximum(item[order], 0)], np.nan),
        }
    )
