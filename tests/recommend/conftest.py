"""Fixtures of the advice tests: the report with its suggestions, accounts and tokens, hand-built states."""

from __future__ import annotations

import pytest

from tests.accounts import PASSWORD, accounts_create, bearer, tokens_for

__all__ = ["PASSWORD", "auth"]


@pytest.fixture
def suggested(report):
    """The bundled report with population groups and GCM objectives suggested (the fake embedder)."""
    from buenaspracticas.recommend.services import suggestions_refresh

    suggestions_refresh()
    return report


@pytest.fixture
def accounts(db):
    return accounts_create({"editor_oax": ("ofam-oax", "MX-OAX"), "editor_chh": ("ofam-chh", "MX-CHH")})


@pytest.fixture
def tokens(accounts):
    return tokens_for(accounts)


auth = bearer


@pytest.fixture
def handbuilt(suggested):
    """Three states outside the report, built by code: Chiapas (no transit practice, very large transit
    figures), Sonora (transit practices, one with replicabilidad unknown) and Tamaulipas (a transit
    practice meeting only 2 criteria)."""
    from buenaspracticas.ingest.loader import load_parsed
    from buenaspracticas.ingest.records import Indicator, PanoramaRecord, Source
    from buenaspracticas.recommend.services import suggestions_refresh
    from tests import factories

    def panorama(code: str, presented: int, foreign_born: int, emigrants: int) -> PanoramaRecord:
        return PanoramaRecord(
            state_code=code,
            indicators=[
                Indicator("presented_to_authority", presented, "personas", "2021-01/2021-06", "UPMRIP", 2),
                Indicator("foreign_born", foreign_born, "personas", "2020", "INEGI", 3),
                Indicator("emigrants_2015_2020", emigrants, "personas", "2015-03/2020-03", "INEGI", 4),
            ],
            quality_flags=[],
            source=Source(factories.DOC, 1, 9),
        )

    transit = {
        "dimensions": ["transito"],
        "target_population": "Personas migrantes en tránsito",
        "description": "Red de albergues para personas migrantes en tránsito hacia la frontera norte.",
    }
    practices = [
        factories.practice(
            "MX-CHP",
            1,
            title="PROGRAMA DE ATENCIÓN A CHIAPANECOS EN ESTADOS UNIDOS",
            verdicts=("met",) * 5,
            dimensions=["origen"],
            target_population="Personas chiapanecas que viven en Estados Unidos",
            description="Trámites de documentos para la diáspora chiapaneca en Estados Unidos.",
        ),
        factories.practice(
            "MX-CHP",
            2,
            title="PROGRAMA CHIAPANECO DE ORIENTACIÓN",
            verdicts=("met",) * 5,
            status="active",
            dimensions=["origen"],
            target_population="Personas chiapanecas que viven en Estados Unidos",
            description="Orientación a familias de migrantes en el estado.",
        ),
        factories.practice(
            "MX-SON",
            1,
            title="RED SONORENSE DE ALBERGUES PARA PERSONAS EN TRÁNSITO",
            verdicts=("met",) * 5,
            **transit,
        ),
        factories.practice(
            "MX-SON",
            2,
            title="RED SONORENSE DE ALBERGUES PARA PERSONAS EN TRÁNSITO (SEGUNDA)",
            verdicts=("met", "met", "met", "unknown", "met"),
            **transit,
        ),
        factories.practice(
            "MX-TAM",
            1,
            title="RED TAMAULIPECA DE ALBERGUES PARA PERSONAS EN TRÁNSITO",
            verdicts=("met", "not_met", "not_met", "met", "unknown"),
            **transit,
        ),
    ]
    load_parsed(
        factories.report(
            *practices,
            panoramas=(
                panorama("MX-CHP", 80_000, 2_000, 3_000),
                panorama("MX-SON", 60_000, 40_000, 20_000),
                panorama("MX-TAM", 50_000, 30_000, 20_000),
            ),
        )
    )
    suggestions_refresh(practice_ids=["chiapas-1", "chiapas-2", "sonora-1", "sonora-2", "tamaulipas-1"])
    return practices
