"""Text helpers of the practice parser: line kinds (labels, marks, footnotes, titles) and the joining of
broken lines into flowing text (hyphenation, glued footnote numbers). Pure Python, no Django."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from buenaspracticas.reference import fold

# Accent-insensitive letters for building label patterns from folded words.
_ACCENTS = {"a": "[aáÁ]", "e": "[eéÉ]", "i": "[iíÍ]", "o": "[oóÓ]", "u": "[uúüÚÜ]", "n": "[nñÑ]"}


def loose(folded: str) -> str:
    """Return a regex matching `folded` words in any case, with or without accents, any spacing."""
    parts = []
    for ch in folded:
        if ch == " ":
            parts.append(r"\s+")
        else:
            parts.append(_ACCENTS.get(ch, re.escape(ch)))
    return "".join(parts)


def _label(*alternatives: str) -> re.Pattern[str]:
    body = "|".join(loose(a) for a in alternatives)
    return re.compile(rf"^\s*(?:{body})\s*(?::|(?=\s|$))\s*(?P<rest>.*)$", re.I)


LABELS: dict[str, re.Pattern[str]] = {
    "institution": _label("institucion que coordina", "instituciones que coordinan"),
    "dimensions": _label(
        "dimensiones de la poblacion que atiende",
        "dimension de la poblacion que atiende",
        "dimension de la poblacion",
    ),
    "target_population": _label("poblacion objetivo"),
}
# The description's label varies: CARACTERÍSTICAS DE LA PRÁCTICA, DESCRIPCIÓN (DE LA (BUENA) PRÁCTICA),
# CONTEXTO Y DESCRIPCIÓN DE LA PRÁCTICA. It must end with a colon or the line (prose never does).
DESCRIPTION_LABEL = re.compile(
    rf"^\s*(?:{loose('contexto y')}\s+)?(?:{loose('caracteristicas')}|{loose('descripcion')})"
    rf"(?:\s+{loose('de la')}(?:\s+{loose('buena')})?\s+{loose('practica')})?\s*(?::\s*(?P<rest>.*)|$)",
    re.I,
)
CRITERIA_HEADING = re.compile(rf"^\s*{loose('criterios de evaluacion')}\s*:?\s*(?P<rest>.*)$", re.I)
CUADRO_PRACTICES = re.compile(rf"^\s*{loose('cuadro')}\s+\d+\s+{loose('buenas practicas')}", re.I)
CUADRO_ANY = re.compile(rf"^\s*{loose('cuadro')}\s+(?P<number>\d+)\b", re.I)
SOURCE_NOTE = re.compile(rf"^\s*(?:{loose('fuente')}\s*:\s*)?{loose('elaboracion propia')}", re.I)
URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$", re.I)
BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
# A practice's number as printed: '3', '3.', '3)', 'Práctica 3', 'Ficha n.º 3', 'N.º 3'.
HEADER_NUMBER = re.compile(
    rf"^\s*(?:(?:{loose('practica')}|{loose('ficha')})\s+(?:n\.?\s*[º°o]\.?\s*)?|n\.?\s*[º°o]\.?\s*)?"
    r"(\d{1,2})[.)]?(?:\s+(?P<rest>\S.*))?\s*$",
    re.I,
)
# A footnote: its number, a space, then a capital (or 'Ídem', a quote); evidence lines such as
# '197 personas' or '29 de la Ley' start with a small letter and are not footnotes.
FOOTNOTE = re.compile(r"^\s*(\d{1,3})\s+(?=[A-ZÁÉÍÓÚÑ¿“\"(]|Ídem|Idem)")
BULLET = re.compile(r"^\s*[•·▪●◦\-–]\s*")

CRITERION_NAMES = {
    "sostenibilidad": "sostenibilidad",
    "asociacion": "asociacion",
    "innovacion": "innovacion",
    "replicabilidad": "replicabilidad",
    "eficacia": "eficacia",
}
CRITERION_NAME = re.compile("|".join(f"(?P<{k}>{loose(k)})" for k in CRITERION_NAMES), re.I)
MET_GLYPHS = "✓✔☑✅"
NOT_MET_GLYPHS = "✗✘✕✖☒❌"
GLYPH = re.compile(f"[{MET_GLYPHS}{NOT_MET_GLYPHS}]")


def table_before(lines: list[str] | tuple[str, ...], first: int, line: int) -> int | None:
    """Return the number of the nearest "CUADRO n" heading on lines first..line (1-based), reading back
    from `line`; None when there is none (a table number is read, never guessed)."""
    for n in range(line, first - 1, -1):
        m = CUADRO_ANY.match(lines[n - 1])
        if m:
            return int(m.group("number"))
    return None


def letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def is_upper_text(text: str) -> bool:
    """Return True for a title-like line: letters present and (almost) all capitals, no bullet."""
    if BULLET.match(text) and not text.strip().startswith("-"):
        return False
    ls = letters(text)
    if not ls:
        return False
    upper = sum(1 for c in ls if c.isupper())
    return upper >= len(ls) - (1 if len(ls) >= 12 else 0)


def is_label(line: str) -> bool:
    return bool(
        any(p.match(line) for p in LABELS.values())
        or DESCRIPTION_LABEL.match(line)
        or CRITERIA_HEADING.match(line)
    )


# --- vocabulary for hyphenation ------------------------------------------------------------------

_WORD = re.compile(r"(?<![\w-])([^\W\d_]+)(?![\w-])")


@lru_cache(maxsize=8)
def vocabulary(lines: tuple[str, ...]) -> frozenset[str]:
    """Return the folded words that occur whole (not beside a hyphen) somewhere in the report."""
    counts: Counter[str] = Counter()
    for line in lines:
        for m in _WORD.finditer(line):
            counts[fold(m.group(1))] += 1
    return frozenset(w for w, n in counts.items() if n >= 1 and len(w) > 1)


_HYPHEN_BREAK = re.compile(r"([^\W\d_]+)-\s+([^\W\d_]+)")


def join_hyphens(text: str, vocab: frozenset[str]) -> str:
    """Join words split by a line-break hyphen ('CREDENCIA- LIZACIÓN' → 'CREDENCIALIZACIÓN'); keep the
    hyphen, without the space, when both halves are words of their own ('OAXACA- ESTADOS' →
    'OAXACA-ESTADOS')."""

    def repl(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if fold(left) in vocab and fold(right) in vocab and fold(left + right) not in vocab:
            return f"{left}-{right}"
        return left + right

    return _HYPHEN_BREAK.sub(repl, text)


def join_lines(lines: list[str]) -> str:
    """Join a paragraph's lines with spaces; a line ending in a hyphen after a letter is joined with the
    hyphen followed by a space, so that join_hyphens decides."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        # A line ending in a hyphen is joined with a space too: join_hyphens decides.
        out = f"{out} {line}" if out else line
    return re.sub(r"\s+", " ", out).strip()


