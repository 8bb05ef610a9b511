"""crmlib.exercises: the exact feedback for right and wrong answers of every type, and no crashes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from crmlib import identify
from crmlib.datasets import load_tea
from crmlib.exercises import CheckResult, Exercise, ExerciseError


def verdict(capsys, expected, answer, **options):
    """Check ``answer`` against ``expected``; return (result, printed line)."""
    capsys.readouterr()
    result = Exercise("test", answer=lambda: expected, **options).check(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # exactly one line
    assert isinstance(result, CheckResult) and result.message == out.rstrip("\n")
    return bool(result), out.rstrip("\n")


def right(capsys, expected, answer, **options):
    ok, message = verdict(capsys, expected, answer, **options)
    assert (ok, message) == (True, "✓ Correct!")


def wrong(capsys, expected, answer, message, **options):
    ok, printed = verdict(capsys, expected, answer, **options)
    assert (ok, printed) == (False, "✗ " + message)


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "answer", [0.674, 0.6745, 0.6734, np.float64(0.674), np.float32(0.674), np.array(0.674), pd.Series([0.674]).iloc[0]]
)
def test_number_within_tolerance(capsys, answer):
    right(capsys, 0.674, answer)


@pytest.mark.parametrize(
    "answer, message",
    [
        (0.62, "Your answer 0.62 is too low by about 8%."),
        (0.68, "Your answer 0.68 is too high by less than 1%."),
        (0.6748, "Your answer 0.6748 is too high by less than 1%."),  # 0.12% > rtol 0.1%
        (67.4, "Your answer 67.4 is 100 times too large: a percentage where a share (0–1) is asked for?"),
        (-0.674, "Your answer -0.674 is of the wrong sign."),
        (3.0, "Your answer 3.0 is too high: about 4.5 times the expected size."),
        (674.0, "Your answer 674.0 is too high: about 1000 times the expected size."),
        (0.000674, "Your answer 0.000674 is too low: about 1/1000 of the expected size."),
        (0.2, "Your answer 0.2 is too low: about 1/3.4 of the expected size."),
        (0.4, "Your answer 0.4 is too low by about 40%."),  # 40.65%, to the nearest 5
        (0.7, "Your answer 0.7 is too high by about 4%."),
        (0.0, "Your answer 0.0 is 0, but the expected value is not."),
        (np.int64(1), "Your answer 1 is too high by about 50%."),
        (float("nan"), "Your answer is NaN (not a number): a step before it met missing values or divided 0 by 0."),
        (float("inf"), "Your answer inf is not the expected value."),
    ],
)
def test_number_wrong(capsys, answer, message):
    wrong(capsys, 0.674, answer, message)


def test_number_messages_for_percent_and_zero(capsys):
    wrong(capsys, 67.4, 0.674, "Your answer 0.674 is 100 times too small: a share where a percentage is asked for?")
    right(capsys, 0.0, 1e-9)  # within the absolute tolerance 1e-8
    wrong(capsys, 0.0, 0.01, "Your answer 0.01 is too high.")
    wrong(capsys, 0.0, -0.01, "Your answer -0.01 is too low.")
    right(capsys, 0.0, 0.01, atol=0.05)
    right(capsys, 10, 10.009)  # rtol 1e-3 lets 0.09% through
    wrong(capsys, 10, 10.02, "Your answer 10.02 is too high by less than 1%.")
    wrong(capsys, -10, -13, "Your answer -13 is too low by about 30%.")
    right(capsys, 10, 10.02, rtol=0.01)
    right(capsys, np.int64(7), 7)
    right(capsys, 7, np.uint8(7))


@pytest.mark.parametrize(
    "answer, message",
    [
        (pd.DataFrame({"a": [1, 2]}), "Expected a number, got a DataFrame."),
        (pd.Series([0.674]), "Expected a number, got a Series holding one value. Take the number out with .item()."),
        (
            pd.DataFrame({"a": [0.674]}),
            "Expected a number, got a DataFrame holding one value. Take the number out with .item().",
        ),
        ("0.674", "Expected a number, got a text ('0.674'). Remove the quotes to give a number."),
        (True, "Expected a number, got True/False."),
        ([0.674], "Expected a number, got a list."),
        (np.array([1.0, 2.0]), "Expected a number, got a NumPy array."),
        (1 + 2j, "Expected a number, got a complex."),
    ],
)
def test_number_type_mismatch(capsys, answer, message):
    wrong(capsys, 0.674, answer, message)


@pytest.mark.parametrize("answer, shown", [(None, "None"), (..., "`...`")])
def test_none_and_ellipsis(capsys, answer, shown):
    for expected in (0.5, "text", pd.Series([1]), pd.DataFrame({"a": [1]})):
        wrong(capsys, expected, answer, f"You answered with {shown} — replace `...` or None with your computation.")


# ---------------------------------------------------------------------------------------------
# booleans, text, collections
# ---------------------------------------------------------------------------------------------
def test_booleans(capsys):
    right(capsys, True, True)
    right(capsys, np.bool_(False), False)
    right(capsys, False, np.bool_(False))
    wrong(capsys, True, False, "Your answer False is not right.")
    wrong(capsys, True, 1, "Expected True or False, got a number.")
    wrong(capsys, True, "True", "Expected True or False, got a text ('True').")


def test_text(capsys):
    right(capsys, "gold", "gold")
    wrong(capsys, "Gold", "gold", "Your answer 'gold' is not the expected text. It differs only in upper/lower case.")
    wrong(capsys, "Gold", "Gold ", "Your answer 'Gold ' is not the expected text. It differs only in spaces.")
    wrong(
        capsys,
        "Gold",
        " gold",
        "Your answer ' gold' is not the expected text. It differs only in upper/lower case and spaces.",
    )
    wrong(capsys, "Gold", "silver", "Your answer 'silver' is not the expected text.")
    right(capsys, "Gold", "gold", ignore_case=True)
    right(capsys, "Gold  Tier", " gold tier", ignore_case=True, ignore_whitespace=True)
    wrong(capsys, "Gold", 5, "Expected a text (string), got a number.")


def test_sets_and_lists(capsys):
    right(capsys, {"a", "b"}, ["b", "a", "a"])  # a set ignores order and repeats
    right(capsys, {"a", "b"}, pd.Index(["a", "b"]))
    wrong(capsys, {"a", "b"}, ["a", "c"], "Your items differ: 1 expected item is missing; not expected: ['c'].")
    wrong(capsys, {"a", "b", "d"}, ["c"], "Your items differ: 3 expected items are missing; not expected: ['c'].")
    wrong(capsys, {"a", "b"}, ["a"], "Your items differ: 1 expected item is missing.")
    right(capsys, ["T1", "T2"], ("T1", "T2"))
    right(capsys, ["T1", "T2"], np.array(["T1", "T2"]))
    wrong(capsys, ["T1", "T2"], ["T2", "T1"], "You have the right items, but in a different order.")
    right(capsys, ["T1", "T2"], ["T2", "T1"], ignore_order=True)
    wrong(capsys, [1, 2, 3], [1, 2], "Expected 3 items, you have 2.")
    wrong(capsys, [1, 2, 3], [1, 2, 4], "1 of 3 items differ, e.g. at position 3 yours (4) is too high by about 35%.")
    wrong(
        capsys, ["x", "y"], ["x", "z"], "1 of 2 items differ, e.g. at position 2 yours ('z') is not the expected value."
    )
    right(capsys, [0.5, 0.25], [0.50001, 0.25])  # numbers with tolerance
    wrong(
        capsys,
        [1.0, 2.0],
        [2.0, 1.5],
        "1 of 2 items differ, e.g. after sorting both, at position 1 yours (1.5) is too high by about 50%.",
        ignore_order=True,
    )
    right(capsys, ["a", 1], [1, "a"], ignore_order=True)  # items that cannot be sorted: compared as multisets
    wrong(
        capsys,
        ["a", 1],
        [1, "b"],
        "Your items differ: 1 expected item is missing; not expected: ['b'].",
        ignore_order=True,
    )
    right(capsys, ["Gold"], ["gold"], ignore_case=True)
    wrong(capsys, ["a"], "a", "Expected a list, got a text ('a').")


# ---------------------------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------------------------
SPEND = pd.Series([21.0, 5.0, 6.0], index=pd.Index(["T2", "T1", "T3"], name="brand_id"), name="spend")


def test_series_right(capsys):
    right(capsys, SPEND, SPEND.copy())
    right(capsys, SPEND, SPEND.rename("other"))  # names are ignored by default
    right(capsys, SPEND, SPEND + 1e-4)
    right(capsys, SPEND, SPEND.sort_index(), ignore_order=True)
    right(capsys, SPEND, SPEND.reset_index(drop=True), ignore_index=True)
    right(capsys, SPEND, pd.Series([6.0, 21.0, 5.0]), ignore_index=True, ignore_order=True)
    right(capsys, SPEND, SPEND.astype("float32"))
    right(capsys, pd.Series([1, 2]), pd.Series([1.0, 2.0]))


@pytest.mark.parametrize(
    "answer, message, options",
    [
        (SPEND.replace(21.0, 19.0), "1 of 3 values differ, e.g. at row 'T2' yours (19.0) is too low by about 10%.", {}),
        (
            SPEND * 2,
            "3 of 3 values differ, e.g. at row 'T2' yours (42.0) is too high: about 2 times the expected size.",
            {},
        ),
        (
            SPEND.sort_index(),
            "The row labels are right but in a different order. "
            "Sort with .sort_index() or .sort_values(), "
            "as the question asks.",
            {},
        ),
        (
            SPEND.rename({"T3": "T4"}),
            "Your row labels (index) differ: 1 expected label is missing; not expected: ['T4'].",
            {},
        ),
        (SPEND.iloc[:2], "Expected 3 values, you have 2.", {}),
        (
            SPEND.rename("total"),
            "Expected the Series to be named 'spend', yours is named 'total'.",
            {"ignore_name": False},
        ),
        (SPEND.astype(str), "Expected numbers, but your values are text (e.g. '21.0').", {}),
        (
            SPEND.to_frame(),
            'Expected a Series, got a DataFrame. It has one column: select it, e.g. df["column"], to get a Series.',
            {},
        ),
        (SPEND.to_dict(), "Expected a Series, got a dict.", {}),
        (
            pd.Series([6.0, 21.0, 4.0]),
            "1 of 3 values differ, e.g. at position 1 yours (4.0) is too low by about 20%.",
            {"ignore_index": True, "ignore_order": True},
        ),
        (
            SPEND.where(SPEND > 5),
            "1 of 3 values differ, e.g. at row 'T1' yours is missing (NaN) where a value is expected.",
            {},
        ),
    ],
)
def test_series_wrong(capsys, answer, message, options):
    wrong(capsys, SPEND, answer, message, **options)


def test_series_of_text_and_missing_values(capsys):
    tiers = pd.Series(["gold", None, "bronze"], index=[3, 1, 2])
    right(capsys, tiers, tiers.copy())  # missing matches missing
    wrong(
        capsys,
        tiers,
        pd.Series(["gold", "silver", "bronze"], index=[3, 1, 2]),
        "1 of 3 values differ, e.g. at row 1 yours ('silver') is not the expected value.",
    )
    right(capsys, tiers, pd.Series(["GOLD", None, "Bronze"], index=[3, 1, 2]), ignore_case=True)


# ---------------------------------------------------------------------------------------------
# DataFrames
# ---------------------------------------------------------------------------------------------
TABLE = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]}, index=pd.Index(["T1", "T2", "T3"], name="brand_id"))


def test_frame_right(capsys):
    right(capsys, TABLE, TABLE.copy())
    right(capsys, TABLE, TABLE[["b", "a"]])  # column order is ignored by default
    right(capsys, TABLE, TABLE.iloc[::-1], ignore_order=True)
    right(capsys, TABLE, TABLE.reset_index(drop=True), ignore_index=True)
    right(capsys, TABLE, TABLE.iloc[::-1].reset_index(drop=True), ignore_index=True, ignore_order=True)
    right(capsys, TABLE, TABLE.assign(a=TABLE["a"] * (1 + 1e-5)))


@pytest.mark.parametrize(
    "answer, message, options",
    [
        (TABLE[["a"]], "Expected columns ['a', 'b'], you have ['a'].", {}),
        (TABLE.assign(c=1), "Expected columns ['a', 'b'], you have ['a', 'b', 'c'].", {}),
        (TABLE.rename(columns={"b": "B"}), "Expected columns ['a', 'b'], you have ['a', 'B'].", {}),
        (
            TABLE[["b", "a"]],
            "Expected the columns in the order ['a', 'b'], you have ['b', 'a'].",
            {"ignore_column_order": False},
        ),
        (TABLE.iloc[:2], "Expected 3 rows, you have 2.", {}),
        (
            TABLE.assign(a=[1.0, 19.0, 3.0]),
            "1 of 6 values differ, e.g. at row 'T2', column 'a', yours (19.0) is too high: "
            "about 9.5 times the expected size.",
            {},
        ),
        (
            TABLE.assign(b=["x", "y", "w"], a=[1.0, 2.0, 4.0]),
            "2 of 6 values differ, e.g. at row 'T3', column 'a', yours (4.0) is too high by about 35%.",
            {},
        ),
        (
            TABLE.assign(b=["x", "y", "w"]),
            "1 of 6 values differ, e.g. at row 'T3', column 'b', yours ('w') is not the expected value.",
            {},
        ),
        (
            TABLE.iloc[::-1],
            "The row labels are right but in a different order. Sort with .sort_index() or .sort_values(), "
            "as the question asks.",
            {},
        ),
        (
            TABLE.reset_index(drop=True),
            "Your row labels (index) differ: 3 expected labels are missing; not expected: [0, 1, 2].",
            {},
        ),
        (
            TABLE.reset_index(drop=True).assign(a=[1.0, 2.0, 5.0]),
            "1 of 6 values differ, e.g. at position 3, column 'a', yours (5.0) is too high by about 65%.",
            {"ignore_index": True},
        ),
        (TABLE.assign(a=["1", "2", "3"]), "Expected numbers in column 'a', but your values are text (e.g. '1').", {}),
        (
            TABLE["a"],
            "Expected a DataFrame, got a Series. Turn it into a table with .to_frame() or .reset_index().",
            {},
        ),
        (3.0, "Expected a DataFrame, got a number.", {}),
    ],
)
def test_frame_wrong(capsys, answer, message, options):
    wrong(capsys, TABLE, answer, message, **options)


# ---------------------------------------------------------------------------------------------
# the exercise itself: lazy answer, hint, solution, author errors
# ---------------------------------------------------------------------------------------------
def test_answer_is_computed_once_and_only_when_needed(capsys):
    calls = []
    ex = Exercise("Twice two", answer=lambda: calls.append(1) or 4)
    assert calls == []
    ex.check(None)
    assert calls == []  # a missing answer needs no expected value
    ex.check(3)
    ex.check(4)
    assert calls == [1] and ex.expected == 4


def test_fault_in_the_answer_is_the_authors(capsys):
    ex = Exercise("Broken", answer=lambda: 1 / 0)
    with pytest.raises(
        ExerciseError,
        match=r"Exercise 'Broken': computing the expected answer failed with ZeroDivisionError.*"
        r"fault in the exercise, not in your answer",
    ):
        ex.check(1)
    with pytest.raises(ExerciseError, match=r"the expected answer is None"):
        Exercise("Empty", answer=lambda: None).check(1)
    with pytest.raises(ExerciseError, match=r"question must be a non-empty text"):
        Exercise("", answer=1)
    with pytest.raises(ExerciseError, match=r"rtol must be a number >= 0"):
        Exercise("Tolerance", answer=1, rtol=-1)
    with pytest.raises(ExerciseError, match=r"hint must be a text or a non-empty list"):
        Exercise("Hint", answer=1, hint=3)


def test_graded_hints(capsys):
    ex = Exercise(
        "Share of one-order members",
        answer=0.5,
        hint=[
            "Who counts as a one-order member?",
            "Count orders per member.",
            "(orders.groupby('member_id').size() == 1).mean()",
        ],
    )
    assert ex.hints == (
        "Who counts as a one-order member?",
        "Count orders per member.",
        "(orders.groupby('member_id').size() == 1).mean()",
    )
    ex.hint()
    ex.hint(2)
    ex.hint(3)
    ex.hint(4)
    ex.hint(0)
    assert capsys.readouterr().out.splitlines() == [
        "Hint 1 of 3: Who counts as a one-order member? (More: .hint(2))",
        "Hint 2 of 3: Count orders per member. (More: .hint(3))",
        "Hint 3 of 3: (orders.groupby('member_id').size() == 1).mean()",
        "There are 3 hints; this is the last. Hint 3 of 3: (orders.groupby('member_id').size() == 1).mean()",
        "Ask for a hint by its number: .hint(1), .hint(2), … (got 0).",
    ]
    one = Exercise("One hint", answer=1, hint="Just one.")
    one.hint()
    one.hint(2)
    assert capsys.readouterr().out == "Hint: Just one.\nHint: Just one.\n"
    for bad in ([], ["ok", ""], ["ok", 3], 3):
        with pytest.raises(ExerciseError, match=r"'Bad': hint must be a text or a non-empty list of non-empty texts"):
            Exercise("Bad", answer=1, hint=bad)


def test_points(capsys):
    assert Exercise("Worth one", answer=1).points == 1
    assert Exercise("Worth two", answer=1, points=2).points == 2
    assert Exercise("Worth half", answer=1, points=0.5).points == 0.5
    for bad in (0, -1, True, "2", float("nan"), float("inf")):
        with pytest.raises(ExerciseError, match=r"'Bad': points must be a number > 0"):
            Exercise("Bad", answer=1, points=bad)


def test_decimals_accept_the_stated_rounding_and_say_it(capsys):
    ex = Exercise("Share of members who came back", answer=0.0123456, decimals=4)
    assert ex.check(0.0123) and ex.check(0.0123456) and ex.check(0.01235)
    capsys.readouterr()
    assert not ex.check(0.0124)  # 0.0123456 rounds to 0.0123, not 0.0124
    assert not ex.check(0.012)
    assert capsys.readouterr().out.splitlines() == [
        # a size would leave only two or three allowed answers (0.0123 among them): direction only
        "✗ Your answer 0.0124 is too high.",
        "✗ Your answer 0.012 is too low. Round to 4 decimals, not 3.",
    ]
    assert not Exercise("No rounding stated", answer=0.0123456).check(0.0123)  # rtol alone is stricter
    assert Exercise("Whole customers", answer=1234.4, decimals=0).check(1234)
    capsys.readouterr()
    ex.show()
    Exercise("Rounded to 3 decimals, the share", answer=0.5, decimals=3).show()
    Exercise("Mean basket", answer=0.5, decimals=1).show()
    assert capsys.readouterr().out.splitlines() == [
        "Share of members who came back (round to 4 decimals)",
        "Rounded to 3 decimals, the share",
        "Mean basket (round to 1 decimal)",
    ]
    series = pd.Series([0.123456, 0.5], index=["T1", "T2"])
    assert Exercise("Per brand", answer=series, decimals=3).check(series.round(3))
    capsys.readouterr()
    assert not Exercise("Per brand", answer=series, decimals=3).check(series.round(2))
    assert capsys.readouterr().out == "✗ 1 of 2 values differ, e.g. at row 'T1' yours (0.12) is too low.\n"
    for bad in (-1, 1.5, True, 13):
        with pytest.raises(ExerciseError, match=r"'Bad': decimals must be a whole number from 0 to 12"):
            Exercise("Bad", answer=1, decimals=bad)


def test_hint_and_solution(capsys):
    ex = Exercise(
        "Share of revenue from the top 20% of members",
        answer=0.7,
        hint="Sort members by total spend, take the first fifth.",
    )
    ex.hint()
    ex.solution()
    assert capsys.readouterr().out == (
        "Hint: Sort members by total spend, take the first fifth.\n"
        "The worked solution is the notebook cell after this exercise's check cell "
        '(in the instructor edition and, behind "Show the solution", on the course website).\n'
    )
    bare = Exercise("No help", answer=1)
    bare.hint()
    assert capsys.readouterr().out == "No hint for this one.\n"
    assert repr(ex) == "Exercise('Share of revenue from the top 20% of members')"


def test_the_worked_solution_is_not_written_in_the_exercise():
    """It is written once, in the notebook's solution cell (tests/test_exercise_solutions.py)."""
    with pytest.raises(TypeError, match="solution"):
        Exercise("Twice two", answer=4, solution="answer = 2 * 2")


