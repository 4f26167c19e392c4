"""The table as a workbook the clerk edits: 基本信息, 指标, 词表, 重点任务 (SPEC 11)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credit_tui.interchange.sheets import (
    PRINTABLE_CHARS,
    prepare_for_print,
    safe,
    table_styles,
    write_atomically,
)
from credit_tui.interchange.table.layout import (
    ALIAS_KIND,
    ALT_SEP,
    DEPARTMENT_LABEL,
    EVERY_WORDS,
    FIELD_OF,
    GROUP_SEP,
    INDICATOR_COLUMNS,
    INDICATOR_LEVEL,
    INDICATOR_SHEET,
    INFO_FIELDS,
    INFO_HEADER,
    INFO_SHEET,
    LIST_SEP,
    NO,
    RULE_WORDS,
    TASK_COLUMNS,
    TASK_SHEET,
    VOCAB_HEADER,
    VOCAB_SHEET,
    VOCAB_WIDTHS,
    VOCAB_WORDS,
    YES,
)  # fmt: skip
from credit_tui.scoring.canonical import to_raw
from credit_tui.scoring.catalog import Catalog

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def write_workbook(catalog: Catalog, out: Path) -> None:
    """Write the table to ``out`` (.xlsx), atomically."""
    write_atomically(out, lambda tmp: _build(catalog).save(tmp))


def _build(catalog: Catalog) -> Any:
    from openpyxl import Workbook

    raw = to_raw(catalog)
    book = Workbook()
    st = table_styles()
    info = book.active
    info.title = INFO_SHEET
    _info(info, raw, catalog)
    _finish(info, INFO_HEADER, (18, 40, 30), st)
    vocab = book.create_sheet(VOCAB_SHEET)
    channel_rows = _vocabulary(vocab, catalog)
    _finish(vocab, VOCAB_HEADER, VOCAB_WIDTHS, st)
    sheet = book.create_sheet(INDICATOR_SHEET, 1)
    _indicators(sheet, raw, catalog)
    _finish(sheet, [h for _, h, _ in INDICATOR_COLUMNS], [w for *_, w in INDICATOR_COLUMNS], st)
    _dropdowns(sheet, channel_rows)
    # on paper the 附件's own columns (类别 … 事项名称); the rule's parameters are for editing
    sheet.print_area = f"A1:{_column(PRINTED_COLUMNS)}{max(sheet.max_row, 2)}"
    tasks = book.create_sheet(TASK_SHEET)
    tasks.append([h for _, h, _ in TASK_COLUMNS])
    for task in raw.get("key_tasks", []):
        tasks.append([_value(key, task, catalog) for key, _, _ in TASK_COLUMNS])
    _finish(tasks, [h for _, h, _ in TASK_COLUMNS], [w for *_, w in TASK_COLUMNS], st)
    return book


def _info(sheet: Worksheet, raw: dict[str, Any], catalog: Catalog) -> None:
    sheet.append(list(INFO_HEADER))
    for key, label in INFO_FIELDS:
        sheet.append([label, safe(getattr(catalog, key)) if key != "total" else raw["total"]])
    aliases: dict[str, list[str]] = {}
    for alias, target in catalog.department_aliases.items():
        aliases.setdefault(target, []).append(alias)
    for dept in catalog.departments:
        sheet.append([DEPARTMENT_LABEL, safe(dept), safe(LIST_SEP.join(aliases.get(dept, [])))])


def _vocabulary(sheet: Worksheet, catalog: Catalog) -> tuple[int, int]:
    """Fill 词表; the rows of its channels (for the 默认渠道 dropdown)."""
    vocab = catalog.vocabulary
    sheet.append(list(VOCAB_HEADER))
    for area, subs in vocab.domains.items():
        sheet.append(["重点领域", None, safe(area)])
        for sub in subs:
            sheet.append(["领域", None, safe(sub), safe(area)])
    for word in vocab.products:
        sheet.append(["产品", None, safe(word)])
    sheet.append(["产品前缀", None, safe(vocab.product_prefix)])
    for word in vocab.case_types:
        sheet.append(["案件类型", None, safe(word)])
    for word in vocab.partners:
        sheet.append(["合作部门", None, safe(word)])
    for key, label in vocab.kinds.items():
        sheet.append(["材料类型", key, safe(label)])
    first = sheet.max_row + 1
    for key, label in vocab.channels.items():
        sheet.append(["发布渠道", key, safe(label)])
    end = sheet.max_row
    for name, aliases in (getattr(vocab, "item_aliases", None) or {}).items():
        for alias, target in aliases.items():
            sheet.append([ALIAS_KIND, VOCAB_WORDS.get(name, name), safe(alias), safe(target)])
    return first, end


def _indicators(sheet: Worksheet, raw: dict[str, Any], catalog: Catalog) -> None:
    sheet.append([h for _, h, _ in INDICATOR_COLUMNS])
    categories = {c["code"]: c for c in raw["categories"]}
    shown: set[str] = set()
    for ind in raw["indicators"]:
        cat_code = ind["code"].split(".")[0]
        for j, comp in enumerate(ind["components"]):
            row: list[object] = []
            for key, _, _ in INDICATOR_COLUMNS:
                if key == "category":
                    cat = categories.get(cat_code)
                    new = cat is not None and cat_code not in shown and j == 0
                    row.append(f"{cat['numeral']}、{cat['name']}" if new and cat else None)
                elif key == "category_max":
                    cat = categories.get(cat_code)
                    row.append(cat["max"] if cat and cat_code not in shown and j == 0 else None)
                elif key == "code":
                    row.append(ind["code"] if j == 0 else None)
                elif key in INDICATOR_LEVEL:
                    row.append(_value(key, ind, catalog) if j == 0 else None)
                else:
                    row.append(_value(key, comp, catalog))
            shown.add(cat_code)
            sheet.append(row)


PRINTED_COLUMNS = 10


def _column(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def _value(key: str, data: dict[str, Any], catalog: Catalog) -> object:
    """One cell: ``schedule.due`` reads ``data["schedule"]["due"]``; lists in words."""
    node: Any = data
    for part in key.split("."):
        part = FIELD_OF.get(part, part)
        node = node.get(part) if isinstance(node, dict) else None
    if node is None:
        return None
    if key == "rule":
        return RULE_WORDS.get(node, node)
    if key == "item_vocab":
        return VOCAB_WORDS.get(node, node)
    if key == "schedule.every":
        return EVERY_WORDS.get(node, node)
    if key == "default_channel":
        return safe(catalog.vocabulary.channels.get(node, node))
    if key == "materials":
        kinds = catalog.vocabulary.kinds
        return safe(GROUP_SEP.join(
            ALT_SEP.join(kinds.get(k, k) for k in group.split("|")) for group in node
        ))  # fmt: skip
    if key == "qualify":
        return safe(json.dumps(node, ensure_ascii=False))
    if isinstance(node, bool):
        return YES if node else NO
    if isinstance(node, list):
        return safe(LIST_SEP.join(map(str, node)))
    return safe(node)


def _finish(sheet: Worksheet, header: Any, widths: Any, st: dict[str, Any]) -> None:
    """Header bold and boxed, frozen and repeated on each page, text wrapped, A4 landscape."""
    for cell in sheet[1]:
        cell.font = st["header_font"]
        cell.fill = st["header_fill"]
        cell.border = st["border"]
        cell.alignment = st["center"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = st["wrap"]
            cell.border = st["border"]
    widths = list(widths)
    if sum(widths) <= PRINTABLE_CHARS["landscape"]:
        prepare_for_print(sheet, header_rows=1, widths=widths)
        return
    # a sheet wider than the page keeps its widths for editing; printing fits it to the width
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[_column(number)].width = width
    prepare_for_print(sheet, header_rows=1)


def _dropdowns(sheet: Worksheet, channel_rows: tuple[int, int]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    keys = [key for key, _, _ in INDICATOR_COLUMNS]
    last = max(sheet.max_row, 2) + 200  # room for rows the clerk adds
    lists = {
        "rule": ",".join(RULE_WORDS.values()),
        "item_vocab": ",".join(VOCAB_WORDS.values()),
        "schedule.every": ",".join(EVERY_WORDS.values()),
        "bonus": f"{YES},{NO}",
        "warn_quarter_end": f"{YES},{NO}",
    }
    for key, values in lists.items():
        col = get_column_letter(keys.index(key) + 1)
        dv = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
        dv.add(f"{col}2:{col}{last}")
        sheet.add_data_validation(dv)
    col = get_column_letter(keys.index("default_channel") + 1)
    first, end = channel_rows
    dv = DataValidation(
        type="list", formula1=f"'{VOCAB_SHEET}'!$C${first}:$C${end}", allow_blank=True
    )
    dv.add(f"{col}2:{col}{last}")
    sheet.add_data_validation(dv)
