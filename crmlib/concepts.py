"""Concept checks (概念自测): questions on the course's ideas, checked like the data exercises.

Five kinds, each an :class:`~crmlib.exercises.Exercise` whose ``choices`` lists the options, so
tools can count and grade them:

==================  ===========================================  ==========================
kind                the student answers with                     e.g.
==================  ===========================================  ==========================
``SingleChoice``    one letter                                   ``answer = "B"``
``MultipleChoice``  every letter that applies                    ``answer = "A C"``
``PutInOrder``      all the letters, first step first            ``answer = "C A D B"``
``MatchPairs``      a letter and the number it goes with         ``answer = "A2 B3 C1"``
``SortIntoClasses`` a letter and the number of its class         ``answer = "A1 B2 C1"``
==================  ===========================================  ==========================

Letters may be lower case and separated by spaces, commas or nothing (``"a,c"``, ``"AC"``);
Python lists, sets and dicts work too (``{"A", "C"}``, ``["C", "A", "D", "B"]``,
``{"A": 2, "B": 3}``; a class may also be given by its name). Displaying the check (a cell
that ends with ``ex.complaint_types``, or ``ex.complaint_types.show()``) prints the question,
the lettered options and how to answer, as plain text and as HTML, so it reads the same in
JupyterLab, Voila and the book. ``check`` explains each wrong choice with the author's feedback
for it, and a right answer with the explanation. The author writes::

    complaint_type = SingleChoice(
        "A customer writes: 'The courier threw my parcel at the door.' What type of complaint is it?",
        choices=["product quality", "service attitude", "price", "delivery"],
        answer="D",
        feedback={"A": "The goods themselves are fine; the complaint is about how they came.",
                  "B": "Attitude is about how staff treat the customer face to face or on the phone.",
                  "C": "Nothing here is about what the customer paid."},
        explanation="How goods reach the customer is a delivery complaint.",
        hint=["Is the product itself at fault?", "Who handled the parcel?"],
    )

Every wrong choice (for orders, pairs and classes: every item) needs its feedback; a mistake
in the definition raises :class:`~crmlib.exercises.ExerciseError` naming it.

>>> q = SingleChoice("2 + 2?", choices=["3", "4"], answer="B", feedback={"A": "One short."},
...                  explanation="Two and two make four.")
>>> q.show()
2 + 2?
  A. 3
  B. 4
Answer with one letter, e.g. answer = "B".
>>> ok = q.check("a")
✗ A is not right. One short.
>>> ok = q.check("B")
✓ Correct! Two and two make four.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from crmlib.exercises import Exercise, ExerciseError, localized
from crmlib.messages import gettext as _
from crmlib.messages import ngettext

__all__ = ["ConceptCheck", "SingleChoice", "MultipleChoice", "PutInOrder", "MatchPairs", "SortIntoClasses", "LETTERS"]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SEPARATORS = re.compile(r"[\s,;/|+&]+")
_PAIR = re.compile(r"([A-Za-z])\s*[-:=.>)→]*\s*(\d+)")


class _Unreadable(Exception):
    """The student's answer is not in a form the check can read; the message says the form."""


def _range(n: int) -> str:
    """The letters of n options: "A to D", "A or B"."""
    if n > 2:
        return _("{first} to {last}").format(first=LETTERS[0], last=LETTERS[n - 1])
    return _("{first} or {last}").format(first=LETTERS[0], last=LETTERS[1])


