"""Classifications a curator confirms (population groups, GCM objectives of each practice) and the
replication ledger. Rules live in services.py; these classes hold data and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.models import Practice, State


class Status(models.TextChoices):
    SUGGESTED = "suggested", _("sugerido")
    CONFIRMED = "confirmed", _("confirmado")
    REJECTED = "rejected", _("rechazado")


class PracticeGroup(models.Model):
    """A population group a practice serves: suggested from its text (with the phrase) or set by a curator."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="population_groups")
    group = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    score = models.FloatField(default=0)
    because = models.TextField(blank=True, help_text="The phrase of the practice that suggested the group.")
    source = models.CharField(max_length=12, default="rules", help_text="rules, embedder or curator")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice_id", "-score", "group"]
        constraints = [models.UniqueConstraint(fields=["practice", "group"], name="practice_group_unique")]
        verbose_name = _("grupo de población de una práctica")
        verbose_name_plural = _("grupos de población de las prácticas")

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.group} ({self.status})"


class PracticeGcm(models.Model):
    """A GCM objective (1–23) a practice contributes to: suggested with a score and a phrase, or confirmed."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="gcm_objectives")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    score = models.FloatField(default=0)
    because = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice_id", "-score", "number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="practice_gcm_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=23), name="gcm_number_1_23"),
        ]
        verbose_name = _("objetivo del Pacto Mundial de una práctica")
        verbose_name_plural = _("objetivos del Pacto Mundial de las prácticas")

    def __str__(self) -> str:
        return f"{self.practice_id}: GCM {self.number} ({self.status})"


class Replication(models.Model):
    """A state that adopted or adapted another state's practice: when, what it changed, results so far."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("adoptada")
        ADAPTED = "adapted", _("adaptada")

    origin = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="replications")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="replications")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ADAPTED)
    started = models.DateField(help_text="When the adopting state started it.")
    changes = models.TextField(blank=True, help_text="What the adopting state changed.")
    results = models.TextField(blank=True, help_text="Results so far.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Nothing is deleted: a record entered by mistake is withdrawn and stays in the history.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started", "-pk"]
        verbose_name = _("replicación")
        verbose_name_plural = _("replicaciones")

    def __str__(self) -> str:
        return f"{self.origin_id} → {self.state_id} ({self.kind})"