def test_check_result_behaves_like_a_bool(capsys):
    ok, bad = Exercise("x", answer=1).check(1), Exercise("x", answer=1).check(2)
    assert ok and not bad and ok == True and bad == False and ok != bad  # noqa: E712
    assert ok._ipython_display_() is None  # shows nothing more in a notebook


class _Unfriendly:
    """A value whose comparison fails, as some library objects do."""

    def __eq__(self, other):
        raise RuntimeError("cannot compare")

    __hash__ = object.__hash__


def test_an_answer_that_cannot_be_compared_gets_a_message(capsys):
    wrong(
        capsys,
        ["a", "b"],
        [_Unfriendly(), _Unfriendly()],
        "Your answer could not be compared with the expected one (RuntimeError). Expected a list.",
    )
    wrong(capsys, "a", _Unfriendly(), "Expected a text (string), got a _Unfriendly.")


def test_exercise_on_shipped_data(capsys):
    """An exercise as a chapter notebook writes it: the answer is computed from the data."""
    tea = load_tea()
    ex = Exercise(
        "Share of revenue from the top 20% of members",
        answer=lambda: identify.top_share(tea.orders, customer="member_id", amount="net_amount"),
    )
    spend = tea.orders.groupby("member_id")["net_amount"].sum().sort_values(ascending=False)
    student = spend.iloc[: int(np.ceil(0.2 * len(spend)))].sum() / spend.sum()
    assert ex.check(student)
    assert not ex.check(0.5)
    assert capsys.readouterr().out.splitlines()[-1].startswith("✗ Your answer 0.5 is ")


