"""A store loaded and scored once: what every report, the command line and the snapshot start from.

``scored(store, as_of=…)`` reads the table and the records and scores them; every report's
entry point takes a ``Store`` or a ``Scored``, so a caller that has scored already (the
package, which embeds the self-assessment) hands the result on instead of reading again.
It lives with the reports (not in ``service``) because the reports' own entry points, which
take a ``Store``, need it and may import nothing above them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from credit_tui.scoring.engine import score

if TYPE_CHECKING:
    from credit_tui.scoring.catalog import Catalog
    from credit_tui.scoring.evidence import Evidence
    from credit_tui.scoring.report import ScoreReport
    from credit_tui.store.database import Store


@dataclass(frozen=True, slots=True)
class Scored:
    """The store's table and live records, scored as of ``as_of`` (and projected, if asked)."""

    store: Store
    catalog: Catalog
    year: int
    records: Sequence[Evidence]
    """Every live record, oldest first (as the store gives them)."""
    as_of: date
    """The day asked for (``report.as_of`` is the day scored, clamped to the year)."""
    report: ScoreReport
    projection: ScoreReport | None = None
    """The year-end projection with planned records delivered: only if asked and any is planned."""

    @property
    def organisation(self) -> str:
        """The organisation the store names (empty: the table's)."""
        return self.store.campaign.organisation

    def by_id(self) -> dict[str, Evidence]:
        """The records by id."""
        return {r.id: r for r in self.records}


def scored(source: Store | Scored, *, as_of: date, projection: bool = False) -> Scored:
    """``source`` scored as of ``as_of``; with ``projection``, the year-end projection too when
    any record is planned. A ``Scored`` of that day is given back as it is; of another day, its
    records are scored again without reading the store."""
    if isinstance(source, Scored):
        if source.as_of == as_of and (not projection or source.projection is not None):
            return source
        store, catalog, year, records = source.store, source.catalog, source.year, source.records
    else:
        store, catalog, year = source, source.catalog, source.campaign.year
        records = source.records()
    report = score(catalog, records, year=year, as_of=as_of)
    projected = None
    if projection and any(r.planned for r in records):
        projected = score(catalog, records, year=year, as_of=as_of, projected=True)
    return Scored(store, catalog, year, records, as_of, report, projected)
