"""Which rule finds the duplicates? (chapter 4, the data-quality notebook)

:func:`crmlib.information.find_duplicates` proposes pairs of records that may be the same
person, by three rules: same phone, same e-mail, same name and city. Here each pair is checked
against the customer account the records belong to: a pair inside one account is a true
duplicate, a pair across two accounts is a false alarm (two people who share a name and a city).

:func:`duplicate_explorer`: tick the rules and see the counts and a masked preview of pairs. The
numbers come from :func:`crmlib.information.duplicate_pairs`,
:func:`~crmlib.information.duplicate_summary` and :func:`~crmlib.information.known_duplicates`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from crmlib import information
from crmlib.messages import gettext as _
from crmlib.widgets import View, explorer

__all__ = ["duplicate_explorer"]

#: The control of the checkbox "name-and-city pairs must also share the address".
_CONFIRM = "confirm_address"


def _rule_names() -> dict:
    """The duplicate rules (and :data:`crmlib.information.ADDRESS_RULE`) as shown, in the current language."""
    return {
        "same phone": _("same phone"),
        "same email": _("same email"),
        "same name and city": _("same name and city"),
        information.ADDRESS_RULE: _("same name, city and address"),
    }


def _summary(s: dict, rules: list[str], confirm: bool, known: int) -> str:
    if not rules:
        return _("No rule chosen: tick at least one. (There are {known} true duplicate pairs to find.)").format(
            known=known
        )
    shown = _rule_names()
    named = _(", ").join(
        shown.get(rule, rule)
        for rule in (information.ADDRESS_RULE if (r == "same name and city" and confirm) else r for r in rules)
    )
    if s["pairs"] == 0:
        return _("Rules: {named} → no pairs found, 0 of the {known} true duplicate pairs.").format(
            named=named, known=known
        )
    return _(
        "Rules: {named} → {pairs} pairs: {true} inside one customer account (true duplicates), "
        "{false} across two accounts (false alarms). "
        "Found {true} of the {known} true duplicate pairs; {precision} of the pairs found are right."
    ).format(
        named=named,
        pairs=s["pairs"],
        true=s["true_duplicates"],
        false=s["false_alarms"],
        known=known,
        precision=f"{s['precision']:.0%}",
    )


def _preview_html(pairs: pd.DataFrame, contacts: pd.DataFrame, id: str, rows: int) -> str:
    """Up to ``rows`` true and ``rows`` false pairs, names, phones and e-mails masked."""
    if pairs.empty:
        return _("<p><i>No pairs to show.</i></p>")
    shown = pd.concat([pairs[pairs["same_customer"]].head(rows), pairs[~pairs["same_customer"]].head(rows)])
    masked = information.mask_pii(contacts.set_index(id)[["contact_name", "phone", "email", "city"]])
    first, second = (
        masked.loc[shown[f"{id}_1"]].reset_index(drop=True),
        masked.loc[shown[f"{id}_2"]].reset_index(drop=True),
    )
    rule_names = _rule_names()
    table = pd.DataFrame(
        {
            _("rule"): [_("; ").join(rule_names.get(r, r) for r in str(rule).split("; ")) for rule in shown["rule"]],
            _("account 1"): shown["customer_1"].to_numpy(),
            _("account 2"): shown["customer_2"].to_numpy(),
            _("name 1"): first["contact_name"],
            _("name 2"): second["contact_name"],
            _("phone 1"): first["phone"],
            _("phone 2"): second["phone"],
            _("city"): first["city"].astype(str),
            _("verdict"): np.where(shown["same_customer"].to_numpy(), _("true duplicate"), _("false alarm")),
        }
    ).fillna("")
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 8px'>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
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
    The explorer box (:func:`crmlib.widgets.explorer`): one checkbox control per rule of
    :data:`crmlib.information.DUPLICATE_RULES` (named by the rule) and ``confirm_address`` ("also
    require the same address"); the preview is ``box.table``. ``state["numbers"]`` is the dict of
    :func:`crmlib.information.duplicate_summary` shown now, ``state["pairs"]`` the pairs and
    ``state["known"]`` the true duplicate pairs there are to find
    (:func:`~crmlib.information.known_duplicates`).
    """
    import ipywidgets as widgets

    every_rule = list(information.DUPLICATE_RULES)
    known = information.known_duplicates(contacts)
    labels = _rule_names()
    controls = {
        rule: widgets.Checkbox(value=True, description=labels.get(rule, rule), indent=False) for rule in every_rule
    }
    controls[_CONFIRM] = widgets.Checkbox(
        value=False,
        description=_("name-and-city pairs must also share the address"),
        indent=False,
        layout=widgets.Layout(width="auto"),
    )

    def render(**ticked) -> View:
        chosen = [rule for rule in every_rule if ticked[rule]]
        pairs = information.duplicate_pairs(contacts, chosen, confirm_address=ticked[_CONFIRM], id=id)
        numbers = information.duplicate_summary(pairs)
        return View(
            _summary(numbers, chosen, ticked[_CONFIRM], known),
            table=_preview_html(pairs, contacts, id, rows),
            state={"numbers": numbers, "pairs": pairs, "known": known},
        )

    return explorer(controls, render, rows=[every_rule, _CONFIRM])
