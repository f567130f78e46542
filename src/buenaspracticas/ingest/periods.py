"""Periods as people read them: '2021-01/2021-06' → 'ene–jun 2021', '2015-03/2020-03' → 'mar 2015 – mar 2020'.
Pure Python: the parser writes its quality messages with it (in Spanish, the report's language), and the pages
call it with month names in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Sequence

SPANISH_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def period_words(period: str, months: Sequence[str] = SPANISH_MONTHS) -> str:
    """Return a period code ('YYYY-MM/YYYY-MM', 'YYYY/YYYY', 'YYYY') in words with these 12 month names;
    other text is returned unchanged."""

    def month(part: str) -> tuple[str, str] | None:
        m = re.fullmatch(r"(\d{4})-(\d{2})", part)
        return (m.group(1), str(months[int(m.group(2)) - 1])) if m and 1 <= int(m.group(2)) <= 12 else None

    parts = period.split("/")
    if len(parts) != 2:
        return period
    a, b = month(parts[0]), month(parts[1])
    if not (a and b):
        return period.replace("/", "–")
    if a[0] == b[0]:
        return f"{a[1]}–{b[1]} {a[0]}"
    return f"{a[1]} {a[0]} – {b[1]} {b[0]}"
