"""The exercises of each notebook, one module per notebook, named after it without its number.

The answers are computed from the shipped data when an exercise is first checked, so a student
notebook can call ``ex.<name>.check(answer)`` without the answer's code being in sight.
"""
