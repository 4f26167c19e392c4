"""The table's small parts: rule kinds, qualification conditions, schedules and gates.

Plain frozen classes (``credit_tui.scoring.schema`` checks them as they come in).
"""

from __future__ import annotations

from typing import Literal

from credit_tui.scoring.plain import Plain, record

RuleKind = Literal[
    "flag",
    "staff",
    "per_quarter",
    "monthly",
    "per_item",
    "materials",
    "items_with_materials",
    "item_set",
]
RULE_LABELS: dict[str, str] = {
    "flag": "有即得分",
    "staff": "按人数计分",
    "per_quarter": "按季度计分",
    "monthly": "逐月台账",
    "per_item": "按对象计分",
    "materials": "材料齐全得分",
    "items_with_materials": "按活动及其材料计分",
    "item_set": "对象齐全得分",
}
ItemVocab = Literal["domain", "product", "case_type", "partner", "free"]
FLAG_FIELDS = ("format_ok", "evaluation_data", "publicized")
RULE_NEEDS: dict[str, tuple[str, ...]] = {
    "per_quarter": ("each", "quarter_cap"),
    "per_item": ("each", "item_vocab"),
    "items_with_materials": ("each", "item_vocab", "materials"),
    "materials": ("materials",),
    "item_set": ("required_items", "item_vocab"),
    "staff": ("staff_cap",),
}
"""The parameters each rule kind reads (the table checks and the workbook check share it)."""

_plain = record(kw_only=True)


# --- qualification conditions -------------------------------------------------


@_plain
class ChannelIn(Plain):
    """The record was published through one of ``channels``."""

    kind: Literal["channel_in"]
    channels: tuple[str, ...]
    reason: str


@_plain
class ChannelNotIn(Plain):
    """The record was *not* published through any of ``channels``."""

    kind: Literal["channel_not_in"]
    channels: tuple[str, ...]
    reason: str


@_plain
class FlagsAll(Plain):
    """Every flag in ``flags`` is set (when ``when`` is given: only if that flag is set)."""

    kind: Literal["flags"]
    flags: tuple[str, ...]
    when: str | None = None
    reason: str


@_plain
class NotDuplicateOf(Plain):
    """The record is not the same material as one filed under ``indicator``."""

    kind: Literal["not_duplicate_of"]
    indicator: str
    reason: str


@_plain
class ItemHasRecordIn(Plain):
    """The record's item has any record (qualifying or not) under ``indicator``."""

    kind: Literal["item_has_record_in"]
    indicator: str
    reason: str


@_plain
class ItemHasKind(Plain):
    """The item's own records in this component include one of ``kinds``."""

    kind: Literal["item_has_kind"]
    kinds: tuple[str, ...]
    reason: str


@_plain
class ItemQualifiesIn(Plain):
    """The item qualifies for points under ``indicator`` (cap or not)."""

    kind: Literal["item_qualifies_in"]
    indicator: str
    reason: str


Condition = (
    ChannelIn
    | ChannelNotIn
    | FlagsAll
    | NotDuplicateOf
    | ItemHasRecordIn
    | ItemHasKind
    | ItemQualifiesIn
)
CONDITIONS: dict[str, type[Condition]] = {
    "channel_in": ChannelIn,
    "channel_not_in": ChannelNotIn,
    "flags": FlagsAll,
    "not_duplicate_of": NotDuplicateOf,
    "item_has_record_in": ItemHasRecordIn,
    "item_has_kind": ItemHasKind,
    "item_qualifies_in": ItemQualifiesIn,
}
"""Each condition class by its ``kind``."""
RECORD_CONDITIONS = (ChannelIn, ChannelNotIn, FlagsAll, NotDuplicateOf)
ITEM_CONDITIONS = (ItemHasRecordIn, ItemHasKind, ItemQualifiesIn)


# --- schedule and gate -----------------------------------------------------------


@_plain
class Schedule(Plain):
    """When a component is due.

    ``due``: single deadlines (``MM-DD``); ``every``: ``quarter`` or ``month``
    occurrences (months from ``start_month``), cut off by ``final`` when given
    (periods ending after it are replaced by the final deadline);
    ``suggested``: advisory dates that are never overdue.
    """

    due: tuple[str, ...] = ()
    every: Literal["quarter", "month"] | None = None
    start_month: int = 1
    final: str | None = None
    suggested: tuple[str, ...] = ()
    text: str


@_plain
class Gate(Plain):
    """Earns nothing until ``component`` (of the same indicator) has a qualifying record.

    On an indicator it withholds every component (1.2: the plan published); on a
    component, that component only (1.1: the 专班 is set up under the 领导小组).
    """

    component: str
    reason: str
