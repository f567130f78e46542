"""Describing one footnote of a report: joining its lines, and telling its kind, title, issuer, year,
address and, for «Ídem» / «Op. cit.», the earlier note it points to. Pure and report-neutral (see
ingest.footnotes, which finds the notes and their markers)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from buenaspracticas.reference import fold

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.I)
_IDEM = re.compile(r"^\s*[ÍI]dem\b", re.I)
_OP_CIT = re.compile(r"\bop\.?\s*cit\b\.?", re.I)
_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?![\d])")


@dataclass(frozen=True)
class Footnote:
    number: int  # as printed
    text: str  # whole note text, joined over lines (line-break hyphens joined), without its leading number
    first_line: int  # 1-based lines in the given text
    last_line: int
    kind: str  # "law" | "statistics" | "government_report" | "international" | "note"
    title: str  # the cited work's title when it can be told, else ""
    issuer: str  # issuing body when stated, else ""
    year: int | None  # year of the document when stated (first year outside URLs; a span's last year)
    url: str  # first URL in the note (joined if split over lines; "www." given "http://"), else ""
    refers_to: int | None  # for Ídem / Op. cit.: the number of the earlier note it points to


def _join(lines: list[str]) -> str:
    """Join note lines: URL and word pieces cut at the break are glued back, other breaks become spaces."""
    out = ""
    for line in lines:
        piece = line.strip()
        if not out:
            out = piece
            continue
        last_token = out.split()[-1] if out.split() else ""
        first_token = piece.split()[0] if piece else ""
        in_url = bool(_URL.fullmatch(last_token.rstrip(".,;)")))
        if (
            in_url
            and not last_token.endswith((".", ",", ";", ")"))
            and (
                last_token.endswith(("/", "_", "-", "=", "?", "&", "%", "#"))
                or re.search(r"[/_%=&?#]|\.\w", first_token.rstrip(".,;)"))
            )
        ):
            out += piece
        elif re.search(r"[^\W\d_]-$", out) and piece[:1].islower():
            out = out[:-1] + piece  # "po-" + "blación"
        else:
            out += " " + piece
    return re.sub(r"\s+", " ", out).strip()


# --- describing a note ----------------------------------------------------------------------------------

_LAW = (
    "ley",
    "leyes",
    "decreto",
    "reglamento",
    "reglas de operacion",
    "diario oficial",
    "periodico oficial",
    "gaceta oficial",
    "codigo",
    "constitucion politica",
    "acuerdo por el que",
)
_STATISTICS = (
    "inegi",
    "conapo",
    "encuesta",
    "censo",
    "estadistica",
    "estadisticas",
    "estadisticos",
    "unidad de politica migratoria",
    "upmrip",
    "boletin estadistico",
    "anuario",
)
_GOVERNMENT = (
    "informe de gobierno",
    "gobierno del estado",
    "gobierno de",
    "secretaria",
    "programa",
    "plan estatal",
    "plan de desarrollo",
)
_INTERNATIONAL = (
    "oim",
    "onu",
    "cepal",
    "pacto mundial",
    "acnur",
    "unicef",
    "naciones unidas",
    "oit",
    "oacnudh",
    "organizacion internacional para las migraciones",
    "international organization for migration",
    "united nations",
    "banco mundial",
    "world bank",
    "unhcr",
    "iom",
)
_KINDS = (
    ("law", _LAW),
    ("statistics", _STATISTICS),
    ("government_report", _GOVERNMENT),
    ("international", _INTERNATIONAL),
)
# Words that open a cited work's title, and words that open an issuing body's name.
_DOCUMENT_WORDS = (
    "ley",
    "decreto",
    "reglamento",
    "reglas",
    "censo",
    "encuesta",
    "boletin",
    "anuario",
    "informe",
    "programa",
    "catalogo",
    "manual",
    "calendario",
    "guia",
    "acta",
    "aviso",
    "plan",
    "estrategia",
    "strategic",
    "convocatorias",
    "cuarto",
    "primer",
    "segundo",
    "tercer",
    "quinto",
    "sexto",
    "presentacion",
    "acuerdo",
    "lineamientos",
    "diagnostico",
)
_BODY_WORDS = (
    "secretaria",
    "secretariat",
    "congreso",
    "gobierno",
    "instituto",
    "consejo",
    "unidad",
    "comision",
    "organizacion",
    "international organization",
    "coordinacion",
    "direccion",
    "gaceta",
    "procuraduria",
    "sistema",
    "dif",
    "archivo",
    "fiscalia",
    "oficina",
    "ayuntamiento",
    "municipio",
    "legislatura",
    "camara",
    "poder",
    "universidad",
    "agenda",
)


def _describe(number: int, raw: list[str], first: int, last: int, earlier: list[Footnote]) -> Footnote:
    text = _join(raw)
    refers_to = _refers_to(text, earlier)
    if refers_to is not None:
        target = next((n for n in earlier if n.number == refers_to), None)
        if target is not None:
            return Footnote(
                number,
                text,
                first,
                last,
                target.kind,
                target.title,
                target.issuer,
                target.year,
                target.url,
                refers_to,
            )
    url_match = _URL.search(text)
    url = _clean_url(url_match.group(0)) if url_match else ""
    prose = _URL.sub(" ", text)
    return Footnote(
        number, text, first, last, _kind(prose), _title(prose), _issuer(prose), _year(prose), url, refers_to
    )


def _clean_url(url: str) -> str:
    url = url.rstrip(".,;:)]")
    return "http://" + url if url.lower().startswith("www.") else url


def _refers_to(text: str, earlier: list[Footnote]) -> int | None:
    if not earlier:
        return None
    if _IDEM.match(text):
        return earlier[-1].number
    cit = _OP_CIT.search(text)
    if not cit:
        return None
    author = fold(text[: cit.start()]).strip(" ,.;:")
    if author:
        for note in reversed(earlier):
            if note.refers_to is None and author in fold(note.text):
                return note.number
    return earlier[-1].number


def _has(folded: str, word: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded) is not None


def _kind(prose: str) -> str:
    folded = fold(prose)
    for kind, words in _KINDS:
        if any(_has(folded, w) for w in words):
            return kind
    return "note"


_LEAD_IN = re.compile(r"^(?:.*?\b(?:consulte|v[eé]ase|fuente)\s*[:;,]?\s*)", re.I)


def _segments(prose: str) -> list[str]:
    """Return the comma- or period-separated parts of a note's citation, before its address."""
    if _LEAD_IN.match(prose) and len(prose) < 200:  # "Para más información consulte: INEGI, …"
        prose = _LEAD_IN.sub("", prose, count=1)
    head = re.split(r"\b(?:Disponible en|Para m[aá]s informaci[oó]n|Para mayor informaci[oó]n)\b", prose)[0]
    return [s.strip(" .;:") for s in re.split(r",\s+|\.\s+", head) if s.strip(" .;:")]


