"""The exercises' own text in Chinese (crmlib/exercise_sets/zh/<set>.yml): shown after
crmlib.set_language("zh") in the instructor edition, the sealed student edition and the grader;
a changed English text reported stale by set, exercise and field; and labels the data also
carries in Chinese accepted in either language."""

from __future__ import annotations

import html
import importlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from script_loader import load_script

import crmlib
from crmlib import exercises, messages
from crmlib.datasets import load_retail, load_tea
from crmlib.exercise_sets import (
    case_industrial_key_accounts,
    crm_at_work,
    sales_funnel,
    start_here,
    what_is_crm,
)
from crmlib.exercises import Exercise, ExerciseError, answer_to_data, english_fields, localized, seal, text_hash
from crmlib.vocabulary import SERVQUAL_DIMENSIONS_ZH as SERVQUAL_ZH

ROOT = Path(__file__).resolve().parents[1]
translate = load_script("translate")
make_student = load_script("make_student")
grade = load_script("grade")
SETS = translate.sets_in_scope()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    messages.set_language("en")


def chinese_of(exercise_set: str) -> dict[str, str]:
    data = yaml.safe_load(translate.set_translation_file(exercise_set).read_text(encoding="utf-8"))
    return {key: entry["zh"] for key, entry in data.items()}


# --- the repository ------------------------------------------------------------------------------
def test_the_sets_in_scope_are_translated_and_up_to_date():
    """Every notebook in scope has its exercise set in scope too, so its checks speak Chinese."""
    used = {
        f"crmlib/exercise_sets/{name}.py"
        for notebook in translate.in_scope()
        if notebook.endswith(".ipynb")
        for name in re.findall(
            r"from crmlib\.exercise_sets import (\w+) as ex", (translate.ROOT / notebook).read_text(encoding="utf-8")
        )
    }
    assert used and used <= set(SETS), f"put these sets in translations/zh/scope.txt: {sorted(used - set(SETS))}"
    assert [str(p) for s in SETS for p in translate.set_problems(s)] == []
    assert translate.main(["check"]) == 0  # what `make translations` runs: notebooks and sets


@pytest.mark.parametrize("exercise_set", SETS)
def test_every_translation_is_chinese_with_chinese_punctuation_and_the_english_numbers(exercise_set):
    english = translate.set_texts(exercise_set)
    for key, chinese in chinese_of(exercise_set).items():
        assert CHINESE.search(chinese), key
        assert not re.search(r"[\u4e00-\u9fff][,.;:!?]", chinese), f"{key}: use ，。；：！？ after Chinese"
        assert translate.missing_numbers(english[key], chinese) == [], key


def test_every_text_a_learner_sees_has_a_field():
    fields = english_fields(what_is_crm.crm_three_levels)
    assert list(fields) == [
        "question",
        "hint.1",
        "hint.2",
        "choice.A",
        "choice.B",
        "choice.C",
        "target.1",
        "target.2",
        "target.3",
        "feedback.A",
        "feedback.B",
        "feedback.C",
        "explanation",
    ]
    assert fields["target.2"] == what_is_crm.crm_three_levels.targets[1]
    assert list(english_fields(what_is_crm.transaction_or_relationship))[-9:-7] == ["class.1", "class.2"]
    assert text_hash("## Chapters") == "828421f5c6b3"  # the same key as a notebook cell's


# --- staleness -----------------------------------------------------------------------------------
def test_an_edited_english_question_is_stale_by_set_exercise_and_field_and_shows_in_english(monkeypatch, capsys):
    exercise_set = "crmlib/exercise_sets/what_is_crm.py"
    edited = "What does the 80/20 rule say about a firm's customers and its profit?"
    monkeypatch.setattr(what_is_crm.eighty_twenty, "question", edited)
    problems = translate.set_problems(exercise_set)
    assert [(p.cell, p.kind) for p in problems] == [("eighty_twenty.question", "stale")]
    assert str(problems[0]).startswith(f"{exercise_set} exercise eighty_twenty field question: stale: ")
    assert translate.main(["check", exercise_set]) == 1
    capsys.readouterr()
    crmlib.set_language("zh")
    what_is_crm.eighty_twenty.show()
    shown = capsys.readouterr().out
    assert shown.startswith(edited + "\n") and "大约 20% 的客户" in shown  # old Chinese never shown for new English


