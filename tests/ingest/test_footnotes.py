"""Reading a report's footnotes and their body markers: the bundled report checked against values read by
hand from its text (line numbers of the file), synthetic reports in another voice and layout, drop_markers."""

from __future__ import annotations

import re

import pytest

from buenaspracticas.ingest.footnotes import drop_line_markers, drop_markers, read_footnotes


@pytest.fixture(scope="module")
def report_lines(report_path) -> list[str]:
    return report_path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def read(report_lines):
    notes, markers = read_footnotes(report_lines)
    return {n.number: n for n in notes}, markers


def test_every_footnote_of_the_report_is_read_in_order(read):
    notes, _ = read
    assert list(notes) == list(range(1, 102))


# number: (first_line, last_line, start of text, url, kind, year) — read from the report's text.
EXPECTED = {
    1: (46, 46, "Strategic framework on knowledge management 2013-2017", "", "international", 2017),
    2: (108, 108, "Organización Internacional para las Migraciones, Guía", "", "international", 2020),
    3: (
        152,
        154,
        "De acuerdo con el Censo de Poblaciión y Vivienda 2020",  # split over three lines, URL too
        "http://www.inegi.org.mx/contenidos/programas/ccpv/2020/doc/Censo2020_Principales_resultados_EUM.pdf",
        "statistics",
        2020,
    ),
    6: (
        289,
        292,
        "El Decreto emitido por los Estados Unidos",
        "http://www.cdc.gov/coronavirus/downloads/10.13.2020-CDC-Order-Prohibiting-Introduction-of-Persons-FINAL-"
        "ALL-CLEAR-encrypted.pdf",
        "law",
        None,
    ),
    12: (399, 399, "Esta estimación se realizó con base en los datos del Boletín", "", "statistics", 2021),
    18: (468, 468, "18 144 fueron expedidas en el país", "", "note", None),  # text starting with a figure
    21: (
        547,
        548,
        "Congreso del Estado de Baja California, Ley para la Protección",
        "http://www.congresobc.gob.mx/Documentos/ProcesoParlamentario/Leyes/TOMO_VII/20210219_LEYMIGRANTES-2.PDF",
        "law",
        None,
    ),
    36: (
        1260,
        1260,
        "Gobierno de Chihuahua, Cuarto Informe de Gobierno 2016-2021",
        "http://www.tablero.chihuahua.gob.mx/uploadsFiles/Informes/A_602c1009a7f62.pdf",
        "government_report",
        2021,
    ),
    37: (
        1297,
        1297,
        "Ley de Protección y Apoyo a Migrantes para el estado de Chihuahua",
        "http://www.congresochihuahua2.gob.mx/biblioteca/leyes/archivosLeyes/1254.pdf",
        "law",
        None,
    ),
    38: (1298, 1302, "Algunos de sus integrantes más relevantes son", "", "government_report", None),
    62: (
        3407,
        3407,
        "CONAPO, Anuario de Migración y Remesas, 2021",
        "https://www.bbvaresearch.com/publicaciones/anuario-de-migracion-y-remesas-mexico-2021/",
        "statistics",
        2021,
    ),
    87: (
        4581,
        4581,
        "Decreto por el que se crea el Instituto Oaxaqueño de Atención al Migrante",
        "http://www.oaxaca.gob.mx/ioam/wp-content/uploads/sites/25/marco-juridico/"
        "Decreto-por-el-que-se-crea-el-Instituto-Oaxaqueno-de-Atencion-al-Migrante.pdf",
        "law",
        None,
    ),
    101: (
        5931,
        5931,
        "Instituto para el Desarrollo de la Cultura Maya del estado de Yucatán (INDEMAYA)",
        "https://indemaya.yucatan.gob.mx/",
        "note",
        None,
    ),
}


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_footnote_fields_match_the_report_text(read, number):
    notes, _ = read
    first, last, start, url, kind, year = EXPECTED[number]
    note = notes[number]
    assert (note.number, note.first_line, note.last_line) == (number, first, last)
    assert note.text.startswith(start)
    assert (note.url, note.kind, note.year) == (url, kind, year)
    assert note.refers_to is None


def test_a_note_split_over_lines_is_joined_without_the_line_breaks(read):
    notes, _ = read
    assert "aumentó a 1, 212 252 personas." in notes[3].text
    assert notes[3].text.endswith("Censo2020_Principales_resultados_EUM.pdf")
    # Note 38 goes on after a blank line (its line ran to the full width and stopped at "la").
    assert "la Secretaría de Desarrollo Social, la Secretaría General de Gobierno" in notes[38].text
    assert notes[38].text.endswith("el Comité Internacional de la Cruz Roja.")


