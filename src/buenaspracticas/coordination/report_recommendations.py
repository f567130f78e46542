"""Reading a report's recommendations: find the section by its heading, split its numbered (or bulleted)
items and keep each item's text with the file's line numbers. Pure Python, no Django, so it is tested on
text built in the test and reused by any loader.

The section is the last heading that reads "RECOMENDACIONES" (optionally numbered, optionally followed by
a few words such as "de política pública") and is followed by items; it ends at the next capitalised
heading or at the end of the file. Lines broken by the PDF (hyphenated words, page breaks inside an item,
running heads and page numbers) are joined back into one paragraph per item."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from buenaspracticas.ingest.practices_text import join_hyphens, vocabulary
from buenaspracticas.ingest.text import is_furniture, load_report
from buenaspracticas.reference import fold

# "RECOMENDACIONES", "5. Recomendaciones", "VI. RECOMENDACIONES DE POLÍTICA PÚBLICA", "Recomendaciones:"
_HEADING = re.compile(
    r"^(?:(?:\d{1,2}|[ivx]{1,5})\s*[.)-]*\s+)?recomendaciones(?P<rest>(?:\s+[a-z]+){0,5})\s*:?$"
)
# "1. Texto", "1) Texto", "1.- Texto", "1 - Texto"; bullets "• Texto", "- Texto", "– Texto"
_NUMBERED = re.compile(r"^\s*(?P<num>\d{1,2})\s*(?:\.-|\.|\)|-|–)\s+(?P<body>\S.*)$")
_BULLET = re.compile(r"^\s*(?P<mark>[•▪●◦·*\-–—])\s+(?P<body>\S.*)$")


@dataclass(frozen=True)
class RecommendationRecord:
    """One recommendation as printed: its number (or position when bulleted), text and source lines."""

    number: int
    text: str
    first_line: int  # 1-based, inclusive
    last_line: int


def is_heading(line: str) -> bool:
    """Return True for a line that reads as the recommendations heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    return bool(_HEADING.match(fold(stripped)))


def _closes_section(line: str) -> bool:
    # Another chapter: a short capitalised line ("CONCLUSIONES", "BIBLIOGRAFÍA", "ANEXO 1").
    stripped = line.strip()
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 4 and len(stripped) <= 80 and all(c.isupper() for c in letters)


def join_lines(parts: Sequence[str], vocab: frozenset[str] = frozenset()) -> str:
    """Return wrapped lines as one paragraph, spaces collapsed. A word hyphenated at a line break is joined
    ('coordina-' 'ción' → 'coordinación'), unless both halves are words of the report and their join is not
    ('sur-' 'sureste' → 'sur-sureste'); `vocab` is the report's vocabulary (ingest.practices_text)."""
    text = ""
    for part in parts:
        part = " ".join(part.split())
        if part:
            text = f"{text} {part}" if text else part
    return join_hyphens(text, vocab)


def _items_after(lines: Sequence[str], heading: int, vocab: frozenset[str]) -> list[RecommendationRecord]:
    """Split the lines after the heading (0-based index) into items; an empty list when none follow."""
    items: list[RecommendationRecord] = []
    style: str | None = None  # "numbered" or the bullet character, fixed by the first item
    current: list[tuple[int, str]] = []
    number = 0

    def close() -> None:
        if current:
            items.append(
                RecommendationRecord(
                    number=number,
                    text=join_lines([t for _, t in current], vocab),
                    first_line=current[0][0],
                    last_line=current[-1][0],
                )
            )

    for index in range(heading + 1, len(lines)):
        raw = lines[index]
        if not raw.strip() or is_furniture(raw):
            continue
        numbered, bullet = _NUMBERED.match(raw), _BULLET.match(raw)
        starts = None
        if numbered and style in (None, "numbered"):
            n = int(numbered.group("num"))
            if (style is None and n == 1) or (style == "numbered" and n == number + 1):
                starts, style = (n, numbered.group("body")), "numbered"
        elif bullet and style in (None, bullet.group("mark")):
            style = bullet.group("mark")
            starts = (number + 1, bullet.group("body"))
        if starts is not None:
            close()
            number, current = starts[0], [(index + 1, starts[1])]
        elif style is not None and _closes_section(raw):
            break
        elif current:
            current.append((index + 1, raw))
        elif style is None and _closes_section(raw) and not is_heading(raw):
            return []  # another chapter began before any item: this heading was not the section
    close()
    return items


def parse_recommendations(lines: Sequence[str]) -> list[RecommendationRecord]:
    """Return the recommendations of a report's lines (index 0 is line 1), in order; [] when it has none."""
    vocab = vocabulary(tuple(lines))
    for index in reversed([i for i, line in enumerate(lines) if is_heading(line)]):
        items = _items_after(lines, index, vocab)
        if items:
            return items
    return []


def recommendations_from_file(path: str | Path) -> tuple[str, list[RecommendationRecord]]:
    """Return the document id of the report at `path` and its recommendations (IngestError if unreadable)."""
    report = load_report(path)
    return report.document, parse_recommendations(report.lines)