class ConceptCheck(Exercise):
    """What the five kinds share: lettered ``choices``, feedback per choice, an explanation."""

    kind = "concept"

    def __init__(
        self,
        question: str,
        choices,
        answer,
        *,
        feedback: dict,
        explanation: str,
        hint: str | list[str] = "",
        points: float = 1,
    ):
        super().__init__(question, answer=answer, hint=hint, points=points)
        self.choices = _texts(question, "choices", choices, at_least=2)
        if not isinstance(explanation, str) or not explanation.strip():
            raise ExerciseError(f"{question!r}: explanation must be a non-empty text: why the right answer is right.")
        self._explanation = explanation
        self._answer = self._normal_answer(answer)
        self._feedback = self._checked_feedback(feedback)

    # --- definition checks (the author's mistakes) ---------------------------------------------
    def _letters_of_choices(self) -> str:
        return LETTERS[: len(self.choices)]

    def _author_letters(self, answer) -> list[str]:
        try:
            letters = _letters(answer, len(self.choices))
        except _Unreadable as err:
            raise ExerciseError(f"{self.question!r}: answer {answer!r} cannot be read: {err}") from None
        unknown = [x for x in letters if x not in self._letters_of_choices()]
        if unknown:
            raise ExerciseError(
                f"{self.question!r}: answer names {unknown}, but the choices are {_range(len(self.choices))}."
            )
        return letters

    def _feedback_needed(self) -> list[str]:
        """The letters that must have feedback."""
        return list(self._letters_of_choices())

    def _checked_feedback(self, feedback) -> dict:
        if not isinstance(feedback, dict) or not all(isinstance(k, str) for k in feedback):
            raise ExerciseError(
                f'{self.question!r}: feedback must be a dict from letter to text, e.g. {{"A": "why A is wrong"}}.'
            )
        normal = {k.strip().upper(): v for k, v in feedback.items()}
        needed = self._feedback_needed()
        missing = [x for x in needed if not (isinstance(normal.get(x), str) and normal[x].strip())]
        extra = sorted(set(normal) - set(needed))
        if missing or extra:
            parts = [f"no feedback for {missing}"] if missing else []
            parts += [f"feedback for {extra}, which need none (only {needed} do)"] if extra else []
            raise ExerciseError(f"{self.question!r}: " + "; ".join(parts) + ".")
        return {x: normal[x] for x in needed}

    def _normal_answer(self, answer):  # pragma: no cover - each kind defines it
        raise NotImplementedError

    # --- what the student sees -------------------------------------------------------------------
    def public(self) -> dict:
        return {**super().public(), "choices": list(self.choices)}

    def secret(self) -> dict:
        secret = {"expected": self.expected, "feedback": dict(self._feedback), "explanation": self._explanation}
        translations = self._translated("secret")
        return {**secret, "translations": translations} if translations else secret

    def _english_fields(self) -> dict[str, str]:
        fields = super()._english_fields()
        fields.update({f"choice.{LETTERS[i]}": c for i, c in enumerate(self.choices)})
        fields.update({f"target.{i}": t for i, t in enumerate(getattr(self, "targets", ()), 1)})
        fields.update({f"class.{i}": c for i, c in enumerate(getattr(self, "classes", ()), 1)})
        fields.update({f"feedback.{x}": text for x, text in self._feedback.items()})
        fields["explanation"] = self._explanation
        return fields

    @classmethod
    def _options_lines(cls, public: dict) -> list[str]:
        return [f"  {LETTERS[i]}. {c}" for i, c in enumerate(public["choices"])]

    @classmethod
    def _how(cls) -> str:  # pragma: no cover - each kind defines it
        """How to answer, shown under the options (with {n}, {slots}, {marks})."""
        raise NotImplementedError

    @classmethod
    def _how_to_answer(cls, public: dict) -> str:
        n = len(public["choices"])
        return cls._how().format(n=n, slots=" ".join(f"{x}?" for x in LETTERS[:n]), marks=" ".join("?" * n))

    @classmethod
    def text(cls, public: dict) -> str:
        public = localized(public)
        return "\n".join([public["question"], *cls._options_lines(public), cls._how_to_answer(public)])

    @classmethod
    def html(cls, public: dict) -> str:
        """The question as HTML: question, options as a lettered list, how to answer."""
        public = localized(public)
        items = "".join(f"<li><b>{LETTERS[i]}.</b> {html.escape(c)}</li>" for i, c in enumerate(public["choices"]))
        return (
            f'<div class="crm-concept-check"><p><b>{html.escape(public["question"])}</b></p>'
            f'{cls._extra_html(public)}<ul style="list-style: none">{items}</ul>'
            f"<p><i>{html.escape(cls._how_to_answer(public))}</i></p></div>"
        )

    @classmethod
    def _extra_html(cls, public: dict) -> str:
        return ""

    def _repr_html_(self) -> str:
        return type(self).html(self.public())

    @classmethod
    def praise(cls, public: dict, secret: dict) -> str:
        return _("✓ Correct! {explanation}").format(explanation=localized(secret)["explanation"])

    @classmethod
    def missing_answer(cls, public: dict) -> str:
        return _("replace None with your answer. {how}").format(how=cls._how_to_answer(public))

    @classmethod
    def judge(cls, public: dict, secret: dict, answer) -> str | None:
        public, secret = localized(public), localized(secret)
        try:
            return cls._judge_readable(public, secret, answer)
        except _Unreadable as err:
            return f"{err} {cls._how_to_answer(public)}"

    @classmethod
    def _judge_readable(cls, public: dict, secret: dict, answer) -> str | None:  # pragma: no cover
        raise NotImplementedError


