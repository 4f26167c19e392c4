"""重点任务 (never scored) in the meeting report's HTML and Markdown (SPEC 11)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from credit_tui.reports.meeting import gather, render_html, render_markdown
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store

HEADING = "重点任务（不计分）：已逾期 24 项，即将到期 0 项"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = build_demo(tmp_path / "demo.db")
    yield store
    store.close()


def test_meeting_report_lists_key_task_checks_without_points(demo: Store) -> None:
    m = gather(demo, DEMO_TODAY)
    # no key-task record in the demo: at 7-15, （三）（六） January–June (2 × 6 = 12) and
    # （一）（二）（四）（五）（七）（八） Q1–Q2 (6 × 2 = 12) are overdue; nothing due by 7-29
    assert len(m.key_tasks) == 24
    html, text = render_html(m), render_markdown(m)
    assert f"<h2>{HEADING}</h2>" in html and f"## {HEADING}" in text
    rows = [line for line in text.splitlines() if line.startswith("| 1月31日 | （")]
    assert rows == [
        "| 1月31日 | （三）加强信用信息归集共享（“双公示”）（1 月） "
        "| 政务服务大厅交通窗口、执法大队、法规科 | 已逾期 | 不计分 |",
        "| 1月31日 | （六）加强事后信用奖惩（红黑名单推送公示、异议处理）（1 月） "
        "| 执法大队、法规科 | 已逾期 | 不计分 |",
    ]
    # the score is untouched: the total still out of 100
    assert m.report.max == 200  # halves


def test_a_check_due_soon_is_listed(demo: Store) -> None:
    # （九）专项治理 is due 10-31; as of 10-20 it is due soon (within 14 days)
    m = gather(demo, date(2024, 10, 20))
    assert any(o.task.numeral == "九" for o in m.key_tasks)
    assert "即将到期 " in render_markdown(m)
