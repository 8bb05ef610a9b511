"""Fixtures shared by the test files: the shipped datasets, loaded once per test run.

crmlib functions never modify their input, so every test may share the same frames.
"""
from __future__ import annotations

import pytest

from crmlib.datasets import load_retail, load_tea


@pytest.fixture(scope="session")
def tea():
    return load_tea()


@pytest.fixture(scope="session")
def retail():
    return load_retail()
