"""What the search index keeps per published practice: one narrow row for filters, facets and ordering (the
lexical text lives in the engine's own table, search_fts or search_pgdoc, keyed by the practice's id), the
practices whose index is stale (filled by database triggers), and the semantic passages, their vectors and
the queue of passages still to embed."""

from __future__ import annotations

from django.db import models


class SearchRow(models.Model):
    """One published practice, denormalized: every filter and facet of the search page is a column here."""

    practice_id = models.IntegerField(primary_key=True)
    public_id = models.CharField(max_length=120, unique=True)
    state_code = models.CharField(max_length=6)
    state_name = models.CharField(max_length=80)
    number = models.IntegerField()
    region = models.CharField(max_length=20)
    status = models.CharField(max_length=12)
    institution = models.CharField(max_length=400, blank=True)
    criteria_mask = models.IntegerField(default=0, help_text="bit i set: CRITERIA[i] is met")
    criteria_met = models.SmallIntegerField(default=0)
    qualifies = models.BooleanField(default=False)
    dimension_mask = models.IntegerField(default=0, help_text="bit i set: DIMENSIONS[i] is stated")
    gcm_mask = models.IntegerField(default=0, help_text="bit n-1 set: GCM objective n suggested or confirmed")

    class Meta:
        indexes = [
            models.Index(fields=["state_name", "number"], name="search_row_order"),
            models.Index(fields=["state_code"], name="search_row_state"),
            models.Index(fields=["region"], name="search_row_region"),
        ]

    def __str__(self) -> str:
        return self.public_id


class SearchDirty(models.Model):
    """A practice whose index entry may be stale: written by triggers on the catalogue's tables."""

    practice_id = models.IntegerField(primary_key=True)

    def __str__(self) -> str:
        return str(self.practice_id)


class SearchPassage(models.Model):
    """One text of a practice that the semantic retriever embeds (headline first), by its vector key."""

    practice_id = models.IntegerField(db_index=True)
    order = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"{self.practice_id}:{self.order}"


class PendingPassage(models.Model):
    """A passage waiting for its vector: the write path queues it, `buenaspracticas embed` drains it."""

    key = models.CharField(max_length=64, primary_key=True)
    model = models.CharField(max_length=40, help_text="the embedder the key was made for")
    text = models.TextField()
    queued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class PassageVector(models.Model):
    """One passage's embedding, keyed by embedder and text hash, so unchanged text is never re-embedded."""

    key = models.CharField(max_length=64, unique=True)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return self.key


class SearchMeta(models.Model):
    """Small named values: the vector set's version token (a changed token reloads the cached matrix)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name
