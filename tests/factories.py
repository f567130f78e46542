"""Test data built by code: small parsed reports in the parser's record shapes."""

from __future__ import annotations

from buenaspracticas.ingest.records import (
    Assessment,
    Indicator,
    PanoramaRecord,
    ParsedReport,
    PracticeRecord,
    QualityFlag,
    Source,
)
from buenaspracticas.reference import CRITERIA

DOC = "informe-de-prueba"


def practice(
    state_code: str = "MX-OAX",
    number: int = 1,
    *,
    title: str = "PROGRAMA DE PRUEBA",
    verdicts: tuple[str, ...] = ("met", "met", "met", "not_met", "unknown"),
    **extra,
) -> PracticeRecord:
    fields = {
        "institution": "Instituto de Prueba",
        "dimensions": ["retorno", "destino"],
        "target_population": "Personas migrantes en retorno",
        "description": "Descripción de prueba.",
        "status": "active",
        "beneficiaries": None,
        "source": Source(DOC, 10 * number, 10 * number + 9),
    }
    fields.update(extra)
    criteria = {c: Assessment(v, f"Evidencia de {c}.") for c, v in zip(CRITERIA, verdicts, strict=True)}
    return PracticeRecord(state_code=state_code, number=number, title=title, criteria=criteria, **fields)


def panorama(state_code: str = "MX-OAX", *, total: int = 4_132_148) -> PanoramaRecord:
    return PanoramaRecord(
        state_code=state_code,
        indicators=[
            Indicator(
                "total_population", total, "personas", "2020", "INEGI, Censo de Población y Vivienda 2020", 5
            ),
            Indicator("foreign_born_top", 120, "personas", "2020", "INEGI", 6, label="Guatemala"),
            Indicator("entries_total", 1000, "entradas", "2021-01/2021-06", "UPMRIP", 7),
        ],
        quality_flags=[
            QualityFlag("parts_do_not_add_up", ["entries_total"], "Las partes no suman el total.", 7, 8)
        ],
        source=Source(DOC, 1, 9),
    )


def report(*practices: PracticeRecord, panoramas: tuple[PanoramaRecord, ...] = ()) -> ParsedReport:
    return ParsedReport(
        document=DOC,
        title="Informe de prueba",
        practices=list(practices),
        panoramas=list(panoramas),
        line_count=100,
    )
