"""The shipped datasets: regeneration byte for byte, the manifest, typed loading, and bad input."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmlib import CRMDataError
from crmlib.datasets import SCHEMA, data_dir, generate, load_retail, load_tea

DATA = data_dir()


def manifest_entries(root: Path) -> dict[str, str]:
    lines = (root / "MANIFEST").read_text(encoding="utf-8").splitlines()
    return {rel: digest for digest, rel in (line.split("  ", 1) for line in lines if line)}


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("regenerated"))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "datasets"
    shutil.copytree(DATA, copy)
    return copy


def test_regeneration_reproduces_shipped_files_byte_for_byte(regenerated):
    assert (regenerated / "MANIFEST").read_bytes() == (DATA / "MANIFEST").read_bytes()
    for rel in manifest_entries(DATA):
        assert (regenerated / rel).read_bytes() == (DATA / rel).read_bytes(), rel


def test_manifest_lists_every_data_file_with_its_sha256():
    entries = manifest_entries(DATA)
    on_disk = {str(p.relative_to(DATA)) for p in DATA.rglob("*.csv")}
    tables = {f"{name}/{table}.csv" for name in SCHEMA for table in SCHEMA[name]}
    assert set(entries) == on_disk == tables | {"samples/tea_pos_export.csv"}
    for rel, digest in entries.items():
        assert hashlib.sha256((DATA / rel).read_bytes()).hexdigest() == digest, rel


def test_sha256sum_can_check_the_manifest():
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    done = subprocess.run(["sha256sum", "--quiet", "-c", "MANIFEST"], cwd=DATA, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_datasets_folder_is_under_20_mb():
    assert sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file()) < 20 * 2**20


def test_generation_is_deterministic_and_tables_have_their_own_streams():
    from crmlib.datasets.tea import generate_tea, make_stores

    first, second = generate_tea(), generate_tea()
    for table in first:
        pd.testing.assert_frame_equal(first[table], second[table])
    # Stores come from their own stream: generating other tables first does not shift them.
    pd.testing.assert_frame_equal(make_stores(), first["stores"])


def test_scale_changes_the_number_of_people_not_the_shops(tmp_path):
    small = generate(tmp_path, scale=0.1)
    tea = load_tea(small)
    assert len(tea.members) == pytest.approx(0.1 * len(load_tea().members), rel=0.01)
    assert len(tea.stores) == len(load_tea().stores)


@pytest.mark.parametrize("loader", [load_tea, load_retail])
def test_loaders_type_every_column(loader):
    data = loader()
    schema = SCHEMA[data.name]
    assert data.tables == list(schema)
    for table, columns in schema.items():
        frame = data[table]
        assert list(frame.columns) == list(columns)
        for column, kind in columns.items():
            dtype = frame[column].dtype
            if kind in ("date", "datetime"):
                assert pd.api.types.is_datetime64_any_dtype(dtype), (table, column)
            elif kind == "category" or isinstance(kind, list):
                assert isinstance(dtype, pd.CategoricalDtype), (table, column)
                if isinstance(kind, list):
                    assert dtype.ordered and list(dtype.categories) == kind
            elif kind == "float":
                assert pd.api.types.is_float_dtype(dtype), (table, column)
            elif kind in ("int", "Int64"):
                assert pd.api.types.is_integer_dtype(dtype), (table, column)
            elif kind == "bool":
                assert pd.api.types.is_bool_dtype(dtype), (table, column)


def test_keys_are_unique_and_foreign_keys_resolve():
    tea, retail = load_tea(), load_retail()
    assert tea.orders["order_id"].is_unique and tea.members["member_id"].is_unique
    assert tea.orders["member_id"].isin(tea.members["member_id"]).all()
    assert tea.orders["store_id"].isin(tea.stores["store_id"]).all()
    assert tea.order_items["product_id"].isin(tea.products["product_id"]).all()
    assert not tea.order_items.duplicated(["order_id", "line_no"]).any()
    assert retail.orders["customer_id"].isin(retail.customers["customer_id"]).all()
    assert retail.order_lines["order_id"].isin(retail.orders["order_id"]).all()
    assert retail.opportunities["lead_id"].isin(retail.leads["lead_id"]).all()
    assert retail.tickets["order_id"].isin(retail.orders["order_id"]).all()
    won = retail.opportunities[retail.opportunities["status"] == "won"]
    assert won["customer_id"].notna().all() and won["customer_id"].isin(retail.customers["customer_id"]).all()


def test_amounts_add_up_and_dates_stay_in_the_world():
    tea, retail = load_tea(), load_retail()
    gross = tea.order_items.groupby("order_id")["line_amount"].sum()
    assert gross.reindex(tea.orders["order_id"]).to_numpy() == pytest.approx(tea.orders["gross_amount"].to_numpy())
    assert (tea.orders["net_amount"] == tea.orders["gross_amount"] - tea.orders["discount"]).all()
    total = retail.order_lines.groupby("order_id")["line_amount"].sum()
    assert total.reindex(retail.orders["order_id"]).to_numpy() == pytest.approx(
        retail.orders["amount"].to_numpy(), abs=0.011
    )
    assert (retail.order_lines["discount"] >= 0).all()
    for frame, column in [(tea.orders, "order_time"), (retail.orders, "order_date"), (tea.members, "join_date")]:
        assert frame[column].between("2024-01-01", "2025-12-31 23:59").all()
    # Orders happen only in stores that are open.
    opened = tea.orders["store_id"].map(tea.stores.set_index("store_id")["open_date"])
    assert (tea.orders["order_time"] >= opened).all()


def test_realistic_detail():
    tea = load_tea()
    hours = tea.orders["order_time"].dt.hour
    assert hours.between(9, 21).all()
    weekend = tea.orders["order_time"].dt.day_of_week >= 5
    per_day = tea.orders.groupby(weekend).size() / pd.Series({False: 5, True: 2})
    assert per_day[True] > 1.15 * per_day[False]
    month = tea.orders.groupby(tea.orders["order_time"].dt.month).size()
    assert month[[7, 8]].mean() > 1.4 * month[[1, 2]].mean()
    stores = tea.stores.merge(tea.brands, on="brand_id")
    assert set(stores.loc[stores["brand_id"] == "T2", "city"]) == {"Changsha"}
    assert set(stores.loc[stores["brand_id"] == "T3", "city_tier"]) <= {"tier 3", "tier 4", "tier 5"}
    assert (tea.stores["open_date"] >= "2024-01-01").sum() > 10  # stores open during the two years


def test_loading_never_writes_into_datasets():
    before = snapshot(DATA)
    load_tea()
    load_retail()
    assert snapshot(DATA) == before


def test_load_is_fast_enough_to_not_matter():
    """Not a timing assertion: a smoke check that loading does not, say, regenerate the data."""
    import time

    started = time.perf_counter()
    load_tea()
    assert time.perf_counter() - started < 5


# --- bad input -------------------------------------------------------------------------------


def test_missing_file_names_the_file_and_the_fix(data_copy):
    (data_copy / "tea" / "orders.csv").unlink()
    with pytest.raises(CRMDataError, match=r"tea/orders\.csv is missing.*make data"):
        load_tea(data_copy)


def test_truncated_csv_fails_the_checksum(data_copy):
    path = data_copy / "retail" / "orders.csv"
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(
        CRMDataError, match=r"retail/orders\.csv does not match its checksum.*python -m crmlib\.datasets generate"
    ):
        load_retail(data_copy)


def test_changed_value_fails_the_checksum(data_copy):
    path = data_copy / "tea" / "brands.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Aurora Leaf", "Aurora Lead"), encoding="utf-8")
    with pytest.raises(CRMDataError, match="brands.csv does not match"):
        load_tea(data_copy)


def test_renamed_column_is_reported_even_with_a_matching_manifest(data_copy):
    path = data_copy / "tea" / "stores.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("site_type", "site", 1), encoding="utf-8")
    entries = manifest_entries(data_copy)
    entries["tea/stores.csv"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (data_copy / "MANIFEST").write_text("".join(f"{d}  {r}\n" for r, d in entries.items()), encoding="utf-8")
    with pytest.raises(CRMDataError, match=r"stores\.csv: the columns are .*'site'.*expected.*'site_type'.*make data"):
        load_tea(data_copy)


def test_missing_manifest(data_copy):
    (data_copy / "MANIFEST").unlink()
    with pytest.raises(CRMDataError, match="MANIFEST is missing"):
        load_retail(data_copy)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crmlib.datasets", "generate", *args], capture_output=True, text=True)


@pytest.mark.parametrize("scale", ["0", "-1", "abc", "nan"])
def test_cli_rejects_a_bad_scale_with_one_line_and_status_2(scale, tmp_path):
    done = run_cli("--scale", scale, "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "--scale must be a number > 0" in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_unwritable_out_says_so_and_writes_nothing(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    done = run_cli("--out", str(blocker / "data"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "cannot write to --out" in done.stderr
    assert blocker.read_text() == "not a folder"


def test_failed_generation_leaves_nothing_half_written(tmp_path, monkeypatch):
    import crmlib.datasets as ds

    def broken(scale):
        raise RuntimeError("generator failed")

    monkeypatch.setattr(ds, "_build_all", broken)
    with pytest.raises(RuntimeError):
        ds.generate(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_a_small_dataset(tmp_path):
    done = run_cli("--scale", "0.02", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert set(manifest_entries(tmp_path)) == set(manifest_entries(DATA))
    assert len(load_retail(tmp_path).customers) < 500


def test_repeated_loads_give_independent_copies():
    first = load_tea()
    first.orders.loc[first.orders.index[0], "net_amount"] = -1.0
    assert load_tea().orders["net_amount"].iloc[0] >= 0


def test_a_file_changed_after_loading_is_checked_again(data_copy):
    load_tea(data_copy)
    path = data_copy / "tea" / "brands.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Aurora Leaf", "Aurora Lead"), encoding="utf-8")
    with pytest.raises(CRMDataError, match="brands.csv does not match"):
        load_tea(data_copy)


def test_pos_sample_is_a_gb18030_export_of_tea_orders_that_read_orders_imports():
    from crmlib.io import read_orders

    path = DATA / "samples" / "tea_pos_export.csv"
    assert path.read_bytes().decode("gb18030").startswith("订单号,会员编号,下单时间,实付金额,门店\r\n")
    sample = read_orders(path)
    assert sample.attrs["import_report"]["encoding"] == "gb18030"
    assert 250 <= len(sample) <= 350
    tea = load_tea().orders
    source = tea[tea["order_id"].isin(sample["order_id"].str.removeprefix("POS").astype(int))]
    assert len(source) == len(sample) and source["store_id"].nunique() == 1
    assert sample["amount"].sum() == pytest.approx(source["net_amount"].sum())


# --- the shipped data is written only on purpose ----------------------------------------------


def test_generate_without_out_refuses_and_leaves_the_shipped_data_alone():
    before = snapshot(DATA)
    with pytest.raises(CRMDataError, match=r'out="my_data".*make data.*shipped=True'):
        generate(scale=0.05)
    with pytest.raises(CRMDataError, match="needs a folder to write to"):
        generate()
    assert snapshot(DATA) == before


def test_generate_into_the_shipped_folder_needs_the_flag():
    before = snapshot(DATA)
    with pytest.raises(CRMDataError, match=r"is the shipped data folder. Fix: pass shipped=True"):
        generate(DATA, scale=0.05)
    with pytest.raises(CRMDataError, match=r"scale=0\.05.*Fix: leave scale at 1"):
        generate(scale=0.05, shipped=True)
    with pytest.raises(CRMDataError, match="update_manifest=True only applies"):
        generate(DATA, update_manifest=True)
    assert snapshot(DATA) == before


@pytest.fixture
def shipped_copy(data_copy, monkeypatch) -> Path:
    """A copy of datasets/ standing in for the shipped folder (through $CRMLIB_DATA)."""
    monkeypatch.setenv("CRMLIB_DATA", str(data_copy))
    assert data_dir() == data_copy
    return data_copy


def test_shipped_regeneration_that_differs_from_the_manifest_writes_nothing(shipped_copy, monkeypatch):
    import crmlib.datasets as ds

    real = ds._build_all
    monkeypatch.setattr(ds, "_build_all", lambda scale: real(0.02))  # a "changed generator"
    before = snapshot(shipped_copy)
    with pytest.raises(
        CRMDataError, match=r"differ from .*MANIFEST \(retail/activities\.csv, .*nothing was written.*--update-manifest"
    ):
        generate(shipped=True)
    assert snapshot(shipped_copy) == before
    # Asked for on purpose, the new files and their MANIFEST are written.
    generate(shipped=True, update_manifest=True)
    assert len(load_retail(shipped_copy).customers) < 500
    assert manifest_entries(shipped_copy) != manifest_entries(DATA)


def test_shipped_regeneration_restores_a_damaged_file(shipped_copy):
    path = shipped_copy / "tea" / "brands.csv"
    path.write_text("damaged", encoding="utf-8")
    assert generate(shipped=True) == shipped_copy
    assert path.read_bytes() == (DATA / "tea" / "brands.csv").read_bytes()
    assert (shipped_copy / "MANIFEST").read_bytes() == (DATA / "MANIFEST").read_bytes()
    assert [p.name for p in shipped_copy.iterdir() if p.name.startswith(".generate-")] == []


def test_shipped_regeneration_without_a_manifest_refuses(shipped_copy, monkeypatch):
    import crmlib.datasets as ds

    real = ds._build_all
    monkeypatch.setattr(ds, "_build_all", lambda scale: real(0.02))
    (shipped_copy / "MANIFEST").unlink()
    before = snapshot(shipped_copy)
    with pytest.raises(
        CRMDataError, match=r"MANIFEST is missing.*git checkout datasets/MANIFEST.*update_manifest=True"
    ):
        generate(shipped=True)
    assert snapshot(shipped_copy) == before


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"out": "x", "scale": "1"}, "scale must be a number > 0"),
        ({"out": "x", "scale": True}, "scale must be a number > 0"),
        ({"out": 5}, "out must be a folder path"),
        ({"shipped": "yes"}, "shipped and update_manifest must be True or False"),
    ],
)
def test_generate_refuses_bad_arguments(kwargs, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CRMDataError, match=message):
        generate(**kwargs)
    assert list(tmp_path.iterdir()) == []


def test_cli_without_out_or_shipped_says_so_and_writes_nothing():
    before = snapshot(DATA)
    done = run_cli("--scale", "0.05")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "--out DIR, or --shipped" in done.stderr
    assert snapshot(DATA) == before


def test_cli_shipped_at_another_scale_is_refused(tmp_path):
    done = run_cli("--shipped", "--scale", "0.05")
    assert done.returncode == 2 and "leave scale at 1" in done.stderr
    done = run_cli("--update-manifest", "--out", str(tmp_path))
    assert done.returncode == 2 and "only applies with --shipped" in done.stderr


def test_make_data_asks_for_the_shipped_folder_explicitly():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    assert "\t$(BIN)/python -m crmlib.datasets generate --shipped\n" in makefile
