"""crmlib: the helper library of an open course on Customer Relationship Management (客户关系管理).

One module per chapter (``identify``, ``develop``, ``communicate``, ``information``,
``loyalty``, ``clv``) plus the shared parts (``datasets``, ``validate``, ``plots``,
``exercises``). Submodules load on first use, so ``import crmlib`` stays cheap.
``crmlib.set_language("zh")`` switches feedback, hints and error framing to Chinese (``messages``);
notebooks print their sentences with ``crmlib.say(...)``, which prints them in that language too.

>>> import crmlib
>>> crmlib.CRMDataError.__mro__[1].__name__
'ValueError'
"""

from __future__ import annotations

import importlib

from crmlib.messages import say, set_language
from crmlib.validate import CRMDataError

__version__ = "0.1.0"
__all__ = ["CRMDataError", "set_language", "say", "__version__"]

_SUBMODULES = {
    "datasets",
    "validate",
    "io",
    "identify",
    "develop",
    "communicate",
    "information",
    "loyalty",
    "clv",
    "plots",
    "widgets",
    "exercises",
    "concepts",
    "exercise_sets",
    "vocabulary",
    "messages",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"crmlib.{name}")
    raise AttributeError(f"module 'crmlib' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
