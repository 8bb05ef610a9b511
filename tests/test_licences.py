"""The course says under which licences it may be used: MIT for the code, CC BY-SA 4.0 for the text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_package_declares_mit_as_an_spdx_string_with_its_licence_file():
    project = pyproject()["project"]
    assert project["license"] == "MIT"  # a TOML table here makes setuptools warn on every install
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_build_backend_floor_understands_spdx_licences():
    requires = pyproject()["build-system"]["requires"]
    floor = next(re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", r) for r in requires if r.startswith("setuptools"))
    assert floor and int(floor[1]) >= 77  # setuptools 77 added `license = "<SPDX>"` and license-files


def test_the_content_licence_is_the_full_cc_by_sa_text():
    text = (ROOT / "LICENSE-content").read_text(encoding="utf-8")
    assert "Attribution-ShareAlike 4.0 International" in text
    assert "Section 8 -- Interpretation." in text  # the legal code itself, not only a link to it


def test_the_readme_and_the_website_footer_name_both_licences():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](LICENSE)" in readme and "](LICENSE-content)" in readme and "CC BY-SA 4.0" in readme
    footer = yaml.safe_load((ROOT / "book" / "_config.yml").read_text(encoding="utf-8"))["html"]["extra_footer"]
    assert "creativecommons.org/licenses/by-sa/4.0" in footer and "MIT" in footer
