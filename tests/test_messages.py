"""crmlib.set_language and the message catalogue: the framework text of checks, hints, concept
checks and CRMDataError, in English (the default) and in Chinese, from one PO file that matches
the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

import crmlib
from crmlib import messages
from crmlib.concepts import MultipleChoice, PutInOrder, SingleChoice
from crmlib.exercises import Exercise, SealedExercise, seal

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "crmlib" / "locale" / "zh" / "LC_MESSAGES" / "crmlib.po"
PLACEHOLDER = re.compile(r"\{\w*(?:![rsa])?(?::[^{}]*)?\}")  # {name}, {value!r}, {share:.0%}


def placeholders(text: str) -> set:
    """The ``{placeholders}`` of a text, with their conversion and format; ``{{`` and ``}}`` are literal braces."""
    return set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves crmlib speaking English, as the rest of the suite expects."""
    yield
    messages.set_language("en")


def marked_texts() -> dict:
    """The texts the code marks for translation: ``_("…")``, ``N_("…")`` (``gettext_noop``, for a
    module constant) and ``ngettext("…", "…", n)`` calls. ``_()`` of a name is allowed only for a
    constant made with ``N_`` in the same module."""
    found = {}
    for path in sorted((ROOT / "crmlib").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "N_"
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and len(node.args) == 1 and isinstance(node.args[0], ast.Name):
                assert node.args[0].id in constants, f'{path}:{node.lineno}: _(name) needs name = N_("…")'
            elif node.func.id in ("_", "N_"):
                assert len(texts) == 1 == len(node.args), (
                    f"{path}:{node.lineno}: {node.func.id}() takes one literal text"
                )
                found[texts[0]] = path.name
            elif node.func.id == "ngettext":
                assert len(texts) == 2, f"{path}:{node.lineno}: ngettext() takes two literal texts"
                found[(texts[0], texts[1])] = path.name
    return found


def catalogue() -> dict:
    entries = messages._read_po(PO.read_text(encoding="utf-8"))
    entries.pop("", None)  # the header
    return {tuple(k.split("\x00")) if "\x00" in k else k: v for k, v in entries.items()}


def captured(capsys, action) -> str:
    action()
    return capsys.readouterr().out.strip()


# --- the catalogue matches the code --------------------------------------------------------------
def test_every_marked_text_has_a_chinese_entry_and_every_entry_a_text():
    code, po = marked_texts(), catalogue()
    assert len(code) > 100  # the framework text of exercises, concepts and validate
    assert sorted(map(str, set(code) - set(po))) == [], "add these to crmlib.po"
    assert sorted(map(str, set(po) - set(code))) == [], "these crmlib.po entries are used nowhere"


def test_each_translation_keeps_the_placeholders_and_uses_chinese_punctuation():
    for key, value in catalogue().items():
        english = " ".join(key) if isinstance(key, tuple) else key
        for chinese in value if isinstance(value, list) else [value]:
            assert placeholders(chinese) == placeholders(english), key
            assert not re.search(r"[\u4e00-\u9fff][,.;:!?]", chinese), f"{key!r}: use ，。；：！？ after Chinese"


def test_the_catalogue_reader_skips_fuzzy_and_untranslated_entries():
    po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "旧"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgid "Two "\n"lines"\nmsgstr "两"\n"行"\n\n'
        'msgid "{n} row"\nmsgid_plural "{n} rows"\nmsgstr[0] "{n} 行"\n'
    )
    entries = messages._read_po(po)
    assert "Old" not in entries and "Empty" not in entries
    assert entries["Two lines"] == "两行"
    assert entries["{n} row\x00{n} rows"] == ["{n} 行"]


# --- switching -------------------------------------------------------------------------------------
def test_english_is_the_default_and_the_language_holds_until_switched_back():
    assert messages.get_language() == "en"
    crmlib.set_language("zh-CN")
    assert messages.get_language() == "zh"
    assert messages.gettext("Hint: {hint}") == "提示：{hint}"
    assert messages.ngettext("row {rows}", "rows {rows}", 3) == "第 {rows} 行"
    crmlib.set_language("en")
    assert messages.gettext("Hint: {hint}") == "Hint: {hint}"
    assert messages.ngettext("row {rows}", "rows {rows}", 3) == "rows {rows}"


