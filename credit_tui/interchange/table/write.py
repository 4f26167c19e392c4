"""A table written to a file the office edits: ``.toml`` or ``.xlsx`` by the name's suffix."""

from __future__ import annotations

from pathlib import Path

from credit_tui.scoring.catalog import Catalog


def write_table(catalog: Catalog, out: Path) -> None:
    """Write ``catalog`` to ``out`` as .toml or .xlsx."""
    if out.suffix.lower() == ".toml":
        from credit_tui.interchange.sheets import write_atomically
        from credit_tui.interchange.table.toml_out import dumps

        text = dumps(catalog)
        write_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        from credit_tui.interchange.table.xlsx_out import write_workbook

        write_workbook(catalog, out)
