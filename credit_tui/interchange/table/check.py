"""Checking a table as it comes in, every problem at its place (SPEC 11).

Places are key paths of the TOML data (``indicators[8].components[0].quarter_cap``,
indexes from 0); a workbook maps them to its cells (``指标!F12``) with ``where``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from credit_tui.errors import UserFacingError
from credit_tui.scoring.catalog import (
    FLAG_FIELDS,
    ITEM_CONDITIONS,
    RULE_LABELS,
    RULE_NEEDS,
    Catalog,
    Component,
    FlagsAll,
)
from credit_tui.scoring.checks import check as model_checks
from credit_tui.scoring.points import fmt

Where = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a table: its key path and what is wrong, in Chinese."""

    path: str
    message: str


class TableError(UserFacingError):
    """A table refused as a whole; the message lists every problem at its place."""

    def __init__(self, source: str, lines: list[str]) -> None:
        super().__init__(
            f"{source}：指标体系有 {len(lines)} 处错误，未作任何改动：\n"
            + "\n".join(f"  {line}" for line in lines)
        )
        self.lines = lines


def check_raw(raw: dict[str, Any], source: str, where: Where | None = None) -> Catalog:
    """The checked table from parsed data; ``TableError`` naming every bad place."""
    where = where or (lambda path: path or "（根）")
    _resolve_aliases(raw)
    from credit_tui.scoring import schema

    try:
        catalog = schema.validate(raw)
    except schema.ValidationError as exc:
        found = [Problem(_path(err["loc"]), _message(err)) for err in exc.errors()]
        problems = [  # a list whose elements are wrong is not also "empty"
            p for p in found
            if p.message != "不能为空" or not any(q.path.startswith(p.path + "[") for q in found)
        ]  # fmt: skip
        raise TableError(source, _lines(problems, where)) from None
    problems = list(cross_check(catalog))
    if not problems:  # a check of the models' own not yet mirrored here still refuses
        problems = [Problem("", text) for text in model_checks(catalog)]
    if problems:
        raise TableError(source, _lines(problems, where))
    return catalog


def _resolve_aliases(raw: dict[str, Any]) -> None:
    """Departments named by an alias (an old name) in components and key tasks: the new name."""
    aliases = raw.get("department_aliases")
    if not isinstance(aliases, dict) or not aliases:
        return
    holders = [t for t in raw.get("key_tasks", []) if isinstance(t, dict)]
    for ind in raw.get("indicators", []):
        if isinstance(ind, dict):
            holders += [c for c in ind.get("components", []) if isinstance(c, dict)]
    for holder in holders:
        names = holder.get("departments")
        if isinstance(names, list):
            fixed = [aliases.get(n, n) if isinstance(n, str) else n for n in names]
            holder["departments"] = list(dict.fromkeys(fixed))


def _lines(problems: list[Problem], where: Where) -> list[str]:
    return [f"{where(p.path)}：{p.message}" for p in problems]


def _path(loc: Iterable[object]) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        elif isinstance(step, str) and step in _UNION_TAGS:
            continue  # pydantic names the condition kind it tried; the file has no such key
        else:
            out += f".{step}" if out else str(step)
    return out


_UNION_TAGS = frozenset(
    {"channel_in", "channel_not_in", "flags", "not_duplicate_of", "item_has_record_in",
     "item_has_kind", "item_qualifies_in", "function-after[_halves(), int]"}
)  # fmt: skip


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "缺少此项"
    if kind == "extra_forbidden":
        return "未知的字段"
    if kind in ("union_tag_invalid", "literal_error"):
        value = err.get("input")
        if isinstance(value, dict):
            value = value.get("kind")
        expected = err.get("ctx", {}).get("expected") or err.get("ctx", {}).get("expected_tags")
        if expected:
            expected = str(expected).replace("'", "").replace(" or ", ", ").replace(", ", "、")
        return f"“{value}”不是可用的值" + (f"（可选：{expected}）" if expected else "")
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing"):
        return f"“{err.get('input')}”应为整数"
    if kind in ("string_type",):
        return "应为文字"
    if kind in ("tuple_type", "list_type"):
        return "应为列表"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为表（键 = 值）"
    if kind == "bool_parsing" or kind == "bool_type":
        return "应为 true 或 false"
    if kind == "too_short":
        return "不能为空"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_pattern_mismatch":
        return f"“{err.get('input')}”格式不对"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"“{err.get('input')}”超出范围"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error") or err["msg"]).removeprefix("Value error, ")
    if kind == "union_tag_not_found":
        return "缺少 kind（条件类型）"
    return f"无效（{err['msg']}）"


