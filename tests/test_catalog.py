"""The bundled scoring table loads, and malformed tables are rejected in Chinese."""

from __future__ import annotations

import copy
import tomllib

import pytest

from credit_tui.scoring import CatalogError, load_catalog
from credit_tui.scoring.catalog import catalog_path, parse_catalog


@pytest.fixture(scope="module")
def raw() -> dict:
    """The bundled 2024 table as parsed TOML (never mutated: tests take a deep copy)."""
    return tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))


@pytest.fixture
def table(raw: dict) -> dict:
    """A private copy of the bundled table to break."""
    return copy.deepcopy(raw)


def _indicator(table: dict, code: str) -> dict:
    return next(ind for ind in table["indicators"] if ind["code"] == code)


def _component(table: dict, code: str, key: str) -> dict:
    return next(c for c in _indicator(table, code)["components"] if c["key"] == key)


def _rejected(table: dict) -> str:
    with pytest.raises(CatalogError) as info:
        parse_catalog(table)
    return str(info.value)


# --- the bundled table ------------------------------------------------------------


def test_bundled_catalog_shape() -> None:
    cat = load_catalog()
    assert cat.version == "2024"
    assert len(cat.categories) == 7
    assert len(cat.indicators) == 23
    assert sum(len(ind.components) for ind in cat.indicators) == 27
    assert cat.total == 200  # 100 points in halves
    assert [c.max for c in cat.categories] == [h * 2 for h in (13, 5, 12, 25, 15, 6, 24)]
    assert sum(c.max for c in cat.categories) == cat.total
    assert [ind.code for ind in cat.indicators][:3] == ["1.1", "1.2", "1.3"]
    assert cat.indicators[-1].code == "7.3"
    assert len(cat.departments) == 16


def test_bundled_catalog_sums_hold() -> None:
    cat = load_catalog()
    for category in cat.categories:
        inds = [i for i in cat.indicators if i.category_code == category.code]
        assert sum(i.max for i in inds) == category.max, category.title
    for ind in cat.indicators:
        assert sum(c.points for c in ind.components) == ind.max, ind.code


def test_every_indicator_has_criteria_and_interpretation() -> None:
    cat = load_catalog()
    for ind in cat.indicators:
        assert ind.criteria.strip(), ind.code
        assert ind.interpretation.strip(), ind.code


def bundled_2024_facts(cat) -> dict[str, object]:
    """What the bundled 2024 table says, as the seed's 附件 says it (halves: 1 point == 2)."""
    return {
        "version": cat.version,
        "total": cat.total,
        "categories": [(c.code, c.max) for c in cat.categories],
        "indicators": len(cat.indicators),
        "components": sum(len(i.components) for i in cat.indicators),
        "1.1 office": (
            cat.by_code["1.1"].component("office").staff_cap,
            cat.by_code["1.1"].component("office").gate.component,
        ),
        "1.2 gate": cat.by_code["1.2"].gate.component,
        "4.1 channel": cat.by_code["4.1"].component("commitment").default_channel,
        "4.4 each": cat.by_code["4.4"].component("application").each,
        "departments": len(cat.departments),
    }


BUNDLED_2024 = {
    "version": "2024",
    "total": 200,  # 100 points
    # 一 13 · 二 5 · 三 12 · 四 25 · 五 15 · 六 6 · 七 24 (points) → halves
    "categories": [("1", 26), ("2", 10), ("3", 24), ("4", 50), ("5", 30), ("6", 12), ("7", 48)],
    "indicators": 23,
    "components": 27,
    "1.1 office": (2, "group"),
    "1.2 gate": "plan",
    "4.1 channel": "credit_site",
    "4.4 each": 1,  # 0.5 point
    "departments": 16,
}


def test_load_catalog_by_path_reads_the_bundled_table() -> None:
    assert bundled_2024_facts(load_catalog(catalog_path(2024))) == BUNDLED_2024
    assert bundled_2024_facts(load_catalog()) == BUNDLED_2024


def test_display_code() -> None:
    cat = load_catalog()
    assert cat.display_code("4.2") == "四、2"
    assert cat.display_code("1.1") == "一、1"
    assert cat.display_code("7.3") == "七、3"


def test_canonical_department() -> None:
    cat = load_catalog()
    assert cat.canonical_department("建设科") == "公路建设科"
    assert cat.canonical_department("财务审计") == "财务审计科"
    assert cat.canonical_department("法规科") == "法规科"
    assert cat.canonical_department("  法规科 ") == "法规科"
    assert cat.canonical_department("火星科") is None
    assert cat.canonical_department("") is None


def test_unmodified_copy_parses(table: dict) -> None:
    assert bundled_2024_facts(parse_catalog(table)) == BUNDLED_2024


# --- malformed tables ---------------------------------------------------------------


def test_unknown_rule_kind(table: dict) -> None:
    _component(table, "1.1", "group")["rule"] = "lottery"
    msg = _rejected(table)
    assert "未知的类型" in msg
    assert "lottery" in msg
    assert "1.1" in msg and "group" in msg


def test_unknown_condition_kind(table: dict) -> None:
    _component(table, "1.2", "plan")["qualify"][0]["kind"] = "moon_phase"
    msg = _rejected(table)
    assert "未知的类型" in msg
    assert "moon_phase" in msg
    assert "1.2" in msg and "plan" in msg


