"""Each touch of Textual's internals in ``credit_tui.tui.compat`` still does what it says.

A Textual upgrade that renames or changes one of them fails here (or at the
version guard), not as stale styles or half-drawn screens in the clerk's hands.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import textual
from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from credit_tui.tui import compat

ROOT = Path(__file__).resolve().parent.parent
SIZE = (60, 20)


class Plain(Screen[None]):
    CSS = "Plain > Static { width: 12; height: 3; }"

    def compose(self) -> ComposeResult:
        yield Static("信用", id="box")


class Modes(App[None]):
    MODES = {"a": Plain, "b": Plain}
    DEFAULT_MODE = "a"


# --- the version guard ----------------------------------------------------------------


def test_the_guard_accepts_the_tested_textual_only() -> None:
    assert textual.__version__ == compat.TESTED_TEXTUAL  # what is installed now
    compat.check_version(compat.TESTED_TEXTUAL)
    with pytest.raises(compat.TextualVersionError, match=r"Textual 8\.2\.8 \(found 8\.3"):
        compat.check_version("8.3.0")


def test_pyproject_pins_the_tested_textual() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"textual=={compat.TESTED_TEXTUAL}" in project["project"]["dependencies"]


def test_no_other_module_names_a_private_of_textual_or_rich() -> None:
    private = re.compile(
        r"from (textual|rich)[\w.]*\._|import (textual|rich)[\w.]*\._|_compositor|_screen_stacks"
        r"|_init_mode|_begin_batch|_end_batch|_batch_count|_css_update_count|_PSEUDO_CLASSES"
        r"|_require_parse|_variables\b|_refresh_layout|_styles_cache|StylesCache|_render_line"
        r"|_render_cell|_replace_option_prompt|_option_render_cache|_row_locations|setswitchinterval"
    )
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "credit_tui").rglob("*.py"))
        if path != ROOT / "credit_tui" / "tui" / "compat.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if private.search(line)
    ]
    assert found == []


# --- building a mode's screen unseen ----------------------------------------------------


async def test_a_mode_is_built_unseen_and_laid_out() -> None:
    app = Modes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert compat.built_modes(app) == ["a"]
        assert compat.built_screen(app, "b") is None
        shown = app.screen
        compat.build_mode(app, "b")
        await pilot.pause()
        built = compat.built_screen(app, "b")
        assert isinstance(built, Plain) and built is not shown
        assert app.screen is shown  # not shown
        assert compat.built_modes(app) == ["a", "b"]
        assert built.query_one("#box", Static).is_mounted  # composed and mounted
        widgets = dict(compat.visible_widgets(shown))
        box = shown.query_one("#box", Static)
        assert widgets[box].width == 12 and widgets[box].height == 3  # as its CSS says
        app.switch_mode("b")
        await pilot.pause()
        assert app.screen is built  # the screen built before, not a new one


async def test_a_screen_not_laid_out_has_no_visible_widgets() -> None:
    app = Modes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert compat.visible_widgets(Plain()) == []


# --- the hold on painting -----------------------------------------------------------------


async def test_holds_nest_and_the_last_release_lets_the_screen_paint() -> None:
    app = Modes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not compat.updates_held(app)
        compat.hold_updates(app)
        compat.hold_updates(app)
        assert compat.updates_held(app)
        assert not compat.release_updates(app)  # one hold left
        assert compat.release_updates(app)
        assert not compat.updates_held(app)


async def test_a_whole_repaint_paints_every_line_of_the_screen() -> None:
    app = Modes()
    frames: list[str] = []
    display = app._display

    def record(screen: Screen[object], update: object) -> None:
        if update is not None and not compat.updates_held(app):
            frames.append(update.render_segments(app.console))  # type: ignore[attr-defined]
        display(screen, update)

    app._display = record  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        frames.clear()
        compat.repaint_whole(app.screen)
        await pilot.pause()
        assert frames
        moves = re.findall(r"\x1b\[(\d+);1H", frames[0])  # a cursor move to each line's start
        assert {int(row) for row in moves} == set(range(1, SIZE[1] + 1))


# --- styles ---------------------------------------------------------------------------------


async def test_the_stylesheet_is_current_until_a_theme_or_a_new_source() -> None:
    app = Modes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert compat.stylesheet_current(app)
        before = compat.css_generation(app)
        app.theme = "textual-light"  # new variables, re-parsed and applied
        await pilot.pause()
        assert compat.stylesheet_current(app)
        assert compat.css_generation(app) > before
        app.stylesheet.add_source("Static { color: red; }", read_from=("extra.tcss", ""))
        assert not compat.stylesheet_current(app)  # a new source wants a parse


class Bare(Screen[None]):
    """A screen bringing no stylesheet of its own (else Textual parses for that)."""


class Marked(Bare):
    """A screen that says it wears the app's current CSS (as a ``MainScreen`` built later)."""

    def __init__(self) -> None:
        super().__init__()
        compat.mark_styled(self, self.app)


class MoreModes(App[None]):
    MODES = {"a": Plain, "marked": Marked, "plain": Bare}
    DEFAULT_MODE = "a"


async def test_a_mode_marked_styled_is_not_reparsed_on_its_first_visit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = MoreModes()
    reparsed: list[int] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparsed.append(1)
        reparse(self)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Stylesheet, "reparse", counted)
        app.switch_mode("marked")
        await pilot.pause()
        assert reparsed == []
        app.switch_mode("plain")  # not marked: Textual re-parses every stylesheet for it
        await pilot.pause()
        assert reparsed


async def test_a_relayout_places_widgets_at_the_new_size() -> None:
    app = Modes()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        compat.relayout(screen, Size(40, 10))
        assert dict(compat.visible_widgets(screen))[screen].size == Size(40, 10)


async def test_the_app_pseudo_classes_follow_theme_and_focus() -> None:
    app = Modes()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        assert {"dark", "focus"} <= compat.app_pseudo_classes(app)
        app.theme = "textual-light"
        app.app_focus = False
        await pilot.pause()
        classes = compat.app_pseudo_classes(app)
        assert {"light", "blur"} <= classes and not {"dark", "focus"} & classes
