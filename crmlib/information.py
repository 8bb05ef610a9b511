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

import math
import os
import re
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from crmlib import validate
from crmlib._shared import join_flags
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.vocabulary import SERVQUAL_DIMENSIONS

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
    "ADDRESS_RULE",
    "duplicate_pairs",
    "known_duplicates",
    "duplicate_summary",
    "rule_precision",
    "SQLITE_SCHEMA",
    "build_sqlite",
    "PAYMENT_STATUS_SQL",
    "FILE_QUERIES",
    "FILE_PARTS",
    "order_span",
    "file_customers",
    "customer_file",
    "also_bought",
    "gains_table",
    "targeting_value",
    "targeting_summary",
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
    if (
        values.dtype == object
        or pd.api.types.is_string_dtype(values.dtype)
        or isinstance(values.dtype, pd.CategoricalDtype)
    ):
        present = pd.Series(values.to_numpy(dtype=object)[~missing], dtype=object)
        missing = missing.copy()
        missing[~missing] = present.astype(str).str.strip().eq("").to_numpy(dtype=bool)
    return missing


def _fields(data: pd.DataFrame, name: str, fields) -> list:
    """The columns to profile: ``fields`` (one name or a list) or all columns; checked to exist and be unique."""
    wanted = [fields] if isinstance(fields, str) else fields
    validate.require_columns(data, name, [] if wanted is None else wanted)
    validate.not_empty(data, name)
    columns = list(data.columns) if wanted is None else list(wanted)
    if not columns:
        raise CRMDataError(
            _("{name}: no fields to check. Fix: pass fields=[...] with at least one column.").format(name=name)
        )
    repeated = [c for c in columns if list(data.columns).count(c) > 1 or columns.count(c) > 1]
    if repeated:
        raise CRMDataError(
            _(
                "{name}: column '{repeated}' appears more than once. Fix: give every column its "
                "own name and list each field once."
            ).format(name=name, repeated=repeated[0])
        )
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
    return pd.DataFrame(
        {
            "field": [str(c) for c in columns],
            "filled": (len(data) - counts).to_numpy(dtype="int64"),
            "missing": counts.to_numpy(dtype="int64"),
            "share_filled": ((len(data) - counts) / len(data)).to_numpy(dtype="float64"),
        }
    )


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
    return pd.DataFrame(
        {
            "filled": filled.astype("int64"),
            "share_filled": filled / len(columns),
            "missing_fields": join_flags(missing, "; ", ""),
        },
        index=data.index,
    )


# --------------------------------------------------------------------------------------------
# normalising and checking formats
# --------------------------------------------------------------------------------------------
def _series_column(values) -> str:
    return str(values.name) if isinstance(values, pd.Series) and values.name is not None else "values"


def _no_blanks(text: pd.Series) -> pd.Series:
    return text.where(text.notna() & (text != ""), np.nan).astype(object)


def _clean_phone(text: pd.Series) -> pd.Series:
    digits = (
        text.str.normalize("NFKC")
        .str.replace(r"[\s\-.()]", "", regex=True)
        .str.replace(r"^(?:\+86|0086|86(?=[0-9]{11}$))", "", regex=True)
    )
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
    >>> phones = pd.Series(["138 1234 5678", "+86 13812345678", "0086-138-1234-5678", "1381234567", " "])
    >>> normalise_phone(phones).tolist()
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
    How reliable each rule is: :func:`rule_precision` (on the retailer's contacts, phone and
    e-mail pairs are always right, name-and-city pairs about one time in three).

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
    checked = validate.table(
        contacts, "contacts", {id: "key", name: "text", phone: "text", email: "text", city: "text"}, unique_key=id
    )
    keys = {
        "same phone": _clean_phone(validate.text(checked[phone], "contacts", phone, numbers_ok=True)),
        "same email": _clean_email(validate.text(checked[email], "contacts", email)),
        "same name and city": _clean_name(validate.text(checked[name], "contacts", name)).str.casefold()
        + "|"
        + _clean_name(validate.text(checked[city], "contacts", city)).str.casefold(),
    }
    found = pd.concat([_pairs_sharing(key).assign(rule=rule) for rule, key in keys.items()], ignore_index=True)
    ids = checked[id].to_numpy()
    columns = [f"{id}_1", f"{id}_2", "rule"]
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    flags = (
        pd.crosstab([found["pos_1"], found["pos_2"]], found["rule"]).reindex(
            columns=list(DUPLICATE_RULES), fill_value=0
        )
        > 0
    )
    pos_1 = flags.index.get_level_values(0).to_numpy()
    pos_2 = flags.index.get_level_values(1).to_numpy()
    return pd.DataFrame(
        {columns[0]: ids[pos_1], columns[1]: ids[pos_2], "rule": join_flags(flags, "; ", "").to_numpy()}
    )


# --------------------------------------------------------------------------------------------
# duplicate candidates checked against the customer accounts: true duplicates and false alarms
# --------------------------------------------------------------------------------------------
#: The stricter rule that replaces "same name and city" in :func:`duplicate_pairs` with ``confirm_address``.
ADDRESS_RULE = "same name, city and address"


