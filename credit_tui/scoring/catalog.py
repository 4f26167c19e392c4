"""The scoring table as data: categories, indicators, components and vocabularies.

A year's table lives in ``data/catalog_<year>.toml`` and is loaded into the
pydantic models below. ``load_catalog`` rejects a malformed table with a
Chinese message naming the place and the reason (``CatalogError``); a later
year's table is a new data file, never new code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from credit_tui.scoring.points import Halves, fmt, to_halves

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_YEAR = 2024

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
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class CatalogError(ValueError):
    """A scoring table that cannot be used; the message is Chinese and names the place."""


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

    @property
    def title(self) -> str:
        """``"一、制度建设"``."""
        return f"{self.numeral}、{self.name}"


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

    @cached_property
    def domain_names(self) -> frozenset[str]:
        """Every domain name, key areas and their sub-domains alike."""
        return frozenset(self.domains) | frozenset(d for sub in self.domains.values() for d in sub)

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

    model_config = ConfigDict(
        frozen=True, extra="forbid", ignored_types=(cached_property,), defer_build=True
    )

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

    @cached_property
    def by_code(self) -> dict[str, Indicator]:
        """Indicators by code (``"4.2"``)."""
        return {ind.code: ind for ind in self.indicators}

    @cached_property
    def categories_by_code(self) -> dict[str, Category]:
        """Categories by code (``"4"``)."""
        return {cat.code: cat for cat in self.categories}

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

    @cached_property
    def _dependents(self) -> dict[str, tuple[str, ...]]:
        deps: dict[str, list[str]] = {}
        for ind in self.indicators:
            for comp in ind.components:
                refs = [getattr(cond, "indicator", None) for cond in comp.qualify]
                for ref in [*refs, comp.warn_without]:
                    if ref and ind.code not in deps.setdefault(ref, []):
                        deps[ref].append(ind.code)
        return {k: tuple(v) for k, v in deps.items()}


# --- loading and checking --------------------------------------------------------


def catalog_path(year: int = DEFAULT_YEAR) -> Path:
    """Where the bundled table for ``year`` lives."""
    return DATA_DIR / f"catalog_{year}.toml"


def available_years() -> list[int]:
    """Years for which a table is bundled."""
    return sorted(int(p.stem.rsplit("_", 1)[1]) for p in DATA_DIR.glob("catalog_*.toml"))


def catalog_version_for(year: int) -> str:
    """The bundled table to use for ``year``: its own, else the newest one before it.

    The table's dates are month-day, so an earlier year's table serves a later
    year until the province publishes a new one.
    """
    years = available_years()
    usable = [y for y in years if y <= year] or years[:1]
    return str(usable[-1])


@lru_cache(maxsize=8)
def load_catalog(path: Path | str | None = None) -> Catalog:
    """Load and check a scoring table (the bundled 2024 one by default)."""
    path = Path(path) if path is not None else catalog_path()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError(f"评分表 {path}：文件不存在") from exc
    return read_catalog(data, str(path))


def read_catalog(data: bytes, source: str) -> Catalog:
    """Check a scoring table given as the bytes of its TOML file (``source`` names it)."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"评分表 {source}：格式错误（{exc}）") from exc
    return parse_catalog(raw, source=source)


def parse_catalog(raw: dict, source: str = "评分表") -> Catalog:
    """Build a ``Catalog`` from parsed TOML, raising ``CatalogError`` on any problem."""
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(_describe(exc, raw, source)) from exc
    problems = list(_check(catalog))
    if problems:
        raise CatalogError(f"{source}：\n" + "\n".join(f"  - {p}" for p in problems))
    return catalog


def _describe(exc: ValidationError, raw: dict, source: str) -> str:
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


def _check(cat: Catalog) -> Iterable[str]:
    """Cross-checks pydantic cannot express: sums, references, vocabularies."""
    known = set(cat.departments)
    for alias, target in cat.department_aliases.items():
        if target not in known:
            yield f"单位别名 {alias} 指向未知单位 {target}"
    if len(cat.departments) != len(known):
        yield "责任单位名单有重复"
    vocab = cat.vocabulary
    for name, aliases in vocab.item_aliases.items():
        for alias, target in aliases.items():
            if not vocab.item_known(name, target):
                yield f"vocabulary.item_aliases.{name}：别名 {alias} 指向未知的名称 {target}"
    cat_codes = [c.code for c in cat.categories]
    if len(set(cat_codes)) != len(cat_codes):
        yield "类别编号有重复"
    codes = [i.code for i in cat.indicators]
    if len(set(codes)) != len(codes):
        yield "指标编号有重复"
    if sum(c.max for c in cat.categories) != cat.total:
        yield (
            f"各类别满分之和 {fmt(sum(c.max for c in cat.categories))} 不等于总分 {fmt(cat.total)}"
        )
    for category in cat.categories:
        inds = [i for i in cat.indicators if i.category_code == category.code]
        if sum(i.max for i in inds) != category.max:
            yield (
                f"类别 {category.title}：各指标满分之和 {fmt(sum(i.max for i in inds))} "
                f"不等于类别满分 {fmt(category.max)}"
            )
    for ind in cat.indicators:
        if ind.category_code not in cat_codes:
            yield f"指标 {ind.code}：不属于任何类别"
        yield from _check_indicator(cat, ind, known)
    task_keys = [t.key for t in cat.key_tasks]
    if len(set(task_keys)) != len(task_keys):
        yield "重点任务编号有重复"
    for task in cat.key_tasks:
        for dept in task.departments:
            if dept not in known:
                yield f"重点任务 {task.numeral}：未知的责任单位 {dept}"
        if not (task.schedule.due or task.schedule.every):
            yield f"重点任务 {task.numeral}：没有时间节点"


