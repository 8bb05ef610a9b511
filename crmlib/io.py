"""Read a shop's own order or customer export (CSV or Excel) into the course's column names.

Real exports from Chinese POS systems, e-commerce back offices and spreadsheets differ in
encoding (UTF-8, UTF-8 with BOM, GB18030/GBK), delimiter (comma, semicolon, tab), header names
(订单号, 会员编号, 实付金额, "Order No", …), date style (2024年3月5日, 2024/3/5 14:23, 2024.3.5) and
money style (¥1,234.50, 1234元, full-width digits). :func:`read_orders` and
:func:`read_customers` detect all of these, rename the columns they recognise to ``order_id``,
``customer_id``, ``order_date`` and ``amount``, type them, and keep every other column.

Nothing is dropped quietly: a row that cannot be used stops the import with a
:class:`~crmlib.validate.CRMDataError` naming the column and the file row numbers (the header
is row 1), so the file can be fixed at its source. ``df.attrs["import_report"]`` records what
was detected.

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

import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from crmlib.validate import CRMDataError, rows_error

__all__ = ["ORDER_HEADERS", "CUSTOMER_HEADERS", "read_orders", "read_customers", "canonical_header", "parse_dates", "parse_money"]

#: Accepted headers of each canonical order column, in order of preference (the first match wins
#: when a file has several, e.g. 实付金额 is preferred to 订单金额). Compared after
#: :func:`canonical_header`, so case, spaces, underscores and full-width letters do not matter.
ORDER_HEADERS: dict[str, list[str]] = {
    "order_id": ["order_id", "订单号", "订单编号", "单号", "流水号", "交易单号", "小票号", "order no", "order number",
                 "order", "transaction id", "receipt no", "invoice no"],
    "customer_id": ["customer_id", "客户编号", "会员号", "会员编号", "会员卡号", "客户ID", "买家ID", "用户ID", "顾客编号",
                    "customer", "customer no", "member id", "member", "buyer id", "user id", "client id"],
    "order_date": ["order_date", "下单时间", "订单时间", "交易时间", "日期", "销售日期", "付款时间", "支付时间", "创建时间",
                   "date", "order time", "order datetime", "purchase date", "transaction date", "created at"],
    "amount": ["amount", "实付金额", "实收金额", "支付金额", "订单金额", "消费金额", "金额", "应付金额", "成交金额",
               "paid", "amount paid", "paid amount", "total", "order total", "order amount", "sales", "revenue", "net amount"],
}

#: Accepted headers of the customer table: the id (required) and the sign-up date (optional).
CUSTOMER_HEADERS: dict[str, list[str]] = {
    "customer_id": ORDER_HEADERS["customer_id"],
    "signup_date": ["signup_date", "注册时间", "注册日期", "开卡日期", "开卡时间", "入会日期", "入会时间",
                    "signup", "sign up date", "join date", "joined", "registration date", "created at"],
}

_ENCODINGS = ("utf-8-sig", "gb18030")
_DELIMITERS = (",", ";", "\t")
_DATE_PATTERN = re.compile(
    r"^(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:[\sT]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?$"
)
_CURRENCY = re.compile(r"(?i)rmb|cny|元|¥|\s")
_MONEY_PATTERN = r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^-?\.\d+$"


def canonical_header(text) -> str:
    """A header reduced for comparison: full-width to half-width, lower case, no spaces, ``_``, ``-`` or ``.``.

    >>> canonical_header(" Order_No. "), canonical_header("客户ＩＤ")
    ('orderno', '客户id')
    """
    return re.sub(r"[\s_\-.:：]", "", unicodedata.normalize("NFKC", str(text)).lower())


# --- reading the file ----------------------------------------------------------------------

def _decode(raw: bytes, name: str) -> tuple[str, str]:
    for encoding in _ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig":
            encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        return text, encoding
    raise CRMDataError(f"{name}: the file is neither UTF-8 nor GB18030/GBK text. "
                       "Fix: save it from Excel as 'CSV UTF-8' or as .xlsx.")


def _delimiter(header_line: str) -> str:
    counts = [header_line.count(d) for d in _DELIMITERS]
    return _DELIMITERS[counts.index(max(counts))]


def _read_csv(path: Path, name: str) -> tuple[pd.DataFrame, dict]:
    text, encoding = _decode(path.read_bytes(), name)
    if not text.strip():
        raise CRMDataError(f"{name}: the file is empty. Fix: export the table again with its header row and data.")
    lines = text.lstrip("\r\n").splitlines()
    skipped = len(text.splitlines()) - len(lines)
    delimiter = _delimiter(lines[0])
    frame = pd.read_csv(io.StringIO("\n".join(lines)), sep=delimiter, dtype=str, keep_default_na=False,
                        skip_blank_lines=False, quotechar='"')
    frame.index = pd.RangeIndex(2 + skipped, 2 + skipped + len(frame))
    return frame, {"encoding": encoding, "delimiter": delimiter}


def _read_excel(path: Path, name: str) -> tuple[pd.DataFrame, dict]:
    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    except ImportError as error:
        raise CRMDataError(f"{name}: reading .xlsx needs the openpyxl package. Fix: pip install openpyxl.") from error
    except Exception as error:  # a damaged or non-Excel file behind an .xlsx name
        raise CRMDataError(f"{name}: could not be read as an Excel workbook ({error}). Fix: save it again as .xlsx.") from error
    if len(frame.columns) == 0:
        raise CRMDataError(f"{name}: the file is empty. Fix: export the table again with its header row and data.")
    frame = frame.fillna("").astype(str)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame, {"encoding": "xlsx", "delimiter": None}


def _read_any(path, name: str | None = None) -> tuple[pd.DataFrame, dict, str]:
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise CRMDataError(f"{name}: no such file ({path}). Fix: check the path.")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        frame, report = _read_csv(path, name)
    elif suffix in (".xlsx", ".xlsm"):
        frame, report = _read_excel(path, name)
    else:
        raise CRMDataError(f"{name}: unknown file type '{path.suffix}'. Fix: export the table as .csv or .xlsx.")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").apply(lambda column: column.astype(str).str.strip())
    blank = (frame == "").all(axis=1)
    frame = frame[~blank]
    if frame.empty:
        raise CRMDataError(f"{name}: the file has a header row but no data rows. Fix: export the table again with its data.")
    report["blank_lines_skipped"] = int(blank.sum())
    return frame, report, name


# --- finding the columns -------------------------------------------------------------------

def _column_mapping(headers: list[str], accepted: dict[str, list[str]], overrides: dict, required: list[str],
                    name: str) -> dict[str, str]:
    wanted = {key: value for key, value in overrides.items() if value is not None}
    unknown = sorted(set(wanted) - set(accepted))
    if unknown:
        raise CRMDataError(f"{name}: unknown column override {unknown[0]!r}. Fix: override one of {', '.join(accepted)}.")
    by_key = {canonical_header(h): h for h in reversed(headers)}
    mapping = {}
    for canonical, header in wanted.items():
        if canonical_header(header) not in by_key:
            raise CRMDataError(f"{name}: column {header!r} (given for {canonical}) is not in the file "
                               f"(headers found: {', '.join(headers)}). Fix: pass one of those headers.")
        mapping[canonical] = by_key[canonical_header(header)]
    for canonical, names in accepted.items():
        taken = set(mapping.values())
        if canonical in mapping:
            continue
        found = [by_key[canonical_header(n)] for n in names if canonical_header(n) in by_key and by_key[canonical_header(n)] not in taken]
        if found:
            mapping[canonical] = found[0]
    for canonical in required:
        if canonical not in mapping:
            raise CRMDataError(
                f"{name}: column '{canonical}' is missing (headers found: {', '.join(headers)}; accepted names: "
                f"{', '.join(accepted[canonical])}). Fix: rename the column or pass {canonical}=\"your header\".")
    return mapping


# --- typing the values ---------------------------------------------------------------------

def _fail_rows(name: str, header: str, canonical: str, rows: pd.Index, problem: str, fix: str,
               example=None) -> CRMDataError:
    shown = f"such as {example!r}" if example is not None else ""
    error = rows_error(name, header, rows, noun=f"{problem} {canonical}", problem=shown, fix=fix)
    error.import_report = {"rows_rejected": len(rows), "reason": str(error)}
    return error


def _present(values: pd.Series, name: str, header: str, canonical: str) -> pd.Series:
    missing = values.index[values == ""]
    if len(missing):
        raise _fail_rows(name, header, canonical, missing, "missing", "fill in the value or delete those rows at the source")
    return values


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates and times written the Chinese or ISO way, as ``datetime64``; anything else becomes NaT.

    >>> parse_dates(pd.Series(["2024年3月5日", "2024/3/5 14:23", "2024.3.5", "5 March"])).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2024-03-05 00:00', '2024-03-05 14:23', '2024-03-05 00:00', nan]
    """
    parts = values.astype(str).map(lambda s: unicodedata.normalize("NFKC", s).strip()).str.extract(_DATE_PATTERN)
    parts = parts.apply(pd.to_numeric).fillna({"hour": 0, "minute": 0, "second": 0})
    return pd.to_datetime(parts, errors="coerce")


