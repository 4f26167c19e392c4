"""Reading the table workbook back: untrusted input, every cell at its place (``指标!F12``).

Guards before openpyxl sees the file (``xlsx_guard``: size, zip members, unpacked
size, packing ratio), then, as the evidence imports do (SPEC 11): no
formula evaluated (a formula cell is refused at its cell), no control characters,
cells at most ``MAX_CELL`` characters; a neutralising apostrophe is dropped.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from credit_tui.interchange.evidence import MAX_CELL
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
    INFO_SHEET,
    LIST_SEP,
    NO,
    RULE_WORDS,
    TASK_COLUMNS,
    TASK_SHEET,
    VOCAB_SHEET,
    VOCAB_WORDS,
    YES,
    reverse,
)  # fmt: skip
from credit_tui.interchange.table.xlsx_guard import WorkbookProblems, guard
from credit_tui.scoring.points import to_halves

MAX_ROWS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NEUTRALISED = re.compile(r"'+[=+\-@]")
_SPLIT = re.compile(r"[、,，;；\n]+")
_INT_FIELDS = frozenset({"staff_cap", "schedule.start_month", "due_soon_days", "quarter_end_days"})
_LIST_FIELDS = frozenset({"departments", "required_items", "schedule.due", "schedule.suggested"})
_BOOL_FIELDS = frozenset({"bonus", "warn_quarter_end", "warn_nested_items"})
_NUMBER_FIELDS = frozenset({"total", "category_max", "max", "points", "each", "quarter_cap"})


def read_workbook(path: Path) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str]]]:
    """The table's data as its TOML would give it, the cell of each key path, and the
    cells that could not be read (their values left out); ``WorkbookProblems`` for a file
    that cannot be read at all."""
    guard(path)
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:
            raise WorkbookProblems(
                [("文件", f"不是有效的 Excel 文件（{type(exc).__name__}）")]
            ) from None
        try:
            sheets = {}
            problems: list[tuple[str, str]] = []
            for name in (INFO_SHEET, INDICATOR_SHEET, VOCAB_SHEET, TASK_SHEET):
                if name not in book.sheetnames:
                    if name != TASK_SHEET:
                        problems.append((name, f"缺少工作表“{name}”"))
                    sheets[name] = []
                    continue
                sheets[name] = _rows(book[name], name, problems)
            if any(place in (INFO_SHEET, INDICATOR_SHEET, VOCAB_SHEET) for place, _ in problems):
                raise WorkbookProblems(problems)
        except WorkbookProblems:
            raise
        except Exception as exc:
            raise WorkbookProblems(
                [("文件", f"不是有效的 Excel 文件（{type(exc).__name__}）")]
            ) from None
        finally:
            book.close()
    raw, places, more = _Reader(sheets).read()
    return raw, places, problems + more


Row = tuple[int, list[object]]
Columns = tuple[tuple[str, str, float], ...]


def _rows(sheet: Any, name: str, problems: list[tuple[str, str]]) -> list[Row]:
    from openpyxl.utils import get_column_letter

    rows: list[Row] = []
    for n, cells in enumerate(sheet.iter_rows(), start=1):
        if n > MAX_ROWS:
            problems.append((name, f"超过 {MAX_ROWS} 行"))
            break
        values: list[object] = []
        for c, cell in enumerate(cells, start=1):
            value = cell.value
            place = f"{name}!{get_column_letter(c)}{n}"
            if getattr(cell, "data_type", None) == "f":
                problems.append((place, "不能使用公式（不会计算），请直接填写内容"))
                value = None
            elif isinstance(value, str):
                if len(value) > MAX_CELL:
                    problems.append((place, f"超过 {MAX_CELL} 字"))
                    value = None
                elif _CONTROL.search(value):
                    problems.append((place, "含有控制字符"))
                    value = None
                else:
                    value = value.strip().replace("\r\n", "\n").replace("\r", "\n")
                    if _NEUTRALISED.match(value):
                        value = value[1:]
            values.append(value)
        if any(v not in (None, "") for v in values):
            rows.append((n, values))
    return rows


class _Reader:
    """Turns the sheets' rows into the table's data, noting each value's cell."""

    def __init__(self, sheets: dict[str, list[Row]]) -> None:
        self.sheets = sheets
        self.places: dict[str, str] = {}
        self.problems: list[tuple[str, str]] = []
        self.kinds: dict[str, str] = {}
        self.channels: dict[str, str] = {}

    def read(self) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str]]]:
        raw: dict[str, Any] = {}
        self._info(raw)
        raw["vocabulary"] = self._vocabulary()
        self._indicators(raw)
        tasks = [self._record(TASK_SHEET, n, cells, TASK_COLUMNS, f"key_tasks[{i}]")
                 for i, (n, cells) in enumerate(self.sheets[TASK_SHEET][1:])]  # fmt: skip
        if tasks:
            raw["key_tasks"] = tasks
        return raw, self.places, self.problems

    def _place(self, path: str, sheet: str, col: int, row: int) -> None:
        from openpyxl.utils import get_column_letter

        self.places[path] = f"{sheet}!{get_column_letter(col)}{row}"

    def _info(self, raw: dict[str, Any]) -> None:
        labels = {label: key for key, label in INFO_FIELDS}
        departments: list[str] = []
        aliases: dict[str, str] = {}
        for n, cells in self.sheets[INFO_SHEET][1:]:
            label = str(cells[0] or "").strip()
            value = cells[1] if len(cells) > 1 else None
            if label == DEPARTMENT_LABEL:
                if value in (None, ""):
                    continue
                i = len(departments)
                departments.append(str(value))
                self._place(f"departments[{i}]", INFO_SHEET, 2, n)
                extra = cells[2] if len(cells) > 2 else None
                for alias in _split(extra):
                    aliases[alias] = str(value)
                    self._place(f"department_aliases.{alias}", INFO_SHEET, 3, n)
            elif label in labels:
                key = labels[label]
                self._place(key, INFO_SHEET, 2, n)
                if value in (None, ""):
                    continue
                raw[key] = self._convert(key, value, f"{INFO_SHEET}!B{n}")
            elif label:
                self.problems.append((f"{INFO_SHEET}!A{n}", f"未知的项目“{label}”"))
        raw["departments"] = departments
        self.places.setdefault("departments", f"{INFO_SHEET}!A1")
        if aliases:
            raw["department_aliases"] = aliases

    def _vocabulary(self) -> dict[str, Any]:
        domains: dict[str, list[str]] = {}
        lists: dict[str, list[str]] = {"products": [], "case_types": [], "partners": []}
        vocab: dict[str, Any] = {"domains": domains}
        aliases: dict[str, dict[str, str]] = {}
        words = {"产品": "products", "案件类型": "case_types", "合作部门": "partners"}
        for n, cells in self.sheets[VOCAB_SHEET][1:]:
            cells = [*cells, None, None, None, None]
            kind, code, name, parent = (str(c).strip() if c is not None else "" for c in cells[:4])
            where = f"{VOCAB_SHEET}!C{n}"
            if not name:
                self.problems.append((where, "名称不能为空"))
            elif kind == "重点领域":
                domains.setdefault(name, [])
            elif kind == "领域":
                if parent not in domains:
                    self.problems.append((f"{VOCAB_SHEET}!D{n}", f"上级领域“{parent}”未列出"))
                else:
                    domains[parent].append(name)
            elif kind in words:
                lists[words[kind]].append(name)
            elif kind == "产品前缀":
                vocab["product_prefix"] = name
            elif kind == ALIAS_KIND:
                vocab_key = reverse(VOCAB_WORDS).get(code, code)
                if not parent:
                    self.problems.append((f"{VOCAB_SHEET}!D{n}", "应填写别名所指的名称"))
                aliases.setdefault(vocab_key, {})[name] = parent
            elif kind in ("材料类型", "发布渠道"):
                if not code:
                    self.problems.append((f"{VOCAB_SHEET}!B{n}", "编码不能为空"))
                target = self.kinds if kind == "材料类型" else self.channels
                target[code] = name
            else:
                self.problems.append((f"{VOCAB_SHEET}!A{n}", f"未知的类型“{kind}”"))
        vocab.update(lists)
        vocab["kinds"], vocab["channels"] = dict(self.kinds), dict(self.channels)
        if aliases:
            vocab["item_aliases"] = aliases
        for key in vocab:
            self.places.setdefault(f"vocabulary.{key}", f"{VOCAB_SHEET}!A1")
        return vocab

    def _indicators(self, raw: dict[str, Any]) -> None:
        keys = [key for key, _, _ in INDICATOR_COLUMNS]
        categories: dict[str, dict[str, Any]] = {}
        indicators: list[dict[str, Any]] = []
        for n, cells in self.sheets[INDICATOR_SHEET][1:]:
            cells = [*cells, *([None] * len(keys))]
            code = str(cells[keys.index("code")] or "").strip()
            if code and (not indicators or indicators[-1]["code"] != code):
                i = len(indicators)
                ind: dict[str, Any] = {"code": code, "components": []}
                indicators.append(ind)
                self._place(f"indicators[{i}].code", INDICATOR_SHEET, keys.index("code") + 1, n)
                self._place(f"indicators[{i}]", INDICATOR_SHEET, keys.index("code") + 1, n)
                self._category(categories, code, cells, keys, n)
            elif not indicators:
                self.problems.append((f"{INDICATOR_SHEET}!C{n}", "第一行事项缺少指标编号"))
                continue
            i, ind = len(indicators) - 1, indicators[-1]
            j = len(ind["components"])
            comp: dict[str, Any] = {}
            for c, key in enumerate(keys, start=1):
                if key in ("category", "category_max", "code"):
                    continue
                target, path = (
                    (ind, f"indicators[{i}]")
                    if key in INDICATOR_LEVEL
                    else (comp, f"indicators[{i}].components[{j}]")
                )
                self._put(target, key, cells[c - 1], path, INDICATOR_SHEET, c, n)
            self._place(
                f"indicators[{i}].components[{j}]", INDICATOR_SHEET, keys.index("key") + 1, n
            )
            ind["components"].append(comp)
        raw["categories"] = list(categories.values())
        raw["indicators"] = indicators
        self.places.setdefault("categories", f"{INDICATOR_SHEET}!A1")
        self.places.setdefault("indicators", f"{INDICATOR_SHEET}!A1")
        self.places.setdefault("total", self.places.get("total", f"{INFO_SHEET}!A1"))

    def _category(self, categories: dict[str, dict[str, Any]], code: str, cells: list[object],
                  keys: list[str], n: int) -> None:  # fmt: skip
        cat_code = code.split(".")[0]
        text = str(cells[keys.index("category")] or "").strip()
        if cat_code in categories:
            return
        i = len(categories)
        col = keys.index("category") + 1
        numeral, sep, name = text.partition("、")
        if not sep or not numeral or not name:
            self.problems.append(
                (f"{INDICATOR_SHEET}!A{n}", "类别应写成“一、制度建设”（指标所在类别的第一行）")
            )
        cat: dict[str, Any] = {"code": cat_code, "numeral": numeral, "name": name}
        max_col = keys.index("category_max") + 1
        value = cells[max_col - 1]
        if value not in (None, ""):
            cat["max"] = self._convert("max", value, f"{INDICATOR_SHEET}!B{n}")
        for key, c in (("code", col), ("numeral", col), ("name", col), ("max", max_col)):
            self._place(f"categories[{i}].{key}", INDICATOR_SHEET, c, n)
        self._place(f"categories[{i}]", INDICATOR_SHEET, col, n)
        categories[cat_code] = cat

    def _record(
        self, sheet: str, n: int, cells: list[object], columns: Columns, path: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        cells = [*cells, *([None] * len(columns))]
        for c, (key, _, _) in enumerate(columns, start=1):
            self._put(out, key, cells[c - 1], path, sheet, c, n)
        self._place(path, sheet, 1, n)
        return out

    def _put(self, target: dict[str, Any], key: str, value: object, path: str, sheet: str,
             col: int, row: int) -> None:  # fmt: skip
        field = ".".join(FIELD_OF.get(part, part) for part in key.split("."))
        self._place(f"{path}.{field}", sheet, col, row)
        if "." in field:
            self._place(f"{path}.{field.split('.')[0]}", sheet, col, row)
        if value in (None, ""):
            return
        converted = self._convert(key, value, f"{sheet}!{_col(col)}{row}")
        if converted is None:
            return
        if "." in key:
            outer, inner = key.split(".", 1)
            target.setdefault(FIELD_OF.get(outer, outer), {})[inner] = converted
        else:
            target[key] = converted

    def _convert(self, key: str, value: object, place: str) -> Any:
        fail: Callable[[str], None] = lambda message: self.problems.append((place, message))  # noqa: E731
        text = str(value).strip() if not isinstance(value, bool) else value
        try:
            if key in _NUMBER_FIELDS:
                to_halves(value if isinstance(value, int | float) else str(text))
                number = float(value) if not isinstance(value, int) else value
                return int(number) if float(number).is_integer() else float(number)
            if key in _INT_FIELDS:
                number = float(str(text))
                if not number.is_integer():
                    raise ValueError
                return int(number)
        except (ValueError, TypeError):
            fail(f"“{text}”应为数字")
            return None
        if key in _BOOL_FIELDS:
            if text in (YES, "true", "TRUE", True, 1):
                return True
            if text in (NO, "false", "FALSE", False, 0):
                return False
            fail(f"“{text}”应为“{YES}”或“{NO}”")
            return None
        if key in _LIST_FIELDS:
            return _split(text)
        if key == "rule":
            return reverse(RULE_WORDS).get(str(text), text)
        if key == "item_vocab":
            return reverse(VOCAB_WORDS).get(str(text), text)
        if key == "schedule.every":
            return reverse(EVERY_WORDS).get(str(text), text)
        if key == "default_channel":
            return reverse(self.channels).get(str(text), text)
        if key == "materials":
            kinds = reverse(self.kinds)
            groups = [g for g in re.split(r"[；;\n]+", str(text)) if g.strip()]
            return ["|".join(kinds.get(k.strip(), k.strip()) for k in re.split(r"[或|]", g))
                    for g in groups]  # fmt: skip
        if key == "qualify":
            try:
                parsed = json.loads(str(text))
            except ValueError as exc:
                fail(f"资格条件应为 JSON 列表（{exc.msg}，第 {exc.pos + 1} 个字符）")
                return None
            return parsed
        if key == "version":
            return str(int(value)) if isinstance(value, int | float) else text
        if key == "issued_on" and hasattr(value, "isoformat"):
            return value.isoformat()[:10]
        return str(text) if not isinstance(value, str) else value


def _split(value: object) -> list[str]:
    if value in (None, ""):
        return []
    return [part.strip() for part in _SPLIT.split(str(value)) if part.strip()]


def _col(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


__all__ = ["ALT_SEP", "GROUP_SEP", "LIST_SEP", "WorkbookProblems", "read_workbook"]
