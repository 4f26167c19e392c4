"""The rules engine: (catalog, year, records, as-of) → ``ScoreReport``.

``score`` is the pure function. ``Scorer`` keeps the records grouped by
indicator so that adding, replacing or removing one record re-scores only the
indicator it belongs to and those that read it (6.1 → 1.4, 5.3 → 3.1,
7.1 → 7.2 → 7.3, 4.2 → 4.3), and ``preview`` answers "what if" without
changing anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from .catalog import (
    Catalog,
    ChannelIn,
    ChannelNotIn,
    Component,
    Condition,
    FlagsAll,
    Indicator,
    ItemHasKind,
    ItemHasRecordIn,
    ItemQualifiesIn,
    NotDuplicateOf,
)
from .dates import QUARTER_NAMES, clamp_as_of, month_end, quarter_end
from .evidence import Evidence, normal_item
from .report import CategoryScore, ComponentScore, IndicatorScore, ScoreReport
from .rules import RULES, Clock, RuleInput

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


class Scorer:
    """Scores a changing set of records, re-scoring only what a change touches."""

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
        self._planned: dict[tuple[str, str], set[str]] = {}
        self._late: set[str] = set()
        self._other_year: set[str] = set()
        self._order = _dependency_order(catalog)
        self._scores: dict[str, IndicatorScore] = {}
        for rec in records:
            self._place(rec)
        for code in self._order:
            self._scores[code] = self._score_indicator(catalog.by_code[code])
        self._report = self._assemble()

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
        saved_scores, saved_report = dict(self._scores), self._report
        saved = {
            rid: self._records[rid]
            for rid in [*remove, *(r.id for r in add)]
            if rid in self._records
        }
        touched: set[str] = set()
        for rid in remove:
            touched |= self._unplace(rid)
        for rec in add:
            touched |= self._unplace(rec.id) | self._place(rec)
        report = self._rescore(touched)
        for rec in add:
            self._unplace(rec.id)
        for rec in saved.values():
            self._place(rec)
        self._scores, self._report = saved_scores, saved_report
        return report

    # --- placing records -------------------------------------------------------

    def _place(self, rec: Evidence) -> set[str]:
        """File a record; return the indicators whose score may change."""
        self._records[rec.id] = rec
        comps = self._view.get(rec.indicator)
        if comps is None or rec.component not in comps:
            return set()
        if rec.date.year != self.year:
            self._other_year.add(rec.id)
            return set()
        if rec.status == "planned" and not self.projected:
            self._planned.setdefault((rec.indicator, rec.component), set()).add(rec.id)
            return {rec.indicator}
        if rec.date > self.as_of:
            self._late.add(rec.id)
            return set()
        comps[rec.component][rec.id] = rec
        return {rec.indicator}

    def _unplace(self, record_id: str) -> set[str]:
        rec = self._records.pop(record_id, None)
        if rec is None:
            return set()
        self._late.discard(record_id)
        self._other_year.discard(record_id)
        planned = self._planned.get((rec.indicator, rec.component))
        if planned is not None and record_id in planned:
            planned.discard(record_id)
            return {rec.indicator}
        comps = self._view.get(rec.indicator)
        if comps and rec.component in comps and comps[rec.component].pop(record_id, None):
            return {rec.indicator}
        return set()

    def _rescore(self, touched: set[str]) -> ScoreReport:
        todo = set(touched)
        frontier = list(touched)
        while frontier:
            for dep in self.catalog.dependents(frontier.pop()):
                if dep not in todo:
                    todo.add(dep)
                    frontier.append(dep)
        for code in self._order:
            if code in todo:
                self._scores[code] = self._score_indicator(self.catalog.by_code[code])
        self._report = self._assemble()
        return self._report

    # --- scoring ---------------------------------------------------------------

    def _score_indicator(self, ind: Indicator) -> IndicatorScore:
        warnings: list[str] = []
        comps = [self._score_component(ind, comp, warnings) for comp in ind.components]
        if ind.gate is not None:
            gate = next(c for c in comps if c.key == ind.gate.component)
            if not gate.counted_ids:
                comps = [self._gated(c, ind.gate.reason) for c in comps]
        return IndicatorScore(ind.code, ind.name, ind.max, tuple(comps), tuple(warnings))

    def _gated(self, comp: ComponentScore, reason: str) -> ComponentScore:
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
        )

    def _score_component(
        self, ind: Indicator, comp: Component, warnings: list[str]
    ) -> ComponentScore:
        records = list(self._view[ind.code][comp.key].values())
        checks = [(self._predicate(cond), cond.reason) for cond in comp.record_conditions]
        qualifying: list[Evidence] = []
        rejected: list[tuple[Evidence, str]] = []
        month_records = [0] * 12
        for rec in records:
            month_records[rec.date.month - 1] += 1
            why = next((reason for ok, reason in checks if not ok(rec)), None)
            if why is None:
                qualifying.append(rec)
            else:
                rejected.append((rec, why))
        item_rejects = self._item_rejects(comp, records, qualifying)
        inp = RuleInput(self.catalog, comp, self.clock, qualifying, rejected, item_rejects)
        result = RULES[comp.rule](inp)
        counted = [r for r in qualifying if normal_item(r.item) not in item_rejects]
        month_qualifying = [0] * 12
        for rec in counted:
            month_qualifying[rec.date.month - 1] += 1
        code = self.catalog.display_code(ind.code)
        if comp.warn_quarter_end:
            warnings += self._quarter_end_warnings(code, counted)
        if comp.warn_without:
            warnings += self._missing_item_warnings(code, comp, result.items)
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
            month_records=tuple(month_records),
            month_qualifying=tuple(month_qualifying),
            quarter_earned=result.quarter_earned,
            qualified_items=frozenset(result.items),
            planned=len(self._planned.get((ind.code, comp.key), ())),
        )

    def _predicate(self, cond: Condition) -> Callable[[Evidence], bool]:
        if isinstance(cond, ChannelIn):
            allowed = frozenset(cond.channels)
            return lambda r: r.channel in allowed
        if isinstance(cond, ChannelNotIn):
            banned = frozenset(cond.channels)
            return lambda r: r.channel not in banned
        if isinstance(cond, FlagsAll):
            when, flags = cond.when, cond.flags
            return lambda r: (
                (when is not None and not getattr(r, when)) or all(getattr(r, f) for f in flags)
            )
        if isinstance(cond, NotDuplicateOf):
            keys: set[tuple[date, str]] = set()
            hashes: set[str] = set()
            for other in self._indicator_records(cond.indicator):
                keys.add((other.date, other.title.strip().casefold()))
                hashes.update(other.attachments)
            return lambda r: (
                (r.date, r.title.strip().casefold()) not in keys
                and not (hashes and hashes.intersection(r.attachments))
            )
        raise TypeError(f"不是逐条判断的条件：{cond!r}")

    def _indicator_records(self, code: str) -> Iterable[Evidence]:
        for recs in self._view[code].values():
            yield from recs.values()

    def _item_rejects(
        self, comp: Component, records: list[Evidence], qualifying: list[Evidence]
    ) -> dict[str, str]:
        """Normalised item → the reason it fails an item condition."""
        conditions = comp.item_conditions
        if not conditions:
            return {}
        rejects: dict[str, str] = {}
        items = {normal_item(r.item) for r in qualifying}
        for cond in conditions:
            if isinstance(cond, ItemHasRecordIn):
                ok = {normal_item(r.item) for r in self._indicator_records(cond.indicator)}
            elif isinstance(cond, ItemQualifiesIn):
                ok = {i for c in self._scores[cond.indicator].components for i in c.qualified_items}
            elif isinstance(cond, ItemHasKind):
                kinds = set(cond.kinds)
                ok = {normal_item(r.item) for r in records if r.kind in kinds}
            else:
                raise TypeError(f"不是按对象判断的条件：{cond!r}")
            for item in sorted(items - ok):  # sorted: the result never depends on set order
                rejects.setdefault(item, cond.reason)
        return rejects

    def _quarter_end_warnings(self, code: str, counted: list[Evidence]) -> list[str]:
        days = self.catalog.quarter_end_days
        by_quarter: dict[int, list[date]] = {}
        for rec in counted:
            by_quarter.setdefault((rec.date.month - 1) // 3, []).append(rec.date)
        warnings = []
        for q, dates in sorted(by_quarter.items()):
            cutoff = quarter_end(self.year, q + 1) - timedelta(days=days)
            if all(d > cutoff for d in dates):
                warnings.append(
                    f"{code} {QUARTER_NAMES[q]}计分的 {len(dates)} 条信息均集中在季度末最后 "
                    f"{days} 天，尽量不集中季度末最后推送"
                )
        return warnings

    def _missing_item_warnings(
        self, code: str, comp: Component, items: dict[str, str]
    ) -> list[str]:
        ref = comp.warn_without or ""
        have = {normal_item(r.item) for r in self._indicator_records(ref)}
        ref_code = self.catalog.display_code(ref)
        return [
            f"{code} {name}：“{ref_code}”中没有该{comp.item_label}的记录（原文要求以其结果为依据）"
            for key, name in items.items()
            if key not in have
        ]

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


def _dependency_order(catalog: Catalog) -> list[str]:
    """Indicator codes so that every indicator comes after those it reads."""
    order: list[str] = []
    seen: set[str] = set()
    reads: dict[str, set[str]] = {ind.code: set() for ind in catalog.indicators}
    for ind in catalog.indicators:
        for dep in catalog.dependents(ind.code):
            reads[dep].add(ind.code)

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in seen:
            return
        if code in path:
            raise ValueError(f"指标之间的引用成环：{' → '.join((*path, code))}")
        for ref in sorted(reads[code]):
            visit(ref, (*path, code))
        seen.add(code)
        order.append(code)

    for ind in catalog.indicators:
        visit(ind.code, ())
    return order
