"""State migration panoramas: each figure an Indicator with unit, period, source and provenance."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.models import SourceDocument, State


class Panorama(models.Model):
    """The panorama of one state as one document gives it."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="panoramas")
    document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="panoramas")
    first_line = models.PositiveIntegerField(null=True)
    last_line = models.PositiveIntegerField(null=True)
    # The number of the document's table (cuadro) the panorama is printed in; None when it prints none.
    table = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["state", "document"], name="panorama_unique")]
        verbose_name = _("panorama migratorio estatal")
        verbose_name_plural = _("panoramas migratorios estatales")

    def __str__(self) -> str:
        return f"{self.state_id} ({self.document_id})"


class Indicator(models.Model):
    panorama = models.ForeignKey(Panorama, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=200, blank=True)
    value = models.FloatField()
    unit = models.CharField(max_length=30)
    period = models.CharField(max_length=30, blank=True)
    source = models.TextField(blank=True)
    note = models.TextField(blank=True)
    line = models.PositiveIntegerField(null=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Figures a corrected report no longer gives are kept, marked superseded, never deleted.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["panorama", "key", "label"], name="indicator_unique")]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")

    def __str__(self) -> str:
        return f"{self.key} = {self.value} {self.unit}"


class QualityFlag(models.Model):
    panorama = models.ForeignKey(Panorama, on_delete=models.CASCADE, related_name="quality_flags")
    kind = models.CharField(max_length=40)
    indicators = models.JSONField(default=list)
    message = models.TextField()
    first_line = models.PositiveIntegerField(null=True)
    last_line = models.PositiveIntegerField(null=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_line", "kind"]
        verbose_name = _("alerta de calidad")
        verbose_name_plural = _("alertas de calidad")

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:60]}"
