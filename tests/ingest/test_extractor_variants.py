"""The report as other PDF extractors give it (page furniture elsewhere and in other shapes, a page's head
right before a practice's number, other spacing and line endings) gives the practices a reader finds in
the report: ids, titles, verdicts and institutions below were read from the text by hand (line numbers of
data/informe-buenas-practicas-oim-conofam.txt), not taken from the parser."""

from __future__ import annotations

import re
import textwrap
import unicodedata

import pytest

from buenaspracticas.ingest.parser import parse_report
from buenaspracticas.ingest.text import report_from_text

HEAD = "BUENAS PRÁCTICAS EN POLÍTICA MIGRATORIA DESDE EL ÁMBITO LOCAL"
SECOND_HEAD = "CUADERNO DE TRABAJO SOBRE MOVILIDAD HUMANA"  # another publisher's head, on two lines
M, N, U = "met", "not_met", "unknown"

# id: (line of the printed number or, without one, of the title; title; line of the marks; verdicts in the
# order sostenibilidad, asociación, innovación, replicabilidad, eficacia — a criterion printed without a
# mark is unknown).
PRACTICES = {
    "baja-california-1": (
        506,
        "CREACIÓN DEL CONSEJO ESTATAL DE ASUNTOS MIGRATORIOS DEL ESTADO DE BAJA CALIFORNIA "
        "(CEAM) Y SU CONSEJO CONSULTIVO",
        577,
        (M, M, M, M, M),
    ),
    "baja-california-2": (
        643,
        "REGISTRO ESTATAL DE PERSONAS MIGRANTES Y PROGRAMA DE CREDENCIALIZACIÓN",
        697,
        (M, M, M, M, M),
    ),
    "baja-california-3": (
        790,
        "CREACIÓN DE UNA RED DE ALBERGUES EN EL MARCO DEL CATÁLOGO ESTATAL DE "
        "ORGANIZACIONES DE LA SOCIEDAD CIVIL",
        856,
        (M, M, M, M, M),
    ),
    "baja-california-4": (
        904,
        "CREACIÓN DE LAS VENTANILLAS ÚNICAS DE ATENCIÓN INTEGRAL A PERSONAS REPATRIADAS",
        935,
        (M, M, M, M, M),
    ),
    "baja-california-5": (
        976,
        "APOYO DIRECTO A PERSONAS MIGRANTES DURANTE LA EMERGENCIA SANITARIA POR COVID-19",
        1002,
        (N, M, M, M, M),
    ),
    "chihuahua-1": (1158, "PROGRAMA DE ATENCIÓN A MIGRANTES", 1204, (M, M, M, M, M)),
    "chihuahua-2": (
        1266,
        "CREACIÓN DEL CONSEJO ESTATAL PARA LA PROTECCIÓN Y ATENCIÓN A MIGRANTES (COESPAM)",
        1323,
        (M, M, M, M, M),
    ),
    "chihuahua-3": (1393, "INSTALACIÓN DEL CENTRO DE ATENCIÓN A MIGRANTES (CAIM)", 1442, (M, M, M, M, M)),
    "chihuahua-4": (1492, "CONFORMACIÓN DE LAS COMISIONES DE TRABAJO SECTORIAL", 1544, (M, M, M, M, M)),
    "chihuahua-5": (1601, "CREACIÓN DEL MECANÍSMO DE CONTROL LOCAL COORDINADO (RLC)", 1698, (M, M, M, M, M)),
    "chihuahua-6": (
        1791,
        "CREACIÓN DE MECANÍSMOS PARA LA ATENCIÓN A PERSONAS MIGRANTES EN EL MARCO DE LA "
        "CONTINGENCIA SANITARIA POR COVID-19",
        1811,
        (M, M, M, M, M),
    ),
    "chihuahua-7": (
        1904,
        "APERTURA DEL CENTRO INTEGRAL DE ATENCIÓN A NIÑAS, NIÑOS Y ADOLESCENTES MIGRANTES "
        "“NOHEMÍ ÁLVAREZ QUILLAY” (CIANNAM)",
        1976,
        (M, M, M, M, M),
    ),
    # Printed without its number, its title cut by the page (lines 2044-2047): numbered after the 7th.
    "chihuahua-8": (2044, "DE SALUD “TODOS SOMOS MEXICANOS”", 2075, (M, M, M, M, M)),
    "durango-1": (
        2221,
        "GESTIÓN DE TRÁMITES PARA LA OBTENCIÓN DE DOCUMENTOS OFICIALES Y OTROS SERVICIOS",
        2291,
        (M, M, N, M, M),
    ),
    "durango-2": (2351, "CREACIÓN DE UNA RED DE ENLACES MUNICIPALES", 2393, (M, M, M, M, M)),
    "durango-3": (2461, "PROGRAMA DE JORNADAS DE SERVICIOS", 2500, (M, M, M, M, M)),
    "durango-4": (2565, "PROGRAMA “PEQUEÑOS EMBAJADORES”", 2593, (M, M, M, M, M)),
    "durango-5": (
        2657,
        "PROGRAMA DE REUNIFICACIÓN FAMILIAR ”ABRAZANDO ALMAS DURANGO”",
        2713,
        (M, M, M, M, M),
    ),
    "durango-6": (2777, "ACCIONES DURANTE LA EMERGENCIA SANITARIA POR COVID 19", 2835, (M, M, M, U, M)),
    "jalisco-1": (2946, "PLATAFORMA DIGITAL DE ATENCIÓN A PERSONAS MIGRANTES", 2985, (M, M, M, M, M)),
    "michoacan-1": (3093, "PROGRAMA “PALOMAS MENSAJERAS”", 3112, (M, M, M, M, M)),
    "san-luis-potosi-1": (3211, "RED DE ENLACES MUNICIPALES", 3230, (M, M, M, M, M)),
    "san-luis-potosi-2": (
        3273,
        "PROGRAMA DE REUNIFICACIÓN FAMILIAR PARA ADULTOS MAYORES “CORAZÓN TODITO”",
        3297,
        (M, M, M, U, M),
    ),
    "ciudad-de-mexico-1": (3414, "PROGRAMA CIUDAD HOSPITALARIA Y MOVILIDAD HUMANA", 3469, (M, M, M, M, M)),
    # The report numbers Ciudad de México's practices 1, 3, 4 (there is no 2).
    "ciudad-de-mexico-3": (3628, "PROGRAMA DE SEGURO DE DESEMPLEO", 3666, (M, U, M, M, U)),
    "ciudad-de-mexico-4": (3730, "VENTANILLA INFORMATIVA", 3753, (M, M, M, M, M)),
    "estado-de-mexico-1": (3915, "PROGRAMA “MIGRANTE MEXIQUENSE”", 3956, (M, M, M, M, U)),
    "estado-de-mexico-2": (4011, "TRASLADO DE PERSONAS MIGRANTES FALLECIDAS", 4029, (M, M, N, M, N)),
    "puebla-1": (4151, "PROGRAMA DE DOCUMENTACIÓN DE MIGRANTES POBLANOS", 4173, (M, M, N, M, M)),
    "puebla-2": (4209, "PROGRAMA DE TRASLADOS DE RESTOS", 4228, (M, M, N, M, M)),
    "puebla-3": (4303, "PROGRAMA “MIGRANTE EMPRENDE”", 4332, (M, M, N, M, M)),
    "oaxaca-1": (
        4468,
        "GUELAGUETZA FAMILIAR E INTERCAMBIO CULTURAL OAXACA-ESTADOS UNIDOS",
        4513,
        (M, M, M, M, M),
    ),
    "oaxaca-2": (
        4586,
        "COORDINACIÓN INTERINSTITUCIONAL PARA LA OBTENCIÓN DE DOCUMENTOS DE IDENTIDAD Y "
        "PRESTACIÓN DE SERVICIOS DE MANERA GRATUITA",
        4691,
        (M, M, N, M, M),
    ),
    "oaxaca-3": (4745, "OPERATIVO “BIENVENIDO OAXAQUEÑO Y OAXAQUEÑA MIGRANTE”", 4772, (M, M, M, M, M)),
    "oaxaca-4": (4813, "RED DE ENLACES MUNICIPALES", 4861, (M, M, M, M, M)),
    "oaxaca-5": (
        4952,
        "APOYO AL DIPLOMADO DE FORMACIÓN DE INTERPRETES “BENE SHDE DIXHA DAO” (PERSONA QUE "
        "TRANSMITE LA PALABRA SAGRADA)",
        5021,
        (M, M, M, M, M),
    ),
    "veracruz-1": (5171, "PROGRAMA PILOTO DE REGULARIZACIÓN MIGRATORIA", 5252, (M, M, M, M, M)),
    "veracruz-2": (
        5331,
        "PROGRAMA DE REUNIFICACIÓN FAMILIA “CON RAÍCES VERACRUZANAS”",
        5403,
        (M, M, U, M, M),
    ),
    "veracruz-3": (5465, "TRÁMITES Y SERVICIOS VARIOS", 5507, (M, M, U, M, M)),
    "yucatan-1": (5641, "MESAS DE ATENCIÓN INTEGRAL A PERSONAS MIGRANTES", 5684, (M, M, M, M, M)),
    "yucatan-2": (5775, "CREACIÓN DE UNA RED DE ENLACES MUNICIPALES", 5820, (M, M, M, M, M)),
    "yucatan-3": (5870, "PROGRAMA DE PREVENCIÓN DE RIESGOS MIGRATORIOS", 5898, (M, M, M, M, M)),
    "yucatan-4": (
        5936,
        "PROGRAMA REENCUENTRO DE REUNIFICACIÓN FAMILIAR “CABECITAS BLANCAS” Y NUESTRA TIERRA JARANERA",
        5996,
        (M, M, M, M, M),
    ),
    "yucatan-5": (6061, "TRADUCCIÓN DE DOCUMENTOS OFICIALES", 6088, (M, M, M, M, M)),
}

