"""The table's schema: pydantic models that check a table as it comes in.

Only a table from outside (a file, a workbook, the form's import) is checked
here; ``validate`` returns the plain ``credit_tui.scoring.model.Catalog`` the rest
of the program uses, and ``describe`` words pydantic's complaints in Chinese with
their key paths. Imported only when a table is checked (pydantic is slow to load).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from credit_tui.scoring import model as plain
from credit_tui.scoring.build import from_halves
from credit_tui.scoring.conditions import ItemVocab, RuleKind
from credit_tui.scoring.points import Halves, to_halves

_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")

__all__ = ["Catalog", "ValidationError", "describe", "validate"]


def validate(raw: dict) -> plain.Catalog:
    """The plain table from parsed data; pydantic's ``ValidationError`` if it does not fit."""
    return from_halves(Catalog.model_validate(raw).model_dump())


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# --- qualification conditions -------------------------------------------------


class ChannelIn(_Model):
    """The record was published through one of ``channels``."""

    kind: Literal["channel_in"]
    channels: tuple[str, ...]
    reason: str


class ChannelNotIn(_Model):
    """The record was *not* published through any of ``channels``."""

    kind: Literal["channel_not_in"]
    channels: tuple[str, ...]
    reason: str


class FlagsAll(_Model):
    """Every flag in ``flags`` is set (when ``when`` is given: only if that flag is set)."""

    kind: Literal["flags"]
    flags: tuple[str, ...]
    when: str | None = None
    reason: str


class NotDuplicateOf(_Model):
    """The record is not the same material as one filed under ``indicator``."""

    kind: Literal["not_duplicate_of"]
    indicator: str
    reason: str


class ItemHasRecordIn(_Model):
    """The record's item has any record (qualifying or not) under ``indicator``."""

    kind: Literal["item_has_record_in"]
    indicator: str
    reason: str


class ItemHasKind(_Model):
    """The item's own records in this component include one of ``kinds``."""

    kind: Literal["item_has_kind"]
    kinds: tuple[str, ...]
    reason: str


class ItemQualifiesIn(_Model):
    """The item qualifies for points under ``indicator`` (cap or not)."""

    kind: Literal["item_qualifies_in"]
    indicator: str
    reason: str


Condition = Annotated[
    ChannelIn
    | ChannelNotIn
    | FlagsAll
    | NotDuplicateOf
    | ItemHasRecordIn
    | ItemHasKind
    | ItemQualifiesIn,
    Field(discriminator="kind"),
]
RECORD_CONDITIONS = (ChannelIn, ChannelNotIn, FlagsAll, NotDuplicateOf)
ITEM_CONDITIONS = (ItemHasRecordIn, ItemHasKind, ItemQualifiesIn)


# --- schedule ------------------------------------------------------------------


