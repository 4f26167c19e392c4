"""Reading a table file (.toml or .xlsx) as it comes in: checked, every error at its place."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from credit_tui.interchange.table.check import TableError, check_raw
from credit_tui.scoring.catalog import Catalog

SUFFIXES = (".toml", ".xlsx")
MAX_TOML = 2 * 1024 * 1024
_STEP = re.compile(r"(\.[^.\[]+|\[\d+\])$")


def read_table(path: Path | str) -> Catalog:
    """The checked table in ``path``; ``TableError`` (every problem at its place) otherwise."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError(source, [f"不支持的文件类型“{path.suffix}”，应为 .toml 或 .xlsx"])
    if not path.is_file():
        raise TableError(source, ["文件不存在"])
    if suffix == ".toml":
        return _read_toml(path, source)
    from credit_tui.interchange.table.xlsx_in import WorkbookProblems, read_workbook

    try:
        raw, places, problems = read_workbook(path)
    except WorkbookProblems as exc:
        raise TableError(
            source, [f"{place}：{message}" for place, message in exc.problems]
        ) from None
    lines = [f"{place}：{message}" for place, message in problems]
    try:
        catalog = check_raw(raw, source, lambda key: cell_of(key, places))
    except TableError as exc:  # a cell that could not be read is said once, at its cell
        bad = {place for place, _ in problems}
        lines += [line for line in exc.lines if line.partition("：")[0] not in bad]
        raise TableError(source, lines) from None
    if lines:
        raise TableError(source, lines)
    return catalog


def cell_of(path: str, places: dict[str, str]) -> str:
    """The workbook cell of a key path: its own, else the nearest enclosing one's."""
    key = path
    while key:
        if key in places:
            return places[key]
        shorter = _STEP.sub("", key)
        if shorter == key:
            break
        key = shorter
    return path or "（工作簿）"


def _read_toml(path: Path, source: str) -> Catalog:
    if path.stat().st_size > MAX_TOML:
        raise TableError(source, [f"超过 {MAX_TOML // 1024 // 1024} MB，不像指标体系文件"])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(source, [f"第 {exc.start + 1} 个字节：不是 UTF-8 编码"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TableError(source, [f"TOML 格式错误：{_toml_where(str(exc))}"]) from None
    return check_raw(raw, source)


def _toml_where(message: str) -> str:
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if not found:
        return message
    what = message[: found.start()].strip()
    return f"第 {found.group(1)} 行第 {found.group(2)} 列（{what}）"
