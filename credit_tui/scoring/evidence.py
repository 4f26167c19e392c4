"""Checking an evidence record (佐证材料) as it comes in.

``Evidence`` (``credit_tui.scoring.record``) is the clean, already-checked
record. ``make_evidence`` turns loose input (a form, a CSV row, a dict) into
one, checking it against the catalog and raising ``EvidenceError`` with every
problem as a Chinese message naming the field. Trusted rows (from the store)
use ``Evidence.trusted``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date

from credit_tui.scoring.dates import DateFormatError, parse_date
from credit_tui.scoring.key_tasks import key_task_of
from credit_tui.scoring.model import Catalog, Component, Indicator, KeyTask
from credit_tui.scoring.record import KEY_TASK, STATUS_LABELS, Evidence, Status, normal_item

__all__ = [
    "FIELD_LABELS",
    "KEY_TASK",
    "STATUS_LABELS",
    "Evidence",
    "EvidenceError",
    "FieldError",
    "Status",
    "derive_id",
    "make_evidence",
    "normal_item",
]

FIELD_LABELS: dict[str, str] = {
    "id": "编号",
    "indicator": "指标",
    "component": "事项",
    "item": "对象",
    "date": "日期",
    "department": "责任单位",
    "title": "标题",
    "kind": "材料类型",
    "channel": "发布渠道",
    "quantity": "数量",
    "format_ok": "格式规范",
    "evaluation_data": "评价类数据",
    "publicized": "已公示",
    "url": "链接",
    "attachment": "附件",
    "note": "备注",
    "status": "状态",
}
TITLE_MAX = 200
NOTE_MAX = 2000
ID_MAX = 64
ITEM_MAX = 100
_TRUE = frozenset({"yes", "y", "是", "true", "t", "1", "对", "√"})
_FALSE = frozenset({"no", "n", "否", "false", "f", "0", "", "×"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_ID = re.compile(r"^[\w.\-:]+$")
_ASCII_INT = re.compile(r"[+-]?[0-9]+")
_Fail = Callable[[str, str], None]


class FieldError(ValueError):
    """One problem with one field; ``str()`` gives ``字段：原因``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{FIELD_LABELS.get(field, field)}：{message}")
        self.field = field
        self.message = message


