"""Writes the small synthetic shop exports in this folder (names and numbers are made up).

Each file imitates one kind of export a shop owner brings to the course; tests/test_io_exports.py
reads them and checks every kept row, excluded row and amount by hand. Run from the repository
root: python tests/data/exports/make_exports.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def text(name: str, lines: list[str], encoding: str, newline: str = "\r\n") -> None:
    (HERE / name).write_bytes((newline.join(lines) + newline).encode(encoding))


def main() -> None:
    # Taobao/Tmall-like (GBK CSV): ="…" wrapped 19-digit ids, 买家应付货款 vs 买家实际支付金额,
    # closed, unpaid and refunded orders, a refund column.
    text(
        "taobao_like.csv",
        [
            "订单编号,买家会员名,买家应付货款,买家实际支付金额,订单状态,订单创建时间,订单付款时间,退款金额",
            '="2938100000000000101",tb_lin88,120.00,110.00,交易成功,2024-03-05 14:23:10,2024-03-05 14:24:00,0',
            '="2938100000000000102",tb_wang_7,58.00,58.00,交易关闭,2024-03-06 09:00:00,,0',
            '="2938100000000000103",tb_lin88,99.00,89.00,交易成功,2024-03-07 20:15:00,2024-03-07 20:16:00,10.00',
            '="2938100000000000104",tb_zhao,45.00,45.00,等待买家付款,2024-03-08 11:11:11,,0',
            '="2938100000000000105",tb_zhao,300.00,280.00,交易成功,2024-03-09 10:00:00,2024-03-09 10:01:00,0',
            '="2938100000000000106",tb_wang_7,66.00,66.00,交易关闭,2024-03-10 08:30:00,2024-03-10 08:31:00,66.00',
            '="2938100000000000107",tb_qian,20.00,18.50,退款成功,2024-03-11 12:00:00,2024-03-11 12:01:00,18.50',
        ],
        "gbk",
    )
    # JD-like (UTF-8 with BOM): 下单帐号, 订单金额 (listed) vs 应付金额 (after discounts), 已取消.
    text(
        "jd_like.csv",
        [
            "订单号,下单帐号,下单时间,订单金额,应付金额,订单状态",
            "300100200301,jd_user_a,2024-04-01 10:00:00,199.00,179.00,完成",
            "300100200302,jd_user_b,2024-04-02 11:30:00,89.90,89.90,已取消",
            "300100200303,jd_user_a,2024-04-03 15:45:00,59.00,49.00,完成",
            "300100200304,jd_user_c,2024-04-04 09:05:00,1299.00,1199.00,完成",
        ],
        "utf-8-sig",
    )
    # Pinduoduo-like: amounts with (元), 用户实付金额 vs 商品总价, phone numbers as the key written
    # two ways, 未发货，退款成功 status.
    text(
        "pinduoduo_like.csv",
        [
            "订单号,商品总价(元),店铺优惠折扣(元),用户实付金额(元),订单状态,订单成交时间,手机号",
            "240501-100000001,39.90,5.00,34.90,已收货,2024-05-01 20:01:02,13912345678",
            '240502-100000002,19.90,0,19.90,"未发货，退款成功",2024-05-02 08:00:00,13800001111',
            "240503-100000003,59.00,10.00,49.00,已发货，待收货,2024-05-03 12:30:00,+86 139 1234 5678",
            "240504-100000004,9.90,0,9.90,已收货,2024-05-04 16:45:00,138-0000-1111",
        ],
        "utf-8",
    )
    # A POS export keyed by 会员ID (GB18030): title rows, a blank line, walk-in buyers (散客),
    # the header repeated by a page break, a 合计 row and two empty trailing columns.
    text(
        "pos_member_export.csv",
        [
            "茶小满 南阳一店 销售流水,,,,,,",
            "导出时间：2025-01-02 09:00,,,,,,",
            ",,,,,,",
            "小票号,会员ID,销售时间,应收金额,实收金额,,",
            'P0001,V1001,2024/3/5 14:23,"¥32.00","¥30.00",,',
            'P0002,散客,2024/3/5 15:02,"¥18.00","¥18.00",,',
            'P0003,V1002,2024/3/6 9:41,"¥1,280.00","¥1,200.00",,',
            "小票号,会员ID,销售时间,应收金额,实收金额,,",
            'P0004,V1001,2024/3/7 19:15,"¥25.50","¥25.50",,',
            'P0005,-,2024/3/7 19:20,"¥12.00","¥12.00",,',
            '合计,,,"¥1,367.50","¥1,285.50",,',
        ],
        "gb18030",
    )
    # Excel "Unicode text": UTF-16 with BOM, tab-separated; dd/mm/yyyy dates (25/03 decides the
    # column), 下午 times and 万 amounts.
    text(
        "unicode_text_export.txt",
        [
            "会员编号\t订单编号\t付款时间\t实付金额",
            "00123\tU-1\t05/03/2024 14:05\t1.25万",
            "00124\tU-2\t25/03/2024 09:30\t980元",
            "00123\tU-3\t02/04/2024 18:00\t(0.00)",
        ],
        "utf-16",
    )
    # Unquoted thousands separators, 下午 times and 时/分 times; the column count makes the
    # amount unambiguous.
    text(
        "thousands_unquoted.csv",
        [
            "订单号,会员号,下单时间,实付金额,门店",
            "A1,M1,2024/3/5 下午2:23,¥1,234.50,东店",
            "A2,M2,2024年3月6日 09时05分,88.00,东店",
            'A3,M1,2024/3/7 上午11:00,"2,000",西店',
        ],
        "utf-8",
    )
    # A spreadsheet whose ids Excel turned into numbers: the digits are lost.
    text(
        "excel_lost_digits.csv",
        [
            "订单编号,会员ID,下单时间,实付金额",
            "2.93810E+18,V1,2024-03-05,10",
            "2.93810E+18,V2,2024-03-06,12",
        ],
        "utf-8",
    )
    # Dates that read both ways: the reader must ask.
    text(
        "ambiguous_dates.csv",
        [
            "Order No,Customer,Order Date,Amount Paid",
            "1,C1,05/03/2024,10",
            "2,C2,06/04/2024,12",
        ],
        "utf-8",
    )
    # An Excel workbook with several sheets: a notes sheet, a summary sheet and the orders under a
    # merged group header, with real date cells, 万元 amounts, Excel serial dates and ids with
    # leading zeros kept as text.
    with pd.ExcelWriter(HERE / "workbook_several_sheets.xlsx", engine="openpyxl") as book:
        pd.DataFrame({"说明": ["本表由系统导出", "金额单位：万元"]}).to_excel(book, sheet_name="说明", index=False)
        pd.DataFrame({"月份": ["2024-03"], "销售额(万元)": [0.3]}).to_excel(book, sheet_name="汇总", index=False)
        rows = [
            ["订单信息", None, None, "金额信息", None],
            ["订单号", "客户编号", "下单日期", "订单金额(万元)", "实付金额(万元)"],
            ["0001", "C-01", pd.Timestamp("2024-03-05 10:00"), 0.12, 0.1],
            ["0002", "C-02", 45359, 0.05, 0.05],
            ["0003", "C-01", pd.Timestamp("2024-03-09"), 0.2, 0.15],
        ]
        pd.DataFrame(rows).to_excel(book, sheet_name="订单明细", index=False, header=False)


if __name__ == "__main__":
    main()
