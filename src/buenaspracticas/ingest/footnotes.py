"""Reading a report's footnotes from its text lines: the notes (number, text, lines, kind, title, issuer,
year, address, what an "Ídem" or "Op. cit." points to) and the body markers that cite them.

Pure and report-neutral: no Django, no running-head text or phrase of any one report. The cue that tells a
footnote line from a page number, a table figure or a practice number is the sequence: note n+1 follows
note n, and the body markers appear in the same order, each on the page of its note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from buenaspracticas.ingest.footnote_notes import _IDEM, _OP_CIT, _URL, Footnote, _describe
from buenaspracticas.ingest.text import normalise_line
from buenaspracticas.reference import fold


@dataclass(frozen=True)
class Marker:
    number: int  # footnote number referenced in the body
    line: int  # 1-based line of the body where the marker is


# A footnote starts a line with its number, then its text (or nothing when the extractor lost the text).
_NOTE_START = re.compile(r"^\s*(\d{1,3})(?!\d)(?:[.)]?\s+(\S.*)|\s*)$")
_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.I)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_TERMINAL = (".", ";", ":", ")", "!", "?", "»", "”", '"')


def read_footnotes(lines: Sequence[str]) -> tuple[list[Footnote], list[Marker]]:
    """Return the report's footnotes in order and the body markers that cite them (1-based lines)."""
    text = [normalise_line(x.replace("\r", "")) for x in lines]
    furniture = _furniture(text, [_is_break(x) for x in lines])
    starts = _note_starts(text, furniture)
    spans = _note_spans(text, starts, furniture)
    notes: list[Footnote] = []
    for (number, first, last), raw in spans:
        notes.append(_describe(number, raw, first, last, notes))
    markers = _markers(text, notes, furniture)
    return notes, markers


def drop_markers(text: str, numbers: Iterable[int]) -> str:
    """Return body text without the given footnote markers glued to words or figures ("migrantes.12 De" →
    "migrantes. De", "junio 202116" → "junio 2021"), leaving real figures alone."""
    wanted = sorted({str(n) for n in numbers}, key=len, reverse=True)
    if not wanted:
        return text
    alternatives = "|".join(wanted)
    # Glued to a letter or closing punctuation, not the start of a decimal or a percentage; consecutive
    # markers glued together ("variantes9192") go as one run.
    text = re.sub(rf"(?<=[^\W\d_]|[.,;:)\]”»%])(?:{alternatives})+(?![\d%]|[.,]\d)", "", text)
    # Glued to a year: the only figure whose length says where the marker begins.
    return re.sub(rf"(?<!\d)((?:19|20)\d\d)(?:{alternatives})(?![\d%]|[.,]\d)", r"\1", text)


def drop_line_markers(line: str, numbers: Iterable[int]) -> str:
    """Return one body line without the markers read on it: glued ones as drop_markers removes them, else a
    marker set apart at the line's end ("otros contextos. 83" → "otros contextos.", "de 2019.  81." →
    "de 2019."), which only the marker chain (read_footnotes) can tell from a figure."""
    wanted = sorted({str(n) for n in numbers}, key=len, reverse=True)
    if not wanted:
        return line
    text = drop_markers(line, wanted)
    if text != line:
        return text
    m = re.search(rf"\s+(?:{'|'.join(wanted)})([.,;:]?)\s*$", text)
    if m is None or not re.search(r"[^\W\d_]|[\d.,;:%)\]”»]$", text[: m.start()]):
        return text
    head = text[: m.start()]
    return head if head.endswith((".", ",", ";", ":")) else head + m.group(1)


@lru_cache(maxsize=8)
def markers_by_line(lines: tuple[str, ...]) -> dict[int, frozenset[int]]:
    """Return {1-based line: the footnote numbers whose markers read_footnotes finds on it}."""
    found: dict[int, set[int]] = {}
    for marker in read_footnotes(lines)[1]:
        found.setdefault(marker.line, set()).add(marker.number)
    return {line: frozenset(numbers) for line, numbers in found.items()}


