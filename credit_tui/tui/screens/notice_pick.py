"""督办通知 from the palette: pick a department that has overdue or due-soon tasks (or all of
them), then write ``导出/督办通知-<单位>.docx`` in a worker."""

from __future__ import annotations

from typing import Any

from textual.app import App

from credit_tui.errors import UserFacingError
from credit_tui.tui.host import host

ALL = "全部单位"


def choose_notice(app: App[Any]) -> None:
    """Offer the departments with something due, each with its count; then export."""
    from credit_tui.reports.notice import notice_for

    bench = host(app).bench
    catalog, report, occs = bench.catalog, bench.report, bench.occurrences
    tasks = bench.key_task_occurrences()
    counts = {
        dept: len(notice_for(catalog, report, occs, dept, bench.store, tasks).items)
        for dept in catalog.departments
    }
    due = [d for d in catalog.departments if counts[d]]
    if not due:
        app.notify("没有单位有已逾期或即将到期的任务，无需督办", severity="warning")
        return
    choices = [
        (f"{dept}（{counts[dept]} 项）", lambda d=dept: _export(app, d), "生成该单位的督办通知")
        for dept in due
    ]
    choices.append((f"{ALL}（{len(due)} 份）", lambda: _export(app, None), "每个单位一份"))
    app.search_commands(choices, placeholder="选择督办通知的单位…")


def _export(app: App[Any], department: str | None) -> None:
    from credit_tui.reports.notice import export_all_notices, export_notice, notice_file_name

    bench = host(app).bench
    folder = bench.exports_dir

    def work() -> None:
        try:
            if department is None:
                written = export_all_notices(bench.store, folder, as_of=bench.as_of)
                message = f"已生成 {len(written)} 份督办通知：{folder}"
            else:
                out = folder / notice_file_name(department)
                export_notice(bench.store, department, out, as_of=bench.as_of)
                message = f"已导出：{out}"
        except (UserFacingError, OSError) as exc:
            app.call_from_thread(app.notify, str(exc), title="导出失败", severity="error")
            return
        app.call_from_thread(app.notify, message, title="导出督办通知")

    app.run_worker(work, thread=True, group="export", exclusive=False)
