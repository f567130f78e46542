"""Reference data of this feature: the population groups (a small controlled vocabulary with word families)
and the 23 GCM objectives (from data/gcm_objectives.json) with field rules. Pure Python, no queries."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path


def gettext_noop(message: str) -> str:
    """Mark a label for translation (makemessages finds the name) without importing Django."""
    return message


@dataclass(frozen=True)
class Group:
    code: str
    label: str  # Spanish, translated through gettext
    dimension: str  # the dimension whose figures say how much the group matters
    figure: str | None  # the panorama key that sizes the group in a state, when the report gives one
    query: str  # what the embedder compares practice passages with
    families: tuple[str, ...]  # regular expressions over folded text (lower case, no accents)


# Word families are written over the vocabulary (stems and their usual companions), never copied from one
# practice, so a new report's wording is caught too.
GROUPS: tuple[Group, ...] = (
    Group(
        "diaspora_us",
        gettext_noop("Diáspora en Estados Unidos"),
        "origen",
        "emigrants_2015_2020",
        "personas migrantes que viven en Estados Unidos y sus comunidades en el exterior",
        (
            r"\b(radic|resid|viv|encuentr|habit)\w* en (los )?(estados unidos|ee\.? ?uu|el extranjero"
            r"|el exterior)",
            r"\bdiaspora",
            r"\ben el (extranjero|exterior)\b",
            r"\bcomunidad(es)? \w+ en (el )?(extranjero|exterior)",
            r"\b(oficinas?|casas?) de representacion en",
            r"\bque viven en estados unidos",
        ),
    ),
    Group(
        "returnees",
        gettext_noop("Personas retornadas y deportadas"),
        "retorno",
        "repatriated",
        "personas mexicanas que regresan, repatriadas o deportadas de Estados Unidos",
        (
            r"\bretornad\w*",
            r"\b(en|de) retorno\b",
            r"\bretornan\b",
            r"\brepatriad\w*",
            r"\bdeportad\w*",
            r"\breintegra\w*",
            r"\bretorno voluntario\b",
        ),
    ),
    Group(
        "transit",
        gettext_noop("Personas en tránsito"),
        "transito",
        "presented_to_authority",
        "personas migrantes en tránsito por México hacia la frontera norte, albergues, espera en la frontera",
        (
            r"\ben transito\b",
            r"\btransito (de|por)\b",
            r"\bde paso\b",
            r"\balbergues?\b",
            r"\bcasas? del? migrante",
            r"\bespacios? de acogida",
            r"\bcaravanas?\b",
            r"\ben espera de (ser llamad|ingresar|cruzar)\w*",
            r"\bcentroamerican\w*",
        ),
    ),
    Group(
        "asylum_refugees",
        gettext_noop("Solicitantes de asilo y personas refugiadas"),
        "refugio",
        None,
        "personas solicitantes de asilo, refugiadas o con protección internacional",
        (
            r"\brefugiad\w*",
            r"\basilo\b",
            r"\bproteccion (internacional|complementaria)\b",
            r"\bcomar\b",
            r"\bacnur\b",
            r"\bsolicitantes? de (la )?(condicion de refugiado|proteccion)",
        ),
    ),
    Group(
        "unaccompanied_children",
        gettext_noop("Niñas, niños y adolescentes no acompañados"),
        "transito",
        "repatriated_minors",
        "niñas, niños y adolescentes migrantes no acompañados o separados",
        (
            r"\bno acompanad\w*",
            r"\bnnas?\b",
            r"\bnin[oa]s,? nin[oa]s y adolescentes\b",
            r"\bmenores (no acompanad|migrantes|separad)\w*",
            r"\binteres superior de la ninez\b",
            r"\bprocuraduria de proteccion de (ninas|ninos)",
        ),
    ),
    Group(
        "older_adults",
        gettext_noop("Personas adultas mayores"),
        "origen",
        None,
        "personas adultas mayores, padres y madres de migrantes de más de 60 años",
        (
            r"\badult[oa]s? mayores?\b",
            r"\bpersonas mayores\b",
            r"\bmayores de (60|65|sesenta)\b",
            r"\btercera edad\b",
        ),
    ),
    Group(
        "indigenous_language",
        gettext_noop("Hablantes de lenguas indígenas"),
        "origen",
        None,
        "personas migrantes indígenas que hablan una lengua indígena y necesitan intérpretes o traducción",
        (
            r"\blenguas? (indigena|originaria|materna)\w*",
            r"\bindigenas?\b",
            r"\b\w+ ?hablantes?\b",
            r"\binterpretes?\b",
            r"\b(maya|zapoteca?|mixteca?|mixe|nahuatl|triqui|tsotsil|tseltal)\b",
        ),
    ),
    Group(
        "foreign_residents",
        gettext_noop("Personas extranjeras residentes"),
        "destino",
        "foreign_born",
        "personas extranjeras que viven en el estado, su regularización migratoria e integración",
        (
            r"\bextranjer[oa]s? (residentes?|que residen|asentad|radicad)\w*",
            r"\bhuespedes\b",
            r"\bregulariza\w* migratori\w*",
            r"\bresidencia (temporal|permanente|definitiva)\b",
            r"\bde otra nacionalidad\b",
            r"\b(familias|personas) \w+ (radicando|asentadas|que residen) en",
            r"\bpoblacion extranjera\b",
        ),
    ),
    Group(
        "migrant_families",
        gettext_noop("Familias de personas migrantes"),
        "origen",
        "emigrants_2015_2020",
        "familias de las personas migrantes que se quedan en las comunidades de origen",
        (
            r"\bfamilias? (de (las )?(personas )?migrantes|migrantes)\b",
            r"\bsus familias\b",
            r"\breunifica\w* familiar\b",
            r"\bhij[oa]s (e hijas )?de (personas )?migrantes",
            r"\bfamiliares\b",
        ),
    ),
    Group(
        "internally_displaced",
        gettext_noop("Personas desplazadas internamente"),
        "desplazamiento_interno",
        None,
        "personas desplazadas dentro de México por la violencia o por desastres",
        (r"\bdesplazad\w* (internamente|interno|forzad)\w*", r"\bdesplazamiento (forzado )?interno\b"),
    ),
)
GROUPS_BY_CODE = {g.code: g for g in GROUPS}

# The dimensions the advice looks for gaps in, each sized by one figure of the panorama.
DIMENSION_FIGURES: dict[str, str] = {
    "transito": "presented_to_authority",
    "destino": "foreign_born",
    "retorno": "repatriated",
    "origen": "emigrants_2015_2020",
}


@dataclass(frozen=True)
class Objective:
    number: int
    title_es: str
    title_en: str
    summary_es: str


@lru_cache(maxsize=1)
def gcm_reference() -> dict:
    """Return the GCM data file: its provenance and the 23 objectives."""
    return json.loads((Path(__file__).with_name("data") / "gcm_objectives.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def gcm_objectives() -> tuple[Objective, ...]:
    """Return the 23 GCM objectives in order."""
    return tuple(Objective(**o) for o in gcm_reference()["objectives"])


# Field rules: word families that make an objective likely; weighted with the semantic similarity.
GCM_FAMILIES: dict[int, tuple[str, ...]] = {
    1: (r"\b(registro|padron|base) (estatal|estadistic|de datos)\w*", r"\bestadistic\w*", r"\bdiagnostic\w*"),
    2: (
        r"\barraigo\b",
        r"\bprevencion de (los )?riesgos\b",
        r"\bdesercion escolar\b",
        r"\bcontinuar (con )?sus estudios",
    ),
    3: (
        r"\borienta\w*",
        r"\binforma(r|cion)\b",
        r"\bventanillas?\b",
        r"\bmodulos? de (informacion|atencion)",
        r"\bdifusion\b",
        r"\bsensibiliza\w*",
        r"\basesoria\b",
    ),
    4: (
        r"\bidentidad\b",
        r"\bactas? de nacimiento\b",
        r"\bcurp\b",
        r"\bpasaportes?\b",
        r"\bdoble nacionalidad\b",
        r"\bapostilla\b",
        r"\bcredencial\w*",
        r"\bdocumentos? (oficiales|de identidad|personales)\b",
        r"\bregistro civil\b",
    ),
    5: (r"\bvisas?\b", r"\breunifica\w* familiar\b", r"\bregulariza\w*", r"\bvias de migracion regular\b"),
    6: (
        r"\bempleos?\b",
        r"\btrabajo decente\b",
        r"\bdesemplead?\w*",
        r"\blaboral\w*",
        r"\bbolsa de trabajo\b",
    ),
    7: (
        r"\bvulnerab\w*",
        r"\basistencia humanitaria\b",
        r"\bpsicosocial\b",
        r"\balbergues?\b",
        r"\bno acompanad\w*",
    ),
    8: (
        r"\bfallecid\w*",
        r"\brestos\b",
        r"\bdesaparecid\w*",
        r"\blocalizacion de personas\b",
        r"\bfunerari\w*",
    ),
    9: (r"\btrafico (ilicito )?de migrantes\b", r"\bpolleros?\b", r"\bcoyotes?\b"),
    10: (r"\btrata de personas\b",),
    11: (
        r"\bgaritas?\b",
        r"\bpuertos? (fronterizos?|autorizados?)\b",
        r"\bpuentes? internacional\w*",
        r"\bmetering\b",
    ),
    12: (
        r"\bcanaliza\w*",
        r"\bprocedimientos? migratorios?\b",
        r"\bproteccion internacional\b",
        r"\bcomar\b",
    ),
    13: (r"\balternativas? a la detencion\b", r"\bdetencion\b", r"\bcentro de asistencia social\b"),
    14: (
        r"\bconsula\w*",
        r"\bembajada\w*",
        r"\bdetenid[oa]s\b",
        r"\bconnacionales\b",
        r"\bredes consulares\b",
    ),
    15: (
        r"\bsalud\b",
        r"\bservicios (de salud|medicos|basicos|educativos)\b",
        r"\beducacion\b",
        r"\balimentacion\b",
        r"\bvacuna\w*",
        r"\bacceso a (los )?servicios\b",
    ),
    16: (
        r"\bincl?usi[oó]n\b",
        r"\bintegracion (social|local)\b",
        r"\bcohesion\b",
        r"\bprogramas sociales\b",
        r"\bcultura\w*\b",
        r"\btradiciones\b",
    ),
    17: (r"\bdiscrimina\w*", r"\bxenofob\w*", r"\bderechos humanos\b"),
    18: (r"\bcapacita\w*", r"\bcertifica\w* de competencias\b", r"\brevalida\w*", r"\bformacion\b"),
    19: (
        r"\bproyectos? productivos?\b",
        r"\bemprend\w*",
        r"\bdiaspora\b",
        r"\bfondo de apoyo a migrantes\b",
        r"\bnegocios?\b",
    ),
    20: (r"\bremesas?\b", r"\bgiros\b", r"\binclusion financiera\b", r"\benvio de dinero\b"),
    21: (r"\bretorno\b", r"\brepatriad\w*", r"\bdeportad\w*", r"\breintegra\w*", r"\breinsercion\b"),
    22: (r"\bpensi[oó]n\w*", r"\bseguro social\b", r"\bbeneficios federales\b", r"\bseguridad social\b"),
    23: (
        r"\bconsejo (estatal|consultivo)\b",
        r"\bcomisi[oó]n(es)? (sectorial|intersecretarial)\w*",
        r"\borganizacion internacional\b",
        r"\boim\b",
        r"\bunicef\b",
        r"\bacnur\b",
        r"\bsociedad civil\b",
        r"\bconvenios?\b",
    ),
}


@cache
def compiled(pattern: str) -> re.Pattern:
    """Return a compiled word-family pattern (cached)."""
    return re.compile(pattern)
