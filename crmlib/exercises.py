"""Exercises that check a student's answer and say what is right or wrong.

An exercise set (``crmlib/exercise_sets/<notebook>.py``) defines each exercise with its answer
computed from the shipped data (a callable, run the first time it is needed and then kept) and a
hint::

    ex1 = Exercise("Share of revenue from the top 20% of members",
                   answer=lambda: identify.top_share(tea.orders, customer="member_id", amount="net_amount"),
                   hint=["Who are the top 20%? Rank members by what they spent.",
                         "Sort members by total spend and take the first fifth.",
                         "identify.top_share(orders, 0.2, customer=\"member_id\", amount=\"net_amount\")"],
                   decimals=3)

and the student writes ``ex1.check(answer)``. The worked solution is written once, in the
notebook: the cell tagged ``solution`` after the check cell, which ends with
``assert ex.<name>.check(answer)`` (``tests/test_exercise_solutions.py`` ties the two). The check
prints one line: ``✓ Correct!`` or
``✗`` followed by what differs (a number too high by about so many percent, missing columns,
the first cell that is off and in which direction, …). The feedback never shows an expected
value: it gives the direction and a rough size ("too low by about 10%", "2 of 5 values differ,
e.g. at row 'delivery' yours (0.41) is too high by about 20%"), counts expected items or labels
that are missing without naming them, and shows only the student's own values. It never raises
on a wrong answer, whatever its type, and it returns a result that is true or false, so tests
can ``assert ex1.check(answer)``.

Hints are graded: ``hint=`` is one text or a list from a nudge to the recipe; ``ex1.hint()``
prints the first, ``ex1.hint(2)`` the second. ``points`` (1 by default) is what the exercise is
worth when graded. ``decimals=3`` states the rounding the question asks for: the question as
shown (``ex1.show()``) says it, and an answer rounded to 3 decimals passes.

Concept checks (single choice, multiple choice, put in order, match pairs, sort into classes)
are exercises too, with lettered ``choices``: see :mod:`crmlib.concepts`; they can be imported
from here.

Comparison rules, by the type of the expected answer:

* number: relative tolerance ``rtol`` (default 0.1%), absolute ``atol`` near 0 (or half a unit
  of the last decimal when ``decimals`` is set);
* True/False: must be a boolean of the same value;
* text: exact, or ignoring case and/or runs of spaces (``ignore_case``, ``ignore_whitespace``);
* set: the same elements; list, tuple, array or Index: the same elements in the same order,
  or in any order with ``ignore_order=True`` (numbers with tolerance either way);
* Series: index labels, their order, and values (with tolerance); the name only if
  ``ignore_name=False``;
* DataFrame: columns (in any order unless ``ignore_column_order=False``), rows, index and values.

``ignore_order=True`` matches rows by index label instead of position; ``ignore_index=True``
compares rows by position and ignores the labels (with ``ignore_order`` too: rows are sorted
first). ``aliases`` accepts the labels the data also carries in Chinese (a brand's
``brand_name_zh``, a category's ``category_zh``): an answer in either language passes.

After ``crmlib.set_language("zh")`` an exercise of a set in ``crmlib.exercise_sets`` shows its
own text (question, hints, choices, feedback, explanation) from the set's translation file,
``crmlib/exercise_sets/zh/<set>.yml``, field by field (:func:`english_fields`), each text only if
its translation was made from the English text as it is now; otherwise the English shows.
``public()`` and ``secret()`` carry the translations, so a sealed copy has them too, and
:func:`localized` picks the language's texts (``scripts/translate.py`` checks the files).
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import sys
import zlib
from collections import Counter

import numpy as np
import pandas as pd

from crmlib.messages import LANGUAGES, get_language, ngettext
from crmlib.messages import gettext as _

__all__ = [
    "Exercise",
    "CheckResult",
    "ExerciseError",
    "CORRECT",
    "WRONG",
    "SealedExercise",
    "seal",
    "answer_to_data",
    "answer_from_data",
    "text_hash",
    "english_fields",
    "localized",
]

CORRECT = "✓ Correct!"  # in English; the message shown is in the language crmlib speaks (crmlib.messages)
WRONG = "✗"
_SHOWN = 5  # at most this many labels or items are listed in a message
_UNSET = object()


class ExerciseError(Exception):
    """A problem in how an exercise is defined (its author's to fix, not the student's)."""


class CheckResult:
    """The outcome of :meth:`Exercise.check`: true if the answer is correct.

    In a notebook it shows nothing by itself, since the check has already printed its message.

    >>> result = CheckResult(False, "✗ Expected a number, got a DataFrame.")
    >>> bool(result), result == False, result.message
    (False, True, '✗ Expected a number, got a DataFrame.')
    """

    __slots__ = ("correct", "message")

    def __init__(self, correct: bool, message: str):
        self.correct = bool(correct)
        self.message = message

    def __bool__(self) -> bool:
        return self.correct

    def __eq__(self, other):
        if isinstance(other, (bool, np.bool_, CheckResult)):
            return self.correct == bool(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.correct)

    def __repr__(self) -> str:
        return f"CheckResult(correct={self.correct}, message={self.message!r})"

    def _ipython_display_(self) -> None:
        """Show nothing: the message was printed when the check ran."""


class Exercise:
    """One exercise: the question, the expected answer, graded hints and its points.

    The worked solution is not here: it is the notebook's ``solution`` cell (see the module
    description), so it is written once.

    Parameters
    ----------
    question : the task, in a sentence.
    answer : a function without arguments that computes the expected answer from the data
        (run once, when first needed, so it stays out of sight until then); a plain value works too.
    hint : one text, or a list of texts from a nudge to the recipe: ``hint()`` shows the first,
        ``hint(2)`` the second, and so on.
    points : what the exercise is worth when graded (a number > 0, 1 by default).
    decimals : the rounding the question asks for; an answer rounded to that many decimals
        passes (numbers, and the numbers in a list, Series or DataFrame), and the question as
        shown says so.
    rtol, atol : relative and absolute tolerance for numbers.
    ignore_order, ignore_index, ignore_column_order, ignore_name, ignore_case, ignore_whitespace :
        see the module description.
    aliases : for an answer that is a label (a brand, a category, ...): a dict from another name
        of a label, such as its Chinese name in the data, to the name the expected answer uses, or
        a function without arguments returning one (run when first needed). An answer in either
        language then passes (a text, the items of a list or set, the labels and values of a
        Series or DataFrame).

    Examples
    --------
    >>> ex = Exercise("Mean of 1, 2 and 6", answer=lambda: (1 + 2 + 6) / 3,
    ...               hint=["What is a mean?", "Add them up, divide by 3."])
    >>> ok = ex.check(2.7)
    ✗ Your answer 2.7 is too low by about 10%.
    >>> ok = ex.check(3)
    ✓ Correct!
    >>> bool(ok)
    True
    >>> ex.hint()
    Hint 1 of 2: What is a mean? (More: .hint(2))
    >>> ex.hint(2)
    Hint 2 of 2: Add them up, divide by 3.
    """

    kind = "value"
    kinds: dict = {}  # kind name -> class, so a sealed copy finds how to judge its answers

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Exercise.kinds[cls.kind] = cls

    def __init__(
        self,
        question: str,
        answer,
        hint: str | list[str] = "",
        *,
        points: float = 1,
        decimals: int | None = None,
        rtol: float = 1e-3,
        atol: float = 1e-8,
        ignore_order: bool = False,
        ignore_index: bool = False,
        ignore_column_order: bool = True,
        ignore_name: bool = True,
        ignore_case: bool = False,
        ignore_whitespace: bool = False,
        aliases=None,
    ):
        if not isinstance(question, str) or not question.strip():
            raise ExerciseError(f"question must be a non-empty text, got {question!r}.")
        for label, tolerance in (("rtol", rtol), ("atol", atol)):
            if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real) or not tolerance >= 0:
                raise ExerciseError(f"{question!r}: {label} must be a number >= 0, got {tolerance!r}.")
        if decimals is not None and (
            isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral) or not 0 <= decimals <= 12
        ):
            raise ExerciseError(
                f"{question!r}: decimals must be a whole number from 0 to 12 (or None), got {decimals!r}."
            )
        self.question = question
        self.hints = _hint_levels(question, hint)
        self.points = _points(question, points)
        self.decimals = None if decimals is None else int(decimals)
        self._answer = answer
        self._expected = _UNSET
        if aliases is not None and not callable(aliases) and not isinstance(aliases, dict):
            raise ExerciseError(
                f"{question!r}: aliases must be a dict {{other name: the name the data uses}} or a function "
                f"returning one, got {aliases!r}."
            )
        self._aliases = aliases
        self._home = None  # (exercise set, name), found when a translation is first looked up
        self.options = {
            "rtol": float(rtol),
            "atol": float(atol),
            "ignore_order": bool(ignore_order),
            "ignore_index": bool(ignore_index),
            "ignore_column_order": bool(ignore_column_order),
            "ignore_name": bool(ignore_name),
            "ignore_case": bool(ignore_case),
            "ignore_whitespace": bool(ignore_whitespace),
            "decimals": self.decimals,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.question!r})"

    # --- what the student sees ----------------------------------------------------------------
    def public(self) -> dict:
        """Everything a student may see (question, hints, points, options): what a sealed copy keeps.

        With the texts in other languages, if the exercise set has translations (``translations``:
        language -> the translated fields; see :func:`localized`).
        """
        public = {
            "question": self.question,
            "hints": list(self.hints),
            "points": self.points,
            "options": dict(self.options),
        }
        return _with_translations(public, self._translated("public"))

    def _translated(self, part: str) -> dict:
        """``{language: {field: text}}``: the up-to-date translations of this exercise's ``part``
        ("public": question, hints, choices, targets, classes; "secret": feedback, explanation)."""
        home = self._find_home()
        if home is None:
            return {}
        found = {}
        for language in LANGUAGES:
            if language == "en":
                continue
            entries = _set_translations(home[0], language)
            if not entries:
                continue
            texts, fields = {}, self._english_fields()
            for key, english in fields.items():
                entry = entries.get(f"{home[1]}.{key}")
                if _field_part(key) == part and _usable(entry, english, language):
                    texts[key] = entry[language]
            if texts:
                found[language] = _fields_to_parts(texts, fields)
        return found

    def _english_fields(self) -> dict[str, str]:
        """The learner's texts by field (see :func:`english_fields`); a concept check adds its own."""
        return {"question": self.question, **{f"hint.{i}": h for i, h in enumerate(self.hints, 1)}}

    def _find_home(self) -> tuple[str, str] | None:
        """(exercise set, name) of this exercise: the ``crmlib.exercise_sets`` module that lists it."""
        if self._home is None:
            prefix = "crmlib.exercise_sets."
            for module_name, module in list(sys.modules.items()):
                if not module_name.startswith(prefix) or module is None:
                    continue
                for name in getattr(module, "__all__", ()):
                    if getattr(module, name, None) is self:
                        self._home = (module_name[len(prefix) :], name)
                        return self._home
        return self._home

    @classmethod
    def text(cls, public: dict) -> str:
        """The question as shown to the student, in the language crmlib speaks, with the rounding it asks for."""
        public = localized(public)
        question = public["question"]
        decimals = public["options"].get("decimals")
        if decimals is not None and "decimal" not in question.lower() and "小数" not in question:
            rounding = ngettext("{question} (round to {n} decimal)", "{question} (round to {n} decimals)", decimals)
            question = rounding.format(question=question.rstrip(), n=decimals)
        return question

    def show(self) -> None:
        """Print the question (with its options, for a concept check)."""
        print(type(self).text(self.public()))

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(type(self).text(self.public()))

    def hint(self, level: int = 1) -> None:
        """Print hint number ``level``: 1 a nudge, the last one the recipe."""
        _print_hint(localized(self.public())["hints"], level)

    def solution(self) -> None:
        """Say where the worked solution is: in the notebook, not in the exercise.

        >>> Exercise("Anything", answer=1).solution()
        The worked solution is the notebook cell after this exercise's check cell (in the instructor
        edition and, behind "Show the solution", on the course website).
        """
        print(
            _(
                "The worked solution is the notebook cell after this exercise's check cell (in the "
                'instructor edition and, behind "Show the solution", on the course website).'
            )
        )

    # --- the answer -----------------------------------------------------------------------------
    @property
    def expected(self):
        """The expected answer, computed on first use and kept."""
        if self._expected is _UNSET:
            if callable(self._answer):
                try:
                    value = self._answer()
                except Exception as err:
                    raise ExerciseError(
                        f"Exercise {self.question!r}: computing the expected answer failed with "
                        f"{type(err).__name__}: {err}. This is a fault in the exercise, not in your answer; "
                        "please tell the course authors."
                    ) from err
            else:
                value = self._answer
            if value is None or value is Ellipsis:
                raise ExerciseError(
                    f"Exercise {self.question!r}: the expected answer is {value!r}; "
                    "the answer function must return a value."
                )
            self._expected = value
        return self._expected

    def secret(self) -> dict:
        """What a student must not see: the expected answer (a concept check adds its feedback), and
        the other names of labels an answer may use (``aliases``)."""
        secret = {"expected": self.expected}
        if self._aliases is not None:
            secret["aliases"] = _checked_aliases(self.question, self._aliases)
        return _with_translations(secret, self._translated("secret"))

    def check(self, answer) -> CheckResult:
        """Compare ``answer`` with the expected one, print the verdict and return it."""
        return _run_check(type(self), self.public(), self.secret, answer)

    @classmethod
    def judge(cls, public: dict, secret: dict, answer) -> str | None:
        """None if ``answer`` is right, else what differs (never the expected value)."""
        expected = secret["expected"]
        try:
            problem = _compare(answer, expected, public["options"])
            if problem is not None and secret.get("aliases"):  # the same labels in another language pass too
                if _compare(_unaliased(answer, secret["aliases"]), expected, public["options"]) is None:
                    return None
            return problem
        except Exception as err:  # the student's object misbehaved; say so instead of crashing
            return _("Your answer could not be compared with the expected one ({error}). Expected {expected}.").format(
                error=type(err).__name__, expected=_describe_expected(expected)
            )

    @classmethod
    def praise(cls, public: dict, secret: dict) -> str:
        """The message for a right answer."""
        return _("✓ Correct!")

    @classmethod
    def missing_answer(cls, public: dict) -> str:
        """What to do when the answer is still None or ``...``."""
        return _("replace `...` or None with your computation.")