# id: (line of 'INSTITUCIÓN QUE COORDINA', the institution as printed there, without its final period).
INSTITUTIONS = {
    "baja-california-1": (523, "Subsecretaría de Asuntos Migratorios del Estado de Baja California"),
    "baja-california-4": (
        916,
        "Subsecretaría de Asuntos Migratorios del Estado de Baja California en coordinación con el INM",
    ),
    "chihuahua-1": (1164, "Consejo Estatal de Población (COESPO)"),
    "chihuahua-4": (1500, "Consejo Estatal para la Protección y Atención a Migrantes (COESPAM)"),
    "chihuahua-7": (1921, "DIF Estatal de Chihuahua"),
    "chihuahua-8": (2049, "Jurisdicción Sanitaria II de la Secretaría de Salud del Estado"),
    "durango-6": (2786, "Secretaría de Protección Civil del Estado de Durango"),
    "jalisco-1": (2954, "DIRECCIÓN DE ATENCIÓN A PERSONAS MIGRANTES"),
    "michoacan-1": (3099, "SECRETARÍA DEL MIGRANTE"),
    "ciudad-de-mexico-3": (3634, "Secretaría del Trabajo y Fomento al Empleo"),
    "ciudad-de-mexico-4": (3735, "DIRECCIÓN GENERAL DE INCLUSIÓN Y BIENESTAR SOCIAL"),
    "puebla-1": (4159, "INSTITUTO POBLANO DE ASISTENCIA AL MIGRANTE (IPAM)"),
    "oaxaca-1": (4479, "Instituto Oaxaqueño de Atención al Migrante (IOAM)"),
    "veracruz-1": (5178, "Dirección General de Atención a Migrantes de Veracruz (DGAM)"),
    "yucatan-1": (
        5650,
        "Dirección de Atención al Migrante del Instituto para el Desarrollo de la Cultura Maya del "
        "estado de Yucatán (INDEMAYA)",
    ),
    "yucatan-3": (5877, "Instituto para el Desarrollo de la Cultura Maya del estado de Yucatán (INDEMAYA)"),
}

