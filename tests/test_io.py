"""crmlib.io: reading a shop's own exports (encodings, delimiters, headers, dates, money, xlsx) and refusing bad
rows."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crmlib import CRMDataError
from crmlib.io import mask_phone, parse_dates, parse_money, read_customers, read_orders

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk"]
DELIMITERS = [",", ";", "\t"]
HEADER_SETS = {
    "pos": ["订单号", "会员编号", "下单时间", "实付金额"],
    "shop": ["订单编号", "买家ID", "订单时间", "支付金额"],
    "till": ["流水号", "会员卡号", "交易时间", "实收金额"],
    "english": ["Order No", "Member ID", "Order Date", "Total"],
    "snake": ["order_id", "customer_id", "order_date", "amount"],
    "messy": [" ORDER_ID ", "Customer", "date", "Amount Paid"],
}


def write_csv(folder: Path, header, rows, encoding="utf-8", delimiter=",", name="orders.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


ROWS = [
    ["A1", "M1", "2024-03-05 14:23", "￥1,234.50"],
    ["A2", "M2", "2024/3/6", "88元"],
    ["A3", "M1", "2024年3月7日", "0"],
]


# --- every supported variant, exact results --------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
@pytest.mark.parametrize("headers", list(HEADER_SETS))
def test_every_encoding_delimiter_and_header_set_reads_the_same_orders(tmp_path, encoding, delimiter, headers):
    path = write_csv(tmp_path, HEADER_SETS[headers], ROWS, encoding, delimiter)
    orders = read_orders(path)
    assert orders.columns.tolist() == ["order_id", "customer_id", "order_date", "amount"]
    assert orders["order_id"].tolist() == ["A1", "A2", "A3"]
    assert orders["customer_id"].tolist() == ["M1", "M2", "M1"]
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 14:23"),
        pd.Timestamp("2024-03-06"),
        pd.Timestamp("2024-03-07"),
    ]
    assert orders["amount"].tolist() == [1234.5, 88.0, 0.0]
    assert pd.api.types.is_datetime64_any_dtype(orders["order_date"]) and orders["amount"].dtype == "float64"
    report = orders.attrs["import_report"]
    expected_encoding = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030"}[encoding]
    assert (report["encoding"], report["delimiter"], report["rows_read"], report["rows_rejected"]) == (
        expected_encoding,
        delimiter,
        3,
        0,
    )
    assert report["columns"] == dict(
        zip([h.strip() for h in HEADER_SETS[headers]], ["order_id", "customer_id", "order_date", "amount"], strict=True)
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024年3月5日", "2024-03-05"),
        ("2024年03月05日 09:07", "2024-03-05 09:07"),
        ("2024/3/5", "2024-03-05"),
        ("2024/3/5 14:23", "2024-03-05 14:23"),
        ("2024-03-05 14:23", "2024-03-05 14:23"),
        ("2024-03-05 14:23:59", "2024-03-05 14:23:59"),
        ("2024.3.5", "2024-03-05"),
        ("2024-03-05T08:00:00", "2024-03-05 08:00"),
        ("２０２４／３／５", "2024-03-05"),
    ],
)
def test_date_formats(tmp_path, text, expected):
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], [["A1", "M1", text, "1"]]))
    assert orders["order_date"].iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234.50", 1234.5),
        ("1,234.50", 1234.5),
        ("¥1,234.50", 1234.5),
        ("￥88", 88.0),
        ("RMB 12.3", 12.3),
        ("rmb12", 12.0),
        ("36元", 36.0),
        ("１２３．５", 123.5),
        ("￥１，２３４", 1234.0),
        (" 7 ", 7.0),
        ("1,234,567.8", 1234567.8),
        ("CNY 5", 5.0),
        (".5", 0.5),
    ],
)
def test_money_formats(tmp_path, text, expected):
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], [["A1", "M1", "2024-01-01", text]]))
    assert orders["amount"].iloc[0] == pytest.approx(expected)


def test_sorted_ids_padding_total_rows_and_rounded_ids_are_still_found(tmp_path):
    # Large files skip a regex scan when a quick search shows it cannot match (no space, no 计/总/total,
    # no id starting with a digit or =) and skip hashing sorted distinct ids: none of it may miss a case.
    rows = [
        ["A1", "M1", "2024-03-05", "¥1,234.50"],
        ["A2", "M2\u3000", "2024-03-06", " 88 "],  # full-width space after the id, spaces around the amount
        ["A3\u3000", "M1", "2024-03-07", "12"],
        ["TOTAL", "", "", "1,334.50"],
    ]
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows))
    assert orders[["order_id", "customer_id", "amount"]].values.tolist() == [
        ["A1", "M1", 1234.5],
        ["A2", "M2", 88.0],
        ["A3", "M1", 12.0],
    ]
    assert [(e["reason"], e["rows"]) for e in orders.attrs["import_report"]["excluded"]] == [
        ("a total row (合计/总计)", [5])
    ]
    rounded = [["A1", "M1", "2024-03-05", "1"], ["2.93810E+18", "M2", "2024-03-06", "2"]]
    with pytest.raises(CRMDataError, match=r"1 rounded order_id such as '2.93810E\+18' \(row 3\)"):
        read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rounded, name="rounded.csv"))


def test_a_column_of_plain_amounts_read_in_bulk_gives_the_cell_by_cell_values(tmp_path):
    # When every amount is plain (¥1,234.50, 88, .5) the column is read in bulk; one other cell (36元)
    # sends it cell by cell. Both give the same floats; a near miss is never taken for a plain amount.
    plain = ["¥1,234.50", "88", "￥.5", "0.1", "12,345,678.9", "00,123", "999,999,999,999.99", "0"]
    expected = [1234.5, 88.0, 0.5, 0.1, 12345678.9, 123.0, 999999999999.99, 0.0]
    rows = [[f"A{i}", "M1", "2024-03-05", text] for i, text in enumerate(plain)]
    bulk = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows, name="bulk.csv"))
    assert bulk["amount"].tolist() == expected
    assert bulk.attrs["import_report"]["amount_kept"] == pytest.approx(sum(expected))
    mixed = rows + [["B1", "M1", "2024-03-05", "36元"], ["B2", "M1", "2024-03-05", " 7 "]]
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], mixed, name="mixed.csv"))
    assert orders["amount"].tolist() == expected + [36.0, 7.0]
    for near in ["12,34", "1234,567", "1,2345", "1,234,5678", "¥¥5", "5¥", "1.2.3", "5.", ",123", "1,234.5,6", "¥"]:
        path = write_csv(tmp_path, HEADER_SETS["pos"], rows + [["B1", "M1", "2024-03-05", near]], name="near.csv")
        with pytest.raises(CRMDataError, match=r"1 unreadable amount such as .* \(row 10\)"):
            read_orders(path)


def test_plain_amounts_checked_as_bytes_match_the_cell_by_cell_reading(tmp_path):
    # The bulk path checks the joined cells as bytes (signs counted, then each comma and dot placed
    # by numpy); its floats must equal parse_money's, one cell at a time, and a cell that breaks the
    # plain form but reads cell by cell (two kinds of sign, a space, a full-width digit) must send
    # the column down that path with the same values.
    plain = ["¥1,234.50", "￥1,234.50", "￥.05", "1,000,000", "¥0.1", "123456789.123", "7", "¥999,999.99"]
    rows = [[f"A{i}", "M1", "2024-03-05", text] for i, text in enumerate(plain)]
    bulk = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows, encoding="gb18030", name="bulk.csv"))
    expected = [parse_money(pd.Series([text])).iloc[0] for text in plain]
    assert bulk["amount"].tolist() == expected == [1234.5, 1234.5, 0.05, 1e6, 0.1, 123456789.123, 7.0, 999999.99]
    for near, value in [("¥ 5", 5.0), ("RMB5", 5.0), ("１,000", 1000.0), ("5元", 5.0), ("(5)", -5.0)]:
        path = write_csv(tmp_path, HEADER_SETS["pos"], rows + [["B1", "M1", "2024-03-05", near]], name="near.csv")
        if value < 0:
            with pytest.raises(CRMDataError, match=r"1 negative amount such as '\(5\)' \(row 10\)"):
                read_orders(path)
            continue
        assert read_orders(path)["amount"].tolist() == expected + [value]
    for near in ["¥￥5", "￥¥5", "¥,123", "1.5,000", "12,3456", "1,23.4", "¥", "..5", "5,"]:
        path = write_csv(tmp_path, HEADER_SETS["pos"], rows + [["B1", "M1", "2024-03-05", near]], name="near.csv")
        with pytest.raises(CRMDataError, match=r"1 unreadable amount such as .* \(row 10\)"):
            read_orders(path)


def test_plain_amounts_checked_byte_by_neighbours_agree_with_the_check_mark_by_mark():
    # The quick check looks at each byte with its neighbours; a dot followed by more than three
    # digits sends the column to the check mark by mark. Both must accept and refuse the same
    # cells and give the same numbers, on made-up cells of digits, commas, dots, ¥ and others.
    import random

    import numpy as np

    from crmlib.io import _plain_marks, _plain_numbers

    chance = random.Random(15)
    alphabet, weights = "0123456789,.¥\x00x", [6] * 10 + [2, 2, 1, 0.1, 0.1]
    accepted = by_marks = 0
    for _ in range(20_000):
        count = chance.randint(1, 3)
        cells = ["".join(chance.choices(alphabet, weights, k=chance.randint(0, 9))) for _ in range(count)]
        raw = ("\x00" + "\x00".join(cells) + "\x00").encode("latin-1")
        quick = _plain_numbers(raw, len(cells))
        assert quick == _plain_marks(np.frombuffer(raw, dtype=np.uint8), len(cells)), cells
        accepted += quick is not None
        by_marks += quick is not None and any(len(c.partition(".")[2]) > 3 for c in cells)
    assert 5_000 < accepted < 15_000 and by_marks > 100  # both kinds of cells, and the fallback, were tried
    assert _plain_numbers(b"\x00\xa51,234.5678\x00\x001\x00", 3) is None  # an empty cell
    assert _plain_numbers(b"\x00\xa51,234.5678\x007\x00", 2) == b"1234.5678\n7"
    assert _plain_numbers(b"\x00\xa51,234.56\x00.5\x00", 2) == b"1234.56\n.5"


def test_columns_of_text_are_joined_at_once_and_other_cells_written_as_text_first():
    # A column of text is joined without a look at each cell; a gap or a number (as a workbook
    # gives them) makes the join fail, and the cells are then written as text (7.0 as '7', a gap
    # as ''), padded ones stripped, and equal texts given one code.
    from crmlib.io import _by_row, _factor

    codes, texts, listed = _factor(pd.Series(["b", "a", "b"], dtype=object))
    assert (codes.tolist(), texts.tolist(), listed[0]) == ([0, 1, 0], ["b", "a", ""], ["b", "a", ""])
    codes, texts, listed = _factor(pd.Series(["7", 7.0, None, " a", "a", 8], dtype=object))
    assert texts[codes].tolist() == ["7", "7", "", "a", "a", "8"] and listed is None
    codes, texts, listed = _factor(pd.Series([1.0, 2.0, 3.0], dtype=object))  # sorted and distinct
    assert texts[codes].tolist() == ["1", "2", "3"]
    ids = [f"M{i:06d}" for i in range(60_000)]
    codes, texts, (listed, joined) = _by_row(pd.Series(ids, dtype=object))
    assert texts[codes].tolist() == ids and listed[-1] == "" and joined.count("\x00") == 60_002
    assert _by_row(pd.Series(ids[:-1] + [None], dtype=object)) is None
    assert _by_row(pd.Series(ids[:-1] + [5], dtype=object)) is None


def test_files_larger_than_the_head_read_for_detection(tmp_path):
    # Only the first MB is read to find the encoding and the header; the rest is read by pandas, or
    # read whole when a row needs mending (an unquoted thousands separator far down) or for UTF-16.
    header = ["订单号", "会员编号", "下单时间", "实付金额"]
    lines = [",".join(header)] + [f"A{i},M{i % 7},2024/3/5 14:23,12.50" for i in range(40_000)]
    text = "\n".join(lines + ["B1,M1,2024/3/6 09:05,1,234.50"]) + "\n"
    path = tmp_path / "big.csv"
    path.write_bytes(text.encode("gb18030"))
    assert path.stat().st_size > 2**20
    orders = read_orders(path)
    report = orders.attrs["import_report"]
    assert (report["encoding"], report["rows_kept"]) == ("gb18030", 40_001)
    assert orders["amount"].iloc[-1] == 1234.5 and orders["amount"].sum() == 40_000 * 12.5 + 1234.5
    assert any("thousands separators" in note and "(40002)" in note for note in report["notes"])
    wide = tmp_path / "big.txt"
    wide.write_bytes(text.replace(",1,234.50", ",1234.50").replace(",", "\t").encode("utf-16"))
    unicode_text = read_orders(wide)
    assert unicode_text.attrs["import_report"]["encoding"] == "utf-16"
    assert unicode_text[["order_id", "amount"]].equals(orders[["order_id", "amount"]])


def big_orders(customers: list[str]) -> list[list[str]]:
    return [[f"A{i:06d}", c, "2024/3/5 14:23", "12.50"] for i, c in enumerate(customers)]


def test_large_files_with_many_distinct_customers_give_the_same_answers(tmp_path):
    # A large file whose customer ids are nearly all distinct keeps them one per row instead of
    # hashing them; blanks, padding, anonymous buyers, Excel wrappers and phone numbers must still
    # be found, and counted by distinct value where the report says so.
    n = 60_000
    ids = [f"M{i:06d}" for i in range(n)]
    ids[10] = " M000011 "  # padded: the same customer as row 11's
    ids[20], ids[30], ids[40], ids[50] = "散客", "GUEST", "-", ""
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], big_orders(ids), name="many.csv"))
    report = orders.attrs["import_report"]
    assert (report["rows_kept"], report["rows_excluded"]) == (n - 4, 4)
    assert [(e["reason"][:15], e["rows"], e["amount"]) for e in report["excluded"]] == [
        ("anonymous buyer", [22, 32, 42, 52], 50.0)
    ]
    assert orders["customer_id"].nunique() == n - 5 and orders["customer_id"].iloc[10] == "M000011"
    plain = [f"M{i:06d}" for i in range(n)]
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], big_orders(plain), name="plain.csv"))
    assert orders["customer_id"].tolist() == plain and orders.attrs["import_report"]["rows_excluded"] == 0
    names = plain[:100] + ["GUEST", "0"] + plain[102:]  # all letters and digits, two of them anonymous
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], big_orders(names), name="names.csv"))
    assert [e["rows"] for e in orders.attrs["import_report"]["excluded"]] == [[102, 103]]
    wrapped = [f'="{c}"' if i % 2 == 0 else c for i, c in enumerate(plain)]
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], big_orders(wrapped), name="wrapped.csv"))
    assert orders["customer_id"].tolist() == plain
    assert any("removed from 30000 distinct values" in note for note in orders.attrs["import_report"]["notes"])
    phones = [f"139{i:08d}" for i in range(n)]
    header = ["订单号", "会员ID", "下单时间", "实付金额"]
    path = write_csv(tmp_path, header, big_orders(phones), name="phones.csv")
    orders = read_orders(path, phone_key="shop")
    assert orders["customer_id"].iloc[7] == mask_phone("13900000007", key="shop")
    assert orders["customer_id"].nunique() == n
    assert any("holds mobile numbers" in note for note in orders.attrs["import_report"]["notes"])


def test_quick_searches_skip_only_what_cannot_match(tmp_path):
    # The repeated header is looked for first in the joined order ids, and ASCII customer ids are
    # checked for anonymous names only when a cell is as long as one: neither shortcut may miss.
    n = 60_000
    ids = [f"C{i}" for i in range(n)]  # lengths 2 to 6: 'na', 'none', 'guest', 'walkin' fit
    for i, name in zip(range(100, 700, 100), ["NA", "None", "guest", "WalkIn", "0", "Anonymous"], strict=True):
        ids[i] = name
    rows = big_orders(ids)
    rows[500:500] = [["订单号", "会员编号", "下单时间", "实付金额"]]  # the header again, mid-file
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows, name="quick.csv"))
    report = orders.attrs["import_report"]
    assert [(e["reason"][:15], e["rows"]) for e in report["excluded"]] == [
        ("the header row ", [502]),
        ("anonymous buyer", [102, 202, 302, 402, 503, 603]),
    ]
    assert report["rows_kept"] == n - 6
    for name in ["NA", "None", "guest", "WalkIn", "0", "Anonymous", "NULL"]:  # each alone among longer ids
        ids = ["M000001", "M000002", name, "M000003"]
        orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], big_orders(ids), name="one.csv"))
        assert [e["rows"] for e in orders.attrs["import_report"]["excluded"]] == [[4]], name
    near = ["M000001", "NONE1", "GUEST_", "0A"]  # as long as no name, or not one: customers
    orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], big_orders(near), name="near.csv"))
    assert orders.attrs["import_report"]["rows_excluded"] == 0 and orders["customer_id"].tolist() == near


def test_columns_with_few_values_in_the_head_read_as_categories_give_the_same_table(tmp_path):
    # A large file's columns with few distinct values in its first MB (status, shop) are read as
    # categories; values first seen further down, padded ones, and a column that only looks
    # few-valued in the head must come out as they would cell by cell, statuses in file order.
    n = 40_000
    status = ["交易成功"] * n
    status[30_000], status[35_000], status[36_000], status[37_000] = "退款成功", "交易关闭", " 交易关闭 ", "已发货"
    shops = [f"店{i % 3}" for i in range(n)]
    shops[38_000] = " 店1 "
    notes = [""] * 20_000 + [f"N{i}" for i in range(20_000)]  # few values in the head, 20,001 in all
    rows = [
        [f"A{i:06d}", f"M{i % 997}", "2024/3/5 14:23", "¥1,012.50", shop, state, note]
        for i, (shop, state, note) in enumerate(zip(shops, status, notes, strict=True))
    ]
    header = HEADER_SETS["pos"] + ["门店", "订单状态", "备注"]
    path = write_csv(tmp_path, header, rows, encoding="gb18030", name="few.csv")
    assert path.stat().st_size > 2**20
    orders = read_orders(path)
    report = orders.attrs["import_report"]
    assert [(e["reason"], e["rows"], e["amount"]) for e in report["excluded"]] == [
        ("status '退款成功' (not a purchase)", [30_002], 1012.5),
        ("status '交易关闭' (not a purchase)", [35_002, 36_002], 2025.0),
    ]
    kept = [i for i in range(n) if i not in (30_000, 35_000, 36_000)]
    assert orders["订单状态"].tolist() == [status[i] for i in kept]
    assert orders["门店"].tolist() == [shops[i].strip() for i in kept]
    assert orders["备注"].tolist() == [notes[i] for i in kept]
    assert orders["customer_id"].tolist() == [f"M{i % 997}" for i in kept]
    assert (
        orders.dtypes.astype(str).tolist()
        == read_orders(write_csv(tmp_path, header, rows[:5])).dtypes.astype(str).tolist()
    )
    # few texts (shops) become a column as many texts (notes) do: the same kind of text column
    assert orders["门店"].dtype == orders["备注"].dtype == orders["order_id"].dtype
    assert type(orders["门店"].array) is type(orders["备注"].array)


def test_a_blank_id_is_found_among_sorted_or_distinct_ids(tmp_path):
    # Sorted distinct order ids are checked for a blank at their ends only (where '' sorts); ids that
    # are distinct but not sorted are checked one by one. A blank id with an amount is an error.
    cases = {
        "first": ["", "A1", "A2", "A3"],  # sorted: '' is the least
        "last": ["A3", "A2", "A1", ""],  # sorted downwards
        "middle": ["A2", "", "A1", "A3"],  # distinct, not sorted
    }
    for where, ids in cases.items():
        rows = [[order, f"M{i}", "2024-03-05", "¥1,000.50"] for i, order in enumerate(ids)]
        row = ids.index("") + 2
        with pytest.raises(CRMDataError, match=rf"'订单号' has 1 missing order_id \(row {row}\)"):
            read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows, name=f"{where}.csv"))
        rows[ids.index("")][3] = ""  # and with no amount either: a missing amount (the row is not blank)
        with pytest.raises(CRMDataError, match=rf"1 missing (order_id|amount) \(row {row}\)"):
            read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows, name=f"{where}.csv"))


def test_dates_in_one_format_read_in_bulk_and_the_rest_cell_by_cell():
    # The format is chosen from the first 200 filled cells (looked for beyond the first 400 when
    # these are mostly blank); cells that do not fit it are read one by one, blanks stay NaT.
    values = [""] * 450 + ["2024/3/5 14:23"] * 300 + ["2024年3月6日", "2024-03-07", " ", "x"]
    parsed = parse_dates(pd.Series(values))
    assert parsed.iloc[:450].isna().all() and parsed.iloc[-2:].isna().all()
    assert parsed.iloc[450:754].dt.strftime("%Y-%m-%d %H:%M").value_counts().to_dict() == {
        "2024-03-05 14:23": 300,
        "2024-03-06 00:00": 1,
        "2024-03-07 00:00": 1,
    }
    assert parse_dates(pd.Series(["", " "])).isna().all()


def test_ids_padded_by_any_kind_of_space_are_stripped(tmp_path):
    # ASCII ids are searched for ASCII spaces in one pass, others for every space str.strip() removes.
    for space in ["\t", " ", "\x1f", "\u3000", "\xa0", "\u2003"]:
        ids = ["A1", f"A2{space}", "A3"]
        rows = [[order, f"{space}M1" if i == 2 else "M1", "2024-03-05", "12"] for i, order in enumerate(ids)]
        orders = read_orders(write_csv(tmp_path, HEADER_SETS["pos"], rows, name="padded.csv"))
        assert orders[["order_id", "customer_id"]].values.tolist() == [["A1", "M1"], ["A2", "M1"], ["A3", "M1"]]


def test_xlsx_with_real_date_and_number_cells(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "export.xlsx"
    pd.DataFrame(
        {
            "订单号": [101, 102],
            "会员号": ["M1", "M2"],
            "销售日期": [pd.Timestamp("2024-03-05 14:23"), pd.Timestamp("2024-03-06")],
            "消费金额": [1234.5, 8.0],
            "门店": ["南阳", "南阳"],
        }
    ).to_excel(path, index=False)
    orders = read_orders(path)
    assert orders.columns.tolist() == ["order_id", "customer_id", "order_date", "amount", "门店"]
    assert orders["order_id"].tolist() == ["101", "102"]
    assert orders["order_date"].tolist() == [pd.Timestamp("2024-03-05 14:23"), pd.Timestamp("2024-03-06")]
    assert orders["amount"].tolist() == [1234.5, 8.0]
    assert orders.attrs["import_report"]["encoding"] == "xlsx"


def test_xlsx_with_text_cells_and_a_negative_amount_names_the_file_row(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "export.xlsx"
    pd.DataFrame(
        {
            "单号": ["A", "B", "C"],
            "客户ID": ["M1", "M2", "M3"],
            "日期": ["2024/3/5", "2024年3月6日", "2024.3.7"],
            "金额": ["¥1,000", "-5", "3"],
        }
    ).to_excel(path, index=False)
    with pytest.raises(CRMDataError, match=r"column '金额' has 1 negative amount.*row 3\b"):
        read_orders(path)


def test_overrides_win_and_preferred_header_is_chosen(tmp_path):
    header = ["订单号", "会员编号", "下单时间", "订单金额", "实付金额", "实付款"]
    rows = [["A1", "M1", "2024-01-01", "100", "90", "80"]]
    path = write_csv(tmp_path, header, rows)
    automatic = read_orders(path)
    # 实付金额 (paid) is preferred to 订单金额 (listed); the other money columns stay as text.
    assert automatic["amount"].tolist() == [90.0]
    assert automatic.columns.tolist() == ["order_id", "customer_id", "order_date", "amount", "订单金额", "实付款"]
    overridden = read_orders(path, amount="实付款")
    assert overridden["amount"].tolist() == [80.0] and "实付金额" in overridden.columns
    assert overridden.attrs["import_report"]["columns"]["实付款"] == "amount"


def test_unrecognised_header_needs_an_override(tmp_path):
    path = write_csv(tmp_path, ["票号", "卡号", "时间", "付款"], [["1", "c", "2024-01-01", "5"]])
    with pytest.raises(
        CRMDataError,
        match=r"'order_id' is missing \(headers found: 票号, 卡号, 时间, 付款; accepted names: order_id, 订单号",
    ):
        read_orders(path)
    orders = read_orders(path, order_id="票号", customer_id="卡号", order_date="时间", amount="付款")
    assert orders[["order_id", "amount"]].values.tolist() == [["1", 5.0]]


def test_stray_whitespace_blank_lines_and_extra_columns(tmp_path):
    text = "\n 订单号 , 会员编号 ,下单时间, 实付金额 ,备注\n A1 , M1 , 2024/3/5 , ¥ 12 , 加冰 \n\n A2 ,M2,2024/3/6,3,\n"
    path = tmp_path / "o.csv"
    path.write_text(text, encoding="utf-8")
    orders = read_orders(path)
    assert orders.values.tolist() == [
        ["A1", "M1", pd.Timestamp("2024-03-05"), 12.0, "加冰"],
        ["A2", "M2", pd.Timestamp("2024-03-06"), 3.0, ""],
    ]
    assert orders.attrs["import_report"]["blank_lines_skipped"] == 1


def test_read_customers(tmp_path):
    path = write_csv(
        tmp_path,
        ["会员编号", "姓名", "注册时间"],
        [["M1", "王", "2023年1月2日"], ["M2", "李", "2023/2/3 10:00"]],
        encoding="gb18030",
        delimiter="\t",
    )
    members = read_customers(path)
    assert members.columns.tolist() == ["customer_id", "signup_date", "姓名"]
    assert members["signup_date"].tolist() == [pd.Timestamp("2023-01-02"), pd.Timestamp("2023-02-03 10:00")]
    only_ids = read_customers(write_csv(tmp_path, ["Customer ID"], [["C1"], ["C2"]], name="c.csv"))
    assert only_ids["customer_id"].tolist() == ["C1", "C2"]


# --- bad input: column and file row number in the message -----------------------------------


def bad(tmp_path, rows, header=HEADER_SETS["pos"], **options):
    return write_csv(tmp_path, header, rows, **options)


OK = ["A0", "M0", "2024-01-01", "1"]


@pytest.mark.parametrize(
    "rows, pattern",
    [
        ([OK, ["A1", "M1", "2024-01-02", "-3"]], r"'实付金额' has 1 negative amount such as '-3' \(row 3\)"),
        (
            [OK, ["A1", "M1", "2024-01-02", "5"], ["A2", "M1", "2024-01-02", ""]],
            r"'实付金额' has 1 missing amount \(row 4\)",
        ),
        ([OK, ["A1", "M1", "2024-01-02", "12,34"]], r"'实付金额' has 1 unreadable amount such as '12,34' \(row 3\)"),
        ([OK, ["A1", "M1", "2024-01-02", "free"]], r"'实付金额' has 1 unreadable amount such as 'free' \(row 3\)"),
        (
            [OK, ["A1", "M1", "2024-13-02", "1"], ["A2", "M1", "yesterday", "1"]],
            r"'下单时间' has 2 unreadable order_dates such as '2024-13-02' \(rows 3, 4\)",
        ),
        ([OK, ["A1", "M1", "", "1"]], r"'下单时间' has 1 missing order_date \(row 3\)"),
        ([OK, ["A1", "M1", "2099-01-01", "1"]], r"'下单时间' has 1 future order_date such as '2099-01-01' \(row 3\)"),
        (
            [OK, ["A1", "M1", "2024-01-02", "1"], ["A0", "M2", "2024-01-03", "2"]],
            r"'订单号' has 2 repeated order_ids such as 'A0' \(rows 2, 4\)",
        ),
        ([OK, ["", "M1", "2024-01-02", "1"]], r"'订单号' has 1 missing order_id \(row 3\)"),
    ],
)
def test_bad_rows_name_the_column_and_the_file_row(tmp_path, rows, pattern):
    with pytest.raises(CRMDataError, match=pattern) as raised:
        read_orders(bad(tmp_path, rows))
    assert raised.value.import_report["rows_rejected"] >= 1


def test_row_numbers_count_blank_lines_and_the_header(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("订单号,会员编号,下单时间,实付金额\nA1,M1,2024-01-01,1\n\nA2,M1,2024-01-01,-1\n", encoding="utf-8")
    with pytest.raises(CRMDataError, match=r"'实付金额'.*negative.*\(row 4\)"):
        read_orders(path)


def test_file_level_problems(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CRMDataError, match="empty.csv: the file is empty"):
        read_orders(empty)
    blank = tmp_path / "blank.csv"
    blank.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(CRMDataError, match="the file is empty"):
        read_orders(blank)
    with pytest.raises(CRMDataError, match="header row but no data rows"):
        read_orders(bad(tmp_path, []))
    with pytest.raises(
        CRMDataError,
        match=r"'amount' is missing \(headers found: 订单号, 会员编号, 下单时间; accepted names: amount, 实付金额",
    ):
        read_orders(bad(tmp_path, [OK[:3]], header=HEADER_SETS["pos"][:3]))
    other = tmp_path / "orders.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(CRMDataError, match=r"unknown file type '\.json'"):
        read_orders(other)
    with pytest.raises(CRMDataError, match="no such file"):
        read_orders(tmp_path / "nothing.csv")
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\xff\xfe\xff\x00\x81")
    with pytest.raises(CRMDataError, match="neither UTF-8, UTF-16 nor GB18030"):
        read_orders(garbage)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(CRMDataError, match="fake.xlsx: could not be read as an Excel workbook"):
        read_orders(fake)


def test_bad_overrides(tmp_path):
    path = bad(tmp_path, [OK])
    with pytest.raises(CRMDataError, match="unknown column override 'price'"):
        read_orders(path, price="实付金额")
    with pytest.raises(CRMDataError, match=r"'实付款' \(given for amount\) is not in the file \(headers found: 订单号"):
        read_orders(path, amount="实付款")


def test_customers_must_be_unique(tmp_path):
    path = write_csv(tmp_path, ["会员号"], [["M1"], ["M2"], ["M1"]])
    with pytest.raises(CRMDataError, match=r"'会员号' has 2 repeated customer_ids such as 'M1' \(rows 2, 4\)"):
        read_customers(path)


# --- messy files: either the values round-trip or CRMDataError ------------------------------

HEADER_CHOICES = {
    "order_id": ["订单号", "订单编号", "单号", "流水号", "Order No", "order_id", "ORDER ID"],
    "customer_id": ["会员编号", "会员号", "会员卡号", "客户ID", "买家ID", "客户编号", "Member ID", "customer"],
    "order_date": ["下单时间", "订单时间", "交易时间", "日期", "销售日期", "Order Date", "date"],
    "amount": ["实付金额", "实收金额", "支付金额", "订单金额", "消费金额", "金额", "Total", "paid", "AMOUNT"],
}
DATE_STYLES = [
    "{y}年{m}月{d}日",
    "{y}/{m}/{d}",
    "{y}-{m:02d}-{d:02d} {H:02d}:{M:02d}",
    "{y}.{m}.{d}",
    "{y}/{m}/{d} {H}:{M:02d}",
]
MONEY_STYLES = ["{v:.2f}", "¥{v:,.2f}", "￥{v:,.2f}", "RMB {v:.2f}", "{v:.2f}元", "{v:,.2f}"]

orders_rows = st.lists(
    st.tuples(
        st.text("ABCDEFGHJK0123456789", min_size=1, max_size=6),
        st.datetimes(pd.Timestamp("2015-01-01"), pd.Timestamp("2025-12-31")),
        st.integers(0, 5_000_000),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda row: row[0],
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=orders_rows, data=st.data())
def test_messy_files_round_trip_or_raise_crm_data_error(rows, data):
    encoding = data.draw(st.sampled_from(ENCODINGS))
    delimiter = data.draw(st.sampled_from(DELIMITERS))
    headers = [data.draw(st.sampled_from(HEADER_CHOICES[c])) for c in HEADER_CHOICES]
    pad = data.draw(st.sampled_from(["", " ", "  "]))
    date_style, money_style = data.draw(st.sampled_from(DATE_STYLES)), data.draw(st.sampled_from(MONEY_STYLES))
    fault = data.draw(
        st.sampled_from([None] * 4 + ["negative", "blank amount", "bad date", "duplicate", "no customer"])
    )
    anonymous = None
    cells = [
        [
            pad + f"O{oid}" + pad,
            f"C{i % 3}",
            date_style.format(y=t.year, m=t.month, d=t.day, H=t.hour, M=t.minute),
            pad + money_style.format(v=cents / 100) + pad,
        ]
        for i, (oid, t, cents) in enumerate(rows)
    ]
    where = data.draw(st.integers(0, len(cells) - 1))
    if fault == "negative":
        cells[where][3] = "-" + money_style.format(v=(rows[where][2] + 1) / 100)  # never "-0.00", which is zero
    elif fault == "blank amount":
        cells[where][3] = pad
    elif fault == "bad date":
        cells[where][2] = "2024-02-30"
    elif fault == "duplicate":
        cells.append(list(cells[where]))
    elif fault == "no customer":  # an anonymous buyer: left out and reported, not an error
        cells[where][1] = ""
        anonymous, fault = where, None
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = write_csv(Path(folder), [pad + h for h in headers], cells, encoding, delimiter)
        except UnicodeEncodeError:  # GBK has no ¥ (U+00A5); such a file cannot exist
            assume(False)
        try:
            orders = read_orders(path)
        except CRMDataError as error:
            only_anonymous = anonymous is not None and len(rows) == 1 and "no purchases are left" in str(error)
            assert fault is not None or only_anonymous
            return
    assert fault is None
    report = orders.attrs["import_report"]
    if anonymous is not None:
        assert [(e["rows"], e["amount"]) for e in report["excluded"]] == [
            ([anonymous + 2], pytest.approx(rows[anonymous][2] / 100))
        ]
        rows = [row for i, row in enumerate(rows) if i != anonymous]
    assert orders["order_id"].tolist() == [f"O{oid}" for oid, _, _ in rows]
    kept = [i for i in range(len(rows) + (anonymous is not None)) if i != anonymous]
    assert orders["customer_id"].tolist() == [f"C{i % 3}" for i in kept]
    keeps_time = ":" in date_style
    expected = [pd.Timestamp(t).floor("min") if keeps_time else pd.Timestamp(t).normalize() for _, t, _ in rows]
    assert orders["order_date"].tolist() == expected
    assert orders["amount"].round(2).tolist() == [round(cents / 100, 2) for _, _, cents in rows]


# --- offline: the course runs with the network blocked ---------------------------------------


def test_loaders_import_and_analyses_work_without_network(monkeypatch):
    import socket

    from crmlib import clv, identify
    from crmlib.datasets import data_dir, load_tea

    def refuse(*args, **kwargs):
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tea = load_tea()
    sample = read_orders(data_dir() / "samples" / "tea_pos_export.csv")
    assert 0 < identify.top_share(sample, 0.2) < 1
    assert len(clv.rfm_summary(sample, freq="W")) == sample["customer_id"].nunique()
    assert (
        len(identify.pareto_table(tea.orders, customer="member_id", amount="net_amount"))
        == tea.orders["member_id"].nunique()
    )
