"""Page furniture found by what it is, whatever its words: running heads and footers are lines (or line
starts) that recur across the document with a page number that grows from one occurrence to the next;
the short label a head carries after its number ("…LOCAL 18REGIÓN NORTE") belongs to it when the
occurrences share its first word; a bare number on the line next to a head without a number of its own
is that head's page number when it continues the page sequence and leaves room for the pages printed
without one; a head an extractor wrapped or printed on two lines keeps its page number past its short
second line, and that second line, the same next to most occurrences, goes with it; short lines that recur
at page breaks (form feeds) are page numbers when they are bare numbers. Nothing here names a report. Pure
Python, no Django.

A bare number elsewhere is left alone: whether it is a practice's number or a page number is decided by
the practice parser from its context (the state's numbering, a title after it)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from buenaspracticas.reference import fold

_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?!\d)(?![.,]\d)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_BARE_NUMBER = re.compile(r"^\s*[-–—]?\s*(\d{1,3})\s*[-–—]?\s*$")
_WORDS = re.compile(r"[a-z]+")
_MIN_LETTERS = 10  # a head has words: 'Población total 12' is not one
_MAX_LABEL_WORDS = 4
_MAX_HEAD_WORDS = 14
_LINES_PER_PAGE = (8, 250)  # what a page of extracted text holds, from a slide to a dense page
_TWO_LINE_MIN = 5  # numbered occurrences a head on two lines needs


def _words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[:1].lower() or ch


def _fold_same_length(text: str) -> str:
    return text.lower() if text.isascii() else "".join(map(_fold_char, text))


@dataclass(frozen=True)
class _Hit:
    line: int  # 0-based index
    number: int | None
    start: int  # the head's extent in the line (characters)
    end: int
    label: str  # the words after the number, when the line ends with them


def _increasing(numbers: list[int]) -> list[int]:
    """Return the indexes of a longest strictly increasing subsequence of numbers."""
    best: list[list[int]] = []
    for i, x in enumerate(numbers):
        options = [run for run in best if numbers[run[-1]] < x]
        best.append((max(options, key=len) if options else []) + [i])
    return max(best, key=len) if best else []


def _pages_plausible(hits: list[_Hit]) -> bool:
    """Return True when the hits' numbers grow with the text, as page numbers do: most of them in one
    increasing run (a document may number two sequences, e.g. an extractor's and the printed one), at a
    pace of one page every few dozen lines."""
    numbered = [h for h in hits if h.number is not None]
    run = [numbered[i] for i in _increasing([h.number for h in numbered])]
    if len(run) < 3 or len(run) < 0.5 * len(numbered):
        return False
    pace = (run[-1].line - run[0].line) / (run[-1].number - run[0].number)
    return _LINES_PER_PAGE[0] <= pace <= _LINES_PER_PAGE[1]


def _numbered_heads(lines: list[str]) -> list[list[_Hit]]:
    """Return groups of hits of heads printed with their page number (before or after the words)."""
    by_prefix: dict[tuple[str, ...], list[_Hit]] = defaultdict(list)
    by_suffix: dict[tuple[str, ...], list[_Hit]] = defaultdict(list)
    for i, line in enumerate(lines):
        if not line.strip() or len(line) > 200:
            continue
        for m in _NUMBER.finditer(line):
            before, after = line[: m.start()], line[m.end() :]
            if (
                re.search(r"\d", _YEAR.sub("", before + after))
                or re.search(r"[a-záéíóúñ]$", before)
                or re.match(r"[.)°º%]", after)
            ):
                continue  # one number, not a note call ('migrantes86'), a list item ('1.') or a quantity
            pre, post = tuple(_words(before)), _words(after)
            if len(pre) + len(post) > _MAX_HEAD_WORDS or before.rstrip().endswith(":"):
                continue  # a figure under its label ('Devueltas: 15'), not a page number
            if pre and post and not after.strip().isupper():
                continue  # '15 personas': a quantity; a head's label is printed in capitals
            if sum(map(len, pre)) >= _MIN_LETTERS and len(post) <= _MAX_LABEL_WORDS:
                by_prefix[pre].append(
                    _Hit(i, int(m.group(1)), len(before) - len(before.lstrip()), len(line), " ".join(post))
                )
            # Number first: not a footnote ('13  INEGI, Censo …' is punctuated like a sentence).
            if not pre and sum(map(len, post)) >= _MIN_LETTERS and not re.search(r"[,;]|\.\s*$", after):
                by_suffix[tuple(post[:8])].append(_Hit(i, int(m.group(1)), 0, len(line), ""))
    groups = []
    for hits in (*by_prefix.values(), *by_suffix.values()):
        if len(hits) >= 3 and _pages_plausible(hits):
            groups.append(hits)
    return groups


def _page_number(line: str) -> int | None:
    """Return the page number a line next to a head carries: a bare number, or a number with the rest of
    a head an extractor wrapped onto the next line (a few words in capitals: 'LOCAL 21REGIÓN NORTE')."""
    m = _BARE_NUMBER.match(line)
    if m:
        return int(m.group(1))
    numbers = _NUMBER.findall(line)
    rest = _NUMBER.sub(" ", line)
    if (
        len(numbers) == 1
        and len(line.strip()) <= 40
        and 0 < len(_words(rest)) <= _MAX_LABEL_WORDS
        and rest.strip().isupper()
        and not re.search(r"[^\w\s]", rest)
    ):
        return int(numbers[0])
    return None


def _adjacent(lines: list[str], i: int, step: int, reach: int = 2) -> int | None:
    """Return the index of the nearest non-blank line from i in direction step, within `reach` blanks."""
    k, blanks = i + step, 0
    while 0 <= k < len(lines):
        if lines[k].strip():
            return k
        blanks += 1
        if blanks > reach:
            return None
        k += step
    return None


def _beside(lines: list[str], i: int, step: int) -> int | None:
    """Return the nearest non-blank line from i in direction step, past one short line of capitals with no
    number when a page number follows it (a head on two lines: its page number after the second). Used
    only where no page number stands right next to the head."""
    k = _adjacent(lines, i, step)
    if k is None or _page_number(lines[k]) is not None:
        return k
    text = lines[k].strip()
    if text.isupper() and not re.search(r"\d", text) and len(_words(text)) <= _MAX_LABEL_WORDS:
        further = _adjacent(lines, k, step)
        if further is not None and _page_number(lines[further]) is not None:
            return further
    return k


def _numbers_beside(lines: list[str], i: int, taken: set[int], find) -> list[int]:
    """Return the lines on either side of line i (as `find` looks for them) that carry a page number."""
    return [
        k
        for k in (find(lines, i, -1), find(lines, i, 1))
        if k is not None and k not in taken and _page_number(lines[k]) is not None
    ]


def _two_line_heads(lines: list[str], occurrences: list[int], taken: set[int]) -> list[tuple[int, list[int]]]:
    """For a line that recurs with no page number next to it: its page numbers past the head's second line,
    when that second line is the same short line of capitals at most occurrences and the head recurs on
    more pages than a practice's title does (its number, a short line, the title's next line: a title
    printed over two or three pages must not pass for a head)."""
    found, seconds = [], []
    for i in occurrences:
        near = _numbers_beside(lines, i, taken, _beside)
        found.append((i, near))
        for step in (-1, 1):
            k = _adjacent(lines, i, step)
            if near and k is not None and k not in near:
                seconds.append(fold(lines[k].strip()))
    common = max((seconds.count(t) for t in set(seconds)), default=0)
    numbered = sum(1 for _, near in found if near)
    if common >= 0.6 * len(occurrences) and numbered >= _TWO_LINE_MIN:
        return found
    return [(i, []) for i in occurrences]


def _bare_heads(lines: list[str], taken: set[int]) -> list[tuple[int, int]]:
    """Return (head line, page-number line) pairs for heads printed without a number, their page number
    on a line of its own next to them, the numbers growing through the text."""
    by_text: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if i in taken or not line.strip() or re.search(r"\d", line) or len(line) > 200:
            continue
        words = tuple(_words(line))
        if len(words) >= 3 and sum(map(len, words)) >= 18 and len(words) <= _MAX_HEAD_WORDS:
            by_text[words].append(i)
    pairs = []
    for occurrences in by_text.values():
        if len(occurrences) < 3:
            continue
        found = [(i, _numbers_beside(lines, i, taken, _adjacent)) for i in occurrences]
        if not any(near for _, near in found):
            found = _two_line_heads(lines, occurrences, taken)
        if sum(1 for _, near in found if near) < 3:
            continue
        # Page numbers grow: keep, for each head, the neighbour that continues the sequence.
        last, chosen = 0, []
        for i, near in found:
            fits = [k for k in near if _page_number(lines[k]) > last]
            if fits:
                k = min(fits, key=lambda x: _page_number(lines[x]))
                last = _page_number(lines[k])
                chosen.append((i, k))
            else:
                chosen.append((i, -1))
        if sum(1 for _, k in chosen if k >= 0) >= 0.6 * len(chosen) and _room_for_pages(lines, chosen):
            pairs.extend(chosen)
    return pairs


def _room_for_pages(lines: list[str], chosen: list[tuple[int, int]]) -> bool:
    """Return True when the numbers leave room for the occurrences printed without one: a head that recurs
    on pages 4 and 5 cannot recur on a page between them. A line that recurs with a number beside it on
    every other occurrence (a table heading wrapped onto two lines, then a practice's number: 1, —, 2,
    —, 3) is not a running head."""
    numbers = [(_page_number(lines[k]) if k >= 0 else None) for _, k in chosen]
    gaps = impossible = 0
    previous, between = None, 0
    for number in numbers:
        if number is None:
            between += 1
            continue
        if previous is not None:
            gaps += 1
            impossible += number - previous < between + 1
        previous, between = number, 0
    return impossible * 4 <= gaps


def _wrapped_pieces(lines: list[str], heads: dict[int, int | None], taken: set[int]) -> set[int]:
    """Return the lines that hold a piece of a head an extractor wrapped onto a line of its own ("…DESDE EL
    ÁMBITO" / "LOCAL", "BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA" / "DESDE EL ÁMBITO LOCAL 27"): the same line
    of capitals without a number right next to most of the head's occurrences."""
    found: set[int] = set()
    for step in (1, -1):
        by_text: dict[str, list[int]] = defaultdict(list)
        for i in heads:
            k = _adjacent(lines, i, step, reach=0)
            if k is None or k in taken:
                continue
            text = lines[k].strip()
            words = _words(text)
            if words and len(words) <= _MAX_HEAD_WORDS and text.isupper() and not re.search(r"\d", text):
                by_text[fold(text)].append(k)
        for ks in by_text.values():
            if len(ks) >= 3 and len(ks) >= 0.5 * len(heads):
                found.update(ks)
    return found


def _page_break_numbers(lines: list[str], breaks: frozenset[int], taken: set[int]) -> set[int]:
    """Return the bare page numbers at page breaks: the last line before a form feed, or the first line of
    the page when no capital line (a title under its number) follows it."""
    found = set()
    for b in breaks:
        before = b if not lines[b].strip() else None
        before = _adjacent(lines, b, -1, 1) if before is None or not lines[before].strip() else before
        after = b if lines[b].strip() else _adjacent(lines, b, 1, 1)
        for k in (before, after):
            if k is None or k in taken or not _BARE_NUMBER.match(lines[k]):
                continue
            nxt = _adjacent(lines, k, 1)
            if k == after and nxt is not None and lines[nxt].strip().isupper():
                continue
            found.add(k)
    return found


def _glued_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Return a pattern for a head's words anywhere in a line (any case or accents), with its number."""
    body = r"[\W_]+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![a-z\d])(?:\d{{1,3}}\s*{body}|{body}\s*\d{{1,3}}(?!\d))")


