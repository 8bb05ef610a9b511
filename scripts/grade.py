#!/usr/bin/env python3
"""Grade a class: run every student's notebooks and score their exercises and concept checks.

    python scripts/grade.py SUBMISSIONS GRADES [--time-limit 300] [--jobs 2] [--language zh]

``SUBMISSIONS`` holds one folder per student, named by the student id, with that student's
notebooks named as in the course (any subset, in any sub-folder). The grader writes
``GRADES/grades.csv`` (the student id, one column ``<notebook>:<exercise>`` per exercise with
the points earned, ``total`` and ``notes``) and ``GRADES/feedback/<student id>.md`` (each item
right or wrong, the check's feedback and the first hint; never the expected answer).
``--language zh`` writes the feedback in Chinese: the exercises' own text (question, hint,
concept-check feedback) from their translations (``crmlib.exercises.localized``), the checks'
messages from crmlib's catalogue, and the few lines of the report itself from ``FRAME`` below.

How a notebook is graded, and why a student cannot fake a pass:

* The notebook's exercise set comes from the course notebook of the same file name, not from
  what the submitted file imports. The expected answers are computed in this process, from the
  shipped data checked against ``datasets/MANIFEST``, before any student code runs.
* Each notebook runs in a fresh kernel (nbclient) in its own temporary folder, with its own copy
  of the data (``CRMLIB_DATA``), the network blocked (``ci/offline``), writing into the course
  folders, the data, the submissions and the grades refused (an audit hook), and a time limit
  for the whole notebook. Cells run one by one; a cell that fails is noted and the run goes on.
* Just before each check cell (a line ``ex.<name>.check(answer)``, found by its text, so cells
  may be moved, renamed or deleted), the grader asks the kernel for the value of ``answer`` as
  plain JSON data (``crmlib.exercises.answer_to_data``: numbers, text, lists, dicts, Series and
  DataFrames; never pickle) and judges it here against the expected answer. Nothing the kernel
  says about correctness counts, so a redefined ``check`` or a monkeypatched crmlib changes
  nothing. If an exercise has several check cells, the last one counts.
* After each notebook the data folder is compared with its snapshot; a change is undone and noted.

Needs nbclient, nbformat and ipykernel (all in ``.[test]``) and crmlib.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_student  # noqa: E402  (the student edition: how its notebooks import their sealed sets)

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = ROOT / "ci" / "offline" / "sitecustomize.py"
CHECK_LINE = re.compile(r"^[ \t]*ex\.(\w+)\.check\(\s*([A-Za-z_]\w*)\s*\)[ \t]*;?[ \t]*(?:#.*)?$", re.MULTILINE)
MIME = "text/x-crm-grade"
STUDENT_IMPORT = re.compile(r"^from exercise_checks import (\w+) as ex$", re.MULTILINE)
MAX_ANSWER_BYTES = 2_000_000
TIME_LIMIT = 300  # seconds per notebook
JOBS = 2
# The lines of a feedback report, by language (English is the key itself).
FRAME = {
    "zh": {
        "Feedback for {student}": "{student} 的反馈",
        "Points: **{earned} of {possible}**": "得分：**{earned} / {possible}**",
        "right": "正确",
        "wrong": "错误",
        "{earned} of {points}": "{earned} / {points}",
        "Hint: {hint}": "提示：{hint}",
        " (more in the notebook: `ex.{name}.hint(2)`)": "（笔记本里还有：`ex.{name}.hint(2)`）",
        "Notes": "备注",
        "Not answered: the notebook has no check cell for it, or the run stopped before it.": (
            "未作答：笔记本里没有这道题的检查单元格，或者运行在它之前就停止了。"
        ),
        "There is no variable `{name}` when the check cell runs.": "运行检查单元格时，没有变量 `{name}`。",
        "Your answer could not be graded: {reason}.": "无法评分你的答案：{reason}。",
        "You answered with None — {what}": "你的答案是 None——{what}",
        "Your answer could not be compared with the expected one ({error}).": "你的答案无法和预期答案比较（{error}）。",
    }
}


def say(text: str, **values) -> str:
    """A line of the report in the language crmlib speaks (``crmlib.set_language``), filled in."""
    from crmlib.messages import get_language

    return FRAME.get(get_language(), {}).get(text, text).format(**values)


# --- the course: which notebooks have exercises ---------------------------------------------------
def course_notebooks(root: Path = ROOT) -> dict[str, tuple[str, str]]:
    """``{file name: (path relative to root, exercise set)}`` for every course notebook with an exercise set."""
    found: dict[str, tuple[str, str]] = {}
    for folder in make_student.SOURCES:
        for path in sorted((root / folder).rglob("*.ipynb")):
            if make_student.SKIP_PARTS & set(path.parts):
                continue
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            sets = [
                s
                for c in cells
                if c.get("cell_type") == "code"
                for s in make_student.EXERCISE_IMPORT.findall("".join(c.get("source", "")))
            ]
            if sets:
                if path.name in found:
                    raise SystemExit(f"Two course notebooks are named {path.name}; the grader matches by file name.")
                found[path.name] = (path.relative_to(root).as_posix(), sets[0])
    return found


def exercises_of(set_name: str) -> dict:
    """``{name: Exercise}`` of a set, in the order of its ``__all__``."""
    import importlib

    from crmlib.exercises import Exercise

    module = importlib.import_module(f"crmlib.exercise_sets.{set_name}")
    return {n: getattr(module, n) for n in module.__all__ if isinstance(getattr(module, n), Exercise)}


def column(notebook_file: str, exercise: str) -> str:
    return f"{Path(notebook_file).stem}:{exercise}"


# --- the data: a pristine snapshot and a check that nothing changed it -------------------------------
def manifest_problems(folder: Path) -> list[str]:
    """The files of ``folder`` that are missing or differ from their checksum in ``folder/MANIFEST``."""
    manifest = folder / "MANIFEST"
    if not manifest.is_file():
        return [f"{manifest} is missing"]
    problems = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            path = folder / rel.lstrip("*")
            if not path.is_file():
                problems.append(f"{rel} is missing")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                problems.append(f"{rel} differs from its checksum")
    return problems


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time (cheap to compare)."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def restore(folder: Path, pristine: Path, state: dict) -> list[str]:
    """Make ``folder`` equal to ``pristine`` again if its files changed; return the files restored."""
    now = folder_state(folder)
    changed = sorted(set(now) ^ set(state) | {k for k in now if k in state and now[k] != state[k]})
    for rel in changed:
        path, source = folder / rel, pristine / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        if source.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path)
    return changed


# --- the kernel side -------------------------------------------------------------------------
# sitecustomize.py for the student's kernel: the offline guard, then an audit hook that refuses
# to write under the protected folders (CRM_GRADE_PROTECT, separated by os.pathsep; the notebook's
# own temporary folder CRM_GRADE_OWN excepted) or to start
# other programs (a shell could write there unseen).
KERNEL_SITECUSTOMIZE = """\
import os, sys
exec(compile(open({offline!r}, encoding="utf-8").read(), {offline!r}, "exec"))
_PROTECTED = tuple(os.path.realpath(p) for p in os.environ.get("CRM_GRADE_PROTECT", "").split(os.pathsep) if p)
_OWN = os.path.realpath(os.environ.get("CRM_GRADE_OWN", "/nonexistent"))
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {{"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate", "os.chmod", "os.chown",
            "os.link", "os.symlink", "os.utime", "shutil.rmtree", "shutil.move"}}
