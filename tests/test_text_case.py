"""Titles printed in capitals are shown in sentence case; expected values written by reading the report."""

from __future__ import annotations

import pytest

from buenaspracticas.text_case import sentence_case

CASES = [
    # (printed title, text around it, how a person expects to read it)
    (
        "APOYO DIRECTO A PERSONAS MIGRANTES DURANTE LA EMERGENCIA SANITARIA POR COVID-19",
        "Durante la pandemia de COVID-19 se entregaron apoyos a personas migrantes.",
        "Apoyo directo a personas migrantes durante la emergencia sanitaria por COVID-19",
    ),
    (
        "GUELAGUETZA FAMILIAR E INTERCAMBIO CULTURAL OAXACA-ESTADOS UNIDOS",
        "Personas adultas mayores viajan a los Estados Unidos para reunirse con sus familias.",
        "Guelaguetza familiar e intercambio cultural Oaxaca-Estados Unidos",
    ),
    (
        "INSTALACIÓN DEL CENTRO DE ATENCIÓN A MIGRANTES (CAIM)",
        "El centro atiende a personas migrantes en Ciudad Juárez.",
        "Instalación del centro de atención a migrantes (CAIM)",
    ),
    (
        'PROGRAMA "PALOMAS MENSAJERAS"',
        "el programa reúne a familias separadas por la migración",
        'Programa "Palomas mensajeras"',
    ),
    # A heading of the text in capitals says nothing about one word's case.
    (
        "RED DE ENLACES MUNICIPALES",
        "RED DE ENLACES MUNICIPALES. Cada municipio designa un enlace municipal.",
        "Red de enlaces municipales",
    ),
]


@pytest.mark.parametrize(("printed", "context", "expected"), CASES)
def test_title_in_capitals_is_shown_in_sentence_case(printed, context, expected):
    assert sentence_case(printed, context) == expected


def test_title_not_in_capitals_is_left_as_written():
    title = "Programa de atención a Migrantes del Estado"
    assert sentence_case(title, "") == title