def _titled_heads(lines: list[str], title: str) -> list[list[_Hit]]:
    """Return the lines that print the document's own title with a page number (and a short label) as one
    group of heads: a document's title over its page number is a running head even when it occurs once
    (an excerpt)."""
    words = _words(re.sub(r"\([^)]*\)", "", title))
    if sum(map(len, words)) < _MIN_LETTERS:
        return []
    hits = []
    for i, line in enumerate(lines):
        m = re.fullmatch(r"\s*(\D*?)\s*(\d{1,3})\s*(\D*?)\s*", line)
        if not m:
            continue
        pre, post = _words(m.group(1)), _words(m.group(3))
        if pre == words and len(post) <= _MAX_LABEL_WORDS and (not post or m.group(3).isupper()):
            hits.append(_Hit(i, int(m.group(2)), 0, len(line), " ".join(post)))
        elif not pre and post == words:
            hits.append(_Hit(i, int(m.group(2)), 0, len(line), ""))
    return [hits] if hits else []


def remove_furniture(
    lines: list[str], page_breaks: frozenset[int] = frozenset(), *, title: str = ""
) -> tuple[list[str], set[int]]:
    """Return the lines with page furniture blanked out (same count, so line numbers hold) and the indexes
    of the lines that changed. `page_breaks` are the indexes of lines that had a form feed; `title` is the
    document's title from its metadata, when known."""
    out = list(lines)
    changed: set[int] = set()
    labels: dict[str, int] = defaultdict(int)
    full_labels: set[str] = set()
    heads: dict[int, int | None] = {}
    head_words: set[tuple[str, ...]] = set()
    groups = _numbered_heads(lines)
    seen = {h.line for hits in groups for h in hits}
    groups += [[h for h in hits if h.line not in seen] for hits in _titled_heads(lines, title)]
    for hits in filter(None, groups):
        first_words = [h.label.split()[0] for h in hits if h.label]
        family = {w for w in first_words if first_words.count(w) >= 2 or len(hits) == 1}
        for h in hits:
            keep_label = h.label and h.label.split()[0] not in family
            line = lines[h.line]
            if keep_label:  # the words after the number are content glued to the head
                m = re.search(r"\d{1,3}", line[h.start :])
                out[h.line] = " " * (h.start + m.end()) + line[h.start + m.end() :]
            else:
                out[h.line] = ""
                for w in family:
                    labels[w] += 1
                if h.label:
                    full_labels.add(h.label)
            changed.add(h.line)
            heads[h.line] = h.number
        words = tuple(_words(re.sub(r"\d.*$", "", lines[hits[0].line]))) or tuple(
            _words(re.sub(r"^\D*\d+", "", lines[hits[0].line]))
        )
        if words:
            head_words.add(words)
    for head, number in _bare_heads(lines, changed):
        for k in (head, number):
            if k >= 0:
                out[k] = ""
                changed.add(k)
        heads[head] = None
    # Pieces of a head other extractors put on lines of their own: its label, its repeated page number.
    for i in heads:
        for step in (-1, 1):
            k = _adjacent(out, i, step)
            if k is None or k in changed:
                continue
            text = out[k].strip()
            words = _words(text)
            if words and words[0] in labels and len(words) <= _MAX_LABEL_WORDS and text.isupper():
                out[k], _ = "", changed.add(k)
            elif _BARE_NUMBER.match(text) and int(_BARE_NUMBER.match(text).group(1)) == heads[i]:
                out[k], _ = "", changed.add(k)  # the page number printed twice
    for k in _wrapped_pieces(out, heads, changed):
        out[k] = ""
        changed.add(k)
    for k in _page_break_numbers(out, page_breaks, changed):
        out[k] = ""
        changed.add(k)
    # A head glued inside a line of text (a re-wrapping extractor joined it to a paragraph).
    for words in head_words:
        pattern = _glued_pattern(words)
        for i, line in enumerate(out):
            if i in changed or not line.strip() or words[-1] not in fold(line):
                continue
            folded = _fold_same_length(line)
            m = pattern.search(folded)
            if m:
                end = m.end()
                rest = re.sub(r"[^a-z]+", " ", folded[end:]).strip()
                label = next(
                    (
                        x
                        for x in sorted(full_labels, key=len, reverse=True)
                        if rest == x or rest.startswith(x + " ")
                    ),
                    None,
                )
                if label:  # its label after it, as printed ('…LOCAL 18REGIÓN NORTE')
                    words = len(label.split())
                    end += re.match(rf"(?:[^a-z]*[a-z]+){{{words}}}", folded[end:]).end()
                out[i] = (line[: m.start()] + " " + line[end:]).rstrip()
                changed.add(i)
    return out, changed
