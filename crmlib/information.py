"""Customer information management: data quality, duplicates, PII masking, a SQLite customer
database, and "also bought" recommendations.

A customer file (客户档案) is only useful when it is complete, consistent and safe to share.
The functions here follow that order::

    field_completeness(contacts)            # how full is each column?
    find_duplicates(contacts)               # the same person entered twice?
    mask_pii(contacts)                      # hide phones, e-mails and names before sharing
    build_sqlite(load_retail(), "crm.db")   # one database with keys and rules instead of loose files
    also_bought(order_items)                # what the file tells us to recommend

Phones are mainland-China mobile numbers (11 digits starting 13–19); e-mails are checked
with a simple pattern, not every rule of RFC 5322.
"""
from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib.validate import CRMDataError

__all__ = [
    "field_completeness",
    "record_completeness",
    "normalise_phone",
    "normalise_email",
    "normalise_name",
    "phone_is_valid",
    "email_is_valid",
    "find_duplicates",
    "mask_phone",
    "mask_email",
    "mask_name",
    "mask_pii",
    "PHONE_PATTERN",
    "EMAIL_PATTERN",
    "DUPLICATE_RULES",
    "SQLITE_SCHEMA",
    "build_sqlite",
    "also_bought",
]

#: A mainland-China mobile number after :func:`normalise_phone`: 1, then 3–9, then nine digits.
PHONE_PATTERN = r"1[3-9][0-9]{9}"
#: A plain e-mail address after :func:`normalise_email`: local part, one ``@``, a dotted domain.
EMAIL_PATTERN = r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"


# --------------------------------------------------------------------------------------------
# shared helpers (communicate uses them too)
# --------------------------------------------------------------------------------------------






def _blank(values: pd.Series) -> np.ndarray:
    """True where a value is missing or a string of spaces only."""
    missing = values.isna().to_numpy(dtype=bool)
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype) or isinstance(values.dtype, pd.CategoricalDtype):
        present = pd.Series(values.to_numpy(dtype=object)[~missing], dtype=object)
        missing = missing.copy()
        missing[~missing] = present.astype(str).str.strip().eq("").to_numpy(dtype=bool)
    return missing






def _join_flags(flags: pd.DataFrame, sep: str, none: str) -> pd.Series:
    """For each row, the names of the True columns joined by ``sep``, or ``none`` if there are none."""
    if flags.shape[1] == 0 or len(flags) == 0:
        return pd.Series(none, index=flags.index, dtype=object)
    names = np.array([f"{c}{sep}" for c in flags.columns], dtype=object)
    joined = np.where(flags.to_numpy(dtype=bool), names, "").astype(object).sum(axis=1)
    joined = pd.Series(joined, dtype=object).str[: -len(sep)].to_numpy(dtype=object)
    return pd.Series(np.where(joined == "", none, joined), index=flags.index, dtype=object)


def _fields(data: pd.DataFrame, name: str, fields) -> list:
    """The columns to profile: ``fields`` (one name or a list) or all columns; checked to exist and be unique."""
    wanted = [fields] if isinstance(fields, str) else fields
    validate.require_columns(data, name, [] if wanted is None else wanted)
    validate.not_empty(data, name)
    columns = list(data.columns) if wanted is None else list(wanted)
    if not columns:
        raise CRMDataError(f"{name}: no fields to check. Fix: pass fields=[...] with at least one column.")
    repeated = [c for c in columns if list(data.columns).count(c) > 1 or columns.count(c) > 1]
    if repeated:
        raise CRMDataError(f"{name}: column '{repeated[0]}' appears more than once. Fix: give every column its own name and list each field once.")
    return columns


# --------------------------------------------------------------------------------------------
# completeness
# --------------------------------------------------------------------------------------------
def field_completeness(data: pd.DataFrame, fields=None) -> pd.DataFrame:
    """How full each field (column) of a customer table is.

    A cell counts as missing when it is empty (NaN/None) or a string of spaces only.

    Parameters
    ----------
    data : any customer table, e.g. ``retail.contacts``.
    fields : the columns to check; all of them by default.

    Returns
    -------
    DataFrame with one row per field: ``field``, ``filled``, ``missing`` and ``share_filled``
    (filled / rows), in the order of ``fields``.

    Examples
    --------
    >>> contacts = pd.DataFrame({"name": ["王伟", "李娜", " "], "phone": ["13812345678", None, "13912345678"]})
    >>> field_completeness(contacts)
      field  filled  missing  share_filled
    0  name       2        1      0.666667
    1 phone       2        1      0.666667
    """
    columns = _fields(data, "data", fields)
    missing = pd.DataFrame({c: _blank(data[c]) for c in columns})
    counts = missing.sum()
    return pd.DataFrame({
        "field": [str(c) for c in columns],
        "filled": (len(data) - counts).to_numpy(dtype="int64"),
        "missing": counts.to_numpy(dtype="int64"),
        "share_filled": ((len(data) - counts) / len(data)).to_numpy(dtype="float64"),
    })


