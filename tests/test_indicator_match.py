"""The one indicator matcher of the palette and the form (``service.indicator_match``)."""

from __future__ import annotations

import pytest

from credit_tui.scoring import load_catalog
from credit_tui.service.indicator_match import CATEGORY, EXACT, match_indicators, normalise

CATALOG = load_catalog()


def codes(query: str) -> list[str]:
    return [hit.indicator.code for hit in match_indicators(CATALOG, query)]


@pytest.mark.parametrize(
    "query", ["3.1", "3、1", "３．１", "三、1", "三1", "三.1", " 三 、 1 ", "指标 3.1", "3.01"]
)
def test_a_code_in_any_of_its_spellings_finds_exactly_that_indicator(query: str) -> None:
    hits = match_indicators(CATALOG, query)
    assert [h.indicator.code for h in hits] == ["3.1"]
    assert hits[0].score == EXACT
    assert hits[0].shown == "三、1 报送信用工作信息"


def test_digits_without_a_stop_are_not_a_code() -> None:
    # "31" would be 3.1 or category 31: neither is assumed, and no name holds "31"
    assert codes("31") == []


def test_an_unknown_code_finds_nothing() -> None:
    assert codes("9.1") == [] and codes("三、9") == [] and codes("八、1") == []


def test_a_category_alone_lists_its_indicators_in_table_order() -> None:
    # category 4 (四) has five indicators, 4.1 … 4.5
    expected = ["4.1", "4.2", "4.3", "4.4", "4.5"]
    assert codes("4") == expected
    assert codes("四、") == expected
    assert {h.score for h in match_indicators(CATALOG, "四")} == {CATEGORY}


def test_words_must_all_occur_in_code_name_or_components() -> None:
    # "信用" occurs in many names; with "修复" only 四、5 信用修复 remains
    assert codes("信用 修复") == ["4.5"]
    # "信易" occurs in the three 七 indicators' names
    assert codes("信易") == ["7.1", "7.2", "7.3"]
    # a component label: 6.1's 参加省厅信用培训 (not in its name's words "培训" alone: 6.2 too)
    assert codes("省厅") == ["6.1"]
    assert set(codes("培训")) == {"6.1", "6.2"}
    assert codes("不存在的词") == []


def test_an_earlier_word_ranks_higher() -> None:
    # "信用承诺" starts 四、1's name; in no other indicator's text
    first = match_indicators(CATALOG, "承诺")[0]
    assert first.indicator.code == "4.1"
    # 学习 is early in 六、1 (学习信用管理办法…) and late in 一、4 (…专题学习)
    ranked = codes("学习")
    assert ranked.index("6.1") < ranked.index("1.4")


def test_blank_lists_every_indicator() -> None:
    assert len(codes("")) == 23


def test_normalise_folds_full_width() -> None:
    assert normalise("３．１ ＡＢ") == "3.1 ab"
