"""Sentences printed by notebook code (``crmlib.say``): English by default, Chinese after
``set_language("zh")`` from the catalogue crmlib carries (notebooks.po), the code the same in
both editions; ``scripts/translate.py check`` names every printed sentence without its Chinese."""

from __future__ import annotations

import re
import string
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from script_loader import load_script

import crmlib
from crmlib import messages

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "crmlib" / "locale" / "zh" / "LC_MESSAGES" / "notebooks.po"
CHAPTERS = ("00_overview", "01_identification", "02_development", "03_communication", "04_information", "05_loyalty")
CONVERTED = sorted(
    [p.relative_to(ROOT).as_posix() for folder in CHAPTERS for p in (ROOT / "notebooks" / folder).glob("*.ipynb")]
    + ["notebooks/your_own_data.ipynb"]
    + [p.relative_to(ROOT).as_posix() for p in (ROOT / "casestudies").glob("*/*.ipynb")]
)
translate = load_script("translate")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    messages.set_language("en")


def fields(text: str) -> list[str]:
    return sorted({name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name})


# --- say ------------------------------------------------------------------------------------------
def test_say_prints_english_by_default_and_chinese_after_set_language(capsys):
    crmlib.say("Orders of the shop: {n}", n=412)
    crmlib.say("{n} orders of at least {limit} yuan", n=20, limit=30)
    assert capsys.readouterr().out == "Orders of the shop: 412\n20 orders of at least 30 yuan\n"
    crmlib.set_language("zh")
    crmlib.say("Orders of the shop: {n}", n=412)
    crmlib.say("{n} orders of at least {limit} yuan", n=20, limit=30)
    crmlib.say("A sentence nobody translated: {n}", n=1)  # shows in English
    assert capsys.readouterr().out == "这家店的订单数：412\n至少 30 元的订单有 20 笔\nA sentence nobody translated: 1\n"


def test_a_translation_may_change_the_format_of_a_placeholder(capsys):
    sentence = "The last consumer in the file signed up on {day:%d %b %Y}, so the last quarter is not complete."
    day = pd.Timestamp("2025-03-31")
    crmlib.say(sentence, day=day)
    crmlib.set_language("zh")
    crmlib.say(sentence, day=day)
    english, chinese = capsys.readouterr().out.splitlines()
    assert english.startswith("The last consumer in the file signed up on 31 Mar 2025,")
    assert chinese == "文件中最后一位消费者的注册日期是 2025年03月31日，所以最后一个季度的数据不完整。"


def test_say_refuses_a_missing_value_an_empty_sentence_and_a_non_text():
    with pytest.raises(crmlib.CRMDataError, match=r"needs a value for \{n\}\. Fix: pass n="):
        crmlib.say("Orders of the shop: {n}")
    with pytest.raises(crmlib.CRMDataError, match="the sentence is empty"):
        crmlib.say("  ")
    with pytest.raises(crmlib.CRMDataError, match="sentence must be a text"):
        crmlib.say(412)
    with pytest.raises(crmlib.CRMDataError, match=r"cannot be filled in.*Fix: name every placeholder"):
        crmlib.say("Orders: {}", n=1)


# --- the catalogue ----------------------------------------------------------------------------------
def test_each_translation_keeps_the_placeholders_and_uses_chinese_punctuation():
    catalogue = messages.sentence_catalogue("zh")
    assert len(catalogue) >= 80
    for english, chinese in catalogue.items():
        assert fields(chinese) == fields(english), english
        assert re.search(r"[\u4e00-\u9fff]", chinese), english
        assert not re.search(r"[\u4e00-\u9fff][,.;:!?]", chinese), f"{english!r}: use ，。；：！？ after Chinese"


def test_every_sentence_of_the_catalogue_is_said_by_a_notebook():
    said = set()
    for path in list((ROOT / "notebooks").rglob("*.ipynb")) + list((ROOT / "casestudies").rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                said.update(translate.printed_sentences(cell.source)[0])
    assert sorted(set(messages.sentence_catalogue("zh")) - said) == [], "entries of notebooks.po used nowhere"


@pytest.mark.parametrize("notebook", CONVERTED)
def test_converted_notebooks_print_every_sentence_through_say_with_its_chinese(notebook):
    assert [str(p) for p in translate.sentence_problems(notebook)] == []


# --- scripts/translate.py check ---------------------------------------------------------------------
def write_notebook(root: Path, *sources: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, id=f"cell{i}") for i, source in enumerate(sources)]
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, root / "notebooks" / "x.ipynb")
    return "notebooks/x.ipynb"


def write_catalogue(root: Path, entries: dict) -> None:
    path = translate.sentence_catalogue_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + body, encoding="utf-8")


def test_check_names_the_notebook_cell_and_sentence_of_what_prints_english(tmp_path, capsys):
    notebook = write_notebook(
        tmp_path,
        'say("Orders of the shop: {n}", n=3)',
        'print("Total:", 5)\nprint(f"{x}: {y}")\nprint(counts)',
        "%matplotlib inline\nsentence = 'Hi'\nsay(sentence)",
    )
    shown = [str(p) for p in translate.sentence_problems(notebook, tmp_path)]
    assert shown == [
        "notebooks/x.ipynb cell cell0: sentence: no Chinese in crmlib/locale/zh/LC_MESSAGES/notebooks.po: "
        "'Orders of the shop: {n}'",
        "notebooks/x.ipynb cell cell1: print: prints English, use say(...) so it can be translated: 'Total:'",
        "notebooks/x.ipynb cell cell2: sentence: say(...) needs its sentence as a literal text, not a variable",
    ]
    write_catalogue(tmp_path, {"Orders of the shop: {n}": "这家店的订单数：{count}"})
    assert [p.kind for p in translate.sentence_problems(notebook, tmp_path)] == ["sentence", "print", "sentence"]
    assert "other {placeholders}" in translate.sentence_problems(notebook, tmp_path)[0].detail
    write_catalogue(tmp_path, {"Orders of the shop: {n}": "这家店的订单数：{n}"})
    assert [p.cell for p in translate.sentence_problems(notebook, tmp_path)] == ["cell1", "cell2"]
    (tmp_path / "translations" / "zh").mkdir(parents=True)
    (tmp_path / "translations" / "zh" / "scope.txt").write_text(notebook + "\n", encoding="utf-8")
    assert translate.main(["check", "--root", str(tmp_path)]) == 1  # what `make translations` runs
    assert "notebooks/x.ipynb cell cell1: print: prints English" in capsys.readouterr().out
