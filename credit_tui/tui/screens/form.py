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
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Select, Static

from credit_tui.scoring.catalog import FLAG_FIELDS, Component, Indicator
from credit_tui.scoring.dates import QUARTER_NAMES, DateFormatError, parse_date, quarter_of
from credit_tui.scoring.evidence import FIELD_LABELS, Evidence, EvidenceError, FieldError
from credit_tui.scoring.report import changes, describe_changes
from credit_tui.store.database import AttachmentRef, StoreError
from credit_tui.tui.screens.confirm import ConfirmDialog
from credit_tui.tui.screens.form_attachments import AttachmentField, split_paths
from credit_tui.tui.screens.form_fields import OTHER, ComponentFields
from credit_tui.tui.screens.form_layout import ROW_FIELDS, FormLayout
from credit_tui.tui.screens.form_reading import FormReading
from credit_tui.tui.screens.key_task_field import KeyTaskIndicatorField, key_task_choice
from credit_tui.tui.widgets.choice_select import ChoiceSelect
from credit_tui.tui.widgets.indicator_field import IndicatorField

if TYPE_CHECKING:
    from credit_tui.service.workbench import Workbench

PREVIEW_DELAY = 0.3
"""Seconds of pause in typing before the score preview is recomputed."""
ERROR_ROW = {
    "status": "kind",
    "format_ok": "flags",
    "evaluation_data": "flags",
    "publicized": "flags",
}
"""Fields whose errors are shown under another field's row."""


class EvidenceForm(
    FormLayout, ComponentFields, FormReading, AttachmentField, ModalScreen["Outcome | None"]
):
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