def test_missing_unfinished_unused_and_dropped_numbers_are_reported(tmp_path):
    exercise_set = "crmlib/exercise_sets/start_here.py"
    source = translate.set_translation_file(exercise_set)
    copy = translate.set_translation_file(exercise_set, tmp_path)
    copy.parent.mkdir(parents=True)
    entries = translate.read_translation(source)
    del entries["gift_limit.hint.1"]
    entries["paid_column.question"]["en"] = "to do"
    entries["cups_for_target.question"]["zh"] = entries["cups_for_target.question"]["zh"].replace("500", "五百")
    entries["old_exercise.question"] = {"hash": "0" * 12, "zh": "旧题"}
    copy.write_text(translate.dump_translation(exercise_set, entries), encoding="utf-8")
    found = {(p.cell, p.kind) for p in translate.set_problems(exercise_set, tmp_path)}
    assert found == {
        ("gift_limit.hint.1", "missing"),
        ("paid_column.question", "todo"),
        ("cups_for_target.question", "numbers"),
        ("old_exercise.question", "unused"),
    }
    copy.unlink()
    assert [p.kind for p in translate.set_problems(exercise_set, tmp_path)] == ["missing"]


def test_update_writes_the_english_to_do_and_keeps_the_old_chinese(tmp_path, monkeypatch):
    exercise_set = "crmlib/exercise_sets/start_here.py"
    copy = translate.set_translation_file(exercise_set, tmp_path)
    copy.parent.mkdir(parents=True)
    shutil.copy(translate.set_translation_file(exercise_set), copy)
    old = translate.read_translation(copy)["free_drinks.hint.1"]["zh"]
    edited = "First fix the cell of step 7, so that it shows the items of each member."
    monkeypatch.setattr(start_here.free_drinks, "hints", (edited, start_here.free_drinks.hints[1]))
    assert translate.update_set(exercise_set, tmp_path) == 1
    entry = translate.read_translation(copy)["free_drinks.hint.1"]
    assert entry == {"hash": text_hash(edited), "en": edited, "zh": old}
    assert [(p.cell, p.kind) for p in translate.set_problems(exercise_set, tmp_path)] == [
        ("free_drinks.hint.1", "todo")
    ]


# --- Chinese at run time ---------------------------------------------------------------------------
def test_a_concept_check_in_chinese_question_choices_feedback_explanation_and_hints(capsys):
    ex, zh = start_here.run_in_order, chinese_of("crmlib/exercise_sets/start_here.py")
    crmlib.set_language("zh")
    ex.show()
    shown = capsys.readouterr().out.splitlines()
    assert shown[0] == zh["run_in_order.question"]
    assert shown[1:5] == [f"  {x}. {zh[f'run_in_order.choice.{x}']}" for x in "ABCD"]
    assert not ex.check("C")
    assert capsys.readouterr().out.strip() == f"✗ C 不对。{zh['run_in_order.feedback.C']}"
    assert ex.check("b")
    assert capsys.readouterr().out.strip() == f"✓ 正确！{zh['run_in_order.explanation']}"
    ex.hint(2)
    assert capsys.readouterr().out.strip() == f"提示 2/2：{zh['run_in_order.hint.2']}"
    assert html.escape(zh["run_in_order.question"]) in ex._repr_html_()
    crmlib.set_language("en")
    ex.check("C")
    assert capsys.readouterr().out.strip() == "✗ C is not right. " + ex._feedback["C"]


def test_a_number_exercise_in_chinese_asks_for_its_rounding_once(capsys):
    crmlib.set_language("zh")
    start_here.best_member_share.show()  # decimals=2; the Chinese question does not say it itself
    assert capsys.readouterr().out.strip() == "门店收入中，最好的那位会员贡献了多大的占比？（保留 2 位小数）"
    start_here.cups_for_target.show()  # the question says "保留 0 位小数" itself
    assert capsys.readouterr().out.count("小数") == 1


def test_classes_may_be_named_in_either_language(capsys):
    ex = what_is_crm.transaction_or_relationship
    english = dict(zip("ABCDEF", ex.expected.values(), strict=True))
    crmlib.set_language("zh")
    by_name = {
        x: ex.classes[n - 1] if x in "AB" else localized(ex.public())["classes"][n - 1] for x, n in english.items()
    }
    assert ex.check(by_name)
    assert capsys.readouterr().out.startswith("✓ 正确！")


def test_an_exercise_outside_a_set_and_a_set_without_translations_stay_english(capsys):
    crmlib.set_language("zh")
    Exercise("Twice two", answer=4, hint="Add.").hint()
    assert capsys.readouterr().out.strip() == "提示：Add."
    assert "translations" not in Exercise("Twice two", answer=4).public()


def test_a_set_whose_translation_file_is_missing_shows_english(monkeypatch, capsys):
    monkeypatch.setitem(exercises._LOADED_SETS, ("start_here", "zh"), {})  # as if the file were not there
    crmlib.set_language("zh")
    start_here.run_in_order.check("C")
    assert capsys.readouterr().out.strip() == "✗ C 不对。" + start_here.run_in_order._feedback["C"]
    assert "translations" not in start_here.run_in_order.public()


