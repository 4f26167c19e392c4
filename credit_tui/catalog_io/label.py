"""How a table of another year than the store's is named wherever the score is shown."""

from __future__ import annotations

from typing import Protocol


class _Versioned(Protocol):
    version: str


def table_label(catalog: _Versioned, year: int) -> str:
    """``指标体系：2024 年度（沿用）`` for a table of another year than ``year``, else ``""``."""
    if catalog.version == str(year):
        return ""
    return f"指标体系：{catalog.version} 年度（沿用）"


def with_label(text: str, catalog: _Versioned, year: int) -> str:
    """``text`` followed by `` · 指标体系：… （沿用）`` when the table is of another year."""
    label = table_label(catalog, year)
    return f"{text} · {label}" if label else text
