"""`import crmlib` stays cheap: the chapter modules load no heavy library until a function needs it."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("scipy", "sklearn", "matplotlib", "seaborn", "ipywidgets")


def test_chapter_modules_import_no_heavy_library():
    code = (
        "import sys, crmlib\n"
        "from crmlib import datasets, validate, identify, develop, communicate, information, loyalty, clv, plots, exercises\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_submodules_load_on_first_use():
    code = "import sys, crmlib; before = 'crmlib.clv' in sys.modules; crmlib.clv; print(before, 'crmlib.clv' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
