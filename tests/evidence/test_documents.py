"""The report's footnotes as documents: read, linked to where their markers stand, listed by the API and
on the pages. Expected values were read in the report's text (data/informe-buenas-practicas-oim-conofam.txt,
1-based line numbers):

- note 1 (line 46, "Strategic framework on knowledge management 2013-2017 …"), marker "contextos1." at
  line 93, in the chapter " CONSIDERACIONES METODOLÓGICAS" (line 44): no practice, no state.
- note 7 (line 335, "Estimación realizada con base estadísticas de INEGI …"); note 8 (line 337) is "Ídem."
  and note 11 (line 397) "INEGI Op.cit.": both point to note 7.
- note 21 (line 547, "Congreso del Estado de Baja California, Ley para la Protección de los Derechos y
  Apoyo a los Migrantes …", an address congresobc.gob.mx), marker glued to "entre otras21." at line 539,
  inside Baja California's practice 1 (lines 504–640).
- note 27 (line 1107, "Unidad de Política Migratoria … Boletín Mensual …"), marker glued to a figure
  "202127" at line 1078, inside Chihuahua's panorama table (CUADRO 3, lines 1048–1154), in no practice.
- note 50 (line 2268, "Congreso de Durango, LXVII Legislatura, Ley que crea el Instituto …"), marker
  "vulnerabilidad50." at line 2245, inside Durango's practice 1 (lines 2219–2348).
- note 54 (line 2774, "Congreso de Durango, Op.Cit."), marker "IAPMF54." at line 2724, inside Durango's
  practice 5 (lines 2655–2774): it points to note 50.
- the report has 101 footnotes (the last, 101 at line 5931, "Instituto para el Desarrollo de la Cultura
  Maya del estado de Yucatán (INDEMAYA)").
"""

from __future__ import annotations

import pytest
from django.conf import settings

from buenaspracticas.catalog.models import SourceDocument
from buenaspracticas.evidence.models import Document, DocumentLink

pytestmark = pytest.mark.django_db


def _doc(number: int) -> Document:
    return Document.objects.get(source__slug="informe-buenas-practicas-oim-conofam", footnote=number)