# --- reading answers --------------------------------------------------------------------------
def _texts(question: str, what: str, values, at_least: int) -> tuple[str, ...]:
    if (
        isinstance(values, str)
        or not isinstance(values, (list, tuple))
        or len(values) < at_least
        or not all(isinstance(v, str) and v.strip() for v in values)
    ):
        raise ExerciseError(
            f"{question!r}: {what} must be a list of at least {at_least} non-empty texts, got {values!r}."
        )
    if len(values) > len(LETTERS):
        raise ExerciseError(f"{question!r}: at most {len(LETTERS)} {what}, got {len(values)}.")
    repeated = [v for v, n in Counter(values).items() if n > 1]
    if repeated:
        raise ExerciseError(f"{question!r}: {what} are listed twice: {repeated}.")
    return tuple(values)


def _letters(answer, n: int = len(LETTERS)) -> list[str]:
    """The letters of an answer, upper case, in the order given: "a, c" -> ["A", "C"].

    A run of letters counts as letters ("ACD") if it is no longer than the ``n`` options.
    """
    if isinstance(answer, str):
        tokens = [t for t in _SEPARATORS.split(answer.strip().strip("()[]{}")) if t]
        if len(tokens) == 1 and tokens[0].isalpha() and tokens[0].isascii() and len(tokens[0]) <= n:
            tokens = list(tokens[0])  # "ACD"
    elif isinstance(answer, (list, tuple, set, frozenset)):
        tokens = [t.strip() if isinstance(t, str) else t for t in answer]
        if isinstance(answer, (set, frozenset)):
            tokens = sorted(tokens, key=str)
    else:
        shown = type(answer).__name__ if answer is not None else "None"
        raise _Unreadable(_("Your answer is {type}, not letters.").format(type=shown))
    bad = [t for t in tokens if not (isinstance(t, str) and len(t) == 1 and t.upper() in LETTERS)]
    if bad:
        words = [t for t in bad if isinstance(t, str) and len(t) > 1]
        if words:
            raise _Unreadable(
                _("Write the letter of an option, not its words ({words}).").format(words=repr(words[0][:30]))
            )
        raise _Unreadable(
            _("Your answer should be letters only, but has {bad}.").format(bad=", ".join(map(repr, bad[:3])))
        )
    return [t.upper() for t in tokens]


def _pairs(answer, names: list[str] | None = None, also: list[str] | None = None) -> dict[str, int]:
    """A letter -> number answer: "A2 B1", "a-2, b-1", {"A": 2, "B": "1"} or, with ``names``, {"A": "price"}.

    ``also`` holds the same names in another language (number i is ``names[i]`` or ``also[i]``).
    """
    if isinstance(answer, str):
        text = answer.strip()
        found = _PAIR.findall(text)
        rest = _PAIR.sub(" ", text)
        if not found or _SEPARATORS.sub("", rest):
            raise _Unreadable(
                _("Your answer {answer} cannot be read as letter-number pairs.").format(answer=repr(text[:40]))
            )
        items = [(x, n) for x, n in found]
    elif isinstance(answer, dict):
        items = list(answer.items())
    else:
        raise _Unreadable(_("Your answer is {type}, not letter-number pairs.").format(type=type(answer).__name__))
    pairs: dict[str, int] = {}
    lookup = {n.casefold(): i + 1 for i, n in enumerate(also or [])}
    lookup.update({n.casefold(): i + 1 for i, n in enumerate(names or [])})
    for letter, number in items:
        if not (isinstance(letter, str) and len(letter.strip()) == 1 and letter.strip().upper() in LETTERS):
            raise _Unreadable(_("{value} is not a letter.").format(value=repr(letter)))
        letter = letter.strip().upper()
        if isinstance(number, str) and number.strip().casefold() in lookup:
            number = lookup[number.strip().casefold()]
        try:
            number = int(number) if not isinstance(number, bool) and str(number).strip().isdigit() else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            raise _Unreadable(_("After {letter} there should be a number.").format(letter=letter))
        if letter in pairs:
            raise _Unreadable(_("{letter} is given twice.").format(letter=letter))
        pairs[letter] = number
    return pairs


