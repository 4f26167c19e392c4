"""The form's indicator field, also offering the key tasks (重点任务, never scored)."""

from __future__ import annotations

from collections.abc import Mapping

from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.evidence import KEY_TASK
from credit_tui.tui.widgets.indicator_field import IndicatorField


def key_task_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """``(重点任务（三）…（不计分）, 重点任务（三）)`` for the table's key tasks."""
    return [
        (f"重点任务（{t.numeral}）{t.title}（不计分）", f"{KEY_TASK}（{t.numeral}）")
        for t in catalog.key_tasks
    ]


def key_task_choice(catalog: Catalog, values: Mapping[str, object]) -> str | None:
    """The choice of a record (or prefill) filed under a key task, else None."""
    if values.get("indicator") != KEY_TASK:
        return None
    task = next((t for t in catalog.key_tasks if t.key == values.get("component")), None)
    return f"{KEY_TASK}（{task.numeral}）" if task else None


class KeyTaskIndicatorField(IndicatorField):
    """``IndicatorField`` that also finds the key tasks: typed 重点 (and words), or words no
    indicator matches (双公示)."""

    def __init__(self, catalog: Catalog, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(catalog, placeholder=placeholder, id=id)
        self._tasks = dict((code, label) for label, code in key_task_choices(catalog))

    def knows(self, code: str) -> bool:
        """Whether ``code`` is an indicator or a key task this field can choose."""
        return code in self.catalog.by_code or code in self._tasks

    @property
    def value(self) -> str | None:
        """The chosen indicator's code, or ``重点任务（三）``."""
        return self._value

    @value.setter
    def value(self, code: str | None) -> None:
        self._value = code if code is not None and self.knows(code) else None
        with self.prevent(Input.Changed):
            self.box.value = self._label(self._value)
        self._close()

    def _label(self, code: str | None) -> str:
        if code in self._tasks:
            return self._tasks[code]
        return super()._label(code)

    def _filter(self, text: str) -> None:
        """Indicators first; the key tasks when 重点 is typed or no indicator matches."""
        super()._filter(text)
        words = text.strip()
        asked = bool(words) and (words in "重点任务" or words.startswith("重点"))
        if self._codes and not asked:
            return
        rest = words.removeprefix("重点任务").removeprefix("重点").strip("（）() ")
        tasks = [
            (code, label)
            for code, label in self._tasks.items()
            if words and (rest in label if rest else asked)
        ]
        if not tasks:
            return
        options = self.query_one(OptionList)
        found = self._codes
        self._codes = [*found, *(code for code, _ in tasks)]
        options.set_options(
            [options.get_option_at_index(i) for i in range(len(found))]
            + [Option(label, id=code) for code, label in tasks]
        )
        options.highlighted = 0
