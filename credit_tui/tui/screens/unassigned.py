"""Records whose indicator or component the table no longer has (未归属, SPEC 11).

They are kept, counted nowhere, and listed in the evidence list under the
indicator filter's last choice; they count again when a later table brings
their code back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.evidence import KEY_TASK, Evidence

__all__ = ["KEY_TASK", "UNASSIGNED", "UNASSIGNED_CHOICE", "key_task_labels", "unassigned"]

UNASSIGNED = "\u0000unassigned"
"""The indicator filter's value for 未归属 (no indicator code looks like it)."""
UNASSIGNED_CHOICE = ("未归属（不计分）", UNASSIGNED)
UNASSIGNED_LABEL = "未归属"


def key_task_labels(catalog: Catalog) -> dict[tuple[str, str], str]:
    """(``重点任务``, key) → ``重点任务（三）…`` for the table's key tasks."""
    return {(KEY_TASK, t.key): f"重点任务（{t.numeral}）{t.title}" for t in catalog.key_tasks}


def unassigned(
    records: Iterable[Evidence], labels: Mapping[tuple[str, str], str], catalog: Catalog
) -> list[Evidence]:
    """The records whose (indicator, component) is neither in the table nor a key task."""
    tasks = key_task_labels(catalog)
    return [
        r
        for r in records
        if (r.indicator, r.component) not in labels and (r.indicator, r.component) not in tasks
    ]