HEADER_LINES = {line for line, *_ in PRACTICES.values()}


def _at_page_starts(lines: list[str], furniture) -> str:
    out, page = [], 10
    for line in lines:
        if re.match(r"^\s*CUADRO \d+", line):
            page += 1
            out += furniture(page)
        out.append(line)
    return "\n".join(out)


def _between_paragraphs(lines: list[str], step: int, furniture) -> str:
    """Page furniture at the first blank line after every `step` lines (between two paragraphs)."""
    out, page, due = [], 10, step
    for i, line in enumerate(lines, start=1):
        out.append(line)
        if i >= due and not line.strip():
            page += 1
            out += furniture(page) + [""]
            due = i + step
    return "\n".join(out)


def _before_practice_numbers(lines: list[str], furniture) -> str:
    """A page break right before each practice's printed number (the number then sits next to furniture)."""
    out, page = [], 10
    for i, line in enumerate(lines, start=1):
        if i in HEADER_LINES:
            page += 1
            out += furniture(page)
        out.append(line)
    return "\n".join(out)


def _wrapped(lines: list[str], width: int) -> list[str]:
    """A narrower extractor: every line longer than `width` broken at spaces (a table heading or a running
    head then spans two lines)."""
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, width, break_on_hyphens=False) if len(line) > width else [line]
    return out


