"""The table's cross-checks pydantic cannot express: sums, references, vocabularies.

``check`` yields each problem of an otherwise well-formed table as a Chinese line.
"""

from __future__ import annotations

from collections.abc import Iterable

from credit_tui.scoring.conditions import FLAG_FIELDS, ITEM_CONDITIONS, RULE_NEEDS, FlagsAll
from credit_tui.scoring.model import Catalog, Component, Indicator
from credit_tui.scoring.points import fmt


def check(cat: Catalog) -> Iterable[str]:
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
