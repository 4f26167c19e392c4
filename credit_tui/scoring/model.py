"""The scoring table as plain data: components, indicators, categories, vocabularies.

Frozen slotted classes with the fields of the table's file (points in halves).
A table is checked once as it comes in (``credit_tui.scoring.schema``, pydantic);
what is kept is already checked and loads here without pydantic.
"""

from __future__ import annotations

from typing import Any

from credit_tui.scoring.conditions import (
    ITEM_CONDITIONS,
    RECORD_CONDITIONS,
    ChannelIn,
    ChannelNotIn,
    Condition,
    FlagsAll,
    Gate,
    ItemVocab,
    RuleKind,
    Schedule,
)
from credit_tui.scoring.plain import Plain, field, record
from credit_tui.scoring.points import Halves

_plain = record(kw_only=True)


def _derived() -> Any:
    """A field computed from the others after building (not dumped, not compared)."""
    return field(init=False, repr=False, compare=False, default=None)


@_plain
class Component(Plain):
    """One scored piece of an indicator; every evidence record belongs to exactly one."""

    key: str
    label: str
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
    departments: tuple[str, ...]
    note: str = ""
    warn_quarter_end: bool = False
    """Warn for a quarter whose counted records all fall in its last days."""
    warn_without: str | None = None
    """Warn for an item that has no record under this indicator (4.3 without 4.2)."""
    warn_nested_items: bool = False
    """Warn when a key area (重点领域) and one of its own sub-areas both qualify."""
    gate: Gate | None = None
    """This component earns nothing until another component of its indicator qualifies."""

    @property
    def record_conditions(self) -> tuple[Condition, ...]:
        """Conditions that judge one record on its own."""
        return tuple(c for c in self.qualify if isinstance(c, RECORD_CONDITIONS))

    @property
    def item_conditions(self) -> tuple[Condition, ...]:
        """Conditions that judge an item across records or indicators."""
        return tuple(c for c in self.qualify if isinstance(c, ITEM_CONDITIONS))

    @property
    def uses_item(self) -> bool:
        """Whether records of this component name an item (domain, product, case…)."""
        return self.rule in ("per_item", "items_with_materials", "item_set")

    @property
    def reads_flags(self) -> tuple[str, ...]:
        """The yes/no flags some condition of this component reads."""
        flags: list[str] = []
        for cond in self.qualify:
            if isinstance(cond, FlagsAll):
                if cond.when:
                    flags.append(cond.when)
                flags.extend(cond.flags)
        return tuple(dict.fromkeys(flags))

    @property
    def reads_channel(self) -> bool:
        """Whether some condition of this component reads the channel."""
        return any(isinstance(c, ChannelIn | ChannelNotIn) for c in self.qualify)


@_plain
class Indicator(Plain):
    """A numbered line of the table (e.g. 1.2) with its components."""

    code: str
    name: str
    max: Halves
    criteria: str
    interpretation: str
    gate: Gate | None = None
    components: tuple[Component, ...]

    @property
    def category_code(self) -> str:
        """``"4"`` for indicator ``"4.2"``."""
        return self.code.split(".")[0]

    def component(self, key: str) -> Component:
        """The component with this key (``KeyError`` if none)."""
        for comp in self.components:
            if comp.key == key:
                return comp
        raise KeyError(key)


@_plain
class Category(Plain):
    """One of the seven headings (一、制度建设 …)."""

    code: str
    numeral: str
    name: str
    max: Halves

    @property
    def title(self) -> str:
        """``"一、制度建设"``."""
        return f"{self.numeral}、{self.name}"


@_plain
class Vocabulary(Plain):
    """The words a record may use: domains, products, kinds, channels, partners."""

    domains: dict[str, tuple[str, ...]]
    products: tuple[str, ...]
    product_prefix: str
    case_types: tuple[str, ...]
    partners: tuple[str, ...]
    kinds: dict[str, str]
    channels: dict[str, str]
    item_aliases: dict[ItemVocab, dict[str, str]] = field(default_factory=dict)
    """Per item vocabulary: other words for a name → the name stored (like departments')."""
    domain_names: frozenset[str] = _derived()
    """Every domain name, key areas and their sub-domains alike."""

    def __post_init__(self) -> None:
        names = frozenset(self.domains) | frozenset(d for sub in self.domains.values() for d in sub)
        object.__setattr__(self, "domain_names", names)

    def canonical_item(self, vocab: ItemVocab | None, text: str) -> str:
        """The name an item is stored under: an alias of ``vocab`` resolved, else as given."""
        if vocab is None:
            return text
        return self.item_aliases.get(vocab, {}).get(text.strip(), text)

    def item_known(self, vocab: ItemVocab, text: str) -> bool:
        """Whether ``text`` is a name of the item vocabulary ``vocab`` (``free``: any)."""
        if vocab == "domain":
            return text in self.domain_names
        if vocab == "product":
            return text.startswith(self.product_prefix)
        if vocab == "case_type":
            return text in self.case_types
        if vocab == "partner":
            return text in self.partners
        return bool(text.strip())


@_plain
class KeyTask(Plain):
    """A duty of the plan's main text that the 附件 does not score (重点任务)."""

    key: str
    numeral: str
    title: str
    text: str
    departments: tuple[str, ...]
    schedule: Schedule
    note: str = ""


@_plain
class Catalog(Plain):
    """A whole year's scoring table."""

    version: str
    title: str
    organisation: str
    organisation_full: str = ""
    document_number: str = ""
    issued_on: str = ""
    total: Halves
    due_soon_days: int = 14
    quarter_end_days: int = 10
    departments: tuple[str, ...]
    department_aliases: dict[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary
    categories: tuple[Category, ...]
    indicators: tuple[Indicator, ...]
    key_tasks: tuple[KeyTask, ...] = ()
    by_code: dict[str, Indicator] = _derived()
    """Indicators by code (``"4.2"``)."""
    categories_by_code: dict[str, Category] = _derived()
    """Categories by code (``"4"``)."""
    _dependents: dict[str, tuple[str, ...]] = _derived()

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "by_code", {ind.code: ind for ind in self.indicators})
        put(self, "categories_by_code", {cat.code: cat for cat in self.categories})
        deps: dict[str, list[str]] = {}
        for ind in self.indicators:
            for comp in ind.components:
                refs = [getattr(cond, "indicator", None) for cond in comp.qualify]
                for ref in [*refs, comp.warn_without]:
                    if ref and ind.code not in deps.setdefault(ref, []):
                        deps[ref].append(ind.code)
        put(self, "_dependents", {k: tuple(v) for k, v in deps.items()})

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code (``KeyError`` if none)."""
        return self.by_code[code]

    def display_code(self, code: str) -> str:
        """``"4.2"`` as the table writes it: ``"四、2"``."""
        cat, _, num = code.partition(".")
        return f"{self.categories_by_code[cat].numeral}、{num}"

    def canonical_department(self, name: str) -> str | None:
        """The department's official name, resolving aliases; ``None`` if unknown."""
        name = name.strip()
        if name in self.departments:
            return name
        return self.department_aliases.get(name)

    def dependents(self, code: str) -> tuple[str, ...]:
        """Indicators whose conditions read records of ``code`` (direct only)."""
        return self._dependents.get(code, ())
