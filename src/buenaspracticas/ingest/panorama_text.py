"""The text of one state's panorama: where it is, its footnotes, and its content joined into one string
whose characters map back to file lines. Line breaks carry no meaning here, so the parser reads the
same figures whatever way an extractor wrapped the lines. Pure Python."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from buenaspracticas.ingest.numbers import find_numbers
from buenaspracticas.ingest.text import ReportText, StateSection, is_furniture
from buenaspracticas.reference import fold

_PANORAMA_HEAD = re.compile(r"(?:cuadro\s*\d*\s*)?panorama\s+migratorio\s+estatal")
_END_HEAD = re.compile(
    r"(?:^\s*|cuadro\s*\d+\s*)buenas\s+practicas\s+orientadas|^\s*institucion\s+que\s+coordina|"
    r"^\s*descripcion\s+de\s+la\s+buena\s+practica"
)
_FOOTNOTE = re.compile(r"^\s*(\d{1,3})(?![\d.,)%])\s+(\S.*)$")
_SOURCE_WORDS = re.compile(
    r"\b(?:inegi|censo|encuesta|bolet[ií]n|unidad de pol[ií]tica migratoria|upmrip|conapo|anuario|bbva|"
    r"customs|cbp|comar|manual|fuente|disponible en|ley|peri[oó]dico oficial|informe)\b",
    re.I,
)
_IDEM = re.compile(r"^\s*(?:[ÍI]dem|Ibid(?:em)?|Ib[ií]d)\b\.?\s*", re.I)
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_M = "|".join(MONTHS)
PERIOD_MONTHS = re.compile(
    rf"\b({_M})\s+(?:(?:de|del)\s+)?(\d{{4}})?\s*(?:y|a|al|hasta)\s+({_M})(?:\s+(?:de|del))?\s*(\d{{4}})?"
)
PERIOD_YEARS = re.compile(
    rf"\bentre\s+(?:({_M})\s+(?:de\s+)?)?(\d{{4}})\s+y\s+(?:({_M})\s+(?:de\s+)?)?(\d{{4}})"
)
CENSUS_YEAR = re.compile(r"censo de poblacion(?: y vivienda)?,?\s*(\d{4})")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in base if not unicodedata.combining(c)) or ch
    return base[0].lower() if len(base[0].lower()) == 1 else ch


def fold_same_length(text: str) -> str:
    """Return text lower-cased and without accents, one character for each character (offsets kept)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@dataclass
class Footnote:
    number: int
    text: str
    line: int
    last_line: int
    citation: str = ""  # the source it cites (Ídem resolved), "" for an explanatory note
    note: str = ""  # the rest: an explanation or national total


@dataclass
class PanoramaText:
    first_line: int
    last_line: int
    text: str  # content lines joined with "\n"
    folded: str
    starts: list[int]  # offset of each joined line
    line_numbers: list[int]
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    table: int | None = None  # the number of its "CUADRO n" heading; None when none is printed

    def line_at(self, offset: int) -> int:
        return self.line_numbers[max(bisect_right(self.starts, offset) - 1, 0)]


def find_panorama(report: ReportText, section: StateSection) -> PanoramaText | None:
    """Return the panorama's text within the section, or None if the section has none."""
    start = None
    for n in range(section.first_line, section.last_line + 1):
        folded = fold(report.line(n))
        if _PANORAMA_HEAD.search(folded) or folded.startswith("nombre del estado"):
            start = n
            break
    if start is None:
        return None
    end, cut = section.last_line, None
    for n in range(start + 1, section.last_line + 1):
        m = _END_HEAD.search(fold_same_length(report.line(n)))
        if m:
            # The practices table starts: the panorama ends before it (or mid-line when a re-wrap
            # joined them).
            end, cut = (n, m.start()) if report.line(n)[: m.start()].strip() else (n - 1, None)
            break
    notes = _footnotes(report, section.first_line, end)
    content_lines = _content_lines(report, start, end, notes)
    # A candidate footnote that reads as a figure ("26 600 personas…") counts only if a marker cites it.
    text = "\n".join(report.line(n) for n in content_lines)
    referenced = {t.value for t in find_numbers(text, notes.keys()) if t.is_marker} | {
        t.marker for t in find_numbers(text, notes.keys()) if t.marker is not None
    }
    doubtful = [
        k
        for k, f in notes.items()
        if re.match(r"\d{3}(?!\d)", f.text) and k not in referenced and start <= f.line <= end
    ]
    if doubtful:
        for k in doubtful:
            notes.pop(k)
        content_lines = _content_lines(report, start, end, notes)
    _resolve_citations(notes)
    lines = [_strip_head(report.line(n)) for n in content_lines]
    if cut is not None and content_lines and content_lines[-1] == end:
        lines[-1] = lines[-1][:cut]
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    joined = "\n".join(lines)
    joined = _blank_furniture(joined)
    joined = _unnumber(joined)
    used = [f.line for f in notes.values()] + [f.last_line for f in notes.values()]
    first = min([start] + [x for x in used if x >= section.first_line])
    last = max([content_lines[-1] if content_lines else start] + [x for x in used if x <= end])
    return PanoramaText(
        first,
        last,
        joined,
        fold_same_length(joined),
        starts,
        content_lines,
        notes,
        _table_number(report, section, start),
    )


