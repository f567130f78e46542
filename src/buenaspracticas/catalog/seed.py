"""Reference rows (regions, states, criteria, dimensions) written from reference.py; used by the data
migration (with historical models) and by services.reference_sync()."""

from __future__ import annotations

from buenaspracticas import reference

CRITERION_DESCRIPTIONS = {
    "sostenibilidad": "Institucionalizada, con capacidades, presupuesto o base legal que perduran más allá "
    "de una administración.",
    "asociacion": "Construida con socios: otros niveles de gobierno, sociedad civil, organismos "
    "internacionales o sector privado.",
    "innovacion": "Una forma nueva de resolver el problema en su contexto.",
    "replicabilidad": "Puede servir de modelo en otros lugares.",
    "eficacia": "Cumple sus objetivos, con resultados demostrados.",
}


def sync_reference(apps) -> None:
    """Create or update the reference rows; `apps` is a Django app registry (historical or live)."""
    Region = apps.get_model("catalog", "Region")
    State = apps.get_model("catalog", "State")
    Criterion = apps.get_model("catalog", "Criterion")
    Dimension = apps.get_model("catalog", "Dimension")
    regions = {}
    for order, (slug, name) in enumerate(reference.REGIONS.items()):
        regions[slug], _ = Region.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for s in reference.STATES:
        State.objects.update_or_create(
            code=s.code,
            defaults={"slug": s.slug, "name": s.name, "region": regions[s.region], "inegi_code": s.inegi},
        )
    for order, code in enumerate(reference.CRITERIA):
        Criterion.objects.update_or_create(
            code=code,
            defaults={
                "name": reference.CRITERIA_LABELS[code],
                "order": order,
                "description": CRITERION_DESCRIPTIONS[code],
            },
        )
    for order, code in enumerate(reference.DIMENSIONS):
        Dimension.objects.update_or_create(
            code=code, defaults={"name": reference.DIMENSION_LABELS[code], "order": order}
        )
