"""A customer file (客户档案) read from the SQLite customer database (chapter 4).

Pick a customer and see its "360° view": who it is, who its people are, what it buys, how it
pays, what it complained about and what it told the survey, all from one database built by
:func:`crmlib.information.build_sqlite`::

    path = information.build_sqlite(load_retail(), folder / "retail.db")
    customer_file_explorer(path)

:func:`customer_file_explorer`: a customer picker above the file and a chart of its orders. The
file comes from :func:`crmlib.information.customer_file` (the database is opened read-only, one
short connection per look-up, so the explorer never changes it), the chart from
:func:`crmlib.plots.customer_orders_plot`.
"""

from __future__ import annotations

import pandas as pd

from crmlib import information, plots
from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.widgets import View, explorer

__all__ = ["customer_file_explorer"]


def _money(amount: float) -> str:
    return f"{amount / 1e6:,.2f}M" if abs(amount) >= 1e6 else f"{amount:,.0f}"


def _number(value: float) -> str:
    """Money with thousands separators and no cents; small numbers (scores, gaps) as they are."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def _name(file: dict[str, pd.DataFrame]) -> str:
    """The customer's id and company name ("consumer" for a person)."""
    basic = file["basic"].iloc[0]
    name = basic["company_name"] if isinstance(basic["company_name"], str) else _("consumer")
    return f"{basic['customer_id']} {name}"


def _summary(file: dict[str, pd.DataFrame]) -> str:
    """The file in one sentence: who, how much, how it pays, complaints and NPS."""
    basic = file["basic"].iloc[0]
    years = file["years"]
    pay = file["payments"].set_index("payment")["orders"] if len(file["payments"]) else pd.Series(dtype="int64")
    text = _name(file)
    if basic["customer_type"] == "business":
        text += _(" ({industry}, {position}, {years} years with us)").format(
            industry=basic["industry"], position=basic["industry_position"], years=basic["cooperation_years"]
        )
    text += _(": {orders} orders, {sales} CNY sales, {margin} CNY margin; ").format(
        orders=int(years["orders"].sum()) if len(years) else 0,
        sales=_money(years["sales"].sum() if len(years) else 0),
        margin=_money(years["margin"].sum() if len(years) else 0),
    )
    text += _("{tickets} complaint ticket(s); ").format(tickets=len(file["tickets"]))
    text += (
        _("NPS answer {score}; ").format(score=int(file["survey"]["nps_score"].iloc[0]))
        if len(file["survey"])
        else _("no survey answer; ")
    )
    text += _("{overdue} order(s) overdue, {late} paid late.").format(
        overdue=int(pay.get("overdue", 0)), late=int(pay.get("paid late", 0))
    )
    return text


def _file_html(file: dict[str, pd.DataFrame]) -> str:
    shown = dict(file)
    contacts = file["contacts"].copy()
    if len(contacts):  # a file on screen shows no full phone numbers or e-mails
        contacts["phone"] = information.mask_phone(contacts["phone"].astype(object))
        contacts["email"] = information.mask_email(contacts["email"].astype(object))
    shown["contacts"] = contacts
    shown["basic"] = file["basic"].dropna(axis=1).T.reset_index().set_axis(["field", "value"], axis=1)
    captions = {
        "basic": _("basic"),
        "contacts": _("contacts"),
        "categories": _("categories"),
        "payments": _("payments"),
        "years": _("years"),
        "tickets": _("tickets"),
        "survey": _("survey"),
        "contacts_made": _("contacts made"),
    }
    html = [f"<b>{_summary(file)}</b>"]
    for part, names in information.FILE_PARTS.items():
        html.append(f"<h4 style='margin:8px 0 2px 0'>{part}</h4><div style='display:flex;gap:24px;flex-wrap:wrap'>")
        for name in names:
            table = shown[name]
            body = (
                table.to_html(index=False, border=0, na_rep="–", float_format=_number)
                if len(table)
                else _("<i>none</i>")
            )
            html.append(f"<div><i>{captions.get(name, name.replace('_', ' '))}</i>{body}</div>")
        html.append("</div>")
    return "".join(html)


def customer_file_explorer(db, customer_ids=None, start: str | None = None, as_of: str | None = None):
    """A customer picker above the chosen customer's file and a chart of its orders per month.

    Parameters
    ----------
    db : path of a retail database made by :func:`crmlib.information.build_sqlite`.
    customer_ids : the customers to offer; by default every business account.
    start : the customer shown first; by default the first one offered.
    as_of : the day on which payments are judged; by default the last order date.

    Returns
    -------
    The explorer box (:func:`crmlib.widgets.explorer`): control ``customer`` (a Dropdown); the
    summary shows the file's sentence and its tables (contacts masked); ``state["file"]`` is the
    :func:`crmlib.information.customer_file` shown now.
    """
    import ipywidgets as widgets

    first, last = information.order_span(db)
    as_of = as_of or last
    try:
        offered = information.file_customers(db, customer_ids)
    except CRMDataError as err:
        raise CRMDataError(_("customer_file_explorer: {err}").format(err=err)) from None
    options = [
        (f"{cid} {name if isinstance(name, str) else _('consumer')}", cid)
        for cid, name in zip(offered["customer_id"], offered["company_name"], strict=True)
    ]
    values = [value for _label, value in options]
    start = start or values[0]
    if start not in values:
        raise CRMDataError(
            _(
                "customer_file_explorer: start {start!r} is not among the customers offered. Fix: "
                "pass one of them, e.g. {values!r}."
            ).format(start=start, values=values[0])
        )
    controls = {
        "customer": widgets.Dropdown(
            options=options, value=start, description=_("customer 客户"), layout=widgets.Layout(width="460px")
        )
    }

    def render(customer: str) -> View:
        from matplotlib.figure import Figure

        file = information.customer_file(db, customer, as_of)
        fig = Figure(figsize=(9, 3.2), layout="constrained")
        plots.customer_orders_plot(
            file["months"], file["tickets"], first[:7], last[:7], customer=_name(file), ax=fig.add_subplot()
        )
        return View(_file_html(file), fig, state={"file": file})

    return explorer(controls, render)
