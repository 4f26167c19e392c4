"""One function per rule kind: from a component's records to its score.

Each rule receives the records of one component that are *in view* (the
assessment year, dated on or before as-of, delivered — or planned too in the
projection), already split into those that qualify and those that do not,
and returns earned/lost halves with Chinese reasons. ``engine`` does the
splitting, the cross-indicator conditions and the sums.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from credit_tui.scoring.catalog import Catalog, Component
from credit_tui.scoring.dates import QUARTER_NAMES, quarter_of
from credit_tui.scoring.plain import field, record
from credit_tui.scoring.points import Halves, fmt
from credit_tui.scoring.record import Evidence, normal_item


@record
class Clock:
    """Which periods have ended as of the scoring date."""

    year: int
    final: bool
    months_ended: tuple[bool, ...]
    """Index 0 = January: the month ended before as-of (all ended in the final view)."""
    quarters_ended: tuple[bool, ...]


@record(frozen=False)
class RuleInput:
    """What a rule sees of one component."""

    catalog: Catalog
    component: Component
    clock: Clock
    qualifying: list[Evidence]
    rejected: list[tuple[Evidence, str]]
    """Records in view that fail a record condition, with the reason."""
    item_rejects: dict[str, str] = field(default_factory=dict)
    """Per-item rules: normalised item → why it does not qualify."""


@record(frozen=False)
class RuleResult:
    """What a rule returns."""

    earned: Halves
    lost: Halves
    reasons: list[str]
    quarter_earned: tuple[Halves, ...] = (0, 0, 0, 0)
    items: dict[str, str] = field(default_factory=dict)
    """Per-item rules: normalised item → its display name, for the items that qualify."""


Rule = Callable[[RuleInput], RuleResult]


def _final_lost(inp: RuleInput, earned: Halves) -> Halves:
    """Outside per-period rules, nothing is lost before the final view."""
    return inp.component.points - earned if inp.clock.final else 0


def _rejected_reasons(inp: RuleInput) -> list[str]:
    """Why records did not count: by item where the rule counts items, else by reason."""
    if inp.component.uses_item:
        counted = {normal_item(r.item) for r in inp.qualifying}
        by_item: dict[str, str] = {}
        for rec, why in sorted(inp.rejected, key=lambda p: (p[0].date, p[0].id)):
            key = normal_item(rec.item)
            if key not in counted:
                by_item.setdefault(key, f"{rec.item.strip()}：{why}，不计分")
        return list(by_item.values())
    counts: dict[str, int] = {}
    for _, why in sorted(inp.rejected, key=lambda p: (p[0].date, p[0].id)):
        counts[why] = counts.get(why, 0) + 1
    return [f"{n} 条记录{why}，不计分" for why, n in counts.items()]


def flag(inp: RuleInput) -> RuleResult:
    """Earns the points once one qualifying record exists."""
    comp = inp.component
    if inp.qualifying:
        first = min(inp.qualifying, key=lambda r: (r.date, r.id))
        earned = comp.points
        reasons = [f"已有 {len(inp.qualifying)} 条佐证（最早 {first.date.isoformat()}）"]
    else:
        earned = 0
        reasons = ["尚无佐证材料" if not inp.rejected else "尚无符合要求的佐证材料"]
    return RuleResult(earned, _final_lost(inp, earned), reasons + _rejected_reasons(inp))


def staff(inp: RuleInput) -> RuleResult:
    """min(quantity, cap) of the latest-dated record; among equals, the largest."""
    comp = inp.component
    cap = comp.staff_cap or 0
    counted = [r for r in inp.qualifying if r.quantity is not None]
    if not counted:
        reasons = ["尚无专班人数记录"]
        return RuleResult(0, _final_lost(inp, 0), reasons + _rejected_reasons(inp))
    latest = max(counted, key=lambda r: (r.date, r.quantity or 0))
    people = latest.quantity or 0
    earned = min(people, cap) * 2
    reason = f"专班 {people} 人（{latest.date.isoformat()}）"
    if people < cap:
        reason += f"，少 {cap - people} 人扣 {cap - people} 分"
    return RuleResult(earned, _final_lost(inp, earned), [reason, *_rejected_reasons(inp)])


def per_quarter(inp: RuleInput) -> RuleResult:
    """``each`` per record in each quarter, at most ``quarter_cap`` a quarter, max a year."""
    comp = inp.component
    each, cap = comp.each or 0, comp.quarter_cap or 0
    counts = [0, 0, 0, 0]
    for rec in inp.qualifying:
        counts[quarter_of(rec.date) - 1] += 1
    q_earned = tuple(min(cap, each * n) for n in counts)
    earned = min(comp.points, sum(q_earned))
    ended = inp.clock.quarters_ended
    banked = sum(q for q, done in zip(q_earned, ended, strict=True) if done)
    open_quarters = sum(1 for done in ended if not done)
    potential = min(comp.points, banked + cap * open_quarters)
    reasons: list[str] = []
    for q, (n, got, done) in enumerate(zip(counts, q_earned, ended, strict=True)):
        name = QUARTER_NAMES[q]
        if got >= cap:
            reasons.append(f"{name} {n} 条，得 {fmt(got)} 分")
        elif done:
            short = cap - got
            if n:
                reasons.append(f"{name}仅 {n} 条，少 {fmt(short)} 分")
            elif any(quarter_of(r.date) == q + 1 for r, _ in inp.rejected):
                reasons.append(f"{name}无符合要求的记录，失 {fmt(short)} 分")
            else:
                reasons.append(f"{name}无记录，失 {fmt(short)} 分")
        elif n:
            reasons.append(f"{name}已有 {n} 条，得 {fmt(got)} 分（本季度最多 {fmt(cap)} 分）")
    if not reasons:
        reasons.append("尚无记录")
    return RuleResult(earned, comp.points - potential, reasons + _rejected_reasons(inp), q_earned)


def monthly(inp: RuleInput) -> RuleResult:
    """Every completed month from the start month has a record."""
    comp = inp.component
    start = comp.schedule.start_month
    covered = [False] * 12
    for rec in inp.qualifying:
        covered[rec.date.month - 1] = True
    completed = [m for m in range(start, 13) if inp.clock.months_ended[m - 1]]
    missing = [m for m in completed if not covered[m - 1]]
    if missing:
        earned, lost = 0, comp.points
        reasons = [f"{'、'.join(f'{m} 月' for m in missing)}缺台账，本项失分"]
    elif completed:
        earned, lost = comp.points, 0
        span = f"{start} 月" if completed[-1] == start else f"{start}–{completed[-1]} 月"
        reasons = [f"{span}台账齐全"]
    else:
        earned, lost = 0, _final_lost(inp, 0)
        reasons = [f"尚无已结束的月份（自 {start} 月起逐月记录）"]
    return RuleResult(earned, lost, reasons + _rejected_reasons(inp))


def _items(inp: RuleInput) -> tuple[dict[str, str], dict[str, list[Evidence]]]:
    """Qualifying records grouped by normalised item (first spelling kept for display)."""
    names: dict[str, str] = {}
    groups: dict[str, list[Evidence]] = {}
    for rec in sorted(inp.qualifying, key=lambda r: (r.date, r.id)):
        key = normal_item(rec.item)
        names.setdefault(key, rec.item.strip())
        groups.setdefault(key, []).append(rec)
    return names, groups


def _item_reject_reasons(inp: RuleInput, names: dict[str, str]) -> list[str]:
    """Items refused by an item condition, in the order the items were first recorded."""
    order = [k for k in names if k in inp.item_rejects]
    order += sorted(k for k in inp.item_rejects if k not in names)
    return [f"{names.get(key, key)}：{inp.item_rejects[key]}，不计分" for key in order]


def per_item(inp: RuleInput) -> RuleResult:
    """``each`` per distinct qualifying item, capped at the component's points."""
    comp = inp.component
    each = comp.each or 0
    names, _ = _items(inp)
    good = {k: v for k, v in names.items() if k not in inp.item_rejects}
    earned = min(comp.points, each * len(good))
    reasons = [f"{name} +{fmt(each)}" for name in good.values()]
    if each * len(good) > comp.points:
        reasons.append(f"已达上限 {fmt(comp.points)} 分")
    if not names and not inp.rejected:
        reasons.append(f"尚无{comp.item_label}记录")
    reasons += _item_reject_reasons(inp, names) + _rejected_reasons(inp)
    return RuleResult(earned, _final_lost(inp, earned), reasons, items=good)


