"""What the TUI knows at any moment: the store's records, the live score and the calendar.

The screens talk to the store only through a ``Workbench``. It keeps an
incremental ``Scorer`` so that a save re-scores only the components it
touches, and reports what changed (for the panel's delta and the toast). A
``RecordIndex`` (``record_index``) keeps the records newest first with their
search text, in step with every change. Its writes go through ``writes``, the
write API the command line uses too. It imports no textual: it is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from credit_tui.scoring.calendar import (
    DepartmentLoad,
    Occurrence,
    department_loads,
    occurrence_specs,
    occurrences,
)
from credit_tui.scoring.catalog import Catalog, Component
from credit_tui.scoring.dates import clamp_as_of, month_end
from credit_tui.scoring.engine import Scorer, score
from credit_tui.scoring.evidence import Evidence
from credit_tui.scoring.key_tasks import KeyTaskOccurrence, key_task_occurrences
from credit_tui.scoring.points import Halves, as_number, fmt, fmt_delta
from credit_tui.scoring.report import Change, ScoreReport, changes
from credit_tui.service import collector, writes
from credit_tui.service.record_index import RecordIndex
from credit_tui.store.database import AttachmentRef, SaveResult, Snapshot, Store


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a change did to the score."""

    message: str
    """Chinese, for a toast: ``已保存 · 一、4 +1 分 · 总分 62.5 → 63.5``."""
    before: ScoreReport
    after: ScoreReport
    changes: tuple[Change, ...] = field(default=())
    saved: SaveResult | None = None


def same_records(these: Sequence[Evidence], those: Sequence[Evidence]) -> bool:
    """Whether two lists hold the very same record objects (a changed record is a new one)."""
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=True))


