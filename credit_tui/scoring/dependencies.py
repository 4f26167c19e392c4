"""Which indicators read which: the order to score them in and what each reads of another.

6.1 → 1.4, 5.3 → 3.1, 7.1 → 7.2 → 7.3, 4.2 → 4.3: a component reading another
indicator (``NotDuplicateOf``, ``ItemHasRecordIn``, ``ItemQualifiesIn``,
``warn_without``) is scored after it and again when what it reads of it changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from credit_tui.scoring.conditions import ItemHasRecordIn, ItemQualifiesIn, NotDuplicateOf
from credit_tui.scoring.model import Catalog, Component
from credit_tui.scoring.record import Evidence

Key = tuple[str, str]
"""A component: (indicator code, component key)."""


def per_month(records: Iterable[Evidence]) -> tuple[int, ...]:
    """How many of the records fall in each month (index 0 = January)."""
    counts = [0] * 12
    for rec in records:
        counts[rec.date.month - 1] += 1
    return tuple(counts)


def readers(
    catalog: Catalog,
) -> tuple[dict[str, frozenset[Key]], dict[str, frozenset[str]]]:
    """Per indicator read by others: the components reading it, and what they read of it.

    What is read: ``duplicates`` (dates, titles and attachments of its records),
    ``items`` (the items of its records) or ``qualified`` (its qualifying items).
    """
    readers: dict[str, set[Key]] = {}
    kinds: dict[str, set[str]] = {}
    for ind in catalog.indicators:
        for comp in ind.components:
            for code, kind in _reads(comp):
                readers.setdefault(code, set()).add((ind.code, comp.key))
                kinds.setdefault(code, set()).add(kind)
    return (
        {code: frozenset(keys) for code, keys in readers.items()},
        {code: frozenset(k) for code, k in kinds.items()},
    )


def _reads(comp: Component) -> list[tuple[str, str]]:
    """The other indicators a component reads, each with what it reads of it."""
    reads = [(comp.warn_without, "items")] if comp.warn_without else []
    for cond in comp.qualify:
        code = getattr(cond, "indicator", None)
        if code is not None:
            kind = _READS.get(type(cond))
            if kind is None:
                raise TypeError(f"不知道该条件读取其他指标的什么：{cond!r}")
            reads.append((code, kind))
    return reads


_READS: dict[type, str] = {
    NotDuplicateOf: "duplicates",
    ItemHasRecordIn: "items",
    ItemQualifiesIn: "qualified",
}
"""The conditions that read another indicator, and what they read of it."""


def dependency_order(catalog: Catalog) -> list[str]:
    """Indicator codes so that every indicator comes after those it reads."""
    order: list[str] = []
    seen: set[str] = set()
    reads: dict[str, set[str]] = {ind.code: set() for ind in catalog.indicators}
    for ind in catalog.indicators:
        for dep in catalog.dependents(ind.code):
            reads[dep].add(ind.code)

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in seen:
            return
        if code in path:
            raise ValueError(f"指标之间的引用成环：{' → '.join((*path, code))}")
        for ref in sorted(reads[code]):
            visit(ref, (*path, code))
        seen.add(code)
        order.append(code)

    for ind in catalog.indicators:
        visit(ind.code, ())
    return order
