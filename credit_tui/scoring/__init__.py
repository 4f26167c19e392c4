"""Scoring for the 信用交通县 campaign: catalog data, rules engine and deadline calendar.

Pure Python and pydantic: no UI, no database, no clock (``today``/``as_of`` is
always passed in).
"""

from .calendar import Occurrence, OccurrenceSpec, TaskStatus, occurrence_specs, occurrences
from .catalog import Catalog, CatalogError, Component, Indicator, load_catalog
from .dates import DateFormatError, parse_date
from .engine import Scorer, score
from .evidence import Evidence, EvidenceError, FieldError, make_evidence
from .points import Halves, as_number, fmt, fmt_delta, to_halves
from .report import ComponentScore, IndicatorScore, ScoreReport, changes, describe_changes

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
