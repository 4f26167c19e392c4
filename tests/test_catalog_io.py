"""Table export → import (TOML and XLSX), its checks at their places, and random tables."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_tui.interchange.table.check import TableError, check_raw
from credit_tui.interchange.table.read import read_table
from credit_tui.interchange.table.toml_out import dumps
from credit_tui.interchange.table.xlsx_out import write_workbook
from credit_tui.scoring.canonical import to_raw
from credit_tui.scoring.catalog import Catalog, catalog_path, load_catalog


def bundled_raw() -> dict[str, Any]:
    return tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))


def _errors(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(TableError) as caught:
        check_raw(raw, "t.toml")
    return caught.value.lines


@pytest.mark.parametrize("suffix", [".toml", ".xlsx"])
def test_export_then_import_is_the_identity_for_the_bundled_table(tmp_path, suffix) -> None:
    catalog = load_catalog()
    out = tmp_path / f"表{suffix}"
    if suffix == ".toml":
        out.write_text(dumps(catalog), encoding="utf-8")
    else:
        write_workbook(catalog, out)
    assert to_raw(read_table(out)) == to_raw(catalog)


def test_the_toml_export_has_the_bundled_files_keys() -> None:
    exported = tomllib.loads(dumps(load_catalog()))
    bundled = bundled_raw()
    assert set(exported) <= set(bundled)  # nothing new; defaults (due_soon_days = 14) left out
    assert set(bundled) - set(exported) == {"due_soon_days", "quarter_end_days"}
    assert exported["indicators"][6]["components"][0]["quarter_cap"] == 2  # 三、1 in points


# --- every validation error at its place ------------------------------------------


def test_toml_errors_name_the_key_path() -> None:
    raw = bundled_raw()
    comp = raw["indicators"][6]["components"][0]  # 3.1 info, index 6 from 0
    comp["quarter_cap"] = "两"
    raw["indicators"][3]["components"][0]["rule"] = "按心情"
    raw["indicators"][5]["components"][0]["schedule"]["due"] = ["02-30"]
    raw["indicators"][0]["components"][1]["颜色"] = "红"
    del raw["indicators"][2]["name"]
    raw["issued_on"] = "2024-13-01"
    lines = _errors(raw)
    assert "indicators[6].components[0].quarter_cap：分值 两 不是数字" in lines
    assert any(
        line.startswith("indicators[3].components[0].rule：“按心情”不是可用的值") for line in lines
    )
    assert any(
        line.startswith("indicators[5].components[0].schedule.due：时间节点 '02-30'")
        for line in lines
    )
    assert "indicators[0].components[1].颜色：未知的字段" in lines
    assert "indicators[2].name：缺少此项" in lines
    assert "issued_on：印发日期 '2024-13-01' 不是有效日期" in lines
    assert len(lines) == 6  # no echo such as "components：不能为空" for lists with a bad element


def test_cross_check_errors_name_the_key_path() -> None:
    raw = bundled_raw()
    raw["indicators"][6]["components"][0]["departments"] = ["法规科", "宣传科"]
    raw["indicators"][2]["max"] = 3  # 1.3: component 2 points ≠ 3; category 一 13 → 14
    raw["indicators"][9]["components"][0]["qualify"] = [
        {"kind": "item_has_record_in", "indicator": "9.9", "reason": "x"}
    ]
    raw["indicators"][1]["components"][1]["key"] = "plan"  # 1.2: plan twice
    raw["categories"][6]["max"] = 25  # 七 24 → 25: the total is then 101
    lines = _errors(raw)
    assert lines == [
        "total：各类别满分之和 101 不等于总分 100",
        "categories[0].max：类别 一、制度建设：各指标满分之和 14 不等于类别满分 13",
        "categories[6].max：类别 七、探索创新：各指标满分之和 24 不等于类别满分 25",
        "indicators[1].components[1].key：事项编号 plan 重复",
        "indicators[2].max：指标 1.3：各事项分值之和 2 不等于指标满分 3",
        "indicators[6].components[0].departments[1]：未知的责任单位“宣传科”",
        "indicators[9].components[0].qualify[0].indicator：引用了不存在的指标 9.9",
    ]


def test_a_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "坏.toml"
    bad.write_text('version = "2025"\ntitle = \n', encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_table(bad)
    assert caught.value.lines == ["TOML 格式错误：第 2 行第 9 列（Invalid value）"]


def _workbook(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    import openpyxl

    out = tmp_path / "表.xlsx"
    write_workbook(load_catalog(), out)
    book = openpyxl.load_workbook(out)
    edit(book)
    book.save(out)
    return out


def test_workbook_errors_name_the_sheet_and_cell(tmp_path: Path) -> None:
    def edit(book) -> None:  # type: ignore[no-untyped-def]
        sheet = book["指标"]
        sheet["L2"] = "=1+1"  # 1.1 group points: a formula
        sheet["L3"] = "两分"  # 1.1 office points: not a number
        sheet["W10"] = "每周"  # 3.1 周期
        book["基本信息"]["A3"] = "颜色"

    with pytest.raises(TableError) as caught:
        read_table(_workbook(tmp_path, edit))
    lines = caught.value.lines
    assert "指标!L2：不能使用公式（不会计算），请直接填写内容" in lines
    assert "指标!L3：“两分”应为数字" in lines
    assert "基本信息!A3：未知的项目“颜色”" in lines
    assert any(line.startswith("指标!W10：“每周”不是可用的值") for line in lines)


def test_workbook_cross_check_errors_name_the_cell(tmp_path: Path) -> None:
    def edit(book) -> None:  # type: ignore[no-untyped-def]
        sheet = book["指标"]
        sheet["F10"] = "法规科、宣传科"  # 3.1 (row 10) 责任单位
        sheet["N10"] = 5  # 3.1 单季上限: fine on its own
        sheet["B2"] = 14  # 一、制度建设 类别满分 13 → 14

    with pytest.raises(TableError) as caught:
        read_table(_workbook(tmp_path, edit))
    assert caught.value.lines == [
        "基本信息!B8：各类别满分之和 101 不等于总分 100",
        "指标!B2：类别 一、制度建设：各指标满分之和 13 不等于类别满分 14",
        "指标!F10：未知的责任单位“宣传科”",
    ]


# --- random tables --------------------------------------------------------------------

_FREE_POINTS = ("flag", "materials", "per_item", "items_with_materials", "item_set")


@st.composite
def changed_tables(draw: st.DrawFn) -> dict[str, Any]:
    """The bundled table changed as a new year's would be, every change keeping it valid."""
    raw = bundled_raw()
    inds = raw["indicators"]
    for _ in range(draw(st.integers(0, 3))):  # points moved between two components
        ind = draw(st.sampled_from([i for i in inds if len(i["components"]) > 1]))
        a, b = (c for c in ind["components"][:2])
        if a["rule"] in _FREE_POINTS and b["rule"] in _FREE_POINTS and a["points"] > 0.5:
            step = draw(st.sampled_from([0.5, 1]))
            if a["points"] > step:
                a["points"] -= step
                b["points"] += step
    for comp in (c for i in inds for c in i["components"] if c["rule"] == "per_quarter"):
        comp["quarter_cap"] = draw(st.sampled_from([1, 1.5, 2, 3, 4]))
    if draw(st.booleans()):  # a department renamed, its old name kept as an alias
        old = draw(st.sampled_from(raw["departments"]))
        new = draw(st.sampled_from(["综合规划科", "信用科", "法制科（新）"]))
        if new not in raw["departments"]:
            raw["departments"] = [new if d == old else d for d in raw["departments"]]
            aliases = {a: (new if t == old else t) for a, t in raw["department_aliases"].items()}
            raw["department_aliases"] = {**aliases, old: new}
            for holder in (c for i in inds for c in i["components"]):
                holder["departments"] = [new if d == old else d for d in holder["departments"]]
    if draw(st.booleans()):  # an indicator no other reads, removed
        referenced = {str(q.get("indicator")) for i in inds for c in i["components"]
                      for q in c.get("qualify", [])} | {c.get("warn_without") for i in inds
                                                        for c in i["components"]}  # fmt: skip
        gone = draw(st.sampled_from([i for i in inds if i["code"] not in referenced]))
        inds.remove(gone)
        cat = next(c for c in raw["categories"] if c["code"] == gone["code"].split(".")[0])
        cat["max"] -= gone["max"]
        raw["total"] -= gone["max"]
    if draw(st.booleans()):  # an indicator added under 七
        points = draw(st.sampled_from([1, 2.5, 4]))
        inds.append({
            "code": "7.9", "name": draw(st.text("信用探索创新=+@", min_size=1, max_size=8)),
            "max": points, "criteria": "新的评估标准", "interpretation": "有即得分",
            "components": [{"key": "new", "label": "新事项", "rule": "flag", "points": points,
                            "departments": ["法规科"], "schedule": {"due": ["11-30"],
                                                                 "text": "11 月底前"}}],
        })  # fmt: skip
        raw["categories"][6]["max"] += points
        raw["total"] += points
    return raw


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=changed_tables())
def test_export_then_import_is_the_identity_for_changed_tables(tmp_path: Path, raw) -> None:
    catalog: Catalog = check_raw(copy.deepcopy(raw), "随机表")
    toml_file, xlsx_file = tmp_path / "t.toml", tmp_path / "t.xlsx"
    toml_file.write_text(dumps(catalog), encoding="utf-8")
    write_workbook(catalog, xlsx_file)
    assert to_raw(read_table(toml_file)) == to_raw(catalog)
    assert to_raw(read_table(xlsx_file)) == to_raw(catalog)


