"""时间节点日历: every deadline of the year as an all-day item for the office calendar.

``export_ics`` writes one all-day VEVENT per occurrence of the campaign year (the
catalog's schedules, ``occurrence_specs``), then one per 重点任务 check (marked
重点任务（不计分）, no points), with the departments, the points at stake
and the table's wording of the deadline in its description, and a reminder some days
before. Each item's UID is derived from (year, indicator, component, due date), so
importing a newer export into the same calendar updates the items instead of
duplicating them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from credit_tui.interchange.sheets import write_atomically
from credit_tui.reports import key_task_docs as ktd
from credit_tui.reports.package import ExportRefused
from credit_tui.scoring.calendar import OccurrenceSpec, occurrence_specs
from credit_tui.scoring.catalog import Catalog, Component
from credit_tui.scoring.key_tasks import KeyTaskOccurrence, key_task_occurrences
from credit_tui.scoring.points import fmt
from credit_tui.store.database import Store

PRODID = "-//credit-tui//信用交通县创建工作台//ZH"
CALNAME = "信用交通县创建时间节点 {year}"
_KIND_NOTES = {"suggested": "（建议时间）", "final": "（最终期限）"}


def export_ics(store: Store, out: Path, *, remind_days: int = 7) -> int:
    """Write the year's deadlines to ``out`` (``.ics``); returns the number of items.

    ``remind_days``: the reminder comes that many days before each deadline; 0 means
    no reminder. ``InterchangeError`` (in Chinese) for a target that is not ``.ics``.
    """
    out = Path(out)
    if out.suffix.lower() != ".ics":
        raise ExportRefused(f"{out}：不支持的文件类型“{out.suffix}”，日历应为 .ics 文件")
    if remind_days < 0:
        raise ExportRefused(f"提前提醒天数应为 0 或正整数，而不是 {remind_days}")
    if out.is_dir():
        raise ExportRefused(f"{out}：已有同名文件夹，不能写成日历文件")
    catalog = store.catalog
    year = store.campaign.year
    cal = build_calendar(
        catalog,
        year,
        remind_days=remind_days,
        stamp=store.clock().astimezone(UTC),
        organisation=store.campaign.organisation,
    )
    data = cal.to_ical()
    write_atomically(out, lambda tmp: tmp.write_bytes(data))
    return len(cal.events)


def build_calendar(
    catalog: Catalog,
    year: int,
    *,
    remind_days: int = 7,
    stamp: datetime,
    organisation: str = "",
) -> Calendar:
    """The calendar of ``year``'s occurrences (``stamp``: the DTSTAMP of every event, UTC)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALNAME.format(year=year))
    cal.add("x-wr-caldesc", f"{organisation or catalog.organisation}信用交通县创建工作时间节点")
    seen: set[str] = set()
    for spec in occurrence_specs(catalog, year):
        event = _event(catalog, year, spec, remind_days=remind_days, stamp=stamp)
        uid = str(event["uid"])
        if uid in seen:  # two deadlines of one component on one day: tell them apart
            uid = uid.replace("@", f"-{spec.kind}@", 1)
            event["uid"] = uid
        seen.add(uid)
        cal.add_component(event)
    for occ in key_task_occurrences(catalog, year, (), date(year, 1, 1)):
        cal.add_component(_key_task_event(year, occ, remind_days=remind_days, stamp=stamp))
    return cal


def _key_task_event(
    year: int, occ: KeyTaskOccurrence, *, remind_days: int, stamp: datetime
) -> Event:
    """A 重点任务 check (never scored) as an all-day item, marked 重点任务（不计分）."""
    title = ktd.ics_summary(occ)
    event = Event()
    event.add("uid", ktd.ics_uid(year, occ))
    event.add("dtstamp", stamp)
    event.add("dtstart", occ.due)
    event.add("dtend", occ.due + timedelta(days=1))
    event.add("summary", title)
    event.add("description", ktd.ics_description(occ))
    event.add("categories", [ktd.MARK])
    event.add("transp", "TRANSPARENT")
    if remind_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{title}：{remind_days} 天后到期（{occ.due.isoformat()}）")
        alarm.add("trigger", timedelta(days=-remind_days))
        event.add_component(alarm)
    return event


def occurrence_uid(year: int, spec: OccurrenceSpec) -> str:
    """The item's stable identity: the same deadline gets the same UID in every export."""
    return f"{year}-{spec.indicator}-{spec.component}-{spec.due:%m%d}@credit-tui"


def summary(catalog: Catalog, spec: OccurrenceSpec) -> str:
    """``"一、4 领导小组季度研究及专题学习（第二季度）"``."""
    comp = catalog.by_code[spec.indicator].component(spec.component)
    text = f"{catalog.display_code(spec.indicator)} {comp.label}"
    if spec.kind == "suggested":
        return text + _KIND_NOTES["suggested"]
    if spec.label:
        return f"{text}（{spec.label}）"
    return text + _KIND_NOTES.get(spec.kind, "")


def _points(comp: Component, spec: OccurrenceSpec) -> str:
    """The points at stake, as the description says them."""
    extra = "（加分项）" if comp.bonus else ""
    if comp.rule == "per_quarter" and spec.kind == "period" and comp.quarter_cap is not None:
        return f"本季度 {fmt(comp.quarter_cap)} 分（全年最高 {fmt(comp.points)} 分）{extra}"
    if comp.rule == "monthly":
        return f"{fmt(comp.points)} 分（每月须有记录，缺任一已过月份即不得分）{extra}"
    return f"{fmt(comp.points)} 分{extra}"


def description(catalog: Catalog, spec: OccurrenceSpec) -> str:
    """Indicator, departments, points and the table's wording of the deadline."""
    ind = catalog.by_code[spec.indicator]
    comp = ind.component(spec.component)
    lines = [
        f"指标：{catalog.display_code(ind.code)} {ind.name}",
        f"事项：{comp.label}" + (f"（{spec.label}）" if spec.label else ""),
        f"责任单位：{'、'.join(spec.departments)}",
        f"分值：{_points(comp, spec)}",
        f"时间节点：{comp.schedule.text}",
    ]
    if spec.kind == "suggested":
        lines.append("说明：建议时间，不计逾期")
    if spec.kind in ("period", "suggested"):
        lines.append(f"所属期间：{spec.start.isoformat()} 至 {spec.due.isoformat()}")
    return "\n".join(lines)


def _event(
    catalog: Catalog, year: int, spec: OccurrenceSpec, *, remind_days: int, stamp: datetime
) -> Event:
    title = summary(catalog, spec)
    category = catalog.categories_by_code[catalog.by_code[spec.indicator].category_code]
    event = Event()
    event.add("uid", occurrence_uid(year, spec))
    event.add("dtstamp", stamp)
    event.add("dtstart", spec.due)
    event.add("dtend", spec.due + timedelta(days=1))
    event.add("summary", title)
    event.add("description", description(catalog, spec))
    event.add("categories", [category.title])
    event.add("transp", "TRANSPARENT")
    if remind_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{title}：{remind_days} 天后到期（{spec.due.isoformat()}）")
        alarm.add("trigger", timedelta(days=-remind_days))
        event.add_component(alarm)
    return event