def strip_footnote_refs(text: str, footnotes: set[int], *, title: bool = False) -> str:
    """Drop footnote numbers glued to the end of a word ('migrante34,' → 'migrante,', 'del 202066' →
    'del 2020' when footnote 66 exists). In titles any number glued to a capital or bracket goes."""

    def repl(m: re.Match[str]) -> str:
        prefix, digits = m.group(1), m.group(2)
        if title and (prefix[-1].isalpha() and prefix[-1].isupper() or prefix[-1] in ')”"».'):
            return prefix
        for k in range(1, min(3, len(digits)) + 1):
            number = int(digits[-k:])
            head = digits[:-k]
            if number in footnotes and digits[-k] != "0":
                if not head and (prefix[-1].isalpha() or prefix[-1] in ')”"».,;:'):
                    return prefix
                if head and re.fullmatch(r"(?:19|20)\d\d", head):
                    return prefix + head
        return m.group(0)

    text = re.sub(r"([^\W\d_]|[)”\"».,;:])(\d{1,3})(?=[\s.,;:)–—]|$)", repl, text)
    # A year with a footnote number glued to it: 'del año 2000100', 'enero del 202066'.
    return re.sub(
        r"(?<![\d.,$])((?:19|20)\d\d)(\d{1,3})(?=[\s.,;:)]|$)",
        lambda m: m.group(1) if int(m.group(2)) in footnotes else m.group(0),
        text,
    )


def clean_text(text: str, vocab: frozenset[str], footnotes: set[int], *, title: bool = False) -> str:
    text = join_hyphens(text, vocab)
    text = strip_footnote_refs(text, footnotes, title=title)
    return re.sub(r"\s+", " ", text).strip()


# Words a sentence cannot end on: a paragraph ending in one was cut by a column or page break.
_DANGLING = frozenset(
    "a al ante con de del e el en entre la las lo los o para por que se su sus u un una y como sobre sin "
    "hacia desde hasta mediante cuyo cuya".split()
)
_LIST_ITEM = re.compile(r"^(?:[a-z]|[ivx]+|\d+)[).]\s")
_TERMINAL = re.compile(r"[.:;!?)”\"»]$")
_BULLET = re.compile(r"^\s*[-–•·*]")  # a bullet starts an item of its own


def ends_dangling(text: str) -> bool:
    """Return True when text stops on a hyphen or a word no sentence ends on (it continues elsewhere)."""
    text = text.rstrip()
    last_word = re.sub(r"\W", "", text.rsplit(" ", 1)[-1]).lower()
    return text.endswith("-") or last_word in _DANGLING


def ends_sentence(text: str) -> bool:
    """Return True when text ends as a sentence does (a full stop, a colon, a closing bracket or quote)."""
    return bool(_TERMINAL.search(text.rstrip()))


def opens_sentence(text: str) -> bool:
    """Return True when text starts as a sentence or a list item does: a capital, a bullet, a number."""
    text = text.lstrip()
    return bool(text) and (
        text[0].isupper() or text[0].isdigit() or bool(_BULLET.match(text)) or text[0] in '¿¡“"('
    )


def merge_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Return the paragraphs with those a page or column break cut mid-sentence joined again: a paragraph
    ending on a hyphen or a word no sentence ends on (article, preposition, conjunction) always continues
    in the next (a trailing comma does not count: the report ends some columns with one); one starting with
    a small letter (not a list item) continues an unfinished one."""
    out: list[str] = []
    for para in paragraphs:
        if out:
            prev = out[-1].rstrip()
            dangling = ends_dangling(prev) and not _BULLET.match(para)
            continues = para[:1].islower() and not _LIST_ITEM.match(para) and not _TERMINAL.search(prev)
            if dangling or continues:
                out[-1] = prev + " " + para.lstrip()
                continue
        out.append(para)
    return out
