"""Similar practices: cosine similarity of TF-IDF weighted stems (title counted thrice, description, target
population), so a ficha can point to comparable actions in other states."""

from __future__ import annotations

import math
from collections import Counter

from buenaspracticas.search.index import documents
from buenaspracticas.search.text import stems

_GENERIC = {"program", "migrant", "person", "atencion", "estad", "poblacion", "movil"}


def _vectors() -> tuple[dict[str, Counter], dict[str, str]]:
    docs = documents()
    bags = {
        d.public_id: Counter(
            s
            for s in stems(f"{d.title} {d.title} {d.title} {d.population} {d.description}")
            if s not in _GENERIC and len(s) > 2
        )
        for d in docs
    }
    df: Counter = Counter()
    for bag in bags.values():
        df.update(set(bag))
    n = len(bags)
    vectors = {}
    for pid, bag in bags.items():
        weights = {s: (1 + math.log(c)) * math.log(1 + n / df[s]) for s, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[pid] = {s: w / norm for s, w in weights.items()}
    return vectors, {d.public_id: d.public_id.rsplit("-", 1)[0] for d in docs}


def similar_ids(practice_id: str, *, exclude_state: str | None = None, limit: int = 4) -> list[str]:
    """Return the ids of the published practices most similar to one, other states' only when asked."""
    from buenaspracticas.catalog.models import Practice

    vectors, _ = _vectors()
    target = vectors.get(practice_id)
    if not target:
        return []
    states = dict(
        Practice.objects.filter(public_id__in=list(vectors)).values_list("public_id", "state__code")
    )
    scores = []
    for pid, vector in vectors.items():
        if pid == practice_id or (exclude_state and states.get(pid) == exclude_state):
            continue
        value = sum(w * vector.get(s, 0.0) for s, w in target.items())
        if value > 0:
            scores.append((value, pid))
    scores.sort(key=lambda item: (-item[0], item[1]))
    return [pid for _, pid in scores[:limit]]