_TABLE = re.compile(r"^\s*cuadro\s+(\d+)\b")


def _table_number(report: ReportText, section: StateSection, start: int) -> int | None:
    """Return the number of the panorama's "CUADRO n" heading: on its first line, or alone on the line
    above it (blank lines between); None when the text prints none."""
    n = start
    while n >= section.first_line:
        m = _TABLE.match(fold(report.line(n)))
        if m:
            return int(m.group(1))
        if n < start and report.line(n).strip():
            return None
        n -= 1
    return None


def _strip_head(line: str) -> str:
    """Blank out the repeated table head ("CUADRO 1 PANORAMA MIGRATORIO ESTATAL") keeping the rest."""
    folded = fold_same_length(line)
    m = re.search(r"(?:cuadro\s*\d*\s*)?panorama\s+migratorio\s+estatal", folded)
    if m:
        line = line[: m.start()] + " " * (m.end() - m.start()) + line[m.end() :]
    return line


_FURNITURE_IN_TEXT = re.compile(
    r"(?:cuadro\s*\d*\s*)?panorama\s+migratorio\s+estatal|(?:https?:)?//\S+|www\.\S+"
)


def _blank_furniture(text: str) -> str:
    """Blank the table head and URLs wherever a re-wrap put them inside a paragraph."""
    folded = fold_same_length(text)
    chars = list(text)
    for m in _FURNITURE_IN_TEXT.finditer(folded):
        for k in range(m.start(), m.end()):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


def _unnumber(text: str) -> str:
    """Blank the numbers of numbered list items ("1. En el estado…", "…2021) 2. Población…")."""
    return re.sub(
        r"(?:(?<=\n)|^|(?<=[.)]\s))([ \t]*)(\d{1,2}\.)(?=\s+[A-ZÁÉÍÓÚÑ])",
        lambda m: m.group(1) + "•" + " " * (len(m.group(2)) - 1),
        text,
    )


def _is_footnote_start(report: ReportText, n: int, first: int) -> re.Match | None:
    line = report.line(n)
    m = _FOOTNOTE.match(line)
    if not m or int(m.group(1)) == 0:
        return None
    prev = report.line(n - 1).strip() if n > first else ""
    if prev and not _FOOTNOTE.match(report.line(n - 1)) and not is_furniture(report.line(n - 1)):
        # Inside a paragraph: only a footnote if the previous line ended a sentence or a citation.
        if not re.search(r"[.:)\d]\s*$", prev) or prev.startswith(("•", "-")):
            return None
    rest = m.group(2)
    if rest[0] in "%•(-" or rest[:1].islower():
        return None
    if prev.endswith(":"):
        return None  # the value under its label
    if prev and prev[-1].isdigit() and len(m.group(1)) == 3:
        return None  # "…Morelos: 4" / "614 …": a figure wrapped across lines
    return m


def _footnotes(report: ReportText, first: int, last: int) -> dict[int, Footnote]:
    notes: dict[int, Footnote] = {}
    weak: dict[int, bool] = {}  # a candidate inside a paragraph gives way to one that starts a paragraph
    n = first
    while n <= last:
        m = _is_footnote_start(report, n, first)
        if not m:
            n += 1
            continue
        number, parts, end = int(m.group(1)), [m.group(2).strip()], n
        k = n + 1
        while k <= last:
            nxt = report.line(k)
            if (
                not nxt.strip()
                or _is_footnote_start(report, k, first)
                or is_furniture(nxt)
                or _PANORAMA_HEAD.search(fold(nxt))
                or nxt.lstrip().startswith("•")
            ):
                break
            if not re.search(r"[a-záéíóú,:]\s*$", report.line(k - 1)):  # the note ended a sentence
                break
            parts.append(nxt.strip())
            end = k
            k += 1
        strong = n == first or not report.line(n - 1).strip() or bool(_FOOTNOTE.match(report.line(n - 1)))
        note = Footnote(number, " ".join(parts), n, end)
        if number not in notes or (strong and weak.get(number)):
            notes[number] = note
            weak[number] = not strong
        n = end + 1
    return notes


