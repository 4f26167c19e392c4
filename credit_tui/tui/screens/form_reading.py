"""The evidence form read back: what was typed, as ``make_evidence`` input, and checked.

Mixed into ``EvidenceForm``: a field the chosen component does not read keeps the
stored value when editing (``_hidden``), else its default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Checkbox, Input, RadioButton, Select

from credit_tui.scoring.catalog import FLAG_FIELDS, Component, Indicator
from credit_tui.scoring.evidence import Evidence, EvidenceError, FieldError, make_evidence
from credit_tui.tui.screens.form_fields import OTHER
from credit_tui.tui.widgets.indicator_field import IndicatorField

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from credit_tui.scoring.catalog import Catalog
    from credit_tui.service.workbench import Workbench

    _Base = ModalScreen[Any]
else:
    _Base = object


class FormReading(_Base):
    """Everything typed or chosen, as a record (or every problem with it)."""

    bench: Workbench
    catalog: Catalog
    record_id: str | None
    original: Evidence | None
    _indicator: Indicator | None
    _component: Component | None

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
