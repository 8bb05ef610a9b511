"""The course's two synthetic datasets: a tea-drink chain and a home-goods retailer.

``load_tea()`` and ``load_retail()`` read the shipped CSV files into typed DataFrames (dates
parsed, categories as ``category``) after checking them against ``datasets/MANIFEST``.
``generate(out, scale)`` rebuilds the files from fixed seeds into the folder ``out``; at scale 1
it reproduces the shipped files byte for byte. The shipped folder itself is written only by
``generate(shipped=True)`` (``make data``), which first checks the rebuilt files against
``datasets/MANIFEST``. From a shell: ``python -m crmlib.datasets generate --out DIR [--scale S]``
or ``python -m crmlib.datasets generate --shipped``.

>>> tea = load_tea()
>>> tea.orders.groupby("brand_id", observed=True)["order_id"].count().index.tolist()
['T1', 'T2', 'T3']
"""

from __future__ import annotations

import hashlib
import numbers
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from crmlib.messages import gettext as _
from crmlib.validate import CRMDataError
from crmlib.vocabulary import SALES_STAGES, SERVQUAL_DIMENSIONS

__all__ = ["Dataset", "load_tea", "load_retail", "generate", "data_dir", "SCHEMA", "RESTORE_HINT"]

RESTORE_HINT = "run `make data` (or `python -m crmlib.datasets generate --shipped`) to restore the shipped files"

_CITY_TIERS = ["tier 1", "new tier 1", "tier 2", "tier 3", "tier 4", "tier 5"]
_AGE_BANDS = ["under 18", "18-24", "25-34", "35-44", "45+"]
_STAGES = list(SALES_STAGES)
_SERVQUAL = [f"{side}_{dim}" for dim in SERVQUAL_DIMENSIONS for side in ("expectation", "perception")]