class Schedule(_Model):
    """When a component is due.

    ``due``: single deadlines (``MM-DD``); ``every``: ``quarter`` or ``month``
    occurrences (months from ``start_month``), cut off by ``final`` when given
    (periods ending after it are replaced by the final deadline);
    ``suggested``: advisory dates that are never overdue.
    """

    due: tuple[str, ...] = ()
    every: Literal["quarter", "month"] | None = None
    start_month: int = Field(default=1, ge=1, le=12)
    final: str | None = None
    suggested: tuple[str, ...] = ()
    text: str = Field(min_length=1)

    @field_validator("due", "suggested")
    @classmethod
    def _dates(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            _check_mmdd(value)
        return values

    @field_validator("final")
    @classmethod
    def _final(cls, value: str | None) -> str | None:
        return _check_mmdd(value) if value is not None else None


def _check_mmdd(value: str) -> str:
    ok = bool(_MMDD.match(value))
    if ok:
        try:
            date(2024, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is allowed
        except ValueError:
            ok = False
    if not ok:
        raise ValueError(f"时间节点 {value!r} 不是有效日期，应写成 MM-DD，例如 04-30")
    return value


# --- components, indicators, categories ----------------------------------------


class Gate(_Model):
    """Earns nothing until ``component`` (of the same indicator) has a qualifying record.

    On an indicator it withholds every component (1.2: the plan published); on a
    component, that component only (1.1: the 专班 is set up under the 领导小组).
    """

    component: str
    reason: str


class Component(_Model):
    """One scored piece of an indicator; every evidence record belongs to exactly one."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    rule: RuleKind
    points: Halves
    each: Halves | None = None
    quarter_cap: Halves | None = None
    staff_cap: int | None = None
    materials: tuple[str, ...] = ()
    required_items: tuple[str, ...] = ()
    item_vocab: ItemVocab | None = None
    item_label: str = "对象"
    default_channel: str = "internal"
    bonus: bool = False
    qualify: tuple[Condition, ...] = ()
    schedule: Schedule
    departments: tuple[str, ...] = Field(min_length=1)
    note: str = ""
    warn_quarter_end: bool = False
    """Warn for a quarter whose counted records all fall in its last days."""
    warn_without: str | None = None
    """Warn for an item that has no record under this indicator (4.3 without 4.2)."""
    warn_nested_items: bool = False
    """Warn when a key area (重点领域) and one of its own sub-areas both qualify."""
    gate: Gate | None = None
    """This component earns nothing until another component of its indicator qualifies."""

    @field_validator("points", "each", "quarter_cap", mode="before")
    @classmethod
    def _halves(cls, value: object) -> object:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int | float | str):
            return to_halves(value)
        return value


class Indicator(_Model):
    """A numbered line of the table (e.g. 1.2) with its components."""

    code: str = Field(pattern=r"^\d+\.\d+$")
    name: str = Field(min_length=1)
    max: Halves
    criteria: str = Field(min_length=1)
    interpretation: str = Field(min_length=1)
    gate: Gate | None = None
    components: tuple[Component, ...] = Field(min_length=1)

    @field_validator("max", mode="before")
    @classmethod
    def _halves(cls, value: object) -> object:
        return to_halves(value) if isinstance(value, int | float | str) else value


class Category(_Model):
    """One of the seven headings (一、制度建设 …)."""

    code: str = Field(pattern=r"^\d+$")
    numeral: str = Field(min_length=1)
    name: str = Field(min_length=1)
    max: Halves

    @field_validator("max", mode="before")
    @classmethod
    def _halves(cls, value: object) -> object:
        return to_halves(value) if isinstance(value, int | float | str) else value


class Vocabulary(_Model):
    """The words a record may use: domains, products, kinds, channels, partners."""

    domains: dict[str, tuple[str, ...]]
    products: tuple[str, ...]
    product_prefix: str
    case_types: tuple[str, ...]
    partners: tuple[str, ...]
    kinds: dict[str, str]
    channels: dict[str, str]
    item_aliases: dict[ItemVocab, dict[str, str]] = {}
    """Per item vocabulary: other words for a name → the name stored (like departments')."""


class KeyTask(_Model):
    """A duty of the plan's main text that the 附件 does not score (重点任务)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    numeral: str = Field(min_length=1)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    departments: tuple[str, ...] = Field(min_length=1)
    schedule: Schedule
    note: str = ""


class Catalog(_Model):
    """A whole year's scoring table."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    version: str
    title: str
    organisation: str
    organisation_full: str = ""
    document_number: str = ""
    issued_on: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    total: Halves
    due_soon_days: int = Field(default=14, ge=0)
    quarter_end_days: int = Field(default=10, ge=1)
    departments: tuple[str, ...]
    department_aliases: dict[str, str] = {}
    vocabulary: Vocabulary
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    key_tasks: tuple[KeyTask, ...] = ()

    @field_validator("issued_on")
    @classmethod
    def _issued(cls, value: str) -> str:
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"印发日期 {value!r} 不是有效日期") from None
        return value

    @field_validator("total", mode="before")
    @classmethod
    def _halves(cls, value: object) -> object:
        return to_halves(value) if isinstance(value, int | float | str) else value


def describe(exc: ValidationError, raw: dict, source: str) -> str:
    """pydantic's complaints in Chinese, each at its key path (``indicators[1.4].max``)."""
    lines = []
    for err in exc.errors():
        where = _where(err["loc"], raw)
        if err["type"] == "union_tag_invalid" or (
            err["type"] == "literal_error" and err["loc"][-1] == "rule"
        ):
            value = err.get("input")
            if isinstance(value, dict):
                value = value.get("kind")
            lines.append(f"{where}：未知的类型 {value!r}")
        elif err["type"] == "missing":
            lines.append(f"{where}：缺少此项")
        elif err["type"] == "extra_forbidden":
            lines.append(f"{where}：未知的字段")
        else:
            lines.append(f"{where}：{err['msg']}")
    return f"{source}：\n" + "\n".join(f"  - {line}" for line in lines)


def _where(loc: Iterable[object], raw: dict) -> str:
    parts: list[str] = []
    node: object = raw
    for step in loc:
        if isinstance(node, dict):
            node = node.get(step) if isinstance(step, str) else None
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            label = node.get("code") or node.get("key") if isinstance(node, dict) else None
            parts.append(f"[{label}]" if label else f"[{step + 1}]")
            continue
        else:
            node = None
        parts.append(f".{step}" if parts else str(step))
    return "".join(parts) or "（根）"
