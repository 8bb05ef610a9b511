"""scripts/make_student.py: the student edition hides every solution and still runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from script_loader import load_script, load_sealed

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_student.py"
# Three notebooks run top to bottom: the primer (a cell that fails on purpose), a chapter notebook
# and a case study with markdown solutions.
RUN = [
    "notebooks/00_overview/00_start_here.ipynb",
    "notebooks/00_overview/01_what_is_crm.ipynb",
    "casestudies/platform_exclusivity/platform_exclusivity.ipynb",
]

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
    assert (student / "casestudies" / "tea_chains" / "README.md").read_bytes() == (
        ROOT / "casestudies" / "tea_chains" / "README.md"
    ).read_bytes()


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
                assert line not in text and json.dumps(line, ensure_ascii=False)[1:-1] not in raw, (
                    f"{rel}: {line!r} leaked"
                )
                checked += 1
    assert checked >= 100


def test_placeholders_replace_solutions_and_everything_else_is_unchanged(student):
    for rel, original, copy in _pairs(student):
        assert len(copy.cells) == len(original.cells), rel
        assert copy.metadata == original.metadata and copy.nbformat_minor == original.nbformat_minor, rel
        for before, after in zip(original.cells, copy.cells, strict=True):
            assert after.get("id") == before.get("id") and after.cell_type == before.cell_type, rel
            if make_student.is_solution(before):
                expected = (
                    make_student.CODE_PLACEHOLDER if before.cell_type == "code" else make_student.MARKDOWN_PLACEHOLDER
                )
                assert after.source == expected, rel
            else:
                if before.cell_type == "code":
                    sealed = make_student.EXERCISE_IMPORT.sub(r"from exercise_checks import \1 as ex", before.source)
                    before = nbformat.from_dict({**before, "outputs": [], "execution_count": None, "source": sealed})
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
    # as on a hub whose crmlib has no exercise_sets: importing it fails, so the edition must not need it
    nb.cells.insert(0, nbformat.v4.new_code_cell("import sys\nsys.modules['crmlib.exercise_sets'] = None"))
    NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"
    )
    assert "replace `...` or None with your computation" in printed  # the friendly message of a check on None
    failed = [c for c in nb.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
    assert all("raises-exception" in c.metadata.get("tags", []) for c in failed)  # only where an error is taught
    assert any("from exercise_checks import" in c.source for c in nb.cells)  # it did import its (sealed) set


def test_an_instructor_notebook_needs_crmlib_exercise_sets(tmp_path):
    """The counter-test of the one above: blocking crmlib.exercise_sets does stop an unsealed notebook."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import sys\nsys.modules['crmlib.exercise_sets'] = None"),
            nbformat.v4.new_code_cell("from crmlib.exercise_sets import what_is_crm as ex"),
        ]
    )
    with pytest.raises(CellExecutionError, match="ModuleNotFoundError|ImportError"):
        NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()


# ---------------------------------------------------------------------------------------------
# no answer leaks: the exercises of the student edition are sealed
# ---------------------------------------------------------------------------------------------
import importlib  # noqa: E402
import pydoc  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from crmlib.concepts import ConceptCheck, MultipleChoice, PutInOrder, SingleChoice  # noqa: E402
from crmlib.exercises import Exercise, ExerciseError, SealedExercise, seal  # noqa: E402

SETS = sorted(p.stem for p in (ROOT / "crmlib" / "exercise_sets").glob("*.py") if p.stem != "__init__")


def _original_exercises(set_name: str) -> dict[str, Exercise]:
    module = importlib.import_module(f"crmlib.exercise_sets.{set_name}")
    return {n: getattr(module, n) for n in module.__all__ if isinstance(getattr(module, n), Exercise)}


def _expected_cells(ex: Exercise) -> list:
    """What to look for of an exercise's expected answer: its values, or a concept check's answer as written."""
    if isinstance(ex, ConceptCheck):  # letters: "B", "A C", "B C A", "A2 B3 C1"
        answer = ex.expected
        letters = answer.items() if isinstance(answer, dict) else [(x, "") for x in answer]
        return [" ".join(f"{x}{n}" for x, n in letters), ex.secret()["explanation"]]
    return _cells(ex.expected)


def _cells(value) -> list:
    if isinstance(value, pd.DataFrame):
        return [v for column in value.columns for v in value[column].tolist()]
    if isinstance(value, (pd.Series, pd.Index, list, tuple, set, frozenset, np.ndarray)):
        return list(value)
    return [value]


