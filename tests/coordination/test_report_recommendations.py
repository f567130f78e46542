"""The report's recommendations read from its text: the six of the bundled report checked against words
read in the report by hand, and the reader's behaviour on other shapes of the same kind of section."""

from __future__ import annotations

import pytest

from buenaspracticas.coordination.report_recommendations import (
    join_lines,
    parse_recommendations,
    recommendations_from_file,
)

# (first words, last words, first line, last line), read in data/informe-buenas-practicas-oim-conofam.txt
EXPECTED = {
    1: (
        "Es necesario ampliar el espectro de las poblaciones atendidas",
        "garantizar el acceso a los derechos y servicios del total de las personas migrantes.",
        6147,
        6157,
    ),
    2: (
        "Profundizar la coordinación y vinculación intergubernamental, con agencias internacionales",
        "se localiza o se encuentra de paso por los estados participantes en este estudio.",
        6159,
        6166,
    ),
    3: (
        "Impulsar la construcción coordinada de mecanismos de atención en alianza",
        "enfatizando la escolarización y el derecho a la identidad de las distintas poblaciones migrantes.",
        6168,
        6173,
    ),
    4: (
        "Es necesario construir una agenda común de colaboración común entre los doce estados",
        "elaborar una base de datos común que sirva para la toma de decisiones informada.",
        6175,
        6188,
    ),
    5: (
        "Acompañar a través de las redes existentes de colaboración y coordinación entre municipios",
        "la difusión de su existencia y la canalización efectiva de la población migrante en los estados.",
        6190,
        6200,
    ),
    6: (
        "Formalizar los procesos de recopilación, sistematización y documentación de la información",
        "permitirá circular la información para la replicación, en los casos que así se convenga, de las "
        "mejores prácticas.",
        6202,
        6212,
    ),
}


@pytest.fixture(scope="module")
def bundled(report_path):
    return recommendations_from_file(report_path)


def test_the_bundled_report_has_six_recommendations_numbered_one_to_six(bundled):
    document, records = bundled
    assert document == "informe-buenas-practicas-oim-conofam"
    assert [r.number for r in records] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_each_recommendation_keeps_the_reports_words_from_first_to_last(bundled, number):
    first, last, first_line, last_line = EXPECTED[number]
    record = bundled[1][number - 1]
    assert record.text.startswith(first)
    assert record.text.endswith(last)
    assert (record.first_line, record.last_line) == (first_line, last_line)
    assert "  " not in record.text and "\n" not in record.text


def test_a_page_break_inside_a_recommendation_is_joined(bundled):
    # Recommendation 5 runs over a blank line in the extracted text ("en dos" / "de sus aspectos").
    assert "implementados en los estados en dos de sus aspectos: la difusión" in bundled[1][4].text


def test_the_report_line_range_holds_the_text(bundled, report_path):
    lines = report_path.read_text(encoding="utf-8").splitlines()
    for record in bundled[1]:
        span = " ".join(" ".join(lines[record.first_line - 1 : record.last_line]).split())
        assert span.endswith(record.text.split()[-1])
        assert record.text.split()[1] in lines[record.first_line - 1]


def test_bulleted_items_under_a_numbered_chapter_heading_with_page_furniture():
    lines = [
        "Texto anterior que menciona recomendaciones de política en una frase.",
        "5. Recomendaciones de política pública",
        "",
        "Del análisis se desprenden estas recomendaciones:",
        "• Crear un registro estatal de personas migran-",
        "tes en retorno con datos homologados.",
        "",
        "BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA DESDE EL ÁMBITO LOCAL 88",
        "• Publicar los datos abiertos cada trimestre.",
        "- una sub-viñeta que no es de este estilo queda dentro.",
        "BIBLIOGRAFÍA",
        "• Esta viñeta es de la bibliografía.",
    ]
    # As the loader does: page furniture is found when the text is read (here the running head, told by the
    # document's title from its metadata), then the recommendations are parsed.
    from buenaspracticas.ingest.text import report_from_text

    text = report_from_text(
        "\n".join(lines), title="Buenas prácticas en política migratoria desde el ámbito local"
    )
    records = parse_recommendations(text.lines)
    assert [(r.number, r.first_line, r.last_line) for r in records] == [(1, 5, 6), (2, 9, 10)]
    assert (
        records[0].text == "Crear un registro estatal de personas migrantes en retorno con datos homologados."
    )
    assert records[1].text.endswith("que no es de este estilo queda dentro.")


def test_the_last_heading_followed_by_items_wins_over_a_table_of_contents():
    lines = [
        "ÍNDICE",
        "RECOMENDACIONES",
        "ANEXOS",
        "",
        "RECOMENDACIONES",
        "1) Primera recomendación,",
        "en dos líneas.",
        "2) Segunda.",
        "3 de cada 10 personas: una línea que empieza con número no es la tercera.",
    ]
    records = parse_recommendations(lines)
    assert [r.text for r in records] == [
        "Primera recomendación, en dos líneas.",
        "Segunda. 3 de cada 10 personas: una línea que empieza con número no es la tercera.",
    ]


def test_numbering_that_skips_is_text_not_a_new_item():
    records = parse_recommendations(["Recomendaciones", "1. Uno.", "3. No es la dos.", "2. Dos."])
    assert [(r.number, r.text) for r in records] == [(1, "Uno. 3. No es la dos."), (2, "Dos.")]


def test_a_report_without_recommendations_gives_none():
    assert (
        parse_recommendations(["INTRODUCCIÓN", "Finalmente, se elabora un apartado con recomendaciones."])
        == []
    )
    assert (
        parse_recommendations(["RECOMENDACIONES", "Texto sin lista.", "CONCLUSIONES", "1. Otra cosa."]) == []
    )


def test_a_line_break_hyphen_is_joined_unless_both_halves_are_words_of_the_report():
    vocab = frozenset({"sur", "sureste", "centro", "estatal"})
    assert (
        join_lines(["región sur-", "sureste y Centro-", "américa"], vocab)
        == "región sur-sureste y Centroamérica"
    )
    assert join_lines(["coordina-", "ción ", "  estatal"], vocab) == "coordinación estatal"
