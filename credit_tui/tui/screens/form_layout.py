"""The evidence form's widgets: one row a field (label, input, error line), then the footer.

Mixed into ``EvidenceForm``; which rows show is ``form_fields``' concern.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from credit_tui.scoring.catalog import FLAG_FIELDS
from credit_tui.tui.screens.key_task_field import KeyTaskIndicatorField
from credit_tui.tui.widgets.choice_select import ChoiceSelect

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from credit_tui.scoring.catalog import Catalog

    _Base = ModalScreen[Any]
else:
    _Base = object

FLAG_LABELS = {"format_ok": "格式规范", "evaluation_data": "评价类数据", "publicized": "已公示"}
ROW_FIELDS = (
    "indicator", "component", "item", "quantity", "channel", "flags", "date", "department",
    "title", "kind", "attachment", "url", "note",
)  # fmt: skip
"""Fields with a row (and an error line under it), in screen order."""


class FormLayout(_Base):
    """The form's compose: every row, each with an ``#err-<field>`` line under it."""

    catalog: Catalog
    record_id: str | None

    def compose(self) -> ComposeResult:
        catalog = self.catalog
        vocab = catalog.vocabulary
        with Vertical(id="form-dialog") as dialog:
            dialog.border_title = "编辑佐证材料" if self.record_id else "录入佐证材料"
            with VerticalScroll(id="form-body", can_focus=False):
                with self._row("indicator", "指标"):
                    yield KeyTaskIndicatorField(
                        catalog,
                        placeholder="输入 3.1、三、1 或名称中的词，回车选定",
                        id="f-indicator",
                    )
                yield from self._error("indicator")
                with self._row("component", "事项"):
                    yield ChoiceSelect(
                        [], prompt="选择事项", type_to_search=True, compact=True, id="f-component"
                    )
                yield from self._error("component")
                with self._row("item", "对象"):
                    yield ChoiceSelect(
                        [], prompt="选择对象", type_to_search=True, compact=True, id="f-item-select"
                    )
                    yield Input(compact=True, id="f-item-input")
                yield from self._error("item")
                with self._row("quantity", "数量"):
                    yield Input(placeholder="人数", type="integer", compact=True, id="f-quantity")
                    yield Static("工作人员人数（不少于 2 人得满分）", classes="field-hint")
                yield from self._error("quantity")
                with self._row("channel", "发布渠道"):
                    yield ChoiceSelect(
                        [(label, key) for key, label in vocab.channels.items()],
                        allow_blank=False,
                        type_to_search=True,
                        compact=True,
                        id="f-channel",
                    )
                yield from self._error("channel")
                with self._row("flags", "标记"):
                    for flag in FLAG_FIELDS:
                        yield Checkbox(FLAG_LABELS[flag], compact=True, id=f"f-{flag}")
                yield from self._error("flags")
                with self._row("date", "日期"):
                    yield Input(placeholder="2024-05-20 或 今天", compact=True, id="f-date")
                    yield Static(id="date-hint", classes="field-hint", markup=False)
                yield from self._error("date")
                with self._row("department", "责任单位"):
                    yield ChoiceSelect(
                        [(name, name) for name in catalog.departments],
                        prompt="选择责任单位",
                        type_to_search=True,
                        compact=True,
                        id="f-department",
                    )
                yield from self._error("department")
                with self._row("title", "标题"):
                    yield Input(placeholder="材料标题", compact=True, id="f-title")
                yield from self._error("title")
                with self._row("kind", "材料类型"):
                    yield ChoiceSelect(
                        [(label, key) for key, label in vocab.kinds.items()],
                        allow_blank=False,
                        value="document",
                        type_to_search=True,
                        compact=True,
                        id="f-kind",
                    )
                    yield Label("状态", classes="form-label", id="status-label")
                    with RadioSet(compact=True, id="f-status"):
                        yield RadioButton("已完成", value=True, id="status-done")
                        yield RadioButton("计划", id="status-planned")
                yield from self._error("kind")
                with self._row("attachment", "附件"):
                    yield Input(
                        placeholder="文件路径，多个用 ; 分隔", compact=True, id="f-attachment"
                    )
                    yield Button("选择… ^o", id="f-attach-pick", compact=True)
                    yield Static(id="attachment-hint", classes="field-hint", markup=False)
                yield Static(id="attachment-files", markup=False)
                yield from self._error("attachment")
                with self._row("url", "链接"):
                    yield Input(placeholder="https://…（可不填）", compact=True, id="f-url")
                yield from self._error("url")
                with self._row("note", "备注"):
                    yield Input(placeholder="可不填", compact=True, id="f-note")
                yield from self._error("note")
            with Vertical(id="form-footer"):
                yield Static(id="form-errors", markup=False)
                yield Static(id="form-preview", markup=False)
                with Horizontal(id="form-buttons"):
                    yield Button("保存 ^s", id="form-save", variant="primary", compact=True)
                    yield Button("取消 Esc", id="form-cancel", compact=True)

    def _row(self, field: str, label: str) -> Horizontal:
        row = Horizontal(id=f"row-{field}", classes="form-row")
        row.compose_add_child(Label(label, classes="form-label", id=f"label-{field}"))
        return row

    def _error(self, field: str) -> ComposeResult:
        yield Static(id=f"err-{field}", classes="field-error", markup=False)
