"""How a table of another year than the store's is named wherever the score is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from credit_tui.scoring.points import fmt

if TYPE_CHECKING:
    from credit_tui.scoring.catalog import Catalog


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


def summary(catalog: Catalog) -> str:
    """``2024 年度 · 钢城区城乡交通运输局 · 7 类 · 23 项指标 · 27 个事项 · 100 分 …``."""
    comps = sum(len(i.components) for i in catalog.indicators)
    parts = [
        f"{catalog.version} 年度", catalog.organisation_full or catalog.organisation,
        *([catalog.document_number] if catalog.document_number else []),
        f"{len(catalog.categories)} 类", f"{len(catalog.indicators)} 项指标", f"{comps} 个事项",
        f"{fmt(catalog.total)} 分", f"重点任务 {len(catalog.key_tasks)} 项",
        f"责任单位 {len(catalog.departments)} 个",
    ]  # fmt: skip
    return " · ".join(parts)
