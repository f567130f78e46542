"""Evidence behind the verdicts: source documents (the report's footnotes among them), interviews with
their excerpts under one of the four modules and a consent level, the findings matrix per state, and the
citations an evaluator's verdict makes. Rules live in services; who may read what in selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.models import Assessment, Institution, Practice, SourceDocument, State


class Module(models.TextChoices):
    """The four modules of the report's semi-structured interviews."""

    ACTIONS = "acciones", _("acciones públicas")
    IMPACTS = "impactos", _("impactos")
    CAPACITIES = "capacidades", _("capacidades institucionales")
    CHALLENGES = "retos", _("retos a corto y mediano plazo")


class Consent(models.TextChoices):
    """Who may read an excerpt: everyone, evaluators and coordinators, or coordinators only."""

    PUBLIC = "public", _("público")
    EVALUATORS = "evaluators", _("evaluadores y coordinación")
    COORDINATORS = "coordinators", _("solo coordinación")


class Document(models.Model):
    """A law, decree, rules of operation, government report, statistic or note; the report's footnotes are
    documents with their number and lines in the report."""

    class Kind(models.TextChoices):
        LAW = "law", _("ley o norma")
        STATISTICS = "statistics", _("estadística")
        GOVERNMENT_REPORT = "government_report", _("informe de gobierno")
        INTERNATIONAL = "international", _("documento internacional")
        NOTE = "note", _("nota")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(help_text="The document's reference as stated (a footnote's whole text).")
    title = models.CharField(max_length=500, blank=True)
    issuer = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    source = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="footnotes",
        help_text="The report this document is a footnote of.",
    )
    footnote = models.PositiveIntegerField(null=True, blank=True)
    first_line = models.PositiveIntegerField(null=True, blank=True)
    last_line = models.PositiveIntegerField(null=True, blank=True)
    refers_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For «Ídem» and «Op. cit.»: the earlier note it points to.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source_id", "footnote", "pk"]
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "footnote"],
                condition=Q(footnote__isnull=False),
                name="one_document_per_footnote",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]


class DocumentLink(models.Model):
    """Where a document is cited: a practice, a state's panorama or a chapter of the report (by the line of
    its marker)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, null=True, blank=True, related_name="document_links"
    )
    state = models.ForeignKey(
        State, on_delete=models.CASCADE, null=True, blank=True, related_name="document_links"
    )
    chapter = models.CharField(max_length=200, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True, help_text="Line of the marker in the report.")

    class Meta:
        ordering = ["document_id", "pk"]
        verbose_name = _("cita de documento")
        verbose_name_plural = _("citas de documentos")

    def __str__(self) -> str:
        return f"{self.document_id} → {self.practice_id or self.state_id or self.chapter}"


class Interview(models.Model):
    """A semi-structured interview with a state's public servants (or the report's statement that one took
    place)."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="interviews")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    source = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_first_line = models.PositiveIntegerField(null=True, blank=True)
    source_last_line = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state_id", "held_on", "pk"]
        verbose_name = _("entrevista")
        verbose_name_plural = _("entrevistas")

    def __str__(self) -> str:
        return f"#{self.pk} {self.state_id} {self.held_on or ''}"


class Interviewee(models.Model):
    """A person interviewed, by role; the name only when they consented to it being shown."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="interviewees")
    role = models.CharField(max_length=300)
    name = models.CharField(max_length=200, blank=True)
    name_consented = models.BooleanField(default=False)

    class Meta:
        ordering = ["interview_id", "pk"]
        verbose_name = _("persona entrevistada")
        verbose_name_plural = _("personas entrevistadas")

    def __str__(self) -> str:
        return self.role


class Excerpt(models.Model):
    """One answer in one of the four modules, with the consent level under which it may be read."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="excerpts")
    module = models.CharField(max_length=12, choices=Module.choices)
    text = models.TextField()
    consent = models.CharField(max_length=12, choices=Consent.choices, default=Consent.COORDINATORS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["interview_id", "pk"]
        verbose_name = _("extracto de entrevista")
        verbose_name_plural = _("extractos de entrevista")

    def __str__(self) -> str:
        return f"#{self.pk} {self.module} ({self.consent})"


class Finding(models.Model):
    """One row of a state's findings matrix: a programme or action with its impacts, results, validity,
    continuity and whether (and why) it was suspended."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="findings")
    programme = models.CharField(max_length=500, default="")
    practice = models.ForeignKey(
        Practice, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    impacts = models.TextField(blank=True)
    results = models.TextField(blank=True)
    validity = models.TextField(blank=True, help_text="Vigencia.")
    continuity = models.TextField(blank=True)
    suspended = models.BooleanField(default=False)
    suspended_reason = models.TextField(blank=True)
    excerpts = models.ManyToManyField(Excerpt, blank=True, related_name="findings")
    documents = models.ManyToManyField(Document, blank=True, related_name="findings")
    source = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_first_line = models.PositiveIntegerField(null=True, blank=True)
    source_last_line = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state_id", "pk"]
        verbose_name = _("hallazgo")
        verbose_name_plural = _("hallazgos")

    def __str__(self) -> str:
        return self.programme


class Citation(models.Model):
    """What a criterion's verdict rests on: an interview excerpt, a document (with a locator) or a finding."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="citations")
    excerpt = models.ForeignKey(
        Excerpt, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )
    locator = models.CharField(max_length=200, blank=True, help_text="Page, line or article, e.g. «art. 12».")
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment_id", "order", "pk"]
        verbose_name = _("cita")
        verbose_name_plural = _("citas")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(excerpt__isnull=False, document__isnull=True, finding__isnull=True)
                    | Q(excerpt__isnull=True, document__isnull=False, finding__isnull=True)
                    | Q(excerpt__isnull=True, document__isnull=True, finding__isnull=False)
                ),
                name="citation_cites_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.excerpt_id or self.document_id or self.finding_id}"
