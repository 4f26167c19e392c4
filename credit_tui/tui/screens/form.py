"""录入: the evidence form, a modal that adds or edits one record.

The form shows only the fields the chosen component reads (对象, 数量, 发布渠道,
the yes/no flags), checks the date and the attachment paths as they are typed,
and previews the effect on the score. On ``ctrl+s`` the record is built with
``make_evidence``; every problem is shown in red under its field and nothing is
saved. Files are copied into the store only once everything else is valid.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from credit_tui.scoring.catalog import FLAG_FIELDS, Component, Indicator
from credit_tui.scoring.dates import QUARTER_NAMES, DateFormatError, parse_date, quarter_of
from credit_tui.scoring.evidence import (
    FIELD_LABELS,
    Evidence,
    EvidenceError,
    FieldError,
    make_evidence,
)
from credit_tui.scoring.report import changes, describe_changes
from credit_tui.store.database import AttachmentRef, StoreError
from credit_tui.tui.screens.confirm import ConfirmDialog
from credit_tui.tui.screens.form_attachments import AttachmentField, split_paths
from credit_tui.tui.screens.key_task_field import KeyTaskIndicatorField, key_task_choice
from credit_tui.tui.widgets.choice_select import ChoiceSelect
from credit_tui.tui.widgets.indicator_field import IndicatorField

if TYPE_CHECKING:
    from credit_tui.service.workbench import Workbench

OTHER = "\x00other"
"""The item choice that opens a free-text box (products not in the list)."""
PREVIEW_DELAY = 0.3
"""Seconds of pause in typing before the score preview is recomputed."""
FLAG_LABELS = {"format_ok": "格式规范", "evaluation_data": "评价类数据", "publicized": "已公示"}
VOCAB_FIELDS = ("domain", "product", "case_type", "partner")
ROW_FIELDS = (
    "indicator", "component", "item", "quantity", "channel", "flags", "date", "department",
    "title", "kind", "attachment", "url", "note",
)  # fmt: skip
"""Fields with a row (and an error line under it), in screen order."""
ERROR_ROW = {
    "status": "kind",
    "format_ok": "flags",
    "evaluation_data": "flags",
    "publicized": "flags",
}
"""Fields whose errors are shown under another field's row."""


