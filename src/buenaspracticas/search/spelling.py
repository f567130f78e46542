"""Typo tolerance from the corpus's own vocabulary: a query word whose stem no indexed practice holds and no
dictionary knows (lexicon.py: "vacaciones" or "mental" are words the catalogue does not use, not typos) is
replaced by the closest indexed stem (Levenshtein distance with rapidfuzz: one edit for stems of six to
eight letters, two from nine, none below, since "dolor" is a word and not a misspelt "dolar"; ties go to
the stem more practices hold), and the query is offered back as "¿Quiso decir …?" with the word a reader
would see in the text."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from buenaspracticas.reference import fold
from buenaspracticas.search import lexicon
from buenaspracticas.search.text import _STOPWORDS, stem_word

VOCABULARY_TTL = 300.0  # seconds a process keeps the vocabulary before reading it again
_LOCK = threading.Lock()
_CACHE: dict[str, tuple[float, dict[str, int], list[str]]] = {}
_WORD = re.compile(r"\w+")


@dataclass
class Correction:
    stems: list[str]  # the query's stems, corrected
    text: str = ""  # the corrected query, in words ("" when nothing was corrected)
    corrected: bool = False


def _max_edits(word: str) -> int:
    return 0 if len(word) < 6 else (1 if len(word) < 9 else 2)


def _database() -> str:
    from django.db import connection

    return f"{connection.vendor}|{connection.settings_dict.get('NAME')}"


def _vocabulary(engine) -> tuple[dict[str, int], list[str]]:
    key = _database()
    now = time.monotonic()
    with _LOCK:
        cached = _CACHE.get(key)
        if cached and now - cached[0] < VOCABULARY_TTL:
            return cached[1], cached[2]
    freq = {term: int(n) for term, n in engine.vocabulary() if len(term) >= 3 and term.isalpha()}
    terms = list(freq)
    with _LOCK:
        _CACHE[key] = (now, freq, terms)
    return freq, terms


def document_frequency(engine) -> dict[str, int]:
    """Return indexed stem → number of practices holding it (cached like the vocabulary)."""
    return _vocabulary(engine)[0]


def forget() -> None:
    """Drop the cached vocabularies (tests that rewrite the catalogue)."""
    with _LOCK:
        _CACHE.clear()
    _surface_cached.cache_clear()


def _closest(stem: str, freq: dict[str, int], terms: list[str]) -> str | None:
    edits = _max_edits(stem)
    if not edits:
        return None
    found = process.extract(stem, terms, scorer=Levenshtein.distance, score_cutoff=edits, limit=20)
    # A word that is an indexed word with letters put before it is another word ("indocumentados" is not a
    # misspelt "documentados"), not a typo.
    found = [item for item in found if item[0] not in stem[1:]]
    if not found:
        return None
    # Fewest edits first; among equals the one sharing the first letter, then the stem more practices hold.
    found.sort(key=lambda item: (item[1], item[0][:1] != stem[:1], -freq[item[0]], item[0]))
    return found[0][0]


@lru_cache(maxsize=2048)
def _surface_cached(vendor_db: str, stem: str, typed: str, engine_vendor: str) -> str:
    from buenaspracticas.search.indexer import get_engine

    return _surface(get_engine(), stem, typed)


def _surface(engine, stem: str, typed: str) -> str:
    """Return the word of the indexed text whose stem is this one and that is closest to the word typed
    (lower case), or the stem itself."""
    from django.db import connection

    from buenaspracticas.catalog.models import Practice

    with connection.cursor() as cursor:
        sql, params = engine.ranked_sql(engine.expression([(stem,)]))
        cursor.execute(f"SELECT id FROM ({sql}) h LIMIT 5", params)
        ids = [row[0] for row in cursor.fetchall()]
    head = stem[:3]
    words = {
        word.lower()
        for title, population, description in Practice.objects.filter(pk__in=ids).values_list(
            "title", "target_population", "description"
        )
        for word in _WORD.findall(f"{title} {population} {description}")
        # Most words are ruled out by their first letters before stemming.
        if fold(word[:3]) == head and stem_word(word) == stem
    }
    if not words:
        return stem
    typed = fold(typed)
    return min(sorted(words), key=lambda word: Levenshtein.distance(fold(word), typed))


def correct(engine, query: str, words: list[str], *, keep: set[str] = frozenset()) -> Correction:
    """Return the query's stems with unknown ones replaced by the closest indexed stem, and the corrected
    query in words when any was replaced. Stems in keep (the glossary's) are never corrected."""
    freq, terms = _vocabulary(engine)
    fixed: dict[str, str] = {}
    out = []
    for stem in words:
        if stem in freq or stem in keep or stem.isdigit() or not terms or lexicon.is_word(stem):
            out.append(stem)
            continue
        if engine.has(stem):  # written after the vocabulary was read
            freq[stem] = 1
            out.append(stem)
            continue
        better = _closest(stem, freq, terms)
        if better is None:
            out.append(stem)
            continue
        fixed[stem] = better
        out.append(better)
    if not fixed:
        return Correction(out)
    shown: dict[str, str] = {}
    pieces = []
    for match in re.finditer(r"\w+|\W+", query):
        piece = match.group(0)
        folded = fold(piece)
        stem = stem_word(piece) if piece[0].isalnum() and folded not in _STOPWORDS else ""
        if stem in fixed:
            if stem not in shown:
                shown[stem] = _surface_cached(_database(), fixed[stem], piece, engine.vendor)
            piece = shown[stem]
        pieces.append(piece)
    return Correction(out, "".join(pieces).strip(), True)
