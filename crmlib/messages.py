"""crmlib's runtime text in the reader's language: English by default, Chinese after ``set_language("zh")``.

The Chinese notebooks start with ``crmlib.set_language("zh")``; from then on the check feedback,
hints, error messages and the font warning come from the message catalogue. Code marks a text
for translation with ``_()`` (``from crmlib.messages import gettext as _``) and fills its
``{placeholders}`` after translating, so a translation may put them in another order::

    _("Your answer {shown} is {how}.").format(shown=..., how=...)

The catalogue is Python's ``gettext``. Its one source is the PO file
``crmlib/locale/zh/LC_MESSAGES/crmlib.po``, the standard format translators and their tools
(Poedit, Weblate, ``msgmerge``) work with, reviewed in a diff like any text. It is read when a
language is first chosen: parsed, turned into the binary form (``.mo``) in memory, and handed to
``gettext.GNUTranslations``. No compiled file is committed or built: ``pip install -e .``,
Binder and a wheel all work with the ``.po`` alone, and the catalogue can never be older than
its source. Parsing the few hundred entries takes a few milliseconds, once, and only for a
reader who switches language, so ``import crmlib`` stays as fast as before.

>>> set_language("zh")
>>> gettext("Hint {level} of {count}: {hint}").format(level=1, count=2, hint="…")
'提示 1/2：…'
>>> set_language("en")
>>> gettext("Hint {level} of {count}: {hint}").format(level=1, count=2, hint="…")
'Hint 1 of 2: …'

Notebooks print their sentences with :func:`say` instead of ``print``, so that the code of a
cell is the same in both editions and only what it prints changes::

    say("Orders of the shop: {n}", n=len(shop))

Those sentences have a catalogue of their own, ``crmlib/locale/zh/LC_MESSAGES/notebooks.po``
(one entry per sentence, commented with the notebook that prints it), read the same way.
``scripts/translate.py check`` reports a sentence of a notebook in scope that has no entry.
"""

from __future__ import annotations

import ast
import gettext as _gettext
import io
import struct

__all__ = [
    "gettext_noop",
    "LANGUAGES",
    "set_language",
    "get_language",
    "gettext",
    "ngettext",
    "say",
    "sentence_catalogue",
    "read_catalogue",
]

#: The languages crmlib speaks, by the code ``set_language`` takes.
LANGUAGES = {"en": "English", "zh": "中文（简体）"}
_ALIASES = {"zh_cn": "zh", "zh-cn": "zh", "zh_hans": "zh", "zh-hans": "zh", "en_us": "en", "en-us": "en"}
_DOMAIN = "crmlib"
_SENTENCES = "notebooks"  # the catalogue of the sentences notebooks print with say()
_state = {"language": "en", "translations": _gettext.NullTranslations()}
_loaded: dict[str, _gettext.NullTranslations] = {}


def set_language(language: str) -> None:
    """Show crmlib's feedback, hints and error framing in ``language``: ``"zh"`` (Chinese) or ``"en"``.

    It holds for the rest of the session (the kernel), for every message made from then on.

    >>> set_language("zh_CN"); get_language()
    'zh'
    >>> set_language("en")
    >>> set_language("fr")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: language must be one of ['en', 'zh'], got 'fr'. Fix: pass language='en'.
    """
    from crmlib import validate

    code = _ALIASES.get(language.lower(), language.lower()) if isinstance(language, str) else language
    validate.one_of(code, "language", list(LANGUAGES))
    if code not in _loaded:
        _loaded[code] = _catalogue(code)
    _state["language"], _state["translations"] = code, _loaded[code]


def get_language() -> str:
    """The language crmlib speaks now: ``"en"`` or ``"zh"``.

    >>> get_language()
    'en'
    """
    return _state["language"]


