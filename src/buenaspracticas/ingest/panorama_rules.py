"""The vocabulary of the panorama parser: which words name which figure, the keys' units and families,
and the label helpers. Pure Python."""

from __future__ import annotations

import re

from buenaspracticas.ingest.numbers import Number
from buenaspracticas.ingest.panorama_checks import KEY_ES
from buenaspracticas.ingest.panorama_text import fold_same_length

PERSONAS, PCT, ENTRADAS, TARJETAS = "personas", "porcentaje", "entradas", "tarjetas"

# The family of each key decides its default period and the fallback source.
CENSUS_KEYS = {
    "total_population",
    "pct_women",
    "pct_men",
    "foreign_born",
    "foreign_born_top",
    "top_municipality",
    "causes",
    "foreign_born_top_pct",
    "municipality_pct",
    "foreign_born_municipality",
    "international_immigrants",
    "international_immigrants_pct",
    "immigrants_by_country",
    "immigrants_by_country_cause",
    "cause_top_municipality",
}
EMIGRATION_KEYS = {
    "emigrants_2015_2020",
    "emigrants_men",
    "emigrants_women",
    "emigrants_pct_men",
    "emigrants_pct_women",
}
UNITS = {
    "pct_women": PCT,
    "pct_men": PCT,
    "entries_pct_national": PCT,
    "causes": PCT,
    "emigrants_pct_men": PCT,
    "emigrants_pct_women": PCT,
    "foreign_born_top_pct": PCT,
    "municipality_pct": PCT,
    "international_immigrants_pct": PCT,
    "immigrants_by_country_cause": PCT,
    "cause_top_municipality": PCT,
    "entries_total": ENTRADAS,
    "entries_air": ENTRADAS,
    "entries_sea": ENTRADAS,
    "entries_land": ENTRADAS,
    "entry_point": ENTRADAS,
    "entries_national_total": ENTRADAS,
    "remittances_usd": "dólares",
    "temporary_resident_cards": TARJETAS,
    "permanent_resident_cards": TARJETAS,
    "permanent_renewed": TARJETAS,
}
LIST_KEYS = {
    "foreign_born_top",
    "causes",
    "foreign_born_top_pct",
    "municipality_pct",
    "foreign_born_municipality",
    "immigrants_by_country",
    "immigrants_by_country_cause",
    "cause_top_municipality",
    "entry_point",
    "international_immigrants_pct",
}

# Lead-in phrases that set what the figures after them are (the last one before a figure wins).
_CONTEXTS = (
    ("cause_muni", r"mayor porcentaje para cada causa|demarcaciones territoriales con mayor porcentaje"),
    ("immig_country", r"inmigrantes internacionales por pais"),
    ("causes", r"principal(?:es)? causas? de (?:la )?migracion|causas de\s+(?:l)?a\s+migracion"),
    (
        "municipality",
        r"(?:municipio|demarcacion territorial) (?:[a-z ]{0,20})?con (?:el )?(?:mas|mayor)[^:•]*",
    ),
    ("foreign_born", r"nacida?s? en otros? pais|nacieron en otros? pais"),
    ("enforcement", r"no documentada"),
    ("protection", r"acciones de proteccion"),
    ("border", r"patrulla fronteriza|encuentros"),
    ("residence", r"tipo de residencia|condiciones de estancia"),
    ("entries", r"puntos de internacion|registros de entrada"),
    ("repatriated", r"repatriad"),
)
_HEADING = re.compile(
    r"(?:^|(?<=[\n•.]))\s*(poblacion(?:\s+total)?|emigracion|inmigracion|estadisticas?|"
    r"datos\s+de\s+la|causas\s+de\s+(?:l)?a\s+migracion)(?=[\s\d.:]|$)"
)
_HEADING_KIND = {"poblacion": "poblacion", "emigracion": "emigracion", "inmigracion": "inmigracion"}
_KEY_KIND = {
    "total_population": "poblacion",
    "pct_women": "poblacion",
    "pct_men": "poblacion",
    **{k: "emigracion" for k in EMIGRATION_KEYS},
    **{
        k: "inmigracion"
        for k in (
            "foreign_born",
            "foreign_born_top",
            "top_municipality",
            "foreign_born_top_pct",
            "municipality_pct",
            "international_immigrants",
        )
    },
}
_KIND_ES = {"poblacion": "población", "emigracion": "emigración", "inmigracion": "inmigración"}
_CAUSE_START = re.compile(
    r"\b(buscar|cambio|reunirse|reunificacion|se caso|estudiar|estudios|matrimonio|"
    r"inseguridad|deportacion|desastres)\b"
)
_YEAR_WORDS = re.compile(
    r"(?:\b(?:de|del|en|el|entre|y|a|para|hasta|desde|fiscal|ano|junio|mayo|marzo|enero|"
    r"julio|octubre)|[,(;])\s*$"
)
_DELIM = re.compile(r"[•▪◦;]|(?<=[a-z\d%)])\.\s+(?=[A-ZÁÉÍÓÚÑ¿(•])|\.\s*\n")


