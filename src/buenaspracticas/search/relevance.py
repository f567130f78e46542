"""Scores a search backend against a relevance set: the share of queries whose expected practice appears
in the top k, with the misses listed so a person can judge them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_cases(path: Path) -> list[dict[str, Any]]:
    """Return the relevance set's cases (`query`, `kind`, `expected` ids)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["cases"]


def score(backend, cases: list[dict[str, Any]], *, k: int = 5) -> dict[str, Any]:
    """Return `{"hit_rate", "hits", "total", "mrr", "misses"}` of a backend over the cases at top k."""
    hits, reciprocal, misses = 0, 0.0, []
    for case in cases:
        ranked = [h.practice_id for h in backend.search(case["query"], limit=50)]
        expected = set(case["expected"])
        rank = next((n for n, pid in enumerate(ranked, start=1) if pid in expected), None)
        if rank is not None:
            reciprocal += 1.0 / rank
        if rank is not None and rank <= k:
            hits += 1
        else:
            misses.append(
                {"query": case["query"], "expected": case["expected"], "got": ranked[:k], "rank": rank}
            )
    total = len(cases)
    return {
        "hit_rate": hits / total if total else 0.0,
        "hits": hits,
        "total": total,
        "mrr": round(reciprocal / total, 3) if total else 0.0,
        "misses": misses,
    }
