#!/usr/bin/env python3
"""Launch links for the course: Binder badges and nbgitpuller links for a JupyterHub.

    python scripts/launch_links.py check                  # every badge opens an existing notebook
    python scripts/launch_links.py badges                 # rewrite the badges (after adding a notebook)
    python scripts/launch_links.py hub https://hub.example.edu [notebooks/05_loyalty/...ipynb]
    python scripts/launch_links.py hub https://hub.example.edu --git-url https://git.school.edu/crm/crm-course.git
    python scripts/launch_links.py set-repo myschool/crm-course   # after forking the course

The repository is the ``Repository`` URL in pyproject.toml's ``[project.urls]``: every link is
built from it, so a fork changes one line (``set-repo`` does that and rewrites the badges).

Badges sit in the READMEs: one per chapter in the README's course map (it opens the chapter's
first notebook) and one per notebook in each chapter's and case's README. A badge is the markdown
``[![Binder](https://mybinder.org/badge_logo.svg)](<binder url>)``; ``badges`` rewrites the URL of
each badge from the notebook it points to, so only the repository ever changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
BADGE = re.compile(r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\((?P<url>[^)\s]+)\)")
BINDER_URL = re.compile(
    r"^https://mybinder\.org/v2/gh/(?P<repo>[\w.-]+/[\w.-]+)/(?P<ref>[\w.-]+)"
    r"\?urlpath=lab/tree/(?P<path>[^&#\s]+)$"
)
REPOSITORY_LINE = re.compile(r'^(Repository\s*=\s*")https://github\.com/([\w.-]+/[\w.-]+)(")', re.M)


def repository(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """``owner/name`` of the course's GitHub repository, read from pyproject.toml."""
    match = REPOSITORY_LINE.search(pyproject.read_text(encoding="utf-8"))
    if not match:
        raise SystemExit(f'{pyproject} has no [project.urls] line Repository = "https://github.com/owner/name"')
    return match.group(2)


def binder_url(notebook: str, repo: str, ref: str = "HEAD") -> str:
    """mybinder.org link that opens ``notebook`` (a path from the repository root) in JupyterLab.

    >>> binder_url("notebooks/course_map.ipynb", "crm-course/crm-course")
    'https://mybinder.org/v2/gh/crm-course/crm-course/HEAD?urlpath=lab/tree/notebooks/course_map.ipynb'
    """
    return f"https://mybinder.org/v2/gh/{repo}/{ref}?urlpath=lab/tree/{quote(notebook)}"