Exercise.kinds[Exercise.kind] = Exercise


# --------------------------------------------------------------------------------------------
# the exercise's own text in other languages: crmlib/exercise_sets/<language>/<set>.yml
# --------------------------------------------------------------------------------------------
_PUBLIC_LISTS = {"hint": "hints", "choice": "choices", "target": "targets", "class": "classes"}


def text_hash(text: str) -> str:
    """The key of a translation: 12 hex digits of the SHA-256 of the exact English text.

    >>> text_hash("Which channel brings Aurora Leaf (T1) the most revenue?")
    '03a7dd466895'
    """
    if not isinstance(text, str):
        raise ExerciseError(f"text_hash takes a text, got {type(text).__name__}.")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_fields(exercise: Exercise) -> dict[str, str]:
    """Every text of an exercise the learner sees, by field: what a translation file translates.

    Fields: ``question``, ``hint.1``, ``hint.2``, …; for a concept check also ``choice.A``, …,
    ``target.1``, … (pairs), ``class.1``, … (classes), ``feedback.A``, … and ``explanation``.

    >>> list(english_fields(Exercise("Twice two", answer=4, hint=["Add.", "2 + 2"])).items())
    [('question', 'Twice two'), ('hint.1', 'Add.'), ('hint.2', '2 + 2')]
    """
    if not isinstance(exercise, Exercise):
        raise ExerciseError(f"english_fields takes an Exercise, got {type(exercise).__name__}.")
    return exercise._english_fields()


