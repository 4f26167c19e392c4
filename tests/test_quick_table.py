"""``QuickTable`` draws its cells exactly as ``DataTable`` draws the same ``Text``."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from credit_tui.tui.widgets.quick_table import Cell, Justify, QuickTable, ellipsize

CELLS: tuple[tuple[str, str, Justify], ...] = (
    ("2024-07-15", "", "left"),
    ("信用工作材料很长的标题，长过任何一列", "green", "left"),
    ("ab", "", "left"),
    ("计划", "cyan", "left"),
    ("", "", "left"),
    ("", "green", "left"),
    ("中文x中", "", "left"),
    ("中文中文中", "bold red", "left"),
    ("r00012 · 1.4", "dim", "left"),
    ("a\x07b\rc", "", "left"),
    ("12.5/20", "", "right"),
    ("3", "dim", "right"),
    ("中文x", "green", "right"),
    ("很长的右对齐文字，长过任何一列", "bold red", "right"),
    ("ab  ", "cyan", "right"),
    ("   ", "dim", "right"),
    ("", "", "right"),
    ("\x07", "dim", "right"),
    ("x\x07y", "", "right"),
    ("tab\there", "", "left"),
    ("tab\tright", "", "right"),
    ("两行\n文字", "cyan", "left"),
)
"""Fits, cut, cut inside a wide character, empty with and without a style, control codes;
left and right (trailing spaces dropped); a tab or a second line (drawn ``DataTable``'s way)."""
CUT = ("信用工作材料很长的标题", "中文中文中文", "ab中文cd", "abcdefghijkl", "中x")
CUT_TO = (2, 3, 4, 5, 6, 7)
"""Texts cut with an ellipsis to each of these cells (a wide character cut leaves a space)."""
WIDTHS = (1, 4, 5, 8, 14, None)
"""Column widths; None is an automatic width."""
TEXT_ROWS = len(CELLS) + len(CUT) * len(CUT_TO)


def as_text(text: str, style: str, justify: Justify) -> Text:
    return Text(text, style, justify="right" if justify == "right" else None)


def mixed() -> tuple[list[object], list[object]]:
    """A row of ``Cell``s, ``Text`` of two styles, a string and nothing, and its ``Text`` twin."""
    planned = Text.assemble("标签", (" 计划", "cyan"))
    fast: list[object] = [Cell("左"), planned, "2024-07-15", Cell("9", "dim", "right")]
    plain: list[object] = [Text("左"), planned, "2024-07-15", Text("9", "dim", justify="right")]
    return [*fast, Text("x", "green"), None], [*plain, Text("x", "green"), None]


class Pair(App[None]):
    """The quick table and a plain DataTable, side by side, with the same rows."""

    CSS = """
    Horizontal > DataTable { width: 1fr; height: 100%; }
    DataTable.-alt > .datatable--cursor { background: red; }
    """

    def __init__(self, *, zebra: bool = True, cursor: str = "row", fixed: int = 0) -> None:
        super().__init__()
        self.zebra = zebra
        self.cursor = cursor
        self.fixed = fixed

    def compose(self) -> ComposeResult:
        options = {"cursor_type": self.cursor, "zebra_stripes": self.zebra}
        with Horizontal():
            yield QuickTable(id="fast", **options)
            yield DataTable(id="plain", **options)

    def fill(self) -> tuple[QuickTable, DataTable]:
        fast = self.query_one("#fast", QuickTable)
        plain = self.query_one("#plain", DataTable)
        for table in (fast, plain):
            for i, width in enumerate(WIDTHS):
                table.add_column(f"列{i}", width=width, key=f"c{i}")
        for n, (text, style, justify) in enumerate(CELLS):
            fast.add_row(*(Cell(text, style, justify) for _ in WIDTHS), key=f"r{n}")
            plain.add_row(*(as_text(text, style, justify) for _ in WIDTHS), key=f"r{n}")
        for text in CUT:
            for cells in CUT_TO:
                cut = Text(text, "green")
                cut.truncate(cells, overflow="ellipsis")
                key = f"{text}-{cells}"
                fast.add_row(*(Cell(ellipsize(text, cells), "green") for _ in WIDTHS), key=key)
                plain.add_row(*(cut for _ in WIDTHS), key=key)
        fast_row, plain_row = mixed()
        fast.add_row(*fast_row, key="mixed")
        plain.add_row(*plain_row, key="mixed")
        for table in (fast, plain):  # once there are rows: DataTable fails before
            table.fixed_rows = table.fixed_columns = self.fixed
        self.set_focus(None)  # both drawn blurred
        return fast, plain


def test_ellipsize_cuts_as_text_truncate_does() -> None:
    for text in (*CUT, "a\x07bcdefgh", "中", "ab"):
        for cells in range(1, 14):
            cut = Text(text)
            cut.truncate(cells, overflow="ellipsis")
            assert ellipsize(text, cells) == cut.plain, (text, cells)


@pytest.mark.parametrize("zebra", [True, False])
@pytest.mark.parametrize("cursor", ["row", "cell"])
@pytest.mark.parametrize("focus", [False, True])
@pytest.mark.parametrize("fixed", [0, 2])
async def test_the_whole_table_looks_the_same(
    zebra: bool, cursor: str, focus: bool, fixed: int
) -> None:
    """Cursor, hover, stripes and focus; with fixed rows and columns ``DataTable`` draws it all."""
    app = Pair(zebra=zebra, cursor=cursor, fixed=fixed)
    async with app.run_test(size=(240, 80)) as pilot:
        fast, plain = app.fill()
        for table in (fast, plain):
            table.move_cursor(row=3, column=2)
            table.hover_coordinate = Coordinate(TEXT_ROWS, 1)
        await pilot.pause()
        for table in (fast, plain):
            if focus:
                table.focus()
            await pilot.pause()
            assert table.size.height > fast.row_count + 1  # every row is drawn
        region = Region(0, 0, fast.size.width, fast.size.height)
        want = [list(strip) for strip in plain.render_lines(region)]
        if focus:  # one focused table at a time
            fast.focus()
            await pilot.pause()
        got = [list(strip) for strip in fast.render_lines(region)]
        assert got == want
        assert str(fast.get_row_at(1)[0]) == CELLS[1][0]


async def test_the_table_is_as_large_as_a_datatable_of_the_same_rows() -> None:
    app = Pair()
    async with app.run_test(size=(240, 80)) as pilot:
        fast, plain = app.fill()
        await pilot.pause()
        assert fast.virtual_size == plain.virtual_size
        widths = [column.get_render_width(plain) for column in plain.ordered_columns]
        assert [column.get_render_width(fast) for column in fast.ordered_columns] == widths
        fast.clear()
        plain.clear()
        fast.add_row(*(Cell(str(n)) for n in range(len(WIDTHS))), key="one")
        plain.add_row(*(Text(str(n)) for n in range(len(WIDTHS))), key="one")
        await pilot.pause()
        assert fast.virtual_size == plain.virtual_size
        fast.add_row(*(Cell("") for _ in WIDTHS), label="标签")  # a label: DataTable's own way
        plain.add_row(*(Text("") for _ in WIDTHS), label="标签")
        await pilot.pause()
        assert fast.virtual_size == plain.virtual_size
        fast.add_row(*(Cell("中文" * n) for n in range(len(WIDTHS))), label="长")
        plain.add_row(*(Text("中文" * n) for n in range(len(WIDTHS))), label="长")
        await pilot.pause()
        assert fast.virtual_size == plain.virtual_size


async def test_a_refilled_table_shows_every_change() -> None:
    """Refilled with one row changed, then cursor, focus, style and theme changed: each time the
    quick table looks as the ``DataTable``."""
    app = Pair()
    async with app.run_test(size=(240, 80)) as pilot:
        fast, plain = app.fill()
        await pilot.pause()
        region = Region(0, 0, fast.size.width, fast.size.height)

        def same() -> None:
            want = [list(strip) for strip in plain.render_lines(region)]
            assert [list(strip) for strip in fast.render_lines(region)] == want

        same()
        for table, cell in ((fast, Cell("改过", "red")), (plain, Text("改过", "red"))):
            rows = [table.get_row_at(n) for n in range(table.row_count)]
            rows[3][1] = cell
            table.clear()
            for n, row in enumerate(rows):
                table.add_row(*row, key=f"new{n}")
        await pilot.pause()
        same()
        assert str(fast.get_row_at(3)[1]) == "改过"
        for table in (fast, plain):
            table.move_cursor(row=5)
        await pilot.pause()
        same()
        fast.focus()
        await pilot.pause()
        want = [list(strip) for strip in fast.render_lines(region)]
        plain.focus()
        await pilot.pause()
        assert [list(strip) for strip in plain.render_lines(region)] == want
        app.set_focus(None)
        for table in (fast, plain):
            table.add_class("-alt")  # the cursor's style alone changes
        await pilot.pause()
        same()
        app.theme = "textual-light"
        await pilot.pause()
        same()