def test_the_sealed_student_copy_carries_the_chinese_and_keeps_the_feedback_sealed(capsys):
    source = make_student.sealed_set_source("what_is_crm")
    zh = chinese_of("crmlib/exercise_sets/what_is_crm.py")
    assert zh["crm_three_levels.question"] in source  # public: shown as it is
    assert zh["crm_three_levels.feedback.A"] not in source and zh["crm_three_levels.explanation"] not in source
    sealed: dict = {}
    exec(compile(source, "exercise_checks/what_is_crm.py", "exec"), sealed)
    ex = sealed["crm_three_levels"]
    crmlib.set_language("zh")
    ex.show()
    assert capsys.readouterr().out.startswith(zh["crm_three_levels.question"] + "\n  A. 理念")
    assert not ex.check("A1 B2 C3")
    out = capsys.readouterr().out
    assert out.startswith("✗ 3 对中有 0 对正确。") and f"A1: {zh['crm_three_levels.feedback.A']}" in out
    ex.hint(1)
    assert capsys.readouterr().out.strip() == f"提示 1/2：{zh['crm_three_levels.hint.1']}（下一条：.hint(2)）"
    crmlib.set_language("en")
    ex.check("A1 B2 C3")
    assert capsys.readouterr().out.startswith("✗ 0 of 3 pairs are right.\n  A1: A philosophy is")


def test_the_grader_writes_chinese_feedback(tmp_path):
    exercise = what_is_crm.ccpr_grocer
    zh = chinese_of("crmlib/exercise_sets/what_is_crm.py")
    crmlib.set_language("zh")
    points, feedback = grade.judge(exercise, {"value": answer_to_data("A")})
    assert points == 0 and feedback == f"✗ A 不对。{zh['ccpr_grocer.feedback.A']}"
    assert grade.judge(exercise, None)[1].startswith("✗ 未作答")
    path = tmp_path / "s1.md"
    grade.write_feedback(path, "s1", [("01_what_is_crm.ipynb", "ccpr_grocer", exercise, points, feedback)], [])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# s1 的反馈\n\n得分：**0 / 1**")
    assert zh["ccpr_grocer.question"] in text and f"提示：{zh['ccpr_grocer.hint.1']}" in text
    crmlib.set_language("en")
    grade.write_feedback(path, "s1", [("01_what_is_crm.ipynb", "ccpr_grocer", exercise, 0, feedback)], [])
    assert f"Hint: {exercise.hints[0]}" in path.read_text(encoding="utf-8")


# --- labels in either language -------------------------------------------------------------------
def test_a_brand_name_passes_in_chinese_and_a_wrong_one_still_fails(capsys):
    ex = what_is_crm.monthly_value_brand
    brands = load_tea().brands.set_index("brand_name")
    right = brands.loc[ex.expected, "brand_name_zh"]
    wrong = brands.loc[brands.index != ex.expected, "brand_name_zh"].iloc[0]
    assert ex.check(right) and ex.check(f" {right} ") and ex.check(ex.expected)
    capsys.readouterr()
    assert not ex.check(wrong)
    assert capsys.readouterr().out.strip() == f"✗ Your answer {wrong!r} is not the expected text."  # their own text


@pytest.mark.parametrize(
    ("set_name", "exercise", "names"),
    [
        ("satisfaction", "retail_gap_most_linked", lambda: SERVQUAL_ZH),
        ("satisfaction", "lotus_best_half_point", lambda: SERVQUAL_ZH),
        (
            "database_marketing_and_recommendation",
            "sundae_partner",
            lambda: load_tea().products.query("brand_id == 'T3'").set_index("product_name")["product_name_zh"],
        ),
    ],
)
def test_labels_of_later_chapters_pass_in_chinese_and_a_wrong_one_still_fails(set_name, exercise, names, capsys):
    """A SERVQUAL dimension (响应性) or a product name (圣代) passes in either language, also sealed."""
    ex = getattr(importlib.import_module(f"crmlib.exercise_sets.{set_name}"), exercise)
    zh = dict(names())
    right, wrong = zh[ex.expected], next(v for k, v in zh.items() if k != ex.expected)
    copy: dict = {}
    exec(compile(make_student.sealed_set_source(set_name), f"exercise_checks/{set_name}.py", "exec"), copy)
    for check in (ex.check, copy[exercise].check):
        assert check(right) and check(f" {right} ") and check(ex.expected)
        assert not check(wrong)
    capsys.readouterr()


