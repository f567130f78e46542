"""Which words are words: the Spanish frequency list that ships with pyspellchecker, reduced to the stems the
search uses. A query word the catalogue lacks but the dictionary knows ("vacaciones", "mental", "difuntos")
is a word the catalogue does not use, not a typo: it is searched as typed (the semantic retriever finds what
says it otherwise) rather than "corrected" into another word. Only a stem the dictionary does not know well
("repatracion", "desenpleo") is a candidate for correction. English words are left to the corrector, which
maps cognates to the catalogue's words ("migrants" → "migrante").

Stemming the dictionary takes a couple of seconds, so the known stems are kept in the machine's cache
(one line each, keyed by the library's version) and read from there by later processes."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from buenaspracticas.search import semantic
from buenaspracticas.search.text import stem_word

LANGUAGES = ("es",)
# pyspellchecker's lists give every entry at least 50 occurrences, and the rarest entries include common
# misspellings: a stem is known when its words add up to twice that floor.
KNOWN_FROM = 100
_LOCK = threading.Lock()
_KNOWN: dict[str, frozenset[str]] = {}


def _cache_file() -> Path:
    from importlib.metadata import version

    tag = f"{version('pyspellchecker')}-{'-'.join(LANGUAGES)}-{KNOWN_FROM}"
    return semantic.cache_root() / f"lexicon-{tag}.txt"


def _build() -> frozenset[str]:
    from spellchecker import SpellChecker

    frequency: Counter[str] = Counter()
    for language in LANGUAGES:
        for word, count in SpellChecker(language=language, distance=1).word_frequency.items():
            if word.isalpha():
                frequency[stem_word(word)] += count
    return frozenset(stem for stem, count in frequency.items() if count >= KNOWN_FROM)


def known_stems() -> frozenset[str]:
    """Return the stems of the dictionary's words (built once per machine, then read from its cache)."""
    with _LOCK:
        if "stems" in _KNOWN:
            return _KNOWN["stems"]
        path = _cache_file()
        try:
            stems = frozenset(path.read_text(encoding="utf-8").split())
        except OSError:
            stems = _build()
            semantic.write_atomically(path, "\n".join(sorted(stems)).encode("utf-8"))
        _KNOWN["stems"] = stems
        return stems


def is_word(stem: str) -> bool:
    """Whether a dictionary knows this stem well enough that it is not a misspelling."""
    return stem in known_stems()
