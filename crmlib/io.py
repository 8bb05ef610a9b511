"""Read a shop's own order or customer export (CSV or Excel) into the course's column names.

Real exports from Chinese POS systems, e-commerce back offices (Taobao/Tmall, JD, Pinduoduo)
and spreadsheets differ in encoding (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 "Unicode
text"), delimiter (comma, semicolon, tab), layout (title rows above the header, a 合计 row, the
header repeated mid-file, several sheets), header names (订单号, 会员ID, 买家会员名, 订单实付金额,
"Order No", …), date style (2024年3月5日, 2024/3/5 下午2:23, Excel serial days, ISO with a time
zone) and money style (¥1,234.50, 1234元, 1.25万, (12.50)). :func:`read_orders` and
:func:`read_customers` find the columns by what their headers mean, rename them to
``order_id``, ``customer_id``, ``order_date`` and ``amount``, type them, and keep every other
column.

Rows that are not purchases (closed, cancelled, unpaid or refunded orders; anonymous buyers
such as 散客; total rows; a repeated header) are left out, counted and listed with their file row
numbers and amounts in ``df.attrs["import_report"]``, which prints as a short text a person can
read. A row that cannot be read stops the import with a :class:`~crmlib.validate.CRMDataError`
naming the column and the file row numbers (the first line of the file is row 1), so the file
can be fixed at its source. Nothing is dropped silently.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     path = pathlib.Path(d) / "pos.csv"
...     _ = path.write_bytes("订单号;会员编号;下单时间;实付金额\\nA1;M1;2024年3月5日;¥1,234.50\\n".encode("gb18030"))
...     orders = read_orders(path)
>>> orders[["order_id", "customer_id", "amount"]]
  order_id customer_id  amount
0       A1          M1  1234.5
>>> orders.attrs["import_report"]["delimiter"]
';'
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import hmac
import io
import math
import os
import re
import secrets
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from crmlib import messages, validate
from crmlib.messages import gettext as _
from crmlib.messages import gettext_noop as N_
from crmlib.messages import ngettext
from crmlib.validate import CRMDataError, rows_error

__all__ = [
    "ORDER_HEADERS",
    "CUSTOMER_HEADERS",
    "EXCLUDED_STATUSES",
    "ANONYMOUS_BUYERS",
    "ImportReport",
    "read_orders",
    "read_customers",
    "canonical_header",
    "header_role",
    "parse_dates",
    "parse_money",
    "mask_phone",
]

#: Example headers of each canonical order column. Headers are matched by meaning (see
#: :func:`header_role`), so these are examples, not a closed list; they are shown in the error
#: when a column cannot be found.
ORDER_HEADERS: dict[str, list[str]] = {
    "order_id": [
        "order_id",
        "订单号",
        "订单编号",
        "单号",
        "流水号",
        "交易单号",
        "小票号",
        "order no",
        "order number",
        "order",
        "transaction id",
        "receipt no",
        "invoice no",
    ],
    "customer_id": [
        "customer_id",
        "客户编号",
        "会员号",
        "会员编号",
        "会员ID",
        "会员卡号",
        "客户ID",
        "买家会员名",
        "买家ID",
        "用户ID",
        "顾客编号",
        "手机号",
        "customer",
        "customer no",
        "member id",
        "member",
        "buyer id",
        "user id",
        "client id",
    ],
    "order_date": [
        "order_date",
        "下单时间",
        "订单创建时间",
        "订单时间",
        "交易时间",
        "日期",
        "销售日期",
        "付款时间",
        "支付时间",
        "创建时间",
        "date",
        "order time",
        "order datetime",
        "purchase date",
        "transaction date",
        "created at",
    ],
    "amount": [
        "amount",
        "实付金额",
        "订单实付金额",
        "买家实际支付金额",
        "实收金额",
        "实收款",
        "支付金额",
        "成交金额",
        "应付金额",
        "消费金额",
        "金额",
        "订单金额",
        "paid",
        "amount paid",
        "paid amount",
        "total",
        "order total",
        "order amount",
        "sales",
        "revenue",
        "net amount",
    ],
}

#: Example headers of the customer table: the id (required) and the sign-up date (optional).
CUSTOMER_HEADERS: dict[str, list[str]] = {
    "customer_id": ORDER_HEADERS["customer_id"],
    "signup_date": [
        "signup_date",
        "注册时间",
        "注册日期",
        "开卡日期",
        "开卡时间",
        "入会日期",
        "入会时间",
        "signup",
        "sign up date",
        "join date",
        "joined",
        "registration date",
        "created at",
    ],
}

#: Order statuses that are not purchases (compared after :func:`canonical_header`).
EXCLUDED_STATUSES = frozenset(
    (
        "交易关闭",
        "已关闭",
        "关闭",
        "订单关闭",
        "已取消",
        "取消",
        "订单取消",
        "已撤销",
        "作废",
        "已作废",
        "交易失败",
        "待付款",
        "等待买家付款",
        "未付款",
        "待支付",
        "未支付",
        "退款成功",
        "已退款",
        "全额退款",
        "退款完成",
        "交易关闭退款",
        "closed",
        "cancelled",
        "canceled",
        "void",
        "unpaid",
        "pendingpayment",
        "awaitingpayment",
        "refunded",
        "failed",
    )
)

#: Customer keys that mean "no customer": walk-in or anonymous buyers (compared after
#: :func:`canonical_header`; a blank cell counts too).
ANONYMOUS_BUYERS = frozenset(
    (
        "散客",
        "非会员",
        "匿名",
        "匿名用户",
        "匿名买家",
        "游客",
        "临时客户",
        "无",
        "空",
        "-",
        "--",
        "—",
        "——",
        "/",
        "n/a",
        "na",
        "none",
        "null",
        "guest",
        "walkin",
        "anonymous",
        "0",
    )
)

_REQUIRED_ORDER = ["order_id", "customer_id", "order_date", "amount"]
_ENCODINGS = ("utf-8-sig", "gb18030")
_DELIMITERS = (",", "\t", ";")
_HEADER_SCAN = 30  # rows searched for the header
_PHONE_KEY = secrets.token_bytes(16)  # per Python session unless phone_key= is given


def canonical_header(text) -> str:
    """A header reduced for comparison: full-width to half-width, lower case, no spaces or punctuation.

    >>> canonical_header(" Order_No. "), canonical_header("客户ＩＤ"), canonical_header("实付金额（元）")
    ('orderno', '客户id', '实付金额元')
    """
    text = str(text)
    if text.isascii() and text.isalnum():
        return text.lower()
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).lower())


_NOT_ALNUM = re.compile(r"[\W_]+")


# --- what a header means -------------------------------------------------------------------

_UNIT = re.compile(r"[(\[【]\s*(万元|万|元|rmb|cny|¥|￥|yuan)\s*[)\]】]", re.IGNORECASE)

# (role, rank, pattern, meaning). The lowest rank wins when several headers fit one role; ties
# go to the leftmost column. Patterns see the canonical header without its unit.
_MEANINGS: list[tuple[str, int, str, str]] = [
    ("refund", 0, r"(已|累计)?退款(金额|款|额)?|refund(ed)?(amount)?", N_("refund")),
    ("status", 0, r"(订单|交易|支付)?状态|(order|payment)?status", N_("order status")),
    ("order_id", 0, r"(主)?订单(编号|号|id|号码)|order(no|number|id|#)?", N_("order number")),
    (
        "order_id",
        1,
        r"(交易|流水|小票|单据|销售单|收银|销售)(单)?(号|编号|id)|单号|(transaction|receipt|invoice)(no|number|id)?",
        N_("transaction number"),
    ),
    ("order_id", 2, r"子订单(编号|号|id)", N_("sub-order number")),
    (
        "customer_id",
        0,
        r"(买家)?会员(id|号|编号|卡号|名|账号|代码)?|买家(id|账号|编号)?|(customer|member|buyer|client)(id|no|number|code)?",
        N_("member or buyer id"),
    ),
    (
        "customer_id",
        1,
        r"(客户|顾客|用户)(id|号|编号|账号|代码|卡号)?|(下单|用户)?(账号|帐号|用户名)|user(id|name)?",
        N_("customer id"),
    ),
    ("customer_id", 2, r"(客户|顾客|买家)(名称|昵称|名)|(customer|buyer)name", N_("customer name")),
    (
        "customer_id",
        3,
        r"(会员|客户|顾客|买家|收货人)?(手机号码|手机号|手机|联系电话|电话)|(mobile|phone)(no|number)?",
        N_("phone number"),
    ),
    (
        "order_date",
        0,
        r"(下单|订单创建|订单|创建)(时间|日期)|(order|created)(date|time|datetime|at)?",
        N_("order time"),
    ),
    (
        "order_date",
        1,
        r"(订单)?(付款|支付|成交|交易|销售|消费|购买)(时间|日期)|(purchase|transaction|sale|payment)(date|time)",
        N_("payment or sale time"),
    ),
    ("order_date", 2, r"日期|时间|date|time|datetime", N_("date")),
    (
        "amount",
        0,
        r"\w{0,6}(实付|实收|实际支付|实际付款|实际收款)(金额|款|额|总额|总价)?|(amount)?paid(amount)?|netamount",
        N_("the amount actually paid"),
    ),
    ("amount", 1, r"(订单|商品)?(支付|付款|成交|收款)(金额|款|额|总额)", N_("the amount paid")),
    ("amount", 2, r"(订单)?应付(金额|款|额|总额)?", N_("the amount payable")),
    ("amount", 3, r"(消费|销售|交易)?(金额|额)|amount|sales|revenue|total", N_("an amount")),
    (
        "amount",
        4,
        r"(订单|商品)(总)?(金额|价|总价|总额)|总(价|金额|额)|原价|ordertotal|orderamount|listprice",
        N_("the listed price"),
    ),
]
_COMPILED = [(role, rank, re.compile(pattern), meaning) for role, rank, pattern, meaning in _MEANINGS]
_SIGNUP = re.compile(
    r"(注册|开卡|入会|加入)(时间|日期)|signup(date)?|signupdate|join(ed|date)?|registration(date)?|createdat"
)


def header_role(header) -> tuple[str, int, str] | None:
    """What a header means: ``(role, rank, meaning)``, or None. A lower rank is a better fit.

    >>> header_role("订单实付金额（元）"), header_role("订单金额"), header_role("备注")
    (('amount', 0, 'the amount actually paid'), ('amount', 4, 'the listed price'), None)
    """
    key = canonical_header(_UNIT.sub("", unicodedata.normalize("NFKC", str(header))))
    for role, rank, pattern, meaning in _COMPILED:
        if pattern.fullmatch(key):
            return role, rank, meaning
    return None


def _unit_of(header) -> float:
    found = _UNIT.search(unicodedata.normalize("NFKC", str(header)))
    return 10_000.0 if found and found.group(1).startswith("万") else 1.0


# --- the import report ---------------------------------------------------------------------


class ImportReport(dict):
    """What :func:`read_orders` did, as a dict that prints as a short text.

    Keys: ``file``, ``sheet``, ``encoding``, ``delimiter``, ``header_row`` (file row of the
    header), ``rows_read``, ``rows_kept``, ``rows_excluded``, ``excluded`` (one entry per
    reason: ``reason``, ``rows`` as file row numbers, ``amount``), ``columns`` (file header →
    canonical name), ``choices`` (why each header was chosen), ``amount_kept``, ``notes``.
    """

    def __str__(self) -> str:
        """The report in the language crmlib speaks now (its reasons and notes in the one of the import)."""
        title = _("Import of {file}").format(file=self.get("file"))
        lines = [title + (_(", sheet {sheet!r}").format(sheet=self["sheet"]) if self.get("sheet") else "")]
        where = [_("encoding {encoding}").format(encoding=self["encoding"])] if self.get("encoding") else []
        if self.get("delimiter"):
            names = {"\t": _("tab"), ",": _("comma"), ";": _("semicolon")}
            delimiter = names.get(self["delimiter"], repr(self["delimiter"]))
            where.append(_("delimiter {delimiter}").format(delimiter=delimiter))
        if self.get("header_row"):
            where.append(_("header in row {row}").format(row=self["header_row"]))
        lines.append("  " + _(", ").join(where))
        counts = {k: self.get(f"rows_{k}", 0) for k in ("read", "kept", "excluded")}
        lines.append("  " + _("rows read {read:,}; kept {kept:,}; excluded {excluded:,}").format(**counts))
        if "amount_kept" in self:
            lines.append("  " + _("amount kept {amount:,.2f}").format(amount=self["amount_kept"]))
        for entry in self.get("excluded", []):
            rows = entry["rows"]
            shown = ", ".join(str(r) for r in rows[:8])
            if len(rows) > 8:
                shown += _(", … {count} more").format(count=len(rows) - 8)
            amount = "" if entry.get("amount") is None else _(", amount {amount:,.2f}").format(amount=entry["amount"])
            count = ngettext("{count} row", "{count} rows", len(rows)).format(count=len(rows))
            lines.append(
                "  "
                + _("excluded: {reason}: {count}{amount} (rows {rows})").format(
                    reason=entry["reason"], count=count, amount=amount, rows=shown
                )
            )
        for canonical, why in self.get("choices", {}).items():
            lines.append(f"  {canonical}: {why}")
        for note in self.get("notes", []):
            lines.append("  " + _("note: {note}").format(note=note))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython shows the text, not the dict
        printer.text(str(self))


# --- reading the file into a grid of text --------------------------------------------------


_HEAD_BYTES = 1 << 20  # the start of a text file read to find its encoding, delimiter and header


def _decode_head(raw: bytes, name: str, whole: bool) -> tuple[str, str]:
    """The encoding and the decoded start of the file (enough to find the header).

    ``raw`` is the whole file when ``whole``, else its first ``_HEAD_BYTES`` (UTF-16 files are
    read whole: see :func:`_read_csv`).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return "utf-16", raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in _ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(raw[:_HEAD_BYTES], final=whole and len(raw) <= _HEAD_BYTES)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not raw.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        return encoding, text
    raise CRMDataError(
        _(
            "{name}: the file is neither UTF-8, UTF-16 nor GB18030/GBK text. Fix: save it "
            "from Excel as 'CSV UTF-8' or as .xlsx."
        ).format(name=name)
    )


