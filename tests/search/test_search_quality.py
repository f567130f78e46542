"""Search that holds without its glossary: queries of synonyms and misspelt words reach the practice a
reader of the report expects, a corrected query is offered as "¿Quiso decir …?", and the count is the exact,
bounded number of matches, with facets over the same set, on whichever database the suite runs.

The expected practices were read in the report (data/informe-buenas-practicas-oim-conofam.txt):
- baja-california-4, "CREACIÓN DE LAS VENTANILLAS ÚNICAS DE ATENCIÓN INTEGRAL A PERSONAS REPATRIADAS" (lines
  905–920: population "Población repatriada por autoridades estadounidenses");
- oaxaca-1, "GUELAGUETZA FAMILIAR E INTERCAMBIO CULTURAL OAXACA-ESTADOS UNIDOS" (line 4469);
- ciudad-de-mexico-3, "PROGRAMA DE SEGURO DE DESEMPLEO" (lines 3628–3632);
- veracruz-1, "PROGRAMA PILOTO DE REGULARIZACIÓN MIGRATORIA" (lines 5173–5189);
- san-luis-potosi-2, "PROGRAMA DE REUNIFICACIÓN FAMILIAR PARA ADULTOS MAYORES «CORAZÓN TODITO»" (lines
  3273–3283: "el reencuentro de personas de la tercera edad con hijos en los Estados Unidos");
- estado-de-mexico-2, "TRASLADO DE PERSONAS MIGRANTES FALLECIDAS" (lines 4011–4019) and puebla-2,
  "PROGRAMA DE TRASLADOS DE RESTOS" (line 4212)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.models import Practice
from buenaspracticas.reference import fold
from buenaspracticas.search import synonyms
from buenaspracticas.search.backends import get_backend
from buenaspracticas.search.semantic import get_embedder

pytestmark = pytest.mark.django_db

REPORT_WORDS_CACHE: dict[str, set[str]] = {}


def _report_words(report) -> set[str]:
    if "words" not in REPORT_WORDS_CACHE:
        text = fold(report.read_text(encoding="utf-8"))
        REPORT_WORDS_CACHE["words"] = set(re.findall(r"\w+", text))
    return REPORT_WORDS_CACHE["words"]


def _top(backend, query: str, n: int = 3) -> list[str]:
    return [h.practice_id for h in backend.search(query)][:n]


@pytest.mark.parametrize(
    ("typed", "expected", "corrected_word"),
    [
        ("repatracion", "baja-california-4", "repatri"),
        ("guelagetza", "oaxaca-1", "guelaguetza"),
        ("seguro de desenpleo", "ciudad-de-mexico-3", "desempleo"),
        ("regularisacion migratoria", "veracruz-1", "regulariz"),
    ],
)
@pytest.mark.parametrize("glossary", [True, False])
def test_misspelt_query_finds_the_practice_and_offers_the_correction(
    report, typed, expected, corrected_word, glossary
):
    backend = get_backend(embedder=False)  # the correction alone, no help from the embeddings
    with synonyms.glossary(glossary):
        page = backend.page(PracticeFilters(q=typed), limit=3)
    assert expected in [h.practice_id for _, h in page.hits]
    assert page.suggestion, f"no «¿Quiso decir …?» for {typed!r}"
    assert fold(page.suggestion) != fold(typed)
    # The suggestion is made of words the report itself uses, the corrected one among them.
    words = re.findall(r"\w+", fold(page.suggestion))
    assert set(words) <= _report_words(report), page.suggestion
    assert any(w.startswith(corrected_word) for w in words), page.suggestion


def test_well_spelt_and_new_words_are_not_corrected(report):
    backend = get_backend(embedder=False)
    assert backend.page(PracticeFilters(q="guelaguetza"), limit=3).suggestion == ""
    assert backend.page(PracticeFilters(q="lorem ipsum dolor"), limit=3).hits == []
    practice = Practice.objects.get(public_id="yucatan-5")
    Practice.objects.filter(pk=practice.pk).update(
        title="PAPIROFLEXIA MIGRANTE", version=practice.version + 1
    )
    page = backend.page(PracticeFilters(q="papiroflexia"), limit=3)
    assert page.suggestion == ""
    assert [h.practice_id for _, h in page.hits] == ["yucatan-5"]


@pytest.mark.parametrize(
    ("query", "absent"),
    [("vacaciones de verano", "vacaciones"), ("salud mental", "mental"), ("paisanos difuntos", "difuntos")],
)
def test_spanish_words_the_report_does_not_use_are_not_corrected(report, query, absent):
    # A word of the language that the report happens not to use is not a typo: no «¿Quiso decir …?» turns
    # "vacaciones" into "vocación" or "mental" into "dentales". Without the glossary, whose words are never
    # corrected either.
    assert absent not in _report_words(report)
    with synonyms.glossary(False):
        page = get_backend(embedder=False).page(PracticeFilters(q=query), limit=3)
    assert page.suggestion == "", page.suggestion


def test_search_page_shows_did_you_mean_with_a_link_keeping_the_filters(report):
    html = Client().get("/practicas/?q=guelagetza&region=sur-sureste").content.decode()
    assert "¿Quiso decir" in html
    link = re.search(r'<p class="suggestion">[^<]*<a href="([^"]+)">([^<]+)</a>', html)
    assert link, html[:2000]
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["q"] == ["guelaguetza"] and query["region"] == ["sur-sureste"]
    assert link.group(2) == "guelaguetza"
    assert "/practicas/oaxaca-1/" in html
    assert "¿Quiso decir" not in Client().get("/practicas/?q=guelaguetza").content.decode()


def test_synonym_queries_reach_the_practice_without_the_glossary(report):
    embedder = get_embedder("ensemble")
    backend = get_backend(embedder=embedder)
    backend.reindex()
    with synonyms.glossary(False):
        # "ancianos" is not a word of the report; san-luis-potosi-2 says "adultos mayores", "tercera edad".
        assert "san-luis-potosi-2" in _top(backend, "ancianos")
        # "cuerpos", "connacionales" and "fallecidos" in no title; the practices move the remains home.
        assert {"estado-de-mexico-2", "puebla-2"} & set(_top(backend, "cuerpos de connacionales fallecidos"))
        assert "san-luis-potosi-2" in _top(backend, "abuelos que viajan a ver a sus hijos", 5)
        # A misspelt word and the embeddings together.
        assert _top(backend, "repatracion", 1) == ["baja-california-4"]


def test_a_query_in_other_words_finds_its_practice_and_one_on_another_subject_finds_none(report):
    backend = get_backend(embedder=get_embedder("ensemble"))
    backend.reindex()
    with synonyms.glossary(False):
        # No word of it is in the report; chihuahua-7 is the centre for "Niños, niñas y adolescentes
        # extranjeros no acompañados" (lines 1925–1930).
        assert "chihuahua-7" in _top(backend, "unaccompanied children", 5)
        # Subjects far from migration, neither in the background sentences nor in the calibration's
        # off-topic list: nothing matches them by meaning alone.
        for query in ("tarifas de gimnasio", "mantenimiento de bicicletas", "knitting patterns for scarves"):
            assert not [h.practice_id for h in backend.search(query) if h.how == "semantic"], query


@pytest.mark.parametrize(
    "query",
    [
        "capital semilla para abrir un changarro al volver del norte",
        "taller de costura para mujeres deportadas que quieren emprender",
    ],
)
def test_a_query_s_rare_concept_outranks_its_common_words_when_no_practice_holds_them_all(report, query):
    # puebla-3, "PROGRAMA «MIGRANTE EMPRENDE»" (lines 4301–4323): "autoempleo mediante actividades
    # productivas … proyectos productivos y pequeños negocios" for migrants in return, up to $30,000. No
    # practice holds every word of these queries; many hold "retorno", "taller" or "mujeres", one the
    # business the query is about.
    backend = get_backend(embedder=get_embedder("ensemble"))
    backend.reindex()
    assert "puebla-3" in _top(backend, query, 3)


@pytest.mark.parametrize(
    ("query", "relevant", "glossary"),
    [
        # Practices whose text holds both words, read in the report: veracruz-3, durango-1, oaxaca-2,
        # yucatan-2.
        ("doble nacionalidad", 4, True),
        ("seguro de desempleo", 1, True),
        ("traslado de restos", 2, True),
        # With the glossary, "guelaguetza" (one practice) widens to its family (culture, traditions).
        ("guelaguetza", 1, False),
    ],
)
def test_keyword_query_count_is_exact_and_bounded_and_facets_add_up(report, query, relevant, glossary):
    with synonyms.glossary(glossary):
        body = Client().get("/api/v1/practices", {"q": query, "limit": 500}).json()
        limited = Client().get("/api/v1/practices", {"q": query, "limit": 1}).json()
    assert body["count"] == len(body["items"])  # exact: every match is listed when the page holds them all
    assert 1 <= body["count"] <= 3 * relevant, [p["id"] for p in body["items"]]
    # Every practice lies in exactly one region and one state: those facets add up to the count.
    assert sum(f["count"] for f in body["facets"]["region"]) == body["count"]
    assert sum(f["count"] for f in body["facets"]["state"]) == body["count"]
    assert limited["count"] == body["count"] and len(limited["items"]) == 1


def test_keyword_query_requires_every_word(report):
    # "seguro de desempleo": only the Mexico City unemployment insurance holds both words (lines 3628–3632);
    # "seguro" alone appears in other practices.
    backend = get_backend(embedder=False)
    both = backend.page(PracticeFilters(q="seguro de desempleo"), limit=50)
    seguro = backend.page(PracticeFilters(q="seguro"), limit=50)
    assert [h.practice_id for _, h in both.hits][:1] == ["ciudad-de-mexico-3"]
    assert both.count < seguro.count
    with_words = {
        p.public_id
        for p in Practice.objects.filter(workflow_state="published")
        if "seguro" in fold(f"{p.title} {p.description}")
        and "desempleo" in fold(f"{p.title} {p.description}")
    }
    assert with_words <= {h.practice_id for _, h in both.hits}


@pytest.mark.parametrize(
    ("query", "word"), [("albergues", "albergue"), ("restos", "restos"), ("repatriadas", "repatriad")]
)
def test_title_match_ranks_first(report, query, word):
    # A practice whose title holds the word leads the results (baja-california-3 "…ALBERGUES…", puebla-2
    # "PROGRAMA DE TRASLADOS DE RESTOS" at line 4212, baja-california-4 "…PERSONAS REPATRIADAS" at line 914).
    titled = {
        p.public_id for p in Practice.objects.filter(workflow_state="published") if word in fold(p.title)
    }
    assert titled
    ids = [h.practice_id for h in get_backend(embedder=False).search(query)]
    assert set(ids[: len(titled)]) == titled, ids