# --- page furniture -------------------------------------------------------------------------------------


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", fold(line))


def _furniture(text: list[str], breaks: list[bool]) -> list[bool]:
    """Flag page furniture: lines repeated through the document whose figure goes up and never down (a
    running head with its page number), and page breaks. Repeated table rows and note text stay."""
    shapes = [_shape(x) for x in text]
    seen: dict[str, list[int]] = {}
    for i, s in enumerate(shapes):
        if len(s) > 12 and not _NOTE_START.match(text[i]) and not _URL.search(text[i]):
            seen.setdefault(s, []).append(i)
    flagged = set()
    for where in seen.values():
        if len(where) < 3:
            continue
        numbers = [int(m.group(0)) for i in where for m in [re.search(r"\d+", text[i])] if m]
        if (
            len(numbers) == len(where)
            and numbers[0] < numbers[-1]
            and all(a <= b for a, b in zip(numbers, numbers[1:], strict=False))
        ):
            flagged.update(where)
    return [i in flagged or breaks[i] for i in range(len(text))]


def _is_break(line: str) -> bool:
    """Return True for a page break line carrying nothing but a form feed and perhaps a page number."""
    return "\f" in line and re.fullmatch(r"\s*\d{0,4}\s*", line.replace("\f", "")) is not None


# --- notes ----------------------------------------------------------------------------------------------


def _note_starts(text: list[str], furniture: list[bool]) -> list[tuple[int, int]]:
    """Return (number, 0-based line) of the lines that start notes: the best chain of consecutive numbers."""
    candidates: list[tuple[int, int, float]] = []
    for i, line in enumerate(text):
        m = _NOTE_START.match(line)
        if not m or furniture[i]:
            continue
        number, rest = int(m.group(1)), (m.group(2) or "").strip()
        if number == 0:
            continue
        after = text[i + 1].strip() if i + 1 < len(text) and not _NOTE_START.match(text[i + 1]) else ""
        candidates.append((number, i, _start_quality(rest, after)))
    best: list[float] = []
    back: list[int] = []
    for k, (number, _i, quality) in enumerate(candidates):
        score, prev = quality - 3.0 * (number - 1), -1  # starting a chain above 1 skips notes
        for j in range(k):
            pnum = candidates[j][0]
            if pnum >= number:
                continue
            s = best[j] + quality + (4.0 if number == pnum + 1 else -3.0 * (number - pnum - 1))
            if s > score:
                score, prev = s, j
        best.append(score)
        back.append(prev)
    chain = _best_chain(candidates, best, back)
    if len(chain) == 1 and (chain[0][0] != 1 or chain[0][2] <= 0):
        return []  # one numbered line alone is a figure or a list item, not a note sequence
    return [c[:2] for c in chain]


def _start_quality(rest: str, after: str = "") -> float:
    """Return how much a line's text after its number (and the line under it) looks like a note."""
    if not rest:
        return -5.0  # a bare number is mostly a page number: kept only to fill a gap between two notes
    score = 0.0
    if _URL.search(rest + " " + after) or _IDEM.match(rest) or _OP_CIT.search(rest):
        score += 1.5
    if rest[0].isupper() or rest[0] in '“"«¿(' or rest[0].isdigit():
        score += 0.5
    if len(rest) > 40:
        score += 0.5
    if rest[0].islower() and len(rest) < 30:  # "197 personas," — a figure wrapped to the start of a line
        score -= 1.5
    return score


