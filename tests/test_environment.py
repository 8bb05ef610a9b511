"""environment.yml (Binder, conda) and pyproject.toml must declare the same packages and floors."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(>=\s*[\w.]+)?\s*$")


def parse(requirement: str) -> tuple[str, str | None]:
    match = REQUIREMENT.match(requirement.split(";")[0])
    assert match, f"cannot read requirement {requirement!r}"
    name, floor = match.groups()
    return name.lower().replace("_", "-"), floor.replace(" ", "") if floor else None


def pyproject_requirements() -> dict[str, str | None]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(parse(line) for line in lines if "python_version" not in line)


def environment_requirements() -> dict[str, str | None]:
    deps, inside = [], False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^dependencies:", line):
            inside = True
        elif inside and re.match(r"^\s+-\s+", line):
            deps.append(re.sub(r"^\s+-\s+", "", line).strip())
        elif inside and line and not line.startswith(" "):
            inside = False
    return dict(parse(d) for d in deps if not d.startswith(("python=", "python ", "pip")) and d != "pip")


def drift(ours: dict, conda: dict) -> list[str]:
    """Every difference between two {package: floor} declarations, in words."""
    problems = [f"{n} only in pyproject.toml" for n in sorted(set(ours) - set(conda))]
    problems += [f"{n} only in environment.yml" for n in sorted(set(conda) - set(ours))]
    problems += [
        f"{n}: pyproject says {ours[n]}, environment.yml says {conda[n]}"
        for n in sorted(set(ours) & set(conda))
        if ours[n] != conda[n]
    ]
    return problems


def test_environment_yml_matches_pyproject():
    assert drift(pyproject_requirements(), environment_requirements()) == []


def test_every_runtime_dependency_has_a_floor():
    assert all(floor for floor in pyproject_requirements().values())


def test_binder_files():
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the root environment.yml"
    assert "fonts-noto-cjk" in (ROOT / "apt.txt").read_text().split()
    assert "pip install --no-deps -e ." in (ROOT / "postBuild").read_text()
    assert re.search(r"python=3\.1[12]", (ROOT / "environment.yml").read_text())


@pytest.mark.parametrize(
    "conda_line, problem",
    [
        ("pandas>=2.3", "pandas: pyproject says >=2.2, environment.yml says >=2.3"),
        ("pandas", "pandas: pyproject says >=2.2, environment.yml says None"),
        ("polars>=1.0", "polars only in environment.yml"),
    ],
)
def test_drift_reports_a_changed_floor_or_package(conda_line, problem):
    ours = {"pandas": ">=2.2"}
    conda = (
        dict([parse(conda_line)])
        if conda_line.startswith("pandas")
        else {"pandas": ">=2.2", **dict([parse(conda_line)])}
    )
    assert problem in drift(ours, conda)
