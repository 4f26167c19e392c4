"""Warnings a component raises beside its score (they change no points).

Records all at a quarter's end (推送集中在季度末), an item without its record in
the indicator it should rest on (4.3 without 4.2), a key area and its own
sub-area both counted.
"""

from __future__ import annotations

from datetime import date, timedelta

from credit_tui.scoring.dates import QUARTER_NAMES, quarter_end
from credit_tui.scoring.model import Catalog, Component
from credit_tui.scoring.record import Evidence, normal_item


def quarter_end_warnings(
    catalog: Catalog, year: int, code: str, counted: list[Evidence]
) -> list[str]:
    """A quarter whose counted records all fall in its last ``quarter_end_days``."""
    days = catalog.quarter_end_days
    by_quarter: dict[int, list[date]] = {}
    for rec in counted:
        by_quarter.setdefault((rec.date.month - 1) // 3, []).append(rec.date)
    warnings = []
    for q, dates in sorted(by_quarter.items()):
        cutoff = quarter_end(year, q + 1) - timedelta(days=days)
        if all(d > cutoff for d in dates):
            warnings.append(
                f"{code} {QUARTER_NAMES[q]}计分的 {len(dates)} 条信息均集中在季度末最后 "
                f"{days} 天，尽量不集中季度末最后推送"
            )
    return warnings


def missing_item_warnings(
    catalog: Catalog, code: str, comp: Component, items: dict[str, str], have: frozenset[str]
) -> list[str]:
    """Items with no record under ``comp.warn_without`` (``have``: the items there)."""
    ref_code = catalog.display_code(comp.warn_without or "")
    return [
        f"{code} {name}：“{ref_code}”中没有该{comp.item_label}的记录（原文要求以其结果为依据）"
        for key, name in items.items()
        if key not in have
    ]


def nested_item_warnings(catalog: Catalog, code: str, items: dict[str, str]) -> list[str]:
    """A key area and one of its own sub-areas both qualifying: one warning per pair."""
    warnings = []
    for area, subs in catalog.vocabulary.domains.items():
        if normal_item(area) not in items:
            continue
        warnings += [
            f"{code} 重点领域与其二级领域同时计分，验收时可能只认其一：{area}、{sub}"
            for sub in subs
            if normal_item(sub) in items
        ]
    return warnings