def _note_spans(text: list[str], starts: list[tuple[int, int]], furniture: list[bool]):
    """Return ((number, first_line, last_line), [the note's lines without furniture]) for each note start."""
    start_lines = {i for _n, i in starts}
    width = _full_width(text, starts)
    out = []
    for number, i in starts:
        last = i
        j = i + 1
        while j < len(text):
            line = text[j]
            if j in start_lines:
                break
            if not line.strip() or furniture[j] or _BARE_NUMBER.match(line):
                # A note goes on after a blank line (or a page's furniture) only when its last line stopped
                # mid-sentence, or ran to the full width unfinished and the next line is as wide.
                k = j
                while k < len(text) and (not text[k].strip() or furniture[k] or _BARE_NUMBER.match(text[k])):
                    k += 1
                if (
                    k < len(text)
                    and k not in start_lines
                    and not _URL_LINE.match(text[k])
                    and not _is_heading(text[k])
                    and (
                        _mid_sentence(text[last])
                        or _continues(text[last], width)
                        and (_full(text[k], width) or k + 1 < len(text) and k + 1 in start_lines)
                    )
                ):
                    j = k
                    continue
                break
            # The line right under a note line goes on with it, unless it is a heading (a URL or word cut
            # short at the break may look like one: "…/20210219_" + "LEYMIGRANTES-2.PDF").
            if _is_heading(line) and not text[last].rstrip().endswith(("-", "/", "_", "=", "?", "&", "%")):
                break
            last = j
            j += 1
        out.append(((number, i + 1, last + 1), _collect(text, i, last, start_lines, furniture)))
    return out


def _collect(text, first, last, start_lines, furniture) -> list[str]:
    """Return a note's text lines: its first line without the number, then the lines not furniture."""
    lines = [_NOTE_START.match(text[first]).group(2) or ""]
    for j in range(first + 1, last + 1):
        if text[j].strip() and not furniture[j] and not _BARE_NUMBER.match(text[j]):
            lines.append(text[j])
    return lines


def _full_width(text: list[str], starts: list[tuple[int, int]]) -> int:
    """Return the width a full note line reaches: a high percentile of the note start lines' lengths."""
    lengths = sorted(len(text[i].strip()) for _n, i in starts)
    if not lengths:
        return 80
    return max(40, lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))])


def _full(line: str, width: int) -> bool:
    return len(line.strip()) >= 0.7 * width


def _continues(line: str, width: int) -> bool:
    stripped = line.rstrip()
    return _full(stripped, width) and not stripped.endswith(_TERMINAL)


def _mid_sentence(line: str) -> bool:
    """Return True when a line stops where no sentence can end: after a comma or a short lowercase word."""
    stripped = line.rstrip()
    last = stripped.split()[-1] if stripped.split() else ""
    return stripped.endswith(",") or (len(last) <= 3 and last.isalpha() and last.islower())


