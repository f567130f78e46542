"""The loader: one transaction, idempotent, corrections in place, bad input leaves the database as it was."""

from __future__ import annotations

import pytest

from buenaspracticas.catalog.models import Assessment, Practice
from buenaspracticas.errors import IngestError
from buenaspracticas.ingest.loader import load_file, load_parsed
from buenaspracticas.panorama.models import Indicator
from tests import factories

pytestmark = pytest.mark.django_db


def _snapshot() -> list:
    practices = list(
        Practice.objects.order_by("pk").values_list("pk", "public_id", "title", "version", "updated_at")
    )
    assessments = list(Assessment.objects.order_by("pk").values_list("pk", "verdict", "evidence"))
    indicators = list(Indicator.objects.order_by("pk").values_list("pk", "key", "value", "superseded_at"))
    return [practices, assessments, indicators]


def test_loading_the_same_report_twice_changes_nothing():
    parsed = factories.report(
        factories.practice(number=101), factories.practice(number=102), panoramas=(factories.panorama(),)
    )
    first = load_parsed(parsed)
    before = _snapshot()
    second = load_parsed(parsed)
    assert first.practices.created == 2
    assert (second.practices.created, second.practices.updated, second.practices.unchanged) == (0, 0, 2)
    assert second.panoramas.unchanged == 1
    assert _snapshot() == before


def test_corrected_report_updates_in_place_and_keeps_ids():
    load_parsed(
        factories.report(
            factories.practice(number=103, title="TITULO CON ERRATA"),
            panoramas=(factories.panorama(total=100),),
        )
    )
    original = Practice.objects.get(public_id="oaxaca-103")
    corrected = factories.practice(
        number=103, title="TÍTULO CORREGIDO", verdicts=("met", "met", "met", "met", "unknown")
    )
    summary = load_parsed(factories.report(corrected, panoramas=(factories.panorama(total=200),)))
    practice = Practice.objects.get(public_id="oaxaca-103")
    assert summary.practices.updated == 1
    assert practice.pk == original.pk
    assert practice.title == "TÍTULO CORREGIDO"
    assert practice.version == original.version + 1
    assert practice.assessments.get(criterion__code="replicabilidad").verdict == "met"
    total = Indicator.objects.get(
        panorama__state__code="MX-OAX", key="total_population", panorama__document__slug=factories.DOC
    )
    assert total.value == 200


def test_figure_dropped_by_a_corrected_report_is_superseded_not_deleted():
    pano = factories.panorama()
    load_parsed(factories.report(factories.practice(number=104), panoramas=(pano,)))
    pano.indicators = [i for i in pano.indicators if i.key != "entries_total"]
    load_parsed(factories.report(factories.practice(number=104), panoramas=(pano,)))
    dropped = Indicator.objects.get(key="entries_total", panorama__document__slug=factories.DOC)
    assert dropped.superseded_at is not None


def test_invalid_record_rolls_back_the_whole_load():
    good = factories.practice(number=105)
    bad = factories.practice(number=106, dimensions=["marte"])
    before = _snapshot()
    with pytest.raises(Exception, match="Dimensión desconocida"):
        load_parsed(factories.report(good, bad))
    assert _snapshot() == before
    assert not Practice.objects.filter(public_id="oaxaca-105").exists()


