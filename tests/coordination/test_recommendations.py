"""Recommendations as records: loaded from the report idempotently, tracked per state through the API and
the pages, every update dated, threaded and in the history."""

from __future__ import annotations

import json

import pytest

from buenaspracticas.coordination import services
from buenaspracticas.coordination.models import Recommendation, RecommendationStatus, RecommendationUpdate
from buenaspracticas.curation.models import HistoryEntry
from tests.coordination.conftest import bearer

pytestmark = pytest.mark.django_db


def _put(client, token, number=1, code="MX-OAX", **body):
    return client.put(
        f"/api/v1/recommendations/{number}/states/{code}",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(token),
    )


def test_loading_the_report_twice_changes_nothing(recommendations):
    history = HistoryEntry.objects.count()
    summary = services.recommendations_load(path=recommendations)
    assert summary["unchanged"] == [1, 2, 3, 4, 5, 6]
    assert summary["created"] == summary["updated"] == []
    assert Recommendation.objects.count() == 6
    assert HistoryEntry.objects.count() == history


def test_each_loaded_recommendation_entered_the_history(recommendations):
    entries = HistoryEntry.objects.filter(kind="rec_text").order_by("pk")
    assert [e.after["number"] for e in entries] == [1, 2, 3, 4, 5, 6]
    assert entries[0].after["source"] == {
        "document": "informe-buenas-practicas-oim-conofam",
        "number": 1,
        "first_line": 6147,
        "last_line": 6157,
    }
    assert entries[0].actor_label.startswith("Informe")


def test_a_corrected_report_updates_the_text_in_place_and_another_report_adds_its_own(
    recommendations, tmp_path
):
    text = recommendations.read_text(encoding="utf-8")
    corrected = tmp_path / "informe-buenas-practicas-oim-conofam.txt"
    corrected.write_text(
        text.replace("Profundizar la coordinación", "Fortalecer la coordinación"), encoding="utf-8"
    )
    summary = services.recommendations_load(path=corrected)
    assert summary["updated"] == [2] and summary["created"] == []
    assert Recommendation.objects.get(number=2).text.startswith("Fortalecer la coordinación")
    entry = HistoryEntry.objects.filter(kind="rec_text").latest("pk")
    assert entry.before["text"].startswith("Profundizar") and entry.after["text"].startswith("Fortalecer")

    later = tmp_path / "informe-2025.txt"
    later.write_text(
        "RECOMENDACIONES\n\n1. Crear un observatorio común.\n2. Medir resultados.\n", encoding="utf-8"
    )
    summary = services.recommendations_load(path=later)
    assert summary["created"] == [7, 8]
    seven = Recommendation.objects.get(number=7)
    assert (seven.document.slug, seven.number_in_source, seven.text) == (
        "informe-2025",
        1,
        "Crear un observatorio común.",
    )


def test_the_api_lists_each_recommendation_with_every_states_status(client, recommendations):
    data = client.get("/api/v1/recommendations").json()
    assert data["count"] == 6 and len(data["items"]) == 6
    first = data["items"][0]
    assert first["number"] == 1
    assert first["text"].startswith("Es necesario ampliar el espectro")
    assert first["source"]["first_line"] == 6147
    assert len(first["states"]) == 12  # the report's states: they have published practices
    assert first["states"]["MX-OAX"] == {
        "status": "not_started",
        "status_label": "sin iniciar",
        "note": "",
        "evidence": {"text": "", "documents": [], "practices": []},
        "updated_at": None,
        "version": 0,
    }


