"""Reading the figures of a report's text as PDF extractors give them.

Handles thousands written with spaces ("3 769 020", also doubled spaces), commas ("152,377", "1, 212, 252"),
words ("12 mil 197", "1.2 millones"), decimals with a point or a comma, broken by a space ("17. 2 %",
"49,6 %", ".17%"), percentages, and footnote markers that the extractor glued to a figure: "848l18" (a
superscript read as 'l'), "3 31019" (digit grouping in threes leaves "19" over), "51530" or "202127" (the
tail is a footnote number that exists nearby), "525.71" (".71" is a footnote, not decimals) and markers
glued to words ("hombres13", "migración33"). Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

_SP = (
    "(?:[ ]{1,3}|[ ]*\n[ ]*)"  # a thousands gap: a space (or a few, or a line break when an extractor wraps)
)
_MARKER_L = re.compile(r"[lI|](\d{1,3})(?![\d%])")
_MIL = re.compile(rf"{_SP}mil(?![a-záéíóú])(?:{_SP}(\d{{3}})(?!\d))?", re.I)
_MILLONES = re.compile(rf"{_SP}(?:millones|millón|millon)(?![a-z])", re.I)
_PCT = re.compile(r"[ ]{0,2}\n?[ ]{0,2}(?:%|por ciento)")


@dataclass(frozen=True)
class Number:
    """A figure (or a bare footnote marker) found in a text, with its character span."""

    value: int | float
    start: int
    end: int  # end of the figure itself, '%' included, marker excluded
    raw: str
    percent: bool = False
    decimals: int = 0
    marker: int | None = None  # footnote number glued after the figure
    marker_end: int | None = None  # end of the glued marker
    is_marker: bool = False  # the token is only a footnote marker ("hombres13", "hombres 26")

    @property
    def token_end(self) -> int:
        return self.marker_end if self.marker_end is not None else self.end


def parse_number(text: str, footnotes: Collection[int] = ()) -> int | float | None:
    """Return the value of the first figure in `text` ("3 769 020" → 3769020, "17. 2 %" → 17.2), or None."""
    for token in find_numbers(text, footnotes):
        if not token.is_marker:
            return token.value
    return None


def find_numbers(text: str, footnotes: Collection[int] = ()) -> list[Number]:
    """Return every figure and footnote marker in `text`, in order.

    `footnotes` are the footnote numbers that exist near the text; they decide whether trailing digits
    are a glued marker ("51530" with a footnote 30 is 515) or part of the figure.
    """
    notes = set(footnotes)
    out: list[Number] = []
    seen: list[int] = []  # markers met so far: footnotes are numbered in reading order
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        leading_dot = (
            ch == "." and i + 1 < n and text[i + 1].isdigit() and (i == 0 or not text[i - 1].isalnum())
        )
        if not ch.isdigit() and not leading_dot:
            i += 1
            continue
        fresh = {k for k in notes if not seen or k > max(seen)}
        token = _read_at(text, i, notes, fresh)
        if token is None:
            j = i + 1
            while j < n and text[j].isdigit():
                j += 1
            i = j
            continue
        if bare_marker(text, token.start, token, fresh):
            token = Number(int(token.value), token.start, token.end, token.raw, is_marker=True)
        if token.is_marker:
            seen.append(int(token.value))
        elif token.marker is not None:
            seen.append(token.marker)
        out.append(token)
        i = max(token.token_end, i + 1)
    return out


def _read_at(text: str, p: int, notes: set[int], fresh: set[int] | None = None) -> Number | None:
    prev = text[p - 1] if p > 0 else " "
    if text[p] == ".":  # ".17%": a share written without its leading zero
        m = re.match(r"\.(\d{1,3})", text[p:])
        end = p + m.end()
        pm = _PCT.match(text, end)
        if prev.isdigit():
            return None
        if pm:
            return Number(float("0." + m.group(1)), p, pm.end(), text[p : pm.end()], True, len(m.group(1)))
        if int(m.group(1)) in notes or prev in ")":  # ".46" after a sentence: a footnote marker
            return Number(int(m.group(1)), p + 1, end, m.group(1), is_marker=True)
        return None
    m = re.match(r"\d+", text[p:])
    digits = m.group(0)
    q = p + len(digits)
    if prev.isalpha() or prev in ".),;”\"'":
        # Digits glued to a word or a sentence end: a footnote marker, unless a share follows
        # ("estudiar14.4%").
        dec = re.match(r"(?:[.,] ?\d{1,2})?[ ]{0,2}%", text[q:])
        if dec:
            return _finish(text, p, digits, q, notes, fresh)
        if prev in "-/":
            return None
        if len(digits) <= 3:
            return Number(int(digits), p, q, digits, is_marker=True)
        if len(digits) == 4 or len(digits) > 7:
            return None  # part of a word (COVID19) or a code
        return None
    if prev in "-/" and p >= 2 and text[p - 2].isalnum():
        return None  # "2015-2020": the second year of a range is read with the first
    return _finish(text, p, digits, q, notes, fresh)


def _finish(text: str, p: int, digits: str, q: int, notes: set[int], fresh: set[int] | None = None) -> Number:
    """Read the figure that starts with `digits` at p (q is after them)."""
    fresh = notes if fresh is None else fresh
    groups = [digits]
    value_str = digits
    decimals = 0
    marker: int | None = None
    marker_end: int | None = None
    grouped = False
    # Thousands groups: spaces or commas, each exactly three digits.
    while True:
        if len(groups[0]) > 3 and not grouped:
            break
        m = re.match(rf"(?:{_SP}|,[ ]{{0,2}})(\d+)", text[q:])
        if not m:
            break
        run = m.group(1)
        after = text[q + m.end() : q + m.end() + 1]
        sep = text[q : q + m.start(1)]
        if "," in sep and len(run) <= 2 and not sep.endswith(" "):
            break  # decimal comma, read below
        if len(run) == 3 and not (after.isdigit()):
            if after in (".", ",") and text[q + m.end() + 1 : q + m.end() + 2].isdigit() and "," not in sep:
                pass  # "1 234.5" keeps reading below
            groups.append(run)
            grouped = True
            q += m.end()
            continue
        if (
            4 <= len(run) <= 6
            and "\n" not in sep
            and (grouped or len(groups[0]) <= 3)
            and (int(run[3:]) in notes or not notes or len(run) - 3 <= 2)
            and not _PCT.match(text, q + m.end())
        ):
            # "3 31019": the three-digit group, then a glued footnote marker.
            if sep.strip() == "" and len(sep) > 1 and int(run[3:]) not in notes:
                break
            groups.append(run[:3])
            marker = int(run[3:])
            marker_end = q + m.end()
            q += m.start(1) + 3
            grouped = True
        break
    value_str = "".join(groups)
    end = q
    value: int | float = int(value_str)
    # Decimals: "49.6", "17. 2 %", "49,6 %", "3,499.1 millones"; "525.71" with a footnote 71 is 525 + marker.
    if marker is None:
        m = re.match(r"([.,])([ ]{0,2})(\d{1,3})(?!\d)", text[end:])
        if m:
            point, space, frac = m.groups()
            after_pos = end + m.end()
            pct = _PCT.match(text, after_pos)
            scale = re.match(rf"{_SP}(?:mil|millones|millón|millon)(?![a-z])", text[after_pos:], re.I)
            if point == "," and (grouped or len(frac) == 3) and not pct:
                pass  # a comma that ends a list or a thousands group already read
            elif pct or scale:
                value = float(f"{value_str}.{frac}")
                decimals = len(frac)
                end = after_pos
            elif space:
                pass  # "2021. 3 personas": sentence end
            elif int(frac) in fresh and len(frac) <= 2:
                marker, marker_end = int(frac), after_pos
            elif point == "." and len(frac) == 3 and not grouped and len(value_str) <= 3:
                value = int(value_str + frac)  # "1.234": a thousands point
                end = after_pos
            elif point == "." and not (text[after_pos : after_pos + 1].isalpha()):
                value = float(f"{value_str}.{frac}")
                decimals = len(frac)
                end = after_pos
    # Words: "12 mil 197", "1.2 millones".
    m = _MIL.match(text, end)
    if m and marker is None:
        value = value * 1000 + (int(m.group(1)) if m.group(1) else 0)
        value = int(value) if float(value).is_integer() else value
        end = m.end()
    else:
        m = _MILLONES.match(text, end)
        if m and marker is None:
            value = value * 1_000_000
            value = int(round(value)) if abs(value - round(value)) < 1e-6 else value
            end = m.end()
    percent = False
    pm = _PCT.match(text, end)
    if pm and marker is None:
        percent = True
        end = pm.end()
    if marker is None:
        # "848l18": a superscript the extractor read as 'l'.
        m = _MARKER_L.match(text, end)
        if m and (not notes or int(m.group(1)) in notes or True):
            marker, marker_end = int(m.group(1)), m.end()
    if (
        marker is None
        and not percent
        and not grouped
        and decimals == 0
        and len(value_str) >= 3
        and not (len(value_str) == 4 and 1900 <= int(value_str) <= 2099)
    ):
        # "51530", "202127": the tail is a footnote that exists nearby.
        nxt = text[end : end + 1]
        if not nxt.isalnum() and nxt != "%":
            for size in (2, 3):
                if len(value_str) - size >= 2 and int(value_str[-size:]) in fresh and value_str[-size] != "0":
                    head = value_str[:-size]
                    value = int(head)
                    marker = int(value_str[-size:])
                    marker_end = end
                    end = p + len(head)
                    break
    if marker is None:
        # "1441  72", "4 591 59", "hombres 26": a footnote number set apart by spaces.
        m = re.match(r"[ ]{1,4}(\d{1,3})(?![\d%]|[.,]\d|[ ]{1,3}\d)", text[end:])
        if m and int(m.group(1)) in fresh:
            tail = text[end + m.end() :].lstrip(" ")
            if not tail or tail[0] in "\n.•;,)" or tail[0].isupper():
                marker, marker_end = int(m.group(1)), end + m.end()
    if isinstance(value, float) and decimals == 0 and value.is_integer():
        value = int(value)
    return Number(value, p, end, text[p:end], percent, decimals, marker, marker_end)


def bare_marker(text: str, start: int, token: Number, notes: Collection[int]) -> bool:
    """Return True when `token`, a plain small figure, stands alone after a word as a footnote marker
    ("59.1% hombres 26" with a footnote 26 nearby) rather than as a figure ("renovadas 74 en la entidad")."""
    if (
        token.is_marker
        or token.percent
        or token.decimals
        or token.value not in set(notes)
        or len(token.raw) > 3
    ):
        return False
    before = text[:start].rstrip(" ")
    if not before or not (before[-1].isalpha() or before[-1] in "%)."):
        return False
    word = re.search(r"([a-záéíóúñü]+)$", before.lower())
    if word and word.group(1) in {
        "de",
        "del",
        "con",
        "en",
        "total",
        "y",
        "los",
        "las",
        "el",
        "la",
        "a",
        "entre",
        "ellas",
        "unos",
        "unas",
        "su",
        "sus",
        "por",
        "que",
        "fueron",
        "son",
        "cuenta",
    }:
        return False
    tail = text[token.end :].lstrip(" ")
    return not tail or tail[0] in "\n.•;,)" or tail[0].isupper()