def test_a_category_passes_in_chinese_in_the_instructor_and_the_sealed_edition(capsys):
    ex = crm_at_work.rebuy_category
    categories = load_retail().products.drop_duplicates("category").set_index("category")["category_zh"]
    right = str(categories[ex.expected])
    sealed = make_student.sealed_set_source("crm_at_work")
    assert right not in sealed  # the aliases travel sealed
    copy: dict = {}
    exec(compile(sealed, "exercise_checks/crm_at_work.py", "exec"), copy)
    assert ex.check(right) and copy["rebuy_category"].check(right)
    others = [str(c) for c in categories if c != right]
    capsys.readouterr()
    assert not any(copy["rebuy_category"].check(c) for c in others)


def test_an_industry_passes_under_the_chinese_name_of_the_company_names_in_the_sealed_edition_too(capsys):
    """The data writes each account's industry in Chinese inside its company name (…医院有限公司)."""
    ex = case_industrial_key_accounts.package_industry
    business = load_retail().customers.dropna(subset=["industry"])
    names = {
        "hotels": "酒店",
        "restaurants": "餐饮",
        "offices": "办公",
        "schools": "学校",
        "hospitals": "医院",
        "property management": "物业",
        "retail chains": "连锁零售",
    }
    assert set(business["industry"].astype(str)) == set(names)
    for industry, name in names.items():
        assert business.loc[business["industry"] == industry, "company_name"].str.contains(name).all()
    copy: dict = {}
    sealed = make_student.sealed_set_source("case_industrial_key_accounts")
    exec(compile(sealed, "exercise_checks/case_industrial_key_accounts.py", "exec"), copy)
    right = names[ex.expected]
    for check in (ex.check, copy["package_industry"].check):
        assert check(right) and check(f" {right} ") and check(ex.expected)
        assert not any(check(name) for industry, name in names.items() if industry != ex.expected)
    capsys.readouterr()


def test_a_sales_stage_passes_under_its_glossary_name_in_the_sealed_edition_too(capsys):
    ex = sales_funnel.lost_contact_stage
    glossary = pd.read_csv(ROOT / "book" / "glossary.csv").set_index("english")["chinese"]
    names = {
        "prospecting": glossary["first contact, prospecting"],
        "qualification": glossary["qualification"],
        "needs analysis": glossary["needs analysis"],
        "proposal": glossary["proposal"],
        "negotiation": glossary["negotiation"],
        "won": glossary["won / lost deal"].split(" / ")[0],
    }
    assert set(load_retail().opportunities["stage"].cat.categories) == set(names)
    right = names[ex.expected]
    copy: dict = {}
    exec(compile(make_student.sealed_set_source("sales_funnel"), "exercise_checks/sales_funnel.py", "exec"), copy)
    assert ex.check(right) and ex.check(f" {right} ") and copy["lost_contact_stage"].check(right)
    capsys.readouterr()
    assert not any(copy["lost_contact_stage"].check(name) for stage, name in names.items() if stage != ex.expected)


def test_aliases_apply_to_lists_sets_series_and_frames():
    aliases = {"厨房用品": "kitchen", "灯具": "lighting"}
    items = Exercise("Two categories", answer=["kitchen", "lighting"], aliases=aliases)
    assert items.check(["厨房用品", "lighting"]) and not items.check(["灯具", "厨房用品"])
    assert Exercise("Both", answer={"kitchen", "lighting"}, aliases=aliases).check({"灯具", "厨房用品"})
    expected = pd.Series([0.25, 0.5], index=["kitchen", "lighting"])
    series = Exercise("Share by category", answer=expected, aliases=lambda: aliases)
    assert series.check(pd.Series([0.5, 0.25], index=["灯具", "厨房用品"]).sort_index(key=lambda i: i.map(aliases)))
    assert not series.check(pd.Series([0.5, 0.25], index=["厨房用品", "灯具"]))  # values swapped
    frame = pd.DataFrame({"category": ["kitchen", "lighting"], "n": [3, 4]})
    table = Exercise("Counts", answer=frame, aliases=aliases)
    assert table.check(pd.DataFrame({"category": ["厨房用品", "灯具"], "n": [3, 4]}))
    assert not table.check(pd.DataFrame({"category": ["厨房用品", "灯具"], "n": [4, 3]}))
    kind, public, sealed = seal(items)
    assert "厨房用品" not in sealed and "aliases" not in public


@pytest.mark.parametrize("bad", [["a"], "kitchen", 3])
def test_aliases_must_be_a_dict_or_a_function(bad):
    with pytest.raises(ExerciseError, match="aliases must be a dict"):
        Exercise("Q", answer="kitchen", aliases=bad)


def test_aliases_from_a_function_must_be_texts():
    ex = Exercise("Q", answer="kitchen", aliases=lambda: {"厨房用品": 1})
    with pytest.raises(ExerciseError, match="aliases must give a dict from text to text"):
        ex.check("厨房用品")
