"""A department's fill-in template (.xlsx) in the interchange format (SPEC section 8).

The workbook has three sheets:

- ``填报`` (first, because the importer reads the first sheet): the interchange
  header in Chinese labels and empty rows carrying dropdown validations. Empty
  rows are skipped on import, so a template filled in part imports as it is.
- ``说明``: what each column means, the accepted date formats, and the
  department's components with their deadlines, points and scoring notes.
- ``选项`` (hidden): the dropdown lists the validations refer to.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from credit_tui.interchange.evidence_format import COLUMNS, InterchangeError
from credit_tui.interchange.sheets import prepare_for_print, write_atomically
from credit_tui.scoring.calendar import occurrence_specs
from credit_tui.scoring.catalog import Catalog, Component, Indicator
from credit_tui.scoring.evidence import FIELD_LABELS, STATUS_LABELS
from credit_tui.scoring.points import fmt
from credit_tui.store.database import Store

FILL_SHEET = "填报"
HELP_SHEET = "说明"
OPTIONS_SHEET = "选项"
ROWS = 1000
"""Rows of the fill-in sheet that carry the dropdowns."""
YES_NO = ("是", "否")
FLAG_COLUMNS = ("format_ok", "evaluation_data", "publicized")

COLUMN_HELP: dict[str, tuple[str, str]] = {
    "id": ("否", "一般不填，系统自动生成；只有要替换已导入的某条记录时才填写它的编号"),
    "indicator": ("是", "指标编号，如 4.2（也可写“四、2”），从下拉列表选择"),
    "component": ("指标有多个事项时必填", "事项名称，从下拉列表选择；见下方“本单位负责的事项”"),
    "item": ("按事项", "领域、“信易+”产品、案例类型、协调部门或活动名称等，见下方“对象”一栏"),
    "date": ("是", "材料形成或发布的日期：2024-05-03、2024/5/3、2024年5月3日，或 Excel 日期"),
    "department": ("是", "责任单位，从下拉列表选择（本单位排在第一个）"),
    "title": ("是", "材料标题，1–200 字"),
    "kind": ("否", "材料类型，默认“文件”"),
    "channel": ("否", "发布渠道；不填时按事项的默认渠道（见下方）"),
    "quantity": ("按事项", "整数，≥ 0；仅“信用工作办公室/专班”填写工作人员人数"),
    "format_ok": ("否", "是否符合“信用交通·山东”网站格式规范：是/否，默认否"),
    "evaluation_data": ("否", "是否为信用评价类数据：是/否，默认否"),
    "publicized": ("否", "是否已经公示：是/否，默认否"),
    "url": ("否", "发布网址，须以 http:// 或 https:// 开头"),
    "attachment": (
        "否",
        "附件文件名，多个用英文分号 ; 分隔；路径相对于本文件所在文件夹，报送时把附件放在本文件旁",
    ),
    "note": ("否", "备注，最多 2000 字"),
    "status": ("否", "已完成（默认）或 计划：计划中的材料不计入得分，只计入“预计”"),
}

_ITEM_HELP = {
    "domain": "重点领域或二级领域名称（见下方“可填写的领域”）",
    "product": "“信易+”产品名称：{products}，或其他以“信易”开头的名称",
    "case_type": "{case_types}",
    "partner": "{partners}（各填一条）",
}


def department_components(catalog: Catalog, department: str) -> list[tuple[Indicator, Component]]:
    """The components the department shares responsibility for, in catalog order."""
    return [
        (ind, comp)
        for ind in catalog.indicators
        for comp in ind.components
        if department in comp.departments
    ]


def export_template(store: Store, department: str, out: Path) -> int:
    """Write ``department``'s fill-in template to ``out`` (.xlsx); returns its component count."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise InterchangeError([f"{out}: 不支持的文件类型“{out.suffix}”，填报模板应为 .xlsx"])
    catalog = store.catalog
    dept = catalog.canonical_department(department)
    if dept is None:
        raise InterchangeError(
            [f"未知的责任单位“{department}”，应为：{'、'.join(catalog.departments)}"]
        )
    comps = department_components(catalog, dept)
    book = _workbook(catalog, store.campaign.year, dept, comps)
    write_atomically(out, book.save)
    return len(comps)


# --- the workbook ----------------------------------------------------------------------


