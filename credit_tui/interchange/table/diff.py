"""What a new table changes, in the clerk's words (三、1 报送信用工作信息：单季上限 2 → 3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from credit_tui.scoring.catalog import RULE_LABELS, Catalog, Component, Indicator, KeyTask
from credit_tui.scoring.points import fmt

_META: tuple[tuple[str, str], ...] = (
    ("organisation_full", "单位名称"), ("organisation", "简称"), ("version", "年度"),
    ("title", "标题"), ("document_number", "发文字号"), ("issued_on", "印发日期"),
    ("due_soon_days", "即将到期提醒天数"), ("quarter_end_days", "季末提醒天数"),
)  # fmt: skip
_INDICATOR: tuple[tuple[str, str], ...] = (
    ("name", "名称"), ("max", "满分"), ("criteria", "工作内容及评估标准"),
    ("interpretation", "评分口径"), ("gate", "门槛"),
)  # fmt: skip
_COMPONENT: tuple[tuple[str, str], ...] = (
    ("label", "事项名称"), ("rule", "计分规则"), ("points", "分值"), ("each", "每项分值"),
    ("quarter_cap", "单季上限"), ("staff_cap", "人数上限"), ("materials", "材料"),
    ("required_items", "必需对象"), ("item_vocab", "对象词表"), ("item_label", "对象称呼"),
    ("default_channel", "默认渠道"), ("bonus", "加分项"), ("qualify", "资格条件"),
    ("schedule", "时间节点"), ("departments", "责任单位"), ("note", "说明"),
    ("warn_quarter_end", "季末提醒"), ("warn_without", "缺少时提醒"),
    ("gate", "事项门槛"), ("warn_nested_items", "领域重叠提醒"),
)  # fmt: skip
_LONG = frozenset({"criteria", "interpretation", "note", "qualify", "gate", "text"})
_HALVES = frozenset({"max", "points", "each", "quarter_cap", "total"})


def changes(old: Catalog, new: Catalog) -> list[str]:
    """Every change from ``old`` to ``new``, one line each; empty when they are the same."""
    return list(_changes(old, new))


def _changes(old: Catalog, new: Catalog) -> Iterator[str]:
    for key, word in _META:
        yield from _field(word, key, getattr(old, key), getattr(new, key))
    yield from _field("总分", "total", old.total, new.total)
    yield from _departments(old, new)
    if old.vocabulary != new.vocabulary:
        yield from _vocabulary(old.vocabulary.model_dump(), new.vocabulary.model_dump())
    old_cats, new_cats = old.categories_by_code, new.categories_by_code
    for code, cat in new_cats.items():
        was = old_cats.get(code)
        if was is None:
            yield f"新增类别 {cat.title}（{fmt(cat.max)} 分）"
            continue
        yield from _field(f"类别 {was.title}：名称", "name", was.name, cat.name)
        yield from _field(f"类别 {cat.title}：满分", "max", was.max, cat.max)
    for code, cat in old_cats.items():
        if code not in new_cats:
            yield f"删除类别 {cat.title}"
    for code, ind in new.by_code.items():
        was = old.by_code.get(code)
        if was is None:
            yield f"新增指标 {_ind_name(new, ind)}（{fmt(ind.max)} 分）"
        else:
            yield from _indicator(new, was, ind)
    for code, ind in old.by_code.items():
        if code not in new.by_code:
            yield f"删除指标 {_ind_name(old, ind)}（其记录保留为未归属）"
    yield from _tasks(old.key_tasks, new.key_tasks)


def _ind_name(cat: Catalog, ind: Indicator) -> str:
    try:
        return f"{cat.display_code(ind.code)} {ind.name}"
    except KeyError:
        return f"{ind.code} {ind.name}"


def _indicator(cat: Catalog, old: Indicator, new: Indicator) -> Iterator[str]:
    name = _ind_name(cat, new)
    for key, word in _INDICATOR:
        yield from _field(f"{name}：{word}", key, getattr(old, key), getattr(new, key))
    old_comps = {c.key: c for c in old.components}
    new_comps = {c.key: c for c in new.components}
    single = len(old_comps) == 1 and len(new_comps) == 1
    for key, comp in new_comps.items():
        was = old_comps.get(key)
        if was is None:
            yield f"{name}：新增事项 {comp.label}（{fmt(comp.points)} 分）"
            continue
        where = name if single else f"{name}·{comp.label}"
        yield from _component(cat, where, was, comp)
    for key, comp in old_comps.items():
        if key not in new_comps:
            yield f"{name}：删除事项 {comp.label}（其记录保留为未归属）"


def _component(cat: Catalog, where: str, old: Component, new: Component) -> Iterator[str]:
    for key, word in _COMPONENT:
        a, b = getattr(old, key, None), getattr(new, key, None)
        if key == "schedule" and a != b:
            yield (
                f"{where}：时间节点 {a.text} → {b.text}"
                if a.text != b.text
                else (f"{where}：时间节点（日期）已修改")
            )
        elif key == "rule":
            yield from _field(f"{where}：{word}", key, RULE_LABELS.get(a, a), RULE_LABELS.get(b, b))
        elif key == "departments":
            renamed = tuple(dict.fromkeys(cat.department_aliases.get(d, d) for d in a))
            yield from _list_change(f"{where}：{word}", renamed, b)
        elif key == "default_channel":
            channels = cat.vocabulary.channels
            yield from _field(f"{where}：{word}", key, channels.get(a, a), channels.get(b, b))
        else:
            yield from _field(f"{where}：{word}", key, a, b)


def _tasks(old: tuple[KeyTask, ...], new: tuple[KeyTask, ...]) -> Iterator[str]:
    was = {t.key: t for t in old}
    now = {t.key: t for t in new}
    for key, task in now.items():
        if key not in was:
            yield f"新增重点任务（{task.numeral}）{task.title}"
            continue
        before = was[key]
        where = f"重点任务（{task.numeral}）{task.title}"
        for field, word in (("numeral", "序号"), ("title", "名称"), ("text", "原文"),
                            ("departments", "责任单位"), ("note", "说明")):  # fmt: skip
            if field == "departments":
                yield from _list_change(f"{where}：{word}", before.departments, task.departments)
            else:
                yield from _field(
                    f"{where}：{word}", field, getattr(before, field), getattr(task, field)
                )
        if before.schedule != task.schedule:
            yield f"{where}：时间节点 {before.schedule.text} → {task.schedule.text}"
    for key, task in was.items():
        if key not in now:
            yield f"删除重点任务（{task.numeral}）{task.title}（其记录保留为未归属）"


def _departments(old: Catalog, new: Catalog) -> Iterator[str]:
    for dept in old.departments:
        if dept in new.departments:
            continue
        target = new.department_aliases.get(dept)
        yield f"责任单位 {dept} → {target}" if target else f"删除责任单位 {dept}"
    renamed = {new.department_aliases.get(d) for d in old.departments}
    for dept in new.departments:
        if dept not in old.departments and dept not in renamed:
            yield f"新增责任单位 {dept}"
    for alias, target in new.department_aliases.items():
        if old.department_aliases.get(alias) != target:
            yield f"责任单位 {target}：新增别名 {alias}"
    for alias, target in old.department_aliases.items():
        if alias not in new.department_aliases:
            yield f"责任单位 {target}：删除别名 {alias}"


def _list_change(where: str, a: tuple[str, ...], b: tuple[str, ...]) -> Iterator[str]:
    if tuple(a) == tuple(b):
        return
    removed = [x for x in a if x not in b]
    added = [x for x in b if x not in a]
    if not removed and not added:
        yield f"{where} 顺序已调整"
        return
    yield f"{where} {'、'.join(removed) or '（无）'} → {'、'.join(added) or '（无）'}"


_VOCAB_WORDS = {
    "domains": "领域", "products": "产品", "product_prefix": "产品前缀", "case_types": "案件类型",
    "partners": "合作部门", "kinds": "材料类型", "channels": "发布渠道",
    "item_aliases": "对象别名",
}  # fmt: skip


def _vocabulary(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        if key == "item_aliases":
            a, b = _flat_aliases(a), _flat_aliases(b)
        if a == b:
            continue
        word = _VOCAB_WORDS.get(key, key)
        if isinstance(a, dict | list | tuple) and isinstance(b, dict | list | tuple):
            added = [x for x in b if x not in a]
            removed = [x for x in a if x not in b]
            if added:
                yield f"词表 {word}：新增 {'、'.join(map(str, added))}"
            if removed:
                yield f"词表 {word}：删除 {'、'.join(map(str, removed))}"
            if not added and not removed:
                yield f"词表 {word}：已修改"
        else:
            yield from _field(f"词表 {word}", key, a, b)


_ITEM_WORDS = {"domain": "领域", "product": "产品", "case_type": "案件类型",
               "partner": "合作部门", "free": "自由填写"}  # fmt: skip


def _flat_aliases(aliases: Any) -> list[str]:
    """``{"partner": {"牵头部门": "信用牵头部门"}}`` as ``合作部门“牵头部门”→信用牵头部门``."""
    return [
        f"{_ITEM_WORDS.get(name, name)}“{alias}”→{target}"
        for name, pairs in (aliases or {}).items()
        for alias, target in pairs.items()
    ]


def _field(where: str, key: str, a: Any, b: Any) -> Iterator[str]:
    if a == b:
        return
    if key in _LONG:
        yield f"{where} 已修改"
        return
    yield f"{where} {_text(key, a)} → {_text(key, b)}"


def _text(key: str, value: Any) -> str:
    if value is None or value == "" or value == ():
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in _HALVES and isinstance(value, int):
        return fmt(value)
    if isinstance(value, list | tuple):
        return "、".join(map(str, value))
    return str(value)
