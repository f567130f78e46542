"""The domain thesaurus (thesaurus.json): concepts of Mexican migration policy, each a set of equivalent
Spanish terms with English entry words and broader/narrower links. A query word or phrase naming a concept
becomes one group of alternatives: the words typed first, then the concept's Spanish terms and those of the
concepts directly narrower than it. The words typed keep the most weight: the search ranks the practices
holding them before those holding only an equivalent (index.py orders matches by the fields holding the typed
stems), and widens a concept only where the catalogue says nothing with the words typed (see widen)."""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from buenaspracticas.search.text import _STOPWORDS, stem_word, stems, tokens

THESAURUS = Path(__file__).with_name("thesaurus.json")
# Words that reverse a phrase's meaning ("sin papeles", "no acompañados") although they are stopwords: kept,
# as these markers, while a query is matched against the thesaurus, and dropped from what is searched.
_MARK = "¬"


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    terms: tuple[str, ...]  # Spanish equivalents, searched when the concept is named
    entry: tuple[str, ...]  # words leading into the concept, not searched in place of another term
    en: tuple[str, ...]  # English entry words
    broader: tuple[str, ...]


@lru_cache(maxsize=1)
def load() -> dict:
    """Return the thesaurus file's content."""
    return json.loads(THESAURUS.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def concepts() -> dict[str, Concept]:
    """Return the thesaurus's concepts by id, in file order."""
    return {
        c["id"]: Concept(
            c["id"],
            c["label"],
            tuple(c["terms"]),
            tuple(c.get("entry", ())),
            tuple(c.get("en", ())),
            tuple(c.get("broader", ())),
        )
        for c in load()["concepts"]
    }


@lru_cache(maxsize=1)
def _negations() -> frozenset[str]:
    return frozenset(load().get("negations", ()))


def marked_stems(text: str) -> list[str]:
    """Return a text's stems as the thesaurus matches them: stopwords dropped, negations kept as markers."""
    out = []
    for word in tokens(text):
        if word in _negations():
            out.append(_MARK + word)
        elif word not in _STOPWORDS:
            out.append(stem_word(word))
    return out


def searched(marked: tuple[str, ...]) -> tuple[str, ...]:
    """Return what the engines search for a marked phrase: its stems without markers, a word repeated in a row
    once ("niñas y niños" is "nin")."""
    out: list[str] = []
    for stem in marked:
        if not stem.startswith(_MARK) and (not out or out[-1] != stem):
            out.append(stem)
    return tuple(out)


def searchable(marked: tuple[str, ...]) -> bool:
    """Whether a phrase means what its searched stems say: a negated phrase needs two words besides its
    negation ("menores no acompañados" is, "sin papeles" is not: "papel" alone says something else)."""
    return bool(searched(marked)) and (
        not any(s.startswith(_MARK) for s in marked) or len(searched(marked)) >= 2
    )


@lru_cache(maxsize=1)
def narrower() -> dict[str, tuple[str, ...]]:
    """Return concept id → the ids of the concepts directly narrower than it."""
    out: dict[str, list[str]] = {cid: [] for cid in concepts()}
    for concept in concepts().values():
        for parent in concept.broader:
            out[parent].append(concept.id)
    return {cid: tuple(children) for cid, children in out.items()}


@cache
def alternatives(concept_id: str) -> tuple[tuple[str, ...], ...]:
    """Return what a query naming the concept searches besides its own words: the searchable stems of the
    concept's terms and of the terms of the concepts directly narrower, in file order, without repeats."""
    out: list[tuple[str, ...]] = []
    for cid in (concept_id, *narrower()[concept_id]):
        for term in concepts()[cid].terms:
            marked = tuple(marked_stems(term))
            if searchable(marked) and searched(marked) not in out:
                out.append(searched(marked))
    return tuple(out)


@lru_cache(maxsize=1)
def entries() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Return every term and entry word (as marked stems) → the ids of the concepts it names (two for a term
    the thesaurus declares shared, like "refugio")."""
    out: dict[tuple[str, ...], list[str]] = {}
    for concept in concepts().values():
        for term in (*concept.terms, *concept.entry, *concept.en):
            marked = tuple(marked_stems(term))
            if marked and concept.id not in out.setdefault(marked, []):
                out[marked].append(concept.id)
    return {phrase: tuple(ids) for phrase, ids in out.items()}


@lru_cache(maxsize=1)
def _phrase_index() -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    """Return every thesaurus phrase (marked stems) → the stems it searches (its concepts' alternatives)."""
    return {phrase: {alt for cid in ids for alt in alternatives(cid)} for phrase, ids in entries().items()}


_STATE = threading.local()


def glossary_enabled() -> bool:
    """Whether queries are expanded with the thesaurus (on unless switched off)."""
    return getattr(_STATE, "enabled", True)


@contextlib.contextmanager
def glossary(enabled: bool):
    """Switch the thesaurus's expansion on or off in this thread (the relevance benchmark measures both)."""
    before = glossary_enabled()
    _STATE.enabled = enabled
    try:
        yield
    finally:
        _STATE.enabled = before


def _typed(phrase: tuple[str, ...], ids: tuple[str, ...]) -> tuple[str, ...]:
    """Return what stands for the words typed: their stems, or, for a negated phrase whose stems alone say
    something else ("sin papeles"), the first searchable term of its concept."""
    if searchable(phrase):
        return searched(phrase)
    for cid in ids:
        if alternatives(cid):
            return alternatives(cid)[0]
    return searched(phrase)


def query_groups(query: str, words: list[str] | None = None) -> list[list[tuple[str, ...]]]:
    """Return the query as groups of alternatives: each group one concept of the query, each alternative a
    tuple of stems that must appear together. The first alternative stands for the words typed, the others
    are the thesaurus's equivalents. Words (stems) may be given when the query was corrected."""
    words = stems(query) if words is None else words
    if not glossary_enabled():
        return [[(word,)] for word in dict.fromkeys(words)]
    marked = marked_stems(query)
    if [s for s in marked if not s.startswith(_MARK)] != list(words):
        marked = list(words)  # a corrected query: its stems as given, without negations
    index = entries()
    longest = max((len(p) for p in index), default=1)
    groups: list[list[tuple[str, ...]]] = []
    i = 0
    while i < len(marked):
        for size in range(min(longest, len(marked) - i), 0, -1):
            phrase = tuple(marked[i : i + size])
            if phrase in index:
                ids = index[phrase]
                typed = _typed(phrase, ids)
                others = dict.fromkeys(alt for cid in ids for alt in alternatives(cid) if alt != typed)
                groups.append([typed, *others])
                i += size
                break
        else:
            if not marked[i].startswith(_MARK):
                groups.append([(marked[i],)])
            i += 1
    return groups


# A concept is widened where the words typed for it find no practice: then the thesaurus's equivalents are
# what the catalogue says. Where they find some, they are searched as typed, so a keyword query counts the
# practices that use it (widening words held by one or two practices, as before, brought the count of
# "intérpretes" to 5 practices for 1 about interpreters, of "regularización" to 7 for 2: 57 of 64 keyword
# queries of the seen judged sets within three times their relevant practices, 62 of 64 now, top-5 471 of
# 488 against 472); the dense retriever brings the practices that say it in other words, ranked and counted
# by its own floors.
EXPAND_BELOW = 1


def widen(
    groups: list[list[tuple[str, ...]]], held: dict[str, int], *, below: int = EXPAND_BELOW
) -> list[list[tuple[str, ...]]]:
    """Return the groups keeping a concept's equivalents only where the catalogue says nothing with the words
    typed for it: one of them held by fewer than `below` practices (held: stem → number of practices; by
    default, by none). Elsewhere the words typed are searched alone, so a keyword query counts the practices
    that use them. The same rule for every concept of a query, not only for one-concept queries."""
    return [
        group if len(group) > 1 and min(held.get(stem, 0) for stem in group[0]) < below else group[:1]
        for group in groups
    ]


def all_stems(groups: list[list[tuple[str, ...]]]) -> set[str]:
    """Return the stems to highlight: the words typed and one-word equivalents (a phrase's single words, like
    "casa" of "casa del migrante", would light up unrelated text)."""
    out: set[str] = set()
    for group in groups:
        out.update(group[0])
        out.update(alt[0] for alt in group[1:] if len(alt) == 1)
    return out