@pytest.mark.parametrize("bad", ["fr", "", None, 3, ["zh"]])
def test_an_unknown_language_is_refused_with_the_fix(bad):
    with pytest.raises(crmlib.CRMDataError, match=r"language must be one of \['en', 'zh'\].*Fix: pass language='en'"):
        crmlib.set_language(bad)
    assert messages.get_language() == "en"


# --- exercises, in both languages ------------------------------------------------------------------
def mean_exercise():
    return Exercise("Mean of 1, 2 and 6", answer=lambda: 3.0, hint=["What is a mean?", "Add them, divide by 3."])


@pytest.mark.parametrize(
    ("language", "answer", "expected"),
    [
        ("en", 3.24, "✗ Your answer 3.24 is too high by about 8%."),
        ("zh", 3.24, "✗ 你的答案 3.24 偏高约 8%。"),
        ("zh", 3.36, "✗ 你的答案 3.36 偏高约 10%。"),
        ("en", 2.97, "✗ Your answer 2.97 is too low by less than 1%."),
        ("zh", 2.97, "✗ 你的答案 2.97 偏低不到 1%。"),
        ("zh", 300, "✗ 你的答案 300 大了 100 倍：题目要的是比例（0–1），你是不是写成了百分数？"),
        ("zh", 12, "✗ 你的答案 12 偏高：约为预期值的 4 倍。"),
        ("zh", "3", "✗ 应该是一个数，你给的是一段文本（'3'）。去掉引号，给出一个数。"),
        ("zh", None, "✗ 你的答案是 None——请把 `...` 或 None 换成你的计算。"),
        ("en", 3, "✓ Correct!"),
        ("zh", 3, "✓ 正确！"),
    ],
)
def test_number_feedback(language, answer, expected, capsys):
    crmlib.set_language(language)
    ex = mean_exercise()
    result = ex.check(answer)
    assert capsys.readouterr().out.strip() == expected == result.message
    assert bool(result) is expected.startswith("✓")


def test_hint_labels_and_the_rounding_asked_for(capsys):
    ex = Exercise("Share of repeat buyers", answer=lambda: 0.4567, hint=["Count twice.", "Divide."], decimals=3)
    english = [captured(capsys, f) for f in (ex.hint, lambda: ex.hint(2), lambda: ex.hint(9), ex.show)]
    assert english == [
        "Hint 1 of 2: Count twice. (More: .hint(2))",
        "Hint 2 of 2: Divide.",
        "There are 2 hints; this is the last. Hint 2 of 2: Divide.",
        "Share of repeat buyers (round to 3 decimals)",
    ]
    crmlib.set_language("zh")
    chinese = [captured(capsys, f) for f in (ex.hint, lambda: ex.hint(2), lambda: ex.hint(9), ex.show)]
    assert chinese == [
        "提示 1/2：Count twice.（下一条：.hint(2)）",
        "提示 2/2：Divide.",
        "共有 2 条提示，这是最后一条。提示 2/2：Divide.",
        "Share of repeat buyers（保留 3 位小数）",
    ]
    assert captured(capsys, lambda: ex.check(0.46)) == "✗ 你的答案 0.46 偏高不到 1%。请保留 3 位小数，而不是 2 位。"


def test_table_feedback_in_chinese_names_the_row_and_never_the_expected_value(capsys):
    expected = pd.Series([0.5, 0.25], index=["store", "delivery"])
    ex = Exercise("Shares by channel", answer=lambda: expected)
    crmlib.set_language("zh")
    message = captured(capsys, lambda: ex.check(pd.Series([0.5, 0.3], index=["store", "delivery"])))
    assert message == "✗ 2 个值中有 1 个不同，例如在行 'delivery'：你的值（0.3）偏高约 20%。"
    assert "0.25" not in message
    message = captured(capsys, lambda: ex.check(pd.Series([0.5, 0.25], index=["store", "app"])))
    assert message == "✗ 你的行标签（索引）与预期不同：缺少 1 个应有的标签；多出了不应有的：['app']。"


def test_a_sealed_exercise_speaks_the_language_chosen_after_sealing(capsys):
    sealed = SealedExercise(*seal(mean_exercise()))
    crmlib.set_language("zh")
    assert captured(capsys, lambda: sealed.check(2.7)) == "✗ 你的答案 2.7 偏低约 10%。"
    assert bool(sealed.check(3.0))