class EvidenceForm(AttachmentField, ModalScreen["Outcome | None"]):
    """Add a record, or edit ``record_id``.

    Dismissed with the save's ``Outcome``, or None when cancelled.
    """

    CSS_PATH = "form.tcss"

    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="form-save"),
        Binding("escape", "cancel", "取消", id="form-cancel"),
        Binding("ctrl+o", "pick_files", "选择附件", id="form-pick-files"),
        # the app's one-key bindings must not switch screen or quit under the form
    ]

    def __init__(
        self, bench: Workbench, prefill: dict[str, object], record_id: str | None = None
    ) -> None:
        super().__init__()
        self.bench = bench
        self.catalog = bench.catalog
        self.record_id = record_id
        self.original: Evidence | None = bench.records.get(record_id) if record_id else None
        self.prefill = dict(prefill)
        self._attachments: list[AttachmentRef] = (
            list(bench.store.attachments_of(record_id)) if self.original is not None else []
        )
        self._attachment_text = "; ".join(a.name for a in self._attachments)
        self._indicator: Indicator | None = None
        self._component: Component | None = None
        self._department_chosen = False
        self._snapshot: tuple[object, ...] = ()
        self._preview_timer: Timer | None = None
        self._ready = False
        self._item_values: list[str] = []

    # --- layout ----------------------------------------------------------------------

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

    # --- filling in ------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.record_id and self.original is None:
            self.notify("该记录已不存在（可能已被删除）", severity="warning")
            self.dismiss(None)
            return
        values = self._initial_values()
        with self._quiet():
            indicator = key_task_choice(self.catalog, values) or values.get("indicator")
            field = self.query_one("#f-indicator", KeyTaskIndicatorField)
            if isinstance(indicator, str) and field.knows(indicator):
                field.value = indicator
            self._set_indicator(values.get("component"))
            self._set_item(str(values.get("item") or ""))
            self.query_one("#f-date", Input).value = str(values.get("date") or "")
            department = self.catalog.canonical_department(str(values.get("department") or ""))
            if department:
                self.query_one("#f-department", Select).value = department
                self._department_chosen = True
            self.query_one("#f-title", Input).value = str(values.get("title") or "")
            kind = values.get("kind")
            if kind in self.catalog.vocabulary.kinds:
                self.query_one("#f-kind", Select).value = kind
            channel = values.get("channel")
            if channel in self.catalog.vocabulary.channels:
                self.query_one("#f-channel", Select).value = channel
            quantity = values.get("quantity")
            self.query_one("#f-quantity", Input).value = "" if quantity is None else str(quantity)
            for flag in FLAG_FIELDS:
                self.query_one(f"#f-{flag}", Checkbox).value = bool(values.get(flag))
            planned = values.get("status") == "planned"
            self.query_one("#status-planned", RadioButton).value = planned
            self.query_one("#status-done", RadioButton).value = not planned
            self.query_one("#f-attachment", Input).value = self._attachment_text
            self.query_one("#f-url", Input).value = str(values.get("url") or "")
            self.query_one("#f-note", Input).value = str(values.get("note") or "")
        self._show_date_hint()
        self._show_attachment_hint()
        self._preview()
        self._snapshot = self._values()
        self._ready = True
        first = "#f-title" if self._component is not None else "#f-indicator Input"
        if self._component is not None and self._component.uses_item and not values.get("item"):
            first = "#f-item-input" if self._component.item_vocab == "free" else "#f-item-select"
        self.query_one(first).focus()

    def _initial_values(self) -> dict[str, object]:
        if self.original is not None:
            values = self.original.model_dump()
            values["date"] = self.original.date.isoformat()
            return values
        values = dict(self.prefill)
        day = values.get("date")
        if isinstance(day, date):
            values["date"] = day.isoformat()
        elif not (isinstance(day, str) and day.strip()):
            values["date"] = self.bench.today.isoformat()
        return values

    def _quiet(self):
        """Set widgets without reacting to the messages that causes."""
        return self.prevent(Select.Changed, Input.Changed, Checkbox.Changed, RadioSet.Changed)

    def _set_indicator(self, component: object = None) -> None:
        """Offer the chosen indicator's components; choose ``component`` (or the only one)."""
        value = self.query_one("#f-indicator", IndicatorField).value
        indicator = self.catalog.by_code.get(value) if value else None
        self._indicator = indicator
        select = self.query_one("#f-component", Select)
        with self._quiet():
            if indicator is None:
                select.set_options([])
            else:
                select.set_options([(c.label, c.key) for c in indicator.components])
                keys = [c.key for c in indicator.components]
                if component in keys:
                    select.value = component
                elif len(keys) == 1:
                    select.value = keys[0]
        self._set_component()

    def _set_component(self) -> None:
        """Show the fields the chosen component reads, with its defaults."""
        value = self.query_one("#f-component", Select).value
        component = None
        if self._indicator is not None and isinstance(value, str):
            component = self._indicator.component(value)
        changed = component is not self._component
        self._component = component
        self.query_one("#row-component").display = self._indicator is not None
        uses_item = component is not None and component.uses_item
        self.query_one("#row-item").display = uses_item
        self.query_one("#row-quantity").display = (
            component is not None and component.rule == "staff"
        )
        reads_channel = component is not None and component.reads_channel
        self.query_one("#row-channel").display = reads_channel
        self.query_one("#row-url").display = reads_channel
        flags = component.reads_flags if component is not None else ()
        self.query_one("#row-flags").display = bool(flags)
        for flag in FLAG_FIELDS:
            self.query_one(f"#f-{flag}", Checkbox).display = flag in flags
        if component is None:
            return
        self.query_one("#label-item", Label).update(component.item_label)
        if changed:
            with self._quiet():
                self._item_options(component)
                self.query_one("#f-channel", Select).value = component.default_channel
                if not self._department_chosen:
                    self.query_one("#f-department", Select).value = component.departments[0]
        self._show_item_input()

    def _item_options(self, component: Component) -> None:
        vocab = self.catalog.vocabulary
        select = self.query_one("#f-item-select", Select)
        old = select.value
        options: list[tuple[str, str]] = []
        if component.item_vocab == "domain":
            for area, subs in vocab.domains.items():
                options.append((area, area))
                options.extend((f"  {sub}", sub) for sub in subs)
        elif component.item_vocab == "product":
            options = [(p, p) for p in vocab.products]
            options.append((f"其他（以“{vocab.product_prefix}”开头）", OTHER))
        elif component.item_vocab == "case_type":
            options = [(c, c) for c in vocab.case_types]
        elif component.item_vocab == "partner":
            options = [(p, p) for p in vocab.partners]
        self._item_values = [value for _, value in options]
        select.set_options(options)
        select.prompt = f"选择{component.item_label}"
        if old in self._item_values:
            select.value = old
        item_input = self.query_one("#f-item-input", Input)
        item_input.placeholder = (
            f"以“{vocab.product_prefix}”开头的产品名称"
            if component.item_vocab == "product"
            else f"{component.item_label}名称"
        )

    def _set_item(self, item: str) -> None:
        """Show a stored or prefilled item in the select, or in the text box."""
        component = self._component
        if component is None or not item:
            return
        item = self.catalog.vocabulary.canonical_item(component.item_vocab, item)
        select = self.query_one("#f-item-select", Select)
        text = self.query_one("#f-item-input", Input)
        if component.item_vocab in VOCAB_FIELDS and item in self._item_values:
            select.value = item
        elif component.item_vocab == "product":
            select.value = OTHER
            text.value = item
        else:
            text.value = item
        self._show_item_input()

    def _show_item_input(self) -> None:
        component = self._component
        vocab = component.item_vocab if component is not None else None
        select = self.query_one("#f-item-select", Select)
        select.display = vocab in VOCAB_FIELDS
        self.query_one("#f-item-input", Input).display = vocab == "free" or (
            vocab == "product" and select.value == OTHER
        )

    # --- reading ---------------------------------------------------------------------

    def _values(self) -> tuple[object, ...]:
        """Everything typed or chosen, to tell whether the form was changed."""
        out: list[object] = []
        for widget in self.query("#form-body Input, #form-body Select, #form-body Checkbox"):
            out.append(getattr(widget, "value", None))
        out.append(self._status())
        return tuple(out)

    def _status(self) -> str:
        return "planned" if self.query_one("#status-planned", RadioButton).value else "done"

    def _item(self) -> str:
        component = self._component
        if component is None or not component.uses_item:
            return self._hidden("item", "")
        select = self.query_one("#f-item-select", Select)
        text = self.query_one("#f-item-input", Input).value.strip()
        if component.item_vocab == "free" or (
            component.item_vocab == "product" and select.value == OTHER
        ):
            return text
        return select.value if isinstance(select.value, str) else ""

    def _hidden(self, field: str, default: object) -> object:
        """A field the component does not read: kept as stored when editing, else default."""
        original = self.original
        if (
            original is not None
            and self._component is not None
            and (original.indicator, original.component)
            == (self._indicator.code if self._indicator else "", self._component.key)
        ):
            return getattr(original, field)
        return default

    def _data(self) -> dict[str, object]:
        """The form as ``make_evidence`` input."""
        component = self._component
        indicator = self.query_one("#f-indicator", IndicatorField).value
        comp_value = self.query_one("#f-component", Select).value
        department = self.query_one("#f-department", Select).value
        data: dict[str, object] = {
            "indicator": indicator or "",
            "component": comp_value if isinstance(comp_value, str) else "",
            "item": self._item(),
            "date": self.query_one("#f-date", Input).value,
            "department": department if isinstance(department, str) else "",
            "title": self.query_one("#f-title", Input).value,
            "kind": self.query_one("#f-kind", Select).value,
            "note": self.query_one("#f-note", Input).value,
            "status": self._status(),
        }
        if component is not None and component.rule == "staff":
            data["quantity"] = self.query_one("#f-quantity", Input).value
        else:
            data["quantity"] = self._hidden("quantity", None)
        if component is not None and component.reads_channel:
            data["channel"] = self.query_one("#f-channel", Select).value
            data["url"] = self.query_one("#f-url", Input).value
        else:
            default = component.default_channel if component is not None else "internal"
            data["channel"] = self._hidden("channel", default)
            data["url"] = self._hidden("url", "")
        flags = component.reads_flags if component is not None else ()
        for flag in FLAG_FIELDS:
            if flag in flags:
                data[flag] = self.query_one(f"#f-{flag}", Checkbox).value
            else:
                data[flag] = self._hidden(flag, False)
        if self.record_id:
            data["id"] = self.record_id
        return data

    def _check(self, attachments: tuple[str, ...] = ()) -> Evidence:
        """Build the record, raising ``EvidenceError`` with every problem."""
        errors: list[FieldError] = []
        if self._indicator is not None and self._component is None:
            errors.append(FieldError("component", "请选择事项"))
        try:
            record = make_evidence(
                self.catalog, self._data(), today=self.bench.today, attachments=attachments
            )
        except EvidenceError as exc:
            errors.extend(e for e in exc.errors if not (errors and e.field == "component"))
        if errors:
            raise EvidenceError(errors)
        return record

    # --- live hints ------------------------------------------------------------------

    def _show_date_hint(self) -> None:
        hint = self.query_one("#date-hint", Static)
        text = self.query_one("#f-date", Input).value
        try:
            day = parse_date(text, self.bench.today)
        except DateFormatError as exc:
            hint.update(Text(f"✗ {exc}" if text.strip() else "✗ 请填写日期", "red"))
            hint.set_class(True, "-bad")
            return
        hint.set_class(False, "-bad")
        line = Text(f"→ {day.isoformat()} · {QUARTER_NAMES[quarter_of(day) - 1]}")
        if day.year != self.bench.year:
            line.append(f" · 不在 {self.bench.year} 年度，不计分", "yellow")
        elif day > self.bench.today and self._status() == "done":
            line.append(" · 晚于今天，可选“计划”", "yellow")
        hint.update(line)

    def _preview(self) -> None:
        """``预计影响：一、4 +1 分 · 总分 62.5 → 63.5`` when the form is complete."""
        self._preview_timer = None
        line = self.query_one("#form-preview", Static)
        shas = tuple(a.sha256 for a in self._attachments)
        try:
            record = self._check(shas)
        except EvidenceError:
            line.update(Text("预计影响：填写完整后显示", "dim"))
            return
        bench = self.bench
        display = {i.code: self.catalog.display_code(i.code) for i in self.catalog.indicators}
        if record.planned:
            done = bench.preview(record.model_copy(update={"status": "done"}))
            effect = (
                f"完成后 {describe_changes(bench.report, done, display)}"
                if changes(bench.report, done)
                else "完成后得分也不变"
            )
            line.update(Text(f"预计影响：计划中，不计入已得分；{effect}"))
            return
        after = bench.preview(record)
        if changes(bench.report, after):
            line.update(Text(f"预计影响：{describe_changes(bench.report, after, display)}"))
        else:
            line.update(Text("预计影响：得分不变"))

    def _schedule_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._preview)

    # --- events ----------------------------------------------------------------------

    @on(IndicatorField.Changed)
    def _indicator_chosen(self, event: IndicatorField.Changed) -> None:
        event.stop()
        if self._ready:
            self._set_indicator()
            self._schedule_preview()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if not self._ready:
            return
        widget_id = event.select.id
        if widget_id == "f-component":
            self._set_component()
        elif widget_id == "f-item-select":
            self._show_item_input()
            if event.value == OTHER:
                self.query_one("#f-item-input", Input).focus()
        elif widget_id == "f-department":
            self._department_chosen = True
        self._schedule_preview()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self._ready:
            return
        if event.input.id == "f-date":
            self._show_date_hint()
        elif event.input.id == "f-attachment":
            self._show_attachment_hint()
        self._schedule_preview()

    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    def _toggled(self, event: Checkbox.Changed | RadioSet.Changed) -> None:
        event.stop()
        if self._ready:
            self._show_date_hint()
            self._schedule_preview()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter in a text box moves on, like Tab (ctrl+s saves)."""
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "f-attach-pick":
            self.action_pick_files()
        elif event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    # --- saving and cancelling -------------------------------------------------------

    def _show_errors(self, errors: list[FieldError]) -> None:
        by_row: dict[str, list[str]] = {}
        general: list[str] = []
        for error in errors:
            row = ERROR_ROW.get(error.field, error.field)
            text = str(error)
            if error.field == "item" and self._component is not None:
                text = f"{self._component.item_label}：{error.message}"
            if row in ROW_FIELDS and self.query_one(f"#row-{row}").display:
                by_row.setdefault(row, []).append(text)
            else:
                general.append(text)
        for row in ROW_FIELDS:
            message = "\n".join(by_row.get(row, []))
            widget = self.query_one(f"#err-{row}", Static)
            widget.update(message)
            widget.display = bool(message)
        summary = self.query_one("#form-errors", Static)
        if errors:
            head = f"有 {len(errors)} 处需要修改，未保存"
            summary.update("\n".join([head, *general]))
        else:
            summary.update("")
        summary.display = bool(errors)
        if by_row:
            first = next(row for row in ROW_FIELDS if row in by_row)
            self._focus_row(first)

    def _focus_row(self, row: str) -> None:
        container = self.query_one(f"#row-{row}")
        for widget in container.query("Input, Select, Checkbox, RadioSet"):
            if isinstance(widget, Widget) and widget.display and widget.focusable:
                widget.focus()
                break
        self.query_one("#form-body", VerticalScroll).scroll_to_widget(container, animate=False)

    def action_save(self) -> None:
        """Check everything; save only if all is well."""
        unchanged = self._attachments_unchanged()
        kept_shas = tuple(a.sha256 for a in self._attachments)
        errors: list[FieldError] = []
        try:
            self._check(kept_shas if unchanged else ())
        except EvidenceError as exc:
            errors.extend(exc.errors)
        found: list[Path | AttachmentRef] = []
        if not unchanged:
            found, missing = self._resolve_attachments()
            errors.extend(
                FieldError("attachment", f"{m} 不存在、不是文件或无法读取") for m in missing
            )
        self._show_errors(errors)
        if errors:
            return
        refs: list[AttachmentRef] | None = None
        try:
            if not unchanged:
                refs = [
                    item if isinstance(item, AttachmentRef) else self.bench.store.store_file(item)
                    for item in found
                ]
            shas = kept_shas if refs is None else tuple(r.sha256 for r in refs)
            record = self._check(shas)
            outcome = self.bench.save(record, refs)
        except EvidenceError as exc:
            self._show_errors(exc.errors)
            return
        except StoreError as exc:
            self._show_errors([FieldError("保存", str(exc))])
            return
        self.dismiss(outcome)

    def action_cancel(self) -> None:
        """Close; ask first if anything was typed."""
        if self._values() == self._snapshot:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        if self.record_id:
            dialog = ConfirmDialog("放弃所做的修改？", title="取消编辑")
        else:
            dialog = ConfirmDialog("放弃已填写的内容？", title="取消录入")
        self.app.push_screen(dialog, answered)


__all__ = ["FIELD_LABELS", "ChoiceSelect", "EvidenceForm", "split_paths"]
