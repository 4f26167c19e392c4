"""One way to find an indicator from what the clerk types, shared by the palette and the form.

``3.1``, ``3．1``, ``三、1``, ``三1``, ``三.1`` and ``3、1`` name indicator 3.1
exactly; ``3`` or ``三、`` every indicator of category 3; anything else is read
as words, each of which must occur in the indicator's code, name or component
labels. No textual here: it is tested on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from credit_tui.scoring.catalog import Catalog, Indicator

EXACT = 1.0
"""The score of a code typed in full."""
CATEGORY = 0.8
"""The score of each indicator of a category typed alone (``3``, ``三、``)."""
WORDS = 0.6
"""The best score of a words match (all words found); less when they come late in the text."""

_NUMERALS = "一二三四五六七八九十"
_CODE = re.compile(rf"^(?:(\d+)\s*[.、,，]\s*|([{_NUMERALS}]+)\s*[.、,，]?\s*)(\d+)$")
"""``3.1``, ``3、1`` (digits need a stop: ``31`` is not 3.1), ``三、1``, ``三1``."""
_CATEGORY = re.compile(rf"^(\d+|[{_NUMERALS}]+)\s*[.、]?$")


@dataclass(frozen=True, slots=True)
class IndicatorHit:
    """An indicator that matches, with how well (higher first) and how it is shown."""

    score: float
    indicator: Indicator
    shown: str
    """``三、1 信用承诺`` (display code and name)."""


def normalise(text: str) -> str:
    """Full-width digits and stops as ASCII (``３．１`` → ``3.1``), spaces squeezed, folded."""
    text = unicodedata.normalize("NFKC", text).replace("。", ".")
    return " ".join(text.split()).casefold()


def _category_code(catalog: Catalog, head: str) -> str | None:
    """``3`` or ``三`` → ``"3"``, if the table has that category."""
    if head.isdigit():
        code = str(int(head))
    else:
        code = next((c.code for c in catalog.categories if c.numeral == head), "")
    return code if code in catalog.categories_by_code else None


def haystack(catalog: Catalog, indicator: Indicator) -> str:
    """The text words are looked for in: codes, name and component labels, folded."""
    labels = " ".join(c.label for c in indicator.components)
    return normalise(
        f"{catalog.display_code(indicator.code)} {indicator.code} {indicator.name} {labels}"
    )


def match_indicators(catalog: Catalog, query: str) -> list[IndicatorHit]:
    """Indicators matching ``query``, best first (table order among equals); all for blank."""
    text = normalise(query).removeprefix("指标").strip()  # as the palette titles read
    indicators = catalog.indicators
    shown = {i.code: f"{catalog.display_code(i.code)} {i.name}" for i in indicators}
    if not text:
        return [IndicatorHit(WORDS, i, shown[i.code]) for i in indicators]
    code = _CODE.match(text)
    if code:
        cat = _category_code(catalog, code.group(1) or code.group(2))
        wanted = f"{cat}.{int(code.group(3))}" if cat else None
        return [IndicatorHit(EXACT, i, shown[i.code]) for i in indicators if i.code == wanted]
    category = _CATEGORY.match(text)
    if category:
        cat = _category_code(catalog, category.group(1))
        return [
            IndicatorHit(CATEGORY, i, shown[i.code])
            for i in indicators
            if cat is not None and i.code.partition(".")[0] == cat
        ]
    words = text.split()
    hits: list[IndicatorHit] = []
    for ind in indicators:
        hay = haystack(catalog, ind)
        places = [hay.find(word) for word in words]
        if all(p >= 0 for p in places):
            # earlier in the text is better: a word at the start scores WORDS, one at the end half
            lateness = sum(places) / (len(words) * max(len(hay), 1))
            hits.append(IndicatorHit(WORDS * (1 - lateness / 2), ind, shown[ind.code]))
    hits.sort(key=lambda h: -h.score)  # stable: table order among equal scores
    return hits
