"""The deadline calendar: every component's dated occurrences and their status.

``occurrence_specs`` expands the catalog's schedules for a year (every month or
quarter end for the recurring ones); ``occurrences`` gives each its status as of the
report's date (SPEC section 7). Queries by date range and department are plain
filters over the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from credit_tui.scoring.catalog import Catalog, Component, Indicator
from credit_tui.scoring.dates import QUARTER_NAMES, mmdd, month_end
from credit_tui.scoring.plain import record
from credit_tui.scoring.points import Halves
from credit_tui.scoring.report import ComponentScore, ScoreReport

OccurrenceKind = Literal["single", "period", "final", "suggested"]


class TaskStatus(StrEnum):
    """An occurrence's status, as the clerk reads it."""

    DONE = "已完成"
    IN_PROGRESS = "进行中"
    NOT_STARTED = "未开始"
    DUE_SOON = "即将到期"
    OVERDUE = "已逾期"
    LOST = "已失分"


STATUS_ORDER = (
    TaskStatus.LOST,
    TaskStatus.OVERDUE,
    TaskStatus.DUE_SOON,
    TaskStatus.IN_PROGRESS,
    TaskStatus.NOT_STARTED,
    TaskStatus.DONE,
)
"""Worst first: a day or a department shows the first status it has."""


@record
class OccurrenceSpec:
    """A dated deadline of one component, before any evidence is looked at."""

    indicator: str
    component: str
    due: date
    kind: OccurrenceKind
    start: date
    """First day of the period this occurrence asks about."""
    label: str
    """``"第二季度"``, ``"5 月"``, ``"建议"`` or ``""``."""
    departments: tuple[str, ...]

    @property
    def months(self) -> range:
        """Month numbers (1–12) the period covers."""
        return range(self.start.month, self.due.month + 1)


@record
class Occurrence:
    """An occurrence with its status as of a date."""

    spec: OccurrenceSpec
    status: TaskStatus
    at_stake: Halves
    """Points still to win (or, once lost, the points lost) by this deadline."""
    records: int
    """Records in view in the occurrence's period."""
    planned: int
    """Planned records of the component (what-if)."""
    missing: str = ""
    """What must come first before the component can earn (a component gate), else empty."""

    @property
    def due(self) -> date:
        """The deadline."""
        return self.spec.due

    @property
    def open(self) -> bool:
        """Not done and not lost: something can still be done about it."""
        return self.status not in (TaskStatus.DONE, TaskStatus.LOST)


def occurrence_specs(catalog: Catalog, year: int) -> list[OccurrenceSpec]:
    """Every dated occurrence of every component in ``year``, by due date then catalog order."""
    specs: list[OccurrenceSpec] = []
    for ind in catalog.indicators:
        for comp in ind.components:
            specs += _component_specs(ind, comp, year)
    order = {
        (i.code, c.key): n
        for n, (i, c) in enumerate((i, c) for i in catalog.indicators for c in i.components)
    }
    specs.sort(key=lambda s: (s.due, order[(s.indicator, s.component)], s.kind))
    return specs


def _component_specs(ind: Indicator, comp: Component, year: int) -> list[OccurrenceSpec]:
    sched = comp.schedule
    final = mmdd(year, sched.final) if sched.final else None
    dated: list[tuple[date, OccurrenceKind, str, date | None]] = []
    if sched.every == "month":
        for end in _month_ends(year, sched.start_month, 1):
            dated.append((end, "period", f"{end.month} 月", end.replace(day=1)))
    elif sched.every == "quarter":
        for end in _month_ends(year, 3, 3):
            if final is None or end <= final:
                q = (end.month - 1) // 3
                dated.append((end, "period", QUARTER_NAMES[q], date(year, 3 * q + 1, 1)))
    if final is not None:
        dated.append((final, "final", "", None))
    elif dated and comp.rule not in ("per_quarter", "monthly"):
        # quarterly reminders of a whole-year rule: the last one is the deadline for the points
        end, _, label, start = dated[-1]
        dated[-1] = (end, "final", label, start)
    dated += [(mmdd(year, d), "single", "", None) for d in sched.due]
    dated += [(mmdd(year, d), "suggested", "建议", None) for d in sched.suggested]
    dated.sort(key=lambda t: t[0])
    specs = []
    previous_end = date(year, 1, 1) - timedelta(days=1)
    for due, kind, label, start in dated:
        if start is None:
            start = date(year, 1, 1) if kind != "suggested" else previous_end + timedelta(days=1)
        specs.append(OccurrenceSpec(ind.code, comp.key, due, kind, start, label, comp.departments))
        previous_end = due
    return specs