def localized(part: dict) -> dict:
    """``public`` or ``secret`` of an exercise with its texts in the language crmlib speaks.

    A translated text replaces the English one; a text without an up-to-date translation stays
    English. The English texts replaced are kept under ``english``.

    >>> from crmlib import messages
    >>> public = {"question": "Twice two", "translations": {"zh": {"question": "二的两倍"}}}
    >>> localized(public)["question"]
    'Twice two'
    >>> messages.set_language("zh"); localized(public)["question"]; messages.set_language("en")
    '二的两倍'
    """
    if not isinstance(part, dict):
        raise ExerciseError(f"localized takes an exercise's public or secret dict, got {type(part).__name__}.")
    plain = {k: v for k, v in part.items() if k != "translations"}
    texts = part.get("translations", {}).get(get_language())
    if texts:
        plain["english"] = {k: part[k] for k in texts if k in part}
        plain.update(texts)
    return plain


def _with_translations(part: dict, translations: dict) -> dict:
    return {**part, "translations": translations} if translations else part


def _field_part(key: str) -> str:
    """Which part of an exercise a field belongs to: "secret" for feedback and explanation."""
    return "secret" if key == "explanation" or key.startswith("feedback.") else "public"


def _fields_to_parts(texts: dict[str, str], english: dict[str, str]) -> dict:
    """Translated fields as the keys of ``public``/``secret``; a list or dict is complete (English
    where an item has no translation) once any of its items is translated."""
    out: dict = {}
    for key, text in texts.items():
        group, _sep, item = key.partition(".")
        if not item:
            out[key] = text
        elif group == "feedback":
            out["feedback"] = {
                k.partition(".")[2]: texts.get(k, v) for k, v in english.items() if k.startswith("feedback.")
            }
        else:
            out[_PUBLIC_LISTS[group]] = [texts.get(k, v) for k, v in english.items() if k.startswith(group + ".")]
    return out


def _usable(entry, english: str, language: str) -> bool:
    """A translation entry that is finished and made from this exact English text."""
    return (
        isinstance(entry, dict)
        and entry.get("hash") == text_hash(english)
        and "en" not in entry
        and isinstance(entry.get(language), str)
        and bool(entry[language].strip())
    )


_LOADED_SETS: dict[tuple[str, str], dict] = {}


def _set_translations(set_name: str, language: str) -> dict:
    """``{"<exercise>.<field>": {"hash": ..., "zh": ...}}`` of one exercise set, or {} (no file,
    or one that cannot be read: the texts then stay English; ``make translations`` names the fault)."""
    key = (set_name, language)
    if key not in _LOADED_SETS:
        from importlib import resources

        entries = {}
        try:
            source = resources.files("crmlib.exercise_sets") / language / f"{set_name}.yml"
            if source.is_file():
                import yaml

                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when pyyaml has it
                data = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)  # a safe loader either way
                entries = {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}
        except Exception:  # a damaged file must not stop a check: English is shown instead
            entries = {}
        _LOADED_SETS[key] = entries
    return _LOADED_SETS[key]


# --- labels in either language (aliases) ----------------------------------------------------
def _checked_aliases(question: str, aliases) -> dict:
    value = aliases() if callable(aliases) else aliases
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ExerciseError(f"{question!r}: aliases must give a dict from text to text, got {value!r}.")
    return {k.strip(): v for k, v in value.items() if k.strip() and k.strip() != v}


def _unaliased(answer, aliases: dict | None):
    """``answer`` with each text that is another name of a label replaced by the label itself."""
    if not aliases:
        return answer

    def one(value):
        return aliases.get(value.strip(), value) if isinstance(value, str) else value

    def labels(values):
        if pd.api.types.is_numeric_dtype(values) and not isinstance(values.dtype, pd.CategoricalDtype):
            return values
        mapped = values.astype(object).map(one)
        return values if list(mapped) == list(values) else mapped

    if isinstance(answer, str):
        return one(answer)
    if isinstance(answer, (list, tuple, set, frozenset)):
        return type(answer)(one(v) for v in answer)
    if isinstance(answer, pd.Index) and not isinstance(answer, pd.MultiIndex):
        return labels(answer)
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        out = answer.copy()
        if not isinstance(answer.index, pd.MultiIndex):
            out.index = labels(answer.index)
        if isinstance(out, pd.Series):
            return labels(out)
        for j in range(out.shape[1]):
            out.isetitem(j, labels(out.iloc[:, j]))
        return out
    return answer