# Column types of every shipped table. Kinds: str, int, float, bool, Int64 (whole number with
# gaps), date, datetime, category, or a list (an ordered category with those levels).
_S, _I, _F, _B, _D, _T, _C = "str", "int", "float", "bool", "date", "datetime", "category"
SCHEMA: dict[str, dict[str, dict[str, object]]] = {
    "tea": {
        "brands": {
            "brand_id": _S,
            "brand_name": _S,
            "brand_name_zh": _S,
            "positioning": _C,
            "home_market": _S,
            "drink_price_cny": _S,
            "target_customer": _S,
            "founded_year": _I,
        },
        "stores": {
            "store_id": _S,
            "brand_id": _C,
            "city": _C,
            "city_zh": _C,
            "province": _C,
            "city_tier": _CITY_TIERS,
            "site_type": _C,
            "ownership": _C,
            "open_date": _D,
        },
        "products": {
            "product_id": _S,
            "brand_id": _C,
            "product_name": _S,
            "product_name_zh": _S,
            "category": _C,
            "price": _F,
            "is_collab": _B,
            "available_from": _D,
            "available_to": _D,
        },
        "members": {
            "member_id": _S,
            "brand_id": _C,
            "join_date": _D,
            "join_channel": _C,
            "age_band": _AGE_BANDS,
            "gender": _C,
            "city": _C,
            "home_store_id": _S,
        },
        "orders": {
            "order_id": _I,
            "member_id": _S,
            "brand_id": _C,
            "store_id": _S,
            "order_time": _T,
            "channel": _C,
            "n_items": _I,
            "gross_amount": _F,
            "discount": _F,
            "net_amount": _F,
            "coupon_send_id": _S,
        },
        "order_items": {
            "order_id": _I,
            "line_no": _I,
            "product_id": _S,
            "quantity": _I,
            "unit_price": _F,
            "line_amount": _F,
        },
        "campaigns": {
            "campaign_id": _S,
            "brand_id": _C,
            "campaign_name": _S,
            "campaign_name_zh": _S,
            "campaign_type": _C,
            "partner": _S,
            "partner_kind": _C,
            "start_date": _D,
            "end_date": _D,
        },
        "coupon_sends": {
            "send_id": _S,
            "campaign_id": _S,
            "member_id": _S,
            "brand_id": _C,
            "variant": _C,
            "sent_date": _D,
            "redeemed_date": _D,
        },
        "feedback": {
            "feedback_id": _S,
            "member_id": _S,
            "brand_id": _C,
            "store_id": _S,
            "created_at": _T,
            "channel": _C,
            "rating": _I,
            "category": _C,
            "is_complaint": _B,
            "text": _S,
            "response_hours": _F,
        },
        "surveys": {
            "survey_id": _S,
            "member_id": _S,
            "brand_id": _C,
            "survey_date": _D,
            **{c: _I for c in _SERVQUAL},
            "nps_score": _I,
        },
    },
    "retail": {
        "customers": {
            "customer_id": _S,
            "customer_type": _C,
            "company_name": _S,
            "industry": _C,
            "industry_position": ["niche", "follower", "major", "leader"],
            "cooperation_years": "Int64",
            "region": _C,
            "city": _C,
            "acquisition_channel": _C,
            "signup_date": _D,
            "account_manager_id": _S,
        },
        "contacts": {
            "contact_id": _S,
            "customer_id": _S,
            "contact_name": _S,
            "role": _C,
            "phone": _S,
            "email": _S,
            "city": _C,
            "address": _S,
            "consent_marketing": _B,
            "created_date": _D,
        },
        "sales_reps": {"rep_id": _S, "rep_name": _S, "team": _C, "region": _C, "hire_date": _D},
        "leads": {
            "lead_id": _S,
            "created_date": _D,
            "source": _C,
            "rep_id": _S,
            "company_name": _S,
            "industry": _C,
            "region": _C,
            "status": _C,
            "lost_reason": _C,
            "opportunity_id": _S,
        },
        "opportunities": {
            "opportunity_id": _S,
            "lead_id": _S,
            "customer_id": _S,
            "rep_id": _S,
            "created_date": _D,
            "stage": _STAGES,
            "status": _C,
            "amount": _F,
            "close_date": _D,
            "lost_reason": _C,
        },
        "activities": {
            "activity_id": _S,
            "rep_id": _S,
            "customer_id": _S,
            "opportunity_id": _S,
            "activity_date": _D,
            "activity_type": _C,
            "duration_min": _I,
        },
        "products": {
            "product_id": _S,
            "product_name": _S,
            "product_name_zh": _S,
            "category": _C,
            "category_zh": _C,
            "list_price": _F,
            "unit_cost": _F,
        },
        "orders": {
            "order_id": _I,
            "customer_id": _S,
            "order_date": _D,
            "channel": _C,
            "rep_id": _S,
            "amount": _F,
            "payment_terms_days": _I,
            "paid_date": _D,
        },
        "order_lines": {
            "order_id": _I,
            "line_no": _I,
            "product_id": _S,
            "quantity": _I,
            "list_price": _F,
            "discount": _F,
            "line_amount": _F,
            "margin": _F,
            "marketing_cost": _F,
        },
        "tickets": {
            "ticket_id": _S,
            "order_id": _I,
            "customer_id": _S,
            "complaint_type": _C,
            "channel": _C,
            "received_at": _T,
            "accepted_at": _T,
            "clarified_at": _T,
            "solution_proposed_at": _T,
            "followed_up_at": _T,
            "satisfaction_after": "Int64",
        },
        "surveys": {
            "survey_id": _S,
            "customer_id": _S,
            "survey_date": _D,
            **{c: _I for c in _SERVQUAL},
            "nps_score": _I,
        },
        "marketing_spend": {"month": _D, "segment": _C, "channel": _C, "spend_cny": _F},
    },
}
_DATE_FORMAT = {_D: "%Y-%m-%d", _T: "%Y-%m-%d %H:%M"}


