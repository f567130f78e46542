"""Checking the data of a ficha sent by an editor or evaluator (pages, API, imports) before it is written:
known fields, texts within bounds, dimensions and verdicts from the report's vocabularies, counts and the
`version` a lost-update check compares."""

from __future__ import annotations

from buenaspracticas.catalog import services as catalog_services
from buenaspracticas.catalog.models import Practice
from buenaspracticas.curation import selectors
from buenaspracticas.errors import ValidationError
from buenaspracticas.reference import CRITERIA, DIMENSIONS, VERDICTS

_TEXT_FIELDS = ("title", "institution", "target_population", "description", "status")


def clean_data(data: dict, *, partial: bool) -> dict:
    """Return ficha data restricted to the editable fields, with types and bounds checked (any JSON value
    is refused with a message, never a crash); raise ValidationError."""
    if not isinstance(data, dict):
        raise ValidationError("Envíe la ficha como un objeto JSON con sus campos.", field="body")
    unknown = set(data) - set(selectors.SNAPSHOT_FIELDS) - {"version", "call", "reason", "state"}
    if unknown:
        names = sorted(str(k) for k in unknown)
        raise ValidationError(f"Campos desconocidos: {', '.join(names)}.", field=names[0])
    out: dict = {}
    for key in _TEXT_FIELDS:
        if key in data:
            out[key] = catalog_services.check_text(data[key], field=key)
    if "dimensions" in data:
        if not isinstance(data["dimensions"], list):
            raise ValidationError("«dimensions» debe ser una lista de códigos.", field="dimensions")
        unknown = [str(d) for d in data["dimensions"] if not isinstance(d, str) or d not in DIMENSIONS]
        if unknown:
            raise ValidationError(
                f"Dimensión desconocida: {', '.join(unknown)} (válidas: {', '.join(DIMENSIONS)}).",
                field="dimensions",
            )
        out["dimensions"] = list(dict.fromkeys(data["dimensions"]))
    if "status" in out and out["status"] not in Practice.Status.values:
        raise ValidationError(
            f"Estatus desconocido «{out['status']}» (válidos: {', '.join(Practice.Status.values)}).",
            field="status",
        )
    if "beneficiaries" in data:
        out["beneficiaries"] = _beneficiaries(data["beneficiaries"])
    if "criteria" in data:
        if not isinstance(data["criteria"], dict):
            raise ValidationError("«criteria» debe ser un objeto por criterio.", field="criteria")
        out["criteria"] = {}
        for code, a in data["criteria"].items():
            if code not in CRITERIA:
                raise ValidationError(
                    f"Criterio desconocido «{code}» (válidos: {', '.join(CRITERIA)}).",
                    field=f"criteria.{code}",
                )
            a = a or {}
            if not isinstance(a, dict):
                raise ValidationError(
                    f"«criteria.{code}» debe ser un objeto con verdict y evidence.", field=f"criteria.{code}"
                )
            evidence = a.get("evidence") or ""
            verdict = a.get("verdict") or "unknown"
            if not isinstance(verdict, str) or verdict not in VERDICTS:
                raise ValidationError(
                    f"Valoración desconocida «{verdict}» (válidas: {', '.join(VERDICTS)}).",
                    field=f"criteria.{code}.verdict",
                )
            out["criteria"][code] = {
                "verdict": verdict,
                "evidence": catalog_services.check_text(evidence, field=f"criteria.{code}.evidence"),
            }
    if not partial and not (out.get("title") or "").strip():
        raise ValidationError("La ficha necesita al menos un título para guardarse.", field="title")
    if "title" in out and not out["title"].strip():
        raise ValidationError("El título no puede quedar vacío.", field="title")
    return out


def _beneficiaries(value) -> int | None:
    if value in ("", None):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("«beneficiaries» debe ser un número entero (o vacío).", field="beneficiaries")
    return catalog_services.check_count(
        value, field="beneficiaries", maximum=catalog_services.MAX_BENEFICIARIES
    )


def check_version(value, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise ValidationError(
                "Envíe «version»: la versión de la ficha que editó (evita pisar cambios ajenos).",
                field="version",
            )
        return None
    return catalog_services.check_count(value, field="version", minimum=1)