def _run_check(kind: type, public: dict, secret, answer) -> CheckResult:
    """Judge ``answer`` (``secret`` is called only when the answer is there), print and return the verdict."""
    if answer is None or answer is Ellipsis:
        shown = "None" if answer is None else "`...`"
        problem = _("You answered with {shown} — {what}").format(shown=shown, what=kind.missing_answer(public))
        message = f"{WRONG} {problem}"
    else:
        hidden = secret()  # a fault here is the author's, so it is not caught
        problem = kind.judge(public, hidden, answer)
        message = kind.praise(public, hidden) if problem is None else f"{WRONG} {problem}"
    print(message)
    return CheckResult(problem is None, message)


def _hint_levels(question: str, hint) -> tuple[str, ...]:
    """The hints as a tuple of texts, nudge first; an author's mistake raises ExerciseError."""
    if hint is None or (isinstance(hint, str) and not hint.strip()):
        return ()
    if isinstance(hint, str):
        return (hint,)
    if isinstance(hint, (list, tuple)) and hint and all(isinstance(h, str) and h.strip() for h in hint):
        return tuple(hint)
    raise ExerciseError(
        f"{question!r}: hint must be a text or a non-empty list of non-empty texts "
        f"(nudge first, recipe last), got {hint!r}."
    )


def _points(question: str, points) -> float:
    if isinstance(points, bool) or not isinstance(points, numbers.Real) or not 0 < points < math.inf:
        raise ExerciseError(f"{question!r}: points must be a number > 0, got {points!r}.")
    return int(points) if float(points).is_integer() else float(points)


def _print_hint(hints, level) -> None:
    if isinstance(level, bool) or not isinstance(level, numbers.Integral) or level < 1:
        print(_("Ask for a hint by its number: .hint(1), .hint(2), … (got {level}).").format(level=repr(level)))
    elif not hints:
        print(_("No hint for this one."))
    elif len(hints) == 1:
        print(_("Hint: {hint}").format(hint=hints[0]))
    elif level > len(hints):
        last = _("There are {count} hints; this is the last. Hint {count} of {count}: {hint}")
        print(last.format(count=len(hints), hint=hints[-1]))
    else:
        shown = _("Hint {level} of {count}: {hint}").format(level=level, count=len(hints), hint=hints[level - 1])
        more = _(" (More: .hint({next}))").format(next=level + 1) if level < len(hints) else ""
        print(f"{shown}{more}")


# --------------------------------------------------------------------------------------------
# describing values in messages
# --------------------------------------------------------------------------------------------
def _is_number(value) -> bool:
    return isinstance(value, (numbers.Real, np.number)) and not isinstance(value, (bool, np.bool_))


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


def _fmt(value) -> str:
    """A value as a student would write it: 19.0, 0.62, 'T2', NaN."""
    if _is_bool(value):
        return str(bool(value))
    if isinstance(value, (numbers.Integral, np.integer)):
        return str(int(value))
    if _is_number(value) and not math.isnan(float(value)):
        number = float(value)
        if number.is_integer() and abs(number) < 1e15:
            return f"{number:.1f}"
        return f"{number:.6g}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    try:
        if pd.isna(value):  # None, NaN, NA and NaT alike: the way pandas shows a gap
            return "NaN"
    except (TypeError, ValueError):
        pass
    return repr(str(value))


def _times(ratio: float) -> str:
    """A ratio in words: '4.5', '12', '1000'."""
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.2g}"


def _some(values) -> str:
    """Up to a few values as a list, e.g. ['a', 'b'] or ['a', 'b', 'c', … 4 more]."""
    values = list(values)
    shown = ", ".join(_fmt(v) for v in values[:_SHOWN])
    more = _(", … {count} more").format(count=len(values) - _SHOWN) if len(values) > _SHOWN else ""
    return f"[{shown}{more}]"


def _describe(value) -> str:
    """What kind of thing a student handed in, with an article."""
    if value is None:
        return "None"
    if _is_bool(value):
        return "True/False"
    if _is_number(value):
        return _("a number")
    if isinstance(value, str):
        return _("a text ({text})").format(text=repr(value[:40]))
    if isinstance(value, pd.DataFrame):
        return _("a DataFrame")
    if isinstance(value, pd.Series):
        return _("a Series")
    if isinstance(value, pd.Index):
        return _("an Index")
    if isinstance(value, np.ndarray):
        return _("a NumPy array")
    if isinstance(value, (set, frozenset)):
        return _("a set")
    return _("a {type}").format(type=type(value).__name__)


def _describe_expected(expected) -> str:
    if _is_bool(expected):
        return _("True or False")
    if _is_number(expected):
        return _("a number")
    if isinstance(expected, str):
        return _("a text (string)")
    if isinstance(expected, (set, frozenset)):
        return _("a set")
    if isinstance(expected, (list, tuple, np.ndarray, pd.Index)):
        return _("a list")
    return _describe(expected)


def _type_problem(answer, expected) -> str:
    """The message for an answer of the wrong kind, with a tip where a common slip explains it."""
    got = _describe(answer)
    message = _("Expected {expected}, got {got}.").format(expected=_describe_expected(expected), got=got)
    if _is_number(expected) and isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and np.size(answer) == 1:
        message = _("Expected a number, got {got} holding one value. Take the number out with .item().").format(got=got)
    elif isinstance(expected, pd.Series) and isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        message += _(' It has one column: select it, e.g. df["column"], to get a Series.')
    elif isinstance(expected, pd.DataFrame) and isinstance(answer, pd.Series):
        message += _(" Turn it into a table with .to_frame() or .reset_index().")
    elif _is_number(expected) and isinstance(answer, str):
        message += _(" Remove the quotes to give a number.")
    return message


# --------------------------------------------------------------------------------------------
# comparisons: each returns None if the answer is right, else what differs
# --------------------------------------------------------------------------------------------
def _compare(answer, expected, options: dict) -> str | None:
    if _is_bool(expected):
        return _compare_bool(answer, expected)
    if _is_number(expected):
        return _compare_number(answer, expected, options)
    if isinstance(expected, str):
        return _compare_text(answer, expected, options)
    if isinstance(expected, pd.DataFrame):
        return _compare_frame(answer, expected, options)
    if isinstance(expected, pd.Series):
        return _compare_series(answer, expected, options)
    if isinstance(expected, (set, frozenset, list, tuple, np.ndarray, pd.Index)):
        return _compare_items(answer, expected, options)
    return _compare_other(answer, expected)