_SEX_ES = {"men": "hombres", "women": "mujeres"}


def _own_place(other: str, own: str) -> bool:
    return other.lower() in own.lower() or own.lower() in other.lower()


def _compatible(citation: str, key: str) -> bool:
    """A census citation does not cite migration-bulletin figures, nor the bulletin census figures."""
    folded = fold_text(citation)
    census = key in CENSUS_KEYS or key in EMIGRATION_KEYS
    if "censo" in folded or "inegi" in folded:
        return census
    if "boletin" in folded or "upmrip" in folded or "unidad de politica migratoria" in folded:
        return not census
    return True


def fold_text(text: str) -> str:
    return " ".join(fold_same_length(text).split())


def _add(note: str, extra: str) -> str:
    return f"{note}; {extra}" if note else extra


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return f"{int(value):,}".replace(",", " ")


def _describe(key: str) -> str:

    return KEY_ES.get(key, key)


def _snippet(text: str, tok: Number) -> str:
    return " ".join(text[max(0, tok.start - 60) : tok.token_end + 25].split())


def _is_year(tok: Number) -> bool:
    return (
        not tok.percent
        and not tok.decimals
        and isinstance(tok.value, int)
        and 1900 <= tok.value <= 2099
        and len(tok.raw.strip()) == 4
    )


def _skip(tok: Number, b: str, a: str) -> bool:
    """Figures that are not panorama figures: years, ages, counts of cities or points, ranks."""
    if (
        _is_year(tok)
        and not b.endswith(":")
        and not re.match(
            r"(personas|entradas|registros|residencias|tarjetas|"
            r"eventos|hombres|mujeres)\b",
            a,
        )
    ):
        return True
    if (
        re.match(r"anos\b", a)
        or re.search(r"\b(?:titulo|lugar)\s*$", b)
        or re.match(r"(ciudades|puntos|sectores)\b", a)
    ):
        return True
    return False


def _before_label(text: str) -> tuple[str, bool]:
    """The words just before a figure, since the last bullet, sentence end or colon: ("Aéreas", True)."""
    stripped = text.rstrip()
    colon = stripped.endswith(":")
    if colon:
        stripped = stripped[:-1]
    cut = 0
    for m in re.finditer(r"[•▪◦;:]|(?<=[a-z\d%)])\.\s+(?=[A-ZÁÉÍÓÚÑ¿(])|\.\s*\n", stripped):
        cut = m.end()
    return stripped[cut:], colon


def _before_item(text: str) -> str:
    """The words before a figure since the last bullet or sentence end (colons kept)."""
    cut = 0
    for m in _DELIM.finditer(text):
        cut = m.end()
    return text[cut:]


def _after_label(text: str) -> str:
    m = re.search(r"[•▪◦;:,(]|\.(?:\s|$)", text)
    return text[: m.start()] if m else text


_LABEL_HEADS = re.compile(
    r"^(?:causas de\s+(?:l)?a\s+migraci[oó]n\.?|principal(?:es)? causas? de (?:la )?migraci[oó]n:?|"
    r"inmigraci[oó]n|emigraci[oó]n)\s+",
    re.I,
)


def _clean_label(raw: str) -> str:
    """The label as written, without bullets, unit words or a table heading before it."""
    label = " ".join(raw.split()).strip(" •:-,")
    previous = None
    while label != previous:
        previous = label
        label = _LABEL_HEADS.sub("", label)
        label = re.sub(r"^(?:personas?|y|e)\s+", "", label, flags=re.I).strip(" •:-,")
    label = re.sub(r"^(?:[A-ZÁÉÍÓÚ][^:]*:\s*)(?=[A-ZÁÉÍÓÚ])", "", label) if label.count(":") else label
    return label.strip(" •:-,")


def _split_cause(item: str) -> tuple[str, str]:
    m = _CAUSE_START.search(fold_text(item))
    if not m:
        return item, ""
    words = item.split()
    folded_words = fold_text(item).split()
    idx = next((i for i, w in enumerate(folded_words) if w == m.group(1).split()[0]), len(words))
    return " ".join(words[:idx]), " ".join(words[idx:])