def _title(prose: str) -> str:
    quoted = re.search(r"[“\"«]([^”\"»]{3,})[”\"»]", prose)
    for segment in _segments(prose):
        if any(fold(segment).startswith(w + " ") for w in _DOCUMENT_WORDS) and not _is_body(segment):
            return segment
    return quoted.group(1).strip() if quoted else ""


def _is_body(segment: str) -> bool:
    folded = fold(segment)
    return any(folded.startswith(w + " ") or folded == w for w in _BODY_WORDS)


def _issuer(prose: str) -> str:
    segments = _segments(prose)
    if segments and (_is_body(segments[0]) or re.fullmatch(r"[A-ZÁÉÍÓÚÑ]{2,}", segments[0])):
        return segments[0]
    if len(prose) > 200:  # a descriptive note lists bodies; none of them issued it
        return ""
    for name in (
        "International Organization for Migration",
        "Organización Internacional para las Migraciones",
    ):
        if name in prose:
            return name
    acronyms = [
        m
        for m in re.findall(r"\b[A-ZÁÉÍÓÚÑ]{3,}\b", prose)
        if fold(m)
        in ("inegi", "conapo", "upmrip", "oim", "onu", "cepal", "acnur", "unicef", "cndh", "iom", "unhcr")
    ]
    return acronyms[0] if acronyms else ""


def _year(prose: str) -> int | None:
    """Return the first year the note states (the last of a span such as 2016-2021), or None."""
    match = _YEAR.search(prose)
    if not match:
        return None
    return int(match.group(2) or match.group(1))