def _compare_bool(answer, expected) -> str | None:
    if not _is_bool(answer):
        return _type_problem(answer, expected)
    return (
        None if bool(answer) == bool(expected) else _("Your answer {answer} is not right.").format(answer=bool(answer))
    )


def _as_scalar(answer):
    """A number answer (0-d arrays included) as it was given, or None if it is not one."""
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    return answer if _is_number(answer) else None


def _about_percent(p: float) -> str:
    """A relative difference in percent, coarsely, so the expected value cannot be worked back."""
    if p < 1:
        return _("less than 1%")
    return _("about {percent}%").format(percent=round(p) if p < 10 else 5 * round(p / 5))


def _tolerance(options: dict) -> float:
    """The absolute tolerance: ``atol``, or half a unit of the last decimal the question asks for."""
    decimals = options.get("decimals")
    half_unit = 0.0 if decimals is None else 0.5 * 10.0**-decimals * (1 + 1e-9)
    return max(options["atol"], half_unit)


def _close(value: float, target: float, options: dict) -> bool:
    return math.isclose(value, target, rel_tol=options["rtol"], abs_tol=_tolerance(options))


def _how_far(value: float, target: float, options: dict) -> str:
    """How a wrong number differs, by direction and rough size: 'too high by about 12%'.

    Never the expected value itself, nor so fine a size that it could be worked back.
    """
    if math.isinf(value) or math.isinf(target):
        return _("not the expected value")
    direction = _("too high") if value > target else _("too low")
    if abs(target) <= _tolerance(options):
        return direction
    if value * target < 0:
        return _("of the wrong sign")
    if value == 0:
        return _("0, but the expected value is not")
    ratio = value / target
    if math.isclose(ratio, 100, rel_tol=max(options["rtol"], 1e-3)):
        return _("100 times too large: a percentage where a share (0–1) is asked for?")
    if math.isclose(ratio, 0.01, rel_tol=max(options["rtol"], 1e-3)):
        return _("100 times too small: a share where a percentage is asked for?")
    if ratio >= 2 or ratio <= 0.5:
        times = _times(ratio if ratio >= 2 else 1 / ratio)
        band = abs(value) * (1 if float(times) >= 10 else 0.1) / float(times) ** 2  # targets that fit
        if ratio >= 2:
            size = _("{direction}: about {times} times the expected size")
        else:
            size = _("{direction}: about 1/{times} of the expected size")
        size = size.format(direction=direction, times=times)
    else:
        percent = abs(ratio - 1) * 100
        band = abs(target) * (1 if percent < 10 else 5) / 100
        size = _("{direction} by {about}").format(direction=direction, about=_about_percent(percent))
    # A size that so few allowed answers fit would give the answer away: then the direction only.
    return direction if band < 3 * _answer_step(options) else size


def _answer_step(options: dict) -> float:
    """The spacing of the answers a question allows: one unit of the decimals it asks for (0 when
    it states none, so any size may be told)."""
    decimals = options.get("decimals")
    return 0.0 if decimals is None else 10.0**-decimals


def _decimals_of(value: float) -> int | None:
    """How many decimals a number was written with (0.67 -> 2), or None for long ones."""
    text = repr(float(value))
    if "e" in text or "inf" in text or "nan" in text:
        return None
    digits = len(text.split(".")[1].rstrip("0"))
    return digits if digits <= 12 else None


def _rounding_tip(value: float, target: float, options: dict) -> str:
    """' Round to 3 decimals, not 2.' when the answer is the expected value rounded too coarsely."""
    decimals = options.get("decimals")
    given = _decimals_of(value)
    if decimals is None or given is None or given >= decimals:
        return ""
    if abs(value - target) <= 0.5 * 10.0**-given * (1 + 1e-9):
        tip = ngettext(
            " Round to {decimals} decimal, not {given}.", " Round to {decimals} decimals, not {given}.", decimals
        )
        return tip.format(decimals=decimals, given=given)
    return ""


def _compare_number(answer, expected, options: dict) -> str | None:
    given = _as_scalar(answer)
    if given is None:
        return _type_problem(answer, expected)
    value, target, shown = float(given), float(expected), _fmt(given)
    if math.isnan(target):
        return None if math.isnan(value) else _("Your answer {answer} is not the expected value.").format(answer=shown)
    if math.isnan(value):
        return _("Your answer is NaN (not a number): a step before it met missing values or divided 0 by 0.")
    if _close(value, target, options):
        return None
    how = _how_far(value, target, options)
    verdict = _("Your answer {answer} is {how}") if how.endswith(("?", "？")) else _("Your answer {answer} is {how}.")
    return verdict.format(answer=shown, how=how) + _rounding_tip(value, target, options)


def _normal_text(text: str, options: dict) -> str:
    if options["ignore_whitespace"]:
        text = " ".join(text.split())
    if options["ignore_case"]:
        text = text.casefold()
    return text


def _compare_text(answer, expected: str, options: dict) -> str | None:
    if not isinstance(answer, str):
        return _type_problem(answer, expected)
    if _normal_text(answer, options) == _normal_text(expected, options):
        return None
    message = _("Your answer {answer} is not the expected text.").format(answer=repr(answer[:60]))
    case = " ".join(answer.split()) != " ".join(expected.split())  # still different once spaces agree
    spaces = answer.casefold() != expected.casefold()  # still different once case agrees
    if " ".join(answer.casefold().split()) == " ".join(expected.casefold().split()):
        if case and spaces:
            message += _(" It differs only in upper/lower case and spaces.")
        elif case:
            message += _(" It differs only in upper/lower case.")
        else:
            message += _(" It differs only in spaces.")
    return message


def _compare_other(answer, expected) -> str | None:
    if type(answer) is not type(expected) and not isinstance(answer, type(expected)):
        return _type_problem(answer, expected)
    same = answer == expected
    if isinstance(same, (bool, np.bool_)) and same:
        return None
    return _("Your answer {answer} is not the expected value.").format(answer=_fmt(answer))


