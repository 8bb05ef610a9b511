#!/usr/bin/env python3
"""Build what the class hub hands to students: crmlib without its answers, and the course repository.

    python hub/prepare.py wheel OUT_DIR              # crmlib wheel without crmlib/exercise_sets
    python hub/prepare.py user-env ENV               # the rest of the students' environment
    python hub/prepare.py course STUDENT_DIR REPO    # commit the student edition into a git repository

``wheel`` builds crmlib from a copy of the sources that leaves out ``crmlib/exercise_sets/``:
that package holds the answer functions as readable code, and the student edition
(``make student``) never imports it. ``user-env`` adds to the students' environment what the
course's own Lab has: its Lab settings (``lab/``) and the shipped data (``datasets/``, which the
hub points ``CRMLIB_DATA`` at, read-only for students).

``course`` copies the student edition into ``REPO`` (a git repository, created on first use,
branch ``main``) and commits it when something changed. nbgitpuller clones from that
repository into each student's home; a later commit reaches the students at their next click
on the link, merged with their own edits. ``make hub`` runs all three.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = "exercise_sets"  # crmlib's answers: not on the students' hub
BRANCH = "main"
COMMITTER = ["-c", "user.name=CRM course hub", "-c", "user.email=hub@localhost"]


def student_wheel(out_dir: Path, python: str = sys.executable) -> Path:
    """Build the crmlib wheel without ``crmlib/exercise_sets`` into ``out_dir``; returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("crmlib-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "crmlib-src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(
            ROOT / "crmlib",
            src / "crmlib",
            ignore=shutil.ignore_patterns(LEFT_OUT, "__pycache__", "*.pyc"),
        )
        subprocess.run(
            [python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out_dir), src],
            check=True,
        )
    (wheel,) = out_dir.glob("crmlib-*.whl")
    return wheel


def user_env_files(env: Path) -> None:
    """Copy the course's Lab settings and the shipped data into the students' environment ``env``."""
    env = Path(env)
    settings = env / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "lab" / "settings" / "overrides.json", settings / "overrides.json")
    server_config = env / "etc" / "jupyter" / "jupyter_server_config.d"
    server_config.mkdir(parents=True, exist_ok=True)
    # read after the extensions' own files (alphabetical order), so that it wins over notebook_shim.json
    shutil.copy2(ROOT / "lab" / "jupyter_server_config.json", server_config / "zz-crm-course.json")
    data = env / "share" / "crm-course" / "datasets"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(ROOT / "datasets", data)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *COMMITTER, *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def publish_course(student_dir: Path, repo: Path) -> str:
    """Commit the student edition in ``student_dir`` to the repository ``repo``; returns the commit id.

    The repository's files become exactly those of ``student_dir`` (a file removed from the
    edition is removed here too). Nothing is committed when nothing changed.
    """
    student_dir, repo = Path(student_dir), Path(repo)
    if not (student_dir / "notebooks").is_dir():
        raise SystemExit(f"{student_dir} holds no student edition (no notebooks/ folder): run `make student` first")
    if not (repo / ".git").is_dir():
        repo.mkdir(parents=True, exist_ok=True)
        _git(repo, "init", "--quiet", "--initial-branch", BRANCH)
    for entry in repo.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copytree(student_dir, repo, dirs_exist_ok=True)
    _git(repo, "add", "--all")
    if _git(repo, "status", "--porcelain"):
        _git(repo, "commit", "--quiet", "-m", "Student edition of the CRM course")
    return _git(repo, "rev-parse", "HEAD")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("wheel", help="crmlib wheel without exercise_sets").add_argument("out_dir", type=Path)
    sub.add_parser("user-env", help="Lab settings and data into the students' environment").add_argument(
        "env", type=Path
    )
    course = sub.add_parser("course", help="commit the student edition into a git repository")
    course.add_argument("student_dir", type=Path)
    course.add_argument("repo", type=Path)
    args = parser.parse_args(argv)
    if args.command == "wheel":
        print(student_wheel(args.out_dir))
    elif args.command == "user-env":
        user_env_files(args.env)
    else:
        print(f"course repository {args.repo} at {publish_course(args.student_dir, args.repo)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