def _forms(value) -> set[str]:
    """The texts that would show an expected value: only distinctive ones (3+ significant characters)."""
    if isinstance(value, str):
        return {value} if len(value) >= 4 else set()
    if isinstance(value, (bool, np.bool_)) or value is None or pd.isna(value):
        return set()
    number = float(value)
    forms = {repr(value), f"{number:.6g}", f"{number:.4f}", f"{number:.3f}", f"{number:.2f}"}
    if isinstance(value, (int, np.integer)):
        forms = {str(int(value))}
    return {f for f in forms if len(f.replace("-", "").replace(".", "").lstrip("0")) >= 3}


def _shows(form: str, text: str) -> bool:
    return re.search(r"(?<![\w.])" + re.escape(form) + r"(?![\w])", text) is not None


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[str, Exercise]]:
    """Every exercise of every set, with its expected answer computed from the data (as the build did)."""
    return {name: _original_exercises(name) for name in SETS}


@pytest.fixture(scope="module")
def public_text(answers) -> str:
    """What is public anyway: the instructor notebooks' non-solution cells, the other files copied as
    they are (case READMEs), the questions and the hints."""
    parts = []
    for rel in make_student.source_files(ROOT):
        if rel.suffix == ".ipynb" and (ROOT / rel).exists():
            nb = nbformat.read(ROOT / rel, as_version=4)
            parts += [c.source for c in nb.cells if not make_student.is_solution(c)]
        elif rel.suffix == ".md" and (ROOT / rel).exists():
            parts.append((ROOT / rel).read_text(encoding="utf-8"))
    for exercises in answers.values():
        for ex in exercises.values():
            parts += [ex.question, *ex.hints]
    return "\n".join(parts)


def test_every_exercise_set_is_sealed_next_to_its_notebook(student):
    sealed = sorted(p.stem for p in student.glob("**/exercise_checks/*.py") if p.stem != "__init__")
    assert sorted(set(sealed)) == SETS
    for path in student.rglob("*.py"):
        assert "crmlib.exercise_sets" not in path.read_text(encoding="utf-8").replace(
            "built from\ncrmlib.exercise_sets.", ""
        ), path  # the docstring names its source
    for path in student.rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert not [c for c in nb.cells if c.cell_type == "code" and "exercise_sets" in c.source], path
    nb = nbformat.read(student / "notebooks/00_overview/01_what_is_crm.ipynb", as_version=4)
    assert any("from exercise_checks import what_is_crm as ex" in c.source for c in nb.cells)


