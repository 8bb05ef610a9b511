"""The SQLite schema of build_sqlite lives in crmlib/sql/*.sql, shipped with the package.

The files are read through importlib.resources, so they are found wherever crmlib is installed:
in this checkout (an editable install) and in a normal install, whose files are built here.
"""
from __future__ import annotations

import re
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


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_schema_is_the_sql_file_of_the_package(dataset):
    resource = files("crmlib") / "sql" / f"{dataset}.sql"
    assert information.SQLITE_SCHEMA[dataset] == resource.read_text(encoding="utf-8")
    assert information.SQLITE_SCHEMA[dataset] == (ROOT / "crmlib" / "sql" / f"{dataset}.sql").read_text(encoding="utf-8")
    # one table per table of the dataset, each column of the schema a column of the dataset
    tables = _tables(information.SQLITE_SCHEMA[dataset])
    assert sorted(tables) == sorted(SCHEMA[dataset])
    con = sqlite3.connect(":memory:")
    con.executescript(information.SQLITE_SCHEMA[dataset])
    for table in tables:
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
        assert set(columns) <= set(SCHEMA[dataset][table]), (table, set(columns) - set(SCHEMA[dataset][table]))
    con.close()


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_survey_table_has_every_servqual_dimension_of_the_course(dataset):
    """The SQL file spells out the SERVQUAL columns; they must follow the course's one list of dimensions."""
    script = information.SQLITE_SCHEMA[dataset]
    written = re.findall(r"^\s+((?:expectation|perception)_\w+) INTEGER NOT NULL CHECK \(\1 BETWEEN 1 AND 7\),$", script, re.M)
    assert written == [f"{side}_{dim}" for dim in loyalty.SERVQUAL_DIMENSIONS for side in ("expectation", "perception")]


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
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "--build-lib", str(installed)],
                   cwd=source, check=True, capture_output=True, text=True)
    for dataset in DATASETS:
        assert (installed / "crmlib" / "sql" / f"{dataset}.sql").read_bytes() == (ROOT / "crmlib" / "sql" / f"{dataset}.sql").read_bytes()
    code = ("import sqlite3, crmlib.information as information\n"
            "print(information.__file__)\n"
            "for name, script in sorted(information.SQLITE_SCHEMA.items()):\n"
            "    con = sqlite3.connect(':memory:'); con.executescript(script)\n"
            "    print(name, con.execute(\"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'\").fetchone()[0])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"})
    where, *counts = done.stdout.split("\n")[:3]
    assert Path(where).is_relative_to(installed), where  # this copy, not the checkout
    assert counts == [f"retail {len(SCHEMA['retail'])}", f"tea {len(SCHEMA['tea'])}"]
