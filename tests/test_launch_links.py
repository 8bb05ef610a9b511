"""scripts/launch_links.py: Binder badges open existing notebooks; JupyterHub links are well formed."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
links = load_script("launch_links")


def test_every_badge_opens_an_existing_notebook_of_the_repository():
    assert links.badge_problems() == []


def test_every_chapter_and_case_notebook_has_a_badge():
    text = "\n".join(p.read_text(encoding="utf-8") for p in links.readmes())
    opened = {m["url"].split("urlpath=lab/tree/")[1] for m in links.BADGE.finditer(text)}
    notebooks = {
        p.relative_to(ROOT).as_posix()
        for folder in ("notebooks", "casestudies")
        for p in (ROOT / folder).glob("*/*.ipynb")
        if p.parent.name != "demos"
    }
    assert notebooks - opened == set()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for chapter in sorted((ROOT / "notebooks").glob("0*_*")):  # the README opens each chapter's first notebook
        first = sorted(chapter.glob("*.ipynb"))[0].relative_to(ROOT).as_posix()
        assert links.binder_url(first, links.repository()) in readme


def test_nbgitpuller_link_decodes_to_the_repository_and_notebook():
    url = links.nbgitpuller_url(
        "https://hub.school.edu/",
        "notebooks/05_loyalty/03_customer_lifetime_value.ipynb",
        "crm-course/crm-course",
        branch="main",
    )
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("hub.school.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/crm-course/crm-course"],
        "branch": ["main"],
        "urlpath": ["lab/tree/crm-course/notebooks/05_loyalty/03_customer_lifetime_value.ipynb"],
    }


def test_nbgitpuller_link_can_clone_from_a_school_git_server():
    url = links.nbgitpuller_url(
        "https://hub.school.edu",
        "notebooks/course_map.ipynb",
        "crm-course/crm-course",
        git_url="https://git.school.edu/teachers/crm-course-2025.git",
    )
    assert parse_qs(urlsplit(url).query) == {
        "repo": ["https://git.school.edu/teachers/crm-course-2025.git"],
        "branch": ["main"],
        "targetpath": ["crm-course-2025"],  # nbgitpuller would clone into "crm-course-2025.git"
        "urlpath": ["lab/tree/crm-course-2025/notebooks/course_map.ipynb"],
    }


def test_binder_url_quotes_spaces_and_chinese():
    assert links.binder_url("notebooks/我的 笔记.ipynb", "a/b") == (
        "https://mybinder.org/v2/gh/a/b/HEAD?urlpath=lab/tree/notebooks/%E6%88%91%E7%9A%84%20%E7%AC%94%E8%AE%B0.ipynb"
    )


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of the files the script reads and writes."""
    for path in [ROOT / "pyproject.toml", *links.readmes()]:
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    for folder in ("notebooks", "casestudies", "zh"):
        for nb in (ROOT / folder).rglob("*.ipynb"):
            (tmp_path / nb.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / nb.relative_to(ROOT)).touch()
    return tmp_path


def test_set_repo_points_every_badge_at_the_fork(copy):
    links.set_repository("myschool/crm", root=copy)
    assert links.repository(copy / "pyproject.toml") == "myschool/crm"
    # every badge still opens the old repository: 38 on the English pages and README.zh.md, 30 on the Chinese pages
    assert len(links.badge_problems(copy)) == 38 + 30
    # the READMEs (English, Chinese), 6 chapter READMEs and 7 case READMEs, each in English and in Chinese
    assert links.rewrite_badges(copy) == 2 + 2 * 13
    assert links.badge_problems(copy) == []
    for page in ("notebooks/05_loyalty/README.md", "zh/notebooks/05_loyalty/README.md"):
        assert "crm-course/crm-course" not in (copy / page).read_text(encoding="utf-8")
    chinese = (copy / "zh/notebooks/05_loyalty/README.md").read_text(encoding="utf-8")
    assert "/gh/myschool/crm/HEAD?urlpath=lab/tree/zh/notebooks/05_loyalty/01_satisfaction.ipynb)" in chinese


def test_a_badge_to_a_missing_notebook_is_named(copy):
    readme = copy / "casestudies" / "tea_chains" / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("tea_chains.ipynb)", "tea_chain.ipynb)"), encoding="utf-8"
    )
    assert links.badge_problems(copy) == [
        "casestudies/tea_chains/README.md: badge opens casestudies/tea_chains/tea_chain.ipynb, which does not exist"
    ]


def test_bad_repository_names_are_refused(copy):
    with pytest.raises(SystemExit, match="owner/name"):
        links.set_repository("not a repo", root=copy)
