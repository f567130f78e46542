"""Suggestions from a practice's text: population groups and GCM objectives, each with a score and the
phrase that suggested it. Word families (vocabulary.py) plus the embedder's similarity; no queries here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from buenaspracticas.recommend.vocabulary import GCM_FAMILIES, GROUPS, compiled, gcm_objectives
from buenaspracticas.reference import fold

# How much a word-family hit counts, by the field it is found in.
FIELD_WEIGHT = {"target_population": 0.9, "title": 0.85, "description": 0.7}
MAX_PASSAGES = 40
PHRASE_CHARS = 160
GCM_MAX = 5
GCM_MIN_SCORE = 0.42
EMBEDDER_MARGIN = 0.025
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZÁÉÍÓÚÑ•“\"(0-9])|\s*•\s*|\n+")


@dataclass(frozen=True)
class Suggestion:
    key: str | int  # group code or objective number
    score: float
    because: str
    source: str  # rules or embedder


def passages(practice: dict) -> list[tuple[str, str]]:
    """Return (field, text) passages of a practice: title, target population and description sentences."""
    out = [
        ("title", practice.get("title") or ""),
        ("target_population", practice.get("target_population") or ""),
    ]
    for sentence in _SENTENCE.split(practice.get("description") or ""):
        sentence = " ".join(sentence.split())
        if len(sentence) >= 12:
            out.append(("description", sentence[:400]))
    return [(f, " ".join(t.split())) for f, t in out if t.strip()][:MAX_PASSAGES]


def _snippet(text: str, start: int, end: int) -> str:
    if len(text) <= PHRASE_CHARS:
        return text
    half = (PHRASE_CHARS - (end - start)) // 2
    a, b = max(0, start - half), min(len(text), end + half)
    a = text.rfind(" ", 0, a) + 1 if a > 0 else 0
    b = text.find(" ", b) if b < len(text) and text.find(" ", b) > 0 else len(text)
    return ("…" if a > 0 else "") + text[a:b].strip() + ("…" if b < len(text) else "")


def _rule_hits(parts: list[tuple[str, str]], families: tuple[str, ...]) -> tuple[float, str, int]:
    """Return (score, phrase, distinct families hit) of the best word-family match over the passages."""
    best, phrase, hit = 0.0, "", set()
    for field, text in parts:
        folded = fold(text)
        for pattern in families:
            m = compiled(pattern).search(folded)
            if m is None:
                continue
            hit.add(pattern)
            weight = FIELD_WEIGHT[field]
            if weight > best:
                # fold() keeps one character per character of single-spaced text, so offsets carry over
                same = len(folded) == len(text)
                best, phrase = weight, _snippet(text, m.start(), m.end()) if same else text[:PHRASE_CHARS]
    if not hit:
        return 0.0, "", 0
    return min(0.95, best + 0.05 * (len(hit) - 1)), phrase, len(hit)


def _similarities(embedder, queries: list[str], parts: list[tuple[str, str]]) -> np.ndarray:
    """Return the cosine similarity of each query (rows) with each passage (columns)."""
    from buenaspracticas.search import semantic

    vectors = semantic.passages_cached(embedder, [t for _, t in parts])
    return _query_vectors(embedder, tuple(queries)) @ vectors.T


_QUERY_CACHE: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}


def _query_vectors(embedder, queries: tuple[str, ...]) -> np.ndarray:
    key = (embedder.name, queries)
    if key not in _QUERY_CACHE:
        _QUERY_CACHE[key] = embedder.queries(list(queries))
    return _QUERY_CACHE[key]


def suggest_groups(practice: dict, *, embedder=None) -> list[Suggestion]:
    """Return the population groups a practice's text suggests, best first, each with its phrase."""
    parts = passages(practice)
    if not parts:
        return []
    sims = _similarities(embedder, [g.query for g in GROUPS], parts) if embedder is not None else None
    # The embedder alone suggests a group only when it stands clearly above the practice's other groups
    # (generic sentences such as "población en condición de movilidad" are close to every group).
    floor = getattr(embedder, "min_similarity", 1.0) + 0.02
    best_per_group = np.sort(sims.max(axis=1))[::-1] if sims is not None else None
    out = []
    for n, group in enumerate(GROUPS):
        score, phrase, _hits = _rule_hits(parts, group.families)
        if score:
            out.append(Suggestion(group.code, round(score, 3), phrase, "rules"))
        elif sims is not None:
            row = sims[n]
            best = int(np.argmax(row))
            margin = float(row[best]) - float(best_per_group[1])
            if row[best] >= floor and row[best] >= best_per_group[0] and margin >= EMBEDDER_MARGIN:
                out.append(
                    Suggestion(
                        group.code,
                        round(0.4 + float(row[best]) - floor, 3),
                        _snippet(parts[best][1], 0, 0),
                        "embedder",
                    )
                )
    return sorted(out, key=lambda s: -s.score)


def suggest_gcm(practice: dict, *, embedder=None) -> list[Suggestion]:
    """Return up to five GCM objectives a practice contributes to, best first, each with its phrase:
    the passage's similarity to the objective (relative to the practice's other objectives) and the
    objective's word families in the practice's fields."""
    parts = passages(practice)
    objectives = gcm_objectives()
    if not parts:
        return []
    if embedder is not None:
        sims = _similarities(embedder, [f"{o.title_es}. {o.summary_es}" for o in objectives], parts)
        top = np.sort(sims, axis=1)[:, -2:].mean(axis=1)  # the two closest passages, not one lucky one
        spread = float(top.max() - top.min()) or 1.0
        semantic = (top - top.min()) / spread
    else:
        sims, semantic = None, np.zeros(len(objectives))
    scored = []
    for n, objective in enumerate(objectives):
        rule, phrase, hits = _rule_hits(parts, GCM_FAMILIES.get(objective.number, ()))
        rule_part = min(1.0, rule * (0.8 + 0.1 * hits)) if rule else 0.0
        score = 0.5 * float(semantic[n]) + 0.5 * rule_part if sims is not None else rule_part
        if not phrase and sims is not None:
            phrase = _snippet(parts[int(np.argmax(sims[n]))][1], 0, 0)
        scored.append(Suggestion(objective.number, round(score, 3), phrase, "rules" if rule else "embedder"))
    scored.sort(key=lambda s: -s.score)
    kept = [s for s in scored if s.score >= GCM_MIN_SCORE][:GCM_MAX]
    return kept or scored[:1]