# --- element-wise comparison shared by lists, Series and DataFrames ---------------------------
def _numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _equal_cells(expected: pd.Series, answer: pd.Series, options: dict) -> np.ndarray:
    """Position by position: does the answer match (numbers with tolerance, both missing counts as equal)?"""
    if _numeric(expected) and _numeric(answer):
        e = expected.to_numpy(dtype="float64", na_value=np.nan)
        a = answer.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(all="ignore"):
            return np.isclose(a, e, rtol=options["rtol"], atol=_tolerance(options), equal_nan=True) | (a == e)
    e = expected.to_numpy(dtype=object)
    a = answer.to_numpy(dtype=object)
    if options["ignore_case"] or options["ignore_whitespace"]:
        norm = np.frompyfunc(lambda v: _normal_text(v, options) if isinstance(v, str) else v, 1, 1)
        e, a = norm(e), norm(a)
    same = np.asarray(e == a, dtype=bool) if len(e) else np.zeros(0, dtype=bool)
    return same | (pd.isna(expected).to_numpy() & pd.isna(answer).to_numpy())


def _first_difference(expected: pd.Series, answer: pd.Series, options: dict) -> tuple[int, int | None]:
    """Number of differing cells and the position of the first."""
    same = _equal_cells(expected, answer, options)
    wrong = np.flatnonzero(~same)
    return len(wrong), (int(wrong[0]) if len(wrong) else None)


def _cell_difference(got, want, options: dict) -> str:
    """How one wrong cell or item differs, without the expected value: "yours (19.0) is too low by about 10%"."""
    try:
        got_missing, want_missing = bool(pd.isna(got)), bool(pd.isna(want))
    except (TypeError, ValueError):
        got_missing = want_missing = False
    if got_missing and not want_missing:
        return _("yours is missing (NaN) where a value is expected")
    if _is_number(got) and _is_number(want) and not want_missing:
        return _("yours ({value}) is {how}").format(value=_fmt(got), how=_how_far(float(got), float(want), options))
    return _("yours ({value}) is not the expected value").format(value=_fmt(got))


def _value_kind_problem(expected: pd.Series, answer: pd.Series, where: str) -> str | None:
    """Numbers expected, something else given; ``where`` is the column (shown as a value) or ""."""
    if _numeric(expected) and not _numeric(answer) and not pd.api.types.is_bool_dtype(answer) and len(answer):
        example = answer.dropna()
        shown = _(" (e.g. {value})").format(value=_fmt(example.iloc[0])) if len(example) else ""
        kind = pd.api.types.infer_dtype(answer, skipna=True)
        words = {
            "string": _("text"),
            "boolean": "True/False",
            "datetime64": _("dates"),
            "datetime": _("dates"),
            "date": _("dates"),
            "categorical": _("categories"),
            "mixed": _("of mixed types"),
            "mixed-integer": _("of mixed types"),
        }
        message = (
            _("Expected numbers, but your values are {kind}{example}.")
            if not where
            else _("Expected numbers in column {column}, but your values are {kind}{example}.")
        )
        return message.format(column=where, kind=words.get(kind, kind), example=shown)
    return None


# --- lists, tuples, sets, arrays ----------------------------------------------------------------
def _items(value) -> list | None:
    if isinstance(value, (list, tuple, set, frozenset, pd.Index, pd.Series)):
        return list(value)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value.tolist()
    return None


def _compare_items(answer, expected, options: dict) -> str | None:
    got, want = _items(answer), _items(expected)
    if got is None:
        return _type_problem(answer, expected)
    if isinstance(expected, (set, frozenset)):
        return _compare_as_sets(got, want, options)
    if len(got) != len(want):
        return _("Expected {count} items, you have {yours}.").format(count=len(want), yours=len(got))
    got_s, want_s = pd.Series(got), pd.Series(want)  # numbers become a numeric column, compared with tolerance
    if options["ignore_order"]:
        try:
            got_s, want_s = got_s.sort_values(ignore_index=True), want_s.sort_values(ignore_index=True)
        except TypeError:  # items that cannot be ordered: compare as multisets
            return _compare_as_sets(got, want, options, counted=True)
    count, first = _first_difference(want_s, got_s, options)
    if count == 0:
        return None
    if not options["ignore_order"] and _compare_as_sets(got, want, options, counted=True) is None:
        return _("You have the right items, but in a different order.")
    where = _("after sorting both, at position {position}") if options["ignore_order"] else _("at position {position}")
    difference = _cell_difference(got_s.iloc[first], want_s.iloc[first], options)
    return _("{count} of {total} items differ, e.g. {where} {difference}.").format(
        count=count, total=len(want), where=where.format(position=first + 1), difference=difference
    )


def _compare_as_sets(got: list, want: list, options: dict, counted: bool = False) -> str | None:
    def norm(v):
        return _normal_text(v, options) if isinstance(v, str) else v

    got_c, want_c = Counter(map(norm, got)), Counter(map(norm, want))
    if not counted:
        got_c, want_c = Counter(set(got_c)), Counter(set(want_c))
    missing, extra = list((want_c - got_c).elements()), list((got_c - want_c).elements())
    if not missing and not extra:
        return None
    return _("Your items differ: {details}.").format(details=_missing_and_extra(len(missing), extra, "item"))


def _missing_and_extra(missing: int, extra, noun: str) -> str:
    """'1 expected item is missing; not expected: ['c']' — the expected ones are counted, never named."""
    parts = []
    if missing and noun == "label":
        parts.append(ngettext("{n} expected label is missing", "{n} expected labels are missing", missing))
    elif missing:
        parts.append(ngettext("{n} expected item is missing", "{n} expected items are missing", missing))
    if len(extra):
        parts.append(_("not expected: {items}"))
    return _("; ").join(parts).format(n=missing, items=_some(extra))


# --- Series and DataFrames -------------------------------------------------------------------
def _sorted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted by all columns (as text where values cannot be ordered), labels dropped."""
    plain = frame.set_axis(range(frame.shape[1]), axis=1).reset_index(drop=True)
    if plain.shape[1] == 0:
        return plain
    try:
        order = plain.sort_values(list(plain.columns), kind="stable").index
    except TypeError:
        order = plain.astype(str).sort_values(list(plain.columns), kind="stable").index
    return frame.iloc[order.to_numpy()].reset_index(drop=True)


def _align_rows(answer, expected, options: dict) -> tuple[object, object, str | None]:
    """Check the index and put the answer's rows in the expected order; or say what differs."""
    if options["ignore_index"]:
        if options["ignore_order"]:
            as_frame = lambda x: x.to_frame() if isinstance(x, pd.Series) else x  # noqa: E731
            a, e = _sorted_rows(as_frame(answer)), _sorted_rows(as_frame(expected))
            if isinstance(expected, pd.Series):
                a, e = a.iloc[:, 0].rename(answer.name), e.iloc[:, 0].rename(expected.name)
            return a, e, None
        return answer.reset_index(drop=True), expected.reset_index(drop=True), None
    got, want = answer.index, expected.index
    missing, extra = want.difference(got, sort=False), got.difference(want, sort=False)
    if len(missing) or len(extra):
        differ = _missing_and_extra(len(missing), extra, "label")
        return answer, expected, _("Your row labels (index) differ: {details}.").format(details=differ)
    if got.equals(want):
        return answer, expected, None
    if not options["ignore_order"]:
        return (
            answer,
            expected,
            _(
                "The row labels are right but in a different order. "
                "Sort with .sort_index() or .sort_values(), as the question asks."
            ),
        )
    if want.is_unique and got.is_unique:
        return answer.loc[want], expected, None
    return answer.sort_index(kind="stable"), expected.sort_index(kind="stable"), None


