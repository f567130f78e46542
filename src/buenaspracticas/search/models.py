"""What the search index knows about each published practice: the signature it was indexed at (so a
changed, new or unpublished practice is refreshed at query time) and the cached passage vectors."""

from __future__ import annotations

from django.db import models


class IndexedPractice(models.Model):
    public_id = models.CharField(max_length=120, unique=True)
    signature = models.CharField(
        max_length=200, help_text="version, updated_at and evidence stamp when indexed"
    )
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.public_id


class PassageVector(models.Model):
    """One passage's embedding, keyed by embedder and text hash, so unchanged text is never re-embedded."""

    key = models.CharField(max_length=64, unique=True)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return self.key


class PracticePassage(models.Model):
    practice = models.ForeignKey(IndexedPractice, on_delete=models.CASCADE, related_name="passages")
    vector_key = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.practice_id}:{self.order}"
