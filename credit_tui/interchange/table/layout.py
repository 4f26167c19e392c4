"""The table workbook's layout, shared by the writer and the reader (one place for both)."""

from __future__ import annotations

from credit_tui.scoring.catalog import RULE_LABELS

INFO_SHEET, INDICATOR_SHEET, VOCAB_SHEET, TASK_SHEET = "基本信息", "指标", "词表", "重点任务"

INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("organisation_full", "单位名称"), ("organisation", "简称"), ("version", "年度"),
    ("title", "标题"), ("document_number", "发文字号"), ("issued_on", "印发日期"),
    ("total", "总分"), ("due_soon_days", "即将到期提醒天数"), ("quarter_end_days", "季末提醒天数"),
)  # fmt: skip
DEPARTMENT_LABEL = "责任单位"
INFO_HEADER = ("项目", "内容", "别名（、分隔）")

# (key, heading, width): the 附件's own columns first, then the rule and its parameters.
INDICATOR_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("category", "类别", 12), ("category_max", "类别满分", 7), ("code", "编号", 6),
    ("name", "建设指标", 18), ("criteria", "工作内容及评估标准", 48),
    ("departments", "责任单位", 18), ("schedule.text", "时间节点", 14),
    ("max", "指标满分", 7), ("key", "事项编号", 14), ("label", "事项名称", 16),
    ("rule", "计分规则", 14), ("points", "分值", 6), ("each", "每项分值", 7),
    ("quarter_cap", "单季上限", 7), ("staff_cap", "人数上限", 7), ("materials", "材料", 16),
    ("required_items", "必需对象", 16), ("item_vocab", "对象词表", 10),
    ("item_label", "对象称呼", 10), ("default_channel", "默认渠道", 16), ("bonus", "加分项", 6),
    ("schedule.due", "截止日期（月-日）", 12), ("schedule.every", "周期", 8),
    ("schedule.start_month", "起始月份", 7), ("schedule.final", "最终截止", 8),
    ("schedule.suggested", "建议日期", 10), ("gate.component", "门槛事项", 10),
    ("gate.reason", "门槛说明", 20), ("component_gate.component", "事项门槛", 10),
    ("component_gate.reason", "事项门槛说明", 20), ("qualify", "资格条件（JSON）", 30),
    ("warn_quarter_end", "季末提醒", 6), ("warn_without", "缺少时提醒（指标）", 8),
    ("warn_nested_items", "领域重叠提醒", 6),
    ("note", "填报说明", 24), ("interpretation", "评分口径", 48),
)  # fmt: skip
INDICATOR_LEVEL = frozenset({"name", "criteria", "max", "gate.component", "gate.reason",
                             "interpretation"})  # fmt: skip
TASK_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("numeral", "序号", 6), ("key", "编号", 8), ("title", "任务", 24), ("text", "原文", 60),
    ("departments", "责任单位", 20), ("schedule.text", "时间节点", 16),
    ("schedule.due", "截止日期（月-日）", 12), ("schedule.every", "周期", 8),
    ("schedule.start_month", "起始月份", 7), ("schedule.final", "最终截止", 8),
    ("schedule.suggested", "建议日期", 10), ("note", "说明", 30),
)  # fmt: skip
VOCAB_HEADER = ("类型", "编码", "名称", "上级领域或所指名称")
VOCAB_WIDTHS = (12, 14, 30, 16)

RULE_WORDS = dict(RULE_LABELS)
VOCAB_WORDS = {"domain": "领域", "product": "产品", "case_type": "案件类型",
               "partner": "合作部门", "free": "自由填写"}  # fmt: skip
EVERY_WORDS = {"quarter": "每季度", "month": "每月"}
ALIAS_KIND = "对象别名"
"""词表 rows of other words for an item: 编码 the vocabulary (领域 …), 名称 the alias."""
FIELD_OF = {"component_gate": "gate"}
"""Columns whose key differs from the model's field (a component's own gate)."""
YES, NO = "是", "否"
LIST_SEP, GROUP_SEP, ALT_SEP = "、", "；", "或"


def reverse(words: dict[str, str]) -> dict[str, str]:
    """Label → key, keys also accepted as themselves."""
    out = {label: key for key, label in words.items()}
    out.update({key: key for key in words})
    return out
