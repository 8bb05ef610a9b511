"""Tests of crmlib.information: hand-computed small cases, the planted contact flaws of the
shipped data (datasets/README.md), the SQLite database, bad input, and generated messy input."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from crmlib import information as I
from crmlib.datasets import Dataset, data_dir
from crmlib.validate import CRMDataError


@pytest.fixture(scope="module")
def retail_db(retail, tmp_path_factory):
    return I.build_sqlite(retail, tmp_path_factory.mktemp("db") / "retail.db")


def connect(path):
    """A connection that enforces foreign keys (SQLite switches them on per connection)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    return closing(con)


@pytest.fixture(scope="module")
def mini(retail):
    """The small retail world of :func:`small_world`, built once; use ``fresh(mini)`` for a copy."""
    return small_world(retail)


def fresh(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.copy() for name, frame in tables.items()}


def small_world(retail) -> dict[str, pd.DataFrame]:
    """A small retail world whose keys all resolve: consumer C00010 (with a ticket and a survey),
    account C10301 won through opportunity OP00001 from lead L00001, one disqualified lead."""
    r = retail
    customers = ["C00010", "C10301"]
    leads = r.leads[
        (r.leads["lead_id"] == "L00001") | (r.leads.index == r.leads.index[r.leads["status"] == "disqualified"][0])
    ]
    orders = r.orders[r.orders["customer_id"].isin(customers)]
    lines = r.order_lines[r.order_lines["order_id"].isin(orders["order_id"])]
    tables = {
        "sales_reps": r.sales_reps,
        "customers": r.customers[r.customers["customer_id"].isin(customers)],
        "contacts": r.contacts[r.contacts["customer_id"].isin(customers)],
        "leads": leads,
        "opportunities": r.opportunities[r.opportunities["opportunity_id"] == "OP00001"],
        "activities": r.activities[
            (r.activities["opportunity_id"] == "OP00001") | r.activities["customer_id"].isin(customers)
        ],
        "products": r.products[r.products["product_id"].isin(lines["product_id"])],
        "orders": orders,
        "order_lines": lines,
        "tickets": r.tickets[r.tickets["customer_id"].isin(customers)],
        "surveys": r.surveys[r.surveys["customer_id"].isin(customers)],
        "marketing_spend": r.marketing_spend.head(3),
    }
    return {name: frame.copy() for name, frame in tables.items()}


# ---------------------------------------------------------------------------------------------
# completeness
# ---------------------------------------------------------------------------------------------
def test_field_and_record_completeness_by_hand():
    data = pd.DataFrame(
        {
            "name": ["王伟", "  ", "李娜", None],  # one blank, one missing -> 2 of 4
            "phone": ["13812345678", "", None, "139"],  # 2 of 4
            "age": [30, np.nan, 41, 25],  # 3 of 4
        }
    )
    before = data.copy()
    fields = I.field_completeness(data)
    assert fields["field"].tolist() == ["name", "phone", "age"]
    assert fields["filled"].tolist() == [2, 2, 3] and fields["missing"].tolist() == [2, 2, 1]
    assert fields["share_filled"].tolist() == pytest.approx([0.5, 0.5, 0.75])
    records = I.record_completeness(data)
    assert records["filled"].tolist() == [3, 0, 2, 2]
    assert records["share_filled"].tolist() == pytest.approx([1, 0, 2 / 3, 2 / 3])
    assert records["missing_fields"].tolist() == ["", "name; phone; age", "phone", "name"]
    only_phone = I.record_completeness(data, fields=["phone"])
    assert only_phone["filled"].tolist() == [1, 0, 0, 1]
    pd.testing.assert_frame_equal(data, before)


def test_completeness_of_shipped_contacts(retail):
    # datasets/README.md: 350 empty phones, 2,600 empty e-mails, 600 empty addresses
    fields = I.field_completeness(retail.contacts).set_index("field")
    assert fields.loc[["phone", "email", "address"], "missing"].tolist() == [350, 2600, 600]
    assert fields.loc["contact_id", "share_filled"] == 1.0
    records = I.record_completeness(retail.contacts, fields=["phone", "email", "address"])
    # "no row carries two of the flaws", so no record lacks more than one of the three
    assert records["filled"].min() == 2
    assert (records["missing_fields"] == "").sum() == 11776 - 350 - 2600 - 600


