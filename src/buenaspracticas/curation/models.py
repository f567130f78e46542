"""Curation: accounts and their role per state, API tokens, pending revisions of published practices, the
review thread, transitions, calls for practices and the history of every change. Rules live in services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.models import Practice, State


class Role(models.TextChoices):
    EDITOR = "editor", _("editor estatal")
    EVALUATOR = "evaluator", _("evaluador")
    COORDINATOR = "coordinator", _("coordinación")


class Account(models.Model):
    """The role of a user; an editor belongs to one state. A user without an account is a visitor."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account")
    role = models.CharField(max_length=12, choices=Role.choices)
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts")

    class Meta:
        verbose_name = _("cuenta")
        verbose_name_plural = _("cuentas")

    def __str__(self) -> str:
        return f"{self.user} ({self.role}{' ' + self.state.code if self.state_id else ''})"


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the token itself is shown once. It stops working when it
    expires or is revoked (by its owner, the coordination, or a change of its owner's password)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token de la API")
        verbose_name_plural = _("tokens de la API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class Call(models.Model):
    """A call for practices (convocatoria) opened by the coordination."""

    title = models.CharField(max_length=300)
    theme = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    deadline = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("convocatoria")
        verbose_name_plural = _("convocatorias")

    def __str__(self) -> str:
        return self.title


class Submission(models.Model):
    """Who created a practice through curation, and the call it answers (if any)."""

    practice = models.OneToOneField(Practice, on_delete=models.PROTECT, related_name="submission")
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.practice_id} ← {self.call_id}"


class Revision(models.Model):
    """Pending edits of a published practice, reviewed while the published version stays visible."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("abierta")
        APPLIED = "applied", _("publicada")
        REJECTED = "rejected", _("no calificada")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="revisions")
    data = models.JSONField()
    workflow_state = models.CharField(
        max_length=24, choices=Practice.Workflow.choices, default=Practice.Workflow.DRAFT
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"], condition=models.Q(outcome="open"), name="one_open_revision_per_practice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice} ({self.outcome})"


class Transition(models.Model):
    """One workflow step: who moved the practice (or its revision) from one state to another, and why."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="transitions")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_state = models.CharField(max_length=24)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Message(models.Model):
    """The review thread: evaluators' questions and the submitter's answers."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("pregunta")
        ANSWER = "answer", _("respuesta")
        NOTE = "note", _("comentario")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    body = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.body[:40]}"


class HistoryEntry(models.Model):
    """One change kept forever: who, when, what (before/after snapshots) and why."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("práctica")
        REVISION = "revision", _("revisión pendiente")
        ASSESSMENT = "assessment", _("valoración")
        WORKFLOW = "workflow", _("flujo")
        PANORAMA = "panorama", _("panorama")
        RECOMMENDATION_STATUS = "rec_status", _("seguimiento de una recomendación")
        RECOMMENDATION_TEXT = "rec_text", _("texto de una recomendación")
        SESSION = "session", _("sesión de coordinación")
        AGREEMENT = "agreement", _("acuerdo")
        POPULATION_GROUP = "population_group", _("grupo de población")
        GCM = "gcm", _("objetivo del Pacto Mundial")
        REPLICATION = "replication", _("replicación")
        INTERVIEW = "interview", _("entrevista")
        FINDING = "finding", _("hallazgo")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="history"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300, blank=True, help_text="Who, when not a user (a report).")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio")
        verbose_name_plural = _("historial")

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.at:%Y-%m-%d %H:%M}"
