"""Which records and items qualify: a component's conditions applied.

Record conditions judge one record on its own (channel, flags, not a duplicate
of another indicator's material); item conditions judge an item across records
or indicators. What another indicator holds comes from the scorer's lookups,
which keep it until that indicator's records change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from credit_tui.scoring.conditions import (
    ChannelIn,
    ChannelNotIn,
    Condition,
    FlagsAll,
    ItemHasKind,
    ItemHasRecordIn,
    ItemQualifiesIn,
    NotDuplicateOf,
)
from credit_tui.scoring.model import Component
from credit_tui.scoring.record import Evidence, normal_item

DuplicateKeys = tuple[frozenset[tuple[date, str]], frozenset[str]]
"""An indicator's (date, folded title) keys and attachment digests."""
Items = Callable[[str], frozenset[str]]
"""Normalised items of an indicator (its records' items, or its qualifying ones)."""


def check_records(
    comp: Component, records: list[Evidence], duplicate_keys: Callable[[str], DuplicateKeys]
) -> tuple[list[Evidence], list[tuple[Evidence, str]]]:
    """Split records into those passing every record condition and those failing one (why)."""
    if not comp.record_conditions:
        return list(records), []
    checks = [(predicate(cond, duplicate_keys), cond.reason) for cond in comp.record_conditions]
    qualifying: list[Evidence] = []
    rejected: list[tuple[Evidence, str]] = []
    for rec in records:
        for ok, reason in checks:
            if not ok(rec):
                rejected.append((rec, reason))
                break
        else:
            qualifying.append(rec)
    return qualifying, rejected


def predicate(
    cond: Condition, duplicate_keys: Callable[[str], DuplicateKeys]
) -> Callable[[Evidence], bool]:
    """A record condition as a test of one record."""
    if isinstance(cond, ChannelIn):
        allowed = frozenset(cond.channels)
        return lambda r: r.channel in allowed
    if isinstance(cond, ChannelNotIn):
        banned = frozenset(cond.channels)
        return lambda r: r.channel not in banned
    if isinstance(cond, FlagsAll):
        when, flags = cond.when, cond.flags
        return lambda r: (
            (when is not None and not getattr(r, when)) or all(getattr(r, f) for f in flags)
        )
    if isinstance(cond, NotDuplicateOf):
        keys, hashes = duplicate_keys(cond.indicator)
        return lambda r: (
            (r.date, r.title.strip().casefold()) not in keys
            and not (hashes and hashes.intersection(r.attachments))
        )
    raise TypeError(f"不是逐条判断的条件：{cond!r}")


def item_rejects(
    comp: Component,
    records: list[Evidence],
    qualifying: list[Evidence],
    record_items: Items,
    qualified_items: Items,
) -> dict[str, str]:
    """Normalised item → the reason it fails an item condition."""
    conditions = comp.item_conditions
    if not conditions:
        return {}
    rejects: dict[str, str] = {}
    items = {normal_item(r.item) for r in qualifying}
    for cond in conditions:
        if isinstance(cond, ItemHasRecordIn):
            ok = record_items(cond.indicator)
        elif isinstance(cond, ItemQualifiesIn):
            ok = qualified_items(cond.indicator)
        elif isinstance(cond, ItemHasKind):
            kinds = set(cond.kinds)
            ok = {normal_item(r.item) for r in records if r.kind in kinds}
        else:
            raise TypeError(f"不是按对象判断的条件：{cond!r}")
        for item in sorted(items - ok):  # sorted: the result never depends on set order
            rejects.setdefault(item, cond.reason)
    return rejects