def data_dir() -> Path:
    """The folder holding the shipped data: ``$CRMLIB_DATA`` if set, else ``datasets/`` beside the package."""
    return Path(os.environ.get("CRMLIB_DATA", Path(__file__).resolve().parents[2] / "datasets"))


class Dataset:
    """The tables of one dataset as attributes (``tea.orders``), plus ``tables`` listing their names."""

    def __init__(self, name: str, tables: dict[str, pd.DataFrame]):
        self.name = name
        self.tables = list(tables)
        for table, frame in tables.items():
            setattr(self, table, frame)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return getattr(self, table)

    def __repr__(self) -> str:
        rows = ", ".join(f"{t} {len(self[t]):,}×{self[t].shape[1]}" for t in self.tables)
        return f"<{self.name} dataset: {rows}>"


# --- reading ---------------------------------------------------------------------------------


def _manifest(root: Path) -> dict[str, str]:
    path = root / "MANIFEST"
    if not path.is_file():
        raise CRMDataError(
            _("{path} is missing, so the data cannot be checked. Fix: {restore}.").format(
                path=path, restore=RESTORE_HINT
            )
        )
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            entries[rel.lstrip("*")] = digest
    return entries


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_table(path: Path, columns: dict[str, object]) -> pd.DataFrame:
    plain = {_I: "int64", _F: "float64", _B: "bool", "Int64": "Int64"}
    dtypes = {c: plain.get(k, str) if isinstance(k, str) else str for c, k in columns.items()}
    try:
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8")
    except (ValueError, UnicodeDecodeError) as err:
        raise CRMDataError(
            _("{path} cannot be read ({err}). Fix: {restore}.").format(path=path, err=err, restore=RESTORE_HINT)
        ) from err
    if list(frame.columns) != list(columns):
        raise CRMDataError(
            _("{path}: the columns are {items}, expected {items2}. Fix: {restore}.").format(
                path=path, items=list(frame.columns), items2=list(columns), restore=RESTORE_HINT
            )
        )
    for column, kind in columns.items():
        if isinstance(kind, str) and kind in _DATE_FORMAT:
            frame[column] = pd.to_datetime(frame[column], format=_DATE_FORMAT[kind])
        elif kind == _C:
            frame[column] = frame[column].astype("category")
        elif isinstance(kind, list):
            frame[column] = pd.Categorical(frame[column], categories=kind, ordered=True)
    return frame


def _file_state(root: Path, name: str) -> tuple:
    """What identifies the files' contents cheaply: size and modification time of each, and the manifest's."""
    paths = [root / "MANIFEST", *(root / name / f"{table}.csv" for table in SCHEMA[name])]
    return tuple(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else (str(p), None, None) for p in paths
    )


# Tables already checked and read, by dataset and the state of its files. A notebook that loads
# the data several times (its exercises too) reads and checks the files once.
_LOADED: dict[tuple[str, str], tuple[tuple, dict[str, pd.DataFrame]]] = {}


def _load(name: str, root: Path | None) -> Dataset:
    root = Path(root) if root is not None else data_dir()
    state = _file_state(root, name)
    cached = _LOADED.get((name, str(root)))
    if cached is None or cached[0] != state:  # first load, or the files changed since
        _LOADED[(name, str(root))] = (state, _read_checked(name, root))
    # Every caller gets its own copies, so changing one frame never changes another caller's data.
    return Dataset(name, {table: frame.copy() for table, frame in _LOADED[(name, str(root))][1].items()})


def _read_checked(name: str, root: Path) -> dict[str, pd.DataFrame]:
    manifest = _manifest(root)
    tables = {}
    for table, columns in SCHEMA[name].items():
        rel = f"{name}/{table}.csv"
        path = root / rel
        if not path.is_file():
            raise CRMDataError(_("{path} is missing. Fix: {restore}.").format(path=path, restore=RESTORE_HINT))
        if rel not in manifest:
            raise CRMDataError(
                _("{path} is not listed in {value}. Fix: {restore}.").format(
                    path=path, value=root / "MANIFEST", restore=RESTORE_HINT
                )
            )
        if _sha256(path) != manifest[rel]:
            raise CRMDataError(
                _(
                    "{path} does not match its checksum in {value} (the file was changed or cut short). Fix: {restore}."
                ).format(path=path, value=root / "MANIFEST", restore=RESTORE_HINT)
            )
        tables[table] = _read_table(path, columns)
    return tables


