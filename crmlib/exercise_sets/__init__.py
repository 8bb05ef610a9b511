"""The exercises of each notebook, one module per notebook, named after it without its number.

Each exercise holds its question, a hint and an answer function that computes the expected
answer from the shipped data on its own, when the exercise is first checked; so a student
notebook can call ``ex.<name>.check(answer)`` without the answer's code being in sight. The
worked solution is not here: it is the notebook's cell tagged ``solution`` after the check cell,
ending with ``assert ex.<name>.check(answer)`` (``tests/test_exercise_solutions.py``).
"""
