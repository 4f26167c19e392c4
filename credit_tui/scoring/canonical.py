"""One canonical form of a table: the bundled file's keys, as plain data and JSON.

``to_raw`` turns a checked ``Catalog`` into the dict its TOML file would parse
to (points as numbers, defaults left out), so two tables are the same exactly
when their raw forms are equal; the store keeps ``to_json`` of it.
"""

from __future__ import annotations

import json
from typing import Any

from credit_tui.scoring.model import Catalog
from credit_tui.scoring.plain import dump
from credit_tui.scoring.points import as_number

HALVES_FIELDS = frozenset({"total", "max", "points", "each", "quarter_cap"})
"""Fields the models keep in half points; the file writes them as points."""


def to_raw(catalog: Catalog) -> dict[str, Any]:
    """The table as its TOML file's data (defaults omitted, points as numbers)."""
    return _plain(dump(catalog, exclude_defaults=True))


def _plain(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if key in HALVES_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return as_number(value)
    return value


def to_json(catalog: Catalog) -> str:
    """The canonical JSON the store keeps (keys in model order, no spaces)."""
    return json.dumps(to_raw(catalog), ensure_ascii=False, separators=(",", ":"))


def same(a: Catalog, b: Catalog) -> bool:
    """Whether two tables say the same thing."""
    return to_raw(a) == to_raw(b)
