"""What scoring returns: per component, indicator, category and total.

All numbers are halves (see ``points``); ``to_dict`` gives the JSON shape of
``credit-tui score --json`` (SPEC section 9) with plain numbers.
"""

from __future__ import annotations

from datetime import date

from credit_tui.scoring.plain import field, record
from credit_tui.scoring.points import Halves, as_number, fmt, fmt_delta

NO_MONTHS: tuple[int, ...] = (0,) * 12
NO_QUARTERS: tuple[Halves, ...] = (0,) * 4


@record
class ComponentScore:
    """The score of one component as of a date."""

    indicator: str
    key: str
    label: str
    max: Halves
    earned: Halves
    lost: Halves
    reasons: tuple[str, ...]
    record_ids: tuple[str, ...] = ()
    """Records in view (in the year, dated by as-of, delivered or projected)."""
    counted_ids: tuple[str, ...] = ()
    """The records among them that qualify."""
    month_records: tuple[int, ...] = NO_MONTHS
    """Records in view by month (index 0 = January)."""
    month_qualifying: tuple[int, ...] = NO_MONTHS
    """Qualifying records by month."""
    quarter_earned: tuple[Halves, ...] = NO_QUARTERS
    """Per-quarter rules: halves earned in each quarter."""
    qualified_items: frozenset[str] = frozenset()
    """Per-item rules: the normalised items that qualify (cap or not)."""
    planned: int = 0
    """Planned records of this component in the year (left out of earned)."""
    missing: str = ""
    """Why a component gate withholds its points (what must come first), else empty."""

    @property
    def potential(self) -> Halves:
        """The best this component can still end the year with."""
        return self.max - self.lost

    @property
    def open(self) -> Halves:
        """Points neither earned nor lost yet."""
        return self.max - self.earned - self.lost

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of a component."""
        return {
            "key": self.key,
            "label": self.label,
            "max": as_number(self.max),
            "earned": as_number(self.earned),
            "lost": as_number(self.lost),
            "potential": as_number(self.potential),
            "reasons": list(self.reasons),
        }


@record
class IndicatorScore:
    """The score of one indicator: its components summed, plus warnings."""

    code: str
    name: str
    max: Halves
    components: tuple[ComponentScore, ...]
    warnings: tuple[str, ...] = ()
    earned: Halves = field(init=False)
    lost: Halves = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "earned", sum(c.earned for c in self.components))
        object.__setattr__(self, "lost", sum(c.lost for c in self.components))

    @property
    def potential(self) -> Halves:
        """The best this indicator can still end the year with."""
        return self.max - self.lost

    @property
    def category_code(self) -> str:
        """``"4"`` for ``"4.2"``."""
        return self.code.split(".")[0]

    def component(self, key: str) -> ComponentScore:
        """The component with this key."""
        for comp in self.components:
            if comp.key == key:
                return comp
        raise KeyError(key)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of an indicator."""
        return {
            "code": self.code,
            "name": self.name,
            "max": as_number(self.max),
            "earned": as_number(self.earned),
            "lost": as_number(self.lost),
            "potential": as_number(self.potential),
            "components": [c.to_dict() for c in self.components],
        }


@record
class CategoryScore:
    """The score of one of the seven categories."""

    code: str
    numeral: str
    name: str
    max: Halves
    earned: Halves
    lost: Halves

    @property
    def potential(self) -> Halves:
        """The best this category can still end the year with."""
        return self.max - self.lost

    @property
    def title(self) -> str:
        """``"一、制度建设"``."""
        return f"{self.numeral}、{self.name}"

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of a category."""
        return {
            "code": self.code,
            "name": self.name,
            "max": as_number(self.max),
            "earned": as_number(self.earned),
            "lost": as_number(self.lost),
            "potential": as_number(self.potential),
        }


@record
class ScoreReport:
    """The whole score as of a date."""

    year: int
    as_of: date
    final: bool
    """As-of is 31 December: every period has ended and nothing is still open."""
    projected: bool
    """Planned records were counted as if delivered (the year-end projection)."""
    max: Halves
    categories: tuple[CategoryScore, ...]
    indicators: tuple[IndicatorScore, ...]
    warnings: tuple[str, ...] = ()
    earned: Halves = field(init=False)
    lost: Halves = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "earned", sum(c.earned for c in self.categories))
        object.__setattr__(self, "lost", sum(c.lost for c in self.categories))

    @property
    def potential(self) -> Halves:
        """The best the year can still end with."""
        return self.max - self.lost

    def indicator(self, code: str) -> IndicatorScore:
        """The indicator with this code."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def component(self, code: str, key: str) -> ComponentScore:
        """One component's score."""
        return self.indicator(code).component(key)

    def category(self, code: str) -> CategoryScore:
        """The category with this code."""
        for cat in self.categories:
            if cat.code == code:
                return cat
        raise KeyError(code)

    def all_warnings(self) -> list[str]:
        """Report-wide warnings followed by every indicator's."""
        return [*self.warnings, *(w for ind in self.indicators for w in ind.warnings)]

    def to_dict(self) -> dict[str, object]:
        """The JSON object of ``credit-tui score --json``."""
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "projected": self.projected,
            "max": as_number(self.max),
            "earned": as_number(self.earned),
            "lost": as_number(self.lost),
            "potential": as_number(self.potential),
            "categories": [c.to_dict() for c in self.categories],
            "indicators": [i.to_dict() for i in self.indicators],
            "warnings": self.all_warnings(),
        }


@record
class Change:
    """How one indicator's earned points moved between two reports."""

    code: str
    before: Halves
    after: Halves

    @property
    def delta(self) -> Halves:
        """After minus before."""
        return self.after - self.before


def changes(before: ScoreReport, after: ScoreReport) -> list[Change]:
    """Indicators whose earned points differ, in catalog order."""
    old = {ind.code: ind.earned for ind in before.indicators}
    return [
        Change(ind.code, old.get(ind.code, 0), ind.earned)
        for ind in after.indicators
        if old.get(ind.code, 0) != ind.earned
    ]


def describe_changes(before: ScoreReport, after: ScoreReport, display: dict[str, str]) -> str:
    """``"一、4 +1 分 · 总分 62.5 → 63.5"``; ``display`` maps codes to ``一、4``."""
    parts = [
        f"{display.get(c.code, c.code)} {fmt_delta(c.delta)} 分" for c in changes(before, after)
    ]
    parts.append(f"总分 {fmt(before.earned)} → {fmt(after.earned)}")
    return " · ".join(parts)