def _after_key(a: str, full_a: str, pct: bool, b: str, sentence: str):
    """Key named by the words right after the figure ("personas emigraron", "residencias temporales")."""
    a = re.sub(r"^(?:de las cuales,?\s*)", "", a)
    rules = (
        (r"^(?:personas? )?(?:menores|persona menor)", "_minors"),
        (r"^(?:personas )?habitantes", "total_population"),
        (r"^personas (?:\w+ ){0,2}(?:emigraron|migraron)", "emigrants_2015_2020"),
        (r"^personas (?:nacieron|nacidas) en otros? pais", "foreign_born"),
        (r"^inmigrantes internacionales", "international_immigrants"),
        (r"^(?:entradas|registros de entrada)", "entries_total"),
        (r"^(?:tarjetas de )?residen\w* (?:\w+ )?temporal", "temporary_resident_cards"),
        (r"^(?:tarjetas de )?residen\w* (?:\w+ )?permanente", "permanent_resident_cards"),
        (r"^personas extranjeras.*obtuvieron", "residence_total"),
        (r"^eventos? de (?:presentacion|extranjeros presentados)", "presented_to_authority"),
        (
            r"^eventos? de (?:extranjeros devueltos por )?deportacion y retorno",
            "deported_and_assisted_return",
        ),
        (r"^eventos? de deportacion", "deported"),
        (r"^retornos? asistidos? de menores", "assisted_return_minors"),
        (r"^retornos? asistidos?", "assisted_return"),
        (r"^(?:(?:son|fueron|eran) )?hombres\b", "_men"),
        (r"^(?:(?:son|fueron|eran) )?mujeres\b", "_women"),
        (r"^orientaciones", "protection_orientations"),
        (r"^rescates", "protection_rescues"),
        (r"^acciones de asistencia", "protection_social_assistance"),
        (r"^personas originarias .*repatriad", "repatriated"),
        (r"^(?:de )?dolares|^millones de dolares", "remittances_usd"),
    )
    if re.search(r"obtuvieron un tipo de residencia", full_a[:120]) and not re.match(
        r"^(?:tarjetas|residen)", a
    ):
        return "residence_total", ""
    if re.match(r"^personas originarias", full_a) and "repatriad" in full_a[:80]:
        return "repatriated", ""
    if pct and re.match(r"^del total de (?:entradas|registros)", full_a):
        return "entries_pct_national", ""
    if pct:
        m = re.match(
            r"^(?:de (?:ellas|estas|estos) |nacidas |de ellos )?en ((?:el |los )?[a-z][a-z ]+?)(?:$| y\b)", a
        )
        if m:
            return "foreign_born_top_pct", "@after"
        if re.match(r"^corresponden? a", a):
            return "international_immigrants_pct", ""
    for rx, key in rules:
        if pct and key not in ("_men", "_women"):
            continue
        if re.search(rx, a):
            if key == "_minors":
                if re.search(r"retorno asistido", b + " " + full_a[:80]):
                    return "assisted_return_minors", ""
                if "repatriad" in sentence:
                    return "repatriated_minors", ""
                continue
            if key in ("_men", "_women") and re.search(r"\bmenores\b", b[-30:]):
                continue
            return key, ""
    if re.match(r"^personas", a) and re.search(r"\bemigrantes\b", b) and not pct:
        return "emigrants_2015_2020", ""
    return None


def _before_key(b: str, pct: bool, sentence: str, ctx: str | None) -> str | None:
    """Key named by the label before the figure ("Aéreas:", "Devueltas por deportación:")."""
    if pct:
        if re.search(r"\btotal de (?:entradas|registros)|esto es el$", b) or (
            b.endswith(("el", "es el")) and "del total" in sentence and "entradas" in sentence
        ):
            return "entries_pct_national"
        return None
    rules = (
        (r"^(?:entradas |vias? )?aereas?$", "entries_air"),
        (r"^(?:entradas |vias? )?maritimas?$", "entries_sea"),
        (r"^(?:entradas |vias? )?terrestres?$", "entries_land"),
        (r"maritim", "_point_sea"),
        (r"aeropuerto", "_point_air"),
        (r"terrestre|garita|puente|cruce fronterizo", "_point_land"),
        (r"renovad|renovaron", "permanent_renewed"),
        (r"residen\w* temporal", "temporary_resident_cards"),
        (r"residen\w* permanente", "permanent_resident_cards"),
        (r"menores.*retorno asistido", "assisted_return_minors"),
        (r"deportacion y retorno asistido", "deported_and_assisted_return"),
        (r"retorno asistido", "assisted_return"),
        (r"deportacion", "deported"),
        (r"presentad", "presented_to_authority"),
        (r"poblacion nacida en otros? pais|nacidas? en otros? pais", "foreign_born"),
        (r"poblacion total de$|cuenta con (?:un total de|una poblacion total de)$", "total_population"),
        (r"\bemigrantes\b.*total de$", "emigrants_2015_2020"),
        (r"total de registros|total de entradas", "entries_national_total"),
    )
    for rx, key in rules:
        if re.search(rx, b):
            if key.startswith("_point") and ctx not in (None, "entries", "residence"):
                continue
            return key
    return None