# ---------------------------------------------------------------------------------------------
# normalising and format checks
# ---------------------------------------------------------------------------------------------
def test_normalise_phone_forms():
    raw = pd.Series(
        [
            "138 1234 5678",
            "+86 13812345678",
            "0086-138-1234-5678",
            "8613812345678",
            "１３８１２３４５６７８",
            "(138) 1234-5678",
            "1381234567",
            "  ",
            None,
        ],
        index=list("abcdefghi"),
        name="phone",
    )
    out = I.normalise_phone(raw)
    assert out.index.tolist() == list("abcdefghi") and out.name == "phone"
    assert out.iloc[:6].tolist() == ["13812345678"] * 6
    assert out["g"] == "1381234567" and pd.isna(out["h"]) and pd.isna(out["i"])
    # phones stored as numbers by a spreadsheet
    assert I.normalise_phone(pd.Series([13812345678, 13912345678.0])).tolist() == ["13812345678", "13912345678"]
    assert I.normalise_phone(pd.Series([13812345678, None], dtype=object)).tolist()[0] == "13812345678"


def test_normalise_email_and_name():
    assert I.normalise_email(pd.Series(["  TIANYANLI06@EXAMPLE.COM", "a@b.cn ", "\t"])).tolist()[:2] == [
        "tianyanli06@example.com",
        "a@b.cn",
    ]
    assert pd.isna(I.normalise_email(pd.Series(["\t"])).iloc[0])
    assert I.normalise_name(pd.Series(["  王　伟 ", "欧阳 娜娜", "ＡＢＣ"])).tolist() == ["王伟", "欧阳娜娜", "ABC"]


def test_phone_and_email_validity():
    phones = pd.Series(
        ["13812345678", "+86 199 0000 1111", "12812345678", "1381234567", "138123456780", "1381234567a", None]
    )
    assert I.phone_is_valid(phones).tolist() == [True, True, False, False, False, False, False]
    emails = pd.Series(
        [
            "li@example.com",
            " LI.NA+crm@Example.ORG ",
            "wangwei27example.com",
            "wangwei27 @example.com",
            "a@b",
            "a@@b.com",
            "",
            None,
        ]
    )
    assert I.email_is_valid(emails).tolist() == [True, True, False, False, False, False, False, False]
    assert I.email_is_valid(emails).dtype == bool


def test_planted_malformed_values_are_flagged(retail):
    c = retail.contacts
    # datasets/README.md: 40 phones too short + 20 too long; 30 e-mails without '@' + 20 with a space
    assert int((~I.phone_is_valid(c["phone"]) & c["phone"].notna()).sum()) == 60
    assert int((~I.email_is_valid(c["email"]) & c["email"].notna()).sum()) == 50
    digits = I.normalise_phone(c["phone"]).str.len()
    assert (digits == 10).sum() == 40 and (digits == 12).sum() == 20


# ---------------------------------------------------------------------------------------------
# duplicates
# ---------------------------------------------------------------------------------------------
def test_find_duplicates_by_hand():
    contacts = pd.DataFrame(
        {
            "contact_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
            "contact_name": ["王伟", "王 伟", "李娜", "王伟", "李娜", "张三"],
            "phone": ["13812345678", "138-1234-5678", None, "13900000000", "+86 13900000000", None],
            "email": ["wang@example.com", None, "li@example.com", " WANG@example.com", "LI@EXAMPLE.COM", None],
            "city": ["Wuhan", "Wuhan", "Wuhan", "Changsha", "wuhan", "Wuhan"],
        }
    )
    out = I.find_duplicates(contacts)
    # c1-c2: same phone after normalising, same name and city
    # c1-c4: same e-mail (c4 is in another city)
    # c3-c5: same e-mail, same name and city (city compared ignoring case)
    # c4-c5: same phone (different names)
    # c6 has nothing in common with anyone; missing values never match
    assert out.columns.tolist() == ["contact_id_1", "contact_id_2", "rule"]
    assert out.values.tolist() == [
        ["c1", "c2", "same phone; same name and city"],
        ["c1", "c4", "same email"],
        ["c3", "c5", "same email; same name and city"],
        ["c4", "c5", "same phone"],
    ]
    none = I.find_duplicates(contacts.iloc[[0, 2, 5]])
    assert none.empty and none.columns.tolist() == ["contact_id_1", "contact_id_2", "rule"]
    # three records sharing one phone give three pairs
    three = pd.DataFrame(
        {"id": [1, 2, 3], "n": ["a", "b", "c"], "p": ["13812345678"] * 3, "e": [None] * 3, "c": ["X", "Y", "Z"]}
    )
    out = I.find_duplicates(three, id="id", name="n", phone="p", email="e", city="c")
    assert out[["id_1", "id_2"]].values.tolist() == [[1, 2], [1, 3], [2, 3]]