def parse_money(values: pd.Series) -> pd.Series:
    """Amounts such as ``¥1,234.50``, ``￥88``, ``RMB 12``, ``36元`` or full-width ``１２``, as floats (NaN if unreadable).

    >>> parse_money(pd.Series(["¥1,234.50", "￥88", "RMB 12", "36元", "１２", "12,34"])).tolist()
    [1234.5, 88.0, 12.0, 36.0, 12.0, nan]
    """
    text = values.astype(str).map(lambda s: unicodedata.normalize("NFKC", s)).str.replace(_CURRENCY, "", regex=True)
    readable = text.str.fullmatch(_MONEY_PATTERN)
    return pd.to_numeric(text.where(readable, "nan").str.replace(",", "", regex=False), errors="coerce")


def _dates(values: pd.Series, name: str, header: str, canonical: str) -> pd.Series:
    dates = parse_dates(_present(values, name, header, canonical))
    bad = dates.isna()
    if bad.any():
        raise _fail_rows(name, header, canonical, values.index[bad], "unreadable", "write dates like 2024-03-05 or 2024/3/5 14:23",
                         example=values[bad].iloc[0])
    future = dates.dt.normalize() > pd.Timestamp.today().normalize()
    if future.any():
        raise _fail_rows(name, header, canonical, values.index[future], "future", "check the date column and the export's date format",
                         example=values[future].iloc[0])
    return dates