def duplicate_pairs(
    contacts: pd.DataFrame,
    rules=DUPLICATE_RULES,
    confirm_address: bool = False,
    id: str = "contact_id",
    customer: str = "customer_id",
    address: str = "address",
) -> pd.DataFrame:
    """The candidate duplicate pairs found by some of the rules, marked true or false by account.

    Each pair of :func:`find_duplicates` is checked against the customer account its records
    belong to: a pair inside one account is a true duplicate, a pair across two accounts is a
    false alarm (two people who share a name and a city).

    Parameters
    ----------
    contacts : the contacts table (``retail.contacts``).
    rules : the rules to use, any of :data:`DUPLICATE_RULES`.
    confirm_address : if True, the rule "same name and city" only counts when the two
        addresses are the same too (both present, equal once spaces are removed); it is then
        called :data:`ADDRESS_RULE`.
    id, customer, address : column names.

    Returns
    -------
    The rows of :func:`find_duplicates` that one of the chosen rules found, plus ``customer_1``,
    ``customer_2`` and ``same_customer`` (True: both records belong to one customer account).

    Examples
    --------
    >>> contacts = pd.DataFrame({
    ...     "contact_id": ["c1", "c2", "c3", "c4"], "customer_id": ["A", "A", "B", "C"],
    ...     "contact_name": ["王伟", "王伟", "李娜", "王伟"],
    ...     "phone": ["13812345678", "138-1234-5678", None, "13900000000"],
    ...     "email": [None, None, None, None], "city": ["Wuhan"] * 4,
    ...     "address": ["Wuhan 1号", "Wuhan 1号", "Wuhan 2号", "Wuhan 3号"]})
    >>> duplicate_pairs(contacts, rules=["same name and city"])[["contact_id_1", "contact_id_2", "same_customer"]]
      contact_id_1 contact_id_2  same_customer
    0           c1           c2           True
    1           c1           c4          False
    2           c2           c4          False
    >>> len(duplicate_pairs(contacts, rules=["same name and city"], confirm_address=True))
    1
    """
    if not isinstance(rules, (str, list, tuple)) or not all(
        isinstance(r, str) for r in ([rules] if isinstance(rules, str) else rules)
    ):
        raise CRMDataError(
            _(
                "duplicate_pairs: rules must be a rule name or a list of rule names, got "
                '{rules!r}. Fix: pass e.g. rules=["same phone", "same email"].'
            ).format(rules=rules)
        )
    chosen = [rules] if isinstance(rules, str) else list(rules)
    unknown = [r for r in chosen if r not in DUPLICATE_RULES]
    if unknown:
        raise CRMDataError(
            _("rules: unknown rule {unknown!r}. Fix: choose from {items}.").format(
                unknown=unknown[0], items=list(DUPLICATE_RULES)
            )
        )
    validate.require_columns(contacts, "contacts", [id, customer, address])
    pairs = find_duplicates(contacts, id=id)
    first, second = f"{id}_1", f"{id}_2"
    lookup = contacts.set_index(id)
    customer_1 = lookup.loc[pairs[first], customer].to_numpy(dtype=object)
    customer_2 = lookup.loc[pairs[second], customer].to_numpy(dtype=object)
    found = pd.DataFrame({r: pairs["rule"].str.contains(r, regex=False) for r in DUPLICATE_RULES}, index=pairs.index)
    if confirm_address:
        cleaned = _clean_name(
            validate.text(lookup[address], "contacts", address)
        )  # no spaces, full-width made half-width
        a1 = cleaned.loc[pairs[first]].to_numpy(dtype=object)
        a2 = cleaned.loc[pairs[second]].to_numpy(dtype=object)
        found["same name and city"] &= pd.notna(a1) & (a1 == a2)
        found = found.rename(columns={"same name and city": ADDRESS_RULE})
        chosen = [ADDRESS_RULE if r == "same name and city" else r for r in chosen]
    keep = found[chosen].any(axis=1).to_numpy(dtype=bool) if chosen else np.zeros(len(pairs), dtype=bool)
    result = pairs.assign(
        rule=join_flags(found, "; ", ""),
        customer_1=customer_1,
        customer_2=customer_2,
        same_customer=customer_1 == customer_2,
    )
    return result.loc[keep].reset_index(drop=True)


def known_duplicates(contacts: pd.DataFrame, customer: str = "customer_id", name: str = "contact_name") -> int:
    """Number of record pairs with the same customer account and the same name: the duplicates to find.

    Names are compared after :func:`normalise_name`.

    >>> known_duplicates(
    ...     pd.DataFrame({"customer_id": ["A", "A", "A", "B"], "contact_name": ["王伟", "王 伟", "李娜", "王伟"]})
    ... )
    1
    """
    validate.require_columns(contacts, "contacts", [customer, name])
    validate.unique_columns(contacts, "contacts")
    validate.key_cells(contacts[customer], "contacts", customer)
    keys = pd.DataFrame(
        {
            "customer": contacts[customer].to_numpy(dtype=object),
            "name": normalise_name(contacts[name]).to_numpy(dtype=object),
        }
    ).dropna()
    sizes = keys.groupby(["customer", "name"]).size().to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def duplicate_summary(pairs: pd.DataFrame) -> dict:
    """Counts of a :func:`duplicate_pairs` table: ``pairs``, ``true_duplicates``, ``false_alarms`` and ``precision``.

    ``precision`` is the share of pairs that are true duplicates (NaN when there are no pairs).

    >>> duplicate_summary(pd.DataFrame({"same_customer": [True, True, False]}))
    {'pairs': 3, 'true_duplicates': 2, 'false_alarms': 1, 'precision': 0.6666666666666666}
    """
    if not isinstance(pairs, pd.DataFrame) or "same_customer" not in pairs.columns:
        raise CRMDataError(
            _("pairs: column 'same_customer' is missing. Fix: pass the table that duplicate_pairs(contacts) returns.")
        )
    checked = validate.table(pairs, "pairs", {"same_customer": "flag"}, allow_empty=True)
    same = checked["same_customer"].to_numpy(dtype=bool)
    n = len(same)
    return {
        "pairs": n,
        "true_duplicates": int(same.sum()),
        "false_alarms": int(n - same.sum()),
        "precision": float(same.mean()) if n else float("nan"),
    }


