"""Exercises of notebooks/04_information/02_data_quality_and_privacy.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import information
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = ["masked_phone", "valid_phone_share", "false_alarm_pairs", "email_reach"]


def _contacts() -> pd.DataFrame:
    return load_retail().contacts


def _masked_phone() -> str:
    contacts = _contacts()
    return str(information.mask_phone(contacts.loc[contacts["contact_id"] == "CT011642", "phone"]).iloc[0])


def _valid_phone_share() -> float:
    return round(float(information.phone_is_valid(_contacts()["phone"]).mean()), 3)


def _false_alarm_pairs() -> int:
    contacts = _contacts()
    pairs = information.find_duplicates(contacts)
    account = contacts.set_index("contact_id")["customer_id"]
    different = account.loc[pairs["contact_id_1"]].to_numpy() != account.loc[pairs["contact_id_2"]].to_numpy()
    return int(((pairs["rule"] == "same name and city") & different).sum())


def _merged() -> pd.DataFrame:
    """The merge of the notebook: address-confirmed pairs, newest non-missing value per field."""
    contacts = _contacts()
    confirmed = information.duplicate_pairs(contacts, confirm_address=True)
    survivor = dict(zip(confirmed["contact_id_2"], confirmed["contact_id_1"]))
    clean = contacts.assign(
        phone=information.normalise_phone(contacts["phone"]),
        email=information.normalise_email(contacts["email"]),
        keep_id=contacts["contact_id"].map(survivor).fillna(contacts["contact_id"]),
    )
    newest_first = clean.drop(columns="contact_id").sort_values("created_date", ascending=False, kind="stable")
    return newest_first.groupby("keep_id").first()


def _email_reach() -> int:
    merged = _merged()
    return int((merged["consent_marketing"] & information.email_is_valid(merged["email"])).sum())


masked_phone = Exercise(
    "The masked phone of contact CT011642, as information.mask_phone shows it",
    answer=_masked_phone,
    hint='Select the row with contacts["contact_id"] == "CT011642", take its phone column and pass it to '
    "information.mask_phone; the result is a Series, so take its first value with .iloc[0].",
)

valid_phone_share = Exercise(
    "Share of contact records whose phone is a valid mobile number (missing counts as not valid), 3 decimals",
    answer=_valid_phone_share,
    hint='information.phone_is_valid(contacts["phone"]) gives True/False per record, missing phones are False; '
    "the mean of True/False values is the share of True.",
    atol=5e-4,
)

false_alarm_pairs = Exercise(
    "Number of pairs found only by 'same name and city' whose two records belong to different customer accounts",
    answer=_false_alarm_pairs,
    hint='Keep the rows of pairs whose rule is exactly "same name and city", then count those whose '
    "same_customer column is False.",
)

email_reach = Exercise(
    "In the merged file, how many people agreed to marketing and have a valid e-mail address?",
    answer=_email_reach,
    hint='Combine two True/False columns with &: merged["consent_marketing"] and '
    'information.email_is_valid(merged["email"]); then count the True values with .sum().',
)
