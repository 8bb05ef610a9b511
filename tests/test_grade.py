"""The grader (scripts/grade.py) on a generated class: each kind of submission gets the score it deserves.

The class is built from ``01_what_is_crm.ipynb`` (four data exercises; see tests/grade_class.py)
and the mobile carrier case (two concept checks). One grading run serves every test here; it
takes about a minute on two free cores (the looping student waits out the time limit).
"""

from __future__ import annotations

import copy
import csv
import importlib
import json
import os
import shutil
import sys

import grade_class as gc
import nbformat
import numpy as np
import pandas as pd
import pytest
from script_loader import SCRIPTS

from crmlib.exercises import ExerciseError, answer_from_data, answer_to_data

sys.path.insert(0, str(SCRIPTS))
import grade  # noqa: E402  (imported by name, so its worker processes can find run_notebook)

TIME_LIMIT = 45
OVERVIEW_DATA = ["monthly_value_brand", "snowy_top10_share", "aurora_top_channel", "one_order_share"]
# The notebook's concept checks: the class hands in the notebook without them (they score 0, with a note).
OVERVIEW_CONCEPTS = [
    n for n in importlib.import_module("crmlib.exercise_sets.what_is_crm").__all__ if n not in OVERVIEW_DATA
]
OVERVIEW = OVERVIEW_DATA + OVERVIEW_CONCEPTS
CONCEPT_NOTE = f"no check cell for {', '.join(OVERVIEW_CONCEPTS)}"
CARRIER = ["leavers_misfit_share", "misfit_slip_ratio", "prompt_port_ratio", "at_risk_stage", "prompt_response"]


def _with(nb, exercise, source):
    nb = copy.deepcopy(nb)
    nb.cells[gc.answer_cell(nb, exercise)].source = source
    return nb


def _import_cell_plus(nb, code):
    nb = copy.deepcopy(nb)
    nb.cells[gc.cell_index(nb, "import matplotlib")].source += "\n" + code
    return nb