def rule_precision(pairs: pd.DataFrame) -> pd.DataFrame:
    """How reliable each matching rule is: of the pairs a rule flagged, the share that are true.

    A pair found by several rules (``"same phone; same name and city"``) counts for each of them,
    so every rule is judged on all the pairs it would flag on its own. Use it where the truth is
    known, as in :func:`duplicate_pairs` (``same_customer``): a rule's precision there is the
    best guide to how far to trust it in a file where the truth is not known.

    Returns
    -------
    One row per rule, in the order of :data:`DUPLICATE_RULES` (and :data:`ADDRESS_RULE`):
    ``pairs``, ``true_duplicates``, ``false_alarms`` and ``precision``.

    >>> pairs = pd.DataFrame({
    ...     "rule": ["same phone; same name and city", "same name and city", "same name and city"],
    ...     "same_customer": [True, True, False]})
    >>> rule_precision(pairs)
                        pairs  true_duplicates  false_alarms  precision
    rule
    same phone              1                1             0   1.000000
    same name and city      3                2             1   0.666667
    """
    for column in ("rule", "same_customer"):
        if not isinstance(pairs, pd.DataFrame) or column not in pairs.columns:
            raise CRMDataError(
                f"pairs: column '{column}' is missing. Fix: pass the table that duplicate_pairs(contacts) returns."
            )
    checked = validate.table(pairs, "pairs", {"rule": "text", "same_customer": "flag"}, allow_empty=True)
    known = [*DUPLICATE_RULES, ADDRESS_RULE]
    rules = validate.text(checked["rule"], "pairs", "rule")
    each = checked.assign(rule=rules.str.split("; ")).explode("rule")
    unknown = each.loc[~each["rule"].isin(known), "rule"]
    if len(unknown):
        raise validate.rows_error(
            "pairs",
            "rule",
            unknown.index.unique(),
            noun="unknown rule name",
            fix=f"use the rule names of duplicate_pairs ({'; '.join(known)}), e.g. pass the table it returns",
        )
    same = each["same_customer"].astype(bool)
    table = (
        pd.DataFrame({"rule": each["rule"], "true": same, "false": ~same})
        .groupby("rule", sort=False)[["true", "false"]]
        .sum()
        .reindex([r for r in known if r in set(each["rule"])])
    )
    total = table["true"] + table["false"]
    return pd.DataFrame(
        {
            "pairs": total.astype("int64"),
            "true_duplicates": table["true"].astype("int64"),
            "false_alarms": table["false"].astype("int64"),
            "precision": table["true"] / total,
        }
    ).rename_axis("rule")


# --------------------------------------------------------------------------------------------
# masking personal information (PIPL)
# --------------------------------------------------------------------------------------------
def _stars(text: pd.Series) -> pd.Series:
    return text.str.replace(r"(?s).", "*", regex=True)