def record_completeness(data: pd.DataFrame, fields=None) -> pd.DataFrame:
    """How full each record (row) of a customer table is, and which fields it lacks.

    Missing means empty or blank, as in :func:`field_completeness`.

    Returns
    -------
    DataFrame indexed like ``data``: ``filled`` (number of filled fields), ``share_filled``
    and ``missing_fields`` (the empty fields joined by ``"; "``, or ``""`` for a full record).

    Examples
    --------
    >>> contacts = pd.DataFrame({"name": ["王伟", "李娜"], "phone": ["13812345678", None], "email": [None, ""]})
    >>> record_completeness(contacts)
       filled  share_filled missing_fields
    0       2      0.666667          email
    1       1      0.333333   phone; email
    """
    columns = _fields(data, "data", fields)
    missing = pd.DataFrame({c: _blank(data[c]) for c in columns}, index=data.index)
    filled = (~missing).sum(axis=1)
    return pd.DataFrame({
        "filled": filled.astype("int64"),
        "share_filled": filled / len(columns),
        "missing_fields": _join_flags(missing, "; ", ""),
    }, index=data.index)


# --------------------------------------------------------------------------------------------
# normalising and checking formats
# --------------------------------------------------------------------------------------------
def _series_column(values) -> str:
    return str(values.name) if isinstance(values, pd.Series) and values.name is not None else "values"


def _no_blanks(text: pd.Series) -> pd.Series:
    return text.where(text.notna() & (text != ""), np.nan).astype(object)


def _clean_phone(text: pd.Series) -> pd.Series:
    digits = (text.str.normalize("NFKC")
              .str.replace(r"[\s\-.()]", "", regex=True)
              .str.replace(r"^(?:\+86|0086|86(?=[0-9]{11}$))", "", regex=True))
    return _no_blanks(digits)


def _clean_email(text: pd.Series) -> pd.Series:
    return _no_blanks(text.str.normalize("NFKC").str.strip().str.lower())


def _clean_name(text: pd.Series) -> pd.Series:
    return _no_blanks(text.str.normalize("NFKC").str.replace(r"\s+", "", regex=True))


def normalise_phone(values: pd.Series) -> pd.Series:
    """Phone numbers in one plain form: digits only, without a +86 / 0086 country code.

    Full-width digits become ordinary digits; spaces, dashes, dots and brackets are dropped.
    Numbers that are still malformed (too short, too long) are kept as cleaned, so that
    :func:`phone_is_valid` can flag them; blanks become missing. Whole numbers (as a
    spreadsheet may store phones) are accepted.

    Examples
    --------
    >>> normalise_phone(pd.Series(["138 1234 5678", "+86 13812345678", "0086-138-1234-5678", "1381234567", " "])).tolist()
    ['13812345678', '13812345678', '13812345678', '1381234567', nan]
    """
    column = _series_column(values)
    return _clean_phone(validate.text(values, "values", column, numbers_ok=True)).rename(values.name)


def normalise_email(values: pd.Series) -> pd.Series:
    """E-mail addresses with surrounding spaces removed and letters in lower case.

    Full-width characters (e.g. ``＠``) become their ordinary form; blanks become missing.

    Examples
    --------
    >>> normalise_email(pd.Series(["  WANGWEI27@EXAMPLE.COM", "li.na@example.org", ""])).tolist()
    ['wangwei27@example.com', 'li.na@example.org', nan]
    """
    return _clean_email(validate.text(values, "values", _series_column(values))).rename(values.name)


def normalise_name(values: pd.Series) -> pd.Series:
    """Person names without any spaces, full-width letters turned into half-width ones.

    Chinese names are written without spaces, so ``"王 伟"`` and ``"王伟"`` are the same name.
    Blanks become missing.

    Examples
    --------
    >>> normalise_name(pd.Series([" 王 伟 ", "李\\u3000娜", "ＡＬＩＣＥ"])).tolist()
    ['王伟', '李娜', 'ALICE']
    """
    return _clean_name(validate.text(values, "values", _series_column(values))).rename(values.name)


def _matches(clean: pd.Series, pattern: str) -> pd.Series:
    return clean.str.fullmatch(pattern, na=False).astype(bool)


def phone_is_valid(values: pd.Series) -> pd.Series:
    """True where a phone, after :func:`normalise_phone`, is a mainland mobile number (``^1[3-9]\\d{9}$``).

    A missing phone is not valid.

    Examples
    --------
    >>> phone_is_valid(pd.Series(["138-1234-5678", "1381234567", "12345678901", None])).tolist()
    [True, False, False, False]
    """
    return _matches(normalise_phone(values), PHONE_PATTERN).rename(values.name)


def email_is_valid(values: pd.Series) -> pd.Series:
    """True where an e-mail, after :func:`normalise_email`, looks like ``local@domain.tld``.

    The pattern is deliberately simple: letters, digits and ``._%+-`` before one ``@``, a
    dotted domain after it. A missing e-mail is not valid.

    Examples
    --------
    >>> email_is_valid(pd.Series([" LI@EXAMPLE.COM", "wangwei27example.com", "wang wei@example.com", None])).tolist()
    [True, False, False, False]
    """
    return _matches(normalise_email(values), EMAIL_PATTERN).rename(values.name)


# --------------------------------------------------------------------------------------------
# duplicates
# --------------------------------------------------------------------------------------------
#: The rules of :func:`find_duplicates`, in the order they are listed in its ``rule`` column.
DUPLICATE_RULES = ("same phone", "same email", "same name and city")