_COPIES = {{"shutil.copyfile", "shutil.copytree"}}

def _protected(path):
    if isinstance(path, int):
        return False
    try:
        real = os.path.realpath(os.fsdecode(path))
    except Exception:
        return False
    if real == _OWN or real.startswith(_OWN + os.sep):
        return False
    return any(real == p or real.startswith(p + os.sep) for p in _PROTECTED)

_PROCESSES = {{"subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.fork",
              "os.forkpty", "pty.spawn"}}

def _crm_grade_guard(event, args):
    if event in _PROCESSES:
        raise PermissionError("The grader runs notebooks without starting other programs.")
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE)
        paths = [path] if writing else []
    elif event in _COPIES:
        paths = list(args[1:2])  # copying from the protected folders is fine, into them is not
    elif event in _CHANGES:
        paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
    else:
        return
    if any(_protected(p) for p in paths):
        raise PermissionError("The grader does not let a notebook change the course, its data or "
                              "the submissions; work on copies in your own folder.")

sys.addaudithook(_crm_grade_guard)
"""

CAPTURE = """\
def _crm_grade_capture():
    try:
        value = {variable}
    except NameError:
        return {{"missing": {variable!r}}}
    try:
        from crmlib.exercises import answer_to_data
        return {{"value": answer_to_data(value)}}
    except Exception as err:
        return {{"unreadable": f"{{type(err).__name__}}: {{err}}"[:200]}}
__import__("IPython").display.publish_display_data(
    {{{mime!r}: __import__("json").dumps(_crm_grade_capture())}})