def _mask_phone(text: pd.Series) -> pd.Series:
    clean = _clean_phone(text)
    shown = clean.str[:3] + "*" * 8
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
    """Phones with all but the first three digits hidden: ``13812345678`` → ``138********``.

    The first three digits only tell the number block, which many customers share, so a masked
    phone no longer points to one person. The receipt style ``138****5678`` keeps seven of the
    eleven digits, and those seven are unique for about 96 % of the valid phones of the retail
    contacts: shown in a file, they would still work as an identifier.

    Phones are normalised first (:func:`normalise_phone`). A value that is not a valid mobile
    number is replaced by stars only, so a malformed number is never shown. Missing stays missing.

    Examples
    --------
    >>> mask_phone(pd.Series(["13812345678", "+86 139 0000 1234", "12345", None])).tolist()
    ['138********', '139********', '*****', nan]
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


def mask_pii(
    data: pd.DataFrame, phone: str | None = "phone", email: str | None = "email", name: str | None = "contact_name"
) -> pd.DataFrame:
    """A copy of ``data`` with its phone, e-mail and name columns masked (个人信息保护).

    Uses :func:`mask_phone`, :func:`mask_email` and :func:`mask_name`; pass ``None`` for a
    column the table does not have. Other columns are copied unchanged.

    Examples
    --------
    >>> contacts = pd.DataFrame(
    ...     {"contact_name": ["张三"], "phone": ["13812345678"], "email": ["zhangsan@example.com"], "city": ["Wuhan"]}
    ... )
    >>> mask_pii(contacts)
      contact_name        phone             email   city
    0           张*  138********  z***@example.com  Wuhan
    """
    maskers = {
        column: masker
        for column, masker in ((phone, _mask_phone), (email, _mask_email), (name, _mask_name))
        if column is not None
    }
    if not maskers:
        raise CRMDataError(
            _(
                "mask_pii: phone, email and name are all None, so there is nothing to mask. Fix: "
                "name at least one column."
            )
        )
    checked = validate.table(data, "data", {column: "text" for column in maskers})
    masked = {
        column: masker(validate.text(checked[column], "data", column, numbers_ok=column == phone)).to_numpy(
            dtype=object
        )
        for column, masker in maskers.items()
    }
    return checked.assign(**{c: pd.Series(v, index=checked.index, dtype=object) for c, v in masked.items()})


# --------------------------------------------------------------------------------------------
# the SQLite customer database
# --------------------------------------------------------------------------------------------
#: The line of ``crmlib/sql/*.sql`` that stands for the SERVQUAL columns of a surveys table.
_SERVQUAL_LINE = (
    "    -- SERVQUAL: expectation_<dimension> and perception_<dimension>, 1 to 7, added by crmlib.information\n"
)


def _sqlite_schema(dataset: str) -> str:
    """The CREATE TABLE statements of one dataset: ``crmlib/sql/<dataset>.sql``, SERVQUAL columns filled in.

    The columns follow the course's one list of dimensions, :data:`crmlib.vocabulary.SERVQUAL_DIMENSIONS`.
    """
    from importlib.resources import files

    script = (files("crmlib") / "sql" / f"{dataset}.sql").read_text(encoding="utf-8")
    columns = "".join(
        f"    {side}_{dim} INTEGER NOT NULL CHECK ({side}_{dim} BETWEEN 1 AND 7),\n"
        for dim in SERVQUAL_DIMENSIONS
        for side in ("expectation", "perception")
    )
    return script.replace(_SERVQUAL_LINE, columns)


#: The CREATE TABLE statements of :func:`build_sqlite`, per dataset, tables in load order, as
#: written in the package's ``sql/retail.sql`` and ``sql/tea.sql`` (with the SERVQUAL columns).
#: Dates are ISO text (``YYYY-MM-DD``, timestamps ``YYYY-MM-DD HH:MM``), so they sort and
#: compare correctly and SQLite's date functions read them.
SQLITE_SCHEMA: dict[str, str] = {dataset: _sqlite_schema(dataset) for dataset in ("retail", "tea")}


def _refuse_data_folder(path: Path) -> None:
    from crmlib.datasets import data_dir

    shipped = Path(__file__).resolve().parents[1] / "datasets"
    for folder in {data_dir().resolve(), shipped.resolve()}:
        if path == folder or path.is_relative_to(folder):
            raise CRMDataError(
                _(
                    "build_sqlite: {path} is inside the data folder {folder}, which holds the shipped "
                    "files and must stay unchanged. Fix: write the database elsewhere, e.g. "
                    'build_sqlite(data, "crm.db").'
                ).format(path=path, folder=folder)
            )


def _sql_values(
    frame: pd.DataFrame, label: str, columns: list[tuple[str, str]], date_formats: dict[str, str]
) -> pd.DataFrame:
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
                    raise validate.rows_error(
                        label,
                        column,
                        values.index[bad],
                        problem=_("that are not whole numbers"),
                        fix=_("round them or check the column"),
                    )
                values = values.astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime(date_formats.get(column, "%Y-%m-%d %H:%M:%S"))
        else:  # TEXT: whatever is filled is stored as its text
            values = pd.Series(
                np.where(values.isna(), None, values.astype(str).to_numpy(dtype=object)),
                index=frame.index,
                dtype=object,
            )
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
        label,
        column,
        [row],
        problem=_("that breaks the database rule '{message}'").format(message=message),
        fix=(
            _(
                "correct that row (a negative amount, a missing required value, a repeated key or "
                "a value outside the allowed list) or drop it"
            )
        ),
    )


def _raise_foreign_key_problems(con: sqlite3.Connection, dataset: str, inserted: dict[str, pd.DataFrame]) -> None:
    """Turn the first broken foreign key of ``PRAGMA foreign_key_check`` into a CRMDataError naming the rows."""
    problems = con.execute("PRAGMA foreign_key_check").fetchall()
    if not problems:
        return
    table, _kind, parent, fk_id = problems[0]
    fk = next(row for row in con.execute(f'PRAGMA foreign_key_list("{table}")') if row[0] == fk_id)
    column, parent_column = fk[3], fk[4]
    rowids = [p[1] for p in problems if p[0] == table and p[3] == fk_id]
    marks = ",".join("?" * len(rowids))
    missing = [v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE rowid IN ({marks})', rowids)]
    values = inserted[table][column]
    raise validate.rows_error(
        f"{dataset}.{table}",
        column,
        values.index[values.isin(missing)],
        problem=_("not found in {parent}.{parent_column}, e.g. {missing!r}").format(
            parent=parent, parent_column=parent_column, missing=missing[0]
        ),
        fix=_("add the missing rows to {parent}, or drop these rows from {table}").format(parent=parent, table=table),
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
    >>> con.execute(
    ...     "SELECT COUNT(*) FROM orders JOIN customers USING (customer_id) WHERE customer_type = 'business'"
    ... ).fetchone()
    (7380,)
    >>> con.close(); folder.cleanup()
    """
    name = getattr(dataset, "name", None)
    if name not in SQLITE_SCHEMA or not hasattr(dataset, "tables"):
        raise CRMDataError(
            _(
                "build_sqlite: expected a dataset from load_retail() or load_tea(), got {type}. "
                'Fix: pass e.g. build_sqlite(load_retail(), "retail.db").'
            ).format(type=type(dataset).__name__)
        )
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise CRMDataError(
            _('build_sqlite: path must be a file name, got {path!r}. Fix: pass e.g. "retail.db".').format(path=path)
        )
    target = Path(path).expanduser().resolve()
    _refuse_data_folder(target)
    if target.exists() and not overwrite:
        raise CRMDataError(
            _(
                "build_sqlite: {target} already exists. Fix: pass overwrite=True to replace it, or choose another path."
            ).format(target=target)
        )
    if target.is_dir():
        raise CRMDataError(
            _("build_sqlite: {target} is a folder. Fix: pass a file name inside it, e.g. {value}.").format(
                target=target, value=target / "crm.db"
            )
        )

    from crmlib.datasets import SCHEMA

    date_formats = {
        c: ("%Y-%m-%d" if k == "date" else "%Y-%m-%d %H:%M")
        for t in SCHEMA[name].values()
        for c, k in t.items()
        if k in ("date", "datetime")
    }
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
                raise CRMDataError(
                    _(
                        "{label}: the dataset has no table '{table}'. Fix: pass the whole dataset from load_{name}()."
                    ).format(label=label, table=table, name=name)
                )
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
# one customer's file (客户档案) read from the customer database
# --------------------------------------------------------------------------------------------
#: How an order stands with its payment on the day ``:as_of`` (a business order is due
#: ``payment_terms_days`` after ``order_date``); an SQL expression over ``orders``.
PAYMENT_STATUS_SQL = """
CASE WHEN paid_date IS NULL AND date(order_date, '+' || payment_terms_days || ' days') < :as_of THEN 'overdue'
     WHEN paid_date IS NULL THEN 'not yet due'
     WHEN paid_date > date(order_date, '+' || payment_terms_days || ' days') THEN 'paid late'
     ELSE 'paid on time' END"""