# ---------------------------------------------------------------------------------------------
# property test: wrong answers of any type never make check() raise
# ---------------------------------------------------------------------------------------------
_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.complex_numbers(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.just(pd.NaT),
    st.just(pd.NA),
    st.just(np.nan),
    st.builds(object),
    st.just(np.float32(1.5)),
    st.just(np.int8(-3)),
    st.just(np.datetime64("2024-01-01")),
    st.just(dt.timedelta(days=1)),
    st.just(pd.Timestamp("2024-01-01")),
)
_scalars = st.one_of(_cells, st.just(...), st.binary(max_size=4))
_index = st.one_of(
    st.none(), st.lists(st.one_of(st.integers(0, 3), st.sampled_from(["T1", "T2", "T3"])), min_size=3, max_size=3)
)


@st.composite
def random_series(draw):
    values = draw(st.lists(_cells, min_size=0, max_size=4))
    index = draw(_index)
    if index is not None and len(values) == 3:
        return pd.Series(values, index=index, dtype=object)
    return pd.Series(values, dtype=object if draw(st.booleans()) else None) if values else pd.Series([], dtype=float)


@st.composite
def random_frames(draw):
    n = draw(st.integers(0, 3))
    columns = draw(st.lists(st.sampled_from(["a", "b", "c", 0]), max_size=3))
    data = [
        [draw(st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.none(), st.integers())) for _ in columns]
        for _ in range(n)
    ]
    frame = pd.DataFrame(data, columns=columns) if columns else pd.DataFrame(index=range(n))
    if draw(st.booleans()) and n == 3:
        frame.index = ["T1", "T2", "T3"]
    return frame