def _reflowed(lines: list[str]) -> str:
    """A re-flowing extractor: a sentence's next line joined to it when it goes on in small letters, and the
    lines of a title in capitals joined into one (a title's number, a table heading and a footnote are
    other text boxes and keep their own lines)."""

    def joins(before: str, line: str) -> bool:
        if not before.strip() or not line.strip():
            return False
        if line.strip()[0].islower():
            return not before.rstrip().endswith((".", ":"))
        return (
            line.strip().isupper()
            and before.strip().isupper()
            and not re.match(r"\s*(\d|CUADRO)", line)
            and not re.match(r"\s*CUADRO", before)
        )

    out: list[str] = []
    for line in lines:
        if out and joins(out[-1], line):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


VARIANTS = {
    "page number and running head on their own lines": lambda ls: _at_page_starts(
        ls, lambda n: ["", str(n), HEAD, "\f"]
    ),
    "running head, page number and region on three lines": lambda ls: _at_page_starts(
        ls, lambda n: [HEAD, str(n), "REGIÓN NORTE", ""]
    ),
    "bare page numbers": lambda ls: _at_page_starts(ls, lambda n: ["", f"  {n}  ", ""]),
    "running head with its page number between paragraphs": lambda ls: _between_paragraphs(
        ls, 60, lambda n: [f"{HEAD} {n}"]
    ),
    "page number, then the running head, between paragraphs": lambda ls: _between_paragraphs(
        ls, 45, lambda n: [f"{n}  {HEAD}"]
    ),
    "running head and page number right before a practice's number": lambda ls: _before_practice_numbers(
        ls, lambda n: [f"{HEAD} {n}", ""]
    ),
    "bare page number right before a practice's number": lambda ls: _before_practice_numbers(
        ls, lambda n: [HEAD, f"{n}"]
    ),
    "form feeds glued to page starts": lambda ls: "\n".join(
        ("\f" + x) if re.match(r"^\s*CUADRO", x) else x for x in ls
    ),
    "CRLF without trailing spaces": lambda ls: "\r\n".join(x.rstrip() for x in ls),
    "no leading spaces": lambda ls: "\n".join(x.lstrip() for x in ls),
    "tabs for double spaces": lambda ls: "\n".join(x.replace("  ", "\t") for x in ls),
    "no blank lines between paragraphs": lambda ls: "\n".join(x for x in ls if x.strip()),
    "long lines wrapped at 60 columns": lambda ls: "\n".join(_wrapped(ls, 60)),
    "long lines wrapped at 40 columns": lambda ls: "\n".join(_wrapped(ls, 40)),
    "wrapped at 60 columns, no blank lines": lambda ls: "\n".join(x for x in _wrapped(ls, 60) if x.strip()),
    "sentences and titles re-flowed": _reflowed,
    "a head on two lines, its page number under the second": lambda ls: _at_page_starts(
        ls, lambda n: [SECOND_HEAD, "SERIE ESTATAL", str(n), ""]
    ),
    "a head on two lines, its page number over the first": lambda ls: _at_page_starts(
        ls, lambda n: [str(n), SECOND_HEAD, "SERIE ESTATAL", ""]
    ),
    "decomposed accents and no-break spaces": lambda ls: unicodedata.normalize(
        "NFD", "\n".join(ls).replace(" ", "\u00a0", 5000)
    ),
}


