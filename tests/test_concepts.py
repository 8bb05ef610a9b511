"""crmlib.concepts: the five kinds of concept check, as an author writes them and a student answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlib.exercises import (
    CheckResult,
    Exercise,
    ExerciseError,
    MatchPairs,
    MultipleChoice,
    PutInOrder,
    SingleChoice,
    SortIntoClasses,
)


def said(capsys, check, answer) -> tuple[bool, str]:
    capsys.readouterr()
    result = check.check(answer)
    out = capsys.readouterr().out.rstrip("\n")
    assert isinstance(result, CheckResult) and result.message == out
    return bool(result), out


def complaint_type(**changes):
    spec = dict(
        question="A customer writes: 'The courier threw my parcel at the door.' What type of complaint is it?",
        choices=["product quality", "service attitude", "price", "delivery"],
        answer="D",
        feedback={
            "A": "The goods themselves are fine.",
            "B": "Attitude is how staff treat the customer.",
            "C": "Nothing here is about what the customer paid.",
        },
        explanation="How goods reach the customer is a delivery complaint.",
        hint=["Is the product at fault?", "Who handled the parcel?"],
    )
    spec.update(changes)
    return SingleChoice(**spec)


def test_single_choice(capsys):
    q = complaint_type()
    assert isinstance(q, Exercise) and q.choices == ("product quality", "service attitude", "price", "delivery")
    assert q.points == 1 and complaint_type(points=2).points == 2
    q.show()
    assert capsys.readouterr().out == (
        "A customer writes: 'The courier threw my parcel at the door.' What type of complaint is it?\n"
        "  A. product quality\n  B. service attitude\n  C. price\n  D. delivery\n"
        'Answer with one letter, e.g. answer = "B".\n'
    )
    for answer in ("D", "d", " D ", "(D)", ["D"], {"d"}):
        assert said(capsys, q, answer) == (True, "✓ Correct! How goods reach the customer is a delivery complaint.")
    assert said(capsys, q, "B") == (False, "✗ B is not right. Attitude is how staff treat the customer.")
    assert said(capsys, q, "c") == (False, "✗ C is not right. Nothing here is about what the customer paid.")
    assert said(capsys, q, "A D") == (False, "✗ Pick one letter only; you gave 2 (A, D).")
    assert said(capsys, q, "E") == (False, "✗ There is no option E: the options are A to D.")
    assert said(capsys, q, 4) == (
        False,
        '✗ Your answer is int, not letters. Answer with one letter, e.g. answer = "B".',
    )
    assert said(capsys, q, "delivery") == (
        False,
        "✗ Write the letter of an option, not its words ('delivery'). Answer with one letter, e.g. answer = \"B\".",
    )
    assert said(capsys, q, ["D", 4]) == (
        False,
        '✗ Your answer should be letters only, but has 4. Answer with one letter, e.g. answer = "B".',
    )
    assert said(capsys, q, None) == (
        False,
        '✗ You answered with None — replace None with your answer. Answer with one letter, e.g. answer = "B".',
    )
    assert q.expected == "D"


def test_multiple_choice(capsys):
    q = MultipleChoice(
        "Which are traits of a loyal customer?",
        choices=["buys again", "complains often", "recommends the firm", "always pays the lowest price"],
        answer={"A", "C"},
        feedback={
            "B": "Complaints say nothing about loyalty either way.",
            "D": "A loyal customer often pays more, not less.",
        },
        explanation="Loyal customers come back and bring others.",
    )
    assert q.expected == ["A", "C"]
    for answer in ("A C", "c,a", "AC", ["A", "C"], {"C", "A"}, ("a", "c", "a")):
        assert said(capsys, q, answer)[0], answer
    assert said(capsys, q, "A") == (False, "✗ Not yet: 1 right option is missing.")
    assert said(capsys, q, "A B C") == (
        False,
        "✗ Not yet: 1 letter of yours is wrong.\n  B: Complaints say nothing about loyalty either way.",
    )
    assert said(capsys, q, "B D") == (
        False,
        "✗ Not yet: 2 letters of yours are wrong and 2 right options are missing.\n"
        "  B: Complaints say nothing about loyalty either way.\n"
        "  D: A loyal customer often pays more, not less.",
    )
    assert said(capsys, q, "") == (False, "✗ Pick at least one letter.")
    assert said(capsys, q, "A F") == (False, "✗ There is no option F: the options are A to D.")
    assert "Answer with every letter that applies" in q.html(q.public())


def complaint_moves(**changes):
    spec = dict(
        question="Put the first four complaint-handling moves in order.",
        choices=["apologise", "listen", "propose a solution", "find the cause"],
        answer="B A D C",
        feedback={
            "A": "Apologise once you have heard the customer out.",
            "B": "Everything starts with listening.",
            "C": "A solution comes last, when the cause is known.",
            "D": "Find the cause before proposing a fix.",
        },
        explanation="Listen, apologise, find the cause, then propose a solution.",
    )
    spec.update(changes)
    return PutInOrder(**spec)


def test_put_in_order(capsys):
    q = complaint_moves()
    assert q.expected == ["B", "A", "D", "C"]
    q.show()
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == 'Answer with all 4 letters in the right order, first one first: answer = "? ? ? ?".'
    )
    for answer in ("B A D C", "badc", "B, A, D, C", ["B", "A", "D", "C"]):
        assert said(capsys, q, answer)[0]
    assert said(capsys, q, "B D A C") == (
        False,
        "✗ 2 of 4 are in the right place. The first one out of place is number 2 in your order, D: "
        "Find the cause before proposing a fix.",
    )
    assert said(capsys, q, "B A D") == (False, "✗ Use each letter A to D once (missing C).")
    assert said(capsys, q, "B A D D") == (False, "✗ Use each letter A to D once (missing C; more than once: D).")
    assert said(capsys, q, {"A", "B", "C", "D"})[0] is False  # a set has no order: read alphabetically, so wrong


def test_match_pairs(capsys):
    q = MatchPairs(
        "Match each CCPR requirement with what it asks of the firm.",
        choices=["Convenience", "Care", "Personalisation", "Reliability"],
        targets=[
            "remember what this customer likes",
            "keep every promise",
            "be easy to reach",
            "show you mind the customer's problem",
        ],
        answer="A3 B4 C1 D2",
        feedback={
            "A": "Convenience is about reaching and buying easily.",
            "B": "Care is about attention.",
            "C": "Personal means fitted to this one customer.",
            "D": "Reliable means as promised.",
        },
        explanation="Convenience, care, personalisation and reliability are the four CCPR requirements.",
    )
    assert q.expected == {"A": 3, "B": 4, "C": 1, "D": 2} and q.targets[1] == "keep every promise"
    q.show()
    shown = capsys.readouterr().out.splitlines()
    assert shown[1] == "  A. Convenience        1. remember what this customer likes"
    assert shown[-1] == 'Answer with the number of the match after each letter: answer = "A? B? C? D?".'
    for answer in ("A3 B4 C1 D2", "a3, b4, c1, d2", "A-3 B-4 C-1 D-2", {"A": 3, "B": "4", "c": 1, "D": 2}):
        assert said(capsys, q, answer)[0], answer
    assert said(capsys, q, "A3 B2 C1 D4") == (
        False,
        "✗ 2 of 4 pairs are right.\n  B2: Care is about attention.\n  D4: Reliable means as promised.",
    )
    assert said(capsys, q, "A3 B4 C1") == (False, "✗ Give every letter a number; missing: D.")
    assert said(capsys, q, "A3 B4 C1 D7") == (False, "✗ The numbers go from 1 to 4; check D7.")
    assert said(capsys, q, "A3 B4 C1 D") == (
        False,
        "✗ Your answer 'A3 B4 C1 D' cannot be read as letter-number pairs. "
        'Answer with the number of the match after each letter: answer = "A? B? C? D?".',
    )
    assert said(capsys, q, "A3 A4")[1] == (
        '✗ A is given twice. Answer with the number of the match after each letter: answer = "A? B? C? D?".'
    )


def test_sort_into_classes(capsys):
    q = SortIntoClasses(
        "Is each person an internal or an external customer of the call centre?",
        choices=[
            "a member who phones about a refund",
            "the marketing team that uses call notes",
            "a franchise owner who orders supplies",
            "the store staff who get complaint reports",
        ],
        classes=["internal customer", "external customer"],
        answer={"A": 2, "B": "internal customer", "C": 2, "D": 1},
        feedback={
            "A": "Members buy from the firm.",
            "B": "Marketing works inside the firm.",
            "C": "A franchise owner is a separate business that buys from the firm.",
            "D": "Store staff are colleagues.",
        },
        explanation="Internal customers work in the firm; external ones buy from it.",
    )
    assert q.expected == {"A": 2, "B": 1, "C": 2, "D": 1} and q.classes == ("internal customer", "external customer")
    q.show()
    assert capsys.readouterr().out.splitlines()[1] == "Classes: 1. internal customer   2. external customer"
    for answer in ("A2 B1 C2 D1", {"A": "External customer", "B": 1, "C": "2", "D": "internal customer"}):
        assert said(capsys, q, answer)[0]
    assert said(capsys, q, "A2 B1 C1 D1") == (
        False,
        "✗ 3 of 4 items are in the right class.\n"
        "  C1: A franchise owner is a separate business that buys from the firm.",
    )
    assert said(capsys, q, {"A": "supplier", "B": 1})[1].startswith("✗ After A there should be a number.")
    assert '<div class="crm-concept-check">' in q._repr_html_() and "internal customer" in q._repr_html_()


def test_the_html_escapes_and_letters_every_option():
    q = complaint_type(choices=["<b>quality</b>", "attitude", "price", "delivery"])
    page = q._repr_html_()
    assert "&lt;b&gt;quality&lt;/b&gt;" in page and "<b>D.</b> delivery" in page


def test_hints_and_points_work_as_for_every_exercise(capsys):
    q = complaint_type(points=2)
    q.hint()
    q.hint(2)
    assert capsys.readouterr().out.splitlines() == [
        "Hint 1 of 2: Is the product at fault? (More: .hint(2))",
        "Hint 2 of 2: Who handled the parcel?",
    ]
    assert q.public()["points"] == 2 and q.public()["choices"] == list(q.choices)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: complaint_type(answer="E"), r"answer names \['E'\], but the choices are A to D"),
        (lambda: complaint_type(answer="A B"), r"a single choice has one right letter"),
        (lambda: complaint_type(feedback={"A": "x", "B": "y"}), r"no feedback for \['C'\]"),
        (
            lambda: complaint_type(feedback={"A": "x", "B": "y", "C": "z", "D": "w"}),
            r"feedback for \['D'\], which need none",
        ),
        (lambda: complaint_type(feedback={"A": "x", "B": "", "C": "z"}), r"no feedback for \['B'\]"),
        (lambda: complaint_type(feedback=["x"]), r"feedback must be a dict from letter to text"),
        (lambda: complaint_type(explanation=""), r"explanation must be a non-empty text"),
        (lambda: complaint_type(choices=["one"]), r"choices must be a list of at least 2 non-empty texts"),
        (lambda: complaint_type(choices="ABCD"), r"choices must be a list of at least 2"),
        (lambda: complaint_type(choices=["x", "x", "y", "z"]), r"choices are listed twice: \['x'\]"),
        (lambda: complaint_type(points=0), r"points must be a number > 0"),
        (lambda: complaint_moves(answer="A B C D"), r"shown in the right order already"),
        (lambda: complaint_moves(answer="B A D"), r"must use every letter A to D once"),
        (
            lambda: MultipleChoice("Q", choices=["a", "b"], answer="", feedback={"A": "x", "B": "y"}, explanation="e"),
            r"a multiple choice needs at least one right letter",
        ),
        (
            lambda: MatchPairs(
                "Q",
                choices=["a", "b"],
                targets=["1", "2"],
                answer="A1 B2",
                feedback={"A": "x", "B": "y"},
                explanation="e",
            ),
            r"shown in the matching order already",
        ),
        (
            lambda: MatchPairs(
                "Q",
                choices=["a", "b"],
                targets=["1", "2"],
                answer="A2 B2",
                feedback={"A": "x", "B": "y"},
                explanation="e",
            ),
            r"two letters share a number",
        ),
        (
            lambda: MatchPairs(
                "Q", choices=["a", "b"], targets=["1", "2"], answer="A2", feedback={"A": "x", "B": "y"}, explanation="e"
            ),
            r"must give each letter A or B a number from 1 to 2",
        ),
        (
            lambda: SortIntoClasses(
                "Q",
                choices=["a", "b"],
                classes=["x", "y"],
                answer="A1 B3",
                feedback={"A": "x", "B": "y"},
                explanation="e",
            ),
            r"a class from 1 to 2",
        ),
    ],
)
def test_authors_mistakes_are_named(make, message):
    with pytest.raises(ExerciseError, match=message):
        make()


def _all_kinds():
    return [
        complaint_type(),
        MultipleChoice("Q", choices=["a", "b", "c"], answer="A C", feedback={"B": "no"}, explanation="e"),
        complaint_moves(),
        MatchPairs(
            "Q",
            choices=["a", "b"],
            targets=["x", "y", "z"],
            answer="A2 B1",
            feedback={"A": "1", "B": "2"},
            explanation="e",
        ),
        SortIntoClasses(
            "Q",
            choices=["a", "b", "c"],
            classes=["x", "y"],
            answer="A1 B2 C1",
            feedback={"A": "1", "B": "2", "C": "3"},
            explanation="e",
        ),
    ]


_letters_text = st.text(alphabet="ABCDEFabcz0123456789 ,;-:()[]{}", max_size=12)
_any_answer = st.one_of(
    st.none(),
    st.just(...),
    _letters_text,
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.one_of(_letters_text, st.integers(), st.none()), max_size=5),
    st.sets(st.sampled_from(["A", "B", "C", "D", "a", "Z", ""]), max_size=4),
    st.dictionaries(
        st.one_of(_letters_text, st.integers()), st.one_of(_letters_text, st.integers(), st.none()), max_size=4
    ),
    st.builds(object),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(range(5)), _any_answer)
def test_a_concept_check_never_raises_and_never_names_the_answer(which, answer):
    check = _all_kinds()[which]
    result = check.check(answer)
    assert isinstance(result, CheckResult) and result.message.startswith(("✓ Correct!", "✗ "))
    if not result:
        message = result.message.replace(type(check)._how_to_answer(check.public()), "")  # the fixed instructions
        right = check.expected
        spelled = {
            "single choice": lambda: [f"{right} is right"],
            "multiple choice": lambda: [" ".join(right)],
            "order": lambda: [" ".join(right), "".join(right)],
            "match": lambda: [" ".join(f"{k}{v}" for k, v in right.items())],
            "classify": lambda: [" ".join(f"{k}{v}" for k, v in right.items())],
        }[check.kind]()
        for text in spelled:
            assert text not in message
