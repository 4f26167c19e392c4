"""Write a table as TOML in the bundled file's layout (tables, arrays of tables, inline rest)."""

from __future__ import annotations

import json
import re
from typing import Any

from credit_tui.scoring.canonical import to_raw
from credit_tui.scoring.catalog import Catalog

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_ARRAYS_OF_TABLES = {"categories", "indicators", "indicators.components", "key_tasks"}


def dumps(catalog: Catalog) -> str:
    """The table as TOML text that ``tomllib`` reads back to the same table."""
    lines = [f"# {catalog.version} 年度 {catalog.title}（{catalog.organisation}）", ""]
    _table(lines, to_raw(catalog), "")
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(lines: list[str], data: dict[str, Any], path: str) -> None:
    later: list[tuple[str, Any]] = []
    for key, value in data.items():
        sub = f"{path}.{key}" if path else key
        if (isinstance(value, dict) and (path == "" or path == "vocabulary")) or (
            isinstance(value, list) and sub.replace(".", "") and _is_aot(sub, value)
        ):
            later.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in later:
        sub = f"{path}.{key}" if path else key
        if isinstance(value, dict):
            lines.extend(["", f"[{_dotted(sub)}]"])
            _table(lines, value, sub)
        else:
            for element in value:
                lines.extend(["", f"[[{_dotted(sub)}]]"])
                _table(lines, element, sub)


def _is_aot(path: str, value: list[Any]) -> bool:
    return path in _ARRAYS_OF_TABLES and all(isinstance(v, dict) for v in value) and bool(value)


def _dotted(path: str) -> str:
    return ".".join(_key(part) for part in path.split("."))


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