#: The SQL of each part of the file; ``:cid`` is the customer, ``:as_of`` the day of the view.
FILE_QUERIES: dict[str, str] = {
    "basic": """
        SELECT c.customer_id, c.company_name, c.customer_type, c.industry, c.industry_position,
               c.cooperation_years, c.city, c.region, c.acquisition_channel, c.signup_date,
               r.rep_name AS account_manager
        FROM customers AS c LEFT JOIN sales_reps AS r ON r.rep_id = c.account_manager_id
        WHERE c.customer_id = :cid""",
    "contacts": """
        SELECT contact_name, role, phone, email, consent_marketing
        FROM contacts WHERE customer_id = :cid ORDER BY contact_id""",
    "categories": """
        SELECT p.category, COUNT(DISTINCT o.order_id) AS orders, ROUND(SUM(l.line_amount), 2) AS sales
        FROM orders AS o JOIN order_lines AS l USING (order_id) JOIN products AS p USING (product_id)
        WHERE o.customer_id = :cid GROUP BY p.category ORDER BY sales DESC""",
    "payments": f"""
        SELECT {PAYMENT_STATUS_SQL} AS payment, COUNT(*) AS orders, ROUND(SUM(amount), 2) AS amount
        FROM orders WHERE customer_id = :cid GROUP BY payment ORDER BY payment""",
    "years": """
        SELECT strftime('%Y', o.order_date) AS year, COUNT(DISTINCT o.order_id) AS orders,
               SUM(l.quantity) AS units, ROUND(SUM(l.line_amount), 2) AS sales,
               ROUND(SUM(l.margin), 2) AS margin, ROUND(SUM(l.marketing_cost), 2) AS marketing_cost
        FROM orders AS o JOIN order_lines AS l USING (order_id)
        WHERE o.customer_id = :cid GROUP BY year ORDER BY year""",
    "months": """
        SELECT strftime('%Y-%m', order_date) AS month, COUNT(*) AS orders, SUM(amount) AS amount
        FROM orders WHERE customer_id = :cid GROUP BY month ORDER BY month""",
    "tickets": """
        SELECT ticket_id, order_id, complaint_type, channel, received_at, satisfaction_after
        FROM tickets WHERE customer_id = :cid ORDER BY received_at""",
    "survey": """
        SELECT survey_date, nps_score,
               ROUND((perception_tangibles + perception_reliability + perception_responsiveness
                      + perception_assurance + perception_empathy
                      - expectation_tangibles - expectation_reliability - expectation_responsiveness
                      - expectation_assurance - expectation_empathy) / 5.0, 2) AS mean_servqual_gap
        FROM surveys WHERE customer_id = :cid""",
    "contacts_made": """
        SELECT activity_type, COUNT(*) AS contacts, MAX(activity_date) AS last_contact
        FROM activities
        WHERE customer_id = :cid
           OR opportunity_id IN (SELECT opportunity_id FROM opportunities WHERE customer_id = :cid)
        GROUP BY activity_type ORDER BY contacts DESC""",
}

#: The three parts of a business customer's file and the entries of :data:`FILE_QUERIES` that fill them.
FILE_PARTS: dict[str, list[str]] = {
    "Basic data 基本资料": ["basic", "contacts"],
    "Business situation 经营状况": ["categories", "payments"],
    "Transaction history 交易记录": ["years", "tickets", "survey", "contacts_made"],
}


def _read_only(db) -> sqlite3.Connection:
    """A read-only connection to the database file ``db`` (so a look-up never changes it)."""
    if not isinstance(db, (str, os.PathLike)):
        shown = type(db).__name__ if isinstance(db, (pd.DataFrame, pd.Series)) else repr(db)[:60]
        raise CRMDataError(
            _(
                "db must be the path of a database file (text or a pathlib.Path), got {shown}. "
                'Fix: pass e.g. db=information.build_sqlite(load_retail(), folder / "retail.db").'
            ).format(shown=shown)
        )
    path = Path(db)
    if not path.is_file():
        raise CRMDataError(
            _(
                "db: no database file at {path}. Fix: build it first, e.g. path = "
                'information.build_sqlite(load_retail(), folder / "retail.db").'
            ).format(path=path)
        )
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def order_span(db) -> tuple[str, str]:
    """The first and the last order date (``YYYY-MM-DD``) in a database made by :func:`build_sqlite`.

    The last one is the day on which :func:`customer_file` judges payments by default.
    """
    with closing(_read_only(db)) as con:
        first, last = con.execute("SELECT MIN(order_date), MAX(order_date) FROM orders").fetchone()
    return first, last


