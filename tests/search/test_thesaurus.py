"""The domain thesaurus (search/thesaurus.json): its structure holds (no empty concept, links to concepts that
exist, no cycle, a term in two concepts only when declared), and queries in other people's words — the dev set
tests/search/dev_synonyms.json, judged by reading the report — reach the practices a reader expects, through
the real search service with the real offline embedder, on SQLite and on PostgreSQL, while the words typed
keep ranking first and keyword counts stay bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buenaspracticas.catalog.filters import PracticeFilters
from buenaspracticas.catalog.models import Practice
from buenaspracticas.reference import fold
from buenaspracticas.search import synonyms
from buenaspracticas.search.backends import get_backend
from buenaspracticas.search.relevance import load_cases, score
from buenaspracticas.search.semantic import get_embedder

HERE = Path(__file__).parent
DEV = load_cases(HERE / "dev_synonyms.json")
TUNING = load_cases(HERE / "relevance.json")
DEV_TOP5 = 0.92  # reached: 53/55 on SQLite and on PostgreSQL (misses: filler words outrank a concept)
MAX_ALTERNATIVES = 40  # what one concept may add to a query


def _marked(term: str) -> tuple[str, ...]:
    return tuple(synonyms.marked_stems(term))


# -- structure -------------------------------------------------------------------------------------------
def test_thesaurus_concepts_are_well_formed():
    data = synonyms.load()
    ids = [c["id"] for c in data["concepts"]]
    assert len(ids) == len(set(ids)), "concept ids repeat"
    assert len(ids) >= 60
    for c in data["concepts"]:
        assert set(c) <= {"id", "label", "terms", "entry", "en", "broader"}, c["id"]
        assert c["label"] and c["terms"], f"{c['id']}: a concept needs a label and Spanish terms"
        for key in ("terms", "entry", "en"):
            words = c.get(key, [])
            assert all(isinstance(t, str) and t.strip() for t in words), (c["id"], key)
            assert len(words) == len(set(words)), f"{c['id']}: a {key} repeats"
            # Every term keeps a meaningful word once stopwords are dropped.
            assert all(synonyms.searched(_marked(t)) for t in words), (c["id"], key)
        # Searched terms are distinctive phrases of one to three words.
        for term in c["terms"]:
            assert len(synonyms.searched(_marked(term))) <= 3, (c["id"], term)
        assert synonyms.alternatives(c["id"]), f"{c['id']}: nothing searchable"
        assert len(synonyms.alternatives(c["id"])) <= MAX_ALTERNATIVES, c["id"]


def test_broader_links_exist_and_form_no_cycle():
    concepts = synonyms.concepts()
    for concept in concepts.values():
        assert set(concept.broader) <= set(concepts), concept.id
        assert concept.id not in concept.broader
    # Walking up from any concept never comes back to it.
    for start in concepts:
        seen, todo = set(), list(concepts[start].broader)
        while todo:
            cid = todo.pop()
            assert cid != start, f"cycle through {start}"
            if cid not in seen:
                seen.add(cid)
                todo.extend(concepts[cid].broader)


def test_a_term_names_two_concepts_only_when_declared_shared():
    data = synonyms.load()
    declared = {_marked(term): set(ids) for term, ids in data["shared"].items()}
    for term, ids in data["shared"].items():
        assert len(ids) >= 2 and set(ids) <= set(synonyms.concepts()), term
    owners: dict[tuple[str, ...], set[str]] = {}
    for concept in synonyms.concepts().values():
        for term in (*concept.terms, *concept.entry, *concept.en):
            owners.setdefault(_marked(term), set()).add(concept.id)
    for phrase, ids in owners.items():
        if len(ids) > 1:
            assert declared.get(phrase) == ids, f"{phrase} is in {sorted(ids)} without a `shared` entry"
    # A declaration names concepts that do hold the term.
    for phrase, ids in declared.items():
        assert owners.get(phrase) == ids, phrase


def test_thesaurus_keeps_the_former_glossary_reach():
    # Words of the former glossary still lead into a concept, and the pairs it relied on still expand.
    entries = synonyms.entries()
    former = (
        "tercera edad|cabecitas blancas|cadáveres|shelters|nna|unaccompanied|repatriados|acta de nacimiento|"
        "doble nacionalidad|regularización|covid|pandemia|desempleo|emprendimiento|intérpretes|"
        "enlaces municipales|consejo estatal|padrón|plataforma digital|ventanilla|prevención|"
        "temporada vacacional|guelaguetza|apoyo económico|salud|solicitantes de asilo|hospitalaria|"
        "asesoría jurídica|capacitación|detención|estados unidos|mujeres|traslado|reencuentro"
    )
    for word in former.split("|"):
        assert _marked(word) in entries, word
    for typed, equivalent in (
        ("refugio", "albergue"),
        ("casa del migrante", "albergue"),
        ("tercera edad", "adultos mayores"),
        ("cadáveres", "restos"),
        ("shelters", "albergues"),
        ("unaccompanied children", "menores no acompañados"),
        ("documentos de identidad", "acta de nacimiento"),  # broader reaches narrower
        ("legalización", "regularización"),
        ("indocumentados", "situación irregular"),
        ("paisanos", "temporada vacacional"),
        ("paisanos", "connacionales"),
    ):
        groups = synonyms.query_groups(typed)
        assert len(groups) == 1, (typed, groups)
        assert synonyms.searched(_marked(equivalent)) in groups[0][1:], (typed, equivalent)
    # Narrower does not reach broader: a CURP is a document, not every document is a CURP.
    assert synonyms.searched(_marked("documentos")) not in synonyms.query_groups("curp")[0]


def test_negated_phrases_are_recognised_and_not_searched_as_their_bare_word():
    # "sin papeles" is not about papers: the query searches the irregular-status concept, not "papel".
    groups = synonyms.query_groups("migrantes sin papeles")
    assert len(groups) == 2
    assert ("papel",) not in groups[1]
    assert synonyms.searched(_marked("situación irregular")) in groups[1]
    # Documents themselves stay documents.
    assert synonyms.searched(_marked("situación irregular")) not in synonyms.query_groups("documentos")[0]
    # "no acompañados" keeps its two words together as the phrase the report uses.
    (group,) = synonyms.query_groups("niños no acompañados")
    assert group[0] == synonyms.searched(_marked("niños no acompañados"))


def test_without_the_glossary_a_query_is_its_words():
    with synonyms.glossary(False):
        assert synonyms.query_groups("casa del migrante") == [[("cas",)], [("migrant",)]]


def test_widen_keeps_equivalents_only_where_the_words_typed_find_nothing():
    # "refugio" is held by two practices (chihuahua-7 line 1937, ciudad-de-mexico-3 lines 3638 and 3647),
    # "migrantes" by nearly all: both are searched as typed.
    groups = synonyms.query_groups("refugio para migrantes")
    assert ("alberg",) in groups[0]  # the thesaurus knows the equivalents…
    held = {"refugi": 2, "migrant": 41}
    refugio, migrantes = synonyms.widen(groups, held)
    assert refugio == [("refugi",)] and migrantes == [("migrant",)]  # …used only where the word finds nothing
    (albergues,) = synonyms.widen(synonyms.query_groups("albergues"), {"alberg": 10})
    assert albergues == [("alberg",)]
    # A word no practice holds is always widened.
    (shelters,) = synonyms.widen(synonyms.query_groups("shelters"), {})
    assert ("alberg",) in shelters
    (refugio_alone,) = synonyms.widen(synonyms.query_groups("refugio"), {"refugi": 0})
    assert ("alberg",) in refugio_alone


# -- the search service ----------------------------------------------------------------------------------
def test_dev_set_is_judged_and_names_loaded_practices(report):
    assert len(DEV) >= 30
    raw = json.loads((HERE / "dev_synonyms.json").read_text(encoding="utf-8"))["cases"]
    assert all(case.get("lines") for case in raw), "every case cites the report lines it was judged on"
    known = set(Practice.objects.values_list("public_id", flat=True))
    missing = {pid for case in DEV for pid in case["expected"]} - known
    assert not missing, sorted(missing)
    tuning = {fold(c["query"]) for c in TUNING}
    assert not tuning & {fold(c["query"]) for c in DEV}, "the dev set repeats tuning queries"


@pytest.mark.django_db
def test_synonym_queries_reach_the_expected_practice(report):
    from django.db import connection

    backend = get_backend(embedder=get_embedder("ensemble"))
    backend.reindex()
    result = score(backend, DEV, k=5)
    with synonyms.glossary(False):
        without = score(backend, DEV, k=5)
    print(
        f"\ndev synonyms on {connection.vendor}: top-5 {result['hits']}/{result['total']} "
        f"({result['hit_rate']:.1%}), MRR {result['mrr']}; "
        f"without the thesaurus {without['hits']}/{without['total']}"
    )
    assert result["hit_rate"] >= DEV_TOP5, json.dumps(result["misses"], ensure_ascii=False, indent=1)
    # No query of either set comes back empty.
    empty = [
        case["query"]
        for case in (*DEV, *TUNING)
        if backend.page(PracticeFilters(q=case["query"]), limit=1, facets=False).count == 0
    ]
    assert not empty, empty


def _holding(words: tuple[str, ...]) -> set[str]:
    """The published practices whose searchable text holds a word beginning with one of these."""
    from buenaspracticas.search.indexer import documents

    out = set()
    for d in documents():
        fields = (d.title, d.institution, d.population, d.description, d.evidence)
        text = " " + " ".join(fold(f) for f in fields)
        if any(f" {w}" in text for w in words):
            out.add(d.public_id)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "typed", "equivalent"),
    [
        # "refugio": chihuahua-7 says "refugio" (line 1937), ciudad-de-mexico-3 "refugiadas" (line 3638);
        # the shelters say "albergues" (baja-california-3, line 788 onwards).
        ("refugio", ("refugi",), ("albergue",)),
        # "deportados": san-luis-potosi-1 (line 3225) and durango-1 (line 2262) say "deportadas";
        # others say "repatriadas" (baja-california-4, line 914).
        ("deportados", ("deport",), ("repatriad",)),
    ],
)
def test_a_word_the_catalogue_holds_is_searched_as_typed(report, query, typed, equivalent):
    holding_typed = _holding(typed)
    only_equivalent = _holding(equivalent) - holding_typed
    assert holding_typed and only_equivalent
    ids = {h.practice_id for h in get_backend(embedder=False).search(query)}
    # The count is the practices that use the word; those saying it otherwise are left to the dense retriever.
    assert ids == holding_typed, sorted(ids ^ holding_typed)


@pytest.mark.django_db
def test_a_word_no_practice_holds_is_searched_through_its_equivalents(report):
    # "shelters" is no word of the report; the shelters say "albergue" (baja-california-3, line 788 onwards).
    assert not _holding(("shelter",))
    ids = {h.practice_id for h in get_backend(embedder=False).search("shelters")}
    assert ids and ids & _holding(("alberg",))


@pytest.mark.django_db
def test_keyword_counts_stay_bounded(report):
    # Keyword queries of the tuning set: the count stays within three times the practices judged relevant,
    # or, where the words typed alone already match more (e.g. "covid", which 17 practices mention), no
    # higher than without the thesaurus.
    backend = get_backend(embedder=False)
    over = []
    for case in (c for c in TUNING if c["kind"] == "keyword"):
        count = backend.page(PracticeFilters(q=case["query"]), limit=1, facets=False).count
        with synonyms.glossary(False):
            bare = backend.page(PracticeFilters(q=case["query"]), limit=1, facets=False).count
        if count > max(3 * len(case["expected"]), bare):
            over.append((case["query"], count, bare, len(case["expected"])))
    assert not over, over


@pytest.mark.django_db
def test_a_document_left_behind_by_a_truncation_does_not_stop_the_widening(report):
    # A flush of the catalogue's tables (a restore, a test that commits) leaves the engine's own table behind:
    # its documents must not count as practices holding a word, or "shelters" (held by no practice, so
    # searched through its equivalents) stops widening.
    from django.db import connection

    from buenaspracticas.search import spelling

    if connection.vendor != "postgresql":
        pytest.skip("the orphan is written to PostgreSQL's search_pgdoc; SQLite's FTS5 vocabulary is left")
    (stem,) = synonyms.marked_stems("shelters")
    assert not _holding((stem,))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_pgdoc (practice_id, document) VALUES (987654, to_tsvector('simple', %s))",
            [f"{stem} {stem}"],
        )
    spelling.forget()
    ids = [h.practice_id for h in get_backend(embedder=False).search("shelters")]
    assert _holding(("albergue",)) & set(ids), ids
