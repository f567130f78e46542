"""The domain's word families and a small English–Spanish glossary: a query word (or phrase) from one
family also searches every other member. Curated for migration-governance vocabulary, not per query."""

from __future__ import annotations

import contextlib
import threading
from functools import lru_cache

from buenaspracticas.search.text import stems

# Each family: words or phrases meaning the same thing for a person searching this catalogue.
FAMILIES: tuple[tuple[str, ...], ...] = (
    # places to stay
    (
        "albergue",
        "refugio",
        "refugio temporal",
        "casa del migrante",
        "casa de migrantes",
        "casa de acogida",
        "alojamiento",
        "hospedaje",
        "shelter",
        "shelters",
        "housing",
    ),
    # death abroad
    (
        "restos",
        "cadáveres",
        "cadáver",
        "fallecidos",
        "fallecidas",
        "fallecimiento",
        "defunción",
        "cenizas",
        "repatriación de restos",
        "remains",
        "deceased",
        "dead",
        "bodies",
        "funeral",
    ),
    # older people
    (
        "adultos mayores",
        "personas mayores",
        "tercera edad",
        "cabecitas blancas",
        "ancianos",
        "elderly",
        "older adults",
        "seniors",
        "grandparents",
        "abuelos",
    ),
    # children and adolescents
    (
        "niñas niños adolescentes",
        "nna",
        "menores",
        "menores no acompañados",
        "niñez",
        "infancia",
        "niñas",
        "niños",
        "infantes",
        "children",
        "minors",
        "kids",
        "unaccompanied",
        "adolescentes",
        "jóvenes",
        "youth",
    ),
    # return and deportation
    (
        "retorno",
        "repatriados",
        "repatriación",
        "deportados",
        "deportación",
        "retornados",
        "returnees",
        "return",
        "deportees",
        "deported",
        "repatriated",
        "regreso",
        "regresan",
        "regresar",
    ),
    # families split by migration
    (
        "reunificación familiar",
        "reencuentro familiar",
        "reencuentro",
        "reunión familiar",
        "visitas familiares",
        "family reunification",
        "reunite",
        "reunion",
    ),
    # identity documents
    (
        "documentos de identidad",
        "documentos oficiales",
        "actas de nacimiento",
        "acta de nacimiento",
        "doble nacionalidad",
        "identificación",
        "credencial",
        "credencialización",
        "pasaporte",
        "curp",
        "documents",
        "documentation",
        "identity",
        "birth certificate",
        "id card",
        "paperwork",
        "trámites",
        "paperwork",
    ),
    # regular migratory status
    (
        "regularización migratoria",
        "regularización",
        "estancia regular",
        "residencia",
        "legal status",
        "regularization",
        "residence permit",
        "papers",
    ),
    # health emergency
    ("covid", "pandemia", "emergencia sanitaria", "contingencia sanitaria", "coronavirus", "pandemic"),
    # jobs and income
    (
        "empleo",
        "trabajo",
        "desempleo",
        "empleabilidad",
        "bolsa de trabajo",
        "jobs",
        "employment",
        "unemployment",
        "work",
        "labor",
    ),
    (
        "emprendimiento",
        "emprende",
        "proyectos productivos",
        "negocio",
        "autoempleo",
        "microempresa",
        "entrepreneurship",
        "business",
        "startup",
        "small business",
    ),
    # language
    (
        "traducción",
        "intérpretes",
        "interpretación",
        "traductores",
        "lenguas indígenas",
        "lengua indígena",
        "translation",
        "interpreters",
        "interpreter",
        "translate",
        "indigenous languages",
    ),
    # municipal links
    (
        "enlaces municipales",
        "red de enlaces",
        "municipios",
        "ayuntamientos",
        "municipal",
        "municipalities",
        "local governments",
    ),
    # coordination bodies
    (
        "consejo estatal",
        "consejo consultivo",
        "comisión",
        "comisiones",
        "mesa interinstitucional",
        "coordinación interinstitucional",
        "council",
        "committee",
        "interagency coordination",
    ),
    # registration
    ("registro", "padrón", "censo de migrantes", "registry", "register", "database"),
    # online services
    ("plataforma digital", "plataforma", "portal", "en línea", "digital", "online", "website", "app"),
    # information desks and care centres
    (
        "ventanilla",
        "ventanillas",
        "módulo de atención",
        "oficina de atención",
        "atención integral",
        "centro de atención",
        "help desk",
        "service desk",
        "one stop shop",
    ),
    # prevention of risky migration
    ("prevención", "riesgos", "migración segura", "prevention", "risks", "safe migration"),
    # holiday returns
    (
        "operativo",
        "paisano",
        "paisanos",
        "bienvenido",
        "vacaciones",
        "temporada vacacional",
        "vacacional",
        "temporada decembrina",
        "semana santa",
        "verano",
        "welcome",
        "holidays",
    ),
    # culture and identity
    ("guelaguetza", "intercambio cultural", "cultura", "tradiciones", "culture", "cultural exchange"),
    # financial support
    (
        "apoyo económico",
        "apoyos económicos",
        "ayuda económica",
        "transferencias",
        "seguro",
        "financial support",
        "cash transfers",
        "money",
        "insurance",
    ),
    # health services
    ("salud", "atención médica", "médico", "hospital", "health", "medical care", "healthcare"),
    # people on the move
    (
        "migrantes",
        "personas migrantes",
        "personas en movilidad",
        "movilidad humana",
        "migrants",
        "migrant",
        "migration",
    ),
    # asylum and refugees
    (
        "solicitantes de asilo",
        "refugiados",
        "asilo",
        "protección internacional",
        "comar",
        "refugees",
        "asylum",
    ),
    # hospitality / inclusion
    (
        "hospitalaria",
        "hospitalidad",
        "inclusión",
        "integración",
        "hospitality",
        "inclusion",
        "integration",
        "welcoming city",
    ),
    # legal advice
    ("asesoría jurídica", "asesoría legal", "orientación jurídica", "abogados", "legal advice", "lawyers"),
    # training
    ("capacitación", "formación", "diplomado", "curso", "training", "course"),
    # detention and control
    ("control", "verificación", "detención", "detention", "checkpoint"),
    # general words an English query carries
    ("programa", "programas", "program", "programme"),
    ("familias", "familiares", "family", "families", "relatives"),
    ("estados unidos", "eeuu", "united states", "usa", "us"),
    ("mujeres", "women"),
    ("gobierno", "government"),
    ("transferir", "traslado", "traslados", "transfer", "transport"),
)