def test_find_duplicates_on_shipped_contacts(retail):
    c = retail.contacts
    pairs = I.find_duplicates(c)
    owner = c.set_index("contact_id")["customer_id"]
    same_customer = pairs[owner.loc[pairs["contact_id_1"]].to_numpy() == owner.loc[pairs["contact_id_2"]].to_numpy()]
    # The 150 planted repeat entries are the last 150 rows; each is found exactly once, paired
    # with its original, and the rules say how it was re-entered (60 phone re-typed, 50 e-mail
    # re-typed, 40 new phone: datasets/README.md).
    repeats = set(c["contact_id"].iloc[-150:])
    assert len(same_customer) == 150
    assert set(same_customer["contact_id_2"]) == repeats
    assert same_customer["rule"].value_counts().to_dict() == {
        "same phone; same name and city": 60,
        "same email; same name and city": 50,
        "same name and city": 40,
    }
    # Everything else the rules find is a pair of different customers who share a common name in
    # the same city (names are random draws of common surnames and given names). The rule cannot
    # tell them apart, which is why the result is a list of candidates for a person to check.
    others = pairs.drop(same_customer.index)
    assert len(others) == 281
    assert (others["rule"] == "same name and city").all()


def test_find_duplicates_keeps_the_input(retail):
    c = retail.contacts.head(50).copy()
    before = c.copy()
    I.find_duplicates(c)
    pd.testing.assert_frame_equal(c, before)


# ---------------------------------------------------------------------------------------------
# masking
# ---------------------------------------------------------------------------------------------
def test_mask_functions_by_hand():
    assert I.mask_phone(pd.Series(["13812345678", "138-1234-5678", "1381234567", "", None])).tolist()[:3] == [
        "138********",
        "138********",
        "**********",
    ]
    assert I.mask_phone(pd.Series([13812345678, 13987654321])).tolist() == ["138********", "139********"]
    assert I.mask_email(
        pd.Series(["alice@example.com", "wangwei27 @example.com", "wangwei27example.com", "x@@y.com"])
    ).tolist() == ["a***@example.com", "w***@example.com", "********************", "********"]
    assert I.mask_name(pd.Series(["张三", "欧阳娜娜", "王", " 李 娜 "])).tolist() == ["张*", "欧***", "*", "李*"]
    for masker in (I.mask_phone, I.mask_email, I.mask_name):
        out = masker(pd.Series([None, np.nan], index=[5, 6], name="x"))
        assert out.isna().all() and out.index.tolist() == [5, 6] and out.name == "x"


def test_mask_pii_on_shipped_contacts_never_reveals_a_value(retail):
    c = retail.contacts
    before = c.copy()
    masked = I.mask_pii(c)
    pd.testing.assert_frame_equal(c, before)
    untouched = [col for col in c.columns if col not in ("phone", "email", "contact_name")]
    pd.testing.assert_frame_equal(masked[untouched], c[untouched])
    for column, normalise in (
        ("phone", I.normalise_phone),
        ("email", I.normalise_email),
        ("contact_name", I.normalise_name),
    ):
        clean = normalise(c[column])
        assert (masked[column].isna() == clean.isna()).all(), column  # missing stays missing
        shown = masked[column].dropna()
        assert not (shown == clean[shown.index]).any(), column
        assert not (shown == c.loc[shown.index, column]).any(), column
        assert shown.str.contains("*", regex=False).all(), column
    valid = I.phone_is_valid(c["phone"])
    assert masked.loc[valid, "phone"].str.fullmatch(r"1[3-9][0-9]\*{8}").all()
    # A masked phone is no identifier: every masked value is shared by many contacts (measured: at
    # least 256 per value, 38 values). The receipt style, first three and last four digits, would
    # leave 10,882 of the 11,366 valid phones unique.
    shared = masked.loc[valid, "phone"].value_counts()
    assert shared.min() >= 100 and len(shared) == 38
    clean = I.normalise_phone(c.loc[valid, "phone"])
    assert ((clean.str[:3] + clean.str[-4:]).value_counts() == 1).sum() == 10882
    # only columns asked for are masked
    names_only = I.mask_pii(c, phone=None, email=None)
    assert (names_only["phone"].dropna() == c["phone"].dropna()).all()


# ---------------------------------------------------------------------------------------------
# the SQLite database
# ---------------------------------------------------------------------------------------------
def test_build_sqlite_row_counts_and_schema(retail, retail_db):
    assert Path(retail_db).is_file()
    with connect(retail_db) as con:
        for table in retail.tables:
            assert con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == len(retail[table]), table
        ddl = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
        assert "PRIMARY KEY (order_id, line_no)" in ddl["order_lines"]
        assert "REFERENCES customers" in ddl["orders"] and "CHECK (amount >= 0)" in ddl["orders"]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # gaps are stored as SQL NULL: deal activities have no customer, open tickets no follow-up
        assert con.execute("SELECT COUNT(*) FROM activities WHERE customer_id IS NULL").fetchone()[0] == 8648
        assert con.execute("SELECT COUNT(*) FROM tickets WHERE followed_up_at IS NULL").fetchone()[0] == 297
        assert (
            con.execute("SELECT received_at FROM tickets WHERE ticket_id = 'TK00001'").fetchone()[0]
            == "2024-01-02 10:33"
        )
        assert con.execute(
            "SELECT typeof(consent_marketing), typeof(cooperation_years) FROM contacts, customers "
            "WHERE customers.customer_id = 'C10001' LIMIT 1"
        ).fetchone() == ("integer", "integer")