def test_the_workbook_is_laid_out_for_the_clerk(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "表.xlsx"
    write_workbook(load_catalog(), out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["基本信息", "指标", "词表", "重点任务"]
    info = book["基本信息"]
    labels = [info.cell(row=r, column=1).value for r in range(2, 8)]
    assert labels == ["单位名称", "简称", "年度", "标题", "发文字号", "印发日期"]
    assert (
        info["B2"].value == "济南市钢城区城乡交通运输局"
        and info["B6"].value == "钢城交发〔2024〕3 号"
    )
    depts = [r for r in info.iter_rows(min_row=2, values_only=True) if r[0] == "责任单位"]
    assert len(depts) == 16 and ("责任单位", "公路建设科", "建设科") in depts
    sheet = book["指标"]
    heads = [c.value for c in sheet[1]][:7]
    assert heads == [
        "类别",
        "类别满分",
        "编号",
        "建设指标",
        "工作内容及评估标准",
        "责任单位",
        "时间节点",
    ]
    assert sheet.max_row == 1 + 27  # one row per component
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["E"].width == 48  # 工作内容及评估标准: wide enough to read
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation
    }
    assert lists["K2"].startswith('"有即得分,按人数计分')  # 计分规则 as a dropdown
    # 默认渠道 from 词表's five channels: after the header, 5 key areas and their 17 domains,
    # 5 products, the prefix, 2 case types, 3 partners and 11 kinds (1+22+5+1+2+3+11 = 45)
    assert lists["T2"] == "'词表'!$C$46:$C$50"
    tasks = book["重点任务"]
    assert tasks["A2"].value == "一" and tasks.max_row == 1 + 9


_BAD_VALUES = [
    ("points", "三分", "分值 三分 不是数字"),
    ("departments", ["无此单位"], "未知的责任单位“无此单位”"),
    ("rule", "随意", "“随意”不是可用的值"),
    ("颜色", "红", "未知的字段"),
    ("default_channel", "微信群", "未知的发布渠道 微信群"),
]


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_wrong_value_anywhere_is_reported_at_its_key_path(data: st.DataObject) -> None:
    raw = bundled_raw()
    i = data.draw(st.integers(0, len(raw["indicators"]) - 1), label="indicator")
    comps = raw["indicators"][i]["components"]
    j = data.draw(st.integers(0, len(comps) - 1), label="component")
    field, value, message = data.draw(st.sampled_from(_BAD_VALUES), label="change")
    comps[j][field] = value
    lines = _errors(raw)
    place = f"indicators[{i}].components[{j}].{field}"
    if field == "departments":
        place += "[0]"
    assert any(line.startswith(f"{place}：{message}") for line in lines), lines


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_wrong_cell_anywhere_is_reported_at_its_cell(tmp_path: Path, data: st.DataObject) -> None:
    import openpyxl

    from credit_tui.interchange.table.layout import INDICATOR_COLUMNS

    out = tmp_path / "表.xlsx"
    write_workbook(load_catalog(), out)
    book = openpyxl.load_workbook(out)
    row = data.draw(st.integers(2, 28), label="row")  # the 27 components' rows
    key, text, message = data.draw(st.sampled_from([
        ("points", "三分", "“三分”应为数字"),
        ("departments", "无此单位", "未知的责任单位“无此单位”"),
        ("rule", "随意", "“随意”不是可用的值"),
        ("schedule.due", "02-30", "时间节点 '02-30' 不是有效日期"),
    ]), label="change")  # fmt: skip
    col = next(n for n, (k, _, _) in enumerate(INDICATOR_COLUMNS, start=1) if k == key)
    cell = book["指标"].cell(row=row, column=col)
    cell.value = text
    book.save(out)
    with pytest.raises(TableError) as caught:
        read_table(out)
    assert any(line.startswith(f"指标!{cell.coordinate}：{message}") for line in caught.value.lines)


def test_the_workbook_carries_gates_item_aliases_and_nested_warnings(tmp_path: Path) -> None:
    import openpyxl

    from credit_tui.interchange.table.layout import INDICATOR_COLUMNS

    out = tmp_path / "表.xlsx"
    write_workbook(load_catalog(), out)
    book = openpyxl.load_workbook(out)
    heads = [h for _, h, _ in INDICATOR_COLUMNS]
    office = [c.value for c in book["指标"][3]]  # row 3: 1.1's second component, 专班
    assert office[heads.index("事项编号")] == "office"
    assert office[heads.index("事项门槛")] == "group"
    assert office[heads.index("事项门槛说明")] == "未成立领导小组，专班不计分"
    aliases = [r for r in book["词表"].iter_rows(values_only=True) if r[0] == "对象别名"]
    assert aliases == [("对象别名", "合作部门", "社会信用体系建设牵头部门", "信用牵头部门")]


def test_new_field_errors_and_changes_are_named() -> None:
    from credit_tui.interchange.table.diff import changes

    raw = bundled_raw()
    raw["vocabulary"]["item_aliases"]["partner"]["宣传部"] = "宣传科室"
    raw["indicators"][0]["components"][1]["gate"]["component"] = "office"
    assert _errors(raw) == [
        "vocabulary.item_aliases.partner.宣传部：别名指向未知的名称“宣传科室”",
        "indicators[0].components[1].gate.component：门槛事项不能是本事项",
    ]
    raw = bundled_raw()
    raw["vocabulary"]["item_aliases"]["partner"]["宣传部"] = "宣传部门"
    del raw["indicators"][0]["components"][1]["gate"]
    lines = changes(load_catalog(), check_raw(raw, "新表"))
    assert lines == [
        "词表 对象别名：新增 合作部门“宣传部”→宣传部门",
        "一、1 创建领导小组及信用工作专班·信用工作办公室/专班：事项门槛 已修改",
    ]
