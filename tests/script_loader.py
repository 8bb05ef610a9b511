"""Import a Python file that is not part of a package, so tests can call its functions: a script
of scripts/ (they are programs, not a package), hub/prepare.py, a test-data builder, or an
exercise set as the student edition seals it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_file(path: Path, name: str | None = None) -> ModuleType:
    """The module in the file ``path``, freshly imported (not entered in ``sys.modules``)."""
    spec = importlib.util.spec_from_file_location(name or Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_script(name: str) -> ModuleType:
    """The module ``scripts/<name>.py``, freshly imported."""
    return load_file(SCRIPTS / f"{name}.py", name)


def load_sealed(edition: Path, set_name: str) -> ModuleType:
    """The sealed exercise set ``set_name`` of a built student edition (its only copy there)."""
    [path] = Path(edition).glob(f"**/exercise_checks/{set_name}.py")
    return load_file(path, f"sealed_{set_name}_{Path(edition).name}")
