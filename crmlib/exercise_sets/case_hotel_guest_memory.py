"""Exercises of casestudies/hotel_guest_memory/hotel_guest_memory.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.cases.hotel import generate_hotel_stays
from crmlib.exercises import Exercise

__all__ = ["naive_return_gap", "within_band_gap", "extras_ratio", "retention_deletions", "sensitive_share"]

_FOLLOW_UP_END = pd.Timestamp("2024-12-31")
_RETENTION_CUTOFF = pd.Timestamp("2023-01-01")  # three years before the end of the data (2025-12-31)
#: The hotel's own list of preference values that reveal health or religion (as in the notebook).
_SENSITIVE = {
    "diet": ["halal", "no pork", "nut allergy", "gluten-free", "low sugar (diabetic)"],
    "pillow": ["hypoallergenic"],
}


@lru_cache(maxsize=1)
def _hotel():
    return generate_hotel_stays()


@lru_cache(maxsize=1)
def _stays() -> pd.DataFrame:
    """Stays with the columns the notebook builds: returned, extras_per_night, band."""
    s = _hotel().stays.sort_values(["guest_id", "stay_number"]).copy()
    next_in = s.groupby("guest_id")["check_in"].shift(-1)
    s["returned"] = (next_in - s["check_out"]).dt.days <= 365
    s["extras_per_night"] = s["extras_spend"] / s["nights"]
    s["band"] = s["stay_number"].clip(upper=6)
    return s


def _weighted_gap(frame: pd.DataFrame, value: str, ratio: bool = False) -> float:
    table = frame.groupby(["band", "recognised"])[value].mean().unstack()
    effect = table[True] / table[False] if ratio else table[True] - table[False]
    weight = frame.groupby("band").size()
    return round(float((effect * weight).sum() / weight.sum()), 3)


def _naive_return_gap() -> float:
    s = _stays()
    rates = s[s["check_out"] <= _FOLLOW_UP_END].groupby("recognised")["returned"].mean()
    return round(float(rates[True] - rates[False]), 3)


def _within_band_gap() -> float:
    s = _stays()
    return _weighted_gap(s[(s["check_out"] <= _FOLLOW_UP_END) & (s["stay_number"] >= 2)], "returned")


def _extras_ratio() -> float:
    s = _stays()
    return _weighted_gap(s[s["stay_number"] >= 2], "extras_per_night", ratio=True)


def _retention_deletions() -> int:
    last_out = _hotel().stays.groupby("guest_id")["check_out"].max()
    prefs = _hotel().preferences
    return int((prefs["guest_id"].map(last_out) < _RETENTION_CUTOFF).sum())


def _sensitive_share() -> float:
    prefs = _hotel().preferences
    hit = pd.Series(False, index=prefs.index)
    for field, values in _SENSITIVE.items():
        hit |= prefs[field].isin(values)
    return round(float(hit.mean()), 3)


naive_return_gap = Exercise(
    "Return rate of recognised stays minus that of stays not recognised, over all stays with a full year "
    "of follow-up (3 decimals)",
    answer=_naive_return_gap,
    hint="Keep the stays that checked out on or before 2024-12-31, group them by 'recognised', take the mean "
    "of 'returned', and subtract: True minus False.",
    atol=5e-4,
)

within_band_gap = Exercise(
    "Like for like: the recognised-minus-not gap in return rate within each stay-number band (2, 3, 4, 5, 6+), "
    "averaged with the bands' numbers of stays as weights (3 decimals)",
    answer=_within_band_gap,
    hint="Keep returning stays (stay_number >= 2) with a full year of follow-up. Group by ['band', 'recognised'], "
    "take the mean of 'returned' and .unstack(); the gap of each band is column True minus column False. "
    "Weight each band by its number of stays (groupby('band').size()).",
    atol=5e-4,
)

extras_ratio = Exercise(
    "Like for like: extras per night of recognised stays divided by those of stays not recognised, within each "
    "stay-number band, averaged with the bands' numbers of stays as weights (3 decimals)",
    answer=_extras_ratio,
    hint="Keep returning stays (stay_number >= 2); all of them count, since spend needs no follow-up. Same steps "
    "as exercise 2 with 'extras_per_night', but divide column True by column False.",
    atol=5e-4,
)

retention_deletions = Exercise(
    "Preference records a three-year retention rule deletes at the end of 2025: guests whose last check-out "
    "was before 2023-01-01",
    answer=_retention_deletions,
    hint="Find each guest's last check_out (groupby('guest_id')['check_out'].max()), map it onto "
    "prefs['guest_id'], and count the records before 2023-01-01.",
)

sensitive_share = Exercise(
    "Share of preference records that hold at least one sensitive value (from the notebook's list), 3 decimals",
    answer=_sensitive_share,
    hint="For each field of `sensitive`, prefs[field].isin(values) marks the records; combine the fields "
    "with | (or), then take the mean.",
    atol=5e-4,
)
