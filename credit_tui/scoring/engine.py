"""The rules engine: (catalog, year, records, as-of) → ``ScoreReport``.

``score`` is the pure function. ``Scorer`` keeps the records grouped by
indicator and component so that adding, replacing or removing one record
re-scores only the component it belongs to, and the components reading its
indicator (6.1 → 1.4, 5.3 → 3.1, 7.1 → 7.2 → 7.3, 4.2 → 4.3) only when what
they read of it changed; ``preview`` answers "what if" without changing anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from credit_tui.scoring.component_warnings import (
    missing_item_warnings,
    nested_item_warnings,
    quarter_end_warnings,
)
from credit_tui.scoring.dates import clamp_as_of, month_end, quarter_end
from credit_tui.scoring.dependencies import Key, dependency_order, per_month, readers
from credit_tui.scoring.model import Catalog, Component, Indicator
from credit_tui.scoring.qualify import DuplicateKeys, check_records
from credit_tui.scoring.qualify import item_rejects as find_item_rejects
from credit_tui.scoring.record import Evidence, normal_item
from credit_tui.scoring.report import CategoryScore, ComponentScore, IndicatorScore, ScoreReport
from credit_tui.scoring.rules import RULES, Clock, RuleInput

_Records = dict[str, Evidence]
"""Records by id."""


def score(
    catalog: Catalog,
    records: Iterable[Evidence],
    *,
    year: int,
    as_of: date,
    projected: bool = False,
) -> ScoreReport:
    """Score ``records`` for ``year`` as of ``as_of``.

    ``projected``: the year-end view (as of 31 December) with planned records
    counted as if delivered on their dates.
    """
    return Scorer(catalog, year, as_of, records, projected=projected).report


def make_clock(year: int, as_of: date) -> Clock:
    """Which months and quarters have ended by ``as_of`` (all of them on 31 December)."""
    final = as_of >= date(year, 12, 31)
    months = tuple(final or month_end(year, m) < as_of for m in range(1, 13))
    quarters = tuple(final or quarter_end(year, q) < as_of for q in range(1, 5))
    return Clock(year=year, final=final, months_ended=months, quarters_ended=quarters)


_Part = tuple[ComponentScore, tuple[str, ...]]
"""A component's own score (before its indicator's gate) and the warnings it raised."""


class Scorer:
    """Scores a changing set of records, re-scoring only what a change touches.

    The unit of re-scoring is the component. A component that reads another
    indicator (``NotDuplicateOf``, ``ItemHasRecordIn``, ``ItemQualifiesIn``,
    ``warn_without``) is re-scored only when what it reads of that indicator
    changed, not on every change of it.
    """

    def __init__(
        self,
        catalog: Catalog,
        year: int,
        as_of: date,
        records: Iterable[Evidence] = (),
        *,
        projected: bool = False,
    ) -> None:
        self.catalog = catalog
        self.year = year
        self.projected = projected
        self.as_of = date(year, 12, 31) if projected else clamp_as_of(as_of, year)
        self.clock = make_clock(year, self.as_of)
        self._records: _Records = {}
        self._view: dict[str, dict[str, _Records]] = {
            ind.code: {c.key: {} for c in ind.components} for ind in catalog.indicators
        }
        self._planned: dict[Key, set[str]] = {}
        self._late: set[str] = set()
        self._other_year: set[str] = set()
        self._order = dependency_order(catalog)
        self._readers, self._read_kinds = readers(catalog)
        self._parts: dict[Key, _Part] = {}
        self._scores: dict[str, IndicatorScore] = {}
        self._seen: dict[str, tuple[object, ...]] = {}
        """Per indicator others read: what they read of it when they were last scored."""
        self._duplicates: dict[str, tuple[frozenset[tuple[date, str]], frozenset[str]]] = {}
        """Per indicator read by a ``NotDuplicateOf``: its (date, title) keys and attachments."""
        self._items: dict[str, frozenset[str]] = {}
        """Per indicator read by item conditions: the normalised items of its records."""
        for rec in records:
            self._place(rec)
        self._rescore({(i.code, c.key) for i in catalog.indicators for c in i.components})

    # --- public --------------------------------------------------------------

    @property
    def report(self) -> ScoreReport:
        """The current score."""
        return self._report

    @property
    def records(self) -> dict[str, Evidence]:
        """Every record given, by id (read only)."""
        return self._records

    def add(self, record: Evidence) -> ScoreReport:
        """Add a record (or replace the one with its id) and return the new score."""
        touched = self._unplace(record.id) | self._place(record)
        return self._rescore(touched)

    def remove(self, record_id: str) -> ScoreReport:
        """Remove a record by id (no-op when unknown) and return the new score."""
        return self._rescore(self._unplace(record_id))

    def preview(self, add: Iterable[Evidence] = (), remove: Iterable[str] = ()) -> ScoreReport:
        """The score if these records were added/removed, leaving this scorer as it was."""
        add, remove = list(add), list(remove)
        kept = dict(self._parts), dict(self._scores), dict(self._seen), self._report
        saved = {
            rid: self._records[rid]
            for rid in [*remove, *(r.id for r in add)]
            if rid in self._records
        }
        touched: set[Key] = set()
        for rid in remove:
            touched |= self._unplace(rid)
        for rec in add:
            touched |= self._unplace(rec.id) | self._place(rec)
        report = self._rescore(touched)
        for rec in add:
            self._unplace(rec.id)
        for rec in saved.values():
            self._place(rec)
        self._parts, self._scores, self._seen, self._report = kept
        return report

    # --- placing records -------------------------------------------------------

    def _place(self, rec: Evidence) -> set[Key]:
        """File a record; return the components whose score may change."""
        self._records[rec.id] = rec
        comps = self._view.get(rec.indicator)
        if comps is None or rec.component not in comps:
            return set()
        if rec.date.year != self.year:
            self._other_year.add(rec.id)
            return set()
        key = (rec.indicator, rec.component)
        if rec.status == "planned" and not self.projected:
            self._planned.setdefault(key, set()).add(rec.id)
            return {key}
        if rec.date > self.as_of:
            self._late.add(rec.id)
            return set()
        comps[rec.component][rec.id] = rec
        self._forget_reads(rec.indicator)
        return {key}

    def _unplace(self, record_id: str) -> set[Key]:
        rec = self._records.pop(record_id, None)
        if rec is None:
            return set()
        self._late.discard(record_id)
        self._other_year.discard(record_id)
        key = (rec.indicator, rec.component)
        planned = self._planned.get(key)
        if planned is not None and record_id in planned:
            planned.discard(record_id)
            return {key}
        comps = self._view.get(rec.indicator)
        if comps and rec.component in comps and comps[rec.component].pop(record_id, None):
            self._forget_reads(rec.indicator)
            return {key}
        return set()

    def _forget_reads(self, code: str) -> None:
        """Drop what was gathered from an indicator's records (they changed)."""
        self._duplicates.pop(code, None)
        self._items.pop(code, None)

    def _rescore(self, touched: set[Key]) -> ScoreReport:
        """Re-score the touched components, then those reading what changed (in order)."""
        todo = set(touched)
        for code in self._order:
            ind = self.catalog.by_code[code]
            dirty = [c for c in ind.components if (code, c.key) in todo]
            if not dirty:
                continue
            for comp in dirty:
                warnings: list[str] = []
                self._parts[(code, comp.key)] = (
                    self._score_component(ind, comp, warnings),
                    tuple(warnings),
                )
            self._scores[code] = self._score_indicator(ind)
            if code in self._readers:
                facts = self._facts(code)
                if facts != self._seen.get(code):
                    self._seen[code] = facts
                    todo |= self._readers[code]
        self._report = self._assemble()
        return self._report

    def _facts(self, code: str) -> tuple[object, ...]:
        """What the components reading an indicator read of it."""
        kinds = self._read_kinds[code]
        return (
            self._duplicate_keys(code) if "duplicates" in kinds else None,
            self._record_items(code) if "items" in kinds else None,
            self._qualified_items(code) if "qualified" in kinds else None,
        )

    # --- scoring ---------------------------------------------------------------

    def _score_indicator(self, ind: Indicator) -> IndicatorScore:
        """An indicator from its components' scores, with its gate applied."""
        parts = [self._parts[(ind.code, comp.key)] for comp in ind.components]
        comps = [score for score, _ in parts]
        warnings = tuple(w for _, raised in parts for w in raised)
        if any(c.gate for c in ind.components):
            own = {c.key: c for c in comps}
            comps = [
                self._gated(score, comp.gate.reason, missing=comp.gate.reason)
                if comp.gate is not None and not own[comp.gate.component].counted_ids
                else score
                for comp, score in zip(ind.components, comps, strict=True)
            ]
        if ind.gate is not None:
            gate = next(c for c in comps if c.key == ind.gate.component)
            if not gate.counted_ids:
                comps = [self._gated(c, ind.gate.reason) for c in comps]
        return IndicatorScore(ind.code, ind.name, ind.max, tuple(comps), warnings)

    def _gated(self, comp: ComponentScore, reason: str, missing: str = "") -> ComponentScore:
        lost = comp.max if self.clock.final else comp.lost
        return ComponentScore(
            comp.indicator,
            comp.key,
            comp.label,
            comp.max,
            0,
            lost,
            (*comp.reasons, reason),
            comp.record_ids,
            comp.counted_ids,
            comp.month_records,
            comp.month_qualifying,
            comp.quarter_earned,
            comp.qualified_items,
            comp.planned,
            missing or comp.missing,
        )

    def _score_component(
        self, ind: Indicator, comp: Component, warnings: list[str]
    ) -> ComponentScore:
        records = list(self._view[ind.code][comp.key].values())
        qualifying, rejected = check_records(comp, records, self._duplicate_keys)
        item_rejects = find_item_rejects(
            comp, records, qualifying, self._record_items, self._qualified_items
        )
        inp = RuleInput(self.catalog, comp, self.clock, qualifying, rejected, item_rejects)
        result = RULES[comp.rule](inp)
        counted = qualifying
        if item_rejects:
            counted = [r for r in qualifying if normal_item(r.item) not in item_rejects]
        code = self.catalog.display_code(ind.code)
        if comp.warn_quarter_end:
            warnings += quarter_end_warnings(self.catalog, self.year, code, counted)
        if comp.warn_without:
            have = self._record_items(comp.warn_without)
            warnings += missing_item_warnings(self.catalog, code, comp, result.items, have)
        if comp.warn_nested_items:
            warnings += nested_item_warnings(self.catalog, code, result.items)
        return ComponentScore(
            indicator=ind.code,
            key=comp.key,
            label=comp.label,
            max=comp.points,
            earned=result.earned,
            lost=result.lost,
            reasons=tuple(result.reasons),
            record_ids=tuple(r.id for r in records),
            counted_ids=tuple(r.id for r in counted),
            month_records=per_month(records),
            month_qualifying=per_month(counted),
            quarter_earned=result.quarter_earned,
            qualified_items=frozenset(result.items),
            planned=len(self._planned.get((ind.code, comp.key), ())),
        )

    def _duplicate_keys(self, code: str) -> DuplicateKeys:
        """An indicator's (date, folded title) keys and attachment digests, until it changes."""
        found = self._duplicates.get(code)
        if found is None:
            keys: set[tuple[date, str]] = set()
            hashes: set[str] = set()
            for other in self._indicator_records(code):
                keys.add((other.date, other.title.strip().casefold()))
                hashes.update(other.attachments)
            found = self._duplicates[code] = (frozenset(keys), frozenset(hashes))
        return found

    def _record_items(self, code: str) -> frozenset[str]:
        """The normalised items of an indicator's records in view, kept until they change."""
        found = self._items.get(code)
        if found is None:
            found = self._items[code] = frozenset(
                normal_item(r.item) for r in self._indicator_records(code)
            )
        return found

    def _qualified_items(self, code: str) -> frozenset[str]:
        """The items that qualify in an indicator (any component)."""
        return frozenset(i for c in self._scores[code].components for i in c.qualified_items)

    def _indicator_records(self, code: str) -> Iterable[Evidence]:
        for recs in self._view[code].values():
            yield from recs.values()

    def _assemble(self) -> ScoreReport:
        cats = []
        for cat in self.catalog.categories:
            inds = [s for s in self._scores.values() if s.category_code == cat.code]
            cats.append(
                CategoryScore(
                    cat.code,
                    cat.numeral,
                    cat.name,
                    cat.max,
                    sum(i.earned for i in inds),
                    sum(i.lost for i in inds),
                )
            )
        indicators = tuple(self._scores[ind.code] for ind in self.catalog.indicators)
        warnings = []
        if self._late:
            warnings.append(
                f"{len(self._late)} 条记录的日期晚于截至日期 {self.as_of.isoformat()}，暂不计分"
            )
        if self._other_year:
            warnings.append(f"{len(self._other_year)} 条记录不在 {self.year} 年度内，不计分")
        return ScoreReport(
            year=self.year,
            as_of=self.as_of,
            final=self.clock.final,
            projected=self.projected,
            max=self.catalog.total,
            categories=tuple(cats),
            indicators=indicators,
            warnings=tuple(warnings),
        )
