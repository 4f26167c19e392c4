"""The form's indicator field: type ``3.1``, ``三、1``, ``三1`` or words; Enter chooses.

It finds indicators with ``indicator_match`` — the palette's matcher — so both
understand the same things. The list of matches shows under the box while it
has the focus and what is typed is not the chosen indicator.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from credit_tui.scoring.catalog import Catalog
from credit_tui.service.indicator_match import match_indicators


class _Box(Input):
    """The text box; ↑ ↓ move in the list of matches below it."""

    BINDINGS = [
        Binding("down", "move(1)", "下一个", show=False),
        Binding("up", "move(-1)", "上一个", show=False),
    ]

    def action_move(self, step: int) -> None:
        """Move the highlight in the list of matches."""
        field = self.parent
        if isinstance(field, IndicatorField):
            field.move(step)


class IndicatorField(Vertical):
    """A box that finds an indicator; ``value`` is its code (None: not chosen)."""

    DEFAULT_CSS = """
    IndicatorField { height: auto; width: 1fr; }
    IndicatorField > OptionList {
        display: none; height: auto; max-height: 7; border: none; padding: 0;
        background: $panel;
    }
    IndicatorField.-open > OptionList { display: block; }
    """

    class Changed(Message):
        """The chosen indicator changed (``value`` None: cleared)."""

        def __init__(self, field: IndicatorField, value: str | None) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> IndicatorField:
            """The field that changed."""
            return self.field

    def __init__(self, catalog: Catalog, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.catalog = catalog
        self._value: str | None = None
        self._placeholder = placeholder
        self._codes: list[str] = []

    def compose(self) -> ComposeResult:
        yield _Box(placeholder=self._placeholder, compact=True)
        options = OptionList(compact=True)
        options.can_focus = False  # the box keeps the focus; a click still chooses
        yield options

    @property
    def box(self) -> Input:
        """The text box."""
        return self.query_one(_Box)

    @property
    def value(self) -> str | None:
        """The chosen indicator's code."""
        return self._value

    @value.setter
    def value(self, code: str | None) -> None:
        """Choose an indicator without a ``Changed`` message (the caller knows)."""
        self._value = code if code in self.catalog.by_code else None
        with self.prevent(Input.Changed):
            self.box.value = self._label(self._value)
        self._close()

    def _label(self, code: str | None) -> str:
        if code is None:
            return ""
        return f"{self.catalog.display_code(code)} {self.catalog.by_code[code].name}"

    def focus(self, scroll_visible: bool = True) -> IndicatorField:
        """Focus the text box."""
        self.box.focus(scroll_visible)
        return self

    def _close(self) -> None:
        self.remove_class("-open")

    def _filter(self, text: str) -> None:
        hits = match_indicators(self.catalog, text)
        self._codes = [h.indicator.code for h in hits]
        options = self.query_one(OptionList)
        options.set_options(
            [Option(h.shown, id=h.indicator.code) for h in hits]
            or [Option("（没有匹配的指标）", disabled=True)]
        )
        options.highlighted = 0 if hits else None
        self.add_class("-open")

    def move(self, step: int) -> None:
        """Move the highlight (opening the list first)."""
        options = self.query_one(OptionList)
        if not self.has_class("-open"):
            self._filter("" if self.box.value == self._label(self._value) else self.box.value)
            return
        if self._codes:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self._codes) - 1, current + step))

    def choose(self, code: str) -> None:
        """Choose an indicator as the clerk did (posts ``Changed``)."""
        changed = code != self._value
        self.value = code
        if changed:
            self.post_message(self.Changed(self, code))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._label(self._value):
            self._close()
            return
        self._filter(event.value)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        """Enter chooses the highlighted match; with nothing to choose it stays put."""
        options = self.query_one(OptionList)
        if self.has_class("-open"):
            event.stop()
            index = options.highlighted
            if self._codes and index is not None:
                self.choose(self._codes[index])
                self.screen.focus_next()
        elif self._value is None:
            event.stop()
            self._filter(event.value)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.choose(event.option.id)
            self.box.focus()

    def on_descendant_blur(self) -> None:
        if not self.box.has_focus:
            if self.has_class("-open") and len(self._codes) == 1:  # Tab away from one match
                self.choose(self._codes[0])
            self._close()
            if self.box.value != self._label(self._value):
                with self.prevent(Input.Changed):
                    self.box.value = self._label(self._value)