def _label(index: pd.Index, position: int, ignore_index: bool) -> str:
    if ignore_index:
        return _("position {position}").format(position=position + 1)
    return _("row {label}").format(label=_fmt(index[position]))


def _compare_series(answer, expected: pd.Series, options: dict) -> str | None:
    if not isinstance(answer, pd.Series):
        return _type_problem(answer, expected)
    if len(answer) != len(expected):
        return _("Expected {count} values, you have {yours}.").format(count=len(expected), yours=len(answer))
    if not options["ignore_name"] and answer.name != expected.name:
        return _("Expected the Series to be named {name}, yours is named {yours}.").format(
            name=_fmt(expected.name), yours=_fmt(answer.name)
        )
    answer, expected, problem = _align_rows(answer, expected, options)
    if problem:
        return problem
    problem = _value_kind_problem(expected, answer, "")
    if problem:
        return problem
    count, first = _first_difference(expected, answer, options)
    if count == 0:
        return None
    where = _label(expected.index, first, options["ignore_index"])
    return _("{count} of {total} values differ, e.g. at {where} {difference}.").format(
        count=count,
        total=len(expected),
        where=where,
        difference=_cell_difference(answer.iloc[first], expected.iloc[first], options),
    )


def _compare_frame(answer, expected: pd.DataFrame, options: dict) -> str | None:
    if not isinstance(answer, pd.DataFrame):
        return _type_problem(answer, expected)
    want, got = list(expected.columns), list(answer.columns)
    if Counter(map(str, want)) != Counter(map(str, got)) or set(want) != set(got) or len(want) != len(got):
        return _("Expected columns {columns}, you have {yours}.").format(columns=want, yours=got)
    if want != got:
        if not options["ignore_column_order"]:
            return _("Expected the columns in the order {columns}, you have {yours}.").format(columns=want, yours=got)
        if answer.columns.is_unique:
            answer = answer[want]
    if len(answer) != len(expected):
        return _("Expected {count} rows, you have {yours}.").format(count=len(expected), yours=len(answer))
    answer, expected, problem = _align_rows(answer, expected, options)
    if problem:
        return problem
    total, example = 0, None
    for j, column in enumerate(expected.columns):
        e, a = expected.iloc[:, j], answer.iloc[:, j]
        problem = _value_kind_problem(e, a, _fmt(column))
        if problem:
            return problem
        count, first = _first_difference(e, a, options)
        total += count
        if count and example is None:
            where = _label(expected.index, first, options["ignore_index"])
            example = _("at {where}, column {column}, {difference}").format(
                where=where, column=_fmt(column), difference=_cell_difference(a.iloc[first], e.iloc[first], options)
            )
    if total == 0:
        return None
    return _("{count} of {total} values differ, e.g. {example}.").format(
        count=total, total=expected.size, example=example
    )


_CONCEPT_CHECKS = {"SingleChoice", "MultipleChoice", "PutInOrder", "MatchPairs", "SortIntoClasses"}


def __getattr__(name: str):
    """The concept checks (defined in crmlib.concepts, on top of Exercise) can be imported from here too."""
    if name in _CONCEPT_CHECKS:
        from crmlib import concepts

        return getattr(concepts, name)
    raise AttributeError(f"module 'crmlib.exercises' has no attribute {name!r}")


# --------------------------------------------------------------------------------------------
# sealed copies: the student edition's exercises, which carry their answer only in sealed form
# --------------------------------------------------------------------------------------------
_SEAL_LETTERS = "BCDFGHJKLMNPQRST"  # 16 upper-case consonants: no digit, word or number can show in a seal


def seal(exercise: Exercise) -> tuple[str, dict, str]:
    """``(kind, public, sealed)``: what a :class:`SealedExercise` needs to stand in for ``exercise``.

    The secret part (expected answer; for a concept check also its feedback and explanation) is
    computed now, encoded, compressed and scrambled with a key made from the question, and
    written as upper-case consonants. It keeps a student from reading the answer in the files;
    it is not encryption (the code that opens it is in crmlib).

    >>> kind, public, sealed = seal(Exercise("Twice two", answer=lambda: 4, hint="Add 2 and 2."))
    >>> kind, public["hints"], "4" in sealed
    ('value', ['Add 2 and 2.'], False)
    >>> _unseal(public, sealed)
    {'expected': 4}
    """
    public = exercise.public()
    try:
        encoded = _encode(exercise.secret())
    except ExerciseError as err:
        raise ExerciseError(f"Exercise {exercise.question!r} cannot be sealed: {err}") from None
    payload = zlib.compress(json.dumps(encoded, sort_keys=True, ensure_ascii=False).encode("utf-8"), 9)
    scrambled = bytes(a ^ b for a, b in zip(payload, _keystream(public, len(payload)), strict=True))
    return exercise.kind, public, "".join(_SEAL_LETTERS[b >> 4] + _SEAL_LETTERS[b & 15] for b in scrambled)


