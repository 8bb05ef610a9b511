"""Every public name of every crmlib module is in the module's ``__all__``.

A public name is one the module itself defines at its top level (a function, a class or an
assigned constant, not an import) and that does not start with an underscore. ``__all__`` is
then the complete list of what a module offers: what ``from crmlib.x import *`` gives, what the
documentation lists, and what a reader can rely on. A helper that is not for use elsewhere gets
a leading underscore instead. Modules whose own name starts with an underscore (``_world``,
``__main__``) are private and not checked.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "crmlib"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(
    module_name(p)
    for p in PACKAGE.rglob("*.py")
    if "__pycache__" not in p.parts and (p.stem == "__init__" or not p.stem.startswith("_"))
)

# Modules that do not pass yet; the lead is reshaping crmlib.widgets (issue 12). Remove a module
# from this list when it passes: strict=True turns an unexpected pass into a failure.
NOT_YET = {}


def defined_public_names(source: str) -> list[str]:
    """The names a module's top level binds by def, class or assignment, without a leading underscore."""
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            targets = [node.name]
        elif isinstance(node, ast.Assign):
            targets = [n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        else:
            targets = []
        names += [name for name in targets if not name.startswith("_") and name not in names]
    return names


def test_defined_public_names_are_found():
    source = (
        "import os\nfrom math import pi\nLIMIT = 3\n_hidden = 1\nA, (B, C) = 1, (2, 3)\nD: int = 4\n"
        "def area(r):\n    inner = 2\n    return pi * r * r\nclass Shape:\n    side = 1\nasync def fetch():\n    pass\n"
        "__all__ = ['area']\nif LIMIT:\n    CONDITIONAL = 1\n"
    )
    assert defined_public_names(source) == ["LIMIT", "A", "B", "C", "D", "area", "Shape", "fetch"]


def test_the_modules_are_found():
    assert {
        "crmlib",
        "crmlib.identify",
        "crmlib.widgets.rfm",
        "crmlib.exercise_sets.rfm_segmentation",
        "crmlib.cases.grocer",
        "crmlib.datasets.tea",
    } <= set(MODULES)
    assert "crmlib.datasets._world" not in MODULES and "crmlib.datasets.__main__" not in MODULES
    assert set(NOT_YET) <= set(MODULES)


@pytest.mark.parametrize(
    "name",
    [pytest.param(m, marks=pytest.mark.xfail(reason=NOT_YET[m], strict=True)) if m in NOT_YET else m for m in MODULES],
)
def test_every_public_name_is_in_all(name):
    module = importlib.import_module(name)
    public = defined_public_names(Path(module.__file__).read_text(encoding="utf-8"))
    listed = getattr(module, "__all__", None)
    if listed is None:
        assert not public, f"{name} has public names {public} but no __all__; list them, or start helpers with _"
        return
    missing = [n for n in public if n not in listed]
    assert not missing, f"{name}: add {missing} to __all__, or start their names with _ if they are helpers"
    absent = [n for n in listed if not hasattr(module, n)]
    assert not absent, f"{name}: __all__ lists {absent}, which the module does not have"
    repeated = sorted({n for n in listed if listed.count(n) > 1})
    assert not repeated, f"{name}: __all__ lists {repeated} more than once"