def file_customers(db, customer_ids=None) -> pd.DataFrame:
    """The customers whose file :func:`customer_file` can show: ``customer_id`` and ``company_name``.

    Parameters
    ----------
    db : path of a retail database made by :func:`build_sqlite`.
    customer_ids : the customers wanted, in this order; by default every business account, by id.
        ``company_name`` is missing for a consumer.
    """
    with closing(_read_only(db)) as con:
        if customer_ids is None:
            sql = (
                "SELECT customer_id, company_name FROM customers WHERE customer_type = 'business' ORDER BY customer_id"
            )
            return pd.read_sql_query(sql, con)
        if isinstance(customer_ids, (str, bytes, Mapping)) or np.ndim(customer_ids) != 1:
            raise CRMDataError(
                _(
                    "customer_ids must be a list of customer ids or None, got {customer_ids!r}. Fix: "
                    'pass e.g. customer_ids=["C00001"], or leave customer_ids out.'
                ).format(customer_ids=customer_ids)
            )
        ids = [str(c) for c in customer_ids]
        names = dict(
            con.execute(
                f"SELECT customer_id, company_name FROM customers WHERE customer_id IN ({','.join('?' * len(ids))})",
                ids,
            )
        )
    missing = [c for c in ids if c not in names]
    if not ids or missing:
        raise CRMDataError(
            _("customer_ids: unknown customer_ids {missing!r}. Fix: pass ids of the customers table.").format(
                missing=missing[:5]
            )
        )
    return pd.DataFrame({"customer_id": ids, "company_name": [names[c] for c in ids]})


def customer_file(db, customer_id: str, as_of: str | None = None) -> dict[str, pd.DataFrame]:
    """One customer's file (客户档案, its "360° view"): a DataFrame per entry of :data:`FILE_QUERIES`.

    Who the customer is, who its people are, what it buys, how it pays, what it complained about
    and what it told the survey, each part from one SQL query on the database. The database is
    opened read-only, one short connection per look-up.

    Parameters
    ----------
    db : path of a retail database made by :func:`build_sqlite`.
    customer_id : e.g. ``"C10280"``.
    as_of : the day on which payments are judged (``YYYY-MM-DD``); by default the last order date.

    Returns
    -------
    ``{"basic": …, "contacts": …, "categories": …, "payments": …, "years": …, "months": …,
    "tickets": …, "survey": …, "contacts_made": …}``; a part the customer has nothing in is an
    empty table with its columns.
    """
    with closing(_read_only(db)) as con:
        known = con.execute("SELECT 1 FROM customers WHERE customer_id = ?", (customer_id,)).fetchone()
        if known is None:
            raise CRMDataError(
                _(
                    "customer_file: no customer {customer_id!r} in the database. Fix: pass a "
                    'customer_id of the customers table, e.g. "C10280".'
                ).format(customer_id=customer_id)
            )
        day = as_of or con.execute("SELECT MAX(order_date) FROM orders").fetchone()[0]
        params = {"cid": customer_id, "as_of": day}
        return {name: pd.read_sql_query(sql, con, params=params) for name, sql in FILE_QUERIES.items()}


# --------------------------------------------------------------------------------------------
# "also bought" recommendations
# --------------------------------------------------------------------------------------------
def also_bought(
    order_items: pd.DataFrame,
    order: str = "order_id",
    item: str = "product_id",
    min_support: float = 0.0,
    min_orders: int = 5,
) -> pd.DataFrame:
    """Item pairs bought in the same order, with support, confidence and lift (关联推荐).

    For items A (antecedent) and C (consequent), over the N distinct orders:

    - ``support = orders with both / N`` (the same for A→C and C→A),
    - ``confidence = orders with both / orders with A`` (how often A's buyers also took C),
    - ``lift = confidence / (orders with C / N)`` (above 1: bought together more than chance).

    An item repeated on several lines of one order counts once for that order.

    By default a pair must be bought together in at least 5 orders (``min_orders=5``): a pair
    seen in one or two orders can show any confidence and lift by chance, so it is dropped.
    Pass ``min_orders=1`` to keep every pair.

    Parameters
    ----------
    order_items : one row per order line, e.g. ``tea.order_items``.
    min_support : keep pairs with at least this support, between 0 and 1.
    min_orders : keep pairs bought together in at least this many orders (the support counted in
        orders, not as a share); 5 by default.

    Returns
    -------
    DataFrame with ``antecedent``, ``consequent``, ``orders_both``, ``orders_antecedent``,
    ``orders_consequent``, ``support``, ``confidence`` and ``lift``; each pair in both
    directions; strongest lift first (ties: more orders first, then by name).

    Examples
    --------
    >>> lines = pd.DataFrame(
    ...     {"order_id": [1, 1, 2, 2, 3, 4], "product_id": ["tea", "cake", "tea", "cake", "tea", "cake"]}
    ... )
    >>> pairs = also_bought(lines, min_orders=1)  # a tiny example: keep pairs seen in any order
    >>> pairs[["antecedent", "consequent", "orders_both", "support", "confidence", "lift"]]
      antecedent consequent  orders_both  support  confidence      lift
    0       cake        tea            2      0.5    0.666667  0.888889
    1        tea       cake            2      0.5    0.666667  0.888889
    >>> len(also_bought(lines))  # with the default min_orders=5 nothing is left
    0
    """
    checked = validate.table(order_items, "order_items", {order: "key", item: "key"})
    if order == item:
        raise CRMDataError(
            _(
                "order_items: order and item are both '{order}'. Fix: pass the order column and "
                'the item column, e.g. order="order_id", item="product_id".'
            ).format(order=order)
        )
    min_support = validate.positive_number(min_support, "min_support", minimum=0.0, inclusive=True)
    if min_support > 1:
        raise CRMDataError(
            _(
                "min_support must be a share between 0 and 1, got {min_support!r}. Fix: pass e.g. min_support=0.01."
            ).format(min_support=min_support)
        )
    min_orders = validate.whole_number(min_orders, "min_orders", minimum=1, example=5)
    items, labels = pd.factorize(checked[item].astype(object))  # codes, so any kind of item label works
    baskets = pd.DataFrame({"basket": pd.factorize(checked[order].astype(object))[0], "item": items}).drop_duplicates()
    n_orders = int(baskets["basket"].nunique())
    orders_per_item = np.bincount(baskets["item"], minlength=len(labels))
    pairs = baskets.merge(baskets, on="basket", suffixes=("_a", "_c"))
    both = pairs[pairs["item_a"] != pairs["item_c"]].groupby(["item_a", "item_c"]).size()
    a, c = both.index.get_level_values(0).to_numpy(), both.index.get_level_values(1).to_numpy()
    labels = np.asarray(labels, dtype=object)
    result = pd.DataFrame(
        {
            "antecedent": labels[a],
            "consequent": labels[c],
            "orders_both": both.to_numpy(dtype="int64"),
            "orders_antecedent": orders_per_item[a].astype("int64"),
            "orders_consequent": orders_per_item[c].astype("int64"),
        }
    )
    result["support"] = result["orders_both"] / n_orders
    result["confidence"] = result["orders_both"] / result["orders_antecedent"]
    result["lift"] = result["confidence"] * n_orders / result["orders_consequent"]
    result = result[(result["support"] >= min_support) & (result["orders_both"] >= min_orders)]
    order_by = ["lift", "orders_both", "antecedent", "consequent"]
    try:
        result = result.sort_values(order_by, ascending=[False, False, True, True], kind="mergesort")
    except TypeError:  # items of mixed types cannot be sorted by name
        result = result.sort_values(order_by[:2], ascending=False, kind="mergesort")
    return result.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# targeting a campaign by score: gains, lift and what each targeting depth is worth
