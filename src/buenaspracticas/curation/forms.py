"""Page forms of curation: they collect input only; the services validate the rules and write."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from buenaspracticas.catalog.services import EDITABLE_FIELDS
from buenaspracticas.reference import CRITERIA, CRITERIA_LABELS, DIMENSION_LABELS

VERDICT_CHOICES = [("unknown", _("sin dato")), ("met", _("cumple")), ("not_met", _("no cumple"))]
STATUS_CHOICES = [("active", _("vigente")), ("suspended", _("suspendida"))]


class PracticeForm(forms.Form):
    """The ficha: the report's fields and the five criteria, each with verdict and evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("Título de la práctica"),
        max_length=500,
        error_messages={
            "required": _("Escriba el título de la práctica: sin él no se puede guardar el borrador.")
        },
    )
    institution = forms.CharField(label=_("Institución que coordina"), max_length=400, required=False)
    dimensions = forms.MultipleChoiceField(
        label=_("Dimensiones de la población"),
        required=False,
        choices=[(k, _(v)) for k, v in DIMENSION_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    target_population = forms.CharField(
        label=_("Población objetivo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_("Descripción de la práctica"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    status = forms.ChoiceField(label=_("Estatus"), choices=STATUS_CHOICES, initial="active")
    beneficiaries = forms.IntegerField(
        label=_("Personas beneficiarias"),
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("Escriba un número entero, sin puntos ni comas, o deje el campo vacío."),
            "min_value": _("El número no puede ser negativo."),
        },
    )
    reason = forms.CharField(label=_("Motivo del cambio (opcional)"), required=False, max_length=500)

    def __init__(self, *args, calls=None, **kwargs):
        super().__init__(*args, **kwargs)
        if calls is not None:
            self.fields["call"] = forms.TypedChoiceField(
                label=_("Responde a la convocatoria"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("(ninguna)"))] + [(c["id"], c["title"]) for c in calls],
            )
        for code in CRITERIA:
            self.fields[f"verdict_{code}"] = forms.ChoiceField(
                label=_(CRITERIA_LABELS[code]), choices=VERDICT_CHOICES, initial="unknown"
            )
            self.fields[f"evidence_{code}"] = forms.CharField(
                label=_("Evidencia: %(c)s") % {"c": _(CRITERIA_LABELS[code])},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def criteria_fields(self):
        """Return (verdict field, evidence field) per criterion, for the template."""
        return [(self[f"verdict_{c}"], self[f"evidence_{c}"]) for c in CRITERIA]

    def data_for_service(self) -> dict:
        """Return the cleaned ficha in the services' shape."""
        d = self.cleaned_data
        return {
            "title": d["title"],
            "institution": d.get("institution") or "",
            "dimensions": d.get("dimensions") or [],
            "target_population": d.get("target_population") or "",
            "description": d.get("description") or "",
            "status": d.get("status") or "active",
            "beneficiaries": d.get("beneficiaries"),
            "criteria": {
                c: {"verdict": d[f"verdict_{c}"], "evidence": d.get(f"evidence_{c}") or ""} for c in CRITERIA
            },
        }

    @staticmethod
    def initial_from(data: dict, version: int | None = None) -> dict:
        """Return form initial values from ficha data."""
        initial = {k: data.get(k) for k in EDITABLE_FIELDS if k != "criteria"}
        initial["version"] = version
        for code, a in (data.get("criteria") or {}).items():
            initial[f"verdict_{code}"] = a.get("verdict", "unknown")
            initial[f"evidence_{code}"] = a.get("evidence", "")
        return initial


class AssessmentForm(forms.Form):
    """The evaluator's assessment of the five criteria."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in CRITERIA:
            self.fields[f"verdict_{code}"] = forms.ChoiceField(
                label=_(CRITERIA_LABELS[code]), choices=VERDICT_CHOICES
            )
            self.fields[f"evidence_{code}"] = forms.CharField(
                label=_("Evidencia: %(c)s") % {"c": _(CRITERIA_LABELS[code])},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

            self.fields[f"citations_{code}"] = forms.CharField(
                label=_("Citas: %(c)s") % {"c": _(CRITERIA_LABELS[code])},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Una por línea: «extracto 12», «documento 3, art. 12» o «hallazgo 4»."),
            )

    def criteria_fields(self):
        return [(self[f"verdict_{c}"], self[f"evidence_{c}"], self[f"citations_{c}"]) for c in CRITERIA]

    def clean(self):
        cleaned = super().clean()
        for code in CRITERIA:
            try:
                cleaned[f"citations_{code}"] = citations_parse(cleaned.get(f"citations_{code}") or "")
            except forms.ValidationError as exc:
                self.add_error(f"citations_{code}", exc)
        return cleaned

    @staticmethod
    def citations_initial(refs: list[dict]) -> str:
        """Return citation refs as the text the citations field shows (the inverse of citations_parse)."""
        return "\n".join(_citation_line(r) for r in refs)


_CITATION_WORDS = {"extracto": "excerpt", "documento": "document", "hallazgo": "finding"}
_CITATION_LINE = re.compile(r"^(extracto|documento|hallazgo)\s*#?\s*(\d{1,12})\s*(?:[,;:]\s*(.*))?$", re.I)


def _citation_line(ref: dict) -> str:
    word = {v: k for k, v in _CITATION_WORDS.items()}
    kind = next(k for k in ("excerpt", "document", "finding") if k in ref)
    line = f"{word[kind]} {ref[kind]}"
    return f"{line}, {ref['locator']}" if ref.get("locator") else line


def citations_parse(text: str) -> list[dict]:
    """Return the citations written one per line («extracto 12», «documento 3, art. 12», «hallazgo 4») in
    the services' shape; raise forms.ValidationError naming the line that cannot be read."""
    refs = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = _CITATION_LINE.match(line)
        if m is None or (m.group(3) and m.group(1).lower() != "documento"):
            raise forms.ValidationError(
                _("Línea %(n)s: escriba «extracto 12», «documento 3, art. 12» o «hallazgo 4»."),
                params={"n": number},
            )
        kind = _CITATION_WORDS[m.group(1).lower()]
        ref: dict = {kind: int(m.group(2))}
        if kind == "document":
            ref["locator"] = (m.group(3) or "").strip()
        refs.append(ref)
    return refs


class CallForm(forms.Form):
    title = forms.CharField(label=_("Título"), max_length=300)
    theme = forms.CharField(label=_("Tema"), max_length=300)
    deadline = forms.DateField(
        label=_("Fecha límite"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Escriba la fecha como AAAA-MM-DD.")},
    )
    description = forms.CharField(
        label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class TokenForm(forms.Form):
    """A new API token: what it is for and how many days it lasts."""

    label = forms.CharField(
        label=_("Para qué es (opcional)"),
        required=False,
        max_length=100,
        help_text=_("Por ejemplo: «importación desde el sistema estatal»."),
    )
    days = forms.IntegerField(
        label=_("Vigencia en días"),
        min_value=1,
        error_messages={"invalid": _("Escriba la vigencia como número entero de días.")},
    )

    def __init__(self, *args, max_days: int, default_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].max_value = max_days
        self.fields["days"].initial = default_days
        self.fields["days"].validators.append(MaxValueValidator(max_days))
        self.fields["days"].widget.attrs.update({"min": 1, "max": max_days})