class EvidenceError(ValueError):
    """Every problem found in one input record."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("；".join(str(e) for e in errors))
        self.errors = errors


def make_evidence(
    catalog: Catalog,
    data: Mapping[str, object],
    *,
    today: date | None = None,
    attachments: tuple[str, ...] = (),
) -> Evidence:
    """Check loose input against the catalog and build an ``Evidence``.

    ``data`` uses the interchange keys (``indicator``, ``date`` …); values may
    be text as typed. ``attachments`` are SHA-256 digests already computed by
    the caller. Raises ``EvidenceError`` listing every problem in Chinese.
    """
    errors: list[FieldError] = []
    fields: dict[str, object] = {}

    def fail(field: str, message: str) -> None:
        errors.append(FieldError(field, message))

    unknown = [k for k in data if k not in FIELD_LABELS and k != "attachments"]
    for key in unknown:
        fail(key, "未知的字段")

    task = _key_task(catalog, data)
    if task is not None:  # 重点任务: kept like a component's record, never scored
        indicator, component = None, None
        fields.update(indicator=KEY_TASK, component=task.key, item=_text(data.get("item")))
    else:
        indicator = _indicator(catalog, _text(data.get("indicator")), fail)
        component = _component(indicator, _text(data.get("component")), fail) if indicator else None
        if indicator:
            fields["indicator"] = indicator.code
        if component:
            fields["component"] = component.key
        fields["item"] = _item(catalog, component, _text(data.get("item")), fail)

    try:
        fields["date"] = parse_date(data.get("date"), today)
    except DateFormatError as exc:
        fail("date", str(exc))

    dept_text = _text(data.get("department"))
    if not dept_text and (component or task) is not None:
        dept_text = (component or task).departments[0]  # type: ignore[union-attr]
    dept = catalog.canonical_department(dept_text) if dept_text else None
    if not dept_text:
        fail("department", "不能为空")
    elif dept is None:
        fail("department", f"未知的责任单位“{dept_text}”，应为：{'、'.join(catalog.departments)}")
    else:
        fields["department"] = dept

    title = _text(data.get("title"))
    if not title:
        fail("title", "不能为空")
    elif len(title) > TITLE_MAX:
        fail("title", f"过长（{len(title)} 字），最多 {TITLE_MAX} 字")
    elif _has_control(title):
        fail("title", "含有控制字符")
    else:
        fields["title"] = title

    vocab = catalog.vocabulary
    kind = _choice(_text(data.get("kind")) or "document", vocab.kinds)
    if kind is None:
        fail(
            "kind",
            f"未知的材料类型“{_text(data.get('kind'))}”，应为：{'、'.join(vocab.kinds.values())}",
        )
    else:
        fields["kind"] = kind
    default_channel = component.default_channel if component else "internal"
    channel = _choice(_text(data.get("channel")) or default_channel, vocab.channels)
    if channel is None:
        fail(
            "channel",
            f"未知的发布渠道“{_text(data.get('channel'))}”，应为：{'、'.join(vocab.channels.values())}",
        )
    else:
        fields["channel"] = channel

    fields["quantity"] = _quantity(data.get("quantity"), component, fail)
    for flag in ("format_ok", "evaluation_data", "publicized"):
        value = _flag(data.get(flag))
        if value is None:
            fail(flag, f"“{_text(data.get(flag))}”应为 是/否、yes/no、true/false 或 1/0")
        else:
            fields[flag] = value

    url = _text(data.get("url"))
    if url and not _URL.match(url):
        fail("url", f"“{url}”不是 http(s) 链接")
    fields["url"] = url

    for digest in attachments:
        if not _SHA256.match(digest):
            fail("attachment", f"附件摘要 {digest!r} 无效")
    fields["attachments"] = tuple(dict.fromkeys(attachments))

    note = _text(data.get("note"))
    if len(note) > NOTE_MAX:
        fail("note", f"过长（{len(note)} 字），最多 {NOTE_MAX} 字")
    elif _has_control(note, allow="\t\n\r"):
        fail("note", "含有控制字符")
    fields["note"] = note

    status = _status(_text(data.get("status")))
    if status is None:
        fail("status", f"“{_text(data.get('status'))}”应为 已完成（done）或 计划（planned）")
    else:
        fields["status"] = status

    ident = _text(data.get("id"))
    if len(ident) > ID_MAX:
        fail("id", f"过长（{len(ident)} 字符），最多 {ID_MAX} 个字符")
    elif ident and not _ID.match(ident):
        fail("id", "只能含字母、数字、汉字及 . - _ :")

    if errors:
        raise EvidenceError(errors)
    fields["id"] = ident or derive_id(fields)
    return Evidence(**fields)  # type: ignore[arg-type]


def derive_id(fields: Mapping[str, object]) -> str:
    """A stable id from a record's content, so re-importing the same row adds nothing."""
    parts = [
        str(fields.get(key, ""))
        for key in ("indicator", "component", "item", "date", "department", "title", "kind")
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"e{digest[:15]}"


# --- field helpers ---------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _has_control(text: str, allow: str = "") -> bool:
    return any((ord(ch) < 32 or ord(ch) == 127) and ch not in allow for ch in text)


def _key_task(catalog: Catalog, data: Mapping[str, object]) -> KeyTask | None:
    """The key task a record is filed under (indicator 重点任务 or 重点任务（三）), if any."""
    text = _text(data.get("indicator"))
    if not text.startswith(KEY_TASK) or not catalog.key_tasks:
        return None
    rest = text.removeprefix(KEY_TASK).strip()
    return key_task_of(catalog, rest or _text(data.get("component")))


def _indicator(catalog: Catalog, text: str, fail: _Fail) -> Indicator | None:
    if not text:
        fail("indicator", "不能为空")
        return None
    code = text
    match = re.match(r"^([一二三四五六七八九十]+)[、.．]\s*(\d+)$", text)
    if match:
        numerals = {c.numeral: c.code for c in catalog.categories}
        code = f"{numerals.get(match.group(1), '?')}.{match.group(2)}"
    indicator = catalog.by_code.get(code)
    if indicator is None:
        fail("indicator", f"未知的指标“{text}”，应为 1.1 至 7.3 之一")
    return indicator


def _component(indicator: Indicator, text: str, fail: _Fail) -> Component | None:
    if not text:
        if len(indicator.components) == 1:
            return indicator.components[0]
        choices = "、".join(f"{c.key}（{c.label}）" for c in indicator.components)
        fail("component", f"指标 {indicator.code} 有多个事项，请填写：{choices}")
        return None
    for comp in indicator.components:
        if text in (comp.key, comp.label):
            return comp
    choices = "、".join(f"{c.key}（{c.label}）" for c in indicator.components)
    fail("component", f"指标 {indicator.code} 没有事项“{text}”，应为：{choices}")
    return None


def _item(catalog: Catalog, comp: Component | None, text: str, fail: _Fail) -> str:
    if comp is None or not comp.uses_item:
        if len(text) > ITEM_MAX or _has_control(text):
            fail("item", f"过长或含有控制字符（最多 {ITEM_MAX} 字）")
        return text
    label = comp.item_label
    if not text:
        fail("item", f"本事项须填写{label}")
        return text
    if len(text) > ITEM_MAX or _has_control(text):
        fail("item", f"{label}过长或含有控制字符（最多 {ITEM_MAX} 字）")
        return text
    vocab = catalog.vocabulary
    text = vocab.canonical_item(comp.item_vocab, text)
    if comp.item_vocab == "domain" and text not in vocab.domain_names:
        fail(
            "item", f"“{text}”不是重点领域或二级领域，应为：{'、'.join(sorted(vocab.domain_names))}"
        )
    elif comp.item_vocab == "product" and not text.startswith(vocab.product_prefix):
        fail(
            "item",
            f"“{text}”不是“信易+”产品，应为：{'、'.join(vocab.products)} 或其他以“信易”开头的名称",
        )
    elif comp.item_vocab == "case_type" and text not in vocab.case_types:
        fail("item", f"“{text}”不是案例类型，应为：{'、'.join(vocab.case_types)}")
    elif comp.item_vocab == "partner" and text not in vocab.partners:
        fail("item", f"“{text}”不是协调部门，应为：{'、'.join(vocab.partners)}")
    return text


def _choice(text: str, options: dict[str, str]) -> str | None:
    if text in options:
        return text
    for key, label in options.items():
        if text == label or text.casefold() == key.casefold():
            return key
    return None


def _quantity(value: object, comp: Component | None, fail: _Fail) -> int | None:
    text = _text(value)
    if not text:
        if comp is not None and comp.rule == "staff":
            fail("quantity", "本事项须填写工作人员人数")
        return None
    plain = unicodedata.normalize("NFKC", text)  # full-width ３ is 3; other scripts' digits are not
    if not _ASCII_INT.fullmatch(plain):
        fail("quantity", f"“{text}”不是整数（只能用数字 0–9，全角数字按半角读）")
        return None
    number = int(plain)
    if number < 0:
        fail("quantity", f"不能为负数（{number}）")
        return None
    if number > 1_000_000:
        fail("quantity", f"数值过大（{number}）")
        return None
    return number


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _status(text: str) -> Status | None:
    if text in ("", "done", "已完成", "完成"):
        return "done"
    if text in ("planned", "计划", "计划中"):
        return "planned"
    return None
