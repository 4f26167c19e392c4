"""Command-palette providers: jump to any indicator, department or screen."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from credit_tui.tui.host import host
from credit_tui.tui.widgets.chrome import SCREENS


class JumpProvider(Provider):
    """指标 by code (4.2, 四、2, 四2) or words (``indicator_match``), 单位 by name, 界面 by name."""

    def _entries(self) -> list[tuple[str, str, object]]:
        app, shell = self.app, host(self)
        catalog = shell.bench.catalog
        entries: list[tuple[str, str, object]] = []
        for ind in catalog.indicators:
            shown = catalog.display_code(ind.code)
            labels = " ".join(c.label for c in ind.components)
            entries.append(
                (
                    f"指标 {shown} {ind.name}",
                    f"{ind.code} · {labels}",
                    partial(shell.show_indicator, ind.code),
                )
            )
        for dept in catalog.departments:
            entries.append(
                (f"单位 {dept}", "查看该单位的任务", partial(shell.show_department, dept))
            )
        for mode, label in SCREENS:
            entries.append(
                (
                    f"界面 {label.split()[1]}",
                    f"按 {label.split()[0]} 切换",
                    partial(app.switch_mode, mode),
                )
            )
        from credit_tui.tui.screens import handover

        for kind, title in handover.EXPORTS.items():
            entries.append(
                (
                    f"导出 {title}",
                    "保存到数据库旁的“导出”文件夹",
                    partial(handover.start_export, app, kind),
                )
            )
        entries.append(
            ("快照 保存得分快照", "冻结当前得分，以后可对比", partial(handover.save_snapshot, app))
        )
        entries.append(
            ("导入 导入佐证材料文件", "CSV 或 XLSX（可多个），先预览再导入", shell.open_import)
        )
        entries.append(
            ("快照 与快照对比", "在总览中显示升降", partial(shell.compare_with_snapshot))
        )
        from credit_tui.tui.screens import catalog_dialog

        entries.append(
            ("指标体系", "查看、导出或导入新的指标体系", partial(catalog_dialog.open_dialog, app))
        )
        return entries

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            if title.startswith(("界面", "导入", "导出", "快照", "指标体系")):
                yield DiscoveryHit(title, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        from credit_tui.service.indicator_match import match_indicators

        matcher = self.matcher(query)
        shell = host(self)
        for hit in match_indicators(shell.bench.catalog, query) if query.strip() else ():
            title = f"指标 {hit.shown}"  # the form's indicator field finds the same ones
            labels = " ".join(c.label for c in hit.indicator.components)
            help_text = f"{hit.indicator.code} · {labels}"
            callback = partial(shell.show_indicator, hit.indicator.code)
            yield Hit(hit.score, matcher.highlight(title), callback, text=title, help=help_text)
        for title, help_text, callback in self._entries():
            if title.startswith("指标 "):
                continue
            score = max(matcher.match(title), matcher.match(f"{title} {help_text}") * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)  # type: ignore[arg-type]