def test_component_points_must_add_up_to_indicator_max(table: dict) -> None:
    _component(table, "1.1", "group")["points"] = 2
    msg = _rejected(table)
    assert "指标 1.1" in msg
    assert "各事项分值之和 4 不等于指标满分 3" in msg


def test_indicator_maxima_must_add_up_to_category_max(table: dict) -> None:
    ind = _indicator(table, "1.3")
    ind["max"] = 3
    ind["components"][0]["points"] = 3
    msg = _rejected(table)
    assert "一、制度建设" in msg
    assert "各指标满分之和 14 不等于类别满分 13" in msg


def test_categories_must_add_up_to_total(table: dict) -> None:
    table["total"] = 99
    msg = _rejected(table)
    assert "各类别满分之和 100 不等于总分 99" in msg


def test_unknown_department(table: dict) -> None:
    _component(table, "6.3", "exchange")["departments"].append("火星科")
    msg = _rejected(table)
    assert "未知的责任单位 火星科" in msg
    assert "6.3" in msg and "exchange" in msg


def test_unknown_department_alias_target(table: dict) -> None:
    table["department_aliases"]["宣传科"] = "宣传处"
    msg = _rejected(table)
    assert "宣传科" in msg and "未知单位 宣传处" in msg


def test_points_not_a_multiple_of_half(table: dict) -> None:
    _component(table, "1.1", "group")["points"] = 0.3
    msg = _rejected(table)
    assert "不是 0.5 的整数倍" in msg
    assert "1.1" in msg and "group" in msg and "points" in msg


def test_per_quarter_needs_quarter_cap(table: dict) -> None:
    del _component(table, "1.4", "study")["quarter_cap"]
    msg = _rejected(table)
    assert "规则 per_quarter 需要参数 quarter_cap" in msg
    assert "1.4" in msg and "study" in msg


def test_condition_referencing_missing_indicator(table: dict) -> None:
    _component(table, "1.4", "study")["qualify"][0]["indicator"] = "9.9"
    msg = _rejected(table)
    assert "条件引用了不存在的指标 9.9" in msg
    assert "1.4" in msg


@pytest.mark.parametrize("due", ["4-31", "13-01", "04/30", "0430", "00-10", "12-32"])
def test_bad_due_date_format(table: dict, due: str) -> None:
    _component(table, "1.1", "group")["schedule"]["due"] = [due]
    msg = _rejected(table)
    assert "时间节点" in msg and "MM-DD" in msg
    assert due in msg
    assert "1.1" in msg and "group" in msg


@pytest.mark.parametrize("due", ["04-31", "02-30", "06-31"])
def test_impossible_due_date_is_rejected(table: dict, due: str) -> None:
    """Well-formed MM-DD that no year has (30 April is the end of April)."""
    _component(table, "1.1", "group")["schedule"]["due"] = [due]
    msg = _rejected(table)
    assert due in msg
    assert "1.1" in msg


def test_bad_final_date(table: dict) -> None:
    _component(table, "4.4", "application")["schedule"]["final"] = "13-01"
    msg = _rejected(table)
    assert "13-01" in msg and "4.4" in msg


def test_unknown_material_kind(table: dict) -> None:
    _component(table, "5.1", "campaign")["materials"].append("poster")
    msg = _rejected(table)
    assert "未知的材料类型 poster" in msg
    assert "5.1" in msg and "campaign" in msg


def test_unknown_material_kind_in_alternative(table: dict) -> None:
    _component(table, "5.2", "model")["materials"][1] = "photo|hologram"
    msg = _rejected(table)
    assert "未知的材料类型 hologram" in msg
    assert "5.2" in msg


def test_unknown_field_is_rejected(table: dict) -> None:
    _component(table, "1.1", "group")["bonus_points"] = 3
    msg = _rejected(table)
    assert "未知的字段" in msg


def test_missing_field_is_rejected(table: dict) -> None:
    del _indicator(table, "2.1")["criteria"]
    msg = _rejected(table)
    assert "缺少此项" in msg
    assert "2.1" in msg


def test_several_problems_are_all_listed(table: dict) -> None:
    _component(table, "1.4", "study")["qualify"][0]["indicator"] = "9.9"
    _component(table, "5.1", "campaign")["materials"].append("poster")
    table["total"] = 99
    msg = _rejected(table)
    assert "9.9" in msg and "poster" in msg and "总分 99" in msg


def test_missing_file_is_a_catalog_error(tmp_path) -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path / "catalog_2030.toml")
    assert "不存在" in str(info.value)


def test_broken_toml_is_a_catalog_error(tmp_path) -> None:
    path = tmp_path / "catalog_2030.toml"
    path.write_text('version = "2030\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert "格式错误" in str(info.value)


# --- a later year is a new file ------------------------------------------------------


def test_later_year_is_just_a_new_file(tmp_path) -> None:
    text = catalog_path(2024).read_text(encoding="utf-8")
    assert 'version = "2024"' in text
    path = tmp_path / "catalog_2025.toml"
    path.write_text(text.replace('version = "2024"', 'version = "2025"', 1), encoding="utf-8")
    cat = load_catalog(path)
    assert cat.version == "2025"
    assert len(cat.indicators) == 23
    assert cat.total == 200
    assert cat.display_code("4.2") == "四、2"
