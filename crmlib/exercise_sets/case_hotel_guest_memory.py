"""Exercises of casestudies/hotel_guest_memory/hotel_guest_memory.ipynb."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlib.cases.hotel import generate_hotel_stays
from crmlib.concepts import SingleChoice, SortIntoClasses
from crmlib.exercises import Exercise

__all__ = [
    "flattering_factor",
    "within_band_gap",
    "extras_ratio",
    "retention_deletions",
    "sensitive_share",
    "personalised_service",
    "customer_file_parts",
    "what_to_keep",
]

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


def _return_gap(frame: pd.DataFrame) -> float:
    rates = frame.groupby("recognised")["returned"].mean()
    return float(rates[True] - rates[False])


def _flattering_factor() -> float:
    s = _stays()
    followed = s[s["check_out"] <= _FOLLOW_UP_END]
    second_stays = followed[followed["stay_number"] == 2]
    return round(_return_gap(followed) / _return_gap(second_stays), 1)


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


flattering_factor = Exercise(
    "How many times larger is the flattering gap in return rate (recognised minus not, all stays with a full year "
    "of follow-up) than the same gap over second stays only?",
    answer=_flattering_factor,
    hint=[
        "Two gaps, each the return rate of recognised stays minus that of the other stays: one over all of "
        "`followed`, one over its rows with stay_number == 2.",
        "For each: group by 'recognised', take the mean of 'returned', subtract False from True. "
        "Then divide the first gap by the second.",
    ],
    decimals=1,
)

within_band_gap = Exercise(
    "Like for like: the recognised-minus-not gap in return rate within each stay-number band (2, 3, 4, 5, 6+), "
    "averaged with the bands' numbers of stays as weights",
    answer=_within_band_gap,
    hint=[
        "A weighted average: multiply each band's gap by its weight, add up, divide by the sum of the weights.",
        "by_band already holds the gap and the stays of each band: "
        "(by_band['gap'] * by_band['stays']).sum() / by_band['stays'].sum().",
    ],
    decimals=3,
)

extras_ratio = Exercise(
    "Like for like: extras per night of recognised stays divided by those of stays not recognised, within each "
    "stay-number band, averaged with the bands' numbers of stays as weights",
    answer=_extras_ratio,
    hint=[
        "Keep returning stays (stay_number >= 2); all of them count, since spend needs no follow-up.",
        "Group by ['band', 'recognised'], take the mean of 'extras_per_night' and .unstack(); each band's "
        "ratio is column True divided by column False. Weight the bands by their numbers of stays "
        "(groupby('band').size()), as in exercise 2.",
    ],
    decimals=3,
)

retention_deletions = Exercise(
    "Preference records a three-year retention rule deletes at the end of 2025: guests whose last check-out "
    "was before 2023-01-01 (a whole number)",
    answer=_retention_deletions,
    hint=[
        "You need each guest's last check-out, then a look-up for every preference record.",
        "hotel.stays.groupby('guest_id')['check_out'].max() gives the last check-out; map it onto "
        "prefs['guest_id'] and count the records before 2023-01-01.",
    ],
)

sensitive_share = Exercise(
    "Share of preference records that hold at least one sensitive value (from the notebook's list)",
    answer=_sensitive_share,
    hint=[
        "A record counts once, even if both its diet and its pillow are on the list.",
        "For each field of `sensitive`, prefs[field].isin(values) marks the records; combine the fields "
        "with | (or), then take the mean.",
    ],
    decimals=3,
)


# --------------------------------------------------------------------------------------------
# concept checks (概念自测)
# --------------------------------------------------------------------------------------------
personalised_service = SingleChoice(
    "A returning guest comes down to breakfast, and the waiter asks whether he would like his usual table by the "
    "window and the coffee he had last time. Which CCPR requirement does this serve most directly?",
    choices=["convenience 方便", "care 关怀", "personalisation 个性化", "prompt response 立即响应"],
    answer="C",
    feedback={
        "A": "Convenience makes buying easy for every guest (opening hours, booking, paying); the waiter's "
        "question only works for this guest.",
        "B": "The warmth is care, but what makes the moment special is that it uses what the hotel knows "
        "about this one guest.",
        "D": "Nothing here answers a problem or a signal in a hurry; the hotel acts on a preference it stored "
        "long ago.",
    },
    explanation="Personalisation treats each customer by what the firm knows about him. The customer file makes "
    "it possible at scale: the waiter need not remember, the system reminds him.",
    hint=["Would the same question make sense for a guest the hotel has never seen?"],
)

customer_file_parts = SortIntoClasses(
    "The hotel also keeps a file on each company that books rooms for its staff (a business customer). Sort each "
    "record into its part of the customer file (客户档案).",
    choices=[
        "who at the company signs the hotel contract, and who books the rooms",
        "room nights booked last year and the rates paid",
        "the company plans to open a new office in the city next year",
        "the company's address and the booker's phone number",
        "complaints its staff made during their stays",
        "the company's credit and how promptly it pays its invoices",
    ],
    classes=[
        "basic data 客户基本信息",
        "business situation 客户经营动向",
        "transaction history 客户历史交易状况",
    ],
    answer="A1 B3 C2 D1 E3 F2",
    feedback={
        "A": "Who decides, who influences and who executes is the organisation and decision structure, part "
        "of the basic data.",
        "B": "Volumes and prices of past business are the transaction history.",
        "C": "Plans and strategy describe how the customer's own business is developing.",
        "D": "Name, address and contacts are the basic data of any customer file.",
        "E": "The transaction history records complaints as well as sales.",
        "F": "Finances and credit belong to the customer's business situation.",
    },
    explanation="A business customer's file has three parts: basic data (including who decides), the business "
    "situation (its products, finances, credit, plans) and the transaction history (what it bought, at what "
    "price, with what profit and what complaints).",
    hint=[
        "Ask of each record: is it about who the customer is, how its business is going, or what it did with us?",
    ],
)

what_to_keep = SortIntoClasses(
    "Section 9 applies China's Personal Information Protection Law (《个人信息保护法》) to the guest file. Sort "
    "each item: may the hotel keep it, and on what terms?",
    choices=[
        "the guest's religion",
        "a feather pillow",
        "'nut allergy', as a note for the kitchen",
        "a copy of the doctor's letter about the allergy",
        "a high floor, on the quiet side",
        "'no pork, no alcohol in sauces', as a note for the kitchen",
    ],
    classes=[
        "keep with the ordinary consent",
        "keep only with separate consent (sensitive)",
        "do not keep",
    ],
    answer="A3 B1 C2 D3 E1 F2",
    feedback={
        "A": "The kitchen needs the instruction, not the reason. Keeping the religion itself goes beyond what the "
        "purpose needs (minimum necessity, 最小必要原则).",
        "B": "A pillow type reveals nothing sensitive; the guest's ordinary consent covers it.",
        "C": "An allergy is health information, sensitive personal information: separate consent, strict "
        "necessity, and only the staff who need it see it.",
        "D": "The service needs to know what not to serve, not the medical record behind it.",
        "E": "A room preference is ordinary personal information, needed for the service.",
        "F": "The note can reveal a religion, so it is sensitive: keep it only with the guest's separate "
        "consent, and only as an instruction.",
    },
    explanation="Minimum necessity decides what is kept at all; sensitive personal information (敏感个人信息) "
    "needs separate consent. Storing the instruction instead of the reason keeps the service and drops the risk.",
    hint=[
        "Which items could reveal religion or health?",
        "Of those, which does the service really need, and which only explain why?",
    ],
)
