"""Proof gaps for the acceptance (试点验收): records that count toward 已得 with nothing to
show for them — neither an attached file nor a link.

Pure functions over a score report and the records (no store, no textual), shared by
the 自评表, the 自评报告, ``status`` and the evidence list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from credit_tui.scoring.record import Evidence
from credit_tui.scoring.report import ScoreReport

GAP_LABEL = "缺佐证材料"


def lacks_proof(record: Evidence) -> bool:
    """Neither an attachment nor a link."""
    return not record.attachments and not record.url.strip()


def gap_ids(report: ScoreReport, records: Mapping[str, Evidence]) -> set[str]:
    """Ids of the records counted toward 已得 that lack proof."""
    out: set[str] = set()
    for ind in report.indicators:
        for comp in ind.components:
            for rid in comp.counted_ids:
                rec = records.get(rid)
                if rec is not None and lacks_proof(rec):
                    out.add(rid)
    return out


def gaps_by_indicator(
    report: ScoreReport, records: Mapping[str, Evidence]
) -> dict[str, list[Evidence]]:
    """Per indicator code, its counted records lacking proof, by date (only indicators with any)."""
    out: dict[str, list[Evidence]] = {}
    for ind in report.indicators:
        ids = {rid for comp in ind.components for rid in comp.counted_ids}
        recs = [records[rid] for rid in ids if rid in records and lacks_proof(records[rid])]
        if recs:
            out[ind.code] = sorted(recs, key=lambda r: (r.date, r.id))
    return out


def by_id(records: Iterable[Evidence]) -> dict[str, Evidence]:
    """The records keyed by id."""
    return {r.id: r for r in records}


def gap_line(records: list[Evidence]) -> str:
    """``缺佐证材料 2 条：2024-05-03 标题；…`` for an indicator's gaps."""
    items = "；".join(f"{r.date.isoformat()} {r.title}" for r in records)
    return f"{GAP_LABEL} {len(records)} 条：{items}"


class GapMarks:
    """Whether a record is a proof gap under one report; each component's counted ids are
    gathered on first use, so marking a page of a large store costs only that page."""

    def __init__(self, report: ScoreReport) -> None:
        self._report = report
        self._counted: dict[tuple[str, str], frozenset[str]] = {}

    def is_gap(self, record: Evidence) -> bool:
        """Counted toward 已得 and lacking proof."""
        if record.planned or not lacks_proof(record):
            return False
        key = (record.indicator, record.component)
        counted = self._counted.get(key)
        if counted is None:
            try:
                ids = self._report.component(*key).counted_ids
            except KeyError:
                ids = ()
            counted = self._counted[key] = frozenset(ids)
        return record.id in counted