def gettext(message: str) -> str:
    """``message`` in the current language (itself if the catalogue has no translation).

    >>> gettext("No hint for this one.")
    'No hint for this one.'
    """
    _texts(message=message)
    return _state["translations"].gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language.

    >>> ngettext("{n} row", "{n} rows", 3).format(n=3)
    '3 rows'
    """
    _texts(singular=singular, plural=plural)
    from crmlib import validate

    validate.whole_number(n, "n", minimum=0)
    return _state["translations"].ngettext(singular, plural, int(n))


def gettext_noop(message: str) -> str:
    """``message`` itself, marked for the catalogue: for a text kept in a module constant, which is
    made once at import, and translated with ``gettext`` where it is shown.

    Import it as ``N_`` (``from crmlib.messages import gettext_noop as N_``), so that
    tests/test_messages.py finds the text::

        NO_HINT = N_("No hint for this one.")
        ...
        print(_(NO_HINT))

    >>> gettext_noop("No hint for this one.")
    'No hint for this one.'
    """
    _texts(message=message)
    return message


def say(sentence: str, **values) -> None:
    """Print ``sentence`` in the current language, its ``{placeholders}`` filled with ``values``.

    A placeholder may carry a format, as in an f-string (``{share:.0%}``); a translation may
    move the placeholders and change their format (a date as ``{day:%Y年%m月%d日}``).

    >>> say("Orders of the shop: {n}", n=412)
    Orders of the shop: 412
    >>> say("{share:.0%} of the members bought twice.", share=0.256)
    26% of the members bought twice.
    >>> say("Orders: {n}")
    Traceback (most recent call last):
    ...
    crmlib.validate.CRMDataError: say: the sentence 'Orders: {n}' needs a value for {n}. Fix: pass n=....
    """
    _texts(sentence=sentence)
    from crmlib.validate import CRMDataError

    if not sentence.strip():
        raise CRMDataError("say: the sentence is empty. Fix: pass the sentence to print, e.g. say('Orders: {n}', n=3).")
    if _state["language"] == "en":
        shown = sentence
    else:
        shown = sentence_catalogue(_state["language"]).get(sentence, sentence)
    try:
        print(shown.format(**values))
    except KeyError as missing:
        name = missing.args[0]
        raise CRMDataError(
            f"say: the sentence {sentence!r} needs a value for {{{name}}}. Fix: pass {name}=...."
        ) from None
    except (ValueError, TypeError, IndexError) as error:
        raise CRMDataError(
            f"say: the sentence {sentence!r} cannot be filled in ({error}). "
            "Fix: name every placeholder ({n}, not {}) and give each a value its format fits."
        ) from None


def sentence_catalogue(language: str) -> dict[str, str]:
    """The sentences notebooks print with :func:`say`, translated into ``language``: English -> translation.

    English has none (the sentences are English). Untranslated and fuzzy entries are left out.

    >>> sentence_catalogue("en")
    {}
    >>> "Orders of the shop: {n}" in sentence_catalogue("zh")
    True
    """
    from crmlib import validate

    code = _ALIASES.get(language.lower(), language.lower()) if isinstance(language, str) else language
    validate.one_of(code, "language", list(LANGUAGES))
    if code not in _sentences:
        _sentences[code] = {} if code == "en" else read_catalogue(_po_text(code, _SENTENCES))
    return dict(_sentences[code])


def read_catalogue(text: str) -> dict[str, str]:
    """The translated entries of a PO file's ``text``: msgid -> msgstr (no header, no plural forms).

    Fuzzy and untranslated entries are left out, as crmlib leaves them out at run time.

    >>> po = 'msgid ""\\nmsgstr "Language: zh_CN\\\\n"\\n\\nmsgid "Yes"\\nmsgstr "是"\\n\\nmsgid "No"\\nmsgstr ""\\n'
    >>> read_catalogue(po)
    {'Yes': '是'}
    """
    _texts(text=text)
    return {k: v for k, v in _read_po(text).items() if k and isinstance(v, str) and "\x00" not in k}


_sentences: dict[str, dict[str, str]] = {}


def _po_text(language: str, domain: str) -> str:
    """The text of the PO file of ``domain`` in ``language`` that crmlib carries."""
    from importlib import resources  # here, not at the top: only a switch to another language needs it

    source = resources.files("crmlib") / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    return source.read_text(encoding="utf-8")


def _texts(**texts) -> None:
    for name, value in texts.items():
        if not isinstance(value, str):
            from crmlib.validate import CRMDataError

            raise CRMDataError(f"{name} must be a text, got {value!r}. Fix: pass the English message as a str.")


def _read_po(text: str) -> dict[str, str | list[str]]:
    """The entries of a PO file: msgid -> msgstr, or ``"singular\\x00plural"`` -> the plural forms.

    Fuzzy entries (``#, fuzzy``: a translation not yet checked against a changed English text)
    and untranslated ones are left out, so they show in English.

    >>> po = 'msgid ""\\nmsgstr "Content-Type: text/plain; charset=UTF-8\\\\n"\\n\\nmsgid "Yes"\\nmsgstr "是"\\n'
    >>> _read_po(po)["Yes"]
    '是'
    """
    entries: dict[str, str | list[str]] = {}
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        key, fuzzy = None, False
        for line in block.split("\n"):
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
                continue
            key, _sep, rest = line.partition(" ")
            fields[key] = ast.literal_eval(rest.strip())
        if "msgid" not in fields or (fuzzy and fields["msgid"]):
            continue
        if "msgid_plural" in fields:
            forms = [fields[k] for k in sorted(f for f in fields if f.startswith("msgstr["))]
            if all(forms):
                entries[fields["msgid"] + "\x00" + fields["msgid_plural"]] = forms
        elif fields.get("msgstr"):
            entries[fields["msgid"]] = fields["msgstr"]
    return entries


def _mo(entries: dict[str, str | list[str]]) -> bytes:
    """The entries in the binary ``.mo`` layout that ``gettext.GNUTranslations`` reads."""
    pairs = sorted(
        (k.encode("utf-8"), ("\x00".join(v) if isinstance(v, list) else v).encode("utf-8")) for k, v in entries.items()
    )
    keys_start = 7 * 4
    values_start = keys_start + 8 * len(pairs)
    data_start = values_start + 8 * len(pairs)
    table, blob = [], b""
    for part in (0, 1):
        for pair in pairs:
            table.append((len(pair[part]), data_start + len(blob)))
            blob += pair[part] + b"\x00"
    header = struct.pack("<7I", 0x950412DE, 0, len(pairs), keys_start, values_start, 0, data_start)
    return header + b"".join(struct.pack("<2I", n, at) for n, at in table) + blob


def _catalogue(language: str) -> _gettext.NullTranslations:
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.GNUTranslations(io.BytesIO(_mo(_read_po(_po_text(language, _DOMAIN)))))
