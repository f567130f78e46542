"""Evidence behind the verdicts: interviews (four modules) and the findings matrix."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.models import Institution, Practice, SourceDocument, State


class Interview(models.Model):
    class Module(models.TextChoices):
        ACTIONS = "acciones", _("acciones públicas")
        IMPACTS = "impactos", _("impactos")
        CAPACITIES = "capacidades", _("capacidades institucionales")
        CHALLENGES = "retos", _("retos a corto y mediano plazo")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="interviews")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrevista")
        verbose_name_plural = _("entrevistas")


class Finding(models.Model):
    """One cell of the findings matrix: what was found about a practice, with its source."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="findings")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="findings")
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="findings")
    module = models.CharField(max_length=20, choices=Interview.Module.choices)
    text = models.TextField()
    document = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, null=True, blank=True)
    first_line = models.PositiveIntegerField(null=True, blank=True)
    last_line = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hallazgo")
        verbose_name_plural = _("hallazgos")
