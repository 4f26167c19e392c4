"""Scoring for the 信用交通县 campaign: catalog data, rules engine and deadline calendar.

Pure Python: no UI, no database, no clock (``today``/``as_of`` is always passed
in). The table and the records are plain classes (``model``, ``record``);
pydantic checks a table as it comes in (``schema``) and is imported only then.
Names are imported lazily, so ``credit_tui.scoring.dates`` alone stays cheap for
the command line.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing itself is not imported by the package (the quick reads)

_EXPORTS = {
    "Occurrence": "calendar",
    "OccurrenceSpec": "calendar",
    "TaskStatus": "calendar",
    "occurrence_specs": "calendar",
    "occurrences": "calendar",
    "Catalog": "catalog",
    "CatalogError": "catalog",
    "Component": "catalog",
    "Indicator": "catalog",
    "load_catalog": "catalog",
    "DateFormatError": "dates",
    "parse_date": "dates",
    "Scorer": "engine",
    "score": "engine",
    "Evidence": "evidence",
    "EvidenceError": "evidence",
    "FieldError": "evidence",
    "make_evidence": "evidence",
    "Halves": "points",
    "as_number": "points",
    "fmt": "points",
    "fmt_delta": "points",
    "to_halves": "points",
    "ComponentScore": "report",
    "IndicatorScore": "report",
    "ScoreReport": "report",
    "changes": "report",
    "describe_changes": "report",
}
__all__ = [
    "Catalog",
    "CatalogError",
    "Component",
    "ComponentScore",
    "DateFormatError",
    "Evidence",
    "EvidenceError",
    "FieldError",
    "Halves",
    "Indicator",
    "IndicatorScore",
    "Occurrence",
    "OccurrenceSpec",
    "ScoreReport",
    "Scorer",
    "TaskStatus",
    "as_number",
    "changes",
    "describe_changes",
    "fmt",
    "fmt_delta",
    "load_catalog",
    "make_evidence",
    "occurrence_specs",
    "occurrences",
    "parse_date",
    "score",
    "to_halves",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from typing import Any

    from credit_tui.scoring.calendar import (
        Occurrence,
        OccurrenceSpec,
        TaskStatus,
        occurrence_specs,
        occurrences,
    )
    from credit_tui.scoring.catalog import Catalog, CatalogError, Component, Indicator, load_catalog
    from credit_tui.scoring.dates import DateFormatError, parse_date
    from credit_tui.scoring.engine import Scorer, score
    from credit_tui.scoring.evidence import Evidence, EvidenceError, FieldError, make_evidence
    from credit_tui.scoring.points import Halves, as_number, fmt, fmt_delta, to_halves
    from credit_tui.scoring.report import (
        ComponentScore,
        IndicatorScore,
        ScoreReport,
        changes,
        describe_changes,
    )