def load_tea(root: str | Path | None = None) -> Dataset:
    """The tea-drink chain: brands, stores, products, members, orders, order_items, campaigns,
    coupon_sends, feedback, surveys.

    >>> tea = load_tea()
    >>> tea.members["join_date"].min()
    Timestamp('2024-01-01 00:00:00')
    """
    return _load("tea", root)


def load_retail(root: str | Path | None = None) -> Dataset:
    """The home-goods retailer: customers, contacts, sales_reps, leads, opportunities, activities,
    products, orders, order_lines, tickets, surveys, marketing_spend.

    >>> load_retail().customers["customer_type"].cat.categories.tolist()
    ['business', 'consumer']
    """
    return _load("retail", root)


# --- writing ---------------------------------------------------------------------------------


def _to_csv_text(frame: pd.DataFrame, columns: dict[str, object]) -> str:
    out = frame[list(columns)].copy()
    for column, kind in columns.items():
        if isinstance(kind, str) and kind in _DATE_FORMAT:
            out[column] = pd.to_datetime(out[column]).dt.strftime(_DATE_FORMAT[kind])
    return out.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def _build_all(scale: float) -> dict[str, dict[str, pd.DataFrame]]:
    from crmlib.datasets.retail import generate_retail
    from crmlib.datasets.tea import generate_tea

    return {"tea": generate_tea(scale), "retail": generate_retail(scale)}


def _is_shipped_folder(out: Path) -> bool:
    return out.resolve() == data_dir().resolve()


def _target(out, scale: float, shipped: bool, update_manifest: bool) -> Path:
    """The folder :func:`generate` may write, or a CRMDataError saying why it may not."""
    if not isinstance(shipped, bool) or not isinstance(update_manifest, bool):
        raise CRMDataError(
            _(
                "shipped and update_manifest must be True or False, got {shipped!r} and "
                "{update_manifest!r}. Fix: pass e.g. shipped=True."
            ).format(shipped=shipped, update_manifest=update_manifest)
        )
    if update_manifest and not shipped:
        raise CRMDataError(
            _(
                "update_manifest=True only applies to the shipped data. Fix: pass shipped=True as "
                "well (make data), or leave update_manifest out."
            )
        )
    if shipped:
        if out is not None and not _is_shipped_folder(Path(out)):
            raise CRMDataError(
                _(
                    "shipped=True writes the shipped folder {data_dir}, but out={text!r} names "
                    "another folder. Fix: leave out unset with shipped=True, or drop shipped=True to "
                    "write to out."
                ).format(data_dir=data_dir(), text=str(out))
            )
        if scale != 1:
            raise CRMDataError(
                _(
                    "shipped=True rebuilds the shipped data, which is scale 1, got scale={scale!r}. "
                    'Fix: leave scale at 1, or write the other scale elsewhere, e.g. out="/tmp/big".'
                ).format(scale=scale)
            )
        return data_dir()
    if out is None:
        raise CRMDataError(
            _(
                "generate() needs a folder to write to; it never writes the shipped datasets/ "
                'folder unless asked. Fix: pass out="my_data" (any folder), or run `make data` '
                "(generate(shipped=True)) to rebuild the shipped files."
            )
        )
    if not isinstance(out, (str, os.PathLike)):
        raise CRMDataError(
            _('out must be a folder path, got {type}. Fix: pass e.g. out="my_data".').format(type=type(out).__name__)
        )
    if _is_shipped_folder(Path(out)):
        raise CRMDataError(
            _(
                "out={text!r} is the shipped data folder. Fix: pass shipped=True (make data) to "
                "rebuild it on purpose, or choose another folder for out."
            ).format(text=str(out))
        )
    return Path(out)