def _keystream(public: dict, n: int) -> bytes:
    key = hashlib.sha256(("crmlib sealed exercise\n" + public["question"]).encode("utf-8")).digest()
    blocks = (hashlib.blake2b(i.to_bytes(8, "big"), key=key).digest() for i in range(n // 64 + 1))
    return b"".join(blocks)[:n]


def _unseal(public: dict, sealed: str):
    index = {c: i for i, c in enumerate(_SEAL_LETTERS)}
    try:
        scrambled = bytes(index[a] << 4 | index[b] for a, b in zip(sealed[::2], sealed[1::2], strict=True))
        payload = bytes(a ^ b for a, b in zip(scrambled, _keystream(public, len(scrambled)), strict=True))
        return _decode(json.loads(zlib.decompress(payload).decode("utf-8")))
    except (KeyError, ValueError, zlib.error) as err:
        raise ExerciseError(
            f"The sealed answer of {public['question']!r} is damaged ({type(err).__name__}); "
            "rebuild the student edition (make student)."
        ) from None


def _encode(value):
    """A value as JSON-able data that :func:`_decode` turns back into an equal value."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (numbers.Integral, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return {"$": type(value).__name__, "v": [_encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$": "set", "v": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, dict):
        return {"$": "dict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, pd.Timestamp):
        return {"$": "time", "v": value.isoformat()}
    if isinstance(value, pd.MultiIndex):
        raise ExerciseError("a MultiIndex is not supported")
    if isinstance(value, pd.RangeIndex):
        return {"$": "range", "v": [value.start, value.stop, value.step], "name": _encode(value.name)}
    if isinstance(value, (pd.Index, pd.Series)):
        dtype = value.dtype
        data = {
            "$": "index" if isinstance(value, pd.Index) else "series",
            "name": _encode(value.name),
            "dtype": str(dtype),
            "v": [_encode(v) for v in _plain(value)],
        }
        if isinstance(dtype, pd.CategoricalDtype):
            data["categories"] = [_encode(v) for v in dtype.categories]
            data["ordered"] = bool(dtype.ordered)
        if isinstance(value, pd.Series):
            data["index"] = _encode(value.index)
        return data
    if isinstance(value, pd.DataFrame):
        return {
            "$": "frame",
            "columns": _encode(value.columns),
            "index": _encode(value.index),
            "v": [_encode(value.iloc[:, j]) for j in range(value.shape[1])],
        }
    raise ExerciseError(f"a {type(value).__name__} is not supported")


def _plain(values) -> list:
    """The values of an Index or Series as Python objects, dates as ISO text, gaps as None."""
    out = []
    for v in values.astype(object):
        if isinstance(v, pd.Timestamp):
            out.append(v.isoformat())
        elif v is pd.NaT or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
            out.append(None if not isinstance(v, float) else float("nan"))
        else:
            out.append(v)
    return out


def _decode(data):
    if not isinstance(data, dict):
        return data
    tag = data["$"]
    if tag in ("list", "tuple", "set"):
        items = [_decode(v) for v in data["v"]]
        return {"list": list, "tuple": tuple, "set": set}[tag](items)
    if tag == "dict":
        return {_decode(k): _decode(v) for k, v in data["v"]}
    if tag == "time":
        return pd.Timestamp(data["v"])
    if tag == "range":
        return pd.RangeIndex(*data["v"], name=_decode(data["name"]))
    if tag in ("index", "series"):
        values = [_decode(v) for v in data["v"]]
        if "categories" in data:
            dtype = pd.CategoricalDtype([_decode(v) for v in data["categories"]], ordered=data["ordered"])
        else:
            dtype = data["dtype"]
        if tag == "index":
            return pd.Index(values, dtype=dtype, name=_decode(data["name"]))
        return pd.Series(values, index=_decode(data["index"]), dtype=dtype, name=_decode(data["name"]))
    if tag == "frame":
        columns = _decode(data["columns"])
        parts = [_decode(v) for v in data["v"]]
        frame = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=_decode(data["index"]))
        frame.columns = columns
        frame.index = _decode(data["index"])
        return frame
    raise ExerciseError(f"unknown sealed value {tag!r}")


class SealedExercise:
    """An exercise of the student edition: ask, hint and check, with the answer kept sealed.

    It offers what a student needs (``question``, ``points``, ``hint(n)``, ``check(answer)``,
    ``show()``, and for a concept check its ``choices``), and nothing that shows the answer: no
    ``expected``, no ``solution``. :func:`seal` makes the three arguments from an exercise.
    """

    __slots__ = ("_kind", "_public", "_sealed")

    def __init__(self, kind: str, public: dict, sealed: str):
        self._kind, self._public, self._sealed = kind, public, sealed

    def _judge_class(self) -> type:
        if self._kind not in Exercise.kinds:
            import crmlib.concepts  # noqa: F401  (registers the concept-check kinds)
        try:
            return Exercise.kinds[self._kind]
        except KeyError:
            raise ExerciseError(f"Unknown kind of exercise {self._kind!r}: update crmlib.") from None

    @property
    def question(self) -> str:
        return self._public["question"]

    @property
    def points(self):
        return self._public["points"]

    def __getattr__(self, name: str):
        if name in ("choices", "targets", "classes") and name in self._public:
            return tuple(self._public[name])
        raise AttributeError(f"This exercise has no attribute {name!r}.")

    def __dir__(self):
        return [
            "check",
            "hint",
            "points",
            "question",
            "show",
            *(n for n in ("choices", "targets", "classes") if n in self._public),
        ]

    def __repr__(self) -> str:
        return f"{self._judge_class().__name__}({self.question!r})"

    def check(self, answer) -> CheckResult:
        """Compare ``answer`` with the expected one, print the verdict and return it."""
        return _run_check(self._judge_class(), self._public, lambda: _unseal(self._public, self._sealed), answer)

    def hint(self, level: int = 1) -> None:
        """Print hint number ``level``: 1 a nudge, the last one the recipe."""
        _print_hint(tuple(localized(self._public)["hints"]), level)

    def show(self) -> None:
        """Print the question (with its options, for a concept check)."""
        print(self._judge_class().text(self._public))

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self._judge_class().text(self._public))

    def _repr_html_(self):
        kind = self._judge_class()
        return kind.html(self._public) if hasattr(kind, "html") else None


# --------------------------------------------------------------------------------------------
# answers as plain data: how the grader (scripts/grade.py) carries a student's answer out of the
# student's kernel without pickle
# --------------------------------------------------------------------------------------------
def answer_to_data(value):
    """``value`` as JSON-able data (numbers, text, lists, dicts) that :func:`answer_from_data` rebuilds.

    Numbers, text, True/False, lists, tuples, sets, dicts, arrays, Series, Index and DataFrames
    (no MultiIndex) are kept; anything else raises :class:`ExerciseError`. The data holds values
    only, never code, so it is safe to read from a process one does not trust.

    >>> answer_from_data(json.loads(json.dumps(answer_to_data(pd.Series([1.5, 2.0], index=["a", "b"])))))
    a    1.5
    b    2.0
    dtype: float64
    >>> answer_from_data(answer_to_data(np.array([1, 2])))
    [1, 2]
    """
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ExerciseError(f"an array with {value.ndim} dimensions is not supported")
        value = _plain(pd.Series(value))
    if isinstance(value, np.generic) and not isinstance(value, (np.bool_, np.integer, np.floating)):
        value = value.item()
    return _encode(value)


def answer_from_data(data):
    """The answer that :func:`answer_to_data` turned into ``data``; :class:`ExerciseError` if ``data`` is damaged."""
    try:
        return _decode(data)
    except ExerciseError:
        raise
    except Exception as err:  # data from elsewhere may be malformed in any way
        raise ExerciseError(f"the answer data cannot be read ({type(err).__name__})") from None