@lru_cache(maxsize=1)
def _stemmed_families() -> tuple[tuple[tuple[str, ...], ...], ...]:
    out = []
    for family in FAMILIES:
        members = []
        for phrase in family:
            stemmed = tuple(stems(phrase))
            if stemmed and stemmed not in members:
                members.append(stemmed)
        out.append(tuple(members))
    return tuple(out)


@lru_cache(maxsize=1)
def _phrase_index() -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    index: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for members in _stemmed_families():
        for phrase in members:
            index.setdefault(phrase, set()).update(members)
    return index


_STATE = threading.local()


def glossary_enabled() -> bool:
    """Whether queries are expanded with the glossary's families (on unless switched off)."""
    return getattr(_STATE, "enabled", True)


@contextlib.contextmanager
def glossary(enabled: bool):
    """Switch the glossary's expansion on or off in this thread (the relevance benchmark measures both)."""
    before = glossary_enabled()
    _STATE.enabled = enabled
    try:
        yield
    finally:
        _STATE.enabled = before


def query_groups(query: str, words: list[str] | None = None) -> list[list[tuple[str, ...]]]:
    """Return the query as groups of alternatives: each group one concept of the query, each alternative a
    tuple of stems that must appear together (a phrase of the word-family list or one query word). Words
    (stems) may be given when the query was corrected."""
    words = stems(query) if words is None else words
    if not glossary_enabled():
        return [[(word,)] for word in dict.fromkeys(words)]
    index = _phrase_index()
    longest = max((len(p) for p in index), default=1)
    groups: list[list[tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            if phrase in index:
                alternatives = [phrase, *sorted(index[phrase] - {phrase})]
                groups.append(alternatives)
                i += size
                break
        else:
            groups.append([(words[i],)])
            i += 1
    return groups


def all_stems(groups: list[list[tuple[str, ...]]]) -> set[str]:
    """Return the stems to highlight: the words typed and one-word family members (a phrase's single words,
    like "casa" of "casa del migrante", would light up unrelated text)."""
    out: set[str] = set()
    for group in groups:
        out.update(group[0])
        out.update(alt[0] for alt in group[1:] if len(alt) == 1)
    return out
