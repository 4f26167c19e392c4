"""Plain record classes, made fast to define: frozen, slotted, compared by value.

``record`` is what ``@dataclass(frozen=True, slots=True)`` gives the scoring
classes — an ``__init__`` (keyword-only with ``kw_only=True``), ``__eq__``,
``__hash__``, ``__repr__``, ``__post_init__``, frozen fields, ``field`` with
defaults, factories and derived fields — without importing ``dataclasses`` and
``inspect`` or compiling six methods per class: a cold ``status`` defines some
thirty of these classes, and the decorator's time was a third of its start.
``Plain`` adds the pydantic-style calls other layers use (``model_dump``,
``model_copy``, ``model_construct``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Any, Self, TypeVar

_T = TypeVar("_T")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FrozenInstanceError(AttributeError):
    """A field of a frozen record was assigned."""


class Field:
    """How one field is built: its default or factory, and whether it is given, compared, shown."""

    __slots__ = ("compare", "default", "factory", "init", "name", "repr")

    def __init__(
        self,
        default: Any = MISSING,
        factory: Callable[[], Any] | None = None,
        *,
        init: bool = True,
        compare: bool = True,
        repr: bool = True,
    ) -> None:
        self.name = ""
        self.default, self.factory = default, factory
        self.init, self.compare, self.repr = init, compare, repr

    def default_value(self) -> Any:
        """The default (a fresh one from the factory); ``MISSING`` if none."""
        return self.factory() if self.factory is not None else self.default


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | None = None,
    init: bool = True,
    compare: bool = True,
    repr: bool = True,
) -> Any:
    """A field with more than a plain default (as ``dataclasses.field``)."""
    return Field(default, default_factory, init=init, compare=compare, repr=repr)


def record(cls: type[_T] | None = None, *, frozen: bool = True, kw_only: bool = False) -> Any:
    """Make ``cls`` a slotted record class of its annotated fields (see the module)."""

    def wrap(cls: type[_T]) -> type[_T]:
        return _build(cls, frozen=frozen, kw_only=kw_only)

    return wrap if cls is None else wrap(cls)


def fields_of(cls: type) -> tuple[Field, ...]:
    """A record class's fields in order (derived ones too: see ``Field.init``)."""
    return cls.__record_fields__  # type: ignore[attr-defined]


def init_fields(cls: type) -> tuple[Field, ...]:
    """The fields a record class is built from, in order."""
    return cls.__record_init__  # type: ignore[attr-defined]


def is_record(cls: object) -> bool:
    """Whether ``cls`` is a record class."""
    return isinstance(cls, type) and "__record_fields__" in cls.__dict__


def _build(cls: type[_T], *, frozen: bool, kw_only: bool) -> type[_T]:
    own = cls.__dict__
    specs: list[Field] = []
    for name, annotation in own.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = own.get(name, MISSING)
        spec = value if isinstance(value, Field) else Field(value)
        spec.name = name
        specs.append(spec)
    names = tuple(s.name for s in specs)
    ns = {k: v for k, v in own.items() if k not in names and k not in ("__dict__", "__weakref__")}
    ns["__slots__"] = names
    ns["__qualname__"] = cls.__qualname__
    ns["__record_fields__"] = tuple(specs)
    ns["__record_init__"] = tuple(s for s in specs if s.init)
    ns["__match_args__"] = tuple(s.name for s in specs if s.init)
    ns["__init__"] = _init(cls.__qualname__, specs, frozen, kw_only, "__post_init__" in own)
    compared = attrgetter(*[s.name for s in specs if s.compare] or ["__class__"])
    ns["__eq__"] = _eq(compared)
    ns["__hash__"] = _hash(compared) if frozen else None
    if "__repr__" not in own:
        ns["__repr__"] = _repr(tuple(s.name for s in specs if s.repr))
    if frozen:
        ns["__setattr__"], ns["__delattr__"] = _frozen_set, _frozen_del
        ns["__getstate__"], ns["__setstate__"] = _getstate, _setstate
    return type(cls)(cls.__name__, cls.__bases__, ns)


def _init(
    qualname: str, specs: list[Field], frozen: bool, kw_only: bool, post_init: bool
) -> Callable[..., None]:
    env: dict[str, Any] = {"_set": object.__setattr__, "MISSING": MISSING}
    params, body = [], []
    for spec in specs:
        if not spec.init:
            if spec.factory is not None or spec.default is not MISSING:
                env[f"_d_{spec.name}"] = spec
                body.append(f"_set(self, {spec.name!r}, _d_{spec.name}.default_value())")
            continue
        if spec.factory is not None:
            env[f"_f_{spec.name}"] = spec.factory
            params.append(f"{spec.name}=MISSING")
            value = f"_f_{spec.name}() if {spec.name} is MISSING else {spec.name}"
        elif spec.default is not MISSING:
            env[f"_d_{spec.name}"] = spec.default
            params.append(f"{spec.name}=_d_{spec.name}")
            value = spec.name
        else:
            params.append(spec.name)
            value = spec.name
        body.append(
            f"_set(self, {spec.name!r}, {value})" if frozen else f"self.{spec.name} = {value}"
        )
    if post_init:
        body.append("self.__post_init__()")
    star = ["*"] if kw_only and params else []
    source = f"def __init__(self, {', '.join([*star, *params])}):\n"
    source += "".join(f"    {line}\n" for line in body or ["pass"])
    exec(source, env)
    init = env["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    return init


def _eq(compared: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compared(self) == compared(other)

    return __eq__


def _hash(compared: Callable[[Any], Any]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(compared(self))

    return __hash__


def _repr(shown: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name, MISSING)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def _frozen_set(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_del(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, s.name, MISSING) for s in fields_of(type(self)))


def _setstate(self: Any, state: tuple[Any, ...]) -> None:
    for spec, value in zip(fields_of(type(self)), state, strict=True):
        if value is not MISSING:
            object.__setattr__(self, spec.name, value)


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
        for name in exclude or ():
            out.pop(name, None)
        return out

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with ``update``'s fields changed (derived fields recomputed)."""
        fields = {s.name: getattr(self, s.name) for s in init_fields(type(self))}
        return type(self)(**(fields | (update or {})))

    @classmethod
    def model_construct(cls, **fields: Any) -> Self:
        """Build from trusted fields, the others at their defaults."""
        return cls(**fields)


def dump(value: Any, *, json_mode: bool = False, exclude_defaults: bool = False) -> Any:
    """``value`` as plain data, nested records as dicts (as pydantic's ``model_dump``)."""
    if isinstance(value, Plain):
        out: dict[str, Any] = {}
        for spec in init_fields(type(value)):
            item = getattr(value, spec.name)
            if exclude_defaults and item == spec.default_value():
                continue
            out[spec.name] = dump(item, json_mode=json_mode, exclude_defaults=exclude_defaults)
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