# --- concept checks ------------------------------------------------------------------------------
def test_concept_checks_in_both_languages(capsys):
    single = SingleChoice("2 + 2?", choices=["3", "4"], answer="B", feedback={"A": "One short."}, explanation="Four.")
    many = MultipleChoice(
        "Fruit?", choices=["apple", "stone", "pear"], answer="A C", feedback={"B": "Hard."}, explanation="Both."
    )
    order = PutInOrder(
        "Order?",
        choices=["second", "first", "third"],
        answer="B A C",
        feedback={x: "…" for x in "ABC"},
        explanation="1-2-3.",
    )
    runs = [
        lambda: single.show(),
        lambda: single.check("a"),
        lambda: single.check("B"),
        lambda: many.check("A B"),
        lambda: order.check("A B C"),
        lambda: single.check("A B"),
    ]
    english = [captured(capsys, f) for f in runs]
    assert english == [
        '2 + 2?\n  A. 3\n  B. 4\nAnswer with one letter, e.g. answer = "B".',
        "✗ A is not right. One short.",
        "✓ Correct! Four.",
        "✗ Not yet: 1 letter of yours is wrong and 1 right option is missing.\n  B: Hard.",
        "✗ 1 of 3 are in the right place. The first one out of place is number 1 in your order, A: …",
        "✗ Pick one letter only; you gave 2 (A, B).",
    ]
    crmlib.set_language("zh")
    chinese = [captured(capsys, f) for f in runs]
    assert chinese == [
        '2 + 2?\n  A. 3\n  B. 4\n用一个字母作答，例如 answer = "B"。',
        "✗ A 不对。One short.",
        "✓ 正确！Four.",
        "✗ 还不对：你选的字母中有 1 个是错的，还缺 1 个正确选项。\n  B: Hard.",
        "✗ 3 个中有 1 个位置正确。你的顺序里第一个放错的是第 1 个，即 A：…",
        "✗ 只能选一个字母；你给了 2 个（A, B）。",
    ]
    assert "用一个字母作答" in single._repr_html_()


# --- CRMDataError -----------------------------------------------------------------------------------
def negative_amounts():
    from crmlib import identify

    identify.pareto_table(pd.DataFrame({"customer_id": [1, 2, 3], "amount": [1.0, -5.0, -2.0]}))


def test_crmdataerror_frame_in_both_languages():
    with pytest.raises(crmlib.CRMDataError) as english:
        negative_amounts()
    assert str(english.value).startswith("orders: column 'amount' has 2 negative values (rows 1, 2). Fix: ")
    crmlib.set_language("zh")
    with pytest.raises(crmlib.CRMDataError) as chinese:
        negative_amounts()
    text = str(chinese.value)
    assert text.startswith("orders：列 'amount' 有 2 个负值（第 1, 2 行）。解决方法：")
    assert text.endswith("。") and "Fix:" not in text


def chinese_error(action) -> str:
    crmlib.set_language("zh")
    with pytest.raises(crmlib.CRMDataError) as raised:
        action()
    return str(raised.value)


def test_a_misspelt_column_is_named_with_its_near_match_in_chinese():
    from crmlib import identify

    orders = pd.DataFrame({"member": [1, 2], "amount": [1.0, 2.0]})
    assert chinese_error(lambda: identify.pareto_table(orders, customer="membr")) == (
        "orders：列 'membr' 不存在（表里的列有：member, amount）。"
        "解决方法：检查拼写：表里有 'member'，所以请传入 customer=\"member\"。"
    )


def test_whole_chinese_messages_for_wrong_values_types_and_choices():
    from crmlib import identify, validate

    assert chinese_error(negative_amounts) == (
        "orders：列 'amount' 有 2 个负值（第 1, 2 行）。解决方法：金额必须 >= 0；退款和退货请放在另一张表里。"
    )
    orders = pd.DataFrame({"customer_id": [1, 2], "amount": ["x", 2.0]})
    assert chinese_error(lambda: identify.pareto_table(orders)).startswith(
        "orders：列 'amount' 有 1 个值不是数字，例如 'x'（第 0 行）。解决方法：去掉货币符号"
    )
    assert chinese_error(lambda: identify.pareto_table(orders, customer=["customer_id"])) == (
        "pareto_table：customer 必须是列名或文本，收到的是 ['customer_id']。"
        '解决方法：传入一个值，例如 customer="customer_id"。'
    )
    assert chinese_error(lambda: validate.one_of("abc", "scaling", ["minmax", "rank"])) == (
        "scaling 必须是 ['minmax', 'rank'] 中的一个，收到的是 'abc'。解决方法：传入 scaling='minmax'。"
    )
    assert chinese_error(lambda: validate.whole_number(0, "days", minimum=1, maximum=9)) == (
        "days 必须是整数（1 到 9），收到的是 0。解决方法：例如传入 days=1。"
    )


