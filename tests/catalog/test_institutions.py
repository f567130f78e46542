"""One record per real institution: printed names grouped by what a reader of the report knows them to be.
Expected groups written by hand from the report's "INSTITUCIÓN QUE COORDINA" lines, and from invented names
in another state's voice."""

from __future__ import annotations

import pytest

from buenaspracticas.catalog.institutions import institution_key, preferred_name, same_institution


def _groups(names: list[str]) -> list[set[str]]:
    groups: list[list[str]] = []
    for name in names:
        for group in groups:
            if same_institution(institution_key(name), institution_key(group[0])):
                group.append(name)
                break
        else:
            groups.append([name])
    return [set(g) for g in groups]


# As printed in the report, per state (read from the fichas).
CHIHUAHUA = [
    "Consejo Estatal de Población (COESPO)",
    "Consejo Estatal para la Población (COESPO)",
    "Consejo Estatal para la Protección (COESPO)",  # printed cut short, acronym kept
    "Consejo Estatal para la Protección y Atención a Migrantes (COESPAM)",
    "DIF Estatal de Chihuahua",
]
PUEBLA = ["INSTITUTO POBLANO DE ASISTENCIA AL MIGRANTE", "INSTITUTO POBLANO DE ASISTENCIA AL MIGRANTE (IPAM)"]
BAJA_CALIFORNIA = [
    "Subsecretaría de Asuntos Migratorios del Estado de Baja California",
    "Subsecretaría de Asuntos Migratorios del Estado de Baja California en coordinación con el INM",
]
CDMX = [
    "COORDINACIÓN DE MIGRANTES DE LA DIRECCIÓN GENERAL DE INCLUSIÓN SOCIAL, SIBISO",
    "DIRECCIÓN GENERAL DE INCLUSIÓN Y BIENESTAR SOCIAL",
    "Secretaría del Trabajo y Fomento al Empleo",
]


def test_chihuahua_coespo_printed_three_ways_is_one_institution_and_coespam_another():
    groups = _groups(CHIHUAHUA)
    assert set(CHIHUAHUA[:3]) in groups
    assert {CHIHUAHUA[3]} in groups and {CHIHUAHUA[4]} in groups


@pytest.mark.parametrize(
    "names", [PUEBLA, BAJA_CALIFORNIA], ids=["with-and-without-acronym", "partner-added"]
)
def test_variants_of_one_name_are_one_institution(names):
    assert _groups(names) == [set(names)]


def test_different_offices_stay_apart():
    assert len(_groups(CDMX)) == 3


def test_another_voice_acronym_after_comma_accents_and_capitals():
    names = [
        "Secretaría de Atención a Comunidades en el Exterior, SACE",
        "SECRETARIA DE ATENCION A COMUNIDADES EN EL EXTERIOR",
        "Secretaría de Atención a Comunidades en el Exterior (SACE) junto con la Cancillería",
        "Secretaría de Desarrollo Social",
        "Secretaría de Desarrollo Social y Humano",  # shares a start, is another office
    ]
    groups = _groups(names)
    assert set(names[:3]) in groups
    assert {names[3]} in groups and {names[4]} in groups


def test_preferred_name_is_the_complete_form_not_the_capitals_or_the_cut():
    assert preferred_name(PUEBLA) == "INSTITUTO POBLANO DE ASISTENCIA AL MIGRANTE (IPAM)"
    assert preferred_name(CHIHUAHUA[:3] + [CHIHUAHUA[0]]) == "Consejo Estatal de Población (COESPO)"
    assert preferred_name(BAJA_CALIFORNIA) == BAJA_CALIFORNIA[0]


# Read from the report's "INSTITUCIÓN QUE COORDINA" lines: the real institutions behind its 44 fichas.
REAL_INSTITUTIONS = {
    "MX-BCN": 1, "MX-CHH": 4, "MX-CMX": 3, "MX-DUR": 2, "MX-JAL": 1, "MX-MEX": 1,
    "MX-MIC": 1, "MX-OAX": 1, "MX-PUE": 1, "MX-SLP": 1, "MX-VER": 1, "MX-YUC": 1,
}  # fmt: skip


@pytest.mark.django_db
def test_loaded_report_has_one_record_per_real_institution_with_its_printings_kept(report):
    from django.db.models import Count

    from buenaspracticas.catalog.models import Institution

    used = Institution.objects.annotate(n=Count("practices")).filter(n__gt=0)
    per_state = dict(
        used.values("state__code").annotate(k=Count("id", distinct=True)).values_list("state__code", "k")
    )
    assert per_state == REAL_INSTITUTIONS
    coespo = used.get(acronym="COESPO")
    assert coespo.name == "Consejo Estatal de Población (COESPO)"
    assert "Consejo Estatal para la Protección (COESPO)" in coespo.aliases
    assert coespo.practices.count() == 5


@pytest.mark.django_db
def test_facet_lists_each_institution_once(report, client):
    facet = client.get("/api/v1/practices?state=MX-PUE").json()["facets"]["institution"]
    assert [v["label"] for v in facet] == ["INSTITUTO POBLANO DE ASISTENCIA AL MIGRANTE (IPAM)"]


@pytest.mark.django_db
def test_migration_merges_existing_duplicates_and_repoints_their_practices(report):
    import importlib

    from django.apps import apps

    from buenaspracticas.catalog.models import Institution, Practice, State

    migration = importlib.import_module("buenaspracticas.catalog.migrations.0003_institution_aliases")
    state = State.objects.get(code="MX-TLA")  # no practice of the report: a clean slate
    plain = Institution.objects.create(state=state, name="INSTITUTO TLAXCALTECA DEL MIGRANTE")
    full = Institution.objects.create(state=state, name="Instituto Tlaxcalteca del Migrante (ITM)")
    practice = Practice.objects.get(public_id="puebla-1")
    Practice.objects.filter(pk=practice.pk).update(institution=plain)

    migration.merge_duplicates(apps, None)

    assert not Institution.objects.filter(pk=plain.pk).exists()
    full.refresh_from_db()
    assert full.aliases == ["INSTITUTO TLAXCALTECA DEL MIGRANTE"] and full.acronym == "ITM"
    assert Practice.objects.get(pk=practice.pk).institution_id == full.pk
