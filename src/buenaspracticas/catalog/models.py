"""The catalogue: regions, states, institutions, criteria, dimensions, source documents, practices and their
assessments. Business rules live in services.py; these classes hold data and constraints only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")

    def __str__(self) -> str:
        return self.name


class State(models.Model):
    code = models.CharField(max_length=6, unique=True, help_text="ISO 3166-2, p. ej. MX-BCN")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="states")
    inegi_code = models.CharField(max_length=2, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("estado")
        verbose_name_plural = _("estados")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("criterio de evaluación")
        verbose_name_plural = _("criterios de evaluación")

    def __str__(self) -> str:
        return self.name


class Dimension(models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("dimensión de la población")
        verbose_name_plural = _("dimensiones de la población")

    def __str__(self) -> str:
        return self.name


class SourceDocument(models.Model):
    """A report (or other document) records were taken from; records cite it with a line range."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("documento fuente")
        verbose_name_plural = _("documentos fuente")

    def __str__(self) -> str:
        return self.title


class Institution(models.Model):
    """One real institution of a state, however the reports print its name (its other printings are kept in
    `aliases`, so merging loses no provenance; see catalog.institutions)."""

    name = models.CharField(max_length=400)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="institutions", null=True)
    acronym = models.CharField(max_length=20, blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other printed forms of the name.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["state", "name"], name="institution_unique_per_state")]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self) -> str:
        return self.name


class Practice(models.Model):
    """A practice (ficha). Its public id is `<state-slug>-<number>`; verdicts live in Assessment."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("vigente")
        SUSPENDED = "suspended", _("suspendida")

    class Workflow(models.TextChoices):
        DRAFT = "draft", _("borrador")
        SUBMITTED = "submitted", _("enviada")
        IN_REVIEW = "in_review", _("en revisión")
        CLARIFICATION = "clarification_requested", _("aclaración solicitada")
        PUBLISHED = "published", _("publicada")
        NOT_QUALIFIED = "not_qualified", _("no calificada")
        ARCHIVED = "archived", _("archivada")

    public_id = models.SlugField(max_length=120, unique=True)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="practices")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="practices", null=True
    )
    dimensions = models.ManyToManyField(Dimension, through="PracticeDimension", related_name="practices")
    target_population = models.TextField(blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    beneficiaries = models.PositiveIntegerField(null=True, blank=True)
    workflow_state = models.CharField(max_length=24, choices=Workflow.choices, default=Workflow.DRAFT)
    source_document = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="practices"
    )
    source_first_line = models.PositiveIntegerField(null=True, blank=True)
    source_last_line = models.PositiveIntegerField(null=True, blank=True)
    # The number of the document's table (cuadro) the practice is printed in; None when it prints none.
    source_table = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Incremented on every saved edit (lost-update check)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["state", "number"], name="practice_number_unique_per_state")
        ]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")

    def __str__(self) -> str:
        return f"{self.public_id}: {self.title}"


class PracticeDimension(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE)
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "dimension"], name="practice_dimension_unique")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} · {self.dimension_id}"


class Assessment(models.Model):
    """The verdict of one criterion for one practice, with the evidence behind it."""

    class Verdict(models.TextChoices):
        MET = "met", _("cumple")
        NOT_MET = "not_met", _("no cumple")
        UNKNOWN = "unknown", _("sin dato")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="assessments")
    verdict = models.CharField(max_length=8, choices=Verdict.choices, default=Verdict.UNKNOWN)
    evidence = models.TextField(blank=True)
    # How sure the parser's split of the report's evidence columns is (0–1); None: not split by the parser.
    split_confidence = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [models.UniqueConstraint(fields=["practice", "criterion"], name="assessment_unique")]
        verbose_name = _("valoración")
        verbose_name_plural = _("valoraciones")

    def __str__(self) -> str:
        return f"{self.practice_id} · {self.criterion_id}: {self.verdict}"
