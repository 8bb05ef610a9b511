"""The README's layout and CONTRIBUTING.md name every folder of crmlib."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = sorted(p.name for p in (ROOT / "crmlib").iterdir() if p.is_dir() and p.name != "__pycache__")


def test_there_are_folders_to_name():
    assert {"cases", "datasets", "exercise_sets", "sql", "widgets"} <= set(FOLDERS)


def test_the_readme_layout_names_every_crmlib_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = re.search(r"^## Layout\n+```\n(.*?)^```", readme, re.M | re.S)
    assert layout, "README.md has no '## Layout' section with a code block"
    entries = re.findall(r"^ {2}(\w+)/ ", layout.group(1), re.M)  # the indented lines under crmlib/
    assert entries == FOLDERS, f"README layout lists {entries} under crmlib/, the folders are {FOLDERS}"


def test_contributing_says_what_goes_in_every_crmlib_folder():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [f for f in FOLDERS if f"crmlib/{f}/" not in text]
    assert not missing, f"CONTRIBUTING.md does not mention {missing}"
