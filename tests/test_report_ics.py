"""时间节点日历 (``export ics``): read back with icalendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from credit_tui.cli.entry import main
from credit_tui.interchange.evidence import InterchangeError
from credit_tui.reports.ics import export_ics
from credit_tui.scoring.calendar import occurrence_specs
from credit_tui.service.demo import build_demo
from credit_tui.store.database import Store

SCORED_2024 = 53
KEY_TASK_CHECKS_2024 = 12 + 12 + 5 * 4 + 4 + 1
"""（三）（六） monthly 12 each; （一）（二）（四）（五）（七） quarterly 4 each; （八） three
quarters then its 11-30 final; （九） once on 10-31: 49."""
OCCURRENCES_2024 = SCORED_2024 + KEY_TASK_CHECKS_2024


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = build_demo(tmp_path / "store" / "demo.db")
    yield s
    s.close()


def _read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def _events(path: Path) -> list[Event]:
    return list(_read(path).walk("VEVENT"))


def _by_uid(path: Path) -> dict[str, Event]:
    return {str(e["UID"]): e for e in _events(path)}


def test_every_occurrence_is_an_all_day_event(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "时间节点.ics"
    assert export_ics(store, out) == OCCURRENCES_2024
    assert len(occurrence_specs(store.catalog, 2024)) == SCORED_2024
    cal = _read(out)
    assert str(cal["PRODID"]) == "-//credit-tui//信用交通县创建工作台//ZH"
    assert str(cal["X-WR-CALNAME"]) == "信用交通县创建时间节点 2024"
    assert str(cal["VERSION"]) == "2.0"
    events = _events(out)
    assert len(events) == OCCURRENCES_2024
    for event in events:
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND")
        assert isinstance(start, date) and not isinstance(start, datetime)
        assert end == start + timedelta(days=1)
        assert start.year == 2024
        text = str(event["DESCRIPTION"])
        assert "责任单位：" in text and "分值：" in text and "时间节点：" in text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(event["SUMMARY"]))
        assert str(event["UID"]).endswith("@credit-tui")
        assert "DTSTAMP" in event
    assert len({str(e["UID"]) for e in events}) == OCCURRENCES_2024


def test_summary_and_description(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "时间节点.ics"
    export_ics(store, out)
    events = _by_uid(out)
    q2 = events["2024-1.4-study-0630@credit-tui"]
    assert str(q2["SUMMARY"]) == "一、4 领导小组季度研究及专题学习（第二季度）"
    assert q2.decoded("DTSTART") == date(2024, 6, 30)
    assert q2.decoded("DTEND") == date(2024, 7, 1)
    text = str(q2["DESCRIPTION"])
    assert "责任单位：法规科、办公室" in text
    assert "分值：本季度 1 分" in text and "全年最高 4 分" in text
    assert "时间节点：每季度至少 1 次" in text
    group = events["2024-1.1-group-0430@credit-tui"]
    assert str(group["SUMMARY"]) == "一、1 领导小组"
    assert "分值：1 分" in str(group["DESCRIPTION"])
    info = events["2024-3.1-info-0930@credit-tui"]
    assert "分值：本季度 2 分" in str(info["DESCRIPTION"])
    policy = events["2024-7.1-policy-0731@credit-tui"]
    assert "分值：10 分" in str(policy["DESCRIPTION"])
    assert "责任单位：客运科、维管驾培服务科、法规科、办公室" in str(policy["DESCRIPTION"])
    assert "7 月底之前完成" in str(policy["DESCRIPTION"])
    month = events["2024-1.2-monthly-0531@credit-tui"]
    assert str(month["SUMMARY"]) == "一、2 月度工作记录/台账（5 月）"
    suggested = events["2024-5.4-activity-0630@credit-tui"]
    assert "建议" in str(suggested["SUMMARY"])


def _alarm_triggers(path: Path) -> list[list[timedelta]]:
    return [[a.decoded("TRIGGER") for a in e.walk("VALARM")] for e in _events(path)]


def test_alarms_seven_days_before_by_default(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "a.ics"
    export_ics(store, out)
    assert _alarm_triggers(out) == [[timedelta(days=-7)]] * OCCURRENCES_2024
    for event in _events(out):
        alarm = next(iter(event.walk("VALARM")))
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert "到期" in str(alarm["DESCRIPTION"])


def test_remind_days_is_honoured_and_zero_means_none(store: Store, tmp_path: Path) -> None:
    three = tmp_path / "three.ics"
    export_ics(store, three, remind_days=3)
    assert _alarm_triggers(three) == [[timedelta(days=-3)]] * OCCURRENCES_2024
    none = tmp_path / "none.ics"
    assert export_ics(store, none, remind_days=0) == OCCURRENCES_2024
    assert _alarm_triggers(none) == [[]] * OCCURRENCES_2024
    assert b"VALARM" not in none.read_bytes()


def test_reexport_keeps_the_uids(store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    export_ics(store, first)
    export_ics(store, second, remind_days=3)
    assert [str(e["UID"]) for e in _events(first)] == [str(e["UID"]) for e in _events(second)]
    once = first.read_bytes()
    export_ics(store, first)  # over the old file: replaced, not appended
    assert len(_events(first)) == OCCURRENCES_2024
    assert first.read_bytes() == once  # the same store gives the same file
    assert "2024-1.4-study-0331@credit-tui" in _by_uid(first)


def test_refuses_another_suffix(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InterchangeError, match=r"\.ics"):
        export_ics(store, tmp_path / "日历.txt")
    assert list(tmp_path.iterdir()) == [tmp_path / "store"]


def test_nothing_left_beside_the_file(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "日历.ics"
    export_ics(store, out)
    assert list(out.parent.iterdir()) == [out]


def test_cli_ics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "store" / "demo.db"
    build_demo(db).close()
    out = tmp_path / "时间节点.ics"
    base = ["--db", str(db), "--today", "2024-07-15", "export", "ics", "--out", str(out)]
    assert main(base) == 0
    assert f"已导出 {OCCURRENCES_2024} 个时间节点" in capsys.readouterr().out
    assert _alarm_triggers(out) == [[timedelta(days=-7)]] * OCCURRENCES_2024
    assert main([*base, "--remind-days", "3"]) == 0
    assert _alarm_triggers(out) == [[timedelta(days=-3)]] * OCCURRENCES_2024
    assert main([*base, "--remind-days", "0"]) == 0
    assert _alarm_triggers(out) == [[]] * OCCURRENCES_2024
    capsys.readouterr()
    bad = ["--db", str(db), "--today", "2024-07-15", "export", "ics", "--out", str(tmp_path / "x")]
    assert main(bad) == 2
    err = capsys.readouterr().err
    assert ".ics" in err and "导入" not in err


def test_key_task_checks_are_marked_and_never_scored(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "时间节点.ics"
    export_ics(store, out)
    events = _events(out)
    keyed = [e for e in events if str(e["SUMMARY"]).startswith("重点任务（不计分）")]
    assert len(keyed) == KEY_TASK_CHECKS_2024
    for event in keyed:
        text = str(event["DESCRIPTION"])
        assert "分值：不计分（重点任务不计入总分）" in text
        assert " 分" not in text.replace("不计分", "")  # no points anywhere
        assert str(event["UID"]).startswith("2024-key-")
    # the scored ones never say 不计分
    assert not any("不计分" in str(e["DESCRIPTION"]) for e in events if e not in keyed)
    # （九）专项治理 is due once, on 10-31
    nine = [e for e in keyed if "（九）" in str(e["SUMMARY"])]
    assert [e.decoded("DTSTART") for e in nine] == [date(2024, 10, 31)]
