"""hub/prepare.py: what the class hub hands to students (the hub itself is tested in test_hub.py).

These run in `make test`: no root, no server. They check that the students' crmlib has no
answers, that their environment gets the course's Lab settings and data, and that the course
repository nbgitpuller pulls from follows the student edition commit by commit.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from script_loader import load_file

ROOT = Path(__file__).resolve().parents[1]


def _prepare():
    return load_file(ROOT / "hub" / "prepare.py", "hub_prepare")


def _files_at_head(repo: Path) -> dict[str, str]:
    names = subprocess.run(["git", "ls-files"], cwd=repo, check=True, capture_output=True, text=True).stdout.split()
    return {name: (repo / name).read_text() for name in names}


def _commits(repo: Path) -> int:
    out = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, check=True, capture_output=True, text=True)
    return int(out.stdout)


def test_the_students_wheel_has_crmlib_without_its_answers(tmp_path):
    wheel = _prepare().student_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in names if n.startswith("crmlib/exercise_sets")]
    expected = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "crmlib").rglob("*.py")
        if "exercise_sets" not in p.parts and "__pycache__" not in p.parts
    }
    assert expected - names == set()  # everything else is there
    assert {"crmlib/exercises.py", "crmlib/concepts.py", "crmlib/sql/retail.sql"} <= names
    assert (ROOT / "crmlib" / "exercise_sets" / "__init__.py").exists()  # the checkout keeps them


def test_the_students_environment_gets_the_lab_settings_and_the_data(tmp_path):
    _prepare().user_env_files(tmp_path)
    overrides = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(overrides.read_text()) == json.loads((ROOT / "lab" / "settings" / "overrides.json").read_text())
    server = tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "zz-crm-course.json"
    assert json.loads(server.read_text())["ServerApp"]["jpserver_extensions"] == {"notebook_shim": False}
    data = tmp_path / "share" / "crm-course" / "datasets"
    assert (data / "MANIFEST").read_bytes() == (ROOT / "datasets" / "MANIFEST").read_bytes()
    shipped = sorted(p.relative_to(ROOT / "datasets") for p in (ROOT / "datasets").rglob("*") if p.is_file())
    assert sorted(p.relative_to(data) for p in data.rglob("*") if p.is_file()) == shipped


def test_the_course_repository_follows_the_student_edition(tmp_path):
    prepare = _prepare()
    edition, repo = tmp_path / "student", tmp_path / "course" / "crm-course"
    (edition / "notebooks" / "00_overview").mkdir(parents=True)
    (edition / "notebooks" / "00_overview" / "01.ipynb").write_text("one")
    (edition / "notebooks" / "course_map.ipynb").write_text("map")

    first = prepare.publish_course(edition, repo)
    assert _files_at_head(repo) == {"notebooks/00_overview/01.ipynb": "one", "notebooks/course_map.ipynb": "map"}
    assert prepare.publish_course(edition, repo) == first  # nothing changed, nothing committed
    assert _commits(repo) == 1

    (edition / "notebooks" / "00_overview" / "01.ipynb").write_text("one, fixed")
    (edition / "notebooks" / "course_map.ipynb").unlink()
    second = prepare.publish_course(edition, repo)
    assert second != first and _commits(repo) == 2
    assert _files_at_head(repo) == {"notebooks/00_overview/01.ipynb": "one, fixed"}
    branch = subprocess.run(["git", "branch", "--show-current"], cwd=repo, capture_output=True, text=True).stdout
    assert branch.strip() == "main"  # the branch the nbgitpuller link names


def test_the_course_repository_needs_a_student_edition(tmp_path):
    with pytest.raises(SystemExit, match="make student"):
        _prepare().publish_course(tmp_path / "nothing", tmp_path / "repo")