# --------------------------------------------------------------------------------------------
def _scores_and_labels(scores, bought) -> tuple[np.ndarray, np.ndarray]:
    """Scores (floats) and outcomes (bools) as arrays of one length, checked."""
    if not isinstance(scores, pd.Series) or not isinstance(bought, pd.Series):
        raise CRMDataError(
            _(
                "scores and bought must be pandas Series (one value per customer). Fix: pass e.g. "
                'pd.Series(model.predict_proba(X)[:, 1], index=test.index) and test["buys"].'
            )
        )
    if len(scores) != len(bought) or not scores.index.equals(bought.index):
        raise CRMDataError(
            _(
                "scores and bought must have the same index (the same customers in the same "
                "order). Fix: build both from the same table, e.g. test."
            )
        )
    if len(scores) == 0:
        raise CRMDataError(_("scores is empty. Fix: pass at least one customer."))
    values = pd.to_numeric(scores, errors="coerce").to_numpy(dtype="float64")
    if not np.isfinite(values).all():
        raise CRMDataError(_("scores has missing or non-numeric values. Fix: score every customer with a number."))
    if bought.isna().any() or not set(pd.unique(bought)) <= {True, False}:
        raise CRMDataError(
            _('bought must hold True/False for every customer. Fix: pass a boolean column, e.g. test["buys"].')
        )
    outcomes = bought.to_numpy().astype(bool)
    if not outcomes.any():
        raise CRMDataError(
            _(
                "bought is False for every customer, so there are no buyers to find. Fix: use a "
                "period in which some customers bought."
            )
        )
    return values, outcomes


def gains_table(scores: pd.Series, bought: pd.Series) -> pd.DataFrame:
    """Cumulative gains and lift of ranking customers by ``scores``, at every whole percent.

    A model gives every customer a score: how likely they are to buy soon. A campaign then
    contacts the top x % by score. The **gains** (累积增益) of the ranking is the share of all
    buyers found in that top x %; a random pick of x % finds about x % of them. The **lift**
    (提升度) is the ratio of the two. Customers are sorted from the highest score down (ties keep
    their order in ``scores``); targeting ``p`` % means contacting the first ceil(p/100 x n).

    Parameters
    ----------
    scores : one number per customer, higher = more likely to buy (e.g. a predicted probability).
    bought : True for the customers who did buy, same index as ``scores``.

    Returns
    -------
    DataFrame indexed by ``pct`` (1–100): ``targeted`` (customers contacted), ``buyers_reached``,
    ``share_targeted``, ``share_of_buyers`` (gains: buyers reached / all buyers),
    ``random_buyers`` (buyers a random pick of the same size reaches on average), ``hit_rate``
    (buyers reached / targeted) and ``lift`` (share_of_buyers / share_targeted; 1 = no better
    than random).

    Examples
    --------
    >>> scores = pd.Series([0.9, 0.8, 0.3, 0.2, 0.1])
    >>> bought = pd.Series([True, False, True, False, False])
    >>> gains_table(scores, bought).loc[[20, 40, 60, 100], ["targeted", "buyers_reached", "share_of_buyers", "lift"]]
         targeted  buyers_reached  share_of_buyers      lift
    pct
    20          1               1              0.5  2.500000
    40          2               1              0.5  1.250000
    60          3               2              1.0  1.666667
    100         5               2              1.0  1.000000
    """
    values, outcomes = _scores_and_labels(scores, bought)
    n, buyers = len(values), int(outcomes.sum())
    order = np.argsort(-values, kind="stable")
    reached = np.cumsum(outcomes[order])
    pct = np.arange(1, 101)
    targeted = np.array([max(1, math.ceil(p * n / 100 - 1e-9)) for p in pct])
    buyers_reached = reached[targeted - 1]
    share_targeted = targeted / n
    share_of_buyers = buyers_reached / buyers
    return pd.DataFrame(
        {
            "targeted": targeted.astype("int64"),
            "buyers_reached": buyers_reached.astype("int64"),
            "share_targeted": share_targeted,
            "share_of_buyers": share_of_buyers,
            "random_buyers": share_targeted * buyers,
            "hit_rate": buyers_reached / targeted,
            "lift": share_of_buyers / share_targeted,
        },
        index=pd.Index(pct, name="pct"),
    )


