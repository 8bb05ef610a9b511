"""The SQLite schema of build_sqlite lives in crmlib/sql/*.sql, shipped with the package.

The files are read through importlib.resources, so they are found wherever crmlib is installed:
in this checkout (an editable install) and in a normal install, whose files are built here.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from crmlib import information, loyalty
from crmlib.datasets import SCHEMA

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ("retail", "tea")


def _tables(script: str) -> list[str]:
    con = sqlite3.connect(":memory:")
    con.executescript(script)
    tables = [name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    con.close()
    return tables


def _servqual_columns() -> str:
    return "".join(
        f"    {side}_{dim} INTEGER NOT NULL CHECK ({side}_{dim} BETWEEN 1 AND 7),\n"
        for dim in loyalty.SERVQUAL_DIMENSIONS
        for side in ("expectation", "perception")
    )


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_schema_is_the_sql_file_of_the_package(dataset):
    """The file, with its one SERVQUAL line replaced by the columns of the course's dimensions."""
    text = (files("crmlib") / "sql" / f"{dataset}.sql").read_text(encoding="utf-8")
    assert text == (ROOT / "crmlib" / "sql" / f"{dataset}.sql").read_text(encoding="utf-8")
    (line,) = [line for line in text.splitlines(keepends=True) if line.lstrip().startswith("-- SERVQUAL")]
    assert information.SQLITE_SCHEMA[dataset] == text.replace(line, _servqual_columns())
    assert (
        "expectation_empathy INTEGER NOT NULL CHECK (expectation_empathy BETWEEN 1 AND 7),"
        in information.SQLITE_SCHEMA[dataset]
    )
    # one table per table of the dataset, each column of the schema a column of the dataset
    tables = _tables(information.SQLITE_SCHEMA[dataset])
    assert sorted(tables) == sorted(SCHEMA[dataset])
    con = sqlite3.connect(":memory:")
    con.executescript(information.SQLITE_SCHEMA[dataset])
    for table in tables:
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
        assert set(columns) <= set(SCHEMA[dataset][table]), (table, set(columns) - set(SCHEMA[dataset][table]))
    surveys = [row[1] for row in con.execute('PRAGMA table_info("surveys")')]
    con.close()
    assert [c for c in surveys if c.startswith(("expectation_", "perception_"))] == [
        f"{side}_{dim}" for dim in loyalty.SERVQUAL_DIMENSIONS for side in ("expectation", "perception")
    ]


def test_a_non_editable_install_ships_the_schema_and_reads_it(tmp_path):
    """setuptools' build_py step collects what a wheel holds; import crmlib from its output.

    (It is the step that applies ``[tool.setuptools.package-data]``; the bdist_wheel step after it
    only zips the folder, and needs the ``wheel`` package, which the course does not install.)
    """
    pytest.importorskip("setuptools", reason="building the package's files needs setuptools")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        (source / name).write_bytes((ROOT / name).read_bytes())
    for path in (ROOT / "crmlib").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            target = source / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    installed = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import setuptools; setuptools.setup()",
            "-q",
            "build_py",
            "--build-lib",
            str(installed),
        ],
        cwd=source,
        check=True,
        capture_output=True,
        text=True,
    )
    shipped = sorted(p.relative_to(ROOT / "crmlib").as_posix() for p in (ROOT / "crmlib").glob("exercise_sets/*/*.yml"))
    assert shipped and all((installed / "crmlib" / name).is_file() for name in shipped)  # the exercises' Chinese
    for dataset in DATASETS:
        assert (installed / "crmlib" / "sql" / f"{dataset}.sql").read_bytes() == (
            ROOT / "crmlib" / "sql" / f"{dataset}.sql"
        ).read_bytes()
    code = (
        "import sqlite3, crmlib.information as information\n"
        "print(information.__file__)\n"
        "for name, script in sorted(information.SQLITE_SCHEMA.items()):\n"
        "    con = sqlite3.connect(':memory:'); con.executescript(script)\n"
        "    print(name, con.execute(\"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'\").fetchone()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"},
    )
    where, *counts = done.stdout.split("\n")[:3]
    assert Path(where).is_relative_to(installed), where  # this copy, not the checkout
    assert counts == [f"retail {len(SCHEMA['retail'])}", f"tea {len(SCHEMA['tea'])}"]
