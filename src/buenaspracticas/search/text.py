"""Spanish text analysis shared by the search backends: accent folding and Snowball stemming."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import Stemmer

from buenaspracticas.reference import fold

_WORD = re.compile(r"[a-z0-9ñ]+")
_STOPWORDS = frozenset(
    "a al algo algun alguna algunas alguno algunos ante antes como con contra cual cuales cuando de del "
    "desde donde durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estan estas este "
    "esto estos fue ha han hay la las le les lo los mas me mi muy ni no nos o otra otras otro otros para "
    "pero poco por que quien se sea segun ser si sin sobre son su sus tambien tan te tiene tienen todo "
    "todos tu un una unas uno "
    "unos y ya cuales que hay hace hacen the of and or to in for on with what which how".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    return Stemmer.Stemmer("spanish")


def tokens(text: str) -> list[str]:
    """Return the folded words of a text (lower case, no accents)."""
    if len(text) < 200:
        return _WORD.findall(fold(text).replace("ñ", "n"))
    # Long texts (indexing): the same folding in C, marks dropped by an ASCII round trip.
    bare = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(bare)


def stems(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Return the Spanish Snowball stems of a text's words, stopwords dropped."""
    words = [w for w in tokens(text) if keep_stopwords or w not in _STOPWORDS]
    return _stemmer().stemWords(words)


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    """Return the stem of one word (folded), cached: highlighting stems every word of a text."""
    folded = tokens(word)
    return _stemmer().stemWord(folded[0]) if folded else ""


def highlight(text: str, wanted_stems: set[str], *, width: int = 220) -> str:
    """Return an HTML-escaped excerpt of text around the first matched word, matched words in <mark>."""
    words = list(re.finditer(r"\w+", text))
    # A stem begins its word (after folding): most words are ruled out by their first two letters.
    heads = {stem[:2] for stem in wanted_stems}
    hits = [m for m in words if fold(m.group(0)[:2]) in heads and stem_word(m.group(0)) in wanted_stems]
    if not hits:
        return ""
    start = max(0, hits[0].start() - width // 3)
    end = min(len(text), start + width)
    # Cut at word boundaries, never inside a word ("…berá presentar"): back to the start of the word the
    # window opens in, and forward to the end of the one it closes in.
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    out, pos = [], start
    for m in hits:
        if m.start() < start or m.end() > end:
            continue
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")