@pytest.mark.parametrize(
    "statement, rule",
    [
        ("INSERT INTO orders VALUES (999999, 'C99999', '2024-01-01', 'online', NULL, 10, 0, NULL)", "FOREIGN KEY"),
        (
            "INSERT INTO tickets (ticket_id, order_id, customer_id, complaint_type, channel, received_at) "
            "VALUES ('TKX', 999999, 'C00001', 'service', 'store', '2024-01-01 08:00')",
            "FOREIGN KEY",
        ),
        ("INSERT INTO orders VALUES (999999, 'C00001', '2024-01-01', 'online', NULL, -10, 0, NULL)", "CHECK"),
        ("INSERT INTO order_lines VALUES (100001, 99, 'RP001', 0, 9.9, 0, 0, 0, 0)", "CHECK"),
        ("UPDATE tickets SET satisfaction_after = 6 WHERE ticket_id = 'TK00001'", "CHECK"),
        ("UPDATE opportunities SET status = 'maybe' WHERE opportunity_id = 'OP00001'", "CHECK"),
        ("INSERT INTO activities VALUES ('AX', 'R01', 'C10001', 'OP00001', '2024-01-01', 'call', 5)", "CHECK"),
        (
            "INSERT INTO customers (customer_id, customer_type, region, city, acquisition_channel, signup_date) "
            "VALUES ('C00001', 'consumer', 'East', 'Hefei', 'referral', '2024-01-01')",
            "UNIQUE",
        ),
        ("DELETE FROM customers WHERE customer_id = 'C00001'", "FOREIGN KEY"),
    ],
)
def test_the_database_enforces_its_rules(retail_db, statement, rule):
    with connect(retail_db) as con:
        with pytest.raises(sqlite3.IntegrityError, match=rule):
            con.execute(statement)
        con.rollback()


def test_customer_360_query(retail, retail_db):
    # one consumer's whole history: orders, tickets, surveys
    customer = "C00010"
    query = """
        SELECT c.customer_id,
               (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.customer_id) AS orders,
               (SELECT ROUND(SUM(o.amount), 2) FROM orders o WHERE o.customer_id = c.customer_id) AS spend,
               (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = c.customer_id) AS tickets,
               (SELECT MAX(s.nps_score) FROM surveys s WHERE s.customer_id = c.customer_id) AS nps,
               (SELECT COUNT(*) FROM order_lines l JOIN orders o USING (order_id)
                WHERE o.customer_id = c.customer_id) AS lines
        FROM customers c WHERE c.customer_id = ?"""
    with connect(retail_db) as con:
        row = con.execute(query, (customer,)).fetchone()
    orders = retail.orders[retail.orders["customer_id"] == customer]
    assert row[0] == customer
    assert row[1] == len(orders) and row[2] == pytest.approx(round(orders["amount"].sum(), 2))
    assert row[3] == (retail.tickets["customer_id"] == customer).sum() >= 1
    assert row[4] == retail.surveys.loc[retail.surveys["customer_id"] == customer, "nps_score"].iloc[0]
    assert row[5] == retail.order_lines["order_id"].isin(orders["order_id"]).sum()


def test_build_sqlite_of_the_tea_chain(tea, tmp_path):
    path = I.build_sqlite(tea, tmp_path / "tea.db")
    with connect(path) as con:
        for table in tea.tables:
            assert con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == len(tea[table]), table
        # the coupon test through SQL: redemption rate per arm
        rates = dict(
            con.execute("SELECT variant, AVG(redeemed_date IS NOT NULL) FROM coupon_sends GROUP BY variant").fetchall()
        )
    assert rates["B"] - rates["A"] == pytest.approx(0.027, abs=0.001)


def test_build_sqlite_refuses_the_data_folder_and_existing_files(retail, mini, tmp_path):
    for inside in (
        data_dir() / "retail.db",
        data_dir() / "retail" / "x.db",
        Path(I.__file__).parents[1] / "datasets" / "x.db",
    ):
        with pytest.raises(CRMDataError, match="data folder"):
            I.build_sqlite(retail, inside)
    assert not (data_dir() / "retail.db").exists()
    small = Dataset("retail", fresh(mini))
    path = I.build_sqlite(small, tmp_path / "mini.db")
    with pytest.raises(CRMDataError, match="overwrite=True"):
        I.build_sqlite(small, path)
    assert I.build_sqlite(small, path, overwrite=True) == path
    with pytest.raises(CRMDataError, match="folder"):
        I.build_sqlite(small, tmp_path, overwrite=True)
    assert not list(tmp_path.glob("*.partial"))


