"""The ``?`` screen: every key of the workbench, in Chinese."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("全局", (
        ("1 – 5", "切换界面：总览、任务、日历、证据、指标"),
        ("n", "录入佐证材料（按当前位置预填）"),
        ("s", "显示或隐藏得分栏"),
        ("ctrl+p", "命令面板：跳转、导入、导出、快照"),
        ("?", "本帮助"),
        ("q", "退出"),
    )),
    ("任务", (
        ("↑ ↓", "选择单位或事项"),
        ("← →", "在单位列表与事项表之间切换"),
        ("f", "按状态筛选"),
        ("/", "搜索事项"),
        ("Enter", "打开指标详情"),
    )),
    ("日历", (
        ("← →", "前一天 / 后一天"),
        ("↑ ↓", "前一周 / 后一周"),
        ("PgUp PgDn", "上个月 / 下个月"),
        ("t", "回到今天"),
        ("w", "查看当天或整周"),
        ("Enter", "打开所选节点的指标"),
        ("n", "为所选节点录入材料"),
    )),
    ("证据", (
        ("/", "按文字筛选"),
        ("g", "只看缺佐证材料（再按 g 显示全部）"),
        ("Enter", "编辑所选记录"),
        ("d", "删除所选记录（先确认）"),
        ("u", "撤销最近一次修改（可重复，导入整体撤销）"),
        ("i", "导入 CSV/XLSX 文件（先预览再写入）"),
        ("PgUp PgDn", "上一页 / 下一页（每页 200 条）"),
        ("n", "录入（按当前筛选预填指标和单位）"),
    )),
    ("指标", (
        ("← →", "上一个 / 下一个指标"),
        ("n", "为本指标录入材料"),
        ("e", "编辑所选材料"),
        ("d", "删除所选材料"),
    )),
    ("导入", (
        ("→", "补全路径中的文件夹或文件（灰字部分）"),
        ("↑ ↓ Enter", "在文件树中选文件或文件夹，显示预览"),
        ("Enter", "路径框中：先预览，再按一次导入"),
        ("Esc", "关闭，不导入"),
    )),
    ("录入", (
        ("指标框", "输入 3.1、三、1 或词语，回车选定"),
        ("Tab", "下一项"),
        ("ctrl+o", "选择附件文件（可多个）"),
        ("ctrl+s", "保存"),
        ("Esc", "取消（有未保存内容时先确认）"),
    )),
)  # fmt: skip


class HelpScreen(ModalScreen[None]):
    """Lists every key."""

    CSS_PATH = "help.tcss"

    BINDINGS = [
        Binding("escape", "dismiss", "关闭", id="close-help"),
        Binding("question_mark", "dismiss", "关闭", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("快捷键", classes="section-title")
            for title, keys in KEYS:
                yield Static(f"\n{title}", classes="section-title")
                for key, what in keys:
                    yield Static(f"  {key:<10} {what}")
            yield Static("\nEsc 关闭")