def _money(values: pd.Series, name: str, header: str, canonical: str) -> pd.Series:
    amounts = parse_money(_present(values, name, header, canonical))
    bad = amounts.isna()
    if bad.any():
        raise _fail_rows(name, header, canonical, values.index[bad], "unreadable", "write amounts like 1234.50 or ¥1,234.50",
                         example=values[bad].iloc[0])
    negative = amounts < 0
    if negative.any():
        raise _fail_rows(name, header, canonical, values.index[negative], "negative",
                         "keep refunds and returns in a separate file", example=values[negative].iloc[0])
    return amounts.astype("float64")


def _unique_keys(values: pd.Series, name: str, header: str, canonical: str) -> pd.Series:
    _present(values, name, header, canonical)
    repeated = values.duplicated(keep=False)
    if repeated.any():
        raise _fail_rows(name, header, canonical, values.index[repeated], "repeated",
                         "each ID must appear once; remove the repeated rows or export without line items",
                         example=values[repeated].iloc[0])
    return values


_PARSERS = {"order_id": _unique_keys, "customer_id": _present, "order_date": _dates, "amount": _money,
            "signup_date": _dates}


def _import(path, accepted: dict[str, list[str]], required: list[str], overrides: dict, unique: str | None) -> pd.DataFrame:
    frame, report, name = _read_any(path)
    mapping = _column_mapping(list(frame.columns), accepted, overrides, required, name)
    typed = {}
    for canonical, header in mapping.items():
        parse = _unique_keys if canonical == unique else _PARSERS[canonical]
        typed[canonical] = parse(frame[header], name, header, canonical)
    extras = frame.drop(columns=list(mapping.values()))
    result = pd.concat([pd.DataFrame(typed), extras], axis=1).reset_index(drop=True)
    report.update({"file": name, "columns": {header: canonical for canonical, header in mapping.items()},
                   "rows_read": len(result), "rows_rejected": 0})
    result.attrs["import_report"] = report
    return result


def read_orders(path, **column_overrides) -> pd.DataFrame:
    """Read an order export (.csv or .xlsx) into ``order_id``, ``customer_id``, ``order_date``, ``amount`` + other columns.

    Parameters
    ----------
    path : the file. CSV in UTF-8 (with or without BOM) or GB18030/GBK, separated by commas,
        semicolons or tabs (all detected), or an Excel .xlsx workbook (first sheet).
    column_overrides : the file's header for a canonical column when it is not recognised,
        e.g. ``amount="实付款"``. Overrides win over the automatic mapping (see ``ORDER_HEADERS``).

    Returns
    -------
    DataFrame, one row per order in file order: ids as text, ``order_date`` as datetime64,
    ``amount`` as float, then the file's other columns as text. ``attrs["import_report"]``
    holds the encoding, delimiter, column mapping, rows read and rows rejected (always 0: a
    bad row stops the import).

    Raises
    ------
    CRMDataError naming the column and the file row numbers (header = row 1) for an empty file,
    a header without data, a missing column, a missing, unreadable or negative amount, a
    missing, unreadable or future date, a missing customer id, or a repeated order id.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "shop.csv"
    ...     _ = path.write_text("Order No,Member ID,Date,Total\\n7,C9,2024-03-05,12\\n7,C8,2024-03-06,15\\n", encoding="utf-8")
    ...     read_orders(path)
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: shop.csv: column 'Order No' has 2 repeated order_ids such as '7' (rows 2, 3). Fix: each ID must appear once; remove the repeated rows or export without line items.
    """
    return _import(path, ORDER_HEADERS, ["order_id", "customer_id", "order_date", "amount"], column_overrides, unique="order_id")


def read_customers(path, **column_overrides) -> pd.DataFrame:
    """Read a customer or member list (.csv or .xlsx): ``customer_id`` (unique), ``signup_date`` if present, + other columns.

    Detection, overrides and errors work as in :func:`read_orders`; the accepted headers are in
    ``CUSTOMER_HEADERS`` (会员编号, 客户ID, "Member ID", …; 注册时间, 开卡日期, "Join date", …).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "members.csv"
    ...     _ = path.write_text("会员卡号\\t姓名\\t开卡日期\\nV1\\t王\\t2023年1月2日\\n", encoding="utf-8-sig")
    ...     members = read_customers(path)
    >>> members.columns.tolist(), members.attrs["import_report"]["encoding"]
    (['customer_id', 'signup_date', '姓名'], 'utf-8-sig')
    """
    return _import(path, CUSTOMER_HEADERS, ["customer_id"], column_overrides, unique="customer_id")