def _api(client, **params) -> dict:
    response = client.get("/api/v1/documents", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_every_footnote_of_the_report_is_a_document(report):
    docs = Document.objects.filter(source__slug="informe-buenas-practicas-oim-conofam")
    assert docs.count() == 101
    assert sorted(docs.values_list("footnote", flat=True)) == list(range(1, 102))
    last = _doc(101)
    assert last.first_line == 5931
    assert "INDEMAYA" in last.text


def test_a_law_footnote_keeps_its_number_line_kind_and_address(report):
    doc = _doc(21)
    assert (doc.first_line, doc.kind) == (547, "law")
    assert doc.text.startswith("Congreso del Estado de Baja California, Ley para la Protección")
    assert "congresobc.gob.mx" in doc.url


def test_idem_and_op_cit_point_to_the_earlier_note(report):
    assert _doc(8).refers_to == _doc(7)
    assert _doc(11).refers_to == _doc(7)
    assert _doc(54).refers_to == _doc(50)
    assert _doc(21).refers_to is None


def test_glued_markers_link_to_the_practice_whose_lines_hold_them(report):
    link = DocumentLink.objects.get(document=_doc(21))
    assert (link.practice.public_id, link.line) == ("baja-california-1", 539)
    assert DocumentLink.objects.get(document=_doc(50)).practice.public_id == "durango-1"
    assert DocumentLink.objects.get(document=_doc(54)).practice.public_id == "durango-5"


def test_a_marker_in_a_panorama_links_to_its_state(report):
    link = DocumentLink.objects.get(document=_doc(27))
    assert (link.practice, link.state.code, link.line) == (None, "MX-CHH", 1078)


def test_a_marker_outside_practices_and_panoramas_links_to_its_chapter(report):
    link = DocumentLink.objects.get(document=_doc(1))
    assert (link.practice, link.state, link.line) == (None, None, 93)
    assert link.chapter == "CONSIDERACIONES METODOLÓGICAS"


def test_loading_twice_changes_nothing(report):
    from buenaspracticas.evidence.documents import documents_load_file

    before_docs = list(Document.objects.order_by("pk").values())
    before_links = list(DocumentLink.objects.order_by("pk").values())
    counts = documents_load_file(
        path=settings.BUNDLED_REPORT, document="informe-buenas-practicas-oim-conofam"
    )
    assert (counts["read"], counts["created"], counts["updated"]) == (101, 0, 0)
    assert list(Document.objects.order_by("pk").values()) == before_docs
    assert list(DocumentLink.objects.order_by("pk").values()) == before_links


def test_a_load_that_fails_leaves_nothing_half_written(report, monkeypatch):
    from buenaspracticas.evidence import documents

    source = SourceDocument.objects.create(slug="otro-informe", title="Otro informe")
    lines = [
        "Texto con una nota1.",
        "",
        "1 Ley de Migración. Disponible en: https://www.diputados.gob.mx/ley.pdf",
    ]

    class LinkingFailed(Exception):
        pass

    def links_fail(**kwargs):
        raise LinkingFailed

    # The documents are written first, the links last: a failure there must take the documents back.
    monkeypatch.setattr(documents, "_links_sync", links_fail)
    with pytest.raises(LinkingFailed):
        documents.documents_load(source=source, lines=lines)
    assert not Document.objects.filter(source=source).exists()


def test_api_lists_documents_with_the_practices_that_cite_them(report, client):
    data = _api(client, practice="baja-california-1")
    numbers = [d["footnote"] for d in data["items"]]
    assert 21 in numbers
    assert data["count"] == len(data["items"])
    item = next(d for d in data["items"] if d["footnote"] == 21)
    assert item["kind"] == "law"
    assert item["cited_by"] == ["baja-california-1"]
    assert set(item) >= {"id", "kind", "footnote", "text", "url", "issuer", "year", "cited_by"}


def test_api_filters_by_state_kind_and_words(report, client):
    chihuahua = [d["footnote"] for d in _api(client, state="chihuahua")["items"]]
    assert 27 in chihuahua  # its panorama
    assert 21 not in chihuahua
    assert [d["footnote"] for d in _api(client, state="MX-CHH")["items"]] == chihuahua
    laws = _api(client, kind="law")["items"]
    assert {d["kind"] for d in laws} == {"law"}
    assert 21 in [d["footnote"] for d in laws]
    durango = [d["footnote"] for d in _api(client, q="congreso durango")["items"]]
    assert 50 in durango and 54 in durango
    assert 21 not in durango
    panorama_only = next(d for d in _api(client, state="chihuahua")["items"] if d["footnote"] == 27)
    assert panorama_only["cited_by"] == []


def test_api_refuses_unknown_filters_with_the_field_named(report, client):
    response = client.get("/api/v1/documents", {"kind": "novela"})
    assert response.status_code == 422
    response = client.get("/api/v1/documents", {"state": "atlantida"})
    assert response.status_code == 422
    assert response.json()["field"] == "state"


def test_ficha_lists_its_documents_with_links_that_open(report, client):
    html = client.get("/practicas/baja-california-1/").content.decode()
    assert 'id="documents-title"' in html
    assert "Congreso del Estado de Baja California, Ley para la Protección" in html
    doc = _doc(21)
    assert f'href="{doc.url}"' in html


def test_the_state_page_lists_the_documents_its_panorama_cites(report, client):
    html = client.get("/estados/chihuahua/").content.decode()
    assert 'data-footnote="27"' in html  # in Chihuahua's panorama table
    assert "Boletín Mensual de Estadísticas Migratoria" in html
    assert 'data-footnote="21"' not in html  # Baja California's