# --- cross-checks at their places ---------------------------------------------------------


def cross_check(cat: Catalog) -> Iterator[Problem]:
    """What the models cannot check alone: sums, uniqueness, references, vocabularies."""
    known = set(cat.departments)
    seen: set[str] = set()
    for i, dept in enumerate(cat.departments):
        if dept in seen:
            yield Problem(f"departments[{i}]", f"责任单位“{dept}”重复")
        seen.add(dept)
    for alias, target in cat.department_aliases.items():
        if target not in known:
            yield Problem(f"department_aliases.{alias}", f"别名指向未知的责任单位“{target}”")
        if alias in known:
            yield Problem(f"department_aliases.{alias}", f"别名“{alias}”与责任单位同名")
    vocab = cat.vocabulary
    for name, aliases in (getattr(vocab, "item_aliases", None) or {}).items():
        for alias, target in aliases.items():
            if not vocab.item_known(name, target):  # type: ignore[attr-defined]
                yield Problem(
                    f"vocabulary.item_aliases.{name}.{alias}", f"别名指向未知的名称“{target}”"
                )
    codes: set[str] = set()
    for i, category in enumerate(cat.categories):
        if category.code in codes:
            yield Problem(f"categories[{i}].code", f"类别编号 {category.code} 重复")
        codes.add(category.code)
    total = sum(c.max for c in cat.categories)
    if total != cat.total:
        yield Problem("total", f"各类别满分之和 {fmt(total)} 不等于总分 {fmt(cat.total)}")
    for i, category in enumerate(cat.categories):
        got = sum(ind.max for ind in cat.indicators if ind.category_code == category.code)
        if got != category.max:
            yield Problem(
                f"categories[{i}].max",
                f"类别 {category.title}：各指标满分之和 {fmt(got)} "
                f"不等于类别满分 {fmt(category.max)}",
            )
    seen = set()
    for i, ind in enumerate(cat.indicators):
        here = f"indicators[{i}]"
        if ind.code in seen:
            yield Problem(f"{here}.code", f"指标编号 {ind.code} 重复")
        seen.add(ind.code)
        if ind.category_code not in codes:
            yield Problem(f"{here}.code", f"指标 {ind.code} 不属于任何类别")
        got = sum(c.points for c in ind.components)
        if got != ind.max:
            yield Problem(
                f"{here}.max",
                f"指标 {ind.code}：各事项分值之和 {fmt(got)} 不等于指标满分 {fmt(ind.max)}",
            )
        keys = [c.key for c in ind.components]
        if ind.gate and ind.gate.component not in keys:
            yield Problem(f"{here}.gate.component", f"门槛事项 {ind.gate.component} 不存在")
        for j, comp in enumerate(ind.components):
            if comp.key in keys[:j]:
                yield Problem(f"{here}.components[{j}].key", f"事项编号 {comp.key} 重复")
            yield from _component(cat, comp, f"{here}.components[{j}]", known, keys)
    seen = set()
    for i, task in enumerate(cat.key_tasks):
        here = f"key_tasks[{i}]"
        if task.key in seen:
            yield Problem(f"{here}.key", f"重点任务编号 {task.key} 重复")
        seen.add(task.key)
        for k, dept in enumerate(task.departments):
            if dept not in known:
                yield Problem(f"{here}.departments[{k}]", f"未知的责任单位“{dept}”")
        if not (task.schedule.due or task.schedule.every):
            yield Problem(f"{here}.schedule", "没有时间节点（due 或 every）")