def _pairs_sharing(key: pd.Series) -> pd.DataFrame:
    """Row positions (pos_1 < pos_2) of every two rows with the same non-missing key."""
    rows = pd.DataFrame({"key": key.to_numpy(dtype=object), "pos": np.arange(len(key))}).dropna(subset=["key"])
    pairs = rows.merge(rows, on="key", suffixes=("_1", "_2"))
    return pairs.loc[pairs["pos_1"] < pairs["pos_2"], ["pos_1", "pos_2"]]


def find_duplicates(
    contacts: pd.DataFrame,
    id: str = "contact_id",
    name: str = "contact_name",
    phone: str = "phone",
    email: str = "email",
    city: str = "city",
) -> pd.DataFrame:
    """Candidate pairs of records that may be the same person (重复客户).

    Three rules: **same phone**, **same email**, **same name and city**, each applied after
    normalising (:func:`normalise_phone`, :func:`normalise_email`, :func:`normalise_name`;
    names and cities are also compared without regard to case). Missing values never match.
    A pair found by several rules appears once. Pairs are candidates: two different people can
    share a common name in a big city, so a person should look before records are merged.

    Returns
    -------
    DataFrame with ``{id}_1`` (the record that comes first in ``contacts``), ``{id}_2`` and
    ``rule`` (the rules that matched, joined by ``"; "``), ordered as the records appear.

    Examples
    --------
    >>> contacts = pd.DataFrame({
    ...     "contact_id": ["c1", "c2", "c3", "c4"],
    ...     "contact_name": ["王伟", "王 伟", "李娜", "王伟"],
    ...     "phone": ["13812345678", "138-1234-5678", None, "13900000000"],
    ...     "email": ["wang@example.com", None, "li@example.com", " WANG@example.com"],
    ...     "city": ["Wuhan", "Wuhan", "Wuhan", "Changsha"]})
    >>> find_duplicates(contacts)
      contact_id_1 contact_id_2                          rule
    0           c1           c2  same phone; same name and city
    1           c1           c4                    same email
    """
    checked = validate.table(contacts, "contacts", {id: "key", name: "text", phone: "text", email: "text", city: "text"}, unique_key=id)
    keys = {
        "same phone": _clean_phone(validate.text(checked[phone], "contacts", phone, numbers_ok=True)),
        "same email": _clean_email(validate.text(checked[email], "contacts", email)),
        "same name and city": _clean_name(validate.text(checked[name], "contacts", name)).str.casefold()
        + "|" + _clean_name(validate.text(checked[city], "contacts", city)).str.casefold(),
    }
    found = pd.concat([_pairs_sharing(key).assign(rule=rule) for rule, key in keys.items()], ignore_index=True)
    ids = checked[id].to_numpy()
    columns = [f"{id}_1", f"{id}_2", "rule"]
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    flags = pd.crosstab([found["pos_1"], found["pos_2"]], found["rule"]).reindex(columns=list(DUPLICATE_RULES), fill_value=0) > 0
    pos_1 = flags.index.get_level_values(0).to_numpy()
    pos_2 = flags.index.get_level_values(1).to_numpy()
    return pd.DataFrame({columns[0]: ids[pos_1], columns[1]: ids[pos_2], "rule": _join_flags(flags, "; ", "").to_numpy()})


# --------------------------------------------------------------------------------------------
# masking personal information (PIPL)
# --------------------------------------------------------------------------------------------
def _stars(text: pd.Series) -> pd.Series:
    return text.str.replace(r"(?s).", "*", regex=True)


def _mask_phone(text: pd.Series) -> pd.Series:
    clean = _clean_phone(text)
    shown = clean.str[:3] + "****" + clean.str[-4:]
    return shown.where(_matches(clean, PHONE_PATTERN), _stars(clean)).where(clean.notna(), np.nan)


def _mask_email(text: pd.Series) -> pd.Series:
    clean = _clean_email(text)
    masked = clean.str.replace(r"^([^@\s])[^@]+@(?=[^@]+$)", r"\1***@", regex=True)
    return masked.where(masked.str.contains("***@", regex=False, na=False), _stars(clean)).where(clean.notna(), np.nan)


def _mask_name(text: pd.Series) -> pd.Series:
    clean = _clean_name(text)
    masked = clean.str[:1] + _stars(clean.str[1:])
    return masked.where(clean.str.len() > 1, _stars(clean)).where(clean.notna(), np.nan)


def mask_phone(values: pd.Series) -> pd.Series:
    """Phones with the middle four digits hidden: ``13812345678`` → ``138****5678``.

    Phones are normalised first (:func:`normalise_phone`). A value that is not a valid mobile
    number is replaced by stars only, so a malformed number is never shown. Missing stays missing.

    Examples
    --------
    >>> mask_phone(pd.Series(["13812345678", "+86 139 0000 1234", "12345", None])).tolist()
    ['138****5678', '139****1234', '*****', nan]
    """
    return _mask_phone(validate.text(values, "values", _series_column(values), numbers_ok=True)).rename(values.name)


def mask_email(values: pd.Series) -> pd.Series:
    """E-mails with the local part hidden after its first character: ``alice@example.com`` → ``a***@example.com``.

    The domain stays visible, and the number of stars is always three, so the length of the
    name is not revealed. A value without exactly one ``@`` or with a one-character local part
    becomes stars only. Missing stays missing.

    Examples
    --------
    >>> mask_email(pd.Series(["alice@example.com", " BOB@EXAMPLE.ORG", "no-at-sign", "a@x.cn", None])).tolist()
    ['a***@example.com', 'b***@example.org', '**********', '******', nan]
    """
    return _mask_email(validate.text(values, "values", _series_column(values))).rename(values.name)