def _set_problem(given: list[str], allowed: str, what: str = "option") -> str | None:
    unknown = [x for x in dict.fromkeys(given) if x not in allowed]
    if not unknown:
        return None
    message = {
        "option": _("There is no option {letters}: the options are {range}."),
        "step": _("There is no step {letters}: the steps are {range}."),
        "item": _("There is no item {letters}: the items are {range}."),
    }[what]
    return message.format(letters=", ".join(unknown), range=_range(len(allowed)))


# --- the five kinds ---------------------------------------------------------------------------
class SingleChoice(ConceptCheck):
    """A question with one right option out of the ``choices``.

    ``answer`` is the right letter; ``feedback`` says, for every other letter, why it is wrong.
    """

    kind = "single choice"

    @classmethod
    def _how(cls) -> str:
        return _('Answer with one letter, e.g. answer = "B".')

    def _normal_answer(self, answer) -> str:
        letters = self._author_letters(answer)
        if len(letters) != 1:
            raise ExerciseError(f"{self.question!r}: a single choice has one right letter, got {answer!r}.")
        return letters[0]

    def _feedback_needed(self) -> list[str]:
        return [x for x in self._letters_of_choices() if x != self._answer]

    @classmethod
    def _judge_readable(cls, public, secret, answer):
        letters = list(dict.fromkeys(_letters(answer, len(public["choices"]))))
        allowed = LETTERS[: len(public["choices"])]
        problem = _set_problem(letters, allowed)
        if problem:
            return problem
        if len(letters) != 1:
            return _("Pick one letter only; you gave {count} ({letters}).").format(
                count=len(letters), letters=", ".join(letters) or _("none")
            )
        if letters[0] == secret["expected"]:
            return None
        return _("{letter} is not right. {feedback}").format(letter=letters[0], feedback=secret["feedback"][letters[0]])


class MultipleChoice(ConceptCheck):
    """A question where one or more of the ``choices`` are right.

    ``answer`` lists the right letters (``"A C"`` or ``{"A", "C"}``); ``feedback`` says, for
    every other letter, why it is wrong. The check names each wrongly picked letter with its
    feedback and counts the right ones still missing (without naming them).
    """

    kind = "multiple choice"

    @classmethod
    def _how(cls) -> str:
        return _('Answer with every letter that applies, e.g. answer = "A C".')

    def _normal_answer(self, answer) -> list[str]:
        letters = sorted(set(self._author_letters(answer)))
        if not letters:
            raise ExerciseError(f"{self.question!r}: a multiple choice needs at least one right letter.")
        return letters

    def _feedback_needed(self) -> list[str]:
        return [x for x in self._letters_of_choices() if x not in self._answer]

    @classmethod
    def _judge_readable(cls, public, secret, answer):
        letters = list(dict.fromkeys(_letters(answer, len(public["choices"]))))
        problem = _set_problem(letters, LETTERS[: len(public["choices"])])
        if problem:
            return problem
        if not letters:
            return _("Pick at least one letter.")
        right = set(secret["expected"])
        wrong = [x for x in letters if x not in right]
        missing = len(right - set(letters))
        if not wrong and not missing:
            return None
        wrong_part = ngettext("{n} letter of yours is wrong", "{n} letters of yours are wrong", len(wrong))
        missing_part = ngettext("{m} right option is missing", "{m} right options are missing", missing)
        if wrong and missing:
            head = _("Not yet: {wrong} and {missing}.").format(wrong=wrong_part, missing=missing_part)
        else:
            head = _("Not yet: {what}.").format(what=wrong_part if wrong else missing_part)
        lines = [head.format(n=len(wrong), m=missing)]
        lines += [f"  {x}: {secret['feedback'][x]}" for x in wrong]
        return "\n".join(lines)


