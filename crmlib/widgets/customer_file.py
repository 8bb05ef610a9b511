"""A customer file (客户档案) read from the SQLite customer database (chapter 4).

Pick a customer and see its "360° view": who it is, who its people are, what it buys, how it
pays, what it complained about and what it told the survey, all from one database built by
:func:`crmlib.information.build_sqlite`::

    path = information.build_sqlite(load_retail(), folder / "retail.db")
    customer_file_explorer(path)

* :func:`customer_file`: the parts of one customer's file, as DataFrames, each from one SQL query;
* :func:`file_summary`: the file in one sentence;
* :func:`customer_file_explorer`: a customer picker above the file and a chart of its orders.

The database is opened read-only, one short connection per look-up, so the explorer never
changes it.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd

from crmlib.validate import CRMDataError
from crmlib.widgets import chart_fonts, png_bytes

__all__ = ["FILE_QUERIES", "PAYMENT_STATUS_SQL", "customer_file", "file_summary", "customer_file_explorer"]

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

#: The three parts of a business customer's file and the queries that fill them.
PARTS = {
    "Basic data 基本资料": ["basic", "contacts"],
    "Business situation 经营状况": ["categories", "payments"],
    "Transaction history 交易记录": ["years", "tickets", "survey", "contacts_made"],
}


def _connect(db) -> sqlite3.Connection:
    path = Path(db)
    if not path.is_file():
        raise CRMDataError(f"customer_file: no database file at {path}. Fix: build it first, "
                           "e.g. path = information.build_sqlite(load_retail(), folder / \"retail.db\").")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _as_of(con: sqlite3.Connection) -> str:
    """The last day in the data: the latest order date."""
    return con.execute("SELECT MAX(order_date) FROM orders").fetchone()[0]


def customer_file(db, customer_id: str, as_of: str | None = None) -> dict[str, pd.DataFrame]:
    """One customer's file: a DataFrame per entry of :data:`FILE_QUERIES`.

    Parameters
    ----------
    db : path of a retail database made by :func:`crmlib.information.build_sqlite`.
    customer_id : e.g. ``"C10280"``.
    as_of : the day on which payments are judged (``YYYY-MM-DD``); by default the last order date.

    Returns
    -------
    ``{"basic": …, "contacts": …, "categories": …, "payments": …, "years": …, "months": …,
    "tickets": …, "survey": …, "contacts_made": …}``; a part the customer has nothing in is an
    empty table with its columns.
    """
    with closing(_connect(db)) as con:
        known = con.execute("SELECT 1 FROM customers WHERE customer_id = ?", (customer_id,)).fetchone()
        if known is None:
            raise CRMDataError(f"customer_file: no customer {customer_id!r} in the database. Fix: pass a customer_id "
                               "of the customers table, e.g. \"C10280\".")
        params = {"cid": customer_id, "as_of": as_of or _as_of(con)}
        return {name: pd.read_sql_query(sql, con, params=params) for name, sql in FILE_QUERIES.items()}


def _money(amount: float) -> str:
    return f"{amount / 1e6:,.2f}M" if abs(amount) >= 1e6 else f"{amount:,.0f}"


def _number(value: float) -> str:
    """Money with thousands separators and no cents; small numbers (scores, gaps) as they are."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def file_summary(file: dict[str, pd.DataFrame]) -> str:
    """The file in one sentence: who, how much, how it pays, complaints and NPS."""
    basic = file["basic"].iloc[0]
    name = basic["company_name"] if isinstance(basic["company_name"], str) else "consumer"
    years = file["years"]
    pay = file["payments"].set_index("payment")["orders"] if len(file["payments"]) else pd.Series(dtype="int64")
    text = f"{basic['customer_id']} {name}"
    if basic["customer_type"] == "business":
        text += f" ({basic['industry']}, {basic['industry_position']}, {basic['cooperation_years']} years with us)"
    text += (f": {int(years['orders'].sum()) if len(years) else 0} orders, {_money(years['sales'].sum() if len(years) else 0)} CNY sales, "
             f"{_money(years['margin'].sum() if len(years) else 0)} CNY margin; ")
    text += f"{len(file['tickets'])} complaint ticket(s); "
    text += f"NPS answer {int(file['survey']['nps_score'].iloc[0])}; " if len(file["survey"]) else "no survey answer; "
    text += f"{int(pay.get('overdue', 0))} order(s) overdue, {int(pay.get('paid late', 0))} paid late."
    return text