def mask_name(values: pd.Series) -> pd.Series:
    """Names with every character after the first replaced by a star: ``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``.

    Keeping the surname's first character is the usual practice on Chinese receipts and
    delivery labels. A one-character name becomes ``*``. Missing stays missing.

    Examples
    --------
    >>> mask_name(pd.Series(["张三", "欧阳娜娜", "王", None])).tolist()
    ['张*', '欧***', '*', nan]
    """
    return _mask_name(validate.text(values, "values", _series_column(values))).rename(values.name)


def mask_pii(data: pd.DataFrame, phone: str | None = "phone", email: str | None = "email", name: str | None = "contact_name") -> pd.DataFrame:
    """A copy of ``data`` with its phone, e-mail and name columns masked (个人信息保护).

    Uses :func:`mask_phone`, :func:`mask_email` and :func:`mask_name`; pass ``None`` for a
    column the table does not have. Other columns are copied unchanged.

    Examples
    --------
    >>> contacts = pd.DataFrame({"contact_name": ["张三"], "phone": ["13812345678"], "email": ["zhangsan@example.com"], "city": ["Wuhan"]})
    >>> mask_pii(contacts)
      contact_name        phone             email   city
    0           张*  138****5678  z***@example.com  Wuhan
    """
    maskers = {column: masker for column, masker in ((phone, _mask_phone), (email, _mask_email), (name, _mask_name)) if column is not None}
    if not maskers:
        raise CRMDataError("mask_pii: phone, email and name are all None, so there is nothing to mask. Fix: name at least one column.")
    checked = validate.table(data, "data", {column: "text" for column in maskers})
    masked = {column: masker(validate.text(checked[column], "data", column, numbers_ok=column == phone)).to_numpy(dtype=object)
              for column, masker in maskers.items()}
    return checked.assign(**{c: pd.Series(v, index=checked.index, dtype=object) for c, v in masked.items()})


# --------------------------------------------------------------------------------------------
# the SQLite customer database
# --------------------------------------------------------------------------------------------
_SERVQUAL_CHECKS = "\n".join(
    f"    {side}_{dim} INTEGER NOT NULL CHECK ({side}_{dim} BETWEEN 1 AND 7),"
    for dim in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
    for side in ("expectation", "perception")
)

