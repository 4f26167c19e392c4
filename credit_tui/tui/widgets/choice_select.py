"""A ``Select`` that shows no English: its drop-down's key is described in Chinese.

Textual's drop-down names its Esc key "Dismiss menu"; the key bar shows it as
收起 (``keybar.TEXTUAL_LABELS``), so no private Textual class is subclassed here.
"""

from __future__ import annotations

from textual.widgets import Select

from credit_tui.scoring.catalog import Catalog


class ChoiceSelect(Select):
    """The workbench's ``Select`` (its drop-down's key is labelled by the key bar).

    Its drop-down is drawn opaque, framed and a shade lighter than the form, so the
    screen below does not seem to run on into it (a compact list has no frame of its own).
    """

    DEFAULT_CSS = """
    ChoiceSelect > SelectOverlay, ChoiceSelect > SelectOverlay.-textual-compact {
        border: tall $primary !important;
        background: $panel;
    }
    """


def indicator_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """``("四、2 信用评价", "4.2")`` for every indicator, in table order."""
    return [(f"{catalog.display_code(i.code)} {i.name}", i.code) for i in catalog.indicators]