def test_build_sqlite_names_bad_rows(mini, tmp_path):
    tables = fresh(mini)
    label = tables["orders"].index[1]
    orders = tables["orders"].copy()
    orders.loc[label, "amount"] = -5.0
    with pytest.raises(CRMDataError, match=rf"retail.orders: column 'amount'.*row {label}\b"):
        I.build_sqlite(Dataset("retail", {**tables, "orders": orders}), tmp_path / "a.db")
    orphan = tables["tickets"].copy()
    orphan.iloc[0, orphan.columns.get_loc("customer_id")] = "C99999"
    with pytest.raises(
        CRMDataError,
        match=rf"retail.tickets: column 'customer_id'.*not found in customers.customer_id.*row {orphan.index[0]}\b",
    ):
        I.build_sqlite(Dataset("retail", {**tables, "tickets": orphan}), tmp_path / "b.db")
    twice = pd.concat([tables["products"], tables["products"].head(1)])
    with pytest.raises(CRMDataError, match="retail.products: column 'product_id'.*UNIQUE"):
        I.build_sqlite(Dataset("retail", {**tables, "products": twice}), tmp_path / "c.db")
    text = tables["order_lines"].assign(quantity="many")
    with pytest.raises(CRMDataError, match="order_lines: column 'quantity'.*not numbers"):
        I.build_sqlite(Dataset("retail", {**tables, "order_lines": text}), tmp_path / "d.db")
    assert not list(tmp_path.iterdir())  # nothing half-written is left behind


# ---------------------------------------------------------------------------------------------
# also bought
# ---------------------------------------------------------------------------------------------
def test_also_bought_by_hand():
    # Five orders: O1 {A, B, C} (A on two lines), O2 {A, B}, O3 {A}, O4 {B, C}, O5 {C}.
    # Each item is in 3 of the 5 orders. A and B share O1, O2; B and C share O1, O4; A and C only O1.
    # A->B: support 2/5 = 0.4, confidence 2/3, lift (2/3) / (3/5) = 10/9; the same for B->C.
    # A->C: support 0.2, confidence 1/3, lift (1/3) / (3/5) = 5/9.
    lines = pd.DataFrame(
        {
            "order_id": ["O1", "O1", "O1", "O1", "O2", "O2", "O3", "O4", "O4", "O5"],
            "product_id": ["A", "B", "A", "C", "A", "B", "A", "B", "C", "C"],
        }
    )
    out = I.also_bought(lines, min_orders=1)
    assert out[["antecedent", "consequent", "orders_both"]].values.tolist() == [
        ["A", "B", 2],
        ["B", "A", 2],
        ["B", "C", 2],
        ["C", "B", 2],
        ["A", "C", 1],
        ["C", "A", 1],
    ]
    assert (out["orders_antecedent"] == 3).all() and (out["orders_consequent"] == 3).all()
    assert out["support"].tolist() == pytest.approx([0.4] * 4 + [0.2] * 2)
    assert out["confidence"].tolist() == pytest.approx([2 / 3] * 4 + [1 / 3] * 2)
    assert out["lift"].tolist() == pytest.approx([10 / 9] * 4 + [5 / 9] * 2)
    frequent = I.also_bought(lines, min_support=0.3, min_orders=1)
    assert len(frequent) == 4 and (frequent["support"] >= 0.3).all()
    assert I.also_bought(lines[lines["order_id"] == "O3"], min_orders=1).empty  # one single-item order: no pairs
    # min_orders counts the orders holding both: 2 keeps A-B and B-C (2 orders each), drops A-C (1 order);
    # the default, 5, drops every pair of these five orders.
    assert I.also_bought(lines, min_orders=2)["orders_both"].tolist() == [2, 2, 2, 2]
    assert I.also_bought(lines).empty
    # Five more copies of O2 {A, B}: A-B is now in 7 of 10 orders, the only pair reaching 5.
    more = pd.concat(
        [lines, pd.DataFrame({"order_id": [f"X{i // 2}" for i in range(10)], "product_id": ["A", "B"] * 5})]
    )
    kept = I.also_bought(more)
    assert kept[["antecedent", "consequent", "orders_both"]].values.tolist() == [["A", "B", 7], ["B", "A", 7]]
    # A in 8 of 10 orders, B in 8: support 0.7, confidence 7/8, lift (7/8) / (8/10) = 35/32.
    assert kept["support"].tolist() == pytest.approx([0.7, 0.7])
    assert kept["lift"].tolist() == pytest.approx([35 / 32, 35 / 32])


