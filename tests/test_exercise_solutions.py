"""Each exercise's worked solution is written once: the notebook's solution cell.

An exercise set (``crmlib/exercise_sets/<name>.py``) holds each exercise's question, hint and an
answer function that computes the expected answer from the data on its own. The worked solution
is the code cell tagged ``solution`` in the matching notebook, in one shape::

    # Solution
    <code that assigns answer, and may show more>
    assert ex.<exercise>.check(answer)

right after the student's check cell ``ex.<exercise>.check(answer)``. These tests tie the two
together: every exercise has exactly one such cell, and every such cell belongs to an exercise.
Running the notebooks (nbval, in ``make test``) then executes every solution against the shipped
data, and its ``assert`` fails the run if the check does not pass.

Other cells tagged ``solution`` are instructor material: markdown notes, or code cells whose first
line starts with ``# Instructor``; they check no exercise.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import crmlib.exercise_sets
from crmlib.exercises import Exercise

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_HEADER = "# Solution"
INSTRUCTOR_HEADER = "# Instructor"
CHECK_LINE = "assert ex.{}.check(answer)"
STUDENT_CHECK = "ex.{}.check(answer)"
SETS = sorted(m.name for m in pkgutil.iter_modules(crmlib.exercise_sets.__path__))
NOTEBOOKS = sorted([*ROOT.glob("notebooks/**/*.ipynb"), *ROOT.glob("casestudies/*/*.ipynb")])


def notebook_of(set_name: str) -> Path:
    """The notebook an exercise set belongs to: named like it, without the number (cases: ``case_``)."""
    if set_name.startswith("case_"):
        case = set_name.removeprefix("case_")
        found = [ROOT / "casestudies" / case / f"{case}.ipynb"]
    else:
        found = sorted(ROOT.glob(f"notebooks/*/[0-9][0-9]_{set_name}.ipynb"))
    assert len(found) == 1 and found[0].is_file(), f"exercise set {set_name}: no single notebook, found {found}"
    return found[0]


def exercises_of(set_name: str) -> dict[str, Exercise]:
    module = importlib.import_module(f"crmlib.exercise_sets.{set_name}")
    return {name: value for name, value in vars(module).items() if isinstance(value, Exercise)}


class Cell:
    """A notebook cell as these tests read it (plain JSON, so no nbformat is needed)."""

    def __init__(self, raw: dict):
        self.cell_type = raw["cell_type"]
        self.source = "".join(raw["source"]) if isinstance(raw["source"], list) else raw["source"]
        self.tags = raw.get("metadata", {}).get("tags", [])
        self.id = raw.get("id")


def cells_of(notebook: Path) -> list[Cell]:
    return [Cell(raw) for raw in json.loads(notebook.read_text(encoding="utf-8"))["cells"]]


def _is_solution(cell: Cell) -> bool:
    return "solution" in cell.tags


def solution_cells(notebook: Path) -> list[tuple[int, Cell]]:
    """The exercise solution cells of a notebook: code tagged ``solution``, first line ``# Solution``."""
    cells = cells_of(notebook)
    return [
        (i, c)
        for i, c in enumerate(cells)
        if c.cell_type == "code" and _is_solution(c) and c.source.startswith(SOLUTION_HEADER)
    ]


def solved_exercise(source: str) -> str | None:
    """The exercise a solution cell checks: the name in its last line, if that line has the one shape."""
    match = re.fullmatch(r"assert ex\.(\w+)\.check\(answer\)", source.rstrip().rsplit("\n", 1)[-1])
    return match.group(1) if match else None


def solution_problems(source: str) -> list[str]:
    """What is wrong with the shape of one solution cell (empty: nothing)."""
    name = solved_exercise(source)
    if name is None:
        return [f"the last line must be {CHECK_LINE.format('<exercise>')!r}"]
    problems = []
    try:
        body = ast.parse(source).body
    except SyntaxError as err:
        return [f"it is not plain Python ({err})"]
    assigned = [
        node
        for node in body[:-1]
        for target in getattr(node, "targets", [getattr(node, "target", None)])
        if isinstance(target, ast.Name) and target.id == "answer"
    ]
    if not assigned:
        problems.append("it never assigns `answer` (at the top level, before the check)")
    if source.count(".check(") != 1:
        problems.append("it must check one answer, once")
    return problems