class Workbench:
    """The store, scored as of ``today``, kept up to date as the clerk works."""

    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self.today = today
        self.catalog: Catalog = store.catalog
        self.year: int = store.campaign.year
        self.as_of: date = clamp_as_of(today, self.year)
        self._specs = occurrence_specs(self.catalog, self.year)
        self._scorer = Scorer(self.catalog, self.year, self.as_of)
        self._projected: Scorer | None = None
        self.occurrences: list[Occurrence] = []
        self.generation = 0
        """Counts reloads and changes; screens redraw when theirs is older."""
        self._data_version = -1
        self._trend: dict[int, Halves] = {}
        """Earned as of each ended month's end, kept until a change dated before it."""
        self.display_codes = {
            i.code: self.catalog.display_code(i.code) for i in self.catalog.indicators
        }
        """Indicator code → how it is shown (``1.4`` → ``一、4``)."""
        self.component_labels = {
            (i.code, c.key): c.label for i in self.catalog.indicators for c in i.components
        }
        """(indicator code, component key) → the component's label."""
        self._index = RecordIndex(self.search_text)

    # --- loading ---------------------------------------------------------------------

    def load(self) -> None:
        """(Re)read every record and score from scratch (call from a worker when large).

        What a large load builds is frozen out of full garbage collections
        (``collector.load_frozen``).
        """
        collector.load_frozen(self._read_all, len)

    def _read_all(self) -> list[Evidence]:
        records = self.store.records()
        self._data_version = self.store.data_version()
        self._scorer = Scorer(self.catalog, self.year, self.as_of, records)
        self._projected = Scorer(self.catalog, self.year, self.as_of, records, projected=True)
        self._index = RecordIndex(self.search_text, records)
        self._trend.clear()
        self._refresh()
        return records

    def changed_outside(self) -> bool:
        """Whether another process wrote to the store since we last read it."""
        return self.store.data_version() != self._data_version

    def _refresh(self) -> None:
        self.occurrences = occurrences(self.catalog, self.report, specs=self._specs)
        self.generation += 1

    # --- reading ---------------------------------------------------------------------

    @property
    def report(self) -> ScoreReport:
        """The score as of today."""
        return self._scorer.report

    @property
    def projected(self) -> ScoreReport | None:
        """The year-end projection with planned records delivered, if any are planned."""
        if self._projected is None or not self.has_planned:
            return None
        return self._projected.report

    @property
    def has_planned(self) -> bool:
        """Whether any record is planned rather than done."""
        return self._index.planned > 0

    @property
    def records(self) -> dict[str, Evidence]:
        """Every live record by id."""
        return self._scorer.records

    def records_newest_first(self) -> list[Evidence]:
        """Every live record, newest date first (then the larger id)."""
        return self._index.newest_first()

    def evidence_of(self, indicator: str, component: str | None = None) -> list[Evidence]:
        """An indicator's (or one component's) records, newest first."""
        mine = self._index.newest_first(indicator)
        if component is None:
            return mine
        return [r for r in mine if r.component == component]

    @property
    def index(self) -> RecordIndex:
        """Every live record newest first, to list or ``find`` (filter) them."""
        return self._index

    def search_text(self, record: Evidence) -> str:
        """What the words filter looks in: title, item, note, department, codes, id, folded."""
        fields = (
            record.title,
            record.item,
            record.note,
            record.department,
            self.display_codes.get(record.indicator, record.indicator),
            self.component_labels.get((record.indicator, record.component), ""),
            record.id,
        )
        return "\x1f".join(fields).casefold()

    def evidence_counts(self) -> dict[tuple[str, str], int]:
        """Live records per (indicator, component)."""
        return self._index.counts()

    def component(self, indicator: str, key: str) -> Component:
        """The catalog component."""
        return self.catalog.by_code[indicator].component(key)

    def department_loads(self) -> list[DepartmentLoad]:
        """Per department: shared, open, overdue and lost occurrences."""
        return department_loads(self.occurrences, self.catalog.departments)

    def trend(self) -> list[tuple[int, Halves]]:
        """Earned as of each month end so far, then today (month number, halves).

        A month's figure is computed once and kept until a change dated on or
        before that month's end, so a save re-scores no past month.
        """
        points = []
        records: list[Evidence] | None = None
        generation = self.generation  # a change meanwhile (this runs in a worker): don't keep
        for month in range(1, 13):
            end = month_end(self.year, month)
            if end > self.as_of:
                break
            earned = self._trend.get(month)
            if earned is None:
                records = list(self.records.values()) if records is None else records
                earned = score(self.catalog, records, year=self.year, as_of=end).earned
                if generation == self.generation:
                    self._trend[month] = earned
            points.append((month, earned))
        if not points or points[-1][1] != self.report.earned:
            points.append((self.as_of.month, self.report.earned))
        return points

    # --- writing ---------------------------------------------------------------------

    def preview(self, record: Evidence) -> ScoreReport:
        """The score if this record were saved (nothing is written)."""
        return self._scorer.preview(add=[record])

    def preview_many(self, records: Sequence[Evidence]) -> ScoreReport:
        """The score if these records were saved together (nothing is written)."""
        return self._scorer.preview(add=records)

    def absorb(self, record_ids: Iterable[str], before: ScoreReport, saved: SaveResult) -> Outcome:
        """Take in records another call wrote (an import in a worker): re-score what they touch."""
        for record_id in dict.fromkeys(record_ids):
            self._change(record_id, self.store.get(record_id))
        verb = f"已导入 新增 {saved.added} · 替换 {saved.replaced} · 未变 {saved.unchanged}"
        return self._outcome(verb, before, saved)

    def save(self, record: Evidence, attachments: Sequence[AttachmentRef] | None) -> Outcome:
        """Write one record and re-score what it touches."""
        before = self.report
        saved = writes.save_record(self.store, record, attachments)
        self._change(record.id, self.store.get(record.id) or record)
        return self._outcome("已保存" if saved.changed else "未改动", before, saved)

    def delete(self, record_id: str) -> Outcome | None:
        """Soft-delete one record; None if it was not there."""
        before = self.report
        if not writes.delete_record(self.store, record_id):
            return None
        self._change(record_id, None)
        return self._outcome("已删除", before)

    def undo(self) -> Outcome | None:
        """Revert the newest change in the store; None if there is nothing to undo."""
        before = self.report
        done = writes.undo(self.store)
        if done is None:
            return None
        summary, record_ids = done
        for record_id in record_ids:
            self._change(record_id, self.store.get(record_id))
        return self._outcome(summary, before)

    def _change(self, record_id: str, record: Evidence | None) -> None:
        """Bring scores, trend and index in step with one record now stored as ``record``."""
        old = self.records.get(record_id)
        self._forget_trend(record, old)
        for scorer in (self._scorer, self._projected):
            if scorer is None:
                continue
            if record is None:
                scorer.remove(record_id)
            else:
                scorer.add(record)
        self._index.replace(old, record)

    def _forget_trend(self, *changed: Evidence | None) -> None:
        """Drop the trend's month figures that records dated like these may change."""
        for record in changed:
            if record is not None:
                for month in [m for m in self._trend if month_end(self.year, m) >= record.date]:
                    del self._trend[month]

    def _outcome(self, verb: str, before: ScoreReport, saved: SaveResult | None = None) -> Outcome:
        self._data_version = self.store.data_version()
        self._refresh()
        after = self.report
        moved = tuple(changes(before, after))
        parts = [verb]
        parts += [f"{self.catalog.display_code(c.code)} {fmt_delta(c.delta)} 分" for c in moved]
        if before.earned != after.earned:
            parts.append(f"总分 {fmt(before.earned)} → {fmt(after.earned)}")
        return Outcome(" · ".join(parts), before, after, moved, saved)

    # --- hand-over: exports and snapshots ------------------------------------------------

    @property
    def exports_dir(self) -> Path:
        """Where files exported from the workbench go: ``导出/`` beside the store."""
        return self.store.path.parent / "导出"

    def key_task_occurrences(self) -> list[KeyTaskOccurrence]:
        """The key tasks' checks (重点任务, never scored) as of the bench's date."""
        kept = getattr(self, "_key_tasks", None)
        if kept is None or kept[0] != self.generation:
            occs = key_task_occurrences(self.catalog, self.year, self.records.values(), self.as_of)
            kept = self._key_tasks = (self.generation, occs)
        return kept[1]

    def save_snapshot(self, label: str) -> Snapshot:
        """Freeze today's score under a label."""
        return writes.save_snapshot(self.store, label, self.report)

    def snapshots(self) -> list[Snapshot]:
        """Saved snapshots, newest first."""
        return self.store.snapshots()

    def compare(self, snapshot: Snapshot) -> list[tuple[str, float, float]]:
        """Indicators whose earned points differ from the snapshot: (display code, then, now)."""
        then = {ind["code"]: ind["earned"] for ind in snapshot.report.get("indicators", [])}
        moved = []
        for ind in self.report.indicators:
            now = as_number(ind.earned)
            before = then.get(ind.code, 0)
            if before != now:
                moved.append((self.catalog.display_code(ind.code), before, now))
        return moved
