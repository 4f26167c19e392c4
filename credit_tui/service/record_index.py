"""Every live record newest first with its search text, kept in step with each change.

``RecordIndex`` lets the workbench list and filter 100,000 records without ever sorting
them again: built once (sorted, texts made), also per indicator and per department, then
one binary search and one insert or delete per list and change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from operator import attrgetter

from credit_tui.scoring.evidence import Evidence


def _newest_key(record: Evidence) -> tuple[date, str]:
    """The list order: by date, then id (the list runs from the largest key)."""
    return (record.date, record.id)


def _prefix_length(records: list[Evidence], before: Callable[[Evidence], bool]) -> int:
    """How many records lead the list holding ``before`` (true on a prefix, then false)."""
    lo, hi = 0, len(records)
    while lo < hi:
        mid = (lo + hi) // 2
        if before(records[mid]):
            lo = mid + 1
        else:
            hi = mid
    return lo


@dataclass(slots=True)
class _Newest:
    """Records newest first and, at the same positions, their search texts."""

    records: list[Evidence] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def position(self, record: Evidence) -> int:
        """Where ``record`` stands (or would): after every record with a larger key."""
        key = _newest_key(record)
        return _prefix_length(self.records, lambda other: _newest_key(other) > key)

    def insert(self, record: Evidence, text: str) -> None:
        """Put a record (not yet here) in its place."""
        at = self.position(record)
        self.records.insert(at, record)
        self.texts.insert(at, text)

    def remove(self, record: Evidence) -> None:
        """Take out the record with ``record``'s id, date and position."""
        at = self.position(record)
        if at < len(self.records) and self.records[at].id == record.id:
            del self.records[at]
            del self.texts[at]

    def dated_after(self, day: date, *, or_on: bool = False) -> int:
        """How many records are dated after ``day`` (or on it too): they come first."""
        if or_on:
            return _prefix_length(self.records, lambda other: other.date >= day)
        return _prefix_length(self.records, lambda other: other.date > day)

    def span(self, start: date | None, end: date | None) -> tuple[int, int]:
        """The positions of the records dated from ``start`` to ``end`` (either open)."""
        lo = 0 if end is None else self.dated_after(end)
        hi = len(self.records) if start is None else self.dated_after(start, or_on=True)
        return lo, max(lo, hi)


def _newest_first(records: list[Evidence]) -> list[Evidence]:
    """The records by date then id, descending.

    Records as the store gives them (oldest first) are only reversed. ``sorted``
    would hold the interpreter for the whole sort (30 ms and more at 100,000
    records), freezing the screen while a worker loads; the check is a Python
    loop, which lets the screen's thread take turns.
    """
    ascending = True
    previous: tuple[date, str] | None = None
    for record in records:
        key = (record.date, record.id)
        if previous is not None and key < previous:
            ascending = False
            break
        previous = key
    if ascending:
        return records[::-1]
    return sorted(records, key=attrgetter("date", "id"), reverse=True)


class RecordIndex:
    """Every live record newest first (by date, then id), each with its search text.

    Built once (sorted, texts made), also per indicator and per department, and
    then kept in step with each change by a binary search and one insert or
    delete in each list. It counts the records of each component and the
    planned ones.
    """

    def __init__(self, text: Callable[[Evidence], str], records: Iterable[Evidence] = ()) -> None:
        self._text = text
        self._all = _Newest()
        self._parts: dict[tuple[str, str], _Newest] = {}
        """Per ("indicator", code) and per ("department", name)."""
        self._counts: Counter[tuple[str, str]] = Counter()
        self.planned = 0
        """How many records are planned."""
        ordered = _newest_first(list(records))
        texts = [text(r) for r in ordered]
        self._all = _Newest(ordered, texts)
        parts = self._parts
        for record, words in zip(ordered, texts, strict=True):
            for key in (("indicator", record.indicator), ("department", record.department)):
                part = parts.get(key)
                if part is None:
                    part = parts[key] = _Newest()
                part.records.append(record)
                part.texts.append(words)
        self._counts.update((r.indicator, r.component) for r in ordered)
        self.planned = sum(r.status == "planned" for r in ordered)

    def __len__(self) -> int:
        return len(self._all.records)

    def _lists(self, record: Evidence) -> tuple[_Newest, _Newest, _Newest]:
        """The lists a record is in: all, its indicator's and its department's."""
        return (
            self._all,
            self._part(("indicator", record.indicator)),
            self._part(("department", record.department)),
        )

    def _part(self, key: tuple[str, str]) -> _Newest:
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = _Newest()
        return part

    def _count(self, record: Evidence, step: int) -> None:
        self._counts[(record.indicator, record.component)] += step
        self.planned += step if record.planned else 0

    def replace(self, old: Evidence | None, new: Evidence | None) -> None:
        """One change: ``old`` (None: a new record) becomes ``new`` (None: removed)."""
        if old is not None:
            for part in self._lists(old):
                part.remove(old)
            self._count(old, -1)
        if new is not None:
            words = self._text(new)
            for part in self._lists(new):
                part.insert(new, words)
            self._count(new, 1)

    def newest_first(self, indicator: str | None = None) -> list[Evidence]:
        """Every record (or an indicator's), newest first: a new list."""
        part = self._all if indicator is None else self._parts.get(("indicator", indicator))
        return list(part.records) if part is not None else []

    def counts(self) -> dict[tuple[str, str], int]:
        """Records per (indicator, component)."""
        return {key: n for key, n in self._counts.items() if n}

    def find(
        self,
        indicator: str | None = None,
        department: str | None = None,
        start: date | None = None,
        end: date | None = None,
        words: Sequence[str] = (),
    ) -> list[Evidence]:
        """The records matching every filter given, newest first: a new list.

        Starts from the shortest list that the indicator or department picks,
        takes its date range by binary search, then keeps the records that
        pass the other filter and contain each of ``words`` (case-folded).
        """
        by_indicator = self._parts.get(("indicator", indicator), _Newest()) if indicator else None
        by_department = (
            self._parts.get(("department", department), _Newest()) if department else None
        )
        part = min(
            (p for p in (self._all, by_indicator, by_department) if p is not None),
            key=lambda p: len(p.records),
        )
        lo, hi = part.span(start, end)
        records = part.records[lo:hi]
        texts = part.texts[lo:hi] if words else []
        if indicator and part is not by_indicator:
            records, texts = _keep(records, texts, [r.indicator == indicator for r in records])
        if department and part is not by_department:
            records, texts = _keep(records, texts, [r.department == department for r in records])
        for word in sorted(words, key=len, reverse=True):  # a longer word usually keeps fewer
            records, texts = _keep(records, texts, [word in t for t in texts])
        return records


def _keep(
    records: list[Evidence], texts: list[str], mask: list[bool]
) -> tuple[list[Evidence], list[str]]:
    """The records (and their texts, if any) where ``mask`` is true."""
    return list(compress(records, mask)), list(compress(texts, mask)) if texts else texts