#: The CREATE TABLE statements of :func:`build_sqlite`, per dataset, tables in load order.
#: Dates are ISO text (``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM``), so they sort and
#: compare correctly and SQLite's date functions read them.
SQLITE_SCHEMA: dict[str, str] = {
    "retail": f"""
CREATE TABLE sales_reps (
    rep_id     TEXT PRIMARY KEY,
    rep_name   TEXT NOT NULL,
    team       TEXT NOT NULL CHECK (team IN ('new business', 'key accounts')),
    region     TEXT NOT NULL,
    hire_date  TEXT NOT NULL
);
CREATE TABLE customers (
    customer_id         TEXT PRIMARY KEY,
    customer_type       TEXT NOT NULL CHECK (customer_type IN ('consumer', 'business')),
    company_name        TEXT,
    industry            TEXT,
    industry_position   TEXT CHECK (industry_position IN ('niche', 'follower', 'major', 'leader')),
    cooperation_years   INTEGER CHECK (cooperation_years >= 0),
    region              TEXT NOT NULL,
    city                TEXT NOT NULL,
    acquisition_channel TEXT NOT NULL,
    signup_date         TEXT NOT NULL,
    account_manager_id  TEXT REFERENCES sales_reps (rep_id)
);
CREATE TABLE contacts (
    contact_id        TEXT PRIMARY KEY,
    customer_id       TEXT NOT NULL REFERENCES customers (customer_id),
    contact_name      TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('self', 'decision maker', 'influencer', 'executor', 'negotiator')),
    phone             TEXT,
    email             TEXT,
    city              TEXT NOT NULL,
    address           TEXT,
    consent_marketing INTEGER NOT NULL CHECK (consent_marketing IN (0, 1)),
    created_date      TEXT NOT NULL
);
CREATE TABLE leads (
    lead_id        TEXT PRIMARY KEY,
    created_date   TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('referral', 'trade show', 'website', 'social media', 'cold call')),
    rep_id         TEXT NOT NULL REFERENCES sales_reps (rep_id),
    company_name   TEXT NOT NULL,
    industry       TEXT NOT NULL,
    region         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('converted', 'disqualified')),
    lost_reason    TEXT,
    opportunity_id TEXT UNIQUE REFERENCES opportunities (opportunity_id)
);
CREATE TABLE opportunities (
    opportunity_id TEXT PRIMARY KEY,
    lead_id        TEXT NOT NULL UNIQUE REFERENCES leads (lead_id),
    customer_id    TEXT REFERENCES customers (customer_id),
    rep_id         TEXT NOT NULL REFERENCES sales_reps (rep_id),
    created_date   TEXT NOT NULL,
    stage          TEXT NOT NULL CHECK (stage IN ('prospecting', 'qualification', 'needs analysis', 'proposal', 'negotiation', 'won')),
    status         TEXT NOT NULL CHECK (status IN ('won', 'lost', 'open')),
    amount         REAL NOT NULL CHECK (amount >= 0),
    close_date     TEXT CHECK (close_date >= created_date),
    lost_reason    TEXT
);
CREATE TABLE activities (
    activity_id    TEXT PRIMARY KEY,
    rep_id         TEXT NOT NULL REFERENCES sales_reps (rep_id),
    customer_id    TEXT REFERENCES customers (customer_id),
    opportunity_id TEXT REFERENCES opportunities (opportunity_id),
    activity_date  TEXT NOT NULL,
    activity_type  TEXT NOT NULL CHECK (activity_type IN ('visit', 'call', 'e-mail', 'meeting')),
    duration_min   INTEGER NOT NULL CHECK (duration_min > 0),
    CHECK ((customer_id IS NULL) <> (opportunity_id IS NULL))
);
CREATE TABLE products (
    product_id      TEXT PRIMARY KEY,
    product_name    TEXT NOT NULL,
    product_name_zh TEXT NOT NULL,
    category        TEXT NOT NULL,
    category_zh     TEXT NOT NULL,
    list_price      REAL NOT NULL CHECK (list_price >= 0),
    unit_cost       REAL NOT NULL CHECK (unit_cost >= 0)
);
CREATE TABLE orders (
    order_id           INTEGER PRIMARY KEY,
    customer_id        TEXT NOT NULL REFERENCES customers (customer_id),
    order_date         TEXT NOT NULL,
    channel            TEXT NOT NULL CHECK (channel IN ('online', 'store', 'phone', 'account')),
    rep_id             TEXT REFERENCES sales_reps (rep_id),
    amount             REAL NOT NULL CHECK (amount >= 0),
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days >= 0),
    paid_date          TEXT
);
CREATE TABLE order_lines (
    order_id       INTEGER NOT NULL REFERENCES orders (order_id),
    line_no        INTEGER NOT NULL CHECK (line_no >= 1),
    product_id     TEXT NOT NULL REFERENCES products (product_id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    list_price     REAL NOT NULL CHECK (list_price >= 0),
    discount       REAL NOT NULL CHECK (discount >= 0),
    line_amount    REAL NOT NULL CHECK (line_amount >= 0),
    margin         REAL NOT NULL,  -- may be negative: some consumer lines sell below cost
    marketing_cost REAL NOT NULL CHECK (marketing_cost >= 0),
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE tickets (
    ticket_id            TEXT PRIMARY KEY,
    order_id             INTEGER NOT NULL UNIQUE REFERENCES orders (order_id),
    customer_id          TEXT NOT NULL REFERENCES customers (customer_id),
    complaint_type       TEXT NOT NULL CHECK (complaint_type IN ('product quality', 'purchase contract', 'delivery', 'service', 'suggestion')),
    channel              TEXT NOT NULL CHECK (channel IN ('hotline', 'online chat', 'e-mail', 'store')),
    received_at          TEXT NOT NULL,
    accepted_at          TEXT CHECK (accepted_at >= received_at),
    clarified_at         TEXT CHECK (clarified_at >= accepted_at),
    solution_proposed_at TEXT CHECK (solution_proposed_at >= clarified_at),
    followed_up_at       TEXT CHECK (followed_up_at >= solution_proposed_at),
    satisfaction_after   INTEGER CHECK (satisfaction_after BETWEEN 1 AND 5)
);
CREATE TABLE surveys (
    survey_id   TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL UNIQUE REFERENCES customers (customer_id),
    survey_date TEXT NOT NULL,
{_SERVQUAL_CHECKS}
    nps_score   INTEGER NOT NULL CHECK (nps_score BETWEEN 0 AND 10)
);
CREATE TABLE marketing_spend (
    month     TEXT NOT NULL,
    segment   TEXT NOT NULL CHECK (segment IN ('consumer', 'business')),
    channel   TEXT NOT NULL,
    spend_cny REAL NOT NULL CHECK (spend_cny >= 0),
    PRIMARY KEY (month, segment, channel)
);
""",
    "tea": f"""
CREATE TABLE brands (
    brand_id        TEXT PRIMARY KEY,
    brand_name      TEXT NOT NULL,
    brand_name_zh   TEXT NOT NULL,
    positioning     TEXT NOT NULL CHECK (positioning IN ('premium', 'regional', 'mass-market')),
    home_market     TEXT NOT NULL,
    drink_price_cny TEXT NOT NULL,
    target_customer TEXT NOT NULL,
    founded_year    INTEGER NOT NULL
);
CREATE TABLE stores (
    store_id  TEXT PRIMARY KEY,
    brand_id  TEXT NOT NULL REFERENCES brands (brand_id),
    city      TEXT NOT NULL,
    city_zh   TEXT NOT NULL,
    province  TEXT NOT NULL,
    city_tier TEXT NOT NULL CHECK (city_tier IN ('tier 1', 'new tier 1', 'tier 2', 'tier 3', 'tier 4', 'tier 5')),
    site_type TEXT NOT NULL,
    ownership TEXT NOT NULL CHECK (ownership IN ('direct', 'franchise')),
    open_date TEXT NOT NULL
);
CREATE TABLE products (
    product_id      TEXT PRIMARY KEY,
    brand_id        TEXT NOT NULL REFERENCES brands (brand_id),
    product_name    TEXT NOT NULL,
    product_name_zh TEXT NOT NULL,
    category        TEXT NOT NULL,
    price           REAL NOT NULL CHECK (price >= 0),
    is_collab       INTEGER NOT NULL CHECK (is_collab IN (0, 1)),
    available_from  TEXT,
    available_to    TEXT CHECK (available_to >= available_from)
);
CREATE TABLE members (
    member_id     TEXT PRIMARY KEY,
    brand_id      TEXT NOT NULL REFERENCES brands (brand_id),
    join_date     TEXT NOT NULL,
    join_channel  TEXT NOT NULL CHECK (join_channel IN ('in-store QR code', 'mini-program', 'delivery app', 'collab campaign')),
    age_band      TEXT NOT NULL CHECK (age_band IN ('under 18', '18-24', '25-34', '35-44', '45+')),
    gender        TEXT NOT NULL CHECK (gender IN ('F', 'M')),
    city          TEXT NOT NULL,
    home_store_id TEXT NOT NULL REFERENCES stores (store_id)
);
CREATE TABLE campaigns (
    campaign_id      TEXT PRIMARY KEY,
    brand_id         TEXT NOT NULL,  -- 'ALL' for the coupon test, so no REFERENCES brands
    campaign_name    TEXT NOT NULL,
    campaign_name_zh TEXT NOT NULL,
    campaign_type    TEXT NOT NULL CHECK (campaign_type IN ('collab', 'coupon A/B test')),
    partner          TEXT,
    partner_kind     TEXT,
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL CHECK (end_date >= start_date)
);
CREATE TABLE coupon_sends (
    send_id       TEXT PRIMARY KEY,
    campaign_id   TEXT NOT NULL REFERENCES campaigns (campaign_id),
    member_id     TEXT NOT NULL UNIQUE REFERENCES members (member_id),
    brand_id      TEXT NOT NULL REFERENCES brands (brand_id),
    variant       TEXT NOT NULL CHECK (variant IN ('A', 'B')),
    sent_date     TEXT NOT NULL,
    redeemed_date TEXT CHECK (redeemed_date >= sent_date)
);
CREATE TABLE orders (
    order_id       INTEGER PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members (member_id),
    brand_id       TEXT NOT NULL REFERENCES brands (brand_id),
    store_id       TEXT NOT NULL REFERENCES stores (store_id),
    order_time     TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('in-store', 'mini-program', 'delivery')),
    n_items        INTEGER NOT NULL CHECK (n_items > 0),
    gross_amount   REAL NOT NULL CHECK (gross_amount >= 0),
    discount       REAL NOT NULL CHECK (discount >= 0 AND discount <= gross_amount),
    net_amount     REAL NOT NULL CHECK (net_amount >= 0),
    coupon_send_id TEXT UNIQUE REFERENCES coupon_sends (send_id)
);
CREATE TABLE order_items (
    order_id    INTEGER NOT NULL REFERENCES orders (order_id),
    line_no     INTEGER NOT NULL CHECK (line_no >= 1),
    product_id  TEXT NOT NULL REFERENCES products (product_id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    unit_price  REAL NOT NULL CHECK (unit_price >= 0),
    line_amount REAL NOT NULL CHECK (line_amount >= 0),
    PRIMARY KEY (order_id, line_no)
);
CREATE TABLE feedback (
    feedback_id    TEXT PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members (member_id),
    brand_id       TEXT NOT NULL REFERENCES brands (brand_id),
    store_id       TEXT NOT NULL REFERENCES stores (store_id),
    created_at     TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('mini-program', 'hotline', 'delivery-app review', 'in-store')),
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    category       TEXT NOT NULL,
    is_complaint   INTEGER NOT NULL CHECK (is_complaint IN (0, 1)),
    text           TEXT,
    response_hours REAL NOT NULL CHECK (response_hours >= 0)
);
CREATE TABLE surveys (
    survey_id   TEXT PRIMARY KEY,
    member_id   TEXT NOT NULL UNIQUE REFERENCES members (member_id),
    brand_id    TEXT NOT NULL REFERENCES brands (brand_id),
    survey_date TEXT NOT NULL,
{_SERVQUAL_CHECKS}
    nps_score   INTEGER NOT NULL CHECK (nps_score BETWEEN 0 AND 10)
);
""",
}