@pytest.fixture(scope="module")
def report_text(report_path):
    return report_path.read_text(encoding="utf-8")


def _check(text: str) -> None:
    parsed = parse_report(report_from_text(text))
    got = {p.id: p for p in parsed.practices}
    assert list(got) == list(PRACTICES)
    for pid, (_, title, _, verdicts) in PRACTICES.items():
        assert got[pid].title == title, pid
        assert tuple(a.verdict for a in got[pid].criteria.values()) == verdicts, pid
    for pid, (_, institution) in INSTITUTIONS.items():
        assert got[pid].institution == institution, pid
    for p in parsed.practices:  # no page furniture in any text
        for text_ in (
            p.title,
            p.institution,
            p.target_population,
            p.description,
            *(a.evidence for a in p.criteria.values()),
        ):
            assert "ÁMBITO LOCAL" not in text_ and "EN POLÍTICA MIGRATORIA" not in text_.upper(), p.id
            assert "CUADERNO DE TRABAJO" not in text_ and "SERIE ESTATAL" not in text_, p.id


def test_the_report_as_bundled(report_text):
    _check(report_text)


def test_the_truth_table_points_at_the_lines_it_names(report_text):
    """The hand-read values sit where they say: each practice's title starts at its line (after its printed
    number), its marks line names the five criteria, each institution is on its line."""
    lines = report_text.split("\n")
    for pid, (line, title, marks, _) in PRACTICES.items():
        text = lines[line - 1].strip()
        assert re.fullmatch(r"\d{1,2}", text) or title.startswith(text), (pid, text)
        assert lines[marks - 1].startswith("Sostenibilidad") and "Eficacia" in lines[marks - 1], pid
    for pid, (line, institution) in INSTITUTIONS.items():
        assert institution.split(" de ")[0] in lines[line - 1], pid


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_other_extractor_layouts_give_the_practices_read_by_hand(report_text, variant):
    _check(VARIANTS[variant](report_text.split("\n")))


# How each criterion's evidence opens, read by hand in the report (lines 581–640, 937–963, 1206–1256):
# the columns are printed in the order of the marks, a criterion's column may hold two paragraphs.
EVIDENCE_OPENINGS = {
    "baja-california-1": (
        "Son órganos",
        "A través de ambos",
        "El CEAM Concentra",
        "Proporcionan",
        "Cumple con",
    ),
    "baja-california-4": ("Se establecieron", "Vinculación", "Se sitúan", "Proporciona", "Cumple con"),
    "chihuahua-1": ("Tiene sustento", "El programa tiene", "Brinda atención", "Proporciona", "Durante 2020"),
}


@pytest.mark.parametrize(
    "variant", [None, "no blank lines between paragraphs", "wrapped at 60 columns, no blank lines"]
)
def test_evidence_is_split_as_printed_or_asks_for_review(report_text, variant):
    """Without blank lines the paragraphs are guessed from where sentences end: a criterion's evidence opens
    as printed, or its automatic split is one an evaluator is asked to review ("división automática:
    revisar"). In the report as bundled every split named here is right."""
    from buenaspracticas.curation.selectors import SPLIT_REVIEW_BELOW

    text = report_text if variant is None else VARIANTS[variant](report_text.split("\n"))
    got = {p.id: p for p in parse_report(report_from_text(text)).practices}
    wrong = []
    for pid, openings in EVIDENCE_OPENINGS.items():
        for (criterion, assessment), opening in zip(got[pid].criteria.items(), openings, strict=True):
            if not " ".join(assessment.evidence.split()).startswith(opening):
                wrong.append((pid, criterion, assessment.split_confidence))
    if variant is None:
        assert wrong == []
    else:
        assert [w for w in wrong if w[2] is None or w[2] >= SPLIT_REVIEW_BELOW] == []