def test_notes_glued_to_the_text_around_them_keep_their_own_lines(read):
    notes, _ = read
    # 12 is followed at once by a state heading (line 400); 37 and 38 sit on adjacent lines.
    assert notes[12].last_line == 399 and "BAJA" not in notes[12].text
    assert notes[37].text.endswith("1254.pdf.") and notes[38].first_line == 1298


def test_a_note_whose_text_the_extractor_lost_is_still_read(read):
    notes, _ = read
    assert (notes[94].first_line, notes[94].text) == (4997, "")


def test_idem_points_to_the_previous_note_and_takes_its_document(read):
    notes, _ = read
    assert notes[8].text == "Ídem." and notes[8].refers_to == 7
    assert (notes[8].url, notes[8].kind, notes[8].year) == (notes[7].url, "statistics", 2020)
    assert notes[15].text.startswith("Ídem. Estos datos") and notes[15].refers_to == 14
    assert notes[35].refers_to == 34 and notes[68].refers_to == 67


def test_op_cit_points_to_the_earlier_note_of_the_same_author(read):
    notes, _ = read
    assert notes[54].text == "Congreso de Durango, Op.Cit." and notes[54].refers_to == 50
    assert notes[54].kind == "law" and notes[50].first_line == 2268
    assert notes[11].text == "INEGI Op.cit." and notes[11].refers_to == 7  # the last INEGI note before it


def test_issuer_and_title_when_the_note_states_them(read):
    notes, _ = read
    assert notes[21].issuer == "Congreso del Estado de Baja California"
    assert notes[21].title.startswith("Ley para la Protección de los Derechos y Apoyo a los Migrantes")
    assert (notes[62].issuer, notes[62].title) == ("CONAPO", "Anuario de Migración y Remesas")
    assert (notes[13].issuer, notes[13].title) == ("INEGI", "Censo de Población y Vivienda 2020")


# (number, line) of markers read in the text: glued to words, to figures, set apart, two glued together.
MARKERS = [
    (2, 100),  # "contextos2."
    (7, 333),  # "marzo de 20207." — glued to a year
    (12, 387),  # "49.93%12"
    (16, 438),  # "a junio 202116"
    (18, 450),  # "848l18"
    (19, 452),  # "3 31019" — glued to a figure
    (34, 1174),  # "migrante34,"
    (56, 3349),  # "Estadísticas56" — after its note (line 3335), in the table that follows it
    (72, 3859),  # "1441  72" — set apart at the end of the line
    (81, 4196),  # "diciembre de 2019.  81."
    (91, 4976),  # "variantes9192"
    (92, 4976),
    (101, 5894),  # "INDEMAYA101."
]


def test_markers_glued_to_words_and_figures_are_found_on_their_lines(read):
    _, markers = read
    found = {(m.number, m.line) for m in markers}
    assert [m for m in MARKERS if m not in found] == []


def test_every_note_has_one_marker_in_increasing_order(read):
    _, markers = read
    assert [m.number for m in markers] == list(range(1, 102))
    assert all(a.line <= b.line for a, b in zip(markers, markers[1:], strict=False))


HEAD = "Informe regional de movilidad"