del _crm_grade_capture
"""


def write_kernel_site(folder: Path) -> Path:
    """Write the kernels' ``sitecustomize.py`` into ``folder`` (put it first on their PYTHONPATH)."""
    path = Path(folder) / "sitecustomize.py"
    path.write_text(KERNEL_SITECUSTOMIZE.format(offline=str(OFFLINE)), encoding="utf-8")
    return path


def check_cells(nb) -> dict[int, list[tuple[str, str]]]:
    """``{cell index: [(exercise, variable)]}`` of the code cells with a line ``ex.<exercise>.check(<variable>)``."""
    return {
        i: CHECK_LINE.findall(cell.source)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and CHECK_LINE.search(cell.source)
    }


def _captured(outputs) -> dict:
    for output in outputs:
        if output.get("output_type") == "display_data" and MIME in output.get("data", {}):
            text = output["data"][MIME]
            if len(text) > MAX_ANSWER_BYTES:
                return {"unreadable": "the answer is too large to grade"}
            try:
                return json.loads(text)
            except ValueError:
                return {"unreadable": "the answer could not be read"}
    return {"unreadable": "the kernel did not report the answer"}


def _short_error(outputs) -> str:
    for output in outputs:
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {str(output.get('evalue', ''))[:120]}"
    return "an error"