def _content_lines(report: ReportText, start: int, end: int, notes: dict[int, Footnote]) -> list[int]:
    skip = set()
    for f in notes.values():
        skip.update(range(f.line, f.last_line + 1))
    out = []
    for n in range(start, end + 1):
        line = report.line(n)
        if not line.strip() or n in skip:
            continue
        if is_furniture(line):
            # A bare number right under its label ("…entre enero y mayo:" / "69") is a figure, not
            # a page number.
            prev = report.line(n - 1).rstrip() if n > 1 else ""
            if not (re.fullmatch(r"\s*\d{1,3}\s*", line) and prev and re.search(r"[:a-záéíóúñ,]$", prev)):
                continue
        out.append(n)
    return out


def split_citation(text: str) -> tuple[str, str]:
    """Return (citation, note) of a footnote's text: its first sentence when it names a source."""
    text = re.sub(r"^\s*fuente\s*:\s*", "", text, flags=re.I).strip()
    m = re.search(r"\.\s+(?=[A-ZÁÉÍÓÚ][a-záéíóú]{2,})", text)
    first, rest = (text[: m.start()], text[m.end() :]) if m else (text.rstrip(". "), "")
    if not _SOURCE_WORDS.search(first) or re.match(r"^\s*[\d.]", first):
        return "", text
    return first.strip().rstrip("."), rest.strip()


def _resolve_citations(notes: dict[int, Footnote]) -> None:
    for number in sorted(notes):
        f = notes[number]
        m = _IDEM.match(f.text)
        if m:  # "Ídem" cites what the previous footnote cites
            prev = max((k for k in notes if k < number), default=None)
            f.citation = notes[prev].citation if prev is not None else ""
            f.note = f.text[m.end() :].strip()
        else:
            f.citation, f.note = split_citation(f.text)


def format_period(m1: str | None, y1: str | None, m2: str | None, y2: str | None) -> str:
    """Return "2021-01/2021-06" (or "2015/2020" without months) from a period's parts."""

    def part(month: str | None, year: str | None) -> str:
        return f"{year}-{MONTHS.index(month) + 1:02d}" if month else f"{year}"

    return f"{part(m1, y1)}/{part(m2, y2)}"


def period_in(folded: str, default_year: str | None = None) -> str | None:
    """Return the first period stated in folded text, or None."""
    m = PERIOD_YEARS.search(folded)
    if m:
        return format_period(*m.groups())
    m = PERIOD_MONTHS.search(folded)
    if m:
        m1, y1, m2, y2 = m.groups()
        year = y2 or y1 or default_year
        if year is None:
            return None
        return format_period(m1, y1 or year, m2, year)
    return None


@dataclass(frozen=True)
class ReportContext:
    """What the whole report says most often: the common periods and the national entries total."""

    bulletin_period: str | None
    emigration_period: str | None
    census_year: str | None
    national_entries: int | None


@lru_cache(maxsize=8)
def report_context(report: ReportText) -> ReportContext:
    bulletin, emigration, census, national = Counter(), Counter(), Counter(), Counter()
    for line in report.lines:
        folded = fold(line)
        for m in PERIOD_MONTHS.finditer(folded):
            if m.group(4) or m.group(2):
                bulletin[
                    format_period(m.group(1), m.group(2) or m.group(4), m.group(3), m.group(4) or m.group(2))
                ] += 1
        for m in PERIOD_YEARS.finditer(folded):
            emigration[format_period(*m.groups())] += 1
        for m in CENSUS_YEAR.finditer(folded):
            census[m.group(1)] += 1
        if "total" in folded and ("entradas" in folded or "registros" in folded):
            for t in find_numbers(line):
                if not t.is_marker and not t.percent and t.value >= 1_000_000:
                    national[int(t.value)] += 1
    bulletin_period = next(
        (p for p, _ in bulletin.most_common() if p.split("/")[0][:4] == p.split("/")[1][:4]), None
    )
    return ReportContext(
        bulletin_period,
        emigration.most_common(1)[0][0] if emigration else None,
        census.most_common(1)[0][0] if census else None,
        national.most_common(1)[0][0] if national else None,
    )
