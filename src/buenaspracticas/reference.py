"""Reference data that every layer shares: Mexico's 32 states, the report's four regions, the five
criteria and the population dimensions. Pure Python, no Django, so the parser can use it too."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

REGIONS: dict[str, str] = {
    "norte": "Norte",
    "occidente": "Occidente",
    "centro": "Centro",
    "sur-sureste": "Sur-Sureste",
}


@dataclass(frozen=True)
class StateRef:
    code: str  # ISO 3166-2
    slug: str
    name: str
    region: str
    inegi: str  # INEGI's two-digit state key (cve_ent), used by the map
    aliases: tuple[str, ...] = ()


STATES: tuple[StateRef, ...] = (
    StateRef("MX-AGU", "aguascalientes", "Aguascalientes", "occidente", "01"),
    StateRef("MX-BCN", "baja-california", "Baja California", "norte", "02"),
    StateRef("MX-BCS", "baja-california-sur", "Baja California Sur", "norte", "03"),
    StateRef("MX-CAM", "campeche", "Campeche", "sur-sureste", "04"),
    StateRef("MX-COA", "coahuila", "Coahuila", "norte", "05", ("Coahuila de Zaragoza",)),
    StateRef("MX-COL", "colima", "Colima", "occidente", "06"),
    StateRef("MX-CHP", "chiapas", "Chiapas", "sur-sureste", "07"),
    StateRef("MX-CHH", "chihuahua", "Chihuahua", "norte", "08"),
    StateRef("MX-CMX", "ciudad-de-mexico", "Ciudad de México", "centro", "09", ("CDMX", "Distrito Federal")),
    StateRef("MX-DUR", "durango", "Durango", "norte", "10"),
    StateRef("MX-GUA", "guanajuato", "Guanajuato", "occidente", "11"),
    StateRef("MX-GRO", "guerrero", "Guerrero", "sur-sureste", "12"),
    StateRef("MX-HID", "hidalgo", "Hidalgo", "centro", "13"),
    StateRef("MX-JAL", "jalisco", "Jalisco", "occidente", "14"),
    StateRef("MX-MEX", "estado-de-mexico", "Estado de México", "centro", "15", ("México", "Edomex")),
    StateRef("MX-MIC", "michoacan", "Michoacán", "occidente", "16", ("Michoacán de Ocampo",)),
    StateRef("MX-MOR", "morelos", "Morelos", "centro", "17"),
    StateRef("MX-NAY", "nayarit", "Nayarit", "occidente", "18"),
    StateRef("MX-NLE", "nuevo-leon", "Nuevo León", "norte", "19"),
    StateRef("MX-OAX", "oaxaca", "Oaxaca", "sur-sureste", "20"),
    StateRef("MX-PUE", "puebla", "Puebla", "centro", "21"),
    StateRef("MX-QUE", "queretaro", "Querétaro", "centro", "22"),
    StateRef("MX-ROO", "quintana-roo", "Quintana Roo", "sur-sureste", "23"),
    StateRef("MX-SLP", "san-luis-potosi", "San Luis Potosí", "occidente", "24"),
    StateRef("MX-SIN", "sinaloa", "Sinaloa", "norte", "25"),
    StateRef("MX-SON", "sonora", "Sonora", "norte", "26"),
    StateRef("MX-TAB", "tabasco", "Tabasco", "sur-sureste", "27"),
    StateRef("MX-TAM", "tamaulipas", "Tamaulipas", "norte", "28"),
    StateRef("MX-TLA", "tlaxcala", "Tlaxcala", "centro", "29"),
    StateRef("MX-VER", "veracruz", "Veracruz", "sur-sureste", "30", ("Veracruz de Ignacio de la Llave",)),
    StateRef("MX-YUC", "yucatan", "Yucatán", "sur-sureste", "31"),
    StateRef("MX-ZAC", "zacatecas", "Zacatecas", "occidente", "32"),
)

STATES_BY_CODE = {s.code: s for s in STATES}
STATES_BY_SLUG = {s.slug: s for s in STATES}

# The five criteria, in the report's column order.
CRITERIA: tuple[str, ...] = ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
CRITERIA_LABELS = {
    "sostenibilidad": "Sostenibilidad",
    "asociacion": "Asociación",
    "innovacion": "Innovación",
    "replicabilidad": "Replicabilidad",
    "eficacia": "Eficacia",
}
QUALIFYING_MINIMUM = 3  # a good practice meets at least 3 of the 5 criteria


def criteria_met(criteria) -> int:
    """Return how many criteria are met: `criteria` maps each criterion to its verdict or to {"verdict": …}.
    The one place the count is defined (records, selectors, schemas, exports and templates use it)."""
    verdicts = (
        c.get("verdict") if isinstance(c, dict) else getattr(c, "verdict", c) for c in criteria.values()
    )
    return sum(1 for v in verdicts if v == "met")


def qualifies(met: int) -> bool:
    """The report's rule: a good practice meets at least QUALIFYING_MINIMUM of the five criteria."""
    return met >= QUALIFYING_MINIMUM


VERDICTS: tuple[str, ...] = ("met", "not_met", "unknown")

DIMENSIONS: tuple[str, ...] = (
    "origen",
    "transito",
    "destino",
    "retorno",
    "desplazamiento_interno",
    "refugio",
)
DIMENSION_LABELS = {
    "origen": "Origen",
    "transito": "Tránsito",
    "destino": "Destino",
    "retorno": "Retorno",
    "desplazamiento_interno": "Desplazamiento interno",
    "refugio": "Refugio",
}


_PLAIN = str.maketrans(
    "áéíóúüñÁÉÍÓÚÜÑàèìòùÀÈÌÒÙâêîôûÂÊÎÔÛäëïöÄËÏÖçÇ", "aeiouunAEIOUUNaeiouAEIOUaeiouAEIOUaeioAEIOcC"
)
_RUNS_OF_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return text lower-cased, without accents and with runs of spaces collapsed (for matching)."""
    bare = text.translate(_PLAIN)
    if not bare.isascii():  # other marks: the general (slower) decomposition
        decomposed = unicodedata.normalize("NFKD", bare)
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _RUNS_OF_SPACE.sub(" ", bare).strip().lower()


def slugify(text: str) -> str:
    """Return an ASCII slug: 'Ciudad de México' → 'ciudad-de-mexico'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


_STATE_NAMES: list[tuple[str, StateRef]] = sorted(
    ((fold(n), s) for s in STATES for n in (s.name, *s.aliases)), key=lambda item: -len(item[0])
)


def state_by_name(text: str) -> StateRef | None:
    """Return the state a name (any case or accents, official long forms too) refers to, or None."""
    folded = fold(text)
    for name, state in _STATE_NAMES:
        if folded == name:
            return state
    return None


def find_state_in(text: str) -> StateRef | None:
    """Return the state whose name appears in text as whole words (longest name first), or None."""
    folded = fold(text)
    for name, state in _STATE_NAMES:
        if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded):
            return state
    return None