def _kind_names(inp: RuleInput, group: str) -> str:
    kinds = inp.catalog.vocabulary.kinds
    return "或".join(kinds[k] for k in group.split("|"))


def _missing(inp: RuleInput, records: Sequence[Evidence]) -> list[str]:
    have = {r.kind for r in records}
    return [g for g in inp.component.materials if not have.intersection(g.split("|"))]


def materials(inp: RuleInput) -> RuleResult:
    """Earns the points when the records together cover every required material kind."""
    comp = inp.component
    missing = _missing(inp, inp.qualifying)
    if missing:
        earned = 0
        reasons = [f"缺：{'、'.join(_kind_names(inp, g) for g in missing)}"]
    else:
        earned = comp.points
        reasons = [f"材料齐全（{len(inp.qualifying)} 份）"]
    return RuleResult(earned, _final_lost(inp, earned), reasons + _rejected_reasons(inp))


def items_with_materials(inp: RuleInput) -> RuleResult:
    """``each`` per distinct item whose own records cover the material set."""
    comp = inp.component
    each = comp.each or 0
    names, groups = _items(inp)
    good: dict[str, str] = {}
    reasons: list[str] = []
    for key, recs in groups.items():
        missing = _missing(inp, recs)
        if missing:
            reasons.append(f"{names[key]}：缺 {'、'.join(_kind_names(inp, g) for g in missing)}")
        else:
            good[key] = names[key]
            reasons.append(f"{names[key]}：材料齐全 +{fmt(each)}")
    earned = min(comp.points, each * len(good))
    if each * len(good) > comp.points:
        reasons.append(f"已达上限 {fmt(comp.points)} 分")
    if not groups:
        reasons.append(f"尚无{comp.item_label}记录")
    return RuleResult(
        earned, _final_lost(inp, earned), reasons + _rejected_reasons(inp), items=good
    )


def item_set(inp: RuleInput) -> RuleResult:
    """Earns the points when the distinct items cover the required set."""
    comp = inp.component
    names, _ = _items(inp)
    missing = [i for i in comp.required_items if normal_item(i) not in names]
    if missing:
        earned = 0
        reasons = [f"缺 {'、'.join(missing)}"]
    else:
        earned = comp.points
        reasons = [f"{'、'.join(comp.required_items)}均已建立"]
    return RuleResult(
        earned, _final_lost(inp, earned), reasons + _rejected_reasons(inp), items=names
    )


RULES: dict[str, Rule] = {
    "flag": flag,
    "staff": staff,
    "per_quarter": per_quarter,
    "monthly": monthly,
    "per_item": per_item,
    "materials": materials,
    "items_with_materials": items_with_materials,
    "item_set": item_set,
}
