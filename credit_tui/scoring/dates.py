"""Dates as the clerk writes them, and the calendar arithmetic of the table.

Nothing here reads a clock: ``today`` is always passed in.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
TODAY_WORDS = frozenset({"今天", "今日", "today"})
_NUMERIC = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class DateFormatError(ValueError):
    """Text that is not a date; the message is Chinese and quotes the text."""


def parse_date(value: object, today: date | None = None) -> date:
    """Read a date: 2024-05-03, 2024/5/3, 2024.5.3, 2024年5月3日, 今天, or a date object.

    ``今天`` needs ``today``. Raises ``DateFormatError`` with a Chinese message.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip() if value is not None else ""
    if not text:
        raise DateFormatError("不能为空")
    if text in TODAY_WORDS:
        if today is None:
            raise DateFormatError("“今天”在此处不可用，请填写具体日期")
        return today
    # Excel and some exports append a midnight time: 2024-05-03 00:00:00
    text = re.sub(r"[ T]00:00(:00)?(\.0+)?$", "", text)
    match = _NUMERIC.match(text)
    if not match:
        raise DateFormatError(f"{text} 不是日期，应写成 2024-05-03、2024/5/3 或 2024年5月3日")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateFormatError(f"{text} 不是有效日期") from None


def month_end(year: int, month: int) -> date:
    """The last day of ``month``."""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def quarter_of(day: date) -> int:
    """1–4."""
    return (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    """The last day of the quarter."""
    return month_end(year, 3 * quarter)


def mmdd(year: int, text: str) -> date:
    """``"04-30"`` in ``year``."""
    month, day = text.split("-")
    return date(year, int(month), int(day))


def clamp_as_of(as_of: date, year: int) -> date:
    """As-of never passes 31 December of the assessment year (the final view)."""
    return min(as_of, date(year, 12, 31))


def fmt_md(day: date) -> str:
    """``07-31``."""
    return f"{day.month:02d}-{day.day:02d}"