def targeting_value(gains: pd.DataFrame, cost_per_contact: float, value_per_buyer: float) -> pd.DataFrame:
    """The gains table with the cost and benefit of each targeting depth, for the model and at random.

    ``cost = targeted x cost_per_contact``; ``benefit = buyers_reached x value_per_buyer``;
    ``net = benefit - cost``; ``random_net`` is the same for a random pick of the same size.
    Both money amounts are assumptions of the user, in CNY.

    Examples
    --------
    >>> gains = gains_table(pd.Series([0.9, 0.8, 0.3, 0.2, 0.1]), pd.Series([True, False, True, False, False]))
    >>> targeting_value(gains, 1.0, 4.0).loc[[20, 100], ["cost", "benefit", "net", "random_net"]]
         cost  benefit  net  random_net
    pct
    20    1.0      4.0  3.0         0.6
    100   5.0      8.0  3.0         3.0
    """
    for name, value in (("cost_per_contact", cost_per_contact), ("value_per_buyer", value_per_buyer)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.number))
            or not value >= 0
            or not (value <= 1e12 and math.isfinite(float(value)))
        ):
            raise CRMDataError(
                _("{name} must be a number of CNY, 0 to 10^12, got {value!r}. Fix: pass e.g. {name}=1.0.").format(
                    name=name, value=value
                )
            )
    if not isinstance(gains, pd.DataFrame):
        raise CRMDataError(
            _(
                "gains: expected a pandas DataFrame, got {type}. Fix: pass the table that "
                "gains_table(scores, bought) returns."
            ).format(type=type(gains).__name__)
        )
    missing = [c for c in ("targeted", "buyers_reached", "random_buyers") if c not in gains.columns]
    if missing:
        raise CRMDataError(
            _(
                "gains: column '{missing}' is missing. Fix: pass the table that gains_table(scores, bought) returns."
            ).format(missing=missing[0])
        )
    validate.unique_columns(gains, "gains")
    checked = validate.table(
        gains, "gains", {"targeted": "count", "buyers_reached": "count", "random_buyers": "number"}
    )
    numbers = {}
    for column in ("targeted", "buyers_reached", "random_buyers"):
        values = pd.to_numeric(checked[column].astype(object), errors="coerce").astype("float64")
        bad = checked.index[values.isna().to_numpy() | (values.abs() > 1e12).to_numpy()]
        if len(bad):
            raise validate.rows_error(
                "gains",
                column,
                bad,
                noun=_("value"),
                problem=_("that are not counts up to 10^12"),
                fix=_("pass the table that gains_table(scores, bought) returns"),
            )
        numbers[column] = values
    gains = gains.assign(**numbers)
    cost = gains["targeted"] * float(cost_per_contact)
    return gains.assign(
        cost=cost,
        benefit=gains["buyers_reached"] * float(value_per_buyer),
        net=gains["buyers_reached"] * float(value_per_buyer) - cost,
        random_net=gains["random_buyers"] * float(value_per_buyer) - cost,
    )


def targeting_summary(
    gains: pd.DataFrame, pct: int, cost_per_contact: float = 1.0, value_per_buyer: float = 5.0
) -> dict:
    """The numbers of one targeting depth ``pct`` (1–100), as a dict.

    Keys: ``pct``, ``targeted``, ``buyers_reached``, ``random_buyers``, ``share_of_buyers``,
    ``lift``, ``net``, ``random_net`` (see :func:`targeting_value`), and ``best_pct`` (the depth
    with the highest net value).

    >>> gains = gains_table(pd.Series([0.9, 0.8, 0.3, 0.2, 0.1]), pd.Series([True, False, True, False, False]))
    >>> s = targeting_summary(gains, 20, cost_per_contact=1.0, value_per_buyer=4.0)
    >>> s["buyers_reached"], s["random_buyers"], s["net"], s["best_pct"]
    (1, 0.4, 3.0, 41)
    """
    depth = validate.whole_number(pct, "pct", minimum=1, maximum=100, example=20)
    valued = targeting_value(gains, cost_per_contact, value_per_buyer)
    if depth not in valued.index:
        raise CRMDataError(
            _("gains: no row for pct {depth}. Fix: pass the table that gains_table(scores, bought) returns.").format(
                depth=depth
            )
        )
    row = valued.loc[depth]
    return {
        "pct": depth,
        "targeted": int(row["targeted"]),
        "buyers_reached": int(row["buyers_reached"]),
        "random_buyers": round(float(row["random_buyers"]), 1),
        "share_of_buyers": float(row["share_of_buyers"]),
        "lift": float(row["lift"]),
        "net": float(row["net"]),
        "random_net": float(row["random_net"]),
        "best_pct": int(valued["net"].idxmax()),
    }


validate.check_public_arguments(globals(), __all__)