def test_a_chinese_error_has_no_english_sentence_left():
    """Every problem and fix that validate writes is translated: no run of English words remains
    outside code (names, quoted values, calls)."""
    from crmlib import validate

    actions = [
        lambda: validate.key_cells(pd.Series([7, "7", "8"]), "orders", "customer_id"),
        lambda: validate.plausible_dates(pd.Series(pd.to_datetime(["2024-01-05", "1924-01-05"])), "orders", "day"),
        lambda: validate.shares({"a": 0.5, "b": 0.6}, "weights", '{"a": 0.5, "b": 0.5}'),
        lambda: validate.table(pd.DataFrame({"a": [1, None]}), "orders", {"a": "key"}),
        lambda: validate.table(pd.DataFrame({"a": ["x"]}), "orders", {"a": "date"}),
        lambda: validate.table(pd.DataFrame({"a": [1.5]}), "orders", {"a": "count"}),
        lambda: validate.unique(pd.DataFrame({"order_id": [1, 1]}), "orders", "order_id"),
    ]
    for action in actions:
        message = chinese_error(action)
        assert not re.search(r"\b[a-z]+ [a-z]+ [a-z]+\b", message), message
        assert message.endswith("。"), message


def test_the_font_warning_in_chinese(monkeypatch):
    import warnings

    from matplotlib import font_manager

    from crmlib import plots

    latin_only = [f for f in font_manager.fontManager.ttflist if f.name not in plots.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    crmlib.set_language("zh")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert plots.use_cjk_font() == []
    assert [str(w.message) for w in record] == [
        "没有找到中文字体，图中的中文会显示成空白方框。请安装一种中文字体（Debian/Ubuntu："
        "apt-get install fonts-noto-cjk；Binder：已写在 apt.txt 中），然后重启内核。"
    ]
    assert plots.NO_CJK_FONT.startswith("No Chinese font was found")  # the constant stays English


def test_errors_raised_across_crmlib_are_chinese_too(tmp_path):
    """Direct raises in the chapter modules and io (not only validate's helpers) speak Chinese."""
    from crmlib import develop, identify, io

    assert chinese_error(lambda: identify.gini([1, 2])) == (
        "values 必须是 pandas Series，收到的是 list。解决方法：每个客户传入一个数，例如 gini(customer_totals(orders))。"
    )
    assert chinese_error(lambda: develop.wilson_interval(30, 20)).startswith(
        "wilson_interval 要求 0 <= successes <= trials 且 trials > 0，收到的是 20 次中 30 次。"
    )
    path = tmp_path / "orders.csv"
    path.write_text("订单编号,会员编号,下单时间,实付金额\nA1,m1,2024-01-05,12\nA2,m2,2024-01-06,\n", encoding="utf-8")
    assert chinese_error(lambda: io.read_orders(path)) == (
        "orders.csv：列 '实付金额' 有 1 个缺失的 amount（第 3 行）。解决方法：在源数据里补上这个值，或删除这些行。"
    )
    crmlib.set_language("en")
    with pytest.raises(
        crmlib.CRMDataError, match=r"^orders.csv: column '实付金额' has 1 missing amount \(row 3\)\. Fix: "
    ):
        io.read_orders(path)


def test_the_argument_checks_of_every_public_function_speak_chinese():
    """The wrapper of check_public_arguments runs in the module's namespace; its messages are
    made in validate, so they are translated too."""
    from crmlib import identify

    orders = pd.DataFrame({"customer_id": [1, 2], "amount": [1.0, 2.0]})
    assert chinese_error(lambda: identify.top_share(orders, 5)) == (
        "top_share：top 必须在 0 到 1 之间，收到的是 5。解决方法：例如传入 top=0.2。"
    )
    assert chinese_error(lambda: identify.top_share(orders, 0.2, bogus=1)).endswith(
        "。解决方法：用 help(top_share) 查看它有哪些参数。"
    )
