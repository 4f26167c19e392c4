"""Records whose indicator or component the table no longer has (未归属, SPEC 11).

They are kept, counted nowhere, and listed in the evidence list under the
indicator filter's last choice; they count again when a later table brings
their code back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..scoring.evidence import Evidence

UNASSIGNED = "\u0000unassigned"
"""The indicator filter's value for 未归属 (no indicator code looks like it)."""
UNASSIGNED_CHOICE = ("未归属（不计分）", UNASSIGNED)
UNASSIGNED_LABEL = "未归属"


def unassigned(
    records: Iterable[Evidence], labels: Mapping[tuple[str, str], str]
) -> list[Evidence]:
    """The records whose (indicator, component) is not in the table (``labels``' keys)."""
    return [r for r in records if (r.indicator, r.component) not in labels]