def test_also_bought_on_tea_order_items(tea):
    pairs = I.also_bought(tea.order_items)
    n_orders = tea.order_items["order_id"].nunique()
    assert (pairs["confidence"] <= 1).all() and (pairs["support"] > 0).all()
    # support is symmetric: A->C and C->A have the same support and count
    flipped = pairs.set_index(["consequent", "antecedent"])["support"]
    direct = pairs.set_index(["antecedent", "consequent"])["support"]
    assert flipped.reindex(direct.index).to_numpy() == pytest.approx(direct.to_numpy())
    assert pairs["lift"].to_numpy() == pytest.approx(
        (pairs["orders_both"] * n_orders / (pairs["orders_antecedent"] * pairs["orders_consequent"])).to_numpy()
    )
    # an order holds products of one brand only, so every pair stays inside a brand
    brand = tea.products.set_index("product_id")["brand_id"].astype(str)
    assert (brand.loc[pairs["antecedent"]].to_numpy() == brand.loc[pairs["consequent"]].to_numpy()).all()
    # a collab drink is sold only in its campaign window, so two collab drinks are bought together
    # only if their windows overlap
    products = tea.products.set_index("product_id")
    both_collab = pairs[
        products.loc[pairs["antecedent"], "is_collab"].to_numpy()
        & products.loc[pairs["consequent"], "is_collab"].to_numpy()
    ]
    a, c = products.loc[both_collab["antecedent"]], products.loc[both_collab["consequent"]]
    assert (
        (a["available_from"].to_numpy() <= c["available_to"].to_numpy())
        & (c["available_from"].to_numpy() <= a["available_to"].to_numpy())
    ).all()
    assert len(I.also_bought(tea.order_items, min_support=0.001)) < len(pairs)
    # the default drops the pairs bought together in fewer than 5 orders (measured: 88 of 524 pairs)
    every = I.also_bought(tea.order_items, min_orders=1)
    assert pairs["orders_both"].min() >= 5 and len(every) - len(pairs) == (every["orders_both"] < 5).sum() == 88


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
CONTACTS = pd.DataFrame(
    {
        "contact_id": ["a", "b"],
        "contact_name": ["王伟", "李娜"],
        "phone": ["13812345678", None],
        "email": ["w@example.com", None],
        "city": ["Wuhan", "Wuhan"],
    }
)
LINES = pd.DataFrame({"order_id": [1, 1, 2], "product_id": ["A", "B", "A"]})

BAD_CALLS = {
    "field_completeness: missing field": (lambda: I.field_completeness(CONTACTS, fields=["phone", "fax"]), "fax"),
    "field_completeness: empty": (lambda: I.field_completeness(CONTACTS.iloc[:0]), "no rows"),
    "field_completeness: no fields": (lambda: I.field_completeness(CONTACTS, fields=[]), "no fields"),
    "field_completeness: not a frame": (lambda: I.field_completeness("contacts"), "DataFrame"),
    "record_completeness: missing field": (lambda: I.record_completeness(CONTACTS, fields=["fax"]), "fax"),
    "record_completeness: empty": (lambda: I.record_completeness(CONTACTS.iloc[:0]), "no rows"),
    "normalise_phone: dates": (
        lambda: I.normalise_phone(pd.Series(pd.to_datetime(["2024-01-01"]), name="phone")),
        "phone",
    ),
    "normalise_phone: true/false": (lambda: I.normalise_phone(pd.Series([True, False], name="phone")), "phone"),
    "normalise_phone: not a Series": (lambda: I.normalise_phone(["13812345678"]), "Series"),
    "normalise_email: numbers": (lambda: I.normalise_email(pd.Series([1, 2], name="email")), "email"),
    "normalise_name: mixed": (lambda: I.normalise_name(pd.Series(["王伟", 3.5], name="contact_name")), "contact_name"),
    "phone_is_valid: true/false": (lambda: I.phone_is_valid(pd.Series([True], name="phone")), "phone"),
    "email_is_valid: numbers": (lambda: I.email_is_valid(pd.Series([5], name="email")), "email"),
    "find_duplicates: missing column": (lambda: I.find_duplicates(CONTACTS.drop(columns="email")), "email"),
    "find_duplicates: duplicate ids": (lambda: I.find_duplicates(CONTACTS.assign(contact_id=["a", "a"])), "contact_id"),
    "find_duplicates: gap in id": (lambda: I.find_duplicates(CONTACTS.assign(contact_id=["a", None])), "contact_id"),
    "find_duplicates: numbers as names": (
        lambda: I.find_duplicates(CONTACTS.assign(contact_name=[1, 2])),
        "contact_name",
    ),
    "find_duplicates: empty": (lambda: I.find_duplicates(CONTACTS.iloc[:0]), "no rows"),
    "mask_phone: dates": (lambda: I.mask_phone(pd.Series(pd.to_datetime(["2024-01-01"]), name="phone")), "phone"),
    "mask_email: numbers": (lambda: I.mask_email(pd.Series([5], name="email")), "email"),
    "mask_name: true/false": (lambda: I.mask_name(pd.Series([True], name="contact_name")), "contact_name"),
    "mask_pii: missing column": (lambda: I.mask_pii(CONTACTS.drop(columns="phone"), name="contact_name"), "phone"),
    "mask_pii: wrong dtype": (lambda: I.mask_pii(CONTACTS.assign(email=[1.5, 2.5])), "email"),
    "mask_pii: nothing to mask": (lambda: I.mask_pii(CONTACTS, phone=None, email=None, name=None), "nothing to mask"),
    "mask_pii: empty": (lambda: I.mask_pii(CONTACTS.iloc[:0]), "no rows"),
    "also_bought: missing column": (lambda: I.also_bought(LINES.drop(columns="product_id")), "product_id"),
    "also_bought: gap in order": (lambda: I.also_bought(LINES.assign(order_id=[1, None, 2])), "order_id"),
    "also_bought: empty": (lambda: I.also_bought(LINES.iloc[:0]), "no rows"),
    "also_bought: bad min_support": (lambda: I.also_bought(LINES, min_support=2), "min_support"),
    "also_bought: negative min_support": (lambda: I.also_bought(LINES, min_support=-0.1), "min_support"),
    "also_bought: zero min_orders": (lambda: I.also_bought(LINES, min_orders=0), "min_orders"),
    "also_bought: fractional min_orders": (lambda: I.also_bought(LINES, min_orders=2.5), "min_orders"),
    "also_bought: same column twice": (lambda: I.also_bought(LINES, item="order_id"), "order_id"),
    "build_sqlite: not a dataset": (lambda: I.build_sqlite({"orders": LINES}, "x.db"), "load_retail"),
    "build_sqlite: bad path": (lambda: I.build_sqlite(Dataset("retail", {}), 42), "path"),
}