def _check_indicator(cat: Catalog, ind: Indicator, known: set[str]) -> Iterable[str]:
    where = f"指标 {ind.code}"
    if sum(c.points for c in ind.components) != ind.max:
        yield (
            f"{where}：各事项分值之和 {fmt(sum(c.points for c in ind.components))} "
            f"不等于指标满分 {fmt(ind.max)}"
        )
    keys = [c.key for c in ind.components]
    if len(set(keys)) != len(keys):
        yield f"{where}：事项编号有重复"
    if ind.gate and ind.gate.component not in keys:
        yield f"{where}：门槛事项 {ind.gate.component} 不存在"
    kinds, channels = cat.vocabulary.kinds, cat.vocabulary.channels
    for comp in ind.components:
        here = f"{where}·{comp.key}"
        for dept in comp.departments:
            if dept not in known:
                yield f"{here}：未知的责任单位 {dept}"
        if comp.default_channel not in channels:
            yield f"{here}：未知的默认发布渠道 {comp.default_channel}"
        yield from _check_rule(comp, here)
        for group in comp.materials:
            for kind in group.split("|"):
                if kind not in kinds:
                    yield f"{here}：未知的材料类型 {kind}"
        for cond in comp.qualify:
            ref = getattr(cond, "indicator", None)
            if ref is not None and ref not in cat.by_code:
                yield f"{here}：条件引用了不存在的指标 {ref}"
            for ch in getattr(cond, "channels", ()):
                if ch not in channels:
                    yield f"{here}：条件中未知的发布渠道 {ch}"
            for kind in getattr(cond, "kinds", ()):
                if kind not in kinds:
                    yield f"{here}：条件中未知的材料类型 {kind}"
            if isinstance(cond, FlagsAll):
                for flag in (*cond.flags, *((cond.when,) if cond.when else ())):
                    if flag not in FLAG_FIELDS:
                        yield f"{here}：未知的标记 {flag}"
            if isinstance(cond, ITEM_CONDITIONS) and not comp.uses_item:
                yield f"{here}：按对象的条件只能用于按对象计分的事项"
        if comp.warn_without is not None and comp.warn_without not in cat.by_code:
            yield f"{here}：warn_without 引用了不存在的指标 {comp.warn_without}"
        if comp.warn_nested_items and comp.item_vocab != "domain":
            yield f"{here}：warn_nested_items 只能用于以领域为对象的事项"
        if comp.gate is not None and comp.gate.component not in keys:
            yield f"{here}：门槛事项 {comp.gate.component} 不存在"
        elif comp.gate is not None and comp.gate.component == comp.key:
            yield f"{here}：门槛事项不能是本事项"
        sched = comp.schedule
        if not (sched.due or sched.every):
            yield f"{here}：没有时间节点"


RULE_NEEDS: dict[str, tuple[str, ...]] = {
    "per_quarter": ("each", "quarter_cap"),
    "per_item": ("each", "item_vocab"),
    "items_with_materials": ("each", "item_vocab", "materials"),
    "materials": ("materials",),
    "item_set": ("required_items", "item_vocab"),
    "staff": ("staff_cap",),
}
"""The parameters each rule kind reads (the table checks and the workbook check share it)."""


def _check_rule(comp: Component, here: str) -> Iterable[str]:
    for field in RULE_NEEDS.get(comp.rule, ()):
        if not getattr(comp, field):
            yield f"{here}：规则 {comp.rule} 需要参数 {field}"
    if comp.rule == "staff" and comp.staff_cap is not None and comp.staff_cap * 2 != comp.points:
        yield f"{here}：人数上限 {comp.staff_cap} 与分值 {fmt(comp.points)} 不符"
    if comp.rule == "monthly" and comp.schedule.every != "month":
        yield f'{here}：逐月台账须按月设置时间节点（every = "month"）'
    if comp.rule == "per_quarter" and comp.schedule.every != "quarter":
        yield f'{here}：按季度计分须按季度设置时间节点（every = "quarter"）'
    if comp.uses_item != (comp.item_vocab is not None):
        yield f"{here}：对象词表 item_vocab 与规则 {comp.rule} 不符"
