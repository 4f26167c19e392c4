"""The evidence list's table draws its cells exactly as ``DataTable`` draws the same ``Text``."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from credit_tui.screens.evidence import Cell, EvidenceTable

CELLS = (
    ("2024-07-15", ""),
    ("信用工作材料很长的标题，长过任何一列", "green"),
    ("ab", ""),
    ("计划", "cyan"),
    ("", ""),
    ("", "green"),
    ("中文x中", ""),
    ("中文中文中", "bold red"),
    ("r00012 · 1.4", "dim"),
    ("a\x07b\rc", ""),
    ("tab\there", ""),
    ("两行\n文字", "cyan"),
)
"""Fits, cut, cut inside a wide character, empty with and without a style, control codes."""
WIDTHS = (1, 4, 5, 8, 14)


class Pair(App[None]):
    """The fast table and a plain DataTable, side by side, with the same rows."""

    def compose(self) -> ComposeResult:
        yield EvidenceTable(id="fast")
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)

    def fill(self) -> tuple[EvidenceTable, DataTable]:
        fast = self.query_one("#fast", EvidenceTable)
        plain = self.query_one("#plain", DataTable)
        for table in (fast, plain):
            for i, width in enumerate(WIDTHS):
                table.add_column(f"列{i}", width=width, key=f"c{i}")
        for n, (text, style) in enumerate(CELLS):
            fast.add_row(*(Cell(text, style) for _ in WIDTHS), key=f"r{n}")
            plain.add_row(*(Text(text, style) for _ in WIDTHS), key=f"r{n}")
        self.set_focus(None)  # both drawn blurred
        return fast, plain


async def test_every_cell_is_drawn_as_datatable_draws_its_text() -> None:
    app = Pair()
    async with app.run_test(size=(100, 40)) as pilot:
        fast, plain = app.fill()
        await pilot.pause()
        assert fast._plain_cell(1, 1) is not None  # the direct way is taken…
        assert fast._plain_cell(10, 1) is None  # …but not for a tab or a second line
        for row in range(len(CELLS)):
            style = fast._get_row_style(row, fast.rich_style)
            for col, column in enumerate(fast.ordered_columns):
                width = column.get_render_width(fast)
                for cursor in (False, True):
                    for hover in (False, True):
                        got = fast._render_cell(row, col, style, width, cursor, hover)
                        want = plain._render_cell(row, col, style, width, cursor, hover)
                        assert got == want, (CELLS[row], width, cursor, hover)


async def test_the_whole_table_looks_the_same() -> None:
    app = Pair()
    async with app.run_test(size=(100, 40)) as pilot:
        fast, plain = app.fill()
        fast.move_cursor(row=3)
        plain.move_cursor(row=3)
        await pilot.pause()
        region = Region(0, 0, fast.size.width, fast.size.height)
        got = [list(strip) for strip in fast.render_lines(region)]
        want = [list(strip) for strip in plain.render_lines(region)]
        assert got == want
        assert str(fast.get_row_at(1)[0]) == CELLS[1][0]


async def test_the_table_is_as_large_as_a_datatable_of_the_same_rows() -> None:
    app = Pair()
    async with app.run_test(size=(100, 40)) as pilot:
        fast, plain = app.fill()
        await pilot.pause()
        assert fast.virtual_size == plain.virtual_size
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
        assert fast._labelled_row_exists
