"""Exact half points.

Every score in the catalog is a multiple of 0.5, so the engine counts in
*halves* (plain ints): 1 point is ``2``, 0.5 is ``1``. Nothing ever drifts.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal

Halves = int
"""A number of half points (``3`` means 1.5 points)."""


def to_halves(value: float | int | str | Decimal) -> Halves:
    """Convert a point value such as ``0.5`` or ``"2"`` into halves.

    Raises ``ValueError`` (in Chinese) when the value is not a multiple of 0.5.
    """
    if type(value) is int:  # the stored table's points: no Decimal to load
        return value * 2
    if type(value) is float and abs(value) < 2**52 and (value * 2).is_integer():
        return int(value * 2)  # exact: doubling a float is, and so is its shortest text
    from decimal import Decimal, InvalidOperation

    try:
        doubled = Decimal(str(value)) * 2
    except InvalidOperation:
        raise ValueError(f"分值 {value} 不是数字") from None
    if not doubled.is_finite():
        raise ValueError(f"分值 {value} 不是数字")
    if doubled != doubled.to_integral_value():
        raise ValueError(f"分值 {value} 不是 0.5 的整数倍")
    return int(doubled)


def as_number(halves: Halves) -> int | float:
    """Halves as a JSON-friendly number: ``4`` → ``2``, ``3`` → ``1.5``."""
    return halves // 2 if halves % 2 == 0 else halves / 2


def fmt(halves: Halves) -> str:
    """Halves as text for people: ``125`` → ``"62.5"``, ``4`` → ``"2"``."""
    sign = "-" if halves < 0 else ""
    whole, half = divmod(abs(halves), 2)
    return f"{sign}{whole}.5" if half else f"{sign}{whole}"


def fmt_delta(halves: Halves) -> str:
    """A signed change for toasts and panels: ``2`` → ``"+1"``, ``-1`` → ``"-0.5"``."""
    return ("+" if halves > 0 else "") + fmt(halves)