def _every(lines: list[str], step: int, furniture) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        if i and i % step == 0:
            out += furniture(i // step)
        out.append(line)
    return out


def _at_page_starts(lines: list[str], furniture) -> list[str]:
    out, page = [], 10
    for line in lines:
        if re.match(r"^\s*CUADRO \d+", line):
            page += 1
            out += furniture(page)
        out.append(line)
    return out


def _wrap(line: str, width: int) -> list[str]:
    out = []
    while len(line) > width and " " in line[:width]:
        cut = line.rfind(" ", 0, width)
        out.append(line[:cut])
        line = line[cut + 1 :]
    return [*out, line]


def _reflow_long_paragraphs(lines: list[str], width: int) -> list[str]:
    """Rejoin each paragraph that starts with a long line (the notes) and wrap it again at `width`."""
    out, i = [], 0
    while i < len(lines):
        if len(lines[i]) <= 150:
            out.append(lines[i])
            i += 1
            continue
        joined = lines[i].strip()
        i += 1
        while (
            i < len(lines)
            and lines[i].strip()
            and not re.match(r"^\s*\d{1,3}\s", lines[i])
            and not lines[i].strip().isupper()
        ):
            glue = joined.endswith(("/", "_", "-")) or re.search(r"/\S*%20$", joined)
            joined += ("" if glue else " ") + lines[i].strip()
            i += 1
        out += _wrap(joined, width)
    return out


LAYOUTS = {
    "running heads with page numbers at arbitrary places": lambda ls: _every(
        ls, 55, lambda n: ["", f"{HEAD} {n}", f"\f{n}"]
    ),
    "page number and running head before each table": lambda ls: _at_page_starts(
        ls, lambda n: ["", str(n), HEAD, "\f"]
    ),
    "bare page numbers": lambda ls: _at_page_starts(ls, lambda n: ["", f"  {n}  ", ""]),
    "CRLF without trailing spaces": lambda ls: [x.rstrip() + "\r" for x in ls],
    "no leading spaces": lambda ls: [x.lstrip() for x in ls],
    "tabs for double spaces": lambda ls: [x.replace("  ", "\t") for x in ls],
    "every long line cut at 90 columns": lambda ls: [piece for x in ls for piece in _wrap(x, 90)],
    "notes rewrapped at 80 columns": lambda ls: _reflow_long_paragraphs(ls, 80),
    "notes rewrapped at 130 columns": lambda ls: _reflow_long_paragraphs(ls, 130),
}


def _content(lines: list[str]):
    notes, markers = read_footnotes(lines)
    return (
        [(n.number, n.text, n.kind, n.title, n.issuer, n.year, n.url, n.refers_to) for n in notes],
        [(m.number, lines[m.line - 1].strip()) for m in markers],
    )


@pytest.fixture(scope="module")
def content(report_lines):
    return _content(report_lines)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_other_layouts_of_the_report_give_the_same_notes_and_markers(report_lines, content, layout):
    expected_notes, expected_markers = content
    got_notes, got_markers = _content(LAYOUTS[layout](report_lines))
    assert got_notes == expected_notes
    assert [m[0] for m in got_markers] == [m[0] for m in expected_markers]


# --- a synthetic report in another voice --------------------------------------------------------------

RUNNING_HEAD = "Diagnóstico de movilidad humana en el noreste · página {}"


def _synthetic_lines() -> list[str]:
    """A short report on other states, with its own running head, a numbered list and a table."""
    return [
        "DIAGNÓSTICO DE MOVILIDAD HUMANA",  # 1
        "",
        "1 Alcance del estudio y fuentes consultadas.",  # 3: a list item, not a note
        "",
        "Sonora recibió en 2019 a 4 512 personas solicitantes de refugio1 y abrió",  # 5: marker 1
        "dos albergues. El estado reformó su marco legal con la Ley de Hospitalidad2,",  # 6: marker 2
        "que ordena la atención en los municipios fronterizos.",
        "",
        # 9: note 1, its URL cut at the end of the line
        "1 ACNUR, Tendencias Globales 2019. Disponible en: https://www.acnur.org/tendencias-",
        "globales-2019.html.",  # 10
        "2 Periódico Oficial del Estado de Sonora, Ley de Hospitalidad e Interculturalidad, 2020.",  # 11
        "",
        RUNNING_HEAD.format(7),
        "",
        "TAMAULIPAS",  # 15
        "Tamaulipas registró 12 300 eventos de retorno entre enero y junio de 20213",  # 16: 3 on a year
        "y atendió a 2 870 personas4 en el programa Bienvenido a Casa. Las",  # 17: marker 4
        "reformas siguieron lo previsto en la ley estatal5.",  # 18: marker 5
        "",
        "3 Unidad de Política Migratoria, Boletín Estadístico 2021.",  # 20
        "4 Ídem.",  # 21
        "5 Periódico Oficial, Op. cit.",  # 22
        "TABLA 2 ALBERGUES EN LA FRONTERA",  # 23: glued to note 5
        "3 albergues",  # 24: a table figure
        "",
        RUNNING_HEAD.format(8),
        "",
        "Coahuila firmó un convenio con el Instituto Nacional de Migración6 en 2022.",  # 28: marker 6
        "",
        "6 Gobierno del Estado de Coahuila, Tercer Informe de Gobierno 2022. Disponible en: "
        "www.coahuila.gob.mx/",  # 30
        "informes/tercer-informe.pdf.",  # 31
        "",
        RUNNING_HEAD.format(9),
    ]


SYNTHETIC_NOTES = [
    # number, first, last, text, kind, year, url, refers_to
    (
        1,
        9,
        10,
        "ACNUR, Tendencias Globales 2019. Disponible en: https://www.acnur.org/tendencias-globales-2019.html.",
        "international",
        2019,
        "https://www.acnur.org/tendencias-globales-2019.html",
        None,
    ),
    (
        2,
        11,
        11,
        "Periódico Oficial del Estado de Sonora, Ley de Hospitalidad e Interculturalidad, 2020.",
        "law",
        2020,
        "",
        None,
    ),
    (3, 20, 20, "Unidad de Política Migratoria, Boletín Estadístico 2021.", "statistics", 2021, "", None),
    (4, 21, 21, "Ídem.", "statistics", 2021, "", 3),
    (5, 22, 22, "Periódico Oficial, Op. cit.", "law", 2020, "", 2),
    (
        6,
        30,
        31,
        "Gobierno del Estado de Coahuila, Tercer Informe de Gobierno 2022. Disponible en: "
        "www.coahuila.gob.mx/informes/tercer-informe.pdf.",
        "government_report",
        2022,
        "http://www.coahuila.gob.mx/informes/tercer-informe.pdf",
        None,
    ),
]
SYNTHETIC_MARKERS = [(1, 5), (2, 6), (3, 16), (4, 17), (5, 18), (6, 28)]


def _read(lines: list[str]):
    notes, markers = read_footnotes(lines)
    fields = [
        (n.number, n.first_line, n.last_line, n.text, n.kind, n.year, n.url, n.refers_to) for n in notes
    ]
    return fields, [(m.number, m.line) for m in markers]


def test_a_synthetic_report_gives_its_notes_and_markers():
    assert _read(_synthetic_lines()) == (SYNTHETIC_NOTES, SYNTHETIC_MARKERS)


def test_the_synthetic_report_with_crlf_and_odd_spaces_gives_the_same_notes():
    text = "\r\n".join(x.replace(" ", "\u00a0", 1) + "  " for x in _synthetic_lines())
    assert _read(text.split("\n")) == (SYNTHETIC_NOTES, SYNTHETIC_MARKERS)


def test_the_synthetic_report_wrapped_narrower_gives_the_same_notes():
    lines = [piece for x in _synthetic_lines() for piece in _wrap(x, 60)]
    notes, markers = read_footnotes(lines)
    assert [(n.number, n.text, n.kind, n.year, n.url, n.refers_to) for n in notes] == [
        (n, text, kind, year, url, ref) for n, _f, _l, text, kind, year, url, ref in SYNTHETIC_NOTES
    ]
    assert [m.number for m in markers] == [1, 2, 3, 4, 5, 6]


def test_a_report_without_notes_gives_nothing():
    assert read_footnotes(["Sin notas.", "", "12 de marzo de 2020 fue la fecha de corte."]) == ([], [])


# --- drop_markers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers", "expected"),
    [
        ("personas migrantes.12 De igual forma", [12], "personas migrantes. De igual forma"),
        ("la Ley23, donde se establece", [23], "la Ley, donde se establece"),
        ("de enero a junio 202116", [16], "de enero a junio 2021"),
        ("concentra el 49.93%12 de la población", [12], "concentra el 49.93% de la población"),
        ("el 49.6% son mujeres y 12 119 hombres", [6, 12, 119], "el 49.6% son mujeres y 12 119 hombres"),
        ("lenguas94 indígenas", [94], "lenguas indígenas"),
        ("un total de 3 769 020 personas", [20, 69], "un total de 3 769 020 personas"),
        ("migrantes12", [], "migrantes12"),
    ],
)
def test_drop_markers_removes_glued_markers_and_keeps_figures(text, numbers, expected):
    assert drop_markers(text, numbers) == expected


@pytest.mark.parametrize(
    ("line", "numbers", "expected"),
    [
        # Report lines with the markers read_footnotes finds on them (line numbers of the file).
        ("otros contextos. 83", [83], "otros contextos."),  # 4257, set apart at the line's end
        ("entre julio y diciembre de 2019.  81.", [81], "entre julio y diciembre de 2019."),  # 4196
        ("en el ejercicio fiscal de 2021. 80", [80], "en el ejercicio fiscal de 2021."),  # 4169
        (
            "sus variantes9192. Debido a este contexto",
            [91, 92],
            "sus variantes. Debido a este contexto",
        ),  # 4976
        ("–conocido como metering40– ", [40], "–conocido como metering– "),  # 1623
        # A figure at the end of a line is not a marker unless the chain read one there.
        ("se han atendido 172", [72], "se han atendido 172"),
        ("se han atendido 172", [], "se han atendido 172"),
    ],
)
def test_drop_line_markers_removes_the_markers_read_on_a_line(line, numbers, expected):
    assert drop_line_markers(line, numbers) == expected
