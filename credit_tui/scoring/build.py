"""Building the plain table from data already checked, without pydantic.

``from_raw`` reads the canonical form (``credit_tui.scoring.canonical``: the
file's keys, points as numbers, defaults left out) that the store keeps;
``from_halves`` the form of a checked table's fields (points in halves), as the
validating schema and the catalog cache give it. Nothing is checked here beyond
the shape: an unknown field, a missing one or a wrong container raises
``TypeError``/``KeyError``/``ValueError``; the checking is ``schema``'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from credit_tui.scoring.conditions import CONDITIONS, Condition, Gate, Schedule
from credit_tui.scoring.model import Catalog, Category, Component, Indicator, KeyTask, Vocabulary
from credit_tui.scoring.points import Halves, to_halves

_Points = Callable[[Any], Halves]
_HALVES = ("points", "each", "quarter_cap", "max", "total")


def from_raw(raw: Mapping[str, Any]) -> Catalog:
    """The table from its canonical data (points as numbers), trusted as checked."""
    return _catalog(raw, to_halves)


def from_halves(data: Mapping[str, Any]) -> Catalog:
    """The table from its checked fields (points already in halves)."""
    return _catalog(data, _same)


def _same(value: Any) -> Halves:
    return value


def _fields(data: Mapping[str, Any], points: _Points) -> dict[str, Any]:
    """Lists as tuples and point fields in halves; nested records are the caller's."""
    if not isinstance(data, Mapping):
        raise TypeError("应为表")
    out = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    for name in _HALVES:
        value = out.get(name)
        if value is not None:
            out[name] = points(value)
    return out


def _schedule(data: Mapping[str, Any]) -> Schedule:
    return Schedule(**_fields(data, _same))


def _gate(data: Mapping[str, Any] | None) -> Gate | None:
    return None if data is None else Gate(**data)


def _condition(data: Mapping[str, Any]) -> Condition:
    return CONDITIONS[data["kind"]](**_fields(data, _same))


def _component(data: Mapping[str, Any], points: _Points) -> Component:
    fields = _fields(data, points)
    fields["schedule"] = _schedule(fields["schedule"])
    fields["qualify"] = tuple(_condition(c) for c in fields.get("qualify", ()))
    fields["gate"] = _gate(fields.get("gate"))
    return Component(**fields)


def _indicator(data: Mapping[str, Any], points: _Points) -> Indicator:
    fields = _fields(data, points)
    fields["components"] = tuple(_component(c, points) for c in fields["components"])
    fields["gate"] = _gate(fields.get("gate"))
    return Indicator(**fields)


def _key_task(data: Mapping[str, Any]) -> KeyTask:
    fields = _fields(data, _same)
    fields["schedule"] = _schedule(fields["schedule"])
    return KeyTask(**fields)


def _vocabulary(data: Mapping[str, Any]) -> Vocabulary:
    fields = _fields(data, _same)
    fields["domains"] = {k: tuple(v) for k, v in fields["domains"].items()}
    fields["kinds"], fields["channels"] = dict(fields["kinds"]), dict(fields["channels"])
    if "item_aliases" in fields:
        fields["item_aliases"] = {k: dict(v) for k, v in fields["item_aliases"].items()}
    return Vocabulary(**fields)


def _catalog(data: Mapping[str, Any], points: _Points) -> Catalog:
    fields = _fields(data, points)
    fields["vocabulary"] = _vocabulary(fields["vocabulary"])
    fields["categories"] = tuple(Category(**_fields(c, points)) for c in fields["categories"])
    fields["indicators"] = tuple(_indicator(i, points) for i in fields["indicators"])
    fields["key_tasks"] = tuple(_key_task(t) for t in fields.get("key_tasks", ()))
    if "department_aliases" in fields:
        fields["department_aliases"] = dict(fields["department_aliases"])
    return Catalog(**fields)