def _score_header(cells: list[str], accepted: dict[str, list[str]], overrides: dict) -> int:
    roles = set()
    wanted = {canonical_header(h) for h in overrides.values() if isinstance(h, str)}
    for cell in cells:
        found = header_role(cell)
        if found and found[0] in accepted:
            roles.add(found[0])
        elif canonical_header(cell) in wanted and canonical_header(cell):
            roles.add(("override", canonical_header(cell)))
        elif "signup_date" in accepted and _SIGNUP.fullmatch(canonical_header(cell)):
            roles.add("signup_date")
    return len(roles)


def _find_header(rows: list[list[str]], accepted, overrides) -> tuple[int, int]:
    """Index of the header among ``rows`` and its score (first row with the most recognised roles)."""
    best, best_score = None, -1
    for i, row in enumerate(rows[:_HEADER_SCAN]):
        cells = [c.strip() for c in row if c is not None and str(c).strip()]
        if not cells:
            continue
        score = _score_header(cells, accepted, overrides)
        if best is None or score > best_score:
            best, best_score = i, score
    return (best if best is not None else 0), best_score


def _read_csv(path: Path, name: str, accepted, overrides) -> tuple[pd.DataFrame, dict]:
    size = path.stat().st_size
    with path.open("rb") as file:  # only the start: pandas reads the rest
        raw = file.read(_HEAD_BYTES)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and size > len(raw):
        raw = path.read_bytes()  # decoded whole below
    encoding, head = _decode_head(raw, name, whole=len(raw) == size)
    if not head.strip():
        raise CRMDataError(
            _("{name}: the file is empty. Fix: export the table again with its header row and data.").format(name=name)
        )
    head_lines = head.splitlines()
    if len(head) < size // 4 and len(head_lines) > 1:  # the last line of the head may be cut
        head_lines = head_lines[:-1]
    lines = head_lines[: _HEADER_SCAN + 5]
    choices = []
    for delimiter in _DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        index, score = _find_header(rows, accepted, overrides)
        choices.append((score, len(rows[index]) if rows else 0, delimiter, index))
    score, _width, delimiter, header_index = max(choices, key=lambda c: (c[0], c[1]))
    options = dict(
        sep=delimiter,
        header=0,
        skiprows=header_index,
        dtype=_dtypes(head_lines, delimiter, header_index) if size > _HEAD_BYTES else object,
        keep_default_na=False,
        na_filter=False,  # every cell as its text, a gap as '' (and faster)
        skip_blank_lines=False,
        quotechar='"',
        index_col=False,
    )
    source = io.StringIO(raw.decode("utf-16")) if encoding == "utf-16" else path
    try:
        with warnings.catch_warnings():  # rows longer than the header: read them cell by cell below
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(source, encoding=None if encoding == "utf-16" else encoding, **options)
        notes = []
    except UnicodeDecodeError:
        raise CRMDataError(
            _(
                "{name}: part of the file is not {encoding} text. Fix: save it from Excel as 'CSV UTF-8' or as .xlsx."
            ).format(name=name, encoding=encoding)
        ) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raw = raw if len(raw) == size else path.read_bytes()
        text = raw.decode("utf-16") if encoding == "utf-16" else raw.decode(encoding)
        frame, notes = _read_uneven(text, delimiter, header_index, name)
    frame.index = pd.RangeIndex(header_index + 2, header_index + 2 + len(frame))
    return frame, {"encoding": encoding, "delimiter": delimiter, "header_row": header_index + 1, "notes": notes}


_FEW_SAMPLE = 2_000  # rows of the head (spread over it) that show a column's distinct values
_FEW_VALUES = 50  # distinct values among them at most for a column read as categories


