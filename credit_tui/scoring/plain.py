"""Plain, slotted, frozen record classes and the few pydantic-style calls other layers use.

The table and the records load as ``@dataclass(frozen=True, slots=True,
kw_only=True)`` classes (no pydantic at a read). ``Plain`` gives them
``model_dump``, ``model_copy`` and ``model_construct`` with the meaning those
calls had on the pydantic models, so callers need not change.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import cache
from typing import Any, Self

_MISSING = dataclasses.MISSING


class Plain:
    """Mixin of a plain record class: dumping, copying with changes, building unchecked."""

    __slots__ = ()

    def model_dump(
        self,
        *,
        mode: str = "python",
        exclude: set[str] | frozenset[str] | None = None,
        exclude_defaults: bool = False,
    ) -> dict[str, Any]:
        """The fields as plain data (``mode="json"``: lists and ISO dates)."""
        out = dump(self, json_mode=mode == "json", exclude_defaults=exclude_defaults)
        if exclude:
            for name in exclude:
                out.pop(name, None)
        return out

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with ``update``'s fields changed (derived fields recomputed)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    @classmethod
    def model_construct(cls, **fields: Any) -> Self:
        """Build from trusted fields, the others at their defaults."""
        return cls(**fields)


@cache
def init_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """The fields a class is built from, in declaration order (derived ones left out)."""
    return tuple(f for f in dataclasses.fields(cls) if f.init)


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not _MISSING:
        return field.default
    if field.default_factory is not _MISSING:
        return field.default_factory()
    return _MISSING


def dump(value: Any, *, json_mode: bool = False, exclude_defaults: bool = False) -> Any:
    """``value`` as plain data, nested records as dicts (as pydantic's ``model_dump``)."""
    if isinstance(value, Plain):
        out: dict[str, Any] = {}
        for field in init_fields(type(value)):
            item = getattr(value, field.name)
            if exclude_defaults and item == _default(field):
                continue
            out[field.name] = dump(item, json_mode=json_mode, exclude_defaults=exclude_defaults)
        return out
    if isinstance(value, tuple | list):
        items = [dump(v, json_mode=json_mode, exclude_defaults=exclude_defaults) for v in value]
        return items if json_mode else tuple(items)
    if isinstance(value, dict):
        return {
            k: dump(v, json_mode=json_mode, exclude_defaults=exclude_defaults)
            for k, v in value.items()
        }
    if json_mode and isinstance(value, date):
        return value.isoformat()
    return value