def run_notebook(job: dict) -> dict:
    """Run one submitted notebook in a fresh kernel; return ``{"answers": {name: captured}, "notes": [...]}``.

    Runs in a worker process. ``captured`` is ``{"value": data}``, ``{"missing": variable}`` (the
    variable the check cell names does not exist) or ``{"unreadable": why}``; an exercise without a
    check cell, or whose check cell was not reached, is not in ``answers``.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    notes: list[str] = []
    answers: dict[str, dict] = {}
    try:
        nb = nbformat.read(job["path"], as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
        for cell in nb.cells:
            cell.setdefault("metadata", {})
            if cell.get("cell_type") == "code":
                cell["outputs"] = []
                if not isinstance(cell.get("source"), str):
                    raise ValueError("a cell without source")
    except Exception as err:  # not JSON, not a notebook, cut short
        return {"answers": {}, "notes": [f"the file is not a readable notebook ({type(err).__name__})"]}
    exercises = set(job["exercises"])
    checks = check_cells(nb)
    unknown = sorted({n for found in checks.values() for n, _ in found} - exercises)
    if unknown:
        notes.append(
            f"check cells for exercises this notebook does not have: {', '.join(unknown)} "
            "(is it another chapter's notebook?)"
        )
    absent = [n for n in job["exercises"] if n not in {n for found in checks.values() for n, _ in found}]
    if absent:
        notes.append(f"no check cell for {', '.join(absent)}")
    before = {i: [(n, v) for n, v in found if n in exercises] for i, found in checks.items()}
    before = {i: found for i, found in before.items() if found}

    with tempfile.TemporaryDirectory(prefix="crm-grade-", dir=job["jobs_root"]) as tmp:
        tmp = Path(tmp)
        work, site, data = tmp / "work", tmp / "site", tmp / "data"
        work.mkdir()
        site.mkdir()
        shutil.copytree(job["data"], data)
        write_kernel_site(site)
        if job.get("sealed"):
            package = work / make_student.CHECKS_PACKAGE
            package.mkdir()
            (package / "__init__.py").write_text("", encoding="utf-8")
            (package / f"{job['set']}.py").write_text(job["sealed"], encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_", "PYTHON"))}
        env.update(
            PYTHONPATH=str(site),
            CRMLIB_OFFLINE="1",
            CRMLIB_DATA=str(data),
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONNOUSERSITE="1",
            MPLBACKEND="agg",
            IPYTHONDIR=str(tmp / "ipython"),
            CRM_GRADE_PROTECT=os.pathsep.join(job["protect"]),
            CRM_GRADE_OWN=str(tmp),
        )
        deadline = time.monotonic() + job["time_limit"]
        client = NotebookClient(
            nb,
            timeout=job["time_limit"],
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(work)}},
            record_timing=False,
            shutdown_kernel="immediate",
        )
        failed = 0
        try:
            with client.setup_kernel(env=env, cwd=str(work), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    for step in ("capture", "cell") if index in before else ("cell",):
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            raise CellTimeoutError("time limit")
                        client.timeout = max(1, int(remaining + 0.999))
                        if step == "capture":
                            for name, variable in before[index]:
                                probe = nbformat.v4.new_code_cell(CAPTURE.format(variable=variable, mime=MIME))
                                client.execute_cell(probe, index)
                                answers[name] = _captured(probe.outputs)
                        else:
                            client.execute_cell(cell, index)
                            if any(o.get("output_type") == "error" for o in cell.outputs):
                                failed += 1
                                if failed <= 3:
                                    notes.append(f"cell {index + 1} raised {_short_error(cell.outputs)}")
        except CellTimeoutError:
            notes.append(f"stopped at the time limit ({job['time_limit']:g} s); exercises after that count as not done")
        except DeadKernelError:
            notes.append(
                "the kernel died (too much memory, or the notebook ended Python); "
                "exercises after that count as not done"
            )
        except Exception as err:  # the kernel would not start or talk
            notes.append(f"the notebook could not be run ({type(err).__name__}: {str(err)[:120]})")
        if failed > 3:
            notes.append(f"{failed - 3} more cells raised errors")
    return {"answers": answers, "notes": notes}


# --- judging, here in the grader's process ---------------------------------------------------------
def judge(exercise, captured: dict | None) -> tuple[float, str]:
    """``(points earned, feedback)`` for one captured answer; the feedback never holds the expected answer."""
    from crmlib.exercises import WRONG, ExerciseError, answer_from_data

    kind = type(exercise)
    if captured is None:
        return 0, f"{WRONG} " + say(
            "Not answered: the notebook has no check cell for it, or the run stopped before it."
        )
    if captured.get("missing"):
        return 0, f"{WRONG} " + say("There is no variable `{name}` when the check cell runs.", name=captured["missing"])
    if "value" not in captured:
        reason = captured.get("unreadable", "unknown reason")
        return 0, f"{WRONG} " + say("Your answer could not be graded: {reason}.", reason=reason)
    try:
        answer = answer_from_data(captured["value"])
    except ExerciseError as err:
        return 0, f"{WRONG} " + say("Your answer could not be graded: {reason}.", reason=err)
    if answer is None or answer is Ellipsis:
        return 0, f"{WRONG} " + say("You answered with None — {what}", what=kind.missing_answer(exercise.public()))
    public, secret = exercise.public(), exercise.secret()
    try:
        problem = kind.judge(public, secret, answer)
    except Exception as err:  # the answer could not be compared
        problem = say("Your answer could not be compared with the expected one ({error}).", error=type(err).__name__)
    if problem is None:
        return exercise.points, kind.praise(public, secret)
    return 0, f"{WRONG} {problem}"


# --- the class --------------------------------------------------------------------------------
def find_submissions(submissions: Path, course: dict) -> tuple[dict, dict]:
    """``({student: {notebook file: path}}, {student: [notes]})``."""
    found: dict[str, dict[str, Path]] = {}
    notes: dict[str, list[str]] = {}
    for folder in sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = folder.name
        found[student], notes[student] = {}, []
        for path in sorted(folder.rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            if path.name not in course:
                notes[student].append(f"{path.name} is not a course notebook with exercises (not graded)")
            elif path.name in found[student]:
                notes[student].append(
                    f"{path.name} was handed in twice; graded {found[student][path.name].relative_to(folder)}"
                )
            else:
                found[student][path.name] = path
        if not found[student]:
            notes[student].append("no course notebook handed in")
    return found, notes


def grade(
    submissions: Path, grades: Path, time_limit: float = TIME_LIMIT, jobs: int = JOBS, root: Path = ROOT, log=print
) -> list[dict]:
    """Grade every student's folder in ``submissions``; write ``grades.csv`` and ``feedback/``; return the rows."""
    from crmlib.datasets import data_dir

    submissions, grades = Path(submissions).resolve(), Path(grades).resolve()
    if not submissions.is_dir():
        raise SystemExit(f"{submissions} is not a folder (one folder per student, named by student id).")
    real_data = data_dir().resolve()
    problems = manifest_problems(real_data)
    if problems:
        raise SystemExit(
            f"The data in {real_data} does not match its MANIFEST ({'; '.join(problems[:3])}); "
            "restore it (git checkout datasets) before grading."
        )
    course = course_notebooks(root)
    students, notes = find_submissions(submissions, course)
    handed_in = sorted({name for files in students.values() for name in files}, key=lambda n: course[n][0])
    exercises = {name: exercises_of(course[name][1]) for name in handed_in}
    started = time.monotonic()
    sealed = {}
    for name in handed_in:  # every expected answer is computed here, before any student code runs
        sealed[name] = make_student.sealed_set_source(course[name][1])
    log(
        f"{len(students)} students, {sum(map(len, students.values()))} notebooks; "
        f"expected answers ready in {time.monotonic() - started:.1f} s"
    )

    grades.mkdir(parents=True, exist_ok=True)
    (grades / "feedback").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="crm-grade-data-") as tmp:
        pristine = Path(tmp) / "datasets"
        shutil.copytree(real_data, pristine)
        state = folder_state(real_data)
        jobs_root = Path(tmp) / "jobs"  # each notebook's folder; a kernel may write only in its own
        jobs_root.mkdir()
        home = Path.home()
        protect = sorted(
            {
                str(root),
                str(real_data),
                str(submissions),
                str(grades),
                tmp,
                sys.prefix,
                sys.base_prefix,
                *(str(home / p) for p in (".ipython", ".jupyter", ".config", ".local", ".cache")),
            }
        )
        tasks = [
            (
                student,
                name,
                {
                    "path": str(path),
                    "set": course[name][1],
                    "exercises": list(exercises[name]),
                    "sealed": sealed[name],
                    "data": str(pristine),
                    "protect": protect,
                    "jobs_root": str(jobs_root),
                    "time_limit": time_limit,
                },
            )
            for student, files in students.items()
            for name, path in files.items()
        ]
        results: dict[tuple[str, str], dict] = {}
        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(run_notebook, job): (student, name) for student, name, job in tasks}
            for future, key in futures.items():
                try:
                    results[key] = future.result()
                except Exception as err:
                    results[key] = {"answers": {}, "notes": [f"grading failed ({type(err).__name__}: {err})"]}
                changed = restore(real_data, pristine, state)
                if changed:
                    results[key]["notes"].append(
                        f"the data folder changed while this notebook ran ({', '.join(changed[:3])}); restored"
                    )
                log(f"  {key[0]} {key[1]}: done")
    rows = []
    columns = [column(n, e) for n in handed_in for e in exercises[n]]
    for student, files in students.items():
        row = {"student": student, **{c: 0 for c in columns}}
        items, student_notes = [], list(notes[student])
        for name in handed_in:
            if name not in files:
                continue
            result = results[(student, name)]
            student_notes += [f"{Path(name).stem}: {n}" for n in result["notes"]]
            for ex_name, exercise in exercises[name].items():
                earned, feedback = judge(exercise, result["answers"].get(ex_name))
                row[column(name, ex_name)] = earned
                items.append((name, ex_name, exercise, earned, feedback))
        row["total"] = _number(sum(row[c] for c in columns))
        row["notes"] = "; ".join(student_notes)
        rows.append(row)
        write_feedback(grades / "feedback" / f"{_safe(student)}.md", student, items, student_notes)
    with open(grades / "grades.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["student", *columns, "total", "notes"])
        writer.writeheader()
        writer.writerows(rows)
    log(f"graded in {time.monotonic() - started:.1f} s: {grades / 'grades.csv'}")
    return rows


def _number(x):
    return int(x) if float(x).is_integer() else round(float(x), 4)


def _safe(student: str) -> str:
    return re.sub(r"[^\w.-]", "_", student) or "_"


def write_feedback(path: Path, student: str, items: list, notes: list[str]) -> None:
    """One student's feedback in Markdown: each item right or wrong, the check's message and a hint."""
    from crmlib.exercises import localized

    earned = sum(i[3] for i in items)
    possible = sum(i[2].points for i in items)
    lines = [
        "# " + say("Feedback for {student}", student=student),
        "",
        say("Points: **{earned} of {possible}**", earned=_number(earned), possible=_number(possible)),
        "",
    ]
    notebook = None
    for name, ex_name, exercise, points, feedback in items:
        if name != notebook:
            notebook = name
            lines += [f"## {name}", ""]
        mark = say("right") if points else say("wrong")
        score = say("{earned} of {points}", earned=_number(points), points=_number(exercise.points))
        lines += [
            f"### `{ex_name}`: {mark} ({score})",
            "",
            type(exercise).text(exercise.public()).split("\n")[0],
            "",
            "```text",
            feedback.rstrip(),
            "```",
            "",
        ]
        hints = localized(exercise.public())["hints"]
        if not points and hints:
            more = say(" (more in the notebook: `ex.{name}.hint(2)`)", name=ex_name) if len(hints) > 1 else ""
            lines += [say("Hint: {hint}", hint=hints[0]) + more, ""]
    if notes:
        lines += ["## " + say("Notes"), "", *(f"- {n}" for n in notes), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="one folder per student, named by student id")
    parser.add_argument("grades", type=Path, help="where grades.csv and feedback/ are written")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="seconds per notebook")
    parser.add_argument("--jobs", type=int, default=JOBS, help="notebooks run at once (one per core)")
    parser.add_argument(
        "--language", default="en", help="language of the feedback: en (default) or zh (crmlib.set_language)"
    )
    args = parser.parse_args(argv)
    import crmlib

    crmlib.set_language(args.language)
    grade(args.submissions, args.grades, time_limit=args.time_limit, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
