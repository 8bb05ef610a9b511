"""Which rule finds the duplicates? (chapter 4, the data-quality notebook)

:func:`crmlib.information.find_duplicates` proposes pairs of records that may be the same
person, by three rules: same phone, same e-mail, same name and city. Here each pair is checked
against the customer account the records belong to: a pair inside one account is a true
duplicate, a pair across two accounts is a false alarm (two people who share a name and a city).

* :func:`duplicate_pairs`: the pairs the chosen rules find, with ``same_customer``;
* :func:`known_duplicates`: how many true duplicate pairs there are to find;
* :func:`duplicate_summary`: how many pairs, how many true duplicates and false alarms;
* :func:`duplicate_explorer`: tick the rules and see the counts and a masked preview of pairs.
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd

from crmlib import information, validate
from crmlib.validate import CRMDataError

__all__ = ["duplicate_pairs", "known_duplicates", "duplicate_summary", "duplicate_explorer"]

#: The extra rule of :func:`duplicate_pairs` when ``confirm_address`` is set.
ADDRESS_RULE = "same name, city and address"


def _clean_address(values: pd.Series) -> pd.Series:
    """Addresses without spaces, full-width characters made half-width; blanks become missing."""
    text = values.astype(object).where(values.notna(), None)
    clean = pd.Series(text, index=values.index, dtype=object).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    return clean.where(clean.notna() & (clean != ""), None)


def duplicate_pairs(contacts: pd.DataFrame, rules=information.DUPLICATE_RULES, confirm_address: bool = False,
                    id: str = "contact_id", customer: str = "customer_id", address: str = "address") -> pd.DataFrame:
    """The candidate duplicate pairs found by some of the rules, marked true or false by account.

    Parameters
    ----------
    contacts : the contacts table (``retail.contacts``).
    rules : the rules to use, any of :data:`crmlib.information.DUPLICATE_RULES`.
    confirm_address : if True, the rule "same name and city" only counts when the two
        addresses are the same too (both present, equal once spaces are removed).
    id, customer, address : column names.

    Returns
    -------
    The rows of :func:`crmlib.information.find_duplicates` that one of the chosen rules found,
    plus ``customer_1``, ``customer_2`` and ``same_customer`` (True: both records belong to
    one customer account).

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
    chosen = [rules] if isinstance(rules, str) else list(rules)
    unknown = [r for r in chosen if r not in information.DUPLICATE_RULES]
    if unknown:
        raise CRMDataError(f"rules: unknown rule {unknown[0]!r}. Fix: choose from {list(information.DUPLICATE_RULES)}.")
    validate.require_columns(contacts, "contacts", [id, customer, address])
    pairs = information.find_duplicates(contacts, id=id)
    first, second = f"{id}_1", f"{id}_2"
    lookup = contacts.set_index(id)
    customer_1 = lookup.loc[pairs[first], customer].to_numpy(dtype=object)
    customer_2 = lookup.loc[pairs[second], customer].to_numpy(dtype=object)
    found = pd.DataFrame({r: pairs["rule"].str.contains(r, regex=False) for r in information.DUPLICATE_RULES}, index=pairs.index)
    if confirm_address:
        cleaned = _clean_address(lookup[address])
        a1 = cleaned.loc[pairs[first]].to_numpy(dtype=object)
        a2 = cleaned.loc[pairs[second]].to_numpy(dtype=object)
        same_address = np.array([x is not None and x == y for x, y in zip(a1, a2)], dtype=bool)
        found["same name and city"] &= same_address
        found = found.rename(columns={"same name and city": ADDRESS_RULE})
        chosen = [ADDRESS_RULE if r == "same name and city" else r for r in chosen]
    keep = found[chosen].any(axis=1).to_numpy(dtype=bool) if chosen else np.zeros(len(pairs), dtype=bool)
    rule = found.apply(lambda flags: "; ".join(name for name, hit in flags.items() if hit), axis=1) if len(found) else pairs["rule"]
    result = pairs.assign(rule=rule, customer_1=customer_1, customer_2=customer_2, same_customer=customer_1 == customer_2)
    return result.loc[keep].reset_index(drop=True)


def known_duplicates(contacts: pd.DataFrame, customer: str = "customer_id", name: str = "contact_name") -> int:
    """Number of record pairs with the same customer account and the same name: the duplicates to find.

    Names are compared after :func:`crmlib.information.normalise_name`.

    >>> known_duplicates(pd.DataFrame({"customer_id": ["A", "A", "A", "B"], "contact_name": ["王伟", "王 伟", "李娜", "王伟"]}))
    1
    """
    validate.require_columns(contacts, "contacts", [customer, name])
    keys = pd.DataFrame({"customer": contacts[customer].to_numpy(dtype=object),
                         "name": information.normalise_name(contacts[name]).to_numpy(dtype=object)}).dropna()
    sizes = keys.groupby(["customer", "name"]).size().to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def duplicate_summary(pairs: pd.DataFrame) -> dict:
    """Counts of a :func:`duplicate_pairs` table: ``pairs``, ``true_duplicates``, ``false_alarms`` and ``precision``.

    ``precision`` is the share of pairs that are true duplicates (NaN when there are no pairs).

    >>> duplicate_summary(pd.DataFrame({"same_customer": [True, True, False]}))
    {'pairs': 3, 'true_duplicates': 2, 'false_alarms': 1, 'precision': 0.6666666666666666}
    """
    if "same_customer" not in pairs.columns:
        raise CRMDataError("pairs: column 'same_customer' is missing. Fix: pass the table that duplicate_pairs(contacts) returns.")
    same = pairs["same_customer"].to_numpy(dtype=bool)
    n = len(same)
    return {"pairs": n, "true_duplicates": int(same.sum()), "false_alarms": int(n - same.sum()),
            "precision": float(same.mean()) if n else float("nan")}


