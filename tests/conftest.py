"""Shared by the test files: the shipped datasets, loaded once per run, and the hypothesis profile.

crmlib functions never modify their input, so every test may share the same frames.
"""

from __future__ import annotations

import pytest
from hypothesis import settings

from crmlib.datasets import load_retail, load_tea

# Property tests draw the same examples on every run (and keep no example database), so a run
# on CI fails or passes for the same reason as on a developer's machine.
settings.register_profile("course", derandomize=True, database=None)
settings.load_profile("course")


@pytest.fixture(scope="session")
def tea():
    return load_tea()


@pytest.fixture(scope="session")
def retail():
    return load_retail()
