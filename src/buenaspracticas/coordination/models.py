"""The states' coordination space: the reports' recommendations tracked per state, coordination sessions
with their agreements and follow-up notes, and each person's choice about e-mail notifications.
Rules live in services.py; these classes hold data and constraints only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.models import Practice, SourceDocument, State

DEFAULT_TIMEZONE = "America/Mexico_City"

# Kinds of curation.HistoryEntry written by this feature (HistoryEntry.kind holds at most 12 characters).
HISTORY_RECOMMENDATION = "rec_status"  # a state's status on a recommendation
HISTORY_RECOMMENDATION_TEXT = "rec_text"  # a recommendation's text, loaded from a report
HISTORY_SESSION = "session"
HISTORY_AGREEMENT = "agreement"


class Recommendation(models.Model):
    """A recommendation of a report, numbered for the whole site; keeps its number and lines in the source."""

    number = models.PositiveSmallIntegerField(unique=True)
    document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    number_in_source = models.PositiveSmallIntegerField()
    text = models.TextField()
    first_line = models.PositiveIntegerField(null=True, blank=True)
    last_line = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number_in_source"], name="recommendation_unique_in_source"
            )
        ]
        verbose_name = _("recomendación")
        verbose_name_plural = _("recomendaciones")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("sin iniciar")
    IN_PROGRESS = "in_progress", _("en curso")
    DONE = "done", _("cumplida")


class RecommendationStatus(models.Model):
    """Where a state stands on a recommendation: status, note and evidence (text, documents, practices)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="statuses")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="recommendation_statuses")
    status = models.CharField(max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    note = models.TextField(blank=True)
    evidence_text = models.TextField(blank=True)
    evidence_documents = models.JSONField(default=list, blank=True, help_text='[{"title", "url"}]')
    practices = models.ManyToManyField(Practice, blank=True, related_name="recommendation_statuses")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recommendation__number", "state__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "state"], name="recommendation_status_per_state"
            )
        ]
        verbose_name = _("avance de una recomendación")
        verbose_name_plural = _("avances de las recomendaciones")

    def __str__(self) -> str:
        return f"{self.recommendation.number} · {self.state.code}: {self.status}"


class RecommendationUpdate(models.Model):
    """One dated update of a state's status on a recommendation (its thread); never edited."""

    status_row = models.ForeignKey(RecommendationStatus, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=12, choices=Progress.choices)
    note = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_row} @ {self.at:%Y-%m-%d}"


class Session(models.Model):
    """A coordination session among states: when (with its time zone), where, agenda, minutes, agreements."""

    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE)
    place = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    states = models.ManyToManyField(State, blank=True, related_name="coordination_sessions")
    attachments = models.JSONField(default=list, blank=True, help_text='[{"title", "url"}]')
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: +1 on every edit.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("sesión de coordinación")
        verbose_name_plural = _("sesiones de coordinación")

    def __str__(self) -> str:
        return self.title


class Agreement(models.Model):
    """An agreement of a session: what, which state owns it, when it is due and how it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pendiente")
        IN_PROGRESS = "in_progress", _("en curso")
        DONE = "done", _("cumplido")
        CANCELLED = "cancelled", _("cancelado")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="agreements")
    text = models.TextField()
    owner_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="agreements")
    due = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: +1 on every edit.")
    reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The due date the week-ahead reminder was sent for."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")

    def __str__(self) -> str:
        return f"{self.owner_state.code}: {self.text[:60]}"


class AgreementNote(models.Model):
    """A follow-up note on an agreement, with the status it left the agreement in."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Agreement.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement_id} @ {self.at:%Y-%m-%d}"


class NotificationPreference(models.Model):
    """A person's choice about e-mail notifications (on unless turned off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")

    def __str__(self) -> str:
        return f"{self.user}: {'on' if self.email_enabled else 'off'}"