class PutInOrder(ConceptCheck):
    """Put the ``choices`` (shown in a mixed order) in the right order.

    ``answer`` is every letter in the right order (``"C A D B"``), which must differ from the
    order shown. ``feedback`` has, for every letter, what tells where that step belongs; the
    check shows it for the first step out of place.
    """

    kind = "order"

    @classmethod
    def _how(cls) -> str:
        return _('Answer with all {n} letters in the right order, first one first: answer = "{marks}".')

    def _normal_answer(self, answer) -> list[str]:
        letters = self._author_letters(answer)
        if sorted(letters) != list(self._letters_of_choices()):
            raise ExerciseError(
                f"{self.question!r}: the answer must use every letter {_range(len(self.choices))} once, got {answer!r}."
            )
        if letters == list(self._letters_of_choices()):
            raise ExerciseError(
                f"{self.question!r}: the choices are shown in the right order already; "
                "list them mixed up and give the right order as the answer."
            )
        return letters

    @classmethod
    def _judge_readable(cls, public, secret, answer):
        letters = _letters(answer, len(public["choices"]))
        allowed = LETTERS[: len(public["choices"])]
        problem = _set_problem(letters, allowed, "step")
        if problem:
            return problem
        counts = Counter(letters)
        missing = [x for x in allowed if x not in counts]
        twice = [x for x, n in counts.items() if n > 1]
        if missing or twice:
            parts = [_("missing {letters}").format(letters=", ".join(missing))] if missing else []
            parts += [_("more than once: {letters}").format(letters=", ".join(twice))] if twice else []
            return _("Use each letter {range} once ({details}).").format(
                range=_range(len(allowed)), details=_("; ").join(parts)
            )
        expected = secret["expected"]
        placed = sum(a == b for a, b in zip(letters, expected, strict=True))
        if placed == len(expected):
            return None
        first = next(i for i, (a, b) in enumerate(zip(letters, expected, strict=True)) if a != b)
        letter = letters[first]
        return _(
            "{placed} of {total} are in the right place. The first one out of place is "
            "number {position} in your order, {letter}: {feedback}"
        ).format(
            placed=placed, total=len(expected), position=first + 1, letter=letter, feedback=secret["feedback"][letter]
        )


class MatchPairs(ConceptCheck):
    """Match each of the ``choices`` (lettered) with one of the ``targets`` (numbered).

    ``answer`` gives each letter its number (``"A2 B3 C1"`` or ``{"A": 2, ...}``); no two letters
    share a number, and the pairs must not simply be the order shown. ``feedback`` has, for every
    letter, a clue to its right match, shown when that letter is matched wrongly.
    """

    kind = "match"

    @classmethod
    def _how(cls) -> str:
        return _('Answer with the number of the match after each letter: answer = "{slots}".')

    def __init__(
        self,
        question: str,
        choices,
        targets,
        answer,
        *,
        feedback: dict,
        explanation: str,
        hint: str | list[str] = "",
        points: float = 1,
    ):
        self.targets = _texts(question, "targets", targets, at_least=2)
        super().__init__(
            question, choices, answer, feedback=feedback, explanation=explanation, hint=hint, points=points
        )

    def _normal_answer(self, answer) -> dict[str, int]:
        try:
            pairs = _pairs(answer)
        except _Unreadable as err:
            raise ExerciseError(f"{self.question!r}: answer {answer!r} cannot be read: {err}") from None
        letters = self._letters_of_choices()
        if sorted(pairs) != list(letters) or not all(1 <= n <= len(self.targets) for n in pairs.values()):
            raise ExerciseError(
                f"{self.question!r}: the answer must give each letter {_range(len(letters))} "
                f"a number from 1 to {len(self.targets)}, got {answer!r}."
            )
        if len(set(pairs.values())) != len(pairs):
            raise ExerciseError(
                f"{self.question!r}: two letters share a number in {answer!r}; each pair is one to one."
            )
        if all(pairs[x] == i + 1 for i, x in enumerate(letters)):
            raise ExerciseError(f"{self.question!r}: the targets are shown in the matching order already; mix them up.")
        return {x: pairs[x] for x in letters}

    def public(self) -> dict:
        return {**super().public(), "targets": list(self.targets)}

    @classmethod
    def _options_lines(cls, public):
        left = [f"{LETTERS[i]}. {c}" for i, c in enumerate(public["choices"])]
        right = [f"{i + 1}. {t}" for i, t in enumerate(public["targets"])]
        width = max(map(len, left))
        rows = max(len(left), len(right))
        left += [""] * (rows - len(left))
        right += [""] * (rows - len(right))
        return [f"  {a:<{width}}    {b}".rstrip() for a, b in zip(left, right, strict=True)]

    @classmethod
    def _extra_html(cls, public):
        items = "".join(f"<li><b>{i + 1}.</b> {html.escape(t)}</li>" for i, t in enumerate(public["targets"]))
        match = html.escape(_("Match each lettered item with a number:"))
        return f'<p>{match}</p><ul style="list-style: none">{items}</ul>'

    @classmethod
    def _judge_readable(cls, public, secret, answer):
        return _judge_assignment(public, secret, _pairs(answer), len(public["targets"]), "pair")


