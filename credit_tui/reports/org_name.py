"""The organisation as a document's title line names it (SPEC 11)."""

from __future__ import annotations

from credit_tui.scoring.catalog import Catalog

__all__ = ["full_organisation"]


def full_organisation(catalog: Catalog, short: str = "") -> str:
    """The table's full name (单位名称, 济南市钢城区城乡交通运输局) when it has one,
    else ``short`` or the table's short name."""
    return catalog.organisation_full or short or catalog.organisation