def test_a_states_editor_updates_its_status_and_the_update_is_dated_threaded_and_in_the_history(
    client, tokens, people
):
    response = _put(
        client,
        tokens["editor"],
        number=4,
        status="in_progress",
        note="Mesa estatal instalada.",
        evidence={
            "text": "Acta de instalación.",
            "documents": [{"title": "Acta", "url": "https://oax.gob.mx/acta.pdf"}],
            "practices": ["oaxaca-2"],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == 4 and body["state"]["code"] == "MX-OAX"
    assert body["status"] == "in_progress" and body["note"] == "Mesa estatal instalada."
    assert body["evidence"]["practices"] == ["oaxaca-2"]
    assert body["updated_at"] is not None

    listed = client.get("/api/v1/recommendations").json()["items"][3]["states"]["MX-OAX"]
    assert listed["status"] == "in_progress"

    _put(client, tokens["editor"], number=4, status="done", note="Agenda común aprobada.")
    row = RecommendationStatus.objects.get(recommendation__number=4, state__code="MX-OAX")
    assert [u.status for u in RecommendationUpdate.objects.filter(status_row=row)] == ["in_progress", "done"]
    entries = HistoryEntry.objects.filter(kind="rec_status", state__code="MX-OAX").order_by("pk")
    assert [e.after["status"] for e in entries] == ["in_progress", "done"]
    assert entries[0].before is None
    assert entries[1].before["status"] == "in_progress"
    assert entries[1].after["recommendation"] == 4 and entries[1].actor == people["editor"]

    page = client.get("/recomendaciones/4/oaxaca/").content.decode()
    assert "Agenda común aprobada." in page and "Mesa estatal instalada." in page
    assert "Oficina estatal de Oaxaca" in page


def test_evidence_must_cite_the_states_own_practices(client, tokens):
    response = _put(client, tokens["editor"], status="in_progress", evidence={"practices": ["jalisco-1"]})
    assert response.status_code == 422
    assert response.json()["field"] == "evidence.practices"
    assert not RecommendationStatus.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "casi"}, "status"),
        ({"note": "sin estatus"}, "status"),
        ({"status": "done", "color": "verde"}, "color"),
        (
            {"status": "done", "evidence": {"documents": [{"title": "x", "url": "ftp://x"}]}},
            "evidence.documents[0].url",
        ),
        ({"status": "done", "note": "nulo\x00"}, "note"),
    ],
)
def test_an_invalid_update_is_refused_with_the_field_named(client, tokens, body, field):
    response = _put(client, tokens["editor"], **body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not RecommendationStatus.objects.exists()


def test_unknown_recommendation_or_state_is_404(client, tokens):
    assert _put(client, tokens["coordinator"], number=99, status="done").status_code == 404
    assert _put(client, tokens["coordinator"], number=1, code="MX-XXX", status="done").status_code == 404


def test_the_table_shows_each_status_in_words_and_links_each_cell_to_its_thread(client, tokens):
    _put(client, tokens["editor"], number=2, status="done", note="Convenio firmado.")
    page = client.get("/recomendaciones/").content.decode()
    assert 'class="table-scroll"' in page
    cell = page.split('data-state="MX-OAX"')[1].split("</tr>")[0]
    assert 'data-recommendation="2" data-status="done"' in cell
    assert "cumplida" in cell and 'href="/recomendaciones/2/oaxaca/"' in cell
    assert "sin iniciar" in cell
    for word in ("sin iniciar", "en curso", "cumplida"):  # the legend names every status
        assert word in page.split('class="legend status-legend"')[1].split("</ul>")[0]


def test_the_state_page_shows_its_row(client, tokens):
    _put(client, tokens["editor"], number=3, status="in_progress")
    page = client.get("/estados/oaxaca/").content.decode()
    section = page.split('id="recs-title"')[1].split("</section>")[0]
    assert section.count("<tr>") == 7  # header + six recommendations
    assert "en curso" in section and 'href="/recomendaciones/3/oaxaca/"' in section


def test_the_editor_updates_through_the_page_form_without_javascript(clients):
    response = clients["editor"].post(
        "/recomendaciones/1/oaxaca/",
        {
            "status": "in_progress",
            "note": "Programa ampliado a personas en tránsito.",
            "evidence_text": "",
            "evidence_documents": "Informe anual | https://oax.gob.mx/informe.pdf",
            "evidence_practices": ["oaxaca-1"],
        },
    )
    assert response.status_code == 302
    row = RecommendationStatus.objects.get(recommendation__number=1, state__code="MX-OAX")
    assert row.status == "in_progress"
    assert row.evidence_documents == [{"title": "Informe anual", "url": "https://oax.gob.mx/informe.pdf"}]
    assert [p.public_id for p in row.practices.all()] == ["oaxaca-1"]
    page = clients["editor"].get("/recomendaciones/1/oaxaca/").content.decode()
    assert "Avance guardado." in page and "Programa ampliado" in page


def test_a_form_mistake_is_shown_beside_the_form_and_keeps_what_was_typed(clients):
    response = clients["editor"].post("/recomendaciones/1/oaxaca/", {"note": "Olvidé el estatus"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page and "Olvidé el estatus" in page
    assert not RecommendationStatus.objects.exists()


def test_the_english_pages_translate_the_interface(client, recommendations):
    page = client.get("/en/recomendaciones/").content.decode()
    assert "Progress by state" in page and "not started" in page


def test_reading_the_table_takes_a_bounded_number_of_queries(client, tokens, django_assert_max_num_queries):
    for n in range(1, 7):
        _put(
            client, tokens["coordinator"], number=n, code="MX-JAL", status="done", evidence={"practices": []}
        )
    with django_assert_max_num_queries(12):
        client.get("/api/v1/recommendations")
    with django_assert_max_num_queries(16):
        client.get("/recomendaciones/")
