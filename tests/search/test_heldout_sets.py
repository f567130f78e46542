"""The held-out judged query sets (judged_untuned.json, _2 to _12) measure the search in
benchmarks/relevance.py and are never used for tuning. This checks only that they stay usable as they are:
every practice they name is one the bundled report loads, every primary answer is among the relevant ones,
and they cover the kinds of query people write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SETS = ("judged_untuned.json", *(f"judged_untuned_{n}.json" for n in range(2, 13)))
KINDS = {"keyword", "synonym", "long", "typo", "english"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", SETS)
def test_held_out_set_names_loaded_practices(report, name):
    from buenaspracticas.catalog.models import Practice

    data = json.loads((HERE / name).read_text(encoding="utf-8"))
    about = data["about"].casefold()
    assert "never" in about and "tuning" in about, "the set says it is not for tuning"
    queries = data["queries"]
    assert len(queries) >= 30
    assert KINDS <= {q["kind"] for q in queries}
    assert len({q["query"].casefold() for q in queries}) == len(queries), "a query repeats"
    known = set(Practice.objects.values_list("public_id", flat=True))
    for q in queries:
        assert q["relevant"] and set(q["relevant"]) <= known, q["query"]
        assert q.get("primary", q["relevant"][0]) in q["relevant"], q["query"]