def _summary_text(s: dict, rules: list[str], confirm: bool, known: int) -> str:
    if not rules:
        return f"No rule chosen: tick at least one. (There are {known} true duplicate pairs to find.)"
    named = ", ".join(ADDRESS_RULE if (r == "same name and city" and confirm) else r for r in rules)
    if s["pairs"] == 0:
        return f"Rules: {named} → no pairs found, 0 of the {known} true duplicate pairs."
    return (f"Rules: {named} → {s['pairs']} pairs: {s['true_duplicates']} inside one customer account (true duplicates), "
            f"{s['false_alarms']} across two accounts (false alarms). Found {s['true_duplicates']} of the {known} true duplicate pairs; "
            f"{s['precision']:.0%} of the pairs found are right.")


def _preview_html(pairs: pd.DataFrame, contacts: pd.DataFrame, id: str, rows: int) -> str:
    """Up to ``rows`` true and ``rows`` false pairs, names, phones and e-mails masked."""
    if pairs.empty:
        return "<p><i>No pairs to show.</i></p>"
    shown = pd.concat([pairs[pairs["same_customer"]].head(rows), pairs[~pairs["same_customer"]].head(rows)])
    masked = information.mask_pii(contacts.set_index(id)[["contact_name", "phone", "email", "city"]])
    first, second = masked.loc[shown[f"{id}_1"]].reset_index(drop=True), masked.loc[shown[f"{id}_2"]].reset_index(drop=True)
    table = pd.DataFrame({
        "rule": shown["rule"].to_numpy(),
        "account 1": shown["customer_1"].to_numpy(), "account 2": shown["customer_2"].to_numpy(),
        "name 1": first["contact_name"], "name 2": second["contact_name"],
        "phone 1": first["phone"], "phone 2": second["phone"],
        "city": first["city"].astype(str),
        "verdict": np.where(shown["same_customer"].to_numpy(), "true duplicate", "false alarm"),
    }).fillna("")
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px'>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    head = "".join(f"<th style='padding:2px 8px;text-align:left'>{html.escape(c)}</th>" for c in table.columns)
    return f"<table style='font-size:90%'><tr>{head}</tr>{body}</table>"


def duplicate_explorer(contacts: pd.DataFrame, rows: int = 3, id: str = "contact_id"):
    """Tick boxes for the duplicate rules, a line of counts and a masked preview of the pairs.

    Parameters
    ----------
    contacts : the contacts table (``retail.contacts``).
    rows : how many true duplicates and how many false alarms the preview shows.

    Returns
    -------
    ``ipywidgets.VBox``. Its attributes ``checks`` (dict rule → ``ipywidgets.Checkbox``),
    ``confirm`` (the checkbox "also require the same address"), ``summary`` (an
    ``ipywidgets.Label``), ``preview`` (an ``ipywidgets.HTML``), ``known`` (see :func:`known_duplicates`) and ``numbers()`` (the dict of
    :func:`duplicate_summary` shown now) make it easy to test.
    """
    import ipywidgets as widgets

    every_rule = list(information.DUPLICATE_RULES)
    known = known_duplicates(contacts)
    checks = {rule: widgets.Checkbox(value=True, description=rule, indent=False) for rule in every_rule}
    confirm = widgets.Checkbox(value=False, description="name-and-city pairs must also share the address", indent=False,
                               layout=widgets.Layout(width="auto"))
    summary = widgets.Label()
    preview = widgets.HTML()

    def chosen() -> list[str]:
        return [rule for rule, box in checks.items() if box.value]

    def current() -> pd.DataFrame:
        return duplicate_pairs(contacts, chosen(), confirm_address=confirm.value, id=id)

    def numbers() -> dict:
        return duplicate_summary(current())

    def show(_change=None) -> None:
        pairs = current()
        summary.value = _summary_text(duplicate_summary(pairs), chosen(), confirm.value, known)
        preview.value = _preview_html(pairs, contacts, id, rows)

    show()
    for box in (*checks.values(), confirm):
        box.observe(show, names="value")
    layout = widgets.VBox([widgets.HBox(list(checks.values())), confirm, summary, preview])
    layout.checks, layout.confirm, layout.summary, layout.preview = checks, confirm, summary, preview
    layout.numbers = numbers
    layout.known = known
    return layout