class SortIntoClasses(ConceptCheck):
    """Sort each of the ``choices`` (lettered) into one of the ``classes`` (numbered).

    ``answer`` gives each letter the number of its class (``"A1 B2 C1"`` or ``{"A": 1, ...}``);
    a student may also give a class by its name in a dict. ``feedback`` has, for every letter,
    why it belongs where it does, shown when it is sorted wrongly.
    """

    kind = "classify"

    @classmethod
    def _how(cls) -> str:
        return _('Answer with the class number after each letter: answer = "{slots}".')

    def __init__(
        self,
        question: str,
        choices,
        classes,
        answer,
        *,
        feedback: dict,
        explanation: str,
        hint: str | list[str] = "",
        points: float = 1,
    ):
        self.classes = _texts(question, "classes", classes, at_least=2)
        super().__init__(
            question, choices, answer, feedback=feedback, explanation=explanation, hint=hint, points=points
        )

    def _normal_answer(self, answer) -> dict[str, int]:
        try:
            pairs = _pairs(answer, list(self.classes))
        except _Unreadable as err:
            raise ExerciseError(f"{self.question!r}: answer {answer!r} cannot be read: {err}") from None
        letters = self._letters_of_choices()
        if sorted(pairs) != list(letters) or not all(1 <= n <= len(self.classes) for n in pairs.values()):
            raise ExerciseError(
                f"{self.question!r}: the answer must give each letter {_range(len(letters))} "
                f"a class from 1 to {len(self.classes)}, got {answer!r}."
            )
        return {x: pairs[x] for x in letters}

    def public(self) -> dict:
        return {**super().public(), "classes": list(self.classes)}

    @classmethod
    def _options_lines(cls, public):
        classes = "   ".join(f"{i + 1}. {c}" for i, c in enumerate(public["classes"]))
        return [_("Classes: {classes}").format(classes=classes), *super()._options_lines(public)]

    @classmethod
    def _extra_html(cls, public):
        classes = " &nbsp; ".join(f"<b>{i + 1}.</b> {html.escape(c)}" for i, c in enumerate(public["classes"]))
        return "<p>{}</p>".format(_("Classes: {classes}").format(classes=classes))

    @classmethod
    def _judge_readable(cls, public, secret, answer):
        english = public.get("english", {}).get("classes")
        pairs = _pairs(answer, public["classes"], english)
        return _judge_assignment(public, secret, pairs, len(public["classes"]), "class")


def _judge_assignment(public: dict, secret: dict, pairs: dict[str, int], n_targets: int, what: str) -> str | None:
    """Judge letter -> number answers (pairs to match, items to sort into classes)."""
    allowed = LETTERS[: len(public["choices"])]
    problem = _set_problem(list(pairs), allowed, "item")
    if problem:
        return problem
    missing = [x for x in allowed if x not in pairs]
    if missing:
        return _("Give every letter a number; missing: {letters}.").format(letters=", ".join(missing))
    out_of_range = [f"{x}{n}" for x, n in pairs.items() if not 1 <= n <= n_targets]
    if out_of_range:
        return _("The numbers go from 1 to {last}; check {pairs}.").format(
            last=n_targets, pairs=", ".join(out_of_range)
        )
    expected = {x: int(n) for x, n in secret["expected"].items()}
    wrong = [x for x in allowed if pairs[x] != expected[x]]
    if not wrong:
        return None
    right = len(allowed) - len(wrong)
    head = (
        _("{right} of {total} pairs are right.")
        if what == "pair"
        else _("{right} of {total} items are in the right class.")
    ).format(right=right, total=len(allowed))
    return "\n".join([head, *(f"  {x}{pairs[x]}: {secret['feedback'][x]}" for x in wrong)])
