#!/usr/bin/env python3
"""The two editions of the course, English and Chinese (中文版), as the build scripts see them.

The Chinese edition lives under ``zh/``, mirroring the English paths (scripts/translate.py
writes it). The student editions, the slide decks and the website are built from one edition or
the other by the same code; this module is the one place that says which file of a language
stands for an English path:

* ``edition_file(rel, "zh")`` is ``zh/<rel>`` when that file exists (``README.zh.md`` for the
  home page, ``translate.COUNTERPARTS``), else the English ``rel``:
  a notebook not translated yet is taken in English, so an edition is always complete.
* A Chinese file written at its English path (the student edition, the decks) keeps working
  links with :func:`relocated_links`: in ``zh/`` a link to a page not translated yet goes back to
  the English file (``../../notebooks/…``); at the English path that link becomes the plain
  relative one (``../…``), and a link to a Chinese twin stays as it is.

    python scripts/editions.py [--lang zh]    list each course notebook of the edition and its source
    python scripts/editions.py --lang zh --demos [--port 8866]
                                              the class demos' Voila addresses (``make demo LANG=zh``)
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translate import COUNTERPARTS  # noqa: E402  (pages whose twin has another name: README.zh.md)

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "zh")
# A markdown link: [text](target "title"); group 2 is the target without its #anchor.
LINK = re.compile(r"(\]\()([^)\s#]*)(#[^)\s]*)?(\s+\"[^\"]*\")?(\))")
URL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def check_language(language: str) -> str:
    """``language`` if the course has that edition; stops with the choices otherwise.

    >>> check_language("zh")
    'zh'
    """
    if language not in LANGUAGES:
        raise SystemExit(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    return language


def suffix(language: str) -> str:
    """What a build folder's name gets for ``language``: ``""`` for English, ``"-zh"`` for Chinese.

    >>> suffix("en"), suffix("zh")
    ('', '-zh')
    """
    return "" if check_language(language) == "en" else f"-{language}"


def twin(rel: Path, language: str, root: Path = ROOT) -> Path | None:
    """The repository path of ``rel``'s translation into ``language`` (None if there is none)."""
    if check_language(language) == "en":
        return None
    rel = Path(rel)
    path = Path(COUNTERPARTS[rel.as_posix()]) if rel.as_posix() in COUNTERPARTS else Path(language) / rel
    return path if (root / path).is_file() else None


def edition_file(rel: Path, language: str, root: Path = ROOT) -> Path:
    """The repository path that stands for the English ``rel`` in the ``language`` edition.

    >>> edition_file(Path("notebooks/00_overview/01_what_is_crm.ipynb"), "zh").as_posix()
    'zh/notebooks/00_overview/01_what_is_crm.ipynb'
    >>> edition_file(Path("datasets/README.md"), "zh").as_posix()
    'datasets/README.md'
    >>> edition_file(Path("README.md"), "zh").as_posix()
    'README.zh.md'
    """
    return twin(rel, language, root) or rel


def english_file(rel: Path, language: str) -> Path | None:
    """The English page a page of the ``language`` edition translates (None: ``rel`` is not one).

    >>> english_file(Path("zh/notebooks/course_map.ipynb"), "zh").as_posix()
    'notebooks/course_map.ipynb'
    >>> english_file(Path("README.zh.md"), "zh").as_posix(), english_file(Path("notebooks/a.ipynb"), "zh")
    ('README.md', None)
    """
    posix = Path(rel).as_posix()
    english = {twin: page for page, twin in COUNTERPARTS.items()}.get(posix)
    if english is not None:
        return Path(english)
    if check_language(language) != "en" and posix.startswith(f"{language}/"):
        return Path(posix[len(language) + 1 :])
    return None


def relocated_links(text: str, rel: Path, language: str) -> str:
    """The links of markdown ``text`` from ``<language>/<rel>``, as they work from ``rel``.

    >>> relocated_links("[a](../00_overview/x.ipynb) [b](../../notebooks/05/y.ipynb#t) [c](https://a.b)",
    ...                 Path("notebooks/01/m.ipynb"), "zh")
    '[a](../00_overview/x.ipynb) [b](../05/y.ipynb#t) [c](https://a.b)'
    """
    if check_language(language) == "en":
        return text
    here = Path(rel).parent.as_posix()

    def relocate(match: re.Match) -> str:
        target = match[2]
        if not target or URL.match(target) or target.startswith("/"):
            return match[0]
        resolved = posixpath.normpath(posixpath.join(language, here, target))
        if resolved.startswith(f"{language}/"):
            resolved = resolved[len(language) + 1 :]
        new = posixpath.relpath(resolved, here or ".")
        return f"{match[1]}{new}{match[3] or ''}{match[4] or ''}{match[5]}"

    return LINK.sub(relocate, text)


def relocated_notebook(nb, rel: Path, language: str):
    """``nb`` (a notebook node of ``<language>/<rel>``, changed in place) with its links working from ``rel``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relocated_links(cell.source, rel, language)
    return nb


def demo_links(language: str, port: int = 8866, root: Path = ROOT) -> list[str]:
    """One line per class demo (notebooks/demos/): its name and the Voila page to open in ``language``,
    the Chinese twin where there is one, else the English demo, marked "(English)".

    >>> demo_links("zh")[0]
    '0_1_pareto             http://127.0.0.1:8866/voila/render/zh/notebooks/demos/0_1_pareto.ipynb'
    """
    lines = []
    for path in sorted((root / "notebooks" / "demos").glob("*.ipynb")):
        rel = path.relative_to(root)
        source = edition_file(rel, language, root)
        note = "  (English: not translated yet)" if source == rel and language != "en" else ""
        lines.append(f"{path.stem:<22} http://127.0.0.1:{port}/voila/render/{source.as_posix()}{note}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="zh")
    parser.add_argument("--demos", action="store_true", help="list the class demos' Voila pages")
    parser.add_argument("--port", type=int, default=8866, help="the Voila port (with --demos)")
    args = parser.parse_args(argv)
    if args.demos:
        print("\n".join(demo_links(args.lang, args.port)))
        return 0
    for folder in ("notebooks", "casestudies"):
        for path in sorted((ROOT / folder).rglob("*.ipynb")):
            rel = path.relative_to(ROOT)
            if ".ipynb_checkpoints" not in rel.parts:
                print(f"{rel.as_posix()}\t{edition_file(rel, args.lang).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
