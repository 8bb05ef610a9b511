"""Sample files in the shape of real shop exports, generated from the tea orders.

They let students and instructors try :func:`crmlib.io.read_orders` on a file that looks like
what a POS system hands out: GB18030 text, Chinese headers, dates like ``2024/3/5 14:23`` and
amounts like ``¥1,234.50``. :func:`crmlib.datasets.generate` writes them under
``datasets/samples/`` and lists them in ``MANIFEST``.

>>> from crmlib.datasets.tea import generate_tea
>>> tea = generate_tea(0.05)
>>> text = tea_pos_export(tea["orders"], tea["stores"]).decode("gb18030")
>>> text.splitlines()[0]
'订单号,会员编号,下单时间,实付金额,门店'
"""

from __future__ import annotations

import pandas as pd

__all__ = ["SAMPLE_ROWS", "tea_pos_export", "build_samples"]

#: About how many orders the POS sample holds: it is the export of the one store, among those
#: open from the first month of the data, whose order count is closest to this number.
SAMPLE_ROWS = 300


def _sample_store(orders: pd.DataFrame) -> str:
    # Only stores already selling in the data's first month, so the export spans the whole period.
    times = pd.to_datetime(orders["order_time"])
    first_month = times.min().to_period("M")
    opened = times.groupby(orders["store_id"], observed=True).min().dt.to_period("M") == first_month
    counts = orders.groupby("store_id", observed=True).size()[opened]
    distance = (counts - SAMPLE_ROWS).abs()
    return str(distance[distance == distance.min()].index.min())


def _pos_time(times: pd.Series) -> pd.Series:
    # Year/month/day without leading zeros, time as HH:MM, the way many tills print it.
    return (
        times.dt.year.astype(str)
        + "/"
        + times.dt.month.astype(str)
        + "/"
        + times.dt.day.astype(str)
        + " "
        + times.dt.strftime("%H:%M")
    )


def tea_pos_export(orders: pd.DataFrame, stores: pd.DataFrame) -> bytes:
    """One tea store's orders as a Chinese POS export: GB18030 CSV with 订单号, 会员编号, 下单时间, 实付金额, 门店.

    The store is the one open from the data's first month whose order count is closest to
    ``SAMPLE_ROWS`` (lowest id on a tie),
    so the file is the same on every run. Lines end with CRLF, as exports from Windows tills do.
    """
    store = _sample_store(orders)
    mine = orders[orders["store_id"].astype(str) == store].sort_values("order_id")
    city = stores.loc[stores["store_id"].astype(str) == store, "city_zh"].astype(str).iloc[0]
    export = pd.DataFrame(
        {
            "订单号": "POS" + mine["order_id"].astype(int).map("{:08d}".format),
            "会员编号": mine["member_id"].astype(str),
            "下单时间": _pos_time(pd.to_datetime(mine["order_time"])),
            "实付金额": mine["net_amount"].astype(float).map("¥{:,.2f}".format),
            "门店": f"{city}{store}店",
        }
    )
    return export.to_csv(index=False, lineterminator="\r\n").encode("gb18030")


def build_samples(tables: dict[str, dict[str, pd.DataFrame]]) -> dict[str, bytes]:
    """Every sample file as ``{path under datasets/: bytes}``, from the generated tables."""
    tea = tables["tea"]
    return {"samples/tea_pos_export.csv": tea_pos_export(tea["orders"], tea["stores"])}
