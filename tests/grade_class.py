"""A generated class of submissions for the grader (tests/test_grade.py, bench/bench_grade.py).

Every submission starts from a course notebook: its answer cells are filled with the code of
the worked solutions (``solved``), then changed the way a student might (wrong answers, a
crash, a loop, a tampered check, ...). ``short_overview`` keeps only the cells the exercises of
``01_what_is_crm.ipynb`` need (no charts, no explorer), so a class runs quickly.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
from script_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
OVERVIEW = ROOT / "notebooks" / "00_overview" / "01_what_is_crm.ipynb"
CARRIER = ROOT / "casestudies" / "mobile_carrier" / "mobile_carrier.ipynb"
make_student = load_script("make_student")

# The set-up cells the four exercises of 01_what_is_crm need (by their first words).
OVERVIEW_SETUP = (
    "import matplotlib",
    "tea = load_tea()",
    "orders = tea.orders",
    "data_end =",
    'members["n_orders"]',
    "aurora =",
)
CHECK = re.compile(r"^ex\.(\w+)\.check\(answer\)$")


def _is_solution(cell) -> bool:
    return "solution" in cell.metadata.get("tags", [])


def solved(nb, keep=None):
    """A copy of ``nb`` as a student would hand it in with every answer right.

    Each answer cell (the cell before a check cell) gets the solution's code without its
    ``assert`` line; solution cells are left out. ``keep(cell)`` chooses the other code cells
    to keep (all by default); markdown cells are kept.
    """
    nb = copy.deepcopy(nb)
    cells = nb.cells
    out = []
    for i, cell in enumerate(cells):
        if _is_solution(cell):
            continue
        if cell.cell_type == "code":
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            is_answer = nxt is not None and CHECK.match(nxt.source.strip())
            is_check = CHECK.match(cell.source.strip())
            if is_answer:
                solution = cells[i + 2]
                assert _is_solution(solution), solution.source
                body = [ln for ln in solution.source.splitlines() if not ln.startswith(("# Solution", "assert ex."))]
                cell.source = "\n".join(body)
            elif not is_check and keep is not None and not keep(cell):
                continue
        out.append(cell)
    nb.cells = out
    return nb


def short_overview(nb=None):
    """``01_what_is_crm.ipynb`` solved, without the cells its four data exercises do not need
    (its concept-check section is left out too: the class tests concept checks on the carrier case)."""
    nb = copy.deepcopy(nb if nb is not None else nbformat.read(OVERVIEW, as_version=4))
    nb.cells = _without_section(nb.cells, "## Concept checks")
    return solved(nb, keep=lambda cell: cell.source.startswith(OVERVIEW_SETUP))


def _without_section(cells, heading: str) -> list:
    """The cells without the section whose heading starts with ``heading`` (up to the next ``## ``)."""
    start = next((i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith(heading)), None)
    if start is None:
        return cells
    end = next(
        (
            i
            for i in range(start + 1, len(cells))
            if cells[i].cell_type == "markdown" and cells[i].source.startswith("## ")
        ),
        len(cells),
    )
    return cells[:start] + cells[end:]


def carrier_concepts():
    """The mobile carrier case, handed in with only its two concept checks answered (right)."""
    nb = nbformat.read(CARRIER, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "case_mobile_carrier as ex" in c.source)
    nb.cells[first].source = "from crmlib.exercise_sets import case_mobile_carrier as ex"
    start = next(i for i, c in enumerate(nb.cells) if c.source.strip() == "ex.at_risk_stage")
    nb.cells = [nb.cells[first]] + nb.cells[start:]
    return solved(nb, keep=lambda cell: cell.source.startswith(("ex.", "from ")) or "answer" in cell.source)


def student_edition(nb):
    """The same notebook as the student edition has it: the set imported from ``exercise_checks``."""
    nb = copy.deepcopy(nb)
    make_student.seal_imports(nb)
    return nb


def cell_index(nb, start: str) -> int:
    """The index of the first code cell whose source starts with ``start``."""
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith(start))


def answer_cell(nb, exercise: str) -> int:
    """The index of the answer cell of ``exercise`` (the cell before its check cell)."""
    return next(i for i, c in enumerate(nb.cells) if c.source.strip() == f"ex.{exercise}.check(answer)") - 1


def write(nb, folder: Path, name: str = OVERVIEW.name) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name
