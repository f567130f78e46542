"""The embedding worker takes headlines first: after one pass over the catalogue's headlines every practice
is found by meaning (the retriever reads only headlines past vectors.HEADLINES_ONLY_ABOVE passages), and the
description and evidence passages follow. With the deterministic fake embedder."""

from __future__ import annotations

import pytest

from buenaspracticas.search.indexer import index_rebuild, vectors_drain, vectors_pending
from buenaspracticas.search.models import PassageVector, PendingPassage, SearchMeta, SearchPassage
from buenaspracticas.search.semantic import FakeEmbedder

pytestmark = pytest.mark.django_db


def _stored() -> set[str]:
    return set(PassageVector.objects.values_list("key", flat=True))


def _fresh_queue(fake) -> tuple[set[str], set[str]]:
    """Index the report with nothing embedded yet; return the keys of the headlines and of the rest."""
    for model in (SearchPassage, PendingPassage, PassageVector):  # a catalogue never embedded
        model.objects.all().delete()
    index_rebuild(embedder=fake)
    headlines = set(SearchPassage.objects.filter(order=0).values_list("key", flat=True))
    others = set(SearchPassage.objects.exclude(order=0).values_list("key", flat=True)) - headlines
    practices = SearchPassage.objects.values("practice_id").distinct().count()
    assert len(headlines) == practices and len(others) > len(headlines)
    return headlines, others


@pytest.fixture
def fake(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # no vector kept on disk by an earlier run
    return FakeEmbedder()


def _version() -> str | None:
    return SearchMeta.objects.filter(name="vectors").values_list("value", flat=True).first()


def test_headlines_are_embedded_before_the_other_passages(report, fake):
    headlines, others = _fresh_queue(fake)
    assert vectors_drain(embedder=fake, batch=1, limit=len(headlines)) == len(headlines)
    assert _stored() == headlines  # every practice has its headline, and nothing else was embedded yet
    vectors_drain(embedder=fake, batch=16)
    assert headlines | others <= _stored()
    assert not PendingPassage.objects.exists()


def test_serving_processes_are_told_of_the_headlines_before_the_drain_ends(report, fake):
    headlines, others = _fresh_queue(fake)
    before = _version()
    at_first_other: list[str | None] = []

    def seen(_line: str) -> None:
        if not at_first_other and _stored() & others:
            at_first_other.append(_version())

    vectors_drain(embedder=fake, batch=16, progress=seen)
    # A new vector-set version (every process reloads its matrix) once the headlines were complete.
    assert at_first_other and at_first_other[0] != before
    assert headlines | others <= _stored()


def test_past_the_headlines_only_size_no_other_passage_is_embedded(report, fake, monkeypatch):
    # The retriever reads only headlines past vectors.HEADLINES_ONLY_ABOVE passages: embedding the rest would
    # be hours of a busy server's processor for nothing. They stay queued.
    from buenaspracticas.search import vectors

    headlines, others = _fresh_queue(fake)
    monkeypatch.setattr(vectors, "HEADLINES_ONLY_ABOVE", len(headlines))
    assert vectors_drain(embedder=fake, batch=16) == len(headlines)
    assert _stored() == headlines
    assert set(PendingPassage.objects.values_list("key", flat=True)) == others
    # Nothing is reported as waiting (`serve` starts no background worker, `embed` announces none).
    assert vectors_pending(fake) == 0
    monkeypatch.setattr(vectors, "HEADLINES_ONLY_ABOVE", 50_000)  # the catalogue back below it
    vectors_drain(embedder=fake, batch=16)
    assert headlines | others <= _stored()
