"""Where each kind of code lives (CONTRIBUTING.md): analysis in the chapter modules, charts in
plots, controls in widgets; no private name crosses a module boundary.

These tests read the source (and the notebooks' code cells) as text; they run nothing.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CRMLIB = ROOT / "crmlib"
WIDGETS = CRMLIB / "widgets"
NOTEBOOKS = sorted([*ROOT.glob("notebooks/**/*.ipynb"), *ROOT.glob("casestudies/**/*.ipynb")])


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST):
    """(module imported from, names) for every import statement; ``import a.b`` gives ("a.b", [])."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


SOURCES = sorted(CRMLIB.rglob("*.py"))


@pytest.mark.parametrize("path", [p for p in SOURCES if WIDGETS not in p.parents], ids=lambda p: _module_name(p))
def test_nothing_but_notebooks_imports_widgets(path):
    """Analysis never climbs to the UI layer: no crmlib module outside crmlib.widgets imports it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reaching = [
        module
        for module, names in _imports(tree)
        if module.startswith("crmlib.widgets") or (module == "crmlib" and "widgets" in names)
    ]
    assert not reaching, f"{_module_name(path)} imports {reaching}; move what it needs into a chapter module"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: _module_name(p))
def test_no_private_name_crosses_a_module_boundary(path):
    """``from crmlib.x import _helper`` and ``x._helper`` from another module are refused."""
    own = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    crossing = [
        f"{module}.{name}"
        for module, names in _imports(tree)
        if module.startswith("crmlib") and module != own
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    aliases = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crmlib")
        for alias in node.names
    }
    aliases |= {
        alias.asname or alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("crmlib")
    }
    crossing += [
        f"{node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]
    assert not crossing, f"{own} uses private names of other modules: {crossing}"


@pytest.mark.parametrize(
    "path", sorted(p for p in WIDGETS.glob("*.py") if p.name != "__init__.py"), ids=lambda p: p.stem
)
def test_a_widget_module_offers_only_explorers(path):
    """Every public name of crmlib/widgets/<topic>.py is an explorer; the rest is private glue."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    public = [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
    ]
    public += [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and not target.id.startswith("_")
    ]
    assert public and all(name.endswith("_explorer") for name in public), f"{path.stem}: public names {public}"


def _code_cells(path: Path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
            yield number, ast.parse("\n".join(lines))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_take_only_explorers_from_widgets(path):
    """A notebook imports analysis from the chapter modules and only the explorer it shows from widgets."""
    wrong = [
        f"cell {number}: {module} {names}"
        for number, tree in _code_cells(path)
        for module, names in _imports(tree)
        if module.startswith("crmlib.widgets") and (not names or not all(name.endswith("_explorer") for name in names))
    ]
    assert not wrong, f"{path.name} imports analysis from crmlib.widgets: {wrong}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_code_lines_fit_in_88_characters(path):
    """Code a beginner can read: no code line in a notebook (chapters, cases, demos) over 88."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    long = [
        f"cell {cell.get('id')}: {line[:60]}…"
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if len(line) > 88
    ]
    assert not long, f"{path.name}: split these lines into named steps or wrap them: {long}"


def test_the_structure_tests_see_a_breach(tmp_path):
    """The checks above catch what they are for (so a silent pass means something)."""
    tree = ast.parse("from crmlib.identify import _ratio\nfrom crmlib.widgets.rfm import threshold_summary\n")
    found = list(_imports(tree))
    assert ("crmlib.identify", ["_ratio"]) in found and ("crmlib.widgets.rfm", ["threshold_summary"]) in found
