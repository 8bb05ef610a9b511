"""read_orders on files shaped like real shop exports (tests/data/exports/, synthetic names and
numbers): every kept row, every excluded row with its reason and amount, and the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from script_loader import load_file

from crmlib import CRMDataError
from crmlib.io import ImportReport, mask_phone, read_orders

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"


def excluded(orders) -> list[tuple[str, list[int], float | None]]:
    return [(e["reason"], e["rows"], e["amount"]) for e in orders.attrs["import_report"]["excluded"]]


def test_taobao_like_export_keeps_paid_orders_at_the_paid_amount_minus_refunds():
    orders = read_orders(EXPORTS / "taobao_like.csv")
    # ="…" wrappers removed, the 19 digits kept as text
    assert orders["order_id"].tolist() == ["2938100000000000101", "2938100000000000103", "2938100000000000105"]
    assert orders["customer_id"].tolist() == ["tb_lin88", "tb_lin88", "tb_zhao"]
    # 买家实际支付金额 (paid), not 买家应付货款; the 10.00 refund of the second order subtracted
    assert orders["amount"].tolist() == [110.0, 79.0, 280.0]
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 14:23:10"),
        pd.Timestamp("2024-03-07 20:15"),
        pd.Timestamp("2024-03-09 10:00"),
    ]
    assert excluded(orders) == [
        ("status '交易关闭' (not a purchase)", [3, 7], 124.0),
        ("status '等待买家付款' (not a purchase)", [5], 45.0),
        ("status '退款成功' (not a purchase)", [8], 18.5),
    ]
    report = orders.attrs["import_report"]
    assert (report["rows_read"], report["rows_kept"], report["rows_excluded"], report["amount_kept"]) == (
        7,
        3,
        4,
        469.0,
    )
    assert report["columns"]["买家实际支付金额"] == "amount" and report["columns"]["退款金额"] == "refund"
    assert "订单创建时间" in report["choices"]["order_date"] and "订单付款时间" in report["choices"]["order_date"]
    assert any("subtracted" in note and "10.00" in note for note in report["notes"])


def test_jd_like_export_prefers_the_payable_amount_to_the_listed_one_and_drops_cancelled():
    orders = read_orders(EXPORTS / "jd_like.csv")
    assert orders["order_id"].tolist() == ["300100200301", "300100200303", "300100200304"]
    assert orders["amount"].tolist() == [179.0, 49.0, 1199.0]
    assert excluded(orders) == [("status '已取消' (not a purchase)", [3], 89.9)]
    assert orders.attrs["import_report"]["choices"]["amount"] == (
        "'应付金额' (the amount payable) chosen over '订单金额': the amount actually paid wins"
    )


def test_pinduoduo_like_export_keys_customers_by_masked_phone_numbers():
    orders = read_orders(EXPORTS / "pinduoduo_like.csv", phone_key="test")
    # +86 139 1234 5678 and 13912345678 are one customer; the middle digits never appear
    kept = orders["order_id"].tolist()
    assert kept == ["240501-100000001", "240503-100000003", "240504-100000004"]
    assert orders["customer_id"].tolist() == [
        mask_phone("13912345678", "test"),
        mask_phone("13912345678", "test"),
        mask_phone("13800001111", "test"),
    ]
    assert orders["customer_id"].str.startswith(("139****5678-", "138****1111-")).all()
    shown = str(orders) + str(orders.attrs["import_report"])
    for hidden in ("13912345678", "1234 5678", "13800001111", "0000-1111"):
        assert hidden not in shown
    assert orders["amount"].tolist() == [34.9, 49.0, 9.9]  # 用户实付金额(元), not 商品总价(元)
    assert excluded(orders) == [("status '未发货，退款成功' (not a purchase)", [3], 19.9)]
    # the same number gives the same key in another import with the same phone_key
    again = read_orders(EXPORTS / "pinduoduo_like.csv", phone_key="test")
    assert again["customer_id"].tolist() == orders["customer_id"].tolist()


def test_pos_export_keyed_by_member_id_with_title_rows_walk_ins_and_a_total_row():
    orders = read_orders(EXPORTS / "pos_member_export.csv")
    assert orders.columns.tolist() == ["order_id", "customer_id", "order_date", "amount", "应收金额"]
    assert orders["order_id"].tolist() == ["P0001", "P0003", "P0004"]
    assert orders["customer_id"].tolist() == ["V1001", "V1002", "V1001"]
    assert orders["amount"].tolist() == [30.0, 1200.0, 25.5]
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 14:23"),
        pd.Timestamp("2024-03-06 09:41"),
        pd.Timestamp("2024-03-07 19:15"),
    ]
    assert excluded(orders) == [
        ("the header row repeated", [8], None),
        ("a total row (合计/总计)", [11], 1285.5),
        ("anonymous buyer (散客/非会员/blank), not a customer", [6, 10], 30.0),
    ]
    report = orders.attrs["import_report"]
    assert (report["header_row"], report["rows_read"], report["rows_kept"], report["rows_excluded"]) == (4, 7, 3, 4)
    assert report["encoding"] == "gb18030"


def test_utf16_tab_separated_unicode_text_with_day_first_dates_and_wan_amounts():
    orders = read_orders(EXPORTS / "unicode_text_export.txt")
    report = orders.attrs["import_report"]
    assert (report["encoding"], report["delimiter"]) == ("utf-16", "\t")
    assert orders["customer_id"].tolist() == ["00123", "00124", "00123"]  # leading zeros kept
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 14:05"),
        pd.Timestamp("2024-03-25 09:30"),
        pd.Timestamp("2024-04-02 18:00"),
    ]
    assert orders["amount"].tolist() == [12500.0, 980.0, 0.0]
    assert any("day-first" in note for note in report["notes"])


def test_unquoted_thousands_separators_and_chinese_times():
    orders = read_orders(EXPORTS / "thousands_unquoted.csv")
    assert orders["amount"].tolist() == [1234.5, 88.0, 2000.0]
    assert orders["门店"].tolist() == ["东店", "东店", "西店"]
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 14:23"),
        pd.Timestamp("2024-03-06 09:05"),
        pd.Timestamp("2024-03-07 11:00"),
    ]
    assert any("thousands separators" in note and "(2)" in note for note in orders.attrs["import_report"]["notes"])


def test_workbook_with_several_sheets_finds_the_orders_sheet():
    pytest.importorskip("openpyxl")
    orders = read_orders(EXPORTS / "workbook_several_sheets.xlsx")
    report = orders.attrs["import_report"]
    assert (report["sheet"], report["header_row"]) == ("订单明细", 2)
    assert orders["order_id"].tolist() == ["0001", "0002", "0003"]
    # 实付金额(万元) chosen over 订单金额(万元), times 10,000; Excel day 45359 is 2024-03-08
    assert orders["amount"].tolist() == [1000.0, 500.0, 1500.0]
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-05 10:00"),
        pd.Timestamp("2024-03-08"),
        pd.Timestamp("2024-03-09"),
    ]


def test_a_workbook_without_an_orders_sheet_names_its_sheets(tmp_path):
    pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        pd.DataFrame({"说明": ["x"]}).to_excel(book, sheet_name="说明", index=False)
        pd.DataFrame({"月份": ["2024-03"], "门店": ["东店"]}).to_excel(book, sheet_name="汇总", index=False)
    with pytest.raises(CRMDataError, match=r"none of the sheets \(说明, 汇总\) has a header row"):
        read_orders(path)


def test_ids_whose_digits_excel_lost_are_refused_with_the_way_to_export_them():
    with pytest.raises(
        CRMDataError, match=r"'订单编号' has 2 rounded order_ids such as '2.93810E\+18' \(rows 2, 3\).*as text"
    ):
        read_orders(EXPORTS / "excel_lost_digits.csv")


def test_dates_that_read_both_ways_are_refused_until_dayfirst_is_given():
    with pytest.raises(CRMDataError, match=r"'05/03/2024'.*Fix: pass dayfirst=True"):
        read_orders(EXPORTS / "ambiguous_dates.csv")
    assert read_orders(EXPORTS / "ambiguous_dates.csv", dayfirst=True)["order_date"].tolist() == [
        pd.Timestamp("2024-03-05"),
        pd.Timestamp("2024-04-06"),
    ]
    assert read_orders(EXPORTS / "ambiguous_dates.csv", dayfirst=False)["order_date"].tolist() == [
        pd.Timestamp("2024-05-03"),
        pd.Timestamp("2024-06-04"),
    ]


def test_report_prints_as_text_a_person_can_read():
    report = read_orders(EXPORTS / "pos_member_export.csv").attrs["import_report"]
    assert isinstance(report, ImportReport) and isinstance(report, dict)
    text = str(report)
    assert text.splitlines()[:4] == [
        "Import of pos_member_export.csv",
        "  encoding gb18030, delimiter comma, header in row 4",
        "  rows read 7; kept 3; excluded 4",
        "  amount kept 1,255.50",
    ]
    assert "  excluded: a total row (合计/总计): 1 row, amount 1,285.50 (rows 11)" in text
    assert "  amount: '实收金额' (the amount actually paid)" in text
    assert repr(report) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-03-05T14:23:00+08:00", "2024-03-05 14:23"),
        ("2024-03-05T06:23:00Z", "2024-03-05 14:23"),
        ("2024/3/5 下午2:23", "2024-03-05 14:23"),
        ("2024/3/5 上午12:05", "2024-03-05 00:05"),
        ("2024年3月5日 09时05分", "2024-03-05 09:05"),
        ("45356", "2024-03-05"),
        ("45356.5", "2024-03-05 12:00"),
    ],
)
def test_more_date_styles(tmp_path, text, expected):
    path = tmp_path / "o.csv"
    path.write_text(f"订单号,会员号,下单时间,实付金额\nA1,M1,{text},1\n", encoding="utf-8")
    assert read_orders(path)["order_date"].iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.25万", 12500.0),
        ("3万", 30000.0),
        ("12元", 12.0),
        ("¥ 1,234.50 元", 1234.5),
        ("(0.00)", 0.0),
    ],
)
def test_more_money_styles(tmp_path, text, expected):
    path = tmp_path / "o.csv"
    path.write_text(f'订单号,会员号,下单时间,实付金额\nA1,M1,2024-03-05,"{text}"\n', encoding="utf-8")
    assert read_orders(path)["amount"].iloc[0] == expected


def test_bracketed_negative_is_a_negative_amount(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text('订单号,会员号,下单时间,实付金额\nA1,M1,2024-03-05,"(12.50)"\n', encoding="utf-8")
    with pytest.raises(CRMDataError, match=r"1 negative amount such as '\(12.50\)' \(row 2\).*refund column"):
        read_orders(path)


def test_refund_larger_than_the_payment_is_refused(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(
        "订单号,会员号,下单时间,实付金额,退款金额\nA1,M1,2024-03-05,10,12\nA2,M1,2024-03-06,10,\n", encoding="utf-8"
    )
    with pytest.raises(CRMDataError, match=r"'退款金额' has 1 larger refund such as '12' \(row 2\)"):
        read_orders(path)


def test_dates_before_1990_are_refused(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("订单号,会员号,下单时间,实付金额\nA1,M1,1900-01-05,10\n", encoding="utf-8")
    with pytest.raises(CRMDataError, match=r"1 pre-1990 order_date such as '1900-01-05' \(row 2\)"):
        read_orders(path)


def test_only_excluded_rows_is_an_error_that_says_why(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(
        "订单号,会员号,下单时间,实付金额,订单状态\nA1,M1,2024-03-05,10,交易关闭\nA2,散客,2024-03-05,3,\n",
        encoding="utf-8",
    )
    with pytest.raises(
        CRMDataError, match=r"no purchases are left after leaving out 2 rows \(status '交易关闭'.*anonymous"
    ):
        read_orders(path)


@pytest.mark.parametrize("path", [None, b"orders.csv", 5, pd.DataFrame({"a": [1]})])
def test_wrong_argument_types_for_the_path(path):
    with pytest.raises(CRMDataError, match=r"path must be a file name or pathlib.Path.*Fix: pass the file's path"):
        read_orders(path)


def test_bad_keyword_values():
    with pytest.raises(CRMDataError, match="dayfirst must be True, False or None"):
        read_orders(EXPORTS / "jd_like.csv", dayfirst="yes")
    with pytest.raises(CRMDataError, match="phone_key must be"):
        read_orders(EXPORTS / "jd_like.csv", phone_key=5)
    with pytest.raises(CRMDataError, match=r"override amount= must be a header \(text\), got 5"):
        read_orders(EXPORTS / "jd_like.csv", amount=5)
    with pytest.raises(CRMDataError, match="override status= must be a header"):
        read_orders(EXPORTS / "jd_like.csv", status=["订单状态"])


def test_exports_in_this_folder_match_their_builder(tmp_path, monkeypatch):
    """The committed files are what make_exports.py writes (so the builder documents them)."""
    module = load_file(EXPORTS / "make_exports.py")
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for path in tmp_path.iterdir():
        if path.suffix != ".xlsx":  # xlsx files carry a creation time
            assert path.read_bytes() == (EXPORTS / path.name).read_bytes(), path.name


def test_the_import_report_speaks_chinese_after_set_language():
    """Reasons, choices and notes are made in the language of the import; the frame in the language now."""
    from crmlib import messages

    english = str(read_orders(EXPORTS / "pos_member_export.csv").attrs["import_report"])
    messages.set_language("zh")
    try:
        report = read_orders(EXPORTS / "pos_member_export.csv").attrs["import_report"]
        text = str(report)
    finally:
        messages.set_language("en")
    assert text.splitlines()[:3] == [
        "导入 pos_member_export.csv",
        "  编码：gb18030，分隔符：逗号，表头在第 4 行",
        "  读取 7 行；保留 3 行；排除 4 行",
    ]
    assert "  排除：合计行（合计/总计）：1 行，金额 1,285.50（第 11 行）" in text
    assert "  amount: “实收金额”（实际支付的金额）" in text
    assert report["rows_kept"] == 3 and report["amount_kept"] == 1255.5  # the numbers do not change
    assert "  excluded: a total row (合计/总计): 1 row, amount 1,285.50 (rows 11)" in english
