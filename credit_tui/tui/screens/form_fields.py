"""The evidence form's fields that follow the chosen indicator and component.

Mixed into ``EvidenceForm``: the component choices of the indicator, the rows the
component reads (对象, 数量, 发布渠道, the flags), its item choices and defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Checkbox, Input, Label, RadioSet, Select

from credit_tui.scoring.catalog import FLAG_FIELDS, Component, Indicator
from credit_tui.tui.widgets.indicator_field import IndicatorField

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from credit_tui.scoring.catalog import Catalog

    _Base = ModalScreen[Any]
else:
    _Base = object

OTHER = "\x00other"
"""The item choice that opens a free-text box (products not in the list)."""
VOCAB_FIELDS = ("domain", "product", "case_type", "partner")


class ComponentFields(_Base):
    """Show the rows the chosen component reads, with its choices and defaults."""

    catalog: Catalog
    _indicator: Indicator | None
    _component: Component | None
    _department_chosen: bool
    _item_values: list[str]

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