def _refuse_data_folder(path: Path) -> None:
    from crmlib.datasets import data_dir

    shipped = Path(__file__).resolve().parents[1] / "datasets"
    for folder in {data_dir().resolve(), shipped.resolve()}:
        if path == folder or path.is_relative_to(folder):
            raise CRMDataError(
                f"build_sqlite: {path} is inside the data folder {folder}, which holds the shipped files and must stay unchanged. "
                "Fix: write the database elsewhere, e.g. build_sqlite(data, \"crm.db\")."
            )


def _sql_values(frame: pd.DataFrame, label: str, columns: list[tuple[str, str]], date_formats: dict[str, str]) -> pd.DataFrame:
    """Check one table against its SQL columns; return the values to insert (Python objects, None for gaps)."""
    names = [c for c, _ in columns]
    validate.require_columns(frame, label, names)
    validate.not_empty(frame, label)
    out = {}
    for column, sql_type in columns:
        values = frame[column]
        if sql_type in ("INTEGER", "REAL"):
            values = validate.optional(frame, label, column, "number")
            if sql_type == "INTEGER":
                bad = values.notna() & ((values % 1 != 0) | (values.abs() >= 2**63))
                if bad.any():
                    raise validate.rows_error(label, column, values.index[bad], problem="that are not whole numbers", fix="round them or check the column")
                values = values.astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime(date_formats.get(column, "%Y-%m-%d %H:%M:%S"))
        else:  # TEXT: whatever is filled is stored as its text
            values = pd.Series(np.where(values.isna(), None, values.astype(str).to_numpy(dtype=object)), index=frame.index, dtype=object)
        out[column] = values.to_numpy(dtype=object)
    rows = np.empty((len(frame), len(names)), dtype=object)
    for i, column in enumerate(names):
        rows[:, i] = out[column]
    rows[pd.isna(rows)] = None  # NaN, NaT and pd.NA all become SQL NULL
    return pd.DataFrame(rows, index=frame.index, columns=names, dtype=object)