def _write_bad_files(tmp_path, report_path) -> None:
    text = report_path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if "CRITERIOS DE EVALUACI" in line and i > len(lines) // 2)
    files = {
        "vacio.txt": b"",
        "solo-espacios.txt": b"   \n\n  \n",
        "binario.txt": bytes(range(256)) * 20,
        "latin1.txt": text.encode("latin-1", errors="replace"),
        "truncado.txt": "".join(lines[: cut - 3]).encode("utf-8"),
        # The introduction and the first panorama, cut before the first table of practices.
        "sin-practicas.txt": "".join(
            lines[: next(i for i, x in enumerate(lines) if "PRÁCTICAS ORIENTADAS" in x)]
        ).encode("utf-8"),
        "informe.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)


@pytest.mark.parametrize(
    "name",
    [
        "vacio.txt",
        "solo-espacios.txt",
        "binario.txt",
        "latin1.txt",
        "truncado.txt",
        "sin-practicas.txt",
        "informe.pdf",
    ],
)
def test_bad_input_gives_clear_error_and_leaves_database_as_it_was(report, report_path, tmp_path, name):
    _write_bad_files(tmp_path, report_path)
    before = _snapshot()
    with pytest.raises(IngestError) as info:
        load_file(tmp_path / name)
    error = info.value
    assert error.file.endswith(name)
    assert error.line is not None and error.line >= 1
    assert name in error.message and "línea" in error.message
    assert _snapshot() == before


def test_loaded_records_enter_published_with_history_attributed_to_the_report():
    from buenaspracticas.curation.models import HistoryEntry

    load_parsed(factories.report(factories.practice(number=111), panoramas=(factories.panorama(),)))
    practice = Practice.objects.get(public_id="oaxaca-111")
    assert practice.workflow_state == "published"
    entries = list(HistoryEntry.objects.filter(practice=practice))
    assert len(entries) == 1 and entries[0].before is None and entries[0].actor is None
    assert entries[0].actor_label == "Informe: Informe de prueba"


def test_reloading_the_same_report_adds_no_history_and_a_correction_adds_one_entry():
    from buenaspracticas.curation.models import HistoryEntry

    parsed = factories.report(factories.practice(number=112), panoramas=(factories.panorama(),))
    load_parsed(parsed)
    count = HistoryEntry.objects.count()
    load_parsed(parsed)
    assert HistoryEntry.objects.count() == count
    load_parsed(
        factories.report(
            factories.practice(number=112, title="TÍTULO CORREGIDO"), panoramas=(factories.panorama(total=5),)
        )
    )
    new = list(HistoryEntry.objects.order_by("pk")[count:])
    assert [e.kind for e in new] == ["practice", "panorama"]
    assert new[0].before["title"] == "PROGRAMA DE PRUEBA" and new[0].after["title"] == "TÍTULO CORREGIDO"


def test_a_practice_in_curation_keeps_its_workflow_state_on_reload():
    load_parsed(factories.report(factories.practice(number=113)))
    Practice.objects.filter(public_id="oaxaca-113").update(workflow_state="archived")
    load_parsed(factories.report(factories.practice(number=113, title="OTRO")))
    assert Practice.objects.get(public_id="oaxaca-113").workflow_state == "archived"


def test_the_split_confidence_of_each_criterion_is_stored_with_its_verdict(tmp_path):
    """A ficha whose five evidence paragraphs each open their column (five paragraphs, five columns: the
    structure forces the split) is stored as sure (1.0); the bundled report's splits are all stored, 0–1."""
    from tests.ingest.test_synthetic_reports import HEADS, SONORA, TAMAULIPAS, build

    path = tmp_path / "anuario.txt"
    path.write_text(
        build(
            "Anuario de movilidad humana en el norte de México",
            [("Tamaulipas", TAMAULIPAS), ("Sonora", SONORA)],
            HEADS["head with its page number after it"],
            width=46,
            eol="\n",
        ),
        encoding="utf-8",
    )
    load_file(path)
    # sonora-1 has exactly one paragraph per criterion (see test_synthetic_reports.SONORA).
    stored = dict(
        Assessment.objects.filter(practice__public_id="sonora-1").values_list(
            "criterion__code", "split_confidence"
        )
    )
    assert stored == {
        "sostenibilidad": 1.0,
        "asociacion": 1.0,
        "innovacion": 1.0,
        "replicabilidad": 1.0,
        "eficacia": 1.0,
    }
    doc = Practice.objects.get(public_id="sonora-1").source_document
    assert (doc.slug, doc.title, doc.publisher, doc.year) == ("anuario", "anuario", "", None)


def test_the_bundled_report_is_loaded_with_the_metadata_of_its_sidecar(report):
    practice = Practice.objects.get(public_id="baja-california-2")
    doc = practice.source_document
    # data/informe-buenas-practicas-oim-conofam.meta.json
    assert (doc.title, doc.publisher, doc.year) == (
        "Buenas prácticas en política migratoria desde el ámbito local (OIM/CONOFAM)",
        "OIM / CONOFAM",
        2021,
    )
    values = list(
        Assessment.objects.filter(practice__source_document=doc).values_list("split_confidence", flat=True)
    )
    assert len(values) == 220 and all(v is not None and 0.0 <= v <= 1.0 for v in values)