def _dtypes(lines: list[str], delimiter: str, header_index: int) -> dict[str, str] | type:
    """How pandas reads each column of a large file: as text (object), or as categories when the
    head shows few distinct values (a status or a shop column): pandas then hashes the cells in C,
    and :func:`_factor` takes its codes instead of hashing a million strings again. Only speed
    depends on it: a column with more values than the head showed is still read right."""
    data = lines[header_index + 1 :]
    if len(data) <= _FEW_SAMPLE // 2:
        return object
    header, *sample = csv.reader([lines[header_index], *data[:: max(1, len(data) // _FEW_SAMPLE)]], delimiter=delimiter)
    if len(set(header)) != len(header) or not all(h.strip() for h in header):
        return object  # pandas renames repeated or blank headers: keep every column as text
    even = [row for row in sample if len(row) == len(header)]
    if len(even) <= _FEW_SAMPLE // 4:
        return object  # too few rows of the header's width to judge
    distinct = [len(set(column)) for column in zip(*even, strict=True)]
    return {h: "category" if few <= _FEW_VALUES else object for h, few in zip(header, distinct, strict=True)}


_THOUSANDS = re.compile(r"[-(]?\s*[¥￥]?\s*\d{1,3}")
_THOUSANDS_TAIL = re.compile(r"\d{3}(\.\d+)?\s*(元|\))?")


def _read_uneven(text: str, delimiter: str, header_index: int, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows with more cells than the header: mend unquoted thousands separators when only one place fits."""
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = records[header_index]
    width = len(header)
    money_columns = [i for i, h in enumerate(header) if (header_role(h) or ("", 0, ""))[0] in ("amount", "refund")]
    body, mended, bad = [], [], []
    for offset, cells in enumerate(records[header_index + 1 :]):
        row = header_index + 2 + offset
        if len(cells) > width and delimiter == ",":
            extra = len(cells) - width
            fits = []
            for col in money_columns:
                for start in range(col, col + extra + 1):
                    # the cells start..start+extra must be one number split at its thousands commas
                    if start != col:
                        continue
                    parts = cells[start : start + extra + 1]
                    if _THOUSANDS.fullmatch(parts[0].strip()) and all(
                        _THOUSANDS_TAIL.fullmatch(p.strip()) if k == extra else re.fullmatch(r"\d{3}", p.strip())
                        for k, p in enumerate(parts[1:], start=1)
                    ):
                        fits.append(start)
            if len(fits) == 1:
                start = fits[0]
                cells = cells[:start] + [",".join(cells[start : start + extra + 1])] + cells[start + extra + 1 :]
                mended.append(row)
        if len(cells) > width:
            if all(not c.strip() for c in cells[width:]):
                cells = cells[:width]
            else:
                bad.append(row)
                continue
        body.append(cells + [""] * (width - len(cells)))
    if bad:
        raise rows_error(
            name,
            "(whole row)",
            bad,
            noun=_("row"),
            problem=_("with more cells than the {width} headers").format(width=width),
            fix=_("quote the cells that contain the delimiter, or export again as .xlsx or 'CSV UTF-8'"),
        )
    notes = (
        [
            ngettext(
                "unquoted thousands separators read as part of the amount in {count} row ({rows})",
                "unquoted thousands separators read as part of the amount in {count} rows ({rows})",
                len(mended),
            ).format(count=len(mended), rows=", ".join(str(r) for r in mended[:8]) + (", …" if len(mended) > 8 else ""))
        ]
        if mended
        else []
    )
    names = (
        pd.io.common.dedup_names(header, is_potential_multiindex=False)
        if hasattr(pd.io.common, "dedup_names")
        else header
    )
    return pd.DataFrame(body, columns=list(names), dtype=object), notes


def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return str(pd.Timestamp(value)) if not isinstance(value, str) else value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _read_excel(path: Path, name: str, accepted, overrides) -> tuple[pd.DataFrame, dict]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except ImportError as error:
        raise CRMDataError(
            _("{name}: reading .xlsx needs the openpyxl package. Fix: pip install openpyxl.").format(name=name)
        ) from error
    except Exception as error:  # a damaged or non-Excel file behind an .xlsx name
        raise CRMDataError(
            _("{name}: could not be read as an Excel workbook ({error}). Fix: save it again as .xlsx.").format(
                name=name, error=error
            )
        ) from error
    scored = []
    for sheet, grid in sheets.items():
        if grid.empty:
            continue
        rows = [[_cell_text(v) for v in row] for row in grid.head(_HEADER_SCAN).itertuples(index=False)]
        index, score = _find_header(rows, accepted, overrides)
        scored.append((score, sheet, index, grid))
    if not scored:
        raise CRMDataError(
            _("{name}: the file is empty. Fix: export the table again with its header row and data.").format(name=name)
        )
    needed = len([r for r in accepted if r in ("order_id", "customer_id", "order_date", "amount")] or ["customer_id"])
    usable = [s for s in scored if s[0] >= needed]
    if len(sheets) > 1 and not usable:
        raise CRMDataError(
            _(
                "{name}: none of the sheets ({listed}) has a header row with the order columns. "
                'Fix: pass sheet="the sheet\'s name", or put the orders on the first sheet.'
            ).format(name=name, listed=", ".join(map(str, sheets)))
        )
    score, sheet, index, grid = (usable or scored)[0]
    header = [_cell_text(v).strip() for v in grid.iloc[index]]
    body = (
        grid.iloc[index + 1 :].map(_cell_text) if hasattr(grid, "map") else grid.iloc[index + 1 :].applymap(_cell_text)
    )
    names = (
        pd.io.common.dedup_names(header, is_potential_multiindex=False)
        if hasattr(pd.io.common, "dedup_names")
        else header
    )
    frame = pd.DataFrame(body.to_numpy(dtype=object), columns=list(names))
    frame.index = pd.RangeIndex(index + 2, index + 2 + len(frame))
    notes = (
        [_("sheet {sheet!r} chosen from {sheets}").format(sheet=sheet, sheets=", ".join(repr(s) for s in sheets))]
        if len(sheets) > 1
        else []
    )
    return frame, {
        "encoding": "xlsx",
        "delimiter": None,
        "header_row": index + 1,
        "sheet": sheet if len(sheets) > 1 else None,
        "notes": notes,
    }


def _read_any(path, accepted, overrides) -> tuple[pd.DataFrame, dict, str]:
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)):
        raise CRMDataError(
            _(
                "path must be a file name or pathlib.Path, got {type}. Fix: pass the file's path, "
                'e.g. read_orders("orders.csv").'
            ).format(type=type(path).__name__)
        )
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise CRMDataError(_("{name}: no such file ({path}). Fix: check the path.").format(name=name, path=path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        frame, report = _read_csv(path, name, accepted, overrides)
    elif suffix in (".xlsx", ".xlsm"):
        frame, report = _read_excel(path, name, accepted, overrides)
    else:
        raise CRMDataError(
            _("{name}: unknown file type '{suffix}'. Fix: export the table as .csv or .xlsx.").format(
                name=name, suffix=path.suffix
            )
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    # trailing (or any) columns with neither a header nor a value
    unnamed = [c for c in frame.columns if not c or c.startswith("Unnamed:")]
    empty = [c for c in unnamed if not _strip(frame[c]).astype(bool).any()]
    if empty:
        frame = frame.drop(columns=empty)
    if len(frame.columns) == 0:
        raise CRMDataError(
            _("{name}: the file is empty. Fix: export the table again with its header row and data.").format(name=name)
        )
    return frame, report, name


def _strip(values: pd.Series) -> np.ndarray:
    """Cells as stripped text ('' for a gap), as an object array."""
    return np.array(
        [v.strip() if v.__class__ is str else _cell_text(v).strip() for v in values.to_numpy(dtype=object)],
        dtype=object,
    )


_EXAMPLE_HEADER = {
    "order_id": "订单号",
    "customer_id": "会员编号",
    "order_date": "下单时间",
    "amount": "实付金额",
    "status": "订单状态",
    "refund": "退款金额",
    "signup_date": "注册时间",
}


# --- finding the columns -------------------------------------------------------------------


def _column_mapping(
    headers: list[str],
    accepted: dict[str, list[str]],
    overrides: dict,
    required: list[str],
    name: str,
    extra_roles=("status", "refund"),
) -> tuple[dict[str, str], dict[str, str]]:
    wanted = {key: value for key, value in overrides.items() if value is not None}
    known = list(accepted) + list(extra_roles)
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise CRMDataError(
            _("{name}: unknown column override {unknown!r}. Fix: override one of {listed}.").format(
                name=name, unknown=unknown[0], listed=", ".join(known)
            )
        )
    for key, header in wanted.items():
        if not isinstance(header, str):
            raise CRMDataError(
                _(
                    '{name}: the override {key}= must be a header (text), got {header!r}. Fix: pass e.g. {key}="{get}".'
                ).format(name=name, key=key, header=header, get=_EXAMPLE_HEADER.get(key, "会员编号"))
            )
    by_key = {canonical_header(h): h for h in reversed(headers)}
    mapping, why = {}, {}
    for canonical, header in wanted.items():
        if canonical_header(header) not in by_key:
            raise CRMDataError(
                _(
                    "{name}: column {header!r} (given for {canonical}) is not in the file (headers "
                    "found: {listed}). Fix: pass one of those headers."
                ).format(name=name, header=header, canonical=canonical, listed=", ".join(headers))
            )
        mapping[canonical] = by_key[canonical_header(header)]
        why[canonical] = f"'{mapping[canonical]}' as you asked ({canonical}=)"
    candidates: dict[str, list[tuple[int, int, str, str]]] = {}
    for position, header in enumerate(headers):
        if header in mapping.values():
            continue
        found = header_role(header)
        if found is None and "signup_date" in accepted and _SIGNUP.fullmatch(canonical_header(header)):
            found = ("signup_date", 0, N_("sign-up date"))
        if found is not None:
            role, rank, meaning = found
            candidates.setdefault(role, []).append((rank, position, header, meaning))
    for role in known:
        if role in mapping or role not in candidates:
            continue
        ranked = sorted(candidates[role])
        rank, _position, header, meaning = ranked[0]
        mapping[role] = header
        others = [h for _, _, h, _ in ranked[1:]]
        shown = {"header": header, "meaning": messages.gettext(meaning), "others": ", ".join(repr(o) for o in others)}
        if others and role == "amount":
            why[role] = _("'{header}' ({meaning}) chosen over {others}: the amount actually paid wins").format(**shown)
        elif others:
            why[role] = _("'{header}' ({meaning}) chosen over {others}").format(**shown)
        else:
            why[role] = _("'{header}' ({meaning})").format(**shown)
    for canonical in required:
        if canonical not in mapping:
            raise CRMDataError(
                _(
                    "{name}: column '{canonical}' is missing (headers found: {listed}; accepted "
                    'names: {listed2}). Fix: rename the column or pass {canonical}="your header".'
                ).format(
                    name=name, canonical=canonical, listed=", ".join(headers), listed2=", ".join(accepted[canonical])
                )
            )
    return mapping, why


# --- typing the values ---------------------------------------------------------------------


def _fail_rows(name: str, header: str, canonical: str, rows, problem: str, fix: str, example=None) -> CRMDataError:
    shown = _("such as {example!r}").format(example=example) if example is not None else ""
    error = rows_error(
        name,
        header,
        list(rows),
        noun=_("{problem} {canonical}").format(problem=problem, canonical=canonical),
        problem=shown,
        fix=fix,
    )
    error.import_report = {"rows_rejected": len(rows), "reason": str(error)}
    return error


_MONEY_FAST = re.compile(r"[¥￥]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[¥￥]?\.\d+")
_MONEY_FULL = re.compile(
    r"(?P<neg>-)?(?P<open>\()?\s*(?:rmb|cny|[¥￥])?\s*(?P<neg2>-)?\s*"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)\s*(?P<wan>万)?\s*(?:元|rmb|cny)?\s*(?P<close>\))?"
)


def _joined(texts: list[str]) -> str:
    """The texts joined by ``\\x00``, with one before the first and one after the last."""
    return "\x00" + "\x00".join(texts) + "\x00"


def _matching(texts: list[str], pattern: str, may_match=None, joined: str | None = None) -> np.ndarray:
    """For each text, whether ``pattern`` matches all of it; one regex scan over all texts at C speed.

    ``pattern`` must not match the separator ``\\x00`` nor be empty-matching. ``may_match``, when
    given, is a quick test on the texts joined by ``\\x00`` (substring searches, much faster than
    a regex scan) that is False only when no text can match: the scan is then skipped.
    ``joined``: ``_joined(texts)`` when already made.
    """
    hits = np.zeros(len(texts), dtype=bool)
    if not texts:
        return hits
    joined = _joined(texts) if joined is None else joined
    if may_match is not None and not may_match(joined):
        return hits
    if joined.count("\x00") != len(texts) + 1:  # a text holds the separator: check one by one
        regex = re.compile(pattern)
        return np.fromiter((regex.fullmatch(t) is not None for t in texts), dtype=bool, count=len(texts))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths[:-1] + 1)])  # of each separator before a text
    regex = re.compile(r"\x00(?:" + pattern + r")(?=\x00)")
    found = np.fromiter((m.start() for m in regex.finditer(joined)), dtype=np.int64)
    if len(found):
        hits[np.searchsorted(starts, found)] = True
    return hits


def _holding(needles: tuple[str, ...], fold: bool = False):
    """A ``may_match`` test for :func:`_matching`: whether the joined texts hold one of ``needles``.

    ``fold``: compare case-folded, as ``re.IGNORECASE`` does (it matches 'TOTAL' and even 'ſum').
    """

    if fold:
        needles = tuple(needle.casefold() for needle in needles)

    def holds(joined: str) -> bool:
        text = joined.casefold() if fold else joined
        return any(needle in text for needle in needles)

    return holds


# Every character str.strip() removes (none above U+3000): a text holding none has no padding.
_PADDED = r"\s[^\x00]*|[^\x00]*\s"
_MAY_BE_PADDED = _holding(tuple(chr(c) for c in range(0x3001) if chr(c).isspace()))


def _all_match(joined: str, count: int, pattern: str) -> bool:
    """Whether ``pattern`` matches each of the ``count`` texts of ``joined`` (joined by ``\\x00``) whole.

    One C-speed pass, no object per match.
    """
    if not count or joined.count("\x00") != count - 1:
        return False
    regex = re.compile(r"\x00(?:" + pattern + r")(?=\x00)")
    return regex.subn("", "\x00" + joined + "\x00")[1] == count


def _money_values(texts: list[str]) -> np.ndarray:
    """Many amounts at once (see :func:`parse_money`): the plain ones in bulk, the rest one by one."""
    try:
        blank = texts.index("")  # a column's distinct texts hold one blank at most
    except ValueError:
        blank = None
    filled = texts if blank is None else texts[:blank] + texts[blank + 1 :]
    joined = "\x00".join(filled)
    if _all_match(joined, len(filled), _MONEY_FAST.pattern):  # no blank left, as blanks do not match
        numbers = np.fromiter(map(float, _unmarked(joined).split("\x00")), dtype="float64", count=len(filled))
        return numbers if blank is None else np.insert(numbers, blank, np.nan)
    values = np.full(len(texts), np.nan)
    plain = np.fromiter((_MONEY_FAST.fullmatch(t) is not None for t in texts), dtype=bool, count=len(texts))
    if plain.any():
        chosen = [t for t, ok in zip(texts, plain, strict=True) if ok]
        cleaned = _unmarked("\x00".join(chosen)).split("\x00")
        values[plain] = np.array(cleaned, dtype=str).astype("float64")
    for i in np.flatnonzero(~plain):
        values[i] = _money_value(texts[i])
    return values


# A column whose every cell is a plain amount (what ``_MONEY_FAST`` matches, ASCII digits only) is
# read in bulk: its cells joined and checked as bytes with numpy, then pandas' C float parser.
# pandas before 3.1 parses floats exactly (as Python's float does) only when asked
_EXACT_FLOATS = (
    {"float_precision": "round_trip"} if tuple(int(p) for p in re.findall(r"\d+", pd.__version__)[:2]) < (3, 1) else {}
)


_PLAIN_TABLE = bytes.maketrans(b"\x00", b"\n")  # cells one a line


def _plain_numbers(raw: bytes, count: int) -> bytes | None:
    """The numbers of ``count`` plain amounts, one a line without signs or commas, else None.

    ``raw``: the cells in Latin-1 (¥ is one byte) joined by ``\\x00``, with one before the first
    cell and one after the last. Each byte is looked at with its neighbours, as whole-array numpy
    steps: every byte is a digit, ``\\x00``, a comma, a dot or ¥; there are ``count + 1``
    ``\\x00`` and no two side by side (an empty cell); a ¥ follows ``\\x00`` and precedes a
    digit or the dot; a comma has one to three digits before it and exactly three after, then no
    digit; a dot has one to three digits after it, then the end of its cell. A column with a dot
    followed by more digits (``1.2345``) is decided by :func:`_plain_marks`.

    >>> [_plain_numbers(f"\\x00{t}\\x00".encode("latin-1"), 1) for t in ("¥1,234.5", ".5", "1234,567", "1.2.3", "5.")]
    [b'1234.5', b'.5', None, None, None]
    >>> _plain_numbers(b"\\x001.23456\\x00", 1), _plain_numbers(b"\\x001.2345,678\\x00", 1)
    (b'1.23456', None)
    """
    codes = np.frombuffer(raw, dtype=np.uint8)
    size = len(codes)
    padded = np.zeros((4, size + 8), dtype=bool)  # digit, end of cell, dot and comma, 4 bytes of margin
    digit, end, dot, comma = (padded[k, 4:-4] for k in range(4))
    np.less(codes - np.uint8(48), 10, out=digit)
    np.equal(codes, 0, out=end)
    np.equal(codes, 46, out=dot)
    np.equal(codes, 44, out=comma)
    sign = codes == 0xA5
    ends = int(np.count_nonzero(end))
    if ends != count + 1 or ends + sum(int(np.count_nonzero(a)) for a in (digit, dot, comma, sign)) != size:
        return None  # a cell holds \x00, or a character other than digits, commas, dots and ¥

    def at(kind: int, shift: int) -> np.ndarray:  # whether the byte ``shift`` places on is of ``kind``
        return padded[kind, 4 + shift : 4 + shift + size]

    if (end[1:] & end[:-1]).any():  # an empty cell
        return None
    if (sign & ~(at(1, -1) & (at(0, 1) | at(2, 1)))).any():
        return None
    digits_after = at(0, 1) & at(0, 2) & at(0, 3) & ~at(0, 4)
    digits_before = at(0, -1) & ~(at(0, -2) & at(0, -3) & at(0, -4))
    if (comma & ~(digits_after & digits_before)).any():
        return None
    decimals = at(0, 1) & (at(1, 2) | at(0, 2) & (at(1, 3) | at(0, 3) & at(1, 4)))
    if (dot & ~decimals).any():  # more than three decimals, or a misplaced dot: decided mark by mark
        return _plain_marks(codes, count)
    return raw.translate(_PLAIN_TABLE, b",\xa5")[1:-1]


def _plain_marks(codes: np.ndarray, count: int) -> bytes | None:
    """:func:`_plain_numbers` for any number of decimals: the marks (every byte but a digit) in file
    order, and the number of digits between a mark and the next, decide it in a few numpy passes.

    >>> _plain_marks(np.frombuffer(b"\\x00\\xa51,234.56789\\x00", dtype=np.uint8), 1)
    b'1234.56789'
    """
    where = np.flatnonzero((codes - np.uint8(48)) > 9)
    marks = codes[where]  # the first and the last are \x00: a comma, dot or ¥ has marks on both sides
    ends, comma, dot, sign = (np.flatnonzero(marks == byte) for byte in (0, 44, 46, 0xA5))
    if len(ends) != count + 1 or len(ends) + len(comma) + len(dot) + len(sign) != len(marks):
        return None  # a cell holds \x00, or a character other than digits, commas, dots and ¥
    ends = ends[:-1]
    gaps = np.diff(where) - 1  # digits between a mark and the next
    if (
        ((marks[ends + 1] == 0) & (gaps[ends] == 0)).any()  # an empty cell
        or ((gaps[comma] != 3) | (gaps[comma - 1] < 1) | (gaps[comma - 1] > 3)).any()
        or ((marks[dot + 1] != 0) | (gaps[dot] == 0)).any()
        or ((marks[sign - 1] != 0) | (gaps[sign - 1] > 0) | ((marks[sign + 1] == 0) & (gaps[sign] == 0))).any()
    ):
        return None
    numbers = codes[(codes != 44) & (codes != 0xA5)]  # without signs and commas
    numbers[numbers == 0] = ord("\n")
    return numbers[1:-1].tobytes()


def _plain_amounts(cells: list) -> np.ndarray | None:
    """The amounts of a column whose every cell is plain (``¥1,234.50``, ``88``, ``.5``), else None.

    The values are those of :func:`_money_value` (the cells without ``¥`` and thousands
    separators, read as Python's float does), found without a Python step per cell: the cells
    joined and checked as bytes (:func:`_plain_numbers`), then read by pandas' C float parser.

    >>> _plain_amounts(["¥1,234.50", "88", "￥.5"]).tolist(), _plain_amounts(["¥1,234.50", "12,34"])
    ([1234.5, 88.0, 0.5], None)
    """
    if not cells or not all(type(c) is str for c in cells[:1]):
        return None
    try:
        joined = "\x00" + "\x00".join(cells) + "\x00"
    except TypeError:  # a cell that is not text
        return None
    try:
        raw = joined.encode("latin-1")  # one byte a character (¥ is U+00A5): a copy when the text is
    except UnicodeEncodeError:
        try:  # the full-width ￥ (U+FFE5), else a character no plain amount holds
            raw = joined.replace("￥", "¥").encode("latin-1")
        except UnicodeEncodeError:
            return None
    numbers = _plain_numbers(raw, len(cells))
    if numbers is None:
        return None
    values = pd.read_csv(
        io.BytesIO(numbers),
        header=None,
        names=["amount"],
        dtype="float64",
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
        encoding="ascii",
        **_EXACT_FLOATS,
    )["amount"].to_numpy()
    return values if len(values) == len(cells) else None


def _unmarked(text: str) -> str:
    """Money text without its yuan signs and thousands separators (str.replace: faster than a regex)."""
    return text.replace(",", "").replace("¥", "").replace("￥", "")


def _money_value(text: str) -> float:
    if _MONEY_FAST.fullmatch(text):
        return float(text.lstrip("¥￥").replace(",", ""))
    text = unicodedata.normalize("NFKC", text).strip().lower().replace("￥", "¥")
    found = _MONEY_FULL.fullmatch(text)
    if not found or bool(found["open"]) != bool(found["close"]):
        return math.nan
    value = float(found["num"].replace(",", ""))
    if found["wan"]:
        value = round(value * 10_000, 6)
    negative = sum(bool(found[k]) for k in ("neg", "open", "neg2"))
    if negative > 1:
        return math.nan
    return -value if negative and value else value


def _series(values, function: str) -> None:
    if (
        not isinstance(values, pd.Series)
        or values.dtype == object
        and any(isinstance(v, (list, dict, set, tuple)) for v in values.to_numpy(dtype=object))
    ):
        shown = type(values).__name__ if not isinstance(values, pd.Series) else "lists or dicts in its cells"
        raise CRMDataError(
            _(
                "{function}: values must be a pandas Series of text, got {shown}. Fix: pass one "
                'column, e.g. {function}(orders["实付金额"]).'
            ).format(function=function, shown=shown)
        )


def parse_money(values: pd.Series) -> pd.Series:
    """Amounts such as ``¥1,234.50``, ``RMB 12``, ``36元``, ``1.25万``, ``(12.50)`` or full-width ``１２``, as floats.

    Unreadable text becomes NaN; ``(12.50)`` is a negative amount, as accountants write it.

    >>> parse_money(pd.Series(["¥1,234.50", "￥88", "RMB 12", "36元", "１２", "1.25万", "(12.50)", "12,34"])).tolist()
    [1234.5, 88.0, 12.0, 36.0, 12.0, 12500.0, -12.5, nan]
    """
    _series(values, "parse_money")
    text = _strip(pd.Series(values))
    codes, uniques = pd.factorize(text)
    parsed = _money_values(list(uniques))
    return pd.Series(
        parsed[codes] if len(codes) else np.array([], dtype="float64"), index=getattr(values, "index", None)
    )


_DATE_FORMATS = ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S")
_YMD = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s+|t|\s*(?=上午|下午|早上|中午|晚上))(?P<ampm>上午|下午|早上|中午|晚上|am|pm)?\s*(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})\s*分?"
    r"(?:\s*[:]?\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?\s*(?P<ampm2>am|pm)?"
    r"\s*(?P<tz>z|[+-]\d{2}:?\d{2})?)?"
)
_DMY = re.compile(
    r"(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})"
    r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm2>am|pm)?)?"
)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def _time_parts(found) -> tuple[int, int, int] | None:
    hour = int(found["H"] or 0)
    minute = int(found["M"] or 0)
    second = int(found["S"] or 0) if "S" in found.groupdict() else 0
    ampm = (found.groupdict().get("ampm") or "") + (found.groupdict().get("ampm2") or "")
    if ampm in ("下午", "晚上", "pm") and hour < 12:
        hour += 12
    elif ampm == "中午" and hour < 11:
        hour += 12
    elif ampm in ("上午", "早上", "am") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _one_date(text: str, dayfirst: bool | None, serial_ok: bool):
    """One cell: a Timestamp, NaT, or ('ambiguous', a, b) for a/b/yyyy to decide per column."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    if not text:
        return pd.NaT
    found = _YMD.fullmatch(text)
    if found:
        times = _time_parts(found)
        if times is None:
            return pd.NaT
        try:
            stamp = pd.Timestamp(int(found["y"]), int(found["m"]), int(found["d"]), *times)
        except ValueError:
            return pd.NaT
        if found["tz"]:
            tz = found["tz"]
            offset = 0 if tz == "z" else (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 60 + int(tz[-2:]))
            stamp = stamp - pd.Timedelta(minutes=offset) + pd.Timedelta(hours=8)  # to China time
        return stamp
    found = _DMY.fullmatch(text)
    if found:
        a, b = int(found["a"]), int(found["b"])
        times = _time_parts(found)
        if times is None:
            return pd.NaT
        if dayfirst is None:
            return ("ambiguous", a, b, int(found["y"]), times)
        day, month = (a, b) if dayfirst else (b, a)
        try:
            return pd.Timestamp(int(found["y"]), month, day, *times)
        except ValueError:
            return pd.NaT
    if serial_ok and _SERIAL.fullmatch(text):
        return pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(text))
    return pd.NaT


def _dates_of(
    text: np.ndarray, dayfirst: bool | None, name: str = "", header: str = "", canonical: str = "date", rows_for=None
) -> tuple[np.ndarray, list[str]]:
    """Parse date texts: fast for one common format, one by one for the rest.

    ``rows_for(mask)`` gives the file rows holding the texts selected by ``mask`` (for errors).
    """
    rows_for = rows_for or (lambda mask: list(np.flatnonzero(mask)))
    notes = []
    start = text[:400]
    sample = start[start != ""][:200]  # the first 200 filled texts
    if len(sample) < 200 and len(text) > len(start):
        sample = text[np.flatnonzero(text != "")[:200]]
    out = None
    for fmt in _DATE_FORMATS if len(sample) else ():
        if pd.to_datetime(sample, format=fmt, errors="coerce").notna().mean() < 0.5:
            continue
        out = pd.to_datetime(text, format=fmt, errors="coerce").to_numpy(dtype="datetime64[ns]")
        out = out if out.flags.writeable else out.copy()
        break
    if out is None:
        out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    if not len(sample):
        return out, notes
    left = np.isnat(out)
    if left.any():
        left &= text != ""
    if left.any():
        codes, uniques = pd.factorize(text[left])
        uniques = uniques.tolist()
        serial_ok = True  # five digits in a date column: Excel's day number
        parsed = [_one_date(u, dayfirst, serial_ok) for u in uniques]
        ambiguous = [p for p in parsed if isinstance(p, tuple)]
        if ambiguous:
            first_big = any(p[1] > 12 for p in ambiguous)
            second_big = any(p[2] > 12 for p in ambiguous)
            if first_big and second_big:
                month_first = [i for i, p in enumerate(parsed) if isinstance(p, tuple) and p[2] > 12]
                mask = np.zeros(len(text), dtype=bool)
                mask[np.flatnonzero(left)[np.isin(codes, month_first)]] = True
                raise _fail_rows(
                    name,
                    header,
                    canonical,
                    rows_for(mask),
                    _("month-first"),
                    _("this column also has day-first dates; write every date in one order, best as YYYY-MM-DD"),
                    example=uniques[month_first[0]],
                )
            if not first_big and not second_big:
                example = uniques[next(i for i, p in enumerate(parsed) if isinstance(p, tuple))]
                raise CRMDataError(
                    _(
                        "{name}: column '{header}' has dates such as {example!r} that read as day/month "
                        "or month/day (no day above 12 decides it). Fix: pass dayfirst=True if 05/03/2024 "
                        "is 5 March, or dayfirst=False if it is 3 May."
                    ).format(name=name, header=header, example=example)
                )
            decided = first_big
            notes.append(
                (
                    _("'{header}' read day-first (dd/mm/yyyy), decided for the whole column")
                    if decided
                    else _("'{header}' read month-first (mm/dd/yyyy), decided for the whole column")
                ).format(header=header)
            )
            parsed = [
                _one_date(u, decided, serial_ok) if isinstance(p, tuple) else p
                for u, p in zip(uniques, parsed, strict=True)
            ]
        if any(_SERIAL.fullmatch(u.strip()) for u in uniques):
            notes.append(_("'{header}' holds Excel serial day numbers; read as dates").format(header=header))
        if any(
            bool(re.search(r"(z|[+-]\d{2}:?\d{2})$", u.strip().lower()))
            and _YMD.fullmatch(unicodedata.normalize("NFKC", u).strip().lower())
            for u in uniques[:50]
        ):
            notes.append(
                _("'{header}' has times with a time zone; converted to China time (UTC+08:00)").format(header=header)
            )
        values = np.array(
            [
                np.datetime64(p.to_datetime64(), "ns") if isinstance(p, pd.Timestamp) else np.datetime64("NaT", "ns")
                for p in parsed
            ],
            dtype="datetime64[ns]",
        )
        out[left] = values[codes]
    return out, notes


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> pd.Series:
    """Dates and times written the Chinese, ISO or Excel way, as ``datetime64``; anything else becomes NaT.

    Day-first or month-first (05/03/2024) is decided for the whole column; when no value decides
    it, pass ``dayfirst``. Times with a time zone are converted to China time (UTC+08:00).

    >>> parse_dates(pd.Series(["2024年3月5日", "2024/3/5 下午2:23", "2024.3.5", "2024年3月5日 09时05分", "5 March"])
    ...             ).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2024-03-05 00:00', '2024-03-05 14:23', '2024-03-05 00:00', '2024-03-05 09:05', nan]
    """
    _series(values, "parse_dates")
    parsed, _ = _dates_of(_strip(pd.Series(values)), dayfirst, "values", str(getattr(values, "name", "") or "date"))
    return pd.Series(parsed, index=getattr(values, "index", None))


_PHONE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")


def mask_phone(phone: str, key: bytes | str | None = None) -> str:
    """A mobile number as a stable, masked customer key: ``139****5678`` plus a short keyed code.

    The same number (written ``+86 139 1234 5678`` or ``13912345678``) always gives the same key
    with the same ``key`` (by default one per Python session), so it still joins tables; the
    middle digits are never shown.

    >>> mask_phone("+86 139 1234 5678", key="course") == mask_phone("13912345678", key="course")
    True
    >>> mask_phone("13912345678", key="course")[:11]
    '139****5678'
    """
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", str(phone)))
    found = _PHONE.fullmatch(digits)
    if not found:
        raise CRMDataError(
            _("mask_phone: {phone!r} is not a mainland mobile number. Fix: pass 11 digits starting with 1.").format(
                phone=phone
            )
        )
    number = found.group(1)
    secret = key.encode() if isinstance(key, str) else (key if key is not None else _PHONE_KEY)
    code = hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()[:6]
    return f"{number[:3]}****{number[-4:]}-{code}"


_WRAPPED = re.compile(r'="(.*)"|=(.*)')
_SCIENTIFIC = re.compile(r"[-+]?\d(?:\.\d+)?[eE][+-]?\d+")


_UNUSUAL_ID = r"[='][^\x00]*|" + _SCIENTIFIC.pattern + r"|\d{13,}000"


def _may_be_unusual_id(joined: str) -> bool:
    """Whether an id among the ``\\x00``-joined texts may match ``_UNUSUAL_ID``: one starts with
    = or ' (an Excel wrapper) or with a digit, maybe signed (scientific notation, 16+ digits)."""
    if "=" in joined or "'" in joined or not joined.isascii():  # \d also matches non-ASCII digits
        return True
    codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    first = codes[1:][codes[:-1] == 0]  # the first character of each text
    return bool(((first >= ord("0")) & (first <= ord("9")) | (first == ord("-")) | (first == ord("+"))).any())


def _ids(
    codes: np.ndarray,
    uniques: np.ndarray,
    rows: np.ndarray,
    name: str,
    header: str,
    canonical: str,
    listed: tuple[list[str], str] | None = None,
    unusual: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Ids as text (codes into cleaned uniques): ``="…"`` wrappers and a leading ``'`` removed,
    digits lost by Excel refused. ``codes`` and ``rows`` are the rows to check; ``listed``, when
    given, is ``uniques`` as a list and :func:`_joined`; ``unusual``, when given, is
    ``_matching(uniques, _UNUSUAL_ID)`` found already."""
    notes = []
    cleaned, joined = listed if listed is not None else (uniques.tolist(), None)
    used = np.zeros(len(cleaned), dtype=bool)
    used[codes] = True
    if unusual is None:  # else found already for these texts
        unusual = _matching(cleaned, _UNUSUAL_ID, _may_be_unusual_id, joined)  # one scan, then each
    wrapped = [i for i in np.flatnonzero(unusual) if cleaned[i][:1] in ("=", "'")]
    if wrapped:
        cleaned = list(cleaned)  # changed below; the given list stays as it is
    for i in wrapped:
        found = _WRAPPED.fullmatch(cleaned[i])
        cleaned[i] = (
            (found.group(1) if found.group(1) is not None else found.group(2)).strip()
            if found
            else cleaned[i][1:].strip()
        )
    unwrapped = len(wrapped)
    scientific = [i for i in np.flatnonzero(unusual & used) if _SCIENTIFIC.fullmatch(cleaned[i])]
    long_rounded = [i for i in np.flatnonzero(unusual & used) if re.fullmatch(r"\d{13,}000", cleaned[i])]
    if scientific or (long_rounded and len(long_rounded) > used.sum() / 2):
        bad = scientific or long_rounded
        mask = np.isin(codes, bad)
        raise _fail_rows(
            name,
            header,
            canonical,
            list(rows[mask]),
            _("rounded"),
            _(
                "the ids were turned into numbers by Excel and their last digits are lost; export "
                "the ids as text (in Excel: format the column as Text before pasting, or export "
                "from the shop back office as CSV and open it with Data > From Text, choosing "
                "Text for this column)"
            ),
            example=uniques[bad[0]],
        )
    if unwrapped:
        notes.append(
            ngettext(
                "'{header}': Excel text wrappers such as =\"…\" removed from {count} distinct value",
                "'{header}': Excel text wrappers such as =\"…\" removed from {count} distinct values",
                unwrapped,
            ).format(header=header, count=unwrapped)
        )
        codes, cleaned = _merge(codes, np.array(cleaned, dtype=object))
        return codes, cleaned, notes
    return codes, uniques, notes


def _merge(codes: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and uniques after some uniques became equal (e.g. once stripped)."""
    again, merged = pd.factorize(texts)
    return again[codes], np.asarray(merged, dtype=object)


class _Factored(dict):
    """``header -> (codes, texts)`` of a frame's columns, each made on first use (see :func:`_factor`)."""

    def __init__(self, frame: pd.DataFrame, by_row=()):
        super().__init__()
        self.frame = frame
        self.listed: dict[str, tuple[list[str], str]] = {}  # header -> texts as a list, and _joined
        self.by_row = set(by_row)  # headers that may be kept one text per row (see _by_row)
        self.row_wise: set[str] = set()  # headers kept so: their texts are not distinct

    def __missing__(self, header):
        made = _by_row(self.frame[header]) if header in self.by_row else None
        if made is not None:
            self.row_wise.add(header)
        codes, texts, listed = made or _factor(self.frame[header])
        self[header] = codes, texts
        if listed is not None:
            self.listed[header] = listed
        return self[header]

    def empty(self, header) -> np.ndarray:
        """Whether each of the column's texts is '' (of listed texts only the final one: see :func:`_factor`)."""
        codes, texts = self[header]
        if header in self.listed:
            empty = np.zeros(len(texts), dtype=bool)
            empty[-1] = True
            return empty
        return texts == ""

    def distinct(self, header) -> tuple[np.ndarray, np.ndarray]:
        """The column's codes into distinct texts, as :func:`_factor` makes them."""
        if header in self.row_wise:
            self.row_wise.discard(header)
            self.listed.pop(header, None)
            self[header] = _merge(*self[header])
        return self[header]


_BY_ROW_MIN = 50_000  # rows of a column before keeping it one text per row can pay


def _by_row(values: pd.Series) -> tuple[np.ndarray, np.ndarray, tuple[list[str], str]] | None:
    """A column of many distinct texts (customer ids in a large file) as one text per row, as
    :func:`_factor` would give it but without hashing: codes ``0..n-1`` into the cells plus a
    final ''. None when hashing pays (few distinct texts among the first 10,000) or when a
    cell is blank, padded or not text (:func:`_factor` then cleans them)."""
    cells = values.to_numpy(dtype=object)
    if len(cells) < _BY_ROW_MIN or len(set(cells[:10_000].tolist())) < 5_000:
        return None
    texts = np.concatenate([cells, np.array([""], dtype=object)])
    listed = texts.tolist()
    try:
        joined = _joined(listed)
    except TypeError:  # a cell that is not text (a gap, a number): no need to look at each cell first
        return None
    if joined.find("\x00\x00") != len(joined) - 2:  # a blank cell (the final '' is not one)
        return None
    if _matching(listed, _PADDED, _MAY_BE_PADDED, joined).any():
        return None
    return np.arange(len(cells)), texts, (listed, joined)


def _raw(values: pd.Series) -> np.ndarray:
    """A column's cells as an object array, gaps as ''."""
    cells = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        return cells  # all text (as a CSV is read): no gap
    gaps = pd.isna(cells)
    if gaps.any():
        cells = cells.copy()
        cells[gaps] = ""
    return cells


def _factor(values: pd.Series) -> tuple[np.ndarray, np.ndarray, tuple[list[str], str] | None]:
    """A column as codes into its distinct stripped texts (a gap is ''), and when those texts are
    the column's own, them as a list and :func:`_joined` (else None)."""
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.isna().any():  # read so (see _dtypes)
        codes, first = pd.factorize(values.cat.codes.to_numpy())  # in order of first appearance, as below
        uniques = np.asarray(values.cat.categories, dtype=object)[first]
        ordered = False
    else:
        cells = values.to_numpy(dtype=object)
        index = pd.Index(cells, dtype=object, copy=False)
        if (index.is_monotonic_increasing or index.is_monotonic_decreasing) and index.is_unique:
            codes, uniques = np.arange(len(cells)), cells  # all distinct and sorted (order numbers): no hashing
            ordered = True
        else:
            codes, uniques = pd.factorize(cells)
            ordered = False
    texts = np.concatenate([uniques, np.array([""], dtype=object)])
    listed = texts.tolist()
    try:  # all text (as a CSV is read): joined without looking at each cell first
        joined, text = _joined(listed), True
    except TypeError:  # a gap or a number (from a workbook): written as text
        uniques = np.array([t if t.__class__ is str else _cell_text(t) for t in uniques], dtype=object)
        texts = np.concatenate([uniques, np.array([""], dtype=object)])
        listed = texts.tolist()
        joined, text = _joined(listed), False
    # among sorted texts a blank is the first or the last (the least)
    blank = "" in (uniques[0], uniques[-1]) if ordered and text and len(uniques) else (uniques == "").any()
    padded = _matching(listed, _PADDED, _MAY_BE_PADDED, joined)  # the added '' is not padded
    for i in np.flatnonzero(padded):
        texts[i] = listed[i].strip()
    if not ordered:  # a gap (code -1) is the final ''
        codes = np.where(codes < 0, len(texts) - 1, codes)
    if padded.any() or blank:
        codes, texts = _merge(codes, texts)
        return codes, texts, None
    return codes, texts, (listed, joined)


def _texts_at(codes: np.ndarray, texts: np.ndarray):
    """``texts[codes]`` as a column of text; made from categories when the texts are few (a status
    or a shop column), which pandas turns into text faster than a text per row.

    >>> pd.Series(_texts_at(np.array([1, 0, 1, 1]), np.array(["a", "b"], dtype=object))).tolist()
    ['b', 'a', 'b', 'b']
    """
    if 2 * len(texts) >= len(codes):
        return texts[codes]
    categories = pd.Categorical.from_codes(codes, categories=pd.Index(texts, dtype=object))
    return pd.Series(categories, copy=False).astype(str).array


# --- the import ----------------------------------------------------------------------------

_TOTAL_PATTERN = (
    r"[^\w\x00]{0,3}(?:合\s*计|总\s*计|小\s*计|汇\s*总|总\s*和|(?i:grand\s*total|sub\s*total|total|sum))"
    r"(?:[^\w\x00][^\x00]{0,8})?"
)
_MAY_BE_TOTAL = _holding(("计", "总", "total", "sum"), fold=True)  # every match of _TOTAL_PATTERN holds one


def _excluded_entry(reason: str, rows: np.ndarray, amounts: np.ndarray | None) -> dict:
    amount = None
    if amounts is not None and len(amounts) and not np.isnan(amounts).all():
        amount = float(np.nansum(amounts))
    return {"reason": reason, "rows": [int(r) for r in rows], "amount": amount}


def _import_orders(path, overrides: dict, dayfirst, phone_key) -> pd.DataFrame:
    accepted = ORDER_HEADERS
    frame, report, name = _read_any(path, accepted, overrides)
    mapping, why = _column_mapping(list(frame.columns), accepted, overrides, _REQUIRED_ORDER, name)
    rows = frame.index.to_numpy()
    headers = list(frame.columns)
    # columns as codes into distinct stripped texts, made when first needed; customer ids maybe one per row
    factored = _Factored(frame, by_row=[mapping["customer_id"]])
    amount_cells = frame[mapping["amount"]].to_numpy(dtype=object)
    plain_amounts = _plain_amounts(amount_cells.tolist())
    if plain_amounts is not None:  # every cell a plain amount (the usual case): no hashing of the cells
        factored[mapping["amount"]] = (np.arange(len(frame)), amount_cells)
    cells = {role: factored[header] for role, header in mapping.items() if role != "order_date"}
    raw_dates = _raw(frame[mapping["order_date"]])
    n = len(frame)
    excluded = np.zeros(n, dtype=bool)
    entries, notes = [], list(report.pop("notes", []))

    blank = np.ones(n, dtype=bool)  # a row with no value at all
    for header in headers:
        if not blank.any():
            break
        if header in factored or header == mapping["order_date"]:
            values = raw_dates if header == mapping["order_date"] else None
            if values is None:
                codes, texts = factored[header]
                if header in factored.listed:  # only the final text is ''
                    blank &= codes == len(texts) - 1
                else:
                    empty = texts == ""
                    blank &= empty[codes] if empty.any() else False
            else:
                blank[blank] &= np.char.strip(values[blank].astype(str)) == ""
        else:
            blank[blank] &= _strip(frame[header].iloc[np.flatnonzero(blank)]) == ""
    excluded |= blank

    amount_header = mapping["amount"]
    unit = _unit_of(amount_header)
    codes, texts = cells["amount"]
    amounts = plain_amounts * unit if plain_amounts is not None else (_money_values(texts.tolist()) * unit)[codes]
    if unit != 1:
        notes.append(
            _("'{header}' is in 万元 (ten thousand yuan); amounts multiplied by 10,000").format(header=amount_header)
        )

    def exclude(mask: np.ndarray, reason: str) -> None:
        nonlocal excluded
        mask = mask & ~excluded
        if mask.any():
            entries.append(_excluded_entry(reason, rows[mask], amounts[mask]))
            excluded |= mask

    # the header repeated mid-file (e.g. at a page break of the export)
    repeated = np.ones(n, dtype=bool)
    order_ids = factored.listed.get(mapping["order_id"])
    if order_ids is not None and f"\x00{mapping['order_id']}\x00" not in order_ids[1]:
        repeated[:] = False  # no order id is the header: the rest cannot match
    for role in ("order_id", "customer_id", "amount") if repeated.any() else ():
        codes, texts = cells[role]
        same = texts == mapping[role]
        repeated &= same[codes] if same.any() else False
    if repeated.any():
        repeated &= raw_dates == mapping["order_date"]
        exclude(repeated, _("the header row repeated"))
    # total rows: 合计 / 总计 in a key column or in the first column
    total = np.zeros(n, dtype=bool)
    for header in dict.fromkeys([mapping["order_id"], headers[0]]):
        codes, texts = factored[header]
        listed, joined = factored.listed[header] if header in factored.listed else (texts.tolist(), None)
        total |= _matching(listed, _TOTAL_PATTERN, _MAY_BE_TOTAL, joined)[codes]
    exclude(total, _("a total row (合计/总计)"))
    # order status
    if "status" in mapping:
        codes, texts = cells["status"]
        for i, value in enumerate(texts.tolist()):
            key = canonical_header(value)
            if key and any(key == status or key.endswith(status) and len(status) >= 4 for status in EXCLUDED_STATUSES):
                exclude(codes == i, _("status '{value}' (not a purchase)").format(value=value))
    # refunds
    if "refund" in mapping:
        codes, texts = cells["refund"]
        refunds = np.array([0.0 if t == "" else _money_value(t) for t in texts.tolist()], dtype="float64")[codes]
        refunds = refunds * _unit_of(mapping["refund"])
        live = ~excluded
        bad = live & np.isnan(refunds)
        if bad.any():
            raise _fail_rows(
                name,
                mapping["refund"],
                "refund",
                rows[bad],
                _("unreadable"),
                _("write refunds like 12.50 or leave the cell empty"),
                example=texts[codes][bad][0],
            )
        full = live & (refunds > 0) & np.isclose(refunds, amounts)
        exclude(full, _("refunded in full"))
        over = ~excluded & (refunds > amounts + 1e-9)
        if over.any():
            raise _fail_rows(
                name,
                mapping["refund"],
                "refund",
                rows[over],
                _("larger"),
                _("a refund cannot exceed the amount paid in '{amount_header}'; check both columns").format(
                    amount_header=amount_header
                ),
                example=texts[codes][over][0],
            )
        partial = ~excluded & (refunds > 0)
        if partial.any():
            notes.append(
                ngettext(
                    "'{header}' subtracted from the amount in {count} row (refunds {refunds:,.2f})",
                    "'{header}' subtracted from the amount in {count} rows (refunds {refunds:,.2f})",
                    int(partial.sum()),
                ).format(header=mapping["refund"], count=int(partial.sum()), refunds=float(refunds[partial].sum()))
            )
        amounts = np.where(partial, np.round(amounts - refunds, 6), amounts)
    # anonymous buyers
    codes, texts = cells["customer_id"]
    listed, joined = factored.listed.get(mapping["customer_id"]) or (texts.tolist(), None)
    anonymous = _matching(listed, _ANONYMOUS_PATTERN, _may_be_anonymous, joined) | factored.empty(
        mapping["customer_id"]
    )
    exclude(anonymous[codes], _("anonymous buyer (散客/非会员/blank), not a customer"))

    keep = ~excluded
    kept_rows = rows[keep]
    if not keep.any():
        if not (n - blank.sum()):
            raise CRMDataError(
                _(
                    "{name}: the file has a header row but no data rows. Fix: export the table again with its data."
                ).format(name=name)
            )
        raise CRMDataError(
            _(
                "{name}: no purchases are left after leaving out {number} rows ({listed}). Fix: "
                "check the file holds paid orders of known customers."
            ).format(name=name, number=int(n - blank.sum()), listed="; ".join(e["reason"] for e in entries))
        )
    # the kept rows must be readable
    codes, texts = cells["order_id"]
    id_codes, id_texts, id_notes = _ids(
        codes[keep], texts, kept_rows, name, mapping["order_id"], "order_id", factored.listed.get(mapping["order_id"])
    )
    if id_texts is texts and mapping["order_id"] in factored.listed:  # only the final text is ''
        missing = id_codes == len(id_texts) - 1
    else:
        missing = (id_texts == "")[id_codes]
    if missing.any():
        raise _fail_rows(
            name,
            mapping["order_id"],
            "order_id",
            kept_rows[missing],
            _("missing"),
            _("fill in the value or delete those rows at the source"),
        )
    counts = np.bincount(id_codes, minlength=len(id_texts))
    if (counts > 1).any():
        repeated = counts[id_codes] > 1
        raise _fail_rows(
            name,
            mapping["order_id"],
            "order_id",
            kept_rows[repeated],
            _("repeated"),
            _("each ID must appear once; remove the repeated rows or export without line items"),
            example=id_texts[id_codes[repeated][0]],
        )
    customer = mapping["customer_id"]
    unusual = None
    if customer in factored.row_wise:  # ids cleaned and phone numbers are counted by distinct value
        listed, joined = factored.listed[customer]
        unusual = _matching(listed, _UNUSUAL_ID, _may_be_unusual_id, joined)
        if _phone_like(list(dict.fromkeys(listed[:10_000])), customer) or unusual.any():
            cells["customer_id"] = factored.distinct(customer)
            unusual = None
    codes, texts = cells["customer_id"]
    customer_codes, customer_texts, customer_notes = _ids(
        codes[keep], texts, kept_rows, name, customer, "customer_id", factored.listed.get(customer), unusual
    )
    if customer in factored.row_wise:  # no phone numbers (checked above)
        phone_notes = []
    else:
        customer_texts, phone_notes = _phone_keys(customer_codes, customer_texts, customer, phone_key)
    kept_amounts = amounts[keep] + 0.0  # -0.0 becomes 0.0
    codes, texts = cells["amount"]
    _check_amounts(codes[keep], texts, kept_amounts, kept_rows, name, amount_header, plain_amounts is not None)
    date_texts = raw_dates[keep]
    dates, date_notes = _dates_of(
        date_texts, dayfirst, name, mapping["order_date"], "order_date", lambda mask: list(kept_rows[mask])
    )
    _check_dates(date_texts, dates, kept_rows, name, mapping["order_date"], "order_date")

    columns = {
        "order_id": id_texts[id_codes],
        "customer_id": customer_texts[customer_codes],
        "order_date": dates,
        "amount": kept_amounts.astype("float64"),
    }
    consumed = {mapping[r] for r in _REQUIRED_ORDER}
    for header in headers:
        if header not in consumed:
            codes, texts = factored[header]
            columns[header] = _texts_at(codes[keep], texts)
    result = pd.DataFrame(columns, copy=False)  # every column made above for it alone
    report.update(
        {
            "file": name,
            "columns": {mapping[c]: c for c in _REQUIRED_ORDER}
            | {mapping[r]: r for r in ("status", "refund") if r in mapping},
            "choices": {role: why[role] for role in why},
            "rows_read": int(n - blank.sum()),
            "rows_kept": int(keep.sum()),
            "rows_excluded": int(excluded.sum() - blank.sum()),
            "excluded": entries,
            "amount_kept": float(kept_amounts.sum()),
            "rows_rejected": 0,
            "blank_lines_skipped": int(blank.sum()),
            "notes": notes + id_notes + customer_notes + phone_notes + date_notes,
        }
    )
    result.attrs["import_report"] = ImportReport(report)
    return result


_ANONYMOUS_PATTERN = (
    r"[^\w\x00]*(?i:"
    + "|".join(sorted((re.escape(a) for a in ANONYMOUS_BUYERS if a.isalnum()), key=len, reverse=True))
    + r"|walk[^\w\x00]*in|n/a)[^\w\x00]*|[^\w\x00]*"
)
_ASCII_WORD = b"".join(bytes([c]) for c in range(128) if chr(c).isalnum() or chr(c) == "_") + b"\x00"
_ASCII_ANONYMOUS = tuple(f"\x00{a}\x00" for a in ANONYMOUS_BUYERS if a.isascii() and a.isalnum())
_ASCII_ANONYMOUS_LENGTHS = sorted({len(a) - 2 for a in _ASCII_ANONYMOUS})


def _may_be_anonymous(joined: str) -> bool:
    """A ``may_match`` test for :func:`_matching` with ``_ANONYMOUS_PATTERN`` that leaves blank
    texts out (the caller marks them): False only when every other text is ASCII letters, digits
    or _ and none is an anonymous name."""
    if not joined.isascii():
        return True
    encoded = joined.encode("ascii")
    if encoded.translate(None, _ASCII_WORD):
        return True  # a character that is not a letter, digit or _
    codes = np.frombuffer(encoded, dtype=np.uint8)
    lengths = np.diff(np.flatnonzero(codes == 0)) - 1
    if not np.isin(lengths, _ASCII_ANONYMOUS_LENGTHS).any():
        return False  # no text as long as an anonymous name
    lowered = joined.lower()
    return any(name in lowered for name in _ASCII_ANONYMOUS)


def _phone_like(values: list[str], header: str) -> bool:
    """Whether a customer column holds mobile numbers: its header says so, or more than 90% of its
    first 500 distinct ``values`` (in order of appearance) look like them."""
    role = header_role(header)
    by_header = bool(role and role[0] == "customer_id" and role[1] == 3)
    sample = values[:500]
    looks = sum(bool(_PHONE.fullmatch(re.sub(r"[\s\-()]", "", v))) for v in sample)
    return bool(values) and (by_header or looks > 0.9 * len(sample))


def _phone_keys(codes: np.ndarray, uniques: np.ndarray, header: str, phone_key) -> tuple[np.ndarray, list[str]]:
    """Mobile numbers used as customer keys become masked keys (see :func:`mask_phone`)."""
    values = uniques.tolist()
    if not _phone_like(values, header):
        return uniques, []
    compact = [re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", v)) for v in values]
    phones = [bool(_PHONE.fullmatch(c)) for c in compact]
    keyed = np.array(
        [mask_phone(c, phone_key) if is_phone else v for v, c, is_phone in zip(values, compact, phones, strict=True)],
        dtype=object,
    )
    if not any(phones):
        return uniques, []
    return keyed, [
        f"'{header}' holds mobile numbers: used as customer keys, shown masked (e.g. {keyed[phones.index(True)][:11]})"
    ]


def _check_amounts(
    codes: np.ndarray, texts: np.ndarray, amounts: np.ndarray, rows: np.ndarray, name: str, header: str, plain=False
) -> None:
    """Refuse missing, unreadable, endless or negative amounts; ``texts[codes]`` are the cells read
    (``plain``: all plain amounts, none blank: see :func:`_plain_amounts`)."""
    missing = np.zeros(len(codes), dtype=bool) if plain else (texts == "")[codes]
    if missing.any():
        raise _fail_rows(
            name,
            header,
            "amount",
            rows[missing],
            _("missing"),
            _("fill in the value or delete those rows at the source"),
        )
    bad = np.isnan(amounts)
    if bad.any():
        raise _fail_rows(
            name,
            header,
            "amount",
            rows[bad],
            _("unreadable"),
            _("write amounts like 1234.50 or ¥1,234.50"),
            example=texts[codes[bad][0]],
        )
    endless = np.isinf(amounts)
    if endless.any():
        raise _fail_rows(
            name,
            header,
            "amount",
            rows[endless],
            _("too large"),
            _("check the amount column"),
            example=texts[codes[endless][0]],
        )
    negative = amounts < 0
    if negative.any():
        raise _fail_rows(
            name,
            header,
            "amount",
            rows[negative],
            _("negative"),
            _("keep refunds and returns in a separate file, or in a refund column (退款金额), which is subtracted"),
            example=texts[codes[negative][0]],
        )


def _check_dates(text: np.ndarray, dates: np.ndarray, rows: np.ndarray, name: str, header: str, canonical: str) -> None:
    missing = np.isnat(dates)
    missing[missing] = [not str(t).strip() for t in text[missing]]
    if missing.any():
        raise _fail_rows(
            name,
            header,
            canonical,
            rows[missing],
            _("missing"),
            _("fill in the value or delete those rows at the source"),
        )
    bad = np.isnat(dates)
    if bad.any():
        raise _fail_rows(
            name,
            header,
            canonical,
            rows[bad],
            _("unreadable"),
            _("write dates like 2024-03-05 or 2024/3/5 14:23"),
            example=text[bad][0],
        )
    days = dates.astype("datetime64[D]")
    future = days > np.datetime64(pd.Timestamp.today().normalize().date(), "D")
    if future.any():
        raise _fail_rows(
            name,
            header,
            canonical,
            rows[future],
            _("future"),
            _("check the date column and the export's date format"),
            example=text[future][0],
        )
    earliest = validate.DATE_WINDOW["earliest"]
    early = dates < np.datetime64(earliest, "ns")
    if early.any():
        raise _fail_rows(
            name,
            header,
            canonical,
            rows[early],
            _("pre-{earliest}").format(earliest=earliest[:4]),
            _(
                "check the date column and the export's date format (a serial number or a "
                "two-digit year?); if the dates are right, widen the window with "
                'crmlib.validate.set_date_window(earliest="1900-01-01")'
            ),
            example=text[early][0],
        )


def _check_overrides(overrides: dict, allowed: tuple[str, ...], function: str) -> None:
    for key in overrides:
        if key not in allowed:
            raise CRMDataError(
                _("{function}: unknown column override {key!r}. Fix: override one of {listed}.").format(
                    function=function, key=key, listed=", ".join(allowed)
                )
            )


def read_orders(
    path, *, dayfirst: bool | None = None, phone_key: str | None = None, **column_overrides
) -> pd.DataFrame:
    """Read an order export (.csv, .txt or .xlsx) into ``order_id``, ``customer_id``, ``order_date``, ``amount`` +
    other columns.

    Parameters
    ----------
    path : the file. Text in UTF-8 (with or without BOM), GB18030/GBK or UTF-16 ("Unicode
        text"), separated by commas, semicolons or tabs (all detected), or an Excel workbook
        (the sheet with the order columns is found). Title rows above the header are skipped.
    dayfirst : for dates such as 05/03/2024 when no value in the column decides the order:
        True for 5 March, False for 3 May.
    phone_key : text that keys the masked customer ids made from mobile numbers (see
        :func:`mask_phone`); the same key gives the same ids in every session.
    column_overrides : the file's header for a column when it is not recognised, e.g.
        ``amount="实付款"``; also ``status=`` and ``refund=``. Overrides win.

    Returns
    -------
    DataFrame, one row per kept order in file order: ids as text, ``order_date`` as
    datetime64, ``amount`` (paid, minus any refund) as float, then the file's other columns as
    text. ``attrs["import_report"]`` (an :class:`ImportReport`) lists the rows read, kept and
    excluded by reason with file row numbers and amounts, and the header chosen for each
    column and why.

    Raises
    ------
    CRMDataError naming the column and the file row numbers (the first line is row 1) for an
    empty file, a missing column, a missing, unreadable or negative amount, a missing,
    unreadable, pre-1990 or future date, a repeated order id, or ids whose digits Excel lost.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "shop.csv"
    ...     _ = path.write_text(
    ...         "Order No,Member ID,Date,Total\\n7,C9,2024-03-05,12\\n7,C8,2024-03-06,15\\n", encoding="utf-8"
    ...     )
    ...     read_orders(path)
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: shop.csv: column 'Order No' has 2 repeated order_ids such as '7' (rows 2, 3).
    Fix: each ID must appear once; remove the repeated rows or export without line items.
    """
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise CRMDataError(
            _("read_orders: dayfirst must be True, False or None, got {dayfirst!r}. Fix: pass dayfirst=True.").format(
                dayfirst=dayfirst
            )
        )
    if phone_key is not None and not isinstance(phone_key, str):
        raise CRMDataError(
            _('read_orders: phone_key must be text, got {type}. Fix: pass phone_key="my shop".').format(
                type=type(phone_key).__name__
            )
        )
    return _import_orders(path, column_overrides, dayfirst, phone_key)


def read_customers(path, **column_overrides) -> pd.DataFrame:
    """Read a customer or member list (.csv or .xlsx): ``customer_id`` (unique), ``signup_date`` if present,
    + other columns.

    Detection, overrides and errors work as in :func:`read_orders`; customer ids are found by
    meaning (会员编号, 客户ID, "Member ID", …), the sign-up date by 注册时间, 开卡日期, "Join date", ….

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "members.csv"
    ...     _ = path.write_text("会员卡号\\t姓名\\t开卡日期\\nV1\\t王\\t2023年1月2日\\n", encoding="utf-8-sig")
    ...     members = read_customers(path)
    >>> members.columns.tolist(), members.attrs["import_report"]["encoding"]
    (['customer_id', 'signup_date', '姓名'], 'utf-8-sig')
    """
    frame, report, name = _read_any(path, CUSTOMER_HEADERS, column_overrides)
    mapping, why = _column_mapping(list(frame.columns), CUSTOMER_HEADERS, column_overrides, ["customer_id"], name, ())
    rows = frame.index.to_numpy()
    cells = {role: _strip(frame[header]) for role, header in mapping.items()}
    filled = np.zeros(len(frame), dtype=bool)
    for header in frame.columns:
        filled |= _strip(frame[header]) != ""
    rows, cells = rows[filled], {role: values[filled] for role, values in cells.items()}
    if not filled.any():
        raise CRMDataError(
            _("{name}: the file has a header row but no data rows. Fix: export the table again with its data.").format(
                name=name
            )
        )
    header = mapping["customer_id"]
    missing = cells["customer_id"] == ""
    if missing.any():
        raise _fail_rows(
            name,
            header,
            "customer_id",
            rows[missing],
            _("missing"),
            _("fill in the value or delete those rows at the source"),
        )
    codes, texts = pd.factorize(cells["customer_id"])
    codes, texts, notes = _ids(codes, np.asarray(texts, dtype=object), rows, name, header, "customer_id")
    ids = texts[codes]
    repeated = pd.Series(ids).duplicated(keep=False).to_numpy()
    if repeated.any():
        raise _fail_rows(
            name,
            header,
            "customer_id",
            rows[repeated],
            _("repeated"),
            _("each ID must appear once; remove the repeated rows or export without line items"),
            example=ids[repeated][0],
        )
    result = pd.DataFrame({"customer_id": ids})
    if "signup_date" in mapping:
        dates, date_notes = _dates_of(
            cells["signup_date"], None, name, mapping["signup_date"], "signup_date", lambda mask: list(rows[mask])
        )
        _check_dates(cells["signup_date"], dates, rows, name, mapping["signup_date"], "signup_date")
        result["signup_date"] = dates
        notes += date_notes
    for column in frame.columns:
        if column not in mapping.values():
            result[column] = _strip(frame[column])[filled]
    report.pop("notes", None)
    report.update(
        {
            "file": name,
            "columns": {h: c for c, h in mapping.items()},
            "choices": why,
            "rows_read": len(result),
            "rows_kept": len(result),
            "rows_excluded": 0,
            "excluded": [],
            "rows_rejected": 0,
            "blank_lines_skipped": int((~filled).sum()),
            "notes": notes,
        }
    )
    result.attrs["import_report"] = ImportReport(report)
    return result


validate.check_public_arguments(globals(), __all__)