@pytest.mark.parametrize("case", list(BAD_CALLS))
def test_bad_input_raises_crmdataerror(case):
    call, match = BAD_CALLS[case]
    with pytest.raises(CRMDataError, match=match):
        call()


@pytest.mark.parametrize(
    "table, change, match",
    [
        ("orders", lambda f: f.drop(columns="amount"), "orders: column 'amount' is missing"),
        ("orders", lambda f: f.assign(amount=-f["amount"]), "orders: column 'amount'"),
        ("orders", lambda f: f.assign(amount="lots"), "orders: column 'amount'"),
        ("orders", lambda f: f.iloc[:0], "orders has no rows"),
        ("customers", lambda f: pd.concat([f, f.head(1)]), "customers: column 'customer_id'"),
        ("tickets", lambda f: f.assign(received_at=None), "tickets: column 'received_at'"),
        ("tickets", lambda f: f.assign(satisfaction_after=9), "tickets: column 'satisfaction_after'"),
        ("tickets", lambda f: f.assign(followed_up_at=pd.Timestamp("2023-01-01")), "tickets: column 'followed_up_at'"),
        (
            "leads",
            lambda f: f.assign(opportunity_id=["OP99999"] + f["opportunity_id"].tolist()[1:]),
            "leads: column 'opportunity_id'.*not found in opportunities",
        ),
        ("order_lines", lambda f: f.assign(quantity=1.5), "order_lines: column 'quantity'.*whole"),
        ("contacts", lambda f: f.assign(consent_marketing="yes"), "contacts: column 'consent_marketing'"),
    ],
)
def test_build_sqlite_bad_tables(mini, tmp_path, table, change, match):
    tables = fresh(mini)
    tables[table] = change(tables[table])
    with pytest.raises(CRMDataError, match=match):
        I.build_sqlite(Dataset("retail", tables), tmp_path / "bad.db")
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------------------------
# generated messy input: every call succeeds or raises CRMDataError, nothing else
# ---------------------------------------------------------------------------------------------
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

_messy_cells = st.one_of(
    st.sampled_from(
        [
            "13812345678",
            "+86 139 0000 1111",
            "138-1234-567",
            "王伟",
            " 李 娜 ",
            "li@example.com",
            " LI@EXAMPLE.COM",
            "no-at",
            "a@b",
            "",
            " ",
            "Wuhan",
            "wuhan",
            "ｗｕｈａｎ",
            "x@@y.com",
        ]
    ),
    st.text(max_size=8),
    st.none(),
    st.just(np.nan),
    st.integers(-5, 10**11),
    st.floats(allow_nan=True),
    st.booleans(),
    st.just(pd.Timestamp("2024-01-01")),
)
_good_cells = st.sampled_from(
    ["13812345678", "+86 13812345678", "王伟", "王 伟", "li@example.com", " LI@example.com", "Wuhan", "Hefei", "", None]
)


def _outcome(call):
    try:
        result = call()
    except CRMDataError:
        event("CRMDataError")
        return None
    event("result")
    return result