def _manifest_changes(root: Path, lines: list[str]) -> list[str]:
    """The files whose rebuilt checksum differs from ``root/MANIFEST`` (missing ones included)."""
    if not (root / "MANIFEST").is_file():
        raise CRMDataError(
            _(
                "{value} is missing, so the rebuilt files cannot be checked and nothing was "
                "written. Fix: restore it (git checkout datasets/MANIFEST), or pass "
                "update_manifest=True (--update-manifest) to write a new one."
            ).format(value=root / "MANIFEST")
        )
    shipped = _manifest(root)
    rebuilt = {}
    for line in lines:
        digest, rel = line.split(maxsplit=1)
        rebuilt[rel.strip()] = digest
    return sorted(rel for rel in set(shipped) | set(rebuilt) if shipped.get(rel) != rebuilt.get(rel))


def _listed(names: list[str], show: int = 5) -> str:
    more = f", … {len(names) - show} more" if len(names) > show else ""
    return ", ".join(names[:show]) + more


def generate(
    out: str | Path | None = None, scale: float = 1.0, *, shipped: bool = False, update_manifest: bool = False
) -> Path:
    """Write every table as CSV under ``out`` (``tea/``, ``retail/``, ``samples/``) with a ``MANIFEST``; return ``out``.

    The files are written to a temporary folder inside ``out`` first and moved into place only
    when all of them are ready, so a failure leaves nothing half-written.

    Parameters
    ----------
    out : the folder to write. Required unless ``shipped=True``; it may not be the shipped
        ``datasets/`` folder.
    scale : size relative to the shipped data.
    shipped : rebuild the shipped ``datasets/`` folder (what ``make data`` does). The rebuilt
        files must match ``datasets/MANIFEST``; otherwise nothing is written.
    update_manifest : with ``shipped=True``, write the rebuilt files and a new MANIFEST even
        though they differ from the old one (after changing a generator on purpose).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = generate(d, scale=0.05)
    ...     sorted(p.name for p in (path / "tea").iterdir())[:3]
    ['brands.csv', 'campaigns.csv', 'coupon_sends.csv']
    """
    from crmlib.datasets.samples import build_samples

    if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not 0 < scale < float("inf"):
        raise CRMDataError(_("scale must be a number > 0, got {scale!r}. Fix: pass e.g. scale=1.").format(scale=scale))
    out = _target(out, scale, shipped, update_manifest)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".generate-", dir=out))
    try:
        lines = []
        built = _build_all(scale)
        for name, tables in built.items():
            (staging / name).mkdir()
            for table, columns in SCHEMA[name].items():
                data = _to_csv_text(tables[table], columns).encode("utf-8")
                (staging / name / f"{table}.csv").write_bytes(data)
                lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}/{table}.csv\n")
        samples = build_samples(built)
        for rel, data in samples.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
            lines.append(f"{hashlib.sha256(data).hexdigest()}  {rel}\n")
        if shipped and not update_manifest:
            changed = _manifest_changes(out, lines)
            if changed:
                raise CRMDataError(
                    _(
                        "the rebuilt files differ from {value} ({listed}), so nothing was written. Fix: "
                        "if you changed a generator on purpose, run `python -m crmlib.datasets generate "
                        "--shipped --update-manifest` (generate(shipped=True, update_manifest=True)); "
                        "otherwise undo the change."
                    ).format(value=out / "MANIFEST", listed=_listed(changed))
                )
        (staging / "MANIFEST").write_text("".join(lines), encoding="utf-8")
        for rel in samples:
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, out / rel)
        for name in SCHEMA:
            (out / name).mkdir(exist_ok=True)
            for table in SCHEMA[name]:
                os.replace(staging / name / f"{table}.csv", out / name / f"{table}.csv")
        os.replace(staging / "MANIFEST", out / "MANIFEST")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