def build_class(folder, real_data):
    """Write the class; return ``{student: (points per overview exercise, per concept check, notes wanted)}``."""
    full = gc.short_overview()
    blank = copy.deepcopy(full)
    for name in OVERVIEW_DATA:
        blank.cells[gc.answer_cell(blank, name)].source = "answer = None  # your code here"
    concepts = gc.carrier_concepts()
    expected = {}

    def hand_in(student, nb, overview, concept=(0, 0), notes=(), name=gc.OVERVIEW.name):
        if nb is not None:
            gc.write(nb, folder / student, name)
        else:
            (folder / student).mkdir(parents=True)
        old = expected.get(student)
        if old:  # a second notebook of the same student
            overview = [max(a, b) for a, b in zip(old[0], overview, strict=True)]
            concept = [max(a, b) for a, b in zip(old[1], concept, strict=True)]
            notes = (*old[2], *notes)
        expected[student] = (list(overview), list(concept), tuple(notes))

    hand_in("s01_full", full, [1, 1, 1, 1])
    hand_in("s02_student_edition", gc.student_edition(full), [1, 1, 1, 1])
    hand_in("s03_blank", blank, [0, 0, 0, 0])
    partly = _with(full, "snowy_top10_share", "answer = 0.5")
    partly = _with(
        partly,
        "one_order_share",
        'answer = (members["n_orders"] == 1).groupby(members["brand_id"], observed=True).mean() * 2',
    )
    hand_in("s04_partly_right", partly, [1, 0, 1, 0])
    hand_in(
        "s05_crashing", _with(full, "snowy_top10_share", "answer = 1 / 0"), [1, 0, 1, 1], notes=["ZeroDivisionError"]
    )
    hand_in(
        "s06_looping", _with(full, "aurora_top_channel", "while True:\n    pass"), [1, 1, 0, 0], notes=["time limit"]
    )
    tampered = copy.deepcopy(blank)
    for name in OVERVIEW_DATA:
        tampered.cells[gc.answer_cell(tampered, name)].source = 'answer = "nonsense"'
    hand_in(
        "s07_tampered_check",
        _import_cell_plus(
            tampered, "for _n in ex.__all__:\n    setattr(getattr(ex, _n), 'check', lambda answer: True)"
        ),
        [0, 0, 0, 0],
    )
    hand_in(
        "s08_tampered_crmlib",
        _import_cell_plus(
            tampered,
            "import crmlib.exercises as _m\n_m.Exercise.check = lambda self, answer: True\n"
            "_m._compare = lambda *args: None\n_m.Exercise.judge = classmethod(lambda *a: None)",
        ),
        [0, 0, 0, 0],
    )
    deleted = copy.deepcopy(full)
    del deleted.cells[gc.answer_cell(deleted, "snowy_top10_share") + 1]
    hand_in("s09_deleted_cell", deleted, [1, 0, 1, 1], notes=["no check cell for snowy_top10_share"])
    reordered = copy.deepcopy(full)
    blocks = [reordered.cells[gc.answer_cell(reordered, n) : gc.answer_cell(reordered, n) + 2] for n in OVERVIEW_DATA]
    first = gc.answer_cell(reordered, OVERVIEW[0])
    reordered.cells = reordered.cells[:first] + [c for b in reversed(blocks) for c in b]
    hand_in("s10_reordered_cells", reordered, [1, 1, 1, 1])
    renamed = copy.deepcopy(full)
    i = gc.answer_cell(renamed, "monthly_value_brand")
    renamed.cells[i].source = renamed.cells[i].source.replace("answer =", "brand =")
    renamed.cells[i + 1].source = "ex.monthly_value_brand.check(brand)"
    hand_in("s11_renamed_variable", renamed, [1, 1, 1, 1])
    (folder / "s12_corrupt_json").mkdir()
    text = gc.OVERVIEW.read_text(encoding="utf-8")
    (folder / "s12_corrupt_json" / gc.OVERVIEW.name).write_text(text[: len(text) // 2], encoding="utf-8")
    expected["s12_corrupt_json"] = ([0, 0, 0, 0], [0, 0], ("not a readable notebook",))
    hand_in(
        "s13_wrong_chapter",
        concepts,
        [0, 0, 0, 0],
        notes=["does not have: at_risk_stage, prompt_response", "no check cell for monthly_value_brand"],
    )
    target = real_data / "tea" / "orders.csv"
    wrote = copy.deepcopy(full)
    wrote.cells.append(
        nbformat.v4.new_code_cell(
            "from crmlib.datasets import data_dir\n"
            "(data_dir() / 'tea' / 'orders.csv').write_text('mine')\n"  # the kernel's own copy: allowed
            f"open({str(target)!r}, 'w').write('gone')"
        )
    )
    wrote.cells.append(nbformat.v4.new_code_cell(f"import os\nos.system('echo gone > {target}')"))
    wrote.cells.append(nbformat.v4.new_code_cell("import socket\nsocket.create_connection(('93.184.216.34', 80), 2)"))
    hand_in(
        "s14_wrote_data_and_network",
        wrote,
        [1, 1, 1, 1],
        notes=["PermissionError", "starting other programs", "network access blocked"],
    )
    numpy_types = _with(
        full,
        "snowy_top10_share",  # not rounded, and a numpy number
        "import numpy as np\nsnowy = orders[orders['brand_id'] == 'T3']\nanswer = np.float64("
        "identify.top_share(snowy, 0.1, customer='member_id', amount='net_amount'))",
    )
    hand_in("s15_numpy_types", numpy_types, [1, 1, 1, 1])
    hand_in("s16_huge_answer", _with(full, "aurora_top_channel", "answer = list(range(400_000))"), [1, 1, 0, 1])
    hand_in("s17_unserialisable", _with(full, "monthly_value_brand", "answer = lambda: 'T1'"), [0, 1, 1, 1])
    hand_in(
        "s18_silenced_output",
        _import_cell_plus(full, "import os, sys\nsys.stdout = open(os.devnull, 'w')"),
        [1, 1, 1, 1],
    )
    hand_in("s19_duplicates", full, [1, 1, 1, 1], notes=["handed in twice", "not a course notebook"])
    gc.write(blank, folder / "s19_duplicates" / "old")
    gc.write(blank, folder / "s19_duplicates", "my_notes.ipynb")
    hand_in("s20_empty", None, [0, 0, 0, 0], notes=["no course notebook"])
    data_exercises = "no check cell for leavers_misfit_share, misfit_slip_ratio, prompt_port_ratio"
    hand_in("s21_concepts_right", concepts, [0, 0, 0, 0], [1, 1], notes=[data_exercises], name=gc.CARRIER.name)
    wrong_letter = copy.deepcopy(concepts)
    i = gc.answer_cell(wrong_letter, "at_risk_stage")
    right = wrong_letter.cells[i].source.split('"')[1]
    wrong_letter.cells[i].source = f'answer = "{"A" if right != "A" else "B"}"'
    hand_in(
        "s22_concepts_partly",
        gc.student_edition(wrong_letter),
        [0, 0, 0, 0],
        [0, 1],
        notes=[data_exercises],
        name=gc.CARRIER.name,
    )
    exits = copy.deepcopy(full)
    exits.cells.insert(gc.answer_cell(exits, "snowy_top10_share"), nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    hand_in("s23_kernel_exit", exits, [1, 0, 0, 0], notes=["kernel died"])
    hand_in("s24_two_notebooks", full, [1, 1, 1, 1])
    hand_in("s24_two_notebooks", concepts, [0, 0, 0, 0], [1, 1], notes=[data_exercises], name=gc.CARRIER.name)
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("grade")
    from crmlib.datasets import data_dir

    real_data = tmp / "datasets"  # the grader's "real" data folder, so the class can try to write to it
    shutil.copytree(data_dir(), real_data)
    expected = build_class(tmp / "submissions", real_data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRMLIB_DATA", str(real_data))
        rows = grade.grade(tmp / "submissions", tmp / "grades", time_limit=TIME_LIMIT, jobs=2, log=lambda *a: None)
    return {
        "rows": {r["student"]: r for r in rows},
        "expected": expected,
        "grades": tmp / "grades",
        "real_data": real_data,
    }


def test_the_class_has_every_kind_of_submission(graded):
    assert len(graded["expected"]) >= 20


def test_every_student_gets_the_expected_points(graded):
    with open(graded["grades"] / "grades.csv", encoding="utf-8", newline="") as f:
        table = {r["student"]: r for r in csv.DictReader(f)}
    header = list(next(iter(table.values())))
    assert header == [
        "student",
        *(f"mobile_carrier:{n}" for n in CARRIER),
        *(f"01_what_is_crm:{n}" for n in OVERVIEW),
        "total",
        "notes",
    ]
    assert sorted(table) == sorted(graded["expected"])
    for student, (overview, concept, notes) in graded["expected"].items():
        row = table[student]
        got_overview = [int(row[f"01_what_is_crm:{n}"]) for n in OVERVIEW]
        got_carrier = [int(row[f"mobile_carrier:{n}"]) for n in CARRIER]
        assert got_overview[len(OVERVIEW_DATA) :] == [0] * len(OVERVIEW_CONCEPTS), student
        assert (student, got_overview[: len(OVERVIEW_DATA)], got_carrier) == (student, overview, [0, 0, 0, *concept])
        assert int(row["total"]) == sum(overview) + sum(concept), student
        for note in notes:
            assert note in row["notes"], (student, row["notes"])
        if not notes:
            other = [n for n in row["notes"].split("; ") if n and not n.endswith(CONCEPT_NOTE)]
            assert other == [], (student, row["notes"])


def test_a_student_cannot_change_the_real_data(graded):
    assert grade.manifest_problems(graded["real_data"]) == []
    assert "the data folder changed" not in graded["rows"]["s14_wrote_data_and_network"]["notes"]


def test_feedback_says_right_or_wrong_with_hints_and_never_the_expected_answer(graded):
    from crmlib.exercise_sets import what_is_crm

    brand = what_is_crm.monthly_value_brand.expected
    channel = what_is_crm.aurora_top_channel.expected
    blank = (graded["grades"] / "feedback" / "s03_blank.md").read_text(encoding="utf-8")
    assert f"Points: **0 of {len(OVERVIEW)}**" in blank
    assert blank.count(": wrong (0 of 1)") == len(OVERVIEW)  # the 4 answered wrong, the 7 not handed in
    assert what_is_crm.monthly_value_brand.hints[0] in blank
    partly = (graded["grades"] / "feedback" / "s04_partly_right.md").read_text(encoding="utf-8")
    assert f"Points: **2 of {len(OVERVIEW)}**" in partly
    assert "### `snowy_top10_share`: wrong (0 of 1)" in partly
    assert "too high" in partly  # the check's own feedback on 0.5
    assert "### `monthly_value_brand`: right (1 of 1)" in partly
    for student in ("s03_blank", "s07_tampered_check", "s08_tampered_crmlib", "s17_unserialisable"):
        text = (graded["grades"] / "feedback" / f"{student}.md").read_text(encoding="utf-8")
        sections = {part.split("`")[0]: part for part in text.split("### `")[1:]}
        assert brand not in sections["monthly_value_brand"], student
        assert channel not in sections["aurora_top_channel"], student
    both = (graded["grades"] / "feedback" / "s24_two_notebooks.md").read_text(encoding="utf-8")
    assert f"Points: **6 of {len(OVERVIEW) + len(CARRIER)}**" in both


def test_answers_travel_as_plain_data():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", None]}, index=pd.Index(["p", "q"], name="k"))
    for value in (3, 2.5, "T1", True, [1, "a"], {"A": 2}, {"x", "y"}, frame, frame["a"]):
        back = answer_from_data(json.loads(json.dumps(answer_to_data(value))))
        if isinstance(value, (pd.DataFrame, pd.Series)):
            assert back.equals(value)
        else:
            assert back == value
    assert answer_from_data(answer_to_data(np.array([1.5, 2.5]))) == [1.5, 2.5]
    with pytest.raises(ExerciseError):
        answer_to_data(lambda: 1)
    for damaged in ({"$": "frame"}, {"$": "dict", "v": [[[1], 2]]}, {"$": "what"}, {"no": "tag"}):
        with pytest.raises(ExerciseError):
            answer_from_data(damaged)


def test_check_cells_are_found_by_their_text():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("answer = 1"),
            nbformat.v4.new_code_cell("ex.one.check(answer)"),
            nbformat.v4.new_code_cell("# Solution\nanswer = 1\nassert ex.one.check(answer)"),
            nbformat.v4.new_code_cell("x = 2\nex.two.check( x )  # mine"),
        ]
    )
    assert grade.check_cells(nb) == {1: [("one", "answer")], 3: [("two", "x")]}


def test_restore_undoes_changes_to_the_data_folder(tmp_path):
    real, pristine = tmp_path / "real", tmp_path / "pristine"
    (pristine / "tea").mkdir(parents=True)
    (pristine / "tea" / "a.csv").write_text("1\n")
    (pristine / "tea" / "b.csv").write_text("2\n")
    shutil.copytree(pristine, real)
    state = grade.folder_state(real)
    assert grade.restore(real, pristine, state) == []
    (real / "tea" / "a.csv").write_text("changed, and longer\n")
    (real / "tea" / "b.csv").unlink()
    (real / "new.txt").write_text("x")
    assert grade.restore(real, pristine, state) == ["new.txt", "tea/a.csv", "tea/b.csv"]
    assert grade.folder_state(real).keys() == state.keys()
    assert (real / "tea" / "a.csv").read_text() == "1\n" and (real / "tea" / "b.csv").read_text() == "2\n"


GUARDED = """
import os, pathlib, shutil, subprocess, sys
own, protected = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def attempt(action):
    try:
        action()
        return "done"
    except PermissionError:
        return "refused"
print(attempt(lambda: (own / "mine.txt").write_text("ok")),
      attempt(lambda: open(protected / "data.csv", "a").write("x")),
      attempt(lambda: (protected / "new.csv").write_text("x")),
      attempt(lambda: os.close(os.open(protected / "data.csv", os.O_WRONLY))),
      attempt(lambda: os.remove(protected / "data.csv")),
      attempt(lambda: os.rename(own / "mine.txt", protected / "moved.txt")),
      attempt(lambda: (protected / "data.csv").read_text()),
      attempt(lambda: shutil.copy(protected / "data.csv", own / "copy.csv")),
      attempt(lambda: shutil.copy(own / "copy.csv", protected / "copy.csv")),
      attempt(lambda: subprocess.run(["true"])),
      attempt(lambda: os.system("true")))
"""


def test_the_kernel_guard_refuses_writes_to_protected_folders_and_new_programs(tmp_path):
    import subprocess

    protected, site = tmp_path / "protected", tmp_path / "site"
    own = protected / "jobs" / "mine"  # a notebook's own folder may sit inside a protected one
    own.mkdir(parents=True)
    site.mkdir()
    (protected / "data.csv").write_text("1\n")
    grade.write_kernel_site(site)
    env = {**os.environ, "PYTHONPATH": str(site), "CRM_GRADE_PROTECT": str(protected), "CRM_GRADE_OWN": str(own)}
    out = subprocess.run(
        [sys.executable, "-c", GUARDED, str(own), str(protected)], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "done",
        "refused",
        "refused",
        "refused",
        "refused",
        "refused",
        "done",
        "done",
        "refused",
        "refused",
        "refused",
    ]
    assert (protected / "data.csv").read_text() == "1\n" and not (protected / "new.csv").exists()