@st.composite
def messy_frames(draw, columns, key=None, fates=(5, 2, 1)):
    """A small frame with the given columns: most columns hold plausible text, one in three
    anything at all; a column dropped now and then (``fates`` weighs good, messy and dropped
    columns); sometimes no rows."""
    n = draw(st.sampled_from([0] + [1, 2, 3, 4, 5, 6] * 2))
    data = {}
    for column in columns:
        fate = draw(st.sampled_from(["good"] * fates[0] + ["messy"] * fates[1] + ["drop"] * fates[2]))
        if fate == "drop":
            continue
        cells = _good_cells if fate == "good" else _messy_cells
        unique = column == key and fate == "good"
        if unique:
            cells = st.sampled_from(["k1", "k2", "k3", "k4", "k5", "k6", "k7"])
        data[column] = draw(st.lists(cells, min_size=n, max_size=n, unique=unique))
    return pd.DataFrame(data)


@SETTINGS
@given(messy_frames(["a", "b", "c"]), st.sampled_from([None, None, ["a"], ["a", "c"], ["zz"], []]))
def test_completeness_on_messy_frames(frame, fields):
    for function in (I.field_completeness, I.record_completeness):
        out = _outcome(lambda function=function: function(frame, fields=fields))
        if out is not None:
            assert out["share_filled"].between(0, 1).all()


@SETTINGS
@given(st.lists(_messy_cells | _good_cells, max_size=8), st.sampled_from(["phone", None]))
def test_series_functions_on_messy_values(values, name):
    series = pd.Series(values, dtype=object, name=name, index=np.arange(len(values)) * 2)
    for function in (
        I.normalise_phone,
        I.normalise_email,
        I.normalise_name,
        I.phone_is_valid,
        I.email_is_valid,
        I.mask_phone,
        I.mask_email,
        I.mask_name,
    ):
        out = _outcome(lambda function=function: function(series))
        if out is not None:
            assert out.index.equals(series.index) and out.name == series.name
    masked = _outcome(lambda: I.mask_phone(series))
    if masked is not None:
        clean = I.normalise_phone(series)
        assert not (masked.dropna() == clean[masked.notna()]).any()  # a phone is never shown in full
        assert (masked.isna() == clean.isna()).all()


@SETTINGS
@given(messy_frames(["contact_id", "contact_name", "phone", "email", "city"], key="contact_id", fates=(16, 2, 1)))
def test_find_duplicates_and_mask_pii_on_messy_frames(frame):
    pairs = _outcome(lambda: I.find_duplicates(frame))
    if pairs is not None:
        assert (pairs["contact_id_1"] != pairs["contact_id_2"]).all()
        assert not pairs.duplicated(["contact_id_1", "contact_id_2"]).any()
        assert pairs["rule"].str.len().gt(0).all()
    masked = _outcome(lambda: I.mask_pii(frame, name="contact_name"))
    if masked is not None:
        assert masked.shape == frame.shape


@SETTINGS
@given(messy_frames(["order_id", "product_id"]), st.sampled_from([0, 0, 0.2, 1, -1, "x"]))
def test_also_bought_on_messy_frames(frame, min_support):
    pairs = _outcome(lambda: I.also_bought(frame, min_support=min_support, min_orders=1))
    if pairs is not None and len(pairs):
        assert (pairs["confidence"] <= 1).all() and (pairs["support"] <= 1).all() and (pairs["lift"] > 0).all()


_CORRUPTIONS = [
    "none",
    "drop column",
    "gap",
    "negative",
    "text",
    "duplicate row",
    "drop rows",
    "empty",
    "out of list",
    "dates",
]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_build_sqlite_on_corrupted_small_worlds(mini, tmp_path_factory, data):
    tables = fresh(mini)
    for _ in range(data.draw(st.integers(0, 2))):
        name = data.draw(st.sampled_from(sorted(tables)))
        frame = tables[name]
        column = data.draw(st.sampled_from(list(frame.columns)))
        corruption = data.draw(st.sampled_from(_CORRUPTIONS))
        event(f"corruption: {corruption}")
        row = frame.index[data.draw(st.integers(0, len(frame) - 1))] if len(frame) else None
        if corruption == "drop column":
            frame = frame.drop(columns=column)
        elif corruption == "empty":
            frame = frame.iloc[:0]
        elif corruption == "duplicate row":
            frame = pd.concat([frame, frame.loc[[row]]]) if row is not None else frame
        elif corruption == "drop rows":
            frame = frame.drop(index=row) if row is not None else frame
        elif row is not None:
            value = {
                "gap": None,
                "negative": -3,
                "text": "n/a",
                "out of list": "other",
                "dates": "2024-13-01",
                "none": None,
            }[corruption]
            if corruption != "none":
                frame = frame.astype({column: object})
                frame.loc[row, column] = value
        tables[name] = frame
    path = tmp_path_factory.mktemp("worlds") / "world.db"
    built = _outcome(lambda: I.build_sqlite(Dataset("retail", tables), path))
    if built is not None:
        with connect(built) as con:
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
            assert con.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == len(tables["orders"])
    else:
        assert not path.exists()