def _month_ends(year: int, first_month: int, step: int) -> list[date]:
    """The last days of ``first_month`` and every ``step``-th month after it, to December."""
    return [month_end(year, month) for month in range(first_month, 13, step)]


def occurrences(
    catalog: Catalog,
    report: ScoreReport,
    *,
    due_soon_days: int | None = None,
    specs: Iterable[OccurrenceSpec] | None = None,
) -> list[Occurrence]:
    """Every occurrence of the report's year with its status as of ``report.as_of``."""
    soon = catalog.due_soon_days if due_soon_days is None else due_soon_days
    specs = occurrence_specs(catalog, report.year) if specs is None else specs
    scores = {(c.indicator, c.key): c for ind in report.indicators for c in ind.components}
    result = []
    for spec in specs:
        comp = catalog.by_code[spec.indicator].component(spec.component)
        result.append(_status(spec, comp, scores[(spec.indicator, spec.component)], report, soon))
    return result


def _status(
    spec: OccurrenceSpec, comp: Component, score: ComponentScore, report: ScoreReport, soon: int
) -> Occurrence:
    as_of = report.as_of
    in_period = sum(score.month_records[m - 1] for m in spec.months)
    qualifying = sum(score.month_qualifying[m - 1] for m in spec.months)
    full = score.earned >= score.max
    ended = report.final or spec.due < as_of
    if comp.rule == "per_quarter" and spec.kind == "period":
        got = score.quarter_earned[spec.due.month // 3 - 1]
        need = comp.quarter_cap or 0
        done = got >= need or full
        lost = ended and not done
        at_stake = need - got
    elif comp.rule == "monthly" and spec.kind == "period":
        done = qualifying > 0
        lost = ended and not done
        at_stake = score.max if not score.lost or lost else 0
    else:
        # a reminder (a quarterly check or a suggested date) asks for activity in its
        # period; the single or final deadline asks for the component's full points
        periodic = spec.kind in ("period", "suggested")
        done = full or (periodic and qualifying > 0)
        lost = report.final and not done and score.lost > 0
        at_stake = score.max - score.earned
        in_period = in_period if periodic else len(score.record_ids)
    if done:
        status = TaskStatus.DONE
    elif lost:
        status = TaskStatus.LOST
    elif spec.due < as_of and spec.kind != "suggested":
        status = TaskStatus.OVERDUE
    elif as_of <= spec.due <= as_of + timedelta(days=soon):
        status = TaskStatus.DUE_SOON
    elif in_period:
        status = TaskStatus.IN_PROGRESS
    else:
        status = TaskStatus.NOT_STARTED
    missing = "" if done else score.missing
    return Occurrence(spec, status, at_stake, in_period, score.planned, missing)


def between(occs: Iterable[Occurrence], start: date, end: date) -> list[Occurrence]:
    """Occurrences due from ``start`` to ``end`` inclusive."""
    return [o for o in occs if start <= o.due <= end]


def for_department(occs: Iterable[Occurrence], department: str) -> list[Occurrence]:
    """Occurrences the department shares responsibility for."""
    return [o for o in occs if department in o.spec.departments]


def with_status(occs: Iterable[Occurrence], *statuses: TaskStatus) -> list[Occurrence]:
    """Occurrences in any of these statuses."""
    wanted = set(statuses)
    return [o for o in occs if o.status in wanted]


def next_due(occs: Iterable[Occurrence], indicator: str, component: str) -> Occurrence | None:
    """The component's first open occurrence (overdue ones first), or ``None``."""
    mine = [o for o in occs if o.spec.indicator == indicator and o.spec.component == component]
    return next((o for o in mine if o.open), None)


def worst(statuses: Iterable[TaskStatus]) -> TaskStatus | None:
    """The worst status among these (LOST before OVERDUE before …)."""
    present = set(statuses)
    return next((s for s in STATUS_ORDER if s in present), None)


@record
class DepartmentLoad:
    """How much one department still owes."""

    department: str
    items: int
    """Occurrences the department shares."""
    open: int
    """Not done and not lost."""
    overdue: int
    lost: int


def department_loads(
    occs: Iterable[Occurrence], departments: Iterable[str]
) -> list[DepartmentLoad]:
    """Per department: shared, open, overdue and lost occurrences (catalog order)."""
    occs = list(occs)
    loads = []
    for dept in departments:
        mine = [o for o in occs if dept in o.spec.departments]
        loads.append(
            DepartmentLoad(
                dept,
                len(mine),
                sum(1 for o in mine if o.open),
                sum(1 for o in mine if o.status is TaskStatus.OVERDUE),
                sum(1 for o in mine if o.status is TaskStatus.LOST),
            )
        )
    return loads
