"""Exercises of notebooks/04_information/02_data_quality_and_privacy.ipynb."""

from __future__ import annotations

import pandas as pd

from crmlib import information
from crmlib.concepts import MultipleChoice, SingleChoice, SortIntoClasses
from crmlib.datasets import load_retail
from crmlib.exercises import Exercise

__all__ = [
    "masked_phone",
    "valid_phone_share",
    "false_alarm_pairs",
    "email_reach",
    "quality_problems",
    "merge_rule",
    "masked_still_personal",
    "pipl_asks",
    "consent_message",
]


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
    survivor = dict(zip(confirmed["contact_id_2"], confirmed["contact_id_1"], strict=True))
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
    decimals=3,
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


# --- concept checks (概念自测) ------------------------------------------------------------------
quality_problems = SortIntoClasses(
    "Each of these is a data quality problem (数据质量问题) in a customer file. Which kind is it?",
    choices=[
        "a contact has a name but neither a phone number nor an e-mail address",
        "one row has '138 1234 5678', another '+86 13812345678'",
        "Wang Li is on file twice: once from the shop counter, once from the online shop",
        "e-mail addresses are written 'WANG@QQ.COM' in one system and 'wang@qq.com' in another",
        "the role field (decision maker, influencer ...) is empty for half the business contacts",
        "two records under one account share an e-mail address but spell the person's name differently",
    ],
    classes=["incomplete record 不完整", "inconsistent format 格式不一致", "duplicate record 重复记录"],
    answer="A1 B2 C3 D2 E1 F3",
    feedback={
        "A": "Nothing is written wrongly and nobody is on file twice; a field that should be filled is empty.",
        "B": "Both values may be the same number, only written in two ways; normalising fixes that.",
        "C": "One person, two records: that is a duplicate, even if each record on its own looks fine.",
        "D": "E-mail addresses do not depend on upper or lower case, so this is one value in two formats.",
        "E": "The field exists but has no value: the records are incomplete.",
        "F": "The same e-mail under one account points to one person recorded twice; the spelling is a clue, "
        "not a second person.",
    },
    explanation="Incomplete, inconsistent and duplicated records come mostly from separate systems and channels "
    "that each collect data their own way; a CRM system integrates them into one customer file.",
    hint=[
        "Ask: is something missing, written differently, or is one person on file more than once?",
        "Two ways of writing the same value is a format problem; two records of one person is a duplicate.",
    ],
)

merge_rule = SingleChoice(
    "The duplicate rules flag two contact records as the same person. What is the right next step?",
    choices=[
        "delete the older record, since the newer one has the newer details",
        "keep both records: deleting customer data is never allowed",
        "check the pair with a second piece of evidence (e.g. the address), then merge it into one record "
        "that keeps the older id and the newest value of each field, and log the merge",
        "merge every flagged pair at once: the rules have already done the checking",
    ],
    answer="C",
    feedback={
        "A": "The older record carries the customer's history (orders, complaints, consent). Deleting it loses "
        "that history instead of joining it to the newer details.",
        "B": "Two records of one person count the customer twice, send her every message twice and split her "
        "history, so her value looks smaller than it is. Merging is not losing data.",
        "D": "A rule such as 'same name and city' also flags namesakes: different people with a common name. "
        "Merging them without a check mixes two customers' data.",
    },
    explanation="A flagged pair is a candidate, not a fact; once it is confirmed, one record with the whole "
    "history and the newest details serves the customer best, and the log lets the merge be undone.",
    hint=["Can a rule flag two different people?", "What happens to the history in the record you drop?"],
)

masked_still_personal = SingleChoice(
    "A file shows each customer's name as '王**', the phone as '138****5678', the city and the whole "
    "order history. Is this still personal information (个人信息) under PIPL?",
    choices=[
        "No: masking is anonymisation (匿名化), so the file may be shared freely",
        "Yes: masking is only de-identification (去标识化); together with the city and the order history it "
        "can still point to one person, so it must be protected",
        "No: only ID card numbers are personal information",
        "Yes, but only because the city is shown; without the city it would be anonymous",
    ],
    answer="B",
    feedback={
        "A": "Anonymised data can no longer be linked to anyone and cannot be restored. Masked data can often "
        "be linked back, so it is de-identified, not anonymised.",
        "C": "Personal information is any information that identifies or can identify a person: names, phone "
        "numbers, addresses and purchase records too, not only ID numbers.",
        "D": "The city is one clue, but the order history and the visible digits are clues too. Removing one "
        "column does not make the rest anonymous.",
    },
    explanation="Masking protects data on screens and in shared files, but masked data is still personal "
    "information and needs the same care.",
    hint=["Could someone who knows the customer recognise her in this file?", "Compare 去标识化 and 匿名化."],
)

pipl_asks = MultipleChoice(
    "Which of these does China's Personal Information Protection Law (个人信息保护法, PIPL) ask of the retailer? "
    "Pick every one that applies.",
    choices=[
        "get a customer's informed consent before sending her marketing messages",
        "give the marketing analyst only the columns her job needs, and no phone numbers",
        "use the delivery addresses for deliveries, not for a new purpose the customers were not told of",
        "delete or anonymise contact details once the purpose no longer needs them",
        "keep every record forever, as proof of what happened",
        "share the file freely with partner firms once names and phones are masked",
    ],
    answer="A B C D",
    feedback={
        "E": "PIPL asks the opposite: keep personal information no longer than the purpose needs (storage "
        "limitation), then delete or anonymise it.",
        "F": "Masked data is still personal information. Giving it to another firm is a new purpose and "
        "needs a separate consent.",
    },
    explanation="Consent, minimum necessary (最小必要), purpose limitation (目的限制) and storage limitation are "
    "the principles a CRM team meets every day.",
    hint=["Four options describe PIPL principles.", "Look for consent, minimum necessary, purpose and storage."],
)

consent_message = SingleChoice(
    "A customer did not agree to receive marketing (consent_marketing is False). Which message may the "
    "retailer still send her?",
    choices=[
        "a 20 % coupon for the spring sale",
        "the delivery time of the order she placed yesterday",
        "a birthday greeting with a discount code",
        "an invitation to join the loyalty programme",
    ],
    answer="B",
    feedback={
        "A": "A coupon is advertising, and advertising needs her consent.",
        "C": "The greeting is friendly, but the discount code makes it a marketing message, which needs consent.",
        "D": "Inviting her to a programme promotes the firm's offer: that is marketing too.",
    },
    explanation="Service messages about the customer's own orders serve the purpose she gave her data for; "
    "advertising is a different purpose and needs her consent.",
    hint="Which message is about something she already asked the firm to do?",
)
