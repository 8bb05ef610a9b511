"""A synthetic luxury hotel that remembers its returning guests' preferences.

Case study ``casestudies/hotel_guest_memory``. :func:`generate_hotel_stays` builds three tables:
the guests, their stays from 2021 to 2025, and the preferences the hotel keeps for the guests
who agreed to it. A stay is **recognised** when the staff acted on the preferences on file
(the guest's favourite room side, pillow, diet, newspaper and language were ready on arrival).

>>> hotel = generate_hotel_stays(guests=300)
>>> hotel.tables
['guests', 'stays', 'preferences']
>>> hotel.stays.columns.tolist()[:5]
['stay_id', 'guest_id', 'stay_number', 'check_in', 'check_out']

How the data is made (the constants are module attributes; the case README gives the sizes):

* Each guest has a hidden **loyalty** q (Beta(``LOYALTY``)): the chance of coming back within a
  year after a stay that was not recognised. Loyal guests also spend more on extras: the
  guest's extras level per night is log-normal times (0.6 + 0.9 q). Neither is in the tables.
* First stays are spread evenly over 2021-01-01 .. 2025-12-31. After every stay the guest
  comes back with probability q + ``RETURN_LIFT`` if that stay was recognised (else q), 7 to
  365 days after check-out; a return after 2025-12-31 is not in the data.
* **Extras** (restaurant, spa, bar, laundry) of a stay: nights x Gamma, mean = the guest's level
  x (1 + ``EXTRAS_LIFT``) if the stay was recognised.
* **Recognition** needs preferences on file: never at a first stay, never for the guests who
  did not consent (``CONSENT_SHARE`` consent, independently of loyalty and spend). Before
  ``ROLLOUT`` the hotel relied on staff memory, so recognition depended on how often the guest
  had come: ``RECOGNISED_BEFORE`` by stay number. From ``ROLLOUT`` the guest-memory system
  prompts the staff for every returning guest with preferences on file: ``RECOGNISED_AFTER``.
  Frequent guests are loyal guests, so before the rollout recognised stays belong to guests who
  would have come back anyway: comparing recognised with unrecognised stays overstates the
  effect. Within one stay number, and across the rollout date, the comparison is fair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.datasets import Dataset

__all__ = [
    "generate_hotel_stays",
    "DEFAULT_SEED",
    "START",
    "END",
    "ROLLOUT",
    "RETURN_LIFT",
    "EXTRAS_LIFT",
    "RECOGNISED_BEFORE",
    "RECOGNISED_AFTER",
    "CONSENT_SHARE",
    "LOYALTY",
    "PREFERENCE_OPTIONS",
    "LANGUAGE_BY_COUNTRY",
    "SENSITIVE_VALUES",
    "ROOM_TYPES",
    "EXTRAS_LEVEL",
    "EXTRAS_SHAPE",
    "EXTRAS_SPREAD",
]

DEFAULT_SEED = 20240301
START = pd.Timestamp("2021-01-01")
END = pd.Timestamp("2025-12-31")
#: The day the guest-memory system went live for every returning guest with preferences on file.
ROLLOUT = pd.Timestamp("2024-01-01")

#: Recognition adds this much to the chance of coming back within a year (15 percentage points).
RETURN_LIFT = 0.15
#: Recognition raises the spend on extras by this share (+20%).
EXTRAS_LIFT = 0.20
#: Before the rollout: chance a returning, consenting guest is recognised at stay 2, 3, 4, 5, 6+.
RECOGNISED_BEFORE = (0.10, 0.30, 0.50, 0.70, 0.90)
#: From the rollout: chance a returning, consenting guest is recognised, whatever the stay number.
RECOGNISED_AFTER = 0.95
#: Share of guests who agree at their first stay that the hotel keeps their preferences.
CONSENT_SHARE = 0.80
#: Beta(a, b) of the guests' loyalty q (mean 0.4).
LOYALTY = (2.0, 3.0)
#: Extras per night: median level of a guest of loyalty 0.44 (CNY) and the sigma of its log.
EXTRAS_LEVEL, EXTRAS_SPREAD, EXTRAS_SHAPE = 380.0, 0.45, 3.0

#: Room types: (list price per night in CNY, share of guests who book it).
ROOM_TYPES = {"deluxe": (1800, 0.55), "executive": (2600, 0.30), "suite": (4800, 0.15)}
#: Season factor of the room rate by month (January .. December).
_SEASON = np.array([0.90, 0.95, 1.00, 1.05, 1.10, 1.00, 1.05, 1.05, 1.10, 1.20, 1.05, 1.15])

#: The preference fields and their values with their shares among consenting guests.
PREFERENCE_OPTIONS = {
    "room_preference": {
        "high floor": 0.35,
        "quiet side": 0.25,
        "river view": 0.20,
        "near the lift": 0.10,
        "no preference": 0.10,
    },
    "pillow": {"feather": 0.40, "memory foam": 0.25, "buckwheat": 0.20, "hypoallergenic": 0.15},
    "diet": {
        "no restriction": 0.62,
        "vegetarian": 0.10,
        "halal": 0.06,
        "no pork": 0.04,
        "nut allergy": 0.05,
        "gluten-free": 0.05,
        "low sugar (diabetic)": 0.08,
    },
    "newspaper": {
        "none": 0.35,
        "China Daily": 0.20,
        "People's Daily": 0.15,
        "South China Morning Post": 0.10,
        "Financial Times": 0.12,
        "Nikkei": 0.08,
    },
}
#: The guest's preferred language, by home country (drawn with these shares).
LANGUAGE_BY_COUNTRY = {
    "China": {"Mandarin": 0.85, "Cantonese": 0.05, "English": 0.10},
    "Hong Kong SAR": {"Cantonese": 0.70, "English": 0.20, "Mandarin": 0.10},
    "Japan": {"Japanese": 0.80, "English": 0.20},
    "Singapore": {"English": 0.60, "Mandarin": 0.40},
    "Korea": {"Korean": 0.80, "English": 0.20},
    "United Kingdom": {"English": 1.0},
    "United States": {"English": 1.0},
    "France": {"French": 0.70, "English": 0.30},
}
#: Preference values that reveal health or religion: sensitive personal information under PIPL art. 28.
SENSITIVE_VALUES = {
    "diet": ["halal", "no pork", "nut allergy", "gluten-free", "low sugar (diabetic)"],
    "pillow": ["hypoallergenic"],
}

_COUNTRIES = {
    "China": 0.74,
    "Hong Kong SAR": 0.06,
    "Japan": 0.06,
    "Singapore": 0.04,
    "Korea": 0.03,
    "United Kingdom": 0.03,
    "United States": 0.03,
    "France": 0.01,
}
_MAX_GAP = 365  # days from check-out to the next check-in, at most


def _check_guests(guests) -> int:
    return validate.whole_number(guests, "guests", minimum=50, maximum=200_000, example=4000)


def _pick(rng: np.random.Generator, options: dict, size: int) -> np.ndarray:
    labels = np.array(list(options), dtype=object)
    weights = np.array(list(options.values()), dtype=float)
    return labels[rng.choice(len(labels), size=size, p=weights / weights.sum())]


def generate_hotel_stays(guests: int = 6000, seed: int = DEFAULT_SEED) -> Dataset:
    """Guests, stays and recorded preferences of a synthetic luxury hotel, 2021–2025.

    Parameters
    ----------
    guests : number of guests (50–200,000); each has a first stay between 2021-01-01 and 2025-12-31.
    seed : random seed; the same seed gives the same tables.

    Returns
    -------
    A :class:`crmlib.datasets.Dataset` with three tables:

    * ``guests``: ``guest_id``, ``first_stay`` (date), ``home_country``, ``consent`` (agreed that
      preferences are kept);
    * ``stays``: ``stay_id``, ``guest_id``, ``stay_number`` (1 = first stay), ``check_in``,
      ``check_out``, ``nights``, ``room_type``, ``room_rate`` (CNY per night), ``extras_spend``
      (CNY for the whole stay), ``recognised`` (preferences on file were acted on);
    * ``preferences``: one row per consenting guest, recorded at check-out of the first stay:
      ``guest_id``, ``recorded_on``, ``room_preference``, ``pillow``, ``diet``, ``newspaper``,
      ``language``.

    Examples
    --------
    >>> hotel = generate_hotel_stays(guests=200, seed=1)
    >>> int(hotel.stays["stay_number"].min()), bool(hotel.stays.loc[hotel.stays["stay_number"] == 1, "recognised"].any())
    (1, False)
    """
    n = _check_guests(guests)
    streams = np.random.SeedSequence(validate.whole_number(seed, "seed", example=1)).spawn(3)
    rng_guests, rng_stays, rng_prefs = (np.random.default_rng(s) for s in streams)
    n_days = (END - START).days + 1
    rollout_day = (ROLLOUT - START).days

    # --- guests: hidden loyalty and extras level, consent, where they come from ---------------
    loyalty = rng_guests.beta(*LOYALTY, n)
    extras_level = EXTRAS_LEVEL * np.exp(EXTRAS_SPREAD * rng_guests.standard_normal(n)) * (0.6 + 0.9 * loyalty)
    consent = rng_guests.random(n) < CONSENT_SHARE
    first_day = rng_guests.integers(0, n_days, n)
    room_names = list(ROOM_TYPES)
    room_of_guest = rng_guests.choice(len(room_names), size=n, p=[w for _, w in ROOM_TYPES.values()])
    country = _pick(rng_guests, _COUNTRIES, n)

    # --- stays: one round per stay number, over the guests still coming back -------------------
    parts = []
    who = np.arange(n)
    day = first_day
    number = 1
    while who.size:
        m = who.size
        nights = np.minimum(1 + rng_stays.poisson(1.3, m), 10)
        before = day < rollout_day
        p_before = np.array(RECOGNISED_BEFORE)[np.minimum(number, 6) - 2] if number >= 2 else 0.0
        p_recognised = np.where(before, p_before, RECOGNISED_AFTER) if number >= 2 else np.zeros(m)
        recognised = consent[who] & (rng_stays.random(m) < p_recognised)
        mean_extras = extras_level[who] * np.where(recognised, 1 + EXTRAS_LIFT, 1.0)
        extras = nights * rng_stays.gamma(EXTRAS_SHAPE, mean_extras / EXTRAS_SHAPE)
        parts.append(
            pd.DataFrame(
                {
                    "guest": who,
                    "stay_number": number,
                    "day": day,
                    "nights": nights,
                    "extras_spend": np.round(extras, -1),
                    "recognised": recognised,
                }
            )
        )
        comes_back = rng_stays.random(m) < np.minimum(loyalty[who] + RETURN_LIFT * recognised, 0.97)
        gap = 7 + np.floor((_MAX_GAP - 7) * rng_stays.beta(1.3, 2.5, m)).astype(int)
        next_day = day + nights + gap
        keep = comes_back & (next_day < n_days)
        who, day, number = who[keep], next_day[keep], number + 1

    stays = pd.concat(parts, ignore_index=True).sort_values(
        ["day", "guest", "stay_number"], kind="stable", ignore_index=True
    )
    check_in = START + pd.to_timedelta(stays["day"], unit="D")
    room = np.array(room_names, dtype=object)[room_of_guest[stays["guest"].to_numpy()]]
    list_price = np.array([ROOM_TYPES[r][0] for r in room], dtype=float)
    rate = np.round(
        list_price * _SEASON[check_in.dt.month.to_numpy() - 1] * rng_stays.uniform(0.92, 1.08, len(stays)), -1
    )
    guest_ids = np.array([f"G{i + 1:05d}" for i in range(n)], dtype=object)
    stays = pd.DataFrame(
        {
            "stay_id": [f"S{i + 1:06d}" for i in range(len(stays))],
            "guest_id": guest_ids[stays["guest"].to_numpy()],
            "stay_number": stays["stay_number"].to_numpy(),
            "check_in": check_in,
            "check_out": check_in + pd.to_timedelta(stays["nights"], unit="D"),
            "nights": stays["nights"].to_numpy(),
            "room_type": room,
            "room_rate": rate,
            "extras_spend": stays["extras_spend"].to_numpy(),
            "recognised": stays["recognised"].to_numpy(),
        }
    )

    guests_table = pd.DataFrame(
        {
            "guest_id": guest_ids,
            "first_stay": START + pd.to_timedelta(first_day, unit="D"),
            "home_country": country,
            "consent": consent,
        }
    )
    guests_table = guests_table.sort_values(["first_stay", "guest_id"], ignore_index=True)

    # --- preferences: what consenting guests told the hotel at their first stay ---------------
    first = stays[stays["stay_number"] == 1].set_index("guest_id")["check_out"]
    kept = guest_ids[consent]
    prefs = pd.DataFrame({"guest_id": kept, "recorded_on": first.reindex(kept).to_numpy()})
    for field, options in PREFERENCE_OPTIONS.items():
        prefs[field] = _pick(rng_prefs, options, len(kept))
    home = pd.Series(country, index=guest_ids).reindex(kept).to_numpy()
    language = np.empty(len(kept), dtype=object)
    for place, options in LANGUAGE_BY_COUNTRY.items():
        mask = home == place
        language[mask] = _pick(rng_prefs, options, int(mask.sum()))
    prefs["language"] = language
    prefs = prefs.sort_values(["recorded_on", "guest_id"], ignore_index=True)
    return Dataset("hotel", {"guests": guests_table, "stays": stays, "preferences": prefs})