def _is_heading(line: str) -> bool:
    """Return True for a line in capitals (a section or table heading)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


# --- markers ----------------------------------------------------------------------------------------------


def _markers(text: list[str], notes: list[Footnote], furniture: list[bool]) -> list[Marker]:
    """Return the body markers of the notes: the best ordered chain of glued numbers, each near its note."""
    if not notes:
        return []
    in_note = [False] * len(text)
    for note in notes:
        for i in range(note.first_line - 1, note.last_line):
            in_note[i] = True
    blocks = _blocks(text, notes, in_note, furniture)
    candidates: list[tuple[int, int, int, float]] = []  # (number, line index, column, quality)
    # A marker sits on its note's page: after the previous group of notes and before the next one. Mostly it
    # precedes its note; a table page may print its notes above the table, so a marker after it is allowed.
    for b, block in enumerate(blocks):
        low = blocks[b - 1][-1].last_line if b else 0  # 0-based index of the first line allowed
        high = blocks[b + 1][0].first_line - 1 if b + 1 < len(blocks) else len(text)
        for note in block:
            for i in range(low, high):
                if in_note[i] or furniture[i] or _URL_LINE.match(text[i]):
                    continue
                for col, quality in _occurrences(text[i], note.number):
                    if i < note.first_line - 1:
                        quality += 1.0
                    candidates.append((note.number, i, col, quality))
    # Markers run in the order of their notes: keep the chain of candidates, increasing in both number and
    # position, with the most weight (glued to a word beats glued to a figure beats set apart).
    candidates.sort()
    best: list[float] = []
    back: list[int] = []
    for k, (number, i, col, quality) in enumerate(candidates):
        score, prev = quality, -1
        for j in range(k):
            pnum, pi, pcol, _q = candidates[j]
            if pnum < number and (pi, pcol) < (i, col) and best[j] + quality > score:
                score, prev = best[j] + quality, j
        best.append(score)
        back.append(prev)
    return [Marker(number, i + 1) for number, i, _col, _q in _best_chain(candidates, best, back)]


def _best_chain(candidates: list, best: list[float], back: list[int]) -> list:
    """Return, in order, the candidates of the highest-scoring chain (`best[k]`: the score of the best chain
    ending at candidate k, `back[k]`: the candidate before it there, -1 at a chain's start)."""
    if not candidates:
        return []
    k = max(range(len(candidates)), key=lambda x: best[x])
    chain = []
    while k >= 0:
        chain.append(candidates[k])
        k = back[k]
    return chain[::-1]


def _blocks(text, notes, in_note, furniture) -> list[list[Footnote]]:
    """Group notes printed together (only blank lines, furniture or URL lines between them)."""
    blocks: list[list[Footnote]] = []
    for note in notes:
        if blocks:
            gap = range(blocks[-1][-1].last_line, note.first_line - 1)
            if all(not text[i].strip() or furniture[i] or _URL_LINE.match(text[i]) for i in gap):
                blocks[-1].append(note)
                continue
        blocks.append([note])
    return blocks


def _occurrences(line: str, number: int) -> list[tuple[int, float]]:
    """Return (column, quality) of the places in a body line where `number` may be a glued marker."""
    s = str(number)
    if s not in line:
        return []
    found = []
    end_ok = r"(?![\d%]|[.,]\d|[^\W\d_])"  # a marker ends its word: no digit, decimal, % or letter after
    for m in re.finditer(rf"(?<![\d\s])(\d+){end_ok}", line):
        prev = line[m.start() - 1] if m.start() else " "
        if not (prev.isalpha() or prev in ".,;:)]”»%'’\"") or re.match(r"\s*%", line[m.end() :]):
            continue
        decimal = re.search(r"\d[.,]$", line[: m.start()]) is not None
        if m.group(1) == s:
            found.append((m.start(), 0.5 if decimal else 3.0))
        for col, piece in _consecutive(m.group(1), m.start()):
            if piece == s and not decimal:
                found.append((col, 2.5))
    for m in re.finditer(rf"(?<=\s){s}(?=[.,;]?\s*$)", line):
        before = line[: m.start()]
        if re.search(r"[\w.%)]\s+$", before) and before.strip():
            found.append((m.start(), 1.0))  # "… 1441  72" — a number set apart at the end of the line
    for m in re.finditer(rf"(?<!\d)(\d+){s}{end_ok}", line):
        if re.match(r"\s*%", line[m.end() :]):
            continue
        run = m.group(1) + s
        if re.fullmatch(r"(?:19|20)\d\d", run) or (len(run) == 3 and re.search(r"\d\s$", line[: m.start()])):
            continue  # a year, or the last group of a figure written "9 654 941"
        year = re.fullmatch(r"(?:19|20)\d\d", m.group(1)) is not None
        found.append((m.end() - len(s), 2.0 if year else 0.5))
    return found


def _consecutive(run: str, start: int) -> list[tuple[int, str]]:
    """Return the pieces of a run read as glued consecutive markers ("9192" → 91, 92), or none."""
    for size in range(1, 4):
        first = run[:size]
        if not first or first.startswith("0"):
            continue
        pieces, k, rest = [], int(first), run
        while rest.startswith(str(k)):
            pieces.append((start + len(run) - len(rest), str(k)))
            rest = rest[len(str(k)) :]
            k += 1
        if not rest and len(pieces) > 1:
            return pieces
    return []
