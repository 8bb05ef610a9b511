"""scripts/make_student.py: the student edition hides every solution and still runs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_student.py"
# Two notebooks run top to bottom: a chapter notebook and a case study with markdown solutions.
RUN = ["notebooks/00_overview/01_what_is_crm.ipynb", "casestudies/platform_exclusivity/platform_exclusivity.ipynb"]

make_student = load_script("make_student")


@pytest.fixture(scope="module")
def student(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "student"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True, text=True)
    return out


def _written(student: Path) -> list[Path]:
    return sorted(p.relative_to(student) for p in student.rglob("*.ipynb"))


def _pairs(student: Path):
    for rel in _written(student):
        if (ROOT / rel).exists():  # not another engineer's temporary notebook, gone since
            yield rel, nbformat.read(ROOT / rel, as_version=4), nbformat.read(student / rel, as_version=4)


def _distinctive_line(cell, others: str) -> str:
    """The longest line of a solution cell that no other cell of its notebook contains."""
    lines = sorted({line.strip() for line in cell.source.splitlines()}, key=len, reverse=True)
    return next((line for line in lines if len(line) >= 12 and line not in others), "")


def test_every_notebook_and_file_is_copied(student):
    notebooks = [p for p in make_student.source_files(ROOT) if p.suffix == ".ipynb" and not p.name.startswith("_")]
    assert len(notebooks) >= 20
    for rel in notebooks:
        assert (student / rel).is_file(), rel
    assert (student / "casestudies" / "tea_chains" / "README.md").read_bytes() == (ROOT / "casestudies" / "tea_chains" / "README.md").read_bytes()


def test_no_solution_cell_and_no_output(student):
    for rel, _, copy in _pairs(student):
        for cell in copy.cells:
            assert "solution" not in cell.metadata.get("tags", []), rel
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, rel


def test_no_solution_text_leaks(student):
    checked = 0
    for rel, original, copy in _pairs(student):
        others = "\n".join(c.source for c in original.cells if not make_student.is_solution(c))
        text = "\n".join(c.source for c in copy.cells) + json.dumps(copy.metadata, ensure_ascii=False)
        raw = (student / rel).read_text(encoding="utf-8")
        for cell in original.cells:
            if make_student.is_solution(cell):
                line = _distinctive_line(cell, others)
                assert line, f"{rel}: solution cell {cell.get('id')} has no line of its own to look for"
                assert line not in text and json.dumps(line, ensure_ascii=False)[1:-1] not in raw, f"{rel}: {line!r} leaked"
                checked += 1
    assert checked >= 100


def test_placeholders_replace_solutions_and_everything_else_is_unchanged(student):
    for rel, original, copy in _pairs(student):
        assert len(copy.cells) == len(original.cells), rel
        assert copy.metadata == original.metadata and copy.nbformat_minor == original.nbformat_minor, rel
        for before, after in zip(original.cells, copy.cells):
            assert after.get("id") == before.get("id") and after.cell_type == before.cell_type, rel
            if make_student.is_solution(before):
                expected = make_student.CODE_PLACEHOLDER if before.cell_type == "code" else make_student.MARKDOWN_PLACEHOLDER
                assert after.source == expected, rel
            else:
                if before.cell_type == "code":
                    before = nbformat.from_dict({**before, "outputs": [], "execution_count": None})
                assert after == before, f"{rel}: cell {before.get('id')} changed"


def test_output_is_deterministic(student, tmp_path):
    make_student.build(tmp_path / "again", ROOT)
    for rel in _written(student):
        if (ROOT / rel).exists() and not rel.name.startswith("_"):
            assert (tmp_path / "again" / rel).read_bytes() == (student / rel).read_bytes(), rel


def test_refuses_to_write_into_the_sources(tmp_path):
    with pytest.raises(SystemExit):
        make_student.build(ROOT / "notebooks", ROOT)


@pytest.mark.parametrize("rel", RUN)
def test_student_copy_runs_top_to_bottom(student, rel):
    from nbclient import NotebookClient

    path = student / rel
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream")
    assert "replace `...` or None with your computation" in printed  # the friendly message of a check on None
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