def _workbook(catalog: Catalog, year: int, dept: str, comps: list[tuple[Indicator, Component]]):
    from openpyxl import Workbook

    book = Workbook()
    fill = book.active
    fill.title = FILL_SHEET
    help_sheet = book.create_sheet(HELP_SHEET)
    options = book.create_sheet(OPTIONS_SHEET)
    lists = _options(options, catalog, dept, comps)
    options.sheet_state = "hidden"
    _fill_sheet(fill, lists)
    _help_sheet(help_sheet, catalog, year, dept, comps)
    book.active = 0
    return book


def _options(sheet, catalog: Catalog, dept: str, comps) -> dict[str, str]:
    """Write the dropdown lists, one a column; returns range references by column key."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    vocab = catalog.vocabulary
    columns: dict[str, list[str]] = {
        "indicator": list(dict.fromkeys(ind.code for ind, _ in comps)),
        "component": list(dict.fromkeys(comp.label for _, comp in comps)),
        "department": [dept, *(d for d in catalog.departments if d != dept)],
        "kind": list(vocab.kinds.values()),
        "channel": list(vocab.channels.values()),
    }
    refs: dict[str, str] = {}
    for n, (key, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(n)
        sheet.cell(row=1, column=n, value=FIELD_LABELS[key]).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=n, value=value).number_format = "@"
        sheet.column_dimensions[letter].width = 24
        last = max(2, len(values) + 1)
        refs[key] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${last}"
    return refs


def _fill_sheet(sheet, refs: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    head_fill = PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    letters = {key: get_column_letter(i) for i, key in enumerate(COLUMNS, start=1)}
    for i, key in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i, value=FIELD_LABELS[key])
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.fill = (
            required_fill if key in ("indicator", "date", "department", "title") else head_fill
        )
    widths = {"id": 10, "component": 24, "item": 14, "date": 12, "department": 16, "title": 40}
    widths |= {"kind": 12, "channel": 20, "note": 30, "attachment": 30, "url": 24}
    for key, letter in letters.items():
        dim = sheet.column_dimensions[letter]
        # text columns stay text (Excel would turn a picked "4.2" into a number)
        dim.number_format = "yyyy-mm-dd" if key == "date" else ("0" if key == "quantity" else "@")
    prepare_for_print(sheet, header_rows=1, widths=[widths.get(key, 10) for key in COLUMNS])

    def area(key: str) -> str:
        return f"{letters[key]}2:{letters[key]}{ROWS + 1}"

    def add(key: str, formula: str, prompt: str, *, strict: bool = True) -> None:
        label = FIELD_LABELS[key]
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showDropDown=False,  # (openpyxl's name is inverted: False shows the arrow)
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=f"{label}填写有误",
            error=(
                f"请从下拉列表中选择{label}"
                if strict
                else f"该{label}不在本单位负责的清单中，仍要填写请选“是”"
            ),
            promptTitle=label,
            prompt=prompt,
        )
        dv.add(area(key))
        sheet.add_data_validation(dv)

    add("indicator", refs["indicator"], "本单位负责的指标，如 4.2", strict=False)
    add("component", refs["component"], "指标有多个事项时必填", strict=False)
    add("department", refs["department"], "责任单位")
    add("kind", refs["kind"], "不填为“文件”")
    add("channel", refs["channel"], "不填按事项默认渠道")
    for key in FLAG_COLUMNS:
        add(key, f'"{",".join(YES_NO)}"', "是/否，不填为否")
    add("status", f'"{",".join(STATUS_LABELS.values())}"', "不填为已完成；计划只计入预计")
    quantity = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数量填写有误",
        error="数量应为 0 或正整数",
    )
    quantity.add(area("quantity"))
    sheet.add_data_validation(quantity)


def _help_sheet(sheet, catalog: Catalog, year: int, dept: str, comps) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def line(text: str = "", *, font: Font | None = None) -> None:
        nonlocal row
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = wrap
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        if font is not None:
            cell.font = font
        row += 1

    def table(header: list[str], rows: list[list[str]]) -> None:
        nonlocal row
        for col, text in enumerate(header, start=1):
            cell = sheet.cell(row=row, column=col, value=text)
            cell.font = bold
            cell.fill = head_fill
        row += 1
        for values in rows:
            for col, text in enumerate(values, start=1):
                sheet.cell(row=row, column=col, value=text).alignment = wrap
            row += 1

    line(f"{catalog.organisation} · {year} 年度信用交通县创建 · {dept}佐证材料填报模板",
         font=Font(bold=True, size=14))  # fmt: skip
    line()
    line("填写须知", font=bold)
    notes = [
        f"1. 只有第一个工作表“{FILL_SHEET}”会被导入：请在其中填写，不要移动、删除或改名该表，"
        "不要改动第一行表头。",
        "2. 每行填写一条佐证材料；空行会被忽略，不必删除。",
        "3. 必填列：指标、日期、责任单位、标题（表头橙色）；指标有多个事项时还须填写事项。",
        "4. 日期可写成 2024-05-03、2024/5/3、2024年5月3日，或直接输入 Excel 日期。",
        "5. 是/否 列（格式规范、评价类数据、已公示）不填即为“否”。",
        "6. 状态不填即为“已完成”；填“计划”的材料不计入得分，只计入年终“预计”得分。",
        "7. 附件：在“附件”列写文件名（多个用英文分号 ; 分隔），并把附件文件放在本表格所在文件夹，"
        "与本表格一起报送法规科。",
        f"8. 第 2 至 {ROWS + 1} 行带有下拉列表；需要更多行时，复制已有的行即可。",
        "9. 填好后报送法规科，由法规科导入（credit-tui import 文件名）。有任何一行填写有误时，"
        "整个文件都不会导入，并逐条列出错误所在的行和列。",
    ]
    for text in notes:
        line(text)
    line()
    line("各列说明", font=bold)
    table(
        ["列名", "是否必填", "填写内容"],
        [[FIELD_LABELS[key], *COLUMN_HELP[key]] for key in COLUMNS],
    )
    line()
    line(f"本单位负责的事项（共 {len(comps)} 项）", font=bold)
    due_dates = _due_dates(catalog, year)
    table(
        [
            "指标",
            "指标名称",
            "事项（填写内容）",
            "分值",
            "时间节点",
            "对象",
            "填写要点",
            "评分口径",
        ],
        [
            [
                ind.code,
                f"{catalog.display_code(ind.code)} {ind.name}",
                comp.label,
                f"{fmt(comp.points)} 分" + ("（加分项）" if comp.bonus else ""),
                _schedule_text(comp, due_dates.get((ind.code, comp.key), [])),
                _item_text(catalog, comp),
                _tips(catalog, ind, comp),
                ind.interpretation,
            ]
            for ind, comp in comps
        ],
    )
    vocab = catalog.vocabulary
    if any(comp.item_vocab == "domain" for _, comp in comps):
        line()
        line("可填写的领域（对象）", font=bold)
        for key_area, subs in vocab.domains.items():
            line(f"{key_area}：{'、'.join(subs)}" if subs else key_area)
    line()
    line("可选的材料类型：" + "、".join(vocab.kinds.values()))
    line("可选的发布渠道：" + "、".join(vocab.channels.values()))
    prepare_for_print(sheet, widths=(8, 14, 32, 6, 14, 10, 14, 20))


def _due_dates(catalog: Catalog, year: int) -> dict[tuple[str, str], list[date]]:
    dates: dict[tuple[str, str], list[date]] = {}
    for spec in occurrence_specs(catalog, year):
        if spec.kind != "suggested":
            dates.setdefault((spec.indicator, spec.component), []).append(spec.due)
    return dates


def _schedule_text(comp: Component, dues: list[date]) -> str:
    text = comp.schedule.text
    if dues:
        text += "（" + "、".join(f"{d.month}月{d.day}日" for d in dues) + "）"
    return text


def _item_text(catalog: Catalog, comp: Component) -> str:
    if not comp.uses_item:
        return "不填"
    vocab = catalog.vocabulary
    template = _ITEM_HELP.get(comp.item_vocab or "", f"{comp.item_label}名称")
    return template.format(
        products="、".join(vocab.products),
        case_types=" 或 ".join(vocab.case_types),
        partners="、".join(vocab.partners),
    )


def _tips(catalog: Catalog, ind: Indicator, comp: Component) -> str:
    vocab = catalog.vocabulary
    if len(ind.components) > 1:
        tips = [f"本指标有多个事项，“事项”须填写“{comp.label}”"]
    else:
        tips = ["本指标只有这一个事项，“事项”可不填"]
    if comp.default_channel != "internal":
        tips.append(f"发布渠道默认为{vocab.channels[comp.default_channel]}")
    if comp.rule == "staff":
        tips.append("须在“数量”列填写工作人员人数")
    if comp.reads_flags:
        tips.append("注意标注" + "".join(f"“{FIELD_LABELS[f]}”" for f in comp.reads_flags))
    if comp.materials:
        groups = ["或".join(vocab.kinds[k] for k in group.split("|")) for group in comp.materials]
        tips.append("材料类型须齐全：" + "、".join(groups))
    if comp.rule == "per_quarter":
        tips.append("按季度计分，材料日期须在对应季度内")
    elif comp.rule == "monthly":
        tips.append("每月至少一条")
    return "；".join(tips)