def _component(
    cat: Catalog, comp: Component, here: str, known: set[str], keys: list[str]
) -> Iterator[Problem]:
    kinds, channels = cat.vocabulary.kinds, cat.vocabulary.channels
    for k, dept in enumerate(comp.departments):
        if dept not in known:
            yield Problem(f"{here}.departments[{k}]", f"未知的责任单位“{dept}”")
    if comp.default_channel not in channels:
        yield Problem(f"{here}.default_channel", f"未知的发布渠道 {comp.default_channel}")
    yield from _rule(comp, here)
    for k, group in enumerate(comp.materials):
        for kind in group.split("|"):
            if kind not in kinds:
                yield Problem(f"{here}.materials[{k}]", f"未知的材料类型 {kind}")
    for k, cond in enumerate(comp.qualify):
        at = f"{here}.qualify[{k}]"
        ref = getattr(cond, "indicator", None)
        if ref is not None and ref not in cat.by_code:
            yield Problem(f"{at}.indicator", f"引用了不存在的指标 {ref}")
        for ch in getattr(cond, "channels", ()):
            if ch not in channels:
                yield Problem(f"{at}.channels", f"未知的发布渠道 {ch}")
        for kind in getattr(cond, "kinds", ()):
            if kind not in kinds:
                yield Problem(f"{at}.kinds", f"未知的材料类型 {kind}")
        if isinstance(cond, FlagsAll):
            for flag in (*cond.flags, *((cond.when,) if cond.when else ())):
                if flag not in FLAG_FIELDS:
                    yield Problem(f"{at}.flags", f"未知的标记 {flag}")
        if isinstance(cond, ITEM_CONDITIONS) and not comp.uses_item:
            yield Problem(f"{at}.kind", "按对象的条件只能用于按对象计分的事项")
    if getattr(comp, "warn_nested_items", False) and comp.item_vocab != "domain":
        yield Problem(f"{here}.warn_nested_items", "领域重叠提醒只能用于以领域为对象的事项")
    gate = getattr(comp, "gate", None)
    if gate is not None and gate.component not in keys:
        yield Problem(f"{here}.gate.component", f"门槛事项 {gate.component} 不存在")
    elif gate is not None and gate.component == comp.key:
        yield Problem(f"{here}.gate.component", "门槛事项不能是本事项")
    if comp.warn_without is not None and comp.warn_without not in cat.by_code:
        yield Problem(f"{here}.warn_without", f"引用了不存在的指标 {comp.warn_without}")
    if not (comp.schedule.due or comp.schedule.every):
        yield Problem(f"{here}.schedule", "没有时间节点（due 或 every）")


FIELD_WORDS: dict[str, str] = {
    "each": "每项分值", "quarter_cap": "单季上限", "item_vocab": "对象词表",
    "materials": "材料", "required_items": "必需对象", "staff_cap": "人数上限",
}  # fmt: skip


def _rule(comp: Component, here: str) -> Iterator[Problem]:
    label = RULE_LABELS.get(comp.rule, comp.rule)
    for field in RULE_NEEDS.get(comp.rule, ()):
        if not getattr(comp, field):
            yield Problem(f"{here}.{field}", f"计分规则“{label}”需要{FIELD_WORDS[field]}")
    if comp.rule == "staff" and comp.staff_cap and comp.staff_cap * 2 != comp.points:
        yield Problem(
            f"{here}.staff_cap", f"人数上限 {comp.staff_cap} 与分值 {fmt(comp.points)} 不符"
        )
    if comp.rule == "monthly" and comp.schedule.every != "month":
        yield Problem(f"{here}.schedule.every", '逐月台账须按月设置时间节点（every = "month"）')
    if comp.rule == "per_quarter" and comp.schedule.every != "quarter":
        yield Problem(
            f"{here}.schedule.every", '按季度计分须按季度设置时间节点（every = "quarter"）'
        )
    if comp.uses_item != (comp.item_vocab is not None):
        yield Problem(f"{here}.item_vocab", f"对象词表与计分规则“{label}”不符")