def nbgitpuller_url(hub: str, notebook: str, repo: str, branch: str = "main", git_url: str | None = None) -> str:
    """JupyterHub link that pulls the course into each student's home and opens ``notebook``.

    nbgitpuller clones into a folder named after the repository; a second click only merges new
    commits, keeping the student's own edits. The course is cloned from GitHub (``repo`` is
    ``owner/name``) unless ``git_url`` names another copy of it: a school Git server or a mirror
    the hub reaches more easily.

    >>> nbgitpuller_url("https://hub.example.edu/", "notebooks/course_map.ipynb", "crm-course/crm-course")
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fcrm-course%2Fcrm-course&branch=main&urlpath=lab%2Ftree%2Fcrm-course%2Fnotebooks%2Fcourse_map.ipynb'
    >>> nbgitpuller_url("https://hub.example.edu", "notebooks/course_map.ipynb", "a/b",
    ...                 git_url="https://git.example.edu/crm/crm-course.git").split("&urlpath=")[1]
    'lab%2Ftree%2Fcrm-course%2Fnotebooks%2Fcourse_map.ipynb'
    >>> "&targetpath=crm-course&" in nbgitpuller_url("https://hub.example.edu", "notebooks/course_map.ipynb", "a/b",
    ...                                             git_url="https://git.example.edu/crm/crm-course.git")
    True
    """
    source = git_url or f"https://github.com/{repo}"
    last = source.rstrip("/").rsplit("/", 1)[-1]
    folder = last.removesuffix(".git")
    fields = {"repo": source, "branch": branch}
    if folder != last:  # nbgitpuller would clone into "crm-course.git": name the folder the link opens
        fields["targetpath"] = folder
    fields["urlpath"] = f"lab/tree/{folder}/{notebook}"
    query = urlencode(fields, quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def badge(notebook: str, repo: str) -> str:
    return f"[![Binder]({BADGE_IMAGE})]({binder_url(notebook, repo)})"


def readmes(root: Path = ROOT) -> list[Path]:
    """The markdown files that carry badges: the READMEs (English, Chinese) and each chapter's and case's
    README, in English and in Chinese (``zh/``: scripts/translate.py writes those badges the same way)."""
    return [
        root / "README.md",
        *([root / "README.zh.md"] if (root / "README.zh.md").exists() else []),
        *[page for edition in ("", "zh/") for page in sorted(root.glob(f"{edition}notebooks/*/README.md"))],
        *[page for edition in ("", "zh/") for page in sorted(root.glob(f"{edition}casestudies/*/README.md"))],
    ]


def badge_problems(root: Path = ROOT) -> list[str]:
    """Every badge that is malformed, points elsewhere than the repository, or opens no notebook."""
    repo, problems = repository(root / "pyproject.toml"), []
    for path in readmes(root):
        where = path.relative_to(root)
        for match in BADGE.finditer(path.read_text(encoding="utf-8")):
            url = BINDER_URL.match(match["url"])
            if not url:
                problems.append(f"{where}: badge link is not a mybinder.org JupyterLab link: {match['url']}")
            elif url["repo"] != repo:
                problems.append(f"{where}: badge opens {url['repo']}, pyproject.toml says {repo}")
            elif not (root / url["path"]).is_file():
                problems.append(f"{where}: badge opens {url['path']}, which does not exist")
    return problems


def rewrite_badges(root: Path = ROOT) -> int:
    """Rebuild every badge's URL from the notebook it opens and the repository; files changed."""
    repo, changed = repository(root / "pyproject.toml"), 0
    for path in readmes(root):
        text = path.read_text(encoding="utf-8")

        def rebuilt(match: re.Match) -> str:
            url = BINDER_URL.match(match["url"])
            return badge(url["path"], repo) if url else match[0]

        new = BADGE.sub(rebuilt, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def set_repository(repo: str, root: Path = ROOT) -> None:
    """Point pyproject.toml's Repository URL (and so every launch link) at ``owner/name``."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise SystemExit(f"repository must look like owner/name, got {repo!r}")
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    repository(pyproject)  # fails clearly if the line is missing
    pyproject.write_text(
        REPOSITORY_LINE.sub(lambda m: f"{m[1]}https://github.com/{repo}{m[3]}", text), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="check every Binder badge")
    commands.add_parser("badges", help="rewrite every Binder badge from pyproject's repository")
    hub = commands.add_parser("hub", help="print the nbgitpuller link for a JupyterHub")
    hub.add_argument("hub_url")
    hub.add_argument("notebook", nargs="?", default="notebooks/course_map.ipynb")
    hub.add_argument("--branch", default="main")
    hub.add_argument(
        "--git-url", help="clone the course from this Git URL (a school server or mirror) instead of GitHub"
    )
    fork = commands.add_parser("set-repo", help="point every link at your fork (owner/name)")
    fork.add_argument("repo")
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = badge_problems()
        print("\n".join(problems) or "every Binder badge opens an existing notebook of " + repository())
        return 1 if problems else 0
    if args.command == "hub":
        if not (ROOT / args.notebook).is_file():
            raise SystemExit(f"no notebook {args.notebook} in the course (give a path from the repository root)")
        print(nbgitpuller_url(args.hub_url, args.notebook, repository(), args.branch, args.git_url))
        return 0
    if args.command == "set-repo":
        set_repository(args.repo)
    print(f"badges rewritten in {rewrite_badges()} file(s) for {repository()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
