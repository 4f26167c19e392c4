"""A ``Select`` that shows no English: its drop-down's key is described in Chinese."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay  # no public way to relabel

from ..scoring.catalog import Catalog


class _Overlay(SelectOverlay):
    """The drop-down list of a ``ChoiceSelect``, with its key described in Chinese.

    Drawn opaque, framed and a shade lighter than the form, so the screen below
    does not seem to run on into it (a compact list has no frame of its own).
    """

    BINDINGS = [Binding("escape", "dismiss", "收起", id="select-dismiss")]
    DEFAULT_CSS = """
    _Overlay, _Overlay.-textual-compact {
        border: tall $primary !important;
        background: $panel;
    }
    """


class ChoiceSelect(Select):
    """A ``Select`` whose drop-down shows no English in the footer."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _Overlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)


def indicator_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """``("四、2 信用评价", "4.2")`` for every indicator, in table order."""
    return [(f"{catalog.display_code(i.code)} {i.name}", i.code) for i in catalog.indicators]