_answers = st.one_of(
    _scalars,
    st.lists(_scalars, max_size=4),
    st.tuples(_scalars, _scalars),
    st.sets(st.integers(0, 3), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=3),
    st.lists(st.floats(allow_nan=True), max_size=4).map(np.array),
    st.lists(st.lists(st.integers(), min_size=2, max_size=2), min_size=1, max_size=3).map(np.array),
    random_series(),
    random_frames(),
    st.just(SPEND.astype(object)),
    st.just(TABLE.T),
    st.just(TABLE.set_axis(["a", "a"], axis=1)),
    st.just(pd.Series([1.0, 2.0, 3.0], index=pd.MultiIndex.from_tuples([("T1", 1), ("T2", 2), ("T3", 3)]))),
    st.just(pd.Series([1.0, 2.0, 3.0], index=["T1", "T1", "T3"])),
    st.just(pd.Series(pd.Categorical(["x", "y", "z"]), index=["T1", "T2", "T3"])),
    st.just(pd.Series([1, None, 3], dtype="Int64", index=["T1", "T2", "T3"])),
)
_expected = st.sampled_from(
    [
        0.674,
        0.0,
        -3,
        np.float64(12.5),
        SPEND,
        SPEND.reset_index(drop=True),
        TABLE,
        pd.Series([1, 2, 3], index=["T1", "T2", "T3"], dtype="Int64"),
        TABLE.assign(b=[True, False, True]),
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_expected, _answers, st.booleans(), st.booleans())
def test_check_never_raises_on_any_answer(expected, answer, ignore_order, ignore_index):
    ex = Exercise("robust", answer=expected, ignore_order=ignore_order, ignore_index=ignore_index)
    result = ex.check(answer)
    event(f"{'correct' if result else 'wrong'}")
    assert isinstance(result, CheckResult)
    assert result.message.startswith(("✓ Correct!", "✗ "))
    assert "\n" not in result.message
    if "could not be compared" in result.message:
        event("could not be compared")


# ---------------------------------------------------------------------------------------------
# property test: the feedback on a wrong answer never shows an expected value
# ---------------------------------------------------------------------------------------------
# 3 decimals, the last one not 0
_secret_numbers = st.integers(1_501, 899_999).filter(lambda n: n % 10).map(lambda n: n / 1000)
_secret_texts = st.text(alphabet="QXZJVKW", min_size=5, max_size=7)
_factors = st.sampled_from([0.01, 0.2, 0.5, 0.8, 0.93, 0.995, 1.004, 1.06, 1.3, 1.9, 2.7, 100.0, -1.0])


def _shown_forms(value) -> set[str]:
    """The ways a message could print an expected value."""
    if isinstance(value, str):
        return {value}
    return {repr(value), f"{value:.6g}", f"{value:.3f}", f"{value:.2f}", f"{value:.1f}", f"{value * 100:.1f}"}


def _appears(form: str, message: str) -> bool:
    import re

    return re.search(r"(?<![\d.])" + re.escape(form) + r"(?![\d])", message) is not None


@st.composite
def expected_and_wrong_answer(draw):
    """An expected answer of distinctive values and a wrong answer none of whose values is an expected one."""
    kind = draw(st.sampled_from(["number", "text", "list", "set", *["series"] * 3, *["frame"] * 3]))
    n = draw(st.integers(2, 5))
    numbers_ = draw(st.lists(_secret_numbers, min_size=n, max_size=n, unique=True))
    texts = draw(st.lists(_secret_texts, min_size=n, max_size=n, unique=True))
    labels = [f"T{i}" for i in range(1, n + 1)]
    wrong_at = draw(st.sets(st.integers(0, n - 1), min_size=1))
    factor = draw(_factors)

    def bent(values):
        return [round(v * factor, 6) if i in wrong_at else v for i, v in enumerate(values)]

    def other_texts(values):
        return [
            v.lower() if i in wrong_at and draw(st.booleans()) else (f"a{i}b" if i in wrong_at else v)
            for i, v in enumerate(values)
        ]

    if kind == "number":
        expected = numbers_[0]
        answer = draw(st.sampled_from([expected * factor, round(expected * factor, 1), round(expected, 1) + 0.01]))
        values, shown = [expected], [answer]
    elif kind == "text":
        expected, answer = texts[0], other_texts(texts)[0] + draw(st.sampled_from(["", " "]))
        values, shown = [expected], [answer]
    elif kind == "list":
        expected = numbers_
        answer = draw(st.sampled_from([bent(numbers_), bent(numbers_)[:-1], bent(numbers_)[::-1]]))
        values, shown = expected, answer
    elif kind == "set":
        expected = set(texts)
        answer = set(other_texts(texts))
        values, shown = texts, list(answer)
    elif kind == "series":
        expected = pd.Series(numbers_, index=labels)
        answer = draw(
            st.sampled_from(
                [
                    pd.Series(bent(numbers_), index=labels),
                    pd.Series(bent(numbers_), index=labels[::-1]),
                    pd.Series(numbers_, index=labels).iloc[::-1],
                    pd.Series(bent(numbers_), index=[*labels[:-1], "T9"]),
                    pd.Series(bent(numbers_), index=labels).where(lambda s: s.index != "T1"),
                ]
            )
        )
        values, shown = numbers_, list(answer)
    else:
        expected = pd.DataFrame({"spend": numbers_, "tier": texts}, index=labels)
        answer = draw(
            st.sampled_from(
                [
                    expected.assign(spend=bent(numbers_)),
                    expected.assign(tier=other_texts(texts)),
                    expected.assign(spend=bent(numbers_), tier=other_texts(texts)),
                    expected.iloc[::-1],
                    expected.iloc[:-1],
                ]
            )
        )
        values, shown = [*numbers_, *texts], [*answer["spend"], *answer["tier"]]
    # a value the student typed may be printed, so none may show an expected value
    theirs = [v if isinstance(v, str) else f"{v:.6g} {v!r}" for v in shown if not pd.isna(v)]
    assume(not any(_appears(ours, form) for v in values for ours in _shown_forms(v) for form in theirs))
    return expected, answer, values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(expected_and_wrong_answer(), st.booleans(), st.sampled_from([None, 2, 3]))
def test_wrong_answer_feedback_never_shows_an_expected_value(case, ignore_order, decimals):
    expected, answer, values = case
    result = Exercise("leak", answer=expected, ignore_order=ignore_order, decimals=decimals).check(answer)
    event(f"{type(expected).__name__}, {'right' if result else 'wrong'}")
    if result:  # within tolerance, or reordered with ignore_order: rightly accepted
        return
    for value in values:
        for form in _shown_forms(value):
            assert not _appears(form, result.message), f"{form!r} (expected) is shown in {result.message!r}"


def test_a_size_that_would_give_a_small_whole_answer_away_is_not_told(capsys):
    cups = Exercise("Fewest cups to reach 500 yuan at 19 yuan a cup", answer=27, decimals=0)
    for wrong in (26, 2, 40, 54):
        assert not cups.check(wrong)
    # "26 is too low by about 4%" or "2 is about 1/14 of the expected size" would point at 27
    assert capsys.readouterr().out.splitlines() == [
        "✗ Your answer 26 is too low.",
        "✗ Your answer 2 is too low.",
        "✗ Your answer 40 is too high.",
        "✗ Your answer 54 is too high.",
    ]
    revenue = Exercise("Revenue in yuan", answer=2362.0, decimals=0)
    assert not revenue.check(2100) and not revenue.check(900)
    assert capsys.readouterr().out.splitlines() == [  # many whole numbers fit these sizes
        "✗ Your answer 2100 is too low by about 10%.",
        "✗ Your answer 900 is too low: about 1/2.6 of the expected size.",
    ]