def _file_html(file: dict[str, pd.DataFrame]) -> str:
    from crmlib.information import mask_email, mask_phone

    shown = dict(file)
    contacts = file["contacts"].copy()
    if len(contacts):  # a file on screen shows no full phone numbers or e-mails
        contacts["phone"] = mask_phone(contacts["phone"].astype(object))
        contacts["email"] = mask_email(contacts["email"].astype(object))
    shown["contacts"] = contacts
    shown["basic"] = file["basic"].dropna(axis=1).T.reset_index().set_axis(["field", "value"], axis=1)
    html = [f"<b>{file_summary(file)}</b>"]
    for part, names in PARTS.items():
        html.append(f"<h4 style='margin:8px 0 2px 0'>{part}</h4><div style='display:flex;gap:24px;flex-wrap:wrap'>")
        for name in names:
            table = shown[name]
            body = table.to_html(index=False, border=0, na_rep="–", float_format=_number) if len(table) else "<i>none</i>"
            html.append(f"<div><i>{name.replace('_', ' ')}</i>{body}</div>")
        html.append("</div>")
    return "".join(html)


def _figure_png(file: dict[str, pd.DataFrame], first_month: str, last_month: str) -> bytes:
    """Monthly order amounts with the complaint months marked, as PNG bytes (bare Figure, no pyplot)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter


    months = pd.period_range(first_month, last_month, freq="M")
    amounts = file["months"].set_index("month")["amount"].reindex(months.strftime("%Y-%m"), fill_value=0.0)
    ticket_months = pd.to_datetime(file["tickets"]["received_at"]).dt.strftime("%Y-%m") if len(file["tickets"]) else pd.Series([], dtype=object)
    basic = file["basic"].iloc[0]
    name = basic["company_name"] if isinstance(basic["company_name"], str) else "consumer"
    with chart_fonts():
        fig = Figure(figsize=(9, 3.2), layout="constrained")
        ax = fig.add_subplot()
        x = np.arange(len(months))
        ax.bar(x, amounts.to_numpy(), color="#4C72B0", label="order amount 订单金额")
        top = float(amounts.max()) or 1.0
        marked = [i for i, m in enumerate(amounts.index) if m in set(ticket_months)]
        if marked:
            ax.plot(marked, [top * 1.08] * len(marked), marker="v", color="#C44E52", linestyle="none",
                    markersize=9, label="complaint ticket 投诉")
        ax.set_ylim(0, top * 1.2)
        ax.set_xticks(x[::3], [m.strftime("%Y-%m") for m in months[::3]])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v / 1000:,.0f}"))
        ax.set(title=f"{basic['customer_id']} {name}: orders per month 每月订单", xlabel="month 月份",
               ylabel="thousand CNY 千元")
        ax.legend(loc="upper left", fontsize=8)
        return png_bytes(fig)


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
    ``ipywidgets.VBox`` with the picker (a Dropdown), the file (an HTML widget) and the chart.
    Its attributes ``picker``, ``summary`` (an HTML widget with :func:`file_summary` and the
    tables), ``image`` (an ``ipywidgets.Image``) and ``file()`` (the :func:`customer_file`
    shown now) make it easy to test.
    """
    import ipywidgets as widgets

    with closing(_connect(db)) as con:
        as_of = as_of or _as_of(con)
        first, last = con.execute("SELECT MIN(order_date), MAX(order_date) FROM orders").fetchone()
        if customer_ids is None:
            sql = "SELECT customer_id, company_name FROM customers WHERE customer_type = 'business' ORDER BY customer_id"
            options = [(f"{cid} {name}", cid) for cid, name in con.execute(sql)]
        else:
            ids = [str(c) for c in customer_ids]
            names = dict(con.execute(f"SELECT customer_id, company_name FROM customers WHERE customer_id IN ({','.join('?' * len(ids))})", ids))
            missing = [c for c in ids if c not in names]
            if not ids or missing:
                raise CRMDataError(f"customer_file_explorer: unknown customer_ids {missing[:5]!r}. Fix: pass ids of the customers table.")
            options = [(f"{c} {names[c] or 'consumer'}", c) for c in ids]
    values = [v for _, v in options]
    start = start or values[0]
    if start not in values:
        raise CRMDataError(f"customer_file_explorer: start {start!r} is not among the customers offered. Fix: pass one of them, e.g. {values[0]!r}.")
    picker = widgets.Dropdown(options=options, value=start, description="customer 客户", layout=widgets.Layout(width="460px"))
    summary = widgets.HTML()
    image = widgets.Image(format="png")
    month_range = (first[:7], last[:7])

    def current() -> dict[str, pd.DataFrame]:
        return customer_file(db, picker.value, as_of)

    def show(_change=None) -> None:
        file = current()
        summary.value = _file_html(file)
        image.value = _figure_png(file, *month_range)

    show()
    picker.observe(show, names="value")
    box = widgets.VBox([picker, summary, image])
    box.picker, box.summary, box.image = picker, summary, image
    box.file = current
    return box