@pytest.mark.parametrize(
    "source, problems",
    [
        ("# Solution\nanswer = 2 + 2\nassert ex.sum_two.check(answer)", []),
        ("# Solution\nanswer = 2 + 2\nprint(answer)\nassert ex.sum_two.check(answer)\n", []),
        (
            "# Solution\nanswer = 2 + 2\nassert ex.sum_two.check(answer)\nprint(answer)",
            ["the last line must be 'assert ex.<exercise>.check(answer)'"],
        ),
        (
            "# Solution\nresult = 4\nassert ex.sum_two.check(answer)",
            ["it never assigns `answer` (at the top level, before the check)"],
        ),
        (
            "# Solution\nanswer = 4\nassert ex.sum_two.check(4)",
            ["the last line must be 'assert ex.<exercise>.check(answer)'"],
        ),
        (
            "# Solution\nanswer = 4\nex.other.check(answer)\nassert ex.sum_two.check(answer)",
            ["it must check one answer, once"],
        ),
    ],
)
def test_the_shape_of_a_solution_cell_is_recognised(source, problems):
    assert solution_problems(source) == problems


@pytest.mark.parametrize("set_name", SETS)
def test_every_exercise_has_one_solution_cell_that_checks_it(set_name):
    notebook = notebook_of(set_name)
    rel = notebook.relative_to(ROOT)
    cells = cells_of(notebook)
    assert any(
        f"from crmlib.exercise_sets import {set_name} as ex" in c.source for c in cells if c.cell_type == "code"
    ), f"{rel} does not import its exercise set as `ex`"
    exercises = exercises_of(set_name)
    assert exercises, f"crmlib.exercise_sets.{set_name} defines no Exercise"
    solved: dict[str, list[int]] = {}
    for i, cell in solution_cells(notebook):
        problems = solution_problems(cell.source)
        assert not problems, f"{rel}, cell {i} ({cell.id}): " + "; ".join(problems)
        name = solved_exercise(cell.source)
        solved.setdefault(name, []).append(i)
        assert (
            i > 0
            and cells[i - 1].cell_type == "code"
            and not _is_solution(cells[i - 1])
            and cells[i - 1].source.strip() == STUDENT_CHECK.format(name)
        ), (
            f"{rel}, cell {i}: the cell before the solution of {name} must be the student's {STUDENT_CHECK.format(name)!r}"
        )
        assert "nbval-skip" not in cell.tags, f"{rel}, cell {i}: a solution must run under nbval"
    strays = sorted(set(solved) - set(exercises))
    assert not strays, f"{rel}: solution cells for {strays}, which crmlib.exercise_sets.{set_name} does not define"
    unsolved = sorted(set(exercises) - set(solved))
    assert not unsolved, f"{rel}: no solution cell for {unsolved}"
    repeated = {name: cells_at for name, cells_at in solved.items() if len(cells_at) > 1}
    assert not repeated, f"{rel}: more than one solution cell for {repeated}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_solution_cell_is_an_exercise_solution_or_instructor_material(notebook):
    """A code cell tagged ``solution`` either solves an exercise of the notebook's set or is marked as the instructor's."""
    rel = notebook.relative_to(ROOT)
    set_names = [name for name in SETS if notebook_of(name) == notebook]
    exercises = exercises_of(set_names[0]) if set_names else {}
    for i, cell in enumerate(cells_of(notebook)):
        if cell.cell_type != "code" or not _is_solution(cell):
            continue
        if cell.source.startswith(INSTRUCTOR_HEADER):
            assert ".check(" not in cell.source, (
                f"{rel}, cell {i}: instructor material checks an exercise; make it a '# Solution' cell"
            )
            continue
        assert cell.source.startswith(SOLUTION_HEADER), (
            f"{rel}, cell {i}: a code cell tagged solution must start with {SOLUTION_HEADER!r} or {INSTRUCTOR_HEADER!r}"
        )
        assert solved_exercise(cell.source) in exercises, (
            f"{rel}, cell {i}: this solution belongs to no exercise of the notebook"
        )


def test_every_notebook_with_exercises_is_covered():
    """The tests above see every exercise set a notebook imports (so they cannot pass by finding none)."""
    imported = set()
    for notebook in NOTEBOOKS:
        for cell in cells_of(notebook):
            imported |= set(re.findall(r"from crmlib\.exercise_sets import (\w+) as ex", cell.source))
    assert imported and imported == set(SETS)