def _constraint_error(label: str, sql: pd.DataFrame, position: int, err: Exception) -> CRMDataError:
    """The CRMDataError for the row at ``position`` that SQLite refused, naming the column the message names."""
    message = str(err)
    where = {c: m.start() for c in sql.columns if (m := re.search(rf"\b{re.escape(str(c))}\b", message))}
    column = min(where, key=where.get) if where else None  # the first column the message mentions
    row = sql.index[min(position, len(sql) - 1)]
    return validate.rows_error(
        label, column, [row], problem=f"that breaks the database rule '{message}'",
        fix="correct that row (a negative amount, a missing required value, a repeated key or a value outside the allowed list) or drop it",
    )


def _raise_foreign_key_problems(con: sqlite3.Connection, dataset: str, inserted: dict[str, pd.DataFrame]) -> None:
    """Turn the first broken foreign key of ``PRAGMA foreign_key_check`` into a CRMDataError naming the rows."""
    problems = con.execute("PRAGMA foreign_key_check").fetchall()
    if not problems:
        return
    table, _, parent, fk_id = problems[0]
    fk = next(row for row in con.execute(f'PRAGMA foreign_key_list("{table}")') if row[0] == fk_id)
    column, parent_column = fk[3], fk[4]
    rowids = [p[1] for p in problems if p[0] == table and p[3] == fk_id]
    marks = ",".join("?" * len(rowids))
    missing = [v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE rowid IN ({marks})', rowids)]
    values = inserted[table][column]
    raise validate.rows_error(
        f"{dataset}.{table}", column, values.index[values.isin(missing)], problem=f"not found in {parent}.{parent_column}, e.g. {missing[0]!r}",
        fix=f"add the missing rows to {parent}, or drop these rows from {table}",
    )


def build_sqlite(dataset, path, overwrite: bool = False) -> Path:
    """Write a dataset into a SQLite database file with keys and rules (客户数据库).

    The tables are created by the explicit ``CREATE TABLE`` statements of
    :data:`SQLITE_SCHEMA`: a PRIMARY KEY on every table, FOREIGN KEYs (``REFERENCES``) between
    them, and CHECK rules such as ``amount >= 0``, ``quantity > 0``, a status from a fixed list
    or a satisfaction score between 1 and 5. The data goes in with ``executemany`` in one
    transaction while ``PRAGMA foreign_keys = ON``; foreign keys are checked when the
    transaction ends, because leads and opportunities point at each other. A missing foreign
    key (a lead never converted has no opportunity) is stored as NULL, which SQL allows.

    Columns that the schema does not list are not stored. SQLite switches foreign-key checks
    on per connection, so open the file with
    ``con.execute("PRAGMA foreign_keys = ON")`` before changing data.

    Parameters
    ----------
    dataset : ``load_retail()`` or ``load_tea()`` (tables may be filtered or edited).
    path : file to write, outside the shipped data folder.
    overwrite : replace ``path`` if it exists.

    Returns
    -------
    The path of the database file.

    Examples
    --------
    >>> import sqlite3, tempfile
    >>> from crmlib.datasets import load_retail
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = build_sqlite(load_retail(), Path(folder.name) / "retail.db")
    >>> con = sqlite3.connect(path)
    >>> con.execute("SELECT COUNT(*) FROM orders JOIN customers USING (customer_id) WHERE customer_type = 'business'").fetchone()
    (7380,)
    >>> con.close(); folder.cleanup()
    """
    name = getattr(dataset, "name", None)
    if name not in SQLITE_SCHEMA or not hasattr(dataset, "tables"):
        raise CRMDataError(
            f"build_sqlite: expected a dataset from load_retail() or load_tea(), got {type(dataset).__name__}. "
            "Fix: pass e.g. build_sqlite(load_retail(), \"retail.db\")."
        )
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise CRMDataError(f"build_sqlite: path must be a file name, got {path!r}. Fix: pass e.g. \"retail.db\".")
    target = Path(path).expanduser().resolve()
    _refuse_data_folder(target)
    if target.exists() and not overwrite:
        raise CRMDataError(f"build_sqlite: {target} already exists. Fix: pass overwrite=True to replace it, or choose another path.")
    if target.is_dir():
        raise CRMDataError(f"build_sqlite: {target} is a folder. Fix: pass a file name inside it, e.g. {target / 'crm.db'}.")

    from crmlib.datasets import SCHEMA

    date_formats = {c: ("%Y-%m-%d" if k == "date" else "%Y-%m-%d %H:%M") for t in SCHEMA[name].values() for c, k in t.items() if k in ("date", "datetime")}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    con = sqlite3.connect(partial, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        # a half-built file is deleted anyway, so skip the crash-safety syncs while building
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        con.executescript(SQLITE_SCHEMA[name])
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        inserted = {}
        con.execute("BEGIN")
        con.execute("PRAGMA defer_foreign_keys = ON")
        for table in tables:
            label = f"{name}.{table}"
            frame = getattr(dataset, table, None)
            if not isinstance(frame, pd.DataFrame):
                raise CRMDataError(f"{label}: the dataset has no table '{table}'. Fix: pass the whole dataset from load_{name}().")
            columns = [(row[1], row[2]) for row in con.execute(f'PRAGMA table_info("{table}")')]
            sql = inserted[table] = _sql_values(frame, label, columns, date_formats)
            insert = f'INSERT INTO "{table}" ({", ".join(sql.columns)}) VALUES ({", ".join("?" * sql.shape[1])})'
            try:
                con.executemany(insert, sql.to_numpy().tolist())
            except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError, OverflowError) as err:
                done = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                raise _constraint_error(label, sql, done, err) from err
        _raise_foreign_key_problems(con, name, inserted)
        con.execute("COMMIT")
    except BaseException:
        con.close()
        partial.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(partial, target)
    return target


# --------------------------------------------------------------------------------------------
# "also bought" recommendations
# --------------------------------------------------------------------------------------------
def also_bought(order_items: pd.DataFrame, order: str = "order_id", item: str = "product_id", min_support: float = 0.0) -> pd.DataFrame:
    """Item pairs bought in the same order, with support, confidence and lift (关联推荐).

    For items A (antecedent) and C (consequent), over the N distinct orders:

    - ``support = orders with both / N`` (the same for A→C and C→A),
    - ``confidence = orders with both / orders with A`` (how often A's buyers also took C),
    - ``lift = confidence / (orders with C / N)`` (above 1: bought together more than chance).

    An item repeated on several lines of one order counts once for that order.

    Parameters
    ----------
    order_items : one row per order line, e.g. ``tea.order_items``.
    min_support : keep pairs with at least this support, between 0 and 1.

    Returns
    -------
    DataFrame with ``antecedent``, ``consequent``, ``orders_both``, ``orders_antecedent``,
    ``orders_consequent``, ``support``, ``confidence`` and ``lift``; each pair in both
    directions; strongest lift first (ties: more orders first, then by name).

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": [1, 1, 2, 2, 3, 4], "product_id": ["tea", "cake", "tea", "cake", "tea", "cake"]})
    >>> also_bought(lines)[["antecedent", "consequent", "orders_both", "support", "confidence", "lift"]]
      antecedent consequent  orders_both  support  confidence      lift
    0       cake        tea            2      0.5    0.666667  0.888889
    1        tea       cake            2      0.5    0.666667  0.888889
    """
    checked = validate.table(order_items, "order_items", {order: "key", item: "key"})
    if order == item:
        raise CRMDataError(f"order_items: order and item are both '{order}'. Fix: pass the order column and the item column, e.g. order=\"order_id\", item=\"product_id\".")
    min_support = validate.positive_number(min_support, "min_support", minimum=0.0, inclusive=True)
    if min_support > 1:
        raise CRMDataError(f"min_support must be a share between 0 and 1, got {min_support!r}. Fix: pass e.g. min_support=0.01.")
    items, labels = pd.factorize(checked[item].astype(object))  # codes, so any kind of item label works
    baskets = pd.DataFrame({"basket": pd.factorize(checked[order].astype(object))[0], "item": items}).drop_duplicates()
    n_orders = int(baskets["basket"].nunique())
    orders_per_item = np.bincount(baskets["item"], minlength=len(labels))
    pairs = baskets.merge(baskets, on="basket", suffixes=("_a", "_c"))
    both = pairs[pairs["item_a"] != pairs["item_c"]].groupby(["item_a", "item_c"]).size()
    a, c = both.index.get_level_values(0).to_numpy(), both.index.get_level_values(1).to_numpy()
    labels = np.asarray(labels, dtype=object)
    result = pd.DataFrame({
        "antecedent": labels[a],
        "consequent": labels[c],
        "orders_both": both.to_numpy(dtype="int64"),
        "orders_antecedent": orders_per_item[a].astype("int64"),
        "orders_consequent": orders_per_item[c].astype("int64"),
    })
    result["support"] = result["orders_both"] / n_orders
    result["confidence"] = result["orders_both"] / result["orders_antecedent"]
    result["lift"] = result["confidence"] * n_orders / result["orders_consequent"]
    result = result[result["support"] >= min_support]
    order_by = ["lift", "orders_both", "antecedent", "consequent"]
    try:
        result = result.sort_values(order_by, ascending=[False, False, True, True], kind="mergesort")
    except TypeError:  # items of mixed types cannot be sorted by name
        result = result.sort_values(order_by[:2], ascending=False, kind="mergesort")
    return result.reset_index(drop=True)


validate.check_public_arguments(globals(), __all__)