def test_no_file_of_the_student_edition_shows_an_expected_answer(student, answers, public_text):
    files = [p for p in student.rglob("*") if p.is_file() and p.suffix in (".py", ".ipynb", ".md")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    searched = 0
    for set_name, exercises in answers.items():
        for name, ex in exercises.items():
            for value in _expected_cells(ex):
                for form in _forms(value) - {f for f in _forms(value) if _shows(f, public_text)}:
                    searched += 1
                    assert not _shows(form, text), f"{set_name}.{name}: expected {form!r} is in the student edition"
    assert searched >= 150  # the test looked for many answers, not none


def test_sealed_exercises_offer_no_answer(student, answers, public_text):
    for set_name, exercises in answers.items():
        module = load_sealed(student, set_name)
        assert sorted(module.__all__) == sorted(exercises)
        assert not [n for n in vars(module) if not n.startswith("__") and n not in (*exercises, "SealedExercise")]
        for name, ex in exercises.items():
            sealed = getattr(module, name)
            assert isinstance(sealed, SealedExercise)
            for attribute in ("expected", "solution", "_answer", "_expected", "answer", "secret", "__dict__"):
                assert not hasattr(sealed, attribute), f"{set_name}.{name}.{attribute}"
            assert "expected" not in dir(sealed) and "solution" not in dir(sealed)
            assert sealed.question == ex.question and sealed.points == ex.points
            page = pydoc.render_doc(sealed, renderer=pydoc.plaintext)
            page += pydoc.render_doc(module, renderer=pydoc.plaintext)
            page = page.replace(str(student), "<edition>")  # the temporary path may hold any digits
            for value in _expected_cells(ex):
                for form in _forms(value):
                    if not _shows(form, public_text):
                        assert not _shows(form, page), f"help() of {set_name}.{name} shows {form!r}"


def _wrong_answer(ex: Exercise):
    """A wrong answer of the right form: for a concept check, other letters (each pair or class moved one on)."""
    if not isinstance(ex, ConceptCheck):
        return _wrong(ex.expected)
    letters = [chr(ord("A") + i) for i in range(len(ex.choices))]
    if isinstance(ex, SingleChoice):
        return next(x for x in letters if x != ex.expected)
    if isinstance(ex, MultipleChoice):
        return letters if ex.expected != letters else letters[:1]
    if isinstance(ex, PutInOrder):
        return ex.expected[::-1]
    n = len(getattr(ex, "targets", getattr(ex, "classes", ())))
    return {x: number % n + 1 for x, number in ex.expected.items()}


def _wrong(value):
    """A wrong answer of the right type: numbers 37% higher, texts replaced (also inside a list)."""
    if isinstance(value, (bool, np.bool_)):
        return not value
    if isinstance(value, (int, float, np.number)):
        return float(value) * 1.37 + 0.011
    if isinstance(value, str):
        return "not this one"
    if isinstance(value, pd.Series):
        return value * 1.37 + 0.011 if pd.api.types.is_numeric_dtype(value) else value.map(lambda v: "not this one")
    if isinstance(value, pd.DataFrame):
        return value.apply(lambda c: c * 1.37 + 0.011 if pd.api.types.is_numeric_dtype(c) else c)
    if isinstance(value, (list, tuple)):
        return [_wrong(v) for v in value]
    raise AssertionError(f"no wrong answer for {type(value).__name__}")


def test_sealed_checks_pass_right_answers_and_hide_the_answer_in_feedback(student, answers, capsys):
    checked = 0
    for set_name, exercises in answers.items():
        module = load_sealed(student, set_name)
        for name, ex in exercises.items():
            sealed = getattr(module, name)
            assert sealed.check(ex.expected), f"{set_name}.{name}: the right answer fails the sealed check"
            wrong = sealed.check(_wrong_answer(ex))
            assert not wrong, f"{set_name}.{name}"
            for value in _expected_cells(ex):
                for form in _forms(value):
                    assert not _shows(form, wrong.message), f"{set_name}.{name}: {wrong.message!r} shows {form!r}"
            checked += 1
    assert checked == sum(map(len, answers.values())) >= 100


def test_a_sealed_concept_check_hides_its_feedback_too(capsys):
    from crmlib.concepts import MultipleChoice

    q = MultipleChoice(
        "Which are traits of a loyal customer?",
        choices=["buys again", "complains", "recommends"],
        answer="A C",
        feedback={"B": "Complaints say little about loyalty."},
        explanation="Loyal customers come back and bring others.",
        hint="Think of a regular.",
    )
    kind, public, sealed_text = seal(q)
    sealed = SealedExercise(kind, public, sealed_text)
    assert sealed.choices == q.choices and "say little" not in sealed_text and "bring others" not in sealed_text
    assert sealed.check("A C") and not sealed.check("A B")
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "✗ Not yet: 1 letter of yours is wrong and 1 right option is missing.",
        "  B: Complaints say little about loyalty.",
    ]
    assert repr(sealed) == "MultipleChoice('Which are traits of a loyal customer?')"
    assert "<b>C.</b> recommends" in sealed._repr_html_()
    damaged = SealedExercise(kind, public, sealed_text[:-2] + "BB")
    with pytest.raises(ExerciseError, match="is damaged"):
        damaged.check("A")


def test_sealing_keeps_every_kind_of_expected_value():
    values = [
        3,
        0.25,
        float("nan"),
        "Aurora Leaf",
        True,
        [1, "a"],
        ("x", 2.5),
        {"A", "B"},
        {"A": 2},
        pd.Series([0.1, None], index=pd.CategoricalIndex(["T1", "T2"], name="brand_id"), name="share"),
        pd.Series([1, 2], index=pd.Index(["a", "b"], name="k")),
        pd.DataFrame({"n": [1, 2], "share": [0.5, 0.25], "tier": ["gold", "silver"]}),
        pd.Series(pd.to_datetime(["2024-01-02", "2025-03-04"]), index=[3, 4]),
    ]
    for value in values:
        kind, public, sealed_text = seal(Exercise("keep it", answer=value))
        opened = SealedExercise(kind, public, sealed_text)
        assert opened.check(value), value
